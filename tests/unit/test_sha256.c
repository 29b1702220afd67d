/*
 * Unit tests of util/sha256.c: digests fed in pieces equal the digest
 * of the whole, across every block boundary.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/sha256.h"

static void
known_vectors(void **state)
{
	unsigned char	dg[32];
	/* sha256sum of "abc" */
	static const unsigned char abc[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41,
		0x40, 0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3,
		0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00,
		0x15, 0xad,
	};

	sha256("abc", 3, dg);
	assert_memory_equal(dg, abc, 32);
}

static void
pieces_equal_whole(void **state)
{
	unsigned char	data[300], whole[32], part[32];
	struct sha256	c;
	size_t		n, cut, step;

	for (n = 0; n < sizeof(data); n++)
		data[n] = (unsigned char)(n * 7 + 3);
	for (n = 0; n <= sizeof(data); n += 13)
		for (cut = 0; cut <= n; cut += 5)
			for (step = 1; step <= 70; step += 23) {
				size_t at;

				sha256(data, n, whole);
				sha256_init(&c);
				sha256_update(&c, data, cut);
				for (at = cut; at < n; at += step)
					sha256_update(&c, data + at,
					    n - at < step ? n - at : step);
				sha256_final(&c, part);
				assert_memory_equal(whole, part, 32);
			}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(known_vectors),
		cmocka_unit_test(pieces_equal_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
