/*
 * Open data: the public record as JSON and CSV under /data/.
 *
 * Meetings are written as Open Civic Data events, people, partner
 * organisations, committees and committee memberships as Popolo
 * persons, organizations and memberships; what those standards have no
 * field for goes into an "extras" object (as OCD itself does).  The
 * registers (decisions, actions, questions, declarations) and the
 * strategy's measures have no standard and are written in a shape of
 * our own.  docs/open-data.md documents every file and field.
 *
 * Output is deterministic: records are taken in a fixed order (by
 * date, then id), keys are written in the order they are added, every
 * documented key is always present (null when unknown; where OCD's or
 * Popolo's schemas want a string or nothing, it is left out), and nothing
 * depends on the time of the build but the build date in index.json.
 * Exempt agenda items carry their number, title and the reason only.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/tz.h"
#include "util/sha256.h"
#include "util/utf8.h"
#include "util/val.h"
#include "emit/out.h"
#include "model/site.h"
#include "emit/odmemo.h"
#include "emit/opendata.h"

struct od {
	const struct site *s;
	struct out	*out;
	struct diags	*d;
	json_t		*files;		/* entries of index.json */
	int		 rc;
	const struct opendata_memo *memo; /* or NULL */
};

/* A CSV file being written: RFC 4180, CRLF line ends, a header row. */
struct csv {
	struct buf	 b;
	size_t		 ncols;
	size_t		 col;
	size_t		 rows;
	struct out_file	*f;		/* written as it grows, or NULL */
};

/* Bytes of a file built in memory before they go to its out_file. */
#define STREAM_CHUNK	(64 * 1024)

/* --- values ------------------------------------------------------------ */

/* A JSON string (null for NULL), always valid UTF-8. */
static json_t *
jstr(const char *s)
{
	json_t		*j;
	struct buf	 b;

	if (s == NULL)
		return json_null();
	if ((j = json_string(s)) != NULL)
		return j;
	buf_init(&b);
	utf8_put_valid(&b, s, strlen(s));
	j = json_string(b.data);
	buf_free(&b);
	return j != NULL ? j : json_null();
}

/* A number: an integer when it is one, else a real. */
static json_t *
jnum(double x)
{
	if (isfinite(x) && x == floor(x) && fabs(x) < 9007199254740992.0)
		return json_integer((json_int_t)x);
	if (!isfinite(x))
		return json_null();
	return json_real(x);
}

/* Any value as JSON; absent values are null. */
static json_t *
jval(const struct val *v)
{
	json_t	*j;
	size_t	 i;

	if (v == NULL)
		return json_null();
	switch (v->kind) {
	case VAL_BOOL:
		return json_boolean(v->b);
	case VAL_NUM:
		return jnum(v->num);
	case VAL_STR:
		return jstr(v->str);
	case VAL_LIST:
		j = json_array();
		for (i = 0; i < v->n; i++)
			json_array_append_new(j, jval(v->items[i]));
		return j;
	case VAL_MAP:
		j = json_object();
		for (i = 0; i < v->n; i++)
			json_object_set_new(j, v->pairs[i].key,
			    jval(v->pairs[i].v));
		return j;
	default:
		return json_null();
	}
}

/* A scalar key of a map as JSON (null when absent). */
static json_t *
jget(const struct val *m, const char *key)
{
	const struct val *v = val_get(m, key);

	if (v != NULL && (v->kind == VAL_LIST || v->kind == VAL_MAP))
		return json_null();
	return jval(v);
}

static void
set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v != NULL ? v : json_null());
}

static const char *
str_of(const struct val *m, const char *key)
{
	return val_get_str(m, key);
}

static bool
flag(const struct val *m, const char *key)
{
	const struct val *v = val_get(m, key);

	return v != NULL && v->kind == VAL_BOOL && v->b;
}

/* An absolute URL for a site path that starts with the base path. */
static char *
absolute(const struct od *o, const char *url)
{
	struct buf	b;
	char		*u;

	if (url == NULL)
		return NULL;
	buf_init(&b);
	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		buf_puts(&b, o->s->origin != NULL ? o->s->origin : "");
	buf_puts(&b, url);
	u = buf_detach(&b);
	buf_free(&b);		/* buf_detach leaves b ready for use */
	return u;
}

static json_t *
jurl(const struct od *o, const char *url)
{
	char	*u = absolute(o, url);
	json_t	*j = jstr(u);

	free(u);
	return j;
}

/* "committee:icp", "organisation:castlemoor-hospitals" */
static json_t *
jorg(const char *kind, const char *id)
{
	struct buf	 b;
	json_t		*j;

	if (id == NULL)
		return json_null();
	buf_init(&b);
	buf_printf(&b, "%s:%s", kind, id);
	j = jstr(b.data);
	buf_free(&b);
	return j;
}

/* A Popolo/OCD link: {url, note}. */
static json_t *
jlink(const struct od *o, const char *url, const char *note)
{
	json_t	*l = json_object();

	set(l, "url", jurl(o, url));
	set(l, "note", jstr(note));
	return l;
}

/*
 * Each time the file was deleted and added again (history.deleted):
 * [{deleted, deleted_commit, added_again}], empty when never.
 */
static json_t *
jdeleted(const struct val *list)
{
	json_t		*a = json_array(), *g;
	size_t		 i;

	for (i = 0; list != NULL && list->kind == VAL_LIST && i < list->n;
	    i++) {
		g = json_object();
		set(g, "deleted", jget(list->items[i], "deleted"));
		set(g, "deleted_commit", jget(list->items[i],
		    "deleted_commit"));
		set(g, "added_again", jget(list->items[i], "added"));
		json_array_append_new(a, g);
	}
	return a;
}

/*
 * The git history of a page, in a fixed shape, or null; with after
 * ("changed_after_meeting" for a paper, "changed_after_approval" for
 * minutes), whether the page says it changed so.
 */
static json_t *
jhistory_flag(const struct od *o, const struct val *data, const char *after)
{
	const struct val *h = val_get(data, "history");
	json_t		*j;

	if (h == NULL || h->kind != VAL_MAP)
		return json_null();
	j = json_object();
	set(j, "first_published", jget(h, "first_published"));
	set(j, "last_updated", jget(h, "last_updated"));
	set(j, "revisions", jget(h, "revisions"));
	set(j, "first_commit", jget(h, "first_commit"));
	set(j, "last_commit", jget(h, "last_commit"));
	set(j, "changes_url", str_of(h, "url") != NULL ? jurl(o,
	    str_of(h, "url")) : json_null());
	set(j, "deleted", jdeleted(val_get(h, "deleted")));
	if (after != NULL)
		set(j, after, json_boolean(flag(h, after)));
	return j;
}

static json_t *
jhistory(const struct od *o, const struct val *data)
{
	return jhistory_flag(o, data, NULL);
}

/* {number, title} of an agenda item, or null. */
static json_t *
jitem(const struct val *it)
{
	json_t	*j;

	if (it == NULL || it->kind != VAL_MAP)
		return json_null();
	j = json_object();
	set(j, "number", jget(it, "number"));
	set(j, "title", jget(it, "title"));
	return j;
}

/* {id, name} of a person ref, or null. */
static json_t *
jperson(const struct val *ref)
{
	json_t	*j;

	if (ref == NULL || ref->kind != VAL_MAP)
		return json_null();
	j = json_object();
	set(j, "id", jget(ref, "id"));
	set(j, "name", jget(ref, "title"));
	return j;
}

static const struct val *
list(const struct val *m, const char *key)
{
	const struct val *l = val_get(m, key);

	return l != NULL && l->kind == VAL_LIST ? l : NULL;
}

static size_t
count(const struct val *l)
{
	return l != NULL ? l->n : 0;
}

/* --- time -------------------------------------------------------------- */

/*
 * "2026-06-18T14:00:00+01:00" for a date and a time "HH:MM"; the date
 * alone when there is no time; NULL without a date.
 */
static json_t *
jdatetime(const struct val *date, const struct val *time)
{
	struct date	 d;
	struct buf	 b;
	json_t		*j;
	int		 min, off;

	if (date == NULL || date->kind != VAL_STR ||
	    !text_parse_date(date->str, &d))
		return json_null();
	buf_init(&b);
	buf_printf(&b, "%04d-%02d-%02d", d.year, d.month, d.day);
	if (time != NULL && time->kind == VAL_STR &&
	    (min = text_parse_time(time->str)) >= 0) {
		off = tz_offset(&d, min);
		buf_printf(&b, "T%02d:%02d:00+%02d:%02d", min / 60, min % 60,
		    off / 60, off % 60);
	}
	j = jstr(b.data);
	buf_free(&b);
	return j;
}

/* --- CSV --------------------------------------------------------------- */

static void
csv_begin(struct csv *c, const char *const *cols)
{
	size_t	i;

	buf_init(&c->b);
	c->col = c->rows = 0;
	c->f = NULL;
	for (i = 0; cols[i] != NULL; i++) {
		if (i > 0)
			buf_putc(&c->b, ',');
		buf_puts(&c->b, cols[i]);
	}
	buf_puts(&c->b, "\r\n");
	c->ncols = i;
}

/* One field of text (see buf_put_csv: quoted, formulas neutralised). */
static void
csv_str(struct csv *c, const char *s)
{
	if (c->col++ > 0)
		buf_putc(&c->b, ',');
	if (s != NULL)
		buf_put_csv(&c->b, s, strlen(s));
}

static void
csv_num(struct csv *c, double x)
{
	char	n[64];

	snprintf(n, sizeof(n), "%.15g", x);
	csv_str(c, n);
}

/* A scalar value: text as it is, numbers, true or false; else empty. */
static void
csv_val(struct csv *c, const struct val *v)
{
	if (v == NULL)
		csv_str(c, NULL);
	else if (v->kind == VAL_STR)
		csv_str(c, v->str);
	else if (v->kind == VAL_NUM)
		csv_num(c, v->num);
	else if (v->kind == VAL_BOOL)
		csv_str(c, v->b ? "true" : "false");
	else
		csv_str(c, NULL);
}

