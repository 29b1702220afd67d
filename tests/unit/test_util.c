/*
 * Unit tests of util/: buffers, arenas, values and text helpers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <math.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>

#include "util/buf.h"
#include "util/colour.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/par.h"
#include "util/sha256.h"
#include "util/strtab.h"
#include "util/text.h"
#include "util/val.h"

static void
buf_invariants(void **state)
{
	struct buf	b;
	int		i;

	buf_init(&b);
	assert_non_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.data[0], '\0');
	for (i = 0; i < 10000; i++)
		buf_putc(&b, 'a' + i % 26);
	assert_int_equal(b.len, 10000);
	assert_int_equal(b.data[10000], '\0');
	assert_int_equal(strlen(b.data), 10000);
	buf_truncate(&b, 3);
	assert_string_equal(b.data, "abc");
	buf_printf(&b, "-%d-%s", 42, "x");
	assert_string_equal(b.data, "abc-42-x");
	buf_reset(&b);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

/*
 * buf_printf formats into the room the buffer has and formats again
 * after growing when that is too little: every length up to and past
 * the room gives the whole text, terminated, after what was there.
 */
static void
buf_printf_room(void **state)
{
	struct buf	b;
	char		want[600];
	size_t		pre, n;

	(void)state;
	for (pre = 0; pre < 70; pre++)
		for (n = 0; n < 300; n += 7) {
			buf_init(&b);
			memset(want, 'p', pre);
			want[pre] = '\0';
			buf_puts(&b, want);
			buf_printf(&b, "%0*d|", (int)n, 7);
			assert_int_equal(b.len, pre + (n > 0 ? n : 1) + 1);
			assert_int_equal(b.data[b.len], '\0');
			assert_true(b.len < b.cap);
			assert_memory_equal(b.data, want, pre);
			assert_int_equal(b.data[b.len - 2], '7');
			assert_int_equal(b.data[b.len - 1], '|');
			buf_free(&b);
		}
}

/* buf_put_long writes what "%ld" does, at the ends of the range too. */
static void
buf_long(void **state)
{
	static const long	 v[] = { 0, 1, -1, 9, 10, -10, 255, 99999,
	    123456789012L, LONG_MAX, LONG_MIN, LONG_MIN + 1 };
	struct buf		 b, want;
	size_t			 i;

	(void)state;
	buf_init(&b);
	buf_init(&want);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_put_long(&b, v[i]);
		buf_putc(&b, ',');
		buf_printf(&want, "%ld,", v[i]);
	}
	assert_string_equal(b.data, want.data);
	assert_int_equal(b.len, want.len);
	buf_free(&b);
	buf_free(&want);
}

/* text_digits in octal and decimal, as "%llo" and "%llu" give them. */
static void
digits(void **state)
{
	static const unsigned long long v[] = { 0, 7, 8, 0644, 0100755,
	    1234567890123ULL, ~0ULL };
	char	 out[70], want[70], *p;
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		out[sizeof(out) - 1] = '\0';
		p = text_digits(out + sizeof(out) - 1, v[i], 8);
		snprintf(want, sizeof(want), "%llo", v[i]);
		assert_string_equal(p, want);
		p = text_digits(out + sizeof(out) - 1, v[i], 10);
		snprintf(want, sizeof(want), "%llu", v[i]);
		assert_string_equal(p, want);
	}
}

