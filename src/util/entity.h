/*
 * HTML character references (&amp;, &#106;, &#x6a;): the one decoder,
 * used by the Markdown stage and by the URL policy.
 */
#ifndef UTIL_ENTITY_H
#define UTIL_ENTITY_H

#include <stddef.h>

struct buf;

/*
 * Decode the one reference s (n bytes, from '&' to ';' inclusive) as
 * UTF-8 into u (room for 4 bytes).  Returns the length, or 0 for a
 * name that is not known or a malformed reference.  A code point HTML
 * does not allow (NUL, a surrogate, a control) gives U+FFFD.
 */
size_t	entity_decode(const char *, size_t, char *);
/*
 * Append s with every reference decoded, terminated by ';' or not (as
 * browsers read "&#106avascript"); anything not a reference is copied.
 */
void	entity_decode_all(struct buf *, const char *, size_t);

#endif
