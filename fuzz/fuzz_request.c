/* fuzz_request.c — libFuzzer target for the daemon's request parser: any line
 * must parse to a request whose response is one valid JSON object. */
#include "srv.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    srv_request *r = srv_request_parse((const char *)data, size);
    if (!r)
        return 0;
    size_t len;
    char *resp = srv_request_response(r, &len);
    json_t *o = resp ? json_loadb(resp, len, 0, NULL) : NULL;
    if (!json_is_object(o) || !json_object_get(o, "ok"))
        abort();
    json_decref(o);
    free(resp);
    srv_request_free(r);
    return 0;
}
