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
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "load/src.h"

#define SRC_MAX_FILE	(64 * 1024 * 1024)	/* refuse larger files */
#define SRC_MAX_FILES	500000

struct entry {
	struct src_file	 pub;		/* pub.path is path */
	char		*path;
	git_oid		 oid;		/* tree mode */
	char		*data;		/* cached contents or NULL */
	size_t		 len;
	struct src_rev	*revs;		/* history, oldest first */
	size_t		 nrevs;
	git_oid		 cur;		/* blob id of the content read */
	int		 has_cur;
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
	char		**strings;	/* commit summaries */
	size_t		 nstrings;
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
		free(s->files[i].revs);
	}
	for (i = 0; i < s->nstrings; i++)
		free(s->strings[i]);
	free(s->strings);
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

/* --- history ------------------------------------------------------------ */

#define CACHE_MAGIC	"icpgen-history 1"

static const char *
keep(struct src *s, const char *str, size_t n)
{
	char	*p = xstrndup(str, n), *c;

	for (c = p; *c != '\0'; c++)
		if (*c == '\t' || *c == '\r' || *c == '\n')
			*c = ' ';
	s->strings = xreallocarray(s->strings, s->nstrings + 1,
	    sizeof(*s->strings));
	s->strings[s->nstrings++] = p;
	return p;
}

/* Record that commit c gave file e the content blob (unless it had it). */
static void
add_rev(struct src *s, struct entry *e, const char *commit, int64_t time,
    const char *summary, const unsigned char *blob)
{
	struct src_rev	*r;

	if (e->nrevs > 0 && memcmp(e->revs[e->nrevs - 1].blob, blob, 20) == 0)
		return;		/* same content again: not a change */
	e->revs = xreallocarray(e->revs, e->nrevs + 1, sizeof(*e->revs));
	r = &e->revs[e->nrevs++];
	memcpy(r->commit, commit, 41);
	r->time = time;
	r->summary = summary;
	memcpy(r->blob, blob, 20);
}

/* Where the cache of this site's history lives. */
static void
cache_path(struct src *s, struct buf *b)
{
	buf_printf(b, "%sicpgen-history-%016llx", git_repository_path(s->repo),
	    (unsigned long long)text_hash(s->prefix, strlen(s->prefix)));
}

/*
 * Load the cache: returns 1 and sets *from when it holds the history up
 * to commit *from, an ancestor of (or equal to) head; 0 otherwise.
 */
static int
cache_load(struct src *s, const git_oid *head, git_oid *from)
{
	struct buf	 path;
	FILE		*f;
	char		*line = NULL, *fld[5], *p;
	size_t		 cap = 0, k;
	ssize_t		 n;
	git_oid		 blob;
	long		 i;
	int		 ok = 0;

	buf_init(&path);
	cache_path(s, &path);
	f = fopen(path.data, "r");
	buf_free(&path);
	if (f == NULL)
		return 0;
	if (getline(&line, &cap, f) <= 0 ||
	    strncmp(line, CACHE_MAGIC "\n", sizeof(CACHE_MAGIC)) != 0 ||
	    getline(&line, &cap, f) <= 0 || strncmp(line, "commit ", 7) != 0 ||
	    git_oid_fromstrn(from, line + 7, GIT_OID_HEXSZ) != 0 ||
	    (!git_oid_equal(from, head) &&
	    git_graph_descendant_of(s->repo, head, from) != 1))
		goto out;		/* none, or history was rewritten */
	while ((n = getline(&line, &cap, f)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		for (k = 0, p = line; k < 5; k++) {
			fld[k] = p;
			if (k < 4 && (p = strchr(p, '\t')) == NULL)
				break;
			if (k < 4)
				*p++ = '\0';
		}
		if (k < 4 || strlen(fld[1]) != 40 ||
		    git_oid_fromstr(&blob, fld[3]) != 0)
			continue;
		if ((i = src_find(s, fld[0])) < 0)
			continue;	/* no longer in the site */
		add_rev(s, &s->files[i], fld[1], strtoll(fld[2], NULL, 10),
		    keep(s, fld[4], strlen(fld[4])), blob.id);
	}
	ok = 1;
out:
	free(line);
	fclose(f);
	return ok;
}

/* Save the cache, written whole to a new file and renamed into place. */
static void
cache_save(struct src *s, const git_oid *head)
{
	struct buf	 path, tmp;
	FILE		*f;
	char		 hex[GIT_OID_HEXSZ + 1];
	git_oid		 blob;
	size_t		 i, j;

	buf_init(&path);
	buf_init(&tmp);
	cache_path(s, &path);
	buf_printf(&tmp, "%s.%ld", path.data, (long)getpid());
	if ((f = fopen(tmp.data, "w")) != NULL) {
		git_oid_tostr(hex, sizeof(hex), head);
		fprintf(f, CACHE_MAGIC "\ncommit %s\n", hex);
		for (i = 0; i < s->nfiles; i++)
			for (j = 0; j < s->files[i].nrevs; j++) {
				git_oid_fromraw(&blob, s->files[i].revs[j].blob);
				git_oid_tostr(hex, sizeof(hex), &blob);
				fprintf(f, "%s\t%s\t%lld\t%s\t%s\n",
				    s->files[i].path, s->files[i].revs[j].commit,
				    (long long)s->files[i].revs[j].time, hex,
				    s->files[i].revs[j].summary);
			}
		if (fclose(f) == 0)
			rename(tmp.data, path.data);	/* a cache: best effort */
		else
			unlink(tmp.data);
	}
	buf_free(&path);
	buf_free(&tmp);
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
		buf_reset(&path);
		buf_printf(&path, "%s%s", s->sitedir, e->path);
		e->has_cur = git_odb_hashfile(&e->cur, path.data,
		    GIT_OBJECT_BLOB) == 0;
	}
	buf_free(&path);
}

