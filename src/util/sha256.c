/*
 * SHA-256 through Nettle (see sha256.h).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "util/lazylib.h"
#include "util/mem.h"
#include "util/sha256.h"

#ifndef ICPGEN_VERSION
#define ICPGEN_VERSION	""
#endif

void
sha256_init(struct sha256 *c)
{
	nettle_sha256_init(&c->ctx);
}

void
sha256_update(struct sha256 *c, const void *data, size_t len)
{
	nettle_sha256_update(&c->ctx, len, data);
}

void
sha256_final(struct sha256 *c, unsigned char out[32])
{
	nettle_sha256_digest(&c->ctx, SHA256_DIGEST_SIZE, out);
}

void
sha256(const void *data, size_t len, unsigned char out[32])
{
	struct sha256	c;

	sha256_init(&c);
	sha256_update(&c, data, len);
	sha256_final(&c, out);
}

/* A library's path and file identity, into c. */
static void
add_file(struct sha256 *c, const char *path)
{
	struct stat	 st;
	char		 num[128];

	sha256_update(c, path, strlen(path) + 1);
	if (stat(path, &st) == -1)
		snprintf(num, sizeof(num), "absent");
	else
		snprintf(num, sizeof(num), "%llu %llu %lld %lld",
		    (unsigned long long)st.st_dev,
		    (unsigned long long)st.st_ino, (long long)st.st_size,
		    (long long)st.st_mtim.tv_sec * 1000000000LL +
		    st.st_mtim.tv_nsec);
	sha256_update(c, num, strlen(num) + 1);
}

/*
 * The libraries loaded, into c; those loaded on first use are left to
 * self_digest, so that the identity is the same whether or not they
 * are loaded yet.
 */
static int
add_lib(struct dl_phdr_info *info, size_t size, void *arg)
{
	int	l;

	(void)size;
	if (info->dlpi_name == NULL || info->dlpi_name[0] != '/')
		return 0;	/* the program itself, the vDSO */
	for (l = 0; l < LAZY__MAX; l++)
		if (strcmp(info->dlpi_name, lazy_path((enum lazy_lib)l)) == 0)
			return 0;
	add_file(arg, info->dlpi_name);
	return 0;
}

static unsigned char	self_dg[32];
static bool		self_ok;
static pthread_once_t	self_once = PTHREAD_ONCE_INIT;

static void
self_digest(void)
{
	struct sha256	c;
	char		buf[65536];
	ssize_t		n;
	int		fd, l;

	sha256_init(&c);
	sha256_update(&c, ICPGEN_VERSION, sizeof(ICPGEN_VERSION));
	if ((fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC)) == -1)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&c, buf, (size_t)n);
	close(fd);
	if (n < 0)
		return;
	dl_iterate_phdr(add_lib, &c);
	for (l = 0; l < LAZY__MAX; l++)
		add_file(&c, lazy_path((enum lazy_lib)l));
	sha256_final(&c, self_dg);
	self_ok = true;
}

bool
sha256_self(struct sha256 *c)
{
	pthread_once(&self_once, self_digest);
	if (!self_ok)
		return false;
	sha256_update(c, self_dg, sizeof(self_dg));
	return true;
}

char *
sha256_load(const char *path, size_t min, size_t max, size_t *len)
{
	struct sha256	 c;
	struct stat	 st;
	unsigned char	 sum[32];
	char		*data;
	size_t		 got = 0, n;
	ssize_t		 r;
	int		 fd;

	if (min < 32 || (fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size < min || (size_t)st.st_size > max) {
		close(fd);
		return NULL;
	}
	n = (size_t)st.st_size;
	data = xmalloc_big(n);
	while (got < n && (r = read(fd, data + got, n - got)) > 0)
		got += (size_t)r;
	close(fd);
	if (got == n) {
		sha256_init(&c);
		sha256_update(&c, data, n - 32);
		sha256_final(&c, sum);
		if (memcmp(sum, data + n - 32, 32) == 0) {
			*len = n;
			return data;
		}
	}
	free(data);
	return NULL;
}
