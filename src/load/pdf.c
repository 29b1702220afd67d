/*
 * PDF page counts through libqpdf's C API.
 *
 * qpdf parses the cross-reference table (following incremental
 * updates, so a signed or annotated paper's rewritten page counts
 * once), object streams and the page tree (it refuses loops).  It does
 * not repair: a file that needs recovery, or any warning while reading
 * it, gives no count.  Input is bounded by PDF_MAX_BYTES; qpdf reads
 * from memory and writes nothing.
 */
#include <qpdf/qpdf-c.h>

#include "load/pdf.h"

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
	q = qpdf_init();
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	qpdf_set_attempt_recovery(q, QPDF_FALSE);
	if (qpdf_read_memory(q, "attachment", data, (unsigned long long)n,
	    NULL) != QPDF_SUCCESS)
		goto out;
	pages = qpdf_get_num_pages(q);
	if (qpdf_has_error(q) || qpdf_more_warnings(q))
		goto out;
	if (pages > 0 && pages <= PDF_MAX_PAGES)
		rc = (size_t)pages;
out:
	while (qpdf_has_error(q))
		(void)qpdf_get_error(q);	/* handled: qpdf stays quiet */
	qpdf_cleanup(&q);
	return rc;
}
