/*
 * Unit tests of hooks/: the Lua runtime, its conversions, its sandbox
 * and its budgets.  Every error is checked by its full text, with the
 * file and line it is reported at.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "hooks/hooks.h"

struct file {
	const char	*path;
	const char	*text;
};

struct fx {
	struct arena		*a;
	struct diags		 d;
	FILE			*f;
	char			*text;
	size_t			 len;
	struct hooks		*h;
	const struct file	*site;
	int			 reads;
	size_t			 seen;		/* of text, by out() */
};

static int
site_read(void *ctx, const char *path, const char **src, size_t *len)
{
	struct fx		*x = ctx;
	const struct file	*f;

	for (f = x->site; f != NULL && f->path != NULL; f++)
		if (strcmp(f->path, path) == 0) {
			x->reads++;
			*src = f->text;
			*len = strlen(f->text);
			return 0;
		}
	return -1;
}

static struct fx *
fx_new(const struct hook_limits *lim, const struct file *site)
{
	struct fx	*x = xcalloc(1, sizeof(*x));

	x->a = arena_new();
	x->f = open_memstream(&x->text, &x->len);
	assert_non_null(x->f);
	diag_init(&x->d, x->f);
	x->site = site;
	x->h = hooks_new(lim, site_read, x);
	assert_non_null(x->h);
	return x;
}

static void
fx_free(struct fx *x)
{
	hooks_free(x->h);
	diag_free(&x->d);
	fclose(x->f);
	free(x->text);
	arena_free(x->a);
	free(x);
}

/* Diagnostics since the last call. */
static char *
out(struct fx *x)
{
	static char	 copy[8192];

	fflush(x->f);
	snprintf(copy, sizeof(copy), "%s", x->len > x->seen ?
	    x->text + x->seen : "");
	x->seen = x->len;
	return copy;
}

static int
load(struct fx *x, const char *path, const char *src)
{
	return hooks_load(x->h, path, src, strlen(src), &x->d);
}

/* Load src as hooks/site.lua and call hook page on v. */
static int
page(struct fx *x, const char *src, struct val **v)
{
	assert_int_equal(load(x, "hooks/site.lua", src), 0);
	assert_string_equal(out(x), "");
	return hooks_call(x->h, "page", x->a, v, &x->d);
}

/* Run src as a page hook on an empty page; expect it to fail with msg. */
static void
fails(const struct hook_limits *lim, const char *src, const char *msg)
{
	/* Default budgets, but time enough for slow runs (valgrind). */
	static const struct hook_limits relaxed = { 0, 0, 60, 0 };
	struct fx	*x = fx_new(lim != NULL ? lim : &relaxed, NULL);
	struct val	*v = val_map(x->a), *orig = v;

	assert_int_equal(page(x, src, &v), -1);
	assert_string_equal(out(x), msg);
	assert_ptr_equal(v, orig);
	fx_free(x);
}

static struct val *
at(struct val *v, const char *file, int line, int col)
{
	v->file = file;
	v->line = line;
	v->col = col;
	return v;
}

/* A page like the front matter reader makes. */
static struct val *
sample_page(struct arena *a)
{
	struct val	*p = val_map(a), *tags = val_list(a), *meta = val_map(a);
	const char	*f = "content/a.md";

	at(p, f, 1, 1);
	val_set(a, p, "title", at(val_str(a, "Hello"), f, 2, 1));
	val_set(a, p, "n", at(val_num(a, 3), f, 3, 1));
	val_set(a, p, "f", at(val_num(a, 1.5), f, 4, 1));
	val_set(a, p, "ok", at(val_bool(a, true), f, 5, 1));
	val_set(a, p, "none", at(val_new(a, VAL_NULL), f, 6, 1));
	val_push(a, tags, at(val_str(a, "a"), f, 8, 5));
	val_push(a, tags, at(val_new(a, VAL_NULL), f, 9, 5));
	val_push(a, tags, at(val_str(a, "b"), f, 10, 5));
	val_set(a, p, "tags", at(tags, f, 7, 1));
	val_set(a, meta, "x", at(val_str(a, "y"), f, 12, 3));
	val_set(a, p, "meta", at(meta, f, 11, 1));
	return p;
}

static void
keys_are(const struct val *m, const char *want)
{
	char	 got[256] = "";
	size_t	 i;

	assert_int_equal(m->kind, VAL_MAP);
	for (i = 0; i < m->n; i++) {
		if (i > 0)
			strncat(got, ",", sizeof(got) - strlen(got) - 1);
		strncat(got, m->pairs[i].key, sizeof(got) - strlen(got) - 1);
	}
	assert_string_equal(got, want);
}

/* --- conversion ------------------------------------------------------ */

static void
roundtrip_keeps_values_order_and_places(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = sample_page(x->a), *orig = v, *t;

	assert_int_equal(page(x, "icp.hook('page', function (p) end)\n", &v),
	    0);
	assert_string_equal(out(x), "");
	assert_ptr_not_equal(v, orig);
	keys_are(v, "title,n,f,ok,none,tags,meta");
	assert_string_equal(val_get_str(v, "title"), "Hello");
	assert_int_equal(val_get(v, "title")->line, 2);
	assert_string_equal(val_get(v, "title")->file, "content/a.md");
	assert_int_equal(val_get(v, "n")->kind, VAL_NUM);
	assert_true(val_get(v, "n")->num == 3);
	assert_int_equal(val_get(v, "n")->line, 3);
	assert_true(val_get(v, "f")->num == 1.5);
	assert_int_equal(val_get(v, "ok")->kind, VAL_BOOL);
	assert_true(val_get(v, "ok")->b);
	assert_int_equal(val_get(v, "none")->kind, VAL_NULL);
	assert_int_equal(val_get(v, "none")->line, 6);
	t = val_get(v, "tags");
	assert_int_equal(t->kind, VAL_LIST);
	assert_int_equal(t->n, 3);
	assert_int_equal(t->line, 7);
	assert_string_equal(t->items[0]->str, "a");
	assert_int_equal(t->items[0]->line, 8);
	assert_int_equal(t->items[0]->col, 5);
	assert_int_equal(t->items[1]->kind, VAL_NULL);
	assert_string_equal(t->items[2]->str, "b");
	assert_string_equal(val_path(v, "meta.x")->str, "y");
	assert_int_equal(val_path(v, "meta.x")->line, 12);
	assert_int_equal(v->line, 1);
	fx_free(x);
}

