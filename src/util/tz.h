/*
 * Local time in Europe/London: the one time-zone conversion.  It is
 * the C library's (mktime, localtime_r) with TZ set by tz_init(), never
 * a hand-written rule for British Summer Time.
 */
#ifndef UTIL_TZ_H
#define UTIL_TZ_H

#include <stdint.h>

struct date;

#define TZ_NAME	"Europe/London"

/* Set TZ to Europe/London for the process (before any thread starts). */
void	tz_init(void);
/*
 * Minutes east of UTC of local time min (minutes since midnight) on day
 * d.  A time in the hour skipped in March reads as GMT, a time in the
 * hour repeated in October as BST (the first of the two).
 */
int	tz_offset(const struct date *, int);
/* The local calendar date of t (seconds since the epoch). */
void	tz_date(int64_t, struct date *);

#endif
