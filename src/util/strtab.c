/*
 * A table of distinct strings (see strtab.h).
 */
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "strtab.h"
#include "text.h"

/* The slot of s: where it is, or the free one where it would go. */
static size_t *
slot(const struct strtab *t, const char *s)
{
	size_t	i;

	for (i = text_hash(s, strlen(s)) & (t->nslot - 1); t->slot[i] != 0 &&
	    strcmp(t->s[t->slot[i] - 1], s) != 0; i = (i + 1) & (t->nslot - 1))
		;
	return &t->slot[i];
}

size_t
strtab_find(const struct strtab *t, const char *s)
{
	size_t	*sl;

	if (t->nslot == 0 || *(sl = slot(t, s)) == 0)
		return (size_t)-1;
	return *sl - 1;
}

size_t
strtab_add(struct strtab *t, const char *s, bool *fresh)
{
	size_t	*sl, i;

	if (t->n * 2 >= t->nslot) {	/* grow: at most half full */
		free(t->slot);
		t->nslot = t->nslot ? t->nslot * 2 : 64;
		t->slot = xcalloc(t->nslot, sizeof(*t->slot));
		for (i = 0; i < t->n; i++)
			*slot(t, t->s[i]) = i + 1;
	}
	if (fresh != NULL)
		*fresh = false;
	if (*(sl = slot(t, s)) != 0)
		return *sl - 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 32;
		t->s = xreallocarray(t->s, t->cap, sizeof(*t->s));
	}
	t->s[t->n] = xstrdup(s);
	*sl = ++t->n;
	if (fresh != NULL)
		*fresh = true;
	return t->n - 1;
}

void
strtab_free(struct strtab *t)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		free(t->s[i]);
	free(t->s);
	free(t->slot);
	memset(t, 0, sizeof(*t));
}
