/* request.c — one protocol request: parse the JSON line (or take what the HTTP
 * framing made), check every field's type and range, run it (search, stats, ping;
 * over HTTP also documents, a document's text, health, metrics, the web page's
 * files) and build the answer: NDJSON's {"id": …, "ok": true, "result": …} or
 * {"id": …, "ok": false, "error": {"code", "message"}}, or HTTP's status and body. */
#include "srv_int.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { OP_BAD, OP_PING, OP_SEARCH, OP_STATS, OP_DOCUMENTS, OP_TEXT, OP_HEALTH, OP_METRICS, OP_FILE, OP_EMPTY } op_kind;

#define ANSWER_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(6))

struct srv_request {
    op_kind op;
    json_t *id;                  /* echoed back; null when absent */
    char *q;
    size_t counts[SRV_NCOUNTS];  /* limit, offset, per_doc, timeout_ms (0: the server's) */
    char *doc;                   /* OP_TEXT: the document's id */
    size_t start, end;           /* OP_TEXT: its byte range (end 0: to the end) */
    char *path;                  /* OP_FILE: the file */
    const char *content_type;    /* OP_FILE, OP_METRICS, a CSV search: the body's type */
    srv_wire wire;
    json_t *result;              /* the answer, once run */
    char *result_text;           /* a search's answer as JSON text (made on the worker) */
    char *raw;                   /* a body that is not JSON (a file, metrics, a table) */
    size_t raw_len;
    const char *err_code;
    char err_msg[256];
};

static void bad(srv_request *r, const char *code, const char *msg)
{
    r->op = OP_BAD;
    r->err_code = code;
    snprintf(r->err_msg, sizeof r->err_msg, "%s", msg);
}

/* A search's counts at their defaults. */
static void default_counts(srv_request *r)
{
    for (int c = 0; c < SRV_NCOUNTS; c++)
        r->counts[c] = srv_search_counts[c].fallback;
}

/* The search's counts from a line's fields (optional whole numbers in range);
 * 0, or -1 when one is bad (r answers why). */
static int count_fields(srv_request *r, json_t *req)
{
    for (int c = 0; c < SRV_NCOUNTS; c++) {
        json_t *v = json_object_get(req, srv_search_counts[c].name);
        char msg[128];
        if (!v)
            continue;
        if (srv_whole_number(srv_search_counts[c].name, srv_search_counts[c].max,
                             json_is_integer(v) ? json_integer_value(v) : -1, msg, sizeof msg)) {
            bad(r, "bad_request", msg);
            return -1;
        }
        r->counts[c] = (size_t)json_integer_value(v);
    }
    return 0;
}

srv_request *srv_request_parse(const char *line, size_t len)
{
    srv_request *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    default_counts(r);
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
        if (r->op == OP_SEARCH)
            count_fields(r, req);
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
    return r->op != OP_BAD && r->op != OP_PING && r->op != OP_EMPTY;
}

int srv_request_needs_engine(const srv_request *r)
{
    return srv_request_needs_worker(r) && r->op != OP_FILE;
}

/* ---- requests made by the HTTP framing ---- */

static srv_request *new_request(op_kind op)
{
    srv_request *r = calloc(1, sizeof *r);
    if (r) {
        r->op = op;
        default_counts(r);
    }
    return r;
}

