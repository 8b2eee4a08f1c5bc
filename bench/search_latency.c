/* search_latency.c — wensou's query latency in process: each query of a fixed list
 * run REPEAT times against an index; prints median, p99 and mean over all runs.
 * usage: search_latency DB DICT USERDICT SYNONYMS QUERIES [REPEAT] [--each]
 * --each also prints each query's median (where the time goes). With
 * WENSOU_DEBUG_QUERY set, "-- timed passes" on stderr parts the warming pass's
 * debug lines from the timed passes'. */
#include "qry.h"
#include "xsh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fprintf(stderr, "usage: search_latency DB DICT USERDICT SYNONYMS QUERIES [REPEAT]\n");
        return 2;
    }
    xsh_allow_remote_shards(1);           /* DB may be a shard set with remote shards (bench/shards.sh) */
    int repeat = argc > 6 ? atoi(argv[6]) : 50;
    int each = argc > 7 && strcmp(argv[7], "--each") == 0;
    if (repeat < 1)
        repeat = 1;
    seg_dict *d;
    seg_err se;
    if (seg_dict_open(argv[2], argv[3], &d, &se)) {
        fprintf(stderr, "%s\n", se.msg);
        return 1;
    }
    qry_synonyms *syn;
    qry_engine *e;
    qry_err err;
    /* the related expressions beside the synonyms, as wensou finds them */
    char related[4096];
    const char *slash = strrchr(argv[4], '/');
    snprintf(related, sizeof related, "%.*srelated.txt", slash ? (int)(slash - argv[4] + 1) : 0, argv[4]);
    if (qry_synonyms_load(argv[4], d, &syn, &err) || qry_synonyms_add_related(syn, related, d, &err)
        || qry_engine_open(argv[1], d, syn, &e, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    qry_engine_serving(e);                     /* as the daemon's engines search */
    char *queries[256];
    size_t nq = 0;
    FILE *f = fopen(argv[5], "r");
    char line[1024];
    while (f && nq < 256 && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        if (line[0])
            queries[nq++] = strdup(line);
    }
    if (f)
        fclose(f);
    double *lat = malloc(sizeof(double) * nq * (size_t)repeat);
    size_t n = 0;
    for (size_t q = 0; q < nq; q++) {            /* warm the caches once */
        qry_request req = {queries[q], 10, 0, 0, 0};
        qry_result *r = NULL;
        qry_search(e, &req, &r, &err);
        qry_result_free(r);
    }
    int debug = getenv("WENSOU_DEBUG_QUERY") != NULL;
    if (debug)                                   /* what the timed passes print follows (bench/scale.sh) */
        fprintf(stderr, "-- timed passes\n");
    for (int rep = 0; rep < repeat; rep++)
        for (size_t q = 0; q < nq; q++) {
            if (debug)                           /* whose tiers follow, for a split by query */
                fprintf(stderr, "-- query %s\n", queries[q]);
            qry_request req = {queries[q], 10, 0, 0, 0};
            qry_result *r = NULL;
            double t0 = now_us();
            char *text = qry_search(e, &req, &r, &err) == 0 ? qry_result_text(r, NULL) : NULL;  /* the answer's text too */
            lat[n++] = now_us() - t0;
            free(text);
            qry_result_free(r);
        }
    if (each) {
        double *one = malloc(sizeof(double) * (size_t)repeat);
        for (size_t q = 0; q < nq && one; q++) {
            for (int rep = 0; rep < repeat; rep++)
                one[rep] = lat[(size_t)rep * nq + q];
            qsort(one, (size_t)repeat, sizeof *one, cmp_double);
            printf("  %8.1f us  %s\n", one[repeat / 2], queries[q]);
        }
        free(one);
    }
    qsort(lat, n, sizeof *lat, cmp_double);
    double sum = 0;
    for (size_t i = 0; i < n; i++)
        sum += lat[i];
    printf("%-34s median %8.1f us  p99 %8.1f us  mean %8.1f us  (%zu queries x %d)\n", "wensou (in process)",
           lat[n / 2], lat[(size_t)(n * 0.99)], sum / (double)n, nq, repeat);
    qry_engine_close(e);
    qry_synonyms_free(syn);
    seg_dict_close(d);
    for (size_t q = 0; q < nq; q++)
        free(queries[q]);
    free(lat);
    return 0;
}
