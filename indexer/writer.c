/* writer.c — files into the index. Each file goes in whole or not at all: its old
 * passages are deleted and the new ones added in one transaction, with its content
 * hash stored beside them as metadata; commits come every few files, so a crash
 * (even SIGKILL) leaves whole files from the last commit and a re-run finishes. */
#include "idx_index.h"
#include "idx_int.h"
#include "schema.h"
#include "xsh.h"

#include <errno.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define COMMIT_EVERY_FILES 16
#define COMMIT_EVERY_BYTES (16u << 20)

struct idx_writer {
    xsh_db *db;
    seg_state *st;
    char *db_path;
    size_t pending_files, pending_bytes;
};

static int index_fail(idx_err *err, const char *what, const xsh_err *xe)
{
    int code = xe->code == XSH_ELOCKED ? IDX_ELOCKED : IDX_EINDEX;
    return idx_fail(err, code, what, xe->msg);
}

static int check_schema(idx_writer *w, idx_err *err)
{
    xsh_err xe;
    char *v = NULL;
    size_t docs = 0;
    if (xsh_db_get_metadata(w->db, WENSOU_META_SCHEMA, &v, &xe) || xsh_db_doc_count(w->db, &docs, &xe)) {
        free(v);
        return index_fail(err, w->db_path, &xe);
    }
    int rc = 0;
    if (v[0] == 0 && docs == 0) {
        if (xsh_db_set_metadata(w->db, WENSOU_META_SCHEMA, WENSOU_SCHEMA_VERSION, &xe) || xsh_db_commit(w->db, &xe))
            rc = index_fail(err, w->db_path, &xe);
    } else if (strcmp(v, WENSOU_SCHEMA_VERSION) != 0) {
        char why[160];
        snprintf(why, sizeof why, "index of schema version %s, this wensou writes %s: delete it and re-index",
                 v[0] ? v : "(none)", WENSOU_SCHEMA_VERSION);
        rc = idx_fail(err, IDX_ESCHEMA, w->db_path, why);
    }
    free(v);
    return rc;
}

int idx_writer_open(const char *db_path, const seg_dict *dict, idx_writer **out, idx_err *err)
{
    *out = NULL;
    idx_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->db_path = strdup(db_path)) || seg_state_new(dict, &w->st) != 0) {
        if (w)
            free(w->db_path);
        free(w);
        return idx_fail(err, IDX_ENOMEM, db_path, NULL);
    }
    xsh_err xe;
    if (xsh_db_open(db_path, XSH_WRITE, &w->db, &xe) != 0) {
        int rc = index_fail(err, db_path, &xe);
        idx_writer_close(w, NULL);
        return rc;
    }
    int rc = check_schema(w, err);
    if (rc) {
        idx_writer_close(w, NULL);
        return rc;
    }
    *out = w;
    return 0;
}

static void content_hash(const char *bytes, size_t len, char out[65])
{
    gchar *h = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)bytes, len);
    snprintf(out, 65, "%s", h ? h : "");
    g_free(h);
}

static char *meta_key(const char *abs)
{
    size_t n = strlen(WENSOU_META_FILE) + strlen(abs) + 1;
    char *k = malloc(n);
    if (k)
        snprintf(k, n, "%s%s", WENSOU_META_FILE, abs);
    return k;
}

/* The stored record's hash and passage count; 0 when the file is not indexed. */
static int stored_record(idx_writer *w, const char *key, char hash[65], size_t *passages)
{
    char *v = NULL;
    xsh_err xe;
    hash[0] = 0;
    if (xsh_db_get_metadata(w->db, key, &v, &xe) != 0 || !v || !v[0]) {
        free(v);
        return 0;
    }
    unsigned long n = 0;
    int ok = sscanf(v, "{\"hash\":\"%64[0-9a-f]\",\"size\":%*u,\"passages\":%lu}", hash, &n) == 2;
    free(v);
    *passages = n;
    return ok;
}

static int maybe_commit(idx_writer *w, idx_err *err)
{
    if (w->pending_files < COMMIT_EVERY_FILES && w->pending_bytes < COMMIT_EVERY_BYTES)
        return 0;
    return idx_writer_commit(w, err);
}

