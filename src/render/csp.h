/*
 * Content-Security-Policy: every HTML page icpgen writes carries a
 * policy in a <meta> element, so that nothing runs script in a
 * reader's browser unless the site's maintainer put it in static/ or a
 * template.
 *
 * The default policy allows the site's own files only: no inline
 * script (an inline <script> in a template is allowed by its SHA-256
 * hash, computed per page), no plugins (object-src 'none'), no <base>
 * (base-uri 'none'), forms posting to the site only.  A site adds
 * sources in icpgen.yaml:
 *
 *	content_security_policy:
 *	  img-src: ["https://images.example.org"]
 *	  frame-src: ["https://www.youtube-nocookie.com"]
 */
#ifndef RENDER_CSP_H
#define RENDER_CSP_H

#include <stddef.h>

struct arena;
struct buf;
struct diags;
struct val;

/*
 * The policy for a site's configuration (its content_security_policy
 * map, if any), allocated in a.  Reports sources that are not allowed
 * (unsafe-inline or unsafe-eval for scripts, separators, quotes) at
 * their place in icpgen.yaml and leaves them out.
 */
const char	*csp_policy(const struct val *, struct arena *, struct diags *);

/*
 * Put the policy into the HTML page in html: a <meta> element right
 * after the opening <head> tag (at the start if there is none), with
 * the hash of each inline script added to script-src.
 */
void		 csp_apply(struct buf *, const char *);

/* SHA-256 of data (len bytes) in base64, into out (45 bytes). */
void		 csp_sha256_b64(const void *, size_t, char out[45]);

#endif
