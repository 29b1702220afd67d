/*
 * What git history proves about the published record: when each page
 * was first published and last changed, whether papers changed after
 * their meeting, whether minutes changed after approval, and how many
 * clear working days before each meeting its papers were published.
 * Also what each revision page shows: for every version, the fields
 * that changed in plain words and the words of the rendered text that
 * were inserted or deleted.  Everything is worked out here, before
 * rendering; the render stage only reads the model.
 *
 * Facts stored on a page's data (p->data):
 *   history	{first_published, first_published_date, first_commit,
 *		 last_updated, last_updated_date, last_commit, revisions,
 *		 changed, url, changed_after_meeting, changed_after_approval,
 *		 declared_published, declared_source, published_date,
 *		 published_basis ("git" or "declared"), uncommitted}
 *   timeliness	(papers) {paper, published, basis, declared_source,
 *		 clear_days, required, after_meeting, late}
 *   versions	(revision pages) newest first, see versions()
 */
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/par.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/tz.h"
#include "util/val.h"
#include "load/src.h"
#include "parse/fm.h"
#include "parse/markdown.h"
#include "model/content.h"
#include "model/hcache.h"
#include "model/kind.h"
#include "model/publish.h"
#include "model/schema.h"
#include "model/site.h"
#include "model/workdays.h"

#define WORDS_CONTEXT	12	/* unchanged words shown around a change */
#define WORDS_MAX	20000	/* words of one version compared */
#define LCS_MAX_CELLS	(4u * 1024 * 1024)	/* else: all replaced */

/* The date, in Europe/London (the build sets TZ), of a commit time. */
static void
local_date(int64_t t, struct date *d)
{
	tz_date(t, d);
}

/*
 * "YYYY-MM-DD" into b (at least 32 bytes), with room after it; returns
 * its length.  Years are four digits or more (a sign before years BC).
 */
static size_t
put_day(char *b, const struct date *d)
{
	if (d->year < 0 || d->year > 9999)
		return (size_t)snprintf(b, 32, "%04d-%02d-%02d", d->year,
		    d->month, d->day);
	b[0] = (char)('0' + d->year / 1000);
	b[1] = (char)('0' + d->year / 100 % 10);
	b[2] = (char)('0' + d->year / 10 % 10);
	b[3] = (char)('0' + d->year % 10);
	b[4] = '-';
	b[5] = (char)('0' + d->month / 10);
	b[6] = (char)('0' + d->month % 10);
	b[7] = '-';
	b[8] = (char)('0' + d->day / 10);
	b[9] = (char)('0' + d->day % 10);
	return 10;
}

/* A commit time in UTC, as "YYYY-MM-DDTHH:MM:SSZ". */
static struct val *
iso_time(struct arena *a, int64_t t)
{
	struct date	 d;
	int64_t		 day = t / 86400, sec = t % 86400;
	char		 b[48];
	size_t		 n;

	if (sec < 0) {		/* no product that could overflow */
		day--;
		sec += 86400;
	}
	text_date_from_days((long)day, &d);
	n = put_day(b, &d);
	snprintf(b + n, sizeof(b) - n, "T%02d:%02d:%02dZ", (int)(sec / 3600),
	    (int)(sec / 60 % 60), (int)(sec % 60));
	return val_str(a, b);
}

static struct val *
iso_day(struct arena *a, const struct date *d)
{
	char		 b[32];

	return val_strn(a, b, put_day(b, d));
}

static struct val *
iso_date(struct arena *a, int64_t t)
{
	struct date	d;

	local_date(t, &d);
	return iso_day(a, &d);
}

static int
newest_first(const void *a, const void *b)
{
	return -strcmp(val_get_str(*(struct val *const *)a, "date"),
	    val_get_str(*(struct val *const *)b, "date"));
}

/* --- one version of a file ----------------------------------------------- */

/*
 * A version of a file as the history stage reads it: its front matter
 * and the words of its rendered body.  Versions are read once per blob
 * id and kept for the build, and only when the versions cache lacks
 * what is derived from them (see blob_facts() and pair_record()).
 */
struct version {
	unsigned char	 blob[20];
	bool		 missing;	/* could not be read: not cached */
	struct val	*fm;		/* map, or NULL */
	char		**words;	/* rendered text, split at spaces */
	size_t		 nwords;
	char		*norm;		/* text without layout-only detail */
	char		*says;		/* what it says: fields and words */
};

/*
 * A revision's facts (of it and the version before; pair_record()) as a
 * versions-cache record, worked out ahead on all threads and kept with
 * the site: the revision page decodes them when it renders.  The stage
 * takes them in page order, so the cache is kept and written exactly as
 * if they were made in order.
 */
struct pre {
	const unsigned char *rec;	/* in one of the site's arenas */
	size_t		 len;
	bool		 hit;		/* read from the cache: mark it used */
	bool		 store;		/* worked out: add it to the cache */
	bool		 says;		/* what the content says changed */
};

/* What a revision page's versions are made from (history_versions()). */
struct page_versions {
	const struct src_rev *revs;	/* the file's, oldest first */
	size_t		 n;
	long		 approving;	/* the approving revision, or -1 */
	bool		 messages;	/* show commit messages */
	const struct pre *pre;		/* [k] for revision k >= 1 */
};

struct hctx {
	struct site	*s;
	struct src_reader *rd;		/* this thread's reader, or NULL */
	struct pre	**pre;		/* by page index: [k] for revision k */
	struct arena	*tmp;		/* versions, freed after the stage */
	struct diags	 quiet;		/* old versions were checked then */
	FILE		*null;
	struct version	**vs;		/* hash table by blob id, or NULL */
	size_t		 nvs, nslots;
	bool		 messages;	/* show commit messages */
	struct hcache	*cache;		/* what versions gave, by blob ids */
	struct buf	 rec;		/* a record being made */
	struct unread	*unread;	/* shared by the stage's threads */
};

/*
 * An old version that git could not give (not one too large): the
 * repository lacks objects its history names, as a partial clone does,
 * or is damaged.  Its versions would be compared with nothing, so the
 * build fails, naming the first.
 */
struct unread {
	pthread_mutex_t	 lock;
	bool		 set;
	unsigned char	 blob[20];
};

static void
note_unread(struct hctx *h, const unsigned char *blob)
{
	if (h->unread == NULL)
		return;
	pthread_mutex_lock(&h->unread->lock);
	if (!h->unread->set) {
		h->unread->set = true;
		memcpy(h->unread->blob, blob, 20);
	}
	pthread_mutex_unlock(&h->unread->lock);
}

/*
 * The text without what does not change what it says: a byte order
 * mark, carriage returns and spaces or tabs at the ends of lines.
 */
static void
normalise(struct buf *b, const char *t, size_t len)
{
	size_t	i, end;

	if (len >= 3 && memcmp(t, "\xef\xbb\xbf", 3) == 0)
		t += 3, len -= 3;
	for (i = 0; i < len; i = end + 1) {
		for (end = i; end < len && t[end] != '\n'; end++)
			continue;
		{
			size_t e = end;

			while (e > i && (t[e - 1] == ' ' || t[e - 1] == '\t' ||
			    t[e - 1] == '\r'))
				e--;
			buf_put(b, t + i, e - i);
		}
		if (end < len)
			buf_putc(b, '\n');
	}
	while (b->len > 0 && b->data[b->len - 1] == '\n')
		buf_truncate(b, b->len - 1);
}

/* Strip tags from rendered HTML and decode its entities into words. */
static void
html_words(struct hctx *h, struct version *v, const char *html, size_t len)
{
	struct buf	 w;
	size_t		 i, cap = 0;
	const char	*semi;

	buf_init(&w);
	for (i = 0; i <= len; i++) {
		char c = i < len ? html[i] : ' ';

		if (c == '<') {
			while (i < len && html[i] != '>')
				i++;
			c = ' ';
		} else if (c == '&' && (semi = memchr(html + i, ';',
		    len - i < 10 ? len - i : 10)) != NULL) {
			size_t n = (size_t)(semi - html - i) + 1;

			c = strncmp(html + i, "&amp;", n) == 0 ? '&' :
			    strncmp(html + i, "&lt;", n) == 0 ? '<' :
			    strncmp(html + i, "&gt;", n) == 0 ? '>' :
			    strncmp(html + i, "&quot;", n) == 0 ? '"' :
			    strncmp(html + i, "&#39;", n) == 0 ? '\'' : 0;
			if (c != 0)
				i += n - 1;
			else
				c = '&';
		}
		if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
			if (w.len > 0 && v->nwords < WORDS_MAX) {
				if (v->nwords == cap) {
					cap = cap ? cap * 2 : 64;
					v->words = xreallocarray(v->words, cap,
					    sizeof(*v->words));
				}
				v->words[v->nwords++] = arena_strndup(h->tmp,
				    w.data, w.len);
			}
			buf_reset(&w);
		} else
			buf_putc(&w, c);
	}
	buf_free(&w);
}

static int
by_key(const void *a, const void *b, void *arg)
{
	const struct val *m = arg;

	return strcmp(m->pairs[*(const size_t *)a].key,
	    m->pairs[*(const size_t *)b].key);
}

/*
 * The order of map m's pairs by key (malloc'd): fields written in
 * another order say the same thing.
 */
static size_t *
key_order(const struct val *m)
{
	size_t	*o = xreallocarray(NULL, m->n > 0 ? m->n : 1, sizeof(*o)), i;

	for (i = 0; i < m->n; i++)
		o[i] = i;
	qsort_r(o, m->n, sizeof(*o), by_key, (void *)(uintptr_t)m);
	return o;
}

/*
 * A value written out the same way whatever its layout, for comparing:
 * maps by key, whatever order their fields were written in.
 */
static void
canon(struct buf *b, const struct val *v)
{
	size_t	i, *o;

	if (v == NULL) {
		buf_puts(b, "~");
		return;
	}
	switch (v->kind) {
	case VAL_STR:
		buf_printf(b, "%zu:", v->len);
		buf_put(b, v->str, v->len);
		break;
	case VAL_NUM:
		buf_printf(b, "n%.17g", v->num);
		break;
	case VAL_BOOL:
		buf_puts(b, v->b ? "T" : "F");
		break;
	case VAL_LIST:
		buf_puts(b, "[");
		for (i = 0; i < v->n; i++)
			canon(b, v->items[i]);
		buf_puts(b, "]");
		break;
	case VAL_MAP:
		buf_puts(b, "{");
		o = key_order(v);
		for (i = 0; i < v->n; i++) {
			buf_printf(b, "%zu:%s=", strlen(v->pairs[o[i]].key),
			    v->pairs[o[i]].key);
			canon(b, v->pairs[o[i]].v);
		}
		free(o);
		buf_puts(b, "}");
		break;
	default:
		buf_puts(b, "~");
		break;
	}
}

/*
 * Fields that record the state of a document, not what it says: marking
 * minutes approved, or declaring when a paper was first published, is
 * not a change to them.
 */
