/*
 * YAML reader for the site configuration and front matter.
 *
 * Built on libyaml's event parser, never on its document loader: the
 * tree is made here, one event at a time, so that aliases are never
 * expanded and every node keeps its source position.  What libyaml
 * accepts but we refuse (anchors, aliases, tags, duplicate or complex
 * keys, deep nesting, a second document) is reported and parsing goes
 * on, so one run shows every such problem; a syntax error from libyaml
 * ends the parse, and its terse text is turned into a friendlier one.
 *
 * Positions: libyaml's marks are 0-based and count lines of the
 * document; ours are 1-based file lines (the document's first line is
 * first_line) and columns in characters.  A map's values carry the
 * position of their key, list items and the root their own.
 *
 * There is no global state: everything lives in a struct reader on the
 * caller's stack, so documents may be parsed from several threads.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/utf8.h"
#include "util/val.h"
#include "parse/fm.h"

/* How much of a user's text to quote in a message. */
#define SHOW	40

/* libyaml's prefix for the standard "!!" tags. */
#define YAML_TAG_PREFIX	"tag:yaml.org,2002:"

/*
 * How many of the n bytes at s to quote in a message: at most SHOW,
 * never cutting a UTF-8 character in two.
 */
static int
show(const char *s, size_t n)
{
	return (int)utf8_cut(s, n, SHOW);
}

/* An open collection. */
struct frame {
	struct val	*v;		/* the list or map being filled */
	bool		 havekey;	/* map: a key was read */
	bool		 dropval;	/* map: discard the value that follows */
	const char	*key;		/* map: the key read (arena) */
	int		 kline, kcol;	/* map: its position */
	uint32_t	*tab;		/* map: pair index + 1 by key hash */
	size_t		 tabsz;		/* map: slots in tab, a power of two */
};

struct reader {
	struct arena	*a;
	struct diags	*d;
	const char	*file;		/* path for nodes and messages */
	const char	*text;		/* the document, after any BOM */
	size_t		 len;
	int		 first;		/* file line of the document's line 1 */
	bool		 bad;		/* an error was reported */
	struct frame	 st[FM_MAX_DEPTH];
	size_t		 depth;		/* frames in use */
	size_t		 skip;		/* open collections being discarded */
	bool		 rootseen;	/* the root node was read */
	size_t		 nospace;	/* 1 + line of a "key:value" report */
	struct val	*root;
};

static void	 verr(struct reader *, int, int, const char *, va_list)
		    __attribute__((format(printf, 4, 0)));
static void	 err(struct reader *, size_t, size_t, const char *, ...)
		    __attribute__((format(printf, 4, 5)));
static void	 err_at(struct reader *, int, int, const char *, ...)
		    __attribute__((format(printf, 4, 5)));

/* Report an error at a file line and column. */
static void
verr(struct reader *r, int line, int col, const char *fmt, va_list ap)
{
	char	 msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_error(r->d, r->file, line, col, "%s", msg);
	r->bad = true;
}

/*
 * Report an error at libyaml's 0-based line and column of the
 * document.
 */
static void
err(struct reader *r, size_t line, size_t col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verr(r, (int)line + r->first, (int)col + 1, fmt, ap);
	va_end(ap);
}

/* Report an error at a file line and column. */
static void
err_at(struct reader *r, int line, int col, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	verr(r, line, col, fmt, ap);
	va_end(ap);
}

/*
 * Width of the character at s[i] and whether it is a line break as
 * libyaml counts them (LF, CR LF, CR, NEL, LS, PS).
 */
static size_t
charlen(const char *s, size_t len, size_t i, bool *brk)
{
	uint32_t	 cp;
	size_t		 w;

	*brk = false;
	if ((w = utf8_decode(s + i, len - i, &cp)) == 0)
		return 1;	/* libyaml refuses the text anyway */
	if (cp == '\r' && len - i > 1 && s[i + 1] == '\n') {
		*brk = true;
		return 2;
	}
	*brk = cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 ||
	    cp == 0x2029;
	return w;
}

