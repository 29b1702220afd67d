/*
 * Schemas of the configuration and of content files.
 */
#include <stddef.h>

#include "model/content.h"
#include "model/kind.h"

#define END	{ NULL, F_ANY, false, NULL, NULL, NULL, NULL }

static const struct field f_string = { "item", F_STRING, false, NULL, NULL,
    NULL, NULL };
static const struct field f_id = { "item", F_ID, false, NULL, NULL, NULL,
    NULL };

/* --- configuration -------------------------------------------------- */

/* Declared history: published before the site's git history began. */
static const struct field f_day = { "day", F_DATE, false, NULL, NULL, NULL,
    "e.g. 2025-03-12" };
#define DECLARED_FIELDS \
	{ "published", F_DATE, false, NULL, NULL, NULL, "e.g. 2025-03-12" }, \
	{ "published_source", F_STRING, false, NULL, NULL, NULL, NULL }

static const struct field contact_fields[] = {
	{ "email", F_EMAIL, false, NULL, NULL, NULL, NULL },
	{ "phone", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "address", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "url", F_URL, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema contact = { "contact details", contact_fields };

static const struct field brand_fields[] = {
	{ "colour", F_COLOUR, false, NULL, NULL, NULL, NULL },
	{ "logo", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "logo_alt", F_STRING, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema brand = { "brand", brand_fields };

static const struct field link_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "url", F_LINK, true, NULL, NULL, NULL, NULL },
	END
};
static const struct schema link = { "link", link_fields };
static const struct field f_link = { "link", F_MAP, false, NULL, NULL,
    &link, NULL };

static const struct field a11y_fields[] = {
	{ "compliance", F_ENUM, false,
	    (const char *const[]){ "full", "partial", "none", NULL }, NULL,
	    NULL, NULL },
	{ "known_issues", F_LIST, false, NULL, &f_string, NULL, NULL },
	{ "prepared", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "reviewed", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "response_days", F_DAYS, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema a11y = { "accessibility", a11y_fields };

static const struct field config_fields[] = {
	{ "name", F_STRING, true, NULL, NULL, NULL,
	    "the partnership's name" },
	{ "short_name", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "base_url", F_URL, true, NULL, NULL, NULL,
	    "the address the site is published at" },
	{ "language", F_LANG, false, NULL, NULL, NULL, NULL },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "theme", F_ID, false, NULL, NULL, NULL, NULL },
	{ "organisation", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "area", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "contact", F_MAP, false, NULL, NULL, &contact, NULL },
	{ "brand", F_MAP, false, NULL, NULL, &brand, NULL },
	{ "nav", F_LIST, false, NULL, &f_link, NULL, NULL },
	{ "footer_links", F_LIST, false, NULL, &f_link, NULL, NULL },
	{ "accessibility", F_MAP, false, NULL, NULL, &a11y, NULL },
	{ "publication_days", F_DAYS, false, NULL, NULL, NULL, NULL },
	{ "holidays", F_LIST, false, NULL, &f_day, NULL, NULL },
	{ "history_messages", F_BOOL, false, NULL, NULL, NULL, NULL },
	{ "theme_variables", F_ANY, false, NULL, NULL, NULL, NULL },
	{ "content_security_policy", F_ANY, false, NULL, NULL, NULL,
	    "sources to add, checked by render/csp.c" },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_config = { "icpgen.yaml", config_fields };

/* --- content ---------------------------------------------------------- */

const char *const content_meeting_status[] = { "scheduled", "held",
    "cancelled", "postponed", NULL };
const char *const content_item_purpose[] = { "decision", "approval",
    "discussion", "assurance", "information", NULL };

static const struct field page_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "order", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	DECLARED_FIELDS,
	{ "language", F_LANG, false, NULL, NULL, NULL,
	    "the language of its text, when not the site's" },
	END
};
const struct schema content_page = { "page", page_fields };

static const struct field news_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "date", F_DATE, true, NULL, NULL, NULL, "e.g. 2025-03-12" },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	{ "language", F_LANG, false, NULL, NULL, NULL,
	    "the language of its text, when not the site's" },
	END
};
const struct schema content_news = { "news post", news_fields };

const char *const content_member_role[] = { "chair", "co-chair",
    "vice-chair", "member", "adviser", "observer", NULL };

static const struct field member_fields[] = {
	{ "person", F_ID, true, NULL, NULL, NULL, "a file in people/" },
	{ "role", F_ENUM, false, content_member_role, NULL, NULL, NULL },
	{ "from", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "to", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "voting", F_BOOL, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema member_schema = { "committee member",
    member_fields };
static const struct field f_member = { "member", F_MAP, false, NULL, NULL,
    &member_schema, NULL };

static const struct field committee_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "short_name", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "order", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "members", F_LIST, false, NULL, &f_member, NULL, NULL },
	{ "quorum", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "public_attendance", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "questions", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "question_days", F_DAYS, false, NULL, NULL, NULL, NULL },
	{ "terms_of_reference", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};

/* --- the public record ------------------------------------------------ */

const char *const content_org_type[] = { "icb", "council", "nhs-trust",
    "primary-care", "healthwatch", "vcse", "public-service", "other", NULL };

static const struct field org_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "short_name", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "type", F_ENUM, false, content_org_type, NULL, NULL, NULL },
	{ "website", F_URL, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_organisation = { "organisation", org_fields };

const char *const content_interest_kind[] = { "financial", "non-financial",
    "family", "other", NULL };

static const struct field interest_fields[] = {
	{ "interest", F_TEXT, true, NULL, NULL, NULL, NULL },
	{ "kind", F_ENUM, false, content_interest_kind, NULL, NULL, NULL },
	{ "from", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "to", F_DATE, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema interest_schema = { "interest",
    interest_fields };
static const struct field f_interest = { "interest", F_MAP, false, NULL,
    NULL, &interest_schema, NULL };

/* A role a person held, with when (for the role at a meeting's date). */
static const struct field past_role_fields[] = {
	{ "role", F_STRING, true, NULL, NULL, NULL,
	    "e.g. Director of Public Health" },
	{ "organisation", F_ID, false, NULL, NULL, NULL, NULL },
	{ "from", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "to", F_DATE, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema past_role_schema = { "role", past_role_fields };
static const struct field f_past_role = { "role", F_MAP, false, NULL,
    NULL, &past_role_schema, NULL };

static const struct field person_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, "the person's name" },
	{ "role", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "organisation", F_ID, false, NULL, NULL, NULL, NULL },
	{ "represents", F_ID, false, NULL, NULL, NULL, NULL },
	{ "roles", F_LIST, false, NULL, &f_past_role, NULL, NULL },
	{ "interests_url", F_URL, false, NULL, NULL, NULL, NULL },
	{ "interests", F_LIST, false, NULL, &f_interest, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_person = { "person", person_fields };

const char *const content_minutes_status[] = { "draft", "approved", NULL };
const char *const content_decision_type[] = { "agreed", "approved",
    "endorsed", "noted", "deferred", "rejected", NULL };
const char *const content_action_status[] = { "open", "in-progress",
    "done", "dropped", NULL };

static const struct field attend_fields[] = {
	{ "person", F_ID, false, NULL, NULL, NULL, NULL },
	{ "name", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "role", F_STRING, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema attend_schema = { "attendee", attend_fields };
static const struct field f_attend = { "attendee", F_MAP, false, NULL, NULL,
    &attend_schema, NULL };

static const struct field subst_fields[] = {
	{ "person", F_ID, true, NULL, NULL, NULL, NULL },
	{ "for", F_ID, true, NULL, NULL, NULL, NULL },
	END
};
static const struct schema subst_schema = { "substitute", subst_fields };
static const struct field f_subst = { "substitute", F_MAP, false, NULL, NULL,
    &subst_schema, NULL };

static const struct field decl_fields[] = {
	{ "person", F_ID, true, NULL, NULL, NULL, NULL },
	{ "item", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "interest", F_TEXT, true, NULL, NULL, NULL, NULL },
	{ "action", F_TEXT, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema decl_schema = { "declaration", decl_fields };
static const struct field f_decl = { "declaration", F_MAP, false, NULL,
    NULL, &decl_schema, NULL };

static const struct field decision_fields[] = {
	{ "resolution", F_TEXT, true, NULL, NULL, NULL, NULL },
	{ "type", F_ENUM, false, content_decision_type, NULL, NULL, NULL },
	END
};
static const struct schema decision_schema = { "decision",
    decision_fields };
static const struct field f_decision = { "decision", F_MAP, false, NULL,
    NULL, &decision_schema, NULL };

static const struct field action_fields[] = {
	{ "id", F_STRING, true, NULL, NULL, NULL, "unique, e.g. A-2025-03-1" },
	{ "action", F_TEXT, true, NULL, NULL, NULL, NULL },
	{ "owner", F_ID, true, NULL, NULL, NULL, "a file in people/" },
	{ "due", F_DATE, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema action_schema = { "action", action_fields };
static const struct field f_action = { "action", F_MAP, false, NULL, NULL,
    &action_schema, NULL };

static const struct field mitem_fields[] = {
	{ "number", F_STRING, true, NULL, NULL, NULL, "the agenda number" },
	{ "minute", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "decisions", F_LIST, false, NULL, &f_decision, NULL, NULL },
	{ "actions", F_LIST, false, NULL, &f_action, NULL, NULL },
	END
};
static const struct schema mitem_schema = { "minuted item", mitem_fields };
static const struct field f_mitem = { "item", F_MAP, false, NULL, NULL,
    &mitem_schema, NULL };

static const struct field update_fields[] = {
	{ "action", F_STRING, true, NULL, NULL, NULL, "the action's id" },
	{ "status", F_ENUM, true, content_action_status, NULL, NULL, NULL },
	{ "note", F_TEXT, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema update_schema = { "action update",
    update_fields };
static const struct field f_update = { "update", F_MAP, false, NULL, NULL,
    &update_schema, NULL };

static const struct field minutes_fields[] = {
	{ "status", F_ENUM, true, content_minutes_status, NULL, NULL, NULL },
	{ "approved_at", F_ID, false, NULL, NULL, NULL, NULL },
	{ "present", F_LIST, false, NULL, &f_id, NULL, NULL },
	{ "in_attendance", F_LIST, false, NULL, &f_attend, NULL, NULL },
	{ "apologies", F_LIST, false, NULL, &f_id, NULL, NULL },
	{ "substitutes", F_LIST, false, NULL, &f_subst, NULL, NULL },
	{ "quorate", F_BOOL, false, NULL, NULL, NULL, NULL },
	{ "declarations", F_LIST, false, NULL, &f_decl, NULL, NULL },
	{ "items", F_LIST, false, NULL, &f_mitem, NULL, NULL },
	{ "action_updates", F_LIST, false, NULL, &f_update, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	DECLARED_FIELDS,
	END
};
const struct schema content_minutes = { "minutes", minutes_fields };

const char *const content_question_status[] = { "received", "answered",
    "withdrawn", "referred", NULL };

static const struct field question_fields[] = {
	{ "question", F_TEXT, true, NULL, NULL, NULL, NULL },
	{ "received", F_DATE, true, NULL, NULL, NULL, NULL },
	{ "asked_by", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "meeting", F_ID, false, NULL, NULL, NULL, NULL },
	{ "item", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "status", F_ENUM, true, content_question_status, NULL, NULL, NULL },
	{ "answered_by", F_ID, false, NULL, NULL, NULL, NULL },
	{ "answered_on", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "title", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_question = { "question",
    question_fields };

const char *const content_rag[] = { "on-track", "at-risk", "off-track",
    "no-data", NULL };

static const struct field point_fields[] = {
	{ "date", F_DATE, true, NULL, NULL, NULL, NULL },
	{ "value", F_NUMBER, true, NULL, NULL, NULL, NULL },
	END
};
static const struct schema point_schema = { "point", point_fields };
static const struct field f_point = { "point", F_MAP, false, NULL, NULL,
    &point_schema, NULL };

static const struct field value_fields[] = {
	{ "date", F_DATE, true, NULL, NULL, NULL, NULL },
	{ "value", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "rag", F_ENUM, true, content_rag, NULL, NULL, NULL },
	{ "reason", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "narrative", F_TEXT, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema value_schema = { "measure value", value_fields };
static const struct field f_value = { "value", F_MAP, false, NULL, NULL,
    &value_schema, NULL };

static const struct field measure_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "priority", F_ID, true, NULL, NULL, NULL, "a file in strategy/" },
	{ "definition", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "unit", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "higher_is_better", F_BOOL, true, NULL, NULL, NULL,
	    "true or false" },
	{ "source", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "min", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "max", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "baseline", F_MAP, false, NULL, NULL, &point_schema, NULL },
	{ "target", F_MAP, false, NULL, NULL, &point_schema, NULL },
	{ "trajectory", F_LIST, false, NULL, &f_point, NULL, NULL },
	{ "values", F_LIST, false, NULL, &f_value, NULL, NULL },
	{ "order", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_measure = { "measure", measure_fields };
const struct schema content_committee = { "committee",
    committee_fields };

static const struct field item_fields[] = {
	{ "number", F_STRING, true, NULL, NULL, NULL, "e.g. '4'" },
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "purpose", F_ENUM, false, content_item_purpose, NULL, NULL, NULL },
	{ "presenter", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "summary", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "recommendation", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "papers", F_LIST, false, NULL, &f_id, NULL, NULL },
	{ "exempt", F_BOOL, false, NULL, NULL, NULL, NULL },
	{ "exempt_reason", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "forward_plan", F_ID, false, NULL, NULL, NULL,
	    "the id of a file in forward-plan/" },
	END
};
static const struct schema item_schema = { "agenda item", item_fields };
static const struct field f_item = { "agenda item", F_MAP, false, NULL,
    NULL, &item_schema, NULL };

static const struct field meeting_fields[] = {
	{ "title", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "committee", F_ID, true, NULL, NULL, NULL,
	    "the id of a file in committees/" },
	{ "date", F_DATE, true, NULL, NULL, NULL, "e.g. 2025-03-12" },
	{ "start", F_TIME, false, NULL, NULL, NULL, NULL },
	{ "end", F_TIME, false, NULL, NULL, NULL, NULL },
	{ "status", F_ENUM, false, content_meeting_status, NULL, NULL, NULL },
	{ "status_reason", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "new_date", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "venue", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "access", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "online", F_URL, false, NULL, NULL, NULL, NULL },
	{ "recording", F_URL, false, NULL, NULL, NULL, NULL },
	{ "question_deadline", F_DATE, false, NULL, NULL, NULL, NULL },
	{ "agenda", F_LIST, false, NULL, &f_item, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_meeting = { "meeting", meeting_fields };

static const struct field attach_fields[] = {
	{ "file", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	END
};
static const struct schema attach_schema = { "attachment", attach_fields };
static const struct field f_attach = { "attachment", F_MAP, false, NULL,
    NULL, &attach_schema, NULL };

static const struct field paper_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "item", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "author", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "summary", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "attachments", F_LIST, false, NULL, &f_attach, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	DECLARED_FIELDS,
	{ "language", F_LANG, false, NULL, NULL, NULL,
	    "the language of its text, when not the site's" },
	END
};
const struct schema content_paper = { "paper", paper_fields };

static const struct field priority_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "lead", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "summary", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "order", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_priority = { "strategy priority",
    priority_fields };

const struct schema *
content_schema(enum page_kind k)
{
	return kind_get(k)->schema;
}

/* --- forward plan ----------------------------------------------------- */

/* "taken" is not here: it is derived from the agenda that names it. */
const char *const content_plan_status[] = { "planned", "moved", "deferred",
    "withdrawn", NULL };
static const char *const plan_purpose[] = { "decision", "assurance",
    "information", "discussion", NULL };

static const struct field plan_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "committee", F_ID, true, NULL, NULL, NULL,
	    "the id of a file in committees/" },
	{ "meeting", F_ID, false, NULL, NULL, NULL,
	    "the id of a folder in meetings/" },
	{ "month", F_STRING, false, NULL, NULL, NULL, "e.g. 2027-03" },
	{ "purpose", F_ENUM, false, plan_purpose, NULL, NULL, NULL },
	{ "lead", F_ID, false, NULL, NULL, NULL,
	    "the id of a file in people/" },
	{ "key_decision", F_BOOL, false, NULL, NULL, NULL, NULL },
	{ "exempt", F_BOOL, false, NULL, NULL, NULL, NULL },
	{ "exempt_reason", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "status", F_ENUM, false, content_plan_status, NULL, NULL,
	    "'taken' is worked out from the agenda that names the item" },
	{ "status_reason", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "summary", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
const struct schema content_plan = { "forward plan item", plan_fields };
