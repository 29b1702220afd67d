/* Git tree objects read from their raw bytes: see rawtree.h. */
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "load/rawtree.h"

#define MODE_TYPE(m)	((m) & 0170000)

bool
rawtree_istree(unsigned mode)
{
	return MODE_TYPE(mode) == 0040000;
}

bool
rawtree_isgitlink(unsigned mode)
{
	return MODE_TYPE(mode) == 0160000;
}

/* libgit2 normalises this way; its callers compared what it gave. */
unsigned
rawtree_filemode(unsigned mode)
{
	if (MODE_TYPE(mode) == 0040000)
		return 0040000;
	if (mode & 0100)
		return 0100755;
	if (MODE_TYPE(mode) == 0160000)
		return 0160000;
	if (MODE_TYPE(mode) == 0120000)
		return 0120000;
	return 0100644;
}

static const unsigned char null_id[20];

int
rawtree_entry(const unsigned char *buf, size_t len, size_t off,
    struct rawtree_entry *e, const char **why)
{
	const unsigned char *p = buf + off, *end = buf + len, *nul;
	unsigned	 mode = 0, type;
	size_t		 nd = 0;

	if (off >= len) {
		if (off == len)
			return 0;
		*why = "entry outside the tree";
		return -1;
	}
	/* Git writes 5 or 6 digits; more would only hide garbage. */
	for (; p < end && *p >= '0' && *p <= '7' && nd < 7; p++, nd++)
		mode = mode * 8 + (unsigned)(*p - '0');
	if (nd == 0 || nd > 6 || p == end || *p != ' ') {
		*why = "bad entry mode";
		return -1;
	}
	type = MODE_TYPE(mode);
	if (mode > 0177777 || (mode & 07000) != 0 || (type != 0040000 &&
	    type != 0100000 && type != 0120000 && type != 0160000)) {
		*why = "bad entry mode";
		return -1;
	}
	p++;
	if ((nul = memchr(p, '\0', (size_t)(end - p))) == NULL) {
		*why = "entry name without its end";
		return -1;
	}
	e->name = (const char *)p;
	e->namelen = (size_t)(nul - p);
	if (e->namelen == 0 || memchr(p, '/', e->namelen) != NULL ||
	    (e->namelen == 1 && p[0] == '.') ||
	    (e->namelen == 2 && p[0] == '.' && p[1] == '.')) {
		*why = "bad entry name";
		return -1;
	}
	if ((size_t)(end - (nul + 1)) < 20) {
		*why = "truncated entry id";
		return -1;
	}
	/* No object has it; the history cache means a deletion by it. */
	if (memcmp(nul + 1, null_id, 20) == 0) {
		*why = "entry with the null id";
		return -1;
	}
	e->id = nul + 1;
	e->mode = mode;
	e->end = (size_t)(nul + 1 + 20 - buf);
	return 1;
}

void
rawtree_at(const struct rawtree *t, size_t i, struct rawtree_entry *e)
{
	static const unsigned char zero[20];
	const char	*why;

	/* Checked when parsed, this cannot fail; if it did, no entry. */
	if (rawtree_entry(t->buf, t->len, t->off[i], e, &why) != 1) {
		e->name = "";
		e->namelen = 0;
		e->id = zero;
		e->mode = 0100644;
		e->end = t->off[i];
	}
}

int
rawtree_cmp(const struct rawtree_entry *a, const struct rawtree_entry *b)
{
	size_t		 n = a->namelen < b->namelen ? a->namelen : b->namelen;
	unsigned char	 ca, cb;
	int		 c;

	if ((c = memcmp(a->name, b->name, n)) != 0)
		return c;
	ca = a->namelen > n ? (unsigned char)a->name[n] :
	    rawtree_istree(a->mode) ? '/' : '\0';
	cb = b->namelen > n ? (unsigned char)b->name[n] :
	    rawtree_istree(b->mode) ? '/' : '\0';
	return ca < cb ? -1 : ca > cb;
}