static void
csv_get(struct csv *c, const struct val *m, const char *key)
{
	const struct val *v = val_get(m, key);

	csv_val(c, v);
}

static void
csv_bool(struct csv *c, bool b)
{
	csv_str(c, b ? "true" : "false");
}

/* A JSON scalar (as built for the JSON files) in a CSV field. */
static void
csv_json(struct csv *c, const json_t *j)
{
	if (json_is_string(j))
		csv_str(c, json_string_value(j));
	else if (json_is_integer(j) || json_is_real(j))
		csv_num(c, json_number_value(j));
	else if (json_is_boolean(j))
		csv_bool(c, json_is_true(j));
	else
		csv_str(c, NULL);
}

static void
csv_end(struct csv *c)
{
	while (c->col < c->ncols)	/* never short of columns */
		csv_str(c, NULL);
	buf_puts(&c->b, "\r\n");
	c->col = 0;
	c->rows++;
}

/* --- files ------------------------------------------------------------- */

/*
 * Hand what has grown in b to its file f (a stream(), or NULL: kept
 * whole), between meetings: see meetings().
 */
static void
hand_over(struct out_file *f, struct buf *b)
{
	if (f != NULL && b->len >= STREAM_CHUNK) {
		(void)out_put(f, b->data, b->len);
		buf_reset(b);
	}
}

/*
 * Write data/NAME as it is made (meetings() hands it over in chunks,
 * after a meeting): the largest files of a large site are never whole
 * in memory.
 */
static struct out_file *
stream(struct od *o, const char *name)
{
	struct out_file	*f;
	struct buf	 path;

	if (o->out == NULL || o->rc != 0)
		return NULL;
	buf_init(&path);
	buf_printf(&path, "data/%s", name);
	if ((f = out_open(o->out, path.data, o->d)) == NULL)
		o->rc = -1;
	buf_free(&path);
	return f;
}

/*
 * Describe data/NAME in index.json and write it: data whole, or when
 * f is not NULL, the rest of what f was given.
 */
static void
emit(struct od *o, const char *name, const char *desc, const char *data,
    size_t len, size_t records, const char *type, struct out_file *sf)
{
	struct buf	 path;
	json_t		*f = json_object();

	set(f, "name", jstr(name));
	buf_init(&path);
	buf_printf(&path, "%sdata/%s", o->s->base_path != NULL ?
	    o->s->base_path : "/", name);
	set(f, "url", jurl(o, path.data));
	set(f, "media_type", jstr(type));
	set(f, "records", json_integer((json_int_t)records));
	set(f, "description", jstr(desc));
	json_array_append_new(o->files, f);
	buf_reset(&path);
	buf_printf(&path, "data/%s", name);
	if (sf != NULL) {
		if (out_put(sf, data, len) == -1)
			o->rc = -1;
		if (out_close(sf) == -1)
			o->rc = -1;
	} else if (o->out != NULL && o->rc == 0 &&
	    out_write(o->out, path.data, data, len, o->d) == -1)
		o->rc = -1;
	buf_free(&path);
}

/* Write {key: records} as NAME.json. */
static void
emit_json(struct od *o, const char *name, const char *key, json_t *records,
    const char *desc)
{
	json_t	*root = json_object();
	char	*text;
	size_t	 n = json_array_size(records);
	struct buf b;

	set(root, key, records);
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(15));
	json_decref(root);
	if (text == NULL) {
		diag_error(o->d, NULL, 0, 0, "cannot write data/%s (the data "
		    "could not be encoded as JSON)", name);
		o->rc = -1;
		return;
	}
	buf_init(&b);
	buf_puts(&b, text);
	buf_putc(&b, '\n');
	free(text);
	emit(o, name, desc, b.data, b.len, n, "application/json", NULL);
	buf_free(&b);
}

/*
 * A JSON file {key: [records]} written one record at a time, so that
 * a large site's records are never all in memory as a tree at once.
 */
struct jstream {
	struct buf	 b;
	size_t		 n;
	struct out_file	*f;		/* written as it grows, or NULL */
};

static void
js_begin(struct jstream *j, const char *key)
{
	j->f = NULL;
	buf_init(&j->b);
	buf_printf(&j->b, "{\n \"%s\": [", key);
	j->n = 0;
}

/* Before a record: what comes between records. */
static void
js_sep(struct jstream *j)
{
	buf_puts(&j->b, j->n++ ? ",\n" : "\n");
}

/* Add a record and release it; false after an error. */
static bool
js_add(struct od *o, struct jstream *j, json_t *rec)
{
	char	*t = json_dumps(rec, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
		    JSON_REAL_PRECISION(15));

	json_decref(rec);
	if (t == NULL) {
		diag_error(o->d, NULL, 0, 0, "cannot write a record of the "
		    "open data (it could not be encoded as JSON)");
		o->rc = -1;
		return false;
	}
	js_sep(j);
	buf_puts(&j->b, t);
	free(t);
	return true;
}

static void
js_end(struct od *o, struct jstream *j, const char *name, const char *desc)
{
	buf_puts(&j->b, j->n > 0 ? "\n ]\n}\n" : "]\n}\n");
	emit(o, name, desc, j->b.data, j->b.len, j->n, "application/json",
	    j->f);
	buf_free(&j->b);
}

static void
emit_csv(struct od *o, const char *name, struct csv *c, const char *desc)
{
	emit(o, name, desc, c->b.data, c->b.len, c->rows,
	    "text/csv; charset=utf-8; header=present", c->f);
	buf_free(&c->b);
}

/* --- the site's pages, in a fixed order -------------------------------- */

static int
by_date_id(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;
	long	x = p->has_date ? text_days(&p->date) : -1;
	long	y = q->has_date ? text_days(&q->date) : -1;

	if (x != y)
		return x < y ? -1 : 1;
	return strcmp(p->id, q->id);
}

static int
by_id(const void *a, const void *b)
{
	return strcmp((*(struct page *const *)a)->id,
	    (*(struct page *const *)b)->id);
}

/* Pages of one kind, sorted; free the array. */
static struct page **
pages(const struct site *s, enum page_kind k, int (*cmp)(const void *,
    const void *), size_t *n)
{
	struct page	**v = xcalloc(s->npages + 1, sizeof(*v));
	size_t		  i;

	for (*n = 0, i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == k && s->pages[i]->data != NULL)
			v[(*n)++] = s->pages[i];
	if (*n > 1)
		qsort(v, *n, sizeof(*v), cmp);
	return v;
}

/* --- meetings ---------------------------------------------------------- */

static const char *
media_type(const char *file)
{
	static const struct {
		const char	*ext, *type;
	} types[] = {
		{ "pdf", "application/pdf" },
		{ "csv", "text/csv" },
		{ "txt", "text/plain" },
		{ "html", "text/html" },
		{ "doc", "application/msword" },
		{ "docx", "application/vnd.openxmlformats-officedocument."
		    "wordprocessingml.document" },
		{ "xls", "application/vnd.ms-excel" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument."
		    "spreadsheetml.sheet" },
		{ "ppt", "application/vnd.ms-powerpoint" },
		{ "pptx", "application/vnd.openxmlformats-officedocument."
		    "presentationml.presentation" },
		{ "odt", "application/vnd.oasis.opendocument.text" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ "odp", "application/vnd.oasis.opendocument.presentation" },
		{ "rtf", "application/rtf" },
		{ "json", "application/json" },
		{ "xml", "application/xml" },
		{ "zip", "application/zip" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "gif", "image/gif" },
		{ "svg", "image/svg+xml" },
		{ "webp", "image/webp" },
		{ "mp3", "audio/mpeg" },
		{ "mp4", "video/mp4" },
	};
	const char	*dot = file != NULL ? strrchr(file, '.') : NULL;
	size_t		 i;

	for (i = 0; dot != NULL && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i].ext) == 0)
			return types[i].type;
	return "application/octet-stream";
}

/* OCD's status of a meeting. */
static const char *
ocd_status(const struct site *s, const struct page *m)
{
	const char	*st = str_of(m->data, "status");

	if (st == NULL)
		st = "scheduled";
	if (strcmp(st, "cancelled") == 0 || strcmp(st, "postponed") == 0)
		return "cancelled";
	if (strcmp(st, "held") == 0)
		return "passed";
	if (m->has_date && text_days(&m->date) < text_days(&s->today))
		return "passed";
	return "confirmed";
}

/*
 * Whether a paper (a meeting's data) is withheld: the model's decision,
 * asked of the paper's page.
 */
static bool
withheld(const struct site *s, const struct val *paper)
{
	const char	*id = str_of(paper, "id");

	return id == NULL || !site_public(site_find(s, PAGE_PAPER, id));
}

/* The ids of the published papers of an agenda item. */
static json_t *
item_papers(const struct site *s, const struct val *item)
{
	const struct val *pp = list(item, "paper_pages");
	json_t		*j = json_array();
	size_t		 i;

	for (i = 0; i < count(pp); i++)
		if (!withheld(s, pp->items[i]))
			json_array_append_new(j, jget(pp->items[i], "id"));
	return j;
}

/* {entity_type, entity_id, entity_name, note} */
static json_t *
jentity(const char *type, const struct val *id, const struct val *name,
    const char *note)
{
	json_t	*e = json_object();

	set(e, "entity_type", jstr(type));
	set(e, "entity_id", jval(id));
	set(e, "entity_name", jval(name));
	set(e, "note", jstr(note));
	return e;
}

static bool
same_item(const struct val *rec, const char *num)
{
	const char	*n = val_get_str(val_get(rec, "item"), "number");

	return n != NULL && num != NULL && strcmp(n, num) == 0;
}

