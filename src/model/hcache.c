/*
 * The versions cache (see hcache.h).  The file:
 *
 *	icpgen-versions 1 VERSION\n
 *	records, each: kind byte ('b', 'p' or 'l': see history.c), 40
 *	    bytes of key, 4-byte length
 *	    (little-endian), that many bytes of value
 *	end HASH\n	(the hash of everything before, 16 hex digits)
 *
 * Written whole to a new file and renamed into place, so a reader sees
 * the old file or the new one.  Every read of it is bounded by what is
 * left of the file; a file that breaks any rule is ignored whole.
 *
 * Values: 'n' null, 't' true, 'f' false, 'd' and the 8 bytes of a
 * double, 's' length and bytes, 'l' count and values, 'm' count and
 * (key length, key bytes, value) pairs.  Numbers are LEB128.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/text.h"
#include "util/val.h"
#include "model/hcache.h"

#ifndef ICPGEN_VERSION
#define ICPGEN_VERSION	""
#endif

/*
 * Bump the number when what the history stage stores changes (its
 * fields, sentences or word segments), so old files are not trusted.
 */
#define HC_MAGIC	"icpgen-versions 4 " ICPGEN_VERSION "\n"
#define HC_MAX		(1024 * 1024 * 1024)	/* refuse larger files */
#define HC_DEPTH	32			/* nesting of values */
#define HC_HEAD		(HCACHE_KEY + 4)

struct hentry {
	unsigned char	 key[HCACHE_KEY];
	const unsigned char *rec;	/* in the file read, or own */
	size_t		 len;
	int		 used;
	int		 own;
};

struct hcache {
	char		*path;
	unsigned char	*data;		/* the file read */
	struct hentry	*e;
	size_t		 n, cap;
	size_t		*slots;		/* index + 1, 0 free */
	size_t		 nslots;
	size_t		 loaded;	/* entries from the file */
	int		 added;
};

static size_t
key_hash(const unsigned char *k)
{
	uint64_t	a, b;

	memcpy(&a, k + 1, sizeof(a));	/* blob ids are already hashes */
	memcpy(&b, k + 1 + 20, sizeof(b));
	return (size_t)(a ^ (b * 31) ^ k[0]);
}

/* The slot of key: its entry's, or the free one where it goes. */
static size_t
find(const struct hcache *c, const unsigned char *key)
{
	size_t	k, mask = c->nslots - 1;

	for (k = key_hash(key) & mask; c->slots[k] != 0 &&
	    memcmp(c->e[c->slots[k] - 1].key, key, HCACHE_KEY) != 0;
	    k = (k + 1) & mask)
		continue;
	return k;
}

/* The entry of key, added when absent (*fresh says which). */
static struct hentry *
insert(struct hcache *c, const unsigned char *key, int *fresh)
{
	size_t	 i, k;

	if (2 * (c->n + 1) > c->nslots) {
		free(c->slots);
		c->nslots = c->nslots ? c->nslots * 2 : 1024;
		c->slots = xcalloc(c->nslots, sizeof(*c->slots));
		for (i = 0; i < c->n; i++)
			c->slots[find(c, c->e[i].key)] = i + 1;
	}
	*fresh = 0;
	if (c->slots[k = find(c, key)] != 0)
		return &c->e[c->slots[k] - 1];
	*fresh = 1;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1024;
		c->e = xreallocarray(c->e, c->cap, sizeof(*c->e));
	}
	memset(&c->e[c->n], 0, sizeof(*c->e));
	memcpy(c->e[c->n].key, key, HCACHE_KEY);
	c->slots[k] = ++c->n;
	return &c->e[c->n - 1];
}

static void
drop(struct hcache *c)
{
	size_t	i;

	for (i = 0; i < c->n; i++)
		if (c->e[i].own)
			free((void *)(uintptr_t)c->e[i].rec);
	free(c->e);
	free(c->slots);
	free(c->data);
	c->e = NULL;
	c->slots = NULL;
	c->data = NULL;
	c->n = c->cap = c->nslots = c->loaded = 0;
}

