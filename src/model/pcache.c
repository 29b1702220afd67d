/*
 * The parse cache (see pcache.h).  The file:
 *
 *	"icpgen-parsed 1\n", the key of the binary (32 bytes), the
 *	number of pages (u32), the pages, a SHA-256 of all before it
 *
 * and a page: its length after this field (u32), its path (u16 length
 * and bytes), kind (u8), blob id (20 bytes), body line (i32), body
 * offset (u64) and front matter.  A value: kind (u8), flags (u8: 1
 * quoted, 2 true, 4 from the page's file), line and column (i32); then
 * a number (f64), a string (u32 length and bytes), or the entries of a
 * list (u32 count, values) or a map (u32 count, then each key as a
 * string and its value).  Numbers are in this machine's byte order:
 * the file is only ever read by the binary that wrote it.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/val.h"
#include "model/pcache.h"

#define MAGIC		"icpgen-parsed 1\n"
#define HEAD		(sizeof(MAGIC) - 1 + 32 + 4)
#define MAX_FILE	(512u << 20)
#define MAX_DEPTH	64
#define F_QUOTED	1
#define F_TRUE		2
#define F_FILE		4

struct ent {
	const char	*path;		/* into data, not NUL-terminated */
	size_t		 plen;
	int		 kind;
	const unsigned char *id;	/* 20 bytes, into data */
	const char	*at;		/* its body line, into data */
	size_t		 len;		/* from at to the page's end */
	const char	*raw;		/* the page from its length on */
	size_t		 rawlen;
};

/* A page put: the bytes read (raw), or from off in the new pages. */
struct piece {
	const char	*raw;
	size_t		 off, len;
};

struct pcache {
	char		*path;
	char		*data;		/* the file read whole, or NULL */
	size_t		 len;
	struct ent	*ents;		/* sorted by path */
	size_t		 nents;
	unsigned char	 key[32];	/* this binary's */
	bool		 key_ok;
	struct buf	 out;		/* the pages put that were not read */
	struct piece	*put;		/* every page put, in order */
	size_t		 nput, capput;
	bool		 changed;	/* a page put was not read */
	pthread_t	 saver;		/* pcache_save_begin() */
	bool		 saving;
};

/* The key: this version of icpgen, this very binary, this libyaml. */
static bool
binary_key(unsigned char key[32])
{
	struct sha256	c;
	const char	*yv = yaml_get_version_string();

	sha256_init(&c);
	sha256_update(&c, MAGIC, sizeof(MAGIC) - 1);
	if (!sha256_self(&c))
		return false;
	sha256_update(&c, yv, strlen(yv) + 1);
	sha256_final(&c, key);
	return true;
}

/* --- reading ------------------------------------------------------------ */

struct cur {
	const char	*p, *end;
};

static bool
take(struct cur *c, void *out, size_t n)
{
	if ((size_t)(c->end - c->p) < n)
		return false;
	memcpy(out, c->p, n);
	c->p += n;
	return true;
}

static int
entcmp(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	size_t		  n = x->plen < y->plen ? x->plen : y->plen;
	int		  c = memcmp(x->path, y->path, n);

	if (c != 0)
		return c;
	return x->plen < y->plen ? -1 : x->plen > y->plen;
}

/*
 * The page index of a file's body (after its magic and key, before its
 * checksum): a count (4 bytes), then each page as its length (4 bytes)
 * and that many bytes: the path's length (2) and the path, the kind
 * (1), the blob id (20), the page.  Its entries, sorted by path, in
 * *ents (to free), or false when the body is anything else.
 */
