/*
 * The template engine's own types, shared by its three files and by
 * nothing else (the public interface is render/tmpl.h):
 *
 *	tmpl_parse.c	lexer and parser: source to trees, loading, the set
 *	tmpl_eval.c	rendering: expressions, scopes, loops, output
 *	tmpl_filter.c	the built-in filters and the value helpers they use
 *
 * Trees live in the set's arena and are never written while rendering.
 */
#ifndef RENDER_TMPL_INT_H
#define RENDER_TMPL_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "render/tmpl.h"
#include "util/buf.h"
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
	F_DIR,
};

/* Whether a filter takes an argument. */
enum farg { ARG_NONE, ARG_OPT, ARG_NEED };

struct builtin {
	const char	*name;
	enum fid	 id;
	enum farg	 arg;
};

/* The built-in filters, for the parser to look names up. */
extern const struct builtin tmpl_builtins[];
extern const size_t tmpl_nbuiltins;
#define TMPL_NBUILTINS	tmpl_nbuiltins

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

/* Shared constant values; "loop" is interned as this one pointer. */
extern const struct val tmpl_null, tmpl_true, tmpl_false;
extern const char tmpl_loopname[5];

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
	const struct tmpl_watch	*watch;		/* or NULL */
};

/* A buffer for building filter results, emptied (in r, reused). */
struct buf	*tmpl_tmpbuf(struct rstate *);
/* A string value in r's scratch arena. */
struct val	*tmpl_strval(struct rstate *, const char *, size_t);
/* Integers without decimals, others as "%g" ("%.17g" if exact). */
size_t		 tmpl_fmt_num(char *, size_t, double, int);
/* The text of a scalar; "" for null, lists and maps. */
const char	*tmpl_textof(const struct val *, char *, size_t, size_t *);
/* Apply built-in filter id (not "safe") to in, with arg or NULL. */
const struct val *tmpl_builtin(struct rstate *, enum fid, const struct val *,
		    const struct val *);

#endif
