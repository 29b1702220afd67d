/*
 * Rendering a page.
 */
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "load/src.h"
#include "model/site.h"
#include "parse/markdown.h"
#include "render/tmpl.h"
#include "render/page.h"
#include "emit/out.h"

struct link_ctx {
	const struct site	*site;
	struct buf		 tmp;
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

int
render_page(const struct render *r, struct page *p, struct arena *scratch,
    struct buf *body, struct buf *html)
{
	const struct site *s = r->site;
	const struct tmpl *t;
	struct mdr_opts	 mo;
	struct mdr_result res;
	struct link_ctx	 lc;
	struct val	*ctx, *pv;
	const char	*text;
	size_t		 len, i;
	int		 rc = 0;

	buf_reset(body);
	buf_reset(html);
	memset(&res, 0, sizeof(res));
	if (p->src_index >= 0) {
		text = src_read(s->src, (size_t)p->src_index, &len, r->d);
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
		if (mdr_render(text + p->body_off, len - p->body_off, &mo,
		    body, &res, r->d) == -1)
			rc = -1;
		buf_free(&lc.tmp);
		src_release(s->src, (size_t)p->src_index);
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
	val_set(scratch, ctx, "page", pv);
	mdr_result_free(&res);

	if ((t = find_tmpl(r, p->template)) == NULL)
		return -1;	/* reported when templates were loaded */
	if (tmpl_render(t, ctx, scratch, html, r->d) == -1)
		return -1;
	if (rc == 0 && r->out != NULL &&
	    out_write(r->out, p->out, html->data, html->len, r->d) == -1)
		rc = -1;
	return rc;
}
