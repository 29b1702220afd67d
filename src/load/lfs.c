/*
 * Git LFS pointers (see lfs.h).  A pointer is lines of "key value",
 * the version first:
 *
 *	version https://git-lfs.github.com/spec/v1
 *	oid sha256:<64 hex digits>
 *	size <bytes>
 *
 * Other keys (the extensions' "ext-0-name ...") are allowed and not
 * needed here.  Anything that begins with a pointer's version line but
 * is not such a pointer is reported rather than published as it is: it
 * was meant to stand for another file.
 */
#include <stdbool.h>
#include <string.h>

#include "load/lfs.h"

#define VERSION_KEY	"version "
#define SPEC		"https://git-lfs.github.com/spec/"

/* The versions git-lfs reads: v1, and the name it had before 1.0. */
static const char *const versions[] = {
	SPEC "v1",
	"https://hawser.github.com/spec/v1",
};

/*
 * The line at *at, before end: *line and *len without its newline (or
 * the CR before it); *at moves past it.  false at the end.
 */
static bool
next_line(const char **at, const char *end, const char **line, size_t *len)
{
	const char	*nl;

	if (*at >= end)
		return false;
	*line = *at;
	if ((nl = memchr(*at, '\n', (size_t)(end - *at))) == NULL)
		nl = end;	/* a last line without its newline */
	*len = (size_t)(nl - *at);
	*at = nl < end ? nl + 1 : end;
	if (*len > 0 && (*line)[*len - 1] == '\r')
		(*len)--;
	return true;
}

static bool
is_value(const char *v, size_t n, const char *want)
{
	return strlen(want) == n && memcmp(v, want, n) == 0;
}

static bool
key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	    c == '.' || c == '-';
}

static int
oid_of(const char *v, size_t n, struct lfs_pointer *p)
{
	size_t	i;

	if (n != 7 + 64 || memcmp(v, "sha256:", 7) != 0)
		return -1;
	for (i = 0; i < 64; i++) {
		if (!((v[7 + i] >= '0' && v[7 + i] <= '9') ||
		    (v[7 + i] >= 'a' && v[7 + i] <= 'f')))
			return -1;
		p->oid[i] = v[7 + i];
	}
	p->oid[64] = '\0';
	return 0;
}

static int
size_of(const char *v, size_t n, struct lfs_pointer *p)
{
	unsigned long long s = 0;
	size_t	i;

	if (n == 0 || n > 19)	/* 19 digits cannot overflow */
		return -1;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -1;
		s = s * 10 + (unsigned long long)(v[i] - '0');
	}
	p->size = s;
	return 0;
}

int
lfs_pointer(const char *data, size_t n, struct lfs_pointer *p,
    const char **why)
{
	const char	*at = data, *end = data + n, *line, *v;
	size_t		 len, k, vn, i;
	bool		 known = false, oid = false, size = false;

	*why = NULL;
	memset(p, 0, sizeof(*p));
	if (n >= LFS_POINTER_MAX || n < sizeof(VERSION_KEY) - 1 ||
	    memcmp(data, VERSION_KEY, sizeof(VERSION_KEY) - 1) != 0)
		return 0;
	if (!next_line(&at, end, &line, &len))
		return 0;	/* not reached: the version key is there */
	v = line + sizeof(VERSION_KEY) - 1;
	vn = len - (sizeof(VERSION_KEY) - 1);
	for (i = 0; i < sizeof(versions) / sizeof(versions[0]); i++)
		known = known || is_value(v, vn, versions[i]);
	if (!known) {
		if (vn < sizeof(SPEC) - 1 ||
		    memcmp(v, SPEC, sizeof(SPEC) - 1) != 0)
			return 0;	/* some other text */
		*why = "a version of the pointer format icpgen does not know";
		return -1;
	}
	if (memchr(data, '\0', n) != NULL) {
		*why = "it holds a NUL byte";
		return -1;
	}
	while (next_line(&at, end, &line, &len)) {
		for (k = 0; k < len && key_char(line[k]); k++)
			;
		if (k == 0 || k == len || line[k] != ' ') {
			*why = "a line that is not a key, a space and a value";
			return -1;
		}
		v = line + k + 1;
		vn = len - k - 1;
		if (k == 3 && memcmp(line, "oid", 3) == 0) {
			if (oid || oid_of(v, vn, p) == -1) {
				*why = oid ? "two oid lines" : "its oid is not "
				    "'sha256:' and 64 lower-case hex digits";
				return -1;
			}
			oid = true;
		} else if (k == 4 && memcmp(line, "size", 4) == 0) {
			if (size || size_of(v, vn, p) == -1) {
				*why = size ? "two size lines" : "its size is "
				    "not a number of bytes";
				return -1;
			}
			size = true;
		} else if (k == 7 && memcmp(line, "version", 7) == 0) {
			*why = "two version lines";
			return -1;
		}
	}
	if (!oid || !size) {
		*why = !oid ? "it has no oid line" : "it has no size line";
		return -1;
	}
	return 1;
}