/* Read the file; any fault leaves the cache empty. */
static void
load(struct hcache *c)
{
	FILE		*f;
	struct stat	 st;
	struct hentry	*e;
	char		 hex[17];
	size_t		 size, len, at, rl, magic = strlen(HC_MAGIC);
	const unsigned char *p;
	int		 ok = 0, fresh;

	if ((f = fopen(c->path, "rb")) == NULL)
		return;
	if (fstat(fileno(f), &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)(magic + 21) || st.st_size > HC_MAX)
		goto out;
	size = (size_t)st.st_size;
	c->data = xmalloc_big(size);
	if (fread(c->data, 1, size, f) != size)
		goto out;
	len = size - 21;
	if (memcmp(c->data + len, "end ", 4) != 0 || c->data[size - 1] != '\n')
		goto out;
	snprintf(hex, sizeof(hex), "%016llx",
	    (unsigned long long)text_sum(c->data, len));
	if (memcmp(c->data + len + 4, hex, 16) != 0 ||
	    memcmp(c->data, HC_MAGIC, magic) != 0)
		goto out;
	for (at = magic; at < len; at += HC_HEAD + rl) {
		p = c->data + at;
		if (len - at < HC_HEAD || (p[0] != 'b' && p[0] != 'p' &&
		    p[0] != 'l'))
			goto out;
		rl = (size_t)p[HCACHE_KEY] | (size_t)p[HCACHE_KEY + 1] << 8 |
		    (size_t)p[HCACHE_KEY + 2] << 16 |
		    (size_t)p[HCACHE_KEY + 3] << 24;
		if (rl > len - at - HC_HEAD)
			goto out;	/* overruns the file */
		e = insert(c, p, &fresh);
		if (!fresh)
			goto out;	/* a key twice */
		e->rec = p + HC_HEAD;
		e->len = rl;
	}
	c->loaded = c->n;
	ok = 1;
out:
	if (!ok)
		drop(c);
	fclose(f);
}

struct hcache *
hcache_open(const char *path)
{
	struct hcache	*c = xcalloc(1, sizeof(*c));

	if (path != NULL) {
		c->path = xstrdup(path);
		load(c);
	}
	return c;
}

const unsigned char *
hcache_get(struct hcache *c, const unsigned char *key, size_t *len)
{
	size_t	k;

	if (c->n == 0 || c->slots[k = find(c, key)] == 0)
		return NULL;
	c->e[c->slots[k] - 1].used = 1;
	*len = c->e[c->slots[k] - 1].len;
	return c->e[c->slots[k] - 1].rec;
}

const unsigned char *
hcache_peek(const struct hcache *c, const unsigned char *key, size_t *len)
{
	size_t	k;

	if (c->n == 0 || c->slots[k = find(c, key)] == 0)
		return NULL;
	*len = c->e[c->slots[k] - 1].len;
	return c->e[c->slots[k] - 1].rec;
}

void
hcache_put(struct hcache *c, const unsigned char *key, const void *rec,
    size_t len)
{
	struct hentry	*e;
	unsigned char	*copy;
	int		 fresh;

	if (len > 0xffffffffu)
		return;
	e = insert(c, key, &fresh);
	if (e->own)
		free((void *)(uintptr_t)e->rec);
	copy = xmalloc(len ? len : 1);
	memcpy(copy, rec, len);
	e->rec = copy;
	e->len = len;
	e->own = 1;
	e->used = 1;
	c->added = 1;
}

/* Write the records used by this build, whole, then rename into place. */
static void
save(const struct hcache *c)
{
	struct buf	 b, tmp;
	unsigned char	 l[4];
	FILE		*f;
	size_t		 i;
	int		 fd;

	buf_init(&b);
	buf_init(&tmp);
	buf_puts(&b, HC_MAGIC);
	for (i = 0; i < c->n; i++) {
		if (!c->e[i].used)
			continue;
		l[0] = (unsigned char)c->e[i].len;
		l[1] = (unsigned char)(c->e[i].len >> 8);
		l[2] = (unsigned char)(c->e[i].len >> 16);
		l[3] = (unsigned char)(c->e[i].len >> 24);
		buf_put(&b, (const char *)c->e[i].key, HCACHE_KEY);
		buf_put(&b, (const char *)l, 4);
		buf_put(&b, (const char *)c->e[i].rec, c->e[i].len);
	}
	buf_printf(&b, "end %016llx\n",
	    (unsigned long long)text_sum(b.data, b.len));
	buf_printf(&tmp, "%s.%ld.tmp", c->path, (long)getpid());
	if (b.len <= HC_MAX && (fd = open(tmp.data, O_WRONLY | O_CREAT |
	    O_TRUNC | O_NOFOLLOW, 0600)) != -1) {
		if ((f = fdopen(fd, "wb")) == NULL) {
			close(fd);
			(void)unlink(tmp.data);
		} else if (fwrite(b.data, 1, b.len, f) != b.len) {
			fclose(f);
			(void)unlink(tmp.data);
		} else if (fclose(f) != 0 || rename(tmp.data, c->path) == -1)
			(void)unlink(tmp.data);		/* best effort */
	}
	buf_free(&b);
	buf_free(&tmp);
}

