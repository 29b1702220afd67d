/*
 * Fuzz target for the parse cache's value decoder (model/pcache.c),
 * which reads a file from the cache folder: whatever the bytes, it
 * must stay inside them, and a value it accepts must encode again and
 * decode to the same encoding (what a later build would write).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/pcache.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/val.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static const char source[] = "pages/fuzz.md";
	struct arena	*a = arena_new();
	struct buf	 b, c;
	struct val	*v, *w;
	const char	*p = (const char *)data;

	buf_init(&b);
	buf_init(&c);
	if ((v = pcache_decode(&p, (const char *)data + len, a,
	    source)) != NULL) {
		if (p < (const char *)data || p > (const char *)data + len)
			abort();
		if (!pcache_encode(&b, v, source))
			abort();
		p = b.data;
		if ((w = pcache_decode(&p, b.data + b.len, a, source)) ==
		    NULL || p != b.data + b.len ||
		    !pcache_encode(&c, w, source) || c.len != b.len ||
		    memcmp(b.data, c.data, b.len) != 0)
			abort();
	}
	buf_free(&b);
	buf_free(&c);
	arena_free(a);
	return 0;
}
