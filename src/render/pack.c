/*
 * Agenda packs (see pack.h).  Each paper is rendered as its own page is
 * (same Markdown, links and shortcodes) without being written; its
 * headings move one level down, under the paper's title, and its ids
 * gain a prefix so that two papers' "Recommendations" stay distinct.
 */
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/val.h"
#include "model/site.h"
#include "render/page.h"
#include "render/pack.h"

/* body with <hN> as <hN+1> (to h6), and id="x" / href="#x" prefixed. */
static void
rebase(struct buf *out, const char *s, size_t n, const char *prefix)
{
	size_t	i = 0, k;

	while (i < n) {
		for (k = i; k < n && s[k] != '<' && s[k] != ' '; k++)
			continue;	/* nothing to change up to k */
		if (k > i) {
			buf_put(out, s + i, k - i);
			i = k;
			continue;
		}
		if (s[i] == '<' && i + 3 < n && (s[i + 1] == 'h' || (s[i + 1]
		    == '/' && s[i + 2] == 'h'))) {
			k = s[i + 1] == '/' ? i + 3 : i + 2;

			if (s[k] >= '1' && s[k] <= '5' && (s[k + 1] == '>' ||
			    s[k + 1] == ' ')) {
				buf_put(out, s + i, k - i);
				buf_putc(out, s[k] + 1);
				i = k + 1;
				continue;
			}
		}
		if (strncmp(s + i, " id=\"", 5) == 0 && i + 5 <= n) {
			buf_printf(out, " id=\"%s-", prefix);
			i += 5;
			continue;
		}
		if (strncmp(s + i, " href=\"#", 8) == 0 && i + 8 <= n) {
			buf_printf(out, " href=\"#%s-", prefix);
			i += 8;
			continue;
		}
		buf_putc(out, s[i++]);
	}
}

void
pack_bodies(const struct render *r, const struct page *p, struct val *pv,
    struct arena *a)
{
	struct render	 quiet = *r;
	const char	*mid = val_get_str(p->data, "pack_of");
	struct page	*m, *pp;
	struct val	*papers, *list, *item;
	struct buf	 body, html, re;
	size_t		 i, j;

	if (mid == NULL || (m = site_find(r->site, PAGE_MEETING, mid)) == NULL)
		return;
	quiet.out = NULL;	/* render, do not write */
	quiet.body_only = true;
	papers = val_get(m->data, "papers");
	list = val_list(a);
	buf_init(&body);
	buf_init(&html);
	buf_init(&re);
	for (i = 0; papers != NULL && i < papers->n; i++) {
		pp = site_find_url(r->site, val_get_str(papers->items[i],
		    "url") ? val_get_str(papers->items[i], "url") : "");
		if (pp == NULL || !site_public(pp))
			continue;
		if (render_page(&quiet, pp, a, &body, &html) == -1)
			continue;
		buf_reset(&re);
		rebase(&re, body.data, body.len, arena_printf(a, "paper%zu",
		    i + 1));
		item = val_map(a);
		for (j = 0; j < pp->data->n; j++)
			val_set(a, item, pp->data->pairs[j].key,
			    pp->data->pairs[j].v);
		val_set(a, item, "anchor", val_str(a, arena_printf(a,
		    "paper%zu", i + 1)));
		val_set(a, item, "body", val_strn(a, re.data, re.len));
		val_push(a, list, item);
	}
	buf_free(&body);
	buf_free(&html);
	buf_free(&re);
	val_set(a, pv, "pack_papers", list);
}
