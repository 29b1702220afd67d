/*
 * Rendering one page: its Markdown body through our renderer, then its
 * template with a context of the page, the site and its listings.
 *
 * A body line holding only a shortcode, {{< name args >}}, is replaced
 * by what the shortcode makes: the built-in "measure ID" embeds a
 * strategy measure's latest value and chart; a site's Lua shortcodes
 * (icp.shortcode) return Markdown, rendered and escaped like the body.
 *
 * A struct render is shared by every page of a build and is read-only
 * while pages render, so pages may be rendered from several threads;
 * each thread brings its own scratch arena and buffers.
 */
#ifndef RENDER_PAGE_H
#define RENDER_PAGE_H

#include <stdbool.h>
#include <stddef.h>

struct arena;
struct buf;
struct diags;
struct out;
struct pack_done;
struct page;
struct sha256;
struct site;
struct tmpl;
struct val;

struct render_tmpl {
	const char		*name;
	const struct tmpl	*tmpl;
};

struct render_memo;

struct render {
	struct site		*site;
	struct val		*globals;	/* site, lists, build, assets */
	const struct render_tmpl *tmpls;	/* one per template name */
	size_t			 ntmpls;
	struct out		*out;		/* NULL: check only */
	bool			 body_only;	/* the body; no template */
	struct diags		*d;
	/* Markdown shortcodes a site defines: fn(args, page) -> text. */
	struct val		*(*shortcode)(void *, struct arena *,
				    const char *, const struct val *,
				    const struct val *);
	bool			(*has_shortcode)(void *, const char *);
	void			*ctx;
	struct render_memo	*memo;		/* for render_keys_digest */
};

/*
 * Render page p and write it (when r->out is set).  body and html are
 * the caller's buffers, reused between pages; scratch is reset by the
 * caller after each page.  Returns 0 or -1 after reporting.
 */
int	render_page(const struct render *, struct page *, struct arena *,
	    struct buf *, struct buf *);
/*
 * The same, for an agenda pack whose papers' bodies were rendered
 * already (done; see pack.h).
 */
int	render_page_packed(const struct render *, struct page *,
	    const struct pack_done *, struct arena *, struct buf *,
	    struct buf *);

/*
 * Keeping pages between builds.  While a page renders with a note, the
 * inputs it reads are noted as keys, a letter and what it names:
 *
 *	sURL	the Markdown of the page at URL (its blob, or its bytes)
 *	dURL	that page's data, title, template and other facts
 *	cURL	its breadcrumbs (its parents' titles)
 *		(no URL: the page rendered)
 *	rPATH	where a link to the site file or page PATH leads
 *	mID	the measure a shortcode embeds
 *	gPATH	a value a template read outside "page" (lists.meetings)
 *
 * A pack notes its papers' keys too.  render_keys_digest() hashes
 * what the keys give now: a page whose keys give what they gave when
 * it was rendered, under the same templates, theme, configuration and
 * binary (the caller checks those), renders the same bytes.  A page
 * that runs Lua (a filter or shortcode) has no keys: what Lua reads is
 * not known.
 */
struct render_note;

struct render_note *render_note_new(void);
void		 render_note_free(struct render_note *);
/* Add from's keys, those of page p, to into's (a pack takes its papers'). */
void		 render_note_merge(struct render_note *,
		    const struct render_note *, const struct page *);
/* The keys noted, or NULL (n 0) when the page may not be kept. */
const char *const *render_note_keys(const struct render_note *, size_t *);
/* Render as render_page_packed, noting reads in the note. */
int		 render_page_noted(const struct render *, struct page *,
		    const struct pack_done *, struct render_note *,
		    struct arena *, struct buf *, struct buf *);
/*
 * What many pages read, hashed once a build: values of the context,
 * links, large values of the site (locked) and each page of s's data.
 */
struct render_memo *render_memo_new(const struct site *);
void		 render_memo_free(struct render_memo *);
/*
 * Feed c what the key "d" gives for page q: its facts and its data,
 * with the values of memo; false when that cannot be told.
 */
bool		 render_page_digest(struct render_memo *, const struct page *,
		    struct sha256 *);
/* The digest of what keys give now; false when one cannot be told. */
bool		 render_keys_digest(const struct render *, const struct page *,
		    const char *const *, size_t, unsigned char [32]);

#endif
