/*
 * SHA-256 (FIPS 180-4): the Content-Security-Policy hashes of inline
 * styles, and the fingerprints of a build's inputs (emit/manifest.c).
 */
#ifndef UTIL_SHA256_H
#define UTIL_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	 h[8];
	uint64_t	 len;		/* bytes so far */
	unsigned char	 buf[64];
	size_t		 n;		/* bytes in buf */
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char [32]);
/* The digest of data, in one call. */
void	sha256(const void *, size_t, unsigned char [32]);

#endif
