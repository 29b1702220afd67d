/*
 * Schema checking of YAML maps.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/url.h"
#include "util/utf8.h"
#include "util/val.h"
#include "model/schema.h"

#define QUOTE_MAX	80	/* bytes of a value quoted in a message */

static const char *
kind_name(enum field_type t)
{
	switch (t) {
	case F_STRING: return "a line of text";
	case F_TEXT: return "text";
	case F_DATE: return "a date written YYYY-MM-DD";
	case F_TIME: return "a time written HH:MM (24-hour)";
	case F_BOOL: return "true or false";
	case F_NUMBER: return "a number";
	case F_DAYS: return "a whole number of working days";
	case F_ENUM: return "one of a list of words";
	case F_ID: return "an id (lower-case letters, digits and hyphens)";
	case F_URL: return "a web address starting https://";
	case F_LINK: return "an address";
	case F_EMAIL: return "an e-mail address";
	case F_COLOUR: return "a colour written #rrggbb";
	case F_LANG: return "a language tag such as en-GB";
	case F_LIST: return "a list";
	case F_MAP: return "a set of keys and values";
	case F_ANY: return "any value";
	}
	return "a value";
}

static void
words_list(struct buf *b, const char *const *w)
{
	size_t	start = b->len;

	for (; *w != NULL; w++)
		buf_printf(b, "%s%s", b->len > start ? ", " : "", *w);
}

static bool
is_id(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s)
		    || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/*
 * A number as people write one: an optional sign, digits with an
 * optional decimal point, an optional exponent, and finite.  Not what
 * strtod also takes (nan, inf, 0x10, leading spaces), which would be
 * published as a figure nobody wrote.
 */
static bool
is_number(const char *s, double *out)
{
	const char	*p = s;
	char		*end;
	size_t		 digits = 0;

	if (*p == '-' || *p == '+')
		p++;
	for (; isdigit((unsigned char)*p); p++)
		digits++;
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (digits == 0)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (*p != '\0')
		return false;
	*out = strtod(s, &end);
	return *end == '\0' && isfinite(*out);
}

/*
 * An address as pages, feeds and open data can carry it: what URLs do
 * not allow ('|', '{', spaces, a lone '%' ...) escaped, as links in
 * Markdown are.  Addresses copied from SharePoint or Teams hold them.
 */
static void
encoded(struct arena *a, struct val *v)
{
	struct buf	b;

	buf_init(&b);
	url_encode(&b, v->str, v->len, URL_ENC_URL);
	if (b.len != v->len || memcmp(b.data, v->str, b.len) != 0) {
		v->str = arena_strndup(a, b.data, b.len);
		v->len = b.len;
	}
	buf_free(&b);
}

/* How many bytes of s a message quotes (cut at a character). */
static int
quoted(const char *s)
{
	return (int)utf8_cut(s, strlen(s), QUOTE_MAX);
}

/* Report a web address whose host or port is malformed; 1. */
static unsigned
unreachable(const struct field *f, const struct val *v, struct diags *d)
{
	diag_error(d, v->file, v->line, v->col, "'%s' is not a web address "
	    "a browser can open: '%.*s' (check its host and port: open it "
	    "in a browser and copy the address from there)", f->name,
	    quoted(v->str), v->str);
	return 1;
}

unsigned
schema_check_value(const struct field *f, struct arena *a, struct val *v,
    struct diags *d)
{
	struct buf	 b;
	unsigned	 errs = 0;
	size_t		 i;
	struct date	 dt;
	double		 num;
	const char	*s, *script;
	enum url_class	 c;

