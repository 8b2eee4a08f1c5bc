/* passage.c — blocks → passages: what a reader would quote. A paragraph is one
 * passage; one longer than about 400 characters becomes runs of whole sentences of
 * about 150–400 characters (a single longer sentence, up to 800, whole). Each passage carries its section path (headings, a
 * box's or table's title), a table row its header, and its exact source range.
 * Short publishing notices (来源：…, 责任编辑：…, （完）) are not passages.
 * Whatever the layout (a 20 MB line, a row without punctuation), no passage holds
 * more than MAX_PASSAGE characters, and no heading in a path more than MAX_HEADING
 * bytes. */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

#define LONG_PARAGRAPH 400
#define MIN_RUN 150
#define MAX_RUN 400
#define MAX_SENTENCE 800         /* characters: a sentence up to this long is quoted whole */
#define MAX_PASSAGE 1000         /* characters: past it a passage is cut at character boundaries */
#define MAX_HEADING 300          /* bytes of a heading as a path shows it */

#define MAX_DEPTH 16
typedef struct {
    char *text[MAX_DEPTH];
    int level[MAX_DEPTH];
    size_t depth;
} path_stack;

static void path_push(path_stack *p, int level, char *text)
{
    while (p->depth > 0 && p->level[p->depth - 1] >= level)
        free(p->text[--p->depth]);
    if (p->depth == MAX_DEPTH) {
        free(text);
        return;
    }
    p->level[p->depth] = level;
    p->text[p->depth++] = text;
}

static void path_free(path_stack *p)
{
    while (p->depth > 0)
        free(p->text[--p->depth]);
}