/*
 * Byte offset of libyaml's (line, column), or of the end of that line
 * (or of the text) when it is shorter.
 */
static size_t
locate(const struct reader *r, size_t line, size_t col)
{
	size_t	 i = 0, l = 0, c = 0, w;
	bool	 brk;

	while (i < r->len && l < line) {
		w = charlen(r->text, r->len, i, &brk);
		i += w;
		if (brk)
			l++;
	}
	while (i < r->len && c < col) {
		w = charlen(r->text, r->len, i, &brk);
		if (brk)
			break;
		i += w;
		c++;
	}
	return i;
}

/* The (line, column) of a byte offset, as libyaml would count it. */
static void
position(const struct reader *r, size_t off, size_t *line, size_t *col)
{
	size_t	 i = 0, w;
	bool	 brk;

	*line = *col = 0;
	while (i < r->len && i < off) {
		w = charlen(r->text, r->len, i, &brk);
		i += w;
		if (brk) {
			(*line)++;
			*col = 0;
		} else
			(*col)++;
	}
}

/* Length of the line starting at offset i, without its break. */
static size_t
linelen(const struct reader *r, size_t i)
{
	size_t	 n = 0;

	while (i + n < r->len && r->text[i + n] != '\n' &&
	    r->text[i + n] != '\r')
		n++;
	return n;
}

/* The character at libyaml's (line, column), or NUL past the end. */
static char
charat(const struct reader *r, size_t line, size_t col)
{
	size_t	 i = locate(r, line, col);

	return i < r->len ? r->text[i] : '\0';
}

/*
 * Whether the line s (n bytes) reads like "key:value", a key with no
 * space after its colon: then *klen is the length of the key and *vlen
 * that of the whole "key:value".
 */
static bool
nospace(const char *s, size_t n, size_t *off, size_t *klen, size_t *vlen)
{
	size_t	 i = 0, k, e;

	while (i < n && s[i] == ' ')
		i++;
	if (i + 1 < n && s[i] == '-' && s[i + 1] == ' ')
		for (i += 2; i < n && s[i] == ' '; i++)
			continue;
	*off = i;
	for (k = i; k < n; k++)
		if (s[k] == ':' || s[k] == ' ' || s[k] == '\t' ||
		    s[k] == '#' || s[k] == '"' || s[k] == '\'')
			break;
	if (k == i || k + 1 >= n || s[k] != ':' ||
	    !(isalpha((unsigned char)s[i]) || s[i] == '_'))
		return false;
	if (s[k + 1] == ' ' || s[k + 1] == '\t' || s[k + 1] == ':' ||
	    s[k + 1] == '/')
		return false;
	for (e = k + 1; e < n && s[e] != ' ' && s[e] != '\t'; e++)
		continue;
	*klen = k - i;
	*vlen = e - i;
	return true;
}

/* Report a "key:value" line found by nospace() at libyaml's line l. */
static bool
nospace_report(struct reader *r, size_t l)
{
	size_t	 i = locate(r, l, 0), n = linelen(r, i), off, k, v, col;

	if (!nospace(r->text + i, n, &off, &k, &v))
		return false;
	if (r->nospace == l + 1)
		return true;
	r->nospace = l + 1;
	position(r, i + off, &l, &col);
	err(r, l, col, "missing space after ':' in '%.*s' (write '%.*s: %.*s')",
	    show(r->text + i + off, v), r->text + i + off,
	    show(r->text + i + off, k), r->text + i + off,
	    show(r->text + i + off + k + 1, v - k - 1),
	    r->text + i + off + k + 1);
	return true;
}

