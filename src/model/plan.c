/*
 * The forward plan: what each committee expects to consider at future
 * meetings (forward-plan/ID.md).  Each item names its committee, the
 * meeting it is expected at (or a month), its lead and purpose; whether
 * it has been taken is derived, never typed: a meeting's agenda item
 * that names the plan item ("forward_plan: ID") takes it, and the two
 * link both ways.
 *
 * For templates this gives each item's data committee, meeting and lead
 * refs, expected (the date it is expected by), month and month_text,
 * status ("taken" when an agenda names it) and taken_at; lists
 * forward_plan (every item, by expected date) and forward_plan_by_month;
 * each meeting's data expected_items (items expected at it, not yet
 * taken elsewhere) and each committee's forward-plan page.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "model/kind.h"
#include "model/site.h"

/* A "YYYY-MM" month, as the first day of it. */
static bool
parse_month(const char *s, struct date *d)
{
	char	day[11];

	if (s == NULL || strlen(s) != 7 || s[4] != '-')
		return false;
	memcpy(day, s, 7);
	memcpy(day + 7, "-01", 4);
	return text_parse_date(day, d);
}

static int
by_expected(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;
	long	x = p->has_date ? text_days(&p->date) : 0;
	long	y = q->has_date ? text_days(&q->date) : 0;

	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(p->title, q->title);
}

/* The committee, meeting and lead of an item; when it is expected. */
static void
link_item(struct site *s, struct page *p, struct diags *d)
{
	struct arena	*a = s->arena;
	const struct val *cv = val_get(p->data, "committee");
	const struct val *mv = val_get(p->data, "meeting");
	const struct val *month = val_get(p->data, "month");
	const struct val *ex = val_get(p->data, "exempt");
	struct page	*c, *m = NULL, *lead;
	const char	*mc;
	struct buf	 b;

	if ((c = site_resolve(s, PAGE_COMMITTEE, cv, d)) != NULL)
		val_set(a, p->data, "committee", site_ref(s, c));
	if (mv != NULL && (m = site_resolve(s, PAGE_MEETING, mv, d)) != NULL) {
		val_set(a, p->data, "meeting", site_ref(s, m));
		mc = val_get_str(m->fm, "committee");
		if (c != NULL && mc != NULL && strcmp(mc, c->id) != 0)
			diag_error(d, mv->file, mv->line, mv->col, "meeting "
			    "'%s' is a meeting of '%s', not of '%s' (name a "
			    "meeting of the item's committee)", mv->str, mc,
			    c->id);
	}
	if (month != NULL && (month->kind != VAL_STR ||
	    !parse_month(month->str, &p->date)))
		diag_error(d, month->file, month->line, month->col, "month "
		    "'%s' is not a month (write YYYY-MM, e.g. 2027-03)",
		    month->kind == VAL_STR ? month->str : "?");
	else if (month != NULL)
		p->has_date = true;
	if (m != NULL && m->has_date) {
		p->date = m->date;	/* the meeting says when, exactly */
		p->has_date = true;
	}
	if (mv == NULL && month == NULL)
		diag_error(d, p->source, 1, 1, "forward plan item gives "
		    "neither 'meeting:' nor 'month:' (say when the committee "
		    "expects to consider it)");
	if ((lead = site_resolve(s, PAGE_PERSON, val_get(p->data, "lead"),
	    d)) != NULL)
		val_set(a, p->data, "lead", site_ref(s, lead));
	if (ex != NULL && ex->kind == VAL_BOOL && ex->b &&
	    val_get_str(p->data, "exempt_reason") == NULL)
		diag_error(d, ex->file, ex->line, ex->col, "forward plan item "
		    "expected to be exempt gives no reason (add "
		    "'exempt_reason:' saying why)");
	if (val_get(p->data, "status") == NULL)
		val_set(a, p->data, "status", val_str(a, "planned"));
	if (!p->has_date)
		return;
	buf_init(&b);
	buf_printf(&b, "%04d-%02d-%02d", p->date.year, p->date.month,
	    p->date.day);
	val_set(a, p->data, "expected", val_str(a, b.data));
	val_set(a, p->data, "month", val_str(a, arena_strndup(a, b.data, 7)));
	buf_reset(&b);
	p->date.day = 1;
	text_fmt_date(&b, &p->date, false);	/* "1 March 2027" */
	if (m != NULL)
		p->date = m->date;
	val_set(a, p->data, "month_text", val_str(a, strchr(b.data, ' ') !=
	    NULL ? strchr(b.data, ' ') + 1 : b.data));
	buf_free(&b);
}

/*
 * Agenda items that name a plan item take it: the item's status becomes
 * "taken", with the meeting and item number; the agenda item gets the
 * plan item's ref.  A cancelled or postponed meeting takes nothing.
 */
