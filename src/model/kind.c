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
	[PAGE_HOME] = { .kind = PAGE_HOME, .name = "home", .noun = "page",
	    .folder = "", .file = "index.md", .template = "home.html",
	    .schema = &content_page },
	[PAGE_PAGE] = { .kind = PAGE_PAGE, .name = "page", .noun = "page",
	    .folder = "pages/", .file = "PATH.md", .template = "page.html",
	    .schema = &content_page, .list_key = "pages", .sort = SORT_ORDER,
	    .search = true },
	[PAGE_NEWS] = { .kind = PAGE_NEWS, .name = "news",
	    .noun = "news post", .folder = "news/", .file = "ID.md",
	    .template = "news.html", .schema = &content_news,
	    .list_id = "news", .list_url = "news/", .list_title = "News",
	    .list_template = "news-index.html", .list_key = "news",
	    .sort = SORT_DATE_DESC, .search = true, .feed = "news.xml",
	    .feed_title = "news", .feed_list = "news" },
	[PAGE_ORGANISATION] = { .kind = PAGE_ORGANISATION,
	    .name = "organisation", .noun = "organisation",
	    .folder = "organisations/", .file = "ID.md",
	    .template = "organisation.html", .schema = &content_organisation,
	    .search = true, .opendata = "organizations" },
	[PAGE_PERSON] = { .kind = PAGE_PERSON, .name = "person",
	    .noun = "person", .folder = "people/", .file = "ID.md",
	    .template = "person.html", .schema = &content_person,
	    .search = true, .opendata = "people" },
	[PAGE_COMMITTEE] = { .kind = PAGE_COMMITTEE, .name = "committee",
	    .noun = "committee", .folder = "committees/", .file = "ID.md",
	    .template = "committee.html", .schema = &content_committee,
	    .list_id = "committees", .list_url = "committees/",
	    .list_title = "Committees", .list_template = "committees.html",
	    .list_key = "committees", .sort = SORT_ORDER, .search = true,
	    .opendata = "organizations", .link = site_link_committees },
	[PAGE_MEETING] = { .kind = PAGE_MEETING, .name = "meeting",
	    .noun = "meeting", .folder = "meetings/", .file = "ID/index.md",
	    .template = "meeting.html", .schema = &content_meeting,
	    .list_id = "meetings", .list_url = "meetings/",
	    .list_title = "Meetings", .list_template = "meetings.html",
	    .sort = SORT_DATE, .search = true, .opendata = "meetings",
	    .link = site_link_meetings },
	[PAGE_PAPER] = { .kind = PAGE_PAPER, .name = "paper", .noun = "paper",
	    .folder = "meetings/", .file = "MEETING/ID.md",
	    .template = "paper.html", .schema = &content_paper,
	    .search = true, .feed = "papers.xml",
	    .feed_title = "meeting papers", .feed_list = "meetings",
	    .opendata = "meetings" },
	[PAGE_MINUTES] = { .kind = PAGE_MINUTES, .name = "minutes",
	    .noun = "minutes", .folder = "meetings/", .file = "ID/minutes.md",
	    .template = "minutes.html", .schema = &content_minutes,
	    .search = true, .opendata = "meetings" },
	[PAGE_QUESTION] = { .kind = PAGE_QUESTION, .name = "question",
	    .noun = "question", .folder = "questions/", .file = "ID.md",
	    .template = "question.html", .schema = &content_question,
	    .search = true, .opendata = "questions" },
	[PAGE_PRIORITY] = { .kind = PAGE_PRIORITY, .name = "priority",
	    .noun = "priority", .folder = "strategy/", .file = "ID.md",
	    .template = "priority.html", .schema = &content_priority,
	    .list_id = "strategy", .list_url = "strategy/",
	    .list_title = "Integrated care strategy",
	    .list_template = "strategy.html", .list_key = "priorities",
	    .sort = SORT_ORDER, .search = true, .opendata = "measures" },
	[PAGE_MEASURE] = { .kind = PAGE_MEASURE, .name = "measure",
	    .noun = "measure", .folder = "strategy/measures/", .file = "ID.md",
	    .template = "measure.html", .schema = &content_measure,
	    .search = true, .opendata = "measures" },
	[PAGE_PLAN] = { .kind = PAGE_PLAN, .name = "forward-plan",
	    .noun = "forward plan item", .folder = "forward-plan/",
	    .file = "ID.md", .template = "plan-item.html",
	    .schema = &content_plan, .list_id = "forward-plan",
	    .list_url = "forward-plan/", .list_title = "Forward plan",
	    .list_template = "forward-plan.html", .sort = SORT_ID,
	    .list_if_any = true, .search = true, .feed = "forward-plan.xml",
	    .feed_title = "forward plan", .feed_list = "forward-plan",
	    .opendata = "forward-plan", .link = plan_link },
	[PAGE_LIST] = { .kind = PAGE_LIST, .name = "listing",
	    .noun = "listing", .folder = "", .file = "" },
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
	const char	*seen[PAGE__MAX] = { NULL };
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
