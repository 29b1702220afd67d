/*
 * Allocation wrappers and the per-build arena.
 *
 * Allocation failure is fatal: every x* function either returns usable
 * memory or prints a message and exits with status 70, so callers never
 * check for NULL.
 *
 * An arena hands out zeroed memory that lives until arena_free(); the
 * site model (pages, parsed front matter, strings) lives in one arena
 * per build and is released in one call.
 */
#ifndef UTIL_MEM_H
#define UTIL_MEM_H

#include <stdbool.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
/*
 * n bytes for a large buffer filled at once (a cache file read whole),
 * freed with free(): from n of 2 MB, in huge pages where the system
 * gives them, so that filling it costs a fault for each 2 MB rather
 * than each 4 KB.
 */
void	*xmalloc_big(size_t);

struct arena;

struct arena	*arena_new(void);
void		*arena_alloc(struct arena *, size_t);
char		*arena_strndup(struct arena *, const char *, size_t);
char		*arena_strdup(struct arena *, const char *);
char		*arena_printf(struct arena *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
/* A copy of s[0..n) shared by every caller that interns the same text. */
const char	*arena_intern(struct arena *, const char *, size_t);
size_t		 arena_used(const struct arena *);
void		 arena_free(struct arena *);
/*
 * Arenas past 4 MB grow by 2 MB chunks in huge pages (on), or by
 * 256 KB (off, the default).  Huge pages make a build that touches
 * its model once (most pages kept from the last build) fault less
 * (a one-paper rebuild of 10,000 pages: 30,500 faults to 18,900), and
 * cost a cold build of 30,000 pages 15-30 MB of peak.  Safe to call
 * between builds while other threads run.
 */
void		 arena_huge(bool);

#endif
