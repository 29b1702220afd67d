/*
 * The content source: the files of a site, read with libgit2 from the
 * tree of a commit (the default: what is published is exactly what was
 * committed) or from the working tree (for previews).  This file is the
 * only one that includes libgit2.
 *
 * Paths are relative to the site root (the folder given on the command
 * line, which may be a subfolder of the repository), use '/' and are
 * listed in byte order.
 */
#ifndef LOAD_SRC_H
#define LOAD_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct diags;
struct src;

struct src_file {
	const char	*path;		/* site-relative */
	size_t		 size;		/* bytes */
};

/*
 * Open the site at dir.  ref names a commit (branch, tag, id; NULL
 * means HEAD); worktree reads files on disk instead (untracked files
 * git ignores are skipped), each once, here: every later read gives
 * the bytes read then (files up to 1 MB).  cache_dir is the cache folder
 * (NULL: the default, see src_cache_file), where the loose objects found
 * sound are recorded (load/objmemo.h).  Returns NULL after reporting an
 * error (not a repository, unknown ref, ...).
 */
struct src	*src_open(const char *, const char *, bool, const char *,
		    struct diags *);
/*
 * The same, but a commit's files are listed only by src_list(): a
 * build with nothing to do needs only the commit's id.  Nothing else
 * may be asked of the files before.  src_list() returns 0, or -1
 * after reporting an error.
 */
struct src	*src_open_lazy(const char *, const char *, bool, const char *,
		    struct diags *);
int		 src_list(struct src *, struct diags *);
void		 src_close(struct src *);
size_t		 src_count(const struct src *);
const struct src_file *src_file(const struct src *, size_t);
/*
 * The git blob id of the i'th file, which names its bytes; from the
 * working tree, of the bytes read when it was opened, and false unless
 * later reads give those same bytes.
 */
bool		 src_blob_id(const struct src *, size_t, unsigned char [20]);
/*
 * 32 bytes that name the i'th file's bytes: its blob id (zero-padded)
 * or, from the working tree, the SHA-256 of its bytes as read when it
 * was opened; false when they cannot be had.
 */
bool		 src_content_id(struct src *, size_t, unsigned char [32]);
/* Index of path, or -1. */
long		 src_find(const struct src *, const char *);
/*
 * The contents of the i'th file.  The pointer stays valid until
 * src_close(); files are read once, on first use.  Returns NULL after
 * reporting an error.
 */
const char	*src_read(struct src *, size_t, size_t *, struct diags *);
/*
 * Reading in parallel: each thread opens its own reader (libgit2's
 * repository handles must not be shared between threads) and reads
 * with it (src_reader_open gives NULL when the repository cannot be
 * opened again: then read with src_take); src_reader_read gives the i'th file's contents malloc'd and
 * NUL-terminated (the caller frees them), or NULL after reporting.
 * Two threads must not read the same file at once.
 */
struct src_reader;

struct src_reader *src_reader_open(struct src *);
void		 src_reader_close(struct src_reader *);
/*
 * Have src_take, in this thread, read what was not kept with r (NULL:
 * with the shared handle, under a lock), so that threads that render
 * pages not read at load (model/pcache.h) do not wait for each other.
 */
void		 src_thread_reader(struct src_reader *);
char		*src_reader_read(struct src_reader *, size_t, size_t *,
		    struct diags *);
/*
 * Keep the i'th file's contents, as read, for src_take (so that a
 * later stage does not read and check the blob again).  They are kept
 * in a temporary file, out of the heap; if they cannot be, nothing is
 * kept.  Safe from several threads for different files.
 */
void		 src_keep(struct src *, size_t, const char *, size_t);
/*
 * The contents kept for the i'th file, malloc'd and NUL-terminated
 * (the caller frees them); read from the source again if none were
 * kept.  NULL after reporting.  Safe from several threads: kept bytes
 * are read without a lock.
 */
char		*src_take(struct src *, size_t, size_t *, struct diags *);
/*
 * History: every commit that changed a file's content on the way to the
 * commit read (the working tree's HEAD for --worktree), oldest first.
 * The walk follows first parents only: a commit is in the history when
 * it reached the branch built, and a branch merged with a merge commit
 * is dated by the merge.  The walk is cached in a file of the cache
 * folder (NULL: $XDG_CACHE_HOME/icpgen, else ~/.cache/icpgen), checked
 * against the commits before use, so the next build walks only new
 * commits.
 */
