/*
 * Text helpers.  Slugs go through utf8proc (NFC, Unicode categories,
 * lower case); this is the only file that includes it.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <utf8proc.h>
#include <zlib.h>

#include "buf.h"
#include "mem.h"
#include "text.h"
#include "utf8.h"

size_t
text_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j, d, *m;

	if (la > 64 || lb > 64)		/* hints are for short names only */
		return (size_t)-1;
	/* Optimal string alignment: a swap of neighbours is one edit. */
	m = xcalloc((la + 1) * (lb + 1), sizeof(*m));
#define M(x, y)	m[(x) * (lb + 1) + (y)]
	for (i = 0; i <= la; i++)
		M(i, 0) = i;
	for (j = 0; j <= lb; j++)
		M(0, j) = j;
	for (i = 1; i <= la; i++)
		for (j = 1; j <= lb; j++) {
			d = M(i - 1, j - 1) + (a[i - 1] != b[j - 1]);
			if (M(i - 1, j) + 1 < d)
				d = M(i - 1, j) + 1;
			if (M(i, j - 1) + 1 < d)
				d = M(i, j - 1) + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && M(i - 2, j - 2) + 1 < d)
				d = M(i - 2, j - 2) + 1;
			M(i, j) = d;
		}
	d = M(la, lb);
#undef M
	free(m);
	return d;
}

const char *
text_suggest(const char *word, const char *const *cands)
{
	const char	*best = NULL;
	size_t		 bestd = (size_t)-1, d, limit;

	limit = strlen(word) / 3 + 1;	/* one typo in three letters */
	if (limit > 3)
		limit = 3;
	for (; *cands != NULL; cands++) {
		d = text_distance(word, *cands);
		if (d < bestd) {
			bestd = d;
			best = *cands;
		}
	}
	return bestd <= limit ? best : NULL;
}

int
text_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
text_digits(char *end, unsigned long long v, unsigned base)
{
	do
		*--end = (char)('0' + v % base);
	while ((v /= base) != 0);
	return end;
}

uint64_t
text_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t	 h = 0xcbf29ce484222325ULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t
text_sum(const void *p, size_t n)
{
	return crc32_z(crc32_z(0, Z_NULL, 0), p, n);
}

/* Apostrophes vanish from slugs: "Children’s" gives "childrens". */
static bool
apostrophe(utf8proc_int32_t cp)
{
	return cp == '\'' || cp == '`' || cp == 0x2018 || cp == 0x2019 ||
	    cp == 0x02bc;
}

/* Letters, digits and combining marks are kept in slugs. */
static bool
word_char(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT: case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ME:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return true;
	default:
		return false;
	}
}

void
text_slug(struct buf *out, const char *s, size_t n)
{
	struct buf		 in;
	utf8proc_uint8_t	*nfc = NULL;
	utf8proc_ssize_t	 len, i = 0, k;
	utf8proc_int32_t	 cp;
	size_t			 start = out->len;
	char			 u[4];
	bool			 dash = false;

	buf_init(&in);
	utf8_put_valid(&in, s, n);	/* utf8proc refuses bad UTF-8 */
	len = utf8proc_map((const utf8proc_uint8_t *)in.data,
	    (utf8proc_ssize_t)in.len, &nfc, UTF8PROC_STABLE |
	    UTF8PROC_COMPOSE);
	buf_free(&in);
	if (len < 0)
		return;		/* out of memory or a NUL: no slug */
	while (i < len) {
		k = utf8proc_iterate(nfc + i, len - i, &cp);
		if (k <= 0)
			break;
		i += k;
		if (apostrophe(cp))
			continue;
		if (!word_char(cp)) {
			dash = true;
			continue;
		}
		if (dash && out->len > start)
			buf_putc(out, '-');
		dash = false;
		buf_put(out, u, utf8_encode((uint32_t)utf8proc_tolower(cp),
		    u));
	}
	free(nfc);
}

bool
text_join_path(struct buf *out, const char *from, const char *rel, size_t n)
{
	const char	*slash, *seg, *end = rel + n;
	size_t		 len;

	buf_reset(out);
	if (n > 0 && rel[0] == '/') {
		rel++;
	} else if ((slash = strrchr(from, '/')) != NULL)
		buf_put(out, from, (size_t)(slash - from));
	while (rel < end) {
		seg = rel;
		while (rel < end && *rel != '/')
			rel++;
		len = (size_t)(rel - seg);
		if (rel < end)
			rel++;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (out->len == 0)
				return false;
			slash = strrchr(out->data, '/');
			buf_truncate(out, slash ? (size_t)(slash - out->data)
			    : 0);
			continue;
		}
		if (out->len > 0)
			buf_putc(out, '/');
		buf_put(out, seg, len);
	}
	return true;
}

