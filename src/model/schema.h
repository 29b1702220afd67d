/*
 * Schemas for YAML maps: which keys a map may have, what each holds,
 * and which are required.  Checking a map against its schema reports
 * every problem at the offending key's file:line:col, with a "did you
 * mean" hint for unknown keys and the list of allowed words for enums.
 *
 * Checking also normalises values in place: booleans become VAL_BOOL,
 * numbers VAL_NUM; dates and times stay text once proven valid.
 */
#ifndef MODEL_SCHEMA_H
#define MODEL_SCHEMA_H

#include <stdbool.h>

struct arena;
struct diags;
struct val;

enum field_type {
	F_STRING,	/* one line of text */
	F_TEXT,		/* text, may span lines */
	F_DATE,		/* YYYY-MM-DD that exists */
	F_TIME,		/* HH:MM, 24-hour */
	F_BOOL,		/* true or false */
	F_NUMBER,	/* decimal number */
	F_DAYS,		/* whole number of working days, 0 to DAYS_MAX */
	F_ENUM,		/* one of field.words */
	F_ID,		/* a reference: lower-case letters, digits, '-' */
	F_URL,		/* http(s), mailto or tel URL (url_classify) */
	F_LINK,		/* any address the URL policy allows */
	F_EMAIL,	/* an e-mail address */
	F_COLOUR,	/* #rrggbb */
	F_LANG,		/* a BCP 47 language tag: en-GB, cy */
	F_LIST,		/* list of field.item */
	F_MAP,		/* map checked against field.schema */
	F_ANY,		/* anything (free-form data for templates) */
};

/*
 * The most working days a rule may name (about a year): a deadline
 * longer than that is a slip of the keyboard, and the site would print
 * it as the rule.
 */
#define DAYS_MAX	250

struct schema;

struct field {
	const char		*name;
	enum field_type		 type;
	bool			 required;
	const char *const	*words;		/* F_ENUM: NULL-terminated */
	const struct field	*item;		/* F_LIST: item type */
	const struct schema	*schema;	/* F_MAP (and list items) */
	const char		*help;		/* one line, for messages */
};

struct schema {
	const char		*what;		/* "meeting", for messages */
	const struct field	*fields;	/* ends with name == NULL */
};

/*
 * Check map m (which must be a VAL_MAP) against s, reporting each
 * problem.  Returns the number of errors found.
 */
unsigned	schema_check(const struct schema *, struct arena *, struct val *,
		    struct diags *);
/* Check one value against one field (used for list items). */
unsigned	schema_check_value(const struct field *, struct arena *,
		    struct val *, struct diags *);

/*
 * After a Lua hook changed m (checked against s before), check again
 * every F_URL and F_LINK value against the URL policy: an unsafe one is
 * an error naming file (the page, or icpgen.yaml), the hook and the
 * key path ("nav[1].url").  Returns the number of errors.
 */
unsigned	schema_check_urls(const struct schema *, const struct val *,
		    const char *, const char *, struct diags *);

#endif
