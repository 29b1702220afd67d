/*
 * Subscriptions and site files, written after the pages:
 *
 *	meetings.ics			every meeting (RFC 5545)
 *	committees/ID/meetings.ics	one committee's meetings
 *	news.xml			news posts (Atom, RFC 4287)
 *	papers.xml			meeting papers, newest first
 *	forward-plan.xml		forward plan items, latest change first
 *	(one Atom feed per kind with a feed in the kind table)
 *	decisions.xml			decisions in public minutes, newest first
 *	committees/ID/feed.xml		one committee's meetings, papers
 *					and minutes
 *	sitemap.xml			pages with an address (sitemaps.org)
 *	robots.txt			allow all, name the sitemap
 *
 * Output depends only on the site model, never on the clock: the same
 * input gives the same bytes.  Times come from the git history of each
 * page (p->data "history") when there is one, and otherwise from the
 * page's own date, capped at the build date, at midnight UTC.
 *
 * Calendar decisions:
 *
 *  - A meeting with a start time runs from it, in Europe/London local
 *    time, to its end time; with no end time (or an end not after the
 *    start) it has no DTEND, so it ends as it starts (RFC 5545 3.6.1):
 *    no length is made up.  A meeting with no start time is an all-day
 *    event (VALUE=DATE, one day).
 *  - Cancelled meetings are STATUS:CANCELLED with "(cancelled)" in the
 *    summary.  Postponed meetings are CANCELLED too: the event at that
 *    date and time will not take place (TENTATIVE would invite people
 *    to come); the summary says "(postponed)" and the description gives
 *    the new date.  Other meetings are CONFIRMED.
 *  - DTSTAMP and LAST-MODIFIED are history.last_updated, CREATED is
 *    history.first_published and SEQUENCE is history.revisions - 1.
 *    Without history DTSTAMP is the build date at midnight UTC, the
 *    others are left out and SEQUENCE is 0.
 *  - ORGANIZER is the site's contact email.  iTIP (RFC 5546) requires
 *    one in a METHOD:PUBLISH calendar, so a site with no contact email
 *    gets calendars without METHOD (plain RFC 5545 is content with
 *    that) rather than an invented address.
 *
 * Atom entries: published is history.first_published (news: the post's
 * date, with the history's time when both fall on the same day);
 * updated is history.last_updated, never before published.  Each feed
 * holds the 50 newest entries.
 *
 * A decision's entry links to the decision's own page; its times are
 * those of the minutes that record it (a decision is published with
 * them), and its summary says whether those minutes are draft or
 * approved.  Only decision pages of public meetings and minutes are
 * entries.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "model/kind.h"
#include "model/site.h"
#include "emit/out.h"
#include "emit/feeds.h"

#ifndef ICPGEN_VERSION
#define ICPGEN_VERSION	"unknown"
#endif

#define FEED_MAX	50	/* entries per Atom feed */
#define SITEMAP_MAX	50000	/* URLs per sitemap file */
#define STAMP_LEN	20	/* "2026-03-01T00:00:00Z" */

/*
 * One Atom entry: a page and its two times (RFC 3339, UTC), taken from
 * the page "when" (p itself when NULL); order breaks ties last.
 */
struct entry {
	const struct page	*p;
	const struct page	*when;
	size_t			 order;
	char			 published[STAMP_LEN + 1];
	char			 updated[STAMP_LEN + 1];
};

/* --- times ------------------------------------------------------------ */

/* Whether s is exactly "YYYY-MM-DDTHH:MM:SSZ" with a real date. */
static bool
stamp_ok(const char *s)
{
	static const char	 form[] = "dddd-dd-ddTdd:dd:ddZ";
	struct date		 dt;
	char			 day[11];
	size_t			 i;

	if (s == NULL || strlen(s) != STAMP_LEN)
		return false;
	for (i = 0; i < STAMP_LEN; i++)
		if (form[i] == 'd' ? (s[i] < '0' || s[i] > '9') :
		    s[i] != form[i])
			return false;
	memcpy(day, s, 10);
	day[10] = '\0';
	return text_parse_date(day, &dt) && strncmp(s + 11, "24", 2) < 0 &&
	    strncmp(s + 14, "60", 2) < 0 && strncmp(s + 17, "61", 2) < 0;
}

/* A time from the page's git history ("first_published"), or NULL. */
static const char *
history(const struct page *p, const char *key)
{
	const char	*v = val_get_str(val_get(p->data, "history"), key);

	return stamp_ok(v) ? v : NULL;
}

/* Revisions in the page's history, or 0 when unknown. */
static long
revisions(const struct page *p)
{
	const struct val *v = val_get(val_get(p->data, "history"),
	    "revisions");

	if (v == NULL)
		return 0;
	if (v->kind == VAL_NUM && v->num >= 1 && v->num < 1e9)
		return (long)v->num;
	if (v->kind == VAL_STR)
		return strtol(v->str, NULL, 10) > 0 ?
		    strtol(v->str, NULL, 10) : 0;
	return 0;
}

