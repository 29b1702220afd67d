/*
 * Line charts as inline SVG.
 *
 * The drawing is laid out in a viewBox WIDTH units wide, with text
 * FONT units high: when CSS scales the chart to a 320px screen, text is
 * still about 10px.  Text widths are estimated (no font metrics at build
 * time) from a generous average glyph width, and the layout leaves room
 * accordingly: the left margin fits the widest y tick label, x ticks are
 * spaced so their labels cannot touch, and the legend wraps into rows,
 * so the viewBox height depends on the legend.
 *
 * The y axis starts at zero for data of one sign unless the values are
 * bunched away from zero: zero is left out when the smallest magnitude
 * is more than half the largest, so that a trend stays readable (a rate
 * of 1,950 to 2,340 is drawn from 1,900, 40% to 70% from 0 would waste
 * most of the chart and is drawn from 35%); the table beside every
 * chart gives the exact figures.  Target and baseline always lie within the range; values all
 * (nearly) equal are drawn from zero; when the axis does not start at
 * zero and a value sits on it, it drops a step so no line hides in the
 * axis.  The x axis spans the data and the target date; ticks fall on
 * the first of a month ("Mar 2024") or of a year ("2024"), and a span
 * within one month widens to the whole month.
 *
 * Target and baseline labels are placed, among a few candidates at
 * either end of their line or in the middle, where they cover the
 * fewest data lines and markers.
 *
 * Numbers are formatted here from integers, never with %f or %g, so
 * the locale cannot change them and "-0", "nan" or "inf" cannot appear.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/text.h"

#define WIDTH		460	/* of the viewBox */
#define FONT		16	/* font size */
#define GLYPH		0.6	/* estimated average glyph width in ems */
#define TOP		34	/* plot area top, below the unit label */
#define PLOT_H		180	/* plot area height */
#define RIGHT		20	/* right margin */
#define XPAD		12	/* space inside the plot at either end */
#define LEGEND_ROW	24	/* legend row height */
#define YTICKS		5	/* most y intervals */
#define MAXVAL		1e15	/* largest magnitude drawn */
#define MINDAY		(-719162L)	/* 0001-01-01 */
#define MAXDAY		2932896L	/* 9999-12-31 */

#define C_TEXT		"#212b32"
#define C_AXIS		"#4c6272"
#define C_GRID		"#d8dde0"
#define C_TARGET	"#d5281b"
#define C_BASELINE	"#425563"

/* Line colours, all at least 3:1 against white, by kind and rank. */
static const char *const actual_colours[] = { "#005eb8", "#007f3b",
    "#7c2855" };
static const char *const planned_colours[] = { "#330072", "#425563",
    "#007f3b" };

static const char *const months[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };

/* Months between x ticks, smallest first. */
static const int xsteps[] = { 1, 2, 3, 6, 12, 24, 60, 120, 240, 600,
    1200, 2400, 6000, 12000 };

static const long long pow10s[] = { 1LL, 10LL, 100LL, 1000LL, 10000LL,
    100000LL, 1000000LL, 10000000LL, 100000000LL, 1000000000LL,
    10000000000LL, 100000000000LL, 1000000000000LL, 10000000000000LL,
    100000000000000LL, 1000000000000000LL };

#define MAXDEC		12	/* most decimals printed */

/* A series after filtering and sorting. */
struct ser {
	const char		*label;
	int			 kind;
	size_t			 rank;	/* among series of its kind */
	struct chart_point	*pts;
	size_t			 n;
};

struct layout {
	double	 left, right, top, bottom;	/* plot area */
	double	 height;			/* of the viewBox */
	double	 ylo, yhi, ystep;		/* y axis */
	int	 ydec;				/* decimals of y labels */
	long	 xlo, xhi;			/* days at the x ends */
	int	 xstep;				/* months between ticks */
	int	 withday;			/* titles name the day */
};

/*
 * Append v rounded to dec decimals with trailing zeros stripped, and
 * with thousands separated by commas if group is set.  Zero is "0"
 * whatever its sign.
 */
static void
put_num(struct buf *b, double v, int dec, int group)
{
	char		 s[32];
	long long	 n, ip, fp;
	size_t		 len, i, lead;
	int		 neg;

	if (!isfinite(v))
		v = 0;
	if (dec < 0)
		dec = 0;
	if (dec > MAXDEC)
		dec = MAXDEC;
	/* cppcheck-suppress arrayIndexOutOfBoundsCond ; dec <= MAXDEC < 16 */
	while (dec > 0 && fabs(v) * (double)pow10s[dec] >= 9e15)
		dec--;
	if (fabs(v) >= 9e15)
		v = v < 0 ? -9e15 : 9e15;
	n = llround(v * (double)pow10s[dec]);
	neg = n < 0;
	if (neg)
		n = -n;
	ip = n / pow10s[dec];
	fp = n % pow10s[dec];
	if (neg && n != 0)
		buf_putc(b, '-');
	snprintf(s, sizeof(s), "%lld", ip);
	len = strlen(s);
	if (!group || len <= 3)
		buf_puts(b, s);
	else {
		lead = len % 3 ? len % 3 : 3;
		buf_put(b, s, lead);
		for (i = lead; i < len; i += 3) {
			buf_putc(b, ',');
			buf_put(b, s + i, 3);
		}
	}
	if (fp == 0)
		return;
	snprintf(s, sizeof(s), "%0*lld", dec, fp);
	len = strlen(s);
	while (len > 0 && s[len - 1] == '0')
		len--;
	buf_putc(b, '.');
	buf_put(b, s, len);
}

