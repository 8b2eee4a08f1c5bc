/* seg_int.h — segmenter internals: the compiled dictionary's on-disk layout, the
 * double-array trie, UTF-8 and normalisation helpers shared by the segmenter's
 * files and by the dictionary compiler (tools/dictc.c). */
#ifndef WENSOU_SEG_INT_H
#define WENSOU_SEG_INT_H

#include "seg.h"
#include <stdint.h>

/* ---- compiled dictionary file (.wsd), little-endian, all sections 8-aligned ---- */
#define SEG_DICT_MAGIC   "WSDICT02"
#define SEG_HAN_FIRST    0x4E00      /* jieba's Han range: \u4E00-\u9FD5 */
#define SEG_HAN_LAST     0x9FD5
#define SEG_HAN_COUNT    (SEG_HAN_LAST - SEG_HAN_FIRST + 1)
#define SEG_CP_LIMIT     0x110000
#define SEG_MIN_FLOAT    (-3.14e100)  /* jieba's MIN_FLOAT */
#define SEG_MAX_WORD_CHARS 64         /* longest word looked up, in characters */

enum { SEG_B = 0, SEG_M = 1, SEG_E = 2, SEG_S = 3 };   /* HMM states */

typedef struct {
    char     magic[8];
    uint64_t file_size;
    double   total;          /* sum of every base dictionary frequency (jieba's total) */
    uint64_t da_size;        /* slots in the double array */
    uint64_t da_off;         /* seg_da_node[da_size] */
    uint64_t nwords;
    uint64_t freq_off;       /* double freq[nwords] */
    uint64_t logfreq_off;    /* double log(freq)[nwords] */
    uint64_t hmm_off;        /* seg_hmm_tables */
    uint64_t trad_off;       /* bitmap of code points OpenCC t2s changes, SEG_CP_LIMIT bits */
    uint64_t alpha_off;      /* uint16_t[0x10000]: code point → trie label, 0 = in no word */
} seg_dict_header;

/* A double-array slot. Transition from s on label c: t = base[s] + c, valid when
 * t < size and check[t] == s. word >= 0 when the key ending at this slot is a word.
 * The base dictionary's labels are character IDs, numbered by frequency so that
 * common characters' children lie close together; the user dictionary's are bytes. */
typedef struct { int32_t base, check, word; } seg_da_node;

typedef struct {
    double start[4];
    double trans[4][4];              /* SEG_MIN_FLOAT where jieba has no entry */
    double emit[4][SEG_HAN_COUNT];   /* SEG_MIN_FLOAT where jieba has no entry */
} seg_hmm_tables;

/* A view of one trie with its word values (the base dictionary or the user one). */
typedef struct {
    const seg_da_node *da;
    size_t size;
    const double *freq;      /* per word */
    const double *logfreq;   /* per word */
    size_t nwords;           /* word values are checked against it: a corrupt file reads nothing out of bounds */
    const uint16_t *alpha;   /* code point → label for a character-level trie; NULL: labels are bytes */
} seg_trie;

/* ---- double array (datrie.c) ---- */
typedef struct { const uint32_t *key; uint32_t len; int32_t word; } seg_da_key;

int seg_da_key_cmp(const seg_da_key *x, const seg_da_key *y);

/* Builds a double array over keys sorted by seg_da_key_cmp and unique (word may
 * be -1: the key is only a path). *out is malloc'd; the caller frees it. */
int seg_da_build(const seg_da_key *keys, size_t n, seg_da_node **out, size_t *out_size);

static inline int32_t seg_da_next(const seg_trie *t, int32_t s, uint32_t c)
{
    int64_t n = (int64_t)t->da[s].base + c;
    if (n <= 0 || n >= (int64_t)t->size || t->da[n].check != s)
        return -1;
    return (int32_t)n;
}

/* Word value of the whole key (UTF-8 bytes), or -1. */
int32_t seg_trie_lookup(const seg_trie *t, const char *key, size_t len);

/* ---- UTF-8 (utf8.c) ---- */
/* Encodes cp into out (4 bytes room); returns the byte length. */
int seg_utf8_encode(int32_t cp, char *out);

/* ---- normalisation (normalize.c) ---- */
/* Width and case folding of one code point: full-width ASCII → ASCII, U+3000 → ' ',
 * A-Z → a-z. Other code points come back unchanged. */
int32_t seg_fold_char(int32_t cp);
int seg_is_space(int32_t cp);     /* Python's \s for str patterns */

/* ---- traditional → simplified (trad.c) ---- */
int seg_trad_marked(const uint8_t *bitmap, int32_t cp);
/* Folds cps[0, n) to simplified in place when any is marked in bitmap; one code
 * point stays one code point. Negative entries (invalid bytes) are left alone.
 * Returns 0, SEG_ENOMEM or SEG_EOPENCC. Thread-safe. */
int seg_trad_fold(const uint8_t *bitmap, int32_t *cps, size_t n);

/* ---- dictionary internals (dict.c) ---- */
struct seg_dict {
    void *map; size_t map_len;
    const seg_dict_header *hdr;
    seg_trie base;
    seg_trie user;                 /* size 0 when there is no user dictionary */
    seg_da_node *user_da;
    double *user_freq, *user_logfreq;
    size_t user_words;
    double total;                  /* base total + user frequencies, as jieba adds them */
    double logtotal;
    const seg_hmm_tables *hmm;
    const uint8_t *trad;           /* bitmap */
};

/* The frequency of a word in the user dictionary (first) or the base one; *found
 * tells whether either has it. A user word of frequency 0 deletes a base word. */
double seg_dict_freq(const seg_dict *d, const char *key, size_t len, int *found);

#endif