static bool
index_parse(const char *p, const char *end, struct ent **ents, size_t *nents)
{
	struct cur	 cur = { p, end };
	struct ent	*ent;
	uint32_t	 n, elen;
	uint16_t	 plen;
	uint8_t		 kind;
	size_t		 i;

	*ents = NULL;
	*nents = 0;
	if (!take(&cur, &n, 4) || n > (size_t)(cur.end - cur.p) / 8)
		return false;
	ent = xcalloc(n + 1, sizeof(*ent));
	for (i = 0; i < n; i++) {
		struct ent	*e = &ent[i];
		struct cur	 pg;

		e->raw = cur.p;
		if (!take(&cur, &elen, 4) || elen > (size_t)(cur.end - cur.p))
			goto bad;
		pg.p = cur.p;
		pg.end = cur.p + elen;
		cur.p += elen;
		e->rawlen = 4 + (size_t)elen;
		if (!take(&pg, &plen, 2) || plen > (size_t)(pg.end - pg.p))
			goto bad;
		e->path = pg.p;
		e->plen = plen;
		pg.p += plen;
		if (!take(&pg, &kind, 1) || (size_t)(pg.end - pg.p) < 20)
			goto bad;
		e->kind = kind;
		e->id = (const unsigned char *)pg.p;
		pg.p += 20;
		e->at = pg.p;
		e->len = (size_t)(pg.end - pg.p);
	}
	if (cur.p != cur.end)
		goto bad;
	qsort(ent, n, sizeof(*ent), entcmp);
	for (i = 1; i < n; i++)
		if (entcmp(&ent[i - 1], &ent[i]) == 0)
			goto bad;	/* a path twice: not a file we wrote */
	*ents = ent;
	*nents = n;
	return true;
bad:
	free(ent);
	return false;
}

bool
pcache_index_check(const char *body, size_t len, size_t *n)
{
	struct ent	*ents;

	if (!index_parse(body, body + len, &ents, n))
		return false;
	free(ents);
	return true;
}

/* Read and check the whole file; false when it is not to be used. */
static bool
load(struct pcache *pc)
{
	if ((pc->data = sha256_load(pc->path, HEAD + 32, MAX_FILE,
	    &pc->len)) == NULL)
		return false;
	if (memcmp(pc->data, MAGIC, sizeof(MAGIC) - 1) != 0 ||
	    memcmp(pc->data + sizeof(MAGIC) - 1, pc->key, 32) != 0)
		return false;
	return index_parse(pc->data + sizeof(MAGIC) - 1 + 32,
	    pc->data + pc->len - 32, &pc->ents, &pc->nents);
}

struct pcache *
pcache_open(const char *path)
{
	struct pcache	*pc;

	if (path == NULL)
		return NULL;
	pc = xcalloc(1, sizeof(*pc));
	pc->path = xstrdup(path);
	buf_init(&pc->out);
	pc->key_ok = binary_key(pc->key);
	if (!pc->key_ok || !load(pc)) {
		free(pc->data);
		pc->data = NULL;
		pc->len = 0;
	}
	return pc;
}

static const struct ent *
find(const struct pcache *pc, const char *path)
{
	struct ent	key;

	if (pc == NULL || pc->nents == 0)
		return NULL;
	memset(&key, 0, sizeof(key));
	key.path = path;
	key.plen = strlen(path);
	return bsearch(&key, pc->ents, pc->nents, sizeof(*pc->ents), entcmp);
}

static struct val *
decode(struct cur *c, struct arena *a, const char *source, int depth)
{
	struct val	*v;
	uint8_t		 kind, flags;
	int32_t		 line, col;
	uint32_t	 n, len, i;

	if (depth > MAX_DEPTH || !take(c, &kind, 1) || !take(c, &flags, 1) ||
	    !take(c, &line, 4) || !take(c, &col, 4) || kind > VAL_MAP ||
	    (flags & ~(F_QUOTED | F_TRUE | F_FILE)) != 0)
		return NULL;
	v = val_new(a, (enum val_kind)kind);
	v->quoted = (flags & F_QUOTED) != 0;
	v->b = (flags & F_TRUE) != 0;
	v->line = line;
	v->col = col;
	v->file = (flags & F_FILE) ? source : NULL;
	switch (v->kind) {
	case VAL_NUM:
		if (!take(c, &v->num, sizeof(v->num)))
			return NULL;
		break;
	case VAL_STR:
		if (!take(c, &len, 4) || len > (size_t)(c->end - c->p))
			return NULL;
		v->str = arena_strndup(a, c->p, len);
		v->len = len;
		c->p += len;
		break;
	case VAL_LIST:
		/* Each entry takes at least 10 bytes: no huge count. */
		if (!take(c, &n, 4) || n > (size_t)(c->end - c->p) / 10)
			return NULL;
		v->items = n ? arena_alloc(a, n * sizeof(*v->items)) : NULL;
		v->n = v->cap = n;
		for (i = 0; i < n; i++)
			if ((v->items[i] = decode(c, a, source,
			    depth + 1)) == NULL)
				return NULL;
		break;
	case VAL_MAP:
		if (!take(c, &n, 4) || n > (size_t)(c->end - c->p) / 14)
			return NULL;
		v->pairs = n ? arena_alloc(a, n * sizeof(*v->pairs)) : NULL;
		v->n = v->cap = n;
		for (i = 0; i < n; i++) {
			if (!take(c, &len, 4) || len > (size_t)(c->end - c->p))
				return NULL;
			v->pairs[i].key = arena_strndup(a, c->p, len);
			c->p += len;
			if ((v->pairs[i].v = decode(c, a, source,
			    depth + 1)) == NULL)
				return NULL;
		}
		break;
	default:
		break;
	}
	return v;
}

