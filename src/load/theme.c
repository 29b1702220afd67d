/*
 * Finding and reading themes.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "load/src.h"
#include "load/theme.h"
#include "parse/fm.h"

#define MAX_TEMPLATE	(1024 * 1024)

struct tfile {
	char		*name;
	char		*data;
	size_t		 len;
	char		*shown;
};

struct theme {
	char		*dir;
	struct arena	*arena;
	struct val	*manifest;
	struct src	*src;
	struct diags	*d;
	char		**incs;		/* NULL-terminated */
	struct tfile	*files;		/* templates read from disk */
	size_t		 nfiles;
	char		**statics;
	size_t		 nstatic;
};

static char *
slurp(const char *path, size_t max, size_t *len)
{
	FILE		*f;
	struct stat	 st;
	char		*p;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		fclose(f);
		errno = EFBIG;
		return NULL;
	}
	p = xmalloc((size_t)st.st_size + 1);
	*len = fread(p, 1, (size_t)st.st_size, f);
	p[*len] = '\0';
	fclose(f);
	return p;
}

static int
pathcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
list_static(struct theme *t, const char *base, struct buf *rel)
{
	DIR		*dir;
	struct dirent	*de;
	struct buf	 full;
	struct stat	 st;
	size_t		 mark = rel->len;

	buf_init(&full);
	buf_printf(&full, "%s/%s", base, rel->data);
	if ((dir = opendir(full.data)) == NULL) {
		buf_free(&full);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		buf_truncate(rel, mark);
		buf_puts(rel, de->d_name);
		buf_reset(&full);
		buf_printf(&full, "%s/%s", base, rel->data);
		if (stat(full.data, &st) == -1)
			continue;
		if (S_ISDIR(st.st_mode)) {
			buf_putc(rel, '/');
			list_static(t, base, rel);
		} else if (S_ISREG(st.st_mode)) {
			t->statics = xreallocarray(t->statics, t->nstatic + 1,
			    sizeof(*t->statics));
			t->statics[t->nstatic++] = xstrdup(rel->data);
		}
	}
	closedir(dir);
	buf_truncate(rel, mark);
	buf_free(&full);
}

static void
available(struct buf *b, const char *dirs)
{
	DIR		*dir;
	struct dirent	*de;

	if ((dir = opendir(dirs)) == NULL)
		return;
	while ((de = readdir(dir)) != NULL)
		if (de->d_name[0] != '.')
			buf_printf(b, "%s%s", b->len ? ", " : "", de->d_name);
	closedir(dir);
}

struct theme *
theme_load(const char *dirs, const char *name, const char *nodedir,
    struct src *src, const struct val *at, struct diags *d)
{
	struct theme	*t = xcalloc(1, sizeof(*t));
	struct buf	 b, rel;
	struct stat	 st;
	struct val	*incs;
	char		*text;
	size_t		 len, i, n = 0;

	t->arena = arena_new();
	t->src = src;
	t->d = d;
	buf_init(&b);
	buf_printf(&b, "%s/%s", dirs, name);
	t->dir = buf_detach(&b);
	if (strchr(name, '/') != NULL || stat(t->dir, &st) == -1 ||
	    !S_ISDIR(st.st_mode)) {
		available(&b, dirs);
		diag_error(d, at ? at->file : "icpgen.yaml", at ? at->line : 0,
		    at ? at->col : 0, "unknown theme '%s' (themes available: "
		    "%s)", name, b.len ? b.data : "none");
		buf_free(&b);
		theme_free(t);
		return NULL;
	}
	buf_printf(&b, "%s/theme.yaml", t->dir);
	if ((text = slurp(b.data, 64 * 1024, &len)) == NULL) {
		diag_error(d, b.data, 0, 0, "cannot read the theme's "
		    "manifest: %s", strerror(errno));
		buf_free(&b);
		theme_free(t);
		return NULL;
	}
	t->manifest = fm_parse(t->arena, arena_strdup(t->arena, b.data),
	    text, len, 1, d);
	free(text);
	if (t->manifest == NULL) {
		buf_free(&b);
		theme_free(t);
		return NULL;
	}
	incs = val_get(t->manifest, "include_paths");
	t->incs = xcalloc((incs && incs->kind == VAL_LIST ? incs->n : 0) + 2,
	    sizeof(*t->incs));
	buf_reset(&b);
	buf_printf(&b, "%s/scss", t->dir);
	t->incs[n++] = buf_detach(&b);
	for (i = 0; incs != NULL && incs->kind == VAL_LIST && i < incs->n;
	    i++) {
		if (incs->items[i]->kind != VAL_STR)
			continue;
		if (strncmp(incs->items[i]->str, "node:", 5) == 0)
			buf_printf(&b, "%s/%s", nodedir,
			    incs->items[i]->str + 5);
		else
			buf_printf(&b, "%s/%s", t->dir, incs->items[i]->str);
		if (stat(b.data, &st) == -1)
			diag_error(d, incs->items[i]->file,
			    incs->items[i]->line, incs->items[i]->col,
			    "include path '%s' does not exist (run 'make "
			    "deps' to install the npm packages themes use)",
			    b.data);
		t->incs[n++] = buf_detach(&b);
	}
	buf_init(&rel);
	buf_printf(&b, "%s/static", t->dir);
	list_static(t, b.data, &rel);
	qsort(t->statics, t->nstatic, sizeof(*t->statics), pathcmp);
	buf_free(&rel);
	buf_free(&b);
	return t;
}

