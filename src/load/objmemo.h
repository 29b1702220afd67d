/*
 * The loose objects of a repository found sound by the last build, kept
 * in the cache folder so that a build checks again only the objects
 * that are new or whose files were written since (see "damaged
 * repositories" in src.c).  Each is recorded with the identity of its
 * file: device, inode, size, and modification and change times to the
 * nanosecond.  Any write to a file, and any change of its times, moves
 * its change time to the clock's present, which no program can set, so
 * a file with the very identity recorded holds the bytes that were
 * checked.  The file ends with a SHA-256 of what comes before it and
 * starts with the binary's identity; a file that does not match is
 * ignored and every object checked again.
 */
#ifndef LOAD_OBJMEMO_H
#define LOAD_OBJMEMO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/stat.h>

/* A loose object's file, as fstat tells it. */
struct objmemo_file {
	uint64_t	 dev, ino, size;
	int64_t		 mt, ct;	/* nanoseconds */
};

struct objmemo;

/*
 * Open the record at path (NULL, or a binary whose identity cannot be
 * told: a memo that knows nothing and saves nothing).  Never fails.
 */
struct objmemo	*objmemo_open(const char *path);
/* The identity of st, as recorded. */
void		 objmemo_file(const struct stat *, struct objmemo_file *);
/* Was object id found sound in a file of the very identity f? */
bool		 objmemo_sound(const struct objmemo *, const unsigned char [20],
		    const struct objmemo_file *);
/* Object id is sound, in the file f, now. */
void		 objmemo_put(struct objmemo *, const unsigned char [20],
		    const struct objmemo_file *);
/*
 * With save, replace the record by the objects put, when they differ
 * from it (a check that stopped early saves nothing: it would forget
 * the objects it did not reach).  Frees the memo.
 */
void		 objmemo_close(struct objmemo *, bool);

/*
 * For the fuzz target and the tests: a memo of a record's bytes from
 * after the binary's identity to before the checksum, which are not
 * checked; its objects, in order of id.
 */
struct objmemo	*objmemo_parse(const char *, size_t);
size_t		 objmemo_count(const struct objmemo *);
void		 objmemo_get(const struct objmemo *, size_t, unsigned char [20],
		    struct objmemo_file *);

#endif
