/*
 * The build manifest (see manifest.h).  A text file:
 *
 *	icpgen-manifest 1
 *	site SITE			the repository folder and site folder
 *	out OUT				the output folder, absolute
 *	inputs HEX			SHA-256 of the inputs
 *	theme DIR			a theme folder read (any number)
 *	themesum HEX			SHA-256 of those folders' files
 *	root DEV INO MTIME CTIME	the output folder
 *	d INO MTIME CTIME PATH		a folder in it
 *	f INO SIZE MODE MTIME CTIME PATH	a file in it
 *	end N				the number of d and f lines
 *
 * Times are in nanoseconds; strings escape bytes up to space, '%' and
 * DEL as %XX.  Anything else (a short file, a bad number, a path with
 * "..") makes the whole manifest ignored.
 *
 * When the site it describes is replaced, the manifest becomes
 * FILE.spare, the listing of what is now the spare (manifest_spare,
 * for out_begin_listed), read the same way.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/strtab.h"
#include "util/text.h"
#include "load/src.h"
#include "load/theme.h"
#include "emit/out.h"
#include "emit/manifest.h"

#define MAGIC		"icpgen-manifest 2\n"
#define PAGES_MAGIC	"icpgen-pages 1\n"
#define EXTRA_MAGIC	"icpgen-extra 1\n"
#define MAX_SIZE	(512u << 20)	/* bytes of a manifest read */
#define MAX_RECS	4000000		/* folders and files in one */
#define MAX_TREE_FILES	200000		/* files of the theme folders */
#define MAX_TREE_BYTES	(1024ull << 20)

struct rec {
	char		*path;
	int		 dir;
	bool		 known;		/* stated by the build: not again */
	unsigned long long ino, size, nlink;
	unsigned	 mode;
	long long	 mt, ct;
};

/* A page's keys (indices into a key table) and their digest. */
struct page_rec {
	char		*out;		/* the output file's path */
	unsigned char	 dg[32];
	uint32_t	*ids;
	size_t		 n;
	bool		 set;
};

struct manifest {
	char		*file;		/* the manifest */
	char		*site;		/* key: site folder ... */
	char		*out;		/* ... and absolute output folder */
	char		 inputs[65];
	bool		 inputs_ok;
	/* The previous manifest, when one was read whole. */
	bool		 have;
	char		 old_inputs[65], old_themesum[65];
	bool		 old_warned;	/* that build gave warnings */
	bool		 spared;	/* it is the spare's listing now */
	bool		 warned;	/* this one did (manifest_warned) */
	char		**old_themes;
	size_t		 nold_themes;
	struct rec	*recs;
	size_t		 nrecs;
	unsigned long long root_dev, root_ino;
	long long	 root_mt, root_ct;
	/* This build's theme folders. */
	char		**themes;
	size_t		 nthemes;
	char		 themesum[65];
	bool		 theme_ok;
	/* The inputs but the commit: what every page's bytes depend on. */
	struct sha256	 base;
	/* Pages kept (see manifest.h), the last build's ... */
	char		**okeys;
	size_t		 nokeys;
	struct page_rec	*opages;	/* sorted by out */
	size_t		 nopages;
	/* ... and this build's. */
	char		 global[65];
	bool		 pages_ok;
	pthread_mutex_t	 klock;
	struct strtab	 keys;
	atomic_uint	*kmap;		/* okeys' numbers in keys, + 1 */
	struct page_rec	*pages;		/* per page index */
	size_t		 npages;
	/* This build's extra data (manifest_extra_begin), not yet in place. */
	char		*extra_tmp;
	/*
	 * The last build's page keys and extra data as read ahead by a
	 * thread (manifest_prefetch); nothing above is touched by it but
	 * okeys, nokeys, opages and nopages, until it is joined.
	 */
	pthread_t	 pre;
	bool		 pre_running, pre_done, pre_ok;
	unsigned long long pre_tree[2];
	size_t		 pre_ends[2];
	char		 pre_global[65];
	char		*pre_extra;
	size_t		 pre_extra_len;
};

static long long
ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

static void
hex(const unsigned char dg[32], char out[65])
{
	static const char	digit[] = "0123456789abcdef";
	size_t			i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = digit[dg[i] >> 4];
		out[2 * i + 1] = digit[dg[i] & 15];
	}
	out[64] = '\0';
}

/* s with its spaces, controls, '%' and DEL as %XX; runs of the rest whole. */
static void
esc(FILE *f, const char *s)
{
	const char	*run;

	for (;;) {
		for (run = s; (unsigned char)*s > ' ' && *s != '%' &&
		    *s != 0x7f; s++)
			;
		if (s > run)
			fwrite(run, 1, (size_t)(s - run), f);
		if (*s == '\0')
			return;
		fprintf(f, "%%%02X", (unsigned char)*s++);
	}
}

/* " v" (v signed) before end: the start. */
static char *
snum(char *end, long long v)
{
	end = text_digits(end, v < 0 ? 0ULL - (unsigned long long)v :
	    (unsigned long long)v, 10);
	if (v < 0)
		*--end = '-';
	*--end = ' ';
	return end;
}

/* " v" (v unsigned, in base) before end: the start. */
static char *
unum(char *end, unsigned long long v, unsigned base)
{
	end = text_digits(end, v, base);
	*--end = ' ';
	return end;
}

/* Unescape s in place; -1 if malformed. */
static int
unesc(char *s)
{
	char	*o = s;
	int	 h, l;

	for (; *s != '\0'; s++) {
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return -1;
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if ((h = text_hexval(s[1])) < 0 || (l = text_hexval(s[2])) < 0 ||
		    (h == 0 && l == 0))
			return -1;
		*o++ = (char)(h << 4 | l);
		s += 2;
	}
	*o = '\0';
	return 0;
}

/* A relative path with no empty, "." or ".." part. */
static bool
tame(const char *p)
{
	const char	*e;
	size_t		 n;

	for (;;) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return false;
		if (e == NULL)
			return true;
		p = e + 1;
	}
}

/* --- fingerprints ---------------------------------------------------- */

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Feed every file under dir/rel to c, in name order: its path, size
 * and bytes.  Links are followed (npm folders use them) to a bounded
 * depth.  -1 when a file cannot be read or the folder is too large.
 */