static void
lua_sees_the_right_types(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = sample_page(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  assert(math.type(p.n) == 'integer')\n"
	    "  assert(math.type(p.f) == 'float')\n"
	    "  assert(p.title == 'Hello' and p.ok == true)\n"
	    "  assert(p.none == nil)\n"
	    "  assert(#p.tags == 3 and p.tags[2] == icp.null)\n"
	    "  assert(tostring(icp.null) == 'null')\n"
	    "  assert(p.meta.x == 'y')\n"
	    "  assert(type(icp.version) == 'string')\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	fx_free(x);
}

static void
page_hook_changes_in_place(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = sample_page(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  p.title = p.title:upper()\n"
	    "  p.n = nil\n"
	    "  p.z = 1\n"
	    "  p.a = 'new'\n"
	    "  table.insert(p.tags, 'c')\n"
	    "  p.meta.x = 'y'\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	keys_are(v, "title,f,ok,none,tags,meta,a,z");
	assert_string_equal(val_get_str(v, "title"), "HELLO");
	assert_int_equal(val_get(v, "title")->line, 0);
	assert_null(val_get(v, "title")->file);
	assert_false(val_get(v, "title")->quoted);
	assert_int_equal(val_get(v, "f")->line, 4);
	assert_int_equal(val_get(v, "tags")->n, 4);
	assert_int_equal(val_get(v, "tags")->line, 7);
	assert_string_equal(val_get(v, "tags")->items[3]->str, "c");
	assert_int_equal(val_get(v, "tags")->items[3]->line, 0);
	assert_int_equal(val_path(v, "meta.x")->line, 12);
	assert_true(val_get(v, "z")->num == 1);
	fx_free(x);
}

static void
page_hook_replaces(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = sample_page(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  return { title = p.title, list = {}, tags = {} }\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	/* none was null and is still absent, so it stays null. */
	keys_are(v, "title,none,tags,list");
	assert_int_equal(val_get(v, "title")->line, 2);
	assert_int_equal(val_get(v, "list")->kind, VAL_MAP);
	assert_int_equal(val_get(v, "tags")->kind, VAL_LIST);
	assert_int_equal(val_get(v, "tags")->n, 0);
	assert_int_equal(val_get(v, "none")->kind, VAL_NULL);
	fx_free(x);
}

static void
hooks_run_in_registration_order(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_false(hooks_has(x->h, "page"));
	assert_int_equal(load(x, "hooks/a.lua",
	    "icp.hook('page', function (p) p.s = (p.s or '') .. 'a1' end)\n"
	    "icp.hook('page', function (p)\n"
	    "  return { s = p.s .. 'a2' }\n"
	    "end)\n"), 0);
	assert_int_equal(load(x, "hooks/b.lua",
	    "icp.hook('page', function (p) p.s = p.s .. 'b' end)\n"), 0);
	assert_true(hooks_has(x->h, "page"));
	assert_false(hooks_has(x->h, "config"));
	assert_false(hooks_has(x->h, "nonsense"));
	assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), 0);
	assert_string_equal(val_get_str(v, "s"), "a1a2b");
	/* A hook nobody registered leaves the value alone. */
	assert_int_equal(hooks_call(x->h, "config", x->a, &v, &x->d), 0);
	assert_string_equal(out(x), "");
	fx_free(x);
}

static void
unknown_hook_name_suggests(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);

	assert_int_equal(load(x, "hooks/site.lua",
	    "\nicp.hook('pgae', function () end)\n"), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:2: error: unknown hook 'pgae' (did you mean "
	    "'page'?)\n"
	    "hooks/site.lua:2: note: in main chunk\n");
	assert_int_equal(load(x, "hooks/site.lua",
	    "icp.hook('render', function () end)\n"), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:1: error: unknown hook 'render' (hooks are "
	    "'config', 'page' and 'pages')\n"
	    "hooks/site.lua:1: note: in main chunk\n");
	fx_free(x);
}

static void
conversion_errors(void **state)
{
	fails(NULL,
	    "local t = { x = {} }\n"
	    "t.x.back = t\n"
	    "icp.hook('page', function (p)\n"
	    "  p.loop = t\n"
	    "end)\n",
	    "hooks/site.lua:3: error: hook 'page' produced a table that "
	    "contains itself at 'loop.x.back'\n");
	fails(NULL,
	    "icp.hook('page', function (p) p.f = print end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a function at 'f' "
	    "(values must be tables, strings, numbers, booleans or "
	    "icp.null)\n");
	fails(NULL,
	    "icp.hook('page', function (p)\n"
	    "  return 'text'\n"
	    "end)\n",
	    "hooks/site.lua:1: error: hook 'page' must return a table or "
	    "nothing, not a string\n");
	fails(NULL,
	    "icp.hook('page', function (p) p.m = { 1, 2, x = 3 } end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a table that mixes "
	    "list items with named keys at 'm' (use either a list or a "
	    "map)\n");
	fails(NULL,
	    "icp.hook('page', function (p) p.l = { 1, nil, 3 } end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a list with holes "
	    "at 'l' (use icp.null, not nil, for empty items)\n");
	fails(NULL,
	    "icp.hook('page', function (p) p.k = { [true] = 1 } end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a table with a "
	    "boolean key at 'k' (keys must be strings, or 1, 2, ... for a "
	    "list)\n");
	fails(NULL,
	    "icp.hook('page', function (p) p.k = { [1.5] = 1 } end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a table with the "
	    "number key 1.5 at 'k' (keys must be strings, or 1, 2, ... for a "
	    "list)\n");
	fails(NULL,
	    "icp.hook('page', function (p)\n"
	    "  local t = p\n"
	    "  for i = 1, 40 do t.d = {} t = t.d end\n"
	    "end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a table nested "
	    "deeper than 32 levels at 'd.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d.d."
	    "d.d.d.d.d.d.d.d.d.d.d.d.d'\n");
	fails(NULL,
	    "icp.hook('page', function (p) p.list = { { 1, print } } end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced a function at "
	    "'list[1][2]' (values must be tables, strings, numbers, booleans "
	    "or icp.null)\n");
}

static void
too_deep_to_pass(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a), *orig = v, *m = v, *n;
	int		 i;

	for (i = 1; i <= 40; i++) {
		n = at(val_map(x->a), "content/deep.md", i, 1);
		val_set(x->a, m, "d", n);
		m = n;
	}
	assert_int_equal(page(x, "icp.hook('page', function (p) end)\n",
	    &v), -1);
	assert_string_equal(out(x), "content/deep.md:32: error: value nested "
	    "deeper than 32 levels cannot be passed to hooks\n");
	assert_ptr_equal(v, orig);
	fx_free(x);
}

static void
conversion_error_names_the_guilty_hook(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(load(x, "hooks/a.lua",
	    "icp.hook('page', function (p) p.a = 1 end)\n"), 0);
	assert_int_equal(load(x, "hooks/b.lua",
	    "-- second\n"
	    "icp.hook('page', function (p) p.co = print end)\n"), 0);
	assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), -1);
	assert_string_equal(out(x),
	    "hooks/b.lua:2: error: hook 'page' produced a function at 'co' "
	    "(values must be tables, strings, numbers, booleans or "
	    "icp.null)\n");
	fx_free(x);
}

static void
shared_tables_are_not_cycles(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  local s = { 'x' }\n"
	    "  p.a, p.b = s, s\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_string_equal(val_get(v, "a")->items[0]->str, "x");
	assert_string_equal(val_get(v, "b")->items[0]->str, "x");
	fx_free(x);
}

static void
too_many_values(void **state)
{
	fails(NULL,
	    "icp.hook('page', function (p)\n"
	    "  local t = {}\n"
	    "  for i = 1, 24 do t = { t, t } end\n"
	    "  p.t = t\n"
	    "end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced more than 1000000 "
	    "values at 't[1][1][1][1][1][2][2][2][2][1][2][1][1][1][1][2][1]"
	    "[1][1][2][2][1][1]'\n");
}

/* --- the icp table ----------------------------------------------------- */

static void
require_loads_site_modules_once(void **state)
{
	static const struct file site[] = {
		{ "lua/util.lua",
		    "loads = (loads or 0) + 1\n"
		    "local M = {}\n"
		    "function M.shout(s) return s:upper() .. '!' end\n"
		    "return M\n" },
		{ "lua/lib/dates.lua", "return { year = 2024 }\n" },
		{ NULL, NULL },
	};
	struct fx	*x = fx_new(NULL, site);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "local u = require('util')\n"
	    "assert(require('util') == u)\n"
	    "icp.hook('page', function (p)\n"
	    "  p.t = require('util').shout('hi')\n"
	    "  p.y = require('lib.dates').year\n"
	    "  p.loads = loads\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_string_equal(val_get_str(v, "t"), "HI!");
	assert_true(val_get(v, "y")->num == 2024);
	assert_true(val_get(v, "loads")->num == 1);
	assert_int_equal(x->reads, 2);
	fx_free(x);
}

