/*
 * icpgen serve: build the site into a temporary folder and serve it on
 * 127.0.0.1 for a preview, rebuilding when pages are requested after
 * the content changed.  The only file that includes libmicrohttpd.
 */
#ifndef CLI_SERVE_H
#define CLI_SERVE_H

struct build_opts;
struct diags;

/* Serve until interrupted.  Returns an exit status like build_run(). */
int	serve_run(const struct build_opts *, const char *, int, struct diags *);

#endif