/* A coordinate in the viewBox: one decimal. */
static void
put_xy(struct buf *b, double v)
{
	put_num(b, v, 1, 0);
}

/* Decimals to show a data value: two, or two significant figures. */
static int
value_dec(double v)
{
	double	a = fabs(v);
	int	dec = 2;

	while (a > 0 && a < 1 && dec < MAXDEC) {
		a *= 10;
		dec++;
	}
	return dec;
}

/* Whether the unit is written without a space after the number. */
static int
unit_tight(const char *unit)
{
	return strcmp(unit, "%") == 0;
}

/*
 * A data value with its unit: "68.2%", "1,204 per 100,000"; the unit
 * is escaped if esc is set.
 */
static void
put_value(struct buf *b, const struct chart_opts *o, double v, int esc)
{
	put_num(b, v, value_dec(v), 1);
	if (o->unit == NULL || o->unit[0] == '\0')
		return;
	if (!unit_tight(o->unit))
		buf_putc(b, ' ');
	if (esc)
		buf_put_xml(b, o->unit, strlen(o->unit));
	else
		buf_puts(b, o->unit);
}

/* "March 2024", or "7 March 2024" if day is set. */
static void
put_date(struct buf *b, long days, int day)
{
	struct date	d;

	text_date_from_days(days, &d);
	if (day)
		buf_printf(b, "%d ", d.day);
	buf_printf(b, "%s %d", months[d.month - 1], d.year);
}

/* Append the id prefix; it may hold no white space (HTML ids). */
static void
put_id(struct buf *b, const char *id)
{
	size_t	i;

	if (id == NULL || id[0] == '\0')
		id = "chart";
	while (*id != '\0') {	/* runs, so UTF-8 is escaped whole */
		i = strcspn(id, " \t\n\f\r");
		buf_put_xml(b, id, i);
		id += i;
		if (*id != '\0') {
			buf_putc(b, '-');
			id++;
		}
	}
}

/* Estimated width of text (UTF-8) in viewBox units. */
static double
text_width(const char *s)
{
	size_t	n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return (double)n * FONT * GLYPH;
}

double
chart_nice_step(double span, int maxticks)
{
	double	raw, mag;

	if (!(span > 0) || !isfinite(span))
		return 1;
	if (maxticks < 1)
		maxticks = 1;
	raw = span / maxticks;
	mag = 1;
	while (mag * 10 <= raw)
		mag *= 10;
	while (mag > raw)
		mag /= 10;
	/* Allow for rounding: 0.1 + 0.2 should count as 0.3. */
	raw /= 1 + 1e-9;
	if (raw <= mag)
		return mag;
	if (raw <= mag * 2)
		return mag * 2;
	if (raw <= mag * 5)
		return mag * 5;
	return mag * 10;
}

/* Decimals needed to print multiples of step exactly. */
static int
step_dec(double step)
{
	double	x;
	int	dec;

	for (dec = 0; dec < MAXDEC; dec++) {
		x = step * (double)pow10s[dec];
		if (fabs(x - nearbyint(x)) < 1e-6 * x)
			break;
	}
	return dec;
}

/* Whether a point can be drawn and dated. */
static int
usable(const struct chart_point *p)
{
	return isfinite(p->value) && fabs(p->value) <= MAXVAL &&
	    p->day >= MINDAY && p->day <= MAXDAY;
}

/* Order by day, then value, so equal days sort the same every time. */
static int
point_cmp(const void *a, const void *b)
{
	const struct chart_point *p = a, *q = b;

	if (p->day != q->day)
		return p->day < q->day ? -1 : 1;
	if (p->value != q->value)
		return p->value < q->value ? -1 : 1;
	return 0;
}

/* Month index (year * 12 + month - 1) of a day. */
static long
month_of(long days)
{
	struct date	d;

	text_date_from_days(days, &d);
	return (long)d.year * 12 + d.month - 1;
}

/* The first day of a month index. */
static long
month_day(long m)
{
	struct date	d;

	d.year = (int)(m / 12);
	d.month = (int)(m % 12) + 1;
	d.day = 1;
	return text_days(&d);
}

/* Fewest days in step consecutive months. */
static long
step_days(int step)
{
	static const long	short_months[] = { 0, 28, 59, 89, 120, 150,
	    181, 212, 242, 273, 303, 334 };

	if (step >= 12)
		return 365L * (step / 12);
	return short_months[step];
}

/* Month indexes of the first and last x ticks at a step. */
static void
xtick_span(const struct layout *l, int step, long *first, long *last)
{
	long	m;

	m = month_of(l->xlo);
	if (month_day(m) < l->xlo)
		m++;
	*first = (m + step - 1) / step * step;
	*last = month_of(l->xhi) / step * step;
}

