/*
 * Unit tests of model/schema.c: every check and its message.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "model/schema.h"

static const char *const colours[] = { "red", "amber", "green", NULL };
static const struct field f_str = { "tag", F_STRING, false, NULL, NULL,
    NULL, NULL };
static const struct field inner_fields[] = {
	{ "email", F_EMAIL, true, NULL, NULL, NULL, NULL },
	{ NULL, F_ANY, false, NULL, NULL, NULL, NULL },
};
static const struct schema inner = { "contact", inner_fields };
static const struct field fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, "a short name" },
	{ "date", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "start", F_TIME, false, NULL, NULL, NULL, NULL },
	{ "public", F_BOOL, false, NULL, NULL, NULL, NULL },
	{ "value", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "days", F_DAYS, false, NULL, NULL, NULL, NULL },
	{ "rag", F_ENUM, false, colours, NULL, NULL, NULL },
	{ "committee", F_ID, false, NULL, NULL, NULL, NULL },
	{ "online", F_URL, false, NULL, NULL, NULL, NULL },
	{ "colour", F_COLOUR, false, NULL, NULL, NULL, NULL },
	{ "tags", F_LIST, false, NULL, &f_str, NULL, NULL },
	{ "contact", F_MAP, false, NULL, NULL, &inner, NULL },
	{ NULL, F_ANY, false, NULL, NULL, NULL, NULL },
};
static const struct schema meeting = { "meeting", fields };

struct fix {
	struct arena	*a;
	struct diags	 d;
	char		*text;
	size_t		 len;
	FILE		*f;
};

static int
setup(void **state)
{
	struct fix	*x = xcalloc(1, sizeof(*x));

	x->a = arena_new();
	x->f = open_memstream(&x->text, &x->len);
	diag_init(&x->d, x->f);
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*x = *state;

	fclose(x->f);
	free(x->text);
	diag_free(&x->d);
	arena_free(x->a);
	free(x);
	return 0;
}

/* A scalar at a position, as the YAML reader makes them. */
static struct val *
at(struct fix *x, const char *s, int line, int quoted)
{
	struct val	*v = val_str(x->a, s);

	v->file = "m.md";
	v->line = line;
	v->col = 1;
	v->quoted = quoted;
	return v;
}

static struct val *
map(struct fix *x)
{
	struct val	*m = val_map(x->a);

	m->file = "m.md";
	m->line = 2;
	m->col = 1;
	return m;
}

static const char *
out(struct fix *x)
{
	fflush(x->f);
	return x->text;
}

static void
valid_map_normalises(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x);

	val_set(x->a, m, "title", at(x, "Board", 2, 0));
	val_set(x->a, m, "date", at(x, "2025-03-12", 3, 0));
	val_set(x->a, m, "public", at(x, "true", 4, 0));
	val_set(x->a, m, "value", at(x, "-12.5", 5, 0));
	val_set(x->a, m, "rag", at(x, "amber", 6, 0));
	val_set(x->a, m, "colour", at(x, "#00703C", 7, 1));
	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 0);
	assert_int_equal(val_get(m, "public")->kind, VAL_BOOL);
	assert_true(val_get(m, "public")->b);
	assert_int_equal(val_get(m, "value")->kind, VAL_NUM);
	assert_true(val_get(m, "value")->num == -12.5);
	assert_string_equal(out(x), "");
}

/* Numbers are written as people write them: not nan, inf or hex. */
static void
numbers_plain(void **state)
{
	struct fix	*x = *state;
	static const char *const bad[] = { "nan", "inf", "-Infinity", "0x10",
	    " 5", "1e999", "1e", ".", "+" };
	static const char *const good[] = { "5", "-0.25", ".5", "5.", "1e3",
	    "+2", "2.5E-2" };
	struct val	*m;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		m = map(x);
		val_set(x->a, m, "title", at(x, "Board", 2, 0));
		val_set(x->a, m, "value", at(x, bad[i], 3, 0));
		assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 1);
	}
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		m = map(x);
		val_set(x->a, m, "title", at(x, "Board", 2, 0));
		val_set(x->a, m, "value", at(x, good[i], 3, 0));
		assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 0);
		assert_int_equal(val_get(m, "value")->kind, VAL_NUM);
	}
}

/*
 * A rule's working days are a whole number the site can print as the
 * rule: not negative, not a fraction, not a year and more.
 */
static void
days_whole(void **state)
{
	struct fix	*x = *state;
	static const char *const bad[] = { "-1", "2.5", "251", "1e3", "ten",
	    "nan", "-0.5" };
	static const char *const good[] = { "0", "5", "250", "5.0", "2.5e1" };
	struct val	*m;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		m = map(x);
		val_set(x->a, m, "title", at(x, "Board", 2, 0));
		val_set(x->a, m, "days", at(x, bad[i], 3, 0));
		assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 1);
	}
	assert_non_null(strstr(out(x), "m.md:3:1: error: 'days' should be a "
	    "whole number of working days from 0 to 250, not '-1'\n"));
	for (i = 0; i < sizeof(good) / sizeof(*good); i++) {
		m = map(x);
		val_set(x->a, m, "title", at(x, "Board", 2, 0));
		val_set(x->a, m, "days", at(x, good[i], 3, 0));
		assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 0);
		assert_int_equal(val_get(m, "days")->kind, VAL_NUM);
	}
}

