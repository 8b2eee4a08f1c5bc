/* parts.c — a new index written in parts by two writers at once (see indexer.h):
 * the side indexes DB.wensou-half, DB.wensou-half-2, ... and their merge into DB.
 * Xapian writes one index from one thread, and the writer thread is what bounds
 * indexing; two writers, each with its own reading thread, keep both cores busy.
 * Each part is a small index: Xapian's cost per passage grows with the index it
 * merges its buffer into (distinct documents x1000 in two halves: 1.004 MB of text
 * per CPU-second, the index written 2.92 times over; in fourteen parts 1.072 and
 * 2.21, medians of 4 interleaved rounds; parts are 8 MiB since), and compaction
 * joins them in a fraction of the time (some 5 CPU-seconds for x1000's parts). */
#define _GNU_SOURCE              /* renameat2 */
#include "indexer.h"
#include "index_bytes.h"
#include "indexer_int.h"
#include "intl.h"
#include "schema.h"
#include "xsh.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HALF_SUFFIX ".wensou-half"          /* part 1's; part k's from 2 on adds "-k" */
#define MERGED_SUFFIX ".wensou-merged"
#define PROBE_A_SUFFIX ".wensou-probe-a"   /* two empty folders idx_parts_possible exchanges */
#define PROBE_B_SUFFIX ".wensou-probe-b"

/* The folder beside db named db's name and suffix (db/ is db); -1 when db names no
 * folder of its own to stand beside (., .., /) or out is too small. */
