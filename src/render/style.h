/*
 * Stylesheets: SCSS compiled with libsass (this file is the only one
 * that includes libsass).
 *
 * libsass implements the older @import module system and passes the
 * newer @use and @forward rules through to the CSS unchanged, which
 * would ship a broken stylesheet; both are therefore errors here.  A
 * compiled stylesheet must also contain every selector the theme
 * declares it needs, so an override cannot silently drop the base.
 */
#ifndef RENDER_STYLE_H
#define RENDER_STYLE_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct diags;

/*
 * Read a file for @import.  path is relative to the site root
 * ("assets/brand.scss").  Set *src and *len (owned by ctx) and return 0,
 * or -1 when the site has no such file.
 */
typedef int (*style_read_fn)(void *ctx, const char *path, const char **src,
    size_t *len);

struct style_opts {
	const char	*entry;		/* path of the main .scss file */
	const char	*entry_shown;	/* how errors name it */
	const char	*prelude;	/* SCSS prepended, e.g. variables */
	const char *const *include_paths; /* NULL-terminated, on disk */
	const char *const *required;	/* selectors that must appear */
	style_read_fn	 site_read;	/* site files, searched first */
	const char	*site_dir;	/* site folder theme imports look in
					   first ("assets"); NULL: the root */
	void		*ctx;
	int		 compressed;	/* minify output */
	const char	*cache;		/* file of the last compile, or NULL */
	bool		*cached;	/* NULL, or set: whether the CSS came
					   from the cache */
};

/*
 * Compile opts->entry (a file on disk) to CSS appended to out.  Returns
 * 0, or -1 after reporting errors with file:line:col.
 *
 * With opts->cache, a compile that succeeds is kept in that file with
 * the trace of everything it looked at: each file read (on disk or
 * through site_read), each name tested, each real path.  The next
 * compile with the same options looks at each again, and when every
 * look finds what it found then, takes the CSS without compiling.  The
 * file is checksummed and keyed by this binary and libsass; one that
 * is damaged or not ours is ignored.
 */
int	style_compile(const struct style_opts *, struct buf *, struct diags *);

/*
 * The cache file's parser, for its tests and fuzz target.  A body (what
 * follows the key, before the checksum) is the trace's length and the
 * trace, then the CSS's length and the CSS: style_cache_split() finds
 * both, false when the body is anything else.  A trace is records of
 * one look each, read one at a time by style_trace_next(): 1 with *l
 * set, 0 at the end, -1 when the next is malformed.
 */
struct style_look {
	int			 kind;	/* 'r', 'a', 'c', 'R' or 's' */
	const char		*path;	/* len bytes, no NUL among them */
	size_t			 len;
	const unsigned char	*found;	/* 32: digest of what was found */
};

bool	style_cache_split(const unsigned char *, size_t,
	    const unsigned char **, size_t *, const char **, size_t *);
int	style_trace_next(const unsigned char **, const unsigned char *,
	    struct style_look *);

#endif
