/*
 * icpgen new: add content from the command line.  Each kind writes or
 * edits one file, then checks the whole site as the build would; when
 * the check finds a problem in that file, the messages are the build's
 * (file:line:col and a hint) and the file is put back as it was.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "load/src.h"
#include "model/publish.h"
#include "model/site.h"
#include "cli/build.h"
#include "cli/init.h"

static const char usage[] =
"usage: icpgen new [-s site] kind args...\n"
"\n"
"  meeting COMMITTEE DATE         meetings/DATE-COMMITTEE/index.md\n"
"  paper MEETING TITLE [--item N] meetings/MEETING/NAME.md, for agenda\n"
"                                 item N\n"
"  minutes MEETING                meetings/MEETING/minutes.md, an item\n"
"                                 for each on the agenda\n"
"  question MEETING TEXT [--asked-by name]\n"
"                                 questions/YYYY-MM-NAME.md\n"
"  action MEETING TEXT --item N --owner PERSON [--due DATE]\n"
"                                 an action in the meeting's minutes\n"
"  news TITLE                     news/DATE-NAME.md, dated today\n"
"  measure-value MEASURE DATE VALUE --rag on-track|at-risk|off-track|no-data\n"
"                                 a value in strategy/measures/MEASURE.md\n"
"                                 (a negative VALUE after '--': -- -5)\n"
"\n"
"  -s, --site dir   the site's folder (default: the current folder)\n"
"\n"
"Each prints the file it wrote.  The site is checked as the build would\n"
"check it, and a file with a problem is put back as it was (exit 1).\n";

struct opts {
	const char	*site, *item, *owner, *due, *asked_by, *rag;
	const char	*themedir, *nodedir;
	const char	*site_arg;	/* --site as given */
};

/* A change to one file, kept to put it back. */
struct change {
	const char	*rel;		/* site-relative */
	struct buf	 path;		/* on disk */
	char		*old;		/* previous content, NULL if new */
	size_t		 oldlen;
	int		 made_dir;	/* made the file's folder */
	unsigned	 errors;	/* found in it by the check */
	struct diags	*d;
};

static int
bad(const char *msg)
{
	fprintf(stderr, "icpgen: error: %s\n", msg);
	return 2;		/* the command line was wrong */
}

/* Today's date (SOURCE_DATE_EPOCH when set), "YYYY-MM-DD". */
static void
today(char out[11])
{
	const char	*env = getenv("SOURCE_DATE_EPOCH");
	time_t		 t = env != NULL && *env != '\0' ?
			    (time_t)strtoll(env, NULL, 10) : time(NULL);
	struct tm	 tm;

	localtime_r(&t, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* Text given on the command line: one line, no control characters. */
static int
plain(const char *what, const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < ' ' || *s == 0x7f) {
			fprintf(stderr, "icpgen: error: the %s has a control "
			    "character or a line break (give one line of "
			    "text)\n", what);
			return 0;
		}
	return 1;
}

/* A YAML double-quoted scalar. */
static void
yaml_str(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, '"');
}

/* A slug of at most about six words of text. */
static void
slug(struct buf *b, const char *text)
{
	size_t	start = b->len, words = 0, i;

	publish_slug(b, text, strlen(text));
	for (i = start; i < b->len; i++)
		if (b->data[i] == '-' && ++words == 6) {
			buf_truncate(b, i);
			break;
		}
	if (b->len == start)
		buf_puts(b, "untitled");
}

static char *
read_all(const char *path, size_t *len)
{
	FILE		*f;
	struct buf	 b;
	char		 chunk[8192], *data;
	size_t		 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_put(&b, chunk, n);
	fclose(f);
	*len = b.len;
	data = buf_detach(&b);
	buf_free(&b);		/* buf_detach leaves an empty buffer */
	return data;
}

static int
write_all(const char *path, const char *data, size_t len)
{
	struct buf	 tmp;
	FILE		*f;
	int		 rc = -1;

	buf_init(&tmp);
	buf_printf(&tmp, "%s.icpgen-new", path);
	if ((f = fopen(tmp.data, "wb")) != NULL) {
		rc = fwrite(data, 1, len, f) == len ? 0 : -1;
		if (fclose(f) != 0)
			rc = -1;
		if (rc == 0 && rename(tmp.data, path) == -1)
			rc = -1;
		if (rc == -1)
			unlink(tmp.data);
	}
	buf_free(&tmp);
	return rc;
}

