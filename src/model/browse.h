/*
 * Pages for browsing and keeping up, made from the finished model: one
 * page per decision, the subscribe page and "What's new".  Call after
 * history_link() (What's new reads each page's history).
 */
#ifndef MODEL_BROWSE_H
#define MODEL_BROWSE_H

struct site;

/* Add the pages; they are listings (PAGE_LIST) with their own templates. */
void	browse_link(struct site *);

#endif
