/*
 * SHA-256 (FIPS 180-4): the Content-Security-Policy hashes of inline
 * styles, and the fingerprints of a build's inputs (emit/manifest.c).
 * Nettle's, which uses the processor's SHA instructions where it has
 * them.  Nettle names its functions through macros (sha256_init for
 * nettle_sha256_init, ...); they are undone here so that these names
 * are icpgen's, and sha256.c calls Nettle by its real names.
 */
#ifndef UTIL_SHA256_H
#define UTIL_SHA256_H

#include <stdbool.h>
#include <stddef.h>

#include <nettle/sha2.h>

#undef sha256_init
#undef sha256_update
#undef sha256_digest

struct sha256 {
	struct sha256_ctx	 ctx;
};

void	sha256_init(struct sha256 *);
void	sha256_update(struct sha256 *, const void *, size_t);
void	sha256_final(struct sha256 *, unsigned char [32]);
/* The digest of data, in one call. */
void	sha256(const void *, size_t, unsigned char [32]);
/*
 * Feed the identity of the running program: its version, the bytes of
 * /proc/self/exe, and each shared library loaded (path, device, inode,
 * size, modification time: an upgraded library is a new file).  What a
 * cache made by one build of icpgen is keyed by, since another, or the
 * same one with another md4c or libgit2, may make other bytes.  Not the
 * binary's ctime or inode: a hard link to it (perf's build-id cache
 * makes one) or a copy changes those and nothing it does.  Worked out
 * once a process.  false when it cannot be told (then nothing should
 * be cached).
 */
bool	sha256_self(struct sha256 *);
/*
 * The regular file at path read whole (a block of xmalloc_big, to
 * free; its size in len) when it has min to max bytes (min at least
 * 32) and ends with a SHA-256 of the bytes before it; else NULL.
 */
char	*sha256_load(const char *, size_t, size_t, size_t *);

#endif
