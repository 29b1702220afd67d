/*
 * Templates: a lexer and a recursive-descent parser turn each template
 * into a tree (allocated in the set's arena) once; rendering walks the
 * tree.  Nothing in the set or the trees is written while rendering:
 * scopes, loop variables and the like live on the C stack and values
 * made by filters go to the caller's scratch arena, so several threads
 * may render from one set at once.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/tmpl.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/url.h"
#include "util/val.h"

#define MAX_EXPR_DEPTH	64	/* parentheses, "not" and filter arguments */
#define MAX_BLOCK_DEPTH	64	/* if and for blocks inside each other */
#define MAX_SEGS	32	/* parts of a dotted path */
#define MAX_JSON_DEPTH	64

enum ekind {
	E_LIT,			/* string, number, true, false, null */
	E_PATH,			/* a.b.0 */
	E_NOT,
	E_AND,
	E_OR,
	E_CMP,
	E_FILTER,
};

enum cmpop { OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE };

enum fid {
	F_CUSTOM, F_SAFE, F_DATE, F_WEEKDAY_DATE, F_TIME, F_ISO, F_UPPER,
	F_LOWER, F_LENGTH, F_DEFAULT, F_JOIN, F_SLUG, F_JSON, F_URLENCODE,
};

/* Whether a filter takes an argument. */
enum farg { ARG_NONE, ARG_OPT, ARG_NEED };

static const struct builtin {
	const char	*name;
	enum fid	 id;
	enum farg	 arg;
} builtins[] = {
	{ "safe", F_SAFE, ARG_NONE },
	{ "date", F_DATE, ARG_NONE },
	{ "weekday_date", F_WEEKDAY_DATE, ARG_NONE },
	{ "time", F_TIME, ARG_NONE },
	{ "iso", F_ISO, ARG_NONE },
	{ "upper", F_UPPER, ARG_NONE },
	{ "lower", F_LOWER, ARG_NONE },
	{ "length", F_LENGTH, ARG_NONE },
	{ "default", F_DEFAULT, ARG_NEED },
	{ "join", F_JOIN, ARG_OPT },
	{ "slug", F_SLUG, ARG_NONE },
	{ "json", F_JSON, ARG_NONE },
	{ "urlencode", F_URLENCODE, ARG_NONE },
};

#define NBUILTINS	(sizeof(builtins) / sizeof(builtins[0]))

/* One part of a dotted path; idx is set when the part is all digits. */
struct seg {
	const char	*name;
	size_t		 idx;
	int		 isidx;
};

struct expr {
	enum ekind	 kind;
	int		 line, col;
	const struct val *lit;		/* E_LIT */
	struct seg	*segs;		/* E_PATH */
	size_t		 nsegs;
	enum cmpop	 op;		/* E_CMP */
	struct expr	*l, *r;		/* operands; filter input, argument */
	enum fid	 fid;		/* E_FILTER */
	const char	*fname;
	tmpl_filter_fn	 fn;		/* F_CUSTOM */
	void		*fctx;
};

enum nkind { N_TEXT, N_OUT, N_IF, N_FOR, N_INCLUDE, N_SET };

/* An "if" or "elif" arm, or the "else" arm when cond is NULL. */
struct branch {
	struct expr	*cond;
	struct node	*body;
	struct branch	*next;
};

struct node {
	enum nkind	 kind;
	int		 line, col;
	struct node	*next;
	const char	*text;		/* N_TEXT, pointing into the source */
	size_t		 len;
	struct expr	*expr;		/* N_OUT, N_FOR, N_SET */
	struct branch	*branches;	/* N_IF */
	struct node	*body, *alt;	/* N_FOR and its "else" */
	const char	*name;		/* N_FOR, N_SET variable */
	const struct tmpl *inc;		/* N_INCLUDE */
};

enum tstate { TS_LOADING, TS_OK, TS_FAILED };

struct tmpl {
	const char	*name;
	const char	*path;
	struct node	*root;
	int		 height;	/* longest include chain from here */
	enum tstate	 state;
	struct tmpl	*next;
};

struct filter {
	char		*name;
	tmpl_filter_fn	 fn;
	void		*ctx;
};

#define NBUCKETS	256

/* An interned name: equal names share one pointer. */
struct name {
	const char	*s;
	struct name	*next;
};

struct tmpl_set {
	tmpl_read_fn	 read;
	void		*ctx;
	struct arena	*arena;
	struct tmpl	*tmpls;
	struct filter	*filters;
	size_t		 nfilters;
	struct tmpl	*stack[TMPL_MAX_DEPTH + 1];	/* being loaded */
	size_t		 nstack;
	struct name	*names[NBUCKETS];
};

static const char loopname[] = "loop";

/* --- lexer -------------------------------------------------------- */

enum tok {
	K_EOF, K_ERR, K_OPEN, K_NAME, K_NUM, K_STR, K_DOT, K_PIPE,
	K_LPAREN, K_RPAREN, K_COMMA, K_ASSIGN, K_EQ, K_NE, K_LT, K_GT,
	K_LE, K_GE, K_MINUS, K_ENDVAR, K_ENDTAG,
};

struct token {
	enum tok	 kind;
	const char	*s;		/* source text */
	size_t		 len;
	int		 line, col;
	int		 trim;		/* "-}}" or "-%}" */
	int		 isidx;		/* digits right after a dot */
	double		 num;
	const char	*str;		/* K_STR, decoded */
	size_t		 slen;
};

enum tagk {
	T_NONE, T_EOF, T_IF, T_ELIF, T_ELSE, T_ENDIF, T_FOR, T_ENDFOR,
	T_INCLUDE, T_SET, T_UNKNOWN,
};

/* In the order of enum tagk from T_IF. */
static const char *const tagnames[] = {
	"if", "elif", "else", "endif", "for", "endfor", "include", "set",
	NULL
};

static const char *const reserved[] = {
	"and", "or", "not", "in", "true", "false", "null", "none", NULL
};

struct parser {
	struct tmpl_set	*set;
	struct tmpl	*t;
	struct diags	*d;
	const char	*p, *end, *bol;
	int		 line;
	struct token	 tok, prev;
	int		 failed;	/* any error in this template */
	int		 fatal;		/* stop parsing */
	int		 tagerr;	/* error already reported in this tag */
	int		 unterm;	/* "unterminated" said for this tag */
	int		 eofintag;	/* the file ended inside a tag */
	int		 quiet;		/* skipping: report nothing */
	int		 trim_next;	/* strip leading space of next text */
	int		 open_if, open_for, blocks, edepth;
	enum tagk	 pending;	/* end tag handed to an outer block */
	int		 op_line, op_col;	/* "{{" or "{%" of this tag */
	char		 op_kind;
	int		 height;
};

static const struct val vnull = { .kind = VAL_NULL };
static const struct val vtrue = { .kind = VAL_BOOL, .b = true };
static const struct val vfalse = { .kind = VAL_BOOL, .b = false };

static void vperr(struct parser *, int, int, int, const char *, va_list)
    __attribute__((format(printf, 5, 0)));