static void
require_refuses_other_modules(void **state)
{
	fails(NULL, "icp.hook('page', function (p)\n"
	    "  local lfs = require('lfs')\n"
	    "end)\n",
	    "hooks/site.lua:2: error: module 'lfs' not found (require loads "
	    "only the site's own modules, and there is no 'lua/lfs.lua')\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
	fails(NULL, "icp.hook('page', function (p) require('io') end)\n",
	    "hooks/site.lua:1: error: module 'io' is not available to hooks "
	    "(require loads only the site's own modules from lua/)\n"
	    "hooks/site.lua:1: note: in hook 'page'\n");
	fails(NULL, "icp.hook('page', function (p) require('os') end)\n",
	    "hooks/site.lua:1: error: module 'os' is already there as the "
	    "global 'os' (require loads only the site's own modules from "
	    "lua/)\n"
	    "hooks/site.lua:1: note: in hook 'page'\n");
	fails(NULL, "icp.hook('page', function (p) require('debug') end)\n",
	    "hooks/site.lua:1: error: module 'debug' is not available to "
	    "hooks (require loads only the site's own modules from lua/)\n"
	    "hooks/site.lua:1: note: in hook 'page'\n");
	fails(NULL, "icp.hook('page', function (p) require('../x') end)\n",
	    "hooks/site.lua:1: error: invalid module name '../x' (use names "
	    "like 'util' or 'lib.dates' for lua/util.lua or "
	    "lua/lib/dates.lua)\n"
	    "hooks/site.lua:1: note: in hook 'page'\n");
}

static void
require_reports_errors_in_modules(void **state)
{
	static const struct file site[] = {
		{ "lua/bad.lua", "local M = {}\nerror('broken module')\n" },
		{ "lua/a.lua", "return require('b')\n" },
		{ "lua/b.lua", "return require('a')\n" },
		{ NULL, NULL },
	};
	struct fx	*x = fx_new(NULL, site);

	assert_int_equal(load(x, "hooks/site.lua", "require('bad')\n"), -1);
	assert_string_equal(out(x),
	    "lua/bad.lua:2: error: broken module\n"
	    "lua/bad.lua:2: note: in main chunk\n"
	    "hooks/site.lua:1: note: in main chunk\n");
	/* A failed module is not taken as loaded or as loading. */
	assert_int_equal(load(x, "hooks/site.lua", "require('bad')\n"), -1);
	assert_string_equal(out(x),
	    "lua/bad.lua:2: error: broken module\n"
	    "lua/bad.lua:2: note: in main chunk\n"
	    "hooks/site.lua:1: note: in main chunk\n");
	assert_int_equal(load(x, "hooks/site.lua", "require('a')\n"), -1);
	assert_string_equal(out(x),
	    "lua/b.lua:1: error: module 'a' requires itself (through a "
	    "cycle of require calls)\n"
	    "lua/b.lua:1: note: in main chunk\n"
	    "lua/a.lua:1: note: in main chunk\n"
	    "hooks/site.lua:1: note: in main chunk\n");
	fx_free(x);
}

static void
read_gives_site_files_only(void **state)
{
	static const struct file site[] = {
		{ "data/people.csv", "name\nAnn\n" },
		{ NULL, NULL },
	};
	struct fx	*x = fx_new(NULL, site);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  p.csv = icp.read('data/people.csv')\n"
	    "  p.again = icp.read('./data/../data/people.csv')\n"
	    "  p.none, p.err = icp.read('data/nope.csv')\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_string_equal(val_get_str(v, "csv"), "name\nAnn\n");
	assert_string_equal(val_get_str(v, "again"), "name\nAnn\n");
	assert_null(val_get(v, "none"));
	assert_string_equal(val_get_str(v, "err"),
	    "no file 'data/nope.csv' in the site");
	fx_free(x);
	fails(NULL, "icp.hook('page', function (p)\n"
	    "  p.x = icp.read('../../etc/passwd')\n"
	    "end)\n",
	    "hooks/site.lua:2: error: icp.read: path '../../etc/passwd' is "
	    "outside the site (paths are relative to the site's root)\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
}

static void
error_and_warn_report_where_told(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  icp.error(\"bad date '2024-02-30'\", 'content/a.md', 3)\n"
	    "  icp.warn('no summary')\n"
	    "  icp.warn('odd', 'content/b.md')\n"
	    "  p.after = true\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x),
	    "content/a.md:3: error: bad date '2024-02-30'\n"
	    "hooks/site.lua:3: warning: no summary\n"
	    "content/b.md: warning: odd\n");
	assert_int_equal(x->d.errors, 1);
	assert_int_equal(x->d.warnings, 2);
	assert_true(val_get(v, "after")->b);
	fx_free(x);
}

static void
print_is_a_note(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);

	assert_int_equal(load(x, "hooks/site.lua",
	    "local t = {}\nprint('hi', 1, nil, icp.null)\n"), 0);
	assert_string_equal(out(x), "hooks/site.lua:2: note: hi\t1\tnil\tnull\n");
	assert_int_equal(x->d.errors, 0);
	fx_free(x);
}

static void
filters(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	const char	**names;
	size_t		 n;
	struct val	*in, *arg, *r;

	assert_int_equal(load(x, "hooks/f.lua",
	    "icp.filter('shout', function (v, arg)\n"
	    "  return v:upper() .. (arg or '!')\n"
	    "end)\n"
	    "icp.filter('nothing', function (v) end)\n"
	    "icp.filter('boom', function (v)\n"
	    "  error('no ' .. v)\n"
	    "end)\n"
	    "icp.filter('count', function (v) return #v end)\n"), 0);
	assert_int_equal(hooks_filter_names(x->h, &names, &n), 0);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "shout");
	assert_string_equal(names[3], "count");
	in = at(val_str(x->a, "hi"), "content/a.md", 4, 8);
	arg = val_str(x->a, "?");
	r = hooks_filter_call(x->h, "shout", x->a, in, arg, &x->d);
	assert_non_null(r);
	assert_string_equal(r->str, "HI?");
	assert_int_equal(r->line, 0);
	r = hooks_filter_call(x->h, "shout", x->a, in, NULL, &x->d);
	assert_string_equal(r->str, "HI!");
	r = hooks_filter_call(x->h, "nothing", x->a, in, NULL, &x->d);
	assert_int_equal(r->kind, VAL_NULL);
	r = hooks_filter_call(x->h, "count", x->a,
	    sample_page(x->a)->pairs[5].v, NULL, &x->d);
	assert_string_equal(out(x), "");
	assert_true(r->num == 3);
	assert_string_equal(out(x), "");
	assert_null(hooks_filter_call(x->h, "boom", x->a, in, NULL, &x->d));
	assert_string_equal(out(x),
	    "hooks/f.lua:6: error: no hi\n"
	    "hooks/f.lua:6: note: in filter 'boom'\n");
	assert_null(hooks_filter_call(x->h, "nope", x->a, in, NULL, &x->d));
	assert_string_equal(out(x),
	    "icpgen: error: no hook file defines the filter 'nope'\n");
	assert_int_equal(load(x, "hooks/g.lua",
	    "icp.filter('shout', function (v) return v end)\n"), -1);
	assert_string_equal(out(x),
	    "hooks/g.lua:1: error: filter 'shout' is already defined at "
	    "hooks/f.lua:1\n"
	    "hooks/g.lua:1: note: in main chunk\n");
	assert_int_equal(load(x, "hooks/g.lua",
	    "icp.filter('bad name', function (v) return v end)\n"), -1);
	assert_string_equal(out(x),
	    "hooks/g.lua:1: error: invalid filter name 'bad name' (use "
	    "letters, digits and '_', not starting with a digit)\n"
	    "hooks/g.lua:1: note: in main chunk\n");
	fx_free(x);
}

