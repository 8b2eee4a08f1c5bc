/* fuzz_html.c — libFuzzer target for the HTML reader (libxml2's HTML parser, the
 * main-text walk) and the model of its text: any bytes as an .html page.
 * doc_checks.h says what must hold. */
#include "doc_checks.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idx_doc *d = NULL;
    idx_err err;
    int rc = idx_doc_from_bytes("/fuzz/input.html", (const char *)data, size, &d, &err);
    check_document(rc, d, &err, d ? d->extracted_len : 0);
    idx_doc_free(d);
    return 0;
}
