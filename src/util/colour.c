/*
 * Colours and WCAG 2 contrast (Understanding SC 1.4.3: relative
 * luminance from linearised sRGB channels).
 */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "colour.h"

bool
colour_parse(const char *s, unsigned *rgb)
{
	size_t		 n = strlen(s), i;
	unsigned	 v = 0, d;

	if (s[0] != '#' || (n != 7 && n != 4))
		return false;
	for (i = 1; i < n; i++) {
		if (!isxdigit((unsigned char)s[i]))
			return false;
		d = (unsigned)(isdigit((unsigned char)s[i]) ? s[i] - '0' :
		    tolower((unsigned char)s[i]) - 'a' + 10);
		v = n == 7 ? v << 4 | d : v << 8 | d << 4 | d;
	}
	*rgb = v;
	return true;
}

static double
channel(unsigned c)
{
	double	v = c / 255.0;

	return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double
colour_luminance(unsigned rgb)
{
	return 0.2126 * channel(rgb >> 16 & 0xff) +
	    0.7152 * channel(rgb >> 8 & 0xff) + 0.0722 * channel(rgb & 0xff);
}

double
colour_contrast(unsigned a, unsigned b)
{
	double	la = colour_luminance(a), lb = colour_luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
