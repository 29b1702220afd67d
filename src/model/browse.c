/*
 * Browse pages (see browse.h).  Only listings are added here, through
 * site_add_listing(); their data is read from what the model already
 * decided (public pages only: withheld papers are no longer pages).
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "model/site.h"
#include "model/browse.h"

#define NEW_DAYS	60	/* "What's new" looks back this far */
#define NEW_MAX		500	/* and lists at most this many, newest */

/* A procedural decision: about the minutes, apologies or declarations. */
static bool
procedural(const struct val *d)
{
	const char	*t = val_get_str(val_get(d, "item"), "title");

	return t != NULL && (strcasestr(t, "minutes") != NULL ||
	    strcasestr(t, "apologies") != NULL ||
	    strcasestr(t, "declarations") != NULL);
}

/* One page per decision, linked from the register. */
static void
decision_pages(struct site *s)
{
	struct arena	*a = s->arena;
	struct val	*l = val_get(s->lists, "decisions"), *d, *acts, *ma;
	struct page	*p, *reg = site_find_url(s, arena_printf(a,
			    "%sdecisions/", s->base_path)), *m;
	const char	*id, *res, *cs, *num;
	struct date	 dt;
	struct buf	 when;
	size_t		 i, j, cut;

	buf_init(&when);

	for (i = 0; l != NULL && i < l->n; i++) {
		d = l->items[i];
		if ((id = val_get_str(d, "id")) == NULL ||
		    (res = val_get_str(d, "resolution")) == NULL)
			continue;
		cs = val_get_str(val_get(d, "committee"), "title");
		buf_reset(&when);
		if (val_get_str(d, "date") != NULL &&
		    text_parse_date(val_get_str(d, "date"), &dt))
			text_fmt_date(&when, &dt, false);
		/* The item's number is not the decision's: several can be
		 * made at one item.  The resolution is cut at a character. */
		num = val_get_str(val_get(d, "item"), "number");
		if ((cut = strlen(res)) > 60)
			for (cut = 60; cut > 0 && (res[cut] & 0xc0) == 0x80;)
				cut--;
		p = site_add_listing(s, arena_printf(a, "decisions/%s", id),
		    arena_printf(a, "decisions/%s/", id), arena_printf(a,
		    "Decision%s%s: %.*s%s (%s, %s)", num ? " at item " : "",
		    num ? num : "", (int)cut, res, res[cut] != '\0' ?
		    "\xe2\x80\xa6" : "", cs ? cs : "meeting", when.len ?
		    when.data : "undated"), "decision.html");
		p->parent = reg;
		val_set(a, d, "url", val_str(a, p->url));
		val_set(a, d, "procedural", val_bool(a, procedural(d)));
		val_set(a, p->data, "decision", d);
		m = site_find(s, PAGE_MEETING, val_get_str(val_get(d,
		    "meeting"), "id") ? val_get_str(val_get(d, "meeting"),
		    "id") : "");
		if (m == NULL)
			continue;
		val_set(a, p->data, "minutes", val_get(m->data, "minutes"));
		/* The actions agreed at the same item. */
		acts = val_list(a);
		ma = val_get(m->data, "actions");
		for (j = 0; ma != NULL && j < ma->n; j++)
			if (val_get(ma->items[j], "item") == val_get(d, "item"))
				val_push(a, acts, ma->items[j]);
		val_set(a, p->data, "actions", acts);
	}
	buf_free(&when);
}

/* A page for "What's new": its day, and where the item's values come from. */
struct new_item {
	struct page	*p;
	struct val	*h;		/* its history */
	const char	*on, *first;
};

/* Newest first; on the same day, by address (one order on every run). */
static int
newest(const void *x, const void *y)
{
	const struct new_item *p = x, *q = y;
	int	c = strcmp(q->on, p->on);

	return c != 0 ? c : strcmp(p->p->url, q->p->url);
}

