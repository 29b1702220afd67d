/*
 * A tree of values: the one data type that front matter, the site
 * configuration, template contexts and Lua hooks exchange.
 *
 * Scalars from YAML are kept as text (VAL_STR) with a flag saying
 * whether they were quoted; the schema decides whether a plain scalar
 * is a date, a number or a boolean.  Values built by the program may
 * also be VAL_BOOL or VAL_NUM.
 *
 * Every node records where it came from (file, line, col; 0 when the
 * value is synthetic) so later stages can report errors against the
 * source.  All nodes and strings are allocated in an arena and are
 * never freed one by one.  Maps keep their keys in source order; keys
 * are unique (the YAML reader refuses duplicates).
 */
#ifndef UTIL_VAL_H
#define UTIL_VAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

enum val_kind {
	VAL_NULL,
	VAL_BOOL,
	VAL_NUM,
	VAL_STR,
	VAL_LIST,
	VAL_MAP,
};

struct val;

struct val_pair {
	const char	*key;		/* NUL-terminated */
	struct val	*v;
};

/*
 * A site holds some sixty of these per page, so the layout is packed
 * (64 bytes): counts are 32 bits, and a list's items and a map's pairs
 * share their pointer (which one is meant follows from kind).
 */
struct val {
	enum val_kind	 kind;
	bool		 quoted;	/* VAL_STR: was quoted in YAML */
	bool		 untrusted;	/* VAL_STR: made by a Lua hook, so
					   templates may not mark it safe */
	bool		 html;		/* VAL_STR: HTML icpgen made (a
					   body, a chart) or a template's
					   own literal: the only text a
					   template may mark safe */
	bool		 b;		/* VAL_BOOL */
	int		 line, col;	/* key's position for map values */
	const char	*file;		/* source path or NULL */
	double		 num;		/* VAL_NUM */
	const char	*str;		/* VAL_STR: NUL-terminated */
	size_t		 len;		/* VAL_STR: length of str */
	uint32_t	 n;		/* VAL_LIST, VAL_MAP: entries */
	uint32_t	 cap;
	union {
		struct val	**items;	/* VAL_LIST */
		struct val_pair	*pairs;		/* VAL_MAP */
	};
};

struct val	*val_new(struct arena *, enum val_kind);
struct val	*val_str(struct arena *, const char *);
struct val	*val_strn(struct arena *, const char *, size_t);
/*
 * A string value that points at s instead of copying it: s must live as
 * long as the value (static text, or text in the same arena or one
 * freed with it) and must not change.
 */
struct val	*val_str_ref(struct arena *, const char *);
struct val	*val_bool(struct arena *, bool);
struct val	*val_num(struct arena *, double);
struct val	*val_list(struct arena *);
struct val	*val_map(struct arena *);

/* Append to a list. */
void		 val_push(struct arena *, struct val *, struct val *);
/* Set a map key, replacing an existing value; key is copied. */
void		 val_set(struct arena *, struct val *, const char *,
		    struct val *);
/* Remove a map key, if there, keeping the order of the others. */
void		 val_del(struct val *, const char *);
/* Look up a key in a map; NULL if absent or if m is not a map. */
struct val	*val_get(const struct val *, const char *);
/*
 * Look up a dotted path ("site.contact.email") from a map; a part that
 * meets a list is an index ("papers.0.title"), as templates read it.
 * No length limit: a path too long to look up is not taken for absent.
 */
struct val	*val_path(const struct val *, const char *);
/* String value of a key, or NULL when absent or not a scalar. */
const char	*val_get_str(const struct val *, const char *);
/* Truthiness as templates see it: null, false, "", 0, empty list/map. */
bool		 val_truthy(const struct val *);
/*
 * Feed v to a SHA-256 digest: kind, flags, text, numbers, keys and
 * items, not where it came from.  false (and nothing sensible fed)
 * when v is nested deeper than depth.
 */
struct sha256;
bool		 val_digest(const struct val *, struct sha256 *, int);
/* Deep copy into another arena. */
struct val	*val_copy(struct arena *, const struct val *);

#endif
