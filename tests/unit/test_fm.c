/*
 * Unit tests of the YAML reader (parse/fm.c): values, positions,
 * refusals with their exact messages, and fm_split.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "parse/fm.h"

/* One parse: the tree, the messages printed and the error count. */
struct res {
	struct arena	*a;
	struct val	*v;
	char		*msgs;
	unsigned	 errors;
};

static void
parse_n(struct res *r, const char *s, size_t len, int first)
{
	struct diags	 d;
	FILE		*f;
	size_t		 n;

	memset(r, 0, sizeof(*r));
	r->a = arena_new();
	f = open_memstream(&r->msgs, &n);
	assert_non_null(f);
	diag_init(&d, f);
	r->v = fm_parse(r->a, "p.md", s, len, first, &d);
	r->errors = d.errors;
	diag_free(&d);
	fclose(f);
}

static void
parse(struct res *r, const char *s, int first)
{
	parse_n(r, s, strlen(s), first);
}

static void
done(struct res *r)
{
	arena_free(r->a);
	free(r->msgs);
}

/* Parse s, expecting exactly the messages want and no tree. */
static void
expect_errors(const char *s, int first, const char *want)
{
	struct res	 r;

	parse(&r, s, first);
	assert_string_equal(r.msgs, want);
	assert_null(r.v);
	assert_true(r.errors > 0);
	done(&r);
}

/* Parse s, expecting a tree and no messages. */
static struct val *
expect_ok(struct res *r, const char *s, int first)
{
	parse(r, s, first);
	assert_string_equal(r->msgs, "");
	assert_int_equal(r->errors, 0);
	assert_non_null(r->v);
	assert_int_equal(r->v->kind, VAL_MAP);
	return r->v;
}

static void
assert_str(const struct val *v, const char *s, int quoted)
{
	assert_non_null(v);
	assert_int_equal(v->kind, VAL_STR);
	assert_string_equal(v->str, s);
	assert_int_equal(v->len, strlen(s));
	assert_int_equal(v->quoted, quoted);
}

static void
assert_pos(const struct val *v, int line, int col)
{
	assert_non_null(v);
	assert_string_equal(v->file, "p.md");
	assert_int_equal(v->line, line);
	assert_int_equal(v->col, col);
}

static void
plain_scalars(void **state)
{
	struct res	 r;
	struct val	*m = expect_ok(&r,
	    "title: Hello, world\ncount: 42\nflag: true\ndate: 2024-01-31\n"
	    "url: http://x.org/a:b\nmulti: one\n  two\n", 1);

	assert_int_equal(m->n, 6);
	assert_string_equal(m->pairs[0].key, "title");
	assert_str(m->pairs[0].v, "Hello, world", 0);
	assert_str(val_get(m, "count"), "42", 0);
	assert_str(val_get(m, "flag"), "true", 0);
	assert_str(val_get(m, "date"), "2024-01-31", 0);
	assert_str(val_get(m, "url"), "http://x.org/a:b", 0);
	assert_str(val_get(m, "multi"), "one two", 0);
	done(&r);
}

static void
quoted_scalars(void **state)
{
	struct res	 r;
	struct val	*m = expect_ok(&r,
	    "a: 'it''s'\nb: \"tab\\there \\u00e9\"\nc: \"true\"\n"
	    "d: |\n  line one\n  line two\n"
	    "e: >\n  folded\n  text\n\n  para\n"
	    "f: |-\n  kept\ng: ''\n", 1);

	assert_str(val_get(m, "a"), "it's", 1);
	assert_str(val_get(m, "b"), "tab\there \xc3\xa9", 1);
	assert_str(val_get(m, "c"), "true", 1);
	assert_str(val_get(m, "d"), "line one\nline two\n", 1);
	assert_str(val_get(m, "e"), "folded text\npara\n", 1);
	assert_str(val_get(m, "f"), "kept", 1);
	assert_str(val_get(m, "g"), "", 1);
	done(&r);
}