/* Turn libyaml's reader errors (encoding, control characters) into ours. */
static void
reader_error(struct reader *r, const yaml_parser_t *p)
{
	size_t	 line, col, off = p->problem_offset;
	int	 val = p->problem_value;
	const char *prob = p->problem != NULL ? p->problem : "unreadable text";
	size_t	 k;
	unsigned char b;

	/*
	 * libyaml places a bad UTF-8 sequence at the byte where it found
	 * out ('h' after 0xC3): name and place the sequence's first byte.
	 */
	if (strstr(prob, "UTF-8") != NULL && off <= r->len)
		for (k = 1; k <= 3 && k <= off; k++) {
			b = (unsigned char)r->text[off - k];
			if ((b & 0xc0) == 0x80)
				continue;
			if (b >= 0xc0 && (b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2) >
			    (int)k)
				off -= k;
			break;
		}
	position(r, off, &line, &col);
	if (strcmp(prob, "control characters are not allowed") == 0)
		err(r, line, col, "control character U+%04X is not allowed "
		    "(remove it, or write it as an escape such as \"\\t\" "
		    "in a double-quoted value)", (unsigned)val);
	else if (strcmp(prob, "invalid Unicode character") == 0)
		err(r, line, col, "invalid Unicode character U+%04X "
		    "(save the file as UTF-8)", (unsigned)val);
	else if (strstr(prob, "UTF-8") != NULL && off < r->len)
		err(r, line, col, "invalid UTF-8 byte 0x%02X "
		    "(save the file as UTF-8)",
		    (unsigned)(unsigned char)r->text[off]);
	else if (strstr(prob, "UTF-8") != NULL)
		err(r, line, col, "text ends inside a UTF-8 character "
		    "(save the file as UTF-8)");
	else
		err(r, line, col, "invalid YAML: %s (save the file as UTF-8 "
		    "text)", prob);
}

/* Whether the line of offset i holds only blanks before it. */
static bool
indentation(const struct reader *r, size_t i)
{
	while (i > 0 && r->text[i - 1] != '\n' && r->text[i - 1] != '\r') {
		if (r->text[i - 1] != ' ')
			return false;
		i--;
	}
	return true;
}

/* "did not find expected key": say what is likely wrong. */
static void
expected_key(struct reader *r, size_t line, size_t col)
{
	size_t	 i = locate(r, line, col), j = i;
	char	 c = i < r->len ? r->text[i] : '\0';

	while (j > 0 && r->text[j - 1] == ' ')
		j--;
	if (c == '\0')
		err(r, line, col, "unexpected end of the document "
		    "(check the indentation)");
	else if (j > 0 && (r->text[j - 1] == '"' || r->text[j - 1] == '\''))
		err(r, line, col, "unexpected text after a closing quote "
		    "(quote the whole value; inside single quotes write '' "
		    "for ', inside double quotes write \\\" for \")");
	else if (col > 0 && indentation(r, i))
		err(r, line, col, "this line is indented differently from "
		    "the keys above (did you indent with tabs or misalign?)");
	else if (c == '-')
		err(r, line, col, "unexpected list item where a key was "
		    "expected (indent the list under its key)");
	else
		err(r, line, col, "unexpected '%c' where a key was expected "
		    "(write 'key: value', quoting values that start with "
		    "a symbol)", c);
}

/*
 * Turn a libyaml scanner or parser error into a message that says what
 * to do.  Messages we do not recognise keep libyaml's own words.
 */
