/* documents.c — the indexed documents as a reader sees them: the list (title, date,
 * kind, issuer, pages, passages) and a document's passages over a byte range,
 * each document named by a stable id (a hash of its path: the same after a
 * re-index, and no path in a URL). */
#include "engine.h"
#include "intl.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEXT_MAX_PASSAGES 2000   /* one answer of the reader at most */

void qry_document_id(const char *file, char out[17])
{
    snprintf(out, 17, "%016llx", wensou_path_hash(file));
}

typedef struct {
    qry_engine *e;
    json_t *list;
    const char *want;            /* an id to find (its file goes to found) */
    char *found;
    int oom;
} doc_walk;

/* The record of file's passage at index i (0: its first), or NULL. */
static json_t *passage_of(qry_engine *e, const json_t *meta, json_int_t i)
{
    json_int_t first = json_integer_value(json_object_get(meta, "first"));
    size_t shard = (size_t)json_integer_value(json_object_get(meta, QRY_META_SHARD));
    return first > 0 ? qry_record(e, xsh_db_shard_docid(e->db, shard, (unsigned)(first + i))) : NULL;
}

static int add_document(void *ctx, const char *key)
{
    doc_walk *w = ctx;
    const char *file = key + strlen(WENSOU_META_FILE);
    char id[17];
    qry_document_id(file, id);
    if (w->want) {
        if (strcmp(id, w->want) == 0 && !(w->found = strdup(file)))
            w->oom = 1;
        return w->found || w->oom;
    }
    json_t *meta = qry_file_record(w->e, file);
    json_int_t n = json_integer_value(json_object_get(meta, "passages"));
    json_t *first = passage_of(w->e, meta, 0);
    const char *issuer = json_string_value(json_object_get(json_object_get(first, "meta"), "issuer"));
    json_t *last = n > 0 ? passage_of(w->e, meta, n - 1) : NULL;
    json_t *pages = json_object_get(last, "page_end");
    json_t *d = json_pack("{s:s, s:s, s:O?, s:O?, s:O?, s:s?, s:O?, s:I}", "id", id, "file", file, "title",
                          json_object_get(meta, "title"), "date", json_object_get(meta, "date"), "kind",
                          json_object_get(meta, "kind"), "issuer", issuer, "pages",
                          json_is_integer(pages) ? pages : NULL, "passages", n);
    json_decref(meta);
    if (!d || json_array_append_new(w->list, d))
        w->oom = 1;
    return w->oom;
}

static int open_current(qry_engine *e, qry_err *err)
{
    if (!e->db) {
        int rc = qry_engine_open_index(e, err);
        if (rc)
            return rc;
    }
    qry_engine_check_revision(e);
    return 0;
}

int qry_documents(qry_engine *e, json_t **out, qry_err *err)
{
    *out = NULL;
    int rc = open_current(e, err);
    if (rc)
        return rc;
    doc_walk w = {e, json_array(), NULL, NULL, 0};
    xsh_err xe;
    if (!w.list || xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_document, &w, &xe) != 0 || w.oom) {
        json_decref(w.list);
        return w.oom || !w.list ? qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"))
                                : qry_fail(err, QRY_EINDEX, "%s", xe.msg);
    }
    *out = json_pack("{s:o}", "documents", w.list);
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
}

int qry_document_text(qry_engine *e, const char *id, size_t start, size_t end, json_t **out, qry_err *err)
{
    *out = NULL;
    int rc = open_current(e, err);
    if (rc)
        return rc;
    doc_walk w = {e, NULL, id, NULL, 0};
    xsh_err xe;
    xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_document, &w, &xe);
    if (w.oom)
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    if (!w.found)
        return qry_fail(err, QRY_ENOTFOUND, "%s", _("no indexed document has that id"));
    json_t *meta = qry_file_record(e, w.found);
    json_int_t n = json_integer_value(json_object_get(meta, "passages"));
    json_t *list = json_array();
    for (json_int_t i = 0; list && i < n && json_array_size(list) < TEXT_MAX_PASSAGES; i++) {
        json_t *p = passage_of(e, meta, i);
        json_int_t ps = json_integer_value(json_object_get(p, "start")), pe = json_integer_value(json_object_get(p, "end"));
        if (!p || (end && ps >= (json_int_t)end) || pe <= (json_int_t)start)
            continue;
        json_array_append_new(list, json_pack("{s:O, s:O, s:O?, s:O?, s:O?, s:O}", "start", json_object_get(p, "start"),
                                               "end", json_object_get(p, "end"), "page", json_object_get(p, "page"),
                                               "page_end", json_object_get(p, "page_end"), "section",
                                               json_object_get(p, "section"), "text", json_object_get(p, "text")));
    }
    json_t *first = passage_of(e, meta, 0);
    const char *issuer = json_string_value(json_object_get(json_object_get(first, "meta"), "issuer"));
    *out = list ? json_pack("{s:s, s:s, s:O?, s:O?, s:O?, s:s?, s:o}", "id", id, "file", w.found, "title",
                            json_object_get(meta, "title"), "date", json_object_get(meta, "date"), "kind",
                            json_object_get(meta, "kind"), "issuer", issuer, "passages", list)
                : NULL;
    json_decref(meta);
    free(w.found);
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
}
