/*
 * Subscriptions and site files: iCalendar feeds of meetings (RFC 5545),
 * Atom feeds of news, papers, decisions and committees (RFC 4287),
 * sitemap.xml and robots.txt.  Written after the pages, from the linked
 * site model.
 */
#ifndef EMIT_FEEDS_H
#define EMIT_FEEDS_H

struct diags;
struct out;
struct site;

/*
 * Write every feed into the output (out NULL: build them and check
 * them only).  Returns 0, or -1 after reporting an error.
 */
int	feeds_write(const struct site *, struct out *, struct diags *);

/* The same in parts that can be written side by side. */
enum feeds_part {
	FEEDS_CALENDARS,	/* meetings.ics, each committee's */
	FEEDS_ATOM,		/* the Atom feeds */
	FEEDS_SITE,		/* sitemap.xml, robots.txt */
	FEEDS__MAX
};
int	feeds_write_part(const struct site *, struct out *, struct diags *,
	    enum feeds_part);

#endif
