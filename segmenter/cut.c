/* cut.c — the segmentation itself, jieba's algorithm step for step so that the
 * result agrees with jieba.lcut: text is decoded and normalised in windows, split
 * into blocks (Han/alnum runs, single other characters, whitespace), and each
 * block cut along the maximum log-probability path through the dictionary DAG,
 * with runs of single characters handed to the HMM. */
#include "seg_int.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW_BYTES (64 * 1024)   /* text is processed in windows of about this size */

struct seg_state {
    const seg_dict *d;
    /* the current window, one entry per character (plus one past the end) */
    int32_t *cp;           /* normalised code point, -1 for an invalid byte */
    uint16_t *label;       /* its label in the base trie, 0 when no word holds it */
    size_t *ostart;        /* byte offset of the character in the caller's text */
    size_t *nstart;        /* byte offset of its normalised form in norm */
    char *norm;
    size_t cap;            /* characters the arrays above hold */
    /* the route through one block */
    double *score;
    int32_t *next;
    /* Viterbi */
    double (*v)[4];
    uint8_t (*bp)[4];
    uint8_t *path;
    /* seg_normalize's output */
    char *nout;
    size_t *norig;
    size_t ncap;
    /* the cut in progress */
    enum seg_mode mode;
    unsigned flags;
    seg_emit_fn emit;
    void *ctx;
    int stop;              /* emit's non-zero return */
};

static int is_han(int32_t cp) { return cp >= SEG_HAN_FIRST && cp <= SEG_HAN_LAST; }
static int is_alnum(int32_t cp) { return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'); }
static int is_digit(int32_t cp) { return cp >= '0' && cp <= '9'; }

/* jieba's re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-] */
static int in_han_block(int32_t cp)
{
    if (is_han(cp) || is_alnum(cp))
        return 1;
    return cp == '+' || cp == '#' || cp == '&' || cp == '.' || cp == '_' || cp == '%' || cp == '-';
}

/* Characters that carry meaning on their own (letters of any script, CJK); the
 * rest (punctuation, symbols, ①, ○) are SEG_KIND_PUNCT. */
static int is_word_char(int32_t cp)
{
    return is_alnum(cp) || (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7)
        || (cp >= 0x370 && cp <= 0x52F) || (cp >= 0x3040 && cp <= 0x30FF) || cp == 0x3007
        || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) || cp >= 0x20000;
}

int seg_state_new(const seg_dict *d, seg_state **out)
{
    *out = NULL;
    if (!d)
        return SEG_EINVAL;
    seg_state *st = calloc(1, sizeof *st);
    if (!st)
        return SEG_ENOMEM;
    st->d = d;
    *out = st;
    return 0;
}

void seg_state_free(seg_state *st)
{
    if (!st)
        return;
    free(st->cp);
    free(st->label);
    free(st->ostart);
    free(st->nstart);
    free(st->norm);
    free(st->score);
    free(st->next);
    free(st->v);
    free(st->bp);
    free(st->path);
    free(st->nout);
    free(st->norig);
    free(st);
}

/* A window holds at most WINDOW_BYTES + 4 bytes, so at most that many characters. */
static int reserve(seg_state *st, size_t chars)
{
    if (chars <= st->cap)
        return 0;
    size_t n = chars + 1;
#define GROW(p, count) do { void *q = realloc((p), (count) * sizeof *(p)); if (!q) return SEG_ENOMEM; (p) = q; } while (0)
    GROW(st->cp, n);
    GROW(st->label, n);
    GROW(st->ostart, n);
    GROW(st->nstart, n);
    GROW(st->norm, n * 4);
    GROW(st->score, n);
    GROW(st->next, n);
    GROW(st->v, n);
    GROW(st->bp, n);
    GROW(st->path, n);
#undef GROW
    st->cap = chars;
    return 0;
}

/* ---- emitting ---- */

static void emit_span(seg_state *st, size_t ci, size_t cj, int sub)
{
    if (st->stop || ci >= cj)
        return;
    seg_token t;
    t.start = st->ostart[ci];
    t.end = st->ostart[cj];
    t.norm = st->norm + st->nstart[ci];
    t.norm_len = st->nstart[cj] - st->nstart[ci];
    t.sub = sub;
    t.normalised = 0;
    t.kind = SEG_KIND_PUNCT;
    for (size_t i = ci; i < cj; i++) {
        if (st->cp[i] < 0) {
            t.kind = SEG_KIND_INVALID;
            break;
        }
        if (is_word_char(st->cp[i]))
            t.kind = SEG_KIND_WORD;
    }
    if (t.kind != SEG_KIND_INVALID) {
        /* the caller's bytes are not at hand here; compare code point by code
         * point: a normalised character re-encodes to other bytes or length */
        t.normalised = -1;
    }
    st->stop = st->emit(st->ctx, &t);
}