srv_request *srv_request_op(const char *op)
{
    static const struct { const char *name; op_kind op; } ops[] = {
        {"ping", OP_PING}, {"stats", OP_STATS}, {"documents", OP_DOCUMENTS}, {"health", OP_HEALTH},
        {"metrics", OP_METRICS},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (strcmp(op, ops[i].name) == 0)
            return new_request(ops[i].op);
    return srv_request_error("not_found", "no such endpoint");
}

/* A whole number from a URL parameter (NULL: absent, keeps *out) in [0, max]:
 * 0, or -1 when bad (r answers why). */
static int count_param(srv_request *r, const char *name, const char *v, size_t max, size_t *out)
{
    if (!v)
        return 0;
    char *end, msg[128];
    unsigned long long n = strtoull(v, &end, 10);
    int digits = *v && !*end && *v != '-' && *v != '+' && n <= (unsigned long long)LLONG_MAX;
    if (srv_whole_number(name, max, digits ? (long long)n : -1, msg, sizeof msg)) {
        bad(r, "bad_request", msg);
        return -1;
    }
    *out = (size_t)n;
    return 0;
}

srv_request *srv_request_search(const char *q, const char *const counts[SRV_NCOUNTS])
{
    srv_request *r = new_request(OP_SEARCH);
    if (!r)
        return NULL;
    if (!q)
        bad(r, "bad_request", "the query parameter q is missing");
    else if (!(r->q = strdup(q)))
        bad(r, "internal", "out of memory");
    for (int c = 0; c < SRV_NCOUNTS && r->op == OP_SEARCH; c++)
        if (count_param(r, srv_search_counts[c].name, counts[c], srv_search_counts[c].max, &r->counts[c]))
            break;
    return r;
}

srv_request *srv_request_text(const char *id, const char *start, const char *end)
{
    srv_request *r = new_request(OP_TEXT);
    if (!r)
        return NULL;
    if (!(r->doc = strdup(id)))
        bad(r, "internal", "out of memory");
    else if (!count_param(r, "start", start, (size_t)1 << 40, &r->start))
        count_param(r, "end", end, (size_t)1 << 40, &r->end);
    if (r->op == OP_TEXT && r->end && r->end <= r->start)
        bad(r, "bad_request", "\"end\" must be after \"start\"");
    return r;
}

srv_request *srv_request_file(const char *path, const char *content_type)
{
    srv_request *r = new_request(OP_FILE);
    if (r && !(r->path = strdup(path)))
        bad(r, "internal", "out of memory");
    if (r)
        r->content_type = content_type;
    return r;
}

srv_request *srv_request_empty(void)
{
    return new_request(OP_EMPTY);
}

srv_wire *srv_request_wire(srv_request *r)
{
    return &r->wire;
}

#define ANSWER_BASE 1024          /* an answer's envelope, facets, an error */
#define ANSWER_PER_HIT 2048       /* a hit: its record, sections, highlights (about 1.2 KB seen) */

#define ANSWER_LARGE (1u << 20)    /* a document list, a document's text, a file */

size_t srv_request_answer_estimate(const srv_request *r)
{
    if (r->op == OP_SEARCH)
        return ANSWER_BASE + r->counts[SRV_LIMIT] * ANSWER_PER_HIT;
    return r->op == OP_DOCUMENTS || r->op == OP_TEXT || r->op == OP_FILE ? ANSWER_LARGE : ANSWER_BASE;
}

void srv_request_fail(srv_request *r, int rc, const char *msg)
{
    bad(r, srv_code_of(rc), msg);
}

static int out_of_memory(qry_err *err)
{
    *err = (qry_err){QRY_ENOMEM, "out of memory"};
    return QRY_ENOMEM;
}

#define FILE_MAX_BYTES (4u << 20)

/* Reads the web page's file into r->raw. */
static void read_file(srv_request *r)
{
    FILE *f = fopen(r->path, "rb");
    char *buf = f ? malloc(FILE_MAX_BYTES) : NULL;
    size_t n = buf ? fread(buf, 1, FILE_MAX_BYTES, f) : 0;
    if (!f)
        bad(r, "not_found", "no such file");
    else if (!buf || ferror(f) || n == FILE_MAX_BYTES)
        bad(r, "internal", "cannot read the file");
    else {
        r->raw = buf;
        r->raw_len = n;
        buf = NULL;
    }
    free(buf);
    if (f)
        fclose(f);
}

/* A search's hits as a CSV table (a BOM, then rank, title, date, kind, section,
 * page, page_end, text, file). */
static char *csv_of(const qry_result *result, size_t *len)
{
    qry_buf b = {0};
    qry_buf_puts(&b, "\xEF\xBB\xBFrank,title,date,kind,section,page,page_end,text,file\r\n");
    for (size_t i = 0; i < result->nhits; i++) {
        static const char *const fields[] = {"title", "date", "kind", "section", "page", "page_end", "text", "file"};
        const qry_hit *h = &result->hits[i];
        qry_buf_put(&b, "\"", 1);
        qry_buf_integer(&b, (json_int_t)h->rank);
        qry_buf_put(&b, "\"", 1);
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            json_t *v = json_object_get(h->record, fields[f]);
            char *owned = NULL;
            const char *s = "";
            char num[32];
            if (json_is_string(v))
                s = json_string_value(v);
            else if (json_is_integer(v)) {
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
                s = num;
            }
            else if (json_is_array(v)) {       /* a section path: its headings joined by › */
                qry_buf p = {0};
                size_t k;
                json_t *x;
                json_array_foreach(v, k, x) {
                    qry_buf_puts(&p, k ? " › " : "");
                    qry_buf_puts(&p, json_string_value(x) ? json_string_value(x) : "");
                }
                s = owned = qry_buf_finish(&p, NULL);
            }
            qry_buf_puts(&b, ",\"");
            for (const char *c = s ? s : ""; *c; c++) {
                qry_buf_put(&b, c, 1);
                if (*c == '"')
                    qry_buf_put(&b, "\"", 1);       /* a quote inside is doubled */
            }
            qry_buf_puts(&b, "\"");
            free(owned);
        }
        qry_buf_puts(&b, "\r\n");
    }
    return qry_buf_finish(&b, len);
}

