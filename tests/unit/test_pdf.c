/*
 * Unit tests of PDF page counts.  The PDFs are in tests/unit/pdf/
 * (see its README) and are found from the repository root.
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
#include "load/pdf.h"

#define DIR	"tests/unit/pdf/"

static void
slurp(struct buf *b, const char *name)
{
	FILE	*f = fopen(name, "rb");
	char	 chunk[4096];
	size_t	 n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(b, chunk, n);
	fclose(f);
}

static size_t
count(const char *name)
{
	struct buf	b;
	size_t		n;

	buf_init(&b);
	slurp(&b, name);
	n = pdf_page_count(b.data, b.len);
	buf_free(&b);
	return n;
}

/* A signed or annotated paper: the page is rewritten in an update. */
static void
incremental_update_counts_once(void **state)
{
	assert_int_equal(count(DIR "updated.pdf"), 1);
}

/* Page objects inside compressed object streams are counted. */
static void
object_streams(void **state)
{
	assert_int_equal(count(DIR "objstm.pdf"), 3);
}

/* What qpdf cannot read has no count, never a wrong one. */
static void
unreadable_gives_none(void **state)
{
	struct buf	b;

	assert_int_equal(count(DIR "truncated.pdf"), 0);
	assert_int_equal(pdf_page_count("", 0), 0);
	assert_int_equal(pdf_page_count(NULL, 0), 0);
	assert_int_equal(pdf_page_count("not a pdf at all", 16), 0);
	/* A damaged cross-reference table is not repaired. */
	buf_init(&b);
	slurp(&b, DIR "updated.pdf");
	memcpy(strstr(b.data, "xref"), "xreF", 4);
	assert_int_equal(pdf_page_count(b.data, b.len), 0);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(incremental_update_counts_once),
		cmocka_unit_test(object_streams),
		cmocka_unit_test(unreadable_gives_none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
