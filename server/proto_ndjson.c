/* proto_ndjson.c — the daemon's first protocol: one JSON request object a line
 * (LF or CRLF; empty lines ignored), one JSON answer a line, in order. */
#include "srv_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static srv_frame ndjson_next(const srv_config *cfg, const char *buf, size_t len, size_t *used, srv_request **out,
                             int *last)
{
    *out = NULL;
    *used = 0;
    *last = 0;
    const char *nl = memchr(buf, '\n', len);
    size_t end = nl ? (size_t)(nl - buf) : len;
    if (end > cfg->max_line) {                 /* a line too long: say so and hang up */
        char msg[96];
        snprintf(msg, sizeof msg, "request line over %zu bytes", cfg->max_line);
        *out = srv_request_error("bad_request", msg);
        return SRV_FRAME_BAD;
    }
    if (!nl)
        return SRV_FRAME_MORE;
    size_t n = end;
    if (n > 0 && buf[n - 1] == '\r')
        n--;
    *used = end + 1;
    if (n > 0)
        *out = srv_request_parse(buf, n);      /* NULL: out of memory */
    return SRV_FRAME_REQUEST;
}

/* The answer line and its newline. */
static char *ndjson_answer(srv_request *r, size_t *len)
{
    char *s = srv_request_response(r, len);
    char *line = s ? realloc(s, *len + 1) : NULL;
    if (!line) {
        free(s);
        static const char oom[] = "{\"id\":null,\"ok\":false,\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
        line = strdup(oom);
        *len = line ? sizeof oom - 1 : 0;
        return line;
    }
    line[(*len)++] = '\n';
    return line;
}

const srv_proto srv_proto_ndjson = {"ndjson", ndjson_next, ndjson_answer};
