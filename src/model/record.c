/*
 * The public record: organisations and people, committee membership,
 * minutes with attendance, declarations, decisions and actions (and
 * their updates over later meetings), public questions, and strategy
 * measures.  Every reference between files is checked here and
 * reported at the referring key's file:line:col with the nearest valid
 * name; the registers (decisions, actions, questions, declarations)
 * are built as lists for templates.
 */
#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "load/src.h"
#include "model/kind.h"
#include "model/site.h"

struct record {
	struct site	*s;
	struct arena	*a;
	struct diags	*d;
	struct page	**byid;		/* the site's pages by kind, then id */
	size_t		 n;
	long		 today;
	struct val	*actions;	/* id -> action object, for updates */
	struct val	*decisions, *declarations, *all_actions;
};

/* The page of kind k with this id, through the site's index. */
static struct page *
find(const struct record *r, enum page_kind k, const char *id)
{
	return site_find(r->s, k, id);
}

/*
 * The page of kind k that v (an id) names, or NULL after an error that
 * suggests the nearest id of that kind.
 */
static struct page *
resolve(struct record *r, enum page_kind k, const struct val *v)
{
	struct page	*p;
	const char	**ids, *hint;
	size_t		 i, n = 0;

	if (v == NULL || v->kind != VAL_STR)
		return NULL;
	if ((p = find(r, k, v->str)) != NULL)
		return p;
	ids = xcalloc(r->s->counts[k] + 1, sizeof(*ids));
	for (i = 0; i < r->n; i++)
		if (r->byid[i]->kind == k)
			ids[n++] = r->byid[i]->id;
	hint = text_suggest(v->str, ids);
	if (hint != NULL)
		diag_error(r->d, v->file, v->line, v->col, "unknown %s '%s' "
		    "(did you mean '%s'?)", kind_get(k)->noun, v->str, hint);
	else {
		struct buf	 path;

		buf_init(&path);
		kind_path(k, v->str, &path);
		diag_error(r->d, v->file, v->line, v->col, "unknown %s '%s' "
		    "(there is no %s)", kind_get(k)->noun, v->str, path.data);
		buf_free(&path);
	}
	free(ids);
	return NULL;
}

static struct val *
str(struct record *r, const char *s)
{
	return val_str(r->a, s);
}

static struct val *
list_of(struct record *r, struct page *p, const char *key)
{
	struct val	*l = val_get(p->data, key);

	if (l == NULL || l->kind != VAL_LIST) {
		l = val_list(r->a);
		val_set(r->a, p->data, key, l);
	}
	return l;
}

/* "In progress" from "in-progress": words for a status key. */
static struct val *
words(struct record *r, const char *key)
{
	struct buf	 b;
	struct val	*v;

	buf_init(&b);
	buf_puts(&b, key);
	if (b.len > 0 && b.data[0] >= 'a' && b.data[0] <= 'z')
		b.data[0] -= 'a' - 'A';
	for (char *c = b.data; *c != '\0'; c++)
		if (*c == '-')
			*c = ' ';
	v = val_str(r->a, b.data);
	buf_free(&b);
	return v;
}

static long
day_of(const struct val *v)
{
	struct date	d;

	if (v == NULL || v->kind != VAL_STR || !text_parse_date(v->str, &d))
		return -1;
	return text_days(&d);
}

/* --- people and organisations ----------------------------------------- */

static void
link_people(struct record *r)
{
	struct page	*p, *o;
	const char	*keys[] = { "organisation", "represents" };
	size_t		 i, k;

	for (i = 0; i < r->n; i++) {
		p = r->byid[i];
		if (p->kind != PAGE_PERSON)
			continue;
		list_of(r, p, "memberships");
		list_of(r, p, "attendance");
		list_of(r, p, "declarations");
		list_of(r, p, "actions");
		for (k = 0; k < 2; k++) {
			o = resolve(r, PAGE_ORGANISATION, val_get(p->fm,
			    keys[k]));
			if (o == NULL)
				continue;
			val_set(r->a, p->data, keys[k], site_ref(r->s, o));
			if (k == 0 || strcmp(o->id, val_get_str(p->fm,
			    "organisation") ? val_get_str(p->fm,
			    "organisation") : "") != 0)
				val_push(r->a, list_of(r, o, "people"),
				    site_ref(r->s, p));
		}
	}
}

/* Whether a term from..to covers day (either end may be open). */
static bool
covers(const struct val *m, long day)
{
	long	from = day_of(val_get(m, "from"));
	long	to = day_of(val_get(m, "to"));

	return (from < 0 || from <= day) && (to < 0 || day <= to);
}

/*
 * A committee's terms of reference: an https address as it is, or a
 * file of the site, which must exist, as its published address.
 */
static void
terms_of_reference(struct record *r, struct page *c)
{
	const struct val *v = val_get(c->fm, "terms_of_reference");
	struct buf	 url;

	if (v == NULL || v->kind != VAL_STR)
		return;
	if (strncmp(v->str, "https://", 8) == 0 ||
	    strncmp(v->str, "http://", 7) == 0) {
		val_set(r->a, c->data, "terms_of_reference_url",
		    (struct val *)(uintptr_t)v);
		return;
	}
	buf_init(&url);
	if (src_find(r->s->src, v->str) < 0 ||
	    !site_url(r->s, v->str, &url))
		diag_error(r->d, v->file, v->line, v->col, "terms of "
		    "reference '%s' is not a file of the site (give its path, "
		    "e.g. pages/terms-of-reference.md, or an https address)",
		    v->str);
	else
		val_set(r->a, c->data, "terms_of_reference_url",
		    val_str(r->a, url.data));
	buf_free(&url);
}

static void
link_committees(struct record *r)
{
	struct page	*c, *p;
	struct val	*ml, *m, *mem, *role, *voting;
	size_t		 i, j;

	for (i = 0; i < r->n; i++) {
		c = r->byid[i];
		if (c->kind != PAGE_COMMITTEE)
			continue;
		terms_of_reference(r, c);
		ml = val_get(c->fm, "members");
		/* Replace the list as written with the linked members. */
		val_set(r->a, c->data, "members", val_list(r->a));
		for (j = 0; ml != NULL && ml->kind == VAL_LIST && j < ml->n;
		    j++) {
			m = ml->items[j];
			if ((p = resolve(r, PAGE_PERSON, val_get(m,
			    "person"))) == NULL)
				continue;
			role = val_get(m, "role");
			if (role == NULL || role->kind != VAL_STR)
				role = str(r, "member");
			voting = val_get(m, "voting");
			mem = val_map(r->a);
			val_set(r->a, mem, "person", site_ref(r->s, p));
			val_set(r->a, mem, "committee", site_ref(r->s, c));
			val_set(r->a, mem, "role", role);
			val_set(r->a, mem, "role_text", words(r, role->str));
			if (val_get(m, "from") != NULL)
				val_set(r->a, mem, "from", val_get(m, "from"));
			if (val_get(m, "to") != NULL)
				val_set(r->a, mem, "to", val_get(m, "to"));
			val_set(r->a, mem, "voting", voting != NULL &&
			    voting->kind == VAL_BOOL ? voting :
			    val_bool(r->a, true));
			val_set(r->a, mem, "current", val_bool(r->a,
			    covers(m, r->today)));
			val_push(r->a, list_of(r, c, "members"), mem);
			val_push(r->a, list_of(r, p, "memberships"), mem);
		}
	}
}

