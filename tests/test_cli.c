/* test_cli.c — the `wensou` command as scripts use it (INTERFACE.md): output
 * formats, exit statuses, one-line errors, bad input through the real binary. */
#include "run.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>

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

/* ---- command-line manners: usage errors, short options, colour, locations,
 * language (the conventions of git, ripgrep and coreutils) ---- */

static char *const english[] = {"LC_ALL=C.UTF-8", "LANGUAGE=", "NO_COLOR=", "TERM=xterm", NULL};
static char *const chinese[] = {"LC_ALL=zh_CN.UTF-8", "LANGUAGE=", NULL};

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

/* Every usage error: `wensou: …` and `Try 'wensou COMMAND --help' …`, status 2. */
static void expect_usage_error(const char *command, run_result r)
{
    cr_expect_eq(r.status, 2, "%s: status %d: %s", command, r.status, r.err);
    cr_expect_eq(count_lines(r.err), 2, "%s: two lines: %s", command, r.err);
    cr_expect(strncmp(r.err, "wensou: ", 8) == 0, "%s", r.err);
    char hint[96];
    snprintf(hint, sizeof hint, "Try 'wensou %s%s--help' for more information.\n", command, *command ? " " : "");
    cr_expect_not_null(strstr(r.err, hint), "%s: no hint: %s", command, r.err);
    cr_expect_eq(r.out_len, 0, "%s: nothing on stdout: %s", command, r.out);
    run_free(&r);
}

Test(cli, usage_errors_are_one_line_a_hint_and_status_2)
{
    expect_usage_error("search", run_env_args(english, "", "search", "-l", "5", "营商环境", (char *)NULL));
    expect_usage_error("search", run_env_args(english, "", "search", "--limit", "many", "营商环境", (char *)NULL));
    expect_usage_error("search", run_env_args(english, "", "search", "-n", (char *)NULL));
    expect_usage_error("search", run_env_args(english, "", "search", "--frobnicate", "营商环境", (char *)NULL));
    expect_usage_error("search", run_env_args(english, "", "search", "--color=sometimes", "营商环境", (char *)NULL));
    expect_usage_error("search", run_env_args(english, "", "search", (char *)NULL));
    expect_usage_error("search", run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "\xff\xfe营商", (char *)NULL));
    expect_usage_error("index", run_env_args(english, "", "index", "--bogus", "corpus", (char *)NULL));
    expect_usage_error("index", run_env_args(english, "", "index", (char *)NULL));
    expect_usage_error("serve", run_env_args(english, "", "serve", "--listen", "bogus", (char *)NULL));
    expect_usage_error("serve", run_env_args(english, "", "serve", "--workers", "0", (char *)NULL));
    expect_usage_error("serve", run_env_args(english, "", "serve", "--socket", "/tmp/"
        "a-socket-path-far-longer-than-the-one-hundred-and-seven-bytes-that-a-unix-socket-address-can-hold-at-most.sock", (char *)NULL));
    expect_usage_error("segment", run_env_args(english, "", "segment", "--mode", "fast", (char *)NULL));
    expect_usage_error("segment", run_env_args(english, "", "segment", "-x", (char *)NULL));
    expect_usage_error("inspect", run_env_args(english, "", "inspect", (char *)NULL));
    expect_usage_error("", run_env_args(english, "", "frobnicate", (char *)NULL));
    expect_usage_error("", run_env_args(english, "", (char *)NULL));
}

Test(cli, search_without_an_index_says_where_it_looked_and_how_to_make_one)
{
    char *const env[] = {"LC_ALL=C.UTF-8", "LANGUAGE=", "WENSOU_DB=/nonexistent/wensou.db", NULL};
    run_result r = run_env_args(env, "", "search", "营商环境", (char *)NULL);
    cr_expect_eq(r.status, 1);
    cr_expect_eq(count_lines(r.err), 1, "%s", r.err);
    cr_expect_not_null(strstr(r.err, "/nonexistent/wensou.db"), "%s", r.err);
    cr_expect_not_null(strstr(r.err, "$WENSOU_DB"), "says why it looked there: %s", r.err);
    cr_expect_not_null(strstr(r.err, "wensou index --db /nonexistent/wensou.db PATH..."), "%s", r.err);
    cr_expect_eq(r.out_len, 0, "no answer from a sample index: %s", r.out);
    run_free(&r);
    r = run_env_args(english, "", "search", "-d", "/nonexistent/other.db", "营商环境", (char *)NULL);
    cr_expect_eq(r.status, 1);
    cr_expect_not_null(strstr(r.err, "/nonexistent/other.db (given with --db)"), "%s", r.err);
    run_free(&r);
}

