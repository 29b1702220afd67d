/*
 * Diagnostics printer and counter.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "mem.h"

void
diag_init(struct diags *d, FILE *out)
{
	const char *nc = getenv("NO_COLOR");

	memset(d, 0, sizeof(*d));
	d->out = out;
	d->colour = (nc == NULL || *nc == '\0') && isatty(fileno(out));
	d->max = 1000;
	pthread_mutex_init(&d->lock, NULL);
}

void
diag_free(struct diags *d)
{
	pthread_mutex_destroy(&d->lock);
}

enum level { L_ERROR, L_WARN, L_NOTE };

static void	to_sink(struct diags *, enum level, const char *, int, int,
		    const char *, va_list) __attribute__((format(printf, 6, 0)));

/* Format the message and hand it to the sink (another output format). */
static void
to_sink(struct diags *d, enum level lv, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	char	 small[512], *msg = small;
	va_list	 aq;
	int	 n;

	va_copy(aq, ap);
	n = vsnprintf(small, sizeof(small), fmt, aq);
	va_end(aq);
	if (n >= (int)sizeof(small)) {
		msg = xmalloc((size_t)n + 1);
		va_copy(aq, ap);
		vsnprintf(msg, (size_t)n + 1, fmt, aq);
		va_end(aq);
	}
	d->sink(d->sink_arg, (int)lv, path != NULL && *path != '\0' ? path :
	    NULL, line, col, n < 0 ? "" : msg);
	if (msg != small)
		free(msg);
}

static void	vreport(struct diags *, enum level, const char *, int, int,
		    const char *, va_list) __attribute__((format(printf, 6, 0)));

static void
vreport(struct diags *d, enum level lv, const char *path, int line, int col,
    const char *fmt, va_list ap)
{
	static const char *const names[] = { "error", "warning", "note" };
	static const char *const colours[] = { "\033[1;31m", "\033[1;35m",
	    "\033[1;36m" };
	unsigned n;

	pthread_mutex_lock(&d->lock);
	if (lv == L_ERROR || (lv == L_WARN && d->werror))
		d->errors++;
	else if (lv == L_WARN)
		d->warnings++;
	n = d->errors + d->warnings;
	if ((lv == L_WARN && d->quiet) || n > d->max) {
		if (n == d->max + 1 && lv != L_NOTE && d->out != NULL)
			fputs("icpgen: too many diagnostics, "
			    "not printing the rest\n", d->out);
		pthread_mutex_unlock(&d->lock);
		return;
	}
	if (d->sink != NULL)
		to_sink(d, lv, path, line, col, fmt, ap);
	if (d->out == NULL) {
		pthread_mutex_unlock(&d->lock);
		return;
	}
	if (d->colour)
		fputs("\033[1m", d->out);
	if (path != NULL && *path != '\0') {
		fputs(path, d->out);
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
	vfprintf(d->out, fmt, ap);
	fputc('\n', d->out);
	fflush(d->out);
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
