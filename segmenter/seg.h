/* seg.h — the Chinese word segmenter: text in, token spans out.
 * jieba's method (prefix dictionary → DAG → best log-probability path; HMM for
 * unknown runs) over a memory-mapped compiled dictionary. Knows nothing of files
 * beyond its dictionaries, nothing of Xapian or sockets. */
#ifndef WENSOU_SEG_H
#define WENSOU_SEG_H

#include <stddef.h>
#include <stdint.h>

#define SEG_EOK        0
#define SEG_ENOMEM    (-1)
#define SEG_EIO       (-2)   /* a dictionary file could not be read */
#define SEG_EFORMAT   (-3)   /* a compiled dictionary is corrupt or of another version */
#define SEG_EUSERDICT (-4)   /* a bad line in a user dictionary */
#define SEG_EINVAL    (-5)   /* bad argument */
#define SEG_EOPENCC   (-6)   /* OpenCC could not be opened */

/* Caller-owned error report: filling it never allocates. */
typedef struct { int code; char msg[256]; } seg_err;

const char *seg_strerror(int code);

/* Strict UTF-8: decodes one code point at s[0, len) and returns its byte length
 * (1..4) with *cp set, or 0 with *cp = -1 when s[0] starts no valid sequence
 * (overlong, surrogate, truncated). Never reads past len; len must be > 0. */
int seg_utf8_decode(const unsigned char *s, size_t len, int32_t *cp);

/* A read-only dictionary: the compiled base dictionary (mmap) plus an optional
 * user dictionary. Shared by all threads once opened. */
typedef struct seg_dict seg_dict;

/* Opens the compiled dictionary at base_path and, when user_path is not NULL, the
 * user dictionary (`word [freq]` per line; '#' starts a comment). A bad user line
 * fails the open with SEG_EUSERDICT and "path:line: why" in err. */
int  seg_dict_open(const char *base_path, const char *user_path, seg_dict **out, seg_err *err);
void seg_dict_close(seg_dict *d);                       /* NULL-safe */

/* Number of words in the user dictionary (0 when none was loaded). */
size_t seg_dict_user_words(const seg_dict *d);

enum seg_mode { SEG_MODE_ACCURATE = 0, SEG_MODE_SEARCH = 1 };
#define SEG_FLAG_NO_HMM   1u   /* unknown runs are cut into single characters */

enum seg_kind {
    SEG_KIND_WORD = 0,    /* Chinese word, Latin word or number */
    SEG_KIND_PUNCT = 1,   /* one character that is neither Han nor a letter/digit */
    SEG_KIND_INVALID = 2  /* one byte that is not valid UTF-8 */
};

/* One token. start/end index the caller's input bytes, end exclusive. norm is the
 * normalised form (full-width → ASCII, lower case, traditional → simplified,
 * 二〇三五 → 2035), valid only during the callback. */
typedef struct {
    size_t start, end;
    const char *norm;
    size_t norm_len;
    int normalised;       /* norm differs from the input bytes */
    int sub;              /* search mode: a dictionary word inside the next longer token */
    enum seg_kind kind;
} seg_token;

/* Return non-zero to stop the cut early; seg_cut then returns that value. */
typedef int (*seg_emit_fn)(void *ctx, const seg_token *tok);

/* Per-thread scratch space; one per thread, reused across calls. */
typedef struct seg_state seg_state;
int  seg_state_new(const seg_dict *d, seg_state **out);
void seg_state_free(seg_state *st);                     /* NULL-safe */

/* Cuts text[0, len) (any bytes; whitespace separates, is never a token) and calls
 * emit for each token in order. In accurate mode the tokens tile the non-whitespace
 * text; in search mode each long word is preceded by the shorter dictionary words
 * inside it (sub = 1). Returns 0, a negative SEG_E* code, or emit's non-zero value. */
int seg_cut(seg_state *st, const char *text, size_t len, enum seg_mode mode,
            unsigned flags, seg_emit_fn emit, void *ctx);

/* The normalised form of text[0, len) without cutting it into words: the same
 * folding as token norms (width, case, traditional, numeral years), whitespace
 * dropped except one space between two ASCII letters or digits. *out (and, when
 * orig is not NULL, *orig: for each output byte the input offset of its character,
 * plus one entry past the end) stay owned by st, valid until its next call.
 * Returns 0, SEG_ENOMEM or SEG_EOPENCC. */
int seg_normalize(seg_state *st, const char *text, size_t len, const char **out, size_t *out_len,
                  const size_t **orig);

#endif
