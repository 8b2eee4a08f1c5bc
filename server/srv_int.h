/* srv_int.h — the daemon's parts, shared inside server/: the log, the engine pool,
 * the listeners' addresses, and the framing of each protocol (one file each). */
#ifndef WENSOU_SRV_INT_H
#define WENSOU_SRV_INT_H

#include "srv.h"

#include <stddef.h>
#include <sys/socket.h>

/* One line on stderr, UTC-stamped: "2026-12-03T04:00:00Z wensou serve: …". */
void srv_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* snprintf(why, len, fmt, a, b); returns -1. */
int srv_fail(char *why, size_t len, const char *fmt, const char *a, const char *b);

/* ---- the engine pool (engines.c): one engine per search thread, owned by a run ---- */
typedef struct srv_engines srv_engines;
srv_engines *srv_engines_new(const srv_config *cfg);          /* NULL when out of memory */
/* The calling thread's engine on cfg's index, opened on first use (NULL with the
 * reason in err); reset first when a SIGHUP came since its last search. */
qry_engine *srv_engines_get(srv_engines *p, qry_err *err);
void srv_engines_hup(srv_engines *p);         /* SIGHUP: every engine opens the index afresh */
void srv_engines_free(srv_engines *p);        /* after the loop ends: closes them all */

/* ---- metrics (metrics.c): counted on the loop thread, read on any ---- */
/* One answer of endpoint (srv_request_endpoint) with its HTTP status and time. */
void srv_metrics_count(const char *endpoint, int status, double ms);
/* The Prometheus text: requests by endpoint and status, search latency buckets,
 * connections, and the index's documents, passages and revision (from e). */
char *srv_metrics_text(qry_engine *e, size_t *len);
void srv_metrics_connections(long delta);

/* ---- addresses (listen.c) ---- */
/* HOST:PORT ([::1]:7700, localhost:7700) into out; 0 or -1. */
int srv_parse_host_port(const char *spec, struct sockaddr_storage *out);
int srv_is_loopback(const struct sockaddr *sa);
/* A socket file left by a dead daemon is removed; one with a live daemon is not. */
int srv_prepare_socket_path(const char *path, char *why, size_t len);

/* ---- framing (proto_*.c): bytes in → requests; answers → bytes out ---- */
typedef enum {
    SRV_FRAME_REQUEST,     /* *used bytes make a request (*out), or nothing to answer (*out NULL) */
    SRV_FRAME_MORE,        /* no complete request in the bytes yet */
    SRV_FRAME_BAD          /* malformed or over a limit: answer *out (an error) and hang up */
} srv_frame;

typedef struct {
    const char *name;
    /* The next request at the start of buf[0, len) (bytes not yet taken). *last: the
     * client asked to close after it (HTTP's Connection: close). */
    srv_frame (*next)(const srv_config *cfg, const char *buf, size_t len, size_t *used, srv_request **out,
                      int *last);
    /* The bytes that answer r (malloc'd, *len of them), on any thread. */
    char *(*answer)(srv_request *r, size_t *len);
} srv_proto;

extern const srv_proto srv_proto_ndjson;     /* proto_ndjson.c: a JSON object a line */
extern const srv_proto srv_proto_http;       /* proto_http.c: HTTP/1.1 GET */

#endif