static void
nulls(void **state)
{
	struct res	 r;
	struct val	*m = expect_ok(&r,
	    "a:\nb: ~\nc: null\nd: 'null'\ne: \"~\"\nf: NULL\ng: nil\n"
	    "h:\n  -\n  - ~\n", 1);

	assert_int_equal(val_get(m, "a")->kind, VAL_NULL);
	assert_int_equal(val_get(m, "b")->kind, VAL_NULL);
	assert_int_equal(val_get(m, "c")->kind, VAL_NULL);
	assert_str(val_get(m, "d"), "null", 1);
	assert_str(val_get(m, "e"), "~", 1);
	assert_int_equal(val_get(m, "f")->kind, VAL_NULL);
	assert_str(val_get(m, "g"), "nil", 0);
	assert_int_equal(val_get(m, "h")->n, 2);
	assert_int_equal(val_get(m, "h")->items[0]->kind, VAL_NULL);
	assert_int_equal(val_get(m, "h")->items[1]->kind, VAL_NULL);
	assert_pos(val_get(m, "a"), 1, 1);
	done(&r);
}

static void
nested(void **state)
{
	struct res	 r;
	struct val	*m = expect_ok(&r,
	    "site:\n  name: ICP\n  contact:\n    email: a@b.org\n"
	    "tags:\n  - health\n  - care\npeople:\n  - name: Ann\n"
	    "    role: chair\n  - name: Bob\nflow: {x: [1, 'two'], y: {}}\n",
	    1), *l, *p;

	assert_int_equal(m->n, 4);
	assert_string_equal(m->pairs[0].key, "site");
	assert_string_equal(m->pairs[3].key, "flow");
	assert_str(val_path(m, "site.name"), "ICP", 0);
	assert_str(val_path(m, "site.contact.email"), "a@b.org", 0);
	l = val_get(m, "tags");
	assert_int_equal(l->kind, VAL_LIST);
	assert_int_equal(l->n, 2);
	assert_str(l->items[0], "health", 0);
	assert_str(l->items[1], "care", 0);
	p = val_get(m, "people");
	assert_int_equal(p->n, 2);
	assert_int_equal(p->items[0]->kind, VAL_MAP);
	assert_str(val_get(p->items[0], "role"), "chair", 0);
	assert_str(val_get(p->items[1], "name"), "Bob", 0);
	l = val_path(m, "flow.x");
	assert_int_equal(l->n, 2);
	assert_str(l->items[1], "two", 1);
	assert_int_equal(val_path(m, "flow.y")->kind, VAL_MAP);
	assert_int_equal(val_path(m, "flow.y")->n, 0);
	done(&r);
}

/* Map values carry their key's position, items their own. */
static void
positions(void **state)
{
	struct res	 r;
	struct val	*m = expect_ok(&r,
	    "title:   Hello\nsite:\n  name: x\n  when:   'q'\nlist:\n"
	    "  - one\n  -   two\n  - k: v\n    k2: v2\n\xc3\xa9t\xc3\xa9: [a, b]\n",
	    2), *l;

	assert_pos(m, 2, 1);
	assert_pos(val_get(m, "title"), 2, 1);
	assert_pos(val_get(m, "site"), 3, 1);
	assert_pos(val_path(m, "site.name"), 4, 3);
	assert_pos(val_path(m, "site.when"), 5, 3);
	l = val_get(m, "list");
	assert_pos(l, 6, 1);
	assert_pos(l->items[0], 7, 5);
	assert_pos(l->items[1], 8, 7);
	assert_pos(l->items[2], 9, 5);
	assert_pos(val_get(l->items[2], "k2"), 10, 5);
	/* Columns count characters, not bytes. */
	l = val_get(m, "\xc3\xa9t\xc3\xa9");
	assert_pos(l, 11, 1);
	assert_pos(l->items[1], 11, 10);
	done(&r);
}

