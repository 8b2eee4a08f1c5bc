/* test_index.c — `wensou index` on real files: incremental and idempotent, updates
 * and prunes, skips a bad file and goes on, refuses a locked or foreign index, and
 * survives SIGKILL at any moment with only whole files in the index. */
#define _GNU_SOURCE              /* sched_getaffinity */
#include "run.h"
#include "schema.h"
#include "xsh.h"

#include <criterion/criterion.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
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

/* Makes docs 40 files (copies of the corpus') and indexes them into a probe index:
 * how long a whole run takes here, in ms. */
static long forty_files_and_a_whole_run_ms(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cd '%s' && for i in 1 2 3 4 5 6 7; do for f in 20*.txt; do cp \"$f\" \"copy$i-$f\"; done; done", docs);
    cr_assert_eq(system(cmd), 0);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char probe[160];
    snprintf(probe, sizeof probe, "%s/probe-db", dir);
    run_result pr = run_args("", "index", "--quiet", "--db", probe, docs, (char *)NULL);
    cr_assert_eq(pr.status, 0, "%s", pr.err);
    run_free(&pr);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
}

Test(index, sigkill_at_any_moment_leaves_whole_files, .init = setup, .fini = teardown, .timeout = 600)
{
    setenv("WENSOU_COMMIT_BYTES", "65536", 1);             /* commits within the batch */
    /* kill at fractions of how long a whole run takes here (sanitizers slow it down) */
    long whole_ms = forty_files_and_a_whole_run_ms();
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

/* The "first" and "passages" of every file record of the index at path, as text
 * lines sorted by file. */
typedef struct { xsh_db *db; char out[8192]; } records_ctx;

static int note_record(void *ctx, const char *key)
{
    records_ctx *c = ctx;
    xsh_err err;
    char *v = NULL;
    if (xsh_db_get_metadata(c->db, key, &v, &err) != 0)
        return 1;
    const char *first = strstr(v, "\"first\":"), *passages = strstr(v, "\"passages\":");
    size_t len = strlen(c->out);
    snprintf(c->out + len, sizeof c->out - len, "%s first %lu passages %lu\n", strrchr(key, '/'),
             first ? strtoul(first + 8, NULL, 10) : 0, passages ? strtoul(passages + 11, NULL, 10) : 0);
    free(v);
    return 0;
}

static void file_records(const char *path, char *out, size_t cap)
{
    static records_ctx c;
    memset(&c, 0, sizeof c);
    xsh_err err;
    cr_assert_eq(xsh_db_open(path, XSH_READ, &c.db, &err), 0, "%s", err.msg);
    cr_assert_eq(xsh_db_metadata_keys(c.db, WENSOU_META_FILE, note_record, &c, &err), 0);
    xsh_db_close(c.db);
    snprintf(out, cap, "%s", c.out);
}

/* A search's JSON without its timing. */
static char *search_json(const char *path, const char *q)
{
    run_result r = run_args("", "search", "--json", "-n", "20", "--db", path, q, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *s = strdup(r.out), *t = strstr(s, "\"took_ms\":");
    if (t) {
        size_t n = strcspn(t, ",}");
        memmove(t, t + n, strlen(t + n) + 1);
    }
    run_free(&r);
    return s;
}

/* docs indexed into db (which must succeed), and db open for reading. */
static xsh_db *indexed_and_open(void)
{
    run_result r = index_run(NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    run_free(&r);
    xsh_db *x;
    xsh_err err;
    cr_assert_eq(xsh_db_open(db, XSH_READ, &x, &err), 0, "%s", err.msg);
    return x;
}

/* A character that ends a run of Han text is written as a unigram only where no
 * bigram of the passage begins with it: a one-character query (every term the
 * character begins) finds the passage either way. */
Test(index, a_character_that_ends_a_run_is_found_alone_with_no_unigram_where_a_bigram_begins_with_it,
     .init = setup, .fini = teardown)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "rm -f '%s'/* && printf '建设轻纺城。\n' > '%s/ends.txt' && "
             "printf '城市更新加快推进，打造轻纺城。\n' > '%s/both.txt'", docs, docs, docs);
    cr_assert_eq(system(cmd), 0);
    xsh_db *x = indexed_and_open();
    xsh_err err;
    size_t unigram = 0, bigram = 0;
    cr_assert_eq(xsh_db_term_freq(x, "城", &unigram, &err), 0);
    cr_assert_eq(xsh_db_term_freq(x, "城市", &bigram, &err), 0);
    xsh_db_close(x);
    cr_expect_eq(unigram, 1, "城 alone: in ends.txt's passage only, not in %zu", unigram);
    cr_expect_eq(bigram, 1);

    char *out = search_json(db, "城");
    cr_expect_neq(strstr(out, "ends.txt"), NULL, "%s", out);
    cr_expect_neq(strstr(out, "both.txt"), NULL, "%s", out);
    cr_expect_neq(strstr(out, "\"total\":2"), NULL, "%s", out);
    free(out);
}

/* A file's record holds the words of its title, kind and year with their counts:
 * what searches weigh as the document's fields (no passage holds them as terms). */
Test(index, a_file_record_holds_its_title_kind_and_year_words, .init = setup, .fini = teardown)
{
    xsh_db *x = indexed_and_open();
    xsh_err err;
    char key[512], *v = NULL;
    snprintf(key, sizeof key, "%s%s/2020-01-08-keqiao-government-work-report.txt", WENSOU_META_FILE, docs);
    cr_assert_eq(xsh_db_get_metadata(x, key, &v, &err), 0, "%s", err.msg);
    size_t dterms = 0;
    cr_assert_eq(xsh_db_prefix_postings(x, "D", 1, 1000000, &dterms, &err), 0);
    xsh_db_close(x);
    /* 2020年柯桥区政府工作报告, kind 政府工作报告, year 2020: the search-mode words of
     * each, a word said twice there twice */
    cr_expect_not_null(strstr(v, "\"fields\":\"2020 年 柯桥 柯桥区 政府 工作 报告 政府 工作 报告 2020\""), "%s", v);
    cr_expect_eq(dterms, 0, "%zu postings of D terms", dterms);
    free(v);
}

/* A file record whose fields or counts are not what the indexer writes (another
 * tool's, or a damaged one) costs that file its field weight, never the search: no
 * error, no negative score. */
Test(index, file_records_with_bad_fields_still_search, .init = setup, .fini = teardown)
{
    run_result r = index_run(NULL);
    cr_assert_eq(r.status, 0, "stderr: %s", r.err);
    run_free(&r);
    static const char *bad[] = {
        "{\"first\":1,\"passages\":4000000000,\"fields\":\"2020 柯桥 政府\"}",   /* more than there are */
        "{\"first\":0,\"passages\":3,\"fields\":\"柯桥\"}",                     /* no docids */
        "{\"first\":1,\"passages\":3,\"fields\":{\"柯桥\":-7}}",              /* not a string */
        "{\"first\":-5,\"passages\":\"x\",\"fields\":\"   \"}",
    };
    char key[512];
    snprintf(key, sizeof key, "%s%s/2020-01-08-keqiao-government-work-report.txt", WENSOU_META_FILE, docs);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        xsh_db *x;
        xsh_err err;
        cr_assert_eq(xsh_db_open(db, XSH_WRITE, &x, &err), 0, "%s", err.msg);
        cr_assert_eq(xsh_db_set_metadata(x, key, bad[i], &err), 0, "%s", err.msg);
        cr_assert_eq(xsh_db_commit(x, &err), 0, "%s", err.msg);
        xsh_db_close(x);
        char *out = search_json(db, "柯桥 政府 就业");
        cr_expect_null(strstr(out, "\"score\":-"), "record %zu: %s", i, out);
        cr_expect_not_null(strstr(out, "\"hits\":[{"), "record %zu: %s", i, out);
        free(out);
    }
}