static void
syntax_error(struct reader *r, const yaml_parser_t *p)
{
	const char	*prob = p->problem != NULL ? p->problem : "syntax error";
	const char	*ctx = p->context != NULL ? p->context : "";
	size_t		 line = p->problem_mark.line, col = p->problem_mark.column;
	size_t		 cl = p->context_mark.line, cc = p->context_mark.column;
	size_t		 i, n;
	char		 c = charat(r, line, col);

	if (strcmp(prob, "found character that cannot start any token") == 0) {
		if (c == '\t')
			err(r, line, col, "tab character in indentation "
			    "(indent with spaces: YAML does not allow tabs)");
		else if (c > ' ' && c < 0x7f)
			err(r, line, col, "a value cannot start with '%c' "
			    "(put the value in quotes)", c);
		else
			err(r, line, col, "unexpected character "
			    "(put the value in quotes)");
	} else if (strncmp(prob, "found a tab character", 21) == 0) {
		err(r, line, col, "tab character in indentation "
		    "(indent with spaces: YAML does not allow tabs)");
	} else if (strcmp(prob,
	    "mapping values are not allowed in this context") == 0) {
		i = locate(r, line, 0);
		n = locate(r, line, col) - i;
		if (memmem(r->text + i, n, ": ", 2) != NULL)
			err(r, line, col, "unexpected ':' in a value (put quotes "
			    "around a value that contains ': ')");
		else if (line > 0 && nospace_report(r, line - 1))
			return;
		else {
			for (col = 0; n > 0 && r->text[i] == ' '; n--, i++)
				col++;
			while (n > 0 && r->text[i + n - 1] == ' ')
				n--;
			err(r, line, col, "key '%.*s' is indented more than "
			    "the keys above (align it with them; did you "
			    "indent with tabs or misalign?)",
			    show(r->text + i, n), r->text + i);
		}
	} else if (strcmp(prob, "could not find expected ':'") == 0 &&
	    *ctx != '\0') {
		if (!nospace_report(r, cl))
			err(r, cl, cc, "expected 'key: value' (add ':' after "
			    "the key, or indent a continued value under it)");
	} else if (strcmp(prob, "found unexpected end of stream") == 0 &&
	    strcmp(ctx, "while scanning a quoted scalar") == 0) {
		c = charat(r, cl, cc);
		err(r, cl, cc, "quoted value is never closed "
		    "(add the closing %c)", c == '\'' ? '\'' : '"');
	} else if (strcmp(prob, "found unexpected document indicator") == 0 &&
	    strcmp(ctx, "while scanning a quoted scalar") == 0) {
		c = charat(r, cl, cc);
		err(r, cl, cc, "quoted value is never closed "
		    "(add the closing %c)", c == '\'' ? '\'' : '"');
	} else if (strcmp(prob, "found unknown escape character") == 0) {
		c = charat(r, line, col + 1);
		err(r, line, col, "unknown escape '\\%c' in a double-quoted "
		    "value (write \\\\ for a backslash, or use single quotes)",
		    c > ' ' && c < 0x7f ? c : '?');
	} else if (strcmp(prob, "did not find expected ',' or ']'") == 0) {
		err(r, line, col, "expected ',' or ']' in the list opened "
		    "on line %d (close it with ']' and separate items "
		    "with ',')", (int)cl + r->first);
	} else if (strcmp(prob, "did not find expected ',' or '}'") == 0) {
		err(r, line, col, "expected ',' or '}' in the map opened "
		    "on line %d (close it with '}' and separate entries "
		    "with ',')", (int)cl + r->first);
	} else if (strcmp(prob,
	    "block sequence entries are not allowed in this context") == 0) {
		err(r, line, col, "a list cannot start on the line of its key "
		    "(put each '- item' on a line of its own, indented "
		    "under the key)");
	} else if (strcmp(prob, "did not find expected key") == 0) {
		expected_key(r, line, col);
	} else if (strcmp(prob, "did not find expected '-' indicator") == 0) {
		err(r, line, col, "expected a '- ' list item here (a list and "
		    "'key: value' lines cannot be mixed at one level; did "
		    "you indent with tabs or misalign?)");
	} else if (strcmp(prob, "did not find expected node content") == 0) {
		err(r, line, col, "expected a value here (put quotes around "
		    "text that starts with a symbol)");
	} else if (strcmp(prob, "did not find expected <document start>")
	    == 0) {
		err(r, line, col, "unexpected text after the end of the "
		    "document (remove it, or check the indentation)");
	} else if (strcmp(prob, "found undefined tag handle") == 0) {
		err(r, line, col, "tags are not allowed (remove the '!...' "
		    "tag, or put the value in quotes)");
	} else if (strcmp(ctx, "while scanning a directive") == 0) {
		err(r, line, col, "a line cannot start with '%%' "
		    "(put the value in quotes)");
	} else if (strcmp(ctx, "while scanning an anchor") == 0 ||
	    strcmp(ctx, "while scanning an alias") == 0) {
		err(r, line, col, "anchors and aliases are not allowed "
		    "(put a value that starts with '&' or '*' in quotes)");
	} else
		err(r, line, col, "invalid YAML: %s%s%s (check the quoting "
		    "and indentation here)", prob, *ctx != '\0' ? " " : "",
		    ctx);
}

