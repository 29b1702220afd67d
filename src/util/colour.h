/*
 * Colours and WCAG contrast.
 */
#ifndef UTIL_COLOUR_H
#define UTIL_COLOUR_H

#include <stdbool.h>

/* Parse "#rrggbb" or "#rgb" into 0xrrggbb; false if malformed. */
bool	colour_parse(const char *, unsigned *);
/* WCAG 2 relative luminance, 0 (black) to 1 (white). */
double	colour_luminance(unsigned);
/* WCAG 2 contrast ratio of two colours, 1 to 21. */
double	colour_contrast(unsigned, unsigned);

#endif