int
src_history(struct src *s, struct diags *d)
{
	git_revwalk	*w = NULL;
	git_oid		 head, from, oid;
	git_commit	*c = NULL, *parent = NULL;
	git_tree	*tree = NULL, *ptree = NULL;
	git_diff	*diff = NULL;
	git_diff_options opts;
	char		*spec[1], hex[GIT_OID_HEXSZ + 1];
	const char	*msg, *summary;
	size_t		 i, plen = strlen(s->prefix), nd;
	long		 at;
	int		 rc = -1;

	current_blobs(s);
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (s->worktree ? git_reference_name_to_id(&head, s->repo, "HEAD")
	    != 0 : git_oid_fromstr(&head, s->commit) != 0)
		return 0;		/* nothing committed yet */
	if (git_revwalk_new(&w, s->repo) != 0 ||
	    git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
	    GIT_SORT_REVERSE) != 0 || git_revwalk_push(w, &head) != 0) {
		giterr(d, NULL, "cannot walk the history");
		goto out;
	}
	if (cache_load(s, &head, &from)) {
		if (git_oid_equal(&from, &head)) {
			rc = 0;		/* nothing new since the last build */
			goto out;
		}
		git_revwalk_hide(w, &from);	/* walked before */
	}
	spec[0] = s->prefix;
	if (plen > 0) {
		opts.pathspec.strings = spec;
		opts.pathspec.count = 1;
	}
	while (git_revwalk_next(&oid, w) == 0) {
		if (git_commit_lookup(&c, s->repo, &oid) != 0 ||
		    git_commit_tree(&tree, c) != 0) {
			giterr(d, NULL, "cannot read a commit");
			goto out;
		}
		if (git_commit_parentcount(c) > 0 &&
		    (git_commit_parent(&parent, c, 0) != 0 ||
		    git_commit_tree(&ptree, parent) != 0)) {
			giterr(d, NULL, "cannot read a commit's parent");
			goto out;
		}
		if (git_diff_tree_to_tree(&diff, s->repo, ptree, tree,
		    &opts) != 0) {
			giterr(d, NULL, "cannot compare commits");
			goto out;
		}
		git_oid_tostr(hex, sizeof(hex), &oid);
		msg = git_commit_message(c);
		summary = keep(s, msg ? msg : "", msg ? strcspn(msg, "\n") : 0);
		nd = git_diff_num_deltas(diff);
		for (i = 0; i < nd; i++) {
			const git_diff_delta *dl = git_diff_get_delta(diff, i);

			if (dl->status == GIT_DELTA_DELETED ||
			    strncmp(dl->new_file.path, s->prefix, plen) != 0)
				continue;
			if ((at = src_find(s, dl->new_file.path + plen)) < 0)
				continue;	/* not in the site now */
			add_rev(s, &s->files[at], hex, git_commit_time(c),
			    summary, dl->new_file.id.id);
		}
		git_diff_free(diff);
		diff = NULL;
		git_tree_free(ptree);
		git_tree_free(tree);
		git_commit_free(parent);
		git_commit_free(c);
		ptree = tree = NULL;
		parent = c = NULL;
	}
	cache_save(s, &head);
	rc = 0;
