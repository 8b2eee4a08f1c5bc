#define _XOPEN_SOURCE 700   /* realpath */
/* doc.c — one file → its document model: read, decode, lines, paragraphs,
 * structure, passages, pages, metadata, in that order. */
#include "idx_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

int idx_doc_from_bytes(const char *path, const char *bytes, size_t len, idx_doc **out, idx_err *err)
{
    *out = NULL;
    idx_doc *doc = calloc(1, sizeof *doc);
    if (!doc)
        return idx_fail(err, IDX_ENOMEM, path, NULL);
    doc->path = strdup(path);
    idx_text t;
    int rc = idx_text_decode(bytes, len, &t, path, err);
    if (rc) {
        idx_doc_free(doc);
        return rc;
    }
    doc->encoding = t.encoding;
    rc = model_text(path, &t, doc);
    idx_text_free(&t);
    if (!rc && doc->npassages == 0)
        rc = idx_fail(err, IDX_EEMPTY, path, "no text to index (only whitespace, headings or a title)");
    else if (rc)
        idx_fail(err, rc, path, NULL);
    if (rc) {
        idx_doc_free(doc);
        return rc;
    }
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
        return idx_fail(err, IDX_EIO, path, "not a regular file");
    }
    if ((unsigned long long)st.st_size > IDX_MAX_FILE_BYTES) {
        fclose(f);
        return idx_fail(err, IDX_ETOOBIG, path, "file too large (over 256 MiB)");
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
        return idx_fail(err, IDX_EIO, path, "read error");
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
    free(d->extracted);
    free(d);
}
