/*
 * Unit tests of the text utilities shared by every stage: the UTF-8
 * decoder, the HTML, XML, JSON, CSV and URL writers, the URL policy,
 * character references and local time.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util/buf.h"
#include "util/entity.h"
#include "util/text.h"
#include "util/tz.h"
#include "util/url.h"
#include "util/utf8.h"

static void
decoder(void **state)
{
	uint32_t	cp;

	assert_int_equal(utf8_decode("a", 1, &cp), 1);
	assert_int_equal(cp, 'a');
	assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
	assert_int_equal(cp, 0xe9);
	assert_int_equal(utf8_decode("\xef\xbf\xbe", 3, &cp), 3);
	assert_int_equal(cp, 0xfffe);
	assert_int_equal(utf8_decode("\xf0\x9f\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1f600);
	/* Overlong, surrogate, truncated, stray continuation, > U+10FFFF. */
	assert_int_equal(utf8_decode("\xc0\xaf", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("\xc3", 1, &cp), 0);
	assert_int_equal(utf8_decode("\x80", 1, &cp), 0);
	assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(cp, 0xfffd);
	assert_true(utf8_valid("caf\xc3\xa9", 5));
	assert_false(utf8_valid("caf\xe9", 4));
	assert_int_equal(utf8_cut("caf\xc3\xa9", 5, 4), 3);
}

static void
html_escaper(void **state)
{
	struct buf	b;

	buf_init(&b);
	buf_puts_html(&b, "<a href=\"x\">'&'</a>");
	assert_string_equal(b.data,
	    "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
	buf_reset(&b);
	/* Malformed UTF-8, a control and a noncharacter become U+FFFD. */
	buf_put_html(&b, "a\xff" "b\x01" "c\xef\xbf\xbf" "d\xc3\xa9", 11);
	assert_string_equal(b.data, "a\xef\xbf\xbd" "b\xef\xbf\xbd"
	    "c\xef\xbf\xbd" "d\xc3\xa9");
	buf_reset(&b);
	/* Long plain runs, DEL, and the white space HTML allows. */
	buf_puts_html(&b, "plain text~\x7f" "tab\tline\nend>");
	assert_string_equal(b.data, "plain text~\xef\xbf\xbd" "tab\tline\nend&gt;");
	buf_free(&b);
}

static void
xml_drops_nonchars(void **state)
{
	struct buf	b;
	const char	in[] = "a\xef\xbf\xbe" "b\xef\xbf\xbf" "c\x01\x1b"
	    "d\t\n<&>";

	buf_init(&b);
	buf_put_xml(&b, in, sizeof(in) - 1);
	assert_string_equal(b.data, "abcd\t\n&lt;&amp;&gt;");
	buf_reset(&b);
	buf_put_xml(&b, "x\xfe", 2);
	assert_string_equal(b.data, "x\xef\xbf\xbd");
	buf_free(&b);
}

static void
json_is_valid_utf8(void **state)
{
	static const char in[] = "a\"\\\n\x01</script>\xff\xe2\x80\xa8";
	struct buf	b;

	buf_init(&b);
	buf_put_json(&b, in, sizeof(in) - 1);
	assert_string_equal(b.data, "a\\\"\\\\\\n\\u0001\\u003c/script\\u003e"
	    "\xef\xbf\xbd\\u2028");
	assert_true(utf8_valid(b.data, b.len));
	buf_free(&b);
}

static void
csv_neutralises_formulas(void **state)
{
	static const char *const in[] = { "=HYPERLINK(\"x\")", "+1", "-1",
	    "@SUM(A1)", "\tx", "\rx", "plain", "a,b", "", "caf\xe9", NULL };
	static const char *const want[] = { "\"'=HYPERLINK(\"\"x\"\")\"",
	    "'+1", "'-1", "'@SUM(A1)", "'\tx", "\"'\rx\"", "plain",
	    "\"a,b\"", "", "caf\xef\xbf\xbd" };
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; in[i] != NULL; i++) {
		buf_reset(&b);
		buf_put_csv(&b, in[i], strlen(in[i]));
		assert_string_equal(b.data, want[i]);
	}
	buf_free(&b);
}

