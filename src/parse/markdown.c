/*
 * Markdown to HTML: our own renderer on md4c's callback parser.
 *
 * md4c calls us back for every block, span and run of text; we write
 * HTML into the caller's buffer as we go.  Two things need buffering:
 * a heading is written into a side buffer until it ends, because its
 * id (a slug of its text) comes first in the output; and a paragraph
 * beginning "Table: " is remembered (as a range of the output) until
 * the next block begins, so that a table following it can take it
 * out again and make it the table's caption.
 *
 * md4c gives no line numbers.  Most pointers it hands us (text, link
 * destinations) point into the input, so a table of line starts maps a
 * pointer to line and column.  Pointers elsewhere (text md4c had to
 * rewrite, such as a destination with escapes) fall back to the last
 * position seen; an error about such a link waits for the first text
 * inside the link, which is usually on the same line.
 *
 * All state lives in a struct rnd on the caller's stack, so several
 * threads may render at once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <md4c.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/entity.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/url.h"
#include "util/utf8.h"
#include "parse/markdown.h"

#define MAX_DEPTH	32	/* deepest nesting of lists and quotes */
#define QUOTE_MAX	60	/* bytes of a destination quoted in errors */
#define DEST_MAX	8192	/* bytes of a link's or image's address */
#define DEST_MEMO	64	/* addresses remembered: a reference link
				   used again costs nothing more */
#define SPAN_WRITTEN	0x40	/* an open span wrote its tag */
#define PAD		16	/* zero bytes after the input for md4c */


/* Heading ids in use: an open-addressing hash table of strings. */
struct idset {
	char		**keys;
	int		 *next;		/* next suffix to try after key */
	size_t		  cap;		/* a power of two, or 0 */
	size_t		  len;
};

/*
 * An address worked out before: found by where md4c gave its text,
 * taken when the text is the same (md4c makes some in a buffer of its
 * own that it uses again).
 */
struct dmemo {
	const char	*text;		/* NULL: none yet */
	char		*key;		/* a copy of the text */
	size_t		 size;
	int		 image;
	int		 rc;		/* dest_url()'s */
	char		*got;		/* the URL (rc 0) or the message */
	size_t		 len;
};

/* Everything one rendering needs; md4c's userdata. */
struct rnd {
	const char	*in;		/* the Markdown */
	size_t		 insz;
	size_t		*lines;		/* offsets of the line starts */
	size_t		 nlines;
	const char	*path;
	int		 first_line;
	int		 base_level;
	size_t		 max_output;
	mdr_resolve_fn	 resolve;
	void		*ctx;
	struct diags	*d;
	struct mdr_result *res;
	size_t		 rescap;	/* headings allocated in res */
	int		 failed;	/* an error was reported */
	int		 stopped;	/* we told md4c to stop */

	struct buf	*out;		/* the caller's buffer */
	struct buf	*cur;		/* out, or head inside a heading */
	struct buf	 head;		/* HTML of the open heading */
	struct buf	 htext;		/* its plain text */
	unsigned	 hlevel;	/* its Markdown level */
	unsigned	 h_first;	/* the first heading's, or 0 */
	int		 h_prev;	/* the last heading's HTML level */
	const char	*eh_next;	/* where to look for an empty one */
	int		 in_head;
	struct idset	 ids;

	struct dmemo	 memo[DEST_MEMO];
	struct buf	 spans;		/* open spans: type | SPAN_WRITTEN */
	int		 a_open;	/* <a> written and not closed */
	int		 a_text;	/* it has visible text (or an image) */
	const char	*a_pos;		/* where its destination is */
	struct buf	 a_dest;	/* and what it is, for the message */
	int		 img;		/* images open: writing alt text */
	int		 img_ok;	/* the outer image's <img> is written */
	int		 alt;		/* its alt text is not blank */
	struct buf	 img_src;	/* its source, */
	struct buf	 img_title;	/* title attribute */
	const char	*img_pos;	/* and where the source is */
	int		 depth;		/* lists and quotes open */
	int		 in_word;

	int		 p_first;	/* a paragraph is open and empty */
	int		 p_cap;		/* it began "Table: " */
	int		 cap_ready;	/* it ended just now */
	int		 row_heads;	/* first header cell empty: rows have
					   header cells in the first column */
	size_t		 cell;		/* cells begun in this row */
	size_t		 cell_start;	/* output offset of the open cell */
	size_t		 cell_body;	/* and of its content */
	int		 cell_text;	/* it has visible text */
	int		 in_cell;
	size_t		 p_start;	/* where its <p> is in out */
	int		 p_span;	/* it has a span (code, link ...) */
	const char	*p_lo, *p_hi;	/* its text's extent in the input */
	size_t		 nshort;	/* shortcodes expanded */
	mdr_shortcode_fn shortcode;
	size_t		 cap_start;	/* its text after "Table: " */
	size_t		 cap_end;

	const char	*last;		/* last pointer into the input seen */
	size_t		 c_line;	/* where() ran last: line start, */
	size_t		 c_off;		/* offset, */
	int		 c_col;		/* and column, or 0 */
	struct buf	 msg;		/* error being composed */
	struct buf	 defer;		/* error waiting for a position */
	int		 deferred;
};

static const char fffd[] = UTF8_REPLACEMENT;


/*
 * Append text, replacing what HTML does not allow (malformed UTF-8,
 * NUL, controls, noncharacters) with U+FFFD and, if esc is set,
 * escaping the characters special in text and attributes.
 */
static void
put_text(struct buf *b, const char *s, size_t n, int esc)
{
	size_t		 i = 0, start = 0, len;
	uint32_t	 cp;

	if (esc) {
		buf_put_html(b, s, n);
		return;
	}
	while (i < n) {
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || !utf8_is_html_char(cp)) {
			buf_put(b, s + start, i - start);
			buf_puts(b, fffd);
			start = i + (len == 0 ? 1 : len);
		}
		i += len == 0 ? 1 : len;
	}
	buf_put(b, s + start, n - start);
}

/*
 * Append the value of an attribute md4c gives us (a link destination,
 * a title, a code block's language) with references decoded and NUL
 * replaced, but not escaped.
 */
