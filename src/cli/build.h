/*
 * A whole build: load, parse, hooks, link, theme, render, write.  The
 * only place that knows the order of the stages.
 */
#ifndef CLI_BUILD_H
#define CLI_BUILD_H

#include <stdbool.h>
#include <stdint.h>

struct diags;

struct build_opts {
	const char	*site;		/* site folder */
	const char	*ref;		/* commit to read, NULL for HEAD */
	bool		 worktree;	/* read the working tree instead */
	const char	*out;		/* output folder; NULL: check only */
	const char	*themedir;	/* installed themes */
	const char	*nodedir;	/* npm packages for themes */
	int		 jobs;		/* load and render threads */
	bool		 quiet;		/* no summary */
	bool		 progress;	/* show progress on a terminal */
	int64_t		 epoch;		/* SOURCE_DATE_EPOCH, or -1 */
	const char	*date;		/* --date YYYY-MM-DD, or NULL */
	const char	*cache_dir;	/* --cache-dir, or NULL: the default */
	const char	*base_url;	/* instead of the configuration's */
	const char	*manifest;	/* build manifest file, NULL: in the
					   cache folder (emit/manifest.h) */
};

/*
 * Run a build.  Returns 0 on success, 1 when content errors were found
 * (nothing was published), 3 on a system error.
 */
int	build_run(const struct build_opts *, struct diags *);

#endif
