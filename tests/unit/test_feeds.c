/*
 * Unit tests of emit/feeds.c: calendars, Atom feeds, the sitemap and
 * robots.txt written from a small site model built by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "model/site.h"
#include "emit/out.h"
#include "emit/feeds.h"

#ifndef ICPGEN_VERSION
#define ICPGEN_VERSION	"unknown"
#endif

struct fix {
	char		 dir[64];
	char		 site[80];
	struct site	*s;
	struct diags	 d;
	char		*msgs;
	size_t		 len;
	FILE		*f;
	char		*file;		/* the last file read */
};

static struct val *
str(struct site *s, const char *v)
{
	return val_str(s->arena, v);
}

static void
set(struct site *s, struct val *m, const char *k, const char *v)
{
	val_set(s->arena, m, k, str(s, v));
}

static void
set_date(struct page *p, const char *d)
{
	assert_true(text_parse_date(d, &p->date));
	p->has_date = true;
}

/* history = {first_published, last_updated(_date), revisions}. */
static void
set_history(struct site *s, struct page *p, const char *first,
    const char *last, double revs)
{
	struct val	*h = val_map(s->arena);

	set(s, h, "first_published", first);
	set(s, h, "last_updated", last);
	/* The day in England, as history.c gives it (none here is late). */
	val_set(s->arena, h, "last_updated_date", val_strn(s->arena, last,
	    10));
	val_set(s->arena, h, "revisions", val_num(s->arena, revs));
	val_set(s->arena, p->data, "history", h);
}

static struct page *
page(struct site *s, enum page_kind k, const char *id, const char *url,
    const char *title)
{
	struct page	*p = site_add_page(s, k, id, url);

	p->title = arena_strdup(s->arena, title);
	p->fm = val_map(s->arena);
	set(s, p->data, "title", title);
	return p;
}

static struct page *
committee(struct site *s, const char *id, const char *title)
{
	char	url[64];

	snprintf(url, sizeof(url), "committees/%s/", id);
	return page(s, PAGE_COMMITTEE, id, url, title);
}

/* A meeting of committee c; title NULL takes the committee's. */
static struct page *
meeting(struct site *s, const char *id, struct page *c, const char *date,
    const char *status, const char *title)
{
	char		 url[96];
	struct page	*p;
	struct val	*ref = val_map(s->arena);

	snprintf(url, sizeof(url), "meetings/%s/", id);
	p = page(s, PAGE_MEETING, id, url, title ? title : c->title);
	if (title != NULL)
		set(s, p->fm, "title", title);
	set_date(p, date);
	set(s, p->data, "date", date);
	set(s, p->data, "status", status);
	set(s, ref, "id", c->id);
	set(s, ref, "title", c->title);
	set(s, ref, "url", c->url);
	val_set(s->arena, p->data, "committee", ref);
	return p;
}

static struct page *
paper(struct site *s, struct page *m, const char *slug, const char *title)
{
	char		 id[96], url[128];
	struct page	*p;

	snprintf(id, sizeof(id), "%s/%s", m->id, slug);
	snprintf(url, sizeof(url), "meetings/%s/", id);
	p = page(s, PAGE_PAPER, id, url, title);
	p->parent = m;
	val_set(s->arena, p->data, "committee", val_get(m->data,
	    "committee"));
	return p;
}

static struct page *
news(struct site *s, const char *id, const char *date, const char *title)
{
	char		 url[96];
	struct page	*p;

	snprintf(url, sizeof(url), "news/%s/", id);
	p = page(s, PAGE_NEWS, id, url, title);
	set_date(p, date);
	return p;
}

/*
 * The test site: two committees, meetings held, cancelled, postponed,
 * all day and late at night, papers (one exempt), two news posts.
 */
