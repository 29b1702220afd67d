/*
 * Fuzz target for the template engine: the input is a template,
 * loaded with a fixed partial that it may include and a wrapper that
 * includes it, then rendered against a small fixed context.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "render/tmpl.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

struct input {
	const char	*data;
	size_t		 len;
};

static const char part[] =
    "<li>{{ loop.index }} {{ x | upper }}{% if loop.last %}!{% endif %}"
    "</li>{# partial #}";
static const char wrap[] =
    "<main>{% for x in items %}{% include 'fuzz.html' %}"
    "{% else %}none{% endfor %}</main>";

static int
readfn(void *arg, const char *name, const char **src, size_t *len,
    const char **path)
{
	const struct input *in = arg;

	*path = name;
	if (strcmp(name, "fuzz.html") == 0) {
		*src = in->data;
		*len = in->len;
	} else if (strcmp(name, "part.html") == 0) {
		*src = part;
		*len = sizeof(part) - 1;
	} else if (strcmp(name, "wrap.html") == 0) {
		*src = wrap;
		*len = sizeof(wrap) - 1;
	} else
		return -1;
	return 0;
}

static struct val *
f_twice(void *arg, struct arena *a, const struct val *in,
    const struct val *x)
{
	if (in->kind == VAL_NULL)
		return NULL;	/* exercises the failure path */
	return val_str(a, in->kind == VAL_STR ? in->str : "twice");
}

static struct val *
context(void)
{
	static struct arena *a;
	static struct val *ctx;
	struct val	*m, *l;

	if (ctx != NULL)
		return ctx;
	a = arena_new();
	ctx = val_map(a);
	val_set(a, ctx, "title", val_str(a, "A & <B> \"c\" 'd'"));
	val_set(a, ctx, "n", val_num(a, 42));
	val_set(a, ctx, "pi", val_num(a, 3.25));
	val_set(a, ctx, "yes", val_bool(a, true));
	val_set(a, ctx, "date", val_str(a, "2021-12-07"));
	val_set(a, ctx, "time", val_str(a, "14:30"));
	val_set(a, ctx, "html", val_str(a, "<b>x</b>"));
	l = val_list(a);
	val_push(a, l, val_str(a, "one"));
	val_push(a, l, val_str(a, "two"));
	val_push(a, l, val_num(a, 3));
	val_set(a, ctx, "items", l);
	m = val_map(a);
	val_set(a, m, "k", val_str(a, "v"));
	val_set(a, m, "list", l);
	val_set(a, ctx, "m", m);
	return ctx;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE	*null;
	struct input	 in;
	struct tmpl_set	*s;
	const struct tmpl *t;
	struct diags	 d;
	struct arena	*a;
	struct buf	 b;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		return 0;
	in.data = (const char *)data;
	in.len = size;
	diag_init(&d, null);
	s = tmpl_set_new(readfn, &in);
	tmpl_add_filter(s, "twice", f_twice, NULL);
	buf_init(&b);
	a = arena_new();
	if ((t = tmpl_get(s, "fuzz.html", &d)) != NULL)
		tmpl_render(t, context(), a, &b, &d);
	if ((t = tmpl_get(s, "wrap.html", &d)) != NULL)
		tmpl_render(t, context(), a, &b, &d);
	arena_free(a);
	buf_free(&b);
	tmpl_set_free(s);
	diag_free(&d);
	return 0;
}
