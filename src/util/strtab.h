/*
 * A table of distinct strings, each numbered in the order it was first
 * added: for interning keys and paths.  Strings are copied; lookups
 * hash.  Not locked: callers that share one lock it.
 */
#ifndef UTIL_STRTAB_H
#define UTIL_STRTAB_H

#include <stdbool.h>
#include <stddef.h>

struct strtab {
	char		**s;		/* s[i]: string i, malloc'd */
	size_t		  n, cap;
	size_t		 *slot;		/* open addressing: index + 1, 0 free */
	size_t		  nslot;
};

/* The number of s, added when new (*fresh then true, if given). */
size_t	strtab_add(struct strtab *, const char *, bool *);
/* The number of s, or (size_t)-1 when it is not in the table. */
size_t	strtab_find(const struct strtab *, const char *);
void	strtab_free(struct strtab *);

#endif
