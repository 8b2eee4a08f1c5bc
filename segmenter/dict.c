/* dict.c — opens the compiled base dictionary (memory-mapped, validated, ready in
 * well under a millisecond) and the user dictionary (parsed at start-up into a
 * small double array of its own that overrides the base one). */
#include "seg_int.h"
#include "intl.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(seg_err *err, int code, const char *fmt, const char *a, const char *b)
{
    if (err) {
        err->code = code;
        snprintf(err->msg, sizeof err->msg, fmt, a, b);
    }
    return code;
}

const char *seg_strerror(int code)
{
    switch (code) {
    case SEG_EOK: return _("success");
    case SEG_ENOMEM: return _("out of memory");
    case SEG_EIO: return _("cannot read dictionary");
    case SEG_EFORMAT: return _("dictionary file is corrupt or of another version (rebuild it)");
    case SEG_EUSERDICT: return _("bad line in user dictionary");
    case SEG_EINVAL: return _("invalid argument");
    case SEG_EOPENCC: return _("cannot open OpenCC's t2s conversion");
    }
    return _("unknown error");
}

static int section_ok(const seg_dict_header *h, uint64_t off, uint64_t count, uint64_t elem)
{
    if (off % 8 || off < sizeof *h || off > h->file_size)
        return 0;
    if (count > (h->file_size - off) / elem)
        return 0;
    return 1;
}

static int map_base(seg_dict *d, const char *path, seg_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(err, SEG_EIO, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) < 0 || st.st_size < (off_t)sizeof(seg_dict_header)) {
        close(fd);
        return fail(err, SEG_EFORMAT, "%s: %s", path, "too short to be a compiled dictionary");
    }
    void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    if (map == MAP_FAILED)
        return fail(err, SEG_EIO, "%s: %s", path, strerror(errno));
    d->map = map;
    d->map_len = (size_t)st.st_size;

    const seg_dict_header *h = map;
    if (memcmp(h->magic, SEG_DICT_MAGIC, 8) != 0 || h->file_size != (uint64_t)st.st_size
        || !section_ok(h, h->da_off, h->da_size, sizeof(seg_da_node)) || h->da_size == 0
        || !section_ok(h, h->freq_off, h->nwords, sizeof(double))
        || !section_ok(h, h->logfreq_off, h->nwords, sizeof(double))
        || !section_ok(h, h->hmm_off, 1, sizeof(seg_hmm_tables))
        || !section_ok(h, h->trad_off, SEG_CP_LIMIT / 8, 1)
        || !section_ok(h, h->alpha_off, 0x10000, sizeof(uint16_t))
        || !(h->total > 0))
        return fail(err, SEG_EFORMAT, "%s: %s", path, seg_strerror(SEG_EFORMAT));

    const char *base = map;
    d->hdr = h;
    d->base.da = (const seg_da_node *)(base + h->da_off);
    d->base.size = h->da_size;
    d->base.freq = (const double *)(base + h->freq_off);
    d->base.logfreq = (const double *)(base + h->logfreq_off);
    d->base.nwords = h->nwords;
    d->base.alpha = (const uint16_t *)(base + h->alpha_off);
    d->hmm = (const seg_hmm_tables *)(base + h->hmm_off);
    d->trad = (const uint8_t *)(base + h->trad_off);
    d->total = h->total;
    d->logtotal = log(d->total);
    return 0;
}

double seg_dict_freq(const seg_dict *d, const char *key, size_t len, int *found)
{
    int32_t w = seg_trie_lookup(&d->user, key, len);
    if (w >= 0) {
        *found = 1;
        return d->user.freq[w];
    }
    w = seg_trie_lookup(&d->base, key, len);
    if (w >= 0) {
        *found = 1;
        return d->base.freq[w];
    }
    *found = 0;
    return 0;
}

/* ---- user dictionary ---- */

typedef struct { char *key; uint32_t len; double freq; int has_freq; unsigned line; } user_word;

static int cmp_user_word(const void *a, const void *b)
{
    const user_word *x = a, *y = b;
    size_t l = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->key, y->key, l);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->line < y->line ? -1 : (x->line > y->line);   /* stable: later lines last */
}

