/* writer.c — files into the index. Each file goes in whole or not at all: its old
 * passages are deleted and the new ones added in one transaction, with its content
 * hash stored beside them as metadata; commits come every few files, so a crash
 * (even SIGKILL) leaves whole files from the last commit and a re-run finishes. */
#include "indexer.h"
#include "env_count.h"
#include "intl.h"
#include "doc.h"
#include "indexer_int.h"
#include "schema.h"
#include "xsh.h"

#include <errno.h>
#include <stdatomic.h>
#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

/* A commit rewrites the index blocks its changes touch, so committing often writes
 * the index many times over (every 16 files: 18x its size at the corpus x1000);
 * commits come by size and time instead: after this much text, or this many
 * seconds after the last commit, so a crash loses at most that much work. */
#define COMMIT_EVERY_BYTES (32u << 20)
#define COMMIT_EVERY_SECONDS 30
/* Disk a commit may need per byte of source text, and beyond it (an index is 8-10
 * times its text; a commit writes new blocks before the old ones are freed). */
#define SPACE_PER_TEXT_BYTE 12

/* The text every open writer of this process holds uncommitted: writers on one
 * disk (parts.c) check for room for all of it, not each for its own. */
static atomic_size_t all_pending;

static time_t monotonic_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec;
}

struct idx_writer {
    xsh_db *db;
    const seg_dict *dict;
    seg_state *st;
    char *db_path;
    size_t pending_files, pending_bytes;
    time_t last_commit;          /* CLOCK_MONOTONIC seconds of the last commit (or open) */
    size_t commit_bytes;         /* COMMIT_EVERY_BYTES, or WENSOU_COMMIT_BYTES */
    char *context;               /* what shapes every file (idx_writer_set_context), or NULL */
    int rebuild;                 /* re-index every file given, whatever its stored fingerprint */
    int broken;                  /* a write failed: the files since the last commit are not
                                    committed, and the writer is closed without committing */
    int moved;                   /* its folder was put aside (idx_writer_moved): close writes nothing */
};

static int index_fail(idx_err *err, const char *what, const xsh_err *xe)
{
    int code = xe->code == XSH_ELOCKED ? IDX_ELOCKED : IDX_EINDEX;
    return idx_fail(err, code, what, xe->msg);
}

/* Refuses before Xapian writes when the disk cannot hold what the next commit
 * would write (Xapian 1.4 can abort the process when a disk fills inside a commit),
 * nor what the process's other writers hold uncommitted. */
double idx_disk_free(const char *path)
{
    struct statvfs fs;
    return statvfs(path, &fs) == 0 ? (double)fs.f_bavail * (double)fs.f_frsize : -1;
}

static int check_space(idx_writer *w, size_t more, idx_err *err)
{
    double avail = idx_disk_free(w->db_path);
    size_t pending = atomic_load(&all_pending);     /* this writer's among them */
    double need = (double)(pending + more) * SPACE_PER_TEXT_BYTE + SPACE_MARGIN;
    if (avail < 0 || avail >= need)
        return 0;
    char why[200];
    snprintf(why, sizeof why, _("No space left on device (%.1f MB free; the next commit needs about %.1f MB)"),
             avail / 1e6, need / 1e6);
    return idx_fail(err, IDX_EINDEX, w->db_path, why);
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
        snprintf(why, sizeof why, _("index of schema version %s, this wensou writes %s: delete it and re-index"),
                 v[0] ? v : "(none)", WENSOU_SCHEMA_VERSION);
        rc = idx_fail(err, IDX_ESCHEMA, w->db_path, why);
    }
    free(v);
    return rc;
}

