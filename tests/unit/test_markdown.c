/*
 * Tests of the Markdown renderer: exact HTML for each kind of block
 * and span, heading ids, link checking and rewriting, captions, and
 * the errors users see with their file positions.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/mem.h"
#include "parse/markdown.h"

/* What the fake resolver saw last. */
struct seen {
	char	path[256];
	char	frag[256];
	int	calls;
};

/* A site with a few files; records the last lookup in ctx. */
static int
fake_resolve(void *ctx, const char *path, const char *frag, struct buf *out)
{
	struct seen	*s = ctx;
	static const char *const files[][2] = {
		{ "meetings/a/index.md", "/meetings/a/" },
		{ "about.md", "/about/" },
		{ "meetings/b/my file.md", "/meetings/b/my-file/" },
		{ "img/logo.png", "/img/logo.png" },
		{ "meetings/b/chart.png", "/meetings/b/chart.png" },
	};
	size_t		 i;

	if (s != NULL) {
		snprintf(s->path, sizeof(s->path), "%s", path);
		snprintf(s->frag, sizeof(s->frag), "%s", frag);
		s->calls++;
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		if (strcmp(path, files[i][0]) == 0) {
			buf_puts(out, files[i][1]);
			return 0;
		}
	return -1;
}

/* A resolver that appends the fragment itself. */
static int
frag_resolve(void *ctx, const char *path, const char *frag, struct buf *out)
{
	if (strcmp(path, "about.md") != 0)
		return -1;
	buf_puts(out, "/about/");
	buf_puts(out, frag);
	return 0;
}

struct run {
	struct buf		 out;
	struct mdr_result	 res;
	char			*errs;
	int			 rc;
	unsigned		 nerr;
};

/* Render md with opts, capturing the HTML, result and diagnostics. */
static void
render(struct run *r, const char *md, size_t n, const struct mdr_opts *o)
{
	struct diags	 d;
	FILE		*f;
	size_t		 sz;

	buf_init(&r->out);
	r->errs = NULL;
	f = open_memstream(&r->errs, &sz);
	assert_non_null(f);
	diag_init(&d, f);
	r->rc = mdr_render(md, n, o, &r->out, &r->res, &d);
	r->nerr = d.errors;
	diag_free(&d);
	fclose(f);
}

static void
done(struct run *r)
{
	buf_free(&r->out);
	mdr_result_free(&r->res);
	free(r->errs);
}

/* Options for a page meetings/b/index.md whose body starts on line 1. */
static struct mdr_opts
page(struct seen *s)
{
	struct mdr_opts	 o;

	memset(&o, 0, sizeof(o));
	o.path = "meetings/b/index.md";
	o.first_line = 1;
	o.resolve = fake_resolve;
	o.ctx = s;
	return o;
}

/* Render md as meetings/b/index.md, expecting html and no error. */
static void
ok(const char *md, const char *html)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;

	render(&r, md, strlen(md), &o);
	assert_string_equal(r.errs, "");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, html);
	done(&r);
}

/* Render md as meetings/b/index.md, expecting html and errs. */
static void
bad(const char *md, const char *html, const char *errs)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;

	render(&r, md, strlen(md), &o);
	assert_string_equal(r.errs, errs);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.out.data, html);
	done(&r);
}

static void
test_inline(void **state)
{
	ok("Some *em*, **strong**, ~~gone~~ and `code <x>`.\n",
	    "<p>Some <em>em</em>, <strong>strong</strong>, <del>gone</del> "
	    "and <code>code &lt;x&gt;</code>.</p>\n");
}

static void
test_escaping_and_raw_html(void **state)
{
	ok("a < b & \"c\" 'd'\n\n<div>raw</div>\n\ntext <b>bold</b>\n",
	    "<p>a &lt; b &amp; &quot;c&quot; &#39;d&#39;</p>\n"
	    "<p>&lt;div&gt;raw&lt;/div&gt;</p>\n"
	    "<p>text &lt;b&gt;bold&lt;/b&gt;</p>\n");
}

static void
test_heading_shift_and_anchor(void **state)
{
	/*
	 * The link follows the heading: the heading reads as its text.
	 * Levels go down one at a time: "###" after "#" is the next level.
	 */
	ok("# Agenda\n\n### Item *one*\n\n###### Deep\n",
	    "<div class=\"heading-with-anchor\">\n<h2 id=\"agenda\">Agenda</h2>\n"
	    "<a class=\"heading-anchor\" href=\"#agenda\" "
	    "aria-label=\"Link to \xe2\x80\x98" "Agenda\xe2\x80\x99\"></a>\n</div>\n"
	    "<div class=\"heading-with-anchor\">\n<h3 id=\"section-item-one\">Item <em>one</em></h3>\n"
	    "<a class=\"heading-anchor\" href=\"#section-item-one\" "
	    "aria-label=\"Link to \xe2\x80\x98" "Item one\xe2\x80\x99\"></a>\n</div>\n"
	    "<div class=\"heading-with-anchor\">\n<h4 id=\"deep\">Deep</h4>\n"
	    "<a class=\"heading-anchor\" href=\"#deep\" "
	    "aria-label=\"Link to \xe2\x80\x98" "Deep\xe2\x80\x99\"></a>\n</div>\n");
}