static void perr(struct parser *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static void perr_force(struct parser *, int, int, const char *, ...)
    __attribute__((format(printf, 4, 5)));

static void
vperr(struct parser *p, int force, int line, int col, const char *fmt,
    va_list ap)
{
	char	msg[512];

	p->failed = 1;
	if (!force) {
		if (p->quiet || p->tagerr)
			return;
		p->tagerr = 1;
	}
	if (p->d == NULL)
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	diag_error(p->d, p->t->path, line, col, "%s", msg);
}

/* Report an error in the current tag; only its first is shown. */
static void
perr(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vperr(p, 0, line, col, fmt, ap);
	va_end(ap);
}

/* Report an error about the block structure, always shown. */
static void
perr_force(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vperr(p, 1, line, col, fmt, ap);
	va_end(ap);
}

static void lerr(struct diags *, const char *, int, int, const char *, ...)
    __attribute__((format(printf, 5, 6)));

/* Report a loading error (diags may be NULL). */
static void
lerr(struct diags *d, const char *path, int line, int col, const char *fmt,
    ...)
{
	char	msg[1024];
	va_list	ap;

	if (d == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(d, path, line, col, "%s", msg);
}

/* Move to "to", counting lines on the way. */
static void
skipto(struct parser *p, const char *to)
{
	const char	*nl;

	while ((nl = memchr(p->p, '\n', (size_t)(to - p->p))) != NULL) {
		p->line++;
		p->bol = p->p = nl + 1;
	}
	p->p = to;
}

static int
isname(int c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static int
isword(const struct token *k, const char *w)
{
	return k->kind == K_NAME && strlen(w) == k->len &&
	    memcmp(k->s, w, k->len) == 0;
}

static int
isreserved(const struct token *k)
{
	size_t	i;

	for (i = 0; reserved[i] != NULL; i++)
		if (isword(k, reserved[i]))
			return 1;
	return 0;
}

/* How a token is named in messages. */
static void
describe(const struct token *k, char *b, size_t sz)
{
	switch (k->kind) {
	case K_EOF:
		snprintf(b, sz, "the end of the file");
		break;
	case K_STR:
		snprintf(b, sz, "a string");
		break;
	default:
		snprintf(b, sz, "'%.*s'", (int)(k->len > 40 ? 40 : k->len),
		    k->s);
		break;
	}
}

/* Decode a quoted string (quotes included in s, n) into the arena. */
static char *
unquote(struct parser *p, const char *s, size_t n, size_t *len)
{
	char	*o = arena_alloc(p->set->arena, n), *q = o;
	size_t	 i;

	for (i = 1; i + 1 < n; i++) {
		if (s[i] != '\\') {
			*q++ = s[i];
			continue;
		}
		switch (s[++i]) {
		case 'n':
			*q++ = '\n';
			break;
		case 't':
			*q++ = '\t';
			break;
		case '\\':
		case '\'':
		case '"':
			*q++ = s[i];
			break;
		default:
			*q++ = '\\';
			*q++ = s[i];
			break;
		}
	}
	*q = '\0';
	*len = (size_t)(q - o);
	return o;
}

static void
lex_string(struct parser *p, struct token *k)
{
	const char	*s = p->p, *q = s + 1;

	while (q < p->end && *q != *s && *q != '\n') {
		if (*q == '\\' && q + 1 < p->end && q[1] != '\n')
			q++;
		q++;
	}
	if (q >= p->end || *q != *s) {
		perr(p, k->line, k->col,
		    "unterminated string (add the closing %c)", *s);
		k->kind = K_ERR;
		k->len = (size_t)(q - s);
		return;
	}
	k->kind = K_STR;
	k->len = (size_t)(q - s) + 1;
	k->str = unquote(p, s, k->len, &k->slen);
}

static void
lex_number(struct parser *p, struct token *k, int afterdot)
{
	const char	*s = p->p, *q = s;
	char		 nb[64];

	while (q < p->end && isdigit((unsigned char)*q))
		q++;
	if (!afterdot && q + 1 < p->end && *q == '.' &&
	    isdigit((unsigned char)q[1]))
		for (q++; q < p->end && isdigit((unsigned char)*q); q++)
			continue;
	k->len = (size_t)(q - s);
	if ((q < p->end && isname(*q)) || k->len >= sizeof(nb)) {
		while (q < p->end && isname(*q))
			q++;
		k->len = (size_t)(q - s);
		perr(p, k->line, k->col, "bad number '%.*s'",
		    (int)(k->len > 40 ? 40 : k->len), s);
		k->kind = K_ERR;
		return;
	}
	memcpy(nb, s, k->len);
	nb[k->len] = '\0';
	k->kind = K_NUM;
	k->num = strtod(nb, NULL);
	k->isidx = afterdot;
}

/* Read the next token of an expression into p->tok. */
static void
lex(struct parser *p)
{
	struct token	*k = &p->tok;
	const char	*s;
	int		 afterdot = k->kind == K_DOT, c, c1, c2;

	p->prev = *k;
	while (p->p < p->end && isspace((unsigned char)*p->p)) {
		if (*p->p == '\n') {
			p->line++;
			p->bol = p->p + 1;
		}
		p->p++;
	}
	memset(k, 0, sizeof(*k));
	k->s = s = p->p;
	k->line = p->line;
	k->col = (int)(s - p->bol) + 1;
	if (s >= p->end) {
		k->kind = K_EOF;
		return;
	}
	c = (unsigned char)s[0];
	c1 = s + 1 < p->end ? s[1] : '\0';
	c2 = s + 2 < p->end ? s[2] : '\0';
	k->len = 1;
	if (isalpha(c) || c == '_') {
		while (s + k->len < p->end && isname(s[k->len]))
			k->len++;
		k->kind = K_NAME;
	} else if (isdigit(c))
		lex_number(p, k, afterdot);
	else if (c == '"' || c == '\'')
		lex_string(p, k);
	else if (c == '-' && (c1 == '}' || c1 == '%') && c2 == '}') {
		k->kind = c1 == '}' ? K_ENDVAR : K_ENDTAG;
		k->len = 3;
		k->trim = 1;
	} else if (c == '}' && c1 == '}') {
		k->kind = K_ENDVAR;
		k->len = 2;
	} else if (c == '%' && c1 == '}') {
		k->kind = K_ENDTAG;
		k->len = 2;
	} else if ((c == '=' || c == '!' || c == '<' || c == '>') &&
	    c1 == '=') {
		k->kind = c == '=' ? K_EQ : c == '!' ? K_NE :
		    c == '<' ? K_LE : K_GE;
		k->len = 2;
	} else if (c == '=')
		k->kind = K_ASSIGN;
	else if (c == '<')
		k->kind = K_LT;
	else if (c == '>')
		k->kind = K_GT;
	else if (c == '-')
		k->kind = K_MINUS;
	else if (c == '.')
		k->kind = K_DOT;
	else if (c == '|')
		k->kind = K_PIPE;
	else if (c == '(')
		k->kind = K_LPAREN;
	else if (c == ')')
		k->kind = K_RPAREN;
	else if (c == ',')
		k->kind = K_COMMA;
	else {
		if (isprint(c))
			perr(p, k->line, k->col,
			    "unexpected character '%c' in expression", c);
		else
			perr(p, k->line, k->col,
			    "unexpected byte 0x%02x in expression", c);
		k->kind = K_ERR;
	}
	p->p = s + k->len;
}

/* The current tag reached the end of the file. */
static void
unterminated(struct parser *p)
{
	if (p->unterm)
		return;
	p->unterm = p->eofintag = 1;
	if (p->op_kind == '{')
		perr_force(p, p->op_line, p->op_col,
		    "unterminated '{{' (add '}}')");
	else
		perr_force(p, p->op_line, p->op_col,
		    "unterminated '{%%' tag (add '%%}')");
}

/* Complain that what was wanted is not the current token. */
static void
expected(struct parser *p, const char *what)
{
	char	a[64], f[64];

	if (p->tok.kind == K_EOF) {
		p->tagerr = 1;
		unterminated(p);
		return;
	}
	describe(&p->prev, a, sizeof(a));
	describe(&p->tok, f, sizeof(f));
	perr(p, p->tok.line, p->tok.col, "expected %s after %s, found %s",
	    what, a, f);
}

/* After an error, pass over the rest of the tag quietly. */
static void
skip_rest(struct parser *p)
{
	p->quiet++;
	while (p->tok.kind != K_ENDVAR && p->tok.kind != K_ENDTAG &&
	    p->tok.kind != K_EOF)
		lex(p);
	p->quiet--;
	if (p->tok.kind == K_EOF)
		unterminated(p);
	else
		p->trim_next = p->tok.trim;
}

/* Expect the end of a "{% %}" tag. */
static int
finish(struct parser *p)
{
	if (p->tok.kind == K_ENDTAG) {
		p->trim_next = p->tok.trim;
		return 1;
	}
	expected(p, "'%}'");
	skip_rest(p);
	return 0;
}

/* Start a tag: the opener becomes the current token. */
static void
begin(struct parser *p, char kind, int line, int col)
{
	p->op_kind = kind;
	p->op_line = line;
	p->op_col = col;
	p->tagerr = p->unterm = 0;
	p->edepth = 0;
	memset(&p->tok, 0, sizeof(p->tok));
	p->tok.kind = K_OPEN;
	p->tok.s = kind == '{' ? "{{" : "{%";
	p->tok.len = 2;
	p->tok.line = line;
	p->tok.col = col;
}

/* --- expressions --------------------------------------------------- */

static struct expr *parse_or(struct parser *);

static struct expr *
mkexpr(struct parser *p, enum ekind k, const struct token *at)
{
	struct expr	*e = arena_alloc(p->set->arena, sizeof(*e));

	e->kind = k;
	e->line = at->line;
	e->col = at->col;
	return e;
}

static struct expr *
mklit(struct parser *p, const struct token *at, const struct val *v)
{
	struct expr	*e = mkexpr(p, E_LIT, at);

	e->lit = v;
	return e;
}

/*
 * The one copy of a name, so that scopes are searched by comparing
 * pointers.  "loop" is always the static loopname.
 */
static const char *
intern(struct tmpl_set *s, const char *w, size_t n)
{
	struct name	*e;
	size_t		 h = (size_t)(text_hash(w, n) % NBUCKETS);

	if (n == sizeof(loopname) - 1 && memcmp(w, loopname, n) == 0)
		return loopname;
	for (e = s->names[h]; e != NULL; e = e->next)
		if (strncmp(e->s, w, n) == 0 && e->s[n] == '\0')
			return e->s;
	e = arena_alloc(s->arena, sizeof(*e));
	e->s = arena_strndup(s->arena, w, n);
	e->next = s->names[h];
	s->names[h] = e;
	return e->s;
}

static struct expr *
parse_path(struct parser *p)
{
	struct seg	 segs[MAX_SEGS];
	struct token	 first = p->tok;
	struct expr	*e;
	size_t		 n = 0;

	for (;;) {
		if (n == MAX_SEGS) {
			perr(p, first.line, first.col,
			    "path has more than %d parts", MAX_SEGS);
			return NULL;
		}
		segs[n].name = intern(p->set, p->tok.s, p->tok.len);
		segs[n].isidx = p->tok.kind == K_NUM;
		segs[n].idx = p->tok.num >= 1e18 ? (size_t)-1 :
		    (size_t)p->tok.num;
		n++;
		lex(p);
		if (p->tok.kind != K_DOT)
			break;
		lex(p);
		if (p->tok.kind != K_NAME &&
		    !(p->tok.kind == K_NUM && p->tok.isidx)) {
			expected(p, "a name");
			return NULL;
		}
	}
	e = mkexpr(p, E_PATH, &first);
	e->nsegs = n;
	e->segs = arena_alloc(p->set->arena, n * sizeof(*e->segs));
	memcpy(e->segs, segs, n * sizeof(*e->segs));
	return e;
}

static struct expr *
parse_primary(struct parser *p)
{
	struct token	 t = p->tok;
	struct expr	*e;
	struct val	*v;

	switch (t.kind) {
	case K_STR:
		v = val_new(p->set->arena, VAL_STR);
		v->str = t.str;
		v->len = t.slen;
		lex(p);
		return mklit(p, &t, v);
	case K_NUM:
		lex(p);
		return mklit(p, &t, val_num(p->set->arena, t.num));
	case K_MINUS:
		lex(p);
		if (p->tok.kind != K_NUM) {
			expected(p, "a number");
			return NULL;
		}
		e = mklit(p, &t, val_num(p->set->arena, -p->tok.num));
		lex(p);
		return e;
	case K_LPAREN:
		lex(p);
		if ((e = parse_or(p)) == NULL)
			return NULL;
		if (p->tok.kind != K_RPAREN) {
			expected(p, "')'");
			return NULL;
		}
		lex(p);
		return e;
	case K_NAME:
		break;
	default:
		expected(p, "a value");
		return NULL;
	}
	if (isword(&t, "true") || isword(&t, "false")) {
		lex(p);
		return mklit(p, &t, isword(&t, "true") ? &vtrue : &vfalse);
	}
	if (isword(&t, "null") || isword(&t, "none")) {
		lex(p);
		return mklit(p, &t, &vnull);
	}
	if (isreserved(&t)) {
		expected(p, "a value");
		return NULL;
	}
	return parse_path(p);
}

/* Resolve filter name into e, or report it unknown. */
static int
find_filter(struct parser *p, struct expr *e, const char *name,
    enum farg *arg)
{
	const char	**cands;
	const char	*sug;
	size_t		 i, n = 0;

	*arg = ARG_OPT;
	if (strcmp(name, "safe") != 0)
		for (i = 0; i < p->set->nfilters; i++)
			if (strcmp(p->set->filters[i].name, name) == 0) {
				e->fid = F_CUSTOM;
				e->fn = p->set->filters[i].fn;
				e->fctx = p->set->filters[i].ctx;
				return 1;
			}
	for (i = 0; i < NBUILTINS; i++)
		if (strcmp(builtins[i].name, name) == 0) {
			e->fid = builtins[i].id;
			*arg = builtins[i].arg;
			return 1;
		}
	cands = xcalloc(NBUILTINS + p->set->nfilters + 1, sizeof(*cands));
	for (i = 0; i < NBUILTINS; i++)
		cands[n++] = builtins[i].name;
	for (i = 0; i < p->set->nfilters; i++)
		cands[n++] = p->set->filters[i].name;
	sug = text_suggest(name, cands);
	if (sug != NULL)
		perr(p, e->line, e->col,
		    "unknown filter '%.64s' (did you mean '%s'?)", name, sug);
	else
		perr(p, e->line, e->col, "unknown filter '%.64s'", name);
	free(cands);
	return 0;
}

/* A value followed by any number of "| filter" or "| filter(arg)". */
static struct expr *
parse_filtered(struct parser *p)
{
	struct expr	*e, *f;
	enum farg	 arg;

	if ((e = parse_primary(p)) == NULL)
		return NULL;
	while (p->tok.kind == K_PIPE) {
		lex(p);
		if (p->tok.kind != K_NAME) {
			expected(p, "a filter name");
			return NULL;
		}
		f = mkexpr(p, E_FILTER, &p->tok);
		f->l = e;
		f->fname = arena_strndup(p->set->arena, p->tok.s, p->tok.len);
		if (!find_filter(p, f, f->fname, &arg))
			return NULL;
		lex(p);
		if (p->tok.kind == K_LPAREN) {
			lex(p);
			if ((f->r = parse_or(p)) == NULL)
				return NULL;
			if (p->tok.kind == K_COMMA) {
				perr(p, p->tok.line, p->tok.col,
				    "filter '%s' takes one argument",
				    f->fname);
				return NULL;
			}
			if (p->tok.kind != K_RPAREN) {
				expected(p, "')'");
				return NULL;
			}
			lex(p);
		}
		if (arg == ARG_NONE && f->r != NULL) {
			perr(p, f->line, f->col,
			    "filter '%s' takes no argument", f->fname);
			return NULL;
		}
		if (arg == ARG_NEED && f->r == NULL) {
			perr(p, f->line, f->col, "filter '%s' needs an "
			    "argument, as in %s('none')", f->fname, f->fname);
			return NULL;
		}
		e = f;
	}
	return e;
}

static int
cmpop(enum tok k, enum cmpop *op)
{
	switch (k) {
	case K_EQ: *op = OP_EQ; return 1;
	case K_NE: *op = OP_NE; return 1;
	case K_LT: *op = OP_LT; return 1;
	case K_GT: *op = OP_GT; return 1;
	case K_LE: *op = OP_LE; return 1;
	case K_GE: *op = OP_GE; return 1;
	default: return 0;
	}
}

static struct expr *
parse_cmp(struct parser *p)
{
	struct expr	*l, *e;
	enum cmpop	 op;

	if ((l = parse_filtered(p)) == NULL)
		return NULL;
	if (!cmpop(p->tok.kind, &op))
		return l;
	e = mkexpr(p, E_CMP, &p->tok);
	e->op = op;
	e->l = l;
	lex(p);
	if ((e->r = parse_filtered(p)) == NULL)
		return NULL;
	if (cmpop(p->tok.kind, &op)) {
		perr(p, p->tok.line, p->tok.col,
		    "comparisons cannot be chained (join them with 'and')");
		return NULL;
	}
	return e;
}

static int
deeper(struct parser *p)
{
	if (++p->edepth <= MAX_EXPR_DEPTH)
		return 1;
	perr(p, p->tok.line, p->tok.col,
	    "expression nested too deeply (more than %d levels)",
	    MAX_EXPR_DEPTH);
	return 0;
}

static struct expr *
parse_not(struct parser *p)
{
	struct expr	*e;

	if (!isword(&p->tok, "not"))
		return parse_cmp(p);
	if (!deeper(p))
		return NULL;
	e = mkexpr(p, E_NOT, &p->tok);
	lex(p);
	if ((e->l = parse_not(p)) == NULL)
		return NULL;
	p->edepth--;
	return e;
}

static struct expr *
parse_and(struct parser *p)
{
	struct expr	*l, *e;

	if ((l = parse_not(p)) == NULL)
		return NULL;
	while (isword(&p->tok, "and")) {
		e = mkexpr(p, E_AND, &p->tok);
		e->l = l;
		lex(p);
		if ((e->r = parse_not(p)) == NULL)
			return NULL;
		l = e;
	}
	return l;
}

/* A whole expression: the loosest binding level. */
static struct expr *
parse_or(struct parser *p)
{
	struct expr	*l, *e;

	if (!deeper(p))
		return NULL;
	if ((l = parse_and(p)) == NULL)
		return NULL;
	while (isword(&p->tok, "or")) {
		e = mkexpr(p, E_OR, &p->tok);
		e->l = l;
		lex(p);
		if ((e->r = parse_and(p)) == NULL)
			return NULL;
		l = e;
	}
	p->edepth--;
	return l;
}

/* --- statements ---------------------------------------------------- */

static enum tagk	 parse_body(struct parser *, struct node **);
static struct tmpl	*load(struct tmpl_set *, const char *,
			    struct diags *, const struct tmpl *, int, int);

static struct node *
mknode(struct parser *p, enum nkind k, int line, int col)
{
	struct node	*n = arena_alloc(p->set->arena, sizeof(*n));

	n->kind = k;
	n->line = line;
	n->col = col;
	return n;
}

static void
unclosed(struct parser *p, const char *what, int line, int col)
{
	if (p->eofintag || p->fatal) {	/* already said */
		p->failed = 1;
		return;
	}
	perr_force(p, line, col, "unclosed '{%% %s %%}' opened here "
	    "(add '{%% end%s %%}')", what, what);
}

static int
enter_block(struct parser *p, int line, int col)
{
	if (++p->blocks <= MAX_BLOCK_DEPTH)
		return 1;
	perr_force(p, line, col, "blocks nested more than %d deep",
	    MAX_BLOCK_DEPTH);
	p->fatal = 1;
	return 0;
}

static struct node *
parse_if(struct parser *p, struct expr *cond, int line, int col)
{
	struct node	*n = mknode(p, N_IF, line, col);
	struct branch	*b, **bt = &n->branches;
	int		 seen_else = 0;
	enum tagk	 k;

	if (!enter_block(p, line, col))
		return n;
	p->open_if++;
	for (;;) {
		b = arena_alloc(p->set->arena, sizeof(*b));
		b->cond = cond;
		*bt = b;
		bt = &b->next;
		k = parse_body(p, &b->body);
		if (k == T_ELIF) {
			if (seen_else)
				perr(p, p->op_line, p->op_col,
				    "'{%% elif %%}' after '{%% else %%}' "
				    "(move it before the else)");
			lex(p);
			if ((cond = parse_or(p)) == NULL)
				skip_rest(p);
			else
				finish(p);
		} else if (k == T_ELSE) {
			if (seen_else)
				perr(p, p->op_line, p->op_col,
				    "second '{%% else %%}' in the "
				    "'{%% if %%}' at line %d", line);
			seen_else = 1;
			cond = NULL;
			lex(p);
			finish(p);
		} else if (k == T_ENDIF) {
			lex(p);
			finish(p);
			break;
		} else {
			unclosed(p, "if", line, col);
			if (k != T_EOF)
				p->pending = k;
			break;
		}
	}
	p->open_if--;
	p->blocks--;
	return n;
}

/* Read a variable name for "for" or "set" into *name. */
static int
parse_var(struct parser *p, const char **name)
{
	char	w[64];

	if (p->tok.kind == K_NAME && isreserved(&p->tok)) {
		describe(&p->tok, w, sizeof(w));
		perr(p, p->tok.line, p->tok.col,
		    "%s is a reserved word (choose another name)", w);
		return 0;
	}
	if (p->tok.kind != K_NAME) {
		expected(p, "a variable name");
		return 0;
	}
	*name = intern(p->set, p->tok.s, p->tok.len);
	lex(p);
	return 1;
}

static struct node *
parse_for(struct parser *p, int line, int col)
{
	struct node	*n = mknode(p, N_FOR, line, col), *extra;
	int		 ok = 0;
	enum tagk	 k;

	lex(p);
	if (parse_var(p, &n->name)) {
		if (!isword(&p->tok, "in"))
			expected(p, "'in'");
		else {
			lex(p);
			ok = (n->expr = parse_or(p)) != NULL;
		}
	}
	if (ok)
		finish(p);
	else
		skip_rest(p);
	if (!enter_block(p, line, col))
		return n;
	p->open_for++;
	k = parse_body(p, &n->body);
	if (k == T_ELSE) {
		lex(p);
		finish(p);
		k = parse_body(p, &n->alt);
		while (k == T_ELSE) {
			perr(p, p->op_line, p->op_col, "second '{%% else %%}' "
			    "in the '{%% for %%}' at line %d", line);
			lex(p);
			finish(p);
			k = parse_body(p, &extra);
		}
	}
	if (k == T_ENDFOR) {
		lex(p);
		finish(p);
	} else {
		unclosed(p, "for", line, col);
		if (k != T_EOF)
			p->pending = k;
	}
	p->open_for--;
	p->blocks--;
	return n;
}

static struct node *
parse_include(struct parser *p, int line, int col)
{
	struct node	*n;
	struct tmpl	*child;
	const char	*name;

	lex(p);
	if (p->tok.kind != K_STR) {
		expected(p, "a quoted template name");
		skip_rest(p);
		return NULL;
	}
	name = p->tok.str;
	lex(p);
	if (!finish(p))
		return NULL;
	child = load(p->set, name, p->d, p->t, line, col);
	if (child == NULL) {
		p->failed = 1;
		return NULL;
	}
	if (child->height + 1 > p->height)
		p->height = child->height + 1;
	n = mknode(p, N_INCLUDE, line, col);
	n->inc = child;
	return n;
}

static struct node *
parse_set(struct parser *p, int line, int col)
{
	struct node	*n = mknode(p, N_SET, line, col);

	lex(p);
	if (!parse_var(p, &n->name)) {
		skip_rest(p);
		return NULL;
	}
	if (p->tok.kind != K_ASSIGN) {
		expected(p, "'='");
		skip_rest(p);
		return NULL;
	}
	lex(p);
	if ((n->expr = parse_or(p)) == NULL) {
		skip_rest(p);
		return NULL;
	}
	return finish(p) ? n : NULL;
}

static struct node *
parse_output(struct parser *p, int line, int col)
{
	struct node	*n;
	struct expr	*e;

	begin(p, '{', line, col);
	lex(p);
	if ((e = parse_or(p)) == NULL) {
		skip_rest(p);
		return NULL;
	}
	if (p->tok.kind != K_ENDVAR) {
		expected(p, "'}}'");
		skip_rest(p);
		return NULL;
	}
	p->trim_next = p->tok.trim;
	n = mknode(p, N_OUT, line, col);
	n->expr = e;
	return n;
}

static void
unknown_tag(struct parser *p)
{
	char		 name[65];
	const char	*sug;
	size_t		 n = p->tok.len < 64 ? p->tok.len : 64;

	memcpy(name, p->tok.s, n);
	name[n] = '\0';
	if ((sug = text_suggest(name, tagnames)) != NULL)
		perr(p, p->tok.line, p->tok.col,
		    "unknown tag '%s' (did you mean '%s'?)", name, sug);
	else
		perr(p, p->tok.line, p->tok.col, "unknown tag '%s' (expected "
		    "if, elif, else, endif, for, endfor, include or set)",
		    name);
}

/*
 * Parse a "{%" tag.  Tags that end or divide a block are returned
 * unconsumed (the tag name is the current token) to the block that
 * owns them; others are parsed here, into *out.
 */
static enum tagk
parse_tag(struct parser *p, int line, int col, struct node **out)
{
	struct expr	*e;
	enum tagk	 k = T_UNKNOWN;
	size_t		 i;

	*out = NULL;
	begin(p, '%', line, col);
	lex(p);
	if (p->tok.kind != K_NAME) {
		expected(p, "a tag name");
		skip_rest(p);
		return T_NONE;
	}
	for (i = 0; tagnames[i] != NULL; i++)
		if (isword(&p->tok, tagnames[i]))
			k = (enum tagk)(T_IF + i);
	switch (k) {
	case T_IF:
		lex(p);
		if ((e = parse_or(p)) == NULL)
			skip_rest(p);
		else
			finish(p);
		*out = parse_if(p, e, line, col);
		return T_NONE;
	case T_FOR:
		*out = parse_for(p, line, col);
		return T_NONE;
	case T_INCLUDE:
		*out = parse_include(p, line, col);
		return T_NONE;
	case T_SET:
		*out = parse_set(p, line, col);
		return T_NONE;
	case T_ELSE:
		if (p->open_if == 0 && p->open_for == 0) {
			perr(p, line, col, "'{%% else %%}' outside "
			    "'{%% if %%}' or '{%% for %%}' (remove it)");
			break;
		}
		return k;
	case T_ELIF:
	case T_ENDIF:
		if (p->open_if == 0) {
			perr(p, line, col, "'{%% %s %%}' without a matching "
			    "'{%% if %%}' (remove it)", tagnames[k - T_IF]);
			break;
		}
		return k;
	case T_ENDFOR:
		if (p->open_for == 0) {
			perr(p, line, col, "'{%% endfor %%}' without a "
			    "matching '{%% for %%}' (remove it)");
			break;
		}
		return k;
	default:
		unknown_tag(p);
		break;
	}
	skip_rest(p);
	return T_NONE;
}

static void
parse_comment(struct parser *p, int line, int col)
{
	const char	*start = p->p, *q;

	q = memmem(p->p, (size_t)(p->end - p->p), "#}", 2);
	if (q == NULL) {
		perr_force(p, line, col, "unterminated comment (add '#}')");
		skipto(p, p->end);
		return;
	}
	p->trim_next = q > start && q[-1] == '-';
	skipto(p, q + 2);
}

static const char *
find_open(const char *s, const char *end)
{
	while (s < end && (s = memchr(s, '{', (size_t)(end - s))) != NULL) {
		if (s + 1 < end && (s[1] == '{' || s[1] == '%' ||
		    s[1] == '#'))
			return s;
		s++;
	}
	return NULL;
}

/*
 * Parse text and tags up to the end of the file or a tag that ends or
 * divides a block, which is returned.
 */
static enum tagk
parse_body(struct parser *p, struct node **head)
{
	struct node	**tail = head, *n;
	const char	*q, *s, *e;
	int		 line, col, trim;
	enum tagk	 k;

	*head = NULL;
	for (;;) {
		if (p->fatal)
			return T_EOF;
		if (p->pending != T_NONE) {
			k = p->pending;
			p->pending = T_NONE;
			return k;
		}
		q = find_open(p->p, p->end);
		e = q != NULL ? q : p->end;
		trim = q != NULL && q + 2 < p->end && q[2] == '-';
		if (p->trim_next)
			while (p->p < e && isspace((unsigned char)*p->p))
				skipto(p, p->p + 1);
		p->trim_next = 0;
		s = e;
		if (trim)
			while (s > p->p && isspace((unsigned char)s[-1]))
				s--;
		if (s > p->p) {
			n = mknode(p, N_TEXT, p->line,
			    (int)(p->p - p->bol) + 1);
			n->text = p->p;
			n->len = (size_t)(s - p->p);
			*tail = n;
			tail = &n->next;
		}
		skipto(p, e);
		if (q == NULL)
			return T_EOF;
		line = p->line;
		col = (int)(q - p->bol) + 1;
		p->p = q + 2 + trim;
		n = NULL;
		if (q[1] == '#')
			parse_comment(p, line, col);
		else if (q[1] == '{')
			n = parse_output(p, line, col);
		else if ((k = parse_tag(p, line, col, &n)) != T_NONE)
			return k;
		if (n != NULL) {
			*tail = n;
			tail = &n->next;
		}
	}
}

/* --- loading ------------------------------------------------------- */

static void
cycle(struct tmpl_set *s, struct diags *d, const struct tmpl *t,
    const struct tmpl *from, int line, int col)
{
	struct buf	 b;
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < s->nstack && s->stack[i] != t; i++)
		continue;
	for (; i < s->nstack; i++)
		buf_printf(&b, "'%s' -> ", s->stack[i]->name);
	buf_printf(&b, "'%s'", t->name);
	/* A template being loaded is always reached through an include. */
	lerr(d, from != NULL ? from->path : t->path, line, col,
	    "include cycle %s (a template cannot include itself)", b.data);
	buf_free(&b);
}

/*
 * Find a template in the set or read and parse it.  from, line and col
 * say where it is included from (from is NULL at the top level).
 */
static struct tmpl *
load(struct tmpl_set *s, const char *name, struct diags *d,
    const struct tmpl *from, int line, int col)
{
	struct parser	 p;
	struct tmpl	*t;
	const char	*src = NULL, *path = NULL;
	size_t		 len = 0;

	for (t = s->tmpls; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			break;
	if (t != NULL && t->state == TS_LOADING) {
		cycle(s, d, t, from, line, col);
		return NULL;
	}
	if (t != NULL && t->state == TS_FAILED)
		return NULL;
	if (from != NULL && s->nstack + (t != NULL ? (size_t)t->height :
	    1) > TMPL_MAX_DEPTH) {
		lerr(d, from->path, line, col, "includes nested more than "
		    "%d deep at '%s'", TMPL_MAX_DEPTH, name);
		return NULL;
	}
	if (t != NULL)
		return t;
	if (s->read(s->ctx, name, &src, &len, &path) != 0) {
		if (from != NULL)
			lerr(d, NULL, 0, 0, "template '%s' not found "
			    "(included from %s:%d)", name, from->path, line);
		else
			lerr(d, NULL, 0, 0, "template '%s' not found (add it "
			    "to the theme's templates/ or the site's "
			    "templates/)", name);
		return NULL;
	}
	t = arena_alloc(s->arena, sizeof(*t));
	t->name = arena_strdup(s->arena, name);
	t->path = arena_strdup(s->arena, path != NULL ? path : name);
	t->state = TS_LOADING;
	t->next = s->tmpls;
	s->tmpls = t;
	s->stack[s->nstack++] = t;

	memset(&p, 0, sizeof(p));
	p.set = s;
	p.t = t;
	p.d = d;
	p.p = p.bol = src != NULL ? src : "";
	p.end = p.p + (src != NULL ? len : 0);
	p.line = 1;
	p.height = 1;
	parse_body(&p, &t->root);

	s->nstack--;
	t->height = p.height;
	t->state = p.failed ? TS_FAILED : TS_OK;
	return p.failed ? NULL : t;
}

/*
 * Make an empty set of templates read through fn (called with ctx).
 */
struct tmpl_set *
tmpl_set_new(tmpl_read_fn fn, void *ctx)
{
	struct tmpl_set	*s = xcalloc(1, sizeof(*s));

	s->read = fn;
	s->ctx = ctx;
	s->arena = arena_new();
	return s;
}

/*
 * Free a set with its templates; templates from it become invalid.
 */
void
tmpl_set_free(struct tmpl_set *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nfilters; i++)
		free(s->filters[i].name);
	free(s->filters);
	arena_free(s->arena);
	free(s);
}

/*
 * Register (or replace) filter name.  Built-in filters other than
 * "safe" may be overridden.
 */
void
tmpl_add_filter(struct tmpl_set *s, const char *name, tmpl_filter_fn fn,
    void *ctx)
{
	size_t	i;

	for (i = 0; i < s->nfilters; i++)
		if (strcmp(s->filters[i].name, name) == 0) {
			s->filters[i].fn = fn;
			s->filters[i].ctx = ctx;
			return;
		}
	s->filters = xreallocarray(s->filters, s->nfilters + 1,
	    sizeof(*s->filters));
	s->filters[s->nfilters].name = xstrdup(name);
	s->filters[s->nfilters].fn = fn;
	s->filters[s->nfilters].ctx = ctx;
	s->nfilters++;
}

/*
 * Get template name, loading it and its includes on first use.  A
 * template that failed to compile stays failed: later calls return
 * NULL without repeating the errors.
 */
const struct tmpl *
tmpl_get(struct tmpl_set *s, const char *name, struct diags *d)
{
	return load(s, name, d, NULL, 0, 0);
}

/* --- rendering ----------------------------------------------------- */

/* A variable set by "for", "set" or the loop, shadowing the context. */
struct scope {
	const char		*name;
	const struct val	*v;
	int			 safe;
	const struct scope	*up;
};

struct rstate {
	struct arena		*a;
	struct buf		*out;
	struct diags		*d;
	const struct val	*ctx;
	size_t			 start;
	unsigned long		 iters;
	int			 depth;
	int			 hastmp;
	struct buf		 tmp;
};

static void rerr(struct rstate *, const struct tmpl *, int, int,
    const char *, ...) __attribute__((format(printf, 5, 6)));

static void
rerr(struct rstate *r, const struct tmpl *t, int line, int col,
    const char *fmt, ...)
{
	char	msg[512];
	va_list	ap;

	if (r->d == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	diag_error(r->d, t->path, line, col, "%s", msg);
}

/* A buffer for building filter results, emptied. */
static struct buf *
tmpbuf(struct rstate *r)
{
	if (!r->hastmp) {
		buf_init(&r->tmp);
		r->hastmp = 1;
	} else
		buf_reset(&r->tmp);
	return &r->tmp;
}

static struct val *
strval(struct rstate *r, const char *s, size_t n)
{
	return val_strn(r->a, s, n);
}

/* Integers without decimals, others as "%g". */
static size_t
fmt_num(char *b, size_t sz, double d, int exact)
{
	char		 dig[24];
	unsigned long long u;
	size_t		 i = 0, k = 0;
	int		 n;

	if (isfinite(d) && d == floor(d) && fabs(d) < 1e15 && sz > 17) {
		/* By hand: snprintf("%.0f") is slow, and gives "-0". */
		u = (unsigned long long)fabs(d);
		do
			dig[k++] = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (d < 0)
			b[i++] = '-';
		while (k > 0)
			b[i++] = dig[--k];
		b[i] = '\0';
		return i;
	}
	if (exact)
		n = snprintf(b, sz, "%.17g", d);
	else
		n = snprintf(b, sz, "%g", d);
	if (n < 0)
		n = 0;
	return (size_t)n < sz ? (size_t)n : sz - 1;
}

/* The text of a scalar; nothing for null, lists and maps. */
static const char *
textof(const struct val *v, char *nb, size_t sz, size_t *len)
{
	switch (v->kind) {
	case VAL_STR:
		*len = v->len;
		return v->str;
	case VAL_NUM:
		*len = fmt_num(nb, sz, v->num, 0);
		return nb;
	case VAL_BOOL:
		*len = v->b ? 4 : 5;
		return v->b ? "true" : "false";
	default:
		*len = 0;
		return "";
	}
}

static void
put_val(struct buf *b, const struct val *v, int safe)
{
	char		 nb[64];
	const char	*s;
	size_t		 n;

	s = textof(v, nb, sizeof(nb), &n);
	if (safe || v->kind != VAL_STR)
		buf_put(b, s, n);
	else
		buf_put_html(b, s, n);
}

static void
json_str(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	buf_put_json(b, s, n);
	buf_putc(b, '"');
}

/* JSON for any value; strings escaped so as to be safe in HTML. */
static void
json_put(struct buf *b, const struct val *v, int depth)
{
	char	nb[64];
	size_t	i;

	if (v == NULL || depth > MAX_JSON_DEPTH) {
		buf_puts(b, "null");
		return;
	}
	switch (v->kind) {
	case VAL_NULL:
		buf_puts(b, "null");
		break;
	case VAL_BOOL:
		buf_puts(b, v->b ? "true" : "false");
		break;
	case VAL_NUM:
		if (isfinite(v->num))
			buf_put(b, nb, fmt_num(nb, sizeof(nb), v->num, 1));
		else
			buf_puts(b, "null");
		break;
	case VAL_STR:
		json_str(b, v->str, v->len);
		break;
	case VAL_LIST:
		buf_putc(b, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			json_put(b, v->items[i], depth + 1);
		}
		buf_putc(b, ']');
		break;
	case VAL_MAP:
		buf_putc(b, '{');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			json_str(b, v->pairs[i].key,
			    strlen(v->pairs[i].key));
			buf_putc(b, ':');
			json_put(b, v->pairs[i].v, depth + 1);
		}
		buf_putc(b, '}');
		break;
	}
}

static const struct val *
f_case(struct rstate *r, const struct val *in, int up)
{
	char		 nb[64], *c;
	const char	*s;
	struct val	*v;
	size_t		 n, i;

	if (in->kind != VAL_STR && in->kind != VAL_NUM &&
	    in->kind != VAL_BOOL)
		return in;
	s = textof(in, nb, sizeof(nb), &n);
	c = arena_strndup(r->a, s, n);
	for (i = 0; i < n; i++)
		if (up && c[i] >= 'a' && c[i] <= 'z')
			c[i] = (char)(c[i] - 'a' + 'A');
		else if (!up && c[i] >= 'A' && c[i] <= 'Z')
			c[i] = (char)(c[i] - 'A' + 'a');
	v = val_new(r->a, VAL_STR);
	v->str = c;
	v->len = n;
	return v;
}

static const struct val *
f_length(struct rstate *r, const struct val *in)
{
	char		 nb[64];
	size_t		 n = 0, i;

	switch (in->kind) {
	case VAL_LIST:
	case VAL_MAP:
		n = in->n;
		break;
	case VAL_STR:
		for (i = 0; i < in->len; i++)	/* characters, not bytes */
			if (((unsigned char)in->str[i] & 0xc0) != 0x80)
				n++;
		break;
	case VAL_NUM:
	case VAL_BOOL:
		textof(in, nb, sizeof(nb), &n);
		break;
	case VAL_NULL:
		break;
	}
	return val_num(r->a, (double)n);
}

static const struct val *
f_join(struct rstate *r, const struct val *in, const struct val *arg)
{
	char		 nb[64], sb[64];
	const char	*s, *sep = "";
	struct buf	*b;
	size_t		 n, seplen = 0, i;

	if (in->kind != VAL_LIST)
		return in;
	if (arg != NULL)
		sep = textof(arg, sb, sizeof(sb), &seplen);
	b = tmpbuf(r);
	for (i = 0; i < in->n; i++) {
		if (i > 0)
			buf_put(b, sep, seplen);
		if (in->items[i] != NULL) {
			s = textof(in->items[i], nb, sizeof(nb), &n);
			buf_put(b, s, n);
		}
	}
	return strval(r, b->data, b->len);
}

/* Apply a built-in filter other than "safe". */
static const struct val *
builtin(struct rstate *r, enum fid id, const struct val *in,
    const struct val *arg)
{
	struct date	 dt;
	struct buf	*b;
	char		 nb[64], db[11];
	const char	*s;
	size_t		 n;
	int		 m;

	switch (id) {
	case F_DATE:
	case F_WEEKDAY_DATE:
		if (in->kind != VAL_STR || !text_parse_date(in->str, &dt))
			return in;
		b = tmpbuf(r);
		text_fmt_date(b, &dt, id == F_WEEKDAY_DATE);
		return strval(r, b->data, b->len);
	case F_TIME:
		if (in->kind != VAL_STR || (m = text_parse_time(in->str)) < 0)
			return in;
		b = tmpbuf(r);
		text_fmt_time(b, m);
		return strval(r, b->data, b->len);
	case F_ISO:
		if (in->kind != VAL_STR || in->len < 10 || (in->len > 10 &&
		    in->str[10] != 'T' && in->str[10] != ' '))
			return in;
		memcpy(db, in->str, 10);
		db[10] = '\0';
		if (!text_parse_date(db, &dt) || in->len == 10)
			return in;
		return strval(r, db, 10);
	case F_UPPER:
	case F_LOWER:
		return f_case(r, in, id == F_UPPER);
	case F_LENGTH:
		return f_length(r, in);
	case F_DEFAULT:
		if (in->kind == VAL_NULL ||
		    (in->kind == VAL_STR && in->len == 0))
			return arg != NULL ? arg : &vnull;
		return in;
	case F_JOIN:
		return f_join(r, in, arg);
	case F_SLUG:
		s = textof(in, nb, sizeof(nb), &n);
		b = tmpbuf(r);
		text_slug(b, s, n);
		return strval(r, b->data, b->len);
	case F_JSON:
		b = tmpbuf(r);
		json_put(b, in, 0);
		return strval(r, b->data, b->len);
	case F_URLENCODE:
		s = textof(in, nb, sizeof(nb), &n);
		b = tmpbuf(r);
		url_encode(b, s, n, URL_ENC_COMPONENT);
		return strval(r, b->data, b->len);
	default:
		return in;
	}
}

/* Whether v is a number or a string that is entirely a number. */
static int
numeric(const struct val *v, double *d)
{
	char	*end;
	size_t	 i;

	if (v->kind == VAL_NUM) {
		*d = v->num;
		return 1;
	}
	if (v->kind != VAL_STR || v->len == 0)
		return 0;
	for (i = 0; i < v->len; i++)
		if (!isdigit((unsigned char)v->str[i]) &&
		    strchr(".+-eE", v->str[i]) == NULL)
			return 0;
	*d = strtod(v->str, &end);
	return end == v->str + v->len;
}

static int
compare(const struct val *a, const struct val *b, enum cmpop op)
{
	double	x, y;
	size_t	n;
	int	c, eq;

	if ((a->kind == VAL_NUM || b->kind == VAL_NUM) &&
	    numeric(a, &x) && numeric(b, &y))
		c = x < y ? -1 : x > y ? 1 : 0;
	else if (a->kind == VAL_STR && b->kind == VAL_STR) {
		n = a->len < b->len ? a->len : b->len;
		if ((c = memcmp(a->str, b->str, n)) == 0)
			c = (a->len > b->len) - (a->len < b->len);
	} else if (op == OP_EQ || op == OP_NE) {
		eq = a->kind == b->kind && (a->kind == VAL_NULL ||
		    (a->kind == VAL_BOOL && a->b == b->b) || a == b);
		return op == OP_EQ ? eq : !eq;
	} else
		return 0;	/* no order between these */
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_GT: return c > 0;
	case OP_LE: return c <= 0;
	case OP_GE: return c >= 0;
	}
	return 0;
}

/* val_get(), quicker for keys that differ in their first byte. */
static const struct val *
mapget(const struct val *m, const char *key)
{
	size_t	i;

	if (m == NULL || m->kind != VAL_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (m->pairs[i].key[0] == key[0] &&
		    strcmp(m->pairs[i].key, key) == 0)
			return m->pairs[i].v;
	return NULL;
}

static const struct val *
lookup(const struct rstate *r, const struct expr *e, const struct scope *sc,
    int *safe)
{
	const struct val *v = NULL;
	const struct seg *g = e->segs;
	size_t		 i;
	int		 fs = 0;

	for (; sc != NULL; sc = sc->up)
		if (sc->name == g->name) {	/* both interned */
			v = sc->v;
			fs = sc->safe;
			break;
		}
	if (sc == NULL)
		v = mapget(r->ctx, g->name);
	for (i = 1; v != NULL && i < e->nsegs; i++) {
		g = &e->segs[i];
		if (v->kind == VAL_LIST)
			v = g->isidx && g->idx < v->n ? v->items[g->idx] : NULL;
		else
			v = mapget(v, g->name);
	}
	if (v == NULL)
		return &vnull;
	if (e->nsegs == 1)
		*safe = fs;
	return v;
}

/*
 * Evaluate e; *safe tells whether the result is trusted HTML.  Returns
 * NULL only when a filter failed.
 */
static const struct val *
eval(struct rstate *r, const struct tmpl *t, const struct expr *e,
    const struct scope *sc, int *safe)
{
	const struct val *a, *b;
	int		 sa = 0, sb = 0;

	*safe = 0;
	switch (e->kind) {
	case E_LIT:
		return e->lit;
	case E_PATH:
		return lookup(r, e, sc, safe);
	case E_NOT:
		if ((a = eval(r, t, e->l, sc, &sa)) == NULL)
			return NULL;
		return val_truthy(a) ? &vfalse : &vtrue;
	case E_AND:
	case E_OR:
		if ((a = eval(r, t, e->l, sc, safe)) == NULL)
			return NULL;
		if (val_truthy(a) == (e->kind == E_OR))
			return a;
		return eval(r, t, e->r, sc, safe);
	case E_CMP:
		if ((a = eval(r, t, e->l, sc, &sa)) == NULL ||
		    (b = eval(r, t, e->r, sc, &sb)) == NULL)
			return NULL;
		return compare(a, b, e->op) ? &vtrue : &vfalse;
	case E_FILTER:
		if ((a = eval(r, t, e->l, sc, &sa)) == NULL)
			return NULL;
		if (e->fid == F_SAFE) {
			/* Only text icpgen made may be trusted as HTML. */
			*safe = a->kind != VAL_STR || !a->untrusted;
			return a;
		}
		b = NULL;
		if (e->r != NULL && (b = eval(r, t, e->r, sc, &sb)) == NULL)
			return NULL;
		if (e->fid != F_CUSTOM)
			return builtin(r, e->fid, a, b);
		if ((a = e->fn(e->fctx, r->a, a, b)) == NULL && r->d != NULL)
			diag_note(r->d, t->path, e->line, e->col,
			    "in filter '%s' called here", e->fname);
		return a;
	}
	return NULL;
}

static int render_list(struct rstate *, const struct tmpl *,
    const struct node *, const struct scope **);

static int
render_for(struct rstate *r, const struct tmpl *t, const struct node *n,
    const struct scope *const *sc)
{
	const struct val *coll;
	const struct scope *isc;
	struct val	 lv, vi, vf, vl, vn, kv, key, nul;
	struct val_pair	 lp[4], kp[2];
	struct scope	 sloop, svar;
	size_t		 i, count;
	int		 safe;

	if ((coll = eval(r, t, n->expr, *sc, &safe)) == NULL)
		return -1;
	if (coll->kind == VAL_LIST || coll->kind == VAL_MAP)
		count = coll->n;
	else
		count = coll->kind == VAL_NULL ? 0 : 1;
	if (count == 0) {
		isc = *sc;
		return render_list(r, t, n->alt, &isc);
	}

	/* "loop" is a map on the stack, updated in place. */
	memset(&lv, 0, sizeof(lv));
	memset(&vi, 0, sizeof(vi));
	memset(&nul, 0, sizeof(nul));
	vn = vl = vf = vi;
	vi.kind = vn.kind = VAL_NUM;
	vf.kind = vl.kind = VAL_BOOL;
	vn.num = (double)count;
	lp[0].key = "index";
	lp[0].v = &vi;
	lp[1].key = "first";
	lp[1].v = &vf;
	lp[2].key = "last";
	lp[2].v = &vl;
	lp[3].key = "length";
	lp[3].v = &vn;
	lv.kind = VAL_MAP;
	lv.n = lv.cap = 4;
	lv.pairs = lp;
	/* Map entries are presented as {key, value}. */
	kv = lv;
	kv.n = kv.cap = 2;
	kv.pairs = kp;
	key = vi;
	key.kind = VAL_STR;
	kp[0].key = "key";
	kp[0].v = &key;
	kp[1].key = "value";

	sloop.name = loopname;
	sloop.v = &lv;
	sloop.safe = 0;
	sloop.up = *sc;
	svar.name = n->name;
	svar.safe = 0;
	svar.up = &sloop;
	for (i = 0; i < count; i++) {
		if (++r->iters > TMPL_MAX_ITERATIONS) {
			rerr(r, t, n->line, n->col, "loops ran more than %d "
			    "times in all (is a loop running away?)",
			    TMPL_MAX_ITERATIONS);
			return -1;
		}
		vi.num = (double)(i + 1);
		vf.b = i == 0;
		vl.b = i + 1 == count;
		if (coll->kind == VAL_LIST)
			svar.v = coll->items[i] != NULL ? coll->items[i] : &nul;
		else if (coll->kind == VAL_MAP) {
			key.str = coll->pairs[i].key;
			key.len = strlen(key.str);
			kp[1].v = coll->pairs[i].v != NULL ?
			    coll->pairs[i].v : &nul;
			svar.v = &kv;
		} else
			svar.v = coll;
		isc = &svar;
		if (render_list(r, t, n->body, &isc) == -1)
			return -1;
	}
	return 0;
}

/*
 * Render a list of nodes.  "set" pushes onto *sc, so a variable set in
 * an "if" stays visible after it; "for" bodies and includes get their
 * own copy of the chain.
 */
static int
render_list(struct rstate *r, const struct tmpl *t, const struct node *n,
    const struct scope **sc)
{
	const struct val *v;
	const struct branch *b;
	const struct scope *isc;
	struct scope	*f;
	int		 safe;

	for (; n != NULL; n = n->next) {
		switch (n->kind) {
		case N_TEXT:
			buf_put(r->out, n->text, n->len);
			break;
		case N_OUT:
			if ((v = eval(r, t, n->expr, *sc, &safe)) == NULL)
				return -1;
			put_val(r->out, v, safe);
			break;
		case N_IF:
			for (b = n->branches; b != NULL; b = b->next) {
				if (b->cond != NULL) {
					v = eval(r, t, b->cond, *sc, &safe);
					if (v == NULL)
						return -1;
					if (!val_truthy(v))
						continue;
				}
				if (render_list(r, t, b->body, sc) == -1)
					return -1;
				break;
			}
			break;
		case N_FOR:
			if (render_for(r, t, n, sc) == -1)
				return -1;
			break;
		case N_INCLUDE:
			if (r->depth >= TMPL_MAX_DEPTH) {
				rerr(r, t, n->line, n->col, "includes nested "
				    "more than %d deep", TMPL_MAX_DEPTH);
				return -1;
			}
			isc = *sc;
			r->depth++;
			if (render_list(r, n->inc, n->inc->root, &isc) == -1)
				return -1;
			r->depth--;
			break;
		case N_SET:
			if ((v = eval(r, t, n->expr, *sc, &safe)) == NULL)
				return -1;
			f = arena_alloc(r->a, sizeof(*f));
			f->name = n->name;
			f->v = v;
			f->safe = safe;
			f->up = *sc;
			*sc = f;
			break;
		}
		if (r->out->len - r->start > TMPL_MAX_OUTPUT) {
			rerr(r, t, n->line, n->col, "output is larger than "
			    "%d MiB (is a loop running away?)",
			    TMPL_MAX_OUTPUT / (1024 * 1024));
			return -1;
		}
	}
	return 0;
}

/*
 * Render t with the context map ctx, appending to out.  On error out
 * is left as it was.
 */
int
tmpl_render(const struct tmpl *t, const struct val *ctx,
    struct arena *scratch, struct buf *out, struct diags *d)
{
	struct rstate		 r;
	const struct scope	*sc = NULL;
	int			 rc;

	if (t == NULL)
		return -1;
	memset(&r, 0, sizeof(r));
	r.a = scratch;
	r.out = out;
	r.d = d;
	r.ctx = ctx;
	r.start = out->len;
	r.depth = 1;
	rc = render_list(&r, t, t->root, &sc);
	if (r.hastmp)
		buf_free(&r.tmp);
	if (rc == -1)
		buf_truncate(out, r.start);
	return rc;
}
