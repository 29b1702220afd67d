/*
 * SHA-256 through Nettle (see sha256.h).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <string.h>

#include "util/sha256.h"

#ifndef ICPGEN_VERSION
#define ICPGEN_VERSION	""
#endif

void
sha256_init(struct sha256 *c)
{
	nettle_sha256_init(&c->ctx);
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	nettle_sha256_update(&c->ctx, len, data);
}

void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	nettle_sha256_digest(&c->ctx, SHA256_DIGEST_SIZE, out);
}

void
sha256(const void *data, size_t len, unsigned char out[32])
{
	struct sha256	c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

bool
sha256_self(struct sha256 *c)
{
	struct stat	st;
	char		num[160];

	if (stat("/proc/self/exe", &st) == -1)
		return false;
	snprintf(num, sizeof(num), "%s %llu %llu %lld %lld %lld",
	    ICPGEN_VERSION, (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino, (long long)st.st_size,
	    (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
	    (long long)st.st_ctim.tv_sec * 1000000000LL + st.st_ctim.tv_nsec);
	sha256_update(c, num, strlen(num) + 1);
	return true;
}
