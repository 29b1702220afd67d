/*
 * The meeting records of the open data kept from the last build: for
 * each meeting, a key (a digest of everything its records are made
 * from, worked out by opendata.c) and the bytes it gave in each of the
 * files its records go to (meetings.json and four CSVs), with the
 * number of rows.  A meeting whose key is unchanged has its bytes
 * copied instead of being made and encoded again.  The file ends with
 * a SHA-256 of what comes before it; a file that does not match is
 * ignored.
 */
#ifndef EMIT_ODMEMO_H
#define EMIT_ODMEMO_H

#include <stdbool.h>
#include <stddef.h>

#define ODM_PARTS	5	/* meetings.json and four CSVs */

/* A meeting's bytes in one file, and the rows they are. */
struct odm_part {
	const char	*data;
	size_t		 len;
	size_t		 rows;
};

struct odmemo;

/* Open the file at path (NULL: no memo, and NULL).  Never fails. */
struct odmemo	*odmemo_open(const char *path);
/* The parts kept for meeting id when its key was key; else false. */
bool		 odmemo_get(const struct odmemo *, const char *,
		    const unsigned char [32], struct odm_part [ODM_PARTS]);
/*
 * Add a meeting's parts to the next file, in order (written as they
 * come, so the records are never all in memory).
 */
void		 odmemo_put(struct odmemo *, const char *,
		    const unsigned char [32], const struct odm_part [ODM_PARTS]);
/*
 * Replace the file with the records put, when they differ from it;
 * with ok false (the data were not written), leave it.  Frees the memo.
 */
void		 odmemo_close(struct odmemo *, bool);

/*
 * For the fuzz target: a memo of a file's bytes, its checksum not
 * checked (close it with ok false: it has no file); its records; the
 * bytes it holds.
 */
struct odmemo	*odmemo_parse(const char *, size_t);
size_t		 odmemo_count(const struct odmemo *);
const char	*odmemo_id(const struct odmemo *, size_t, size_t *,
		    const unsigned char **);
void		 odmemo_span(const struct odmemo *, const char **, size_t *);

#endif
