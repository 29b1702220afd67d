/*
 * Tests of the SCSS stage: output, the prelude, module rules, required
 * selectors, site files and how errors name files.  Fixtures live in
 * tests/unit/style/ and are found from the repository root.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "render/style.h"
#include "util/buf.h"
#include "util/diag.h"

#define DIR	"tests/unit/style/"
#define THEME	DIR "theme/"
#define NHSUK	"node_modules/nhsuk-frontend/packages"

/* One compilation with captured diagnostics. */
struct run {
	struct style_opts	 o;
	char			 entry[256];
	struct buf		 css;
	char			*msgs;
	size_t			 msgslen;
	int			 rc;
	unsigned		 errors;
};

/* An in-memory site: NULL-terminated pairs of path and contents. */
struct site {
	const char *const	*files;
	unsigned		 reads;
};

static int
site_read(void *ctx, const char *path, const char **src, size_t *len)
{
	struct site		*s = ctx;
	const char *const	*f;

	s->reads++;
	for (f = s->files; f[0] != NULL; f += 2)
		if (strcmp(f[0], path) == 0) {
			*src = f[1];
			*len = strlen(f[1]);
			return 0;
		}
	return -1;
}

static void
opts(struct run *r, const char *file)
{
	memset(r, 0, sizeof(*r));
	snprintf(r->entry, sizeof(r->entry), THEME "%s", file);
	r->o.entry = r->entry;
	r->o.entry_shown = NULL;
	buf_init(&r->css);
}

static void
compile(struct run *r, const char *shown)
{
	struct diags	 d;
	FILE		*f;

	r->o.entry_shown = shown;
	f = open_memstream(&r->msgs, &r->msgslen);
	assert_non_null(f);
	diag_init(&d, f);
	r->rc = style_compile(&r->o, &r->css, &d);
	r->errors = d.errors;
	diag_free(&d);
	fclose(f);
}

static void
done(struct run *r)
{
	buf_free(&r->css);
	free(r->msgs);
}

/* Compile a fixture expecting success and exactly css. */
static void
expect_css(struct run *r, const char *css)
{
	compile(r, "themes/test/x.scss");
	assert_string_equal(r->msgs, "");
	assert_int_equal(r->rc, 0);
	assert_string_equal(r->css.data, css);
	done(r);
}

/* Compile a fixture expecting failure with exactly msgs. */
static void
expect_errors(struct run *r, const char *shown, unsigned n, const char *msgs)
{
	buf_puts(&r->css, "kept");
	compile(r, shown);
	assert_string_equal(r->msgs, msgs);
	assert_int_equal(r->rc, -1);
	assert_int_equal(r->errors, n);
	assert_string_equal(r->css.data, "kept");
	done(r);
}

static void
test_simple_expanded(void **state)
{
	struct run	r;

	opts(&r, "simple.scss");
	expect_css(&r, ".box {\n  padding: 8px;\n}\n\n"
	    ".box a {\n  color: red;\n}\n");
}

static void
test_simple_compressed(void **state)
{
	struct run	r;

	opts(&r, "simple.scss");
	r.o.compressed = 1;
	expect_css(&r, ".box{padding:8px}.box a{color:red}\n");
}

static void
test_appends(void **state)
{
	struct run	r;

	opts(&r, "simple.scss");
	r.o.compressed = 1;
	buf_puts(&r.css, "/* before */");
	expect_css(&r, "/* before */.box{padding:8px}.box a{color:red}\n");
}

static void
test_prelude(void **state)
{
	struct run	r;

	opts(&r, "brand.scss");
	r.o.prelude = "$brand-colour: #005eb8;\n$radius: 0;";
	expect_css(&r, ".nhsuk-header {\n  background-color: #005eb8;\n"
	    "  border-radius: 0;\n}\n");
}

static void
test_no_prelude_defaults(void **state)
{
	struct run	r;

	opts(&r, "brand.scss");
	r.o.compressed = 1;
	expect_css(&r, ".nhsuk-header{background-color:#000;"
	    "border-radius:2px}\n");
}

static void
test_precision(void **state)
{
	struct run	r;

	opts(&r, "precision.scss");
	r.o.compressed = 1;
	expect_css(&r, ".third{width:33.3333333333%}\n");
}

