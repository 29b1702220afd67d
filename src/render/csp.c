/*
 * Content-Security-Policy for every HTML page; see csp.h.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/val.h"
#include "render/csp.h"

/* Directives in the order written, with their default sources. */
static const struct {
	const char	*name;
	const char	*sources;
	bool		 extensible;	/* by the site's configuration */
} directives[] = {
	{ "default-src", "'self'", false },
	{ "script-src", "'self'", true },
	{ "style-src", "'self'", true },
	{ "img-src", "'self' data:", true },
	{ "font-src", "'self'", true },
	{ "connect-src", "'self'", true },
	{ "media-src", "'self'", true },
	{ "frame-src", "'self'", true },
	{ "form-action", "'self'", true },
	{ "object-src", "'none'", false },
	{ "base-uri", "'none'", false },
};
#define NDIR	(sizeof(directives) / sizeof(directives[0]))

/* Whether source may be added to directive dir; NULL or why not. */
static const char *
refuse(const char *dir, const char *src)
{
	const char	*p;
	size_t		 n = strlen(src);

	if (n == 0)
		return "an empty source";
	if (src[0] == '\'') {
		if (n < 3 || src[n - 1] != '\'')
			return "an unclosed quote";
		for (p = src + 1; p < src + n - 1; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' &&
			    *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			    strchr("-+/=", *p) != NULL))
				return "a character a keyword cannot hold";
		if (strcmp(dir, "script-src") == 0 &&
		    strncasecmp(src, "'unsafe-", 8) == 0)
			return "a source that would let inline or generated "
			    "script run";
		return NULL;
	}
	for (p = src; *p != '\0'; p++)
		if ((unsigned char)*p <= ' ' || *p == ';' || *p == ',' ||
		    *p == '"' || *p == '\'' || (unsigned char)*p >= 0x7f)
			return "a separator, quote or space";
	if (strcmp(dir, "script-src") == 0 && (strcmp(src, "*") == 0 ||
	    strcasecmp(src, "data:") == 0 || strcasecmp(src, "blob:") == 0 ||
	    strcasecmp(src, "http:") == 0 || strcasecmp(src, "https:") == 0))
		return "a source that would let script from anywhere run";
	return NULL;
}

/*
 * The policy: the defaults, then for each directive the sources the
 * site's content_security_policy adds.  Returns it allocated in a.
 */
const char *
csp_policy(const struct val *config, struct arena *a, struct diags *d)
{
	const struct val *ext = val_get(config, "content_security_policy");
	const struct val *l, *it;
	const char	*why;
	struct buf	 b;
	size_t		 i, j, k;
	char		*out;

	if (ext != NULL && ext->kind != VAL_MAP && ext->kind != VAL_NULL) {
		diag_error(d, ext->file, ext->line, ext->col,
		    "'content_security_policy' must be a map of directives "
		    "to lists of sources (e.g. img-src: "
		    "[\"https://images.example.org\"])");
		ext = NULL;
	}
	for (k = 0; ext != NULL && ext->kind == VAL_MAP && k < ext->n; k++) {
		for (i = 0; i < NDIR; i++)
			if (directives[i].extensible && strcmp(ext->pairs[k].key,
			    directives[i].name) == 0)
				break;
		if (i == NDIR)
			diag_error(d, ext->pairs[k].v->file,
			    ext->pairs[k].v->line, ext->pairs[k].v->col,
			    "unknown Content-Security-Policy directive '%s' "
			    "(a site may add sources to script-src, style-src, "
			    "img-src, font-src, connect-src, media-src, "
			    "frame-src and form-action)", ext->pairs[k].key);
	}
	buf_init(&b);
	for (i = 0; i < NDIR; i++) {
		if (i > 0)
			buf_puts(&b, "; ");
		buf_printf(&b, "%s %s", directives[i].name,
		    directives[i].sources);
		if (!directives[i].extensible ||
		    (l = val_get(ext, directives[i].name)) == NULL)
			continue;
		if (l->kind != VAL_LIST) {
			diag_error(d, l->file, l->line, l->col, "'%s' must be "
			    "a list of sources (e.g. [\"https://cdn.example."
			    "org\"])", directives[i].name);
			continue;
		}
		for (j = 0; j < l->n; j++) {
			it = l->items[j];
			if (it->kind != VAL_STR) {
				diag_error(d, it->file, it->line, it->col,
				    "a source in '%s' must be text",
				    directives[i].name);
				continue;
			}
			if ((why = refuse(directives[i].name, it->str)) !=
			    NULL) {
				diag_error(d, it->file, it->line, it->col,
				    "source '%s' in '%s' is %s (give a host "
				    "such as https://cdn.example.org, or a "
				    "keyword such as 'self')", it->str,
				    directives[i].name, why);
				continue;
			}
			buf_printf(&b, " %s", it->str);
		}
	}
	out = arena_strdup(a, b.data);
	buf_free(&b);
	return out;
}