void
hcache_close(struct hcache *c)
{
	size_t	i, used = 0;

	if (c == NULL)
		return;
	for (i = 0; i < c->loaded; i++)
		used += c->e[i].used != 0;
	/* Rewritten when it gained records or holds ones no longer used. */
	if (c->path != NULL && (c->added || used < c->loaded))
		save(c);
	hcache_discard(c);
}

void
hcache_discard(struct hcache *c)
{
	if (c == NULL)
		return;
	drop(c);
	free(c->path);
	free(c);
}

/* --- values ------------------------------------------------------------- */

static void
put_num(struct buf *b, size_t n)
{
	do {
		buf_putc(b, (int)((n & 0x7f) | (n > 0x7f ? 0x80 : 0)));
		n >>= 7;
	} while (n > 0);
}

void
hcache_encode(struct buf *b, const struct val *v)
{
	size_t	i;

	if (v == NULL) {
		buf_putc(b, 'n');
		return;
	}
	switch (v->kind) {
	case VAL_BOOL:
		buf_putc(b, v->b ? 't' : 'f');
		break;
	case VAL_NUM:
		buf_putc(b, 'd');
		buf_put(b, (const char *)&v->num, sizeof(v->num));
		break;
	case VAL_STR:
		buf_putc(b, 's');
		put_num(b, v->len);
		buf_put(b, v->str, v->len);
		break;
	case VAL_LIST:
		buf_putc(b, 'l');
		put_num(b, v->n);
		for (i = 0; i < v->n; i++)
			hcache_encode(b, v->items[i]);
		break;
	case VAL_MAP:
		buf_putc(b, 'm');
		put_num(b, v->n);
		for (i = 0; i < v->n; i++) {
			put_num(b, strlen(v->pairs[i].key));
			buf_puts(b, v->pairs[i].key);
			hcache_encode(b, v->pairs[i].v);
		}
		break;
	default:
		buf_putc(b, 'n');
		break;
	}
}

/* A reader over a record: every read is bounded. */
struct rd {
	const unsigned char *p, *end;
	int		 bad;
};

static size_t
get_num(struct rd *r)
{
	size_t	n = 0;
	int	shift;

	for (shift = 0; !r->bad; shift += 7) {
		if (r->p == r->end || shift > 28) {
			r->bad = 1;
			break;
		}
		n |= (size_t)(*r->p & 0x7f) << shift;
		if ((*r->p++ & 0x80) == 0)
			break;
	}
	/* no count or length can exceed what is left */
	if (!r->bad && n > (size_t)(r->end - r->p))
		r->bad = 1;
	return r->bad ? 0 : n;
}