static void
buf_escaping(void **state)
{
	struct buf	b;

	buf_init(&b);
	buf_puts_html(&b, "<a href=\"x\">Tom & Jerry's</a>");
	assert_string_equal(b.data,
	    "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
	buf_reset(&b);
	buf_put_html(&b, "a\0b", 3);
	assert_string_equal(b.data, "a\xef\xbf\xbd" "b");
	buf_reset(&b);
	buf_put_xml(&b, "x\x01<y>", 5);
	assert_string_equal(b.data, "x&lt;y&gt;");
	buf_reset(&b);
	buf_put_url(&b, "a b\"<é", 7);
	assert_string_equal(b.data, "a%20b%22%3C%C3%A9");
	buf_free(&b);
}

static void
buf_detach_leaves_usable(void **state)
{
	struct buf	 b;
	char		*p;

	buf_init(&b);
	buf_puts(&b, "hello");
	p = buf_detach(&b);
	assert_string_equal(p, "hello");
	assert_string_equal(b.data, "");
	buf_puts(&b, "again");
	assert_string_equal(b.data, "again");
	free(p);
	buf_free(&b);
}

static void
arena_zeroed_and_large(void **state)
{
	struct arena	*a = arena_new();
	char		*p, *big;
	int		 i;

	for (i = 0; i < 1000; i++) {
		p = arena_alloc(a, 100);
		assert_int_equal(p[0] | p[99], 0);
		memset(p, 0xff, 100);
	}
	big = arena_alloc(a, 1 << 20);
	assert_int_equal(big[(1 << 20) - 1], 0);
	assert_string_equal(arena_printf(a, "%s-%03d", "x", 7), "x-007");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	arena_free(a);
}

static void
val_maps_and_paths(void **state)
{
	struct arena	*a = arena_new();
	struct val	*m = val_map(a), *c = val_map(a), *l = val_list(a);

	val_set(a, c, "email", val_str(a, "x@example.org"));
	val_set(a, m, "contact", c);
	val_set(a, m, "name", val_str(a, "One"));
	val_set(a, m, "name", val_str(a, "Two"));	/* replaces */
	assert_int_equal(m->n, 2);
	assert_string_equal(val_get_str(m, "name"), "Two");
	assert_string_equal(val_path(m, "contact.email")->str,
	    "x@example.org");
	assert_null(val_path(m, "contact.phone"));
	assert_null(val_path(m, "name.x"));
	assert_null(val_get(l, "x"));
	assert_false(val_truthy(l));
	val_push(a, l, val_bool(a, false));
	assert_true(val_truthy(l));
	assert_false(val_truthy(l->items[0]));
	assert_false(val_truthy(val_str(a, "")));
	assert_false(val_truthy(val_num(a, 0)));
	assert_true(val_truthy(val_num(a, 0.5)));
	assert_false(val_truthy(NULL));
	arena_free(a);
}

static void
val_copy_is_deep(void **state)
{
	struct arena	*a = arena_new(), *b = arena_new();
	struct val	*m = val_map(a), *l = val_list(a), *c;

	val_push(a, l, val_str(a, "x"));
	val_set(a, m, "l", l);
	c = val_copy(b, m);
	arena_free(a);			/* the copy must not point into a */
	assert_int_equal(c->n, 1);
	assert_string_equal(val_get(c, "l")->items[0]->str, "x");
	arena_free(b);
}

static void
suggestions(void **state)
{
	static const char *const keys[] = { "title", "date", "committee",
	    "status", NULL };

	assert_int_equal(text_distance("kitten", "sitting"), 3);
	assert_int_equal(text_distance("", "abc"), 3);
	assert_string_equal(text_suggest("titel", keys), "title");
	assert_string_equal(text_suggest("comittee", keys), "committee");
	assert_string_equal(text_suggest("stauts", keys), "status");
	assert_null(text_suggest("venue", keys));
	assert_null(text_suggest("x", keys));
}

static void
slugs(void **state)
{
	struct buf	b;

	buf_init(&b);
	text_slug(&b, "Children's mental health: 2025/26!", 34);
	assert_string_equal(b.data, "childrens-mental-health-2025-26");
	buf_reset(&b);
	text_slug(&b, "  --Café  ", 11);
	assert_string_equal(b.data, "café");
	buf_reset(&b);
	text_slug(&b, "???", 3);
	assert_string_equal(b.data, "");
	buf_free(&b);
}

static void
paths(void **state)
{
	struct buf	b;

	buf_init(&b);
	assert_true(text_join_path(&b, "pages/about.md", "../meetings/x/a.md",
	    18));
	assert_string_equal(b.data, "meetings/x/a.md");
	assert_true(text_join_path(&b, "index.md", "./pages/./b.md", 14));
	assert_string_equal(b.data, "pages/b.md");
	assert_true(text_join_path(&b, "pages/a/b.md", "/news/x.md", 10));
	assert_string_equal(b.data, "news/x.md");
	assert_false(text_join_path(&b, "pages/a.md", "../../etc/passwd", 16));
	assert_false(text_join_path(&b, "index.md", "..", 2));
	buf_free(&b);
}

static void
dates(void **state)
{
	struct date	d;
	struct buf	b;
	long		n;

	assert_true(text_parse_date("2024-02-29", &d));
	assert_false(text_parse_date("2025-02-29", &d));
	assert_false(text_parse_date("2025-13-01", &d));
	assert_false(text_parse_date("2025-04-31", &d));
	assert_false(text_parse_date("2025-4-3", &d));
	assert_false(text_parse_date("2025-04-03x", &d));
	assert_true(text_parse_date("2021-12-07", &d));
	assert_int_equal(text_weekday(&d), 1);		/* a Tuesday */
	buf_init(&b);
	text_fmt_date(&b, &d, true);
	assert_string_equal(b.data, "Tuesday 7 December 2021");
	n = text_days(&d);
	assert_int_equal(n, 18968);
	text_date_from_days(n + 25, &d);
	assert_int_equal(d.year, 2022);
	assert_int_equal(d.month, 1);
	assert_int_equal(d.day, 1);
	buf_free(&b);
}

static void
times(void **state)
{
	struct buf	b;

	assert_int_equal(text_parse_time("14:30"), 870);
	assert_int_equal(text_parse_time("24:00"), -1);
	assert_int_equal(text_parse_time("9:30"), -1);
	assert_int_equal(text_parse_time("12:60"), -1);
	buf_init(&b);
	text_fmt_time(&b, 14 * 60);
	assert_string_equal(b.data, "2pm");
	buf_reset(&b);
	text_fmt_time(&b, 10 * 60 + 30);
	assert_string_equal(b.data, "10:30am");
	buf_reset(&b);
	text_fmt_time(&b, 12 * 60);
	assert_string_equal(b.data, "midday");
	buf_reset(&b);
	text_fmt_time(&b, 0);
	assert_string_equal(b.data, "midnight");
	buf_reset(&b);
	text_fmt_time(&b, 12 * 60 + 5);
	assert_string_equal(b.data, "12:05pm");
	buf_free(&b);
}

static void
hashes(void **state)
{
	assert_true(text_hash("", 0) == 0xcbf29ce484222325ULL);
	assert_true(text_hash("a", 1) == 0xaf63dc4c8601ec8cULL);
	assert_true(text_hash("abc", 3) != text_hash("abd", 3));
}

static void
contrast(void **state)
{
	unsigned	c;

	assert_true(colour_parse("#005EB8", &c));
	assert_int_equal(c, 0x005eb8);
	assert_true(colour_parse("#fff", &c));
	assert_int_equal(c, 0xffffff);
	assert_false(colour_parse("005eb8", &c));
	assert_false(colour_parse("#00zzb8", &c));
	assert_false(colour_parse("#005eb", &c));
	/* Reference values: black on white 21:1, #767676 on white 4.54:1. */
	assert_true(fabs(colour_contrast(0, 0xffffff) - 21.0) < 1e-9);
	assert_true(fabs(colour_contrast(0xffffff, 0xffffff) - 1.0) < 1e-9);
	assert_true(fabs(colour_contrast(0x005eb8, 0xffffff) - 6.38) < 0.01);
	assert_true(fabs(colour_contrast(0x767676, 0xffffff) - 4.54) < 0.01);
	assert_true(colour_contrast(0xffb81c, 0xffffff) < 4.5);
}

struct hold_job {
	struct diags	*d;
	size_t		 key;
	pthread_barrier_t *go;
};

/* Report two messages for one item; the later key reports first. */
static void *
hold_worker(void *arg)
{
	struct hold_job	*j = arg;

	diag_hold(j->d, j->key);
	if (j->key == 1)
		diag_warn(j->d, "b.md", 2, 1, "second item, first message");
	pthread_barrier_wait(j->go);
	if (j->key == 0)
		diag_error(j->d, "a.md", 1, 1, "first item, first message");
	pthread_barrier_wait(j->go);
	if (j->key == 1)
		diag_error(j->d, "b.md", 3, 1, "second item, second message");
	else
		diag_note(j->d, "a.md", 1, 1, "first item, its note");
	diag_release(j->d);
	return NULL;
}

/*
 * Messages held by threads working on items 0 and 1 come out in item
 * order, each item's in the order reported, whichever thread ran first;
 * none is counted or printed before the flush.
 */
static void
diag_held_in_item_order(void **state)
{
	struct diags	 d;
	struct hold_job	 j[2];
	pthread_barrier_t go;
	pthread_t	 t;
	char		*text = NULL;
	size_t		 len = 0;
	FILE		*f = open_memstream(&text, &len);

	assert_non_null(f);
	diag_init(&d, f);
	pthread_barrier_init(&go, NULL, 2);
	j[0] = (struct hold_job){ &d, 0, &go };
	j[1] = (struct hold_job){ &d, 1, &go };
	assert_int_equal(pthread_create(&t, NULL, hold_worker, &j[1]), 0);
	hold_worker(&j[0]);
	pthread_join(t, NULL);
	pthread_barrier_destroy(&go);
	fflush(f);
	assert_int_equal(len, 0);
	assert_int_equal(d.errors, 0);
	diag_error(&d, "c.md", 9, 9, "not held");	/* this thread released */
	diag_flush(&d);
	fclose(f);
	assert_string_equal(text,
	    "c.md:9:9: error: not held\n"
	    "a.md:1:1: error: first item, first message\n"
	    "a.md:1:1: note: first item, its note\n"
	    "b.md:2:1: warning: second item, first message\n"
	    "b.md:3:1: error: second item, second message\n");
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.warnings, 1);
	diag_free(&d);
	free(text);
}