Test(cli, short_options_mean_their_long_forms)
{
    run_result l = run_env_args(english, "", "search", "--db", WENSOU_TEST_SAMPLE_DB, "--limit", "3", "--json", "营商环境", (char *)NULL);
    run_result s = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "3", "-j", "营商环境", (char *)NULL);
    run_result a = run_env_args(english, "", "search", "营商环境", "-n3", "-j", "-d", WENSOU_TEST_SAMPLE_DB, (char *)NULL);
    cr_assert_eq(l.status, 0, "%s", l.err);
    json_t *jl = json_loads(l.out, 0, NULL), *js = json_loads(s.out, 0, NULL), *ja = json_loads(a.out, 0, NULL);
    cr_assert(jl && js && ja, "JSON: %s / %s / %s", l.out, s.out, a.out);
    cr_expect_eq(json_array_size(json_object_get(jl, "hits")), 3);
    cr_expect(json_equal(json_object_get(jl, "hits"), json_object_get(js, "hits")), "-d -n -j differ from --db --limit --json");
    cr_expect(json_equal(json_object_get(jl, "hits"), json_object_get(ja, "hits")), "-n3 after the query differs");
    json_decref(jl);
    json_decref(js);
    json_decref(ja);
    run_free(&l);
    run_free(&s);
    run_free(&a);
    /* a word that starts with - and is not an option letter still excludes */
    run_result x = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-j", "营商环境", "-柯桥", (char *)NULL);
    cr_expect_eq(x.status, 0, "%s", x.err);
    json_t *jx = json_loads(x.out, 0, NULL);
    size_t i;
    json_t *h;
    cr_expect_gt(json_array_size(json_object_get(jx, "hits")), 0);
    json_array_foreach(json_object_get(jx, "hits"), i, h)
        cr_expect_null(strstr(json_string_value(json_object_get(h, "text")), "柯桥"), "an excluded word in hit %zu", i);
    json_decref(jx);
    run_free(&x);
}

/* The 1-based line of byte offset `at` in file. */
static long line_of(const char *file, long at)
{
    size_t len;
    char *b = test_slurp(file, &len);
    long line = 1;
    for (long i = 0; i < at && (size_t)i < len; i++)
        line += b[i] == '\n';
    free(b);
    return line;
}

Test(cli, piped_output_marks_matches_in_text_and_gives_path_line)
{
    run_result r = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "1", "精功集团", (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_not_null(strstr(r.out, "【精功集团】"), "%s", r.out);
    cr_expect_null(strchr(r.out, '\033'), "no escape codes when piped: %s", r.out);
    run_result j = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "1", "-j", "精功集团", (char *)NULL);
    json_t *o = json_loads(j.out, 0, NULL);
    json_t *h = json_array_get(json_object_get(o, "hits"), 0);
    const char *file = json_string_value(json_object_get(h, "file"));
    cr_assert_not_null(file, "%s", j.out);
    long line = line_of(file, (long)json_integer_value(json_object_get(h, "start")));
    cr_expect_eq(json_integer_value(json_object_get(h, "line")), line, "JSON line");
    char want[1024];
    snprintf(want, sizeof want, "    %s:%ld · p. ", file, line);
    cr_expect_not_null(strstr(r.out, want), "want '%s' in: %s", want, r.out);
    json_decref(o);
    run_free(&j);
    run_free(&r);
}

/* Runs `wensou search … 营商环境` on a pseudo-terminal (util-linux script) with env
 * and returns what it printed. */
static run_result search_on_a_terminal(const char *env, const char *color_option)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s LC_ALL=C.UTF-8 LANGUAGE= '%s' search -d '%s' -n 1 %s 营商环境", env, WENSOU_TEST_BINARY,
             WENSOU_TEST_SAMPLE_DB, color_option);
    char *argv[] = {"/usr/bin/script", "-qec", cmd, "/dev/null", NULL};
    return run_cmd(argv, NULL, "", 0);
}

