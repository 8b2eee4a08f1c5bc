/* pdforder.c — puts a PDF page's lines back in the order they are drawn, where
 * poppler's reading order misplaced one. Poppler groups lines into blocks by their
 * left edges, so the short last line of a paragraph whose first line is indented
 * (…支柱产 / 业) can come out before the line above it. A line that comes after
 * one drawn just below it (within a line's height) is moved above it. Columns and
 * a page's far parts are left in poppler's order: the bottom of one column and the
 * top of the next are not near. */
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
    char *out = malloc(len + 1);
    if (!l || !out) {
        free(l);
        free(out);
        return IDX_ENOMEM;
    }
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
    int moved = 0;
    for (size_t i = 1; i < n; i++) {
        /* move line i above the lines before it that are drawn just below it */
        size_t k = i;
        while (k > 0 && l[k].inked && l[k - 1].inked && just_below(&l[k], &l[k - 1])) {
            page_line tmp = l[k - 1];
            l[k - 1] = l[k];
            l[k] = tmp;
            k--;
            moved = 1;
        }
    }
    if (moved) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            memcpy(out + o, text + l[i].start, l[i].end - l[i].start);
            o += l[i].end - l[i].start;
            if (i + 1 < n)
                out[o++] = '\n';
        }
        out[o] = 0;
        memcpy(text, out, o + 1);
    }
    free(l);
    free(out);
    return 0;
}
