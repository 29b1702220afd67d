/*
 * Check iCalendar files with libical, for tests/feeds.sh (built by the
 * script, not by the Makefile):
 *
 *	ical_check FILE...
 *
 * Each file must parse as one VCALENDAR, pass libical's restriction
 * check for its METHOD, and give every VEVENT a UID, DTSTART and
 * DTSTAMP, end after it starts, and name only time zones that the
 * file defines in a VTIMEZONE (libical would quietly use its own).  For
 * each event it prints one line:
 *
 *	FILE<TAB>UID<TAB>DTSTART<TAB>STATUS<TAB>SUMMARY
 *
 * where DTSTART is in UTC ("20260408T130000Z") for timed events, so the
 * caller can check the time zone rules, or the date of all-day events.
 * Problems go to stderr; the exit status is 1 if there were any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libical/ical.h>

static int	problems;
static char	zones[16][64];	/* TZIDs of the file's VTIMEZONEs */
static int	nzones;

static void
problem(const char *file, const char *what, const char *detail)
{
	fprintf(stderr, "%s: %s%s%s\n", file, what, detail ? ": " : "",
	    detail ? detail : "");
	problems++;
}

static char *
slurp(const char *path)
{
	FILE	*f = fopen(path, "rb");
	char	*s;
	long	 n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	if ((s = calloc(1, (size_t)n + 1)) == NULL ||
	    fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	return s;
}

/* Report the X-LIC-ERROR properties libical left in c and below it. */
static void
errors(const char *file, icalcomponent *c)
{
	icalproperty	*p;
	icalcomponent	*k;

	for (p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	    p != NULL;
	    p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY))
		problem(file, "libical", icalproperty_get_xlicerror(p));
	for (k = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	    k != NULL;
	    k = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		errors(file, k);
}

/* Whether the TZID of property p, if any, is one the file defines. */
static void
zone_known(const char *file, icalproperty *p)
{
	icalparameter	*tz;
	const char	*tzid;
	int		 i;

	if (p == NULL || (tz = icalproperty_get_first_parameter(p,
	    ICAL_TZID_PARAMETER)) == NULL)
		return;
	tzid = icalparameter_get_tzid(tz);
	for (i = 0; i < nzones; i++)
		if (strcmp(zones[i], tzid) == 0)
			return;
	problem(file, "TZID without a VTIMEZONE", tzid);
}

static void
event(const char *file, icalcomponent *ev)
{
	static const struct {
		icalproperty_kind	 kind;
		const char		*name;
	} need[] = {
		{ ICAL_UID_PROPERTY, "UID" },
		{ ICAL_DTSTART_PROPERTY, "DTSTART" },
		{ ICAL_DTSTAMP_PROPERTY, "DTSTAMP" },
	};
	struct icaltimetype	 t, e;
	icalproperty		*p, *q;
	const char		*uid, *sum;
	char			 start[32];
	size_t			 i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if (icalcomponent_get_first_property(ev, need[i].kind) == NULL)
			problem(file, "VEVENT without", need[i].name);
	uid = icalcomponent_get_uid(ev);
	sum = icalcomponent_get_summary(ev);
	p = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
	q = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
	zone_known(file, p);
	zone_known(file, q);
	start[0] = '\0';
	if (p != NULL) {
		t = icalcomponent_get_dtstart(ev);
		if (q != NULL) {
			e = icalcomponent_get_dtend(ev);
			if (icaltime_compare(e, t) <= 0)
				problem(file, "DTEND is not after DTSTART",
				    uid);
		}
		if (!t.is_date && t.zone != NULL)
			t = icaltime_convert_to_zone(t,
			    icaltimezone_get_utc_timezone());
		snprintf(start, sizeof(start), "%s",
		    icaltime_as_ical_string(t));
		if (!t.is_date && t.zone != NULL &&
		    strchr(start, 'Z') == NULL)
			strncat(start, "Z", sizeof(start) - strlen(start) - 1);
	}
	printf("%s\t%s\t%s\t%s\t%s\n", file, uid ? uid : "", start,
	    icalproperty_status_to_string(icalcomponent_get_status(ev)),
	    sum ? sum : "");
}

static void
check(const char *file)
{
	icalcomponent	*c, *ev;
	char		*text = slurp(file);
	int		 before = problems;

	if (text == NULL) {
		problem(file, "cannot read the file", NULL);
		return;
	}
	c = icalparser_parse_string(text);
	free(text);
	if (c == NULL || icalcomponent_isa(c) != ICAL_VCALENDAR_COMPONENT) {
		problem(file, "does not parse as one VCALENDAR", NULL);
		if (c != NULL)
			icalcomponent_free(c);
		return;
	}
	nzones = 0;
	for (ev = icalcomponent_get_first_component(c,
	    ICAL_VTIMEZONE_COMPONENT); ev != NULL && nzones < 16;
	    ev = icalcomponent_get_next_component(c,
	    ICAL_VTIMEZONE_COMPONENT)) {
		icalproperty *p = icalcomponent_get_first_property(ev,
		    ICAL_TZID_PROPERTY);

		if (p != NULL)
			snprintf(zones[nzones++], sizeof(zones[0]), "%s",
			    icalproperty_get_tzid(p));
	}
	errors(file, c);
	if (!icalrestriction_check(c)) {
		errors(file, c);
		if (problems == before)
			problem(file, "fails libical's restriction check",
			    NULL);
	}
	for (ev = icalcomponent_get_first_component(c, ICAL_VEVENT_COMPONENT);
	    ev != NULL;
	    ev = icalcomponent_get_next_component(c, ICAL_VEVENT_COMPONENT))
		event(file, ev);
	icalcomponent_free(c);
}

int
main(int argc, char *argv[])
{
	int	i;

	if (argc < 2) {
		fputs("usage: ical_check file...\n", stderr);
		return 2;
	}
	for (i = 1; i < argc; i++)
		check(argv[i]);
	return problems > 0;
}
