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
#include <stdio.h>

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
/*
 * Words kept between builds, so that a page kept from the last build
 * (see cli/build.c) is not read and split into words again.
 * search_save() writes every page's words, its fragment's head and
 * number, before search_write() (which frees the words as it indexes
 * them); the next build hands what was saved to
 * search_reuse() (which owns it from then; anything malformed and
 * nothing is used) before rendering, and search_reuse_done() after.
 * For a page kept, search_kept() says 2 when the page is not searched,
 * 1 when its old fragment (at from) is what this build would write (at
 * to) and its words are saved (search_kept_take() then takes them, once
 * the fragment is linked), and 0 when its HTML must be given to
 * search_take() as usual.
 */
void		 search_reuse(struct search *, char *, size_t);
void		 search_reuse_done(struct search *);
int		 search_kept(struct search *, size_t, char *, char *, size_t);
void		 search_kept_take(struct search *, size_t);
int		 search_save(const struct search *, FILE *);

/* Write the manifest and the shards; *size is their total in bytes.  0 or -1. */
int		 search_write(struct search *, struct out *, struct diags *,
		    size_t *);
void		 search_free(struct search *);

/* The text of an HTML document's <main>, tags dropped, into out. */
void		 search_main_text(const char *, size_t, struct buf *);

#endif
