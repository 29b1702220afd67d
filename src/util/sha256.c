/*
 * SHA-256 through Nettle (see sha256.h).
 */
#include "util/sha256.h"

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