static void
stamp_day(char *out, const struct date *d)
{
	struct buf	b;

	buf_init(&b);
	buf_printf(&b, "%04d-%02d-%02dT00:00:00Z", d->year, d->month,
	    d->day);
	memcpy(out, b.data, STAMP_LEN);
	out[STAMP_LEN] = '\0';
	buf_free(&b);
}

/* The date a page is about: its own, or its meeting's for a paper. */
static const struct date *
page_date(const struct page *p)
{
	if (p->has_date)
		return &p->date;
	if (p->parent != NULL && p->parent->has_date)
		return &p->parent->date;
	return NULL;
}

/*
 * When a page was published, when there is no history: its date, but
 * never after the build date (a meeting is announced before it is
 * held), at midnight UTC.
 */
static void
fallback(char *out, const struct site *s, const struct page *p)
{
	const struct date *d = page_date(p);

	if (d == NULL || text_days(d) > text_days(&s->today))
		d = &s->today;
	stamp_day(out, d);
}

/* Fill in an entry's times. */
static void
entry_times(struct entry *e, const struct site *s)
{
	const struct page *w = e->when != NULL ? e->when : e->p;
	const char	*first = history(w, "first_published");
	const char	*last = history(w, "last_updated");

	if (e->p->kind == PAGE_NEWS && e->p->has_date) {
		/* Editorial date; the commit's time if on the same day. */
		stamp_day(e->published, &e->p->date);
		if (first != NULL && strncmp(first, e->published, 10) == 0)
			memcpy(e->published, first, STAMP_LEN + 1);
	} else if (first != NULL)
		memcpy(e->published, first, STAMP_LEN + 1);
	else
		fallback(e->published, s, w);
	if (last != NULL && strcmp(last, e->published) > 0)
		memcpy(e->updated, last, STAMP_LEN + 1);
	else
		memcpy(e->updated, e->published, STAMP_LEN + 1);
}

/*
 * Newest first; ties by the page's date (a later meeting first), then
 * by the entry's order, then by URL so the order never depends on the
 * input's.
 */
static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	const struct page *wx = x->when != NULL ? x->when : x->p;
	const struct page *wy = y->when != NULL ? y->when : y->p;
	long	dx, dy;
	int	c;

	if ((c = strcmp(y->published, x->published)) != 0)
		return c;
	if ((c = strcmp(y->updated, x->updated)) != 0)
		return c;
	dx = page_date(wx) != NULL ? text_days(page_date(wx)) : 0;
	dy = page_date(wy) != NULL ? text_days(page_date(wy)) : 0;
	if (dx != dy)
		return dx > dy ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return strcmp(x->p->url, y->p->url);
}

/* --- helpers ---------------------------------------------------------- */

static const char *
site_name(const struct site *s)
{
	const char	*n = val_get_str(s->config, "name");

	return n != NULL ? n : "";
}

/* Absolute URL of a site path ("news.xml", or a page URL with base). */
static void
abs_url(struct buf *b, const struct site *s, const char *url)
{
	buf_puts(b, s->origin);
	buf_put_url(b, url, strlen(url));
}

/* The host of base_url, for calendar UIDs. */
static void
host(struct buf *b, const struct site *s)
{
	const char	*p = strstr(s->origin, "://");
	size_t		 n;

	p = p != NULL ? p + 3 : s->origin;
	n = strcspn(p, ":/");
	buf_put(b, p, n);
	if (n == 0)
		buf_puts(b, "icpgen.invalid");
}

/* A page's title (pages made by hooks may have none). */
static const char *
title_of(const struct page *p)
{
	return p->title != NULL ? p->title : p->id;
}

/* The committee id of a meeting or paper, or NULL. */
static const char *
committee_of(const struct page *p)
{
	return val_get_str(val_get(p->data, "committee"), "id");
}

static const char *
status_of(const struct page *p)
{
	const char	*st = val_get_str(p->data, "status");

	return st != NULL ? st : "scheduled";
}

/* Meetings by date, then start time, then id. */
static int
meeting_cmp(const void *a, const void *b)
{
	const struct page *p = *(const struct page *const *)a;
	const struct page *q = *(const struct page *const *)b;
	long	x = text_days(&p->date), y = text_days(&q->date);
	int	sx, sy;

	if (x != y)
		return x < y ? -1 : 1;
	sx = text_parse_time(val_get_str(p->data, "start") ?
	    val_get_str(p->data, "start") : "");
	sy = text_parse_time(val_get_str(q->data, "start") ?
	    val_get_str(q->data, "start") : "");
	if (sx != sy)
		return sx < sy ? -1 : 1;
	return strcmp(p->id, q->id);
}

/* Dated meetings (of one committee, or all when cid is NULL), sorted. */
static const struct page **
meetings(const struct site *s, const char *cid, size_t *n)
{
	const struct page	**v;
	const char		 *c;
	size_t			  i;

	v = xcalloc(s->npages + 1, sizeof(*v));
	for (*n = 0, i = 0; i < s->npages; i++) {
		if (s->pages[i]->kind != PAGE_MEETING ||
		    !s->pages[i]->has_date || !site_public(s->pages[i]))
			continue;
		c = committee_of(s->pages[i]);
		if (cid == NULL || (c != NULL && strcmp(c, cid) == 0))
			v[(*n)++] = s->pages[i];
	}
	qsort(v, *n, sizeof(*v), meeting_cmp);
	return v;
}

