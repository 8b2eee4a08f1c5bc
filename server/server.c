/* srv_server.c — the daemon's event loop: one uv_loop_t, a Unix socket (mode
 * 0660; a stale one replaced, a live one refused) and optionally TCP; per
 * connection, requests are read line by line and answered in order while searches
 * run on libuv's worker threads, each thread with its own index handle. Limits:
 * line length, connections, idle time, and backpressure on clients that do not
 * read. SIGINT/SIGTERM answer what is in flight, close everything, remove the
 * socket file; SIGHUP makes every search thread open the index afresh at its
 * next request (an index replaced or deleted is noticed without it). */
#include "srv_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define READ_BUF 65536
#define MAX_QUEUED 32            /* requests of one connection waiting for answers: stop reading past it */
#define SMALL_ANSWER 4096        /* an answer this small (ping, errors) passes the memory budget */
#define STOP_GRACE_MS 2000       /* after SIGTERM, clients that do not take their answers are cut off */
#define DRAIN_MS 2000            /* a refused client is closed this long after the refusal at most */

typedef struct conn conn;
typedef struct server server;

typedef struct pending {
    struct pending *next;
    conn *c;
    srv_request *req;
    char *resp;                  /* the answer line (a worker may fill it) */
    size_t resp_len;
    int ready;                   /* set on the loop thread only, once the answer may be written */
    size_t reserved;             /* bytes counted for the answer: estimated, then its size */
    uv_work_t work;
    uint64_t t0;
} pending;

struct conn {
    union { uv_pipe_t pipe; uv_tcp_t tcp; uv_stream_t stream; uv_handle_t handle; } h;
    uv_timer_t idle;
    uv_timer_t line;             /* runs while a request line is incomplete: its deadline */
    uv_timer_t write;            /* runs while answers wait to be taken: the client's deadline */
    int line_open;               /* the line timer is running */
    int write_open;              /* the write timer is running */
    server *srv;
    const srv_proto *proto;      /* how its bytes make requests and answers */
    int partial;                 /* a request begun and not complete: its deadline runs */
    char *in;
    size_t in_len, in_cap;
    pending *head, *tail;
    srv_request *stalled;        /* parsed, waiting for room in the memory budget */
    size_t queued, in_flight;
    size_t held;                 /* answer bytes counted for it: reserved, queued or being written */
    int closing, reading, eof, open_handles;
    int aborting;                /* cut off: answers are dropped, and it closes once nothing runs */
    int draining;                /* refused at connect: what it sends is read and dropped until it
                                    closes, so the refusal reaches it (closing with unread input resets) */
    uv_shutdown_t shutdown;
    int starved;                 /* stalled by the server's budget (not its own) */
    conn *prev, *next;
    char readbuf[READ_BUF];
};

struct server {
    uv_loop_t loop;
    const srv_config *cfg;
    uv_pipe_t unix_listener;
    uv_tcp_t tcp_listener, http_listener;
    int unix_open, tcp_open, http_open;
    uv_signal_t sig[3];
    uv_timer_t grace;            /* after SIGTERM: cuts off clients that do not read */
    conn *conns;
    size_t nconns, in_flight;
    size_t held;                 /* answer bytes held for all connections */
    size_t nstarved;
    int stopping;
    srv_engines *engines;        /* the search threads' engines */
};

/* ---- connections ---- */

static void conn_maybe_close(conn *c);
static void conn_read_start(conn *c);
static void conn_read_stop(conn *c);
static void take_lines(conn *c);
static void watch_line(conn *c);
static void conn_abort(conn *c);

/* Answer bytes held for c (and the server), on the loop thread. */
static void hold_add(conn *c, size_t n)
{
    c->held += n;
    c->srv->held += n;
}

static void hold_sub(conn *c, size_t n)
{
    c->held -= n;
    c->srv->held -= n;
}

static void set_starved(conn *c, int starved)
{
    if (c->starved == starved)
        return;
    c->starved = starved;
    if (starved)
        c->srv->nstarved++;
    else
        c->srv->nstarved--;
}

