/*
 * Atomic output: write everything into a staging folder beside the
 * destination, then exchange the two folders in one rename.
 *
 * A file whose bytes equal those of the same path in the site being
 * replaced is hard-linked from it instead of written: the bytes are
 * compared, not a record of them, so a file edited by hand in the
 * output folder is never carried over as if it were right.
 *
 * The site replaced is not deleted: it is kept beside the output as
 * the spare (.NAME.prev), and the next build makes its staging folder
 * from it, so that a build which changes a few files touches a few
 * files, not every name in the site.  Nothing in the spare is trusted:
 * a name in it stays only when it is the very file (the same inode)
 * the new site is to have at that path, checked as above; every other
 * name is replaced or removed, and anything but files and folders is
 * removed before the build writes there.  Its names are known from
 * the manifest of the site it was, for each folder still exactly as
 * that says (listed), else by reading the folder (scan).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "emit/out.h"

/* Present in every site we write, so we never delete a stranger's folder. */
#define MARKER		".icpgen-site"
#define MAX_DEPTH	64	/* folders deeper in a spare are removed */
#define SCAN_BUF	8192	/* bytes of names read at a time */
#define SPARE		".prev"	/* .NAME.prev: the site before, kept */
#define BESIDE		".icpgen-new"	/* a file written beside (beside) */
#define BESIDE_MAX	1024		/* of them a build, then as before */
/*
 * The mode of the staging folder and the spare: they hold what the
 * site showed before (a paper since withdrawn, say), which a web
 * server serving the folder above must not show.
 */
#define HIDDEN		0700

/* An output path and what it was written for. */
struct claim {
	char		*key;		/* the path in lower case */
	char		*path;		/* as written */
	char		*source;	/* or NULL: a page icpgen makes */
	struct out_prev	 st;		/* kept in place: as it is (dev 0: not) */
	struct out_prev	 wst;		/* written: as it was closed (dev 0:
					   not, or renamed since: see finish) */
	/*
	 * A file of the site replaced to be linked here when the site is
	 * published (link_later), as it was then.
	 */
	char		*from;
	struct stat	*from_st;	/* with from: a few, so not in place */
	/*
	 * Or the file written for it beside the spare's name there, which
	 * may be the live site's too: renamed over it when the site is
	 * published (replace_now).
	 */
	char		*tmp;
};

struct out {
	char		*dest;		/* the output folder */
	char		*stage;		/* staging folder beside it */
	char		*spare;		/* the site before, kept beside it */
	bool		 inplace;	/* stage made from the spare */
	atomic_bool	 dry;		/* claim paths, write nothing (out_dry) */
	/* A listing of the spare (out_begin_listed), read by the scanner. */
	bool		(*list)(void *, struct out_listing *);
	void		*listarg;
	char		**old;		/* then the spare's files and folders */
	size_t		 nold, oldcap;
	/*
	 * As the scanner found each of them (dev 0: not stated; a folder
	 * only when its listing holds), what it is (OLD_*), and all by
	 * path: oldtab holds index + 1, 0 empty (open addressing,
	 * oldtabcap a power of two).
	 */
	struct out_prev	*oldst;
	unsigned char	*oldfl;
	size_t		*oldtab, oldtabcap;
	pthread_t	 scanner;	/* goes through the spare (scan) */
	atomic_bool	 scanning;	/* until it is joined (ready) */
	atomic_bool	 reported;	/* scanerr, once */
	pthread_mutex_t	 scanlock;
	int		 scanerr;	/* errno: no staging folder */
	mode_t		 dmode;		/* of a folder made: 0755 & ~umask */
	int		 destfd;	/* the site replaced, or -1 */
	dev_t		 dev;		/* of the staging folder */
	ino_t		 ino;
	mode_t		 fmode;		/* of a file written: 0644 & ~umask */
	size_t		 files, bytes, linked;
	struct claim	*claims;	/* open addressing, by key */
	size_t		 nclaims, claimcap;
	size_t		 expect;	/* files in the spare (scanner) */
	/*
	 * Folders of a new staging folder (not made from a spare) that
	 * are there: made, or written into, by this build.  By a hash of
	 * the path, 0 empty (open addressing, dircap a power of two): a
	 * collision only costs the failed open the set saves.
	 */
	size_t		*dirs, ndirs, dircap;
	atomic_size_t	 nbeside;	/* files written beside (beside) */
	pthread_mutex_t	 lock;		/* counts and claims */
};

static size_t
hashn(const char *s, size_t len)
{
	size_t	h = 5381, k;

	for (k = 0; k < len; k++)
		h = h * 33 + (unsigned char)s[k];
	return h;
}

static size_t
hash(const char *s)
{
	return hashn(s, strlen(s));
}

/* The slot of key: its claim, or the empty slot where it would go. */
static struct claim *
slot(struct claim *tab, size_t cap, const char *key)
{
	size_t	i = hash(key) & (cap - 1);

	while (tab[i].key != NULL && strcmp(tab[i].key, key) != 0)
		i = (i + 1) & (cap - 1);
	return &tab[i];
}

static void
describe(struct buf *b, const char *path, const char *source)
{
	if (source != NULL)
		buf_printf(b, "'%s'", source);
	else
		buf_printf(b, "the page icpgen makes at '%s'", path);
}