static bool
state_field(const char *key)
{
	return strcmp(key, "status") == 0 || strcmp(key, "approved_at") == 0 ||
	    strcmp(key, "published") == 0 ||
	    strcmp(key, "published_source") == 0;
}

/* Slot of blob in the table of versions: its own, or the free one. */
static size_t
slot(const struct hctx *h, const unsigned char *blob)
{
	size_t	k, mask = h->nslots - 1;
	uint64_t key;

	memcpy(&key, blob, sizeof(key));	/* ids are already hashes */
	for (k = (size_t)key & mask; h->vs[k] != NULL &&
	    memcmp(h->vs[k]->blob, blob, 20) != 0; k = (k + 1) & mask)
		continue;
	return k;
}

/* The version with content blob id, read once per build. */
static struct version *
version(struct hctx *h, const unsigned char *blob)
{
	struct version	 *v, **old;
	struct buf	 norm, html, says;
	struct mdr_opts	 mo;
	struct mdr_result res;
	const char	*fmtext, *body;
	char		*text;
	size_t		 len, fmlen, bodylen, i;
	int		 fmline, bodyline;

	if (2 * (h->nvs + 1) > h->nslots) {	/* grow the table */
		old = h->vs;
		h->vs = xcalloc(h->nslots ? h->nslots * 2 : 256,
		    sizeof(*h->vs));
		h->nslots = h->nslots ? h->nslots * 2 : 256;
		for (i = 0; old != NULL && i < h->nslots / 2; i++)
			if (old[i] != NULL)
				h->vs[slot(h, old[i]->blob)] = old[i];
		free(old);
	}
	if (h->vs[i = slot(h, blob)] != NULL)
		return h->vs[i];
	v = arena_alloc(h->tmp, sizeof(*v));
	memset(v, 0, sizeof(*v));
	memcpy(v->blob, blob, 20);
	buf_init(&norm);
	buf_init(&html);
	buf_init(&says);
	if ((text = h->rd != NULL ? src_reader_read_blob(h->rd, blob, &len) :
	    src_read_blob(h->s->src, blob, &len)) != NULL) {
		normalise(&norm, text, len);
		free(text);
		if (fm_split(norm.data, norm.len, &fmtext, &fmlen, &fmline,
		    &body, &bodylen, &bodyline) == 0) {
			v->fm = fmlen > 0 ? fm_parse(h->tmp, "", fmtext, fmlen,
			    fmline, &h->quiet) : NULL;
			/* What was never published is no change to show. */
			publish_redact(v->fm);
		} else {
			body = norm.data;
			bodylen = norm.len;
		}
		memset(&mo, 0, sizeof(mo));
		mo.path = "";
		mo.first_line = 1;
		mo.base_level = 2;
		memset(&res, 0, sizeof(res));
		(void)mdr_render(body, bodylen, &mo, &html, &res, &h->quiet);
		mdr_result_free(&res);
		html_words(h, v, html.data, html.len);
	} else {
		v->missing = true;
		if (len == 0)
			note_unread(h, blob);
	}
	v->norm = arena_strndup(h->tmp, norm.data, norm.len);
	if (v->fm != NULL && v->fm->kind == VAL_MAP) {
		size_t	*o = key_order(v->fm), k;

		for (i = 0; i < v->fm->n; i++)
			if (!state_field(v->fm->pairs[k = o[i]].key)) {
				buf_printf(&says, "%s=", v->fm->pairs[k].key);
				canon(&says, v->fm->pairs[k].v);
			}
		free(o);
	}
	buf_puts(&says, "\n");
	for (i = 0; i < v->nwords; i++)
		buf_printf(&says, "%s ", v->words[i]);
	v->says = arena_strndup(h->tmp, says.data, says.len);
	buf_free(&norm);
	buf_free(&html);
	buf_free(&says);
	h->vs[slot(h, blob)] = v;
	h->nvs++;
	return v;
}

/*
 * The versions cache.  What the stage needs of one version (a blob) is
 * kept as {status, last: {date, value, rag}}: its status, and the last
 * of a measure's values.  What it needs of a revision (the pair of its
 * blob and the one before) is kept as {says, layout_only} or {says,
 * fields, text}: whether what it says changed, and the revision page's
 * sentences and word segments.  Whether a paper's version was public
 * under a version of its meeting is kept as {public} under 'l', the
 * SHA-256 of the paper's blob and its name, and the meeting's blob (see
 * publish_from()).  hcache_encode() keeps every value exactly
 * (tests/history.sh compares builds with and without them).
 */
static void
cache_key(unsigned char *k, int kind, const unsigned char *a,
    const unsigned char *b)
{
	k[0] = (unsigned char)kind;
	memcpy(k + 1, a, 20);
	if (b != NULL)
		memcpy(k + 21, b, 20);
	else
		memset(k + 21, 0, 20);
}

static bool
str_or_absent(const struct val *m, const char *key)
{
	const struct val *v = val_get(m, key);

	return v == NULL || v->kind == VAL_STR;
}

/* Whether a record read back has the shape the stage relies on. */
static bool
blob_shape(const struct val *f)
{
	const struct val *l;

	if (f == NULL || f->kind != VAL_MAP || !str_or_absent(f, "status"))
		return false;
	if ((l = val_get(f, "last")) == NULL)
		return true;
	return l->kind == VAL_MAP && str_or_absent(l, "date") &&
	    str_or_absent(l, "value") && str_or_absent(l, "rag");
}

static bool
pair_shape(const struct val *f)
{
	const struct val *x, *y;

	if (f == NULL || f->kind != VAL_MAP || (x = val_get(f, "says")) ==
	    NULL || x->kind != VAL_BOOL)
		return false;
	if ((x = val_get(f, "layout_only")) != NULL)
		return x->kind == VAL_BOOL && x->b;
	return (x = val_get(f, "fields")) != NULL && x->kind == VAL_LIST &&
	    (y = val_get(f, "text")) != NULL && y->kind == VAL_LIST;
}

/* The same, of a record not decoded (hcache_top); says set when true. */
static bool
pair_top(const struct hcache_top *t, bool *says)
{
	int	 s = -1, layout = -1, fields = 0, text = 0;
	size_t	 i;

	for (i = 0; i < t->n; i++) {
#define IS(name) (t->e[i].len == sizeof(name) - 1 && \
	    memcmp(t->e[i].key, name, sizeof(name) - 1) == 0)
		if (IS("says"))
			s = t->e[i].kind == 't' ? 1 : t->e[i].kind == 'f' ?
			    0 : -1;
		else if (IS("layout_only"))
			layout = t->e[i].kind == 't';
		else if (IS("fields"))
			fields = t->e[i].kind == 'l';
		else if (IS("text"))
			text = t->e[i].kind == 'l';
#undef IS
	}
	if (s == -1 || (layout == -1 ? !(fields && text) : layout == 0))
		return false;
	*says = s == 1;
	return true;
}

/*
 * A cached pair record fit to use (pair_shape), and what it says of
 * the sentence: the record is only checked here, not decoded (that
 * waits for the page to render).
 */
static bool
pair_kept(const unsigned char *rec, size_t len, struct arena *scratch,
    bool *says)
{
	struct hcache_top t;
	struct val	*f;

	switch (hcache_top(rec, len, &t)) {
	case 1:
		return pair_top(&t, says);
	case 0:
		return false;
	}
	if (!pair_shape(f = hcache_decode(scratch, rec, len)))
		return false;
	*says = val_get(f, "says")->b;
	return true;
}

/* The record under key read into arena a, or NULL (absent, malformed). */
static struct val *
cached(struct hctx *h, const unsigned char *key, struct arena *a,
    bool (*shape)(const struct val *))
{
	const unsigned char *rec;
	struct val	*f;
	size_t		 len;

	if ((rec = hcache_get(h->cache, key, &len)) == NULL)
		return NULL;
	if (!shape(f = hcache_decode(a, rec, len)))
		return NULL;
	return f;
}

/* Keep f under key (unless made from a version that could not be read). */
static struct val *
keep(struct hctx *h, const unsigned char *key, struct val *f, bool store)
{
	if (!store)
		return f;
	buf_reset(&h->rec);
	hcache_encode(&h->rec, f);
	hcache_put(h->cache, key, h->rec.data, h->rec.len);
	return f;
}

/* What the stage needs of one version, in h->tmp. */
static struct val *
blob_facts(struct hctx *h, const unsigned char *blob)
{
	unsigned char	 key[HCACHE_KEY];
	struct version	*v;
	struct val	*f, *vl, *last, *l, *x;
	const char	*st;

	cache_key(key, 'b', blob, NULL);
	if ((f = cached(h, key, h->tmp, blob_shape)) != NULL)
		return f;
	v = version(h, blob);
	f = val_map(h->tmp);
	if ((st = v->fm ? val_get_str(v->fm, "status") : NULL) != NULL)
		val_set(h->tmp, f, "status", val_str(h->tmp, st));
	if (v->fm != NULL && (vl = val_get(v->fm, "values")) != NULL &&
	    vl->kind == VAL_LIST && vl->n > 0) {
		last = vl->items[vl->n - 1];
		l = val_map(h->tmp);
		if ((x = val_get(last, "date")) != NULL && x->kind == VAL_STR)
			val_set(h->tmp, l, "date", val_str(h->tmp, x->str));
		if ((x = val_get(last, "value")) != NULL && x->kind == VAL_STR)
			val_set(h->tmp, l, "value", val_str(h->tmp, x->str));
		if ((x = val_get(last, "rag")) != NULL && x->kind == VAL_STR)
			val_set(h->tmp, l, "rag", val_str(h->tmp, x->str));
		val_set(h->tmp, f, "last", l);
	}
	return keep(h, key, f, !v->missing);
}

static const char *
status_of(struct hctx *h, const unsigned char *blob)
{
	const char *st = val_get_str(blob_facts(h, blob), "status");

	return st != NULL ? st : "";
}

static struct val *field_changes(struct arena *, const struct val *,
		    const struct val *);
static struct val *word_diff(struct arena *, char *const *, size_t,
		    char *const *, size_t);

/* --- what changed, in words ---------------------------------------------- */

/* Names for fields whose key alone reads badly. */
static const char *const labels[][2] = {
	{ "due", "due date" },
	{ "approved_at", "approved at meeting" },
	{ "rag", "rating" },
	{ "exempt_reason", "reason for being exempt" },
};

/* "Due date" from "due": capitalised for the start of a sentence. */
static const char *
label(struct arena *a, const char *key, bool capital)
{
	char	*l = NULL, *c;
	size_t	 i;

	for (i = 0; i < sizeof(labels) / sizeof(*labels) && l == NULL; i++)
		if (strcmp(key, labels[i][0]) == 0)
			l = arena_strdup(a, labels[i][1]);
	if (l == NULL)
		l = arena_strdup(a, key);
	for (c = l; *c != '\0'; c++)
		if (*c == '_' || *c == '-')
			*c = ' ';
	if (capital && *l >= 'a' && *l <= 'z')
		*l = (char)(*l - 'a' + 'A');
	return l;
}

