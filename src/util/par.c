/* Fan a worker out over threads and join them: see par.h. */
#include <pthread.h>
#include <unistd.h>

#include "util/par.h"

#define PAR_MAX	64

int
par_threads(int jobs, size_t nitems, size_t min_per)
{
	long	 np;
	int	 n = jobs;

	if (n < 1) {
		np = sysconf(_SC_NPROCESSORS_ONLN);
		n = np > 0 ? (int)(np < PAR_MAX ? np : PAR_MAX) : 1;
	}
	if (n > PAR_MAX)
		n = PAR_MAX;
	if (min_per > 0 && (size_t)n > nitems / min_per + 1)
		n = (int)(nitems / min_per + 1);
	return n;
}

int
par_run(void *(*fn)(void *), void *args, size_t size, int n)
{
	pthread_t	 th[PAR_MAX];
	char		*a = args;
	int		 i;

	if (n > PAR_MAX)
		n = PAR_MAX;
	for (i = 1; i < n; i++)
		if (pthread_create(&th[i], NULL, fn, a + (size_t)i * size) != 0)
			break;
	n = i;
	fn(a);
	while (--i > 0)
		pthread_join(th[i], NULL);
	return n;
}
