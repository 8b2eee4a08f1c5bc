/* cmd_index.c — `wensou index [--db DIR] [--prune] [--shards N] [--quiet] PATH...`: files and
 * folders (recursively) into the index. A file that fails is reported and skipped;
 * a progress bar on a terminal; a one-line summary; SIGINT/SIGTERM stop after the
 * current file with everything before it committed. */
#define _GNU_SOURCE              /* sched_getaffinity */
#include "cli.h"
#include "env_count.h"
#include "intl.h"
#include "indexer.h"
#include "xsh.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    dev_t dev;
    ino_t ino;
} folder_id;

typedef struct {
    char **paths;
    size_t *sizes;
    size_t n, cap, total_bytes;
    char **skipped;           /* files a folder walk left out, each named in the summary */
    size_t nskipped, capskipped;
    folder_id *seen;          /* the folders walked, a hash set (open addressing) */
    size_t nseen, capseen;
} file_list;

static size_t folder_hash(folder_id f, size_t cap)
{
    return (size_t)(((unsigned long long)f.ino * 0x9E3779B97F4A7C15ull) ^ (unsigned long long)f.dev) & (cap - 1);
}

/* Adds the folder to the walked set: 1 when it is new, 0 when it was walked
 * already (a link back up the tree, a loop of links), -1 out of memory. */
static int first_visit(file_list *l, const struct stat *st)
{
    folder_id f = {st->st_dev, st->st_ino};
    if (2 * (l->nseen + 1) > l->capseen) {       /* grow and rehash at half full */
        size_t cap = l->capseen ? l->capseen * 2 : 64;
        folder_id *ns = calloc(cap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < l->capseen; i++)
            if (l->seen[i].ino || l->seen[i].dev) {
                size_t k = folder_hash(l->seen[i], cap);
                while (ns[k].ino || ns[k].dev)
                    k = (k + 1) & (cap - 1);
                ns[k] = l->seen[i];
            }
        free(l->seen);
        l->seen = ns;
        l->capseen = cap;
    }
    size_t k = folder_hash(f, l->capseen);
    for (; l->seen[k].ino || l->seen[k].dev; k = (k + 1) & (l->capseen - 1))
        if (l->seen[k].ino == f.ino && l->seen[k].dev == f.dev)
            return 0;
    l->seen[k] = f;
    l->nseen++;
    return 1;
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

/* Notes a file the walk leaves out (not a format wensou reads). */
static int skip_add(file_list *l, const char *path)
{
    if (l->nskipped == l->capskipped) {
        size_t cap = l->capskipped ? l->capskipped * 2 : 16;
        char **ns = realloc(l->skipped, cap * sizeof *ns);
        if (!ns)
            return -1;
        l->skipped = ns;
        l->capskipped = cap;
    }
    if (!(l->skipped[l->nskipped] = strdup(path)))
        return -1;
    l->nskipped++;
    return 0;
}

#define SKIPPED_SHOWN 20

/* Names the files a walk left out, and why (at most SKIPPED_SHOWN of them). */
static void report_skipped(const file_list *l)
{
    for (size_t k = 0; k < l->nskipped && k < SKIPPED_SHOWN; k++) {
        const char *name = strrchr(l->skipped[k], '/') ? strrchr(l->skipped[k], '/') + 1 : l->skipped[k];
        fprintf(stderr, _("wensou: %s: skipped (%s)\n"), l->skipped[k], idx_format_skip_reason(name));
    }
    if (l->nskipped > SKIPPED_SHOWN)
        fprintf(stderr, _("wensou: and %zu more skipped\n"), l->nskipped - SKIPPED_SHOWN);
}

static int list_add(file_list *l, const char *path, size_t size)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char **np = realloc(l->paths, cap * sizeof *np);
        size_t *ns = np ? realloc(l->sizes, cap * sizeof *ns) : NULL;
        if (!np || !ns) {
            if (np)
                l->paths = np;
            return -1;
        }
        l->paths = np;
        l->sizes = ns;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return -1;
    l->sizes[l->n++] = size;
    l->total_bytes += size;
    return 0;
}

