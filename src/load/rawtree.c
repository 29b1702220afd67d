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
	e->id = nul + 1;
	e->mode = mode;
	e->end = (size_t)(nul + 1 + 20 - buf);
	return 1;
}

void
rawtree_at(const struct rawtree *t, size_t i, struct rawtree_entry *e)
{
	const char	*why;

	/* Checked when parsed: this cannot fail. */
	(void)rawtree_entry(t->buf, t->len, t->off[i], e, &why);
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

int
rawtree_next(struct rawtree *t, const unsigned char *buf, size_t len,
    const struct rawtree *old, size_t *lo, size_t *hi, size_t *olo,
    size_t *ohi, const char **why)
{
	struct rawtree_entry e, prev, f;
	size_t		 p = 0, s = 0, m, base, pos, ib = 0, j, a, b, q;
	bool		 has_prev = false;

	t->buf = buf;
	t->len = len;
	t->n = 0;
	*why = "tree too large";
	if (len > RAWTREE_MAX)
		return -1;
	if (old != NULL) {
		/* The bytes both versions share at the start... */
		m = old->len < len ? old->len : len;
		while (p < m && old->buf[p] == buf[p])
			p++;
		/* ...hold the entries that end in them. */
		a = 0;
		b = old->n;
		while (a < b) {		/* the last start <= p */
			q = a + (b - a + 1) / 2;
			if (old->off[q] <= p)
				a = q;
			else
				b = q - 1;
		}
		ib = a;
		for (j = 0; j < ib; j++)
			push(t, old->off[j]);
		base = old->off[ib];
		/* The bytes shared at the end, not reaching into those. */
		m -= base;
		while (s < m && old->buf[old->len - 1 - s] == buf[len - 1 - s])
			s++;
		if (ib > 0) {
			rawtree_at(t, ib - 1, &prev);
			has_prev = true;
		}
	} else
		base = 0;
	*lo = *olo = ib;
	j = old != NULL ? old->n : 0;
	for (pos = base;;) {
		/*
		 * In the shared end, where an entry of old starts, the rest
		 * is old's.  The end of old is such a start.
		 */
		if (old != NULL && pos >= len - s) {
			q = old->len - (len - pos);
			a = ib;
			b = old->n + 1;
			while (a < b) {
				m = a + (b - a) / 2;
				if (old->off[m] < q)
					a = m + 1;
				else
					b = m;
			}
			if (a <= old->n && old->off[a] == q) {
				j = a;
				break;
			}
		}
		if (old == NULL && pos == len)
			break;
		if (rawtree_entry(buf, len, pos, &e, why) != 1) {
			if (pos == len)		/* not reached: see above */
				*why = "internal error";
			return -1;
		}
		if (has_prev && rawtree_cmp(&prev, &e) >= 0) {
			*why = rawtree_cmp(&prev, &e) == 0 ?
			    "duplicate entries" : "entries out of order";
			return -1;
		}
		push(t, pos);
		prev = e;
		has_prev = true;
		pos = e.end;
	}
	*hi = t->n;
	*ohi = j;
	if (old != NULL) {
		if (j < old->n && has_prev) {
			rawtree_at(old, j, &f);
			if (rawtree_cmp(&prev, &f) >= 0) {
				*why = rawtree_cmp(&prev, &f) == 0 ?
				    "duplicate entries" :
				    "entries out of order";
				return -1;
			}
		}
		for (; j < old->n; j++)
			push(t, len - (old->len - old->off[j]));
	}
	push(t, len);
	t->n--;				/* off[n] is the end */
	if (dups(t, *lo, *hi, old != NULL) == -1) {
		*why = "duplicate entries";
		return -1;
	}
	return 0;
}

void
rawtree_free(struct rawtree *t)
{
	free(t->off);
	memset(t, 0, sizeof(*t));
}
