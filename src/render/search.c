/*
 * The full-text search index (see search.h and docs/search.md).
 *
 * libstemmer sits behind this file alone.  Pages give their words as
 * they are rendered (the text of <main>, so whatever a template shows
 * is found); actions and decisions, which live on listing pages, are
 * documents of their own made from the model.  Words are counted per
 * document in the render threads; stems, postings and shards are made
 * once, at the end, in one thread.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libstemmer.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "model/kind.h"
#include "model/site.h"
#include "emit/out.h"
#include "render/search.h"

#define WORD_MAX	40	/* longer "words" are not indexed */
#define FRAG_MAX	12000	/* bytes of text kept for snippets */
#define SHARD_MAX	24000	/* split a shard bigger than this (bytes) */
#define TITLE_WEIGHT	10	/* a word of the title counts this much */

/*
 * Words too common to help; the manifest lists them so that the
 * browser drops the same words from a query.
 */
static const char *const stop[] = {
	"a", "all", "also", "an", "and", "are", "as", "at", "be", "been",
	"but", "by", "can", "for", "from", "had", "has", "have", "in", "is",
	"it", "its", "not", "of", "on", "or", "our", "that", "the", "their",
	"there", "they", "this", "to", "was", "we", "were", "which", "who",
	"will", "with", "you", "your", NULL
};

/* A page's words as the last build saved them (search_reuse). */
struct old {
	const char	*path, *title, *head, *words;
	size_t		 plen, tlen, hlen, wlen;
	size_t		 n;		/* its document number then */
};

struct doc {
	const char	*title, *url, *kind, *date, *committee;
	const char	*lang;		/* its language when it has one */
	const char	*text;		/* records: their text; pages: NULL */
	char		*words;		/* [weight byte][word]\0 ...; malloc'd */
	size_t		 wlen;
	int		 kcode, ccode;	/* kind and committee, for filters */
	long		 page;		/* index in site->pages, or -1 */
	const struct old *kept;		/* its saved words (search_kept) */
};

struct search {
	const struct site *site;
	struct arena	*a;
	struct doc	*docs;
	size_t		 ndocs;
	long		*page_doc;	/* site->pages index -> doc, or -1 */
	const char	**kinds, **comms;
	size_t		 nkinds, ncomms;
	char		*oldtext;	/* the last build's, malloc'd */
	struct old	*olds;		/* in it, sorted by path */
	size_t		 nolds;
};

/* --- a small string -> int hash map --------------------------------- */

struct hmap {
	const char	**keys;
	long		 *vals;
	size_t		  cap, n;
};

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static long *
hmap_slot(struct hmap *m, const char *k, bool *fresh)
{
	size_t	i;

	if (m->n * 2 >= m->cap) {	/* grow */
		struct hmap old = *m;

		m->cap = m->cap ? m->cap * 2 : 64;
		m->keys = xcalloc(m->cap, sizeof(*m->keys));
		m->vals = xcalloc(m->cap, sizeof(*m->vals));
		m->n = 0;
		for (i = 0; i < old.cap; i++)
			if (old.keys[i] != NULL) {
				bool f;

				*hmap_slot(m, old.keys[i], &f) = old.vals[i];
			}
		free(old.keys);
		free(old.vals);
	}
	for (i = hash(k) & (m->cap - 1); m->keys[i] != NULL;
	    i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], k) == 0) {
			*fresh = false;
			return &m->vals[i];
		}
	m->keys[i] = k;
	m->n++;
	*fresh = true;
	return &m->vals[i];
}

static void
hmap_free(struct hmap *m)
{
	free(m->keys);
	free(m->vals);
}

/* --- text and words ------------------------------------------------- */

static bool
is_stop(const char *w)
{
	size_t	i;

	for (i = 0; stop[i] != NULL; i++)
		if (strcmp(stop[i], w) == 0)
			return true;
	return false;
}

/*
 * Length of the word character at s (0 if it is not one): ASCII letters
 * and digits, and any other UTF-8 character except the Latin-1
 * punctuation (U+0080-U+00BF) and general punctuation (U+2000-U+207F:
 * curly quotes, dashes, spaces).  search.js has the same rule.
 */
static size_t
wordch(const unsigned char *s, const unsigned char *end)
{
	size_t	n;

	if (*s < 0x80)
		return isalnum(*s) ? 1 : 0;
	if (*s < 0xc0)
		return 0;	/* a stray continuation byte */
	n = *s >= 0xf0 ? 4 : *s >= 0xe0 ? 3 : 2;
	if ((size_t)(end - s) < n)
		return 0;
	if (*s == 0xc2 || (*s == 0xe2 && (s[1] == 0x80 || s[1] == 0x81)))
		return 0;
	return n;
}

/*
 * Call fn for each token of s: words (ASCII lowercased; two characters
 * or more, or a digit) and, for words joined by '-', '/' or '.' followed
 * by a letter or digit ("A-2025-07", "2025/26"), the whole as well.
 */
