/*
 * Allocation wrappers and a bump-pointer arena.
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "mem.h"

#define HUGE_PAGE	(2 * 1024 * 1024)

static void
oom(void)
{
	fputs("icpgen: out of memory\n", stderr);
	exit(70);
}

void *
xmalloc(size_t n)
{
	void	*p = malloc(n ? n : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xmalloc_big(size_t n)
{
	void	*p;
	size_t	 sz;

	if (n < HUGE_PAGE)
		return xmalloc(n);
	sz = (n + HUGE_PAGE - 1) / HUGE_PAGE * HUGE_PAGE;
	if ((p = aligned_alloc(HUGE_PAGE, sz)) == NULL)
		oom();
	(void)madvise(p, sz, MADV_HUGEPAGE);	/* a hint: may be refused */
	return p;
}

void *
xcalloc(size_t n, size_t sz)
{
	void	*p = calloc(n ? n : 1, sz ? sz : 1);

	if (p == NULL)
		oom();
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	if ((p = realloc(p, n ? n : 1)) == NULL)
		oom();
	return p;
}

void *
xreallocarray(void *p, size_t n, size_t sz)
{
	if (sz && n > SIZE_MAX / sz)
		oom();
	return xrealloc(p, n * sz);
}

char *
xstrndup(const char *s, size_t n)
{
	char	*p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

/* Chunks are linked newest first; big requests get a chunk of their own. */
struct chunk {
	struct chunk	*next;
	size_t		 used, size;
	max_align_t	 data[];
};

struct arena {
	struct chunk	*head;
	size_t		 total;
	const char	**names;	/* arena_intern's set (malloc'd) */
	size_t		 nnames, capnames;
};

#define CHUNK_SIZE	(256 * 1024)

static atomic_bool huge_arenas;	/* serve sets it for each build */

void
arena_huge(bool on)
{
	atomic_store_explicit(&huge_arenas, on, memory_order_relaxed);
}

struct arena *
arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

/*
 * Most of an arena is small strings and value nodes, whose fields need
 * no more than pointer alignment: rounding every block to max_align_t
 * (16 bytes here) cost a sixth of the site model.  Strings are packed
 * with no alignment at all.
 */
union arena_align {
	void		*p;
	double		 d;
	long long	 ll;
	size_t		 z;
};
#define ARENA_ALIGN	_Alignof(union arena_align)

#ifdef ARENA_EACH
/*
 * For profiling (massif) and bounds checking (ASan): every block is its
 * own malloc, so that a tool sees who asked for it.
 */
static void *
alloc(struct arena *a, size_t n, size_t al)
{
	struct chunk	*c = xcalloc(1, sizeof(*c) + n);

	(void)al;
	c->next = a->head;
	a->head = c;
	a->total += n;
	return c->data;
}
#else
/* n bytes aligned to al (1 or ARENA_ALIGN), zeroed. */
static void *
alloc(struct arena *a, size_t n, size_t al)
{
	struct chunk	*c = a->head;
	size_t		 sz, at = 0;
	char		*p;

	if (n == 0)
		n = 1;
	if (c != NULL)
		at = (c->used + al - 1) / al * al;
	if (c == NULL || at > c->size || c->size - at < n) {
		sz = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;
		/*
		 * Past a few MB (the site model), in huge pages when asked:
		 * a fault for each 2 MB rather than for each 4 KB.
		 */
		if (atomic_load_explicit(&huge_arenas, memory_order_relaxed) &&
		    sz == CHUNK_SIZE && a->total >= 2 * HUGE_PAGE) {
			c = xmalloc_big(HUGE_PAGE);
			sz = HUGE_PAGE - sizeof(*c);
		} else
			c = xmalloc(sizeof(*c) + sz);
		c->size = sz;
		c->used = 0;
		if (sz == n && a->head != NULL) {
			/* Keep the current chunk at the head for small allocs. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
		a->total += sz;
		at = 0;
	}
	p = (char *)c->data + at;
	c->used = at + n;
	memset(p, 0, n);
	return p;
}
#endif

void *
arena_alloc(struct arena *a, size_t n)
{
	return alloc(a, n, ARENA_ALIGN);
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char	*p = alloc(a, n + 1, 1);

	memcpy(p, s, n);
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;
	char	*p;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		oom();
	p = alloc(a, (size_t)n + 1, 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

static uint64_t
name_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ULL;

	while (n-- > 0)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/*
 * One copy of each name (a map key) per arena: every page's data has
 * the same few dozen keys, and a copy each was a tenth of the model.
 * Long strings are not worth a slot and are copied as before.
 */
const char *
arena_intern(struct arena *a, const char *s, size_t n)
{
	const char	**old, *k;
	size_t		  i, j, oldcap;

	if (n > 64 || memchr(s, '\0', n) != NULL)
		return arena_strndup(a, s, n);
	if (a->nnames * 2 >= a->capnames) {
		old = a->names;
		oldcap = a->capnames;
		a->capnames = oldcap ? oldcap * 2 : 256;
		a->names = xcalloc(a->capnames, sizeof(*a->names));
		for (i = 0; i < oldcap; i++) {
			if (old[i] == NULL)
				continue;
			j = name_hash(old[i], strlen(old[i])) &
			    (a->capnames - 1);
			while (a->names[j] != NULL)
				j = (j + 1) & (a->capnames - 1);
			a->names[j] = old[i];
		}
		free(old);
	}
	for (i = name_hash(s, n) & (a->capnames - 1); (k = a->names[i]) !=
	    NULL; i = (i + 1) & (a->capnames - 1))
		if (strncmp(k, s, n) == 0 && k[n] == '\0')
			return k;
	a->names[i] = arena_strndup(a, s, n);
	a->nnames++;
	return a->names[i];
}

size_t
arena_used(const struct arena *a)
{
	return a->total;
}

void
arena_free(struct arena *a)
{
	struct chunk	*c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(a->names);
	free(a);
}