/* Path in lower case, as claims are keyed (malloc'd). */
static char *
lower_key(const char *path)
{
	char	*key = xstrdup(path), *p;

	for (p = key; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return key;
}

/*
 * Claim path for source (caller holds the lock).  Paths are compared
 * without regard to case, so the site also works on a host whose
 * file names are case-insensitive.  Returns the claim, or NULL after
 * reporting that something else claimed it first.
 */
static struct claim *
claim(struct out *o, const char *path, const char *source, struct diags *d)
{
	struct claim	*c, *old;
	struct buf	 b;
	char		*key;
	size_t		 i;

	if (o->nclaims * 2 >= o->claimcap) {
		old = o->claims;
		i = o->claimcap;
		o->claimcap = o->claimcap ? o->claimcap * 2 : 1024;
		/* Once: room for as many as the spare has files, and more. */
		while (o->claimcap < o->expect * 2 + o->expect / 2)
			o->claimcap *= 2;
		o->claims = xmalloc_big(o->claimcap * sizeof(*o->claims));
		memset(o->claims, 0, o->claimcap * sizeof(*o->claims));
		while (i-- > 0)
			if (old[i].key != NULL)
				*slot(o->claims, o->claimcap, old[i].key) =
				    old[i];
		free(old);
	}
	key = lower_key(path);
	c = slot(o->claims, o->claimcap, key);
	if (c->key != NULL) {
		buf_init(&b);
		describe(&b, c->path, c->source);
		buf_puts(&b, " and ");
		describe(&b, path, source);
		diag_error(d, source != NULL ? source : c->source, 0, 0,
		    "two sources would be published at the same address "
		    "'%s'%s: %s (rename or remove one)", path,
		    strcmp(c->path, path) != 0 ? " (names that differ only "
		    "in case are the same address on many hosts)" : "",
		    b.data);
		buf_free(&b);
		free(key);
		return NULL;
	}
	c->key = key;
	c->path = xstrdup(path);
	c->source = source != NULL ? xstrdup(source) : NULL;
	o->nclaims++;
	return c;
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/*
 * Empty the folder open as fd, by the types readdir gives (no stat of
 * each file: an old site is mostly links now, cheap to unlink).  Deep
 * trees are left to nftw.  Closes fd; 0 or -1.
 */
static int
rm_tree(int fd, int depth)
{
	DIR		*dir;
	struct dirent	*de;
	struct stat	 st;
	int		 sub, rc = 0, isdir;

	if ((dir = fdopendir(fd)) == NULL) {
		close(fd);
		return -1;
	}
	while ((de = readdir(dir)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		isdir = de->d_type == DT_DIR;
		if (de->d_type == DT_UNKNOWN)
			isdir = fstatat(fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		if (!isdir) {
			if (unlinkat(fd, de->d_name, 0) == -1 &&
			    errno != ENOENT)
				rc = -1;
			continue;
		}
		if (depth >= 64 || (sub = openat(fd, de->d_name, O_RDONLY |
		    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
		    rm_tree(sub, depth + 1) == -1 ||
		    unlinkat(fd, de->d_name, AT_REMOVEDIR) == -1)
			rc = -1;
	}
	closedir(dir);
	return rc;
}

/*
 * Remove a folder tree (not following links); 0 or -1 with errno set.
 * Absent is not an error.
 */
int
out_remove(const char *path)
{
	struct stat	st;

	int		fd;

	if (lstat(path, &st) == -1)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(st.st_mode) && (fd = open(path, O_RDONLY | O_DIRECTORY |
	    O_NOFOLLOW | O_CLOEXEC)) != -1 && rm_tree(fd, 0) == 0 &&
	    rmdir(path) == 0)
		return 0;
	return nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS);
}

/* Does folder dir hold our marker, as a file of its own? */
static bool
marked(const char *dir)
{
	struct stat	st;
	struct buf	m;
	bool		yes;

	buf_init(&m);
	buf_printf(&m, "%s/" MARKER, dir);
	yes = lstat(m.data, &st) == 0 && S_ISREG(st.st_mode);
	buf_free(&m);
	return yes;
}

/*
 * Remove staging folders left by builds that were killed: their names
 * carry the builder's process id.  One that is ours becomes the spare
 * when there is none (nothing in a spare is trusted).
 */
static void
clean_stale(const char *parent, const char *base)
{
	DIR		*d;
	struct dirent	*de;
	struct buf	 pfx, path, spare;
	long		 pid;
	char		*end;

	if ((d = opendir(parent)) == NULL)
		return;
	buf_init(&pfx);
	buf_init(&path);
	buf_init(&spare);
	buf_printf(&pfx, ".%s.new-", base);
	buf_printf(&spare, "%s/.%s" SPARE, parent, base);
	while ((de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, pfx.data, pfx.len) != 0)
			continue;
		pid = strtol(de->d_name + pfx.len, &end, 10);
		if (*end != '\0' || pid <= 0 ||
		    (kill((pid_t)pid, 0) == 0 || errno != ESRCH))
			continue;	/* still building, or not ours */
		buf_reset(&path);
		buf_printf(&path, "%s/%s", parent, de->d_name);
		/* As good a spare as any when there is none. */
		if (!marked(path.data) || rename(path.data, spare.data) == -1)
			out_remove(path.data);
	}
	closedir(d);
	buf_free(&pfx);
	buf_free(&path);
	buf_free(&spare);
}

void
out_tidy(const char *dir)
{
	char	*copy, *slash;
	size_t	 n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	copy = xstrndup(dir, n);
	if ((slash = strrchr(copy, '/')) == NULL)
		clean_stale(".", copy);
	else {
		*slash = '\0';
		clean_stale(*copy ? copy : "/", slash + 1);
	}
	free(copy);
}

static long long	nsec(const struct timespec *);

/* What a name the spare had is (oldfl). */
#define OLD_DIR		0x01	/* a folder */
#define OLD_LISTED	0x02	/* a folder still as listed (listed) */
#define OLD_TOUCHED	0x04	/* changed by this build (out_publish) */

/* Room for n more names the spare had. */
static void
old_room(struct out *o, size_t n)
{
	if (o->nold + n <= o->oldcap)
		return;
	while (o->nold + n > o->oldcap)
		o->oldcap = o->oldcap ? o->oldcap * 2 : 4096;
	o->old = xreallocarray(o->old, o->oldcap, sizeof(*o->old));
	o->oldst = xreallocarray(o->oldst, o->oldcap, sizeof(*o->oldst));
	o->oldfl = xreallocarray(o->oldfl, o->oldcap, 1);
}

/*
 * Note path, relative to the stage, as a name the spare had: a file
 * with st (NULL: not stated), or a folder (fl OLD_DIR, and OLD_LISTED
 * with st).
 */
static void
note_old(struct out *o, const char *path, const struct stat *st, int fl)
{
	struct out_prev	*p;

	old_room(o, 1);
	o->oldfl[o->nold] = (unsigned char)fl;
	p = &o->oldst[o->nold];
	memset(p, 0, sizeof(*p));
	if (st != NULL && ((fl & OLD_DIR) != 0 || S_ISREG(st->st_mode))) {
		p->dev = (unsigned long long)st->st_dev;
		p->ino = (unsigned long long)st->st_ino;
		p->mt = nsec(&st->st_mtim);
		p->ct = nsec(&st->st_ctim);
	}
	if (st != NULL && (fl & OLD_DIR) == 0 && S_ISREG(st->st_mode)) {
		p->size = (unsigned long long)st->st_size;
		p->nlink = (unsigned long long)st->st_nlink;
		p->mode = (unsigned)(st->st_mode & 07777);
	}
	o->old[o->nold++] = xstrdup(path);
}

/* Index the spare's names by path, for old_at. */
static void
index_old(struct out *o)
{
	size_t	i, k;

	if (o->nold == 0)
		return;
	for (o->oldtabcap = 1024; o->oldtabcap < o->nold * 2;
	    o->oldtabcap *= 2)
		;
	o->oldtab = xcalloc(o->oldtabcap, sizeof(*o->oldtab));
	for (i = 0; i < o->nold; i++) {
		for (k = hash(o->old[i]) & (o->oldtabcap - 1); o->oldtab[k];
		    k = (k + 1) & (o->oldtabcap - 1))
			;
		o->oldtab[k] = i + 1;
	}
}

/* The index of the spare's name path (len bytes of it), or -1. */
static size_t
old_at(const struct out *o, const char *path, size_t len)
{
	size_t	k, i;

	if (o->oldtabcap == 0)
		return (size_t)-1;
	for (k = hashn(path, len) & (o->oldtabcap - 1); (i = o->oldtab[k]) != 0;
	    k = (k + 1) & (o->oldtabcap - 1))
		if (strncmp(o->old[i - 1], path, len) == 0 &&
		    o->old[i - 1][len] == '\0')
			return i - 1;
	return (size_t)-1;
}

/*
 * The spare's file at path as the scanner found it, or NULL.  A file
 * of the spare changes after that only when the build writes or
 * removes a name of it: at a path then claimed (so not kept too), or
 * a second link of the same file, which leaves its bytes as they were
 * (only its links and change time differ, and a manifest recording
 * them as they were makes the next build render that page again).
 */
static const struct out_prev *
old_st(const struct out *o, const char *path)
{
	size_t	i = old_at(o, path, strlen(path));

	return i != (size_t)-1 && (o->oldfl[i] & OLD_DIR) == 0 &&
	    o->oldst[i].dev != 0 ? &o->oldst[i] : NULL;
}

/*
 * Mark the folders above path (the first len bytes of it) changed by
 * this build, up to one marked already (those above it are too).
 */
static void
touch_above(struct out *o, const char *path, size_t len)
{
	size_t	i;

	while (len > 0 && path[--len] != '/')
		;
	for (; len > 0; ) {
		if ((i = old_at(o, path, len)) != (size_t)-1) {
			if (o->oldfl[i] & OLD_TOUCHED)
				return;
			o->oldfl[i] |= OLD_TOUCHED;
		}
		while (len > 0 && path[--len] != '/')
			;
	}
}

/* Remove a file or folder tree at path; absent is no error.  0 or -1. */
static int
clear_at(const char *path)
{
	struct stat	st;

	/* ENOTDIR: a folder above it is a file now, so it is gone too. */
	if (lstat(path, &st) == -1)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	if (S_ISDIR(st.st_mode))
		return out_remove(path);
	return unlink(path) == -1 && errno != ENOENT ? -1 : 0;
}

/*
 * Go through the folder fd of a spare, at rel in the stage: note its
 * files and folders, give each folder the mode a new one would get
 * (the staging folder itself HIDDEN),
 * and remove anything else (links, pipes, devices) and folders nested
 * too deep.  Closes fd.  0, or -1 when the spare cannot be used.
 */
static int
scan(struct out *o, int fd, struct buf *rel, int depth)
{
	struct dirent64	*de;
	struct stat	 st;
	struct buf	 full;
	size_t		 len = rel->len;
	mode_t		 want = depth == 0 ? HIDDEN : o->dmode;
	ssize_t		 got, at;
	char		*names;
	int		 sub, rc = 0, type;

	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    st.st_dev != o->dev || ((st.st_mode & 07777) != want &&
	    fchmod(fd, want) == -1)) {
		close(fd);
		return -1;
	}
	/*
	 * The names straight from getdents64: opendir() would stat the
	 * folder again and ask for its flags twice, three more calls
	 * into the kernel for each of a site's ten thousand folders.
	 */
	names = xmalloc(SCAN_BUF);
	buf_init(&full);
	while (rc == 0 && (got = getdents64(fd, names, SCAN_BUF)) > 0)
	    for (at = 0; rc == 0 && at < got; at += de->d_reclen) {
		de = (struct dirent64 *)(void *)(names + at);
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		type = de->d_type;
		if (type == DT_UNKNOWN) {
			if (fstatat(fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == -1) {
				rc = -1;
				break;
			}
			type = S_ISDIR(st.st_mode) ? DT_DIR :
			    S_ISREG(st.st_mode) ? DT_REG : DT_UNKNOWN;
		}
		buf_truncate(rel, len);
		if (len > 0)
			buf_putc(rel, '/');
		buf_puts(rel, de->d_name);
		if (type == DT_REG) {
			/* Its state, for out_keep: relative, one name. */
			note_old(o, rel->data, fstatat(fd, de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 ? &st : NULL, 0);
		} else if (type == DT_DIR && depth < MAX_DEPTH) {
			note_old(o, rel->data, NULL, OLD_DIR);
			if ((sub = openat(fd, de->d_name, O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) == -1 ||
			    scan(o, sub, rel, depth + 1) == -1)
				rc = -1;
		} else {
			/* Never part of a site: gone before anything is written. */
			buf_reset(&full);
			buf_printf(&full, "%s/%s", o->stage, rel->data);
			if (clear_at(full.data) == -1)
				rc = -1;
		}
	    }
	if (got < 0)
		rc = -1;
	buf_truncate(rel, len);
	buf_free(&full);
	free(names);
	close(fd);
	return rc;
}

static void
free_old(struct out *o)
{
	size_t	i;

	for (i = 0; i < o->nold; i++)
		free(o->old[i]);
	free(o->old);
	free(o->oldst);
	free(o->oldfl);
	free(o->oldtab);
	o->old = NULL;
	o->oldst = NULL;
	o->oldfl = NULL;
	o->oldtab = NULL;
	o->nold = o->oldcap = o->oldtabcap = 0;
}

/*
 * Take the spare as the staging folder, when there is one that is
 * ours; it is gone through in a thread (scanner) while the build goes
 * on, and every call that touches the staging folder waits for that
 * (ready).  false when there is none (then the staging folder does not
 * exist).
 */
static bool
take_spare(struct out *o)
{
	struct stat	st;

	if (lstat(o->spare, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    !marked(o->spare) || rename(o->spare, o->stage) == -1)
		return false;
	if (lstat(o->stage, &st) == -1 || !S_ISDIR(st.st_mode)) {
		out_remove(o->stage);
		return false;
	}
	o->dev = st.st_dev;
	o->ino = st.st_ino;
	o->inplace = true;
	return true;
}

/* Write our marker file into the staging folder, anew; 0 or -1. */
static int
put_marker(struct out *o)
{
	struct buf	full;
	int		fd, rc = -1;

	buf_init(&full);
	buf_printf(&full, "%s/" MARKER, o->stage);
	if (clear_at(full.data) == 0 && (fd = open(full.data, O_WRONLY |
	    O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644)) != -1) {
		rc = write(fd, "icpgen\n", 7) == 7 ? 0 : -1;
		if (close(fd) == -1)
			rc = -1;
	}
	buf_free(&full);
	if (rc == 0) {
		pthread_mutex_lock(&o->lock);
		o->files++;
		o->bytes += 7;
		pthread_mutex_unlock(&o->lock);
	}
	return rc;
}

/* What listed() knows of a folder of the listing. */
enum { F_NONE, F_TRUSTED, F_READ };

/* The index of the listing's folder path (len bytes) in tab, or -1. */
static size_t
folder_at(const struct out_listing *l, const size_t *tab, size_t cap,
    const char *path, size_t len)
{
	size_t	k, i;

	for (k = hashn(path, len) & (cap - 1); (i = tab[k]) != 0;
	    k = (k + 1) & (cap - 1))
		if (strncmp(l->v[i - 1].path, path, len) == 0 &&
		    l->v[i - 1].path[len] == '\0')
			return i - 1;
	return (size_t)-1;
}

/*
 * Note the spare's names from the listing o->list gives, rather than
 * reading every folder: a folder still as listed (the same inode,
 * modification and change time: any name added, removed or renamed in
 * it changes both) holds what was listed in it, when the folder above
 * it does too.  One stat a name, where reading a folder takes five
 * calls into the kernel.  A folder changed since is read whole (scan);
 * files are stated all the same (old_st).  fd is the staging folder,
 * left open.  0, or -1 when the listing cannot be used (nothing noted).
 */
static int
listed(struct out *o, int fd)
{
	struct out_listing l;
	struct out_entry *e;
	struct stat	 st;
	struct buf	 rel;
	unsigned char	*state = NULL;
	size_t		*tab = NULL, cap, i, k, j, depth;
	const char	*slash, *p;
	int		 sub, rc = -1;

	memset(&l, 0, sizeof(l));
	buf_init(&rel);
	if (o->list == NULL || !o->list(o->listarg, &l))
		goto out;
	/* The root: its change time is the rename's that made it the spare. */
	if (fstat(fd, &st) == -1 || !S_ISDIR(st.st_mode) ||
	    st.st_dev != o->dev || (unsigned long long)st.st_dev != l.dev ||
	    (unsigned long long)st.st_ino != l.ino ||
	    nsec(&st.st_mtim) != l.mt ||
	    ((st.st_mode & 07777) != HIDDEN && fchmod(fd, HIDDEN) == -1))
		goto out;
	for (cap = 1024; cap < l.n * 2; cap *= 2)
		;
	tab = xcalloc(cap, sizeof(*tab));
	old_room(o, l.n);
	state = xcalloc(l.n + 1, 1);
	for (i = 0; i < l.n; i++) {
		if (i > 0 && strcmp(l.v[i - 1].path, l.v[i].path) >= 0)
			goto out;	/* not sorted: not ours */
		if (!l.v[i].dir)
			continue;
		for (k = hash(l.v[i].path) & (cap - 1); tab[k] != 0;
		    k = (k + 1) & (cap - 1))
			;
		tab[k] = i + 1;
	}
	for (i = 0; i < l.n; i++) {
		e = &l.v[i];
		for (depth = 0, p = e->path; (p = strchr(p, '/')) != NULL; p++)
			depth++;
		if (depth >= MAX_DEPTH)
			goto out;
		/* Only in a folder still as listed is the name known. */
		if ((slash = strrchr(e->path, '/')) != NULL) {
			if ((j = folder_at(&l, tab, cap, e->path,
			    (size_t)(slash - e->path))) == (size_t)-1)
				goto out;
			if (state[j] != F_TRUSTED) {
				state[i] = F_READ;	/* or under one read */
				continue;
			}
		}
		/* A name listed in such a folder is there, of its kind. */
		if (fstatat(fd, e->path, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    (e->dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode)))
			goto out;
		if (!e->dir) {
			note_old(o, e->path, &st, 0);
			continue;
		}
		if (st.st_dev != o->dev)
			goto out;	/* another file system mounted there */
		if ((unsigned long long)st.st_ino == e->ino &&
		    nsec(&st.st_mtim) == e->mt && nsec(&st.st_ctim) == e->ct &&
		    (st.st_mode & 07777) == o->dmode) {
			note_old(o, e->path, &st, OLD_DIR | OLD_LISTED);
			state[i] = F_TRUSTED;
			continue;
		}
		note_old(o, e->path, NULL, OLD_DIR);
		state[i] = F_READ;
		buf_reset(&rel);
		buf_puts(&rel, e->path);
		if ((sub = openat(fd, e->path, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1 ||
		    scan(o, sub, &rel, (int)depth + 1) == -1)
			goto out;
	}
	rc = 0;
out:
	if (rc == -1)
		free_old(o);
	out_entries_free(l.v, l.n);
	free(tab);
	free(state);
	buf_free(&rel);
	return rc;
}

/*
 * The scanner: go through the spare taken as the staging folder.  When
 * it cannot be used, a new empty staging folder takes its place; when
 * that cannot be made, scanerr says why.
 */
static void *
scanner(void *arg)
{
	struct out	*o = arg;
	struct stat	 st;
	struct buf	 rel;
	size_t		 i, n;
	int		 fd;
	bool		 ok;

	buf_init(&rel);
	if ((fd = open(o->stage, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1)
		ok = false;
	else if (listed(o, fd) == 0) {
		close(fd);
		ok = true;
	} else
		ok = scan(o, fd, &rel, 0) == 0;
	buf_free(&rel);
	if (ok) {
		index_old(o);
		for (n = 0, i = 0; i < o->nold; i++)
			n += (o->oldfl[i] & OLD_DIR) == 0;
		pthread_mutex_lock(&o->lock);
		o->expect = n;
		pthread_mutex_unlock(&o->lock);
	} else {
		free_old(o);
		o->inplace = false;
		out_remove(o->stage);
		if (mkdir(o->stage, HIDDEN) == -1 ||
		    stat(o->stage, &st) == -1) {
			o->scanerr = errno ? errno : EIO;
			return NULL;
		}
		o->dev = st.st_dev;
		o->ino = st.st_ino;
	}
	if (put_marker(o) == -1)
		o->scanerr = errno ? errno : EIO;
	return NULL;
}

/*
 * Wait for the scanner, if it runs; 0, or -1 when there is no staging
 * folder (reported once, to d when it is not NULL).
 */
static int
ready(struct out *o, struct diags *d)
{
	if (atomic_load(&o->scanning)) {
		pthread_mutex_lock(&o->scanlock);
		if (atomic_load(&o->scanning)) {
			pthread_join(o->scanner, NULL);
			atomic_store(&o->scanning, false);
		}
		pthread_mutex_unlock(&o->scanlock);
	}
	if (o->scanerr == 0)
		return 0;
	if (d != NULL && !atomic_exchange(&o->reported, true))
		diag_error(d, NULL, 0, 0, "cannot create the output folder "
		    "beside '%s': %s (check that the folder exists and is "
		    "writable)", o->dest, strerror(o->scanerr));
	return -1;
}

/*
 * Keep the folder at the staging path (the site just replaced, or a
 * failed build's stage) as the next build's spare; else remove it.
 */
static void
keep_spare(struct out *o)
{
	if (o->spare == NULL || !marked(o->stage) ||
	    chmod(o->stage, HIDDEN) == -1 || rename(o->stage, o->spare) == -1)
		out_remove(o->stage);
}

static int	take_path(struct out *, const char *, const char *,
		    struct diags *);

/* Is dir absent, empty, or a site we wrote before? */
static int
ours(const char *dir)
{
	DIR		*d;
	struct dirent	*de;
	struct buf	 m;
	int		 empty = 1, marked;

	if ((d = opendir(dir)) == NULL)
		return errno == ENOENT;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0) {
			empty = 0;
			break;
		}
	closedir(d);
	buf_init(&m);
	buf_printf(&m, "%s/" MARKER, dir);
	marked = access(m.data, F_OK) == 0;
	buf_free(&m);
	return empty || marked;
}

struct out *
out_begin(const char *dir, struct diags *d)
{
	return out_begin_listed(dir, NULL, NULL, d);
}

struct out *
out_begin_listed(const char *dir, bool (*list)(void *, struct out_listing *),
    void *listarg, struct diags *d)
{
	struct out	*o;
	struct buf	 b;
	char		*copy, *slash;
	const char	*parent, *base;
	size_t		 n = strlen(dir);
	struct stat	 st;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	copy = xstrndup(dir, n);
	if (strcmp(copy, "/") == 0 || strcmp(copy, ".") == 0 ||
	    strcmp(copy, "..") == 0) {
		diag_error(d, NULL, 0, 0, "refusing to write the site to "
		    "'%s' (name a folder of its own, e.g. --out public)", dir);
		free(copy);
		return NULL;
	}
	if (stat(copy, &st) == 0 && !S_ISDIR(st.st_mode)) {
		diag_error(d, NULL, 0, 0, "output '%s' exists and is not a "
		    "folder (choose another --out)", dir);
		free(copy);
		return NULL;
	}
	if (stat(copy, &st) == -1 && errno != ENOENT) {
		diag_error(d, NULL, 0, 0, "cannot use output folder '%s': %s "
		    "(choose another --out)", dir, strerror(errno));
		free(copy);
		return NULL;
	}
	if (!ours(copy)) {
		diag_error(d, NULL, 0, 0, "output folder '%s' is not empty "
		    "and was not written by icpgen (empty it or choose "
		    "another --out)", dir);
		free(copy);
		return NULL;
	}
	if ((slash = strrchr(copy, '/')) != NULL) {
		*slash = '\0';
		parent = *copy ? copy : "/";
		base = slash + 1;
	} else {
		parent = ".";
		base = copy;
	}
	clean_stale(parent, base);
	o = xcalloc(1, sizeof(*o));
	o->list = list;
	o->listarg = listarg;
	pthread_mutex_init(&o->lock, NULL);
	pthread_mutex_init(&o->scanlock, NULL);
	o->fmode = umask(022);
	umask(o->fmode);
	o->dmode = 0755 & ~o->fmode;
	o->fmode = 0644 & ~o->fmode;
	o->dest = xstrndup(dir, n);
	o->destfd = open(o->dest, O_PATH | O_DIRECTORY | O_CLOEXEC);
	buf_init(&b);
	buf_printf(&b, "%s/.%s.new-%ld", parent, base, (long)getpid());
	o->stage = buf_detach(&b);
	buf_printf(&b, "%s/.%s" SPARE, parent, base);
	o->spare = buf_detach(&b);
	buf_free(&b);
	free(copy);
	out_remove(o->stage);
	if (take_spare(o)) {
		/* The marker is the scanner's to write. */
		if (take_path(o, MARKER, NULL, d) == -1) {
			out_abort(o);
			return NULL;
		}
		atomic_store(&o->scanning, true);
		if (pthread_create(&o->scanner, NULL, scanner, o) != 0) {
			atomic_store(&o->scanning, false);
			scanner(o);
		}
		return o;
	}
	if (mkdir(o->stage, HIDDEN) == -1) {
		diag_error(d, NULL, 0, 0, "cannot create the output folder "
		    "beside '%s': %s (check that the folder exists and is "
		    "writable)", dir, strerror(errno));
		out_abort(o);
		return NULL;
	}
	if (stat(o->stage, &st) == 0) {
		o->dev = st.st_dev;
		o->ino = st.st_ino;
	} else if (o->destfd != -1) {
		close(o->destfd);
		o->destfd = -1;
	}
	/* A new file, never a link to the site's (see out_dry). */
	if (take_path(o, MARKER, NULL, d) == -1) {
		out_abort(o);
		return NULL;
	}
	if (put_marker(o) == -1) {
		diag_error(d, NULL, 0, 0, "cannot write in the output folder "
		    "beside '%s': %s (check that it is writable)", dir,
		    strerror(errno));
		out_abort(o);
		return NULL;
	}
	return o;
}

/*
 * Make the parent folders of path (inside the staging folder): the
 * nearest first, and those above it only when it has none, so that a
 * page's folder costs one mkdir, not one per level.
 */
static int
mkparents(char *path)
{
	char	*slash = strrchr(path, '/');
	int	 rc = 0;

	if (slash == NULL || slash == path)
		return 0;
	*slash = '\0';
	if (mkdir(path, 0755) == -1 && errno != EEXIST &&
	    (errno != ENOENT || mkparents(path) == -1 ||
	    (mkdir(path, 0755) == -1 && errno != EEXIST)))
		rc = -1;
	*slash = '/';
	return rc;
}

/*
 * In a new staging folder, make the folder of full (a staging path)
 * before the file, unless this build has made it or written into it:
 * a fresh site's pages each have a folder of their own, and opening
 * the file first failed for nearly every page (12,207 of the 35,199
 * opens of a cold 10,000-page build).  Where it fails all the same,
 * make_way makes it.
 */
/* The slot of folder hash h in dirs (cap > 0): its own, or the free one. */
static size_t
dir_slot(const size_t *dirs, size_t cap, size_t h)
{
	size_t	i;

	for (i = h & (cap - 1); dirs[i] != 0 && dirs[i] != h;
	    i = (i + 1) & (cap - 1))
		;
	return i;
}

static void
parent_first(struct out *o, char *full)
{
	char	*slash = strrchr(full, '/');
	size_t	 h, j, oldcap, *old;
	bool	 known;

	if (o->inplace || slash == NULL)
		return;
	h = hashn(full, (size_t)(slash - full));
	h += h == 0;
	pthread_mutex_lock(&o->lock);
	known = o->dircap > 0 && o->dirs[dir_slot(o->dirs, o->dircap, h)] == h;
	pthread_mutex_unlock(&o->lock);
	if (known || mkparents(full) == -1)
		return;
	pthread_mutex_lock(&o->lock);
	if (o->ndirs * 2 >= o->dircap) {
		old = o->dirs;
		oldcap = o->dircap;
		o->dircap = oldcap ? oldcap * 2 : 1024;
		o->dirs = xcalloc(o->dircap, sizeof(*o->dirs));
		for (j = 0; j < oldcap; j++)
			if (old[j] != 0)
				o->dirs[dir_slot(o->dirs, o->dircap, old[j])] =
				    old[j];
		free(old);
	}
	j = dir_slot(o->dirs, o->dircap, h);
	if (o->dirs[j] == 0) {
		o->dirs[j] = h;
		o->ndirs++;
	}
	pthread_mutex_unlock(&o->lock);
}

/*
 * Has the new site claimed rel (a path in it), or, with below, a path
 * inside the folder rel?  Compared as claims are, without regard to
 * case.  Caller holds o->lock.
 */
static bool
claimed(const struct out *o, const char *rel, bool below)
{
	char	*key;
	size_t	 i, len = strlen(rel);
	bool	 yes = false;

	if (o->claimcap == 0)
		return false;
	key = lower_key(rel);
	if (!below)
		yes = slot(o->claims, o->claimcap, key)->key != NULL;
	for (i = 0; below && !yes && i < o->claimcap; i++)
		yes = o->claims[i].key != NULL &&
		    strncmp(o->claims[i].key, key, len) == 0 &&
		    o->claims[i].key[len] == '/';
	free(key);
	return yes;
}

/*
 * In a stage made from a spare, make way for the folders of full (the
 * staging path of a file): a file where one of them must be is
 * removed, and the folders made.  A file the new site has is never
 * removed (two of its paths collide: an error, as in an empty
 * folder).  0 or -1.
 */
static int
clear_parents(struct out *o, char *full)
{
	struct stat	 st;
	char		*p = full + strlen(o->stage) + 1, *rel = p, *slash;
	int		 rc = 0;

	while (rc == 0 && (slash = strchr(p, '/')) != NULL) {
		*slash = '\0';
		pthread_mutex_lock(&o->lock);
		if (lstat(full, &st) == 0 && !S_ISDIR(st.st_mode)) {
			if (claimed(o, rel, false)) {
				errno = ENOTDIR;
				rc = -1;
			} else if (unlink(full) == -1 && errno != ENOENT)
				rc = -1;
		}
		pthread_mutex_unlock(&o->lock);
		*slash = '/';
		p = slash + 1;
	}
	return rc == 0 ? mkparents(full) : -1;
}

/*
 * After an attempt to make full failed with errno: make way for it (in
 * a stage made from a spare, what stands at full or in place of one of
 * its folders is removed, unless the new site has a path there or
 * below).  0 to try again, -1 when there is no way.
 */
static int
make_way(struct out *o, char *full)
{
	struct stat	st;
	int		e = errno, rc = -1;

	if (e == ENOENT)
		rc = mkparents(full);
	else if (o->inplace && e == EEXIST) {
		/* Held while removing, so no path is claimed there meanwhile. */
		pthread_mutex_lock(&o->lock);
		if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode) &&
		    claimed(o, full + strlen(o->stage) + 1, true))
			errno = EISDIR;
		else
			rc = clear_at(full);
		pthread_mutex_unlock(&o->lock);
	} else if (o->inplace && e == ENOTDIR)
		rc = clear_parents(o, full);
	return rc;
}

/* Is full (in a stage made from a spare) already the file st? */
static bool
already(const struct out *o, const char *full, const struct stat *st)
{
	struct stat	nst;

	return o->inplace && lstat(full, &nst) == 0 &&
	    nst.st_ino == st->st_ino && nst.st_dev == st->st_dev;
}

/*
 * Does the file at fd hold exactly data?  The end is compared first:
 * pages differ most often in their footers (the commit built).
 */
static int
same_bytes(int fd, const char *data, size_t len)
{
	char		 b[65536];
	size_t		 at = 0, k;
	ssize_t		 r;

	if (len > 0) {
		k = len < 4096 ? len : 4096;
		if (pread(fd, b, k, (off_t)(len - k)) != (ssize_t)k ||
		    memcmp(b, data + len - k, k) != 0)
			return 0;
	}
	while (at < len) {
		k = len - at < sizeof(b) ? len - at : sizeof(b);
		if ((r = pread(fd, b, k, (off_t)at)) <= 0 ||
		    memcmp(b, data + at, (size_t)r) != 0)
			return 0;
		at += (size_t)r;
	}
	return 1;
}

/* Append the rest of fd to b; 0, or -1 when it cannot be read. */
static int
append_fd(int fd, struct buf *b)
{
	char	 chunk[65536];
	ssize_t	 r;

	while ((r = read(fd, chunk, sizeof(chunk))) > 0)
		buf_put(b, chunk, (size_t)r);
	return r == 0 ? 0 : -1;
}

/* Could path lead out of the output folder? */
static bool
outside(const char *path)
{
	return path[0] == '/' || strstr(path, "..") != NULL;
}

/* Claim path for source, to be written; -1 reported. */
static int
take_path(struct out *o, const char *path, const char *source,
    struct diags *d)
{
	size_t	n = strlen(path), k = sizeof(BESIDE) - 1;
	int	rc;

	if (outside(path)) {
		diag_error(d, path, 0, 0, "refusing to write outside the "
		    "output folder");
		return -1;
	}
	if (n > k && strcmp(path + n - k, BESIDE) == 0) {
		diag_error(d, source != NULL ? source : path, 0, 0, "cannot "
		    "publish '%s': names ending in '" BESIDE "' are icpgen's "
		    "own, for files being written (rename it)", path);
		return -1;
	}
	pthread_mutex_lock(&o->lock);
	rc = claim(o, path, source, d) != NULL ? 0 : -1;
	pthread_mutex_unlock(&o->lock);
	return rc;
}

/* Link the replaced site's file at path into the staging folder. */
static int
link_old(struct out *o, const char *path, char *full, dev_t dev, ino_t ino)
{
	struct stat	nst;
	int		tries = 0;

	parent_first(o, full);
	while (linkat(o->destfd, path, AT_FDCWD, full, 0) == -1)
		if (++tries == 4 || make_way(o, full) == -1)
			return -1;
	/* The name could have been replaced since it was looked at. */
	if (lstat(full, &nst) == -1 || nst.st_ino != ino ||
	    nst.st_dev != dev) {
		unlink(full);
		return -1;
	}
	return 0;
}

static long long
nsec(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* The claim of path (caller holds o->lock), or NULL. */
static struct claim *
find_claim(const struct out *o, const char *path)
{
	struct claim	*c;
	char		*key;

	if (o->claimcap == 0)
		return NULL;
	key = lower_key(path);
	c = slot(o->claims, o->claimcap, key);
	free(key);
	return c->key != NULL ? c : NULL;
}

/*
 * Link the replaced site's file from (the file st) at claim c, when the
 * site is published (link_now, from out_commit), not now: a link
 * changes the file's link count and change time, which its manifest
 * recorded, so a build that fails later would leave the site in place
 * looking edited, and the next build would render every page again.
 * Caller holds o->lock.
 */
static void
link_later(struct claim *c, const char *from, const struct stat *st)
{
	free(c->from);
	c->from = xstrdup(from);
	if (c->from_st == NULL)
		c->from_st = xmalloc(sizeof(*c->from_st));
	*c->from_st = *st;
}

/*
 * Is st still the file was: inode, size, mode, modification time?  Not
 * its links and change time, which a link made by link_now changes when
 * the file is to be linked at two paths (a search result fragment kept
 * at a new number, and written again at its old one).
 */
static bool
unchanged(const struct stat *st, const struct stat *was)
{
	return st->st_dev == was->st_dev && st->st_ino == was->st_ino &&
	    st->st_size == was->st_size && st->st_mode == was->st_mode &&
	    nsec(&st->st_mtim) == nsec(&was->st_mtim);
}

/*
 * Make the links link_later put off, each of a file still as it was
 * when it was kept or found to hold the same bytes; 0, or -1 reported.
 */
static int
link_now(struct out *o, struct diags *d)
{
	struct buf	 full;
	struct stat	 st;
	size_t		 i;
	int		 rc = 0;

	buf_init(&full);
	for (i = 0; i < o->claimcap && rc == 0; i++) {
		struct claim *c = &o->claims[i];

		if (c->key == NULL || c->from == NULL)
			continue;
		buf_reset(&full);
		buf_printf(&full, "%s/%s", o->stage, c->path);
		errno = 0;
		if (fstatat(o->destfd, c->from, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 || !unchanged(&st, c->from_st) ||
		    link_old(o, c->from, full.data, c->from_st->st_dev,
		    c->from_st->st_ino) == -1) {
			diag_error(d, NULL, 0, 0, "cannot link '%s' from the "
			    "site replaced into the site being made: %s (is "
			    "something else changing the output folder?)",
			    c->path, errno ? strerror(errno) : "it changed");
			rc = -1;
		}
	}
	buf_free(&full);
	return rc;
}

/* Open the replaced site's file at path, never through a link. */
static int
open_old(struct out *o, const char *path)
{
	struct open_how	how;

	if (o->destfd == -1)
		return -1;
	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
	    RESOLVE_NO_MAGICLINKS;
	return (int)syscall(SYS_openat2, o->destfd, path, &how, sizeof(how));
}

/*
 * Link full (the staging path of path) to the replaced site's file at
 * path when that holds the same bytes, with the mode a new file would
 * get and no other link (a copy made with cp -l must not share the new
 * site's files).  Paths that pass through a symbolic link are not
 * used.  Returns 0 when linked; otherwise the caller writes the file.
 */
static int
link_same(struct out *o, const char *path, char *full, const void *data,
    size_t len)
{
	struct stat	 st;
	struct claim	*c;
	int		 fd, rc = -1;
	bool		 shared;

	if ((fd = open_old(o, path)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (st.st_mode & 07777) == o->fmode && st.st_dev == o->dev &&
	    st.st_size == (off_t)len) {
		/* Its only other link may be the spare's, at the same path. */
		shared = already(o, full, &st);
		if (st.st_nlink == (shared ? 2 : 1) &&
		    same_bytes(fd, data, len)) {
			rc = 0;
			if (!shared) {
				pthread_mutex_lock(&o->lock);
				if ((c = find_claim(o, path)) != NULL)
					link_later(c, path, &st);
				else
					rc = -1;
				pthread_mutex_unlock(&o->lock);
			}
		}
	}
	close(fd);
	return rc;
}

/* Is ps, a file of the spare as the scanner found it, the file prev is? */
static bool
same_prev(const struct out *o, const struct out_prev *ps,
    const struct out_prev *prev)
{
	return ps->dev == (unsigned long long)o->dev && ps->dev == prev->dev &&
	    ps->ino == prev->ino && ps->size == prev->size &&
	    ps->nlink == prev->nlink && ps->mode == prev->mode &&
	    ps->mode == (unsigned)o->fmode && ps->mt == prev->mt &&
	    ps->ct == prev->ct;
}

/* Is st the file prev recorded: a regular file, unchanged since? */
static bool
is_prev(const struct out *o, const struct stat *st,
    const struct out_prev *prev)
{
	return S_ISREG(st->st_mode) && st->st_nlink == prev->nlink &&
	    st->st_dev == o->dev &&
	    (unsigned long long)st->st_dev == prev->dev &&
	    (unsigned long long)st->st_ino == prev->ino &&
	    (unsigned long long)st->st_size == prev->size &&
	    (unsigned)(st->st_mode & 07777) == prev->mode &&
	    (st->st_mode & 07777) == o->fmode &&
	    nsec(&st->st_mtim) == prev->mt && nsec(&st->st_ctim) == prev->ct;
}

int
out_keep(struct out *o, const char *from, const char *path,
    const char *source, const struct out_prev *prev, struct buf *bytes,
    struct diags *d)
{
	struct stat	 st;
	struct buf	 full;
	struct claim	*c;
	const struct out_prev *ps;
	size_t		 start = 0, size;
	int		 fd, rc = 0;
	bool		 later;

	if (from == NULL)
		from = path;
	if (atomic_load(&o->dry))
		return 0;
	if (ready(o, NULL) == -1 || outside(path) || outside(from) ||
	    o->destfd == -1)
		return 0;	/* written as usual: any error said then */
	buf_init(&full);
	/*
	 * Without its bytes, one stat: a file that matches prev in all
	 * of inode, device, links and times is the very file recorded,
	 * however the path to it led (and link_old checks what it links,
	 * when the site is published).  In a stage made from the spare,
	 * that file is most often at its place already, shared with the
	 * site replaced:
	 * then the scanner's stat of that name is the only one.  fd is -2:
	 * stated, nothing open.
	 */
	if (bytes == NULL && o->inplace && (ps = old_st(o, path)) != NULL &&
	    same_prev(o, ps, prev))
		fd = -3;	/* and in place */
	else if (bytes == NULL)
		fd = fstatat(o->destfd, from, &st, AT_SYMLINK_NOFOLLOW) == 0 ?
		    -2 : -1;
	else if ((fd = open_old(o, from)) != -1 && fstat(fd, &st) == -1) {
		close(fd);
		fd = -1;
	}
	if (fd == -1 || (fd != -3 && !is_prev(o, &st, prev)))
		goto out;	/* written as usual */
	size = fd == -3 ? (size_t)prev->size : (size_t)st.st_size;
	if (bytes != NULL) {
		start = bytes->len;
		buf_grow(bytes, (size_t)st.st_size + 1);
		if (append_fd(fd, bytes) == -1 ||
		    bytes->len - start != (size_t)st.st_size) {
			buf_truncate(bytes, start);
			goto out;
		}
	}
	if (fd != -3)
		buf_printf(&full, "%s/%s", o->stage, path);
	later = fd != -3 && !already(o, full.data, &st);
	pthread_mutex_lock(&o->lock);
	if ((c = claim(o, path, source, d)) == NULL) {
		pthread_mutex_unlock(&o->lock);
		if (bytes != NULL)
			buf_truncate(bytes, start);
		rc = -1;
		goto out;
	}
	if (later)
		link_later(c, from, &st);
	/*
	 * In place, it is what prev says now (is_prev), and after the
	 * swap too: out_list gives that, and the manifest need not stat
	 * it again.
	 */
	if (fd == -3)
		c->st = *prev;
	o->files++;
	o->linked++;
	o->bytes += size;
	pthread_mutex_unlock(&o->lock);
	rc = 1;
out:
	buf_free(&full);
	if (fd >= 0)
		close(fd);
	return rc;
}

int
out_staged(struct out *o, const char *path, struct buf *bytes)
{
	struct buf	 full;
	struct claim	*c;
	struct stat	 st, was;
	char		*from = NULL, *tmp = NULL;
	int		 fd, rc;

	if (outside(path))
		return -1;
	/* A file to be linked when published: read where it is now. */
	pthread_mutex_lock(&o->lock);
	if ((c = find_claim(o, path)) != NULL && c->from != NULL) {
		from = xstrdup(c->from);
		was = *c->from_st;
	} else if (c != NULL && c->tmp != NULL)
		tmp = xstrdup(c->tmp);
	pthread_mutex_unlock(&o->lock);
	if (tmp != NULL) {
		fd = open(tmp, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		free(tmp);
	} else if (from != NULL) {
		fd = open_old(o, from);
		free(from);
		if (fd != -1 && (fstat(fd, &st) == -1 || !unchanged(&st, &was))) {
			close(fd);
			fd = -1;
		}
	} else {
		buf_init(&full);
		buf_printf(&full, "%s/%s", o->stage, path);
		fd = open(full.data, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		buf_free(&full);
	}
	if (fd == -1)
		return -1;
	rc = append_fd(fd, bytes);
	close(fd);
	return rc;
}

/*
 * In a stage made from the spare, the spare's file at full opened to be
 * written over when it is a regular file of ours with no other link:
 * not the live site's too, nor anything else's.  Replacing it with a
 * new file instead frees an inode and its blocks and allocates others,
 * and a nightly build, which changes every page, did that for each.
 * finish() cuts what is left of the old bytes.  -1 when there is no
 * such file (then a new one is made).
 */
static int
reuse(const struct out *o, const char *full)
{
	struct stat	st;
	int		fd;

	/* Never through a link; a pipe is not waited on. */
	if ((fd = open(full, O_WRONLY | O_CLOEXEC | O_NOFOLLOW |
	    O_NONBLOCK)) == -1)
		return -1;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_nlink != 1 || st.st_dev != o->dev ||
	    st.st_uid != geteuid() ||
	    ((st.st_mode & 07777) != o->fmode && fchmod(fd, o->fmode) == -1) ||
	    fcntl(fd, F_SETFL, 0) == -1) {
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * A file of the spare at full with another name may be the live site's
 * file too: removing its name now would change that file's link count
 * and change time, which the manifest records, and a build that then
 * fails would leave the site looking edited (the good commit built
 * again would render many pages).  So the new file is written beside it
 * (full + BESIDE) and renamed over it in out_commit.  The fd, or -1
 * when full is no such file (or the name beside is taken: a path of
 * the site); then it is made way for as before.  Only for the first
 * BESIDE_MAX such files: renaming costs more than the removal it puts
 * off, and one at a time when publishing (24,000 took 0.6 s here,
 * against nothing in the render threads), so a build that writes
 * most pages anew (a nightly build after a day of small ones) pays
 * only that much, and if it fails, the next build renders those pages
 * whose files it disturbed again.
 */
static int
beside(struct out *o, const char *full, const char *path)
{
	struct stat	 st;
	struct claim	*c;
	struct buf	 b, rel;
	int		 fd = -1;

	if (atomic_load(&o->nbeside) >= BESIDE_MAX ||
	    lstat(full, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_nlink < 2)
		return -1;
	buf_init(&b);
	buf_init(&rel);
	buf_printf(&b, "%s" BESIDE, full);
	buf_printf(&rel, "%s" BESIDE, path);
	pthread_mutex_lock(&o->lock);
	if (atomic_load(&o->nbeside) < BESIDE_MAX &&
	    !claimed(o, rel.data, false) &&
	    (c = find_claim(o, path)) != NULL && c->tmp == NULL) {
		/* One left by a failed build has no other name. */
		if (lstat(b.data, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_nlink == 1)
			(void)unlink(b.data);
		if ((fd = open(b.data, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC | O_NOFOLLOW, 0644)) != -1) {
			c->tmp = xstrdup(b.data);
			atomic_fetch_add(&o->nbeside, 1);
		}
	}
	pthread_mutex_unlock(&o->lock);
	buf_free(&rel);
	buf_free(&b);
	return fd;
}

/* Rename each file written beside a name over it (beside); 0 or -1. */
static int
replace_now(struct out *o, struct diags *d)
{
	size_t	i;
	char	*full, *end;

	for (i = 0; i < o->claimcap; i++) {
		struct claim *c = &o->claims[i];

		if (c->key == NULL || c->tmp == NULL)
			continue;
		full = xstrdup(c->tmp);
		end = full + strlen(full) - (sizeof(BESIDE) - 1);
		*end = '\0';
		if (rename(c->tmp, full) == -1) {
			diag_error(d, NULL, 0, 0, "cannot put '%s' in place in "
			    "the site being made: %s (is something else using "
			    "the folder?)", c->path, strerror(errno));
			free(full);
			return -1;
		}
		free(full);
		free(c->tmp);
		c->tmp = NULL;
	}
	return 0;
}

/*
 * Create full, the staging file of path, and its folders, or open the
 * spare's file there to write over (*over set); -1 reported.
 */
static int
create(struct out *o, char *full, const char *path, bool *over,
    struct diags *d)
{
	int	fd, tries = 0;

	*over = o->inplace && (fd = reuse(o, full)) != -1;
	if (*over)
		return fd;
	if (o->inplace && (fd = beside(o, full, path)) != -1)
		return fd;
	/*
	 * Else a new file, never through a link, and never into a
	 * spare's file that has another link (it may be the live site's).
	 */
	parent_first(o, full);
	while ((fd = open(full, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
	    O_NOFOLLOW, 0644)) == -1)
		if (++tries == 4 || make_way(o, full) == -1)
			break;
	if (fd == -1)
		diag_error(d, path, 0, 0, "cannot write output: %s (%s)",
		    strerror(errno), errno == EISDIR || errno == ENOTDIR ||
		    errno == EEXIST ? "another file of the site is published "
		    "at a folder above it or below it: rename one" : "check "
		    "that the output folder is writable and the disk not full");
	return fd;
}

/* Write all of data to fd, counting the bytes; -1 reported. */
static int
put_fd(struct out *o, int fd, const char *path, const char *p, size_t len,
    struct diags *d)
{
	ssize_t	w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			diag_error(d, path, 0, 0, "cannot write output: %s",
			    strerror(errno));
			return -1;
		}
		p += w;
		len -= (size_t)w;
		pthread_mutex_lock(&o->lock);
		o->bytes += (size_t)w;
		pthread_mutex_unlock(&o->lock);
	}
	return 0;
}

/* Close fd, a file written whole, and count it; 0, or -1 reported. */
static int
finish(struct out *o, int fd, const char *path, bool over,
    struct diags *d)
{
	struct stat	 st;
	struct claim	*c;
	off_t		 end;

	/* A file written over ends where this write ended. */
	if (over && ((end = lseek(fd, 0, SEEK_CUR)) == -1 ||
	    ftruncate(fd, end) == -1)) {
		diag_error(d, path, 0, 0, "cannot write output: %s",
		    strerror(errno));
		close(fd);
		return -1;
	}
	/*
	 * As it is closed, for the manifest, which would otherwise state
	 * every file again by its path.  Not one written beside its name,
	 * which the rename when publishing changes.
	 */
	if (fstat(fd, &st) == -1)
		st.st_dev = 0;
	if (close(fd) == -1) {
		diag_error(d, path, 0, 0, "cannot write output: %s",
		    strerror(errno));
		return -1;
	}
	pthread_mutex_lock(&o->lock);
	o->files++;
	if (st.st_dev != 0 && S_ISREG(st.st_mode) &&
	    (c = find_claim(o, path)) != NULL && c->tmp == NULL) {
		c->wst.dev = (unsigned long long)st.st_dev;
		c->wst.ino = (unsigned long long)st.st_ino;
		c->wst.size = (unsigned long long)st.st_size;
		c->wst.nlink = (unsigned long long)st.st_nlink;
		c->wst.mode = (unsigned)(st.st_mode & 07777);
		c->wst.mt = nsec(&st.st_mtim);
		c->wst.ct = nsec(&st.st_ctim);
	}
	pthread_mutex_unlock(&o->lock);
	return 0;
}

int
out_write(struct out *o, const char *path, const void *data, size_t len,
    struct diags *d)
{
	return out_write_from(o, path, NULL, data, len, d);
}

int
out_write_from(struct out *o, const char *path, const char *source,
    const void *data, size_t len, struct diags *d)
{
	struct buf	 full;
	const char	*p = data;
	int		 fd, rc = -1;
	bool		 over;

	if (ready(o, d) == -1 || take_path(o, path, source, d) == -1)
		return -1;
	if (atomic_load(&o->dry))
		return 0;
	buf_init(&full);
	buf_printf(&full, "%s/%s", o->stage, path);
	rc = -1;
	if (link_same(o, path, full.data, data, len) == 0) {
		pthread_mutex_lock(&o->lock);
		o->files++;
		o->linked++;
		o->bytes += len;
		pthread_mutex_unlock(&o->lock);
		rc = 0;
		goto out;
	}
	if ((fd = create(o, full.data, path, &over, d)) == -1)
		goto out;
	if (put_fd(o, fd, path, p, len, d) == -1) {
		close(fd);
		goto out;
	}
	rc = finish(o, fd, path, over, d);
out:
	buf_free(&full);
	return rc;
}

struct out_file {
	struct out	*o;
	struct diags	*d;
	char		*path;
	int		 fd;		/* -1 after an error; -2 dry */
	bool		 over;		/* the spare's file written over */
};

struct out_file *
out_open(struct out *o, const char *path, struct diags *d)
{
	struct out_file	*f;
	struct buf	 full;
	int		 fd;
	bool		 over;

	if (ready(o, d) == -1 || take_path(o, path, NULL, d) == -1)
		return NULL;
	over = false;
	if (atomic_load(&o->dry))
		fd = -2;
	else {
		buf_init(&full);
		buf_printf(&full, "%s/%s", o->stage, path);
		fd = create(o, full.data, path, &over, d);
		buf_free(&full);
		if (fd == -1)
			return NULL;
	}
	f = xcalloc(1, sizeof(*f));
	f->o = o;
	f->d = d;
	f->path = xstrdup(path);
	f->fd = fd;
	f->over = over;
	return f;
}

int
out_put(struct out_file *f, const void *data, size_t len)
{
	if (f == NULL || f->fd == -1)
		return -1;
	if (f->fd == -2)
		return 0;
	if (put_fd(f->o, f->fd, f->path, data, len, f->d) == -1) {
		close(f->fd);
		f->fd = -1;
		return -1;
	}
	return 0;
}

int
out_close(struct out_file *f)
{
	int	rc = -1;

	if (f == NULL)
		return -1;
	if (f->fd == -2)
		rc = 0;
	else if (f->fd != -1)
		rc = finish(f->o, f->fd, f->path, f->over, f->d);
	free(f->path);
	free(f);
	return rc;
}

void
out_dry(struct out *o)
{
	if (o != NULL)
		atomic_store(&o->dry, true);
}

size_t
out_files(const struct out *o)
{
	return o->files;
}

size_t
out_bytes(const struct out *o)
{
	return o->bytes;
}

size_t
out_linked(const struct out *o)
{
	return o->linked;
}

static int
strpcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
out_id(struct out *o, unsigned long long *dev, unsigned long long *ino)
{
	(void)ready(o, NULL);
	*dev = (unsigned long long)o->dev;
	*ino = (unsigned long long)o->ino;
}

static int
claimpcmp(const void *a, const void *b)
{
	return strcmp((*(const struct claim *const *)a)->path,
	    (*(const struct claim *const *)b)->path);
}

static int
inocmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

char **
out_list(const struct out *o, size_t *n, struct out_prev **kept)
{
	const struct claim **c = xcalloc(o->nclaims + 1, sizeof(*c));
	char		 **v = xcalloc(o->nclaims + 1, sizeof(*v));
	unsigned long long *linked = NULL;
	size_t		   i, k = 0, nlinked = 0;

	for (i = 0; i < o->claimcap; i++)
		if (o->claims[i].key != NULL)
			c[k++] = &o->claims[i];
	qsort(c, k, sizeof(*c), claimpcmp);
	if (kept != NULL) {
		*kept = xcalloc(k + 1, sizeof(**kept));
		/* Files to be linked when publishing change their links. */
		for (i = 0; i < k; i++)
			if (c[i]->from != NULL && c[i]->from_st != NULL) {
				linked = xreallocarray(linked, nlinked + 1,
				    sizeof(*linked));
				linked[nlinked++] =
				    (unsigned long long)c[i]->from_st->st_ino;
			}
		if (nlinked > 1)
			qsort(linked, nlinked, sizeof(*linked), inocmp);
	}
	for (i = 0; i < k; i++) {
		v[i] = xstrdup(c[i]->path);
		if (kept == NULL)
			continue;
		(*kept)[i] = c[i]->st;
		/* Written by this build: as closed, unless linked since. */
		if (c[i]->st.dev == 0 && c[i]->wst.dev != 0 &&
		    c[i]->wst.dev == (unsigned long long)o->dev &&
		    (nlinked == 0 || bsearch(&c[i]->wst.ino, linked, nlinked,
		    sizeof(*linked), inocmp) == NULL))
			(*kept)[i] = c[i]->wst;
	}
	free(linked);
	free(c);
	*n = k;
	return v;
}

/* Is dir a folder above one of the n sorted paths v? */
static bool
holds(char *const *v, size_t n, const char *dir)
{
	size_t	lo = 0, hi = n, mid, len = strlen(dir);
	int	c;

	/* The first path not before "dir/". */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strncmp(v[mid], dir, len);
		if (c < 0 || (c == 0 && (unsigned char)v[mid][len] < '/'))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strncmp(v[lo], dir, len) == 0 && v[lo][len] == '/';
}

static int
keycmp(const void *a, const void *b)
{
	return strcmp((*(struct claim *const *)a)->key,
	    (*(struct claim *const *)b)->key);
}

/* The first of the n claims byk, sorted by key, not before t. */
static size_t
first_from(struct claim *const *byk, size_t n, const char *t)
{
	size_t	lo = 0, hi = n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(byk[mid]->key, t) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Is name, a file or folder of the spare that the new site does not
 * have, another name for one it has: a path or a folder of one that
 * differs only in case, and is the same inode (a file system that
 * ignores case)?  byk: the n claims sorted by key.
 */
static bool
alias(const struct out *o, struct claim *const *byk, size_t n,
    const char *name)
{
	struct stat	 a, b;
	struct buf	 x;
	const char	*path = NULL;
	char		*key = lower_key(name), *dir;
	size_t		 i, len = strlen(name);
	bool		 same = false;

	i = first_from(byk, n, key);
	if (i < n && strcmp(byk[i]->key, key) == 0)
		path = byk[i]->path;
	else {
		dir = xreallocarray(key, len + 2, 1);
		memcpy(dir + len, "/", 2);
		key = dir;
		i = first_from(byk, n, key);
		if (i < n && strncmp(byk[i]->key, key, len + 1) == 0)
			path = byk[i]->path;	/* its first len bytes */
	}
	if (path != NULL) {
		buf_init(&x);
		buf_printf(&x, "%s/%s", o->stage, name);
		if (lstat(x.data, &a) == 0) {
			buf_reset(&x);
			buf_printf(&x, "%s/%.*s", o->stage, (int)len, path);
			same = lstat(x.data, &b) == 0 &&
			    a.st_ino == b.st_ino && a.st_dev == b.st_dev;
		}
		buf_free(&x);
	}
	free(key);
	return same;
}

/*
 * In a stage made from a spare, remove every name the spare had that
 * the new site has not (a page gone, a file renamed); 0, or -1
 * reported (the new site would show what it should not).
 */
static int
sweep(struct out *o, char *const *given, size_t ngiven, struct diags *d)
{
	struct buf	  full;
	struct claim	**byk = NULL;
	char		**mine = NULL;
	char *const	 *v = given;
	const char	 *p;
	size_t		  n = ngiven, nk = 0, i, k;
	int		  rc = 0;

	if (!o->inplace || o->nold == 0)
		return 0;
	if (v == NULL)
		v = mine = out_list(o, &n, NULL);
	buf_init(&full);
	for (i = o->nold; i-- > 0;) {	/* a folder's names before it */
		p = o->old[i];
		if (bsearch(&p, v, n, sizeof(*v), strpcmp) != NULL ||
		    holds(v, n, p))
			continue;
		if (byk == NULL) {
			byk = xcalloc(n + 1, sizeof(*byk));
			for (k = 0; k < o->claimcap; k++)
				if (o->claims[k].key != NULL)
					byk[nk++] = &o->claims[k];
			qsort(byk, nk, sizeof(*byk), keycmp);
		}
		if (alias(o, byk, nk, p))
			continue;
		buf_reset(&full);
		buf_printf(&full, "%s/%s", o->stage, p);
		o->oldfl[i] |= OLD_TOUCHED;
		touch_above(o, p, strlen(p));
		if (clear_at(full.data) == -1) {
			diag_error(d, NULL, 0, 0, "cannot remove '%s' from the "
			    "site being made: %s (is something else using "
			    "the folder?)", full.data, strerror(errno));
			rc = -1;
		}
	}
	buf_free(&full);
	free(byk);
	for (i = 0; mine != NULL && i < n; i++)
		free(mine[i]);
	free(mine);
	return rc;
}

static int
entrycmp(const void *a, const void *b)
{
	return strcmp(((const struct out_entry *)a)->path,
	    ((const struct out_entry *)b)->path);
}

/*
 * The spare's folders still as listed that this build left alone: a
 * name in them kept in place, none added or removed (a file written,
 * linked or removed marks the folders above it, touch_above), so the
 * same inode and times now, sorted by path.
 */
static void
untouched(struct out *o, struct out_entry **v, size_t *n)
{
	size_t	i, k = 0;

	for (i = 0; i < o->claimcap; i++)
		if (o->claims[i].key != NULL && o->claims[i].st.dev == 0)
			touch_above(o, o->claims[i].path,
			    strlen(o->claims[i].path));
	*v = xreallocarray(NULL, o->nold + 1, sizeof(**v));
	for (i = 0; i < o->nold; i++)
		if ((o->oldfl[i] & (OLD_DIR | OLD_LISTED | OLD_TOUCHED)) ==
		    (OLD_DIR | OLD_LISTED)) {
			(*v)[k].path = xstrdup(o->old[i]);
			(*v)[k].dir = true;
			(*v)[k].ino = o->oldst[i].ino;
			(*v)[k].mt = o->oldst[i].mt;
			(*v)[k].ct = o->oldst[i].ct;
			k++;
		}
	if (k > 1)
		qsort(*v, k, sizeof(**v), entrycmp);
	*n = k;
}

int
out_commit(struct out *o, char *const *paths, size_t n, struct diags *d)
{
	return out_publish(o, paths, n, NULL, NULL, d);
}

int
out_publish(struct out *o, char *const *paths, size_t n,
    struct out_entry **folders, size_t *nfolders, struct diags *d)
{
	struct stat	st;
	int		rc = 0;

	if (folders != NULL) {
		*folders = NULL;
		*nfolders = 0;
	}
	if (atomic_load(&o->dry)) {	/* files are missing: never seen */
		diag_error(d, NULL, 0, 0, "internal error: the site was not "
		    "written after an error, so it is not published");
		out_abort(o);
		return -1;
	}
	if (ready(o, d) == -1 || link_now(o, d) == -1 ||
	    replace_now(o, d) == -1 || sweep(o, paths, n, d) == -1) {
		out_abort(o);
		return -1;
	}
	/* What it holds now is the new site, to be seen. */
	if (chmod(o->stage, o->dmode) == -1) {
		diag_error(d, NULL, 0, 0, "cannot make '%s' readable: %s "
		    "(check who owns the folder above the output)", o->stage,
		    strerror(errno));
		out_abort(o);
		return -1;
	}
	if (folders != NULL)
		untouched(o, folders, nfolders);
	if (stat(o->dest, &st) == 0) {
		/* Readers see either the old site or the new, never neither. */
		if (renameat2(AT_FDCWD, o->stage, AT_FDCWD, o->dest,
		    RENAME_EXCHANGE) == -1) {
			diag_error(d, NULL, 0, 0, "cannot replace '%s': %s",
			    o->dest, strerror(errno));
			rc = -1;
		}
	} else if (rename(o->stage, o->dest) == -1) {
		diag_error(d, NULL, 0, 0, "cannot create '%s': %s", o->dest,
		    strerror(errno));
		rc = -1;
	}
	if (rc == -1 && folders != NULL) {
		out_entries_free(*folders, *nfolders);
		*folders = NULL;
		*nfolders = 0;
	}
	out_abort(o);	/* keeps the old site, now at the staging path */
	return rc;
}

void
out_entries_free(struct out_entry *v, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		free(v[i].path);
	free(v);
}

void
out_abort(struct out *o)
{
	size_t	i;

	if (o == NULL)
		return;
	(void)ready(o, NULL);
	if (o->destfd != -1)
		close(o->destfd);
	keep_spare(o);
	free_old(o);
	for (i = 0; i < o->claimcap; i++)
		if (o->claims[i].key != NULL) {
			free(o->claims[i].key);
			free(o->claims[i].path);
			free(o->claims[i].source);
			free(o->claims[i].from);
			free(o->claims[i].from_st);
			free(o->claims[i].tmp);
		}
	free(o->claims);
	free(o->dirs);
	free(o->stage);
	free(o->spare);
	free(o->dest);
	pthread_mutex_destroy(&o->lock);
	pthread_mutex_destroy(&o->scanlock);
	free(o);
}
