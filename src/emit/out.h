/*
 * Output: the built site is written to a staging folder beside the
 * output folder and swapped into place (renameat2 RENAME_EXCHANGE)
 * only when the whole build succeeded, so readers and a failed or
 * killed build never see half a site.  The site replaced is kept
 * beside the output as .NAME.prev, and the next build's staging
 * folder is made from it: only the names that differ are touched.
 */
#ifndef EMIT_OUT_H
#define EMIT_OUT_H

#include <stdbool.h>
#include <stddef.h>

struct diags;
struct out;

/* Prepare a staging folder for dir.  NULL after reporting an error. */
struct out	*out_begin(const char *, struct diags *);
/*
 * What a site kept as the spare held when it was published (the build
 * manifest of that site): its folder, and every folder and file in it,
 * sorted by path (strcmp), each folder before what it holds.
 */
struct out_entry {
	char			*path;
	bool			 dir;
	unsigned long long	 ino;
	long long		 mt, ct;	/* nanoseconds */
};
struct out_listing {
	unsigned long long	 dev, ino;
	long long		 mt;
	struct out_entry	*v;
	size_t			 n;
};
/*
 * The same, given a way to read that listing: list(arg, listing) is
 * called in the thread that goes through the spare (so arg must live
 * until out_commit or out_abort), true when it filled the listing,
 * which out frees.  A folder of the spare still as listed (inode,
 * modification and change time) holds the names listed, and is not
 * read; any other is read whole, and a listing that does not match
 * what is there (a name missing, of another kind) is not used at all.
 */
struct out	*out_begin_listed(const char *,
		    bool (*)(void *, struct out_listing *), void *,
		    struct diags *);
/*
 * Write a file (path relative to the site, folders made as needed).
 * Every path is claimed once: a second file at the same path, compared
 * without regard to case, is an error naming both sources.
 */
int		 out_write(struct out *, const char *, const void *, size_t,
		    struct diags *);
/*
 * The same, naming the source of the file (a path in the content
 * repository) for that error; out_write() stands for files icpgen
 * makes itself.
 */
int		 out_write_from(struct out *, const char *, const char *,
		    const void *, size_t, struct diags *);
/*
 * A file of the site replaced, as the build manifest recorded it when
 * that site was made.
 */
struct out_prev {
	unsigned long long	 dev, ino, size, nlink;
	unsigned		 mode;
	long long		 mt, ct;	/* nanoseconds */
};

struct buf;

/*
 * Keep the replaced site's file at from (NULL: at path), unread by
 * anyone since it was written (it is still exactly as prev records:
 * same inode, size, mode, times, links), by linking it into the new
 * site at path (when it is published: out_commit; a build that fails
 * leaves the site replaced untouched); its bytes are appended to bytes
 * unless that is NULL.
 * 1 when kept; 0 when not (then write the file as usual); -1 after
 * reporting that the path was claimed twice.
 */
int		 out_keep(struct out *, const char *, const char *,
		    const char *, const struct out_prev *, struct buf *,
		    struct diags *);
/*
 * A file written in parts, for one too large to build in memory first:
 * out_open() claims path and creates it (NULL after an error,
 * reported), out_put() appends (written at once, so give it large
 * pieces; -1 after an error, reported once), out_close() finishes it
 * and frees f (0, or -1 when anything failed).  Unlike out_write(), the file is never linked from the site
 * replaced.
 */
struct out_file;
struct out_file	*out_open(struct out *, const char *, struct diags *);
int		 out_put(struct out_file *, const void *, size_t);
int		 out_close(struct out_file *);
/*
 * From now on, only claim paths (a path written twice is still
 * reported) and write nothing: for a build that has failed already,
 * which still renders everything to report every problem.  The staging
 * folder and the sites beside it are then left as they are, so the
 * site in place keeps the links and times its manifest recorded.
 * out_commit then refuses to publish it.
 */
void		 out_dry(struct out *);
/*
 * Append the bytes of a file already in the new site at path (or, for
 * one kept from the site replaced, which is linked only when the site
 * is published, the bytes of that); 0 or -1.
 */
int		 out_staged(struct out *, const char *, struct buf *);
/* Files and bytes written so far. */
size_t		 out_files(const struct out *);
size_t		 out_bytes(const struct out *);
/*
 * Of those, files linked from the site replaced (their bytes were
 * equal, or out_keep kept them).
 */
size_t		 out_linked(const struct out *);
/* The device and inode of the new site's folder (0 if unknown). */
void		 out_id(struct out *, unsigned long long *,
		    unsigned long long *);
/*
 * Every path written, sorted, malloc'd (each and the array); n set.
 * With kept, also for each path what out_keep found when it kept that
 * file in place, or what a file written whole was as it was closed,
 * which the swap does not change: the file as it will be (dev 0: linked
 * or renamed when publishing, so not known), in an array malloc'd.
 */
char		**out_list(const struct out *, size_t *, struct out_prev **);
/*
 * Remove what the staging folder kept from the spare but the new site
 * has not, swap it into place, and keep the old site as the spare.
 * paths: what out_list gave (n of them), when the caller has it, else
 * NULL and it is made again.
 */
int		 out_commit(struct out *, char *const *, size_t,
		    struct diags *);
/*
 * The same, giving also the folders of the new site that are the
 * spare's still as its listing said and that this build left alone
 * (their inode and times are those listed, and the swap does not
 * change them), sorted by path, malloc'd (each path and the array;
 * NULL, 0 when there are none or the site was not published), so
 * that the manifest need not state them again.
 */
int		 out_publish(struct out *, char *const *, size_t,
		    struct out_entry **, size_t *, struct diags *);
/* Free n entries and their array. */
void		 out_entries_free(struct out_entry *, size_t);
/* Remove a folder and everything in it; 0, or -1 with errno set. */
int		 out_remove(const char *);
/*
 * Remove what killed builds into dir left beside it (out_begin does
 * this too): for a build that has nothing else to do.
 */
void		 out_tidy(const char *);
/*
 * Leave the old site as it was; the staging folder becomes the spare
 * (or is removed when there is one already).
 */
void		 out_abort(struct out *);

#endif
