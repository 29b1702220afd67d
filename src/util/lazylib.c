/* Libraries loaded on first use: see lazylib.h. */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "util/lazylib.h"

#ifndef ICPGEN_QPDF_LIB
#define ICPGEN_QPDF_LIB	"libqpdf.so"
#endif
#ifndef ICPGEN_MHD_LIB
#define ICPGEN_MHD_LIB	"libmicrohttpd.so"
#endif

static const char *const paths[LAZY__MAX] = {
	ICPGEN_QPDF_LIB,
	ICPGEN_MHD_LIB,
};
static const char *const uses[LAZY__MAX] = {
	"PDF page counts are left out",
	"the preview server cannot run",
};
static void		*handles[LAZY__MAX];
static bool		 tried[LAZY__MAX];
static pthread_mutex_t	 lock = PTHREAD_MUTEX_INITIALIZER;

void *
lazy_open(enum lazy_lib l)
{
	const char	*e;
	void		*h;

	if (l >= LAZY__MAX)
		return NULL;
	pthread_mutex_lock(&lock);
	/* RTLD_NOW: a missing function fails here, not in a thread later. */
	if (!tried[l] && (handles[l] = dlopen(paths[l], RTLD_NOW |
	    RTLD_LOCAL)) == NULL) {
		e = dlerror();
		fprintf(stderr, "icpgen: warning: cannot load %s (%s): %s "
		    "(install the package that has it: the icpgen package "
		    "depends on it, and 'make deps' in icpgen's source "
		    "installs it)\n", paths[l], e != NULL ? e :
		    "unknown error", uses[l]);
	}
	tried[l] = true;
	h = handles[l];
	pthread_mutex_unlock(&lock);
	return h;
}

const char *
lazy_path(enum lazy_lib l)
{
	return l < LAZY__MAX ? paths[l] : NULL;
}

bool
lazy_syms(enum lazy_lib l, const struct lazy_sym *syms, size_t n)
{
	void	*h = lazy_open(l);
	size_t	 i;

	for (i = 0; h != NULL && i < n; i++)
		if ((*syms[i].fp = dlsym(h, syms[i].name)) == NULL)
			return false;
	return h != NULL;
}
