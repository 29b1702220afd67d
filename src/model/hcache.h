/*
 * The versions cache: what the history stage derived from old versions
 * of files, kept between builds so that a build whose history is cached
 * reads no old blob from git.  Records are keyed by blob ids (one blob,
 * or the pair of a revision and the one before it), so they hold for
 * any repository; the file is kept per repository next to the history
 * cache and holds only the records the last build used.
 *
 * A record is a value tree (struct val) in a compact binary form.  The
 * cache folder is not trusted: a file that is truncated, damaged, of
 * another format or another icpgen version, or too large, is ignored
 * and everything is worked out again.
 */
#ifndef MODEL_HCACHE_H
#define MODEL_HCACHE_H

#include <stddef.h>

struct arena;
struct buf;
struct hcache;
struct val;

#define HCACHE_KEY	41	/* kind byte, two blob ids */

/* Open the cache file at path (NULL: keep nothing); never fails. */
struct hcache	*hcache_open(const char *);
/* The record under key, or NULL; the bytes live until hcache_close. */
const unsigned char *hcache_get(struct hcache *, const unsigned char *,
		    size_t *);
/*
 * The same without marking the record used (so that it is kept when the
 * file is written again): safe from several threads at once as long as
 * none of them changes the cache.
 */
const unsigned char *hcache_peek(const struct hcache *,
		    const unsigned char *, size_t *);
/* Add a record (copied), or replace the one under its key. */
void		 hcache_put(struct hcache *, const unsigned char *,
		    const void *, size_t);
/* Write the file again when it changed (atomically), and free. */
void		 hcache_close(struct hcache *);
/* Free, leaving the file as it is. */
void		 hcache_discard(struct hcache *);

/* A value tree as record bytes, and back (NULL if malformed). */
void		 hcache_encode(struct buf *, const struct val *);
struct val	*hcache_decode(struct arena *, const unsigned char *, size_t);

/*
 * What hcache_decode would make of a record whose value is a map,
 * without making it: the map's keys, each with the kind of its value
 * ('n' null, 't' true, 'f' false, 'd' number, 's' string, 'l' list,
 * 'm' map).  1 when hcache_decode would succeed, 0 when it would give
 * NULL, -1 when this cannot tell cheaply (a map with more keys than
 * HCACHE_TOP, at any depth): decode it then.
 */
#define HCACHE_TOP	8
struct hcache_top {
	size_t		 n;
	struct {
		const char	*key;		/* not terminated */
		size_t		 len;
		char		 kind;
	}		 e[HCACHE_TOP];
};
int		 hcache_top(const unsigned char *, size_t,
		    struct hcache_top *);
/* The kind letter hcache_top gives a value like v. */
char		 hcache_kind(const struct val *);

#endif
