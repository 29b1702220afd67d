/*
 * Bounded versions of the library functions that can run for a long
 * time inside one C call, where the instruction hook of the sandbox
 * never fires.
 *
 * string.find, string.match, string.gmatch and string.gsub are a
 * matcher of our own for Lua 5.4 patterns, with the semantics of the
 * reference one but counting its steps: one call may take at most
 * PAT_MAXSTEPS steps and at most PAT_MAXDEPTH nested items, and it
 * checks the wall clock of the hook as it goes.  A pathological
 * pattern such as (".-"):rep(20) .. "x" on a long text therefore ends
 * with an error instead of running for hours.
 *
 * string.rep returns at once when the result is empty (the reference
 * one would loop count times), and table.insert, table.remove and
 * table.move charge the elements they shift to the instruction budget
 * before they start.
 */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include <lua.h>
#include <lauxlib.h>

#define PAT_MAXCAP	32
#define PAT_MAXDEPTH	200
#define PAT_MAXSTEPS	20000000UL
#define PAT_CLOCK	65536UL		/* steps between clock checks */
#define CAP_OPEN	(-1)
#define CAP_POS		(-2)

/* Shared with hooks.c (not part of the public interface). */
void	hooks_pat_open(lua_State *);
void	hooks_charge(lua_State *, unsigned long);
void	hooks_where(lua_State *);

struct pat {
	lua_State	*L;
	const char	*s0;		/* start of the subject */
	const char	*se;		/* end of the subject */
	const char	*pe;		/* end of the pattern */
	int		 depth;
	unsigned long	 steps;
	unsigned long	 check;		/* steps at the next check */
	int		 ncap;
	struct {
		const char	*at;
		ptrdiff_t	 len;
	}		 cap[PAT_MAXCAP];
};

static const char	*match(struct pat *, const char *, const char *);

/* Count n steps of work; give up when there were too many. */
static void
tick(struct pat *ps, unsigned long n)
{
	ps->steps += n;
	if (ps->steps < ps->check)
		return;
	if (ps->steps > PAT_MAXSTEPS)
		luaL_error(ps->L, "pattern too costly to match (gave up after "
		    "%d steps; simplify the pattern or match a shorter text)",
		    (int)PAT_MAXSTEPS);
	ps->check = ps->steps + PAT_CLOCK;
	hooks_charge(ps->L, 0);
}

static void
pat_init(struct pat *ps, lua_State *L, const char *s, size_t ls,
    const char *p, size_t lp)
{
	memset(ps, 0, sizeof(*ps));
	ps->L = L;
	ps->s0 = s;
	ps->se = s + ls;
	ps->pe = p + lp;
	ps->check = PAT_CLOCK;
}

/* Whether character c is in class cl (the letter after '%'). */
static int
class_match(int c, int cl)
{
	int	 r;

	switch (tolower(cl)) {
	case 'a':
		r = isalpha(c);
		break;
	case 'c':
		r = iscntrl(c);
		break;
	case 'd':
		r = isdigit(c);
		break;
	case 'g':
		r = isgraph(c);
		break;
	case 'l':
		r = islower(c);
		break;
	case 'p':
		r = ispunct(c);
		break;
	case 's':
		r = isspace(c);
		break;
	case 'u':
		r = isupper(c);
		break;
	case 'w':
		r = isalnum(c);
		break;
	case 'x':
		r = isxdigit(c);
		break;
	case 'z':
		r = c == 0;	/* deprecated, but Lua 5.4 has it */
		break;
	default:
		return cl == c;
	}
	r = r != 0;
	return isupper(cl) ? !r : r;
}