/* Normalises a user word as the segmenter normalises text, so 柯橋區 and ＫＱ match. */
static char *normalise_word(const seg_dict *d, const char *w, size_t len, uint32_t *out_len, size_t *chars)
{
    int32_t cps[SEG_MAX_WORD_CHARS];
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int k = seg_utf8_decode((const unsigned char *)w + i, len - i, &cp);
        if (k == 0 || n == SEG_MAX_WORD_CHARS)
            return NULL;
        cps[n++] = seg_fold_char(cp);
        i += (size_t)k;
    }
    if (seg_trad_fold(d->trad, cps, n) != 0)
        return NULL;
    char *out = malloc(n * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++)
        o += (size_t)seg_utf8_encode(cps[i], out + o);
    out[o] = 0;
    *out_len = (uint32_t)o;
    *chars = n;
    return out;
}

typedef struct { const seg_dict *d; double product; } suggest_ctx;

static int multiply_piece_freq(void *ctx, const seg_token *tok)
{
    suggest_ctx *c = ctx;
    int found;
    double f = seg_dict_freq(c->d, tok->norm, tok->norm_len, &found);
    c->product *= (found && f > 0 ? f : 1) / c->d->total;
    return 0;
}

/* jieba's suggest_freq(word, tune=False): just enough for the word to be cut whole. */
static double suggest_freq(const seg_dict *d, const char *key, size_t len)
{
    suggest_ctx c = {d, 1.0};
    seg_state *st;
    if (seg_state_new(d, &st) != 0)
        return 1;
    seg_cut(st, key, len, SEG_MODE_ACCURATE, SEG_FLAG_NO_HMM, multiply_piece_freq, &c);
    seg_state_free(st);
    int found;
    double own = seg_dict_freq(d, key, len, &found);
    if (!found || own < 1)
        own = 1;
    double f = floor(c.product * d->total) + 1;
    return f > own ? f : own;
}

static int parse_line(seg_dict *d, char *line, const char *path, unsigned lineno,
                      user_word *out, seg_err *err)
{
    char where[64];
    snprintf(where, sizeof where, "%u", lineno);
    char *fields[4];
    int nf = 0;
    for (char *p = strtok(line, " \t"); p; p = strtok(NULL, " \t")) {
        if (nf == 3)
            return fail(err, SEG_EUSERDICT, "%s:%s: expected `word [freq] [tag]`", path, where);
        fields[nf++] = p;
    }
    size_t chars = 0;
    out->key = normalise_word(d, fields[0], strlen(fields[0]), &out->len, &chars);
    if (!out->key)
        return fail(err, SEG_EUSERDICT, "%s:%s: the word is not valid UTF-8 or longer than 64 characters", path, where);
    out->line = lineno;
    out->has_freq = 0;
    for (int f = 1; f < nf; f++) {
        char *end;
        errno = 0;
        if (fields[f][0] >= '0' && fields[f][0] <= '9' && f == 1) {
            unsigned long v = strtoul(fields[f], &end, 10);
            if (*end || errno || v > 1000000000UL) {
                free(out->key);
                return fail(err, SEG_EUSERDICT, "%s:%s: the frequency must be a whole number from 0 to 1000000000", path, where);
            }
            out->freq = (double)v;
            out->has_freq = 1;
        } else {
            for (const char *t = fields[f]; *t; t++)
                if (*t < 'a' || *t > 'z') {
                    free(out->key);
                    return fail(err, SEG_EUSERDICT, "%s:%s: expected a frequency or a part-of-speech tag (a-z) after the word", path, where);
                }
        }
    }
    return 0;
}

