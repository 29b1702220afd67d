/*
 * PDF page counts, from libqpdf (the only file that includes it).
 */
#ifndef LOAD_PDF_H
#define LOAD_PDF_H

#include <stddef.h>

/* Larger PDFs are not opened, and have no count. */
#define PDF_MAX_BYTES	(64 * 1024 * 1024)
/* A count above this is not believed. */
#define PDF_MAX_PAGES	100000

/*
 * The number of pages of the PDF in the n bytes at data, or 0 when it
 * cannot be known for sure: the file is too large, damaged (qpdf would
 * have to reconstruct it, or warned while reading it), encrypted with a
 * password, or not a PDF.  A count shown to a reader must be right, so
 * no count is better than a guess.  Safe to call from several threads.
 */
size_t	pdf_page_count(const char *, size_t);

#endif
