/*
 * Lua hooks: a site's own Lua 5.4 code, run in a sandbox.
 *
 * Convention.  A hook file is a Lua chunk (source text only; binary
 * chunks are refused) run once by hooks_load() with the chunk name
 * "@path", so errors read "hooks/site.lua:12: ...".  It registers
 * functions through the global table icp:
 *
 *	icp.hook("page", function (page)
 *		page.title = page.title:upper()	-- change in place, or
 *		return { title = "x" }		-- return a replacement
 *	end)
 *	icp.filter("shout", function (v, arg) return v:upper() .. arg end)
 *
 * Several files (or one file several times) may register the same
 * hook: hooks_call() runs them all in order of registration, each on
 * the result of the one before.  A filter name may be defined once.
 * Hook names are config, page and pages.
 *
 * The rest of icp: icp.read(path) returns a site file as a string, or
 * nil and a message (paths are relative to the site's root and may
 * not climb out of it); icp.error(msg [, file [, line]]) and
 * icp.warn(...) report like the built-in checks, by default at the
 * line of the hook that calls them, and do not stop the hook;
 * icp.null stands for a null in a list or map; icp.version is the
 * version of icpgen.  print() reports its text as a note at the line
 * that calls it.
 *
 * Sandbox.  All files share one global table holding base (without
 * dofile, loadfile, warn; with load restricted to text chunks,
 * collectgarbage to "count", setmetatable refusing __gc), string
 * (without dump), table, math (seeded with 0, so builds are
 * reproducible), utf8 and os with only time, date and clock.  Reading
 * a removed name (io, debug, os.execute, ...) is an error saying why;
 * other unknown globals are nil.  require(name) loads lua/NAME.lua
 * (dots in name are folders) of the site through the read callback,
 * in the same sandbox, once.
 *
 * Budgets.  Each hooks_load(), hooks_call() and hooks_filter_call()
 * may run limits->instructions VM instructions (checked every 1000);
 * all calls together may run limits->seconds of wall-clock time,
 * enforced by a timer signal; pcall cannot catch these, and once one
 * is exceeded every later call fails without running.  The allocator
 * caps the whole state at limits->memory bytes.  The string functions
 * that take patterns and the table functions that loop count their
 * own steps (see hooks_pat.c).  Text leaving Lua is capped at
 * limits->memory bytes per call, each use of a shared string counted;
 * print, icp.warn and icp.error are cut to MAXMSG bytes and at most
 * MAXDIAGS are shown per state.  Strings made by Lua are marked
 * untrusted, so templates never print them as HTML.
 *
 * Values.  struct val maps become tables with string keys (null
 * values are left out; such a key that is still absent afterwards
 * stays null), lists become sequences (null items are icp.null),
 * numbers become integers when integral, strings and booleans stay as
 * they are.  Back from Lua, a table whose keys are 1..n is a list, one
 * with string keys a map; an empty table is a list where the original
 * value was a list, else a map.  Keys of the original map keep their
 * order, new keys follow in sorted order.  A value equal to the
 * original one at the same place keeps its file, line and column; new
 * values have none.  New strings are not marked quoted, so the schema
 * reads them as it would plain YAML.  Other key types, functions,
 * userdata, cycles, nesting deeper than 32 and more than a million
 * values are errors reported at the definition of the hook.
 *
 * One lua_State per struct hooks: not safe to use from two threads.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <math.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "hooks/hooks.h"

#ifndef ICPGEN_VERSION
#define ICPGEN_VERSION	"unknown"
#endif

#define DEF_INSNS	100000000UL
#define DEF_MEMORY	((size_t)64 * 1024 * 1024)
#define DEF_SECONDS	10.0
#define DEF_PAGES	10000
#define MAXMSG		1000		/* bytes of one message from Lua */
#define MAXDIAGS	100		/* messages from Lua in a build */
#define HOOK_EVERY	1000
#define MAXDEPTH	32
#define MAXNODES	1000000
#define MAXFRAMES	8
#define KEYS		"(keys must be strings, or 1, 2, ... for a list)"

/* Shared with hooks_pat.c (not part of the public interface). */
void	hooks_pat_open(lua_State *);
void	hooks_charge(lua_State *, unsigned long);
void	hooks_where(lua_State *);

enum over {
	OVER_NONE,
	OVER_INSNS,
	OVER_TIME,
	OVER_CLOSED,
	OVER_OTHER,	/* another state spent the budget */
};

/*
 * What the states of one build share (hooks_clone): the wall-clock
 * budget, whether a budget was spent, and the number of messages.
 * Atomics, so that calls in different threads never wait for each
 * other; the lock is taken only once a budget is spent.
 */
struct budget {
	atomic_int	 refs;
	atomic_ullong	 spent;		/* nanoseconds used by all calls */
	atomic_int	 dead;		/* a budget was spent: no more Lua */
	atomic_int	 deadtold;	/* and that was reported */
	pthread_mutex_t	 lock;		/* deadsrc, deadat; dead set under it */
	char		 deadsrc[256];	/* where it was spent */
	int		 deadat;
	atomic_uint	 ndiags;	/* messages hooks reported */
	atomic_int	 dropped;	/* messages were left out */
	atomic_int	 droppederr;	/* an error among them */
};

/* A hook file as loaded, to load it again into a clone. */
struct hfile {
	char		*path;
	char		*src;
	size_t		 len;
};

struct frame {
	char		 src[256];
	char		 shortsrc[LUA_IDSIZE];
	int		 line;
	char		 what[160];
};

struct hooks {
	lua_State	*L;
	struct hook_limits lim;
	hooks_read_fn	 read;
	void		*ctx;
	size_t		 used;		/* bytes held by the state */
	struct diags	*d;		/* of the running call */
	char		 label[160];	/* "hook 'page'" */
	unsigned long	 count;		/* instructions of this call */
	double		 deadline;
	struct budget	*B;		/* shared with its clones */
	int		 cloning;	/* loading files again, quietly */
	struct hfile	*files;		/* loaded, in order */
	size_t		 nfiles;
	volatile sig_atomic_t rang;	/* the timer of this call expired */
	const char	*subject;	/* what the hook works on, or NULL */
	enum over	 over;
	struct frame	 fr[MAXFRAMES];	/* stack of the last error */
	int		 nfr;
	int		 more;		/* frames were left out */
	char		 defsrc[256];	/* default place of errors */
	int		 defline;
	char		 sample[256];	/* last known place running */
	int		 sampleline;
	int		 rethrow;	/* error seen by an inner handler */
	int		 oom;		/* a module ran out of memory */
	int		 errset;	/* error with explicit place */
	char		 errsrc[256];
	int		 errline;
	int		 nhooks[3];
	char		**filters;
	const char	**fview;
	size_t		 nfilters;
};

static const char *const hook_names[] = { "config", "page", "pages", NULL };

/* Registry keys and the light userdata of icp.null. */
static char	key_hooks, key_filters, key_mods, key_null, key_loading;

static struct hooks *
H(lua_State *L)
{
	return *(struct hooks **)lua_getextraspace(L);
}

/*
 * The wall-clock budget is enforced by a timer that signals the thread
 * running Lua.  The handler only asks Lua to call the count hook at
 * the next instruction (lua_sethook is documented as safe to call from
 * a signal handler); the hook then raises the budget error.  Long C
 * functions cannot be interrupted, so the library calls whose cost
 * grows with their input (table.sort, table.concat, string.rep and the
 * pattern functions) charge for it first.
 */
static _Thread_local struct hooks *running;
static pthread_once_t	 sig_once = PTHREAD_ONCE_INIT;
static void		 count_hook(lua_State *, lua_Debug *);

static void
on_timer(int sig)
{
	struct hooks	*h = running;
	int		 saved = errno;

	if (h != NULL) {
		h->rang = 1;
		lua_sethook(h->L, count_hook, LUA_MASKCOUNT, 1);
	}
	errno = saved;
}

static void
sig_setup(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_timer;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
}

/* Arm a timer for this thread, secs from now; false if we cannot. */
static bool
timer_arm(timer_t *t, double secs)
{
	struct sigevent	 sev;
	struct itimerspec its;

	pthread_once(&sig_once, sig_setup);
	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = SIGEV_THREAD_ID;
	sev.sigev_signo = SIGALRM;
	sev._sigev_un._tid = gettid();
	if (timer_create(CLOCK_MONOTONIC, &sev, t) == -1)
		return false;
	memset(&its, 0, sizeof(its));
	if (secs < 0.001)
		secs = 0.001;
	its.it_value.tv_sec = (time_t)secs;
	its.it_value.tv_nsec = (long)((secs - (double)(time_t)secs) * 1e9);
	if (timer_settime(*t, 0, &its, NULL) == -1) {
		timer_delete(*t);
		return false;
	}
	return true;
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
copy(char *dst, size_t sz, const char *src)
{
	snprintf(dst, sz, "%s", src);
}

/* The file a chunk's source names, as users know it. */
static const char *
srcname(const lua_Debug *ar)
{
	return ar->source[0] == '@' ? ar->source + 1 : ar->short_src;
}

/* The allocator of the state: refuses to go beyond the memory limit. */
static void *
sb_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct hooks	*h = ud;
	void		*np;

	if (ptr == NULL)
		osize = 0;
	if (nsize == 0) {
		free(ptr);
		h->used -= osize;
		return NULL;
	}
	if (nsize > osize && nsize - osize > h->lim.memory - h->used)
		return NULL;
	if ((np = realloc(ptr, nsize)) == NULL)
		return nsize <= osize ? ptr : NULL;
	h->used = h->used - osize + nsize;
	return np;
}