/* Refuse anchors and tags, which every kind of node may carry. */
static void
properties(struct reader *r, const yaml_event_t *ev, const yaml_char_t *anchor,
    const yaml_char_t *tag)
{
	const char	*t = (const char *)tag;
	size_t		 n = strlen(YAML_TAG_PREFIX);

	if (anchor != NULL)
		err(r, ev->start_mark.line, ev->start_mark.column,
		    "anchor '&%.*s' is not allowed (write the value out in "
		    "full where it is needed)", show((const char *)anchor,
		    strlen((const char *)anchor)), (const char *)anchor);
	if (t == NULL)
		return;
	if (strncmp(t, YAML_TAG_PREFIX, n) == 0)
		err(r, ev->start_mark.line, ev->start_mark.column,
		    "tag '!!%.*s' is not allowed (remove it; put the value in "
		    "quotes to keep it as text)", show(t + n, strlen(t + n)),
		    t + n);
	else
		err(r, ev->start_mark.line, ev->start_mark.column,
		    "tag '%.*s' is not allowed (remove it; put the value in "
		    "quotes to keep it as text)", show(t, strlen(t)), t);
}

/* Index of key s in the map of frame f, or -1. */
static long
lookup(const struct frame *f, const char *s, size_t n)
{
	size_t	 h;
	uint32_t i;

	if (f->tabsz == 0)
		return -1;
	h = (size_t)text_hash(s, n) & (f->tabsz - 1);
	while ((i = f->tab[h]) != 0) {
		if (strcmp(f->v->pairs[i - 1].key, s) == 0)
			return (long)i - 1;
		h = (h + 1) & (f->tabsz - 1);
	}
	return -1;
}

/* Put pair index i into the hash table of frame f. */
static void
hash_put(struct frame *f, size_t i)
{
	const char	*k = f->v->pairs[i].key;
	size_t		 h = (size_t)text_hash(k, strlen(k)) & (f->tabsz - 1);

	while (f->tab[h] != 0)
		h = (h + 1) & (f->tabsz - 1);
	f->tab[h] = (uint32_t)i + 1;
}

/*
 * Append a pair to the map of frame f.  The reader has already made
 * sure the key is new, so unlike val_set() this needs no scan.
 */
static void
map_append(struct reader *r, struct frame *f, const char *key, struct val *v)
{
	struct val	*m = f->v;
	struct val_pair	*np;
	size_t		 i;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		np = arena_alloc(r->a, m->cap * sizeof(*np));
		if (m->n > 0)
			memcpy(np, m->pairs, m->n * sizeof(*np));
		m->pairs = np;
	}
	m->pairs[m->n].key = key;
	m->pairs[m->n].v = v;
	m->n++;
	if (m->n * 2 > f->tabsz) {
		free(f->tab);
		f->tabsz = f->tabsz ? f->tabsz * 2 : 32;
		f->tab = xcalloc(f->tabsz, sizeof(*f->tab));
		for (i = 0; i < m->n; i++)
			hash_put(f, i);
	} else
		hash_put(f, m->n - 1);
}

/* Give v its position and file. */
static void
place(const struct reader *r, struct val *v, const yaml_mark_t *m)
{
	v->file = r->file;
	v->line = (int)m->line + r->first;
	v->col = (int)m->column + 1;
}

/*
 * Attach v (never NULL) to the innermost open collection: a map's
 * value takes the position of its key.
 */