/* Choose the x range and tick step. */
static void
layout_x(struct layout *l, const struct chart_opts *o,
    const struct ser *s, size_t ns)
{
	long	 first, last, gap;
	double	 pw, lw;
	size_t	 i, j;
	int	 k, set = 0;

	l->withday = 0;
	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++) {
			if (!set || s[i].pts[j].day < l->xlo)
				l->xlo = s[i].pts[j].day;
			if (!set || s[i].pts[j].day > l->xhi)
				l->xhi = s[i].pts[j].day;
			set = 1;
			if (j == 0)
				continue;
			gap = s[i].pts[j].day - s[i].pts[j - 1].day;
			if (gap > 0 && gap < 28)
				l->withday = 1;
		}
	if (o->has_target && o->target_day != 0 &&
	    o->target_day >= MINDAY && o->target_day <= MAXDAY) {
		if (o->target_day < l->xlo)
			l->xlo = o->target_day;
		if (o->target_day > l->xhi)
			l->xhi = o->target_day;
	}

	/* Too short for two month ticks: widen to whole months. */
	xtick_span(l, 1, &first, &last);
	if (last <= first) {
		l->xlo = month_day(month_of(l->xlo));
		l->xhi = month_day(month_of(l->xhi) + 1);
	}

	pw = l->right - l->left - 2 * XPAD;
	for (k = 0; k < (int)(sizeof(xsteps) / sizeof(xsteps[0])); k++) {
		l->xstep = xsteps[k];
		lw = text_width(l->xstep < 12 ? "Mar 2024" : "2024") + FONT;
		if (pw * (double)step_days(l->xstep) /
		    (double)(l->xhi - l->xlo) >= lw)
			break;
	}
}

/* Choose the y range and tick step. */
static void
layout_y(struct layout *l, const struct chart_opts *o,
    const struct ser *s, size_t ns)
{
	double	 lo = 0, hi = 0, v, step;
	size_t	 i, j;
	int	 set = 0;

	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++) {
			v = s[i].pts[j].value;
			if (!set || v < lo)
				lo = v;
			if (!set || v > hi)
				hi = v;
			set = 1;
		}
	if (o->has_target && isfinite(o->target) &&
	    fabs(o->target) <= MAXVAL) {
		lo = fmin(lo, o->target);
		hi = fmax(hi, o->target);
	}
	if (o->has_baseline && isfinite(o->baseline) &&
	    fabs(o->baseline) <= MAXVAL) {
		lo = fmin(lo, o->baseline);
		hi = fmax(hi, o->baseline);
	}

	if (hi - lo <= fmax(fabs(lo), fabs(hi)) * 1e-9) {
		/* All (nearly) equal: draw from zero to the value. */
		if (hi > 0)
			lo = 0;
		else if (lo < 0)
			hi = 0;
		else
			hi = 1;
	} else if (lo >= 0 && !(lo > hi / 2))
		lo = 0;
	else if (hi <= 0 && !(hi < lo / 2))
		hi = 0;
	if (hi - lo < 1e-9)	/* finer than labels can show */
		hi = lo + 1e-9;

	step = chart_nice_step(hi - lo, YTICKS);
	l->ystep = step;
	l->ylo = floor(lo / step + 1e-9) * step;
	l->yhi = ceil(hi / step - 1e-9) * step;
	if (l->yhi <= l->ylo)
		l->yhi = l->ylo + step;
	/* Keep lines off the x axis when it is not at zero. */
	if (l->ylo != 0 && lo - l->ylo < step * 1e-6)
		l->ylo -= step;
	l->ydec = step_dec(step);
}

static double
xpos(const struct layout *l, long day)
{
	return l->left + XPAD + (double)(day - l->xlo) /
	    (double)(l->xhi - l->xlo) * (l->right - l->left - 2 * XPAD);
}

static double
ypos(const struct layout *l, double v)
{
	return l->bottom - (v - l->ylo) / (l->yhi - l->ylo) *
	    (l->bottom - l->top);
}

/* Width of the widest y tick label. */
static double
ylabel_width(const struct layout *l)
{
	struct buf	 b;
	double		 w = 0;
	long long	 k, k0, k1;

	buf_init(&b);
	k0 = llround(l->ylo / l->ystep);
	k1 = llround(l->yhi / l->ystep);
	for (k = k0; k <= k1; k++) {
		buf_reset(&b);
		put_num(&b, (double)k * l->ystep, l->ydec, 1);
		w = fmax(w, text_width(b.data));
	}
	buf_free(&b);
	return w;
}

/* One legend entry: its text and width. */
struct legend {
	const char	*text;
	double		 w;
};

static const char *
series_label(const struct ser *s)
{
	if (s->label != NULL && s->label[0] != '\0')
		return s->label;
	return s->kind == CHART_PLANNED ? "Planned" : "Actual";
}

/* Rows the legend needs, placing each entry's x and row. */
static size_t
legend_rows(const struct legend *e, size_t n, double *x, size_t *row)
{
	double	 at = 8;
	size_t	 i, r = 0;

	for (i = 0; i < n; i++) {
		if (at > 8 && at + e[i].w > WIDTH - 8) {
			r++;
			at = 8;
		}
		x[i] = at;
		row[i] = r;
		at += e[i].w + 18;
	}
	return n > 0 ? r + 1 : 0;
}

