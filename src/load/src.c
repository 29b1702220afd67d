/*
 * The content source, read with libgit2.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>
#include <unistd.h>

#include <git2.h>
#include <zlib.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/par.h"
#include "util/sha256.h"
#include "util/text.h"
#include "util/tz.h"
#include "load/lfs.h"
#include "load/objmemo.h"
#include "load/rawtree.h"
#include "load/src.h"

#define SRC_MAX_FILE	(64 * 1024 * 1024)	/* refuse larger files */
#define SNAP_MAX_KEEP	(1024 * 1024)	/* --worktree: files kept, at most */
#define SRC_MAX_FILES	500000

struct entry {
	struct src_file	 pub;		/* pub.path is path */
	char		*path;
	git_oid		 oid;		/* tree mode */
	char		*data;		/* cached contents or NULL */
	size_t		 len;
	struct src_rev	*revs;		/* history, oldest first */
	size_t		 nrevs;
	struct src_rev	*all;		/* with its deletions (src_all), or
					   NULL when it was never deleted */
	size_t		 nall;
	struct src_rev	*own;		/* src_set_revisions': shown instead */
	size_t		 nown;
	git_oid		 cur;		/* blob id of the content read */
	int		 has_cur;
	unsigned char	 cid[32];	/* --worktree: SHA-256 of it */
	int		 has_cid;
	off_t		 kept;		/* src_keep: offset in the spill file */
	size_t		 keptlen;
	int		 has_kept;
	/*
	 * Where it was reported that the file could not be read (too
	 * large, damaged, a Git LFS pointer without its file), so that
	 * later reads for the same report fail without saying it again.
	 * Threads never read one file at once.
	 */
	const struct diags *told;
};

struct src {
	git_repository	*repo;
	int		 worktree;
	char		*workdir;	/* with trailing '/' */
	char		*prefix;	/* "" or "sub/dir/" */
	char		*sitedir;	/* workdir + prefix, on disk */
	char		*lfsdir;	/* git-lfs's store, with trailing '/' */
	char		 commit[GIT_OID_HEXSZ + 1];
	char		 head[GIT_OID_HEXSZ + 1];	/* --worktree: HEAD */
	int64_t		 time;
	struct entry	*files;
	size_t		 nfiles, cap;
	char		**strings;	/* commit summaries */
	size_t		 nstrings;
	pthread_mutex_t	 lock;		/* libgit2 objects per call */
	int		 spill;		/* src_keep's file, or -1 */
	_Atomic unsigned long long spillend;
	struct hsave	*hsave;		/* the history cache being saved */
	git_oid		 tree;		/* a commit's site folder ... */
	bool		 listed;	/* ... whose files are in files */
	struct src_gone	*gone;		/* files deleted, not added again */
	size_t		 ngone;
	char		*ref;		/* as given: "HEAD" when none */
};

struct src_reader {
	struct src	*s;
	git_repository	*repo;		/* this thread's own */
};

static int	verify_loose(struct src *, const char *, struct diags *);
static char	*read_disk(const char *, size_t *, struct diags *,
		    const char *);
static int	spill_open(void);
static int	isdigit_(int);
static void	watch_begin(const char *);
static void	watch_end(void);
static void	watch_tick(void);
static void	hsave_end(struct src *);
static char	*ref_name(struct src *);
static void	free_gone(struct src *);

static void
giterr(struct diags *d, const char *path, const char *what)
{
	const git_error	*e = git_error_last();

	diag_error(d, path, 0, 0, "%s: %s", what,
	    e != NULL && e->message != NULL ? e->message : "unknown error");
}

static void
add(struct src *s, const char *path, size_t size, const git_oid *oid)
{
	struct entry	*e;

	if (s->nfiles == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->files = xreallocarray(s->files, s->cap, sizeof(*s->files));
	}
	e = &s->files[s->nfiles++];
	memset(e, 0, sizeof(*e));
	e->path = xstrdup(path);
	e->pub.path = e->path;
	e->pub.size = size;
	if (oid != NULL)
		git_oid_cpy(&e->oid, oid);
}

static int
cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->pub.path,
	    ((const struct entry *)b)->pub.path);
}

struct walk {
	struct src	*s;
	git_odb		*odb;
	struct buf	 path;
	struct diags	*d;
};

/* A symbolic link at path (site-relative) in the site: said, not read. */
static void
link_skipped(struct diags *d, const char *path)
{
	diag_warn(d, path, 0, 0, "not published: this is a symbolic link, "
	    "which could point anywhere (commit the file itself)");
}

static int
walk_tree(const char *root, const git_tree_entry *te, void *arg)
{
	struct walk	*w = arg;
	const git_oid	*oid = git_tree_entry_id(te);
	size_t		 len = 0;
	git_object_t	 type;

	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;	/* trees are walked; submodules skipped */
	if (git_tree_entry_filemode(te) == GIT_FILEMODE_LINK) {
		buf_reset(&w->path);	/* symbolic links could point anywhere */
		buf_puts(&w->path, root);
		buf_puts(&w->path, git_tree_entry_name(te));
		link_skipped(w->d, w->path.data);
		return 0;
	}
	if (git_odb_read_header(&len, &type, w->odb, oid) != 0)
		len = 0;
	watch_tick();		/* a file is a step, not the whole tree */
	buf_reset(&w->path);
	buf_puts(&w->path, root);
	buf_puts(&w->path, git_tree_entry_name(te));
	add(w->s, w->path.data, len, oid);
	return w->s->nfiles > SRC_MAX_FILES ? -1 : 0;
}

/*
 * Whether ref names a reference holding the zero id, which a damaged or
 * half-written repository may have; libgit2 1.5.1 leaks memory when
 * asked to parse it, so it is looked at first.
 */
static bool
zero_ref(struct src *s, const char *ref)
{
	git_reference	*r = NULL, *res = NULL;
	bool		 zero = false;

	if (git_reference_dwim(&r, s->repo, ref) == 0 &&
	    git_reference_resolve(&res, r) == 0 &&
	    git_reference_target(res) != NULL)
		zero = git_oid_is_zero(git_reference_target(res)) == 1;
	git_reference_free(res);
	git_reference_free(r);
	return zero;
}

/*
 * The commit ref names, and the tree of the site's folder in it (its
 * files are listed by list_tree).
 */
static int
load_tree(struct src *s, const char *ref, struct diags *d)
{
	git_object	*obj = NULL;
	git_commit	*commit = NULL;
	git_tree	*tree = NULL, *sub = NULL;
	git_tree_entry	*te = NULL;
	int		 rc = -1;

	if (zero_ref(s, ref)) {
		diag_error(d, NULL, 0, 0, "the repository is damaged: ref "
		    "'%s' points at no commit (the zero id; run 'git fsck' in "
		    "'%s')", ref, s->workdir);
		goto out;
	}
	if (git_revparse_single(&obj, s->repo, ref) != 0) {
		diag_error(d, NULL, 0, 0, "unknown ref '%s' in '%s' (give a "
		    "branch, tag or commit id that exists, e.g. HEAD)", ref,
		    s->workdir);
		goto out;
	}
	if (git_object_peel((git_object **)&commit, obj,
	    GIT_OBJECT_COMMIT) != 0) {
		diag_error(d, NULL, 0, 0, "ref '%s' does not name a commit",
		    ref);
		goto out;
	}
	git_oid_tostr(s->commit, sizeof(s->commit), git_commit_id(commit));
	s->time = git_commit_time(commit);
	if (git_commit_tree(&tree, commit) != 0) {
		giterr(d, NULL, "cannot read the commit's tree");
		goto out;
	}
	if (*s->prefix != '\0') {
		if (git_tree_entry_bypath(&te, tree, s->prefix) != 0 ||
		    git_tree_entry_type(te) != GIT_OBJECT_TREE) {
			diag_error(d, NULL, 0, 0, "folder '%s' is not in "
			    "commit %.12s (commit it first, or use "
			    "--worktree to preview)", s->prefix, s->commit);
			goto out;
		}
		if (git_tree_lookup(&sub, s->repo, git_tree_entry_id(te)) != 0)
			goto out;
	}
	git_oid_cpy(&s->tree, git_tree_id(sub ? sub : tree));
	rc = 0;
out:
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

/* The files of the commit's site folder (load_tree), sorted. */
static int
list_tree(struct src *s, struct diags *d)
{
	git_tree	*tree = NULL;
	struct walk	 w;
	int		 rc = -1;

	memset(&w, 0, sizeof(w));
	w.s = s;
	w.d = d;
	if (git_tree_lookup(&tree, s->repo, &s->tree) != 0) {
		giterr(d, NULL, "cannot read the commit's tree");
		return -1;
	}
	if (git_repository_odb(&w.odb, s->repo) != 0) {
		giterr(d, NULL, "cannot open the object database");
		goto out;
	}
	buf_init(&w.path);
	rc = git_tree_walk(tree, GIT_TREEWALK_PRE, walk_tree, &w);
	buf_free(&w.path);
	git_odb_free(w.odb);
	if (rc != 0) {
		diag_error(d, NULL, 0, 0, "the site has more than %d files",
		    SRC_MAX_FILES);
		rc = -1;
	}
out:
	git_tree_free(tree);
	if (rc == 0)
		qsort(s->files, s->nfiles, sizeof(*s->files), cmp);
	return rc;
}

int
src_list(struct src *s, struct diags *d)
{
	int	rc;

	if (s->listed)
		return 0;
	watch_begin(s->workdir);
	rc = list_tree(s, d);
	watch_end();
	s->listed = rc == 0;
	return rc;
}

/*
 * Is the folder at dir (a path in b, left as it was) a site icpgen
 * built, or the one it keeps from before (its marker file is in both)?
 * An output folder inside the site folder is never read as content.
 */
static bool
built_site(struct buf *dir)
{
	struct stat	st;
	size_t		len = dir->len;
	bool		yes;

	buf_puts(dir, "/.icpgen-site");
	yes = lstat(dir->data, &st) == 0 && S_ISREG(st.st_mode);
	buf_truncate(dir, len);
	return yes;
}

/*
 * Is repo (a path in the repository; a folder ends in '/') tracked by
 * the index idx (NULL: none), or for a folder, is a file in it?
 */
static bool
tracked(git_index *idx, const char *repo)
{
	size_t	pos;

	if (idx == NULL)
		return false;
	if (repo[0] != '\0' && repo[strlen(repo) - 1] == '/')
		return git_index_find_prefix(&pos, idx, repo) == 0;
	return git_index_get_bypath(idx, repo, 0) != NULL;
}

/* Does the folder at dir (a path in b, left as it was) hold a .git? */
static bool
nested_repo(struct buf *dir)
{
	struct stat	st;
	size_t		mark = dir->len;
	bool		yes;

	buf_puts(dir, "/.git");
	yes = lstat(dir->data, &st) == 0;
	buf_truncate(dir, mark);
	return yes;
}

/*
 * Recursively list dir (relative rel) on disk, skipping the files git
 * ignores.  As for git, ignore rules apply only to files the index idx
 * does not track: a tracked file is published from a commit even when
 * it matches .gitignore, so the preview reads it too, and the rules
 * are not looked up for it at all.
 */
static int
walk_disk(struct src *s, git_index *idx, struct buf *rel, struct diags *d)
{
	DIR		*dir;
	struct dirent	*de;
	struct stat	 st;
	struct buf	 full, repo;
	size_t		 mark = rel->len;
	int		 ign, rc = 0;

	buf_init(&full);
	buf_init(&repo);
	buf_printf(&full, "%s%s", s->sitedir, rel->data);
	if ((dir = opendir(full.data)) == NULL) {
		diag_error(d, rel->len ? rel->data : NULL, 0, 0,
		    "cannot read folder: %s", strerror(errno));
		rc = -1;
		goto out;
	}
	while ((de = readdir(dir)) != NULL && rc == 0) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0 ||
		    strcmp(de->d_name, ".git") == 0)
			continue;
		buf_truncate(rel, mark);
		buf_puts(rel, de->d_name);
		buf_reset(&full);
		buf_printf(&full, "%s%s", s->sitedir, rel->data);
		if (lstat(full.data, &st) == -1)
			continue;
		buf_reset(&repo);
		buf_printf(&repo, "%s%s%s", s->prefix, rel->data,
		    S_ISDIR(st.st_mode) ? "/" : "");
		if (!tracked(idx, repo.data) &&
		    git_ignore_path_is_ignored(&ign, s->repo, repo.data) == 0
		    && ign)
			continue;
		if (S_ISLNK(st.st_mode)) {
			link_skipped(d, rel->data);
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			/*
			 * A submodule or another repository inside: its files
			 * are not the site's, as a commit's tree skips them.
			 */
			if (built_site(&full) || nested_repo(&full))
				continue;
			buf_putc(rel, '/');
			rc = walk_disk(s, idx, rel, d);
		} else if (S_ISREG(st.st_mode))
			add(s, rel->data, (size_t)st.st_size, NULL);
		if (s->nfiles > SRC_MAX_FILES) {
			diag_error(d, NULL, 0, 0, "the site has more than %d "
			    "files", SRC_MAX_FILES);
			rc = -1;
		}
	}
	closedir(dir);
out:
	buf_truncate(rel, mark);
	buf_free(&full);
	buf_free(&repo);
	return rc;
}

/*
 * Is the nearest .git at or above the folder real (an absolute path)
 * another user's?  libgit2 then refuses the repository as git does
 * (safe.directory); 1.5 says only that it found none.
 */
static bool
foreign_git(const char *real)
{
	struct stat	 st;
	struct buf	 b;
	size_t		 n = strlen(real);
	bool		 found = false, foreign = false;

	buf_init(&b);
	while (!found && n > 0) {
		buf_reset(&b);
		buf_printf(&b, "%.*s/.git", (int)n, real);
		if (lstat(b.data, &st) == 0) {
			found = true;
			foreign = st.st_uid != geteuid();
		}
		while (n > 0 && real[n - 1] != '/')
			n--;
		while (n > 0 && real[n - 1] == '/')
			n--;
	}
	buf_free(&b);
	return foreign;
}

/*
 * Open the repository containing dir and work out where the site sits
 * inside it.  Returns 0 or -1 after reporting.
 */