/* Heading text as shown in a path: no trailing 。；：. */
static char *heading_text(const idx_text *t, const idx_line *lines, const idx_block *b)
{
    char *s = idx_repair_string(t, lines, b);
    if (!s)
        return NULL;
    size_t len = strlen(s);
    for (;;) {
        if (len >= 3 && (memcmp(s + len - 3, "。", 3) == 0 || memcmp(s + len - 3, "；", 3) == 0
                         || memcmp(s + len - 3, "：", 3) == 0))
            len -= 3;
        else if (len > 0 && (s[len - 1] == ':' || s[len - 1] == '.'))
            len--;
        else
            break;
    }
    if (len > MAX_HEADING) {     /* a whole long line taken for a heading: its opening */
        len = MAX_HEADING;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    s[len] = 0;
    return s;
}

typedef struct {
    const idx_text *t;
    idx_doc *doc;
    size_t cap;
} builder;

#define BOILERPLATE_MAX 60       /* characters: a notice, not a paragraph */

/* The notices' openings; a picture credit (本版图片由…提供) also says that
 * captions may follow it. */
typedef struct {
    const char *opening;
    int picture;
} notice;
static const notice notices[] = {
    {"来源：", 0}, {"来源:", 0}, {"责任编辑", 0}, {"编辑：", 0}, {"校对：", 0}, {"审核：", 0}, {"（完）", 0},
    {"(完)", 0}, {"版权所有", 0}, {"转载请注明", 0}, {"本文来源", 0}, {"【责任编辑", 0}, {"[责任编辑", 0},
    {"本版图片", 1}, {"（本版图片", 1}, {"(本版图片", 1}, {"图片来源", 1}, {"（图片由", 1}, {"(图片由", 1},
};

/* The notice s[0, len) is, or NULL. */
static const notice *notice_of(const char *s, size_t len)
{
    if (idx_chars_over(s, len, BOILERPLATE_MAX))
        return NULL;
    for (size_t i = 0; i < sizeof notices / sizeof notices[0]; i++) {
        size_t n = strlen(notices[i].opening);
        if (len >= n && memcmp(s, notices[i].opening, n) == 0)
            return &notices[i];
    }
    return NULL;
}

int idx_is_notice(const char *s, size_t len)
{
    return notice_of(s, len) != NULL;
}

int idx_is_picture_credit(const char *s, size_t len)
{
    const notice *n = notice_of(s, len);
    return n && n->picture;
}

static int add_one(builder *bd, const idx_buf *buf, size_t a, size_t b, const path_stack *path,
                   const char *extra, const char *header, idx_passage_kind kind)
{
    while (a < b && (buf->s[a] == ' ' || buf->s[a] == '\t'))
        a++;
    while (b > a && (buf->s[b - 1] == ' ' || buf->s[b - 1] == '\t'))
        b--;
    if (a >= b)
        return 0;
    idx_doc *d = bd->doc;
    if (d->npassages == bd->cap) {
        size_t cap = bd->cap ? bd->cap * 2 : 64;
        idx_passage *np = realloc(d->passages, cap * sizeof *np);
        if (!np)
            return IDX_ENOMEM;
        d->passages = np;
        bd->cap = cap;
    }
    idx_passage *p = &d->passages[d->npassages];
    memset(p, 0, sizeof *p);
    p->start = idx_orig(bd->t, buf->src[a]);
    p->end = idx_orig(bd->t, buf->src[b - 1] + 1);
    p->text_start = buf->src[a];
    p->text_end = buf->src[b - 1] + 1;
    p->text = malloc(b - a + 1);
    p->section = calloc(path->depth + 1, sizeof *p->section);
    if (!p->text || !p->section) {
        free(p->text);
        free(p->section);
        return IDX_ENOMEM;
    }
    memcpy(p->text, buf->s + a, b - a);
    p->text[b - a] = 0;
    p->text_len = b - a;
    for (size_t i = 0; i < path->depth; i++)
        p->section[p->nsection++] = strdup(path->text[i]);
    if (extra)
        p->section[p->nsection++] = strdup(extra);
    p->table_header = header ? strdup(header) : NULL;
    p->kind = kind;
    d->npassages++;
    return 0;
}

/* [a, b) as a passage, or as pieces of MAX_PASSAGE characters when longer. */
static int add_passage(builder *bd, const idx_buf *buf, size_t a, size_t b, const path_stack *path,
                       const char *extra, const char *header, idx_passage_kind kind)
{
    while (idx_chars_over(buf->s + a, b - a, MAX_PASSAGE)) {
        size_t cut = a, n = 0;
        while (n < MAX_PASSAGE) {
            cut++;
            while (cut < b && ((unsigned char)buf->s[cut] & 0xC0) == 0x80)
                cut++;
            n++;
        }
        int rc = add_one(bd, buf, a, cut, path, extra, header, kind);
        if (rc)
            return rc;
        a = cut;
    }
    return add_one(bd, buf, a, b, path, extra, header, kind);
}

/* Where each sentence of s[0, len) ends (after 。！？ and closing quotes). */
static size_t sentence_ends(const char *s, size_t len, size_t *ends, size_t cap, int soft)
{
    size_t n = 0;
    for (size_t i = 0; i < len;) {
        int k;
        int32_t cp = idx_cp_at(s, len, i, &k);
        i += (size_t)k;
        int end = idx_is_sentence_end(cp) || (soft && (cp == 0xFF0C || cp == 0x3001 || cp == ','));
        if (!end)
            continue;
        while (i < len) {                   /* closing quotes and brackets stay with the sentence */
            int32_t c2 = idx_cp_at(s, len, i, &k);
            if (c2 != 0x201D && c2 != 0x2019 && c2 != 0xFF09 && c2 != 0x300D && c2 != 0x300F && c2 != ')')
                break;
            i += (size_t)k;
        }
        if (n < cap)
            ends[n++] = i;
    }
    if (n == 0 || ends[n - 1] != len) {
        if (n < cap)
            ends[n++] = len;
        else
            ends[n - 1] = len;
    }
    return n;
}

/* Whether s[a, b) holds more than limit characters. */
static int over(const char *s, size_t a, size_t b, size_t limit) { return idx_chars_over(s + a, b - a, limit); }

/* One sentence longer than a run: whole up to MAX_SENTENCE characters (a quotation
 * needs it whole), else cut at soft ends (commas) into pieces of at most MAX_RUN
 * characters where it can. */
static int add_long_sentence(builder *bd, const idx_buf *buf, size_t from, size_t to, const size_t *soft,
                             size_t ns, const path_stack *path, const char *extra, idx_passage_kind kind)
{
    const char *s = buf->s;
    if (!over(s, from, to, MAX_SENTENCE))
        return add_passage(bd, buf, from, to, path, extra, NULL, kind);
    size_t piece = from, fit = from;
    for (size_t k = 0; k < ns; k++) {
        if (soft[k] <= piece || soft[k] >= to)
            continue;
        if (over(s, piece, soft[k], MAX_RUN) && fit > piece) {
            int rc = add_passage(bd, buf, piece, fit, path, extra, NULL, kind);
            if (rc)
                return rc;
            piece = fit;
        }
        fit = soft[k];
    }
    if (over(s, piece, to, MAX_RUN) && fit > piece) {
        int rc = add_passage(bd, buf, piece, fit, path, extra, NULL, kind);
        if (rc)
            return rc;
        piece = fit;
    }
    return add_passage(bd, buf, piece, to, path, extra, NULL, kind);
}

/* A paragraph → one passage, or, past LONG_PARAGRAPH characters, runs of whole
 * sentences of MIN_RUN–MAX_RUN characters (a short tail stays with the run before). */
static int add_paragraph(builder *bd, const idx_buf *buf, const path_stack *path, const char *extra,
                         idx_passage_kind kind)
{
    const char *s = buf->s;
    size_t len = buf->len;
    if (!over(s, 0, len, LONG_PARAGRAPH))
        return add_passage(bd, buf, 0, len, path, extra, NULL, kind);
    size_t cap = len / 3 + 2;
    size_t *ends = malloc(cap * sizeof *ends), *soft = malloc(cap * sizeof *soft);
    if (!ends || !soft) {
        free(ends);
        free(soft);
        return IDX_ENOMEM;
    }
    size_t n = sentence_ends(s, len, ends, cap, 0);
    size_t ns = sentence_ends(s, len, soft, cap, 1);
    size_t run = 0, prev = 0;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        size_t e = ends[i];
        if (over(s, prev, e, MAX_RUN)) {       /* one sentence longer than a run */
            if (prev > run)
                rc = add_passage(bd, buf, run, prev, path, extra, NULL, kind);
            if (!rc)
                rc = add_long_sentence(bd, buf, prev, e, soft, ns, path, extra, kind);
            run = prev = e;
            continue;
        }
        if (over(s, run, e, MAX_RUN) && over(s, run, prev, MIN_RUN - 1)
            && !(!over(s, prev, len, MIN_RUN / 3 - 1) && !over(s, run, len, MAX_RUN + MIN_RUN / 3))) {
            rc = add_passage(bd, buf, run, prev, path, extra, NULL, kind);
            run = prev;
        }
        prev = e;
    }
    if (!rc && run < len)
        rc = add_passage(bd, buf, run, len, path, extra, NULL, kind);
    free(ends);
    free(soft);
    return rc;
}