Test(cli, colour_on_a_terminal_unless_no_color_or_dumb_or_never)
{
    run_result r = search_on_a_terminal("NO_COLOR= TERM=xterm", "");
    cr_assert_eq(r.status, 0, "%s%s", r.out, r.err);
    cr_expect_not_null(strstr(r.out, "\033[1m营商环境\033[0m"), "bold on a terminal: %s", r.out);
    run_free(&r);
    const char *plain[][2] = {{"NO_COLOR=1 TERM=xterm", ""}, {"NO_COLOR= TERM=dumb", ""}, {"NO_COLOR= TERM=xterm", "--color=never"}};
    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
        r = search_on_a_terminal(plain[i][0], plain[i][1]);
        cr_expect_null(strstr(r.out, "\033["), "%s %s: colour: %s", plain[i][0], plain[i][1], r.out);
        cr_expect_not_null(strstr(r.out, "【营商环境】"), "%s %s: %s", plain[i][0], plain[i][1], r.out);
        run_free(&r);
    }
    r = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "1", "--color=always", "营商环境", (char *)NULL);
    cr_expect_not_null(strstr(r.out, "\033[1m营商环境\033[0m"), "--color=always when piped: %s", r.out);
    run_free(&r);
}

Test(cli, messages_in_chinese_under_a_chinese_locale_json_unchanged)
{
    run_result zh = run_env_args(chinese, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "1", "营商环境", (char *)NULL);
    cr_assert_eq(zh.status, 0, "%s", zh.err);
    cr_expect_not_null(strstr(zh.out, "条结果"), "%s", zh.out);
    cr_expect_null(strstr(zh.out, "results for"), "%s", zh.out);
    run_free(&zh);
    run_result en = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "1", "营商环境", (char *)NULL);
    cr_expect_not_null(strstr(en.out, "results for 营商环境"), "%s", en.out);
    run_free(&en);

    zh = run_env_args(chinese, "", "search", "-l", "5", "营商环境", (char *)NULL);
    cr_expect_eq(zh.status, 2);
    cr_expect_not_null(strstr(zh.err, "未知选项"), "%s", zh.err);
    cr_expect_not_null(strstr(zh.err, "wensou search --help"), "%s", zh.err);
    run_free(&zh);
    char *const zh_nodb[] = {"LC_ALL=zh_CN.UTF-8", "LANGUAGE=", "WENSOU_DB=/nonexistent/x.db", NULL};
    zh = run_env_args(zh_nodb, "", "search", "营商环境", (char *)NULL);
    cr_expect_eq(zh.status, 1);
    cr_expect_not_null(strstr(zh.err, "索引"), "%s", zh.err);
    run_free(&zh);

    /* JSON is the same in every language */
    zh = run_env_args(chinese, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "2", "-j", "营商环境", (char *)NULL);
    en = run_env_args(english, "", "search", "-d", WENSOU_TEST_SAMPLE_DB, "-n", "2", "-j", "营商环境", (char *)NULL);
    json_t *a = json_loads(zh.out, 0, NULL), *b = json_loads(en.out, 0, NULL);
    cr_assert(a && b);
    cr_expect(json_equal(json_object_get(a, "hits"), json_object_get(b, "hits")));
    cr_expect(json_equal(json_object_get(a, "facets"), json_object_get(b, "facets")));
    json_decref(a);
    json_decref(b);
    run_free(&zh);
    run_free(&en);
}

/* A fresh folder (dir) holding one text file (doc) and the path for an index (db). */
typedef struct {
    char dir[64], db[128], doc[128];
} one_file;

static void one_file_make(one_file *o, const char *text)
{
    strcpy(o->dir, "/tmp/wensou-cli-XXXXXX");
    cr_assert_not_null(mkdtemp(o->dir));
    snprintf(o->db, sizeof o->db, "%s/db", o->dir);
    snprintf(o->doc, sizeof o->doc, "%s/2026-doc.txt", o->dir);
    FILE *f = fopen(o->doc, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
}

/* `wensou index -q` of the file into the folder's index, under env. */
static run_result one_file_index(const one_file *o, char *const env[])
{
    return run_env_args(env, "", "index", "-q", "-d", o->db, o->doc, (char *)NULL);
}

static void one_file_remove(one_file *o)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", o->dir);
    cr_expect_eq(system(cmd), 0);
}

Test(cli, index_summary_in_the_locale_s_language)
{
    one_file o;
    one_file_make(&o, "柯桥区持续优化营商环境。\n");
    run_result r = one_file_index(&o, chinese);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "新增 1，", strlen("新增 1，")) == 0, "%s", r.out);
    run_free(&r);
    r = one_file_index(&o, english);
    cr_expect(strncmp(r.out, "0 added, 0 updated, 1 unchanged,", 32) == 0, "%s", r.out);
    run_free(&r);
    one_file_remove(&o);
}

