/* datrie.c — builds a double-array trie over label strings (character IDs for the
 * compiled base dictionary at build time, bytes for the user dictionary at
 * start-up) and looks keys up. */
#include "seg_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    seg_da_node *da;
    uint8_t *used;
    size_t cap;
    size_t size;            /* one past the highest slot in use */
    size_t next_check_pos;  /* darts' heuristic: slots before it are nearly all taken */
    const seg_da_key *keys;
    uint32_t max_label;
} builder;

static int reserve(builder *b, size_t need)
{
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < need)
        cap *= 2;
    if (cap > INT32_MAX)
        return SEG_ENOMEM;
    seg_da_node *da = realloc(b->da, cap * sizeof *da);
    if (!da)
        return SEG_ENOMEM;
    b->da = da;
    uint8_t *used = realloc(b->used, cap);
    if (!used)
        return SEG_ENOMEM;
    b->used = used;
    for (size_t i = b->cap; i < cap; i++) {
        da[i].base = 0;
        da[i].check = -1;
        da[i].word = -1;
        used[i] = 0;
    }
    b->cap = cap;
    return 0;
}

/* Finds a base at which every child byte lands on a free slot. */
static int find_base(builder *b, const uint32_t *labels, size_t nlabels, int32_t *out)
{
    size_t pos = b->next_check_pos > (size_t)labels[0] + 1 ? b->next_check_pos : (size_t)labels[0] + 1;
    size_t start = pos, occupied = 0;
    int first = 1;
    for (;; pos++) {
        int rc = reserve(b, pos + b->max_label + 1);
        if (rc)
            return rc;
        if (b->used[pos]) {
            occupied++;
            continue;
        }
        if (first) {
            b->next_check_pos = pos;
            first = 0;
        }
        size_t base = pos - labels[0];
        size_t i;
        for (i = 1; i < nlabels; i++)
            if (b->used[base + labels[i]])
                break;
        if (i < nlabels)
            continue;
        if (pos > start && (double)occupied / (double)(pos - start + 1) >= 0.95)
            b->next_check_pos = pos;
        *out = (int32_t)base;
        return 0;
    }
}

/* Places the children of node s, whose keys are keys[lo, hi) sharing depth bytes. */
static int place(builder *b, int32_t s, size_t lo, size_t hi, uint32_t depth)
{
    if (lo < hi && b->keys[lo].len == depth) {
        b->da[s].word = b->keys[lo].word;
        lo++;
    }
    if (lo == hi)
        return 0;

    size_t nlabels = 0;
    for (size_t k = lo; k < hi; k++)
        if (k == lo || b->keys[k].key[depth] != b->keys[k - 1].key[depth])
            nlabels++;
    uint32_t *labels = malloc(nlabels * sizeof *labels);
    size_t *starts = malloc((nlabels + 1) * sizeof *starts);
    if (!labels || !starts) {
        free(labels);
        free(starts);
        return SEG_ENOMEM;
    }
    nlabels = 0;
    for (size_t k = lo; k < hi; k++) {
        uint32_t c = b->keys[k].key[depth];
        if (nlabels == 0 || labels[nlabels - 1] != c) {
            labels[nlabels] = c;
            starts[nlabels] = k;
            nlabels++;
        }
    }
    starts[nlabels] = hi;

    int32_t base;
    int rc = find_base(b, labels, nlabels, &base);
    if (rc)
        goto done;
    b->da[s].base = base;
    for (size_t i = 0; i < nlabels; i++) {
        size_t t = (size_t)base + labels[i];
        b->used[t] = 1;
        b->da[t].check = s;
        if (t + 1 > b->size)
            b->size = t + 1;
    }
    for (size_t i = 0; i < nlabels && !rc; i++)
        rc = place(b, base + (int32_t)labels[i], starts[i], starts[i + 1], depth + 1);
done:
    free(labels);
    free(starts);
    return rc;
}

int seg_da_build(const seg_da_key *keys, size_t n, seg_da_node **out, size_t *out_size)
{
    builder b = {0};
    b.keys = keys;
    b.next_check_pos = 1;
    for (size_t i = 0; i < n; i++) {
        for (uint32_t k = 0; k < keys[i].len; k++)
            if (keys[i].key[k] > b.max_label)
                b.max_label = keys[i].key[k];
        if (i > 0 && seg_da_key_cmp(&keys[i - 1], &keys[i]) >= 0)
            return SEG_EINVAL;   /* not sorted or not unique */
    }
    if (b.max_label >= (1u << 24))
        return SEG_EINVAL;
    int rc = reserve(&b, 1024);
    if (!rc) {
        b.used[0] = 1;
        b.size = 1;
        rc = place(&b, 0, 0, n, 0);
    }
    free(b.used);
    if (rc) {
        free(b.da);
        return rc;
    }
    *out = b.da;
    *out_size = b.size;
    return 0;
}

int seg_da_key_cmp(const seg_da_key *x, const seg_da_key *y)
{
    uint32_t l = x->len < y->len ? x->len : y->len;
    for (uint32_t i = 0; i < l; i++)
        if (x->key[i] != y->key[i])
            return x->key[i] < y->key[i] ? -1 : 1;
    return (x->len > y->len) - (x->len < y->len);
}

int32_t seg_trie_lookup(const seg_trie *t, const char *key, size_t len)
{
    if (t->size == 0)
        return -1;
    int32_t s = 0;
    for (size_t i = 0; i < len;) {
        uint32_t label;
        if (t->alpha) {            /* character-level: one transition per code point */
            int32_t cp;
            int k = seg_utf8_decode((const unsigned char *)key + i, len - i, &cp);
            if (k == 0 || cp >= 0x10000 || (label = t->alpha[cp]) == 0)
                return -1;
            i += (size_t)k;
        } else {
            label = (uint8_t)key[i++];
        }
        s = seg_da_next(t, s, label);
        if (s < 0)
            return -1;
    }
    int32_t w = t->da[s].word;
    return (w >= 0 && (size_t)w < t->nwords) ? w : -1;
}