/* The file name is copied into the arena. */
static void
file_copied(void **state)
{
	struct arena	*a = arena_new();
	struct diags	 d;
	struct val	*v;
	char		 path[16];

	diag_init(&d, stderr);
	memcpy(path, "x/y.md", 7);
	v = fm_parse(a, path, "k: v\n", 5, 2, &d);
	memcpy(path, "zzzzzz", 7);
	assert_non_null(v);
	assert_string_equal(v->file, "x/y.md");
	assert_string_equal(val_get(v, "k")->file, "x/y.md");
	assert_ptr_not_equal(v->file, path);
	diag_free(&d);
	arena_free(a);
}

static void
empty_documents(void **state)
{
	static const char *const docs[] = { "", "\n\n", "# only a comment\n",
	    "---\n", "---\n...\n", "\xef\xbb\xbf", "   \n" };
	struct res	 r;
	struct val	*m;
	size_t		 i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		m = expect_ok(&r, docs[i], 5);
		assert_int_equal(m->n, 0);
		assert_int_equal(m->line, 5);
		done(&r);
	}
	/* len 0 with a NULL pointer is an empty document too. */
	parse_n(&r, NULL, 0, 1);
	assert_non_null(r.v);
	assert_int_equal(r.v->n, 0);
	done(&r);
}

static void
root_not_a_map(void **state)
{
	expect_errors("- a\n- b\n", 2,
	    "p.md:2:1: error: expected 'key: value' lines, found a list "
	    "(a document must be a mapping)\n");
	expect_errors("just some text\n", 2,
	    "p.md:2:1: error: expected 'key: value' lines, found the text "
	    "'just some text' (a document must be a mapping)\n");
	expect_errors("title:Foo\n", 2,
	    "p.md:2:1: error: missing space after ':' in 'title:Foo' "
	    "(write 'title: Foo')\n");
	expect_errors("'quoted'\n", 1,
	    "p.md:1:1: error: expected 'key: value' lines, found the text "
	    "'quoted' (a document must be a mapping)\n");
}

static void
anchors_aliases(void **state)
{
	expect_errors("base: &b\n  x: 1\nother: *b\nlist: &l [1]\n", 2,
	    "p.md:2:7: error: anchor '&b' is not allowed (write the value "
	    "out in full where it is needed)\n"
	    "p.md:4:8: error: alias '*b' is not allowed (write the value "
	    "out in full)\n"
	    "p.md:5:7: error: anchor '&l' is not allowed (write the value "
	    "out in full where it is needed)\n");
	/* An alias as a key. */
	expect_errors("a: &k key\n*k : 2\n", 1,
	    "p.md:1:4: error: anchor '&k' is not allowed (write the value "
	    "out in full where it is needed)\n"
	    "p.md:2:1: error: alias '*k' is not allowed (write the value "
	    "out in full)\n");
}

static void
tags(void **state)
{
	expect_errors("a: !!str 12\nb: !local x\nc: !!map {}\n", 1,
	    "p.md:1:4: error: tag '!!str' is not allowed (remove it; put "
	    "the value in quotes to keep it as text)\n"
	    "p.md:2:4: error: tag '!local' is not allowed (remove it; put "
	    "the value in quotes to keep it as text)\n"
	    "p.md:3:4: error: tag '!!map' is not allowed (remove it; put "
	    "the value in quotes to keep it as text)\n");
	expect_errors("a: !x!y 1\n", 1,
	    "p.md:1:4: error: tags are not allowed (remove the '!...' tag, "
	    "or put the value in quotes)\n");
}

static void
second_document(void **state)
{
	expect_errors("a: 1\n---\nb: 2\n", 1,
	    "p.md:2:1: error: a second document is not allowed (remove "
	    "this '---' line: a file holds one YAML document)\n");
	expect_errors("---\na: 1\n...\n---\nb: 2\n", 1,
	    "p.md:4:1: error: a second document is not allowed (remove "
	    "this '---' line: a file holds one YAML document)\n");
	/* One explicit document is fine. */
	{
		struct res	 r;

		expect_ok(&r, "---\na: 1\n...\n", 1);
		done(&r);
	}
}

