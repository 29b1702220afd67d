/*
 * Templates, filters: the built-in filters (date, time, upper, json
 * ...) and the helpers that turn values into text.  Values made here go
 * to the renderer's scratch arena.
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/url.h"
#include "util/val.h"
#include "render/tmpl_int.h"

const struct builtin tmpl_builtins[] = {
	{ "safe", F_SAFE, ARG_NONE },
	{ "date", F_DATE, ARG_NONE },
	{ "weekday_date", F_WEEKDAY_DATE, ARG_NONE },
	{ "time", F_TIME, ARG_NONE },
	{ "iso", F_ISO, ARG_NONE },
	{ "upper", F_UPPER, ARG_NONE },
	{ "lower", F_LOWER, ARG_NONE },
	{ "length", F_LENGTH, ARG_NONE },
	{ "default", F_DEFAULT, ARG_NEED },
	{ "join", F_JOIN, ARG_OPT },
	{ "slug", F_SLUG, ARG_NONE },
	{ "json", F_JSON, ARG_NONE },
	{ "urlencode", F_URLENCODE, ARG_NONE },
	{ "dir", F_DIR, ARG_NONE },
};

const size_t tmpl_nbuiltins =
    sizeof(tmpl_builtins) / sizeof(tmpl_builtins[0]);

/* A buffer for building filter results, emptied. */
struct buf *
tmpl_tmpbuf(struct rstate *r)
{
	if (!r->hastmp) {
		buf_init(&r->tmp);
		r->hastmp = 1;
	} else
		buf_reset(&r->tmp);
	return &r->tmp;
}

struct val *
tmpl_strval(struct rstate *r, const char *s, size_t n)
{
	return val_strn(r->a, s, n);
}

/* Integers without decimals, others as "%g". */
size_t
tmpl_fmt_num(char *b, size_t sz, double d, int exact)
{
	char		 dig[24];
	unsigned long long u;
	size_t		 i = 0, k = 0;
	int		 n;

	if (isfinite(d) && d == floor(d) && fabs(d) < 1e15 && sz > 17) {
		/* By hand: snprintf("%.0f") is slow, and gives "-0". */
		u = (unsigned long long)fabs(d);
		do
			dig[k++] = (char)('0' + u % 10);
		while ((u /= 10) != 0);
		if (d < 0)
			b[i++] = '-';
		while (k > 0)
			b[i++] = dig[--k];
		b[i] = '\0';
		return i;
	}
	if (exact)
		n = snprintf(b, sz, "%.17g", d);
	else
		n = snprintf(b, sz, "%g", d);
	if (n < 0)
		n = 0;
	return (size_t)n < sz ? (size_t)n : sz - 1;
}

/* The text of a scalar; nothing for null, lists and maps. */
const char *
tmpl_textof(const struct val *v, char *nb, size_t sz, size_t *len)
{
	switch (v->kind) {
	case VAL_STR:
		*len = v->len;
		return v->str;
	case VAL_NUM:
		*len = tmpl_fmt_num(nb, sz, v->num, 0);
		return nb;
	case VAL_BOOL:
		*len = v->b ? 4 : 5;
		return v->b ? "true" : "false";
	default:
		*len = 0;
		return "";
	}
}

static void
json_str(struct buf *b, const char *s, size_t n)
{
	buf_putc(b, '"');
	buf_put_json(b, s, n);
	buf_putc(b, '"');
}

/* JSON for any value; strings escaped so as to be safe in HTML. */
static void
json_put(struct buf *b, const struct val *v, int depth)
{
	char	nb[64];
	size_t	i;

	if (v == NULL || depth > MAX_JSON_DEPTH) {
		buf_puts(b, "null");
		return;
	}
	switch (v->kind) {
	case VAL_NULL:
		buf_puts(b, "null");
		break;
	case VAL_BOOL:
		buf_puts(b, v->b ? "true" : "false");
		break;
	case VAL_NUM:
		if (isfinite(v->num))
			buf_put(b, nb, tmpl_fmt_num(nb, sizeof(nb), v->num, 1));
		else
			buf_puts(b, "null");
		break;
	case VAL_STR:
		json_str(b, v->str, v->len);
		break;
	case VAL_LIST:
		buf_putc(b, '[');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			json_put(b, v->items[i], depth + 1);
		}
		buf_putc(b, ']');
		break;
	case VAL_MAP:
		buf_putc(b, '{');
		for (i = 0; i < v->n; i++) {
			if (i > 0)
				buf_putc(b, ',');
			json_str(b, v->pairs[i].key,
			    strlen(v->pairs[i].key));
			buf_putc(b, ':');
			json_put(b, v->pairs[i].v, depth + 1);
		}
		buf_putc(b, '}');
		break;
	}
}