/* The index of key among entries [lo, hi) of t, or -1. */
static long
search(const struct rawtree *t, size_t lo, size_t hi,
    const struct rawtree_entry *key)
{
	struct rawtree_entry e;
	size_t		 mid;
	int		 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		rawtree_at(t, mid, &e);
		if ((c = rawtree_cmp(key, &e)) == 0)
			return (long)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

long
rawtree_find(const struct rawtree *t, const char *name, size_t len,
    bool tree)
{
	struct rawtree_entry key;

	memset(&key, 0, sizeof(key));
	key.name = name;
	key.namelen = len;
	key.mode = tree ? 0040000 : 0100644;
	return search(t, 0, t->n, &key);
}

static void
push(struct rawtree *t, size_t off)
{
	if (t->n + 1 >= t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->off = xreallocarray(t->off, t->cap, sizeof(*t->off));
	}
	t->off[t->n++] = (uint32_t)off;
}

/*
 * The same name twice, as a file and as a folder, sorts apart ("a" <
 * "a-b" < "a/"): between the two there are only names that begin with
 * it and go on with a byte below '/'.  So each entry of [lo, hi) is
 * looked up as the other kind: a folder before it, a file after it
 * (a file is always first, so a whole tree needs only the first).
 */
static int
dups(const struct rawtree *t, size_t lo, size_t hi, bool files)
{
	struct rawtree_entry e;
	size_t		 i;

	for (i = lo; i < hi; i++) {
		rawtree_at(t, i, &e);
		if (rawtree_istree(e.mode)) {
			e.mode = 0100644;
			if (search(t, 0, i, &e) != -1)
				return -1;
		} else if (files) {
			e.mode = 0040000;
			if (search(t, i + 1, t->n, &e) != -1)
				return -1;
		}
	}
	return 0;
}

/* How many bytes a and b share at their start, of at most n. */
static size_t
common(const unsigned char *a, const unsigned char *b, size_t n)
{
	size_t	i = 0;

	while (n - i >= 256 && memcmp(a + i, b + i, 256) == 0)
		i += 256;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Start a range of entries that may differ, or go on with the last. */
static void
range_open(struct rawtree *t, size_t j)
{
	size_t	*r;

	if (t->nrng > 0 && (r = &t->rng[4 * (t->nrng - 1)], r[1] == t->n &&
	    r[3] == j))
		return;		/* right after the last: one range */
	if (t->nrng == t->rcap) {
		t->rcap = t->rcap ? t->rcap * 2 : 16;
		t->rng = xreallocarray(t->rng, t->rcap, 4 * sizeof(*t->rng));
	}
	r = &t->rng[4 * t->nrng++];
	r[0] = r[1] = t->n;
	r[2] = r[3] = j;
}

int
rawtree_next(struct rawtree *t, const unsigned char *buf, size_t len,
    const struct rawtree *old, const char **why)
{
	struct rawtree_entry e, prev, f;
	size_t		 pos = 0, j = 0, on = 0, l, a, b, q, k;
	bool		 has_prev = false;
	int		 c;

	t->buf = buf;
	t->len = len;
	t->n = 0;
	t->nrng = 0;
	*why = "tree too large";
	if (len > RAWTREE_MAX)
		return -1;
	if (old != NULL)
		on = old->n;
	for (;;) {
		/*
		 * Where the bytes go on as old's, old's entries that end
		 * in the bytes shared are the same entries, checked: only
		 * the first's order after the entry before it is new.
		 */
		if (j < on && pos < len) {
			l = common(buf + pos, old->buf + old->off[j],
			    len - pos < old->len - old->off[j] ? len - pos :
			    old->len - old->off[j]);
			a = j;
			b = on;
			while (a < b) {	/* the last start within */
				q = a + (b - a + 1) / 2;
				if (old->off[q] - old->off[j] <= l)
					a = q;
				else
					b = q - 1;
			}
			if (a > j) {
				rawtree_at(old, j, &f);
				if (has_prev && rawtree_cmp(&prev, &f) >= 0)
					goto order;
				for (k = j; k < a; k++)
					push(t, pos + old->off[k] -
					    old->off[j]);
				pos += old->off[a] - old->off[j];
				rawtree_at(t, t->n - 1, &prev);
				has_prev = true;
				j = a;
			}
		}
		if (pos == len) {
			if (j < on) {		/* the rest of old deleted */
				range_open(t, j);
				t->rng[4 * t->nrng - 1] = on;
			}
			break;
		}
		/* An entry of its own, and those of old it replaces. */
		if (rawtree_entry(buf, len, pos, &e, why) != 1)
			return -1;
		if (has_prev && rawtree_cmp(&prev, &e) >= 0) {
			f = e;
			goto order;
		}
		range_open(t, j);
		push(t, pos);
		for (; j < on; j++) {
			rawtree_at(old, j, &f);
			if ((c = rawtree_cmp(&f, &e)) >= 0) {
				j += c == 0;
				break;
			}
		}
		t->rng[4 * (t->nrng - 1) + 1] = t->n;
		t->rng[4 * (t->nrng - 1) + 3] = j;
		prev = e;
		has_prev = true;
		pos = e.end;
	}
	push(t, len);
	t->n--;				/* off[n] is the end */
	for (k = 0; k < t->nrng; k++)
		if (dups(t, t->rng[4 * k], t->rng[4 * k + 1], old != NULL) ==
		    -1) {
			*why = "duplicate entries";
			return -1;
		}
	return 0;
order:
	*why = rawtree_cmp(&prev, &f) == 0 ? "duplicate entries" :
	    "entries out of order";
	return -1;
}

void
rawtree_free(struct rawtree *t)
{
	free(t->off);
	free(t->rng);
	memset(t, 0, sizeof(*t));
}

bool
rawcommit_time(const char *p, size_t len, int64_t *t)
{
	const char	*end = p + len, *nl, *gt, *q;
	uint64_t	 v = 0, max = (uint64_t)INT64_MAX;
	bool		 neg = false;

	for (; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL ||
		    nl == p)
			return false;	/* the header ended first */
		if (nl - p < 10 || memcmp(p, "committer ", 10) != 0)
			continue;
		if ((gt = memrchr(p, '>', (size_t)(nl - p))) == NULL)
			return false;
		*t = 0;
		if (nl - gt <= 2)
			return true;	/* no time: libgit2 gives 0 */
		/* As strtoll would: spaces, a sign, then digits. */
		for (q = gt + 2; q < nl && (*q == ' ' || *q == '\t' ||
		    *q == '\v' || *q == '\f' || *q == '\r'); q++)
			;
		if (q < nl && (*q == '-' || *q == '+'))
			neg = *q++ == '-';
		if (neg)
			max++;		/* INT64_MIN */
		if (q == nl || *q < '0' || *q > '9')
			return false;
		for (; q < nl && *q >= '0' && *q <= '9'; q++) {
			if (v > (max - (uint64_t)(*q - '0')) / 10)
				return false;	/* libgit2 refuses it too */
			v = v * 10 + (uint64_t)(*q - '0');
		}
		*t = neg ? (int64_t)(0 - v) : (int64_t)v;
		return true;
	}
	return false;
}
