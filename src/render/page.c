/*
 * Rendering a page: its Markdown body (from the source, or a hook's)
 * and its template, with the page's model data, written to the output.
 * Reads the model, and the page's Markdown body from the source (bodies
 * are not kept in the model); pages the model withholds are not rendered.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/strtab.h"
#include "util/text.h"
#include "util/val.h"
#include "load/src.h"
#include "model/site.h"
#include "parse/markdown.h"
#include "render/chart.h"
#include "render/tmpl.h"
#include "render/csp.h"
#include "render/page.h"
#include "render/pack.h"
#include "emit/out.h"

struct link_ctx {
	const struct site	*site;
	struct buf		 tmp;
	/* For shortcodes, which the Markdown stage finds: */
	const struct render	*r;
	const struct page	*p;
	const struct mdr_opts	*mo;
	struct arena		*scratch;
	size_t			 nsc;	/* shortcodes so far (embed ids) */
};

/* --- what a page reads, for keeping it (see page.h) ---------------------- */

struct render_note {
	struct strtab	 keys;		/* in the order first noted */
	bool		 off;		/* this page is not to be kept */
};

/*
 * The page being rendered in this thread notes its reads here; keys of
 * that page itself name no URL.
 */
static __thread struct render_note *noting;
static __thread const struct page *noting_top;

struct render_note *
render_note_new(void)
{
	return xcalloc(1, sizeof(struct render_note));
}

void
render_note_free(struct render_note *nt)
{
	if (nt == NULL)
		return;
	strtab_free(&nt->keys);
	free(nt);
}

/* Note key (kind character, then its argument) once. */
static void
note_add(struct render_note *nt, char kind, const char *arg)
{
	char	 small[256], *k = small;
	size_t	 len = strlen(arg) + 1;

	if (nt == NULL || nt->off)
		return;
	if (len + 1 > sizeof(small))
		k = xmalloc(len + 1);
	k[0] = kind;
	memcpy(k + 1, arg, len);
	(void)strtab_add(&nt->keys, k, NULL);
	if (k != small)
		free(k);
}

static void
note(char kind, const char *arg)
{
	note_add(noting, kind, arg);
}

/* Lua ran for this page: what it read is not known. */
static void
note_off(void)
{
	if (noting != NULL)
		noting->off = true;
}

void
render_note_merge(struct render_note *into, const struct render_note *from,
    const struct page *p)
{
	const char	*k;
	size_t		 i;

	if (into == NULL || from == NULL)
		return;
	if (from->off)
		into->off = true;
	for (i = 0; i < from->keys.n; i++) {
		k = from->keys.s[i];
		/* "s" of from's page is "sURL" for into's. */
		note_add(into, k[0], k[1] == '\0' && strchr("sdc", k[0]) !=
		    NULL ? p->url : k + 1);
	}
}

const char *const *
render_note_keys(const struct render_note *nt, size_t *n)
{
	*n = nt != NULL && !nt->off ? nt->keys.n : 0;
	return *n > 0 ? (const char *const *)nt->keys.s : NULL;
}

static void
tw_read(void *arg, const char *path)
{
	(void)arg;
	note('g', path);
}

static void
tw_custom(void *arg)
{
	(void)arg;
	note_off();
}

/*
 * Rewrite a link between content files to the URL it is published at.
 * Links may also name generated pages ("/meetings/").
 */
static int
resolve(void *arg, const char *path, const char *frag, struct buf *out)
{
	struct link_ctx	*lc = arg;
	const struct site *s = lc->site;

	note('r', path);
	if (src_find(s->src, path) >= 0) {
		if (!site_url(s, path, out))
			return -1;
		/* A page's file whose page is withheld, or not yet out. */
		if (text_has_suffix(path, ".md") &&
		    site_find_url(s, out->data) == NULL)
			return -2;
		buf_puts(out, frag);
		return 0;
	}
	buf_reset(&lc->tmp);
	buf_printf(&lc->tmp, "%s%s", s->base_path, path);
	if (lc->tmp.len > 0 && lc->tmp.data[lc->tmp.len - 1] != '/')
		buf_putc(&lc->tmp, '/');
	if (site_find_url(s, lc->tmp.data) == NULL)
		return -1;
	buf_puts(out, lc->tmp.data);
	buf_puts(out, frag);
	return 0;
}

static const struct tmpl *
find_tmpl(const struct render *r, const char *name)
{
	size_t	i;

	for (i = 0; i < r->ntmpls; i++)
		if (strcmp(r->tmpls[i].name, name) == 0)
			return r->tmpls[i].tmpl;
	return NULL;
}

