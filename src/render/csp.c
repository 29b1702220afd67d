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

/* --- SHA-256 (FIPS 180-4) ------------------------------------------------ */

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR(x, n)	(((x) >> (n)) | ((x) << (32 - (n))))

static void
block(uint32_t h[8], const unsigned char *p)
{
	uint32_t	 w[64], a, b, c, d, e, f, g, hh, t1, t2;
	int		 i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		    (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 64; i++)
		w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		    (w[i - 15] >> 3)) + w[i - 7] + (ROR(w[i - 2], 17) ^
		    ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	a = h[0]; b = h[1]; c = h[2]; d = h[3];
	e = h[4]; f = h[5]; g = h[6]; hh = h[7];
	for (i = 0; i < 64; i++) {
		t1 = hh + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		    ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		    ((a & b) ^ (a & c) ^ (b & c));
		hh = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	h[0] += a; h[1] += b; h[2] += c; h[3] += d;
	h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
}

void
csp_sha256_b64(const void *data, size_t len, char out[45])
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop"
	    "qrstuvwxyz0123456789+/";
	uint32_t	 h[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	    0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
	const unsigned char *p = data;
	unsigned char	 tail[128], dg[33];
	size_t		 i, n, rest;
	uint64_t	 bits = (uint64_t)len * 8;
	char		*o = out;

	for (n = len; n >= 64; n -= 64, p += 64)
		block(h, p);
	rest = n;
	memset(tail, 0, sizeof(tail));
	memcpy(tail, p, rest);
	tail[rest] = 0x80;
	n = rest + 1 + 8 <= 64 ? 64 : 128;
	for (i = 0; i < 8; i++)
		tail[n - 1 - i] = (unsigned char)(bits >> (8 * i));
	block(h, tail);
	if (n == 128)
		block(h, tail + 64);
	for (i = 0; i < 32; i++)
		dg[i] = (unsigned char)(h[i / 4] >> (24 - 8 * (i % 4)));
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

	for (; s + n < end; s++)
		if (*s == '<' && strncasecmp(s + 1, name, n) == 0 &&
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