int idx_writer_open(const char *db_path, const seg_dict *dict, size_t batch_bytes, idx_writer **out, idx_err *err)
{
    *out = NULL;
    idx_writer *w = calloc(1, sizeof *w);
    if (!w || !(w->db_path = strdup(db_path)) || seg_state_new(dict, &w->st) != 0) {
        if (w)
            free(w->db_path);
        free(w);
        return idx_fail(err, IDX_ENOMEM, db_path, NULL);
    }
    w->last_commit = monotonic_seconds();
    w->commit_bytes = wensou_env_count("WENSOU_COMMIT_BYTES", COMMIT_EVERY_BYTES, 1);
    w->dict = dict;
    xsh_err xe;
    if (xsh_db_open(db_path, XSH_WRITE | (batch_bytes >= IDX_LARGE_BATCH_BYTES ? XSH_LARGE : 0), &w->db, &xe) != 0) {
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
    if (w->pending_bytes < w->commit_bytes && monotonic_seconds() - w->last_commit < COMMIT_EVERY_SECONDS)
        return 0;
    return idx_writer_commit(w, err);
}

/* Deletes the file's passages and adds docs (none: the file is gone), with its
 * record, in one transaction. */
static int replace_file(idx_writer *w, const char *abs, const char *key, xsh_doc *const *docs, size_t ndocs,
                        json_t *shared, const char *hash, size_t size, int known, idx_err *err)
{
    xsh_err xe;
    char fterm[4096 + 2];
    snprintf(fterm, sizeof fterm, "%s%s", WENSOU_PREFIX_FILE, abs);
    if (w->broken)
        return idx_fail(err, IDX_EINDEX, w->db_path, _("an earlier write failed"));
    int space = check_space(w, size, err);
    if (space || xsh_db_begin_transaction(w->db, &xe)) {
        w->broken = 1;
        return space ? space : index_fail(err, w->db_path, &xe);
    }
    /* only a file already indexed has passages to delete: deleting by term reads the
     * term's postings, which makes Xapian merge its buffered changes first */
    int rc = known && xsh_db_delete_by_term(w->db, fterm, &xe) ? index_fail(err, w->db_path, &xe) : 0;
    unsigned first = 0, docid = 0;
    for (size_t i = 0; i < ndocs && !rc; i++) {
        if (xsh_db_add_document(w->db, docs[i], &docid, &xe))
            rc = index_fail(err, w->db_path, &xe);
        else if (i == 0)
            first = docid;
        else if (docid != first + i)         /* Xapian numbers added documents in order */
            rc = idx_fail(err, IDX_EINDEX, w->db_path, _("document ids of one file are not consecutive"));
    }
    if (!rc) {                       /* hash, size, passages first: stored_record reads them */
        json_t *o = docs ? json_pack("{s:s, s:I, s:I, s:I}", "hash", hash, "size", (json_int_t)size, "passages",
                                     (json_int_t)ndocs, "first", (json_int_t)first) : NULL;
        if (o && shared)
            json_object_update(o, shared);
        char *rec = o ? json_dumps(o, JSON_COMPACT) : NULL;
        json_decref(o);
        if (docs && !rec)
            rc = idx_fail(err, IDX_ENOMEM, abs, NULL);
        else if (xsh_db_set_metadata(w->db, key, rec ? rec : "", &xe))   /* "" deletes the record */
            rc = index_fail(err, w->db_path, &xe);
        free(rec);
    }
    if (rc) {
        xsh_err ignore;
        xsh_db_cancel_transaction(w->db, &ignore);
        w->broken |= rc != IDX_ENOMEM;
        return rc;
    }
    if (xsh_db_commit_transaction(w->db, &xe)) {
        w->broken = 1;
        return index_fail(err, w->db_path, &xe);
    }
    w->pending_files++;
    w->pending_bytes += size;
    atomic_fetch_add(&all_pending, size);
    return maybe_commit(w, err);
}

/* A read file whose stored hash is its own is unchanged; otherwise its documents
 * (modelled here unless p has them) replace its old ones. */
int idx_writer_store(idx_writer *w, idx_prepared *p, idx_outcome *outcome, size_t *passages, idx_err *err)
{
    *passages = 0;
    if (p->rc) {
        *err = p->err;
        return p->rc;
    }
    char *key = meta_key(p->abs);
    if (!key)
        return idx_fail(err, IDX_ENOMEM, p->abs, NULL);
    char old[65];
    size_t old_passages = 0;
    int known = stored_record(w, key, old, &old_passages), rc = 0;
    if (known && strcmp(old, p->hash) == 0 && !w->rebuild) {
        *outcome = IDX_UNCHANGED;
        *passages = old_passages;
    } else if (!p->docs && idx_prepare_model(w->st, p) != 0) {
        *err = p->err;
        rc = p->rc;
    } else {
        rc = replace_file(w, p->abs, key, p->docs, p->ndocs, p->shared, p->hash, p->size, known, err);
        *outcome = known ? IDX_UPDATED : IDX_ADDED;
        *passages = p->ndocs;
    }
    free(key);
    return rc;
}

int idx_writer_add(idx_writer *w, const char *path, idx_outcome *outcome, size_t *passages,
                   size_t *bytes_out, idx_err *err)
{
    idx_prepared p;
    idx_prepare_read(path, w->context, &p);
    *bytes_out = p.size;
    int rc = idx_writer_store(w, &p, outcome, passages, err);
    idx_prepared_clear(&p);
    return rc;
}

static int add_hash(void *ctx, const char *key)
{
    idx_writer *w = ((void **)ctx)[0];
    GHashTable *t = ((void **)ctx)[1];
    char hash[65];
    size_t passages;
    if (stored_record(w, key, hash, &passages))
        g_hash_table_insert(t, g_strdup(key + strlen(WENSOU_META_FILE)), g_strdup(hash));
    return 0;
}

GHashTable *idx_writer_hashes(idx_writer *w, idx_err *err)
{
    GHashTable *t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    void *ctx[2] = {w, t};
    xsh_err xe;
    if (xsh_db_metadata_keys(w->db, WENSOU_META_FILE, add_hash, ctx, &xe)) {
        g_hash_table_destroy(t);
        index_fail(err, w->db_path, &xe);
        return NULL;
    }
    return t;
}

const seg_dict *idx_writer_dict(const idx_writer *w)
{
    return w->dict;
}

int idx_writer_set_context(idx_writer *w, const char *context)
{
    free(w->context);
    w->context = context ? strdup(context) : NULL;
    return context && !w->context ? IDX_ENOMEM : 0;
}

const char *idx_writer_context(const idx_writer *w)
{
    return w->context;
}

void idx_writer_set_rebuild(idx_writer *w, int rebuild)
{
    w->rebuild = rebuild;
}

int idx_writer_rebuilding(const idx_writer *w)
{
    return w->rebuild;
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
    c->rc = replace_file(c->w, path, key, NULL, 0, NULL, "", 0, 1, c->err);
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
    if (w->broken)
        return idx_fail(err, IDX_EINDEX, w->db_path, _("an earlier write failed"));
    int space = check_space(w, 0, err);
    if (space) {
        w->broken = 1;
        return space;
    }
    if (xsh_db_commit(w->db, &xe)) {
        w->broken = 1;           /* the files since the last commit stay counted as uncommitted */
        return index_fail(err, w->db_path, &xe);
    }
    atomic_fetch_sub(&all_pending, w->pending_bytes);
    w->pending_files = w->pending_bytes = 0;
    w->last_commit = monotonic_seconds();
    return 0;
}

int idx_writer_empty(idx_writer *w)
{
    size_t n = 1;
    xsh_err xe;
    return xsh_db_doc_count(w->db, &n, &xe) == 0 && n == 0;
}

size_t idx_writer_uncommitted(const idx_writer *w)
{
    return w->pending_files;
}

void idx_writer_moved(idx_writer *w)
{
    w->moved = 1;
}

int idx_writer_close(idx_writer *w, idx_err *err)
{
    if (!w)
        return 0;
    int rc = 0;
    if (w->moved) {              /* nothing pending (merged); a commit would write into db's path */
        xsh_db_discard(w->db);
        w->db = NULL;
    } else if (w->broken) {             /* said already: nothing more to save */
        rc = IDX_EINDEX;
        if (err)
            err->msg[0] = 0;
    } else if (w->db && (w->pending_files || w->pending_bytes)) {
        rc = idx_writer_commit(w, err);          /* a failure marks it broken */
    }
    atomic_fetch_sub(&all_pending, w->pending_bytes);
    if (w->broken)
        xsh_db_discard(w->db);
    else
        xsh_db_close(w->db);
    seg_state_free(w->st);
    free(w->context);
    free(w->db_path);
    free(w);
    return rc;
}