static struct site *
make_site(void)
{
	struct site	*s = xcalloc(1, sizeof(*s));
	struct val	*contact, *ag, *it, *ids;
	struct page	*board, *assembly, *m, *p;

	s->arena = arena_new();
	s->config = val_map(s->arena);
	set(s, s->config, "name", "Northshire ICP");
	set(s, s->config, "base_url", "https://icp.example.org/icp/");
	set(s, s->config, "language", "en-GB");
	contact = val_map(s->arena);
	set(s, contact, "email", "icp@example.org");
	val_set(s->arena, s->config, "contact", contact);
	s->base_path = "/icp/";
	s->origin = "https://icp.example.org";
	assert_true(text_parse_date("2026-03-01", &s->today));

	page(s, PAGE_HOME, "home", "", "Northshire ICP");
	page(s, PAGE_LIST, "news", "news/", "News");
	page(s, PAGE_LIST, "meetings", "meetings/", "Meetings");
	page(s, PAGE_LIST, "404", "404.html", "Page not found")->out =
	    "404.html";
	board = committee(s, "board", "Partnership Board");
	assembly = committee(s, "assembly", "Northshire Assembly");

	m = meeting(s, "2026-01-14-board", board, "2026-01-14", "held", NULL);
	set(s, m->data, "start", "14:00");
	set(s, m->data, "end", "16:30");
	set(s, m->data, "venue", "Room 1, Town Hall; Northshire \\ North");
	set(s, m->data, "recording", "https://video.example.org/r1");
	set_history(s, m, "2025-12-01T09:30:00Z", "2026-01-20T11:00:00Z", 3);
	p = paper(s, m, "finance", "Finance report");
	set(s, p->data, "summary", "Spending <to> month 9 & the forecast");
	set_history(s, p, "2026-01-07T08:00:00Z", "2026-01-08T08:00:00Z", 2);
	p = paper(s, m, "estates", "Estates (confidential)");
	p->withheld = true;	/* the model's decision: exempt item 5 */
	ag = val_list(s->arena);
	it = val_map(s->arena);
	set(s, it, "number", "5");
	val_set(s->arena, it, "exempt", val_bool(s->arena, true));
	ids = val_list(s->arena);
	val_push(s->arena, ids, str(s, "estates"));
	val_set(s->arena, it, "papers", ids);
	val_push(s->arena, ag, it);
	val_set(s->arena, m->data, "agenda", ag);

	m = meeting(s, "2026-04-08-board", board, "2026-04-08", "cancelled",
	    NULL);
	set(s, m->data, "start", "10:00");
	set(s, m->data, "status_reason", "not quorate");
	set(s, m->data, "online", "https://video.example.org/live");
	paper(s, m, "plan", "Operational plan");

	m = meeting(s, "2026-05-06-assembly", assembly, "2026-05-06",
	    "postponed", "Annual assembly");
	set(s, m->data, "new_date", "2026-06-03");
	m = meeting(s, "2026-06-03-assembly", assembly, "2026-06-03",
	    "scheduled", "Annual assembly");
	set(s, m->data, "start", "23:00");

	p = news(s, "2026-01-10-launch", "2026-01-10", "We launched");
	p = news(s, "2026-02-20-progress", "2026-02-20", "Progress <report>");
	set(s, p->data, "description", "What we did & \"why\"");
	set_history(s, p, "2026-02-20T16:45:00Z", "2026-02-25T09:00:00Z", 2);
	return s;
}

static int
setup(void **state)
{
	struct fix	*x = xcalloc(1, sizeof(*x));

	snprintf(x->dir, sizeof(x->dir), "/tmp/icpgen-feeds-XXXXXX");
	if (mkdtemp(x->dir) == NULL)
		return -1;
	snprintf(x->site, sizeof(x->site), "%s/site", x->dir);
	x->f = open_memstream(&x->msgs, &x->len);
	diag_init(&x->d, x->f);
	x->s = make_site();
	*state = x;
	return 0;
}

static int
teardown(void **state)
{
	struct fix	*x = *state;
	char		 cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", x->dir);
	if (system(cmd) != 0)
		return -1;
	site_free(x->s);
	diag_free(&x->d);
	fclose(x->f);
	free(x->msgs);
	free(x->file);
	free(x);
	return 0;
}

/* Write the feeds into the fixture's folder; no diagnostics expected. */
static void
build(struct fix *x)
{
	struct out	*o = out_begin(x->site, &x->d);

	assert_non_null(o);
	assert_int_equal(feeds_write(x->s, o, &x->d), 0);
	assert_int_equal(out_commit(o, NULL, 0, &x->d), 0);
	fflush(x->f);
	assert_string_equal(x->msgs, "");
}

