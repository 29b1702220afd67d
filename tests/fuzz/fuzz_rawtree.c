/*
 * Fuzz target for the raw tree reader (load/rawtree.c).  The input is
 * two trees, split at the first "\n--\n" (or one, twice): each is read
 * whole, and the second is also read against the first, as the history
 * walk reads consecutive versions.  Besides the sanitizers it checks
 * what the walk relies on: reading against a previous version gives the
 * same verdict and the same entries as reading whole; entries are in
 * order and inside the buffer; the ranges said to differ do, and the
 * rest is byte for byte the previous version's.
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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*a = data, *b = data, *sep;
	size_t		 alen = size, blen = size, r[4], w[4], i;
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
	ra = rawtree_next(&ta, ca, alen, NULL, &w[0], &w[1], &w[2], &w[3],
	    &why);
	rb = rawtree_next(&tb, cb, blen, NULL, &w[0], &w[1], &w[2], &w[3],
	    &why);
	if (ra == 0)
		check(&ta);
	if (rb == 0)
		check(&tb);
	if (ra == 0) {
		rn = rawtree_next(&tn, cb, blen, &ta, &r[0], &r[1], &r[2],
		    &r[3], &why);
		if (rn != rb)
			abort();
		if (rn == 0) {
			if (tn.n != tb.n || memcmp(tn.off, tb.off,
			    (tn.n + 1) * sizeof(*tn.off)) != 0)
				abort();
			if (r[0] > r[1] || r[1] > tn.n || r[2] > r[3] ||
			    r[3] > ta.n || r[0] != r[2] ||
			    tn.n - r[1] != ta.n - r[3])
				abort();
			/* Outside the ranges, the same bytes. */
			for (i = 0; i < r[0]; i++)
				if (tn.off[i] != ta.off[i] || memcmp(cb +
				    tn.off[i], ca + ta.off[i], tn.off[i + 1] -
				    tn.off[i]) != 0)
					abort();
			for (i = 0; i < tn.n - r[1]; i++)
				if (memcmp(cb + tn.off[r[1] + i],
				    ca + ta.off[r[3] + i],
				    tn.off[r[1] + i + 1] -
				    tn.off[r[1] + i]) != 0)
					abort();
		}
	}
	rawtree_free(&ta);
	rawtree_free(&tb);
	rawtree_free(&tn);
	free(ca);
	free(cb);
	return 0;
}
