/* fuzz_http.c — libFuzzer target for the daemon's HTTP framing: any bytes, taken
 * as a connection would take them (request after request, pipelined), must give
 * complete requests, "need more", or one bad request that ends it; every request's
 * answer must be one well-formed HTTP/1.1 response whose Content-Length is its body. */
#define _GNU_SOURCE
#include "srv_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_answer(srv_request *r)
{
    size_t len;
    int head = srv_request_wire(r)->head;          /* HEAD: the length of a body left out */
    char *a = srv_proto_http.answer(r, &len);
    if (!a || len < 12 || memcmp(a, "HTTP/1.1 ", 9) != 0)
        abort();
    char *end = memmem(a, len, "\r\n\r\n", 4);
    if (!end)
        abort();
    const char *cl = memmem(a, (size_t)(end - a), "\r\nContent-Length: ", 18);
    size_t body = len - (size_t)(end + 4 - a);
    if (cl && !head && strtoul(cl + 18, NULL, 10) != body)
        abort();
    if (head && body)
        abort();
    free(a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static srv_config cfg;
    static const char *const origins[] = {"https://a.example", NULL};
    if (!cfg.max_line) {
        srv_config_defaults(&cfg);
        cfg.token = "0123456789abcdef";
        cfg.cors_origins = origins;
        cfg.web_dir = "/nonexistent";
    }
    const char *buf = (const char *)data;
    size_t at = 0;
    for (int n = 0; at < size && n < 64; n++) {
        size_t used = 0;
        srv_request *r = NULL;
        int last = 0;
        srv_frame f = srv_proto_http.next(&cfg, buf + at, size - at, &used, &r, &last);
        if (f == SRV_FRAME_MORE) {
            if (r || used)
                abort();
            break;
        }
        if (r)
            check_answer(r);
        srv_request_free(r);
        if (f == SRV_FRAME_BAD || last)
            break;
        if (used == 0 || used > size - at)
            abort();                               /* a request takes its bytes, no more */
        at += used;
    }
    return 0;
}
