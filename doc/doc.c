#define _XOPEN_SOURCE 700   /* realpath */
/* doc.c — one file → its document model: read, decode, lines, paragraphs,
 * structure, passages, pages, metadata, in that order. */
#include "doc_int.h"
#include "intl.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

const char *idx_page_source_name(idx_page_source s)
{
    switch (s) {
    case IDX_PAGE_PDF: return "pdf";
    case IDX_PAGE_DOCX: return "docx";
    case IDX_PAGE_FOOTER: return "footer";
    case IDX_PAGE_TOC: return "toc";
    case IDX_PAGE_ESTIMATED: return "estimated";
    case IDX_PAGE_NONE: break;
    }
    return NULL;
}

static int model_text(const char *path, idx_text *t, idx_doc *doc)
{
    idx_line *lines = NULL;
    idx_block *blocks = NULL;
    size_t nlines = 0, nblocks = 0;
    int wrapped = 0;
    int rc = idx_lines_split(t, &lines, &nlines);
    if (!rc)
        rc = idx_layout_paragraphs(t, lines, nlines, &blocks, &nblocks, &wrapped);
    if (!rc)
        rc = idx_structure(t, lines, nlines, wrapped, &blocks, &nblocks);
    if (!rc)
        rc = idx_passages_build(t, lines, nlines, blocks, nblocks, doc);
    if (!rc)
        rc = idx_pages_assign(t, lines, nlines, wrapped, blocks, nblocks, doc);
    if (!rc)
        rc = idx_metadata(path, t, lines, nlines, blocks, nblocks, doc);
    free(lines);
    free(blocks);
    return rc;
}

/* A PDF, Word or HTML file: extract its text, model that, and mark the pages as the
 * format's own; start/end index the extracted text (kept for inspect --text). */
static int model_extracted(const char *path, const char *bytes, size_t len, idx_format format, idx_doc *doc,
                           idx_err *err)
{
    char *text = NULL;
    size_t tlen = 0;
    int *labels = NULL, npages = 0, pdf = format == IDX_FORMAT_PDF, estimated = 0;
    char *published = NULL;                    /* an HTML page's own date */
    int rc = pdf ? idx_pdf_extract(path, bytes, len, &text, &tlen, &labels, &npages, err)
           : format == IDX_FORMAT_DOCX ? idx_docx_extract(path, bytes, len, &text, &tlen, &npages, &estimated, err)
                                       : idx_html_extract(path, bytes, len, &text, &tlen, &published, err);
    if (rc)
        return rc;
    idx_text t = {0};
    t.s = text;
    t.len = tlen;
    t.encoding = pdf ? "pdf" : format == IDX_FORMAT_DOCX ? "docx" : "html";
    doc->encoding = t.encoding;
    rc = model_text(path, &t, doc);
    if (!rc && published && !(doc->date_from && strcmp(doc->date_from, "manifest") == 0)) {
        free(doc->date);                       /* the page says when it was published */
        doc->date = published;
        doc->date_from = "page";
        published = NULL;
    }
    free(published);
    if (!rc) {
        for (size_t i = 0; i < doc->npassages; i++) {
            idx_passage *p = &doc->passages[i];
            if (p->page_source == IDX_PAGE_NONE)
                continue;
            p->page_source = pdf ? IDX_PAGE_PDF : estimated ? IDX_PAGE_ESTIMATED : IDX_PAGE_DOCX;
            if (labels && p->page >= 1 && p->page <= npages)   /* numbered as printed */
                p->page = labels[p->page - 1];
            if (labels && p->page_end >= 1 && p->page_end <= npages)
                p->page_end = labels[p->page_end - 1];
            if (p->page_end < p->page)       /* a stated number past the labelled pages (a hostile PDF) */
                p->page_end = p->page;
        }
        if (labels && doc->pages >= 1 && doc->pages <= npages)
            doc->pages = labels[doc->pages - 1];
        doc->extracted = text;
        doc->extracted_len = tlen;
        text = NULL;
    } else {
        idx_fail(err, rc, path, NULL);
    }
    free(text);
    free(labels);
    return rc;
}