void srv_request_run(srv_request *r, qry_engine *engine, unsigned max_timeout_ms)
{
    qry_err err = {0};
    int rc = 0;
    if (r->op == OP_FILE) {
        read_file(r);
        return;
    }
    if (!engine) {
        bad(r, "internal", "no engine");
        return;
    }
    if (r->op == OP_SEARCH) {
        qry_engine_reopen(engine, &err);         /* see the latest commit; errors surface below */
        unsigned timeout = max_timeout_ms;
        size_t own = r->counts[SRV_TIMEOUT_MS];
        if (own && (!timeout || own < timeout))
            timeout = (unsigned)own;
        qry_request req = {r->q, r->counts[SRV_LIMIT], r->counts[SRV_OFFSET], r->counts[SRV_PER_DOC], timeout};
        qry_result *res = NULL;
        rc = qry_search(engine, &req, &res, &err);
        if (!rc && r->wire.csv) {
            if (!(r->raw = csv_of(res, &r->raw_len)))
                rc = out_of_memory(&err);
            r->content_type = "text/csv; charset=utf-8";
        } else if (!rc && !(r->result_text = qry_result_text(res, NULL))) {
            rc = out_of_memory(&err);
        }
        qry_result_free(res);
    } else if (r->op == OP_STATS || r->op == OP_HEALTH) {
        qry_engine_reopen(engine, &err);
        rc = qry_stats(engine, &r->result, &err);
        if (!rc && r->op == OP_HEALTH)
            json_object_set_new(r->result, "status", json_string("ok"));
    } else if (r->op == OP_DOCUMENTS) {
        qry_engine_reopen(engine, &err);
        rc = qry_documents(engine, &r->result, &err);
    } else if (r->op == OP_TEXT) {
        qry_engine_reopen(engine, &err);
        rc = qry_document_text(engine, r->doc, r->start, r->end, &r->result, &err);
    } else if (r->op == OP_METRICS) {
        qry_engine_reopen(engine, &err);
        r->raw = srv_metrics_text(engine, &r->raw_len);
        r->content_type = "text/plain; version=0.0.4; charset=utf-8";
        if (!r->raw)
            rc = out_of_memory(&err);
    }
    if (rc) {
        r->op = OP_BAD;
        r->err_code = srv_code_of(rc);
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

int srv_request_status(const srv_request *r)
{
    if (r->op == OP_EMPTY)
        return 204;
    return r->op == OP_BAD ? srv_code_status(r->err_code) : 200;
}

char *srv_request_body(srv_request *r, size_t *len, const char **content_type)
{
    *content_type = "application/json; charset=utf-8";
    char *s = NULL;
    if (r->op == OP_BAD) {
        json_t *e = json_pack("{s:{s:s, s:s}}", "error", "code", r->err_code, "message", r->err_msg);
        s = e ? json_dumps(e, ANSWER_FLAGS) : NULL;
        *len = s ? strlen(s) : 0;
        json_decref(e);
    } else if (r->raw) {
        *content_type = r->content_type ? r->content_type : "application/octet-stream";
        s = r->raw;
        *len = r->raw_len;
        r->raw = NULL;
    } else if (r->result_text) {
        s = r->result_text;
        *len = strlen(s);
        r->result_text = NULL;
    } else if (r->result) {
        s = json_dumps(r->result, ANSWER_FLAGS);
        *len = s ? strlen(s) : 0;
    } else {
        s = strdup(r->op == OP_EMPTY ? "" : "{}");
        *len = s ? strlen(s) : 0;
    }
    json_decref(r->result);
    r->result = NULL;
    return s;
}

static const char *const op_names[] = {"error", "ping", "search", "stats", "documents", "text", "health", "metrics",
                                       "file", "options"};

const char *srv_request_endpoint(const srv_request *r)
{
    return op_names[r->op];
}

const char *srv_request_describe(const srv_request *r)
{
    if (r->op == OP_SEARCH)
        return r->q ? r->q : "search";
    if (r->op == OP_BAD)
        return r->err_code ? r->err_code : "bad";
    return op_names[r->op];
}

void srv_request_free(srv_request *r)
{
    if (!r)
        return;
    json_decref(r->id);
    json_decref(r->result);
    free(r->result_text);
    free(r->raw);
    free(r->q);
    free(r->doc);
    free(r->path);
    free(r);
}
