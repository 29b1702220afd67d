/*
 * Fuzz target for the alternates file of a repository's object folder
 * (src_alternates_parse in load/src.c), which a hostile repository
 * writes.  The folders it gives are checked against a second, plain
 * reading of the same bytes: lines split at CR or LF, empty ones and
 * those starting with '#' skipped, and a line starting with '.' put
 * under the folder only in the repository's own file.  The first byte
 * says which file it is.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/src.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define DIR	"/r/.git/objects"

struct want {
	const char	*text, *end;	/* the lines not yet given */
	bool		 own;
	size_t		 calls;
};

/* The next line the plain reading finds, in *at (n bytes); false at the end. */
static bool
next_line(struct want *w, const char **at, size_t *n)
{
	const char	*p = w->text, *q;

	for (;;) {
		while (p < w->end && (*p == '\r' || *p == '\n'))
			p++;
		if (p == w->end)
			return false;
		for (q = p; q < w->end && *q != '\r' && *q != '\n'; q++)
			;
		if (*p != '#') {
			*at = p;
			*n = (size_t)(q - p);
			w->text = q;
			return true;
		}
		p = q;
	}
}

static void
given(void *arg, const char *path)
{
	struct want	*w = arg;
	const char	*at;
	size_t		 n, k = 0;

	if (!next_line(w, &at, &n))
		abort();		/* a folder the bytes do not name */
	if (w->own && at[0] == '.') {
		k = strlen(DIR "/");
		if (strncmp(path, DIR "/", k) != 0)
			abort();
	}
	if (strlen(path + k) != n || memcmp(path + k, at, n) != 0)
		abort();
	w->calls++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct want	 w;
	const char	*at;
	char		*text;
	size_t		 n, i;

	if (len == 0 || len > 65536)
		return 0;
	/* As the file is read: up to its first NUL. */
	for (i = 1; i < len && data[i] != '\0'; i++)
		;
	text = malloc(i);
	if (text == NULL)
		return 0;
	memcpy(text, data + 1, i - 1);
	text[i - 1] = '\0';
	w.text = (const char *)data + 1;
	w.end = (const char *)data + i;
	w.own = (data[0] & 1) != 0;
	w.calls = 0;
	src_alternates_parse(text, DIR, w.own, given, &w);
	if (next_line(&w, &at, &n))
		abort();		/* a folder the bytes name, not given */
	free(text);
	return 0;
}