/* The CPUs this process may run on (as `wensou index` counts them to write in parts). */
static int usable_cpus(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* Whether a side folder of a batch in parts (DB.wensou-half, DB.wensou-half-N) or
 * of its merge is beside db. */
static int side_folders_left(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "for f in '%s'.wensou-half '%s'.wensou-half-* '%s'.wensou-merged; do [ -e \"$f\" ] && exit 0; done; exit 1",
             db, db, db);
    return system(cmd) == 0;
}

/* A new index written in parts, two (the batch's halves) or one per file
 * (WENSOU_PART_BYTES=1), reads as one written by one writer. */
Test(index, a_new_index_written_by_two_writers_reads_as_one_written_by_one, .init = setup, .fini = teardown,
     .timeout = 300)
{
    if (usable_cpus() < 2)
        cr_skip_test("one core: a batch is written by one writer");
    char one[160], cmd[512];
    snprintf(one, sizeof one, "%s/one-writer", dir);
    setenv("WENSOU_HALVES_BYTES", "999999999999", 1);
    run_result r = run_args("", "index", "--quiet", "--db", one, docs, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    static const char *const part_bytes[] = {NULL, "1"};     /* halves, then a part per file */
    for (size_t p = 0; p < 2; p++) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", db);      /* a new index each time */
        cr_assert_eq(system(cmd), 0);
        setenv("WENSOU_HALVES_BYTES", "1", 1);            /* every batch of two files or more */
        if (part_bytes[p])
            setenv("WENSOU_PART_BYTES", part_bytes[p], 1);
        r = index_run(NULL);
        unsetenv("WENSOU_PART_BYTES");
        cr_assert_eq(r.status, 0, "%s", r.err);
        cr_expect(strncmp(r.out, "5 added, 0 updated, 0 unchanged, 0 removed, 0 failed;", 52) == 0, "%s", r.out);
        run_free(&r);
        cr_expect(!side_folders_left(), "the side folders were left behind (%s)", p ? "a part per file" : "halves");
        /* the same passages under the same docids, so the same answers */
        char a[8192], b[8192];
        file_records(one, a, sizeof a);
        file_records(db, b, sizeof b);
        cr_expect_str_eq(b, a, "%s", p ? "a part per file" : "halves");
        const char *queries[] = {"营商环境", "柯桥 year:2021", "经济发展", "纺城", "柯桥区常住人口有多少"};
        for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
            char *x = search_json(one, queries[i]), *y = search_json(db, queries[i]);
            cr_expect_str_eq(y, x, "%s (%s)", queries[i], p ? "a part per file" : "halves");
            free(x);
            free(y);
        }
    }
    /* and it is an index like any other: unchanged files stay, changed ones are replaced */
    r = index_run(NULL);
    cr_expect(strncmp(r.out, "0 added, 0 updated, 5 unchanged,", 32) == 0, "%s", r.out);
    run_free(&r);
    size_t before = doc_count();
    snprintf(cmd, sizeof cmd, "for f in '%s'/*.txt; do printf '\\n新增的一段：柯桥区推出新的惠企政策。\\n' >> \"$f\"; done", docs);
    cr_assert_eq(system(cmd), 0);
    r = index_run(NULL);
    cr_expect(strncmp(r.out, "0 added, 5 updated, 0 unchanged,", 32) == 0, "%s", r.out);
    run_free(&r);
    cr_expect_eq(doc_count(), before + 5);
    whole_ctx c = check_whole();
    cr_expect(!c.bad);
    cr_expect_eq(c.listed, 5);
    unsetenv("WENSOU_HALVES_BYTES");
}