static int
sb_panic(lua_State *L)
{
	fprintf(stderr, "icpgen: unprotected error in hooks: %s\n",
	    lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
	abort();
}

static void
frame_fill(struct hooks *h, struct frame *f, lua_Debug *ar, int outermost)
{
	copy(f->src, sizeof(f->src), srcname(ar));
	copy(f->shortsrc, sizeof(f->shortsrc), ar->short_src);
	f->line = ar->currentline;
	if (ar->name != NULL && *ar->namewhat != '\0')
		snprintf(f->what, sizeof(f->what), "function '%s'", ar->name);
	else if (*ar->what == 'm')
		copy(f->what, sizeof(f->what), "main chunk");
	else if (outermost && h->label[0] != '\0')
		copy(f->what, sizeof(f->what), h->label);
	else
		snprintf(f->what, sizeof(f->what), "function <%s:%d>",
		    ar->short_src, ar->linedefined);
}

/*
 * Remember the Lua frames of the stack from level on: the first few
 * and the outermost one.  Uses no stack slots, so it is safe in a
 * message handler after a stack overflow.
 */
static void
record_frames(struct hooks *h, lua_State *L, int level)
{
	lua_Debug	 ar;
	int		 lv, lo, hi, mid, full = 0;

	h->nfr = h->more = 0;
	for (lv = level; lua_getstack(L, lv, &ar); lv++) {
		if (!lua_getinfo(L, "Sln", &ar) || ar.currentline <= 0)
			continue;
		if (h->nfr == MAXFRAMES - 1) {
			full = 1;
			break;
		}
		frame_fill(h, &h->fr[h->nfr++], &ar, 0);
	}
	if (!full) {
		/* The last one recorded is the outermost: relabel it. */
		for (lv--; lv >= level && h->nfr > 0; lv--)
			if (lua_getstack(L, lv, &ar) &&
			    lua_getinfo(L, "Sln", &ar) && ar.currentline > 0) {
				frame_fill(h, &h->fr[h->nfr - 1], &ar, 1);
				break;
			}
		return;
	}
	/* Find the deepest level, then the outermost Lua frame near it. */
	lo = lv;
	hi = lv * 2 + 1;
	while (hi < INT_MAX / 2 && lua_getstack(L, hi, &ar)) {
		lo = hi;
		hi *= 2;
	}
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (lua_getstack(L, mid, &ar))
			lo = mid;
		else
			hi = mid;
	}
	for (lv = lo; lv >= lo - 8 && lv > level; lv--)
		if (lua_getstack(L, lv, &ar) && lua_getinfo(L, "Sln", &ar) &&
		    ar.currentline > 0) {
			frame_fill(h, &h->fr[h->nfr++], &ar, 1);
			h->more = 1;
			break;
		}
}

/* Note where the running Lua code is (for errors without a stack). */
static void
sample(struct hooks *h, lua_Debug *ar)
{
	copy(h->sample, sizeof(h->sample), srcname(ar));
	h->sampleline = ar->currentline;
}

/* Note where the Lua code calling the running C function is. */
void
hooks_where(lua_State *L)
{
	lua_Debug	 ar;

	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar) &&
	    ar.currentline > 0)
		sample(H(L), &ar);
}

/*
 * Charge n instructions of work to the running call and raise an
 * error that pcall cannot catch once a budget is exceeded.
 */
void
hooks_charge(lua_State *L, unsigned long n)
{
	struct hooks	*h = H(L);

	if (h->over == OVER_NONE) {
		if (n > h->lim.instructions - h->count)
			h->over = OVER_INSNS;
		else if ((h->count += n, h->rang || now() > h->deadline))
			h->over = OVER_TIME;
		else if (!h->cloning && atomic_load(&h->B->dead))
			h->over = OVER_OTHER;
		if (h->over == OVER_INSNS || h->over == OVER_TIME)
			record_frames(h, L, 0);
	}
	if (h->over != OVER_NONE) {
		lua_pushliteral(L, "budget exceeded");
		lua_error(L);
	}
}

static void
count_hook(lua_State *L, lua_Debug *ar)
{
	if (lua_getinfo(L, "Sl", ar) && ar->currentline > 0)
		sample(H(L), ar);
	hooks_charge(L, HOOK_EVERY);
}

/* Message handler of the protected calls: remembers the stack. */
static int
msgh(lua_State *L)
{
	struct hooks	*h = H(L);

	if (h->rethrow) {
		h->rethrow = 0;
		return 1;
	}
	if (!lua_isstring(L, 1))
		lua_pushfstring(L, "(error object is a %s value)",
		    luaL_typename(L, 1));
	if (h->over == OVER_NONE)
		record_frames(h, L, 0);
	return 1;
}

/* Set the default place of errors to the definition of function idx. */
static void
set_def(struct hooks *h, lua_State *L, int idx)
{
	lua_Debug	 ar;

	lua_pushvalue(L, idx);
	if (lua_getinfo(L, ">S", &ar)) {
		copy(h->defsrc, sizeof(h->defsrc), srcname(&ar));
		h->defline = ar.linedefined;
	}
}