/* Counting without printing: no stream, whatever NO_COLOR says. */
static void
diag_without_a_stream(void **state)
{
	struct diags	 d;

	unsetenv("NO_COLOR");
	diag_init(&d, NULL);
	diag_error(&d, "a.md", 1, 1, "counted, not printed");
	diag_warn(&d, NULL, 0, 0, "and this");
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.warnings, 1);
	diag_free(&d);
}

/* Under -q warnings are counted but neither printed nor capped. */
static void
diag_quiet_warnings_are_not_capped(void **state)
{
	struct diags	 d;
	char		*text = NULL;
	size_t		 len = 0, i;
	FILE		*f = open_memstream(&text, &len);

	assert_non_null(f);
	diag_init(&d, f);
	d.quiet = 1;
	d.max = 3;
	for (i = 0; i < 10; i++)
		diag_warn(&d, "w.md", 1, 1, "quiet");
	diag_error(&d, "e.md", 2, 1, "shown");
	fclose(f);
	assert_string_equal(text, "e.md:2:1: error: shown\n");
	assert_int_equal(d.warnings, 10);
	diag_free(&d);
	free(text);
}

/* Workers sharing a counter: every item done once, on several threads. */
struct par_job {
	atomic_size_t	*next;
	int		*done;		/* per item: how many times done */
	size_t		 n;
	pthread_t	 self;
	pthread_barrier_t *go;
};