/* Messages about the changed file, as the build prints them. */
static void
sink(void *arg, int lv, const char *path, int line, int col, const char *msg)
{
	static const char *const names[] = { "error", "warning", "note" };
	struct change	*c = arg;

	if (path == NULL || strcmp(path, c->rel) != 0)
		return;			/* the site's other problems */
	if (lv == 0)
		c->errors++;
	fputs(path, stderr);
	if (line > 0)
		fprintf(stderr, ":%d", line);
	if (line > 0 && col > 0)
		fprintf(stderr, ":%d", col);
	fprintf(stderr, ": %s: %s\n", names[lv], msg);
}

/*
 * Write text as the file rel (creating it, or replacing it when
 * replace is set), check the site, and keep the change only when the
 * file has no errors.  Returns an exit status.
 */
static int
apply(const struct opts *o, const char *rel, const char *text, int replace)
{
	struct change	 c;
	struct build_opts bo;
	struct diags	 d;
	struct stat	 st;
	char		*slash;
	int		 rc;

	memset(&c, 0, sizeof(c));
	c.rel = rel;
	buf_init(&c.path);
	buf_printf(&c.path, "%s/%s", o->site, rel);
	if (!replace && stat(c.path.data, &st) == 0) {
		fprintf(stderr, "%s: error: already exists (choose another "
		    "date or title, or edit it)\n", rel);
		buf_free(&c.path);
		return 1;
	}
	if (replace)
		c.old = read_all(c.path.data, &c.oldlen);
	slash = strrchr(c.path.data, '/');
	*slash = '\0';
	if (mkdir(c.path.data, 0777) == 0)
		c.made_dir = 1;
	*slash = '/';
	if (write_all(c.path.data, text, strlen(text)) == -1) {
		fprintf(stderr, "icpgen: error: cannot write '%s': %s\n",
		    c.path.data, strerror(errno));
		rc = 3;
		goto undo;
	}

	memset(&bo, 0, sizeof(bo));
	bo.site = o->site;
	bo.worktree = true;
	bo.themedir = o->themedir;
	bo.nodedir = o->nodedir;
	bo.jobs = 1;
	bo.quiet = true;
	bo.epoch = -1;
	diag_init(&d, stderr);
	d.out = NULL;
	d.sink = sink;
	d.sink_arg = &c;
	rc = build_run(&bo, &d);
	diag_free(&d);
	if (rc == 3)
		goto undo;
	if (c.errors > 0) {
		fprintf(stderr, "icpgen: %s was not %s\n", rel, replace ?
		    "changed" : "written");
		rc = 1;
		goto undo;
	}
	printf("%s\n", strcmp(o->site, ".") == 0 ? rel : c.path.data);
	buf_free(&c.path);
	free(c.old);
	return 0;
undo:
	if (c.old != NULL)
		write_all(c.path.data, c.old, c.oldlen);
	else
		unlink(c.path.data);
	if (c.made_dir) {
		*strrchr(c.path.data, '/') = '\0';
		rmdir(c.path.data);
	}
	buf_free(&c.path);
	free(c.old);
	return rc;
}

/*
 * The site's folder: dir when given (it must hold icpgen.yaml), else
 * the current folder or the nearest one above it that holds
 * icpgen.yaml, as git finds its repository, up to the repository's top
 * (so that 'icpgen new news' run in meetings/ adds to the site, not to
 * meetings/news/).  NULL when there is none; buf keeps the path.
 */
static const char *
site_folder(const char *dir, bool given, struct buf *buf)
{
	struct stat	 st, root;
	size_t		 up, k, n;
	bool		 found, top;

	buf_init(buf);
	if (given) {
		buf_printf(buf, "%s/icpgen.yaml", dir);
		return stat(buf->data, &st) == 0 ? dir : NULL;
	}
	if (stat("/", &root) == -1)
		return NULL;
	for (up = 0; up < 64; up++) {
		buf_reset(buf);
		if (up == 0)
			buf_putc(buf, '.');
		for (k = 0; k < up; k++)
			buf_puts(buf, k == 0 ? ".." : "/..");
		n = buf->len;
		buf_puts(buf, "/icpgen.yaml");
		found = stat(buf->data, &st) == 0;
		buf_truncate(buf, n);
		buf_puts(buf, "/.git");
		top = lstat(buf->data, &st) == 0;
		buf_truncate(buf, n);
		if (found)
			return buf->data;
		if (top || stat(buf->data, &st) == -1 ||
		    (st.st_dev == root.st_dev && st.st_ino == root.st_ino))
			return NULL;
	}
	return NULL;
}