static void
test_syntax_error(void **state)
{
	struct run	r;

	opts(&r, "syntax.scss");
	expect_errors(&r, "themes/test/syntax.scss", 1,
	    "themes/test/syntax.scss:4:2: error: invalid CSS after "
	    "\"}\": expected \"}\", was \"\"\n");
}

static void
test_undefined_variable_hint(void **state)
{
	struct run	r;

	opts(&r, "undefined.scss");
	expect_errors(&r, "themes/default/scss/main.scss", 1,
	    "themes/default/scss/main.scss:4:10: error: undefined variable "
	    "'$brnd' (did you mean '$brand'?)\n");
}

static void
test_undefined_variable(void **state)
{
	struct run	r;

	opts(&r, "unknown.scss");
	expect_errors(&r, "themes/test/unknown.scss", 1,
	    "themes/test/unknown.scss:2:11: error: undefined variable "
	    "'$gutter-width' (set it with '$gutter-width: value;' before it "
	    "is used)\n");
}

static void
test_prelude_variable_hint(void **state)
{
	struct run	r;

	/* Names set by the prelude are candidates too. */
	opts(&r, "unknown.scss");
	r.o.prelude = "$gutter-widht: 16px;\n";
	expect_errors(&r, "themes/test/unknown.scss", 1,
	    "themes/test/unknown.scss:2:11: error: undefined variable "
	    "'$gutter-width' (did you mean '$gutter-widht'?)\n");
}

static void
test_prelude_error(void **state)
{
	struct run	r;

	opts(&r, "simple.scss");
	r.o.prelude = "$a: 1px;\n$b: $a + 1em;\n";
	expect_errors(&r, "themes/test/simple.scss", 1,
	    "themes/test/simple.scss: error: incompatible units: 'em' and "
	    "'px' (in the prelude the build sets before the stylesheet, "
	    "line 2 column 5)\n");
}

static void
test_missing_import(void **state)
{
	struct run	r;

	opts(&r, "missing.scss");
	expect_errors(&r, "themes/test/missing.scss", 1,
	    "themes/test/missing.scss:2:9: error: cannot find "
	    "'parts/nowhere' to import (expected 'parts/_nowhere.scss' or "
	    "'parts/nowhere.scss' in the site, beside this file or in an "
	    "include path)\n");
}

static void
test_missing_entry(void **state)
{
	struct run	r;

	opts(&r, "absent.scss");
	expect_errors(&r, "themes/test/absent.scss", 1,
	    "themes/test/absent.scss: error: cannot read the stylesheet "
	    "'" THEME "absent.scss': No such file or directory\n");
}

static void
test_nested_syntax_error(void **state)
{
	struct run	r;

	/* Errors deep in a chain of imports name the innermost file. */
	opts(&r, "nested.scss");
	expect_errors(&r, "themes/test/nested.scss", 1,
	    "themes/test/parts/_bad-syntax.scss:3:3: error: invalid CSS after "
	    "\"  @include\": expected identifier, was \";\"\n");
}

static void
test_nested_missing_import(void **state)
{
	struct run	r;

	opts(&r, "nested-missing.scss");
	expect_errors(&r, "themes/test/nested-missing.scss", 1,
	    "themes/test/parts/_lost.scss:4:9: error: cannot find 'gone' to "
	    "import (expected '_gone.scss' or 'gone.scss' in the site, beside "
	    "this file or in an include path)\n");
}

static void
test_import_loop(void **state)
{
	struct run	r;

	opts(&r, "loop.scss");
	expect_errors(&r, "themes/test/loop.scss", 1,
	    "themes/test/parts/_loop-a.scss:1:1: error: this file imports "
	    "itself through the files it imports (an @import loop; remove "
	    "one of the imports)\n");
}

static void
test_use(void **state)
{
	struct run	r;

	/* Only the real rule counts, not comments or strings. */
	opts(&r, "use.scss");
	expect_errors(&r, "themes/x/main.scss", 2,
	    "themes/x/main.scss:4:1: error: '@use' is not supported by "
	    "libsass (use '@import')\n"
	    "themes/x/main.scss:5:17: error: invalid CSS after \".a { "
	    "width: math\": expected expression (e.g. 1px, bold), was "
	    "\".div(1, 2); }\"\n");
}