/* A scalar as a resident reads it: dates written out. */
static const char *
shown(struct arena *a, const struct val *v)
{
	struct date	 d;
	struct buf	 b;
	const char	*r;

	if (v == NULL)
		return "";
	if (v->kind == VAL_BOOL)
		return v->b ? "yes" : "no";
	if (v->kind == VAL_NUM)
		return arena_printf(a, "%g", v->num);
	if (v->kind != VAL_STR)
		return "";
	if (!text_parse_date(v->str, &d))
		return v->str;
	buf_init(&b);
	text_fmt_date(&b, &d, false);
	r = arena_strdup(a, b.data);
	buf_free(&b);
	return r;
}

static bool
scalar(const struct val *v)
{
	return v != NULL && (v->kind == VAL_STR || v->kind == VAL_NUM ||
	    v->kind == VAL_BOOL);
}

static bool
same_val(const struct val *x, const struct val *y)
{
	struct buf	a, b;
	bool		eq;

	buf_init(&a);
	buf_init(&b);
	canon(&a, x);
	canon(&b, y);
	eq = a.len == b.len && memcmp(a.data, b.data, a.len) == 0;
	buf_free(&a);
	buf_free(&b);
	return eq;
}

static bool
in_list(const struct val *l, const struct val *x)
{
	size_t	i;

	for (i = 0; l != NULL && l->kind == VAL_LIST && i < l->n; i++)
		if (same_val(l->items[i], x))
			return true;
	return false;
}

/* "A, B, C" of the scalars of list l not in list other. */
static const char *
only_in(struct arena *a, const struct val *l, const struct val *other,
    size_t *count)
{
	struct buf	 b;
	const char	*r;
	size_t		 i, n = 0;

	buf_init(&b);
	for (i = 0; l != NULL && l->kind == VAL_LIST && i < l->n; i++)
		if (!in_list(other, l->items[i])) {
			if (n++ > 0)
				buf_puts(&b, ", ");
			buf_puts(&b, shown(a, l->items[i]));
		}
	*count = n;
	r = arena_strdup(a, b.data);
	buf_free(&b);
	return r;
}

static bool
list_of(const struct val *v, bool maps)
{
	size_t	i;

	if (v == NULL || v->kind != VAL_LIST)
		return false;
	for (i = 0; i < v->n; i++)
		if (maps ? v->items[i]->kind != VAL_MAP : !scalar(v->items[i]))
			return false;
	return true;
}

/* "Action A-1" for an item of list key: its id, number, title or place. */
static const char *
item_name(struct arena *a, const char *key, const struct val *item, size_t i,
    bool capital)
{
	char		*sing = (char *)(uintptr_t)label(a, key, capital);
	const char	*id;
	size_t		 len = strlen(sing);

	if (len > 1 && sing[len - 1] == 's')
		sing[len - 1] = '\0';
	if ((id = val_get_str(item, "id")) == NULL &&
	    (id = val_get_str(item, "number")) == NULL &&
	    (id = val_get_str(item, "title")) == NULL)
		id = val_get_str(item, "name");
	return id != NULL ? arena_printf(a, "%s %s", sing, id) :
	    arena_printf(a, "%s %zu", sing, i + 1);
}

static void	field_changes_in(struct arena *, struct val *, const char *,
		    const struct val *, const struct val *);

static void
say(struct arena *a, struct val *out, const char *ctx, const char *l,
    const char *what)
{
	val_push(a, out, val_str(a, arena_printf(a, "%s%s %s", ctx, l, what)));
}

/*
 * One sentence (or more) for a field that differs between versions o and
 * n; ctx names where it is ("Item 5, action A-1: "), or is "".
 */
static void
field_change(struct arena *a, struct val *out, const char *ctx,
    const char *key, const struct val *o, const struct val *n)
{
	const char	*l = label(a, key, *ctx == '\0'), *add, *del, *from;
	struct date	 dn, dd;
	size_t		 na, nd, i;

	if (o == NULL && scalar(n))
		say(a, out, ctx, l, arena_printf(a, "set to %s", shown(a, n)));
	else if (o == NULL)
		say(a, out, ctx, l, "added");
	else if (n == NULL && scalar(o))
		say(a, out, ctx, l, arena_printf(a, "removed (it was %s)",
		    shown(a, o)));
	else if (n == NULL)
		say(a, out, ctx, l, "removed");
	else if (o->kind == VAL_STR && n->kind == VAL_STR &&
	    text_parse_date(o->str, &dd) && text_parse_date(n->str, &dn)) {
		from = shown(a, o);
		if (dd.year == dn.year)	/* "30 June to 30 September 2026" */
			from = arena_strndup(a, from, (size_t)(strrchr(from,
			    ' ') - from));
		say(a, out, ctx, l, arena_printf(a, "moved from %s to %s",
		    from, shown(a, n)));
	} else if (scalar(o) && scalar(n))
		say(a, out, ctx, l, arena_printf(a, "changed from %s to %s",
		    shown(a, o), shown(a, n)));
	else if (list_of(o, false) && list_of(n, false)) {
		add = only_in(a, n, o, &na);
		del = only_in(a, o, n, &nd);
		if (na > 0)
			say(a, out, ctx, l, arena_printf(a, "added: %s", add));
		if (nd > 0)
			say(a, out, ctx, l, arena_printf(a, "removed: %s", del));
		if (na == 0 && nd == 0)
			say(a, out, ctx, l, "put in a new order");
	} else if (list_of(o, true) && list_of(n, true) && o->n == n->n) {
		for (i = 0; i < n->n; i++)
			if (!same_val(o->items[i], n->items[i]))
				field_changes_in(a, out, arena_printf(a,
				    "%s%s: ", ctx, item_name(a, key,
				    n->items[i], i, *ctx == '\0')),
				    o->items[i], n->items[i]);
	} else if (list_of(o, true) && list_of(n, true)) {
		for (i = 0; i < n->n; i++)
			if (!in_list(o, n->items[i]))
				say(a, out, ctx, item_name(a, key, n->items[i],
				    i, *ctx == '\0'), "added");
		for (i = 0; i < o->n; i++)
			if (!in_list(n, o->items[i]))
				say(a, out, ctx, item_name(a, key, o->items[i],
				    i, *ctx == '\0'), "removed");
	} else if (o->kind == VAL_MAP && n->kind == VAL_MAP)
		field_changes_in(a, out, arena_printf(a, "%s%s: ", ctx, l), o,
		    n);
	else
		say(a, out, ctx, l, "changed");
}

/* Sentences for every field of map n that differs from map o. */
static void
field_changes_in(struct arena *a, struct val *out, const char *ctx,
    const struct val *o, const struct val *n)
{
	struct val	*x;
	size_t		 i;

	for (i = 0; n != NULL && n->kind == VAL_MAP && i < n->n; i++) {
		x = o != NULL && o->kind == VAL_MAP ? val_get(o,
		    n->pairs[i].key) : NULL;
		if (x == NULL || !same_val(x, n->pairs[i].v))
			field_change(a, out, ctx, n->pairs[i].key, x,
			    n->pairs[i].v);
	}
	for (i = 0; o != NULL && o->kind == VAL_MAP && i < o->n; i++)
		if (n == NULL || n->kind != VAL_MAP ||
		    val_get(n, o->pairs[i].key) == NULL)
			field_change(a, out, ctx, o->pairs[i].key,
			    o->pairs[i].v, NULL);
}

/* Plain-words sentences for every field that differs. */
static struct val *
field_changes(struct arena *a, const struct val *o, const struct val *n)
{
	struct val	*out = val_list(a);

	field_changes_in(a, out, "", o, n);
	return out;
}

/* Append a run of words to segments, merging with the last of its kind. */
static void
segment(struct arena *a, struct val *segs, const char *kind,
    char *const *w, size_t n, const char *before, const char *after)
{
	struct buf	 b;
	struct val	*seg;
	size_t		 i;

	if (n == 0 && before == NULL && after == NULL)
		return;
	buf_init(&b);
	if (before != NULL)
		buf_puts(&b, before);
	for (i = 0; i < n; i++) {
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, w[i]);
	}
	if (after != NULL) {
		if (b.len > 0)
			buf_putc(&b, ' ');
		buf_puts(&b, after);
	}
	seg = val_map(a);
	val_set(a, seg, "kind", val_str(a, kind));
	val_set(a, seg, "text", val_strn(a, b.data, b.len));
	val_push(a, segs, seg);
	buf_free(&b);
}

/* Unchanged words between changes: a little context either side. */
static void
same_run(struct arena *a, struct val *segs, char *const *w, size_t n,
    bool first, bool last)
{
	if (n == 0)
		return;
	if (first && last)
		return;		/* nothing changed around it */
	if (first) {
		if (n > WORDS_CONTEXT)
			segment(a, segs, "same", w + n - WORDS_CONTEXT,
			    WORDS_CONTEXT, "…", NULL);
		else
			segment(a, segs, "same", w, n, NULL, NULL);
	} else if (last) {
		if (n > WORDS_CONTEXT)
			segment(a, segs, "same", w, WORDS_CONTEXT, NULL, "…");
		else
			segment(a, segs, "same", w, n, NULL, NULL);
	} else if (n > 2 * WORDS_CONTEXT) {
		segment(a, segs, "same", w, WORDS_CONTEXT, NULL, NULL);
		segment(a, segs, "gap", NULL, 0, "…", NULL);
		segment(a, segs, "same", w + n - WORDS_CONTEXT, WORDS_CONTEXT,
		    NULL, NULL);
	} else
		segment(a, segs, "same", w, n, NULL, NULL);
}

/*
 * The words inserted and deleted between two versions' rendered text,
 * as segments {kind: same, added, removed or gap; text}.  The longest
 * common subsequence of words after trimming the common ends; when
 * that would be too large to work out, the middle is shown replaced.
 */
