/* pdf.c — PDF → UTF-8 text for the text pipeline, through poppler-glib: page by
 * page, a form feed between pages; lines repeated at the top or bottom of most
 * pages (running headers, footers, page numbers) leave the text; each page's
 * printed label is kept so pages can be numbered as printed. Refuses encrypted,
 * damaged and scanned (no text layer) files. */
#include "doc_int.h"
#include "intl.h"

#include <ctype.h>
#include <dlfcn.h>
#include <poppler.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* poppler-glib (and the fifty libraries it brings: NSS, cairo, X11, image codecs) is
 * loaded the first time a PDF is read, not at every start of wensou: a search or a
 * segment command starts in a few milliseconds instead of thirty. */
static struct {
    PopplerDocument *(*document_new_from_bytes)(GBytes *, const char *, GError **);
    int (*document_get_n_pages)(PopplerDocument *);
    PopplerPage *(*document_get_page)(PopplerDocument *, int);
    char *(*page_get_text)(PopplerPage *);
    gboolean (*page_get_text_layout)(PopplerPage *, PopplerRectangle **, guint *);
    gchar *(*page_get_label)(PopplerPage *);
    GQuark (*error_quark)(void);
    GBytes *(*bytes_new)(gconstpointer, gsize);
    void (*bytes_unref)(GBytes *);
    void (*gfree)(gpointer);
    void (*error_free)(GError *);
    void (*object_unref)(gpointer);
    int loaded;
} pp;
static pthread_once_t pp_once = PTHREAD_ONCE_INIT;
/* One document at a time: poppler-glib does not document that documents may be
 * read on several threads at once, and two writers' reader threads do (halves.c). */
static pthread_mutex_t pp_lock = PTHREAD_MUTEX_INITIALIZER;

static void load_poppler(void)
{
    static const char *names[] = {"libpoppler-glib.so.8", "libpoppler-glib.so"};
    void *h = NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0] && !h; i++)
        h = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return;
#define SYM(field, name) (*(void **)&pp.field = dlsym(h, name))
    int ok = SYM(document_new_from_bytes, "poppler_document_new_from_bytes") && SYM(document_get_n_pages, "poppler_document_get_n_pages")
          && SYM(document_get_page, "poppler_document_get_page") && SYM(page_get_text, "poppler_page_get_text")
          && SYM(page_get_text_layout, "poppler_page_get_text_layout")
          && SYM(page_get_label, "poppler_page_get_label") && SYM(error_quark, "poppler_error_quark")
          && SYM(bytes_new, "g_bytes_new") && SYM(bytes_unref, "g_bytes_unref") && SYM(gfree, "g_free")
          && SYM(error_free, "g_error_free") && SYM(object_unref, "g_object_unref");
#undef SYM
    pp.loaded = ok;
}

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

/* Puts the page's lines in drawn order where poppler's reading order misplaced one
 * (pdforder.c). */
static int order_lines(PopplerPage *page, char *text)
{
    PopplerRectangle *rects = NULL;
    guint n = 0;
    if (!pp.page_get_text_layout(page, &rects, &n) || !rects)
        return 0;
    idx_box *boxes = malloc((n ? n : 1) * sizeof *boxes);
    int rc = boxes ? 0 : IDX_ENOMEM;
    for (guint i = 0; boxes && i < n; i++)
        boxes[i] = (idx_box){rects[i].x1, rects[i].y1, rects[i].x2, rects[i].y2};
    if (boxes)
        rc = idx_pdf_order_lines(text, boxes, n);
    free(boxes);
    pp.gfree(rects);
    return rc;
}

int idx_pdf_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len,
                    int **labels, int *npages, idx_err *err)
{
    *text = NULL;
    *labels = NULL;
    pthread_once(&pp_once, load_poppler);
    if (!pp.loaded)
        return idx_fail(err, IDX_EFORMAT, path, _("cannot read PDF files: libpoppler-glib is not installed"));
    GError *gerr = NULL;
    pthread_mutex_lock(&pp_lock);
    GBytes *gb = pp.bytes_new(bytes, len);
    PopplerDocument *doc = pp.document_new_from_bytes(gb, NULL, &gerr);
    pp.bytes_unref(gb);
    if (!doc) {
        pthread_mutex_unlock(&pp_lock);
        int encrypted = gerr && gerr->domain == pp.error_quark() && gerr->code == POPPLER_ERROR_ENCRYPTED;
        char why[200];
        snprintf(why, sizeof why, "%s%s", encrypted ? _("encrypted PDF (a password is needed)") : _("not a readable PDF: "),
                 encrypted ? "" : (gerr ? gerr->message : "unknown error"));
        if (gerr)
            pp.error_free(gerr);
        return idx_fail(err, IDX_EFORMAT, path, why);
    }
    int n = pp.document_get_n_pages(doc);
    pages_text p = {calloc((size_t)(n > 0 ? n : 1), sizeof(char *)), n};
    int *lab = calloc((size_t)(n > 0 ? n : 1), sizeof *lab);
    size_t chars = 0;
    int rc = (!p.text || !lab) ? IDX_ENOMEM : 0;
    for (int i = 0; i < n && !rc; i++) {
        PopplerPage *page = pp.document_get_page(doc, i);
        char *t = page ? pp.page_get_text(page) : NULL;
        gchar *label = page ? pp.page_get_label(page) : NULL;
        char *end;
        long v = label ? strtol(label, &end, 10) : 0;
        lab[i] = (label && *label && !*end && v > 0 && v < 100000) ? (int)v : i + 1;
        pp.gfree(label);
        p.text[i] = strdup(t ? t : "");
        if (p.text[i] && page && t)
            rc = order_lines(page, p.text[i]);
        for (const char *c = t; c && *c; c++)
            chars += !isspace((unsigned char)*c);
        pp.gfree(t);
        if (page)
            pp.object_unref(page);
        if (!p.text[i])
            rc = IDX_ENOMEM;
    }
    pp.object_unref(doc);
    pthread_mutex_unlock(&pp_lock);
    /* printed labels are page numbers only when they run forwards (5, 6, 7); labels
     * that jump back (5, then an unlabelled 2) would give a passage's pages backwards */
    for (int i = 1; i < n && lab && !rc; i++)
        if (lab[i] <= lab[i - 1]) {
            for (int k = 0; k < n; k++)
                lab[k] = k + 1;
            break;
        }
    if (!rc && n > 0 && chars < (size_t)n * 4)
        rc = idx_fail(err, IDX_EEMPTY, path, _("no text layer (a scanned PDF?): nothing to index"));
    else if (!rc && n == 0)
        rc = idx_fail(err, IDX_EEMPTY, path, _("a PDF without pages"));
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
