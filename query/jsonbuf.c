/* jsonbuf.c — JSON text built in one growing buffer: pieces of text, and values
 * dumped by jansson straight into it (json_dumps starts at 16 bytes and doubles,
 * copying, for every answer). */
#include "qry_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qry_json_text(const char *s)
{
    for (size_t i = 0, len = strlen(s); i < len;) {
        int32_t cp;
        int k = seg_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

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

/* A string as jansson writes it: ", \\ and control characters escaped, the rest
 * (valid UTF-8, as in any json_t) as it is. */
void qry_buf_string(qry_buf *b, const char *s, size_t len)
{
    qry_buf_put(b, "\"", 1);
    size_t from = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c != '"' && c != '\\' && c >= 0x20)
            continue;
        qry_buf_put(b, s + from, i - from);
        char esc[8];
        switch (c) {
        case '"': qry_buf_puts(b, "\\\""); break;
        case '\\': qry_buf_puts(b, "\\\\"); break;
        case '\b': qry_buf_puts(b, "\\b"); break;
        case '\f': qry_buf_puts(b, "\\f"); break;
        case '\n': qry_buf_puts(b, "\\n"); break;
        case '\r': qry_buf_puts(b, "\\r"); break;
        case '\t': qry_buf_puts(b, "\\t"); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04X", c);
            qry_buf_puts(b, esc);
        }
        from = i + 1;
    }
    qry_buf_put(b, s + from, len - from);
    qry_buf_put(b, "\"", 1);
}

void qry_buf_integer(qry_buf *b, json_int_t v)
{
    char digits[24];
    size_t n = sizeof digits;
    unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
    do
        digits[--n] = (char)('0' + u % 10);
    while ((u /= 10) != 0);
    if (v < 0)
        digits[--n] = '-';
    qry_buf_put(b, digits + n, sizeof digits - n);
}

int qry_buf_real(qry_buf *b, double v)
{
    char text[40];
    if (!isfinite(v))
        v = 0;
    int n = snprintf(text, sizeof text, "%.6g", v);
    if (n <= 0 || (size_t)n >= sizeof text - 2 || strpbrk(text, "eE")) {
        json_t *j = json_real(v);             /* an exponent: jansson's own form */
        int rc = j ? qry_buf_json(b, j, JSON_REAL_PRECISION(6)) : (b->failed = 1, -1);
        json_decref(j);
        return rc;
    }
    if (strspn(text, "0123456789-") == (size_t)n)
        strcpy(text + n, ".0");
    return qry_buf_puts(b, text);
}

int qry_buf_compact(qry_buf *b, const json_t *j, size_t flags)
{
    if ((flags & (JSON_SORT_KEYS | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH | 0x1F)) || !(flags & JSON_COMPACT))
        return qry_buf_json(b, j, flags);
    size_t i;
    const char *key;
    json_t *v;
    switch (json_typeof(j)) {
    case JSON_OBJECT:
        qry_buf_put(b, "{", 1);
        i = 0;
        json_object_foreach((json_t *)j, key, v) {
            if (i++)
                qry_buf_put(b, ",", 1);
            qry_buf_string(b, key, strlen(key));
            qry_buf_put(b, ":", 1);
            qry_buf_compact(b, v, flags);
        }
        qry_buf_put(b, "}", 1);
        break;
    case JSON_ARRAY:
        qry_buf_put(b, "[", 1);
        json_array_foreach(j, i, v) {
            if (i)
                qry_buf_put(b, ",", 1);
            qry_buf_compact(b, v, flags);
        }
        qry_buf_put(b, "]", 1);
        break;
    case JSON_STRING:
        qry_buf_string(b, json_string_value(j), json_string_length(j));
        break;
    case JSON_INTEGER:
        qry_buf_integer(b, json_integer_value(j));
        break;
    case JSON_TRUE: qry_buf_puts(b, "true"); break;
    case JSON_FALSE: qry_buf_puts(b, "false"); break;
    case JSON_NULL: qry_buf_puts(b, "null"); break;
    default:
        return qry_buf_json(b, j, flags);
    }
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