static struct val *
word_diff(struct arena *a, char *const *ow, size_t on, char *const *nw,
    size_t nn)
{
	struct val	*segs = val_list(a);
	size_t		 pre = 0, suf = 0, m, n, i, j, si, sj;
	uint32_t	*t;

	while (pre < on && pre < nn && strcmp(ow[pre], nw[pre]) == 0)
		pre++;
	while (suf < on - pre && suf < nn - pre &&
	    strcmp(ow[on - 1 - suf], nw[nn - 1 - suf]) == 0)
		suf++;
	if (pre == on && pre == nn)
		return segs;		/* the same words */
	same_run(a, segs, ow, pre, true, false);
	m = on - pre - suf;
	n = nn - pre - suf;
	ow += pre;
	nw += pre;
	if ((m + 1) * (n + 1) > LCS_MAX_CELLS) {
		segment(a, segs, "removed", ow, m, NULL, NULL);
		segment(a, segs, "added", nw, n, NULL, NULL);
	} else {
		/* t[i][j]: LCS length of ow[i..m) and nw[j..n) */
		t = xcalloc((m + 1) * (n + 1), sizeof(*t));
		for (i = m; i-- > 0;)
			for (j = n; j-- > 0;)
				t[i * (n + 1) + j] = strcmp(ow[i], nw[j]) == 0
				    ? t[(i + 1) * (n + 1) + j + 1] + 1 :
				    t[(i + 1) * (n + 1) + j] >
				    t[i * (n + 1) + j + 1] ?
				    t[(i + 1) * (n + 1) + j] :
				    t[i * (n + 1) + j + 1];
		i = j = 0;
		while (i < m || j < n) {
			si = i;
			while (i < m && j < n && strcmp(ow[i], nw[j]) == 0)
				i++, j++;
			same_run(a, segs, ow + si, i - si, false, false);
			si = i;
			sj = j;
			while (i < m && (j == n || (strcmp(ow[i], nw[j]) != 0 &&
			    t[(i + 1) * (n + 1) + j] >= t[i * (n + 1) + j +
			    1])))
				i++;
			while (j < n && (i == m || (strcmp(ow[i], nw[j]) != 0 &&
			    t[i * (n + 1) + j + 1] > t[(i + 1) * (n + 1) +
			    j])))
				j++;
			segment(a, segs, "removed", ow + si, i - si, NULL,
			    NULL);
			segment(a, segs, "added", nw + sj, j - sj, NULL, NULL);
		}
		free(t);
	}
	same_run(a, segs, nw + n, suf, false, true);
	return segs;
}

/*
 * Revision k's facts, from the version before (blob prev) to its own
 * (blob cur), as a record in arena keep_in: the versions cache's when
 * it holds one of the right shape, else worked out (in arena scratch)
 * and encoded.
 */
static void
pair_record(struct hctx *h, const unsigned char *prev,
    const unsigned char *cur, struct arena *keep_in, struct arena *scratch,
    struct pre *out)
{
	unsigned char	 key[HCACHE_KEY];
	const unsigned char *rec;
	struct version	*o, *n;
	struct val	*f;
	size_t		 len;
	unsigned char	*copy;

	cache_key(key, 'p', prev, cur);
	if ((rec = hcache_peek(h->cache, key, &len)) != NULL &&
	    pair_kept(rec, len, scratch, &out->says))
		out->hit = true;
	else {
		o = version(h, prev);
		n = version(h, cur);
		f = val_map(scratch);
		val_set(scratch, f, "says", val_bool(scratch,
		    strcmp(o->says, n->says) != 0));
		if (strcmp(n->norm, o->norm) == 0)
			val_set(scratch, f, "layout_only", val_bool(scratch,
			    true));
		else {
			val_set(scratch, f, "fields", field_changes(scratch,
			    o->fm, n->fm));
			val_set(scratch, f, "text", word_diff(scratch, o->words,
			    o->nwords, n->words, n->nwords));
		}
		buf_reset(&h->rec);
		hcache_encode(&h->rec, f);
		rec = (const unsigned char *)h->rec.data;
		len = h->rec.len;
		out->store = !o->missing && !n->missing;
		out->says = strcmp(o->says, n->says) != 0;
	}
	copy = arena_alloc(keep_in, len);
	memcpy(copy, rec, len);
	out->rec = copy;
	out->len = len;
}

/* The records of every revision of a file after its first, in arena a. */
static struct pre *
page_records(struct hctx *h, const struct src_rev *revs, size_t n,
    struct arena *a)
{
	struct pre	*pre = arena_alloc(a, n * sizeof(*pre));	/* zeroed */
	struct arena	*scratch = arena_new();
	size_t		 k;

	for (k = 1; k < n; k++)
		pair_record(h, revs[k - 1].blob, revs[k].blob, a, scratch,
		    &pre[k]);
	arena_free(scratch);
	return pre;
}

/*
 * A revision page's versions as the stage leaves them: the records its
 * workers made are marked used in the cache or added to it, in page
 * order, and the page keeps them to decode when it renders.
 */
static const struct page_versions *
page_versions(struct hctx *h, struct pre *pre, const struct src_rev *revs,
    size_t n, long approving)
{
	struct page_versions *pv;
	unsigned char	 key[HCACHE_KEY];
	size_t		 k, len;

	for (k = 1; k < n; k++) {
		cache_key(key, 'p', revs[k - 1].blob, revs[k].blob);
		if (pre[k].hit)
			(void)hcache_get(h->cache, key, &len); /* marks it used */
		else if (pre[k].store)
			hcache_put(h->cache, key, pre[k].rec, pre[k].len);
	}
	pv = arena_alloc(h->s->arena, sizeof(*pv));
	pv->revs = revs;
	pv->n = n;
	pv->approving = approving;
	pv->messages = h->messages;
	pv->pre = pre;
	return pv;
}

/*
 * The versions of a revision page, newest first: number, time, date,
 * commit, commit_short, message (when the site shows commit messages),
 * fields (sentences), text (word segments), layout_only (only line
 * endings or spacing changed), approval (the version that marked the
 * minutes approved).
 */
struct val *
history_versions(struct arena *a, const struct page *p)
{
	const struct page_versions *pv = p->versions;
	struct val	*l = val_list(a), *v, *f;
	size_t		 k;

	for (k = pv != NULL ? pv->n : 0; k-- > 0;) {
		v = val_map(a);
		val_set(a, v, "number", val_num(a, (double)(k + 1)));
		val_set(a, v, "time", iso_time(a, pv->revs[k].time));
		val_set(a, v, "date", iso_date(a, pv->revs[k].time));
		val_set(a, v, "commit", val_str(a, pv->revs[k].commit));
		val_set(a, v, "commit_short", val_strn(a, pv->revs[k].commit,
		    12));
		if (pv->messages)
			val_set(a, v, "message", val_str(a,
			    pv->revs[k].summary));
		if (k > 0) {
			/*
			 * Of the right shape: checked when it was kept, or
			 * encoded from what the stage made.
			 */
			f = hcache_decode(a, pv->pre[k].rec, pv->pre[k].len);
			val_set(a, v, "changed", val_bool(a, true));
			if (f == NULL) {	/* cannot be; never a wrong claim */
				f = val_list(a);
				val_push(a, f, val_str(a, "What changed in this "
				    "version could not be worked out"));
				val_set(a, v, "fields", f);
			} else if (val_get(f, "layout_only") != NULL)
				val_set(a, v, "layout_only", val_bool(a, true));
			else {
				val_set(a, v, "fields", val_get(f, "fields"));
				val_set(a, v, "text", val_get(f, "text"));
			}
			if ((long)k == pv->approving)
				val_set(a, v, "approval", val_bool(a, true));
		}
		val_push(a, l, v);
	}
	return l;
}

void
history_feed(struct sha256 *c, const struct page *p)
{
	const struct page_versions *pv = p->versions;
	size_t		 k;
	long		 head[3];

	if (pv == NULL)
		return;
	head[0] = (long)pv->n;
	head[1] = pv->approving;
	head[2] = pv->messages;
	sha256_update(c, head, sizeof(head));
	for (k = 0; k < pv->n; k++) {
		sha256_update(c, pv->revs[k].commit, sizeof(pv->revs[k].commit));
		sha256_update(c, &pv->revs[k].time, sizeof(pv->revs[k].time));
		if (pv->messages)
			sha256_update(c, pv->revs[k].summary,
			    strlen(pv->revs[k].summary) + 1);
		if (k > 0) {
			sha256_update(c, &pv->pre[k].len, sizeof(pv->pre[k].len));
			sha256_update(c, pv->pre[k].rec, pv->pre[k].len);
		}
	}
}

/* --- measures -------------------------------------------------------------- */

/*
 * A measure's figures as they were published: for each version of its
 * file, the latest value and rating it gave.  Shows when a figure was
 * revised after publication.
 */
static void
measure_history(struct hctx *h, struct page *p, const struct src_rev *revs,
    size_t n)
{
	struct arena	*a = h->s->arena;
	struct val	*out = val_list(a), *last, *row, *v;
	size_t		 k;

	for (k = 0; k < n; k++) {
		if ((last = val_get(blob_facts(h, revs[k].blob), "last")) ==
		    NULL)
			continue;
		row = val_map(a);
		val_set(a, row, "published", iso_date(a, revs[k].time));
		val_set(a, row, "commit", val_str(a, revs[k].commit));
		if ((v = val_get(last, "date")) != NULL && v->kind == VAL_STR)
			val_set(a, row, "date", val_str(a, v->str));
		if ((v = val_get(last, "value")) != NULL && v->kind == VAL_STR)
			val_set(a, row, "value", val_str(a, v->str));
		if ((v = val_get(last, "rag")) != NULL && v->kind == VAL_STR)
			val_set(a, row, "rag", val_str(a, v->str));
		val_push(a, out, row);
	}
	val_set(a, p->data, "published_values", out);
}

/* --- the stage --------------------------------------------------------------- */

/*
 * The revision that approved minutes: the first whose status is
 * approved after one whose status was not.  -1 if none.
 */
static long
approving_rev(struct hctx *h, const struct src_rev *revs, size_t n)
{
	size_t	k;

	for (k = 1; k < n; k++)
		if (strcmp(status_of(h, revs[k].blob), "approved") == 0 &&
		    strcmp(status_of(h, revs[k - 1].blob), "approved") != 0)
			return (long)k;
	return -1;
}

/*
 * When meeting m was over, in seconds since 1970: at its end time when
 * its page gives one after its start, else at the end of its day (both
 * in England), as the calendar takes it.
 */
static int64_t
meeting_over(const struct page *m)
{
	const struct date *d = &m->date;
	int64_t		 day = (int64_t)text_days(d) * 86400;
	int		 from, min;

	site_meeting_times(m, &from, &min);
	if (min < 0)		/* 23:59:59 */
		return day + 1439 * 60 + 59 - (int64_t)tz_offset(d, 1439) *
		    60;
	return day + (int64_t)min * 60 - (int64_t)tz_offset(d, min) * 60;
}

/*
 * Whether a revision after meeting m was over changed what the content
 * says (its text or fields other than its state), other than the
 * revision skip.
 */
static bool
changed_after(const struct pre *pre, const struct src_rev *revs, size_t n,
    const struct page *m, long skip)
{
	int64_t		over = meeting_over(m);
	size_t		k;

	for (k = 1; k < n; k++) {
		if (revs[k].time <= over || (long)k == skip)
			continue;
		if (pre[k].says)
			return true;
	}
	return false;
}

/* The site's extra days off (configuration "holidays"), as day numbers. */
static long *
extra_holidays(const struct site *s, size_t *n)
{
	const struct val *l = val_get(s->config, "holidays");
	struct date	 d;
	long		*out;
	size_t		 i;

	*n = 0;
	if (l == NULL || l->kind != VAL_LIST)
		return NULL;
	out = xcalloc(l->n + 1, sizeof(*out));
	for (i = 0; i < l->n; i++)
		if (l->items[i]->kind == VAL_STR &&
		    text_parse_date(l->items[i]->str, &d))
			out[(*n)++] = text_days(&d);
	return out;
}

