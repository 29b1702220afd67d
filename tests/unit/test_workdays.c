/*
 * Tests of working-day arithmetic: England's bank holidays are not
 * working days, nor are a site's extra days off, and the arithmetic
 * count agrees with counting day by day over every span of a decade.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/workdays.h"
#include "util/text.h"

static long
day_of(const char *iso)
{
	struct date	d;

	assert_true(text_parse_date(iso, &d));
	return text_days(&d);
}

/* Friday 28 August 2026 to Wednesday 9 September: Monday 31 is off. */
static void
bank_holiday_not_counted(void **state)
{
	struct workdays	w;

	(void)state;
	workdays_init(&w, NULL, 0);
	assert_int_equal(workdays_between(&w, day_of("2026-08-28"),
	    day_of("2026-09-09")), 6);
	/* Easter 2027: Thursday to Tuesday has no working day between */
	assert_int_equal(workdays_between(&w, day_of("2027-03-25"),
	    day_of("2027-03-30")), 0);
	/* Christmas 2022: 26 and 27 December are both off */
	assert_int_equal(workdays_between(&w, day_of("2022-12-23"),
	    day_of("2022-12-29")), 1);
	/* a plain week: Monday to next Monday is 4 clear days */
	assert_int_equal(workdays_between(&w, day_of("2026-03-02"),
	    day_of("2026-03-09")), 4);
	/* same day, next day, backwards: none */
	assert_int_equal(workdays_between(&w, day_of("2026-03-02"),
	    day_of("2026-03-02")), 0);
	assert_int_equal(workdays_between(&w, day_of("2026-03-02"),
	    day_of("2026-03-03")), 0);
	assert_int_equal(workdays_between(&w, day_of("2026-03-09"),
	    day_of("2026-03-02")), 0);
	workdays_free(&w);
}

static void
extra_days_off(void **state)
{
	struct workdays	w;
	long		extra[] = { 0, 0, 0 };

	(void)state;
	extra[0] = day_of("2026-03-04");	/* a Wednesday */
	extra[1] = day_of("2026-03-07");	/* a Saturday: no effect */
	extra[2] = day_of("2026-03-04");	/* given twice */
	workdays_init(&w, extra, 3);
	assert_int_equal(workdays_between(&w, day_of("2026-03-02"),
	    day_of("2026-03-09")), 3);
	workdays_free(&w);
}

/* Day by day, the way it used to be counted, for comparison. */
static long
slow(long from, long to, const long *off, size_t noff)
{
	struct date	d;
	long		n = 0, day;
	size_t		k;
	int		skip;

	for (day = from + 1; day < to; day++) {
		text_date_from_days(day, &d);
		skip = text_weekday(&d) >= 5;
		for (k = 0; k < noff && !skip; k++)
			skip = off[k] == day;
		n += !skip;
	}
	return n;
}

static void
arithmetic_matches_counting(void **state)
{
	struct workdays	w;
	long		from, to, first = day_of("2019-12-20"), extra[1];
	unsigned	seed = 1;

	(void)state;
	extra[0] = day_of("2025-06-11");
	workdays_init(&w, extra, 1);
	for (from = first; from < first + 4100; from += 1 + (long)(seed % 5)) {
		seed = seed * 1103515245u + 12345u;
		to = from + (long)(seed >> 8) % 400;
		assert_int_equal(workdays_between(&w, from, to),
		    slow(from, to, w.off, w.n));
	}
	workdays_free(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bank_holiday_not_counted),
		cmocka_unit_test(extra_days_off),
		cmocka_unit_test(arithmetic_matches_counting),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
