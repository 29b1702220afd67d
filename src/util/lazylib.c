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
static pthread_once_t	 once[LAZY__MAX] = {
	PTHREAD_ONCE_INIT, PTHREAD_ONCE_INIT,
};

static void
load(enum lazy_lib l)
{
	const char	*e;

	/* RTLD_NOW: a missing function fails here, not in a thread later. */
	if ((handles[l] = dlopen(paths[l], RTLD_NOW | RTLD_LOCAL)) == NULL) {
		e = dlerror();
		fprintf(stderr, "icpgen: warning: cannot load %s (%s): %s\n",
		    paths[l], e != NULL ? e : "unknown error", uses[l]);
	}
}

static void
load_qpdf(void)
{
	load(LAZY_QPDF);
}

static void
load_mhd(void)
{
	load(LAZY_MHD);
}

void *
lazy_open(enum lazy_lib l)
{
	if (l == LAZY_QPDF)
		pthread_once(&once[l], load_qpdf);
	else if (l == LAZY_MHD)
		pthread_once(&once[l], load_mhd);
	else
		return NULL;
	return handles[l];
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
