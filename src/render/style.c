/*
 * Stylesheets: SCSS to CSS with libsass.
 *
 * The entry file is not handed to libsass directly.  A data context
 * holds the prelude followed by an @import of a sentinel URL, and a
 * custom importer serves every import itself: the sentinel becomes the
 * entry, other URLs are looked up first in the site (through
 * opts->site_read), then next to the importing file, then in the
 * include paths; only plain CSS imports are left to libsass.  Seeing
 * the source of each file lets us reject @use and @forward with a
 * precise position, collect variable names for "did you mean" hints,
 * and name each file the way users know it: the entry as entry_shown,
 * files below the entry's folder relative to entry_shown's folder,
 * other files on disk relative to the working directory (or absolute
 * outside it), and site files by their site-relative path.
 *
 * All state lives in a struct compile on the stack of style_compile(),
 * so separate compilations may run in separate threads.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sass.h>

#include "render/style.h"
#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/text.h"

/* The URL the data context imports to pull in the entry file. */
#define ENTRY_URL	"icpgen:entry"
/* Imported after it: reaching it means every file was parsed. */
#define END_URL		"icpgen:end"
/* What libsass calls the data context itself in errors. */
#define DATA_NAME	"stdin"
/* Prefix of the names site files are known by inside libsass. */
#define SITE_PREFIX	"site:"

/* A file the importer has served. */
struct sfile {
	char	*abs;	/* name libsass knows it by */
	char	*shown;	/* name errors use */
	char	*site;	/* site-relative path, or NULL if on disk */
};

/*
 * An import list handed to libsass.  libsass 3.6 frees these lists
 * only when its call to the importer completes without an exception,
 * so lists in flight when an error unwinds the parse are ours to free.
 */
struct pending {
	Sass_Import_List list;
	size_t		 depth;	/* import stack size at the call */
	bool		 failed;	/* an error entry */
};

struct compile {
	const struct style_opts *opts;
	struct diags	*diags;
	unsigned	 errors;	/* errors we reported */
	unsigned	 modules;	/* @use/@forward reported */
	char		*cwd;		/* or NULL */
	char		*entry;		/* normalised entry path */
	char		*entry_dir;	/* its directory, "" if none */
	const char	*shown;		/* entry_shown, or entry */
	char		*shown_dir;	/* its directory, "" if none */
	struct sfile	*files;
	size_t		 nfiles, filecap;
	char		**vars;		/* NULL-terminated names */
	size_t		 nvars, varcap;
	struct pending	*pend;		/* by increasing depth */
	size_t		 npend, pendcap;
	bool		 parsed;	/* END_URL was reached */
	char		**roots;	/* real paths disk files must be in */
	size_t		 nroots;
	bool		 outside;	/* the last lookup left the roots */
	struct buf	 trace;		/* every look(), for the cache */
	bool		 replaying;	/* looking again: not traced */
};

static int
isident(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c >= 0x80 ||
	    c == '\\';
}

/* Length of the directory part of path ("a/b/c" gives 3, "c" 0). */
static size_t
dirlen(const char *path)
{
	const char *s = strrchr(path, '/');

	if (s == NULL)
		return 0;
	return s == path ? 1 : (size_t)(s - path);
}

/*
 * Join rel onto directory dir (either may be empty) into out and remove
 * "." and ".." segments lexically.  Absolute rel replaces dir.
 */
static void
disk_join(struct buf *out, const char *dir, const char *rel)
{
	struct buf	 in;
	const char	*p, *seg;
	size_t		 len, root, slash;

	buf_init(&in);
	if (rel[0] != '/' && dir[0] != '\0') {
		buf_puts(&in, dir);
		buf_putc(&in, '/');
	}
	buf_puts(&in, rel);
	buf_reset(out);
	root = in.data[0] == '/';
	if (root)
		buf_putc(out, '/');
	for (p = in.data; *p != '\0'; ) {
		seg = p;
		while (*p != '\0' && *p != '/')
			p++;
		len = (size_t)(p - seg);
		if (*p == '/')
			p++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			/* Pop a real segment; keep leading ".." if relative. */
			slash = out->len;
			while (slash > root && out->data[slash - 1] != '/')
				slash--;
			if (out->len > root && strcmp(out->data + slash,
			    "..") != 0) {
				buf_truncate(out, slash > root ? slash - 1 :
				    root);
				continue;
			}
			if (root)
				continue;
		}
		if (out->len > root)
			buf_putc(out, '/');
		buf_put(out, seg, len);
	}
	if (out->len == 0)
		buf_putc(out, '.');
	buf_free(&in);
}

/* Whether path begins with the directory dir (followed by a slash). */
static const char *
under(const char *path, const char *dir)
{
	size_t	n = strlen(dir);

	if (n == 0 || strncmp(path, dir, n) != 0)
		return NULL;
	if (dir[n - 1] == '/')
		return path + n;
	return path[n] == '/' ? path + n + 1 : NULL;
}

/*
 * How errors name a file on disk: the entry as entry_shown, files
 * beside or below it relative to entry_shown's directory, others
 * relative to the working directory when inside it, else as they are.
 */
static char *
disk_shown(const struct compile *c, const char *abs)
{
	const char	*rest;
	char		*shown;
	struct buf	 b;

	if (strcmp(abs, c->entry) == 0)
		return xstrdup(c->shown);
	if (c->entry_dir[0] == '\0' && abs[0] != '/')
		rest = abs;
	else
		rest = under(abs, c->entry_dir);
	if (rest != NULL) {
		buf_init(&b);
		if (c->shown_dir[0] != '\0') {
			buf_puts(&b, c->shown_dir);
			if (strcmp(c->shown_dir, "/") != 0)
				buf_putc(&b, '/');
		}
		buf_puts(&b, rest);
		shown = buf_detach(&b);
		buf_free(&b);
		return shown;
	}
	if (c->cwd != NULL && (rest = under(abs, c->cwd)) != NULL)
		return xstrdup(rest);
	return xstrdup(abs);
}

