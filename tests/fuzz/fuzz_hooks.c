/*
 * Fuzz target for the hooks: the input chooses a hook point (config,
 * page, pages, a filter or a shortcode) and describes a Lua value,
 * which a hook file built from it returns there (or stores into the
 * value it was given).  Whatever comes back must be converted or
 * refused with an error, never crash: every type, nesting, cycles,
 * shared tables, holes, odd keys, NaN, huge numbers, NUL bytes and
 * functions.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "hooks/hooks.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct gen {
	const uint8_t	*p, *end;
	struct buf	*b;
	int		 nodes;
};

static unsigned
next(struct gen *g)
{
	return g->p < g->end ? *g->p++ : 0;
}

static const char *const keys[] = { "title", "status", "tags", "url",
    "pages", "data", "body", "template", "config", "name", "x", "" };
static const char *const numbers[] = { "0/0", "1/0", "-1/0", "1e308",
    "2^53", "-0.0", "math.mininteger", "math.maxinteger", "0.5", "7" };

/* Append a Lua expression for a value described by the input. */
static void
value(struct gen *g, int depth)
{
	unsigned	 k = next(g), n, i;

	if (++g->nodes > 200 || depth > 40)
		k = 0;
	switch (k % 14) {
	case 0:
		buf_puts(g->b, "nil");
		break;
	case 1:
		buf_puts(g->b, k & 16 ? "true" : "false");
		break;
	case 2:
		buf_printf(g->b, "%d", (int)(next(g) << 8 | next(g)) - 30000);
		break;
	case 3:
		buf_puts(g->b, numbers[next(g) % 10]);
		break;
	case 4:
		n = next(g) % 24;
		buf_putc(g->b, '"');
		for (i = 0; i < n; i++)
			buf_printf(g->b, "\\%u", next(g));
		buf_putc(g->b, '"');
		break;
	case 5:
	case 6:
		n = next(g) % 5;
		buf_putc(g->b, '{');
		for (i = 0; i < n; i++) {
			if (k % 14 == 6)
				buf_printf(g->b, "[\"%s\"]=",
				    keys[next(g) % 12]);
			value(g, depth + 1);
			buf_putc(g->b, ',');
		}
		buf_putc(g->b, '}');
		break;
	case 7:
		buf_puts(g->b, "{1, x = ");
		value(g, depth + 1);
		buf_putc(g->b, '}');
		break;
	case 8:
		buf_puts(g->b, next(g) & 1 ? "{[1] = 1, [3] = 3}" :
		    "{[1.5] = 1}");
		break;
	case 9:
		buf_puts(g->b, next(g) & 1 ? "function () end" : "print");
		break;
	case 10:
		buf_puts(g->b, "icp.null");
		break;
	case 11:
		buf_puts(g->b, "(function () local t = {} t.self = t "
		    "return t end)()");
		break;
	case 12:
		buf_puts(g->b, "SHARED");
		break;
	case 13:
		buf_printf(g->b, "(\"x\"):rep(%u)", next(g) * 4096);
		break;
	}
}

static struct val *
sample_page(struct arena *a)
{
	struct val	*p = val_map(a), *tags = val_list(a), *m = val_map(a);

	val_set(a, p, "title", val_str(a, "Board"));
	val_set(a, p, "status", val_str(a, "held"));
	val_push(a, tags, val_str(a, "a"));
	val_set(a, p, "tags", tags);
	val_set(a, m, "n", val_num(a, 3));
	val_set(a, p, "data", m);
	val_set(a, p, "pages", val_list(a));
	return p;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hook_limits lim = { 2000000, 32u << 20, 5, 50 };
	static const char *const points[] = { "config", "page", "pages" };
	struct gen	 g = { data, data + size, NULL, 0 };
	struct arena	*a = arena_new();
	struct diags	 d;
	struct hooks	*h;
	struct buf	 src;
	struct val	*v;
	FILE		*null = fopen("/dev/null", "w");
	unsigned	 point = next(&g), how = next(&g);

	buf_init(&src);
	g.b = &src;
	diag_init(&d, null);
	buf_puts(&src, "SHARED = { 'shared', { 1, 2 } }\nlocal V = ");
	value(&g, 0);
	buf_puts(&src, "\n");
	switch (point % 5) {
	case 3:
		buf_puts(&src, "icp.filter('f', function (v, a) return V end)\n");
		break;
	case 4:
		buf_puts(&src, "icp.shortcode('s', function (a, p) return V "
		    "end)\n");
		break;
	default:
		buf_printf(&src, "icp.hook('%s', function (p)\n",
		    points[point % 5]);
		if (how % 3 == 0)
			buf_puts(&src, "  return V\n");
		else if (how % 3 == 1)
			buf_puts(&src, "  p.title = V\n");
		else
			buf_puts(&src, "  p.pages = { V, { url = V, title = V }"
			    " }\n");
		buf_puts(&src, "end)\n");
	}
	if ((h = hooks_new(&lim, NULL, NULL)) != NULL &&
	    hooks_load(h, "hooks/fuzz.lua", src.data, src.len, &d) == 0) {
		v = sample_page(a);
		if (point % 5 == 3)
			hooks_filter_call(h, "f", a, v, val_str(a, "x"), &d);
		else if (point % 5 == 4)
			hooks_filter_call(h, "@s", a, val_list(a), v, &d);
		else
			hooks_call_on(h, points[point % 5], "pages/fuzz.md", a,
			    &v, &d);
	}
	hooks_free(h);
	diag_free(&d);
	fclose(null);
	buf_free(&src);
	arena_free(a);
	return 0;
}
