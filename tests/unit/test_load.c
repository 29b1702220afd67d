/*
 * Unit tests of load/src.c (reading a site from git or the working
 * tree) and emit/out.c (atomic output), on repositories made in a
 * temporary folder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "load/src.h"
#include "emit/out.h"

struct fix {
	char		 dir[64];
	struct diags	 d;
	char		*text;
	size_t		 len;
	FILE		*f;
};

static int
sh(const char *fmt, ...)
{
	struct buf	b;
	va_list		ap;
	char		tmp[4096];
	int		rc;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	buf_init(&b);
	buf_printf(&b, "set -e; export GIT_CONFIG_GLOBAL=/dev/null "
	    "GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@example.org "
	    "GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@example.org "
	    "GIT_AUTHOR_DATE=2026-01-05T10:00:00Z "
	    "GIT_COMMITTER_DATE=2026-01-05T10:00:00Z; %s", tmp);
	rc = system(b.data);
	buf_free(&b);
	return rc;
}

static int
setup(void **state)
{
	struct fix	*x = xcalloc(1, sizeof(*x));

	snprintf(x->dir, sizeof(x->dir), "/tmp/icpgen-unit-XXXXXX");
	if (mkdtemp(x->dir) == NULL)
		return -1;
	x->f = open_memstream(&x->text, &x->len);
	diag_init(&x->d, x->f);
	/* A repository with the site in a subfolder, and a later commit. */
	if (sh("cd %s && git init -q -b main repo && cd repo && "
	    "mkdir -p site/pages && echo v1 > site/pages/a.md && "
	    "echo top > README && printf 'x\\n' > site/b.txt && "
	    "git add -A && git commit -qm one && git tag first && "
	    "echo v2 > site/pages/a.md && echo new > site/c.md && "
	    "git add -A && git commit -qm two && "
	    "echo draft > site/pages/a.md && echo tmp > site/scratch.log && "
	    "echo '*.log' > .gitignore", x->dir) != 0)
		return -1;
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*x = *state;

	sh("rm -rf %s", x->dir);
	fclose(x->f);
	free(x->text);
	diag_free(&x->d);
	free(x);
	return 0;
}

static const char *
msgs(struct fix *x)
{
	fflush(x->f);
	return x->text;
}

static char *
path(struct fix *x, const char *rel)
{
	static char	p[256];

	snprintf(p, sizeof(p), "%s/%s", x->dir, rel);
	return p;
}

static void
reads_head_of_subfolder(void **state)
{
	struct fix	*x = *state;
	struct src	*s = src_open(path(x, "repo/site"), NULL, false,
			    x->dir, &x->d);
	const char	*t;
	size_t		 len;
	long		 i;

	assert_non_null(s);
	assert_string_equal(src_prefix(s), "site/");
	assert_int_equal(src_count(s), 3);	/* a.md b.txt c.md, sorted */
	assert_string_equal(src_file(s, 0)->path, "b.txt");
	assert_string_equal(src_file(s, 1)->path, "c.md");
	assert_string_equal(src_file(s, 2)->path, "pages/a.md");
	assert_int_equal(src_find(s, "README"), -1);	/* outside the site */
	i = src_find(s, "pages/a.md");
	assert_int_equal(i, 2);
	t = src_read(s, (size_t)i, &len, &x->d);
	assert_string_equal(t, "v2\n");		/* committed, not the edit */
	assert_int_equal(strlen(src_commit(s)), 40);
	assert_true(src_time(s) == 1767607200);	/* 2026-01-05T10:00Z */
	src_close(s);
	assert_string_equal(msgs(x), "");
}

static void
reads_an_older_ref(void **state)
{
	struct fix	*x = *state;
	struct src	*s = src_open(path(x, "repo/site"), "first", false,
			    x->dir, &x->d);
	size_t		 len;

	assert_non_null(s);
	assert_int_equal(src_find(s, "c.md"), -1);
	assert_string_equal(src_read(s, (size_t)src_find(s, "pages/a.md"),
	    &len, &x->d), "v1\n");
	src_close(s);
}

static void
reads_the_working_tree(void **state)
{
	struct fix	*x = *state;
	struct src	*s = src_open(path(x, "repo/site"), NULL, true,
			    x->dir, &x->d);
	size_t		 len;

	assert_non_null(s);
	assert_string_equal(src_commit(s), "worktree");
	assert_int_equal(src_find(s, "scratch.log"), -1);	/* ignored */
	assert_string_equal(src_read(s, (size_t)src_find(s, "pages/a.md"),
	    &len, &x->d), "draft\n");
	src_close(s);
}