/*
 * The facts of a meeting in words, one per line: what happened to it,
 * how to attend.  Shared by the calendar and the Atom feeds.
 */
static void
meeting_words(struct buf *b, const struct page *p)
{
	const char	*st = status_of(p);
	const char	*why = val_get_str(p->data, "status_reason");
	const char	*nd = val_get_str(p->data, "new_date");
	const char	*v;
	struct date	 d;

	if (strcmp(st, "cancelled") == 0) {
		buf_puts(b, "This meeting is cancelled");
		if (why != NULL)
			buf_printf(b, ": %s", why);
		buf_putc(b, '\n');
	} else if (strcmp(st, "postponed") == 0) {
		buf_puts(b, "This meeting is postponed");
		if (nd != NULL && text_parse_date(nd, &d)) {
			buf_puts(b, " to ");
			text_fmt_date(b, &d, true);
		}
		if (why != NULL)
			buf_printf(b, ": %s", why);
		buf_putc(b, '\n');
	} else if (strcmp(st, "held") == 0)
		buf_puts(b, "This meeting has been held\n");
	if ((v = val_get_str(p->data, "venue")) != NULL)
		buf_printf(b, "Venue: %s\n", v);
	if ((v = val_get_str(p->data, "access")) != NULL)
		buf_printf(b, "Access: %s\n", v);
	if ((v = val_get_str(p->data, "online")) != NULL)
		buf_printf(b, "Watch online: %s\n", v);
	if ((v = val_get_str(p->data, "recording")) != NULL)
		buf_printf(b, "Recording: %s\n", v);
}

/* Write (or, in check mode, drop) one file. */
static int
emit(struct out *o, const char *path, const struct buf *b,
    struct diags *d)
{
	if (o == NULL)
		return 0;
	return out_write(o, path, b->data, b->len, d);
}

/* --- iCalendar -------------------------------------------------------- */

/*
 * Append a content line folded at 75 octets (RFC 5545 3.1): each
 * continuation starts with a space; a UTF-8 character is never split.
 */
static void
ical_fold(struct buf *o, const char *s, size_t n)
{
	size_t	take, max = 75;

	do {
		take = n <= max ? n : max;
		if (take < n) {
			while (take > 0 &&
			    ((unsigned char)s[take] & 0xC0) == 0x80)
				take--;
			if (take == 0)		/* not UTF-8: split anyway */
				take = max;
		}
		if (max == 74)
			buf_putc(o, ' ');
		buf_put(o, s, take);
		buf_puts(o, "\r\n");
		s += take;
		n -= take;
		max = 74;
	} while (n > 0);
}

/* Append TEXT escaped (RFC 5545 3.3.11); other control bytes dropped. */
static void
ical_text(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '\\': buf_puts(b, "\\\\"); break;
		case ';': buf_puts(b, "\\;"); break;
		case ',': buf_puts(b, "\\,"); break;
		case '\n': buf_puts(b, "\\n"); break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				buf_putc(b, *s);
			else if (*s == '\t')
				buf_putc(b, ' ');
			break;
		}
}

/* Append a property whose value is TEXT. */
static void
prop_text(struct buf *o, struct buf *l, const char *name, const char *v)
{
	buf_reset(l);
	buf_printf(l, "%s:", name);
	ical_text(l, v);
	ical_fold(o, l->data, l->len);
}

/* Append a property whose value is written as it is (dates, URIs). */
static void
prop(struct buf *o, struct buf *l, const char *name, const char *v)
{
	buf_reset(l);
	buf_printf(l, "%s:%s", name, v);
	ical_fold(o, l->data, l->len);
}

/* "2026-03-01T10:00:00Z" as "20260301T100000Z". */
static void
ical_stamp(struct buf *b, const char *iso)
{
	buf_put(b, iso, 4);
	buf_put(b, iso + 5, 2);
	buf_put(b, iso + 8, 2);
	buf_putc(b, 'T');
	buf_put(b, iso + 11, 2);
	buf_put(b, iso + 14, 2);
	buf_put(b, iso + 17, 2);
	buf_putc(b, 'Z');
}

/* The UK's clock rules since 1996, for TZID=Europe/London. */
static const char vtimezone[] =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:BST\r\n"
    "DTSTART:19700329T010000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0000\r\n"
    "TZNAME:GMT\r\n"
    "DTSTART:19701025T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

/* Append a local date and time, minutes may pass midnight. */
static void
local_time(struct buf *b, const struct date *d, int mins)
{
	struct date	dt;

	text_date_from_days(text_days(d) + mins / (24 * 60), &dt);
	mins %= 24 * 60;
	buf_printf(b, "%04d%02d%02dT%02d%02d00", dt.year, dt.month, dt.day,
	    mins / 60, mins % 60);
}

