/* test_cli.c — the `wensou` command as scripts use it (INTERFACE.md): output
 * formats, exit statuses, one-line errors, bad input through the real binary. */
#include "run.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RUN(input, ...) run_args((input), __VA_ARGS__, (char *)NULL)

Test(cli, segment_reads_stdin_one_line_per_line)
{
    run_result r = RUN("柯桥区政府\n\n打造最佳营商环境\n", "segment");
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_str_eq(r.out, "柯桥区 / 政府\n\n打造 / 最佳 / 营商环境\n");
    run_free(&r);
    r = RUN("中国轻纺城", "segment", "--mode", "search");
    cr_expect_str_eq(r.out, "中国 / 轻纺 / 轻纺城 / 中国轻纺城\n");
    run_free(&r);
}

Test(cli, segment_json_has_byte_ranges_and_norm)
{
    run_result r = RUN("這個 ＡＢ\n", "segment", "--json");
    cr_assert_eq(r.status, 0);
    json_error_t e;
    json_t *a = json_loads(r.out, 0, &e);
    cr_assert_not_null(a, "not JSON: %s", r.out);
    cr_assert_eq(json_array_size(a), 2);
    json_t *t0 = json_array_get(a, 0), *t1 = json_array_get(a, 1);
    cr_expect_str_eq(json_string_value(json_object_get(t0, "token")), "這個");
    cr_expect_str_eq(json_string_value(json_object_get(t0, "norm")), "这个");
    cr_expect_eq(json_integer_value(json_object_get(t0, "start")), 0);
    cr_expect_eq(json_integer_value(json_object_get(t0, "end")), 6);
    cr_expect_eq(json_integer_value(json_object_get(t1, "start")), 7);
    cr_expect_eq(json_integer_value(json_object_get(t1, "end")), 13);
    cr_expect_str_eq(json_string_value(json_object_get(t1, "norm")), "ab");
    json_decref(a);
    run_free(&r);
}

Test(cli, segment_missing_file_is_one_line_error_and_status_1)
{
    run_result r = RUN("", "segment", "/nonexistent/file.txt");
    cr_expect_eq(r.status, 1);
    cr_expect_str_eq(r.err, "wensou: /nonexistent/file.txt: No such file or directory\n");
    run_free(&r);
}

Test(cli, bad_usage_is_status_2)
{
    run_result r = RUN("", "segment", "--mode", "fast");
    cr_expect_eq(r.status, 2);
    cr_expect(strncmp(r.err, "wensou: ", 8) == 0, "%s", r.err);
    run_free(&r);
    r = RUN("", "frobnicate");
    cr_expect_eq(r.status, 2);
    run_free(&r);
    r = RUN("", "--version");
    cr_expect_eq(r.status, 0);
    cr_expect(strncmp(r.out, "wensou ", 7) == 0);
    run_free(&r);
}

Test(cli, bad_user_dictionary_stops_with_file_and_line)
{
    char path[] = "/tmp/wensou-cli-ud-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(write(fd, "柯桥 10\n坏 词 12 x\n", strlen("柯桥 10\n坏 词 12 x\n")) > 0);
    close(fd);
    char envv[256];
    snprintf(envv, sizeof envv, "WENSOU_USER_DICT=%s", path);
    char *env[] = {envv, NULL};
    char *argv[] = {WENSOU_TEST_BINARY, "segment", NULL};
    run_result r = run_cmd(argv, env, "柯桥\n", strlen("柯桥\n"));
    cr_expect_eq(r.status, 1);
    char want[128];
    snprintf(want, sizeof want, "wensou: %s:2: ", path);
    cr_expect(strncmp(r.err, want, strlen(want)) == 0, "stderr: %s", r.err);
    cr_expect_eq(strchr(r.err, '\n'), r.err + r.err_len - 1, "one line: %s", r.err);
    unlink(path);
    run_free(&r);
}

Test(cli, segment_survives_bad_bytes_and_a_50mb_line, .timeout = 300)
{
    /* invalid UTF-8, NUL bytes, an empty line, CRLF */
    const char bad[] = "\xff\xfe\x00中国\r\n\n\xe4\xb8";
    char *argv[] = {WENSOU_TEST_BINARY, "segment", NULL};
    run_result r = run_cmd(argv, NULL, bad, sizeof bad - 1);
    cr_expect_eq(r.status, 0);
    cr_expect_eq(r.out_len, strlen("\xff / \xfe / ") + 1 + strlen(" / 中国\n\n\xe4 / \xb8\n"));
    run_free(&r);

    size_t n = 50u << 20;
    char *big = malloc(n + 1);
    const char *unit = "柯桥区推进高质量发展，";
    size_t ulen = strlen(unit);
    for (size_t i = 0; i + ulen <= n; i += ulen)
        memcpy(big + i, unit, ulen);
    n = n / ulen * ulen;
    big[n] = '\n';
    r = run_cmd(argv, NULL, big, n + 1);
    cr_expect_eq(r.status, 0, "stderr: %s", r.err);
    cr_expect_eq(r.out[r.out_len - 1], '\n');
    cr_expect_eq(memchr(r.out, '\n', r.out_len), r.out + r.out_len - 1, "one output line");
    cr_expect(strncmp(r.out, "柯桥区 / 推进 / 高质量发展 / ， / 柯桥区", strlen("柯桥区 / 推进 / 高质量发展 / ， / 柯桥区")) == 0);
    free(big);
    run_free(&r);
}
