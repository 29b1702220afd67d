/*
 * Full-text search: a sharded index of every public page, written
 * under search/ for the search page's script (themes/default/static/
 * search.js).  docs/search.md describes the files and why they are
 * shaped so.
 *
 *	search/index.json	the manifest: shard prefixes, stop words,
 *				kinds, committees, each document's filter code
 *	search/s/PREFIX.json	words and stems starting with PREFIX:
 *				{"w": {word: stem}, "t": {stem: postings}}
 *	search/p/N.json		document N: title, address, kind, date,
 *				committee and its text, for the result list
 *
 * Documents are numbered newest first, so that a tie in score is
 * broken by the number alone.  Words are stemmed with libstemmer's
 * English (Porter 2) stemmer at build time only: a shard maps every
 * word of the site to its stem, so the browser never stems.
 *
 * Use: search_new() after the model is complete (it decides what is
 * indexed: the public pages the model kept, actions and decisions),
 * search_take() for each page as it is rendered (from any thread, once
 * per page), then search_write() once.
 */
#ifndef RENDER_SEARCH_H
#define RENDER_SEARCH_H

#include <stddef.h>

struct buf;
struct diags;
struct out;
struct site;
struct search;

/* A new index for the pages of site; free with search_free(). */
struct search	*search_new(const struct site *);
/*
 * Take the words of page number i (index in site->pages) from its
 * rendered HTML (the text of <main>), and write its result fragment to
 * out when out is not NULL.  Safe from several threads for different i.
 */
void		 search_take(struct search *, size_t, const char *, size_t,
		    struct out *, struct diags *);
/* Write the manifest and the shards; *size is their total in bytes.  0 or -1. */
int		 search_write(struct search *, struct out *, struct diags *,
		    size_t *);
void		 search_free(struct search *);

/* The text of an HTML document's <main>, tags dropped, into out. */
void		 search_main_text(const char *, size_t, struct buf *);

#endif
