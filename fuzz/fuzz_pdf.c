/* fuzz_pdf.c — libFuzzer target for the PDF reader (poppler) and the model of its
 * text: any bytes as a .pdf file, seeded with PDFs made like the tests' (mkpdf).
 * Passages of a PDF lie in its extracted text (doc_checks.h). */
#include "doc_checks.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_model("/fuzz/input.pdf", (const char *)data, size);
    return 0;
}
