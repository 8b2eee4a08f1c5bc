/* fuzz_query.c — libFuzzer target for the query side on a real index of the
 * corpus, with synonyms and related expressions: any query string is searched or
 * refused with a message (too complex, timed out), never a crash. */
#include "qry.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static seg_dict *dict;
static qry_synonyms *syn;
static qry_engine *engine;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    seg_err se;
    qry_err qe;
    /* with the synonyms and related expressions: the builder's expansions are fuzzed too */
    if (seg_dict_open(WENSOU_FUZZ_DICT, WENSOU_FUZZ_USERDICT, &dict, &se) != 0
        || qry_synonyms_load(WENSOU_FUZZ_SYNONYMS, dict, &syn, &qe) != 0
        || qry_synonyms_add_related(syn, WENSOU_FUZZ_RELATED, dict, &qe) != 0
        || qry_engine_open(WENSOU_FUZZ_DB, dict, syn, &engine, &qe) != 0) {
        fprintf(stderr, "fuzz_query: cannot open the dictionary, the synonyms or %s\n", WENSOU_FUZZ_DB);
        abort();
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *q = malloc(size + 1);
    memcpy(q, data, size);
    q[size] = 0;
    qry_request req = {q, 5, 0, size % 3, 2000};
    qry_result *out = NULL;
    qry_err err = {0};
    int rc = qry_search(engine, &req, &out, &err);
    if (rc != 0 && (out != NULL || err.msg[0] == 0))
        abort();
    json_t *j = rc == 0 ? qry_result_json(out) : NULL;   /* the one writer's text is JSON */
    if (rc == 0 && !json_is_object(j))
        abort();
    json_decref(j);
    qry_result_free(out);
    free(q);
    return 0;
}
