/*
 * YAML documents (the site configuration and front matter), read with
 * libyaml into a value tree (util/val.h).
 *
 * The reader accepts the subset that content files need and refuses,
 * with an error at file:line:col, what makes YAML surprising or
 * dangerous in a shared repository: anchors and aliases, tags, more
 * than one document, duplicate keys, non-scalar keys, nesting deeper
 * than FM_MAX_DEPTH and documents larger than FM_MAX_BYTES.
 */
#ifndef PARSE_FM_H
#define PARSE_FM_H

#include <stddef.h>

struct arena;
struct diags;
struct val;

#define FM_MAX_BYTES	(64 * 1024)
#define FM_MAX_DEPTH	8

/*
 * Parse a YAML document of len bytes.  path names the file in errors;
 * first_line is the file line of the document's first line (front
 * matter starts on line 2, after "---").  Scalars become VAL_STR with
 * their quoted flag set as written; an empty document gives an empty
 * map.  Returns the root (a map: a document whose root is not a
 * mapping is an error), allocated in the arena, or NULL after
 * reporting every problem found.
 */
struct val	*fm_parse(struct arena *, const char *, const char *, size_t,
		    int, struct diags *);

/*
 * Split a Markdown file into front matter and body.  Front matter is
 * present when the file starts with a line "---" and ends at the next
 * line "---" (or "...").  On return *fm, *fmlen are the YAML between
 * the fences (fmlen 0 when absent), *body, *bodylen the rest, and
 * *fmline, *bodyline the file lines where each starts.  Returns -1
 * when an opening fence has no closing one, 0 otherwise.
 */
int		 fm_split(const char *, size_t, const char **, size_t *,
		    int *, const char **, size_t *, int *);

#endif
