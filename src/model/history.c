/*
 * What git history proves about the published record: when each page
 * was first published and last changed, whether papers changed after
 * their meeting, whether minutes changed after approval, and how many
 * clear working days before each meeting its papers were published.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "load/src.h"
#include "parse/fm.h"
#include "model/site.h"

/* The date, in Europe/London, of a commit time. */
static void
local_date(int64_t t, struct date *d)
{
	time_t		tt = (time_t)t;
	struct tm	tm;

	localtime_r(&tt, &tm);
	d->year = tm.tm_year + 1900;
	d->month = tm.tm_mon + 1;
	d->day = tm.tm_mday;
}

static struct val *
iso_time(struct arena *a, int64_t t)
{
	time_t		tt = (time_t)t;
	struct tm	tm;
	char		b[32];

	gmtime_r(&tt, &tm);
	strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm);
	return val_str(a, b);
}

static struct val *
iso_date(struct arena *a, int64_t t)
{
	struct date	d;

	local_date(t, &d);
	return val_str(a, arena_printf(a, "%04d-%02d-%02d", d.year, d.month,
	    d.day));
}

/*
 * Clear working days between publication and the meeting: weekdays
 * strictly after the day of publication and strictly before the day of
 * the meeting (bank holidays are not known and count as working days).
 */
static long
clear_days(long published, long meeting)
{
	long	n = 0, day;
	struct date d;

	for (day = published + 1; day < meeting; day++) {
		text_date_from_days(day, &d);
		if (text_weekday(&d) < 5)
			n++;
	}
	return n;
}

static int
newest_first(const void *a, const void *b)
{
	return -strcmp(val_get_str(*(struct val *const *)a, "date"),
	    val_get_str(*(struct val *const *)b, "date"));
}

/*
 * A measure's figures as they were published: for each version of its
 * file, the latest value and rating it gave.  Shows when a figure was
 * revised after publication.
 */
static void
measure_history(struct site *s, struct page *p, const struct src_rev *revs,
    size_t n)
{
	struct arena	*a = s->arena, *tmp = arena_new();
	struct val	*out = val_list(a), *fm, *vl, *last, *row, *v;
	struct diags	 quiet;
	const char	*fmtext, *body;
	char		*text;
	size_t		 k, len, fmlen, bodylen;
	int		 fmline, bodyline;
	FILE		*null = fopen("/dev/null", "w");

	if (null == NULL) {
		arena_free(tmp);
		return;
	}
	diag_init(&quiet, null);	/* old versions were checked then */
	for (k = 0; k < n; k++) {
		if ((text = src_read_blob(s->src, revs[k].blob, &len)) == NULL)
			continue;
		last = NULL;
		if (fm_split(text, len, &fmtext, &fmlen, &fmline, &body,
		    &bodylen, &bodyline) == 0 && fmlen > 0 &&
		    (fm = fm_parse(tmp, "", fmtext, fmlen, fmline, &quiet)) !=
		    NULL && (vl = val_get(fm, "values")) != NULL &&
		    vl->kind == VAL_LIST && vl->n > 0)
			last = vl->items[vl->n - 1];
		free(text);
		if (last == NULL)
			continue;
		row = val_map(a);
		val_set(a, row, "published", iso_date(a, revs[k].time));
		val_set(a, row, "commit", val_str(a, revs[k].commit));
		if ((v = val_get(last, "date")) != NULL && v->kind == VAL_STR)
			val_set(a, row, "date", val_str(a, v->str));
		if ((v = val_get(last, "value")) != NULL && v->kind == VAL_STR)
			val_set(a, row, "value", val_str(a, v->str));
		if ((v = val_get(last, "rag")) != NULL && v->kind == VAL_STR)
			val_set(a, row, "rag", val_str(a, v->str));
		val_push(a, out, row);
	}
	diag_free(&quiet);
	fclose(null);
	arena_free(tmp);
	val_set(a, p->data, "published_values", out);
}

