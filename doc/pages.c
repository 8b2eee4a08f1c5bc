/* pages.c — which page each passage is on. Stated pages come first: printed
 * footers (` - 11 - ` ends page 11), form feeds, and a table of contents whose
 * entries are matched to the headings in the text. Between and beyond them pages
 * are estimated from the document's own density: text lines per page for a
 * hard-wrapped extraction, characters per page otherwise. A passage whose pages
 * all border a stated break gets that source; otherwise "estimated". */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    double pos;             /* in units (lines or characters) from the start */
    int page;               /* the page that starts here */
    int stated;
    idx_page_source source;
} page_break;

typedef struct {
    page_break *b;
    size_t n, cap;
} breaks;

static int add_break(breaks *bs, double pos, int page, int stated, idx_page_source src)
{
    if (bs->n == bs->cap) {
        size_t cap = bs->cap ? bs->cap * 2 : 32;
        page_break *nb = realloc(bs->b, cap * sizeof *nb);
        if (!nb)
            return IDX_ENOMEM;
        bs->b = nb;
        bs->cap = cap;
    }
    bs->b[bs->n++] = (page_break){pos, page, stated, src};
    return 0;
}

static int cmp_break(const void *a, const void *b)
{
    const page_break *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->page - y->page;
}

/* Units before each line: text lines (wrapped) or characters of text lines. */
static double *line_units(const idx_text *t, const idx_line *lines, size_t n, int wrapped)
{
    double *u = malloc((n + 1) * sizeof *u);
    if (!u)
        return NULL;
    double acc = 0;
    for (size_t i = 0; i < n; i++) {
        u[i] = acc;
        if (lines[i].kind == LINE_TEXT)
            acc += wrapped ? 1 : (double)idx_char_count(t->s + lines[i].start, lines[i].end - lines[i].start);
    }
    u[n] = acc;
    return u;
}

static size_t line_at(const idx_line *lines, size_t n, size_t off)
{
    size_t lo = 0, hi = n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (lines[mid].raw_start <= off)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static double unit_at(const idx_text *t, const idx_line *lines, size_t n, const double *u, int wrapped, size_t off)
{
    size_t li = line_at(lines, n, off);
    if (wrapped || lines[li].kind != LINE_TEXT || off <= lines[li].start)
        return u[li];
    size_t e = off < lines[li].end ? off : lines[li].end;
    return u[li] + (double)idx_char_count(t->s + lines[li].start, e - lines[li].start);
}

/* Heading text normalised for matching a TOC entry: no spaces, （）→ (). */
static char *toc_key(const char *s, size_t len)
{
    char *k = malloc(len + 1);
    if (!k)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        int n;
        int32_t cp = idx_cp_at(s, len, i, &n);
        if (cp == 0xFF08)
            k[o++] = '(';
        else if (cp == 0xFF09)
            k[o++] = ')';
        else if (!idx_is_space(cp)) {
            memcpy(k + o, s + i, (size_t)n);
            o += (size_t)n;
        }
        i += (size_t)n;
    }
    k[o] = 0;
    return k;
}

/* The entry's text without its leader and page number. */
static char *toc_entry_key(const idx_text *t, const idx_line *l)
{
    size_t e = l->end;
    while (e > l->start && t->s[e - 1] >= '0' && t->s[e - 1] <= '9')
        e--;
    while (e > l->start) {
        if (t->s[e - 1] == '\t' || t->s[e - 1] == ' ' || t->s[e - 1] == '.')
            e--;
        else if (e >= l->start + 3 && memcmp(t->s + e - 3, "…", 3) == 0)
            e -= 3;
        else if (e >= l->start + 2 && memcmp(t->s + e - 2, "·", 2) == 0)
            e -= 2;
        else
            break;
    }
    return toc_key(t->s + l->start, e - l->start);
}