/* One VEVENT for a meeting; org is an ORGANIZER line or "". */
static void
vevent(struct buf *o, struct buf *l, const struct site *s,
    const struct page *p, const char *org)
{
	const char	*st = status_of(p), *first, *last, *v;
	const char	*t = val_get_str(p->data, "title");
	int		 start, end;
	struct buf	 x;
	struct date	 next;
	long		 rev = revisions(p);

	buf_init(&x);
	buf_puts(o, "BEGIN:VEVENT\r\n");
	buf_printf(&x, "meeting-%s@", p->id);
	host(&x, s);
	prop(o, l, "UID", x.data);

	buf_reset(&x);
	first = history(p, "first_published");
	last = history(p, "last_updated");
	if (last != NULL)
		ical_stamp(&x, last);
	else
		buf_printf(&x, "%04d%02d%02dT000000Z", s->today.year,
		    s->today.month, s->today.day);
	prop(o, l, "DTSTAMP", x.data);
	if (first != NULL) {
		buf_reset(&x);
		ical_stamp(&x, first);
		prop(o, l, "CREATED", x.data);
	}
	if (last != NULL) {
		buf_reset(&x);
		ical_stamp(&x, last);
		prop(o, l, "LAST-MODIFIED", x.data);
	}

	site_meeting_times(p, &start, &end);
	buf_reset(&x);
	if (start < 0) {
		buf_printf(&x, "%04d%02d%02d", p->date.year, p->date.month,
		    p->date.day);
		prop(o, l, "DTSTART;VALUE=DATE", x.data);
		text_date_from_days(text_days(&p->date) + 1, &next);
		buf_reset(&x);
		buf_printf(&x, "%04d%02d%02d", next.year, next.month,
		    next.day);
		prop(o, l, "DTEND;VALUE=DATE", x.data);
	} else {
		/* With no end given, none is made up: the event ends as it
		 * starts (RFC 5545, 3.6.1). */
		local_time(&x, &p->date, start);
		prop(o, l, "DTSTART;TZID=Europe/London", x.data);
		if (end >= 0) {
			buf_reset(&x);
			local_time(&x, &p->date, end);
			prop(o, l, "DTEND;TZID=Europe/London", x.data);
		}
	}

	buf_reset(&x);
	if (t != NULL && (t = strcmp(t, val_get_str(val_get(p->data,
	    "committee"), "title") ? val_get_str(val_get(p->data,
	    "committee"), "title") : "") == 0 ? NULL : t) != NULL)
		buf_puts(&x, t);	/* its own title, not the committee's */
	else
		buf_printf(&x, "%s meeting", title_of(p));
	if (strcmp(st, "cancelled") == 0 || strcmp(st, "postponed") == 0)
		buf_printf(&x, " (%s)", st);
	prop_text(o, l, "SUMMARY", x.data);
	if ((v = val_get_str(p->data, "venue")) != NULL)
		prop_text(o, l, "LOCATION", v);
	else if (val_get_str(p->data, "online") != NULL)
		prop_text(o, l, "LOCATION", "Online");

	buf_reset(&x);
	meeting_words(&x, p);
	buf_puts(&x, "Agenda, papers and how to take part: ");
	abs_url(&x, s, p->url);
	prop_text(o, l, "DESCRIPTION", x.data);
	buf_reset(&x);
	abs_url(&x, s, p->url);
	prop(o, l, "URL", x.data);
	prop(o, l, "STATUS", strcmp(st, "cancelled") == 0 ||
	    strcmp(st, "postponed") == 0 ? "CANCELLED" : "CONFIRMED");
	buf_reset(&x);
	buf_printf(&x, "%ld", rev > 0 ? rev - 1 : 0);
	prop(o, l, "SEQUENCE", x.data);
	if (*org != '\0')
		ical_fold(o, org, strlen(org));
	buf_puts(o, "END:VEVENT\r\n");
	buf_free(&x);
}

/* A whole calendar of meetings (cid NULL: every committee's). */
static void
calendar(struct buf *o, const struct site *s, const char *cid,
    const char *name)
{
	const struct page	**v;
	const char		 *email, *c;
	struct buf		  l, x, org;
	size_t			  i, n;

	buf_init(&l);
	buf_init(&x);
	buf_init(&org);
	email = val_get_str(val_get(s->config, "contact"), "email");
	if (email != NULL && strchr(email, ':') == NULL) {
		/* Parameter values may not hold a double quote. */
		buf_puts(&org, "ORGANIZER;CN=\"");
		for (c = site_name(s); *c != '\0'; c++)
			if ((unsigned char)*c >= 0x20 && *c != '"' &&
			    *c != 0x7f)
				buf_putc(&org, *c);
		buf_puts(&org, "\":mailto:");
		buf_put_url(&org, email, strlen(email));
	}
	buf_puts(o, "BEGIN:VCALENDAR\r\n");
	prop(o, &l, "PRODID", "-//icpgen//icpgen " ICPGEN_VERSION "//EN");
	prop(o, &l, "VERSION", "2.0");
	prop(o, &l, "CALSCALE", "GREGORIAN");
	if (org.len > 0)	/* iTIP: a PUBLISH needs an ORGANIZER */
		prop(o, &l, "METHOD", "PUBLISH");
	buf_printf(&x, "%s meetings", name);
	prop_text(o, &l, "X-WR-CALNAME", x.data);
	prop(o, &l, "X-WR-TIMEZONE", "Europe/London");
	buf_puts(o, vtimezone);
	v = meetings(s, cid, &n);
	for (i = 0; i < n; i++)
		vevent(o, &l, s, v[i], org.data);
	buf_puts(o, "END:VCALENDAR\r\n");
	free(v);
	buf_free(&l);
	buf_free(&x);
	buf_free(&org);
}

