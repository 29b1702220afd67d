/*
 * Templates, rendering: walk a parsed tree with a context.  Nothing in
 * the set or the trees is written while rendering: scopes, loop
 * variables and the like live on the C stack and values made by
 * filters go to the caller's scratch arena, so several threads may
 * render from one set at once.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "render/tmpl_int.h"

const struct val tmpl_null = { .kind = VAL_NULL };
const struct val tmpl_true = { .kind = VAL_BOOL, .b = true };
const struct val tmpl_false = { .kind = VAL_BOOL, .b = false };
const char tmpl_loopname[5] = "loop";

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

static void
put_val(struct buf *b, const struct val *v, int safe)
{
	char		 nb[64];
	const char	*s;
	size_t		 n;

	s = tmpl_textof(v, nb, sizeof(nb), &n);
	if (safe || v->kind != VAL_STR)
		buf_put(b, s, n);
	else
		buf_put_html(b, s, n);
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

/* Tell the watcher the path e reads from the context. */
static void
watch_read(const struct rstate *r, const struct expr *e)
{
	char	 path[512];
	size_t	 i, n = 0, k;

	if (r->watch->skip != NULL && strcmp(e->segs[0].name,
	    r->watch->skip) == 0)
		return;
	for (i = 0; i < e->nsegs; i++) {
		k = strlen(e->segs[i].name);
		if (n + k + 2 > sizeof(path)) {
			/* Too long to name: the root stands for it all. */
			r->watch->read(r->watch->arg, e->segs[0].name);
			return;
		}
		if (i > 0)
			path[n++] = '.';
		memcpy(path + n, e->segs[i].name, k);
		n += k;
	}
	path[n] = '\0';
	r->watch->read(r->watch->arg, path);
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
	if (sc == NULL) {
		v = mapget(r->ctx, g->name);
		if (r->watch != NULL)
			watch_read(r, e);
	}
	for (i = 1; v != NULL && i < e->nsegs; i++) {
		g = &e->segs[i];
		if (v->kind == VAL_LIST)
			v = g->isidx && g->idx < v->n ? v->items[g->idx] : NULL;
		else
			v = mapget(v, g->name);
	}
	if (v == NULL)
		return &tmpl_null;
	if (e->nsegs == 1)
		*safe = fs;
	return v;
}

/*
 * A built-in filter's result is HTML that "safe" may trust when it
 * escapes whatever it is given (json, urlencode), or only changes the
 * case of HTML that was trusted (upper, lower); a value it returns as
 * it was keeps its own mark.
 */
static const struct val *
builtin(struct rstate *r, enum fid fid, const struct val *a,
    const struct val *b)
{
	const struct val *v = tmpl_builtin(r, fid, a, b);
	struct val	*w;

	if (v == NULL || v == a || v == b || v->kind != VAL_STR ||
	    v == &tmpl_null)
		return v;
	w = (struct val *)(uintptr_t)v;	/* made just now, for this */
	w->html = fid == F_JSON || fid == F_URLENCODE ||
	    ((fid == F_UPPER || fid == F_LOWER) && a->html && !a->untrusted);
	return w;
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
		return val_truthy(a) ? &tmpl_false : &tmpl_true;
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
		return compare(a, b, e->op) ? &tmpl_true : &tmpl_false;
	case E_FILTER:
		if ((a = eval(r, t, e->l, sc, &sa)) == NULL)
			return NULL;
		if (e->fid == F_SAFE) {
			/*
			 * Only HTML icpgen made, or the template's own
			 * text, may be trusted: never content, data or
			 * configuration, which are text however they
			 * reached the page.
			 */
			*safe = a->kind != VAL_STR || (a->html &&
			    !a->untrusted);
			return a;
		}
		b = NULL;
		if (e->r != NULL && (b = eval(r, t, e->r, sc, &sb)) == NULL)
			return NULL;
		if (e->fid != F_CUSTOM)
			return builtin(r, e->fid, a, b);
		if (r->watch != NULL && r->watch->custom != NULL)
			r->watch->custom(r->watch->arg);
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

	sloop.name = tmpl_loopname;
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
	return tmpl_render_watch(t, ctx, scratch, out, d, NULL);
}

int
tmpl_render_watch(const struct tmpl *t, const struct val *ctx,
    struct arena *scratch, struct buf *out, struct diags *d,
    const struct tmpl_watch *w)
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
	r.watch = w;
	r.start = out->len;
	r.depth = 1;
	rc = render_list(&r, t, t->root, &sc);
	if (r.hastmp)
		buf_free(&r.tmp);
	if (rc == -1)
		buf_truncate(out, r.start);
	return rc;
}
