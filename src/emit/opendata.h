/*
 * Open data: the public record as JSON (shaped after Open Civic Data
 * events and Popolo people, organisations and memberships, with our
 * own extensions where they have no field) and as CSV, one file per
 * kind of record, under /data/ in the site.  This is the only file
 * that includes jansson.
 */
#ifndef EMIT_OPENDATA_H
#define EMIT_OPENDATA_H

struct diags;
struct out;
struct site;

/*
 * Write every data file into the output (out NULL: build them only).
 * Returns 0, or -1 after reporting an error.
 */
int	opendata_write(const struct site *, struct out *, struct diags *);
/*
 * Add the page at /data/ documenting every file and field of the open
 * data (the text of docs/open-data.md, built in).  Call in the model
 * stage, after linking, so that the page is rendered with the rest.
 */
void	opendata_page(struct site *);

#endif