static void
test_forward(void **state)
{
	struct run	r;

	opts(&r, "forward.scss");
	expect_errors(&r, "themes/x/main.scss", 1,
	    "themes/x/main.scss:3:3: error: '@forward' is not supported by "
	    "libsass (use '@import')\n");
}

static void
test_use_in_prelude(void **state)
{
	struct run	r;

	opts(&r, "simple.scss");
	r.o.prelude = "@use \"sass:math\";\n";
	expect_errors(&r, "themes/x/main.scss", 1,
	    "themes/x/main.scss: error: '@use' is not supported by libsass "
	    "(use '@import'; it is in the prelude the build sets)\n");
}

static void
test_partial_error(void **state)
{
	struct run	r;

	/* Partials beside the entry are named from entry_shown's folder. */
	opts(&r, "partial.scss");
	expect_errors(&r, "themes/default/scss/main.scss", 1,
	    "themes/default/scss/parts/_broken.scss:3:10: error: "
	    "incompatible units: 'em' and 'px'\n");
}

static void
test_include_path(void **state)
{
	struct run		 r;
	const char *const	 inc[] = { DIR "nowhere", DIR "inc", NULL };

	opts(&r, "inc-ok.scss");
	r.o.include_paths = inc;
	expect_css(&r, ".card {\n  margin-bottom: 24px;\n}\n");
}

static void
test_include_path_error(void **state)
{
	struct run		 r;
	char			*cwd, abs[4096];
	const char *const	 inc[] = { abs, NULL };

	/* Outside the entry's folder: relative to the working directory. */
	cwd = getcwd(NULL, 0);
	assert_non_null(cwd);
	snprintf(abs, sizeof(abs), "%s/" DIR "inc", cwd);
	free(cwd);
	opts(&r, "inc-bad.scss");
	r.o.include_paths = inc;
	expect_errors(&r, "themes/test/inc-bad.scss", 1,
	    DIR "inc/_bad-lib.scss:5:15: error: undefined mixin 'gapp' "
	    "(define it with '@mixin gapp' before it is included)\n");
}

static void
test_site_import(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"assets/_brand.scss",
		"@import \"palette\";\n.nhsuk-header { background: $blue; }\n",
		"assets/palette.scss", "$blue: #005eb8;\n",
		NULL, NULL };
	struct site		 s = { files, 0 };

	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	r.o.compressed = 1;
	expect_css(&r, ".nhsuk-header{background:#005eb8}"
	    ".footer{color:#212b32}\n");
	assert_true(s.reads > 0);
}

static void
test_site_overrides_theme(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"parts/_colours.scss", "$text-colour: #000;\n",
		"assets/brand.scss", "",
		NULL, NULL };
	struct site		 s = { files, 0 };

	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	r.o.compressed = 1;
	expect_css(&r, ".footer{color:#000}\n");
}

static void
test_site_error(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"assets/_brand.scss", "// brand\n\n.x {\n  color: $bleu;\n}\n",
		NULL, NULL };
	struct site		 s = { files, 0 };

	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	expect_errors(&r, "themes/test/site.scss", 1,
	    "assets/_brand.scss:4:10: error: undefined variable '$bleu' "
	    "(set it with '$bleu: value;' before it is used)\n");
}

static void
test_site_use(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"assets/brand.scss", "@forward \"x\";\n",
		NULL, NULL };
	struct site		 s = { files, 0 };

	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	expect_errors(&r, "themes/test/site.scss", 1,
	    "assets/brand.scss:1:1: error: '@forward' is not supported by "
	    "libsass (use '@import')\n");
}

static void
test_prelude_unterminated(void **state)
{
	struct run	r;

	/* A missing final ';' in the prelude is forgiven. */
	opts(&r, "brand.scss");
	r.o.prelude = "$radius: 1px;\n$brand-colour: #005eb8  \n";
	r.o.compressed = 1;
	expect_css(&r, ".nhsuk-header{background-color:#005eb8;"
	    "border-radius:1px}\n");
}