static void
entities(void **state)
{
	struct buf	b;
	char		u[4];

	assert_int_equal(entity_decode("&amp;", 5, u), 1);
	assert_int_equal(u[0], '&');
	assert_int_equal(entity_decode("&#x6A;", 6, u), 1);
	assert_int_equal(u[0], 'j');
	assert_int_equal(entity_decode("&eacute;", 8, u), 2);
	assert_int_equal(entity_decode("&nosuch;", 8, u), 0);
	assert_int_equal(entity_decode("&#0;", 4, u), 3);	/* U+FFFD */
	buf_init(&b);
	entity_decode_all(&b, "&#106;ava&#x73;cript&colon;x &amp &nosuch;",
	    42);
	assert_string_equal(b.data, "javascript:x &amp &nosuch;");
	buf_free(&b);
}

static void
url_policy(void **state)
{
	static const char *const good[] = { "https://example.org/x",
	    "HTTP://example.org", "mailto:a@example.org", "tel:+441234",
	    "/meetings/", "papers/a.pdf", "#top", "?q=1", "//cdn.example/x",
	    "1a:b", "", NULL };
	static const char *const bad[] = { "javascript:alert(1)",
	    " JaVa\tScRiPt:alert(1)", "java\nscript:x", "\x01javascript:x",
	    "data:text/html,<script>alert(1)</script>", "vbscript:x",
	    "&#106;avascript:alert(1)", "&#x6a;avascript:alert(1)",
	    "javascript&colon;alert(1)", "&#106avascript:x", "java script:x",
	    "file:///etc/passwd", NULL };
	size_t		i;

	for (i = 0; good[i] != NULL; i++)
		assert_true(url_allowed(good[i]));
	for (i = 0; bad[i] != NULL; i++)
		assert_false(url_allowed(bad[i]));
	assert_int_equal(url_classify("https\0javascript:", 17), URL_REFUSED);
	assert_int_equal(url_classify("mailto:x", 8), URL_MAILTO);
	assert_int_equal(url_classify("tel:1", 5), URL_TEL);
	assert_int_equal(url_classify("https://x", 9), URL_WEB);
	assert_int_equal(url_classify("a/b", 3), URL_RELATIVE);
}

static void
url_encoder(void **state)
{
	static const struct {
		const char	*in;
		enum url_enc	 mode;
		const char	*want;
	} cases[] = {
		{ "a b/c?d=\"e\"&f", URL_ENC_URL, "a%20b/c?d=%22e%22&f" },
		{ "a b/c?d=e&f~", URL_ENC_COMPONENT, "a%20b%2Fc%3Fd%3De%26f~" },
		/* What the Nu HTML checker refuses in an href. */
		{ "https://x.org/100%-sure/%41?a[1]=%7c|{8F}#one#two",
		    URL_ENC_URL, "https://x.org/100%25-sure/%41?a%5B1%5D="
		    "%7c%7C%7B8F%7D#one%23two" },
		/* Brackets around an IPv6 host stay; a lone '%' goes. */
		{ "http://[::1]:8000/a[b]%", URL_ENC_URL,
		    "http://[::1]:8000/a%5Bb%5D%25" },
		/* The host is after any user:password@. */
		{ "https://u:p[w@[::1]/", URL_ENC_URL,
		    "https://u:p%5Bw@[::1]/" },
	};
	struct buf	b;
	size_t		i;

	buf_init(&b);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		buf_reset(&b);
		url_encode(&b, cases[i].in, strlen(cases[i].in),
		    cases[i].mode);
		assert_string_equal(b.data, cases[i].want);
	}
	buf_reset(&b);
	buf_put_url(&b, "caf\xc3\xa9", 5);
	assert_string_equal(b.data, "caf%C3%A9");
	buf_free(&b);
}

