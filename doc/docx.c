/* docx.c — Word (.docx) → UTF-8 text for the text pipeline, through libzip and
 * libxml2: paragraphs one per line, table cells separated by tabs, page breaks
 * (explicit, and the rendered ones Word records) as form feeds where they fall (one
 * inside a paragraph stays inside its line: a page boundary, not a paragraph end;
 * see lines.c), headings from
 * styles or outline levels marked with Markdown #s. Refuses what is not a Word
 * file, a truncated one, and archives that would inflate past a limit. */
#include "doc_int.h"
#include "intl.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

/* libzip (and libxml2, doc_int.h) are loaded the first time a Word file is read, not
 * at every start of wensou. */
static struct {
    void (*error_init)(zip_error_t *);
    void (*error_fini)(zip_error_t *);
    zip_source_t *(*source_buffer_create)(const void *, zip_uint64_t, int, zip_error_t *);
    void (*source_free)(zip_source_t *);
    zip_t *(*open_from_source)(zip_source_t *, int, zip_error_t *);
    int (*stat)(zip_t *, const char *, zip_flags_t, zip_stat_t *);
    zip_file_t *(*fopen)(zip_t *, const char *, zip_flags_t);
    zip_int64_t (*fread)(zip_file_t *, void *, zip_uint64_t);
    int (*fclose)(zip_file_t *);
    int (*close)(zip_t *);
    const idx_xmllib *xml;
    int loaded;
} lib;
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;

static void *open_first(const char *a, const char *b)
{
    void *h = dlopen(a, RTLD_NOW | RTLD_LOCAL);
    return h ? h : dlopen(b, RTLD_NOW | RTLD_LOCAL);
}

static void load_libs(void)
{
    void *z = open_first("libzip.so.4", "libzip.so");
    lib.xml = idx_xmllib_get();
    if (!z || !lib.xml)
        return;
#define SYM(h, field, name) (*(void **)&lib.field = dlsym(h, name))
    lib.loaded = SYM(z, error_init, "zip_error_init") && SYM(z, error_fini, "zip_error_fini")
        && SYM(z, source_buffer_create, "zip_source_buffer_create") && SYM(z, source_free, "zip_source_free")
        && SYM(z, open_from_source, "zip_open_from_source") && SYM(z, stat, "zip_stat") && SYM(z, fopen, "zip_fopen")
        && SYM(z, fread, "zip_fread") && SYM(z, fclose, "zip_fclose") && SYM(z, close, "zip_close");
#undef SYM
}

#define DOCX_MAX_XML (64u << 20)       /* document.xml larger than this is refused (zip bomb) */
#define DOCX_MAX_RATIO 200             /* nor one compressed more than this */

typedef struct {
    idx_strbuf text;
    int pages;                         /* page breaks put in the text */
    int rendered;                      /* of them, the ones Word recorded */
    idx_word_layout *layout;           /* estimating the pages: where they break */
    int32_t last_cp;                   /* the paragraph's last character so far (0: none) */
} out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    idx_strbuf_put(&o->text, s, n);
}

/* A run's text; with a layout, a form feed where an estimated page starts. One
 * that would fall just after a sentence's end inside a paragraph goes one character
 * on: an estimate marks the page and does not part the passage there (a break Word
 * recorded does, lines.c). */
static void put_text(out_buf *o, const char *s, size_t n)
{
    if (!o->layout) {
        put(o, s, n);
        return;
    }
    size_t from = 0;
    int deferred = 0;
    for (size_t i = 0; i < n;) {
        int len;
        int32_t cp = idx_cp_at(s, n, i, &len);
        int brk = idx_word_layout_char(o->layout, cp) || deferred;
        deferred = brk && o->last_cp && idx_is_sentence_end(o->last_cp) && !deferred;
        if (brk && !deferred) {
            put(o, s + from, i - from);
            put(o, "\f", 1);
            o->pages++;
            from = i;
        }
        o->last_cp = cp;
        i += (size_t)len;
    }
    put(o, s + from, n - from);
    o->layout->pending |= deferred;           /* at the next character */
}


