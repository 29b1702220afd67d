/*
 * The meeting records kept from the last build (see odmemo.h).  The
 * file:
 *
 *	"icpgen-meetings 1\n", the records, their number (u32), a
 *	SHA-256 of all before it
 *
 * and a record: its key (32 bytes), the meeting's id (u32 length and
 * bytes), then for each part its rows (u32) and its bytes (u32 length
 * and bytes).  Numbers are in this machine's byte order; the keys
 * include the binary that wrote the file, so another binary finds
 * nothing.  The file is written as records are put and its checksum
 * kept as it goes; it replaces the old one only when it differs.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/sha256.h"
#include "util/strtab.h"
#include "emit/odmemo.h"

#define MAGIC		"icpgen-meetings 1\n"
#define MAX_FILE	(1024u << 20)

struct odm_rec {
	const unsigned char *key;	/* into data */
	const char	*id;		/* into data, not NUL-terminated */
	size_t		 idlen;
	struct odm_part	 parts[ODM_PARTS];
};

struct odmemo {
	char		*path;
	char		*data;		/* the old file, or NULL */
	size_t		 len;
	struct odm_rec	*recs;
	size_t		 nrecs;
	struct strtab	 ids;		/* numbered as recs */
	char		*tmp;		/* the new file, as it is written */
	FILE		*f;
	struct sha256	 sum;
	size_t		 nput;
	bool		 changed;	/* the new file differs from the old */
	bool		 failed;	/* it cannot be written */
};

/* --- reading ------------------------------------------------------------ */

static bool
take(const char **p, const char *end, void *to, size_t n)
{
	if ((size_t)(end - *p) < n)
		return false;
	memcpy(to, *p, n);
	*p += n;
	return true;
}

/* A u32 length and that many bytes. */
static bool
bytes(const char **p, const char *end, const char **at, size_t *len)
{
	uint32_t	n;

	if (!take(p, end, &n, 4) || (size_t)(end - *p) < n)
		return false;
	*at = *p;
	*len = n;
	*p += n;
	return true;
}

static bool
parse(struct odmemo *m)
{
	const char	*p = m->data + sizeof(MAGIC) - 1;
	const char	*end = m->data + m->len - 32 - 4;
	struct odm_rec	*r;
	uint32_t	 n, rows;
	size_t		 i, k, cap = 0;
	char		*id;
	bool		 fresh;

	memcpy(&n, end, 4);
	while (p < end) {
		if (m->nrecs == cap) {
			cap = cap ? cap * 2 : 256;
			m->recs = xreallocarray(m->recs, cap, sizeof(*m->recs));
		}
		r = &m->recs[m->nrecs];
		if ((size_t)(end - p) < 32)
			return false;
		r->key = (const unsigned char *)p;
		p += 32;
		if (!bytes(&p, end, &r->id, &r->idlen))
			return false;
		for (k = 0; k < ODM_PARTS; k++) {
			if (!take(&p, end, &rows, 4) || !bytes(&p, end,
			    &r->parts[k].data, &r->parts[k].len))
				return false;
			r->parts[k].rows = rows;
		}
		m->nrecs++;
	}
	if (m->nrecs != n)
		return false;
	for (i = 0; i < m->nrecs; i++) {
		id = xstrndup(m->recs[i].id, m->recs[i].idlen);
		k = strtab_add(&m->ids, id, &fresh);
		free(id);
		if (!fresh || k != i)
			return false;	/* an id twice (or cut by a NUL) */
	}
	return true;
}

/* The records of m->data, whose size and magic are checked. */
static bool
usable(struct odmemo *m)
{
	if (m->len >= sizeof(MAGIC) - 1 + 4 + 32 &&
	    memcmp(m->data, MAGIC, sizeof(MAGIC) - 1) == 0 && parse(m))
		return true;
	free(m->recs);
	m->recs = NULL;
	m->nrecs = 0;
	strtab_free(&m->ids);
	return false;
}

static bool
load(struct odmemo *m)
{
	m->data = sha256_load(m->path, sizeof(MAGIC) - 1 + 4 + 32, MAX_FILE,
	    &m->len);
	return m->data != NULL && usable(m);
}

struct odmemo *
odmemo_open(const char *path)
{
	struct odmemo	*m;
	struct buf	 b;

	if (path == NULL)
		return NULL;
	m = xcalloc(1, sizeof(*m));
	m->path = xstrdup(path);
	if (!load(m)) {
		free(m->data);
		m->data = NULL;
		m->len = 0;
	}
	buf_init(&b);
	buf_printf(&b, "%s.tmp-%ld", path, (long)getpid());
	m->tmp = buf_detach(&b);
	buf_free(&b);
	sha256_init(&m->sum);
	return m;
}

