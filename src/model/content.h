/*
 * The schemas of the site configuration and of each kind of content
 * file: the one place that says which keys exist.  icpgen(5) documents
 * the same fields; keep them in step.
 */
#ifndef MODEL_CONTENT_H
#define MODEL_CONTENT_H

#include "model/schema.h"
#include "model/site.h"

extern const struct schema content_config;
/* The front matter schemas of the kinds (the kind table names them). */
extern const struct schema content_page, content_news, content_organisation,
    content_person, content_committee, content_meeting, content_paper,
    content_minutes, content_question, content_priority, content_measure,
    content_plan;
/* The front matter schema of a kind, or NULL for generated kinds. */
const struct schema *content_schema(enum page_kind);

extern const char *const content_meeting_status[];
extern const char *const content_item_purpose[];
extern const char *const content_member_role[];
extern const char *const content_org_type[];
extern const char *const content_interest_kind[];
extern const char *const content_minutes_status[];
extern const char *const content_decision_type[];
extern const char *const content_action_status[];
extern const char *const content_question_status[];
extern const char *const content_rag[];
extern const char *const content_plan_status[];

#endif