/* Raise an error reported at the default place, without a traceback. */
static int
explicit_error(lua_State *L, const char *src, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
explicit_error(lua_State *L, const char *src, int line, const char *fmt, ...)
{
	struct hooks	*h = H(L);
	char		 msg[768];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	h->errset = 1;
	copy(h->errsrc, sizeof(h->errsrc), src != NULL ? src : "");
	h->errline = line;
	lua_pushstring(L, msg);
	return lua_error(L);
}

/*
 * Split "file:line: message" into its parts; returns the message
 * (msg itself when there is no such prefix).
 */
static const char *
split_where(const char *msg, char *file, size_t sz, int *line)
{
	const char	*p, *q;

	for (p = msg; *p != '\0' && *p != '\n'; p++) {
		if (*p != ':' || !isdigit((unsigned char)p[1]))
			continue;
		for (q = p + 1; isdigit((unsigned char)*q); q++)
			continue;
		if (q[0] != ':' || q[1] != ' ')
			continue;
		snprintf(file, sz, "%.*s", (int)(p - msg), msg);
		*line = atoi(p + 1);
		return q + 2;
	}
	*line = 0;
	return msg;
}

/* Say, once a build, that a call was refused because a budget is spent. */
static void
not_run(struct hooks *h, struct diags *d)
{
	struct budget	*B = h->B;
	char		 src[256];
	int		 at;

	if (atomic_exchange(&B->deadtold, 1))
		return;
	pthread_mutex_lock(&B->lock);
	copy(src, sizeof(src), B->deadsrc);
	at = B->deadat;
	pthread_mutex_unlock(&B->lock);
	diag_error(d, src[0] != '\0' ? src : NULL, at, 0, "%s was not run: "
	    "the Lua budget of this build was spent earlier, here", h->label);
}

/* Mark the shared budget spent, at src:line (NULL: keep the place). */
static void
kill_budget(struct budget *B, const char *src, int line)
{
	pthread_mutex_lock(&B->lock);
	if (!atomic_load(&B->dead) && src != NULL) {
		copy(B->deadsrc, sizeof(B->deadsrc), src);
		B->deadat = line;
	}
	atomic_store(&B->dead, 1);
	pthread_mutex_unlock(&B->lock);
}

/* Report the failure of a protected call with status st. */
static void
report(struct hooks *h, int st, struct diags *d)
{
	const char	*msg, *src = h->defsrc, *rest;
	char		 file[256];
	int		 line = h->defline, i, j, pline, tb = 1;
	size_t		 n;

	if (h->over == OVER_OTHER) {
		/* Stopped for another state's runaway: its work is lost. */
		not_run(h, d);
		return;
	}
	if (h->nfr > 0 && h->over != OVER_NONE) {
		src = h->fr[0].src;
		line = h->fr[0].line;
	}
	if (h->over == OVER_INSNS) {
		diag_error(d, src, line, 0, "%s exceeded its budget of %lu "
		    "instructions (is there an endless loop?)", h->label,
		    h->lim.instructions);
	} else if (h->over == OVER_TIME) {
		diag_error(d, src, line, 0, "%s ran out of time: all Lua code "
		    "of a build may run for %g seconds in total (is there an "
		    "endless loop?)", h->label, h->lim.seconds);
	} else if (st == LUA_ERRMEM || h->oom) {
		if (h->sampleline > 0) {
			src = h->sample;
			line = h->sampleline;
		}
		diag_error(d, src, line, 0, "%s ran out of memory (hooks may "
		    "use at most %zu MiB; is there an endless loop or "
		    "recursion?)", h->label,
		    h->lim.memory / (1024 * 1024));
		tb = 0;
	} else if (h->errset) {
		msg = lua_tostring(h->L, -1);
		diag_error(d, h->errsrc, h->errline, 0, "%s", msg);
		tb = 0;
	} else {
		if ((msg = lua_tostring(h->L, -1)) == NULL)
			msg = "(error object is not a string)";
		rest = split_where(msg, file, sizeof(file), &pline);
		if (rest != msg) {
			src = file;
			line = pline;
			n = strlen(file);
			for (i = 0; i < h->nfr; i++)
				if (strcmp(h->fr[i].shortsrc, file) == 0 &&
				    h->fr[i].line == pline) {
					src = h->fr[i].src;
					break;
				}
			/* A long path that Lua shortened to "...tail". */
			if (i == h->nfr && n > 3 && strncmp(file, "...", 3) ==
			    0 && strlen(h->defsrc) >= n - 3 &&
			    strcmp(h->defsrc + strlen(h->defsrc) - (n - 3),
			    file + 3) == 0)
				src = h->defsrc;
		} else if (h->nfr > 0) {
			src = h->fr[0].src;
			line = h->fr[0].line;
		}
		n = strlen(rest);
		if (n >= 14 && strcmp(rest + n - 14, "stack overflow") == 0)
			diag_error(d, src, line, 0, "%s (is there an endless "
			    "recursion?)", rest);
		else if (n > MAXMSG)
			diag_error(d, src, line, 0, "%.*s [%zu more bytes left "
			    "out]", MAXMSG, rest, n - MAXMSG);
		else
			diag_error(d, src, line, 0, "%s", rest);
	}
	if (!tb)
		return;
	for (i = 0; i < h->nfr; i = j) {
		/* Runs of the same frame (recursion) are shown once. */
		for (j = i + 1; j < h->nfr && !(h->more && j == h->nfr - 1) &&
		    h->fr[j].line == h->fr[i].line &&
		    strcmp(h->fr[j].src, h->fr[i].src) == 0 &&
		    strcmp(h->fr[j].what, h->fr[i].what) == 0; j++)
			continue;
		diag_note(d, h->fr[i].src, h->fr[i].line, 0, "in %s%s%s",
		    h->fr[i].what, j > i + 1 ? " (repeatedly)" : "",
		    h->more && i == h->nfr - 1 ?
		    " (calls in between left out)" : "");
	}
}

/*
 * Run fn(arg) under a fresh budget, reporting any error.  Returns 0 or
 * -1.  The Lua stack is as before afterwards.
 */
static int
run(struct hooks *h, lua_CFunction fn, void *arg, struct diags *d)
{
	lua_State	*L = h->L;
	int		 base = lua_gettop(L), st, armed;
	double		 start = now(), left;
	timer_t		 t;

	/*
	 * A clone loading its files again is charged too: the budget is
	 * the build's, however many threads run its Lua.  A clone cut
	 * short defines less than the original, but then the budget is
	 * spent and no call runs anyway.
	 */
	left = h->lim.seconds - (double)atomic_load(&h->B->spent) / 1e9;
	if (atomic_load(&h->B->dead) || left <= 0) {
		if (!atomic_load(&h->B->dead))
			kill_budget(h->B, NULL, 0);
		if (!h->cloning)
			not_run(h, d);
		return -1;
	}
	h->d = d;
	h->count = 0;
	h->deadline = start + left;
	h->over = OVER_NONE;
	h->errset = h->nfr = h->more = h->rethrow = h->oom = 0;
	h->sampleline = 0;
	h->rang = 0;
	lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	running = h;
	armed = timer_arm(&t, left);
	lua_pushcfunction(L, msgh);
	lua_pushcfunction(L, fn);
	lua_pushlightuserdata(L, arg);
	st = lua_pcall(L, 1, 0, base + 1);
	running = NULL;
	if (armed)
		timer_delete(t);
	if (st != LUA_OK)
		report(h, st, d);
	/*
	 * A runaway spends the budget of the build; memory is a cap on
	 * the state and comes back once the garbage is collected.
	 */
	if (h->over == OVER_INSNS || h->over == OVER_TIME)
		kill_budget(h->B, h->nfr > 0 ? h->fr[0].src : h->defsrc,
		    h->nfr > 0 ? h->fr[0].line : h->defline);
	lua_settop(L, base);
	atomic_fetch_add(&h->B->spent, (unsigned long long)((now() - start) *
	    1e9));
	h->over = OVER_NONE;
	h->rang = 0;
	h->d = NULL;
	return st == LUA_OK ? 0 : -1;
}

/* --- conversion ---------------------------------------------------- */

/* Push v as a Lua value; nulls are nil, or icp.null inside a list. */
static void
tolua(lua_State *L, const struct val *v, int depth, int inlist)
{
	lua_Integer	 i;
	size_t		 k;

	if (v == NULL) {
		lua_pushnil(L);
		return;
	}
	if (depth >= MAXDEPTH && (v->kind == VAL_LIST || v->kind == VAL_MAP))
		explicit_error(L, v->file, v->line, "value nested deeper "
		    "than %d levels cannot be passed to hooks", MAXDEPTH);
	if (!lua_checkstack(L, 4))
		explicit_error(L, v->file, v->line, "value too deep to "
		    "pass to hooks");
	switch (v->kind) {
	case VAL_NULL:
		if (inlist)
			lua_pushlightuserdata(L, &key_null);
		else
			lua_pushnil(L);
		break;
	case VAL_BOOL:
		lua_pushboolean(L, v->b);
		break;
	case VAL_NUM:
		if (floor(v->num) == v->num &&
		    lua_numbertointeger(v->num, &i))
			lua_pushinteger(L, i);
		else
			lua_pushnumber(L, v->num);
		break;
	case VAL_STR:
		lua_pushlstring(L, v->str, v->len);
		break;
	case VAL_LIST:
		lua_createtable(L, (int)v->n, 0);
		for (k = 0; k < v->n; k++) {
			tolua(L, v->items[k], depth + 1, 1);
			lua_rawseti(L, -2, (lua_Integer)k + 1);
		}
		break;
	case VAL_MAP:
		lua_createtable(L, 0, (int)v->n);
		for (k = 0; k < v->n; k++) {
			if (v->pairs[k].v == NULL ||
			    v->pairs[k].v->kind == VAL_NULL)
				continue;
			tolua(L, v->pairs[k].v, depth + 1, 0);
			lua_setfield(L, -2, v->pairs[k].key);
		}
		break;
	}
}

struct conv {
	lua_State	*L;
	struct arena	*a;		/* NULL: only check */
	size_t		 nodes;
	size_t		 bytes;		/* of strings, each copy counted */
	const void	*seen[MAXDEPTH + 1];
	char		 path[512];
	size_t		 plen;
};

static int
conv_error(struct conv *c, const char *why, const char *what, ...)
    __attribute__((format(printf, 3, 4)));

/* Raise the error that the value at the current path is wrong. */
static int
conv_error(struct conv *c, const char *why, const char *fmt, ...)
{
	struct hooks	*h = H(c->L);
	char		 what[256];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return explicit_error(c->L, h->defsrc, h->defline, "%s %s %s%s%s%s%s%s",
	    h->label, c->plen == 0 ? "returned" : "produced", what,
	    c->plen == 0 ? "" : " at '", c->path, c->plen == 0 ? "" : "'",
	    why == NULL ? "" : " ", why == NULL ? "" : why);
}

static size_t
path_push(struct conv *c, const char *key, lua_Integer idx)
{
	size_t	 old = c->plen;
	int	 n;

	if (key != NULL)
		n = snprintf(c->path + old, sizeof(c->path) - old, "%s%s",
		    old > 0 ? "." : "", key);
	else
		n = snprintf(c->path + old, sizeof(c->path) - old, "[%lld]",
		    (long long)idx);
	if (n > 0)
		c->plen = old + (size_t)n < sizeof(c->path) ? old + (size_t)n :
		    sizeof(c->path) - 1;
	return old;
}

static void
path_pop(struct conv *c, size_t old)
{
	c->plen = old;
	c->path[old] = '\0';
}

/* Give v the position of orig when they hold the same scalar. */
static void
keep_pos(struct val *v, const struct val *orig)
{
	if (orig == NULL || orig->kind != v->kind)
		return;
	switch (v->kind) {
	case VAL_BOOL:
		if (v->b != orig->b)
			return;
		break;
	case VAL_NUM:
		if (v->num != orig->num)
			return;
		break;
	case VAL_STR:
		if (v->len != orig->len ||
		    memcmp(v->str, orig->str, v->len) != 0)
			return;
		v->quoted = orig->quoted;
		v->untrusted = orig->untrusted;
		v->html = orig->html;
		break;
	default:
		break;
	}
	v->file = orig->file;
	v->line = orig->line;
	v->col = orig->col;
}

static struct val	*fromlua(struct conv *, int, const struct val *, int);

static int
cmpkey(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static struct val *
fromlist(struct conv *c, int idx, const struct val *orig, int depth,
    size_t n)
{
	lua_State	*L = c->L;
	struct val	*v = NULL, *item;
	const struct val *o;
	size_t		 i, old;

	if (c->a != NULL) {
		v = val_list(c->a);
		keep_pos(v, orig);
		if (n > 0)
			v->items = arena_alloc(c->a, n * sizeof(*v->items));
		v->cap = n;
	}
	for (i = 0; i < n; i++) {
		lua_rawgeti(L, idx, (lua_Integer)i + 1);
		old = path_push(c, NULL, (lua_Integer)i + 1);
		o = orig != NULL && orig->kind == VAL_LIST && i < orig->n ?
		    orig->items[i] : NULL;
		item = fromlua(c, lua_gettop(L), o, depth + 1);
		path_pop(c, old);
		lua_pop(L, 1);
		if (v != NULL)
			v->items[v->n++] = item;
	}
	return v;
}

static struct val *
frommap(struct conv *c, int idx, const struct val *orig, int depth,
    size_t n)
{
	lua_State	*L = c->L;
	struct val	*v;
	const char	**keys, **okeys = NULL, *k;
	size_t		 i, j, no = 0, old;

	if (c->a == NULL) {
		lua_pushnil(L);
		while (lua_next(L, idx)) {
			old = path_push(c, lua_tostring(L, -2), 0);
			fromlua(c, lua_gettop(L), NULL, depth + 1);
			path_pop(c, old);
			lua_pop(L, 1);
		}
		return NULL;
	}
	v = val_map(c->a);
	keep_pos(v, orig);
	if (orig != NULL && orig->kind != VAL_MAP)
		orig = NULL;
	if (orig != NULL && orig->n > 0) {
		no = orig->n;
		okeys = arena_alloc(c->a, no * sizeof(*okeys));
		for (i = 0; i < no; i++)
			okeys[i] = orig->pairs[i].key;
		qsort(okeys, no, sizeof(*okeys), cmpkey);
	}
	v->cap = n + no;
	if (v->cap > 0)
		v->pairs = arena_alloc(c->a, v->cap * sizeof(*v->pairs));
	/* The keys of the original first, in their order. */
	for (i = 0; i < no; i++) {
		k = orig->pairs[i].key;
		lua_pushstring(L, k);
		if (lua_rawget(L, idx) != LUA_TNIL) {
			old = path_push(c, k, 0);
			v->pairs[v->n].v = fromlua(c, lua_gettop(L),
			    orig->pairs[i].v, depth + 1);
			path_pop(c, old);
		} else if (orig->pairs[i].v != NULL &&
		    orig->pairs[i].v->kind == VAL_NULL)
			v->pairs[v->n].v = val_copy(c->a, orig->pairs[i].v);
		lua_pop(L, 1);
		if (v->pairs[v->n].v != NULL)
			v->pairs[v->n++].key = arena_strdup(c->a, k);
	}
	/* Then new keys, sorted so that builds are reproducible. */
	keys = arena_alloc(c->a, (n > 0 ? n : 1) * sizeof(*keys));
	j = 0;
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		lua_pop(L, 1);
		k = lua_tostring(L, -1);
		if (okeys == NULL ||
		    bsearch(&k, okeys, no, sizeof(*okeys), cmpkey) == NULL)
			keys[j++] = k;
	}
	qsort(keys, j, sizeof(*keys), cmpkey);
	for (i = 0; i < j; i++) {
		lua_pushstring(L, keys[i]);
		lua_rawget(L, idx);
		old = path_push(c, keys[i], 0);
		v->pairs[v->n].key = arena_strdup(c->a, keys[i]);
		v->pairs[v->n++].v = fromlua(c, lua_gettop(L), NULL, depth + 1);
		path_pop(c, old);
		lua_pop(L, 1);
	}
	return v;
}

static struct val *
fromtable(struct conv *c, int idx, const struct val *orig, int depth)
{
	lua_State	*L = c->L;
	const void	*self = lua_topointer(L, idx);
	size_t		 nstr = 0, nint = 0, len;
	lua_Integer	 k, maxk = 0;
	const char	*s;
	int		 i;

	if (depth >= MAXDEPTH)
		conv_error(c, NULL, "a table nested deeper than %d levels",
		    MAXDEPTH);
	for (i = 0; i < depth; i++)
		if (c->seen[i] == self)
			conv_error(c, NULL, "a table that contains itself");
	c->seen[depth] = self;
	if (!lua_checkstack(L, 6))
		conv_error(c, NULL, "a table nested too deep");
	lua_pushnil(L);
	while (lua_next(L, idx)) {
		if (lua_type(L, -2) == LUA_TSTRING) {
			s = lua_tolstring(L, -2, &len);
			if (strlen(s) != len)
				conv_error(c, NULL, "a key with a NUL byte");
			nstr++;
		} else if (lua_isinteger(L, -2) &&
		    (k = lua_tointeger(L, -2)) >= 1) {
			nint++;
			if (k > maxk)
				maxk = k;
		} else if (lua_type(L, -2) == LUA_TNUMBER)
			conv_error(c, KEYS, "a table with the number key %s",
			    lua_tostring(L, lua_gettop(L) - 1));
		else
			conv_error(c, KEYS, "a table with a %s key",
			    luaL_typename(L, -2));
		lua_pop(L, 1);
	}
	if (nint > 0 && nstr > 0)
		conv_error(c, "(use either a list or a map)", "a table that "
		    "mixes list items with named keys");
	if (nint > 0 && (size_t)maxk != nint)
		conv_error(c, "(use icp.null, not nil, for empty items)",
		    "a list with holes");
	if (nint > 0 || (nstr == 0 && orig != NULL && orig->kind == VAL_LIST))
		return fromlist(c, idx, orig, depth, nint);
	return frommap(c, idx, orig, depth, nstr);
}

/*
 * The Lua value at idx as a struct val (NULL when only checking),
 * raising an error for what a struct val cannot hold.
 */
static struct val *
fromlua(struct conv *c, int idx, const struct val *orig, int depth)
{
	lua_State	*L = c->L;
	struct val	*v = NULL;
	const char	*s;
	size_t		 len;

	if (++c->nodes > MAXNODES)
		conv_error(c, NULL, "more than %d values", MAXNODES);
	switch (lua_type(L, idx)) {
	case LUA_TNIL:
		if (c->a != NULL)
			v = val_new(c->a, VAL_NULL);
		break;
	case LUA_TBOOLEAN:
		if (c->a != NULL)
			v = val_bool(c->a, lua_toboolean(L, idx));
		break;
	case LUA_TNUMBER:
		if (c->a != NULL)
			v = val_num(c->a, lua_tonumber(L, idx));
		break;
	case LUA_TSTRING:
		s = lua_tolstring(L, idx, &len);
		/* Shared strings are copied once per use: count each. */
		if (len > H(L)->lim.memory - c->bytes)
			conv_error(c, "(values leaving Lua are copied; share "
			    "less text between pages)", "more than %zu MiB of "
			    "text", H(L)->lim.memory >> 20);
		c->bytes += len;
		if (c->a != NULL) {
			v = val_strn(c->a, s, len);
			v->untrusted = true;	/* data, never markup */
		}
		break;
	case LUA_TLIGHTUSERDATA:
		if (lua_touserdata(L, idx) == &key_null) {
			if (c->a != NULL)
				v = val_new(c->a, VAL_NULL);
			break;
		}
		/* FALLTHROUGH */
	case LUA_TFUNCTION:
	case LUA_TUSERDATA:
	case LUA_TTHREAD:
		conv_error(c, "(values must be tables, strings, numbers, "
		    "booleans or icp.null)", "a %s", luaL_typename(L, idx));
		break;
	case LUA_TTABLE:
		return fromtable(c, idx, orig, depth);
	}
	if (v != NULL)
		keep_pos(v, orig);
	return v;
}

static const char *
kind_name(enum val_kind k)
{
	switch (k) {
	case VAL_NULL:
		return "null";
	case VAL_BOOL:
		return "a boolean";
	case VAL_NUM:
		return "a number";
	case VAL_STR:
		return "text";
	case VAL_LIST:
		return "a list";
	case VAL_MAP:
		return "a map";
	}
	return "?";
}

/*
 * Check that v keeps the shape of orig, the value icpgen gave the
 * hook: every key of a map is still there and every value has the
 * same kind (recursively; list items are compared with the original
 * item at the same place, or its last item).  The rest of the build
 * reads these values as the schema left them, so a hook may change
 * them but not their type.  Raises an error naming the hook, the page
 * and the key.
 */
static void
shape(lua_State *L, const struct val *v, const struct val *orig,
    struct buf *path, int depth)
{
	struct hooks	*h = H(L);
	const struct val *nv;
	size_t		 i, mark = path->len;

	if (orig == NULL || orig->kind == VAL_NULL || depth > MAXDEPTH)
		return;
	if (v == NULL || v->kind == VAL_NULL) {
		explicit_error(L, h->defsrc, h->defline, "%s removed '%s' of "
		    "'%s' (icpgen needs it: give it a new value instead)",
		    h->label, path->data, h->subject);
		return;		/* not reached: explicit_error jumps */
	}
	if (v->kind != orig->kind)
		explicit_error(L, h->defsrc, h->defline, "%s changed '%s' of "
		    "'%s' from %s to %s (a hook may change a value but not "
		    "its type)", h->label, path->data, h->subject,
		    kind_name(orig->kind), kind_name(v->kind));
	if (v->kind == VAL_MAP)
		for (i = 0; i < orig->n; i++) {
			nv = val_get(v, orig->pairs[i].key);
			if (path->len > 0)
				buf_putc(path, '.');
			buf_puts(path, orig->pairs[i].key);
			shape(L, nv, orig->pairs[i].v, path, depth + 1);
			buf_truncate(path, mark);
		}
	else if (v->kind == VAL_LIST && orig->n > 0)
		for (i = 0; i < v->n; i++) {
			buf_printf(path, "[%zu]", i + 1);
			shape(L, v->items[i], orig->items[i < orig->n ? i :
			    orig->n - 1], path, depth + 1);
			buf_truncate(path, mark);
		}
}

/* Check the shape of a hook's result in a protected call. */
static int
shape_body(lua_State *L)
{
	const struct val *const *pair = lua_touserdata(L, 1);
	struct buf	*path = lua_touserdata(L, 2);

	shape(L, pair[0], pair[1], path, 0);
	return 0;
}

static struct val *
convert(lua_State *L, int idx, struct arena *a, const struct val *orig)
{
	struct conv	 c;

	memset(&c, 0, sizeof(c));
	c.L = L;
	c.a = a;
	return fromlua(&c, lua_absindex(L, idx), orig, 0);
}

/* --- the sandbox ---------------------------------------------------- */

static const struct {
	const char	*name;
	const char	*why;
} forbidden[] = {
	{ "io", "hooks may only read site files through icp.read" },
	{ "debug", "hooks cannot inspect or change the interpreter" },
	{ "package", "require loads the site's own modules from lua/" },
	{ "dofile", "use require for the site's modules in lua/, or "
	    "icp.read" },
	{ "loadfile", "use require for the site's modules in lua/, or "
	    "icp.read" },
	{ "coroutine", "hooks run without coroutines" },
	{ "warn", "use icp.warn" },
	{ "loadstring", "use load" },
	{ "unpack", "use table.unpack" },
	{ "os.execute", "hooks cannot run programs" },
	{ "os.exit", "report problems with icp.error" },
	{ "os.getenv", "builds must not depend on the environment" },
	{ "os.remove", "hooks cannot change files" },
	{ "os.rename", "hooks cannot change files" },
	{ "os.tmpname", "hooks cannot change files" },
	{ "os.setlocale", "hooks cannot change the locale" },
	{ "os.difftime", "subtract os.time values instead" },
	{ "string.dump", "binary chunks cannot be loaded" },
};

/* __index of the globals, os and string: explain removed names. */
static int
sb_index(lua_State *L)
{
	const char	*prefix = lua_tostring(L, lua_upvalueindex(1));
	char		 full[64];
	size_t		 i;

	if (lua_type(L, 2) != LUA_TSTRING)
		return 0;
	snprintf(full, sizeof(full), "%s%s", prefix, lua_tostring(L, 2));
	for (i = 0; i < sizeof(forbidden) / sizeof(forbidden[0]); i++)
		if (strcmp(full, forbidden[i].name) == 0)
			return luaL_error(L, "'%s' is not available to hooks "
			    "(%s)", full, forbidden[i].why);
	return 0;
}

static int
sb_load(lua_State *L)
{
	luaL_Buffer	 b;
	size_t		 len;
	const char	*s, *name;

	if (lua_type(L, 1) == LUA_TSTRING) {
		s = lua_tolstring(L, 1, &len);
		name = luaL_optstring(L, 2, s);
	} else {
		luaL_checktype(L, 1, LUA_TFUNCTION);
		name = luaL_optstring(L, 2, "=(load)");
		luaL_buffinit(L, &b);
		for (;;) {
			lua_pushvalue(L, 1);
			lua_call(L, 0, 1);
			if (lua_isnil(L, -1) || (lua_type(L, -1) ==
			    LUA_TSTRING && lua_rawlen(L, -1) == 0)) {
				lua_pop(L, 1);
				break;
			}
			if (lua_type(L, -1) != LUA_TSTRING)
				return luaL_error(L, "reader function must "
				    "return a string");
			luaL_addvalue(&b);
		}
		luaL_pushresult(&b);
		s = lua_tolstring(L, -1, &len);
	}
	if (len > 0 && s[0] == LUA_SIGNATURE[0]) {
		luaL_pushfail(L);
		lua_pushliteral(L, "binary chunks are not available to hooks "
		    "(load accepts only source text)");
		return 2;
	}
	if (luaL_loadbufferx(L, s, len, name, "t") != LUA_OK) {
		luaL_pushfail(L);
		lua_insert(L, -2);
		return 2;
	}
	if (!lua_isnone(L, 4)) {
		lua_pushvalue(L, 4);
		if (lua_setupvalue(L, -2, 1) == NULL)
			lua_pop(L, 1);
	}
	return 1;
}

static int
sb_collectgarbage(lua_State *L)
{
	const char	*opt = luaL_optstring(L, 1, "collect");

	if (strcmp(opt, "count") != 0)
		return luaL_error(L, "collectgarbage('%s') is not available "
		    "to hooks (only collectgarbage('count') is)", opt);
	lua_pushnumber(L, (lua_Number)lua_gc(L, LUA_GCCOUNT, 0) +
	    (lua_Number)lua_gc(L, LUA_GCCOUNTB, 0) / 1024);
	return 1;
}

static int
sb_setmetatable(lua_State *L)
{
	int	 t = lua_type(L, 2);

	luaL_checktype(L, 1, LUA_TTABLE);
	luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2,
	    "nil or table");
	if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
		return luaL_error(L, "cannot change a protected metatable");
	if (t == LUA_TTABLE && lua_getfield(L, 2, "__gc") != LUA_TNIL)
		return luaL_error(L, "'__gc' metamethods are not available "
		    "to hooks");
	lua_settop(L, 2);
	lua_setmetatable(L, 1);
	return 1;
}