static void
test_site_syntax_error(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"assets/_brand.scss", "@import \"mixins\";\n",
		"assets/_mixins.scss", "@mixin x {\n  a: b;\n\n",
		NULL, NULL };
	struct site		 s = { files, 0 };

	/* Imports inside site files resolve beside them. */
	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	expect_errors(&r, "themes/test/site.scss", 1,
	    "assets/_mixins.scss:2:8: error: invalid CSS after \"  a: b;\": "
	    "expected \"}\", was \"\"\n");
}

static void
test_site_missing_import(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"assets/brand.scss", "\n@import 'fonts/inter';\n",
		NULL, NULL };
	struct site		 s = { files, 0 };

	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	expect_errors(&r, "themes/test/site.scss", 1,
	    "assets/brand.scss:2:9: error: cannot find 'fonts/inter' to "
	    "import (expected 'fonts/_inter.scss' or 'fonts/inter.scss' in "
	    "the site, beside this file or in an include path)\n");
}

static void
test_plain_css_import(void **state)
{
	struct run		 r;
	const char *const	 files[] = {
		"assets/brand.scss",
		"@import \"https://example.org/f.css\";\n"
		"@import \"print.css\";\n",
		NULL, NULL };
	struct site		 s = { files, 0 };

	/* Plain CSS imports are kept as they are. */
	opts(&r, "site.scss");
	r.o.site_read = site_read;
	r.o.ctx = &s;
	r.o.compressed = 1;
	expect_css(&r, "@import \"https://example.org/f.css\";"
	    "@import url(print.css);.footer{color:#212b32}\n");
}

static void
test_required_present(void **state)
{
	struct run		 r;
	const char *const	 req[] = { ".icp-ragged",
	    ".nhsuk-header>.nhsuk-logo", ".icp-panel", NULL };

	opts(&r, "required.scss");
	r.o.required = req;
	r.o.compressed = 1;
	expect_css(&r, ".icp-ragged,.nhsuk-header>.nhsuk-logo"
	    "{content:\".icp-rag { }\"}"
	    "@media (min-width: 40em){.icp-panel{margin:0}}\n");
}

static void
test_required_missing(void **state)
{
	struct run		 r;
	const char *const	 req[] = { ".icp-rag", ".nhsuk",
	    ".icp-panel", "40em", NULL };

	/* Comments, strings, longer names and at-rules do not count. */
	opts(&r, "required.scss");
	r.o.required = req;
	expect_errors(&r, "themes/icp/main.scss", 3,
	    "themes/icp/main.scss: error: stylesheet is missing the selector "
	    "'.icp-rag' the theme requires (did an override drop the base "
	    "styles?)\n"
	    "themes/icp/main.scss: error: stylesheet is missing the selector "
	    "'.nhsuk' the theme requires (did an override drop the "
	    "base styles?)\n"
	    "themes/icp/main.scss: error: stylesheet is missing the selector "
	    "'40em' the theme requires (did an override drop the base "
	    "styles?)\n");
}

/* Compilations share no state: run several at once. */
static void *
worker(void *arg)
{
	struct run	*r = arg;

	compile(r, "themes/test/x.scss");
	return NULL;
}