/* Errors for md rendered as meetings/b/index.md, whatever the HTML. */
static void
errs_are(const char *md, const char *errs)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;

	render(&r, md, strlen(md), &o);
	assert_string_equal(r.errs, errs);
	assert_int_equal(r.rc, errs[0] == '\0' ? 0 : -1);
	done(&r);
}

static void
test_nameless(void **state)
{
	/* Links and images need text that shows; spaces of any kind do not. */
	errs_are("a [](https://x.org/) b [ ](https://y.org/)\n\n"
	    "[&nbsp;](https://z.org/) [\xe2\x80\x8b](https://w.org/)\n",
	    "meetings/b/index.md:1:6: error: link to 'https://x.org/' has no "
	    "text (write what it leads to between the brackets: [what it "
	    "is](https://x.org/))\n"
	    "meetings/b/index.md:1:28: error: link to 'https://y.org/' has no "
	    "text (write what it leads to between the brackets: [what it "
	    "is](https://y.org/))\n"
	    "meetings/b/index.md:3:10: error: link to 'https://z.org/' has no "
	    "text (write what it leads to between the brackets: [what it "
	    "is](https://z.org/))\n"
	    "meetings/b/index.md:3:30: error: link to 'https://w.org/' has no "
	    "text (write what it leads to between the brackets: [what it "
	    "is](https://w.org/))\n");
	/* An image with alt text names the link it is in; code counts. */
	errs_are("[![Map of the area](https://x.org/m.png)](https://x.org/) "
	    "[`x`](https://y.org/)\n", "");
	errs_are("![&nbsp;](https://x.org/m.png)\n",
	    "meetings/b/index.md:1:11: error: image 'https://x.org/m.png' has "
	    "no alt text (describe the image between the brackets: ![what it "
	    "shows](https://x.org/m.png))\n");
	/* A heading with nothing in it, found on its own line. */
	errs_are("Text\n\n#\n\nMore\n\n## \xc2\xa0\n",
	    "meetings/b/index.md:3:1: error: heading has no text (write it "
	    "after the '#', or remove the line)\n"
	    "meetings/b/index.md:7:4: error: heading has no text (write it "
	    "after the '#', or remove the line)\n");
	/* In a list or a quote, one after another: each at its line. */
	errs_are("x\n\n- #\n\n> #\n\n#\n\n#\n",
	    "meetings/b/index.md:3:1: error: heading has no text (write it "
	    "after the '#', or remove the line)\n"
	    "meetings/b/index.md:5:1: error: heading has no text (write it "
	    "after the '#', or remove the line)\n"
	    "meetings/b/index.md:7:1: error: heading has no text (write it "
	    "after the '#', or remove the line)\n"
	    "meetings/b/index.md:9:1: error: heading has no text (write it "
	    "after the '#', or remove the line)\n");
	/* An address md4c copies (an entity in it): the line still. */
	errs_are("Text.\n\nMore [](https://x.org/a&amp;b)\n",
	    "meetings/b/index.md:3:1: error: link to 'https://x.org/a&b' has "
	    "no text (write what it leads to between the brackets: [what it "
	    "is](https://x.org/a&b))\n");
	/* A host or port no browser can reach. */
	errs_are("[x](https://example.org:99999/)\n",
	    "meetings/b/index.md:1:5: error: link to 'https://example.org:"
	    "99999/' is not a web address a browser can open (check its host "
	    "and port: open it in a browser and copy the address from "
	    "there)\n");
	/* A file on someone's computer is not a link readers can follow. */
	errs_are("[Paper](<\\\\fileserver\\board\\paper.pdf>)\n",
	    "meetings/b/index.md:1:2: error: link to '\\fileserver\\board\\"
	    "paper.pdf' is a file on a computer, which readers cannot open "
	    "(commit the file to the site, e.g. next to this page, and give "
	    "its name)\n");
	errs_are("[Plan](C:\\Users\\jo\\plan.docx) [Map](file:///tmp/m.pdf)\n",
	    "meetings/b/index.md:1:2: error: link to 'C:\\Users\\jo\\plan.docx' "
	    "is a file on a computer, which readers cannot open (commit the "
	    "file to the site, e.g. next to this page, and give its name)\n"
	    "meetings/b/index.md:1:37: error: link to 'file:///tmp/m.pdf' is a "
	    "file on a computer, which readers cannot open (commit the file "
	    "to the site, e.g. next to this page, and give its name)\n");
}

static void
test_heading_levels_follow_body(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	/* A body that starts at "##" or "####": its first level is h2. */
	const char	*md = "## One\n\n### Two\n\n## Three\n\n# Four\n";
	const char	*deep = "#### Purpose\n\n#### Background\n\n"
	    "##### Detail\n";

	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.nheadings, 4);
	assert_int_equal(r.res.headings[0].level, 2);
	assert_int_equal(r.res.headings[1].level, 3);
	assert_int_equal(r.res.headings[2].level, 2);
	/* None goes above the first level. */
	assert_int_equal(r.res.headings[3].level, 2);
	done(&r);
	render(&r, deep, strlen(deep), &o);
	assert_non_null(strstr(r.out.data, "<h2 id=\"purpose\">"));
	assert_non_null(strstr(r.out.data, "<h2 id=\"background\">"));
	assert_non_null(strstr(r.out.data, "<h3 id=\"detail\">"));
	done(&r);
}