/* A heading's level from its style (Heading1, 标题 2) or outline level, else 0. */
static int heading_level(const xmlNode *p)
{
    for (const xmlNode *pr = p->children; pr; pr = pr->next) {
        if (!idx_xml_is(pr, "pPr"))
            continue;
        for (const xmlNode *k = pr->children; k; k = k->next) {
            const char *v = idx_xml_attr(k, "val");
            if (!v)
                continue;
            if (idx_xml_is(k, "outlineLvl") && v[0] >= '0' && v[0] <= '8')
                return v[0] - '0' + 1;
            if (idx_xml_is(k, "pStyle")) {
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
    if (o->layout)
        idx_word_layout_paragraph(o->layout, p);
    o->last_cp = 0;
    text_of(p->children, o);
    if (o->layout)
        idx_word_layout_paragraph_end(o->layout);
    put(o, "\n", 1);
}

static void table(const xmlNode *t, out_buf *o)
{
    for (const xmlNode *tr = t->children; tr; tr = tr->next) {
        if (!idx_xml_is(tr, "tr"))
            continue;
        int first = 1;
        if (o->layout)                         /* a row laid out as one paragraph */
            idx_word_layout_paragraph(o->layout, tr);
        for (const xmlNode *tc = tr->children; tc; tc = tc->next) {
            if (!idx_xml_is(tc, "tc"))
                continue;
            if (!first)
                put(o, "\t", 1);
            first = 0;
            for (const xmlNode *p = tc->children; p; p = p->next)
                if (idx_xml_is(p, "p"))
                    text_of(p->children, o);  /* a cell's paragraphs run together */
        }
        if (o->layout)
            idx_word_layout_paragraph_end(o->layout);
        put(o, "\n", 1);
    }
}

/* Runs, text, tabs and breaks, depth first. */
static void text_of(const xmlNode *n, out_buf *o)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (idx_xml_is(n, "t")) {
            xmlChar *c = lib.xml->content(n);
            if (c) {
                put_text(o, (const char *)c, strlen((const char *)c));
                (*lib.xml->xml_free)(c);
            }
        } else if (idx_xml_is(n, "tab")) {
            put(o, "\t", 1);
        } else if (idx_xml_is(n, "br") || idx_xml_is(n, "cr")) {
            const char *type = idx_xml_attr(n, "type");
            if (type && strcmp(type, "page") == 0) {
                put(o, "\f", 1);
                o->pages++;
                if (o->layout)
                    idx_word_layout_page_break(o->layout);
            } else {
                put(o, "\n", 1);
            }
        } else if (idx_xml_is(n, "lastRenderedPageBreak")) {
            put(o, "\f", 1);
            o->pages++;
            o->rendered++;
        } else if (idx_xml_is(n, "p")) {
            paragraph(n, o);
        } else if (idx_xml_is(n, "tbl")) {
            table(n, o);
        } else if (!idx_xml_is(n, "pPr") && !idx_xml_is(n, "rPr") && !idx_xml_is(n, "instrText") && !idx_xml_is(n, "delText")) {
            text_of(n->children, o);       /* runs, hyperlinks, smart tags, content controls */
        }
    }
}

enum { MEMBER_OK, MEMBER_MISSING, MEMBER_TOO_BIG, MEMBER_NOMEM, MEMBER_DAMAGED };

/* A member of the archive read whole into *out (malloc'd), within the limits on
 * size and compression ratio: MEMBER_OK or why not. */
static int read_member(zip_t *z, const char *name, char **out, size_t *len)
{
    zip_stat_t st;
    *out = NULL;
    if (lib.stat(z, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE))
        return MEMBER_MISSING;
    if (st.size > DOCX_MAX_XML ||
        ((st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size > 0 && st.size / st.comp_size > DOCX_MAX_RATIO))
        return MEMBER_TOO_BIG;
    char *buf = malloc(st.size + 1);
    if (!buf)
        return MEMBER_NOMEM;
    zip_file_t *f = lib.fopen(z, name, 0);
    zip_int64_t got = f ? lib.fread(f, buf, st.size) : -1;
    if (f)
        lib.fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return MEMBER_DAMAGED;
    }
    buf[st.size] = 0;
    *out = buf;
    *len = st.size;
    return MEMBER_OK;
}

/* The size (half-points) of the text a style does not size: the default paragraph
 * style's, else the document defaults' (styles.xml); 0 when neither says. */
static double default_font_size(const char *xml, size_t len)
{
    xmlDoc *doc = lib.xml->read_memory(xml, (int)len, "styles.xml", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    xmlNode *root = doc ? lib.xml->root(doc) : NULL;
    double size = 0, normal = 0;
    for (const xmlNode *n = root ? root->children : NULL; n; n = n->next) {
        const char *type = idx_xml_attr(n, "type"), *dflt = idx_xml_attr(n, "default");
        int is_normal = idx_xml_is(n, "style") && type && !strcmp(type, "paragraph") && dflt && !strcmp(dflt, "1");
        if (!idx_xml_is(n, "docDefaults") && !is_normal)
            continue;
        double found = idx_word_first_size(n);
        if (is_normal)
            normal = found;
        else
            size = found;
    }
    if (doc)
        lib.xml->free_doc(doc);
    return normal > 0 ? normal : size;
}

int idx_docx_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len,
                     int *pages, int *estimated, idx_err *err)
{
    *text = NULL;
    *estimated = 0;
    pthread_once(&lib_once, load_libs);
    if (!lib.loaded)
        return idx_fail(err, IDX_EFORMAT, path, _("cannot read Word files: libzip or libxml2 is not installed"));
    zip_error_t ze;
    lib.error_init(&ze);
    zip_source_t *src = lib.source_buffer_create(bytes, len, 0, &ze);
    zip_t *z = src ? lib.open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze) : NULL;
    if (!z) {
        if (src)
            lib.source_free(src);
        lib.error_fini(&ze);
        return idx_fail(err, IDX_EFORMAT, path, _("not a Word file (not a readable zip archive; truncated?)"));
    }
    lib.error_fini(&ze);
    char *xml = NULL;
    size_t xml_len = 0;
    int got = read_member(z, "word/document.xml", &xml, &xml_len), rc = 0;
    if (got == MEMBER_MISSING)
        rc = idx_fail(err, IDX_EFORMAT, path, _("not a Word file (no word/document.xml)"));
    else if (got == MEMBER_TOO_BIG)
        rc = idx_fail(err, IDX_EFORMAT, path, _("refused: word/document.xml would inflate too far (a zip bomb?)"));
    else if (got == MEMBER_NOMEM)
        rc = idx_fail(err, IDX_ENOMEM, path, NULL);
    else if (got == MEMBER_DAMAGED)
        rc = idx_fail(err, IDX_EFORMAT, path, _("word/document.xml cannot be read (damaged archive)"));
    xmlDoc *doc = rc ? NULL : lib.xml->read_memory(xml, (int)xml_len, "document.xml", NULL,
                                                   XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(xml);
    if (!rc && !doc)
        rc = idx_fail(err, IDX_EFORMAT, path, _("word/document.xml is not well-formed XML"));
    if (rc) {
        lib.close(z);
        return rc;
    }
    out_buf o = {0};
    xmlNode *root = lib.xml->root(doc), *body = NULL;
    for (xmlNode *b = root ? root->children : NULL; b; b = b->next)
        if (idx_xml_is(b, "body"))
            body = b;
    if (body)
        text_of(body->children, &o);
    if (body && !o.rendered && o.text.len && !o.text.oom) {
        /* Word recorded no pages: read it again, laid out from its page setup */
        const xmlNode *sect = NULL;
        for (const xmlNode *b = body->children; b; b = b->next)
            if (idx_xml_is(b, "sectPr"))
                sect = b;
        char *styles = NULL;                 /* the archive is still open: styles.xml's default size */
        size_t styles_len = 0;
        read_member(z, "word/styles.xml", &styles, &styles_len);
        idx_word_layout layout;
        idx_word_layout_init(&layout, sect, styles ? default_font_size(styles, styles_len) : 0);
        free(styles);
        free(o.text.s);
        o = (out_buf){.layout = &layout};
        text_of(body->children, &o);
        *estimated = 1;
    }
    lib.xml->free_doc(doc);
    lib.close(z);
    if (o.text.oom) {
        free(o.text.s);
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    }
    *text = o.text.s ? o.text.s : calloc(1, 1);
    *text_len = o.text.len;
    *pages = o.pages;
    return 0;
}
