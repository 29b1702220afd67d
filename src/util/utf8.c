/*
 * UTF-8 decoding and encoding (RFC 3629) and the character classes of
 * the output formats.
 */
#include <string.h>

#include "util/buf.h"
#include "util/utf8.h"

size_t
utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t		 len, i;
	uint32_t	 c, min;

	*cp = 0xfffd;
	if (n == 0)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	} else if (u[0] >= 0xc2 && u[0] <= 0xdf) {
		len = 2, min = 0x80, c = u[0] & 0x1f;
	} else if (u[0] >= 0xe0 && u[0] <= 0xef) {
		len = 3, min = 0x800, c = u[0] & 0x0f;
	} else if (u[0] >= 0xf0 && u[0] <= 0xf4) {
		len = 4, min = 0x10000, c = u[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t
utf8_encode(uint32_t cp, char *u)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		u[0] = (char)cp;
		return 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	u[0] = (char)(0xf0 | (cp >> 18));
	u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	u[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

bool
utf8_is_nonchar(uint32_t cp)
{
	return (cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) == 0xfffe;
}

bool
utf8_is_html_char(uint32_t cp)
{
	if (cp == 0 || cp > 0x10ffff)
		return false;
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\f' || cp == '\r';
	if (cp >= 0x7f && cp <= 0x9f)
		return false;
	if (cp >= 0xd800 && cp <= 0xdfff)
		return false;
	return !utf8_is_nonchar(cp);
}

bool
utf8_is_xml_char(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return false;
	return !utf8_is_nonchar(cp);
}

void
utf8_put_valid(struct buf *b, const char *s, size_t n)
{
	size_t		 i = 0, start = 0, len;
	uint32_t	 cp;

	while (i < n) {
		if ((len = utf8_decode(s + i, n - i, &cp)) > 0) {
			i += len;
			continue;
		}
		buf_put(b, s + start, i - start);
		buf_puts(b, UTF8_REPLACEMENT);
		start = ++i;
	}
	buf_put(b, s + start, n - start);
}

bool
utf8_valid(const char *s, size_t n)
{
	size_t		 i = 0, len;
	uint32_t	 cp;

	while (i < n) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0)
			return false;
		i += len;
	}
	return true;
}

size_t
utf8_cut(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return n;
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return max;
}
