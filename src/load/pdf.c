/*
 * PDF page counts through libqpdf's C API.
 *
 * qpdf parses the cross-reference table (following incremental
 * updates, so a signed or annotated paper's rewritten page counts
 * once), object streams and the page tree (it refuses loops).  It does
 * not repair: a file that needs recovery, or any warning while reading
 * it, gives no count.  Input is bounded by PDF_MAX_BYTES; qpdf reads
 * from memory and writes nothing.  libqpdf is loaded the first time a
 * PDF is counted (util/lazylib.h).
 */
#include <pthread.h>
#include <stdbool.h>

#include <qpdf/qpdf-c.h>

#include "util/lazylib.h"
#include "load/pdf.h"

/* The functions used, with the header's types. */
static struct {
	__typeof__(qpdf_init)			*init;
	__typeof__(qpdf_silence_errors)		*silence_errors;
	__typeof__(qpdf_set_suppress_warnings)	*set_suppress_warnings;
	__typeof__(qpdf_set_attempt_recovery)	*set_attempt_recovery;
	__typeof__(qpdf_read_memory)		*read_memory;
	__typeof__(qpdf_get_num_pages)		*get_num_pages;
	__typeof__(qpdf_has_error)		*has_error;
	__typeof__(qpdf_more_warnings)		*more_warnings;
	__typeof__(qpdf_get_error)		*get_error;
	__typeof__(qpdf_cleanup)		*cleanup;
} qp;
static bool		qp_ok;
static pthread_once_t	qp_once = PTHREAD_ONCE_INIT;

static void
qp_load(void)
{
	const struct lazy_sym syms[] = {
		{ "qpdf_init", (void **)&qp.init },
		{ "qpdf_silence_errors", (void **)&qp.silence_errors },
		{ "qpdf_set_suppress_warnings",
		    (void **)&qp.set_suppress_warnings },
		{ "qpdf_set_attempt_recovery",
		    (void **)&qp.set_attempt_recovery },
		{ "qpdf_read_memory", (void **)&qp.read_memory },
		{ "qpdf_get_num_pages", (void **)&qp.get_num_pages },
		{ "qpdf_has_error", (void **)&qp.has_error },
		{ "qpdf_more_warnings", (void **)&qp.more_warnings },
		{ "qpdf_get_error", (void **)&qp.get_error },
		{ "qpdf_cleanup", (void **)&qp.cleanup },
	};

	qp_ok = lazy_syms(LAZY_QPDF, syms, sizeof(syms) / sizeof(syms[0]));
}

size_t
pdf_page_count(const char *data, size_t n)
{
	qpdf_data	 q;
	int		 pages;
	size_t		 rc = 0;

	if (data == NULL || n < 8 || n > PDF_MAX_BYTES ||
	    (data[0] != '%' || data[1] != 'P' || data[2] != 'D' ||
	    data[3] != 'F'))
		return 0;
	pthread_once(&qp_once, qp_load);
	if (!qp_ok)
		return 0;
	q = qp.init();
	qp.silence_errors(q);
	qp.set_suppress_warnings(q, QPDF_TRUE);
	qp.set_attempt_recovery(q, QPDF_FALSE);
	if (qp.read_memory(q, "attachment", data, (unsigned long long)n,
	    NULL) != QPDF_SUCCESS)
		goto out;
	pages = qp.get_num_pages(q);
	if (qp.has_error(q) || qp.more_warnings(q))
		goto out;
	if (pages > 0 && pages <= PDF_MAX_PAGES)
		rc = (size_t)pages;
out:
	while (qp.has_error(q))
		(void)qp.get_error(q);	/* handled: qpdf stays quiet */
	qp.cleanup(&q);
	return rc;
}
