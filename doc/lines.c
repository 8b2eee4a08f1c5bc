/* lines.c — splits the decoded text into lines and says what each is: blank, text,
 * a printed page footer (` - 11 - `, `— 3 —`, `第 3 页`), a form feed, or part of a
 * table of contents (目 录 and the entries after it, each ending in a page number). */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

static int is_dash(int32_t cp)
{
    return cp == '-' || cp == 0x2014 || cp == 0x2013 || cp == 0xFF0D || cp == '~' || cp == 0x2015 || cp == 0x2212;
}

/* Reads digits at s[*i]; returns the number or -1. */
static int read_number(const char *s, size_t end, size_t *i)
{
    int v = 0, n = 0;
    while (*i < end && s[*i] >= '0' && s[*i] <= '9' && n < 5) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        n++;
    }
    return n ? v : -1;
}

static void skip_spaces(const char *s, size_t end, size_t *i)
{
    while (*i < end) {
        int n;
        int32_t cp = idx_cp_at(s, end, *i, &n);
        if (!idx_is_space(cp))
            return;
        *i += (size_t)n;
    }
}

/* ` - 11 - `, `— 3 —`, `－3－`, `第 3 页`, `第3页 共20页`: the printed page number, or -1. */
static int footer_page(const char *s, size_t start, size_t end)
{
    size_t i = start;
    int n;
    int32_t cp = idx_cp_at(s, end, i, &n);
    if (is_dash(cp)) {
        i += (size_t)n;
        skip_spaces(s, end, &i);
        int page = read_number(s, end, &i);
        skip_spaces(s, end, &i);
        if (page < 0 || i >= end || !is_dash(idx_cp_at(s, end, i, &n)))
            return -1;
        i += (size_t)n;
        skip_spaces(s, end, &i);
        return i == end ? page : -1;
    }
    if (cp == 0x7B2C) {                                   /* 第 */
        i += (size_t)n;
        skip_spaces(s, end, &i);
        int page = read_number(s, end, &i);
        skip_spaces(s, end, &i);
        if (page < 0 || i + 3 > end || memcmp(s + i, "\xE9\xA1\xB5", 3) != 0)   /* 页 */
            return -1;
        i += 3;
        skip_spaces(s, end, &i);
        if (i < end) {                                    /* 共 N 页 */
            if (s[i] == ',' || s[i] == '/')
                i++;
            else if (i + 3 <= end && memcmp(s + i, "\xEF\xBC\x8C", 3) == 0)
                i += 3;
            skip_spaces(s, end, &i);
            if (i + 3 > end || memcmp(s + i, "\xE5\x85\xB1", 3) != 0)
                return -1;
            i += 3;
            skip_spaces(s, end, &i);
            if (read_number(s, end, &i) < 0)
                return -1;
            skip_spaces(s, end, &i);
            if (i + 3 > end || memcmp(s + i, "\xE9\xA1\xB5", 3) != 0)
                return -1;
            i += 3;
            skip_spaces(s, end, &i);
        }
        return i == end ? page : -1;
    }
    return -1;
}

/* 目录 / 目 录 / 目　录 */
static int is_toc_title(const char *s, size_t start, size_t end)
{
    char buf[16];
    size_t o = 0;
    for (size_t i = start; i < end;) {
        int n;
        int32_t cp = idx_cp_at(s, end, i, &n);
        if (!idx_is_space(cp)) {
            if (o + (size_t)n >= sizeof buf)
                return 0;
            memcpy(buf + o, s + i, (size_t)n);
            o += (size_t)n;
        }
        i += (size_t)n;
    }
    return o == 6 && memcmp(buf, "目录", 6) == 0;
}

/* A table-of-contents entry: text, then a tab, spaces or dot leaders, then a page
 * number at the end. Returns the page or -1. */
static int toc_entry_page(const char *s, size_t start, size_t end)
{
    size_t i = end;
    while (i > start && s[i - 1] >= '0' && s[i - 1] <= '9')
        i--;
    if (i == end || end - i > 3)
        return -1;
    size_t digits = i;
    size_t leader = i;
    while (leader > start) {
        unsigned char c = (unsigned char)s[leader - 1];
        if (c == '\t' || c == ' ' || c == '.') {
            leader--;
        } else if (leader >= start + 3 && memcmp(s + leader - 3, "…", 3) == 0) {
            leader -= 3;
        } else if (leader >= start + 2 && memcmp(s + leader - 2, "·", 2) == 0) {
            leader -= 2;
        } else {
            break;
        }
    }
    if (leader == digits || leader == start)
        return -1;
    /* one space before the number is too weak a sign (sentences end in numbers) */
    if (digits - leader == 1 && s[leader] == ' ')
        return -1;
    size_t i2 = digits;
    return read_number(s, end, &i2);
}

