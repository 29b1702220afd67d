/*
 * Fuzz target for the record of loose objects found sound
 * (load/objmemo.c), read from the cache folder: whatever the bytes
 * (its checksum not checked), the records are in order of id and each
 * is found again by its id with its own file identity, and by no other.
 */
#include <stdlib.h>
#include <string.h>

#include "load/objmemo.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct objmemo	*m = objmemo_parse((const char *)data, len);
	struct objmemo_file f;
	unsigned char	 id[20], prev[20];
	size_t		 i, n = objmemo_count(m);

	if (n > len / 20)
		abort();
	for (i = 0; i < n; i++) {
		objmemo_get(m, i, id, &f);
		if (i > 0 && memcmp(prev, id, 20) >= 0)
			abort();
		memcpy(prev, id, 20);
		if (!objmemo_sound(m, id, &f))
			abort();
		f.ct ^= 1;
		if (objmemo_sound(m, id, &f))
			abort();
	}
	objmemo_close(m, false);
	return 0;
}
