/* doc_checks.h — what every fuzz target over the document model asserts: a file is
 * modelled or refused with a message; every passage lies inside the input, in
 * order, non-empty, with pages that never run backwards. */
#ifndef WENSOU_FUZZ_DOC_CHECKS_H
#define WENSOU_FUZZ_DOC_CHECKS_H

#include "idx.h"

#include <stdio.h>
#include <stdlib.h>

static inline void check_document(int rc, idx_doc *d, const idx_err *err, size_t size)
{
    if (rc == 0) {
        size_t prev = 0;
        for (size_t i = 0; i < d->npassages; i++) {
            const idx_passage *p = &d->passages[i];
            if (p->start < prev || p->end > size || p->end <= p->start || p->text_len == 0) {
                fprintf(stderr, "passage %zu: %zu..%zu of %zu (prev %zu), %zu bytes\n", i, p->start, p->end, size, prev, p->text_len);
                abort();
            }
            if (p->page_end < p->page)
                abort();
            prev = p->end;
        }
    } else if (d != NULL || err->msg[0] == 0) {
        fprintf(stderr, "rc %d with %s and message \"%s\"\n", rc, d ? "a document" : "no document", err->msg);
        abort();
    }
}

#endif
