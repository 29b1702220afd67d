/*
 * Themes: a folder themes/NAME/ holding theme.yaml (the manifest),
 * templates/, scss/ and static/.  Themes are looked for in the site's
 * own themes/ folder (read from its git tree) and then in the installed
 * theme folder on disk.  A site overrides any single template by adding
 * templates/NAME to its repository, and any SCSS partial by adding
 * assets/NAME.scss.
 *
 * theme.yaml:
 *	name: Default
 *	stylesheet: scss/main.scss	entry point of the stylesheet
 *	required_selectors: [...]	selectors the CSS must contain
 *	include_paths: [...]		SCSS include folders; "node:x" is
 *					x under the npm node_modules folder
 *	variables: {name: value}	defaults for theme_variables
 */
#ifndef LOAD_THEME_H
#define LOAD_THEME_H

#include <stddef.h>

struct arena;
struct diags;
struct src;
struct val;
struct theme;

/*
 * Load theme name from dirs (the installed themes folder) for the site
 * read from src.  at is the configuration value naming the theme, for
 * errors.  nodedir is where npm packages are.  NULL after reporting.
 */
struct theme	*theme_load(const char *, const char *, const char *,
		    struct src *, const struct val *, struct diags *);
void		 theme_free(struct theme *);
const struct val *theme_manifest(const struct theme *);
/* The theme's folder on disk. */
const char	*theme_dir(const struct theme *);
/* SCSS include paths on disk, NULL-terminated. */
const char *const *theme_include_paths(const struct theme *);
/* A tmpl_read_fn: site templates/NAME first, then the theme's. */
int		 theme_read_template(void *, const char *, const char **,
		    size_t *, const char **);
/* A style_read_fn for the site's assets/ folder. */
int		 theme_read_asset(void *, const char *, const char **,
		    size_t *);
/*
 * Files under the theme's static/ folder, relative to it, sorted;
 * theme_static_read() gives a file's contents (malloc'd; caller frees).
 */
size_t		 theme_static_count(const struct theme *);
const char	*theme_static_path(const struct theme *, size_t);
char		*theme_static_read(const struct theme *, size_t, size_t *,
		    struct diags *);

#endif
