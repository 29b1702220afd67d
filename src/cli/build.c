/*
 * The build driver: the order of the stages, and nothing they can do
 * themselves (docs/architecture.md).
 *
 *	load	src_open (git or working tree), site_load: config and pages
 *	hooks	the Lua hooks: "config", then "page" on every page's data
 *	link	site_link (kinds, withholding, record), history_link,
 *		opendata_page (/data/), then the "pages" hook's pages
 *	theme	theme_load, templates (with hook filters), assets_write
 *	render	render_page on every page, in threads
 *	write	copy_static, search_write, chart_csv_write, feeds_write_part,
 *		opendata_write side by side (write_all), then out_commit
 *		(nothing is published after an error)
 */
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/par.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/tz.h"
#include "util/val.h"
#include "load/src.h"
#include "load/theme.h"
#include "model/kind.h"
#include "model/content.h"
#include "model/site.h"
#include "hooks/hooks.h"
#include "render/tmpl.h"
#include "render/assets.h"
#include "render/page.h"
#include "render/pack.h"
#include "render/chart.h"
#include "render/search.h"
#include "model/browse.h"
#include "emit/feeds.h"
#include "emit/opendata.h"
#include "render/csp.h"
#include "emit/out.h"
#include "emit/manifest.h"
#include "parse/svg.h"
#include "cli/build.h"

enum phase { PH_LOAD, PH_HOOKS, PH_LINK, PH_THEME, PH_RENDER, PH_WRITE,
    PH__MAX };
static const char *const phase_names[PH__MAX] = { "load", "hooks", "link",
    "theme", "render", "write" };

struct build {
	const struct build_opts	*opts;
	struct diags		*d;
	struct src		*src;
	struct site		*site;
	struct hooks		*hooks;
	struct theme		*theme;
	struct tmpl_set		*tmpls;
	struct render_tmpl	*rt;
	size_t			 nrt;
	struct out		*out;
	struct manifest		*man;		/* the last build's, for --out */
	size_t			 linked;	/* files kept from it */
	struct render		 render;
	double			 ms[PH__MAX];
	size_t			 files, bytes;	/* written, for the summary */
	size_t			 search_bytes;	/* size of the search index */
	struct search		*search;	/* words of pages as rendered */
	atomic_size_t		 next;		/* the next page to render */
	struct pack_plan	*packs;		/* papers rendered with a pack */
	bool			 keep;		/* pages may be kept (manifest) */
	atomic_size_t		 kept;		/* pages kept, not rendered */
};

/*
 * The Lua state of this render thread (a clone of b->hooks), so that
 * filters and shortcodes run in parallel; NULL outside render threads,
 * which use b->hooks.
 */
static _Thread_local struct hooks *thread_hooks;

static struct hooks *
my_hooks(struct build *b)
{
	return thread_hooks != NULL ? thread_hooks : b->hooks;
}