static void drop_pending(conn *c, pending *p)
{
    hold_sub(c, p->reserved);
    srv_request_free(p->req);
    free(p->resp);
    free(p);
}

/* Once stopping and nothing is left, the signal watchers and the grace timer go,
 * and the loop ends. */
static void maybe_finish(server *s)
{
    if (!s->stopping || s->nconns || s->in_flight)
        return;
    for (int i = 0; i < 3; i++)
        if (!uv_is_closing((uv_handle_t *)&s->sig[i]))
            uv_close((uv_handle_t *)&s->sig[i], NULL);
    if (!uv_is_closing((uv_handle_t *)&s->grace))
        uv_close((uv_handle_t *)&s->grace, NULL);
}

static void on_handle_closed(uv_handle_t *h)
{
    conn *c = h->data;
    if (--c->open_handles > 0)
        return;
    server *s = c->srv;
    if (c->prev)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next)
        c->next->prev = c->prev;
    s->nconns--;
    srv_metrics_connections(-1);
    while (c->head) {
        pending *p = c->head;
        c->head = p->next;
        drop_pending(c, p);
    }
    srv_request_free(c->stalled);
    set_starved(c, 0);
    free(c->in);
    free(c);
    maybe_finish(s);
}

static void conn_close_now(conn *c)
{
    if (uv_is_closing(&c->h.handle))
        return;
    uv_close(&c->h.handle, on_handle_closed);    /* writes still queued are cancelled */
    uv_close((uv_handle_t *)&c->idle, on_handle_closed);
    uv_close((uv_handle_t *)&c->line, on_handle_closed);
    uv_close((uv_handle_t *)&c->write, on_handle_closed);
}

/* Closes once nothing is in flight and every answer is written. */
static void conn_maybe_close(conn *c)
{
    if (c->draining)
        return;                                /* it closes when the client does, or at its deadline */
    int lines_waiting = !c->closing && ((c->in_len && !c->partial) || c->stalled);
    if (c->in_flight == 0 && c->head == NULL && (c->closing || c->eof) && !lines_waiting
        && uv_stream_get_write_queue_size(&c->h.stream) == 0)
        conn_close_now(c);
}

typedef struct {
    uv_write_t req;
    conn *c;
    char *data;
    size_t bytes;                /* held for it */
} write_req;

/* Takes the lines c may send now, and reads again when nothing holds it back. */
static void resume(conn *c)
{
    if (c->closing || c->srv->stopping)
        return;
    take_lines(c);
    if (!c->reading && !c->eof && !c->closing && !c->stalled && c->queued < MAX_QUEUED
        && uv_stream_get_write_queue_size(&c->h.stream) < c->srv->cfg->low_water)
        conn_read_start(c);
}

/* Room came free in the server's budget: the connections it stalled go on. */
static void wake_starved(server *s)
{
    for (conn *c = s->conns; c && s->nstarved; c = c->next)
        if (c->starved)
            resume(c);
}

static void on_written(uv_write_t *w, int status)
{
    write_req *wr = (write_req *)w;
    conn *c = wr->c;
    hold_sub(c, wr->bytes);
    free(wr->data);
    free(wr);
    if (status < 0)
        c->closing = 1;                        /* answers still queued are dropped at close */
    if (uv_stream_get_write_queue_size(&c->h.stream) == 0) {
        uv_timer_stop(&c->write);
        c->write_open = 0;
    } else if (c->write_open) {
        uv_timer_again(&c->write);             /* the client took something: its deadline moves on */
    }
    if (c->draining && status == 0 && uv_stream_get_write_queue_size(&c->h.stream) == 0
        && !uv_is_closing(&c->h.handle) && uv_shutdown(&c->shutdown, &c->h.stream, NULL) != 0)
        conn_close_now(c);                     /* the refusal is out: end our side */
    if (uv_stream_get_write_queue_size(&c->h.stream) < c->srv->cfg->low_water)
        resume(c);                             /* the client caught up: what it sent first */
    if (c->srv->nstarved)
        wake_starved(c->srv);
    conn_maybe_close(c);
}