/* pcall and xpcall that let budget errors through. */
static int
sb_pcall(lua_State *L)
{
	int	 st;

	luaL_checkany(L, 1);
	st = lua_pcall(L, lua_gettop(L) - 1, LUA_MULTRET, 0);
	H(L)->rethrow = 0;
	if (H(L)->over != OVER_NONE)
		return lua_error(L);
	lua_pushboolean(L, st == LUA_OK);
	lua_insert(L, 1);
	return lua_gettop(L);
}

static int
sb_xpcall(lua_State *L)
{
	int	 n = lua_gettop(L), st;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	lua_pushvalue(L, 1);
	lua_copy(L, 2, 1);
	lua_replace(L, 2);
	st = lua_pcall(L, n - 2, LUA_MULTRET, 1);
	H(L)->rethrow = 0;
	if (H(L)->over != OVER_NONE)
		return lua_error(L);
	lua_pushboolean(L, st == LUA_OK);
	lua_replace(L, 1);
	return lua_gettop(L);
}

/*
 * Report a message from Lua code (print, icp.warn, icp.error): each
 * is cut to MAXMSG bytes and a build shows at most MAXDIAGS of them,
 * so hooks cannot flood the terminal or the CI log.  Left-out errors
 * still fail the build.
 */
static void
say(struct hooks *h, int kind, const char *src, int line, const char *msg)
{
	size_t	n = strlen(msg);

	if (h->d == NULL || h->cloning)
		return;		/* a clone's load said it the first time */
	if (atomic_fetch_add(&h->B->ndiags, 1) >= MAXDIAGS) {
		if (kind == 'e' && !atomic_exchange(&h->B->droppederr, 1)) {
			atomic_store(&h->B->dropped, 1);
			diag_error(h->d, src, line, 0, "more errors from hooks "
			    "were left out (a build shows at most %d messages "
			    "from hooks)", MAXDIAGS);
		} else if (!atomic_exchange(&h->B->dropped, 1))
			diag_note(h->d, src, line, 0, "more messages from hooks "
			    "were left out (a build shows at most %d)",
			    MAXDIAGS);
		return;
	}
	if (n > MAXMSG) {
		if (kind == 'e')
			diag_error(h->d, src, line, 0, "%.*s [%zu more bytes "
			    "left out]", MAXMSG, msg, n - MAXMSG);
		else if (kind == 'w')
			diag_warn(h->d, src, line, 0, "%.*s [%zu more bytes "
			    "left out]", MAXMSG, msg, n - MAXMSG);
		else
			diag_note(h->d, src, line, 0, "%.*s [%zu more bytes "
			    "left out]", MAXMSG, msg, n - MAXMSG);
	} else if (kind == 'e')
		diag_error(h->d, src, line, 0, "%s", msg);
	else if (kind == 'w')
		diag_warn(h->d, src, line, 0, "%s", msg);
	else
		diag_note(h->d, src, line, 0, "%s", msg);
}