/* Everything first published or changed in the last NEW_DAYS days. */
static void
whats_new(struct site *s, struct page *home)
{
	struct arena	*a = s->arena;
	struct page	*np, *p;
	struct val	*items = val_list(a), *h, *it;
	struct new_item	*all;
	struct date	 dt;
	const char	*first, *last, *on;
	long		 today = text_days(&s->today), days;
	size_t		 i, k, n = s->npages;

	np = site_add_listing(s, "whats-new", "whats-new/", "What's new",
	    "whats-new.html");
	np->parent = home;
	all = xreallocarray(NULL, n + 1, sizeof(*all));
	for (i = k = 0; i < n; i++) {
		p = s->pages[i];
		if (p->kind == PAGE_LIST || !site_public(p) ||
		    (h = val_get(p->data, "history")) == NULL)
			continue;
		first = val_get_str(h, "first_published_date");
		last = val_get_str(h, "last_updated_date");
		on = last != NULL ? last : first;
		if (on == NULL || !text_parse_date(on, &dt))
			continue;
		days = today - text_days(&dt);
		if (days < 0 || days > NEW_DAYS)
			continue;
		all[k++] = (struct new_item){ p, h, on, first };
	}
	if (k > 1)
		qsort(all, k, sizeof(*all), newest);
	/*
	 * A site moved into git in one go is all new at once: the page
	 * lists the newest NEW_MAX and says how many there are (one page
	 * of 100,000 would be tens of megabytes, over what a template may
	 * write).  Only those listed are made into values.
	 */
	val_set(a, np->data, "total", val_num(a, (double)k));
	if (k > NEW_MAX)
		val_set(a, np->data, "more", val_num(a,
		    (double)(k - NEW_MAX)));
	for (i = 0; i < k && i < NEW_MAX; i++) {
		it = val_map(a);
		val_set(a, it, "page", site_ref(s, all[i].p));
		val_set(a, it, "url", val_str(a, all[i].p->url));
		val_set(a, it, "kind", val_str(a,
		    site_kind_name(all[i].p->kind)));
		val_set(a, it, "changed_on", val_str(a, all[i].on));
		val_set(a, it, "changed", val_bool(a, all[i].first != NULL &&
		    strcmp(all[i].first, all[i].on) != 0));
		if (val_get(all[i].h, "url") != NULL)
			val_set(a, it, "history_url", val_get(all[i].h, "url"));
		val_push(a, items, it);
	}
	free(all);
	val_set(a, np->data, "items", items);
	val_set(a, np->data, "days", val_num(a, NEW_DAYS));
}

/* The committee whose meeting raised an action, or NULL. */
static struct page *
action_committee(struct site *s, const struct val *ac)
{
	const char	*mid = val_get_str(val_get(ac, "raised"), "id");
	const char	*cid;
	struct page	*m;

	if (mid == NULL || (m = site_find(s, PAGE_MEETING, mid)) == NULL ||
	    (cid = val_get_str(val_get(m->data, "committee"), "id")) == NULL)
		return NULL;
	return site_find(s, PAGE_COMMITTEE, cid);
}

/*
 * Give an action log page its three sections (overdue, open and not
 * overdue, closed), of the actions that pass the filter (committee or
 * owner; neither: all).
 */
static void
log_sections(struct site *s, struct page *lp, const struct page *c,
    const char *owner)
{
	struct arena	*a = s->arena;
	static const char *const names[] = { "actions_overdue",
	    "actions_open", "actions_closed" };
	struct val	*all = val_get(s->lists, "actions"), *ac, *sec[3];
	const char	*st;
	size_t		 i, k, n = 0;

	for (k = 0; k < 3; k++)
		sec[k] = val_list(a);
	for (i = 0; all != NULL && i < all->n; i++) {
		ac = all->items[i];
		if (c != NULL && action_committee(s, ac) != c)
			continue;
		if (owner != NULL && (val_get_str(val_get(ac, "owner"),
		    "id") == NULL || strcmp(val_get_str(val_get(ac, "owner"),
		    "id"), owner) != 0))
			continue;
		st = val_get_str(ac, "status");
		k = st != NULL && (strcmp(st, "done") == 0 ||
		    strcmp(st, "dropped") == 0) ? 2 : val_truthy(val_get(ac,
		    "overdue")) ? 0 : 1;
		val_push(a, sec[k], ac);
		n++;
	}
	for (k = 0; k < 3; k++)
		val_set(a, lp->data, names[k], sec[k]);
	val_set(a, lp->data, "actions_total", val_num(a, (double)n));
}

/*
 * The action log in sections, and the same log for each committee and
 * each owner of an action, as static pages (no script needed).
 */