/* --- the timeliness report, by year ---------------------------------------- */

static int
year_of(const struct val *tl)
{
	const char	*d = val_get_str(tl, "date");
	struct date	 dt;

	return d != NULL && text_parse_date(d, &dt) ? dt.year : 0;
}

/*
 * The report (newest first) a page a year, timeliness/YEAR/, with the
 * same template: one page of every paper ever would grow without end
 * (3.7 MB at 10,000 pages; over the 16 MiB a template may write at
 * 100,000).  The report's own page shows the latest year and, like
 * every year's page, a line a year: lists.timeliness_years {year, url,
 * title, meetings, papers, on_time, late}.  lists.timeliness stays the
 * whole report.
 */
static void
timeliness_years(struct site *s, struct page *main, struct val *report)
{
	struct arena	*a = s->arena;
	struct val	*years = val_list(a), *ml = NULL, *row = NULL;
	struct page	*yp;
	size_t		 i, papers, late;
	int		 y, cur = -1;

	for (i = 0; i < report->n; i++) {
		if ((y = year_of(report->items[i])) <= 0)
			continue;
		if (y != cur) {
			cur = y;
			yp = site_add_listing(s, arena_printf(a,
			    "timeliness/%d", y), arena_printf(a,
			    "timeliness/%d/", y), arena_printf(a, "Publication "
			    "of papers for meetings in %d: timeliness report",
			    y), "timeliness.html");
			yp->parent = main;
			ml = val_list(a);
			val_set(a, yp->data, "year", val_num(a, y));
			val_set(a, yp->data, "meetings", ml);
			val_set(a, yp->data, "required", val_get(main->data,
			    "required"));
			val_set(a, yp->data, "holidays_from",
			    val_get(main->data, "holidays_from"));
			val_set(a, yp->data, "holidays_to",
			    val_get(main->data, "holidays_to"));
			if (val_get(main->data, "extra_holidays") != NULL)
				val_set(a, yp->data, "extra_holidays",
				    val_get(main->data, "extra_holidays"));
			row = site_ref(s, yp);
			val_set(a, row, "year", val_num(a, y));
			val_set(a, row, "meetings", val_num(a, 0));
			val_set(a, row, "papers", val_num(a, 0));
			val_set(a, row, "on_time", val_num(a, 0));
			val_set(a, row, "late", val_num(a, 0));
			val_push(a, years, row);
			if (years->n == 1) {	/* the latest, on the report */
				val_set(a, main->data, "year", val_num(a, y));
				val_set(a, main->data, "meetings", ml);
			}
		}
		val_push(a, ml, report->items[i]);
		papers = val_get(report->items[i], "papers")->n;
		late = (size_t)val_get(report->items[i], "late")->num;
		val_get(row, "meetings")->num++;
		val_get(row, "papers")->num += (double)papers;
		val_get(row, "on_time")->num += (double)(papers - late);
		val_get(row, "late")->num += (double)late;
	}
	val_set(a, s->lists, "timeliness_years", years);
}

/* --- revisions worked out ahead ------------------------------------------ */

struct ahead {
	struct hctx	*main;
	atomic_size_t	*next;
	struct arena	*arena;		/* the facts: kept with the site */
	struct hctx	 h;		/* this thread's */
};

static void *
ahead_worker(void *arg)
{
	struct ahead	*t = arg;
	struct hctx	*h = &t->h;
	struct site	*s = h->s;
	const struct src_rev *revs;
	struct page	*p;
	size_t		 i, n;

	while ((i = atomic_fetch_add(t->next, 1)) < s->npages) {
		p = s->pages[i];
		if (p->src_index < 0)
			continue;
		revs = src_revisions(s->src, (size_t)p->src_index, &n);
		if (n < 2)
			continue;
		/* Only this thread has i. */
		t->main->pre[i] = page_records(h, revs, n, t->arena);
	}
	return NULL;
}

static void
free_versions(struct hctx *h)
{
	size_t	i;

	for (i = 0; i < h->nslots; i++)
		if (h->vs[i] != NULL)
			free(h->vs[i]->words);
	free(h->vs);
	h->vs = NULL;
	h->nslots = h->nvs = 0;
}

/*
 * Work out every revision's facts on all threads: reading old versions
 * from git, rendering and comparing them, or decoding them from the
 * versions cache is most of the stage.  Each thread has its own
 * reader, versions and scratch; the cache is only read.
 */
static void
work_ahead(struct hctx *h)
{
	struct site	*s = h->s;
	struct ahead	 th[64];
	atomic_size_t	 next = 0;
	int		 i, n = par_threads(s->jobs, s->npages, 64);

	h->pre = xcalloc(s->npages ? s->npages : 1, sizeof(*h->pre));
	s->load_arenas = xreallocarray(s->load_arenas, s->nload_arenas +
	    (size_t)n, sizeof(*s->load_arenas));
	for (i = 0; i < n; i++) {
		memset(&th[i], 0, sizeof(th[i]));
		th[i].main = h;
		th[i].next = &next;
		th[i].arena = s->load_arenas[s->nload_arenas++] = arena_new();
		th[i].h.s = s;
		th[i].h.cache = h->cache;
		th[i].h.unread = h->unread;
		th[i].h.tmp = arena_new();
		th[i].h.rd = src_reader_open(s->src);
		buf_init(&th[i].h.rec);
		diag_init(&th[i].h.quiet, NULL);
		th[i].h.quiet.quiet = 1;
	}
	par_run(ahead_worker, th, sizeof(th[0]), n);
	for (i = 0; i < n; i++) {
		free_versions(&th[i].h);
		src_reader_close(th[i].h.rd);
		buf_free(&th[i].h.rec);
		diag_free(&th[i].h.quiet);
		arena_free(th[i].h.tmp);
	}
}

struct history_cache {
	char		*path;
	struct hcache	*cache;
	pthread_t	 th;
	bool		 threaded;
};

static void *
cache_reader(void *arg)
{
	struct history_cache *hc = arg;

	hc->cache = hcache_open(hc->path);
	return NULL;
}

struct history_cache *
history_cache_begin(const struct site *s, const char *cachedir)
{
	struct history_cache *hc = xcalloc(1, sizeof(*hc));

	hc->path = src_cache_file(s->src, cachedir, "versions");
	hc->threaded = pthread_create(&hc->th, NULL, cache_reader, hc) == 0;
	if (!hc->threaded)
		cache_reader(hc);
	return hc;
}

/* The cache, read; hc is freed. */
static struct hcache *
cache_take(struct history_cache *hc)
{
	struct hcache	*c;

	if (hc->threaded)
		pthread_join(hc->th, NULL);
	c = hc->cache;
	free(hc->path);
	free(hc);
	return c;
}

void
history_cache_end(struct history_cache *hc)
{
	if (hc != NULL)
		hcache_discard(cache_take(hc));
}

/* --- when a paper became public ----------------------------------------- */

/*
 * A paper is published only once an agenda item of its meeting that is
 * not exempt names it (or it names its item), or while the meeting has
 * no agenda: site.c and publish.c decide so for the current files.  A
 * version of a paper committed while it was not so (before it was
 * listed, or while it was off the agenda) was not on the website: it
 * was published when a later commit listed it, or never.  Each (paper
 * version, meeting version) pair is judged from the two files' front
 * matter as committed, and the answer is kept in the versions cache.
 */

/* The front matter of an old version, in a; NULL if it has none. */
static struct val *
old_fm(struct hctx *h, struct arena *a, const unsigned char *blob,
    bool *read)
{
	const char	*fmtext, *body;
	char		*text;
	size_t		 len, fmlen, bodylen;
	int		 fmline, bodyline;
	struct val	*fm = NULL;

	*read = false;
	if ((text = src_read_blob(h->s->src, blob, &len)) == NULL) {
		if (len == 0)
			note_unread(h, blob);
		return NULL;
	}
	*read = true;
	if (fm_split(text, len, &fmtext, &fmlen, &fmline, &body, &bodylen,
	    &bodyline) == 0 && fmlen > 0)
		fm = fm_parse(a, "", fmtext, fmlen, fmline, &h->quiet);
	free(text);
	return fm != NULL && fm->kind == VAL_MAP ? fm : NULL;
}

/*
 * Whether an agenda item as committed withheld its papers: 'exempt'
 * that is not a plain false.  A quoted "true" failed the build, which
 * published nothing either.
 */
static bool
withholds(const struct val *it)
{
	const struct val *ex = val_get(it, "exempt");

	return ex != NULL && !(ex->kind == VAL_STR && !ex->quoted &&
	    strcmp(ex->str, "false") == 0);
}

/*
 * Whether a paper with front matter pfm was public under meeting mfm, as
 * site.c and publish_paper() decide for the current files: not for an
 * exempt item, and not when they would have failed the build.
 */
static bool
was_public(const struct val *pfm, const struct val *mfm, const char *slug)
{
	const struct val *agenda = val_get(mfm, "agenda");
	const char	*item = val_get_str(pfm, "item");
	struct listing	 l;

	if (publish_exempt_item(agenda, item, slug, withholds) != NULL)
		return false;
	publish_listing(agenda, item, slug, &l);
	return publish_listed(&l, item) == 1;
}

/*
 * was_public for two versions, from the cache or from git: 1 or 0, or -1
 * when git could not give one (the build fails, naming its file).
 */
static int
pair_public(struct hctx *h, const unsigned char *paper,
    const unsigned char *meeting, const char *slug)
{
	unsigned char	 key[HCACHE_KEY], id[32];
	struct sha256	 c;
	struct val	*f, *pfm, *mfm;
	const struct val *v;
	const unsigned char *rec;
	size_t		 len;
	bool		 rp, rm;
	int		 yes;
	long		 errs;

	/* The slug decides too: it is hashed with the paper's blob. */
	sha256_init(&c);
	sha256_update(&c, paper, 20);
	sha256_update(&c, slug, strlen(slug));
	sha256_final(&c, id);
	cache_key(key, 'l', id, meeting);
	/* In the stage's scratch, freed with it. */
	if ((rec = hcache_get(h->cache, key, &len)) != NULL &&
	    (f = hcache_decode(h->tmp, rec, len)) != NULL &&
	    f->kind == VAL_MAP && (v = val_get(f, "public")) != NULL &&
	    v->kind == VAL_BOOL)
		return v->b;
	pfm = old_fm(h, h->tmp, paper, &rp);
	mfm = old_fm(h, h->tmp, meeting, &rm);
	if (!rp || !rm)
		return -1;
	yes = was_public(pfm, mfm, slug);
	/*
	 * Front matter the build refuses (a field of the wrong kind in
	 * any item, a quoted "true", an item numbered twice, an exempt
	 * item without its reason) failed that commit's build: nothing
	 * was published by it.
	 */
	if (yes && ((mfm != NULL && schema_check(content_schema(PAGE_MEETING),
	    h->tmp, mfm, &h->quiet) != 0) || (pfm != NULL &&
	    schema_check(content_schema(PAGE_PAPER), h->tmp, pfm,
	    &h->quiet) != 0)))
		yes = false;
	if (yes && mfm != NULL) {
		errs = h->quiet.errors;
		site_agenda_check(val_get(mfm, "agenda"), &h->quiet);
		yes = h->quiet.errors == errs;
	}
	f = val_map(h->tmp);
	val_set(h->tmp, f, "public", val_bool(h->tmp, yes));
	(void)keep(h, key, f, true);
	return yes;
}