/* The place of the Lua code calling the running C function. */
static void
caller(lua_State *L, char *src, size_t sz, int *line)
{
	lua_Debug	 ar;

	*src = '\0';
	*line = 0;
	if (lua_getstack(L, 1, &ar) && lua_getinfo(L, "Sl", &ar)) {
		copy(src, sz, srcname(&ar));
		*line = ar.currentline > 0 ? ar.currentline : 0;
	}
}

static int
sb_print(lua_State *L)
{
	struct hooks	*h = H(L);
	luaL_Buffer	 b;
	char		 src[256];
	int		 i, n = lua_gettop(L), line;

	luaL_buffinit(L, &b);
	for (i = 1; i <= n; i++) {
		if (i > 1)
			luaL_addchar(&b, '\t');
		luaL_tolstring(L, i, NULL);
		luaL_addvalue(&b);
	}
	luaL_pushresult(&b);
	caller(L, src, sizeof(src), &line);
	say(h, 'n', src, line, lua_tostring(L, -1));
	return 0;
}

static int
valid_module(const char *name)
{
	const char	*p;

	if (*name == '\0' || *name == '.')
		return 0;
	for (p = name; *p != '\0'; p++)
		if (*p == '.' ? p[1] == '.' || p[1] == '\0' :
		    !isalnum((unsigned char)*p) && *p != '_' && *p != '-')
			return 0;
	return 1;
}

