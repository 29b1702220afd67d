/*
 * Loading content files into the site model, and linking them.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/par.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/url.h"
#include "util/val.h"
#include "load/lfs.h"
#include "load/pdf.h"
#include "load/src.h"
#include "parse/fm.h"
#include "model/content.h"
#include "model/kind.h"
#include "model/publish.h"
#include "model/pcache.h"
#include "model/site.h"

#define CONFIG_FILE	"icpgen.yaml"

/* Folders that hold the site's machinery, not pages. */
static const char *const machinery[] = {
	"templates/", "assets/", "hooks/", "lua/", "themes/", NULL,
};

const char *
site_kind_name(enum page_kind k)
{
	return kind_get(k)->name;
}

static bool
has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

struct page *
site_add_page(struct site *s, enum page_kind kind, const char *id,
    const char *urlpath)
{
	struct page	*p = arena_alloc(s->arena, sizeof(*p));

	if (s->npages == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->pages = xreallocarray(s->pages, s->cap, sizeof(*s->pages));
	}
	s->pages[s->npages++] = p;
	s->counts[kind]++;
	p->kind = kind;
	p->id = arena_strdup(s->arena, id);
	p->src_index = -1;
	p->history_of = -1;
	p->url = arena_printf(s->arena, "%s%s", s->base_path, urlpath);
	p->out = arena_printf(s->arena, "%sindex.html", urlpath);
	p->template = kind_get(kind)->template;
	p->data = val_map(s->arena);
	return p;
}

static int
kind_id_cmp(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;

	if (p->kind != q->kind)
		return p->kind < q->kind ? -1 : 1;
	return strcmp(p->id, q->id);
}