/* --- Atom ------------------------------------------------------------- */

static void
xml_el(struct buf *o, const char *indent, const char *el, const char *v)
{
	buf_printf(o, "%s<%s>", indent, el);
	buf_put_xml(o, v, strlen(v));
	buf_printf(o, "</%s>\n", el);
}

/* Title of an entry: meetings say when and what happened to them. */
static void
entry_title(struct buf *b, const struct page *p)
{
	const char	*st;

	buf_puts(b, title_of(p));
	if (p->kind != PAGE_MEETING)
		return;
	buf_puts(b, ", ");
	text_fmt_date(b, &p->date, true);
	st = status_of(p);
	if (strcmp(st, "cancelled") == 0 || strcmp(st, "postponed") == 0)
		buf_printf(b, " (%s)", st);
}

/* The decision a decision page is about, or NULL. */
static const struct val *
decision_of(const struct page *p)
{
	return p->kind == PAGE_LIST ? val_get(p->data, "decision") : NULL;
}

/* A decision in words: what, where, and how final its minutes are. */
static void
decision_summary(struct buf *b, const struct page *p)
{
	const struct val *d = decision_of(p), *it = val_get(d, "item");
	const struct val *min = val_get(p->data, "minutes"), *at;
	const char	*v, *st = val_get_str(min, "status");
	struct date	 dt;

	buf_printf(b, "%s: %s\n", val_get_str(d, "type_text") ?
	    val_get_str(d, "type_text") : "Agreed",
	    val_get_str(d, "resolution"));
	if ((v = val_get_str(val_get(d, "meeting"), "title")) != NULL) {
		buf_printf(b, "Made at the %s meeting", v);
		if (val_get_str(d, "date") != NULL &&
		    text_parse_date(val_get_str(d, "date"), &dt)) {
			buf_puts(b, " on ");
			text_fmt_date(b, &dt, true);
		}
		if ((v = val_get_str(it, "number")) != NULL) {
			buf_printf(b, ", item %s", v);
			if ((v = val_get_str(it, "title")) != NULL)
				buf_printf(b, ": %s", v);
		}
		buf_puts(b, ".\n");
	}
	if (st != NULL && strcmp(st, "approved") == 0) {
		at = val_get(min, "approved_at");
		buf_puts(b, "Minutes: approved");
		if ((v = val_get_str(at, "title")) != NULL)
			buf_printf(b, " at the %s meeting", v);
		if (val_get_str(at, "date") != NULL &&
		    text_parse_date(val_get_str(at, "date"), &dt)) {
			buf_puts(b, " on ");
			text_fmt_date(b, &dt, true);
		}
		buf_puts(b, ".");
	} else
		buf_puts(b, "Minutes: draft (the decision may change when "
		    "the minutes are approved).");
}

/* Summary of an entry in plain text. */
static void
entry_summary(struct buf *b, const struct page *p)
{
	const struct val *m;
	const char	*v;
	struct date	 dt;
	int		 start, end;

	if (decision_of(p) != NULL) {
		decision_summary(b, p);
		return;
	}
	switch (p->kind) {
	case PAGE_MEETING:
		text_fmt_date(b, &p->date, true);
		site_meeting_times(p, &start, &end);
		if (start >= 0) {
			buf_puts(b, ", ");
			text_fmt_time(b, start);
		}
		if (start >= 0 && end >= 0) {
			buf_puts(b, " to ");
			text_fmt_time(b, end);
		}
		buf_putc(b, '\n');
		meeting_words(b, p);
		break;
	case PAGE_PAPER:
		if ((v = val_get_str(p->data, "summary")) != NULL)
			buf_printf(b, "%s\n", v);
		if (p->parent != NULL && p->parent->has_date) {
			buf_printf(b, "A paper for the %s meeting on ",
			    title_of(p->parent));
			text_fmt_date(b, &p->parent->date, true);
			buf_putc(b, '\n');
		}
		break;
	case PAGE_MINUTES:	/* draft or approved, and where */
		if (val_get_str(p->data, "status") != NULL &&
		    strcmp(val_get_str(p->data, "status"), "approved") == 0) {
			buf_puts(b, "Approved minutes");
			m = val_get(p->data, "approved_at");
			if ((v = val_get_str(m, "title")) != NULL)
				buf_printf(b, ", approved at the %s meeting",
				    v);
			if ((v = val_get_str(m, "date")) != NULL &&
			    text_parse_date(v, &dt)) {
				buf_puts(b, " on ");
				text_fmt_date(b, &dt, true);
			}
			buf_puts(b, ".\n");
		} else
			buf_puts(b, "Draft minutes: they may change when they "
			    "are approved at a later meeting.\n");
		break;
	case PAGE_PLAN:		/* what changes: when, and the status */
		if ((v = val_get_str(p->data, "summary")) != NULL)
			buf_printf(b, "%s\n", v);
		buf_printf(b, "Status: %s. ", val_get_str(p->data, "status") ?
		    val_get_str(p->data, "status") : "planned");
		m = val_get(p->data, "meeting");
		if ((v = val_get_str(m, "title")) != NULL &&
		    val_get_str(m, "date") != NULL)
			buf_printf(b, "Expected at the %s meeting on %s.", v,
			    val_get_str(m, "date"));
		else if ((v = val_get_str(p->data, "month_text")) != NULL)
			buf_printf(b, "Expected in %s.", v);
		break;
	default:
		if ((v = val_get_str(p->data, "description")) != NULL)
			buf_puts(b, v);
		else if ((v = val_get_str(p->data, "summary")) != NULL)
			buf_puts(b, v);
		break;
	}
	while (b->len > 0 && b->data[b->len - 1] == '\n')
		buf_truncate(b, b->len - 1);
}