/* --- errors ------------------------------------------------------------ */

static void
syntax_error(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);

	assert_int_equal(load(x, "hooks/site.lua",
	    "icp.hook('page', function (p)\n  p.x = = 1\nend)\n"), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:2: error: unexpected symbol near '='\n");
	assert_false(hooks_has(x->h, "page"));
	assert_int_equal(hooks_load(x->h, "hooks/bin.lua", "\033Lua\x54", 5,
	    &x->d), -1);
	assert_string_equal(out(x), "hooks/bin.lua: error: hook files must be "
	    "Lua source text, not precompiled chunks\n");
	fx_free(x);
}

static void
runtime_errors_have_tracebacks(void **state)
{
	fails(NULL,
	    "local function helper(p)\n"
	    "  return p.missing.field\n"
	    "end\n"
	    "icp.hook('page', function (p)\n"
	    "  local x = helper(p)\n"
	    "end)\n",
	    "hooks/site.lua:2: error: attempt to index a nil value (field "
	    "'missing')\n"
	    "hooks/site.lua:2: note: in function 'helper'\n"
	    "hooks/site.lua:5: note: in hook 'page'\n");
	fails(NULL,
	    "local function check(v)\n"
	    "  if not v then error('v is required', 2) end\n"
	    "end\n"
	    "icp.hook('page', function (p)\n"
	    "  check(p.v)\n"
	    "end)\n",
	    "hooks/site.lua:5: error: v is required\n"
	    "hooks/site.lua:2: note: in function 'check'\n"
	    "hooks/site.lua:5: note: in hook 'page'\n");
	fails(NULL,
	    "icp.hook('page', function (p)\n"
	    "  error({ code = 1 })\n"
	    "end)\n",
	    "hooks/site.lua:2: error: (error object is a table value)\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
	fails(NULL,
	    "icp.hook('page', function (p)\n"
	    "  assert(false, 'plain message')\n"
	    "end)\n",
	    "hooks/site.lua:2: error: plain message\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
}

static void
unknown_globals_are_nil(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  p.a = (foo == nil) and (os.nothing == nil) and\n"
	    "      (string.nothing == nil) and (os.clock() >= 0) and\n"
	    "      type(os.time()) == 'number' and\n"
	    "      os.date('!%Y', 0) == '1970' and utf8.len('\\u{e9}') == 1\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_true(val_get(v, "a")->b);
	fx_free(x);
}

/* --- escapes ------------------------------------------------------------ */

static void
escape(const char *code, const char *msg)
{
	char	 src[512], want[1024];

	snprintf(src, sizeof(src), "icp.hook('page', function (p)\n"
	    "  %s\nend)\n", code);
	snprintf(want, sizeof(want), "hooks/site.lua:2: error: %s\n"
	    "hooks/site.lua:2: note: in hook 'page'\n", msg);
	fails(NULL, src, want);
}

static void
no_io_os_or_debug(void **state)
{
	escape("io.open('/etc/passwd')", "'io' is not available to hooks "
	    "(hooks may only read site files through icp.read)");
	escape("os.execute('rm -rf /')", "'os.execute' is not available to "
	    "hooks (hooks cannot run programs)");
	escape("os.exit(1)", "'os.exit' is not available to hooks (report "
	    "problems with icp.error)");
	escape("local h = os.getenv('HOME')", "'os.getenv' is not available "
	    "to hooks (builds must not depend on the environment)");
	escape("os.remove('x')", "'os.remove' is not available to hooks "
	    "(hooks cannot change files)");
	escape("debug.getinfo(1)", "'debug' is not available to hooks "
	    "(hooks cannot inspect or change the interpreter)");
	escape("package.loadlib('x', 'y')", "'package' is not available to "
	    "hooks (require loads the site's own modules from lua/)");
	escape("coroutine.wrap(print)", "'coroutine' is not available to "
	    "hooks (hooks run without coroutines)");
}

static void
no_files_or_binary_chunks(void **state)
{
	escape("loadfile('/etc/passwd')", "'loadfile' is not available to "
	    "hooks (use require for the site's modules in lua/, or "
	    "icp.read)");
	escape("dofile('/etc/passwd')", "'dofile' is not available to hooks "
	    "(use require for the site's modules in lua/, or icp.read)");
	escape("string.dump(print)", "'string.dump' is not available to "
	    "hooks (binary chunks cannot be loaded)");
	escape("local f = ('x').dump", "'string.dump' is not available to "
	    "hooks (binary chunks cannot be loaded)");
	escape("assert(load('\\27LuaT\\0\\25\\147\\r\\n\\26\\n\\4\\8\\8'))",
	    "binary chunks are not available to hooks (load accepts only "
	    "source text)");
	escape("assert(load(function () return nil end, 'x', 'b'))() "
	    "assert(load('\\27Lua', 'x', 'b'))",
	    "binary chunks are not available to hooks (load accepts only "
	    "source text)");
}

static void
load_of_text_works_in_the_sandbox(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  p.a = load('return 1 + 2')()\n"
	    "  p.b = load('return x', 'chunk', 't', { x = 'env' })()\n"
	    "  local parts = { 'return ', '\"rd\"' }\n"
	    "  p.c = load(function () return table.remove(parts, 1) end)()\n"
	    "  p.d = select(2, load('return +'))\n"
	    "  p.io = load('return io ~= nil', 'g', 't', {})()\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_true(val_get(v, "a")->num == 3);
	assert_string_equal(val_get_str(v, "b"), "env");
	assert_string_equal(val_get_str(v, "c"), "rd");
	assert_string_equal(val_get_str(v, "d"),
	    "[string \"return +\"]:1: unexpected symbol near '+'");
	assert_false(val_get(v, "io")->b);
	fx_free(x);
}

static void
no_gc_control_or_finalizers(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	escape("collectgarbage('stop')", "collectgarbage('stop') is not "
	    "available to hooks (only collectgarbage('count') is)");
	escape("collectgarbage()", "collectgarbage('collect') is not "
	    "available to hooks (only collectgarbage('count') is)");
	escape("setmetatable({}, { __gc = function () end })", "'__gc' "
	    "metamethods are not available to hooks");
	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  p.kb = collectgarbage('count') > 0\n"
	    "end)\n", &v), 0);
	assert_true(val_get(v, "kb")->b);
	fx_free(x);
}

static void
string_metatable_is_safe(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	escape("setmetatable('', {})", "bad argument #1 to 'setmetatable' "
	    "(table expected, got string)");
	escape("setmetatable(_G, {})", "cannot change a protected metatable");
	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  p.same = getmetatable('').__index == string\n"
	    "  p.g = getmetatable(_G)\n"
	    "  p.up = ('abc'):upper()\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_true(val_get(v, "same")->b);
	assert_false(val_get(v, "g")->b);
	assert_string_equal(val_get_str(v, "up"), "ABC");
	fx_free(x);
}

