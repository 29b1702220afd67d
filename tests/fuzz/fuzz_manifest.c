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

/*
 * Is p a path under the folder?  Said another way than the parser's
 * own test: "/" + p + "/" holds no "//", "/./" or "/../".
 */
static bool
below(const char *p)
{
	size_t	 n = strlen(p);
	char	*w = malloc(n + 3);
	bool	 ok;

	if (w == NULL)
		abort();
	w[0] = '/';
	memcpy(w + 1, p, n);
	memcpy(w + 1 + n, "/", 2);
	ok = n > 0 && strstr(w, "//") == NULL && strstr(w, "/./") == NULL &&
	    strstr(w, "/../") == NULL;
	free(w);
	return ok;
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
