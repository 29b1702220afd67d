/*
 * Fuzz target for the build manifest (emit/manifest.c), read from the
 * cache folder and, as the listing of the spare, believed about which
 * names a folder holds: whatever the bytes, a manifest taken is of the
 * site and output folder it must name, and every path it lists is a
 * relative one without an empty, "." or ".." part, which the build
 * then states under the staging folder and nowhere else.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit/out.h"
#include "emit/manifest.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Is p a path under the folder: parts neither empty, "." nor ".."? */
static bool
below(const char *p)
{
	const char	*e;
	size_t		 n;

	for (;;) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (e == NULL)
			return true;
		p = e + 1;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct out_listing l;
	size_t		 i;

	memset(&l, 0, sizeof(l));
	if (!manifest_listing_parse((const char *)data, len, "/r/site",
	    "/o/out", &l))
		return 0;
	if (l.ino == 0 || (l.n > 0 && l.v == NULL) || l.n > len / 4)
		abort();
	for (i = 0; i < l.n; i++)
		if (l.v[i].path == NULL || !below(l.v[i].path))
			abort();
	out_entries_free(l.v, l.n);
	return 0;
}