static void *
par_worker(void *arg)
{
	struct par_job	*j = arg;
	size_t		 i;

	j->self = pthread_self();
	if (j->go != NULL)
		pthread_barrier_wait(j->go);	/* both are running */
	while ((i = atomic_fetch_add(j->next, 1)) < j->n)
		j->done[i]++;
	return NULL;
}

static void
par_runs_every_worker(void **state)
{
	atomic_size_t	 next = 0;
	int		 done[1000] = { 0 };
	pthread_barrier_t go;
	struct par_job	 j[2];
	size_t		 i;

	(void)state;
	pthread_barrier_init(&go, NULL, 2);
	for (i = 0; i < 2; i++)
		j[i] = (struct par_job){ &next, done, 1000, 0, &go };
	assert_int_equal(par_run(par_worker, j, sizeof(j[0]), 2), 2);
	pthread_barrier_destroy(&go);
	assert_true(pthread_equal(j[0].self, pthread_self()));
	assert_false(pthread_equal(j[1].self, pthread_self()));
	for (i = 0; i < 1000; i++)
		assert_int_equal(done[i], 1);
	/* One worker: this thread alone. */
	next = 0;
	j[0].go = NULL;
	assert_int_equal(par_run(par_worker, j, sizeof(j[0]), 1), 1);
	for (i = 0; i < 1000; i++)
		assert_int_equal(done[i], 2);
}

static void
par_threads_bounds(void **state)
{
	(void)state;
	assert_int_equal(par_threads(4, 1000, 16), 4);
	assert_int_equal(par_threads(4, 20, 16), 2);	/* 20 / 16 + 1 */
	assert_int_equal(par_threads(4, 0, 16), 1);
	assert_int_equal(par_threads(500, 1000000, 16), 64);
	assert_int_equal(par_threads(3, 5, 0), 3);
	assert_true(par_threads(0, 1000000, 1) >= 1);
}

static void
hexval_digits(void **state)
{
	(void)state;
	assert_int_equal(text_hexval('0'), 0);
	assert_int_equal(text_hexval('9'), 9);
	assert_int_equal(text_hexval('a'), 10);
	assert_int_equal(text_hexval('F'), 15);
	assert_int_equal(text_hexval('g'), -1);
	assert_int_equal(text_hexval('/'), -1);
	assert_int_equal(text_hexval((char)0xc3), -1);
}

