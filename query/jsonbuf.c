/* jsonbuf.c — JSON text built in one growing buffer: pieces of text, and values
 * dumped by jansson straight into it (json_dumps starts at 16 bytes and doubles,
 * copying, for every answer). */
#include "qry_int.h"

#include <stdlib.h>
#include <string.h>

int qry_buf_put(qry_buf *b, const char *data, size_t size)
{
    if (b->failed)
        return -1;
    if (b->len + size + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 32768;
        while (cap < b->len + size + 1)
            cap *= 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->failed = 1;
            return -1;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, data, size);
    b->len += size;
    b->s[b->len] = 0;
    return 0;
}

int qry_buf_puts(qry_buf *b, const char *text)
{
    return qry_buf_put(b, text, strlen(text));
}

static int sink(const char *data, size_t size, void *ctx)
{
    return qry_buf_put(ctx, data, size);
}

int qry_buf_json(qry_buf *b, const json_t *j, size_t flags)
{
    if (json_dump_callback(j, sink, b, flags | JSON_ENCODE_ANY) != 0)
        b->failed = 1;
    return b->failed ? -1 : 0;
}

char *qry_buf_finish(qry_buf *b, size_t *len)
{
    if (b->failed || !b->s) {
        free(b->s);
        memset(b, 0, sizeof *b);
        return NULL;
    }
    char *s = b->s;
    if (len)
        *len = b->len;
    memset(b, 0, sizeof *b);
    return s;
}