static void
action_logs(struct site *s)
{
	struct arena	*a = s->arena;
	struct page	*log = site_find_url(s, arena_printf(a, "%sactions/",
			    s->base_path)), *p, *c;
	const struct val *all = val_get(s->lists, "actions");
	struct val	*comms = val_list(a), *owners = val_list(a), *f;
	struct val	*seen = val_map(a);
	const char	*oid;
	size_t		 i, j;

	if (log == NULL)
		return;
	log_sections(s, log, NULL, NULL);
	for (i = 0; i < s->npages; i++) {
		c = s->pages[i];
		if (c->kind != PAGE_COMMITTEE)
			continue;
		for (j = 0; all != NULL && j < all->n; j++)
			if (action_committee(s, all->items[j]) == c)
				break;
		if (all == NULL || j == all->n)
			continue;	/* no actions: no page */
		p = site_add_listing(s, arena_printf(a, "actions/committee/%s",
		    c->id), arena_printf(a, "actions/committee/%s/", c->id),
		    arena_printf(a, "Action log: %s", c->title),
		    "actions.html");
		p->parent = log;
		val_set(a, p->data, "filter", site_ref(s, c));
		val_set(a, c->data, "action_log", val_str(a, p->url));
		log_sections(s, p, c, NULL);
		f = site_ref(s, p);
		val_set(a, f, "name", val_str(a, c->title));
		val_push(a, comms, f);
	}
	for (i = 0; all != NULL && i < all->n; i++) {
		if ((oid = val_get_str(val_get(all->items[i], "owner"), "id"))
		    == NULL || val_get(seen, oid) != NULL)
			continue;
		val_set(a, seen, oid, val_bool(a, true));
		if ((c = site_find(s, PAGE_PERSON, oid)) == NULL)
			continue;
		p = site_add_listing(s, arena_printf(a, "actions/owner/%s",
		    oid), arena_printf(a, "actions/owner/%s/", oid),
		    arena_printf(a, "Action log: actions owned by %s",
		    c->title), "actions.html");
		p->parent = log;
		val_set(a, p->data, "filter", site_ref(s, c));
		val_set(a, c->data, "action_log", val_str(a, p->url));
		log_sections(s, p, NULL, oid);
		f = site_ref(s, p);
		val_set(a, f, "name", val_str(a, c->title));
		val_push(a, owners, f);
	}
	val_set(a, s->lists, "action_logs_by_committee", comms);
	val_set(a, s->lists, "action_logs_by_owner", owners);
}

/*
 * An agenda pack for each meeting with public papers: the meeting's
 * facts and agenda, for the pack's template; render/pack.c adds the
 * papers' bodies when it is rendered.
 */
static void
packs(struct site *s)
{
	struct arena	*a = s->arena;
	static const char *const own[] = { "url", "id", "kind", "title",
	    "permalink", "source", "history", NULL };
	struct page	*m, *p;
	struct val	*papers;
	struct buf	 when;
	size_t		 i, j, k, n = s->npages;

	buf_init(&when);
	for (i = 0; i < n; i++) {
		m = s->pages[i];
		if (m->kind != PAGE_MEETING || (papers = val_get(m->data,
		    "papers")) == NULL || papers->n == 0)
			continue;
		buf_reset(&when);
		if (m->has_date)
			text_fmt_date(&when, &m->date, false);
		p = site_add_listing(s, arena_printf(a, "%s/pack", m->id),
		    arena_printf(a, "%spack/", m->url + strlen(s->base_path)),
		    arena_printf(a, "Agenda pack: %s, %s", m->title, when.len ?
		    when.data : "undated"), "pack.html");
		p->parent = m;
		for (j = 0; j < m->data->n; j++) {
			for (k = 0; own[k] != NULL && strcmp(own[k],
			    m->data->pairs[j].key) != 0; k++)
				;
			if (own[k] == NULL)
				val_set(a, p->data, m->data->pairs[j].key,
				    m->data->pairs[j].v);
		}
		val_set(a, p->data, "pack_of", val_str(a, m->id));
		val_set(a, p->data, "meeting", site_ref(s, m));
		val_set(a, m->data, "pack_url", val_str(a, p->url));
	}
	buf_free(&when);
}

/* Each committee's next meeting that will take place, for the home page. */
static void
next_meetings(struct site *s)
{
	const struct val *up = val_get(s->lists, "upcoming_meetings"), *m;
	struct page	*c;
	const char	*cid;
	size_t		 i;

	for (i = 0; up != NULL && i < up->n; i++) {	/* soonest first */
		m = up->items[i];
		if (val_get_str(m, "status") == NULL || strcmp(val_get_str(m,
		    "status"), "scheduled") != 0 || (cid = val_get_str(
		    val_get(m, "committee"), "id")) == NULL ||
		    (c = site_find(s, PAGE_COMMITTEE, cid)) == NULL ||
		    val_get(c->data, "next_meeting") != NULL)
			continue;
		val_set(s->arena, c->data, "next_meeting", up->items[i]);
	}
}

static int
meeting_day(const void *x, const void *y)
{
	const struct page *p = *(struct page *const *)x;
	const struct page *q = *(struct page *const *)y;
	long	a = text_days(&p->date), b = text_days(&q->date);

	return a < b ? -1 : a > b ? 1 : strcmp(p->url, q->url);
}

