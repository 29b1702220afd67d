/*
 * Tests of the parse cache: front matter comes back exactly as parsed
 * (values, positions, quoting, the file they came from); a page is
 * found only by its path, kind and blob id; a damaged value or file is
 * refused without a crash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/pcache.h"
#include "parse/fm.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"

#define SOURCE	"meetings/2026-01-14-icp/finance.md"

static const char yaml[] =
    "title: \"Finance report, month 9\"\n"
    "item: 2\n"
    "summary: The system expects to break even.\n"
    "attachments:\n"
    "  - file: appendix.csv\n"
    "    title: Appendix A\n"
    "  - file: report.pdf\n"
    "withdrawn: false\n"
    "nested: {a: [1, 2, {b: ~}]}\n";

static struct val *
parsed(struct arena *a, const char *source)
{
	struct diags	 d;
	struct val	*v;

	diag_init(&d, NULL);
	v = fm_parse(a, source, yaml, strlen(yaml), 2, &d);
	assert_int_equal(d.errors, 0);
	diag_free(&d);
	assert_non_null(v);
	return v;
}

static void
round_trip(void **state)
{
	struct arena	*a = arena_new();
	struct val	*v, *w, *t;
	struct buf	 b, c;
	const char	*p, *source;

	(void)state;
	buf_init(&b);
	buf_init(&c);
	v = parsed(a, SOURCE);
	assert_true(pcache_encode(&b, v, SOURCE));
	/* Decoded against another copy of the path, as a build does. */
	source = arena_strdup(a, SOURCE);
	p = b.data;
	w = pcache_decode(&p, b.data + b.len, a, source);
	assert_non_null(w);
	assert_ptr_equal(p, b.data + b.len);
	assert_true(pcache_encode(&c, w, source));
	assert_int_equal(b.len, c.len);
	assert_memory_equal(b.data, c.data, b.len);
	/* What the encoding holds, checked against the tree itself. */
	t = val_get(w, "title");
	assert_string_equal(t->str, "Finance report, month 9");
	assert_true(t->quoted);
	assert_false(val_get(w, "item")->quoted);
	assert_int_equal(t->line, val_get(v, "title")->line);
	assert_int_equal(val_get(w, "summary")->line, 4);
	assert_int_equal(val_get(w, "summary")->col,
	    val_get(v, "summary")->col);
	assert_ptr_equal(t->file, source);
	assert_int_equal(val_get(w, "attachments")->n, 2);
	assert_string_equal(val_get_str(val_get(w, "attachments")->items[0],
	    "title"), "Appendix A");
	assert_non_null(val_path(w, "nested.a"));
	buf_free(&b);
	buf_free(&c);
	arena_free(a);
}

/* Every cut short, and every byte changed, is refused or harmless. */
static void
damaged(void **state)
{
	struct arena	*a = arena_new();
	struct buf	 b, x;
	const char	*p;
	size_t		 i;

	(void)state;
	buf_init(&b);
	buf_init(&x);
	assert_true(pcache_encode(&b, parsed(a, SOURCE), SOURCE));
	for (i = 0; i < b.len; i++) {
		p = b.data;
		assert_null(pcache_decode(&p, b.data + i, a, SOURCE));
	}
	for (i = 0; i < b.len; i++) {
		buf_reset(&x);
		buf_put(&x, b.data, b.len);
		x.data[i] ^= 0x5a;
		p = x.data;
		(void)pcache_decode(&p, x.data + x.len, a, SOURCE);
	}
	buf_free(&b);
	buf_free(&x);
	arena_free(a);
}

/* Values not as the parser makes them are not kept. */
static void
not_parsed(void **state)
{
	struct arena	*a = arena_new();
	struct val	*v = parsed(a, SOURCE), *s;
	struct buf	 b;

	(void)state;
	buf_init(&b);
	assert_false(pcache_encode(&b, v, "another/file.md"));
	assert_int_equal(b.len, 0);
	s = val_str(a, "from Lua");
	s->untrusted = true;
	val_set(a, v, "hooked", s);
	assert_false(pcache_encode(&b, v, SOURCE));
	assert_int_equal(b.len, 0);
	buf_free(&b);
	arena_free(a);
}

static void
file_round_trip(void **state)
{
	char		 dir[] = "/tmp/test_pcache.XXXXXX", path[64];
	unsigned char	 id[20], other[20];
	struct arena	*a = arena_new();
	struct pcache	*pc;
	struct pcache_page pg, got;
	FILE		*f;
	long		 size;
	int		 c;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/parsed", dir);
	memset(id, 7, sizeof(id));
	memset(other, 8, sizeof(other));
	pg.fm = parsed(a, SOURCE);
	pg.body_line = 13;
	pg.body_off = 321;

	pc = pcache_open(path);
	assert_false(pcache_get(pc, SOURCE, 3, id, a, SOURCE, &got));
	assert_true(pcache_put(pc, SOURCE, 3, id, SOURCE, &pg));
	assert_int_equal(pcache_save(pc), 0);
	pcache_free(pc);

	pc = pcache_open(path);
	assert_true(pcache_get(pc, SOURCE, 3, id, a, SOURCE, &got));
	assert_int_equal(got.body_line, 13);
	assert_int_equal(got.body_off, 321);
	assert_string_equal(val_get_str(got.fm, "title"),
	    "Finance report, month 9");
	assert_false(pcache_get(pc, SOURCE, 3, other, a, SOURCE, &got));
	assert_false(pcache_get(pc, SOURCE, 4, id, a, SOURCE, &got));
	assert_false(pcache_get(pc, "news/x.md", 3, id, a, "news/x.md",
	    &got));
	pcache_free(pc);

	/* One byte changed anywhere: the file is not used. */
	f = fopen(path, "r+");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size / 2, SEEK_SET);
	c = fgetc(f);
	fseek(f, size / 2, SEEK_SET);
	fputc(c ^ 1, f);
	fclose(f);
	pc = pcache_open(path);
	assert_false(pcache_get(pc, SOURCE, 3, id, a, SOURCE, &got));
	pcache_free(pc);

	unlink(path);
	rmdir(dir);
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(damaged),
		cmocka_unit_test(not_parsed),
		cmocka_unit_test(file_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
