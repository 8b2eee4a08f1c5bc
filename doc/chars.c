/* chars.c — character classes the layout rules are written in: what counts as
 * Chinese text, space, a sentence end, and display width. */
#include "doc_int.h"
#include "seg.h"

int32_t idx_cp_at(const char *s, size_t len, size_t i, int *n)
{
    int32_t cp;
    int k = seg_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    *n = k ? k : 1;
    return cp;
}

int32_t idx_cp_before(const char *s, size_t from, size_t *at)
{
    if (*at <= from)
        return 0;
    size_t k = *at - 1;
    while (k > from && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    int n;
    int32_t cp = idx_cp_at(s, *at, k, &n);
    *at = k;
    return cp;
}

int idx_is_cjk(int32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F)
        || (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF)
        || cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D || cp == 0x2026 || cp == 0x2014;
}

int idx_cn_digit(int32_t cp)
{
    static const int32_t digits[] = {0x3007, 0x4E00, 0x4E8C, 0x4E09, 0x56DB, 0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D};
    for (int v = 0; v < 10; v++)
        if (cp == digits[v])
            return v;
    return cp == 0x96F6 ? 0 : -1;                        /* 零 */
}

int idx_is_cn_numeral(int32_t cp)
{
    return idx_cn_digit(cp) >= 0 || cp == 0x5341 || cp == 0x767E;   /* 十 百 */
}

int idx_is_han(int32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF) || cp == 0x3007;
}

int idx_is_space(int32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == 0x3000 || cp == 0xA0 || cp == '\v' || cp == '\r'
        || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F    /* em spaces indent Word text */
        || idx_is_zero_width(cp);
}

int idx_is_zero_width(int32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF || cp == '\f';
}

int idx_is_sentence_end(int32_t cp)
{
    return cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F || cp == '!' || cp == '?' || cp == 0xFF1B;
}

int idx_is_paragraph_end(int32_t cp)
{
    return idx_is_sentence_end(cp) || cp == 0xFF1A || cp == ':' || cp == 0x201D || cp == 0xFF09 || cp == ')' ||
           cp == 0x2026;
}

int idx_width(int32_t cp)
{
    return idx_is_cjk(cp) ? 2 : 1;
}

int idx_chars_over(const char *s, size_t len, size_t limit)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++n > limit)
            return 1;
    return 0;
}

size_t idx_char_count(const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            n++;
    return n;
}
