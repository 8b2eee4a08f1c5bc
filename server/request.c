/* srv_request.c — one protocol request: parse the JSON line, check every field's
 * type and range, run it (search, stats, ping) and build the response object:
 * {"id": …, "ok": true, "result": …} or {"id": …, "ok": false, "error": {"code", "message"}}. */
#include "srv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OP_BAD, OP_PING, OP_SEARCH, OP_STATS } op_kind;

#define ANSWER_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(6))

struct srv_request {
    op_kind op;
    json_t *id;                  /* echoed back; null when absent */
    char *q;
    size_t limit, offset, per_doc;
    size_t timeout_ms;           /* the client's limit on this search (0: the server's) */
    json_t *result;              /* the answer, once run */
    char *result_text;           /* a search's answer as JSON text (made on the worker) */
    const char *err_code;
    char err_msg[256];
};

static void bad(srv_request *r, const char *code, const char *msg)
{
    r->op = OP_BAD;
    r->err_code = code;
    snprintf(r->err_msg, sizeof r->err_msg, "%s", msg);
}

/* An optional whole number in [0, max]; returns 0 when absent or valid. */
static int count_field(srv_request *r, json_t *req, const char *name, size_t max, size_t *out)
{
    json_t *v = json_object_get(req, name);
    if (!v)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 || (unsigned long long)json_integer_value(v) > max) {
        char msg[128];
        snprintf(msg, sizeof msg, "\"%s\" must be a whole number from 0 to %zu", name, max);
        bad(r, "bad_request", msg);
        return -1;
    }
    *out = (size_t)json_integer_value(v);
    return 0;
}

srv_request *srv_request_parse(const char *line, size_t len)
{
    srv_request *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->limit = 10;
    json_error_t je;
    json_t *req = json_loadb(line, len, JSON_REJECT_DUPLICATES, &je);
    if (!req) {
        char msg[200];
        snprintf(msg, sizeof msg, "not JSON: %s", je.text);
        bad(r, "bad_request", msg);
        return r;
    }
    if (!json_is_object(req)) {
        bad(r, "bad_request", "a request is a JSON object");
        json_decref(req);
        return r;
    }
    json_t *id = json_object_get(req, "id");
    r->id = id ? json_incref(id) : NULL;
    const char *op = json_string_value(json_object_get(req, "op"));
    if (!op) {
        bad(r, "bad_request", "\"op\" must be a string: search, stats or ping");
    } else if (strcmp(op, "ping") == 0) {
        r->op = OP_PING;
    } else if (strcmp(op, "stats") == 0) {
        r->op = OP_STATS;
    } else if (strcmp(op, "search") == 0) {
        r->op = OP_SEARCH;
        const char *q = json_string_value(json_object_get(req, "q"));
        if (!q)
            bad(r, "bad_request", "\"q\" must be a string");
        else if (!(r->q = strdup(q)))
            bad(r, "internal", "out of memory");
        if (r->op == OP_SEARCH && !count_field(r, req, "limit", QRY_MAX_LIMIT, &r->limit)
            && !count_field(r, req, "offset", 1000000, &r->offset)
            && !count_field(r, req, "per_doc", 1000, &r->per_doc))
            count_field(r, req, "timeout_ms", 3600000, &r->timeout_ms);
    } else {
        char msg[128];
        snprintf(msg, sizeof msg, "unknown op \"%.60s\" (search, stats or ping)", op);
        bad(r, "bad_request", msg);
    }
    json_decref(req);
    return r;
}

srv_request *srv_request_error(const char *code, const char *msg)
{
    srv_request *r = calloc(1, sizeof *r);
    if (r)
        bad(r, code, msg);
    return r;
}

int srv_request_needs_worker(const srv_request *r)
{
    return r->op == OP_SEARCH || r->op == OP_STATS;
}

#define ANSWER_BASE 1024          /* an answer's envelope, facets, an error */
#define ANSWER_PER_HIT 2048       /* a hit: its record, sections, highlights (about 1.2 KB seen) */