/* ---- dictionary look-ups on the normalised text ---- */

static double word_freq(const seg_state *st, size_t ci, size_t cj, int *found)
{
    return seg_dict_freq(st->d, st->norm + st->nstart[ci], st->nstart[cj] - st->nstart[ci], found);
}

/* A user word of frequency 0 is a word jieba must never join (del_word). */
static int force_split(const seg_state *st, size_t ci, size_t cj)
{
    const seg_trie *u = &st->d->user;
    int32_t w = seg_trie_lookup(u, st->norm + st->nstart[ci], st->nstart[cj] - st->nstart[ci]);
    return w >= 0 && (size_t)w < u->nwords && u->freq[w] == 0;
}

/* Search mode: the dictionary words strictly inside the Han word [ci, cj), shorter
 * ones first. 中国轻纺城 → 中国 / 轻纺 / 轻纺城 (then the caller emits 中国轻纺城). */
static void emit_sub_words(seg_state *st, size_t ci, size_t cj)
{
    size_t n = cj - ci;
    if (n < 3 || n > SEG_MAX_WORD_CHARS)
        return;
    for (size_t i = ci; i < cj; i++)
        if (!is_han(st->cp[i]))
            return;
    for (size_t len = 2; len < n; len++)
        for (size_t s = ci; s + len <= cj; s++) {
            int found;
            double f = word_freq(st, s, s + len, &found);
            if (found && f > 0)
                emit_span(st, s, s + len, 1);
        }
}

static void emit_word(seg_state *st, size_t ci, size_t cj)
{
    if (st->mode == SEG_MODE_SEARCH)
        emit_sub_words(st, ci, cj);
    emit_span(st, ci, cj, 0);
}

/* ---- the DAG and the best route (jieba's get_DAG + calc) ---- */

static void compute_route(seg_state *st, size_t b, size_t e)
{
    const seg_dict *d = st->d;
    const seg_trie *user = &d->user, *base = &d->base;
    st->score[e - b] = 0;
    for (size_t i = e; i-- > b;) {
        double best = 0;
        int32_t bestx = -1;
        int32_t su = user->size ? 0 : -1, sb = 0;
        for (size_t j = i; j < e && j - i < SEG_MAX_WORD_CHARS; j++) {
            if (su >= 0)
                for (size_t k = st->nstart[j]; k < st->nstart[j + 1] && su >= 0; k++)
                    su = seg_da_next(user, su, (uint8_t)st->norm[k]);
            if (sb >= 0)
                sb = st->label[j] ? seg_da_next(base, sb, st->label[j]) : -1;
            if (su < 0 && sb < 0)
                break;
            double lf;
            int32_t w;
            if (su >= 0 && (w = user->da[su].word) >= 0 && (size_t)w < user->nwords) {
                if (user->freq[w] <= 0)
                    continue;               /* deleted by the user dictionary */
                lf = user->logfreq[w];
            } else if (sb >= 0 && (w = base->da[sb].word) >= 0 && (size_t)w < base->nwords) {
                lf = base->logfreq[w];
            } else {
                continue;
            }
            double s = lf - d->logtotal + st->score[j + 1 - b];
            if (bestx < 0 || s >= best) {   /* ties go to the longer word, as max((p, x)) */
                best = s;
                bestx = (int32_t)j;
            }
        }
        if (bestx < 0) {                    /* no word starts here: the character alone, freq 1 */
            best = 0 - d->logtotal + st->score[i + 1 - b];
            bestx = (int32_t)i;
        }
        st->score[i - b] = best;
        st->next[i - b] = bestx;
    }
}

/* ---- the HMM (jieba's finalseg) ---- */

static const uint8_t prev_states[4][2] = {
    [SEG_B] = {SEG_E, SEG_S}, [SEG_M] = {SEG_M, SEG_B},
    [SEG_E] = {SEG_B, SEG_M}, [SEG_S] = {SEG_S, SEG_E},
};
static const uint8_t letter_rank[4] = {[SEG_B] = 0, [SEG_E] = 1, [SEG_M] = 2, [SEG_S] = 3};