static const struct val *
f_case(struct rstate *r, const struct val *in, int up)
{
	char		 nb[64], *c;
	const char	*s;
	struct val	*v;
	size_t		 n, i;

	if (in->kind != VAL_STR && in->kind != VAL_NUM &&
	    in->kind != VAL_BOOL)
		return in;
	s = tmpl_textof(in, nb, sizeof(nb), &n);
	c = arena_strndup(r->a, s, n);
	for (i = 0; i < n; i++)
		if (up && c[i] >= 'a' && c[i] <= 'z')
			c[i] = (char)(c[i] - 'a' + 'A');
		else if (!up && c[i] >= 'A' && c[i] <= 'Z')
			c[i] = (char)(c[i] - 'A' + 'a');
	v = val_new(r->a, VAL_STR);
	v->str = c;
	v->len = n;
	return v;
}

static const struct val *
f_length(struct rstate *r, const struct val *in)
{
	char		 nb[64];
	size_t		 n = 0, i;

	switch (in->kind) {
	case VAL_LIST:
	case VAL_MAP:
		n = in->n;
		break;
	case VAL_STR:
		for (i = 0; i < in->len; i++)	/* characters, not bytes */
			if (((unsigned char)in->str[i] & 0xc0) != 0x80)
				n++;
		break;
	case VAL_NUM:
	case VAL_BOOL:
		tmpl_textof(in, nb, sizeof(nb), &n);
		break;
	case VAL_NULL:
		break;
	}
	return val_num(r->a, (double)n);
}

static const struct val *
f_join(struct rstate *r, const struct val *in, const struct val *arg)
{
	char		 nb[64], sb[64];
	const char	*s, *sep = "";
	struct buf	*b;
	size_t		 n, seplen = 0, i;

	if (in->kind != VAL_LIST)
		return in;
	if (arg != NULL)
		sep = tmpl_textof(arg, sb, sizeof(sb), &seplen);
	b = tmpl_tmpbuf(r);
	for (i = 0; i < in->n; i++) {
		if (i > 0)
			buf_put(b, sep, seplen);
		if (in->items[i] != NULL) {
			s = tmpl_textof(in->items[i], nb, sizeof(nb), &n);
			buf_put(b, s, n);
		}
	}
	return tmpl_strval(r, b->data, b->len);
}

/* Apply a built-in filter other than "safe". */
const struct val *
tmpl_builtin(struct rstate *r, enum fid id, const struct val *in,
    const struct val *arg)
{
	struct date	 dt;
	struct buf	*b;
	char		 nb[64], db[11];
	const char	*s;
	size_t		 n;
	int		 m;

	switch (id) {
	case F_DATE:
	case F_WEEKDAY_DATE:
		if (in->kind != VAL_STR || !text_parse_date(in->str, &dt))
			return in;
		b = tmpl_tmpbuf(r);
		text_fmt_date(b, &dt, id == F_WEEKDAY_DATE);
		return tmpl_strval(r, b->data, b->len);
	case F_TIME:
		if (in->kind != VAL_STR || (m = text_parse_time(in->str)) < 0)
			return in;
		b = tmpl_tmpbuf(r);
		text_fmt_time(b, m);
		return tmpl_strval(r, b->data, b->len);
	case F_ISO:
		if (in->kind != VAL_STR || in->len < 10 || (in->len > 10 &&
		    in->str[10] != 'T' && in->str[10] != ' '))
			return in;
		memcpy(db, in->str, 10);
		db[10] = '\0';
		if (!text_parse_date(db, &dt) || in->len == 10)
			return in;
		return tmpl_strval(r, db, 10);
	case F_UPPER:
	case F_LOWER:
		return f_case(r, in, id == F_UPPER);
	case F_LENGTH:
		return f_length(r, in);
	case F_DEFAULT:
		if (in->kind == VAL_NULL ||
		    (in->kind == VAL_STR && in->len == 0))
			return arg != NULL ? arg : &tmpl_null;
		return in;
	case F_JOIN:
		return f_join(r, in, arg);
	case F_SLUG:
		s = tmpl_textof(in, nb, sizeof(nb), &n);
		b = tmpl_tmpbuf(r);
		text_slug(b, s, n);
		return tmpl_strval(r, b->data, b->len);
	case F_JSON:
		b = tmpl_tmpbuf(r);
		json_put(b, in, 0);
		return tmpl_strval(r, b->data, b->len);
	case F_URLENCODE:
		s = tmpl_textof(in, nb, sizeof(nb), &n);
		b = tmpl_tmpbuf(r);
		url_encode(b, s, n, URL_ENC_COMPONENT);
		return tmpl_strval(r, b->data, b->len);
	case F_DIR:	/* a language tag's direction, for dir="" */
		if (in->kind != VAL_STR)
			return &tmpl_null;
		return tmpl_strval(r, text_lang_rtl(in->str) ? "rtl" : "ltr",
		    3);
	default:
		return in;
	}
}