struct odmemo *
odmemo_parse(const char *data, size_t len)
{
	struct odmemo	*m = xcalloc(1, sizeof(*m));

	m->data = xmalloc(len + 1);
	memcpy(m->data, data, len);
	m->len = len;
	(void)usable(m);
	return m;
}

size_t
odmemo_count(const struct odmemo *m)
{
	return m->nrecs;
}

const char *
odmemo_id(const struct odmemo *m, size_t i, size_t *len,
    const unsigned char **key)
{
	*len = m->recs[i].idlen;
	*key = m->recs[i].key;
	return m->recs[i].id;
}

void
odmemo_span(const struct odmemo *m, const char **data, size_t *len)
{
	*data = m->data;
	*len = m->len;
}

bool
odmemo_get(const struct odmemo *m, const char *id, const unsigned char key[32],
    struct odm_part parts[ODM_PARTS])
{
	size_t	r;

	if (m == NULL || (r = strtab_find(&m->ids, id)) == (size_t)-1 ||
	    memcmp(m->recs[r].key, key, 32) != 0)
		return false;
	memcpy(parts, m->recs[r].parts, sizeof(m->recs[r].parts));
	return true;
}

/* --- writing ------------------------------------------------------------ */

static void
put(struct odmemo *m, const void *p, size_t n)
{
	if (m->failed)
		return;
	sha256_update(&m->sum, p, n);
	if (n > 0 && fwrite(p, 1, n, m->f) != n)
		m->failed = true;
}

static void
put_bytes(struct odmemo *m, const char *p, size_t n)
{
	uint32_t	l = (uint32_t)n;

	if (n > UINT32_MAX) {
		m->failed = true;
		return;
	}
	put(m, &l, 4);
	put(m, p, n);
}

void
odmemo_put(struct odmemo *m, const char *id, const unsigned char key[32],
    const struct odm_part parts[ODM_PARTS])
{
	const struct odm_rec *old;
	uint32_t	 rows;
	size_t		 k, idlen = strlen(id);
	int		 fd;

	if (m == NULL || m->failed)
		return;
	if (m->f == NULL) {
		(void)unlink(m->tmp);
		if ((fd = open(m->tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_CLOEXEC, 0600)) == -1 ||
		    (m->f = fdopen(fd, "w")) == NULL) {
			if (fd != -1)
				close(fd);
			m->failed = true;
			return;
		}
		put(m, MAGIC, sizeof(MAGIC) - 1);
	}
	/* The same as the old file's record at this place? */
	old = m->nput < m->nrecs ? &m->recs[m->nput] : NULL;
	if (old == NULL || old->idlen != idlen ||
	    memcmp(old->id, id, idlen) != 0 || memcmp(old->key, key, 32) != 0)
		m->changed = true;
	for (k = 0; k < ODM_PARTS && !m->changed; k++)
		if (old->parts[k].rows != parts[k].rows ||
		    old->parts[k].len != parts[k].len ||
		    (parts[k].len > 0 && memcmp(old->parts[k].data,
		    parts[k].data, parts[k].len) != 0))
			m->changed = true;
	put(m, key, 32);
	put_bytes(m, id, idlen);
	for (k = 0; k < ODM_PARTS; k++) {
		if (parts[k].rows > UINT32_MAX)
			m->failed = true;
		rows = (uint32_t)parts[k].rows;
		put(m, &rows, 4);
		put_bytes(m, parts[k].data, parts[k].len);
	}
	m->nput++;
}

void
odmemo_close(struct odmemo *m, bool ok)
{
	unsigned char	sum[32];
	uint32_t	n;

	if (m == NULL)
		return;
	if (m->nput != m->nrecs)
		m->changed = true;
	if (m->f != NULL) {
		if (m->nput > UINT32_MAX)
			m->failed = true;
		n = (uint32_t)m->nput;
		put(m, &n, 4);
		sha256_final(&m->sum, sum);
		if (!m->failed && fwrite(sum, 1, 32, m->f) != 32)
			m->failed = true;
		if (fclose(m->f) != 0)
			m->failed = true;
		if (!ok || m->failed || !m->changed ||
		    rename(m->tmp, m->path) == -1)
			(void)unlink(m->tmp);
	}
	free(m->tmp);
	free(m->path);
	free(m->data);
	free(m->recs);
	strtab_free(&m->ids);
	free(m);
}