/* An OCD agenda item; exempt items carry number, title and reason. */
static json_t *
jagenda(const struct site *s, const struct page *m, const struct val *it,
    struct csv *c)
{
	json_t		*j = json_object(), *x = json_object(), *rel;
	const char	*num = str_of(it, "number");
	const struct val *l, *pp;
	size_t		 i;
	bool		 ex = site_item_exempt(it);

	set(j, "order", jget(it, "number"));
	set(j, "description", jget(it, "title"));
	set(j, "classification", json_array());
	if (!ex && str_of(it, "purpose") != NULL)
		json_array_append_new(json_object_get(j, "classification"),
		    jget(it, "purpose"));
	rel = json_array();
	set(j, "related_entities", rel);
	set(x, "number", jget(it, "number"));
	set(x, "exempt", json_boolean(ex));
	set(x, "exempt_reason", ex ? jget(it, "exempt_reason") : json_null());
	set(x, "purpose", ex ? json_null() : jget(it, "purpose"));
	set(x, "presenter", ex ? json_null() : jget(it, "presenter"));
	set(x, "summary", ex ? json_null() : jget(it, "summary"));
	set(x, "recommendation", ex ? json_null() : jget(it,
	    "recommendation"));
	set(x, "papers", ex ? json_array() : item_papers(s, it));
	set(j, "extras", x);
	if (!ex) {
		pp = list(it, "paper_pages");
		for (i = 0; i < count(pp); i++)
			if (!withheld(s, pp->items[i]))
				json_array_append_new(rel, jentity("paper",
				    val_get(pp->items[i], "id"),
				    val_get(pp->items[i], "title"), NULL));
		l = list(m->data, "decisions");
		for (i = 0; i < count(l); i++)
			if (same_item(l->items[i], num))
				json_array_append_new(rel, jentity("decision",
				    val_get(l->items[i], "id"),
				    val_get(l->items[i], "resolution"),
				    str_of(l->items[i], "type")));
		l = list(m->data, "actions");
		for (i = 0; i < count(l); i++)
			if (same_item(l->items[i], num))
				json_array_append_new(rel, jentity("action",
				    val_get(l->items[i], "id"),
				    val_get(l->items[i], "action"), NULL));
		l = list(m->data, "questions");
		for (i = 0; i < count(l); i++)
			if (same_item(l->items[i], num))
				json_array_append_new(rel, jentity("question",
				    val_get(l->items[i], "id"),
				    val_get(l->items[i], "title"), NULL));
	}

	csv_str(c, m->id);
	csv_get(c, it, "number");
	csv_get(c, it, "title");
	csv_str(c, ex ? NULL : str_of(it, "purpose"));
	csv_str(c, ex ? NULL : str_of(it, "presenter"));
	csv_str(c, ex ? NULL : str_of(it, "summary"));
	csv_str(c, ex ? NULL : str_of(it, "recommendation"));
	csv_bool(c, ex);
	csv_str(c, ex ? str_of(it, "exempt_reason") : NULL);
	csv_end(c);
	return j;
}

/* An OCD document: {note, date, links: [{url, media_type}], extras}. */
static json_t *
jdocument(const struct od *o, const char *note, const struct val *date,
    const char *url, const char *type, json_t *extras)
{
	json_t	*d = json_object(), *links = json_array(), *l = json_object();

	set(d, "note", jstr(note));
	set(d, "date", jval(date));
	set(l, "url", jurl(o, url));
	set(l, "media_type", jstr(type));
	json_array_append_new(links, l);
	set(d, "links", links);
	set(d, "extras", extras);
	return d;
}

static void
doc_row(struct csv *c, const struct page *m, const char *kind, json_t *doc,
    const char *paper, const char *item)
{
	json_t	*l = json_array_get(json_object_get(doc, "links"), 0);
	json_t	*x = json_object_get(doc, "extras");

	csv_str(c, m->id);
	csv_str(c, kind);
	csv_str(c, paper);
	csv_str(c, item);
	csv_json(c, json_object_get(doc, "note"));
	csv_json(c, json_object_get(x, "author"));
	csv_json(c, json_object_get(l, "url"));
	csv_json(c, json_object_get(l, "media_type"));
	csv_json(c, json_object_get(x, "size"));
	csv_json(c, json_object_get(x, "pages"));
	csv_end(c);
}

/*
 * An attachment as the build linked it (with url, size and pages): in
 * the paper's front matter, as the page's data may be a copy made by a
 * page hook before linking.
 */
static const struct val *
linked_attachment(const struct site *s, const struct val *paper,
    const struct val *a)
{
	const struct page *p;
	const struct val *al;
	const char	*file = str_of(a, "file");
	size_t		 i;

	if (str_of(a, "url") != NULL || file == NULL ||
	    str_of(paper, "id") == NULL ||
	    (p = site_find(s, PAGE_PAPER, str_of(paper, "id"))) == NULL)
		return a;
	al = list(p->data, "attachments");
	for (i = 0; i < count(al); i++)
		if (str_of(al->items[i], "file") != NULL &&
		    strcmp(str_of(al->items[i], "file"), file) == 0)
			return al->items[i];
	return a;
}

/* A paper's timeliness row: {published, clear_days, late}, or null. */
static json_t *
jtimeliness(const struct val *tl)
{
	json_t	*t;

	if (tl == NULL)
		return json_null();
	t = json_object();
	set(t, "published", jget(tl, "published"));
	set(t, "clear_days", jget(tl, "clear_days"));
	set(t, "late", json_boolean(flag(tl, "late")));
	return t;
}

/*
 * Papers of meeting m that were public and whose files were deleted
 * since, as its page lists them, with their timeliness when they count
 * in it (deleted after the meeting's day).
 */
static json_t *
jremoved(const struct page *m)
{
	const struct val *rl = list(m->data, "removed_papers"), *r, *rows;
	const struct val *row, *tl = val_get(m->data, "timeliness");
	json_t		*a = json_array(), *x;
	size_t		 i, k;

	rows = list(tl, "papers");
	for (i = 0; i < count(rl); i++) {
		r = rl->items[i];
		x = json_object();
		set(x, "slug", jget(r, "slug"));
		set(x, "title", jget(r, "title"));
		set(x, "published", jget(r, "published"));
		set(x, "removed", jget(r, "removed"));
		set(x, "deleted", jget(r, "deleted"));
		set(x, "deleted_commit", jget(r, "deleted_commit"));
		for (k = 0, row = NULL; k < count(rows) && row == NULL; k++)
			if (val_get(rows->items[k], "removed") == r)
				row = rows->items[k];
		set(x, "timeliness", jtimeliness(row));
		json_array_append_new(a, x);
	}
	return a;
}

/* Papers (with their attachments) and the minutes of a meeting. */
static json_t *
jdocuments(const struct od *o, const struct page *m, struct csv *c)
{
	const struct val *pl = list(m->data, "papers"), *p, *al, *a;
	const struct val *min = val_get(m->data, "minutes");
	const struct val *date = val_get(m->data, "date");
	json_t		*docs = json_array(), *x, *d;
	size_t		 i, j;

	for (i = 0; i < count(pl); i++) {
		p = pl->items[i];
		if (withheld(o->s, p))
			continue;
		x = json_object();
		set(x, "kind", jstr("paper"));
		set(x, "id", jget(p, "id"));
		set(x, "item", jget(p, "item"));
		set(x, "author", jget(p, "author"));
		set(x, "summary", jget(p, "summary"));
		set(x, "timeliness", jtimeliness(val_get(p, "timeliness")));
		set(x, "history", jhistory_flag(o, p,
		    "changed_after_meeting"));
		d = jdocument(o, str_of(p, "title"), date, str_of(p, "url"),
		    "text/html", x);
		json_array_append_new(docs, d);
		doc_row(c, m, "paper", d, str_of(p, "id"), str_of(p, "item"));
		al = list(p, "attachments");
		for (j = 0; j < count(al); j++) {
			a = linked_attachment(o->s, p, al->items[j]);
			if (str_of(a, "url") == NULL)
				continue;	/* reported: no such file */
			x = json_object();
			set(x, "kind", jstr("attachment"));
			set(x, "paper_id", jget(p, "id"));
			set(x, "item", jget(p, "item"));
			set(x, "author", jget(p, "author"));
			set(x, "size", jget(a, "size"));
			set(x, "pages", jget(a, "pages"));
			d = jdocument(o, str_of(a, "title"), date,
			    str_of(a, "url"), media_type(str_of(a, "file")), x);
			json_array_append_new(docs, d);
			doc_row(c, m, "attachment", d, str_of(p, "id"),
			    str_of(p, "item"));
		}
	}
	if (min != NULL && str_of(min, "url") != NULL) {
		const struct page *mp = site_find(o->s, PAGE_MINUTES, m->id);

		x = json_object();
		set(x, "kind", jstr("minutes"));
		set(x, "status", jget(min, "status"));
		set(x, "approved_at", jget(val_get(min, "approved_at"), "id"));
		set(x, "history", mp != NULL ? jhistory_flag(o, mp->data,
		    "changed_after_approval") : json_null());
		d = jdocument(o, str_of(min, "status") != NULL &&
		    strcmp(str_of(min, "status"), "approved") == 0 ?
		    "Minutes" : "Draft minutes", date, str_of(min, "url"),
		    "text/html", x);
		json_array_append_new(docs, d);
		doc_row(c, m, "minutes", d, NULL, NULL);
	}
	return docs;
}

/* An OCD media item: a live stream or a recording. */
static json_t *
jmedia(const struct od *o, const char *note, const char *url,
    const struct val *date)
{
	json_t	*mj = json_object(), *links = json_array(), *l = json_object();

	set(mj, "note", jstr(note));
	set(mj, "date", jval(date));
	set(mj, "offset", json_null());
	set(l, "url", jurl(o, url));
	set(l, "media_type", jstr("text/html"));
	json_array_append_new(links, l);
	set(mj, "links", links);
	return mj;
}

