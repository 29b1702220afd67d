/*
 * What is published: valid file names, and in meeting folders only
 * what is listed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "load/src.h"
#include "model/kind.h"
#include "model/site.h"
#include "model/publish.h"

/* Whether path is in a content folder (a kind's): names must be valid. */
static bool
in_content(const char *path)
{
	const char	*dot, *folder;
	size_t		 i;

	for (i = 0; i < kind_count(); i++) {
		folder = kind_get((enum page_kind)i)->folder;
		if (folder != NULL && *folder != '\0' &&
		    strncmp(path, folder, strlen(folder)) == 0)
			return true;
	}
	/* "NOTES.MD" at the top would otherwise be copied as it is. */
	dot = strrchr(path, '.');
	return strchr(path, '/') == NULL && dot != NULL &&
	    strcasecmp(dot, ".md") == 0 && strcmp(dot, ".md") != 0;
}

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '-' || c == '_' || c == '.';
}

/* The first invalid folder or file name in path, with its length. */
static const char *
bad_part(const char *path, size_t *len)
{
	const char	*p = path, *end;
	size_t		 i, n;

	for (;;) {
		end = strchr(p, '/');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		for (i = 0; i < n && name_char(p[i]); i++)
			continue;
		if (n == 0 || i < n) {
			*len = n;
			return p;
		}
		if (end == NULL)
			return NULL;
		p = end + 1;
	}
}

bool
publish_name_ok(const char *path)
{
	size_t	n;

	return !in_content(path) || bad_part(path, &n) == NULL;
}

/*
 * A valid name for one name: "Copy of X.PDF" gives "copy-of-x.pdf",
 * "Procès-verbal (2).pdf" gives "proces-verbal-2.pdf": accents are
 * dropped, other letters outside ASCII too, and no hyphen is left
 * doubled or at the end where they were.
 */
void
publish_slug(struct buf *out, const char *s, size_t n)
{
	struct buf	 slug;
	utf8proc_uint8_t *bare = NULL;
	utf8proc_ssize_t blen;
	size_t		 i, start = out->len;

	buf_init(&slug);
	blen = utf8proc_map((const utf8proc_uint8_t *)s,
	    (utf8proc_ssize_t)n, &bare, UTF8PROC_STABLE |
	    UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK);
	if (blen >= 0)
		text_slug(&slug, (const char *)bare, (size_t)blen);
	else		/* not UTF-8: text_slug copes */
		text_slug(&slug, s, n);
	free(bare);
	for (i = 0; i < slug.len; i++) {	/* letters text_slug keeps */
		if (!name_char(slug.data[i]) || (slug.data[i] == '-' &&
		    (out->len == start || out->data[out->len - 1] == '-')))
			continue;
		buf_putc(out, slug.data[i]);
	}
	while (out->len > start && out->data[out->len - 1] == '-')
		out->data[--out->len] = '\0';
	buf_free(&slug);
}

static void
valid_name(struct buf *out, const char *s, size_t n)
{
	const char	*dot = NULL;
	size_t		 i, stem;

	for (i = n; i-- > 1;)
		if (s[i] == '.') {
			dot = s + i;
			break;
		}
	stem = dot != NULL ? (size_t)(dot - s) : n;
	publish_slug(out, s, stem);
	for (; dot != NULL && dot < s + n; dot++)
		if (name_char(*dot) || (*dot >= 'A' && *dot <= 'Z'))
			buf_putc(out, *dot >= 'A' && *dot <= 'Z' ?
			    *dot - 'A' + 'a' : *dot);
}

bool
publish_check_name(const struct src *src, const char *path,
    struct diags *d)
{
	const char	*bad, *p, *end, *what;
	struct buf	 hint;
	size_t		 n;