static void
attr_text(struct buf *b, const MD_ATTRIBUTE *a)
{
	const char	*s;
	char		 u[4];
	size_t		 i, n, len;

	if (a->substr_offsets == NULL) {
		buf_put(b, a->text, a->size);
		return;
	}
	for (i = 0; a->substr_offsets[i] < a->size; i++) {
		s = a->text + a->substr_offsets[i];
		n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		switch (a->substr_types[i]) {
		case MD_TEXT_NULLCHAR:
			buf_puts(b, fffd);
			break;
		case MD_TEXT_ENTITY:
			if ((len = entity_decode(s, n, u)) > 0) {
				buf_put(b, u, len);
				break;
			}
			/* FALLTHROUGH */
		default:
			buf_put(b, s, n);
			break;
		}
	}
}

/* Whether p points into the input (a pointer md4c made need not). */
static int
in_input(const struct rnd *r, const char *p)
{
	uintptr_t	 a = (uintptr_t)p, b = (uintptr_t)r->in;

	return p != NULL && a >= b && a < b + r->insz;
}

/*
 * File line and column of the last position seen in the input; the
 * column counts characters, not bytes.  Counting carries on from the
 * last call when it was earlier on the same line, so that many errors
 * on one long line take linear time.
 */
static void
where(struct rnd *r, int *line, int *col)
{
	size_t	 lo = 0, hi = r->nlines, mid, off, i;

	*line = r->first_line;
	*col = 0;
	if (r->last == NULL)
		return;
	off = (size_t)(r->last - r->in);
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (r->lines[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	*line = r->first_line + (int)lo;
	if (r->c_col > 0 && r->c_line == r->lines[lo] && r->c_off <= off) {
		i = r->c_off;
		*col = r->c_col;
	} else {
		i = r->lines[lo];
		*col = 1;
	}
	for (; i < off; i++)
		if ((r->in[i] & 0xc0) != 0x80)
			(*col)++;
	r->c_line = r->lines[lo];
	r->c_off = off;
	r->c_col = *col;
}

/* Report the error waiting for a position at the last one seen. */
static void
flush_defer(struct rnd *r)
{
	int	 line, col;

	if (!r->deferred)
		return;
	r->deferred = 0;
	where(r, &line, &col);
	diag_error(r->d, r->path, line, col, "%s", r->defer.data);
}

/*
 * Report the error composed in r->msg at p.  A pointer outside the
 * input waits for the next text seen; NULL means the last position.
 */
static void
report(struct rnd *r, const char *p)
{
	int	 line, col;

	r->failed = 1;
	flush_defer(r);
	if (p != NULL && !in_input(r, p)) {
		buf_reset(&r->defer);
		buf_put(&r->defer, r->msg.data, r->msg.len);
		r->deferred = 1;
		return;
	}
	if (p != NULL)
		r->last = p;
	where(r, &line, &col);
	diag_error(r->d, r->path, line, col, "%s", r->msg.data);
}

/*
 * Append s for quoting in a message: at most QUOTE_MAX bytes, cut at a
 * character boundary, controls shown as '?'.
 */
static void
quote(struct buf *b, const char *s, size_t n)
{
	size_t	 i, max = n;

	if (n > QUOTE_MAX) {
		max = QUOTE_MAX;
		while (max > 0 && (s[max] & 0xc0) == 0x80)
			max--;
	}
	for (i = 0; i < max; i++)
		buf_putc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    '?' : s[i]);
	if (max < n)
		buf_puts(b, "...");
}

/* Append s with %XX escapes decoded (but not %00, which stays). */
static void
pct_decode(struct buf *b, const char *s, size_t n)
{
	size_t	 i;
	int	 hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = text_hexval(s[i + 1])) >= 0 &&
		    (lo = text_hexval(s[i + 2])) >= 0 && (hi | lo) != 0) {
			buf_putc(b, hi * 16 + lo);
			i += 2;
		} else
			buf_putc(b, s[i]);
	}
}

/*
 * Whether an address names a file on someone's computer: file:...,
 * C:\... or C:/..., or \\server\share (which Markdown leaves with one
 * backslash before the server).
 */
