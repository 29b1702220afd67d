/*
 * SVG attachments: refuse what could run script or fetch from elsewhere.
 * See svg.h for what is refused.  The scanner walks tags lexically; it
 * does not need well-formed XML, and anything it cannot read as a
 * harmless tag is refused.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "parse/svg.h"

struct scan {
	const char		*s, *end;
	const char		*start;
	struct svg_problem	*p;
};

/* Elements that run script or embed other documents. */
static const char *const bad_elements[] = {
	"script", "foreignobject", "iframe", "embed", "object", "handler",
	"listener", "frame", "frameset", "applet", "base", "meta", "link",
	NULL
};

/* Record the problem at pos, what and a quote of snip; returns -1. */
static int
problem(struct scan *sc, const char *pos, const char *what, const char *snip,
    size_t n)
{
	const char	*q;
	int		 line = 1, col = 1;

	for (q = sc->start; q < pos; q++) {
		if (*q == '\n') {
			line++;
			col = 1;
		} else if (((unsigned char)*q & 0xc0) != 0x80)
			col++;
	}
	sc->p->line = line;
	sc->p->col = col;
	if (snip != NULL)
		snprintf(sc->p->what, sizeof(sc->p->what), "%s '%.*s'", what,
		    (int)(n > 60 ? 60 : n), snip);
	else
		snprintf(sc->p->what, sizeof(sc->p->what), "%s", what);
	return -1;
}

