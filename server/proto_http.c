/* proto_http.c — the daemon's HTTP/1.1 (Debian's libhttp-parser frames it):
 * keep-alive and pipelining on the same connections, limits and answers as NDJSON.
 * GET (and HEAD) only, no request bodies. The endpoints, one row each below:
 * /search, /documents, /documents/{id}/text, /health, /stats, /metrics, and the web
 * page's files at /. A bearer token, when the daemon has one, guards every endpoint
 * but the page's files; CORS answers only the origins it was given. */
#include "srv_int.h"

#include <glib.h>
#include <http_parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one request's head says, as the parser reads it. */
typedef struct {
    const char *url;
    size_t url_len;
    char field[32];              /* the header being read (lower case, truncated) */
    const char *auth, *origin, *accept;
    size_t auth_len, origin_len, accept_len;
    int complete;                /* on_message_complete ran */
    int body;                    /* a body was sent (none is taken) */
} head;

static int on_url(http_parser *p, const char *at, size_t len)
{
    head *h = p->data;
    if (!h->url)
        h->url = at;
    h->url_len += len;
    return 0;
}

static int on_header_field(http_parser *p, const char *at, size_t len)
{
    head *h = p->data;
    h->field[0] = 0;
    if (len >= sizeof h->field)
        return 0;                              /* a longer name is none we read */
    for (size_t i = 0; i < len; i++)
        h->field[i] = (char)g_ascii_tolower(at[i]);
    h->field[len] = 0;
    return 0;
}

static int on_header_value(http_parser *p, const char *at, size_t len)
{
    head *h = p->data;
    if (strcmp(h->field, "authorization") == 0) {
        h->auth = at;
        h->auth_len = len;
    } else if (strcmp(h->field, "origin") == 0) {
        h->origin = at;
        h->origin_len = len;
    } else if (strcmp(h->field, "accept") == 0) {
        h->accept = at;
        h->accept_len = len;
    }
    return 0;
}

static int on_body(http_parser *p, const char *at, size_t len)
{
    (void)at;
    (void)len;
    ((head *)p->data)->body = 1;
    return 0;
}

static int on_message_complete(http_parser *p)
{
    ((head *)p->data)->complete = 1;
    http_parser_pause(p, 1);                   /* one request at a time: the rest waits */
    return 0;
}

static const http_parser_settings settings = {
    .on_url = on_url, .on_header_field = on_header_field, .on_header_value = on_header_value,
    .on_body = on_body, .on_message_complete = on_message_complete,
};

/* ---- routes ---- */

typedef struct {
    const srv_config *cfg;
    const char *path;            /* percent-decoded */
    GHashTable *params;          /* name → value (decoded), or NULL */
    const head *h;
} route_ctx;

static const char *param(const route_ctx *r, const char *name)
{
    return r->params ? g_hash_table_lookup(r->params, name) : NULL;
}

/* Whether s[0, n) contains needle (for Accept). */
static int holds(const char *s, size_t n, const char *needle)
{
    return s && g_strstr_len(s, (gssize)n, needle) != NULL;
}

static srv_request *route_search(const route_ctx *r)
{
    const char *counts[SRV_NCOUNTS];
    for (int c = 0; c < SRV_NCOUNTS; c++)
        counts[c] = param(r, srv_search_counts[c].name);
    srv_request *q = srv_request_search(param(r, "q"), counts);
    const char *format = param(r, "format");
    if (q && ((format && strcmp(format, "csv") == 0) || holds(r->h->accept, r->h->accept_len, "text/csv")))
        srv_request_wire(q)->csv = 1;
    return q;
}

static srv_request *route_documents(const route_ctx *r) { (void)r; return srv_request_op("documents"); }
static srv_request *route_health(const route_ctx *r) { (void)r; return srv_request_op("health"); }
static srv_request *route_stats(const route_ctx *r) { (void)r; return srv_request_op("stats"); }
static srv_request *route_metrics(const route_ctx *r) { (void)r; return srv_request_op("metrics"); }

/* /documents/{id}/text: id is 16 hex digits (qry_document_id). */
static srv_request *route_text(const route_ctx *r)
{
    const char *id = r->path + strlen("/documents/");
    const char *slash = strchr(id, '/');
    if (!slash || slash - id != 16 || strcmp(slash, "/text") != 0)
        return srv_request_error("not_found", "no such endpoint");
    for (const char *c = id; c < slash; c++)
        if (!g_ascii_isxdigit(*c))
            return srv_request_error("not_found", "no such document id");
    char want[17];
    memcpy(want, id, 16);
    want[16] = 0;
    return srv_request_text(want, param(r, "start"), param(r, "end"));
}

