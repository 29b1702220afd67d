/*
 * Templates: a small language interpreted in C.
 *
 *	{{ page.title }}		value, HTML-escaped
 *	{{ page.body | safe }}		value, not escaped (trusted HTML)
 *	{{ m.date | date }}		a filter; filters chain with '|'
 *	{% if a %} {% elif b %} {% else %} {% endif %}
 *	{% for x in list %} ... {% else %} ... {% endfor %}
 *	{% include "partial.html" %}
 *	{% set name = expr %}
 *	{# comment #}
 *
 * Expressions: dotted paths (page.meeting.title, list.0), string and
 * number literals, "not", "and", "or", "==", "!=", "<", ">", "<=",
 * ">=", and parentheses.  Inside a for loop, "loop.index" (from 1),
 * "loop.first", "loop.last" and "loop.length" are set.  A missing
 * value is null: it prints nothing and is false.  "{{-" and "-}}"
 * (likewise "{%-", "-%}") trim white space on that side.
 *
 * Details.  true, false and null are literals too.  "a or b" gives a
 * if it is true and b otherwise ({{ x or 'none' }}); "a and b" gives a
 * if it is false and b otherwise.  "==" and "!=" compare strings by
 * content and numbers by value, and a string that is entirely a number
 * against a number as numbers; "<", ">", "<=", ">=" compare numbers
 * (or a number and a numeric string) by value and two strings bytewise
 * (so ISO dates sort), and are false for anything else.  Numbers print
 * like "%g", integers without decimals; true and false print as such;
 * lists and maps print nothing.  "for x in map" gives x.key and
 * x.value for each entry in order; null (or an empty list or map) runs
 * the "else" part; any other value is iterated once, as itself.  A
 * variable from "set" lasts to the end of the enclosing for body,
 * included template or template, so one set inside an "if" is seen
 * after it.  "default(x)" replaces null and ""; "length" counts the
 * characters of a string; "join" without an argument joins with
 * nothing; "json" accepts any value and escapes <, >, & and ' in
 * strings so that "| json | safe" may go in a script element.  A
 * template that includes itself, directly or not, is an error.
 *
 * Every value printed is HTML-escaped unless the template marks it
 * with the "safe" filter.  Names are resolved against the context map
 * given to tmpl_render(), after variables set by "for" and "set".
 *
 * Templates are read through a callback so that a site's overrides
 * (from its git tree) and its theme's files (from disk) are searched
 * in order.  Each template is parsed once and cached in the set;
 * errors name the template file and line.  Rendering is bounded in
 * include depth, loop iterations and output size.  A compiled set may
 * be used by several threads at once for rendering (it is read-only
 * after loading), but tmpl_get() must not run concurrently.
 */
#ifndef RENDER_TMPL_H
#define RENDER_TMPL_H

#include <stddef.h>

struct arena;
struct buf;
struct diags;
struct val;

/*
 * Find template name.  On success set *src, *len to its text (owned by
 * the callback's ctx, alive while the set lives) and *path to the
 * path shown in errors (e.g. "themes/default/templates/page.html"),
 * and return 0.  Return -1 if there is no such template.
 */
typedef int (*tmpl_read_fn)(void *ctx, const char *name, const char **src,
    size_t *len, const char **path);

/*
 * A filter: transform in into a new value (allocated in a), or return
 * NULL after reporting an error.  arg is the filter's argument
 * ("| default('none')") or NULL.
 */
typedef struct val *(*tmpl_filter_fn)(void *ctx, struct arena *a,
    const struct val *in, const struct val *arg);

struct tmpl_set;
struct tmpl;

struct tmpl_set	*tmpl_set_new(tmpl_read_fn, void *);
void		 tmpl_set_free(struct tmpl_set *);
/*
 * Register a filter (before templates are loaded, as unknown filters
 * are compile errors).  The built-in filters are: safe, date (GOV.UK
 * "7 December 2021"), weekday_date ("Tuesday 7 December 2021"), time
 * ("2pm"), iso (date as YYYY-MM-DD), upper, lower, length, default(x),
 * join(sep), slug, json (a JSON string literal), urlencode.
 */
void		 tmpl_add_filter(struct tmpl_set *, const char *,
		    tmpl_filter_fn, void *);
/*
 * Get a template by name, loading and compiling it and the partials
 * it includes.  Returns NULL after reporting errors (or if not found
 * and diags is NULL).
 */
const struct tmpl *tmpl_get(struct tmpl_set *, const char *, struct diags *);
/*
 * Render t with context ctx (a VAL_MAP) onto out.  scratch is an arena
 * for temporary values made while rendering; the caller frees it.
 * Returns 0 or -1 after reporting an error.
 */
int		 tmpl_render(const struct tmpl *, const struct val *,
		    struct arena *, struct buf *, struct diags *);
/*
 * What a render read, for a caller that keeps pages between builds:
 * read gets the dotted path of each value looked up in the context
 * (list indices as digits), except under the root name skip; custom
 * is called when a filter a site defines (in Lua) runs.  Values got
 * through "for" and "set" are not reported: they come from a path
 * that was.
 */
struct tmpl_watch {
	const char	*skip;
	void		(*read)(void *, const char *);
	void		(*custom)(void *);
	void		*arg;
};

int		 tmpl_render_watch(const struct tmpl *, const struct val *,
		    struct arena *, struct buf *, struct diags *,
		    const struct tmpl_watch *);

#define TMPL_MAX_DEPTH		16
#define TMPL_MAX_OUTPUT		(16 * 1024 * 1024)
#define TMPL_MAX_ITERATIONS	1000000

#endif
