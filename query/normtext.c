/* normtext.c — text as the index sees it: the segmenter's normalised tokens
 * (這個 → 这个, ＡＢ → ab) joined, with a space kept only between two ASCII words,
 * and for every token where it came from, so a match in the normalised text maps
 * back to bytes of the original for highlights. */
#include "qry_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    qry_normtext *t;
    const char *text;
    size_t prev_end;
    int rc;
} nt_ctx;

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t n = *cap ? *cap * 2 : 256;
    while (n < need)
        n *= 2;
    void *q = realloc(*p, n * elem);
    if (!q)
        return -1;
    *p = q;
    *cap = n;
    return 0;
}

static int is_ascii_word(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int add_token(void *ctx, const seg_token *tok)
{
    nt_ctx *c = ctx;
    qry_normtext *t = c->t;
    if (grow((void **)&t->s, &t->cap, t->len + tok->norm_len + 2, 1)
        || grow((void **)&t->tok, &t->tokcap, t->ntok + 1, sizeof *t->tok)) {
        c->rc = QRY_ENOMEM;
        return 1;
    }
    if (t->len > 0 && tok->start > c->prev_end && is_ascii_word((unsigned char)t->s[t->len - 1])
        && is_ascii_word((unsigned char)tok->norm[0]))
        t->s[t->len++] = ' ';
    nt_token *k = &t->tok[t->ntok++];
    k->norm_off = t->len;
    k->norm_len = tok->norm_len;
    k->orig_start = tok->start;
    k->orig_end = tok->end;
    memcpy(t->s + t->len, tok->norm, tok->norm_len);
    t->len += tok->norm_len;
    t->s[t->len] = 0;
    c->prev_end = tok->end;
    return 0;
}

int qry_normalize(seg_state *st, const char *text, size_t len, qry_normtext *out)
{
    out->len = 0;
    out->ntok = 0;
    if (grow((void **)&out->s, &out->cap, 1, 1))
        return QRY_ENOMEM;
    out->s[0] = 0;
    nt_ctx c = {out, text, 0, 0};
    int rc = seg_cut(st, text, len, SEG_MODE_ACCURATE, 0, add_token, &c);
    if (c.rc)
        return c.rc;
    return rc < 0 ? QRY_ENOMEM : 0;
}

void qry_normtext_free(qry_normtext *t)
{
    free(t->s);
    free(t->tok);
    memset(t, 0, sizeof *t);
}

/* The token holding normalised offset off (the last one starting at or before it). */
static const nt_token *token_at(const qry_normtext *t, size_t off)
{
    size_t lo = 0, hi = t->ntok;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (t->tok[mid].norm_off <= off)
            lo = mid;
        else
            hi = mid;
    }
    return &t->tok[lo];
}

void qry_normtext_map(const qry_normtext *t, size_t a, size_t b, size_t *os, size_t *oe)
{
    *os = *oe = 0;
    if (t->ntok == 0 || b <= a)
        return;
    const nt_token *x = token_at(t, a), *y = token_at(t, b - 1);
    /* inside a token whose bytes were not changed, offsets carry over; otherwise
     * the whole token is marked */
    int x_same = x->norm_len == x->orig_end - x->orig_start;
    int y_same = y->norm_len == y->orig_end - y->orig_start;
    *os = x_same && a >= x->norm_off ? x->orig_start + (a - x->norm_off) : x->orig_start;
    *oe = y_same && b <= y->norm_off + y->norm_len ? y->orig_start + (b - y->norm_off) : y->orig_end;
    if (*oe < *os)
        *oe = *os;
}

/* The normalised form of text (這個 → 这个); NULL when nothing searchable is left. */
char *qry_literal_norm(seg_state *st, const char *text)
{
    qry_normtext nt = {0};
    if (qry_normalize(st, text, strlen(text), &nt) != 0) {
        qry_normtext_free(&nt);
        return NULL;
    }
    /* drop punctuation at the ends: “营商环境” and 营商环境， mean 营商环境 */
    size_t a = 0, b = nt.ntok;
    char *out = NULL;
    while (a < b) {
        const char *s = nt.s + nt.tok[a].norm_off;
        unsigned char c = (unsigned char)s[0];
        if (c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || c == '&' || c == '+' || c == '#')
            break;
        a++;
    }
    while (b > a) {
        const nt_token *k = &nt.tok[b - 1];
        const char *s = nt.s + k->norm_off;
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)s, k->norm_len, &cp);
        int punct = n > 0 && ((cp < 0x80 && !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || cp == '%'))
                              || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFF0F)
                              || (cp >= 0x2010 && cp <= 0x206F) || cp == 0xFF1A || cp == 0xFF1B || cp == 0xFF1F || cp == 0xFF01);
        if (!punct)
            break;
        b--;
    }
    if (a < b) {
        size_t from = nt.tok[a].norm_off, to = nt.tok[b - 1].norm_off + nt.tok[b - 1].norm_len;
        out = strndup(nt.s + from, to - from);
    }
    qry_normtext_free(&nt);
    return out;
}

