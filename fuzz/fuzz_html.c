/* fuzz_html.c — libFuzzer target for the HTML reader (libxml2's HTML parser, the
 * main-text walk) and the model of its text: any bytes as an .html page.
 * doc_checks.h says what must hold. */
#include "doc_checks.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_model("/fuzz/input.html", (const char *)data, size);
    return 0;
}