/* --- budgets -------------------------------------------------------------- */

static const struct hook_limits small = { 1000000, 16u << 20, 10, 0 };

static void
endless_loop(void **state)
{
	fails(&small,
	    "icp.hook('page', function (p)\n"
	    "  while true do end\n"
	    "end)\n",
	    "hooks/site.lua:2: error: hook 'page' exceeded its budget of "
	    "1000000 instructions (is there an endless loop?)\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
}

static void
pcall_cannot_catch_the_budget(void **state)
{
	fails(&small,
	    "icp.hook('page', function (p)\n"
	    "  local function spin() while true do end end\n"
	    "  while true do pcall(spin) xpcall(spin, print) end\n"
	    "end)\n",
	    "hooks/site.lua:2: error: hook 'page' exceeded its budget of "
	    "1000000 instructions (is there an endless loop?)\n"
	    "hooks/site.lua:2: note: in function <hooks/site.lua:2>\n"
	    "hooks/site.lua:3: note: in hook 'page'\n");
}

/*
 * A clone (a render thread's state) has the same filters, loaded
 * again quietly, but not what hooks left in globals; it shares the
 * budget: a runaway in one state stops Lua in all of them.
 */
static void
clones_share_files_and_budget(void **state)
{
	struct fx	*x = fx_new(&small, NULL);
	struct hooks	*c;
	struct val	*v, *r;

	assert_int_equal(load(x, "hooks/site.lua",
	    "local seen = 'no'\n"
	    "print('loading')\n"
	    "icp.hook('config', function (c) seen = 'yes' end)\n"
	    "icp.filter('seen', function (v) return seen end)\n"
	    "icp.filter('spin', function (v) while true do end end)\n"), 0);
	assert_string_equal(out(x), "hooks/site.lua:2: note: loading\n");
	v = val_map(x->a);
	assert_int_equal(hooks_call(x->h, "config", x->a, &v, &x->d), 0);
	r = hooks_filter_call(x->h, "seen", x->a, v, NULL, &x->d);
	assert_string_equal(r->str, "yes");
	c = hooks_clone(x->h);
	assert_non_null(c);
	assert_string_equal(out(x), "");	/* not said twice */
	r = hooks_filter_call(c, "seen", x->a, v, NULL, &x->d);
	assert_string_equal(r->str, "no");	/* no hook ran in it */
	assert_null(hooks_filter_call(c, "spin", x->a, v, NULL, &x->d));
	assert_string_equal(out(x),
	    "hooks/site.lua:5: error: filter 'spin' exceeded its budget of "
	    "1000000 instructions (is there an endless loop?)\n"
	    "hooks/site.lua:5: note: in filter 'spin'\n");
	/* Spent in the clone: the original runs no more Lua either. */
	assert_null(hooks_filter_call(x->h, "seen", x->a, v, NULL, &x->d));
	assert_string_equal(out(x),
	    "hooks/site.lua:5: error: filter 'seen' was not run: the Lua "
	    "budget of this build was spent earlier, here\n");
	hooks_free(x->h);	/* the clone keeps the budget */
	assert_null(hooks_filter_call(c, "seen", x->a, v, NULL, &x->d));
	assert_string_equal(out(x), "");
	x->h = c;
	fx_free(x);
}

static void
budget_in_main_chunk(void **state)
{
	struct fx	*x = fx_new(&small, NULL);

	assert_int_equal(load(x, "hooks/site.lua",
	    "local n = 0\nrepeat n = n + 1 until false\n"), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:2: error: hook file 'hooks/site.lua' exceeded its "
	    "budget of 1000000 instructions (is there an endless loop?)\n"
	    "hooks/site.lua:2: note: in main chunk\n");
	/* A runaway spends the build's budget: no more Lua runs. */
	assert_int_equal(load(x, "hooks/ok.lua", "x = 1\n"), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:2: error: hook file 'hooks/ok.lua' was not run: "
	    "the Lua budget of this build was spent earlier, here\n");
	assert_int_equal(load(x, "hooks/ok2.lua", "x = 1\n"), -1);
	assert_string_equal(out(x), "");
	fx_free(x);
}

static void
wall_clock(void **state)
{
	static const struct hook_limits lim = { 4000000000UL, 0, 0.2, 0 };

	fails(&lim,
	    "icp.hook('page', function (p)\n"
	    "  while true do local s = ('x'):rep(1000) end\n"
	    "end)\n",
	    "hooks/site.lua:2: error: hook 'page' ran out of time: all Lua "
	    "code of a build may run for 0.2 seconds in total (is there an "
	    "endless loop?)\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
}

static void
c_loops_are_charged(void **state)
{
	escape("table.move({}, 1, 1e15, 2)", "hook 'page' exceeded its "
	    "budget of 100000000 instructions (is there an endless loop?)");
	escape("table.insert(setmetatable({}, { __len = function () return "
	    "1e15 end }), 1, 'x')", "hook 'page' exceeded its budget of "
	    "100000000 instructions (is there an endless loop?)");
}

static void
memory_bombs(void **state)
{
	static const struct hook_limits mem = { 1000000000UL, 16u << 20, 10, 0 };
	struct fx	*x = fx_new(&mem, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(load(x, "hooks/site.lua",
	    "icp.hook('page', function (p)\n"
	    "  if p.table then\n"
	    "    local t = {} for i = 1, 1e9 do t[i] = i end\n"
	    "  elseif p.big then\n"
	    "    local s = string.rep('x', 2^30)\n"
	    "  elseif p.huge then\n"
	    "    local s = string.rep('x', 1e10)\n"
	    "  else\n"
	    "    p.ok = #string.rep('x', 1e6) + #string.rep('', 1e15)\n"
	    "  end\n"
	    "end)\n"), 0);
	val_set(x->a, v, "table", val_bool(x->a, true));
	assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:3: error: hook 'page' ran out of memory (hooks "
	    "may use at most 16 MiB; is there an endless loop or "
	    "recursion?)\n");
	v = val_map(x->a);
	val_set(x->a, v, "big", val_bool(x->a, true));
	assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:5: error: hook 'page' ran out of memory (hooks "
	    "may use at most 16 MiB; is there an endless loop or "
	    "recursion?)\n");
	v = val_map(x->a);
	val_set(x->a, v, "huge", val_bool(x->a, true));
	assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:7: error: resulting string too large\n"
	    "hooks/site.lua:7: note: in hook 'page'\n");
	/* The state recovers its memory and works afterwards. */
	v = val_map(x->a);
	assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), 0);
	assert_string_equal(out(x), "");
	assert_true(val_get(v, "ok")->num == 1e6);
	fx_free(x);
}

static void
deep_recursion(void **state)
{
	fails(NULL,
	    "local function f(n) return f(n + 1) + 1 end\n"
	    "icp.hook('page', function (p)\n"
	    "  f(1)\n"
	    "end)\n",
	    "hooks/site.lua:1: error: stack overflow (is there an endless "
	    "recursion?)\n"
	    "hooks/site.lua:1: note: in function 'f' (repeatedly)\n"
	    "hooks/site.lua:3: note: in hook 'page' (calls in between left "
	    "out)\n");
	fails(&small,
	    "local function f(n) return { f(n + 1) } end\n"
	    "icp.hook('page', function (p)\n"
	    "  f(1)\n"
	    "end)\n",
	    "hooks/site.lua:1: error: hook 'page' ran out of memory (hooks "
	    "may use at most 16 MiB; is there an endless loop or "
	    "recursion?)\n");
	fails(NULL,
	    "local t = setmetatable({}, { __index = function (t, k)\n"
	    "  return t[k]\n"
	    "end })\n"
	    "icp.hook('page', function (p)\n"
	    "  p.x = t.y\n"
	    "end)\n",
	    "hooks/site.lua:2: error: C stack overflow (is there an endless "
	    "recursion?)\n"
	    "hooks/site.lua:2: note: in function 'index' (repeatedly)\n"
	    "hooks/site.lua:5: note: in hook 'page' (calls in between left "
	    "out)\n");
}