/* The pages from p up to the home page (at most 16): n of them. */
static size_t
crumb_chain(const struct page *p, const struct page *chain[16])
{
	size_t	n = 0;

	for (; p != NULL && n < 16; p = p->parent)
		chain[n++] = p;
	return n;
}

/* The title page q has in breadcrumbs, in t. */
static void
crumb_title(struct buf *t, const struct page *q)
{
	buf_reset(t);
	if (q->kind == PAGE_HOME)
		buf_puts(t, "Home");
	else
		buf_puts(t, q->title ? q->title : q->id);
	if (q->kind == PAGE_MEETING && q->has_date) {
		buf_puts(t, ", ");	/* many meetings share a name */
		text_fmt_date(t, &q->date, false);
	}
}

/* The language of q's title when it is not the site's, or NULL. */
static const char *
crumb_lang(const struct page *q)
{
	return q->kind == PAGE_HOME ? NULL : val_get_str(q->data, "language");
}

/*
 * Home > Meetings > 12 March 2025 > Paper, as a list of {title, url,
 * language}.
 */
static struct val *
breadcrumbs(struct arena *a, const struct page *p)
{
	const struct page *chain[16];
	struct val	*l = val_list(a), *c;
	struct buf	 t;
	size_t		 n = crumb_chain(p, chain);

	buf_init(&t);
	while (n-- > 0) {
		c = val_map(a);
		crumb_title(&t, chain[n]);
		val_set(a, c, "title", val_strn(a, t.data, t.len));
		val_set(a, c, "url", val_str(a, chain[n]->url));
		if (crumb_lang(chain[n]) != NULL)
			val_set(a, c, "language", val_str(a,
			    crumb_lang(chain[n])));
		if (n == 0)
			val_set(a, c, "current", val_bool(a, true));
		val_push(a, l, c);
	}
	buf_free(&t);
	return l;
}

static struct val *
toc(struct arena *a, const struct mdr_result *res)
{
	struct val	*l = val_list(a), *h;
	size_t		 i;

	for (i = 0; i < res->nheadings; i++) {
		h = val_map(a);
		val_set(a, h, "level", val_num(a, res->headings[i].level));
		val_set(a, h, "id", val_str(a, res->headings[i].id));
		val_set(a, h, "text", val_str(a, res->headings[i].text));
		val_push(a, l, h);
	}
	return l;
}

/* Points of a list of {date, value} maps, in a malloc'd array. */
static struct chart_point *
points(const struct val *l, size_t *n)
{
	struct chart_point *pts;
	const struct val *v;
	struct date	 d;
	size_t		 i;

	*n = 0;
	if (l == NULL || l->kind != VAL_LIST)
		return NULL;
	pts = xcalloc(l->n + 1, sizeof(*pts));
	for (i = 0; i < l->n; i++) {
		v = val_get(l->items[i], "value");
		if (v == NULL || v->kind != VAL_NUM ||
		    !text_parse_date(val_get_str(l->items[i], "date") ?
		    val_get_str(l->items[i], "date") : "", &d))
			continue;
		pts[*n].day = text_days(&d);
		pts[(*n)++].value = v->num;
	}
	return pts;
}

/*
 * A measure's chart: its values against its trajectory, target and
 * baseline, with a sentence saying the same for those who cannot see
 * it.  Added to the page data as "chart" (empty without values).
 */
