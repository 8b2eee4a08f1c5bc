/* pdf.c — PDF → UTF-8 text for the text pipeline, through poppler-glib: page by
 * page, a form feed between pages; lines repeated at the top or bottom of most
 * pages (running headers, footers, page numbers) leave the text; each page's
 * printed label is kept so pages can be numbered as printed. Refuses encrypted,
 * damaged and scanned (no text layer) files. */
#include "idx_int.h"

#include <ctype.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A line's shape: digits folded to #, spaces dropped ("- 12 -" → "-#-"). */
static void shape(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        out[o++] = isdigit(c) ? '#' : (char)c;
    }
    out[o] = 0;
}

typedef struct {
    char **text;                 /* per page */
    int n;
} pages_text;

/* Index of the first and last non-empty lines of page text s: [first_start, first_end), [last_start, last_end). */
static void edge_lines(const char *s, size_t *fs, size_t *fe, size_t *ls, size_t *le)
{
    size_t len = strlen(s), i = 0;
    *fs = *fe = *ls = *le = 0;
    while (i < len) {                                   /* first */
        size_t e = i;
        while (e < len && s[e] != '\n')
            e++;
        size_t k = i;
        while (k < e && isspace((unsigned char)s[k]))
            k++;
        if (k < e) {
            *fs = i;
            *fe = e;
            break;
        }
        i = e + 1;
    }
    size_t end = len;                                   /* last */
    while (end > 0) {
        size_t b = end;
        while (b > 0 && s[b - 1] != '\n')
            b--;
        size_t k = b;
        while (k < end && isspace((unsigned char)s[k]))
            k++;
        if (k < end) {
            *ls = b;
            *le = end;
            break;
        }
        end = b > 0 ? b - 1 : 0;
    }
}

/* Blanks the first/last line of pages where that line's shape recurs on at least
 * half the pages (and on three or more). */
static void drop_running_lines(pages_text *p)
{
    if (p->n < 3)
        return;
    for (int edge = 0; edge < 2; edge++) {
        char (*shapes)[128] = calloc((size_t)p->n, 128);
        if (!shapes)
            return;
        for (int i = 0; i < p->n; i++) {
            size_t fs, fe, ls, le;
            edge_lines(p->text[i], &fs, &fe, &ls, &le);
            size_t a = edge ? ls : fs, b = edge ? le : fe;
            shape(p->text[i] + a, b - a, shapes[i], 128);
        }
        for (int i = 0; i < p->n; i++) {
            if (!shapes[i][0])
                continue;
            int same = 0;
            for (int k = 0; k < p->n; k++)
                same += strcmp(shapes[i], shapes[k]) == 0;
            if (same >= 3 && same * 2 >= p->n) {
                size_t fs, fe, ls, le;
                edge_lines(p->text[i], &fs, &fe, &ls, &le);
                size_t a = edge ? ls : fs, b = edge ? le : fe;
                memset(p->text[i] + a, ' ', b - a);
            }
        }
        free(shapes);
    }
}

int idx_pdf_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len,
                    int **labels, int *npages, idx_err *err)
{
    *text = NULL;
    *labels = NULL;
    GError *gerr = NULL;
    GBytes *gb = g_bytes_new(bytes, len);
    PopplerDocument *doc = poppler_document_new_from_bytes(gb, NULL, &gerr);
    g_bytes_unref(gb);
    if (!doc) {
        int encrypted = gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;
        char why[200];
        snprintf(why, sizeof why, "%s%s", encrypted ? "encrypted PDF (a password is needed)" : "not a readable PDF: ",
                 encrypted ? "" : (gerr ? gerr->message : "unknown error"));
        if (gerr)
            g_error_free(gerr);
        return idx_fail(err, IDX_EFORMAT, path, why);
    }
    int n = poppler_document_get_n_pages(doc);
    pages_text p = {calloc((size_t)(n > 0 ? n : 1), sizeof(char *)), n};
    int *lab = calloc((size_t)(n > 0 ? n : 1), sizeof *lab);
    size_t chars = 0;
    int rc = (!p.text || !lab) ? IDX_ENOMEM : 0;
    for (int i = 0; i < n && !rc; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        char *t = page ? poppler_page_get_text(page) : NULL;
        gchar *label = page ? poppler_page_get_label(page) : NULL;
        char *end;
        long v = label ? strtol(label, &end, 10) : 0;
        lab[i] = (label && *label && !*end && v > 0 && v < 100000) ? (int)v : i + 1;
        g_free(label);
        p.text[i] = strdup(t ? t : "");
        for (const char *c = t; c && *c; c++)
            chars += !isspace((unsigned char)*c);
        g_free(t);
        if (page)
            g_object_unref(page);
        if (!p.text[i])
            rc = IDX_ENOMEM;
    }
    g_object_unref(doc);
    if (!rc && n > 0 && chars < (size_t)n * 4)
        rc = idx_fail(err, IDX_EEMPTY, path, "no text layer (a scanned PDF?): nothing to index");
    else if (!rc && n == 0)
        rc = idx_fail(err, IDX_EEMPTY, path, "a PDF without pages");
    size_t total = 0;
    if (!rc) {
        drop_running_lines(&p);
        for (int i = 0; i < n; i++)
            total += strlen(p.text[i]) + 2;
        char *out = malloc(total + 1);
        if (!out)
            rc = IDX_ENOMEM;
        else {
            size_t o = 0;
            for (int i = 0; i < n; i++) {
                size_t l = strlen(p.text[i]);
                memcpy(out + o, p.text[i], l);
                o += l;
                out[o++] = '\n';
                if (i + 1 < n)
                    out[o++] = '\f';
            }
            out[o] = 0;
            *text = out;
            *text_len = o;
        }
    }
    for (int i = 0; i < n && p.text; i++)
        free(p.text[i]);
    free(p.text);
    if (rc) {
        free(lab);
        return rc == IDX_ENOMEM ? idx_fail(err, rc, path, NULL) : rc;
    }
    *labels = lab;
    *npages = n;
    return 0;
}