static void
pattern_bombs(void **state)
{
	escape("local x = ('a'):rep(100000):match(('a?'):rep(5000) .. "
	    "('a'):rep(5000))", "pattern too complex (more than 200 nested "
	    "repetitions or captures)");
	escape("local x = ('a'):rep(20000):find(('.-'):rep(20) .. 'b')",
	    "pattern too costly to match (gave up after 20000000 steps; "
	    "simplify the pattern or match a shorter text)");
	escape("local s = ('ab'):rep(100000) "
	    "for w in s:gmatch('(.*)%1x') do end",
	    "pattern too costly to match (gave up after 20000000 steps; "
	    "simplify the pattern or match a shorter text)");
	escape("local s = ('x'):rep(50000) "
	    "s = s:gsub('.-.-.-y', '')",
	    "pattern too costly to match (gave up after 20000000 steps; "
	    "simplify the pattern or match a shorter text)");
}

/*
 * The bounded pattern functions against the reference ones of a plain
 * Lua state: the same program must print the same results.
 */
static const char patprog[] =
    "local function ser(...)\n"
    "  local t, o = table.pack(...), {}\n"
    "  for i = 1, t.n do\n"
    "    local v = t[i]\n"
    "    if type(v) == 'string' then v = ('%q'):format(v) end\n"
    "    o[#o + 1] = type(t[i]) .. ':' .. tostring(v)\n"
    "  end\n"
    "  return table.concat(o, ',')\n"
    "end\n"
    "function G(s, p, i)\n"
    "  local r = {}\n"
    "  for a, b in string.gmatch(s, p, i) do r[#r + 1] = ser(a, b) end\n"
    "  return table.concat(r, ';')\n"
    "end\n"
    "local cases = {\n"
    "  [=[('hello world'):find('o w')]=], [=[('hello world'):find('o', 6)]=],\n"
    "  [=[('hello'):find('l', -2)]=], [=[('hello'):find('', 10)]=],\n"
    "  [=[('hello'):find('', 6)]=], [=[('a.b'):find('.', 1, true)]=],\n"
    "  [=[('hello'):find('(l)(l)')]=], [=[('hello'):find('()ll()')]=],\n"
    "  [=[('  trim  '):match('^%s*(.-)%s*$')]=], [=[('key = val'):match('(%w+)%s*=%s*(%w+)')]=],\n"
    "  [=[('2024-05-01'):match('(%d+)-(%d+)-(%d+)')]=], [=[('abc'):match('^b')]=],\n"
    "  [=[('abc'):match('c$')]=], [=[('a$c'):match('$c')]=], [=[('f(a(b)c)d'):match('%b()')]=],\n"
    "  [=[('THE (quick) fox'):find('%f[%a]%a+%f[%A]')]=], [=[('hello'):match('.-(l+)(.*)')]=],\n"
    "  [=[('aaa'):match('a-b')]=], [=[('aaab'):match('a-b')]=], [=[('xyyx'):match('(.)(.)%2%1')]=],\n"
    "  [=[('[x]'):match('[]]')]=], [=[('a-b'):match('[a%-]+')]=], [=[('A1_b'):match('[%u%d_]+')]=],\n"
    "  [=[('abc'):match('[^a]+')]=], [=[('x^y'):match('[%^y]+')]=], [=[('a.b'):match('%.')]=],\n"
    "  [=[('caf\\u{e9}'):match('[\\128-\\255]+')]=], [=[('ab'):match('a?b?c?')]=], [=[('b'):match('a?b')]=],\n"
    "  [=[('abc'):match('()b()')]=], [=[('hello'):match('l', -3)]=], [=[('hello'):match('x')]=],\n"
    "  [=[('aXb'):match('%u')]=], [=[('a b'):match('%S+$')]=], [=[('\\0x'):match('%z')]=],\n"
    "  [=[('hello world'):gsub('o', '0')]=], [=[('hello world'):gsub('(o)', '[%1]', 1)]=],\n"
    "  [=[('hello'):gsub('', '-')]=], [=[('abc'):gsub('%w', '%0%0')]=], [=[('abc'):gsub('b', '%%')]=],\n"
    "  [=[('$name is $age'):gsub('%$(%w+)', { name = 'Ann', age = 40 })]=],\n"
    "  [=[('a b c'):gsub('%w', function (c) if c ~= 'b' then return c:upper() end end)]=],\n"
    "  [=[('abc'):gsub('()', '%1')]=], [=[('hello world'):gsub('^h', 'H')]=],\n"
    "  [=[('x = 1, y = 2'):gsub('(%w+) = (%w+)', '%2 = %1')]=], [=[('abc'):gsub('.', { a = 1, b = true })]=],\n"
    "  [=[G('one two  three', '%a+')]=], [=[G('k=v, a=b', '(%w+)=(%w+)')]=], [=[G('abc', '')]=],\n"
    "  [=[G('aaa', 'a*')]=], [=[G('hello', 'l', 4)]=], [=[G('x1y22z', '%d*')]=], [=[G('^a^a', '^a')]=],\n"
    "  [=[('x'):rep(3, ', ')]=], [=[('ab'):rep(0)]=], [=[('hello'):find('l+')]=],\n"
    "  [=[('hello'):match('(h)(e)(l)(l)(o)')]=], [=[('a,b,,c'):gsub(',,', ',nil,')]=],\n"
    "  [=[('abc'):find('b', -100)]=], [=[('abc'):find('b', 100)]=], [=[('%'):gsub('%%', '%%%%')]=],\n"
    "  [=[('hello'):match('(h(e)(l))')]=], [=[('abc'):match('((a)(b))c')]=], [=[('  x'):find('^%s*')]=],\n"
    "  [=[('x'):match('[a-]')]=], [=[('-'):match('[a-]')]=], [=[('b'):match('[a-c]')]=],\n"
    "  [=[('a'):match('(')]=], [=[('a'):match('%')]=], [=[('a'):match('[a')]=], [=[('a'):match('a)')]=],\n"
    "  [=[('a'):match('%1')]=], [=[('a'):gsub('a', '%2')]=], [=[('a'):gsub('a', '%')]=], [=[('a'):match('%f')]=],\n"
    "  [=[('a'):match('%b')]=], [=[('a'):gsub('a', {a = {}})]=], [=[('a'):gsub('a', 1)]=],\n"
    "  [=[('key: \"va\\\"l\"'):match('\"(.-)\"')]=], [=[('2 + 2 = 4'):gsub('%d', function (d) return d * 2 end)]=],\n"
    "  [=[('abc'):gsub('b*', 'X')]=], [=[('aXbXc'):gsub('X', '', 1)]=], [=[('banana'):find('ana', 3)]=],\n"
    "}\n"
    "function run()\n"
    "  local r = {}\n"
    "  for i, c in ipairs(cases) do\n"
    "    local ok, a, b, d, e, f, g = pcall(load('return ' .. c))\n"
    "    r[#r + 1] = ok and ser(a, b, d, e, f, g) or 'error'\n"
    "  end\n"
    "  return table.concat(r, '\\n')\n"
    "end\n";