void
theme_free(struct theme *t)
{
	size_t	i;

	if (t == NULL)
		return;
	for (i = 0; t->incs != NULL && t->incs[i] != NULL; i++)
		free(t->incs[i]);
	free(t->incs);
	for (i = 0; i < t->nfiles; i++) {
		free(t->files[i].name);
		free(t->files[i].data);
		free(t->files[i].shown);
	}
	free(t->files);
	for (i = 0; i < t->nstatic; i++)
		free(t->statics[i]);
	free(t->statics);
	arena_free(t->arena);
	free(t->dir);
	free(t);
}

const struct val *
theme_manifest(const struct theme *t)
{
	return t->manifest;
}

const char *
theme_dir(const struct theme *t)
{
	return t->dir;
}

const char *const *
theme_include_paths(const struct theme *t)
{
	return (const char *const *)t->incs;
}

/* Read a site file into *src; 0 or -1 when absent. */
static int
site_file(struct theme *t, const char *path, const char **data, size_t *len)
{
	long	i = src_find(t->src, path);

	if (i < 0)
		return -1;
	*data = src_read(t->src, (size_t)i, len, t->d);
	return *data == NULL ? -1 : 0;
}

int
theme_read_template(void *ctx, const char *name, const char **data,
    size_t *len, const char **path)
{
	struct theme	*t = ctx;
	struct buf	 b;
	struct tfile	*f;
	char		*text;
	size_t		 i;
	long		 at;

	if (strstr(name, "..") != NULL || name[0] == '/')
		return -1;
	for (i = 0; i < t->nfiles; i++)
		if (strcmp(t->files[i].name, name) == 0) {
			*data = t->files[i].data;
			*len = t->files[i].len;
			*path = t->files[i].shown;
			return 0;
		}
	buf_init(&b);
	buf_printf(&b, "templates/%s", name);
	if ((at = src_find(t->src, b.data)) >= 0 &&
	    site_file(t, b.data, data, len) == 0) {
		*path = src_file(t->src, (size_t)at)->path;
		buf_free(&b);
		return 0;
	}
	buf_reset(&b);
	buf_printf(&b, "%s/templates/%s", t->dir, name);
	if ((text = slurp(b.data, MAX_TEMPLATE, &i)) == NULL) {
		buf_free(&b);
		return -1;
	}
	t->files = xreallocarray(t->files, t->nfiles + 1, sizeof(*t->files));
	f = &t->files[t->nfiles++];
	f->name = xstrdup(name);
	f->data = text;
	f->len = i;
	/* Show theme paths as "themes/NAME/templates/x.html". */
	buf_reset(&b);
	buf_printf(&b, "themes/%s/templates/%s", strrchr(t->dir, '/') ?
	    strrchr(t->dir, '/') + 1 : t->dir, name);
	f->shown = buf_detach(&b);
	buf_free(&b);
	*data = f->data;
	*len = f->len;
	*path = f->shown;
	return 0;
}

int
theme_read_asset(void *ctx, const char *path, const char **data,
    size_t *len)
{
	struct theme	*t = ctx;

	if (strncmp(path, "assets/", 7) != 0)
		return -1;
	return site_file(t, path, data, len);
}

size_t
theme_static_count(const struct theme *t)
{
	return t->nstatic;
}

const char *
theme_static_path(const struct theme *t, size_t i)
{
	return t->statics[i];
}

char *
theme_static_read(const struct theme *t, size_t i, size_t *len,
    struct diags *d)
{
	struct buf	 b;
	char		*p;

	buf_init(&b);
	buf_printf(&b, "%s/static/%s", t->dir, t->statics[i]);
	if ((p = slurp(b.data, 16 * 1024 * 1024, len)) == NULL)
		diag_error(d, b.data, 0, 0, "cannot read theme file: %s",
		    strerror(errno));
	buf_free(&b);
	return p;
}