static void
link_taken(struct site *s, struct diags *d)
{
	struct arena	*a = s->arena;
	struct page	*m, *p;
	const struct val *ag, *fp;
	struct val	*it, *at;
	size_t		 i, j;

	for (i = 0; i < s->npages; i++) {
		m = s->pages[i];
		if (m->kind != PAGE_MEETING || m->withheld)
			continue;
		ag = val_get(m->data, "agenda");
		for (j = 0; ag != NULL && ag->kind == VAL_LIST &&
		    j < ag->n; j++) {
			it = ag->items[j];
			fp = val_get(it, "forward_plan");
			if (fp == NULL || (p = site_resolve(s, PAGE_PLAN, fp,
			    d)) == NULL)
				continue;
			if (site_called_off(m)) {
				/* Never took place: nothing was taken there. */
				val_set(a, it, "forward_plan_item",
				    site_ref(s, p));
				continue;
			}
			if (val_get(p->data, "taken_at") != NULL) {
				diag_error(d, fp->file, fp->line, fp->col,
				    "forward plan item '%s' is already taken "
				    "at %s (name it on one agenda only)",
				    p->id, val_get_str(val_get(p->data,
				    "taken_at"), "id"));
				continue;
			}
			val_set(a, it, "forward_plan_item", site_ref(s, p));
			at = site_ref(s, m);
			val_set(a, at, "number", val_get(it, "number"));
			val_set(a, at, "item_title", val_get(it, "title"));
			val_set(a, p->data, "taken_at", at);
			val_set(a, p->data, "status", val_str(a, "taken"));
			val_set(a, p->data, "meeting", site_ref(s, m));
		}
	}
}

/* Items grouped by expected month: [{month, month_text, items}]. */
static struct val *
by_month(struct site *s, struct page **v, size_t n, const char *cid)
{
	struct arena	*a = s->arena;
	struct val	*months = val_list(a), *cur = NULL;
	const char	*mo, *last = NULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (cid != NULL && strcmp(val_get_str(val_get(v[i]->data,
		    "committee"), "id") ? val_get_str(val_get(v[i]->data,
		    "committee"), "id") : "", cid) != 0)
			continue;
		mo = val_get_str(v[i]->data, "month");
		if (mo == NULL)
			mo = "";
		if (cur == NULL || strcmp(mo, last) != 0) {
			cur = val_map(a);
			val_set(a, cur, "month", val_str(a, mo));
			val_set(a, cur, "month_text", val_get(v[i]->data,
			    "month_text"));
			val_set(a, cur, "items", val_list(a));
			val_push(a, months, cur);
			last = mo;
		}
		val_push(a, val_get(cur, "items"), v[i]->data);
	}
	return months;
}

void
plan_link(struct site *s, struct page **v, size_t n, struct diags *d)
{
	struct arena	*a = s->arena;
	struct val	*all = val_list(a), *l, *months;
	struct page	*p, *c, *list;
	const char	*mid, *st;
	size_t		 i, j;

	for (i = 0; i < n; i++)
		link_item(s, v[i], d);
	link_taken(s, d);
	qsort(v, n, sizeof(*v), by_expected);
	for (i = 0; i < n; i++)
		val_push(a, all, v[i]->data);
	val_set(a, s->lists, "forward_plan", all);
	val_set(a, s->lists, "forward_plan_by_month", by_month(s, v, n, NULL));
	if ((list = site_find(s, PAGE_LIST, "forward-plan")) != NULL)
		val_set(a, list->data, "months", val_get(s->lists,
		    "forward_plan_by_month"));

	/* Each meeting: the items expected at it and not taken elsewhere. */
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		if (p->kind != PAGE_MEETING)
			continue;
		l = val_list(a);
		for (j = 0; j < n; j++) {
			mid = val_get_str(val_get(v[j]->data, "meeting"), "id");
			st = val_get_str(v[j]->data, "status");
			if (mid != NULL && strcmp(mid, p->id) == 0 &&
			    st != NULL && (strcmp(st, "planned") == 0 ||
			    strcmp(st, "moved") == 0))
				val_push(a, l, v[j]->data);
		}
		val_set(a, p->data, "expected_items", l);
	}

	/* Each committee with items: its own forward plan page. */
	for (i = 0; i < s->npages; i++) {
		c = s->pages[i];
		if (c->kind != PAGE_COMMITTEE)
			continue;
		months = by_month(s, v, n, c->id);
		if (months->n == 0)
			continue;
		p = site_add_listing(s, arena_printf(a, "forward-plan/%s",
		    c->id), arena_printf(a, "committees/%s/forward-plan/",
		    c->id), arena_printf(a, "Forward plan: %s", c->title),
		    "forward-plan.html");
		p->parent = c;
		val_set(a, p->data, "committee", site_ref(s, c));
		val_set(a, p->data, "months", months);
		val_set(a, c->data, "forward_plan_url", val_str(a, p->url));
	}
}
