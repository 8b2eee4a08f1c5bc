/* test_index.c — `wensou index` on real files: incremental and idempotent, updates
 * and prunes, skips a bad file and goes on, refuses a locked or foreign index, and
 * survives SIGKILL at any moment with only whole files in the index. */
#include "run.h"
#include "schema.h"
#include "xsh.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char dir[64], db[128], docs[128];

static void setup(void)
{
    strcpy(dir, "/tmp/wensou-index-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/db", dir);
    snprintf(docs, sizeof docs, "%s/docs", dir);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && cp '%s'/*.txt '%s'/manifest.tsv '%s'/", docs, WENSOU_TEST_CORPUS, WENSOU_TEST_CORPUS, docs);
    cr_assert_eq(system(cmd), 0);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static run_result index_run(const char *extra)
{
    if (extra)
        return run_args("", "index", "--db", db, extra, docs, (char *)NULL);
    return run_args("", "index", "--db", db, docs, (char *)NULL);
}

static size_t doc_count(void)
{
    xsh_db *x;
    xsh_err err;
    cr_assert_eq(xsh_db_open(db, XSH_READ, &x, &err), 0, "%s", err.msg);
    size_t n;
    cr_assert_eq(xsh_db_doc_count(x, &n, &err), 0);
    xsh_db_close(x);
    return n;
}

Test(index, incremental_update_and_prune, .init = setup, .fini = teardown)
{
    run_result r = index_run(NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect(strncmp(r.out, "5 added, 0 updated, 0 unchanged, 0 removed, 0 failed;", 52) == 0, "%s", r.out);
    size_t first = doc_count();
    cr_expect_gt(first, 400);
    run_free(&r);

    r = index_run(NULL);                                   /* nothing changed: nothing done */
    cr_expect(strncmp(r.out, "0 added, 0 updated, 5 unchanged,", 32) == 0, "%s", r.out);
    cr_expect_eq(doc_count(), first);
    run_free(&r);

    char path[256], cmd[512];                              /* a changed file is replaced whole */
    snprintf(path, sizeof path, "%s/2026-keqiao-business-environment.txt", docs);
    snprintf(cmd, sizeof cmd, "printf '\\n新增的一段：柯桥区推出新的惠企政策。\\n' >> '%s'", path);
    cr_assert_eq(system(cmd), 0);
    r = index_run(NULL);
    cr_expect(strncmp(r.out, "0 added, 1 updated, 4 unchanged,", 32) == 0, "%s", r.out);
    cr_expect_eq(doc_count(), first + 1);
    run_free(&r);

    unlink(path);                                          /* a removed file goes with --prune */
    r = index_run("--prune");
    cr_expect_neq(strstr(r.out, "1 removed"), NULL, "%s", r.out);
    cr_expect_lt(doc_count(), first);
    run_free(&r);
}

Test(index, a_bad_file_is_reported_and_the_batch_goes_on, .init = setup, .fini = teardown)
{
    char path[256];
    snprintf(path, sizeof path, "%s/broken.txt", docs);
    FILE *f = fopen(path, "wb");
    for (int i = 0; i < 4096; i++)
        fputc((i * 37) & 0xFF, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/empty.txt", docs);
    fclose(fopen(path, "wb"));
    run_result r = index_run(NULL);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "broken.txt: binary file, not text\n") != NULL, "%s", r.err);
    cr_expect(strstr(r.err, "empty.txt: empty file") != NULL, "%s", r.err);
    cr_expect(strncmp(r.out, "5 added, 0 updated, 0 unchanged, 0 removed, 2 failed;", 52) == 0, "%s", r.out);
    run_free(&r);
}

Test(index, a_locked_or_foreign_index_is_refused, .init = setup, .fini = teardown)
{
    xsh_db *w;
    xsh_err err;
    cr_assert_eq(xsh_db_open(db, XSH_WRITE, &w, &err), 0);
    run_result r = index_run(NULL);
    cr_expect_eq(r.status, 1);
    char want[256];
    snprintf(want, sizeof want, "wensou: %s: index is locked by another process\n", db);
    cr_expect_str_eq(r.err, want);
    run_free(&r);
    /* an index written by another schema */
    cr_assert_eq(xsh_db_set_metadata(w, WENSOU_META_SCHEMA, "0", &err), 0);
    xsh_doc *d = xsh_doc_new();
    xsh_doc_add_term(d, "x", 1, 1);
    cr_assert_eq(xsh_db_add_document(w, d, NULL, &err), 0);
    xsh_doc_free(d);
    xsh_db_close(w);
    r = index_run(NULL);
    cr_expect_eq(r.status, 1);
    cr_expect(strstr(r.err, "schema version 0") && strstr(r.err, "re-index"), "%s", r.err);
    run_free(&r);
}

/* Every file the index lists has exactly its passages; no passage is orphaned. */
typedef struct { xsh_db *db; size_t listed, passages; int bad; } whole_ctx;