static int collect_stated(const idx_text *t, const idx_line *lines, size_t nlines, const double *u, int wrapped,
                          const idx_block *blocks, size_t nblocks, breaks *bs)
{
    /* footers end their page; a form feed not just after a footer is a page
     * break of its own (pdftotext writes one per page) */
    int page = 1, after_footer = 0, from_formfeed = 0;
    for (size_t i = 0; i < nlines; i++) {
        int rc = 0;
        if (lines[i].kind == LINE_FOOTER && lines[i].page > 0) {
            page = lines[i].page + 1;
            rc = add_break(bs, u[i], page, 1, IDX_PAGE_FOOTER);
            after_footer = 1;
        } else if (lines[i].kind == LINE_FORMFEED) {
            if (!after_footer) {
                rc = add_break(bs, u[i], ++page, 1, IDX_PAGE_FOOTER);
                from_formfeed |= bs->n == 1;
            }
            after_footer = 0;
        } else if (lines[i].kind == LINE_TEXT) {
            after_footer = 0;
            for (size_t k = lines[i].start; k < lines[i].end && !rc; k++)   /* page marks inside it */
                if (t->s[k] == '\f') {
                    rc = add_break(bs, unit_at(t, lines, nlines, u, wrapped, k), ++page, 1, IDX_PAGE_FOOTER);
                    from_formfeed |= bs->n == 1;
                }
        }
        if (rc)
            return rc;
    }
    if (from_formfeed && add_break(bs, 0, 1, 1, IDX_PAGE_FOOTER))   /* counted from the first page */
        return IDX_ENOMEM;

    /* the table of contents: each entry, in order, to the next heading with its text */
    size_t cursor = 0;
    for (size_t i = 0; i < nlines; i++) {
        if (lines[i].kind != LINE_TOC_ENTRY)
            continue;
        char *key = toc_entry_key(t, &lines[i]);
        if (!key)
            return IDX_ENOMEM;
        for (size_t j = cursor; j < nblocks; j++) {
            if (blocks[j].kind != BLOCK_HEADING || blocks[j].first < i)
                continue;
            char *h = idx_repair_string(t, lines, &blocks[j]);
            char *hk = h ? toc_key(h, strlen(h)) : NULL;
            size_t kl = strlen(key), hl = hk ? strlen(hk) : 0;
            /* the heading may end in 。 or be the entry's first sentence */
            int match = hk && kl > 0 && (strcmp(hk, key) == 0 || (hl >= kl && strncmp(hk, key, kl) == 0)
                                         || (kl > hl && hl >= 12 && strncmp(hk, key, hl) == 0));
            free(h);
            free(hk);
            if (match) {
                double pos = unit_at(t, lines, nlines, u, wrapped, lines[blocks[j].first].start);
                if (add_break(bs, pos, lines[i].page, 1, IDX_PAGE_TOC)) {
                    free(key);
                    return IDX_ENOMEM;
                }
                cursor = j + 1;
                break;
            }
        }
        free(key);
    }
    return 0;
}

/* Keeps breaks whose pages never fall with position (several headings may share a
 * page); drops the rest (a misread footer, a TOC entry matched to the wrong place). */
static void keep_monotonic(breaks *bs)
{
    qsort(bs->b, bs->n, sizeof *bs->b, cmp_break);
    size_t m = 0;
    for (size_t i = 0; i < bs->n; i++)
        if (m == 0 || bs->b[i].page > bs->b[m - 1].page
            || (bs->b[i].page == bs->b[m - 1].page && bs->b[i].source == IDX_PAGE_TOC && bs->b[i].pos > bs->b[m - 1].pos))
            bs->b[m++] = bs->b[i];
    bs->n = m;
}

/* Units per page measured between stated breaks (or from the start to the first). */
static double density(const breaks *bs)
{
    double units = 0, pages = 0;
    for (size_t i = 1; i < bs->n; i++) {
        units += bs->b[i].pos - bs->b[i - 1].pos;
        pages += bs->b[i].page - bs->b[i - 1].page;
    }
    if (pages > 0 && units > 0)
        return units / pages;
    if (bs->n == 1 && bs->b[0].page > 1 && bs->b[0].pos > 0)
        return bs->b[0].pos / (bs->b[0].page - 1);
    return 0;
}

