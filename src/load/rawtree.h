/*
 * Git tree objects read from their raw bytes, for the history walk, and
 * the time of a commit read from its raw bytes, for the history cache.
 *
 * A tree is a sequence of entries "MODE SP NAME NUL ID": MODE in octal,
 * NAME without '/' (not empty, ".", ".."), ID 20 bytes; entries sorted
 * by name, a subtree's name compared as if it ended in '/'.  Everything
 * is checked, nothing is read outside the buffer, and a malformed tree
 * is an error (with a reason, a static string).
 *
 * Consecutive versions of a tree in a history mostly share their bytes,
 * so rawtree_next() reads a tree against the version before it: where
 * the bytes go on as the old version's, they hold the same entries,
 * already checked, and are skipped with memcmp; only the entries
 * around a difference are parsed.
 */
#ifndef LOAD_RAWTREE_H
#define LOAD_RAWTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RAWTREE_MAX	(256u * 1024 * 1024)	/* refuse larger trees */

struct rawtree_entry {
	const char		*name;		/* not terminated */
	size_t			 namelen;
	const unsigned char	*id;		/* 20 bytes */
	unsigned		 mode;		/* as written */
	size_t			 end;		/* offset of the next entry */
};

/* A tree and where its entries start. */
struct rawtree {
	const unsigned char	*buf;
	size_t			 len;
	uint32_t		*off;		/* n + 1: the starts, then len */
	size_t			 n, cap;
	/*
	 * After rawtree_next: ranges (lo, hi, olo, ohi), 4 numbers each,
	 * where entries [lo, hi) may differ from the old version's
	 * [olo, ohi); all other entries are, in order, byte for byte
	 * the old version's.
	 */
	size_t			*rng;
	size_t			 nrng, rcap;
};

/* Kinds of entries, by mode, as libgit2 tells them. */
bool	 rawtree_istree(unsigned);
bool	 rawtree_isgitlink(unsigned);
/* The mode as libgit2's git_tree_entry_filemode() gives it. */
unsigned rawtree_filemode(unsigned);

/*
 * Parse the entry at offset off of buf[0, len).  Returns 1 and fills
 * *e, 0 when off is len, -1 (and *why) when the entry is malformed.
 * Order is not checked here.
 */
int	 rawtree_entry(const unsigned char *, size_t, size_t,
	    struct rawtree_entry *, const char **);
/* The i'th entry of a parsed tree (i < t->n). */
void	 rawtree_at(const struct rawtree *, size_t, struct rawtree_entry *);
/* Git's order of entries: < 0, 0 (same name and kind) or > 0. */
int	 rawtree_cmp(const struct rawtree_entry *,
	    const struct rawtree_entry *);
/*
 * Parse buf[0, len) into t (its index and ranges reused), checking
 * every entry, against old, the tree's previous version parsed before
 * (NULL: none; then one range holds every entry).  Returns 0, or -1 and
 * *why when the tree is malformed.  buf must outlive t's use.
 */
int	 rawtree_next(struct rawtree *, const unsigned char *, size_t,
	    const struct rawtree *, const char **);
/* Find the entry named name of kind tree (or not): its index, or -1. */
long	 rawtree_find(const struct rawtree *, const char *, size_t, bool);
void	 rawtree_free(struct rawtree *);

/*
 * The committer's time in the bytes of a commit object, as libgit2's
 * git_commit_time() gives it for a commit it can parse: in the
 * header's first "committer " line, the number that starts two bytes
 * after the line's last '>' (0 when the line ends before).  false
 * when there is no such line or the number is not one.
 */
bool	rawcommit_time(const char *, size_t, int64_t *);

#endif