static struct sfile *
file_find(struct compile *c, const char *abs)
{
	size_t	i;

	for (i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i].abs, abs) == 0)
			return &c->files[i];
	return NULL;
}

/* Remember a served file; returns the (possibly existing) record. */
static struct sfile *
file_add(struct compile *c, const char *abs, const char *site)
{
	struct sfile	*f;

	if ((f = file_find(c, abs)) != NULL)
		return f;
	if (c->nfiles == c->filecap) {
		c->filecap = c->filecap ? c->filecap * 2 : 16;
		c->files = xreallocarray(c->files, c->filecap,
		    sizeof(*c->files));
	}
	f = &c->files[c->nfiles++];
	f->abs = xstrdup(abs);
	f->site = site ? xstrdup(site) : NULL;
	f->shown = site ? xstrdup(site) : disk_shown(c, abs);
	return f;
}

static void
var_add(struct compile *c, const char *name, size_t len)
{
	size_t	i;

	for (i = 0; i < c->nvars; i++)
		if (strncmp(c->vars[i], name, len) == 0 &&
		    c->vars[i][len] == '\0')
			return;
	if (c->nvars + 1 >= c->varcap) {
		c->varcap = c->varcap ? c->varcap * 2 : 64;
		c->vars = xreallocarray(c->vars, c->varcap,
		    sizeof(*c->vars));
	}
	c->vars[c->nvars++] = xstrndup(name, len);
	c->vars[c->nvars] = NULL;
}

/*
 * Walk SCSS (or CSS) source outside comments and strings, reporting
 * @use and @forward at-rules against shown (with line and column, or
 * without and saying where) and collecting "$name:" variable
 * definitions.  Returns the number of module rules found.
 */
static unsigned
scan(struct compile *c, const char *s, size_t n, const char *shown,
    bool lines, const char *where)
{
	static const char *const rules[] = { "use", "forward" };
	size_t		 i, j, k, rl, line = 1, bol = 0;
	unsigned	 found = 0;
	char		 q;

	for (i = 0; i < n; i++) {
		if (s[i] == '\n') {
			line++;
			bol = i + 1;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '/') {
			while (i + 1 < n && s[i + 1] != '\n')
				i++;
		} else if (s[i] == '/' && i + 1 < n && s[i + 1] == '*') {
			for (i += 2; i < n; i++) {
				if (s[i] == '*' && i + 1 < n &&
				    s[i + 1] == '/') {
					i++;
					break;
				}
				if (s[i] == '\n') {
					line++;
					bol = i + 1;
				}
			}
		} else if (s[i] == '"' || s[i] == '\'') {
			/* A string ends at its quote or the line's end. */
			q = s[i];
			while (i + 1 < n && s[i + 1] != q && s[i + 1] != '\n') {
				if (s[i + 1] == '\\' && i + 2 < n &&
				    s[i + 2] != '\n')
					i++;
				i++;
			}
			if (i + 1 < n && s[i + 1] == q)
				i++;
		} else if (n - i > 4 && strncmp(s + i, "url(", 4) == 0 &&
		    (i == 0 || !isident((unsigned char)s[i - 1]))) {
			/* Unquoted URLs may hold "//". */
			for (j = i + 4; j < n && (s[j] == ' ' || s[j] == '\t');
			    j++)
				continue;
			if (j < n && s[j] != '"' && s[j] != '\'')
				while (i + 1 < n && s[i + 1] != ')' &&
				    s[i + 1] != '\n')
					i++;
		} else if (s[i] == '$' && i + 1 < n &&
		    isident((unsigned char)s[i + 1])) {
			for (j = i + 1; j < n && isident((unsigned char)s[j]);
			    j++)
				continue;
			for (k = j; k < n && (s[k] == ' ' || s[k] == '\t');
			    k++)
				continue;
			if (k < n && s[k] == ':')
				var_add(c, s + i, j - i);
			i = j - 1;
		} else if (s[i] == '@' &&
		    (i == 0 || !isident((unsigned char)s[i - 1]))) {
			for (k = 0; k < 2; k++) {
				rl = strlen(rules[k]);
				if (n - i - 1 < rl ||
				    strncmp(s + i + 1, rules[k], rl) != 0 ||
				    (i + 1 + rl < n &&
				    isident((unsigned char)s[i + 1 + rl])))
					continue;
				found++;
				c->errors++;
				if (lines)
					diag_error(c->diags, shown, (int)line,
					    (int)(i - bol + 1), "'@%s' is not "
					    "supported by libsass (use "
					    "'@import')", rules[k]);
				else
					diag_error(c->diags, shown, 0, 0,
					    "'@%s' is not supported by libsass "
					    "(use '@import'; %s)", rules[k],
					    where);
			}
		}
	}
	c->modules += found;
	return found;
}

/* Copy n bytes into memory libsass may free. */
static char *
sass_dup(const char *s, size_t n)
{
	char	*p;

	p = sass_alloc_memory(n + 1);
	if (p == NULL) {
		fputs("icpgen: out of memory\n", stderr);
		exit(70);
	}
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* Read a regular file on disk into buf; returns false if unreadable. */
static bool
read_disk(const char *path, struct buf *b)
{
	struct stat	 st;
	FILE		*f;
	char		 tmp[8192];
	size_t		 n;
	bool		 ok;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode))
		return false;
	if ((f = fopen(path, "rb")) == NULL)
		return false;
	buf_reset(b);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_put(b, tmp, n);
	ok = !ferror(f);
	fclose(f);
	return ok;
}

static bool	confined(const struct compile *, const char *);