/* Answers are waiting and the client took none of them for write_timeout_ms. */
static void on_write_deadline(uv_timer_t *t)
{
    conn *c = t->data;
    c->write_open = 0;
    if (c->srv->cfg->verbose)
        srv_log("cut off a client that took no answer for %u ms", c->srv->cfg->write_timeout_ms);
    conn_abort(c);
}

/* Writes the answers at the head of the queue that are ready, in order. */
static void flush_ready(conn *c)
{
    while (c->head && c->head->ready && !uv_is_closing(&c->h.handle)) {
        pending *p = c->head;
        c->head = p->next;
        if (!c->head)
            c->tail = NULL;
        c->queued--;
        write_req *wr = malloc(sizeof *wr);
        if (wr) {
            wr->c = c;
            wr->data = p->resp;
            wr->bytes = p->reserved;           /* still held until written */
            p->reserved = 0;
            uv_buf_t buf = uv_buf_init(p->resp, (unsigned)p->resp_len);
            if (uv_write(&wr->req, &c->h.stream, &buf, 1, on_written) != 0) {
                hold_sub(c, wr->bytes);        /* the callback will not run */
                free(wr->data);
                free(wr);
                c->closing = 1;
            }
        } else {
            free(p->resp);
            c->closing = 1;
        }
        p->resp = NULL;
        double ms = (double)(uv_hrtime() - p->t0) / 1e6;
        if (p->req)
            srv_metrics_count(srv_request_endpoint(p->req), srv_request_status(p->req), ms);
        if (c->srv->cfg->verbose)
            srv_log("%s (%.2f ms)", p->req ? srv_request_describe(p->req) : "refused", ms);
        drop_pending(c, p);
    }
    size_t queued_bytes = uv_stream_get_write_queue_size(&c->h.stream);
    if (queued_bytes && !c->write_open && !uv_is_closing(&c->h.handle)) {
        uv_timer_start(&c->write, on_write_deadline, c->srv->cfg->write_timeout_ms, c->srv->cfg->write_timeout_ms);
        c->write_open = 1;
    }
    if (queued_bytes > c->srv->cfg->high_water)
        conn_read_stop(c);                     /* backpressure: the client is not reading */
    conn_maybe_close(c);
}

/* The answer's bytes, as the connection's protocol frames them. */
static void make_response(pending *p)
{
    p->resp = p->c->proto->answer(p->req, &p->resp_len);
}

/* The answer is made: what it holds is its size now, not the estimate. */
static void answer_ready(pending *p)
{
    size_t size = p->resp ? p->resp_len : 0;
    if (size > p->reserved)
        hold_add(p->c, size - p->reserved);
    else
        hold_sub(p->c, p->reserved - size);
    p->reserved = size;
    p->ready = 1;
}

static void work_cb(uv_work_t *w)
{
    pending *p = w->data;
    qry_err err = {0};
    qry_engine *e = srv_request_needs_engine(p->req) ? srv_engines_get(p->c->srv->engines, &err) : NULL;
    if (e || !srv_request_needs_engine(p->req))
        srv_request_run(p->req, e, p->c->srv->cfg->query_timeout_ms);
    else
        srv_request_fail(p->req, err.code, err.msg);
    make_response(p);
}

static void after_work_cb(uv_work_t *w, int status)
{
    pending *p = w->data;
    conn *c = p->c;
    server *s = c->srv;
    if (status == UV_ECANCELED || !p->resp)
        make_response(p);
    answer_ready(p);
    c->in_flight--;
    s->in_flight--;
    if (c->aborting)
        conn_abort(c);
    else
        flush_ready(c);
    maybe_finish(s);
}

/* Appends p to the connection's answers, in request order. */
static void queue_push(conn *c, pending *p)
{
    if (c->tail)
        c->tail->next = p;
    else
        c->head = p;
    c->tail = p;
    c->queued++;
}