static void
web_addresses(void **state)
{
	static const char *const good[] = { "https://x.org",
	    "http://x.org:8080/a?b#c", "https://u:p@x.org/",
	    "http://[2001:db8::1]:8000/", "https://caf\xc3\xa9.example/",
	    "https://x.org?q=a@b", NULL };
	static const char *const bad[] = { "https:///x", "https:x.org",
	    "http://[::1/x", "http://[fe80::1%25eth0]/",
	    "https://x.org:99999/", "https://u:p@ss@x.org/", "https://",
	    "https://x.org:8a/", "http://[::1]x/", NULL };
	size_t	i;

	for (i = 0; good[i] != NULL; i++)
		assert_true(url_web_ok(good[i], strlen(good[i])));
	for (i = 0; bad[i] != NULL; i++)
		assert_false(url_web_ok(bad[i], strlen(bad[i])));
}

static void
language_tags(void **state)
{
	assert_true(text_lang_ok("en-GB"));
	assert_true(text_lang_ok("cy"));
	assert_true(text_lang_ok("pa-Guru-IN"));
	assert_true(text_lang_ok("ckb"));
	assert_false(text_lang_ok("en_GB"));
	assert_false(text_lang_ok("English"));
	assert_false(text_lang_ok(""));
	assert_false(text_lang_ok("en-"));
	assert_false(text_lang_ok("e"));
	assert_false(text_lang_ok("en-abcdefghi"));
	assert_true(text_lang_ok("es-419"));
	assert_true(text_lang_ok("zh-Hant"));
	assert_false(text_lang_ok("en-GB-x-a"));
	assert_false(text_lang_ok("de-CH-1996"));
	assert_false(text_lang_ok("en-GBR"));
	/* A script the language is written in anyway (vnu refuses it). */
	assert_string_equal(text_lang_usual_script("ur-Arab-PK"), "Arab");
	assert_string_equal(text_lang_usual_script("cy-latn"), "Latn");
	assert_string_equal(text_lang_usual_script("dsb-Latn"), "Latn");
	assert_null(text_lang_usual_script("pa-Arab"));
	assert_null(text_lang_usual_script("sr-Cyrl"));
	assert_null(text_lang_usual_script("zh-Hant"));
	assert_null(text_lang_usual_script("ur-PK"));
	assert_null(text_lang_usual_script("en"));
	assert_null(text_lang_usual_script("e-Latn"));
	assert_null(text_lang_usual_script("ur-Arabic"));
	/* Right to left by language, or by script when there is one. */
	assert_true(text_lang_rtl("ur"));
	assert_true(text_lang_rtl("ar-EG"));
	assert_true(text_lang_rtl("pa-Arab"));
	assert_true(text_lang_rtl("HE"));
	assert_true(text_lang_rtl("ks"));
	assert_true(text_lang_rtl("syr"));
	assert_false(text_lang_rtl("pa-Guru-IN"));
	assert_false(text_lang_rtl("az-Latn"));
	assert_false(text_lang_rtl("cy"));
	assert_false(text_lang_rtl("en-GB"));
}

static void
london_time(void **state)
{
	struct date	d;

	tz_init();
	d = (struct date){ 2026, 1, 15 };
	assert_int_equal(tz_offset(&d, 12 * 60), 0);
	d = (struct date){ 2026, 6, 18 };
	assert_int_equal(tz_offset(&d, 14 * 60), 60);
	/* 29 March 2026: clocks go forward at 01:00 GMT. */
	d = (struct date){ 2026, 3, 29 };
	assert_int_equal(tz_offset(&d, 30), 0);
	assert_int_equal(tz_offset(&d, 90), 0);		/* does not exist */
	assert_int_equal(tz_offset(&d, 3 * 60), 60);
	/* 25 October 2026: 01:00-02:00 happens twice; the first is BST. */
	d = (struct date){ 2026, 10, 25 };
	assert_int_equal(tz_offset(&d, 30), 60);
	assert_int_equal(tz_offset(&d, 90), 60);
	assert_int_equal(tz_offset(&d, 3 * 60), 0);
	/* 2026-06-30 23:30 UTC is 1 July in London. */
	tz_date(1782862200, &d);
	assert_int_equal(d.month, 7);
	assert_int_equal(d.day, 1);
	tz_date(1767225600, &d);	/* 2026-01-01 00:00 UTC */
	assert_int_equal(d.year, 2026);
	assert_int_equal(d.day, 1);
}