static void
duplicate_keys(void **state)
{
	expect_errors("title: a\ndate: x\ntitle: b\n", 2,
	    "p.md:4:1: error: duplicate key 'title' (first given on line "
	    "2; remove one of them)\n");
	/* Nested maps, in one pass, and equal keys in sibling maps. */
	expect_errors("a:\n  x: 1\n  y: 2\n  x: 3\nb:\n  x: 1\nl:\n"
	    "  - k: 1\n    k: 2\n  - k: 3\nb: 5\n", 1,
	    "p.md:4:3: error: duplicate key 'x' (first given on line 2; "
	    "remove one of them)\n"
	    "p.md:9:5: error: duplicate key 'k' (first given on line 8; "
	    "remove one of them)\n"
	    "p.md:11:1: error: duplicate key 'b' (first given on line 5; "
	    "remove one of them)\n");
	/* Quoting does not make a key different. */
	expect_errors("a: 1\n'a': 2\n", 1,
	    "p.md:2:1: error: duplicate key 'a' (first given on line 1; "
	    "remove one of them)\n");
}

/* Many keys: the duplicate check must stay exact as its table grows. */
static void
many_keys(void **state)
{
	struct buf	 b;
	struct res	 r;
	int		 i;

	buf_init(&b);
	for (i = 0; i < 3000; i++)
		buf_printf(&b, "key%d: %d\n", i, i);
	parse(&r, b.data, 1);
	assert_non_null(r.v);
	assert_int_equal(r.v->n, 3000);
	assert_str(val_get(r.v, "key2999"), "2999", 0);
	assert_string_equal(r.v->pairs[1234].key, "key1234");
	done(&r);
	buf_puts(&b, "key1500: again\n");
	expect_errors(b.data, 1, "p.md:3001:1: error: duplicate key "
	    "'key1500' (first given on line 1501; remove one of them)\n");
	buf_free(&b);
}

static void
complex_keys(void **state)
{
	expect_errors("[a, b]: 1\n? {x: 1}\n: 2\nok: 3\n", 1,
	    "p.md:1:1: error: a list cannot be a key (keys must be text, "
	    "as in 'key: value')\n"
	    "p.md:2:3: error: a map cannot be a key (keys must be text, "
	    "as in 'key: value')\n");
	expect_errors("? \n: 2\n", 1,
	    "p.md:1:2: error: missing key before ':' (write 'key: value')\n");
}

/* "<<" is an ordinary key: no merging. */
static void
merge_key(void **state)
{
	struct res	 r;
	struct val	*m = expect_ok(&r, "<<: {a: 1}\nb: 2\n", 1);

	assert_int_equal(m->n, 2);
	assert_string_equal(m->pairs[0].key, "<<");
	assert_int_equal(val_get(m, "<<")->kind, VAL_MAP);
	assert_null(val_get(m, "a"));
	done(&r);
}

static void
nul_characters(void **state)
{
	expect_errors("a: \"x\\0y\"\n\"k\\0\": 1\n", 1,
	    "p.md:1:4: error: value contains a NUL character (remove the "
	    "\\0 escape)\n"
	    "p.md:2:1: error: key contains a NUL character (remove the "
	    "\\0 escape)\n");
}

/* Build a chain of n nested maps below the root ("a:\n b:\n  c: v"). */
static void
chain(struct buf *b, int n, int flow)
{
	int	 i;

	buf_reset(b);
	if (flow) {
		buf_puts(b, "k: ");
		for (i = 0; i < n; i++)
			buf_putc(b, '[');
		buf_putc(b, 'x');
		for (i = 0; i < n; i++)
			buf_putc(b, ']');
		buf_putc(b, '\n');
		return;
	}
	for (i = 0; i < n; i++)
		buf_printf(b, "%*sk%d:\n", i, "", i);
	buf_printf(b, "%*sleaf: v\n", n, "");
}

