/*
 * Templates, parsing: a lexer and a recursive-descent parser turn each
 * template into a tree (allocated in the set's arena) once, with every
 * error at file:line:col; loading follows includes and refuses cycles.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "render/tmpl_int.h"

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
 * pointers.  "loop" is always the static tmpl_loopname.
 */
static const char *
intern(struct tmpl_set *s, const char *w, size_t n)
{
	struct name	*e;
	size_t		 h = (size_t)(text_hash(w, n) % NBUCKETS);

	if (n == sizeof(tmpl_loopname) - 1 && memcmp(w, tmpl_loopname, n) == 0)
		return tmpl_loopname;
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
		v->html = true;		/* the template's own text */
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
		return mklit(p, &t, isword(&t, "true") ? &tmpl_true : &tmpl_false);
	}
	if (isword(&t, "null") || isword(&t, "none")) {
		lex(p);
		return mklit(p, &t, &tmpl_null);
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
	for (i = 0; i < TMPL_NBUILTINS; i++)
		if (strcmp(tmpl_builtins[i].name, name) == 0) {
			e->fid = tmpl_builtins[i].id;
			*arg = tmpl_builtins[i].arg;
			return 1;
		}
	cands = xcalloc(TMPL_NBUILTINS + p->set->nfilters + 1, sizeof(*cands));
	for (i = 0; i < TMPL_NBUILTINS; i++)
		cands[n++] = tmpl_builtins[i].name;
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

static int	longer(struct parser *);

/* A value followed by any number of "| filter" or "| filter(arg)". */
static struct expr *
parse_filtered(struct parser *p)
{
	struct expr	*e, *f;
	enum farg	 arg;
	int		 links = 0;

	if ((e = parse_primary(p)) == NULL)
		return NULL;
	while (p->tok.kind == K_PIPE) {
		if (!longer(p))
			return NULL;
		links++;
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
	p->edepth -= links;
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

/*
 * One more link of a chain of filters, "and"s or "or"s: the tree is as
 * deep as the chain is long, and it is evaluated by recursion, so each
 * link counts as a level of nesting (undone by the caller, n at once).
 */
static int
longer(struct parser *p)
{
	if (++p->edepth <= MAX_EXPR_DEPTH)
		return 1;
	perr(p, p->tok.line, p->tok.col, "expression too long (more than "
	    "%d filters, 'and's, 'or's and levels of nesting; use {%% set "
	    "%%} for a part of it)", MAX_EXPR_DEPTH);
	return 0;
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
	int		 links = 0;

	if ((l = parse_not(p)) == NULL)
		return NULL;
	while (isword(&p->tok, "and")) {
		if (!longer(p))
			return NULL;
		links++;
		e = mkexpr(p, E_AND, &p->tok);
		e->l = l;
		lex(p);
		if ((e->r = parse_not(p)) == NULL)
			return NULL;
		l = e;
	}
	p->edepth -= links;
	return l;
}

/* A whole expression: the loosest binding level. */
static struct expr *
parse_or(struct parser *p)
{
	struct expr	*l, *e;
	int		 links = 0;

	if (!deeper(p))
		return NULL;
	if ((l = parse_and(p)) == NULL)
		return NULL;
	while (isword(&p->tok, "or")) {
		if (!longer(p))
			return NULL;
		links++;
		e = mkexpr(p, E_OR, &p->tok);
		e->l = l;
		lex(p);
		if ((e->r = parse_and(p)) == NULL)
			return NULL;
		l = e;
	}
	p->edepth -= 1 + links;
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