static void
attach(struct reader *r, struct val *v)
{
	struct frame	*f = &r->st[r->depth - 1];

	if (f->v->kind == VAL_LIST) {
		val_push(r->a, f->v, v);
		return;
	}
	if (!f->dropval) {
		v->line = f->kline;
		v->col = f->kcol;
		map_append(r, f, f->key, v);
	}
	f->havekey = f->dropval = false;
	f->key = NULL;
}

/* A scalar in key position of the map of frame f. */
static void
key(struct reader *r, struct frame *f, const yaml_event_t *ev)
{
	const char	*s = (const char *)ev->data.scalar.value;
	size_t		 n = ev->data.scalar.length;
	const yaml_mark_t *m = &ev->start_mark;
	long		 i;

	f->havekey = true;
	f->dropval = true;
	f->kline = (int)m->line + r->first;
	f->kcol = (int)m->column + 1;
	if (n == 0 && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE) {
		err(r, m->line, m->column, "missing key before ':' "
		    "(write 'key: value')");
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		err(r, m->line, m->column, "key contains a NUL character "
		    "(remove the \\0 escape)");
		return;
	}
	if ((i = lookup(f, s, n)) >= 0) {
		err(r, m->line, m->column, "duplicate key '%.*s' (first given "
		    "on line %d; remove one of them)", show(s, n), s,
		    f->v->pairs[i].v->line);
		return;
	}
	f->key = arena_intern(r->a, s, n);
	f->dropval = false;
}

/* Whether a plain scalar means "no value". */
static bool
isnull(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	    (n == 4 && (memcmp(s, "null", 4) == 0 ||
	    memcmp(s, "Null", 4) == 0 || memcmp(s, "NULL", 4) == 0));
}

/* Report a root that is not a map: text. */
static void
root_scalar(struct reader *r, const yaml_event_t *ev)
{
	const char	*s = (const char *)ev->data.scalar.value;
	size_t		 n, k, v, off;
	const yaml_mark_t *m = &ev->start_mark;

	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    nospace(s, strcspn(s, "\n"), &off, &k, &v) && off == 0) {
		r->nospace = m->line + 1;
		err(r, m->line, m->column, "missing space after ':' in '%.*s' "
		    "(write '%.*s: %.*s')", show(s, v), s, show(s, k), s,
		    show(s + k + 1, v - k - 1), s + k + 1);
		return;
	}
	n = strcspn(s, "\n");
	err(r, m->line, m->column, "expected 'key: value' lines, found the "
	    "text '%.*s' (a document must be a mapping)",
	    show(s, n), s);
}

/* A scalar: a key, a value, a list item or (wrongly) the root. */
static void
scalar(struct reader *r, const yaml_event_t *ev)
{
	const char	*s = (const char *)ev->data.scalar.value;
	size_t		 n = ev->data.scalar.length;
	bool		 plain;
	struct frame	*f;
	struct val	*v;

	properties(r, ev, ev->data.scalar.anchor, ev->data.scalar.tag);
	if (r->skip > 0)
		return;
	plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (r->depth == 0) {
		r->rootseen = true;
		/* An empty document is fine: fm_parse() makes the map. */
		if (!plain || n > 0)
			root_scalar(r, ev);
		return;
	}
	f = &r->st[r->depth - 1];
	if (f->v->kind == VAL_MAP && !f->havekey) {
		key(r, f, ev);
		return;
	}
	if (memchr(s, '\0', n) != NULL) {
		err(r, ev->start_mark.line, ev->start_mark.column,
		    "value contains a NUL character (remove the \\0 escape)");
		v = val_new(r->a, VAL_NULL);
	} else if (plain && isnull(s, n))
		v = val_new(r->a, VAL_NULL);
	else {
		v = val_strn(r->a, s, n);
		v->quoted = !plain;
	}
	place(r, v, &ev->start_mark);
	attach(r, v);
}