static void
tokens(const char *str, size_t len, void (*fn)(void *, const char *,
    size_t), void *arg)
{
	const unsigned char *s = (const unsigned char *)str, *end = s + len;
	const unsigned char *p = s, *start, *part;
	char	 w[WORD_MAX + 1];
	size_t	 n, k, parts;

	while (p < end) {
		if (wordch(p, end) == 0) {
			p++;
			continue;
		}
		start = p;
		parts = 0;
		for (;;) {
			part = p;
			while (p < end && (n = wordch(p, end)) > 0)
				p += n;
			parts++;
			k = (size_t)(p - part);
			if (k <= WORD_MAX && (k >= 2 || isdigit(*part))) {
				for (n = 0; n < k; n++)
					w[n] = (char)tolower(part[n]);
				fn(arg, w, k);
			}
			if (p + 1 < end && (*p == '-' || *p == '/' ||
			    *p == '.') && p[1] < 0x80 && isalnum(p[1]))
				p++;
			else
				break;
		}
		k = (size_t)(p - start);
		if (parts > 1 && k <= WORD_MAX) {
			for (n = 0; n < k; n++)
				w[n] = (char)tolower(start[n]);
			fn(arg, w, k);
		}
	}
}

struct counter {
	struct hmap	 m;	/* word: weight, or -1 for a stop word */
	char		**own;	/* the words, in the order first seen */
	size_t		 nown, cap;
	int		 weight;
};

/*
 * Count a word.  A page repeats most of its words, so the word is
 * looked up first, from the stack; only a new one is copied and checked
 * against the stop words (once a page, not once an occurrence).
 */
static void
count_word(void *arg, const char *w, size_t n)
{
	struct counter	*c = arg;
	char		 k[WORD_MAX + 1], *own;
	long		*v;
	bool		 fresh;

	memcpy(k, w, n);
	k[n] = '\0';
	v = hmap_slot(&c->m, k, &fresh);
	if (fresh) {
		own = xstrndup(w, n);
		c->m.keys[v - c->m.vals] = own;	/* not the stack copy */
		if (c->nown == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 256;
			c->own = xreallocarray(c->own, c->cap,
			    sizeof(*c->own));
		}
		c->own[c->nown++] = own;
		*v = is_stop(own) ? -1 : 0;
	}
	if (*v >= 0)
		*v += c->weight;
}

/* A document's words with their weights, as its packed word list. */
static void
doc_words(struct doc *d, const char *text, size_t len)
{
	struct counter	 c;
	struct buf	 b;
	size_t		 i;
	long		*v;
	bool		 fresh;

	memset(&c, 0, sizeof(c));
	c.weight = TITLE_WEIGHT;
	tokens(d->title, strlen(d->title), count_word, &c);
	c.weight = 1;
	tokens(text, len, count_word, &c);
	buf_init(&b);
	for (i = 0; i < c.nown; i++) {
		v = hmap_slot(&c.m, c.own[i], &fresh);
		if (*v < 0)
			continue;	/* a stop word */
		buf_putc(&b, *v > 255 ? 255 : (int)*v);
		buf_puts(&b, c.own[i]);
		buf_putc(&b, '\0');
	}
	for (i = 0; i < c.nown; i++)	/* the map's keys: free them last */
		free(c.own[i]);
	free(c.own);
	hmap_free(&c.m);
	d->wlen = b.len;
	d->words = buf_detach(&b);
	buf_free(&b);		/* buf_detach leaves b ready for use */
}

/* Skip an element's content up to its closing tag "</name". */
static const char *
skip_element(const char *p, const char *end, const char *name, size_t n)
{
	for (; p + n + 2 <= end; p++)
		if (p[0] == '<' && p[1] == '/' && strncasecmp(p + 2, name,
		    n) == 0)
			return p;
	return end;
}

/* Whether the tag at p is one of the common inline ones (no word break). */
static bool
inline_tag(const char *p)
{
	static const char *const tags[] = { "a", "abbr", "b", "code", "em",
	    "i", "mark", "small", "span", "strong", "sub", "sup", "time",
	    NULL };
	size_t	i, n;

	p += p[1] == '/' ? 2 : 1;
	for (i = 0; tags[i] != NULL; i++) {
		n = strlen(tags[i]);
		if (strncasecmp(p, tags[i], n) == 0 && (p[n] == '>' ||
		    p[n] == ' '))
			return true;
	}
	return false;
}

