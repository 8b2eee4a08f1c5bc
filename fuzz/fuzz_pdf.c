/* fuzz_pdf.c — libFuzzer target for the PDF reader (poppler) and the model of its
 * text: any bytes as a .pdf file, seeded with PDFs made like the tests' (mkpdf).
 * Passages of a PDF lie in its extracted text, so only the model's own rules are
 * checked (doc_checks.h, against the extraction's length). */
#include "doc_checks.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idx_doc *d = NULL;
    idx_err err;
    int rc = idx_doc_from_bytes("/fuzz/input.pdf", (const char *)data, size, &d, &err);
    check_document(rc, d, &err, d ? d->extracted_len : 0);
    idx_doc_free(d);
    return 0;
}
