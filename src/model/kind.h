/*
 * The kind table: one row per kind of content, the one place that says
 * what a kind is called, where its files live, which schema checks them,
 * which template shows them, which listing page gathers them and in
 * what order, what the search index, feeds and open data take from
 * them, and which function links them into the model.  Code that needs
 * to know about kinds walks this table (kind_get, kind_count); no other
 * file keeps a per-kind array.
 *
 * Invariant (tests/unit/test_kind.c): every row has every column that
 * is not marked optional, so no NULL reaches a "%s".
 */
#ifndef MODEL_KIND_H
#define MODEL_KIND_H

#include <stdbool.h>
#include <stddef.h>

#include "model/site.h"

struct buf;
struct diags;
struct schema;

/* How the pages of a kind are ordered in their listing. */
enum kind_sort {
	SORT_NONE,		/* not listed */
	SORT_DATE,		/* by date, oldest first */
	SORT_DATE_DESC,		/* by date, newest first */
	SORT_ORDER,		/* by 'order:', then title */
	SORT_ID,		/* by id */
};

struct kind {
	enum page_kind	 kind;		/* the row's own index */
	const char	*name;		/* "meeting": data.kind, summaries */
	const char	*noun;		/* "news post": in messages */
	const char	*folder;	/* "meetings/"; "" for none */
	const char	*file;		/* "ID/index.md": the id rule */
	const char	*template;	/* "meeting.html"; NULL: generated */
	const struct schema *schema;	/* front matter; NULL: generated */
	/* The listing page that gathers the kind (all optional). */
	const char	*list_id;	/* "meetings" */
	const char	*list_url;	/* "meetings/" */
	const char	*list_title;	/* "Meetings" */
	const char	*list_template;	/* "meetings.html" */
	const char	*list_key;	/* lists.news: the sorted pages */
	enum kind_sort	 sort;
	bool		 list_if_any;	/* listing only when there are pages */
	/* What the writers take from a page of the kind (optional). */
	bool		 search;	/* in the search index */
	const char	*feed;		/* Atom feed file, "papers.xml" */
	const char	*feed_title;	/* "meeting papers" */
	const char	*feed_list;	/* listing the feed links to */
	const char	*opendata;	/* open data file stem, "meetings" */
	/* Links the kind's pages into the model, in site_link (optional). */
	void		(*link)(struct site *, struct page **, size_t,
			    struct diags *);
};

/* The row of kind k (any k: an unknown one gives the "page" row). */
const struct kind *kind_get(enum page_kind);
/* The number of rows (PAGE__MAX). */
size_t		 kind_count(void);
/*
 * The kind of a Markdown file from its site-relative path (by the rows'
 * folder and file rules), with its id and URL path (without the base
 * path) put in id and url.  Returns false for files that are not pages.
 */
bool		 kind_classify(const char *, enum page_kind *, struct buf *,
		    struct buf *);
/* Append to b the file a page of kind k with this id would be. */
void		 kind_path(enum page_kind, const char *, struct buf *);
/*
 * Append to b the folders content files go in, as words for a message:
 * "pages/, news/ ... or strategy/".
 */
void		 kind_folders(struct buf *);

/* Link functions of the rows, defined with the kinds' model code. */
void		 site_link_meetings(struct site *, struct page **, size_t,
		    struct diags *);
void		 site_link_committees(struct site *, struct page **, size_t,
		    struct diags *);
void		 plan_link(struct site *, struct page **, size_t,
		    struct diags *);

#endif