/* Whether s[ls, at) ends (spaces aside) with a sentence's end. */
static int after_sentence_end(const char *s, size_t ls, size_t at)
{
    while (at > ls) {
        int32_t cp = idx_cp_before(s, ls, &at);
        if (!idx_is_space(cp))
            return idx_is_sentence_end(cp);
    }
    return 1;
}

int idx_lines_split(const idx_text *t, idx_line **out, size_t *n_out)
{
    size_t cap = 64, n = 0;
    idx_line *lines = malloc(cap * sizeof *lines);
    if (!lines)
        return IDX_ENOMEM;
    const char *s = t->s;
    for (size_t ls = 0; ls <= t->len;) {
        size_t le = ls;
        /* a form feed where a line starts, or after a sentence's end, is a page break
         * line of its own; one inside a sentence (Word's page break inside a
         * paragraph) stays in its line: a page mark */
        while (le < t->len && s[le] != '\n' && (s[le] != '\f' || (le > ls && !after_sentence_end(s, ls, le))))
            le++;
        if (n + 2 > cap) {
            cap *= 2;
            idx_line *nl = realloc(lines, cap * sizeof *nl);
            if (!nl) {
                free(lines);
                return IDX_ENOMEM;
            }
            lines = nl;
        }
        idx_line *l = &lines[n++];
        memset(l, 0, sizeof *l);
        size_t a = ls, b = le;
        skip_spaces(s, le, &a);
        l->trailing_space = 0;
        while (b > a) {              /* trim trailing spaces (U+3000 included) */
            size_t k = b;
            int32_t cp = idx_cp_before(s, a, &k);
            if (!idx_is_space(cp))
                break;
            if (cp != '\r')
                l->trailing_space = 1;
            b = k;
        }
        l->start = a;
        l->end = b;
        l->raw_start = ls;
        l->kind = a == b ? LINE_BLANK : LINE_TEXT;
        for (size_t i = a; i < b;) {
            int cn;
            int32_t cp = idx_cp_at(s, b, i, &cn);
            l->width += idx_width(cp);
            if (cp == '\t')
                l->has_tab = 1;
            i += (size_t)cn;
        }
        if (l->kind == LINE_TEXT) {
            int page = footer_page(s, a, b);
            if (page >= 0) {
                l->kind = LINE_FOOTER;
                l->page = page;
            } else if (is_toc_title(s, a, b)) {
                l->kind = LINE_TOC_TITLE;
            }
        }
        if (le < t->len && s[le] == '\f') {
            idx_line *ff = &lines[n++];
            memset(ff, 0, sizeof *ff);
            ff->start = ff->end = ff->raw_start = le;
            ff->kind = LINE_FORMFEED;
        }
        if (le >= t->len)
            break;
        ls = le + 1;
    }

    /* the table of contents: entries after 目录, blank lines allowed, until the
     * first line that is not an entry */
    for (size_t i = 0; i < n; i++) {
        if (lines[i].kind != LINE_TOC_TITLE)
            continue;
        size_t entries = 0, j;
        for (j = i + 1; j < n; j++) {
            if (lines[j].kind == LINE_BLANK)
                continue;
            if (lines[j].kind != LINE_TEXT || toc_entry_page(s, lines[j].start, lines[j].end) < 0)
                break;
            entries++;
        }
        if (entries < 3) {
            lines[i].kind = LINE_TEXT;
            continue;
        }
        for (size_t k = i + 1; k < j; k++)
            if (lines[k].kind == LINE_TEXT) {
                lines[k].kind = LINE_TOC_ENTRY;
                lines[k].page = toc_entry_page(s, lines[k].start, lines[k].end);
            }
        i = j;
    }
    *out = lines;
    *n_out = n;
    return 0;
}

int idx_line_two_phrases(const idx_text *t, const idx_line *l, size_t min_chars)
{
    size_t before = 0, after = 0, gaps = 0;
    int in_gap = 0;
    for (size_t i = l->start; i < l->end;) {
        int n;
        int32_t cp = idx_cp_at(t->s, l->end, i, &n);
        if (idx_is_space(cp)) {
            gaps += !in_gap;
            in_gap = 1;
        } else {
            in_gap = 0;
            if (gaps == 0)
                before++;
            else
                after++;
        }
        i += (size_t)n;
    }
    return gaps == 1 && before >= min_chars && after >= min_chars;
}
