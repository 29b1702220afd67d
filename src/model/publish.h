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
 * Append to b a valid name made from n bytes of text s: accents
 * dropped ("Ŵyl" gives "wyl"), other letters outside ASCII too, lower
 * case, words joined by single hyphens.  Maybe empty.
 */
void		 publish_slug(struct buf *, const char *, size_t);
/*
 * Remove from the agenda of m (a meeting's front matter or data) what
 * an exempt item does not publish: its purpose, presenter, summary and
 * recommendation.  Only its number, title and reason are published,
 * on its meeting's page, in the history of that page, and in open
 * data.  'exempt' is read as written too ("true"), so that a version
 * in git, never checked, is judged the same way.
 */
void		 publish_redact(struct val *);
/*
 * Report an invalid name (see publish_name_ok) as an error whose hint
 * gives the valid name, or says that another file of src has it.
 * Returns false for such a path.
 */
bool		 publish_check_name(const struct src *, const char *,
		    struct diags *);
/*
 * The item of an agenda that exempt() says is exempt and that the paper
 * slug belongs to (its 'item:' is the item's number, or the item's
 * 'papers:' lists it), or NULL.
 */
const struct val *publish_exempt_item(const struct val *, const char *,
		    const char *, bool (*)(const struct val *));
/*
 * Where a paper stands on its meeting's agenda: the item its 'item:'
 * names (item, or NULL when it names none), the number of the first
 * item whose 'papers:' lists slug, and how many items are numbered.
 */
struct listing {
	const struct val *mine;
	const char	*lister;
	size_t		 numbered;
};
void		 publish_listing(const struct val *, const char *,
		    const char *, struct listing *);
/*
 * What publish_paper() decides from a listing for a paper whose 'item:'
 * is item (or NULL): 1 published, 0 not listed, -1 an error (its item
 * not on the agenda, or the agenda lists it under another or not under
 * its own).
 */
int		 publish_listed(const struct listing *, const char *);
/*
 * Check paper p (slug is its file name without ".md") against the
 * agenda of its meeting m: its 'item:' must be on the agenda and agree
 * with the items' 'papers:'.  Returns false, with a warning, for a
 * paper of a meeting with an agenda that nothing lists (no 'item:' and
 * no item's 'papers:'), which is then not published.
 */
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
