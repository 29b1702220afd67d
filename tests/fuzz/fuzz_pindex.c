/*
 * Fuzz target for the parse cache's page index (model/pcache.c): the
 * body of a file from the cache folder, which a build parses once its
 * checksum and key match.  Whatever the bytes, the parser stays inside
 * them (ASan), and a body it accepts has room for every page it says it
 * holds: a count, then each page at least its length, the path's
 * length, the kind and the blob id (4 + 4 + 2 + 1 + 20 bytes).
 */
#include <stdint.h>
#include <stdlib.h>

#include "model/pcache.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	size_t	n;

	if (pcache_index_check((const char *)data, len, &n) &&
	    (len < 4 || n > (len - 4) / 27))
		abort();
	return 0;
}
