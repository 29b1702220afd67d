/*
 * Rendering a page: its Markdown body (from the source, or a hook's)
 * and its template, with the page's model data, written to the output.
 * Reads the model, and the page's Markdown body from the source (bodies
 * are not kept in the model); pages the model withholds are not rendered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
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

/*
 * Rewrite a link between content files to the URL it is published at.
 * Links may also name generated pages ("/meetings/").
 */
static int
resolve(void *arg, const char *path, const char *frag, struct buf *out)
{
	struct link_ctx	*lc = arg;
	const struct site *s = lc->site;

	if (src_find(s->src, path) >= 0) {
		if (!site_url(s, path, out))
			return -1;
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

/* Home > Meetings > 12 March 2025 > Paper, as a list of {title, url}. */
static struct val *
breadcrumbs(struct arena *a, const struct page *p)
{
	const struct page *chain[16];
	struct val	*l = val_list(a), *c;
	struct buf	 t;
	size_t		 n = 0;

	for (; p != NULL && n < 16; p = p->parent)
		chain[n++] = p;
	while (n-- > 0) {
		c = val_map(a);
		buf_init(&t);
		if (chain[n]->kind == PAGE_HOME)
			buf_puts(&t, "Home");
		else
			buf_puts(&t, chain[n]->title ? chain[n]->title :
			    chain[n]->id);
		if (chain[n]->kind == PAGE_MEETING && chain[n]->has_date) {
			buf_puts(&t, ", ");	/* many meetings share a name */
			text_fmt_date(&t, &chain[n]->date, false);
		}
		val_set(a, c, "title", val_strn(a, t.data, t.len));
		buf_free(&t);
		val_set(a, c, "url", val_str(a, chain[n]->url));
		if (n == 0)
			val_set(a, c, "current", val_bool(a, true));
		val_push(a, l, c);
	}
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
	if (chart_svg(&svg, &o, ser, ns) == 0)
		val_set(a, pv, "chart", val_strn(a, svg.data, svg.len));
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

	if (args->n == 1)
		m = site_find(s, PAGE_MEASURE, args->items[0]->str);
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
render_page_packed(const struct render *r, struct page *p,
    const struct pack_done *done, struct arena *scratch, struct buf *body,
    struct buf *html)
{
	const struct site *s = r->site;
	const struct tmpl *t;
	struct mdr_opts	 mo;
	struct mdr_result res;
	struct link_ctx	 lc;
	struct val	*ctx, *pv;
	char		*text;
	size_t		 len, i;
	int		 rc = 0;

	buf_reset(body);
	buf_reset(html);
	memset(&res, 0, sizeof(res));
	if (!site_public(p))
		return 0;		/* the model withholds it */
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
	val_set(scratch, pv, "body", val_strn(scratch, body->data,
	    body->len));
	val_set(scratch, pv, "toc", toc(scratch, &res));
	val_set(scratch, pv, "words", val_num(scratch, (double)res.words));
	val_set(scratch, pv, "breadcrumbs", breadcrumbs(scratch, p));
	if (p->kind == PAGE_MEASURE)
		measure_chart(scratch, p, pv, arena_printf(scratch, "chart-%s",
		    p->id), true);
	pack_bodies(r, p, pv, done, scratch);	/* agenda packs: the papers */
	val_set(scratch, ctx, "page", pv);
	mdr_result_free(&res);

	if ((t = find_tmpl(r, p->template)) == NULL)
		return -1;	/* reported when templates were loaded */
	if (tmpl_render(t, ctx, scratch, html, r->d) == -1)
		return -1;
	/* Every page carries the policy, whatever its template does. */
	csp_apply(html, val_get_str(val_get(r->globals, "build"), "csp"));
	if (rc == 0 && r->out != NULL &&
	    out_write_from(r->out, p->out, p->source, html->data, html->len,
	    r->d) == -1)
		rc = -1;
	return rc;
}
