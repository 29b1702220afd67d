/*
 * Growable buffer and escaping helpers.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "mem.h"
#include "text.h"
#include "url.h"
#include "utf8.h"

void
buf_init(struct buf *b)
{
	b->cap = 64;
	b->len = 0;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->data[0] = '\0';
}

/* Make room for n more bytes plus the terminating NUL. */
void
buf_grow(struct buf *b, size_t n)
{
	size_t	cap = b->cap;

	if (b->len + n + 1 <= cap)
		return;
	while (b->len + n + 1 > cap)
		cap = cap < 4096 ? cap * 2 + 64 : cap + cap / 2;
	b->data = xrealloc(b->data, cap);
	b->cap = cap;
}

void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

void
buf_put(struct buf *b, const char *s, size_t n)
{
	if (n == 0)
		return;
	buf_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(struct buf *b, const char *s)
{
	buf_put(b, s, strlen(s));
}

void
buf_putc(struct buf *b, int c)
{
	buf_grow(b, 1);
	b->data[b->len++] = (char)c;
	b->data[b->len] = '\0';
}

/*
 * Formatted into the room the buffer has; only when that is too little
 * is it grown and the text formatted again (at most once).
 */
void
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;
	size_t	room = b->cap - b->len;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, room, fmt, ap);
	va_end(ap);
	if (n <= 0) {
		b->data[b->len] = '\0';	/* an error may leave a part */
		return;
	}
	if ((size_t)n >= room) {
		buf_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

/* Append n in decimal, as "%ld" would, without the formatting. */
void
buf_put_long(struct buf *b, long n)
{
	char	d[24], *p;

	p = text_digits(d + sizeof(d), n < 0 ? 0ULL - (unsigned long long)n :
	    (unsigned long long)n, 10);
	if (n < 0)
		*--p = '-';
	buf_put(b, p, (size_t)(d + sizeof(d) - p));
}

/*
 * Hand the contents to the caller, who frees them with free(3); the
 * buffer is left empty and usable.
 */
char *
buf_detach(struct buf *b)
{
	char	*p = b->data;

	buf_init(b);
	return p;
}

/*
 * The HTML escaper.  Malformed UTF-8 and characters HTML does not
 * allow (NUL, controls, noncharacters) become U+FFFD.
 */
void
buf_put_html(struct buf *b, const char *s, size_t n)
{
	size_t		 i = 0, start = 0, len;
	uint32_t	 cp;
	const char	*rep;

	while (i < n) {
		/* Most text is ASCII that needs nothing: step over it. */
		while (i < n && (unsigned char)s[i] >= 0x20 &&
		    (unsigned char)s[i] < 0x7f && s[i] != '&' && s[i] != '<' &&
		    s[i] != '>' && s[i] != '"' && s[i] != '\'')
			i++;
		if (i == n)
			break;
		rep = NULL;
		len = utf8_decode(s + i, n - i, &cp);
		if (len == 0 || !utf8_is_html_char(cp))
			rep = UTF8_REPLACEMENT;
		else if (len == 1) {
			switch (s[i]) {
			case '&': rep = "&amp;"; break;
			case '<': rep = "&lt;"; break;
			case '>': rep = "&gt;"; break;
			case '"': rep = "&quot;"; break;
			case '\'': rep = "&#39;"; break;
			default: break;
			}
		}
		if (len == 0)
			len = 1;
		if (rep != NULL) {
			buf_put(b, s + start, i - start);
			buf_puts(b, rep);
			start = i + len;
		}
		i += len;
	}
	buf_put(b, s + start, n - start);
}

void
buf_puts_html(struct buf *b, const char *s)
{
	buf_put_html(b, s, strlen(s));
}

/*
 * The XML escaper.  Characters XML 1.0 forbids and noncharacters are
 * dropped; malformed UTF-8 becomes U+FFFD.
 */
void
buf_put_xml(struct buf *b, const char *s, size_t n)
{
	size_t		 i = 0, len;
	uint32_t	 cp;

	while (i < n) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			buf_puts(b, UTF8_REPLACEMENT);
			i++;
			continue;
		}
		if (!utf8_is_xml_char(cp)) {
			i += len;
			continue;
		}
		switch (s[i]) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&apos;"); break;
		default: buf_put(b, s + i, len); break;
		}
		i += len;
	}
}

void
buf_put_url(struct buf *b, const char *s, size_t n)
{
	url_encode(b, s, n, URL_ENC_URL);
}

void
buf_put_json(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t		 i = 0, len;
	uint32_t	 cp;
	unsigned char	 c;

	while (i < n) {
		c = (unsigned char)s[i];
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			buf_puts(b, UTF8_REPLACEMENT);
			i++;
			continue;
		}
		if (c == '"' || c == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, c);
		} else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c == '\r')
			buf_puts(b, "\\r");
		else if (c < 0x20 || c == 0x7f || c == '<' || c == '>' ||
		    c == '&' || c == '\'') {
			buf_puts(b, "\\u00");
			buf_putc(b, hex[c >> 4]);
			buf_putc(b, hex[c & 15]);
		} else if (cp == 0x2028 || cp == 0x2029)
			buf_puts(b, cp == 0x2028 ? "\\u2028" : "\\u2029");
		else
			buf_put(b, s + i, len);
		i += len;
	}
}

void
buf_put_csv(struct buf *b, const char *s, size_t n)
{
	size_t	i, start = 0;
	bool	quote = false;

	for (i = 0; i < n && !quote; i++)
		quote = s[i] == '"' || s[i] == ',' || s[i] == '\r' ||
		    s[i] == '\n';
	if (quote)
		buf_putc(b, '"');
	if (n > 0 && memchr("=+-@\t\r", s[0], 6) != NULL)
		buf_putc(b, '\'');
	for (i = 0; i < n; i++) {
		if (s[i] != '"')
			continue;
		utf8_put_valid(b, s + start, i + 1 - start);
		buf_putc(b, '"');	/* a quote is doubled */
		start = i + 1;
	}
	utf8_put_valid(b, s + start, n - start);
	if (quote)
		buf_putc(b, '"');
}

int
buf_save(const struct buf *b, const char *path)
{
	struct buf	 tmp;
	FILE		*f;
	bool		 ok;

	buf_init(&tmp);
	buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid());
	if ((f = fopen(tmp.data, "wxe")) == NULL) {
		buf_free(&tmp);
		return -1;
	}
	ok = fwrite(b->data, 1, b->len, f) == b->len;
	if (fclose(f) != 0)
		ok = false;
	if (!ok || rename(tmp.data, path) == -1) {
		(void)unlink(tmp.data);
		ok = false;
	}
	buf_free(&tmp);
	return ok ? 0 : -1;
}