/* Whether c is in the set [...] from p (at '[') to ec (at ']'). */
static int
in_set(int c, const char *p, const char *ec)
{
	int	 neg = 0;

	p++;
	if (*p == '^') {
		neg = 1;
		p++;
	}
	for (; p < ec; p++) {
		if (*p == '%') {
			p++;
			if (class_match(c, (unsigned char)*p))
				return !neg;
		} else if (p + 2 < ec && p[1] == '-') {
			if ((unsigned char)p[0] <= c &&
			    c <= (unsigned char)p[2])
				return !neg;
			p += 2;
		} else if ((unsigned char)*p == c)
			return !neg;
	}
	return neg;
}

/* The end of the single-character item at p. */
static const char *
item_end(struct pat *ps, const char *p)
{
	if (*p == '%') {
		if (p + 1 >= ps->pe)
			luaL_error(ps->L, "malformed pattern (ends with '%%')");
		return p + 2;
	}
	if (*p != '[')
		return p + 1;
	p++;
	if (p < ps->pe && *p == '^')
		p++;
	do {
		if (p >= ps->pe)
			luaL_error(ps->L, "malformed pattern (missing ']')");
		if (*p++ == '%' && p < ps->pe)
			p++;
	} while (p >= ps->pe || *p != ']');
	return p + 1;
}

/* Whether the subject character at s matches the item p..ep. */
static int
single(const struct pat *ps, const char *s, const char *p, const char *ep)
{
	int	 c;

	if (s >= ps->se)
		return 0;
	c = (unsigned char)*s;
	switch (*p) {
	case '.':
		return 1;
	case '%':
		return class_match(c, (unsigned char)p[1]);
	case '[':
		return in_set(c, p, ep - 1);
	default:
		return (unsigned char)*p == c;
	}
}

static const char *
max_expand(struct pat *ps, const char *s, const char *p, const char *ep)
{
	const char	*r;
	ptrdiff_t	 i = 0;

	while (single(ps, s + i, p, ep)) {
		i++;
		tick(ps, 1);
	}
	for (; i >= 0; i--)
		if ((r = match(ps, s + i, ep + 1)) != NULL)
			return r;
	return NULL;
}

static const char *
min_expand(struct pat *ps, const char *s, const char *p, const char *ep)
{
	const char	*r;

	for (;;) {
		if ((r = match(ps, s, ep + 1)) != NULL)
			return r;
		if (!single(ps, s, p, ep))
			return NULL;
		s++;
	}
}

static const char *
open_cap(struct pat *ps, const char *s, const char *p, ptrdiff_t what)
{
	const char	*r;

	if (ps->ncap >= PAT_MAXCAP)
		luaL_error(ps->L, "too many captures in pattern (at most %d)",
		    PAT_MAXCAP);
	ps->cap[ps->ncap].at = s;
	ps->cap[ps->ncap].len = what;
	ps->ncap++;
	if ((r = match(ps, s, p)) == NULL)
		ps->ncap--;
	return r;
}

static const char *
close_cap(struct pat *ps, const char *s, const char *p)
{
	const char	*r;
	int		 i;

	for (i = ps->ncap - 1; i >= 0; i--)
		if (ps->cap[i].len == CAP_OPEN)
			break;
	if (i < 0)
		luaL_error(ps->L, "invalid pattern capture (a ')' without "
		    "its '(')");
	ps->cap[i].len = s - ps->cap[i].at;
	if ((r = match(ps, s, p)) == NULL)
		ps->cap[i].len = CAP_OPEN;
	return r;
}

/* %bxy: a balanced run from x to y. */
static const char *
balance(struct pat *ps, const char *s, const char *p)
{
	int	 n = 1;

	if (p + 1 >= ps->pe)
		luaL_error(ps->L, "malformed pattern (missing arguments to "
		    "'%%b')");
	if (s >= ps->se || *s != *p)
		return NULL;
	while (++s < ps->se) {
		tick(ps, 1);
		if (*s == p[1]) {
			if (--n == 0)
				return s + 1;
		} else if (*s == *p)
			n++;
	}
	return NULL;
}

