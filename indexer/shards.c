/* shards.c — a shard set on disk: a folder holding Xapian's stub XAPIANDB, whose
 * lines "auto shard-NN" name its indexes, and which shard each file belongs to (a
 * stable hash of its absolute path, so a file's passages stay on one shard and
 * re-indexing finds them there). */
#define _XOPEN_SOURCE 700   /* realpath */
#include "indexer.h"
#include "schema.h"
#include "xsh.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(idx_err *err, int code, const char *what, const char *why)
{
    err->code = code;
    snprintf(err->msg, sizeof err->msg, "%.150s: %.100s", what, why);
    return code;
}

/* Writes the stub of n shards into the new folder dir (through a temporary file:
 * a half-written stub is never read). */
static int create_set(const char *dir, size_t n, idx_err *err)
{
    if (mkdir(dir, 0777) != 0)
        return fail(err, IDX_EINDEX, dir, strerror(errno));
    char tmp[PATH_MAX], stub[PATH_MAX];
    if ((size_t)snprintf(tmp, sizeof tmp, "%s/XAPIANDB.tmp", dir) >= sizeof tmp
        || (size_t)snprintf(stub, sizeof stub, "%s/XAPIANDB", dir) >= sizeof stub)
        return fail(err, IDX_EINDEX, dir, "path too long");
    FILE *f = fopen(tmp, "w");
    if (!f)
        return fail(err, IDX_EINDEX, tmp, strerror(errno));
    fprintf(f, "# a wensou shard set: files are spread by a hash of their path, so keep the count\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "auto shard-%02zu\n", i);
    int bad = ferror(f);
    bad |= fflush(f) != 0 || fsync(fileno(f)) != 0;
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, stub) != 0) {
        int e = errno;
        unlink(tmp);
        return fail(err, IDX_EINDEX, stub, strerror(e ? e : EIO));
    }
    return 0;
}

int idx_shards_open(const char *db_path, size_t create, char ***paths, size_t *n, idx_err *err)
{
    *paths = NULL;
    *n = 0;
    xsh_err xe;
    int rc = xsh_stub_shards(db_path, paths, n, &xe);
    if (rc == XSH_EOK) {
        if (create && create != *n) {
            char why[128];
            snprintf(why, sizeof why, "a set of %zu shards, not %zu (a file's shard follows the count)", *n, create);
            idx_shards_free(*paths, *n);
            *paths = NULL;
            *n = 0;
            return fail(err, IDX_EINDEX, db_path, why);
        }
        return 0;
    }
    if (rc != XSH_ENOTFOUND)
        return fail(err, IDX_EINDEX, db_path, xe.msg);
    if (!create)
        return 0;                                  /* one index */
    struct stat st;
    if (stat(db_path, &st) == 0)
        return fail(err, IDX_EINDEX, db_path, "already there and not a shard set (--shards makes a new one)");
    if ((rc = create_set(db_path, create, err)) != 0)
        return rc;
    rc = xsh_stub_shards(db_path, paths, n, &xe);
    return rc ? fail(err, IDX_EINDEX, db_path, xe.msg) : 0;
}

void idx_shards_free(char **paths, size_t n)
{
    for (size_t i = 0; paths && i < n; i++)
        free(paths[i]);
    free(paths);
}

size_t idx_shard_of(const char *path, size_t n)
{
    char abs[PATH_MAX];
    const char *p = realpath(path, abs) ? abs : path;   /* the path the index records */
    return n ? (size_t)(wensou_path_hash(p) % n) : 0;
}
