/*
 * Schemas of the configuration and of content files.
 */
#include <stddef.h>

#include "model/content.h"

#define END	{ NULL, F_ANY, false, NULL, NULL, NULL, NULL }

static const struct field f_string = { "item", F_STRING, false, NULL, NULL,
    NULL, NULL };
static const struct field f_id = { "item", F_ID, false, NULL, NULL, NULL,
    NULL };

/* --- configuration -------------------------------------------------- */

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
	{ "url", F_STRING, true, NULL, NULL, NULL, NULL },
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
	{ "response_days", F_NUMBER, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema a11y = { "accessibility", a11y_fields };

static const struct field config_fields[] = {
	{ "name", F_STRING, true, NULL, NULL, NULL,
	    "the partnership's name" },
	{ "short_name", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "base_url", F_URL, true, NULL, NULL, NULL,
	    "the address the site is published at" },
	{ "language", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "theme", F_ID, false, NULL, NULL, NULL, NULL },
	{ "organisation", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "area", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "contact", F_MAP, false, NULL, NULL, &contact, NULL },
	{ "brand", F_MAP, false, NULL, NULL, &brand, NULL },
	{ "nav", F_LIST, false, NULL, &f_link, NULL, NULL },
	{ "footer_links", F_LIST, false, NULL, &f_link, NULL, NULL },
	{ "accessibility", F_MAP, false, NULL, NULL, &a11y, NULL },
	{ "publication_days", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "theme_variables", F_ANY, false, NULL, NULL, NULL, NULL },
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
	END
};
static const struct schema page_schema = { "page", page_fields };

static const struct field news_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "date", F_DATE, true, NULL, NULL, NULL, "e.g. 2025-03-12" },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema news_schema = { "news post", news_fields };

static const struct field committee_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "short_name", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "description", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "order", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "chair", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "vice_chair", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "quorum", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "public_attendance", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "questions", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema committee_schema = { "committee",
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
static const struct schema meeting_schema = { "meeting", meeting_fields };

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
	END
};
static const struct schema paper_schema = { "paper", paper_fields };

static const struct field priority_fields[] = {
	{ "title", F_STRING, true, NULL, NULL, NULL, NULL },
	{ "lead", F_STRING, false, NULL, NULL, NULL, NULL },
	{ "summary", F_TEXT, false, NULL, NULL, NULL, NULL },
	{ "order", F_NUMBER, false, NULL, NULL, NULL, NULL },
	{ "data", F_ANY, false, NULL, NULL, NULL, NULL },
	END
};
static const struct schema priority_schema = { "strategy priority",
    priority_fields };

const struct schema *
content_schema(enum page_kind k)
{
	switch (k) {
	case PAGE_HOME:
	case PAGE_PAGE:
		return &page_schema;
	case PAGE_NEWS:
		return &news_schema;
	case PAGE_COMMITTEE:
		return &committee_schema;
	case PAGE_MEETING:
		return &meeting_schema;
	case PAGE_PAPER:
		return &paper_schema;
	case PAGE_PRIORITY:
		return &priority_schema;
	default:
		return NULL;
	}
}
