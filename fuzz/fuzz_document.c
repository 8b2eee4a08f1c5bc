/* fuzz_document.c — libFuzzer target for the document model: any bytes as a text
 * file (doc_checks.h says what must hold). */
#include "doc_checks.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idx_doc *d = NULL;
    idx_err err;
    int rc = idx_doc_from_bytes("/fuzz/input.txt", (const char *)data, size, &d, &err);
    check_document(rc, d, &err, size);
    idx_doc_free(d);
    return 0;
}
