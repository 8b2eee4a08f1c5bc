/* metrics.c — what the daemon has done, in the Prometheus text format (GET
 * /metrics): answers by endpoint and HTTP status, the latency of searches as a
 * histogram, open connections, and the index's size and revision. Counters are
 * written on the loop thread and read on a search thread: atomics. */
#include "srv_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const endpoints[] = {"search", "documents", "text", "health", "stats", "metrics", "file",
                                        "ping", "options", "error"};
#define NENDPOINTS (sizeof endpoints / sizeof endpoints[0])
static const int statuses[] = {200, 204, 400, 401, 404, 405, 413, 422, 431, 500, 503, 504};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])
static const double buckets_ms[] = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500};
#define NBUCKETS (sizeof buckets_ms / sizeof buckets_ms[0])

static unsigned long long answers[NENDPOINTS][NSTATUSES];
static unsigned long long search_buckets[NBUCKETS + 1];     /* the last: +Inf */
static unsigned long long search_sum_us, search_count;
static long connections;

static size_t index_of(const char *const *names, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return n - 1;                              /* "error": anything else */
}

void srv_metrics_count(const char *endpoint, int status, double ms)
{
    size_t e = index_of(endpoints, NENDPOINTS, endpoint), s = 0;
    while (s + 1 < NSTATUSES && statuses[s] != status)
        s++;
    if (statuses[s] != status)
        s = 9;                                 /* 500 */
    __atomic_add_fetch(&answers[e][s], 1, __ATOMIC_RELAXED);
    if (strcmp(endpoint, "search") != 0)
        return;
    size_t b = 0;
    while (b < NBUCKETS && ms > buckets_ms[b])
        b++;
    __atomic_add_fetch(&search_buckets[b], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&search_sum_us, (unsigned long long)(ms * 1000), __ATOMIC_RELAXED);
    __atomic_add_fetch(&search_count, 1, __ATOMIC_RELAXED);
}

void srv_metrics_connections(long delta)
{
    __atomic_add_fetch(&connections, delta, __ATOMIC_RELAXED);
}

static void gauge(qry_buf *b, const char *name, const char *help, long long value)
{
    char line[256];
    snprintf(line, sizeof line, "# HELP %s %s\n# TYPE %s gauge\n%s %lld\n", name, help, name, name, value);
    qry_buf_puts(b, line);
}

char *srv_metrics_text(qry_engine *e, size_t *len)
{
    qry_buf b = {0};
    char line[256];
    qry_buf_puts(&b, "# HELP wensou_answers_total Answers by endpoint and HTTP status.\n"
                     "# TYPE wensou_answers_total counter\n");
    for (size_t i = 0; i < NENDPOINTS; i++)
        for (size_t s = 0; s < NSTATUSES; s++) {
            unsigned long long n = __atomic_load_n(&answers[i][s], __ATOMIC_RELAXED);
            if (!n)
                continue;
            snprintf(line, sizeof line, "wensou_answers_total{endpoint=\"%s\",status=\"%d\"} %llu\n", endpoints[i],
                     statuses[s], n);
            qry_buf_puts(&b, line);
        }
    qry_buf_puts(&b, "# HELP wensou_search_seconds Time to answer a search.\n"
                     "# TYPE wensou_search_seconds histogram\n");
    unsigned long long cum = 0;
    for (size_t i = 0; i <= NBUCKETS; i++) {
        cum += __atomic_load_n(&search_buckets[i], __ATOMIC_RELAXED);
        if (i < NBUCKETS)
            snprintf(line, sizeof line, "wensou_search_seconds_bucket{le=\"%g\"} %llu\n", buckets_ms[i] / 1000, cum);
        else
            snprintf(line, sizeof line, "wensou_search_seconds_bucket{le=\"+Inf\"} %llu\n", cum);
        qry_buf_puts(&b, line);
    }
    snprintf(line, sizeof line, "wensou_search_seconds_sum %.6f\nwensou_search_seconds_count %llu\n",
             (double)__atomic_load_n(&search_sum_us, __ATOMIC_RELAXED) / 1e6,
             __atomic_load_n(&search_count, __ATOMIC_RELAXED));
    qry_buf_puts(&b, line);
    gauge(&b, "wensou_connections", "Open client connections.", __atomic_load_n(&connections, __ATOMIC_RELAXED));
    json_t *st = NULL;
    qry_err err;
    if (e && qry_stats(e, &st, &err) == 0) {
        static const char *const index_gauges[][3] = {
            {"wensou_index_documents", "Indexed documents.", "documents"},
            {"wensou_index_passages", "Indexed passages.", "passages"},
            {"wensou_index_revision", "The index revision searched.", "revision"},
            {"wensou_index_bytes", "The index's size on disk.", "bytes"},
        };
        for (size_t i = 0; i < sizeof index_gauges / sizeof index_gauges[0]; i++)
            gauge(&b, index_gauges[i][0], index_gauges[i][1], json_integer_value(json_object_get(st, index_gauges[i][2])));
    }
    json_decref(st);
    return qry_buf_finish(&b, len);
}
