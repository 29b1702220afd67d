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
 * to report from several threads at once; a thread that works on one of
 * many items in parallel holds its messages under the item's number
 * (diag_hold), and diag_flush prints them in that order, so the output
 * does not depend on which thread was faster.
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
	struct held	*held;		/* messages held, see diag_hold */
	size_t		 nheld, heldcap;
	unsigned	 held_errors;	/* of them, errors (under lock) */
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

/*
 * From this thread, keep messages under key until diag_release; then
 * diag_flush (or diag_free) counts and prints every kept message,
 * ordered by key and, within a key, as reported.
 */
void	diag_hold(struct diags *, size_t);
void	diag_release(struct diags *);
/* Messages this thread reported since its diag_hold (printed or not). */
size_t	diag_held(void);
/* Whether an error was reported, printed or held, by any thread. */
int	diag_failed(struct diags *);
void	diag_flush(struct diags *);

#endif