	if (!in_content(path) || (bad = bad_part(path, &n)) == NULL)
		return true;
	what = bad[n] == '/' ? "folder" : "file";
	buf_init(&hint);
	for (p = path;; p = end + 1) {
		end = strchr(p, '/');
		valid_name(&hint, p, end != NULL ? (size_t)(end - p) :
		    strlen(p));
		if (end == NULL)
			break;
		buf_putc(&hint, '/');
	}
	if (bad_part(hint.data, &n) != NULL)
		diag_error(d, path, 0, 0, "%s name '%.*s' is not valid, so "
		    "the file is not published (rename it with lower-case "
		    "letters, digits and hyphens)", what, (int)n, bad);
	else if (src != NULL && src_find(src, hint.data) >= 0)
		/* 'Agenda.md' beside 'agenda.md': a copy, or another file */
		diag_error(d, path, 0, 0, "%s name '%.*s' is not valid, so "
		    "the file is not published (the valid name, '%s', is "
		    "another file's: remove this one if it is a copy, or "
		    "rename it with lower-case letters, digits and hyphens)",
		    what, (int)n, bad, hint.data);
	else
		diag_error(d, path, 0, 0, "%s name '%.*s' is not valid, so "
		    "the file is not published (rename it '%s': names use "
		    "lower-case letters, digits and hyphens)", what, (int)n,
		    bad, hint.data);
	buf_free(&hint);
	return false;
}

/* Whether an agenda item's 'papers:' names slug. */
static bool
lists(const struct val *it, const char *slug)
{
	const struct val *ids = val_get(it, "papers");
	size_t		 j;

	for (j = 0; ids != NULL && ids->kind == VAL_LIST && j < ids->n; j++)
		if (ids->items[j]->kind == VAL_STR &&
		    strcmp(ids->items[j]->str, slug) == 0)
			return true;
	return false;
}

void
publish_redact(struct val *m)
{
	static const char *const private[] = { "purpose", "presenter",
	    "summary", "recommendation" };
	const struct val *agenda = val_get(m, "agenda"), *ex;
	struct val	*it;
	size_t		 i, k;

	for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
	    i < agenda->n; i++) {
		it = agenda->items[i];
		ex = val_get(it, "exempt");
		if (ex == NULL || !((ex->kind == VAL_BOOL && ex->b) ||
		    (ex->kind == VAL_STR && (strcasecmp(ex->str, "true") == 0 ||
		    strcasecmp(ex->str, "yes") == 0))))
			continue;
		for (k = 0; k < sizeof(private) / sizeof(*private); k++)
			val_del(it, private[k]);
	}
}

const struct val *
publish_exempt_item(const struct val *agenda, const char *item,
    const char *slug, bool (*exempt)(const struct val *))
{
	const struct val *it;
	const char	*num;
	size_t		 i;

	for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
	    i < agenda->n; i++) {
		it = agenda->items[i];
		if (!exempt(it))
			continue;
		num = val_get_str(it, "number");
		if ((item != NULL && num != NULL && strcmp(item, num) == 0) ||
		    lists(it, slug))
			return it;
	}
	return NULL;
}

void
publish_listing(const struct val *agenda, const char *item, const char *slug,
    struct listing *l)
{
	const struct val *it;
	const char	*num;
	size_t		 i;

	memset(l, 0, sizeof(*l));
	for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
	    i < agenda->n; i++) {
		it = agenda->items[i];
		if ((num = val_get_str(it, "number")) == NULL)
			continue;
		l->numbered++;
		if (l->lister == NULL && lists(it, slug))
			l->lister = num;
		if (item != NULL && strcmp(item, num) == 0)
			l->mine = it;
	}
}

int
publish_listed(const struct listing *l, const char *item)
{
	if (item == NULL)	/* listed, or no agenda to list it yet */
		return l->lister != NULL || l->numbered == 0;
	if (l->mine == NULL || (l->lister != NULL ? strcmp(l->lister, item) !=
	    0 : val_get(l->mine, "papers") != NULL))
		return -1;
	return 1;
}

