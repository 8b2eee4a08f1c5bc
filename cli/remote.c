/* remote.c — `wensou search --connect ADDR`: one request to a running daemon over
 * its Unix socket (a path) or TCP (HOST:PORT), and its result object. */
#include "cli.h"
#include "intl.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

/* HOST:PORT (no slash, a numeric port after the last colon) is TCP; else a path. */
static int connect_addr(const char *addr)
{
    const char *colon = strrchr(addr, ':');
    int tcp = colon && !strchr(addr, '/') && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1);
    int fd = -1;
    if (tcp) {
        char host[256];
        size_t hl = (size_t)(colon - addr);
        if (hl >= sizeof host)
            return -1;
        memcpy(host, addr, hl);
        host[hl] = 0;
        if (host[0] == '[' && hl > 2 && host[hl - 1] == ']') {
            memmove(host, host + 1, hl - 2);
            host[hl - 2] = 0;
        }
        struct addrinfo hints = {0}, *res;
        hints.ai_socktype = SOCK_STREAM;
        if (getaddrinfo(host, colon + 1, &hints, &res) != 0)
            return -1;
        for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
            fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
            if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
                close(fd);
                fd = -1;
            }
        }
        freeaddrinfo(res);
        return fd;
    }
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(addr) >= sizeof sa.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, addr);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        fd = -1;
    }
    return fd;
}

int cli_remote_search(const char *addr, const qry_request *req, json_t **result)
{
    *result = NULL;
    int fd = connect_addr(addr);
    if (fd < 0) {
        char why[160];
        snprintf(why, sizeof why, _("cannot connect to a daemon: %s"), strerror(errno));
        cli_error(addr, why);
        return CLI_FAILED;
    }
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    json_t *r = json_pack("{s:i, s:s, s:s, s:I, s:I, s:I}", "id", 1, "op", "search", "q", req->q, "limit",
                          (json_int_t)req->limit, "offset", (json_int_t)req->offset, "per_doc", (json_int_t)req->per_doc);
    char *line = r ? json_dumps(r, JSON_COMPACT) : NULL;
    json_decref(r);
    int status = CLI_FAILED;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!line || !buf)
        goto done;
    size_t ll = strlen(line);
    line[ll] = '\n';                       /* json_dumps left the NUL: replace it for sending */
    for (size_t sent = 0; sent < ll + 1;) {
        ssize_t n = send(fd, line + sent, ll + 1 - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            cli_error(addr, _("the daemon closed the connection"));
            goto done;
        }
        sent += (size_t)n;
    }
    for (;;) {
        if (len == cap) {
            char *nb = realloc(buf, cap * 2);
            if (!nb)
                goto done;
            buf = nb;
            cap *= 2;
        }
        ssize_t n = recv(fd, buf + len, cap - len, 0);
        if (n <= 0) {
            cli_error(addr, n == 0 ? _("the daemon closed the connection without an answer") : _("no answer from the daemon"));
            goto done;
        }
        len += (size_t)n;
        if (memchr(buf, '\n', len))
            break;
    }
    json_t *resp = json_loadb(buf, (size_t)((char *)memchr(buf, '\n', len) - buf), 0, NULL);
    if (!resp) {
        cli_error(addr, _("the daemon's answer is not JSON"));
        goto done;
    }
    if (json_is_true(json_object_get(resp, "ok"))) {
        *result = json_incref(json_object_get(resp, "result"));
        status = *result ? CLI_OK : CLI_FAILED;
    } else {
        const char *msg = json_string_value(json_object_get(json_object_get(resp, "error"), "message"));
        const char *code = json_string_value(json_object_get(json_object_get(resp, "error"), "code"));
        fprintf(stderr, "wensou: %s\n", msg ? msg : _("the daemon refused the request"));
        status = code && (strcmp(code, "bad_request") == 0 || strcmp(code, "query_too_complex") == 0) ? CLI_USAGE : CLI_FAILED;
    }
    json_decref(resp);
done:
    free(line);
    free(buf);
    close(fd);
    return status;
}
