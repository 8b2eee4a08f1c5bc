/* filemap.c — which file a passage belongs to, from its docid alone: the writer
 * adds a file's passages as consecutive docids and stores the first in the
 * file's record. Facets count files this way, without reading a value per match. */
#include "engine.h"
#include "schema.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned first, count;
    char *file;
    qry_file_fields fields;      /* the caller's, per file (qry_filemap_emit) */
} file_range;

struct qry_filemap {
    file_range *r;               /* sorted by first */
    size_t n, cap;
    size_t *counts;              /* per range, since the last keep */
    size_t *touched;             /* ranges counted since then */
    size_t ntouched;
    size_t *kept;                /* per range, this search's (qry_filemap_keep) */
    size_t *kept_order;          /* ranges kept, in the order first kept */
    size_t nkept;
    size_t last;                 /* the range the last docid counted fell in (a match
                                    counts in docid order: most fall in the same) */
    qry_engine *e;               /* while loading */
};

static int add_range(void *ctx, const char *key)
{
    qry_filemap *m = ctx;
    const char *file = key + strlen(WENSOU_META_FILE);
    const json_t *shared = qry_file_shared(m->e, file);       /* parsed once a revision */
    json_t *own = shared ? NULL : qry_file_record(m->e, file); /* a name JSON cannot keep */
    const json_t *o = shared ? shared : own;
    unsigned first, count;
    qry_file_passages(o, &first, &count);
    json_decref(own);
    if (!first)
        return 0;                          /* no passages, or no docids to find them by */
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        file_range *nr = realloc(m->r, cap * sizeof *nr);
        if (!nr)
            return 1;
        m->r = nr;
        m->cap = cap;
    }
    char *copy = strdup(file);
    if (!copy)
        return 1;
    m->r[m->n++] = (file_range){first, count, copy, {0}};
    return 0;
}

static int by_first(const void *a, const void *b)
{
    const file_range *x = a, *y = b;
    return (x->first > y->first) - (x->first < y->first);
}

int qry_filemap_load(qry_engine *e, qry_filemap **out)
{
    *out = NULL;
    qry_filemap *m = calloc(1, sizeof *m);
    if (!m)
        return QRY_ENOMEM;
    m->e = e;
    xsh_err xe;
    int rc = xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_range, m, &xe);
    if (rc == 0 && m->n)
        qsort(m->r, m->n, sizeof *m->r, by_first);
    m->counts = calloc(m->n ? m->n : 1, sizeof *m->counts);
    m->touched = calloc(m->n ? m->n : 1, sizeof *m->touched);
    m->kept = calloc(m->n ? m->n : 1, sizeof *m->kept);
    m->kept_order = calloc(m->n ? m->n : 1, sizeof *m->kept_order);
    if (rc || !m->counts || !m->touched || !m->kept || !m->kept_order) {
        qry_filemap_free(m);
        return rc == XSH_ENOMEM || rc == 0 ? QRY_ENOMEM : QRY_EINDEX;
    }
    m->e = NULL;
    *out = m;
    return 0;
}

void qry_filemap_free(qry_filemap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n; i++)
        free(m->r[i].file);
    free(m->r);
    free(m->counts);
    free(m->touched);
    free(m->kept);
    free(m->kept_order);
    free(m);
}

/* Whether docid is a passage of range i. */
static int in_range(const qry_filemap *m, size_t i, unsigned docid)
{
    return i < m->n && docid >= m->r[i].first && docid - m->r[i].first < m->r[i].count;
}

void qry_filemap_count(void *ctx, unsigned docid)
{
    qry_filemap *m = ctx;
    size_t i = m->last;
    if (!in_range(m, i, docid)) {
        size_t lo = 0, hi = m->n;          /* the last range starting at or before docid */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (m->r[mid].first <= docid)
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == 0 || !in_range(m, lo - 1, docid))
            return;                        /* not a passage of a recorded file */
        i = m->last = lo - 1;
    }
    if (m->counts[i]++ == 0)
        m->touched[m->ntouched++] = i;
}

void qry_filemap_keep(qry_filemap *m, double scale)
{
    for (size_t k = 0; k < m->ntouched; k++) {
        size_t i = m->touched[k], n = qry_facet_scaled(m->counts[i], scale);
        m->counts[i] = 0;
        if (n && m->kept[i] == 0)
            m->kept_order[m->nkept++] = i;
        m->kept[i] += n;
    }
    m->ntouched = 0;
}

void qry_filemap_forget(qry_filemap *m)
{
    qry_filemap_keep(m, 0);
}

void qry_filemap_emit(qry_filemap *m, void (*fn)(void *ctx, const char *file, size_t n, qry_file_fields *fields),
                      void *ctx)
{
    qry_filemap_forget(m);                 /* what no keep took is no count of this search */
    for (size_t k = 0; k < m->nkept; k++) {
        size_t i = m->kept_order[k];
        if (fn)
            fn(ctx, m->r[i].file, m->kept[i], &m->r[i].fields);
        m->kept[i] = 0;
    }
    m->nkept = 0;
}