static double
now_ms(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* --- hooks ------------------------------------------------------------ */

static int
hook_read(void *ctx, const char *path, const char **data, size_t *len)
{
	struct build	*b = ctx;
	long		 i = src_find(b->src, path);

	if (i < 0)
		return -1;
	*data = src_read(b->src, (size_t)i, len, b->d);
	return *data == NULL ? -1 : 0;
}

static struct val *
hook_filter(void *ctx, struct arena *a, const struct val *in,
    const struct val *arg)
{
	void		**pair = ctx;
	struct build	*b = pair[0];
	struct val	*r;

	r = hooks_filter_call(my_hooks(b), pair[1], a, in, arg, b->d);
	return r;
}

/* A Lua shortcode: fn(args, page) gives Markdown. */
static struct val *
hook_shortcode(void *ctx, struct arena *a, const char *name,
    const struct val *args, const struct val *page)
{
	struct build	*b = ctx;
	struct val	*r;
	char		 key[128];

	snprintf(key, sizeof(key), "@%s", name);
	r = hooks_filter_call(my_hooks(b), key, a, args, page, b->d);
	return r;
}

static bool
has_shortcode(void *ctx, const char *name)
{
	struct build	*b = ctx;
	const char	**names;
	size_t		  i, n;

	if (b->hooks == NULL || hooks_filter_names(b->hooks, &names, &n) != 0)
		return false;
	for (i = 0; i < n; i++)
		if (names[i][0] == '@' && strcmp(names[i] + 1, name) == 0)
			return true;
	return false;
}

static void	own_keys(struct site *, struct page *, struct diags *);

static void
run_hooks(struct build *b)
{
	struct site	*s = b->site;
	const struct src_file *f;
	const char	*text;
	size_t		 i, len;

	for (i = 0; i < src_count(b->src); i++) {
		f = src_file(b->src, i);
		if (strncmp(f->path, "hooks/", 6) != 0 ||
		    strlen(f->path) < 5 ||
		    strcmp(f->path + strlen(f->path) - 4, ".lua") != 0)
			continue;
		if (b->hooks == NULL)
			b->hooks = hooks_new(NULL, hook_read, b);
		if ((text = src_read(b->src, i, &len, b->d)) == NULL)
			continue;
		hooks_load(b->hooks, f->path, text, len, b->d);
	}
	if (b->hooks == NULL)
		return;
	/* Hook-set addresses pass the URL policy too (issue 11). */
	if (hooks_has(b->hooks, "config") && hooks_call_on(b->hooks, "config",
	    "icpgen.yaml", s->arena, &s->config, b->d) == 0)
		schema_check_urls(&content_config, s->config, "icpgen.yaml",
		    "config", b->d);
	if (hooks_has(b->hooks, "page"))
		for (i = 0; i < s->npages; i++) {
			struct page	*p = s->pages[i];
			const char	*t;

			if (hooks_call_on(b->hooks, "page", p->source != NULL ?
			    p->source : p->id, s->arena, &p->data, b->d) == -1)
				break;	/* one runaway hook is enough */
			if ((t = val_get_str(p->data, "title")) != NULL)
				p->title = t;
			own_keys(s, p, b->d);
			if (p->source != NULL)
				schema_check_urls(content_schema(p->kind),
				    p->data, p->source, "page", b->d);
		}
}

/*
 * What a page is and where it lives are icpgen's: a "page" hook that
 * changed them (docs/hooks.md says not to) is warned and undone, so
 * that an address a hook made up never reaches a link.
 */
static void
own_keys(struct site *s, struct page *p, struct diags *d)
{
	const char	*keys[5], *want[5], *got;
	size_t		 i;

	keys[0] = "id", want[0] = p->id;
	keys[1] = "kind", want[1] = site_kind_name(p->kind);
	keys[2] = "url", want[2] = p->url;
	keys[3] = "permalink", want[3] = arena_printf(s->arena, "%s%s",
	    s->origin, p->url);
	keys[4] = "source", want[4] = p->source;
	for (i = 0; i < 5; i++) {
		got = val_get_str(p->data, keys[i]);
		if (want[i] == NULL || (got != NULL &&
		    strcmp(got, want[i]) == 0))
			continue;
		diag_warn(d, p->source != NULL ? p->source : p->url, 0, 0,
		    "a 'page' hook changed the page's '%s', which is "
		    "icpgen's: it is kept as it was (change what a page shows, "
		    "not what it is or where it lives)", keys[i]);
		val_set(s->arena, p->data, keys[i], val_str(s->arena,
		    want[i]));
	}
}

/*
 * The "pages" hook: fn(site) gets {config, lists, build_date, pages}
 * and appends page tables to site.pages; the model makes the pages.
 */
static void
hook_pages(struct build *b)
{
	struct site	*s = b->site;
	struct arena	*a = s->arena;
	struct val	*v = val_map(a);

	val_set(a, v, "config", s->config);
	val_set(a, v, "lists", s->lists);
	val_set(a, v, "build_date", val_str(a, arena_printf(a,
	    "%04d-%02d-%02d", s->today.year, s->today.month, s->today.day)));
	val_set(a, v, "pages", val_list(a));
	if (hooks_call(b->hooks, "pages", a, &v, b->d) == -1)
		return;
	site_add_pages(s, val_get(v, "pages"), b->d);
}

/* --- theme and assets --------------------------------------------------- */

static int
load_theme(struct build *b)
{
	struct site	*s = b->site;
	size_t		 i;
	unsigned	 before;
	char		*cache;
	int		 rc;

	b->theme = theme_load(b->opts->themedir, s->theme, b->opts->nodedir,
	    b->src, val_get(s->config, "theme"), b->d);
	if (b->theme == NULL)
		return -1;

	/* Templates: every one the pages use, compiled once. */
	b->tmpls = tmpl_set_new(theme_read_template, b->theme);
	if (b->hooks != NULL) {
		const char	**names;
		size_t		  nn;

		if (hooks_filter_names(b->hooks, &names, &nn) == 0)
			for (i = 0; i < nn; i++) {
				void **pair;

				if (names[i][0] == '@')
					continue;	/* a shortcode */
				pair = arena_alloc(s->arena, 2 * sizeof(void *));

				pair[0] = b;
				pair[1] = (void *)(uintptr_t)names[i];
				tmpl_add_filter(b->tmpls, names[i],
				    hook_filter, pair);
			}
	}
	b->rt = xcalloc(s->npages, sizeof(*b->rt));
	for (i = 0; i < s->npages; i++) {
		const char *name = s->pages[i]->template;
		size_t	j;

		for (j = 0; j < b->nrt; j++)
			if (strcmp(b->rt[j].name, name) == 0)
				break;
		if (j < b->nrt)
			continue;
		before = b->d->errors;
		b->rt[b->nrt].name = name;
		b->rt[b->nrt].tmpl = tmpl_get(b->tmpls, name, b->d);
		if (b->rt[b->nrt].tmpl == NULL && b->d->errors == before)
			diag_error(b->d, NULL, 0, 0, "template '%s' not "
			    "found in theme '%s' or the site's templates/",
			    name, s->theme);
		b->nrt++;
	}

	cache = src_cache_file(b->src, b->opts->cache_dir, "css");
	rc = assets_write(s, b->theme, b->out, b->render.globals, cache, b->d);
	free(cache);
	return rc;
}

/*
 * An SVG file opened by itself runs its scripts on the site's origin:
 * outside static/ (which the site's maintainer writes), refuse SVGs
 * with script, event attributes or links to other documents.
 */
static bool
svg_publishable(struct build *b, const char *path, const char *data,
    size_t len)
{
	struct svg_problem	 p;
	size_t			 n = strlen(path);

	memset(&p, 0, sizeof(p));

	if (n < 4 || strcasecmp(path + n - 4, ".svg") != 0 ||
	    strncmp(path, "static/", 7) == 0 || svg_check(data, len, &p) == 0)
		return true;
	diag_error(b->d, path, p.line, p.col, "SVG file has %s (SVG files may "
	    "not contain script, event attributes or links to other "
	    "documents: export it again without them, or publish a PNG)",
	    p.what);
	return false;
}

/* Copy the site's own files (PDFs, images, static/) to the output. */
static int
copy_static(struct build *b)
{
	struct site	*s = b->site;
	struct buf	 url;
	const char	*data;
	size_t		 i, len, bl = strlen(s->base_path);
	long		 at;
	int		 rc = 0;

	buf_init(&url);
	for (i = 0; i < s->nstatic; i++) {
		buf_reset(&url);
		if (!site_url(s, s->static_files[i], &url) || url.len <= bl)
			continue;
		at = src_find(b->src, s->static_files[i]);
		if ((data = src_read(b->src, (size_t)at, &len, b->d)) == NULL) {
			rc = -1;
			continue;
		}
		if (!svg_publishable(b, s->static_files[i], data, len)) {
			rc = -1;
			src_release(b->src, (size_t)at);
			continue;
		}
		if (b->out != NULL && out_write_from(b->out, url.data + bl,
		    s->static_files[i], data, len, b->d) == -1)
			rc = -1;
		src_release(b->src, (size_t)at);
	}
	buf_free(&url);
	return rc;
}

/*
 * The files made after rendering: static files, the search index,
 * chart data, feeds and open data.  Each reads the model and writes
 * its own files, so they run side by side; their messages come out in
 * this order whatever the threads did.
 */
enum { W_STATIC, W_SEARCH, W_CHARTS, W_CALENDARS, W_ATOM, W_SITE_FILES,
    W_DATA, W__MAX };

/* Keep the pages' search words for the next build (search_reuse). */
static void
save_words(struct build *b)
{
	unsigned long long dev, ino;
	FILE		*f;

	if (!b->keep || b->d->errors > 0)
		return;
	out_id(b->out, &dev, &ino);
	if ((f = manifest_extra_begin(b->man, dev, ino)) != NULL)
		manifest_extra_end(b->man, f, search_save(b->search, f) == 0);
}

struct write_job {
	struct build	*b;
	atomic_int	*next;
};

/*
 * The order the writers are taken in: the longest first (the search
 * index, then the open data, then the feeds in three parts, in a
 * profile of a one-paper rebuild of 10,000 pages), so that no thread
 * starts a long one last while the other has nothing left.  Messages
 * keep the W_ order.
 */
static const int write_order[W__MAX] = { W_SEARCH, W_DATA, W_CALENDARS,
    W_SITE_FILES, W_ATOM, W_STATIC, W_CHARTS };

static bool
page_digest(void *memo, const struct page *q, struct sha256 *c)
{
	return render_page_digest(memo, q, c);
}

/*
 * The open data, with the meeting records of the last build kept for
 * meetings whose pages are unchanged (their digests as page keys see
 * them, with the values the render remembered when it kept pages, or
 * with values remembered for this job).
 */
static void
write_data(struct build *b)
{
	struct opendata_memo m;
	struct render_memo *own = NULL;
	char		*file;

	file = src_cache_file(b->src, b->opts->cache_dir, "meetings");
	if (file != NULL && b->render.memo == NULL)
		own = render_memo_new(b->site);
	m.file = file;
	m.digest = page_digest;
	m.arg = own != NULL ? own : b->render.memo;
	(void)opendata_write(b->site, b->out, b->d, &m);
	render_memo_free(own);
	free(file);
}

static void *
writer(void *arg)
{
	struct write_job *j = arg;
	struct build	*b = j->b;
	int		 i, k;

	while ((i = atomic_fetch_add(j->next, 1)) < W__MAX) {
		k = write_order[i];
		diag_hold(b->d, (size_t)k);
		switch (k) {
		case W_STATIC:
			(void)copy_static(b);
			break;
		case W_SEARCH:
			save_words(b);
			(void)search_write(b->search, b->out, b->d,
			    &b->search_bytes);
			break;
		case W_CHARTS:
			(void)chart_csv_write(b->site, b->out, b->d);
			break;
		case W_CALENDARS:
			(void)feeds_write_part(b->site, b->out, b->d,
			    FEEDS_CALENDARS);
			break;
		case W_ATOM:
			(void)feeds_write_part(b->site, b->out, b->d,
			    FEEDS_ATOM);
			break;
		case W_SITE_FILES:
			(void)feeds_write_part(b->site, b->out, b->d,
			    FEEDS_SITE);
			break;
		default:
			write_data(b);
			break;
		}
		diag_release(b->d);
	}
	return NULL;
}

static void
write_all(struct build *b)
{
	struct write_job th[W__MAX];
	atomic_int	 next = 0;
	int		 i, n = par_threads(b->opts->jobs, W__MAX, 1);

	if (n > W__MAX)
		n = W__MAX;
	for (i = 0; i < n; i++)
		th[i] = (struct write_job){ b, &next };
	par_run(writer, th, sizeof(th[0]), n);
	diag_flush(b->d);
}

/* --- rendering ---------------------------------------------------------- */

/*
 * What every page's bytes depend on besides the keys it notes (see
 * render/page.h) and the inputs the manifest fingerprints: the policy
 * every page carries, and each site file that is not a page's
 * Markdown (templates, hooks, configuration, documents), by blob id
 * or, from the working tree, by its bytes.
 */
static bool
shared_inputs(struct build *b, unsigned char out[32])
{
	struct sha256	 c;
	unsigned char	 id[32];
	const char	*csp, *path;
	bool		*page, ok = true;
	size_t		 i, n = src_count(b->src);

	page = xcalloc(n + 1, sizeof(*page));
	for (i = 0; i < b->site->npages; i++)
		if (b->site->pages[i]->src_index >= 0 &&
		    (size_t)b->site->pages[i]->src_index < n)
			page[b->site->pages[i]->src_index] = true;
	sha256_init(&c);
	csp = val_get_str(val_get(b->render.globals, "build"), "csp");
	sha256_update(&c, csp != NULL ? csp : "", csp != NULL ?
	    strlen(csp) + 1 : 1);
	for (i = 0; i < n && ok; i++) {
		if (page[i])
			continue;
		path = src_file(b->src, i)->path;
		sha256_update(&c, path, strlen(path) + 1);
		if ((ok = src_content_id(b->src, i, id)))
			sha256_update(&c, id, sizeof(id));
	}
	sha256_final(&c, out);
	free(page);
	return ok;
}

struct render_thread {
	struct build	*b;
	struct hooks	*hooks;		/* its own Lua state, or NULL */
};

/*
 * Keep page i from the last build when every key it was rendered from
 * gives what it gave then.  Its search words come from the last build
 * too when they were saved, with its result fragment linked; else its
 * bytes are read (into html) for search_take().  1 when kept, 0 when
 * it must be rendered, -1 after an error.
 */
static int
keep_one(struct build *b, size_t i, struct buf *html)
{
	struct page	*p = b->site->pages[i];
	struct out_prev	 prev, fprev;
	const struct page_rec *rec;
	unsigned char	 was[32], now[32];
	char		 from[64], to[64];
	const char	**keys;
	size_t		 n;
	int		 rc = 0, s, k;

	if (!b->keep || !site_public(p) ||
	    (keys = manifest_page_old(b->man, p->out, was, &prev, &n,
	    &rec)) == NULL)
		return 0;
	buf_reset(html);
	if (!render_keys_digest(&b->render, p, keys, n, now) ||
	    memcmp(was, now, sizeof(now)) != 0)
		goto out;
	s = search_kept(b->search, i, from, to, sizeof(from));
	if (s == 1 && !manifest_file_old(b->man, from, &fprev))
		s = 0;
	if ((rc = out_keep(b->out, NULL, p->out, p->source, &prev,
	    s == 0 ? html : NULL, b->d)) != 1)
		goto out;
	manifest_page_keep(b->man, i, p->out, rec, now);
	if (s == 1) {
		/* The old fragment at its new number, and the saved words. */
		k = out_keep(b->out, from, to, NULL, &fprev, NULL, b->d);
		if (k == 1) {
			search_kept_take(b->search, i);
			goto out;
		}
		if (k == -1 || out_staged(b->out, p->out, html) == -1) {
			if (k != -1)
				diag_error(b->d, p->out, 0, 0, "cannot read "
				    "back the page just kept from the last "
				    "build: %s (is something else changing "
				    "the output folder?)", strerror(errno));
			rc = -1;
			goto out;
		}
	}
	if (s != 2)	/* its words from its bytes */
		search_take(b->search, i, html->data, html->len, b->out,
		    b->d);
out:
	free(keys);
	return rc;
}

/*
 * Render page i (0), or keep it (1), its messages kept under i; -1
 * after an error.  A page rendered with no message has what it read
 * recorded in nt and in the manifest.
 */
static int
render_one(struct build *b, size_t i, const struct pack_done *done,
    struct render_note *nt, struct buf *body, struct buf *html)
{
	struct page	*p = b->site->pages[i];
	struct arena	*scratch;
	const char *const *keys;
	unsigned char	 dg[32];
	size_t		 k, n;
	int		 rc;

	/* Another page failed: write nothing more (see build_run). */
	if (b->out != NULL && diag_failed(b->d))
		out_dry(b->out);
	diag_hold(b->d, i);
	buf_reset(body);
	if ((rc = keep_one(b, i, html)) != 0) {
		if (rc == 1)
			atomic_fetch_add(&b->kept, 1);
		diag_release(b->d);
		return rc == 1 ? 1 : -1;
	}
	scratch = arena_new();
	rc = render_page_noted(&b->render, p, done, b->keep ? nt : NULL,
	    scratch, body, html);
	if (rc == 0)
		search_take(b->search, i, html->data, html->len, b->out, b->d);
	for (k = 0; done != NULL && k < done->n; k++)
		render_note_merge(nt, done->notes[k], done->pages[k]);
	if (rc == 0 && b->keep && diag_held() == 0 &&
	    (keys = render_note_keys(nt, &n)) != NULL &&
	    render_keys_digest(&b->render, p, keys, n, dg))
		manifest_page_set(b->man, i, p->out, keys, n, dg);
	diag_release(b->d);
	arena_free(scratch);
	return rc;
}

/*
 * Render pages taken from a shared counter: no lock between threads.
 * A pack's papers are rendered by the worker that takes the pack, just
 * before it, so that their bodies are rendered once for both.
 */
static void *
worker(void *arg)
{
	struct render_thread *t = arg;
	struct build	*b = t->b;
	struct pack_done done;
	struct render_note *nt;
	struct buf	 body, html;
	const size_t	*own;
	size_t		 i, j, k, nown, cap = 0, n = b->site->npages;
	int		 show = b->opts->progress && !b->opts->quiet;
	/* Pages the parse cache gave were not read: read them here. */
	struct src_reader *rd = src_reader_open(b->src);

	src_thread_reader(rd);
	thread_hooks = t->hooks;
	buf_init(&body);
	buf_init(&html);
	memset(&done, 0, sizeof(done));
	for (;;) {
		i = atomic_fetch_add(&b->next, 1);
		if (i >= n)
			break;
		if (show && i % 200 == 0)
			fprintf(stderr, "\rrendering %zu of %zu pages", i, n);
		if (pack_owner(b->packs, i) >= 0)
			continue;	/* rendered with its pack */
		own = pack_papers(b->packs, i, &nown);
		if (nown > cap) {
			cap = nown;
			done.pages = xreallocarray(done.pages, cap,
			    sizeof(*done.pages));
			done.bodies = xreallocarray(done.bodies, cap,
			    sizeof(*done.bodies));
			done.notes = xreallocarray(done.notes, cap,
			    sizeof(*done.notes));
		}
		for (j = k = 0; j < nown; j++) {
			nt = render_note_new();
			if (render_one(b, own[j], NULL, nt, &body, &html) != 0) {
				render_note_free(nt);
				continue;	/* kept, or the pack tries */
			}
			done.pages[k] = b->site->pages[own[j]];
			done.notes[k] = nt;
			done.bodies[k] = xmalloc(sizeof(**done.bodies));
			buf_init(done.bodies[k]);
			buf_put(done.bodies[k++], body.data, body.len);
		}
		done.n = k;
		nt = render_note_new();
		render_one(b, i, &done, nt, &body, &html);
		render_note_free(nt);
		for (j = 0; j < k; j++) {
			buf_free(done.bodies[j]);
			free(done.bodies[j]);
			render_note_free(done.notes[j]);
		}
	}
	free(done.pages);
	free(done.bodies);
	free(done.notes);
	buf_free(&body);
	buf_free(&html);
	thread_hooks = NULL;
	src_thread_reader(NULL);
	src_reader_close(rd);
	return NULL;
}

/*
 * Each thread gets its own clone of the hooks, made here, so that
 * pages render the same whatever the number of threads: no thread
 * uses the state the config, page and pages hooks ran in.
 */
static void
render_all(struct build *b)
{
	struct render_thread th[64];
	int		 i, n = par_threads(b->opts->jobs, b->site->npages, 16);

	memset(th, 0, sizeof(th));
	for (i = 0; i < n; i++) {
		th[i].b = b;
		if (b->hooks != NULL &&
		    (th[i].hooks = hooks_clone(b->hooks)) == NULL)
			break;	/* out of memory: fewer threads */
	}
	if (i == 0)
		i = 1;		/* the one state then, in this thread */
	n = i;
	atomic_store(&b->next, 0);
	b->packs = pack_plan(b->site);
	par_run(worker, th, sizeof(th[0]), n);
	pack_plan_free(b->packs);
	b->packs = NULL;
	for (i = 0; i < n; i++)
		if (th[i].hooks != NULL)
			hooks_free(th[i].hooks);
	diag_flush(b->d);	/* in page order, however the threads ran */
	if (b->opts->progress && !b->opts->quiet && b->site->npages >= 200)
		fputs("\r\033[K", stderr);
}

static struct val *
globals(struct build *b)
{
	struct site	*s = b->site;
	struct arena	*a = s->arena;
	struct val	*g = val_map(a), *bv = val_map(a), *sv;
	struct buf	 t;
	size_t		 i, n;

	sv = val_map(a);
	for (i = 0; i < s->config->n; i++)
		val_set(a, sv, s->config->pairs[i].key, s->config->pairs[i].v);
	val_set(a, sv, "base_path", val_str(a, s->base_path));
	val_set(a, g, "site", sv);
	val_set(a, g, "lists", s->lists);
	buf_init(&t);
	buf_printf(&t, "%04d-%02d-%02d", s->today.year, s->today.month,
	    s->today.day);
	val_set(a, bv, "date", val_str(a, t.data));
	buf_free(&t);
	val_set(a, bv, "commit", val_str(a, src_commit(b->src)));
	n = strlen(src_commit(b->src));
	val_set(a, bv, "commit_short", val_strn(a, src_commit(b->src),
	    n < 12 ? n : 12));
	val_set(a, bv, "generator", val_str(a, "icpgen " ICPGEN_VERSION));
	val_set(a, bv, "csp", val_str(a, csp_policy(s->config, a, b->d)));
	val_set(a, g, "build", bv);
	return g;
}

/* What a build read, for its summary: a commit id or the working tree. */
static const char *
built_from(const struct src *src)
{
	return strcmp(src_commit(src), "worktree") == 0 ? "the working tree" :
	    src_commit(src);
}

/* The last line of a summary: "  2 errors, 1 warning". */
static void
counts(const struct diags *d)
{
	fprintf(stderr, "  %u error%s, %u warning%s\n", d->errors,
	    d->errors == 1 ? "" : "s", d->warnings,
	    d->warnings == 1 ? "" : "s");
}

static void
summary(struct build *b)
{
	struct site	*s = b->site;
	double		 total = 0;
	size_t		 k;
	int		 first = 1;

	fprintf(stderr, "icpgen: %s '%s' from %s\n", b->opts->out == NULL ?
	    "checked" : b->d->errors ? "failed to build" : "built", val_get_str(s->config, "name") ?
	    val_get_str(s->config, "name") : "site",
	    built_from(b->src));
	fputs("  pages:", stderr);
	for (k = 0; k < kind_count(); k++) {
		if (s->counts[k] == 0)
			continue;
		fprintf(stderr, "%s %zu %s", first ? "" : ",", s->counts[k],
		    site_kind_name(k));
		first = 0;
	}
	fputc('\n', stderr);
	if (b->opts->out != NULL && b->d->errors == 0)
		fprintf(stderr, "  files: %zu written (%.1f MB) to %s, %zu "
		    "unchanged (linked); %zu pages kept from the last build "
		    "without rendering\n", b->files, b->bytes / 1e6,
		    b->opts->out, b->linked, (size_t)atomic_load(&b->kept));
	if (b->opts->out != NULL && b->d->errors == 0 && b->search_bytes > 0)
		fprintf(stderr, "  search index: %.1f KB\n",
		    b->search_bytes / 1024.0);
	fputs("  time:", stderr);
	for (k = 0; k < PH__MAX; k++) {
		fprintf(stderr, "%s %s %.0f ms", k ? "," : "", phase_names[k],
		    b->ms[k]);
		total += b->ms[k];
	}
	fprintf(stderr, "; total %.0f ms\n", total);
	counts(b->d);
}

/*
 * Swap the new site into place (out_commit) and record it in the build
 * manifest.  The old manifest goes first: a build stopped between the
 * two leaves none, so the next build is a full one.  0 or 3.
 */
static int
publish(struct build *b)
{
	char			**paths;
	struct out_prev		 *kept;
	struct out_entry	 *folders;
	size_t			  i, np, nfolders;
	unsigned long long	  dev, ino;
	int			  rc;

	b->files = out_files(b->out);
	b->bytes = out_bytes(b->out);
	b->linked = out_linked(b->out);
	paths = out_list(b->out, &np, &kept);
	out_id(b->out, &dev, &ino);
	manifest_forget(b->man);
	rc = out_publish(b->out, paths, np, &folders, &nfolders, b->d) == 0 ?
	    0 : 3;
	b->out = NULL;
	/*
	 * A build with warnings is recorded as one: the next build
	 * repeats them rather than saying "nothing to do, 0 warnings",
	 * but keeps the pages that gave none.
	 */
	if (rc == 0) {
		if (b->d->warnings > 0)
			manifest_warned(b->man);
		manifest_save(b->man, dev, ino, paths, kept, np, folders,
		    nfolders);
	}
	out_entries_free(folders, nfolders);
	for (i = 0; i < np; i++)
		free(paths[i]);
	free(paths);
	free(kept);
	return rc;
}

/*
 * The build date, as site_load() takes it (seconds since 1970, at noon
 * UTC of the day): --date, else the day of SOURCE_DATE_EPOCH, else
 * today; days are those of Europe/London.
 */
static int64_t
build_day(const struct build_opts *o)
{
	struct date	d;

	if (o->date == NULL || !text_parse_date(o->date, &d))
		tz_date(o->epoch >= 0 ? o->epoch : (int64_t)time(NULL), &d);
	return (int64_t)text_days(&d) * 86400 + 43200;
}

/*
 * The last second of the build date in London: 23:59:59 GMT, or an
 * hour earlier in summer time.
 */
static int64_t
build_day_end(int64_t noon)
{
	struct date	a, b;

	tz_date(noon, &a);
	tz_date(noon + 43199, &b);
	return text_days(&a) == text_days(&b) ? noon + 43199 : noon + 39599;
}

int
build_run(const struct build_opts *o, struct diags *d)
{
	struct build	 b;
	struct history_cache *vc;
	double		 t;
	int		 rc = 1;
	bool		 no_out = false, unread = false;

	memset(&b, 0, sizeof(b));
	b.opts = o;
	b.d = d;

	t = now_ms();
	if ((b.src = src_open_lazy(o->site, o->ref, o->worktree,
	    o->cache_dir, d)) == NULL) {
		rc = 3;
		goto out;
	}
	setenv("TZ", "Europe/London", 1);	/* dates are England's */
	tzset();
	/* Nothing changed since the last build into o->out: done. */
	if (o->out != NULL && (b.man = manifest_open(o->manifest,
	    o->cache_dir, o->out, b.src, build_day(o), o->base_url,
	    o->themedir, o->nodedir)) != NULL && manifest_fresh(b.man)) {
		out_tidy(o->out);	/* a killed build's staging folder */
		if (!o->quiet)
			fprintf(stderr, "icpgen: '%s' is up to date with %s; "
			    "nothing to do\n  0 errors, 0 warnings\n", o->out,
			    built_from(b.src));
		rc = 0;
		goto out;
	}
	/* Only now the commit's files: nothing to do needs only its id. */
	if (src_list(b.src, d) == -1) {
		rc = 3;
		goto out;
	}
	/*
	 * With the last build's manifest, most pages will be kept: the
	 * build is short and its page faults a fifth of it, so the model
	 * grows by huge pages.  A cold build keeps the smaller peak.
	 */
	arena_huge(manifest_had(b.man));
	manifest_prefetch(b.man);
	/*
	 * The output folder, before loading: the site kept from the build
	 * before last, which the new one is made from, is gone through in
	 * a thread while the content is loaded and linked (out.c), on the
	 * core that loading from the parse cache leaves idle.  When it
	 * cannot be used, the build goes on without output, to report
	 * every other problem too; after an error in the content nothing
	 * is written to it (out_dry below).
	 */
	if (o->out != NULL && (b.out = out_begin_listed(o->out,
	    b.man != NULL ? manifest_spare : NULL, b.man, d)) == NULL)
		no_out = true;
	b.site = site_load_cached(b.src, build_day(o), o->base_url, o->jobs,
	    o->cache_dir, d);
	if (b.site == NULL) {
		unread = true;		/* icpgen.yaml: reported */
		goto out;
	}
	b.ms[PH_LOAD] = now_ms() - t;
	if (d->errors > 0)
		out_dry(b.out);

	t = now_ms();
	run_hooks(&b);
	b.ms[PH_HOOKS] = now_ms() - t;

	t = now_ms();
	site_link(b.site, d);
	/* The versions cache is read while the history is. */
	vc = history_cache_begin(b.site, o->cache_dir);
	if (src_history_jobs(b.src, o->cache_dir, o->jobs,
	    build_day_end(build_day(o)), d) == 0)
		history_link(b.site, vc, d);
	else
		history_cache_end(vc);
	opendata_page(b.site);
	browse_link(b.site);
	b.ms[PH_LINK] = now_ms() - t;
	if (b.hooks != NULL && hooks_has(b.hooks, "pages")) {
		t = now_ms();
		hook_pages(&b);
		b.ms[PH_HOOKS] += now_ms() - t;
	}

	/*
	 * After a content error nothing will be written, but every page is
	 * still rendered so that all problems are reported in one run.
	 * Nothing is written to the staging folder either (out_dry): it is
	 * the spare, whose files may be the site's too, and the site in
	 * place must keep the links and times its manifest recorded, or
	 * the next build of the same commit would do everything again.
	 */
	if (d->errors > 0)
		out_dry(b.out);
	t = now_ms();
	b.render.site = b.site;
	b.render.globals = globals(&b);
	b.render.out = b.out;
	b.render.d = d;
	load_theme(&b);
	manifest_theme(b.man, b.theme);
	b.render.tmpls = b.rt;
	b.render.ntmpls = b.nrt;
	b.render.shortcode = hook_shortcode;
	b.render.has_shortcode = has_shortcode;
	b.render.ctx = &b;
	b.ms[PH_THEME] = now_ms() - t;

	t = now_ms();
	b.search = search_new(b.site);
	if (b.out != NULL && b.man != NULL && d->errors == 0) {
		unsigned char	shared[32];

		b.render.memo = render_memo_new(b.site);
		b.keep = shared_inputs(&b, shared) &&
		    manifest_pages(b.man, b.site->npages, shared);
		if (b.keep) {
			size_t	 len;
			char	*old = manifest_extra_old(b.man, &len);

			search_reuse(b.search, old, len);
		}
	}
	render_all(&b);		/* after a theme error, writes nothing */
	search_reuse_done(b.search);
	/*
	 * Only pages and the open data's meeting records use them.  A
	 * build that keeps pages has them for the meeting records too; a
	 * full build, whose writers need the memory more, lets them go.
	 */
	if (!b.keep) {
		render_memo_free(b.render.memo);
		b.render.memo = NULL;
	}
	malloc_trim(0);
	b.ms[PH_RENDER] = now_ms() - t;

	t = now_ms();
	if (d->errors > 0)
		out_dry(b.out);		/* a page's error */
	write_all(&b);
	render_memo_free(b.render.memo);
	b.render.memo = NULL;
	if (no_out)
		rc = 3;
	else if (d->errors == 0 && b.out != NULL)
		rc = publish(&b);
	else if (d->errors == 0)
		rc = 0;
	b.ms[PH_WRITE] = now_ms() - t;
out:
	if (b.site != NULL && !o->quiet)
		summary(&b);
	else if (unread && !o->quiet) {
		fprintf(stderr, "icpgen: %s the site from %s: icpgen.yaml "
		    "is missing or could not be read, so no other file was "
		    "checked\n", o->out == NULL ? "could not check" :
		    "failed to build", built_from(b.src));
		counts(d);
	}
	if (rc != 0 && o->out != NULL && (b.site != NULL || unread)) {
		struct stat	st;

		fprintf(stderr, "icpgen: nothing was published; '%s' %s\n",
		    o->out, lstat(o->out, &st) == 0 ? "is as it was" :
		    "was not made");
	}
	out_abort(b.out);
	manifest_free(b.man);
	render_memo_free(b.render.memo);
	if (b.tmpls != NULL)
		tmpl_set_free(b.tmpls);
	free(b.rt);
	theme_free(b.theme);
	if (b.hooks != NULL)
		hooks_free(b.hooks);
	search_free(b.search);
	site_free(b.site);
	src_close(b.src);
	return rc;
}
