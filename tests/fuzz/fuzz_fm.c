/*
 * Fuzz target for the YAML reader: split the input into front matter
 * and body, parse the front matter, then parse the whole input as a
 * configuration file.  Besides the sanitizers it checks what callers
 * rely on: a tree comes back exactly when no error was reported, and
 * every node is well formed (positions, strings, unique keys).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "parse/fm.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct val *v, int first, size_t depth)
{
	size_t	 i, j;

	if (v == NULL || v->file == NULL || strcmp(v->file, "f.md") != 0 ||
	    v->line < first || v->col < 1)
		abort();
	if ((v->kind == VAL_LIST || v->kind == VAL_MAP) &&
	    depth > FM_MAX_DEPTH)
		abort();
	switch (v->kind) {
	case VAL_NULL:
		break;
	case VAL_STR:
		if (v->str == NULL || strlen(v->str) != v->len)
			abort();
		break;
	case VAL_LIST:
		for (i = 0; i < v->n; i++)
			check(v->items[i], first, depth + 1);
		break;
	case VAL_MAP:
		for (i = 0; i < v->n; i++) {
			check(v->pairs[i].v, first, depth + 1);
			/* Keys are unique; small maps only, to stay fast. */
			for (j = 0; j < i && v->n < 64; j++)
				if (strcmp(v->pairs[i].key,
				    v->pairs[j].key) == 0)
					abort();
		}
		break;
	default:
		abort();
	}
}

static void
parse(struct arena *a, struct diags *d, const char *s, size_t n, int first)
{
	unsigned	 before = d->errors;
	struct val	*v;

	v = fm_parse(a, "f.md", s, n, first, d);
	if ((v == NULL) != (d->errors > before))
		abort();
	if (v != NULL) {
		if (v->kind != VAL_MAP)
			abort();
		check(v, first, 1);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*s = (const char *)data, *fm, *body;
	size_t		 fmlen, bodylen;
	int		 fmline, bodyline, rc;
	struct diags	 d;
	struct arena	*a;
	static FILE	*null;

	if (null == NULL && (null = fopen("/dev/null", "w")) == NULL)
		abort();
	diag_init(&d, null);
	a = arena_new();

	rc = fm_split(s, size, &fm, &fmlen, &fmline, &body, &bodylen,
	    &bodyline);
	if (body < s || body + bodylen != s + size || fm < s ||
	    fm + fmlen > body || bodyline < 1 || (rc != 0 && rc != -1))
		abort();
	if (rc == 0 && fmlen > 0) {
		if (fmline != 2 || bodyline < 3)
			abort();
		parse(a, &d, fm, fmlen, fmline);
	}
	parse(a, &d, s, size, 1);

	arena_free(a);
	diag_free(&d);
	return 0;
}