	if (v->kind == VAL_NULL)
		return 0;	/* absent; required-ness is checked by the map */
	if (f->type == F_ANY)
		return 0;
	if (f->type == F_LIST) {
		if (v->kind != VAL_LIST) {
			diag_error(d, v->file, v->line, v->col, "'%s' should "
			    "be a list (write each item on its own line "
			    "starting '- ')", f->name);
			return 1;
		}
		for (i = 0; i < v->n; i++)
			errs += schema_check_value(f->item, a, v->items[i], d);
		return errs;
	}
	if (f->type == F_MAP) {
		if (v->kind != VAL_MAP) {
			diag_error(d, v->file, v->line, v->col, "'%s' should "
			    "be %s", f->name, kind_name(F_MAP));
			return 1;
		}
		return schema_check(f->schema, a, v, d);
	}
	if (v->kind != VAL_STR) {
		buf_init(&b);
		if (f->type == F_ENUM) {
			buf_puts(&b, "one of ");
			words_list(&b, f->words);
		} else
			buf_puts(&b, kind_name(f->type));
		diag_error(d, v->file, v->line, v->col, "'%s' should be %s, "
		    "not a %s", f->name, b.data,
		    v->kind == VAL_LIST ? "list" : "set of keys");
		buf_free(&b);
		return 1;
	}
	s = v->str;
	switch (f->type) {
	case F_STRING:
		if (strchr(s, '\n') != NULL) {
			diag_error(d, v->file, v->line, v->col, "'%s' should "
			    "be one line of text", f->name);
			errs++;
		} else if (!text_visible(s, v->len))
			v->kind = VAL_NULL;	/* "  ": as if not given */
		break;
	case F_DATE:
		if (!text_parse_date(s, &dt)) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a valid date: '%s' (write YYYY-MM-DD, e.g. "
			    "2025-03-12, for a day that exists)", f->name, s);
			errs++;
		}
		break;
	case F_TIME:
		if (text_parse_time(s) < 0) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a valid time: '%s' (write HH:MM on the 24-hour "
			    "clock, e.g. 14:30)", f->name, s);
			errs++;
		}
		break;
	case F_BOOL:
		if (!v->quoted && (strcmp(s, "true") == 0 ||
		    strcmp(s, "false") == 0)) {
			v->kind = VAL_BOOL;
			v->b = s[0] == 't';
		} else {
			diag_error(d, v->file, v->line, v->col, "'%s' should "
			    "be true or false, not '%s'%s", f->name, s,
			    v->quoted && (strcmp(s, "true") == 0 ||
			    strcmp(s, "false") == 0) ? " in quotes (write it "
			    "without them)" : "");
			errs++;
		}
		break;
	case F_NUMBER:
		if (is_number(s, &num)) {
			v->kind = VAL_NUM;
			v->num = num;
		} else {
			diag_error(d, v->file, v->line, v->col, "'%s' should "
			    "be a number, not '%s'", f->name, s);
			errs++;
		}
		break;
	case F_DAYS:
		if (is_number(s, &num) && num >= 0 && num <= DAYS_MAX &&
		    num == floor(num)) {
			v->kind = VAL_NUM;
			v->num = num;
		} else {
			diag_error(d, v->file, v->line, v->col, "'%s' should "
			    "be a whole number of working days from 0 to %d, "
			    "not '%s'", f->name, DAYS_MAX, s);
			errs++;
		}
		break;
	case F_ENUM:
		for (i = 0; f->words[i] != NULL; i++)
			if (strcmp(s, f->words[i]) == 0)
				break;
		if (f->words[i] == NULL) {
			buf_init(&b);
			words_list(&b, f->words);
			diag_error(d, v->file, v->line, v->col, "unknown %s "
			    "'%s' (expected: %s)", f->name, s, b.data);
			buf_free(&b);
			errs++;
		}
		break;
	case F_ID:
		if (!is_id(s)) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a valid id: '%s' (use lower-case letters, digits "
			    "and hyphens)", f->name, s);
			errs++;
		}
		break;
	case F_URL:
		c = url_classify(s, v->len);
		if (c != URL_WEB && c != URL_MAILTO && c != URL_TEL) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a web address: '%.*s' (start it with https://)",
			    f->name, quoted(s), s);
			errs++;
		} else if (c == URL_WEB && !url_web_ok(s, v->len))
			errs += unreachable(f, v, d);
		else
			encoded(a, v);
		break;
	case F_LINK:
		c = url_classify(s, v->len);
		if (c == URL_REFUSED) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a safe link: '%.*s' (" URL_POLICY_HINT ")",
			    f->name, quoted(s), s);
			errs++;
		} else if (c == URL_WEB && !url_web_ok(s, v->len))
			errs += unreachable(f, v, d);
		else
			encoded(a, v);
		break;
	case F_EMAIL:
		if (strchr(s, '@') == NULL || strchr(s, ' ') != NULL) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "an e-mail address: '%s'", f->name, s);
			errs++;
		}
		break;
	case F_COLOUR:
		for (i = 1; i < 7 && isxdigit((unsigned char)s[i]); i++)
			continue;
		if (s[0] != '#' || i != 7 || s[7] != '\0') {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a colour: '%s' (write #rrggbb, e.g. #005eb8)",
			    f->name, s);
			errs++;
		}
		break;
	case F_LANG:
		if (!text_lang_ok(s)) {
			diag_error(d, v->file, v->line, v->col, "'%s' is not "
			    "a language tag: '%.*s' (write one as in BCP 47, "
			    "e.g. en-GB for English or cy for Welsh%s)",
			    f->name, quoted(s), s, strchr(s, '_') != NULL ?
			    ", with '-' rather than '_'" : "");
			errs++;
		} else if ((script = text_lang_usual_script(s)) != NULL) {
			i = strcspn(s, "-");
			diag_error(d, v->file, v->line, v->col, "'%s' names "
			    "the script its language is written in anyway: "
			    "'%.*s' (write '%.*s%s': HTML checkers refuse a "
			    "tag with '-%s')", f->name, quoted(s), s, (int)i,
			    s, s + i + 5, script);
			errs++;
		}
		break;
	default:
		break;
	}
	return errs;
}