static void
test_heading_ids_reserved(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	/* Ids the pages around a body use: agenda items (whose numbers
	 * may be words), sections. */
	const char	*md = "# Item 5\n\n# Subscribe\n\n# Title\n\n"
	    "# Item five\n\n# ICP news\n\n# Main content\n\n# Item\n\n"
	    "# Item\n";
	const char	*want[] = { "section-item-5", "subscribe-2", "title-2",
	    "section-item-five", "section-icp-news", "main-content", "section-item",
	    "section-item-2" };
	size_t		 i;

	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, 0);
	/* "item" would go on to "item-2", an agenda item's id. */
	assert_int_equal(r.res.nheadings, 8);
	for (i = 0; i < 8; i++)
		assert_string_equal(r.res.headings[i].id, want[i]);
	done(&r);
}

static void
test_heading_base_level(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "# One\n\n## Two\n";

	o.base_level = 4;
	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, 0);
	assert_non_null(strstr(r.out.data, "<h4 id=\"one\">One</h4>"));
	assert_non_null(strstr(r.out.data, "<h5 id=\"two\">Two</h5>"));
	assert_int_equal(r.res.nheadings, 2);
	assert_int_equal(r.res.headings[0].level, 4);
	assert_int_equal(r.res.headings[1].level, 5);
	done(&r);

	o.base_level = 6;
	render(&r, md, strlen(md), &o);
	assert_non_null(strstr(r.out.data, "<h6 id=\"one\">"));
	assert_non_null(strstr(r.out.data, "<h6 id=\"two\">"));
	done(&r);
}

static void
test_heading_ids_unique(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "# Minutes\n\n# Minutes\n\n## Minutes-2\n\n"
	    "# Minutes\n\n# !!!\n\n# ...\n\n## Children's *care* & `health`\n";

	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(r.res.nheadings, 7);
	assert_string_equal(r.res.headings[0].id, "minutes");
	assert_string_equal(r.res.headings[1].id, "minutes-2");
	/* A heading whose own slug was taken gets the next suffix. */
	assert_string_equal(r.res.headings[2].id, "minutes-2-2");
	assert_string_equal(r.res.headings[3].id, "minutes-3");
	/* No letters or digits to make an id of: "section". */
	assert_string_equal(r.res.headings[4].id, "section");
	assert_string_equal(r.res.headings[4].text, "!!!");
	assert_string_equal(r.res.headings[5].id, "section-2");
	assert_string_equal(r.res.headings[6].id, "childrens-care-health");
	assert_string_equal(r.res.headings[6].text,
	    "Children's care & health");
	assert_int_equal(r.res.headings[6].level, 3);
	assert_non_null(strstr(r.out.data, "<h2 id=\"section\">!!!</h2>\n"
	    "<a class=\"heading-anchor\" href=\"#section\" "
	    "aria-label=\"Link to \xe2\x80\x98!!!\xe2\x80\x99\"></a>\n"));
	assert_non_null(strstr(r.out.data, "aria-label=\"Link to "
	    "\xe2\x80\x98" "Children&#39;s care &amp; health\xe2\x80\x99\""));
	done(&r);
}

static void
test_lists(void **state)
{
	/* A new delimiter starts a new list; a blank line makes it loose. */
	ok("- one\n- two\n\n3. three\n4. four\n\n1) a\n\n   b\n2) c\n",
	    "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
	    "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n"
	    "<ol>\n<li><p>a</p>\n<p>b</p>\n</li>\n<li><p>c</p>\n</li>\n"
	    "</ol>\n");
	ok("- a\n  - b\n    1. c\n",
	    "<ul>\n<li>a<ul>\n<li>b<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n"
	    "</li>\n</ul>\n");
}

static void
test_task_list(void **state)
{
	ok("- [x] Send papers\n- [ ] Book room\n",
	    "<ul>\n<li class=\"task-list-item\"><input type=\"checkbox\" "
	    "disabled checked aria-label=\"Done\"> Send papers</li>\n"
	    "<li class=\"task-list-item\"><input type=\"checkbox\" disabled "
	    "aria-label=\"Not done\"> Book room</li>\n</ul>\n");
}

static void
test_code_blocks(void **state)
{
	ok("```c++ extra\nif (a < b && c)\n```\n\n    indented &amp;\n",
	    "<pre><code class=\"language-c++\">if (a &lt; b &amp;&amp; c)\n"
	    "</code></pre>\n<pre><code>indented &amp;amp;\n</code></pre>\n");
}

static void
test_quote_and_rule(void **state)
{
	ok("> quoted\n> text\n\n---\n",
	    "<blockquote>\n<p>quoted\ntext</p>\n</blockquote>\n<hr>\n");
}

static void
test_table(void **state)
{
	ok("| Item | Cost | Who |\n|:--|--:|:-:|\n| Tea | 5 | Ann |\n",
	    "<table>\n<thead>\n<tr>\n"
	    "<th scope=\"col\" class=\"align-left\">Item</th>\n"
	    "<th scope=\"col\" class=\"align-right\">Cost</th>\n"
	    "<th scope=\"col\" class=\"align-center\">Who</th>\n"
	    "</tr>\n</thead>\n<tbody>\n<tr>\n"
	    "<td class=\"align-left\">Tea</td>\n"
	    "<td class=\"align-right\">5</td>\n"
	    "<td class=\"align-center\">Ann</td>\n"
	    "</tr>\n</tbody>\n</table>\n");
}