/*
 * Everything a compile learns from outside its options is one of these
 * looks, and goes through look(), which keeps a trace of each: what it
 * looked at and a digest of what it found.  The same options and the
 * same finds make the same CSS (see style.h).
 */
enum look {
	LOOK_READ = 'r',	/* a file on disk: its bytes */
	LOOK_EXISTS = 'a',	/* whether a name on disk exists */
	LOOK_CONFINED = 'c',	/* whether it is inside the roots */
	LOOK_REAL = 'R',	/* a folder's real path */
	LOOK_SITE = 's',	/* a site file, through site_read */
};

/*
 * Look at path: true when found, with what was found in *b (a file's
 * bytes, a real path).  Traced unless replaying.
 */
static bool
look(struct compile *c, enum look kind, const char *path, struct buf *b)
{
	struct sha256	 h;
	unsigned char	 dg[32], f;
	const char	*src;
	char		*real;
	size_t		 len;
	uint32_t	 n;
	bool		 found = false;

	buf_reset(b);
	switch (kind) {
	case LOOK_READ:
		found = read_disk(path, b);
		break;
	case LOOK_EXISTS:
		found = access(path, F_OK) == 0;
		break;
	case LOOK_CONFINED:
		found = confined(c, path);
		break;
	case LOOK_REAL:
		if ((real = realpath(path, NULL)) != NULL) {
			buf_puts(b, real);
			free(real);
			found = true;
		}
		break;
	case LOOK_SITE:
		if (c->opts->site_read != NULL && c->opts->site_read(
		    c->opts->ctx, path, &src, &len) == 0) {
			buf_put(b, src, len);
			found = true;
		}
		break;
	}
	if (!found)
		buf_reset(b);
	if (c->replaying)
		return found;
	f = found;
	sha256_init(&h);
	sha256_update(&h, &f, 1);
	sha256_update(&h, b->data, b->len);
	sha256_final(&h, dg);
	n = (uint32_t)strlen(path);
	buf_putc(&c->trace, kind);
	buf_put(&c->trace, (const char *)&n, 4);
	buf_put(&c->trace, path, n);
	buf_put(&c->trace, (const char *)dg, 32);
	return found;
}

/*
 * The file names an import of base (already joined to its directory)
 * may refer to, in order: "d/_n.scss", "d/n.scss", "base/_index.scss",
 * "base/index.scss"; with an explicit ".scss", base and "d/_n.scss".
 */
static size_t
candidates(const char *base, struct buf cand[4])
{
	const char	*name;
	size_t		 dl, nl, i;

	dl = dirlen(base);
	name = base + dl + (base[dl] == '/');
	nl = strlen(name);
	for (i = 0; i < 4; i++)
		buf_reset(&cand[i]);
	if (nl > 5 && strcmp(name + nl - 5, ".scss") == 0) {
		buf_puts(&cand[0], base);
		if (name[0] == '_')
			return 1;
		buf_put(&cand[1], base, (size_t)(name - base));
		buf_putc(&cand[1], '_');
		buf_puts(&cand[1], name);
		return 2;
	}
	buf_put(&cand[0], base, (size_t)(name - base));
	if (name[0] != '_')
		buf_putc(&cand[0], '_');
	buf_puts(&cand[0], name);
	buf_puts(&cand[0], ".scss");
	buf_printf(&cand[1], "%s.scss", base);
	buf_printf(&cand[2], "%s/_index.scss", base);
	buf_printf(&cand[3], "%s/index.scss", base);
	return 4;
}

/* Hand one source to libsass and scan it. */
static Sass_Import_List
serve(struct compile *c, const char *url, const char *abs, const char *site,
    const char *src, size_t len)
{
	Sass_Import_List	 list;
	struct sfile		*f;
	size_t			 known = c->nfiles;

	/* A file imported twice is reported once. */
	f = file_add(c, abs, site);
	if (c->nfiles > known)
		scan(c, src, len, f->shown, true, NULL);
	list = sass_make_import_list(1);
	list[0] = sass_make_import(url, abs, sass_dup(src, len), NULL);
	return list;
}

/*
 * Whether the file at path (which exists) lies inside one of the
 * folders imports may read: the theme's stylesheet folder and its
 * include paths, compared after resolving symbolic links.
 */
static bool
confined(const struct compile *c, const char *path)
{
	char	*real;
	size_t	 i;
	bool	 in = false;

	if ((real = realpath(path, NULL)) == NULL)
		return false;
	for (i = 0; i < c->nroots && !in; i++)
		in = under(real, c->roots[i]) != NULL;
	free(real);
	return in;
}

/* Add the real path of dir (relative to the working directory) to roots. */
static void
root_add(struct compile *c, const char *dir)
{
	struct buf	 b, real;

	buf_init(&b);
	buf_init(&real);
	if (dir[0] != '/' && c->cwd != NULL)
		disk_join(&b, c->cwd, dir);
	else
		disk_join(&b, "", dir);
	if (look(c, LOOK_REAL, b.data, &real)) {
		c->roots = xreallocarray(c->roots, c->nroots + 1,
		    sizeof(*c->roots));
		c->roots[c->nroots++] = buf_detach(&real);
	}
	buf_free(&real);
	buf_free(&b);
}

/* Try url as a site file relative to the directory of from. */
static Sass_Import_List
try_site(struct compile *c, const char *url, const char *from)
{
	struct buf	 base, abs, text, cand[4];
	size_t		 i, n;
	Sass_Import_List list = NULL;

	if (c->opts->site_read == NULL)
		return NULL;
	buf_init(&base);
	buf_init(&abs);
	buf_init(&text);
	for (i = 0; i < 4; i++)
		buf_init(&cand[i]);
	if (text_join_path(&base, from, url, strlen(url)) && base.len > 0) {
		n = candidates(base.data, cand);
		for (i = 0; i < n && list == NULL; i++) {
			if (!look(c, LOOK_SITE, cand[i].data, &text))
				continue;
			/* Only the site's stylesheet folder is readable. */
			if (c->opts->site_dir != NULL &&
			    under(cand[i].data, c->opts->site_dir) == NULL) {
				c->outside = true;
				continue;
			}
			buf_reset(&abs);
			buf_printf(&abs, "%s%s", SITE_PREFIX, cand[i].data);
			list = serve(c, url, abs.data, cand[i].data,
			    text.data, text.len);
		}
	}
	for (i = 0; i < 4; i++)
		buf_free(&cand[i]);
	buf_free(&text);
	buf_free(&abs);
	buf_free(&base);
	return list;
}

