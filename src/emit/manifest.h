/*
 * The build manifest: what the last good build of a site into an
 * output folder was made from, and what it left there.  A build whose
 * inputs are all the same as the manifest's, into an output folder
 * that is still exactly as the manifest describes it, has nothing to
 * do.
 *
 * Inputs are fingerprinted (SHA-256): the commit built (which fixes
 * every site file and the history), or for --worktree the site's files
 * on disk and HEAD; the icpgen binary; the build day; --base-url; the
 * installed theme and node folders given, and the contents of the
 * theme folders the build read.  The output is recorded per file and
 * folder by inode, size, mode, modification and change time.
 *
 * The manifest lives in the cache folder (build-HASH, keyed by site
 * and output folder) and is not trusted: one that cannot be read, is
 * truncated or of another version is ignored, and the build is a full
 * one.
 */
#ifndef EMIT_MANIFEST_H
#define EMIT_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct manifest;
struct src;
struct theme;

/*
 * The manifest of a build of src into out: file, when given, else in
 * cachedir (NULL: $XDG_CACHE_HOME/icpgen, else ~/.cache/icpgen).  The
 * previous one is read, and this build's inputs fingerprinted.  NULL
 * when there is no place to keep one.
 */
struct manifest	*manifest_open(const char *, const char *, const char *,
		    struct src *, int64_t, const char *, const char *,
		    const char *);
/* Is the output folder already what this build would make? */
bool		 manifest_fresh(struct manifest *);
/* Was the last build's manifest read (its pages may be kept)? */
bool		 manifest_had(const struct manifest *);
/* The theme folders this build reads (their contents are inputs). */
void		 manifest_theme(struct manifest *, const struct theme *);
/*
 * Remove the previous manifest: called before the output folder is
 * replaced, so that a build stopped between the two leaves none.
 */
void		 manifest_forget(struct manifest *);
/*
 * The listing of the spare (out_begin_listed): the manifest of the site
 * the last build replaced, which manifest_forget keeps for it.  Reads
 * only what manifest_open set, so it may run in another thread.
 */
struct out_listing;
bool		 manifest_spare(void *, struct out_listing *);
/*
 * The same from a manifest's bytes (data, len), of the site and output
 * folder named; false when they are not a whole sound manifest of
 * those.  For tests/fuzz/fuzz_manifest.c.
 */
bool		 manifest_listing_parse(const char *, size_t, const char *,
		    const char *, struct out_listing *);
/*
 * The build gave warnings: the manifest saved says so, and the next
 * build is never a no-op (it repeats them, as a full build would), but
 * it still keeps the pages that gave none.
 */
void		 manifest_warned(struct manifest *);
/*
 * Record the output folder just published: the folder with that device
 * and inode (another build may have replaced it since), paths every
 * file written (sorted), kept (NULL, or for each path what the output
 * folder says of it, dev 0 where it must be asked: out_list), and
 * folders known as they are (sorted; out_publish).
 * Failing to save only costs the next build its shortcut.
 */
struct out_prev;
struct out_entry;
void		 manifest_save(struct manifest *, unsigned long long,
		    unsigned long long, char *const *,
		    const struct out_prev *, size_t,
		    const struct out_entry *, size_t);
/*
 * Pages kept from the last build (see render/page.h).  Call once the
 * theme is known, with the digest of what else every page depends on
 * (extra: the configuration's policy, the site's files that are not
 * pages).  The last build's page keys are read when they were saved
 * with the output folder the manifest describes, under the same
 * inputs but the content.  false: nothing is kept.
 */
struct out_prev;
bool		 manifest_pages(struct manifest *, size_t,
		    const unsigned char [32]);
/*
 * Read the last build's page keys and search words in a thread, while
 * the content loads, for manifest_pages() and manifest_extra_old().
 * Call once the build is known not to be a no-op (manifest_fresh).
 */
void		 manifest_prefetch(struct manifest *);
/*
 * The keys the last build rendered output file out from (malloc'd
 * array of n; its strings are the manifest's), their digest then, the
 * file as the manifest recorded it, and its record (for
 * manifest_page_keep); NULL when there are none.
 */
struct page_rec;
const char	**manifest_page_old(const struct manifest *, const char *,
		    unsigned char [32], struct out_prev *, size_t *,
		    const struct page_rec **);
/* This build's keys of page i (written to out), from any thread. */
void		 manifest_page_set(struct manifest *, size_t, const char *,
		    const char *const *, size_t, const unsigned char [32]);
/* The same, for a page kept: the keys of its record in the last build. */
void		 manifest_page_keep(struct manifest *, size_t, const char *,
		    const struct page_rec *, const unsigned char [32]);
/*
 * The file at path of the last build's output folder as the manifest
 * recorded it; false when it is not recorded, or no page keys of the
 * last build were read (manifest_pages).
 */
bool		 manifest_file_old(const struct manifest *, const char *,
		    struct out_prev *);
/*
 * Extra data a part of the build keeps for the next one (the search
 * index's words of each page).  manifest_extra_begin() gives a file to
 * write it to, for the output folder with that device and inode (NULL
 * when page keys are not kept); manifest_extra_end() closes it, and
 * drops it when ok is false.  It is put in place beside the page keys
 * by manifest_save(), and only then.  manifest_extra_old() gives the
 * last build's (malloc'd, NUL-terminated; *len set) when it was saved
 * with the page keys manifest_pages() read; else NULL.
 */
FILE		*manifest_extra_begin(struct manifest *, unsigned long long,
		    unsigned long long);
void		 manifest_extra_end(struct manifest *, FILE *, bool);
char		*manifest_extra_old(struct manifest *, size_t *);
void		 manifest_free(struct manifest *);

#endif
