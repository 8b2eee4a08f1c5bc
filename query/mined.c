/* mined.c — the abbreviations the indexed documents define (their glossaries'
 * 简称 entries, the text's （以下简称“X”）: the indexer keeps them in each file's
 * record as "abbr"), layered over the synonym groups once per index revision, so
 * a query for 智安小区 also finds 智慧安防小区 in any document. */
#include "engine.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    qry_engine *e;
    const char **pairs;          /* borrowed from the files' shared records */
    size_t n, cap;
    int oom;
} pair_loader;

static int add_file(void *ctx, const char *key)
{
    pair_loader *l = ctx;
    json_t *abbr = json_object_get(qry_file_shared(l->e, key + strlen(WENSOU_META_FILE)), "abbr");
    size_t i;
    json_t *pair;
    json_array_foreach(abbr, i, pair) {
        const char *a = json_string_value(json_array_get(pair, 0)), *b = json_string_value(json_array_get(pair, 1));
        if (!a || !b)
            continue;
        if (l->n + 2 > l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 64;
            const char **np = realloc(l->pairs, cap * sizeof *np);
            if (!np) {
                l->oom = 1;
                return 1;
            }
            l->pairs = np;
            l->cap = cap;
        }
        l->pairs[l->n++] = a;
        l->pairs[l->n++] = b;
    }
    return 0;
}

const qry_synonyms *qry_engine_synonyms(qry_engine *e)
{
    if (e->mined_loaded || !e->db)
        return e->mined ? e->mined : e->syn;
    e->mined_loaded = 1;
    pair_loader l = {e, NULL, 0, 0, 0};
    xsh_err xe;
    qry_err qe;
    /* (qry_file_shared keeps the records for the revision, so the strings live
     * until the layer has copied them) */
    if (xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_file, &l, &xe) == 0 && !l.oom && l.n)
        qry_synonyms_layer(e->syn, l.pairs, l.n / 2, e->st, &e->mined, &qe);
    free(l.pairs);
    return e->mined ? e->mined : e->syn;
}
