/* dictc.c — the build-time dictionary compiler: jieba's dict.txt and HMM tables
 * (exported by jieba_hmm_export.py) → one .wsd file the segmenter memory-maps,
 * so no process parses 350,000 lines at start-up.
 * usage: dictc DICT.txt HMM.tsv OUT.wsd */
#include "../segmenter/seg_int.h"

#include <errno.h>
#include <math.h>
#include <opencc/opencc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { char *key; uint32_t len; double freq; uint32_t *labels; uint32_t nlabels; } entry;

static void die(const char *what, const char *why)
{
    fprintf(stderr, "dictc: %s: %s\n", what, why);
    exit(1);
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    size_t l = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, l);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Folds a dictionary word the way the segmenter folds text (case, width), so
 * AT&T is found as at&t. Returns NULL for words that are not valid UTF-8. */
static char *fold_word(const char *w, uint32_t *out_len)
{
    size_t len = strlen(w);
    char *out = malloc(len * 4 + 1);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = seg_utf8_decode((const unsigned char *)w + i, len - i, &cp);
        if (k == 0) {
            free(out);
            return NULL;
        }
        o += (size_t)seg_utf8_encode(seg_fold_char(cp), out + o);
        i += (size_t)k;
    }
    out[o] = 0;
    *out_len = (uint32_t)o;
    return out;
}

static entry *read_dict(const char *path, size_t *out_n, double *out_total)
{
    FILE *f = fopen(path, "r");
    if (!f)
        die(path, strerror(errno));
    entry *e = NULL;
    size_t n = 0, cap = 0;
    double total = 0;
    char *line = NULL;
    size_t lcap = 0;
    unsigned lineno = 0;
    while (getline(&line, &lcap, f) >= 0) {
        lineno++;
        char *word = strtok(line, " \t\r\n");
        char *freq = strtok(NULL, " \t\r\n");
        if (!word)
            continue;
        if (!freq) {
            fprintf(stderr, "dictc: %s:%u: no frequency\n", path, lineno);
            exit(1);
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            e = realloc(e, cap * sizeof *e);
            if (!e)
                die(path, "out of memory");
        }
        e[n].key = fold_word(word, &e[n].len);
        if (!e[n].key) {
            fprintf(stderr, "dictc: %s:%u: not UTF-8\n", path, lineno);
            exit(1);
        }
        e[n].freq = strtod(freq, NULL);
        total += e[n].freq;          /* jieba's total counts every line */
        n++;
    }
    free(line);
    fclose(f);
    qsort(e, n, sizeof *e, cmp_entry);
    size_t m = 0;                    /* case variants fold together: keep the larger frequency */
    for (size_t i = 0; i < n; i++) {
        if (m > 0 && cmp_entry(&e[m - 1], &e[i]) == 0) {
            if (e[i].freq > e[m - 1].freq)
                e[m - 1].freq = e[i].freq;
            free(e[i].key);
        } else {
            e[m++] = e[i];
        }
    }
    *out_n = m;
    *out_total = total;
    return e;
}

static int state_index(const char *s)
{
    switch (s[0]) {
    case 'B': return SEG_B;
    case 'M': return SEG_M;
    case 'E': return SEG_E;
    case 'S': return SEG_S;
    }
    die("hmm table", "unknown state");
    return -1;
}