void
history_link(struct site *s, struct diags *d)
{
	struct arena	*a = s->arena;
	struct page	*p, *m, *h, *at;
	const struct src_rev *revs;
	struct val	*hv, *tl, *rows, *row, *report = val_list(a);
	struct date	 dt;
	const struct val *days = val_get(s->config, "publication_days");
	long		 need = days != NULL && days->kind == VAL_NUM ?
			    (long)days->num : 5, last, cd;
	size_t		 i, j, n, npages = s->npages, late;

	for (i = 0; i < npages; i++) {
		p = s->pages[i];
		if (p->src_index < 0)
			continue;
		revs = src_revisions(s->src, (size_t)p->src_index, &n);
		if (n == 0)
			continue;	/* not committed yet (--worktree) */
		last = src_last_change(s->src, (size_t)p->src_index);
		hv = val_map(a);
		val_set(a, hv, "first_published", iso_time(a, revs[0].time));
		val_set(a, hv, "first_published_date", iso_date(a,
		    revs[0].time));
		val_set(a, hv, "first_commit", val_str(a, revs[0].commit));
		if (last >= 0) {
			val_set(a, hv, "last_updated", iso_time(a,
			    revs[last].time));
			val_set(a, hv, "last_updated_date", iso_date(a,
			    revs[last].time));
			val_set(a, hv, "last_commit", val_str(a,
			    revs[last].commit));
		} else
			val_set(a, hv, "uncommitted", val_bool(a, true));
		val_set(a, hv, "revisions", val_num(a, (double)n));
		val_set(a, hv, "changed", val_bool(a, n > 1));
		if (n > 1) {	/* a page listing every version */
			h = site_add_listing(s, arena_printf(a, "%s/history",
			    p->id), arena_printf(a, "%shistory/", p->url +
			    strlen(s->base_path)), arena_printf(a, "Changes to "
			    "'%s'", p->title), "history.html");
			h->history_of = p->src_index;
			h->parent = p;
			val_set(a, h->data, "of", site_ref(s, p));
			val_set(a, hv, "url", val_str(a, h->url));
		}
		/* Papers changed after their meeting; minutes after approval. */
		m = p->kind == PAGE_PAPER ? p->parent : NULL;
		at = p->kind == PAGE_MINUTES ? site_find(s, PAGE_MEETING,
		    val_get_str(val_get(p->data, "approved_at"), "id") ?
		    val_get_str(val_get(p->data, "approved_at"), "id") : "") :
		    NULL;
		for (j = 1; j < n; j++) {
			local_date(revs[j].time, &dt);
			if (m != NULL && m->has_date &&
			    text_days(&dt) > text_days(&m->date))
				val_set(a, hv, "changed_after_meeting",
				    val_bool(a, true));
			if (at != NULL && at->has_date &&
			    text_days(&dt) > text_days(&at->date))
				val_set(a, hv, "changed_after_approval",
				    val_bool(a, true));
		}
		val_set(a, p->data, "history", hv);
		if (p->kind == PAGE_MEASURE)
			measure_history(s, p, revs, n);
	}

	/* Timeliness: clear working days from first publication. */
	for (j = 0; j < npages; j++) {
		p = s->pages[j];
		if (p->kind != PAGE_PAPER || (m = p->parent) == NULL ||
		    !m->has_date || (hv = val_get(p->data, "history")) == NULL)
			continue;
		revs = src_revisions(s->src, (size_t)p->src_index, &n);
		local_date(revs[0].time, &dt);
		cd = clear_days(text_days(&dt), text_days(&m->date));
		row = val_map(a);
		val_set(a, row, "paper", site_ref(s, p));
		val_set(a, row, "published", val_get(hv,
		    "first_published_date"));
		val_set(a, row, "clear_days", val_num(a, (double)cd));
		if (text_days(&dt) > text_days(&m->date))
			val_set(a, row, "after_meeting", val_bool(a, true));
		val_set(a, row, "late", val_bool(a, cd < need));
		val_set(a, p->data, "timeliness", row);
		if ((tl = val_get(m->data, "timeliness")) == NULL) {
			tl = val_map(a);
			val_set(a, tl, "meeting", site_ref(s, m));
			val_set(a, tl, "date", val_get(m->fm, "date"));
			val_set(a, tl, "required", val_num(a, (double)need));
			val_set(a, tl, "papers", val_list(a));
			val_set(a, tl, "late", val_num(a, 0));
			val_set(a, m->data, "timeliness", tl);
			val_push(a, report, tl);
		}
		val_push(a, val_get(tl, "papers"), row);
		if (cd < need)
			val_get(tl, "late")->num++;
	}
	/*
	 * Each meeting's papers: the day they were first published, or
	 * the last day they can be published and still be on time (the
	 * same clear-days rule as the timeliness report).
	 */
	for (j = 0; j < npages; j++) {
		m = s->pages[j];
		if (m->kind != PAGE_MEETING || !m->has_date)
			continue;
		for (last = text_days(&m->date) - 1; last > 0 &&
		    clear_days(last, text_days(&m->date)) < need; last--)
			;
		text_date_from_days(last, &dt);
		val_set(a, m->data, "papers_due", val_str(a, arena_printf(a,
		    "%04d-%02d-%02d", dt.year, dt.month, dt.day)));
		if ((tl = val_get(m->data, "timeliness")) == NULL)
			continue;
		rows = val_get(tl, "papers");
		for (i = 0; i < rows->n; i++) {
			const char *pd = val_get_str(rows->items[i],
			    "published"), *cur = val_get_str(m->data,
			    "papers_published");

			if (pd != NULL && (cur == NULL || strcmp(pd, cur) < 0))
				val_set(a, m->data, "papers_published",
				    val_str(a, pd));
		}
	}
	for (i = 0; i < report->n; i++) {
		rows = val_get(report->items[i], "papers");
		late = (size_t)val_get(report->items[i], "late")->num;
		val_set(a, report->items[i], "on_time", val_num(a,
		    (double)(rows->n - late)));
	}
	if (report->n > 1)
		qsort(report->items, report->n, sizeof(*report->items),
		    newest_first);
	val_set(a, s->lists, "timeliness", report);
	h = site_add_listing(s, "timeliness", "timeliness/", "Publication "
	    "of papers: timeliness report", "timeliness.html");
	h->parent = site_find(s, PAGE_HOME, "home");
	val_set(a, h->data, "required", val_num(a, (double)need));
	site_index(s);
	(void)d;
}