/* A participant: {name, entity_type, entity_id, note, extras}. */
static void
participant(json_t *pl, struct csv *c, const struct page *m,
    const struct val *ref, const struct val *name, const char *note,
    const struct val *role, const struct val *for_ref)
{
	json_t	*p = json_object(), *x = json_object();

	set(p, "name", ref != NULL ? jget(ref, "title") : jval(name));
	set(p, "entity_type", jstr("person"));
	set(p, "entity_id", ref != NULL ? jget(ref, "id") : json_null());
	set(p, "note", jstr(note));
	set(x, "role", jval(role));
	set(x, "substitute_for", for_ref != NULL ? jget(for_ref, "id") :
	    json_null());
	set(p, "extras", x);
	json_array_append_new(pl, p);

	csv_str(c, m->id);
	csv_json(c, json_object_get(p, "entity_id"));
	csv_json(c, json_object_get(p, "name"));
	csv_str(c, note);
	csv_val(c, role);
	csv_json(c, json_object_get(x, "substitute_for"));
	csv_end(c);
}

/*
 * Who took part: the committee, then (when there are minutes) members
 * present, apologies, substitutes, others in attendance and members
 * absent, as the minutes and the committee's membership record them.
 */
static json_t *
jparticipants(const struct site *s, const struct page *m, struct csv *c)
{
	const struct page *min = site_find(s, PAGE_MINUTES, m->id);
	const struct val *com = val_get(m->data, "committee"), *l, *att;
	struct page	**people;
	json_t		*pl = json_array(), *cj;
	size_t		 i, j, np;

	if (com != NULL) {
		cj = json_object();
		set(cj, "name", jget(com, "title"));
		set(cj, "entity_type", jstr("organization"));
		set(cj, "entity_id", jorg("committee", str_of(com, "id")));
		set(cj, "note", jstr("host"));
		set(cj, "extras", json_object());
		json_array_append_new(pl, cj);
	}
	if (min == NULL)
		return pl;
	l = list(min->data, "present");
	for (i = 0; i < count(l); i++)
		participant(pl, c, m, l->items[i], NULL, "present", NULL,
		    NULL);
	l = list(min->data, "apologies");
	for (i = 0; i < count(l); i++)
		participant(pl, c, m, l->items[i], NULL, "apologies", NULL,
		    NULL);
	l = list(min->data, "substitutes");
	for (i = 0; i < count(l); i++)
		participant(pl, c, m, val_get(l->items[i], "person"), NULL,
		    "substitute", NULL, val_get(l->items[i], "for"));
	l = list(min->data, "in_attendance");
	for (i = 0; i < count(l); i++)
		participant(pl, c, m, val_get(l->items[i], "person"),
		    val_get(l->items[i], "name"), "in attendance",
		    val_get(l->items[i], "role"), NULL);
	/* Members expected but neither present nor giving apologies. */
	people = pages(s, PAGE_PERSON, by_id, &np);
	for (i = 0; i < np; i++) {
		att = list(people[i]->data, "attendance");
		for (j = 0; j < count(att); j++) {
			const char *mid = val_get_str(val_get(att->items[j],
			    "meeting"), "id");
			const char *st = str_of(att->items[j], "status");

			if (mid != NULL && st != NULL && strcmp(mid, m->id) ==
			    0 && strcmp(st, "absent") == 0)
				participant(pl, c, m, people[i]->data, NULL,
				    "absent", NULL, NULL);
		}
	}
	free(people);
	return pl;
}

/* The decisions of a meeting in brief, and the actions raised there. */
static json_t *
jbrief_decisions(const struct page *m)
{
	const struct val *l = list(m->data, "decisions"), *dv;
	json_t		*a = json_array(), *j;
	size_t		 i;

	for (i = 0; i < count(l); i++) {
		dv = l->items[i];
		j = json_object();
		set(j, "id", jget(dv, "id"));
		set(j, "item", jitem(val_get(dv, "item")));
		set(j, "resolution", jget(dv, "resolution"));
		set(j, "type", jget(dv, "type"));
		json_array_append_new(a, j);
	}
	return a;
}

static json_t *
jbrief_actions(const struct page *m)
{
	const struct val *l = list(m->data, "actions"), *av;
	json_t		*a = json_array(), *j;
	size_t		 i;

	for (i = 0; i < count(l); i++) {
		av = l->items[i];
		j = json_object();
		set(j, "id", jget(av, "id"));
		set(j, "item", jitem(val_get(av, "item")));
		set(j, "action", jget(av, "action"));
		set(j, "owner", jperson(val_get(av, "owner")));
		set(j, "due", jget(av, "due"));
		set(j, "status", jget(av, "status"));
		json_array_append_new(a, j);
	}
	return a;
}

static const char *const meeting_cols[] = { "id", "name", "committee_id",
    "date", "start_date", "end_date", "status", "meeting_status",
    "status_reason", "new_date", "venue", "online", "recording",
    "question_deadline", "minutes_status", "minutes_url", "url",
    "last_updated", NULL };
static const char *const agenda_cols[] = { "meeting_id", "number", "title",
    "purpose", "presenter", "summary", "recommendation", "exempt",
    "exempt_reason", NULL };
static const char *const document_cols[] = { "meeting_id", "kind",
    "paper_id", "item", "title", "author", "url", "media_type", "size",
    "pages", NULL };
static const char *const attendance_cols[] = { "meeting_id", "person_id",
    "name", "status", "role", "substitute_for", NULL };

static json_t *
jevent(struct od *o, const struct page *m, struct csv *cm, struct csv *ca,
    struct csv *cd, struct csv *ct)
{
	const struct val *d = m->data, *ag = list(d, "agenda"), *min;
	json_t		*e = json_object(), *x = json_object(), *loc, *a, *mj;
	size_t		 i;
	int		 from, to;

	set(e, "id", jstr(m->id));
	set(e, "name", jstr(m->title));
	set(e, "classification", jstr("committee-meeting"));
	set(e, "start_date", jdatetime(val_get(d, "date"), val_get(d,
	    "start")));
	site_meeting_times(m, &from, &to);
	set(e, "end_date", to >= 0 ? jdatetime(val_get(d, "date"), val_get(d,
	    "end")) : json_null());
	set(e, "timezone", jstr("Europe/London"));
	set(e, "status", jstr(ocd_status(o->s, m)));
	/* OCD wants strings here: unknown parts are left out, not null. */
	if (str_of(d, "venue") != NULL) {
		loc = json_object();
		set(loc, "name", jget(d, "venue"));
		if (str_of(d, "access") != NULL)
			set(loc, "note", jget(d, "access"));
		set(loc, "coordinates", json_null());
		set(e, "location", loc);
	}
	a = json_array();
	for (i = 0; i < count(ag); i++)
		json_array_append_new(a, jagenda(o->s, m, ag->items[i], ca));
	set(e, "agenda", a);
	set(e, "documents", jdocuments(o, m, cd));
	mj = json_array();
	if (str_of(d, "online") != NULL)
		json_array_append_new(mj, jmedia(o, "Live stream",
		    str_of(d, "online"), val_get(d, "date")));
	if (str_of(d, "recording") != NULL)
		json_array_append_new(mj, jmedia(o, "Recording",
		    str_of(d, "recording"), val_get(d, "date")));
	set(e, "media", mj);
	set(e, "participants", jparticipants(o->s, m, ct));
	a = json_array();
	json_array_append_new(a, jlink(o, m->url, "meeting page"));
	set(e, "sources", a);

	min = val_get(d, "minutes");
	set(x, "committee_id", jorg("committee", val_get_str(val_get(d,
	    "committee"), "id")));
	set(x, "date", jget(d, "date"));
	set(x, "meeting_status", jget(d, "status"));
	set(x, "status_reason", jget(d, "status_reason"));
	set(x, "new_date", jget(d, "new_date"));
	set(x, "question_deadline", jget(d, "question_deadline"));
	set(x, "url", jurl(o, m->url));
	if (min != NULL) {
		json_t *mn = json_object();
		const struct page *mp = site_find(o->s, PAGE_MINUTES, m->id);

		set(mn, "status", jget(min, "status"));
		set(mn, "approved_at", jget(val_get(min, "approved_at"),
		    "id"));
		set(mn, "quorate", mp != NULL ? jget(mp->data, "quorate") :
		    json_null());
		set(mn, "url", jurl(o, str_of(min, "url")));
		set(x, "minutes", mn);
	} else
		set(x, "minutes", json_null());
	set(x, "decisions", jbrief_decisions(m));
	set(x, "actions_raised", jbrief_actions(m));
	set(x, "removed_papers", jremoved(m));
	set(x, "history", jhistory(o, d));
	set(e, "extras", x);

	csv_str(cm, m->id);
	csv_str(cm, m->title);
	csv_json(cm, json_object_get(x, "committee_id"));
	csv_get(cm, d, "date");
	csv_json(cm, json_object_get(e, "start_date"));
	csv_json(cm, json_object_get(e, "end_date"));
	csv_json(cm, json_object_get(e, "status"));
	csv_get(cm, d, "status");
	csv_get(cm, d, "status_reason");
	csv_get(cm, d, "new_date");
	csv_get(cm, d, "venue");
	csv_get(cm, d, "online");
	csv_get(cm, d, "recording");
	csv_get(cm, d, "question_deadline");
	csv_get(cm, min, "status");
	csv_json(cm, json_object_get(json_object_get(x, "minutes"), "url"));
	csv_json(cm, json_object_get(x, "url"));
	csv_json(cm, json_object_get(json_object_get(x, "history"),
	    "last_updated"));
	csv_end(cm);
	return e;
}

/*
 * Feed c what page q is (as page keys see it: its facts and data), or
 * that there is none; false when that cannot be told.
 */
static bool
page_key(const struct od *o, const struct page *q, struct sha256 *c)
{
	unsigned char	there = q != NULL;

	sha256_update(c, &there, 1);
	return q == NULL || o->memo->digest(o->memo->arg, q, c);
}

