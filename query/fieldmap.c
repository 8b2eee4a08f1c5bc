/* fieldmap.c — which files' document fields (title, kind, year) hold a word, from
 * the file records' "fields" (schema 10: no passage holds them as terms), kept per
 * revision; a word's query weighs those files' passages as the D term each of
 * them held did (schema.h, xsh_query_field_word). */
#include "engine.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    size_t *file;                /* indexes into files */
    unsigned *wdf;
    size_t n, cap;
    xsh_query *query;            /* built on first use: a word's files are many on a large
                                    index, and a search asks for it in several tiers */
} word_files;

struct qry_fieldmap {
    json_t *index;               /* word → its entry in words (an integer) */
    word_files *words;
    size_t nwords, cap;
    xsh_field_file *files;       /* path; first and count (one index's docids) */
    size_t nfiles, fcap;
    double docs;                 /* the passages of the revision */
    int sharded;
};

typedef struct {
    qry_engine *e;
    qry_fieldmap *m;
    int oom;
} loader;

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return 0;
    size_t ncap = *cap ? 2 * *cap : 16;
    void *p = realloc(*items, ncap * size);
    if (!p)
        return -1;
    *items = p;
    *cap = ncap;
    return 0;
}

/* Notes that file (an index into m->files) holds word wdf times. */
static int note(qry_fieldmap *m, const char *word, size_t file, unsigned wdf)
{
    json_t *at = json_object_get(m->index, word);
    size_t k;
    if (at) {
        k = (size_t)json_integer_value(at);
    } else {
        if (grow((void **)&m->words, &m->cap, m->nwords, sizeof *m->words) != 0)
            return -1;
        k = m->nwords;
        if (json_object_set_new(m->index, word, json_integer((json_int_t)k)) != 0)
            return 0;            /* a word that is no UTF-8 key: left out */
        m->words[m->nwords++] = (word_files){NULL, NULL, 0, 0, NULL};
    }
    word_files *w = &m->words[k];
    if (w->n == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 4;
        size_t *f = realloc(w->file, cap * sizeof *f);
        if (f)
            w->file = f;
        unsigned *d = f ? realloc(w->wdf, cap * sizeof *d) : NULL;
        if (!d)
            return -1;
        w->wdf = d;
        w->cap = cap;
    }
    w->file[w->n] = file;
    w->wdf[w->n++] = wdf;
    return 0;
}

static int add_file(void *ctx, const char *key)
{
    loader *l = ctx;
    qry_fieldmap *m = l->m;
    const char *path = key + strlen(WENSOU_META_FILE);
    const json_t *info = qry_file_shared(l->e, path);
    json_t *fields = json_object_get(info, "fields");
    json_int_t first = json_integer_value(json_object_get(info, "first"));
    json_int_t count = json_integer_value(json_object_get(info, "passages"));
    if (!json_is_object(fields) || count <= 0 || count > UINT32_MAX || first < 0 || first > UINT32_MAX)
        return 0;
    if (grow((void **)&m->files, &m->fcap, m->nfiles, sizeof *m->files) != 0)
        return l->oom = 1;
    char *copy = strdup(path);
    if (!copy)
        return l->oom = 1;
    size_t f = m->nfiles++;
    m->files[f] = (xsh_field_file){copy, (unsigned)first, (unsigned)count, 0};
    const char *word;
    json_t *times;
    json_object_foreach(fields, word, times) {
        json_int_t n = json_integer_value(times);
        if (n > 0 && n <= UINT32_MAX && note(m, word, f, (unsigned)n) != 0)
            return l->oom = 1;
    }
    return 0;
}

void qry_fieldmap_free(qry_fieldmap *m)
{
    if (!m)
        return;
    json_decref(m->index);
    for (size_t i = 0; i < m->nwords; i++) {
        free(m->words[i].file);
        free(m->words[i].wdf);
        xsh_query_free(m->words[i].query);
    }
    free(m->words);
    for (size_t i = 0; i < m->nfiles; i++)
        free((char *)m->files[i].file);
    free(m->files);
    free(m);
}

int qry_fieldmap_load(qry_engine *e, qry_fieldmap **out)
{
    *out = NULL;
    qry_fieldmap *m = calloc(1, sizeof *m);
    if (!m || !(m->index = json_object())) {
        free(m);
        return QRY_ENOMEM;
    }
    size_t docs = 0;
    xsh_err xe;
    loader l = {e, m, 0};
    int rc = xsh_db_doc_count(e->db, &docs, &xe);
    if (rc == 0)
        rc = xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_file, &l, &xe);
    if (rc || l.oom) {
        qry_fieldmap_free(m);
        return l.oom || rc == XSH_ENOMEM ? QRY_ENOMEM : QRY_EINDEX;
    }
    m->docs = (double)docs;
    m->sharded = xsh_db_sharded(e->db);
    *out = m;
    return 0;
}

xsh_query *qry_fieldmap_query(qry_fieldmap *m, const char *word, const qry_rank *r)
{
    const json_t *at = m ? json_object_get(m->index, word) : NULL;
    if (!at)
        return NULL;
    word_files *w = &m->words[json_integer_value(at)];
    if (!w->query) {
        xsh_field_file *files = malloc((w->n ? w->n : 1) * sizeof *files);
        if (!files)
            return NULL;
        for (size_t i = 0; i < w->n; i++) {
            files[i] = m->files[w->file[i]];
            files[i].wdf = w->wdf[i];
        }
        w->query = xsh_query_field_word(word, files, w->n, m->sharded, m->docs, r->k1, r->k3);
        free(files);
    }
    return w->query ? xsh_query_copy(w->query) : NULL;
}
