/*
 * Diagnostics for CI hosts.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "cli/format.h"

struct format {
	enum format_kind	 kind;
	struct diags		*d;
	char			*prefix;	/* site folder in the repo, "" or "x/" */
	struct buf		 report;	/* GitLab: the array so far */
	size_t			 n;
	uint64_t		*seen;		/* GitLab: fingerprints given */
	size_t			 nseen;
};

static const char *const levels[] = { "error", "warning", "note" };

/*
 * A GitLab fingerprint: the same problem gets the same one in the next
 * run, whatever else was found or fixed, so that merge requests show
 * it as unchanged.  It is made of the file, level and message, not the
 * line (an edit above it moves it), and the same problem found again
 * in the file gets the next of a series.
 */
static const char *
fingerprint(struct format *f, const char *file, const char *level,
    const char *msg)
{
	static char	 out[40];
	struct buf	 k;
	uint64_t	 h;
	size_t		 i, again = 0;

	buf_init(&k);
	buf_printf(&k, "%s%c%s%c%s", file, 0, level, 0, msg);
	h = text_hash(k.data, k.len);
	buf_free(&k);
	for (i = 0; i < f->nseen; i++)
		if (f->seen[i] == h)
			again++;
	f->seen = xreallocarray(f->seen, f->nseen + 1, sizeof(*f->seen));
	f->seen[f->nseen++] = h;
	snprintf(out, sizeof(out), "%016llx%08zx", (unsigned long long)h,
	    again);
	return out;
}

int
format_parse(const char *s)
{
	static const char *const names[] = { "text", "github", "gitlab",
	    "json" };
	size_t	i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}

/*
 * The site folder's path inside its repository, with a trailing '/'
 * ("" when the site is the repository's root or not in one).
 */
static char *
repo_prefix(const char *site)
{
	char		 real[PATH_MAX];
	struct buf	 git;
	struct stat	 st;
	size_t		 n;
	char		*r;

	if (realpath(site, real) == NULL)
		return xstrdup("");
	buf_init(&git);
	for (n = strlen(real); n > 0; ) {
		buf_reset(&git);
		buf_printf(&git, "%.*s/.git", (int)n, real);
		if (stat(git.data, &st) == 0)
			break;
		while (n > 0 && real[n - 1] != '/')
			n--;
		if (n > 0)
			n--;			/* the '/' before the name */
	}
	buf_free(&git);
	if (n == 0 || real[n] == '\0')
		return xstrdup("");
	r = xmalloc(strlen(real + n + 1) + 2);
	memcpy(r, real + n + 1, strlen(real + n + 1));
	memcpy(r + strlen(real + n + 1), "/", 2);
	return r;
}

static void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			buf_printf(b, "\\%c", *p);
		else if (*p == '\n')
			buf_puts(b, "\\n");
		else if (*p < 0x20 || *p == 0x7f)
			buf_printf(b, "\\u%04x", *p);
		else
			buf_putc(b, *p);
	}
	buf_putc(b, '"');
}

/* GitHub's workflow command escaping; props also escape ':' and ','. */
static void
gh_str(struct buf *b, const char *s, int prop)
{
	for (; *s != '\0'; s++) {
		if (*s == '%')
			buf_puts(b, "%25");
		else if (*s == '\r')
			buf_puts(b, "%0D");
		else if (*s == '\n')
			buf_puts(b, "%0A");
		else if (prop && *s == ':')
			buf_puts(b, "%3A");
		else if (prop && *s == ',')
			buf_puts(b, "%2C");
		else
			buf_putc(b, *s);
	}
}

static void
sink(void *arg, int lv, const char *path, int line, int col, const char *msg)
{
	static const char *const gh[] = { "error", "warning", "notice" };
	static const char *const severity[] = { "major", "minor", "info" };
	struct format	*f = arg;
	struct buf	 b, file;

	buf_init(&b);
	buf_init(&file);
	if (path != NULL)
		buf_printf(&file, "%s%s", f->prefix, path);
	switch (f->kind) {
	case FORMAT_GITHUB:
		buf_printf(&b, "::%s", gh[lv]);
		if (path != NULL) {
			buf_puts(&b, " file=");
			gh_str(&b, file.data, 1);
			if (line > 0)
				buf_printf(&b, ",line=%d", line);
			if (line > 0 && col > 0)
				buf_printf(&b, ",col=%d", col);
		}
		buf_puts(&b, "::");
		gh_str(&b, msg, 0);
		buf_putc(&b, '\n');
		break;
	case FORMAT_JSON:
		buf_printf(&b, "{\"level\":\"%s\",\"file\":", levels[lv]);
		if (path != NULL)
			json_str(&b, file.data);
		else
			buf_puts(&b, "null");
		buf_printf(&b, ",\"line\":%d,\"col\":%d,\"message\":",
		    line > 0 ? line : 0, col > 0 ? col : 0);
		json_str(&b, msg);
		buf_puts(&b, "}\n");
		break;
	case FORMAT_GITLAB:
		/* Code Quality needs a path and a line: the site's file. */
		buf_puts(&f->report, f->n++ == 0 ? "[\n  " : ",\n  ");
		buf_puts(&f->report, "{\"description\":");
		json_str(&f->report, msg);
		if (path == NULL)
			buf_printf(&file, "%sicpgen.yaml", f->prefix);
		buf_printf(&f->report, ",\"check_name\":\"icpgen-%s\","
		    "\"severity\":\"%s\",\"fingerprint\":\"%s\","
		    "\"location\":{\"path\":", levels[lv], severity[lv],
		    fingerprint(f, file.data, levels[lv], msg));
		json_str(&f->report, file.data);
		buf_printf(&f->report, ",\"lines\":{\"begin\":%d}}}",
		    line > 0 ? line : 1);
		break;
	case FORMAT_TEXT:
		break;
	}
	fputs(b.data, stdout);
	fflush(stdout);
	buf_free(&b);
	buf_free(&file);
}

struct format *
format_begin(enum format_kind kind, const char *site, struct diags *d)
{
	struct format	*f;

	if (kind == FORMAT_TEXT)
		return NULL;
	f = xcalloc(1, sizeof(*f));
	f->kind = kind;
	f->d = d;
	f->prefix = repo_prefix(site);
	buf_init(&f->report);
	d->sink = sink;
	d->sink_arg = f;
	d->out = NULL;
	return f;
}

void
format_end(struct format *f)
{
	if (f == NULL)
		return;
	if (f->kind == FORMAT_GITLAB) {
		fputs(f->n == 0 ? "[]\n" : f->report.data, stdout);
		if (f->n > 0)
			fputs("\n]\n", stdout);
	}
	f->d->sink = NULL;
	buf_free(&f->report);
	free(f->prefix);
	free(f->seen);
	free(f);
}
