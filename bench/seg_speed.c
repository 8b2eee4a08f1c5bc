/* seg_speed.c — segmenter throughput, one thread, in process: wensou's accurate
 * mode beside ICU's word BreakIterator on the same bytes in the same run, plus the
 * dictionary's open time. usage: seg_speed DICT.wsd USERDICT FILE [REPEAT] */
#include "seg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int count_token(void *ctx, const seg_token *t)
{
    (void)t;
    ++*(size_t *)ctx;
    return 0;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) { perror(path); exit(1); }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) { perror(path); exit(1); }
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Lines, as the indexer and `wensou segment` feed them. */
static double run_wensou(seg_state *st, const char *text, size_t len, enum seg_mode mode, size_t *tokens)
{
    double t0 = now();
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        seg_cut(st, text + p, e - p, mode, 0, count_token, tokens);
        p = e + 1;
    }
    return now() - t0;
}

static double run_icu(const char *text, size_t len, size_t *tokens)
{
    double t0 = now();
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    UChar *u = NULL;
    int32_t ucap = 0;
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        int32_t need = 0;
        err = U_ZERO_ERROR;
        u_strFromUTF8(u, ucap, &need, text + p, (int32_t)(e - p), &err);
        if (err == U_BUFFER_OVERFLOW_ERROR || need >= ucap) {
            ucap = need + 1;
            u = realloc(u, (size_t)ucap * sizeof *u);
            err = U_ZERO_ERROR;
            u_strFromUTF8(u, ucap, &need, text + p, (int32_t)(e - p), &err);
        }
        err = U_ZERO_ERROR;
        ubrk_setText(bi, u, need, &err);
        for (int32_t b = ubrk_first(bi); b != UBRK_DONE; b = ubrk_next(bi))
            if (ubrk_getRuleStatus(bi) != UBRK_WORD_NONE)
                ++*tokens;
        p = e + 1;
    }
    ubrk_close(bi);
    free(u);
    return now() - t0;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr, "usage: seg_speed DICT.wsd USERDICT FILE [REPEAT]\n");
        return 2;
    }
    int repeat = argc > 4 ? atoi(argv[4]) : 1;
    size_t one_len;
    char *one = slurp(argv[3], &one_len);
    size_t len = one_len * (size_t)repeat;
    char *text = malloc(len);
    for (int i = 0; i < repeat; i++)
        memcpy(text + one_len * (size_t)i, one, one_len);

    double t0 = now();
    seg_dict *d;
    seg_err err;
    if (seg_dict_open(argv[1], argv[2], &d, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    double t_open = now() - t0;
    seg_state *st;
    seg_state_new(d, &st);

    double mb = len / 1e6;
    size_t warm = 0;
    run_wensou(st, text, len < 2000000 ? len : 2000000, SEG_MODE_ACCURATE, &warm);
    size_t n_acc = 0, n_search = 0, n_icu = 0;
    double best_acc = 1e9, best_search = 1e9, best_icu = 1e9;
    for (int r = 0; r < 3; r++) {
        size_t a = 0, s = 0, c = 0;
        double ta = run_wensou(st, text, len, SEG_MODE_ACCURATE, &a);
        double ts = run_wensou(st, text, len, SEG_MODE_SEARCH, &s);
        double tc = run_icu(text, len, &c);
        if (ta < best_acc) best_acc = ta;
        if (ts < best_search) best_search = ts;
        if (tc < best_icu) best_icu = tc;
        n_acc = a; n_search = s; n_icu = c;
    }
    printf("input: %.1f MB (%s x %d)\n", mb, argv[3], repeat);
    printf("dictionary open (mmap + user dictionary, %zu words): %.2f ms   target <= 5 ms\n",
           seg_dict_user_words(d), t_open * 1e3);
    printf("%-28s %8.1f MB/s  %9zu tokens  (best of 3)\n", "wensou accurate", mb / best_acc, n_acc);
    printf("%-28s %8.1f MB/s  %9zu tokens\n", "wensou search", mb / best_search, n_search);
    printf("%-28s %8.1f MB/s  %9zu tokens\n", "ICU word BreakIterator", mb / best_icu, n_icu);
    printf("ratio accurate / ICU: %.2fx   target >= 2x;  accurate >= 30 MB/s: %s\n",
           best_icu / best_acc, mb / best_acc >= 30 ? "yes" : "no");
    seg_state_free(st);
    seg_dict_close(d);
    free(text);
    free(one);
    return 0;
}