/* --- minutes ----------------------------------------------------------- */

/* The agenda item numbered num of meeting m, or NULL. */
static struct val *
agenda_item(const struct page *m, const char *num)
{
	const struct val *ag = val_get(m->fm, "agenda");
	size_t		  i;

	for (i = 0; ag != NULL && ag->kind == VAL_LIST && i < ag->n; i++)
		if (val_get_str(ag->items[i], "number") != NULL &&
		    strcmp(val_get_str(ag->items[i], "number"), num) == 0)
			return ag->items[i];
	return NULL;
}

/* {number, title} for item v (a number) of meeting m; NULL after error. */
static struct val *
item_ref(struct record *r, const struct page *m, const struct val *v)
{
	struct val	*it, *ref;

	if (v == NULL || v->kind != VAL_STR)
		return NULL;
	if ((it = agenda_item(m, v->str)) == NULL) {
		diag_error(r->d, v->file, v->line, v->col, "item '%s' is not "
		    "on the agenda of meeting '%s' (use the number the agenda "
		    "gives it)", v->str, m->id);
		return NULL;
	}
	ref = val_map(r->a);
	val_set(r->a, ref, "number", val_str(r->a, v->str));
	val_set(r->a, ref, "title", val_get(it, "title"));
	return ref;
}

/* People refs for a list of ids; each id also marked in seen. */
static struct val *
people(struct record *r, const struct val *ids, struct val *seen,
    const char *as)
{
	struct val	*l = val_list(r->a), *prev;
	struct page	*p;
	size_t		 i;

	for (i = 0; ids != NULL && ids->kind == VAL_LIST && i < ids->n; i++) {
		if ((p = resolve(r, PAGE_PERSON, ids->items[i])) == NULL)
			continue;
		if ((prev = val_get(seen, p->id)) != NULL) {
			diag_error(r->d, ids->items[i]->file,
			    ids->items[i]->line, ids->items[i]->col, "'%s' is "
			    "listed as %s and also as %s (give each person "
			    "once)", p->id, as, prev->str);
			continue;
		}
		val_set(r->a, seen, p->id, val_str(r->a, as));
		val_push(r->a, l, site_ref(r->s, p));
	}
	return l;
}

/*
 * Attendance at meeting m of committee c, for every member whose term
 * covers the meeting and everyone present in their place.
 */
static void
attendance(struct record *r, struct page *mt, struct page *c,
    const struct val *seen, const struct val *substitutes)
{
	const struct val *ml = c != NULL ? val_get(c->fm, "members") : NULL;
	struct val	*rec, *v, *sub, *att;
	struct page	*p;
	const char	*status, *last;
	long		 day = mt->has_date ? text_days(&mt->date) : 0;
	size_t		 i, j;

	for (i = 0; ml != NULL && ml->kind == VAL_LIST && i < ml->n; i++) {
		if (!covers(ml->items[i], day) ||
		    (p = find(r, PAGE_PERSON, val_get_str(ml->items[i],
		    "person") ? val_get_str(ml->items[i], "person") : ""))
		    == NULL)
			continue;
		/* Two entries of one person's that both cover the day (a
		 * role ending on the day another begins): one meeting. */
		att = list_of(r, p, "attendance");
		last = att->n > 0 ? val_get_str(val_get(att->items[att->n - 1],
		    "meeting"), "url") : NULL;
		if (last != NULL && strcmp(last, mt->url) == 0)
			continue;
		v = val_get(seen, p->id);
		status = v == NULL ? "absent" : strcmp(v->str, "present") == 0
		    ? "present" : strcmp(v->str, "apologies") == 0 ?
		    "apologies" : "present";
		rec = val_map(r->a);
		val_set(r->a, rec, "meeting", site_ref(r->s, mt));
		if (c != NULL)
			val_set(r->a, rec, "committee", site_ref(r->s, c));
		val_set(r->a, rec, "status", str(r, status));
		val_set(r->a, rec, "status_text", words(r, status));
		for (j = 0; substitutes != NULL && j < substitutes->n; j++) {
			sub = substitutes->items[j];
			if (strcmp(val_get_str(val_get(sub, "for"), "id"),
			    p->id) == 0)
				val_set(r->a, rec, "substitute",
				    val_get(sub, "person"));
		}
		val_push(r->a, list_of(r, p, "attendance"), rec);
	}
	/* Substitutes attend in someone's place. */
	for (j = 0; substitutes != NULL && j < substitutes->n; j++) {
		sub = substitutes->items[j];
		p = find(r, PAGE_PERSON, val_get_str(val_get(sub, "person"),
		    "id"));
		if (p == NULL)
			continue;
		rec = val_map(r->a);
		val_set(r->a, rec, "meeting", site_ref(r->s, mt));
		if (c != NULL)
			val_set(r->a, rec, "committee", site_ref(r->s, c));
		val_set(r->a, rec, "status", str(r, "substitute"));
		val_set(r->a, rec, "status_text", str(r, "Substitute"));
		val_set(r->a, rec, "for", val_get(sub, "for"));
		val_push(r->a, list_of(r, p, "attendance"), rec);
	}
}

/* Declarations of interest made at a meeting. */
static void
declarations(struct record *r, struct page *min, struct page *mt)
{
	const struct val *dl = val_get(min->fm, "declarations");
	struct val	*out = val_list(r->a), *dv, *o, *it;
	struct page	*p;
	size_t		 i;

	for (i = 0; dl != NULL && dl->kind == VAL_LIST && i < dl->n; i++) {
		dv = dl->items[i];
		if ((p = resolve(r, PAGE_PERSON, val_get(dv, "person"))) ==
		    NULL)
			continue;
		o = val_map(r->a);
		val_set(r->a, o, "person", site_ref(r->s, p));
		val_set(r->a, o, "meeting", site_ref(r->s, mt));
		val_set(r->a, o, "date", val_get(mt->fm, "date"));
		if (val_get(dv, "item") != NULL &&
		    (it = item_ref(r, mt, val_get(dv, "item"))) != NULL)
			val_set(r->a, o, "item", it);
		val_set(r->a, o, "interest", val_get(dv, "interest"));
		if (val_get(dv, "action") != NULL)
			val_set(r->a, o, "action", val_get(dv, "action"));
		val_push(r->a, out, o);
		val_push(r->a, list_of(r, p, "declarations"), o);
		val_push(r->a, r->declarations, o);
	}
	val_set(r->a, min->data, "declarations", out);
}