static int
locate(struct src *s, const char *dir, struct diags *d)
{
	char		 real[PATH_MAX], wreal[PATH_MAX];
	const char	*wd;
	size_t		 n;
	struct buf	 b;
	int		 rc;

	if (realpath(dir, real) == NULL) {
		diag_error(d, NULL, 0, 0, "cannot open site folder '%s': %s",
		    dir, strerror(errno));
		return -1;
	}
	if ((rc = git_repository_open_ext(&s->repo, real, 0, NULL)) != 0) {
		if (rc == GIT_EOWNER || foreign_git(real))
			diag_error(d, NULL, 0, 0, "the git repository of '%s' "
			    "belongs to another user, so git does not trust "
			    "it (build as that user, or add it to the "
			    "safe.directory list: git config --global --add "
			    "safe.directory PATH, with the repository's path)",
			    dir);
		else
			diag_error(d, NULL, 0, 0, "'%s' is not in a git "
			    "repository (run 'git init' there and commit the "
			    "content)", dir);
		return -1;
	}
	if ((wd = git_repository_workdir(s->repo)) == NULL) {
		diag_error(d, NULL, 0, 0, "'%s' is a bare repository (give "
		    "the path of a checkout)", dir);
		return -1;
	}
	if (realpath(wd, wreal) == NULL) {
		diag_error(d, NULL, 0, 0, "cannot resolve '%s': %s", wd,
		    strerror(errno));
		return -1;
	}
	n = strlen(wreal);
	buf_init(&b);
	buf_printf(&b, "%s/", wreal);
	s->workdir = buf_detach(&b);
	if (strncmp(real, wreal, n) == 0 && real[n] == '/')
		buf_printf(&b, "%s/", real + n + 1);
	s->prefix = buf_detach(&b);
	buf_printf(&b, "%s%s", s->workdir, s->prefix);
	s->sitedir = buf_detach(&b);
	wd = git_repository_commondir(s->repo);
	buf_printf(&b, "%s%slfs/objects/", wd, wd != NULL && *wd != '\0' &&
	    wd[strlen(wd) - 1] == '/' ? "" : "/");
	s->lfsdir = buf_detach(&b);
	buf_free(&b);
	return 0;
}

/*
 * --worktree: every file is read once, when the site is opened, on
 * all processors.  Its SHA-256 (the content id), its git blob id and
 * its size are taken from those bytes, and files up to SNAP_MAX_KEEP
 * (Markdown, data, templates, hooks; not most PDFs) are kept in the
 * spill file.  Later readers get those bytes, not the file as it may
 * be by then: a build is of one state of each file however the files
 * are edited while it runs, and a page the parse cache gives (by its
 * blob id) has the body the cache parsed.  A file that cannot be read
 * here is read and reported as before when it is needed.
 */
struct snap {
	struct src	*s;
	atomic_size_t	*next;
};

static void *
snap_worker(void *arg)
{
	struct snap	*w = arg;
	struct src	*s = w->s;
	struct entry	*e;
	struct diags	 quiet;
	struct buf	 path;
	char		*p;
	size_t		 i, n;

	diag_init(&quiet, NULL);
	buf_init(&path);
	while ((i = atomic_fetch_add(w->next, 1)) < s->nfiles) {
		e = &s->files[i];
		buf_reset(&path);
		buf_printf(&path, "%s%s", s->sitedir, e->pub.path);
		watch_begin(s->workdir);
		p = read_disk(path.data, &n, &quiet, e->pub.path);
		watch_end();
		if (p == NULL)
			continue;
		e->pub.size = n;
		sha256(p, n, e->cid);
		e->has_cid = 1;
		e->has_cur = git_odb_hash(&e->cur, p, n, GIT_OBJECT_BLOB) == 0;
		if (n <= SNAP_MAX_KEEP)
			src_keep(s, i, p, n);
		free(p);
	}
	buf_free(&path);
	diag_free(&quiet);
	return NULL;
}

static void
snapshot(struct src *s)
{
	struct snap	 th[64];
	atomic_size_t	 next = 0;
	int		 i, n = par_threads(0, s->nfiles, 64);

	for (i = 0; i < n; i++) {
		th[i].s = s;
		th[i].next = &next;
	}
	par_run(snap_worker, th, sizeof(th[0]), n);
}

struct src *
src_open(const char *dir, const char *ref, bool worktree,
    const char *cache_dir, struct diags *d)
{
	struct src	*s = src_open_lazy(dir, ref, worktree, cache_dir, d);

	if (s != NULL && src_list(s, d) == -1) {
		src_close(s);
		return NULL;
	}
	return s;
}

/* A config entry that marks a remote as a promisor (see partial_clone). */
static int
promisor(const git_config_entry *e, void *arg)
{
	size_t	n = strlen(e->name);
	int	yes = 0;

	/* Matched by hand: libgit2 1.5's regular expressions leak. */
	if (strncasecmp(e->name, "remote.", 7) == 0 && n > 16 &&
	    strcasecmp(e->name + n - 9, ".promisor") == 0 &&
	    git_config_parse_bool(&yes, e->value) == 0 && yes)
		*(bool *)arg = true;
	return 0;
}

/*
 * Whether repo is a partial clone: git marks the remote its missing
 * objects would come from with remote.NAME.promisor (and older git
 * with extensions.partialClone).
 */
static bool
partial_clone(git_repository *repo)
{
	git_config	*cfg = NULL;
	git_buf		 v = { 0 };
	bool		 yes = false;

	if (git_repository_config_snapshot(&cfg, repo) != 0)
		return false;
	if (git_config_get_string_buf(&v, cfg, "extensions.partialclone")
	    == 0 && v.size > 0)
		yes = true;
	git_buf_dispose(&v);
	(void)git_config_foreach(cfg, promisor, &yes);
	git_config_free(cfg);
	return yes;
}

struct src *
src_open_lazy(const char *dir, const char *ref, bool worktree,
    const char *cache_dir, struct diags *d)
{
	struct src	*s;
	struct buf	 rel;
	git_object	*head = NULL;
	git_index	*idx;
	int		 rc;

	git_libgit2_init();
	/* Objects whose contents do not match their id are errors. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	/*
	 * No object cache: every object is read once (the history walk
	 * keeps the trees it needs itself), so libgit2's cache only cost
	 * an insertion, under a lock, per commit and small tree read
	 * (about a tenth of the walk of a history of small folders).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->spill = -1;
	s->worktree = worktree;
	s->ref = xstrdup(ref != NULL ? ref : "HEAD");
	watch_begin(dir);
	if (locate(s, dir, d) == -1)
		goto fail;
	/* Before libgit2 reads any object: see "damaged repositories". */
	if (verify_loose(s, cache_dir, d) == -1)
		goto fail;
	/*
	 * A shallow clone lacks the commits that date the files: the site
	 * would say everything was first published at the cut.
	 */
	if (git_repository_is_shallow(s->repo) == 1) {
		diag_error(d, NULL, 0, 0, "'%s' is a shallow clone: without "
		    "its full history the site would misdate every file (run "
		    "'git fetch --unshallow', or clone with full history, e.g. "
		    "fetch-depth: 0 in CI)", s->workdir);
		goto fail;
	}
	if (partial_clone(s->repo)) {
		diag_error(d, NULL, 0, 0, "'%s' is a partial clone (made with "
		    "--filter): old versions of its files are not in it, so "
		    "the site could not say what changed in each (clone it "
		    "again without --filter, e.g. filter left unset in CI)",
		    s->workdir);
		goto fail;
	}
	if (worktree) {
		snprintf(s->commit, sizeof(s->commit), "worktree");
		s->time = (int64_t)time(NULL);
		if (git_revparse_single(&head, s->repo, "HEAD") == 0) {
			git_commit *c = NULL;

			if (git_object_peel((git_object **)&c, head,
			    GIT_OBJECT_COMMIT) == 0) {
				s->time = git_commit_time(c);
				git_oid_tostr(s->head, sizeof(s->head),
				    git_commit_id(c));
			}
			git_commit_free(c);
			git_object_free(head);
		}
		/* No index (nothing added yet): every file is untracked. */
		if (git_repository_index(&idx, s->repo) != 0)
			idx = NULL;
		buf_init(&rel);
		rc = walk_disk(s, idx, &rel, d);
		buf_free(&rel);
		git_index_free(idx);
		if (rc == 0)
			qsort(s->files, s->nfiles, sizeof(*s->files), cmp);
		s->listed = true;
	} else
		rc = load_tree(s, ref != NULL ? ref : "HEAD", d);
	if (rc == -1)
		goto fail;
	s->spill = spill_open();
	watch_end();
	if (worktree)
		snapshot(s);
	return s;
fail:
	watch_end();
	src_close(s);
	return NULL;
}

void
src_close(struct src *s)
{
	size_t	i;

	if (s == NULL)
		return;
	hsave_end(s);		/* it reads the files' revisions */
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
		free(s->files[i].revs);
		free(s->files[i].all);
		free(s->files[i].own);
	}
	free_gone(s);
	free(s->ref);
	for (i = 0; i < s->nstrings; i++)
		free(s->strings[i]);
	free(s->strings);
	free(s->files);
	free(s->workdir);
	free(s->prefix);
	free(s->sitedir);
	free(s->lfsdir);
	git_repository_free(s->repo);
	if (s->spill != -1)
		close(s->spill);
	pthread_mutex_destroy(&s->lock);
	free(s);
	git_libgit2_shutdown();
}

size_t
src_count(const struct src *s)
{
	return s->nfiles;
}

const struct src_file *
src_file(const struct src *s, size_t i)
{
	return &s->files[i].pub;
}

bool
src_blob_id(const struct src *s, size_t i, unsigned char id[20])
{
	const struct entry *e;

	if (i >= s->nfiles)
		return false;
	e = &s->files[i];
	/* From the working tree, only bytes kept as they were hashed. */
	if (s->worktree && !(e->has_cur && e->has_kept))
		return false;
	memcpy(id, s->worktree ? e->cur.id : e->oid.id, 20);
	return true;
}

bool
src_content_id(struct src *s, size_t i, unsigned char id[32])
{
	struct diags	 quiet;
	char		*data;
	size_t		 len;

	memset(id, 0, 32);
	if (s->worktree && s->files[i].has_cid) {
		memcpy(id, s->files[i].cid, 32);
		return true;
	}
	if (!s->worktree && src_blob_id(s, i, id))
		return true;
	/* A copy: the caller's others may hold src_read's. */
	diag_init(&quiet, NULL);
	data = src_take(s, i, &len, &quiet);
	diag_free(&quiet);
	if (data == NULL)
		return false;
	sha256(data, len, id);
	free(data);
	return true;
}

