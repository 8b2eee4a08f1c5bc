/* fuzz_stub.c — libFuzzer target for a shard set's stub: any bytes as the stub
 * (XAPIANDB in a folder, which also holds one real index, shard-00), listed by
 * xsh_stub_shards and opened for reading with remote shards refused. Either gives
 * a status and a message; what it lists is a path each; nothing crashes, loops or
 * connects. */
#include "xsh.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char stub[128], shard[128];
    if (!dir[0]) {
        strcpy(dir, "/tmp/wensou-fuzz-stub-XXXXXX");
        if (!mkdtemp(dir))
            abort();
        snprintf(shard, sizeof shard, "%s/shard-00", dir);
        xsh_db *w;
        xsh_err we;
        if (xsh_db_open(shard, XSH_WRITE, &w, &we) != 0)
            abort();
        xsh_db_close(w);
    }
    snprintf(stub, sizeof stub, "%s/XAPIANDB", dir);
    FILE *f = fopen(stub, "wb");
    if (!f)
        abort();
    fwrite(data, 1, size, f);
    fclose(f);
    char **paths;
    size_t n;
    xsh_err err;
    int rc = xsh_stub_shards(dir, &paths, &n, &err);
    if (rc == XSH_EOK) {
        for (size_t i = 0; i < n; i++)
            if (!paths[i] || !paths[i][0])
                abort();
        for (size_t i = 0; i < n; i++)
            free(paths[i]);
        free(paths);
    } else if (!err.msg[0] || n != 0) {
        abort();
    }
    xsh_db *db = NULL;
    rc = xsh_db_open(dir, XSH_READ, &db, &err);
    if (rc == XSH_EOK) {
        char *v = NULL;
        xsh_db_get_metadata(db, "wensou:schema", &v, &err);
        free(v);
        xsh_db_close(db);
    } else if (!err.msg[0] || rc == XSH_ENETWORK) {
        abort();                                   /* a remote shard was tried */
    }
    return 0;
}