static void
test_caption(void **state)
{
	ok("Before.\n\nTable: Spend in *2025*\n\n| a | b |\n|---|---|\n"
	    "| 1 | 2 |\n\nAfter.\n",
	    "<p>Before.</p>\n<table>\n<caption>Spend in <em>2025</em>"
	    "</caption>\n<thead>\n<tr>\n<th scope=\"col\">a</th>\n"
	    "<th scope=\"col\">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
	    "<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
	    "<p>After.</p>\n");
}

static void
test_caption_needs_table(void **state)
{
	/* Not followed by a table, or the table is elsewhere: a paragraph. */
	ok("Table: lonely\n\nText.\n\n> Table: inside\n\n| a |\n|---|\n",
	    "<p>Table: lonely</p>\n<p>Text.</p>\n<blockquote>\n"
	    "<p>Table: inside</p>\n</blockquote>\n<table>\n<thead>\n<tr>\n"
	    "<th scope=\"col\">a</th>\n</tr>\n</thead>\n</table>\n");
	ok("Tables: no\n\n| a |\n|---|\n",
	    "<p>Tables: no</p>\n<table>\n<thead>\n<tr>\n"
	    "<th scope=\"col\">a</th>\n</tr>\n</thead>\n</table>\n");
}

static void
test_breaks(void **state)
{
	ok("one  \ntwo\\\nthree\nfour\n",
	    "<p>one<br>\ntwo<br>\nthree\nfour</p>\n");
}

static void
test_entities(void **state)
{
	ok("&copy; &#169; &#xA9; &amp; &lt;b&gt; &nbsp;|&apos; &foo; "
	    "&#0; &#xD800; &#x110000; &#1;\n",
	    "<p>\xc2\xa9 \xc2\xa9 \xc2\xa9 &amp; &lt;b&gt; \xc2\xa0|&#39; "
	    "&amp;foo; \xef\xbf\xbd \xef\xbf\xbd \xef\xbf\xbd "
	    "\xef\xbf\xbd</p>\n");
}

static void
test_nul_and_bad_utf8(void **state)
{
	static const char md[] = "a\0b \xff \xc3\xa9 \xed\xa0\x80 \x01\n";
	struct mdr_opts	 o = page(NULL);
	struct run	 r;

	render(&r, md, sizeof(md) - 1, &o);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, "<p>a\xef\xbf\xbd" "b \xef\xbf\xbd "
	    "\xc3\xa9 \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd</p>\n");
	done(&r);
}

static void
test_links_kept(void **state)
{
	ok("[a](https://example.org/x?a=1&b=2 \"The \\\"title\\\"\") "
	    "[b](mailto:ann@example.org) [c](tel:+441234) [d](#minutes) "
	    "[e](//cdn.example.org/x) [f](HTTP://EXAMPLE.ORG/a%20b c)\n",
	    "<p><a href=\"https://example.org/x?a=1&amp;b=2\" title=\"The "
	    "&quot;title&quot;\">a</a> <a href=\"mailto:ann@example.org\">b"
	    "</a> <a href=\"tel:+441234\">c</a> <a href=\"#minutes\">d</a> "
	    "<a href=\"//cdn.example.org/x\">e</a> "
	    "[f](HTTP://EXAMPLE.ORG/a%20b c)</p>\n");
	ok("[f](<HTTP://EXAMPLE.ORG/a b>)\n",
	    "<p><a href=\"HTTP://EXAMPLE.ORG/a%20b\">f</a></p>\n");
}

static void
test_no_link_in_link(void **state)
{
	ok("[see www.x.org](https://y.org) [a <https://b.org>](/about.md)\n",
	    "<p><a href=\"https://y.org\">see www.x.org</a> "
	    "<a href=\"/about/\">a https://b.org</a></p>\n");
}

static void
test_unbalanced_spans(void **state)
{
	/* md4c 0.4.8 opens <em> here and never closes it. */
	ok("*a [l](/about.md#b*c) d\n\nx ~a ![i](/img/logo.png#b~c) d\n",
	    "<p><em>a <a href=\"/about/#b*c\">l</a> d</em></p>\n"
	    "<p>x <del>a <img src=\"/img/logo.png#b~c\" alt=\"i\" "
	    "loading=\"lazy\"> d</del></p>\n");
}

static void
test_input_not_terminated(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "[[l](x.m_)";

	/* md4c 0.4.8 alone would read the ')' after the end. */
	render(&r, md, strlen(md) - 1, &o);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, "<p>[[l](x.m_</p>\n");
	done(&r);
	render(&r, "", 0, &o);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, "");
	done(&r);
}

static void
test_autolinks(void **state)
{
	ok("See www.example.org, https://x.org/a and ann@example.org or "
	    "<https://y.org>.\n",
	    "<p>See <a href=\"http://www.example.org\">www.example.org</a>, "
	    "<a href=\"https://x.org/a\">https://x.org/a</a> and "
	    "<a href=\"mailto:ann@example.org\">ann@example.org</a> or "
	    "<a href=\"https://y.org\">https://y.org</a>.</p>\n");
}