static int
sb_require(lua_State *L)
{
	static const char *const builtin[] = { "string", "table", "math",
	    "utf8", "os", NULL };
	static const char *const absent[] = { "io", "debug", "package",
	    "coroutine", "_G", NULL };
	struct hooks	*h = H(L);
	const char	*name = luaL_checkstring(L, 1), *src;
	char		 path[300], chunk[304], *p;
	size_t		 len;
	int		 i, st;

	for (i = 0; builtin[i] != NULL; i++)
		if (strcmp(name, builtin[i]) == 0)
			return luaL_error(L, "module '%s' is already there as "
			    "the global '%s' (require loads only the site's "
			    "own modules from lua/)", name, name);
	for (i = 0; absent[i] != NULL; i++)
		if (strcmp(name, absent[i]) == 0)
			return luaL_error(L, "module '%s' is not available to "
			    "hooks (require loads only the site's own modules "
			    "from lua/)", name);
	if (strlen(name) > 200 || !valid_module(name))
		return luaL_error(L, "invalid module name '%s' (use names "
		    "like 'util' or 'lib.dates' for lua/util.lua or "
		    "lua/lib/dates.lua)", name);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_mods);
	if (lua_getfield(L, -1, name) != LUA_TNIL) {
		if (lua_touserdata(L, -1) == &key_loading)
			return luaL_error(L, "module '%s' requires itself "
			    "(through a cycle of require calls)", name);
		return 1;
	}
	lua_pop(L, 1);
	snprintf(path, sizeof(path), "lua/%s.lua", name);
	for (p = path + 4; *p != '\0'; p++)
		if (*p == '.' && strcmp(p, ".lua") != 0)
			*p = '/';
	if (h->read == NULL || h->read(h->ctx, path, &src, &len) != 0)
		return luaL_error(L, "module '%s' not found (require loads "
		    "only the site's own modules, and there is no '%s')",
		    name, path);
	if (len > 0 && src[0] == LUA_SIGNATURE[0])
		return luaL_error(L, "module '%s' is a precompiled chunk "
		    "(modules must be Lua source text)", name);
	snprintf(chunk, sizeof(chunk), "@%s", path);
	lua_pushlightuserdata(L, &key_loading);
	lua_setfield(L, -2, name);
	if (luaL_loadbufferx(L, src, len, chunk, "t") != LUA_OK) {
		lua_pushnil(L);
		lua_setfield(L, 2, name);
		return lua_error(L);
	}
	/* Run it with the stack remembered, so it can be unmarked. */
	lua_pushcfunction(L, msgh);
	lua_insert(L, 3);
	lua_pushstring(L, name);
	lua_pushstring(L, path);
	if ((st = lua_pcall(L, 2, 1, 3)) != LUA_OK) {
		lua_pushnil(L);
		lua_setfield(L, 2, name);
		h->oom |= st == LUA_ERRMEM;
		h->rethrow = st == LUA_ERRRUN;
		return lua_error(L);
	}
	if (lua_isnil(L, -1)) {
		lua_pop(L, 1);
		lua_pushboolean(L, 1);
	}
	lua_pushvalue(L, -1);
	lua_setfield(L, 2, name);
	return 1;
}

/* --- the icp table ---------------------------------------------------- */

static int
icp_hook(lua_State *L)
{
	struct hooks	*h = H(L);
	const char	*name = luaL_checkstring(L, 1), *s;
	int		 i;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	for (i = 0; hook_names[i] != NULL; i++)
		if (strcmp(name, hook_names[i]) == 0)
			break;
	if (hook_names[i] == NULL) {
		if ((s = text_suggest(name, hook_names)) != NULL)
			return luaL_error(L, "unknown hook '%s' (did you mean "
			    "'%s'?)", name, s);
		return luaL_error(L, "unknown hook '%s' (hooks are 'config', "
		    "'page' and 'pages')", name);
	}
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_hooks);
	lua_getfield(L, -1, name);
	lua_pushvalue(L, 2);
	lua_rawseti(L, -2, (lua_Integer)lua_rawlen(L, -2) + 1);
	h->nhooks[i]++;
	return 0;
}

/*
 * Register a filter, or (with prefix "@") a shortcode: shortcodes are
 * kept with the filters, under names no filter can have, so they run
 * with the same budgets and report errors the same way.
 */
static int
define(lua_State *L, const char *kind, const char *prefix)
{
	struct hooks	*h = H(L);
	const char	*name = luaL_checkstring(L, 1), *p;
	lua_Debug	 ar;

	luaL_checktype(L, 2, LUA_TFUNCTION);
	for (p = name; *p != '\0'; p++)
		if (!isalnum((unsigned char)*p) && *p != '_')
			break;
	if (*name == '\0' || *p != '\0' || isdigit((unsigned char)*name))
		return luaL_error(L, "invalid %s name '%s' (use letters, "
		    "digits and '_', not starting with a digit)", kind, name);
	lua_pushfstring(L, "%s%s", prefix, name);
	name = lua_tostring(L, -1);
	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_filters);
	if (lua_getfield(L, -1, name) != LUA_TNIL) {
		lua_getinfo(L, ">S", &ar);
		return luaL_error(L, "%s '%s' is already defined at %s:%d",
		    kind, name + strlen(prefix), srcname(&ar),
		    ar.linedefined);
	}
	lua_pop(L, 1);
	lua_pushvalue(L, 2);
	lua_setfield(L, -2, name);
	h->filters = xreallocarray(h->filters, h->nfilters + 1,
	    sizeof(*h->filters));
	h->fview = xreallocarray(h->fview, h->nfilters + 1,
	    sizeof(*h->fview));
	h->filters[h->nfilters] = xstrdup(name);
	h->fview[h->nfilters] = h->filters[h->nfilters];
	h->nfilters++;
	return 0;
}

static int
icp_filter(lua_State *L)
{
	return define(L, "filter", "");
}

static int
icp_shortcode(lua_State *L)
{
	return define(L, "shortcode", "@");
}

