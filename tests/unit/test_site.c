/*
 * Unit tests of model/site.c: where each content file is published.
 * URLs are the site's public contract, so every rule is pinned here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "model/site.h"

static const char *
url(const char *base, const char *path)
{
	static struct buf	b;
	struct site		s;

	memset(&s, 0, sizeof(s));
	s.base_path = base;
	if (b.data == NULL)
		buf_init(&b);
	buf_reset(&b);
	return site_url(&s, path, &b) ? b.data : NULL;
}

static void
pages_by_folder(void **state)
{
	assert_string_equal(url("/", "index.md"), "/");
	assert_string_equal(url("/", "pages/about.md"), "/about/");
	assert_string_equal(url("/", "pages/help/index.md"), "/help/");
	assert_string_equal(url("/", "pages/help/faq.md"), "/help/faq/");
	assert_string_equal(url("/", "news/2026-01-01-x.md"),
	    "/news/2026-01-01-x/");
	assert_string_equal(url("/", "committees/icp.md"), "/committees/icp/");
	assert_string_equal(url("/", "strategy/live-well.md"),
	    "/strategy/live-well/");
	assert_string_equal(url("/", "meetings/2026-01-14-icp/index.md"),
	    "/meetings/2026-01-14-icp/");
	assert_string_equal(url("/", "meetings/2026-01-14-icp/finance.md"),
	    "/meetings/2026-01-14-icp/finance/");
}

static void
files_keep_their_paths(void **state)
{
	assert_string_equal(url("/", "meetings/2026-01-14-icp/a.pdf"),
	    "/meetings/2026-01-14-icp/a.pdf");
	assert_string_equal(url("/", "static/favicon.svg"), "/favicon.svg");
	assert_string_equal(url("/", "pages/chart.svg"), "/chart.svg");
}

static void
base_path_is_prefixed(void **state)
{
	assert_string_equal(url("/icp/", "index.md"), "/icp/");
	assert_string_equal(url("/icp/", "pages/about.md"), "/icp/about/");
	assert_string_equal(url("/icp/", "static/x.css"), "/icp/x.css");
}

static void
machinery_is_never_published(void **state)
{
	assert_null(url("/", "icpgen.yaml"));
	assert_null(url("/", "templates/page.html"));
	assert_null(url("/", "assets/site.scss"));
	assert_null(url("/", "hooks/site.lua"));
	assert_null(url("/", "lua/places.lua"));
	assert_null(url("/", "themes/mine/theme.yaml"));
	assert_null(url("/", ".gitignore"));
	assert_null(url("/", "meetings/.draft/x.pdf"));
	assert_null(url("/", "README.md"));
	assert_null(url("/", "NOTES.md"));		/* .md outside a folder */
	assert_null(url("/", "meetings/a/b/c.md"));	/* too deep */
	assert_null(url("/", "news/2026/x.md"));
}

static void
kind_names(void **state)
{
	assert_string_equal(site_kind_name(PAGE_MEETING), "meeting");
	assert_string_equal(site_kind_name(PAGE_LIST), "listing");
	assert_string_equal(site_kind_name(PAGE__MAX), "page");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(pages_by_folder),
		cmocka_unit_test(files_keep_their_paths),
		cmocka_unit_test(base_path_is_prefixed),
		cmocka_unit_test(machinery_is_never_published),
		cmocka_unit_test(kind_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