/*
 * Meetings by year (meetings/YEAR/) and a calendar of every month with
 * a meeting (meetings/calendar/): each month has its days, with the
 * weekday the month starts on (1 Monday ... 7 Sunday) so a template can
 * lay it out as a grid on a wide screen and a list on a phone.
 */
static void
calendar(struct site *s)
{
	struct arena	*a = s->arena;
	struct page	**v, *meet = site_find_url(s, arena_printf(a,
			    "%smeetings/", s->base_path)), *cal, *yp = NULL;
	struct val	*months = val_list(a), *years = val_list(a), *mo = NULL;
	struct val	*days = NULL, *dv, *yl = NULL;
	struct date	 dt;
	size_t		 i, n = 0;
	int		 y = -1, mon = -1, k, len;
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	static const char *const names[] = { "January", "February", "March",
	    "April", "May", "June", "July", "August", "September", "October",
	    "November", "December" };

	memset(&dt, 0, sizeof(dt));

	v = xcalloc(s->npages + 1, sizeof(*v));
	for (i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_MEETING &&
		    s->pages[i]->has_date && site_public(s->pages[i]))
			v[n++] = s->pages[i];
	qsort(v, n, sizeof(*v), meeting_day);
	for (i = 0; i < n; i++) {
		if (v[i]->date.year != y) {
			y = v[i]->date.year;
			yp = NULL;
			if (site_find_url(s, arena_printf(a, "%smeetings/%d/",
			    s->base_path, y)) == NULL) {
				yp = site_add_listing(s, arena_printf(a,
				    "meetings/%d", y), arena_printf(a,
				    "meetings/%d/", y), arena_printf(a,
				    "Meetings in %d", y), "meetings-year.html");
				yp->parent = meet;
				val_set(a, yp->data, "year", val_num(a, y));
				yl = val_list(a);
				val_set(a, yp->data, "meetings", yl);
				dv = site_ref(s, yp);
				val_set(a, dv, "year", val_num(a, y));
				val_push(a, years, dv);
			}
		}
		if (yp != NULL)
			val_push(a, yl, v[i]->data);
		if (v[i]->date.month != mon || v[i]->date.year != dt.year) {
			mon = v[i]->date.month;
			dt = v[i]->date;
			dt.day = 1;
			mo = val_map(a);
			val_set(a, mo, "id", val_str(a, arena_printf(a,
			    "%04d-%02d", dt.year, dt.month)));
			val_set(a, mo, "title", val_str(a, arena_printf(a,
			    "%s %d", names[(v[i]->date.month + 11) % 12],
			    v[i]->date.year)));
			val_set(a, mo, "year", val_num(a, dt.year));
			val_set(a, mo, "month", val_num(a, dt.month));
			val_set(a, mo, "start", val_num(a,
			    text_weekday(&dt) + 1));
			days = val_list(a);
			len = mon >= 1 && mon <= 12 ? mdays[mon - 1] + (mon ==
			    2 && ((dt.year % 4 == 0 && dt.year % 100 != 0) ||
			    dt.year % 400 == 0)) : 0;
			for (k = 1; k <= len; k++) {
				dv = val_map(a);
				dt.day = k;
				val_set(a, dv, "day", val_num(a, k));
				val_set(a, dv, "date", val_str(a, arena_printf(a,
				    "%04d-%02d-%02d", dt.year, dt.month, k)));
				val_set(a, dv, "weekday", val_num(a,
				    text_weekday(&dt) + 1));
				val_set(a, dv, "meetings", val_list(a));
				val_push(a, days, dv);
			}
			dt.day = 1;
			val_set(a, mo, "days", days);
			val_push(a, months, mo);
		}
		if (days != NULL && v[i]->date.day >= 1 &&
		    (size_t)v[i]->date.day <= days->n)
			val_push(a, val_get(days->items[v[i]->date.day - 1],
			    "meetings"), v[i]->data);
	}
	free(v);
	val_set(a, s->lists, "meeting_years", years);
	if (months->n == 0)
		return;
	cal = site_add_listing(s, "meetings/calendar", "meetings/calendar/",
	    "Calendar of meetings", "calendar.html");
	cal->parent = meet;
	val_set(a, cal->data, "months", months);
	val_set(a, s->lists, "calendar_url", val_str(a, cal->url));
}

/*
 * The role a person held on a day (YYYY-MM-DD), from the dated "roles"
 * of their front matter, or NULL when they give none for that day.
 */