void
search_main_text(const char *html, size_t len, struct buf *out)
{
	const char	*p, *end = html + len, *q, *q0, *semi;
	static const char *const skip[] = { "script", "style", "svg",
	    "template", NULL };
	size_t		 i, n;
	bool		 space = true;

	if ((p = memmem(html, len, "<main", 5)) == NULL)
		return;
	if ((q = memmem(p, (size_t)(end - p), "</main>", 7)) != NULL)
		end = q;
	if ((p = memchr(p, '>', (size_t)(end - p))) == NULL)
		return;
	for (p++; p < end; ) {
		if (*p == '<') {
			q0 = p;
			for (i = 0; skip[i] != NULL; i++) {
				n = strlen(skip[i]);
				if (p + 1 + n < end && strncasecmp(p + 1,
				    skip[i], n) == 0 && (p[1 + n] == '>' ||
				    p[1 + n] == ' '))
					break;
			}
			if (skip[i] != NULL)
				p = skip_element(p + 1, end, skip[i],
				    strlen(skip[i]));
			if ((q = memchr(p, '>', (size_t)(end - p))) == NULL)
				break;
			/* Words for screen readers only, and heading anchors. */
			if (p[1] != '/' && (n = strcspn(p + 1, " >")) < 10 &&
			    (memmem(p, (size_t)(q - p), "visually-hidden",
			    15) != NULL || memmem(p, (size_t)(q - p),
			    "heading-anchor", 14) != NULL)) {
				char	 name[12];

				memcpy(name, p + 1, n);
				name[n] = '\0';
				q = skip_element(q, end, name, n);
				if ((q = memchr(q, '>', (size_t)(end - q)))
				    == NULL)
					break;
			}
			p = q + 1;
			if (!space && !inline_tag(q0)) {	/* blocks separate words */
				buf_putc(out, ' ');
				space = true;
			}
			continue;
		}
		if (*p == '&' && (semi = memchr(p, ';', (size_t)(end - p) <
		    10 ? (size_t)(end - p) : 10)) != NULL) {
			static const char *const ent[][2] = { { "amp", "&" },
			    { "lt", "<" }, { "gt", ">" }, { "quot", "\"" },
			    { "#39", "'" }, { "nbsp", " " }, { NULL, NULL } };

			for (i = 0; ent[i][0] != NULL; i++)
				if ((size_t)(semi - p - 1) == strlen(ent[i][0])
				    && strncmp(p + 1, ent[i][0],
				    strlen(ent[i][0])) == 0)
					break;
			buf_puts(out, ent[i][0] != NULL ? ent[i][1] : " ");
			space = false;
			p = semi + 1;
			continue;
		}
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			if (!space)
				buf_putc(out, ' ');
			space = true;
			p++;
		} else {	/* a run of text */
			for (q = p + 1; q < end && *q != '<' && *q != '&' &&
			    *q != ' ' && *q != '\n' && *q != '\t' && *q != '\r';
			    q++)
				continue;
			buf_put(out, p, (size_t)(q - p));
			space = false;
			p = q;
		}
	}
	while (out->len > 0 && out->data[out->len - 1] == ' ')
		buf_truncate(out, out->len - 1);
}

/* --- JSON ------------------------------------------------------------ */

/* A JSON string of at most max bytes, cut at a character boundary. */
static void
json_str(struct buf *b, const char *s, size_t max)
{
	size_t		i, k, n = strlen(s);
	unsigned char	c;

	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		for (k = i; k < n && (unsigned char)s[k] >= 0x20 &&
		    s[k] != 0x7f && s[k] != '"' && s[k] != '\\' && s[k] != '<';
		    k++)
			continue;	/* a run written as it is */
		if (k > i) {
			buf_put(b, s + i, k - i);
			if ((i = k) == n)
				break;
		}
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			buf_putc(b, ' ');
		else if (c < 0x20 || c == 0x7f)
			continue;
		else if (c == '<')	/* never "</script>" in any context */
			buf_puts(b, "\\u003c");
		else
			buf_putc(b, c);
	}
	buf_putc(b, '"');
}

/* The file name part for a prefix: [a-z0-9] as they are, else _hh. */
static void
enc_prefix(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf_putc(b, c);
		else
			buf_printf(b, "_%02x", c);
	}
}

/* --- documents ------------------------------------------------------- */

static int
code_of(const char ***names, size_t *n, const char *name)
{
	size_t	i;

	if (name == NULL)
		return 0;
	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], name) == 0)
			return (int)i + 1;
	*names = xreallocarray(*names, *n + 1, sizeof(**names));
	(*names)[(*n)++] = name;
	return (int)*n;
}

static struct doc *
add_doc(struct search *x)
{
	struct doc	*d;

	x->docs = xreallocarray(x->docs, x->ndocs + 1, sizeof(*x->docs));
	d = &x->docs[x->ndocs++];
	memset(d, 0, sizeof(*d));
	d->page = -1;
	return d;
}

static const char *
committee_of(const struct site *s, const struct val *data)
{
	const char	*t = val_get_str(val_get(data, "committee"), "title");
	struct page	*m;

	if (t == NULL && (m = site_find(s, PAGE_MEETING, val_get_str(
	    val_get(data, "raised"), "id") ? val_get_str(val_get(data,
	    "raised"), "id") : "")) != NULL)
		t = val_get_str(val_get(m->data, "committee"), "title");
	return t;
}