long
src_find(const struct src *s, const char *path)
{
	size_t	lo = 0, hi = s->nfiles, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(path, s->files[mid].pub.path);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

static char *
read_disk(const char *path, size_t *len, struct diags *d, const char *shown)
{
	FILE	*f;
	char	*p;
	struct stat st;

	if ((f = fopen(path, "rb")) == NULL || fstat(fileno(f), &st) == -1) {
		diag_error(d, shown, 0, 0, "cannot read: %s", strerror(errno));
		if (f != NULL)
			fclose(f);
		return NULL;
	}
	if (st.st_size > SRC_MAX_FILE) {
		diag_error(d, shown, 0, 0, "file is larger than %d MB "
		    "(publish a smaller file: split it, or reduce its "
		    "images)", SRC_MAX_FILE / (1024 * 1024));
		fclose(f);
		return NULL;
	}
	p = xmalloc((size_t)st.st_size + 1);
	*len = fread(p, 1, (size_t)st.st_size, f);
	p[*len] = '\0';
	fclose(f);
	return p;
}

/* The size of blob oid from its header, without inflating it; 0 or -1. */
static int
blob_size(git_repository *repo, const git_oid *oid, size_t *len)
{
	git_odb		*odb = NULL;
	git_object_t	 type;
	int		 rc = -1;

	if (git_repository_odb(&odb, repo) == 0 &&
	    git_odb_read_header(len, &type, odb, oid) == 0 &&
	    type == GIT_OBJECT_BLOB)
		rc = 0;
	git_odb_free(odb);
	return rc;
}

/*
 * The bytes of blob oid through repo, malloc'd and NUL-terminated, or
 * NULL: *big says whether it was refused as larger than SRC_MAX_FILE
 * (from the object's header, before inflating it) rather than unread.
 * The blob's id is checked against its contents (strict verification).
 */
static char *
blob_bytes(git_repository *repo, const git_oid *oid, size_t *len, bool *big)
{
	git_blob	*b = NULL;
	char		*p = NULL;
	size_t		 n = 0;

	*big = false;
	if (blob_size(repo, oid, &n) == 0 && !(*big = n > SRC_MAX_FILE) &&
	    git_blob_lookup(&b, repo, oid) == 0 &&
	    !(*big = (n = (size_t)git_blob_rawsize(b)) > SRC_MAX_FILE)) {
		p = xmalloc(n + 1);
		memcpy(p, git_blob_rawcontent(b), n);
		p[n] = '\0';
	}
	git_blob_free(b);
	*len = n;
	return p;
}

static char	*kept_bytes(struct src *, const struct entry *, size_t *);

/*
 * The real file's bytes when the *len bytes at p, e's contents as git
 * or the disk has them, are a Git LFS pointer: from git-lfs's store
 * in the git folder, checked against the pointer's SHA-256 and size.
 * p (malloc'd) is returned as it is when it is not a pointer, else
 * freed.  NULL after reporting: a pointer must never be published as
 * if it were the paper it stands for.
 */
static char *
lfs_bytes(const struct src *s, struct entry *e, char *p, size_t *len,
    struct diags *d)
{
	struct lfs_pointer ptr;
	struct stat	 st;
	struct buf	 path;
	const char	*why;
	unsigned char	 got[32];
	char		 hex[65], *q = NULL;
	size_t		 done = 0, i;
	ssize_t		 n;
	int		 fd = -1, rc;

	if (p == NULL || (rc = lfs_pointer(p, *len, &ptr, &why)) == 0)
		return p;
	free(p);
	if (e->told == d)
		return NULL;
	buf_init(&path);
	if (rc == -1) {
		diag_error(d, e->pub.path, 0, 0, "this file begins as a Git "
		    "LFS pointer but is not one (%s): commit the file itself, "
		    "or the pointer as git-lfs writes it", why);
		goto out;
	}
	if (ptr.size > SRC_MAX_FILE) {
		diag_error(d, e->pub.path, 0, 0, "file is larger than %d MB "
		    "(its Git LFS pointer says %llu bytes; publish a smaller "
		    "file)", SRC_MAX_FILE / (1024 * 1024), ptr.size);
		goto out;
	}
	buf_printf(&path, "%s%.2s/%.2s/%s", s->lfsdir, ptr.oid, ptr.oid + 2,
	    ptr.oid);
	if ((fd = open(path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1 &&
	    errno == ENOENT) {
		diag_error(d, e->pub.path, 0, 0, "this file is stored with "
		    "Git LFS, and this clone has its pointer but not the file: "
		    "run 'git lfs pull' before building (in CI, check out LFS "
		    "files too), or commit the file itself");
		goto out;
	}
	if (fd == -1 || fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		diag_error(d, e->pub.path, 0, 0, "this file is stored with "
		    "Git LFS, and its copy '%s' cannot be read: %s (run 'git "
		    "lfs fsck')", path.data, fd == -1 && errno == ELOOP ?
		    "it is a symbolic link, which is not followed" : fd == -1 ?
		    strerror(errno) : "not a file");
		goto out;
	}
	if ((unsigned long long)st.st_size == ptr.size) {
		q = xmalloc((size_t)ptr.size + 1);
		while (done < ptr.size && (n = read(fd, q + done,
		    (size_t)ptr.size - done)) != 0) {
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				break;
			done += (size_t)n;
		}
		sha256(q, done, got);
		for (i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", got[i]);
	}
	if (q == NULL || done != ptr.size || strcmp(hex, ptr.oid) != 0) {
		diag_error(d, e->pub.path, 0, 0, "this file is stored with "
		    "Git LFS, and its copy '%s' does not match the pointer "
		    "(%s): run 'git lfs fetch' again, or 'git lfs fsck' to "
		    "find the damage", path.data, q == NULL ||
		    done != ptr.size ? "not the size it names" :
		    "not the SHA-256 it names");
		free(q);
		q = NULL;
		goto out;
	}
	q[done] = '\0';
	*len = done;
out:
	if (q == NULL)
		e->told = d;
	if (fd != -1)
		close(fd);
	buf_free(&path);
	return q;
}

/*
 * Read entry e, with repo (one thread's repository handle) for a
 * commit: malloc'd and NUL-terminated, or NULL after reporting.  From
 * the working tree, the bytes kept when it was first read (see
 * snapshot) come first, so that every reader sees what was hashed.
 */
static char *
read_entry(struct src *s, git_repository *repo, struct entry *e,
    size_t *len, struct diags *d)
{
	struct buf	 path;
	char		*p = NULL;
	size_t		 n = 0;
	bool		 big;

	if (e->told == d)
		return NULL;
	if (s->worktree && (p = kept_bytes(s, e, &n)) != NULL) {
		*len = n;
		return lfs_bytes(s, e, p, len, d);
	}
	watch_begin(s->workdir);
	if (s->worktree) {
		buf_init(&path);
		buf_printf(&path, "%s%s", s->sitedir, e->pub.path);
		p = read_disk(path.data, &n, d, e->pub.path);
		buf_free(&path);
	} else if ((p = blob_bytes(repo, &e->oid, &n, &big)) == NULL) {
		if (big)
			diag_error(d, e->pub.path, 0, 0, "file is larger "
			    "than %d MB (publish a smaller file: split it, or "
			    "reduce its images)", SRC_MAX_FILE / (1024 * 1024));
		else
			giterr(d, e->pub.path, "cannot read from git");
	}
	watch_end();
	if (p == NULL)
		e->told = d;
	*len = n;
	return lfs_bytes(s, e, p, len, d);
}

const char *
src_read(struct src *s, size_t i, size_t *len, struct diags *d)
{
	struct entry	*e = &s->files[i];
	char		*p;
	size_t		 n;

	pthread_mutex_lock(&s->lock);
	if (e->data == NULL) {
		if ((p = read_entry(s, s->repo, e, &n, d)) == NULL) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		e->data = p;
		e->len = n;
		e->pub.size = n;
	}
	*len = e->len;
	p = e->data;
	pthread_mutex_unlock(&s->lock);
	return p;
}

void
src_release(struct src *s, size_t i)
{
	pthread_mutex_lock(&s->lock);
	free(s->files[i].data);
	s->files[i].data = NULL;
	pthread_mutex_unlock(&s->lock);
}

/*
 * The repository of s opened again for one thread, or NULL when it
 * cannot be.  libgit2's objects are used by one thread at a time (its
 * THREADING.md), so each thread that reads in parallel (readers, the
 * history walk, the history cache's check) has its own handle, and
 * shares nothing with the others but the pack files' windows, which
 * libgit2 guards itself.
 */
static git_repository *
own_repo(const struct src *s)
{
	git_repository	*repo;

	/*
	 * The git folder s->repo has, not the working folder: a working
	 * folder set elsewhere (core.worktree), or one that is a git
	 * folder itself, can hold another repository, whose objects
	 * verify_loose never saw.
	 */
	watch_begin(s->workdir);
	if (git_repository_open_ext(&repo, git_repository_path(s->repo),
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) != 0)
		repo = NULL;
	watch_end();
	return repo;
}

struct src_reader *
src_reader_open(struct src *s)
{
	struct src_reader *r = xcalloc(1, sizeof(*r));

	r->s = s;
	if (!s->worktree && (r->repo = own_repo(s)) == NULL) {
		free(r);
		r = NULL;
	}
	return r;
}

void
src_reader_close(struct src_reader *r)
{
	if (r == NULL)
		return;
	git_repository_free(r->repo);
	free(r);
}

char *
src_reader_read(struct src_reader *r, size_t i, size_t *len,
    struct diags *d)
{
	struct entry	*e = &r->s->files[i];
	char		*p;

	if ((p = read_entry(r->s, r->repo, e, len, d)) != NULL)
		e->pub.size = *len;	/* only this thread has e */
	return p;
}

/*
 * Kept bytes go to an unlinked file in $TMPDIR, not the heap: a page
 * of the bench site is ~10 KB of Markdown, as much as the whole model
 * of it, so holding them all between load and render would double the
 * peak RSS.  Reading them back costs a copy; reading them from git
 * again costs inflating and hashing (a quarter of a build's work).
 * Without the file nothing is kept, and src_take reads from git.
 */
static int
spill_open(void)
{
	const char	*dir = getenv("TMPDIR");
	struct buf	 b;
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600)) != -1)
		return fd;
	buf_init(&b);
	buf_printf(&b, "%s/icpgen-keep-XXXXXX", dir);
	if ((fd = mkostemp(b.data, O_CLOEXEC)) != -1)
		unlink(b.data);
	buf_free(&b);
	return fd;
}

void
src_keep(struct src *s, size_t i, const char *data, size_t len)
{
	struct entry	*e = &s->files[i];
	unsigned long long at;
	size_t		 done = 0;
	ssize_t		 n;

	if (s->spill == -1 || e->has_kept)
		return;
	at = atomic_fetch_add(&s->spillend, (unsigned long long)len);
	if (at > (unsigned long long)LLONG_MAX - len)
		return;
	while (done < len) {
		n = pwrite(s->spill, data + done, len - done,
		    (off_t)(at + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;	/* e.g. the disk is full: read it again */
		done += (size_t)n;
	}
	e->kept = (off_t)at;
	e->keptlen = len;
	e->has_kept = 1;
}

/* This thread's reader for src_take, or NULL (src_thread_reader). */
static __thread struct src_reader *my_reader;

void
src_thread_reader(struct src_reader *r)
{
	my_reader = r;
}

/* The bytes src_keep kept for e, malloc'd; NULL when there are none. */
static char *
kept_bytes(struct src *s, const struct entry *e, size_t *len)
{
	char		*p;
	size_t		 done = 0;
	ssize_t		 n;

	if (!e->has_kept)
		return NULL;
	p = xmalloc(e->keptlen + 1);
	while (done < e->keptlen) {
		n = pread(s->spill, p + done, e->keptlen - done,
		    e->kept + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	if (done != e->keptlen) {
		free(p);
		return NULL;
	}
	p[done] = '\0';
	*len = done;
	return p;
}

char *
src_take(struct src *s, size_t i, size_t *len, struct diags *d)
{
	struct entry	*e = &s->files[i];
	char		*p;

	if ((p = kept_bytes(s, e, len)) != NULL)
		return s->worktree ? lfs_bytes(s, e, p, len, d) : p;
	if (my_reader != NULL && my_reader->s == s)
		return read_entry(s, my_reader->repo, e, len, d);
	pthread_mutex_lock(&s->lock);
	p = read_entry(s, s->repo, e, len, d);
	pthread_mutex_unlock(&s->lock);
	return p;
}

const char *
src_commit(const struct src *s)
{
	return s->commit;
}

const char *
src_head(const struct src *s)
{
	return s->worktree ? s->head : s->commit;
}

int64_t
src_time(const struct src *s)
{
	return s->time;
}

const char *
src_root(const struct src *s)
{
	return s->workdir;
}

const char *
src_prefix(const struct src *s)
{
	return s->prefix;
}

/* --- history ------------------------------------------------------------ */

/*
 * The history is one walk of the first-parent chain of the commit read:
 * the commits that put content on the published branch, in the order it
 * got there.  A branch merged with a merge commit is published at the
 * merge (its diff against the first parent holds the branch's changes).
 * Only subtrees whose ids differ between a commit and its parent are
 * opened, so a commit costs what it changed, not the size of the tree.
 *
 * The result is cached in the cache folder, in a versioned format where
 * every string is length-prefixed and the whole file is checksummed.  A
 * cache is used only when its head commit is on the first-parent chain
 * of the commit read and every commit it names exists with the time it
 * records; anything else is rebuilt from git.
 */
#define CACHE_MAGIC	"icpgen-history 3\n"
#define CACHE_MAX	(1024 * 1024 * 1024)	/* refuse larger caches */

struct hcommit {
	char		 id[GIT_OID_HEXSZ + 1];
	int64_t		 time;
	const char	*summary;
};

struct hpath {
	char		*path;		/* site-relative */
	struct src_rev	*revs;		/* the file's once handed (its own) */
	bool		 handed;
	size_t		*ci;		/* revs[k] is by commits[ci[k]] */
	size_t		 n, cap;
};

struct hist {
	struct hcommit	*commits;	/* those that changed a path */
	size_t		 ncommits, ccap;
	struct hpath	*paths;
	size_t		 npaths, cap;
	size_t		*slots;		/* open addressing: index + 1, 0 free */
	size_t		 nslots;
};

static const char *
keep(struct src *s, const char *str, size_t n)
{
	char	*p = xstrndup(str, n);

	s->strings = xreallocarray(s->strings, s->nstrings + 1,
	    sizeof(*s->strings));
	s->strings[s->nstrings++] = p;
	return p;
}

static void
hist_free(struct hist *h)
{
	size_t	i;

	for (i = 0; i < h->npaths; i++) {
		free(h->paths[i].path);
		if (!h->paths[i].handed)
			free(h->paths[i].revs);
		free(h->paths[i].ci);
	}
	free(h->paths);
	free(h->slots);
	free(h->commits);
	memset(h, 0, sizeof(*h));
}

static size_t
hist_commit(struct hist *h, const char *id, int64_t time, const char *summary)
{
	struct hcommit	*c;

	if (h->ncommits == h->ccap) {
		h->ccap = h->ccap ? h->ccap * 2 : 256;
		h->commits = xreallocarray(h->commits, h->ccap,
		    sizeof(*h->commits));
	}
	c = &h->commits[h->ncommits];
	snprintf(c->id, sizeof(c->id), "%s", id);
	c->time = time;
	c->summary = summary;
	return h->ncommits++;
}

/* The history of path, added when absent (or NULL, lookup only). */
static struct hpath *
hist_path(struct hist *h, const char *path, size_t len, bool add)
{
	size_t	k, i, mask;

	if (2 * (h->npaths + 1) > h->nslots) {
		free(h->slots);
		h->nslots = h->nslots ? h->nslots * 2 : 1024;
		h->slots = xcalloc(h->nslots, sizeof(*h->slots));
		mask = h->nslots - 1;
		for (i = 0; i < h->npaths; i++) {
			k = (size_t)text_hash(h->paths[i].path,
			    strlen(h->paths[i].path)) & mask;
			while (h->slots[k] != 0)
				k = (k + 1) & mask;
			h->slots[k] = i + 1;
		}
	}
	mask = h->nslots - 1;
	k = (size_t)text_hash(path, len) & mask;
	for (; h->paths != NULL && h->slots[k] != 0; k = (k + 1) & mask) {
		i = h->slots[k] - 1;
		if (strncmp(h->paths[i].path, path, len) == 0 &&
		    h->paths[i].path[len] == '\0')
			return &h->paths[i];
	}
	if (!add)
		return NULL;
	if (h->paths == NULL || h->npaths == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 256;
		h->paths = xreallocarray(h->paths, h->cap, sizeof(*h->paths));
	}
	h->slots[k] = ++h->npaths;
	memset(&h->paths[h->npaths - 1], 0, sizeof(*h->paths));
	h->paths[h->npaths - 1].path = xstrndup(path, len);
	return &h->paths[h->npaths - 1];
}

/* Room for cap revisions of hp. */
static void
reserve_revs(struct hpath *hp, size_t cap)
{
	hp->cap = cap;
	hp->revs = xreallocarray(hp->revs, hp->cap, sizeof(*hp->revs));
	hp->ci = xreallocarray(hp->ci, hp->cap, sizeof(*hp->ci));
}

/* Record that commit ci gave path the content blob (unless it had it). */
static void
add_rev(struct hist *h, struct hpath *hp, size_t ci, const unsigned char *blob)
{
	const struct hcommit *c = &h->commits[ci];
	struct src_rev	*r;

	if (hp->n > 0 && memcmp(hp->revs[hp->n - 1].blob, blob, 20) == 0)
		return;		/* same content again: not a change */
	if (hp->n == hp->cap)
		reserve_revs(hp, hp->cap ? hp->cap * 2 : 4);
	hp->ci[hp->n] = ci;
	r = &hp->revs[hp->n++];
	memcpy(r->commit, c->id, sizeof(r->commit));
	r->time = c->time;
	r->summary = c->summary;
	memcpy(r->blob, blob, 20);
}

/* A span of seconds in words: "3 days", "47 hours", "1 hour". */
static const char *
skew_words(int64_t sec)
{
	static __thread char	 b[48];
	/* Whole days from two days on: "1 day" would hide up to 47 hours. */
	int64_t			 n = sec >= 2 * 86400 ? sec / 86400 : sec / 3600;

	snprintf(b, sizeof(b), "%lld %s%s", (long long)n, sec >= 2 * 86400 ?
	    "day" : "hour", n == 1 ? "" : "s");
	return b;
}

/* A commit time as a day, "1 September 2031", in London. */
static const char *
day_words(int64_t t, char *b, size_t n)
{
	struct date	 dt;
	struct buf	 w;

	buf_init(&w);
	tz_date(t, &dt);
	text_fmt_date(&w, &dt, false);
	snprintf(b, n, "%s", w.data != NULL ? w.data : "");
	buf_free(&w);
	return b;
}

/*
 * When each of h's commits can have reached the branch, oldest first.
 *
 * A commit dated after until (the end of the build date) has a clock
 * that was wrong: it was made before the build, and before every
 * commit after it on the branch.  It is dated the earliest of those
 * commits' dates and until, the latest it can have been made.
 * Taking its own date would date it, and, by the rule below, every
 * commit after it, after the build.
 *
 * Then each commit is dated its own date, or the latest date of a
 * commit before it on the branch when that is later.  A commit is made
 * after its parent, so a date before an earlier commit's is a wrong
 * clock; taking it would publish a paper before the commit it was added
 * on top of, and list a later version as older than an earlier one.  A
 * clock more than an hour behind is reported (a few minutes between two
 * people's computers is common and moves no date a page shows).
 *
 * Both keep to the later of two dates a wrong clock leaves open, so a
 * paper is never shown as published earlier than it can have been.
 * malloc'd, h->ncommits long.
 */
#define SKEW_REPORTED	3600
#define SKEW_REPORTS	5

static int64_t *
forward_times(const struct hist *h, int64_t until, struct diags *d)
{
	int64_t		*t = xcalloc(h->ncommits + 1, sizeof(*t));
	int64_t		 bound = until;
	size_t		 i, late = 0, ahead = 0, was = 0;
	char		 w1[64], w2[64], w3[64];

	for (i = h->ncommits; i-- > 0;) {
		t[i] = h->commits[i].time;
		if (t[i] > until)
			t[i] = bound;
		if (t[i] < bound)
			bound = t[i];
	}
	for (i = 0; i < h->ncommits; i++) {
		if (i == 0 || t[i] >= t[i - 1]) {
			was = i;
			continue;
		}
		/* One dated after the build is reported below instead. */
		if (t[i - 1] - t[i] > SKEW_REPORTED &&
		    h->commits[i].time <= until && late++ < SKEW_REPORTS)
			diag_warn(d, NULL, 0, 0, "commit %.12s is dated %s "
			    "before commit %.12s, which comes before it on the "
			    "branch: a clock was wrong, so what it changed is "
			    "dated as published no earlier than that commit "
			    "(check the clock of the computer that made it)",
			    h->commits[i].id, skew_words(t[i - 1] - t[i]),
			    h->commits[was].id);
		t[i] = t[i - 1];
	}
	if (late > SKEW_REPORTS)
		diag_warn(d, NULL, 0, 0, "%zu more commits are dated before "
		    "commits that come before them on the branch, and are "
		    "dated as published no earlier than those", late -
		    SKEW_REPORTS);
	/* Those dated after the build, with the date they were given. */
	for (i = 0; i < h->ncommits; i++)
		if (h->commits[i].time > until && ahead++ < SKEW_REPORTS)
			diag_warn(d, NULL, 0, 0, "commit %.12s is dated %s, "
			    "after the build date (%s): a clock was wrong, so "
			    "what it changed is dated as published on %s, "
			    "the latest it can have been (check the clock of "
			    "the computer that made it)", h->commits[i].id,
			    day_words(h->commits[i].time, w1, sizeof(w1)),
			    day_words(until, w2, sizeof(w2)),
			    day_words(t[i], w3, sizeof(w3)));
	if (ahead > SKEW_REPORTS)
		diag_warn(d, NULL, 0, 0, "%zu more commits are dated after the "
		    "build date, and are dated as published no later than "
		    "the commits after them", ahead - SKEW_REPORTS);
	return t;
}

/*
 * A cache file of this repository and site folder: DIR/NAME-HASH, where
 * DIR is the cache folder given, else $XDG_CACHE_HOME/icpgen, else
 * ~/.cache/icpgen (made when missing).  Returns false when there is no
 * such folder and none can be made.
 */
static bool
cache_path(const struct src *s, const char *dir, const char *name,
    struct buf *b)
{
	const char	*env, *gd = git_repository_path(s->repo);
	struct buf	 key;
	char		*slash;
	uint64_t	 h;

	if (dir != NULL && *dir != '\0')
		buf_puts(b, dir);
	else if ((env = getenv("XDG_CACHE_HOME")) != NULL && *env == '/')
		buf_printf(b, "%s/icpgen", env);
	else if ((env = getenv("HOME")) != NULL && *env == '/')
		buf_printf(b, "%s/.cache/icpgen", env);
	else
		return false;
	if (mkdir(b->data, 0700) == -1 && errno == ENOENT &&
	    (slash = strrchr(b->data, '/')) != NULL && slash != b->data) {
		*slash = '\0';		/* ~/.cache may not exist yet */
		(void)mkdir(b->data, 0700);
		*slash = '/';
		(void)mkdir(b->data, 0700);
	}
	buf_init(&key);
	buf_puts(&key, gd);
	buf_putc(&key, '\0');
	buf_puts(&key, s->prefix);
	h = text_hash(key.data, key.len);
	buf_free(&key);
	buf_printf(b, "/%s-%016llx", name, (unsigned long long)h);
	return true;
}

char *
src_cache_file(const struct src *s, const char *dir, const char *name)
{
	struct buf	b;
	char		*p = NULL;

	buf_init(&b);
	if (cache_path(s, dir, name, &b))
		p = xstrdup(b.data);
	buf_free(&b);
	return p;
}

/* A reader over the cache's bytes: every read is bounded. */
struct rd {
	const char	*p, *end;
	bool		 bad;
};

static void
rd_lit(struct rd *r, const char *lit)
{
	size_t	n = strlen(lit);

	if (r->bad || (size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0)
		r->bad = true;
	else
		r->p += n;
}

static unsigned long long
rd_num(struct rd *r, char after)
{
	unsigned long long v = 0;
	const char	*start = r->p;

	while (!r->bad && r->p < r->end && *r->p >= '0' && *r->p <= '9' &&
	    r->p - start < 18)
		v = v * 10 + (unsigned long long)(*r->p++ - '0');
	if (r->bad || r->p == start || r->p >= r->end || *r->p != after)
		r->bad = true;
	else
		r->p++;
	return v;
}

/* "LEN:BYTES" followed by after; returns the bytes (not terminated). */
static const char *
rd_str(struct rd *r, size_t *len, char after)
{
	const char	*p;

	*len = (size_t)rd_num(r, ':');
	if (r->bad || *len >= (size_t)(r->end - r->p) || r->p[*len] != after) {
		r->bad = true;
		return NULL;
	}
	p = r->p;
	r->p += *len + 1;
	return p;
}

static void
rd_oid(struct rd *r, git_oid *oid, char after)
{
	if (r->bad || r->end - r->p < GIT_OID_HEXSZ + 1 ||
	    r->p[GIT_OID_HEXSZ] != after ||
	    git_oid_fromstrn(oid, r->p, GIT_OID_HEXSZ) != 0)
		r->bad = true;
	else
		r->p += GIT_OID_HEXSZ + 1;
}

/*
 * A cache's commits, checked against the repository: each must be a
 * commit with the time the cache gives it.  Threads take commits from
 * a shared counter; the first parses the cache's paths (r, into h)
 * before it joins in, so that the two overlap.
 */
struct ccheck {
	struct src	*s;
	const git_oid	*ids;
	const int64_t	*times;
	size_t		 n;
	atomic_size_t	 next;
	atomic_bool	 bad;
	struct rd	*r;
	struct hist	*h;
	bool		 paths_ok;	/* every path read, to the end */
};

struct ccheck_job {
	struct ccheck	*c;
	bool		 first;		/* reads the paths; s's repository */
};

#define CCHECK_STEP	256		/* commits taken at a time */

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the dates a page shows. */
#define COMMIT_TIME_MIN	(-62135596800LL)
#define COMMIT_TIME_MAX	253402300799LL

/* The "paths" part of the cache, into h (see cache_save). */
static void
cache_paths(struct ccheck *c)
{
	struct rd	*r = c->r;
	struct hist	*h = c->h;
	struct hpath	*hp;
	const char	*str;
	unsigned long long np, nr, k, j, ci;
	size_t		 len;
	git_oid		 oid;

	rd_lit(r, "paths ");
	np = rd_num(r, '\n');
	for (k = 0; k < np && !r->bad; k++) {
		str = rd_str(r, &len, ' ');
		nr = rd_num(r, '\n');
		/* A revision's line is at least "0 " and 40 hex digits. */
		if (r->bad || len == 0 || memchr(str, '\0', len) != NULL ||
		    nr > (unsigned long long)(r->end - r->p) / 43) {
			r->bad = true;
			break;
		}
		hp = hist_path(h, str, len, true);
		if (hp->cap - hp->n < nr)	/* room for all at once */
			reserve_revs(hp, hp->n + (size_t)nr);
		for (j = 0; j < nr && !r->bad; j++) {
			ci = rd_num(r, ' ');
			rd_oid(r, &oid, '\n');
			if (ci >= h->ncommits)
				r->bad = true;
			else if (!r->bad)
				add_rev(h, hp, (size_t)ci, oid.id);
		}
	}
	c->paths_ok = !r->bad && r->p == r->end && k == np;
}

static void *
ccheck_run(void *arg)
{
	struct ccheck_job *j = arg;
	struct ccheck	*c = j->c;
	git_repository	*repo = NULL;
	git_odb		*odb = NULL;
	git_odb_object	*o;
	size_t		 i, k;
	int64_t		 t;
	bool		 ok;

	if (j->first)
		cache_paths(c);
	/*
	 * Each thread reads through a repository of its own: threads
	 * sharing one wait on its pack's lock.  One that cannot open its
	 * own leaves its share to the others; the first always has s's.
	 */
	if (!j->first && (repo = own_repo(c->s)) == NULL)
		return NULL;
	if (git_repository_odb(&odb, j->first ? c->s->repo : repo) != 0) {
		atomic_store(&c->bad, true);
		git_repository_free(repo);
		return NULL;
	}
	while (!atomic_load(&c->bad) &&
	    (i = atomic_fetch_add(&c->next, CCHECK_STEP)) < c->n)
		for (k = i; k < i + CCHECK_STEP && k < c->n; k++) {
			watch_tick();
			if (git_odb_read(&o, odb, &c->ids[k]) != 0) {
				atomic_store(&c->bad, true);
				break;
			}
			ok = git_odb_object_type(o) == GIT_OBJECT_COMMIT &&
			    rawcommit_time(git_odb_object_data(o),
			    git_odb_object_size(o), &t) && t == c->times[k];
			git_odb_object_free(o);
			if (!ok) {
				atomic_store(&c->bad, true);
				break;
			}
		}
	git_odb_free(odb);
	git_repository_free(repo);
	return NULL;
}

/*
 * Load the cache into h: returns true and sets *from when it holds the
 * history up to commit *from, with every commit it names verified to
 * exist with the time it records (on up to jobs threads).  On false,
 * h is left empty.
 */
static bool
cache_load(struct src *s, const char *path, struct hist *h, git_oid *from,
    struct buf *ref, int jobs)
{
	FILE		*f;
	struct stat	 st;
	char		*data = NULL, hex[17], id[GIT_OID_HEXSZ + 1];
	struct rd	 r;
	struct ccheck	 cc;
	struct ccheck_job job[64];
	const char	*str;
	unsigned long long nc, k;
	size_t		 len;
	int64_t		*times = NULL;
	git_oid		*ids = NULL;
	bool		 ok = false;
	int		 i, nth;

	if ((f = fopen(path, "rb")) == NULL)
		return false;
	if (fstat(fileno(f), &st) == -1 || st.st_size < 64 ||
	    st.st_size > CACHE_MAX)
		goto out;
	data = xmalloc_big((size_t)st.st_size);
	if (fread(data, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
		goto out;
	/* The last line is "end HASH\n", the hash of everything before. */
	len = (size_t)st.st_size - 21;
	if (memcmp(data + len, "end ", 4) != 0 || data[len + 20] != '\n')
		goto out;
	snprintf(hex, sizeof(hex), "%016llx",
	    (unsigned long long)text_sum(data, len));
	if (memcmp(data + len + 4, hex, 16) != 0)
		goto out;
	r.p = data;
	r.end = data + len;
	r.bad = false;
	rd_lit(&r, CACHE_MAGIC "prefix ");
	str = rd_str(&r, &len, '\n');
	if (r.bad || len != strlen(s->prefix) ||
	    memcmp(str, s->prefix, len) != 0)
		goto out;
	rd_lit(&r, "head ");
	rd_oid(&r, from, '\n');
	rd_lit(&r, "ref ");
	if ((str = rd_str(&r, &len, '\n')) != NULL)
		buf_put(ref, str, len);
	rd_lit(&r, "commits ");
	nc = rd_num(&r, '\n');
	if (r.bad || nc > (unsigned long long)(r.end - r.p) / 44)
		goto out;
	ids = xreallocarray(NULL, (size_t)nc + 1, sizeof(*ids));
	times = xreallocarray(NULL, (size_t)nc + 1, sizeof(*times));
	for (k = 0; k < nc && !r.bad; k++) {
		rd_oid(&r, &ids[k], ' ');
		times[k] = (int64_t)rd_num(&r, ' ');
		str = rd_str(&r, &len, '\n');
		if (r.bad)
			break;
		git_oid_tostr(id, sizeof(id), &ids[k]);
		hist_commit(h, id, times[k], keep(s, str, len));
	}
	if (r.bad)
		goto out;
	/* The commits checked while the paths are read. */
	cc.s = s;
	cc.ids = ids;
	cc.times = times;
	cc.n = (size_t)nc;
	atomic_init(&cc.next, 0);
	atomic_init(&cc.bad, false);
	cc.r = &r;
	cc.h = h;
	nth = par_threads(jobs, (size_t)nc, CCHECK_STEP);
	for (i = 0; i < nth; i++)
		job[i] = (struct ccheck_job){ &cc, i == 0 };
	/* The first takes every commit the others leave. */
	par_run(ccheck_run, job, sizeof(job[0]), nth);
	ok = cc.paths_ok && !atomic_load(&cc.bad);
out:
	if (!ok)
		hist_free(h);
	free(ids);
	free(times);
	free(data);
	fclose(f);
	return ok;
}

/* Save the cache, written whole to a new file and renamed into place. */
static void
cache_save(const struct hist *h, const char *prefix, const char *ref,
    const char *path, const git_oid *head)
{
	struct buf	 b, tmp;
	FILE		*f;
	char		 hex[GIT_OID_HEXSZ + 1];
	git_oid		 blob;
	const struct hcommit *c;
	size_t		 i, j;
	int		 fd;

	buf_init(&b);
	buf_init(&tmp);
	git_oid_tostr(hex, sizeof(hex), head);
	buf_printf(&b, CACHE_MAGIC "prefix %zu:", strlen(prefix));
	buf_puts(&b, prefix);
	buf_printf(&b, "\nhead %s\nref %zu:", hex, strlen(ref));
	buf_puts(&b, ref);
	buf_printf(&b, "\ncommits %zu\n", h->ncommits);
	for (i = 0; i < h->ncommits; i++) {
		c = &h->commits[i];
		buf_printf(&b, "%s %lld %zu:", c->id, (long long)c->time,
		    strlen(c->summary));
		buf_puts(&b, c->summary);
		buf_putc(&b, '\n');
	}
	buf_printf(&b, "paths %zu\n", h->npaths);
	for (i = 0; i < h->npaths; i++) {
		buf_printf(&b, "%zu:", strlen(h->paths[i].path));
		buf_puts(&b, h->paths[i].path);
		buf_printf(&b, " %zu\n", h->paths[i].n);
		for (j = 0; j < h->paths[i].n; j++) {
			git_oid_fromraw(&blob, h->paths[i].revs[j].blob);
			git_oid_tostr(hex, sizeof(hex), &blob);
			buf_printf(&b, "%zu %s\n", h->paths[i].ci[j], hex);
		}
	}
	buf_printf(&b, "end %016llx\n",
	    (unsigned long long)text_sum(b.data, b.len));
	buf_printf(&tmp, "%s.%ld.tmp", path, (long)getpid());
	if ((fd = open(tmp.data, O_WRONLY | O_CREAT | O_TRUNC, 0600)) != -1) {
		if ((f = fdopen(fd, "wb")) == NULL)
			close(fd);
		else if (fwrite(b.data, 1, b.len, f) == b.len &&
		    fclose(f) == 0)
			(void)rename(tmp.data, path);	/* best effort */
		else
			(void)unlink(tmp.data);
	}
	buf_free(&b);
	buf_free(&tmp);
}

/*
 * The history cache is written in a thread while the build goes on:
 * it owns the history (whose revisions are the files' too) until
 * src_close() waits for it.
 */
struct hsave {
	struct hist	 h;
	char		*prefix, *ref, *path;
	git_oid		 head;
	pthread_t	 t;
};

static void *
hsaver(void *arg)
{
	struct hsave	*j = arg;

	cache_save(&j->h, j->prefix, j->ref, j->path, &j->head);
	return NULL;
}

static void
hsave_free(struct hsave *j)
{
	hist_free(&j->h);
	free(j->prefix);
	free(j->ref);
	free(j->path);
	free(j);
}

static void
hsave_end(struct src *s)
{
	if (s->hsave == NULL)
		return;
	pthread_join(s->hsave->t, NULL);
	hsave_free(s->hsave);
	s->hsave = NULL;
}

/* Save h (taken: emptied) to path, in a thread when one starts. */
static void
hsave_begin(struct src *s, struct hist *h, const char *path,
    const git_oid *head)
{
	struct hsave	*j = xcalloc(1, sizeof(*j));

	hsave_end(s);
	j->h = *h;
	memset(h, 0, sizeof(*h));
	j->prefix = xstrdup(s->prefix);
	j->ref = ref_name(s);
	j->path = xstrdup(path);
	git_oid_cpy(&j->head, head);
	if (pthread_create(&j->t, NULL, hsaver, j) == 0) {
		s->hsave = j;
		return;
	}
	cache_save(&j->h, j->prefix, j->ref, j->path, &j->head);
	hsave_free(j);
}

/* The blob ids of the content read, to tell the last change. */
static void
current_blobs(struct src *s)
{
	struct buf	 path;
	size_t		 i;

	buf_init(&path);
	for (i = 0; i < s->nfiles; i++) {
		struct entry *e = &s->files[i];

		if (!s->worktree) {
			git_oid_cpy(&e->cur, &e->oid);
			e->has_cur = 1;
			continue;
		}
		if (e->has_cur)
			continue;	/* by the snapshot */
		buf_reset(&path);
		buf_printf(&path, "%s%s", s->sitedir, e->path);
		e->has_cur = git_odb_hashfile(&e->cur, path.data,
		    GIT_OBJECT_BLOB) == 0;
	}
	buf_free(&path);
}

/*
 * The walk.  The first-parent chain, oldest first, is cut into
 * segments walked on threads, each thread with its own repository
 * (libgit2's are not to be shared).  A segment lists what its commits
 * changed; the lists are then replayed in chain order into the history,
 * which is so the same whatever the number of threads.
 *
 * Trees are read raw (load/rawtree.c) rather than through git_tree:
 * libgit2 would allocate every entry of every version of a folder of
 * thousands of files, where a commit changes a few.  Each tree read is
 * still checked against its id by libgit2.
 */
#define WALK_MIN	256	/* commits per thread, at least */
#define WALK_SEGS	8	/* segments per thread, to share the work */
#define WALK_DEPTH	4096	/* folders in folders, at most */
#define WALK_CACHE	(32 * 1024 * 1024)	/* trees kept, bytes a thread */

struct wstep {			/* a commit that gave a file new content */
	size_t		 k;		/* its place in the walk */
	int64_t		 time;
	size_t		 sum, sumlen;	/* its summary, in seg->str */
	size_t		 ev, nev;	/* its changes, in seg->evs */
};

struct wev {			/* a file and its new content */
	size_t		 path, len;	/* in seg->str */
	unsigned char	 blob[20];
};

struct seg {
	size_t		 a, b;		/* walk positions [a, b) */
	int		 state;		/* 0 to do, 1 done, -1 failed */
	char		 err[512];	/* when failed */
	struct wstep	*steps;
	size_t		 nsteps, scap;
	struct wev	*evs;
	size_t		 nevs, ecap;
	struct buf	 str;
};

struct walk_all {
	struct src	*s;
	const git_oid	*chain;		/* newest first */
	size_t		 n;
	struct seg	*segs;
	size_t		 nsegs;
	atomic_size_t	 next;		/* the next segment to take */
	atomic_int	 failed;
};

/* Trees by id: open addressing, never a deletion (see tcache_get). */
struct tmap {
	struct wtree	**slot;
	size_t		 cap, n;
	size_t		 bytes;		/* of the trees held */
};

struct walker {			/* one thread's */
	struct walk_all	*w;
	int		 own;		/* repo is this thread's to free */
	git_repository	*repo;
	git_odb		*odb;
	struct seg	*seg;		/* being walked */
	git_commit	*c;		/* its commit being walked */
	size_t		 k;
	bool		 stepped;	/* c has a wstep */
	struct buf	 path;
	struct tmap	*young, *old;	/* trees read: see tcache_get */
};

/* A tree read, parsed, and its object kept for the bytes. */
struct wtree {
	git_odb_object	*obj;
	struct rawtree	 t;
	git_oid		 id;
	int		 refs;		/* maps holding it */
};

static void
wfail(struct walker *wk, const char *what, const char *why)
{
	const git_error	*e;

	if (wk->seg->state == -1)
		return;
	if (why == NULL)
		why = (e = git_error_last()) != NULL && e->message != NULL ?
		    e->message : "unknown error";
	snprintf(wk->seg->err, sizeof(wk->seg->err), "%s: %s", what, why);
	wk->seg->state = -1;
}

static void
wtree_drop(struct wtree *t)
{
	git_odb_object_free(t->obj);
	t->obj = NULL;
}

/*
 * Read tree id into t and parse it, against old (its previous version,
 * or NULL): see rawtree_next.  Returns 0, or -1 after wfail.
 */
static int
wtree_read(struct walker *wk, const git_oid *id, struct wtree *t,
    const struct wtree *old)
{
	char		 hex[GIT_OID_HEXSZ + 1], why[128];
	const char	*bad;
	size_t		 len;

	wtree_drop(t);
	if (git_odb_read(&t->obj, wk->odb, id) != 0) {
		wfail(wk, "cannot read a tree", NULL);
		return -1;
	}
	git_oid_tostr(hex, sizeof(hex), id);
	len = git_odb_object_size(t->obj);
	if (git_odb_object_type(t->obj) != GIT_OBJECT_TREE)
		bad = "not a tree";
	else if (rawtree_next(&t->t, git_odb_object_data(t->obj), len,
	    old != NULL ? &old->t : NULL, &bad) == 0) {
		git_oid_cpy(&t->id, id);
		return 0;
	}
	snprintf(why, sizeof(why), "tree %.12s is malformed (%s; run 'git "
	    "fsck')", hex, bad);
	wfail(wk, "cannot read a tree", why);
	wtree_drop(t);
	return -1;
}

static size_t
tmap_hash(const git_oid *id)
{
	size_t	h;

	memcpy(&h, id->id, sizeof(h));
	return h;
}

static struct wtree *
tmap_get(const struct tmap *m, const git_oid *id)
{
	size_t	k;

	if (m->cap == 0)
		return NULL;
	for (k = tmap_hash(id) & (m->cap - 1); m->slot[k] != NULL;
	    k = (k + 1) & (m->cap - 1))
		if (git_oid_equal(&m->slot[k]->id, id))
			return m->slot[k];
	return NULL;
}

static void
tmap_put(struct tmap *m, struct wtree *t)
{
	struct wtree	**old = m->slot;
	size_t		 i, k, ocap = m->cap;

	if (2 * (m->n + 1) > m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->slot = xcalloc(m->cap, sizeof(*m->slot));
		m->n = 0;
		for (i = 0; i < ocap; i++)
			if (old[i] != NULL) {
				for (k = tmap_hash(&old[i]->id) &
				    (m->cap - 1); m->slot[k] != NULL;
				    k = (k + 1) & (m->cap - 1))
					;
				m->slot[k] = old[i];
				m->n++;
			}
		free(old);
	}
	for (k = tmap_hash(&t->id) & (m->cap - 1); m->slot[k] != NULL;
	    k = (k + 1) & (m->cap - 1))
		;
	m->slot[k] = t;
	m->n++;
	m->bytes += t->t.len + t->t.n * sizeof(*t->t.off);
	t->refs++;
}

static void
wtree_unref(struct wtree *t)
{
	if (--t->refs > 0)
		return;
	wtree_drop(t);
	rawtree_free(&t->t);
	free(t);
}

static void
tmap_clear(struct tmap *m)
{
	size_t	i;

	for (i = 0; i < m->cap; i++)
		if (m->slot[i] != NULL)
			wtree_unref(m->slot[i]);
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

/*
 * The trees a walker read, so that a tree read as a commit's new
 * version is not read again as the next one's old: a young and an old
 * generation, a tree found in the old one moving to the young one.
 * Between commits (tcache_step), when the young one holds more than
 * half WALK_CACHE, the old one is dropped and the young one takes its
 * place; so trees are never dropped during a commit's diff, and what
 * is held stays under about WALK_CACHE.
 */
static struct wtree *
tcache_get(struct walker *wk, const git_oid *id)
{
	struct wtree	*t;

	if ((t = tmap_get(wk->young, id)) != NULL)
		return t;
	if ((t = tmap_get(wk->old, id)) != NULL)
		tmap_put(wk->young, t);
	return t;
}

static void
tcache_step(struct walker *wk)
{
	struct tmap	*m;

	if (wk->young->bytes <= WALK_CACHE / 2)
		return;
	tmap_clear(wk->old);
	m = wk->old;
	wk->old = wk->young;
	wk->young = m;
}

/*
 * Tree id, from the cache or read and parsed against old (or NULL);
 * *rng and *nrng: the ranges of entries that may differ from old's (in
 * full[4] when the tree was parsed before: all of both).
 */
static struct wtree *
tcache_read(struct walker *wk, const git_oid *id, const struct wtree *old,
    size_t full[4], const size_t **rng, size_t *nrng)
{
	struct wtree	*t;

	if ((t = tcache_get(wk, id)) != NULL) {
		full[0] = full[2] = 0;
		full[1] = t->t.n;
		full[3] = old != NULL ? old->t.n : 0;
		*rng = full;
		*nrng = 1;
		return t;
	}
	t = xcalloc(1, sizeof(*t));
	if (wtree_read(wk, id, t, old) == -1) {
		rawtree_free(&t->t);
		free(t);
		return NULL;
	}
	tmap_put(wk->young, t);
	*rng = t->t.rng;
	*nrng = t->t.nrng;
	return t;
}

/* Record that the current commit gave the current path content blob. */
static void
record(struct walker *wk, const unsigned char *blob)
{
	struct seg	*sg = wk->seg;
	struct wstep	*st;
	struct wev	*ev;
	const char	*msg;

	if (!wk->stepped) {
		if (sg->nsteps == sg->scap) {
			sg->scap = sg->scap ? sg->scap * 2 : 64;
			sg->steps = xreallocarray(sg->steps, sg->scap,
			    sizeof(*sg->steps));
		}
		st = &sg->steps[sg->nsteps++];
		st->k = wk->k;
		st->time = git_commit_time(wk->c);
		msg = git_commit_message(wk->c);
		st->sum = sg->str.len;
		st->sumlen = msg != NULL ? strcspn(msg, "\n") : 0;
		buf_put(&sg->str, msg != NULL ? msg : "", st->sumlen);
		st->ev = sg->nevs;
		st->nev = 0;
		wk->stepped = true;
	}
	if (sg->nevs == sg->ecap) {
		sg->ecap = sg->ecap ? sg->ecap * 2 : 256;
		sg->evs = xreallocarray(sg->evs, sg->ecap, sizeof(*sg->evs));
	}
	ev = &sg->evs[sg->nevs++];
	ev->path = sg->str.len;
	ev->len = wk->path.len;
	buf_put(&sg->str, wk->path.data, wk->path.len);
	memcpy(ev->blob, blob, 20);
	sg->steps[sg->nsteps - 1].nev++;
}

static int	diff_sub(struct walker *, const unsigned char *,
		    const unsigned char *, int);
static int	gone_sub(struct walker *, const unsigned char *, int);

/* No content: the file is gone (see src_rev_gone). */
static const unsigned char no_blob[20];

/*
 * Record that entry oe of the tree at wk->path (mark bytes long) is
 * gone from the commit: a file, or every file of a folder.  Links and
 * submodules have no history (as when the tree is read).
 */
static int
gone(struct walker *wk, const struct rawtree_entry *oe, size_t mark,
    int depth)
{
	buf_truncate(&wk->path, mark);
	buf_put(&wk->path, oe->name, oe->namelen);
	if (rawtree_istree(oe->mode)) {
		buf_putc(&wk->path, '/');
		return gone_sub(wk, oe->id, depth + 1);
	}
	if (!rawtree_isgitlink(oe->mode) &&
	    rawtree_filemode(oe->mode) != 0120000)
		record(wk, no_blob);
	return 0;
}

/*
 * Record the files of tree nt that differ from tree ot: in each of the
 * nrng ranges (lo, hi, olo, ohi), entries [lo, hi) of nt against
 * [olo, ohi) of ot, all others being the same in both.  Files of ot no
 * longer in nt, or no longer files, are recorded as gone.  Returns 0
 * or -1.
 */
static int
diff_raw(struct walker *wk, const struct rawtree *ot,
    const struct rawtree *nt, const size_t *rng, size_t nrng, int depth)
{
	struct rawtree_entry e, oe;
	size_t		 i, j, x, mark = wk->path.len;
	bool		 has;
	int		 c;

	for (x = 0; x < nrng; x++, rng += 4) {
	for (i = rng[0], j = rng[2]; i < rng[1]; i++) {
		rawtree_at(nt, i, &e);
		has = false;
		for (; j < rng[3]; j++) {
			rawtree_at(ot, j, &oe);
			if ((c = rawtree_cmp(&oe, &e)) < 0) {
				if (gone(wk, &oe, mark, depth) == -1)
					return -1;
				continue;
			}
			if (c == 0) {
				has = true;
				j++;
			}
			break;
		}
		if (has && memcmp(oe.id, e.id, 20) == 0 &&
		    rawtree_filemode(oe.mode) == rawtree_filemode(e.mode))
			continue;	/* unchanged, tree or file */
		buf_truncate(&wk->path, mark);
		buf_put(&wk->path, e.name, e.namelen);
		if (rawtree_istree(e.mode)) {
			buf_putc(&wk->path, '/');
			if (diff_sub(wk, has && rawtree_istree(oe.mode) ?
			    oe.id : NULL, e.id, depth + 1) == -1)
				return -1;
			continue;
		}
		if (rawtree_isgitlink(e.mode) ||
		    rawtree_filemode(e.mode) == 0120000) {
			/* A file that became a link is gone. */
			if (has && gone(wk, &oe, mark, depth) == -1)
				return -1;
			continue;	/* as when the tree is read */
		}
		record(wk, e.id);
	}
	for (; j < rng[3]; j++) {	/* after the last of nt's */
		rawtree_at(ot, j, &oe);
		if (gone(wk, &oe, mark, depth) == -1)
			return -1;
	}
	}
	buf_truncate(&wk->path, mark);
	return 0;
}

/*
 * Diff tree nid against oid (NULL: none), at wk->path.  Trees come from
 * the cache, which keeps them for the whole of the commit's diff.
 */
static int
diff_tree(struct walker *wk, const git_oid *oid, const git_oid *nid,
    int depth)
{
	struct wtree	*o = NULL, *n;
	size_t		 full[4], nrng;
	const size_t	*rng;
	struct rawtree	 none;

	if (depth > WALK_DEPTH) {
		wfail(wk, "cannot read a tree", "folders nested too deep");
		return -1;
	}
	if (oid != NULL && (o = tcache_read(wk, oid, NULL, full, &rng,
	    &nrng)) == NULL)
		return -1;
	if ((n = tcache_read(wk, nid, o, full, &rng, &nrng)) == NULL)
		return -1;
	memset(&none, 0, sizeof(none));
	return diff_raw(wk, o != NULL ? &o->t : &none, &n->t, rng, nrng,
	    depth);
}

/* Record every file of tree oid, at wk->path, as gone. */
static int
gone_sub(struct walker *wk, const unsigned char *oid, int depth)
{
	struct wtree	*t;
	struct rawtree_entry e;
	git_oid		 id;
	size_t		 full[4], nrng, i, mark = wk->path.len;
	const size_t	*rng;

	if (depth > WALK_DEPTH) {
		wfail(wk, "cannot read a tree", "folders nested too deep");
		return -1;
	}
	git_oid_fromraw(&id, oid);
	if ((t = tcache_read(wk, &id, NULL, full, &rng, &nrng)) == NULL)
		return -1;
	for (i = 0; i < t->t.n; i++) {
		rawtree_at(&t->t, i, &e);
		if (gone(wk, &e, mark, depth) == -1)
			return -1;
	}
	buf_truncate(&wk->path, mark);
	return 0;
}

/* Diff subtree nid against oid (NULL: none). */
static int
diff_sub(struct walker *wk, const unsigned char *oid,
    const unsigned char *nid, int depth)
{
	git_oid		 o, n;

	if (oid != NULL)
		git_oid_fromraw(&o, oid);
	git_oid_fromraw(&n, nid);
	return diff_tree(wk, oid != NULL ? &o : NULL, &n, depth);
}

/*
 * The id of the site folder's tree in commit c: 1, or 0 when it has no
 * such folder, or -1 after wfail.
 */
static int
site_tree(struct walker *wk, git_commit *c, git_oid *out)
{
	const char	*p = wk->w->s->prefix, *slash;
	struct wtree	 t;
	struct rawtree_entry e;
	long		 k;

	git_oid_cpy(out, git_commit_tree_id(c));
	memset(&t, 0, sizeof(t));
	for (; *p != '\0'; p = slash + 1) {
		if ((slash = strchr(p, '/')) == NULL)
			slash = p + strlen(p);
		if (wtree_read(wk, out, &t, NULL) == -1) {
			rawtree_free(&t.t);
			return -1;
		}
		k = rawtree_find(&t.t, p, (size_t)(slash - p), true);
		if (k >= 0) {
			rawtree_at(&t.t, (size_t)k, &e);
			git_oid_fromraw(out, e.id);
		}
		wtree_drop(&t);
		if (k < 0 || *slash == '\0') {
			rawtree_free(&t.t);
			return k < 0 ? 0 : 1;
		}
	}
	rawtree_free(&t.t);
	return 1;
}

static int
commit_at(struct walker *wk, size_t k, git_commit **c)
{
	if (git_commit_lookup(c, wk->repo,
	    &wk->w->chain[wk->w->n - 1 - k]) != 0) {
		wfail(wk, "cannot read a commit", NULL);
		return -1;
	}
	return 0;
}

/* Walk segment sg: each commit against the one before. */
static void
walk_seg(struct walker *wk, struct seg *sg)
{
	struct src	*s = wk->w->s;
	git_commit	*c = NULL, *pc = NULL;
	git_oid		 id, oid;
	size_t		 k;
	int		 have, ohave = 0;

	wk->seg = sg;
	buf_init(&sg->str);
	/* The tree before the first commit: its parent's. */
	watch_begin(s->workdir);
	if (commit_at(wk, sg->a, &c) == -1)
		goto out;
	if (sg->a > 0) {
		if (commit_at(wk, sg->a - 1, &pc) == -1)
			goto out;
	} else if (git_commit_parentcount(c) > 0 &&
	    git_commit_parent(&pc, c, 0) != 0) {
		wfail(wk, "cannot read a commit's parent", NULL);
		goto out;
	}
	if (pc != NULL && (ohave = site_tree(wk, pc, &oid)) == -1)
		goto out;
	watch_end();
	for (k = sg->a; k < sg->b; k++) {
		if (atomic_load(&wk->w->failed))
			goto outw;	/* another segment failed */
		watch_begin(s->workdir);
		if (c == NULL && commit_at(wk, k, &c) == -1)
			goto out;
		if ((have = site_tree(wk, c, &id)) == -1)
			goto out;
		if (have == 1 && (ohave != 1 || !git_oid_equal(&oid, &id))) {
			wk->c = c;
			wk->k = k;
			wk->stepped = false;
			buf_reset(&wk->path);
			if (diff_tree(wk, ohave == 1 ? &oid : NULL, &id,
			    0) == -1)
				goto out;
			tcache_step(wk);
		} else if (have == 0 && ohave == 1) {
			/* The site folder is gone, and all its files. */
			wk->c = c;
			wk->k = k;
			wk->stepped = false;
			buf_reset(&wk->path);
			if (gone_sub(wk, oid.id, 0) == -1)
				goto out;
			tcache_step(wk);
		}
		ohave = have;		/* no site: all is new next time */
		git_oid_cpy(&oid, &id);
		git_commit_free(c);
		c = NULL;
		watch_end();
	}
	sg->state = 1;
	goto outw;
out:
	watch_end();
outw:
	git_commit_free(c);
	git_commit_free(pc);
	if (sg->state == -1)
		atomic_store(&wk->w->failed, 1);
}

static void *
walk_worker(void *arg)
{
	struct walker	*wk = arg;
	struct walk_all	*w = wk->w;
	struct tmap	 maps[2];
	size_t		 i;

	buf_init(&wk->path);
	memset(maps, 0, sizeof(maps));
	wk->young = &maps[0];
	wk->old = &maps[1];
	if (wk->own)
		wk->repo = own_repo(w->s);	/* NULL: the others do its share */
	if (wk->repo != NULL && git_repository_odb(&wk->odb, wk->repo) == 0)
		while (!atomic_load(&w->failed) &&
		    (i = atomic_fetch_add(&w->next, 1)) < w->nsegs)
			walk_seg(wk, &w->segs[i]);
	tmap_clear(wk->young);
	tmap_clear(wk->old);
	git_odb_free(wk->odb);
	wk->odb = NULL;
	if (wk->own)
		git_repository_free(wk->repo);
	buf_free(&wk->path);
	return NULL;
}

/*
 * Walk the chain (newest first, n commits) into h, oldest first, on
 * up to jobs threads.  Returns 0, or -1 after reporting.
 */
static int
walk_chain(struct src *s, const git_oid *chain, size_t n, struct hist *h,
    int jobs, struct diags *d)
{
	struct walk_all	 w;
	struct walker	*wk;
	struct seg	*sg;
	struct wstep	*st;
	struct wev	*ev;
	char		 hex[GIT_OID_HEXSZ + 1];
	size_t		 i, j, e, per;
	int		 nth, rc = 0;
	long		 ci;

	if (n == 0)
		return 0;
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.chain = chain;
	w.n = n;
	nth = par_threads(jobs, n, WALK_MIN);
	w.nsegs = nth > 1 ? (size_t)nth * WALK_SEGS : 1;
	per = (n + w.nsegs - 1) / w.nsegs;
	w.nsegs = (n + per - 1) / per;
	w.segs = xcalloc(w.nsegs, sizeof(*w.segs));
	for (i = 0; i < w.nsegs; i++) {
		w.segs[i].a = i * per;
		w.segs[i].b = i * per + per < n ? i * per + per : n;
	}
	atomic_init(&w.next, 0);
	atomic_init(&w.failed, 0);
	wk = xcalloc((size_t)nth, sizeof(*wk));
	for (i = 0; i < (size_t)nth; i++) {
		wk[i].w = &w;
		wk[i].own = i > 0;
		wk[i].repo = i > 0 ? NULL : s->repo;
	}
	par_run(walk_worker, wk, sizeof(*wk), nth);
	/* Segments no thread could take (no repository): here. */
	if (!atomic_load(&w.failed) && atomic_load(&w.next) < w.nsegs) {
		wk[0].own = 0;
		wk[0].repo = s->repo;
		walk_worker(&wk[0]);
	}
	/* The first failure in chain order, else any segment not done. */
	for (i = 0; i < w.nsegs && rc == 0; i++)
		if (w.segs[i].state == -1) {
			diag_error(d, NULL, 0, 0, "%s", w.segs[i].err);
			rc = -1;
		}
	for (i = 0; i < w.nsegs && rc == 0; i++)
		if (w.segs[i].state != 1) {
			diag_error(d, NULL, 0, 0, "cannot read a commit: the "
			    "history walk stopped");
			rc = -1;
		}
	for (i = 0; i < w.nsegs && rc == 0; i++) {
		sg = &w.segs[i];
		for (j = 0; j < sg->nsteps; j++) {
			st = &sg->steps[j];
			git_oid_tostr(hex, sizeof(hex), &chain[n - 1 - st->k]);
			ci = (long)hist_commit(h, hex, st->time, keep(s,
			    sg->str.data + st->sum, st->sumlen));
			for (e = st->ev; e < st->ev + st->nev; e++) {
				ev = &sg->evs[e];
				add_rev(h, hist_path(h, sg->str.data + ev->path,
				    ev->len, true), (size_t)ci, ev->blob);
			}
		}
	}
	for (i = 0; i < w.nsegs; i++) {
		free(w.segs[i].steps);
		free(w.segs[i].evs);
		if (w.segs[i].str.data != NULL)
			buf_free(&w.segs[i].str);
	}
	free(w.segs);
	free(wk);
	return rc;
}

int
src_history(struct src *s, const char *cachedir, struct diags *d)
{
	return src_history_jobs(s, cachedir, 0, INT64_MAX, d);
}

/*
 * Keep the files of h's paths that are gone now (their last revision is
 * a deletion), each with all its revisions and deletions, dated as the
 * site's files are.
 */
static void
free_gone(struct src *s)
{
	size_t	i;

	for (i = 0; i < s->ngone; i++) {
		free(s->gone[i].path);
		free(s->gone[i].revs);
	}
	free(s->gone);
	s->gone = NULL;
	s->ngone = 0;
}

static void
keep_gone(struct src *s, const struct hist *h, const int64_t *seen)
{
	const struct hpath *hp;
	struct src_gone	*g;
	size_t		 i, k;

	free_gone(s);
	for (i = 0; i < h->npaths; i++) {
		hp = &h->paths[i];
		if (hp->handed || hp->n < 2 || !src_rev_gone(&hp->revs[hp->n -
		    1]))
			continue;
		s->gone = xreallocarray(s->gone, s->ngone + 1,
		    sizeof(*s->gone));
		g = &s->gone[s->ngone++];
		g->path = xstrdup(hp->path);
		g->n = hp->n;
		g->revs = xreallocarray(NULL, g->n, sizeof(*g->revs));
		for (k = 0; k < g->n; k++) {
			g->revs[k] = hp->revs[k];
			g->revs[k].time = seen[hp->ci[k]];
			g->revs[k].seq = hp->ci[k];
		}
	}
}

const struct src_gone *
src_gone_files(const struct src *s, size_t *n)
{
	*n = s->ngone;
	return s->gone;
}

/*
 * The full name of the branch built (refs/heads/main), or the ref as
 * given when it names none (a commit id, a detached HEAD); malloc'd.
 */
static char *
ref_name(struct src *s)
{
	git_reference	*r = NULL;
	char		*name;
	int		 rc;

	rc = strcmp(s->ref, "HEAD") == 0 ? git_repository_head(&r, s->repo) :
	    git_reference_dwim(&r, s->repo, s->ref);
	name = xstrdup(rc == 0 && git_reference_is_branch(r) ?
	    git_reference_name(r) : s->ref);
	git_reference_free(r);
	return name;
}

/*
 * The last build, of the same branch (was: its ref_name), was of
 * commit from, which is no longer on the
 * first-parent chain of head.  When head still holds it, a merge made
 * it a second parent: typically 'git pull' merging the published branch
 * into a clerk's copy, then pushed.  What it published is now dated by
 * that merge, later than the site said before: warn, as the dates are
 * true of the branch as it now is but not of what readers saw.
 */
static void
moved_aside(struct src *s, const git_oid *head, const git_oid *from,
    const char *was, struct diags *d)
{
	char	 a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1], *now = ref_name(s);
	bool	 same = was != NULL && strcmp(was, now) == 0;

	free(now);
	/* Another branch built last (a preview), or history rewritten. */
	if (!same || git_graph_descendant_of(s->repo, head, from) != 1)
		return;
	git_oid_tostr(a, sizeof(a), from);
	git_oid_tostr(b, sizeof(b), head);
	diag_warn(d, NULL, 0, 0, "commit %.12s, which the last build was "
	    "made from, is no longer on the branch's first-parent history "
	    "(a merge, often made by 'git pull', took the published branch "
	    "as its second parent): what it published, with the commits "
	    "before it that are not on that history, is now dated by that "
	    "merge, not when it was published; to keep the dates, reset the branch to %.12s and "
	    "merge the other work into it (or pull with --rebase or "
	    "--ff-only), or declare the dates with 'published' (building "
	    "%.12s)", a, a, b);
}

int
src_history_jobs(struct src *s, const char *cachedir, int jobs,
    int64_t until, struct diags *d)
{
	struct hist	 h;
	struct buf	 cpath, cref;
	git_oid		 head, from, *chain = NULL;
	git_commit	*c = NULL, *next = NULL;
	struct hpath	*hp;
	size_t		 n = 0, cap = 0, i, k;
	int64_t		*seen = NULL;
	bool		 cached, have_cache, bad;
	int		 rc = -1;

	hsave_end(s);
	watch_begin(s->workdir);	/* a hang in libgit2 is an error */
	memset(&h, 0, sizeof(h));
	buf_init(&cpath);
	buf_init(&cref);
	current_blobs(s);
	if (s->worktree ? git_reference_name_to_id(&head, s->repo, "HEAD")
	    != 0 : git_oid_fromstr(&head, s->commit) != 0) {
		rc = 0;			/* nothing committed yet */
		goto out;
	}
	have_cache = cache_path(s, cachedir, "history", &cpath);
	cached = have_cache && cache_load(s, cpath.data, &h, &from, &cref,
	    jobs);
	/*
	 * The first-parent chain from head back to the cached head (or to
	 * the first commit).  A cached head not on the chain means the
	 * history was rewritten or another ref was built: walk it all.
	 */
	for (;;) {
		if (cached && git_oid_equal(&head, &from))
			break;
		n = 0;
		if (git_commit_lookup(&c, s->repo, &head) != 0) {
			giterr(d, NULL, "cannot read a commit");
			goto out;
		}
		for (;;) {
			if (n == cap) {
				cap = cap ? cap * 2 : 256;
				chain = xreallocarray(chain, cap,
				    sizeof(*chain));
			}
			git_oid_cpy(&chain[n++], git_commit_id(c));
			watch_tick();
			if (git_commit_parentcount(c) == 0)
				break;
			if (cached && git_oid_equal(git_commit_parent_id(c, 0),
			    &from))
				break;
			if (git_commit_parent(&next, c, 0) != 0) {
				giterr(d, NULL, "cannot read a commit's "
				    "parent");
				goto out;
			}
			git_commit_free(c);
			c = next;
			next = NULL;
		}
		if (!cached || git_commit_parentcount(c) > 0)
			break;
		cached = false;		/* reached the root: cache unusable */
		moved_aside(s, &head, &from, cref.data, d);
		hist_free(&h);
		git_commit_free(c);
		c = NULL;
	}
	if (cached && git_oid_equal(&head, &from))
		n = 0;			/* nothing new since the last build */
	git_commit_free(c);
	c = NULL;

	/* Walk the new commits oldest first, each against its parent. */
	if (walk_chain(s, chain, n, &h, jobs, d) == -1)
		goto out;

	/*
	 * A commit's date is what the site shows as a page's publication:
	 * one outside the years 1 to 9999 cannot be shown as a date, and
	 * printing it would say what is not so.
	 */
	for (i = 0, bad = false; i < h.ncommits; i++)
		if (h.commits[i].time < COMMIT_TIME_MIN ||
		    h.commits[i].time > COMMIT_TIME_MAX) {
			diag_error(d, NULL, 0, 0, "commit %s is dated %lld "
			    "seconds from 1970, outside the years 1 to 9999, "
			    "and the site's publication dates come from "
			    "commit dates (a clock was wrong or the commit "
			    "was made by hand: build a branch without it)",
			    h.commits[i].id, (long long)h.commits[i].time);
			bad = true;
		}
	if (bad)
		goto out;

	/* Hand each file of the site its revisions. */
	seen = forward_times(&h, until, d);
	for (i = 0; i < s->nfiles; i++) {
		struct entry *e = &s->files[i];

		if ((hp = hist_path(&h, e->path, strlen(e->path), false)) ==
		    NULL || hp->n == 0 || hp->handed)
			continue;
		for (k = 0; k < hp->n; k++) {
			hp->revs[k].time = seen[hp->ci[k]];
			hp->revs[k].seq = hp->ci[k];
		}
		/* Its array, not a copy: the cache may still be saved. */
		e->revs = hp->revs;
		e->nrevs = hp->n;
		hp->handed = true;
		/*
		 * A file deleted and added again: its revisions are its
		 * contents, one after another as before, and the deletions
		 * are kept beside them (src_all).
		 */
		for (k = 0; k < hp->n && !src_rev_gone(&hp->revs[k]); k++)
			continue;
		if (k == hp->n)
			continue;
		e->all = hp->revs;
		e->nall = hp->n;
		e->revs = xreallocarray(NULL, hp->n, sizeof(*e->revs));
		e->nrevs = 0;
		for (k = 0; k < hp->n; k++)
			if (!src_rev_gone(&hp->revs[k]) && (e->nrevs == 0 ||
			    memcmp(e->revs[e->nrevs - 1].blob,
			    hp->revs[k].blob, 20) != 0))
				e->revs[e->nrevs++] = hp->revs[k];
	}
	keep_gone(s, &h, seen);
	if (have_cache && n > 0)
		hsave_begin(s, &h, cpath.data, &head);
	rc = 0;
out:
	git_commit_free(c);
	git_commit_free(next);
	free(chain);
	free(seen);
	hist_free(&h);
	buf_free(&cpath);
	buf_free(&cref);
	watch_end();
	return rc;
}

const struct src_rev *
src_revisions(const struct src *s, size_t i, size_t *n)
{
	if (s->files[i].own != NULL) {
		*n = s->files[i].nown;
		return s->files[i].own;
	}
	*n = s->files[i].nrevs;
	return s->files[i].revs;
}

const struct src_rev *
src_all(const struct src *s, size_t i, size_t *n)
{
	*n = s->files[i].nall;
	return s->files[i].all;
}

bool
src_rev_gone(const struct src_rev *r)
{
	return memcmp(r->blob, no_blob, sizeof(r->blob)) == 0;
}

void
src_set_revisions(struct src *s, size_t i, struct src_rev *revs, size_t n)
{
	struct entry	*e = &s->files[i];

	/*
	 * Not in place: the history cache's writer may still be reading
	 * the walk's array (see hsave).
	 */
	free(e->own);
	/* Set, even to none: own != NULL is what says so. */
	e->own = revs != NULL ? revs : xcalloc(1, sizeof(*revs));
	e->nown = n;
}

long
src_last_change(const struct src *s, size_t i)
{
	const struct entry *e = &s->files[i];
	const struct src_rev *r;
	size_t	k, n;

	if (!e->has_cur)
		return -1;
	r = src_revisions(s, i, &n);
	for (k = n; k-- > 0;)
		if (memcmp(r[k].blob, e->cur.id, 20) == 0)
			return (long)k;
	return -1;
}

/* A blob by id through repo (one thread's handle), as src_read_blob. */
static char *
read_blob(struct src *s, git_repository *repo, const unsigned char *id,
    size_t *len)
{
	git_oid		 oid;
	char		*p;
	bool		 big;

	watch_begin(s->workdir);
	git_oid_fromraw(&oid, id);
	p = blob_bytes(repo, &oid, len, &big);
	watch_end();
	if (p == NULL && !big)
		*len = 0;	/* unread, not too large */
	return p;
}

char *
src_read_blob(struct src *s, const unsigned char *id, size_t *len)
{
	char	*p;

	pthread_mutex_lock(&s->lock);
	p = read_blob(s, s->repo, id, len);
	pthread_mutex_unlock(&s->lock);
	return p;
}

char *
src_reader_read_blob(struct src_reader *r, const unsigned char *id,
    size_t *len)
{
	if (r->repo == NULL)	/* a working tree's reader: no handle */
		return src_read_blob(r->s, id, len);
	return read_blob(r->s, r->repo, id, len);
}

/* --- damaged repositories ------------------------------------------------
 *
 * Debian's libgit2 1.5.1 has memory-safety bugs on damaged loose
 * objects: a truncated one makes it loop forever (libgit2#7342), one
 * whose header claims fewer bytes than it holds overflows the heap
 * (libgit2#7177).  Packed objects are read by other code.  So before
 * libgit2 reads any object, src_open() reads every loose object itself
 * with zlib: the header must be "type size", the body exactly size
 * bytes ending the zlib stream, and the whole must hash to the file's
 * name.  An object whose header is over SRC_MAX_FILE is not inflated
 * (it is refused if the site needs it).  Strict hash verification
 * covers packed objects, and a watchdog turns a hang inside libgit2
 * into an error within ICPGEN_GIT_TIMEOUT seconds (default 60).
 */

#define GIT_TIMEOUT	60.0
#define MAX_DAMAGED	5	/* objects reported */

static struct {
	pthread_mutex_t	 lock;
	pthread_cond_t	 cond;
	int		 depth;		/* sections open */
	bool		 idle;		/* the watchdog waits for a section */
	double		 since;		/* when the first opened */
	double		 timeout;
	char		 what[512];	/* the repository, for the message */
} watch = { .lock = PTHREAD_MUTEX_INITIALIZER };
static pthread_once_t	 watch_once = PTHREAD_ONCE_INIT;

static double
mono(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * The watchdog: when a section has been open for longer than the
 * timeout, libgit2 is stuck on a damaged repository and cannot be
 * interrupted; say so and exit.  The staging folder of the output is
 * removed by the next build, and the previous site is untouched.
 */
static void *
watchdog(void *arg)
{
	struct timespec	 ts;
	double		 at;
	char		 msg[768];
	int		 n;

	pthread_mutex_lock(&watch.lock);
	for (;;) {
		while (watch.depth == 0) {
			watch.idle = true;
			pthread_cond_wait(&watch.cond, &watch.lock);
		}
		watch.idle = false;
		at = watch.since + watch.timeout;
		if (mono() >= at) {
			n = snprintf(msg, sizeof(msg), "icpgen: error: the "
			    "repository is damaged: reading '%s' took more "
			    "than %g seconds (run 'git fsck' there)\n",
			    watch.what, watch.timeout);
			if (n > 0)	/* nothing to do if even this fails */
				(void)!write(2, msg, (size_t)n < sizeof(msg) ?
				    (size_t)n : sizeof(msg) - 1);
			_exit(3);	/* as any unreadable repository */
		}
		ts.tv_sec = (time_t)at;
		ts.tv_nsec = (long)((at - (double)ts.tv_sec) * 1e9);
		pthread_cond_timedwait(&watch.cond, &watch.lock, &ts);
	}
	return NULL;
}

static void
watch_start(void)
{
	pthread_condattr_t	 ca;
	pthread_attr_t		 ta;
	pthread_t		 t;
	const char		*e = getenv("ICPGEN_GIT_TIMEOUT");
	char			*end;

	watch.timeout = GIT_TIMEOUT;
	if (e != NULL && (watch.timeout = strtod(e, &end), *end != '\0' ||
	    !(watch.timeout > 0)))
		watch.timeout = GIT_TIMEOUT;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&watch.cond, &ca);
	pthread_condattr_destroy(&ca);
	pthread_attr_init(&ta);
	pthread_attr_setdetachstate(&ta, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &ta, watchdog, NULL) != 0)
		watch.timeout = 0;	/* no watchdog: sections are free */
	pthread_attr_destroy(&ta);
}

/*
 * Open a section of libgit2 reads of repository what; they nest.  The
 * watchdog is woken only when it waits for a section: one asleep until
 * an earlier section's deadline wakes then and sleeps again until this
 * one's, so a walk opening a section per commit costs no wake-ups.
 */
static void
watch_begin(const char *what)
{
	pthread_once(&watch_once, watch_start);
	pthread_mutex_lock(&watch.lock);
	if (watch.depth++ == 0) {
		watch.since = mono();
		snprintf(watch.what, sizeof(watch.what), "%s", what);
		if (watch.idle)
			pthread_cond_signal(&watch.cond);
	}
	pthread_mutex_unlock(&watch.lock);
}

/*
 * Close a section.  Threads reading in parallel keep sections open
 * one after another, so the timeout runs from the last section that
 * ended while others stay open: it catches a read that makes no
 * progress, not a long load.
 */
static void
watch_end(void)
{
	pthread_mutex_lock(&watch.lock);
	if (--watch.depth > 0)
		watch.since = mono();
	pthread_mutex_unlock(&watch.lock);
}

/*
 * A step of a long section made progress: the timeout is for one step
 * (a commit of the history walk, a loose object), not for the whole,
 * which on a large repository can rightly take longer.
 */
static void
watch_tick(void)
{
	pthread_mutex_lock(&watch.lock);
	watch.since = mono();
	pthread_mutex_unlock(&watch.lock);
}

/*
 * Read the loose object open at fd (named by hex, its id) with zlib
 * and check it; closes fd, and tells what file it was in st.  Returns
 * NULL when it is sound (or too large to read now: its size is then
 * refused from the header if the site needs it), else what is wrong
 * with it.
 */
static const char *
loose_check(int fd, const char *hex, struct stat *st)
{
	static const char *const types[] = { "commit", "tree", "blob",
	    "tag", NULL };
	static const git_object_t otypes[] = { GIT_OBJECT_COMMIT,
	    GIT_OBJECT_TREE, GIT_OBJECT_BLOB, GIT_OBJECT_TAG };
	unsigned char	 in[16384], hdr[64], *body = NULL;
	const char	*why = NULL;
	z_stream	 z;
	FILE		*f;
	size_t		 n, hlen, size = 0, got, i;
	git_oid		 want, have;
	int		 zr = Z_OK, eof = 0;
	char		*sp, *end;

	if (fd == -1)
		return "unreadable";
	if (fstat(fd, st) == -1 || !S_ISREG(st->st_mode)) {
		close(fd);
		return "not a regular file";
	}
	if ((f = fdopen(fd, "rb")) == NULL) {
		close(fd);
		return "unreadable";
	}
	memset(&z, 0, sizeof(z));
	memset(hdr, 0, sizeof(hdr));	/* read only below got, but say so */
	if (inflateInit(&z) != Z_OK) {
		fclose(f);
		return "unreadable";
	}
	/* The header: "type size\0", within the first 64 bytes. */
	z.next_out = hdr;
	z.avail_out = sizeof(hdr);
	while (zr == Z_OK && z.avail_out > 0 &&
	    memchr(hdr, '\0', sizeof(hdr) - z.avail_out) == NULL) {
		if (z.avail_in == 0) {
			if ((n = fread(in, 1, sizeof(in), f)) == 0) {
				eof = 1;
				break;
			}
			z.next_in = in;
			z.avail_in = (uInt)n;
		}
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_BUF_ERROR && z.avail_in == 0)
			zr = Z_OK;	/* more input needed */
	}
	got = sizeof(hdr) - z.avail_out;
	if ((zr != Z_OK && zr != Z_STREAM_END) ||
	    (sp = memchr(hdr, '\0', got)) == NULL) {
		why = eof ? "truncated" : "not a git object";
		goto out;
	}
	hlen = (size_t)((unsigned char *)sp - hdr);
	for (i = 0; types[i] != NULL; i++)
		if (hlen > strlen(types[i]) && memcmp(hdr, types[i],
		    strlen(types[i])) == 0 && hdr[strlen(types[i])] == ' ')
			break;
	if (types[i] == NULL || !isdigit_(hdr[strlen(types[i]) + 1])) {
		why = "of an unknown kind";
		goto out;
	}
	errno = 0;
	size = (size_t)strtoull((char *)hdr + strlen(types[i]) + 1, &end,
	    10);
	if (errno != 0 || end != sp) {
		why = "damaged (its header is invalid)";
		goto out;
	}
	if (size > SRC_MAX_FILE && otypes[i] == GIT_OBJECT_BLOB)
		goto out;	/* refused by size when it is needed */
	if (size > RAWTREE_MAX) {
		/* A folder or commit is read whole by libgit2: checked. */
		why = "too large to check";
		goto out;
	}
	/* The body: exactly size bytes, then the end of the stream. */
	body = xmalloc(size + 1);
	got -= hlen + 1;
	if (got > size) {
		why = "damaged (longer than its header says)";
		goto out;
	}
	memcpy(body, sp + 1, got);
	z.next_out = body + got;
	z.avail_out = (uInt)(size + 1 - got);	/* one byte too many */
	while (zr == Z_OK) {
		if (z.avail_in == 0) {
			if ((n = fread(in, 1, sizeof(in), f)) == 0)
				break;
			z.next_in = in;
			z.avail_in = (uInt)n;
		}
		zr = inflate(&z, Z_NO_FLUSH);
		if (zr == Z_BUF_ERROR && z.avail_in == 0 && z.avail_out > 0)
			zr = Z_OK;
	}
	got = size + 1 - z.avail_out;
	if (zr != Z_STREAM_END)
		why = z.avail_out == 0 ? "damaged (longer than its header "
		    "says)" : zr == Z_OK ? "truncated" : "damaged (bad "
		    "compressed data)";
	else if (got != size)
		why = got > size ? "damaged (longer than its header says)" :
		    "damaged (shorter than its header says)";
	else if (git_oid_fromstr(&want, hex) != 0 ||
	    git_odb_hash(&have, body, size, otypes[i]) != 0 ||
	    git_oid_cmp(&want, &have) != 0)
		why = "damaged (its contents do not match its id)";
out:
	inflateEnd(&z);
	fclose(f);
	free(body);
	return why;
}

/* The 20 bytes of the id whose first two hex digits are dir's. */
static void
loose_id(int dir, const char *name, char hex[GIT_OID_HEXSZ + 1],
    unsigned char id[20])
{
	git_oid	oid;
	size_t	i;

	hex[0] = "0123456789abcdef"[dir >> 4];
	hex[1] = "0123456789abcdef"[dir & 15];
	for (i = 2; i < GIT_OID_HEXSZ; i++)	/* in lower case */
		hex[i] = (char)(name[i - 2] >= 'A' && name[i - 2] <= 'F' ?
		    name[i - 2] - 'A' + 'a' : name[i - 2]);
	hex[GIT_OID_HEXSZ] = '\0';
	memset(id, 0, 20);
	if (git_oid_fromstr(&oid, hex) == 0)
		memcpy(id, oid.id, 20);
}

#define ALT_MAX		64	/* object folders in all */
#define ALT_FILE	65536	/* bytes of an alternates file read */

/* The object folders libgit2 reads objects from. */
struct objdirs {
	char		*path[ALT_MAX];
	dev_t		 dev[ALT_MAX];
	ino_t		 ino[ALT_MAX];
	size_t		 n;
	const char	*why;		/* set: what cannot be checked */
};

/*
 * Add the object folder dir and, through its info/alternates, the
 * folders it borrows objects from (git clone --shared or --reference),
 * read as libgit2 1.5 reads them (odb.c, load_alternates): a line per
 * folder, split at CR or LF, empty lines and those starting with '#'
 * skipped; a line starting with '.' is under dir only in the
 * repository's own file, any other is taken as it is.  libgit2 stops
 * after five levels and skips a folder with the inode of one it has (on any
 * device); here every folder reachable is added, once for each device
 * and inode, so those libgit2 reads are among them whichever way it
 * reached them.
 */
static void	objdirs_add(struct objdirs *, const char *, int);

struct alt_arg {
	struct objdirs	*ds;
	int		 depth;
};

static void
alt_found(void *arg, const char *path)
{
	struct alt_arg	*a = arg;

	objdirs_add(a->ds, path, a->depth + 1);
}

static void
objdirs_add(struct objdirs *ds, const char *dir, int depth)
{
	struct stat	 st;
	struct buf	 b;
	struct alt_arg	 ab;
	char		*text;
	size_t		 i, len;
	ssize_t		 r;
	int		 fd;

	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		return;
	for (i = 0; i < ds->n; i++)
		if (ds->dev[i] == st.st_dev && ds->ino[i] == st.st_ino)
			return;
	if (ds->n == ALT_MAX) {
		ds->why = "more than 63 object folders";
		return;
	}
	ds->path[ds->n] = xstrdup(dir);
	ds->dev[ds->n] = st.st_dev;
	ds->ino[ds->n++] = st.st_ino;
	buf_init(&b);
	buf_printf(&b, "%s/info/alternates", dir);
	text = xmalloc(ALT_FILE + 2);
	len = 0;
	/* Not blocking: a pipe there would wait for a writer forever. */
	if ((fd = open(b.data, O_RDONLY | O_NONBLOCK | O_CLOEXEC)) != -1) {
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
			while (len <= ALT_FILE && (r = read(fd, text + len,
			    ALT_FILE + 1 - len)) > 0)
				len += (size_t)r;
		else
			ds->why = "its alternates file is not a regular file";
		close(fd);
	}
	if (len > ALT_FILE)	/* libgit2 would read the rest */
		ds->why = "an alternates file is over 64 KB";
	text[len] = '\0';
	buf_free(&b);
	ab.ds = ds;
	ab.depth = depth;
	src_alternates_parse(text, dir, depth == 0, alt_found, &ab);
	free(text);
}

void
src_alternates_parse(char *text, const char *dir, bool own,
    void (*fn)(void *, const char *), void *arg)
{
	struct buf	 b;
	char		*line, *save = NULL;

	buf_init(&b);
	for (line = strtok_r(text, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save)) {
		if (*line == '#')
			continue;
		buf_reset(&b);
		if (*line == '.' && own)
			buf_printf(&b, "%s/%s", dir, line);
		else
			buf_puts(&b, line);
		fn(arg, b.data);
	}
	buf_free(&b);
}

/*
 * Check the loose objects in the object folder dir, but for those whose
 * files are as they were when a build found them sound (objmemo.h).
 * Returns how many were damaged, reported, at most MAX_DAMAGED - bad.
 */
static unsigned
verify_dir(struct src *s, const char *dir, struct objmemo *memo,
    unsigned bad, struct diags *d)
{
	struct objmemo_file f;
	struct buf	 path;
	struct stat	 st;
	DIR		*dp;
	struct dirent	*de;
	const char	*why;
	char		 hex[GIT_OID_HEXSZ + 1];
	unsigned char	 id[20];
	unsigned	 found = 0;
	int		 i;

	buf_init(&path);
	for (i = 0; i < 256 && bad + found < MAX_DAMAGED; i++) {
		buf_reset(&path);
		buf_printf(&path, "%s/%02x", dir, i);
		if ((dp = opendir(path.data)) == NULL)
			continue;
		while ((de = readdir(dp)) != NULL &&
		    bad + found < MAX_DAMAGED) {
			/*
			 * Upper case too: on a file system that ignores
			 * case, libgit2 opening a name in lower case
			 * reads that file.
			 */
			if (strlen(de->d_name) != GIT_OID_HEXSZ - 2 ||
			    strspn(de->d_name, "0123456789abcdefABCDEF") !=
			    GIT_OID_HEXSZ - 2)
				continue;	/* temporary files */
			loose_id(i, de->d_name, hex, id);
			if (fstatat(dirfd(dp), de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) {
				objmemo_file(&st, &f);
				if (objmemo_sound(memo, id, &f)) {
					objmemo_put(memo, id, &f);
					continue;
				}
			}
			watch_tick();
			/* Not blocking: a pipe would wait for ever. */
			if ((why = loose_check(openat(dirfd(dp), de->d_name,
			    O_RDONLY | O_NONBLOCK | O_CLOEXEC), hex,
			    &st)) == NULL) {
				/* Sound, so a regular file (loose_check). */
				objmemo_file(&st, &f);
				objmemo_put(memo, id, &f);
				continue;
			}
			diag_error(d, NULL, 0, 0, "the repository is damaged: "
			    "object %s is %s (run 'git fsck' in '%s')", hex,
			    why, s->workdir);
			found++;
		}
		closedir(dp);
	}
	buf_free(&path);
	return found;
}

/*
 * Check every loose object libgit2 could read, in the repository and in
 * the object folders it borrows from, before libgit2 reads any (see
 * above), but for those whose files are as they were when the last
 * build found them sound (objmemo.h): a repository that is not packed
 * often (git gc starts at 6,700 loose objects) would otherwise have
 * them all inflated and hashed again by every build, even one with
 * nothing to do.  Returns 0, or -1 after reporting the damaged ones.
 */
static int
verify_loose(struct src *s, const char *cache_dir, struct diags *d)
{
	struct objdirs	*ds = xcalloc(1, sizeof(*ds));
	struct objmemo	*memo;
	struct buf	 path;
	unsigned	 bad = 0;
	size_t		 i;

	buf_init(&path);
	memo = objmemo_open(cache_path(s, cache_dir, "loose", &path) ?
	    path.data : NULL);
	buf_reset(&path);
	buf_printf(&path, "%sobjects", git_repository_commondir(s->repo));
	objdirs_add(ds, path.data, 0);
	if (ds->why != NULL) {
		diag_error(d, NULL, 0, 0, "the repository borrows objects "
		    "(objects/info/alternates in '%s') in a way icpgen cannot "
		    "check: %s (clone it without --shared or --reference)",
		    s->workdir, ds->why);
		bad = MAX_DAMAGED;
	}
	for (i = 0; i < ds->n && bad < MAX_DAMAGED; i++)
		bad += verify_dir(s, ds->path[i], memo, bad, d);
	for (i = 0; i < ds->n; i++)
		free(ds->path[i]);
	free(ds);
	buf_free(&path);
	objmemo_close(memo, bad == 0);
	return bad > 0 ? -1 : 0;
}

static int
isdigit_(int c)
{
	return c >= '0' && c <= '9';
}