static void
refuses_bad_sources(void **state)
{
	struct fix	*x = *state;
	struct buf	 want;

	assert_null(src_open(path(x, "repo/site"), "nosuch", false, x->dir,
	    &x->d));
	assert_null(src_open(x->dir, NULL, false, x->dir, &x->d));
	assert_null(src_open(path(x, "nowhere"), NULL, false, x->dir,
	    &x->d));
	buf_init(&want);
	buf_printf(&want, "icpgen: error: unknown ref 'nosuch' in '%s/repo/' "
	    "(give a branch, tag or commit id that exists, e.g. HEAD)\n"
	    "icpgen: error: '%s' is not in a git repository (run 'git init' "
	    "there and commit the content)\n"
	    "icpgen: error: cannot open site folder '%s/nowhere': No such "
	    "file or directory\n", x->dir, x->dir, x->dir);
	assert_string_equal(msgs(x), want.data);
	buf_free(&want);
}

static void
uncommitted_folder(void **state)
{
	struct fix	*x = *state;

	assert_int_equal(sh("mkdir -p %s/repo/fresh && touch "
	    "%s/repo/fresh/x.md", x->dir, x->dir), 0);
	assert_null(src_open(path(x, "repo/fresh"), NULL, false, x->dir,
	    &x->d));
	assert_non_null(strstr(msgs(x), "folder 'fresh/' is not in commit "));
	assert_non_null(strstr(msgs(x), "(commit it first, or use "
	    "--worktree to preview)"));
}

static void
output_is_swapped_whole(void **state)
{
	struct fix	*x = *state;
	struct out	*o;
	struct stat	 st;
	char		 site[256];

	snprintf(site, sizeof(site), "%s/public", x->dir);
	o = out_begin(site, &x->d);
	assert_non_null(o);
	assert_int_equal(out_write(o, "a/b/index.html", "one", 3, &x->d), 0);
	assert_int_equal(stat(site, &st), -1);	/* nothing visible yet */
	assert_int_equal(out_commit(o, NULL, 0, &x->d), 0);
	assert_int_equal(sh("grep -qx one %s/a/b/index.html", site), 0);

	o = out_begin(site, &x->d);		/* a second build */
	assert_int_equal(out_write(o, "c.txt", "two", 3, &x->d), 0);
	assert_int_equal(sh("test -f %s/a/b/index.html", site), 0);
	out_abort(o);				/* a failed one */
	assert_int_equal(sh("test -f %s/a/b/index.html && test ! -e "
	    "%s/c.txt", site, site), 0);

	o = out_begin(site, &x->d);
	assert_int_equal(out_write(o, "c.txt", "two", 3, &x->d), 0);
	assert_int_equal(out_commit(o, NULL, 0, &x->d), 0);
	assert_int_equal(sh("test ! -e %s/a && test -f %s/c.txt && "
	    "test -z \"$(ls -A %s | grep new-)\"", site, site, x->dir), 0);
	assert_string_equal(msgs(x), "");
}

static void
output_refusals(void **state)
{
	struct fix	*x = *state;
	struct out	*o;
	char		 p[256];

	snprintf(p, sizeof(p), "%s/mine", x->dir);
	assert_int_equal(sh("mkdir %s && echo keep > %s/notes.txt", p, p), 0);
	assert_null(out_begin(p, &x->d));
	assert_null(out_begin("/", &x->d));
	snprintf(p, sizeof(p), "%s/repo/README/site", x->dir);
	assert_null(out_begin(p, &x->d));
	snprintf(p, sizeof(p), "%s/ok", x->dir);
	o = out_begin(p, &x->d);
	assert_int_equal(out_write(o, "../escape", "x", 1, &x->d), -1);
	assert_int_equal(out_write(o, "/abs", "x", 1, &x->d), -1);
	out_abort(o);
	assert_non_null(strstr(msgs(x), "is not empty and was not written "
	    "by icpgen (empty it or choose another --out)"));
	assert_non_null(strstr(msgs(x), "icpgen: error: refusing to write "
	    "the site to '/' (name a folder of its own, e.g. --out public)"));
	assert_non_null(strstr(msgs(x), "/repo/README/site': Not a directory"
	    " (choose another --out)"));
	assert_non_null(strstr(msgs(x), "../escape: error: refusing to "
	    "write outside the output folder"));
	assert_int_equal(sh("grep -qx keep %s/mine/notes.txt", x->dir), 0);
}

static void
stale_staging_is_removed(void **state)
{
	struct fix	*x = *state;
	struct out	*o;
	char		 p[256];

	/* Process id 999999999 cannot exist: its build was killed. */
	assert_int_equal(sh("mkdir -p %s/.site.new-999999999/x", x->dir), 0);
	snprintf(p, sizeof(p), "%s/site", x->dir);
	o = out_begin(p, &x->d);
	assert_non_null(o);
	assert_int_equal(sh("test ! -e %s/.site.new-999999999", x->dir), 0);
	out_abort(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reads_head_of_subfolder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reads_an_older_ref, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(reads_the_working_tree, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refuses_bad_sources, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(uncommitted_folder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(output_is_swapped_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(output_refusals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(stale_staging_is_removed, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