Test(cli, document_text_cannot_drive_the_terminal)
{
    one_file o;
    one_file_make(&o, "柯桥区持续优化营商环境\033]0;pwned\007，\033[2J清屏之后\302\233再说。\n");
    run_result r = one_file_index(&o, english);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    r = run_env_args(english, "", "search", "-d", o.db, "--color=always", "营商环境", (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_null(strstr(r.out, "\033]"), "a raw OSC reached the terminal: %s", r.out);
    cr_expect_null(strstr(r.out, "\033[2J"), "a raw clear-screen reached the terminal: %s", r.out);
    cr_expect_null(strstr(r.out, "\302\233"), "a raw C1 CSI reached the terminal: %s", r.out);
    cr_expect_null(strchr(r.out, '\007'), "a raw BEL reached the terminal: %s", r.out);
    run_free(&r);
    one_file_remove(&o);
}

Test(cli, a_folder_of_links_to_itself_is_walked_once, .timeout = 30)
{
    /* #14: three links back up the tree once made the walk k^40 long */
    one_file o;
    one_file_make(&o, "柯桥区持续优化营商环境。\n");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir '%s/sub' && ln -s .. '%s/sub/up' && ln -s '%s' '%s/sub/root' && ln -s ../sub '%s/sub/again'",
             o.dir, o.dir, o.dir, o.dir, o.dir);
    cr_assert_eq(system(cmd), 0);
    char db[160];
    snprintf(db, sizeof db, "%s.db", o.dir);
    run_result r = run_env_args(english, "", "index", "-q", "-d", db, o.dir, (char *)NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "1 added,", 8) == 0, "%s", r.out);
    cr_expect_eq(r.err_len, 0, "%s", r.err);
    run_free(&r);
    one_file_remove(&o);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", db);
    cr_expect_eq(system(cmd), 0);
}

Test(cli, a_stub_file_naming_a_remote_database_is_refused_without_connecting)
{
    /* #14: --db naming a stub with a remote line opened a TCP connection */
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof sa;
    cr_assert_eq(bind(ls, (struct sockaddr *)&sa, sizeof sa), 0);
    cr_assert_eq(listen(ls, 4), 0);
    cr_assert_eq(getsockname(ls, (struct sockaddr *)&sa, &len), 0);
    char stub[] = "/tmp/wensou-stub-XXXXXX", outer[64];
    int fd = mkstemp(stub);
    cr_assert_geq(fd, 0);
    dprintf(fd, "remote tcp 127.0.0.1 %d\n", ntohs(sa.sin_port));
    close(fd);
    snprintf(outer, sizeof outer, "%s.outer", stub);          /* a local stub naming that one */
    FILE *f = fopen(outer, "w");
    cr_assert_not_null(f);
    fprintf(f, "auto %s\n", stub);
    fclose(f);
    char folder[64], inner[96];                                /* a folder with an XAPIANDB stub */
    snprintf(folder, sizeof folder, "%s.d", stub);
    snprintf(inner, sizeof inner, "%s/XAPIANDB", folder);
    cr_assert_eq(mkdir(folder, 0755), 0);
    f = fopen(inner, "w");
    cr_assert_not_null(f);
    fprintf(f, "remote 127.0.0.1:%d\n", ntohs(sa.sin_port));
    fclose(f);
    const char *stubs[] = {stub, outer, folder};
    for (int i = 0; i < 3; i++) {
        run_result r = run_env_args(english, "", "search", "--db", stubs[i], "营商环境", (char *)NULL);
        cr_expect_eq(r.status, 1, "%s", r.err);
        cr_expect_not_null(strstr(r.err, "remote"), "%s", r.err);
        run_free(&r);
    }
    fcntl(ls, F_SETFL, O_NONBLOCK);
    cr_expect_lt(accept(ls, NULL, NULL), 0, "wensou connected to the remote database");
    close(ls);
    unlink(stub);
    unlink(outer);
    unlink(inner);
    rmdir(folder);
}

