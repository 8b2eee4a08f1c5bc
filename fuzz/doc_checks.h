/* doc_checks.h — what every fuzz target over the document model asserts: a file is
 * modelled or refused with a message; every passage lies inside the input, in
 * order (a picture's caption that a sentence ran past follows that sentence's
 * passages, before the text after them), non-empty, with pages that never run
 * backwards; the abbreviations mined
 * from it are pairs of two short names. */
#ifndef WENSOU_FUZZ_DOC_CHECKS_H
#define WENSOU_FUZZ_DOC_CHECKS_H

#include "doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline void check_document(int rc, idx_doc *d, const idx_err *err, size_t size)
{
    if (rc == 0) {
        size_t prev = 0;
        for (size_t i = 0; i < d->npassages; i++) {
            const idx_passage *p = &d->passages[i];
            if (p->end > size || p->end <= p->start || p->text_len == 0 || p->page_end < p->page) {
                fprintf(stderr, "passage %zu: %zu..%zu of %zu, %zu bytes\n", i, p->start, p->end, size, p->text_len);
                abort();
            }
            if (p->kind == IDX_PASSAGE_CAPTION) {
                /* a caption a sentence ran past follows that sentence's passages: it
                 * lies before the text that comes after them */
                size_t k = i + 1;
                while (k < d->npassages && d->passages[k].kind == IDX_PASSAGE_CAPTION)
                    k++;
                if (k < d->npassages && p->end > d->passages[k].start) {
                    fprintf(stderr, "caption %zu: %zu..%zu after passage %zu at %zu\n", i, p->start, p->end, k,
                            d->passages[k].start);
                    abort();
                }
                if (p->start >= prev)
                    prev = p->end;
                continue;
            }
            if (p->start < prev) {
                fprintf(stderr, "passage %zu: %zu..%zu of %zu (prev %zu)\n", i, p->start, p->end, size, prev);
                abort();
            }
            prev = p->end;
        }
    } else if (d != NULL || err->msg[0] == 0) {
        fprintf(stderr, "rc %d with %s and message \"%s\"\n", rc, d ? "a document" : "no document", err->msg);
        abort();
    }
}

/* Models bytes as the file name says (its extension picks the reader) and checks
 * the result: passages lie in the file's bytes, or in the extracted text for the
 * formats that have one. */
static inline void fuzz_model(const char *name, const char *bytes, size_t size)
{
    idx_doc *d = NULL;
    idx_err err;
    int rc = idx_doc_from_bytes(name, bytes, size, &d, &err);
    check_document(rc, d, &err, d && d->extracted ? d->extracted_len : size);
    json_t *abbr = rc == 0 ? idx_abbreviations(d) : NULL, *pair;
    size_t i;
    json_array_foreach(abbr, i, pair) {
        for (size_t k = 0; k < 2; k++) {
            const char *s = json_string_value(json_array_get(pair, k));
            if (json_array_size(pair) != 2 || !s || !s[0] || strlen(s) > 40 * 4)
                abort();
        }
    }
    json_decref(abbr);
    idx_doc_free(d);
}

#endif