/* Python's max over (probability, state letter) tuples. */
static int beats(double p, int state, double best, int best_state)
{
    return p > best || (p == best && letter_rank[state] > letter_rank[best_state]);
}

static void viterbi(seg_state *st, size_t b, size_t e)
{
    const seg_hmm_tables *h = st->d->hmm;
    size_t n = e - b;
    double (*v)[4] = st->v;
    for (int y = 0; y < 4; y++)
        v[0][y] = h->start[y] + h->emit[y][st->cp[b] - SEG_HAN_FIRST];
    for (size_t t = 1; t < n; t++) {
        int32_t obs = st->cp[b + t] - SEG_HAN_FIRST;
        for (int y = 0; y < 4; y++) {
            double em = h->emit[y][obs];
            int y0 = prev_states[y][0];
            double best = v[t - 1][y0] + h->trans[y0][y] + em;
            int best_state = y0;
            y0 = prev_states[y][1];
            double p = v[t - 1][y0] + h->trans[y0][y] + em;
            if (beats(p, y0, best, best_state)) {
                best = p;
                best_state = y0;
            }
            v[t][y] = best;
            st->bp[t][y] = (uint8_t)best_state;
        }
    }
    int state = beats(v[n - 1][SEG_S], SEG_S, v[n - 1][SEG_E], SEG_E) ? SEG_S : SEG_E;
    for (size_t t = n; t-- > 0;) {
        st->path[t] = (uint8_t)state;
        if (t > 0)
            state = st->bp[t][state];
    }
}

static void emit_hmm_word(seg_state *st, size_t ci, size_t cj)
{
    if (cj - ci > 1 && force_split(st, ci, cj)) {
        for (size_t i = ci; i < cj; i++)
            emit_word(st, i, i + 1);
        return;
    }
    emit_word(st, ci, cj);
}

/* A run of Han characters [b, e) through the HMM: B(M*)E words and S singles. */
static void hmm_han(seg_state *st, size_t b, size_t e)
{
    viterbi(st, b, e);
    size_t begin = b, nexti = b;
    for (size_t i = b; i < e; i++) {
        switch (st->path[i - b]) {
        case SEG_B:
            if (nexti < i)                  /* cannot happen with jieba's tables; keeps the tiling */
                emit_hmm_word(st, nexti, i);
            begin = i;
            break;
        case SEG_E:
            emit_hmm_word(st, begin, i + 1);
            nexti = i + 1;
            break;
        case SEG_S:
            emit_hmm_word(st, i, i + 1);
            nexti = i + 1;
            break;
        }
    }
    if (nexti < e)
        emit_hmm_word(st, nexti, e);
}

/* jieba's finalseg.cut on [b, e): Han runs through the HMM; the rest split by
 * re_skip ([a-zA-Z0-9]+(?:\.\d+)?%?), so 2.65% and 1516.7 stay whole. */
static void hmm_cut(seg_state *st, size_t b, size_t e)
{
    size_t p = b;
    while (p < e) {
        size_t q = p;
        if (is_han(st->cp[p])) {
            while (q < e && is_han(st->cp[q]))
                q++;
            hmm_han(st, p, q);
        } else if (is_alnum(st->cp[p])) {
            while (q < e && is_alnum(st->cp[q]))
                q++;
            if (q + 1 < e && st->cp[q] == '.' && is_digit(st->cp[q + 1])) {
                q++;
                while (q < e && is_digit(st->cp[q]))
                    q++;
            }
            if (q < e && st->cp[q] == '%')
                q++;
            emit_word(st, p, q);
        } else {
            while (q < e && !is_han(st->cp[q]) && !is_alnum(st->cp[q]))
                q++;
            emit_word(st, p, q);
        }
        p = q;
    }
}

/* jieba's __cut_DAG: words of two or more characters go out as they are; runs of
 * single characters are buffered and, unless the run is itself a word, handed to
 * the HMM to find unknown words. */
static void flush_singles(seg_state *st, size_t b, size_t e)
{
    if (e - b == 1) {
        emit_word(st, b, e);
        return;
    }
    int found;
    double f = word_freq(st, b, e, &found);
    if (found && f > 0) {
        for (size_t i = b; i < e; i++)
            emit_word(st, i, i + 1);
        return;
    }
    hmm_cut(st, b, e);
}