/* tz_date(t) gives the day localtime_r() gives. */
static void
as_library(int64_t t)
{
	struct date	 d;
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	assert_non_null(localtime_r(&tt, &tm));
	tz_date(t, &d);
	assert_int_equal(d.year, tm.tm_year + 1900);
	assert_int_equal(d.month, tm.tm_mon + 1);
	assert_int_equal(d.day, tm.tm_mday);
}

/* tz_date() against localtime_r(): a day with a change of offset, and
 * times spread over centuries, each asked twice (the second answer from
 * the thread's memo of days). */
static void
london_dates_memo(void **state)
{
	struct date	 d;
	int64_t		 t, start[] = { 1774746000 - 7200, 1792890000 - 7200 };
	uint64_t	 x = 88172645463325252ull;
	int		 i, k, pass;

	tz_init();
	/* 29 March and 25 October 2026, a minute at a time. */
	for (pass = 0; pass < 2; pass++)
		for (i = 0; i < 2; i++)
			for (t = start[i]; t < start[i] + 4 * 3600; t += 60)
				as_library(t);
	/* The ends of a commit's time: a date of some shape, and (under
	 * UBSan in make check) no overflow on the way. */
	for (k = 0; k < 2; k++) {
		tz_date(k ? INT64_MAX : INT64_MIN, &d);
		assert_in_range(d.month, 1, 12);
		assert_in_range(d.day, 1, 31);
	}
	for (k = 0; k < 200000; k++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* 1900 to 2100, and often the same few days again. */
		t = k % 2 ? (int64_t)(x % 6311390400ull) - 2208988800 :
		    1767225600 + (int64_t)(x % (5 * 86400));
		for (pass = 0; pass < 2; pass++)
			as_library(t);
	}
}

static void
slugs_through_utf8proc(void **state)
{
	struct buf	a, b;

	buf_init(&a);
	buf_init(&b);
	text_slug(&a, "Children\xe2\x80\x99s services \xe2\x80\x94 2025", 30);
	assert_string_equal(a.data, "childrens-services-2025");
	/* Composed and decomposed "Café" give the same anchor. */
	buf_reset(&a);
	text_slug(&a, "Caf\xc3\xa9 plan", 10);
	text_slug(&b, "Cafe\xcc\x81 plan", 11);
	assert_string_equal(a.data, "caf\xc3\xa9-plan");
	assert_string_equal(a.data, b.data);
	/* Curly quotes, guillemets and en dashes are separators. */
	buf_reset(&a);
	text_slug(&a, "\xe2\x80\x9c" "Better\xe2\x80\x9d care \xc2\xab" "2024"
	    "\xe2\x80\x93" "2025\xc2\xbb", 33);
	assert_string_equal(a.data, "better-care-2024-2025");
	/* Upper case beyond ASCII; bad UTF-8 is a separator. */
	buf_reset(&a);
	text_slug(&a, "\xc3\x89TAT\xff\xce\x94", 8);
	assert_string_equal(a.data, "\xc3\xa9tat-\xce\xb4");
	buf_reset(&a);
	text_slug(&a, "?!\xe2\x80\x94", 5);
	assert_string_equal(a.data, "");
	buf_free(&a);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decoder),
		cmocka_unit_test(html_escaper),
		cmocka_unit_test(xml_drops_nonchars),
		cmocka_unit_test(json_is_valid_utf8),
		cmocka_unit_test(csv_neutralises_formulas),
		cmocka_unit_test(entities),
		cmocka_unit_test(url_policy),
		cmocka_unit_test(url_encoder),
		cmocka_unit_test(language_tags),
		cmocka_unit_test(web_addresses),
		cmocka_unit_test(london_time),
		cmocka_unit_test(london_dates_memo),
		cmocka_unit_test(slugs_through_utf8proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
