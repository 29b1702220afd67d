/*
 * Working days in England: Monday to Friday, except England's bank
 * holidays (built in for 2020 to 2030) and any extra days a site adds.
 * Counting is arithmetic (whole weeks, then a search of the holiday
 * list), so it costs the same for any span of days.
 *
 * Days are numbered as text_days() numbers them (days since 1970-01-01).
 */
#ifndef MODEL_WORKDAYS_H
#define MODEL_WORKDAYS_H

#include <stddef.h>

struct workdays {
	long	*off;		/* sorted weekday holidays, no duplicates */
	size_t	 n;
};

/* The built-in bank holidays plus extra (n days, any order). */
void	workdays_init(struct workdays *, const long *, size_t);
void	workdays_free(struct workdays *);
/* Working days strictly after from and strictly before to (0 if none). */
long	workdays_between(const struct workdays *, long, long);
/* The built-in years, for the report: first and last. */
#define WORKDAYS_FIRST_YEAR	2020
#define WORKDAYS_LAST_YEAR	2030

#endif
