/* wordpages.c — where the pages of a Word file that records none would break, laid
 * out from its own page setup: the page size and margins (w:pgSz, w:pgMar), the
 * line grid (w:docGrid: a line takes whole grid pitches), each paragraph's font size
 * (its first w:sz; else the default paragraph style's or the document defaults' in
 * styles.xml; else 10.5 pt, Word's Chinese default), line spacing, spacing
 * before and after, indents, and explicit page breaks. A CJK character is one em
 * wide, any other half an em; a line's natural height is 1.3 em. The reports of
 * corpus/ that record Word's own breaks measure it (bench/wordpages.py). */
#include "doc_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TWIPS_PER_HALF_POINT 10
#define DEFAULT_SIZE 21                 /* half-points: 10.5 pt */
#define LINE_HEIGHT_EM 1.3

static double number(const xmlNode *n, const char *name, double fallback)
{
    const char *v = n ? idx_xml_attr(n, name) : NULL;
    char *end;
    double d = v ? strtod(v, &end) : 0;
    return v && end != v && d >= 0 && d < 1e6 ? d : fallback;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (n = n ? n->children : NULL; n; n = n->next)
        if (idx_xml_is(n, name))
            return n;
    return NULL;
}

void idx_word_layout_init(idx_word_layout *l, const idx_xml_node *sect, double default_size)
{
    memset(l, 0, sizeof *l);
    l->default_size = default_size >= 2 && default_size <= 400 ? default_size : DEFAULT_SIZE;
    const xmlNode *size = child(sect, "pgSz"), *mar = child(sect, "pgMar"), *grid = child(sect, "docGrid");
    double w = number(size, "w", 11906), h = number(size, "h", 16838);     /* A4 */
    l->page_h = h - number(mar, "top", 1440) - number(mar, "bottom", 1440);
    l->text_w = w - number(mar, "left", 1800) - number(mar, "right", 1800);
    const char *type = grid ? idx_xml_attr(grid, "type") : NULL;
    if (type && (!strcmp(type, "lines") || !strcmp(type, "linesAndChars") || !strcmp(type, "snapToChars")))
        l->pitch = number(grid, "linePitch", 0);
    if (l->page_h < 1000 || l->text_w < 1000) {    /* nonsense: A4's */
        l->page_h = 13958;
        l->text_w = 8306;
    }
}

double idx_word_first_size(const idx_xml_node *n)
{
    for (n = n ? n->children : NULL; n; n = n->next) {
        if (idx_xml_is(n, "sz"))
            return number(n, "val", 0);
        double s = idx_xml_is(n, "t") ? 0 : idx_word_first_size(n);
        if (s > 0)
            return s;
    }
    return 0;
}

/* Starts a new page: the next text goes on it. */
static void new_page(idx_word_layout *l)
{
    l->y = 0;
    l->pending = 1;
}

void idx_word_layout_paragraph(idx_word_layout *l, const idx_xml_node *p)
{
    const xmlNode *pr = child(p, "pPr"), *spacing = child(pr, "spacing"), *ind = child(pr, "ind");
    double size = idx_word_first_size(p);
    if (size < 2 || size > 400)
        size = l->default_size;
    double em = size * TWIPS_PER_HALF_POINT;
    double natural = em * LINE_HEIGHT_EM, line = number(spacing, "line", 0);
    const char *rule = spacing ? idx_xml_attr(spacing, "lineRule") : NULL;
    if (line > 0 && rule && !strcmp(rule, "exact"))
        natural = line;
    else if (line > 0 && rule && !strcmp(rule, "atLeast"))
        natural = natural > line ? natural : line;
    else if (line > 0)
        natural *= line / 240;
    l->line_h = l->pitch > 0 ? l->pitch * ceil(natural / l->pitch - 0.01) : natural;
    if (l->line_h > l->page_h)
        l->line_h = l->page_h;
    double width = l->text_w - number(ind, "left", 0) - number(ind, "start", 0) - number(ind, "right", 0) -
                   number(ind, "end", 0);
    l->cap = (width > em ? width : em) / (em / 2);           /* in half-em units */
    l->units = number(ind, "firstLineChars", 0) > 0 ? number(ind, "firstLineChars", 0) / 50
                                                    : number(ind, "firstLine", 0) / (em / 2);
    if (l->units >= l->cap)
        l->units = 0;
    double before = number(spacing, "beforeLines", 0) > 0 ? number(spacing, "beforeLines", 0) / 100 * l->line_h
                                                          : number(spacing, "before", 0);
    l->after = number(spacing, "afterLines", 0) > 0 ? number(spacing, "afterLines", 0) / 100 * l->line_h
                                                   : number(spacing, "after", 0);
    if (child(pr, "pageBreakBefore") && l->y > 0)
        new_page(l);
    else if (l->y > 0)
        l->y += before;                   /* not at the top of a page */
    if (l->y + l->line_h > l->page_h + 1)
        new_page(l);
}

int idx_word_layout_char(idx_word_layout *l, int32_t cp)
{
    /* a line may not start with closing punctuation: it hangs in the margin; two
     * marks in a row are set closer (。” takes one and a half ems) */
    int punct = cp == 0xFF0C || cp == 0x3002 || cp == 0x3001 || cp == 0xFF1B || cp == 0xFF1A || cp == 0xFF01 ||
                cp == 0xFF1F || cp == 0x201D || cp == 0x201C || cp == 0xFF09 || cp == 0xFF08 || cp == 0x300A || cp == 0x300B;
    int hangs = punct && cp != 0x201C && cp != 0xFF08 && cp != 0x300A;
    int w = punct && l->last_punct ? 1 : idx_width(cp);
    l->last_punct = punct;
    if (l->units + w > l->cap + 0.01 && !hangs) {   /* the line is full: the next one */
        l->y += l->line_h;
        l->units = 0;
        if (l->y + l->line_h > l->page_h + 1)
            new_page(l);
    }
    l->units += w;
    int brk = l->pending;
    l->pending = 0;
    return brk;
}

void idx_word_layout_paragraph_end(idx_word_layout *l)
{
    l->y += l->line_h + l->after;
    l->units = 0;
}

void idx_word_layout_page_break(idx_word_layout *l)
{
    l->y = 0;
    l->units = 0;
    l->pending = 0;
}
