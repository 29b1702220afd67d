/*
 * Tests of the versions cache: values come back as they went in, every
 * damaged record or file is refused without a crash, and a file holds
 * only the records its last build used.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/hcache.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/val.h"

static struct val *
sample(struct arena *a)
{
	struct val	*m = val_map(a), *l = val_list(a), *seg = val_map(a);

	val_set(a, m, "says", val_bool(a, true));
	val_push(a, l, val_str(a, "Title changed from A to B"));
	val_push(a, l, val_strn(a, "nul\0inside", 10));
	val_set(a, m, "fields", l);
	val_set(a, seg, "kind", val_str(a, "added"));
	val_set(a, seg, "text", val_str(a, "Corrected"));
	l = val_list(a);
	val_push(a, l, seg);
	val_set(a, m, "text", l);
	val_set(a, m, "n", val_num(a, -0.125));
	val_set(a, m, "none", val_new(a, VAL_NULL));
	/* one byte from the same key: a change can make a key twice */
	val_set(a, seg, "kinc", val_str(a, "x"));
	return m;
}

static void
round_trip(void **state)
{
	struct arena	*a = arena_new();
	struct buf	 b, c;
	struct val	*v;

	(void)state;
	buf_init(&b);
	buf_init(&c);
	hcache_encode(&b, sample(a));
	v = hcache_decode(a, (const unsigned char *)b.data, b.len);
	assert_non_null(v);
	hcache_encode(&c, v);
	assert_int_equal(b.len, c.len);
	assert_memory_equal(b.data, c.data, b.len);
	assert_int_equal(val_get(val_get(v, "fields"), "x") == NULL, 1);
	assert_int_equal(val_get(v, "fields")->items[1]->len, 10);
	assert_true(val_get(v, "n")->num == -0.125);
	buf_free(&b);
	buf_free(&c);
	arena_free(a);
}

/* Every prefix, and every one-byte change, is refused or read safely. */
static void
damaged_records(void **state)
{
	struct arena	*a = arena_new();
	struct buf	 b;
	unsigned char	*p;
	size_t		 i, k;

	(void)state;
	buf_init(&b);
	hcache_encode(&b, sample(a));
	for (i = 0; i < b.len; i++)
		assert_null(hcache_decode(a, (const unsigned char *)b.data,
		    i));
	p = xmalloc(b.len);
	for (i = 0; i < b.len; i++)
		for (k = 0; k < 256; k += 7) {
			memcpy(p, b.data, b.len);
			p[i] = (unsigned char)k;
			(void)hcache_decode(a, p, b.len);
		}
	/* deep nesting is refused, not followed */
	memset(p, 'l', b.len);
	for (i = 1; i < b.len; i += 2)
		p[i] = 1;
	assert_null(hcache_decode(a, p, b.len));
	free(p);
	buf_free(&b);
	arena_free(a);
}

static void
random_records(void **state)
{
	struct arena	*a = arena_new();
	unsigned char	 p[64];
	size_t		 i, k;

	(void)state;
	srand(1);
	for (i = 0; i < 20000; i++) {
		for (k = 0; k < sizeof(p); k++)
			p[k] = (unsigned char)(rand() % 3 == 0 ?
			    "nftdslm"[rand() % 7] : rand());
		(void)hcache_decode(a, p, (size_t)rand() % sizeof(p));
	}
	arena_free(a);
}

/*
 * hcache_top says of record p what hcache_decode makes of it: well
 * formed exactly when decoded, with the same keys and kinds.  Returns
 * hcache_top's answer.
 */
static int
agree(struct arena *a, const unsigned char *p, size_t len)
{
	struct hcache_top t;
	struct val	*v = hcache_decode(a, p, len);
	size_t		 i;
	int		 rc = hcache_top(p, len, &t);

	if (len == 0 || p[0] != 'm') {
		assert_int_equal(rc, 0);
		return rc;
	}
	if (rc == 0)
		assert_null(v);
	if (rc != 1)
		return rc;
	assert_non_null(v);
	assert_int_equal(v->kind, VAL_MAP);
	assert_int_equal(t.n, v->n);
	for (i = 0; i < t.n; i++) {
		assert_int_equal(t.e[i].len, strlen(v->pairs[i].key));
		assert_memory_equal(t.e[i].key, v->pairs[i].key, t.e[i].len);
		assert_int_equal(t.e[i].kind, hcache_kind(v->pairs[i].v));
	}
	return rc;
}