/* Try url as a file on disk inside directory dir. */
static Sass_Import_List
try_disk(struct compile *c, const char *url, const char *dir)
{
	struct buf	 base, src, cand[4];
	size_t		 i, n;
	Sass_Import_List list = NULL;

	buf_init(&base);
	buf_init(&src);
	for (i = 0; i < 4; i++)
		buf_init(&cand[i]);
	/* Relative include paths are taken from the working directory. */
	if (dir[0] != '/' && c->cwd != NULL) {
		disk_join(&src, c->cwd, dir);
		disk_join(&base, src.data, url);
	} else
		disk_join(&base, dir, url);
	n = candidates(base.data, cand);
	for (i = 0; i < n && list == NULL; i++) {
		if (!look(c, LOOK_EXISTS, cand[i].data, &src))
			continue;
		/* Never read the build machine outside the theme. */
		if (!look(c, LOOK_CONFINED, cand[i].data, &src)) {
			c->outside = true;
			continue;
		}
		if (look(c, LOOK_READ, cand[i].data, &src))
			list = serve(c, url, cand[i].data, NULL, src.data,
			    src.len);
	}
	for (i = 0; i < 4; i++)
		buf_free(&cand[i]);
	buf_free(&src);
	buf_free(&base);
	return list;
}

/* URLs libsass keeps as plain CSS @import rules. */
static bool
plain_css(const char *url)
{
	size_t	n = strlen(url);

	return (n > 4 && strcmp(url + n - 4, ".css") == 0) ||
	    strncmp(url, "http://", 7) == 0 ||
	    strncmp(url, "https://", 8) == 0 || strncmp(url, "//", 2) == 0;
}

/* An import entry that makes libsass stop at the @import of url. */
static Sass_Import_List
not_found(const char *url)
{
	Sass_Import_List list;
	struct buf	 b;
	size_t		 len, dl;

	len = strlen(url);
	if (len > 5 && strcmp(url + len - 5, ".scss") == 0)
		len -= 5;
	for (dl = len; dl > 0 && url[dl - 1] != '/'; dl--)
		continue;
	buf_init(&b);
	buf_printf(&b, "cannot find '%s' to import (expected '%.*s_%.*s.scss' "
	    "or '%.*s.scss' in the site, beside this file or in an include "
	    "path)", url, (int)dl, url, (int)(len - dl), url + dl, (int)len,
	    url);
	list = sass_make_import_list(1);
	list[0] = sass_make_import_entry(url, NULL, NULL);
	sass_import_set_error(list[0], b.data, 0, 0);
	buf_free(&b);
	return list;
}

/* An import entry refusing url, which leaves the folders we may read. */
static Sass_Import_List
refused(const char *url)
{
	Sass_Import_List list;
	struct buf	 b;

	buf_init(&b);
	buf_printf(&b, "cannot import '%s': stylesheets may only import files "
	    "inside the theme, the site's assets/ folder and the frontend "
	    "package (use a path relative to the importing file that stays "
	    "inside them)", url);
	list = sass_make_import_list(1);
	list[0] = sass_make_import_entry(url, NULL, NULL);
	sass_import_set_error(list[0], b.data, 0, 0);
	buf_free(&b);
	return list;
}

/*
 * Resolve one import: the sentinel URL is the entry, plain CSS is left
 * to libsass, everything else is ours.  Site files are searched first
 * (beside a site parent, else from the site root), then the directory
 * of a parent on disk, then each include path.
 */
static Sass_Import_List
resolve(struct compile *c, const char *url, struct Sass_Compiler *comp)
{
	const struct sfile	*parent;
	const char		*pabs, *const *inc;
	Sass_Import_Entry	 last;
	Sass_Import_List	 list;
	struct buf		 b;
	char			*dir;
	bool			 root;

	last = sass_compiler_get_last_import(comp);
	pabs = last != NULL ? sass_import_get_abs_path(last) : NULL;
	if (pabs == NULL)
		pabs = DATA_NAME;
	parent = file_find(c, pabs);
	root = parent == NULL && strcmp(pabs, DATA_NAME) == 0;
	if (root && strcmp(url, ENTRY_URL) == 0) {
		buf_init(&b);
		list = look(c, LOOK_READ, c->entry, &b) ?
		    serve(c, url, c->entry, NULL, b.data, b.len) :
		    not_found(c->opts->entry);
		buf_free(&b);
		return list;
	}
	if (root && strcmp(url, END_URL) == 0) {
		c->parsed = true;
		return sass_make_import_list(0);
	}
	if (plain_css(url))
		return NULL;
	if (url[0] == '/')
		return refused(url);
	c->outside = false;

	if (parent != NULL && parent->site != NULL)
		list = try_site(c, url, parent->site);
	else if (c->opts->site_dir != NULL) {
		struct buf	from;	/* a file in site_dir, for joining */

		buf_init(&from);
		buf_printf(&from, "%s/-", c->opts->site_dir);
		list = try_site(c, url, from.data);
		buf_free(&from);
	} else
		list = try_site(c, url, "");
	if (list == NULL && (parent == NULL || parent->site == NULL)) {
		dir = root ? xstrdup(c->entry_dir) :
		    xstrndup(pabs, dirlen(pabs));
		list = try_disk(c, url, dir);
		free(dir);
	}
	for (inc = c->opts->include_paths; list == NULL && inc != NULL &&
	    *inc != NULL; inc++)
		list = try_disk(c, url, *inc);
	if (list == NULL && c->outside)
		return refused(url);
	return list != NULL ? list : not_found(url);
}