/* Actions and decisions: documents made from the model's lists. */
static void
add_records(struct search *x)
{
	const struct site *s = x->site;
	const struct val *l, *v, *u;
	struct buf	 t;
	struct doc	*d;
	size_t		 i, j;

	buf_init(&t);
	l = val_get(s->lists, "actions");
	for (i = 0; l != NULL && i < l->n; i++) {
		v = l->items[i];
		if (val_get_str(v, "id") == NULL)
			continue;
		d = add_doc(x);
		d->title = arena_printf(x->a, "Action %s: %s", val_get_str(v,
		    "id"), val_get_str(v, "action") ? val_get_str(v,
		    "action") : "");
		d->url = arena_printf(x->a, "%sactions/#%s", s->base_path,
		    val_get_str(v, "anchor"));
		d->kind = "action";
		d->date = val_get_str(val_get(v, "raised"), "date");
		d->committee = committee_of(s, v);
		buf_reset(&t);
		buf_printf(&t, "%s. Status: %s.", val_get_str(v, "id"),
		    val_get_str(v, "status_text") ? val_get_str(v,
		    "status_text") : "");
		if (val_get_str(val_get(v, "owner"), "title") != NULL)
			buf_printf(&t, " Owner: %s.", val_get_str(val_get(v,
			    "owner"), "title"));
		if (val_get_str(v, "due") != NULL)
			buf_printf(&t, " Due: %s.", val_get_str(v, "due"));
		u = val_get(v, "updates");
		for (j = 0; u != NULL && j < u->n; j++)
			if (val_get_str(u->items[j], "note") != NULL)
				buf_printf(&t, " %s", val_get_str(u->items[j],
				    "note"));
		d->text = arena_strdup(x->a, t.data);
	}
	l = val_get(s->lists, "decisions");
	for (i = 0; l != NULL && i < l->n; i++) {
		v = l->items[i];
		if (val_get_str(v, "resolution") == NULL)
			continue;
		d = add_doc(x);
		d->title = arena_printf(x->a, "Decision: %s", val_get_str(v,
		    "resolution"));
		if (val_get_str(v, "url") != NULL)
			d->url = val_get_str(v, "url");
		else
			d->url = arena_printf(x->a, "%sdecisions/#%s",
			    s->base_path, val_get_str(v, "id"));
		d->kind = "decision";
		d->date = val_get_str(v, "date");
		d->committee = committee_of(s, v);
		buf_reset(&t);
		buf_printf(&t, "%s. %s", val_get_str(v, "type_text") ?
		    val_get_str(v, "type_text") : "", val_get_str(v,
		    "resolution"));
		if (val_get_str(val_get(v, "item"), "title") != NULL)
			buf_printf(&t, " Agenda item %s: %s.",
			    val_get_str(val_get(v, "item"), "number") ?
			    val_get_str(val_get(v, "item"), "number") : "",
			    val_get_str(val_get(v, "item"), "title"));
		d->text = arena_strdup(x->a, t.data);
	}
	buf_free(&t);
}

/* Newest first; undated last; then by address. */
static int
doc_order(const void *a, const void *b)
{
	const struct doc *p = a, *q = b;
	int	c;

	if (p->date != NULL && q->date != NULL && (c = strcmp(q->date,
	    p->date)) != 0)
		return c;
	if ((p->date == NULL) != (q->date == NULL))
		return p->date == NULL ? 1 : -1;
	return strcmp(p->url, q->url);
}

struct search *
search_new(const struct site *s)
{
	struct search	*x = xcalloc(1, sizeof(*x));
	const struct page *p;
	struct doc	*d;
	size_t		 i, j;

	x->site = s;
	x->a = arena_new();
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		/* The kind table says what is searched; the model what is public. */
		if (!kind_get(p->kind)->search || !site_public(p))
			continue;
		d = add_doc(x);
		d->title = p->title != NULL ? p->title : p->id;
		d->url = p->url;
		d->kind = site_kind_name(p->kind);
		if ((d->date = val_get_str(p->data, "date")) == NULL)
			d->date = val_get_str(p->data, "received");
		if (d->date == NULL)	/* papers and minutes: their meeting's */
			d->date = val_get_str(val_get(p->data, "meeting"),
			    "date");
		d->committee = val_get_str(val_get(p->data, "committee"),
		    "title");
		d->lang = val_get_str(p->data, "language");
		d->page = (long)i;
	}
	add_records(x);
	qsort(x->docs, x->ndocs, sizeof(*x->docs), doc_order);
	x->page_doc = xcalloc(s->npages + 1, sizeof(*x->page_doc));
	for (i = 0; i < s->npages; i++)
		x->page_doc[i] = -1;
	for (j = 0; j < x->ndocs; j++) {
		d = &x->docs[j];
		d->kcode = code_of(&x->kinds, &x->nkinds, d->kind);
		d->ccode = code_of(&x->comms, &x->ncomms, d->committee);
		if (d->page >= 0)
			x->page_doc[d->page] = (long)j;
	}
	return x;
}

/* Document n's fragment up to its text: what a result shows. */
static void
frag_head(const struct search *x, size_t n, struct buf *b)
{
	const struct doc *d = &x->docs[n];

	buf_puts(b, "{\"t\":");
	json_str(b, d->title, 400);
	buf_puts(b, ",\"u\":");
	json_str(b, d->url, 1000);
	buf_puts(b, ",\"k\":");
	json_str(b, d->kind, 40);
	if (d->date != NULL) {
		buf_puts(b, ",\"d\":");
		json_str(b, d->date, 10);
	}
	if (d->committee != NULL) {
		buf_puts(b, ",\"c\":");
		json_str(b, d->committee, 200);
	}
	if (d->lang != NULL) {	/* a page in another language */
		buf_puts(b, ",\"l\":");
		json_str(b, d->lang, 100);
		buf_puts(b, text_lang_rtl(d->lang) ? ",\"r\":\"rtl\"" :
		    ",\"r\":\"ltr\"");
	}
	buf_puts(b, ",\"x\":");
}

/* Where document n's fragment is. */
static void
frag_path(char *path, size_t size, size_t n)
{
	snprintf(path, size, "search/p/%zu.json", n);
}