struct src_rev {
	char		 commit[41];
	int64_t		 time;		/* commit time, seconds since 1970 */
	const char	*summary;	/* first line of the commit message */
	unsigned char	 blob[20];	/* the file's content at that commit */
	size_t		 seq;		/* the commit's place on the branch:
					   later commits have larger ones */
};

/*
 * Walk the history; 0, or -1 after reporting.  With _jobs, on up to
 * that many threads (< 1: one per processor, as src_history does), and
 * with the last second of the build date: a commit dated later is dated
 * no later than that and than the commits after it (src_history: no
 * such bound).
 */
int		 src_history(struct src *, const char *, struct diags *);
int		 src_history_jobs(struct src *, const char *, int, int64_t,
		    struct diags *);
/*
 * The path of the cache file NAME-HASH for this repository and site
 * folder in the cache folder (as for src_history), malloc'd; NULL when
 * there is no cache folder.
 */
char		*src_cache_file(const struct src *, const char *, const char *);
/*
 * Revisions of the i'th file, oldest first: its contents one after
 * another, whether or not it was deleted and added again between them.
 * NULL and 0 if none.
 */
const struct src_rev *src_revisions(const struct src *, size_t, size_t *);
/*
 * The i'th file's revisions with its deletions (src_rev_gone: the
 * commit that deleted it), oldest first, when it was deleted and added
 * again; NULL and 0 when it never was deleted.
 */
const struct src_rev *src_all(const struct src *, size_t, size_t *);
/* Whether r is the file's deletion rather than a content. */
bool		 src_rev_gone(const struct src_rev *);
/*
 * A file of the site deleted and not added again: its path and its
 * revisions and deletions (src_rev_gone), oldest first, the last of
 * them a deletion.
 */
struct src_gone {
	char		*path;
	struct src_rev	*revs;
	size_t		 n;
};
/* The files deleted and not added again, after src_history. */
const struct src_gone *src_gone_files(const struct src *, size_t *);
/*
 * From now on the revisions of file i are revs (malloc'd, n of them; s
 * owns and frees them): the versions of it that were public, each when
 * it was made public.
 */
void		 src_set_revisions(struct src *, size_t, struct src_rev *,
		    size_t);
/*
 * The revision that made the file's current content: the last one
 * whose content is the current one, which is not always the last
 * revision (a merge can discard a side branch's edit).  -1 if none
 * (the file is not committed, or differs from every commit).
 */
long		 src_last_change(const struct src *, size_t);
/*
 * The content of a revision (a blob id), malloc'd and NUL-terminated;
 * the caller frees it.  NULL with *len 0 if it cannot be read (absent
 * or damaged), NULL with *len its size if it is larger than icpgen
 * reads.
 */
char		*src_read_blob(struct src *, const unsigned char *, size_t *);
/* The same with a thread's own reader (see src_reader_open). */
char		*src_reader_read_blob(struct src_reader *, const unsigned char *,
		    size_t *);
/* Drop the cached contents of the i'th file (it is read again if needed). */
void		 src_release(struct src *, size_t);
/* Full id of the commit read, or "worktree". */
const char	*src_commit(const struct src *);
/*
 * The commit whose history is read: the one built, or for the working
 * tree its HEAD ("" when there is none).
 */
const char	*src_head(const struct src *);
/* Commit time (seconds since the epoch), or the current time. */
int64_t		 src_time(const struct src *);
/* The repository's work directory on disk, for messages. */
const char	*src_root(const struct src *);
/* The site's folder inside the repository ("" or "content/"). */
const char	*src_prefix(const struct src *);

/*
 * The object folders an alternates file names (text, NUL-terminated,
 * is written over), as libgit2 1.5 reads them: fn is called with each
 * line split at CR or LF, but empty lines and those starting with '#';
 * a line starting with '.' is under dir when own (the repository's own
 * file).  For the damage check and its fuzz target.
 */
void		 src_alternates_parse(char *, const char *, bool,
		    void (*)(void *, const char *), void *);

#endif
