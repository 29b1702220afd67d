/*
 * The loose objects found sound by the last build (see objmemo.h).  The
 * file:
 *
 *	"icpgen-loose 1\n", the binary's identity (32 bytes), the
 *	records, a SHA-256 of all before it
 *
 * and a record, 60 bytes: the object's id (20), then its file's device,
 * inode, size, modification and change times (u64 each, nanoseconds
 * for the times), in this machine's byte order.  Records are in order
 * of id, each id once, so an object is found by bisection; a file whose
 * records are not is ignored.
 */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "load/objmemo.h"

#define MAGIC		"icpgen-loose 1\n"
#define HEAD		(sizeof(MAGIC) - 1 + 32)
#define REC		60		/* bytes of a record */
#define IDLEN		20
#define MAX_FILE	(256u << 20)	/* four million objects */

struct objmemo {
	char		*path;		/* NULL: saves nothing */
	unsigned char	 self[32];	/* the binary's identity */
	char		*data;		/* the old file, or NULL */
	const unsigned char *recs;	/* its records */
	size_t		 nrecs;
	unsigned char	*put;		/* the records of this check */
	size_t		 nput, cap;
};

/* The 40 bytes after a record's id that f is. */
static void
encode(const struct objmemo_file *f, unsigned char out[REC - IDLEN])
{
	memcpy(out, &f->dev, 8);
	memcpy(out + 8, &f->ino, 8);
	memcpy(out + 16, &f->size, 8);
	memcpy(out + 24, &f->mt, 8);
	memcpy(out + 32, &f->ct, 8);
}

/* Take len bytes of records at p when they are in order of id. */
static bool
set_recs(struct objmemo *m, const unsigned char *p, size_t len)
{
	size_t	i, n = len / REC;

	if (len % REC != 0)
		return false;
	for (i = 1; i < n; i++)
		if (memcmp(p + (i - 1) * REC, p + i * REC, IDLEN) >= 0)
			return false;
	m->recs = p;
	m->nrecs = n;
	return true;
}

struct objmemo *
objmemo_open(const char *path)
{
	struct objmemo	*m = xcalloc(1, sizeof(*m));
	struct sha256	 c;
	size_t		 len;

	sha256_init(&c);
	if (path == NULL || !sha256_self(&c))
		return m;
	sha256_final(&c, m->self);
	m->path = xstrdup(path);
	m->data = sha256_load(path, HEAD + 32, MAX_FILE, &len);
	if (m->data != NULL && (memcmp(m->data, MAGIC, HEAD - 32) != 0 ||
	    memcmp(m->data + HEAD - 32, m->self, 32) != 0 ||
	    !set_recs(m, (const unsigned char *)m->data + HEAD,
	    len - HEAD - 32))) {
		free(m->data);
		m->data = NULL;
	}
	return m;
}

void
objmemo_file(const struct stat *st, struct objmemo_file *f)
{
	f->dev = (uint64_t)st->st_dev;
	f->ino = (uint64_t)st->st_ino;
	f->size = (uint64_t)st->st_size;
	f->mt = (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
	f->ct = (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec;
}

static int
idcmp(const void *key, const void *rec)
{
	return memcmp(key, rec, IDLEN);
}

bool
objmemo_sound(const struct objmemo *m, const unsigned char id[20],
    const struct objmemo_file *f)
{
	const unsigned char *r;
	unsigned char	 want[REC - IDLEN];

	if (m->nrecs == 0 ||
	    (r = bsearch(id, m->recs, m->nrecs, REC, idcmp)) == NULL)
		return false;
	encode(f, want);
	return memcmp(r + IDLEN, want, sizeof(want)) == 0;
}

void
objmemo_put(struct objmemo *m, const unsigned char id[20],
    const struct objmemo_file *f)
{
	unsigned char	*r;

	if (m->nput == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->put = xreallocarray(m->put, m->cap, REC);
	}
	r = m->put + m->nput++ * REC;
	memcpy(r, id, IDLEN);
	encode(f, r + IDLEN);
}

static int
reccmp(const void *a, const void *b)
{
	return memcmp(a, b, IDLEN);
}

void
objmemo_close(struct objmemo *m, bool save)
{
	struct buf	 b;
	unsigned char	 sum[32];
	size_t		 i, n = 0;

	if (m == NULL)
		return;
	if (save && m->path != NULL) {
		if (m->nput > 0)
			qsort(m->put, m->nput, REC, reccmp);
		/* An id twice (a folder listed twice): the first stays. */
		for (i = 0; i < m->nput; i++)
			if (n == 0 || memcmp(m->put + (n - 1) * REC,
			    m->put + i * REC, IDLEN) != 0)
				memmove(m->put + n++ * REC, m->put + i * REC,
				    REC);
		if (n != m->nrecs || (n > 0 &&
		    memcmp(m->put, m->recs, n * REC) != 0)) {
			buf_init(&b);
			buf_put(&b, MAGIC, HEAD - 32);
			buf_put(&b, (const char *)m->self, 32);
			buf_put(&b, (const char *)m->put, n * REC);
			sha256(b.data, b.len, sum);
			buf_put(&b, (const char *)sum, 32);
			(void)buf_save(&b, m->path);	/* a shortcut only */
			buf_free(&b);
		}
	}
	free(m->path);
	free(m->data);
	free(m->put);
	free(m);
}

struct objmemo *
objmemo_parse(const char *data, size_t len)
{
	struct objmemo	*m = xcalloc(1, sizeof(*m));

	(void)set_recs(m, (const unsigned char *)data, len);
	return m;
}

size_t
objmemo_count(const struct objmemo *m)
{
	return m->nrecs;
}

void
objmemo_get(const struct objmemo *m, size_t i, unsigned char id[20],
    struct objmemo_file *f)
{
	const unsigned char *r = m->recs + i * REC;

	memcpy(id, r, IDLEN);
	memcpy(&f->dev, r + IDLEN, 8);
	memcpy(&f->ino, r + IDLEN + 8, 8);
	memcpy(&f->size, r + IDLEN + 16, 8);
	memcpy(&f->mt, r + IDLEN + 24, 8);
	memcpy(&f->ct, r + IDLEN + 32, 8);
}
