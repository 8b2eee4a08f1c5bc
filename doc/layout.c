/* layout.c — lines → paragraphs. A document extracted from a PDF is hard-wrapped:
 * its lines are cut at the page's width, so a line that fills the width and does
 * not end in spaces continues in the next text line, across blank lines and page
 * footers (高水 / - 20 - / 平建设 is one paragraph). Other documents keep one
 * paragraph per line. A full line that ends in spaces but not at a sentence's end
 * (…落户大学生2万名。细化␠) continues too, and so does any line that ends opening a
 * bracket or quote (…在《) or a comma (，、), in any format. In text and PDF (not Word or HTML, whose paragraphs are
 * the file's own), a prose-wide line whose sentence is unfinished goes on unless the
 * next line starts a heading or list item or is a short line alone (a caption).
 * Captions are short lines alone beside other captions, or lines alone after a
 * picture credit (本版图片由…提供) that each name a thing; a sentence unfinished
 * before a picture's captions runs past them into the prose after (they become
 * LINE_CAPTION, and blocks of their own after the paragraph). */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

#define PROSE_LINE 40       /* an unwrapped line this wide (20 Chinese characters) is prose, not a heading */

/* The width most full lines share: the w with most lines in [w - 4, w]. */
static int typical_width(const idx_line *lines, size_t n, size_t *text_lines, size_t *near)
{
    int hist[256] = {0};
    *text_lines = 0;
    for (size_t i = 0; i < n; i++)
        if (lines[i].kind == LINE_TEXT && !lines[i].has_tab) {
            (*text_lines)++;
            if (lines[i].width < 256)
                hist[lines[i].width]++;
        }
    int best = 0, best_w = 0;
    for (int w = 4; w < 256; w++) {
        int c = hist[w] + hist[w - 1] + hist[w - 2] + hist[w - 3] + hist[w - 4];
        if (c > best) {
            best = c;
            best_w = w;
        }
    }
    *near = (size_t)best;
    return best_w;
}

/* The line's last character ends a sentence or a clause a paragraph may end on. */
static int ends_sentence(const idx_text *t, const idx_line *l)
{
    size_t k = l->end;
    if (k <= l->start)
        return 1;
    return idx_is_paragraph_end(idx_cp_before(t->s, l->start, &k));
}

/* The line's last character opens a bracket or quote (《, （, “, 【), or is a
 * comma or an enumeration comma (，、): no paragraph ends there, whatever the line's
 * width or the file's own paragraphs say. */
static int ends_open(const idx_text *t, const idx_line *l)
{
    size_t k = l->end;
    if (k <= l->start)
        return 0;
    int32_t cp = idx_cp_before(t->s, l->start, &k);
    return cp == 0x300A || cp == 0xFF08 || cp == 0x201C || cp == 0x3010 || cp == 0x300C || cp == '(' ||
           cp == 0xFF0C || cp == 0x3001 || cp == ',';
}

static int starts_with_heading_marker(const idx_text *t, const idx_line *l)
{
    const char *s = t->s + l->start;
    size_t len = l->end - l->start;
    if (idx_opens_section_number(s, len))
        return 1;
    static const char *markers[] = {"专栏", "表 ", "附件"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t m = strlen(markers[i]);
        if (len >= m && memcmp(s, markers[i], m) == 0)
            return 1;
    }
    return 0;
}

/* The line starts a numbered article or chapter: 第十二条, 第3章. */
static int starts_article(const char *s, size_t len)
{
    if (len < 3 || memcmp(s, "第", 3) != 0)
        return 0;
    size_t k = 3, count = 0;
    while (k < len && count < 6) {
        if (s[k] >= '0' && s[k] <= '9') {
            k++;
        } else if (k + 3 <= len && (unsigned char)s[k] >= 0xE0) {
            int n;
            if (!idx_is_cn_numeral(idx_cp_at(s, len, k, &n)) || n != 3)
                break;
            k += 3;
        } else {
            break;
        }
        count++;
    }
    return count > 0 && k + 3 <= len &&
           (memcmp(s + k, "条", 3) == 0 || memcmp(s + k, "章", 3) == 0 || memcmp(s + k, "节", 3) == 0);
}

