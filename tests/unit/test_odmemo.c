/*
 * Tests of the open data's meeting records cache: records come back by
 * id and key as they were put, a changed key finds nothing, a damaged
 * file is ignored, an unchanged one is not written again, and a build
 * that failed leaves the file as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "emit/odmemo.h"

static char	dir[] = "/tmp/test_odmemo.XXXXXX";
static char	path[64];

static void
key(unsigned char k[32], int n)
{
	memset(k, 0, 32);
	k[0] = (unsigned char)n;
	k[31] = 0xa5;
}

/* Parts of meeting n: bytes that say which meeting and which part. */
static void
parts_of(struct odm_part p[ODM_PARTS], char text[ODM_PARTS][32], int n)
{
	size_t	k;

	for (k = 0; k < ODM_PARTS; k++) {
		snprintf(text[k], 32, "meeting %d part %zu\r\n", n, k);
		p[k].data = text[k];
		p[k].len = strlen(text[k]);
		p[k].rows = k + (size_t)n;
	}
	p[3].len = 0;			/* a meeting without rows there */
	p[3].rows = 0;
}

static void
write_two(int second)
{
	struct odmemo	*m = odmemo_open(path);
	struct odm_part	 p[ODM_PARTS];
	char		 text[ODM_PARTS][32];
	unsigned char	 k[32];

	assert_non_null(m);
	parts_of(p, text, 1);
	key(k, 1);
	odmemo_put(m, "2026-01-14-icp", k, p);
	parts_of(p, text, second);
	key(k, second);
	odmemo_put(m, "2026-03-11-board", k, p);
	odmemo_close(m, true);
}

static void
round_trip(void **state)
{
	struct odmemo	*m;
	struct odm_part	 got[ODM_PARTS], want[ODM_PARTS];
	char		 text[ODM_PARTS][32];
	unsigned char	 k[32];
	struct stat	 a, b;
	size_t		 i;
	FILE		*f;

	(void)state;
	write_two(2);
	m = odmemo_open(path);
	key(k, 2);
	assert_true(odmemo_get(m, "2026-03-11-board", k, got));
	parts_of(want, text, 2);
	for (i = 0; i < ODM_PARTS; i++) {
		assert_int_equal(got[i].len, want[i].len);
		assert_int_equal(got[i].rows, want[i].rows);
		assert_memory_equal(got[i].data, want[i].data, want[i].len);
	}
	/* another key, another id, no id */
	key(k, 3);
	assert_false(odmemo_get(m, "2026-03-11-board", k, got));
	key(k, 1);
	assert_false(odmemo_get(m, "2026-03-11-board", k, got));
	assert_true(odmemo_get(m, "2026-01-14-icp", k, got));
	assert_false(odmemo_get(m, "2026-01-15-icp", k, got));
	odmemo_close(m, false);

	/* The same records again: the file is not written again. */
	assert_int_equal(stat(path, &a), 0);
	write_two(2);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);

	/* One record changed: a new file, which has it. */
	write_two(4);
	assert_int_equal(stat(path, &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	m = odmemo_open(path);
	key(k, 4);
	assert_true(odmemo_get(m, "2026-03-11-board", k, got));
	assert_int_equal(got[0].rows, 4);
	odmemo_close(m, false);

	/* A build that failed leaves the file as it was. */
	assert_int_equal(stat(path, &a), 0);
	write_two(5);		/* put, then closed with ok false below */
	assert_int_equal(stat(path, &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	m = odmemo_open(path);
	parts_of(want, text, 6);
	key(k, 6);
	odmemo_put(m, "2026-01-14-icp", k, want);
	odmemo_close(m, false);
	assert_int_equal(stat(path, &a), 0);
	assert_int_equal(a.st_ino, b.st_ino);

	/* Every byte of the file damaged in turn: nothing found. */
	for (i = 0; i < (size_t)b.st_size; i += 7) {
		unsigned char	 c;

		assert_non_null(f = fopen(path, "r+b"));
		assert_int_equal(fseek(f, (long)i, SEEK_SET), 0);
		c = (unsigned char)fgetc(f);
		assert_int_equal(fseek(f, (long)i, SEEK_SET), 0);
		fputc(c ^ 0x10, f);
		fclose(f);
		m = odmemo_open(path);
		key(k, 5);
		assert_false(odmemo_get(m, "2026-03-11-board", k, got));
		key(k, 1);
		assert_false(odmemo_get(m, "2026-01-14-icp", k, got));
		odmemo_close(m, false);
		assert_non_null(f = fopen(path, "r+b"));
		assert_int_equal(fseek(f, (long)i, SEEK_SET), 0);
		fputc(c, f);
		fclose(f);
	}
	/* and the file put back is read again */
	m = odmemo_open(path);
	key(k, 5);
	assert_true(odmemo_get(m, "2026-03-11-board", k, got));
	odmemo_close(m, false);

	/* cut short */
	assert_int_equal(truncate(path, b.st_size - 1), 0);
	m = odmemo_open(path);
	assert_false(odmemo_get(m, "2026-03-11-board", k, got));
	odmemo_close(m, false);
	unlink(path);
}

/* An id twice in a file (never written so): the file is not used. */
static void
id_twice(void **state)
{
	struct odmemo	*m = odmemo_open(path);
	struct odm_part	 p[ODM_PARTS], got[ODM_PARTS];
	char		 text[ODM_PARTS][32];
	unsigned char	 k[32];

	(void)state;
	parts_of(p, text, 1);
	key(k, 1);
	odmemo_put(m, "same", k, p);
	odmemo_put(m, "same", k, p);
	odmemo_close(m, true);
	m = odmemo_open(path);
	assert_false(odmemo_get(m, "same", k, got));
	odmemo_close(m, false);
	unlink(path);

	/* a folder where the file goes: nothing read, nothing left */
	assert_int_equal(mkdir(path, 0700), 0);
	m = odmemo_open(path);
	odmemo_put(m, "same", k, p);
	odmemo_close(m, true);
	assert_int_equal(rmdir(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(id_twice),
	};
	int	rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/meetings-x", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rmdir(dir) == -1) {	/* a temporary file was left */
		perror(dir);
		rc = 1;
	}
	return rc;
}
