/*
 * Fuzz target for the Git LFS pointer reader (lfs_pointer in
 * load/lfs.c), which reads every small file a build publishes.  The
 * input is a file's bytes.  Besides the sanitizers it checks what the
 * reader promises: a pointer is shorter than LFS_POINTER_MAX and begins
 * with "version "; its oid is 64 lower-case hex digits; a refusal says
 * why and an acceptance does not; and the answer does not change when
 * asked again.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/lfs.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct lfs_pointer p, q;
	const char	*why, *why2;
	int		 rc, i;

	rc = lfs_pointer((const char *)data, len, &p, &why);
	if (rc < -1 || rc > 1 || (rc == -1) != (why != NULL))
		abort();
	if (rc != 0 && (len >= LFS_POINTER_MAX || len < 8 ||
	    memcmp(data, "version ", 8) != 0))
		abort();
	if (rc == 1) {
		if (strlen(p.oid) != 64)
			abort();
		for (i = 0; i < 64; i++)
			if (!((p.oid[i] >= '0' && p.oid[i] <= '9') ||
			    (p.oid[i] >= 'a' && p.oid[i] <= 'f')))
				abort();
	}
	if (lfs_pointer((const char *)data, len, &q, &why2) != rc ||
	    (rc == 1 && (strcmp(p.oid, q.oid) != 0 || p.size != q.size)))
		abort();
	return 0;
}
