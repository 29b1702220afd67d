/*
 * The parse cache: each page's front matter as the last build parsed
 * and checked it, by path, kind and blob id, so that a build reads,
 * hashes and parses only the pages whose blobs changed.  Only pages
 * that gave no message are kept (a message must be given again), and
 * the whole file is for one icpgen binary: another one parses again.
 * The file ends with a SHA-256 of what comes before it; a file that
 * does not match is ignored.
 */
#ifndef MODEL_PCACHE_H
#define MODEL_PCACHE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct val;

struct pcache;

/* What a page's load gives, besides its path and kind. */
struct pcache_page {
	struct val	*fm;		/* its front matter, checked */
	int		 body_line;	/* where its body starts */
	size_t		 body_off;
};

/* Open the cache file at path (NULL: no cache).  Never fails. */
struct pcache	*pcache_open(const char *path);
/*
 * The page at path, of kind k, with blob id, into arena a; source is
 * the string its values' file points at.  false when it is not there
 * (or not whole).  Safe from several threads, each with its own arena.
 */
bool		 pcache_get(const struct pcache *, const char *, int,
		    const unsigned char [20], struct arena *, const char *,
		    struct pcache_page *);
/*
 * Add a page for the next build's cache; false when its values cannot
 * be kept (then it is simply parsed again next time).  One thread.
 */
bool		 pcache_put(struct pcache *, const char *, int,
		    const unsigned char [20], const char *,
		    const struct pcache_page *);
/* Write the pages put, when they differ from those read; 0 or -1. */
int		 pcache_save(struct pcache *);
/*
 * The same in a thread, best effort; pcache_free() waits for it.
 * Nothing may be put after.
 */
void		 pcache_save_begin(struct pcache *);
void		 pcache_free(struct pcache *);

/*
 * Whether a file's body (after its magic and key, before its checksum)
 * is a page index this cache would use, and how many pages it holds:
 * the parser the file goes through, for its fuzz target.
 */
bool		 pcache_index_check(const char *, size_t, size_t *);
/* Encode and decode one value tree (for tests); see pcache.c. */
bool		 pcache_encode(struct buf *, const struct val *, const char *);
struct val	*pcache_decode(const char **, const char *, struct arena *,
		    const char *);

#endif