/* The meeting revision in effect at branch place seq: index, or nm (none). */
static size_t
meeting_at(const struct src_rev *mr, size_t nm, size_t seq)
{
	size_t	j = 0;

	while (j < nm && mr[j].seq <= seq)
		j++;
	return j > 0 ? j - 1 : nm;
}

/*
 * Keep of paper p's versions those that were public, each dated when it
 * was made public: by its own commit, or later by the meeting's commit
 * that listed it.  A version never public while it was current (a draft
 * before the paper was listed, or an edit while it was off the agenda)
 * is dropped.  Judged in the order of the commits on the branch, not by
 * their dates, which can tie.
 */
/* The start of day d in England, as a time. */
static int64_t
day_start(const struct date *d)
{
	return (int64_t)text_days(d) * 86400 - (int64_t)tz_offset(d, 0) * 60;
}

/*
 * A news post is not published before its date (site.c leaves it out
 * of a build before it), so each version was public from the later of
 * its commit and the start of the date it gave, in England: a version
 * replaced before then was never public, and one re-dated to a later
 * day was public from its commit all the same.  The versions are given
 * again with those times (src_set_revisions); old versions' dates are
 * read from git.
 */
static void
news_from(struct hctx *h, struct page *p)
{
	const struct src_rev *pr;
	struct src_rev	*out;
	const struct val *fm;
	struct date	 dt;
	int64_t		 from;
	size_t		 np, k, cnt = 0;
	bool		 same = true, read, dated;

	if (p->kind != PAGE_NEWS || p->src_index < 0)
		return;
	pr = src_revisions(h->s->src, (size_t)p->src_index, &np);
	if (np == 0 || (np == 1 && (!p->has_date ||
	    pr[0].time >= day_start(&p->date))))
		return;
	out = xcalloc(np, sizeof(*out));
	for (k = 0; k < np; k++) {
		if (k + 1 == np) {
			dated = p->has_date;
			dt = p->date;
		} else {
			fm = old_fm(h, h->tmp, pr[k].blob, &read);
			dated = val_get_str(fm, "date") != NULL &&
			    text_parse_date(val_get_str(fm, "date"), &dt);
		}
		from = dated && day_start(&dt) > pr[k].time ? day_start(&dt) :
		    pr[k].time;
		if (k + 1 < np && from >= pr[k + 1].time) {
			same = false;	/* replaced before its day */
			continue;
		}
		if (cnt > 0 && memcmp(out[cnt - 1].blob, pr[k].blob, 20) == 0) {
			same = false;	/* public again as it was */
			continue;
		}
		out[cnt] = pr[k];
		if (from != pr[k].time) {
			out[cnt].time = from;
			same = false;
		}
		cnt++;
	}
	if (same || cnt == 0) {
		free(out);
		return;
	}
	src_set_revisions(h->s->src, (size_t)p->src_index, out, cnt);
}

static void
publish_from(struct hctx *h, struct page *p)
{
	struct site	*s = h->s;
	const struct page *m = p->parent;
	const struct src_rev *pr, *mr, *by;
	const char	*slug = val_get_str(p->data, "slug");
	struct src_rev	*out;
	size_t		 np, nm, j, nj, k, cnt = 0, next;
	bool		 same = true, tree;
	int		 pub = 0;

	if (p->kind != PAGE_PAPER || !site_public(p) || m == NULL ||
	    m->src_index < 0 || p->src_index < 0 || slug == NULL)
		return;
	pr = src_revisions(s->src, (size_t)p->src_index, &np);
	mr = src_revisions(s->src, (size_t)m->src_index, &nm);
	if (np == 0)
		return;
	/*
	 * One version, under a meeting unchanged since: public then as now
	 * (not so for the working tree, whose files may be uncommitted).
	 */
	tree = strcmp(src_commit(s->src), "worktree") == 0;
	if (np == 1 && nm > 0 && mr[nm - 1].seq <= pr[0].seq && !tree)
		return;
	out = xcalloc(np, sizeof(*out));
	for (k = 0; k < np; k++) {
		pub = 0;
		next = k + 1 < np ? pr[k + 1].seq : SIZE_MAX;
		/* Each meeting version while version k was current. */
		for (j = meeting_at(mr, nm, pr[k].seq);; j = nj) {
			if (j != nm && (pub = pair_public(h, pr[k].blob,
			    mr[j].blob, slug)) != 0)
				break;
			nj = j == nm ? 0 : j + 1;
			if (nj >= nm || mr[nj].seq >= next)
				break;
		}
		if (pub == -1) {	/* reported: leave the history */
			free(out);
			return;
		}
		if (pub == 0)
			continue;	/* never public: not a version */
		if (cnt > 0 && memcmp(out[cnt - 1].blob, pr[k].blob, 20) == 0)
			continue;	/* public again as it was */
		out[cnt] = pr[k];
		if (j < nm && mr[j].seq > pr[k].seq) {	/* listed later */
			by = &mr[j];
			out[cnt].time = by->time;
			out[cnt].seq = by->seq;
			memcpy(out[cnt].commit, by->commit,
			    sizeof(out[cnt].commit));
			out[cnt].summary = by->summary;
		}
		if (out[cnt].seq != pr[k].seq || cnt != k)
			same = false;
		cnt++;
	}
	if (same && cnt == np) {
		free(out);
		return;
	}
	/*
	 * Never public as judged: public now by what is not judged here (a
	 * hook), so as it was; or, building the working tree, listed only
	 * in files not yet committed, so not published yet.
	 */
	if (cnt == 0 && !tree) {
		free(out);
		return;
	}
	src_set_revisions(s->src, (size_t)p->src_index, out, cnt);
}

/* Meeting m's timeliness record, made and listed in report if new. */
static struct val *
meeting_timeliness(struct site *s, struct page *m, long need,
    struct val *report)
{
	struct arena	*a = s->arena;
	struct val	*tl;

	if ((tl = val_get(m->data, "timeliness")) != NULL)
		return tl;
	tl = val_map(a);
	val_set(a, tl, "meeting", site_ref(s, m));
	val_set(a, tl, "date", val_get(m->fm, "date"));
	val_set(a, tl, "required", val_num(a, (double)need));
	val_set(a, tl, "papers", val_list(a));
	val_set(a, tl, "late", val_num(a, 0));
	val_set(a, m->data, "timeliness", tl);
	val_push(a, report, tl);
	return tl;
}

/*
 * Whether an agenda item's 'papers:' lists slug in meeting revision mc
 * (a deletion lists nothing): then deleting the paper fails the build.
 */
static bool
agenda_lists(struct hctx *h, const struct src_rev *mc, const char *slug)
{
	struct val	*fm;
	struct listing	 l;
	bool		 read;

	if (src_rev_gone(mc) || (fm = old_fm(h, h->tmp, mc->blob, &read)) ==
	    NULL)
		return false;
	publish_listing(val_get(fm, "agenda"), NULL, slug, &l);
	return l.lister != NULL;
}

/* Meeting m's revisions with its own deletions, when it has any. */
static const struct src_rev *
meeting_changes(const struct site *s, const struct page *m, size_t *n)
{
	const struct src_rev *r;

	if ((r = src_all(s->src, (size_t)m->src_index, n)) == NULL)
		r = src_revisions(s->src, (size_t)m->src_index, n);
	return r;
}

/*
 * The meeting on the site that a file gone from meetings/ID/ was in,
 * with the file's name there (in h->tmp); NULL if none.
 */
static struct page *
gone_meeting(struct hctx *h, const char *path, const char **name)
{
	const char	*rest = path + strlen("meetings/"), *slash;
	struct page	*m;

	if ((slash = strchr(rest, '/')) == NULL)
		return NULL;
	m = site_find(h->s, PAGE_MEETING, arena_strndup(h->tmp, rest,
	    (size_t)(slash - rest)));
	*name = slash + 1;
	return m != NULL && m->src_index >= 0 && site_public(m) ? m : NULL;
}

/*
 * When a paper deleted since (g: its revisions and deletions) was on
 * the website, under its meeting's revisions (mr, or ma with the
 * meeting file's own deletions when it has any), at each change of
 * either, in branch order.  The paper is public while its file and the
 * meeting's are there and the meeting names it (pair_public).  A
 * commit whose build could not have been made publishes nothing: the
 * paper deleted while an agenda item's 'papers:' still lists it, or
 * present without its meeting's file.  The spans it was public go in
 * span (pairs of times, at most nspan), with the paper version last
 * public.  span has room for one a change (g->n + nm).  Returns the
 * number of spans, or -1 when git could not give a version (reported).
 */

static int
gone_spans(struct hctx *h, const struct src_gone *g, const struct src_rev *mr,
    size_t nm, const char *slug, int64_t (*span)[2], size_t *lastpub)
{
	const struct src_rev *pa = g->revs, *pc = NULL, *mc = NULL, *ev;
	size_t		 i = 0, j = 0, nspan = 0;
	bool		 pub = false, now;
	int		 yes;

	while (i < g->n || j < nm) {
		/* The next change: the paper's, the meeting's, or both. */
		if (j >= nm || (i < g->n && pa[i].seq <= mr[j].seq)) {
			ev = &pa[i];
			pc = &pa[i++];
			if (j < nm && mr[j].seq == ev->seq)
				mc = &mr[j++];
		} else {
			ev = &mr[j];
			mc = &mr[j++];
		}
		if (pc == NULL)
			continue;	/* no paper yet */
		now = pub;
		if (src_rev_gone(pc))	/* kept when the build failed */
			now = mc != NULL && agenda_lists(h, mc, slug) && pub;
		else if (mc != NULL && !src_rev_gone(mc)) {
			if ((yes = pair_public(h, pc->blob, mc->blob, slug)) ==
			    -1)
				return -1;
			now = yes == 1;
			if (now)
				*lastpub = (size_t)(pc - pa);
		}		/* else no meeting: build failed */
		if (now == pub)
			continue;
		if (now) {
			span[nspan][0] = ev->time;
			span[nspan++][1] = INT64_MAX;
		} else if (!now && nspan > 0 && span[nspan - 1][1] ==
		    INT64_MAX)
			span[nspan - 1][1] = ev->time;
		pub = now;
	}
	if (nspan > 0 && span[nspan - 1][1] == INT64_MAX)
		span[nspan - 1][1] = pa[g->n - 1].time;
	return (int)nspan;
}

/*
 * Minutes deleted and not added back (g), of a meeting on the site: the
 * meeting says when they were first published and when taken off
 * (removed_minutes), rather than that it has none yet.  Minutes are
 * public while their file is there.
 */