/* The line starts a list item: 一是, 1、, 1., （1）, (1), ①, ❖, •, ●, ■, ◆, ★, a
 * Markdown heading or bold line, 第N条. */
static int starts_list_item(const idx_text *t, const idx_line *l)
{
    const char *s = t->s + l->start;
    size_t len = l->end - l->start;
    static const char *const marks[] = {"一是", "二是", "三是", "四是", "五是", "六是", "七是", "八是", "九是", "十是",
                                        "①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "⑩", "❖", "•", "●", "■",
                                        "◆", "★", "#", "**"};
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        if (len >= strlen(marks[i]) && memcmp(s, marks[i], strlen(marks[i])) == 0)
            return 1;
    if (starts_article(s, len))
        return 1;
    size_t k = 0;                           /* 1、 1. 1． (1) （1） */
    if (len >= 1 && s[0] == '(')
        k = 1;
    else if (len >= 3 && memcmp(s, "（", 3) == 0)
        k = 3;
    size_t digits = k;
    while (k < len && s[k] >= '0' && s[k] <= '9')
        k++;
    if (k == digits || k - digits > 2)
        return 0;
    if (k + 1 < len && s[k] == '.' && s[k + 1] >= '0' && s[k + 1] <= '9')
        return 0;                           /* 1.5万亿元 */
    return (k < len && (s[k] == '.' || s[k] == ')')) ||
           (len >= k + 3 && (memcmp(s + k, "、", 3) == 0 || memcmp(s + k, "．", 3) == 0 || memcmp(s + k, "）", 3) == 0));
}

#define SHORT_PROSE 16       /* a line this wide (8 Chinese characters) may be a sentence's start */

/* Whether line l ends a sentence within its first four characters (推进。…). */
static int completes_at_once(const idx_text *t, const idx_line *l)
{
    size_t i = l->start;
    for (int k = 0; k < 4 && i < l->end; k++) {
        int n;
        int32_t cp = idx_cp_at(t->s, l->end, i, &n);
        if (idx_is_sentence_end(cp) && k > 0)
            return 1;
        i += (size_t)n;
    }
    return 0;
}

#define CAPTION_WIDTH 40     /* a caption is narrower (20 Chinese characters) */
#define CAPTION_RUN 3        /* captions a sentence runs past at most */
#define CREDITED_CAPTION_WIDTH 100  /* after a picture credit, a caption may be 50 characters */
#define CREDITED_CAPTIONS 8          /* captions after a credit at most */

/* The next text line after i (blank lines, footers and form feeds skipped), or n. */
static size_t next_text(const idx_line *lines, size_t n, size_t i)
{
    size_t j = i + 1;
    while (j < n && (lines[j].kind == LINE_BLANK || lines[j].kind == LINE_FOOTER || lines[j].kind == LINE_FORMFEED))
        j++;
    return j;
}

/* Whether s[a, b) has a comma, an enumeration comma, a semicolon or a colon, or a
 * sentence's end before its last character: a clause, where a caption names a thing
 * (大美鉴湖, 全国“最美农村公路”——柯桥平王线。). */
static int has_clause_mark(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b;) {
        int n;
        int32_t cp = idx_cp_at(s, b, i, &n);
        if (cp == 0xFF0C || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A || cp == ',' || cp == ';' || cp == ':' ||
            (idx_is_sentence_end(cp) && i + (size_t)n < b))
            return 1;
        i += (size_t)n;
    }
    return 0;
}

/* Line i is narrower than max_width and alone between blank lines, names a thing
 * (no clause), and is no table row, numbered heading, list item or news subheading
 * (厚植创新生态 护航企业成长): a picture's caption, when pictures are around. */