/* A paper a meeting names: its id, and its page (withheld or not). */
static bool
paper_key(const struct od *o, const struct val *paper, struct sha256 *c)
{
	const char	*id = str_of(paper, "id");

	sha256_update(c, id != NULL ? id : "\1", id != NULL ?
	    strlen(id) + 1 : 2);
	return page_key(o, id != NULL ? site_find(o->s, PAGE_PAPER, id) :
	    NULL, c);
}

/* Whether a person's attendance names meeting id. */
static bool
attended(const struct page *person, const char *id)
{
	const struct val *att = list(person->data, "attendance");
	const char	*mid;
	size_t		 i;

	for (i = 0; i < count(att); i++)
		if ((mid = val_get_str(val_get(att->items[i], "meeting"),
		    "id")) != NULL && strcmp(mid, id) == 0)
			return true;
	return false;
}

/*
 * The key of a meeting's records: everything jevent() reads.  That is
 * the meeting; the papers its agenda and its list of papers name
 * (withheld or not, and their attachments as linked); its minutes;
 * every person whose attendance names it; whether its date has passed
 * (its OCD status); and, in prefix, the site's address and this
 * binary.  false when it cannot be told.
 */
static bool
meeting_key(const struct od *o, const unsigned char prefix[32],
    const struct page *m, struct page *const *people, size_t np,
    unsigned char key[32])
{
	const struct val *pl = list(m->data, "papers");
	const struct val *ag = list(m->data, "agenda"), *pp;
	struct sha256	 c;
	unsigned char	 past;
	size_t		 i, j;
	bool		 ok;

	sha256_init(&c);
	sha256_update(&c, prefix, 32);
	ok = page_key(o, m, &c);
	past = m->has_date && text_days(&m->date) < text_days(&o->s->today);
	sha256_update(&c, &past, 1);
	for (i = 0; ok && i < count(pl); i++)
		ok = paper_key(o, pl->items[i], &c);
	for (i = 0; ok && i < count(ag); i++) {
		pp = list(ag->items[i], "paper_pages");
		for (j = 0; ok && j < count(pp); j++)
			ok = paper_key(o, pp->items[j], &c);
	}
	ok = ok && page_key(o, site_find(o->s, PAGE_MINUTES, m->id), &c);
	for (i = 0; ok && i < np; i++)
		if (attended(people[i], m->id))
			ok = page_key(o, people[i], &c);
	sha256_final(&c, key);
	return ok;
}

/* What every meeting's key begins with; false: keep nothing. */
static bool
memo_prefix(const struct od *o, unsigned char prefix[32])
{
	struct sha256	c;
	const char	*origin = o->s->origin != NULL ? o->s->origin : "";

	sha256_init(&c);
	sha256_update(&c, "icpgen meeting records 1", 25);
	if (!sha256_self(&c))
		return false;
	sha256_update(&c, origin, strlen(origin) + 1);
	sha256_final(&c, prefix);
	return true;
}

static void
meetings(struct od *o)
{
	struct page	**v, **people = NULL;
	size_t		  n, np = 0, i, k, start[ODM_PARTS], rows[ODM_PARTS];
	struct jstream	  ev;
	struct csv	  cm, ca, cd, ct, *cs[ODM_PARTS - 1];
	struct odmemo	 *memo = NULL;
	struct odm_part	  parts[ODM_PARTS];
	unsigned char	  prefix[32], key[32];
	bool		  keyed;

	csv_begin(&cm, meeting_cols);
	csv_begin(&ca, agenda_cols);
	csv_begin(&cd, document_cols);
	csv_begin(&ct, attendance_cols);
	cs[0] = &cm;
	cs[1] = &ca;
	cs[2] = &cd;
	cs[3] = &ct;
	js_begin(&ev, "events");
	/* A meeting and its papers: the largest files, so written as made. */
	ev.f = stream(o, "meetings.json");
	cm.f = stream(o, "meetings.csv");
	ca.f = stream(o, "agenda_items.csv");
	cd.f = stream(o, "documents.csv");
	ct.f = stream(o, "attendance.csv");
	/*
	 * A meeting whose key is what it was in the last build has the
	 * bytes it gave then copied (odmemo.c); the others are made.
	 */
	if (o->out != NULL && o->memo != NULL && o->memo->file != NULL &&
	    memo_prefix(o, prefix)) {
		memo = odmemo_open(o->memo->file);
		people = pages(o->s, PAGE_PERSON, by_id, &np);
	}
	v = pages(o->s, PAGE_MEETING, by_date_id, &n);
	for (i = 0; i < n; i++) {
		keyed = memo != NULL && meeting_key(o, prefix, v[i], people,
		    np, key);
		if (keyed && odmemo_get(memo, v[i]->id, key, parts)) {
			js_sep(&ev);
			buf_put(&ev.b, parts[0].data, parts[0].len);
			for (k = 1; k < ODM_PARTS; k++) {
				buf_put(&cs[k - 1]->b, parts[k].data,
				    parts[k].len);
				cs[k - 1]->rows += parts[k].rows;
			}
			odmemo_put(memo, v[i]->id, key, parts);
		} else {
			/* Made: its bytes are what the buffers gain. */
			start[0] = ev.b.len + (ev.n ? 2 : 1);	/* js_sep */
			rows[0] = 0;
			for (k = 1; k < ODM_PARTS; k++) {
				start[k] = cs[k - 1]->b.len;
				rows[k] = cs[k - 1]->rows;
			}
			if (js_add(o, &ev, jevent(o, v[i], &cm, &ca, &cd,
			    &ct)) && keyed) {
				parts[0] = (struct odm_part){ ev.b.data +
				    start[0], ev.b.len - start[0], 0 };
				for (k = 1; k < ODM_PARTS; k++)
					parts[k] = (struct odm_part){
					    cs[k - 1]->b.data + start[k],
					    cs[k - 1]->b.len - start[k],
					    cs[k - 1]->rows - rows[k] };
				odmemo_put(memo, v[i]->id, key, parts);
			}
		}
		/* Sent once the meeting is whole (and taken). */
		hand_over(ev.f, &ev.b);
		for (k = 1; k < ODM_PARTS; k++)
			hand_over(cs[k - 1]->f, &cs[k - 1]->b);
	}
	free(v);
	free(people);
	js_end(o, &ev, "meetings.json", "Meetings as Open Civic Data events, "
	    "oldest first: agenda, papers, minutes, attendance, decisions "
	    "and actions raised");
	emit_csv(o, "meetings.csv", &cm, "Meetings, one row each");
	emit_csv(o, "agenda_items.csv", &ca, "Agenda items, one row per item "
	    "of each meeting");
	emit_csv(o, "documents.csv", &cd, "Papers, attachments and minutes "
	    "of each meeting, one row per document");
	emit_csv(o, "attendance.csv", &ct, "Attendance at meetings with "
	    "minutes, one row per person");
	odmemo_close(memo, o->rc == 0);
}

/* --- people, organisations, memberships -------------------------------- */

static const char *const people_cols[] = { "id", "name", "role",
    "organisation_id", "represents_id", "interests_url", "url",
    "last_updated", NULL };
static const char *const interest_cols[] = { "person_id", "interest",
    "kind", "from", "to", NULL };

static void
persons(struct od *o)
{
	struct page	**v;
	size_t		  n, i, j;
	json_t		 *all = json_array(), *p, *x, *l, *in, *sum;
	const struct val *d, *il, *as;
	struct csv	  cp, ci;

	csv_begin(&cp, people_cols);
	csv_begin(&ci, interest_cols);
	v = pages(o->s, PAGE_PERSON, by_id, &n);
	for (i = 0; i < n; i++) {
		d = v[i]->data;
		p = json_object();
		x = json_object();
		set(p, "id", jstr(v[i]->id));
		set(p, "name", jstr(v[i]->title));
		l = json_array();
		if (str_of(d, "interests_url") != NULL)
			json_array_append_new(l, jlink(o, str_of(d,
			    "interests_url"), "register of interests"));
		set(p, "links", l);
		l = json_array();
		json_array_append_new(l, jlink(o, v[i]->url, "person's page"));
		set(p, "sources", l);
		set(x, "role", jget(v[i]->data, "role"));
		set(x, "organisation_id", jorg("organisation", val_get_str(
		    val_get(d, "organisation"), "id")));
		set(x, "represents_id", jorg("organisation", val_get_str(
		    val_get(d, "represents"), "id")));
		in = json_array();
		il = list(v[i]->data, "interests");
		for (j = 0; j < count(il); j++) {
			json_t *ij = json_object();

			set(ij, "interest", jget(il->items[j], "interest"));
			set(ij, "kind", jget(il->items[j], "kind"));
			set(ij, "from", jget(il->items[j], "from"));
			set(ij, "to", jget(il->items[j], "to"));
			json_array_append_new(in, ij);
			csv_str(&ci, v[i]->id);
			csv_get(&ci, il->items[j], "interest");
			csv_get(&ci, il->items[j], "kind");
			csv_get(&ci, il->items[j], "from");
			csv_get(&ci, il->items[j], "to");
			csv_end(&ci);
		}
		set(x, "interests", in);
		as = val_get(d, "attendance_summary");
		if (as != NULL) {
			sum = json_object();
			set(sum, "expected", jget(as, "expected"));
			set(sum, "present", jget(as, "present"));
			set(sum, "apologies", jget(as, "apologies"));
			set(sum, "absent", jget(as, "absent"));
			set(x, "attendance", sum);
		} else
			set(x, "attendance", json_null());
		set(x, "url", jurl(o, v[i]->url));
		set(x, "history", jhistory(o, d));
		set(p, "extras", x);
		json_array_append_new(all, p);

		csv_str(&cp, v[i]->id);
		csv_str(&cp, v[i]->title);
		csv_get(&cp, v[i]->data, "role");
		csv_json(&cp, json_object_get(x, "organisation_id"));
		csv_json(&cp, json_object_get(x, "represents_id"));
		csv_get(&cp, d, "interests_url");
		csv_json(&cp, json_object_get(x, "url"));
		csv_json(&cp, json_object_get(json_object_get(x, "history"),
		    "last_updated"));
		csv_end(&cp);
	}
	free(v);
	emit_json(o, "people.json", "persons", all, "Members and officers as "
	    "Popolo persons, with their standing interests and attendance");
	emit_csv(o, "people.csv", &cp, "Members and officers, one row each");
	emit_csv(o, "interests.csv", &ci, "Standing register of interests, "
	    "one row per interest");
}

