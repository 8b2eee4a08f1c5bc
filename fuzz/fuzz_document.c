/* fuzz_document.c — libFuzzer target for the document model: any bytes as a text
 * file; it must model them or refuse them cleanly, and every passage must lie
 * inside the input, in order, with pages that never run backwards. */
#include "idx.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    idx_doc *d = NULL;
    idx_err err;
    int rc = idx_doc_from_bytes("/fuzz/input.txt", (const char *)data, size, &d, &err);
    if (rc == 0) {
        size_t prev = 0;
        for (size_t i = 0; i < d->npassages; i++) {
            const idx_passage *p = &d->passages[i];
            if (p->start < prev || p->end > size || p->end <= p->start || p->text_len == 0)
                abort();
            if (p->page_end < p->page)
                abort();
            prev = p->end;
        }
    } else if (d != NULL || err.msg[0] == 0) {
        abort();
    }
    idx_doc_free(d);
    return 0;
}
