/*
 * The URL policy and the URL encoder.
 */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/entity.h"
#include "util/text.h"
#include "util/url.h"

static bool
isalpha_ascii(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Whether the k bytes at s have the syntax of a scheme (RFC 3986). */
static bool
is_scheme(const char *s, size_t k)
{
	size_t	i;

	if (k == 0 || !isalpha_ascii(s[0]))
		return false;
	for (i = 1; i < k; i++)
		if (!isalpha_ascii(s[i]) && !(s[i] >= '0' && s[i] <= '9') &&
		    s[i] != '+' && s[i] != '-' && s[i] != '.')
			return false;
	return true;
}

enum url_class
url_classify(const char *s, size_t n)
{
	struct buf	 dec, norm;
	enum url_class	 c = URL_RELATIVE;
	size_t		 i, k;
	unsigned char	 ch;

	buf_init(&dec);
	buf_init(&norm);
	entity_decode_all(&dec, s, n);
	for (i = 0; i < dec.len; i++) {
		ch = (unsigned char)dec.data[i];
		if (ch > 0x20 && ch != 0x7f)
			buf_putc(&norm, ch);	/* controls and spaces go */
	}
	/* A scheme is what comes before a ':' that precedes any / ? #. */
	k = strcspn(norm.data, ":/?#");
	if (norm.data[k] == ':') {
		c = URL_REFUSED;
		if (k == 4 && strncasecmp(norm.data, "http", 4) == 0)
			c = URL_WEB;
		else if (k == 5 && strncasecmp(norm.data, "https", 5) == 0)
			c = URL_WEB;
		else if (k == 6 && strncasecmp(norm.data, "mailto", 6) == 0)
			c = URL_MAILTO;
		else if (k == 3 && strncasecmp(norm.data, "tel", 3) == 0)
			c = URL_TEL;
		else if (!is_scheme(norm.data, k))
			c = URL_RELATIVE;	/* "1a:b" is a path */
	}
	/* The raw text must agree with what was decided. */
	if (c != URL_REFUSED && memchr(s, '\0', n) != NULL)
		c = URL_REFUSED;
	buf_free(&norm);
	buf_free(&dec);
	return c;
}

bool
url_allowed(const char *s)
{
	return url_classify(s, strlen(s)) != URL_REFUSED;
}

/*
 * Where the host of an absolute URL "scheme://host..." is in s: its
 * start, after any "user:password@", and its end in *end (the next '/',
 * '\\', '?' or '#'); 0 and 0 for any other URL.
 */
static size_t
authority(const char *s, size_t n, size_t *end)
{
	size_t	i, k, at;

	*end = 0;
	for (i = 0; i < n && s[i] != ':' && s[i] != '/' && s[i] != '?' &&
	    s[i] != '#'; i++)
		continue;
	if (i == 0 || i + 2 >= n || s[i] != ':' || s[i + 1] != '/' ||
	    s[i + 2] != '/')
		return 0;
	for (k = i + 3, at = i + 2; k < n && s[k] != '/' && s[k] != '?' &&
	    s[k] != '#' && s[k] != '\\'; k++)
		if (s[k] == '@')
			at = k;		/* user:password@ comes before the host */
	*end = k;
	return at + 1;
}

bool
url_web_ok(const char *s, size_t n)
{
	size_t	i, k, end, host = authority(s, n, &end);
	long	port = 0;

	if (host == 0 || host == end)
		return false;		/* "https:x", "https:///x" */
	for (i = k = 0; i < end; i++)	/* a scheme holds none */
		k += s[i] == '@';
	if (k > 1)
		return false;		/* an '@' in a password, unescaped */
	i = host;
	if (s[i] == '[') {		/* an IPv6 address */
		for (k = i + 1; k < end && s[k] != ']'; k++)
			if (!(s[k] == ':' || s[k] == '.' ||
			    text_hexval(s[k]) >= 0))
				return false;
		if (k == end)
			return false;	/* "[::1" */
		i = k + 1;
	} else
		while (i < end && s[i] != ':')
			i++;
	if (i == end)
		return true;
	if (s[i] != ':')
		return false;		/* "[::1]x" */
	for (k = i + 1; k < end; k++) {
		if (s[k] < '0' || s[k] > '9')
			return false;
		if ((port = port * 10 + (s[k] - '0')) > 65535)
			return false;
	}
	return true;
}

void
url_encode(struct buf *b, const char *s, size_t n, enum url_enc mode)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t		i, host = 0, host_end = 0;
	unsigned char	c;
	bool		keep, fragment = false;

	/*
	 * In a whole URL, '[' and ']' may only bracket an IPv6 host, a '%'
	 * must begin an escape and only the first '#' starts the fragment
	 * (the Nu HTML checker and RFC 3986): the others are escaped.
	 */
	if (mode == URL_ENC_URL)
		host = authority(s, n, &host_end);
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (mode == URL_ENC_COMPONENT)
			keep = (c >= 'a' && c <= 'z') ||
			    (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			    c == '-' || c == '.' || c == '_' || c == '~';
		else {
			keep = !(c <= 0x20 || c >= 0x7f || c == '"' ||
			    c == '<' || c == '>' || c == '\\' || c == '^' ||
			    c == '`' || c == '{' || c == '|' || c == '}');
			if ((c == '[' || c == ']') && (i < host ||
			    i >= host_end))
				keep = false;
			else if (c == '%' && (i + 2 >= n ||
			    text_hexval(s[i + 1]) < 0 ||
			    text_hexval(s[i + 2]) < 0))
				keep = false;
			else if (c == '#' && fragment)
				keep = false;
			if (c == '#')
				fragment = true;
		}
		if (keep)
			buf_putc(b, c);
		else {
			buf_putc(b, '%');
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		}
	}
}
