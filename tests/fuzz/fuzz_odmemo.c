/*
 * Fuzz target for the open data's meeting records cache (emit/odmemo.c),
 * which reads a file from the cache folder: whatever the bytes (its
 * checksum not checked), every record's id, key and parts lie inside
 * them, and each record is found again by its id and key, with the
 * same parts.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "emit/odmemo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static bool
inside(const void *p, size_t n, const char *lo, size_t len)
{
	const char	*a = p;

	return a >= lo && n <= len && (size_t)(a - lo) <= len - n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct odmemo	*m = odmemo_parse((const char *)data, len);
	struct odm_part	 parts[ODM_PARTS], again[ODM_PARTS];
	const unsigned char *key;
	const char	*id, *all;
	char		*z;
	size_t		 i, k, n, idlen, alllen;

	odmemo_span(m, &all, &alllen);
	n = odmemo_count(m);
	for (i = 0; i < n; i++) {
		id = odmemo_id(m, i, &idlen, &key);
		if (!inside(id, idlen, all, alllen) ||
		    !inside(key, 32, all, alllen))
			abort();
		if (memchr(id, '\0', idlen) != NULL)
			continue;	/* never put: ids are C strings */
		z = malloc(idlen + 1);
		if (z == NULL)
			abort();
		memcpy(z, id, idlen);
		z[idlen] = '\0';
		if (!odmemo_get(m, z, key, parts))
			abort();
		for (k = 0; k < ODM_PARTS; k++)
			if (!inside(parts[k].data, parts[k].len, all, alllen))
				abort();
		/* A key one bit off finds nothing. */
		{
			unsigned char	 other[32];

			memcpy(other, key, 32);
			other[0] ^= 1;
			if (odmemo_get(m, z, other, again))
				abort();
		}
		free(z);
	}
	odmemo_close(m, false);
	return 0;
}