/* A shortcode callback: "[name|arg|arg@line:col]", or an error for "bad". */
static int
fake_shortcode(void *ctx, const char *name, const char *const *args,
    size_t nargs, int line, int col, struct buf *out)
{
	size_t	i;

	if (strcmp(name, "bad") == 0)
		return -1;
	buf_printf(out, "[%s", name);
	for (i = 0; i < nargs; i++)
		buf_printf(out, "|%s", args[i]);
	buf_printf(out, "@%d:%d]\n", line, col);
	return 0;
}

static void
sc_run(struct run *r, const char *md)
{
	struct mdr_opts	 o = page(NULL);

	o.shortcode = fake_shortcode;
	render(r, md, strlen(md), &o);
}

static void
test_shortcodes(void **state)
{
	struct run	 r;

	sc_run(&r, "Hi\n\n{{< measure beds \"two words\" >}}\n\n"
	    "  {{<x>}}  \n\nBye\n");
	assert_string_equal(r.errs, "");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, "<p>Hi</p>\n"
	    "[measure|beds|two words@3:1]\n[x@5:3]\n<p>Bye</p>\n");
	done(&r);

	/* Never inside code spans, fenced or indented code blocks. */
	sc_run(&r, "`{{< measure x >}}`\n\n```\n{{< measure x >}}\n```\n\n"
	    "    {{< measure x >}}\n");
	assert_string_equal(r.errs, "");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data,
	    "<p><code>{{&lt; measure x &gt;}}</code></p>\n"
	    "<pre><code>{{&lt; measure x &gt;}}\n</code></pre>\n"
	    "<pre><code>{{&lt; measure x &gt;}}\n</code></pre>\n");
	done(&r);

	/* Not a paragraph of its own; a failing shortcode fails the page. */
	sc_run(&r, "{{< measure x >}} and more\n\n{{< bad >}}\n");
	assert_string_equal(r.errs, "meetings/b/index.md:1:1: error: a "
	    "shortcode must be a paragraph of its own (put a blank line "
	    "before and after it)\n");
	assert_int_equal(r.rc, -1);
	done(&r);

	/* Without a callback shortcodes are text. */
	ok("{{< measure x >}}\n", "<p>{{&lt; measure x &gt;}}</p>\n");
}

static void
test_table_row_headers(void **state)
{
	/* An empty first header cell: the first column heads the rows. */
	ok("|  | 2024 | 2025 |\n|---|--:|--:|\n| Beds | 1 | 2 |\n"
	    "| Staff | 3 | 4 |\n",
	    "<table>\n<thead>\n<tr>\n<td></td>\n"
	    "<th scope=\"col\" class=\"align-right\">2024</th>\n"
	    "<th scope=\"col\" class=\"align-right\">2025</th>\n"
	    "</tr>\n</thead>\n<tbody>\n<tr>\n"
	    "<th scope=\"row\">Beds</th>\n"
	    "<td class=\"align-right\">1</td>\n"
	    "<td class=\"align-right\">2</td>\n"
	    "</tr>\n<tr>\n<th scope=\"row\">Staff</th>\n"
	    "<td class=\"align-right\">3</td>\n"
	    "<td class=\"align-right\">4</td>\n"
	    "</tr>\n</tbody>\n</table>\n");
	/* A corner of spaces is empty too. */
	ok("| \xc2\xa0 | 2024 |\n|---|---|\n| Beds | 2 |\n",
	    "<table>\n<thead>\n<tr>\n<td></td>\n"
	    "<th scope=\"col\">2024</th>\n"
	    "</tr>\n</thead>\n<tbody>\n<tr>\n<th scope=\"row\">Beds</th>\n"
	    "<td>2</td>\n</tr>\n</tbody>\n</table>\n");
	/* A blank row header heads nothing: a <td>. */
	ok("| | 2024 |\n|---|---|\n| | 1 |\n| Beds | 2 |\n",
	    "<table>\n<thead>\n<tr>\n<td></td>\n"
	    "<th scope=\"col\">2024</th>\n"
	    "</tr>\n</thead>\n<tbody>\n<tr>\n<td></td>\n<td>1</td>\n"
	    "</tr>\n<tr>\n<th scope=\"row\">Beds</th>\n<td>2</td>\n"
	    "</tr>\n</tbody>\n</table>\n");
	/*
	 * Any other column needs a heading; only the first cell may be
	 * empty, and the next table starts afresh.
	 */
	bad("| a | \xc2\xa0 |\n|---|---|\n| 1 | 2 |\n\n| b | c |\n"
	    "|---|---|\n| 3 | 4 |\n",
	    "<table>\n<thead>\n<tr>\n<th scope=\"col\">a</th>\n"
	    "<th scope=\"col\">\xc2\xa0</th>\n</tr>\n</thead>\n<tbody>\n"
	    "<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n"
	    "<table>\n<thead>\n<tr>\n<th scope=\"col\">b</th>\n"
	    "<th scope=\"col\">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n"
	    "<td>3</td>\n<td>4</td>\n</tr>\n</tbody>\n</table>\n",
	    "meetings/b/index.md:1:7: error: column 2 of the table has no "
	    "heading (write one in the first row, between its '|'s)\n");
}

