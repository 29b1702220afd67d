/*
 * Fuzz target for a record of the versions cache (model/hcache.c): the
 * bytes a build reads back from the cache folder.  Whatever they are,
 * the decoder stays inside them (ASan); hcache_top, which checks a
 * record without decoding it, says of it what hcache_decode makes of
 * it; and a record that decodes encodes to bytes that decode to the
 * same encoding again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/hcache.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/val.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* hcache_top's answer agrees with the decoded value v. */
static void
agree(const uint8_t *data, size_t len, const struct val *v)
{
	struct hcache_top t;
	size_t		 i;
	int		 rc = hcache_top(data, len, &t);

	if (len == 0 || data[0] != 'm') {
		if (rc != 0)
			abort();
		return;
	}
	if ((rc == 0 && v != NULL) || (rc == 1 && v == NULL))
		abort();
	if (rc != 1)
		return;
	if (v->kind != VAL_MAP || t.n != v->n)
		abort();
	for (i = 0; i < t.n; i++)
		if (t.e[i].len != strlen(v->pairs[i].key) ||
		    memcmp(t.e[i].key, v->pairs[i].key, t.e[i].len) != 0 ||
		    t.e[i].kind != hcache_kind(v->pairs[i].v))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct arena	*a = arena_new();
	struct val	*v = hcache_decode(a, data, len), *w;
	struct buf	 b, c;

	agree(data, len, v);
	if (v != NULL) {
		buf_init(&b);
		buf_init(&c);
		hcache_encode(&b, v);
		w = hcache_decode(a, (const unsigned char *)b.data, b.len);
		if (w == NULL)
			abort();
		hcache_encode(&c, w);
		if (b.len != c.len || memcmp(b.data, c.data, b.len) != 0)
			abort();
		buf_free(&b);
		buf_free(&c);
	}
	arena_free(a);
	return 0;
}
