/*
 * Fuzz target for the commit time reader (rawcommit_time in
 * load/rawtree.c), which checks the history cache's dates against the
 * repository.  The input is the bytes of a commit object.  Besides the
 * sanitizers it checks the reader against libgit2 itself: whenever
 * libgit2 parses the bytes as a commit, the reader finds a time, and
 * the same one as git_commit_time().  (A commit libgit2 refuses would
 * stop the history walk, so what the reader says of it does not
 * matter.)
 */
#include <stdint.h>
#include <stdlib.h>

#include <git2.h>
#include <git2/sys/mempack.h>

#include "load/rawtree.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static git_odb_backend	*pack;
static git_odb		*odb;
static git_repository	*repo;

static void
setup(void)
{
	git_libgit2_init();
	if (git_mempack_new(&pack) != 0 || git_odb_new(&odb) != 0 ||
	    git_odb_add_backend(odb, pack, 1) != 0 ||
	    git_repository_wrap_odb(&repo, odb) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	git_commit	*c;
	git_oid		 id;
	int64_t		 t = 0;
	bool		 found;

	if (repo == NULL)
		setup();
	found = rawcommit_time((const char *)data, len, &t);
	if (git_odb_write(&id, odb, data, len, GIT_OBJECT_COMMIT) != 0)
		abort();
	if (git_commit_lookup(&c, repo, &id) == 0) {
		if (!found || t != (int64_t)git_commit_time(c))
			abort();
		git_commit_free(c);
	}
	git_mempack_reset(pack);
	return 0;
}
