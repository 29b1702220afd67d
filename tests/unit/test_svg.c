/*
 * Unit tests of parse/svg.c: what an SVG attachment may and may not
 * contain, with the place of the first problem.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "parse/svg.h"

static void
refused(const char *svg, int line, int col, const char *what)
{
	struct svg_problem	p;

	assert_int_equal(svg_check(svg, strlen(svg), &p), -1);
	assert_string_equal(p.what, what);
	assert_int_equal(p.line, line);
	assert_int_equal(p.col, col);
}

static void
accepted(const char *svg)
{
	struct svg_problem	p;

	assert_int_equal(svg_check(svg, strlen(svg), &p), 0);
}

static void
plain_drawings_pass(void **state)
{
	accepted("<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" "
	    "\"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "xmlns:xlink=\"http://www.w3.org/1999/xlink\" viewBox=\"0 0 10 10\">"
	    "<!-- <script> in a comment is harmless -->"
	    "<defs><linearGradient id=\"g\"/></defs>"
	    "<style><![CDATA[ rect { fill: url(#g); } ]]></style>"
	    "<rect width=\"10\" height=\"10\" fill=\"url(#g)\"/>"
	    "<use xlink:href=\"#g\"/><text>Spending &amp; income</text></svg>");
	accepted("");
}

static void
script_is_refused(void **state)
{
	refused("<svg>\n  <script>alert(1)</script></svg>", 2, 3,
	    "the element 'script'");
	refused("<svg><svg:script/></svg>", 1, 6, "the element 'svg:script'");
	refused("<svg><SCRIPT>x</SCRIPT></svg>", 1, 6, "the element 'SCRIPT'");
	refused("<svg><foreignObject/></svg>", 1, 6,
	    "the element 'foreignObject'");
	refused("<svg><iframe src=x></iframe></svg>", 1, 6,
	    "the element 'iframe'");
}

static void
event_attributes_are_refused(void **state)
{
	refused("<svg onload=\"alert(1)\"/>", 1, 6,
	    "the event attribute 'onload'");
	refused("<svg><rect\n  ONCLICK='x'/></svg>", 2, 3,
	    "the event attribute 'ONCLICK'");
	refused("<svg><set attributeName=\"onmouseover\" to=\"alert(1)\"/>"
	    "</svg>", 1, 11, "an animation of the attribute 'onmouseover'");
	refused("<svg><animate attributeName=\"href\" values=\"x\"/></svg>",
	    1, 15, "an animation of the attribute 'href'");
}

static void
links_elsewhere_are_refused(void **state)
{
	refused("<svg><a href=\"javascript:alert(1)\">x</a></svg>", 1, 9,
	    "a link to another document 'javascript:alert(1)'");
	refused("<svg><a xlink:href=\" JaVa&#x09;ScRiPt:x\">x</a></svg>", 1,
	    9, "a link to another document ' JaVa&#x09;ScRiPt:x'");
	refused("<svg><image href=\"https://example.org/x.png\"/></svg>", 1,
	    13, "a link to another document 'https://example.org/x.png'");
	refused("<svg><rect fill=\"url(https://e.example/x)\"/></svg>", 1,
	    18, "a url() that is not '#id'");
	refused("<svg><rect style=\"x:&#106;avascript:1\"/></svg>", 1, 19,
	    "a javascript: link");
	refused("<svg><style>@import 'https://e.example/x.css';</style></svg>",
	    1, 13, "a CSS @import");
	/* CSS escapes spell what the checks look for; strings load too. */
	refused("<svg><style>@im\\port 'https://e.example/x.css';</style>"
	    "</svg>", 1, 13, "a CSS escape ('\\')");
	refused("<svg><rect style=\"fill:u\\72l(https://e.example/t)\"/>"
	    "</svg>", 1, 19, "a CSS escape ('\\')");
	refused("<svg><rect style=\"background-image:image-set("
	    "'https://e.example/t.png' 1x)\"/></svg>", 1, 19,
	    "a CSS function that loads an address");
	refused("<?xml-stylesheet href=\"https://e.example/x.css\"?><svg/>",
	    1, 1, "a processing instruction '<?xml-stylesheet hre'");
	refused("<!DOCTYPE svg [ <!ENTITY x \"y\"> ]><svg>&x;</svg>", 1, 1,
	    "an entity declaration");
	refused("<svg><rect", 1, 11, "an unfinished tag");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_drawings_pass),
		cmocka_unit_test(script_is_refused),
		cmocka_unit_test(event_attributes_are_refused),
		cmocka_unit_test(links_elsewhere_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
