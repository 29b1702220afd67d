/*
 * The site model: the configuration and one struct page per published
 * page, linked together.  Everything here lives in the build's arena;
 * page bodies are not kept (the render stage reads them again from the
 * source), so memory grows with metadata, not with content.
 *
 * Content layout (paths relative to the site root):
 *
 *	icpgen.yaml			site configuration
 *	index.md			home page text
 *	pages/NAME.md			free pages		/NAME/
 *	news/NAME.md			news posts		/news/NAME/
 *	committees/ID.md		committees		/committees/ID/
 *	meetings/ID/index.md		meetings		/meetings/ID/
 *	meetings/ID/NAME.md		papers			/meetings/ID/NAME/
 *	meetings/ID/minutes.md		minutes			/meetings/ID/minutes/
 *	organisations/ID.md		partner organisations	/organisations/ID/
 *	people/ID.md			members and officers	/people/ID/
 *	questions/ID.md			public questions	/questions/ID/
 *	strategy/ID.md			strategy priorities	/strategy/ID/
 *	strategy/measures/ID.md		outcome measures	/strategy/measures/ID/
 *	forward-plan/ID.md		forward plan items	/forward-plan/ID/
 *	static/...			copied to the site root as they are
 *	assets/, templates/, hooks/, lua/	theme overrides and hooks
 *
 * Any other file (PDFs, images) is copied to the same path in the
 * output, except that files under pages/ land at the root.
 */
#ifndef MODEL_SITE_H
#define MODEL_SITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/text.h"

struct arena;
struct buf;
struct diags;
struct page_versions;
struct pcache;
struct sha256;
struct src;
struct val;

enum page_kind {
	PAGE_HOME,
	PAGE_PAGE,
	PAGE_NEWS,
	PAGE_ORGANISATION,
	PAGE_PERSON,
	PAGE_COMMITTEE,
	PAGE_MEETING,
	PAGE_PAPER,
	PAGE_MINUTES,
	PAGE_QUESTION,
	PAGE_PRIORITY,
	PAGE_MEASURE,
	PAGE_PLAN,		/* forward plan item */
	PAGE_LIST,		/* generated listing (no source file) */
	PAGE__MAX
};

struct page {
	enum page_kind	 kind;
	const char	*id;		/* stable id, unique per kind */
	const char	*source;	/* site-relative path, NULL if generated */
	long		 src_index;	/* index in the source, or -1 */
	const char	*url;		/* "/meetings/x/" (with base path) */
	const char	*out;		/* "meetings/x/index.html" */
	const char	*title;
	const char	*template;	/* template name, "meeting.html" */
	struct val	*fm;		/* front matter, checked */
	/*
	 * Its front matter was refused (reported): fm is empty, so what
	 * it would have said (a paper's attachments) is not known.
	 */
	bool		 fm_bad;
	struct val	*data;		/* model fields for templates */
	int		 body_line;	/* file line where the body starts */
	size_t		 body_off;	/* byte offset of the body */
	bool		 has_date;
	struct date	 date;		/* the page's main date */
	struct page	*parent;	/* for breadcrumbs */
	const char	*body_md;	/* Markdown of a page made by a hook */
	long		 history_of;	/* revision page: the file's index */
	const struct page_versions *versions; /* revision page: its versions,
					   made when it renders */
	/* Derived facts: set by the model, only read afterwards. */
	bool		 withheld;	/* not public: ask site_public() */
	bool		 ahead;		/* its file says what is so only after
					   the build date (an answer, an
					   approval): shown as before, and
					   with no page of its versions */
	const char	*withheld_why;	/* why, in words, when withheld */
};

struct site {
	struct arena	*arena;
	struct src	*src;
	struct val	*config;	/* icpgen.yaml, checked */
	const char	*base_path;	/* "/" or "/icp/" */
	const char	*origin;	/* "https://icp.example.org" */
	const char	*theme;
	struct date	 today;		/* the build date */
	struct page	**pages;
	size_t		 npages, cap;
	size_t		 counts[PAGE__MAX];
	struct val	*lists;		/* meetings, news ... for templates */
	const char	**static_files;	/* site-relative paths to copy */
	size_t		 nstatic;
	bool		 files_final;	/* static_files are all, sorted */
	struct page	**urls;		/* pages sorted by url (after link) */
	size_t		 nurls;
	struct page	**byid;		/* pages sorted by kind and id */
	size_t		 nbyid;		/* pages[0..nbyid) are indexed */
	struct arena	**load_arenas;	/* front matter, revision facts */
	size_t		 nload_arenas;
	struct pcache	*pcache;	/* the parse cache, being saved */
	int		 jobs;		/* threads to use (< 1: one a core) */
};