/*
 * Minuted items: the minute, the decisions and the actions raised.
 * Actions are entered in r->actions by id for later updates.
 */
static void
items(struct record *r, struct page *min, struct page *mt)
{
	const struct val *il = val_get(min->fm, "items"), *dl, *al;
	struct val	*out = val_list(r->a), *iv, *o, *it, *dv, *ac, *prev;
	struct val	*mdec = list_of(r, mt, "decisions");
	struct val	*mact = list_of(r, mt, "actions");
	struct val	*c = val_get(mt->data, "committee"), *idv, *type;
	struct page	*owner;
	size_t		 i, j;

	for (i = 0; il != NULL && il->kind == VAL_LIST && i < il->n; i++) {
		iv = il->items[i];
		if ((it = item_ref(r, mt, val_get(iv, "number"))) == NULL)
			continue;
		o = val_map(r->a);
		val_set(r->a, o, "number", val_get(it, "number"));
		val_set(r->a, o, "title", val_get(it, "title"));
		if (val_get(iv, "minute") != NULL)
			val_set(r->a, o, "minute", val_get(iv, "minute"));
		val_set(r->a, o, "decisions", val_list(r->a));
		val_set(r->a, o, "actions", val_list(r->a));
		dl = val_get(iv, "decisions");
		for (j = 0; dl != NULL && dl->kind == VAL_LIST && j < dl->n;
		    j++) {
			dv = val_map(r->a);
			val_set(r->a, dv, "id", val_str(r->a, arena_printf(
			    r->a, "%s-%s-%zu", mt->id, val_get(it,
			    "number")->str, j + 1)));
			val_set(r->a, dv, "meeting", site_ref(r->s, mt));
			if (c != NULL)
				val_set(r->a, dv, "committee", c);
			val_set(r->a, dv, "item", it);
			val_set(r->a, dv, "resolution", val_get(dl->items[j],
			    "resolution"));
			type = val_get(dl->items[j], "type");
			val_set(r->a, dv, "type", type != NULL ? type :
			    str(r, "agreed"));
			val_set(r->a, dv, "type_text", words(r, type != NULL &&
			    type->kind == VAL_STR ? type->str : "agreed"));
			val_set(r->a, dv, "date", val_get(mt->fm, "date"));
			val_push(r->a, val_get(o, "decisions"), dv);
			val_push(r->a, mdec, dv);
			val_push(r->a, r->decisions, dv);
		}
		al = val_get(iv, "actions");
		for (j = 0; al != NULL && al->kind == VAL_LIST && j < al->n;
		    j++) {
			idv = val_get(al->items[j], "id");
			if (idv == NULL || idv->kind != VAL_STR)
				continue;
			if ((prev = val_get(r->actions, idv->str)) != NULL) {
				diag_error(r->d, idv->file, idv->line, idv->col,
				    "duplicate action id '%s' (first raised at "
				    "meeting '%s'; give each action its own "
				    "id)", idv->str, val_get_str(val_get(prev,
				    "raised"), "id"));
				continue;
			}
			owner = resolve(r, PAGE_PERSON, val_get(al->items[j],
			    "owner"));
			ac = val_map(r->a);
			val_set(r->a, ac, "id", idv);
			val_set(r->a, ac, "anchor", val_str(r->a, arena_printf(
			    r->a, "action-%s", idv->str)));
			val_set(r->a, ac, "action", val_get(al->items[j],
			    "action"));
			if (owner != NULL) {
				val_set(r->a, ac, "owner", site_ref(r->s,
				    owner));
				val_push(r->a, list_of(r, owner, "actions"),
				    ac);
			}
			if (val_get(al->items[j], "due") != NULL)
				val_set(r->a, ac, "due", val_get(al->items[j],
				    "due"));
			val_set(r->a, ac, "raised", site_ref(r->s, mt));
			val_set(r->a, ac, "item", it);
			val_set(r->a, ac, "status", str(r, "open"));
			val_set(r->a, ac, "status_text", str(r, "Open"));
			val_set(r->a, ac, "updates", val_list(r->a));
			val_set(r->a, r->actions, idv->str, ac);
			val_push(r->a, val_get(o, "actions"), ac);
			val_push(r->a, mact, ac);
			val_push(r->a, r->all_actions, ac);
		}
		val_push(r->a, out, o);
	}
	val_set(r->a, min->data, "items", out);
}

static void
in_attendance(struct record *r, struct page *min, struct val *seen)
{
	const struct val *al = val_get(min->fm, "in_attendance");
	struct val	*out = val_list(r->a), *o, *pv;
	struct page	*p;
	size_t		 i;

	for (i = 0; al != NULL && al->kind == VAL_LIST && i < al->n; i++) {
		pv = val_get(al->items[i], "person");
		o = val_map(r->a);
		if (pv != NULL) {
			if ((p = resolve(r, PAGE_PERSON, pv)) == NULL)
				continue;
			val_set(r->a, o, "person", site_ref(r->s, p));
			val_set(r->a, seen, p->id, str(r, "in attendance"));
		} else if (val_get(al->items[i], "name") == NULL) {
			diag_error(r->d, al->items[i]->file,
			    al->items[i]->line, al->items[i]->col, "an "
			    "attendee needs 'person:' (an id in people/) or "
			    "'name:'");
			continue;
		} else
			val_set(r->a, o, "name", val_get(al->items[i],
			    "name"));
		if (val_get(al->items[i], "role") != NULL)
			val_set(r->a, o, "role", val_get(al->items[i], "role"));
		val_push(r->a, out, o);
	}
	val_set(r->a, min->data, "in_attendance", out);
}

/*
 * Minutes that contradict their meeting: minutes of a meeting that was
 * cancelled or postponed, and people present who were not members of
 * its committee on the day (nor anyone's substitute).
 */
static void
check_minutes(struct record *r, struct page *min, struct page *mt,
    struct page *c)
{
	const struct val *st = val_get(mt->fm, "status"), *pl, *ml, *sl, *v;
	long		 day = mt->has_date ? text_days(&mt->date) : -1;
	size_t		 i, j;
	bool		 ok;