/* Strings are numbered in the order first added, found again after growth. */
static void
strtab_numbers(void **state)
{
	struct strtab	 t;
	char		 k[32];
	bool		 fresh;
	size_t		 i;

	memset(&t, 0, sizeof(t));
	assert_int_equal(strtab_find(&t, "a"), (size_t)-1);
	for (i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "key %zu", i);
		assert_int_equal(strtab_add(&t, k, &fresh), i);
		assert_true(fresh);
	}
	for (i = 0; i < 1000; i++) {
		snprintf(k, sizeof(k), "key %zu", i);
		assert_int_equal(strtab_add(&t, k, &fresh), i);
		assert_false(fresh);
		assert_int_equal(strtab_find(&t, k), i);
		assert_string_equal(t.s[i], k);
	}
	assert_int_equal(t.n, 1000);
	assert_int_equal(strtab_find(&t, "key 1000"), (size_t)-1);
	assert_int_equal(strtab_add(&t, "", NULL), 1000);
	strtab_free(&t);
	assert_int_equal(t.n, 0);
}

static void
digest_of(const struct val *v, unsigned char dg[32])
{
	struct sha256	c;

	sha256_init(&c);
	assert_true(val_digest(v, &c, 16));
	sha256_final(&c, dg);
}

/*
 * Equal trees give equal digests wherever they came from; a change of
 * text, kind, order, key or trust gives another; too deep is refused.
 */
static void
val_digests(void **state)
{
	struct arena	*a = arena_new();
	struct val	*x = val_map(a), *y = val_map(a), *l, *deep, *v;
	unsigned char	 dx[32], dy[32];
	struct sha256	 c;
	int		 i;

	val_set(a, x, "title", val_str(a, "Papers"));
	val_set(a, x, "n", val_num(a, 2));
	l = val_list(a);
	val_push(a, l, val_str(a, "a"));
	val_push(a, l, val_bool(a, true));
	val_set(a, x, "items", l);
	v = val_str(a, "Papers");
	v->file = "elsewhere.md";
	v->line = 9;
	val_set(a, y, "title", v);
	val_set(a, y, "n", val_num(a, 2));
	val_set(a, y, "items", val_copy(a, l));
	digest_of(x, dx);
	digest_of(y, dy);
	assert_memory_equal(dx, dy, 32);
	val_set(a, y, "n", val_str(a, "2"));		/* kind */
	digest_of(y, dy);
	assert_memory_not_equal(dx, dy, 32);
	val_set(a, y, "n", val_num(a, 2));
	val_get(y, "title")->untrusted = true;		/* trust */
	digest_of(y, dy);
	assert_memory_not_equal(dx, dy, 32);
	val_get(y, "title")->untrusted = false;
	val_get(y, "items")->items[0] = val_bool(a, true);	/* order */
	val_get(y, "items")->items[1] = val_str(a, "a");
	digest_of(y, dy);
	assert_memory_not_equal(dx, dy, 32);
	val_set(a, y, "items", val_copy(a, l));
	val_set(a, y, "other", val_str(a, ""));		/* a key more */
	digest_of(y, dy);
	assert_memory_not_equal(dx, dy, 32);
	deep = v = val_list(a);
	for (i = 0; i < 20; i++) {
		val_push(a, v, val_list(a));
		v = v->items[0];
	}
	sha256_init(&c);
	assert_false(val_digest(deep, &c, 16));
	arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(buf_invariants),
		cmocka_unit_test(strtab_numbers),
		cmocka_unit_test(val_digests),
		cmocka_unit_test(buf_printf_room),
		cmocka_unit_test(buf_long),
		cmocka_unit_test(digits),
		cmocka_unit_test(buf_escaping),
		cmocka_unit_test(buf_detach_leaves_usable),
		cmocka_unit_test(arena_zeroed_and_large),
		cmocka_unit_test(val_maps_and_paths),
		cmocka_unit_test(val_copy_is_deep),
		cmocka_unit_test(suggestions),
		cmocka_unit_test(slugs),
		cmocka_unit_test(paths),
		cmocka_unit_test(dates),
		cmocka_unit_test(times),
		cmocka_unit_test(hashes),
		cmocka_unit_test(contrast),
		cmocka_unit_test(diag_held_in_item_order),
		cmocka_unit_test(diag_without_a_stream),
		cmocka_unit_test(diag_quiet_warnings_are_not_capped),
		cmocka_unit_test(par_runs_every_worker),
		cmocka_unit_test(par_threads_bounds),
		cmocka_unit_test(hexval_digits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