static void
removed_minutes(struct hctx *h, const struct src_gone *g)
{
	struct arena	*a = h->s->arena;
	const struct src_rev *first = NULL, *del = &g->revs[g->n - 1];
	const char	*name;
	struct page	*m;
	struct val	*rec;
	size_t		 k;

	if ((m = gone_meeting(h, g->path, &name)) == NULL ||
	    site_find(h->s, PAGE_MINUTES, m->id) != NULL)
		return;
	for (k = 0; k < g->n && first == NULL; k++)
		if (!src_rev_gone(&g->revs[k]))
			first = &g->revs[k];
	if (first == NULL)
		return;
	rec = val_map(a);
	val_set(a, rec, "published", iso_time(a, first->time));
	val_set(a, rec, "published_date", iso_date(a, first->time));
	val_set(a, rec, "removed", iso_time(a, del->time));
	val_set(a, rec, "removed_date", iso_date(a, del->time));
	val_set(a, rec, "deleted_commit", val_str(a, del->commit));
	val_set(a, m->data, "removed_minutes", rec);
}

/*
 * Papers of a meeting on the site whose files were deleted and not added
 * again, and which had been public: the meeting lists each
 * (removed_papers: title, when first published, when taken off the
 * website, when its file was deleted).  One public through the
 * meeting's day was a paper of the meeting, so the timeliness report
 * counts it as the others, from when that spell on the website began
 * (or a date declared with 'published', before it); one taken off by
 * then was withdrawn.  One never public (never listed, or an exempt
 * item's) is not named.
 */
static void
removed_papers(struct hctx *h, struct workdays *wd, long need,
    struct val *report)
{
	struct site	*s = h->s;
	struct arena	*a = s->arena;
	const struct src_gone *g;
	const struct src_rev *mr, *del;
	const char	*name, *title, *decl;
	struct page	*m;
	struct val	*rec, *row, *ref, *list, *tl, *fm;
	struct date	 dt, dd;
	enum page_kind	 kind;
	struct buf	 id, url;
	char		*slug;
	int64_t		(*span)[2];
	size_t		 n, i, k, nm, last = 0;
	long		 pub, cd, md, from, to;
	bool		 read, counted;
	int		 ns;

	buf_init(&id);
	buf_init(&url);
	g = src_gone_files(s->src, &n);
	for (i = 0; i < n; i++, g++) {
		if (g->n < 2 || strncmp(g->path, "meetings/", 9) != 0)
			continue;
		buf_reset(&id);
		buf_reset(&url);
		if (!kind_classify(g->path, &kind, &id, &url) ||
		    (kind != PAGE_PAPER && kind != PAGE_MINUTES))
			continue;
		if (kind == PAGE_MINUTES) {
			removed_minutes(h, g);
			continue;
		}
		if ((m = gone_meeting(h, g->path, &name)) == NULL ||
		    !m->has_date || !text_has_suffix(name, ".md"))
			continue;
		slug = arena_strndup(h->tmp, name, strlen(name) - 3);
		mr = meeting_changes(s, m, &nm);
		span = arena_alloc(h->tmp, (g->n + nm) * sizeof(*span));
		if ((ns = gone_spans(h, g, mr, nm, slug, span, &last)) <= 0)
			continue;
		del = &g->revs[g->n - 1];
		fm = old_fm(h, h->tmp, g->revs[last].blob, &read);
		title = val_get_str(fm, "title");
		rec = val_map(a);
		val_set(a, rec, "title", val_str(a, title != NULL ? title :
		    slug));
		val_set(a, rec, "slug", val_str(a, slug));
		val_set(a, rec, "published", iso_time(a, span[0][0]));
		val_set(a, rec, "published_date", iso_date(a, span[0][0]));
		val_set(a, rec, "removed", iso_time(a, span[ns - 1][1]));
		val_set(a, rec, "removed_date", iso_date(a, span[ns - 1][1]));
		val_set(a, rec, "deleted", iso_time(a, del->time));
		val_set(a, rec, "deleted_date", iso_date(a, del->time));
		val_set(a, rec, "deleted_commit", val_str(a, del->commit));
		if ((list = val_get(m->data, "removed_papers")) == NULL) {
			list = val_list(a);
			val_set(a, m->data, "removed_papers", list);
		}
		val_push(a, list, rec);
		if (site_called_off(m))
			continue;
		/*
		 * The spell on the website through the meeting's day, else
		 * the first after it (published after the meeting, as a paper
		 * still there would be); none when every spell ended by the
		 * meeting's day (withdrawn).
		 */
		md = text_days(&m->date);
		counted = false;
		for (k = 0, pub = 0; k < (size_t)ns && !counted; k++) {
			local_date(span[k][0], &dt);
			from = text_days(&dt);
			local_date(span[k][1], &dt);
			to = text_days(&dt);
			if (to > md) {
				counted = true;
				pub = from;
			}
		}
		if (!counted)
			continue;	/* withdrawn by the meeting's day */
		row = val_map(a);
		val_set(a, row, "basis", val_str(a, "git"));
		decl = val_get_str(fm, "published");
		if (k == 1 && decl != NULL && text_parse_date(decl, &dd) &&
		    text_days(&dd) < pub) {
			pub = text_days(&dd);
			val_set(a, row, "basis", val_str(a, "declared"));
			if (val_get_str(fm, "published_source") != NULL)
				val_set(a, row, "declared_source", val_str(a,
				    val_get_str(fm, "published_source")));
		}
		text_date_from_days(pub, &dt);
		cd = workdays_between(wd, pub, md);
		ref = val_map(a);
		val_set(a, ref, "title", val_get(rec, "title"));
		val_set(a, row, "paper", ref);
		val_set(a, row, "removed", rec);
		val_set(a, row, "published", iso_day(a, &dt));
		val_set(a, row, "clear_days", val_num(a, (double)cd));
		val_set(a, row, "required", val_num(a, (double)need));
		if (pub > md)
			val_set(a, row, "after_meeting", val_bool(a, true));
		val_set(a, row, "late", val_bool(a, cd < need));
		tl = meeting_timeliness(s, m, need, report);
		val_push(a, val_get(tl, "papers"), row);
		if (cd < need)
			val_get(tl, "late")->num++;
	}
	buf_free(&id);
	buf_free(&url);
}

/*
 * Whether deleting paper p's file at all[k] published anything: not
 * when an agenda item's 'papers:', as that commit left the meeting,
 * still listed the paper, as that commit's build failed ("unknown
 * paper") and the site kept it.  Every other file's deletion did.
 */
static bool
deletion_counts(struct hctx *h, const struct page *p, const struct src_rev *all,
    size_t k)
{
	const struct page *m = p->parent;
	const struct src_rev *mr;
	const char	*slug = val_get_str(p->data, "slug");
	size_t		 nm, j;

	if (p->kind != PAGE_PAPER || m == NULL || m->src_index < 0 ||
	    slug == NULL || k == 0 || src_rev_gone(&all[k - 1]))
		return true;
	/* The meeting's file as that commit left it, deleted or not. */
	mr = meeting_changes(h->s, m, &nm);
	return (j = meeting_at(mr, nm, all[k].seq)) == nm ||
	    !agenda_lists(h, &mr[j], slug);
}

/*
 * A file deleted and added again: each time, as history.deleted
 * ({deleted, deleted_date, deleted_commit, added, added_date}), from
 * git alone; a paper's deletion that published nothing is left out
 * (deletion_counts).  NULL when there is none.
 */
static struct val *
deletions(struct hctx *h, const struct page *p)
{
	struct arena	*a = h->s->arena;
	const struct src_rev *r;
	struct val	*list = NULL, *g;
	size_t		 n, k;

	if ((r = src_all(h->s->src, (size_t)p->src_index, &n)) == NULL)
		return NULL;
	for (k = 0; k + 1 < n; k++) {
		if (!src_rev_gone(&r[k]) || src_rev_gone(&r[k + 1]) ||
		    !deletion_counts(h, p, r, k))
			continue;
		if (list == NULL)
			list = val_list(a);
		g = val_map(a);
		val_set(a, g, "deleted", iso_time(a, r[k].time));
		val_set(a, g, "deleted_date", iso_date(a, r[k].time));
		val_set(a, g, "deleted_commit", val_str(a, r[k].commit));
		val_set(a, g, "added", iso_time(a, r[k + 1].time));
		val_set(a, g, "added_date", iso_date(a, r[k + 1].time));
		/* For the timeliness of a paper (meeting_published). */
		val_set(a, g, "seq", val_num(a, (double)r[k + 1].seq));
		val_push(a, list, g);
	}
	return list;
}

/*
 * When paper p, first public at pub (days), was on the website for its
 * meeting on day md: a deletion by the meeting's day takes it off, and
 * the paper is published for the meeting when it is public again (the
 * version added back, if the agenda then listed it, else the next
 * public version after it).  Deletions after the meeting's day do not
 * count.  Days in England.
 */
static long
meeting_published(struct hctx *h, const struct page *p, long pub, long md)
{
	const struct val *gl = val_get(val_get(p->data, "history"),
	    "deleted"), *g;
	const struct src_rev *revs, *all, *mr;
	const struct page *m = p->parent;
	const char	*slug = val_get_str(p->data, "slug");
	struct date	 dt;
	size_t		 i, k, n, na, nm, j, seq;
	int64_t		 t;

	if (gl == NULL || gl->kind != VAL_LIST || m == NULL || slug == NULL)
		return pub;
	revs = src_revisions(h->s->src, (size_t)p->src_index, &n);
	all = src_all(h->s->src, (size_t)p->src_index, &na);
	mr = src_revisions(h->s->src, (size_t)m->src_index, &nm);
	for (i = 0; i < gl->n; i++) {
		g = gl->items[i];
		if (!text_parse_date(val_get_str(g, "deleted_date"), &dt) ||
		    text_days(&dt) > md)
			break;
		seq = (size_t)val_get(g, "seq")->num;
		for (k = 0; k < na && all[k].seq != seq; k++)
			continue;
		if (k == na)
			continue;
		/* Public as added back, or from its next public version. */
		t = -1;
		if ((j = meeting_at(mr, nm, seq)) != nm &&
		    pair_public(h, all[k].blob, mr[j].blob, slug) == 1)
			t = all[k].time;
		for (k = 0; t < 0 && k < n; k++)
			if (revs[k].seq >= seq)
				t = revs[k].time;
		if (t < 0)
			t = all[k < na ? k : na - 1].time;
		local_date(t, &dt);
		pub = text_days(&dt);
	}
	return pub;
}

/* The error for an old version git could not give: its file and commit. */
static void
report_unread(const struct site *s, const unsigned char *blob,
    struct diags *d)
{
	const struct src_rev *revs;
	const struct page *p;
	char		 hex[41];
	size_t		 i, j, n;