	if (site_called_off(mt))
		diag_error(r->d, min->fm->file, min->fm->line, 1, "minutes of "
		    "a meeting that was %s (%s:%d says so; remove the minutes"
		    " or correct the meeting's status)", st->str, st->file,
		    st->line);
	ml = c != NULL ? val_get(c->fm, "members") : NULL;
	if (ml == NULL || ml->kind != VAL_LIST || day < 0)
		return;		/* membership not given */
	pl = val_get(min->fm, "present");
	sl = val_get(min->fm, "substitutes");
	for (i = 0; pl != NULL && pl->kind == VAL_LIST && i < pl->n; i++) {
		v = pl->items[i];
		if (v->kind != VAL_STR || find(r, PAGE_PERSON, v->str) == NULL)
			continue;	/* reported by people() */
		ok = false;
		for (j = 0; !ok && j < ml->n; j++)
			ok = val_get_str(ml->items[j], "person") != NULL &&
			    strcmp(val_get_str(ml->items[j], "person"),
			    v->str) == 0 && covers(ml->items[j], day);
		for (j = 0; !ok && sl != NULL && sl->kind == VAL_LIST &&
		    j < sl->n; j++)
			ok = val_get_str(sl->items[j], "person") != NULL &&
			    strcmp(val_get_str(sl->items[j], "person"),
			    v->str) == 0;
		if (!ok)
			diag_error(r->d, v->file, v->line, v->col, "'%s' is "
			    "listed as present but was not a member of '%s' "
			    "on %s (list them under 'in_attendance:' or "
			    "'substitutes:', or add them to the committee's "
			    "'members:')", v->str, c->id,
			    val_get_str(mt->fm, "date"));
	}
}

/*
 * Whether approval at meeting at contradicts the minutes of meeting mt:
 * it is another committee's meeting, or one that was called off (an
 * error, -1), or one that has not happened by the build date (a
 * warning, 1: until then the minutes are shown as a draft); else 0.
 */
static int
bad_approval(struct record *r, const struct page *mt, const struct page *at,
    const struct val *av)
{
	const char	*c1 = val_get_str(mt->fm, "committee");
	const char	*c2 = val_get_str(at->fm, "committee");
	const char	*st = val_get_str(at->fm, "status");

	if (c1 != NULL && c2 != NULL && strcmp(c1, c2) != 0) {
		diag_error(r->d, av->file, av->line, av->col, "minutes cannot "
		    "be approved at '%s', a meeting of '%s', not of '%s' "
		    "(name the '%s' meeting that approved them)", at->id, c2,
		    c1, c1);
		return -1;
	}
	if (site_called_off(at)) {
		diag_error(r->d, av->file, av->line, av->col, "minutes cannot "
		    "have been approved at '%s', which was %s (name the "
		    "meeting that approved them)", at->id, st);
		return -1;
	}
	/* A warning, like a meeting marked held in the future. */
	if (at->has_date && text_days(&at->date) > r->today) {
		diag_warn(r->d, av->file, av->line, av->col, "minutes are "
		    "approved at '%s', which is in the future, so they are "
		    "shown as a draft (approve them once that meeting has "
		    "taken place, and leave them 'status: draft' until then)",
		    at->id);
		return 1;
	}
	return 0;
}

static void
link_minutes(struct record *r, struct page *min)
{
	struct page	*mt, *c, *at;
	struct val	*seen = val_map(r->a), *subs = val_list(r->a), *o;
	struct val	*mref, *status;
	const struct val *sl, *av;
	struct buf	 t;
	size_t		 i;
	bool		 approved = false;
	int		 bad;

	if ((mt = find(r, PAGE_MEETING, min->id)) == NULL) {
		diag_error(r->d, min->source, 0, 0, "minutes are not in a "
		    "meeting's folder (add meetings/%s/index.md for the "
		    "meeting)", min->id);
		return;
	}
	min->parent = mt;
	c = find(r, PAGE_COMMITTEE, val_get_str(mt->fm, "committee") ?
	    val_get_str(mt->fm, "committee") : "");
	buf_init(&t);
	buf_printf(&t, "Minutes of the %s meeting", mt->title);
	if (mt->has_date) {
		buf_puts(&t, ", ");
		text_fmt_date(&t, &mt->date, false);
	}
	min->title = arena_strdup(r->a, t.data);
	buf_free(&t);
	check_minutes(r, min, mt, c);
	val_set(r->a, min->data, "title", str(r, min->title));
	val_set(r->a, min->data, "meeting", site_ref(r->s, mt));
	if (c != NULL)
		val_set(r->a, min->data, "committee", site_ref(r->s, c));
	status = val_get(min->fm, "status");

	/* Approval: at a later meeting that exists. */
	av = val_get(min->fm, "approved_at");
	if (status != NULL && status->kind == VAL_STR &&
	    strcmp(status->str, "approved") == 0 && av == NULL)
		diag_error(r->d, status->file, status->line, status->col,
		    "approved minutes must say where (add 'approved_at:' with "
		    "the id of the meeting that approved them)");
	if (av != NULL && (at = resolve(r, PAGE_MEETING, av)) != NULL) {
		if (at->has_date && mt->has_date &&
		    text_days(&at->date) <= text_days(&mt->date))
			diag_error(r->d, av->file, av->line, av->col, "minutes "
			    "of the meeting on %s cannot be approved at '%s', "
			    "which is not later (name the meeting after it "
			    "that approved them)", val_get_str(mt->fm, "date"),
			    at->id);
		else if ((bad = bad_approval(r, mt, at, av)) == 0) {
			val_set(r->a, min->data, "approved_at",
			    site_ref(r->s, at));
			approved = true;
		} else if (bad == 1)
			min->ahead = true;	/* its versions show it */
	}
	/* Approved only where the approval is shown: else a draft. */
	if (!approved) {
		val_del(min->data, "approved_at");
		if (status != NULL && status->kind == VAL_STR &&
		    strcmp(status->str, "approved") == 0) {
			status = str(r, "draft");
			val_set(r->a, min->data, "status", status);
		}
	}
	val_set(r->a, min->data, "status_text", words(r, status != NULL &&
	    status->kind == VAL_STR ? status->str : "draft"));

	val_set(r->a, min->data, "present", people(r, val_get(min->fm,
	    "present"), seen, "present"));
	val_set(r->a, min->data, "apologies", people(r, val_get(min->fm,
	    "apologies"), seen, "apologies"));
	sl = val_get(min->fm, "substitutes");
	for (i = 0; sl != NULL && sl->kind == VAL_LIST && i < sl->n; i++) {
		struct page *p = resolve(r, PAGE_PERSON, val_get(sl->items[i],
		    "person"));
		struct page *f = resolve(r, PAGE_PERSON, val_get(sl->items[i],
		    "for"));

		if (p == NULL || f == NULL)
			continue;
		o = val_map(r->a);
		val_set(r->a, o, "person", site_ref(r->s, p));
		val_set(r->a, o, "for", site_ref(r->s, f));
		val_push(r->a, subs, o);
	}
	val_set(r->a, min->data, "substitutes", subs);
	in_attendance(r, min, seen);
	declarations(r, min, mt);
	items(r, min, mt);
	attendance(r, mt, c, seen, subs);

	mref = val_map(r->a);
	val_set(r->a, mref, "url", str(r, min->url));
	if (status != NULL)
		val_set(r->a, mref, "status", status);
	val_set(r->a, mref, "status_text", val_get(min->data, "status_text"));
	if (val_get(min->data, "approved_at") != NULL)
		val_set(r->a, mref, "approved_at", val_get(min->data,
		    "approved_at"));
	val_set(r->a, mt->data, "minutes", mref);
}