static int check_file(void *ctx, const char *key)
{
    whole_ctx *c = ctx;
    xsh_err err;
    char *v;
    if (xsh_db_get_metadata(c->db, key, &v, &err) != 0)
        return c->bad = 1;
    unsigned long n = 0;
    const char *p = strstr(v, "\"passages\":");
    if (p)
        n = strtoul(p + 11, NULL, 10);
    free(v);
    char term[1024];
    snprintf(term, sizeof term, "%s%s", WENSOU_PREFIX_FILE, key + strlen(WENSOU_META_FILE));
    size_t tf = 0;
    xsh_db_term_freq(c->db, term, &tf, &err);
    if (tf != n)
        c->bad = 1;
    c->listed++;
    c->passages += n;
    return 0;
}

static whole_ctx check_whole(void)
{
    whole_ctx c = {0};
    xsh_err err;
    if (xsh_db_open(db, XSH_READ, &c.db, &err) != 0) {
        c.bad = err.code != XSH_ENOTFOUND;    /* killed before the first commit: no index yet */
        return c;
    }
    cr_assert_eq(xsh_db_metadata_keys(c.db, WENSOU_META_FILE, check_file, &c, &err), 0);
    size_t n;
    cr_assert_eq(xsh_db_doc_count(c.db, &n, &err), 0);
    if (n != c.passages)
        c.bad = 1;
    xsh_db_close(c.db);
    return c;
}

/* Runs `wensou index` over docs into db and SIGKILLs it after ms milliseconds;
 * what the index then holds. */
static whole_ctx kill_after(int ms)
{
    pid_t pid = fork();
    cr_assert(pid >= 0, "fork: %s", strerror(errno));   /* never kill(-1, …) */
    if (pid == 0) {
        int devnull = open("/dev/null", 1);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execl(WENSOU_TEST_BINARY, WENSOU_TEST_BINARY, "index", "--quiet", "--db", db, docs, (char *)NULL);
        _exit(127);
    }
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    return check_whole();
}

Test(index, sigkill_at_any_moment_leaves_whole_files, .init = setup, .fini = teardown, .timeout = 600)
{
    setenv("WENSOU_COMMIT_BYTES", "65536", 1);             /* commits within the batch */
    char cmd[512];                                         /* 40 files */
    snprintf(cmd, sizeof cmd, "cd '%s' && for i in 1 2 3 4 5 6 7; do for f in 20*.txt; do cp \"$f\" \"copy$i-$f\"; done; done", docs);
    cr_assert_eq(system(cmd), 0);
    /* kill at fractions of how long a whole run takes here (sanitizers slow it down) */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char probe[160];
    snprintf(probe, sizeof probe, "%s/probe-db", dir);
    run_result pr = run_args("", "index", "--quiet", "--db", probe, docs, (char *)NULL);
    cr_assert_eq(pr.status, 0, "%s", pr.err);
    run_free(&pr);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long whole_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    int delays_ms[] = {(int)(whole_ms / 10), (int)(whole_ms * 3 / 10), (int)(whole_ms / 2),
                       (int)(whole_ms * 7 / 10), (int)(whole_ms * 9 / 10)};
    size_t seen_listed = 0;
    int partial = 0;
    for (size_t k = 0; k < sizeof delays_ms / sizeof delays_ms[0]; k++) {
        whole_ctx c = kill_after(delays_ms[k]);
        cr_expect(!c.bad, "after SIGKILL at %d ms of %ld: a file is not whole in the index", delays_ms[k], whole_ms);
        cr_expect_geq(c.listed, seen_listed, "committed files were lost");
        partial |= c.listed > 0 && c.listed < 40;
        seen_listed = c.listed;
    }
    /* on a loaded machine the probe's time says little: then kill fresh runs at
     * times bisected between one that committed nothing and one that finished */
    int lo = 0, hi = (int)whole_ms * 2 + 100;
    for (int tries = 0; !partial && tries < 12; tries++) {
        char cmd2[300];
        snprintf(cmd2, sizeof cmd2, "rm -rf '%s'", db);
        cr_assert_eq(system(cmd2), 0);
        int ms = (lo + hi) / 2;
        whole_ctx c = kill_after(ms);
        cr_expect(!c.bad, "after SIGKILL at %d ms: a file is not whole in the index", ms);
        partial = c.listed > 0 && c.listed < 40;
        if (c.listed == 0)
            lo = ms;
        else if (c.listed >= 40)
            hi = ms;
    }
    cr_expect(partial, "no kill landed in the middle of the batch: the test proved nothing");
    run_result r = index_run(NULL);                        /* the same command completes the batch */
    cr_expect_eq(r.status, 0, "%s", r.err);
    whole_ctx c = check_whole();
    cr_expect(!c.bad);
    cr_expect_eq(c.listed, 40);
    run_free(&r);
    r = index_run(NULL);
    cr_expect(strncmp(r.out, "0 added, 0 updated, 40 unchanged,", 33) == 0, "%s", r.out);
    run_free(&r);
}