static int sibling(const char *db, const char *suffix, char *out, size_t cap)
{
    size_t len = strlen(db);
    while (len > 1 && db[len - 1] == '/')
        len--;
    const char *base = db + len;
    while (base > db && base[-1] != '/')
        base--;
    size_t blen = (size_t)(db + len - base);
    if (blen == 0 || (blen == 1 && base[0] == '.') || (blen == 2 && base[0] == '.' && base[1] == '.') ||
        (blen == 1 && base[0] == '/'))
        return -1;
    int n = snprintf(out, cap, "%.*s%s", (int)len, db, suffix);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

int idx_part_path(const char *db, size_t k, char *out, size_t cap)
{
    char suffix[48];
    if (k == 0)
        return -1;                           /* part 0 is db itself */
    if (k == 1)
        snprintf(suffix, sizeof suffix, "%s", HALF_SUFFIX);
    else
        snprintf(suffix, sizeof suffix, "%s-%zu", HALF_SUFFIX, k);
    return sibling(db, suffix, out, cap);
}

/* Removes folder and the files in it (an index folder holds no folders); a link
 * by that name is removed, not followed. */
static void remove_folder(const char *folder)
{
    struct stat st;
    if (lstat(folder, &st) != 0)
        return;
    if (S_ISLNK(st.st_mode)) {               /* never the files a link leads to */
        unlink(folder);
        return;
    }
    DIR *d = opendir(folder);
    if (!d)
        return;
    for (struct dirent *de; (de = readdir(d)) != NULL;) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        char p[4096 + 256];
        snprintf(p, sizeof p, "%s/%s", folder, de->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(folder);
}

/* Whether name is db's base name, HALF_SUFFIX, "-" and digits (part 2 on). */
static int names_a_later_part(const char *name, const char *base, size_t blen)
{
    size_t slen = strlen(HALF_SUFFIX);
    if (strncmp(name, base, blen) || strncmp(name + blen, HALF_SUFFIX, slen) || name[blen + slen] != '-')
        return 0;
    const char *d = name + blen + slen + 1;
    if (!*d)
        return 0;
    for (; *d; d++)
        if (*d < '0' || *d > '9')
            return 0;
    return 1;
}

void idx_parts_clean(const char *db)
{
    char p[4096 + 32];
    if (sibling(db, HALF_SUFFIX, p, sizeof p) == 0) {
        remove_folder(p);
        /* parts 2 on: every DB.wensou-half-N beside db, however many a run made */
        size_t plen = strlen(p);
        char *slash = strrchr(p, '/');
        const char *base = slash ? slash + 1 : p;
        size_t blen = plen - (size_t)(base - p) - strlen(HALF_SUFFIX);
        char parent[4096 + 32];
        if (slash)
            snprintf(parent, sizeof parent, "%.*s", slash == p ? 1 : (int)(slash - p), p);
        else
            snprintf(parent, sizeof parent, ".");
        DIR *d = opendir(parent);
        for (struct dirent *de; d && (de = readdir(d)) != NULL;) {
            if (!names_a_later_part(de->d_name, base, blen))
                continue;
            char part[4096 + 300];
            snprintf(part, sizeof part, "%s/%s", parent, de->d_name);
            remove_folder(part);
        }
        if (d)
            closedir(d);
    }
    if (sibling(db, MERGED_SUFFIX, p, sizeof p) == 0)
        remove_folder(p);
    if (sibling(db, PROBE_A_SUFFIX, p, sizeof p) == 0)
        rmdir(p);
    if (sibling(db, PROBE_B_SUFFIX, p, sizeof p) == 0)
        rmdir(p);
}

typedef struct {
    char **keys;
    size_t n, cap;
    int oom;
} records;

static int collect_key(void *ctx, const char *key)
{
    records *r = ctx;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 64;
        char **k = realloc(r->keys, cap * sizeof *k);
        if (!k)
            return r->oom = 1;
        r->keys = k;
        r->cap = cap;
    }
    if (!(r->keys[r->n] = strdup(key)))
        return r->oom = 1;
    r->n++;
    return 0;
}

/* Every file record of merged with "first" set to the docid its first passage has
 * there: compaction moved the half's up past db's, and db's own down when its
 * first docids were unused. */
static int renumber_records(xsh_db *merged, const char *db, idx_err *err)
{
    records r = {0};
    xsh_err xe;
    int rc = xsh_db_metadata_keys(merged, WENSOU_META_FILE, collect_key, &r, &xe)
                 ? idx_fail(err, IDX_EINDEX, db, xe.msg)
                 : r.oom ? idx_fail(err, IDX_ENOMEM, db, NULL) : 0;
    for (size_t i = 0; i < r.n && !rc; i++) {
        const char *abs = r.keys[i] + strlen(WENSOU_META_FILE);
        char term[4096 + 8];
        int len = snprintf(term, sizeof term, "%s%s", WENSOU_PREFIX_FILE, abs);
        char *v = NULL;
        unsigned first = 0;
        if (len <= 0 || (size_t)len >= sizeof term || xsh_db_get_metadata(merged, r.keys[i], &v, &xe) ||
            xsh_db_first_posting(merged, term, (size_t)len, &first, &xe)) {
            rc = idx_fail(err, IDX_EINDEX, db, xe.msg);
        } else {
            json_t *o = json_loads(v, 0, NULL);
            char *out = NULL;
            if (json_is_object(o) && first && !json_object_set_new(o, "first", json_integer(first)))
                out = json_dumps(o, JSON_COMPACT);
            if (!out || xsh_db_set_metadata(merged, r.keys[i], out, &xe))
                rc = out ? idx_fail(err, IDX_EINDEX, db, xe.msg)
                         : idx_fail(err, IDX_EINDEX, db, _("a merged file's record is not readable"));
            free(out);
            json_decref(o);
        }
        free(v);
    }
    for (size_t i = 0; i < r.n; i++)
        free(r.keys[i]);
    free(r.keys);
    return rc;
}

/* Refuses before compacting when the disk cannot hold the merged copy of the
 * sources (Xapian can abort the process when a disk fills as it writes). */
static int check_space(const char *db, const char *const *sources, size_t n, idx_err *err)
{
    double avail = idx_disk_free(db);
    double bytes = 0;
    for (size_t i = 0; i < n; i++)
        bytes += (double)wensou_index_bytes(sources[i]);
    double need = bytes * 1.1 + SPACE_MARGIN;
    if (avail < 0 || avail >= need)
        return 0;
    char why[200];
    snprintf(why, sizeof why, _("No space left on device to merge the index's parts (%.1f MB free, %.1f MB needed)"),
             avail / 1e6, need / 1e6);
    return idx_fail(err, IDX_EINDEX, db, why);
}

int idx_parts_possible(const char *db)
{
    char a[4096 + 32], b[4096 + 32], parent[4096 + 32];
    struct stat st, pst;
    if (sibling(db, PROBE_A_SUFFIX, a, sizeof a) || sibling(db, PROBE_B_SUFFIX, b, sizeof b) ||
        lstat(db, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;                            /* a link: the exchange would move the link */
    snprintf(parent, sizeof parent, "%s/..", db);
    if (stat(parent, &pst) != 0 || pst.st_dev != st.st_dev)
        return 0;                            /* a mount point: nothing beside it is on its disk */
    rmdir(a);
    rmdir(b);
    int ok = mkdir(a, 0700) == 0 && mkdir(b, 0700) == 0 &&
             renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE) == 0;
    rmdir(a);
    rmdir(b);
    return ok;
}

int idx_parts_merge(idx_writer *w, const char *db, const size_t *parts, size_t nparts, idx_err *err)
{
    char merged[4096 + 32];
    if (sibling(db, MERGED_SUFFIX, merged, sizeof merged))
        return idx_fail(err, IDX_EINDEX, db, _("no folder beside the index to merge in"));
    char **paths = calloc(nparts + 1, sizeof *paths);
    const char **sources = calloc(nparts + 1, sizeof *sources);
    int rc = !paths || !sources ? idx_fail(err, IDX_ENOMEM, db, NULL) : 0;
    for (size_t i = 0; !rc && i < nparts; i++) {
        char p[4096 + 32];
        if (idx_part_path(db, parts[i], p, sizeof p) || !(paths[i] = strdup(p)))
            rc = idx_fail(err, IDX_EINDEX, db, _("no folder beside the index to merge in"));
        sources[i + 1] = paths[i];
    }
    if (!rc)
        rc = idx_writer_commit(w, err);
    xsh_err xe;
    xsh_db *m = NULL;
    size_t n_merged = 0, n_sources = 0;
    if (!rc) {
        sources[0] = db;
        remove_folder(merged);
        if ((rc = check_space(db, sources, nparts + 1, err)) != 0) {
            ;
        } else if (xsh_compact(sources, nparts + 1, merged, &xe) || xsh_db_open(merged, XSH_WRITE, &m, &xe)) {
            rc = idx_fail(err, IDX_EINDEX, db, xe.msg);
        } else if (!(rc = renumber_records(m, db, err)) && xsh_db_commit(m, &xe)) {
            rc = idx_fail(err, IDX_EINDEX, db, xe.msg);
        }
    }
    if (!rc) {                               /* every passage of every part is there */
        xsh_db_doc_count(m, &n_merged, &xe);
        for (size_t k = 0; k <= nparts; k++) {
            xsh_db *probe = NULL;
            size_t count = 0;
            if (xsh_db_open(sources[k], XSH_READ, &probe, &xe) == 0) {
                xsh_db_doc_count(probe, &count, &xe);
                xsh_db_close(probe);
            }
            n_sources += count;
        }
        if (n_merged != n_sources)
            rc = idx_fail(err, IDX_EINDEX, db, _("the merged index lacks passages"));
    }
    if (m && rc)
        xsh_db_discard(m);                   /* no commit of a half-renumbered copy */
    else if (m)
        xsh_db_close(m);
    if (!rc && renameat2(AT_FDCWD, merged, AT_FDCWD, db, RENAME_EXCHANGE) != 0)
        rc = idx_fail(err, IDX_EINDEX, db, strerror(errno));
    if (!rc)
        idx_writer_moved(w);                 /* db's path is the merged index now */
    idx_parts_clean(db);                     /* the parts, and db's old folder or a failed merge */
    for (size_t i = 0; paths && i < nparts; i++)
        free(paths[i]);
    free(paths);
    free(sources);
    return rc;
}