/*
 * Warn when action ac's update at meeting mt (status st) follows one
 * from another meeting on the same day, with a different status, when
 * the two meetings' start times do not say which came first: the
 * later by meeting id is taken as the latest (minutes_order).
 */
static void
unordered(struct record *r, const struct val *ac, const struct page *mt,
    const struct val *id, const struct val *st)
{
	const struct val *ul = val_get(ac, "updates"), *last;
	const struct page *pm;
	const char	*was;
	int		 s1, s2, e;

	if (ul == NULL || ul->kind != VAL_LIST || ul->n == 0)
		return;
	last = ul->items[ul->n - 1];
	was = val_get_str(val_get(last, "meeting"), "id");
	pm = was != NULL ? find(r, PAGE_MEETING, was) : NULL;
	was = val_get_str(last, "status");
	if (pm == NULL || pm == mt || !pm->has_date || !mt->has_date ||
	    text_days(&pm->date) != text_days(&mt->date) || was == NULL ||
	    st->kind != VAL_STR || strcmp(was, st->str) == 0)
		return;
	site_meeting_times(pm, &s1, &e);
	site_meeting_times(mt, &s2, &e);
	if (s1 >= 0 && s2 >= 0 && s1 != s2)
		return;
	diag_warn(r->d, id->file, id->line, id->col, "action '%s' is "
	    "updated at two meetings on the same day (%s: %s, %s: %s) and "
	    "nothing says which came first, so its status is taken to be "
	    "%s's (give both meetings a different start time)", id->str,
	    pm->id, was, mt->id, st->str, mt->id);
}

/* Apply the action updates minuted at each meeting, in date order. */
static void
updates(struct record *r, struct page *min)
{
	const struct val *ul = val_get(min->fm, "action_updates"), *id;
	struct page	*mt = min->parent;
	struct val	*ac, *u, *out = val_list(r->a), *st;
	const char	**ids, *hint;
	long		 raised;
	size_t		 i, k;

	for (i = 0; mt != NULL && ul != NULL && ul->kind == VAL_LIST &&
	    i < ul->n; i++) {
		id = val_get(ul->items[i], "action");
		st = val_get(ul->items[i], "status");
		if (id == NULL || id->kind != VAL_STR || st == NULL)
			continue;
		if ((ac = val_get(r->actions, id->str)) == NULL) {
			ids = xcalloc(r->actions->n + 1, sizeof(*ids));
			for (k = 0; k < r->actions->n; k++)
				ids[k] = r->actions->pairs[k].key;
			hint = text_suggest(id->str, ids);
			diag_error(r->d, id->file, id->line, id->col, "update "
			    "to unknown action '%s' (%s%s%s)", id->str,
			    hint ? "did you mean '" : "actions are raised in "
			    "minutes' items", hint ? hint : "",
			    hint ? "'?" : "");
			free(ids);
			continue;
		}
		raised = day_of(val_path(ac, "raised.date"));
		if (mt->has_date && raised > text_days(&mt->date)) {
			diag_error(r->d, id->file, id->line, id->col, "action "
			    "'%s' is updated at a meeting before the one that "
			    "raised it (%s)", id->str, val_get_str(val_get(ac,
			    "raised"), "id"));
			continue;
		}
		unordered(r, ac, mt, id, st);
		u = val_map(r->a);
		val_set(r->a, u, "date", val_get(mt->fm, "date"));
		val_set(r->a, u, "meeting", site_ref(r->s, mt));
		val_set(r->a, u, "status", st);
		val_set(r->a, u, "status_text", words(r, st->str));
		if (val_get(ul->items[i], "note") != NULL)
			val_set(r->a, u, "note", val_get(ul->items[i], "note"));
		val_push(r->a, val_get(ac, "updates"), u);
		val_set(r->a, ac, "status", st);
		val_set(r->a, ac, "status_text", words(r, st->str));
		val_set(r->a, ac, "status_date", val_get(mt->fm, "date"));
		u = val_map(r->a);
		val_set(r->a, u, "action", ac);
		val_set(r->a, u, "status", st);
		val_set(r->a, u, "status_text", words(r, st->str));
		if (val_get(ul->items[i], "note") != NULL)
			val_set(r->a, u, "note", val_get(ul->items[i], "note"));
		val_push(r->a, out, u);
	}
	val_set(r->a, min->data, "action_updates", out);
}

/* --- questions --------------------------------------------------------- */

