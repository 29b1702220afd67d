/*
 * Unit tests of model/kind.c: every row of the kind table has every
 * column it needs, so no NULL reaches a "%s" from a missing row, and
 * the file rules give the ids and URLs the site promises.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "model/kind.h"

static void
every_row_is_complete(void **state)
{
	const struct kind *k;
	size_t		 i;

	assert_int_equal(kind_count(), PAGE__MAX);
	for (i = 0; i < kind_count(); i++) {
		k = kind_get((enum page_kind)i);
		assert_int_equal(k->kind, i);	/* no row left out */
		assert_non_null(k->name);
		assert_true(k->name[0] != '\0');
		assert_non_null(k->noun);
		assert_non_null(k->folder);
		assert_non_null(k->file);
		/* A kind with files has a schema and a template. */
		assert_true((k->file[0] != '\0') == (k->schema != NULL));
		assert_true((k->file[0] != '\0') == (k->template != NULL));
		/* A listing page has all four of its columns, or none. */
		assert_true((k->list_id != NULL) == (k->list_url != NULL));
		assert_true((k->list_id != NULL) == (k->list_title != NULL));
		assert_true((k->list_id != NULL) ==
		    (k->list_template != NULL));
		/* A listed kind says how it is sorted. */
		assert_true(k->list_key == NULL || k->sort != SORT_NONE);
		assert_true(k->list_id == NULL || k->sort != SORT_NONE);
		/* A feed has a title and a listing to link to. */
		assert_true((k->feed != NULL) == (k->feed_title != NULL));
		assert_true((k->feed != NULL) == (k->feed_list != NULL));
		/* Folders end in '/' so paths join. */
		assert_true(k->folder[0] == '\0' ||
		    k->folder[strlen(k->folder) - 1] == '/');
	}
}

static void
names_are_unique(void **state)
{
	size_t	i, j;

	for (i = 0; i < kind_count(); i++)
		for (j = i + 1; j < kind_count(); j++)
			assert_string_not_equal(kind_get((enum page_kind)i)->name,
			    kind_get((enum page_kind)j)->name);
}

static const char *
classify(const char *path, enum page_kind *k, const char **url)
{
	static struct buf	id, u;

	if (id.data == NULL) {
		buf_init(&id);
		buf_init(&u);
	}
	if (!kind_classify(path, k, &id, &u))
		return NULL;
	*url = u.data;
	return id.data;
}

static void
file_rules(void **state)
{
	enum page_kind	 k;
	const char	*url;

	assert_string_equal(classify("index.md", &k, &url), "home");
	assert_int_equal(k, PAGE_HOME);
	assert_string_equal(url, "");
	assert_string_equal(classify("pages/help/index.md", &k, &url), "help");
	assert_int_equal(k, PAGE_PAGE);
	assert_string_equal(classify("meetings/m1/index.md", &k, &url), "m1");
	assert_int_equal(k, PAGE_MEETING);
	assert_string_equal(url, "meetings/m1/");
	assert_string_equal(classify("meetings/m1/minutes.md", &k, &url),
	    "m1");
	assert_int_equal(k, PAGE_MINUTES);
	assert_string_equal(url, "meetings/m1/minutes/");
	assert_string_equal(classify("meetings/m1/finance.md", &k, &url),
	    "m1/finance");
	assert_int_equal(k, PAGE_PAPER);
	assert_string_equal(url, "meetings/m1/finance/");
	assert_string_equal(classify("strategy/measures/x.md", &k, &url), "x");
	assert_int_equal(k, PAGE_MEASURE);
	assert_string_equal(classify("strategy/x.md", &k, &url), "x");
	assert_int_equal(k, PAGE_PRIORITY);
	assert_null(classify("meetings/m1/a/b.md", &k, &url));
	assert_null(classify("news/a/b.md", &k, &url));
	assert_null(classify("news/.md", &k, &url));
	assert_null(classify("elsewhere/x.md", &k, &url));
}

static void
paths_for_messages(void **state)
{
	struct buf	b;

	buf_init(&b);
	kind_path(PAGE_PERSON, "carol", &b);
	assert_string_equal(b.data, "people/carol.md");
	buf_reset(&b);
	kind_path(PAGE_MEETING, "m1", &b);
	assert_string_equal(b.data, "meetings/m1/index.md");
	buf_reset(&b);
	kind_path(PAGE_PAPER, "m1/x", &b);
	assert_string_equal(b.data, "meetings/m1/x.md");
	buf_reset(&b);
	kind_folders(&b);
	assert_non_null(strstr(b.data, "meetings/"));
	assert_null(strstr(b.data, "measures"));
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_row_is_complete),
		cmocka_unit_test(names_are_unique),
		cmocka_unit_test(file_rules),
		cmocka_unit_test(paths_for_messages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
