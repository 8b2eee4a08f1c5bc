/* fieldmap.c — which files' document fields (title, kind, year) hold a word, from
 * the file records' "fields" (schema 10: no passage holds them as terms), per
 * revision: a word's query weighs those files' passages as the D term each of them
 * held did (schema.h, xsh_query_field_word). Loading keeps each file's fields
 * string (the records are parsed once a revision, by qry_file_shared); a word's
 * files are looked for on its first use and its query kept, so a search pays for
 * its own words, not for every word of every title. */
#include "engine.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    char *path;
    char *fields;                /* "w1 w2 …", a word said twice there twice */
    unsigned first, count;       /* its passages' docids (one index; first 0: unknown) */
} field_file;

struct qry_fieldmap {
    field_file *files;
    size_t nfiles, cap;
    json_t *asked;               /* word → index into queries, or -1: held by no file */
    xsh_query **queries;
    size_t nqueries, qcap;
    double docs;                 /* the passages of the revision */
    int sharded;
};

typedef struct {
    qry_engine *e;
    qry_fieldmap *m;
    int oom;
} loader;

static int add_file(void *ctx, const char *key)
{
    loader *l = ctx;
    qry_fieldmap *m = l->m;
    const char *path = key + strlen(WENSOU_META_FILE);
    const json_t *info = qry_file_shared(l->e, path);
    const char *fields = json_string_value(json_object_get(info, "fields"));
    unsigned first, count;
    qry_file_passages(info, &first, &count);
    if (!fields || !*fields || !count)
        return 0;
    if (!m->sharded && first == 0)
        return 0;                /* no docids to name its passages by */
    if (m->nfiles == m->cap) {
        size_t cap = m->cap ? 2 * m->cap : 64;
        field_file *f = realloc(m->files, cap * sizeof *f);
        if (!f)
            return l->oom = 1;
        m->files = f;
        m->cap = cap;
    }
    field_file f = {strdup(path), strdup(fields), first, count};
    if (!f.path || !f.fields) {
        free(f.path);
        free(f.fields);
        return l->oom = 1;
    }
    m->files[m->nfiles++] = f;
    return 0;
}

void qry_fieldmap_free(qry_fieldmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nfiles; i++) {
        free(m->files[i].path);
        free(m->files[i].fields);
    }
    free(m->files);
    for (size_t i = 0; i < m->nqueries; i++)
        xsh_query_free(m->queries[i]);
    free(m->queries);
    json_decref(m->asked);
    free(m);
}

int qry_fieldmap_load(qry_engine *e, qry_fieldmap **out)
{
    *out = NULL;
    qry_fieldmap *m = calloc(1, sizeof *m);
    if (!m || !(m->asked = json_object())) {
        free(m);
        return QRY_ENOMEM;
    }
    size_t docs = 0;
    xsh_err xe;
    loader l = {e, m, 0};
    m->sharded = xsh_db_sharded(e->db);
    int rc = xsh_db_doc_count(e->db, &docs, &xe);
    if (rc == 0)
        rc = xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_file, &l, &xe);
    if (rc || l.oom) {
        qry_fieldmap_free(m);
        return l.oom || rc == XSH_ENOMEM ? QRY_ENOMEM : QRY_EINDEX;
    }
    m->docs = (double)docs;
    *out = m;
    return 0;
}

/* The times word stands in fields as a whole word. */
static unsigned times_in(const char *fields, const char *word, size_t len)
{
    unsigned n = 0;
    for (const char *at = fields; (at = strstr(at, word)) != NULL; at += len)
        if ((at == fields || at[-1] == ' ') && (at[len] == ' ' || at[len] == 0))
            n++;
    return n;
}

/* The query of word's files, built now (NULL: no file holds it, or no memory). */
static xsh_query *build(const qry_fieldmap *m, const char *word, const qry_rank *r)
{
    size_t len = strlen(word), n = 0;
    if (len == 0 || strchr(word, ' '))
        return NULL;
    xsh_field_file *held = malloc((m->nfiles ? m->nfiles : 1) * sizeof *held);
    if (!held)
        return NULL;
    for (size_t i = 0; i < m->nfiles; i++) {
        unsigned t = times_in(m->files[i].fields, word, len);
        if (t)
            held[n++] = (xsh_field_file){m->files[i].path, m->files[i].first, m->files[i].count, t};
    }
    xsh_query *q = n ? xsh_query_field_word(word, held, n, m->sharded, m->docs, r->k1, r->k3) : NULL;
    free(held);
    return q;
}

/* Keeps q with the map (freed with it): 0, or -1 when there is no room. */
static int keep(qry_fieldmap *m, xsh_query *q)
{
    if (m->nqueries == m->qcap) {
        size_t cap = m->qcap ? 2 * m->qcap : 16;
        xsh_query **g = realloc(m->queries, cap * sizeof *g);
        if (!g)
            return -1;
        m->queries = g;
        m->qcap = cap;
    }
    m->queries[m->nqueries++] = q;
    return 0;
}

xsh_query *qry_fieldmap_query(qry_fieldmap *m, const char *word, const qry_rank *r)
{
    if (!m)
        return NULL;
    const json_t *at = json_object_get(m->asked, word);
    if (at) {
        json_int_t k = json_integer_value(at);
        return k >= 0 ? xsh_query_copy(m->queries[k]) : NULL;
    }
    xsh_query *q = build(m, word, r);
    if (q && keep(m, q) != 0)
        return q;                /* no room to keep it: this search's alone */
    /* (a word not noted is looked for again next time) */
    json_object_set_new(m->asked, word, json_integer(q ? (json_int_t)m->nqueries - 1 : -1));
    return q ? xsh_query_copy(q) : NULL;
}
