/* engine.c — a query engine: one thread's handle on the index (opened when it
 * exists, refreshed after commits) and its caches, kept per revision. */
#include "engine.h"
#include "intl.h"
#include "schema.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int qry_engine_open_index(qry_engine *e, qry_err *err)
{
    xsh_err xe;
    int rc = xsh_db_open(e->db_path, XSH_READ, &e->db, &xe);
    if (rc == XSH_ENOTFOUND)
        return qry_fail(err, QRY_ENOINDEX, _("%s: no index here (run wensou index first)"), e->db_path);
    if (rc) {
        char msg[320];
        snprintf(msg, sizeof msg, _("%s: cannot open the index (%s)%s"), e->db_path, xe.msg,
                 rc == XSH_ECORRUPT || rc == XSH_EVERSION ? _("; re-index it") : "");
        return qry_fail(err, QRY_EINDEX, "%s", msg);
    }
    char *v = NULL;
    if (xsh_db_get_metadata(e->db, WENSOU_META_SCHEMA, &v, &xe) != 0 || strcmp(v, WENSOU_SCHEMA_VERSION) != 0) {
        char msg[200];
        snprintf(msg, sizeof msg, _("%s: index of schema version %s, this wensou reads %s: delete it and re-index"),
                 e->db_path, v && v[0] ? v : "(none)", WENSOU_SCHEMA_VERSION);
        free(v);
        xsh_db_close(e->db);
        e->db = NULL;
        return qry_fail(err, QRY_ESCHEMA, "%s", msg);
    }
    free(v);
    xsh_db_keep_dense(e->db, e->serving);
    return 0;
}

void qry_engine_serving(qry_engine *e)
{
    e->serving = 1;
    if (e->db)
        xsh_db_keep_dense(e->db, 1);
}

