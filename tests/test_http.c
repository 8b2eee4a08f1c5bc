/* test_http.c — `wensou serve --http` as a browser, curl or a script meets it: each
 * endpoint, errors as JSON with their status, keep-alive and pipelining, the bearer
 * token and CORS rules, and hostile requests (bad methods, bodies, huge headers,
 * bad percent-encoding, a head that never ends) answered and the connection closed. */
#define _GNU_SOURCE
#include "run.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64], db[128], sock[128], logpath[128], tokpath[128];
static int port;
static pid_t daemon_pid;

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int tcp_connect(void)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                              .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sin, sizeof sin) == 0) {
        struct timeval tv = {30, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        return fd;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

/* A port the kernel has just called free (bound to port 0, then let go). */
static int free_port(void)
{
    struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sin;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    cr_assert(fd >= 0 && bind(fd, (struct sockaddr *)&sin, sizeof sin) == 0 &&
              getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
    close(fd);
    return ntohs(sin.sin_port);
}

/* Starts the daemon with --http on a free port and up to four more arguments; a
 * daemon that exits before it listens (another process took the port meanwhile)
 * is started again on another. */
static void start(const char *a, const char *b, const char *c, const char *d)
{
    char http[32] = "";
    for (int attempt = 0; attempt < 5; attempt++) {
        port = free_port();
        snprintf(http, sizeof http, "127.0.0.1:%d", port);
        daemon_pid = fork();
        if (daemon_pid == 0) {
            FILE *log = freopen(logpath, "a", stderr);
            (void)log;
            execl(WENSOU_TEST_BINARY, WENSOU_TEST_BINARY, "serve", "--db", db, "--socket", sock, "--http", http,
                  "--verbose", a, b, c, d, (char *)NULL);
            _exit(127);
        }
        for (int i = 0; i < 400; i++) {
            if (waitpid(daemon_pid, NULL, WNOHANG) == daemon_pid) {
                daemon_pid = 0;
                break;                          /* it exited: the port was taken */
            }
            int fd = tcp_connect();
            if (fd >= 0) {
                close(fd);
                return;
            }
            sleep_ms(25);
        }
        if (daemon_pid > 0)
            break;                              /* alive but not listening: a real failure */
    }
    cr_assert_fail("the daemon did not listen on %s", http);
}

static void setup(void)
{
    strcpy(dir, "/tmp/wensou-http-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/db", dir);
    snprintf(sock, sizeof sock, "%s/s.sock", dir);
    snprintf(logpath, sizeof logpath, "%s/serve.log", dir);
    snprintf(tokpath, sizeof tokpath, "%s/token", dir);
    run_result r = run_args("", "index", "--quiet", "--db", db, WENSOU_TEST_CORPUS, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

static void setup_started(void)
{
    setup();
    start(NULL, NULL, NULL, NULL);
}

static void teardown(void)
{
    if (daemon_pid > 0) {
        kill(daemon_pid, SIGTERM);
        waitpid(daemon_pid, NULL, 0);
        daemon_pid = 0;
    }
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

/* ---- a client reading answers off one connection ---- */

typedef struct {
    int fd;
    char *buf;
    size_t len, cap;
} conn;

typedef struct {
    int status;
    char head[8192];             /* the header lines, lower-cased names */
    char *body;
    size_t body_len;
} answer;

static void conn_open(conn *c)
{
    memset(c, 0, sizeof *c);
    c->fd = tcp_connect();
    cr_assert_geq(c->fd, 0, "cannot connect");
}

static void conn_send(conn *c, const char *s, size_t n)
{
    while (n) {
        ssize_t w = send(c->fd, s, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;                              /* the daemon may have hung up: the test reads why */
        s += w;
        n -= (size_t)w;
    }
}

/* Reads until the buffer holds len bytes more than `have`, or EOF (0: EOF first). */
static int fill(conn *c, size_t want)
{
    while (c->len < want) {
        if (c->len == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 65536;
            c->buf = realloc(c->buf, c->cap + 1);
        }
        ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
        if (n <= 0)
            return 0;
        c->len += (size_t)n;
    }
    return 1;
}

/* The next answer; status 0 when the connection ended first. */
static answer next_answer(conn *c)
{
    answer a = {0};
    char *end = NULL;
    while (!(end = c->len ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL))
        if (!fill(c, c->len + 1))
            return a;
    size_t hl = (size_t)(end - c->buf) + 4;
    sscanf(c->buf, "HTTP/1.1 %d", &a.status);
    size_t n = hl < sizeof a.head - 1 ? hl : sizeof a.head - 1;
    for (size_t i = 0; i < n; i++)
        a.head[i] = c->buf[i];
    const char *cl = strcasestr(a.head, "\r\ncontent-length: ");
    size_t blen = cl ? strtoul(cl + 18, NULL, 10) : 0;
    fill(c, hl + blen);
    a.body = calloc(1, blen + 1);
    memcpy(a.body, c->buf + hl, blen <= c->len - hl ? blen : c->len - hl);
    a.body_len = blen;
    memmove(c->buf, c->buf + hl + blen, c->len - hl - blen);
    c->len -= hl + blen;
    return a;
}

/* Whether the daemon closed the connection (nothing more to read). */
static int closed(conn *c)
{
    return !fill(c, c->len + 1);
}

static void conn_close(conn *c)
{
    close(c->fd);
    free(c->buf);
}

static const char *header(const answer *a, const char *name)
{
    static char v[512];
    char key[96];
    snprintf(key, sizeof key, "\r\n%s: ", name);
    const char *at = strcasestr(a->head, key);
    if (!at)
        return NULL;
    at += strlen(key);
    size_t n = strcspn(at, "\r\n");
    snprintf(v, sizeof v, "%.*s", (int)n, at);
    return v;
}

/* One request on a fresh connection. */
static answer get(const char *path, const char *extra_headers)
{
    conn c;
    conn_open(&c);
    char req[4096];
    int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\n%sConnection: close\r\n\r\n", path,
                     extra_headers ? extra_headers : "");
    conn_send(&c, req, (size_t)n);
    answer a = next_answer(&c);
    conn_close(&c);
    return a;
}

static json_t *json_of(const answer *a)
{
    json_t *j = json_loadb(a->body, a->body_len, 0, NULL);
    cr_assert_not_null(j, "not JSON: %.200s", a->body);
    return j;
}

static const char *error_code(const answer *a)
{
    static char code[64];
    json_t *j = json_loadb(a->body, a->body_len, 0, NULL);
    snprintf(code, sizeof code, "%s", json_string_value(json_object_get(json_object_get(j, "error"), "code")) ?: "");
    json_decref(j);
    return code;
}

Test(http, every_endpoint_answers_json_and_the_page, .init = setup_started, .fini = teardown)
{
    answer a = get("/health", NULL);
    cr_expect_eq(a.status, 200);
    cr_expect_str_eq(header(&a, "content-type"), "application/json; charset=utf-8");
    json_t *j = json_of(&a);
    cr_expect_str_eq(json_string_value(json_object_get(j, "status")), "ok");
    json_decref(j);
    free(a.body);

    a = get("/search?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&limit=3", NULL);       /* 营商环境 */
    cr_expect_eq(a.status, 200);
    j = json_of(&a);
    cr_expect_gt(json_integer_value(json_object_get(j, "total")), 0);
    json_t *h = json_array_get(json_object_get(j, "hits"), 0);
    const char *text = json_string_value(json_object_get(h, "text"));
    json_t *hc = json_array_get(json_object_get(h, "highlights_chars"), 0), *hb = json_array_get(json_object_get(h, "highlights"), 0);
    /* the character range and the byte range mark the same words */
    size_t bs = (size_t)json_integer_value(json_array_get(hb, 0)), cs = (size_t)json_integer_value(json_array_get(hc, 0));
    size_t chars = 0;
    for (size_t i = 0; i < bs; i++)
        chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    cr_expect_eq(chars, cs, "highlights_chars %zu for byte %zu", cs, bs);
    const char *id = json_string_value(json_object_get(h, "doc_id"));
    cr_assert_not_null(id);
    char path[128];
    snprintf(path, sizeof path, "/documents/%s/text?start=%lld&end=%lld", id,
             (long long)json_integer_value(json_object_get(h, "start")), (long long)json_integer_value(json_object_get(h, "end")));
    char *passage = strdup(text);
    json_decref(j);
    free(a.body);

    a = get(path, NULL);                                  /* the reader: the hit's passage */
    cr_expect_eq(a.status, 200, "%s", a.body);
    j = json_of(&a);
    json_t *ps = json_object_get(j, "passages");
    cr_expect_eq(json_array_size(ps), 1);
    cr_expect_str_eq(json_string_value(json_object_get(json_array_get(ps, 0), "text")), passage);
    free(passage);
    json_decref(j);
    free(a.body);

    a = get("/documents", NULL);
    j = json_of(&a);
    cr_expect_geq(json_array_size(json_object_get(j, "documents")), 5);
    json_t *d = json_array_get(json_object_get(j, "documents"), 0);
    cr_expect(json_is_string(json_object_get(d, "title")) && json_integer_value(json_object_get(d, "passages")) > 0);
    json_decref(j);
    free(a.body);

    a = get("/search?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83&limit=2&format=csv", NULL);
    cr_expect_str_eq(header(&a, "content-type"), "text/csv; charset=utf-8");
    cr_expect(a.body_len > 3 && memcmp(a.body, "\xEF\xBB\xBFrank,title,", 14) == 0, "%.40s", a.body);
    free(a.body);

    a = get("/metrics", NULL);
    cr_expect_eq(a.status, 200);
    cr_expect_not_null(strstr(a.body, "wensou_answers_total{endpoint=\"search\",status=\"200\"}"), "%s", a.body);
    cr_expect_not_null(strstr(a.body, "wensou_search_seconds_bucket{le=\"+Inf\"}"));
    cr_expect_not_null(strstr(a.body, "wensou_index_passages "));
    free(a.body);

    a = get("/", NULL);
    cr_expect_eq(a.status, 200);
    cr_expect_str_eq(header(&a, "content-type"), "text/html; charset=utf-8");
    cr_expect_not_null(header(&a, "content-security-policy"));
    cr_expect_not_null(strstr(a.body, "app.js"));
    free(a.body);
}

Test(http, malformed_and_hostile_requests_get_json_errors, .init = setup_started, .fini = teardown)
{
    static const struct { const char *req; int status; const char *code; } cases[] = {
        {"GET /nope HTTP/1.1\r\nHost: x\r\n\r\n", 404, "not_found"},
        {"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n", 404, "not_found"},
        {"GET /search HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"},                       /* no q */
        {"GET /search?q=%E4%ZZ HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"},              /* bad %-encoding */
        {"GET /search?q=a&limit=-1 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"},
        {"GET /documents/0000000000000000/text HTTP/1.1\r\nHost: x\r\n\r\n", 404, "not_found"},
        {"GET /documents/zz/text HTTP/1.1\r\nHost: x\r\n\r\n", 404, "not_found"},
        {"DELETE /search?q=a HTTP/1.1\r\nHost: x\r\n\r\n", 405, "method_not_allowed"},
        {"POST /search HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nq=a", 405, "method_not_allowed"},
        {"GET /search?q=a HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 413, "too_large"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        conn c;
        conn_open(&c);
        conn_send(&c, cases[i].req, strlen(cases[i].req));
        answer a = next_answer(&c);
        cr_expect_eq(a.status, cases[i].status, "case %zu: %d %s", i, a.status, a.body);
        cr_expect_str_eq(error_code(&a), cases[i].code, "case %zu", i);
        free(a.body);
        conn_close(&c);
    }
    /* not HTTP at all, and a head of 100 KB: answered, then the connection closed */
    static const char *const bad[] = {"HELLO THERE\r\n\r\n", NULL};
    char *huge = malloc(110000);
    int n = snprintf(huge, 110000, "GET /health HTTP/1.1\r\nHost: x\r\nX-Fill: ");
    memset(huge + n, 'a', 100000);
    strcpy(huge + n + 100000, "\r\n\r\n");
    const char *reqs[] = {bad[0], huge};
    int statuses[] = {400, 431};
    for (size_t i = 0; i < 2; i++) {
        conn c;
        conn_open(&c);
        conn_send(&c, reqs[i], strlen(reqs[i]));
        answer a = next_answer(&c);
        cr_expect_eq(a.status, statuses[i], "bad %zu: %d", i, a.status);
        cr_expect(closed(&c), "bad %zu: the connection stays open", i);
        free(a.body);
        conn_close(&c);
    }
    free(huge);
    answer a = get("/health", NULL);                     /* and the daemon goes on */
    cr_expect_eq(a.status, 200);
    free(a.body);
}

Test(http, keep_alive_and_pipelining_answer_in_order, .init = setup_started, .fini = teardown)
{
    conn c;
    conn_open(&c);
    const char *three = "GET /search?q=%E6%B0%91%E8%90%A5%E7%BB%8F%E6%B5%8E&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"  /* 民营经济 */
                        "GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
                        "GET /search?q=%E4%B8%AD%E6%AC%A7%E7%8F%AD%E5%88%97&limit=1 HTTP/1.1\r\nHost: x\r\n\r\n"; /* 中欧班列 */
    conn_send(&c, three, strlen(three));
    const char *expect[] = {"民营经济", "\"status\":\"ok\"", "中欧班列"};
    for (int i = 0; i < 3; i++) {
        answer a = next_answer(&c);
        cr_expect_eq(a.status, 200, "answer %d", i);
        cr_expect_not_null(strstr(a.body, expect[i]), "answer %d out of order: %.100s", i, a.body);
        cr_expect_null(header(&a, "connection"), "keep-alive is the default");
        free(a.body);
    }
    /* the connection is still open: one more, asking to close */
    const char *last = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    conn_send(&c, last, strlen(last));
    answer a = next_answer(&c);
    cr_expect_eq(a.status, 200);
    cr_expect_str_eq(header(&a, "connection"), "close");
    cr_expect(closed(&c), "closed after Connection: close");
    free(a.body);
    conn_close(&c);
}

Test(http, a_head_sent_a_byte_at_a_time_is_cut_off, .init = setup_started, .fini = teardown, .timeout = 60)
{
    conn c;
    conn_open(&c);
    const char *req = "GET /health HTTP/1.1\r\nHost: x\r\n";
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    answer a = {0};
    for (size_t i = 0;; i = (i + 1) % strlen(req)) {
        conn_send(&c, req + i, 1);                     /* never the blank line that ends a head */
        struct timeval tv = {0, 500000};
        setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        char probe;
        ssize_t n = recv(c.fd, &probe, 1, MSG_PEEK);
        if (n != -1)
            break;
        clock_gettime(CLOCK_MONOTONIC, &t1);
        cr_assert_lt(t1.tv_sec - t0.tv_sec, 30, "never cut off");
    }
    struct timeval tv = {10, 0};
    setsockopt(c.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    a = next_answer(&c);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    cr_expect_eq(a.status, 400);
    cr_expect_geq(t1.tv_sec - t0.tv_sec, 9, "cut off early");
    free(a.body);
    conn_close(&c);
}

Test(http, the_token_guards_the_endpoints_not_the_page, .init = setup, .fini = teardown)
{
    FILE *f = fopen(tokpath, "w");
    fputs("s3cret-token-0123456789\n", f);
    fclose(f);
    start("--token-file", tokpath, "--cors-origin", "https://reader.example");
    answer a = get("/search?q=a", NULL);
    cr_expect_eq(a.status, 401);
    cr_expect_str_eq(error_code(&a), "unauthorized");
    cr_expect_str_eq(header(&a, "www-authenticate"), "Bearer");
    free(a.body);
    a = get("/metrics", "Authorization: Bearer wrong-token-0123456789\r\n");
    cr_expect_eq(a.status, 401);
    free(a.body);
    a = get("/health", "Authorization: Bearer s3cret-token-0123456789\r\n");
    cr_expect_eq(a.status, 200);
    free(a.body);
    a = get("/", NULL);                                  /* the page loads, then asks for the token */
    cr_expect_eq(a.status, 200);
    free(a.body);

    /* CORS: the given origin only; a preflight gets the methods and headers */
    a = get("/health", "Origin: https://reader.example\r\nAuthorization: Bearer s3cret-token-0123456789\r\n");
    cr_expect_str_eq(header(&a, "access-control-allow-origin"), "https://reader.example");
    free(a.body);
    a = get("/health", "Origin: https://evil.example\r\nAuthorization: Bearer s3cret-token-0123456789\r\n");
    cr_expect_null(header(&a, "access-control-allow-origin"));
    free(a.body);
    conn c;
    conn_open(&c);
    const char *pre = "OPTIONS /search HTTP/1.1\r\nHost: x\r\nOrigin: https://reader.example\r\n"
                      "Access-Control-Request-Method: GET\r\nAccess-Control-Request-Headers: authorization\r\n\r\n";
    conn_send(&c, pre, strlen(pre));
    a = next_answer(&c);
    cr_expect_eq(a.status, 204);
    cr_expect_not_null(header(&a, "access-control-allow-methods"));
    cr_expect_str_eq(header(&a, "access-control-allow-headers"), "Authorization");
    free(a.body);
    conn_close(&c);
}

Test(http, beyond_loopback_without_a_token_is_refused_at_start, .init = setup, .fini = teardown)
{
    run_result r = run_args("", "serve", "--db", db, "--socket", sock, "--http", "0.0.0.0:18089", (char *)NULL);
    cr_expect_eq(r.status, 2, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "token"), "%s", r.err);
    run_free(&r);
}