/* Write document n's fragment. */
static void
fragment(const struct search *x, size_t n, const char *text,
    struct out *o, struct diags *dg)
{
	struct buf	 b;
	char		 path[64];

	buf_init(&b);
	frag_head(x, n, &b);
	json_str(&b, text, FRAG_MAX);
	buf_puts(&b, "}\n");
	frag_path(path, sizeof(path), n);
	out_write(o, path, b.data, b.len, dg);
	buf_free(&b);
}

void
search_take(struct search *x, size_t i, const char *html, size_t len,
    struct out *o, struct diags *dg)
{
	struct buf	 text;
	long		 n;

	if (x == NULL || i >= x->site->npages || (n = x->page_doc[i]) < 0 ||
	    x->docs[n].words != NULL)
		return;
	buf_init(&text);
	search_main_text(html, len, &text);
	doc_words(&x->docs[n], text.data, text.len);
	if (o != NULL)
		fragment(x, (size_t)n, text.data, o, dg);
	buf_free(&text);
}

/* --- words kept for the next build ----------------------------------- */

/*
 * The file (after the manifest's header) is a record a page document:
 * a line "PATHLEN TITLELEN HEADLEN N WORDSLEN", then that many bytes of
 * the page's output path, its title, its fragment up to the text, and
 * its packed word list; then "end COUNT SUM", SUM a 64-bit checksum of
 * the records (16 hex digits).  Anything else and none of it is used.
 */
#define OLD_MAX_FIELD	(64u << 20)

/* The checksum of a record, its line and its four parts, added to h. */
static uint64_t
old_sum(uint64_t h, const char *line, size_t n, const struct old *o)
{
	const char *const part[] = { line, o->path, o->title, o->head,
	    o->words };
	const size_t	 len[] = { n, o->plen, o->tlen, o->hlen, o->wlen };
	size_t		 i;

	for (i = 0; i < 5; i++)
		h = (h ^ text_sum(part[i], len[i])) * 0x100000001b3ULL;
	return h;
}

static int
oldcmp(const void *a, const void *b)
{
	const struct old *p = a, *q = b;
	size_t	n = p->plen < q->plen ? p->plen : q->plen;
	int	c;

	if ((c = memcmp(p->path, q->path, n)) != 0)
		return c;
	return p->plen < q->plen ? -1 : p->plen > q->plen;
}

static const struct old *
find_old(const struct search *x, const char *path)
{
	struct old	key;

	if (x->nolds == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.path = path;
	key.plen = strlen(path);
	return bsearch(&key, x->olds, x->nolds, sizeof(*x->olds), oldcmp);
}

static bool
read_num(const char **p, const char *end, char last, size_t *v)
{
	const char	*q = *p;
	size_t		 n = 0;

	if (q >= end || !isdigit((unsigned char)*q))
		return false;
	for (; q < end && isdigit((unsigned char)*q); q++) {
		if (n > OLD_MAX_FIELD)
			return false;
		n = n * 10 + (size_t)(*q - '0');
	}
	if (q >= end || *q != last)
		return false;
	*p = q + 1;
	*v = n;
	return true;
}

void
search_reuse(struct search *x, char *text, size_t len)
{
	const char	*p, *end, *line;
	struct old	 o;
	uint64_t	 h = 0;
	size_t		 count, i, cap = 0;
	char		 want[64];

	if (x == NULL || text == NULL) {
		free(text);
		return;
	}
	p = text;
	end = text + len;
	x->oldtext = text;
	for (;;) {
		if ((size_t)(end - p) > 4 && memcmp(p, "end ", 4) == 0) {
			p += 4;
			if (!read_num(&p, end, ' ', &count) ||
			    count != x->nolds)
				goto bad;
			snprintf(want, sizeof(want), "%016llx\n",
			    (unsigned long long)h);
			if ((size_t)(end - p) != strlen(want) ||
			    memcmp(p, want, strlen(want)) != 0)
				goto bad;
			break;
		}
		line = p;
		memset(&o, 0, sizeof(o));
		if (!read_num(&p, end, ' ', &o.plen) ||
		    !read_num(&p, end, ' ', &o.tlen) ||
		    !read_num(&p, end, ' ', &o.hlen) ||
		    !read_num(&p, end, ' ', &o.n) ||
		    !read_num(&p, end, '\n', &o.wlen) || o.plen == 0 ||
		    o.n > OLD_MAX_FIELD ||
		    (size_t)(end - p) < o.plen + o.tlen + o.hlen + o.wlen)
			goto bad;
		o.path = p;
		o.title = p += o.plen;
		o.head = p += o.tlen;
		o.words = p += o.hlen;
		p += o.wlen;
		h = old_sum(h, line, (size_t)(o.path - line), &o);
		if (x->nolds == cap) {
			cap = cap ? cap * 2 : 1024;
			x->olds = xreallocarray(x->olds, cap, sizeof(*x->olds));
		}
		x->olds[x->nolds++] = o;
	}
	qsort(x->olds, x->nolds, sizeof(*x->olds), oldcmp);
	for (i = 1; i < x->nolds; i++)
		if (oldcmp(&x->olds[i - 1], &x->olds[i]) == 0)
			goto bad;
	return;
bad:
	search_reuse_done(x);
}

void
search_reuse_done(struct search *x)
{
	size_t	i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ndocs; i++)
		x->docs[i].kept = NULL;	/* they point into oldtext */
	free(x->oldtext);
	free(x->olds);
	x->oldtext = NULL;
	x->olds = NULL;
	x->nolds = 0;
}

