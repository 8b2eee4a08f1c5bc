/* structure.c — what each paragraph is: a heading and its level (一、 / （一） / 1. /
 * （1） / ① / Markdown #), a boxed column (专栏一), a table's title, header and rows,
 * the title block at the top, or body text. A heading that opens a long paragraph
 * (（一）坚持产业强区，…经济体系。抓实推进…) is split off as a heading of its own. */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

#define HEADING_MAX_CHARS 60
#define SHORT_MAX_CHARS 40
#define DATELINE_MAX_CHARS 60    /* a dateline longer than this is a paragraph that mentions a meeting */

static int is_digit(int32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); }

/* Reads code points from s; p advances. */
static int32_t next_cp(const char *s, size_t len, size_t *p)
{
    if (*p >= len)
        return 0;
    int n;
    int32_t cp = idx_cp_at(s, len, *p, &n);
    *p += (size_t)n;
    return cp;
}

typedef struct {
    block_kind kind;
    int level;
    size_t marker_end;   /* bytes of the marker (一、, （1）, 1., ①, #s); Markdown #s are dropped
                            from the heading */
} marker;

/* The numbering a paragraph opens with. */
static marker classify(const char *s, size_t len)
{
    marker m = {BLOCK_PARA, 0, 0};
    size_t p = 0;
    int32_t c = next_cp(s, len, &p);
    if (c == '#') {
        int level = 1;
        while (p < len && s[p] == '#') {
            level++;
            p++;
        }
        if (level <= 6 && p < len) {
            m.kind = BLOCK_HEADING;
            m.level = level;
            m.marker_end = p;
        }
        return m;
    }
    if (idx_is_cn_numeral(c)) {                              /* 一、 */
        size_t q = p;
        int32_t d;
        while (idx_is_cn_numeral(d = next_cp(s, len, &q)))
            p = q;
        if (d == 0x3001) {
            m.kind = BLOCK_HEADING;
            m.level = 1;
            m.marker_end = q;
        }
        return m;
    }
    if (c == 0xFF08 || c == '(') {                       /* （一） or （1） */
        int32_t d = next_cp(s, len, &p);
        int cn = idx_is_cn_numeral(d), dg = is_digit(d);
        if (!cn && !dg)
            return m;
        while ((cn && idx_is_cn_numeral(d)) || (dg && is_digit(d)))
            d = next_cp(s, len, &p);
        if (d == 0xFF09 || d == ')') {
            m.kind = BLOCK_HEADING;
            m.level = cn ? 2 : 4;
            m.marker_end = p;
        }
        return m;
    }
    if (is_digit(c)) {                                   /* 1. 1、 1． but not 2.65 */
        int32_t d;
        size_t q = p;
        while (is_digit(d = next_cp(s, len, &q)))
            p = q;
        if (d == '.' || d == 0xFF0E || d == 0x3001) {
            size_t r = q;
            int32_t e = next_cp(s, len, &r);
            if (!is_digit(e)) {
                m.kind = BLOCK_HEADING;
                m.level = 3;
                m.marker_end = q;
            }
        }
        return m;
    }
    if (c >= 0x2460 && c <= 0x2473) {                    /* ① … ⑳ */
        m.kind = BLOCK_HEADING;
        m.level = 5;
        m.marker_end = p;
        return m;
    }
    if (len >= 6 && memcmp(s, "专栏", 6) == 0) {
        size_t q = 6;
        int32_t d = next_cp(s, len, &q);
        if (idx_is_cn_numeral(d) || is_digit(d))
            m.kind = BLOCK_BOX_TITLE;
        return m;
    }
    if (c == 0x8868) {                                   /* 表1 表 2 */
        int32_t d = next_cp(s, len, &p);
        if (is_digit(d))
            m.kind = BLOCK_TABLE_TITLE;
    }
    return m;
}

int idx_opens_section_number(const char *s, size_t len)
{
    if (len && s[0] == '#')
        return 0;                                        /* Markdown: a list item's kind (layout.c) */
    marker m = classify(s, len);
    return m.kind == BLOCK_HEADING && m.level <= 2;
}

/* The value of a Chinese numeral heading number: 一 → 1, 十二 → 12; 0 if none. */
static int cn_value(const char *s, size_t len)
{
    int value = 0, digit = 0;
    size_t p = 0;
    while (p < len) {
        int32_t c = next_cp(s, len, &p);
        int k = idx_cn_digit(c);
        if (k > 0)
            digit = k;
        else if (c == 0x5341) {                         /* 十 */
            value += (digit ? digit : 1) * 10;
            digit = 0;
        } else
            break;
    }
    return value + digit;
}

