/*
 * The search index: one entry per page (title, kind, date, a short
 * summary and its address) written as search-index.json for the
 * search page's script.  Kept small for phones: no full text.
 */
#ifndef RENDER_SEARCH_H
#define RENDER_SEARCH_H

#include <stddef.h>

struct buf;
struct diags;
struct out;
struct site;

/* Append the index as JSON to out. */
void	search_index(const struct site *, struct buf *);
/* Write search-index.json (out NULL: build it only); 0 or -1. */
int	search_write(const struct site *, struct out *, struct diags *,
	    size_t *);

#endif