static void read_hmm(const char *path, seg_hmm_tables *h)
{
    for (int s = 0; s < 4; s++) {
        h->start[s] = SEG_MIN_FLOAT;
        for (int t = 0; t < 4; t++)
            h->trans[s][t] = SEG_MIN_FLOAT;
        for (int c = 0; c < SEG_HAN_COUNT; c++)
            h->emit[s][c] = SEG_MIN_FLOAT;
    }
    FILE *f = fopen(path, "r");
    if (!f)
        die(path, strerror(errno));
    char kind[16], a[8], b[16];
    double p;
    size_t count = 0;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "%15s", kind) != 1)
            continue;
        if (strcmp(kind, "start") == 0 && sscanf(line, "%*s %7s %lf", a, &p) == 2) {
            h->start[state_index(a)] = p;
        } else if (strcmp(kind, "trans") == 0 && sscanf(line, "%*s %7s %7s %lf", a, b, &p) == 3) {
            h->trans[state_index(a)][state_index(b)] = p;
        } else if (strcmp(kind, "emit") == 0 && sscanf(line, "%*s %7s %15s %lf", a, b, &p) == 3) {
            long cp = strtol(b, NULL, 10);
            if (cp >= SEG_HAN_FIRST && cp <= SEG_HAN_LAST)
                h->emit[state_index(a)][cp - SEG_HAN_FIRST] = p;
        } else {
            die(path, "unreadable line");
        }
        count++;
    }
    fclose(f);
    if (count < 100)
        die(path, "too few HMM entries");
}

/* Marks every code point that OpenCC's t2s changes on its own, so the segmenter
 * calls OpenCC only for text that holds one. One conversion of all candidates,
 * one per line, so no phrase spans two of them. */