static int build_user_trie(seg_dict *d, user_word *w, size_t n)
{
    if (n)
        qsort(w, n, sizeof *w, cmp_user_word);
    size_t m = 0, total_len = 0;
    for (size_t i = 0; i < n; i++) {           /* a later line for the same word wins */
        if (m > 0 && w[m - 1].len == w[i].len && memcmp(w[m - 1].key, w[i].key, w[i].len) == 0) {
            free(w[m - 1].key);
            w[m - 1] = w[i];
        } else {
            w[m++] = w[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        total_len += w[i].len;
    seg_da_key *keys = malloc((m ? m : 1) * sizeof *keys);
    uint32_t *labels = malloc((total_len ? total_len : 1) * sizeof *labels);
    d->user_freq = malloc((m ? m : 1) * sizeof(double));
    d->user_logfreq = malloc((m ? m : 1) * sizeof(double));
    int rc = SEG_ENOMEM;
    if (!keys || !labels || !d->user_freq || !d->user_logfreq)
        goto done;
    size_t o = 0;
    for (size_t i = 0; i < m; i++) {           /* the user trie's labels are bytes */
        keys[i].key = labels + o;
        for (uint32_t k = 0; k < w[i].len; k++)
            labels[o++] = (uint8_t)w[i].key[k];
        keys[i].len = w[i].len;
        keys[i].word = (int32_t)i;
        d->user_freq[i] = w[i].freq;
        d->user_logfreq[i] = log(w[i].freq > 0 ? w[i].freq : 1);
    }
    size_t size = 0;
    rc = seg_da_build(keys, m, &d->user_da, &size);
    if (rc)
        goto done;
    d->user.da = d->user_da;
    d->user.size = size;
    d->user.freq = d->user_freq;
    d->user.logfreq = d->user_logfreq;
    d->user.nwords = m;
    d->user_words = m;
done:
    free(keys);
    free(labels);
    for (size_t i = 0; i < m; i++)
        free(w[i].key);
    return rc;
}

static int load_user(seg_dict *d, const char *path, seg_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return fail(err, SEG_EIO, "%s: %s", path, strerror(errno));
    user_word *words = NULL;
    size_t n = 0, cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t got;
    unsigned lineno = 0;
    int rc = 0;
    while ((got = getline(&line, &lcap, f)) >= 0) {
        lineno++;
        while (got > 0 && (line[got - 1] == '\n' || line[got - 1] == '\r' || line[got - 1] == ' ' || line[got - 1] == '\t'))
            line[--got] = 0;
        char *p = line;
        if (lineno == 1 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
            p += 3;                             /* BOM */
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == 0 || *p == '#')
            continue;
        if (strlen(p) != (size_t)(got - (p - line))) {
            char where[16];
            snprintf(where, sizeof where, "%u", lineno);
            rc = fail(err, SEG_EUSERDICT, "%s:%s: NUL byte in line", path, where);
            break;
        }
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            user_word *nw = realloc(words, cap * sizeof *nw);
            if (!nw) { rc = SEG_ENOMEM; break; }
            words = nw;
        }
        rc = parse_line(d, p, path, lineno, &words[n], err);
        if (rc)
            break;
        if (!words[n].has_freq)
            words[n].freq = suggest_freq(d, words[n].key, words[n].len);
        d->total += words[n].freq;              /* jieba adds every user frequency to total */
        d->logtotal = log(d->total);
        n++;
    }
    if (!rc && ferror(f))
        rc = fail(err, SEG_EIO, "%s: %s", path, "read error");
    free(line);
    fclose(f);
    if (!rc)
        rc = build_user_trie(d, words, n);      /* frees the keys */
    else
        for (size_t i = 0; i < n; i++)
            free(words[i].key);
    free(words);
    if (rc == SEG_ENOMEM)
        fail(err, rc, "%s: %s", path, seg_strerror(rc));
    return rc;
}

int seg_dict_open(const char *base_path, const char *user_path, seg_dict **out, seg_err *err)
{
    *out = NULL;
    if (!base_path)
        return fail(err, SEG_EINVAL, "%s%s", "no dictionary path", "");
    seg_dict *d = calloc(1, sizeof *d);
    if (!d)
        return fail(err, SEG_ENOMEM, "%s%s", seg_strerror(SEG_ENOMEM), "");
    int rc = map_base(d, base_path, err);
    if (!rc && user_path)
        rc = load_user(d, user_path, err);
    if (rc) {
        seg_dict_close(d);
        return rc;
    }
    *out = d;
    return 0;
}

void seg_dict_close(seg_dict *d)
{
    if (!d)
        return;
    if (d->map)
        munmap(d->map, d->map_len);
    free(d->user_da);
    free(d->user_freq);
    free(d->user_logfreq);
    free(d);
}

size_t seg_dict_user_words(const seg_dict *d)
{
    return d ? d->user_words : 0;
}