int idx_passages_build(const idx_text *t, const idx_line *lines, size_t nlines,
                       const idx_block *blocks, size_t nblocks, idx_doc *doc)
{
    (void)nlines;
    builder bd = {t, doc, 0};
    path_stack path = {0};
    char *box = NULL, *table = NULL, *header = NULL;
    int rc = 0;
    for (size_t i = 0; i < nblocks && !rc; i++) {
        const idx_block *b = &blocks[i];
        if (b->kind != BLOCK_TABLE_ROW && b->kind != BLOCK_TABLE_HEADER && b->kind != BLOCK_TABLE_TITLE && header) {
            free(header);                /* the table ended */
            header = NULL;
            free(table);
            table = NULL;
        }
        if (!b->in_box && box && b->kind != BLOCK_BOX_TITLE) {
            free(box);
            box = NULL;
        }
        switch (b->kind) {
        case BLOCK_TITLE:
            break;
        case BLOCK_HEADING: {
            char *h = heading_text(t, lines, b);
            if (!h)
                rc = IDX_ENOMEM;
            else
                path_push(&path, b->level, h);
            free(table);
            table = NULL;
            break;
        }
        case BLOCK_BOX_TITLE:
            free(box);
            box = heading_text(t, lines, b);
            break;
        case BLOCK_TABLE_TITLE:
            free(table);
            table = heading_text(t, lines, b);
            free(header);
            header = NULL;
            break;
        case BLOCK_TABLE_HEADER: {
            idx_buf hb = {0};
            rc = idx_repair_lines(t, lines, b, 1, &hb);
            if (!rc && hb.s) {
                size_t old = header ? strlen(header) : 0;
                char *nh = realloc(header, old + hb.len + 2);
                if (!nh) {
                    rc = IDX_ENOMEM;
                } else {
                    if (old)
                        nh[old++] = '\n';
                    memcpy(nh + old, hb.s, hb.len + 1);
                    header = nh;
                }
            }
            idx_buf_free(&hb);
            break;
        }
        case BLOCK_TABLE_ROW: {
            idx_buf rb = {0};
            rc = idx_repair_lines(t, lines, b, 1, &rb);
            if (!rc && rb.len)
                rc = add_passage(&bd, &rb, 0, rb.len, &path, table, header ? header : "", IDX_PASSAGE_TABLE_ROW);
            idx_buf_free(&rb);
            break;
        }
        case BLOCK_PARA: {
            idx_buf pb = {0};
            rc = idx_repair_lines(t, lines, b, 0, &pb);
            if (!rc && pb.len && !idx_is_notice(pb.s, pb.len))
                rc = add_paragraph(&bd, &pb, &path, b->in_box ? box : NULL,
                                   b->in_box ? IDX_PASSAGE_BOX : b->caption ? IDX_PASSAGE_CAPTION : IDX_PASSAGE_TEXT);
            idx_buf_free(&pb);
            break;
        }
        }
    }
    path_free(&path);
    free(box);
    free(table);
    free(header);
    return rc;
}