static bool
isspace_(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static bool
starts(const char *s, const char *end, const char *word)
{
	size_t	n = strlen(word);

	return (size_t)(end - s) >= n && strncasecmp(s, word, n) == 0;
}

/* Whether word appears in [s, end), ignoring case. */
static bool
contains(const char *s, const char *end, const char *word)
{
	for (; s < end; s++)
		if (starts(s, end, word))
			return true;
	return false;
}

/*
 * A value as a browser would use it: character references decoded,
 * white space and controls removed, ASCII lower case.
 */
static void
normalise(struct buf *out, const char *v, size_t n)
{
	const char	*end = v + n, *semi;
	unsigned long	 c;
	char		*e;

	buf_reset(out);
	while (v < end) {
		c = (unsigned char)*v++;
		if (c == '&' && (semi = memchr(v, ';', (size_t)(end - v))) !=
		    NULL && semi - v < 12) {
			if (*v == '#') {
				c = (v[1] == 'x' || v[1] == 'X') ?
				    strtoul(v + 2, &e, 16) :
				    strtoul(v + 1, &e, 10);
				if (e != semi)
					c = '&';
				else
					v = semi + 1;
			} else {
				static const struct {
					const char *name;
					char	    c;
				} ents[] = {
					{ "colon;", ':' }, { "amp;", '&' },
					{ "lt;", '<' }, { "gt;", '>' },
					{ "quot;", '"' }, { "apos;", '\'' },
					{ "lpar;", '(' }, { "sol;", '/' },
					{ "tab;", ' ' }, { "newline;", ' ' },
					{ NULL, 0 },
				};
				size_t	i;

				for (i = 0; ents[i].name != NULL; i++)
					if (strncasecmp(v, ents[i].name,
					    strlen(ents[i].name)) == 0) {
						c = (unsigned char)ents[i].c;
						v += strlen(ents[i].name);
						break;
					}
			}
		}
		if (c <= 0x20 || c == 0x7f)
			continue;
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if (c < 0x80)
			buf_putc(out, (char)c);
		else
			buf_putc(out, '?');	/* only ASCII matters here */
	}
}

/* Check a value or style text (already normalised). */
static const char *
bad_value(const char *v)
{
	const char	*u;

	if (strstr(v, "javascript:") != NULL || strstr(v, "vbscript:") !=
	    NULL)
		return "a javascript: link";
	if (strstr(v, "@import") != NULL)
		return "a CSS @import";
	/* CSS reads '\\72' as 'r': 'u\\72l(' is url(, '@im\\port' @import. */
	if (strchr(v, '\\') != NULL)
		return "a CSS escape ('\\')";
	/* Functions that load an address given as a plain string. */
	if (strstr(v, "image-set(") != NULL || strstr(v, "image(") != NULL ||
	    strstr(v, "src(") != NULL || strstr(v, "cross-fade(") != NULL ||
	    strstr(v, "element(") != NULL)
		return "a CSS function that loads an address";
	for (u = v; (u = strstr(u, "url(")) != NULL; u += 4) {
		const char *w = u + 4;

		if (*w == '"' || *w == '\'')
			w++;
		if (*w != '#')
			return "a url() that is not '#id'";
	}
	return NULL;
}

/* Check the attributes of a tag from s to its '>'; sets *after. */
static int
attributes(struct scan *sc, const char *s, const char **after,
    struct buf *nv)
{
	const char	*name, *v, *ve, *why, *local;
	size_t		 nl;
	char		 q;

	for (;;) {
		while (s < sc->end && (isspace_(*s) || *s == '/'))
			s++;
		if (s >= sc->end)
			return problem(sc, s, "an unfinished tag", NULL, 0);
		if (*s == '>') {
			*after = s + 1;
			return 0;
		}
		name = s;
		while (s < sc->end && !isspace_(*s) && *s != '=' &&
		    *s != '>' && *s != '/')
			s++;
		nl = (size_t)(s - name);
		while (s < sc->end && isspace_(*s))
			s++;
		v = ve = s;
		if (s < sc->end && *s == '=') {
			s++;
			while (s < sc->end && isspace_(*s))
				s++;
			if (s < sc->end && (*s == '"' || *s == '\'')) {
				q = *s++;
				v = s;
				while (s < sc->end && *s != q)
					s++;
				ve = s;
				if (s < sc->end)
					s++;
			} else {
				v = s;
				while (s < sc->end && !isspace_(*s) &&
				    *s != '>')
					s++;
				ve = s;
			}
		}
		for (local = name + nl; local > name && local[-1] != ':';
		    local--)
			continue;
		if (nl >= 2 && strncasecmp(name, "on", 2) == 0)
			return problem(sc, name, "the event attribute", name,
			    nl);
		normalise(nv, v, (size_t)(ve - v));
		if ((size_t)(name + nl - local) == 4 &&
		    strncasecmp(local, "href", 4) == 0 && nv->len > 0 &&
		    nv->data[0] != '#')
			return problem(sc, name, "a link to another "
			    "document", v, (size_t)(ve - v));
		if (nl == 13 && strncasecmp(name, "attributename", 13) == 0 &&
		    (strstr(nv->data, "href") != NULL ||
		    strncmp(nv->data, "on", 2) == 0))
			return problem(sc, name, "an animation of the "
			    "attribute", v, (size_t)(ve - v));
		if ((why = bad_value(nv->data)) != NULL)
			return problem(sc, v, why, NULL, 0);
	}
}

/*
 * Check an SVG file; 0 when it may be published, else -1 with the
 * first problem in *p.
 */
int
svg_check(const char *data, size_t len, struct svg_problem *p)
{
	struct scan	 sc = { data, data + len, data, p };
	struct buf	 nv;
	const char	*s = data, *name, *ne, *lt, *e;
	bool		 in_style = false;
	size_t		 i;
	int		 rc = 0;

	memset(p, 0, sizeof(*p));
	buf_init(&nv);
	while (rc == 0 && s < sc.end) {
		if ((lt = memchr(s, '<', (size_t)(sc.end - s))) == NULL)
			lt = sc.end;
		if (in_style) {
			normalise(&nv, s, (size_t)(lt - s));
			if ((e = bad_value(nv.data)) != NULL) {
				rc = problem(&sc, s, e, NULL, 0);
				break;
			}
		}
		if ((s = lt) >= sc.end)
			break;
		if (starts(s, sc.end, "<!--")) {
			e = s + 4;
			while (e < sc.end && !starts(e, sc.end, "-->"))
				e++;
			s = e + 3;
			continue;
		}
		if (starts(s, sc.end, "<![CDATA[")) {
			e = s + 9;
			while (e < sc.end && !starts(e, sc.end, "]]>"))
				e++;
			if (in_style) {
				normalise(&nv, s + 9, (size_t)(e - s - 9));
				if (bad_value(nv.data) != NULL) {
					rc = problem(&sc, s,
					    bad_value(nv.data), NULL, 0);
					break;
				}
			}
			s = e + 3;
			continue;
		}
		if (starts(s, sc.end, "<!")) {
			/* A DOCTYPE, perhaps with an internal subset. */
			e = s + 2;
			while (e < sc.end && *e != '>' && *e != '[')
				e++;
			if (e < sc.end && *e == '[') {
				const char *close = e;

				while (close < sc.end && *close != ']')
					close++;
				if (contains(e, close, "<!entity")) {
					rc = problem(&sc, s, "an entity "
					    "declaration", NULL, 0);
					break;
				}
				e = close;
				while (e < sc.end && *e != '>')
					e++;
			}
			s = e + 1;
			continue;
		}
		if (starts(s, sc.end, "<?")) {
			if (!starts(s, sc.end, "<?xml ") &&
			    !starts(s, sc.end, "<?xml?")) {
				rc = problem(&sc, s, "a processing instruction",
				    s, (size_t)(sc.end - s) < 20 ?
				    (size_t)(sc.end - s) : 20);
				break;
			}
			e = s + 2;
			while (e < sc.end && !starts(e, sc.end, "?>"))
				e++;
			s = e + 2;
			continue;
		}
		if (starts(s, sc.end, "</")) {
			name = s + 2;
			for (ne = name; ne < sc.end && !isspace_(*ne) &&
			    *ne != '>'; ne++)
				continue;
			for (e = ne; e > name && e[-1] != ':'; e--)
				continue;
			if ((size_t)(ne - e) == 5 && strncasecmp(e, "style",
			    5) == 0)
				in_style = false;
			for (e = ne; e < sc.end && *e != '>'; e++)
				continue;
			s = e + 1;
			continue;
		}
		name = s + 1;
		for (ne = name; ne < sc.end && !isspace_(*ne) && *ne != '>' &&
		    *ne != '/'; ne++)
			continue;
		for (e = ne; e > name && e[-1] != ':'; e--)
			continue;	/* the local name, after a prefix */
		for (i = 0; bad_elements[i] != NULL; i++)
			if ((size_t)(ne - e) == strlen(bad_elements[i]) &&
			    strncasecmp(e, bad_elements[i], (size_t)(ne - e)) ==
			    0)
				break;
		if (bad_elements[i] != NULL) {
			rc = problem(&sc, s, "the element", name,
			    (size_t)(ne - name));
			break;
		}
		in_style = (size_t)(ne - e) == 5 && strncasecmp(e, "style", 5) ==
		    0;
		rc = attributes(&sc, ne, &s, &nv);
		if (rc == 0 && s[-2] == '/')
			in_style = false;	/* <style/> */
	}
	buf_free(&nv);
	return rc;
}