static void list_free(file_list *l)
{
    for (size_t k = 0; k < l->n; k++)
        free(l->paths[k]);
    free(l->paths);
    free(l->sizes);
    free(l->seen);
    for (size_t k = 0; k < l->nskipped; k++)
        free(l->skipped[k]);
    free(l->skipped);
}

/* Adds path (a file as given, or a folder's indexable files, sorted, recursively;
 * each folder once, however many links lead to it). */
static int collect(file_list *l, const char *path, int explicit_file, int *failed)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        cli_error(path, strerror(errno));
        (*failed)++;
        return 0;
    }
    if (S_ISREG(st.st_mode)) {
        const char *name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
        if (explicit_file || idx_format_listed(name))
            return list_add(l, path, (size_t)st.st_size);
        return strcmp(name, "manifest.tsv") == 0 ? 0 : skip_add(l, path);   /* the manifest is metadata */
    }
    if (!S_ISDIR(st.st_mode)) {
        if (explicit_file) {
            cli_error(path, _("not a file or folder"));
            (*failed)++;
        }
        return 0;
    }
    int first = first_visit(l, &st);
    if (first <= 0)
        return first;                  /* walked already: through a link, or a loop of them */
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        cli_error(path, strerror(errno));
        (*failed)++;
        return 0;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *name = names[i]->d_name;
        if (!rc && name[0] != '.') {
            size_t len = strlen(path) + strlen(name) + 2;
            char *child = malloc(len);
            if (!child) {
                rc = -1;
            } else {
                snprintf(child, len, "%s%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/", name);
                rc = collect(l, child, 0, failed);
                free(child);
            }
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress(size_t done, size_t total, size_t bytes, size_t total_bytes, size_t passages, double t0)
{
    double dt = now() - t0, mb = (double)bytes / 1e6;
    double rate = dt > 0 ? mb / dt : 0;
    double eta = rate > 0 ? ((double)(total_bytes - bytes) / 1e6) / rate : 0;
    int width = 24, fill = total ? (int)(width * done / total) : width;
    fprintf(stderr, "\r\033[K[%.*s%*s] ", fill, "########################", width - fill, "");
    fprintf(stderr, _("%zu/%zu files  %.1f MB  %zu passages  %.1f MB/s  ETA %.0fs"), done, total, mb, passages, rate, eta);
    fflush(stderr);
}

typedef struct {
    size_t added, updated, passages;
} file_counts;

typedef struct {
    const file_list *files;
    const idx_writer *w;
    int bar;
    double t0;
    file_counts saved;           /* in a commit */
    file_counts pending;         /* stored since the last commit: lost if it fails */
    size_t unchanged, bytes;
    size_t reached;              /* files the batch got to (a failed index stops it) */
    int failed, index_failed;
    atomic_int *halt;            /* a batch in parts: set when a part's index fails, which
                                    stops the others (part 0's: theirs could not be merged); or NULL */
} batch;

/* The pending files are in the index (committed) or lost (the commit failed). */
static void settle(batch *b, int committed)
{
    if (committed) {
        b->saved.added += b->pending.added;
        b->saved.updated += b->pending.updated;
        b->saved.passages += b->pending.passages;
    } else if (b->pending.added + b->pending.updated) {
        size_t lost = b->pending.added + b->pending.updated;
        fprintf(stderr, P_("wensou: %zu file was not saved; the index keeps its last commit\n",
                           "wensou: %zu files were not saved; the index keeps its last commit\n", lost), lost);
        b->failed += (int)lost;
    }
    memset(&b->pending, 0, sizeof b->pending);
}

/* One file done: counted, its failure reported, the bar moved on. */
static int file_done(void *ctx, size_t i, int rc, const idx_err *err, idx_outcome outcome, size_t passages)
{
    batch *b = ctx;
    if (rc) {
        if (b->bar)
            fputs("\r\033[K", stderr);
        fprintf(stderr, "wensou: %s\n", err->msg);
        b->failed++;
        b->index_failed |= rc == IDX_EINDEX || rc == IDX_ELOCKED;
        if (b->index_failed && b->halt)
            atomic_store(b->halt, 1);
    } else if (outcome == IDX_UNCHANGED) {
        b->unchanged++;
        b->saved.passages += passages;
    } else {
        b->pending.added += outcome == IDX_ADDED;
        b->pending.updated += outcome == IDX_UPDATED;
        b->pending.passages += passages;
    }
    if (idx_writer_uncommitted(b->w) == 0 && !b->index_failed)
        settle(b, 1);                          /* a commit came with this file */
    b->bytes += b->files->sizes[i];
    b->reached = i + 1;
    if (b->bar)
        progress(i + 1, b->files->n, b->bytes, b->files->total_bytes, b->saved.passages + b->pending.passages, b->t0);
    return stop_requested != 0 || (b->halt && atomic_load(b->halt));
}

#define MAX_SHARDS 256

static void usage(FILE *f)
{
    fputs(_("usage: wensou index [-d DIR] [--prune] [--rebuild] [--shards N | --shard K/N] [-q] PATH...\n"
            "Indexes files and folders (recursively: *.txt, *.md, *.pdf, *.docx, *.html). Re-running changes only what changed.\n"
            "  -d, --db DIR   the index (default $WENSOU_DB, else ./wensou.db); a shard set is written shard by shard\n"
            "      --prune    also remove the files that no longer exist\n"
            "      --rebuild  re-index every file given, changed or not\n"
            "      --shards N make DIR a set of N indexes, each file in the one its path hashes to\n"
            "      --shard K/N  DIR is shard K (from 0) of N, on its own: only the files hashing to it\n"
            "  -q, --quiet    no progress bar\n"), f);
}

/* Keeps in l the files whose path hashes to shard k of n (--shard K/N: one host
 * indexes its shard's share); returns how many were left for the others. */
static size_t keep_own_shard(file_list *l, size_t k, size_t n)
{
    size_t kept = 0, others = 0;
    l->total_bytes = 0;
    for (size_t i = 0; i < l->n; i++) {
        if (idx_shard_of(l->paths[i], n) != k) {
            free(l->paths[i]);
            others++;
            continue;
        }
        l->paths[kept] = l->paths[i];
        l->sizes[kept] = l->sizes[i];
        l->total_bytes += l->sizes[i];
        kept++;
    }
    l->n = kept;
    return others;
}

/* What a run did, over every index it wrote (one, or each shard). */
typedef struct {
    file_counts saved;
    size_t unchanged, bytes, removed;
    int failed;
} run_totals;

/* Says how many of a batch's files were not tried when its index failed. */
static void report_untried(const batch *b)
{
    if (b->index_failed && b->reached < b->files->n) {
        size_t left = b->files->n - b->reached;
        fprintf(stderr, P_("wensou: %zu file was not tried: the index could not be written\n",
                           "wensou: %zu files were not tried: the index could not be written\n", left), left);
    }
}

/* Adds what a batch did to t. */
static void add_totals(run_totals *t, const batch *b)
{
    t->saved.added += b->saved.added;
    t->saved.updated += b->saved.updated;
    t->saved.passages += b->saved.passages;
    t->unchanged += b->unchanged;
    t->bytes += b->bytes;
    t->failed += b->failed;
}

/* A batch of at least this many bytes into a new index is written in parts by two
 * writers at once (parts.c), on a machine of two cores or more: the corpus x100
 * (20 MB) in 10.3 s against 13.7 s with one. WENSOU_HALVES_BYTES sets another size. */
#define HALVES_BYTES (8u << 20)

/* The text of a part at most, but two parts at least (WENSOU_PART_BYTES sets
 * another): Xapian's cost per passage grows with the index it merges its buffer
 * into, so a large batch is written as many small indexes and compacted once.
 * Distinct documents x1000 (207 MB) in two halves: 1.004 MB of text per
 * CPU-second, 2.92x the index written, 306 MB of RSS; in fourteen parts of 16 MiB
 * 1.072, 2.21x, 191 MB (bench/index_settings.sh, medians of 4 interleaved
 * rounds). Parts of 8 MiB take a fifth to a quarter less memory than 16 MiB, and
 * less CPU in each of 10 rounds at x100 (copies and distinct, 1-15 %); at x1000
 * in 4 rounds of 7 (from 7 % less to 5 % more). Parts of 4 MiB cost more. */
#define PART_BYTES (8u << 20)
#define MAX_PARTS 64             /* compaction holds every part open at once */

/* Part k of a batch written in parts: part 0 into the index itself by the run's
 * writer, the others each into its side index (idx_part_path) by a writer of its
 * own, on a second thread and, after part 0, on the first: each takes the next
 * part not yet taken, so both stay busy to the end. */
typedef struct {
    file_list files;             /* a view of the batch (borrows its paths) */
    size_t k;
    batch b;
    int rc;
    int started;                 /* its writer opened: its files tried */
    int closed;                  /* its writer closed, its last commit made */
    idx_err err, close_err;
} part_run;

typedef struct {
    part_run *parts;
    size_t n;
    const char *db;
    const seg_dict *dict;
    const char *context;
    int rebuild, bar;
    atomic_size_t next;          /* the next part not yet taken (from 1) */
    atomic_int halt;             /* set when a part's index fails: the others stop */
} part_plan;

/* Writes side part p (k >= 1) into its own index, which it then closes. */
static void write_part(part_plan *pl, part_run *p, int bar)
{
    if (stop_requested || atomic_load(&pl->halt))
        return;                              /* not tried */
    char path[4096 + 32];
    idx_writer *w = NULL;
    int ok = idx_part_path(pl->db, p->k, path, sizeof path) == 0;
    if (!ok)
        idx_fail(&p->err, IDX_EINDEX, pl->db, _("no folder beside the index for its parts"));
    else if (idx_writer_open(path, pl->dict, p->files.total_bytes, &w, &p->err) != 0)
        ok = 0;
    else if (idx_writer_set_context(w, pl->context) != 0)
        ok = idx_fail(&p->err, IDX_ENOMEM, pl->db, NULL) == 0;
    if (!ok) {
        idx_writer_close(w, NULL);
        p->rc = IDX_EINDEX;                  /* its index could not be made: every part stops */
        atomic_store(&pl->halt, 1);
        return;
    }
    idx_writer_set_rebuild(w, pl->rebuild);
    p->started = 1;
    p->b.w = w;
    p->b.bar = bar;
    p->b.t0 = now();
    p->rc = idx_writer_add_files(w, p->files.paths, p->files.n, file_done, &p->b, &p->err);
    if (p->rc && !p->b.index_failed)
        atomic_store(&pl->halt, 1);          /* failed before any file (its index, memory) */
    p->closed = idx_writer_close(w, &p->close_err) == 0;
}

/* Writes the parts not yet taken, one after the other, until none is left. */
static void write_parts(part_plan *pl, int bar)
{
    for (size_t k; (k = atomic_fetch_add(&pl->next, 1)) < pl->n;)
        write_part(pl, &pl->parts[k], bar);
}

/* The second thread. */
static void *write_parts_aside(void *arg)
{
    write_parts(arg, 0);
    return NULL;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether two of the files are one (a file named twice, or through a link): one
 * writer finds the second unchanged, two would each add it. -1: out of memory. */
static int names_a_file_twice(const file_list *files)
{
    char **real = calloc(files->n, sizeof *real);
    int twice = real ? 0 : -1;
    for (size_t i = 0; real && i < files->n && twice == 0; i++) {
        real[i] = realpath(files->paths[i], NULL);
        if (!real[i] && !(real[i] = strdup(files->paths[i])))
            twice = -1;
    }
    if (twice == 0) {
        qsort(real, files->n, sizeof *real, cmp_str);
        for (size_t i = 1; i < files->n && !twice; i++)
            twice = strcmp(real[i - 1], real[i]) == 0;
    }
    for (size_t i = 0; real && i < files->n; i++)
        free(real[i]);
    free(real);
    return twice;
}

/* The CPUs this process may run on. */
static int usable_cpus(void)
{
    cpu_set_t set;
    return sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : (int)sysconf(_SC_NPROCESSORS_ONLN);
}

/* How many parts a batch of files is written in: 1 (one writer), or 2 to
 * MAX_PARTS of at most PART_BYTES each, no more than its files; an even number
 * where it can be, so the two writers end together (three parts would keep one
 * of them idle for a third of the run). */
static size_t parts_for(const file_list *files)
{
    if (files->n < 2 || files->total_bytes < wensou_env_count("WENSOU_HALVES_BYTES", HALVES_BYTES, 0) ||
        usable_cpus() < 2)
        return 1;
    size_t per = wensou_env_count("WENSOU_PART_BYTES", PART_BYTES, 1);
    size_t n = files->total_bytes / per + (files->total_bytes % per != 0);
    n += n % 2;
    n = n > MAX_PARTS ? MAX_PARTS : n;
    return n > files->n ? files->n : n;
}

/* Cuts files into n parts of about equal bytes, in list order, each of one file
 * at least; views into files. */
static void cut_parts(const file_list *files, part_run *parts, size_t n)
{
    size_t i = 0, bytes = 0;
    for (size_t k = 0; k < n; k++) {
        part_run *p = &parts[k];
        p->k = k;
        p->files = *files;
        p->files.paths = files->paths + i;
        p->files.sizes = files->sizes + i;
        p->files.total_bytes = 0;
        const int last = k == n - 1;
        const size_t end = (size_t)((double)files->total_bytes * (double)(k + 1) / (double)n);
        const size_t stop = files->n - (n - 1 - k);   /* one file left for each later part */
        size_t j = i;
        while (j < stop && (j == i || last || bytes + files->sizes[j] / 2 <= end)) {
            bytes += files->sizes[j];
            p->files.total_bytes += files->sizes[j];
            j++;
        }
        p->files.n = j - i;
        i = j;
        p->b.files = &p->files;
    }
}

/* Starts writing a batch in n parts (parts_for) when the index is new: the
 * second thread on the parts after part 0; *first is then part 0, which the caller
 * writes with w. Returns whether it started (pl holds the plan to finish). */
static int start_parts(idx_writer *w, const char *db, const file_list *files, size_t n, const seg_dict *dict,
                       const char *context, int rebuild, int bar, file_list *first, part_plan *pl, pthread_t *thread)
{
    *first = *files;
    memset(pl, 0, sizeof *pl);
    if (n < 2 || !idx_writer_empty(w) || !idx_parts_possible(db) || names_a_file_twice(files) != 0)
        return 0;
    pl->parts = calloc(n, sizeof *pl->parts);
    if (!pl->parts)
        return 0;
    pl->n = n;
    pl->db = db;
    pl->dict = dict;
    pl->context = context;
    pl->rebuild = rebuild;
    pl->bar = bar;
    atomic_init(&pl->halt, 0);
    atomic_init(&pl->next, 1);
    cut_parts(files, pl->parts, n);
    for (size_t k = 0; k < n; k++)
        pl->parts[k].b.halt = &pl->halt;
    if (pthread_create(thread, NULL, write_parts_aside, pl) != 0) {
        free(pl->parts);
        memset(pl, 0, sizeof *pl);
        return 0;
    }
    *first = pl->parts[0].files;
    return 1;
}

/* A side part's files when it is not merged (saved in its side index only, or
 * pending there): failed, as a failed commit's; returns how many (the caller
 * says so once for every part). */
static size_t lose_part(batch *b)
{
    size_t lost = b->saved.added + b->saved.updated + b->pending.added + b->pending.updated;
    memset(&b->saved, 0, sizeof b->saved);
    memset(&b->pending, 0, sizeof b->pending);
    b->failed += (int)lost;
    return lost;
}

/* The files of b its writer did not reach, when another part's failure stopped it
 * (its own failure is report_untried's). */
static size_t halted_before(const batch *b)
{
    return b->index_failed ? 0 : b->files->n - b->reached;
}

/* After part 0 (b0): commits it into the index (its files are whole there,
 * whatever becomes of the others), writes parts beside the second thread until
 * none is left, waits for it and merges every side part whose writer closed into db; their files count as
 * saved only then. A failure of part 0 stops the others: nothing could be merged
 * into db. */
static void finish_parts(idx_writer *w, const char *db, part_plan *pl, pthread_t thread, const batch *b0,
                         int main_failed)
{
    idx_err err = {0};
    if (!main_failed && idx_writer_commit(w, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        main_failed = 1;
    }
    if (main_failed)
        atomic_store(&pl->halt, 1);
    write_parts(pl, pl->bar);
    if (pl->bar)
        fputs("\r\033[K", stderr);
    pthread_join(thread, NULL);
    const int halted = atomic_load(&pl->halt) && !stop_requested;
    size_t *merge = calloc(pl->n, sizeof *merge), nmerge = 0, untried = halted ? halted_before(b0) : 0, lost = 0;
    for (size_t k = 1; k < pl->n; k++) {
        part_run *p = &pl->parts[k];
        batch *b = &p->b;
        if (!p->started) {
            untried += p->files.n;
            if (p->rc) {                     /* its index could not be made */
                fprintf(stderr, "wensou: %s\n", p->err.msg);
                b->failed++;
            }
            continue;
        }
        if (p->rc != 0 && !b->index_failed) {
            fprintf(stderr, "wensou: %s\n", p->err.msg);
            b->failed++;
        }
        if (!p->closed && p->close_err.msg[0])
            fprintf(stderr, "wensou: %s\n", p->close_err.msg);
        if (p->closed)
            settle(b, 1);
        else
            lost += lose_part(b);            /* its last commit not made: left out of the merge */
        report_untried(b);
        untried += halted ? halted_before(b) : 0;
        if (p->closed && merge && b->saved.added + b->saved.updated)
            merge[nmerge++] = k;
    }
    if (untried && halted)
        fprintf(stderr, P_("wensou: %zu file was not tried: the index could not be written\n",
                           "wensou: %zu files were not tried: the index could not be written\n", untried), untried);
    if (!merge)
        fprintf(stderr, "wensou: %s\n", _("out of memory"));
    int merged = nmerge && !main_failed && idx_parts_merge(w, db, merge, nmerge, &err) == 0;
    if (nmerge && !main_failed && !merged)
        fprintf(stderr, "wensou: %s\n", err.msg);
    for (size_t k = 1; !merged && k < pl->n; k++)
        lost += lose_part(&pl->parts[k].b);
    if (lost)
        fprintf(stderr, P_("wensou: %zu file was not saved: its part of the index was not merged in\n",
                           "wensou: %zu files were not saved: their parts of the index were not merged in\n", lost),
                lost);
    free(merge);
    idx_parts_clean(db);
}

/* What a batch in parts did (parts 1 on) to t; frees the plan. */
static void add_part_totals(run_totals *t, part_plan *pl)
{
    for (size_t k = 1; k < pl->n; k++)
        add_totals(t, &pl->parts[k].b);
    free(pl->parts);
    pl->parts = NULL;
}

/* Indexes files into the index at db (and prunes it when asked); adds what
 * happened to t. A large batch into a new index is written in parts by two
 * writers at once (start_parts). Returns non-zero when the run must stop: 1
 * interrupted, 2 the index could not be opened (said on stderr). */
static int index_into(const char *db, const file_list *files, const seg_dict *dict, int rebuild, int prune, int quiet,
                      run_totals *t)
{
    idx_writer *w;
    idx_err err = {0};
    /* a folder that is no index yet will likely be written in parts: its writer
     * buffers as its part's writers do (should start_parts fall back to one writer,
     * a link or a file named twice, it writes the batch flushing more often: slower,
     * the same index) */
    const size_t n = parts_for(files);
    const int fresh = n > 1 && !xsh_db_exists(db);
    if (idx_writer_open(db, dict, fresh ? files->total_bytes / n : files->total_bytes, &w, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        t->failed++;
        return 2;
    }
    idx_parts_clean(db);                     /* what a run that died left beside it */
    char context[65];
    if (cli_dict_fingerprint(context) != CLI_OK || idx_writer_set_context(w, context) != 0) {
        cli_error("index", _("out of memory"));
        idx_writer_close(w, NULL);
        t->failed++;
        return 1;
    }
    idx_writer_set_rebuild(w, rebuild);
    const int bar = !quiet && isatty(STDERR_FILENO);
    file_list first;
    part_plan plan;
    pthread_t thread;
    int parts = start_parts(w, db, files, n, dict, context, rebuild, bar, &first, &plan, &thread);
    batch b;
    memset(&b, 0, sizeof b);
    b.files = &first;
    b.w = w;
    b.halt = parts ? &plan.halt : NULL;
    b.bar = bar;
    b.t0 = now();
    int unwritable = idx_writer_add_files(w, first.paths, first.n, file_done, &b, &err) != 0;
    if (unwritable && !b.index_failed) {
        fprintf(stderr, "wensou: %s\n", err.msg);        /* before any file: the index itself */
        b.failed++;
    }
    if (b.bar)
        fputs("\r\033[K", stderr);
    size_t removed = 0;
    if (prune && !stop_requested && !b.index_failed && idx_writer_prune(w, &removed, &err) != 0) {
        fprintf(stderr, "wensou: %s\n", err.msg);
        b.failed++;
    }
    if (parts)
        finish_parts(w, db, &plan, thread, &b, unwritable || b.index_failed);
    if (idx_writer_close(w, &err) != 0) {
        if (err.msg[0])
            fprintf(stderr, "wensou: %s\n", err.msg);
        settle(&b, 0);
        if (!b.index_failed)
            b.failed++;
    } else {
        settle(&b, 1);
    }
    report_untried(&b);
    add_totals(t, &b);
    if (parts)
        add_part_totals(t, &plan);
    t->removed += removed;
    return stop_requested != 0;
}

/* Indexes files into each shard of a set: a file into the one its path hashes to. */
static int index_shards(char *const *shards, size_t nshards, const file_list *files, const seg_dict *dict,
                        int rebuild, int prune, int quiet, run_totals *t)
{
    file_list part = {0};                   /* borrows files' paths */
    part.paths = calloc(files->n ? files->n : 1, sizeof *part.paths);
    part.sizes = calloc(files->n ? files->n : 1, sizeof *part.sizes);
    size_t *shard_of = calloc(files->n ? files->n : 1, sizeof *shard_of);
    int stop = !part.paths || !part.sizes || !shard_of;
    for (size_t i = 0; !stop && i < files->n; i++)
        shard_of[i] = idx_shard_of(files->paths[i], nshards);   /* one realpath a file */
    if (stop) {
        cli_error("index", _("out of memory"));
        t->failed++;
    }
    for (size_t s = 0; s < nshards && !stop; s++) {
        part.n = part.total_bytes = 0;
        for (size_t i = 0; i < files->n; i++)
            if (shard_of[i] == s) {
                part.paths[part.n] = files->paths[i];
                part.sizes[part.n++] = files->sizes[i];
                part.total_bytes += files->sizes[i];
            }
        stop = index_into(shards[s], &part, dict, rebuild, prune, quiet, t);   /* every shard, files or not */
    }
    free(part.paths);
    free(part.sizes);
    free(shard_of);
    return stop;
}

int cmd_index(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'd'}, {"prune", no_argument, 0, 'p'},
                                         {"rebuild", no_argument, 0, 'r'}, {"shards", required_argument, 0, 's'},
                                         {"shard", required_argument, 0, 'k'},
                                         {"quiet", no_argument, 0, 'q'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL;
    int prune = 0, quiet = 0, rebuild = 0, c;
    size_t shard_count = 0, own_shard = 0, own_of = 0;   /* --shard K/N: K of N, N 0 when not given */
    char *end;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:qh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'p': prune = 1; break;
        case 'r': rebuild = 1; break;
        case 's':
            shard_count = strtoul(optarg, &end, 10);
            if (*end || optarg[0] < '1' || optarg[0] > '9' || shard_count > MAX_SHARDS)
                return cli_usage_error("index", _("--shards takes a count from 1 to 256"));
            break;
        case 'k':
            own_shard = strtoul(optarg, &end, 10);
            own_of = *end == '/' && end > optarg && optarg[0] >= '0' && optarg[0] <= '9' && end[1] >= '1'
                             && end[1] <= '9'
                         ? strtoul(end + 1, &end, 10)
                         : 0;
            if (*end || own_of == 0 || own_of > MAX_SHARDS || own_shard >= own_of)
                return cli_usage_error("index", _("--shard takes K/N: shard K (from 0) of N, N from 1 to 256"));
            break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return CLI_OK;
        default: return cli_getopt_error("index", c, optopt, argv[optind - 1]);
        }
    }
    if (optind == argc && !prune)
        return cli_usage_error("index", _("no PATH given"));
    if (own_of && shard_count)
        return cli_usage_error("index", _("--shard and --shards do not go together"));
    db = cli_db_path(db);

    file_list files = {0};
    int failed = 0;
    for (int i = optind; i < argc; i++)
        if (collect(&files, argv[i], 1, &failed) != 0) {
            cli_error("index", _("out of memory"));
            list_free(&files);
            return CLI_FAILED;
        }

    size_t others = own_of ? keep_own_shard(&files, own_shard, own_of) : 0;
    char **shards = NULL;
    size_t nshards = 0;
    idx_err err = {0};
    if (idx_shards_open(db, shard_count, &shards, &nshards, &err) != 0 || (own_of && nshards)) {
        if (own_of && nshards)
            cli_error(db, _("a shard set: --shard writes one shard's own index"));
        else
            fprintf(stderr, "wensou: %s\n", err.msg);
        idx_shards_free(shards, nshards);
        list_free(&files);
        return CLI_FAILED;
    }
    seg_dict *dict;
    if (cli_open_dict(1, &dict) != CLI_OK) {
        idx_shards_free(shards, nshards);
        list_free(&files);
        return CLI_FAILED;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    run_totals t;
    memset(&t, 0, sizeof t);
    double t0 = now();
    if (nshards)
        index_shards(shards, nshards, &files, dict, rebuild, prune, quiet, &t);
    else if (index_into(db, &files, dict, rebuild, prune, quiet, &t) == 2) {
        seg_dict_close(dict);                  /* one index that cannot be opened: no summary */
        list_free(&files);
        return CLI_FAILED;
    }
    report_skipped(&files);
    double dt = now() - t0;
    if (stop_requested)
        fputs(_("interrupted: "), stdout);
    printf(_("%zu added, %zu updated, %zu unchanged, %zu removed, %d failed"), t.saved.added, t.saved.updated,
           t.unchanged, t.removed, failed + t.failed);
    if (files.nskipped)
        printf(_(", %zu skipped"), files.nskipped);
    if (others)
        printf(_(", %zu for other shards"), others);
    printf(_("; %zu passages; %.2f s; %.1f MB/s\n"), t.saved.passages, dt, dt > 0 ? (double)t.bytes / 1e6 / dt : 0.0);
    failed += t.failed;
    idx_shards_free(shards, nshards);
    list_free(&files);
    seg_dict_close(dict);
    if (stop_requested)
        return 130;
    return failed ? CLI_FAILED : CLI_OK;
}