static void enqueue(conn *c, srv_request *req)
{
    pending *p = calloc(1, sizeof *p);
    if (!p) {
        srv_request_free(req);
        c->closing = 1;
        return;
    }
    p->c = c;
    p->req = req;
    p->t0 = uv_hrtime();
    p->work.data = p;
    p->reserved = srv_request_answer_estimate(req);
    hold_add(c, p->reserved);
    queue_push(c, p);
    if (srv_request_needs_worker(req)) {
        c->in_flight++;
        c->srv->in_flight++;
        if (uv_queue_work(&c->srv->loop, &p->work, work_cb, after_work_cb) != 0) {
            c->in_flight--;
            c->srv->in_flight--;
            make_response(p);
            answer_ready(p);
        }
    } else {
        make_response(p);
        answer_ready(p);
    }
}

/* Queues an error answer (req: one made by srv_request_error, or NULL when out of
 * memory); it needs no worker, so it is ready at once. */
static void refuse_with(conn *c, srv_request *req)
{
    if (req)
        enqueue(c, req);
    else
        c->closing = 1;
}

static void refuse(conn *c, const char *code, const char *msg)
{
    refuse_with(c, srv_request_error(code, msg));
}

static void conn_read_stop(conn *c)
{
    if (c->reading) {
        uv_read_stop(&c->h.stream);
        c->reading = 0;
    }
}

/* Answers a bad request that ends the connection (too long, never finished,
 * malformed framing), drops what is buffered, and closes once the answers before
 * it are written. */
static void refuse_and_hang_up(conn *c, srv_request *why)
{
    refuse_with(c, why);
    c->closing = 1;
    c->in_len = 0;
    conn_read_stop(c);
    flush_ready(c);
}

/* Cuts c off (a client that takes no answers, or shutdown's grace is over):
 * reading stops, answers not yet written are dropped, queued writes are cancelled,
 * and it closes as soon as no search of its own is running. */
