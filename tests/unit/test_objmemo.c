/*
 * Tests of the record of loose objects found sound: an object is sound
 * only with the very file identity recorded (any of device, inode,
 * size, modification or change time different: checked again), the
 * record is not written again when nothing changed, a check that
 * stopped early saves nothing, and a damaged, cut or disordered file
 * is ignored.
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

#include "load/objmemo.h"

static char	dir[] = "/tmp/test_objmemo.XXXXXX";
static char	path[64];

static void
id_of(unsigned char id[20], int n)
{
	memset(id, 0x5a, 20);
	id[0] = (unsigned char)n;	/* ids in order of n */
}

static void
file_of(struct objmemo_file *f, int n)
{
	f->dev = 2049;
	f->ino = 1000 + (uint64_t)n;
	f->size = 100 + (uint64_t)n;
	f->mt = 1765000000123456789 + n;
	f->ct = 1765000000987654321 + n;
}

/* Record objects 1 to n, put in reverse order of id. */
static void
record(int n, bool save)
{
	struct objmemo	*m = objmemo_open(path);
	struct objmemo_file f;
	unsigned char	 id[20];

	for (; n > 0; n--) {
		id_of(id, n);
		file_of(&f, n);
		objmemo_put(m, id, &f);
	}
	objmemo_close(m, save);
}

static bool
sound(int n, const struct objmemo_file *f)
{
	struct objmemo	*m = objmemo_open(path);
	unsigned char	 id[20];
	bool		 yes;

	id_of(id, n);
	yes = objmemo_sound(m, id, f);
	objmemo_close(m, false);
	return yes;
}

static void
round_trip(void **state)
{
	struct objmemo_file f, g;
	struct stat	 a, b;

	(void)state;
	record(3, true);
	file_of(&f, 2);
	assert_true(sound(2, &f));
	assert_true(sound(1, (file_of(&g, 1), &g)));
	assert_true(sound(3, (file_of(&g, 3), &g)));
	assert_false(sound(4, (file_of(&g, 4), &g)));	/* never put */
	assert_false(sound(1, &f));	/* another object's file */

	/* Any part of the identity changed: not known sound. */
	g = f; g.dev++;
	assert_false(sound(2, &g));
	g = f; g.ino++;
	assert_false(sound(2, &g));
	g = f; g.size--;
	assert_false(sound(2, &g));
	g = f; g.mt--;
	assert_false(sound(2, &g));
	g = f; g.ct++;			/* written to, times put back */
	assert_false(sound(2, &g));

	/* The same objects again: the file is not written again. */
	assert_int_equal(stat(path, &a), 0);
	record(3, true);
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);

	/* A check that stopped early saves nothing. */
	record(1, false);
	assert_true(sound(3, (file_of(&g, 3), &g)));
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(a.st_ino, b.st_ino);

	/* Fewer objects (packed since): a new file without them. */
	record(1, true);
	assert_int_equal(stat(path, &b), 0);
	assert_int_not_equal(a.st_ino, b.st_ino);
	assert_true(sound(1, (file_of(&g, 1), &g)));
	assert_false(sound(3, (file_of(&g, 3), &g)));

	/* None left (git gc): an empty record. */
	record(0, true);
	assert_false(sound(1, (file_of(&g, 1), &g)));
	unlink(path);
	record(0, true);	/* none, and no file before: none made */
	assert_int_equal(stat(path, &b), -1);
}

static void
damaged(void **state)
{
	struct objmemo_file f;
	struct stat	 st;
	unsigned char	 c;
	size_t		 i;
	FILE		*fp;

	(void)state;
	record(3, true);
	assert_int_equal(stat(path, &st), 0);
	file_of(&f, 2);
	/* Every seventh byte damaged in turn: nothing known. */
	for (i = 0; i < (size_t)st.st_size; i += 7) {
		assert_non_null(fp = fopen(path, "r+b"));
		assert_int_equal(fseek(fp, (long)i, SEEK_SET), 0);
		c = (unsigned char)fgetc(fp);
		assert_int_equal(fseek(fp, (long)i, SEEK_SET), 0);
		fputc(c ^ 0x01, fp);
		fclose(fp);
		assert_false(sound(2, &f));
		assert_non_null(fp = fopen(path, "r+b"));
		assert_int_equal(fseek(fp, (long)i, SEEK_SET), 0);
		fputc(c, fp);
		fclose(fp);
	}
	assert_true(sound(2, &f));	/* put back: read again */
	assert_int_equal(truncate(path, st.st_size - 1), 0);
	assert_false(sound(2, &f));
	unlink(path);

	/* a folder where the file goes: nothing read, nothing left */
	assert_int_equal(mkdir(path, 0700), 0);
	record(2, true);
	assert_false(sound(2, &f));
	assert_int_equal(rmdir(path), 0);

	/* no file to keep: nothing saved, nothing known */
	{
		struct objmemo	*m = objmemo_open(NULL);
		unsigned char	 id[20];

		id_of(id, 2);
		objmemo_put(m, id, &f);
		assert_false(objmemo_sound(m, id, &f));
		objmemo_close(m, true);
	}
}

/* Records out of order, or an id twice (never written so): ignored. */
static void
disorder(void **state)
{
	unsigned char	 recs[3 * 60], id[20];
	struct objmemo_file f, got;
	struct objmemo	*m;
	int		 k;

	(void)state;
	for (k = 0; k < 3; k++) {
		id_of(recs + k * 60, k + 1);
		file_of(&f, k + 1);
		memcpy(recs + k * 60 + 20, &f.dev, 8);
		memcpy(recs + k * 60 + 28, &f.ino, 8);
		memcpy(recs + k * 60 + 36, &f.size, 8);
		memcpy(recs + k * 60 + 44, &f.mt, 8);
		memcpy(recs + k * 60 + 52, &f.ct, 8);
	}
	m = objmemo_parse((const char *)recs, sizeof(recs));
	assert_int_equal(objmemo_count(m), 3);
	objmemo_get(m, 1, id, &got);
	file_of(&f, 2);
	assert_memory_equal(&got, &f, sizeof(f));
	assert_true(objmemo_sound(m, id, &f));
	objmemo_close(m, false);

	m = objmemo_parse((const char *)recs, sizeof(recs) - 1);
	assert_int_equal(objmemo_count(m), 0);
	objmemo_close(m, false);

	memcpy(recs + 60, recs, 20);		/* the first id twice */
	m = objmemo_parse((const char *)recs, sizeof(recs));
	assert_int_equal(objmemo_count(m), 0);
	objmemo_close(m, false);

	id_of(recs + 60, 9);			/* 1, 9, 3 */
	m = objmemo_parse((const char *)recs, sizeof(recs));
	assert_int_equal(objmemo_count(m), 0);
	objmemo_close(m, false);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(damaged),
		cmocka_unit_test(disorder),
	};
	int	rc;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(path, sizeof(path), "%s/loose-x", dir);
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	if (rmdir(dir) == -1) {	/* a temporary file was left */
		perror(dir);
		rc = 1;
	}
	return rc;
}