static int
local_file(const char *s)
{
	if (strncasecmp(s, "file:", 5) == 0)
		return 1;
	if (((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z') && s[1] == ':' &&
	    (s[2] == '\\' || s[2] == '/'))
		return 1;
	return s[0] == '\\';
}

/*
 * An address whose scheme url_classify() found with the controls and
 * spaces among it left out ("\x0fhttp://", "ht\ttp://"): the scheme
 * without them, as it was judged, rather than escaped into a path.
 */
static void
scheme_only(struct buf *raw)
{
	size_t	i, k, colon = strcspn(raw->data, ":");

	for (i = k = 0; i < raw->len; i++)
		if (i > colon || ((unsigned char)raw->data[i] > 0x20 &&
		    raw->data[i] != 0x7f))
			raw->data[k++] = raw->data[i];
	raw->len = k;
	raw->data[k] = '\0';
}

/*
 * Report a refused destination a at its place: lead, the address
 * quoted, then why and what to do.  Frees raw; returns -1, as
 * dest_url() does for an address it drops.
 */
static int
refuse(struct rnd *r, const MD_ATTRIBUTE *a, const char *lead,
    struct buf *raw, const char *why)
{
	buf_reset(&r->msg);
	buf_printf(&r->msg, "%s '", lead);
	quote(&r->msg, raw->data, raw->len);
	buf_printf(&r->msg, "' %s", why);
	report(r, a->text);
	buf_free(raw);
	return -1;
}

static int	work_url(struct rnd *, const MD_ATTRIBUTE *, int,
		    struct buf *);

/*
 * Work out the URL of a link destination or, if image is set, an
 * image source into url (not yet escaped for HTML).  Returns 0, or -1
 * when the link or image is to be dropped (the error is reported).
 * An address is at most DEST_MAX bytes, and one worked out before (a
 * reference link's, used again) is not worked out again: a page's
 * links cost what its text does.
 */
static int
dest_url(struct rnd *r, const MD_ATTRIBUTE *a, int image, struct buf *url)
{
	struct dmemo	*m = &r->memo[((uintptr_t)a->text / 8 ^ a->size) %
			    DEST_MEMO];
	size_t		 mark = url->len;
	int		 rc;

	if (a->size > DEST_MAX) {
		buf_reset(&r->msg);
		buf_printf(&r->msg, "%s address is %zu bytes long, more than "
		    "%d (shorten it: a web address that long is refused by "
		    "many browsers and servers)", image ? "image" : "link",
		    (size_t)a->size, DEST_MAX);
		report(r, a->text);
		return -1;
	}
	if (m->text != NULL && m->text == a->text && m->size == a->size &&
	    m->image == image && memcmp(m->key, a->text, a->size) == 0) {
		if (m->rc == 0)
			buf_put(url, m->got, m->len);
		else {
			buf_reset(&r->msg);
			buf_put(&r->msg, m->got, m->len);
			report(r, a->text);
		}
		return m->rc;
	}
	rc = work_url(r, a, image, url);
	/* As published: escapes make an address longer than written. */
	if (rc == 0 && url->len - mark > DEST_MAX) {
		buf_reset(&r->msg);
		buf_printf(&r->msg, "%s address is %zu bytes long as "
		    "published, more than %d (shorten it: a web address that "
		    "long is refused by many browsers and servers)", image ?
		    "image" : "link", url->len - mark, DEST_MAX);
		buf_truncate(url, mark);
		report(r, a->text);
		rc = -1;
	}
	free(m->got);
	free(m->key);
	m->key = xmalloc(a->size + 1);
	memcpy(m->key, a->text, a->size);
	m->text = a->text;
	m->size = a->size;
	m->image = image;
	m->rc = rc;
	m->len = rc == 0 ? url->len - mark : r->msg.len;
	m->got = xmalloc(m->len + 1);
	memcpy(m->got, rc == 0 ? url->data + mark : r->msg.data, m->len);
	m->got[m->len] = '\0';
	return rc;
}

static int
work_url(struct rnd *r, const MD_ATTRIBUTE *a, int image, struct buf *url)
{
	struct buf	 raw, path, joined, got;
	const char	*what = image ? "image" : "link to";
	enum url_class	 cls;
	size_t		 k, plen;
	int		 rc = 0;

	buf_init(&raw);
	attr_text(&raw, a);
	cls = url_classify(raw.data, raw.len);
	if ((cls == URL_REFUSED || cls == URL_RELATIVE) &&
	    local_file(raw.data))
		return refuse(r, a, what, &raw, "is a file on a computer, "
		    "which readers cannot open (commit the file to the site, "
		    "e.g. next to this page, and give its name)");
	if (cls == URL_REFUSED || (image && (cls == URL_MAILTO ||
	    cls == URL_TEL)))
		return refuse(r, a, image ? "unsafe image source" :
		    "unsafe link", &raw, image ? "is not allowed (use an "
		    "http or https address, or a file in the site)" :
		    "is not allowed (use an http, https, mailto or tel link)");
	if (cls != URL_RELATIVE || raw.len == 0 || raw.data[0] == '#' ||
	    (raw.len > 1 && raw.data[0] == '/' && raw.data[1] == '/')) {
		if (cls != URL_RELATIVE)
			scheme_only(&raw);
		if (cls == URL_WEB && !url_web_ok(raw.data, raw.len))
			return refuse(r, a, what, &raw, "is not a web address "
			    "a browser can open (check its host and port: open "
			    "it in a browser and copy the address from there)");
		url_encode(url, raw.data, raw.len, URL_ENC_URL);
		buf_free(&raw);
		return 0;
	}

	/* A relative path: resolve it against the page. */
	plen = strcspn(raw.data, "#?");
	if (plen == 0 || r->resolve == NULL) {
		/* "1a:b" would read as a scheme; "./1a:b" does not. */
		if (raw.data[strcspn(raw.data, ":/?#")] == ':')
			buf_puts(url, "./");
		url_encode(url, raw.data, raw.len, URL_ENC_URL);
		buf_free(&raw);
		return 0;
	}
	buf_init(&path);
	buf_init(&joined);
	buf_init(&got);
	pct_decode(&path, raw.data, plen);
	buf_reset(&r->msg);
	if (!text_join_path(&joined, r->path, path.data, path.len)) {
		buf_printf(&r->msg, "%s '", what);
		quote(&r->msg, raw.data, raw.len);
		buf_puts(&r->msg, "' points outside the site (remove a "
		    "'../', or begin the path with '/' for the site's root)");
		report(r, a->text);
		rc = -1;
	} else if ((k = (size_t)-r->resolve(r->ctx, joined.data, raw.data +
	    plen, &got)) == 2) {
		buf_printf(&r->msg, "%s '", what);
		quote(&r->msg, raw.data, raw.len);
		buf_puts(&r->msg, "' leads to a page that is not published (a "
		    "paper no public agenda item lists, or a news post dated "
		    "after the build date): remove the link, or add it once "
		    "the page is published");
		report(r, a->text);
		rc = -1;
	} else if (k == 1) {
		buf_printf(&r->msg, "%s '", what);
		quote(&r->msg, raw.data, raw.len);
		buf_puts(&r->msg, "' does not exist (there is no '");
		quote(&r->msg, joined.data, joined.len);
		buf_puts(&r->msg, "' in the site; check the name and that "
		    "the path is relative to this page)");
		report(r, a->text);
		rc = -1;
	} else {
		/* Keep the fragment, unless the resolver kept it. */
		k = raw.len - plen;
		if (k > 0 && (got.len < k || memcmp(got.data + got.len - k,
		    raw.data + plen, k) != 0))
			buf_put(&got, raw.data + plen, k);
		url_encode(url, got.data, got.len, URL_ENC_URL);
	}
	buf_free(&got);
	buf_free(&joined);
	buf_free(&path);
	buf_free(&raw);
	return rc;
}

/* Append a title="..." attribute if the title is not empty. */
static void
put_title(struct buf *b, const MD_ATTRIBUTE *a)
{
	struct buf	 t;

	if (a->size == 0)
		return;
	buf_init(&t);
	attr_text(&t, a);
	buf_puts(b, " title=\"");
	put_text(b, t.data, t.len, 1);
	buf_putc(b, '"');
	buf_free(&t);
}

/* Stop rendering once the output passes its limit. */
static int
check(struct rnd *r)
{
	if (r->stopped)
		return -1;
	if (r->out->len + r->head.len <= r->max_output)
		return 0;
	buf_reset(&r->msg);
	buf_printf(&r->msg, "page expands to more than %zu bytes of HTML "
	    "(split it into smaller pages)", r->max_output);
	report(r, NULL);
	r->stopped = 1;
	return -1;
}

/* Open a list or quote, refusing to go deeper than MAX_DEPTH. */
static int
deeper(struct rnd *r)
{
	if (++r->depth <= MAX_DEPTH)
		return 0;
	buf_reset(&r->msg);
	buf_printf(&r->msg, "lists and block quotes are nested more than "
	    "%d deep (nest them less deeply)", MAX_DEPTH);
	report(r, NULL);
	r->stopped = 1;
	return -1;
}

static uint64_t
idhash(const char *s)
{
	return text_hash(s, strlen(s));
}

/* The slot for s in the id table: where it is or would go. */
static size_t
id_slot(const struct idset *ids, const char *s)
{
	size_t	 i = (size_t)idhash(s) & (ids->cap - 1);

	while (ids->keys[i] != NULL && strcmp(ids->keys[i], s) != 0)
		i = (i + 1) & (ids->cap - 1);
	return i;
}

/* Add s (not yet in the table) with its next suffix 2. */
static void
id_add(struct idset *ids, const char *s)
{
	struct idset	 n;
	size_t		 i, j;

	if ((ids->len + 1) * 2 > ids->cap) {
		n.cap = ids->cap ? ids->cap * 2 : 64;
		n.len = ids->len;
		n.keys = xcalloc(n.cap, sizeof(n.keys[0]));
		n.next = xcalloc(n.cap, sizeof(n.next[0]));
		for (i = 0; i < ids->cap; i++) {
			if (ids->keys[i] == NULL)
				continue;
			j = id_slot(&n, ids->keys[i]);
			n.keys[j] = ids->keys[i];
			n.next[j] = ids->next[i];
		}
		free(ids->keys);
		free(ids->next);
		*ids = n;
	}
	i = id_slot(ids, s);
	ids->keys[i] = xstrdup(s);
	ids->next[i] = 2;
	ids->len++;
}

/*
 * A unique id from a slug: the slug itself, or the slug with "-2",
 * "-3" and so on; each slug remembers where its search stopped, so
 * many equal headings take linear time.
 */
static char *
unique_id(struct rnd *r, const char *slug)
{
	struct buf	 b;
	size_t		 i;
	int		 k;
	char		*id;

	if (r->ids.cap == 0 || r->ids.keys[id_slot(&r->ids, slug)] == NULL) {
		id_add(&r->ids, slug);
		return xstrdup(slug);
	}
	i = id_slot(&r->ids, slug);
	buf_init(&b);
	for (k = r->ids.next[i]; ; k++) {
		buf_reset(&b);
		buf_printf(&b, "%s-%d", slug, k);
		if (r->ids.keys[id_slot(&r->ids, b.data)] == NULL)
			break;
	}
	r->ids.next[i] = k + 1;
	id_add(&r->ids, b.data);
	id = buf_detach(&b);
	buf_free(&b);
	return id;
}

/*
 * Ids a heading of a body never takes as they are, since the pages
 * around bodies use them (docs/templates.md): "maincontent", the ids
 * of the theme's sections on pages that have a body, and every id that
 * begins "icp-" (kept for themes) or "item-" (agenda items', whose
 * numbers may be words: "item-aob").  A pack gives each paper's title the id "paperN-title" and
 * its body's ids "paperN-" and theirs, hence "title".
 */
static const char *const reserved_ids[] = {
	"maincontent", "title", "committee-members", "subscribe",
	"expected", "meeting-questions", "meeting-decisions",
	"meeting-actions", NULL
};

/* 2: slug and every id made from it by a suffix are reserved; 1: slug. */
static int
reserved_id(const char *slug)
{
	size_t	i;

	if (strncmp(slug, "icp", 3) == 0 && (slug[3] == '-' ||
	    slug[3] == '\0'))
		return 2;
	if (strncmp(slug, "item", 4) == 0 && (slug[4] == '\0' ||
	    slug[4] == '-'))
		return 2;	/* "item-aob" is an item's, "item-2" too */
	for (i = 0; reserved_ids[i] != NULL; i++)
		if (strcmp(slug, reserved_ids[i]) == 0)
			return 1;
	return 0;
}

/*
 * Where the empty heading that just ended is, for its error: the next
 * line from the last position seen that holds only '#' and spaces, or
 * the last position if there is none.
 */
static const char *
empty_heading(struct rnd *r)
{
	const char	*p = r->last != NULL ? r->last : r->in;
	const char	*end = r->in + r->insz, *q;

	if (r->eh_next != NULL && r->eh_next > p)	/* past the last one */
		p = r->eh_next;

	for (; p < end; p++) {
		if (p != r->in && p[-1] != '\n')
			continue;
		/* After the marks of quotes and list items: "> #", "- #". */
		for (q = p; q < end && (*q == ' ' || *q == '>' || *q == '-' ||
		    *q == '*' || *q == '+' || *q == '.' || *q == ')' ||
		    (*q >= '0' && *q <= '9')); q++)
			;
		if (q == end || *q != '#')
			continue;
		while (q < end && (*q == '#' || *q == ' ' || *q == '\t' ||
		    *q == '\r'))
			q++;
		if (q == end || *q == '\n') {
			r->eh_next = q;
			return p;
		}
	}
	return NULL;
}

/* Write out the heading that just ended, with its id and self-link. */
static void
heading(struct rnd *r)
{
	struct mdr_heading *h;
	struct buf	 slug;
	const char	*t = r->htext.data;
	size_t		 n = r->htext.len;
	char		*id;
	int		 level;

	/*
	 * Levels follow the body's own: its first heading, whatever its
	 * number of '#', is the page's first level below the title, none
	 * goes above it, and none skips a level on the way down.
	 */
	if (r->h_first == 0) {
		r->h_first = r->hlevel;
		r->h_prev = r->base_level - 1;
	}
	level = (int)r->hlevel - (int)r->h_first + r->base_level;
	if (level < r->base_level)
		level = r->base_level;
	if (level > r->h_prev + 1)
		level = r->h_prev + 1;
	if (level > 6)
		level = 6;
	r->h_prev = level;
	while (n > 0 && (*t == ' ' || *t == '\t'))
		t++, n--;
	while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\t'))
		n--;
	if (!text_visible(t, n) && strstr(r->head.data != NULL ? r->head.data :
	    "", "<img") == NULL) {
		buf_reset(&r->msg);
		buf_puts(&r->msg, "heading has no text (write it after the "
		    "'#', or remove the line)");
		report(r, empty_heading(r));
	}
	buf_init(&slug);
	text_slug(&slug, t, n);
	if (slug.len == 0)
		buf_puts(&slug, "section");
	/*
	 * A reserved id is taken: the heading has the next free one
	 * ("subscribe-2"), or, where every such is reserved too, one
	 * under "section-" ("section-item-5").
	 */
	switch (reserved_id(slug.data)) {
	case 2: {
		struct buf	 under;

		buf_init(&under);
		buf_printf(&under, "section-%s", slug.data);
		buf_free(&slug);
		slug = under;
		break;
	}
	case 1:
		if (r->ids.cap == 0 ||
		    r->ids.keys[id_slot(&r->ids, slug.data)] == NULL)
			id_add(&r->ids, slug.data);
		break;
	default:
		break;
	}
	id = unique_id(r, slug.data);
	buf_free(&slug);

	r->cur = r->out;
	r->in_head = 0;
	/*
	 * The link to the section comes after the heading, not inside it,
	 * so the heading reads as its text alone; the link's name is the
	 * heading's text in quotes (its "#" is drawn by the stylesheet).
	 */
	buf_puts(r->out, "<div class=\"heading-with-anchor\">\n");
	buf_printf(r->out, "<h%d id=\"", level);
	put_text(r->out, id, strlen(id), 1);
	buf_puts(r->out, "\">");
	buf_put(r->out, r->head.data, r->head.len);
	buf_printf(r->out, "</h%d>\n", level);
	buf_puts(r->out, "<a class=\"heading-anchor\" href=\"#");
	put_text(r->out, id, strlen(id), 1);
	buf_puts(r->out, "\" aria-label=\"");
	if (n > 0) {
		buf_puts(r->out, "Link to \xe2\x80\x98");	/* ‘ */
		put_text(r->out, t, n, 1);
		buf_puts(r->out, "\xe2\x80\x99");		/* ’ */
	} else
		buf_puts(r->out, "Link to this part");
	buf_puts(r->out, "\"></a>\n</div>\n");
	buf_reset(&r->head);

	if (r->res == NULL) {
		free(id);
		return;
	}
	if (r->res->nheadings == r->rescap) {
		r->rescap = r->rescap ? r->rescap * 2 : 16;
		r->res->headings = xreallocarray(r->res->headings,
		    r->rescap, sizeof(r->res->headings[0]));
	}
	h = &r->res->headings[r->res->nheadings++];
	h->level = level;
	h->id = id;
	h->text = xstrndup(t, n);
}

/* A table begins: take the caption paragraph before it, if any. */
static void
table(struct rnd *r)
{
	struct buf	 cap;

	if (!r->cap_ready) {
		buf_puts(r->out, "<table>\n");
		return;
	}
	buf_init(&cap);
	buf_put(&cap, r->out->data + r->cap_start, r->cap_end - r->cap_start);
	buf_truncate(r->out, r->p_start);
	buf_puts(r->out, "<table>\n<caption>");
	buf_put(r->out, cap.data, cap.len);
	buf_puts(r->out, "</caption>\n");
	buf_free(&cap);
}

static const char *
align(const MD_BLOCK_TD_DETAIL *td)
{
	switch (td->align) {
	case MD_ALIGN_LEFT:
		return " class=\"align-left\"";
	case MD_ALIGN_CENTER:
		return " class=\"align-center\"";
	case MD_ALIGN_RIGHT:
		return " class=\"align-right\"";
	default:
		return "";
	}
}

/*
 * A link opens: write <a> unless its destination is refused or a link
 * is open already (an autolink in link text).  Returns 1 if written.
 */
static int
link_open(struct rnd *r, const MD_SPAN_A_DETAIL *a)
{
	struct buf	 url;
	int		 ok;

	if (r->a_open > 0)
		return 0;
	buf_init(&url);
	if ((ok = dest_url(r, &a->href, 0, &url) == 0)) {
		r->a_open++;
		r->a_text = 0;
		/*
		 * md4c gives a copy of an address with an escape or an
		 * entity, freed after this: keep only a position in the
		 * input (else the error takes the last one seen).
		 */
		r->a_pos = in_input(r, a->href.text) ? a->href.text : NULL;
		buf_reset(&r->a_dest);
		attr_text(&r->a_dest, &a->href);
		buf_puts(r->cur, "<a href=\"");
		put_text(r->cur, url.data, url.len, 1);
		buf_putc(r->cur, '"');
		put_title(r->cur, &a->title);
		buf_putc(r->cur, '>');
	}
	buf_free(&url);
	return ok;
}

/*
 * An image opens: write <img src="..." alt=" and let the text inside
 * become the alt text.  A refused image leaves just that text.  What
 * the end of the image needs is kept, as md4c may not tell us again.
 */
static int
img_open(struct rnd *r, const MD_SPAN_IMG_DETAIL *img)
{
	struct buf	 url;

	r->alt = 0;
	buf_init(&url);
	r->img_ok = dest_url(r, &img->src, 1, &url) == 0;
	if (r->img_ok) {
		buf_puts(r->cur, "<img src=\"");
		put_text(r->cur, url.data, url.len, 1);
		buf_puts(r->cur, "\" alt=\"");
		buf_reset(&r->img_src);
		attr_text(&r->img_src, &img->src);
		buf_reset(&r->img_title);
		put_title(&r->img_title, &img->title);
		r->img_pos = img->src.text;
	}
	buf_free(&url);
	return r->img_ok;
}

/* The outer image ends: close the tag; it must have had alt text. */
static void
img_close(struct rnd *r)
{
	if (!r->img_ok)
		return;
	buf_putc(r->cur, '"');
	buf_put(r->cur, r->img_title.data, r->img_title.len);
	buf_puts(r->cur, " loading=\"lazy\">");
	if (r->alt)
		return;
	buf_reset(&r->msg);
	buf_puts(&r->msg, "image '");
	quote(&r->msg, r->img_src.data, r->img_src.len);
	buf_puts(&r->msg, "' has no alt text (describe the image between "
	    "the brackets: ![what it shows](");
	quote(&r->msg, r->img_src.data, r->img_src.len);
	buf_puts(&r->msg, "))");
	report(r, r->img_pos);
}

/* Close a span taken off the stack of open spans. */
static void
close_span(struct rnd *r, unsigned char e)
{
	int	 written = (e & SPAN_WRITTEN) != 0;

	switch (e & ~SPAN_WRITTEN) {
	case MD_SPAN_IMG:
		if (--r->img == 0) {
			img_close(r);
			flush_defer(r);
		}
		break;
	case MD_SPAN_A:
		if (written) {
			buf_puts(r->cur, "</a>");
			r->a_open--;
			if (!r->a_text) {
				buf_reset(&r->msg);
				buf_puts(&r->msg, "link to '");
				quote(&r->msg, r->a_dest.data, r->a_dest.len);
				buf_puts(&r->msg, "' has no text (write what "
				    "it leads to between the brackets: [what "
				    "it is](");
				quote(&r->msg, r->a_dest.data, r->a_dest.len);
				buf_puts(&r->msg, "))");
				report(r, r->a_pos);
			}
		}
		flush_defer(r);
		break;
	case MD_SPAN_EM:
		if (written)
			buf_puts(r->cur, "</em>");
		break;
	case MD_SPAN_STRONG:
		if (written)
			buf_puts(r->cur, "</strong>");
		break;
	case MD_SPAN_CODE:
		if (written)
			buf_puts(r->cur, "</code>");
		break;
	case MD_SPAN_DEL:
		if (written)
			buf_puts(r->cur, "</del>");
		break;
	default:
		break;
	}
}

/* Close the spans md4c left open (it can, on odd input). */
static void
close_spans(struct rnd *r, size_t to)
{
	while (r->spans.len > to) {
		r->spans.len--;
		close_span(r, (unsigned char)r->spans.data[r->spans.len]);
	}
	r->spans.data[r->spans.len] = '\0';
}

/* --- shortcodes -------------------------------------------------------- */

/*
 * Split "{{< name arg "two words" >}}" (s, n: one line, trimmed) into
 * words, quotes removed, each NUL-terminated in w.  Returns the number
 * of words, or -1 if the line is not a shortcode.
 */
static int
sc_words(const char *s, size_t n, struct buf *w, size_t *at, size_t max)
{
	const char	*end, *q;
	int		 k = 0;

	if (n < 6 || memcmp(s, "{{<", 3) != 0 ||
	    memcmp(s + n - 3, ">}}", 3) != 0 || memchr(s, '\n', n) != NULL)
		return -1;
	end = s + n - 3;
	for (s += 3; s < end; ) {
		while (s < end && (*s == ' ' || *s == '\t'))
			s++;
		if (s >= end)
			break;
		if ((size_t)k == max)
			return -2;
		at[k++] = w->len;
		if (*s == '"') {
			for (q = ++s; s < end && *s != '"'; s++)
				continue;
			buf_put(w, q, (size_t)(s - q));
			if (s < end)
				s++;
		} else {
			for (q = s; s < end && *s != ' ' && *s != '\t'; s++)
				continue;
			buf_put(w, q, (size_t)(s - q));
		}
		buf_putc(w, '\0');
	}
	return k;
}

/*
 * At the end of a paragraph: if its text is one shortcode, replace the
 * paragraph by the shortcode's HTML and return 1; else return 0.
 */
static int
shortcode(struct rnd *r)
{
	const char	*s = r->p_lo, *args[MDR_MAX_SC_ARGS];
	size_t		 n = (size_t)(r->p_hi - r->p_lo);
	size_t		 at[MDR_MAX_SC_ARGS + 1] = { 0 };
	struct buf	 w;
	int		 k, i, line, col;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (r->shortcode == NULL || n < 3 || memcmp(s, "{{<", 3) != 0)
		return 0;
	buf_init(&w);
	k = sc_words(s, n, &w, at, MDR_MAX_SC_ARGS + 1);
	buf_reset(&r->msg);
	if (k == -1 && memmem(s, n, ">}}", 3) != NULL)
		buf_puts(&r->msg, "a shortcode must be a paragraph of its "
		    "own (put a blank line before and after it)");
	else if (k == -2)
		buf_printf(&r->msg, "a shortcode has more than %d words "
		    "after its name", MDR_MAX_SC_ARGS);
	else if (k == 0)
		buf_puts(&r->msg, "a shortcode has no name (write {{< name "
		    ">}})");
	else if (k > 0 && r->nshort == MDR_MAX_SHORTCODES)
		buf_printf(&r->msg, "more than %d shortcodes in one page",
		    MDR_MAX_SHORTCODES);
	if (r->msg.len > 0) {
		report(r, s);
		buf_free(&w);
		return 0;
	}
	if (k < 0) {
		buf_free(&w);
		return 0;	/* "{{<" text that is no shortcode */
	}
	for (i = 1; i < k; i++)
		args[i - 1] = w.data + at[i];
	r->last = s;
	where(r, &line, &col);
	buf_truncate(r->out, r->p_start);
	r->nshort++;
	if (r->shortcode(r->ctx, w.data + at[0], args, (size_t)(k - 1), line,
	    col, r->out) == -1)
		r->failed = 1;
	buf_free(&w);
	return 1;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct rnd	*r = arg;
	int		 written = 0;

	r->p_first = 0;
	r->p_span = 1;
	if (type == MD_SPAN_IMG) {
		if (r->img++ == 0)
			written = img_open(r, detail);
	} else if (r->img == 0) {
		/* Inside alt text only the text counts. */
		written = 1;
		switch (type) {
		case MD_SPAN_EM:
			buf_puts(r->cur, "<em>");
			break;
		case MD_SPAN_STRONG:
			buf_puts(r->cur, "<strong>");
			break;
		case MD_SPAN_A:
			written = link_open(r, detail);
			break;
		case MD_SPAN_CODE:
			buf_puts(r->cur, "<code>");
			break;
		case MD_SPAN_DEL:
			buf_puts(r->cur, "<del>");
			break;
		default:
			written = 0;
			break;
		}
	}
	buf_putc(&r->spans, (int)type | (written ? SPAN_WRITTEN : 0));
	return check(r);
}

/*
 * A span ends: close it and any opened after it and not yet closed,
 * so the output nests even when md4c's calls do not.
 */
static int
leave_span(MD_SPANTYPE type, void *detail, void *arg)
{
	struct rnd	*r = arg;
	size_t		 k;

	for (k = r->spans.len; k > 0; k--)
		if ((r->spans.data[k - 1] & ~SPAN_WRITTEN) == (int)type)
			break;
	if (k > 0)
		close_spans(r, k - 1);
	return check(r);
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct rnd		*r = arg;
	const MD_BLOCK_OL_DETAIL *ol = detail;
	const MD_BLOCK_LI_DETAIL *li = detail;
	const MD_BLOCK_CODE_DETAIL *code = detail;
	struct buf		 lang;

	r->in_word = 0;
	if (type == MD_BLOCK_TABLE)
		table(r);
	r->cap_ready = 0;
	switch (type) {
	case MD_BLOCK_QUOTE:
		if (deeper(r) == -1)
			return -1;
		buf_puts(r->out, "<blockquote>\n");
		break;
	case MD_BLOCK_UL:
		if (deeper(r) == -1)
			return -1;
		buf_puts(r->out, "<ul>\n");
		break;
	case MD_BLOCK_OL:
		if (deeper(r) == -1)
			return -1;
		if (ol->start != 1)
			buf_printf(r->out, "<ol start=\"%u\">\n", ol->start);
		else
			buf_puts(r->out, "<ol>\n");
		break;
	case MD_BLOCK_LI:
		if (!li->is_task) {
			buf_puts(r->out, "<li>");
			break;
		}
		buf_puts(r->out, li->task_mark == ' ' ?
		    "<li class=\"task-list-item\"><input type=\"checkbox\" "
		    "disabled aria-label=\"Not done\"> " :
		    "<li class=\"task-list-item\"><input type=\"checkbox\" "
		    "disabled checked aria-label=\"Done\"> ");
		break;
	case MD_BLOCK_HR:
		buf_puts(r->out, "<hr>\n");
		break;
	case MD_BLOCK_H:
		r->hlevel = ((const MD_BLOCK_H_DETAIL *)detail)->level;
		r->in_head = 1;
		r->cur = &r->head;
		buf_reset(&r->head);
		buf_reset(&r->htext);
		break;
	case MD_BLOCK_CODE:
		buf_puts(r->out, "<pre><code");
		if (code->lang.size > 0) {
			buf_init(&lang);
			attr_text(&lang, &code->lang);
			buf_puts(r->out, " class=\"language-");
			put_text(r->out, lang.data, lang.len, 1);
			buf_putc(r->out, '"');
			buf_free(&lang);
		}
		buf_putc(r->out, '>');
		break;
	case MD_BLOCK_P:
		r->p_start = r->out->len;
		r->p_first = 1;
		r->p_cap = 0;
		r->p_span = 0;
		r->p_lo = r->p_hi = NULL;
		buf_puts(r->out, "<p>");
		break;
	case MD_BLOCK_THEAD:
		r->row_heads = 0;
		buf_puts(r->out, "<thead>\n");
		break;
	case MD_BLOCK_TBODY:
		buf_puts(r->out, "<tbody>\n");
		break;
	case MD_BLOCK_TR:
		r->cell = 0;
		buf_puts(r->out, "<tr>\n");
		break;
	case MD_BLOCK_TH:
		r->cell_start = r->out->len;
		buf_printf(r->out, "<th scope=\"col\"%s>", align(detail));
		r->cell_body = r->out->len;
		r->cell++;
		r->in_cell = 1;
		r->cell_text = 0;
		break;
	case MD_BLOCK_TD:
		/* "|  | 2024 |": the first column heads its rows. */
		r->cell_start = r->out->len;
		if (r->row_heads && r->cell == 0)
			buf_printf(r->out, "<th scope=\"row\"%s>",
			    align(detail));
		else
			buf_printf(r->out, "<td%s>", align(detail));
		r->cell_body = r->out->len;
		r->cell++;
		r->in_cell = 1;
		r->cell_text = 0;
		break;
	default:
		/* The document, a table (done above); no raw HTML. */
		break;
	}
	return check(r);
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *arg)
{
	struct rnd	*r = arg;

	r->in_word = 0;
	r->cap_ready = 0;
	close_spans(r, 0);
	switch (type) {
	case MD_BLOCK_QUOTE:
		r->depth--;
		buf_puts(r->out, "</blockquote>\n");
		break;
	case MD_BLOCK_UL:
		r->depth--;
		buf_puts(r->out, "</ul>\n");
		break;
	case MD_BLOCK_OL:
		r->depth--;
		buf_puts(r->out, "</ol>\n");
		break;
	case MD_BLOCK_LI:
		buf_puts(r->out, "</li>\n");
		break;
	case MD_BLOCK_H:
		heading(r);
		break;
	case MD_BLOCK_CODE:
		buf_puts(r->out, "</code></pre>\n");
		break;
	case MD_BLOCK_P:
		if (r->p_cap) {
			r->cap_end = r->out->len;
			r->cap_ready = 1;
		}
		if (!r->p_cap && !r->p_span && r->p_lo != NULL &&
		    shortcode(r)) {
			r->p_first = 0;
			break;	/* the paragraph was a shortcode */
		}
		r->p_first = r->p_cap = 0;
		buf_puts(r->out, "</p>\n");
		break;
	case MD_BLOCK_TABLE:
		buf_puts(r->out, "</table>\n");
		break;
	case MD_BLOCK_THEAD:
		buf_puts(r->out, "</thead>\n");
		break;
	case MD_BLOCK_TBODY:
		buf_puts(r->out, "</tbody>\n");
		break;
	case MD_BLOCK_TR:
		buf_puts(r->out, "</tr>\n");
		break;
	case MD_BLOCK_TH:
		r->in_cell = 0;
		if (r->cell == 1 && !r->cell_text) {
			/* An empty corner cell heads nothing: a <td>. */
			buf_truncate(r->out, r->cell_start);
			buf_puts(r->out, "<td></td>\n");
			r->row_heads = 1;
		} else if (!r->cell_text) {
			/* A column needs a heading that says something. */
			buf_puts(r->out, "</th>\n");
			buf_reset(&r->msg);
			buf_printf(&r->msg, "column %zu of the table has no "
			    "heading (write one in the first row, between its "
			    "'|'s)", r->cell);
			report(r, NULL);
		} else
			buf_puts(r->out, "</th>\n");
		break;
	case MD_BLOCK_TD:
		r->in_cell = 0;
		if (r->row_heads && r->cell == 1 && !r->cell_text) {
			/* A blank row header heads nothing: a <td>. */
			struct buf	 c;

			buf_init(&c);
			buf_put(&c, r->out->data + r->cell_body, r->out->len -
			    r->cell_body);
			buf_truncate(r->out, r->cell_start);
			buf_puts(r->out, "<td>");
			buf_put(r->out, c.data, c.len);
			buf_puts(r->out, "</td>\n");
			buf_free(&c);
		} else
			buf_puts(r->out, r->row_heads && r->cell == 1 ?
			    "</th>\n" : "</td>\n");
		break;
	default:
		break;
	}
	return check(r);
}

/* Count the words in s, carrying a word over from the last text. */
static void
count_words(struct rnd *r, const char *s, size_t n)
{
	size_t	 i;
	int	 space;

	for (i = 0; i < n; i++) {
		space = s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r' || s[i] == '\f' || s[i] == '\v';
		if (!space && !r->in_word && r->res != NULL)
			r->res->words++;
		r->in_word = !space;
	}
}

static int
text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE size, void *arg)
{
	struct rnd	*r = arg;
	char		 u[4];
	size_t		 n = size, i;

	if (in_input(r, s)) {
		r->last = s;
		flush_defer(r);
		if (r->p_lo == NULL)
			r->p_lo = s;
		r->p_hi = s + size;
	}
	if (r->p_first) {
		r->p_first = 0;
		if (type == MD_TEXT_NORMAL && n >= 7 &&
		    memcmp(s, "Table: ", 7) == 0) {
			buf_put(r->out, s, 7);
			count_words(r, s, 7);
			r->cap_start = r->out->len;
			r->p_cap = 1;
			s += 7;
			n -= 7;
		}
	}
	switch (type) {
	case MD_TEXT_BR:
	case MD_TEXT_SOFTBR:
		r->in_word = 0;
		if (r->in_head)
			buf_putc(&r->htext, ' ');
		if (r->img > 0)
			buf_putc(r->cur, ' ');
		else if (type == MD_TEXT_BR)
			buf_puts(r->cur, "<br>\n");
		else
			buf_putc(r->cur, '\n');
		return check(r);
	case MD_TEXT_NULLCHAR:
		s = fffd;
		n = 3;
		break;
	case MD_TEXT_ENTITY:
		if ((i = entity_decode(s, n, u)) > 0) {
			s = u;
			n = i;
		}
		break;
	default:
		break;
	}
	put_text(r->cur, s, n, 1);
	if (r->in_head)
		put_text(&r->htext, s, n, 0);
	if (r->img > 0 && !r->alt)
		r->alt = text_visible(s, n);
	if ((r->a_open > 0 || r->in_cell) && text_visible(s, n)) {
		if (r->a_open > 0 && (r->img == 0 || r->alt))
			r->a_text = 1;	/* an image's alt text names it too */
		r->cell_text = 1;
	}
	count_words(r, s, n);
	return check(r);
}

/* Offsets of the starts of the input's lines. */
static void
line_table(struct rnd *r)
{
	size_t	 i, n = 1;

	for (i = 0; i < r->insz; i++)
		if (r->in[i] == '\n' || (r->in[i] == '\r' &&
		    (i + 1 == r->insz || r->in[i + 1] != '\n')))
			n++;
	r->lines = xreallocarray(NULL, n, sizeof(r->lines[0]));
	r->lines[0] = 0;
	r->nlines = 1;
	for (i = 0; i < r->insz; i++)
		if (r->in[i] == '\n' || (r->in[i] == '\r' &&
		    (i + 1 == r->insz || r->in[i + 1] != '\n')))
			r->lines[r->nlines++] = i + 1;
}

/*
 * Render the Markdown in md (n bytes, need not be NUL-terminated) as
 * HTML appended to out, with headings and a word count in res (which
 * may be NULL).  Errors go to d under opts->path.  Returns 0 if the
 * page rendered without error, -1 otherwise.
 */
int
mdr_render(const char *md, size_t n, const struct mdr_opts *opts,
    struct buf *out, struct mdr_result *res, struct diags *d)
{
	static const struct mdr_opts defaults;
	struct rnd	 r;
	MD_PARSER	 p;
	size_t		 max_in, i;
	char		*copy;
	int		 rc;

	if (opts == NULL)
		opts = &defaults;
	if (res != NULL)
		memset(res, 0, sizeof(*res));
	max_in = opts->max_input ? opts->max_input : MDR_MAX_INPUT;
	if (n > max_in || n >= (MD_SIZE)-1 - PAD) {
		diag_error(d, opts->path, 0, 0, "page body is %zu bytes, more "
		    "than the limit of %zu (split it into smaller pages)",
		    n, max_in);
		return -1;
	}

	memset(&r, 0, sizeof(r));
	/*
	 * md4c 0.4.8 reads past the end of input that does not end in a
	 * newline (a link on the last line), so it gets a copy that does,
	 * with zeros after it.
	 */
	copy = xmalloc(n + 1 + PAD);
	if (n > 0)
		memcpy(copy, md, n);
	memset(copy + n, 0, 1 + PAD);
	r.in = copy;
	r.insz = n;
	if (n == 0 || md[n - 1] != '\n')
		copy[r.insz++] = '\n';
	r.path = opts->path != NULL ? opts->path : "";
	r.shortcode = opts->shortcode;
	r.first_line = opts->first_line > 0 ? opts->first_line : 1;
	r.base_level = opts->base_level;
	if (r.base_level < 1 || r.base_level > 6)
		r.base_level = 2;
	r.max_output = opts->max_output ? opts->max_output : MDR_MAX_OUTPUT;
	r.max_output = r.max_output > SIZE_MAX - out->len ? SIZE_MAX :
	    r.max_output + out->len;
	r.resolve = opts->resolve;
	r.ctx = opts->ctx;
	r.d = d;
	r.res = res;
	r.out = r.cur = out;
	buf_init(&r.head);
	buf_init(&r.htext);
	buf_init(&r.spans);
	buf_init(&r.img_src);
	buf_init(&r.a_dest);
	buf_init(&r.img_title);
	buf_init(&r.msg);
	buf_init(&r.defer);
	line_table(&r);

	memset(&p, 0, sizeof(p));
	p.flags = MD_DIALECT_GITHUB | MD_FLAG_NOHTML;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	rc = md_parse(r.in, (MD_SIZE)r.insz, &p, &r);
	flush_defer(&r);
	if (rc != 0 && !r.stopped) {
		diag_error(d, r.path, 0, 0, "cannot render the page "
		    "(the Markdown parser ran out of memory)");
		r.failed = 1;
	}

	for (i = 0; i < r.ids.cap; i++)
		free(r.ids.keys[i]);
	free(r.ids.keys);
	free(r.ids.next);
	free(r.lines);
	free(copy);
	buf_free(&r.head);
	buf_free(&r.htext);
	buf_free(&r.spans);
	buf_free(&r.img_src);
	buf_free(&r.a_dest);
	for (i = 0; i < DEST_MEMO; i++) {
		free(r.memo[i].got);
		free(r.memo[i].key);
	}
	buf_free(&r.img_title);
	buf_free(&r.msg);
	buf_free(&r.defer);
	return r.failed ? -1 : 0;
}

/* Free what mdr_render() put in a result; the struct itself is not. */
void
mdr_result_free(struct mdr_result *res)
{
	size_t	 i;

	if (res == NULL)
		return;
	for (i = 0; i < res->nheadings; i++) {
		free(res->headings[i].id);
		free(res->headings[i].text);
	}
	free(res->headings);
	memset(res, 0, sizeof(*res));
}