static void
measure_chart(struct arena *a, const struct page *p, struct val *pv,
    const char *id, bool table)
{
	struct chart_series	 ser[2];
	struct chart_opts	 o;
	struct buf		 svg, desc;
	const struct val	*tv, *lv;
	struct date		 d;
	size_t			 ns = 0;

	memset(&o, 0, sizeof(o));
	memset(ser, 0, sizeof(ser));
	ser[0].label = "Actual";
	ser[0].kind = CHART_ACTUAL;
	ser[0].pts = points(val_get(p->data, "values"), &ser[0].n);
	ser[1].label = "Planned trajectory";
	ser[1].kind = CHART_PLANNED;
	ser[1].pts = points(val_get(p->data, "trajectory"), &ser[1].n);
	ns = ser[1].n > 0 ? 2 : 1;
	o.id = id;
	o.title = p->title;
	o.unit = val_get_str(p->data, "unit");
	if ((tv = val_path(p->data, "target.value")) != NULL &&
	    tv->kind == VAL_NUM) {
		o.has_target = 1;
		o.target = tv->num;
		if (text_parse_date(val_get_str(val_get(p->data, "target"),
		    "date") ? val_get_str(val_get(p->data, "target"), "date") :
		    "", &d))
			o.target_day = text_days(&d);
	}
	if ((tv = val_path(p->data, "baseline.value")) != NULL &&
	    tv->kind == VAL_NUM) {
		o.has_baseline = 1;
		o.baseline = tv->num;
	}
	buf_init(&desc);
	buf_printf(&desc, "%s", p->title);
	if ((lv = val_get(p->data, "latest_value")) != NULL &&
	    text_parse_date(val_get_str(lv, "date"), &d)) {
		buf_printf(&desc, ": %s on ", val_get_str(lv, "value_text"));
		text_fmt_date(&desc, &d, false);
		if (val_get_str(lv, "rag_text") != NULL)
			buf_printf(&desc, " (%s)", val_get_str(lv, "rag_text"));
	}
	if (val_path(p->data, "target.value_text") != NULL) {
		buf_printf(&desc, ", against a target of %s",
		    val_path(p->data, "target.value_text")->str);
		if (o.target_day > 0) {
			text_date_from_days(o.target_day, &d);
			buf_puts(&desc, " by ");
			text_fmt_date(&desc, &d, false);
		}
	}
	if (val_get_str(p->data, "direction") != NULL &&
	    *val_get_str(p->data, "direction") != '\0')
		buf_printf(&desc, "; the latest change is %s",
		    strcmp(val_get_str(p->data, "direction"), "no-change") == 0
		    ? "no change" : val_get_str(p->data, "direction"));
	buf_puts(&desc, table ? ". The table gives every value." :
	    ". The measure's page gives every value.");
	o.desc = desc.data;
	buf_init(&svg);
	if (chart_svg(&svg, &o, ser, ns) == 0) {
		struct val *cv = val_strn(a, svg.data, svg.len);

		cv->html = true;	/* an SVG icpgen drew */
		val_set(a, pv, "chart", cv);
	}
	buf_free(&svg);
	buf_free(&desc);
	free((void *)(uintptr_t)ser[0].pts);
	free((void *)(uintptr_t)ser[1].pts);
}

/* --- shortcodes ---------------------------------------------------------- */

/* The built-in "measure ID": latest value, target and chart. */
static int
sc_measure(const struct render *r, struct arena *a, const struct val *args,
    const char *path, int line, size_t k, struct buf *out)
{
	const struct site *s = r->site;
	const struct val *lv, *tv;
	struct page	*m = NULL;
	struct val	*tmp;
	struct date	 d;

	if (args->n == 1) {
		m = site_find(s, PAGE_MEASURE, args->items[0]->str);
		note('m', args->items[0]->str);
	}
	if (m == NULL) {
		diag_error(r->d, path, line, 0, "shortcode 'measure' needs "
		    "the id of a measure in strategy/measures/%s%s%s",
		    args->n == 1 ? " ('" : " (write {{< measure id >}})",
		    args->n == 1 ? args->items[0]->str : "",
		    args->n == 1 ? "' is not one)" : "");
		return -1;
	}
	tmp = val_map(a);
	measure_chart(a, m, tmp, arena_printf(a, "embed-%zu-%s", k, m->id),
	    false);
	buf_puts(out, "<figure class=\"icp-measure-embed\">\n");
	if (val_get_str(tmp, "chart") != NULL)
		buf_puts(out, val_get_str(tmp, "chart"));
	buf_puts(out, "\n<figcaption><a href=\"");
	buf_puts_html(out, m->url);
	buf_puts(out, "\">");
	buf_puts_html(out, m->title);
	buf_puts(out, "</a>");
	if ((lv = val_get(m->data, "latest_value")) != NULL) {
		buf_puts(out, ": ");
		buf_puts_html(out, val_get_str(lv, "value_text"));
		if (text_parse_date(val_get_str(lv, "date"), &d)) {
			buf_puts(out, " on ");
			text_fmt_date(out, &d, false);
		}
	}
	if ((tv = val_path(m->data, "target.value_text")) != NULL) {
		buf_puts(out, "; target ");
		buf_puts_html(out, tv->str);
	}
	if ((lv = val_get(m->data, "latest")) != NULL &&
	    val_get_str(lv, "rag_text") != NULL) {
		buf_puts(out, "; latest rating: ");
		buf_puts_html(out, val_get_str(lv, "rag_text"));
	}
	buf_puts(out, "</figcaption>\n</figure>\n");
	return 0;
}

