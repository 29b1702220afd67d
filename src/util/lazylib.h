/*
 * Libraries loaded on first use: libqpdf (PDF page counts) and
 * libmicrohttpd (icpgen serve).  Linked at start, they and what they
 * pull in (GnuTLS, p11-kit, the C++ library ...) took about 10 ms of
 * every run's start, a build with nothing to do included.  Each is
 * opened by the path the Makefile found at build time (its libdir and
 * soname), and its functions are looked up by the caller (LAZY_SYM).
 */
#ifndef UTIL_LAZYLIB_H
#define UTIL_LAZYLIB_H

#include <stdbool.h>

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
 * Look name up in handle h into the function pointer fp (declared with
 * the header's own type: __typeof__(qpdf_init) *fp); false if absent.
 */
#define LAZY_SYM(h, fp, name) \
	((*(void **)&(fp) = dlsym((h), (name))) != NULL)

#endif