static void
link_question(struct record *r, struct page *q)
{
	struct page	*mt, *p;
	struct val	*it, *st = val_get(q->fm, "status");
	const struct val *ans;
	struct buf	 t;
	struct date	 d, rd;
	bool		 later = false;	/* answered after the build date */

	if (val_get(q->data, "title") == NULL) {	/* a hook may set it */
		const char	*qs = val_get_str(q->fm, "question");
		size_t		 n;

		/* The question itself, shortened at a word if long. */
		buf_init(&t);
		if (qs != NULL && (n = strlen(qs)) > 0) {
			if (n > 90) {
				n = 90;
				while (n > 45 && qs[n] != ' ')
					n--;
				while (n > 0 && (qs[n] & 0xc0) == 0x80)
					n--;	/* never split a character */
			}
			buf_put(&t, qs, n);
			while (t.len > 0 && (t.data[t.len - 1] == ' ' ||
			    t.data[t.len - 1] == '\n'))
				buf_truncate(&t, t.len - 1);
			if (n < strlen(qs))
				buf_puts(&t, "\xe2\x80\xa6");
		} else {
			buf_puts(&t, "Question received ");
			if (text_parse_date(val_get_str(q->fm, "received") ?
			    val_get_str(q->fm, "received") : "", &d))
				text_fmt_date(&t, &d, false);
		}
		for (n = 0; n < t.len; n++)	/* one line */
			if (t.data[n] == '\n')
				t.data[n] = ' ';
		q->title = arena_strdup(r->a, t.data);
		buf_free(&t);
		val_set(r->a, q->data, "title", str(r, q->title));
	}
	/* Not answered yet as of the build date: received, with a warning
	 * (as minutes approved at a meeting still to come). */
	ans = val_get(q->fm, "answered_on");
	if (st != NULL && st->kind == VAL_STR && ans != NULL &&
	    ans->kind == VAL_STR && text_parse_date(ans->str, &d) &&
	    text_days(&d) > r->today) {
		diag_warn(r->d, ans->file, ans->line, ans->col, "question is "
		    "answered on %s, after the build date, so it is shown as "
		    "received and not yet answered (give the date it was "
		    "answered, once it has been)", ans->str);
		st = str(r, "received");
		val_set(r->a, q->data, "status", st);
		val_del(q->data, "answered_on");
		val_del(q->data, "answered_by");
		later = true;
		q->ahead = true;	/* its versions show the answer */
	}
	if (st != NULL && st->kind == VAL_STR)
		val_set(r->a, q->data, "status_text", words(r, st->str));
	if ((mt = resolve(r, PAGE_MEETING, val_get(q->fm, "meeting"))) !=
	    NULL) {
		val_set(r->a, q->data, "meeting", site_ref(r->s, mt));
		val_push(r->a, list_of(r, mt, "questions"), q->data);
		if (val_get(q->fm, "item") != NULL &&
		    (it = item_ref(r, mt, val_get(q->fm, "item"))) != NULL)
			val_set(r->a, q->data, "item", it);
	} else if (val_get(q->fm, "item") != NULL) {
		const struct val *iv = val_get(q->fm, "item");

		diag_error(r->d, iv->file, iv->line, iv->col, "a question's "
		    "'item' needs its 'meeting' (add 'meeting:' with the "
		    "meeting's id)");
	}
	if (!later && (p = resolve(r, PAGE_PERSON, val_get(q->fm,
	    "answered_by"))) != NULL)
		val_set(r->a, q->data, "answered_by", site_ref(r->s, p));
	if (st != NULL && st->kind == VAL_STR &&
	    strcmp(st->str, "answered") == 0 &&
	    val_get(q->fm, "answered_on") == NULL)
		diag_warn(r->d, st->file, st->line, st->col, "question is "
		    "answered but has no 'answered_on' date");
	ans = val_get(q->fm, "answered_on");
	if (ans != NULL && ans->kind == VAL_STR && text_parse_date(ans->str,
	    &d) && text_parse_date(val_get_str(q->fm, "received") ?
	    val_get_str(q->fm, "received") : "", &rd) &&
	    text_days(&d) < text_days(&rd))
		diag_error(r->d, ans->file, ans->line, ans->col, "question "
		    "is answered on %s, before it was received on %s (check "
		    "both dates)", ans->str, val_get_str(q->fm, "received"));
}

/* --- measures ---------------------------------------------------------- */

/* "68.2%", "412 per 100,000 people": a value with its unit. */
static struct val *
value_text(struct record *r, double v, const char *unit)
{
	struct buf	 b;
	struct val	*out;
	char		 num[64];
	size_t		 n;

	snprintf(num, sizeof(num), "%.2f", v);
	n = strlen(num);		/* "12.50" -> "12.5", "75.00" -> "75" */
	while (n > 0 && num[n - 1] == '0')
		num[--n] = '\0';
	if (n > 0 && num[n - 1] == '.')
		num[--n] = '\0';
	if (strcmp(num, "-0") == 0)
		num[0] = '0', num[1] = '\0';
	buf_init(&b);
	buf_puts(&b, num);
	if (unit != NULL && *unit != '\0')
		buf_printf(&b, "%s%s", unit[0] == '%' ? "" : " ", unit);
	out = val_str(r->a, b.data);
	buf_free(&b);
	return out;
}

static int
by_date(const void *a, const void *b)
{
	const struct val *x = *(struct val *const *)a;
	const struct val *y = *(struct val *const *)b;

	return strcmp(val_get_str(x, "date") ? val_get_str(x, "date") : "",
	    val_get_str(y, "date") ? val_get_str(y, "date") : "");
}

static void
check_range(struct record *r, struct page *m, const struct val *v)
{
	const struct val *lo = val_get(m->fm, "min"), *hi = val_get(m->fm,
	    "max");

	if (v == NULL || v->kind != VAL_NUM)
		return;
	bool	has_lo = lo != NULL && lo->kind == VAL_NUM;
	bool	has_hi = hi != NULL && hi->kind == VAL_NUM;
	char	range[128];

	if (!((has_lo && v->num < lo->num) || (has_hi && v->num > hi->num)))
		return;
	if (has_lo && has_hi)
		snprintf(range, sizeof(range), "%g to %g", lo->num, hi->num);
	else if (has_lo)
		snprintf(range, sizeof(range), "at least %g", lo->num);
	else
		snprintf(range, sizeof(range), "at most %g", hi->num);
	diag_error(r->d, v->file, v->line, v->col, "value %g is outside the "
	    "range of measure '%s' (%s; is it in the right unit?)", v->num,
	    m->id, range);
}

/*
 * Values that contradict each other: two for one date, or a rating of
 * "no-data" beside a figure.
 */
static void
check_values(struct record *r, const struct val *vl)
{
	const struct val *a, *b, *rag, *v;
	const char	*da, *db;
	size_t		 i, j;

	for (i = 0; vl != NULL && vl->kind == VAL_LIST && i < vl->n; i++) {
		a = vl->items[i];
		rag = val_get(a, "rag");
		v = val_get(a, "value");
		if (rag != NULL && rag->kind == VAL_STR && v != NULL &&
		    v->kind != VAL_NULL && strcmp(rag->str, "no-data") == 0)
			diag_error(r->d, rag->file, rag->line, rag->col,
			    "rag 'no-data' is given with a value (rate the "
			    "value, or remove it if there is no figure)");
		if ((da = val_get_str(a, "date")) == NULL)
			continue;
		for (j = 0; j < i; j++) {
			b = vl->items[j];
			if ((db = val_get_str(b, "date")) == NULL ||
			    strcmp(da, db) != 0)
				continue;
			v = val_get(a, "date");
			diag_error(r->d, v->file, v->line, v->col, "two "
			    "values for %s (the first is at line %d; give "
			    "one value per date, and correct a figure in "
			    "place)", da, val_get(b, "date")->line);
			break;
		}
	}
}