static void
patterns_match_the_reference(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);
	lua_State	*L = luaL_newstate();
	char		 src[sizeof(patprog) + 128];
	const char	*want, *got, *w, *g;
	int		 line = 1;

	luaL_openlibs(L);
	assert_int_equal(luaL_loadstring(L, patprog), LUA_OK);
	assert_int_equal(lua_pcall(L, 0, 0, 0), LUA_OK);
	lua_getglobal(L, "run");
	assert_int_equal(lua_pcall(L, 0, 1, 0), LUA_OK);
	want = lua_tostring(L, -1);
	snprintf(src, sizeof(src), "%s\nicp.hook('page', function (p) "
	    "p.out = run() end)\n", patprog);
	assert_int_equal(page(x, src, &v), 0);
	assert_string_equal(out(x), "");
	got = val_get_str(v, "out");
	assert_non_null(got);
	/* Compare line by line, to say which case differs. */
	for (w = want, g = got; *w != '\0' || *g != '\0'; line++) {
		size_t	 wl = strcspn(w, "\n"), gl = strcspn(g, "\n");

		if (wl != gl || memcmp(w, g, wl) != 0)
			fail_msg("case %d: want '%.*s', got '%.*s'", line,
			    (int)wl, w, (int)gl, g);
		w += wl + (w[wl] == '\n');
		g += gl + (g[gl] == '\n');
	}
	assert_true(line > 80);
	lua_close(L);
	fx_free(x);
}

static void
table_functions_still_work(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	assert_int_equal(page(x,
	    "icp.hook('page', function (p)\n"
	    "  local t = { 'b', 'c' }\n"
	    "  table.insert(t, 1, 'a') table.insert(t, 'd')\n"
	    "  local r = table.remove(t, 2)\n"
	    "  local last = table.remove(t)\n"
	    "  local m = table.move({ 1, 2, 3 }, 1, 3, 2)\n"
	    "  local o = table.move({ 1, 2 }, 1, 2, 1, { 9, 9, 9 })\n"
	    "  p.s = table.concat(t, ',') .. '|' .. r .. last .. '|' ..\n"
	    "      table.concat(m, ',') .. '|' .. table.concat(o, ',')\n"
	    "  p.e = select(2, pcall(table.insert, t, 9, 'x'))\n"
	    "end)\n", &v), 0);
	assert_string_equal(out(x), "");
	assert_string_equal(val_get_str(v, "s"), "a,c|bd|1,1,2,3|1,2,9");
	assert_string_equal(val_get_str(v, "e"),
	    "bad argument #2 to 'table.insert' (position out of "
	    "bounds)");
	fx_free(x);
}

static void
many_calls_do_not_grow(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v;
	double		 first = 0, kb = 0;
	int		 i;

	assert_int_equal(load(x, "hooks/site.lua",
	    "icp.hook('page', function (p)\n"
	    "  p.kb = collectgarbage('count')\n"
	    "end)\n"), 0);
	for (i = 0; i < 3000; i++) {
		v = sample_page(x->a);
		val_set(x->a, v, "body", val_str(x->a,
		    "a body of some length, a body of some length, a body"));
		assert_int_equal(hooks_call(x->h, "page", x->a, &v, &x->d), 0);
		kb = val_get(v, "kb")->num;
		if (i == 100)
			first = kb;
	}
	/* Leaked stack slots would keep 3000 pages alive (over 3 MB). */
	assert_true(kb < first + 1024);
	assert_string_equal(out(x), "");
	fx_free(x);
}

/* Zero limits are the defaults (100 million instructions, 64 MiB). */
static void
default_limits(void **state)
{
	static const struct hook_limits slow = { 0, 0, 600, 0 };
	static const struct hook_limits tiny = { 0, 1024, 0, 0 };
	struct fx	*x = fx_new(&slow, NULL);

	assert_int_equal(load(x, "hooks/site.lua",
	    "local n = 0 for i = 1, 5e6 do n = n + i end\n"
	    "local s = ('x'):rep(16 * 1024 * 1024)\n"), 0);
	assert_string_equal(out(x), "");
	fx_free(x);
	/* A limit too small for the state itself. */
	assert_null(hooks_new(&tiny, NULL, NULL));
}


/* --- issue 11: one budget, caps, types, untrusted text -------------------- */

static void
sort_in_a_loop_runs_out_of_time(void **state)
{
	static const struct hook_limits lim = { 4000000000UL, 0, 0.2, 0 };

	/*
	 * One line: on a loaded machine the time may run out while the
	 * table is filled rather than in table.sort, and the message
	 * names the same line either way.
	 */
	fails(&lim,
	    "icp.hook('page', function (p)\n"
	    "  local t = {} for i = 1, 20000 do t[i] = -i end "
	    "while true do table.sort(t) end\n"
	    "end)\n",
	    "hooks/site.lua:2: error: hook 'page' ran out of time: all Lua "
	    "code of a build may run for 0.2 seconds in total (is there an "
	    "endless loop?)\n"
	    "hooks/site.lua:2: note: in hook 'page'\n");
}

static void
time_is_shared_by_all_calls(void **state)
{
	static const struct hook_limits lim = { 4000000000UL, 0, 2, 0 };
	struct fx	*x = fx_new(&lim, NULL);
	struct val	*v = val_map(x->a), *r = v;
	int		 i;

	/*
	 * Each call spins for 0.75 s of processor time, so at least as
	 * long in wall-clock time: the third call at the latest runs out
	 * of the 2 s the build has, whatever the load of the machine.
	 */
	assert_int_equal(load(x, "hooks/site.lua",
	    "icp.filter('spin', function (v)\n"
	    "  local t = os.clock() while os.clock() - t < 0.75 do end\n"
	    "  return v\n"
	    "end)\n"), 0);
	for (i = 0; i < 3 && r != NULL; i++)
		r = hooks_filter_call(x->h, "spin", x->a, v, NULL, &x->d);
	assert_null(r);
	assert_string_equal(out(x),
	    "hooks/site.lua:2: error: filter 'spin' ran out of time: all Lua "
	    "code of a build may run for 2 seconds in total (is there an "
	    "endless loop?)\n"
	    "hooks/site.lua:2: note: in filter 'spin'\n");
	/* Spent: later calls fail at once, reported once. */
	assert_null(hooks_filter_call(x->h, "spin", x->a, v, NULL, &x->d));
	assert_string_equal(out(x),
	    "hooks/site.lua:2: error: filter 'spin' was not run: the Lua "
	    "budget of this build was spent earlier, here\n");
	assert_null(hooks_filter_call(x->h, "spin", x->a, v, NULL, &x->d));
	assert_string_equal(out(x), "");
	fx_free(x);
}

/* Call the page hook on a meeting-like page from its source file. */
static void
typed(const char *src, const char *msg)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a), *orig = v, *l = val_list(x->a);

	val_set(x->a, v, "title", val_str(x->a, "Board"));
	val_set(x->a, v, "status", val_str(x->a, "held"));
	val_push(x->a, l, val_str(x->a, "a"));
	val_set(x->a, v, "tags", l);
	assert_int_equal(load(x, "hooks/site.lua", src), 0);
	assert_int_equal(hooks_call_on(x->h, "page", "meetings/m/index.md",
	    x->a, &v, &x->d), msg == NULL ? 0 : -1);
	assert_string_equal(out(x), msg == NULL ? "" : msg);
	if (msg != NULL)
		assert_ptr_equal(v, orig);
	fx_free(x);
}