static int alone_caption(const idx_text *t, const idx_line *lines, size_t n, size_t i, int max_width)
{
    if (i >= n)
        return 0;
    const idx_line *l = &lines[i];
    return l->kind == LINE_TEXT && !l->has_tab && l->width < max_width &&
           (i == 0 || lines[i - 1].kind == LINE_BLANK) && (i + 1 == n || lines[i + 1].kind == LINE_BLANK) &&
           !has_clause_mark(t->s, l->start, l->end) && !starts_with_heading_marker(t, l) &&
           !starts_list_item(t, l) && !idx_line_two_phrases(t, l, SUBHEADING_PHRASE);
}

/* A short caption line: one beside others is a caption. */
static int alone_short(const idx_text *t, const idx_line *lines, size_t n, size_t i)
{
    return alone_caption(t, lines, n, i, CAPTION_WIDTH);
}

/* A prose line (at least min_width wide, not a heading or list item, no cells)
 * that may continue a sentence. */
static int prose_line(const idx_text *t, const idx_line *l, int min_width)
{
    return l->kind == LINE_TEXT && !l->has_tab && l->width >= min_width && !starts_with_heading_marker(t, l) &&
           !starts_list_item(t, l);
}

/* A sentence left unfinished by line cur runs past up to CAPTION_RUN captions
 * (j: the first) into the prose line after them (…决胜 / 大美鉴湖 / 全国“最美农村公路”
 * ——柯桥平王线。 / 全年红，…): that line's index, or 0 when it does not. */
static size_t past_captions(const idx_text *t, const idx_line *lines, size_t n, size_t cur, size_t j, int min_width)
{
    const idx_line *c = &lines[cur];
    if (ends_sentence(t, c) || c->has_tab || c->width < min_width)
        return 0;
    for (int k = 0; k < CAPTION_RUN && alone_short(t, lines, n, j); k++) {
        j = next_text(lines, n, j);
        if (j < n && prose_line(t, &lines[j], min_width))
            return j;
    }
    return 0;
}

/* Whether a paragraph whose line cur (first: its first line) does not end its
 * sentence goes on into the text line next: cur is at least min_width wide, is
 * not a heading's or a short list item's only line, and next starts neither and is no
 * short line standing alone (a caption). */
static int sentence_goes_on(const idx_text *t, const idx_line *lines, size_t first, size_t cur, size_t next,
                            int min_width)
{
    const idx_line *c = &lines[cur], *n = &lines[next];
    /* 在城市有机更新与风貌提升也稳步 / 推进。2025年…: a next line that ends its first
     * sentence within a few characters finishes this one, however short it is */
    int finishes = completes_at_once(t, n);
    if (ends_sentence(t, c) || (c->width < min_width && !(finishes && c->width >= SHORT_PROSE)) || c->has_tab ||
        n->has_tab)
        return 0;
    if (cur == first && (starts_with_heading_marker(t, c) || (starts_list_item(t, c) && c->width < 2 * min_width)))
        return 0;                               /* a heading, or a list item's heading-like line */
    if (n->width < min_width && !ends_sentence(t, n))
        return 0;                               /* a caption or a heading, not the rest */
    return !starts_with_heading_marker(t, n) && !starts_list_item(t, n);
}

