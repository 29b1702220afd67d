/*
 * Git LFS pointers.  A file committed through Git LFS is stored in git
 * as a short text naming the real file by its SHA-256 and size, and
 * git-lfs keeps the real bytes in the repository's git folder
 * (lfs/objects/).  This reads the text; load/src.c finds the bytes.
 */
#ifndef LOAD_LFS_H
#define LOAD_LFS_H

#include <stddef.h>

/* A pointer is smaller than this (the Git LFS specification). */
#define LFS_POINTER_MAX	1024

struct lfs_pointer {
	char			oid[65];	/* SHA-256, lower-case hex */
	unsigned long long	size;		/* bytes */
};

/*
 * Is the n bytes at data a Git LFS pointer?  1 and *p filled when it
 * is; 0 when it is not (it does not begin with a pointer's version
 * line, or is too long to be one); -1 when it begins as one but is not
 * a pointer git-lfs would write (why set to a short reason).
 */
int	lfs_pointer(const char *, size_t, struct lfs_pointer *,
	    const char **);

#endif
