/*
 * Open data: the public record as JSON (shaped after Open Civic Data
 * events and Popolo people, organisations and memberships, with our
 * own extensions where they have no field) and as CSV, one file per
 * kind of record, under /data/ in the site.  This is the only file
 * that includes jansson.
 */
#ifndef EMIT_OPENDATA_H
#define EMIT_OPENDATA_H

#include <stdbool.h>

struct diags;
struct out;
struct page;
struct sha256;
struct site;

/*
 * The meeting records kept from the last build (odmemo.h): the cache
 * file, and how to feed a digest of what a page is (its facts and its
 * data, as page keys see them; false when that cannot be told).
 */
struct opendata_memo {
	const char	*file;		/* or NULL: none */
	bool		(*digest)(void *, const struct page *,
			    struct sha256 *);
	void		*arg;
};

/*
 * Write every data file into the output (out NULL: build them only),
 * with memo (or NULL) to copy the records of meetings unchanged since
 * the last build.  Returns 0, or -1 after reporting an error.
 */
int	opendata_write(const struct site *, struct out *, struct diags *,
	    const struct opendata_memo *);
/*
 * Add the page at /data/ documenting every file and field of the open
 * data (the text of docs/open-data.md, built in).  Call in the model
 * stage, after linking, so that the page is rendered with the rest.
 */
void	opendata_page(struct site *);

#endif
