/*
 * The theme's assets: stylesheet and static files.
 */
#ifndef RENDER_ASSETS_H
#define RENDER_ASSETS_H

struct diags;
struct out;
struct site;
struct theme;
struct val;

/*
 * Compile the theme's stylesheet with the site's variables (checking
 * the contrast of the colours the theme names), and write it and the
 * theme's static files to out (NULL: check only).  Sets globals'
 * "assets" map (css and scripts by name, with the base path).  The
 * compiled stylesheet is kept in the file cache (NULL: none) for the
 * next build (see style_compile).  Returns 0, or -1 after reporting an
 * error.
 */
int	assets_write(struct site *, struct theme *, struct out *, struct val *,
	    const char *, struct diags *);

#endif
