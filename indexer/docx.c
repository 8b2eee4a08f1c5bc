/* docx.c — Word (.docx) → UTF-8 text for the text pipeline, through libzip and
 * libxml2: paragraphs one per line, table cells separated by tabs, page breaks
 * (explicit, and the rendered ones Word records) as form feeds, headings from
 * styles or outline levels marked with Markdown #s. Refuses what is not a Word
 * file, a truncated one, and archives that would inflate past a limit. */
#include "idx_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define DOCX_MAX_XML (64u << 20)       /* document.xml larger than this is refused (zip bomb) */
#define DOCX_MAX_RATIO 200             /* nor one compressed more than this */

typedef struct {
    char *s;
    size_t len, cap;
    int pages;                         /* page breaks seen */
    int oom;
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    if (o->oom)
        return;
    if (o->len + n + 1 > o->cap) {
        size_t cap = (o->len + n + 1) * 2;
        char *ns = realloc(o->s, cap);
        if (!ns) {
            o->oom = 1;
            return;
        }
        o->s = ns;
        o->cap = cap;
    }
    memcpy(o->s + o->len, s, n);
    o->len += n;
    o->s[o->len] = 0;
}

static int is_w(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

/* A heading's level from its style (Heading1, 标题 2) or outline level, else 0. */
static int heading_level(const xmlNode *p)
{
    for (const xmlNode *pr = p->children; pr; pr = pr->next) {
        if (!is_w(pr, "pPr"))
            continue;
        for (const xmlNode *k = pr->children; k; k = k->next) {
            const char *v = attr(k, "val");
            if (!v)
                continue;
            if (is_w(k, "outlineLvl") && v[0] >= '0' && v[0] <= '8')
                return v[0] - '0' + 1;
            if (is_w(k, "pStyle")) {
                const char *d = v + strcspn(v, "0123456789");
                if (*d && (strstr(v, "eading") || strstr(v, "标题") || strncmp(v, "Title", 5) == 0))
                    return atoi(d) > 0 && atoi(d) < 7 ? atoi(d) : 1;
            }
        }
    }
    return 0;
}

static void text_of(const xmlNode *n, out_buf *o);

static void paragraph(const xmlNode *p, out_buf *o)
{
    int level = heading_level(p);
    if (level) {
        put(o, "######", (size_t)level);
        put(o, " ", 1);
    }
    text_of(p->children, o);
    put(o, "\n", 1);
}

static void table(const xmlNode *t, out_buf *o)
{
    for (const xmlNode *tr = t->children; tr; tr = tr->next) {
        if (!is_w(tr, "tr"))
            continue;
        int first = 1;
        for (const xmlNode *tc = tr->children; tc; tc = tc->next) {
            if (!is_w(tc, "tc"))
                continue;
            if (!first)
                put(o, "\t", 1);
            first = 0;
            for (const xmlNode *p = tc->children; p; p = p->next)
                if (is_w(p, "p"))
                    text_of(p->children, o);  /* a cell's paragraphs run together */
        }
        put(o, "\n", 1);
    }
}

/* Runs, text, tabs and breaks, depth first. */
static void text_of(const xmlNode *n, out_buf *o)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_w(n, "t")) {
            xmlChar *c = xmlNodeGetContent(n);
            if (c) {
                put(o, (const char *)c, strlen((const char *)c));
                xmlFree(c);
            }
        } else if (is_w(n, "tab")) {
            put(o, "\t", 1);
        } else if (is_w(n, "br") || is_w(n, "cr")) {
            const char *type = attr(n, "type");
            if (type && strcmp(type, "page") == 0) {
                put(o, "\n\f", 2);
                o->pages++;
            } else {
                put(o, "\n", 1);
            }
        } else if (is_w(n, "lastRenderedPageBreak")) {
            put(o, "\n\f", 2);
            o->pages++;
        } else if (is_w(n, "p")) {
            paragraph(n, o);
        } else if (is_w(n, "tbl")) {
            table(n, o);
        } else if (!is_w(n, "pPr") && !is_w(n, "rPr") && !is_w(n, "instrText") && !is_w(n, "delText")) {
            text_of(n->children, o);       /* runs, hyperlinks, smart tags, content controls */
        }
    }
}

int idx_docx_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len,
                     int *pages, idx_err *err)
{
    *text = NULL;
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(bytes, len, 0, &ze);
    zip_t *z = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!z) {
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        return idx_fail(err, IDX_EFORMAT, path, "not a Word file (not a readable zip archive; truncated?)");
    }
    zip_error_fini(&ze);
    zip_stat_t st;
    int rc = 0;
    char *xml = NULL;
    if (zip_stat(z, "word/document.xml", 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
        rc = idx_fail(err, IDX_EFORMAT, path, "not a Word file (no word/document.xml)");
    } else if (st.size > DOCX_MAX_XML
               || ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size > 0 && st.size / st.comp_size > DOCX_MAX_RATIO)) {
        rc = idx_fail(err, IDX_EFORMAT, path, "refused: word/document.xml would inflate too far (a zip bomb?)");
    } else if (!(xml = malloc(st.size + 1))) {
        rc = idx_fail(err, IDX_ENOMEM, path, NULL);
    } else {
        zip_file_t *f = zip_fopen(z, "word/document.xml", 0);
        zip_int64_t got = f ? zip_fread(f, xml, st.size) : -1;
        if (f)
            zip_fclose(f);
        if (got < 0 || (zip_uint64_t)got != st.size)
            rc = idx_fail(err, IDX_EFORMAT, path, "word/document.xml cannot be read (damaged archive)");
    }
    zip_close(z);
    if (rc) {
        free(xml);
        return rc;
    }
    xmlDoc *doc = xmlReadMemory(xml, (int)st.size, "document.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(xml);
    if (!doc)
        return idx_fail(err, IDX_EFORMAT, path, "word/document.xml is not well-formed XML");
    out_buf o = {0};
    xmlNode *root = xmlDocGetRootElement(doc);
    for (xmlNode *b = root ? root->children : NULL; b; b = b->next)
        if (is_w(b, "body"))
            text_of(b->children, &o);
    xmlFreeDoc(doc);
    if (o.oom) {
        free(o.s);
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    }
    *text = o.s ? o.s : calloc(1, 1);
    *text_len = o.len;
    *pages = o.pages;
    return 0;
}