static int
icp_read(lua_State *L)
{
	struct hooks	*h = H(L);
	struct buf	 b;
	size_t		 len, n = 0;
	const char	*path = luaL_checklstring(L, 1, &len), *src = NULL;
	int		 rc;

	if (strlen(path) != len)
		return luaL_error(L, "icp.read: path contains a NUL byte");
	buf_init(&b);
	if (!text_join_path(&b, "", path, len)) {
		buf_free(&b);
		return luaL_error(L, "icp.read: path '%s' is outside the site "
		    "(paths are relative to the site's root)", path);
	}
	rc = b.len > 0 && h->read != NULL ?
	    h->read(h->ctx, b.data, &src, &n) : -1;
	buf_free(&b);
	if (rc != 0) {
		luaL_pushfail(L);
		lua_pushfstring(L, "no file '%s' in the site", path);
		return 2;
	}
	lua_pushlstring(L, src, n);
	return 1;
}

static int
icp_report(lua_State *L, int warn)
{
	struct hooks	*h = H(L);
	const char	*msg = luaL_checkstring(L, 1);
	char		 src[256];
	lua_Integer	 l;
	int		 line;

	if (lua_isnoneornil(L, 2))
		caller(L, src, sizeof(src), &line);
	else {
		copy(src, sizeof(src), luaL_checkstring(L, 2));
		l = luaL_optinteger(L, 3, 0);
		line = l > 0 && l <= INT_MAX ? (int)l : 0;
	}
	say(h, warn ? 'w' : 'e', src, line, msg);
	return 0;
}

static int
icp_error(lua_State *L)
{
	return icp_report(L, 0);
}

static int
icp_warn(lua_State *L)
{
	return icp_report(L, 1);
}

static int
null_tostring(lua_State *L)
{
	lua_pushliteral(L, "null");
	return 1;
}

/* Give table idx a metatable explaining the removed names in it. */
static void
guard(lua_State *L, const char *prefix)
{
	lua_createtable(L, 0, 2);
	lua_pushstring(L, prefix);
	lua_pushcclosure(L, sb_index, 1);
	lua_setfield(L, -2, "__index");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
}

static void
unset(lua_State *L, const char *const *names)
{
	for (; *names != NULL; names++) {
		lua_pushnil(L);
		lua_setfield(L, -2, *names);
	}
}

/*
 * Library functions whose work grows with their input run as one VM
 * instruction and cannot be interrupted: charge for the work first
 * (roughly n log n comparisons for a sort, a unit per item joined),
 * then call the original (upvalue 1).  hooks_pat.c bounds the string
 * functions and the rest of the table library.
 */
static int
charged(lua_State *L, unsigned long n)
{
	int	 nargs = lua_gettop(L);

	hooks_charge(L, n);
	lua_pushvalue(L, lua_upvalueindex(1));
	lua_insert(L, 1);
	lua_call(L, nargs, LUA_MULTRET);
	return lua_gettop(L);
}

static int
sb_sort(lua_State *L)
{
	unsigned long	 n, lg = 1;

	luaL_checktype(L, 1, LUA_TTABLE);
	n = (unsigned long)lua_rawlen(L, 1);
	while ((1UL << lg) < n && lg < 63)
		lg++;
	return charged(L, n > ULONG_MAX / lg ? ULONG_MAX : n * lg);
}

static int
sb_concat(lua_State *L)
{
	luaL_checktype(L, 1, LUA_TTABLE);
	return charged(L, (unsigned long)lua_rawlen(L, 1) + 1);
}

/* Replace lib.name (the table at the top of the stack) by a wrapper. */
static void
wrap(lua_State *L, const char *name, lua_CFunction fn)
{
	lua_getfield(L, -1, name);
	lua_pushcclosure(L, fn, 1);
	lua_setfield(L, -2, name);
}

static int
setup(lua_State *L)
{
	static const luaL_Reg libs[] = {
		{ LUA_GNAME, luaopen_base },
		{ LUA_STRLIBNAME, luaopen_string },
		{ LUA_TABLIBNAME, luaopen_table },
		{ LUA_MATHLIBNAME, luaopen_math },
		{ LUA_UTF8LIBNAME, luaopen_utf8 },
		{ LUA_OSLIBNAME, luaopen_os },
		{ NULL, NULL },
	};
	static const luaL_Reg base[] = {
		{ "load", sb_load },
		{ "collectgarbage", sb_collectgarbage },
		{ "setmetatable", sb_setmetatable },
		{ "pcall", sb_pcall },
		{ "xpcall", sb_xpcall },
		{ "print", sb_print },
		{ "require", sb_require },
		{ NULL, NULL },
	};
	static const luaL_Reg icp[] = {
		{ "hook", icp_hook },
		{ "filter", icp_filter },
		{ "shortcode", icp_shortcode },
		{ "read", icp_read },
		{ "error", icp_error },
		{ "warn", icp_warn },
		{ NULL, NULL },
	};
	static const char *const base_out[] = { "dofile", "loadfile", "warn",
	    NULL };
	static const char *const os_out[] = { "execute", "exit", "getenv",
	    "remove", "rename", "tmpname", "setlocale", "difftime", NULL };
	static const char *const string_out[] = { "dump", NULL };
	const luaL_Reg	*l;
	int		 i;

	for (l = libs; l->name != NULL; l++) {
		luaL_requiref(L, l->name, l->func, 1);
		lua_pop(L, 1);
	}
	hooks_pat_open(L);

	lua_pushglobaltable(L);
	unset(L, base_out);
	luaL_setfuncs(L, base, 0);
	guard(L, "");
	lua_getfield(L, -1, "os");
	unset(L, os_out);
	guard(L, "os.");
	lua_pop(L, 1);
	lua_getfield(L, -1, "string");
	unset(L, string_out);
	guard(L, "string.");
	lua_pop(L, 1);
	lua_getfield(L, -1, "table");
	wrap(L, "sort", sb_sort);
	wrap(L, "concat", sb_concat);
	lua_pop(L, 1);

	luaL_newlib(L, icp);
	lua_pushlightuserdata(L, &key_null);
	lua_setfield(L, -2, "null");
	lua_pushliteral(L, ICPGEN_VERSION);
	lua_setfield(L, -2, "version");
	lua_setfield(L, -2, "icp");

	/* All light userdata (only icp.null) print as "null". */
	lua_pushlightuserdata(L, &key_null);
	lua_createtable(L, 0, 2);
	lua_pushcfunction(L, null_tostring);
	lua_setfield(L, -2, "__tostring");
	lua_pushboolean(L, 0);
	lua_setfield(L, -2, "__metatable");
	lua_setmetatable(L, -2);
	lua_pop(L, 1);

	lua_newtable(L);
	for (i = 0; hook_names[i] != NULL; i++) {
		lua_newtable(L);
		lua_setfield(L, -2, hook_names[i]);
	}
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_hooks);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_filters);
	lua_newtable(L);
	lua_rawsetp(L, LUA_REGISTRYINDEX, &key_mods);

	lua_getfield(L, -1, "math");
	lua_getfield(L, -1, "randomseed");
	lua_pushinteger(L, 0);
	lua_call(L, 1, 0);
	return 0;
}

/* --- the interface ---------------------------------------------------- */

/* A state; B is the budget it shares (NULL: a new one). */
static struct hooks *
state_new(const struct hook_limits *lim, hooks_read_fn read, void *ctx,
    struct budget *B)
{
	struct hooks	*h = xcalloc(1, sizeof(*h));

	h->lim.instructions = lim != NULL && lim->instructions > 0 ?
	    lim->instructions : DEF_INSNS;
	h->lim.memory = lim != NULL && lim->memory > 0 ?
	    lim->memory : DEF_MEMORY;
	h->lim.seconds = lim != NULL && lim->seconds > 0 ?
	    lim->seconds : DEF_SECONDS;
	h->lim.pages = lim != NULL && lim->pages > 0 ? lim->pages : DEF_PAGES;
	h->read = read;
	h->ctx = ctx;
	if ((h->L = lua_newstate(sb_alloc, h)) == NULL) {
		free(h);
		return NULL;
	}
	*(struct hooks **)lua_getextraspace(h->L) = h;
	lua_atpanic(h->L, sb_panic);
	lua_pushcfunction(h->L, setup);
	if (lua_pcall(h->L, 0, 0, 0) != LUA_OK) {
		lua_close(h->L);
		free(h);
		return NULL;
	}
	lua_sethook(h->L, count_hook, LUA_MASKCOUNT, HOOK_EVERY);
	if (B == NULL) {
		B = xcalloc(1, sizeof(*B));
		pthread_mutex_init(&B->lock, NULL);
	}
	atomic_fetch_add(&B->refs, 1);
	h->B = B;
	return h;
}

/*
 * Create a sandboxed state under the given limits (NULL or zero fields
 * mean the defaults: 100 million instructions a call, 64 MiB, 10
 * seconds for all calls, 10,000 pages).
 * Returns NULL when the state cannot be created within the memory
 * limit.
 */
