/*
 * Starting and adding to a site from the command line: icpgen init
 * writes a new site with its CI files into a new git repository;
 * icpgen new adds a meeting, paper, minutes, question, action, news
 * post or measure value, and checks the site as the build would before
 * keeping the change.
 */
#ifndef CLI_INIT_H
#define CLI_INIT_H

/*
 * icpgen init [--name name] [--base-url url] dir.  argv[0] is "init";
 * themedir and nodedir are where the theme and its packages are, for
 * the check of the new site.  Returns an exit status.
 */
int	init_run(int, char *[], const char *, const char *);
/* icpgen new [-s site] kind args...  Returns an exit status. */
int	new_run(int, char *[], const char *, const char *);

#endif