/* The site as it is on disk, quietly; NULL after reporting. */
static struct site *
load(const char *dir, struct src **src, struct diags *d)
{
	struct site	*s;

	diag_init(d, stderr);
	d->out = NULL;
	if ((*src = src_open(dir, NULL, true, NULL, d)) == NULL) {
		fprintf(stderr, "icpgen: error: '%s' is not a site in a git "
		    "repository (give one with --site)\n", dir);
		diag_free(d);
		return NULL;
	}
	if ((s = site_load(*src, (int64_t)time(NULL), d)) == NULL) {
		fprintf(stderr, "icpgen: error: no icpgen.yaml in '%s' (run "
		    "icpgen new in a site's folder, or give --site)\n", dir);
		src_close(*src);
		diag_free(d);
	}
	return s;
}

static void
unload(struct site *s, struct src *src, struct diags *d)
{
	site_free(s);
	src_close(src);
	diag_free(d);
}

/* The meeting id, or NULL after saying which ones there are. */
static const struct page *
meeting(const struct site *s, const char *id)
{
	const struct page *p = site_find(s, PAGE_MEETING, id);
	const char	**ids;
	const char	*near;
	size_t		 i, n = 0;

	if (p != NULL)
		return p;
	ids = xcalloc(s->npages + 1, sizeof(*ids));
	for (i = 0; i < s->npages; i++)
		if (s->pages[i]->kind == PAGE_MEETING)
			ids[n++] = s->pages[i]->id;
	near = text_suggest(id, ids);
	fprintf(stderr, "icpgen: error: unknown meeting '%s'", id);
	if (near != NULL)
		fprintf(stderr, " (did you mean '%s'?)", near);
	else
		fputs(" (a meeting is a folder in meetings/, such as "
		    "2025-03-12-icp)", stderr);
	fputc('\n', stderr);
	free(ids);
	return NULL;
}

static int
new_meeting(const struct opts *o, const char *committee, const char *date)
{
	struct buf	 rel, t;
	int		 rc;

	if (!plain("committee", committee) || !plain("date", date))
		return 1;
	if (strchr(committee, '/') != NULL || strchr(date, '/') != NULL)
		return bad("give a committee's id and a date, such as: icpgen "
		    "new meeting icp 2027-03-10");
	buf_init(&rel);
	buf_init(&t);
	buf_printf(&rel, "meetings/%s-%s/index.md", date, committee);
	buf_printf(&t, "---\ncommittee: %s\ndate: %s\nstart: \"14:00\"\n"
	    "end: \"16:00\"\nstatus: scheduled\n"
	    "venue: To be confirmed\n"
	    "agenda:\n"
	    "  - number: \"1\"\n"
	    "    title: Welcome and apologies for absence\n"
	    "    purpose: information\n"
	    "  - number: \"2\"\n"
	    "    title: Declarations of interest\n"
	    "    purpose: information\n"
	    "---\n", committee, date);
	rc = apply(o, rel.data, t.data, 0);
	buf_free(&rel);
	buf_free(&t);
	return rc;
}

static int
new_paper(const struct opts *o, const char *id, const char *title)
{
	struct src	*src;
	struct diags	 d;
	struct site	*s;
	struct buf	 rel, t;
	int		 rc = 1;

	if (!plain("title", title) || (o->item != NULL &&
	    !plain("item", o->item)) || (s = load(o->site, &src, &d)) == NULL)
		return 1;
	buf_init(&rel);
	buf_init(&t);
	if (meeting(s, id) == NULL)
		goto out;
	buf_printf(&rel, "meetings/%s/", id);
	slug(&rel, title);
	/* Not the meeting's own files, nor the addresses of its pack and
	 * history: a paper called "Minutes" is not the minutes. */
	if (text_has_suffix(rel.data, "/minutes") || text_has_suffix(rel.data,
	    "/index") || text_has_suffix(rel.data, "/pack") ||
	    text_has_suffix(rel.data, "/history"))
		buf_puts(&rel, "-paper");
	buf_puts(&rel, ".md");
	buf_puts(&t, "---\ntitle: ");
	yaml_str(&t, title);
	if (o->item != NULL) {
		buf_puts(&t, "\nitem: ");
		yaml_str(&t, o->item);
	}
	buf_puts(&t, "\nauthor: \nsummary: >-\n  What the paper is about, in "
	    "a sentence or two.\n---\n# Purpose\n\nWhat this paper asks "
	    "the meeting to do.\n");
	rc = apply(o, rel.data, t.data, 0);
	if (rc == 0 && o->item == NULL)
		fprintf(stderr, "icpgen: note: it is published once an agenda "
		    "item lists it: give --item N, or add it to an item's "
		    "papers in meetings/%s/index.md\n", id);
out:
	buf_free(&rel);
	buf_free(&t);
	unload(s, src, &d);
	return rc;
}

