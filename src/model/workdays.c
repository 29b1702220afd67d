/*
 * England's bank holidays and working-day arithmetic.
 *
 * The dates are England and Wales's bank holidays as published by the
 * UK government (gov.uk/bank-holidays) for 2020 to 2027, including the
 * one-off days (8 May 2020 moved for VE Day, 2 and 3 June 2022, 19
 * September 2022, 8 May 2023); 2028 to 2030 follow the usual pattern
 * (New Year's Day, Good Friday, Easter Monday, the first and last
 * Mondays of May, the last Monday of August, Christmas Day and Boxing
 * Day, moved to the next weekday when they fall at a weekend).  A site
 * adds any other day off, such as a newly announced holiday, in its
 * configuration.
 */
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "util/text.h"
#include "model/workdays.h"

static const char *const bank_holidays[] = {
	"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25",
	"2020-08-31", "2020-12-25", "2020-12-28",
	"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31",
	"2021-08-30", "2021-12-27", "2021-12-28",
	"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02",
	"2022-06-03", "2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27",
	"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08",
	"2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26",
	"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27",
	"2024-08-26", "2024-12-25", "2024-12-26",
	"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26",
	"2025-08-25", "2025-12-25", "2025-12-26",
	"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25",
	"2026-08-31", "2026-12-25", "2026-12-28",
	"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31",
	"2027-08-30", "2027-12-27", "2027-12-28",
	"2028-01-03", "2028-04-14", "2028-04-17", "2028-05-01", "2028-05-29",
	"2028-08-28", "2028-12-25", "2028-12-26",
	"2029-01-01", "2029-03-30", "2029-04-02", "2029-05-07", "2029-05-28",
	"2029-08-27", "2029-12-25", "2029-12-26",
	"2030-01-01", "2030-04-19", "2030-04-22", "2030-05-06", "2030-05-27",
	"2030-08-26", "2030-12-25", "2030-12-26",
};

static int
cmp_long(const void *a, const void *b)
{
	long	x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* Day 0 (1970-01-01) was a Thursday: Monday is 0. */
static long
weekday(long day)
{
	return ((day + 3) % 7 + 7) % 7;
}

void
workdays_init(struct workdays *w, const long *extra, size_t nextra)
{
	size_t		 nb = sizeof(bank_holidays) / sizeof(*bank_holidays);
	size_t		 i, n = 0;
	struct date	 d;

	w->off = xcalloc(nb + nextra + 1, sizeof(*w->off));
	for (i = 0; i < nb; i++)
		if (text_parse_date(bank_holidays[i], &d))
			w->off[n++] = text_days(&d);
	for (i = 0; i < nextra; i++)
		w->off[n++] = extra[i];
	qsort(w->off, n, sizeof(*w->off), cmp_long);
	w->n = 0;
	for (i = 0; i < n; i++)	/* weekdays only, once each */
		if (weekday(w->off[i]) < 5 &&
		    (w->n == 0 || w->off[w->n - 1] != w->off[i]))
			w->off[w->n++] = w->off[i];
}

void
workdays_free(struct workdays *w)
{
	free(w->off);
	memset(w, 0, sizeof(*w));
}

/* Weekdays in days [0, day): whole weeks, then the part week. */
static long
weekdays_before(long day)
{
	long	weeks, rest;

	day -= 4;		/* count from a Monday, 1970-01-05 */
	weeks = day >= 0 ? day / 7 : -((-day + 6) / 7);
	rest = day - weeks * 7;		/* 0..6 days, from a Monday */
	return weeks * 5 + (rest < 5 ? rest : 5);
}

/* Holidays before day (index of the first >= day). */
static size_t
off_before(const struct workdays *w, long day)
{
	size_t	lo = 0, hi = w->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (w->off[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

long
workdays_between(const struct workdays *w, long from, long to)
{
	if (to - from < 2)
		return 0;
	return weekdays_before(to) - weekdays_before(from + 1) -
	    (long)(off_before(w, to) - off_before(w, from + 1));
}