static const char *
role_at(const struct site *s, const char *pid, const char *day)
{
	const struct page *p;
	const struct val *rl, *r;
	const char	*from, *to;
	size_t		 i;

	if (pid == NULL || day == NULL ||
	    (p = site_find(s, PAGE_PERSON, pid)) == NULL ||
	    (rl = val_get(p->data, "roles")) == NULL || rl->kind != VAL_LIST)
		return NULL;
	for (i = 0; i < rl->n; i++) {
		r = rl->items[i];
		from = val_get_str(r, "from");
		to = val_get_str(r, "to");
		if ((from == NULL || strcmp(from, day) <= 0) &&
		    (to == NULL || strcmp(day, to) <= 0))
			return val_get_str(r, "role");
	}
	return NULL;
}

/*
 * A copy of a person reference with their organisation and whom they
 * represent, and, when day is given, the role they held on that day.
 */
static struct val *
dated(struct site *s, struct val *ref, const char *day)
{
	const char	*role;
	const struct page *p;
	struct val	*c;
	size_t		 i;

	if (ref == NULL || ref->kind != VAL_MAP || (p = site_find(s,
	    PAGE_PERSON, val_get_str(ref, "id") ? val_get_str(ref, "id") :
	    "")) == NULL)
		return ref;
	c = val_map(s->arena);
	for (i = 0; i < ref->n; i++)
		val_set(s->arena, c, ref->pairs[i].key, ref->pairs[i].v);
	if (val_get(p->data, "organisation") != NULL)
		val_set(s->arena, c, "organisation", val_get(p->data,
		    "organisation"));
	if (val_get(p->data, "represents") != NULL)
		val_set(s->arena, c, "represents", val_get(p->data,
		    "represents"));
	if ((role = role_at(s, p->id, day)) != NULL) {
		val_set(s->arena, c, "role", val_str(s->arena, role));
		val_set(s->arena, c, "role_then", val_bool(s->arena, true));
	}
	return c;
}

/*
 * Committees name their members with their organisation and whom they
 * represent; minutes name people with the role they held at the
 * meeting, not the one they hold now (present, apologies, substitutes
 * and attendance), and their organisation.
 */
static void
roles_then(struct site *s)
{
	static const char *const lists[] = { "present", "apologies", NULL };
	struct page	*p;
	struct val	*l, *e;
	const char	*day;
	size_t		 i, j, k;

	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->kind == PAGE_COMMITTEE && (l = val_get(p->data,
		    "members")) != NULL && l->kind == VAL_LIST)
			for (j = 0; j < l->n; j++)	/* who they are now */
				if ((e = val_get(l->items[j], "person")) != NULL)
					val_set(s->arena, l->items[j], "person",
					    dated(s, e, NULL));
		if (p->kind != PAGE_MINUTES || (day = val_get_str(val_get(
		    p->data, "meeting"), "date")) == NULL)
			continue;
		for (k = 0; lists[k] != NULL; k++)
			if ((l = val_get(p->data, lists[k])) != NULL &&
			    l->kind == VAL_LIST)
				for (j = 0; j < l->n; j++)
					l->items[j] = dated(s, l->items[j], day);
		if ((l = val_get(p->data, "substitutes")) != NULL &&
		    l->kind == VAL_LIST)
			for (j = 0; j < l->n; j++)
				if ((e = val_get(l->items[j], "person")) != NULL)
					val_set(s->arena, l->items[j], "person",
					    dated(s, e, day));
		if ((l = val_get(p->data, "in_attendance")) != NULL &&
		    l->kind == VAL_LIST)
			for (j = 0; j < l->n; j++)
				if ((e = val_get(l->items[j], "person")) != NULL)
					val_set(s->arena, l->items[j], "person",
					    dated(s, e, day));
	}
}

void
browse_link(struct site *s)
{
	struct page	*home = site_find(s, PAGE_HOME, "home"), *p, *fp;

	next_meetings(s);
	roles_then(s);
	calendar(s);
	decision_pages(s);
	action_logs(s);
	packs(s);
	whats_new(s, home);
	p = site_add_listing(s, "subscribe", "subscribe/",
	    "Subscribe to meetings, papers and news", "subscribe.html");
	p->parent = home;
	/* The forward plan, when the site has one: its page and its feed. */
	if ((fp = site_find_url(s, arena_printf(s->arena, "%sforward-plan/",
	    s->base_path))) != NULL) {
		val_set(s->arena, s->lists, "forward_plan_url",
		    val_str(s->arena, fp->url));
		val_set(s->arena, s->lists, "forward_plan_feed",
		    val_str(s->arena, arena_printf(s->arena,
		    "%sforward-plan.xml", s->base_path)));
	}
	site_index(s);
}