static int
new_minutes(const struct opts *o, const char *id)
{
	struct src	*src;
	struct diags	 d;
	struct site	*s;
	const struct page *m;
	const struct val *agenda;
	struct buf	 rel, t;
	const char	*num;
	size_t		 i;
	int		 rc = 1;

	if ((s = load(o->site, &src, &d)) == NULL)
		return 1;
	buf_init(&rel);
	buf_init(&t);
	if ((m = meeting(s, id)) == NULL)
		goto out;
	buf_printf(&rel, "meetings/%s/minutes.md", id);
	buf_puts(&t, "---\nstatus: draft\npresent: []\napologies: []\n"
	    "items:\n");
	agenda = val_get(m->fm, "agenda");
	for (i = 0; agenda != NULL && agenda->kind == VAL_LIST &&
	    i < agenda->n; i++) {
		if ((num = val_get_str(agenda->items[i], "number")) == NULL)
			continue;
		buf_puts(&t, "  - number: ");
		yaml_str(&t, num);
		buf_puts(&t, "\n    minute: >-\n      What was said and "
		    "agreed.\n");
	}
	if (agenda == NULL || agenda->kind != VAL_LIST || agenda->n == 0)
		buf_puts(&t, "  - number: \"1\"\n    minute: >-\n      What "
		    "was said and agreed.\n");
	buf_puts(&t, "---\n");
	rc = apply(o, rel.data, t.data, 0);
out:
	buf_free(&rel);
	buf_free(&t);
	unload(s, src, &d);
	return rc;
}

static int
new_question(const struct opts *o, const char *id, const char *text)
{
	struct src	*src;
	struct diags	 d;
	struct site	*s;
	struct buf	 rel, t;
	char		 day[11];
	int		 rc = 1;

	if (!plain("question", text) || (o->asked_by != NULL &&
	    !plain("name", o->asked_by)) ||
	    (s = load(o->site, &src, &d)) == NULL)
		return 1;
	buf_init(&rel);
	buf_init(&t);
	if (meeting(s, id) == NULL)
		goto out;
	today(day);
	buf_printf(&rel, "questions/%.7s-", day);
	slug(&rel, text);
	buf_puts(&rel, ".md");
	buf_puts(&t, "---\nquestion: ");
	yaml_str(&t, text);
	buf_printf(&t, "\nreceived: %s\n", day);
	if (o->asked_by != NULL) {
		buf_puts(&t, "asked_by: ");
		yaml_str(&t, o->asked_by);
		buf_putc(&t, '\n');
	}
	buf_printf(&t, "meeting: %s\nstatus: received\n---\n", id);
	rc = apply(o, rel.data, t.data, 0);
out:
	buf_free(&rel);
	buf_free(&t);
	unload(s, src, &d);
	return rc;
}

static int
new_news(const struct opts *o, const char *title)
{
	struct buf	 rel, t;
	char		 day[11];
	int		 rc;

	if (!plain("title", title))
		return 1;
	today(day);
	buf_init(&rel);
	buf_init(&t);
	buf_printf(&rel, "news/%s-", day);
	slug(&rel, title);
	buf_puts(&rel, ".md");
	buf_puts(&t, "---\ntitle: ");
	yaml_str(&t, title);
	buf_printf(&t, "\ndate: %s\ndescription: One sentence for lists and "
	    "feeds.\n---\nThe news, in plain English.\n", day);
	rc = apply(o, rel.data, t.data, 0);
	buf_free(&rel);
	buf_free(&t);
	return rc;
}