static void
link_measure(struct record *r, struct page *m)
{
	struct page	*pr;
	/* From the data, so that a page hook may re-rate values. */
	const struct val *vl = val_get(m->data, "values"), *hib;
	struct val	*values = val_list(r->a), *o, *v, *latest = NULL;
	struct val	*prev = NULL, *pt;
	const char	*unit = val_get_str(m->fm, "unit"), *dir = "";
	const char	*keys[] = { "baseline", "target" };
	size_t		 i;

	/* "source" in page data is the file; the figures' source goes here. */
	if (val_get(m->fm, "source") != NULL)
		val_set(r->a, m->data, "data_source", val_get(m->fm, "source"));
	if ((pr = resolve(r, PAGE_PRIORITY, val_get(m->fm, "priority"))) !=
	    NULL) {
		m->parent = pr;
		val_set(r->a, m->data, "priority", site_ref(r->s, pr));
		val_push(r->a, list_of(r, pr, "measures"), m->data);
	}
	check_values(r, vl);
	for (i = 0; vl != NULL && vl->kind == VAL_LIST && i < vl->n; i++) {
		o = val_map(r->a);
		val_set(r->a, o, "date", val_get(vl->items[i], "date"));
		v = val_get(vl->items[i], "value");
		check_range(r, m, v);
		if (v != NULL && v->kind == VAL_NUM) {
			val_set(r->a, o, "value", v);
			val_set(r->a, o, "value_text", value_text(r, v->num,
			    unit));
		} else
			val_set(r->a, o, "value_text", str(r, "No data"));
		if ((v = val_get(vl->items[i], "rag")) != NULL &&
		    v->kind == VAL_STR) {
			val_set(r->a, o, "rag", v);
			val_set(r->a, o, "rag_text", words(r, v->str));
		}
		if (val_get(vl->items[i], "reason") != NULL)
			val_set(r->a, o, "reason", val_get(vl->items[i],
			    "reason"));
		if (val_get(vl->items[i], "narrative") != NULL)
			val_set(r->a, o, "narrative", val_get(vl->items[i],
			    "narrative"));
		val_push(r->a, values, o);
	}
	if (values->n > 1)
		qsort(values->items, values->n, sizeof(*values->items),
		    by_date);
	for (i = 0; i < values->n; i++) {
		if (val_get(values->items[i], "value") == NULL)
			continue;
		prev = latest;
		latest = values->items[i];
	}
	val_set(r->a, m->data, "values", values);
	if (values->n > 0)	/* the latest update, perhaps "no data" */
		val_set(r->a, m->data, "latest", values->items[values->n - 1]);
	if (latest != NULL)	/* the latest actual figure */
		val_set(r->a, m->data, "latest_value", latest);
	hib = val_get(m->fm, "higher_is_better");
	if (prev != NULL && latest != NULL && hib != NULL &&
	    hib->kind == VAL_BOOL) {
		double	a = val_get(prev, "value")->num;
		double	b = val_get(latest, "value")->num;

		dir = a == b ? "no-change" : (b > a) == hib->b ? "improving" :
		    "worsening";
		val_set(r->a, m->data, "direction_text", words(r, dir));
	}
	val_set(r->a, m->data, "direction", str(r, dir));
	for (i = 0; i < 2; i++) {
		if ((pt = val_get(m->fm, keys[i])) == NULL ||
		    (v = val_get(pt, "value")) == NULL || v->kind != VAL_NUM)
			continue;
		check_range(r, m, v);
		o = val_copy(r->a, pt);
		val_set(r->a, o, "value_text", value_text(r, v->num, unit));
		val_set(r->a, m->data, keys[i], o);
	}
	pt = val_get(m->fm, "trajectory");
	for (i = 0; pt != NULL && pt->kind == VAL_LIST && i < pt->n; i++)
		check_range(r, m, val_get(pt->items[i], "value"));
}

/* --- registers ----------------------------------------------------------- */

static int
newest_first(const void *a, const void *b)
{
	return -by_date(a, b);
}

static int
action_order(const void *a, const void *b)
{
	const struct val *x = *(struct val *const *)a;
	const struct val *y = *(struct val *const *)b;
	const char	*dx = val_get_str(x, "due"), *dy = val_get_str(y, "due");
	int		 c;

	if ((c = strcmp(dx ? dx : "9999", dy ? dy : "9999")) != 0)
		return c;
	return strcmp(val_get_str(x, "id"), val_get_str(y, "id"));
}

static void
sort_list(struct val *l, int (*cmp)(const void *, const void *))
{
	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), cmp);
}

/*
 * lists.NAME: the data of every page of kind k; each page gets parent
 * (its listing, for breadcrumbs) unless parent is NULL.
 */
static void
kind_list(struct record *r, enum page_kind k, const char *name,
    struct page *parent)
{
	struct val	*l = val_list(r->a);
	size_t		 i;

	for (i = 0; i < r->n; i++) {
		if (r->byid[i]->kind != k)
			continue;
		if (parent != NULL)
			r->byid[i]->parent = parent;
		val_push(r->a, l, r->byid[i]->data);
	}
	val_set(r->a, r->s->lists, name, l);
}