static void cut_block(seg_state *st, size_t b, size_t e)
{
    compute_route(st, b, e);
    int hmm = !(st->flags & SEG_FLAG_NO_HMM);
    size_t x = b, buf = SIZE_MAX;
    while (x < e && !st->stop) {
        size_t y = (size_t)st->next[x - b] + 1;
        int single = (y - x == 1);
        if (single && (hmm || is_alnum(st->cp[x]))) {
            if (buf == SIZE_MAX)
                buf = x;
        } else {
            if (buf != SIZE_MAX) {
                if (hmm)
                    flush_singles(st, buf, x);
                else
                    emit_word(st, buf, x);  /* __cut_DAG_NO_HMM joins single letters/digits */
                buf = SIZE_MAX;
            }
            emit_word(st, x, y);
        }
        x = y;
    }
    if (buf != SIZE_MAX && !st->stop) {
        if (hmm)
            flush_singles(st, buf, e);
        else
            emit_word(st, buf, e);
    }
}

/* ---- decoding and normalising a window ---- */

static int numeral_digit(int32_t cp)
{
    static const int32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    if (cp == 0x25CB || cp == 0x96F6)       /* ○ and 零 written for 〇 */
        return 0;
    for (int i = 0; i < 10; i++)
        if (digits[i] == cp)
            return i;
    return -1;
}

/* Years written in Chinese numerals read as numbers: 二〇三五年 → 2035 / 年, as
 * 2035年 is. Only runs of two or more numerals holding a 〇 (or ○), so 十四五
 * and 一二 stay words. */
static void fold_numeral_years(int32_t *cp, size_t n)
{
    for (size_t i = 0; i < n;) {
        if (numeral_digit(cp[i]) < 0) {
            i++;
            continue;
        }
        size_t j = i;
        int zero = 0;
        while (j < n && numeral_digit(cp[j]) >= 0) {
            zero |= (cp[j] == 0x3007 || cp[j] == 0x25CB);
            j++;
        }
        if (zero && j - i >= 2)
            for (size_t k = i; k < j; k++)
                cp[k] = '0' + numeral_digit(cp[k]);
        i = j;
    }
}

/* Decodes text[0, len) into the window arrays; returns the character count. */
static int decode_window(seg_state *st, const char *text, size_t len, size_t offset, size_t *out_n)
{
    int rc = reserve(st, len + 1);
    if (rc)
        return rc;
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = seg_utf8_decode((const unsigned char *)text + i, len - i, &cp);
        st->ostart[n] = offset + i;
        st->cp[n++] = cp < 0 ? -1 : seg_fold_char(cp);
        i += k ? (size_t)k : 1;
    }
    st->ostart[n] = offset + len;

    /* traditional → simplified, one run of non-ASCII text at a time */
    for (size_t i = 0; i < n;) {
        if (st->cp[i] < 0x2E80) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && st->cp[j] >= 0x2E80)
            j++;
        rc = seg_trad_fold(st->d->trad, st->cp + i, j - i);
        if (rc)
            return rc;
        i = j;
    }
    fold_numeral_years(st->cp, n);

    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        st->nstart[i] = o;
        if (st->cp[i] < 0)
            st->norm[o++] = text[st->ostart[i] - offset];   /* the invalid byte itself */
        else
            o += (size_t)seg_utf8_encode(st->cp[i], st->norm + o);
    }
    st->nstart[n] = o;
    const uint16_t *alpha = st->d->base.alpha;
    for (size_t i = 0; i < n; i++)
        st->label[i] = (st->cp[i] >= 0 && st->cp[i] < 0x10000) ? alpha[st->cp[i]] : 0;
    *out_n = n;
    return 0;
}

/* Where a window may end without cutting a token: just after whitespace or a
 * character outside every Han block. Returns 0 when there is no such place. */
static size_t last_safe_cut(const seg_state *st, size_t n)
{
    for (size_t i = n; i-- > n / 2;)
        if (st->cp[i] < 0 || !in_han_block(st->cp[i]))
            return i + 1;
    return 0;
}

static void cut_window(seg_state *st, size_t n)
{
    for (size_t i = 0; i < n && !st->stop;) {
        int32_t cp = st->cp[i];
        if (cp >= 0 && in_han_block(cp)) {
            size_t j = i;
            while (j < n && st->cp[j] >= 0 && in_han_block(st->cp[j]))
                j++;
            cut_block(st, i, j);
            i = j;
        } else {
            if (cp < 0 || !seg_is_space(cp))
                emit_span(st, i, i + 1, 0);
            i++;
        }
    }
}

