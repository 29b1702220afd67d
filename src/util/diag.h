/*
 * Diagnostics: errors and warnings users see.
 *
 * Messages follow the form
 *
 *	path:line:col: error: message
 *
 * where path is relative to the site's root in the content repository,
 * line and col are 1-based and 0 when unknown (then omitted).  A message
 * is lower case, has no full stop, quotes its subject and says what
 * would be right, for example "unknown key 'titel' (did you mean
 * 'title'?)".
 *
 * A struct diags collects counts for one build.  Messages are printed
 * to the stream as they are reported (stderr by default), in colour
 * only when the stream is a terminal and NO_COLOR is unset.  It is safe
 * to report from several threads at once.
 */
#ifndef UTIL_DIAG_H
#define UTIL_DIAG_H

#include <stdio.h>
#include <pthread.h>

struct diags {
	FILE		*out;		/* where messages go */
	int		 colour;	/* use ANSI colour */
	int		 quiet;		/* suppress warnings */
	int		 werror;	/* count warnings as errors */
	unsigned	 errors;
	unsigned	 warnings;
	size_t		 max;		/* stop printing after this many */
	pthread_mutex_t	 lock;
	/*
	 * When set, sink gets every printed message (level 0 error, 1
	 * warning, 2 note; path NULL when none), under the lock; out may
	 * then be NULL to print nothing else.
	 */
	void		(*sink)(void *, int, const char *, int, int,
			    const char *);
	void		*sink_arg;
};

void	diag_init(struct diags *, FILE *);
void	diag_free(struct diags *);
void	diag_error(struct diags *, const char *, int, int, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
void	diag_warn(struct diags *, const char *, int, int, const char *, ...)
	    __attribute__((format(printf, 5, 6)));
/* A note attached to the previous message ("note: ..."). */
void	diag_note(struct diags *, const char *, int, int, const char *, ...)
	    __attribute__((format(printf, 5, 6)));

#endif
