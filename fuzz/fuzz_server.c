/* fuzz_server.c — libFuzzer target for the daemon's framing and request handling,
 * through the real event loop: a daemon runs on a Unix socket in this process;
 * each input is sent on a new connection in chunks (sizes from its first byte),
 * then the client half-closes. The daemon must answer every complete non-empty
 * line with one JSON object, in order, and then close: a crash, a hang (no close
 * within 60 s), a reset or a wrong count of answers is a finding. */
#include "srv.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static srv_config cfg;
static char sock_path[108];

static void *serve(void *arg)
{
    (void)arg;
    char why[256];
    if (srv_run(&cfg, why, sizeof why) != 0)
        fprintf(stderr, "fuzz_server: %s\n", why);
    abort();                                   /* it never stops on its own */
}

static int connect_daemon(void)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s", sock_path);
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
        return fd;
    if (fd >= 0)
        close(fd);
    return -1;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc; (void)argv;
    static seg_dict *dict;
    static qry_synonyms *syn;
    seg_err se;
    qry_err qe;
    if (seg_dict_open(WENSOU_FUZZ_DICT, WENSOU_FUZZ_USERDICT, &dict, &se) != 0
        || qry_synonyms_load(WENSOU_FUZZ_SYNONYMS, dict, &syn, &qe) != 0) {
        fprintf(stderr, "fuzz_server: cannot open the dictionary or the synonyms\n");
        abort();
    }
    srv_config_defaults(&cfg);
    cfg.db_path = WENSOU_FUZZ_DB;
    cfg.dict = dict;
    cfg.syn = syn;
    cfg.workers = 1;
    snprintf(sock_path, sizeof sock_path, "/tmp/wensou-fuzz-%d.sock", (int)getpid());
    cfg.socket_path = sock_path;
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL);
    pthread_detach(t);
    for (int i = 0; i < 200; i++) {
        int fd = connect_daemon();
        if (fd >= 0) {
            close(fd);
            return 0;
        }
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
    }
    fprintf(stderr, "fuzz_server: the daemon did not listen on %s\n", sock_path);
    abort();
}

/* Complete lines (ending in \n) that hold something besides a final \r. */
static size_t lines_expected(const uint8_t *d, size_t n)
{
    size_t count = 0, start = 0;
    for (size_t i = 0; i < n; i++)
        if (d[i] == '\n') {
            size_t len = i - start;
            if (len > 0 && d[i - 1] == '\r')
                len--;
            count += len > 0;
            start = i + 1;
        }
    return count;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    size_t chunk = (size_t)(data[0] % 64) + 1;
    data++, size--;
    int fd = connect_daemon();
    if (fd < 0)
        abort();
    struct timeval tv = {60, 0};                /* generous: a loaded machine is not a hang */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    for (size_t sent = 0; sent < size;) {
        size_t n = size - sent < chunk ? size - sent : chunk;
        ssize_t k = send(fd, data + sent, n, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;                          /* libFuzzer's own timer signal */
        if (k <= 0) {
            fprintf(stderr, "fuzz_server: sending: %s after %zu bytes\n", k ? strerror(errno) : "closed", sent);
            abort();                           /* the daemon must keep reading a 4 KiB input */
        }
        sent += (size_t)k;
    }
    shutdown(fd, SHUT_WR);
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    for (;;) {
        if (len == cap)
            out = realloc(out, cap *= 2);
        ssize_t k = recv(fd, out + len, cap - len, 0);
        if (k == 0)
            break;
        if (k < 0 && errno == EINTR)
            continue;                          /* libFuzzer's own timer signal */
        if (k < 0) {                           /* no close within 60 s (a hang), or a reset */
            fprintf(stderr, "fuzz_server: reading the answers: %s after %zu bytes\n", strerror(errno), len);
            abort();
        }
        len += (size_t)k;
    }
    close(fd);
    size_t answers = 0, start = 0;
    for (size_t i = 0; i < len; i++)
        if (out[i] == '\n') {
            json_t *o = json_loadb(out + start, i - start, 0, NULL);
            if (!json_is_object(o) || !json_object_get(o, "ok"))
                abort();
            json_decref(o);
            answers++;
            start = i + 1;
        }
    if (start != len || answers != lines_expected(data, size))
        abort();
    free(out);
    return 0;
}