int
search_kept(struct search *x, size_t i, char *from, char *to, size_t size)
{
	const struct old *o;
	const struct doc *d;
	struct buf	 head;
	long		 n;
	bool		 same;

	if (x == NULL || i >= x->site->npages || (n = x->page_doc[i]) < 0)
		return 2;
	d = &x->docs[n];
	if (d->words != NULL || (o = find_old(x, x->site->pages[i]->out)) ==
	    NULL || strlen(d->title) != o->tlen ||
	    memcmp(d->title, o->title, o->tlen) != 0)
		return 0;
	buf_init(&head);
	frag_head(x, (size_t)n, &head);
	same = head.len == o->hlen && memcmp(head.data, o->head, o->hlen) == 0;
	buf_free(&head);
	if (!same)
		return 0;
	x->docs[n].kept = o;
	frag_path(from, size, o->n);
	frag_path(to, size, (size_t)n);
	return 1;
}

void
search_kept_take(struct search *x, size_t i)
{
	const struct old *o;
	struct doc	*d;
	long		 n;

	if (x == NULL || i >= x->site->npages || (n = x->page_doc[i]) < 0 ||
	    (o = x->docs[n].kept) == NULL)
		return;
	d = &x->docs[n];
	d->words = xmalloc(o->wlen + 1);
	memcpy(d->words, o->words, o->wlen);
	d->words[o->wlen] = '\0';
	d->wlen = o->wlen;
}

int
search_save(const struct search *x, FILE *f)
{
	const struct doc *d;
	struct old	 o;
	struct buf	 head;
	uint64_t	 h = 0;
	size_t		 j, n, count = 0;
	char		 line[128];

	if (x == NULL || f == NULL)
		return -1;
	buf_init(&head);
	for (j = 0; j < x->ndocs; j++) {
		d = &x->docs[j];
		if (d->page < 0 || d->words == NULL)
			continue;
		buf_reset(&head);
		frag_head(x, j, &head);
		o.path = x->site->pages[d->page]->out;
		o.plen = strlen(o.path);
		o.title = d->title;
		o.tlen = strlen(d->title);
		o.head = head.data;
		o.hlen = head.len;
		o.words = d->words;
		o.wlen = d->wlen;
		n = (size_t)snprintf(line, sizeof(line), "%zu %zu %zu %zu %zu\n",
		    o.plen, o.tlen, o.hlen, j, o.wlen);
		h = old_sum(h, line, n, &o);
		fwrite(line, 1, n, f);
		fwrite(o.path, 1, o.plen, f);
		fwrite(o.title, 1, o.tlen, f);
		fwrite(o.head, 1, o.hlen, f);
		fwrite(o.words, 1, o.wlen, f);
		count++;
	}
	fprintf(f, "end %zu %016llx\n", count, (unsigned long long)h);
	buf_free(&head);
	return ferror(f) ? -1 : 0;
}

/* --- the index -------------------------------------------------------- */

struct stem {
	const char	*s;
	struct buf	 post;		/* "delta,weight," ... */
	long		 last;		/* last document, -1 */
	long		 prevdoc;	/* the one before it (deltas), 0 */
	long		 lastw;		/* its weight so far */
	size_t		 lastoff;	/* where its entry starts in post */
};

struct key {
	const char	*s;
	const char	*stem;		/* a word whose stem differs */
	struct stem	*t;		/* a stem with postings */
};

struct index {
	struct hmap	 words;		/* word -> index in wlist */
	const char	**wlist;
	long		*wst;		/* each word's stem: index in st */
	size_t		 nwords, capwords;
	struct hmap	 stems;		/* stem -> index in stems */
	struct stem	*st;
	size_t		 nst;
	struct key	*keys;
	size_t		 nkeys;
};

static bool
all_letters(const char *w)
{
	for (; *w; w++)
		if (isdigit((unsigned char)*w) || *w == '-' || *w == '/' ||
		    *w == '.')
			return false;
	return true;
}

/* "a,b," onto a posting list: the index's hottest write. */
static void
put_pair(struct buf *b, long a, long w)
{
	buf_put_long(b, a);
	buf_putc(b, ',');
	buf_put_long(b, w);
	buf_putc(b, ',');
}

static void
post(struct stem *t, long doc, long w)
{
	if (t->last == doc) {	/* another word of the same stem */
		buf_truncate(&t->post, t->lastoff);
		w += t->lastw;
		put_pair(&t->post, doc - t->prevdoc, w > 255 ? 255L : w);
		t->lastw = w;
		return;
	}
	t->prevdoc = t->last < 0 ? 0 : t->last;
	t->lastoff = t->post.len;
	put_pair(&t->post, doc - t->prevdoc, w);
	t->last = doc;
	t->lastw = w;
}