/*
 * A shortcode the Markdown stage found (mdr_shortcode_fn): the
 * built-in "measure", or one a hook defined with icp.shortcode, whose
 * Markdown is rendered here (without shortcodes of its own).
 */
static int
shortcode_html(void *arg, const char *name, const char *const *argv,
    size_t nargs, int line, int col, struct buf *out)
{
	struct link_ctx	*lc = arg;
	const struct render *r = lc->r;
	struct arena	*a = lc->scratch;
	struct val	*args = val_list(a), *v;
	struct mdr_opts	 o;
	struct mdr_result res;
	size_t		 i;
	int		 rc;

	for (i = 0; i < nargs; i++)
		val_push(a, args, val_str(a, argv[i]));
	if (strcmp(name, "measure") == 0)
		return sc_measure(r, a, args, lc->mo->path, line, lc->nsc++,
		    out);
	if (r->has_shortcode == NULL || !r->has_shortcode(r->ctx, name)) {
		diag_error(r->d, lc->mo->path, line, col, "unknown shortcode "
		    "'%s' (built in: measure; a site adds its own with "
		    "icp.shortcode in hooks/)", name);
		return -1;
	}
	note_off();		/* Lua: what it reads is not known */
	v = r->shortcode(r->ctx, a, name, args, lc->p->data);
	if (v == NULL || v->kind != VAL_STR) {
		if (v != NULL)
			diag_error(r->d, lc->mo->path, line, col, "shortcode "
			    "'%s' gave no text (it must return a string of "
			    "Markdown)", name);
		return -1;
	}
	o = *lc->mo;
	o.first_line = line;
	o.shortcode = NULL;
	memset(&res, 0, sizeof(res));
	rc = mdr_render(v->str, v->len, &o, out, &res, r->d);
	mdr_result_free(&res);
	return rc;
}

/* Markdown to HTML; shortcodes are expanded by the Markdown stage. */
static int
body_html(const struct render *r, struct page *p, struct mdr_opts *mo,
    const char *text, size_t len, struct buf *body, struct mdr_result *res,
    struct arena *scratch)
{
	struct link_ctx	*lc = mo->ctx;

	lc->r = r;
	lc->p = p;
	lc->mo = mo;
	lc->scratch = scratch;
	lc->nsc = 0;
	mo->shortcode = shortcode_html;
	return mdr_render(text, len, mo, body, res, r->d);
}

int
render_page(const struct render *r, struct page *p, struct arena *scratch,
    struct buf *body, struct buf *html)
{
	return render_page_packed(r, p, NULL, scratch, body, html);
}

int
render_page_noted(const struct render *r, struct page *p,
    const struct pack_done *done, struct render_note *nt,
    struct arena *scratch, struct buf *body, struct buf *html)
{
	struct render_note *was = noting;
	const struct page *wastop = noting_top;
	int		 rc;

	noting = nt;
	noting_top = p;
	rc = render_page_packed(r, p, done, scratch, body, html);
	noting = was;
	noting_top = wastop;
	return rc;
}

/* --- what the keys give now -------------------------------------------- */

#define VSHARDS		16	/* the values' memo, in parts locked apart */

/* Digests of large values of the site, by address: one part. */
struct vshard {
	pthread_mutex_t	 lock;
	const struct val **vals;
	unsigned char	(*vdg)[32];
	size_t		  nvals;	/* slots: a power of two */
	size_t		  used;
};

struct render_memo {
	unsigned long	 gen;		/* this memo's number (tkey) */
	pthread_mutex_t	 lock;
	struct strtab	 paths;		/* template paths read ... */
	unsigned char	(*dg)[32];	/* ... what each gave */
	bool		 *ok;
	size_t		  cap;
	struct vshard	 vs[VSHARDS];
	/*
	 * What "d" gives for each page, worked out once a build however
	 * many pages read it, without the lock: the pages by address
	 * (slots a power of two, filled before any thread looks), and for
	 * each slot its digest and state (PG_).
	 */
	const struct page **pg;
	unsigned char	(*pdg)[32];
	atomic_uchar	 *pst;
	size_t		  npg;
};

enum { PG_NONE, PG_WRITING, PG_OK, PG_UNTOLD };

/* The slot of page q in the memo, or the free one it would take. */
static size_t
pprobe(const struct render_memo *m, const struct page *q)
{
	size_t	i;

	for (i = text_hash(&q, sizeof(q)) & (m->npg - 1);
	    m->pg[i] != NULL && m->pg[i] != q; i = (i + 1) & (m->npg - 1))
		;
	return i;
}