struct hooks *
hooks_new(const struct hook_limits *lim, hooks_read_fn read, void *ctx)
{
	return state_new(lim, read, ctx, NULL);
}

/*
 * A new state with h's limits, read function and files, loaded again
 * in the same order (quietly: h's loads reported their problems), and
 * sharing h's budget.  NULL when the state cannot be made.
 */
struct hooks *
hooks_clone(struct hooks *h)
{
	struct hooks	*c;
	struct diags	 quiet;
	size_t		 i;

	if ((c = state_new(&h->lim, h->read, h->ctx, h->B)) == NULL)
		return NULL;
	diag_init(&quiet, stderr);
	quiet.out = NULL;
	c->cloning = 1;
	for (i = 0; i < h->nfiles; i++)
		hooks_load(c, h->files[i].path, h->files[i].src,
		    h->files[i].len, &quiet);
	c->cloning = 0;
	diag_free(&quiet);
	return c;
}

/* Close the state; Lua code still pending (finalizers) cannot run. */
void
hooks_free(struct hooks *h)
{
	size_t	 i;

	if (h == NULL)
		return;
	h->over = OVER_CLOSED;
	lua_close(h->L);
	for (i = 0; i < h->nfilters; i++)
		free(h->filters[i]);
	free(h->filters);
	free(h->fview);
	for (i = 0; i < h->nfiles; i++) {
		free(h->files[i].path);
		free(h->files[i].src);
	}
	free(h->files);
	if (atomic_fetch_sub(&h->B->refs, 1) == 1) {
		pthread_mutex_destroy(&h->B->lock);
		free(h->B);
	}
	free(h);
}

struct loadarg {
	const char	*path;
	const char	*src;
	size_t		 len;
};

static int
load_body(lua_State *L)
{
	const struct loadarg *la = lua_touserdata(L, 1);
	const char	*chunk = lua_pushfstring(L, "@%s", la->path);

	if (luaL_loadbufferx(L, la->src, la->len, chunk, "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	return 0;
}

/*
 * Run the hook file path (its text is src, len bytes), which
 * registers hooks and filters.  Returns 0, or -1 after reporting.
 */
int
hooks_load(struct hooks *h, const char *path, const char *src, size_t len,
    struct diags *d)
{
	struct loadarg	 la;

	if (len > 0 && src[0] == LUA_SIGNATURE[0]) {
		diag_error(d, path, 0, 0, "hook files must be Lua source "
		    "text, not precompiled chunks");
		return -1;
	}
	if (!h->cloning) {	/* for clones */
		struct hfile	*f;

		h->files = xreallocarray(h->files, h->nfiles + 1,
		    sizeof(*h->files));
		f = &h->files[h->nfiles++];
		f->path = xstrdup(path);
		f->src = xmalloc(len + 1);
		memcpy(f->src, src, len);
		f->src[len] = '\0';
		f->len = len;
	}
	la.path = path;
	la.src = src;
	la.len = len;
	snprintf(h->label, sizeof(h->label), "hook file '%s'", path);
	copy(h->defsrc, sizeof(h->defsrc), path);
	h->defline = 0;
	return run(h, load_body, &la, d);
}

/* Whether some loaded file registered hook name. */
int
hooks_has(const struct hooks *h, const char *name)
{
	int	 i;

	for (i = 0; hook_names[i] != NULL; i++)
		if (strcmp(name, hook_names[i]) == 0)
			return h->nhooks[i] > 0;
	return 0;
}

struct callarg {
	const char	*name;
	struct arena	*a;
	const struct val *in;
	const struct val *arg;
	struct val	*out;
};

static int
call_body(lua_State *L)
{
	struct callarg	*ca = lua_touserdata(L, 1);
	struct hooks	*h = H(L);
	lua_Integer	 i, n;

	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_hooks);
	lua_getfield(L, 2, ca->name);
	n = (lua_Integer)lua_rawlen(L, 3);
	if (ca->in != NULL)
		tolua(L, ca->in, 0, 0);
	else
		lua_newtable(L);
	for (i = 1; i <= n; i++) {
		lua_rawgeti(L, 3, i);
		set_def(h, L, 5);
		lua_pushvalue(L, 4);
		lua_call(L, 1, 1);
		if (lua_type(L, 5) == LUA_TTABLE)
			lua_replace(L, 4);
		else if (lua_isnil(L, 5))
			lua_pop(L, 1);
		else
			explicit_error(L, h->defsrc, h->defline, "%s must "
			    "return a table or nothing, not a %s", h->label,
			    luaL_typename(L, 5));
		convert(L, 4, NULL, NULL);
	}
	if (strcmp(ca->name, "pages") == 0) {
		lua_getfield(L, 4, "pages");
		if (lua_type(L, -1) == LUA_TTABLE && lua_rawlen(L, -1) >
		    h->lim.pages)
			explicit_error(L, h->defsrc, h->defline, "hook 'pages' "
			    "made %llu pages (at most %zu may be added by "
			    "hooks; write content files for the rest)",
			    (unsigned long long)lua_rawlen(L, -1),
			    h->lim.pages);
		lua_pop(L, 1);
	}
	ca->out = convert(L, 4, ca->a, ca->in);
	if (h->subject != NULL) {
		const struct val *pair[2] = { ca->out, ca->in };
		struct buf	 path;
		int		 st;

		/* A buffer must not leak when shape() raises. */
		buf_init(&path);
		lua_pushcfunction(L, shape_body);
		lua_pushlightuserdata(L, pair);
		lua_pushlightuserdata(L, &path);
		st = lua_pcall(L, 2, 0, 0);
		buf_free(&path);
		if (st != LUA_OK)
			return lua_error(L);
	}
	return 0;
}

/*
 * Run every function registered for hook name, in order, on *v; the
 * result replaces *v (allocated in a).  Returns 0, or -1 after
 * reporting an error (then *v is unchanged).
 */
int
hooks_call(struct hooks *h, const char *name, struct arena *a,
    struct val **v, struct diags *d)
{
	return hooks_call_on(h, name, NULL, a, v, d);
}

/*
 * hooks_call() for a hook working on one thing, subject (a page's
 * source file, or "icpgen.yaml"): the result must keep the keys and
 * the types of the values it was given, and errors name subject.
 */
int
hooks_call_on(struct hooks *h, const char *name, const char *subject,
    struct arena *a, struct val **v, struct diags *d)
{
	struct callarg	 ca;
	int		 rc;

	if (!hooks_has(h, name))
		return 0;
	memset(&ca, 0, sizeof(ca));
	ca.name = name;
	ca.a = a;
	ca.in = *v;
	snprintf(h->label, sizeof(h->label), "hook '%s'", name);
	h->defsrc[0] = '\0';
	h->defline = 0;
	h->subject = subject;
	rc = run(h, call_body, &ca, d);
	h->subject = NULL;
	if (rc == -1)
		return -1;
	*v = ca.out;
	return 0;
}

/*
 * The names of the filters defined by icp.filter, in order of
 * definition; the array belongs to h and lives until the next load.
 */
int
hooks_filter_names(const struct hooks *h, const char ***names, size_t *n)
{
	*names = h->fview;
	*n = h->nfilters;
	return 0;
}

static int
filter_body(lua_State *L)
{
	struct callarg	*ca = lua_touserdata(L, 1);

	lua_rawgetp(L, LUA_REGISTRYINDEX, &key_filters);
	lua_getfield(L, 2, ca->name);
	set_def(H(L), L, 3);
	tolua(L, ca->in, 0, 0);
	tolua(L, ca->arg, 0, 0);
	lua_call(L, 2, 1);
	ca->out = convert(L, -1, ca->a, ca->in);
	return 0;
}

/*
 * Apply filter name to in with argument arg (either may be NULL for
 * nil).  Returns the result allocated in a, or NULL after reporting an
 * error.
 */
struct val *
hooks_filter_call(struct hooks *h, const char *name, struct arena *a,
    const struct val *in, const struct val *arg, struct diags *d)
{
	struct callarg	 ca;
	size_t		 i;

	for (i = 0; i < h->nfilters; i++)
		if (strcmp(h->filters[i], name) == 0)
			break;
	if (i == h->nfilters) {
		diag_error(d, NULL, 0, 0, "no hook file defines the filter "
		    "'%s'", name);
		return NULL;
	}
	memset(&ca, 0, sizeof(ca));
	ca.name = name;
	ca.a = a;
	ca.in = in;
	ca.arg = arg;
	snprintf(h->label, sizeof(h->label), "filter '%s'", name);
	h->defsrc[0] = '\0';
	h->defline = 0;
	if (run(h, filter_body, &ca, d) == -1)
		return NULL;
	return ca.out;
}