static void
registers(struct record *r)
{
	struct val	*open = val_list(r->a), *overdue = val_list(r->a);
	struct val	*closed = val_list(r->a), *ac;
	const char	*st;
	long		 due;
	size_t		 i;
	struct page	*lists[4];

	for (i = 0; i < r->all_actions->n; i++) {
		ac = r->all_actions->items[i];
		st = val_get_str(ac, "status");
		due = day_of(val_get(ac, "due"));
		if (strcmp(st, "done") == 0 || strcmp(st, "dropped") == 0) {
			val_push(r->a, closed, ac);
			continue;
		}
		val_push(r->a, open, ac);
		if (due >= 0 && due < r->today) {
			val_set(r->a, ac, "overdue", val_bool(r->a, true));
			val_push(r->a, overdue, ac);
		}
	}
	sort_list(open, action_order);
	sort_list(overdue, action_order);
	sort_list(closed, action_order);
	sort_list(r->all_actions, action_order);
	sort_list(r->decisions, newest_first);
	sort_list(r->declarations, newest_first);
	val_set(r->a, r->s->lists, "actions", r->all_actions);
	val_set(r->a, r->s->lists, "actions_open", open);
	val_set(r->a, r->s->lists, "actions_overdue", overdue);
	val_set(r->a, r->s->lists, "actions_closed", closed);
	val_set(r->a, r->s->lists, "decisions", r->decisions);
	val_set(r->a, r->s->lists, "declarations", r->declarations);

	lists[0] = site_add_listing(r->s, "people", "people/", "People",
	    "people.html");
	lists[1] = site_add_listing(r->s, "organisations", "organisations/",
	    "Partner organisations", "organisations.html");
	lists[2] = site_add_listing(r->s, "questions", "questions/",
	    "Questions from the public", "questions.html");
	site_add_listing(r->s, "decisions", "decisions/", "Decisions",
	    "decisions.html");
	site_add_listing(r->s, "actions", "actions/", "Action log",
	    "actions.html");
	site_add_listing(r->s, "declarations", "declarations/",
	    "Declarations of interest", "declarations.html");
	lists[3] = site_find(r->s, PAGE_HOME, "home");
	for (i = r->s->npages - 6; i < r->s->npages; i++)
		r->s->pages[i]->parent = lists[3];

	/* People, organisations, questions and measures. */
	kind_list(r, PAGE_PERSON, "people", lists[0]);
	kind_list(r, PAGE_ORGANISATION, "organisations", lists[1]);
	kind_list(r, PAGE_QUESTION, "questions", lists[2]);
	kind_list(r, PAGE_MEASURE, "measures", NULL);
}

static int
question_order(const void *a, const void *b)
{
	const struct val *x = *(struct val *const *)a;
	const struct val *y = *(struct val *const *)b;

	return -strcmp(val_get_str(x, "received") ? val_get_str(x,
	    "received") : "", val_get_str(y, "received") ?
	    val_get_str(y, "received") : "");
}

/* A page's title; its id when its front matter failed (reported). */
static const char *
title_of(const struct val *v)
{
	const char	*t = val_get_str(v, "title");

	if (t == NULL)
		t = val_get_str(v, "id");
	return t != NULL ? t : "";
}

static int
title_order(const void *a, const void *b)
{
	return strcmp(title_of(*(struct val *const *)a),
	    title_of(*(struct val *const *)b));
}

/* Attendance, newest first, with a count of each kind. */
static void
summarise_people(struct record *r)
{
	struct page	*p;
	struct val	*att, *sum;
	struct val	*since;
	const char	*st;
	double		 n[4];
	size_t		 i, j;

	for (i = 0; i < r->n; i++) {
		if ((p = r->byid[i])->kind != PAGE_PERSON)
			continue;
		att = list_of(r, p, "attendance");
		for (j = 0; j < att->n / 2; j++) {	/* minutes ran oldest first */
			struct val *t = att->items[j];

			att->items[j] = att->items[att->n - 1 - j];
			att->items[att->n - 1 - j] = t;
		}
		n[0] = n[1] = n[2] = n[3] = 0;
		since = NULL;
		for (j = 0; j < att->n; j++) {
			st = val_get_str(att->items[j], "status");
			if (strcmp(st, "substitute") == 0) {
				n[3]++;		/* not expected: in someone's place */
				continue;
			}
			n[strcmp(st, "present") == 0 ? 0 :
			    strcmp(st, "apologies") == 0 ? 1 : 2]++;
			since = val_get(val_get(att->items[j], "meeting"),
			    "date");	/* newest first: the last is the oldest */
		}
		sum = val_map(r->a);
		if (since != NULL)
			val_set(r->a, sum, "since", since);
		val_set(r->a, sum, "substitute", val_num(r->a, n[3]));
		val_set(r->a, sum, "expected", val_num(r->a, n[0] + n[1] +
		    n[2]));
		val_set(r->a, sum, "present", val_num(r->a, n[0]));
		val_set(r->a, sum, "apologies", val_num(r->a, n[1]));
		val_set(r->a, sum, "absent", val_num(r->a, n[2]));
		val_set(r->a, p->data, "attendance_summary", sum);
	}
}

/*
 * Minutes in the order their meetings took place: by day, then by
 * start time (a meeting with none first), then by meeting id, so that
 * the order, and which update is an action's latest, never depends on
 * the sort.
 */
static int
minutes_order(const void *a, const void *b)
{
	const struct page *p = (*(struct page *const *)a)->parent;
	const struct page *q = (*(struct page *const *)b)->parent;
	long	x = p != NULL && p->has_date ? text_days(&p->date) : 0;
	long	y = q != NULL && q->has_date ? text_days(&q->date) : 0;
	int	ps, qs, e;

	if (x != y)
		return x < y ? -1 : 1;
	if (p == NULL || q == NULL)
		return (p != NULL) - (q != NULL);
	site_meeting_times(p, &ps, &e);
	site_meeting_times(q, &qs, &e);
	if (ps != qs)
		return ps < qs ? -1 : 1;
	return strcmp(p->id != NULL ? p->id : "", q->id != NULL ? q->id : "");
}

void
record_link(struct site *s, struct diags *d)
{
	struct record	 r;
	struct page	**mins;
	size_t		 i, nm = 0;

	memset(&r, 0, sizeof(r));
	r.s = s;
	r.a = s->arena;
	r.d = d;
	r.today = text_days(&s->today);
	r.n = s->nbyid;		/* indexed by site_link() just before */
	r.byid = s->byid;
	r.actions = val_map(r.a);
	r.decisions = val_list(r.a);
	r.declarations = val_list(r.a);
	r.all_actions = val_list(r.a);

	link_people(&r);
	link_committees(&r);
	mins = xcalloc(s->counts[PAGE_MINUTES] + 1, sizeof(*mins));
	for (i = 0; i < r.n; i++)
		if (r.byid[i]->kind == PAGE_MINUTES)
			mins[nm++] = r.byid[i];
	for (i = 0; i < nm; i++)
		mins[i]->parent = find(&r, PAGE_MEETING, mins[i]->id);
	qsort(mins, nm, sizeof(*mins), minutes_order);
	for (i = 0; i < nm; i++)
		link_minutes(&r, mins[i]);
	for (i = 0; i < nm; i++)		/* after every action exists */
		updates(&r, mins[i]);
	free(mins);
	for (i = 0; i < r.n; i++) {
		if (r.byid[i]->kind == PAGE_QUESTION)
			link_question(&r, r.byid[i]);
		else if (r.byid[i]->kind == PAGE_MEASURE)
			link_measure(&r, r.byid[i]);
	}
	summarise_people(&r);
	registers(&r);
	sort_list(val_get(s->lists, "questions"), question_order);
	sort_list(val_get(s->lists, "people"), title_order);
	sort_list(val_get(s->lists, "organisations"), title_order);
}
