/*
 * Markdown to HTML: our own renderer on md4c's callback parser.
 *
 * Dialect: CommonMark with GitHub tables, strikethrough, task lists and
 * permissive autolinks; raw HTML is off (it is shown as text).
 *
 * What the renderer adds over plain HTML output:
 *  - every heading gets a unique id (a slug of its text) and a link to
 *    itself; heading levels are shifted so that the body's first level
 *    is opts->base_level (the page template owns the h1);
 *  - relative links and image sources are resolved against the page's
 *    file and passed to opts->resolve, which rewrites them to output
 *    URLs or reports them missing (an error naming file:line:col);
 *  - links with a scheme other than http, https, mailto and tel are
 *    dropped (the text stays) with an error; images must have alt text;
 *  - a paragraph "Table: caption" just before a table becomes its
 *    <caption>; header cells get scope="col";
 *  - a paragraph that is one shortcode ("{{< name args >}}") is replaced
 *    by what opts->shortcode makes of it, at most MDR_MAX_SHORTCODES a
 *    page; shortcodes in code spans and code blocks stay text;
 *  - input larger than opts->max_input and output growing past
 *    opts->max_output stop rendering with an error, so pathological
 *    input can neither hang the build for long nor write a huge page.
 *
 * Errors are reported through diags with the page's path and the line
 * in the file (opts->first_line is the file line where the body
 * starts).  mdr_render() returns 0 when the page rendered without
 * error, -1 otherwise; out then holds what was rendered so far.
 */
#ifndef PARSE_MARKDOWN_H
#define PARSE_MARKDOWN_H

#include <stdbool.h>
#include <stddef.h>

struct buf;
struct diags;

/*
 * Rewrite a relative link target.  path is the target resolved to a
 * site-relative path ("meetings/2025-03-12/paper.md"), with any
 * "#fragment" or "?query" removed and passed in frag (including the
 * '#', or empty).  Append the output URL to out and return 0, or
 * return -1 if no such file exists, or -2 if it is a page that is not
 * published (the renderer reports either).
 */
typedef int (*mdr_resolve_fn)(void *ctx, const char *path,
    const char *frag, struct buf *out);

/*
 * Expand a shortcode: a paragraph that is exactly one line
 * "{{< name arg "two words" >}}" (never text inside a code span or a
 * code block).  args holds nargs words, quotes removed.  line and col
 * are where it is in the file.  Append its HTML to out and return 0,
 * or report an error (with path:line:col) and return -1.
 */
typedef int (*mdr_shortcode_fn)(void *ctx, const char *name,
    const char *const *args, size_t nargs, int line, int col,
    struct buf *out);

struct mdr_opts {
	const char	*path;		/* site-relative path, for errors */
	int		 first_line;	/* file line of the body's first line */
	int		 base_level;	/* first heading level, default 2 */
	size_t		 max_input;	/* bytes; 0 means MDR_MAX_INPUT */
	size_t		 max_output;	/* bytes; 0 means MDR_MAX_OUTPUT */
	mdr_resolve_fn	 resolve;	/* NULL: relative links kept as is */
	mdr_shortcode_fn shortcode;	/* NULL: shortcodes are text */
	void		*ctx;		/* for resolve and shortcode */
};

/*
 * md4c 0.4.8 is quadratic on some inputs ("]([" lines repeated take
 * about 1.4 s at 256 KB, 5.5 s at 512 KB), so bodies are kept small.
 */
#define MDR_MAX_INPUT	(256 * 1024)
#define MDR_MAX_OUTPUT	(8 * 1024 * 1024)
#define MDR_MAX_SHORTCODES 64	/* in one page */
#define MDR_MAX_SC_ARGS	16	/* words after a shortcode's name */

/* One heading of the rendered body, for a table of contents. */
struct mdr_heading {
	int		 level;		/* after shifting */
	char		*id;		/* NUL-terminated, malloc'd */
	char		*text;		/* plain text, malloc'd */
};

struct mdr_result {
	struct mdr_heading *headings;	/* malloc'd array */
	size_t		 nheadings;
	size_t		 words;		/* words of text, for reading time */
};

int	mdr_render(const char *, size_t, const struct mdr_opts *,
	    struct buf *, struct mdr_result *, struct diags *);
/* Free what mdr_render() put in a result; the struct itself is not. */
void	mdr_result_free(struct mdr_result *);

#endif