/* Attributes of the line of a series. */
static void
put_line_style(struct buf *b, const struct ser *s)
{
	if (s->kind == CHART_PLANNED)
		buf_printf(b, " fill=\"none\" stroke=\"%s\" stroke-width=\"2.5\""
		    " stroke-dasharray=\"8 5\"",
		    planned_colours[s->rank % 3]);
	else
		buf_printf(b, " fill=\"none\" stroke=\"%s\" stroke-width=\"3\"",
		    actual_colours[s->rank % 3]);
}

/* Attributes of the group of markers of a series. */
static void
put_marker_style(struct buf *b, const struct ser *s)
{
	if (s->kind == CHART_PLANNED)
		buf_printf(b, " fill=\"#fff\" stroke=\"%s\" stroke-width=\"2\"",
		    planned_colours[s->rank % 3]);
	else
		buf_printf(b, " fill=\"%s\" stroke=\"#fff\" stroke-width=\"1\"",
		    actual_colours[s->rank % 3]);
}

/*
 * A marker at (x, y), left open for a <title> child if open is set.
 * The first series of a kind has circles, the next squares, then
 * diamonds, so series differ in more than colour.
 */
static void
put_marker(struct buf *b, const struct ser *s, double x, double y, double r,
    int open)
{
	const char	*end = open ? "\">" : "\"/>";

	switch (s->rank % 3) {
	case 0:
		buf_puts(b, "<circle cx=\"");
		put_xy(b, x);
		buf_puts(b, "\" cy=\"");
		put_xy(b, y);
		buf_puts(b, "\" r=\"");
		put_xy(b, r);
		buf_puts(b, end);
		break;
	case 1:
		buf_puts(b, "<rect x=\"");
		put_xy(b, x - r);
		buf_puts(b, "\" y=\"");
		put_xy(b, y - r);
		buf_puts(b, "\" width=\"");
		put_xy(b, 2 * r);
		buf_puts(b, "\" height=\"");
		put_xy(b, 2 * r);
		buf_puts(b, end);
		break;
	default:
		r *= 1.3;
		buf_puts(b, "<path d=\"M");
		put_xy(b, x);
		buf_putc(b, ' ');
		put_xy(b, y - r);
		buf_putc(b, 'L');
		put_xy(b, x + r);
		buf_putc(b, ' ');
		put_xy(b, y);
		buf_putc(b, 'L');
		put_xy(b, x);
		buf_putc(b, ' ');
		put_xy(b, y + r);
		buf_putc(b, 'L');
		put_xy(b, x - r);
		buf_putc(b, ' ');
		put_xy(b, y);
		buf_putc(b, 'Z');
		buf_puts(b, end);
		break;
	}
}

static void
close_marker(struct buf *b, const struct ser *s)
{
	switch (s->rank % 3) {
	case 0:
		buf_puts(b, "</circle>\n");
		break;
	case 1:
		buf_puts(b, "</rect>\n");
		break;
	default:
		buf_puts(b, "</path>\n");
		break;
	}
}

/* A horizontal line across the plot at y. */
static void
put_hline(struct buf *b, const struct layout *l, double y)
{
	buf_puts(b, "M");
	put_xy(b, l->left);
	buf_putc(b, ' ');
	put_xy(b, y);
	buf_puts(b, "H");
	put_xy(b, l->right);
}

/* <text> opening tag at (x, y) with an optional anchor. */
static void
put_text(struct buf *b, double x, double y, const char *anchor)
{
	buf_puts(b, "<text x=\"");
	put_xy(b, x);
	buf_puts(b, "\" y=\"");
	put_xy(b, y);
	buf_putc(b, '"');
	if (anchor != NULL)
		buf_printf(b, " text-anchor=\"%s\"", anchor);
	buf_putc(b, '>');
}

/* A rectangle in the viewBox. */
struct box {
	double	 x0, y0, x1, y1;
};

static int
box_has(const struct box *b, double x, double y)
{
	return x >= b->x0 && x <= b->x1 && y >= b->y0 && y <= b->y1;
}

static int
box_meets(const struct box *a, const struct box *b)
{
	return a->x0 <= b->x1 && b->x0 <= a->x1 && a->y0 <= b->y1 &&
	    b->y0 <= a->y1;
}

