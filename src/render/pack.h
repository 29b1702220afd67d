/*
 * The agenda pack of a meeting: one printable page with the agenda and
 * every public paper in full.  Pack pages are listings made by the
 * model (browse.c, data "pack_of": the meeting's id); when one is
 * rendered, pack_bodies() renders the meeting's papers' bodies for its
 * template, as page.pack_papers.
 */
#ifndef RENDER_PACK_H
#define RENDER_PACK_H

struct arena;
struct page;
struct render;
struct val;

/* Add pack_papers to pv (the pack page's data) when p is a pack. */
void	pack_bodies(const struct render *, const struct page *, struct val *,
	    struct arena *);

#endif