/*
 * The custom importer: resolve url and keep track of the lists libsass
 * may still own.  Imports nest, so a call at import stack depth d
 * means every earlier call at depth d or deeper has returned and its
 * list has been freed; the rest are still in flight.
 */
static Sass_Import_List
importer(const char *url, Sass_Importer_Entry cb, struct Sass_Compiler *comp)
{
	struct compile		*c = sass_importer_get_cookie(cb);
	Sass_Import_List	 list;
	struct pending		*p;
	size_t			 depth;

	depth = sass_compiler_get_import_stack_size(comp);
	while (c->npend > 0 && c->pend[c->npend - 1].depth >= depth)
		c->npend--;
	list = resolve(c, url, comp);
	if (c->parsed) {
		c->npend = 0;
		return list;
	}
	if (list == NULL)
		return NULL;
	if (c->npend == c->pendcap) {
		c->pendcap = c->pendcap ? c->pendcap * 2 : 16;
		c->pend = xreallocarray(c->pend, c->pendcap,
		    sizeof(*c->pend));
	}
	p = &c->pend[c->npend++];
	p->list = list;
	p->depth = depth;
	p->failed = list[0] != NULL &&
	    sass_import_get_error_message(list[0]) != NULL;
	return list;
}

/*
 * After libsass gave up while parsing, free the lists it leaked: those
 * of files still being parsed (requested below the import stack depth
 * it stopped at) and an error entry, which fails as soon as it is seen.
 */
static void
free_pending(struct compile *c, struct Sass_Compiler *comp)
{
	size_t	i, depth;

	if (c->parsed || c->npend == 0)
		return;
	depth = sass_compiler_get_import_stack_size(comp);
	for (i = 0; i < c->npend; i++)
		if (c->pend[i].depth < depth || (i + 1 == c->npend &&
		    c->pend[i].failed))
			sass_delete_import_list(c->pend[i].list);
	c->npend = 0;
}

/* Append the libsass message msg rewritten in our style to out. */
static void
message(const struct compile *c, struct buf *out, const char *msg)
{
	static const char undef[] = "Undefined variable: \"";
	static const char nomixin[] = "no mixin named ";
	static const char loop[] = "An @import loop has been found";
	const char	*end, *hint, *name;
	size_t		 len;
	char		*word;

	len = strcspn(msg, "\n");
	while (len > 0 && (msg[len - 1] == '.' || msg[len - 1] == ' '))
		len--;
	if (strncmp(msg, undef, sizeof(undef) - 1) == 0 &&
	    len > sizeof(undef) && msg[len - 1] == '"') {
		name = msg + sizeof(undef) - 1;
		word = xstrndup(name, (size_t)(msg + len - 1 - name));
		hint = c->vars != NULL ? text_suggest(word,
		    (const char *const *)c->vars) : NULL;
		if (hint != NULL)
			buf_printf(out, "undefined variable '%s' (did you "
			    "mean '%s'?)", word, hint);
		else
			buf_printf(out, "undefined variable '%s' (set it "
			    "with '%s: value;' before it is used)", word,
			    word);
		free(word);
	} else if (strncmp(msg, nomixin, sizeof(nomixin) - 1) == 0) {
		name = msg + sizeof(nomixin) - 1;
		len -= sizeof(nomixin) - 1;
		buf_printf(out, "undefined mixin '%.*s' (define it with "
		    "'@mixin %.*s' before it is included)", (int)len, name,
		    (int)len, name);
	} else if (strncmp(msg, loop, sizeof(loop) - 1) == 0) {
		buf_puts(out, "this file imports itself through the files it "
		    "imports (an @import loop; remove one of the imports)");
	} else {
		/* "Invalid CSS after", "Incompatible units" and others. */
		end = msg + len;
		if (len > 1 && msg[0] >= 'A' && msg[0] <= 'Z' &&
		    msg[1] >= 'a' && msg[1] <= 'z') {
			buf_putc(out, msg[0] - 'A' + 'a');
			msg++;
		}
		buf_put(out, msg, (size_t)(end - msg));
	}
}

/* Report the error libsass stopped with. */
static void
report(struct compile *c, struct Sass_Context *sc)
{
	const char	*file, *text;
	const struct sfile *f;
	struct buf	 msg;
	char		*shown = NULL;
	size_t		 line, col, plines = 0;
	const char	*p;

	file = sass_context_get_error_file(sc);
	text = sass_context_get_error_text(sc);
	line = sass_context_get_error_line(sc);
	col = sass_context_get_error_column(sc);
	if (line > (size_t)1 << 30 || col > (size_t)1 << 30)
		line = col = 0;
	buf_init(&msg);
	message(c, &msg, text != NULL ? text : "stylesheet failed to compile");
	c->errors++;
	if (file == NULL || (strcmp(file, DATA_NAME) == 0 &&
	    file_find(c, file) == NULL)) {
		/* In the prelude (or before any file was read). */
		if (c->opts->prelude != NULL && c->opts->prelude[0] != '\0') {
			for (p = c->opts->prelude; *p != '\0'; p++)
				plines += *p == '\n';
			plines += p[-1] != '\n';
		}
		if (file != NULL && line > 0 && line <= plines)
			diag_error(c->diags, c->shown, 0, 0,
			    "%s (in the prelude the build sets before the "
			    "stylesheet, line %zu column %zu)", msg.data,
			    line, col);
		else if (file != NULL && plines > 0)
			diag_error(c->diags, c->shown, 0, 0,
			    "%s (at the end of the prelude the build sets "
			    "before the stylesheet)", msg.data);
		else
			diag_error(c->diags, c->shown, 0, 0,
			    "%s", msg.data);
	} else {
		if ((f = file_find(c, file)) == NULL)
			shown = disk_shown(c, file);
		diag_error(c->diags, f != NULL ? f->shown : shown, (int)line,
		    (int)col, "%s", msg.data);
	}
	free(shown);
	buf_free(&msg);
}

