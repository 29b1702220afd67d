/*
 * Unit tests of render/csp.c: the policy, its extension from the
 * configuration, and the hashes of inline scripts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "util/val.h"
#include "render/csp.h"

static void
sha256_vectors(void **state)
{
	char	h[45];
	char	*big = xmalloc(1000);

	csp_sha256_b64("", 0, h);
	assert_string_equal(h, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
	csp_sha256_b64("alert(1)", 8, h);
	assert_string_equal(h, "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
	/* 56 to 64 bytes need a second padding block (sha256sum agrees). */
	memset(big, 'a', 1000);
	csp_sha256_b64(big, 56, h);
	assert_string_equal(h, "s1Q5pKxvCUi21vnjxq8PX1kM4g8b3nCQ73lwaG7Gc4o=");
	csp_sha256_b64(big, 1000, h);
	assert_string_equal(h, "Qe3s5C1j6Nm/UVqbppMuHCDLyfWl0TRkWttdsblzfqM=");
	free(big);
}

static char *
policy(const char *yaml_key, struct val *ext, unsigned *errors)
{
	struct arena	*a = arena_new();
	struct val	*cfg = val_map(a);
	struct diags	 d;
	FILE		*f = fopen("/dev/null", "w");
	char		*p;

	diag_init(&d, f);
	if (ext != NULL)
		val_set(a, cfg, yaml_key, val_copy(a, ext));
	p = xstrdup(csp_policy(cfg, a, &d));
	*errors = d.errors;
	diag_free(&d);
	fclose(f);
	arena_free(a);
	return p;
}

static void
default_and_extended_policy(void **state)
{
	struct arena	*a = arena_new();
	struct val	*ext = val_map(a), *img = val_list(a), *js = val_list(a);
	unsigned	 errors;
	char		*p;

	p = policy("content_security_policy", NULL, &errors);
	assert_int_equal(errors, 0);
	assert_non_null(strstr(p, "default-src 'self'; script-src 'self'; "));
	assert_non_null(strstr(p, "object-src 'none'; base-uri 'none'"));
	free(p);

	val_push(a, img, val_str(a, "https://images.example.org"));
	val_set(a, ext, "img-src", img);
	p = policy("content_security_policy", ext, &errors);
	assert_int_equal(errors, 0);
	assert_non_null(strstr(p, "img-src 'self' data: "
	    "https://images.example.org;"));
	free(p);

	/* Script may not be let in from anywhere, nor inline. */
	val_push(a, js, val_str(a, "'unsafe-inline'"));
	val_push(a, js, val_str(a, "*"));
	val_push(a, js, val_str(a, "https://x.example; script-src *"));
	val_set(a, ext, "script-src", js);
	val_set(a, ext, "object-src", img);
	p = policy("content_security_policy", ext, &errors);
	assert_int_equal(errors, 4);
	assert_non_null(strstr(p, "script-src 'self'; "));
	assert_non_null(strstr(p, "object-src 'none'"));
	free(p);
	arena_free(a);
}

static void
pages_get_the_meta_and_hashes(void **state)
{
	struct buf	 b;

	buf_init(&b);
	buf_puts(&b, "<!DOCTYPE html><html><head><title>x</title></head>"
	    "<body><script src=\"/a.js\"></script><script>alert(1)</script>"
	    "</body></html>");
	csp_apply(&b, "default-src 'self'; script-src 'self'; base-uri "
	    "'none'");
	assert_string_equal(b.data, "<!DOCTYPE html><html><head>\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'self'; script-src 'self' "
	    "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='; "
	    "base-uri 'none'\"><title>x</title></head><body>"
	    "<script src=\"/a.js\"></script><script>alert(1)</script>"
	    "</body></html>");
	buf_reset(&b);
	buf_puts(&b, "<p>no head</p>");
	csp_apply(&b, "base-uri 'none'");
	assert_string_equal(b.data, "\n<meta http-equiv=\"Content-Security-"
	    "Policy\" content=\"base-uri 'none'\"><p>no head</p>");
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_vectors),
		cmocka_unit_test(default_and_extended_policy),
		cmocka_unit_test(pages_get_the_meta_and_hashes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
