/* seg_speed.c — segmenter throughput, one thread, in process: wensou's accurate
 * and search modes beside ICU's word BreakIterator on the same bytes, interleaved,
 * ROUNDS times (min / median / max of each, and the ratio of the medians), plus the
 * dictionary's open time.
 * usage: seg_speed DICT.wsd USERDICT FILE [REPEAT [ROUNDS]]
 *        seg_speed --icu-process FILE   ICU as a whole process, the peer of `wensou
 *                                       segment FILE`: each line's segments joined by
 *                                       " / " to stdout */
#include "seg.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
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

/* The line s[0, n) as UTF-16 in *u (grown as needed, *cap its room); its length. */
static int32_t to_utf16(const char *s, size_t n, UChar **u, int32_t *cap)
{
    int32_t need = 0;
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8(*u, *cap, &need, s, (int32_t)n, &err);
    if (err == U_BUFFER_OVERFLOW_ERROR || need >= *cap) {
        *cap = need + 1;
        *u = realloc(*u, (size_t)*cap * sizeof **u);
        err = U_ZERO_ERROR;
        u_strFromUTF8(*u, *cap, &need, s, (int32_t)n, &err);
    }
    return need;
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
        int32_t need = to_utf16(text + p, e - p, &u, &ucap);
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

/* ICU's segments of each line of FILE, joined by " / ", one output line per line. */
static int icu_process(const char *path)
{
    size_t len;
    char *text = slurp(path, &len);
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    UChar *u = NULL;
    int32_t ucap = 0;
    char *out = NULL;
    size_t ocap = 0;
    for (size_t p = 0; p < len;) {
        const char *nl = memchr(text + p, '\n', len - p);
        size_t e = nl ? (size_t)(nl - text) : len;
        int32_t need = to_utf16(text + p, e - p, &u, &ucap);
        if (ocap < (size_t)need * 8 + 16) {
            ocap = (size_t)need * 8 + 16;
            out = realloc(out, ocap);
        }
        err = U_ZERO_ERROR;
        ubrk_setText(bi, u, need, &err);
        size_t o = 0;
        int32_t a = ubrk_first(bi);
        for (int32_t b = ubrk_next(bi); b != UBRK_DONE; a = b, b = ubrk_next(bi)) {
            int32_t n = 0;
            err = U_ZERO_ERROR;
            if (o)
                memcpy(out + o, " / ", 3), o += 3;
            u_strToUTF8(out + o, (int32_t)(ocap - o), &n, u + a, b - a, &err);
            o += (size_t)n;
        }
        out[o++] = '\n';
        fwrite(out, 1, o, stdout);
        p = e + 1;
    }
    ubrk_close(bi);
    free(u);
    free(out);
    free(text);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* min / median / max of MB / t over the rounds; returns the median's MB/s. */
static double report(const char *name, double mb, double *t, int rounds, size_t tokens)
{
    qsort(t, (size_t)rounds, sizeof *t, cmp_double);
    double med = mb / t[rounds / 2];
    printf("%-24s MB/s  min %6.1f  median %6.1f  max %6.1f   %9zu tokens\n", name, mb / t[rounds - 1], med, mb / t[0],
           tokens);
    return med;
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "--icu-process") == 0)
        return icu_process(argv[2]);
    if (argc < 4) {
        fprintf(stderr, "usage: seg_speed DICT.wsd USERDICT FILE [REPEAT [ROUNDS]]\n"
                        "       seg_speed --icu-process FILE\n");
        return 2;
    }
    int repeat = argc > 4 ? atoi(argv[4]) : 1;
    int rounds = argc > 5 ? atoi(argv[5]) : 5;
    if (repeat < 1 || rounds < 1 || rounds > 100) {
        fprintf(stderr, "seg_speed: REPEAT >= 1, ROUNDS 1..100\n");
        return 2;
    }
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
    double t_acc[100], t_search[100], t_icu[100];
    for (int r = 0; r < rounds; r++) {         /* interleaved */
        n_acc = n_search = n_icu = 0;
        t_acc[r] = run_wensou(st, text, len, SEG_MODE_ACCURATE, &n_acc);
        t_search[r] = run_wensou(st, text, len, SEG_MODE_SEARCH, &n_search);
        t_icu[r] = run_icu(text, len, &n_icu);
    }
    double load[3] = {0, 0, 0};
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (fscanf(la, "%lf %lf %lf", &load[0], &load[1], &load[2]) != 3)
            load[0] = load[1] = load[2] = 0;
        fclose(la);
    }
    printf("input: %.1f MB (%s x %d), %d rounds interleaved, load average %.2f %.2f %.2f\n", mb, argv[3], repeat,
           rounds, load[0], load[1], load[2]);
    printf("dictionary open (mmap + user dictionary, %zu words): %.2f ms   target <= 5 ms\n",
           seg_dict_user_words(d), t_open * 1e3);
    double acc = report("wensou accurate", mb, t_acc, rounds, n_acc);
    report("wensou search", mb, t_search, rounds, n_search);
    double icu = report("ICU word BreakIterator", mb, t_icu, rounds, n_icu);
    printf("ratio of the medians, accurate / ICU: %.2fx   target >= 2x;  accurate >= 30 MB/s: %s\n", acc / icu,
           acc >= 30 ? "yes" : "no");
    seg_state_free(st);
    seg_dict_close(d);
    free(text);
    free(one);
    return 0;
}