static void conn_abort(conn *c)
{
    c->closing = 1;
    c->aborting = 1;
    conn_read_stop(c);
    pending **link = &c->head;
    c->tail = NULL;
    while (*link) {
        pending *p = *link;
        if (p->ready) {                        /* made: dropped; running: dropped when done */
            *link = p->next;
            c->queued--;
            drop_pending(c, p);
        } else {
            c->tail = p;
            link = &p->next;
        }
    }
    if (c->in_flight == 0)
        conn_close_now(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
    (void)suggested;
    conn *c = h->data;
    *buf = uv_buf_init(c->readbuf, sizeof c->readbuf);
}

static void on_read(uv_stream_t *st, ssize_t n, const uv_buf_t *buf)
{
    conn *c = st->data;
    const srv_config *cfg = c->srv->cfg;
    (void)buf;
    if (c->draining) {                         /* refused: input is dropped; its EOF closes */
        if (n < 0)
            conn_close_now(c);
        return;
    }
    if (n < 0) {                               /* EOF or error: answer what was asked, then close */
        conn_read_stop(c);
        c->eof = 1;
        conn_maybe_close(c);
        return;
    }
    if (n == 0)
        return;
    uv_timer_again(&c->idle);
    if (c->in_len + (size_t)n > c->in_cap) {
        size_t cap = c->in_cap ? c->in_cap : 4096;
        while (cap < c->in_len + (size_t)n)
            cap *= 2;
        if (cap > cfg->max_line + READ_BUF)
            cap = cfg->max_line + READ_BUF;
        char *ni = cap >= c->in_len + (size_t)n ? realloc(c->in, cap) : NULL;
        if (!ni) {
            refuse_and_hang_up(c, srv_request_error("bad_request", "request over the limit"));
            return;
        }
        c->in = ni;
        c->in_cap = cap;
    }
    memcpy(c->in + c->in_len, c->readbuf, (size_t)n);
    c->in_len += (size_t)n;
    take_lines(c);
    if (!c->closing)
        watch_line(c);
}

/* Whether an answer of about est bytes may be made now for c: MAX_QUEUED answers
 * at most, its answers held under high water (one at a time past it), and the
 * server's under its memory budget (small answers always pass: a ping is answered
 * whatever others do; so does one answer when nothing is held). A connection the budget stops is marked starved. */
static int admits(conn *c, size_t est)
{
    const srv_config *cfg = c->srv->cfg;
    if (c->queued >= MAX_QUEUED || (c->held && c->held + est > cfg->high_water))
        return 0;
    int room = est <= SMALL_ANSWER || c->srv->held == 0 || c->srv->held + est <= cfg->memory_budget;
    set_starved(c, !room);
    return room;
}

/* Takes and queues the complete requests buffered while admits() lets them in
 * (the connection's protocol frames them): the rest stays buffered (one parsed
 * request stalled), and reading stops, until answers go out (admission before
 * the work: a client pipelining without reading holds about high_water of answers
 * and one read buffer). */
static void take_lines(conn *c)
{
    if (c->stalled && admits(c, srv_request_answer_estimate(c->stalled))) {
        srv_request *r = c->stalled;
        c->stalled = NULL;
        enqueue(c, r);
    }
    size_t start = 0;
    c->partial = 0;
    while (!c->stalled && !c->closing && c->queued < MAX_QUEUED && start < c->in_len) {
        size_t used;
        srv_request *r;
        int last;
        srv_frame f = c->proto->next(c->srv->cfg, c->in + start, c->in_len - start, &used, &r, &last);
        if (f == SRV_FRAME_BAD) {
            refuse_and_hang_up(c, r);
            return;
        }
        if (f == SRV_FRAME_MORE) {
            c->partial = 1;
            break;
        }
        start += used;
        if (!r && used == 0)
            c->closing = 1;                    /* nothing taken: out of memory */
        else if (!r)
            ;                                  /* nothing to answer (an empty line) */
        else if (admits(c, srv_request_answer_estimate(r)))
            enqueue(c, r);
        else
            c->stalled = r;
        if (last)
            c->closing = 1;                    /* the client closes after this answer */
    }
    memmove(c->in, c->in + start, c->in_len - start);
    c->in_len -= start;
    if (c->queued >= MAX_QUEUED || c->stalled)
        conn_read_stop(c);                     /* pipelining past what it may hold: wait for answers */
    flush_ready(c);
}

static void conn_read_start(conn *c)
{
    if (uv_read_start(&c->h.stream, on_alloc, on_read) == 0)
        c->reading = 1;
}

/* A request line begun and not finished within line_timeout_ms (a client sending a
 * byte now and then to hold a connection): refused, and the connection closed. */
static void on_line_deadline(uv_timer_t *t)
{
    conn *c = t->data;
    c->line_open = 0;
    if (c->closing || uv_is_closing(&c->h.handle))
        return;
    refuse_and_hang_up(c, srv_request_error("bad_request", "request line not completed in time"));
}

/* Starts the deadline when the buffer ends in an incomplete request, stops it when not. */
static void watch_line(conn *c)
{
    int partial = c->partial && c->in_len > 0;
    if (partial && !c->line_open) {
        uv_timer_start(&c->line, on_line_deadline, c->srv->cfg->line_timeout_ms, 0);
        c->line_open = 1;
    } else if (!partial && c->line_open) {
        uv_timer_stop(&c->line);
        c->line_open = 0;
    }
}

/* A refused client that neither reads nor closes: closed anyway. */
static void on_drain_deadline(uv_timer_t *t)
{
    conn_close_now(t->data);
}

static void on_idle(uv_timer_t *t)
{
    conn *c = t->data;
    if (c->in_flight == 0 && c->head == NULL)
        conn_close_now(c);
}

static void on_connection(uv_stream_t *listener, int status)
{
    server *s = listener->data;
    if (status < 0 || s->stopping)
        return;
    conn *c = calloc(1, sizeof *c);
    if (!c)
        return;
    c->srv = s;
    c->proto = listener == (uv_stream_t *)&s->http_listener ? &srv_proto_http : &srv_proto_ndjson;
    int rc = listener == (uv_stream_t *)&s->unix_listener ? uv_pipe_init(&s->loop, &c->h.pipe, 0)
                                                          : uv_tcp_init(&s->loop, &c->h.tcp);
    if (rc) {
        free(c);
        return;
    }
    c->h.handle.data = c;
    uv_timer_t *timers[3] = {&c->idle, &c->line, &c->write};
    for (int i = 0; i < 3; i++) {
        uv_timer_init(&s->loop, timers[i]);
        timers[i]->data = c;
    }
    c->open_handles = 4;
    c->next = s->conns;
    if (s->conns)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    srv_metrics_connections(1);
    if (uv_accept(listener, &c->h.stream) != 0) {
        conn_close_now(c);
        return;
    }
    /* answers go out as they are made: Nagle's wait for an ACK (delayed 40 ms) held
     * pipelined answers back (HTTP depth 8: p99 52 ms against 16 ms over the Unix socket) */
    if (listener != (uv_stream_t *)&s->unix_listener)
        uv_tcp_nodelay(&c->h.tcp, 1);
    uv_timer_start(&c->idle, on_idle, s->cfg->idle_timeout_ms, s->cfg->idle_timeout_ms);
    if (s->nconns > s->cfg->max_connections) {
        refuse(c, "too_many_connections", "the daemon has too many connections; try again later");
        c->closing = 1;
        c->draining = 1;
        conn_read_start(c);
        uv_timer_start(&c->line, on_drain_deadline, DRAIN_MS, 0);
        flush_ready(c);
        return;
    }
    conn_read_start(c);
}

/* ---- signals and shutdown ---- */

/* Shutdown's grace is over: clients still not taking their answers are cut off. */
static void on_grace_over(uv_timer_t *t)
{
    server *s = t->data;
    size_t cut = 0;
    for (conn *c = s->conns; c; c = c->next)
        if (!uv_is_closing(&c->h.handle)) {
            conn_abort(c);
            cut++;
        }
    if (cut)
        srv_log("cut off %zu clients that did not take their answers", cut);
}

static void on_signal(uv_signal_t *sig, int signum)
{
    server *s = sig->data;
    if (signum == SIGHUP) {
        srv_engines_hup(s->engines);
        srv_log("SIGHUP: every search thread opens the index afresh at its next request");
        return;
    }
    if (s->stopping)
        return;
    s->stopping = 1;
    srv_log("stopping (%s): answering %zu requests in flight", signum == SIGINT ? "SIGINT" : "SIGTERM", s->in_flight);
    if (s->unix_open)
        uv_close((uv_handle_t *)&s->unix_listener, NULL);
    if (s->tcp_open)
        uv_close((uv_handle_t *)&s->tcp_listener, NULL);
    if (s->http_open)
        uv_close((uv_handle_t *)&s->http_listener, NULL);
    for (conn *c = s->conns; c; c = c->next) {
        conn_read_stop(c);
        c->closing = 1;
        conn_maybe_close(c);
    }
    uv_timer_start(&s->grace, on_grace_over, STOP_GRACE_MS, 0);
    maybe_finish(s);
}

/* ---- listeners ---- */

/* Binds and listens on a TCP HOST:PORT (checked by srv_config_check). */
static int listen_tcp(server *s, uv_tcp_t *l, int *open, const char *spec, char *why, size_t len)
{
    struct sockaddr_storage addr;
    srv_parse_host_port(spec, &addr);
    uv_tcp_init(&s->loop, l);
    l->data = s;
    *open = 1;
    int rc = uv_tcp_bind(l, (struct sockaddr *)&addr, 0);
    if (!rc)
        rc = uv_listen((uv_stream_t *)l, 128, on_connection);
    if (rc)
        return srv_fail(why, len, "%s: %s", spec, uv_strerror(rc));
    srv_log("listening on %s%s", spec, l == &s->http_listener ? " (HTTP)" : "");
    return 0;
}

static int start_listeners(server *s, char *why, size_t len)
{
    const srv_config *c = s->cfg;
    struct sockaddr_storage addr;
    if (srv_config_check(c, why, len))        /* before binding anything */
        return -1;
    if (c->listen_addr)
        srv_parse_host_port(c->listen_addr, &addr);
    if (c->socket_path) {
        if (srv_prepare_socket_path(c->socket_path, why, len))
            return -1;
        uv_pipe_init(&s->loop, &s->unix_listener, 0);
        s->unix_listener.data = s;
        s->unix_open = 1;
        int rc = uv_pipe_bind(&s->unix_listener, c->socket_path);
        if (!rc && chmod(c->socket_path, 0660) != 0)
            rc = uv_translate_sys_error(errno);
        if (!rc)
            rc = uv_listen((uv_stream_t *)&s->unix_listener, 128, on_connection);
        if (rc)
            return srv_fail(why, len, "%s: %s", c->socket_path, uv_strerror(rc));
        srv_log("listening on %s", c->socket_path);
    }
    if (c->listen_addr) {
        if (!srv_is_loopback((struct sockaddr *)&addr))
            srv_log("WARNING: listening on %s, beyond this machine: the protocol has no authentication", c->listen_addr);
        if (listen_tcp(s, &s->tcp_listener, &s->tcp_open, c->listen_addr, why, len))
            return -1;
    }
    if (c->http_addr && listen_tcp(s, &s->http_listener, &s->http_open, c->http_addr, why, len))
        return -1;
    return 0;
}

static void close_walk(uv_handle_t *h, void *arg)
{
    (void)arg;
    if (!uv_is_closing(h))
        uv_close(h, NULL);
}

int srv_run(const srv_config *cfg, char *why, size_t why_len)
{
    /* libuv reads the pool size when the first work is queued: one search thread per
     * CPU (its default, 4, ran 10-15% fewer requests/s on 2 CPUs) */
    unsigned workers = cfg->workers ? cfg->workers : uv_available_parallelism();
    char nworkers[16];
    snprintf(nworkers, sizeof nworkers, "%u", workers < 1 ? 1 : workers > 1024 ? 1024 : workers);
    setenv("UV_THREADPOOL_SIZE", nworkers, 1);
    /* a client that hangs up with answers pending must cost an EPIPE, not the daemon */
    signal(SIGPIPE, SIG_IGN);
    server *s = calloc(1, sizeof *s);
    if (!s)
        return srv_fail(why, why_len, "%s%s", "out of memory", "");
    s->cfg = cfg;
    if (!(s->engines = srv_engines_new(cfg))) {
        free(s);
        return srv_fail(why, why_len, "%s%s", "out of memory", "");
    }
    uv_loop_init(&s->loop);
    static const int signums[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++) {
        uv_signal_init(&s->loop, &s->sig[i]);
        s->sig[i].data = s;
        uv_signal_start(&s->sig[i], on_signal, signums[i]);
    }
    uv_timer_init(&s->loop, &s->grace);
    s->grace.data = s;
    int rc = start_listeners(s, why, why_len);
    if (rc == 0) {
        srv_log("serving %s with %s search threads", cfg->db_path, nworkers);
        uv_run(&s->loop, UV_RUN_DEFAULT);
    } else {
        uv_walk(&s->loop, close_walk, NULL);
        uv_run(&s->loop, UV_RUN_DEFAULT);
    }
    int closed = uv_loop_close(&s->loop);
    if (cfg->socket_path && s->unix_open)
        unlink(cfg->socket_path);
    srv_engines_free(s->engines);
    if (rc == 0 && closed != 0)
        rc = srv_fail(why, why_len, "%s%s", "uv_loop_close: handles were left open", "");
    if (rc == 0)
        srv_log("stopped");
    free(s);
    return rc;
}