static void
depth_bound(void **state)
{
	struct buf	 b;
	struct res	 r;
	struct val	*v;
	int		 i;

	buf_init(&b);
	/* The root and FM_MAX_DEPTH - 1 maps below it: at the bound. */
	chain(&b, FM_MAX_DEPTH - 1, 0);
	v = expect_ok(&r, b.data, 1);
	for (i = 0; i < FM_MAX_DEPTH - 1; i++)
		v = v->pairs[0].v;
	assert_str(val_get(v, "leaf"), "v", 0);
	done(&r);
	/* One more is refused, at the collection that is too deep. */
	chain(&b, FM_MAX_DEPTH, 0);
	expect_errors(b.data, 1,
	    "p.md:8:8: error: nesting deeper than 8 levels is not allowed "
	    "(flatten the structure)\n");
	/* The same with flow lists. */
	chain(&b, FM_MAX_DEPTH - 1, 1);
	v = expect_ok(&r, b.data, 1);
	done(&r);
	chain(&b, FM_MAX_DEPTH, 1);
	expect_errors(b.data, 1,
	    "p.md:1:11: error: nesting deeper than 8 levels is not allowed "
	    "(flatten the structure)\n");
	/* Much deeper is one error, and parsing goes on after it. */
	chain(&b, 40, 1);
	buf_puts(&b, "a: 1\na: 2\n");
	expect_errors(b.data, 1,
	    "p.md:1:11: error: nesting deeper than 8 levels is not allowed "
	    "(flatten the structure)\n"
	    "p.md:3:1: error: duplicate key 'a' (first given on line 2; "
	    "remove one of them)\n");
	buf_free(&b);
}

static void
size_bound(void **state)
{
	char		*s = xmalloc(FM_MAX_BYTES + 2);
	struct res	 r;

	/* "k: xxx...x\n" of exactly FM_MAX_BYTES bytes. */
	memset(s, 'x', FM_MAX_BYTES + 1);
	memcpy(s, "k: ", 3);
	s[FM_MAX_BYTES - 1] = '\n';
	s[FM_MAX_BYTES] = '\0';
	parse(&r, s, 1);
	assert_non_null(r.v);
	assert_int_equal(val_get(r.v, "k")->len, FM_MAX_BYTES - 4);
	done(&r);
	s[FM_MAX_BYTES] = 'x';
	s[FM_MAX_BYTES + 1] = '\0';
	expect_errors(s, 2, "p.md:2: error: document is 65537 bytes, more "
	    "than the limit of 65536 (move long text out of it, e.g. into "
	    "the page body)\n");
	free(s);
}

static void
tab_indentation(void **state)
{
	expect_errors("a:\n\tb: 1\n", 2,
	    "p.md:3:1: error: tab character in indentation (indent with "
	    "spaces: YAML does not allow tabs)\n");
	expect_errors("a: 1\n\tb: 2\n", 1,
	    "p.md:2:1: error: tab character in indentation (indent with "
	    "spaces: YAML does not allow tabs)\n");
	expect_errors("a: |\n  text\n\tmore\n", 1,
	    "p.md:3:1: error: tab character in indentation (indent with "
	    "spaces: YAML does not allow tabs)\n");
	/* A tab after the colon is only a separator. */
	{
		struct res	 r;

		expect_ok(&r, "a:\tvalue\n", 1);
		assert_str(val_get(r.v, "a"), "value", 0);
		done(&r);
	}
}

static void
missing_space(void **state)
{
	expect_errors("a: 1\ntitle:Foo\nb: 2\n", 2,
	    "p.md:3:1: error: missing space after ':' in 'title:Foo' "
	    "(write 'title: Foo')\n");
	expect_errors("title:Foo\ndate: 2024-01-01\n", 2,
	    "p.md:2:1: error: missing space after ':' in 'title:Foo' "
	    "(write 'title: Foo')\n");
	expect_errors("a: 1\njust text\n", 1,
	    "p.md:2:1: error: expected 'key: value' (add ':' after the key, "
	    "or indent a continued value under it)\n");
}

static void
colon_in_value(void **state)
{
	expect_errors("title: Agenda: June\n", 1,
	    "p.md:1:14: error: unexpected ':' in a value (put quotes around "
	    "a value that contains ': ')\n");
}

