/* normtext.c — text as the index sees it (seg_normalize: 這個 → 这个, ＡＢ → ab,
 * whitespace gone but between ASCII words), with a map back to the original bytes
 * so a match in the normalised text becomes a highlight in the original. */
#include "qry_int.h"

#include <stdlib.h>
#include <string.h>

int qry_normalize(seg_state *st, const char *text, size_t len, qry_normtext *out)
{
    memset(out, 0, sizeof *out);
    const char *n;
    size_t nlen;
    const size_t *orig;
    if (len > UINT32_MAX || seg_normalize(st, text, len, &n, &nlen, &orig) != 0)
        return QRY_ENOMEM;
    out->s = malloc(nlen + 1);
    out->orig = malloc((nlen ? nlen : 1) * sizeof *out->orig);
    if (!out->s || !out->orig) {
        qry_normtext_free(out);
        return QRY_ENOMEM;
    }
    memcpy(out->s, n, nlen);
    out->s[nlen] = 0;
    for (size_t i = 0; i < nlen; i++)
        out->orig[i] = (uint32_t)orig[i];
    out->len = nlen;
    out->src = text;
    out->src_len = len;
    return 0;
}

void qry_normtext_free(qry_normtext *t)
{
    free(t->s);
    free(t->orig);
    memset(t, 0, sizeof *t);
}

void qry_normtext_map(const qry_normtext *t, size_t a, size_t b, size_t *os, size_t *oe)
{
    *os = *oe = 0;
    if (b <= a || b > t->len)
        return;
    *os = t->orig[a];
    /* the end of the original character that gave the last matched byte */
    size_t last = t->orig[b - 1];
    int32_t cp;
    int n = last < t->src_len ? seg_utf8_decode((const unsigned char *)t->src + last, t->src_len - last, &cp) : 0;
    *oe = last + (n ? (size_t)n : 1);
    if (*oe > t->src_len)
        *oe = t->src_len;
}

static int is_punct(int32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp == '&'
                 || cp == '+' || cp == '#' || cp == '%');
    return (cp >= 0x3000 && cp <= 0x303F && cp != 0x3007) || (cp >= 0xFF00 && cp <= 0xFF0F)
        || (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0x2010 && cp <= 0x206F);
}

char *qry_literal_norm(seg_state *st, const char *text)
{
    const char *s;
    size_t len;
    if (seg_normalize(st, text, strlen(text), &s, &len, NULL) != 0)
        return NULL;
    size_t a = 0, b = len;
    while (a < b) {                              /* “营商环境”， → 营商环境 */
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)s + a, b - a, &cp);
        if (!is_punct(cp))
            break;
        a += n ? (size_t)n : 1;
    }
    while (b > a) {
        size_t k = b - 1;
        while (k > a && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
        int32_t cp;
        seg_utf8_decode((const unsigned char *)s + k, b - k, &cp);
        if (!is_punct(cp))
            break;
        b = k;
    }
    return a < b ? strndup(s + a, b - a) : NULL;
}

size_t qry_utf8_chars(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80;
    return n;
}
