/* listen.c — what the daemon listens on: its configuration's defaults and checks,
 * HOST:PORT addresses (loopback or not), the Unix socket's path (a stale one
 * replaced, a live one refused), and the log line. */
#include "srv_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

void srv_log(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    fprintf(stderr, "%04d-%02d-%02dT%02d:%02d:%02dZ wensou serve: %s\n", tm.tm_year + 1900, tm.tm_mon + 1,
            tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, buf);
}

int srv_fail(char *why, size_t len, const char *fmt, const char *a, const char *b)
{
    snprintf(why, len, fmt, a, b);
    return -1;
}

int srv_prepare_socket_path(const char *path, char *why, size_t len)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno == ENOENT ? 0 : srv_fail(why, len, "%s: %s", path, strerror(errno));
    if (!S_ISSOCK(st.st_mode))
        return srv_fail(why, len, "%s: %s", path, "exists and is not a socket");
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path);
    int live = fd >= 0 && connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0;
    if (fd >= 0)
        close(fd);
    if (live)
        return srv_fail(why, len, "%s: %s", path, "a daemon is already listening there");
    if (unlink(path) != 0)
        return srv_fail(why, len, "%s: %s", path, strerror(errno));
    srv_log("replaced a stale socket file %s", path);
    return 0;
}

int srv_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
    if (sa->sa_family == AF_INET6) {
        const struct in6_addr *a = &((const struct sockaddr_in6 *)sa)->sin6_addr;
        return memcmp(a, &in6addr_loopback, sizeof *a) == 0;
    }
    return 0;
}

int srv_parse_host_port(const char *spec, struct sockaddr_storage *out)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || (size_t)(colon - spec) >= sizeof host)
        return -1;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = 0;
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return -1;
    if (strcmp(host, "localhost") == 0)
        strcpy(host, "127.0.0.1");
    if (host[0] == '[') {                      /* [::1]:7700 */
        size_t hl = strlen(host);
        if (host[hl - 1] != ']')
            return -1;
        memmove(host, host + 1, hl - 2);
        host[hl - 2] = 0;
        return uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)out) == 0 ? 0 : -1;
    }
    return uv_ip4_addr(host, (int)port, (struct sockaddr_in *)out) == 0 ? 0 : -1;
}

int srv_config_check(const srv_config *c, char *why, size_t len)
{
    struct sockaddr_storage addr;
    struct sockaddr_un un;
    if (c->listen_addr) {
        if (srv_parse_host_port(c->listen_addr, &addr) != 0)
            return srv_fail(why, len, "%s: %s", c->listen_addr, "expected HOST:PORT, e.g. 127.0.0.1:7700");
        if (!srv_is_loopback((struct sockaddr *)&addr) && !c->allow_remote)
            return srv_fail(why, len, "%s: %s", c->listen_addr,
                        "not a loopback address; the protocol has no authentication (add --allow-remote to bind it anyway)");
    }
    if (c->http_addr) {
        if (srv_parse_host_port(c->http_addr, &addr) != 0)
            return srv_fail(why, len, "%s: %s", c->http_addr, "expected HOST:PORT, e.g. 127.0.0.1:8080");
        if (!srv_is_loopback((struct sockaddr *)&addr) && !(c->token && *c->token))
            return srv_fail(why, len, "%s: %s", c->http_addr,
                            "not a loopback address: HTTP beyond this machine needs a bearer token (--token-file)");
    }
    if (c->socket_path && (!*c->socket_path || strlen(c->socket_path) >= sizeof un.sun_path))
        return srv_fail(why, len, "%s: %s", c->socket_path,
                    *c->socket_path ? "socket path too long (at most 107 bytes)" : "empty socket path");
    return 0;
}

void srv_config_defaults(srv_config *c)
{
    memset(c, 0, sizeof *c);
    c->max_line = 64 * 1024;
    c->max_connections = 512;
    c->idle_timeout_ms = 60000;
    c->line_timeout_ms = 10000;
    c->query_timeout_ms = 2000;
    c->write_timeout_ms = 15000;
    c->memory_budget = 128u << 20;
    c->high_water = 1u << 20;
    c->low_water = 256u << 10;
}