/* The index in ix->st of stem st, a new one if need be. */
static long
stem_index(struct index *ix, const char *st)
{
	long	*v;
	bool	 fresh;

	v = hmap_slot(&ix->stems, st, &fresh);
	if (fresh) {
		ix->st = xreallocarray(ix->st, ix->nst + 1, sizeof(*ix->st));
		memset(&ix->st[ix->nst], 0, sizeof(*ix->st));
		ix->st[ix->nst].s = st;
		buf_init(&ix->st[ix->nst].post);
		ix->st[ix->nst].last = -1;
		*v = (long)ix->nst++;
	}
	return *v;
}

/* Every word of every document: stems and postings, in document order. */
static void
build(struct search *x, struct index *ix, struct sb_stemmer *sb)
{
	struct doc	*d;
	const char	*w, *st;
	size_t		 n, off;
	long		*v;
	bool		 fresh;
	struct stem	*t;

	for (n = 0; n < x->ndocs; n++) {
		d = &x->docs[n];
		for (off = 0; off < d->wlen; off += strlen(w) + 1) {
			long weight = (unsigned char)d->words[off++];

			w = d->words + off;
			v = hmap_slot(&ix->words, w, &fresh);
			if (fresh) {
				/* The map keeps the copy: d->words is freed. */
				w = arena_strdup(x->a, w);
				ix->words.keys[v - ix->words.vals] = w;
				st = w;
				if (all_letters(w) && sb != NULL) {
					const sb_symbol *r = sb_stemmer_stem(sb,
					    (const sb_symbol *)w, (int)strlen(w));

					if (r != NULL)
						st = arena_strndup(x->a,
						    (const char *)r,
						    (size_t)sb_stemmer_length(sb));
				}
				if (ix->nwords == ix->capwords) {
					ix->capwords = ix->capwords ?
					    ix->capwords * 2 : 1024;
					ix->wlist = xreallocarray(ix->wlist,
					    ix->capwords, sizeof(*ix->wlist));
					ix->wst = xreallocarray(ix->wst,
					    ix->capwords, sizeof(*ix->wst));
				}
				ix->wlist[ix->nwords] = w;
				/* The stem looked up once a word, not a use. */
				ix->wst[ix->nwords] = stem_index(ix, st);
				*v = (long)ix->nwords++;
			}
			if (ix->wst == NULL || ix->st == NULL)
				continue;	/* cannot be: a word was added */
			t = &ix->st[ix->wst[*v]];
			post(t, (long)n, weight);
		}
		/* The index has them now: free them while it grows. */
		free(d->words);
		d->words = NULL;
		d->wlen = 0;
	}
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct key *)a)->s, ((const struct key *)b)->s);
}

/* The keys of the shards: words whose stem differs, and stems. */
static void
make_keys(struct index *ix)
{
	const char *stem;
	size_t	    i, n;

	ix->keys = xcalloc(ix->nwords + ix->nst + 1, sizeof(*ix->keys));
	/* Every word has a stem, so st is there when a word is. */
	for (i = 0; i < ix->nwords && ix->st != NULL; i++)
		if (strcmp(ix->wlist[i], stem = ix->st[ix->wst[i]].s) != 0) {
			ix->keys[ix->nkeys].s = ix->wlist[i];
			ix->keys[ix->nkeys++].stem = stem;
		}
	for (i = 0; i < ix->nst; i++) {
		ix->keys[ix->nkeys].s = ix->st[i].s;
		ix->keys[ix->nkeys++].t = &ix->st[i];
	}
	qsort(ix->keys, ix->nkeys, sizeof(*ix->keys), key_cmp);
	for (i = 0, n = 0; i < ix->nkeys; i++) {	/* merge equal keys */
		if (n > 0 && strcmp(ix->keys[n - 1].s, ix->keys[i].s) == 0) {
			if (ix->keys[i].stem != NULL)
				ix->keys[n - 1].stem = ix->keys[i].stem;
			if (ix->keys[i].t != NULL)
				ix->keys[n - 1].t = ix->keys[i].t;
		} else
			ix->keys[n++] = ix->keys[i];
	}
	ix->nkeys = n;
}

static size_t
key_size(const struct key *k)
{
	return 2 * strlen(k->s) + 8 + (k->stem ? strlen(k->stem) : 0) +
	    (k->t ? k->t->post.len : 0);
}

struct writer {
	struct index	*ix;
	struct out	*o;
	struct diags	*d;
	struct buf	 names;		/* the manifest's list of shards */
	size_t		 size;		/* bytes written */
	size_t		 nshards;
	int		 rc;
};