Test(index, sigkill_while_two_writers_write_leaves_whole_files, .init = setup, .fini = teardown, .timeout = 600)
{
    if (usable_cpus() < 2)
        cr_skip_test("one core: a batch is written by one writer");
    setenv("WENSOU_HALVES_BYTES", "1", 1);
    setenv("WENSOU_PART_BYTES", "200000", 1);              /* some ten parts */
    setenv("WENSOU_COMMIT_BYTES", "65536", 1);             /* commits within each part */
    char cmd[512];
    long whole_ms = forty_files_and_a_whole_run_ms();
    int fractions[] = {2, 5, 8};                               /* tenths of a whole run */
    for (size_t k = 0; k < sizeof fractions / sizeof fractions[0]; k++) {
        snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'.wensou-half*", db, db);  /* each kill on a new index */
        cr_assert_eq(system(cmd), 0);
        whole_ctx c = kill_after((int)(whole_ms * fractions[k] / 10));
        cr_expect(!c.bad, "after SIGKILL at %d/10 of %ld ms: a file is not whole in the index", fractions[k], whole_ms);
        /* the same command finishes the batch, and the side indexes are gone */
        run_result r = index_run(NULL);
        cr_expect_eq(r.status, 0, "%s", r.err);
        run_free(&r);
        c = check_whole();
        cr_expect(!c.bad);
        cr_expect_eq(c.listed, 40);
        cr_expect(!side_folders_left(), "the side indexes of the killed run were left behind");
    }
    unsetenv("WENSOU_HALVES_BYTES");
    unsetenv("WENSOU_PART_BYTES");
}

/* A part whose side index cannot be made (a file where its folder goes) stops the
 * batch: the run fails, says which files were not tried, and its summary counts
 * what the index holds, whole files, the side folders gone; the next run, the way
 * clear, indexes the rest. */
