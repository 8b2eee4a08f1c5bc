/* strbuf.c — a growing text buffer for the extractors (docx.c, html.c): appends
 * keep it NUL-terminated; running out of memory is remembered, not fatal. */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

void idx_strbuf_put(idx_strbuf *b, const char *s, size_t n)
{
    if (b->oom || n == 0)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns) {
            b->oom = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}