int qry_engine_open(const char *db_path, const seg_dict *d, const qry_synonyms *syn, qry_engine **out, qry_err *err)
{
    *out = NULL;
    qry_engine *e = calloc(1, sizeof *e);
    if (!e || !(e->db_path = strdup(db_path)) || seg_state_new(d, &e->st) != 0) {
        if (e)
            free(e->db_path);
        free(e);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    e->dict = d;
    e->syn = syn;
    e->cache = calloc(RECORD_CACHE, sizeof *e->cache);
    e->norms = calloc(NORM_CACHE, sizeof *e->norms);
    e->files = json_object();
    if (!e->cache || !e->norms || !e->files) {
        qry_engine_close(e);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    int rc = qry_engine_open_index(e, err);
    if (rc && rc != QRY_ENOINDEX) {
        qry_engine_close(e);
        return rc;
    }
    *out = e;                     /* without an index yet: searches say so until one exists */
    return 0;
}

static void cache_clear(qry_engine *e)
{
    for (size_t i = 0; e->cache && i < RECORD_CACHE; i++) {
        json_decref(e->cache[i].rec);
        json_decref(e->cache[i].frag);
        e->cache[i].frag = NULL;
        e->cache[i].rec = NULL;
        e->cache[i].docid = 0;
    }
    for (size_t i = 0; e->norms && i < NORM_CACHE; i++) {
        qry_normtext_free(&e->norms[i].nt);
        e->norms[i].docid = 0;
        e->norms[i].used = 0;
    }
    if (e->files)
        json_object_clear(e->files);
    qry_filemap_free(e->filemap);
    e->filemap = NULL;
    qry_fieldmap_free(e->fieldmap);
    e->fieldmap = NULL;
    qry_titles_free(e->titles);
    e->titles = NULL;
    qry_synonyms_free(e->mined);
    e->mined = NULL;
    e->mined_loaded = 0;
}

/* Sets title, date, kind, passages, abbr, first and fields in to from from's (null where from has
 * none). */
static void set_shared_fields(json_t *to, const json_t *from)
{
    static const char *fields[] = {"title", "date", "kind", "passages", "abbr", "first", "fields"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        json_t *v = json_object_get(from, fields[i]);
        json_object_set(to, fields[i], v ? v : json_null());
    }
}

json_t *qry_file_record(qry_engine *e, const char *file)
{
    size_t klen = strlen(WENSOU_META_FILE) + strlen(file) + 1;
    char *key = malloc(klen), *v = NULL;
    size_t shard = 0;
    xsh_err xe;
    if (key) {
        snprintf(key, klen, "%s%s", WENSOU_META_FILE, file);
        xsh_db_get_metadata_from(e->db, key, &v, &shard, &xe);
    }
    json_t *meta = v ? json_loads(v, 0, NULL) : NULL;
    free(key);
    free(v);
    if (json_is_object(meta))                 /* its "first" docid counts in that shard */
        json_object_set_new(meta, QRY_META_SHARD, json_integer((json_int_t)shard));
    return meta;
}

/* What the passages of file share ({"title","date","kind","year","passages","abbr","first","fields"}, borrowed; empty
 * when unknown), from its metadata record, kept per revision; NULL when it cannot be
 * kept (out of memory, or a name that is not UTF-8). */
json_t *qry_file_shared(qry_engine *e, const char *file)
{
    json_t *info = json_object_get(e->files, file);
    if (info)
        return info;
    json_t *meta = qry_file_record(e, file);
    info = json_object();
    if (info)
        set_shared_fields(info, meta);
    const char *date = json_string_value(json_object_get(meta, "date"));
    if (info && date && strlen(date) >= 4)
        json_object_set_new(info, "year", json_stringn(date, 4));
    char region[64];
    const char *title = json_string_value(json_object_get(meta, "title"));
    if (info && title && qry_title_region(title, region, sizeof region))
        json_object_set_new(info, "region", json_string(region));
    json_decref(meta);
    if (info && json_object_set_new(e->files, file, info) != 0)
        return NULL;                          /* not kept (a name not UTF-8, or no memory): freed */
    return info;
}

int qry_file_passages(const json_t *info, unsigned *first, unsigned *passages)
{
    const json_t *count = json_object_get(info, "passages");
    json_int_t n = json_integer_value(count), from = json_integer_value(json_object_get(info, "first"));
    int counted = json_is_integer(count) && n >= 0 && n <= UINT32_MAX;
    *passages = counted ? (unsigned)n : 0;
    *first = *passages && from > 0 && from <= UINT32_MAX ? (unsigned)from : 0;
    return counted;
}

/* docid's record from its document data, into the cache (a borrowed reference),
 * or NULL when the data is no record. */
static json_t *cache_record(qry_engine *e, unsigned docid, const char *data, size_t len)
{
    cached_record *slot = &e->cache[docid % RECORD_CACHE];
    json_t *rec = json_loadb(data, len, 0, NULL);
    if (!json_is_object(rec) || !json_is_string(json_object_get(rec, "file"))) {
        json_decref(rec);
        return NULL;
    }
    json_decref(slot->rec);
    json_decref(slot->frag);
    slot->frag = NULL;
    slot->rec = rec;
    slot->docid = docid;
    return rec;
}

/* The passage record of docid as a hit shows it (its document data), read once
 * per revision (a borrowed reference). */
json_t *qry_record(qry_engine *e, unsigned docid)
{
    cached_record *slot = &e->cache[docid % RECORD_CACHE];
    if (slot->rec && slot->docid == docid)
        return slot->rec;
    char *data = NULL;
    size_t len = 0;
    xsh_err xe;
    if (xsh_db_get_data(e->db, docid, &data, &len, &xe) != 0)
        return NULL;
    json_t *rec = cache_record(e, docid, data, len);
    free(data);
    return rec;
}

void qry_record_offer(qry_engine *e, unsigned docid, const char *data, size_t len)
{
    cached_record *slot = &e->cache[docid % RECORD_CACHE];
    if (data && !(slot->rec && slot->docid == docid))
        cache_record(e, docid, data, len);
}

void qry_engine_close(qry_engine *e)
{
    if (!e)
        return;
    cache_clear(e);
    free(e->cache);
    free(e->norms);
    json_decref(e->files);
    xsh_db_close(e->db);
    seg_state_free(e->st);
    free(e->db_path);
    free(e);
}

/* Forgets the index handle and what was read through it. */
static void drop_index(qry_engine *e)
{
    cache_clear(e);
    xsh_db_close(e->db);
    e->db = NULL;
    e->revision = 0;
    e->generation = 0;
}

int qry_engine_reopen(qry_engine *e, qry_err *err)
{
    if (!e->db)
        return qry_engine_open_index(e, err);
    xsh_err xe;
    int rc = xsh_db_refresh(e->db, &xe);
    if (rc == XSH_ENOTFOUND) {               /* deleted: never answer from the old files */
        drop_index(e);
        return qry_fail(err, QRY_ENOINDEX, _("%s: no index here (run wensou index first)"), e->db_path);
    }
    if (rc != 0)
        return qry_fail(err, QRY_EINDEX, "%s", xe.msg);
    if (xsh_db_generation(e->db) != e->generation) {
        drop_index(e);                       /* another index moved in: open it as a new one (its schema checked) */
        return qry_engine_open_index(e, err);
    }
    return 0;
}

void qry_engine_reset(qry_engine *e)
{
    if (e && e->db)
        drop_index(e);
}

void qry_engine_check_revision(qry_engine *e)
{
    unsigned long rev = 0;
    xsh_err re;
    unsigned gen = xsh_db_generation(e->db);
    if (gen != e->generation) {              /* another index in its place: nothing read holds */
        cache_clear(e);
        e->generation = gen;
        e->revision = 0;
    }
    if (xsh_db_revision(e->db, &rev, &re) == 0 && rev != e->revision) {
        cache_clear(e);                    /* a commit came in: records may be new */
        e->revision = rev;
    }
}

/* The normalised text of docid's passage text, or NULL. Cached by docid (one
 * docid is one passage text in a revision); src is text, valid while it is. */
const qry_normtext *qry_normalised(qry_engine *e, unsigned docid, const char *text)
{
    cached_norm *way = &e->norms[docid % (NORM_CACHE / 2) * 2];
    cached_norm *slot = way[1].nt.s && way[1].docid == docid ? &way[1] : &way[0];
    e->norm_clock++;
    if (slot->nt.s && slot->docid == docid) {
        slot->nt.src = text;
        slot->used = e->norm_clock;
        return &slot->nt;
    }
    slot = way[0].used <= way[1].used ? &way[0] : &way[1];   /* the older (or an empty one) */
    qry_normtext_free(&slot->nt);
    slot->used = e->norm_clock;
    if (qry_normalize(e->st, text, strlen(text), &slot->nt) != 0) {
        slot->used = 0;                    /* empty: the next to go */
        return NULL;
    }
    slot->docid = docid;
    return &slot->nt;
}

#define FRAGMENT_FLAGS JSON_COMPACT

/* docid's record (cached) as JSON text without its braces, as a string (borrowed),
 * or NULL. */
json_t *qry_record_fragment(qry_engine *e, unsigned docid)
{
    cached_record *slot = &e->cache[docid % RECORD_CACHE];
    if (!slot->rec || slot->docid != docid)
        return NULL;
    if (!slot->frag) {
        char *text = json_dumps(slot->rec, FRAGMENT_FLAGS);
        size_t n = text ? strlen(text) : 0;
        if (n >= 2)
            slot->frag = json_stringn_nocheck(text + 1, n - 2);
        free(text);
    }
    return slot->frag;
}
