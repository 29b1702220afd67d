/*
 * The search index.
 */
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/val.h"
#include "model/kind.h"
#include "model/site.h"
#include "emit/out.h"
#include "render/search.h"

#define SUMMARY_MAX	160	/* bytes of summary per page */

/* A JSON string; control characters and non-ASCII kept safe. */
static void
json_str(struct buf *b, const char *s, size_t max)
{
	size_t	i, n = strlen(s);
	unsigned char c;

	if (n > max) {	/* cut at a character boundary, on a space */
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
		while (n > max / 2 && s[n - 1] != ' ')
			n--;
	}
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			buf_putc(b, ' ');
		else if (c < 0x20)
			continue;
		else if (c == '<')	/* never "</script>" in any context */
			buf_puts(b, "\\u003c");
		else
			buf_putc(b, c);
	}
	if (n < strlen(s))
		buf_puts(b, "\xe2\x80\xa6");	/* an ellipsis */
	buf_putc(b, '"');
}

/* The words that best describe a page in a result. */
static const char *
summary(const struct page *p)
{
	static const char *const keys[] = { "description", "summary",
	    "question", "definition", "role", NULL };
	const char	*s;
	size_t		 i;

	for (i = 0; keys[i] != NULL; i++)
		if ((s = val_get_str(p->data, keys[i])) != NULL)
			return s;
	return NULL;
}

void
search_index(const struct site *s, struct buf *b)
{
	const struct page *p;
	const char	*sum, *date;
	size_t		 i, n = 0;

	buf_puts(b, "{\"version\":1,\"pages\":[\n");
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (!kind_get(p->kind)->search || !site_public(p))
			continue;	/* listings are reached by browsing */
		buf_puts(b, n++ ? ",\n{" : "{");
		buf_puts(b, "\"t\":");
		json_str(b, p->title != NULL ? p->title : p->id, 300);
		buf_puts(b, ",\"u\":");
		json_str(b, p->url, 500);
		buf_puts(b, ",\"k\":");
		json_str(b, site_kind_name(p->kind), 20);
		if ((date = val_get_str(p->data, "date")) != NULL ||
		    (date = val_get_str(p->data, "received")) != NULL) {
			buf_puts(b, ",\"d\":");
			json_str(b, date, 10);
		}
		if (val_path(p->data, "committee.title") != NULL) {
			buf_puts(b, ",\"c\":");
			json_str(b, val_path(p->data, "committee.title")->str,
			    120);
		}
		if ((sum = summary(p)) != NULL) {
			buf_puts(b, ",\"s\":");
			json_str(b, sum, SUMMARY_MAX);
		}
		buf_putc(b, '}');
	}
	buf_puts(b, "\n]}\n");
}

int
search_write(const struct site *s, struct out *o, struct diags *d,
    size_t *size)
{
	struct buf	b;
	int		rc = 0;

	buf_init(&b);
	search_index(s, &b);
	*size = b.len;
	if (o != NULL)
		rc = out_write(o, "search-index.json", b.data, b.len, d);
	buf_free(&b);
	return rc;
}