/*
 * An Atom feed at path (site-relative) of entries e (sorted here),
 * whose web page is alt (a page URL with the base path).
 */
static void
atom(struct buf *o, const struct site *s, const char *path,
    const char *title, const char *alt, struct entry *e, size_t n)
{
	struct buf	 x;
	char		 today[STAMP_LEN + 1];
	const char	*updated;
	size_t		 i;

	buf_init(&x);
	for (i = 0; i < n; i++)
		entry_times(&e[i], s);
	qsort(e, n, sizeof(*e), entry_cmp);
	if (n > FEED_MAX)
		n = FEED_MAX;
	stamp_day(today, &s->today);
	updated = n > 0 ? e[0].updated : today;
	for (i = 1; i < n; i++)
		if (strcmp(e[i].updated, updated) > 0)
			updated = e[i].updated;

	buf_puts(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"");
	if (val_get_str(s->config, "language") != NULL) {
		buf_puts(o, " xml:lang=\"");
		buf_puts_html(o, val_get_str(s->config, "language"));
		buf_putc(o, '"');
	}
	buf_puts(o, ">\n");
	abs_url(&x, s, s->base_path);
	buf_puts(&x, path);
	xml_el(o, "  ", "id", x.data);
	xml_el(o, "  ", "title", title);
	xml_el(o, "  ", "updated", updated);
	buf_puts(o, "  <link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"");
	buf_put_xml(o, x.data, x.len);
	buf_puts(o, "\"/>\n  <link rel=\"alternate\" type=\"text/html\" "
	    "href=\"");
	buf_reset(&x);
	abs_url(&x, s, alt);
	buf_put_xml(o, x.data, x.len);
	buf_puts(o, "\"/>\n  <author>\n");
	xml_el(o, "    ", "name", site_name(s));
	buf_puts(o, "  </author>\n");
	xml_el(o, "  ", "generator", "icpgen");

	for (i = 0; i < n; i++) {
		const struct page *p = e[i].p;

		buf_puts(o, "  <entry>\n");
		buf_reset(&x);
		abs_url(&x, s, p->url);
		xml_el(o, "    ", "id", x.data);
		buf_reset(&x);
		entry_title(&x, p);
		if (p->kind != PAGE_MEETING &&
		    val_get_str(p->data, "language") != NULL) {
			/* A paper or post in another language says so. */
			buf_puts(o, "    <title xml:lang=\"");
			buf_puts_html(o, val_get_str(p->data, "language"));
			buf_puts(o, "\">");
			buf_put_xml(o, x.data, x.len);
			buf_puts(o, "</title>\n");
		} else
			xml_el(o, "    ", "title", x.data);
		buf_puts(o, "    <link rel=\"alternate\" type=\"text/html\" "
		    "href=\"");
		buf_reset(&x);
		abs_url(&x, s, p->url);
		buf_put_xml(o, x.data, x.len);
		buf_puts(o, "\"/>\n");
		xml_el(o, "    ", "published", e[i].published);
		xml_el(o, "    ", "updated", e[i].updated);
		buf_printf(o, "    <category term=\"%s\"/>\n",
		    decision_of(p) != NULL ? "decision" :
		    site_kind_name(p->kind));
		buf_reset(&x);
		entry_summary(&x, p);
		if (x.len > 0)
			xml_el(o, "    ", "summary", x.data);
		buf_puts(o, "  </entry>\n");
	}
	buf_puts(o, "</feed>\n");
	buf_free(&x);
}

/* Entries for pages of a kind that pass keep(p, arg). */
static struct entry *
collect(const struct site *s, bool (*keep)(const struct page *,
    const char *), const char *arg, size_t *n)
{
	struct entry	*e = xcalloc(s->npages + 1, sizeof(*e));
	size_t		 i;

	for (*n = 0, i = 0; i < s->npages; i++)
		if (keep(s->pages[i], arg))
			e[(*n)++].p = s->pages[i];
	return e;
}

/* The public pages of the kind named arg. */
static bool
of_kind(const struct page *p, const char *arg)
{
	return strcmp(kind_get(p->kind)->name, arg) == 0 && site_public(p);
}

static bool
is_paper(const struct page *p, const char *arg)
{
	return p->kind == PAGE_PAPER && site_public(p);
}

/* A committee's meetings, and their papers and minutes. */
static bool
of_committee(const struct page *p, const char *cid)
{
	const char	*c;

	if (p->kind == PAGE_MEETING && !p->has_date)
		return false;
	if (p->kind != PAGE_MEETING && !is_paper(p, NULL) &&
	    !(p->kind == PAGE_MINUTES && site_public(p)))
		return false;
	if ((p->kind == PAGE_PAPER || p->kind == PAGE_MINUTES) &&
	    p->parent != NULL)
		p = p->parent;
	c = committee_of(p);
	return c != NULL && strcmp(c, cid) == 0;
}

/*
 * Entries for the decisions register (the model's list, newest first):
 * each decision's own page, timed by its minutes, when the page, its
 * meeting and its minutes are public.
 */
static struct entry *
decisions(const struct site *s, size_t *n)
{
	const struct val *l = val_get(s->lists, "decisions"), *d;
	const struct page *p, *m, *min;
	struct entry	*e;
	size_t		 i;

	*n = 0;
	e = xcalloc((l != NULL ? l->n : 0) + 1, sizeof(*e));
	for (i = 0; l != NULL && l->kind == VAL_LIST && i < l->n; i++) {
		d = l->items[i];
		if (val_get_str(d, "url") == NULL ||
		    (p = site_find_url(s, val_get_str(d, "url"))) == NULL ||
		    decision_of(p) == NULL || !site_public(p))
			continue;
		m = site_find(s, PAGE_MEETING, val_get_str(val_get(d,
		    "meeting"), "id") ? val_get_str(val_get(d, "meeting"),
		    "id") : "");
		if (m == NULL || !site_public(m))
			continue;
		min = val_get_str(val_get(m->data, "minutes"), "url") ?
		    site_find_url(s, val_get_str(val_get(m->data, "minutes"),
		    "url")) : NULL;
		if (min != NULL && !site_public(min))
			continue;
		e[*n].p = p;
		e[*n].when = min != NULL ? min : m;
		e[*n].order = i;
		(*n)++;
	}
	return e;
}

/* --- sitemap and robots ----------------------------------------------- */

/* Whether the site ships its own file at this site path. */
static bool
provided(const struct site *s, const char *path)
{
	struct buf	 url;
	size_t		 i, bl = strlen(s->base_path);
	bool		 found = false;

	buf_init(&url);
	for (i = 0; i < s->nstatic && !found; i++) {
		buf_reset(&url);
		found = site_url(s, s->static_files[i], &url) &&
		    url.len > bl && strcmp(url.data + bl, path) == 0;
	}
	buf_free(&url);
	return found;
}

static int
url_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct page *const *)a)->url,
	    (*(const struct page *const *)b)->url);
}

