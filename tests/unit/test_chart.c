/*
 * Tests of the SVG charts: a reviewed golden chart, escaping, ids, tick
 * steps and ranges, date labels, and awkward data (one point, hundreds,
 * negative, huge, tiny ranges, equal values, unsorted, not finite).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "render/chart.h"
#include "util/buf.h"
#include "util/text.h"

/* Days since the epoch of a date. */
static long
day_of(int y, int m, int d)
{
	struct date	dt;

	dt.year = y;
	dt.month = m;
	dt.day = d;
	return text_days(&dt);
}

/* Options with a title, an id and a unit; no target or baseline. */
static struct chart_opts
opts(const char *id, const char *unit)
{
	struct chart_opts	o;

	memset(&o, 0, sizeof(o));
	o.id = id;
	o.title = "Measure";
	o.desc = "A summary.";
	o.unit = unit;
	return o;
}

/* Occurrences of needle in hay. */
static size_t
count(const char *hay, const char *needle)
{
	size_t		 n = 0;
	const char	*p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/*
 * Checks every chart must pass: one <svg> root without fixed size,
 * balanced groups, no inline styles, and no number a browser would
 * reject or a reader would trip over ("nan", "inf", "-0", "1e+09").
 */
static void
check_sane(const char *svg)
{
	static const char	 root[] = "<svg xmlns=\"http://www.w3.org/2000/"
	    "svg\" viewBox=\"0 0 ";
	const char		*p;

	assert_int_equal(strncmp(svg, root, sizeof(root) - 1), 0);
	assert_int_equal(count(svg, "<svg"), 1);
	assert_int_equal(count(svg, "</svg>\n"), 1);
	assert_int_equal(count(svg, "<g"), count(svg, "</g>"));
	assert_int_equal(count(svg, "<text"), count(svg, "</text>"));
	assert_null(strstr(svg, "style="));
	assert_null(strstr(svg, "nan"));
	assert_null(strstr(svg, "NaN"));
	assert_null(strstr(svg, "inf"));
	assert_null(strstr(svg, "e+"));
	assert_null(strstr(svg, "e-0"));
	p = strchr(svg, '>');
	assert_non_null(p);
	/* The root has no width or height of its own. */
	assert_true(strstr(svg, " width=") == NULL ||
	    strstr(svg, " width=") > p);
	assert_true(strstr(svg, " height=") == NULL ||
	    strstr(svg, " height=") > p);
	/* "-0" only as the start of "-0.5" and the like. */
	for (p = svg; (p = strstr(p, "-0")) != NULL; p++)
		assert_int_equal(p[2], '.');
}

/*
 * The golden chart was reviewed by rendering it in Chromium at 600 and
 * 320 pixels wide (text at least 12px there): axes 0-80 in steps of 20, year ticks 2023-2025, the
 * target labelled above its line at the left, the baseline labelled
 * below its line at the right (clear of the data), the actual series
 * solid with filled circles, the trajectory dashed with hollow circles,
 * and a legend that wraps "Baseline" onto a second row.
 */
static const char golden[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 340 298\" role=\"img\" aria-labelledby=\"chart-ready-title chart-ready-desc\" class=\"icp-chart\" font-size=\"16\">\n"
    "<title id=\"chart-ready-title\">Children ready for school</title>\n"
    "<desc id=\"chart-ready-desc\">Rose from 62% in March 2022 to 68.2% in March 2024, against a target of 75% by March 2025.</desc>\n"
    "<path class=\"icp-chart__grid\" d=\"M40 214H320M40 154H320M40 94H320M40 34H320\" fill=\"none\" stroke=\"#d8dde0\"/>\n"
    "<path class=\"icp-chart__axis\" d=\"M40 34V214H320M116.5 214v5M201.7 214v5M287.2 214v5\" fill=\"none\" stroke=\"#4c6272\" stroke-width=\"1.5\"/>\n"
    "<g class=\"icp-chart__label\" fill=\"#212b32\">\n"
    "<text x=\"4\" y=\"18\">%</text>\n"
    "<text x=\"32\" y=\"219\" text-anchor=\"end\">60</text>\n"
    "<text x=\"32\" y=\"159\" text-anchor=\"end\">65</text>\n"
    "<text x=\"32\" y=\"99\" text-anchor=\"end\">70</text>\n"
    "<text x=\"32\" y=\"39\" text-anchor=\"end\">75</text>\n"
    "<text x=\"116.5\" y=\"236\" text-anchor=\"middle\">2023</text>\n"
    "<text x=\"201.7\" y=\"236\" text-anchor=\"middle\">2024</text>\n"
    "<text x=\"287.2\" y=\"236\" text-anchor=\"middle\">2025</text>\n"
    "</g>\n"
    "<path class=\"icp-chart__baseline\" d=\"M40 190H320\" fill=\"none\" stroke=\"#425563\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>\n"
    "<path class=\"icp-chart__target\" d=\"M40 34H320\" fill=\"none\" stroke=\"#d5281b\" stroke-width=\"2\"/>\n"
    "<g class=\"icp-chart__planned\">\n"
    "<path class=\"icp-chart__line\" d=\"M222.7 115.6L308 34\" fill=\"none\" stroke=\"#330072\" stroke-width=\"2.5\" stroke-dasharray=\"8 5\" stroke-linejoin=\"round\"/>\n"
    "<g class=\"icp-chart__markers\" fill=\"#fff\" stroke=\"#330072\" stroke-width=\"2\">\n"
    "<circle cx=\"222.7\" cy=\"115.6\" r=\"4.5\"><title>Trajectory, March 2024: 68.2%</title></circle>\n"
    "<circle cx=\"308\" cy=\"34\" r=\"4.5\"><title>Trajectory, March 2025: 75%</title></circle>\n"
    "</g>\n"
    "</g>\n"
    "<g class=\"icp-chart__actual\">\n"
    "<path class=\"icp-chart__line\" d=\"M52 190L137.3 160L222.7 115.6\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"3\" stroke-linejoin=\"round\"/>\n"
    "<g class=\"icp-chart__markers\" fill=\"#005eb8\" stroke=\"#fff\" stroke-width=\"1\">\n"
    "<circle cx=\"52\" cy=\"190\" r=\"4.5\"><title>Actual, March 2022: 62%</title></circle>\n"
    "<circle cx=\"137.3\" cy=\"160\" r=\"4.5\"><title>Actual, March 2023: 64.5%</title></circle>\n"
    "<circle cx=\"222.7\" cy=\"115.6\" r=\"4.5\"><title>Actual, March 2024: 68.2%</title></circle>\n"
    "</g>\n"
    "</g>\n"
    "<g class=\"icp-chart__label icp-chart__baseline\" fill=\"#425563\">\n"
    "<rect x=\"188.2\" y=\"193\" width=\"130.8\" height=\"20\" fill=\"#fff\" fill-opacity=\"0.85\"/>\n"
    "<text x=\"316\" y=\"208\" text-anchor=\"end\">Baseline: 62%</text>\n"
    "</g>\n"
    "<g class=\"icp-chart__label icp-chart__target\" fill=\"#d5281b\">\n"
    "<rect x=\"41\" y=\"13\" width=\"246\" height=\"20\" fill=\"#fff\" fill-opacity=\"0.85\"/>\n"
    "<text x=\"44\" y=\"28\">Target: 75% by March 2025</text>\n"
    "</g>\n"
    "<g class=\"icp-chart__legend\" fill=\"#212b32\">\n"
    "<g class=\"icp-chart__actual\">\n"
    "<path class=\"icp-chart__line\" d=\"M8 256h28\" fill=\"none\" stroke=\"#005eb8\" stroke-width=\"3\"/>\n"
    "<g class=\"icp-chart__markers\" fill=\"#005eb8\" stroke=\"#fff\" stroke-width=\"1\"><circle cx=\"22\" cy=\"256\" r=\"4.5\"/></g>\n"
    "</g>\n"
    "<text x=\"44\" y=\"261\">Actual</text>\n"
    "<g class=\"icp-chart__planned\">\n"
    "<path class=\"icp-chart__line\" d=\"M119.6 256h28\" fill=\"none\" stroke=\"#330072\" stroke-width=\"2.5\" stroke-dasharray=\"8 5\"/>\n"
    "<g class=\"icp-chart__markers\" fill=\"#fff\" stroke=\"#330072\" stroke-width=\"2\"><circle cx=\"133.6\" cy=\"256\" r=\"4.5\"/></g>\n"
    "</g>\n"
    "<text x=\"155.6\" y=\"261\">Trajectory</text>\n"
    "<path class=\"icp-chart__target\" d=\"M8 280h28\" fill=\"none\" stroke=\"#d5281b\" stroke-width=\"2\"/>\n"
    "<text x=\"44\" y=\"285\">Target</text>\n"
    "<path class=\"icp-chart__baseline\" d=\"M119.6 280h28\" fill=\"none\" stroke=\"#425563\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>\n"
    "<text x=\"155.6\" y=\"285\">Baseline</text>\n"
    "</g>\n"
    "</svg>\n";

static void
golden_chart(void **state)
{
	struct chart_point	 a[3], p[2];
	struct chart_series	 s[2];
	struct chart_opts	 o;
	struct buf		 b;

	a[0].day = day_of(2022, 3, 31);
	a[0].value = 62;
	a[1].day = day_of(2023, 3, 31);
	a[1].value = 64.5;
	a[2].day = day_of(2024, 3, 31);
	a[2].value = 68.2;
	p[0] = a[2];
	p[1].day = day_of(2025, 3, 31);
	p[1].value = 75;
	s[0].label = "Actual";
	s[0].pts = a;
	s[0].n = 3;
	s[0].kind = CHART_ACTUAL;
	s[1].label = "Trajectory";
	s[1].pts = p;
	s[1].n = 2;
	s[1].kind = CHART_PLANNED;
	o = opts("chart-ready", "%");
	o.title = "Children ready for school";
	o.desc = "Rose from 62% in March 2022 to 68.2% in March 2024, "
	    "against a target of 75% by March 2025.";
	o.has_target = 1;
	o.target = 75;
	o.target_day = day_of(2025, 3, 31);
	o.has_baseline = 1;
	o.baseline = 62;

	buf_init(&b);
	assert_int_equal(chart_svg(&b, &o, s, 2), 0);
	assert_string_equal(b.data, golden);
	check_sane(b.data);

	/* The same again: output depends on nothing but the input. */
	buf_reset(&b);
	assert_int_equal(chart_svg(&b, &o, s, 2), 0);
	assert_string_equal(b.data, golden);
	buf_free(&b);
}

/* Nothing to draw: -1 and the buffer untouched. */
static void
empty_input(void **state)
{
	struct chart_point	 bad[3];
	struct chart_series	 s;
	struct chart_opts	 o = opts("c", "%");
	struct buf		 b;

	buf_init(&b);
	buf_puts(&b, "before");
	assert_int_equal(chart_svg(&b, &o, NULL, 0), -1);
	s.label = "Actual";
	s.pts = NULL;
	s.n = 0;
	s.kind = CHART_ACTUAL;
	assert_int_equal(chart_svg(&b, &o, &s, 1), -1);

	/* Points that cannot be drawn count as none. */
	bad[0].day = day_of(2024, 1, 1);
	bad[0].value = NAN;
	bad[1].day = day_of(2024, 2, 1);
	bad[1].value = INFINITY;
	bad[2].day = day_of(2024, 3, 1);
	bad[2].value = 1e300;
	s.pts = bad;
	s.n = 3;
	o.has_target = 1;
	o.target = 50;
	assert_int_equal(chart_svg(&b, &o, &s, 1), -1);
	assert_string_equal(b.data, "before");
	buf_free(&b);
}

/* Text from the site is escaped everywhere it appears. */
static void
escaping(void **state)
{
	struct chart_point	 a[2];
	struct chart_series	 s;
	struct chart_opts	 o = opts("x\"y", "<b>&'s");
	struct buf		 b;

	a[0].day = day_of(2023, 1, 1);
	a[0].value = 1;
	a[1].day = day_of(2024, 1, 1);
	a[1].value = 2;
	s.label = "A <&> \"B\"";
	s.pts = a;
	s.n = 2;
	s.kind = CHART_ACTUAL;
	o.title = "Falls & <fractures>";
	o.desc = "Up \"a lot\" & 'more'\x01";
	o.has_target = 1;
	o.target = 3;

	buf_init(&b);
	assert_int_equal(chart_svg(&b, &o, &s, 1), 0);
	check_sane(b.data);
	assert_non_null(strstr(b.data, "aria-labelledby=\"x&quot;y-title "
	    "x&quot;y-desc\""));
	assert_non_null(strstr(b.data, "<title id=\"x&quot;y-title\">"
	    "Falls &amp; &lt;fractures&gt;</title>"));
	assert_non_null(strstr(b.data, ">Up &quot;a lot&quot; &amp; "
	    "&apos;more&apos;</desc>"));
	assert_non_null(strstr(b.data, ">&lt;b&gt;&amp;&apos;s</text>"));
	assert_non_null(strstr(b.data, ">A &lt;&amp;&gt; &quot;B&quot;"
	    "</text>"));
	assert_non_null(strstr(b.data, "<title>January 2024: 2 "
	    "&lt;b&gt;&amp;&apos;s</title>"));
	assert_non_null(strstr(b.data, ">Target: 3 &lt;b&gt;&amp;&apos;s"
	    "</text>"));
	assert_null(strstr(b.data, "<b>"));
	assert_null(strstr(b.data, "\x01"));
	buf_free(&b);
}

/* Every id="..." value in text, which must all differ. */
static void
check_ids_unique(const char *svg, size_t want)
{
	const char	*p, *q, *ids[16];
	size_t		 n = 0, i, j, len;

	for (p = svg; (p = strstr(p, " id=\"")) != NULL; p = q) {
		p += 5;
		q = strchr(p, '"');
		assert_non_null(q);
		assert_true(n < 16);
		ids[n++] = p;
	}
	assert_int_equal(n, want);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			len = (size_t)(strchr(ids[i], '"') - ids[i]);
			assert_false(strncmp(ids[i], ids[j], len) == 0 &&
			    ids[j][len] == '"');
		}
}

/* Two charts on one page have distinct ids; white space is replaced. */
static void
unique_ids(void **state)
{
	struct chart_point	 a = { 19000, 5 };
	struct chart_series	 s = { "Actual", &a, 1, CHART_ACTUAL };
	struct chart_opts	 o1 = opts("chart-falls", NULL),
				 o2 = opts("chart ready\t2", NULL),
				 o3 = opts(NULL, NULL);
	struct buf		 b;

	buf_init(&b);
	assert_int_equal(chart_svg(&b, &o1, &s, 1), 0);
	assert_int_equal(chart_svg(&b, &o2, &s, 1), 0);
	check_ids_unique(b.data, 4);
	assert_non_null(strstr(b.data, "aria-labelledby=\"chart-falls-title "
	    "chart-falls-desc\""));
	assert_non_null(strstr(b.data, "aria-labelledby=\"chart-ready-2-title "
	    "chart-ready-2-desc\""));
	assert_non_null(strstr(b.data, "<title id=\"chart-ready-2-title\">"));
	assert_non_null(strstr(b.data, "<desc id=\"chart-ready-2-desc\">"));

	buf_reset(&b);
	assert_int_equal(chart_svg(&b, &o3, &s, 1), 0);
	assert_non_null(strstr(b.data, "aria-labelledby=\"chart-title "
	    "chart-desc\""));
	check_ids_unique(b.data, 2);
	buf_free(&b);
}

/* Nice steps are 1, 2 or 5 times a power of ten. */
static void
nice_steps(void **state)
{
	assert_true(chart_nice_step(10, 5) == 2);
	assert_true(chart_nice_step(100, 5) == 20);
	assert_true(chart_nice_step(80, 5) == 20);
	assert_true(chart_nice_step(75, 5) == 20);
	assert_true(chart_nice_step(7, 5) == 2);
	assert_true(chart_nice_step(13, 5) == 5);
	assert_true(chart_nice_step(5, 5) == 1);
	assert_true(chart_nice_step(30, 5) == 10);
	assert_true(chart_nice_step(1e9, 5) == 2e8);
	assert_true(chart_nice_step(1e9, 1) == 1e9);
	assert_true(chart_nice_step(450, 5) == 100);
	assert_true(fabs(chart_nice_step(0.3, 5) - 0.1) < 1e-15);
	assert_true(fabs(chart_nice_step(0.7, 5) - 0.2) < 1e-15);
	assert_true(fabs(chart_nice_step(0.012, 5) - 0.005) < 1e-15);
	/* Nothing sensible to divide. */
	assert_true(chart_nice_step(0, 5) == 1);
	assert_true(chart_nice_step(-3, 5) == 1);
	assert_true(chart_nice_step(NAN, 5) == 1);
	assert_true(chart_nice_step(INFINITY, 5) == 1);
	assert_true(chart_nice_step(10, 0) == 10);
}

/* The y tick labels of a chart, in order, separated by spaces. */
static void
yticks(const char *svg, struct buf *out)
{
	const char	*p, *q;

	buf_reset(out);
	for (p = svg; (p = strstr(p, "text-anchor=\"end\">")) != NULL; p = q) {
		p += 18;
		q = strchr(p, '<');
		/* Ticks come first; then x labels, target and baseline. */
		if (*p != '-' && (*p < '0' || *p > '9'))
			break;
		if (out->len > 0)
			buf_putc(out, ' ');
		buf_put(out, p, (size_t)(q - p));
	}
}

/* Draw values at consecutive year starts and return the y ticks. */
static void
draw_values(struct buf *b, struct buf *ticks, const double *v, size_t n,
    const struct chart_opts *o)
{
	struct chart_point	 pts[16];
	struct chart_series	 s;
	size_t			 i;

	assert_true(n <= 16);
	for (i = 0; i < n; i++) {
		pts[i].day = day_of(2015 + (int)i, 1, 1);
		pts[i].value = v[i];
	}
	s.label = "Actual";
	s.pts = pts;
	s.n = n;
	s.kind = CHART_ACTUAL;
	buf_reset(b);
	assert_int_equal(chart_svg(b, o, &s, 1), 0);
	check_sane(b->data);
	yticks(b->data, ticks);
}

/*
 * The y range: from zero unless the smallest value is more than half the
 * largest, and always holding target and baseline.
 */
static void
y_range(void **state)
{
	static const double	 pct[] = { 30, 64.5, 70 },
				 half[] = { 40, 64.5, 70 },
				 bunched[] = { 62, 64.5, 70 },
				 rate[] = { 950, 1010, 1050 },
				 neg[] = { -2, -5, -4 },
				 negfar[] = { -1000, -990, -950 },
				 mixed[] = { -12, 3, 17 },
				 small[] = { 0.1, 0.25, 0.3 },
				 tiny[] = { 50, 50.001, 50.002 };
	struct chart_opts	 o = opts("y", "%");
	struct buf		 b, t;

	buf_init(&b);
	buf_init(&t);
	draw_values(&b, &t, pct, 3, &o);
	assert_string_equal(t.data, "0 20 40 60 80");
	draw_values(&b, &t, half, 3, &o);	/* more than half: not from 0 */
	assert_string_equal(t.data, "30 40 50 60 70");
	draw_values(&b, &t, bunched, 3, &o);
	assert_string_equal(t.data, "60 62 64 66 68 70");
	draw_values(&b, &t, rate, 3, &o);
	/* Bunched far from zero: not from zero. */
	assert_string_equal(t.data, "940 960 980 1,000 1,020 1,040 1,060");
	draw_values(&b, &t, neg, 3, &o);
	assert_string_equal(t.data, "-6 -5 -4 -3 -2 -1 0");
	draw_values(&b, &t, negfar, 3, &o);
	assert_string_equal(t.data,
	    "-1,010 -1,000 -990 -980 -970 -960 -950");
	draw_values(&b, &t, mixed, 3, &o);
	assert_string_equal(t.data, "-20 -10 0 10 20");
	/* Zero inside the range is drawn as an axis line. */
	assert_int_equal(count(b.data, "class=\"icp-chart__axis\""), 2);
	draw_values(&b, &t, small, 3, &o);
	assert_string_equal(t.data, "0 0.1 0.2 0.3");
	draw_values(&b, &t, tiny, 3, &o);
	assert_string_equal(t.data,
	    "49.9995 50 50.0005 50.001 50.0015 50.002");

	/* A target far above the data widens the range. */
	o.has_target = 1;
	o.target = 95;
	draw_values(&b, &t, small, 3, &o);
	assert_string_equal(t.data, "0 20 40 60 80 100");
	assert_non_null(strstr(b.data, ">Target: 95%</text>"));
	/* And a baseline below it. */
	o.has_target = 0;
	o.has_baseline = 1;
	o.baseline = -2;
	draw_values(&b, &t, pct, 3, &o);
	assert_string_equal(t.data, "-20 0 20 40 60 80");
	assert_non_null(strstr(b.data, ">Baseline: -2%</text>"));
	buf_free(&t);
	buf_free(&b);
}

/* Equal values, one value, zero: a padded range and no odd numbers. */
static void
equal_values(void **state)
{
	static const double	 same[] = { 40, 40, 40, 40 },
				 zero[] = { 0, 0 },
				 negsame[] = { -7, -7 },
				 huge[] = { 1e9 };
	struct chart_opts	 o = opts("e", "people");
	struct buf		 b, t;

	buf_init(&b);
	buf_init(&t);
	draw_values(&b, &t, same, 4, &o);
	assert_string_equal(t.data, "0 10 20 30 40");
	draw_values(&b, &t, zero, 2, &o);
	assert_string_equal(t.data, "0 0.2 0.4 0.6 0.8 1");
	draw_values(&b, &t, negsame, 2, &o);
	assert_string_equal(t.data, "-8 -6 -4 -2 0");
	draw_values(&b, &t, huge, 1, &o);
	assert_string_equal(t.data, "0 200,000,000 400,000,000 600,000,000 "
	    "800,000,000 1,000,000,000");
	assert_non_null(strstr(b.data, "<title>January 2015: 1,000,000,000 "
	    "people</title>"));
	buf_free(&t);
	buf_free(&b);
}

/* Values are printed with a fixed precision and no trailing zeros. */
static void
number_format(void **state)
{
	static const double	 v[] = { 12.5, 0.3, 75, 68.2, 0.0012, -0.004,
				    -1234.5678, 1e-20 };
	struct chart_opts	 o = opts("n", "%");
	struct buf		 b, t;

	buf_init(&b);
	buf_init(&t);
	draw_values(&b, &t, v, 8, &o);
	assert_non_null(strstr(b.data, ">January 2015: 12.5%<"));
	assert_non_null(strstr(b.data, ">January 2016: 0.3%<"));
	assert_non_null(strstr(b.data, ">January 2017: 75%<"));
	assert_non_null(strstr(b.data, ">January 2018: 68.2%<"));
	assert_non_null(strstr(b.data, ">January 2019: 0.0012%<"));
	assert_non_null(strstr(b.data, ">January 2020: -0.004%<"));
	assert_non_null(strstr(b.data, ">January 2021: -1,234.57%<"));
	/* Too small to show: zero, never "-0" or an exponent. */
	assert_non_null(strstr(b.data, ">January 2022: 0%<"));
	buf_free(&t);
	buf_free(&b);
}

/* The text of the x axis labels, separated by spaces' "|". */
static void
xticks(const char *svg, struct buf *out)
{
	const char	*p, *q;

	buf_reset(out);
	for (p = svg; (p = strstr(p, " y=\"236\" text-anchor=\"")) != NULL;
	    p = q) {
		p = strchr(p, '>') + 1;
		q = strchr(p, '<');
		if (out->len > 0)
			buf_putc(out, '|');
		buf_put(out, p, (size_t)(q - p));
	}
}

/* Draw points from day lo to day hi (inclusive) every step days. */
static void
draw_days(struct buf *b, long lo, long hi, long step)
{
	struct chart_point	 pts[400];
	struct chart_series	 s = { "Actual", pts, 0, CHART_ACTUAL };
	struct chart_opts	 o = opts("d", NULL);
	long			 d;

	for (d = lo; d <= hi && s.n < 400; d += step) {
		pts[s.n].day = d;
		pts[s.n++].value = (double)(d % 37);
	}
	buf_reset(b);
	assert_int_equal(chart_svg(b, &o, &s, 1), 0);
	check_sane(b->data);
}

/* x labels are years for long spans, months for short ones. */
static void
x_labels(void **state)
{
	struct buf	 b, t;

	buf_init(&b);
	buf_init(&t);
	draw_days(&b, day_of(2019, 3, 31), day_of(2024, 3, 31), 365);
	xticks(b.data, &t);
	assert_string_equal(t.data, "2020|2022|2024");	/* 12px text */
	draw_days(&b, day_of(2000, 6, 1), day_of(2024, 6, 1), 365);
	xticks(b.data, &t);
	assert_string_equal(t.data, "2010|2020");
	draw_days(&b, day_of(2023, 2, 15), day_of(2024, 3, 15), 30);
	xticks(b.data, &t);
	assert_string_equal(t.data, "Jul 2023|Jan 2024");
	draw_days(&b, day_of(2024, 1, 10), day_of(2024, 4, 20), 10);
	xticks(b.data, &t);
	assert_string_equal(t.data, "Mar 2024");
	/* Weekly data: marker titles name the day. */
	assert_non_null(strstr(b.data, "<title>10 January 2024: "));
	/* Within one month: the axis spans that month. */
	draw_days(&b, day_of(2024, 3, 5), day_of(2024, 3, 20), 5);
	xticks(b.data, &t);
	assert_string_equal(t.data, "Mar 2024|Apr 2024");
	buf_free(&t);
	buf_free(&b);
}

/* One point, two points and two hundred. */
static void
point_counts(void **state)
{
	struct buf	 b;
	long		 d0 = day_of(2020, 1, 1);

	buf_init(&b);
	draw_days(&b, d0, d0, 1);
	assert_int_equal(count(b.data, "<circle"), 2);	/* and legend */
	/* No line in the plot, only the legend's sample. */
	assert_int_equal(count(b.data, "class=\"icp-chart__line\""), 1);
	assert_non_null(strstr(b.data, "<desc id=\"d-desc\">A summary."));
	draw_days(&b, d0, d0 + 7, 7);
	assert_int_equal(count(b.data, "<circle"), 3);
	assert_int_equal(count(b.data, "class=\"icp-chart__line\""), 2);
	draw_days(&b, d0, d0 + 7 * 199, 7);
	assert_int_equal(count(b.data, "<circle"), 201);
	assert_int_equal(count(b.data, "<title>"), 200);
	/* Dense data gets smaller markers. */
	assert_int_equal(count(b.data, " r=\"3\">"), 200);
	buf_free(&b);
}

/* Input order does not matter; points that cannot be drawn are skipped. */
static void
unsorted(void **state)
{
	struct chart_point	 in[5], sorted[3];
	struct chart_series	 s = { "Actual", in, 5, CHART_ACTUAL };
	struct chart_opts	 o = opts("u", "%");
	struct buf		 b1, b2;

	in[0].day = day_of(2024, 3, 31);
	in[0].value = 3;
	in[1].day = day_of(2022, 3, 31);
	in[1].value = 1;
	in[2].day = day_of(2023, 3, 31);
	in[2].value = NAN;
	in[3].day = day_of(2023, 3, 31);
	in[3].value = 2;
	in[4].day = 99999999L;		/* beyond the year 9999 */
	in[4].value = 5;
	sorted[0] = in[1];
	sorted[1] = in[3];
	sorted[2] = in[0];
	buf_init(&b1);
	buf_init(&b2);
	assert_int_equal(chart_svg(&b1, &o, &s, 1), 0);
	s.pts = sorted;
	s.n = 3;
	assert_int_equal(chart_svg(&b2, &o, &s, 1), 0);
	assert_string_equal(b1.data, b2.data);
	check_sane(b1.data);
	/* The caller's array is left as it was. */
	assert_true(in[0].value == 3);
	assert_true(isnan(in[2].value));
	buf_free(&b1);
	buf_free(&b2);
}

/* Without a desc, a sentence is written from the data. */
static void
generated_desc(void **state)
{
	struct chart_point	 a[2], p[1];
	struct chart_series	 s[2];
	struct chart_opts	 o = opts("g", "per 100,000");
	struct buf		 b;

	a[0].day = day_of(2021, 3, 31);
	a[0].value = 2210;
	a[1].day = day_of(2024, 3, 31);
	a[1].value = 2050.5;
	p[0].day = day_of(2026, 3, 31);
	p[0].value = 2000;
	s[0].label = "Trajectory";
	s[0].pts = p;
	s[0].n = 1;
	s[0].kind = CHART_PLANNED;
	s[1].label = "Actual";
	s[1].pts = a;
	s[1].n = 2;
	s[1].kind = CHART_ACTUAL;
	o.desc = NULL;
	o.has_target = 1;
	o.target = 2000;
	o.target_day = day_of(2026, 3, 31);
	o.has_baseline = 1;
	o.baseline = 2210;
	buf_init(&b);
	assert_int_equal(chart_svg(&b, &o, s, 2), 0);
	check_sane(b.data);
	assert_non_null(strstr(b.data, "<desc id=\"g-desc\">Actual went from "
	    "2,210 per 100,000 in March 2021 to 2,050.5 per 100,000 in "
	    "March 2024. Target: 2,000 per 100,000 by March 2026. "
	    "Baseline: 2,210 per 100,000.</desc>"));
	/* With several series, marker titles name theirs. */
	assert_non_null(strstr(b.data, "<title>Trajectory, March 2026: "
	    "2,000 per 100,000</title>"));
	assert_non_null(strstr(b.data, "<title>Actual, March 2021: "
	    "2,210 per 100,000</title>"));
	/* Only planned data: described all the same. */
	buf_reset(&b);
	assert_int_equal(chart_svg(&b, &o, s, 1), 0);
	assert_non_null(strstr(b.data, "<desc id=\"g-desc\">Trajectory was "
	    "2,000 per 100,000 in March 2026. Target: "));
	buf_free(&b);
}

/*
 * Lines differ in more than colour: planned is dashed with hollow
 * markers, the baseline dotted, a second series of a kind has other
 * marker shapes; every line has a class and a fallback colour.
 */
static void
styles(void **state)
{
	struct chart_point	 a[2] = { { 19000, 1 }, { 19400, 2 } };
	struct chart_series	 s[4] = {
		{ "One", a, 2, CHART_ACTUAL },
		{ "Two", a, 2, CHART_ACTUAL },
		{ "Three", a, 2, CHART_ACTUAL },
		{ "Plan", a, 2, CHART_PLANNED },
	};
	struct chart_opts	 o = opts("s", NULL);
	struct buf		 b;

	o.has_baseline = 1;
	o.baseline = 1;
	buf_init(&b);
	assert_int_equal(chart_svg(&b, &o, s, 4), 0);
	check_sane(b.data);
	/* In the plot and in the legend. */
	assert_int_equal(count(b.data, "<g class=\"icp-chart__actual\">"), 6);
	assert_int_equal(count(b.data, "<g class=\"icp-chart__planned\">"), 2);
	assert_non_null(strstr(b.data, "stroke=\"#330072\" stroke-width=\"2.5\""
	    " stroke-dasharray=\"8 5\""));
	assert_non_null(strstr(b.data, "<g class=\"icp-chart__markers\" "
	    "fill=\"#fff\" stroke=\"#330072\""));
	assert_non_null(strstr(b.data, "<path class=\"icp-chart__baseline\" d=\""));
	assert_non_null(strstr(b.data, "stroke-dasharray=\"2 4\""));
	/* Circles, then squares, then diamonds; the plan has circles. */
	assert_int_equal(count(b.data, "<circle"), 2 + 1 + 2 + 1);
	assert_int_equal(count(b.data, "<rect x="), 2 + 1 + 1);
	assert_int_equal(count(b.data, "Z\">"), 2);
	assert_int_equal(count(b.data, "Z\"/>"), 1);
	buf_free(&b);
}

/* Extremes of magnitude and range stay finite and in the viewBox. */
static void
extremes(void **state)
{
	static const double	 big[] = { -1e15, 1e15 },
				 wee[] = { 1e-300, 2e-300 },
				 close[] = { 1e9, 1e9 + 1e-3 };
	struct chart_opts	 o = opts("x", NULL);
	struct buf		 b, t;

	buf_init(&b);
	buf_init(&t);
	draw_values(&b, &t, big, 2, &o);
	assert_string_equal(t.data, "-1,500,000,000,000,000 "
	    "-1,000,000,000,000,000 "
	    "-500,000,000,000,000 0 500,000,000,000,000 "
	    "1,000,000,000,000,000");
	draw_values(&b, &t, wee, 2, &o);
	assert_string_equal(t.data, "0 0.0000000002 0.0000000004 "
	    "0.0000000006 0.0000000008 0.000000001");
	draw_values(&b, &t, close, 2, &o);
	assert_string_equal(t.data, "0 200,000,000 400,000,000 600,000,000 "
	    "800,000,000 1,000,000,000");
	/* A target date far beyond the data stretches the x axis. */
	o.has_target = 1;
	o.target = 5;
	o.target_day = day_of(2040, 1, 1);
	draw_values(&b, &t, wee, 2, &o);
	assert_non_null(strstr(b.data, ">Target: 5 by January 2040</text>"));
	assert_non_null(strstr(b.data, ">2040</text>"));
	buf_free(&t);
	buf_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(golden_chart),
		cmocka_unit_test(empty_input),
		cmocka_unit_test(escaping),
		cmocka_unit_test(unique_ids),
		cmocka_unit_test(nice_steps),
		cmocka_unit_test(y_range),
		cmocka_unit_test(equal_values),
		cmocka_unit_test(number_format),
		cmocka_unit_test(x_labels),
		cmocka_unit_test(point_counts),
		cmocka_unit_test(unsorted),
		cmocka_unit_test(generated_desc),
		cmocka_unit_test(styles),
		cmocka_unit_test(extremes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