/* Width of a line's indentation, or -1 for a blank line. */
static int
indent(const char *l, const char *end)
{
	const char	*p = l;

	while (p < end && *p == ' ')
		p++;
	return p == end || *p == '\n' || *p == '#' ? -1 : (int)(p - l);
}

static const char *
next_line(const char *l)
{
	const char	*nl = strchr(l, '\n');

	return nl != NULL ? nl + 1 : l + strlen(l);
}

/*
 * Insert entry (lines at indentation 0, each ending in '\n') at the end
 * of the block that follows the line `key:` at indentation ind in the
 * front matter of text, indented to match the block's entries; when
 * there is no such key in [from, to), add it at to with the entries
 * under it at ind + 2.  Returns the new text, or NULL when the key is
 * written in another way (for example "key: []").
 */
static char *
insert(const char *text, const char *from, const char *to, int ind,
    const char *key, const char *entry)
{
	struct buf	 out;
	const char	*l, *at = NULL, *end, *e;
	char		*r;
	int		 ei = ind + 2, n;
	size_t		 kl = strlen(key);

	for (l = from; l < to; l = next_line(l))
		if (indent(l, to) == ind && strncmp(l + ind, key, kl) == 0 &&
		    l[ind + kl] == ':') {
			at = l;
			break;
		}
	buf_init(&out);
	if (at != NULL) {
		e = at + ind + kl + 1;
		while (*e == ' ')
			e++;
		if (*e != '\n' && *e != '#') {
			buf_free(&out);
			return NULL;
		}
		for (end = next_line(at); end < to; end = next_line(end)) {
			n = indent(end, to);
			if (n >= 0 && (n < ind || (n == ind && end[n] != '-')))
				break;
			if (n >= ind && end[n] == '-' && ei == ind + 2)
				ei = n;		/* the entries' own indentation */
		}
		buf_put(&out, text, (size_t)(end - text));
	} else {
		end = to;
		buf_put(&out, text, (size_t)(end - text));
		buf_printf(&out, "%*s%s:\n", ind, "", key);
	}
	for (l = entry; *l != '\0'; l = next_line(l))
		buf_printf(&out, "%*s%.*s", ei, "", (int)(next_line(l) - l), l);
	buf_puts(&out, end);
	r = buf_detach(&out);
	buf_free(&out);
	return r;
}

/* The end of the front matter: the start of its closing "---" line. */
static const char *
fm_end(const char *text)
{
	const char	*l;

	if (strncmp(text, "---\n", 4) != 0)
		return NULL;
	for (l = text + 4; *l != '\0'; l = next_line(l))
		if (strncmp(l, "---", 3) == 0 && (l[3] == '\n' || l[3] == '\0'))
			return l;
	return NULL;
}