static void
test_threads(void **state)
{
	struct run	 r[4];
	pthread_t	 t[4];
	size_t		 i;

	for (i = 0; i < 4; i++) {
		opts(&r[i], i % 2 ? "brand.scss" : "undefined.scss");
		r[i].o.prelude = "$brand-colour: #005eb8;\n";
		assert_int_equal(pthread_create(&t[i], NULL, worker, &r[i]),
		    0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		if (i % 2) {
			assert_int_equal(r[i].rc, 0);
			assert_string_equal(r[i].css.data, ".nhsuk-header {\n"
			    "  background-color: #005eb8;\n"
			    "  border-radius: 2px;\n}\n");
		} else {
			assert_int_equal(r[i].rc, -1);
			assert_string_equal(r[i].msgs,
			    "themes/test/x.scss:4:10: error: undefined "
			    "variable '$brnd' (did you mean '$brand'?)\n");
		}
		done(&r[i]);
	}
}

static void
test_nhsuk(void **state)
{
	struct run		 r;
	const char *const	 inc[] = { NHSUK, NULL };
	const char *const	 req[] = { ".nhsuk-header", ".nhsuk-footer",
	    ".nhsuk-button", ".nhsuk-summary-list__row", NULL };

	if (access(NHSUK "/nhsuk.scss", R_OK) == -1)
		skip();
	memset(&r, 0, sizeof(r));
	buf_init(&r.css);
	r.o.entry = NHSUK "/nhsuk.scss";
	r.o.include_paths = inc;
	r.o.required = req;
	r.o.compressed = 1;
	r.o.prelude = "$color_nhsuk-blue: #005eb8;\n";
	compile(&r, "themes/default/nhsuk.scss");
	assert_string_equal(r.msgs, "");
	assert_int_equal(r.rc, 0);
	assert_true(r.css.len > 50000);
	assert_non_null(strstr(r.css.data, ".nhsuk-header{"));
	done(&r);
}

/* --- the cache ------------------------------------------------------- */

/* Make or replace dir/name with text. */
static void
put(const char *dir, const char *name, const char *text)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The bytes of a file, or NULL. */
static char *
slurp(const char *path, size_t *len)
{
	struct buf	 b;
	char		 tmp[4096], *p;
	size_t		 n;
	FILE		*f;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(&b, tmp, n);
	fclose(f);
	*len = b.len;
	p = buf_detach(&b);
	buf_free(&b);		/* buf_detach leaves b ready for use */
	return p;
}

/*
 * Compile dir/main.scss (site files from st, the prelude given) with
 * the cache file; the CSS, and whether it came from the cache.
 */
static char *
compile_cached(const char *dir, const char *cache, struct site *st,
    const char *prelude, bool *cached)
{
	struct run	 r;
	char		*css;

	memset(&r, 0, sizeof(r));
	buf_init(&r.css);
	snprintf(r.entry, sizeof(r.entry), "%s/main.scss", dir);
	r.o.entry = r.entry;
	r.o.prelude = prelude;
	r.o.site_read = site_read;
	r.o.site_dir = "assets";
	r.o.ctx = st;
	r.o.compressed = 1;
	r.o.cache = cache;
	r.o.cached = cached;
	*cached = true;		/* the compile must say */
	compile(&r, "themes/test/main.scss");
	assert_string_equal(r.msgs, "");
	assert_int_equal(r.rc, 0);
	css = buf_detach(&r.css);
	done(&r);
	return css;
}

/* Compile expecting (or not) the cache, and CSS with want in it. */
static void
expect_cached(const char *dir, const char *cache, struct site *st,
    const char *prelude, bool want_cached, const char *want)
{
	bool	 cached;
	char	*css = compile_cached(dir, cache, st, prelude, &cached);

	if (strstr(css, want) == NULL)
		fail_msg("'%s' is not in '%s'", want, css);
	assert_int_equal(cached, want_cached);
	free(css);
}

/*
 * The cache is taken only when everything the compile looked at is as
 * it was: each file read, each name tested (a new file earlier in the
 * search order), each site file, the options; and never when damaged.
 */
static void
test_cache(void **state)
{
	char		 dir[] = "/tmp/icpgen-style-XXXXXX", cache[600], *was,
			*now;
	const char	*site1[] = { "assets/brand.scss", ".b{color:blue}",
	    NULL, NULL };
	const char	*site2[] = { "assets/brand.scss", ".b{color:navy}",
	    NULL, NULL };
	struct site	 st = { site1, 0 };
	const char	*pre = "$c: #111111;\n";
	const char	*names[] = { "css-cache", "_part.scss", "part.scss",
	    "main.scss" };
	size_t		 len, len2, i;
	struct run	 r;
	FILE		*f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(cache, sizeof(cache), "%s/css-cache", dir);
	put(dir, "main.scss", "@import \"part\";\n@import \"brand\";\n"
	    ".m { color: $c; }\n");
	put(dir, "part.scss", ".p { color: red; }\n");

	expect_cached(dir, cache, &st, pre, false, ".p{color:red}");
	assert_int_equal(access(cache, R_OK), 0);
	expect_cached(dir, cache, &st, pre, true, ".p{color:red}");
	expect_cached(dir, cache, &st, pre, true, ".b{color:blue}");

	/* A file read changed. */
	put(dir, "part.scss", ".p { color: green; }\n");
	expect_cached(dir, cache, &st, pre, false, ".p{color:green}");
	expect_cached(dir, cache, &st, pre, true, ".p{color:green}");

	/* A file that did not exist now comes first: _part before part. */
	put(dir, "_part.scss", ".p { color: yellow; }\n");
	expect_cached(dir, cache, &st, pre, false, ".p{color:yellow}");
	expect_cached(dir, cache, &st, pre, true, ".p{color:yellow}");

	/* A site file changed. */
	st.files = site2;
	expect_cached(dir, cache, &st, pre, false, ".b{color:navy}");
	expect_cached(dir, cache, &st, pre, true, ".b{color:navy}");

	/* The options changed. */
	expect_cached(dir, cache, &st, "$c: #222222;\n", false,
	    ".m{color:#222}");
	expect_cached(dir, cache, &st, "$c: #222222;\n", true,
	    ".m{color:#222}");

	/* A damaged file is not used, and is made again. */
	assert_non_null(was = slurp(cache, &len));
	was[len / 2] ^= 0x20;
	assert_non_null(f = fopen(cache, "wb"));
	assert_int_equal(fwrite(was, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	expect_cached(dir, cache, &st, "$c: #222222;\n", false,
	    ".m{color:#222}");
	expect_cached(dir, cache, &st, "$c: #222222;\n", true,
	    ".m{color:#222}");
	free(was);

	/* A compile that fails keeps nothing. */
	assert_non_null(was = slurp(cache, &len));
	put(dir, "_part.scss", ".p { color: \n");
	memset(&r, 0, sizeof(r));
	buf_init(&r.css);
	snprintf(r.entry, sizeof(r.entry), "%s/main.scss", dir);
	r.o.entry = r.entry;
	r.o.prelude = "$c: #222222;\n";
	r.o.site_read = site_read;
	r.o.site_dir = "assets";
	r.o.ctx = &st;
	r.o.compressed = 1;
	r.o.cache = cache;
	compile(&r, "themes/test/main.scss");
	assert_int_equal(r.rc, -1);
	done(&r);
	assert_non_null(now = slurp(cache, &len2));
	assert_int_equal(len, len2);
	assert_memory_equal(was, now, len);
	free(was);
	free(now);

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(cache, sizeof(cache), "%s/%s", dir, names[i]);
		assert_int_equal(unlink(cache), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_simple_expanded),
		cmocka_unit_test(test_simple_compressed),
		cmocka_unit_test(test_appends),
		cmocka_unit_test(test_prelude),
		cmocka_unit_test(test_no_prelude_defaults),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_undefined_variable_hint),
		cmocka_unit_test(test_undefined_variable),
		cmocka_unit_test(test_prelude_variable_hint),
		cmocka_unit_test(test_prelude_error),
		cmocka_unit_test(test_missing_import),
		cmocka_unit_test(test_missing_entry),
		cmocka_unit_test(test_nested_syntax_error),
		cmocka_unit_test(test_nested_missing_import),
		cmocka_unit_test(test_import_loop),
		cmocka_unit_test(test_use),
		cmocka_unit_test(test_forward),
		cmocka_unit_test(test_use_in_prelude),
		cmocka_unit_test(test_partial_error),
		cmocka_unit_test(test_include_path),
		cmocka_unit_test(test_include_path_error),
		cmocka_unit_test(test_site_import),
		cmocka_unit_test(test_site_overrides_theme),
		cmocka_unit_test(test_site_error),
		cmocka_unit_test(test_site_use),
		cmocka_unit_test(test_prelude_unterminated),
		cmocka_unit_test(test_site_syntax_error),
		cmocka_unit_test(test_site_missing_import),
		cmocka_unit_test(test_plain_css_import),
		cmocka_unit_test(test_required_present),
		cmocka_unit_test(test_required_missing),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_nhsuk),
		cmocka_unit_test(test_cache),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