/* The slot of page q in the memo, or (size_t)-1 when it has none. */
static size_t
pslot(const struct render_memo *m, const struct page *q)
{
	size_t	i;

	if (m->npg == 0)
		return (size_t)-1;
	i = pprobe(m, q);
	return m->pg[i] == q ? i : (size_t)-1;
}

static atomic_ulong memo_gen;

struct render_memo *
render_memo_new(const struct site *s)
{
	struct render_memo *m = xcalloc(1, sizeof(*m));
	size_t		 i;

	m->gen = atomic_fetch_add(&memo_gen, 1) + 1;
	pthread_mutex_init(&m->lock, NULL);
	for (i = 0; i < VSHARDS; i++)
		pthread_mutex_init(&m->vs[i].lock, NULL);
	if (s != NULL && s->npages > 0) {
		for (m->npg = 16; m->npg < s->npages * 2; m->npg *= 2)
			;
		m->pg = xcalloc(m->npg, sizeof(*m->pg));
		m->pdg = xreallocarray(NULL, m->npg, sizeof(*m->pdg));
		m->pst = xcalloc(m->npg, sizeof(*m->pst));
		for (i = 0; i < s->npages; i++)
			m->pg[pprobe(m, s->pages[i])] = s->pages[i];
	}
	return m;
}

void
render_memo_free(struct render_memo *m)
{
	size_t	i;

	if (m == NULL)
		return;
	strtab_free(&m->paths);
	free(m->dg);
	free(m->ok);
	for (i = 0; i < VSHARDS; i++) {
		free(m->vs[i].vals);
		free(m->vs[i].vdg);
		pthread_mutex_destroy(&m->vs[i].lock);
	}
	free(m->pg);
	free(m->pdg);
	free(m->pst);
	pthread_mutex_destroy(&m->lock);
	free(m);
}

/* Feed a string and its end. */
static void
feed(struct sha256 *c, const char *s)
{
	if (s == NULL)
		s = "\1";
	sha256_update(c, s, strlen(s) + 1);
}

/* The facts of page q that its rendering reads besides its data. */
static void
feed_page(struct sha256 *c, const struct page *q)
{
	long	 n[4];

	feed(c, q->id);
	feed(c, q->source);
	feed(c, q->url);
	feed(c, q->out);
	feed(c, q->title);
	feed(c, q->template);
	n[0] = q->kind;
	n[1] = q->has_date ? text_days(&q->date) : -1;
	n[2] = site_public(q);
	n[3] = q->history_of;
	sha256_update(c, n, sizeof(n));
	history_feed(c, q);	/* a revision page's versions */
}

/* The slot of v (hash h) in its part of the memo of values (locked). */
static size_t
vslot(const struct vshard *m, const struct val *v, size_t h)
{
	size_t	i;

	for (i = (h / VSHARDS) & (m->nvals - 1);
	    m->vals[i] != NULL && m->vals[i] != v; i = (i + 1) & (m->nvals - 1))
		;
	return i;
}

#define MEMO_MIN	8	/* entries of a value worth remembering */

/* Feed a list's or map's head and entries, each through site_digest. */
static bool	site_digest(struct render_memo *, const struct val *,
		    struct sha256 *, int);

static bool
entries_digest(struct render_memo *m, const struct val *v, struct sha256 *c,
    int depth)
{
	unsigned char	 head[2];
	uint32_t	 k, kl;

	head[0] = (unsigned char)v->kind;
	head[1] = 0xff;		/* not val_digest's head */
	sha256_update(c, head, sizeof(head));
	sha256_update(c, &v->n, sizeof(v->n));
	for (k = 0; k < v->n; k++) {
		if (v->kind == VAL_MAP) {
			kl = (uint32_t)strlen(v->pairs[k].key);
			sha256_update(c, &kl, sizeof(kl));
			sha256_update(c, v->pairs[k].key, kl);
		}
		if (!site_digest(m, v->kind == VAL_MAP ? v->pairs[k].v :
		    v->items[k], c, depth - 1))
			return false;
	}
	return true;
}

/*
 * val_digest for values that live as long as the site: a large list
 * or map that many pages share (a meeting's papers, a committee) is
 * hashed once, then fed by its digest.
 */