void
csp_sha256_b64(const void *data, size_t len, char out[45])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	unsigned char	 dg[33];
	size_t		 i;
	char		*o = out;

	sha256(data, len, dg);
	dg[32] = 0;
	for (i = 0; i < 33; i += 3) {
		*o++ = b64[dg[i] >> 2];
		*o++ = b64[(dg[i] & 3) << 4 | (i + 1 < 33 ? dg[i + 1] >> 4 : 0)];
		if (i + 1 < 32)
			*o++ = b64[(dg[i + 1] & 15) << 2 |
			    (i + 2 < 32 ? dg[i + 2] >> 6 : 0)];
		else
			*o++ = '=';
		*o++ = i + 2 < 32 ? b64[dg[i + 2] & 63] : '=';
	}
	*o = '\0';
}

/* --- pages ------------------------------------------------------------- */

/* Find the case-insensitive tag name at or after from; NULL if none. */
static const char *
find_tag(const char *s, const char *end, const char *name)
{
	size_t	n = strlen(name);

	for (; s + n < end && (s = memchr(s, '<', (size_t)(end - s))) != NULL &&
	    s + n < end; s++)
		if (strncasecmp(s + 1, name, n) == 0 &&
		    (s[n + 1] == '>' || s[n + 1] == ' ' || s[n + 1] == '\t' ||
		    s[n + 1] == '\n' || s[n + 1] == '/'))
			return s;
	return NULL;
}

void
csp_apply(struct buf *html, const char *policy)
{
	const char	*s = html->data, *end = html->data + html->len;
	const char	*tag, *gt, *close, *head, *q;
	struct buf	 meta, hashes, page;
	char		 h[45];
	size_t		 at = 0;
	bool		 src;

	if (policy == NULL)
		policy = "default-src 'self'; object-src 'none'; base-uri "
		    "'none'";
	buf_init(&hashes);
	/* Each inline <script> (one without src) is allowed by its hash. */
	for (tag = s; (tag = find_tag(tag, end, "script")) != NULL; ) {
		if ((gt = memchr(tag, '>', (size_t)(end - tag))) == NULL)
			break;
		src = false;
		for (q = tag; q + 4 < gt; q++)
			if (strncasecmp(q, " src", 4) == 0 && (q[4] == '=' ||
			    q[4] == ' '))
				src = true;
		close = find_tag(gt, end, "/script");
		if (close == NULL)
			close = end;
		if (!src) {
			csp_sha256_b64(gt + 1, (size_t)(close - gt - 1), h);
			buf_printf(&hashes, " 'sha256-%s'", h);
		}
		tag = close;
	}
	buf_init(&meta);
	buf_puts(&meta, "\n<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"");
	for (s = policy; *s != '\0'; s++) {
		if (hashes.len > 0 && strncmp(s, "script-src 'self'", 17) ==
		    0) {
			buf_puts(&meta, "script-src 'self'");
			buf_put(&meta, hashes.data, hashes.len);
			s += 16;
			continue;
		}
		if (*s == '"')
			buf_puts(&meta, "&quot;");
		else if (*s == '&')
			buf_puts(&meta, "&amp;");
		else
			buf_putc(&meta, *s);
	}
	buf_puts(&meta, "\">");
	if ((head = find_tag(html->data, end, "head")) != NULL &&
	    (gt = memchr(head, '>', (size_t)(end - head))) != NULL)
		at = (size_t)(gt + 1 - html->data);
	buf_init(&page);
	buf_put(&page, html->data, at);
	buf_put(&page, meta.data, meta.len);
	buf_put(&page, html->data + at, html->len - at);
	buf_reset(html);
	buf_put(html, page.data, page.len);
	buf_free(&page);
	buf_free(&meta);
	buf_free(&hashes);
}