/* The web page's files: a plain name in web_dir ("/" is index.html). */
static srv_request *route_file(const route_ctx *r)
{
    static const struct { const char *ext, *type; } types[] = {
        {".html", "text/html; charset=utf-8"}, {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"}, {".svg", "image/svg+xml"}, {".png", "image/png"},
        {".ico", "image/x-icon"}, {".txt", "text/plain; charset=utf-8"},
    };
    const char *name = strcmp(r->path, "/") == 0 ? "index.html" : r->path + 1;
    if (!r->cfg->web_dir || !*name || strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen(name)
        || name[0] == '.')
        return srv_request_error("not_found", "no such endpoint or file");
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (g_str_has_suffix(name, types[i].ext)) {
            char *path = g_build_filename(r->cfg->web_dir, name, NULL);
            srv_request *q = srv_request_file(path, types[i].type);
            g_free(path);
            return q;
        }
    return srv_request_error("not_found", "no such endpoint or file");
}

typedef struct {
    const char *path;            /* exact, or a prefix when it ends in '/' */
    srv_request *(*make)(const route_ctx *r);
    int guarded;                 /* the token is asked for */
} route;

static const route routes[] = {
    {"/search", route_search, 1},       {"/documents", route_documents, 1}, {"/documents/", route_text, 1},
    {"/health", route_health, 1},       {"/stats", route_stats, 1},         {"/metrics", route_metrics, 1},
};

static const route *find_route(const char *path)
{
    for (size_t i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        size_t n = strlen(routes[i].path);
        if (routes[i].path[n - 1] == '/' ? strncmp(path, routes[i].path, n) == 0 && path[n] : strcmp(path, routes[i].path) == 0)
            return &routes[i];
    }
    return NULL;
}

/* Whether the Authorization header is "Bearer TOKEN" (compared in constant time). */
static int authorised(const srv_config *cfg, const head *h)
{
    static const char bearer[] = "Bearer ";
    size_t tl = strlen(cfg->token);
    if (!h->auth || h->auth_len != sizeof bearer - 1 + tl || g_ascii_strncasecmp(h->auth, bearer, sizeof bearer - 1))
        return 0;
    unsigned char diff = 0;
    for (size_t i = 0; i < tl; i++)
        diff |= (unsigned char)(h->auth[sizeof bearer - 1 + i] ^ cfg->token[i]);
    return diff == 0;
}

/* The origin, when the daemon lets it call (copied into out). */
static void allowed_origin(const srv_config *cfg, const head *h, char *out, size_t cap)
{
    out[0] = 0;
    for (size_t i = 0; h->origin && cfg->cors_origins && cfg->cors_origins[i]; i++)
        if (strlen(cfg->cors_origins[i]) == h->origin_len && h->origin_len < cap
            && memcmp(cfg->cors_origins[i], h->origin, h->origin_len) == 0) {
            memcpy(out, h->origin, h->origin_len);
            out[h->origin_len] = 0;
        }
}

/* The request a complete message asks for. */
static srv_request *request_of(const srv_config *cfg, http_parser *p, const head *h)
{
    char origin[256];
    allowed_origin(cfg, h, origin, sizeof origin);
    srv_request *q = NULL;
    struct http_parser_url u;
    http_parser_url_init(&u);
    char *path = NULL;
    GHashTable *params = NULL;
    if (p->method != HTTP_GET && p->method != HTTP_HEAD && p->method != HTTP_OPTIONS)
        q = srv_request_error("method_not_allowed", "only GET, HEAD and OPTIONS");
    else if (h->body)
        q = srv_request_error("too_large", "requests have no body here: use GET with parameters");
    else if (p->method == HTTP_OPTIONS)
        q = srv_request_empty();              /* a CORS preflight */
    else if (!h->url || http_parser_parse_url(h->url, h->url_len, 0, &u) != 0 || !(u.field_set & (1 << UF_PATH)))
        q = srv_request_error("bad_request", "a malformed URL");
    if (!q) {
        char *raw = g_strndup(h->url + u.field_data[UF_PATH].off, u.field_data[UF_PATH].len);
        path = g_uri_unescape_string(raw, NULL);
        g_free(raw);
        if (u.field_set & (1 << UF_QUERY)) {
            char *query = g_strndup(h->url + u.field_data[UF_QUERY].off, u.field_data[UF_QUERY].len);
            params = g_uri_parse_params(query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
            g_free(query);
            if (!params)
                q = srv_request_error("bad_request", "malformed parameters (bad percent-encoding?)");
        }
        if (!path && !q)
            q = srv_request_error("bad_request", "a malformed path (bad percent-encoding?)");
        else if (path && !q && !g_utf8_validate(path, -1, NULL))
            q = srv_request_error("bad_request", "the path is not UTF-8");
    }
    if (!q) {
        route_ctx r = {cfg, path, params, h};
        const route *rt = find_route(path);
        if (rt && rt->guarded && cfg->token && !authorised(cfg, h))
            q = srv_request_error("unauthorized", "a bearer token is required: Authorization: Bearer TOKEN");
        else
            q = rt ? rt->make(&r) : route_file(&r);
    }
    g_free(path);
    if (params)
        g_hash_table_unref(params);
    if (q) {
        srv_wire *w = srv_request_wire(q);
        snprintf(w->origin, sizeof w->origin, "%s", origin);
        w->head = p->method == HTTP_HEAD;
        w->close = !http_should_keep_alive(p);
    }
    return q;
}

static srv_frame http_next(const srv_config *cfg, const char *buf, size_t len, size_t *used, srv_request **out,
                           int *last)
{
    *out = NULL;
    *used = 0;
    *last = 0;
    head h;
    memset(&h, 0, sizeof h);
    http_parser p;
    http_parser_init(&p, HTTP_REQUEST);
    p.data = &h;
    size_t n = http_parser_execute(&p, &settings, buf, len);
    enum http_errno e = HTTP_PARSER_ERRNO(&p);
    if (h.complete) {                          /* paused at its end */
        *used = n;
        *out = request_of(cfg, &p, &h);
        *last = !*out || srv_request_wire(*out)->close;
        return SRV_FRAME_REQUEST;
    }
    if (e != HPE_OK) {
        char msg[160];
        snprintf(msg, sizeof msg, "not HTTP/1.1: %s", http_errno_description(e));
        *out = srv_request_error(e == HPE_HEADER_OVERFLOW ? "headers_too_large" : "bad_request", msg);
        return SRV_FRAME_BAD;
    }
    if (len > cfg->max_line) {                 /* a head (or body) past the limit, not finished */
        char msg[96];
        snprintf(msg, sizeof msg, "request over %zu bytes", cfg->max_line);
        *out = srv_request_error(h.url ? "headers_too_large" : "bad_request", msg);
        return SRV_FRAME_BAD;
    }
    return SRV_FRAME_MORE;
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 204: return "No Content";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 413: return "Payload Too Large";
    case 422: return "Unprocessable Content";
    case 431: return "Request Header Fields Too Large";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "Internal Server Error";
}

static char *http_answer(srv_request *r, size_t *len)
{
    const srv_wire *w = srv_request_wire(r);
    int status = srv_request_status(r);
    const char *type;
    size_t blen = 0;
    char *body = srv_request_body(r, &blen, &type);
    GString *s = g_string_sized_new(blen + 512);
    g_string_append_printf(s, "HTTP/1.1 %d %s\r\n", status, reason(status));
    if (status != 204)
        g_string_append_printf(s, "Content-Type: %s\r\nContent-Length: %zu\r\n", type, body ? blen : 0);
    g_string_append(s, "X-Content-Type-Options: nosniff\r\nCache-Control: no-store\r\n");
    if (g_str_has_prefix(type, "text/html"))
        g_string_append(s, "Content-Security-Policy: default-src 'self'; img-src 'self' data:; frame-ancestors 'none'\r\n");
    if (status == 401)
        g_string_append(s, "WWW-Authenticate: Bearer\r\n");
    if (status == 405)
        g_string_append(s, "Allow: GET, HEAD, OPTIONS\r\n");
    if (w->origin[0])
        g_string_append_printf(s, "Access-Control-Allow-Origin: %s\r\nVary: Origin\r\n", w->origin);
    if (w->origin[0] && status == 204)
        g_string_append(s, "Access-Control-Allow-Methods: GET, HEAD, OPTIONS\r\n"
                           "Access-Control-Allow-Headers: Authorization\r\nAccess-Control-Max-Age: 600\r\n");
    if (w->close)
        g_string_append(s, "Connection: close\r\n");
    g_string_append(s, "\r\n");
    if (body && !w->head && status != 204)
        g_string_append_len(s, body, (gssize)blen);
    free(body);
    *len = s->len;
    return g_string_free(s, FALSE);            /* malloc'd by GLib's allocator: free() is fine (GLib ≥ 2.46) */
}

const srv_proto srv_proto_http = {"http", http_next, http_answer};
