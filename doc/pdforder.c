/* pdforder.c — puts a PDF page's lines back in the order they are drawn, where
 * poppler's reading order misplaced one. Poppler groups lines into blocks by their
 * left edges, so the short last line of a paragraph whose first line is indented
 * (…支柱产 / 业) can come out before the line above it. A line that comes after
 * one drawn just below it (within a line's height) is moved above it, on a page of
 * one column: a page with lines side by side (columns, a table) is left in
 * poppler's order, which reads each column whole. */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t start, end;      /* the line's bytes, without its '\n' */
    idx_box box;            /* the union of its inked characters' boxes */
    int inked;
} page_line;

/* Whether line b lies below line a: b's top under a's last quarter (a line's box
 * takes in its ascent and descent, so the boxes of lines drawn one under the other
 * overlap a little). */
static int lies_below(const page_line *a, const page_line *b)
{
    return b->box.y1 >= a->box.y2 - (a->box.y2 - a->box.y1) / 4;
}

/* Whether line b is drawn just below line a: within a line's height under it. */
static int just_below(const page_line *a, const page_line *b)
{
    return lies_below(a, b) && b->box.y1 - a->box.y2 < a->box.y2 - a->box.y1;
}

#define SIDE_BY_SIDE_MAX_LINES 2000   /* lines a page is checked for columns over */

/* Whether two inked lines stand side by side, on one height and apart: columns, or
 * a table's cells. Such a page is left in poppler's order, which reads a column or
 * a cell whole; only a page of one column is put in drawn order. */
static int side_by_side(const page_line *l, size_t n)
{
    if (n > SIDE_BY_SIDE_MAX_LINES)
        return 1;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n && l[i].inked; j++) {
            const idx_box *a = &l[i].box, *b = &l[j].box;
            if (!l[j].inked)
                continue;
            double top = a->y1 > b->y1 ? a->y1 : b->y1, bottom = a->y2 < b->y2 ? a->y2 : b->y2;
            double ha = a->y2 - a->y1, hb = b->y2 - b->y1;
            if (bottom - top > (ha < hb ? ha : hb) / 2 && (a->x2 <= b->x1 || b->x2 <= a->x1))
                return 1;
        }
    return 0;
}

int idx_pdf_order_lines(char *text, const idx_box *boxes, size_t nboxes)
{
    size_t len = strlen(text), nlines = 1, cps = 0;
    for (size_t i = 0; i < len; i++) {
        nlines += text[i] == '\n';
        cps += ((unsigned char)text[i] & 0xC0) != 0x80;
    }
    if (cps != nboxes)
        return 0;                               /* not the layout of this text: leave it */
    page_line *l = calloc(nlines, sizeof *l);
    if (!l)
        return IDX_ENOMEM;
    size_t n = 0, cp = 0;
    l[0].start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || text[i] == '\n') {
            l[n].end = i;
            if (++n < nlines)
                l[n].start = i + 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80 && text[i] != ' ' && text[i] != '\t') {
            const idx_box *b = &boxes[cp];
            idx_box *u = &l[n].box;
            if (!l[n].inked)
                *u = *b;
            else {
                u->x1 = b->x1 < u->x1 ? b->x1 : u->x1;
                u->y1 = b->y1 < u->y1 ? b->y1 : u->y1;
                u->x2 = b->x2 > u->x2 ? b->x2 : u->x2;
                u->y2 = b->y2 > u->y2 ? b->y2 : u->y2;
            }
            l[n].inked = 1;
        }
        if (i < len && ((unsigned char)text[i] & 0xC0) != 0x80)
            cp++;
    }
    /* a line that comes after one drawn just below it: only then is the page looked
     * at for columns (a quadratic look, skipped on the pages in order) */
    size_t misplaced = 1;
    while (misplaced < n && !(l[misplaced].inked && l[misplaced - 1].inked &&
                              just_below(&l[misplaced], &l[misplaced - 1])))
        misplaced++;
    int rc = 0;
    if (misplaced < n && !side_by_side(l, n)) {
        for (size_t i = misplaced; i < n; i++) {
            /* move line i above the lines before it that are drawn just below it */
            for (size_t k = i; k > 0 && l[k].inked && l[k - 1].inked && just_below(&l[k], &l[k - 1]); k--) {
                page_line tmp = l[k - 1];
                l[k - 1] = l[k];
                l[k] = tmp;
            }
        }
        char *out = malloc(len + 1);
        if (out) {
            size_t o = 0;
            for (size_t i = 0; i < n; i++) {
                memcpy(out + o, text + l[i].start, l[i].end - l[i].start);
                o += l[i].end - l[i].start;
                if (i + 1 < n)
                    out[o++] = '\n';
            }
            out[o] = 0;
            memcpy(text, out, o + 1);
            free(out);
        } else
            rc = IDX_ENOMEM;
    }
    free(l);
    return rc;
}
