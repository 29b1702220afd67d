/*
 * Fuzz target for the Markdown renderer.
 *
 * The first byte picks options: bits 0-2 the base heading level (0
 * and 7 mean the default), bit 3 a tiny output limit (from the second
 * byte), bit 4 no resolver, bit 5 a late first line.  The rest is the
 * Markdown.  Besides the sanitizers, the output is checked: it must be
 * valid UTF-8 without controls other than white space, every tag must
 * be closed in order when the page rendered, no link may be inside a
 * link, and no href or src may carry a refused scheme.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/diag.h"
#include "parse/markdown.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Files that "exist"; every other relative link is missing. */
static int
resolve(void *ctx, const char *path, const char *frag, struct buf *out)
{
	size_t	 n = strlen(path);

	if (n > 3 && strcmp(path + n - 3, ".md") == 0 && (n & 1))
		return -1;
	buf_puts(out, "/");
	buf_puts(out, path);
	return 0;
}

/* Valid UTF-8, no NUL or controls other than white space. */
static void
check_text(const unsigned char *s, size_t n)
{
	size_t	 i, len, k;

	for (i = 0; i < n; i += len) {
		if (s[i] < 0x80) {
			if ((s[i] < 0x20 && s[i] != '\n' && s[i] != '\t' &&
			    s[i] != '\f' && s[i] != '\r') || s[i] == 0x7f)
				abort();
			len = 1;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4;
		else
			abort();
		if (i + len > n)
			abort();
		for (k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				abort();
		if (s[i] == 0xc2 && s[i + 1] < 0xa0)
			abort();	/* C1 control */
	}
}

/* A URL in an attribute must not start with a refused scheme. */
static void
check_urls(const char *html, const char *attr)
{
	const char	*p = html, *v;
	size_t		 i;

	while ((p = strstr(p, attr)) != NULL) {
		v = p += strlen(attr);
		for (i = 0; v[i] != '"' && v[i] != ':' && v[i] != '/' &&
		    v[i] != '#' && v[i] != '?'; i++)
			;
		if (v[i] != ':')
			continue;
		if ((i == 4 && strncasecmp(v, "http", 4) == 0) ||
		    (i == 5 && strncasecmp(v, "https", 5) == 0) ||
		    (i == 6 && strncasecmp(v, "mailto", 6) == 0 &&
		     attr[0] == ' ' && attr[1] == 'h') ||
		    (i == 3 && strncasecmp(v, "tel", 3) == 0 &&
		     attr[1] == 'h'))
			continue;
		abort();
	}
}

/* Every tag is closed, in order; void elements need no close. */
static void
check_tags(const char *html)
{
	char		 stack[256][12];
	size_t		 depth = 0, n, i;
	const char	*p = html, *name;
	int		 close;

	while ((p = strchr(p, '<')) != NULL) {
		p++;
		close = *p == '/';
		name = p + close;
		n = strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (n == 0 || n >= sizeof(stack[0]))
			abort();
		p = name + n;
		if (strchr(p, '>') == NULL)
			abort();
		if (!close && ((n == 2 && (strncmp(name, "br", 2) == 0 ||
		    strncmp(name, "hr", 2) == 0)) || (n == 3 &&
		    strncmp(name, "img", 3) == 0) || (n == 5 &&
		    strncmp(name, "input", 5) == 0)))
			continue;
		if (close) {
			if (depth == 0 || strlen(stack[depth - 1]) != n ||
			    strncmp(stack[depth - 1], name, n) != 0)
				abort();
			depth--;
		} else {
			if (n == 1 && name[0] == 'a')
				for (i = 0; i < depth; i++)
					if (strcmp(stack[i], "a") == 0)
						abort();	/* a in a */
			if (depth == sizeof(stack) / sizeof(stack[0]))
				return;
			memcpy(stack[depth], name, n);
			stack[depth++][n] = '\0';
		}
	}
	if (depth != 0)
		abort();
}

/* Shortcodes write a fixed, balanced fragment (or fail for "fail"). */
static int
shortcode(void *ctx, const char *name, const char *const *args,
    size_t nargs, int line, int col, struct buf *out)
{
	size_t	i;

	if (strcmp(name, "fail") == 0 || line < 1 || col < 1)
		return -1;
	for (i = 0; i < nargs; i++)
		if (args[i] == NULL)
			abort();
	buf_puts(out, "<figure>sc</figure>\n");
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdr_opts		 o;
	struct mdr_result	 res;
	struct diags		 d;
	struct buf		 out;
	FILE			*f;
	int			 rc;

	if (size < 2)
		return 0;
	if ((f = fopen("/dev/null", "w")) == NULL)
		return 0;
	memset(&o, 0, sizeof(o));
	o.path = "meetings/2025-01-01/index.md";
	o.base_level = data[0] & 7;
	if (data[0] & 8)
		o.max_output = (size_t)data[1] * 8 + 1;
	o.resolve = (data[0] & 16) ? NULL : resolve;
	o.first_line = (data[0] & 32) ? 1000 : 1;
	o.shortcode = (data[0] & 64) ? shortcode : NULL;
	diag_init(&d, f);
	buf_init(&out);
	rc = mdr_render((const char *)data + 2, size - 2, &o, &out, &res, &d);
	check_text((const unsigned char *)out.data, out.len);
	if (rc == 0) {
		check_tags(out.data);
		if (res.nheadings > 0 && res.headings[0].id[0] == '\0')
			abort();
	}
	check_urls(out.data, " href=\"");
	check_urls(out.data, " src=\"");
	mdr_result_free(&res);
	buf_free(&out);
	diag_free(&d);
	fclose(f);
	return 0;
}
