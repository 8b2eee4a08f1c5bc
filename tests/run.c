/* run.c — fork/exec with pipes for stdin, stdout and stderr, drained with poll so
 * a large output never deadlocks the test. */
#include "run.h"

#include <criterion/criterion.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static void append(char **buf, size_t *len, size_t *cap, const char *data, size_t n)
{
    if (*len + n + 1 > *cap) {
        *cap = (*len + n + 1) * 2;
        *buf = realloc(*buf, *cap);
    }
    memcpy(*buf + *len, data, n);
    *len += n;
    (*buf)[*len] = 0;
}

run_result run_cmd(char *const argv[], char *const env[], const char *input, size_t input_len)
{
    run_result r = {0};
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err))
        abort();
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(in[0]); close(in[1]); close(out[0]); close(out[1]); close(err[0]); close(err[1]);
        for (size_t i = 0; env && env[i]; i++) {
            const char *eq = strchr(env[i], '=');
            char name[128];
            if (eq && (size_t)(eq - env[i]) < sizeof name) {     /* env[i] may be read-only */
                memcpy(name, env[i], (size_t)(eq - env[i]));
                name[eq - env[i]] = 0;
                setenv(name, eq + 1, 1);
            }
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    signal(SIGPIPE, SIG_IGN);
    size_t out_cap = 0, err_cap = 0, sent = 0;
    append(&r.out, &r.out_len, &out_cap, "", 0);
    append(&r.err, &r.err_len, &err_cap, "", 0);
    int in_fd = in[1];
    if (input_len == 0) {
        close(in_fd);
        in_fd = -1;
    }
    int open_fds = 2;
    char buf[65536];
    while (open_fds > 0 || in_fd >= 0) {
        struct pollfd p[3] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}, {in_fd, POLLOUT, 0}};
        if (poll(p, 3, -1) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0) {
                close(p[i].fd);
                if (i == 0) out[0] = -1; else err[0] = -1;
                open_fds--;
            } else if (i == 0) {
                append(&r.out, &r.out_len, &out_cap, buf, (size_t)n);
            } else {
                append(&r.err, &r.err_len, &err_cap, buf, (size_t)n);
            }
        }
        if (in_fd >= 0 && (p[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
            ssize_t n = write(in_fd, input + sent, input_len - sent > 65536 ? 65536 : input_len - sent);
            if (n > 0)
                sent += (size_t)n;
            if (n < 0 || sent == input_len) {
                close(in_fd);
                in_fd = -1;
            }
        }
    }
    int st;
    waitpid(pid, &st, 0);
    r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return r;
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
}

static run_result run_list(char *const env[], const char *input, va_list ap)
{
    char *argv[64] = {WENSOU_TEST_BINARY};
    size_t n = 1;
    char *a;
    while ((a = va_arg(ap, char *)) != NULL && n < 63)
        argv[n++] = a;
    argv[n] = NULL;
    return run_cmd(argv, env, input, strlen(input));
}

run_result run_args(const char *input, ...)
{
    va_list ap;
    va_start(ap, input);
    run_result r = run_list(NULL, input, ap);
    va_end(ap);
    return r;
}

run_result run_env_args(char *const env[], const char *input, ...)
{
    va_list ap;
    va_start(ap, input);
    run_result r = run_list(env, input, ap);
    va_end(ap);
    return r;
}

char *test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        cr_assert_fail("cannot open %s: %s (a test file missing from the repository?)", path, strerror(errno));
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n)
        abort();
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

void test_write(const char *path, const char *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        cr_assert_fail("cannot write %s: %s", path, strerror(errno));
    if (fwrite(bytes, 1, len, f) != len || fclose(f) != 0)
        cr_assert_fail("cannot write %s", path);
}
