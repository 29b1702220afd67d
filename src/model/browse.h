/*
 * Pages for browsing and keeping up, made from the finished model: one
 * page per decision, action logs per committee and owner, agenda packs,
 * the subscribe page and "What's new"; and each committee's next
 * meeting, for the home page.  Call after
 * history_link() (What's new reads each page's history).
 */
#ifndef MODEL_BROWSE_H
#define MODEL_BROWSE_H

struct site;

/* Add the pages; they are listings (PAGE_LIST) with their own templates. */
void	browse_link(struct site *);

#endif