static void
test_unsafe_links(void **state)
{
	bad("Hi\n\nsee [this](javascript:alert(1)) or "
	    "[that](JavaScript:x) [v](vbscript:y)\n",
	    "<p>Hi</p>\n<p>see this or that v</p>\n",
	    "meetings/b/index.md:3:12: error: unsafe link 'javascript:alert(1)'"
	    " is not allowed (use an http, https, mailto or tel link)\n"
	    "meetings/b/index.md:3:43: error: unsafe link 'JavaScript:x' "
	    "is not allowed (use an http, https, mailto or tel link)\n"
	    "meetings/b/index.md:3:61: error: unsafe link 'vbscript:y' "
	    "is not allowed (use an http, https, mailto or tel link)\n");
	/* A reference hides the scheme from a naive check. */
	bad("[x](&#106;avascript:alert(1))\n",
	    "<p>x</p>\n",
	    "meetings/b/index.md:1:2: error: unsafe link 'javascript:alert(1)'"
	    " is not allowed (use an http, https, mailto or tel link)\n");
}

static void
test_link_rewriting(void **state)
{
	struct seen	 s;
	struct mdr_opts	 o = page(&s);
	struct run	 r;
	const char	*md = "[a](../../about.md) [b](/about.md#team) "
	    "[c](../a/index.md) [d](my%20file.md?x=1) [e](<my file.md>)\n";

	memset(&s, 0, sizeof(s));
	render(&r, md, strlen(md), &o);
	assert_string_equal(r.errs, "");
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, "<p><a href=\"/about/\">a</a> "
	    "<a href=\"/about/#team\">b</a> <a href=\"/meetings/a/\">c</a> "
	    "<a href=\"/meetings/b/my-file/?x=1\">d</a> "
	    "<a href=\"/meetings/b/my-file/\">e</a></p>\n");
	assert_int_equal(s.calls, 5);
	assert_string_equal(s.path, "meetings/b/my file.md");
	assert_string_equal(s.frag, "");
	done(&r);

	/* The fragment is split off and passed; not doubled. */
	md = "[b](/about.md#team)\n";
	render(&r, md, strlen(md), &o);
	assert_string_equal(s.path, "about.md");
	assert_string_equal(s.frag, "#team");
	done(&r);
	o.resolve = frag_resolve;
	render(&r, md, strlen(md), &o);
	assert_string_equal(r.out.data,
	    "<p><a href=\"/about/#team\">b</a></p>\n");
	done(&r);
}

static void
test_link_missing_position(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "Intro.\n\nA \xc3\xa9 [paper](papers/x.md) "
	    "here.\n";

	/* Body line 3 in a file whose body starts on line 6 is line 8. */
	o.first_line = 6;
	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.nerr, 1);
	assert_string_equal(r.errs, "meetings/b/index.md:8:13: error: link "
	    "to 'papers/x.md' does not exist (there is no "
	    "'meetings/b/papers/x.md' in the site; check the name and that "
	    "the path is relative to this page)\n");
	assert_string_equal(r.out.data, "<p>Intro.</p>\n<p>A \xc3\xa9 paper "
	    "here.</p>\n");
	done(&r);
}

/*
 * A reference link used again is not resolved again (a page of 10,000
 * uses of one long address took seconds), and gives the same link; an
 * address longer than 8,192 bytes is refused.
 */
static void
test_link_reused_and_long(void **state)
{
	struct seen	 s;
	struct mdr_opts	 o = page(&s);
	struct run	 r;
	struct buf	 md;
	size_t		 i;

	memset(&s, 0, sizeof(s));
	render(&r, "[a] [a] [a] [a]\n\n[a]: ../../about.md\n", 37, &o);
	assert_int_equal(r.rc, 0);
	assert_int_equal(s.calls, 1);
	assert_string_equal(r.out.data, "<p><a href=\"/about/\">a</a> "
	    "<a href=\"/about/\">a</a> <a href=\"/about/\">a</a> "
	    "<a href=\"/about/\">a</a></p>\n");
	done(&r);

	buf_init(&md);
	buf_puts(&md, "x [long](https://example.org/");
	for (i = 0; i < 8200; i++)
		buf_putc(&md, 'a');
	buf_puts(&md, ")\n");
	render(&r, md.data, md.len, &o);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.nerr, 1);
	assert_string_equal(r.errs, "meetings/b/index.md:1:10: error: link "
	    "address is 8220 bytes long, more than 8192 (shorten it: a web "
	    "address that long is refused by many browsers and servers)\n");
	done(&r);
	buf_free(&md);
}

static void
test_link_position_fallback(void **state)
{
	/*
	 * A destination with an escape is rewritten by md4c outside the
	 * input, so the error is placed at the link's text instead.
	 */
	bad("One.\n\nx [the\\_paper](no\\_such.md)\n",
	    "<p>One.</p>\n<p>x the_paper</p>\n",
	    "meetings/b/index.md:3:4: error: link to 'no_such.md' does not "
	    "exist (there is no 'meetings/b/no_such.md' in the site; check the "
	    "name and that the path is relative to this page)\n");
	/* A reference definition: the error is at the definition. */
	bad("[text][r]\n\n[r]: ../zzz.md\n",
	    "<p>text</p>\n",
	    "meetings/b/index.md:3:6: error: link to '../zzz.md' does not "
	    "exist (there is no 'meetings/zzz.md' in the site; check the "
	    "name and that the path is relative to this page)\n");
}

