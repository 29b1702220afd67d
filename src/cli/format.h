/*
 * Diagnostics in the formats CI hosts read: GitHub workflow annotations,
 * a GitLab Code Quality report, or JSON lines for other tools.  Paths
 * in them are relative to the repository root, not the site folder.
 */
#ifndef CLI_FORMAT_H
#define CLI_FORMAT_H

struct diags;

enum format_kind { FORMAT_TEXT, FORMAT_GITHUB, FORMAT_GITLAB, FORMAT_JSON };

/* The format named name, or -1 if there is none. */
int	format_parse(const char *);
/*
 * Send d's messages, in format kind, to stdout instead of d's stream.
 * site is the site folder (to find the repository root).  Returns a
 * state for format_end(), NULL for FORMAT_TEXT.
 */
struct format	*format_begin(enum format_kind, const char *, struct diags *);
/* Write what is left (the GitLab report is one document) and free. */
void		 format_end(struct format *);

#endif