	for (i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", blob[i]);
	for (i = 0; i < s->npages; i++) {
		if ((p = s->pages[i])->src_index < 0)
			continue;
		revs = src_revisions(s->src, (size_t)p->src_index, &n);
		for (j = 0; j < n; j++)
			if (memcmp(revs[j].blob, blob, 20) == 0) {
				diag_error(d, p->source, 0, 0, "git cannot "
				    "give the version of this file committed "
				    "in %.12s (object %.12s): the repository "
				    "lacks objects its history names, so the "
				    "site cannot say what changed (a partial "
				    "clone made with --filter lacks them: "
				    "clone without it; otherwise run 'git "
				    "fsck')", revs[j].commit, hex);
				return;
			}
	}
	diag_error(d, NULL, 0, 0, "git cannot give object %.12s, an old "
	    "version of a file of the site: the repository lacks objects "
	    "its history names (clone it without --filter, or run 'git "
	    "fsck')", hex);
}

void
history_link(struct site *s, struct history_cache *vc, struct diags *d)
{
	struct arena	*a = s->arena;
	struct page	*p, *m, *h, *at;
	const struct src_rev *revs;
	struct val	*hv, *tl, *rows, *row, *report = val_list(a);
	const struct val *days = val_get(s->config, "publication_days");
	const char	*decl, *src;
	struct hctx	 hc;
	struct unread	 unread;
	struct pre	*pre;
	struct workdays	 wd;
	struct date	 dt, dd;
	long		 need = days != NULL && days->kind == VAL_NUM ?
			    (long)days->num : 5, last, cd, approving, pub;
	long		*extra;
	size_t		 i, j, n, npages = s->npages, late, nextra;

	memset(&hc, 0, sizeof(hc));
	memset(&unread, 0, sizeof(unread));
	pthread_mutex_init(&unread.lock, NULL);
	hc.unread = &unread;
	hc.s = s;
	hc.tmp = arena_new();
	hc.cache = cache_take(vc);
	buf_init(&hc.rec);
	hc.messages = val_truthy(val_get(s->config, "history_messages"));
	if ((hc.null = fopen("/dev/null", "w")) == NULL)
		hc.null = stderr;
	diag_init(&hc.quiet, hc.null);
	hc.quiet.quiet = 1;
	extra = extra_holidays(s, &nextra);
	workdays_init(&wd, extra, nextra);
	free(extra);
	for (i = 0; i < npages; i++) {
		publish_from(&hc, s->pages[i]);
		news_from(&hc, s->pages[i]);
	}
	work_ahead(&hc);

	for (i = 0; i < npages; i++) {
		p = s->pages[i];
		if (p->src_index < 0)
			continue;
		revs = src_revisions(s->src, (size_t)p->src_index, &n);
		if ((pre = hc.pre[i]) == NULL && n > 1)	/* not worked out */
			pre = page_records(&hc, revs, n, a);
		decl = val_get_str(p->fm, "published");
		if (n == 0 && decl == NULL)
			continue;	/* not committed yet (--worktree) */
		hv = val_map(a);
		if (decl != NULL && text_parse_date(decl, &dd)) {
			val_set(a, hv, "declared_published", val_str(a, decl));
			if ((src = val_get_str(p->fm, "published_source")) !=
			    NULL)
				val_set(a, hv, "declared_source", val_str(a,
				    src));
		}
		val_set(a, p->data, "history", hv);
		if (n == 0)
			continue;
		last = src_last_change(s->src, (size_t)p->src_index);
		val_set(a, hv, "first_published", iso_time(a, revs[0].time));
		val_set(a, hv, "first_published_date", iso_date(a,
		    revs[0].time));
		val_set(a, hv, "first_commit", val_str(a, revs[0].commit));
		if (last >= 0) {
			val_set(a, hv, "last_updated", iso_time(a,
			    revs[last].time));
			val_set(a, hv, "last_updated_date", iso_date(a,
			    revs[last].time));
			val_set(a, hv, "last_commit", val_str(a,
			    revs[last].commit));
		} else
			val_set(a, hv, "uncommitted", val_bool(a, true));
		val_set(a, hv, "revisions", val_num(a, (double)n));
		val_set(a, hv, "changed", val_bool(a, n > 1));
		if ((tl = deletions(&hc, p)) != NULL)
			val_set(a, hv, "deleted", tl);
		/* Papers changed after their meeting; minutes after approval. */
		m = p->kind == PAGE_PAPER ? p->parent : NULL;
		at = p->kind == PAGE_MINUTES ? site_find(s, PAGE_MEETING,
		    val_get_str(val_get(p->data, "approved_at"), "id") ?
		    val_get_str(val_get(p->data, "approved_at"), "id") : "") :
		    NULL;
		approving = p->kind == PAGE_MINUTES && n > 1 ?
		    approving_rev(&hc, revs, n) : -1;
		/* A meeting called off never took place: nothing is after it. */
		if (n > 1 && m != NULL && m->has_date && !site_called_off(m) &&
		    changed_after(pre, revs, n, m, -1))
			val_set(a, hv, "changed_after_meeting",
			    val_bool(a, true));
		if (n > 1 && at != NULL && at->has_date &&
		    changed_after(pre, revs, n, at,
		    approving))
			val_set(a, hv, "changed_after_approval",
			    val_bool(a, true));
		if (n > 1 && !p->ahead) {	/* a page listing every version */
			h = site_add_listing(s, arena_printf(a, "%s/history",
			    p->id), arena_printf(a, "%shistory/", p->url +
			    strlen(s->base_path)), arena_printf(a, "Changes to "
			    "'%s'", p->title), "history.html");
			h->history_of = p->src_index;
			h->parent = p;
			val_set(a, h->data, "of", site_ref(s, p));
			if (val_get(hv, "deleted") != NULL)
				val_set(a, h->data, "deleted", val_get(hv,
				    "deleted"));
			h->versions = page_versions(&hc, pre, revs, n,
			    approving);
			val_set(a, hv, "url", val_str(a, h->url));
		}
		if (p->kind == PAGE_MEASURE)
			measure_history(&hc, p, revs, n);
	}

	/*
	 * Timeliness: clear working days from publication, which is the
	 * first commit on the published branch, or a declared earlier date
	 * for content published before it was in git.
	 */
	for (j = 0; j < npages; j++) {
		p = s->pages[j];
		if (p->kind != PAGE_PAPER || (m = p->parent) == NULL ||
		    !m->has_date || (hv = val_get(p->data, "history")) == NULL)
			continue;
		row = val_map(a);
		revs = src_revisions(s->src, (size_t)p->src_index, &n);
		pub = LONG_MAX;
		if (n > 0) {
			local_date(revs[0].time, &dt);
			pub = meeting_published(&hc, p, text_days(&dt),
			    text_days(&m->date));
			if (pub != text_days(&dt))
				val_set(a, row, "added_back", val_bool(a,
				    true));
		}
		decl = val_get_str(hv, "declared_published");
		if (decl != NULL && text_parse_date(decl, &dd) &&
		    text_days(&dd) < pub) {
			pub = text_days(&dd);
			val_set(a, row, "basis", val_str(a, "declared"));
			if (val_get(hv, "declared_source") != NULL)
				val_set(a, row, "declared_source", val_get(hv,
				    "declared_source"));
		} else
			val_set(a, row, "basis", val_str(a, "git"));
		text_date_from_days(pub, &dt);
		val_set(a, hv, "published_date", iso_day(a, &dt));
		val_set(a, hv, "published_basis", val_get(row, "basis"));
		if (site_called_off(m))
			continue;	/* no meeting to be late for */
		cd = workdays_between(&wd, pub, text_days(&m->date));
		val_set(a, row, "paper", site_ref(s, p));
		val_set(a, row, "published", iso_day(a, &dt));
		val_set(a, row, "clear_days", val_num(a, (double)cd));
		val_set(a, row, "required", val_num(a, (double)need));
		if (pub > text_days(&m->date))
			val_set(a, row, "after_meeting", val_bool(a, true));
		val_set(a, row, "late", val_bool(a, cd < need));
		val_set(a, p->data, "timeliness", row);
		tl = meeting_timeliness(s, m, need, report);
		val_push(a, val_get(tl, "papers"), row);
		if (cd < need)
			val_get(tl, "late")->num++;
	}
	removed_papers(&hc, &wd, need, report);
	/*
	 * Each meeting's papers: the day they were first published, or
	 * the last day they can be published and still be on time (the
	 * same clear-days rule as the timeliness report).
	 */
	for (j = 0; j < npages; j++) {
		m = s->pages[j];
		if (m->kind != PAGE_MEETING || !m->has_date ||
		    site_called_off(m))
			continue;
		for (last = text_days(&m->date) - 1; last > 0 &&
		    workdays_between(&wd, last, text_days(&m->date)) < need;
		    last--)
			;
		text_date_from_days(last, &dt);
		val_set(a, m->data, "papers_due", val_str(a, arena_printf(a,
		    "%04d-%02d-%02d", dt.year, dt.month, dt.day)));
		if ((tl = val_get(m->data, "timeliness")) == NULL)
			continue;
		/* The first and the last day its papers were published. */
		rows = val_get(tl, "papers");
		for (i = 0; i < rows->n; i++) {
			const char *pd = val_get_str(rows->items[i],
			    "published"), *cur = val_get_str(m->data,
			    "papers_published"), *lst = val_get_str(m->data,
			    "papers_published_last");

			if (pd != NULL && (cur == NULL || strcmp(pd, cur) < 0))
				val_set(a, m->data, "papers_published",
				    val_str(a, pd));
			if (pd != NULL && (lst == NULL || strcmp(pd, lst) > 0))
				val_set(a, m->data, "papers_published_last",
				    val_str(a, pd));
		}
	}
	for (i = 0; i < report->n; i++) {
		rows = val_get(report->items[i], "papers");
		late = (size_t)val_get(report->items[i], "late")->num;
		val_set(a, report->items[i], "on_time", val_num(a,
		    (double)(rows->n - late)));
	}
	if (report->n > 1)
		qsort(report->items, report->n, sizeof(*report->items),
		    newest_first);
	val_set(a, s->lists, "timeliness", report);
	h = site_add_listing(s, "timeliness", "timeliness/", "Publication "
	    "of papers: timeliness report", "timeliness.html");
	h->parent = site_find(s, PAGE_HOME, "home");
	val_set(a, h->data, "required", val_num(a, (double)need));
	val_set(a, h->data, "holidays_from", val_num(a, WORKDAYS_FIRST_YEAR));
	val_set(a, h->data, "holidays_to", val_num(a, WORKDAYS_LAST_YEAR));
	if ((days = val_get(s->config, "holidays")) != NULL)
		val_set(a, h->data, "extra_holidays", val_copy(a, days));
	timeliness_years(s, h, report);
	site_index(s);

	workdays_free(&wd);
	if (unread.set)
		report_unread(s, unread.blob, d);
	pthread_mutex_destroy(&unread.lock);
	hcache_close(hc.cache);
	buf_free(&hc.rec);
	free_versions(&hc);
	free(hc.pre);
	diag_free(&hc.quiet);
	if (hc.null != stderr)
		fclose(hc.null);
	arena_free(hc.tmp);
}