static void
test_link_escapes_root(void **state)
{
	bad("[up](../../../secret.md)\n",
	    "<p>up</p>\n",
	    "meetings/b/index.md:1:6: error: link to '../../../secret.md' "
	    "points outside the site (remove a '../', or begin the path with "
	    "'/' for the site's root)\n");
}

static void
test_no_resolver(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "[a](x.md#y) ![i](../../../i.png) [b](1a:b) "
	    "[c](&#212;x:y) [d](x/a:b)\n";

	/* A colon in the first segment must not read as a scheme. */
	o.resolve = NULL;
	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, 0);
	assert_string_equal(r.out.data, "<p><a href=\"x.md#y\">a</a> "
	    "<img src=\"../../../i.png\" alt=\"i\" loading=\"lazy\"> "
	    "<a href=\"./1a:b\">b</a> <a href=\"./%C3%94x:y\">c</a> "
	    "<a href=\"x/a:b\">d</a></p>\n");
	done(&r);
}

static void
test_images(void **state)
{
	ok("![Our *logo*](/img/logo.png \"Logo\") ![Chart of spend](chart.png)"
	    " ![x](https://example.org/a.png)\n",
	    "<p><img src=\"/img/logo.png\" alt=\"Our logo\" title=\"Logo\" "
	    "loading=\"lazy\"> <img src=\"/meetings/b/chart.png\" alt=\"Chart "
	    "of spend\" loading=\"lazy\"> <img src=\"https://example.org/a.png\""
	    " alt=\"x\" loading=\"lazy\"></p>\n");
	/* An image in a link; alt text with markup, a quote, a link. */
	ok("[![A \"b\" *c*](/img/logo.png)](https://x.org) "
	    "![d [e](javascript:x) f](/img/logo.png)\n",
	    "<p><a href=\"https://x.org\"><img src=\"/img/logo.png\" "
	    "alt=\"A &quot;b&quot; c\" loading=\"lazy\"></a> <img "
	    "src=\"/img/logo.png\" alt=\"d e f\" loading=\"lazy\"></p>\n");
}

static void
test_image_alt_required(void **state)
{
	bad("Text.\n\n  ![](/img/logo.png)  ![ ](chart.png)\n",
	    "<p>Text.</p>\n<p><img src=\"/img/logo.png\" alt=\"\" "
	    "loading=\"lazy\">  <img src=\"/meetings/b/chart.png\" alt=\" \" "
	    "loading=\"lazy\"></p>\n",
	    "meetings/b/index.md:3:7: error: image '/img/logo.png' has no alt "
	    "text (describe the image between the brackets: "
	    "![what it shows](/img/logo.png))\n"
	    "meetings/b/index.md:3:28: error: image 'chart.png' has no alt "
	    "text (describe the image between the brackets: "
	    "![what it shows](chart.png))\n");
}

static void
test_image_unsafe_and_missing(void **state)
{
	bad("![a pie](data:image/png;base64,AAAA) ![b](mailto:x@y.org) "
	    "![c](nope.png)\n",
	    "<p>a pie b c</p>\n",
	    "meetings/b/index.md:1:10: error: unsafe image source "
	    "'data:image/png;base64,AAAA' is not allowed (use an http or https "
	    "address, or a file in the site)\n"
	    "meetings/b/index.md:1:43: error: unsafe image source "
	    "'mailto:x@y.org' is not allowed (use an http or https address, or a "
	    "file in the site)\n"
	    "meetings/b/index.md:1:64: error: image 'nope.png' does not exist "
	    "(there is no 'meetings/b/nope.png' in the site; check the "
	    "name and that the path is relative to this page)\n");
}

static void
test_long_destination_quoted(void **state)
{
	char		 md[200];
	struct mdr_opts	 o = page(NULL);
	struct run	 r;

	snprintf(md, sizeof(md), "[x](ftp://%0100d)\n", 0);
	render(&r, md, strlen(md), &o);
	assert_string_equal(r.errs, "meetings/b/index.md:1:5: error: unsafe "
	    "link 'ftp://000000000000000000000000000000000000000000000000000000"
	    "...' is not allowed (use an http, https, mailto or tel link)\n");
	done(&r);
}

static void
test_max_input(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "0123456789\n";

	o.max_input = 10;
	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.out.data, "");
	assert_string_equal(r.errs, "meetings/b/index.md: error: page body "
	    "is 11 bytes, more than the limit of 10 (split it into smaller "
	    "pages)\n");
	done(&r);
	o.max_input = 11;
	render(&r, md, strlen(md), &o);
	assert_int_equal(r.rc, 0);
	done(&r);
}

static void
test_max_output(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	struct buf	 md;
	int		 i;

	buf_init(&md);
	for (i = 0; i < 100; i++)
		buf_puts(&md, "para\n\n");
	o.max_output = 200;
	render(&r, md.data, md.len, &o);
	assert_int_equal(r.rc, -1);
	assert_int_equal(r.nerr, 1);
	assert_true(r.out.len > 200 && r.out.len < 300);
	assert_string_equal(r.errs, "meetings/b/index.md:33:1: error: page "
	    "expands to more than 200 bytes of HTML (split it into smaller "
	    "pages)\n");
	done(&r);
	buf_free(&md);
}