/* Whether the segment from (x0, y0) to (x1, y1) crosses b. */
static int
seg_hits(const struct box *b, double x0, double y0, double x1, double y1)
{
	double	 t;
	int	 i, n;

	n = (int)(hypot(x1 - x0, y1 - y0) / 3) + 1;
	if (n > 400)
		n = 400;
	for (i = 0; i <= n; i++) {
		t = (double)i / n;
		if (box_has(b, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
			return 1;
	}
	return 0;
}

/*
 * What a label at b would hide: data lines and markers, other labels
 * and lines to avoid, and anything outside the space it may use.
 */
static int
box_cost(const struct layout *l, const struct ser *s, size_t ns,
    const struct box *b, const struct box *avoid, size_t navoid)
{
	struct box	 m = *b;
	double		 x, y, px = 0, py = 0;
	size_t		 i, j;
	int		 cost = 0;

	if (b->y0 < 0 || b->y1 > l->bottom)
		cost += 1000;
	for (i = 0; i < navoid; i++)
		if (box_meets(b, &avoid[i]))
			cost += 100;
	m.x0 -= 5;
	m.y0 -= 5;
	m.x1 += 5;
	m.y1 += 5;
	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++) {
			x = xpos(l, s[i].pts[j].day);
			y = ypos(l, s[i].pts[j].value);
			if (box_has(&m, x, y))
				cost += 3;
			if (j > 0 && seg_hits(b, px, py, x, y))
				cost += 2;
			px = x;
			py = y;
		}
	return cost;
}

/* Where a label for a target or baseline line goes. */
struct place {
	struct box	 box;		/* its backing */
	double		 x, y;		/* of the text */
	int		 right;		/* anchored at its end */
};

/*
 * Place a label for a line at y at either end of the plot, above or
 * below the line, where it hides the least; ties go to the preferred
 * end and side.
 */
static void
place_label(struct place *p, const struct layout *l, const struct ser *s,
    size_t ns, const char *text, double y, int right, int above,
    const struct box *avoid, size_t navoid)
{
	struct place	 c;
	double		 w = text_width(text);
	int		 i, cost, best = -1;

	/* Preferred end, other end, then the middle; each both sides. */
	for (i = 0; i < 6; i++) {
		c.right = (i & 1) ? !right : right;
		c.x = c.right ? l->right - 4 : l->left + 4;
		c.y = ((i & 2) ? !above : above) ? y - 6 : y + FONT + 2;
		if (i >= 4) {
			c.right = 0;
			c.x = (l->left + l->right - w) / 2;
			c.y = (i & 1) ? (above ? y + FONT + 2 : y - 6) :
			    (above ? y - 6 : y + FONT + 2);
		}
		c.box.x0 = c.right ? c.x - w - 3 : c.x - 3;
		c.box.x1 = c.box.x0 + w + 6;
		c.box.y0 = c.y - FONT + 1;
		c.box.y1 = c.box.y0 + FONT + 4;
		cost = box_cost(l, s, ns, &c.box, avoid, navoid) * 10 + i;
		if (best < 0 || cost < best) {
			best = cost;
			*p = c;
		}
	}
}

/* Draw a label placed by place_label() on a pale backing. */
static void
put_ref_label(struct buf *b, const struct place *p, const char *cls,
    const char *colour, const char *text)
{
	buf_printf(b, "<g class=\"icp-chart__label %s\" fill=\"%s\">\n",
	    cls, colour);
	buf_puts(b, "<rect x=\"");
	put_xy(b, p->box.x0);
	buf_puts(b, "\" y=\"");
	put_xy(b, p->box.y0);
	buf_puts(b, "\" width=\"");
	put_xy(b, p->box.x1 - p->box.x0);
	buf_puts(b, "\" height=\"");
	put_xy(b, p->box.y1 - p->box.y0);
	buf_puts(b, "\" fill=\"#fff\" fill-opacity=\"0.85\"/>\n");
	put_text(b, p->x, p->y, p->right ? "end" : NULL);
	buf_put_xml(b, text, strlen(text));
	buf_puts(b, "</text>\n</g>\n");
}

/* The text alternative when the caller gave none. */
static void
summary(struct buf *b, const struct chart_opts *o, const struct ser *s,
    size_t ns, int withday)
{
	const struct ser	*p = NULL;
	size_t			 i;

	for (i = 0; i < ns && p == NULL; i++)
		if (s[i].kind == CHART_ACTUAL && s[i].n > 0)
			p = &s[i];
	for (i = 0; i < ns && p == NULL; i++)
		if (s[i].n > 0)
			p = &s[i];
	assert(p != NULL);
	buf_put_xml(b, series_label(p), strlen(series_label(p)));
	if (p->n == 1) {
		buf_puts(b, " was ");
		put_value(b, o, p->pts[0].value, 1);
		buf_puts(b, " in ");
		put_date(b, p->pts[0].day, withday);
	} else {
		buf_puts(b, " went from ");
		put_value(b, o, p->pts[0].value, 1);
		buf_puts(b, " in ");
		put_date(b, p->pts[0].day, withday);
		buf_puts(b, " to ");
		put_value(b, o, p->pts[p->n - 1].value, 1);
		buf_puts(b, " in ");
		put_date(b, p->pts[p->n - 1].day, withday);
	}
	buf_putc(b, '.');
	if (o->has_target && isfinite(o->target) &&
	    fabs(o->target) <= MAXVAL) {
		buf_puts(b, " Target: ");
		put_value(b, o, o->target, 1);
		if (o->target_day != 0 && o->target_day >= MINDAY &&
		    o->target_day <= MAXDAY) {
			buf_puts(b, " by ");
			put_date(b, o->target_day, 0);
		}
		buf_putc(b, '.');
	}
	if (o->has_baseline && isfinite(o->baseline) &&
	    fabs(o->baseline) <= MAXVAL) {
		buf_puts(b, " Baseline: ");
		put_value(b, o, o->baseline, 1);
		buf_putc(b, '.');
	}
}

/* One chart being drawn. */
struct chart {
	struct buf		*out;
	const struct chart_opts	*o;
	struct layout		 l;
	struct ser		*s;
	size_t			 ns;
	size_t			 total;		/* points in all series */
	int			 has_t, has_b;	/* target, baseline */
	const char		*unit;		/* never NULL */
	struct legend		*leg;
	double			*legx;
	size_t			*legrow, nleg;
};

/* Grid, axes, tick labels and the unit. */
static void
put_axes(struct chart *c)
{
	struct buf		*out = c->out;
	const struct layout	*l = &c->l;
	struct buf		 t;
	long long		 k, k0, k1;
	long			 m, first, last;
	double			 x, w;
	int			 zero;

	/* Grid lines at the y ticks; zero stands out when inside. */
	k0 = llround(l->ylo / l->ystep);
	k1 = llround(l->yhi / l->ystep);
	zero = k0 < 0 && k1 >= 0;
	buf_puts(out, "<path class=\"icp-chart__grid\" d=\"");
	for (k = k0; k <= k1; k++)
		if (k != 0 || !zero)
			put_hline(out, l, ypos(l, (double)k * l->ystep));
	buf_puts(out, "\" fill=\"none\" stroke=\"" C_GRID "\"/>\n");
	if (zero) {
		buf_puts(out, "<path class=\"icp-chart__axis\" d=\"");
		put_hline(out, l, ypos(l, 0));
		buf_puts(out, "\" fill=\"none\" stroke=\"" C_AXIS "\"/>\n");
	}

	/* Axes with tick marks under the x axis. */
	xtick_span(l, l->xstep, &first, &last);
	buf_puts(out, "<path class=\"icp-chart__axis\" d=\"M");
	put_xy(out, l->left);
	buf_putc(out, ' ');
	put_xy(out, l->top);
	buf_putc(out, 'V');
	put_xy(out, l->bottom);
	buf_putc(out, 'H');
	put_xy(out, l->right);
	for (m = first; m <= last; m += l->xstep) {
		buf_putc(out, 'M');
		put_xy(out, xpos(l, month_day(m)));
		buf_putc(out, ' ');
		put_xy(out, l->bottom);
		buf_puts(out, "v5");
	}
	buf_puts(out, "\" fill=\"none\" stroke=\"" C_AXIS
	    "\" stroke-width=\"1.5\"/>\n");

	/* Labels; an x label that would overflow is pulled inside. */
	buf_puts(out, "<g class=\"icp-chart__label\" fill=\"" C_TEXT "\">\n");
	if (c->unit[0] != '\0') {
		put_text(out, 4, 18, NULL);
		buf_put_xml(out, c->unit, strlen(c->unit));
		buf_puts(out, "</text>\n");
	}
	for (k = k0; k <= k1; k++) {
		put_text(out, l->left - 8, ypos(l, (double)k * l->ystep) + 5,
		    "end");
		put_num(out, (double)k * l->ystep, l->ydec, 1);
		buf_puts(out, "</text>\n");
	}
	buf_init(&t);
	for (m = first; m <= last; m += l->xstep) {
		buf_reset(&t);
		if (l->xstep < 12)
			buf_printf(&t, "%.3s %ld", months[m % 12], m / 12);
		else
			buf_printf(&t, "%ld", m / 12);
		x = xpos(l, month_day(m));
		w = text_width(t.data);
		if (x + w / 2 > WIDTH - 2)
			put_text(out, WIDTH - 2, l->bottom + 22, "end");
		else
			put_text(out, x, l->bottom + 22, "middle");
		buf_puts(out, t.data);
		buf_puts(out, "</text>\n");
	}
	buf_free(&t);
	buf_puts(out, "</g>\n");
}

/* The lines and markers of one series. */
static void
put_series(struct chart *c, const struct ser *s)
{
	struct buf		*out = c->out;
	const struct layout	*l = &c->l;
	double			 r = c->total > 60 ? 3 : 4.5;
	size_t			 j;

	buf_printf(out, "<g class=\"icp-chart__%s\">\n",
	    s->kind == CHART_PLANNED ? "planned" : "actual");
	if (s->n > 1) {
		buf_puts(out, "<path class=\"icp-chart__line\" d=\"");
		for (j = 0; j < s->n; j++) {
			buf_putc(out, j == 0 ? 'M' : 'L');
			put_xy(out, xpos(l, s->pts[j].day));
			buf_putc(out, ' ');
			put_xy(out, ypos(l, s->pts[j].value));
		}
		buf_putc(out, '"');
		put_line_style(out, s);
		buf_puts(out, " stroke-linejoin=\"round\"/>\n");
	}

	/* Each marker names its date and value for mouse users. */
	buf_puts(out, "<g class=\"icp-chart__markers\"");
	put_marker_style(out, s);
	buf_puts(out, ">\n");
	for (j = 0; j < s->n; j++) {
		put_marker(out, s, xpos(l, s->pts[j].day),
		    ypos(l, s->pts[j].value), r, 1);
		buf_puts(out, "<title>");
		if (c->ns > 1) {
			buf_put_xml(out, series_label(s),
			    strlen(series_label(s)));
			buf_puts(out, ", ");
		}
		put_date(out, s->pts[j].day, l->withday);
		buf_puts(out, ": ");
		put_value(out, c->o, s->pts[j].value, 1);
		buf_puts(out, "</title>");
		close_marker(out, s);
	}
	buf_puts(out, "</g>\n</g>\n");
}

/* Set one box of avoid to a horizontal line across the plot at y. */
static void
avoid_line(struct box *b, const struct layout *l, double y)
{
	b->x0 = l->left;
	b->x1 = l->right;
	b->y0 = b->y1 = y;
}

/*
 * Labels of the target and baseline lines go on top of the data, where
 * they hide the least of it, and avoid the unit, each other and the
 * other line; the label of the upper line prefers to sit above it.
 */
static void
put_ref_labels(struct chart *c)
{
	const struct chart_opts	*o = c->o;
	const struct layout	*l = &c->l;
	struct buf		 tl, bl;
	struct box		 avoid[3];
	struct place		 pb, pt;
	size_t			 navoid = 0;

	buf_init(&tl);
	buf_init(&bl);
	avoid[navoid].x0 = 0;
	avoid[navoid].y0 = 0;
	avoid[navoid].x1 = 8 + text_width(c->unit);
	avoid[navoid++].y1 = 22;
	if (c->has_b) {
		buf_puts(&bl, "Baseline: ");
		put_value(&bl, o, o->baseline, 0);
		if (c->has_t)
			avoid_line(&avoid[navoid++], l, ypos(l, o->target));
		place_label(&pb, l, c->s, c->ns, bl.data,
		    ypos(l, o->baseline), 0,
		    !c->has_t || o->baseline > o->target, avoid, navoid);
		put_ref_label(c->out, &pb, "icp-chart__baseline",
		    C_BASELINE, bl.data);
		if (c->has_t) {
			avoid[navoid - 1] = pb.box;
			avoid_line(&avoid[navoid++], l, ypos(l, o->baseline));
		}
	}
	if (c->has_t) {
		buf_puts(&tl, "Target: ");
		put_value(&tl, o, o->target, 0);
		if (o->target_day != 0 && o->target_day >= MINDAY &&
		    o->target_day <= MAXDAY) {
			buf_puts(&tl, " by ");
			put_date(&tl, o->target_day, 0);
		}
		place_label(&pt, l, c->s, c->ns, tl.data, ypos(l, o->target),
		    1, !c->has_b || o->target >= o->baseline, avoid, navoid);
		put_ref_label(c->out, &pt, "icp-chart__target", C_TARGET,
		    tl.data);
	}
	buf_free(&tl);
	buf_free(&bl);
}

/* Lay the legend out in rows; sets the height of the viewBox. */
static void
layout_legend(struct chart *c)
{
	size_t	 i, rows;

	c->leg = xcalloc(c->ns + 2, sizeof(*c->leg));
	c->legx = xcalloc(c->ns + 2, sizeof(*c->legx));
	c->legrow = xcalloc(c->ns + 2, sizeof(*c->legrow));
	for (i = 0; i < c->ns; i++)
		c->leg[c->nleg++].text = series_label(&c->s[i]);
	if (c->has_t)
		c->leg[c->nleg++].text = "Target";
	if (c->has_b)
		c->leg[c->nleg++].text = "Baseline";
	for (i = 0; i < c->nleg; i++)
		c->leg[i].w = 36 + text_width(c->leg[i].text);
	rows = legend_rows(c->leg, c->nleg, c->legx, c->legrow);
	c->l.height = c->l.bottom + 36 + (double)rows * LEGEND_ROW;
}

/* The legend: a sample of each line and its name. */
static void
put_legend(struct chart *c)
{
	struct buf	*out = c->out;
	const struct ser *s = NULL;
	double		 x, y;
	size_t		 i;

	buf_puts(out, "<g class=\"icp-chart__legend\" fill=\"" C_TEXT "\">\n");
	for (i = 0; i < c->nleg; i++) {
		x = c->legx[i];
		y = c->l.bottom + 36 + (double)c->legrow[i] * LEGEND_ROW + 6;
		if (i < c->ns) {
			s = &c->s[i];
			buf_printf(out, "<g class=\"icp-chart__%s\">\n"
			    "<path class=\"icp-chart__line\" d=\"M",
			    s->kind == CHART_PLANNED ? "planned" : "actual");
		} else
			buf_printf(out, "<path class=\"icp-chart__%s\" d=\"M",
			    c->has_t && i == c->ns ? "target" : "baseline");
		put_xy(out, x);
		buf_putc(out, ' ');
		put_xy(out, y);
		buf_puts(out, "h28\"");
		if (i < c->ns) {
			put_line_style(out, s);
			buf_puts(out, "/>\n<g class=\"icp-chart__markers\"");
			put_marker_style(out, s);
			buf_putc(out, '>');
			put_marker(out, s, x + 14, y, 4.5, 0);
			buf_puts(out, "</g>\n</g>\n");
		} else if (c->has_t && i == c->ns)
			buf_puts(out, " fill=\"none\" stroke=\"" C_TARGET "\""
			    " stroke-width=\"2\"/>\n");
		else
			buf_puts(out, " fill=\"none\" stroke=\"" C_BASELINE "\""
			    " stroke-width=\"2\" stroke-dasharray=\"2 4\"/>\n");
		put_text(out, x + 36, y + 5, NULL);
		buf_put_xml(out, c->leg[i].text, strlen(c->leg[i].text));
		buf_puts(out, "</text>\n");
	}
	buf_puts(out, "</g>\n");
}

/* Copy the usable points of each series, sorted by day. */
static void
copy_series(struct chart *c, const struct chart_series *in, size_t nin)
{
	struct ser	*s;
	size_t		 i, j, nact = 0, nplan = 0;

	c->s = xcalloc(nin > 0 ? nin : 1, sizeof(*c->s));
	for (i = 0; i < nin; i++) {
		s = &c->s[c->ns];
		s->label = in[i].label;
		s->kind = in[i].kind == CHART_PLANNED ?
		    CHART_PLANNED : CHART_ACTUAL;
		if (in[i].pts == NULL || in[i].n == 0)
			continue;
		s->pts = xreallocarray(NULL, in[i].n, sizeof(*s->pts));
		for (j = 0; j < in[i].n; j++)
			if (usable(&in[i].pts[j]))
				s->pts[s->n++] = in[i].pts[j];
		if (s->n == 0) {
			free(s->pts);
			s->pts = NULL;
			continue;
		}
		qsort(s->pts, s->n, sizeof(*s->pts), point_cmp);
		s->rank = s->kind == CHART_PLANNED ? nplan++ : nact++;
		c->total += s->n;
		c->ns++;
	}
}

/* Free what chart_svg() allocated (not the output). */
static void
chart_free(struct chart *c)
{
	size_t	i;

	for (i = 0; i < c->ns; i++)
		free(c->s[i].pts);
	free(c->s);
	free(c->leg);
	free(c->legx);
	free(c->legrow);
}

int
chart_svg(struct buf *out, const struct chart_opts *o,
    const struct chart_series *in, size_t nin)
{
	struct chart	 c;
	size_t		 i;
	int		 kind;

	memset(&c, 0, sizeof(c));
	c.out = out;
	c.o = o;
	c.unit = o->unit != NULL ? o->unit : "";
	copy_series(&c, in, nin);
	if (c.total == 0) {
		chart_free(&c);
		return -1;
	}
	c.has_t = o->has_target && isfinite(o->target) &&
	    fabs(o->target) <= MAXVAL;
	c.has_b = o->has_baseline && isfinite(o->baseline) &&
	    fabs(o->baseline) <= MAXVAL;

	/* Lay out: y first, as its labels decide the left margin. */
	c.l.top = TOP;
	c.l.bottom = TOP + PLOT_H;
	c.l.right = WIDTH - RIGHT;
	layout_y(&c.l, o, c.s, c.ns);
	c.l.left = fmax(40, ceil(ylabel_width(&c.l)) + 14);
	layout_x(&c.l, o, c.s, c.ns);
	layout_legend(&c);

	/* The root and its text alternative. */
	buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d ", WIDTH);
	put_xy(out, c.l.height);
	buf_puts(out, "\" role=\"img\" aria-labelledby=\"");
	put_id(out, o->id);
	buf_puts(out, "-title ");
	put_id(out, o->id);
	buf_printf(out, "-desc\" class=\"icp-chart\" font-size=\"%d\">\n"
	    "<title id=\"", FONT);
	put_id(out, o->id);
	buf_puts(out, "-title\">");
	if (o->title != NULL)
		buf_put_xml(out, o->title, strlen(o->title));
	buf_puts(out, "</title>\n<desc id=\"");
	put_id(out, o->id);
	buf_puts(out, "-desc\">");
	if (o->desc != NULL && o->desc[0] != '\0')
		buf_put_xml(out, o->desc, strlen(o->desc));
	else
		summary(out, o, c.s, c.ns, c.l.withday);
	buf_puts(out, "</desc>\n");

	put_axes(&c);

	/* Baseline and target lines; their labels come after the data. */
	if (c.has_b) {
		buf_puts(out, "<path class=\"icp-chart__baseline\" d=\"");
		put_hline(out, &c.l, ypos(&c.l, o->baseline));
		buf_puts(out, "\" fill=\"none\" stroke=\"" C_BASELINE
		    "\" stroke-width=\"2\" stroke-dasharray=\"2 4\"/>\n");
	}
	if (c.has_t) {
		buf_puts(out, "<path class=\"icp-chart__target\" d=\"");
		put_hline(out, &c.l, ypos(&c.l, o->target));
		buf_puts(out, "\" fill=\"none\" stroke=\"" C_TARGET
		    "\" stroke-width=\"2\"/>\n");
	}

	/* Planned series under actual ones. */
	for (kind = CHART_PLANNED; kind >= CHART_ACTUAL; kind--)
		for (i = 0; i < c.ns; i++)
			if (c.s[i].kind == kind)
				put_series(&c, &c.s[i]);
	put_ref_labels(&c);
	put_legend(&c);
	buf_puts(out, "</svg>\n");
	chart_free(&c);
	return 0;
}