static struct val *
get_val(struct arena *a, struct rd *r, int depth)
{
	struct val	*v = NULL, *item;
	char		*key;
	size_t		 n, i, kl;

	if (r->bad || r->p == r->end || depth > HC_DEPTH) {
		r->bad = 1;
		return NULL;
	}
	switch (*r->p++) {
	case 'n':
		return val_new(a, VAL_NULL);
	case 't':
	case 'f':
		return val_bool(a, r->p[-1] == 't');
	case 'd':
		if ((size_t)(r->end - r->p) < sizeof(double))
			break;
		v = val_new(a, VAL_NUM);
		memcpy(&v->num, r->p, sizeof(v->num));
		r->p += sizeof(v->num);
		return v;
	case 's':
		n = get_num(r);
		if (r->bad)
			break;
		v = val_strn(a, (const char *)r->p, n);
		r->p += n;
		return v;
	case 'l':
		n = get_num(r);
		v = val_list(a);
		for (i = 0; i < n && !r->bad; i++)
			if ((item = get_val(a, r, depth + 1)) != NULL)
				val_push(a, v, item);
		return r->bad ? NULL : v;
	case 'm':
		n = get_num(r);
		v = val_map(a);
		for (i = 0; i < n && !r->bad; i++) {
			kl = get_num(r);
			if (r->bad || memchr(r->p, '\0', kl) != NULL)
				break;
			key = arena_strndup(a, (const char *)r->p, kl);
			r->p += kl;
			if (val_get(v, key) != NULL)
				break;		/* a key twice */
			if ((item = get_val(a, r, depth + 1)) != NULL)
				val_set(a, v, key, item);
		}
		return r->bad || i < n ? NULL : v;
	default:
		break;
	}
	r->bad = 1;
	return NULL;
}

/*
 * get_val's checks without its values: 1 well formed, 0 not, -1 a map
 * too large to check for a key twice here.  The keys of the map at the
 * top go into top.
 */
static int
skip_val(struct rd *r, int depth, struct hcache_top *top)
{
	const unsigned char *key[HCACHE_TOP];
	size_t		 n, i, j, kl, klen[HCACHE_TOP];
	int		 rc;

	if (r->bad || r->p == r->end || depth > HC_DEPTH)
		return 0;
	switch (*r->p++) {
	case 'n':
	case 't':
	case 'f':
		return 1;
	case 'd':
		if ((size_t)(r->end - r->p) < sizeof(double))
			return 0;
		r->p += sizeof(double);
		return 1;
	case 's':
		n = get_num(r);
		if (r->bad)
			return 0;
		r->p += n;
		return 1;
	case 'l':
		n = get_num(r);
		for (i = 0; i < n && !r->bad; i++)
			if ((rc = skip_val(r, depth + 1, NULL)) != 1)
				return rc;
		return !r->bad;
	case 'm':
		n = get_num(r);
		if (r->bad)
			return 0;
		if (n > HCACHE_TOP)
			return -1;
		for (i = 0; i < n; i++) {
			kl = get_num(r);
			if (r->bad || memchr(r->p, '\0', kl) != NULL)
				return 0;
			key[i] = r->p;
			klen[i] = kl;
			r->p += kl;
			for (j = 0; j < i; j++)
				if (klen[j] == kl &&
				    memcmp(key[j], key[i], kl) == 0)
					return 0;	/* a key twice */
			if (top != NULL && r->p < r->end) {
				top->e[i].key = (const char *)key[i];
				top->e[i].len = kl;
				top->e[i].kind = (char)*r->p;
			}
			if ((rc = skip_val(r, depth + 1, NULL)) != 1)
				return rc;
		}
		if (top != NULL)
			top->n = n;
		return 1;
	default:
		return 0;
	}
}

char
hcache_kind(const struct val *v)
{
	switch (v != NULL ? v->kind : VAL_NULL) {
	case VAL_BOOL:
		return v->b ? 't' : 'f';
	case VAL_NUM:
		return 'd';
	case VAL_STR:
		return 's';
	case VAL_LIST:
		return 'l';
	case VAL_MAP:
		return 'm';
	default:
		return 'n';
	}
}

int
hcache_top(const unsigned char *p, size_t len, struct hcache_top *top)
{
	struct rd	 r;
	int		 rc;

	r.p = p;
	r.end = p + len;
	r.bad = 0;
	top->n = 0;
	if (len == 0 || *p != 'm')
		return 0;
	if ((rc = skip_val(&r, 0, top)) != 1)
		return rc;
	return r.bad || r.p != r.end ? 0 : 1;
}

struct val *
hcache_decode(struct arena *a, const unsigned char *p, size_t len)
{
	struct rd	 r;
	struct val	*v;

	r.p = p;
	r.end = p + len;
	r.bad = 0;
	v = get_val(a, &r, 0);
	return r.bad || r.p != r.end ? NULL : v;
}