/*
 * Rewrite a selector list or at-rule prelude into a canonical spacing:
 * single spaces, none around combinators and commas.
 */
static void
canon(struct buf *out, const char *s, size_t n)
{
	size_t	i, start = out->len;
	int	sp = 0;
	char	ch;

	for (i = 0; i < n; i++) {
		ch = s[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' ||
		    ch == '\f') {
			sp = 1;
			continue;
		}
		if (ch == '>' || ch == '+' || ch == '~' || ch == ',') {
			sp = 0;
			buf_putc(out, ch);
			while (i + 1 < n && (s[i + 1] == ' ' ||
			    s[i + 1] == '\t' || s[i + 1] == '\n' ||
			    s[i + 1] == '\r' || s[i + 1] == '\f'))
				i++;
			continue;
		}
		if (sp && out->len > start) {
			ch = out->data[out->len - 1];
			if (ch != '>' && ch != '+' && ch != '~' && ch != ',')
				buf_putc(out, ' ');
		}
		sp = 0;
		buf_putc(out, s[i]);
	}
}

/*
 * Collect the selector preludes of compiled CSS (text before each '{'
 * outside comments, at-rules skipped) into sel, one per line.
 */
static void
selectors(struct buf *sel, const char *css, size_t n)
{
	struct buf	 seg;
	size_t		 i;
	char		 q;

	buf_init(&seg);
	for (i = 0; i < n; i++) {
		if (css[i] == '/' && i + 1 < n && css[i + 1] == '*') {
			for (i += 2; i + 1 < n && !(css[i] == '*' &&
			    css[i + 1] == '/'); i++)
				continue;
			i++;
			buf_putc(&seg, ' ');
		} else if (css[i] == '"' || css[i] == '\'') {
			q = css[i];
			buf_putc(&seg, css[i]);
			while (i + 1 < n && css[i + 1] != q) {
				if (css[i + 1] == '\\' && i + 2 < n)
					buf_putc(&seg, css[++i]);
				buf_putc(&seg, css[++i]);
			}
			if (i + 1 < n)
				buf_putc(&seg, css[++i]);
		} else if (css[i] == '{') {
			/* Leading space from comments does not count. */
			canon(sel, seg.data, seg.len);
			if (sel->len > 0 && sel->data[sel->len - 1] != '\n')
				buf_putc(sel, '\n');
			buf_reset(&seg);
		} else if (css[i] == ';' || css[i] == '}')
			buf_reset(&seg);
		else
			buf_putc(&seg, css[i]);
	}
	buf_free(&seg);
}

/* Whether the canonical selector req occurs in sel on its own. */
static bool
has_selector(const char *sel, const char *req)
{
	const char	*p, *line;
	size_t		 n = strlen(req);
	unsigned char	 prev, next;

	if (n == 0)
		return true;
	for (p = sel; (p = strstr(p, req)) != NULL; p++) {
		for (line = p; line > sel && line[-1] != '\n'; line--)
			continue;
		if (*line == '@')
			continue;
		prev = p > sel ? (unsigned char)p[-1] : '\n';
		next = (unsigned char)p[n];
		if (isident(next))
			continue;
		if (isident((unsigned char)req[0]) && (isident(prev) ||
		    prev == '.' || prev == '#' || prev == ':' ||
		    prev == '%' || prev == '@'))
			continue;
		return true;
	}
	return false;
}

/* Check every selector opts->required lists occurs in css. */
static void
check_required(struct compile *c, const char *css)
{
	const char *const	*r;
	struct buf		 sel, want;

	if (c->opts->required == NULL)
		return;
	buf_init(&sel);
	buf_init(&want);
	selectors(&sel, css, strlen(css));
	for (r = c->opts->required; *r != NULL; r++) {
		buf_reset(&want);
		canon(&want, *r, strlen(*r));
		if (has_selector(sel.data, want.data))
			continue;
		c->errors++;
		diag_error(c->diags, c->shown, 0, 0, "stylesheet "
		    "is missing the selector '%s' the theme requires (did an "
		    "override drop the base styles?)", *r);
	}
	buf_free(&want);
	buf_free(&sel);
}

static void
compile_free(struct compile *c)
{
	size_t	i;

	for (i = 0; i < c->nfiles; i++) {
		free(c->files[i].abs);
		free(c->files[i].shown);
		free(c->files[i].site);
	}
	free(c->files);
	for (i = 0; i < c->nvars; i++)
		free(c->vars[i]);
	free(c->vars);
	free(c->pend);
	free(c->entry);
	free(c->entry_dir);
	free(c->shown_dir);
	free(c->cwd);
	for (i = 0; i < c->nroots; i++)
		free(c->roots[i]);
	free(c->roots);
	buf_free(&c->trace);
}

/* --- the cache (style.h) ---------------------------------------------- */

/*
 * The file: CSS_MAGIC, the key (32 bytes), the trace's length (4
 * bytes) and the trace, the CSS's length and the CSS, then the SHA-256
 * of everything before it.  Lengths are in this machine's byte order: a
 * file from another is as good as damaged (its key differs anyway).
 * Each record of the trace: the kind of look (1 byte), the length of
 * the path (4 bytes), the path, the digest of what was found (32).
 */
#define CSS_MAGIC	"icpgen-css 1\n"
#define CSS_MAX		(64u << 20)	/* a larger file is not ours */

