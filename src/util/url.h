/*
 * URLs: the one encoder and the one policy for addresses that reach
 * output, whatever their source (Markdown, front matter, icpgen.yaml,
 * Lua hooks).
 *
 * The policy allows http, https, mailto and tel addresses and
 * addresses without a scheme (site-relative, page-relative, "#frag",
 * "//host/path").  It decides after decoding HTML character references
 * and removing controls and white space, the way a browser (or a
 * careless reader of the source) would see the scheme, so
 * " JaVa\tScRiPt:" and "&#106;avascript:" are refused like
 * "javascript:".
 */
#ifndef UTIL_URL_H
#define UTIL_URL_H

#include <stdbool.h>
#include <stddef.h>

struct buf;

enum url_class {
	URL_REFUSED,		/* any other scheme: never published */
	URL_RELATIVE,		/* no scheme: the site's own address */
	URL_WEB,		/* http: or https: */
	URL_MAILTO,		/* mailto: */
	URL_TEL,		/* tel: */
};

/* What the policy makes of the n bytes at s. */
enum url_class	url_classify(const char *, size_t);
/* Whether the NUL-terminated s may be published as a link. */
bool		url_allowed(const char *);
/*
 * Whether an http or https address (url_classify's URL_WEB) has a host
 * a browser can reach: "//", a host not empty, at most one '@' before
 * it, brackets closed around an IPv6 address of hex digits, ':' and
 * '.', and a port of digits below 65536.
 */
bool		url_web_ok(const char *, size_t);
/* The text a refusal's hint gives, for messages. */
#define URL_POLICY_HINT	"use an http, https, mailto or tel address, " \
			"or a path in the site"

enum url_enc {
	URL_ENC_URL,		/* a whole URL: only bytes URLs forbid */
	URL_ENC_COMPONENT,	/* a query value: all but RFC 3986 unreserved */
};

/* The URL encoder: append s percent-encoded as mode says. */
void		url_encode(struct buf *, const char *, size_t, enum url_enc);

#endif