unsigned
schema_check(const struct schema *s, struct arena *a, struct val *m,
    struct diags *d)
{
	const struct field *f;
	const char	**names;
	const char	*hint;
	struct val	*v;
	unsigned	 errs = 0;
	size_t		 i, n = 0;

	for (f = s->fields; f->name != NULL; f++)
		n++;
	names = xcalloc(n + 1, sizeof(*names));
	for (i = 0; i < n; i++)
		names[i] = s->fields[i].name;
	for (i = 0; i < m->n; i++) {
		for (f = s->fields; f->name != NULL; f++)
			if (strcmp(f->name, m->pairs[i].key) == 0)
				break;
		v = m->pairs[i].v;
		if (f->name == NULL) {
			hint = text_suggest(m->pairs[i].key, names);
			if (hint != NULL)
				diag_error(d, v->file, v->line, v->col,
				    "unknown key '%s' in %s (did you mean "
				    "'%s'?)", m->pairs[i].key, s->what, hint);
			else
				diag_error(d, v->file, v->line, v->col,
				    "unknown key '%s' in %s (icpgen(5) "
				    "lists the keys allowed here)",
				    m->pairs[i].key, s->what);
			errs++;
			continue;
		}
		errs += schema_check_value(f, a, v, d);
	}
	for (f = s->fields; f->name != NULL; f++) {
		if (!f->required)
			continue;
		v = val_get(m, f->name);
		if (v == NULL || v->kind == VAL_NULL ||
		    (v->kind == VAL_STR && !text_visible(v->str, v->len))) {
			diag_error(d, m->file, m->line > 0 ? m->line : 1,
			    m->line > 0 ? m->col : 0, "%s has no '%s' "
			    "(add '%s: ...'%s%s)", s->what, f->name, f->name,
			    f->help ? ", " : "", f->help ? f->help : "");
			errs++;
		}
	}
	free(names);
	return errs;
}

/* Report an unsafe address a hook set at key path p. */
static unsigned
unsafe(const struct val *v, const struct buf *p, const char *file,
    const char *hook, struct diags *d)
{
	if (v->kind != VAL_STR || url_classify(v->str, v->len) != URL_REFUSED)
		return 0;
	diag_error(d, file, 0, 0, "the '%s' hook set '%s' to an unsafe "
	    "address '%.*s' (" URL_POLICY_HINT ")", hook, p->data,
	    quoted(v->str), v->str);
	return 1;
}

/* Check the address fields of m (schema s) under the key path in p. */
static unsigned
check_urls(const struct schema *s, const struct val *m, struct buf *p,
    const char *file, const char *hook, struct diags *d)
{
	const struct field *f;
	const struct val *v;
	unsigned	 errs = 0;
	size_t		 i, len = p->len;

	if (s == NULL || m == NULL || m->kind != VAL_MAP)
		return 0;
	for (f = s->fields; f->name != NULL; f++) {
		if ((v = val_get(m, f->name)) == NULL)
			continue;
		buf_truncate(p, len);
		buf_printf(p, "%s%s", len > 0 ? "." : "", f->name);
		if (f->type == F_MAP)
			errs += check_urls(f->schema, v, p, file, hook, d);
		else if (f->type == F_URL || f->type == F_LINK)
			errs += unsafe(v, p, file, hook, d);
		else if (f->type == F_LIST && v->kind == VAL_LIST)
			for (i = 0; i < v->n; i++) {
				buf_truncate(p, len);
				buf_printf(p, "%s%s[%zu]", len > 0 ? "." : "",
				    f->name, i + 1);
				if (f->item->type == F_MAP)
					errs += check_urls(f->item->schema,
					    v->items[i], p, file, hook, d);
				else if (f->item->type == F_URL ||
				    f->item->type == F_LINK)
					errs += unsafe(v->items[i], p, file,
					    hook, d);
			}
	}
	buf_truncate(p, len);
	return errs;
}

unsigned
schema_check_urls(const struct schema *s, const struct val *m,
    const char *file, const char *hook, struct diags *d)
{
	struct buf	 p;
	unsigned	 errs;

	buf_init(&p);
	errs = check_urls(s, m, &p, file, hook, d);
	buf_free(&p);
	return errs;
}