static int estimate(breaks *bs, double total)
{
    double per = density(bs);
    size_t stated = bs->n;
    if (per <= 0)
        return 0;
    /* before the first stated break: pages back to 1 */
    page_break first = bs->b[0];
    for (int p = first.page - 1; p >= 1; p--) {
        double pos = first.pos - (first.page - p) * per;
        if (p == 1 || pos <= 0)
            pos = 0;
        if (add_break(bs, pos, p, 0, IDX_PAGE_ESTIMATED))
            return IDX_ENOMEM;
        if (pos == 0)
            break;
    }
    /* between stated breaks: evenly */
    for (size_t i = 1; i < stated; i++) {
        page_break a = bs->b[i - 1], b = bs->b[i];
        int gap = b.page - a.page;
        for (int k = 1; k < gap; k++)
            if (add_break(bs, a.pos + (b.pos - a.pos) * k / gap, a.page + k, 0, IDX_PAGE_ESTIMATED))
                return IDX_ENOMEM;
    }
    /* after the last: at the same density to the end */
    page_break last = bs->b[stated - 1];
    for (int p = last.page + 1; last.pos + (p - last.page) * per < total; p++)
        if (add_break(bs, last.pos + (p - last.page) * per, p, 0, IDX_PAGE_ESTIMATED))
            return IDX_ENOMEM;
    qsort(bs->b, bs->n, sizeof *bs->b, cmp_break);
    return 0;
}

/* Index of the last break at or before pos (0 when pos precedes them all). */
static size_t break_at(const breaks *bs, double pos)
{
    size_t k = 0;
    for (size_t i = 0; i < bs->n && bs->b[i].pos <= pos; i++)
        k = i;
    return k;
}

int idx_pages_assign(const idx_text *t, const idx_line *lines, size_t nlines, int wrapped,
                     const idx_block *blocks, size_t nblocks, idx_doc *doc)
{
    double *u = line_units(t, lines, nlines, wrapped);
    if (!u)
        return IDX_ENOMEM;
    breaks bs = {0};
    int rc = collect_stated(t, lines, nlines, u, wrapped, blocks, nblocks, &bs);
    if (!rc && bs.n > 0) {
        keep_monotonic(&bs);
        rc = estimate(&bs, u[nlines]);
    }
    if (rc || bs.n == 0) {
        free(u);
        free(bs.b);
        return rc;
    }
    int max_page = 0;
    for (size_t i = 0; i < doc->npassages; i++) {
        idx_passage *p = &doc->passages[i];
        double a = unit_at(t, lines, nlines, u, wrapped, p->text_start);
        /* the passage's last character: its line (wrapped) or just before its end */
        double b = wrapped ? unit_at(t, lines, nlines, u, wrapped, p->text_end > 0 ? p->text_end - 1 : 0)
                           : unit_at(t, lines, nlines, u, wrapped, p->text_end) - 0.5;
        if (b < a)
            b = a;
        size_t ka = break_at(&bs, a), kb = break_at(&bs, b);
        p->page = bs.b[ka].page;
        p->page_end = bs.b[kb].page;
        /* Stated when every stretch it touches is: one that starts at a stated break
         * (a footer or a TOC heading), or ends at a footer (the page the footer is
         * printed on). Text before the first break is assumed on its page: an estimate. */
        idx_page_source src = a < bs.b[0].pos ? IDX_PAGE_ESTIMATED : IDX_PAGE_NONE;
        for (size_t k = ka; k <= kb && src != IDX_PAGE_ESTIMATED; k++) {
            const page_break *s0 = &bs.b[k], *s1 = k + 1 < bs.n ? &bs.b[k + 1] : NULL;
            const page_break *st = s0->stated ? s0
                                 : (s1 && s1->stated && s1->source == IDX_PAGE_FOOTER ? s1 : NULL);
            if (!st) {
                src = IDX_PAGE_ESTIMATED;
                break;
            }
            if (src == IDX_PAGE_NONE)
                src = st->source;
        }
        p->page_source = src == IDX_PAGE_NONE ? IDX_PAGE_ESTIMATED : src;
        if (p->page_end > max_page)
            max_page = p->page_end;
    }
    doc->pages = max_page;
    free(u);
    free(bs.b);
    return 0;
}
