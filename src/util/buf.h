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
char	*buf_detach(struct buf *);

/* Append with HTML escaping of & < > " ' (safe in text and attributes). */
void	 buf_put_html(struct buf *, const char *, size_t);
void	 buf_puts_html(struct buf *, const char *);
/* Append with XML escaping, dropping characters XML 1.0 forbids. */
void	 buf_put_xml(struct buf *, const char *, size_t);
/* Append a URL, percent-encoding bytes that are not allowed in URLs. */
void	 buf_put_url(struct buf *, const char *, size_t);

#endif