static int
new_action(const struct opts *o, const char *id, const char *text)
{
	struct src	*src;
	struct diags	 d;
	struct site	*s;
	const struct page *m;
	const struct val *items, *acts;
	struct buf	 rel, path, num, entry, aid;
	const char	*l, *end, *item_end;
	char		*old = NULL, *now = NULL;
	size_t		 len, i, j, k;
	int		 rc = 1, n, ind, next = 1;

	if (o->item == NULL || o->owner == NULL)
		return bad("an action needs --item N (the agenda number) "
		    "and --owner PERSON (a file in people/)");
	if (o->owner[0] == '\0' || o->owner[strspn(o->owner,
	    "abcdefghijklmnopqrstuvwxyz0123456789-_.")] != '\0')
		return bad("--owner takes a person's id, the name of their "
		    "file in people/ without '.md' (such as jo-bloggs)");
	if (!plain("action", text) || !plain("item", o->item) ||
	    !plain("owner", o->owner) || (o->due != NULL &&
	    !plain("date", o->due)) || (s = load(o->site, &src, &d)) == NULL)
		return 1;
	buf_init(&rel);
	buf_init(&path);
	buf_init(&num);
	buf_init(&entry);
	buf_init(&aid);
	if ((m = meeting(s, id)) == NULL)
		goto out;
	if (site_find(s, PAGE_MINUTES, id) == NULL) {
		fprintf(stderr, "icpgen: error: meeting '%s' has no minutes "
		    "yet (write them first: icpgen new minutes %s)\n", id, id);
		goto out;
	}
	buf_printf(&rel, "meetings/%s/minutes.md", id);
	buf_printf(&path, "%s/%s", o->site, rel.data);
	if ((old = read_all(path.data, &len)) == NULL ||
	    (end = fm_end(old)) == NULL) {
		fprintf(stderr, "%s: error: cannot read its front matter\n",
		    rel.data);
		goto out;
	}

	/* The next free id of the form A-YYYY-MM-n for the meeting's month. */
	buf_printf(&aid, "A-%04d-%02d-", m->date.year, m->date.month);
	for (i = 0; i < s->npages; i++) {
		if (s->pages[i]->kind != PAGE_MINUTES)
			continue;
		items = val_get(s->pages[i]->fm, "items");
		for (j = 0; items != NULL && items->kind == VAL_LIST &&
		    j < items->n; j++) {
			acts = val_get(items->items[j], "actions");
			for (k = 0; acts != NULL && acts->kind == VAL_LIST &&
			    k < acts->n; k++) {
				const char *a = val_get_str(acts->items[k],
				    "id");

				if (a != NULL && strncmp(a, aid.data,
				    aid.len) == 0 && atoi(a + aid.len) >= next)
					next = atoi(a + aid.len) + 1;
			}
		}
	}
	buf_printf(&aid, "%d", next);

	/* The item "number: N" in items:, and the end of its entry. */
	buf_puts(&num, o->item);
	for (l = old; l < end; l = next_line(l))
		if (indent(l, end) == 0 && strncmp(l, "items:", 6) == 0)
			break;
	for (ind = -1; l < end; l = next_line(l)) {
		const char *p;

		if ((n = indent(l, end)) < 0 || l[n] != '-')
			continue;
		for (p = l + n + 1; *p == ' '; p++)
			continue;
		if (strncmp(p, "number:", 7) != 0)
			continue;
		for (p += 7; *p == ' ' || *p == '"' || *p == '\''; p++)
			continue;
		if (strncmp(p, num.data, num.len) == 0 && strchr("\"' \n",
		    p[num.len]) != NULL) {
			ind = n;
			break;
		}
	}
	if (ind < 0) {
		fprintf(stderr, "%s: error: no minuted item numbered '%s' (add "
		    "it under items:, or give another --item)\n", rel.data,
		    o->item);
		goto out;
	}
	for (item_end = next_line(l); item_end < end;
	    item_end = next_line(item_end))
		if ((n = indent(item_end, end)) >= 0 && n <= ind)
			break;
	buf_printf(&entry, "- id: %s\n  action: ", aid.data);
	yaml_str(&entry, text);
	buf_printf(&entry, "\n  owner: %s\n", o->owner);
	if (o->due != NULL)
		buf_printf(&entry, "  due: %s\n", o->due);
	if ((now = insert(old, next_line(l), item_end, ind + 2, "actions",
	    entry.data)) == NULL) {
		fprintf(stderr, "%s: error: item '%s' has its actions written "
		    "on one line; write them as a list to add one\n",
		    rel.data, o->item);
		goto out;
	}
	rc = apply(o, rel.data, now, 1);
	if (rc == 0)
		fprintf(stderr, "icpgen: added action %s to item %s\n",
		    aid.data, o->item);
out:
	free(old);
	free(now);
	buf_free(&rel);
	buf_free(&path);
	buf_free(&num);
	buf_free(&entry);
	buf_free(&aid);
	unload(s, src, &d);
	return rc;
}