static bool
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
mdays(int y, int m)
{
	static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

bool
text_parse_date(const char *s, struct date *d)
{
	int	i;

	for (i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    (s[i] < '0' || s[i] > '9'))
			return false;
	if (s[10] != '\0')
		return false;
	d->year = atoi(s);
	d->month = atoi(s + 5);
	d->day = atoi(s + 8);
	return d->year >= 1900 && d->month >= 1 && d->month <= 12 &&
	    d->day >= 1 && d->day <= mdays(d->year, d->month);
}

int
text_parse_time(const char *s)
{
	int	h, m;

	if (strlen(s) != 5 || s[2] != ':' ||
	    s[0] < '0' || s[0] > '2' || s[1] < '0' || s[1] > '9' ||
	    s[3] < '0' || s[3] > '5' || s[4] < '0' || s[4] > '9')
		return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	return h < 24 ? h * 60 + m : -1;
}

/* Days from civil, after the well-known era-based algorithm. */
long
text_days(const struct date *d)
{
	long	y = d->year - (d->month <= 2);
	long	era = (y >= 0 ? y : y - 399) / 400;
	long	yoe = y - era * 400;
	long	mp = (d->month + 9) % 12;
	long	doy = (153 * mp + 2) / 5 + d->day - 1;
	long	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
text_date_from_days(long z, struct date *d)
{
	long	era, doe, yoe, y, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d->day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->year = (int)(y + (d->month <= 2));
}

int
text_weekday(const struct date *d)
{
	long	n = text_days(d);	/* 1970-01-01 was a Thursday */

	return (int)(((n % 7) + 7 + 3) % 7);
}

static const char *const months[] = { "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October",
    "November", "December" };
static const char *const weekdays[] = { "Monday", "Tuesday", "Wednesday",
    "Thursday", "Friday", "Saturday", "Sunday" };

void
text_fmt_date(struct buf *b, const struct date *d, bool weekday)
{
	if (weekday)
		buf_printf(b, "%s ", weekdays[text_weekday(d)]);
	buf_printf(b, "%d %s %d", d->day, months[d->month - 1], d->year);
}

void
text_fmt_time(struct buf *b, int mins)
{
	int	h = mins / 60, m = mins % 60, h12;

	if (mins == 12 * 60) {
		buf_puts(b, "midday");
		return;
	}
	if (mins == 0) {
		buf_puts(b, "midnight");
		return;
	}
	h12 = h % 12 == 0 ? 12 : h % 12;
	if (m == 0)
		buf_printf(b, "%d%s", h12, h < 12 ? "am" : "pm");
	else
		buf_printf(b, "%d:%02d%s", h12, m, h < 12 ? "am" : "pm");
}

/*
 * Whether s holds a character that shows: not a space of any kind
 * (U+00A0 and the other Zs), a line or paragraph separator, a control
 * or a format character (U+200B, U+FEFF ...).  Malformed UTF-8 shows
 * (as U+FFFD).
 */
bool
text_visible(const char *s, size_t n)
{
	utf8proc_int32_t	 c;
	utf8proc_ssize_t	 k;
	utf8proc_category_t	 cat;
	size_t			 i;

	for (i = 0; i < n; i += (size_t)k) {
		k = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(n - i), &c);
		if (k <= 0)
			return true;
		cat = utf8proc_category(c);
		if (cat != UTF8PROC_CATEGORY_ZS && cat != UTF8PROC_CATEGORY_ZL &&
		    cat != UTF8PROC_CATEGORY_ZP && cat != UTF8PROC_CATEGORY_CC &&
		    cat != UTF8PROC_CATEGORY_CF)
			return true;
	}
	return false;
}

/* How many ASCII letters s starts with. */
static size_t
alpha_run(const char *s)
{
	size_t	n;

	for (n = 0; (s[n] | 32) >= 'a' && (s[n] | 32) <= 'z'; n++)
		continue;
	return n;
}

/*
 * A language tag of the shape pages need from BCP 47: a language of 2
 * or 3 letters, then optionally a script of 4 letters and a region of
 * 2 letters or 3 digits (en-GB, cy, pa-Guru-IN, es-419).  Variants,
 * extensions and private use, which checkers refuse in short forms,
 * are not taken.
 */
bool
text_lang_ok(const char *s)
{
	size_t	n = alpha_run(s);

	if (n != 2 && n != 3)
		return false;
	s += n;
	if (*s == '-' && alpha_run(s + 1) == 4 && (s[5] == '-' ||
	    s[5] == '\0'))
		s += 5;				/* script */
	if (*s == '-' && ((alpha_run(s + 1) == 2 && s[3] == '\0') ||
	    (strspn(s + 1, "0123456789") == 3 && s[4] == '\0')))
		s += strlen(s);			/* region */
	return *s == '\0';
}

/*
 * The script each language is written in unless a tag says otherwise
 * (the Suppress-Script field of the IANA language subtag registry): a
 * tag that names it (cy-Latn, ur-Arab-PK) is refused by HTML checkers.
 */
static const struct {
	const char	*script;
	const char	*langs;		/* " xx yy zzz " */
} usual_scripts[] = {
	{ "Arab", " ar fa ps ur " },
	{ "Armn", " hy " },
	{ "Beng", " as bn " },
	{ "Blis", " zbl " },
	{ "Cyrl", " ab be bg kk mk ru uk " },
	{ "Deva", " hi kok mai mr ne " },
	{ "Ethi", " am ti " },
	{ "Geor", " ka " },
	{ "Grek", " el " },
	{ "Gujr", " gu " },
	{ "Guru", " pa " },
	{ "Hebr", " he yi " },
	{ "Jpan", " ja " },
	{ "Khmr", " km " },
	{ "Knda", " kn " },
	{ "Kore", " ko " },
	{ "Laoo", " lo " },
	{ "Latn", " af ay ca ch cs cy da de dsb en eo es et eu fi fj "
	    "fo fr frr frs fy ga gl gn gsw gv hr hsb ht hu id "
	    "is it kl la lb ln lt lv men mg mh ms mt na nb nd "
	    "nds niu nl nn no nr nso ny om pl pt qu rm rn ro rw "
	    "sg sk sl sm so sq ss st sv sw tem tkl tl tmh tn to "
	    "tpi tr ts tvl ve vi xh zu " },
	{ "Mlym", " ml " },
	{ "Mymr", " my " },
	{ "Nkoo", " nqo " },
	{ "Orya", " or " },
	{ "Sinh", " si " },
	{ "Taml", " ta " },
	{ "Telu", " te " },
	{ "Thaa", " dv " },
	{ "Thai", " th " },
	{ "Tibt", " dz " },
};

const char *
text_lang_usual_script(const char *s)
{
	char	 lang[6];	/* " xxx " */
	size_t	 n = alpha_run(s), i, k;

	if ((n != 2 && n != 3) || s[n] != '-' || alpha_run(s + n + 1) != 4 ||
	    (s[n + 5] != '-' && s[n + 5] != '\0'))
		return NULL;
	lang[0] = ' ';
	for (k = 0; k < n; k++)
		lang[k + 1] = (char)tolower((unsigned char)s[k]);
	lang[n + 1] = ' ';
	lang[n + 2] = '\0';
	for (i = 0; i < sizeof(usual_scripts) / sizeof(usual_scripts[0]); i++)
		if (strncasecmp(s + n + 1, usual_scripts[i].script, 4) == 0 &&
		    strstr(usual_scripts[i].langs, lang) != NULL)
			return usual_scripts[i].script;
	return NULL;
}

/*
 * Whether text in language tag s is written right to left: its script
 * subtag if it has one (Arab, Hebr, Thaa, Syrc, Nkoo, Adlm, Rohg), else
 * its language (Arabic, Urdu, Persian and Dari, Pashto, Sindhi, Sorani
 * Kurdish, Hebrew, Yiddish, Dhivehi, Uyghur, Kashmiri, Syriac, Aramaic,
 * Western Punjabi, Saraiki, Balochi and others written in Arabic
 * script by default).
 */
bool
text_lang_rtl(const char *s)
{
	static const char *const rtl_scripts[] = { "arab", "hebr", "thaa",
	    "syrc", "nkoo", "adlm", "rohg", NULL };
	static const char *const rtl_langs[] = { "ar", "ur", "fa", "ps",
	    "sd", "ckb", "he", "iw", "yi", "dv", "ug", "ks", "syr", "arc",
	    "prs", "pnb", "skr", "bal", "azb", "lrc", "mzn", "glk",
	    NULL };
	const char	*p;
	size_t		 i, n;

	for (p = strchr(s, '-'); p != NULL; p = strchr(p + 1, '-')) {
		n = strcspn(p + 1, "-");
		if (n != 4)
			continue;
		for (i = 0; rtl_scripts[i] != NULL; i++)
			if (strncasecmp(p + 1, rtl_scripts[i], 4) == 0)
				return true;
		return false;	/* a script, written left to right */
	}
	n = strcspn(s, "-");
	for (i = 0; rtl_langs[i] != NULL; i++)
		if (strlen(rtl_langs[i]) == n &&
		    strncasecmp(s, rtl_langs[i], n) == 0)
			return true;
	return false;
}

bool
text_has_suffix(const char *s, const char *x)
{
	size_t	n = strlen(s), m = strlen(x);

	return n >= m && strcmp(s + n - m, x) == 0;
}