out:
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	git_revwalk_free(w);
	return rc;
}

const struct src_rev *
src_revisions(const struct src *s, size_t i, size_t *n)
{
	*n = s->files[i].nrevs;
	return s->files[i].revs;
}

long
src_last_change(const struct src *s, size_t i)
{
	const struct entry *e = &s->files[i];
	size_t	k;

	if (!e->has_cur)
		return -1;
	for (k = e->nrevs; k-- > 0;)
		if (memcmp(e->revs[k].blob, e->cur.id, 20) == 0)
			return (long)k;
	return -1;
}

char *
src_read_blob(struct src *s, const unsigned char *id, size_t *len)
{
	git_blob	*b = NULL;
	git_oid		 oid;
	char		*p = NULL;

	pthread_mutex_lock(&s->lock);
	git_oid_fromraw(&oid, id);
	if (git_blob_lookup(&b, s->repo, &oid) == 0 &&
	    (size_t)git_blob_rawsize(b) <= SRC_MAX_FILE) {
		*len = (size_t)git_blob_rawsize(b);
		p = xmalloc(*len + 1);
		memcpy(p, git_blob_rawcontent(b), *len);
		p[*len] = '\0';
	}
	git_blob_free(b);
	pthread_mutex_unlock(&s->lock);
	return p;
}

struct diffctx {
	src_diff_fn	 fn;
	void		*ctx;
};

static int
diff_line(const git_diff_delta *dl, const git_diff_hunk *h,
    const git_diff_line *l, void *arg)
{
	struct diffctx	*dc = arg;
	size_t		 n = l->content_len;

	if (l->origin != GIT_DIFF_LINE_ADDITION &&
	    l->origin != GIT_DIFF_LINE_DELETION &&
	    l->origin != GIT_DIFF_LINE_CONTEXT)
		return 0;
	while (n > 0 && (l->content[n - 1] == '\n' || l->content[n - 1] ==
	    '\r'))
		n--;
	dc->fn(dc->ctx, l->origin == GIT_DIFF_LINE_ADDITION ? '+' :
	    l->origin == GIT_DIFF_LINE_DELETION ? '-' : ' ', l->content, n);
	return 0;
}

static int
diff_hunk(const git_diff_delta *dl, const git_diff_hunk *h, void *arg)
{
	struct diffctx	*dc = arg;

	dc->fn(dc->ctx, '@', h->header, strcspn(h->header, "\n"));
	return 0;
}

int
src_diff(struct src *s, const unsigned char *old, const unsigned char *new,
    src_diff_fn fn, void *ctx)
{
	git_blob	*a = NULL, *b = NULL;
	git_oid		 oa, ob;
	git_diff_options opts;
	struct diffctx	 dc = { fn, ctx };
	int		 rc = -1;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	pthread_mutex_lock(&s->lock);
	opts.context_lines = 2;
	if (old != NULL) {
		git_oid_fromraw(&oa, old);
		if (git_blob_lookup(&a, s->repo, &oa) != 0)
			goto out;
	}
	git_oid_fromraw(&ob, new);
	if (git_blob_lookup(&b, s->repo, &ob) != 0)
		goto out;
	rc = git_diff_blobs(a, NULL, b, NULL, &opts, NULL, NULL, diff_hunk,
	    diff_line, &dc) == 0 ? 0 : -1;
out:
	git_blob_free(a);
	git_blob_free(b);
	pthread_mutex_unlock(&s->lock);
	return rc;
}
