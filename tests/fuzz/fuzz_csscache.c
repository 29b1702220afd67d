/*
 * Fuzz target for the stylesheet cache's parser (render/style.c), which
 * reads a file from the cache folder: whatever the bytes of a body, the
 * trace, the CSS and every record found lie inside them, and a body it
 * accepts, made again from what was found, is the same bytes.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "render/style.h"
#include "util/buf.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
inside(const void *p, size_t n, const void *lo, size_t len)
{
	const unsigned char *a = p, *b = lo;

	return a >= b && n <= len && (size_t)(a - b) <= len - n;
}

static void
put_len(struct buf *b, size_t n)
{
	uint32_t	v = (uint32_t)n;

	buf_put(b, (const char *)&v, 4);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const unsigned char *trace, *p;
	const char	*css;
	struct style_look l;
	struct buf	 again, body;
	size_t		 tn, cn;
	int		 r;

	if (!style_cache_split(data, len, &trace, &tn, &css, &cn))
		return 0;
	if (!inside(trace, tn, data, len) || !inside(css, cn, data, len) ||
	    memchr(css, '\0', cn) != NULL)
		abort();
	buf_init(&again);
	p = trace;
	while ((r = style_trace_next(&p, trace + tn, &l)) == 1) {
		if (!inside(l.path, l.len, trace, tn) || l.len == 0 ||
		    memchr(l.path, '\0', l.len) != NULL ||
		    !inside(l.found, 32, trace, tn) || !inside(p, 0, trace, tn))
			abort();
		buf_putc(&again, l.kind);
		put_len(&again, l.len);
		buf_put(&again, l.path, l.len);
		buf_put(&again, (const char *)l.found, 32);
	}
	if (r == 0) {	/* the whole trace: it encodes to the same bytes */
		buf_init(&body);
		put_len(&body, again.len);
		buf_put(&body, again.data, again.len);
		put_len(&body, cn);
		buf_put(&body, css, cn);
		if (body.len != len || memcmp(body.data, data, len) != 0)
			abort();
		buf_free(&body);
	}
	buf_free(&again);
	return 0;
}
