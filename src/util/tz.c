/*
 * Local time through the C library's time-zone database.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/text.h"
#include "util/tz.h"

void
tz_init(void)
{
	setenv("TZ", TZ_NAME, 1);
	tzset();
}

int
tz_offset(const struct date *d, int min)
{
	struct tm	 tm, lt;
	time_t		 t;
	int		 dst;

	/* Summer time first, so a repeated hour reads as its first. */
	for (dst = 1; dst >= 0; dst--) {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = d->year - 1900;
		tm.tm_mon = d->month - 1;
		tm.tm_mday = d->day;
		tm.tm_hour = min / 60;
		tm.tm_min = min % 60;
		tm.tm_isdst = dst;
		if ((t = mktime(&tm)) == (time_t)-1 ||
		    localtime_r(&t, &lt) == NULL)
			continue;
		if (lt.tm_isdst == dst && lt.tm_mday == d->day &&
		    lt.tm_hour == min / 60 && lt.tm_min == min % 60)
			return (int)(lt.tm_gmtoff / 60);
	}
	/* A time that does not exist: the offset at the start of the day. */
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d->year - 1900;
	tm.tm_mon = d->month - 1;
	tm.tm_mday = d->day;
	tm.tm_isdst = -1;
	if ((t = mktime(&tm)) == (time_t)-1 || localtime_r(&t, &lt) == NULL)
		return 0;
	return (int)(lt.tm_gmtoff / 60);
}

/* floor(a / b) for b > 0 */
static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

/*
 * The offset of every second of UTC day `day`, when the library gives
 * the same one at its first and last second (a day without a change of
 * offset); false otherwise.
 */
static bool
day_offset(int64_t day, long *off)
{
	time_t		 a = (time_t)(day * 86400), b = a + 86399;
	struct tm	 ta, tb;

	if (localtime_r(&a, &ta) == NULL || localtime_r(&b, &tb) == NULL ||
	    ta.tm_gmtoff != tb.tm_gmtoff)
		return false;
	*off = ta.tm_gmtoff;
	return true;
}

/*
 * Each thread keeps the offsets of the UTC days it has asked about
 * that have one offset throughout: a history converts the times of
 * thousands of revisions, and localtime_r() takes the C library's
 * time-zone lock each call.  A day with a change of offset is asked
 * of the library every time.
 */
#define TZ_MEMO	4096
#define TZ_DAYS	((int64_t)1 << 36)	/* about 188 million years */

struct tz_memo {
	int64_t		 day;
	long		 off;
	bool		 set;
};

static _Thread_local struct tz_memo memo[TZ_MEMO];

void
tz_date(int64_t t, struct date *d)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;
	struct tz_memo	*m;
	int64_t		 day = floor_div(t, 86400);
	long		 off;

	/* Only days whose seconds day_offset() can count without overflow. */
	if (day < -TZ_DAYS || day > TZ_DAYS)
		m = NULL;
	else if ((m = &memo[(uint64_t)day % TZ_MEMO])->set && m->day == day) {
		text_date_from_days((long)floor_div(t + m->off, 86400), d);
		return;
	}
	if (localtime_r(&tt, &tm) == NULL) {
		text_date_from_days((long)day, d);
		return;
	}
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
	if (m != NULL && day_offset(day, &off) && off == tm.tm_gmtoff)
		*m = (struct tz_memo){ day, off, true };
}
