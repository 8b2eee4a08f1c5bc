/* layout.c — lines → paragraphs. A document extracted from a PDF is hard-wrapped:
 * its lines are cut at the page's width, so a line that fills the width and does
 * not end in spaces continues in the next text line, across blank lines and page
 * footers (高水 / - 20 - / 平建设 is one paragraph). Other documents keep one
 * paragraph per line. A full line that ends in spaces but not at a sentence's end
 * (…落户大学生2万名。细化␠) continues too, and so does any line that ends opening a
 * bracket or quote (…在《). */
#include "idx_int.h"

#include <stdlib.h>
#include <string.h>

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
    int32_t cp = idx_cp_before(t->s, l->start, &k);
    return idx_is_sentence_end(cp) || cp == 0xFF1A || cp == 0x201D || cp == ':' || cp == 0xFF09 || cp == ')';
}

/* The line's last character opens a bracket or quote (《, （, “, 【): no paragraph
 * ends there, whatever the line's width. */
static int ends_open(const idx_text *t, const idx_line *l)
{
    size_t k = l->end;
    if (k <= l->start)
        return 0;
    int32_t cp = idx_cp_before(t->s, l->start, &k);
    return cp == 0x300A || cp == 0xFF08 || cp == 0x201C || cp == 0x3010 || cp == 0x300C || cp == '(';
}

static int starts_with_heading_marker(const idx_text *t, const idx_line *l)
{
    const char *s = t->s + l->start;
    size_t len = l->end - l->start;
    static const char *markers[] = {"一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、",
                                    "（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）",
                                    "（九）", "（十）", "专栏", "表 ", "附件"};
    for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++) {
        size_t m = strlen(markers[i]);
        if (len >= m && memcmp(s, markers[i], m) == 0)
            return 1;
    }
    return 0;
}

int idx_layout_paragraphs(const idx_text *t, const idx_line *lines, size_t nlines,
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

    idx_block *b = calloc(nlines ? nlines : 1, sizeof *b);
    if (!b)
        return IDX_ENOMEM;
    size_t n = 0;
    for (size_t i = 0; i < nlines; i++) {
        if (lines[i].kind != LINE_TEXT)
            continue;
        idx_block *p = &b[n++];
        p->first = p->last = i;
        p->kind = BLOCK_PARA;
        if (!*wrapped || lines[i].has_tab)
            continue;
        /* follow the paragraph while its last line fills the width */
        size_t cur = i;
        while ((!lines[cur].trailing_space && (space_marks_end || lines[cur].width >= full))
               || (lines[cur].trailing_space && lines[cur].width >= full && !ends_sentence(t, &lines[cur]))
               || ends_open(t, &lines[cur])) {
            size_t j = cur + 1;
            while (j < nlines && (lines[j].kind == LINE_BLANK || lines[j].kind == LINE_FOOTER || lines[j].kind == LINE_FORMFEED))
                j++;
            if (j >= nlines || lines[j].kind != LINE_TEXT || lines[j].has_tab || starts_with_heading_marker(t, &lines[j]))
                break;
            cur = j;
        }
        p->last = cur;
        i = cur;
    }
    *out = b;
    *n_out = n;
    return 0;
}