static const char *const org_cols[] = { "id", "name", "short_name",
    "classification", "organisation_type", "website", "url", "last_updated",
    NULL };

/*
 * OCD's organisation classification for an organisation's own type
 * (content_org_type): pupa's organization schema allows only legislature,
 * executive, upper, lower, party, committee, commission, corporation,
 * agency, department and judiciary.  The type itself goes under extras.
 */
static const char *
ocd_org_class(const char *type)
{
	static const char *const map[][2] = {
		{ "icb", "agency" },
		{ "council", "legislature" },
		{ "nhs-trust", "corporation" },
		{ "primary-care", "corporation" },
		{ "healthwatch", "corporation" },
		{ "vcse", "corporation" },
		{ "public-service", "agency" },
		{ "other", "corporation" },
	};
	size_t	 i;

	for (i = 0; type != NULL && i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(type, map[i][0]) == 0)
			return map[i][1];
	return "corporation";
}

static json_t *
jorganization(struct od *o, const struct page *p, bool committee,
    struct csv *c)
{
	const struct val *d = p->data;
	json_t		*j = json_object(), *x = json_object(), *l, *on;
	json_t		*tor;
	const char	*kind = committee ? "committee" : "organisation", *t0;

	set(j, "id", jorg(kind, p->id));
	set(j, "name", jstr(p->title));
	on = json_array();
	if (str_of(p->data, "short_name") != NULL) {
		json_t *nm = json_object();

		set(nm, "name", jget(p->data, "short_name"));
		set(nm, "note", jstr("short name"));
		json_array_append_new(on, nm);
	}
	set(j, "other_names", on);
	set(j, "classification", jstr(committee ? "committee" :
	    ocd_org_class(str_of(p->data, "type"))));
	l = json_array();
	if (str_of(p->data, "website") != NULL)
		json_array_append_new(l, jlink(o, str_of(p->data, "website"),
		    "website"));
	/* The address the committee's page links to, as the model
	 * resolved and checked it: not the raw value, which a hook may
	 * have changed after the check. */
	if (!committee || (t0 = str_of(p->data, "terms_of_reference_url")) ==
	    NULL)
		tor = json_null();
	else if (strncmp(t0, "https://", 8) == 0 ||
	    strncmp(t0, "http://", 7) == 0)
		tor = jstr(t0);
	else
		tor = jurl(o, t0);
	if (json_is_string(tor)) {
		json_t *t = json_object();

		set(t, "url", json_incref(tor));
		set(t, "note", jstr("terms of reference"));
		json_array_append_new(l, t);
	}
	set(j, "links", l);
	l = json_array();
	json_array_append_new(l, jlink(o, p->url, committee ?
	    "committee's page" : "organisation's page"));
	set(j, "sources", l);
	set(x, "kind", jstr(kind));
	set(x, "short_name", jget(p->data, "short_name"));
	set(x, "organisation_type", committee ? json_null() :
	    jget(p->data, "type"));
	if (committee) {
		set(x, "description", jget(p->data, "description"));
		set(x, "quorum", jget(p->data, "quorum"));
		set(x, "public_attendance", jget(p->data, "public_attendance"));
		set(x, "questions", jget(p->data, "questions"));
		set(x, "question_days", jget(p->data, "question_days"));
		set(x, "terms_of_reference", tor);
	} else {
		json_decref(tor);
		set(x, "website", jget(p->data, "website"));
	}
	set(x, "url", jurl(o, p->url));
	set(x, "history", jhistory(o, d));
	set(j, "extras", x);

	csv_json(c, json_object_get(j, "id"));
	csv_str(c, p->title);
	csv_get(c, p->data, "short_name");
	csv_json(c, json_object_get(j, "classification"));
	csv_json(c, json_object_get(x, "organisation_type"));
	csv_get(c, p->data, "website");
	csv_json(c, json_object_get(x, "url"));
	csv_json(c, json_object_get(json_object_get(x, "history"),
	    "last_updated"));
	csv_end(c);
	return j;
}

static const char *const membership_cols[] = { "person_id",
    "organization_id", "role", "start_date", "end_date", "voting",
    "current", NULL };

static void
organizations(struct od *o)
{
	struct page	**v;
	size_t		  n, i, j;
	json_t		 *all = json_array(), *ms = json_array(), *mj, *x;
	const struct val *ml, *m;
	struct csv	  co, cm;

	csv_begin(&co, org_cols);
	csv_begin(&cm, membership_cols);
	v = pages(o->s, PAGE_COMMITTEE, by_id, &n);
	for (i = 0; i < n; i++) {
		json_array_append_new(all, jorganization(o, v[i], true, &co));
		ml = list(v[i]->data, "members");
		for (j = 0; j < count(ml); j++) {
			m = ml->items[j];
			mj = json_object();
			x = json_object();
			set(mj, "person_id", jget(val_get(m, "person"), "id"));
			set(mj, "organization_id", jorg("committee", v[i]->id));
			set(mj, "role", jget(m, "role"));
			if (str_of(m, "from") != NULL)	/* Popolo: a date or no key */
				set(mj, "start_date", jget(m, "from"));
			if (str_of(m, "to") != NULL)
				set(mj, "end_date", jget(m, "to"));
			set(x, "voting", json_boolean(flag(m, "voting")));
			set(x, "current", json_boolean(flag(m, "current")));
			set(mj, "extras", x);
			json_array_append_new(ms, mj);
			csv_json(&cm, json_object_get(mj, "person_id"));
			csv_json(&cm, json_object_get(mj, "organization_id"));
			csv_get(&cm, m, "role");
			csv_get(&cm, m, "from");
			csv_get(&cm, m, "to");
			csv_bool(&cm, flag(m, "voting"));
			csv_bool(&cm, flag(m, "current"));
			csv_end(&cm);
		}
	}
	free(v);
	v = pages(o->s, PAGE_ORGANISATION, by_id, &n);
	for (i = 0; i < n; i++)
		json_array_append_new(all, jorganization(o, v[i], false, &co));
	free(v);
	emit_json(o, "organizations.json", "organizations", all, "Committees "
	    "and partner organisations as Popolo organizations");
	emit_csv(o, "organizations.csv", &co, "Committees and partner "
	    "organisations, one row each");
	emit_json(o, "memberships.json", "memberships", ms, "Committee "
	    "membership as Popolo memberships");
	emit_csv(o, "memberships.csv", &cm, "Committee membership, one row "
	    "per term");
}

/* --- registers --------------------------------------------------------- */

/* The URL of a minuted item: the minutes page at the item's anchor. */
static char *
item_url(const struct od *o, const struct page *m, const struct val *item)
{
	const char	*mu = val_get_str(val_get(m->data, "minutes"), "url");
	const char	*num = str_of(item, "number");
	struct buf	 b;
	char		*u;

	if (mu == NULL)
		return absolute(o, m->url);
	buf_init(&b);
	buf_puts(&b, mu);
	if (num != NULL) {
		buf_puts(&b, "#item-");
		text_slug(&b, num, strlen(num));
	}
	u = absolute(o, b.data);
	buf_free(&b);
	return u;
}

static const char *const decision_cols[] = { "id", "date", "meeting_id",
    "committee_id", "item_number", "item_title", "resolution", "type",
    "url", NULL };
static const char *const action_cols[] = { "id", "action", "owner_id",
    "owner_name", "due", "raised_meeting_id", "raised_date", "item_number",
    "item_title", "status", "status_date", "overdue", "url", NULL };
static const char *const update_cols[] = { "action_id", "date",
    "meeting_id", "status", "note", NULL };
static const char *const declaration_cols[] = { "id", "person_id",
    "person_name", "meeting_id", "date", "item_number", "item_title",
    "interest", "action", "url", NULL };

static json_t *
jaction(struct od *o, const struct val *a, struct csv *c, struct csv *cu)
{
	json_t		*j = json_object(), *r = json_object(), *ul;
	const struct val *raised = val_get(a, "raised"), *u, *l;
	struct buf	 b;
	const char	*anchor = str_of(a, "anchor");
	size_t		 i;

	set(j, "id", jget(a, "id"));
	set(j, "action", jget(a, "action"));
	set(j, "owner", jperson(val_get(a, "owner")));
	set(j, "due", jget(a, "due"));
	set(r, "meeting_id", jget(raised, "id"));
	set(r, "date", jget(raised, "date"));
	set(j, "raised", r);
	set(j, "item", jitem(val_get(a, "item")));
	set(j, "status", jget(a, "status"));
	set(j, "status_date", val_get(a, "status_date") != NULL ?
	    jget(a, "status_date") : jget(raised, "date"));
	set(j, "overdue", json_boolean(flag(a, "overdue")));
	ul = json_array();
	l = list(a, "updates");
	for (i = 0; i < count(l); i++) {
		json_t *uj = json_object();

		u = l->items[i];
		set(uj, "date", jget(u, "date"));
		set(uj, "meeting_id", jget(val_get(u, "meeting"), "id"));
		set(uj, "status", jget(u, "status"));
		set(uj, "note", jget(u, "note"));
		json_array_append_new(ul, uj);
		csv_get(cu, a, "id");
		csv_get(cu, u, "date");
		csv_json(cu, json_object_get(uj, "meeting_id"));
		csv_get(cu, u, "status");
		csv_get(cu, u, "note");
		csv_end(cu);
	}
	set(j, "updates", ul);
	buf_init(&b);
	buf_printf(&b, "%sactions/", o->s->base_path);
	if (anchor != NULL) {
		buf_putc(&b, '#');
		buf_put_url(&b, anchor, strlen(anchor));
	}
	set(j, "url", jurl(o, b.data));
	buf_free(&b);

	csv_get(c, a, "id");
	csv_get(c, a, "action");
	csv_json(c, json_object_get(json_object_get(j, "owner"), "id"));
	csv_json(c, json_object_get(json_object_get(j, "owner"), "name"));
	csv_get(c, a, "due");
	csv_json(c, json_object_get(r, "meeting_id"));
	csv_json(c, json_object_get(r, "date"));
	csv_get(c, val_get(a, "item"), "number");
	csv_get(c, val_get(a, "item"), "title");
	csv_get(c, a, "status");
	csv_json(c, json_object_get(j, "status_date"));
	csv_bool(c, flag(a, "overdue"));
	csv_json(c, json_object_get(j, "url"));
	csv_end(c);
	return j;
}