static void
hooks_keep_the_types_they_were_given(void **state)
{
	typed("icp.hook('page', function (p) p.status = 1 end)\n",
	    "hooks/site.lua:1: error: hook 'page' changed 'status' of "
	    "'meetings/m/index.md' from text to a number (a hook may change "
	    "a value but not its type)\n");
	typed("icp.hook('page', function (p) p.title = {} end)\n",
	    "hooks/site.lua:1: error: hook 'page' changed 'title' of "
	    "'meetings/m/index.md' from text to a map (a hook may change a "
	    "value but not its type)\n");
	typed("icp.hook('page', function (p) return {} end)\n",
	    "hooks/site.lua:1: error: hook 'page' removed 'title' of "
	    "'meetings/m/index.md' (icpgen needs it: give it a new value "
	    "instead)\n");
	typed("icp.hook('page', function (p) p.tags = { 'a', {} } end)\n",
	    "hooks/site.lua:1: error: hook 'page' changed 'tags[2]' of "
	    "'meetings/m/index.md' from text to a map (a hook may change a "
	    "value but not its type)\n");
	/* Changing values and adding keys of any type is fine. */
	typed("icp.hook('page', function (p) p.title = 'New' p.tags = {} "
	    "p.extra = { 1, 2 } end)\n", NULL);
}

static void
hook_text_is_untrusted(void **state)
{
	struct fx	*x = fx_new(NULL, NULL);
	struct val	*v = val_map(x->a);

	val_set(x->a, v, "kept", val_str(x->a, "<b>icpgen</b>"));
	assert_int_equal(page(x, "icp.hook('page', function (p)\n"
	    "  p.chart = '<script>alert(1)</script>'\n"
	    "end)\n", &v), 0);
	assert_true(val_get(v, "chart")->untrusted);
	assert_false(val_get(v, "kept")->untrusted);
	fx_free(x);
}

static void
shared_text_is_counted_per_use(void **state)
{
	fails(NULL,
	    "icp.hook('page', function (p)\n"
	    "  local s = ('x'):rep(8 * 1024 * 1024)\n"
	    "  p.list = {} for i = 1, 1000 do p.list[i] = s end\n"
	    "end)\n",
	    "hooks/site.lua:1: error: hook 'page' produced more than 64 MiB "
	    "of text at 'list[9]' (values leaving Lua are copied; share less "
	    "text between pages)\n");
}

static void
pages_hook_is_capped(void **state)
{
	static const struct hook_limits lim = { 0, 0, 60, 100 };
	struct fx	*x = fx_new(&lim, NULL);
	struct val	*v = val_map(x->a), *orig = v;

	val_set(x->a, v, "pages", val_list(x->a));
	assert_int_equal(load(x, "hooks/site.lua",
	    "icp.hook('pages', function (s)\n"
	    "  for i = 1, 101 do s.pages[i] = { url = 'p' .. i } end\n"
	    "end)\n"), 0);
	assert_int_equal(hooks_call(x->h, "pages", x->a, &v, &x->d), -1);
	assert_string_equal(out(x),
	    "hooks/site.lua:1: error: hook 'pages' made 101 pages (at most "
	    "100 may be added by hooks; write content files for the rest)\n");
	assert_ptr_equal(v, orig);
	fx_free(x);
}

static void
messages_are_bounded(void **state)
{
	static const struct hook_limits lim = { 0, 0, 60, 0 };
	struct fx	*x = fx_new(&lim, NULL);
	struct val	*v = val_map(x->a);
	const char	*p;
	size_t		 lines = 0;

	assert_int_equal(page(x, "icp.hook('page', function (p)\n"
	    "  icp.warn(('w'):rep(1024 * 1024))\n"
	    "  for i = 1, 300 do print(('p'):rep(64 * 1024)) end\n"
	    "  for i = 1, 10 do icp.error('e') end\n"
	    "end)\n", &v), 0);
	fflush(x->f);
	for (p = x->text; *p != '\0'; p++)
		lines += *p == '\n';
	/* 100 messages, a note and an error saying more were left out. */
	assert_int_equal(lines, 102);
	assert_true(x->len < 100 * 1100 + 1000);
	assert_non_null(strstr(x->text, "hooks/site.lua:2: warning: www"));
	assert_non_null(strstr(x->text, "w [1047576 more bytes left out]\n"));
	assert_non_null(strstr(x->text, "hooks/site.lua:3: note: more "
	    "messages from hooks were left out (a build shows at most 100)\n"));
	assert_non_null(strstr(x->text, "hooks/site.lua:4: error: more "
	    "errors from hooks were left out (a build shows at most 100 "
	    "messages from hooks)\n"));
	assert_true(x->d.errors > 0);
	x->seen = x->len;
	fx_free(x);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(roundtrip_keeps_values_order_and_places),
		cmocka_unit_test(lua_sees_the_right_types),
		cmocka_unit_test(page_hook_changes_in_place),
		cmocka_unit_test(page_hook_replaces),
		cmocka_unit_test(hooks_run_in_registration_order),
		cmocka_unit_test(unknown_hook_name_suggests),
		cmocka_unit_test(conversion_errors),
		cmocka_unit_test(too_deep_to_pass),
		cmocka_unit_test(conversion_error_names_the_guilty_hook),
		cmocka_unit_test(shared_tables_are_not_cycles),
		cmocka_unit_test(too_many_values),
		cmocka_unit_test(require_loads_site_modules_once),
		cmocka_unit_test(require_refuses_other_modules),
		cmocka_unit_test(require_reports_errors_in_modules),
		cmocka_unit_test(read_gives_site_files_only),
		cmocka_unit_test(error_and_warn_report_where_told),
		cmocka_unit_test(print_is_a_note),
		cmocka_unit_test(filters),
		cmocka_unit_test(syntax_error),
		cmocka_unit_test(runtime_errors_have_tracebacks),
		cmocka_unit_test(unknown_globals_are_nil),
		cmocka_unit_test(no_io_os_or_debug),
		cmocka_unit_test(no_files_or_binary_chunks),
		cmocka_unit_test(load_of_text_works_in_the_sandbox),
		cmocka_unit_test(no_gc_control_or_finalizers),
		cmocka_unit_test(string_metatable_is_safe),
		cmocka_unit_test(endless_loop),
		cmocka_unit_test(pcall_cannot_catch_the_budget),
		cmocka_unit_test(budget_in_main_chunk),
		cmocka_unit_test(clones_share_files_and_budget),
		cmocka_unit_test(wall_clock),
		cmocka_unit_test(c_loops_are_charged),
		cmocka_unit_test(memory_bombs),
		cmocka_unit_test(deep_recursion),
		cmocka_unit_test(pattern_bombs),
		cmocka_unit_test(patterns_match_the_reference),
		cmocka_unit_test(table_functions_still_work),
		cmocka_unit_test(many_calls_do_not_grow),
		cmocka_unit_test(default_limits),
		cmocka_unit_test(sort_in_a_loop_runs_out_of_time),
		cmocka_unit_test(time_is_shared_by_all_calls),
		cmocka_unit_test(hooks_keep_the_types_they_were_given),
		cmocka_unit_test(hook_text_is_untrusted),
		cmocka_unit_test(shared_text_is_counted_per_use),
		cmocka_unit_test(pages_hook_is_capped),
		cmocka_unit_test(messages_are_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
