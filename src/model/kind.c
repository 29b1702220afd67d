/*
 * The kind table.  To add a kind: add it to enum page_kind (site.h), a
 * row here, its schema in content.c, its template in the theme, and,
 * when it links to other pages, a link function beside the model code
 * it needs.  See docs/architecture.md.
 */
#include <stdbool.h>
#include <string.h>

#include "util/buf.h"
#include "model/content.h"
#include "model/kind.h"

/*
 * File rules: "index.md" is the one file at the folder's root; "ID.md"
 * a file per page; "ID/index.md" and "ID/minutes.md" a fixed name in a
 * folder per page; "MEETING/ID.md" any other file in such a folder (its
 * id is "MEETING/ID"); "PATH.md" any file below the folder, nested
 * folders allowed ("PATH/index.md" is "PATH").
 */
static const struct kind kinds[PAGE__MAX] = {
	[PAGE_HOME] = { PAGE_HOME, "home", "page", "", "index.md",
	    "home.html", &content_page, NULL, NULL, NULL, NULL, NULL,
	    SORT_NONE, false, NULL, NULL, NULL },
	[PAGE_PAGE] = { PAGE_PAGE, "page", "page", "pages/", "PATH.md",
	    "page.html", &content_page, NULL, NULL, NULL, NULL, "pages",
	    SORT_ORDER, true, NULL, NULL, NULL },
	[PAGE_NEWS] = { PAGE_NEWS, "news", "news post", "news/", "ID.md",
	    "news.html", &content_news, "news", "news/", "News",
	    "news-index.html", "news", SORT_DATE_DESC, true, "news.xml",
	    NULL, NULL },
	[PAGE_ORGANISATION] = { PAGE_ORGANISATION, "organisation",
	    "organisation", "organisations/", "ID.md", "organisation.html",
	    &content_organisation, NULL, NULL, NULL, NULL, NULL, SORT_NONE,
	    true, NULL, "organizations", NULL },
	[PAGE_PERSON] = { PAGE_PERSON, "person", "person", "people/", "ID.md",
	    "person.html", &content_person, NULL, NULL, NULL, NULL, NULL,
	    SORT_NONE, true, NULL, "people", NULL },
	[PAGE_COMMITTEE] = { PAGE_COMMITTEE, "committee", "committee",
	    "committees/", "ID.md", "committee.html", &content_committee,
	    "committees", "committees/", "Committees", "committees.html",
	    "committees", SORT_ORDER, true, NULL, "organizations",
	    site_link_committees },
	[PAGE_MEETING] = { PAGE_MEETING, "meeting", "meeting", "meetings/",
	    "ID/index.md", "meeting.html", &content_meeting, "meetings",
	    "meetings/", "Meetings", "meetings.html", NULL, SORT_DATE, true,
	    NULL, "meetings", site_link_meetings },
	[PAGE_PAPER] = { PAGE_PAPER, "paper", "paper", "meetings/",
	    "MEETING/ID.md", "paper.html", &content_paper, NULL, NULL, NULL,
	    NULL, NULL, SORT_NONE, true, "papers.xml", "meetings", NULL },
	[PAGE_MINUTES] = { PAGE_MINUTES, "minutes", "minutes", "meetings/",
	    "ID/minutes.md", "minutes.html", &content_minutes, NULL, NULL,
	    NULL, NULL, NULL, SORT_NONE, true, NULL, "meetings", NULL },
	[PAGE_QUESTION] = { PAGE_QUESTION, "question", "question",
	    "questions/", "ID.md", "question.html", &content_question, NULL,
	    NULL, NULL, NULL, NULL, SORT_NONE, true, NULL, "questions",
	    NULL },
	[PAGE_PRIORITY] = { PAGE_PRIORITY, "priority", "priority",
	    "strategy/", "ID.md", "priority.html", &content_priority,
	    "strategy", "strategy/", "Integrated care strategy",
	    "strategy.html", "priorities", SORT_ORDER, true, NULL, "measures",
	    NULL },
	[PAGE_MEASURE] = { PAGE_MEASURE, "measure", "measure",
	    "strategy/measures/", "ID.md", "measure.html", &content_measure,
	    NULL, NULL, NULL, NULL, NULL, SORT_NONE, true, NULL, "measures",
	    NULL },
	[PAGE_LIST] = { PAGE_LIST, "listing", "listing", "", "", NULL, NULL,
	    NULL, NULL, NULL, NULL, NULL, SORT_NONE, false, NULL, NULL,
	    NULL },
};

