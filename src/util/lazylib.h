/*
 * Libraries loaded on first use: libqpdf (PDF page counts) and
 * libmicrohttpd (icpgen serve).  Linked at start, they and what they
 * pull in (GnuTLS, p11-kit, GMP ...) took about 10 ms of
 * every run's start, a build with nothing to do included.  Each is
 * opened by the path the Makefile found at build time (its libdir and
 * soname), and its functions are looked up by the caller (lazy_syms).
 */
#ifndef UTIL_LAZYLIB_H
#define UTIL_LAZYLIB_H

#include <stdbool.h>
#include <stddef.h>

enum lazy_lib {
	LAZY_QPDF,
	LAZY_MHD,
	LAZY__MAX
};

/*
 * The library's handle, opened once (from any thread); NULL when it
 * cannot be, which is said on stderr once.
 */
void		*lazy_open(enum lazy_lib);
/* Its path, for the binary's identity (sha256_self). */
const char	*lazy_path(enum lazy_lib);
/*
 * A function to look up: its name, and where to put it (a function
 * pointer declared with the header's own type, __typeof__(qpdf_init) *,
 * given as (void **)&fp).
 */
struct lazy_sym {
	const char	*name;
	void		**fp;
};

/* Open the library and look up the n functions; false if one is absent. */
bool		 lazy_syms(enum lazy_lib, const struct lazy_sym *, size_t);

#endif