/* Feed a string and its end (NULL differs from ""). */
static void
feed(struct sha256 *h, const char *s)
{
	sha256_update(h, s != NULL ? s : "\1", strlen(s != NULL ? s : "\1") +
	    1);
}

/* The key: this binary, libsass, and every option. */
static bool
cache_key(const struct compile *c, unsigned char key[32])
{
	const struct style_opts *o = c->opts;
	struct sha256	 h;
	size_t		 i;

	sha256_init(&h);
	feed(&h, CSS_MAGIC);
	if (!sha256_self(&h))
		return false;
	feed(&h, libsass_version());
	feed(&h, c->cwd);
	feed(&h, c->entry);
	feed(&h, c->shown);
	feed(&h, o->prelude);
	for (i = 0; o->include_paths != NULL && o->include_paths[i] != NULL;
	    i++)
		feed(&h, o->include_paths[i]);
	feed(&h, NULL);
	for (i = 0; o->required != NULL && o->required[i] != NULL; i++)
		feed(&h, o->required[i]);
	feed(&h, NULL);
	feed(&h, o->site_dir);
	feed(&h, o->site_read != NULL ? "site" : NULL);
	feed(&h, o->compressed ? "compressed" : "expanded");
	sha256_final(&h, key);
	return true;
}

/* Take n bytes at *p, bounded by end. */
static const unsigned char *
take(const unsigned char **p, const unsigned char *end, size_t n)
{
	const unsigned char *at = *p;

	if ((size_t)(end - at) < n)
		return NULL;
	*p += n;
	return at;
}

/* A length of 4 bytes, bounded by what is left. */
static bool
take_len(const unsigned char **p, const unsigned char *end, uint32_t *n)
{
	const unsigned char *at = take(p, end, 4);

	if (at == NULL)
		return false;
	memcpy(n, at, 4);
	return *n <= (size_t)(end - *p);
}

int
style_trace_next(const unsigned char **p, const unsigned char *end,
    struct style_look *l)
{
	const unsigned char *kind, *at;
	uint32_t	 n;

	if (*p == end)
		return 0;
	if ((kind = take(p, end, 1)) == NULL || !take_len(p, end, &n) ||
	    n == 0 || (at = take(p, end, n)) == NULL ||
	    memchr(at, '\0', n) != NULL ||
	    (l->found = take(p, end, 32)) == NULL)
		return -1;
	if (kind[0] != LOOK_READ && kind[0] != LOOK_EXISTS &&
	    kind[0] != LOOK_CONFINED && kind[0] != LOOK_REAL &&
	    kind[0] != LOOK_SITE)
		return -1;
	l->kind = kind[0];
	l->path = (const char *)at;
	l->len = n;
	return 1;
}

bool
style_cache_split(const unsigned char *p, size_t len,
    const unsigned char **trace, size_t *tn, const char **css, size_t *cn)
{
	const unsigned char *end = p + len, *t, *c;
	uint32_t	 a, b;

	if (!take_len(&p, end, &a) || (t = take(&p, end, a)) == NULL ||
	    !take_len(&p, end, &b) || (c = take(&p, end, b)) == NULL ||
	    p != end || memchr(c, '\0', b) != NULL)
		return false;
	*trace = t;
	*tn = a;
	*css = (const char *)c;
	*cn = b;
	return true;
}

/*
 * Whether every look of the trace finds what it found when it was
 * made.  The looks are made again in order, as the compile made them.
 */
static bool
trace_holds(struct compile *c, const unsigned char *p,
    const unsigned char *end)
{
	struct sha256	 h;
	struct style_look l;
	struct buf	 found, path;
	unsigned char	 dg[32], f;
	int		 r;
	bool		 ok = true;

	buf_init(&found);
	buf_init(&path);
	c->replaying = true;
	while (ok && (r = style_trace_next(&p, end, &l)) != 0) {
		if (r == -1) {
			ok = false;
			break;
		}
		buf_reset(&path);
		buf_put(&path, l.path, l.len);
		/*
		 * The compile reads no file on disk but the entry outside
		 * the roots; nor does a trace from the cache folder.
		 */
		if (l.kind == LOOK_READ && strcmp(path.data, c->entry) != 0 &&
		    !confined(c, path.data)) {
			ok = false;
			break;
		}
		f = look(c, (enum look)l.kind, path.data, &found);
		sha256_init(&h);
		sha256_update(&h, &f, 1);
		sha256_update(&h, found.data, found.len);
		sha256_final(&h, dg);
		ok = memcmp(dg, l.found, 32) == 0;
	}
	c->replaying = false;
	buf_free(&found);
	buf_free(&path);
	return ok;
}

/* The CSS of the cache file when its trace holds: appended to out. */
static bool
cache_take(struct compile *c, const unsigned char key[32], struct buf *out)
{
	struct buf	 file;
	unsigned char	 sum[32];
	const unsigned char *p, *trace;
	const char	*css;
	size_t		 body, tn, cn;
	bool		 ok = false;

	buf_init(&file);
	if (!read_disk(c->opts->cache, &file) || file.len > CSS_MAX ||
	    file.len < sizeof(CSS_MAGIC) - 1 + 32 + 32)
		goto out;
	p = (const unsigned char *)file.data;
	body = file.len - (sizeof(CSS_MAGIC) - 1 + 32 + 32);
	sha256(file.data, file.len - 32, sum);
	if (memcmp(sum, p + file.len - 32, 32) != 0 || memcmp(p, CSS_MAGIC,
	    sizeof(CSS_MAGIC) - 1) != 0 || memcmp(p + sizeof(CSS_MAGIC) - 1,
	    key, 32) != 0)
		goto out;
	p += sizeof(CSS_MAGIC) - 1 + 32;
	if (!style_cache_split(p, body, &trace, &tn, &css, &cn))
		goto out;
	if ((ok = trace_holds(c, trace, trace + tn)))
		buf_put(out, css, cn);
out:
	buf_free(&file);
	return ok;
}