static void
emit_shard(struct writer *w, const char *prefix, size_t plen, size_t lo,
    size_t hi)
{
	struct buf	 b, name;
	size_t		 i;
	int		 n;

	buf_init(&b);
	buf_init(&name);
	enc_prefix(&name, prefix, plen);
	buf_puts(&w->names, w->nshards++ ? ",\"" : "\"");
	buf_puts(&w->names, name.data);
	buf_putc(&w->names, '"');
	buf_puts(&b, "{\"w\":{");
	for (i = lo, n = 0; i < hi; i++)
		if (w->ix->keys[i].stem != NULL) {
			buf_puts(&b, n++ ? "," : "");
			json_str(&b, w->ix->keys[i].s, WORD_MAX);
			buf_putc(&b, ':');
			json_str(&b, w->ix->keys[i].stem, WORD_MAX);
		}
	buf_puts(&b, "},\"t\":{");
	for (i = lo, n = 0; i < hi; i++)
		if (w->ix->keys[i].t != NULL) {
			const struct buf *pb = &w->ix->keys[i].t->post;

			buf_puts(&b, n++ ? ",\n" : "");
			json_str(&b, w->ix->keys[i].s, WORD_MAX);
			buf_puts(&b, ":[");
			buf_put(&b, pb->data, pb->len ? pb->len - 1 : 0);
			buf_putc(&b, ']');
		}
	buf_puts(&b, "}}\n");
	buf_reset(&name);
	buf_puts(&name, "search/s/k");
	enc_prefix(&name, prefix, plen);
	buf_puts(&name, ".json");
	w->size += b.len;
	if (w->o != NULL && out_write(w->o, name.data, b.data, b.len, w->d)
	    == -1)
		w->rc = -1;
	buf_free(&b);
	buf_free(&name);
}

/*
 * Shards by prefix, split until each is small: keys[lo, hi) share
 * their first len bytes.  The browser reads the longest listed prefix
 * of a word, so a word shorter than its group's split lands in a shard
 * named by the word itself.
 */
static void
shard(struct writer *w, size_t lo, size_t hi, size_t len)
{
	const struct key *k = w->ix->keys;
	size_t	 i, j, size = 0;

	for (i = lo; i < hi; i++)
		size += key_size(&k[i]);
	if (size <= SHARD_MAX || hi - lo <= 1 || len >= WORD_MAX) {
		emit_shard(w, k[lo].s, len, lo, hi);
		return;
	}
	i = lo;
	if (strlen(k[lo].s) == len)	/* sorted first: the prefix itself */
		emit_shard(w, k[lo].s, len, lo, ++i);
	while (i < hi) {
		for (j = i; j < hi && k[j].s[len] == k[i].s[len]; j++)
			;
		shard(w, i, j, len + 1);
		i = j;
	}
}

int
search_write(struct search *x, struct out *o, struct diags *d,
    size_t *size)
{
	struct sb_stemmer *sb = sb_stemmer_new("english", "UTF_8");
	struct index	 ix;
	struct writer	 w;
	struct buf	 b;
	size_t		 i;

	*size = 0;
	if (x == NULL)
		return 0;
	for (i = 0; i < x->ndocs; i++) {	/* records, and unrendered */
		struct doc *dc = &x->docs[i];
		const char *t = dc->text != NULL ? dc->text : "";

		if (dc->words != NULL)
			continue;
		doc_words(dc, t, strlen(t));
		if (o != NULL)
			fragment(x, i, t, o, d);
	}
	memset(&ix, 0, sizeof(ix));
	build(x, &ix, sb);
	make_keys(&ix);
	memset(&w, 0, sizeof(w));
	w.ix = &ix;
	w.o = o;
	w.d = d;
	buf_init(&w.names);
	if (ix.nkeys > 0)
		shard(&w, 0, ix.nkeys, 0);

	buf_init(&b);
	buf_printf(&b, "{\"v\":2,\"docs\":%zu,\"stem\":\"english\","
	    "\"stop\":[", x->ndocs);
	for (i = 0; stop[i] != NULL; i++)
		buf_printf(&b, "%s\"%s\"", i ? "," : "", stop[i]);
	buf_puts(&b, "],\n\"shards\":[");
	buf_put(&b, w.names.data, w.names.len);
	buf_puts(&b, "],\n\"kinds\":[");
	for (i = 0; i < x->nkinds; i++) {
		buf_puts(&b, i ? "," : "");
		json_str(&b, x->kinds[i], 40);
	}
	buf_puts(&b, "],\n\"committees\":[");
	for (i = 0; i < x->ncomms; i++) {
		buf_puts(&b, i ? "," : "");
		json_str(&b, x->comms[i], 200);
	}
	buf_puts(&b, "],\n\"fk\":[");
	for (i = 0; i < x->ndocs; i++)
		buf_printf(&b, "%s%d", i ? "," : "", x->docs[i].kcode);
	buf_puts(&b, "],\n\"fc\":[");
	for (i = 0; i < x->ndocs; i++)
		buf_printf(&b, "%s%d", i ? "," : "", x->docs[i].ccode);
	buf_puts(&b, "]}\n");
	w.size += b.len;
	if (o != NULL && out_write(o, "search/index.json", b.data, b.len, d)
	    == -1)
		w.rc = -1;
	*size = w.size;

	buf_free(&b);
	buf_free(&w.names);
	for (i = 0; i < ix.nst; i++)
		buf_free(&ix.st[i].post);
	free(ix.st);
	free(ix.keys);
	free(ix.wlist);
	free(ix.wst);
	hmap_free(&ix.words);
	hmap_free(&ix.stems);
	if (sb != NULL)
		sb_stemmer_delete(sb);
	return w.rc;
}

void
search_free(struct search *x)
{
	size_t	i;

	if (x == NULL)
		return;
	for (i = 0; i < x->ndocs; i++)
		free(x->docs[i].words);
	search_reuse_done(x);
	free(x->docs);
	free(x->page_doc);
	free(x->kinds);
	free(x->comms);
	arena_free(x->a);
	free(x);
}
