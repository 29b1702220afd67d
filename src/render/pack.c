/*
 * Agenda packs (see pack.h).  Each paper is rendered as its own page is
 * (same Markdown, links and shortcodes) without being written; its
 * headings move one level down, under the paper's title, and its ids
 * gain a prefix so that two papers' "Recommendations" stay distinct.
 */
#include <stdlib.h>
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

/*
 * The pack page p's papers, in the pack's order: the public pages of
 * its meeting's papers list.  Returns how many were put in out (an
 * array of at least val n entries, or NULL to count).
 */
static size_t
papers_of(const struct site *s, const struct page *p, struct page **out)
{
	const char	*mid = val_get_str(p->data, "pack_of"), *url;
	const struct val *papers;
	struct page	*m, *pp;
	size_t		 i, n = 0;

	if (mid == NULL || (m = site_find(s, PAGE_MEETING, mid)) == NULL)
		return 0;
	papers = val_get(m->data, "papers");
	for (i = 0; papers != NULL && papers->kind == VAL_LIST &&
	    i < papers->n; i++) {
		url = val_get_str(papers->items[i], "url");
		pp = site_find_url(s, url != NULL ? url : "");
		if (pp == NULL || !site_public(pp))
			continue;
		if (out != NULL)
			out[n] = pp;
		n++;
	}
	return n;
}

void
pack_bodies(const struct render *r, const struct page *p, struct val *pv,
    const struct pack_done *done, struct arena *a)
{
	struct render	 quiet = *r;
	const char	*mid;
	struct page	**pp;
	const struct buf *got;
	struct val	*list, *item, *v;
	struct buf	 body, html, re;
	size_t		 i, j, n;

	if ((mid = val_get_str(p->data, "pack_of")) == NULL ||
	    site_find(r->site, PAGE_MEETING, mid) == NULL)
		return;		/* not a pack */
	n = papers_of(r->site, p, NULL);
	pp = arena_alloc(a, (n ? n : 1) * sizeof(*pp));
	n = papers_of(r->site, p, pp);
	quiet.out = NULL;	/* render, do not write */
	quiet.body_only = true;
	list = val_list(a);
	buf_init(&body);
	buf_init(&html);
	buf_init(&re);
	for (i = 0; i < n; i++) {
		got = NULL;
		for (j = 0; done != NULL && j < done->n; j++)
			if (done->pages[j] == pp[i])
				got = done->bodies[j];
		if (got == NULL) {
			if (render_page(&quiet, pp[i], a, &body, &html) == -1)
				continue;
			got = &body;
		}
		buf_reset(&re);
		rebase(&re, got->data, got->len, arena_printf(a, "paper%zu",
		    i + 1));
		item = val_map(a);
		for (j = 0; j < pp[i]->data->n; j++)
			val_set(a, item, pp[i]->data->pairs[j].key,
			    pp[i]->data->pairs[j].v);
		val_set(a, item, "anchor", val_str(a, arena_printf(a,
		    "paper%zu", i + 1)));
		v = val_strn(a, re.data, re.len);
		v->html = true;
		val_set(a, item, "body", v);
		val_push(a, list, item);
	}
	buf_free(&body);
	buf_free(&html);
	buf_free(&re);
	val_set(a, pv, "pack_papers", list);
}

/* --- which worker renders what ------------------------------------------ */

struct pack_plan {
	long		*owner;		/* per page: its pack, or -1 */
	size_t		**papers;	/* per page: a pack's own papers */
	size_t		 *npapers;
	size_t		  npages;
};

struct at {
	const struct page *p;
	size_t		 i;
};

static int
atcmp(const void *a, const void *b)
{
	const struct page *x = ((const struct at *)a)->p;
	const struct page *y = ((const struct at *)b)->p;

	return x < y ? -1 : x > y;
}

/* The index of page p in site->pages (by), or -1. */
static long
index_of(const struct at *by, size_t n, const struct page *p)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (by[mid].p < p)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && by[lo].p == p ? (long)by[lo].i : -1;
}

struct pack_plan *
pack_plan(const struct site *s)
{
	struct pack_plan *pl = xcalloc(1, sizeof(*pl));
	struct page	**pp = NULL;
	struct at	*by;
	size_t		*claims, i, j, n, cap = 0;
	long		 k;

	pl->npages = s->npages;
	pl->owner = xreallocarray(NULL, s->npages ? s->npages : 1,
	    sizeof(*pl->owner));
	pl->papers = xcalloc(s->npages ? s->npages : 1, sizeof(*pl->papers));
	pl->npapers = xcalloc(s->npages ? s->npages : 1,
	    sizeof(*pl->npapers));
	claims = xcalloc(s->npages ? s->npages : 1, sizeof(*claims));
	by = xreallocarray(NULL, s->npages ? s->npages : 1, sizeof(*by));
	for (i = 0; i < s->npages; i++) {
		pl->owner[i] = -1;
		by[i] = (struct at){ s->pages[i], i };
	}
	qsort(by, s->npages, sizeof(*by), atcmp);
	/* A paper two packs take is rendered by itself. */
	for (i = 0; i < s->npages; i++) {
		if (!site_public(s->pages[i]) ||
		    (n = papers_of(s, s->pages[i], NULL)) == 0)
			continue;
		if (n > cap) {
			cap = n;
			pp = xreallocarray(pp, cap, sizeof(*pp));
		}
		n = papers_of(s, s->pages[i], pp);
		pl->papers[i] = xreallocarray(NULL, n, sizeof(**pl->papers));
		for (j = 0; j < n; j++)
			if ((k = index_of(by, s->npages, pp[j])) >= 0 &&
			    (size_t)k != i && claims[k]++ == 0) {
				pl->owner[k] = (long)i;
				pl->papers[i][pl->npapers[i]++] = (size_t)k;
			}
	}
	for (i = 0; i < s->npages; i++) {
		for (j = n = 0; j < pl->npapers[i]; j++)
			if (claims[pl->papers[i][j]] == 1)
				pl->papers[i][n++] = pl->papers[i][j];
			else
				pl->owner[pl->papers[i][j]] = -1;
		pl->npapers[i] = n;
	}
	free(claims);
	free(by);
	free(pp);
	return pl;
}

long
pack_owner(const struct pack_plan *pl, size_t i)
{
	return pl != NULL && i < pl->npages ? pl->owner[i] : -1;
}

const size_t *
pack_papers(const struct pack_plan *pl, size_t i, size_t *n)
{
	*n = pl != NULL && i < pl->npages ? pl->npapers[i] : 0;
	return *n ? pl->papers[i] : NULL;
}

void
pack_plan_free(struct pack_plan *pl)
{
	size_t	i;

	if (pl == NULL)
		return;
	for (i = 0; i < pl->npages; i++)
		free(pl->papers[i]);
	free(pl->papers);
	free(pl->npapers);
	free(pl->owner);
	free(pl);
}
