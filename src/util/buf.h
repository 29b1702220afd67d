/*
 * A growable byte buffer.
 *
 * Invariants: after buf_init() and until buf_free(), data is never NULL
 * and data[len] == '\0', so the contents can always be used as a C
 * string (if they hold no NUL of their own).  Growth failure is fatal.
 */
#ifndef UTIL_BUF_H
#define UTIL_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_grow(struct buf *, size_t);
void	 buf_truncate(struct buf *, size_t);
void	 buf_put(struct buf *, const char *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_put_long(struct buf *, long);
char	*buf_detach(struct buf *);
/*
 * Write the bytes to path whole: to a new file beside it, then renamed
 * over it, so that a reader sees the old file or the new one.  0, or -1
 * with path as it was.
 */
int	 buf_save(const struct buf *, const char *);

/*
 * Append with HTML escaping of & < > " ' (safe in text and attributes);
 * malformed UTF-8, NUL, controls and noncharacters become U+FFFD.  The
 * one HTML escaper: every writer of HTML uses it.
 */
void	 buf_put_html(struct buf *, const char *, size_t);
void	 buf_puts_html(struct buf *, const char *);
/*
 * Append with XML escaping, dropping characters XML 1.0 forbids and
 * noncharacters (U+FFFE, U+FFFF ...); malformed UTF-8 becomes U+FFFD.
 */
void	 buf_put_xml(struct buf *, const char *, size_t);
/*
 * Append the inside of a JSON string (no quotes): always valid UTF-8
 * (malformed sequences become U+FFFD), controls escaped, and < > & '
 * U+2028 U+2029 escaped so the JSON is safe inside HTML and old
 * JavaScript.  The one JSON string escaper.
 */
void	 buf_put_json(struct buf *, const char *, size_t);
/*
 * Append one CSV field (RFC 4180) of text: valid UTF-8, quoted when it
 * holds a quote, comma, CR or LF, and prefixed with ' when it starts
 * with = + - @ tab or CR, so that a spreadsheet never reads it as a
 * formula.  Numbers written as numbers do not come through here.
 */
void	 buf_put_csv(struct buf *, const char *, size_t);
/* Append a whole URL percent-encoded: url_encode(..., URL_ENC_URL). */
void	 buf_put_url(struct buf *, const char *, size_t);

#endif
