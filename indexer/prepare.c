/* prepare.c — reading, hashing and modelling a file into passage documents, apart
 * from the index (see indexer_int.h). */
#include "indexer.h"
#include "doc.h"
#include "indexer_int.h"
#include "schema.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATH_IN_TERM 240    /* Xapian terms are at most 245 bytes, prefix included */

int idx_prepare_read(const char *path, const char *context, idx_prepared *p)
{
    memset(p, 0, sizeof *p);
    p->rc = idx_file_read(path, &p->abs, &p->bytes, &p->size, &p->err);
    if (p->rc)
        return p->rc;
    if (strlen(p->abs) + strlen(WENSOU_PREFIX_FILE) > MAX_PATH_IN_TERM)
        return p->rc = idx_fail(&p->err, IDX_EIO, path, "path too long for the index (over 240 bytes)");
    if (!g_utf8_validate(p->abs, -1, NULL))   /* no record (JSON) could name it */
        return p->rc = idx_fail(&p->err, IDX_EIO, path,
                                "the file's name is not UTF-8 (rename it, e.g. convmv -f gbk -t utf-8)");
    gchar *content = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)p->bytes, p->size);
    char *row = idx_manifest_entry(p->abs);
    GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA256);
    const char *parts[] = {content ? content : "", WENSOU_SCHEMA_VERSION, IDX_MODEL_VERSION, context ? context : "",
                           row ? row : ""};
    for (size_t i = 0; sum && i < sizeof parts / sizeof parts[0]; i++) {
        g_checksum_update(sum, (const guchar *)parts[i], (gssize)strlen(parts[i]));
        g_checksum_update(sum, (const guchar *)"\n", 1);
    }
    snprintf(p->hash, sizeof p->hash, "%s", sum ? g_checksum_get_string(sum) : "");
    if (sum)
        g_checksum_free(sum);
    g_free(content);
    free(row);
    return 0;
}

int idx_prepare_model(seg_state *st, idx_prepared *p)
{
    idx_doc *doc;
    p->rc = idx_doc_from_bytes(p->abs, p->bytes, p->size, &doc, &p->err);
    free(p->bytes);
    p->bytes = NULL;
    if (p->rc)
        return p->rc;
    p->docs = calloc(doc->npassages ? doc->npassages : 1, sizeof *p->docs);
    p->shared = json_pack("{s:s?, s:s?, s:s?}", "title", doc->title, "date", doc->date, "kind", doc->kind);
    json_t *fields = p->shared ? idx_field_words(doc, st) : NULL;
    if (!fields || json_object_set_new(p->shared, "fields", fields) != 0) {
        json_decref(p->shared);
        p->shared = NULL;
    }
    json_t *abbr = p->shared ? idx_abbreviations(doc) : NULL;
    if (json_array_size(abbr))
        json_object_set(p->shared, "abbr", abbr);
    json_decref(abbr);
    if (!p->docs || !p->shared)
        p->rc = idx_fail(&p->err, IDX_ENOMEM, p->abs, NULL);
    for (size_t i = 0; i < doc->npassages && !p->rc; i++) {
        p->rc = idx_passage_document(doc, &doc->passages[i], st, &p->docs[i]);
        if (p->rc)
            idx_fail(&p->err, p->rc, p->abs, NULL);
        else
            p->ndocs++;
    }
    idx_doc_free(doc);
    return p->rc;
}

void idx_prepared_clear(idx_prepared *p)
{
    for (size_t i = 0; i < p->ndocs; i++)
        xsh_doc_free(p->docs[i]);
    free(p->docs);
    json_decref(p->shared);
    free(p->abs);
    free(p->bytes);
    memset(p, 0, sizeof *p);
}
