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
struct site;
struct tmpl;
struct val;

struct render_tmpl {
	const char		*name;
	const struct tmpl	*tmpl;
};

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

#endif