/*
 * Whether a page has an address of its own (a folder with index.html),
 * unlike 404.html, which is served in place of missing pages.
 */
static bool
addressed(const struct page *p)
{
	size_t	n = p->out != NULL ? strlen(p->out) : 0;

	return n >= 10 && strcmp(p->out + n - 10, "index.html") == 0;
}

static void
sitemap(struct buf *o, const struct site *s, struct diags *d)
{
	const struct page	**v;
	const char		 *last;
	struct buf		  x;
	struct date		  dt;
	size_t			  i;

	v = xcalloc(s->npages + 1, sizeof(*v));
	for (i = 0; i < s->npages; i++)
		v[i] = s->pages[i];
	qsort(v, s->npages, sizeof(*v), url_cmp);
	buf_init(&x);
	buf_puts(o, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"
	    "\n");
	for (i = 0; i < s->npages && i < SITEMAP_MAX; i++) {
		if ((i > 0 && strcmp(v[i]->url, v[i - 1]->url) == 0) ||
		    !addressed(v[i]) || !site_public(v[i]))
			continue;
		buf_reset(&x);
		abs_url(&x, s, v[i]->url);
		buf_puts(o, "  <url>\n");
		xml_el(o, "    ", "loc", x.data);
		/*
		 * The day in England, as the page says it, not the UTC
		 * day of the time (a commit at 23:30 UTC in summer is
		 * the next day there).
		 */
		if (history(v[i], "last_updated") != NULL &&
		    (last = val_get_str(val_get(v[i]->data, "history"),
		    "last_updated_date")) != NULL && text_parse_date(last, &dt))
			xml_el(o, "    ", "lastmod", last);
		buf_puts(o, "  </url>\n");
	}
	buf_puts(o, "</urlset>\n");
	if (s->npages > SITEMAP_MAX)
		diag_warn(d, "sitemap.xml", 0, 0, "the site has %zu pages but "
		    "a sitemap holds at most %d (the rest are left out)",
		    s->npages, SITEMAP_MAX);
	buf_free(&x);
	free(v);
}

/* --- the lot ---------------------------------------------------------- */