/* Name of a kind, for summaries ("meeting"). */
const char	*site_kind_name(enum page_kind);
/*
 * Read icpgen.yaml and every content file of src into a new site.
 * today is the build date (seconds since the epoch).  Problems are
 * reported; the returned site is usable for reporting further problems
 * even when some were found.  Returns NULL only when nothing can be
 * done (no configuration).
 */
struct site	*site_load(struct src *, int64_t, struct diags *);
/* The same, published at base_url instead of the configuration's. */
struct site	*site_load_at(struct src *, int64_t, const char *,
		    struct diags *);
/*
 * The same, reading and parsing files with jobs threads (0: one per
 * processor); the site is the same for any number.
 */
struct site	*site_load_jobs(struct src *, int64_t, const char *, int,
		    struct diags *);
/*
 * The same, taking each page's front matter from the parse cache in
 * cachedir when its blob is as it was (model/pcache.h), and saving
 * the cache for the next build; cachedir NULL: no cache.
 */
struct site	*site_load_cached(struct src *, int64_t, const char *, int,
		    const char *, struct diags *);
/* Link pages together and build listings; call after hooks ran. */
void		 site_link(struct site *, struct diags *);
/* Add a page; its fields are copied into the site's arena by caller. */
struct page	*site_add_page(struct site *, enum page_kind, const char *,
		    const char *);
/* Add a generated listing page at url (without the base path). */
struct page	*site_add_listing(struct site *, const char *, const char *,
		    const char *, const char *);
/*
 * Add the pages a "pages" hook made: l is its list of tables {url,
 * title, template, body, data, parent}; bad ones are reported.
 */
void		 site_add_pages(struct site *, const struct val *,
		    struct diags *);
/* A small map naming a page ({id, title, url}, and date for meetings). */
struct val	*site_ref(struct site *, const struct page *);
/*
 * The versions cache (what history_link derives from old versions, in
 * the cache folder given; NULL: the default, as for src_history()),
 * read in a thread from now on: it does not use git, so it is read
 * while src_history() reads the history.  Hand it to history_link(),
 * or to history_cache_end() when there is no history to link (the
 * file is left as it was).
 */
struct history_cache;
struct history_cache *history_cache_begin(const struct site *,
		    const char *);
void		 history_cache_end(struct history_cache *);
/*
 * Give every page its history from git (first published, last updated,
 * revisions), flag papers changed after their meeting and minutes
 * changed after approval, work out each meeting's publication
 * timeliness, and add a revision page for each page that changed.
 * Takes the versions cache (history_cache_begin), and writes it back.
 * Call after site_link and after src_history().
 */
void		 history_link(struct site *, struct history_cache *,
		    struct diags *);
/*
 * A revision page's versions for its template (page.versions), newest
 * first, made in the arena given: on the render threads, each page's
 * while it renders, so that a build never holds every page's at once
 * and a page kept from the last build never decodes its own.
 */
struct val	*history_versions(struct arena *, const struct page *);
/* Feed what history_versions() makes a page's versions from. */
void		 history_feed(struct sha256 *, const struct page *);
/* Link the public record: people, minutes, registers, measures. */
void		 record_link(struct site *, struct diags *);
/*
 * Whether a page may be published: the one decision every writer asks
 * (HTML pages, copied attachments, search index, calendars, feeds,
 * sitemap, open data, history).  False for a paper of an exempt agenda
 * item or a paper no agenda item lists; p->withheld_why then says why.
 */
bool		 site_public(const struct page *);
/* Whether an agenda item (a meeting's data) is exempt (Part B). */
bool		 site_item_exempt(const struct val *);
/*
 * The checks of a meeting's agenda that need nothing but it: each item
 * numbered once, and every exempt item giving its reason.  Errors go
 * to d.
 */
void		 site_agenda_check(const struct val *, struct diags *);
/*
 * Meeting m's start and end times, in minutes after midnight, or -1 when
 * it gives none: an end at or before the start is not one (the model
 * warns of it), so the calendar, open data and the history agree.
 */
void		 site_meeting_times(const struct page *, int *, int *);
/*
 * Whether meeting m was called off: its status is cancelled or
 * postponed, so it did not take place on its date.
 */
bool		 site_called_off(const struct page *);
/*
 * The page of kind k that v (an id in content) names, or NULL after an
 * error at v's file:line:col suggesting the nearest id of that kind.
 */
struct page	*site_resolve(struct site *, enum page_kind,
		    const struct val *, struct diags *);
/* Find a page by kind and id, or NULL. */
struct page	*site_find(const struct site *, enum page_kind, const char *);
/*
 * Append to out the URL of the output for a site-relative source path
 * (a page or a copied file).  Returns false when the path is not
 * published.  Safe to call from several threads.
 */
bool		 site_url(const struct site *, const char *, struct buf *);
/* (Re)build the index of pages by URL, after pages were added. */
void		 site_index(struct site *);
/* The page with this URL (after site_link), or NULL. */
struct page	*site_find_url(const struct site *, const char *);
void		 site_free(struct site *);

#endif