static int
new_value(const struct opts *o, const char *id, const char *date,
    const char *value)
{
	struct src	*src;
	struct diags	 d;
	struct site	*s;
	const struct page *m;
	const struct val *vals, *v;
	struct buf	 rel, path, entry;
	const char	*end, *dv;
	char		*old = NULL, *now = NULL;
	size_t		 len, i;
	int		 rc = 1;

	if (o->rag == NULL)
		return bad("say how the measure is doing: --rag on-track, "
		    "at-risk, off-track or no-data");
	if (!plain("date", date) || !plain("value", value) ||
	    !plain("rag", o->rag) || (s = load(o->site, &src, &d)) == NULL)
		return 1;
	buf_init(&rel);
	buf_init(&path);
	buf_init(&entry);
	if ((m = site_find(s, PAGE_MEASURE, id)) == NULL) {
		fprintf(stderr, "icpgen: error: unknown measure '%s' (a "
		    "measure is a file in strategy/measures/)\n", id);
		goto out;
	}
	vals = val_get(m->fm, "values");
	for (i = 0; vals != NULL && vals->kind == VAL_LIST && i < vals->n;
	    i++) {
		v = vals->items[i];
		if ((dv = val_get_str(v, "date")) != NULL &&
		    strcmp(dv, date) == 0) {
			fprintf(stderr, "%s:%d: error: a value for %s is "
			    "already there (edit it instead)\n", m->source,
			    v->line, date);
			goto out;
		}
	}
	buf_printf(&rel, "%s", m->source);
	buf_printf(&path, "%s/%s", o->site, rel.data);
	if ((old = read_all(path.data, &len)) == NULL ||
	    (end = fm_end(old)) == NULL) {
		fprintf(stderr, "%s: error: cannot read its front matter\n",
		    rel.data);
		goto out;
	}
	buf_printf(&entry, "- date: %s\n  value: %s\n  rag: %s\n", date,
	    value, o->rag);
	if ((now = insert(old, old + 4, end, 0, "values", entry.data)) ==
	    NULL) {
		fprintf(stderr, "%s: error: its values are written on one "
		    "line; write them as a list to add one\n", rel.data);
		goto out;
	}
	rc = apply(o, rel.data, now, 1);
out:
	free(old);
	free(now);
	buf_free(&rel);
	buf_free(&path);
	buf_free(&entry);
	unload(s, src, &d);
	return rc;
}

int
new_run(int argc, char *argv[], const char *themedir, const char *nodedir)
{
	static const struct option longs[] = {
		{ "site", required_argument, NULL, 's' },
		{ "item", required_argument, NULL, 'i' },
		{ "owner", required_argument, NULL, 'O' },
		{ "due", required_argument, NULL, 'd' },
		{ "asked-by", required_argument, NULL, 'a' },
		{ "rag", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char	*kind;
		int		 nargs;
	} kinds[] = {
		{ "meeting", 2 }, { "paper", 2 }, { "minutes", 1 },
		{ "question", 2 }, { "action", 2 }, { "news", 1 },
		{ "measure-value", 3 },
	};
	struct opts	 o;
	const char	*kind;
	size_t		 i;
	int		 c, rc;
	struct buf	 found;
	bool		 given = false;

	memset(&o, 0, sizeof(o));
	o.site = ".";
	o.themedir = themedir;
	o.nodedir = nodedir;
	optind = 1;
	while ((c = getopt_long(argc, argv, "hs:", longs, NULL)) != -1)
		switch (c) {
		case 's':
			o.site = o.site_arg = optarg;
			given = true;
			break;
		case 'i':
			o.item = optarg;
			break;
		case 'O':
			o.owner = optarg;
			break;
		case 'd':
			o.due = optarg;
			break;
		case 'a':
			o.asked_by = optarg;
			break;
		case 'r':
			o.rag = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	argc -= optind;
	argv += optind;
	if (argc < 1) {
		fprintf(stderr, "icpgen: new needs a kind\n%s", usage);
		return 2;
	}
	kind = argv[0];
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		fprintf(stderr, "icpgen: unknown kind '%s' (expected meeting, "
		    "paper, minutes, question, action, news or "
		    "measure-value)\n", kind);
		return 2;
	}
	if (argc - 1 != kinds[i].nargs) {
		fprintf(stderr, "icpgen: new %s takes %d argument%s\n%s", kind,
		    kinds[i].nargs, kinds[i].nargs == 1 ? "" : "s", usage);
		return 2;
	}
	if ((o.site = site_folder(o.site, given, &found)) == NULL) {
		fprintf(stderr, "icpgen: error: no icpgen.yaml in '%s'%s (run "
		    "icpgen new in a site's folder, or give --site)\n",
		    given ? o.site_arg : ".", given ? "" :
		    " or a folder above it in its repository");
		buf_free(&found);
		return 2;
	}
	switch (i) {
	case 0:
		rc = new_meeting(&o, argv[1], argv[2]);
		break;
	case 1:
		rc = new_paper(&o, argv[1], argv[2]);
		break;
	case 2:
		rc = new_minutes(&o, argv[1]);
		break;
	case 3:
		rc = new_question(&o, argv[1], argv[2]);
		break;
	case 4:
		rc = new_action(&o, argv[1], argv[2]);
		break;
	case 5:
		rc = new_news(&o, argv[1]);
		break;
	default:
		rc = new_value(&o, argv[1], argv[2], argv[3]);
		break;
	}
	buf_free(&found);
	return rc;
}