static void
bad_indentation(void **state)
{
	expect_errors("a:\n  b: 1\n c: 2\n", 1,
	    "p.md:3:2: error: this line is indented differently from the "
	    "keys above (did you indent with tabs or misalign?)\n");
	expect_errors("a: 1\n  b: 2\n", 1,
	    "p.md:2:3: error: key 'b' is indented more than the keys above "
	    "(align it with them; did you indent with tabs or misalign?)\n");
	expect_errors("l:\n  - a\n  b: 1\n", 1,
	    "p.md:3:3: error: expected a '- ' list item here (a list and "
	    "'key: value' lines cannot be mixed at one level; did you "
	    "indent with tabs or misalign?)\n");
	expect_errors("a: - b\n", 1,
	    "p.md:1:4: error: a list cannot start on the line of its key "
	    "(put each '- item' on a line of its own, indented under the "
	    "key)\n");
}

static void
quotes(void **state)
{
	expect_errors("a: 1\nb: \"open\nc: 2\n", 1,
	    "p.md:2:4: error: quoted value is never closed (add the "
	    "closing \")\n");
	expect_errors("b: 'open\n", 3,
	    "p.md:3:4: error: quoted value is never closed (add the "
	    "closing ')\n");
	expect_errors("a: 'it's'\n", 1,
	    "p.md:1:8: error: unexpected text after a closing quote (quote "
	    "the whole value; inside single quotes write '' for ', inside "
	    "double quotes write \\\" for \")\n");
	expect_errors("a: \"C:\\dir\"\n", 1,
	    "p.md:1:7: error: unknown escape '\\d' in a double-quoted value "
	    "(write \\\\ for a backslash, or use single quotes)\n");
}

static void
flow_errors(void **state)
{
	expect_errors("a: [1, 2\nb: 3\n", 1,
	    "p.md:2:2: error: expected ',' or ']' in the list opened on "
	    "line 1 (close it with ']' and separate items with ',')\n");
	expect_errors("a: {x: 1\n", 4,
	    "p.md:5:1: error: expected ',' or '}' in the map opened on "
	    "line 4 (close it with '}' and separate entries with ',')\n");
	expect_errors("a: @me\n", 1,
	    "p.md:1:4: error: a value cannot start with '@' (put the value "
	    "in quotes)\n");
	expect_errors("a: 1\n]\n", 1,
	    "p.md:2:1: error: unexpected ']' where a key was expected "
	    "(write 'key: value', quoting values that start with a "
	    "symbol)\n");
}

/* Errors found before a syntax error are all reported, then it. */
static void
errors_then_syntax(void **state)
{
	expect_errors("a: !!int 1\na: 2\nb: [1\n", 1,
	    "p.md:1:4: error: tag '!!int' is not allowed (remove it; put "
	    "the value in quotes to keep it as text)\n"
	    "p.md:2:1: error: duplicate key 'a' (first given on line 1; "
	    "remove one of them)\n"
	    "p.md:4:1: error: expected ',' or ']' in the list opened on "
	    "line 3 (close it with ']' and separate items with ',')\n");
}

static void
encoding(void **state)
{
	expect_errors("a: ok\nb: caf\xe9\n", 2,
	    "p.md:3:7: error: invalid UTF-8 byte 0xE9 (save the file as "
	    "UTF-8)\n");
	expect_errors("a: \xc3\xa9\xc3\xa9 \xff\n", 1,
	    "p.md:1:7: error: invalid UTF-8 byte 0xFF (save the file as "
	    "UTF-8)\n");
	/* A sequence cut short is named and placed by its first byte. */
	expect_errors("t: \"ab\xc3hcd\"\n", 1,
	    "p.md:1:7: error: invalid UTF-8 byte 0xC3 (save the file as "
	    "UTF-8)\n");
	expect_errors("t: ab\xe2\x82z\n", 1,
	    "p.md:1:6: error: invalid UTF-8 byte 0xE2 (save the file as "
	    "UTF-8)\n");
	expect_errors("a: x\x01y\n", 1,
	    "p.md:1:5: error: control character U+0001 is not allowed "
	    "(remove it, or write it as an escape such as \"\\t\" in a "
	    "double-quoted value)\n");
	expect_errors("a: \"\xed\xa0\x80\"\n", 1,
	    "p.md:1:5: error: invalid Unicode character U+D800 (save the "
	    "file as UTF-8)\n");
	/* A NUL byte in the text (not an escape) is a control character. */
	{
		struct res	 r;

		parse_n(&r, "a: x\0y\n", 7, 1);
		assert_null(r.v);
		assert_string_equal(r.msgs, "p.md:1:5: error: control "
		    "character U+0000 is not allowed (remove it, or write it "
		    "as an escape such as \"\\t\" in a double-quoted value)\n");
		done(&r);
	}
}

