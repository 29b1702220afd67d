/*
 * UTF-8: the one decoder and encoder, the character classes output
 * formats allow, and writers that keep a buffer valid UTF-8.
 *
 * Every function takes (pointer, size); NUL is an ordinary (and
 * usually forbidden) character, never an end mark.
 */
#ifndef UTIL_UTF8_H
#define UTIL_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

#define UTF8_REPLACEMENT	"\xef\xbf\xbd"	/* U+FFFD */

/*
 * Decode the sequence at s (at most n bytes, n > 0) into *cp.  Returns
 * its length, 1 to 4, or 0 when it is malformed, truncated, overlong,
 * a surrogate or above U+10FFFF (then *cp is U+FFFD).
 */
size_t	utf8_decode(const char *, size_t, uint32_t *);
/*
 * Encode cp into u (room for 4 bytes).  Returns the length; a code
 * point that cannot be encoded gives U+FFFD.
 */
size_t	utf8_encode(uint32_t, char *);

/* A noncharacter: U+FDD0..U+FDEF, or U+xxFFFE and U+xxFFFF. */
bool	utf8_is_nonchar(uint32_t);
/*
 * Allowed in an HTML document: no NUL, C0 controls other than tab,
 * LF, FF and CR, C1 controls, surrogates or noncharacters.
 */
bool	utf8_is_html_char(uint32_t);
/*
 * Allowed in XML 1.0 (the Char production) and not a noncharacter:
 * tab, LF, CR, and U+0020 up, less surrogates, U+FFFE and U+FFFF.
 */
bool	utf8_is_xml_char(uint32_t);

/*
 * Append s with each malformed sequence replaced by U+FFFD, so that
 * b gains only valid UTF-8 (NUL included: callers that must not
 * write NUL use the HTML or XML escapers).
 */
void	utf8_put_valid(struct buf *, const char *, size_t);
/* Whether all n bytes at s are valid UTF-8. */
bool	utf8_valid(const char *, size_t);
/*
 * The largest length <= max at which s (n bytes) can be cut without
 * splitting a character.
 */
size_t	utf8_cut(const char *, size_t, size_t);

#endif