Test(index, a_part_whose_index_cannot_be_made_stops_the_batch_and_the_summary_says_what_the_index_holds,
     .init = setup, .fini = teardown, .timeout = 120)
{
    if (usable_cpus() < 2)
        cr_skip_test("one core: a batch is written by one writer");
    setenv("WENSOU_HALVES_BYTES", "1", 1);
    setenv("WENSOU_PART_BYTES", "1", 1);                   /* a part per file: five */
    char blocker[200], cmd[512];
    snprintf(blocker, sizeof blocker, "%s.wensou-half-2", db);
    snprintf(cmd, sizeof cmd, "echo not an index > '%s'", blocker);
    cr_assert_eq(system(cmd), 0);
    run_result r = index_run("--quiet");
    cr_expect_neq(r.status, 0, "the run did not fail: %s", r.out);
    cr_expect_not_null(strstr(r.err, "wensou-half-2"), "the part's index is not named: %s", r.err);
    cr_expect_not_null(strstr(r.err, "not tried"), "%s", r.err);
    unsigned long added = 99;
    cr_expect_eq(sscanf(r.out, "%lu added,", &added), 1, "%s", r.out);
    run_free(&r);
    whole_ctx c = check_whole();
    cr_expect(!c.bad);
    cr_expect_eq((unsigned long)c.listed, added, "the summary said %lu added; the index holds %zu files", added, c.listed);
    cr_expect(added >= 1 && added < 5, "%lu added", added);
    cr_expect_eq(unlink(blocker), 0);
    cr_expect(!side_folders_left(), "a side index was left behind");
    r = index_run("--quiet");
    cr_expect_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    c = check_whole();
    cr_expect(!c.bad);
    cr_expect_eq(c.listed, 5);
    unsetenv("WENSOU_HALVES_BYTES");
    unsetenv("WENSOU_PART_BYTES");
}

/* Indexes docs (and extra, when given) into path with every batch given to two
 * writers where they may write it; fails the test when the run does. */
static void index_halves(const char *path, const char *extra)
{
    setenv("WENSOU_HALVES_BYTES", "1", 1);
    run_result r = extra ? run_args("", "index", "--quiet", "--db", path, docs, extra, (char *)NULL)
                         : run_args("", "index", "--quiet", "--db", path, docs, (char *)NULL);
    unsetenv("WENSOU_HALVES_BYTES");
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

Test(index, two_writers_give_one_writer_s_index_for_a_linked_folder_a_file_named_twice_and_an_emptied_index,
     .init = setup, .fini = teardown, .timeout = 300)
{
    char one[160], real[160], link[160], a[8192], b[8192], cmd[512];
    snprintf(one, sizeof one, "%s/one-writer", dir);
    run_result r = run_args("", "index", "--quiet", "--db", one, docs, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    file_records(one, a, sizeof a);
    /* an index reached through a link stays where the link points */
    snprintf(real, sizeof real, "%s/elsewhere", dir);
    snprintf(link, sizeof link, "%s/linked", dir);
    cr_assert_eq(mkdir(real, 0700), 0);
    cr_assert_eq(symlink(real, link), 0);
    index_halves(link, NULL);
    struct stat st;
    cr_expect(lstat(link, &st) == 0 && S_ISLNK(st.st_mode), "the link was replaced by a folder");
    file_records(real, b, sizeof b);
    cr_expect_str_eq(b, a);
    /* a file named twice (in its folder, and alone) is in the index once */
    char twice[256];
    snprintf(twice, sizeof twice, "%s/2026-keqiao-business-environment.txt", docs);
    index_halves(db, twice);
    file_records(db, b, sizeof b);
    cr_expect_str_eq(b, a);
    whole_ctx c = check_whole();
    cr_expect(!c.bad, "a file's passages are there twice");
    /* an index emptied by --prune has used docids; the records follow the passages */
    snprintf(cmd, sizeof cmd, "mkdir '%s/aside' && mv '%s'/*.txt '%s/aside/'", dir, docs, dir);
    cr_assert_eq(system(cmd), 0);
    r = index_run("--prune");
    cr_expect(strstr(r.out, "5 removed") != NULL, "%s", r.out);
    run_free(&r);
    cr_expect_eq(doc_count(), 0);
    snprintf(cmd, sizeof cmd, "mv '%s/aside'/*.txt '%s/'", dir, docs);
    cr_assert_eq(system(cmd), 0);
    index_halves(db, NULL);
    file_records(db, b, sizeof b);
    cr_expect_str_eq(b, a, "the records do not give the passages' docids");
    c = check_whole();
    cr_expect(!c.bad);
    cr_expect_eq(c.listed, 5);
    char *x = search_json(one, "营商环境"), *y = search_json(db, "营商环境");
    cr_expect_str_eq(y, x, "the emptied index's answers differ from a new one's");
    free(x);
    free(y);
}
