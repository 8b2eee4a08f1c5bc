/* protocol.c — what the daemon and its clients (`search --connect`) agree on, in
 * one place: the search request's counts with their limits, the error codes with
 * their HTTP statuses and the query side's codes behind them, the request line a
 * client sends and the answer line it reads back. */
#include "srv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const srv_count_field srv_search_counts[SRV_NCOUNTS] = {
    [SRV_LIMIT] = {"limit", QRY_MAX_LIMIT, 10},
    [SRV_OFFSET] = {"offset", 1000000, 0},
    [SRV_PER_DOC] = {"per_doc", 1000, 0},
    [SRV_TIMEOUT_MS] = {"timeout_ms", 3600000, 0},
};

int srv_whole_number(const char *name, size_t max, long long v, char *msg, size_t len)
{
    if (v >= 0 && (unsigned long long)v <= max)
        return 0;
    snprintf(msg, len, "\"%s\" must be a whole number from 0 to %zu", name, max);
    return -1;
}

static const struct {
    const char *code;
    int qry_rc;                  /* the query side's code answered so (0: none) */
    int status;                  /* over HTTP */
} codes[] = {
    {"bad_request", QRY_EQUERY, 400},          /* nothing to search for: a malformed request */
    {"bad_request", QRY_EINVAL, 400},
    {"unauthorized", 0, 401},
    {"not_found", QRY_ENOTFOUND, 404},
    {"method_not_allowed", 0, 405},
    {"too_large", 0, 413},
    {"headers_too_large", 0, 431},
    {"query_too_complex", QRY_ETOOCOMPLEX, 422},
    {"timeout", QRY_ETIMEOUT, 504},
    {"no_index", QRY_ENOINDEX, 503},
    {"index_version", QRY_ESCHEMA, 503},
    {"too_many_connections", 0, 503},
    {"internal", QRY_ENOMEM, 500},
    {"index_error", QRY_EINDEX, 500},
};

const char *srv_code_of(int qry_rc)
{
    for (size_t i = 0; qry_rc != 0 && i < sizeof codes / sizeof codes[0]; i++)
        if (codes[i].qry_rc == qry_rc)
            return codes[i].code;
    return "index_error";                      /* 0 too: a failure that said no code */
}

int srv_code_status(const char *code)
{
    for (size_t i = 0; code && i < sizeof codes / sizeof codes[0]; i++)
        if (strcmp(code, codes[i].code) == 0)
            return codes[i].status;
    return 500;
}

char *srv_search_line(const qry_request *req, long long id, size_t *len)
{
    size_t values[SRV_NCOUNTS] = {
        [SRV_LIMIT] = req->limit, [SRV_OFFSET] = req->offset, [SRV_PER_DOC] = req->per_doc,
        [SRV_TIMEOUT_MS] = req->timeout_ms,
    };
    json_t *r = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "op", "search", "q", req->q);
    for (int c = 0; r && c < SRV_NCOUNTS; c++)
        if (values[c] != srv_search_counts[c].fallback)
            json_object_set_new(r, srv_search_counts[c].name, json_integer((json_int_t)values[c]));
    char *text = r ? json_dumps(r, JSON_COMPACT) : NULL;
    json_decref(r);
    size_t n = text ? strlen(text) : 0;
    char *line = text ? realloc(text, n + 2) : NULL;
    if (!line) {
        free(text);
        return NULL;
    }
    memcpy(line + n, "\n", 2);
    *len = n + 1;
    return line;
}

int srv_answer_read(const char *line, size_t len, json_t **result, char *code, size_t code_len, char *msg,
                    size_t msg_len)
{
    *result = NULL;
    json_t *a = json_loadb(line, len, 0, NULL);
    if (!json_is_object(a)) {
        json_decref(a);
        return -1;
    }
    int ok = json_is_true(json_object_get(a, "ok"));
    if (ok) {
        *result = json_incref(json_object_get(a, "result"));
    } else {
        json_t *e = json_object_get(a, "error");
        const char *c = json_string_value(json_object_get(e, "code")), *m = json_string_value(json_object_get(e, "message"));
        snprintf(code, code_len, "%s", c ? c : "internal");
        snprintf(msg, msg_len, "%s", m ? m : "the daemon refused the request");
    }
    json_decref(a);
    return ok;
}
