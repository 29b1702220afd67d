/*
 * Text helpers with no library dependencies: "did you mean" hints,
 * content hashes, slugs, relative paths, and calendar dates.
 */
#ifndef UTIL_TEXT_H
#define UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* Edit distance between two strings (Levenshtein, bytes). */
size_t		 text_distance(const char *, const char *);
/*
 * The candidate nearest to word, or NULL if none is close enough to be
 * a plausible typo.  candidates is NULL-terminated.
 */
const char	*text_suggest(const char *, const char *const *);

/*
 * Whether s (n bytes) has a character that shows: not only spaces of
 * any kind, separators, controls and format characters.
 */
bool		 text_visible(const char *, size_t);
/* Whether string s ends with x. */
bool		 text_has_suffix(const char *, const char *);
/* Whether s has the shape of a BCP 47 language tag (en-GB, cy). */
bool		 text_lang_ok(const char *);
/*
 * The script subtag of language tag s when it is the script its
 * language is written in anyway (ur-Arab-PK: "Arab"), else NULL.
 */
const char	*text_lang_usual_script(const char *);
/* Whether a language tag's text is written right to left (ur, ar). */
bool		 text_lang_rtl(const char *);
/* The value of a hexadecimal digit (either case), or -1. */
int		 text_hexval(int);
/*
 * The digits of v in base (2 to 10), written to end just before end:
 * where the first is.  At most 64 of them.  Numbers without printf.
 */
char		*text_digits(char *end, unsigned long long v, unsigned base);

/* 64-bit FNV-1a hash, for cache-busting asset names. */
uint64_t	 text_hash(const void *, size_t);
/*
 * The checksum of a cache file's contents (CRC-32, as zlib computes it:
 * several times faster than text_hash over megabytes), which finds a
 * file damaged or cut short.  Not for tables: it is no hash.
 */
uint64_t	 text_sum(const void *, size_t);

/*
 * Append a URL slug (an id or anchor) for text: the text in NFC, so
 * composed and decomposed "café" agree; letters, digits and marks in
 * lower case; apostrophes (' and ’) dropped; every other run of
 * characters (spaces, punctuation, dashes, quotes) one hyphen, none at
 * either end.  "Children’s services — 2025" gives
 * "childrens-services-2025".
 */
void		 text_slug(struct buf *, const char *, size_t);

/*
 * Resolve rel against the directory of from (both site-relative, with
 * '/' separators) into out, removing "." and ".." segments.  Returns
 * false if the path climbs above the site root.
 */
bool		 text_join_path(struct buf *, const char *, const char *,
		    size_t);

/*
 * A calendar date.  text_parse_date() accepts exactly YYYY-MM-DD and
 * checks the day exists; it returns false otherwise.
 */
struct date {
	int	 year, month, day;
};

bool		 text_parse_date(const char *, struct date *);
/* Parse "HH:MM" (24-hour); returns minutes since midnight or -1. */
int		 text_parse_time(const char *);
/* Day of the week, 0 = Monday. */
int		 text_weekday(const struct date *);
/* Days since 1970-01-01. */
long		 text_days(const struct date *);
void		 text_date_from_days(long, struct date *);
/* "Tuesday 7 December 2021" */
void		 text_fmt_date(struct buf *, const struct date *, bool);
/* "2pm", "10:30am", "midday" (GOV.UK style) from minutes since midnight */
void		 text_fmt_time(struct buf *, int);

#endif