bool
publish_paper(const struct page *m, const struct val *agenda,
    const struct page *p, const char *slug, struct diags *d)
{
	const struct val *iv = val_get(p->fm, "item");
	const char	*num;
	struct listing	 l;
	struct buf	 nums;
	size_t		 i;

	if (iv != NULL && iv->kind != VAL_STR)
		iv = NULL;		/* reported by the schema */
	publish_listing(agenda, iv != NULL ? iv->str : NULL, slug, &l);
	if (iv != NULL && l.mine == NULL) {
		buf_init(&nums);
		for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
		    i < agenda->n; i++)
			if ((num = val_get_str(agenda->items[i], "number")) !=
			    NULL)
				buf_printf(&nums, "%s'%s'", nums.len ? ", " :
				    "", num);
		diag_error(d, iv->file, iv->line, iv->col, "item '%s' is not "
		    "on the agenda of meeting '%s' (%s%s)", iv->str, m->id,
		    l.numbered ? "its items are " : "add it to 'agenda:' in ",
		    l.numbered ? nums.data : m->source);
		buf_free(&nums);
	} else if (iv != NULL && l.lister != NULL &&
	    strcmp(l.lister, iv->str) != 0)
		diag_error(d, iv->file, iv->line, iv->col, "the paper says "
		    "item '%s' but the agenda lists it under item '%s' (make "
		    "'item:' and the agenda's 'papers:' agree)", iv->str,
		    l.lister);
	else if (iv != NULL && l.lister == NULL &&
	    val_get(l.mine, "papers") != NULL)
		diag_error(d, iv->file, iv->line, iv->col, "the paper says "
		    "item '%s' but that item's 'papers:' does not list it "
		    "(add '%s' to them)", iv->str, slug);
	/* With an error the build fails: published or not, it says so. */
	if (iv != NULL || publish_listed(&l, NULL) == 1)
		return true;
	diag_warn(d, p->source, 0, 0, "not published: no agenda item of "
	    "meeting '%s' lists this paper (add '%s' to an item's 'papers:'"
	    ", or give the paper 'item:')", m->id, slug);
	return false;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool
publish_has_file(const struct site *s, const char *path)
{
	return s->nstatic > 0 && bsearch(&path, s->static_files, s->nstatic,
	    sizeof(*s->static_files), path_cmp) != NULL;
}

void
publish_files(struct site *s, struct diags *d)
{
	const char	**listed = NULL, **open = NULL, *f, *slash;
	const struct page *p;
	const struct val *l;
	struct buf	 path;
	size_t		 i, j, n = 0, nopen = 0, kept = 0;
	bool		 unsure;

	buf_init(&path);
	for (i = 0; i < s->npages; i++) {
		p = s->pages[i];
		/*
		 * A paper whose front matter was refused may list any file
		 * of its folder: none is said to be unlisted (the build
		 * fails on the error already), and links to them are not
		 * said to lead nowhere.
		 */
		if (p->kind == PAGE_PAPER && p->fm_bad && p->source != NULL &&
		    (slash = strrchr(p->source, '/')) != NULL) {
			open = xreallocarray(open, nopen + 1, sizeof(*open));
			open[nopen++] = arena_strndup(s->arena, p->source,
			    (size_t)(slash - p->source + 1));
			continue;
		}
		if (p->kind != PAGE_PAPER || p->parent == NULL || p->withheld)
			continue;
		l = val_get(p->data, "attachments");	/* as linked */
		for (j = 0; l != NULL && l->kind == VAL_LIST && j < l->n; j++) {
			if ((f = val_get_str(l->items[j], "file")) == NULL ||
			    !text_join_path(&path, p->source, f, strlen(f)))
				continue;
			listed = xreallocarray(listed, n + 1, sizeof(*listed));
			listed[n++] = arena_strdup(s->arena, path.data);
		}
	}
	buf_free(&path);
	if (n > 0)
		qsort(listed, n, sizeof(*listed), path_cmp);
	for (i = 0; i < s->nstatic; i++) {
		f = s->static_files[i];
		for (j = 0, unsure = false; j < nopen && !unsure; j++)
			unsure = strncmp(f, open[j], strlen(open[j])) == 0;
		if (strncmp(f, "meetings/", 9) != 0 || unsure || (n > 0 &&
		    bsearch(&f, listed, n, sizeof(*listed), path_cmp) != NULL)) {
			s->static_files[kept++] = f;
			continue;
		}
		slash = strchr(f + 9, '/');
		diag_warn(d, f, 0, 0, "not published: no paper of meeting "
		    "'%.*s' lists this file (add it to a paper's "
		    "'attachments:', or remove it)", slash != NULL ?
		    (int)(slash - f - 9) : 0, f + 9);
	}
	s->nstatic = kept;
	/* Source order is path order; a hook may have added more. */
	if (s->nstatic > 1)	/* static_files is NULL when there are none */
		qsort(s->static_files, s->nstatic, sizeof(*s->static_files),
		    path_cmp);
	s->files_final = true;
	free(listed);
	free(open);
}