static bool
site_digest(struct render_memo *m, const struct val *v, struct sha256 *c,
    int depth)
{
	struct sha256	 sub;
	struct vshard	*vs;
	unsigned char	 dg[32];
	size_t		 i, k, h;

	if (v == NULL || (v->kind != VAL_LIST && v->kind != VAL_MAP))
		return val_digest(v, c, depth);
	if (depth <= 0)
		return false;
	if (v->n < MEMO_MIN)
		return entries_digest(m, v, c, depth);
	h = text_hash(&v, sizeof(v));
	vs = &m->vs[h % VSHARDS];
	pthread_mutex_lock(&vs->lock);
	if (vs->nvals > 0 && vs->vals[i = vslot(vs, v, h)] == v) {
		memcpy(dg, vs->vdg[i], 32);
		pthread_mutex_unlock(&vs->lock);
		sha256_update(c, dg, 32);
		return true;
	}
	pthread_mutex_unlock(&vs->lock);
	sha256_init(&sub);
	if (!entries_digest(m, v, &sub, depth))
		return false;
	sha256_final(&sub, dg);
	pthread_mutex_lock(&vs->lock);
	if (vs->used * 2 >= vs->nvals) {
		const struct val **ov = vs->vals;
		unsigned char	(*od)[32] = vs->vdg;
		size_t		 on = vs->nvals;

		vs->nvals = on ? on * 2 : 256;
		vs->vals = xcalloc(vs->nvals, sizeof(*vs->vals));
		vs->vdg = xreallocarray(NULL, vs->nvals, sizeof(*vs->vdg));
		for (k = 0; k < on; k++)
			if (ov[k] != NULL) {
				i = vslot(vs, ov[k], text_hash(&ov[k],
				    sizeof(ov[k])));
				vs->vals[i] = ov[k];
				memcpy(vs->vdg[i], od[k], 32);
			}
		free(ov);
		free(od);
	}
	if (vs->vals[i = vslot(vs, v, h)] == NULL) {
		vs->vals[i] = v;
		memcpy(vs->vdg[i], dg, 32);
		vs->used++;
	}
	pthread_mutex_unlock(&vs->lock);
	sha256_update(c, dg, 32);
	return true;
}

/*
 * The page's facts and data are hashed on their own, and that digest
 * fed to c: once a build for each page (a meeting's page reads its
 * papers', the open data reads them all again).  Two threads may both
 * work one out; the first to finish keeps it.
 */
bool
render_page_digest(struct render_memo *m, const struct page *q,
    struct sha256 *c)
{
	struct sha256	 sub;
	unsigned char	 dg[32], want = PG_NONE, st;
	size_t		 i = pslot(m, q);
	bool		 ok;

	if (i != (size_t)-1 && (st = atomic_load_explicit(&m->pst[i],
	    memory_order_acquire)) >= PG_OK) {
		if (st == PG_OK)
			sha256_update(c, m->pdg[i], 32);
		return st == PG_OK;
	}
	sha256_init(&sub);
	feed_page(&sub, q);
	ok = site_digest(m, q->data, &sub, 256);
	sha256_final(&sub, dg);
	if (i != (size_t)-1 && atomic_compare_exchange_strong(&m->pst[i],
	    &want, PG_WRITING)) {
		memcpy(m->pdg[i], dg, 32);
		atomic_store_explicit(&m->pst[i], ok ? PG_OK : PG_UNTOLD,
		    memory_order_release);
	}
	if (ok)
		sha256_update(c, dg, 32);
	return ok;
}

/* Feed where the link to target leads, and whether it does. */
static void
link_digest(const struct render *r, const char *target, struct sha256 *c)
{
	struct link_ctx	 lc;
	struct buf	 b;
	int		 rc;

	memset(&lc, 0, sizeof(lc));
	lc.site = r->site;
	buf_init(&lc.tmp);
	buf_init(&b);
	rc = resolve(&lc, target, "", &b);
	sha256_update(c, &rc, sizeof(rc));
	feed(c, b.data != NULL ? b.data : "");
	buf_free(&b);
	buf_free(&lc.tmp);
}

/*
 * What a key that is the same for every page gives ("g", a value of
 * the context; "r", where a link leads), hashed once a build however
 * many pages read it, and fed to out as that digest.
 */
/*
 * Each thread's last digests of such keys, by the key's text, so that
 * the pages of a build do not all take the memo's lock for the same few
 * dozen keys: a key of TKEY_LEN bytes or more always does.
 */
#define TKEYS		64
#define TKEY_LEN	96
static _Thread_local struct tkey {
	unsigned long	 gen;		/* the memo's: 0 empty */
	bool		 ok;
	unsigned char	 dg[32];
	char		 key[TKEY_LEN];
} tkeys[TKEYS];

