/* remote.c — `wensou search --connect ADDR`: one request to a running daemon over
 * its Unix socket (a path) or TCP (HOST:PORT) in the protocol's own words
 * (server/protocol.c), and its result's JSON text. */
#include "cli.h"
#include "intl.h"
#include "srv.h"

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

int cli_remote_search(const char *addr, const qry_request *req, char **text)
{
    *text = NULL;
    int fd = connect_addr(addr);
    if (fd < 0) {
        char why[160];
        snprintf(why, sizeof why, _("cannot connect to a daemon: %s"), strerror(errno));
        cli_error(addr, why);
        return CLI_FAILED;
    }
    struct timeval tv = {60, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t ll = 0;
    char *line = srv_search_line(req, 1, &ll);    /* the protocol's own request line */
    int status = CLI_FAILED;
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    if (!line || !buf)
        goto done;
    for (size_t sent = 0; sent < ll;) {
        ssize_t n = send(fd, line + sent, ll - sent, MSG_NOSIGNAL);
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
    json_t *result = NULL;
    char code[64], msg[256];
    int ok = srv_answer_read(buf, (size_t)((char *)memchr(buf, '\n', len) - buf), &result, code, sizeof code, msg,
                             sizeof msg);
    if (ok < 0) {
        cli_error(addr, _("the daemon's answer is not JSON"));
    } else if (ok) {
        /* the result as the daemon wrote it (query/result.c's text, which jansson
         * writes back the same) */
        *text = result ? json_dumps(result, JSON_COMPACT | JSON_REAL_PRECISION(6)) : NULL;
        status = *text ? CLI_OK : CLI_FAILED;
        if (!*text)
            cli_error(addr, _("the daemon's answer holds no result"));
    } else {
        fprintf(stderr, "wensou: %s\n", msg);
        int http = srv_code_status(code);           /* the client's fault: a usage error */
        status = http >= 400 && http < 500 ? CLI_USAGE : CLI_FAILED;
    }
    json_decref(result);
done:
    free(line);
    free(buf);
    close(fd);
    return status;
}
