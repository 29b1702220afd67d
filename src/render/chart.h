/*
 * Line charts of strategy outcome measures, drawn at build time as
 * inline SVG: the history of a measure against its baseline and target.
 *
 * The chart sits next to an HTML data table, which is the accessible
 * equivalent; the chart itself is an image (role="img") named by its
 * <title> and described by its <desc>.  It needs neither JavaScript nor
 * CSS: every element has a class for the theme to restyle and the
 * presentation attributes (stroke, fill) to fall back on.  No meaning is
 * carried by colour alone: actual values are a solid line with filled
 * markers, planned values a dashed line with hollow markers, the
 * baseline a dotted line, and target and baseline are labelled in text.
 *
 * Classes for the theme: icp-chart on the root; icp-chart__grid,
 * __axis, __label, __target, __baseline, __legend; each series is a
 * group icp-chart__actual or icp-chart__planned holding an
 * icp-chart__line and a group of icp-chart__markers.  The root has a
 * viewBox but no width or height: style it ".icp-chart { width: 100%;
 * height: auto; max-width: 36rem }" (the text is sized to stay about
 * 10px high on a 320px screen, so wide layouts need the cap).
 *
 * Output is deterministic and independent of the locale.
 */
#ifndef RENDER_CHART_H
#define RENDER_CHART_H

#include <stddef.h>

struct buf;

#define CHART_ACTUAL	0	/* solid line, filled markers */
#define CHART_PLANNED	1	/* dashed line, hollow markers */

struct chart_point {
	long	 day;		/* days since 1970-01-01 (text_days) */
	double	 value;
};

struct chart_series {
	const char			*label;	/* in the legend, e.g. "Actual" */
	const struct chart_point	*pts;	/* any order; copied and sorted */
	size_t				 n;
	int				 kind;	/* CHART_ACTUAL, CHART_PLANNED */
};

struct chart_opts {
	const char	*id;		/* id prefix unique in the page */
	const char	*title;		/* the measure's name */
	const char	*desc;		/* text alternative; NULL: generated */
	const char	*unit;		/* "%", "per 100,000"; NULL: none */
	int		 has_target;
	double		 target;
	long		 target_day;	/* target date, or 0 for none */
	int		 has_baseline;
	double		 baseline;
};

/*
 * Append an <svg> element drawing the series to out.  Points whose value
 * is not finite or beyond +/-1e15, or whose day is outside the years
 * 1-9999, are skipped.  Returns 0, or -1 (appending nothing) when no
 * point is left to draw.
 */
int	chart_svg(struct buf *, const struct chart_opts *,
	    const struct chart_series *, size_t);

/*
 * The smallest "nice" tick step (1, 2 or 5 times a power of ten) that
 * divides span into at most maxticks intervals.  Returns 1 for a span
 * that is not positive and finite.
 */
double	chart_nice_step(double, int);

struct site;
struct out;
struct diags;
/*
 * Write each measure's figures, as drawn in its chart, to data.csv
 * beside its page ("Download the data (CSV)" under the chart): date,
 * value and rating, oldest first.  out NULL: nothing.  0 or -1.
 */
int	chart_csv_write(const struct site *, struct out *, struct diags *);

#endif
