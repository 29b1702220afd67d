/*
 * Diagnostics printer and counter.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "utf8.h"

void
diag_init(struct diags *d, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	memset(d, 0, sizeof(*d));
	d->out = out;
	d->colour = out != NULL && (nc == NULL || *nc == '\0') &&
	    isatty(fileno(out));
	d->max = 1000;
	pthread_mutex_init(&d->lock, NULL);
}

void
diag_free(struct diags *d)
{
	diag_flush(d);
	free(d->held);
	d->held = NULL;
	d->heldcap = 0;
	pthread_mutex_destroy(&d->lock);
}

enum level { L_ERROR, L_WARN, L_NOTE };

/*
 * Write s with its control characters made visible, so that text from
 * a repository (a file name, a hook's message) cannot move the cursor,
 * retitle a terminal or fake a line of the log: C0 controls but tab,
 * C1 controls, DEL and the bidirectional overrides are written as \n,
 * \x1b, \u202e ...; bytes that are not UTF-8 as \xff.
 */
static void
put_visible(FILE *f, const char *s, size_t n)
{
	size_t		 i = 0, len;
	uint32_t	 cp;

	while (i < n) {
		if ((len = utf8_decode(s + i, n - i, &cp)) == 0) {
			fprintf(f, "\\x%02x", (unsigned char)s[i++]);
			continue;
		}
		if (cp == '\t')
			fputc('\t', f);	/* harmless, and print() uses it */
		else if (cp == '\n')
			fputs("\\n", f);
		else if (cp == '\r')
			fputs("\\r", f);
		else if (cp < 0x20 || cp == 0x7f)
			fprintf(f, "\\x%02x", (unsigned)cp);
		else if ((cp >= 0x80 && cp <= 0x9f) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069))
			fprintf(f, "\\u%04x", (unsigned)cp);
		else
			fwrite(s + i, 1, len, f);
		i += len;
	}
}

/*
 * While a thread holds (diag_hold), its messages wait in d->held with
 * the thread's key, and diag_flush emits them in key order: pages
 * rendered by several threads report in page order, whichever thread
 * finished first.
 */
struct held {
	size_t		 key;
	size_t		 seq;
	enum level	 lv;
	char		*path;
	int		 line, col;
	char		*msg;
	int		 len;
};

static __thread int	 holding;
static __thread size_t	 hold_key;
static __thread size_t	 held_since;	/* messages since diag_hold */

/* Count and print one message; the caller holds d->lock. */
static void
emit(struct diags *d, enum level lv, const char *path, int line, int col,
    const char *msg, int len)
{
	static const char *const names[] = { "error", "warning", "note" };
	static const char *const colours[] = { "\033[1;31m", "\033[1;35m",
	    "\033[1;36m" };
	unsigned n;

	if (lv == L_ERROR || (lv == L_WARN && d->werror))
		d->errors++;
	else if (lv == L_WARN)
		d->warnings++;
	if (lv == L_WARN && d->quiet)
		return;
	/* What is printed counts toward the cap: -q prints no warning. */
	n = d->errors + (d->quiet ? 0 : d->warnings);
	if (n > d->max) {
		if (n == d->max + 1 && lv != L_NOTE && d->out != NULL)
			fputs("icpgen: too many diagnostics, "
			    "not printing the rest\n", d->out);
		return;
	}
	if (d->sink != NULL)	/* another format (cli/format.c, serve) */
		d->sink(d->sink_arg, (int)lv, path != NULL && *path != '\0' ?
		    path : NULL, line, col, msg != NULL ? msg : "");
	if (d->out == NULL)
		return;
	if (d->colour)
		fputs("\033[1m", d->out);
	if (path != NULL && *path != '\0') {
		put_visible(d->out, path, strlen(path));
		if (line > 0) {
			fprintf(d->out, ":%d", line);
			if (col > 0)
				fprintf(d->out, ":%d", col);
		}
	} else
		fputs("icpgen", d->out);
	fputs(": ", d->out);
	if (d->colour)
		fprintf(d->out, "%s%s:\033[0m ", colours[lv], names[lv]);
	else
		fprintf(d->out, "%s: ", names[lv]);
	if (msg != NULL)
		put_visible(d->out, msg, (size_t)len);
	fputc('\n', d->out);
	fflush(d->out);
}

/* Keep a message for diag_flush; 0 if it could not be kept. */
static int
keep(struct diags *d, enum level lv, const char *path, int line, int col,
    char *msg, int len)
{
	struct held	*h;
	size_t		 cap;

	if (d->nheld == d->heldcap) {
		cap = d->heldcap ? d->heldcap * 2 : 16;
		if ((h = realloc(d->held, cap * sizeof(*h))) == NULL)
			return 0;
		d->held = h;
		d->heldcap = cap;
	}
	h = &d->held[d->nheld];
	h->path = NULL;
	if (path != NULL && (h->path = strdup(path)) == NULL)
		return 0;
	h->key = hold_key;
	h->seq = d->nheld++;
	h->lv = lv;
	h->line = line;
	h->col = col;
	h->msg = msg;
	h->len = len;
	return 1;
}

static void	vreport(struct diags *, enum level, const char *, int, int,
		    const char *, va_list) __attribute__((format(printf, 6, 0)));

static void
vreport(struct diags *d, enum level lv, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	char	*msg = NULL;
	int	 len;

	if ((len = vasprintf(&msg, fmt, ap)) < 0) {
		msg = NULL;
		len = 0;
	}
	if (holding)
		held_since++;
	pthread_mutex_lock(&d->lock);
	if (holding && keep(d, lv, path, line, col, msg, len)) {
		if (lv == L_ERROR || (lv == L_WARN && d->werror))
			d->held_errors++;
		pthread_mutex_unlock(&d->lock);
		return;		/* diag_flush prints and frees it */
	}
	emit(d, lv, path, line, col, msg, len);
	pthread_mutex_unlock(&d->lock);
	free(msg);
}

void
diag_hold(struct diags *d, size_t key)
{
	(void)d;
	holding = 1;
	hold_key = key;
	held_since = 0;
}

size_t
diag_held(void)
{
	return held_since;
}

int
diag_failed(struct diags *d)
{
	int	failed;

	pthread_mutex_lock(&d->lock);
	failed = d->errors > 0 || d->held_errors > 0;
	pthread_mutex_unlock(&d->lock);
	return failed;
}

void
diag_release(struct diags *d)
{
	(void)d;
	holding = 0;
}

static int
held_cmp(const void *a, const void *b)
{
	const struct held *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
diag_flush(struct diags *d)
{
	size_t	 i;

	pthread_mutex_lock(&d->lock);
	if (d->nheld > 1)
		qsort(d->held, d->nheld, sizeof(*d->held), held_cmp);
	for (i = 0; i < d->nheld; i++) {
		emit(d, d->held[i].lv, d->held[i].path, d->held[i].line,
		    d->held[i].col, d->held[i].msg, d->held[i].len);
		free(d->held[i].path);
		free(d->held[i].msg);
	}
	d->nheld = 0;
	d->held_errors = 0;	/* counted in errors now */
	pthread_mutex_unlock(&d->lock);
}

void
diag_error(struct diags *d, const char *path, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, L_ERROR, path, line, col, fmt, ap);
	va_end(ap);
}

void
diag_warn(struct diags *d, const char *path, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, L_WARN, path, line, col, fmt, ap);
	va_end(ap);
}

void
diag_note(struct diags *d, const char *path, int line, int col,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport(d, L_NOTE, path, line, col, fmt, ap);
	va_end(ap);
}