struct page *
site_find(const struct site *s, enum page_kind kind, const char *id)
{
	size_t	i, lo = 0, hi = s->nbyid, mid;
	int	c;

	/* The index covers the pages of the last site_index(). */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = s->byid[mid]->kind != kind ?
		    (s->byid[mid]->kind < kind ? -1 : 1) :
		    strcmp(s->byid[mid]->id, id);
		if (c == 0)
			return s->byid[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (i = s->nbyid; i < s->npages; i++)	/* added since */
		if (s->pages[i]->kind == kind &&
		    strcmp(s->pages[i]->id, id) == 0)
			return s->pages[i];
	if (s->nbyid == 0)
		for (i = 0; i < s->npages; i++)
			if (s->pages[i]->kind == kind &&
			    strcmp(s->pages[i]->id, id) == 0)
				return s->pages[i];
	return NULL;
}

struct page *
site_resolve(struct site *s, enum page_kind k, const struct val *v,
    struct diags *d)
{
	struct page	*p;
	const char	**ids, *hint;
	struct buf	 path;
	size_t		 i, n = 0;

	if (v == NULL || v->kind != VAL_STR)
		return NULL;
	if ((p = site_find(s, k, v->str)) != NULL)
		return p;
	ids = xcalloc(s->counts[k] + 1, sizeof(*ids));
	for (i = 0; i < s->npages && n < s->counts[k]; i++)
		if (s->pages[i]->kind == k)
			ids[n++] = s->pages[i]->id;
	hint = text_suggest(v->str, ids);
	buf_init(&path);
	kind_path(k, v->str, &path);
	if (hint != NULL)
		diag_error(d, v->file, v->line, v->col, "unknown %s '%s' (did "
		    "you mean '%s'?)", kind_get(k)->noun, v->str, hint);
	else
		diag_error(d, v->file, v->line, v->col, "unknown %s '%s' "
		    "(there is no %s)", kind_get(k)->noun, v->str, path.data);
	buf_free(&path);
	free(ids);
	return NULL;
}

/* Whether a file may be published at all (not machinery, not hidden). */
static bool
published(const char *path)
{
	size_t	i;

	for (i = 0; machinery[i] != NULL; i++)
		if (has_prefix(path, machinery[i]))
			return false;
	return strcmp(path, CONFIG_FILE) != 0 && path[0] != '.' &&
	    strstr(path, "/.") == NULL && strcmp(path, "README.md") != 0 &&
	    publish_name_ok(path);
}

bool
site_url(const struct site *s, const char *path, struct buf *out)
{
	struct buf	 id, url;
	enum page_kind	 k;
	bool		 ok = true;

	if (!published(path) || (s->files_final && !text_has_suffix(path, ".md")
	    && !publish_has_file(s, path)))
		return false;	/* not listed, or withheld */
	if (text_has_suffix(path, ".md")) {
		buf_init(&id);
		buf_init(&url);
		if ((ok = kind_classify(path, &k, &id, &url)))
			buf_printf(out, "%s%s", s->base_path, url.data);
		buf_free(&id);
		buf_free(&url);
	} else if (has_prefix(path, "static/"))
		buf_printf(out, "%s%s", s->base_path, path + 7);
	else if (has_prefix(path, "pages/"))
		buf_printf(out, "%s%s", s->base_path, path + 6);
	else
		buf_printf(out, "%s%s", s->base_path, path);
	return ok;
}

static int
url_cmp(const void *a, const void *b)
{
	return strcmp((*(struct page *const *)a)->url,
	    (*(struct page *const *)b)->url);
}

struct page *
site_find_url(const struct site *s, const char *url)
{
	size_t	lo = 0, hi = s->nurls, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(url, s->urls[mid]->url);
		if (c == 0)
			return s->urls[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* The base path of base_url: "https://x.org/icp" gives "/icp/". */
static const char *
base_path(struct arena *a, const char *url)
{
	const char	*p = strstr(url, "://");
	size_t		 n;

	if (p == NULL || (p = strchr(p + 3, '/')) == NULL)
		return "/";
	n = strlen(p);
	while (n > 0 && p[n - 1] == '/')
		n--;
	return n == 0 ? "/" : arena_printf(a, "%.*s/", (int)n, p);
}

/* The scheme and host of base_url: "https://x.org/icp" gives "https://x.org". */
static const char *
origin(struct arena *a, const char *url)
{
	const char	*p = strstr(url, "://"), *slash;

	if (p == NULL)
		return "";
	slash = strchr(p + 3, '/');
	return slash == NULL ? arena_strdup(a, url) :
	    arena_strndup(a, url, (size_t)(slash - url));
}

/*
 * Links in icpgen.yaml (nav, footer_links) written as site paths
 * ("/meetings/") follow the base path, so a site built for a sub-path
 * or with --base-url keeps working links; "path" keeps the link as
 * written, for templates that compare it.
 */
static void
rebase_links(struct site *s)
{
	static const char *const keys[] = { "nav", "footer_links" };
	struct val	*l, *link;
	const char	*u;
	size_t		 i, k;

	for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		l = val_get(s->config, keys[k]);
		for (i = 0; l != NULL && l->kind == VAL_LIST && i < l->n; i++) {
			link = l->items[i];
			if ((u = val_get_str(link, "url")) == NULL ||
			    u[0] != '/' || u[1] == '/')
				continue;
			val_set(s->arena, link, "path", val_str(s->arena, u));
			val_set(s->arena, link, "url", val_str(s->arena,
			    arena_printf(s->arena, "%s%s", s->base_path,
			    u + 1)));
		}
	}
}

/* Whether path segment s (n bytes) is '.' or '..', %2e counted. */
static bool
dots(const char *s, size_t n)
{
	size_t	i, k = 0;

	for (i = 0; i < n; k++) {
		if (s[i] == '.')
			i++;
		else if (i + 2 < n && s[i] == '%' && s[i + 1] == '2' &&
		    (s[i + 2] == 'e' || s[i + 2] == 'E'))
			i += 3;
		else
			return false;
	}
	return k == 1 || k == 2;
}

/*
 * What is wrong with base URL u, or NULL: every address of the site is
 * made by adding a path to it, so it must be a scheme, a host and a
 * path, with nothing a path cannot follow (a query, a fragment), no
 * name and password, and no '.' or '..' folder.
 */
static const char *
base_url_problem(const char *u)
{
	const char	*h, *p, *seg;
	size_t		 n;

	if (strncmp(u, "https://", 8) == 0)
		h = u + 8;
	else if (strncmp(u, "http://", 7) == 0)
		h = u + 7;
	else
		return NULL;	/* the schema's check says so */
	for (p = u; *p != '\0'; p++)
		if ((unsigned char)*p <= 0x20 || *p == 0x7f)
			return "has a space or a control character in it";
	if (strpbrk(u, "?#") != NULL)
		return "has a query or a fragment ('?' or '#'), which every "
		    "address of the site would then end in";
	if (strstr(u, "%00") != NULL)
		return "has an encoded NUL ('%00') in it";
	if (!url_web_ok(u, strlen(u)))
		return "is not a web address a browser can open (check its "
		    "host and port)";
	n = strcspn(h, "/");
	if (n == 0)
		return "has no host";
	if (memchr(h, '@', n) != NULL)
		return "has a name or password in it ('@')";
	for (seg = h + n; *seg == '/'; seg += n) {
		seg++;
		n = strcspn(seg, "/");
		if (dots(seg, n))
			return "has a '.' or '..' folder in its path";
	}
	return NULL;
}

static struct val *
load_config(struct site *s, struct diags *d)
{
	long		 i = src_find(s->src, CONFIG_FILE);
	const char	*text;
	size_t		 len;
	struct val	*c;

	if (i < 0) {
		diag_error(d, CONFIG_FILE, 0, 0, "the site has no "
		    "configuration (create " CONFIG_FILE " with at least "
		    "'name:' and 'base_url:'; see icpgen(5))");
		return NULL;
	}
	if ((text = src_read(s->src, (size_t)i, &len, d)) == NULL)
		return NULL;
	c = fm_parse(s->arena, CONFIG_FILE, text, len, 1, d);
	src_release(s->src, (size_t)i);
	if (c == NULL)
		return NULL;
	schema_check(&content_config, s->arena, c, d);
	if (val_get(c, "language") == NULL)
		val_set(s->arena, c, "language", val_str(s->arena, "en-GB"));
	if (val_get(c, "theme") == NULL)
		val_set(s->arena, c, "theme", val_str(s->arena, "default"));
	if (val_get(c, "publication_days") == NULL)
		val_set(s->arena, c, "publication_days", val_num(s->arena, 5));
	return c;
}

/* Copy the checked front matter into the page's template data. */
static void
fill_data(struct site *s, struct page *p)
{
	size_t	i;

	for (i = 0; p->fm != NULL && i < p->fm->n; i++)
		val_set(s->arena, p->data, p->fm->pairs[i].key,
		    p->fm->pairs[i].v);
	val_set(s->arena, p->data, "kind", val_str_ref(s->arena,
	    site_kind_name(p->kind)));
	val_set(s->arena, p->data, "id", val_str_ref(s->arena, p->id));
	val_set(s->arena, p->data, "url", val_str_ref(s->arena, p->url));
	val_set(s->arena, p->data, "permalink", val_str(s->arena,
	    arena_printf(s->arena, "%s%s", s->origin, p->url)));
	if (p->source != NULL)
		val_set(s->arena, p->data, "source", val_str(s->arena,
		    p->source));
}


/*
 * Loading in parallel.  Reading a file (inflating and checking its
 * blob) and parsing its front matter are independent of every other
 * file, so threads take files from a shared counter, each with its own
 * repository reader and arena; the pages are then added in file order
 * by one thread, so the model is the same however the threads ran.
 * Messages are held under the file's index (diag_hold) and printed in
 * file order.
 */
struct load_job {
	size_t		 i;		/* index in the source */
	enum page_kind	 k;
	const char	*id, *url;	/* in the site's arena */
	/* Set by the thread that loads it. */
	bool		 ok;		/* a page is made */
	bool		 clean;		/* loading it said nothing */
	bool		 fm_bad;	/* its front matter was refused */
	const char	*source;
	struct val	*fm;
	int		 body_line;
	size_t		 body_off;
};

struct loader {
	struct site	*s;
	struct diags	*d;
	struct pcache	*pc;		/* or NULL */
	struct load_job	*jobs;
	size_t		 njobs;
	atomic_size_t	 next;
};

struct load_thread {
	struct loader	*l;
	struct arena	*arena;		/* the fm of its pages */
};

/*
 * Warn of bytes in a page's body that are not UTF-8 (text saved as
 * Windows-1252, say): they are published as U+FFFD, which a reader sees
 * as a question mark in a box.  The first is placed by line and
 * column (in characters, as for front matter); the count says how
 * many more there are.
 */
static void
body_utf8(const char *path, const char *body, size_t len, int line,
    struct diags *d)
{
	size_t		 i = 0, k, first = len, bad = 0;
	int		 col = 1;
	uint64_t	 w;
	uint32_t	 cp;

	while (i < len) {
		/* Eight bytes of ASCII at a time. */
		if (i + 8 <= len) {
			memcpy(&w, body + i, 8);
			if ((w & 0x8080808080808080ULL) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)body[i] < 0x80)
			k = 1;
		else if ((k = utf8_decode(body + i, len - i, &cp)) == 0) {
			if (bad++ == 0)
				first = i;
			k = 1;
		}
		i += k;
	}
	if (bad == 0)
		return;
	/* Where the first is, in lines and characters. */
	for (i = 0; i < first; i += k) {
		if ((unsigned char)body[i] < 0x80)
			k = 1;
		else if ((k = utf8_decode(body + i, len - i, &cp)) == 0)
			k = 1;
		if (body[i] == '\n') {
			line++;
			col = 1;
		} else
			col++;
	}
	diag_warn(d, path, line, col, "invalid UTF-8 byte 0x%02X (%zu in "
	    "the text): each is published as U+FFFD, a question mark in a "
	    "box (save the file as UTF-8; text saved as Windows-1252 has "
	    "such bytes)", (unsigned)(unsigned char)body[first], bad);
}

static void
load_page(struct loader *l, struct src_reader *r, struct arena *a,
    struct load_job *j)
{
	struct site	*s = l->s;
	struct diags	*d = l->d;
	const struct src_file *f = src_file(s->src, j->i);
	const char	*fm, *body, *source;
	char		*text;
	size_t		 len, fmlen, bodylen;
	int		 fmline, bodyline;
	bool		 bad = false;
	unsigned char	 id[20];
	struct pcache_page pg;

	/* As the last build parsed it: not read, hashed or parsed. */
	source = arena_strdup(a, f->path);
	if (l->pc != NULL && src_blob_id(s->src, j->i, id) &&
	    pcache_get(l->pc, f->path, (int)j->k, id, a, source, &pg)) {
		j->ok = true;
		j->source = source;
		j->fm = pg.fm;
		j->body_line = pg.body_line;
		j->body_off = pg.body_off;
		return;
	}
	text = r != NULL ? src_reader_read(r, j->i, &len, d) :
	    src_take(s->src, j->i, &len, d);
	if (text == NULL)
		return;
	if (fm_split(text, len, &fm, &fmlen, &fmline, &body, &bodylen,
	    &bodyline) == -1) {
		diag_error(d, f->path, 1, 1, "front matter is not closed "
		    "(end it with a line '---')");
		free(text);
		return;
	}
	j->ok = true;
	j->source = source;
	j->body_line = bodyline;
	j->body_off = (size_t)(body - text);
	body_utf8(source, body, bodylen, bodyline, d);
	if (fmlen == 0 && fm == NULL) {
		j->fm = val_map(a);
		j->fm->file = j->source;
		j->fm->line = 1;
	} else if ((j->fm = fm_parse(a, j->source, fm, fmlen, fmline,
	    d)) == NULL) {
		j->fm = val_map(a);	/* reported; don't pile on */
		bad = true;
		j->fm_bad = true;
	}
	/* The body is rendered later: keep it rather than read it again. */
	src_keep(s->src, j->i, text, len);
	free(text);
	if (j->fm->line == 0) {
		j->fm->file = j->source;
		j->fm->line = 1;
	}
	if (!bad)
		schema_check(content_schema(j->k), a, j->fm, d);
}

static void *
load_worker(void *arg)
{
	struct load_thread *t = arg;
	struct loader	*l = t->l;
	struct src_reader *r = src_reader_open(l->s->src);
	size_t		 n;

	for (;;) {
		n = atomic_fetch_add(&l->next, 1);
		if (n >= l->njobs)
			break;
		diag_hold(l->d, l->jobs[n].i);
		load_page(l, r, t->arena, &l->jobs[n]);
		l->jobs[n].clean = diag_held() == 0;
		diag_release(l->d);
	}
	src_reader_close(r);
	return NULL;
}

static bool	later_news(struct site *, const struct load_job *,
		    struct diags *);

static void
load_pages(struct loader *l, int jobs)
{
	struct site	*s = l->s;
	struct load_thread th[64];
	struct load_job	*j;
	struct page	*p;
	const char	*date;
	int		 i, n = par_threads(jobs, l->njobs, 16);

	s->load_arenas = xcalloc((size_t)n, sizeof(*s->load_arenas));
	for (i = 0; i < n; i++) {
		th[i].l = l;
		th[i].arena = s->load_arenas[i] = arena_new();
		s->nload_arenas++;
	}
	par_run(load_worker, th, sizeof(th[0]), n);

	/* What the next build may take from the parse cache. */
	for (j = l->jobs; l->pc != NULL && j < l->jobs + l->njobs; j++) {
		unsigned char		id[20];
		struct pcache_page	pg;

		if (!j->ok || !j->clean ||
		    !src_blob_id(s->src, j->i, id))
			continue;
		pg.fm = j->fm;
		pg.body_line = j->body_line;
		pg.body_off = j->body_off;
		(void)pcache_put(l->pc, src_file(s->src, j->i)->path,
		    (int)j->k, id, j->source, &pg);
	}
	/* Written while the build goes on; site_free() waits for it. */
	pcache_save_begin(l->pc);

	for (j = l->jobs; j < l->jobs + l->njobs; j++) {
		if (!j->ok || later_news(s, j, l->d))
			continue;
		p = site_add_page(s, j->k, j->id, j->url);
		p->source = j->source;
		p->src_index = (long)j->i;
		p->body_line = j->body_line;
		p->body_off = j->body_off;
		p->fm = j->fm;
		p->fm_bad = j->fm_bad;
		p->title = val_get_str(p->fm, "title");
		if (p->title == NULL)
			p->title = p->id;
		if ((date = val_get_str(p->fm, "date")) != NULL)
			p->has_date = text_parse_date(date, &p->date);
		if (p->kind == PAGE_MEETING)
			publish_redact(p->fm);
		fill_data(s, p);
	}
}

/*
 * A news post dated after the build date is not published until that
 * day (a post written ahead, for its day): said as a warning, so that
 * a build that leaves it out is never taken for one that lost it.
 */
static bool
later_news(struct site *s, const struct load_job *j, struct diags *d)
{
	const struct val *dv;
	struct date	 dt;

	if (j->k != PAGE_NEWS || (dv = val_get(j->fm, "date")) == NULL ||
	    dv->kind != VAL_STR || !text_parse_date(dv->str, &dt) ||
	    text_days(&dt) <= text_days(&s->today))
		return false;
	diag_warn(d, dv->file, dv->line, dv->col, "news post is dated %s, "
	    "after the build date, so it is not published yet (it is "
	    "published by the first build on or after that day)", dv->str);
	return true;
}

/*
 * A logo must be a file of the site and must say what it shows; give
 * templates its URL as brand.logo_url.
 */
static void
check_logo(struct site *s, struct diags *d)
{
	struct val	*brand = val_get(s->config, "brand");
	struct val	*logo = val_get(brand, "logo");
	const char	*alt = val_get_str(brand, "logo_alt");
	struct buf	 url;

	if (logo == NULL || logo->kind != VAL_STR)
		return;
	if (alt == NULL || !text_visible(alt, strlen(alt)))
		diag_error(d, logo->file, logo->line, logo->col, "the logo "
		    "has no text alternative (add 'logo_alt:' under 'brand:'"
		    " saying what the logo shows, e.g. the partnership's "
		    "name)");
	buf_init(&url);
	if (src_find(s->src, logo->str) < 0 ||
	    !site_url(s, logo->str, &url))
		diag_error(d, logo->file, logo->line, logo->col, "logo '%s' "
		    "is not a published file of the site (commit it, e.g. as "
		    "static/logo.svg, and give that path)", logo->str);
	else
		val_set(s->arena, brand, "logo_url", val_str(s->arena,
		    url.data));
	buf_free(&url);
}

/* A Markdown file outside the kinds' folders: say where they go. */
static void
not_published(struct diags *d, const char *path)
{
	struct buf	 b;

	buf_init(&b);
	kind_folders(&b);
	diag_warn(d, path, 0, 0, "not published: Markdown files belong in "
	    "%s (see icpgen(5))", b.data);
	buf_free(&b);
}

struct site *
site_load(struct src *src, int64_t today, struct diags *d)
{
	return site_load_jobs(src, today, NULL, 0, d);
}

struct site *
site_load_at(struct src *src, int64_t today, const char *base_url,
    struct diags *d)
{
	return site_load_jobs(src, today, base_url, 0, d);
}

struct site *
site_load_jobs(struct src *src, int64_t today, const char *base_url,
    int jobs, struct diags *d)
{
	return site_load_cached(src, today, base_url, jobs, NULL, d);
}

/*
 * Can a file published as it is (static/, a paper's attachment) keep
 * its name?  Names of the maintainer's own files are theirs to choose,
 * but must be text a URL can carry: no control character, UTF-8.
 */
static bool
url_safe_name(const char *path, struct diags *d)
{
	const char	*p;

	for (p = path; *p != '\0' && (unsigned char)*p >= 0x20 && *p != 0x7f;
	    p++)
		;
	if (*p == '\0' && utf8_valid(path, strlen(path)))
		return true;
	diag_error(d, path, 0, 0, "file name cannot be published: it %s "
	    "(rename it with letters, digits, hyphens and dots)", *p != '\0' ?
	    "holds a control character, such as a new line" :
	    "is not UTF-8 text");
	return false;
}

struct site *
site_load_cached(struct src *src, int64_t today, const char *base_url,
    int jobs, const char *cachedir, struct diags *d)
{
	struct site	*s = xcalloc(1, sizeof(*s));
	const struct src_file *f;
	struct buf	 id, url;
	struct loader	 l;
	enum page_kind	 k;
	size_t		 i;
	const char	*u, *why;
	const struct val *bv;

	s->arena = arena_new();
	s->src = src;
	s->jobs = jobs;
	text_date_from_days((long)(today / 86400), &s->today);
	if ((s->config = load_config(s, d)) == NULL) {
		site_free(s);
		return NULL;
	}
	if ((bv = val_get(s->config, "base_url")) != NULL &&
	    bv->kind == VAL_STR && base_url == NULL &&
	    (why = base_url_problem(bv->str)) != NULL)
		diag_error(d, bv->file, bv->line, bv->col, "'base_url' %s: "
		    "'%s' (give the address the site's home page is at, "
		    "e.g. https://icp.example.org/ or "
		    "https://example.org/icp/)", why, bv->str);
	else if (bv != NULL && bv->kind == VAL_STR && base_url == NULL &&
	    strncmp(bv->str, "http://", 7) == 0)
		diag_warn(d, bv->file, bv->line, bv->col, "'base_url' is an "
		    "http address, not https: browsers mark the site not "
		    "secure, and feeds and calendars subscribed to it can be "
		    "changed on the way (publish it at an https address)");
	if (base_url != NULL) {		/* --base-url: a preview, a sub-path */
		if ((why = base_url_problem(base_url)) != NULL)
			diag_error(d, NULL, 0, 0, "--base-url %s: '%s' (give "
			    "the address the site's home page is at, e.g. "
			    "https://example.org/icp/)", why, base_url);
		val_set(s->arena, s->config, "base_url",
		    val_str(s->arena, base_url));
	}
	u = val_get_str(s->config, "base_url");
	s->base_path = base_path(s->arena, u ? u : "");
	s->origin = origin(s->arena, u ? u : "");
	rebase_links(s);
	s->theme = val_get_str(s->config, "theme");
	check_logo(s, d);
	buf_init(&id);
	buf_init(&url);
	memset(&l, 0, sizeof(l));
	l.s = s;
	l.d = d;
	atomic_init(&l.next, 0);
	/* What each file is: quick, and in order (static files). */
	for (i = 0; i < src_count(src); i++) {
		f = src_file(src, i);
		buf_reset(&url);
		diag_hold(d, i);
		if (!publish_check_name(src, f->path, d)) {
			diag_release(d);
			continue;
		}
		if (!site_url(s, f->path, &url)) {
			if (text_has_suffix(f->path, ".md") && published(f->path))
				not_published(d, f->path);
			diag_release(d);
			continue;
		}
		if (!text_has_suffix(f->path, ".md") && !url_safe_name(f->path, d)) {
			diag_release(d);
			continue;
		}
		diag_release(d);
		if (!text_has_suffix(f->path, ".md")) {
			s->static_files = xreallocarray(s->static_files,
			    s->nstatic + 1, sizeof(*s->static_files));
			s->static_files[s->nstatic++] = f->path;
			continue;
		}
		if (!kind_classify(f->path, &k, &id, &url))
			continue;	/* site_url() did */
		if (l.njobs % 256 == 0)
			l.jobs = xreallocarray(l.jobs, l.njobs + 256,
			    sizeof(*l.jobs));
		memset(&l.jobs[l.njobs], 0, sizeof(*l.jobs));
		l.jobs[l.njobs].i = i;
		l.jobs[l.njobs].k = k;
		l.jobs[l.njobs].id = arena_strdup(s->arena, id.data);
		l.jobs[l.njobs].url = arena_strdup(s->arena, url.data);
		l.njobs++;
	}
	buf_free(&id);
	buf_free(&url);
	/*
	 * Then the pages: read and parsed in parallel, added in order.
	 * The parse cache is by blob id: a working tree's files have
	 * theirs from the bytes read (src_blob_id), so a commit build and
	 * a preview share it.
	 */
	if (cachedir != NULL) {
		char	*cf = src_cache_file(src, cachedir, "parsed");

		l.pc = pcache_open(cf);
		free(cf);
	}
	load_pages(&l, jobs);
	s->pcache = l.pc;
	free(l.jobs);
	diag_flush(d);		/* in file order, however the threads ran */
	return s;
}

/*
 * A small map naming a page, for links between pages: never the page's
 * whole data, so the data never holds a cycle.
 */
struct val *
site_ref(struct site *s, const struct page *p)
{
	struct val	*r = val_map(s->arena);

	/* A page's id, title and URL live as long as the site's arenas. */
	val_set(s->arena, r, "id", val_str_ref(s->arena, p->id));
	val_set(s->arena, r, "title", val_str_ref(s->arena, p->title));
	val_set(s->arena, r, "url", val_str_ref(s->arena, p->url));
	if (p->has_date)
		val_set(s->arena, r, "date", val_get(p->fm, "date"));
	if (p->kind == PAGE_PERSON && val_get(p->fm, "role") != NULL)
		val_set(s->arena, r, "role", val_get(p->fm, "role"));
	/* Where it is listed, its title is marked in its own language. */
	if (val_get_str(p->fm, "language") != NULL)
		val_set(s->arena, r, "language", val_get(p->fm, "language"));
	return r;
}

static int
by_date_asc(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;
	long	x = p->has_date ? text_days(&p->date) : 0;
	long	y = q->has_date ? text_days(&q->date) : 0;

	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(p->id, q->id);
}

static int
by_id(const void *a, const void *b)
{
	return strcmp((*(struct page *const *)a)->id,
	    (*(struct page *const *)b)->id);
}

/* First index in papers (sorted by id) whose id is >= key. */
static size_t
lower_bound(struct page **papers, size_t n, const char *key)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(papers[mid]->id, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int
by_order(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;
	const struct val *x = val_get(p->fm, "order");
	const struct val *y = val_get(q->fm, "order");
	double	ox = x && x->kind == VAL_NUM ? x->num : 1e9;
	double	oy = y && y->kind == VAL_NUM ? y->num : 1e9;

	if (ox != oy)
		return ox < oy ? -1 : 1;
	return strcmp(p->title, q->title);
}

/* All pages of a kind, sorted. */
static struct page **
of_kind(struct site *s, enum page_kind k, int (*cmp)(const void *,
    const void *), size_t *n)
{
	struct page	**v;
	size_t		 i;

	v = arena_alloc(s->arena, (s->counts[k] + 1) * sizeof(*v));
	for (*n = 0, i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == k)
			v[(*n)++] = s->pages[i];
	qsort(v, *n, sizeof(*v), cmp);
	return v;
}

struct page *
site_add_listing(struct site *s, const char *id, const char *url,
    const char *title, const char *tmpl)
{
	struct page	*p = site_add_page(s, PAGE_LIST, id, url);

	p->title = arena_strdup(s->arena, title);
	p->template = tmpl;
	fill_data(s, p);
	val_set(s->arena, p->data, "title", val_str(s->arena, title));
	return p;
}

/* "12 KB", "1.4 MB": sizes as people read them. */
static const char *
size_text(struct arena *a, size_t n)
{
	if (n < 1024)
		return arena_printf(a, "%zu bytes", n);
	if (n < 1024 * 1024)
		return arena_printf(a, "%zu KB", (n + 512) / 1024);
	return arena_printf(a, "%.1f MB", n / (1024.0 * 1024.0));
}

/*
 * Check a paper's attachments exist and give each its URL, file type,
 * size and, for PDFs, number of pages for the attachment list.
 */
static void
link_attachments(struct site *s, struct page *p, struct diags *d)
{
	/* The data, which a page hook may have replaced by a copy. */
	struct val	*l = val_get(p->data, "attachments"), *a, *f;
	struct buf	 path, url;
	const char	*dot, *data;
	size_t		 i, len = 0, np;
	long		 at;
	bool		 pdf, got;

	if (l == NULL || l->kind != VAL_LIST)
		return;
	buf_init(&path);
	buf_init(&url);
	for (i = 0; i < l->n; i++) {
		a = l->items[i];
		if ((f = val_get(a, "file")) == NULL || f->kind != VAL_STR)
			continue;
		if (f->str[0] == '/' || strcmp(f->str, "..") == 0 ||
		    strncmp(f->str, "../", 3) == 0 ||
		    strstr(f->str, "/../") != NULL ||
		    (f->len >= 3 && strcmp(f->str + f->len - 3, "/..") == 0)) {
			diag_error(d, f->file, f->line, f->col, "attachment "
			    "'%s' is outside the paper's folder (name a file "
			    "beside the paper, without '..' or a leading '/')",
			    f->str);
			continue;
		}
		if (!text_join_path(&path, p->source, f->str, f->len) ||
		    (at = src_find(s->src, path.data)) < 0) {
			diag_error(d, f->file, f->line, f->col, "attachment "
			    "'%s' does not exist (commit the file beside the "
			    "paper, in %.*s/)", f->str,
			    (int)(strrchr(p->source, '/') - p->source),
			    p->source);
			continue;
		}
		buf_reset(&url);
		site_url(s, path.data, &url);
		val_set(s->arena, a, "url", val_str(s->arena, url.data));
		dot = strrchr(f->str, '.');
		if (dot != NULL && dot[1] != '\0') {
			struct val *t = val_str(s->arena, dot + 1);
			char	   *c;

			for (c = (char *)(uintptr_t)t->str; *c; c++)
				if (*c >= 'a' && *c <= 'z')
					*c -= 'a' - 'A';
			val_set(s->arena, a, "type", t);
		}
		/*
		 * A PDF is read for its pages; a file small enough to be a
		 * Git LFS pointer, for its size (the file's once read, see
		 * load/src.c).
		 */
		pdf = dot != NULL && strcasecmp(dot, ".pdf") == 0;
		data = NULL;
		if ((got = pdf || src_file(s->src, (size_t)at)->size <
		    LFS_POINTER_MAX))
			data = src_read(s->src, (size_t)at, &len, d);
		val_set(s->arena, a, "size", val_num(s->arena,
		    (double)src_file(s->src, (size_t)at)->size));
		val_set(s->arena, a, "size_text", val_str(s->arena,
		    size_text(s->arena, src_file(s->src, (size_t)at)->size)));
		if (pdf && data != NULL && (np = pdf_page_count(data, len)) > 0)
			val_set(s->arena, a, "pages", val_num(s->arena,
			    (double)np));
		/* A PDF's header is in its first 1,024 bytes. */
		else if (pdf && data != NULL && memmem(data, len < 1024 ? len :
		    1024, "%PDF-", 5) == NULL)
			diag_warn(d, f->file, f->line, f->col, "attachment '%s' "
			    "is not a PDF (no '%%PDF-' in its first 1,024 bytes), "
			    "but is listed as one: commit the PDF itself, or name "
			    "the file with the extension of its type", f->str);
		if (got)
			src_release(s->src, (size_t)at);
	}
	buf_free(&path);
	buf_free(&url);
}

bool
site_public(const struct page *p)
{
	return p != NULL && !p->withheld;
}

void
site_meeting_times(const struct page *m, int *start, int *end)
{
	const char	*v;

	*start = (v = val_get_str(m->data, "start")) != NULL ?
	    text_parse_time(v) : -1;
	*end = (v = val_get_str(m->data, "end")) != NULL ?
	    text_parse_time(v) : -1;
	if (*end >= 0 && *start >= 0 && *end <= *start)
		*end = -1;
}

bool
site_called_off(const struct page *m)
{
	const char	*st = val_get_str(m->fm, "status");

	return st != NULL && (strcmp(st, "cancelled") == 0 ||
	    strcmp(st, "postponed") == 0);
}

bool
site_item_exempt(const struct val *it)
{
	const struct val *ex = val_get(it, "exempt");

	return ex != NULL && ex->kind == VAL_BOOL && ex->b;
}

/*
 * The exempt agenda item a paper belongs to (it names the paper, or the
 * paper names its number), or NULL.  Both are read from the model's
 * data, after the hooks.
 */
static struct val *
exempt_item(const struct val *agenda, const struct page *p, const char *slug)
{
	return (struct val *)(uintptr_t)publish_exempt_item(agenda,
	    val_get_str(p->data, "item"), slug, site_item_exempt);
}

/* Take file f (relative to paper p) off the files to copy. */
static void
unlist(struct site *s, const struct page *p, const char *f, struct buf *path)
{
	size_t	j;

	if (f == NULL || !text_join_path(path, p->source, f, strlen(f)))
		return;
	for (j = 0; j < s->nstatic; j++)
		if (strcmp(s->static_files[j], path->data) == 0) {
			memmove(&s->static_files[j], &s->static_files[j + 1],
			    (s->nstatic - j - 1) * sizeof(*s->static_files));
			s->nstatic--;
			return;
		}
}

/*
 * A paper of an exempt item is never published, and neither are its
 * attachments: say so, and take them out of the site.
 */
static void
withhold(struct site *s, struct page *p, const struct val *item,
    struct diags *d)
{
	const struct val *lists[2] = { val_get(p->fm, "attachments"),
	    val_get(p->data, "attachments") }, *l;
	struct buf	 path;
	size_t		 i, k;

	p->withheld = true;
	p->withheld_why = arena_printf(s->arena, "a paper for exempt item "
	    "'%s'", val_get_str(item, "number") ? val_get_str(item, "number")
	    : "?");
	diag_warn(d, p->source, 0, 0, "not published: this paper is for "
	    "exempt item '%s' (exempt papers are listed on the agenda, "
	    "never published)", val_get_str(item, "number") ?
	    val_get_str(item, "number") : "?");
	buf_init(&path);
	for (k = 0; k < 2; k++) {	/* as written, and as hooks left them */
		l = lists[k];
		for (i = 0; l != NULL && l->kind == VAL_LIST && i < l->n; i++)
			unlist(s, p, val_get_str(l->items[i], "file"), &path);
	}
	buf_free(&path);
}

struct numbered {
	char		*slug;
	const struct val *it;
	size_t		 at;
};

static int
numbered_cmp(const void *a, const void *b)
{
	const struct numbered *x = a, *y = b;
	int		 c = strcmp(x->slug, y->slug);

	return c != 0 ? c : x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Each agenda item's number is its own: pages link to an item by it
 * (#item-5), and minutes and papers name items by it.  Numbers the same
 * once made into an address ("5" and "5.") are the same number.
 */
static void
agenda_numbers(const struct val *agenda, struct diags *d)
{
	struct numbered	*v;
	const struct val *num;
	struct buf	 b;
	size_t		 i, n = 0;

	if (agenda == NULL || agenda->kind != VAL_LIST || agenda->n < 2)
		return;
	v = xcalloc(agenda->n, sizeof(*v));
	buf_init(&b);
	for (i = 0; i < agenda->n; i++) {
		num = val_get(agenda->items[i], "number");
		if (num == NULL || num->kind != VAL_STR)
			continue;	/* the schema's */
		buf_reset(&b);
		text_slug(&b, num->str, num->len);
		v[n].slug = xstrdup(b.data != NULL ? b.data : "");
		v[n].it = num;
		v[n++].at = i;
	}
	qsort(v, n, sizeof(*v), numbered_cmp);
	for (i = 1; i < n; i++)
		if (strcmp(v[i].slug, v[i - 1].slug) != 0)
			continue;
		else if (strcmp(v[i].it->str, v[i - 1].it->str) != 0)
			diag_error(d, v[i].it->file, v[i].it->line,
			    v[i].it->col, "agenda item number '%s' makes the "
			    "same address as '%s' at line %d (#item-%s), so "
			    "links could not tell them apart (number each item "
			    "with its own letters or digits)", v[i].it->str,
			    v[i - 1].it->str, v[i - 1].it->line, v[i].slug);
		else
			diag_error(d, v[i].it->file, v[i].it->line,
			    v[i].it->col, "agenda item number '%s' is given "
			    "more than once (as well as at line %d; number each "
			    "item once)",
			    v[i].it->str, v[i - 1].it->line);
	for (i = 0; i < n; i++)
		free(v[i].slug);
	free(v);
	buf_free(&b);
}

void
site_agenda_check(const struct val *agenda, struct diags *d)
{
	const struct val *it, *ex;
	size_t		 i;

	agenda_numbers(agenda, d);
	for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
	    i < agenda->n; i++) {
		it = agenda->items[i];
		ex = val_get(it, "exempt");
		if (site_item_exempt(it) &&
		    val_get_str(it, "exempt_reason") != NULL &&
		    strspn(val_get_str(it, "exempt_reason"), " \t\n") ==
		    strlen(val_get_str(it, "exempt_reason"))) {
			ex = val_get(it, "exempt_reason");
			diag_error(d, ex->file, ex->line, ex->col, "exempt "
			    "item '%s' gives an empty reason (say in "
			    "'exempt_reason:' why its papers are withheld)",
			    val_get_str(it, "number") ? val_get_str(it,
			    "number") : "?");
		} else if (site_item_exempt(it) &&
		    val_get_str(it, "exempt_reason") == NULL)
			diag_error(d, ex->file, ex->line, ex->col, "exempt "
			    "item '%s' gives no reason (add 'exempt_reason:' "
			    "saying why its papers are withheld)",
			    val_get_str(it, "number") ? val_get_str(it,
			    "number") : "?");
	}
}

/* Put a meeting's papers in agenda order, papers on no item last. */
static void
agenda_order(struct site *s, struct page *m)
{
	struct val	*agenda = val_get(m->data, "agenda");
	struct val	*old = val_get(m->data, "papers"), *list, *pp;
	size_t		 i, j, k;

	if (agenda == NULL || agenda->kind != VAL_LIST || old == NULL)
		return;
	list = val_list(s->arena);
	for (i = 0; i < agenda->n; i++)
		if ((pp = val_get(agenda->items[i], "paper_pages")) != NULL)
			for (j = 0; j < pp->n; j++)
				val_push(s->arena, list, pp->items[j]);
	for (i = 0; i < old->n; i++) {
		for (k = 0; k < list->n && list->items[k] != old->items[i]; k++)
			;
		if (k == list->n)
			val_push(s->arena, list, old->items[i]);
	}
	if (list->n == old->n)	/* else a paper is on two items: keep */
		val_set(s->arena, m->data, "papers", list);
}

static void
link_meeting(struct site *s, struct page *m, struct page **papers,
    size_t npapers, struct diags *d)
{
	const struct val *cv = val_get(m->fm, "committee");
	struct val	*agenda = val_get(m->data, "agenda"), *list, *it, *ids, *ex;
	struct page	*c;
	const char	**names, *hint, *status;
	struct buf	 pid;
	size_t		 i, j, k, n;
	bool		 found;

	if (cv != NULL && cv->kind == VAL_STR) {
		if ((c = site_find(s, PAGE_COMMITTEE, cv->str)) != NULL) {
			val_set(s->arena, m->data, "committee", site_ref(s, c));
			if (val_get(m->data, "title") == NULL) {
				m->title = c->title;	/* dated where shown */
				val_set(s->arena, m->data, "title",
				    val_str(s->arena, m->title));
			}
		} else {
			n = 0;
			names = xcalloc(s->counts[PAGE_COMMITTEE] + 1,
			    sizeof(*names));
			for (i = 0; i < s->npages; i++)
				if (s->pages[i]->kind == PAGE_COMMITTEE)
					names[n++] = s->pages[i]->id;
			hint = text_suggest(cv->str, names);
			diag_error(d, cv->file, cv->line, cv->col, "unknown "
			    "committee '%s' (%s%s%s)", cv->str,
			    hint ? "did you mean '" : "add committees/",
			    hint ? hint : cv->str, hint ? "'?" : ".md");
			free(names);
		}
	}
	status = val_get_str(m->fm, "status");
	if (status == NULL)
		val_set(s->arena, m->data, "status", val_str(s->arena,
		    status = "scheduled"));
	if (m->has_date) {
		long	days = text_days(&m->date), now = text_days(&s->today);

		val_set(s->arena, m->data, "upcoming", val_bool(s->arena,
		    days >= now));
		const struct val *at = val_get(m->fm, "status");

		if (at == NULL)
			at = val_get(m->fm, "date");
		if (strcmp(status, "held") == 0 && days > now)
			diag_warn(d, at->file, at->line, at->col, "meeting on "
			    "%s is marked held but is in the future (is the "
			    "status or the date wrong?)",
			    val_get_str(m->fm, "date"));
		const struct val *ev = val_get(m->fm, "end");
		int		 from, to;

		site_meeting_times(m, &from, &to);
		if (ev != NULL && ev->kind == VAL_STR && to < 0 &&
		    text_parse_time(ev->str) >= 0)
			diag_warn(d, ev->file, ev->line, ev->col, "meeting "
			    "ends at %s, not after it starts at %s, so the end "
			    "is not used: the calendar and open data give no "
			    "end, and it counts as over at the end of its day "
			    "(correct 'end:', or leave it out)",
			    ev->str, val_get_str(m->data, "start"));
		if (strcmp(status, "scheduled") == 0 && days < now)
			diag_warn(d, at->file, at->line, at->col, "meeting on "
			    "%s is still scheduled but is in the past (set "
			    "'status: held' once it has happened)",
			    val_get_str(m->fm, "date"));
	}
	/* Papers: every Markdown file in the meeting's folder. */
	list = val_list(s->arena);
	buf_init(&pid);
	buf_printf(&pid, "%s/", m->id);
	for (i = lower_bound(papers, npapers, pid.data); i < npapers &&
	    has_prefix(papers[i]->id, pid.data); i++) {
		papers[i]->parent = m;
		if ((ex = exempt_item(agenda, papers[i], papers[i]->id +
		    pid.len)) != NULL) {
			withhold(s, papers[i], ex, d);
			continue;
		}
		if (!publish_paper(m, agenda, papers[i], papers[i]->id +
		    pid.len, d)) {
			papers[i]->withheld = true;
			papers[i]->withheld_why = "a paper no agenda item "
			    "lists";
			continue;
		}
		link_attachments(s, papers[i], d);
		val_push(s->arena, list, papers[i]->data);
		val_set(s->arena, papers[i]->data, "meeting", site_ref(s, m));
		val_set(s->arena, papers[i]->data, "slug", val_str(s->arena,
		    papers[i]->id + pid.len));
		if (val_get(m->data, "committee") != NULL)
			val_set(s->arena, papers[i]->data, "committee",
			    val_get(m->data, "committee"));
	}
	val_set(s->arena, m->data, "papers", list);
	site_agenda_check(agenda, d);
	/* Agenda items name papers by file name in the meeting's folder. */
	for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
	    i < agenda->n; i++) {
		it = agenda->items[i];
		ids = val_get(it, "papers");
		if (ids == NULL || ids->kind != VAL_LIST ||
		    site_item_exempt(it))
			continue;	/* an exempt item's papers stay unlinked */
		list = val_list(s->arena);
		for (j = 0; j < ids->n; j++) {
			if (ids->items[j]->kind != VAL_STR)
				continue;
			buf_reset(&pid);
			buf_printf(&pid, "%s/%s", m->id, ids->items[j]->str);
			k = lower_bound(papers, npapers, pid.data);
			found = k < npapers && strcmp(papers[k]->id,
			    pid.data) == 0;
			if (found)
				val_push(s->arena, list, papers[k]->data);
			else
				diag_error(d, ids->items[j]->file,
				    ids->items[j]->line, ids->items[j]->col,
				    "unknown paper '%s' (expected a file "
				    "meetings/%s/%s.md)", ids->items[j]->str,
				    m->id, ids->items[j]->str);
		}
		val_set(s->arena, it, "paper_pages", list);
	}
	buf_free(&pid);
	agenda_order(s, m);
}

/*
 * The meetings: each linked to its committee, papers and agenda; lists
 * of upcoming and past meetings (newest first, and by year) and the
 * next meeting for templates.  v holds the meetings, oldest first.
 */
void
site_link_meetings(struct site *s, struct page **v, size_t n,
    struct diags *d)
{
	struct page	**papers;
	struct val	*up, *past, *years, *year = NULL;
	size_t		 np, i;
	int		 cur = -1;

	papers = of_kind(s, PAGE_PAPER, by_id, &np);
	up = val_list(s->arena);
	past = val_list(s->arena);
	years = val_list(s->arena);
	for (i = 0; i < n; i++) {
		link_meeting(s, v[i], papers, np, d);
		if (v[i]->has_date && text_days(&v[i]->date) >=
		    text_days(&s->today))
			val_push(s->arena, up, v[i]->data);
	}
	for (i = n; i-- > 0;) {		/* past meetings, newest first */
		if (!v[i]->has_date || text_days(&v[i]->date) >=
		    text_days(&s->today))
			continue;
		val_push(s->arena, past, v[i]->data);
		if (v[i]->date.year != cur) {
			cur = v[i]->date.year;
			year = val_map(s->arena);
			val_set(s->arena, year, "year",
			    val_num(s->arena, cur));
			val_set(s->arena, year, "meetings", val_list(s->arena));
			val_push(s->arena, years, year);
		}
		val_push(s->arena, val_get(year, "meetings"), v[i]->data);
	}
	val_set(s->arena, s->lists, "upcoming_meetings", up);
	for (i = 0; i < up->n; i++)	/* the next one that will take place */
		if (strcmp(val_get_str(up->items[i], "status"),
		    "scheduled") == 0) {
			val_set(s->arena, s->lists, "next_meeting",
			    up->items[i]);
			break;
		}
	val_set(s->arena, s->lists, "past_meetings", past);
	val_set(s->arena, s->lists, "meetings_by_year", years);
	for (i = 0; i < np; i++)
		if (papers[i]->parent == NULL)
			diag_error(d, papers[i]->source, 0, 0, "paper is not "
			    "in a meeting's folder (add meetings/%.*s/index.md"
			    " for its meeting)", (int)(strchr(papers[i]->id,
			    '/') - papers[i]->id), papers[i]->id);
}

/* Each committee's meetings, for its page. */
void
site_link_committees(struct site *s, struct page **v, size_t n,
    struct diags *d)
{
	struct page	*p;
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		struct val *ml = val_list(s->arena);

		for (j = 0; j < s->npages; j++) {
			p = s->pages[j];
			if (p->kind == PAGE_MEETING && strcmp(val_get_str(
			    p->fm, "committee") ? val_get_str(p->fm,
			    "committee") : "", v[i]->id) == 0)
				val_push(s->arena, ml, p->data);
		}
		val_set(s->arena, v[i]->data, "meetings", ml);
	}
}

static int (*const sorts[])(const void *, const void *) = {
	[SORT_NONE] = by_id, [SORT_DATE] = by_date_asc,
	[SORT_DATE_DESC] = by_date_asc, [SORT_ORDER] = by_order,
	[SORT_ID] = by_id,
};

void
site_link(struct site *s, struct diags *d)
{
	struct page	**v, *home, *p, *list[PAGE__MAX] = { NULL };
	const struct kind *k;
	struct val	*l;
	size_t		 n, i, j;

	home = site_find(s, PAGE_HOME, "home");
	if (home == NULL) {
		home = site_add_page(s, PAGE_HOME, "home", "");
		home->title = val_get_str(s->config, "name");
		fill_data(s, home);
	}
	/*
	 * Public sector sites must publish an accessibility statement: it
	 * is written from the configuration, with the text of
	 * pages/accessibility.md (when there is one) below it.
	 */
	if ((p = site_find(s, PAGE_PAGE, "accessibility")) != NULL)
		p->template = "accessibility.html";
	else {
		p = site_add_listing(s, "accessibility", "accessibility/",
		    "Accessibility statement", "accessibility.html");
		p->kind = PAGE_PAGE;
		s->counts[PAGE_LIST]--;
		s->counts[PAGE_PAGE]++;
		val_set(s->arena, p->data, "kind", val_str(s->arena, "page"));
	}
	site_add_listing(s, "search", "search/", "Search", "search.html");
	/* Served for any address that does not exist. */
	p = site_add_listing(s, "404", "404.html", "Page not found",
	    "404.html");
	p->out = "404.html";
	s->lists = val_map(s->arena);

	/* Each kind's listing page and sorted list, then its links. */
	for (i = 0; i < kind_count(); i++) {
		k = kind_get((enum page_kind)i);
		list[i] = k->list_id == NULL || (k->list_if_any &&
		    s->counts[i] == 0) ? NULL : site_add_listing(s,
		    k->list_id, k->list_url, k->list_title, k->list_template);
	}
	for (i = 0; i < kind_count(); i++) {
		k = kind_get((enum page_kind)i);
		if (list[i] == NULL && k->list_key == NULL && k->link == NULL)
			continue;
		v = of_kind(s, k->kind, sorts[k->sort], &n);
		for (j = 0; j < n && (list[i] != NULL || k->list_key != NULL);
		    j++)
			v[j]->parent = list[i] != NULL ? list[i] : home;
		if (k->link != NULL)
			k->link(s, v, n, d);
		if (k->list_key == NULL)
			continue;
		l = val_list(s->arena);
		for (j = 0; j < n; j++)
			val_push(s->arena, l, v[k->sort == SORT_DATE_DESC ?
			    n - 1 - j : j]->data);
		val_set(s->arena, s->lists, k->list_key, l);
	}

	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->kind == PAGE_LIST && p->parent == NULL)
			p->parent = home;
	}
	for (i = 0; i < s->npages; i++)	/* an item a hook made exempt */
		if (s->pages[i]->kind == PAGE_MEETING)
			publish_redact(s->pages[i]->data);
	publish_files(s, d);
	for (i = 0, n = 0; i < s->npages; i++) {	/* drop withheld papers */
		if (s->pages[i]->withheld)
			s->counts[s->pages[i]->kind]--;
		else
			s->pages[n++] = s->pages[i];
	}
	s->npages = n;
	site_index(s);		/* the record looks pages up by kind and id */
	record_link(s, d);
	site_index(s);
}