static void
test_nesting_limit(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	struct buf	 md;
	int		 i;

	buf_init(&md);
	buf_puts(&md, "text\n\n");
	for (i = 0; i < 32; i++)
		buf_putc(&md, '>');
	buf_puts(&md, " ok\n\n");
	render(&r, md.data, md.len, &o);
	assert_int_equal(r.rc, 0);
	done(&r);
	buf_putc(&md, '>');
	for (i = 0; i < 32; i++)
		buf_putc(&md, '>');
	buf_puts(&md, " deep\n");
	render(&r, md.data, md.len, &o);
	assert_int_equal(r.rc, -1);
	assert_string_equal(r.errs, "meetings/b/index.md:3:34: error: lists "
	    "and block quotes are nested more than 32 deep (nest them less "
	    "deeply)\n");
	done(&r);
	buf_free(&md);
}

static void
test_words(void **state)
{
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	const char	*md = "# Two words\n\nOne **bo**ld move,\nthen `code "
	    "here`.\n\n- a\n- b\n";

	/* "bold" and "here." are one word each, split across spans. */
	render(&r, md, strlen(md), &o);
	assert_int_equal(r.res.words, 2 + 6 + 2);
	done(&r);
}

static void
test_null_result_and_opts(void **state)
{
	struct buf	 out;
	struct diags	 d;
	FILE		*f = tmpfile();

	assert_non_null(f);
	diag_init(&d, f);
	buf_init(&out);
	buf_puts(&out, "<main>");
	assert_int_equal(mdr_render("# Hi\n", 5, NULL, &out, NULL, &d), 0);
	assert_string_equal(out.data, "<main>"
	    "<div class=\"heading-with-anchor\">\n<h2 id=\"hi\">Hi</h2>\n"
	    "<a class=\"heading-anchor\" href=\"#hi\" "
	    "aria-label=\"Link to \xe2\x80\x98" "Hi\xe2\x80\x99\"></a>\n</div>\n");
	buf_free(&out);
	diag_free(&d);
	fclose(f);
}

static void
test_pathological(void **state)
{
	static const char *const units[] = { "]([\n", "[a]\n", "[]\n=",
	    "www.a.b ", "*a", "[", "a**b", "> ", "- ", "[a](", "#\n",
	    "![", "|a" };
	struct mdr_opts	 o = page(NULL);
	struct run	 r;
	struct buf	 md;
	size_t		 i;

	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		buf_init(&md);
		while (md.len < 64 * 1024)
			buf_puts(&md, units[i]);
		render(&r, md.data, md.len, &o);
		assert_true(r.out.len > 0);
		done(&r);
		buf_free(&md);
	}
}

static void *
thread_main(void *arg)
{
	struct buf	*out = arg;
	struct diags	 d;
	struct mdr_opts	 o = page(NULL);
	FILE		*f = tmpfile();
	const char	*md = "# A\n\n# A\n\n[x](about.md) ![y](nope.png)\n";
	int		 i;

	diag_init(&d, f);
	for (i = 0; i < 200; i++) {
		buf_reset(out);
		mdr_render(md, strlen(md), &o, out, NULL, &d);
	}
	diag_free(&d);
	fclose(f);
	return NULL;
}

static void
test_threads(void **state)
{
	pthread_t	 t[4];
	struct buf	 out[4];
	int		 i;

	for (i = 0; i < 4; i++) {
		buf_init(&out[i]);
		assert_int_equal(pthread_create(&t[i], NULL, thread_main,
		    &out[i]), 0);
	}
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < 4; i++) {
		assert_non_null(strstr(out[i].data, "<h2 id=\"a-2\">"));
		assert_string_equal(out[i].data, out[0].data);
	}
	for (i = 0; i < 4; i++)
		buf_free(&out[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inline),
		cmocka_unit_test(test_escaping_and_raw_html),
		cmocka_unit_test(test_heading_shift_and_anchor),
		cmocka_unit_test(test_heading_base_level),
		cmocka_unit_test(test_heading_levels_follow_body),
		cmocka_unit_test(test_nameless),
		cmocka_unit_test(test_heading_ids_unique),
		cmocka_unit_test(test_heading_ids_reserved),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_task_list),
		cmocka_unit_test(test_code_blocks),
		cmocka_unit_test(test_quote_and_rule),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_caption),
		cmocka_unit_test(test_caption_needs_table),
		cmocka_unit_test(test_breaks),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_nul_and_bad_utf8),
		cmocka_unit_test(test_links_kept),
		cmocka_unit_test(test_autolinks),
		cmocka_unit_test(test_no_link_in_link),
		cmocka_unit_test(test_unbalanced_spans),
		cmocka_unit_test(test_input_not_terminated),
		cmocka_unit_test(test_table_row_headers),
		cmocka_unit_test(test_shortcodes),
		cmocka_unit_test(test_unsafe_links),
		cmocka_unit_test(test_link_rewriting),
		cmocka_unit_test(test_link_missing_position),
		cmocka_unit_test(test_link_position_fallback),
		cmocka_unit_test(test_link_escapes_root),
		cmocka_unit_test(test_no_resolver),
		cmocka_unit_test(test_link_reused_and_long),
		cmocka_unit_test(test_images),
		cmocka_unit_test(test_image_alt_required),
		cmocka_unit_test(test_image_unsafe_and_missing),
		cmocka_unit_test(test_long_destination_quoted),
		cmocka_unit_test(test_max_input),
		cmocka_unit_test(test_max_output),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_null_result_and_opts),
		cmocka_unit_test(test_pathological),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