const struct kind *
kind_get(enum page_kind k)
{
	return (unsigned)k < PAGE__MAX ? &kinds[k] : &kinds[PAGE_PAGE];
}

size_t
kind_count(void)
{
	return PAGE__MAX;
}

static bool
has_suffix(const char *s, size_t n, const char *x)
{
	size_t	m = strlen(x);

	return n >= m && memcmp(s + n - m, x, m) == 0;
}

/*
 * Whether rest (the path below the row's folder) follows the row's file
 * rule; wild rules ("MEETING/ID.md", "PATH.md") only when wild is set,
 * so that fixed names are claimed first.
 */
static bool
match(const struct kind *k, const char *path, bool wild, struct buf *id,
    struct buf *url)
{
	const char	*rest, *slash, *f = k->file;
	size_t		 n, fl = strlen(k->folder);

	if (*f == '\0' || strncmp(path, k->folder, fl) != 0)
		return false;
	rest = path + fl;
	n = strlen(rest);
	if (!has_suffix(rest, n, ".md"))
		return false;
	slash = strchr(rest, '/');
	if (strcmp(f, "index.md") == 0) {
		if (wild || strcmp(rest, f) != 0)
			return false;
		buf_puts(id, k->name);
		return true;
	}
	if (strcmp(f, "PATH.md") == 0) {
		if (!wild)
			return false;
		if (has_suffix(rest, n, "/index.md"))
			buf_put(id, rest, n - 9);
		else
			buf_put(id, rest, n - 3);
		buf_printf(url, "%s/", id->data);
		return id->len > 0;
	}
	if (strcmp(f, "ID.md") == 0) {
		if (wild || slash != NULL || n == 3)
			return false;
		buf_put(id, rest, n - 3);
		buf_printf(url, "%s%s/", k->folder, id->data);
		return true;
	}
	/* "ID/NAME.md" and "MEETING/ID.md": one folder level. */
	if (slash == NULL || slash == rest || strchr(slash + 1, '/') != NULL)
		return false;
	if (strncmp(f, "ID/", 3) == 0) {
		if (wild || strcmp(slash + 1, f + 3) != 0)
			return false;
		buf_put(id, rest, (size_t)(slash - rest));
		buf_printf(url, "%s%s/", k->folder, id->data);
		if (strcmp(f + 3, "index.md") != 0)
			buf_printf(url, "%.*s/", (int)(strlen(f + 3) - 3),
			    f + 3);
		return true;
	}
	if (!wild)
		return false;
	buf_put(id, rest, n - 3);
	buf_printf(url, "%s%s/", k->folder, id->data);
	return true;
}

bool
kind_classify(const char *path, enum page_kind *kind, struct buf *id,
    struct buf *url)
{
	size_t	i;
	int	wild;

	for (wild = 0; wild < 2; wild++)
		for (i = 0; i < PAGE__MAX; i++) {
			buf_reset(id);
			buf_reset(url);
			if (match(&kinds[i], path, wild, id, url)) {
				*kind = kinds[i].kind;
				return true;
			}
		}
	buf_reset(id);
	buf_reset(url);
	return false;
}

void
kind_path(enum page_kind k, const char *id, struct buf *b)
{
	const struct kind *r = kind_get(k);
	const char	*f = r->file, *w;

	buf_puts(b, r->folder);
	if ((w = strstr(f, "ID")) == NULL && (w = strstr(f, "PATH")) == NULL) {
		buf_puts(b, f);
		return;
	}
	if (strncmp(f, "MEETING/", 8) == 0)	/* the id names the folder */
		f += 8, w = f;
	buf_put(b, f, (size_t)(w - f));
	buf_puts(b, id);
	buf_puts(b, w + (w[0] == 'I' ? 2 : 4));
}

void
kind_folders(struct buf *b)
{
	const char	*seen[PAGE__MAX];
	size_t		 i, j, n = 0;

	for (i = 0; i < PAGE__MAX; i++) {
		const char *f = kinds[i].folder;

		if (*f == '\0')
			continue;
		for (j = 0; j < n; j++)	/* strategy/measures/ is in strategy/ */
			if (strncmp(f, seen[j], strlen(seen[j])) == 0)
				break;
		if (j == n)
			seen[n++] = f;
	}
	for (i = 0; i < n; i++)
		buf_printf(b, "%s%s", i == 0 ? "" : i + 1 == n ? " or " :
		    ", ", seen[i]);
}