/* An alias, refused; it stands for a null so parsing can go on. */
static void
alias(struct reader *r, const yaml_event_t *ev)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct frame	*f;
	struct val	*v;

	err(r, m->line, m->column, "alias '*%.*s' is not allowed (write the "
	    "value out in full)", show((const char *)ev->data.alias.anchor,
	    strlen((const char *)ev->data.alias.anchor)),
	    (const char *)ev->data.alias.anchor);
	if (r->skip > 0)
		return;
	if (r->depth == 0) {
		r->rootseen = true;
		return;
	}
	f = &r->st[r->depth - 1];
	if (f->v->kind == VAL_MAP && !f->havekey) {
		f->havekey = f->dropval = true;
		return;
	}
	v = val_new(r->a, VAL_NULL);
	place(r, v, m);
	attach(r, v);
}

/* The start of a list or map. */
static void
open_coll(struct reader *r, const yaml_event_t *ev, enum val_kind k)
{
	const yaml_mark_t *m = &ev->start_mark;
	struct frame	*f = NULL;
	struct val	*v;

	if (k == VAL_MAP)
		properties(r, ev, ev->data.mapping_start.anchor,
		    ev->data.mapping_start.tag);
	else
		properties(r, ev, ev->data.sequence_start.anchor,
		    ev->data.sequence_start.tag);
	if (r->skip > 0) {
		r->skip++;
		return;
	}
	if (r->depth == 0) {
		r->rootseen = true;
		if (k != VAL_MAP) {
			err(r, m->line, m->column, "expected 'key: value' "
			    "lines, found a list (a document must be a "
			    "mapping)");
			r->skip = 1;
			return;
		}
	} else {
		f = &r->st[r->depth - 1];
		if (f->v->kind == VAL_MAP && !f->havekey) {
			err(r, m->line, m->column, "a %s cannot be a key "
			    "(keys must be text, as in 'key: value')",
			    k == VAL_MAP ? "map" : "list");
			f->havekey = f->dropval = true;
			r->skip = 1;
			return;
		}
		if (f->v->kind == VAL_MAP && f->dropval) {
			f->havekey = f->dropval = false;
			r->skip = 1;
			return;
		}
	}
	if (r->depth == FM_MAX_DEPTH) {
		/* A map's value is reported at its key, as it is placed. */
		v = val_new(r->a, VAL_NULL);
		place(r, v, m);
		if (f->v->kind == VAL_MAP) {
			v->line = f->kline;
			v->col = f->kcol;
		}
		err_at(r, v->line, v->col, "nesting deeper than %d levels is "
		    "not allowed (flatten the structure)", FM_MAX_DEPTH);
		r->skip = 1;
		attach(r, v);
		return;
	}
	v = val_new(r->a, k);
	place(r, v, m);
	if (f == NULL)
		r->root = v;
	else
		attach(r, v);
	f = &r->st[r->depth++];
	memset(f, 0, sizeof(*f));
	f->v = v;
}

/* The end of a list or map. */
static void
close_coll(struct reader *r)
{
	if (r->skip > 0) {
		r->skip--;
		return;
	}
	if (r->depth > 0) {
		free(r->st[r->depth - 1].tab);
		memset(&r->st[r->depth - 1], 0, sizeof(r->st[0]));
		r->depth--;
	}
}

/*
 * Parse a YAML document into a value tree whose root is a map.
 * Errors are reported as they are found; the tree is returned only
 * when there were none.
 */