/* The JSON hits of `wensou search --json` for q on o's index. */
static json_t *search_json(const one_file *o, const char *q)
{
    run_result r = run_env_args(english, "", "search", "-d", o->db, "--json", q, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    json_t *j = json_loads(r.out, 0, NULL);
    run_free(&r);
    cr_assert_not_null(j);
    return j;
}

Test(cli, abbreviations_a_document_defines_are_searched_as_synonyms)
{
    one_file o;
    one_file_make(&o, "一、总体要求\n\n"
                      "加快建设中国（浙江）自由贸易试验区绍兴联动创新区（以下简称“绍兴联动区”），推动制度创新。\n\n"
                      "二、主要任务\n\n"
                      "绍兴联动区今年新增外贸企业120家，进出口额增长15%。\n\n"
                      "附件\n\n名词解释\n\n"
                      "1.智安小区（第3页）：智慧安防小区的简称，指在小区内推进智能感知设施建设。\n\n"
                      "2.黑灯工厂（第4页）：即无人工厂，因为无需人工操作，所以可以关灯运行。\n\n"
                      "三、保障措施\n\n全区推广无人工厂模式，建成智慧安防小区30个。\n");
    run_result r = one_file_index(&o, english);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    /* inspect shows what was mined */
    r = run_env_args(english, "", "inspect", o.doc, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_not_null(strstr(r.out, "\"abbreviations\":[[\"绍兴联动区\",\"中国（浙江）自由贸易试验区绍兴联动创新区\"]"),
                       "%.400s", r.out);
    cr_expect_not_null(strstr(r.out, "[\"智安小区\",\"智慧安防小区\"]"), "%.600s", r.out);
    cr_expect_not_null(strstr(r.out, "[\"黑灯工厂\",\"无人工厂\"]"), "%.600s", r.out);
    run_free(&r);
    /* the full form finds the passage that says only the short one, below the literal */
    const char *pairs[][2] = {{"中国（浙江）自由贸易试验区绍兴联动创新区", "新增外贸企业120家"},
                              {"智安小区", "建成智慧安防小区30个"},
                              {"黑灯工厂", "推广无人工厂模式"}};
    for (size_t i = 0; i < 3; i++) {
        json_t *j = search_json(&o, pairs[i][0]);
        json_t *hits = json_object_get(j, "hits"), *h;
        size_t k;
        int found = 0;
        json_array_foreach(hits, k, h)
            found |= strstr(json_string_value(json_object_get(h, "text")), pairs[i][1]) != NULL;
        cr_expect(found, "%s did not find the passage saying %s", pairs[i][0], pairs[i][1]);
        json_decref(j);
    }
    one_file_remove(&o);
}

/* Nine files define 双百行动 one way, and eight of them 2,000 other ways (scraped or
 * garbled copies do): a search for it is answered, not refused as too complex, and
 * the full form the most files give still finds, as a synonym, the passage that
 * says only it (the others sort before it in byte order). */
Test(cli, an_abbreviation_defined_a_thousand_ways_keeps_the_forms_most_files_give)
{
    static const char pool[] = "金木水火土日月山川河湖海天地人和平安康乐福寿喜春夏秋冬东南西北中红"
                               "黄蓝白黑青紫花草树林竹梅兰菊松柏云雨风雪雷电光明星辰江岭峰谷泉";
    const size_t chars = (sizeof pool - 1) / 3, files = 9, variants = 250;
    cr_assert_geq(chars * chars, files * variants);
    one_file o;
    one_file_make(&o, "一、总体要求\n\n“百村整治百企帮扶行动”（以下简称“双百行动”）全面铺开。\n\n"
                      "二、主要任务\n\n全区开展百村整治百企帮扶行动，新建乡村工厂46家。\n");
    char docs[96], path[160];
    snprintf(docs, sizeof docs, "%s/docs", o.dir);
    cr_assert_eq(mkdir(docs, 0700), 0);
    snprintf(path, sizeof path, "%s/2026-doc.txt", docs);
    cr_assert_eq(rename(o.doc, path), 0);
    for (size_t f = 1; f < files; f++) {
        snprintf(path, sizeof path, "%s/2026-copy-%zu.txt", docs, f);
        FILE *out = fopen(path, "w");
        cr_assert_not_null(out);
        fputs("一、总体要求\n\n“百村整治百企帮扶行动”（以下简称“双百行动”）全面铺开。\n\n", out);
        for (size_t i = 0; i < variants; i++) {
            size_t n = f * variants + i;
            fprintf(out, "“百村整治%.3s%.3s帮扶行动”（以下简称“双百行动”）试点%zu。\n\n", pool + 3 * (n % chars),
                    pool + 3 * (n / chars % chars), i);
        }
        fclose(out);
    }
    run_result r = run_env_args(english, "", "index", "-q", "-d", o.db, docs, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    json_t *j = search_json(&o, "双百行动 乡村工厂");   /* not refused as too complex */
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    const char *first = json_string_value(json_object_get(hit, "text"));
    const char *how = json_string_value(json_object_get(json_object_get(hit, "match"), "type"));
    cr_expect(first && strstr(first, "新建乡村工厂46家"), "first hit: %s", first ? first : "(none)");
    cr_expect(how && !strcmp(how, "synonym"), "first hit matched as %s", how ? how : "(none)");
    json_decref(j);
    one_file_remove(&o);
}
