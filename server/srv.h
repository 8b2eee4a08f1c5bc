/* srv.h — `wensou serve`: a libuv query daemon on a Unix socket (and, when asked,
 * TCP). Newline-delimited JSON requests, answered in order per connection;
 * searches run on worker threads, each with its own index handle. */
#ifndef WENSOU_SRV_H
#define WENSOU_SRV_H

#include "qry.h"
#include <jansson.h>

typedef struct {
    const char *db_path;
    const char *socket_path;          /* NULL: no Unix socket */
    const char *listen_addr;          /* HOST:PORT, or NULL */
    const char *http_addr;            /* HOST:PORT for HTTP/1.1, or NULL */
    const char *token;                /* HTTP's bearer token (required beyond loopback), or NULL */
    const char *const *cors_origins;  /* origins a browser may call HTTP from (NULL-terminated), or NULL */
    const char *web_dir;              /* the web page's files, served at / over HTTP; NULL: none */
    int allow_remote;                 /* bind a non-loopback TCP address */
    int verbose;                      /* one log line per request */
    size_t max_line;                  /* a longer request line is refused, and the connection closed */
    size_t max_connections;
    unsigned idle_timeout_ms;
    unsigned line_timeout_ms;         /* a request line must be complete this long after its first byte */
    unsigned query_timeout_ms;        /* a search stops with "timeout" after this long; 0: no limit */
    size_t high_water, low_water;     /* pending output that stops / resumes reading a client */
    size_t memory_budget;             /* answers held for all clients (made, being made, unsent):
                                         past it, large answers wait for room */
    unsigned write_timeout_ms;        /* a client that takes no answer this long is cut off */
    unsigned workers;                 /* search threads; 0: one per CPU (more only add switching) */
    const seg_dict *dict;
    const qry_synonyms *syn;
} srv_config;

void srv_config_defaults(srv_config *c);
/* Checks what the user gave before anything is bound: the TCP address is HOST:PORT
 * (loopback unless allow_remote), the socket path fits a sockaddr_un. Returns 0, or
 * -1 with the reason in why. */
int srv_config_check(const srv_config *c, char *why, size_t why_len);

/* Runs until SIGINT or SIGTERM, then answers what is in flight, closes everything
 * and removes the socket file. Returns 0, or -1 with the reason in why. */
int srv_run(const srv_config *c, char *why, size_t why_len);

/* ---- the protocol both halves speak (protocol.c) ---- */
/* A search request's counts: their names (NDJSON fields, HTTP parameters), their
 * largest values and what an absent one means. */
typedef enum { SRV_LIMIT, SRV_OFFSET, SRV_PER_DOC, SRV_TIMEOUT_MS, SRV_NCOUNTS } srv_count;
typedef struct {
    const char *name;
    size_t max, fallback;
} srv_count_field;
extern const srv_count_field srv_search_counts[SRV_NCOUNTS];
/* 0 when v is a whole number in [0, max] (-1 stands for anything that is not
 * one); else -1 with the error message, naming the field, in msg. */
int srv_whole_number(const char *name, size_t max, long long v, char *msg, size_t len);
/* The error code answering a query side's failure (QRY_E*): "timeout", … */
const char *srv_code_of(int qry_rc);
/* The HTTP status of an error code (400 bad_request, 504 timeout, …; 500 for
 * internal, index_error and codes it does not know). */
int srv_code_status(const char *code);
/* The request line (with its newline, malloc'd) a client sends for req. */
char *srv_search_line(const qry_request *req, long long id, size_t *len);
/* Reads an answer line: 1 when ok (*result: its "result", a new reference or
 * NULL), 0 when an error (its code and message copied out), -1 when not JSON. */
int srv_answer_read(const char *line, size_t len, json_t **result, char *code, size_t code_len, char *msg,
                    size_t msg_len);

/* ---- requests (request.c): used by the server and testable on their own ---- */
typedef struct srv_request srv_request;

/* What the HTTP framing asks of an answer beside its body. */
typedef struct {
    char origin[256];                 /* CORS: the origin to allow in the answer, or "" */
    int close;                        /* Connection: close after it */
    int head;                         /* a HEAD request: the headers only */
    int csv;                          /* a search answered as a CSV table */
} srv_wire;

/* Requests made by the HTTP framing (request.c checks their values as it does a
 * line's; a bad one answers bad_request). op: "search", "stats", "ping",
 * "documents", "health", "metrics". */
srv_request *srv_request_op(const char *op);
/* counts: the URL's value of each of srv_search_counts (NULL: absent). */
srv_request *srv_request_search(const char *q, const char *const counts[SRV_NCOUNTS]);
srv_request *srv_request_text(const char *id, const char *start, const char *end);
/* A file of the web page (path already checked), and an empty 204 answer (OPTIONS). */
srv_request *srv_request_file(const char *path, const char *content_type);
srv_request *srv_request_empty(void);
srv_wire *srv_request_wire(srv_request *r);
/* The HTTP status of the answer (200, 204, 400, 401, 404, 405, 413, 422, 500, 503, 504). */
int srv_request_status(const srv_request *r);
/* The answer's body alone (a result object, {"error": {…}}, a table, a file) with its
 * content type; consumes the result like srv_request_response (call one of them once). */
char *srv_request_body(srv_request *r, size_t *len, const char **content_type);
/* The endpoint for metrics: "search", "documents", …, "error". */
const char *srv_request_endpoint(const srv_request *r);

/* Parses one request line. Always returns a request; a malformed one answers with
 * a bad_request error when run. */
srv_request *srv_request_parse(const char *line, size_t len);
/* The answer ops that need no index (ping, errors) are ready without running. */
int srv_request_needs_worker(const srv_request *r);
/* Whether it runs on an engine (a file of the web page does not). */
int srv_request_needs_engine(const srv_request *r);
/* About how many bytes its answer takes (a search: by its limit), counted against
 * the server's limits before it runs. */
size_t srv_request_answer_estimate(const srv_request *r);
/* Runs the request with engine (a worker thread's own); fills the response. A
 * search stops after max_timeout_ms (0: no limit), or the request's own
 * timeout_ms when shorter, answering "timeout". */
void srv_request_run(srv_request *r, qry_engine *engine, unsigned max_timeout_ms);
/* A request that answers an error (code: bad_request, too_many_connections …)
 * without running: what a framing refuses. NULL when out of memory. */
srv_request *srv_request_error(const char *code, const char *msg);
/* Makes r answer an error of the query side (rc, a QRY_E* code, and its message):
 * when no engine could be opened for it. */
void srv_request_fail(srv_request *r, int rc, const char *msg);
/* The response line (no newline), malloc'd; it consumes the result (call once). */
char *srv_request_response(srv_request *r, size_t *len);
const char *srv_request_describe(const srv_request *r);   /* for logs: "search 营商环境" */
void srv_request_free(srv_request *r);

#endif