/* Decisions, actions and declarations, meeting by meeting. */
static void
registers(struct od *o)
{
	struct page	**v;
	const struct page *min;
	size_t		  n, i, j;
	json_t		 *dec = json_array(), *act = json_array();
	json_t		 *decl = json_array(), *dj;
	const struct val *l, *dv;
	struct csv	  cdec, cact, cup, cdecl;
	char		 *u;

	csv_begin(&cdec, decision_cols);
	csv_begin(&cact, action_cols);
	csv_begin(&cup, update_cols);
	csv_begin(&cdecl, declaration_cols);
	v = pages(o->s, PAGE_MEETING, by_date_id, &n);
	for (i = 0; i < n; i++) {
		l = list(v[i]->data, "decisions");
		for (j = 0; j < count(l); j++) {
			dv = l->items[j];
			dj = json_object();
			set(dj, "id", jget(dv, "id"));
			set(dj, "date", jget(dv, "date"));
			set(dj, "meeting_id", jstr(v[i]->id));
			set(dj, "committee_id", jorg("committee", val_get_str(
			    val_get(dv, "committee"), "id")));
			set(dj, "item", jitem(val_get(dv, "item")));
			set(dj, "resolution", jget(dv, "resolution"));
			set(dj, "type", jget(dv, "type"));
			u = item_url(o, v[i], val_get(dv, "item"));
			set(dj, "url", jstr(u));
			free(u);
			json_array_append_new(dec, dj);
			csv_get(&cdec, dv, "id");
			csv_get(&cdec, dv, "date");
			csv_str(&cdec, v[i]->id);
			csv_json(&cdec, json_object_get(dj, "committee_id"));
			csv_get(&cdec, val_get(dv, "item"), "number");
			csv_get(&cdec, val_get(dv, "item"), "title");
			csv_get(&cdec, dv, "resolution");
			csv_get(&cdec, dv, "type");
			csv_json(&cdec, json_object_get(dj, "url"));
			csv_end(&cdec);
		}
		l = list(v[i]->data, "actions");
		for (j = 0; j < count(l); j++)
			json_array_append_new(act, jaction(o, l->items[j],
			    &cact, &cup));
		if ((min = site_find(o->s, PAGE_MINUTES, v[i]->id)) == NULL)
			continue;
		l = list(min->data, "declarations");
		for (j = 0; j < count(l); j++) {
			struct buf id;

			dv = l->items[j];
			dj = json_object();
			buf_init(&id);
			buf_printf(&id, "%s-declaration-%zu", v[i]->id, j + 1);
			set(dj, "id", jstr(id.data));
			buf_free(&id);
			set(dj, "person", jperson(val_get(dv, "person")));
			set(dj, "meeting_id", jstr(v[i]->id));
			set(dj, "date", jget(dv, "date"));
			set(dj, "item", jitem(val_get(dv, "item")));
			set(dj, "interest", jget(dv, "interest"));
			set(dj, "action", jget(dv, "action"));
			set(dj, "url", jurl(o, min->url));
			json_array_append_new(decl, dj);
			csv_json(&cdecl, json_object_get(dj, "id"));
			csv_get(&cdecl, val_get(dv, "person"), "id");
			csv_get(&cdecl, val_get(dv, "person"), "title");
			csv_str(&cdecl, v[i]->id);
			csv_get(&cdecl, dv, "date");
			csv_get(&cdecl, val_get(dv, "item"), "number");
			csv_get(&cdecl, val_get(dv, "item"), "title");
			csv_get(&cdecl, dv, "interest");
			csv_get(&cdecl, dv, "action");
			csv_json(&cdecl, json_object_get(dj, "url"));
			csv_end(&cdecl);
		}
	}
	free(v);
	emit_json(o, "decisions.json", "decisions", dec, "Decisions "
	    "recorded in minutes, oldest first");
	emit_csv(o, "decisions.csv", &cdec, "Decisions, one row each");
	emit_json(o, "actions.json", "actions", act, "The action log: "
	    "actions raised in minutes, with their status and dated updates");
	emit_csv(o, "actions.csv", &cact, "Actions, one row each");
	emit_csv(o, "action_updates.csv", &cup, "Progress on actions, one row "
	    "per update");
	emit_json(o, "declarations.json", "declarations", decl,
	    "Declarations of interest made at meetings, oldest first");
	emit_csv(o, "declarations.csv", &cdecl, "Declarations of interest, "
	    "one row each");
}

static int
by_received(const void *a, const void *b)
{
	const struct page *p = *(struct page *const *)a;
	const struct page *q = *(struct page *const *)b;
	const char	*x = str_of(p->data, "received");
	const char	*y = str_of(q->data, "received");
	int		 c = strcmp(x != NULL ? x : "", y != NULL ? y : "");

	return c != 0 ? c : strcmp(p->id, q->id);
}

static const char *const question_cols[] = { "id", "title", "question",
    "received", "asked_by", "meeting_id", "item_number", "status",
    "answered_by_id", "answered_by_name", "answered_on", "url",
    "last_updated", NULL };

static void
questions(struct od *o)
{
	struct page	**v;
	size_t		  n, i;
	json_t		 *all = json_array(), *q;
	const struct val *d;
	struct csv	  c;

	csv_begin(&c, question_cols);
	v = pages(o->s, PAGE_QUESTION, by_received, &n);
	for (i = 0; i < n; i++) {
		d = v[i]->data;
		q = json_object();
		set(q, "id", jstr(v[i]->id));
		set(q, "title", jstr(v[i]->title));
		set(q, "question", jget(d, "question"));
		set(q, "received", jget(d, "received"));
		set(q, "asked_by", jget(d, "asked_by"));
		set(q, "meeting_id", jget(val_get(d, "meeting"), "id"));
		set(q, "item", val_get(d, "meeting") != NULL ? jitem(val_get(d,
		    "item")) : json_null());
		set(q, "status", jget(d, "status"));
		set(q, "answered_by", jperson(val_get(d, "answered_by")));
		set(q, "answered_on", jget(d, "answered_on"));
		set(q, "url", jurl(o, v[i]->url));
		set(q, "history", jhistory(o, d));
		json_array_append_new(all, q);

		csv_str(&c, v[i]->id);
		csv_str(&c, v[i]->title);
		csv_get(&c, d, "question");
		csv_get(&c, d, "received");
		csv_get(&c, d, "asked_by");
		csv_json(&c, json_object_get(q, "meeting_id"));
		csv_json(&c, json_object_get(json_object_get(q, "item"),
		    "number"));
		csv_get(&c, d, "status");
		csv_json(&c, json_object_get(json_object_get(q,
		    "answered_by"), "id"));
		csv_json(&c, json_object_get(json_object_get(q,
		    "answered_by"), "name"));
		csv_get(&c, d, "answered_on");
		csv_json(&c, json_object_get(q, "url"));
		csv_json(&c, json_object_get(json_object_get(q, "history"),
		    "last_updated"));
		csv_end(&c);
	}
	free(v);
	emit_json(o, "questions.json", "questions", all, "Questions from the "
	    "public, oldest first; each answer is on the question's page");
	emit_csv(o, "questions.csv", &c, "Questions from the public, one row "
	    "each");
}

/* --- measures ---------------------------------------------------------- */

/* {date, value} of a baseline or target, or null. */
static json_t *
jpoint(const struct val *p)
{
	json_t	*j;

	if (p == NULL || p->kind != VAL_MAP)
		return json_null();
	j = json_object();
	set(j, "date", jget(p, "date"));
	set(j, "value", jget(p, "value"));
	return j;
}

static const char *const measure_cols[] = { "id", "title", "priority_id",
    "definition", "unit", "higher_is_better", "source", "min", "max",
    "baseline_date", "baseline_value", "target_date", "target_value",
    "latest_date", "latest_value", "latest_rag", "direction", "url",
    "last_updated", NULL };
static const char *const value_cols[] = { "measure_id", "date", "value",
    "rag", "reason", "narrative", NULL };
static const char *const trajectory_cols[] = { "measure_id", "date",
    "value", NULL };