/* Byte offset just after the first sentence end in s, or 0. */
static size_t first_sentence_end(const char *s, size_t len, size_t max_chars)
{
    size_t p = 0, chars = 0;
    while (p < len && chars < max_chars) {
        int32_t c = next_cp(s, len, &p);
        chars++;
        if (idx_is_sentence_end(c) && c != 0xFF1B)
            return p;
    }
    return 0;
}

static int has_inner_punct(const char *s, size_t len)
{
    size_t p = 0;
    while (p < len) {
        int32_t c = next_cp(s, len, &p);
        if (idx_is_sentence_end(c) || c == 0xFF0C || c == 0xFF1A || c == 0x3001 || c == ',' || c == ':')
            return 1;
    }
    return 0;
}

/* A headline's two parts around one full-width colon, and no other punctuation
 * (柯桥区：一流营商环境点燃发展新引擎; not 各位代表：). s is NUL-terminated. */
static int headline_colon(const char *s, size_t len)
{
    const char *c = strstr(s, "：");
    if (!c || c == s || (size_t)(c - s) + 3 >= len)
        return 0;                                /* none, or at either end */
    size_t head = (size_t)(c - s), tail = len - head - 3;
    return !has_inner_punct(s, head) && !has_inner_punct(c + 3, tail);
}

/* 附件 / 名词解释 / 前言 …: words that stand alone as a part's heading. */
static int part_heading(const char *s, size_t len)
{
    static const char *w[] = {"附件", "附录", "名词解释", "前言", "序言", "结束语", "后记", "附表"};
    while (len > 0 && (s[len - 1] == ':' || s[len - 1] == ' '))
        len--;
    if (len >= 3 && memcmp(s + len - 3, "：", 3) == 0)
        len -= 3;
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (len == strlen(w[i]) && memcmp(s, w[i], len) == 0)
            return 1;
    return 0;
}

#define UNNUMBERED_MAX_CHARS 30

/* Whether s ends a sentence or clause (。！？；：…”） and the like). */
static int ends_sentence_mark(const char *s, size_t len)
{
    size_t k = len;
    int32_t c = len ? idx_cp_before(s, 0, &k) : 0;
    return idx_is_paragraph_end(c) || c == 0xFF0C || c == 0x3001;
}

/* A heading without numbering in a document that numbers others: short, ending in
 * no punctuation, and followed by a longer paragraph that ends a sentence. */
static int unnumbered_heading(const char *s, size_t len, const char *next)
{
    size_t chars = idx_char_count(s, len);
    if (!next || chars == 0 || chars > UNNUMBERED_MAX_CHARS || ends_sentence_mark(s, len))
        return 0;
    size_t nl = strlen(next);
    return ends_sentence_mark(next, nl) && idx_char_count(next, nl) > chars && !idx_is_notice(next, nl);
}

/* A news subheading: short, unpunctuated, two phrases set apart by a space
 * (厚植创新生态 护航企业成长) in the line as printed; two names (金燕翔 陈钟, a
 * picture's photographers) are too short to be one. */
static int news_subheading(const idx_text *t, const idx_line *l, const char *rep, size_t rep_len)
{
    return idx_char_count(rep, rep_len) <= SHORT_MAX_CHARS && !has_inner_punct(rep, rep_len) &&
           idx_line_two_phrases(t, l, SUBHEADING_PHRASE);
}

static int is_box_item(const char *s, size_t len)
{
    static const char *starts[] = {"❖", "-", "•", "●", "■", "◆", "▲", "*", "“", "·"};
    for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++) {
        size_t n = strlen(starts[i]);
        if (len >= n && memcmp(s, starts[i], n) == 0) {
            if (strcmp(starts[i], "“") != 0)
                return 1;
            /* “四线”：… a quoted term and its gloss */
            const char *colon = strstr(s, "：");
            return colon && (size_t)(colon - s) < 40;
        }
    }
    return 0;
}

/* The text offset of the byte at repaired offset k, and the line holding it. */
static size_t line_of(const idx_line *lines, size_t first, size_t last, size_t off)
{
    for (size_t i = first; i <= last; i++)
        if (lines[i].kind == LINE_TEXT && off >= lines[i].start && off <= lines[i].end)
            return i;
    return last;
}

