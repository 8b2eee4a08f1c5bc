/* load.c — a load client for `wensou serve`: N connections (one thread each), each
 * sending the queries of a file in turn, DEPTH at a time (pipelining), for SECONDS;
 * reports requests/s and latency p50/p99/p99.9 (send to answer).
 * usage: load SOCKET QUERIES [CONNECTIONS] [SECONDS] [DEPTH] */
#include <jansson.h>
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

static void *run(void *arg)
{
    worker *w = arg;
    struct sockaddr_un sa = {0};
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
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
            char *nl;
            while ((nl = memchr(buf, '\n', blen)) != NULL && got < depth) {
                if (w->n == w->cap) {
                    w->cap = w->cap ? w->cap * 2 : 4096;
                    w->lat = realloc(w->lat, w->cap * sizeof *w->lat);
                }
                w->lat[w->n++] = now() - sent[got];
                if (!memmem(buf, (size_t)(nl - buf), "\"ok\":true", 9))
                    w->errors++;
                size_t used = (size_t)(nl - buf) + 1;
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
               "wensou serve", (double)total / dt, all[total / 2] * 1e3, all[(size_t)(total * 0.99)] * 1e3,
               all[(size_t)(total * 0.999)] * 1e3, conns, depth, total, errors);
    free(all);
    free(w);
    free(th);
    return 0;
}