static void
bom_and_crlf(void **state)
{
	struct res	 r;
	struct val	*m;

	m = expect_ok(&r, "\xef\xbb\xbf" "a: 1\nb: 2\n", 1);
	assert_pos(val_get(m, "a"), 1, 1);
	assert_pos(val_get(m, "b"), 2, 1);
	done(&r);
	m = expect_ok(&r, "a: x y\r\nb: |\r\n  one\r\n  two\r\nc:\r\n"
	    "  - 1\r\n", 2);
	assert_str(val_get(m, "a"), "x y", 0);
	assert_str(val_get(m, "b"), "one\ntwo\n", 1);
	assert_pos(val_get(m, "c"), 6, 1);
	assert_pos(val_get(m, "c")->items[0], 7, 5);
	done(&r);
	expect_errors("a: 1\r\nb: 2\r\na: 3\r\n", 1,
	    "p.md:3:1: error: duplicate key 'a' (first given on line 1; "
	    "remove one of them)\n");
}

/* A helper for fm_split checks. */
struct split {
	int		 rc;
	const char	*fm, *body;
	size_t		 fmlen, bodylen;
	int		 fmline, bodyline;
};

static void
split(struct split *s, const char *text)
{
	s->rc = fm_split(text, strlen(text), &s->fm, &s->fmlen, &s->fmline,
	    &s->body, &s->bodylen, &s->bodyline);
}

static void
assert_split(const char *text, int rc, const char *fm, int fmline,
    const char *body, int bodyline)
{
	struct split	 s;

	split(&s, text);
	assert_int_equal(s.rc, rc);
	assert_int_equal(s.fmlen, strlen(fm));
	assert_memory_equal(s.fm, fm, s.fmlen);
	assert_int_equal(s.fmline, fmline);
	assert_int_equal(s.bodylen, strlen(body));
	assert_memory_equal(s.body, body, s.bodylen);
	assert_int_equal(s.bodyline, bodyline);
	assert_true(s.body + s.bodylen == text + strlen(text));
}

static void
split_basic(void **state)
{
	assert_split("---\ntitle: x\ndate: y\n---\n# Body\n\ntext\n", 0,
	    "title: x\ndate: y\n", 2, "# Body\n\ntext\n", 5);
	/* No front matter: everything is body. */
	assert_split("# Title\n---\nmore\n", 0, "", 1,
	    "# Title\n---\nmore\n", 1);
	assert_split("", 0, "", 1, "", 1);
	/* "---" must be alone on the first line. */
	assert_split("---x\na: 1\n---\n", 0, "", 1, "---x\na: 1\n---\n", 1);
	assert_split("----\na: 1\n---\n", 0, "", 1, "----\na: 1\n---\n", 1);
	assert_split(" ---\na: 1\n---\n", 0, "", 1, " ---\na: 1\n---\n", 1);
	assert_split("---", 0, "", 1, "---", 1);
}

static void
split_fences(void **state)
{
	/* Closing with "...", with trailing blanks, at the end of file. */
	assert_split("---\na: 1\n...\nbody\n", 0, "a: 1\n", 2, "body\n", 4);
	assert_split("---  \na: 1\n--- \t\nbody\n", 0, "a: 1\n", 2,
	    "body\n", 4);
	assert_split("---\na: 1\n---", 0, "a: 1\n", 2, "", 4);
	/* Only the first closing fence counts: "---" in the body stays. */
	assert_split("---\na: 1\n---\ntext\n---\nmore\n", 0, "a: 1\n", 2,
	    "text\n---\nmore\n", 4);
	/* Lines that merely start like a fence do not close. */
	assert_split("---\na: 1\n----\n--- x\n---\nb\n", 0,
	    "a: 1\n----\n--- x\n", 2, "b\n", 6);
	/* Empty front matter. */
	assert_split("---\n---\nbody\n", 0, "", 2, "body\n", 3);
}