size_t srv_request_answer_estimate(const srv_request *r)
{
    return r->op == OP_SEARCH ? ANSWER_BASE + r->limit * ANSWER_PER_HIT : ANSWER_BASE;
}

static const char *code_of(int rc)
{
    switch (rc) {
    case QRY_ENOINDEX: return "no_index";
    case QRY_ESCHEMA: return "index_version";
    case QRY_EQUERY: return "bad_request";     /* nothing to search for: a malformed request */
    case QRY_EINVAL: return "bad_request";
    case QRY_ETOOCOMPLEX: return "query_too_complex";
    case QRY_ETIMEOUT: return "timeout";
    case QRY_ENOMEM: return "internal";
    }
    return "index_error";
}

void srv_request_fail(srv_request *r, int rc, const char *msg)
{
    bad(r, code_of(rc), msg);
}

void srv_request_run(srv_request *r, qry_engine *engine, unsigned max_timeout_ms)
{
    qry_err err = {0};
    int rc = 0;
    if (!engine) {
        bad(r, "internal", "no engine");
        return;
    }
    if (r->op == OP_SEARCH) {
        qry_engine_reopen(engine, &err);         /* see the latest commit; errors surface below */
        unsigned timeout = max_timeout_ms;
        if (r->timeout_ms && (!timeout || r->timeout_ms < timeout))
            timeout = (unsigned)r->timeout_ms;
        qry_request req = {r->q, r->limit, r->offset, r->per_doc, timeout};
        rc = qry_search_text(engine, &req, ANSWER_FLAGS, &r->result_text, NULL, &err);
    } else if (r->op == OP_STATS) {
        qry_engine_reopen(engine, &err);
        rc = qry_stats(engine, &r->result, &err);
    }
    if (rc) {
        r->op = OP_BAD;
        r->err_code = code_of(rc);
        snprintf(r->err_msg, sizeof r->err_msg, "%s", err.msg);
    }
}

char *srv_request_response(srv_request *r, size_t *len)
{
    qry_buf b = {0};
    qry_buf_puts(&b, "{\"id\":");
    qry_buf_json(&b, r->id ? r->id : json_null(), ANSWER_FLAGS);
    if (r->op == OP_BAD) {
        json_t *e = json_pack("{s:s, s:s}", "code", r->err_code, "message", r->err_msg);
        qry_buf_puts(&b, ",\"ok\":false,\"error\":");
        if (e)
            qry_buf_json(&b, e, ANSWER_FLAGS);
        else
            b.failed = 1;
        json_decref(e);
    } else {
        qry_buf_puts(&b, ",\"ok\":true");
        if (r->result_text || r->result)
            qry_buf_puts(&b, ",\"result\":");
        if (r->result_text)
            qry_buf_puts(&b, r->result_text);
        else if (r->result)
            qry_buf_json(&b, r->result, ANSWER_FLAGS);
    }
    qry_buf_puts(&b, "}");
    free(r->result_text);         /* answered: the result goes, on the thread that made it */
    r->result_text = NULL;
    json_decref(r->result);
    r->result = NULL;
    char *s = qry_buf_finish(&b, len);
    if (!s) {                     /* could not even say so: a fixed answer */
        s = strdup("{\"id\":null,\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}");
        *len = s ? strlen(s) : 0;
    }
    return s;
}

const char *srv_request_describe(const srv_request *r)
{
    switch (r->op) {
    case OP_PING: return "ping";
    case OP_STATS: return "stats";
    case OP_SEARCH: return r->q ? r->q : "search";
    case OP_BAD: break;
    }
    return r->err_code ? r->err_code : "bad";
}

void srv_request_free(srv_request *r)
{
    if (!r)
        return;
    json_decref(r->id);
    json_decref(r->result);
    free(r->result_text);
    free(r->q);
    free(r);
}