/* Checked without decoding: every prefix, every one-byte change. */
static void
top_agrees(void **state)
{
	struct arena	*a = arena_new();
	struct buf	 b;
	unsigned char	*p, r[64];
	size_t		 i, k, ones = 0, zeros = 0;

	(void)state;
	buf_init(&b);
	hcache_encode(&b, sample(a));
	assert_int_equal(agree(a, (const unsigned char *)b.data, b.len), 1);
	p = xmalloc(b.len);
	for (i = 0; i < b.len; i++) {
		assert_int_equal(agree(a, (const unsigned char *)b.data, i), 0);
		for (k = 0; k < 256; k++) {
			memcpy(p, b.data, b.len);
			p[i] = (unsigned char)k;
			switch (agree(a, p, b.len)) {
			case 1:
				ones++;
				break;
			case 0:
				zeros++;
				break;
			}
		}
	}
	/* both answers were given, not only one */
	assert_true(ones > 100 && zeros > 100);
	srand(2);
	for (i = 0; i < 20000; i++) {
		for (k = 0; k < sizeof(r); k++)
			r[k] = (unsigned char)(rand() % 3 == 0 ?
			    "nftdslm"[rand() % 7] : rand() % 8);
		r[0] = 'm';
		(void)agree(a, r, (size_t)rand() % sizeof(r));
	}
	/* a map of more keys than it looks at: decode it instead */
	buf_reset(&b);
	{
		struct val *m = val_map(a);
		char	    name[8];

		for (i = 0; i < HCACHE_TOP + 1; i++) {
			snprintf(name, sizeof(name), "k%zu", i);
			val_set(a, m, name, val_bool(a, true));
		}
		hcache_encode(&b, m);
	}
	assert_int_equal(agree(a, (const unsigned char *)b.data, b.len), -1);
	free(p);
	buf_free(&b);
	arena_free(a);
}

static void
key(unsigned char *k, int n)
{
	memset(k, 0, HCACHE_KEY);
	k[0] = 'p';
	k[1] = (unsigned char)n;
	k[21] = (unsigned char)(n * 3);
}

static void
file_round_trip(void **state)
{
	char		 dir[] = "/tmp/test_hcache.XXXXXX", path[64];
	unsigned char	 k[HCACHE_KEY];
	const unsigned char *r;
	struct hcache	*c;
	size_t		 len;
	FILE		*f;
	long		 size;
	int		 i, ch;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/versions-x", dir);
	c = hcache_open(path);
	for (i = 0; i < 100; i++) {
		key(k, i);
		hcache_put(c, k, "record", 6 + (size_t)(i % 2));
	}
	hcache_close(c);

	/* read back; use only the even ones, so the next file drops odd */
	c = hcache_open(path);
	for (i = 0; i < 100; i += 2) {
		key(k, i);
		assert_non_null(r = hcache_get(c, k, &len));
		assert_int_equal(len, 6);
		assert_memory_equal(r, "record", 6);
	}
	hcache_close(c);
	c = hcache_open(path);
	key(k, 1);
	assert_null(hcache_get(c, k, &len));
	assert_null(hcache_peek(c, k, &len));
	/* peeked (by a worker thread) is not used: 4 is dropped, 2 kept */
	key(k, 4);
	assert_non_null(r = hcache_peek(c, k, &len));
	assert_memory_equal(r, "record", 6);
	key(k, 2);
	assert_non_null(hcache_get(c, k, &len));
	hcache_close(c);
	c = hcache_open(path);
	key(k, 4);
	assert_null(hcache_peek(c, k, &len));
	key(k, 2);
	assert_non_null(hcache_get(c, k, &len));
	hcache_close(c);

	/* one byte changed anywhere: the whole file is ignored */
	assert_non_null(f = fopen(path, "r+b"));
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fseek(f, size / 2, SEEK_SET);
	ch = fgetc(f);
	fseek(f, size / 2, SEEK_SET);
	fputc(ch ^ 1, f);
	fclose(f);
	c = hcache_open(path);
	key(k, 2);
	assert_null(hcache_get(c, k, &len));
	hcache_close(c);
	unlink(path);

	/* a folder where the file goes: nothing read, nothing left behind */
	assert_int_equal(mkdir(path, 0700), 0);
	c = hcache_open(path);
	key(k, 2);
	assert_null(hcache_get(c, k, &len));
	hcache_put(c, k, "record", 6);
	hcache_close(c);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);	/* no temporary file */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(damaged_records),
		cmocka_unit_test(random_records),
		cmocka_unit_test(top_agrees),
		cmocka_unit_test(file_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
