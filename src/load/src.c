/*
 * The content source, read with libgit2.
 */
#include <errno.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "load/src.h"

#define SRC_MAX_FILE	(64 * 1024 * 1024)	/* refuse larger files */
#define SRC_MAX_FILES	500000

struct entry {
	struct src_file	 pub;		/* pub.path is path */
	char		*path;
	git_oid		 oid;		/* tree mode */
	char		*data;		/* cached contents or NULL */
	size_t		 len;
};

struct src {
	git_repository	*repo;
	int		 worktree;
	char		*workdir;	/* with trailing '/' */
	char		*prefix;	/* "" or "sub/dir/" */
	char		*sitedir;	/* workdir + prefix, on disk */
	char		 commit[GIT_OID_HEXSZ + 1];
	int64_t		 time;
	struct entry	*files;
	size_t		 nfiles, cap;
	pthread_mutex_t	 lock;		/* libgit2 objects per call */
};

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
};

static int
walk_tree(const char *root, const git_tree_entry *te, void *arg)
{
	struct walk	*w = arg;
	const git_oid	*oid = git_tree_entry_id(te);
	size_t		 len = 0;
	git_object_t	 type;

	if (git_tree_entry_type(te) != GIT_OBJECT_BLOB)
		return 0;	/* trees are walked; submodules skipped */
	if (git_tree_entry_filemode(te) == GIT_FILEMODE_LINK)
		return 0;	/* symbolic links could point anywhere */
	if (git_odb_read_header(&len, &type, w->odb, oid) != 0)
		len = 0;
	buf_reset(&w->path);
	buf_puts(&w->path, root);
	buf_puts(&w->path, git_tree_entry_name(te));
	add(w->s, w->path.data, len, oid);
	return w->s->nfiles > SRC_MAX_FILES ? -1 : 0;
}

static int
load_tree(struct src *s, const char *ref, struct diags *d)
{
	git_object	*obj = NULL;
	git_commit	*commit = NULL;
	git_tree	*tree = NULL, *sub = NULL;
	git_tree_entry	*te = NULL;
	struct walk	 w;
	int		 rc = -1;

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
	memset(&w, 0, sizeof(w));
	w.s = s;
	if (git_repository_odb(&w.odb, s->repo) != 0) {
		giterr(d, NULL, "cannot open the object database");
		goto out;
	}
	buf_init(&w.path);
	rc = git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, walk_tree, &w);
	buf_free(&w.path);
	git_odb_free(w.odb);
	if (rc != 0) {
		diag_error(d, NULL, 0, 0, "the site has more than %d files",
		    SRC_MAX_FILES);
		rc = -1;
	}
out:
	git_tree_entry_free(te);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	return rc;
}

/* Recursively list dir (relative rel) on disk, skipping ignored files. */
static int
walk_disk(struct src *s, struct buf *rel, struct diags *d)
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
		if (lstat(full.data, &st) == -1 || S_ISLNK(st.st_mode))
			continue;
		buf_reset(&repo);
		buf_printf(&repo, "%s%s%s", s->prefix, rel->data,
		    S_ISDIR(st.st_mode) ? "/" : "");
		if (git_ignore_path_is_ignored(&ign, s->repo, repo.data) == 0
		    && ign)
			continue;
		if (S_ISDIR(st.st_mode)) {
			buf_putc(rel, '/');
			rc = walk_disk(s, rel, d);
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

	if (realpath(dir, real) == NULL) {
		diag_error(d, NULL, 0, 0, "cannot open site folder '%s': %s",
		    dir, strerror(errno));
		return -1;
	}
	if (git_repository_open_ext(&s->repo, real, 0, NULL) != 0) {
		diag_error(d, NULL, 0, 0, "'%s' is not in a git repository "
		    "(run 'git init' there and commit the content)", dir);
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
	buf_free(&b);
	return 0;
}

struct src *
src_open(const char *dir, const char *ref, bool worktree, struct diags *d)
{
	struct src	*s;
	struct buf	 rel;
	git_object	*head = NULL;
	int		 rc;

	git_libgit2_init();
	s = xcalloc(1, sizeof(*s));
	pthread_mutex_init(&s->lock, NULL);
	s->worktree = worktree;
	if (locate(s, dir, d) == -1)
		goto fail;
	if (worktree) {
		snprintf(s->commit, sizeof(s->commit), "worktree");
		s->time = (int64_t)time(NULL);
		if (git_revparse_single(&head, s->repo, "HEAD") == 0) {
			git_commit *c = NULL;

			if (git_object_peel((git_object **)&c, head,
			    GIT_OBJECT_COMMIT) == 0)
				s->time = git_commit_time(c);
			git_commit_free(c);
			git_object_free(head);
		}
		buf_init(&rel);
		rc = walk_disk(s, &rel, d);
		buf_free(&rel);
	} else
		rc = load_tree(s, ref != NULL ? ref : "HEAD", d);
	if (rc == -1)
		goto fail;
	qsort(s->files, s->nfiles, sizeof(*s->files), cmp);
	return s;
fail:
	src_close(s);
	return NULL;
}

void
src_close(struct src *s)
{
	size_t	i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nfiles; i++) {
		free(s->files[i].path);
		free(s->files[i].data);
	}
	free(s->files);
	free(s->workdir);
	free(s->prefix);
	free(s->sitedir);
	git_repository_free(s->repo);
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
		diag_error(d, shown, 0, 0, "file is larger than %d MB",
		    SRC_MAX_FILE / (1024 * 1024));
		fclose(f);
		return NULL;
	}
	p = xmalloc((size_t)st.st_size + 1);
	*len = fread(p, 1, (size_t)st.st_size, f);
	p[*len] = '\0';
	fclose(f);
	return p;
}

const char *
src_read(struct src *s, size_t i, size_t *len, struct diags *d)
{
	struct entry	*e = &s->files[i];
	git_blob	*blob = NULL;
	struct buf	 path;
	char		*p = NULL;
	size_t		 n = 0;

	pthread_mutex_lock(&s->lock);
	if (e->data != NULL)
		goto done;
	if (s->worktree) {
		buf_init(&path);
		buf_printf(&path, "%s%s", s->sitedir, e->pub.path);
		p = read_disk(path.data, &n, d, e->pub.path);
		buf_free(&path);
	} else if (git_blob_lookup(&blob, s->repo, &e->oid) != 0) {
		giterr(d, e->pub.path, "cannot read from git");
	} else if ((n = (size_t)git_blob_rawsize(blob)) > SRC_MAX_FILE) {
		diag_error(d, e->pub.path, 0, 0, "file is larger than %d MB",
		    SRC_MAX_FILE / (1024 * 1024));
	} else {
		p = xmalloc(n + 1);
		memcpy(p, git_blob_rawcontent(blob), n);
		p[n] = '\0';
	}
	git_blob_free(blob);
	if (p == NULL) {
		pthread_mutex_unlock(&s->lock);
		return NULL;
	}
	e->data = p;
	e->len = n;
	e->pub.size = n;
done:
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

const char *
src_commit(const struct src *s)
{
	return s->commit;
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
