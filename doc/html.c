/* html.c — an HTML page (as government sites publish their documents) → UTF-8 text
 * for the text pipeline, through libxml2's HTML parser (its encoding from the page's
 * own declaration, GB2312 included). The output contract is Word's (docx.c): one
 * block per line, table cells separated by tabs, headings h1–h6 marked with
 * Markdown #s, the page's <title> first as a heading when the text has no h1; no
 * pages. Scripts, styles, forms and the page's navigation, headers, footers and
 * side bars are left out; the main text is the element of the page's content
 * (article, main, or an id/class such as content, article, zoom) holding the most
 * text, else the body. */
#include "doc_int.h"
#include "intl.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTML_MAX_BYTES (64u << 20)

typedef idx_strbuf out_buf;

static void put(out_buf *o, const char *s, size_t n)
{
    idx_strbuf_put(o, s, n);
}

/* Ends the current line, once. */
static void newline(out_buf *o)
{
    if (o->len && o->s[o->len - 1] != '\n')
        put(o, "\n", 1);
}

static int named(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp((const char *)n->name, *names) == 0)
            return 1;
    return 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (xmlAttr *a = n->properties; a; a = a->next)
        if (strcasecmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

/* Whether s holds word, ASCII case aside. */
static int holds_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    for (; *s; s++)
        if (strncasecmp(s, word, n) == 0)
            return 1;
    return 0;
}

/* Whether the element's id or class holds one of words. */
static int marked(const xmlNode *n, const char *const *words)
{
    const char *vals[2] = {attr(n, "id"), attr(n, "class")};
    for (int i = 0; i < 2; i++)
        for (const char *const *w = words; vals[i] && *w; w++)
            if (holds_word(vals[i], *w))
                return 1;
    return 0;
}

static const char *const left_out[] = {"script", "style", "noscript", "nav", "header", "footer", "aside", "form",
                                       "iframe", "svg", "button", "select", "template", "head", NULL};
static const char *const chrome[] = {"nav", "menu", "footer", "breadcrumb", "share", "sidebar", "copyright",
                                     "topbar", "header", "crumb", NULL};
static const char *const content_marks[] = {"content", "article", "zoom", "detail", "main", "text", "TRS_Editor", NULL};
static const char *const blocks[] = {"p", "div", "section", "article", "main", "li", "dd", "dt", "blockquote", "pre",
                                     "ul", "ol", "table", "center", "hr", "figure", "figcaption", "address", NULL};

static int skipped(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE && (named(n, left_out) || marked(n, chrome));
}

static int heading_level(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    return (name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && !name[2] ? name[1] - '0' : 0;
}

/* Bytes of text under n, left-out parts aside. */
static size_t text_size(const xmlNode *n)
{
    size_t size = 0;
    for (; n; n = n->next) {
        if (n->type == XML_TEXT_NODE && n->content)
            size += strlen((const char *)n->content);
        else if (n->type == XML_ELEMENT_NODE && !skipped(n))
            size += text_size(n->children);
    }
    return size;
}

/* The element of the page's content holding the most text (NULL: none). */
static const xmlNode *main_text(const xmlNode *n, size_t *best_size)
{
    const xmlNode *best = NULL;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE || skipped(n))
            continue;
        static const char *const main_tags[] = {"article", "main", NULL};
        if (named(n, main_tags) || marked(n, content_marks)) {
            size_t size = text_size(n->children);
            if (size > *best_size) {
                *best_size = size;
                best = n;
            }
        }
        const xmlNode *inner = main_text(n->children, best_size);
        if (inner)
            best = inner;
    }
    return best;
}

/* Text with its runs of white space as one space (none at a line's start). */
static void put_text(out_buf *o, const char *s)
{
    for (const char *p = s; *p;) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v') {
            while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
                p++;
            if (o->len && o->s[o->len - 1] != '\n' && o->s[o->len - 1] != '\t' && o->s[o->len - 1] != ' ')
                put(o, " ", 1);
            continue;
        }
        const char *q = p;
        while (*q && *q != ' ' && *q != '\t' && *q != '\n' && *q != '\r' && *q != '\f' && *q != '\v')
            q++;
        put(o, p, (size_t)(q - p));
        p = q;
    }
}

static void walk(const xmlNode *n, out_buf *o);

static void table_row(const xmlNode *tr, out_buf *o)
{
    newline(o);
    int first = 1;
    for (const xmlNode *c = tr->children; c; c = c->next) {
        static const char *const cells[] = {"td", "th", NULL};
        if (c->type != XML_ELEMENT_NODE || !named(c, cells))
            continue;
        if (!first)
            put(o, "\t", 1);
        first = 0;
        out_buf cell = {0};
        walk(c->children, &cell);
        for (size_t i = 0; i < cell.len; i++)    /* a cell is one field */
            if (cell.s[i] == '\n' || cell.s[i] == '\t')
                cell.s[i] = ' ';
        put(o, cell.s, cell.len);
        o->oom |= cell.oom;
        free(cell.s);
    }
    newline(o);
}