static int
hash_tree(struct sha256 *c, const char *dir, struct buf *rel, int depth,
    size_t *files, unsigned long long *bytes)
{
	DIR		*dp;
	struct dirent	*de;
	struct stat	 st;
	struct buf	 full;
	char		**names = NULL, rbuf[65536];
	size_t		 n = 0, cap = 0, i, mark = rel->len;
	ssize_t		 r;
	int		 fd, rc = 0;

	buf_init(&full);
	buf_printf(&full, "%s/%s", dir, rel->data);
	if (depth > 32 || (dp = opendir(full.data)) == NULL) {
		buf_free(&full);
		return -1;
	}
	while ((de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = xreallocarray(names, cap, sizeof(*names));
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dp);
	if (n > 1)
		qsort(names, n, sizeof(*names), namecmp);
	for (i = 0; i < n && rc == 0; i++) {
		buf_truncate(rel, mark);
		buf_puts(rel, names[i]);
		buf_reset(&full);
		buf_printf(&full, "%s/%s", dir, rel->data);
		if (stat(full.data, &st) == -1) {
			rc = -1;
			break;
		}
		if (S_ISDIR(st.st_mode)) {
			sha256_update(c, "D", 1);
			sha256_update(c, rel->data, rel->len + 1);
			buf_putc(rel, '/');
			rc = hash_tree(c, dir, rel, depth + 1, files, bytes);
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue;
		if (++*files > MAX_TREE_FILES ||
		    (*bytes += (unsigned long long)st.st_size) >
		    MAX_TREE_BYTES ||
		    (fd = open(full.data, O_RDONLY | O_CLOEXEC)) == -1) {
			rc = -1;
			break;
		}
		sha256_update(c, "F", 1);
		sha256_update(c, rel->data, rel->len + 1);
		while ((r = read(fd, rbuf, sizeof(rbuf))) > 0)
			sha256_update(c, rbuf, (size_t)r);
		if (r == -1)
			rc = -1;
		sha256_update(c, "\0", 1);
		close(fd);
	}
	buf_truncate(rel, mark);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	buf_free(&full);
	return rc;
}

/* The fingerprint of the files in the folders dirs; -1 if unreadable. */
static int
hash_dirs(char *const *dirs, size_t n, char out[65])
{
	struct sha256		 c;
	struct buf		 rel;
	unsigned char		 dg[32];
	unsigned long long	 bytes = 0;
	size_t			 i, files = 0;
	struct stat		 st;
	int			 rc = 0;

	sha256_init(&c);
	buf_init(&rel);
	for (i = 0; i < n && rc == 0; i++) {
		sha256_update(&c, dirs[i], strlen(dirs[i]) + 1);
		if (stat(dirs[i], &st) == -1) {
			sha256_update(&c, "absent", 7);
			continue;
		}
		buf_reset(&rel);
		buf_puts(&rel, "");
		rc = hash_tree(&c, dirs[i], &rel, 0, &files, &bytes);
	}
	buf_free(&rel);
	sha256_final(&c, dg);
	hex(dg, out);
	return rc;
}

/*
 * The inputs that are known before the site is loaded.  The commit id
 * fixes every site file and its history; the working tree is read.
 */
static bool
hash_inputs(struct manifest *m, struct src *src, int64_t day,
    const char *base_url, const char *themedir, const char *nodedir)
{
	struct sha256	 c;
	unsigned char	 dg[32], id[32];
	char		 num[128];
	size_t		 i;
	bool		 ok = true;

	sha256_init(&c);
	sha256_update(&c, MAGIC, sizeof(MAGIC));
	/* The binary itself: a rebuilt icpgen may write other bytes. */
	if (!sha256_self(&c))
		return false;
	snprintf(num, sizeof(num), "%lld", (long long)day);
	sha256_update(&c, num, strlen(num) + 1);
	sha256_update(&c, base_url ? base_url : "\1", strlen(base_url ?
	    base_url : "\1") + 1);
	sha256_update(&c, themedir ? themedir : "", strlen(themedir ?
	    themedir : "") + 1);
	sha256_update(&c, nodedir ? nodedir : "", strlen(nodedir ?
	    nodedir : "") + 1);
	m->base = c;		/* every input but the content */
	sha256_update(&c, src_commit(src), strlen(src_commit(src)) + 1);
	sha256_update(&c, src_head(src), strlen(src_head(src)) + 1);
	/* Each file's content id was taken when the tree was read. */
	if (strcmp(src_commit(src), "worktree") == 0)
		for (i = 0; i < src_count(src) && ok; i++) {
			const char *path = src_file(src, i)->path;

			if (!(ok = src_content_id(src, i, id)))
				break;
			sha256_update(&c, path, strlen(path) + 1);
			sha256_update(&c, id, sizeof(id));
		}
	sha256_final(&c, dg);
	hex(dg, m->inputs);
	return ok;
}

/* --- reading ----------------------------------------------------------- */

static void
forget_old(struct manifest *m)
{
	size_t	i;

	for (i = 0; i < m->nrecs; i++)
		free(m->recs[i].path);
	free(m->recs);
	m->recs = NULL;
	m->nrecs = 0;
	for (i = 0; i < m->nold_themes; i++)
		free(m->old_themes[i]);
	free(m->old_themes);
	m->old_themes = NULL;
	m->nold_themes = 0;
	m->have = false;
}

static bool
is_hex64(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

/*
 * An unsigned number in base 8 or 10 at *p, followed by one space
 * (which *p is moved past); false when there is none or it is too
 * large.
 */
static bool
field(char **p, unsigned base, unsigned long long *v)
{
	char			*s = *p;
	unsigned long long	 x = 0;
	unsigned		 dg;

	if (*s < '0' || (unsigned)(*s - '0') >= base)
		return false;
	while (*s >= '0' && (dg = (unsigned)(*s - '0')) < base) {
		if (x > (ULLONG_MAX - dg) / base)
			return false;
		x = x * base + dg;
		s++;
	}
	if (*s != ' ')
		return false;
	*p = s + 1;
	*v = x;
	return true;
}

/* One line (NUL-terminated, without its newline); -1 if malformed. */
static int
parse_line(struct manifest *m, char *l, int *state, unsigned long *end)
{
	struct rec	 r;
	char		*arg;
	unsigned long long mt, ct, mode;
	int		 k = 0;

	memset(&r, 0, sizeof(r));
	if ((arg = strchr(l, ' ')) == NULL)
		return -1;
	*arg++ = '\0';
	if (*state == 1)	/* after "end": nothing */
		return -1;
	if (strcmp(l, "site") == 0 || strcmp(l, "out") == 0) {
		if (unesc(arg) == -1 || strcmp(arg, *l == 's' ? m->site :
		    m->out) != 0)
			return -1;	/* another site's: a hash collision */
		return 0;
	}
	if (strcmp(l, "inputs") == 0 || strcmp(l, "themesum") == 0) {
		if (!is_hex64(arg))
			return -1;
		memcpy(*l == 'i' ? m->old_inputs : m->old_themesum, arg, 65);
		return 0;
	}
	if (strcmp(l, "theme") == 0) {
		if (unesc(arg) == -1 || m->nold_themes >= 64)
			return -1;
		m->old_themes = xreallocarray(m->old_themes,
		    m->nold_themes + 1, sizeof(*m->old_themes));
		m->old_themes[m->nold_themes++] = xstrdup(arg);
		return 0;
	}
	if (strcmp(l, "warned") == 0) {
		if (strcmp(arg, "1") != 0)
			return -1;
		m->old_warned = true;
		return 0;
	}
	if (strcmp(l, "root") == 0)
		return sscanf(arg, "%llu %llu %lld %lld%n", &m->root_dev,
		    &m->root_ino, &m->root_mt, &m->root_ct, &k) == 4 &&
		    arg[k] == '\0' ? 0 : -1;
	if (strcmp(l, "end") == 0) {
		*state = 1;
		return sscanf(arg, "%lu%n", end, &k) == 1 && arg[k] == '\0' ?
		    0 : -1;
	}
	/* A line a file or folder: tens of thousands, so no sscanf. */
	if (strcmp(l, "d") == 0) {
		r.dir = 1;
		if (!field(&arg, 10, &r.ino) || !field(&arg, 10, &mt) ||
		    !field(&arg, 10, &ct))
			return -1;
	} else if (strcmp(l, "f") == 0) {
		if (!field(&arg, 10, &r.ino) || !field(&arg, 10, &r.size) ||
		    !field(&arg, 8, &mode) || mode > 07777 ||
		    !field(&arg, 10, &r.nlink) || !field(&arg, 10, &mt) ||
		    !field(&arg, 10, &ct))
			return -1;
		r.mode = (unsigned)mode;
	} else
		return -1;
	if (mt > LLONG_MAX || ct > LLONG_MAX)
		return -1;
	r.mt = (long long)mt;
	r.ct = (long long)ct;
	if (unesc(arg) == -1 || !tame(arg) || m->nrecs >= MAX_RECS)
		return -1;
	if ((m->nrecs & (m->nrecs - 1)) == 0)
		m->recs = xreallocarray(m->recs, m->nrecs ? m->nrecs * 2 : 1,
		    sizeof(*m->recs));
	r.path = xstrdup(arg);
	m->recs[m->nrecs++] = r;
	return 0;
}

/*
 * The whole of file, malloc'd and NUL-terminated, when it is a regular
 * file longer than magic, of at most MAX_SIZE bytes, that starts with
 * it; *len set.  NULL otherwise.
 */
static char *
read_whole(const char *file, const char *magic, size_t *len)
{
	struct stat	 st;
	char		*text;
	size_t		 got = 0, n = strlen(magic);
	ssize_t		 r;
	int		 fd;

	if ((fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size <= (off_t)n || st.st_size > MAX_SIZE) {
		close(fd);
		return NULL;
	}
	text = xmalloc_big((size_t)st.st_size + 1);
	while (got < (size_t)st.st_size && (r = read(fd, text + got,
	    (size_t)st.st_size - got)) > 0)
		got += (size_t)r;
	close(fd);
	if (got != (size_t)st.st_size || memcmp(text, magic, n) != 0) {
		free(text);
		return NULL;
	}
	text[got] = '\0';
	*len = got;
	return text;
}

/* Are the len bytes at text lines: the last ending one, none a NUL? */
static bool
lines_ok(const char *text, size_t len)
{
	return len > 0 && text[len - 1] == '\n' &&
	    memchr(text, '\0', len) == NULL;
}

/*
 * The lines of file after its first, magic, malloc'd; *end set to their
 * end.  NULL when it cannot be read whole, is too large, holds a NUL or
 * does not end with a newline.
 */
static char *
read_lines(const char *file, const char *magic, char **end)
{
	char	*text;
	size_t	 got;

	if ((text = read_whole(file, magic, &got)) == NULL)
		return NULL;
	if (!lines_ok(text, got)) {
		free(text);
		return NULL;
	}
	*end = text + got;
	return text;
}

/*
 * Parse a manifest's lines, text to end (each ending with a newline,
 * no NUL among them; changed in place), into m: have set when they
 * were all sound.
 */
static void
parse_text(struct manifest *m, char *text, char *end)
{
	char		*p, *nl;
	unsigned long	 count = 0;
	int		 state = 0;

	m->have = true;
	for (p = text; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		*nl = '\0';
		if (parse_line(m, p, &state, &count) == -1) {
			m->have = false;
			break;
		}
	}
	if (state != 1 || count != m->nrecs || !is_hex64(m->old_inputs) ||
	    !is_hex64(m->old_themesum) || m->root_ino == 0)
		m->have = false;
	if (!m->have)
		forget_old(m);
}

/* Read the manifest file into m (have set when it was read whole). */
static void
read_file(struct manifest *m, const char *file)
{
	char	*text, *end;

	if ((text = read_lines(file, MAGIC, &end)) == NULL)
		return;
	parse_text(m, text + sizeof(MAGIC) - 1, end);
	free(text);
}

static void
read_old(struct manifest *m)
{
	read_file(m, m->file);
}

/* --- the manifest -------------------------------------------------------- */

struct manifest *
manifest_open(const char *file, const char *cachedir, const char *out,
    struct src *src, int64_t day, const char *base_url, const char *themedir,
    const char *nodedir)
{
	struct manifest	*m;
	struct buf	 b, key;
	const char	*env;
	char		 cwd[4096], *slash;
	size_t		 n = strlen(out);

	buf_init(&b);
	if (file != NULL)
		buf_puts(&b, file);
	else {
		if (cachedir != NULL && *cachedir != '\0')
			buf_puts(&b, cachedir);
		else if ((env = getenv("XDG_CACHE_HOME")) != NULL &&
		    *env == '/')
			buf_printf(&b, "%s/icpgen", env);
		else if ((env = getenv("HOME")) != NULL && *env == '/')
			buf_printf(&b, "%s/.cache/icpgen", env);
		else {
			buf_free(&b);
			return NULL;
		}
		if (mkdir(b.data, 0700) == -1 && errno == ENOENT &&
		    (slash = strrchr(b.data, '/')) != NULL &&
		    slash != b.data) {
			*slash = '\0';		/* ~/.cache may not exist */
			(void)mkdir(b.data, 0700);
			*slash = '/';
			(void)mkdir(b.data, 0700);
		}
	}
	m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->klock, NULL);
	buf_init(&key);
	buf_printf(&key, "%s%s", src_root(src), src_prefix(src));
	m->site = buf_detach(&key);
	while (n > 1 && out[n - 1] == '/')
		n--;
	if (*out == '/')
		buf_put(&key, out, n);
	else if (getcwd(cwd, sizeof(cwd)) != NULL) {
		buf_printf(&key, "%s/", cwd);
		buf_put(&key, out, n);
	} else {
		buf_free(&b);
		free(m->site);
		free(m);
		return NULL;
	}
	m->out = buf_detach(&key);
	if (file == NULL) {
		buf_put(&key, m->site, strlen(m->site) + 1);
		buf_puts(&key, m->out);
		buf_printf(&b, "/build-%016llx",
		    (unsigned long long)text_hash(key.data, key.len));
	}
	buf_free(&key);
	m->file = buf_detach(&b);
	buf_free(&b);
	m->inputs_ok = hash_inputs(m, src, day, base_url, themedir, nodedir);
	read_old(m);
	return m;
}

/* Records from..to of the output folder fd, checked in a thread. */
struct check {
	const struct manifest	*m;
	int			 fd;
	size_t			 from, to;
	bool			 ok;
};

static void *
check_recs(void *arg)
{
	struct check	*c = arg;
	struct stat	 st;
	size_t		 i;

	for (i = c->from; i < c->to && c->ok; i++) {
		const struct rec *r = &c->m->recs[i];

		if (fstatat(c->fd, r->path, &st, AT_SYMLINK_NOFOLLOW) == -1 ||
		    st.st_ino != r->ino || ns(&st.st_mtim) != r->mt ||
		    ns(&st.st_ctim) != r->ct || st.st_dev != c->m->root_dev)
			c->ok = false;
		else if (r->dir ? !S_ISDIR(st.st_mode) :
		    (!S_ISREG(st.st_mode) || st.st_nlink != r->nlink ||
		    (unsigned long long)st.st_size != r->size ||
		    (st.st_mode & 07777) != r->mode))
			c->ok = false;
	}
	return NULL;
}

void
manifest_warned(struct manifest *m)
{
	if (m != NULL)
		m->warned = true;
}

bool
manifest_had(const struct manifest *m)
{
	return m != NULL && m->have;
}

bool
manifest_fresh(struct manifest *m)
{
	struct stat	 st;
	char		 sum[65];
	int		 fd;
	bool		 ok = true;

	if (m == NULL || !m->have || !m->inputs_ok || m->old_warned ||
	    strcmp(m->inputs, m->old_inputs) != 0 ||
	    hash_dirs(m->old_themes, m->nold_themes, sum) == -1 ||
	    strcmp(sum, m->old_themesum) != 0)
		return false;
	if ((fd = open(m->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return false;
	if (fstat(fd, &st) == -1 || st.st_dev != m->root_dev ||
	    st.st_ino != m->root_ino || ns(&st.st_mtim) != m->root_mt ||
	    ns(&st.st_ctim) != m->root_ct)
		ok = false;
	else {
		struct check	 half[2];
		pthread_t	 th;
		bool		 two;

		/* One stat a file: half of them in a second thread. */
		half[0] = (struct check){ m, fd, 0, m->nrecs / 2, true };
		half[1] = (struct check){ m, fd, m->nrecs / 2, m->nrecs, true };
		two = m->nrecs >= 4096 &&
		    pthread_create(&th, NULL, check_recs, &half[1]) == 0;
		if (!two)
			half[0].to = m->nrecs;
		check_recs(&half[0]);
		if (two)
			pthread_join(th, NULL);
		ok = half[0].ok && (!two || half[1].ok);
	}
	close(fd);
	return ok;
}

void
manifest_theme(struct manifest *m, const struct theme *t)
{
	const char *const *incs;
	size_t		  i;

	if (m == NULL || t == NULL)
		return;
	m->themes = xcalloc(66, sizeof(*m->themes));
	m->themes[m->nthemes++] = xstrdup(theme_dir(t));
	incs = theme_include_paths(t);
	for (i = 0; incs != NULL && incs[i] != NULL && m->nthemes < 64; i++)
		m->themes[m->nthemes++] = xstrdup(incs[i]);
	m->theme_ok = incs == NULL || incs[i] == NULL;
	if (m->theme_ok && hash_dirs(m->themes, m->nthemes, m->themesum) == -1)
		m->theme_ok = false;
}

/* The file beside the manifest named with suffix (malloc'd). */
static char *
side_file(const struct manifest *m, const char *suffix)
{
	struct buf	 b;
	char		*s;

	buf_init(&b);
	buf_printf(&b, "%s%s", m->file, suffix);
	s = buf_detach(&b);
	buf_free(&b);		/* buf_detach leaves b ready for use */
	return s;
}

#define PAGES_FILE	".pages"	/* the page keys, beside the manifest */
#define EXTRA_FILE	".extra"	/* manifest_extra_begin's */
#define SPARE_FILE	".spare"	/* the manifest of the site replaced */

/* The listing of t, read (have) or not; t's records are given to it. */
static bool
to_listing(struct manifest *t, struct out_listing *l)
{
	size_t	i;

	if (!t->have) {
		forget_old(t);
		return false;
	}
	l->dev = t->root_dev;
	l->ino = t->root_ino;
	l->mt = t->root_mt;
	l->n = t->nrecs;
	l->v = xreallocarray(NULL, t->nrecs + 1, sizeof(*l->v));
	for (i = 0; i < t->nrecs; i++) {
		l->v[i].path = t->recs[i].path;
		l->v[i].dir = t->recs[i].dir;
		l->v[i].ino = t->recs[i].ino;
		l->v[i].mt = t->recs[i].mt;
		l->v[i].ct = t->recs[i].ct;
		t->recs[i].path = NULL;
	}
	forget_old(t);
	return true;
}

bool
manifest_listing_parse(const char *data, size_t len, const char *site,
    const char *out, struct out_listing *l)
{
	struct manifest	 t;
	char		*text;
	size_t		 n = sizeof(MAGIC) - 1;

	if (len <= n || len > MAX_SIZE || memcmp(data, MAGIC, n) != 0 ||
	    !lines_ok(data, len))
		return false;
	memset(&t, 0, sizeof(t));
	t.site = (char *)(uintptr_t)site;	/* only compared */
	t.out = (char *)(uintptr_t)out;
	text = xmalloc(len + 1);
	memcpy(text, data, len);
	text[len] = '\0';
	parse_text(&t, text + n, text + len);
	free(text);
	return to_listing(&t, l);
}

bool
manifest_spare(void *arg, struct out_listing *l)
{
	const struct manifest *m = arg;
	struct manifest	 t;
	char		*file;

	memset(&t, 0, sizeof(t));
	t.site = m->site;	/* read only, as file, by this thread */
	t.out = m->out;
	file = side_file(m, SPARE_FILE);
	read_file(&t, file);
	free(file);
	return to_listing(&t, l);
}

/*
 * The head of the pages and extra files: the build they go with (its
 * inputs but the content) and the output folder it made.
 */
static size_t
side_head(char *b, size_t size, const char *magic, const char *global,
    unsigned long long dev, unsigned long long ino)
{
	return (size_t)snprintf(b, size, "%sglobal %s\ntree %llu %llu\n",
	    magic, global, dev, ino);
}

static void	manifest_join(struct manifest *);

void
manifest_forget(struct manifest *m)
{
	char	*pf;

	if (m == NULL)
		return;
	manifest_join(m);
	/*
	 * The site it describes is about to become the spare: it is kept
	 * as that's listing (manifest_spare), once; else any listing of
	 * another site goes.
	 */
	pf = side_file(m, SPARE_FILE);
	if (!m->spared && m->have && rename(m->file, pf) == 0)
		m->spared = true;
	else if (!m->spared)
		(void)unlink(pf);
	free(pf);
	(void)unlink(m->file);
	pf = side_file(m, PAGES_FILE);
	(void)unlink(pf);
	free(pf);
	pf = side_file(m, EXTRA_FILE);
	(void)unlink(pf);
	free(pf);
}

static void	save_pages(struct manifest *, unsigned long long,
		    unsigned long long);

static int
reccmp(const void *a, const void *b)
{
	return strcmp(((const struct rec *)a)->path,
	    ((const struct rec *)b)->path);
}

/*
 * Stat rec in the output folder fd; keep the latest time seen.  -1 if
 * it is gone (something else is changing the folder).
 */
static int
take(int fd, struct rec *r, long long *latest)
{
	struct stat	st;

	if (!r->known) {
		if (fstatat(fd, r->path, &st, AT_SYMLINK_NOFOLLOW) == -1)
			return -1;
		r->ino = (unsigned long long)st.st_ino;
		r->size = (unsigned long long)st.st_size;
		r->mode = (unsigned)(st.st_mode & 07777);
		r->nlink = (unsigned long long)st.st_nlink;
		r->mt = ns(&st.st_mtim);
		r->ct = ns(&st.st_ctim);
	}
	if (r->mt > *latest)
		*latest = r->mt;
	if (r->ct > *latest)
		*latest = r->ct;
	return 0;
}

/* Records from..to, stated in a thread. */
struct take_job {
	int		 fd;
	struct rec	*recs;
	size_t		 from, to;
	long long	 latest;
	bool		 ok;
};

static void *
take_some(void *arg)
{
	struct take_job	*j = arg;
	size_t		 i;

	for (i = j->from; i < j->to && j->ok; i++)
		if (!tame(j->recs[i].path) || take(j->fd, &j->recs[i],
		    &j->latest) == -1)
			j->ok = false;
	return NULL;
}

/* Stat every record, half of them in a second thread when many. */
static bool
take_all(int fd, struct rec *recs, size_t nr, long long *latest)
{
	struct take_job	 half[2];
	pthread_t	 th;
	bool		 two;

	half[0] = (struct take_job){ fd, recs, 0, nr / 2, *latest, true };
	half[1] = (struct take_job){ fd, recs, nr / 2, nr, *latest, true };
	two = nr >= 4096 && pthread_create(&th, NULL, take_some,
	    &half[1]) == 0;
	if (!two)
		half[0].to = nr;
	take_some(&half[0]);
	if (two)
		pthread_join(th, NULL);
	if (two && half[1].latest > half[0].latest)
		half[0].latest = half[1].latest;
	*latest = half[0].latest;
	return half[0].ok && (!two || half[1].ok);
}

struct pages_job {
	struct manifest		*m;
	unsigned long long	 dev, ino;
};

static void *
pages_thread(void *arg)
{
	struct pages_job *j = arg;

	save_pages(j->m, j->dev, j->ino);
	return NULL;
}

static int
entry_path_cmp(const void *key, const void *e)
{
	return strcmp(key, ((const struct out_entry *)e)->path);
}

/* The folder at path among the n sorted folders v, or NULL. */
static const struct out_entry *
folder_known(const struct out_entry *v, size_t n, const char *path)
{
	return n == 0 ? NULL : bsearch(path, v, n, sizeof(*v),
	    entry_path_cmp);
}

void
manifest_save(struct manifest *m, unsigned long long dev,
    unsigned long long ino, char *const *paths, const struct out_prev *kept,
    size_t n, const struct out_entry *folders, size_t nfolders)
{
	const struct out_entry *fk;
	struct rec	*recs = NULL;
	struct stat	 st;
	struct timespec	 now, nap = { 0, 1000000 };
	struct buf	 tmp;
	FILE		*f = NULL;
	long long	 latest;
	size_t		 nr = 0, cap = 0, i, k;
	char		*p;
	int		 fd, tries, ok = 0;
	struct pages_job pj;
	pthread_t	 pth;
	bool		 joined = true, saved = false;

	if (m == NULL || !m->inputs_ok || !m->theme_ok)
		return;
	if ((fd = open(m->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return;
	/*
	 * Every file, and every folder above one.  The paths are sorted,
	 * so a folder above the path before was added with it (any left
	 * twice are removed after sorting).  Most pages have a folder of
	 * their own: room for as many folders as files, grown if need be.
	 */
	cap = 2 * n + 16;
	recs = xreallocarray(NULL, cap, sizeof(*recs));
	for (i = 0; i < n; i++) {
		for (p = paths[i]; (p = strchr(p, '/')) != NULL; p++) {
			if (i > 0 && strncmp(paths[i - 1], paths[i],
			    (size_t)(p - paths[i])) == 0 &&
			    paths[i - 1][p - paths[i]] == '/')
				continue;
			if (nr == cap) {
				cap = cap ? cap * 2 : 1024;
				recs = xreallocarray(recs, cap, sizeof(*recs));
			}
			memset(&recs[nr], 0, sizeof(*recs));
			recs[nr].dir = 1;
			recs[nr].path = xstrndup(paths[i],
			    (size_t)(p - paths[i]));
			if ((fk = folder_known(folders, nfolders,
			    recs[nr].path)) != NULL) {
				recs[nr].known = true;
				recs[nr].ino = fk->ino;
				recs[nr].mt = fk->mt;
				recs[nr].ct = fk->ct;
			}
			nr++;
		}
		if (nr == cap) {
			cap = cap ? cap * 2 : 1024;
			recs = xreallocarray(recs, cap, sizeof(*recs));
		}
		memset(&recs[nr], 0, sizeof(*recs));
		if (kept != NULL && kept[i].dev != 0 && kept[i].dev == dev) {
			recs[nr].known = true;
			recs[nr].ino = kept[i].ino;
			recs[nr].size = kept[i].size;
			recs[nr].mode = kept[i].mode;
			recs[nr].nlink = kept[i].nlink;
			recs[nr].mt = kept[i].mt;
			recs[nr].ct = kept[i].ct;
		}
		recs[nr++].path = xstrdup(paths[i]);
	}
	if (nr > 1)
		qsort(recs, nr, sizeof(*recs), reccmp);
	for (i = k = 0; i < nr; i++)
		if (k > 0 && strcmp(recs[k - 1].path, recs[i].path) == 0)
			free(recs[i].path);
		else
			recs[k++] = recs[i];
	nr = k;
	if (fstat(fd, &st) == -1 || st.st_dev != dev || st.st_ino != ino)
		goto out;	/* not the folder this build made */
	/* The page keys meanwhile, in a thread; gone again if this fails. */
	pj = (struct pages_job){ m, dev, ino };
	if (pthread_create(&pth, NULL, pages_thread, &pj) == 0)
		joined = false;
	else
		save_pages(m, dev, ino);
	latest = ns(&st.st_mtim) > ns(&st.st_ctim) ? ns(&st.st_mtim) :
	    ns(&st.st_ctim);
	if (!take_all(fd, recs, nr, &latest))
		goto out;
	/*
	 * A file changed later within the same clock tick as our last
	 * write could keep its times: wait for the tick to pass, so that
	 * any change from now on shows in the times recorded.
	 */
	for (tries = 0; tries < 200; tries++) {
		clock_gettime(CLOCK_REALTIME_COARSE, &now);
		if (ns(&now) > latest)
			break;
		nanosleep(&nap, NULL);
	}
	if (tries == 200)
		goto out;	/* the clock disagrees with the file system */
	buf_init(&tmp);
	buf_printf(&tmp, "%s.tmp-%ld", m->file, (long)getpid());
	if ((f = fopen(tmp.data, "wxe")) == NULL) {
		buf_free(&tmp);
		goto out;
	}
	fputs(MAGIC, f);
	fputs("site ", f);
	esc(f, m->site);
	fputs("\nout ", f);
	esc(f, m->out);
	fprintf(f, "\ninputs %s\n", m->inputs);
	for (i = 0; i < m->nthemes; i++) {
		fputs("theme ", f);
		esc(f, m->themes[i]);
		fputc('\n', f);
	}
	fprintf(f, "themesum %s\n", m->themesum);
	if (m->warned)
		fputs("warned 1\n", f);
	fprintf(f, "root %llu %llu %lld %lld\n", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino, ns(&st.st_mtim), ns(&st.st_ctim));
	for (i = 0; i < nr; i++) {
		/* "d INO MT CT " or "f INO SIZE MODE NLINK MT CT ", built
		 * from the end. */
		char	 line[160], *l = line + sizeof(line);

		*--l = ' ';
		l = snum(l, recs[i].ct);
		l = snum(l, recs[i].mt);
		if (!recs[i].dir) {
			l = unum(l, recs[i].nlink, 10);
			l = unum(l, recs[i].mode, 8);
			l = unum(l, recs[i].size, 10);
		}
		l = unum(l, recs[i].ino, 10);
		*--l = recs[i].dir ? 'd' : 'f';
		fwrite(l, 1, (size_t)(line + sizeof(line) - l), f);
		esc(f, recs[i].path);
		fputc('\n', f);
	}
	fprintf(f, "end %zu\n", nr);
	ok = fflush(f) == 0 && !ferror(f);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp.data, m->file) == -1)
		(void)unlink(tmp.data);
	else
		saved = true;
	buf_free(&tmp);
out:
	if (!joined)
		pthread_join(pth, NULL);
	if (!saved)
		manifest_forget(m);	/* page keys without a manifest */
	for (i = 0; i < nr; i++)
		free(recs[i].path);
	free(recs);
	close(fd);
}

/* --- pages kept --------------------------------------------------------- */

static void
free_recs(struct page_rec *r, size_t n, bool own_out)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		if (own_out)
			free(r[i].out);
		free(r[i].ids);
	}
	free(r);
}

static int
pagecmp(const void *a, const void *b)
{
	return strcmp(((const struct page_rec *)a)->out,
	    ((const struct page_rec *)b)->out);
}

static int
unhex(const char *h, unsigned char dg[32])
{
	size_t	i;

	if (!is_hex64(h))
		return -1;
	for (i = 0; i < 32; i++)
		dg[i] = (unsigned char)(text_hexval(h[2 * i]) << 4 |
		    text_hexval(h[2 * i + 1]));
	return 0;
}

/* One line of the pages file; -1 if malformed. */
static int
pages_line(struct manifest *m, char *l, unsigned long long *tree,
    char *global, size_t *ends)
{
	struct page_rec	 r;
	char		*arg, *sp, *id, *end;
	unsigned long	 v;

	if ((arg = strchr(l, ' ')) == NULL || ends[0] != (size_t)-1)
		return -1;
	*arg++ = '\0';
	if (strcmp(l, "global") == 0) {
		if (!is_hex64(arg))
			return -1;
		memcpy(global, arg, 65);
		return 0;
	}
	if (strcmp(l, "tree") == 0)
		return sscanf(arg, "%llu %llu", &tree[0], &tree[1]) == 2 ? 0 :
		    -1;
	if (strcmp(l, "end") == 0)
		return sscanf(arg, "%zu %zu", &ends[0], &ends[1]) == 2 ? 0 : -1;
	if (strcmp(l, "k") == 0) {
		if (unesc(arg) == -1 || *arg == '\0' || m->nokeys >= MAX_RECS)
			return -1;
		if ((m->nokeys & (m->nokeys - 1)) == 0)
			m->okeys = xreallocarray(m->okeys, m->nokeys ?
			    m->nokeys * 2 : 1, sizeof(*m->okeys));
		m->okeys[m->nokeys++] = xstrdup(arg);
		return 0;
	}
	if (strcmp(l, "p") != 0 || (sp = strchr(arg, ' ')) == NULL)
		return -1;
	*sp++ = '\0';
	memset(&r, 0, sizeof(r));
	if (unhex(arg, r.dg) == -1)
		return -1;
	arg = sp;
	if ((sp = strchr(arg, ' ')) == NULL)
		return -1;
	*sp++ = '\0';
	if (unesc(arg) == -1 || !tame(arg) || m->nopages >= MAX_RECS)
		return -1;
	for (id = sp; *id != '\0'; id = *end == ',' ? end + 1 : end) {
		if (*id < '0' || *id > '9')
			goto bad;
		v = strtoul(id, &end, 10);
		if (v >= m->nokeys || (*end != ',' && *end != '\0') ||
		    r.n >= 100000)
			goto bad;
		if ((r.n & (r.n - 1)) == 0)
			r.ids = xreallocarray(r.ids, r.n ? r.n * 2 : 1,
			    sizeof(*r.ids));
		r.ids[r.n++] = (uint32_t)v;
	}
	if (r.n == 0)
		goto bad;
	r.out = xstrdup(arg);
	if ((m->nopages & (m->nopages - 1)) == 0)
		m->opages = xreallocarray(m->opages, m->nopages ?
		    m->nopages * 2 : 1, sizeof(*m->opages));
	m->opages[m->nopages++] = r;
	return 0;
bad:
	free(r.ids);
	return -1;
}

/*
 * Read the last build's page keys (parsed, sorted and checked for
 * paths twice: pre_ok) and what was there of them to compare
 * (pre_tree, pre_global, pre_ends), and its extra data whole.
 */
static void
read_pages(struct manifest *m)
{
	char	*pf, *text, *p, *nl, *end;
	size_t	 i;

	m->pre_done = true;
	m->pre_ok = false;
	m->pre_tree[0] = m->pre_tree[1] = 0;
	m->pre_ends[0] = (size_t)-1;
	m->pre_ends[1] = 0;
	m->pre_global[0] = '\0';
	pf = side_file(m, EXTRA_FILE);
	m->pre_extra = read_whole(pf, EXTRA_MAGIC, &m->pre_extra_len);
	free(pf);
	pf = side_file(m, PAGES_FILE);
	text = read_lines(pf, PAGES_MAGIC, &end);
	free(pf);
	if (text == NULL)
		return;
	for (p = text + sizeof(PAGES_MAGIC) - 1; p < end; p = nl + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		*nl = '\0';
		if (pages_line(m, p, m->pre_tree, m->pre_global,
		    m->pre_ends) == -1)
			goto out;
	}
	qsort(m->opages, m->nopages, sizeof(*m->opages), pagecmp);
	for (i = 1; i < m->nopages; i++)
		if (strcmp(m->opages[i - 1].out, m->opages[i].out) == 0)
			goto out;
	m->pre_ok = true;
out:
	free(text);
}

static void *
prefetch_thread(void *arg)
{
	read_pages(arg);
	return NULL;
}

void
manifest_prefetch(struct manifest *m)
{
	if (m == NULL || !m->have || m->pre_running || m->pre_done)
		return;
	if (pthread_create(&m->pre, NULL, prefetch_thread, m) == 0)
		m->pre_running = true;
}

static void
manifest_join(struct manifest *m)
{
	if (m->pre_running) {
		pthread_join(m->pre, NULL);
		m->pre_running = false;
	}
}

bool
manifest_pages(struct manifest *m, size_t npages,
    const unsigned char extra[32])
{
	struct sha256	 c;
	unsigned char	 dg[32];
	struct stat	 st;
	bool		 same;

	if (m == NULL || !m->inputs_ok || !m->theme_ok)
		return false;
	manifest_join(m);
	c = m->base;
	sha256_update(&c, m->themesum, sizeof(m->themesum));
	sha256_update(&c, extra, 32);
	sha256_final(&c, dg);
	hex(dg, m->global);
	m->pages = xcalloc(npages ? npages : 1, sizeof(*m->pages));
	m->npages = npages;
	m->pages_ok = true;
	/*
	 * The last build's, when it was of the output folder that is
	 * there: if that was removed or replaced, no page can be kept, and
	 * none is worked out.
	 */
	same = m->have && stat(m->out, &st) == 0 &&
	    (unsigned long long)st.st_dev == m->root_dev &&
	    (unsigned long long)st.st_ino == m->root_ino;
	if (same && !m->pre_done)
		read_pages(m);
	if (!same || !m->pre_ok || m->pre_ends[0] != m->nokeys ||
	    m->pre_ends[1] != m->nopages ||
	    strcmp(m->pre_global, m->global) != 0 ||
	    m->pre_tree[0] != m->root_dev || m->pre_tree[1] != m->root_ino) {
		free_recs(m->opages, m->nopages, true);
		m->opages = NULL;
		m->nopages = 0;
	}
	if (m->nopages > 0)
		m->kmap = xcalloc(m->nokeys, sizeof(*m->kmap));
	return true;
}

static const struct rec *
find_rec(const struct manifest *m, const char *path)
{
	size_t	lo = 0, hi = m->nrecs, mid;
	int	c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(m->recs[mid].path, path)) == 0)
			return m->recs[mid].dir ? NULL : &m->recs[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char **
manifest_page_old(const struct manifest *m, const char *out,
    unsigned char dg[32], struct out_prev *prev, size_t *n,
    const struct page_rec **was)
{
	const struct page_rec *pr;
	struct page_rec	 key;
	const char	**keys;
	size_t		 i;

	*n = 0;
	if (m == NULL || m->nopages == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.out = (char *)(uintptr_t)out;
	if ((pr = bsearch(&key, m->opages, m->nopages, sizeof(*m->opages),
	    pagecmp)) == NULL || !manifest_file_old(m, out, prev))
		return NULL;
	memcpy(dg, pr->dg, 32);
	*was = pr;
	keys = xreallocarray(NULL, pr->n, sizeof(*keys));
	for (i = 0; i < pr->n; i++)
		keys[i] = m->okeys[pr->ids[i]];
	*n = pr->n;
	return keys;
}

void
manifest_page_set(struct manifest *m, size_t i, const char *out,
    const char *const *keys, size_t n, const unsigned char dg[32])
{
	struct page_rec	*r;
	size_t		 k;

	if (m == NULL || !m->pages_ok || i >= m->npages || n == 0)
		return;
	r = &m->pages[i];
	r->ids = xreallocarray(NULL, n, sizeof(*r->ids));
	pthread_mutex_lock(&m->klock);
	for (k = 0; k < n; k++)
		r->ids[k] = (uint32_t)strtab_add(&m->keys, keys[k], NULL);
	pthread_mutex_unlock(&m->klock);
	r->out = (char *)(uintptr_t)out;	/* the site's, not ours */
	r->n = n;
	memcpy(r->dg, dg, 32);
	r->set = true;
}

void
manifest_page_keep(struct manifest *m, size_t i, const char *out,
    const struct page_rec *was, const unsigned char dg[32])
{
	struct page_rec	*r;
	unsigned	 v;
	size_t		 k;

	if (m == NULL || !m->pages_ok || i >= m->npages || was == NULL ||
	    was->n == 0 || m->kmap == NULL)
		return;
	r = &m->pages[i];
	r->ids = xreallocarray(NULL, was->n, sizeof(*r->ids));
	for (k = 0; k < was->n; k++) {
		/* read_pages() took only numbers below nokeys. */
		v = atomic_load_explicit(&m->kmap[was->ids[k]],
		    memory_order_relaxed);
		if (v == 0) {
			pthread_mutex_lock(&m->klock);
			v = (unsigned)strtab_add(&m->keys,
			    m->okeys[was->ids[k]], NULL) + 1;
			pthread_mutex_unlock(&m->klock);
			atomic_store_explicit(&m->kmap[was->ids[k]], v,
			    memory_order_relaxed);
		}
		r->ids[k] = (uint32_t)(v - 1);
	}
	r->out = (char *)(uintptr_t)out;	/* the site's, not ours */
	r->n = was->n;
	memcpy(r->dg, dg, 32);
	r->set = true;
}

/*
 * Write this build's page keys beside the manifest being saved (and
 * the search words, only beside them).
 */
static void
save_pages(struct manifest *m, unsigned long long dev, unsigned long long ino)
{
	struct buf	 tmp;
	FILE		*f;
	char		 h[65], head[256], *pf;
	size_t		 i, k, np = 0;
	int		 ok;

	pf = side_file(m, PAGES_FILE);
	if (!m->pages_ok) {
		(void)unlink(pf);
		free(pf);
		return;
	}
	buf_init(&tmp);
	buf_printf(&tmp, "%s.tmp-%ld", pf, (long)getpid());
	if ((f = fopen(tmp.data, "wxe")) == NULL) {
		(void)unlink(pf);
		goto out;
	}
	side_head(head, sizeof(head), PAGES_MAGIC, m->global, dev, ino);
	fputs(head, f);
	for (i = 0; i < m->keys.n; i++) {
		fputs("k ", f);
		esc(f, m->keys.s[i]);
		fputc('\n', f);
	}
	for (i = 0; i < m->npages; i++) {
		if (!m->pages[i].set || !tame(m->pages[i].out))
			continue;
		hex(m->pages[i].dg, h);
		fprintf(f, "p %s ", h);
		esc(f, m->pages[i].out);
		for (k = 0; k < m->pages[i].n; k++) {
			char	 id[16], *e = id + sizeof(id), *q;

			q = text_digits(e, m->pages[i].ids[k], 10);
			*--q = k ? ',' : ' ';
			fwrite(q, 1, (size_t)(e - q), f);
		}
		fputc('\n', f);
		np++;
	}
	fprintf(f, "end %zu %zu\n", m->keys.n, np);
	ok = fflush(f) == 0 && !ferror(f);
	if (fclose(f) != 0)
		ok = 0;
	if (!ok || rename(tmp.data, pf) == -1) {
		(void)unlink(tmp.data);
		(void)unlink(pf);
	} else if (m->extra_tmp != NULL) {
		/* Only beside the page keys saved with it. */
		free(pf);
		pf = side_file(m, EXTRA_FILE);
		if (rename(m->extra_tmp, pf) == 0) {
			free(m->extra_tmp);
			m->extra_tmp = NULL;
		}
	}
out:
	buf_free(&tmp);
	free(pf);
}

char *
manifest_extra_old(struct manifest *m, size_t *len)
{
	char	 want[256], *text;
	size_t	 n, got;

	*len = 0;
	if (m == NULL || m->nopages == 0)
		return NULL;	/* no page keys of the last build to go with */
	n = side_head(want, sizeof(want), EXTRA_MAGIC, m->global, m->root_dev,
	    m->root_ino);
	text = m->pre_extra;	/* read with the page keys */
	got = m->pre_extra_len;
	m->pre_extra = NULL;
	if (text == NULL || got < n || memcmp(text, want, n) != 0) {
		free(text);
		return NULL;
	}
	memmove(text, text + n, got - n + 1);
	*len = got - n;
	return text;
}

FILE *
manifest_extra_begin(struct manifest *m, unsigned long long dev,
    unsigned long long ino)
{
	struct buf	 tmp;
	FILE		*f;
	char		 head[256];

	if (m == NULL || !m->pages_ok || m->extra_tmp != NULL)
		return NULL;
	buf_init(&tmp);
	buf_printf(&tmp, "%s%s.tmp-%ld", m->file, EXTRA_FILE, (long)getpid());
	(void)unlink(tmp.data);		/* a killed build's */
	if ((f = fopen(tmp.data, "wxe")) == NULL) {
		buf_free(&tmp);
		return NULL;
	}
	side_head(head, sizeof(head), EXTRA_MAGIC, m->global, dev, ino);
	fputs(head, f);
	m->extra_tmp = buf_detach(&tmp);
	buf_free(&tmp);
	return f;
}

/* Remove this build's extra data, not put in place. */
static void
drop_extra(struct manifest *m)
{
	if (m->extra_tmp == NULL)
		return;
	(void)unlink(m->extra_tmp);
	free(m->extra_tmp);
	m->extra_tmp = NULL;
}

void
manifest_extra_end(struct manifest *m, FILE *f, bool ok)
{
	if (f == NULL)
		return;
	if (fflush(f) != 0 || ferror(f))
		ok = false;
	if (fclose(f) != 0)
		ok = false;
	if (!ok)
		drop_extra(m);
}

bool
manifest_file_old(const struct manifest *m, const char *path,
    struct out_prev *prev)
{
	const struct rec *fr;

	if (m == NULL || m->nopages == 0 || (fr = find_rec(m, path)) == NULL)
		return false;
	prev->dev = m->root_dev;
	prev->ino = fr->ino;
	prev->size = fr->size;
	prev->mode = fr->mode;
	prev->nlink = fr->nlink;
	prev->mt = fr->mt;
	prev->ct = fr->ct;
	return true;
}

void
manifest_free(struct manifest *m)
{
	size_t	i;

	if (m == NULL)
		return;
	manifest_join(m);
	free(m->pre_extra);
	drop_extra(m);		/* not saved */
	forget_old(m);
	free_recs(m->opages, m->nopages, true);
	for (i = 0; i < m->nokeys; i++)
		free(m->okeys[i]);
	free(m->okeys);
	free_recs(m->pages, m->npages, false);
	strtab_free(&m->keys);
	free(m->kmap);
	pthread_mutex_destroy(&m->klock);
	for (i = 0; i < m->nthemes; i++)
		free(m->themes[i]);
	free(m->themes);
	free(m->file);
	free(m->site);
	free(m->out);
	free(m);
}
