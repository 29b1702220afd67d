/*
 * Fuzz target for the raw tree reader (load/rawtree.c).  The input is
 * two trees, split at the first "\n--\n" (or one, twice): each is read
 * whole, and the second is also read against the first, as the history
 * walk reads consecutive versions.  Besides the sanitizers it checks
 * what the walk relies on: reading against a previous version gives the
 * same verdict and the same entries as reading whole; entries are in
 * order, inside the buffer and found by name; outside the ranges said
 * to differ, the entries are the previous version's, byte for byte.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "load/rawtree.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check(const struct rawtree *t)
{
	struct rawtree_entry e, prev;
	const char	*why;
	size_t		 i;

	if (t->off[t->n] != t->len)
		abort();
	for (i = 0; i < t->n; i++) {
		if (rawtree_entry(t->buf, t->len, t->off[i], &e, &why) != 1 ||
		    e.end != t->off[i + 1] ||
		    e.id + 20 > t->buf + t->len)
			abort();
		if (i > 0 && rawtree_cmp(&prev, &e) >= 0)
			abort();
		if (rawtree_find(t, e.name, e.namelen,
		    rawtree_istree(e.mode)) != (long)i)
			abort();
		prev = e;
	}
}

/*
 * The ranges of tn (read against to) partition both trees' entries:
 * outside them, tn's entries are to's, in order, byte for byte.
 */
static void
ranges(const struct rawtree *tn, const struct rawtree *to)
{
	size_t		 i = 0, j = 0, k, *r;

	for (k = 0; k <= tn->nrng; k++) {
		r = k < tn->nrng ? &tn->rng[4 * k] : NULL;
		/* Same entries up to the range (or the end). */
		while (i < (r ? r[0] : tn->n) && j < (r ? r[2] : to->n)) {
			if (tn->off[i + 1] - tn->off[i] != to->off[j + 1] -
			    to->off[j] || memcmp(tn->buf + tn->off[i],
			    to->buf + to->off[j], tn->off[i + 1] -
			    tn->off[i]) != 0)
				abort();
			i++;
			j++;
		}
		if (i != (r ? r[0] : tn->n) || j != (r ? r[2] : to->n))
			abort();
		if (r != NULL) {
			if (r[0] > r[1] || r[2] > r[3] || r[1] > tn->n ||
			    r[3] > to->n || (r[0] == r[1] && r[2] == r[3]))
				abort();
			i = r[1];
			j = r[3];
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*a = data, *b = data, *sep;
	size_t		 alen = size, blen = size;
	struct rawtree	 ta, tb, tn;
	const char	*why;
	int		 ra, rb, rn;
	uint8_t		*ca, *cb;

	sep = memmem(data, size, "\n--\n", 4);
	if (sep != NULL) {
		alen = (size_t)(sep - data);
		b = sep + 4;
		blen = size - alen - 4;
	}
	/* Copies of their own size, so that ASan sees any over-read. */
	ca = malloc(alen ? alen : 1);
	cb = malloc(blen ? blen : 1);
	if (ca == NULL || cb == NULL)
		abort();
	memcpy(ca, a, alen);
	memcpy(cb, b, blen);
	memset(&ta, 0, sizeof(ta));
	memset(&tb, 0, sizeof(tb));
	memset(&tn, 0, sizeof(tn));
	ra = rawtree_next(&ta, ca, alen, NULL, &why);
	rb = rawtree_next(&tb, cb, blen, NULL, &why);
	if (ra == 0)
		check(&ta);
	if (rb == 0)
		check(&tb);
	if (ra == 0) {
		rn = rawtree_next(&tn, cb, blen, &ta, &why);
		if (rn != rb)
			abort();
		if (rn == 0) {
			if (tn.n != tb.n || memcmp(tn.off, tb.off,
			    (tn.n + 1) * sizeof(*tn.off)) != 0)
				abort();
			ranges(&tn, &ta);
		}
	}
	rawtree_free(&ta);
	rawtree_free(&tb);
	rawtree_free(&tn);
	free(ca);
	free(cb);
	return 0;
}
