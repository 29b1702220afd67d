/*
 * SVG attachments: a check that an SVG file can be published as it is.
 *
 * A browser runs the script in an SVG opened as a page, so an SVG that
 * a hostile contributor commits could run script on the site's origin.
 * svg_check() refuses, rather than rewrites, what could run script or
 * load something from elsewhere: script and foreignObject elements
 * (and the HTML ones that embed: iframe, embed, object), event
 * attributes (on...), links other than to "#fragment" (href,
 * xlink:href, url(...) in styles and attributes), javascript: anywhere
 * in a value, CSS @import, entity declarations and processing
 * instructions such as xml-stylesheet.  The scan is lexical and errs
 * on the side of refusing.
 */
#ifndef PARSE_SVG_H
#define PARSE_SVG_H

#include <stddef.h>

struct svg_problem {
	int		 line, col;	/* 1-based, of the problem */
	char		 what[160];	/* "a <script> element", ... */
};

/*
 * Check the SVG text data (len bytes).  Returns 0 when it is safe to
 * publish, or -1 with the first problem in *p.
 */
int	svg_check(const char *data, size_t len, struct svg_problem *p);

#endif