struct val *
pcache_decode(const char **p, const char *end, struct arena *a,
    const char *source)
{
	struct cur	 c = { *p, end };
	struct val	*v = decode(&c, a, source, 0);

	if (v != NULL)
		*p = c.p;
	return v;
}

bool
pcache_get(const struct pcache *pc, const char *path, int kind,
    const unsigned char id[20], struct arena *a, const char *source,
    struct pcache_page *pg)
{
	const struct ent *e = find(pc, path);
	struct cur	 c;
	int32_t		 line;
	uint64_t	 off;

	if (e == NULL || e->kind != kind || memcmp(e->id, id, 20) != 0)
		return false;
	c.p = e->at;
	c.end = e->at + e->len;
	if (!take(&c, &line, 4) || !take(&c, &off, 8) || off > SIZE_MAX ||
	    (pg->fm = decode(&c, a, source, 0)) == NULL || c.p != c.end ||
	    pg->fm->kind != VAL_MAP)
		return false;
	pg->body_line = line;
	pg->body_off = (size_t)off;
	return true;
}

/* --- writing ------------------------------------------------------------ */

static bool
encode(struct buf *b, const struct val *v, const char *source, int depth)
{
	uint8_t		kind = (uint8_t)v->kind, flags = 0;
	int32_t		line = v->line, col = v->col;
	uint32_t	n, len, i;

	if (depth > MAX_DEPTH || v->untrusted ||
	    (v->file != NULL && (source == NULL ||
	    strcmp(v->file, source) != 0)))
		return false;	/* not as the parser makes them */
	if (v->quoted)
		flags |= F_QUOTED;
	if (v->b)
		flags |= F_TRUE;
	if (v->file != NULL)
		flags |= F_FILE;
	buf_put(b, (const char *)&kind, 1);
	buf_put(b, (const char *)&flags, 1);
	buf_put(b, (const char *)&line, 4);
	buf_put(b, (const char *)&col, 4);
	switch (v->kind) {
	case VAL_NUM:
		buf_put(b, (const char *)&v->num, sizeof(v->num));
		break;
	case VAL_STR:
		if (v->len > UINT32_MAX)
			return false;
		len = (uint32_t)v->len;
		buf_put(b, (const char *)&len, 4);
		buf_put(b, v->str, v->len);
		break;
	case VAL_LIST:
	case VAL_MAP:
		n = v->n;
		buf_put(b, (const char *)&n, 4);
		for (i = 0; i < n; i++) {
			if (v->kind == VAL_MAP) {
				len = (uint32_t)strlen(v->pairs[i].key);
				buf_put(b, (const char *)&len, 4);
				buf_put(b, v->pairs[i].key, len);
			}
			if (!encode(b, v->kind == VAL_MAP ? v->pairs[i].v :
			    v->items[i], source, depth + 1))
				return false;
		}
		break;
	default:
		break;
	}
	return true;
}

bool
pcache_encode(struct buf *b, const struct val *v, const char *source)
{
	size_t	start = b->len;

	if (!encode(b, v, source, 0)) {
		buf_truncate(b, start);
		return false;
	}
	return true;
}