/* %1 to %9: the text of an earlier capture again. */
static const char *
backref(struct pat *ps, const char *s, int l)
{
	ptrdiff_t	 len;
	int		 i = l - '1';

	if (i < 0 || i >= ps->ncap || ps->cap[i].len == CAP_OPEN)
		luaL_error(ps->L, "invalid capture index %%%d in pattern",
		    i + 1);
	len = ps->cap[i].len;
	if (len < 0 || ps->cap[i].at == NULL || ps->se - s < len)
		return NULL;
	tick(ps, (unsigned long)len / 16);
	return memcmp(ps->cap[i].at, s, (size_t)len) == 0 ? s + len : NULL;
}

static const char *
match(struct pat *ps, const char *s, const char *p)
{
	const char	*r = NULL, *ep;
	int		 m, prev, cur;

	if (++ps->depth > PAT_MAXDEPTH)
		luaL_error(ps->L, "pattern too complex (more than %d nested "
		    "repetitions or captures)", PAT_MAXDEPTH);
	for (;;) {
		tick(ps, 1);
		if (p == ps->pe) {
			r = s;
			break;
		}
		if (*p == '(') {
			if (p + 1 < ps->pe && p[1] == ')')
				r = open_cap(ps, s, p + 2, CAP_POS);
			else
				r = open_cap(ps, s, p + 1, CAP_OPEN);
			break;
		}
		if (*p == ')') {
			r = close_cap(ps, s, p + 1);
			break;
		}
		if (*p == '$' && p + 1 == ps->pe) {
			r = s == ps->se ? s : NULL;
			break;
		}
		if (*p == '%' && p + 1 < ps->pe && p[1] == 'b') {
			if ((s = balance(ps, s, p + 2)) == NULL)
				break;
			p += 4;
			continue;
		}
		if (*p == '%' && p + 1 < ps->pe && p[1] == 'f') {
			p += 2;
			if (p >= ps->pe || *p != '[')
				luaL_error(ps->L, "missing '[' after '%%f' in "
				    "pattern");
			ep = item_end(ps, p);
			prev = s == ps->s0 ? 0 : (unsigned char)s[-1];
			cur = s < ps->se ? (unsigned char)*s : 0;
			if (in_set(prev, p, ep - 1) || !in_set(cur, p, ep - 1))
				break;
			p = ep;
			continue;
		}
		if (*p == '%' && p + 1 < ps->pe &&
		    isdigit((unsigned char)p[1])) {
			if ((s = backref(ps, s, p[1])) == NULL)
				break;
			p += 2;
			continue;
		}
		ep = item_end(ps, p);
		m = single(ps, s, p, ep);
		if (ep < ps->pe && *ep == '?') {
			if (m && (r = match(ps, s + 1, ep + 1)) != NULL)
				break;
			p = ep + 1;
			continue;
		}
		if (ep < ps->pe && *ep == '+') {
			r = m ? max_expand(ps, s + 1, p, ep) : NULL;
			break;
		}
		if (ep < ps->pe && *ep == '*') {
			r = max_expand(ps, s, p, ep);
			break;
		}
		if (ep < ps->pe && *ep == '-') {
			r = min_expand(ps, s, p, ep);
			break;
		}
		if (!m)
			break;
		s++;
		p = ep;
	}
	ps->depth--;
	return r;
}

/* Push capture i, or the whole match s..e when there are none. */
static void
push_cap(struct pat *ps, int i, const char *s, const char *e)
{
	if (i >= ps->ncap) {
		if (i != 0)
			luaL_error(ps->L, "invalid capture index %%%d", i + 1);
		lua_pushlstring(ps->L, s, (size_t)(e - s));
	} else if (ps->cap[i].len == CAP_OPEN)
		luaL_error(ps->L, "unfinished capture in pattern (a '(' "
		    "without its ')')");
	else if (ps->cap[i].len == CAP_POS)
		lua_pushinteger(ps->L, ps->cap[i].at - ps->s0 + 1);
	else
		lua_pushlstring(ps->L, ps->cap[i].at, (size_t)ps->cap[i].len);
}

