/*
 * Running one worker function on several threads at once.
 *
 * The workers share their work through a queue of their own (an atomic
 * counter, say), so any one of them can finish it all: if a thread
 * cannot be started, fewer run and the result is the same.
 */
#ifndef UTIL_PAR_H
#define UTIL_PAR_H

#include <stddef.h>

/*
 * The number of threads to use for nitems items when jobs were asked
 * for (jobs < 1: one per processor), at most 64, and at most one per
 * min_per items (fewer is not worth a thread).  Never less than 1.
 */
int	 par_threads(int jobs, size_t nitems, size_t min_per);

/*
 * Call fn(args + i * size) for i in [0, n): args[1..n-1] on new
 * threads and args[0] on this one, then wait for all.  Returns how
 * many ran (1 when no thread could be started).
 */
int	 par_run(void *(*fn)(void *), void *args, size_t size, int n);

#endif
