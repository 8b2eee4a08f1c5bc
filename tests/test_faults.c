/* test_faults.c — the indexer under faults it cannot prevent (#14): a disk that
 * fills up during a batch. Needs root for a small tmpfs; skipped otherwise. */
#include "run.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

static char *const english[] = {"LANGUAGE=en", "LC_ALL=C.UTF-8", NULL};

/* A folder of n copies of the corpus' government work report, and a tmpfs of size. */
typedef struct {
    char dir[64], mnt[96], db[128];
} small_disk;

static int small_disk_make(small_disk *d, int copies, const char *size)
{
    snprintf(d->dir, sizeof d->dir, "/tmp/wensou-faults-XXXXXX");
    cr_assert_not_null(mkdtemp(d->dir));
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir '%s/docs' '%s/mnt' && for i in $(seq 1 %d); do cp '%s/2020-01-08-keqiao-government-work-report.txt' "
             "\"%s/docs/r$i.txt\"; done",
             d->dir, d->dir, copies, WENSOU_TEST_CORPUS, d->dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(d->mnt, sizeof d->mnt, "%s/mnt", d->dir);
    snprintf(d->db, sizeof d->db, "%s/db", d->mnt);
    char opts[32];
    snprintf(opts, sizeof opts, "size=%s", size);
    return geteuid() == 0 && mount("tmpfs", d->mnt, "tmpfs", 0, opts) == 0 ? 0 : -1;
}

static void small_disk_remove(small_disk *d)
{
    umount(d->mnt);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d->dir);
    cr_expect_eq(system(cmd), 0);
}

/* The passages of the index that hold 发展 (-1: it cannot be read). */
static long total_of(const char *db)
{
    run_result r = run_env_args(english, "", "search", "--json", "--limit", "0", "--db", db, "发展", (char *)NULL);
    json_t *j = r.status == 0 ? json_loads(r.out, 0, NULL) : NULL;
    long n = j ? (long)json_integer_value(json_object_get(j, "total")) : -1;
    json_decref(j);
    run_free(&r);
    return n;
}

/* Indexes the disk's first copy into db: the passages of 发展 one file has. */
static long index_one_copy(const small_disk *d, const char *db)
{
    char one[128];
    snprintf(one, sizeof one, "%s/docs/r1.txt", d->dir);
    run_result r = run_env_args(english, "", "index", "-q", "--db", db, one, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    long n = total_of(db);
    cr_assert_gt(n, 0);
    return n;
}

/* A full-disk run's result: exit 1 with "No space left on device" and no abort;
 * the files it says were added. */
static unsigned long stopped_for_space(const run_result *r)
{
    cr_expect_eq(r->status, 1, "exit %d; stderr: %s", r->status, r->err);      /* not 134: no abort */
    cr_expect(strstr(r->err, "No space left on device") != NULL, "%s", r->err);
    cr_expect(strstr(r->err, "terminate") == NULL, "%s", r->err);
    unsigned long added = 99;
    cr_expect_eq(sscanf(r->out, "%lu added,", &added), 1, "%s", r->out);
    return added;
}

Test(faults, a_full_disk_stops_the_batch_with_no_space_and_keeps_the_last_commit, .timeout = 120)
{
    small_disk d;
    if (small_disk_make(&d, 40, "14m") != 0) {
        small_disk_remove(&d);
        cr_skip_test("needs root to mount a small tmpfs");
    }
    long before = index_one_copy(&d, d.db);
    char docs[96];
    snprintf(docs, sizeof docs, "%s/docs", d.dir);
    run_result r = run_env_args(english, "", "index", "-q", "--db", d.db, docs, (char *)NULL);
    /* the summary counts only what the index holds */
    unsigned long added = stopped_for_space(&r);
    long after = total_of(d.db);
    cr_expect_eq(after, before * (long)(added + 1), "summary said %lu added; 发展 in %ld passages, one file has %ld",
                 added, after, before);
    run_free(&r);
    small_disk_remove(&d);
}

Test(faults, a_disk_too_full_to_merge_two_writers_halves_keeps_what_the_index_holds, .timeout = 240)
{
    /* a new index, every batch written in parts that must be merged at the end: two
     * halves, then a part per file (fourteen side indexes to fill the disk) */
    static const char *const part_bytes[] = {"WENSOU_PART_BYTES=16777216", "WENSOU_PART_BYTES=1"};
    for (size_t p = 0; p < 2; p++) {
        small_disk d;
        if (small_disk_make(&d, 14, "17m") != 0) {  /* room for both halves (7 files each), not their merge */
            small_disk_remove(&d);
            cr_skip_test("needs root to mount a small tmpfs");
        }
        char one_db[128], docs[96];
        snprintf(one_db, sizeof one_db, "%s/one-db", d.dir);       /* beside the small disk */
        long per_file = index_one_copy(&d, one_db);
        char *const env[] = {"LANGUAGE=en", "LC_ALL=C.UTF-8", "WENSOU_HALVES_BYTES=1", "WENSOU_COMMIT_BYTES=65536",
                             (char *)part_bytes[p], NULL};
        snprintf(docs, sizeof docs, "%s/docs", d.dir);
        run_result r = run_env_args(env, "", "index", "-q", "--db", d.db, docs, (char *)NULL);
        unsigned long added = stopped_for_space(&r);
        cr_expect_gt(added, 0, "%s: the first part's files were lost: %s", part_bytes[p], r.out);
        cr_expect_eq(total_of(d.db), per_file * (long)added,
                     "%s: summary said %lu added; one file has %ld passages of 发展", part_bytes[p], added, per_file);
        run_free(&r);
        char cmd[512];
        snprintf(cmd, sizeof cmd,
                 "for f in '%s'.wensou-half '%s'.wensou-half-* '%s'.wensou-merged; do [ -e \"$f\" ] && exit 1; done; exit 0",
                 d.db, d.db, d.db);
        cr_expect_eq(system(cmd), 0, "%s: a side index was left on the full disk", part_bytes[p]);
        small_disk_remove(&d);
    }
}
