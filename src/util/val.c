/*
 * Value trees.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "sha256.h"
#include "val.h"

struct val *
val_new(struct arena *a, enum val_kind k)
{
	struct val	*v = arena_alloc(a, sizeof(*v));

	v->kind = k;
	if (k == VAL_STR)
		v->str = "";
	return v;
}

struct val *
val_strn(struct arena *a, const char *s, size_t n)
{
	struct val	*v = val_new(a, VAL_STR);

	v->str = arena_strndup(a, s, n);
	v->len = n;
	return v;
}

struct val *
val_str_ref(struct arena *a, const char *s)
{
	struct val	*v = val_new(a, VAL_STR);

	v->str = s;
	v->len = strlen(s);
	return v;
}

struct val *
val_str(struct arena *a, const char *s)
{
	return val_strn(a, s, strlen(s));
}

struct val *
val_bool(struct arena *a, bool b)
{
	struct val	*v = val_new(a, VAL_BOOL);

	v->b = b;
	return v;
}

struct val *
val_num(struct arena *a, double d)
{
	struct val	*v = val_new(a, VAL_NUM);

	v->num = d;
	return v;
}

struct val *
val_list(struct arena *a)
{
	return val_new(a, VAL_LIST);
}

struct val *
val_map(struct arena *a)
{
	return val_new(a, VAL_MAP);
}

/* Grow an arena-held array; the old block is simply abandoned. */
static void *
grow(struct arena *a, void *old, size_t n, uint32_t *cap, size_t sz)
{
	void	*p;

	if (n < *cap)
		return old;
	if (*cap > UINT32_MAX / 2)
		abort();	/* four billion entries: not from any input */
	*cap = *cap ? *cap * 2 : 4;
	p = arena_alloc(a, *cap * sz);
	if (old != NULL)
		memcpy(p, old, n * sz);
	return p;
}

void
val_push(struct arena *a, struct val *l, struct val *v)
{
	l->items = grow(a, l->items, l->n, &l->cap, sizeof(*l->items));
	l->items[l->n++] = v;
}

void
val_set(struct arena *a, struct val *m, const char *key, struct val *v)
{
	size_t	i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->pairs[i].key, key) == 0) {
			m->pairs[i].v = v;
			return;
		}
	m->pairs = grow(a, m->pairs, m->n, &m->cap, sizeof(*m->pairs));
	m->pairs[m->n].key = arena_intern(a, key, strlen(key));
	m->pairs[m->n].v = v;
	m->n++;
}

void
val_del(struct val *m, const char *key)
{
	size_t	i;

	for (i = 0; m != NULL && m->kind == VAL_MAP && i < m->n; i++)
		if (strcmp(m->pairs[i].key, key) == 0) {
			memmove(&m->pairs[i], &m->pairs[i + 1],
			    (m->n - i - 1) * sizeof(*m->pairs));
			m->n--;
			return;
		}
}

/* The value of the n-byte key in map m, or NULL. */
static struct val *
get_n(const struct val *m, const char *key, size_t n)
{
	size_t	i;

	if (m == NULL || m->kind != VAL_MAP)
		return NULL;
	for (i = 0; i < m->n; i++)
		if (strncmp(m->pairs[i].key, key, n) == 0 &&
		    m->pairs[i].key[n] == '\0')
			return m->pairs[i].v;
	return NULL;
}

struct val *
val_get(const struct val *m, const char *key)
{
	return get_n(m, key, strlen(key));
}

struct val *
val_path(const struct val *m, const char *path)
{
	const struct val *cur = m;
	const char	*p = path, *dot;
	size_t		 n, i, idx;

	while (cur != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot ? (size_t)(dot - p) : strlen(p);
		if (cur->kind == VAL_LIST) {
			if (n == 0 || n > 18 || strspn(p, "0123456789") < n)
				return NULL;
			for (idx = i = 0; i < n; i++)
				idx = idx * 10 + (size_t)(p[i] - '0');
			cur = idx < cur->n ? cur->items[idx] : NULL;
		} else
			cur = get_n(cur, p, n);
		p += n + (dot != NULL);
	}
	return p == path ? NULL : (struct val *)(uintptr_t)cur;
}

const char *
val_get_str(const struct val *m, const char *key)
{
	const struct val *v = val_get(m, key);

	return v != NULL && v->kind == VAL_STR ? v->str : NULL;
}

bool
val_truthy(const struct val *v)
{
	if (v == NULL)
		return false;
	switch (v->kind) {
	case VAL_NULL:
		return false;
	case VAL_BOOL:
		return v->b;
	case VAL_NUM:
		return v->num != 0;
	case VAL_STR:
		return v->len > 0;
	case VAL_LIST:
	case VAL_MAP:
		return v->n > 0;
	}
	return false;
}

struct val *
val_copy(struct arena *a, const struct val *v)
{
	struct val	*c;
	size_t		 i;

	if (v == NULL)
		return NULL;
	c = arena_alloc(a, sizeof(*c));
	*c = *v;
	c->items = NULL;
	c->pairs = NULL;
	c->n = c->cap = 0;
	if (v->kind == VAL_STR)
		c->str = arena_strndup(a, v->str, v->len);
	else if (v->kind == VAL_LIST)
		for (i = 0; i < v->n; i++)
			val_push(a, c, val_copy(a, v->items[i]));
	else if (v->kind == VAL_MAP)
		for (i = 0; i < v->n; i++)
			val_set(a, c, v->pairs[i].key,
			    val_copy(a, v->pairs[i].v));
	return c;
}

_Static_assert(sizeof(void *) != 8 || sizeof(struct val) == 64,
    "struct val is packed to 64 bytes on 64-bit systems");

bool
val_digest(const struct val *v, struct sha256 *c, int depth)
{
	unsigned char	 head[4];
	uint64_t	 n;
	uint32_t	 i, k;

	if (v == NULL) {
		sha256_update(c, "-", 1);
		return true;
	}
	if (depth <= 0)
		return false;
	head[0] = (unsigned char)v->kind;
	head[1] = v->quoted;
	head[2] = (unsigned char)(v->untrusted | v->html << 1);
	head[3] = v->b;
	sha256_update(c, head, sizeof(head));
	switch (v->kind) {
	case VAL_NULL:
	case VAL_BOOL:
		break;
	case VAL_NUM:
		sha256_update(c, &v->num, sizeof(v->num));
		break;
	case VAL_STR:
		n = v->len;
		sha256_update(c, &n, sizeof(n));
		sha256_update(c, v->str, v->len);
		break;
	case VAL_LIST:
		sha256_update(c, &v->n, sizeof(v->n));
		for (i = 0; i < v->n; i++)
			if (!val_digest(v->items[i], c, depth - 1))
				return false;
		break;
	case VAL_MAP:
		sha256_update(c, &v->n, sizeof(v->n));
		for (i = 0; i < v->n; i++) {
			k = (uint32_t)strlen(v->pairs[i].key);
			sha256_update(c, &k, sizeof(k));
			sha256_update(c, v->pairs[i].key, k);
			if (!val_digest(v->pairs[i].v, c, depth - 1))
				return false;
		}
		break;
	}
	return true;
}
