/*
 * Lua hooks: a site's own Lua 5.4 code, run in a sandbox at fixed
 * points of the build (hooks.c and hooks_pat.c are the only files
 * that include Lua).
 *
 * Hook points, in build order:
 *	config(site)		adjust the configuration, add site data
 *	page(page)		each page's data after loading, before linking
 *	pages(site)		after linking and history: add pages
 *	filter NAME(v, arg)	template filters defined by the site
 *
 * The sandbox has no io, no os but os.time, os.date and os.clock, no
 * debug, no require of C modules, no binary chunks, and no
 * collectgarbage; each call runs under an instruction budget, a memory
 * cap and a wall-clock limit.  Errors are reported at the hook's
 * file:line with a traceback.
 *
 * A hook file registers its functions with icp.hook("page", fn) and
 * icp.filter("name", fn); see hooks.c for the full conventions.  One
 * struct hooks is one Lua state: do not use it from two threads; a
 * thread of its own gets a clone (hooks_clone).
 */
#ifndef HOOKS_HOOKS_H
#define HOOKS_HOOKS_H

#include <stddef.h>

struct arena;
struct diags;
struct val;

struct hooks;

/*
 * Budgets (zero means the default).  Wall-clock time is shared by
 * every call into a state and its clones, i.e. by all Lua of a build,
 * and memory by the calls into one state: once either is spent, or a
 * call runs away (instructions), every later call, in any of the
 * states, fails without running, and calls running at the time in
 * other states are stopped.
 */
struct hook_limits {
	unsigned long	 instructions;	/* per call (100 million) */
	size_t		 memory;	/* bytes, whole state (64 MiB) */
	double		 seconds;	/* wall clock, all calls (10) */
	size_t		 pages;		/* the 'pages' hook may add (10,000) */
};

/*
 * Read a file of the site (for the read-only file API and require of
 * the site's own Lua modules).  Same contract as elsewhere: set *src,
 * *len and return 0, or -1 if absent.
 */
typedef int (*hooks_read_fn)(void *ctx, const char *path, const char **src,
    size_t *len);

/* Create a sandboxed state; limits NULL means the defaults. */
struct hooks	*hooks_new(const struct hook_limits *, hooks_read_fn, void *);
void		 hooks_free(struct hooks *);
/*
 * A new state for another thread: the same limits and read function,
 * the same hook files loaded again in the same order (their messages
 * are not repeated), and the same budget.  It has not run the config,
 * page or pages hooks, so what those left in Lua globals is not there:
 * filters and shortcodes must not depend on it.  Free it (before or
 * after the original) with hooks_free.  NULL if it cannot be made.
 */
struct hooks	*hooks_clone(struct hooks *);
/* Load and run a hook file (defines hook functions).  0 or -1. */
int		 hooks_load(struct hooks *, const char *, const char *, size_t,
		    struct diags *);
/* Whether the loaded code defined hook name. */
int		 hooks_has(const struct hooks *, const char *);
/*
 * Call hook name with v (a map), which the hook may change in place
 * or replace by returning a new table; the result is written back into
 * *v, allocated in a.  Returns 0, or -1 after reporting an error.
 */
int		 hooks_call(struct hooks *, const char *, struct arena *,
		    struct val **, struct diags *);
/*
 * The same for a hook working on one thing (subject: a page's source
 * file, or "icpgen.yaml"): the result must keep every key and the type
 * of every value it was given, else the error names the hook, subject
 * and key.
 */
int		 hooks_call_on(struct hooks *, const char *, const char *,
		    struct arena *, struct val **, struct diags *);
/*
 * Template filters defined by icp.filter(name, fn): their names in
 * order of definition (the array belongs to the hooks and changes as
 * files are loaded).  Markdown shortcodes defined by
 * icp.shortcode(name, fn) are listed too, as "@name", and are called
 * with hooks_filter_call() like filters: fn(args, page) returns
 * Markdown text.  Returns 0.
 */
int		 hooks_filter_names(const struct hooks *, const char ***,
		    size_t *);
/*
 * Apply filter name to a value with an argument (either may be NULL
 * for nil); the result is allocated in the arena.  Returns NULL after
 * reporting an error.
 */
struct val	*hooks_filter_call(struct hooks *, const char *,
		    struct arena *, const struct val *, const struct val *,
		    struct diags *);

#endif