static bool
shared_key(const struct render *r, const char *key, struct sha256 *out)
{
	struct render_memo *m = r->memo;
	struct tkey	*t = NULL;
	struct sha256	 c;
	unsigned char	 dg[32];
	size_t		 i, len = strlen(key);
	bool		 ok = true, fresh;

	if (len < TKEY_LEN) {
		t = &tkeys[text_hash(key, len) % TKEYS];
		if (t->gen == m->gen && strcmp(t->key, key) == 0) {
			sha256_update(out, t->dg, 32);
			return t->ok;
		}
	}
	pthread_mutex_lock(&m->lock);
	if ((i = strtab_find(&m->paths, key)) == (size_t)-1) {
		pthread_mutex_unlock(&m->lock);
		sha256_init(&c);
		if (key[0] == 'g')
			ok = site_digest(m, val_path(r->globals, key + 1), &c,
			    256);
		else
			link_digest(r, key + 1, &c);
		sha256_final(&c, dg);
		pthread_mutex_lock(&m->lock);
		/* Another thread may have added it meanwhile. */
		i = strtab_add(&m->paths, key, &fresh);
		if (fresh) {
			if (i >= m->cap) {
				m->cap = m->cap ? m->cap * 2 : 32;
				m->dg = xreallocarray(m->dg, m->cap,
				    sizeof(*m->dg));
				m->ok = xreallocarray(m->ok, m->cap,
				    sizeof(*m->ok));
			}
			memcpy(m->dg[i], dg, 32);
			m->ok[i] = ok;
		}
	}
	sha256_update(out, m->dg[i], 32);
	ok = m->ok[i];
	if (t != NULL) {
		t->gen = m->gen;
		t->ok = ok;
		memcpy(t->dg, m->dg[i], 32);
		memcpy(t->key, key, len + 1);
	}
	pthread_mutex_unlock(&m->lock);
	return ok;
}

/*
 * Feed what breadcrumbs(q) gives, without making it: it was an arena
 * and a map for each page kept.  Each crumb is its title and URL, the
 * home page's first; the last is the current one.
 */
static void
crumbs_digest(const struct page *q, struct sha256 *c)
{
	const struct page *chain[16];
	struct buf	 t;
	size_t		 n = crumb_chain(q, chain);

	sha256_update(c, &n, sizeof(n));
	buf_init(&t);
	while (n-- > 0) {
		crumb_title(&t, chain[n]);
		feed(c, t.data != NULL ? t.data : "");
		feed(c, chain[n]->url);
		feed(c, crumb_lang(chain[n]) != NULL ? crumb_lang(chain[n]) :
		    "");
	}
	buf_free(&t);
}

/* Feed what key gives now for page p; false when it cannot be told. */
static bool
key_digest(const struct render *r, const struct page *p, const char *key,
    struct sha256 *c)
{
	const struct site *s = r->site;
	const struct page *q = NULL;
	unsigned char	 id[32];

	feed(c, key);
	if (key[0] == 's' || key[0] == 'd' || key[0] == 'c') {
		/* Of this page, or of the page at a URL. */
		if (key[1] == '\0')
			q = p;
		else if ((q = site_find_url(s, key + 1)) == NULL) {
			feed(c, "absent");
			return true;
		}
	}
	switch (key[0]) {
	case 's':	/* the Markdown */
		sha256_update(c, &q->body_off, sizeof(q->body_off));
		if (q->src_index >= 0) {
			if (!src_content_id(s->src, (size_t)q->src_index, id))
				return false;
			sha256_update(c, id, sizeof(id));
		}
		feed(c, q->body_md);
		return true;
	case 'd':	/* the data and the page's own facts */
		return render_page_digest(r->memo, q, c);
	case 'c':	/* the breadcrumbs: what breadcrumbs() gives */
		crumbs_digest(q, c);
		return true;
	case 'r':	/* where a link leads */
	case 'g':	/* a value a template read */
		return shared_key(r, key, c);
	case 'm':	/* a measure a shortcode embeds */
		if ((q = site_find(s, PAGE_MEASURE, key + 1)) == NULL) {
			feed(c, "absent");
			return true;
		}
		return render_page_digest(r->memo, q, c);
	}
	return false;
}