static void walk(const xmlNode *n, out_buf *o)
{
    for (; n && !o->oom; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                put_text(o, (const char *)n->content);
            continue;
        }
        if (n->type != XML_ELEMENT_NODE || skipped(n))
            continue;
        int level = heading_level(n);
        static const char *const br[] = {"br", NULL}, *const tr[] = {"tr", NULL};
        if (level) {
            newline(o);
            put(o, "######", (size_t)level);
            put(o, " ", 1);
            walk(n->children, o);
            newline(o);
        } else if (named(n, tr)) {
            table_row(n, o);
        } else if (named(n, br)) {
            put(o, "\n", 1);
        } else if (named(n, blocks)) {
            newline(o);
            walk(n->children, o);
            newline(o);
        } else {
            walk(n->children, o);
        }
    }
}

static const xmlNode *find(const xmlNode *n, const char *name)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcasecmp((const char *)n->name, name) == 0)
            return n;
        const xmlNode *in = find(n->children, name);
        if (in)
            return in;
    }
    return NULL;
}

/* Whether the output already opens with a level-1 heading. */
static int has_h1(const out_buf *o)
{
    for (size_t i = 0; i + 1 < o->len; i++)
        if ((i == 0 || o->s[i - 1] == '\n') && o->s[i] == '#' && o->s[i + 1] == ' ')
            return 1;
    return 0;
}

/* The publication date a page's head states (<meta name="PubDate" content="2024-03-15
 * 10:00">, publishdate, firstpublishedtime, dcterms.date, DC.date, or property
 * article:published_time) as YYYY-MM-DD (malloc'd), or NULL. */
static char *page_date(const xmlNode *n)
{
    static const char *const names[] = {"PubDate", "publishdate", "firstpublishedtime", "dcterms.date", "DC.date",
                                        "article:published_time"};
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (strcasecmp((const char *)n->name, "meta") == 0) {
            const char *name = attr(n, "name") ? attr(n, "name") : attr(n, "property"), *content = attr(n, "content");
            for (size_t i = 0; name && content && i < sizeof names / sizeof names[0]; i++) {
                int y, m, d;
                char sep1[8], sep2[8];
                if (strcasecmp(name, names[i]) == 0 &&
                    (sscanf(content, "%4d%1[-/.]%2d%1[-/.]%2d", &y, sep1, &m, sep2, &d) == 5 ||
                     sscanf(content, "%4d年%2d月%2d日", &y, &m, &d) == 3) &&
                    y > 1900 && y < 2200 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
                    char out[16];
                    snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
                    return strdup(out);
                }
            }
        }
        char *in = page_date(n->children);
        if (in)
            return in;
    }
    return NULL;
}

int idx_html_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len, char **date,
                     idx_err *err)
{
    *text = NULL;
    *date = NULL;
    const idx_xmllib *xml = idx_xmllib_get();
    if (!xml)
        return idx_fail(err, IDX_EFORMAT, path, _("cannot read HTML files: libxml2 is not installed"));
    if (len > HTML_MAX_BYTES)
        return idx_fail(err, IDX_ETOOBIG, path, _("HTML page over 64 MiB"));
    htmlDocPtr doc = xml->html_read_memory(bytes, (int)len, NULL, NULL,
                                           HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                               HTML_PARSE_RECOVER | HTML_PARSE_NOBLANKS);
    if (!doc)
        return idx_fail(err, IDX_EFORMAT, path, _("not a readable HTML page"));
    const xmlNode *root = xml->root(doc);
    const xmlNode *body = root ? find(root, "body") : NULL;
    size_t best = 0;
    const xmlNode *main = body ? main_text(body->children, &best) : NULL;
    if (main && body && best * 10 < text_size(body->children) * 3)
        main = NULL;                           /* the "content" element holds little: take the body */
    out_buf o = {0};
    if (main || body)
        walk((main ? main : body)->children, &o);
    const xmlNode *title = root ? find(root, "title") : NULL;
    xmlChar *t = title ? xml->content(title) : NULL;
    if (t && *t && !has_h1(&o)) {                /* the page's title heads the text */
        out_buf head = {0};
        put(&head, "# ", 2);
        put_text(&head, (const char *)t);
        newline(&head);
        put(&head, o.s ? o.s : "", o.len);
        free(o.s);
        o = head;
    }
    if (t)
        (*xml->xml_free)(t);
    const xmlNode *head = root ? find(root, "head") : NULL;
    *date = head ? page_date(head->children) : NULL;
    xml->free_doc(doc);
    if (o.oom) {
        free(o.s);
        free(*date);
        *date = NULL;
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    }
    *text = o.s ? o.s : calloc(1, 1);
    *text_len = o.len;
    return 0;
}