/* Deletes the file's passages and adds doc's, with its record, in one transaction. */
static int replace_file(idx_writer *w, const char *abs, const char *key, const idx_doc *doc,
                        const char *hash, size_t size, int known, idx_err *err)
{
    xsh_err xe;
    char fterm[4096 + 2];
    snprintf(fterm, sizeof fterm, "%s%s", WENSOU_PREFIX_FILE, abs);
    if (xsh_db_begin_transaction(w->db, &xe))
        return index_fail(err, w->db_path, &xe);
    /* only a file already indexed has passages to delete: deleting by term reads the
     * term's postings, which makes Xapian merge its buffered changes first */
    int rc = known && xsh_db_delete_by_term(w->db, fterm, &xe) ? index_fail(err, w->db_path, &xe) : 0;
    for (size_t i = 0; doc && i < doc->npassages && !rc; i++) {
        xsh_doc *xd;
        rc = idx_passage_document(doc, &doc->passages[i], w->st, &xd);
        if (rc) {
            idx_fail(err, rc, abs, NULL);
            break;
        }
        if (xsh_db_add_document(w->db, xd, NULL, &xe))
            rc = index_fail(err, w->db_path, &xe);
        xsh_doc_free(xd);
    }
    if (!rc) {
        char rec[160] = "";
        if (doc)
            snprintf(rec, sizeof rec, "{\"hash\":\"%s\",\"size\":%zu,\"passages\":%zu}", hash, size, doc->npassages);
        if (xsh_db_set_metadata(w->db, key, rec, &xe))          /* "" deletes the record */
            rc = index_fail(err, w->db_path, &xe);
    }
    if (rc) {
        xsh_err ignore;
        xsh_db_cancel_transaction(w->db, &ignore);
        return rc;
    }
    if (xsh_db_commit_transaction(w->db, &xe))
        return index_fail(err, w->db_path, &xe);
    w->pending_files++;
    w->pending_bytes += size;
    return maybe_commit(w, err);
}

int idx_writer_add(idx_writer *w, const char *path, idx_outcome *outcome, size_t *passages,
                   size_t *bytes_out, idx_err *err)
{
    char *abs = NULL, *bytes = NULL, *key = NULL;
    size_t len = 0;
    *passages = 0;
    *bytes_out = 0;
    int rc = idx_file_read(path, &abs, &bytes, &len, err);
    if (rc)
        return rc;
    *bytes_out = len;
    if (strlen(abs) + strlen(WENSOU_PREFIX_FILE) > 240) {
        rc = idx_fail(err, IDX_EIO, path, "path too long for the index (over 240 bytes)");
        goto done;
    }
    key = meta_key(abs);
    if (!key) {
        rc = idx_fail(err, IDX_ENOMEM, path, NULL);
        goto done;
    }
    char hash[65], old[65];
    size_t old_passages = 0;
    content_hash(bytes, len, hash);
    int known = stored_record(w, key, old, &old_passages);
    if (known && strcmp(old, hash) == 0) {
        *outcome = IDX_UNCHANGED;
        *passages = old_passages;
        goto done;
    }
    idx_doc *doc;
    rc = idx_doc_from_bytes(abs, bytes, len, &doc, err);
    if (rc)
        goto done;
    rc = replace_file(w, abs, key, doc, hash, len, known, err);
    if (!rc) {
        *outcome = known ? IDX_UPDATED : IDX_ADDED;
        *passages = doc->npassages;
    }
    idx_doc_free(doc);
done:
    free(abs);
    free(bytes);
    free(key);
    return rc;
}

typedef struct {
    idx_writer *w;
    size_t removed;
    int rc;
    idx_err *err;
} prune_ctx;

static int prune_one(void *ctx, const char *key)
{
    prune_ctx *c = ctx;
    const char *path = key + strlen(WENSOU_META_FILE);
    struct stat st;
    if (stat(path, &st) == 0 || errno != ENOENT)
        return 0;
    c->rc = replace_file(c->w, path, key, NULL, "", 0, 1, c->err);
    if (!c->rc)
        c->removed++;
    return c->rc;
}

int idx_writer_prune(idx_writer *w, size_t *removed, idx_err *err)
{
    prune_ctx c = {w, 0, 0, err};
    xsh_err xe;
    if (xsh_db_metadata_keys(w->db, WENSOU_META_FILE, prune_one, &c, &xe))
        return index_fail(err, w->db_path, &xe);
    *removed = c.removed;
    return c.rc;
}

int idx_writer_commit(idx_writer *w, idx_err *err)
{
    xsh_err xe;
    if (xsh_db_commit(w->db, &xe))
        return index_fail(err, w->db_path, &xe);
    w->pending_files = w->pending_bytes = 0;
    return 0;
}

int idx_writer_close(idx_writer *w, idx_err *err)
{
    if (!w)
        return 0;
    int rc = 0;
    if (w->db && (w->pending_files || w->pending_bytes))
        rc = idx_writer_commit(w, err);
    xsh_db_close(w->db);
    seg_state_free(w->st);
    free(w->db_path);
    free(w);
    return rc;
}