static void
blank_line_is_absent(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x), *tags;

	/* A line of spaces of any kind is no value: none is printed. */
	val_set(x->a, m, "title", at(x, "Board", 2, 0));
	tags = val_list(x->a);
	val_push(x->a, tags, at(x, " \xc2\xa0 ", 4, 3));
	val_set(x->a, m, "tags", tags);
	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 0);
	assert_int_equal(tags->items[0]->kind, VAL_NULL);
	assert_string_equal(out(x), "");
}

static void
addresses_escaped(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x);

	/* A Teams or SharePoint address: '|', '{' and '}' are escaped. */
	val_set(x->a, m, "title", at(x, "Board", 2, 0));
	val_set(x->a, m, "online", at(x, "https://x.org/j?id={8F2A}&v=a|b",
	    3, 0));
	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 0);
	assert_string_equal(val_get(m, "online")->str,
	    "https://x.org/j?id=%7B8F2A%7D&v=a%7Cb");
	assert_int_equal(val_get(m, "online")->len, 37);
	assert_string_equal(out(x), "");
}

static void
unknown_key_suggests(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x);

	val_set(x->a, m, "title", at(x, "Board", 2, 0));
	val_set(x->a, m, "comittee", at(x, "icp", 3, 0));
	val_set(x->a, m, "zebra", at(x, "x", 4, 0));
	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 2);
	assert_string_equal(out(x),
	    "m.md:3:1: error: unknown key 'comittee' in meeting (did you "
	    "mean 'committee'?)\n"
	    "m.md:4:1: error: unknown key 'zebra' in meeting (icpgen(5) "
	    "lists the keys allowed here)\n");
}

static void
missing_required(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x);

	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 1);
	assert_string_equal(out(x), "m.md:2:1: error: meeting has no 'title' "
	    "(add 'title: ...', a short name)\n");
}

static void
bad_values(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x);

	val_set(x->a, m, "title", at(x, "Board", 2, 0));
	val_set(x->a, m, "date", at(x, "2025-02-29", 3, 0));
	val_set(x->a, m, "start", at(x, "2pm", 4, 0));
	val_set(x->a, m, "public", at(x, "true", 5, 1));	/* quoted */
	val_set(x->a, m, "value", at(x, "lots", 6, 0));
	val_set(x->a, m, "rag", at(x, "grene", 7, 0));
	val_set(x->a, m, "committee", at(x, "Main Board", 8, 0));
	val_set(x->a, m, "online", at(x, "javascript:x", 9, 0));
	val_set(x->a, m, "colour", at(x, "blue", 10, 0));
	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 8);
	assert_string_equal(out(x),
	    "m.md:3:1: error: 'date' is not a valid date: '2025-02-29' "
	    "(write YYYY-MM-DD, e.g. 2025-03-12, for a day that exists)\n"
	    "m.md:4:1: error: 'start' is not a valid time: '2pm' (write "
	    "HH:MM on the 24-hour clock, e.g. 14:30)\n"
	    "m.md:5:1: error: 'public' should be true or false, not 'true' "
	    "in quotes (write it without them)\n"
	    "m.md:6:1: error: 'value' should be a number, not 'lots'\n"
	    "m.md:7:1: error: unknown rag 'grene' (expected: red, amber, "
	    "green)\n"
	    "m.md:8:1: error: 'committee' is not a valid id: 'Main Board' "
	    "(use lower-case letters, digits and hyphens)\n"
	    "m.md:9:1: error: 'online' is not a web address: 'javascript:x' "
	    "(start it with https://)\n"
	    "m.md:10:1: error: 'colour' is not a colour: 'blue' (write "
	    "#rrggbb, e.g. #005eb8)\n");
}

static void
nested_and_lists(void **state)
{
	struct fix	*x = *state;
	struct val	*m = map(x), *tags = val_list(x->a), *c = map(x);
	struct val	*bad = val_map(x->a);

	tags->file = "m.md";
	tags->line = 3;
	val_push(x->a, tags, at(x, "ok", 4, 0));
	bad->file = "m.md";
	bad->line = 5;
	bad->col = 3;
	val_push(x->a, tags, bad);
	c->line = 6;
	val_set(x->a, m, "title", at(x, "Board", 2, 0));
	val_set(x->a, m, "tags", tags);
	val_set(x->a, m, "contact", c);
	val_set(x->a, m, "rag", tags);	/* a list where a word belongs */
	assert_int_equal(schema_check(&meeting, x->a, m, &x->d), 3);
	assert_string_equal(out(x),
	    "m.md:5:3: error: 'tag' should be a line of text, not a set of "
	    "keys\n"
	    "m.md:6:1: error: contact has no 'email' (add 'email: ...')\n"
	    "m.md:3: error: 'rag' should be one of red, amber, green, not a "
	    "list\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(blank_line_is_absent, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(days_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(numbers_plain, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(addresses_escaped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(valid_map_normalises, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(unknown_key_suggests, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(missing_required, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(bad_values, setup, teardown),
		cmocka_unit_test_setup_teardown(nested_and_lists, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