struct val *
fm_parse(struct arena *a, const char *path, const char *text, size_t len,
    int first_line, struct diags *d)
{
	struct reader	 r;
	yaml_parser_t	 p;
	yaml_event_t	 ev;
	bool		 done = false;
	int		 docs = 0;
	size_t		 i;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.d = d;
	r.file = path != NULL ? arena_strdup(a, path) : NULL;
	r.first = first_line;
	r.text = text != NULL ? text : "";
	r.len = text != NULL ? len : 0;

	if (r.len > FM_MAX_BYTES) {
		diag_error(d, r.file, first_line, 0, "document is %zu bytes, "
		    "more than the limit of %d (move long text out of it, "
		    "e.g. into the page body)", r.len, FM_MAX_BYTES);
		return NULL;
	}

	/*
	 * libyaml would keep a BOM's column on the first line when the
	 * encoding is forced, so drop it here; forcing UTF-8 means a
	 * UTF-16 file is refused rather than silently accepted.
	 */
	if (r.len >= 3 && memcmp(r.text, "\xef\xbb\xbf", 3) == 0) {
		r.text += 3;
		r.len -= 3;
	}
	if (!yaml_parser_initialize(&p)) {
		diag_error(d, r.file, 0, 0, "out of memory reading YAML");
		return NULL;
	}
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&p, (const unsigned char *)r.text, r.len);

	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			if (p.error == YAML_READER_ERROR)
				reader_error(&r, &p);
			else if (p.error == YAML_MEMORY_ERROR) {
				diag_error(d, r.file, 0, 0,
				    "out of memory reading YAML");
				r.bad = true;
			} else
				syntax_error(&r, &p);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				err(&r, ev.start_mark.line,
				    ev.start_mark.column, "a second document "
				    "is not allowed (remove this '---' line: "
				    "a file holds one YAML document)");
				done = true;
			}
			break;
		case YAML_SCALAR_EVENT:
			scalar(&r, &ev);
			break;
		case YAML_ALIAS_EVENT:
			alias(&r, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			open_coll(&r, &ev, VAL_LIST);
			break;
		case YAML_MAPPING_START_EVENT:
			open_coll(&r, &ev, VAL_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			close_coll(&r);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	for (i = 0; i < r.depth; i++)
		free(r.st[i].tab);

	if (r.bad)
		return NULL;
	if (r.root == NULL) {
		/* An empty document: no root node at all. */
		r.root = val_map(a);
		r.root->file = r.file;
		r.root->line = first_line;
		r.root->col = 1;
	}
	return r.root;
}

/*
 * If the line at s[i] is a fence (the three characters f, then only
 * blanks), return true and set *next to the start of the next line.
 * An opening fence must end in a line break.
 */
static bool
fence(const char *s, size_t len, size_t i, const char *f, bool open,
    size_t *next)
{
	size_t	 j;

	if (len - i < 3 || memcmp(s + i, f, 3) != 0)
		return false;
	for (j = i + 3; j < len && (s[j] == ' ' || s[j] == '\t'); j++)
		continue;
	if (j < len && s[j] == '\r' && j + 1 < len && s[j + 1] == '\n')
		j++;
	if (j < len && s[j] == '\n') {
		*next = j + 1;
		return true;
	}
	if (j == len && !open) {
		*next = len;
		return true;
	}
	return false;
}

/*
 * Split a file into front matter and body.  Without front matter, or
 * when the opening fence is never closed, everything (less a UTF-8
 * BOM) is body, starting on line 1.
 */
int
fm_split(const char *s, size_t len, const char **fm, size_t *fmlen,
    int *fmline, const char **body, size_t *bodylen, int *bodyline)
{
	size_t		 i = 0, start, next;
	const char	*nl;
	int		 line;

	if (s == NULL) {
		s = "";
		len = 0;
	}
	if (len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0)
		i = 3;	/* a UTF-8 byte order mark */
	/* cppcheck-suppress pointerOutOfBounds ; i <= len */
	*fm = s + i;
	*fmlen = 0;
	*fmline = 1;
	/* cppcheck-suppress pointerOutOfBounds ; i <= len */
	*body = s + i;
	*bodylen = len - i;
	*bodyline = 1;
	if (!fence(s, len, i, "---", true, &start))
		return 0;

	for (i = start, line = 2; i < len; i = next, line++) {
		if (fence(s, len, i, "---", false, &next) ||
		    fence(s, len, i, "...", false, &next)) {
			*fm = s + start;
			*fmlen = i - start;
			*fmline = 2;
			*body = s + next;
			*bodylen = len - next;
			*bodyline = line + 1;
			return 0;
		}
		nl = memchr(s + i, '\n', len - i);
		next = nl != NULL ? (size_t)(nl - s) + 1 : len;
	}
	return -1;
}