static void build_trad_bitmap(uint8_t *bits)
{
    static const int32_t ranges[][2] = {{0x2E80, 0x2FDF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
                                        {0xF900, 0xFAFF}, {0x20000, 0x2FA1F}};
    size_t cap = 0;
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        cap += (size_t)(ranges[r][1] - ranges[r][0] + 1) * 5;
    char *in = malloc(cap + 1);
    size_t o = 0;
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (int32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            o += (size_t)seg_utf8_encode(cp, in + o);
            in[o++] = '\n';
        }
    opencc_t cc = opencc_open(OPENCC_DEFAULT_CONFIG_TRAD_TO_SIMP);
    if (cc == (opencc_t)-1)
        die("opencc t2s", opencc_error());
    char *res = opencc_convert_utf8(cc, in, o);
    if (!res)
        die("opencc t2s", opencc_error());
    const char *p = res;
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
        for (int32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            const char *nl = strchr(p, '\n');
            if (!nl)
                die("opencc t2s", "output lost its line breaks");
            int32_t got;
            int k = seg_utf8_decode((const unsigned char *)p, (size_t)(nl - p), &got);
            if (k == 0 || p + k != nl || got != cp)
                bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
            p = nl + 1;
        }
    opencc_convert_utf8_free(res);
    opencc_close(cc);
    free(in);
}

typedef struct { int32_t cp; double weight; } char_weight;

static int cmp_weight(const void *a, const void *b)
{
    const char_weight *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return (x->cp > y->cp) - (x->cp < y->cp);
}

static int cmp_labels(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    seg_da_key kx = {x->labels, x->nlabels, 0}, ky = {y->labels, y->nlabels, 0};
    return seg_da_key_cmp(&kx, &ky);
}

/* Numbers the dictionary's characters 1, 2, … by how much weight the words holding
 * them carry, fills alpha (code point → label), turns each word into labels and
 * sorts the entries by them. */
static void assign_labels(entry *e, size_t n, uint16_t *alpha)
{
    char_weight *w = calloc(0x10000, sizeof *w);
    for (int32_t cp = 0; cp < 0x10000; cp++)
        w[cp].cp = cp;
    for (size_t i = 0; i < n; i++) {
        e[i].labels = malloc(e[i].len * sizeof(uint32_t));
        e[i].nlabels = 0;
        for (size_t k = 0; k < e[i].len;) {
            int32_t cp;
            int len = seg_utf8_decode((const unsigned char *)e[i].key + k, e[i].len - k, &cp);
            if (len == 0 || cp >= 0x10000)
                die(e[i].key, "character outside the Basic Multilingual Plane");
            w[cp].weight += e[i].freq + 1;
            e[i].labels[e[i].nlabels++] = (uint32_t)cp;
            k += (size_t)len;
        }
    }
    qsort(w, 0x10000, sizeof *w, cmp_weight);
    for (uint32_t id = 1; id < 0x10000 && w[id - 1].weight > 0; id++)
        alpha[w[id - 1].cp] = (uint16_t)id;
    for (size_t i = 0; i < n; i++)
        for (uint32_t k = 0; k < e[i].nlabels; k++)
            e[i].labels[k] = alpha[e[i].labels[k]];
    qsort(e, n, sizeof *e, cmp_labels);
    free(w);
}

static uint64_t align8(uint64_t x) { return (x + 7) & ~(uint64_t)7; }

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: dictc DICT.txt HMM.tsv OUT.wsd\n");
        return 2;
    }
    size_t n;
    double total;
    entry *e = read_dict(argv[1], &n, &total);
    uint16_t *alpha = calloc(0x10000, sizeof *alpha);
    assign_labels(e, n, alpha);

    seg_da_key *keys = malloc(n * sizeof *keys);
    double *freq = malloc(n * sizeof *freq), *logfreq = malloc(n * sizeof *logfreq);
    size_t nwords = 0;
    for (size_t i = 0; i < n; i++) {
        keys[i].key = e[i].labels;
        keys[i].len = e[i].nlabels;
        keys[i].word = -1;
        if (e[i].freq > 0) {         /* frequency 0: only a prefix, as in jieba's FREQ */
            keys[i].word = (int32_t)nwords;
            freq[nwords] = e[i].freq;
            logfreq[nwords] = log(e[i].freq);
            nwords++;
        }
    }
    seg_da_node *da;
    size_t da_size;
    int rc = seg_da_build(keys, n, &da, &da_size);
    if (rc)
        die("double array", seg_strerror(rc));

    seg_hmm_tables *hmm = calloc(1, sizeof *hmm);
    read_hmm(argv[2], hmm);
    uint8_t *trad = calloc(SEG_CP_LIMIT / 8, 1);
    build_trad_bitmap(trad);

    seg_dict_header h;
    memset(&h, 0, sizeof h);
    memcpy(h.magic, SEG_DICT_MAGIC, 8);
    h.total = total;
    h.da_size = da_size;
    h.nwords = nwords;
    h.da_off = align8(sizeof h);
    h.freq_off = align8(h.da_off + da_size * sizeof *da);
    h.logfreq_off = align8(h.freq_off + nwords * sizeof(double));
    h.hmm_off = align8(h.logfreq_off + nwords * sizeof(double));
    h.trad_off = align8(h.hmm_off + sizeof *hmm);
    h.alpha_off = align8(h.trad_off + SEG_CP_LIMIT / 8);
    h.file_size = align8(h.alpha_off + 0x10000 * sizeof *alpha);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", argv[3]);
    FILE *out = fopen(tmp, "wb");
    if (!out)
        die(tmp, strerror(errno));
    char *blob = calloc(1, h.file_size);
    memcpy(blob, &h, sizeof h);
    memcpy(blob + h.da_off, da, da_size * sizeof *da);
    memcpy(blob + h.freq_off, freq, nwords * sizeof(double));
    memcpy(blob + h.logfreq_off, logfreq, nwords * sizeof(double));
    memcpy(blob + h.hmm_off, hmm, sizeof *hmm);
    memcpy(blob + h.trad_off, trad, SEG_CP_LIMIT / 8);
    memcpy(blob + h.alpha_off, alpha, 0x10000 * sizeof *alpha);
    if (fwrite(blob, 1, h.file_size, out) != h.file_size || fclose(out) != 0)
        die(tmp, "write failed");
    if (rename(tmp, argv[3]) != 0)
        die(argv[3], strerror(errno));
    fprintf(stderr, "dictc: %zu keys, %zu words, %zu slots, %.1f MB\n", n, nwords, da_size,
            (double)h.file_size / 1e6);
    return 0;
}