static int
push_caps(struct pat *ps, const char *s, const char *e)
{
	int	 i, n = ps->ncap == 0 && s != NULL ? 1 : ps->ncap;

	luaL_checkstack(ps->L, n, "too many captures");
	for (i = 0; i < n; i++)
		push_cap(ps, i, s, e);
	return n;
}

/* A 1-based (or negative) position as an offset, maybe past the end. */
static size_t
offset(lua_Integer pos, size_t len)
{
	if (pos > 0)
		return (size_t)pos - 1;
	if (pos == 0 || pos < -(lua_Integer)len)
		return 0;
	return (size_t)((lua_Integer)len + pos);
}

static int
plain(const char *p, size_t lp)
{
	size_t	 i;

	for (i = 0; i < lp; i++)
		if (strchr("^$*+?.([%-", p[i]) != NULL && p[i] != '\0')
			return 0;
	return 1;
}

static int
find_aux(lua_State *L, int find)
{
	struct pat	 ps;
	size_t		 ls, lp, init;
	const char	*s = luaL_checklstring(L, 1, &ls);
	const char	*p = luaL_checklstring(L, 2, &lp);
	const char	*sp, *e;
	int		 anchor;

	init = offset(luaL_optinteger(L, 3, 1), ls);
	if (init > ls) {
		luaL_pushfail(L);
		return 1;
	}
	if (find && (lua_toboolean(L, 4) || plain(p, lp))) {
		sp = lp == 0 ? s + init : memmem(s + init, ls - init, p, lp);
		if (sp == NULL) {
			luaL_pushfail(L);
			return 1;
		}
		lua_pushinteger(L, sp - s + 1);
		lua_pushinteger(L, (lua_Integer)(sp - s) + (lua_Integer)lp);
		return 2;
	}
	if ((anchor = lp > 0 && *p == '^')) {
		p++;
		lp--;
	}
	pat_init(&ps, L, s, ls, p, lp);
	sp = s + init;
	do {
		ps.ncap = ps.depth = 0;
		if ((e = match(&ps, sp, p)) == NULL)
			continue;
		if (!find)
			return push_caps(&ps, sp, e);
		lua_pushinteger(L, sp - s + 1);
		lua_pushinteger(L, e - s);
		return push_caps(&ps, NULL, NULL) + 2;
	} while (sp++ < ps.se && !anchor);
	luaL_pushfail(L);
	return 1;
}

static int
str_find(lua_State *L)
{
	return find_aux(L, 1);
}

static int
str_match(lua_State *L)
{
	return find_aux(L, 0);
}

/* The iterator of gmatch: subject, pattern, offset, end of last match. */
static int
gmatch_next(lua_State *L)
{
	struct pat	 ps;
	size_t		 ls, lp;
	const char	*s = lua_tolstring(L, lua_upvalueindex(1), &ls);
	const char	*p = lua_tolstring(L, lua_upvalueindex(2), &lp);
	lua_Integer	 pos = lua_tointeger(L, lua_upvalueindex(3));
	lua_Integer	 last = lua_tointeger(L, lua_upvalueindex(4));
	const char	*sp, *e;

	pat_init(&ps, L, s, ls, p, lp);
	for (sp = s + pos; sp <= ps.se; sp++) {
		ps.ncap = ps.depth = 0;
		if ((e = match(&ps, sp, p)) == NULL || e - s == last)
			continue;
		lua_pushinteger(L, e - s);
		lua_replace(L, lua_upvalueindex(3));
		lua_pushinteger(L, e - s);
		lua_replace(L, lua_upvalueindex(4));
		return push_caps(&ps, sp, e);
	}
	return 0;
}