/*
 * Pages made by the "pages" hook: each table {url, title, template,
 * body, data, parent} becomes a page, after checking its address.
 */
void
site_add_pages(struct site *s, const struct val *l, struct diags *d)
{
	struct arena	*a = s->arena;
	struct val	*pg, *data;
	struct page	*p, *parent;
	struct buf	 url;
	const char	*u, *t, *c;
	size_t		 i, j;

	buf_init(&url);
	for (i = 0; l != NULL && l->kind == VAL_LIST && i < l->n; i++) {
		pg = l->items[i];
		u = val_get_str(pg, "url");
		t = val_get_str(pg, "title");
		buf_reset(&url);
		for (c = u; c != NULL && *c == '/'; c++)
			continue;
		if (c != NULL)
			buf_puts(&url, c);
		if (url.len > 0 && url.data[url.len - 1] != '/')
			buf_putc(&url, '/');
		for (c = url.data; *c != '\0'; c++)
			if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' &&
			    *c <= '9') || *c == '-' || *c == '/' || *c == '_'))
				break;
		if (u == NULL || t == NULL || url.len < 2 || *c != '\0' ||
		    strstr(url.data, "//") != NULL) {
			diag_error(d, "hooks/", 0, 0, "page %zu made by the "
			    "'pages' hook needs a 'url' of lower-case words "
			    "and '/' (e.g. 'places/castlemoor/') and a "
			    "'title'", i + 1);
			continue;
		}
		p = site_add_listing(s, url.data, url.data, t,
		    val_get_str(pg, "template") ? arena_strdup(a,
		    val_get_str(pg, "template")) : "page.html");
		for (j = 0; j + 1 < s->npages; j++)
			if (strcmp(s->pages[j]->url, p->url) == 0) {
				diag_error(d, "hooks/", 0, 0, "the 'pages' "
				    "hook made page '%s', which is the address "
				    "of %s '%s'", p->url,
				    site_kind_name(s->pages[j]->kind),
				    s->pages[j]->source ? s->pages[j]->source :
				    s->pages[j]->id);
				break;
			}
		if ((data = val_get(pg, "data")) != NULL &&
		    data->kind == VAL_MAP)
			for (j = 0; j < data->n; j++)
				val_set(a, p->data, data->pairs[j].key,
				    data->pairs[j].v);
		if (val_get_str(pg, "body") != NULL)
			p->body_md = val_get_str(pg, "body");
		parent = NULL;
		if (val_get_str(pg, "parent") != NULL) {
			buf_reset(&url);
			buf_printf(&url, "%s%s", s->base_path,
			    val_get_str(pg, "parent") + (val_get_str(pg,
			    "parent")[0] == '/'));
			site_index(s);
			parent = site_find_url(s, url.data);
		}
		p->parent = parent != NULL ? parent :
		    site_find(s, PAGE_HOME, "home");
	}
	buf_free(&url);
	site_index(s);
}

void
site_index(struct site *s)
{
	s->urls = xreallocarray(s->urls, s->npages, sizeof(*s->urls));
	memcpy(s->urls, s->pages, s->npages * sizeof(*s->urls));
	s->nurls = s->npages;
	qsort(s->urls, s->nurls, sizeof(*s->urls), url_cmp);
	s->byid = xreallocarray(s->byid, s->npages, sizeof(*s->byid));
	memcpy(s->byid, s->pages, s->npages * sizeof(*s->byid));
	qsort(s->byid, s->npages, sizeof(*s->byid), kind_id_cmp);
	s->nbyid = s->npages;
}

void
site_free(struct site *s)
{
	if (s == NULL)
		return;
	pcache_free(s->pcache);
	free(s->pages);
	free(s->urls);
	free(s->byid);
	free(s->static_files);
	arena_free(s->arena);
	while (s->nload_arenas > 0)
		arena_free(s->load_arenas[--s->nload_arenas]);
	free(s->load_arenas);
	free(s);
}