bool
render_keys_digest(const struct render *r, const struct page *p,
    const char *const *keys, size_t n, unsigned char out[32])
{
	struct render_note *was = noting;
	struct sha256	 c;
	size_t		 i;
	bool		 ok = true;

	noting = NULL;		/* looking is not reading */
	sha256_init(&c);
	for (i = 0; i < n && ok; i++)
		ok = key_digest(r, p, keys[i], &c);
	sha256_final(&c, out);
	noting = was;
	return ok;
}

int
render_page_packed(const struct render *r, struct page *p,
    const struct pack_done *done, struct arena *scratch, struct buf *body,
    struct buf *html)
{
	const struct site *s = r->site;
	const struct tmpl *t;
	struct mdr_opts	 mo;
	struct mdr_result res;
	struct link_ctx	 lc;
	struct tmpl_watch watch;
	struct val	*ctx, *pv, *bv;
	char		*text;
	size_t		 len, i;
	int		 rc = 0;

	buf_reset(body);
	buf_reset(html);
	memset(&res, 0, sizeof(res));
	if (!site_public(p))
		return 0;		/* the model withholds it */
	note('s', p == noting_top ? "" : p->url);
	note('d', p == noting_top ? "" : p->url);
	if (p->src_index >= 0) {
		/* As loaded: the blob is not read from git again. */
		text = src_take(s->src, (size_t)p->src_index, &len, r->d);
		if (text == NULL)
			return -1;
		memset(&mo, 0, sizeof(mo));
		mo.path = p->source;
		mo.first_line = p->body_line;
		mo.base_level = 2;
		mo.resolve = resolve;
		lc.site = s;
		buf_init(&lc.tmp);
		mo.ctx = &lc;
		if (body_html(r, p, &mo, text + p->body_off, len - p->body_off,
		    body, &res, scratch) == -1)
			rc = -1;
		buf_free(&lc.tmp);
		free(text);
	}
	if (p->body_md != NULL) {	/* a page made by a hook */
		memset(&mo, 0, sizeof(mo));
		mo.path = arena_printf(scratch, "%s (made by a hook)", p->url);
		mo.first_line = 1;
		mo.base_level = 2;
		mo.resolve = resolve;
		lc.site = s;
		buf_init(&lc.tmp);
		mo.ctx = &lc;
		if (body_html(r, p, &mo, p->body_md, strlen(p->body_md), body,
		    &res, scratch) == -1)
			rc = -1;
		buf_free(&lc.tmp);
	}
	if (r->body_only) {	/* an agenda pack takes only the body */
		mdr_result_free(&res);
		return rc;
	}
	ctx = val_map(scratch);
	for (i = 0; i < r->globals->n; i++)
		val_set(scratch, ctx, r->globals->pairs[i].key,
		    r->globals->pairs[i].v);
	pv = val_map(scratch);
	for (i = 0; i < p->data->n; i++)
		val_set(scratch, pv, p->data->pairs[i].key,
		    p->data->pairs[i].v);
	if (p->versions != NULL)	/* a revision page: decoded now */
		val_set(scratch, pv, "versions", history_versions(scratch, p));
	bv = val_strn(scratch, body->data, body->len);
	bv->html = true;	/* the page's own HTML */
	val_set(scratch, pv, "body", bv);
	val_set(scratch, pv, "toc", toc(scratch, &res));
	val_set(scratch, pv, "words", val_num(scratch, (double)res.words));
	val_set(scratch, pv, "breadcrumbs", breadcrumbs(scratch, p));
	note('c', p == noting_top ? "" : p->url);
	if (p->kind == PAGE_MEASURE)
		measure_chart(scratch, p, pv, arena_printf(scratch, "chart-%s",
		    p->id), true);
	pack_bodies(r, p, pv, done, scratch);	/* agenda packs: the papers */
	val_set(scratch, ctx, "page", pv);
	mdr_result_free(&res);

	if ((t = find_tmpl(r, p->template)) == NULL)
		return -1;	/* reported when templates were loaded */
	watch.skip = "page";	/* what page holds is noted above */
	watch.read = tw_read;
	watch.custom = tw_custom;
	watch.arg = NULL;
	if (tmpl_render_watch(t, ctx, scratch, html, r->d, noting != NULL ?
	    &watch : NULL) == -1)
		return -1;
	/* Every page carries the policy, whatever its template does. */
	csp_apply(html, val_get_str(val_get(r->globals, "build"), "csp"));
	if (rc == 0 && r->out != NULL &&
	    out_write_from(r->out, p->out, p->source, html->data, html->len,
	    r->d) == -1)
		rc = -1;
	return rc;
}
