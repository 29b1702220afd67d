/*
 * Fuzz target for the check of SVG attachments (parse/svg.c), which
 * reads files from the repository that browsers will render.  Besides
 * the sanitizers it checks what callers rely on: the answer is 0 or
 * -1, and a problem is placed inside the file (line and column from 1,
 * the line no further than the file has lines) with a message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse/svg.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct svg_problem p;
	size_t		 i, lines = 1;
	int		 rc;

	memset(&p, 0, sizeof(p));
	rc = svg_check((const char *)data, size, &p);
	if (rc != 0 && rc != -1)
		abort();
	if (rc == 0)
		return 0;
	for (i = 0; i < size; i++)
		if (data[i] == '\n')
			lines++;
	if (p.line < 1 || p.col < 1 || (size_t)p.line > lines ||
	    p.what[0] == '\0' || memchr(p.what, '\0', sizeof(p.what)) == NULL)
		abort();
	return 0;
}