/* Keep the CSS of a compile that succeeded, with its trace. */
static void
cache_keep(const struct compile *c, const unsigned char key[32],
    const char *css)
{
	struct buf	 file;
	unsigned char	 sum[32];
	uint32_t	 n;
	size_t		 len = strlen(css);

	if (c->trace.len > CSS_MAX / 2 || len > CSS_MAX / 2)
		return;
	buf_init(&file);
	buf_puts(&file, CSS_MAGIC);
	buf_put(&file, (const char *)key, 32);
	n = (uint32_t)c->trace.len;
	buf_put(&file, (const char *)&n, 4);
	buf_put(&file, c->trace.data, c->trace.len);
	n = (uint32_t)len;
	buf_put(&file, (const char *)&n, 4);
	buf_put(&file, css, len);
	sha256(file.data, file.len, sum);
	buf_put(&file, (const char *)sum, 32);
	(void)buf_save(&file, c->opts->cache);	/* a cache: best effort */
	buf_free(&file);
}

/*
 * Compile the theme's entry stylesheet with the prelude in front of it
 * and append the CSS to out, or report every problem found and return
 * -1 leaving out as it was.
 */
int
style_compile(const struct style_opts *opts, struct buf *out,
    struct diags *d)
{
	struct compile		 c;
	struct Sass_Data_Context *dc;
	struct Sass_Context	*sc;
	struct Sass_Options	*so;
	struct Sass_Compiler	*comp;
	Sass_Importer_List	 imps;
	struct buf		 src, b;
	const char		*css, *shown;
	unsigned char		 key[32];
	size_t			 i;
	int			 rc = -1;
	bool			 key_ok;

	c = (struct compile){ .opts = opts, .diags = d };
	c.cwd = getcwd(NULL, 0);
	shown = opts->entry_shown != NULL ? opts->entry_shown : opts->entry;
	c.shown = shown;
	buf_init(&b);
	disk_join(&b, c.cwd != NULL ? c.cwd : "", opts->entry);
	c.entry = buf_detach(&b);
	buf_free(&b);
	c.entry_dir = xstrndup(c.entry, dirlen(c.entry));
	c.shown_dir = xstrndup(shown, dirlen(shown));
	root_add(&c, c.entry_dir[0] != '\0' ? c.entry_dir : ".");
	for (i = 0; opts->include_paths != NULL &&
	    opts->include_paths[i] != NULL; i++)
		root_add(&c, opts->include_paths[i]);
	key_ok = opts->cache != NULL && cache_key(&c, key);
	if (opts->cached != NULL)
		*opts->cached = false;
	if (key_ok && cache_take(&c, key, out)) {
		if (opts->cached != NULL)
			*opts->cached = true;
		compile_free(&c);
		return 0;
	}

	buf_init(&src);
	errno = 0;
	if (!look(&c, LOOK_READ, c.entry, &src)) {
		diag_error(d, shown, 0, 0, "cannot read the stylesheet "
		    "'%s': %s", opts->entry, errno ? strerror(errno) :
		    "not a regular file");
		buf_free(&src);
		compile_free(&c);
		return -1;
	}

	/* The prelude, then the entry through the importer. */
	buf_reset(&src);
	if (opts->prelude != NULL && opts->prelude[0] != '\0') {
		buf_puts(&src, opts->prelude);
		/* Forgive a missing final ';' (it would hit our @import). */
		for (i = src.len; i > 0 && (src.data[i - 1] == ' ' ||
		    src.data[i - 1] == '\t' || src.data[i - 1] == '\n'); i--)
			continue;
		if (i > 0 && src.data[i - 1] != ';' && src.data[i - 1] != '}')
			buf_putc(&src, ';');
		if (src.data[src.len - 1] != '\n')
			buf_putc(&src, '\n');
		scan(&c, src.data, src.len, shown, false,
		    "it is in the prelude the build sets");
	}
	buf_puts(&src, "@import \"" ENTRY_URL "\";\n"
	    "@import \"" END_URL "\";\n");

	dc = sass_make_data_context(sass_dup(src.data, src.len));
	buf_free(&src);
	sc = sass_data_context_get_context(dc);
	so = sass_context_get_options(sc);
	sass_option_set_precision(so, 10);
	sass_option_set_output_style(so, opts->compressed ?
	    SASS_STYLE_COMPRESSED : SASS_STYLE_EXPANDED);
	sass_option_set_source_comments(so, false);
	sass_option_set_omit_source_map_url(so, true);
	sass_option_set_source_map_embed(so, false);
	imps = sass_make_importer_list(1);
	sass_importer_set_list_entry(imps, 0,
	    sass_make_importer(importer, 1, &c));
	sass_option_set_c_importers(so, imps);

	/* Parsing also evaluates; execution renders. */
	comp = sass_make_data_compiler(dc);
	sass_compiler_parse(comp);
	if (sass_context_get_error_status(sc) != 0)
		free_pending(&c, comp);
	else
		sass_compiler_execute(comp);
	if (sass_context_get_error_status(sc) != 0)
		report(&c, sc);
	else {
		css = sass_context_get_output_string(sc);
		if (css == NULL)
			css = "";
		/* Files libsass loaded itself may still carry @use. */
		if (c.modules == 0)
			scan(&c, css, strlen(css), shown, false,
			    "it survived into the compiled CSS");
		check_required(&c, css);
		if (c.errors == 0) {
			buf_puts(out, css);
			rc = 0;
			if (key_ok)
				cache_keep(&c, key, css);
		}
	}
	sass_delete_compiler(comp);
	sass_delete_data_context(dc);
	compile_free(&c);
	return rc;
}