static int
str_gmatch(lua_State *L)
{
	size_t		 ls, init;

	luaL_checklstring(L, 1, &ls);
	luaL_checkstring(L, 2);
	init = offset(luaL_optinteger(L, 3, 1), ls);
	if (init > ls)
		init = ls + 1;
	lua_settop(L, 2);
	lua_pushinteger(L, (lua_Integer)init);
	lua_pushinteger(L, -1);
	lua_pushcclosure(L, gmatch_next, 4);
	return 1;
}

/* Append the replacement string (argument 3) for the match s..e. */
static void
add_string(struct pat *ps, luaL_Buffer *b, const char *s, const char *e)
{
	lua_State	*L = ps->L;
	size_t		 l;
	const char	*r = lua_tolstring(L, 3, &l), *end = r + l, *q;

	while (r < end) {
		if ((q = memchr(r, '%', (size_t)(end - r))) == NULL) {
			luaL_addlstring(b, r, (size_t)(end - r));
			break;
		}
		luaL_addlstring(b, r, (size_t)(q - r));
		q++;
		if (q < end && *q == '%')
			luaL_addchar(b, '%');
		else if (q < end && *q == '0')
			luaL_addlstring(b, s, (size_t)(e - s));
		else if (q < end && isdigit((unsigned char)*q)) {
			push_cap(ps, *q - '1', s, e);
			luaL_tolstring(L, -1, NULL);
			lua_remove(L, -2);
			luaL_addvalue(b);
		} else
			luaL_error(L, "invalid use of '%%' in replacement "
			    "string (write '%%%%' for a percent sign)");
		r = q + 1;
	}
}

static void
add_value(struct pat *ps, luaL_Buffer *b, const char *s, const char *e,
    int tr)
{
	lua_State	*L = ps->L;
	int		 n;

	if (tr == LUA_TFUNCTION) {
		lua_pushvalue(L, 3);
		n = push_caps(ps, s, e);
		lua_call(L, n, 1);
	} else if (tr == LUA_TTABLE) {
		push_cap(ps, 0, s, e);
		lua_gettable(L, 3);
	} else {
		add_string(ps, b, s, e);
		return;
	}
	if (!lua_toboolean(L, -1)) {
		lua_pop(L, 1);
		luaL_addlstring(b, s, (size_t)(e - s));
	} else if (!lua_isstring(L, -1))
		luaL_error(L, "invalid replacement value (a %s)",
		    luaL_typename(L, -1));
	else
		luaL_addvalue(b);
}

static int
str_gsub(lua_State *L)
{
	struct pat	 ps;
	luaL_Buffer	 b;
	size_t		 ls, lp;
	const char	*src = luaL_checklstring(L, 1, &ls);
	const char	*p = luaL_checklstring(L, 2, &lp);
	const char	*last = NULL, *e;
	int		 tr = lua_type(L, 3), anchor;
	lua_Integer	 max = luaL_optinteger(L, 4, (lua_Integer)ls + 1), n = 0;

	luaL_argexpected(L, tr == LUA_TNUMBER || tr == LUA_TSTRING ||
	    tr == LUA_TFUNCTION || tr == LUA_TTABLE, 3,
	    "string/function/table");
	luaL_buffinit(L, &b);
	if ((anchor = lp > 0 && *p == '^')) {
		p++;
		lp--;
	}
	pat_init(&ps, L, src, ls, p, lp);
	while (n < max) {
		ps.ncap = ps.depth = 0;
		if ((e = match(&ps, src, p)) != NULL && e != last) {
			n++;
			add_value(&ps, &b, src, e, tr);
			src = last = e;
		} else if (src < ps.se)
			luaL_addlstring(&b, src++, 1);
		else
			break;
		if (anchor)
			break;
	}
	luaL_addlstring(&b, src, (size_t)(ps.se - src));
	luaL_pushresult(&b);
	lua_pushinteger(L, n);
	return 2;
}