bool
pcache_put(struct pcache *pc, const char *path, int kind,
    const unsigned char id[20], const char *source,
    const struct pcache_page *pg)
{
	const struct ent *e;
	size_t		 start, plen = strlen(path);
	uint32_t	 elen;
	uint16_t	 pl;
	uint8_t		 k = (uint8_t)kind;
	int32_t		 line = pg->body_line;
	uint64_t	 off = pg->body_off;

	if (pc == NULL || plen > UINT16_MAX || kind < 0 || kind > 255 ||
	    pc->saving)
		return false;
	if (pc->nput == pc->capput) {
		pc->capput = pc->capput ? pc->capput * 2 : 1024;
		pc->put = xreallocarray(pc->put, pc->capput,
		    sizeof(*pc->put));
	}
	if ((e = find(pc, path)) != NULL && e->kind == kind &&
	    memcmp(e->id, id, 20) == 0) {
		/* The same as read: copied as it was, when saved. */
		pc->put[pc->nput].raw = e->raw;
		pc->put[pc->nput++].len = e->rawlen;
		return true;
	}
	start = pc->out.len;
	buf_put(&pc->out, "\0\0\0\0", 4);
	pl = (uint16_t)plen;
	buf_put(&pc->out, (const char *)&pl, 2);
	buf_put(&pc->out, path, plen);
	buf_put(&pc->out, (const char *)&k, 1);
	buf_put(&pc->out, (const char *)id, 20);
	buf_put(&pc->out, (const char *)&line, 4);
	buf_put(&pc->out, (const char *)&off, 8);
	if (!pcache_encode(&pc->out, pg->fm, source) ||
	    pc->out.len - start - 4 > UINT32_MAX) {
		buf_truncate(&pc->out, start);
		return false;
	}
	elen = (uint32_t)(pc->out.len - start - 4);
	memcpy(pc->out.data + start, &elen, 4);
	pc->put[pc->nput].raw = NULL;
	pc->put[pc->nput].off = start;
	pc->put[pc->nput++].len = pc->out.len - start;
	pc->changed = true;
	return true;
}

/* Whether there is anything to save; -1 when it cannot be saved. */
static int
to_save(const struct pcache *pc)
{
	if (pc == NULL || !pc->key_ok || pc->saving || pc->nput > UINT32_MAX)
		return -1;
	if (!pc->changed && pc->nput == pc->nents && pc->data != NULL)
		return 0;	/* what is there already */
	return 1;
}

static int
save(struct pcache *pc)
{
	struct buf	 file;
	unsigned char	 sum[32];
	uint32_t	 n = (uint32_t)pc->nput;
	size_t		 i, len = HEAD + pc->out.len + 32;
	bool		 ok;

	for (i = 0; i < pc->nput; i++)
		if (pc->put[i].raw != NULL)
			len += pc->put[i].len;
	buf_init(&file);
	buf_grow(&file, len);
	buf_put(&file, MAGIC, sizeof(MAGIC) - 1);
	buf_put(&file, (const char *)pc->key, 32);
	buf_put(&file, (const char *)&n, 4);
	for (i = 0; i < pc->nput; i++)
		buf_put(&file, pc->put[i].raw != NULL ? pc->put[i].raw :
		    pc->out.data + pc->put[i].off, pc->put[i].len);
	sha256(file.data, file.len, sum);	/* of everything before it */
	buf_put(&file, (const char *)sum, 32);
	ok = buf_save(&file, pc->path) == 0;
	buf_free(&file);
	return ok ? 0 : -1;
}

int
pcache_save(struct pcache *pc)
{
	int	rc = to_save(pc);

	return rc <= 0 ? rc : save(pc);
}

static void *
saver(void *arg)
{
	(void)save(arg);	/* a cache: best effort */
	return NULL;
}

void
pcache_save_begin(struct pcache *pc)
{
	if (to_save(pc) <= 0)
		return;
	if (pthread_create(&pc->saver, NULL, saver, pc) == 0)
		pc->saving = true;
	else
		(void)save(pc);
}

void
pcache_free(struct pcache *pc)
{
	if (pc == NULL)
		return;
	if (pc->saving)
		pthread_join(pc->saver, NULL);
	free(pc->put);
	free(pc->ents);
	free(pc->data);
	free(pc->path);
	buf_free(&pc->out);
	free(pc);
}
