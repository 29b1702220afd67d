/*
 * Local time through the C library's time-zone database.
 */
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

void
tz_date(int64_t t, struct date *d)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	if (localtime_r(&tt, &tm) == NULL) {
		text_date_from_days((long)(t / 86400), d);
		return;
	}
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
}
