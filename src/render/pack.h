/*
 * The agenda pack of a meeting: one printable page with the agenda and
 * every public paper in full.  Pack pages are listings made by the
 * model (browse.c, data "pack_of": the meeting's id); when one is
 * rendered, pack_bodies() renders the meeting's papers' bodies for its
 * template, as page.pack_papers.
 */
#ifndef RENDER_PACK_H
#define RENDER_PACK_H

#include <stddef.h>

struct arena;
struct buf;
struct page;
struct render;
struct render_note;
struct site;
struct val;

/*
 * Bodies of a pack's papers already rendered for their own pages, so
 * that the pack need not render them again: pages[i]'s body is
 * bodies[i], or NULL (its own page failed) for one rendered here.
 */
struct pack_done {
	struct page	**pages;
	struct buf	**bodies;
	struct render_note **notes;	/* what each read, or NULL */
	size_t		  n;
};

/* Add pack_papers to pv (the pack page's data) when p is a pack. */
void	pack_bodies(const struct render *, const struct page *, struct val *,
	    const struct pack_done *, struct arena *);

/*
 * Which pages a render worker takes with their pack: each public paper
 * of exactly one pack, rendered just before that pack by the same
 * worker.  Indices are those of site->pages.
 */
struct pack_plan;

struct pack_plan *pack_plan(const struct site *);
/* The pack that renders page i, or -1 when it is rendered by itself. */
long		 pack_owner(const struct pack_plan *, size_t);
/* The papers pack page i renders first (in its order); n may be 0. */
const size_t	*pack_papers(const struct pack_plan *, size_t, size_t *);
void		 pack_plan_free(struct pack_plan *);

#endif
