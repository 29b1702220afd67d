/*
 * What is published: only files with valid names, and in a meeting's
 * folder only what its agenda and papers list.  A file that fails
 * either test is reported and left out of the site.
 */
#ifndef MODEL_PUBLISH_H
#define MODEL_PUBLISH_H

#include <stdbool.h>

struct diags;
struct page;
struct site;
struct val;

/*
 * Whether every folder and file name of a site-relative path in a
 * content folder (a kind's: pages/, news/, meetings/ ...) is valid: lower-case
 * letters, digits, '-', '_' and '.'.  Paths outside them are always
 * valid (static/ is copied as it is).
 */
bool		 publish_name_ok(const char *);
/*
 * Report an invalid name (see publish_name_ok) as an error whose hint
 * gives the valid name, or says that another file of src has it.
 * Returns false for such a path.
 */
bool		 publish_check_name(const struct src *, const char *,
		    struct diags *);
/*
 * Check paper p (slug is its file name without ".md") against the
 * agenda of its meeting m: its 'item:' must be on the agenda and agree
 * with the items' 'papers:'.  Returns false, with a warning, for a
 * paper of a meeting with an agenda that nothing lists (no 'item:' and
 * no item's 'papers:'), which is then not published.
 */
/* Whether an agenda item's 'papers:' names slug. */
bool		 publish_lists(const struct val *, const char *);
bool		 publish_paper(const struct page *, const struct val *,
		    const struct page *, const char *, struct diags *);
/*
 * Take out of the site's files each file of a meeting's folder that no
 * published paper lists under 'attachments:', with a warning.  From
 * then on site_url() knows only the files that remain.  Call after the
 * meetings are linked.
 */
void		 publish_files(struct site *, struct diags *);
/* Whether path is one of the site's files (sorted static_files). */
bool		 publish_has_file(const struct site *, const char *);

#endif