static void
measures(struct od *o)
{
	struct page	**v;
	size_t		  n, i, j;
	json_t		 *all = json_array(), *m, *pr, *l;
	const struct val *d, *vl, *tl, *latest, *dir;
	struct csv	  c, cv, ct;

	csv_begin(&c, measure_cols);
	csv_begin(&cv, value_cols);
	csv_begin(&ct, trajectory_cols);
	v = pages(o->s, PAGE_MEASURE, by_id, &n);
	for (i = 0; i < n; i++) {
		d = v[i]->data;
		m = json_object();
		set(m, "id", jstr(v[i]->id));
		set(m, "title", jstr(v[i]->title));
		if (val_get(d, "priority") != NULL) {
			pr = json_object();
			set(pr, "id", jget(val_get(d, "priority"), "id"));
			set(pr, "title", jget(val_get(d, "priority"), "title"));
			set(m, "priority", pr);
		} else
			set(m, "priority", json_null());
		set(m, "definition", jget(v[i]->data, "definition"));
		set(m, "unit", jget(v[i]->data, "unit"));
		set(m, "higher_is_better", jget(v[i]->data, "higher_is_better"));
		set(m, "source", jget(v[i]->data, "data_source"));
		set(m, "min", jget(v[i]->data, "min"));
		set(m, "max", jget(v[i]->data, "max"));
		set(m, "baseline", jpoint(val_get(v[i]->data, "baseline")));
		set(m, "target", jpoint(val_get(v[i]->data, "target")));
		l = json_array();
		tl = list(v[i]->data, "trajectory");
		for (j = 0; j < count(tl); j++) {
			json_array_append_new(l, jpoint(tl->items[j]));
			csv_str(&ct, v[i]->id);
			csv_get(&ct, tl->items[j], "date");
			csv_get(&ct, tl->items[j], "value");
			csv_end(&ct);
		}
		set(m, "trajectory", l);
		l = json_array();
		vl = list(d, "values");
		for (j = 0; j < count(vl); j++) {
			json_t *vj = json_object();

			set(vj, "date", jget(vl->items[j], "date"));
			set(vj, "value", jget(vl->items[j], "value"));
			set(vj, "rag", jget(vl->items[j], "rag"));
			set(vj, "reason", jget(vl->items[j], "reason"));
			set(vj, "narrative", jget(vl->items[j], "narrative"));
			json_array_append_new(l, vj);
			csv_str(&cv, v[i]->id);
			csv_get(&cv, vl->items[j], "date");
			csv_get(&cv, vl->items[j], "value");
			csv_get(&cv, vl->items[j], "rag");
			csv_get(&cv, vl->items[j], "reason");
			csv_get(&cv, vl->items[j], "narrative");
			csv_end(&cv);
		}
		set(m, "values", l);
		dir = val_get(d, "direction");
		set(m, "direction", dir != NULL && dir->kind == VAL_STR &&
		    dir->len > 0 ? jval(dir) : json_null());
		set(m, "url", jurl(o, v[i]->url));
		set(m, "history", jhistory(o, d));
		json_array_append_new(all, m);

		latest = val_get(d, "latest");
		csv_str(&c, v[i]->id);
		csv_str(&c, v[i]->title);
		csv_get(&c, val_get(d, "priority"), "id");
		csv_get(&c, v[i]->data, "definition");
		csv_get(&c, v[i]->data, "unit");
		csv_get(&c, v[i]->data, "higher_is_better");
		csv_get(&c, v[i]->data, "data_source");
		csv_get(&c, v[i]->data, "min");
		csv_get(&c, v[i]->data, "max");
		csv_get(&c, val_get(v[i]->data, "baseline"), "date");
		csv_get(&c, val_get(v[i]->data, "baseline"), "value");
		csv_get(&c, val_get(v[i]->data, "target"), "date");
		csv_get(&c, val_get(v[i]->data, "target"), "value");
		csv_get(&c, latest, "date");
		csv_get(&c, latest, "value");
		csv_get(&c, latest, "rag");
		csv_json(&c, json_object_get(m, "direction"));
		csv_json(&c, json_object_get(m, "url"));
		csv_json(&c, json_object_get(json_object_get(m, "history"),
		    "last_updated"));
		csv_end(&c);
	}
	free(v);
	emit_json(o, "measures.json", "measures", all, "Outcome measures of "
	    "the integrated care strategy: baseline, target, trajectory and "
	    "every value with its rating");
	emit_csv(o, "measures.csv", &c, "Outcome measures, one row each");
	emit_csv(o, "measure_values.csv", &cv, "Values of outcome measures, "
	    "one row per value");
	emit_csv(o, "measure_trajectory.csv", &ct, "Planned trajectories of "
	    "outcome measures, one row per point");
}

/* --- the index --------------------------------------------------------- */

/*
 * The forward plan: one field list drives both the JSON records and the
 * CSV columns (docs/open-data.md documents the same list, and
 * tests/plan.sh checks the three agree).  path is a key, or a dotted
 * path, into the item's model data; "@id" and "@url" are the page's.
 */
static const struct {
	const char	*name;
	const char	*path;
	bool		 flag;		/* a boolean, false when absent */
} plan_fields[] = {
	{ "id", "@id", false },
	{ "title", "title", false },
	{ "committee_id", "committee.id", false },
	{ "meeting_id", "meeting.id", false },
	{ "month", "month", false },
	{ "expected", "expected", false },
	{ "purpose", "purpose", false },
	{ "lead_id", "lead.id", false },
	{ "lead_name", "lead.title", false },
	{ "key_decision", "key_decision", true },
	{ "exempt", "exempt", true },
	{ "exempt_reason", "exempt_reason", false },
	{ "status", "status", false },
	{ "status_reason", "status_reason", false },
	{ "taken_meeting_id", "taken_at.id", false },
	{ "taken_item", "taken_at.number", false },
	{ "summary", "summary", false },
	{ "url", "@url", false },
};

static void
forward_plan(struct od *o)
{
	const char	*cols[sizeof(plan_fields) / sizeof(plan_fields[0]) + 1];
	const struct val *v, *list = val_get(o->s->lists, "forward_plan");
	const struct page *p;
	json_t		*all = json_array(), *r, *j;
	struct csv	 c;
	size_t		 i, f, nf = sizeof(plan_fields) / sizeof(plan_fields[0]);

	for (f = 0; f < nf; f++)
		cols[f] = plan_fields[f].name;
	cols[nf] = NULL;
	csv_begin(&c, cols);
	for (i = 0; i < count(list); i++) {
		p = site_find(o->s, PAGE_PLAN, str_of(list->items[i], "id"));
		if (p == NULL || !site_public(p))
			continue;
		r = json_object();
		for (f = 0; f < nf; f++) {
			const char *path = plan_fields[f].path;

			if (strcmp(path, "@id") == 0)
				j = jstr(p->id);
			else if (strcmp(path, "@url") == 0)
				j = jurl(o, p->url);
			else if (plan_fields[f].flag)
				j = json_boolean(flag(p->data, path));
			else {
				v = val_path(p->data, path);
				j = v != NULL && v->kind == VAL_MAP ?
				    json_null() : jval(v);
			}
			csv_json(&c, j);
			set(r, plan_fields[f].name, j);
		}
		csv_end(&c);
		json_array_append_new(all, r);
	}
	emit_json(o, "forward-plan.json", "forward_plan", all, "The forward "
	    "plan: what each committee expects to consider, and when");
	emit_csv(o, "forward-plan.csv", &c, "Forward plan items, one row "
	    "each");
}

static void
write_index(struct od *o)
{
	const struct site *s = o->s;
	const struct val *contact = val_get(s->config, "contact");
	json_t		*root = json_object(), *pub = json_object(), *cd;
	const char	*types[] = { "email", "phone", "address", "url" };
	char		*text, date[16];
	struct buf	 b;
	size_t		 i;

	set(pub, "name", jget(s->config, "name"));
	set(pub, "organisation", jget(s->config, "organisation"));
	set(pub, "area", jget(s->config, "area"));
	cd = json_array();
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		json_t *c;

		if (str_of(contact, types[i]) == NULL)
			continue;
		c = json_object();
		set(c, "type", jstr(types[i]));
		set(c, "value", jget(contact, types[i]));
		json_array_append_new(cd, c);
	}
	set(pub, "contact_details", cd);
	set(root, "publisher", pub);
	set(root, "site", jurl(o, s->base_path));
	snprintf(date, sizeof(date), "%04d-%02d-%02d", s->today.year,
	    s->today.month, s->today.day);
	set(root, "build_date", jstr(date));
	set(root, "timezone", jstr("Europe/London"));
	set(root, "files", json_incref(o->files));
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (text == NULL) {
		diag_error(o->d, NULL, 0, 0, "cannot write data/index.json (the "
		    "data could not be encoded as JSON)");
		o->rc = -1;
		return;
	}
	buf_init(&b);
	buf_puts(&b, text);
	buf_putc(&b, '\n');
	free(text);
	if (o->out != NULL && o->rc == 0 && out_write(o->out,
	    "data/index.json", b.data, b.len, o->d) == -1)
		o->rc = -1;
	buf_free(&b);
}

/*
 * Build every data file from the linked site and write it under data/
 * (or only build it when out is NULL), then data/index.json listing
 * them.
 */
int
opendata_write(const struct site *s, struct out *out, struct diags *d,
    const struct opendata_memo *memo)
{
	struct od	o;

	json_set_alloc_funcs(xmalloc, free);
	memset(&o, 0, sizeof(o));
	o.s = s;
	o.out = out;
	o.d = d;
	o.memo = memo;
	o.files = json_array();
	meetings(&o);
	persons(&o);
	organizations(&o);
	registers(&o);
	questions(&o);
	measures(&o);
	forward_plan(&o);
	write_index(&o);
	json_decref(o.files);
	return o.rc;
}

/* The documentation of the open data: docs/open-data.md, a line each. */
static const char *const opendata_doc[] = {
#include "opendata_doc.inc"
	NULL
};

void
opendata_page(struct site *s)
{
	struct page	*p;
	struct buf	 md;
	size_t		 i = 0;

	buf_init(&md);
	if (opendata_doc[0] != NULL && strncmp(opendata_doc[0], "# ", 2) == 0)
		i++;		/* the page has its own h1 */
	for (; opendata_doc[i] != NULL; i++)	/* "## x" is the page's h2 */
		buf_puts(&md, opendata_doc[i] + (strncmp(opendata_doc[i], "##",
		    2) == 0));
	p = site_add_listing(s, "data", "data/", "Open data", "page.html");
	p->body_md = arena_strndup(s->arena, md.data, md.len);
	buf_free(&md);
	p->parent = site_find(s, PAGE_HOME, "home");
	val_set(s->arena, p->data, "description", val_str(s->arena, "The "
	    "partnership's public record as data: what each file holds and "
	    "what every field means."));
	site_index(s);
}
