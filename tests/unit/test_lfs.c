/*
 * Unit tests of the Git LFS pointer reader (load/lfs.c): what is a
 * pointer, what only looks like one, and what begins as one but is
 * damaged.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "load/lfs.h"

#define V1	"version https://git-lfs.github.com/spec/v1\n"
#define OID	"4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393"

static int
parse(const char *text, struct lfs_pointer *p, const char **why)
{
	return lfs_pointer(text, strlen(text), p, why);
}

/* Returns why the text is refused, asserting that it is. */
static const char *
refused(const char *text)
{
	struct lfs_pointer p;
	const char	*why;

	assert_int_equal(parse(text, &p, &why), -1);
	assert_non_null(why);
	return why;
}

static void
not_pointer(const char *text)
{
	struct lfs_pointer p;
	const char	*why;

	assert_int_equal(parse(text, &p, &why), 0);
	assert_null(why);
}

static void
as_git_lfs_writes_it(void **state)
{
	struct lfs_pointer p;
	const char	*why;

	(void)state;
	assert_int_equal(parse(V1 "oid sha256:" OID "\nsize 12345\n", &p,
	    &why), 1);
	assert_string_equal(p.oid, OID);
	assert_int_equal(p.size, 12345);
	assert_null(why);
}

static void
variants_git_lfs_reads(void **state)
{
	struct lfs_pointer p;
	const char	*why;

	(void)state;
	/* CRLF line ends, no final newline, an extension, the old name. */
	assert_int_equal(parse("version https://git-lfs.github.com/spec/v1"
	    "\r\noid sha256:" OID "\r\nsize 0", &p, &why), 1);
	assert_int_equal(p.size, 0);
	assert_int_equal(parse(V1 "ext-0-foo sha256:" OID "\noid sha256:"
	    OID "\nsize 7\n", &p, &why), 1);
	assert_int_equal(p.size, 7);
	assert_int_equal(parse("version https://hawser.github.com/spec/v1\n"
	    "oid sha256:" OID "\nsize 9\n", &p, &why), 1);
	/* The largest size that fits in 19 digits. */
	assert_int_equal(parse(V1 "oid sha256:" OID "\nsize 9999999999999"
	    "999999\n", &p, &why), 1);
	assert_true(p.size == 9999999999999999999ULL);
}

static void
other_text(void **state)
{
	char	big[LFS_POINTER_MAX + 64];

	(void)state;
	not_pointer("");
	not_pointer("version");
	not_pointer("version 2 of the humans file\n");
	not_pointer("Version https://git-lfs.github.com/spec/v1\n");
	not_pointer("%PDF-1.4\n");
	/* A pointer's text, but too long to be one. */
	memset(big, ' ', sizeof(big));
	memcpy(big, V1 "oid sha256:" OID "\nsize 1\n",
	    sizeof(V1 "oid sha256:" OID "\nsize 1\n") - 1);
	big[sizeof(big) - 1] = '\0';
	not_pointer(big);
}

static void
damaged(void **state)
{
	(void)state;
	assert_string_equal(refused(V1 "size 1\n"), "it has no oid line");
	assert_string_equal(refused(V1 "oid sha256:" OID "\n"),
	    "it has no size line");
	assert_string_equal(refused(V1), "it has no oid line");
	assert_string_equal(refused("version https://git-lfs.github.com/"
	    "spec/v2\noid sha256:" OID "\nsize 1\n"),
	    "a version of the pointer format icpgen does not know");
	/* The oid: the method, the length, the digits. */
	refused(V1 "oid sha1:" OID "\nsize 1\n");
	refused(V1 "oid sha256:" OID "0\nsize 1\n");
	refused(V1 "oid sha256:4D7A214614ab2935c943f9e0ff69d22eadbb8f32b125"
	    "8daaa5e2ca24d17e2393\nsize 1\n");
	/* The size: empty, signed, not digits, 20 digits. */
	refused(V1 "oid sha256:" OID "\nsize \n");
	refused(V1 "oid sha256:" OID "\nsize -1\n");
	refused(V1 "oid sha256:" OID "\nsize 12k\n");
	refused(V1 "oid sha256:" OID "\nsize 18446744073709551616\n");
	assert_string_equal(refused(V1 "oid sha256:" OID "\noid sha256:" OID
	    "\nsize 1\n"), "two oid lines");
	assert_string_equal(refused(V1 "oid sha256:" OID "\nsize 1\nsize 1\n"),
	    "two size lines");
	assert_string_equal(refused(V1 V1 "oid sha256:" OID "\nsize 1\n"),
	    "two version lines");
	assert_string_equal(refused(V1 "\noid sha256:" OID "\nsize 1\n"),
	    "a line that is not a key, a space and a value");
	assert_string_equal(refused(V1 "Oid sha256:" OID "\nsize 1\n"),
	    "a line that is not a key, a space and a value");
}

static void
nul_byte(void **state)
{
	static const char text[] = V1 "oid sha256:" OID "\nsize 1\n\0x";
	struct lfs_pointer p;
	const char	*why;

	(void)state;
	assert_int_equal(lfs_pointer(text, sizeof(text) - 1, &p, &why), -1);
	assert_string_equal(why, "it holds a NUL byte");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(as_git_lfs_writes_it),
		cmocka_unit_test(variants_git_lfs_reads),
		cmocka_unit_test(other_text),
		cmocka_unit_test(damaged),
		cmocka_unit_test(nul_byte),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