/* Each passage's line: newlines before its start in src (the file's bytes, or the
 * extracted text), counted on from the previous passage when they come in order. */
static void assign_lines(idx_doc *doc, const char *src, size_t len)
{
    size_t pos = 0, line = 1;
    for (size_t i = 0; i < doc->npassages; i++) {
        idx_passage *p = &doc->passages[i];
        if (p->start < pos)
            pos = 0, line = 1;
        for (; pos < p->start && pos < len; pos++)
            line += src[pos] == '\n';
        p->line = line;
    }
}

int idx_doc_from_bytes(const char *path, const char *bytes, size_t len, idx_doc **out, idx_err *err)
{
    *out = NULL;
    idx_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    doc->path = strdup(path);
    idx_format format = idx_format_detect(path, bytes, len);
    int rc;
    if (format != IDX_FORMAT_TEXT) {
        rc = model_extracted(path, bytes, len, format, doc, err);
    } else {
        idx_text t;
        rc = idx_text_decode(bytes, len, &t, path, err);
        if (!rc) {
            doc->encoding = t.encoding;
            rc = model_text(path, &t, doc);
            idx_text_free(&t);
            if (rc)
                idx_fail(err, rc, path, NULL);
        }
    }
    if (!rc && doc->npassages == 0)
        rc = idx_fail(err, IDX_EEMPTY, path, _("no text to index (only whitespace, headings or a title)"));
    if (rc) {
        idx_doc_free(doc);
        return rc;
    }
    if (doc->extracted)
        assign_lines(doc, doc->extracted, doc->extracted_len);
    else
        assign_lines(doc, bytes, len);
    *out = doc;
    return 0;
}

int idx_file_read(const char *path, char **abs_out, char **bytes_out, size_t *len_out, idx_err *err)
{
    *abs_out = *bytes_out = NULL;
    char abs[PATH_MAX];
    if (!realpath(path, abs))
        return idx_fail(err, IDX_EIO, path, strerror(errno));
    FILE *f = fopen(abs, "rb");
    if (!f)
        return idx_fail(err, IDX_EIO, path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(f);
        return idx_fail(err, IDX_EIO, path, _("not a regular file"));
    }
    if ((unsigned long long)st.st_size > IDX_MAX_FILE_BYTES) {
        fclose(f);
        return idx_fail(err, IDX_ETOOBIG, path, _("file too large (over 256 MiB)"));
    }
    size_t len = (size_t)st.st_size;
    char *bytes = malloc(len + 1);
    char *a = strdup(abs);
    if (!bytes || !a) {
        free(bytes);
        free(a);
        fclose(f);
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    }
    size_t got = fread(bytes, 1, len, f);
    int rerr = ferror(f);
    fclose(f);
    if (rerr || got != len) {
        free(bytes);
        free(a);
        return idx_fail(err, IDX_EIO, path, _("read error"));
    }
    *abs_out = a;
    *bytes_out = bytes;
    *len_out = len;
    return 0;
}

int idx_doc_load(const char *path, idx_doc **out, idx_err *err)
{
    *out = NULL;
    char *abs, *bytes;
    size_t len;
    int rc = idx_file_read(path, &abs, &bytes, &len, err);
    if (rc)
        return rc;
    rc = idx_doc_from_bytes(abs, bytes, len, out, err);
    free(abs);
    free(bytes);
    return rc;
}

void idx_doc_free(idx_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->npassages; i++) {
        idx_passage *p = &d->passages[i];
        free(p->text);
        for (size_t k = 0; k < p->nsection; k++)
            free(p->section[k]);
        free(p->section);
        free(p->table_header);
    }
    free(d->passages);
    free(d->path);
    free(d->title);
    free(d->date);
    free(d->kind);
    for (size_t i = 0; i < d->nmeta; i++) {
        free(d->meta_keys[i]);
        free(d->meta_values[i]);
    }
    free(d->meta_keys);
    free(d->meta_values);
    free(d->meta_from);
    free(d->extracted);
    free(d);
}