int idx_structure(const idx_text *t, const idx_line *lines, size_t nlines, int wrapped,
                  idx_block **blocks_io, size_t *n_io)
{
    (void)nlines;
    idx_block *in = *blocks_io;
    size_t n = *n_io;
    idx_block *out = calloc(n * 2 + 1, sizeof *out);
    if (!out)
        return IDX_ENOMEM;
    size_t m = 0;
    int title_open = 1, marked_headings = 0, numbered_top = 0, last_top = 0, nested_last = 0, last_level = 0,
        unnumbered_level = 0;

    /* first pass: each paragraph's repaired text (kept for the second), and whether
     * the document numbers its headings (then no news subheadings) */
    char **reps = calloc(n + 1, sizeof *reps);
    if (!reps) {
        free(out);
        return IDX_ENOMEM;
    }
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        if (!(reps[i] = idx_repair_string(t, lines, &in[i]))) {
            rc = IDX_ENOMEM;
            break;
        }
        marker mk = classify(reps[i], strlen(reps[i]));
        if (mk.kind == BLOCK_HEADING && (mk.level <= 2 || reps[i][0] == '#'))
            marked_headings = 1;
        numbered_top |= mk.kind == BLOCK_HEADING && mk.level == 1 && reps[i][0] != '#';
    }

    for (size_t i = 0; i < n && !rc; i++) {
        idx_block b = in[i];
        const idx_line *first = &lines[b.first];
        if (b.caption) {                          /* layout.c: beside a picture, not a heading */
            b.kind = BLOCK_PARA;
            out[m++] = b;
            continue;
        }
        if (first->has_tab) {
            b.kind = BLOCK_TABLE_ROW;
            out[m++] = b;
            title_open = 0;
            continue;
        }
        const char *rep = reps[i];
        size_t len = strlen(rep), chars = idx_char_count(rep, len);
        marker mk = classify(rep, len);

        if (title_open) {
            /* the title block: short unpunctuated lines before the text begins, and
             * the opening's notice, dateline and speaker (来源：甘肃日报 / ——2025年1月
             * 20日在…会议上 / 甘肃省省长 任振鹤) */
            if (mk.kind == BLOCK_PARA && ((chars <= SHORT_MAX_CHARS && (!has_inner_punct(rep, len) || headline_colon(rep, len))
                                           && !part_heading(rep, len)) ||
                                          idx_is_notice(rep, len) || (idx_is_dateline(rep) && chars <= DATELINE_MAX_CHARS) ||
                                          idx_is_speaker_line(rep))) {
                b.kind = BLOCK_TITLE;
                out[m++] = b;
                continue;
            }
            title_open = 0;
        }

        /* 一、 that does not continue the top-level numbering (一、二、 then 一、 again)
         * starts a list inside the current section */
        if (mk.kind == BLOCK_HEADING && mk.level == 1 && rep[0] != '#' && !part_heading(rep, len)) {
            int v = cn_value(rep, len);
            if (v > 0 && nested_last > 0 && v == nested_last + 1) {
                mk.level = 3;                     /* the list goes on (一、…十、 under 二、) */
                nested_last = v;
            } else if (v > 0 && v <= last_top) {
                mk.level = 3;                     /* a list restarts its own numbering */
                nested_last = v;
            } else if (v > 0) {
                last_top = v;
                nested_last = 0;
            }
        }
        size_t sentence = (mk.kind == BLOCK_HEADING && mk.level <= 2 && rep[0] != '#')
                              ? first_sentence_end(rep, len, HEADING_MAX_CHARS) : 0;
        if (mk.kind == BLOCK_HEADING && mk.level <= 2 && rep[0] != '#'
            && (chars > HEADING_MAX_CHARS || (sentence > 0 && sentence < len))) {
            /* an inline heading: its first sentence, if short, heads the paragraph */
            size_t end = sentence;
            idx_buf buf = {0};
            if (end > 0 && end < len && idx_repair_lines(t, lines, &b, 0, &buf) == 0 && buf.len == len) {
                size_t split = buf.src[end - 1] + 1;           /* text offset after the 。 */
                size_t split_line = line_of(lines, b.first, b.last, split);
                idx_block h = b, body = b;
                h.kind = BLOCK_HEADING;
                h.level = mk.level;
                h.last = split_line;
                h.stop = split;
                body.first = split_line;
                body.skip = split;
                body.kind = BLOCK_PARA;
                if (split >= lines[split_line].end) {      /* the sentence ended its line */
                    size_t nx = split_line + 1;
                    while (nx <= b.last && lines[nx].kind != LINE_TEXT)
                        nx++;
                    body.first = nx;
                    body.skip = 0;
                }
                out[m++] = h;
                if (body.first <= b.last)
                    out[m++] = body;
                idx_buf_free(&buf);
                continue;
            }
            idx_buf_free(&buf);
            mk.kind = BLOCK_PARA;
        }
        if (mk.kind == BLOCK_HEADING && mk.level >= 3 && rep[0] != '#' &&   /* its own 、 is no punctuation */
            (chars > SHORT_MAX_CHARS || has_inner_punct(rep + mk.marker_end, len - mk.marker_end)))
            mk.kind = BLOCK_PARA;                          /* a numbered item, not a heading */
        if ((mk.kind == BLOCK_BOX_TITLE || mk.kind == BLOCK_TABLE_TITLE) && chars > HEADING_MAX_CHARS)
            mk.kind = BLOCK_PARA;
        if (mk.kind == BLOCK_PARA && part_heading(rep, len)) {
            mk.kind = BLOCK_HEADING;
            mk.level = (m > 0 && out[m - 1].kind == BLOCK_HEADING && out[m - 1].level == 1 && out[m - 1].first + 4 >= b.first) ? 2 : 1;
        }
        if (mk.kind == BLOCK_PARA && !wrapped && !marked_headings && news_subheading(t, first, rep, len)) {
            mk.kind = BLOCK_HEADING;
            mk.level = 1;
        }
        if (mk.kind == BLOCK_PARA && marked_headings && unnumbered_heading(rep, len, i + 1 < n ? reps[i + 1] : NULL) &&
            !(i + 1 < n && lines[in[i + 1].first].has_tab)) {
            /* 一是聚焦全方位扩大内需，着力提消费促投资 over its paragraphs: under the
             * heading before it, or at the top when the top headings are unnumbered
             * (2024年工作回顾) */
            mk.kind = BLOCK_HEADING;
            mk.level = unnumbered_level ? unnumbered_level           /* 二是 beside 一是 */
                       : numbered_top && last_level ? (last_level < 6 ? last_level + 1 : 6) : 1;
            unnumbered_level = mk.level;
        } else if (mk.kind == BLOCK_HEADING) {
            unnumbered_level = 0;
        }
        b.kind = mk.kind;
        b.level = mk.level;
        if (mk.kind == BLOCK_HEADING)
            last_level = mk.level;
        if (mk.kind == BLOCK_HEADING && mk.marker_end && rep[0] == '#') {
            /* drop the Markdown #s from the heading's text */
            size_t k = lines[b.first].start;
            while (k < lines[b.first].end && (t->s[k] == '#' || t->s[k] == ' '))
                k++;
            b.skip = k;
        }
        out[m++] = b;
    }

    /* boxes: the items after a 专栏 title belong to it */
    for (size_t i = 0; i < m; i++) {
        if (out[i].kind != BLOCK_BOX_TITLE)
            continue;
        for (size_t j = i + 1; j < m && out[j].kind == BLOCK_PARA; j++) {
            char *rep = idx_repair_string(t, lines, &out[j]);
            int item = rep && is_box_item(rep, strlen(rep));
            free(rep);
            if (!item)
                break;
            out[j].in_box = 1;
        }
    }

    /* tables: leading rows up to the first that opens with a number are the header */
    for (size_t i = 0; i < m; i++) {
        if (out[i].kind != BLOCK_TABLE_ROW || (i > 0 && out[i - 1].kind == BLOCK_TABLE_ROW)
            || (i > 0 && out[i - 1].kind == BLOCK_TABLE_HEADER))
            continue;
        size_t j = i;
        while (j < m && out[j].kind == BLOCK_TABLE_ROW)
            j++;
        size_t h = i;
        while (h < j) {
            /* the row's first cell, as printed: a leading tab means it is empty */
            int nb;
            int32_t c = idx_cp_at(t->s, t->len, lines[out[h].first].raw_start, &nb);
            if (is_digit(c))
                break;
            h++;
        }
        if (h == j)
            h = i + 1;                     /* no numbered rows: the first row is the header */
        if (j - i == 1)
            h = i;                         /* a single tabbed line is a row of its own */
        for (size_t k = i; k < h; k++)
            out[k].kind = BLOCK_TABLE_HEADER;
        i = j - 1;
    }

    for (size_t i = 0; i < n; i++)
        free(reps[i]);
    free(reps);
    if (rc) {
        free(out);
        return rc;
    }
    free(in);
    *blocks_io = out;
    *n_io = m;
    return 0;
}