/* The text of a written file, or NULL if there is none. */
static const char *
file(struct fix *x, const char *path)
{
	char	 p[256];
	FILE	*f;
	long	 n;

	free(x->file);
	x->file = NULL;
	snprintf(p, sizeof(p), "%s/%s", x->site, path);
	if ((f = fopen(p, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	x->file = xcalloc(1, (size_t)n + 1);
	assert_int_equal(fread(x->file, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return x->file;
}

/* The VEVENT in text whose UID line is uid, as a new string. */
static char *
vevent(const char *text, const char *uid)
{
	const char	*at = strstr(text, uid), *b, *e;

	assert_non_null(at);
	for (b = at; b > text && strncmp(b, "BEGIN:VEVENT", 12) != 0; b--)
		;
	e = strstr(at, "END:VEVENT\r\n");
	assert_non_null(e);
	return xstrndup(b, (size_t)(e + 12 - b));
}

static const char vtz[] =
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

/*
 * A committee's calendar, whole: the header, the time zone, an all-day
 * postponed meeting and one that runs past midnight (two hours).
 */
static void
ical_committee(void **state)
{
	struct fix	*x = *state;
	struct buf	 want;

	build(x);
	buf_init(&want);
	buf_puts(&want,
	    "BEGIN:VCALENDAR\r\n"
	    "PRODID:-//icpgen//icpgen " ICPGEN_VERSION "//EN\r\n"
	    "VERSION:2.0\r\n"
	    "CALSCALE:GREGORIAN\r\n"
	    "METHOD:PUBLISH\r\n"
	    "X-WR-CALNAME:Northshire Assembly meetings\r\n"
	    "X-WR-TIMEZONE:Europe/London\r\n");
	buf_puts(&want, vtz);
	buf_puts(&want,
	    "BEGIN:VEVENT\r\n"
	    "UID:meeting-2026-05-06-assembly@icp.example.org\r\n"
	    "DTSTAMP:20260301T000000Z\r\n"
	    "DTSTART;VALUE=DATE:20260506\r\n"
	    "DTEND;VALUE=DATE:20260507\r\n"
	    "SUMMARY:Annual assembly (postponed)\r\n"
	    "DESCRIPTION:This meeting is postponed to Wednesday 3 June 2026\\n"
	    "Agenda\\, pa\r\n"
	    " pers and how to take part: https://icp.example.org/icp/meetings/"
	    "2026-05-06\r\n"
	    " -assembly/\r\n"
	    "URL:https://icp.example.org/icp/meetings/2026-05-06-assembly/\r\n"
	    "STATUS:CANCELLED\r\n"
	    "SEQUENCE:0\r\n"
	    "ORGANIZER;CN=\"Northshire ICP\":mailto:icp@example.org\r\n"
	    "END:VEVENT\r\n"
	    "BEGIN:VEVENT\r\n"
	    "UID:meeting-2026-06-03-assembly@icp.example.org\r\n"
	    "DTSTAMP:20260301T000000Z\r\n"
	    "DTSTART;TZID=Europe/London:20260603T230000\r\n"
	    "SUMMARY:Annual assembly\r\n"
	    "DESCRIPTION:Agenda\\, papers and how to take part: https://icp."
	    "example.org/i\r\n"
	    " cp/meetings/2026-06-03-assembly/\r\n"
	    "URL:https://icp.example.org/icp/meetings/2026-06-03-assembly/\r\n"
	    "STATUS:CONFIRMED\r\n"
	    "SEQUENCE:0\r\n"
	    "ORGANIZER;CN=\"Northshire ICP\":mailto:icp@example.org\r\n"
	    "END:VEVENT\r\n"
	    "END:VCALENDAR\r\n");
	assert_non_null(file(x, "committees/assembly/meetings.ics"));
	assert_string_equal(x->file, want.data);
	buf_free(&want);
}

/* With no contact email there is no ORGANIZER, so no METHOD either. */
static void
ical_no_email(void **state)
{
	struct fix	*x = *state;

	val_set(x->s->arena, x->s->config, "contact", val_map(x->s->arena));
	build(x);
	assert_non_null(file(x, "meetings.ics"));
	assert_null(strstr(x->file, "METHOD"));
	assert_null(strstr(x->file, "ORGANIZER"));
	assert_non_null(strstr(x->file, "\r\nCALSCALE:GREGORIAN\r\n"
	    "X-WR-CALNAME:Northshire ICP meetings\r\n"));
	assert_non_null(strstr(x->file, "SEQUENCE:0\r\nEND:VEVENT\r\n"));
}

/*
 * The calendar of every meeting: history gives DTSTAMP, CREATED,
 * LAST-MODIFIED and SEQUENCE; text is escaped; cancelled meetings say
 * so; events come in date order.
 */
static void
ical_all(void **state)
{
	struct fix	*x = *state;
	char		*ev;
	const char	*a, *b;

	build(x);
	assert_non_null(file(x, "meetings.ics"));
	assert_non_null(strstr(x->file,
	    "X-WR-CALNAME:Northshire ICP meetings\r\n"));
	ev = vevent(x->file, "UID:meeting-2026-01-14-board@");
	assert_string_equal(ev,
	    "BEGIN:VEVENT\r\n"
	    "UID:meeting-2026-01-14-board@icp.example.org\r\n"
	    "DTSTAMP:20260120T110000Z\r\n"
	    "CREATED:20251201T093000Z\r\n"
	    "LAST-MODIFIED:20260120T110000Z\r\n"
	    "DTSTART;TZID=Europe/London:20260114T140000\r\n"
	    "DTEND;TZID=Europe/London:20260114T163000\r\n"
	    "SUMMARY:Partnership Board meeting\r\n"
	    "LOCATION:Room 1\\, Town Hall\\; Northshire \\\\ North\r\n"
	    "DESCRIPTION:This meeting has been held\\nVenue: Room 1\\, Town "
	    "Hall\\; Northsh\r\n"
	    " ire \\\\ North\\nRecording: https://video.example.org/r1\\n"
	    "Agenda\\, papers and\r\n"
	    "  how to take part: https://icp.example.org/icp/meetings/"
	    "2026-01-14-board/\r\n"
	    "URL:https://icp.example.org/icp/meetings/2026-01-14-board/\r\n"
	    "STATUS:CONFIRMED\r\n"
	    "SEQUENCE:2\r\n"
	    "ORGANIZER;CN=\"Northshire ICP\":mailto:icp@example.org\r\n"
	    "END:VEVENT\r\n");
	free(ev);
	ev = vevent(x->file, "UID:meeting-2026-04-08-board@");
	assert_string_equal(ev,
	    "BEGIN:VEVENT\r\n"
	    "UID:meeting-2026-04-08-board@icp.example.org\r\n"
	    "DTSTAMP:20260301T000000Z\r\n"
	    "DTSTART;TZID=Europe/London:20260408T100000\r\n"
	    "SUMMARY:Partnership Board meeting (cancelled)\r\n"
	    "LOCATION:Online\r\n"
	    "DESCRIPTION:This meeting is cancelled: not quorate\\nWatch "
	    "online: https://v\r\n"
	    " ideo.example.org/live\\nAgenda\\, papers and how to take part: "
	    "https://icp.e\r\n"
	    " xample.org/icp/meetings/2026-04-08-board/\r\n"
	    "URL:https://icp.example.org/icp/meetings/2026-04-08-board/\r\n"
	    "STATUS:CANCELLED\r\n"
	    "SEQUENCE:0\r\n"
	    "ORGANIZER;CN=\"Northshire ICP\":mailto:icp@example.org\r\n"
	    "END:VEVENT\r\n");
	free(ev);
	/* Date order, every committee, one time zone. */
	a = strstr(x->file, "meeting-2026-01-14-board@");
	b = strstr(x->file, "meeting-2026-04-08-board@");
	assert_true(a != NULL && b != NULL && a < b);
	a = strstr(x->file, "meeting-2026-05-06-assembly@");
	assert_true(a != NULL && b < a);
	assert_non_null(strstr(x->file, vtz));
	assert_null(strstr(strstr(x->file, vtz) + 1, "BEGIN:VTIMEZONE"));
	/* A committee's calendar holds only its own meetings. */
	assert_non_null(file(x, "committees/board/meetings.ics"));
	assert_non_null(strstr(x->file, "meeting-2026-04-08-board@"));
	assert_null(strstr(x->file, "assembly@"));
}

/*
 * Folding: a 200-character venue of two- and three-byte characters is
 * folded at 75 octets or fewer, never inside a character, and unfolds
 * to the escaped text.
 */
static void
ical_fold(void **state)
{
	struct fix	*x = *state;
	struct page	*m = site_find(x->s, PAGE_MEETING,
	    "2026-06-03-assembly");
	struct buf	 venue, want, un;
	const char	*l, *e, *ev;
	size_t		 i, n;

	buf_init(&venue);
	buf_init(&want);
	buf_init(&un);
	for (i = 0; i < 50; i++)
		buf_puts(&venue, "é€a,");	/* 4 characters, 7 bytes */
	val_set(x->s->arena, m->data, "venue", val_str(x->s->arena,
	    venue.data));
	build(x);
	assert_non_null(file(x, "committees/assembly/meetings.ics"));
	ev = strstr(x->file, "LOCATION:");
	assert_non_null(ev);
	/* Every line: at most 75 octets, no split character, CRLF. */
	for (l = x->file; *l != '\0'; l = e + 2) {
		e = strstr(l, "\r\n");
		assert_non_null(e);
		assert_true(e - l <= 75);
		assert_true(((unsigned char)*l & 0xC0) != 0x80);
		if (*l == ' ')
			assert_true(((unsigned char)l[1] & 0xC0) != 0x80);
		assert_null(memchr(l, '\n', (size_t)(e - l)));
	}
	/* Unfolded, the property is the escaped venue. */
	for (l = ev; ; l = e + 2) {
		e = strstr(l, "\r\n");
		buf_put(&un, l == ev ? l : l + 1, (size_t)(e - l) -
		    (l == ev ? 0 : 1));
		if (e[2] != ' ')
			break;
	}
	buf_puts(&want, "LOCATION:");
	for (i = 0; i < 50; i++)
		buf_puts(&want, "é€a\\,");
	assert_string_equal(un.data, want.data);
	/*
	 * Exactly: "LOCATION:" (9) and eight units "é€a\," of 8 octets make
	 * 73; an "é" (2) fills the line to 75.  A continuation holds 74
	 * after its space: "€a\," (6), eight units (64) and "é" (2) make 72,
	 * as the next "€" (3) would pass 74.
	 */
	buf_reset(&want);
	buf_puts(&want, "LOCATION:");
	for (i = 0; i < 8; i++)
		buf_puts(&want, "é€a\\,");
	buf_puts(&want, "é\r\n €a\\,");
	for (i = 0; i < 8; i++)
		buf_puts(&want, "é€a\\,");
	buf_puts(&want, "é\r\n €a\\,");
	assert_int_equal(strncmp(ev, want.data, want.len), 0);
	/* 409 octets: 75 + 4 * 72 + 46, so six lines. */
	for (n = 0, l = ev; ; l = e + 2, n++) {
		e = strstr(l, "\r\n");
		if (e[2] != ' ')
			break;
	}
	assert_int_equal(n + 1, 6);
	buf_free(&venue);
	buf_free(&want);
	buf_free(&un);
}

/* News: newest first, history's time on the post's day, escaped. */
static void
atom_news(void **state)
{
	struct fix	*x = *state;

	build(x);
	assert_non_null(file(x, "news.xml"));
	assert_string_equal(x->file,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en-GB\">\n"
	    "  <id>https://icp.example.org/icp/news.xml</id>\n"
	    "  <title>Northshire ICP: news</title>\n"
	    "  <updated>2026-02-25T09:00:00Z</updated>\n"
	    "  <link rel=\"self\" type=\"application/atom+xml\" "
	    "href=\"https://icp.example.org/icp/news.xml\"/>\n"
	    "  <link rel=\"alternate\" type=\"text/html\" "
	    "href=\"https://icp.example.org/icp/news/\"/>\n"
	    "  <author>\n"
	    "    <name>Northshire ICP</name>\n"
	    "  </author>\n"
	    "  <generator>icpgen</generator>\n"
	    "  <entry>\n"
	    "    <id>https://icp.example.org/icp/news/2026-02-20-progress/"
	    "</id>\n"
	    "    <title>Progress &lt;report&gt;</title>\n"
	    "    <link rel=\"alternate\" type=\"text/html\" "
	    "href=\"https://icp.example.org/icp/news/2026-02-20-progress/\"/>\n"
	    "    <published>2026-02-20T16:45:00Z</published>\n"
	    "    <updated>2026-02-25T09:00:00Z</updated>\n"
	    "    <category term=\"news\"/>\n"
	    "    <summary>What we did &amp; &quot;why&quot;</summary>\n"
	    "  </entry>\n"
	    "  <entry>\n"
	    "    <id>https://icp.example.org/icp/news/2026-01-10-launch/</id>\n"
	    "    <title>We launched</title>\n"
	    "    <link rel=\"alternate\" type=\"text/html\" "
	    "href=\"https://icp.example.org/icp/news/2026-01-10-launch/\"/>\n"
	    "    <published>2026-01-10T00:00:00Z</published>\n"
	    "    <updated>2026-01-10T00:00:00Z</updated>\n"
	    "    <category term=\"news\"/>\n"
	    "  </entry>\n"
	    "</feed>\n");
}

/*
 * Papers: newest first by first publication (or the meeting's date,
 * capped at the build date); exempt papers are left out.
 */
static void
atom_papers(void **state)
{
	struct fix	*x = *state;
	const char	*a, *b;

	build(x);
	assert_non_null(file(x, "papers.xml"));
	assert_null(strstr(x->file, "estates"));
	assert_non_null(strstr(x->file,
	    "  <updated>2026-03-01T00:00:00Z</updated>\n"));
	a = strstr(x->file, "  <entry>\n    <id>https://icp.example.org/icp/"
	    "meetings/2026-04-08-board/plan/</id>\n"
	    "    <title>Operational plan</title>\n");
	b = strstr(x->file, "  <entry>\n"
	    "    <id>https://icp.example.org/icp/meetings/2026-01-14-board/"
	    "finance/</id>\n"
	    "    <title>Finance report</title>\n"
	    "    <link rel=\"alternate\" type=\"text/html\" "
	    "href=\"https://icp.example.org/icp/meetings/2026-01-14-board/"
	    "finance/\"/>\n"
	    "    <published>2026-01-07T08:00:00Z</published>\n"
	    "    <updated>2026-01-08T08:00:00Z</updated>\n"
	    "    <category term=\"paper\"/>\n"
	    "    <summary>Spending &lt;to&gt; month 9 &amp; the forecast\n"
	    "A paper for the Partnership Board meeting on Wednesday 14 "
	    "January 2026</summary>\n"
	    "  </entry>\n");
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_non_null(strstr(a, "<published>2026-03-01T00:00:00Z"
	    "</published>"));
}

/* A committee's feed: its meetings, papers and minutes only, newest first. */
static void
atom_committee(void **state)
{
	struct fix	*x = *state;
	const char	*a;

	build(x);
	assert_non_null(file(x, "committees/assembly/feed.xml"));
	assert_null(strstr(x->file, "board"));
	assert_non_null(strstr(x->file, "  <title>Northshire Assembly: "
	    "meetings, papers and minutes</title>\n"));
	assert_non_null(strstr(x->file, "href=\"https://icp.example.org/icp/"
	    "committees/assembly/\"/>\n"));
	/* Both meetings are in the future: published on the build date. */
	a = strstr(x->file,
	    "  <entry>\n"
	    "    <id>https://icp.example.org/icp/meetings/2026-05-06-assembly/"
	    "</id>\n"
	    "    <title>Annual assembly, Wednesday 6 May 2026 (postponed)"
	    "</title>\n"
	    "    <link rel=\"alternate\" type=\"text/html\" href=\"https://"
	    "icp.example.org/icp/meetings/2026-05-06-assembly/\"/>\n"
	    "    <published>2026-03-01T00:00:00Z</published>\n"
	    "    <updated>2026-03-01T00:00:00Z</updated>\n"
	    "    <category term=\"meeting\"/>\n"
	    "    <summary>Wednesday 6 May 2026\n"
	    "This meeting is postponed to Wednesday 3 June 2026</summary>\n"
	    "  </entry>\n");
	assert_non_null(a);
	assert_true(strstr(x->file, "2026-06-03-assembly/</id>") < a);

	assert_non_null(file(x, "committees/board/feed.xml"));
	assert_null(strstr(x->file, "assembly"));
	assert_null(strstr(x->file, "estates"));
	assert_non_null(strstr(x->file, "2026-01-14-board/finance/</id>"));
	assert_non_null(strstr(x->file, "    <summary>Wednesday 14 January "
	    "2026, 2pm to 4:30pm\nThis meeting has been held\n"
	    "Venue: Room 1, Town Hall; Northshire \\ North\n"
	    "Recording: https://video.example.org/r1</summary>\n"));
	assert_non_null(strstr(x->file, "<title>Partnership Board, Wednesday "
	    "8 April 2026 (cancelled)</title>"));
}

/* Sixty posts: the feed keeps the fifty newest. */
static void
atom_limit(void **state)
{
	struct fix	*x = *state;
	char		 id[32], day[16];
	struct date	 d = { 2025, 1, 1 };
	struct date	 t;
	const char	*p;
	size_t		 n = 0;
	int		 i;

	for (i = 0; i < 60; i++) {
		text_date_from_days(text_days(&d) + i, &t);
		snprintf(day, sizeof(day), "%04d-%02d-%02d", t.year, t.month,
		    t.day);
		snprintf(id, sizeof(id), "%s-post", day);
		news(x->s, id, day, "Post");
	}
	build(x);
	assert_non_null(file(x, "news.xml"));
	for (p = x->file; (p = strstr(p, "<entry>")) != NULL; p++)
		n++;
	assert_int_equal(n, 50);
	/* 2 real posts + the 48 newest of the 60 (2025-01-13 on). */
	assert_non_null(strstr(x->file, "news/2025-01-13-post/"));
	assert_null(strstr(x->file, "news/2025-01-12-post/"));
}

/*
 * The sitemap lists every page in URL order, but not 404.html; robots.txt
 * names it.
 */
static void
sitemap_robots(void **state)
{
	struct fix	*x = *state;
	struct page	*home = site_find(x->s, PAGE_HOME, "home");

	set_history(x->s, home, "2025-01-01T10:00:00Z",
	    "2026-02-02T10:00:00Z", 4);
	build(x);
	assert_non_null(file(x, "sitemap.xml"));
	assert_string_equal(x->file,
	    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
	    "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/</loc>\n"
	    "    <lastmod>2026-02-02</lastmod>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/committees/"
	    "assembly/</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/committees/board/"
	    "</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/</loc>\n"
	    "  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/"
	    "2026-01-14-board/</loc>\n    <lastmod>2026-01-20</lastmod>\n"
	    "  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/"
	    "2026-01-14-board/finance/</loc>\n"
	    "    <lastmod>2026-01-08</lastmod>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/"
	    "2026-04-08-board/</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/"
	    "2026-04-08-board/plan/</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/"
	    "2026-05-06-assembly/</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/meetings/"
	    "2026-06-03-assembly/</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/news/</loc>\n"
	    "  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/news/"
	    "2026-01-10-launch/</loc>\n  </url>\n"
	    "  <url>\n    <loc>https://icp.example.org/icp/news/"
	    "2026-02-20-progress/</loc>\n    <lastmod>2026-02-25</lastmod>\n"
	    "  </url>\n"
	    "</urlset>\n");
	assert_non_null(file(x, "robots.txt"));
	assert_string_equal(x->file, "User-agent: *\nAllow: /\n\n"
	    "Sitemap: https://icp.example.org/icp/sitemap.xml\n");
}

/* A site's own static/robots.txt wins: none is generated. */
static void
robots_own(void **state)
{
	struct fix	*x = *state;
	static const char *files[] = { "static/humans.txt",
	    "static/robots.txt" };

	x->s->static_files = xcalloc(2, sizeof(*x->s->static_files));
	memcpy(x->s->static_files, files, sizeof(files));
	x->s->nstatic = 2;
	build(x);
	assert_null(file(x, "robots.txt"));
	assert_non_null(file(x, "sitemap.xml"));
}

/* Check mode writes nothing and reports nothing; output is stable. */
static void
check_mode(void **state)
{
	struct fix	*x = *state;
	char		*first;

	assert_int_equal(feeds_write(x->s, NULL, &x->d), 0);
	fflush(x->f);
	assert_string_equal(x->msgs, "");
	build(x);
	assert_non_null(file(x, "meetings.ics"));
	first = xstrdup(x->file);
	assert_int_equal(system("true"), 0);
	snprintf(x->site, sizeof(x->site), "%s/again", x->dir);
	build(x);
	assert_non_null(file(x, "meetings.ics"));
	assert_string_equal(x->file, first);
	free(first);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(ical_committee, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(ical_all, setup, teardown),
		cmocka_unit_test_setup_teardown(ical_no_email, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(ical_fold, setup, teardown),
		cmocka_unit_test_setup_teardown(atom_news, setup, teardown),
		cmocka_unit_test_setup_teardown(atom_papers, setup, teardown),
		cmocka_unit_test_setup_teardown(atom_committee, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(atom_limit, setup, teardown),
		cmocka_unit_test_setup_teardown(sitemap_robots, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(robots_own, setup, teardown),
		cmocka_unit_test_setup_teardown(check_mode, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