/* string.rep, returning at once when the result is empty. */
static int
str_rep(lua_State *L)
{
	size_t		 l, lsep;
	lua_Integer	 n;

	luaL_checklstring(L, 1, &l);
	n = luaL_checkinteger(L, 2);
	luaL_optlstring(L, 3, "", &lsep);
	if (n <= 0 || l + lsep == 0) {
		lua_pushliteral(L, "");
		return 1;
	}
	hooks_where(L);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, lua_gettop(L) - 1, 1);
	return 1;
}

static lua_Integer
length(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	return luaL_len(L, 1);
}

static int
tab_insert(lua_State *L)
{
	lua_Integer	 e = length(L) + 1, pos, i;

	switch (lua_gettop(L)) {
	case 2:
		pos = e;
		break;
	case 3:
		pos = luaL_checkinteger(L, 2);
		luaL_argcheck(L, (lua_Unsigned)pos - 1u < (lua_Unsigned)e, 2,
		    "position out of bounds");
		hooks_charge(L, (unsigned long)(e - pos));
		for (i = e; i > pos; i--) {
			lua_geti(L, 1, i - 1);
			lua_seti(L, 1, i);
		}
		break;
	default:
		return luaL_error(L, "wrong number of arguments to 'insert'");
	}
	lua_seti(L, 1, pos);
	return 0;
}

static int
tab_remove(lua_State *L)
{
	lua_Integer	 size = length(L);
	lua_Integer	 pos = luaL_optinteger(L, 2, size);

	if (pos != size)
		luaL_argcheck(L, (lua_Unsigned)pos - 1u <= (lua_Unsigned)size,
		    2, "position out of bounds");
	if (pos < size)
		hooks_charge(L, (unsigned long)(size - pos));
	lua_geti(L, 1, pos);
	for (; pos < size; pos++) {
		lua_geti(L, 1, pos + 1);
		lua_seti(L, 1, pos);
	}
	lua_pushnil(L);
	lua_seti(L, 1, pos);
	return 1;
}

static int
tab_move(lua_State *L)
{
	lua_Integer	 f = luaL_checkinteger(L, 2);
	lua_Integer	 e = luaL_checkinteger(L, 3);
	lua_Integer	 t = luaL_checkinteger(L, 4), n, i;
	int		 tt = lua_isnoneornil(L, 5) ? 1 : 5;

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_checktype(L, tt, LUA_TTABLE);
	if (e >= f) {
		luaL_argcheck(L, f > 0 || e < LUA_MAXINTEGER + f, 3,
		    "too many elements to move");
		n = e - f + 1;
		luaL_argcheck(L, t <= LUA_MAXINTEGER - n + 1, 4,
		    "destination wrap around");
		hooks_charge(L, (unsigned long)n);
		if (t > e || t <= f || (tt != 1 && !lua_rawequal(L, 1, tt)))
			for (i = 0; i < n; i++) {
				lua_geti(L, 1, f + i);
				lua_seti(L, tt, t + i);
			}
		else
			for (i = n - 1; i >= 0; i--) {
				lua_geti(L, 1, f + i);
				lua_seti(L, tt, t + i);
			}
	}
	lua_pushvalue(L, tt);
	return 1;
}

static void
set(lua_State *L, const char *lib, const char *name, lua_CFunction fn,
    int keep)
{
	lua_getglobal(L, lib);
	if (keep)
		lua_getfield(L, -1, name);
	lua_pushcclosure(L, fn, keep);
	lua_setfield(L, -2, name);
	lua_pop(L, 1);
}

/*
 * Replace the unbounded functions of the global string and table
 * libraries (which the string metatable shares) by bounded ones.
 */
void
hooks_pat_open(lua_State *L)
{
	set(L, "string", "find", str_find, 0);
	set(L, "string", "match", str_match, 0);
	set(L, "string", "gmatch", str_gmatch, 0);
	set(L, "string", "gsub", str_gsub, 0);
	set(L, "string", "rep", str_rep, 1);
	set(L, "table", "insert", tab_insert, 0);
	set(L, "table", "remove", tab_remove, 0);
	set(L, "table", "move", tab_move, 0);
}
