/* fuzz_document.c — libFuzzer target for the document model: any bytes as a text
 * file (doc_checks.h says what must hold). */
#include "doc_checks.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_model("/fuzz/input.txt", (const char *)data, size);
    return 0;
}