static int
committee_cmp(const void *a, const void *b)
{
	return strcmp((*(const struct page *const *)a)->id,
	    (*(const struct page *const *)b)->id);
}

/*
 * Write every feed and site file.  In check mode (o NULL) the texts are
 * built and dropped, so the same code runs.
 */
int
feeds_write(const struct site *s, struct out *o, struct diags *d)
{
	int	rc = 0, part;

	for (part = 0; part < FEEDS__MAX; part++)
		rc |= feeds_write_part(s, o, d, (enum feeds_part)part);
	return rc;
}

/* The committees' pages, by committee_cmp (malloc'd, n of them). */
static const struct page **
committees(const struct site *s, size_t *n)
{
	const struct page	**cs;
	size_t			  i;

	cs = xcalloc(s->npages + 1, sizeof(*cs));
	for (*n = 0, i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_COMMITTEE)
			cs[(*n)++] = s->pages[i];
	qsort(cs, *n, sizeof(*cs), committee_cmp);
	return cs;
}

/* The site's calendar of meetings and each committee's. */
static int
write_calendars(const struct site *s, struct out *o, struct diags *d)
{
	const struct page	**cs;
	struct buf		  b, path;
	size_t			  i, nc;
	int			  rc = 0;

	buf_init(&b);
	buf_init(&path);
	calendar(&b, s, NULL, site_name(s));
	rc |= emit(o, "meetings.ics", &b, d);
	cs = committees(s, &nc);
	for (i = 0; i < nc && rc == 0; i++) {
		buf_reset(&b);
		calendar(&b, s, cs[i]->id, title_of(cs[i]));
		buf_reset(&path);
		buf_printf(&path, "committees/%s/meetings.ics", cs[i]->id);
		rc |= emit(o, path.data, &b, d);
	}
	free(cs);
	buf_free(&b);
	buf_free(&path);
	return rc;
}

/* The Atom feeds: of each kind that has one, decisions, committees. */
static int
write_atoms(const struct site *s, struct out *o, struct diags *d)
{
	const struct page	**cs, *list;
	struct entry		 *e;
	struct buf		  b, path, title;
	size_t			  i, k, n, nc;
	int			  rc = 0;

	buf_init(&b);
	buf_init(&path);
	buf_init(&title);
	for (k = 0; k < kind_count(); k++) {
		const struct kind *kr = kind_get((enum page_kind)k);

		if (kr->feed == NULL)
			continue;
		list = site_find(s, PAGE_LIST, kr->feed_list);
		buf_reset(&b);
		buf_reset(&title);
		e = collect(s, of_kind, kr->name, &n);
		buf_printf(&title, "%s: %s", site_name(s), kr->feed_title);
		atom(&b, s, kr->feed, title.data, list != NULL ? list->url :
		    s->base_path, e, n);
		free(e);
		rc |= emit(o, kr->feed, &b, d);
	}

	/* Decisions, linked to the register. */
	list = site_find(s, PAGE_LIST, "decisions");
	buf_reset(&b);
	buf_reset(&title);
	buf_printf(&title, "%s: decisions", site_name(s));
	e = decisions(s, &n);
	atom(&b, s, "decisions.xml", title.data, list != NULL ? list->url :
	    s->base_path, e, n);
	free(e);
	rc |= emit(o, "decisions.xml", &b, d);

	cs = committees(s, &nc);
	for (i = 0; i < nc && rc == 0; i++) {
		buf_reset(&b);
		buf_reset(&path);
		buf_printf(&path, "committees/%s/feed.xml", cs[i]->id);
		buf_reset(&title);
		buf_printf(&title, "%s: meetings, papers and minutes",
		    title_of(cs[i]));
		e = collect(s, of_committee, cs[i]->id, &n);
		atom(&b, s, path.data, title.data, cs[i]->url, e, n);
		free(e);
		rc |= emit(o, path.data, &b, d);
	}
	free(cs);
	buf_free(&b);
	buf_free(&path);
	buf_free(&title);
	return rc;
}

/* sitemap.xml and robots.txt, unless the site has its own. */
static int
write_site_files(const struct site *s, struct out *o, struct diags *d)
{
	struct buf	b;
	int		rc = 0;

	buf_init(&b);
	if (!provided(s, "sitemap.xml")) {
		sitemap(&b, s, d);
		rc |= emit(o, "sitemap.xml", &b, d);
	}
	if (!provided(s, "robots.txt")) {
		buf_reset(&b);
		buf_puts(&b, "User-agent: *\nAllow: /\n\nSitemap: ");
		abs_url(&b, s, s->base_path);
		buf_puts(&b, "sitemap.xml\n");
		rc |= emit(o, "robots.txt", &b, d);
	}
	buf_free(&b);
	return rc;
}

int
feeds_write_part(const struct site *s, struct out *o, struct diags *d,
    enum feeds_part part)
{
	int	rc;

	switch (part) {
	case FEEDS_CALENDARS:
		rc = write_calendars(s, o, d);
		break;
	case FEEDS_ATOM:
		rc = write_atoms(s, o, d);
		break;
	default:
		rc = write_site_files(s, o, d);
		break;
	}
	return rc == 0 ? 0 : -1;
}