static void
split_unclosed(void **state)
{
	struct split	 s;

	split(&s, "---\ntitle: x\n\nbody text\n");
	assert_int_equal(s.rc, -1);
	assert_int_equal(s.fmlen, 0);
	assert_int_equal(s.bodyline, 1);
	split(&s, "---\n");
	assert_int_equal(s.rc, -1);
	split(&s, "---\n..x\n-- -\n");
	assert_int_equal(s.rc, -1);
}

static void
split_bom_crlf(void **state)
{
	assert_split("\xef\xbb\xbf---\r\na: 1\r\n---\r\nbody\r\n", 0,
	    "a: 1\r\n", 2, "body\r\n", 4);
	/* Without front matter the BOM is not part of the body. */
	assert_split("\xef\xbb\xbf# Hi\n", 0, "", 1, "# Hi\n", 1);
	assert_split("---\r\na: 1\r\n...\r\n", 0, "a: 1\r\n", 2, "", 4);
}

/* fm_split and fm_parse together give file lines. */
static void
split_then_parse(void **state)
{
	static const char text[] = "---\n# comment\ntitle: x\ntags:\n"
	    "  - a\n---\nbody\n";
	struct split	 s;
	struct res	 r;
	struct val	*m;

	split(&s, text);
	assert_int_equal(s.rc, 0);
	parse_n(&r, s.fm, s.fmlen, s.fmline);
	m = r.v;
	assert_non_null(m);
	assert_pos(val_get(m, "title"), 3, 1);
	assert_pos(val_get(m, "tags")->items[0], 5, 5);
	done(&r);
	split(&s, "---\na: 1\nb: [\n---\n");
	parse_n(&r, s.fm, s.fmlen, s.fmline);
	assert_string_equal(r.msgs, "p.md:4:1: error: expected a value here "
	    "(put quotes around text that starts with a symbol)\n");
	done(&r);
}

/* Messages libyaml gives that have no translation keep their words. */
static void
untranslated(void **state)
{
	expect_errors("a: |0\n  x\n", 1,
	    "p.md:1:5: error: invalid YAML: found an indentation indicator "
	    "equal to 0 while scanning a block scalar (check the quoting "
	    "and indentation here)\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_scalars),
		cmocka_unit_test(quoted_scalars),
		cmocka_unit_test(nulls),
		cmocka_unit_test(nested),
		cmocka_unit_test(positions),
		cmocka_unit_test(file_copied),
		cmocka_unit_test(empty_documents),
		cmocka_unit_test(root_not_a_map),
		cmocka_unit_test(anchors_aliases),
		cmocka_unit_test(tags),
		cmocka_unit_test(second_document),
		cmocka_unit_test(duplicate_keys),
		cmocka_unit_test(many_keys),
		cmocka_unit_test(complex_keys),
		cmocka_unit_test(merge_key),
		cmocka_unit_test(nul_characters),
		cmocka_unit_test(depth_bound),
		cmocka_unit_test(size_bound),
		cmocka_unit_test(tab_indentation),
		cmocka_unit_test(missing_space),
		cmocka_unit_test(colon_in_value),
		cmocka_unit_test(bad_indentation),
		cmocka_unit_test(quotes),
		cmocka_unit_test(flow_errors),
		cmocka_unit_test(errors_then_syntax),
		cmocka_unit_test(encoding),
		cmocka_unit_test(bom_and_crlf),
		cmocka_unit_test(split_basic),
		cmocka_unit_test(split_fences),
		cmocka_unit_test(split_unclosed),
		cmocka_unit_test(split_bom_crlf),
		cmocka_unit_test(split_then_parse),
		cmocka_unit_test(untranslated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
