/* load.c — a load client for `wensou serve`: N connections (one thread each), each
 * sending the queries of a file in turn, DEPTH at a time (pipelining), for SECONDS;
 * reports requests/s and latency p50/p99/p99.9 (send to answer). ADDRESS is the Unix
 * socket (NDJSON) or http://HOST:PORT (HTTP/1.1 GET /search, keep-alive).
 * usage: load ADDRESS QUERIES [CONNECTIONS] [SECONDS] [DEPTH] */
#include <arpa/inet.h>
#include <glib.h>
#include <jansson.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static char *queries[256];
static size_t nq;
static const char *sock_path;
static int http;                 /* sock_path is http://HOST:PORT */
static struct sockaddr_in http_addr;
static double seconds;
static int depth;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

typedef struct {
    double *lat;
    size_t n, cap, errors;
    int id;
} worker;

/* The bytes of the first complete answer in buf (0: none yet), and whether it is a success. */
static size_t ndjson_answer(const char *buf, size_t len, int *ok)
{
    const char *nl = memchr(buf, '\n', len);
    if (!nl)
        return 0;
    *ok = memmem(buf, (size_t)(nl - buf), "\"ok\":true", 9) != NULL;
    return (size_t)(nl - buf) + 1;
}

static size_t http_answer(const char *buf, size_t len, int *ok)
{
    const char *end = memmem(buf, len, "\r\n\r\n", 4);
    if (!end)
        return 0;
    const char *cl = memmem(buf, (size_t)(end - buf), "Content-Length: ", 16);
    size_t head = (size_t)(end - buf) + 4, body = cl ? strtoul(cl + 16, NULL, 10) : 0;
    if (len < head + body)
        return 0;
    *ok = len > 12 && memcmp(buf, "HTTP/1.1 200", 12) == 0;
    return head + body;
}

static void *run(void *arg)
{
    worker *w = arg;
    struct sockaddr_un sa = {0};
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
    int fd = socket(http ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
    if (http ? connect(fd, (struct sockaddr *)&http_addr, sizeof http_addr) != 0
             : connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        perror("connect");
        return NULL;
    }
    char *line = malloc(1 << 20), *buf = malloc(1 << 22);
    size_t blen = 0, qi = (size_t)w->id;
    double end = now() + seconds;
    double *sent = calloc((size_t)depth, sizeof *sent);
    while (now() < end) {
        size_t n = 0;
        for (int d = 0; d < depth; d++) {
            if (http) {
                char *q = g_uri_escape_string(queries[qi++ % nq], NULL, FALSE);
                n += (size_t)sprintf(line + n, "GET /search?q=%s&limit=10 HTTP/1.1\r\nHost: load\r\n\r\n", q);
                g_free(q);
                continue;
            }
            json_t *r = json_pack("{s:s, s:s, s:i}", "op", "search", "q", queries[qi++ % nq], "limit", 10);
            char *s = json_dumps(r, JSON_COMPACT);
            n += (size_t)sprintf(line + n, "%s\n", s);
            free(s);
            json_decref(r);
        }
        double t0 = now();
        for (int d = 0; d < depth; d++)
            sent[d] = t0;
        if (send(fd, line, n, MSG_NOSIGNAL) != (ssize_t)n)
            break;
        for (int got = 0; got < depth;) {
            size_t used;
            int ok;
            while (got < depth && (used = http ? http_answer(buf, blen, &ok) : ndjson_answer(buf, blen, &ok)) > 0) {
                if (w->n == w->cap) {
                    w->cap = w->cap ? w->cap * 2 : 4096;
                    w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
                }
                w->lat[w->n++] = now() - sent[got];
                w->errors += !ok;
                memmove(buf, buf + used, blen - used);
                blen -= used;
                got++;
            }
            if (got == depth)
                break;
            ssize_t k = recv(fd, buf + blen, (1 << 22) - blen, 0);
            if (k <= 0)
                goto out;
            blen += (size_t)k;
        }
    }
out:
    close(fd);
    free(line);
    free(buf);
    free(sent);
    return NULL;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: load SOCKET QUERIES [CONNECTIONS] [SECONDS] [DEPTH]\n");
        return 2;
    }
    sock_path = argv[1];
    if (strncmp(sock_path, "http://", 7) == 0) {
        char host[64];
        int port;
        if (sscanf(sock_path + 7, "%63[^:]:%d", host, &port) != 2 || inet_pton(AF_INET, host, &http_addr.sin_addr) != 1) {
            fprintf(stderr, "load: expected http://IPv4:PORT\n");
            return 2;
        }
        http_addr.sin_family = AF_INET;
        http_addr.sin_port = htons((uint16_t)port);
        http = 1;
    }
    int conns = argc > 3 ? atoi(argv[3]) : 32;
    seconds = argc > 4 ? atof(argv[4]) : 5;
    depth = argc > 5 ? atoi(argv[5]) : 1;
    FILE *f = fopen(argv[2], "r");
    char l[1024];
    while (f && nq < 256 && fgets(l, sizeof l, f)) {
        l[strcspn(l, "\n")] = 0;
        if (l[0])
            queries[nq++] = strdup(l);
    }
    if (f)
        fclose(f);
    pthread_t *th = calloc((size_t)conns, sizeof *th);
    worker *w = calloc((size_t)conns, sizeof *w);
    double t0 = now();
    for (int i = 0; i < conns; i++) {
        w[i].id = i;
        pthread_create(&th[i], NULL, run, &w[i]);
    }
    size_t total = 0, errors = 0;
    for (int i = 0; i < conns; i++) {
        pthread_join(th[i], NULL);
        total += w[i].n;
        errors += w[i].errors;
    }
    double dt = now() - t0;
    double *all = malloc((total ? total : 1) * sizeof *all);
    size_t k = 0;
    for (int i = 0; i < conns; i++) {
        memcpy(all + k, w[i].lat, w[i].n * sizeof *all);
        k += w[i].n;
        free(w[i].lat);
    }
    qsort(all, total, sizeof *all, cmp);
    if (total)
        printf("%-34s %8.0f req/s  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms  (%d conns, depth %d, %zu requests, %zu errors)\n",
               http ? "wensou serve (HTTP)" : "wensou serve (NDJSON)", (double)total / dt, all[total / 2] * 1e3, all[(size_t)(total * 0.99)] * 1e3,
               all[(size_t)(total * 0.999)] * 1e3, conns, depth, total, errors);
    free(all);
    free(w);
    free(th);
    return 0;
}