int idx_layout_paragraphs(const idx_text *t, idx_line *lines, size_t nlines,
                          idx_block **out, size_t *n_out, int *wrapped)
{
    size_t text_lines, near;
    int width = typical_width(lines, nlines, &text_lines, &near);
    /* hard-wrapped: many lines, most of them about as wide as the widest common width */
    *wrapped = text_lines >= 20 && width >= 24 && near * 10 >= text_lines * 4;
    int full = width - 6;

    /* Many PDF extractions end each paragraph's last line with spaces: when nearly
     * every such line ends a sentence, that mark is the paragraph end, and narrow
     * lines (digits, Latin) continue like full ones. */
    size_t marked = 0, marked_end = 0;
    for (size_t i = 0; i < nlines; i++)
        if (lines[i].kind == LINE_TEXT && lines[i].trailing_space) {
            marked++;
            marked_end += ends_sentence(t, &lines[i]);
        }
    int space_marks_end = marked >= 5 && marked_end * 10 >= marked * 7;
    /* a Word or HTML paragraph is one by the file's own say; text and PDF lines go
     * on while their sentence does */
    int by_sentence = !t->encoding || (strcmp(t->encoding, "docx") != 0 && strcmp(t->encoding, "html") != 0);
    /* ...after the opening: the title block's lines (title, dateline, speaker) end
     * no sentence, and the first line that does ends it */
    size_t body = 0;
    while (body < nlines && !(lines[body].kind == LINE_TEXT && ends_sentence(t, &lines[body])))
        body++;

    idx_block *b = calloc(nlines ? nlines : 1, sizeof *b);
    if (!b)
        return IDX_ENOMEM;
    size_t n = 0;
    int min_width = *wrapped ? full * 6 / 10 : PROSE_LINE;
    size_t last_caption = nlines;       /* the last caption standing on its own */
    int after_credit = 0;               /* captions since a picture credit (本版图片由…提供) */
    for (size_t i = 0; i < nlines; i++) {
        if (lines[i].kind == LINE_FORMFEED || lines[i].kind == LINE_FOOTER)
            after_credit = 0;               /* a credit's captions stay on its page */
        if (lines[i].kind != LINE_TEXT)
            continue;
        idx_block *p = &b[n++];
        p->first = p->last = i;
        p->kind = BLOCK_PARA;
        if (lines[i].has_tab) {
            after_credit = 0;
            continue;
        }
        /* the lines after a credit that each name a thing, alone, are its pictures'
         * captions (总投资100亿元的…项目效果图。), up to the first that is not */
        if (after_credit && after_credit <= CREDITED_CAPTIONS &&
            alone_caption(t, lines, nlines, i, CREDITED_CAPTION_WIDTH)) {
            p->caption = 1;
            last_caption = i;
            after_credit++;
            continue;
        }
        after_credit = by_sentence && i > body &&
                       idx_is_picture_credit(t->s + lines[i].start, lines[i].end - lines[i].start);
        if (after_credit)
            continue;                           /* a notice of its own (passage.c drops it) */
        /* a caption: beside another (or a picture credit), or just after one */
        if (by_sentence && i > body && alone_short(t, lines, nlines, i) &&
            ((last_caption < nlines && next_text(lines, nlines, last_caption) == i) ||
             alone_short(t, lines, nlines, next_text(lines, nlines, i)))) {
            p->caption = 1;
            last_caption = i;
            continue;
        }
        /* follow the paragraph while its last line fills the width, opens a
         * bracket, or (wide enough) leaves its sentence unfinished, even past
         * the captions of a picture set inside it */
        size_t cur = i, captions = 0;
        for (;;) {
            size_t j = next_text(lines, nlines, cur);
            if (j >= nlines || lines[j].kind != LINE_TEXT || lines[j].has_tab || starts_with_heading_marker(t, &lines[j]))
                break;
            const idx_line *c = &lines[cur];
            int fills = *wrapped && ((!c->trailing_space && (space_marks_end || c->width >= full)) ||
                                     (c->trailing_space && c->width >= full && !ends_sentence(t, c)));
            int unfinished = by_sentence && i > body && sentence_goes_on(t, lines, i, cur, j, min_width);
            size_t past = !fills && !unfinished && by_sentence && i > body && !captions
                              ? past_captions(t, lines, nlines, cur, j, min_width) : 0;
            if (past) {
                for (size_t k = j; k < past; k++)
                    if (lines[k].kind == LINE_TEXT) {
                        lines[k].kind = LINE_CAPTION;
                        captions++;
                    }
                cur = past;
                continue;
            }
            if (!fills && !unfinished && !(ends_open(t, c) && !starts_list_item(t, &lines[j])))
                break;
            cur = j;
        }
        p->last = cur;
        /* the captions it ran past follow it, each a block */
        for (size_t k = i; captions && k <= cur; k++)
            if (lines[k].kind == LINE_CAPTION) {
                idx_block *cb = &b[n++];
                memset(cb, 0, sizeof *cb);
                cb->first = cb->last = k;
                cb->kind = BLOCK_PARA;
                cb->caption = 1;
            }
        i = cur;
    }
    *out = b;
    *n_out = n;
    return 0;
}