/* Bytes of the next window at pos: at most WINDOW_BYTES, ending on a character
 * boundary (back over at most three continuation bytes). */
static size_t window_len(const char *text, size_t len, size_t pos)
{
    size_t wlen = len - pos;
    if (wlen <= WINDOW_BYTES)
        return wlen;
    wlen = WINDOW_BYTES;
    for (int k = 0; k < 3 && ((unsigned char)text[pos + wlen] & 0xC0) == 0x80; k++)
        wlen--;
    return wlen;
}

typedef struct {
    seg_emit_fn emit;
    void *ctx;
    const char *text;
} norm_check;

static int finish_token(void *ctx, const seg_token *tok)
{
    const norm_check *c = ctx;
    seg_token t = *tok;
    if (t.normalised < 0)
        t.normalised = t.norm_len != t.end - t.start || memcmp(t.norm, c->text + t.start, t.norm_len) != 0;
    return c->emit(c->ctx, &t);
}

int seg_cut(seg_state *st, const char *text, size_t len, enum seg_mode mode,
            unsigned flags, seg_emit_fn emit, void *ctx)
{
    if (!st || (!text && len) || !emit)
        return SEG_EINVAL;
    norm_check check = {emit, ctx, text};
    st->mode = mode;
    st->flags = flags;
    st->emit = finish_token;
    st->ctx = &check;
    st->stop = 0;
    size_t pos = 0;
    while (pos < len && !st->stop) {
        size_t wlen = window_len(text, len, pos);
        int last = pos + wlen == len;
        size_t n;
        int rc = decode_window(st, text + pos, wlen, pos, &n);
        if (rc)
            return rc;
        if (!last) {
            /* end at a place no token crosses; failing that (64 KiB of Han with no
             * punctuation), at the window's end */
            size_t cut = last_safe_cut(st, n);
            if (cut > 0)
                n = cut;
        }
        cut_window(st, n);
        pos = st->ostart[n];
    }
    return st->stop;
}

static int is_ascii_alnum_cp(int32_t cp) { return cp >= 0 && cp < 0x80 && is_alnum(cp); }

/* Room for need bytes (and their offsets) in seg_normalize's output. */
static int reserve_normalized(seg_state *st, size_t need)
{
    if (need <= st->ncap)
        return 0;
    size_t cap = need * 2;
    char *no = realloc(st->nout, cap);
    if (!no)
        return SEG_ENOMEM;
    st->nout = no;
    size_t *nr = realloc(st->norig, cap * sizeof *nr);
    if (!nr)
        return SEG_ENOMEM;
    st->norig = nr;
    st->ncap = cap;
    return 0;
}

int seg_normalize(seg_state *st, const char *text, size_t len, const char **out, size_t *out_len,
                  const size_t **orig)
{
    size_t o = 0;
    int32_t last = 0;                 /* the last code point written */
    int pending_space = 0;
    size_t pos = 0;
    do {
        size_t wlen = window_len(text, len, pos);
        size_t n;
        int rc = decode_window(st, text + pos, wlen, pos, &n);
        if (rc)
            return rc;
        if (reserve_normalized(st, o + st->nstart[n] + 2))
            return SEG_ENOMEM;
        for (size_t i = 0; i < n; i++) {
            int32_t cp = st->cp[i];
            if (cp >= 0 && seg_is_space(cp)) {
                pending_space = 1;
                continue;
            }
            /* one space between two ASCII words, as in "digital economy" */
            if (pending_space && is_ascii_alnum_cp(last) && is_ascii_alnum_cp(cp)) {
                st->nout[o] = ' ';
                st->norig[o++] = st->ostart[i];
            }
            pending_space = 0;
            for (size_t k = st->nstart[i]; k < st->nstart[i + 1]; k++) {
                st->nout[o] = st->norm[k];
                st->norig[o++] = st->ostart[i];
            }
            last = cp;
        }
        pos += wlen;
    } while (pos < len);
    if (reserve_normalized(st, o + 1))
        return SEG_ENOMEM;
    st->nout[o] = 0;
    st->norig[o] = len;
    *out = st->nout;
    *out_len = o;
    if (orig)
        *orig = st->norig;
    return 0;
}
