/* test_segmenter.c — the segmenter's behaviour as a user sees it: golden cuts
 * (jieba's README examples, corpus sentences, numbers, Latin, traditional input),
 * byte ranges that rebuild the input, search-mode sub-words, the user dictionary,
 * bad input, and sharing one dictionary between threads. */
#include "seg.h"

#include "run.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static seg_dict *dict;        /* base + the project's user dictionary */
static seg_dict *base_dict;   /* base only */

static void open_dicts(void)
{
    seg_err err = {0};
    cr_assert_eq(seg_dict_open(WENSOU_TEST_DICT, WENSOU_TEST_USERDICT, &dict, &err), 0, "%s", err.msg);
    cr_assert_eq(seg_dict_open(WENSOU_TEST_DICT, NULL, &base_dict, &err), 0, "%s", err.msg);
}

static void close_dicts(void)
{
    seg_dict_close(dict);
    seg_dict_close(base_dict);
}

typedef struct {
    char buf[1 << 16];
    size_t len;
} joined;

static int join_token(void *ctx, const seg_token *t)
{
    joined *j = ctx;
    if (j->len + t->norm_len + 4 >= sizeof j->buf)
        return 0;
    if (j->len)
        j->len += (size_t)snprintf(j->buf + j->len, sizeof j->buf - j->len, " / ");
    memcpy(j->buf + j->len, t->norm, t->norm_len);
    j->len += t->norm_len;
    j->buf[j->len] = 0;
    return 0;
}

/* The normalised tokens of text joined by " / ". */
static const char *cut_text(const seg_dict *d, const char *text, enum seg_mode mode, unsigned flags)
{
    static joined j;
    memset(&j, 0, sizeof j);
    seg_state *st;
    cr_assert_eq(seg_state_new(d, &st), 0);
    cr_assert_eq(seg_cut(st, text, strlen(text), mode, flags, join_token, &j), 0);
    seg_state_free(st);
    return j.buf;
}

#define EXPECT_CUT(d, text, mode, flags, want) \
    cr_expect_str_eq(cut_text((d), (text), (mode), (flags)), (want), "cutting %s", (text))

/* ---- golden segmentations ---- */

Test(segmenter, jieba_readme_examples, .init = open_dicts, .fini = close_dicts)
{
    EXPECT_CUT(base_dict, "我来到北京清华大学", SEG_MODE_ACCURATE, 0, "我 / 来到 / 北京 / 清华大学");
    EXPECT_CUT(base_dict, "他来到了网易杭研大厦", SEG_MODE_ACCURATE, 0, "他 / 来到 / 了 / 网易 / 杭研 / 大厦");
    EXPECT_CUT(base_dict, "他来到了网易杭研大厦", SEG_MODE_ACCURATE, SEG_FLAG_NO_HMM,
               "他 / 来到 / 了 / 网易 / 杭 / 研 / 大厦");
    EXPECT_CUT(base_dict, "小明硕士毕业于中国科学院计算所，后在日本京都大学深造", SEG_MODE_ACCURATE, 0,
               "小明 / 硕士 / 毕业 / 于 / 中国科学院 / 计算所 / , / 后 / 在 / 日本京都大学 / 深造");
    EXPECT_CUT(base_dict, "小明硕士毕业于中国科学院计算所，后在日本京都大学深造", SEG_MODE_SEARCH, 0,
               "小明 / 硕士 / 毕业 / 于 / 中国 / 科学 / 学院 / 科学院 / 中国科学院 / 计算 / 计算所 / , / 后 / 在 / "
               "日本 / 京都 / 大学 / 京都大学 / 日本京都大学 / 深造");
}

Test(segmenter, corpus_sentences_with_user_dictionary, .init = open_dicts, .fini = close_dicts)
{
    EXPECT_CUT(dict, "深化“三服务”，推进“最多跑一次”改革", SEG_MODE_ACCURATE, 0,
               "深化 / “ / 三服务 / ” / , / 推进 / “ / 最多跑一次 / ” / 改革");
    EXPECT_CUT(dict, "打造最佳营商环境", SEG_MODE_ACCURATE, 0, "打造 / 最佳 / 营商环境");
    EXPECT_CUT(dict, "柯桥区建成省级小微企业园6个", SEG_MODE_ACCURATE, 0,
               "柯桥区 / 建成 / 省级 / 小微企业园 / 6 / 个");
    EXPECT_CUT(dict, "“十四五”时期经济社会发展主要目标", SEG_MODE_ACCURATE, 0,
               "“ / 十四五 / ” / 时期 / 经济社会 / 发展 / 主要 / 目标");
    /* the same sentences without the user dictionary fall apart as jieba's do */
    EXPECT_CUT(base_dict, "打造最佳营商环境", SEG_MODE_ACCURATE, 0, "打造 / 最佳 / 营商 / 环境");
}

Test(segmenter, numbers_stay_whole, .init = open_dicts, .fini = close_dicts)
{
    EXPECT_CUT(dict, "生产总值1516.7亿元，增长8.2%", SEG_MODE_ACCURATE, 0,
               "生产总值 / 1516.7 / 亿元 / , / 增长 / 8.2%");
    EXPECT_CUT(dict, "一般公共预算收入 131.4 亿元", SEG_MODE_ACCURATE, 0, "一般公共预算 / 收入 / 131.4 / 亿元");
    EXPECT_CUT(dict, "到2035年", SEG_MODE_ACCURATE, 0, "到 / 2035 / 年");
    /* Chinese-numeral years are the same number: 二〇三五年 → 2035 / 年 */
    EXPECT_CUT(dict, "到二〇三五年", SEG_MODE_ACCURATE, 0, "到 / 2035 / 年");
    EXPECT_CUT(dict, "二○二○年", SEG_MODE_ACCURATE, 0, "2020 / 年");
    /* but numerals that are words stay words */
    EXPECT_CUT(dict, "十四五规划", SEG_MODE_ACCURATE, 0, "十四五 / 规划");
}

Test(segmenter, mixed_latin_and_full_width, .init = open_dicts, .fini = close_dicts)
{
    EXPECT_CUT(dict, "R&D经费支出占比", SEG_MODE_ACCURATE, 0, "r / & / d / 经费支出 / 占 / 比");
    EXPECT_CUT(dict, "ＡＢＣ１２３公司", SEG_MODE_ACCURATE, 0, "abc123 / 公司");
    EXPECT_CUT(dict, "5G网络和iPhone", SEG_MODE_ACCURATE, 0, "5g / 网络 / 和 / iphone");
    EXPECT_CUT(dict, "柯E办上线", SEG_MODE_ACCURATE, 0, "柯e办 / 上线");
}

Test(segmenter, traditional_input_reads_as_simplified, .init = open_dicts, .fini = close_dicts)
{
    EXPECT_CUT(dict, "這個問題很重要", SEG_MODE_ACCURATE, 0, "这个 / 问题 / 很 / 重要");
    EXPECT_CUT(dict, "打造最佳營商環境", SEG_MODE_ACCURATE, 0, "打造 / 最佳 / 营商环境");
    EXPECT_CUT(dict, "柯橋區經濟發展", SEG_MODE_ACCURATE, 0, "柯桥区 / 经济 / 发展");
}

/* ---- byte ranges ---- */

typedef struct {
    const char *text;
    size_t len;
    size_t last_end;
    size_t tokens;
    int ok;
    char why[256];
} tiling;

static int is_space_gap(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            i++;
        } else if (i + 2 < n && c == 0xE3 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) {
            i += 3;   /* U+3000 */
        } else {
            return 0;
        }
    }
    return 1;
}

static int check_tiling(void *ctx, const seg_token *t)
{
    tiling *c = ctx;
    c->tokens++;
    if (!c->ok || t->sub)
        return 0;
    if (t->start < c->last_end || t->end <= t->start || t->end > c->len) {
        c->ok = 0;
        snprintf(c->why, sizeof c->why, "token [%zu,%zu) after %zu", t->start, t->end, c->last_end);
    } else if (!is_space_gap(c->text + c->last_end, t->start - c->last_end)) {
        c->ok = 0;
        snprintf(c->why, sizeof c->why, "non-space bytes skipped before %zu", t->start);
    } else if (t->kind == SEG_KIND_INVALID && t->end - t->start != 1) {
        c->ok = 0;
        snprintf(c->why, sizeof c->why, "invalid token of %zu bytes", t->end - t->start);
    }
    c->last_end = t->end;
    return 0;
}

static tiling tile(const seg_dict *d, const char *text, size_t len, enum seg_mode mode)
{
    tiling c = {text, len, 0, 0, 1, ""};
    seg_state *st;
    cr_assert_eq(seg_state_new(d, &st), 0);
    cr_assert_eq(seg_cut(st, text, len, mode, 0, check_tiling, &c), 0);
    seg_state_free(st);
    if (c.ok && !is_space_gap(text + c.last_end, len - c.last_end)) {
        c.ok = 0;
        snprintf(c.why, sizeof c.why, "text after the last token at %zu", c.last_end);
    }
    return c;
}


Test(segmenter, byte_ranges_tile_every_corpus_file, .init = open_dicts, .fini = close_dicts)
{
    static const char *files[] = {
        "2020-01-08-keqiao-government-work-report.txt", "2021-02-keqiao-14th-five-year-plan.txt",
        "2023-07-keqiao-half-year-review.txt", "2023-keqiao-county-modernisation-model.txt",
        "2026-keqiao-business-environment.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", WENSOU_TEST_CORPUS, files[i]);
        size_t len;
        char *text = test_slurp(path, &len);
        tiling acc = tile(dict, text, len, SEG_MODE_ACCURATE);
        cr_expect(acc.ok, "%s (accurate): %s", files[i], acc.why);
        cr_expect_gt(acc.tokens, len / 6, "%s: too few tokens (%zu)", files[i], acc.tokens);
        tiling srch = tile(dict, text, len, SEG_MODE_SEARCH);
        cr_expect(srch.ok, "%s (search): %s", files[i], srch.why);
        cr_expect_gt(srch.tokens, acc.tokens, "%s: search mode adds no sub-words", files[i]);
        free(text);
    }
}

typedef struct { size_t start[64], end[64]; char norm[64][32]; int kind[64]; size_t n; } spans;

static int record_span(void *ctx, const seg_token *t)
{
    spans *s = ctx;
    if (s->n < 64) {
        s->start[s->n] = t->start;
        s->end[s->n] = t->end;
        s->kind[s->n] = t->kind;
        snprintf(s->norm[s->n], sizeof s->norm[0], "%.*s", (int)t->norm_len, t->norm);
        s->n++;
    }
    return 0;
}

static spans cut_spans(const char *text, size_t len)
{
    spans s;
    memset(&s, 0, sizeof s);
    seg_state *st;
    cr_assert_eq(seg_state_new(dict, &st), 0);
    cr_assert_eq(seg_cut(st, text, len, SEG_MODE_ACCURATE, 0, record_span, &s), 0);
    seg_state_free(st);
    return s;
}

Test(segmenter, ranges_point_at_the_original_bytes, .init = open_dicts, .fini = close_dicts)
{
    const char text[] = "  這個　ＡＢＣ 營商環境\r\n";
    spans s = cut_spans(text, strlen(text));
    cr_assert_eq(s.n, 3);
    cr_expect_eq(s.start[0], 2);  cr_expect_eq(s.end[0], 8);    /* 這個 */
    cr_expect_str_eq(s.norm[0], "这个");
    cr_expect_eq(s.start[1], 11); cr_expect_eq(s.end[1], 20);   /* ＡＢＣ after U+3000 */
    cr_expect_str_eq(s.norm[1], "abc");
    cr_expect_eq(s.start[2], 21); cr_expect_eq(s.end[2], 33);   /* 營商環境 */
    cr_expect_str_eq(s.norm[2], "营商环境");
}

/* ---- search mode ---- */

Test(segmenter, search_mode_adds_words_inside_long_words, .init = open_dicts, .fini = close_dicts)
{
    EXPECT_CUT(dict, "中国轻纺城", SEG_MODE_SEARCH, 0, "中国 / 轻纺 / 轻纺城 / 中国轻纺城");
    EXPECT_CUT(dict, "中国轻纺城", SEG_MODE_ACCURATE, 0, "中国轻纺城");
    EXPECT_CUT(dict, "柯桥区政府", SEG_MODE_SEARCH, 0, "柯桥 / 柯桥区 / 政府");
}

/* ---- user dictionaries ---- */

static char *write_temp(const char *content)
{
    static char path[64];
    strcpy(path, "/tmp/wensou-userdict-XXXXXX");
    int fd = mkstemp(path);
    cr_assert_geq(fd, 0);
    FILE *f = fdopen(fd, "w");
    fputs(content, f);
    fclose(f);
    return path;
}

Test(segmenter, user_dictionary_words_and_deletions)
{
    char *path = write_temp("# comment\n\n网易杭研 3000\n来到 0\n纺都 n\n");
    seg_dict *d;
    seg_err err = {0};
    cr_assert_eq(seg_dict_open(WENSOU_TEST_DICT, path, &d, &err), 0, "%s", err.msg);
    cr_expect_eq(seg_dict_user_words(d), 3);
    /* 网易杭研 joins; 来到 (frequency 0) is never a word again, as after jieba's del_word */
    EXPECT_CUT(d, "他来到了网易杭研大厦", SEG_MODE_ACCURATE, 0, "他来 / 到 / 了 / 网易杭研 / 大厦");
    EXPECT_CUT(d, "来到", SEG_MODE_ACCURATE, 0, "来 / 到");
    seg_dict_close(d);
    unlink(path);
}

Test(segmenter, bad_user_dictionary_line_names_file_and_line)
{
    char *path = write_temp("柯桥 100\n营商环境 12x\n");
    seg_dict *d = NULL;
    seg_err err = {0};
    cr_assert_eq(seg_dict_open(WENSOU_TEST_DICT, path, &d, &err), SEG_EUSERDICT);
    cr_expect_null(d);
    char want[128];
    snprintf(want, sizeof want, "%s:2:", path);
    cr_expect(strncmp(err.msg, want, strlen(want)) == 0, "message: %s", err.msg);
    unlink(path);

    path = write_temp("柯桥 100 n extra\n");
    cr_expect_eq(seg_dict_open(WENSOU_TEST_DICT, path, &d, &err), SEG_EUSERDICT);
    unlink(path);
    path = write_temp("\xff\xfe 12\n");
    cr_expect_eq(seg_dict_open(WENSOU_TEST_DICT, path, &d, &err), SEG_EUSERDICT);
    unlink(path);
}

Test(segmenter, missing_or_corrupt_dictionary_is_an_error)
{
    seg_dict *d = NULL;
    seg_err err = {0};
    cr_expect_eq(seg_dict_open("/nonexistent/jieba.wsd", NULL, &d, &err), SEG_EIO);
    cr_expect_null(d);
    /* a truncated copy */
    size_t len;
    char *whole = test_slurp(WENSOU_TEST_DICT, &len);
    char path[] = "/tmp/wensou-dict-XXXXXX";
    int fd = mkstemp(path);
    cr_assert_eq(write(fd, whole, len / 2), (ssize_t)(len / 2));
    close(fd);
    cr_expect_eq(seg_dict_open(path, NULL, &d, &err), SEG_EFORMAT);
    cr_expect(strstr(err.msg, path) != NULL, "message names the file: %s", err.msg);
    /* a garbled header */
    fd = open(path, O_WRONLY | O_TRUNC);
    memset(whole, 'x', 64);
    cr_assert_eq(write(fd, whole, len), (ssize_t)len);
    close(fd);
    cr_expect_eq(seg_dict_open(path, NULL, &d, &err), SEG_EFORMAT);
    unlink(path);
    free(whole);
}

/* ---- bad input ---- */

Test(segmenter, invalid_utf8_and_nul_bytes_become_single_byte_tokens, .init = open_dicts, .fini = close_dicts)
{
    const char text[] = "\xff中国\xe4\xb8\0柯桥\xc3";
    size_t len = sizeof text - 1;
    spans s = cut_spans(text, len);
    cr_assert_eq(s.n, 7, "got %zu tokens", s.n);
    cr_expect_eq(s.kind[0], SEG_KIND_INVALID);
    cr_expect_eq(s.start[1], 1);  cr_expect_eq(s.end[1], 7);     /* 中国 */
    cr_expect_eq(s.kind[2], SEG_KIND_INVALID);                    /* \xe4 of a cut sequence */
    cr_expect_eq(s.kind[3], SEG_KIND_INVALID);                    /* \xb8 */
    cr_expect_eq(s.kind[4], SEG_KIND_PUNCT);                      /* NUL */
    cr_expect_eq(s.start[5], 10); cr_expect_eq(s.end[5], 16);    /* 柯桥 */
    cr_expect_eq(s.kind[6], SEG_KIND_INVALID);                    /* \xc3 at the end */
    cr_expect_eq(s.start[6], 16); cr_expect_eq(s.end[6], 17);
    tiling t = tile(dict, text, len, SEG_MODE_SEARCH);
    cr_expect(t.ok, "%s", t.why);
    cr_expect_eq(t.last_end, len);
}

Test(segmenter, empty_and_whitespace_only_input, .init = open_dicts, .fini = close_dicts)
{
    spans s = cut_spans("", 0);
    cr_expect_eq(s.n, 0);
    s = cut_spans(" \t\r\n　 ", strlen(" \t\r\n　 "));
    cr_expect_eq(s.n, 0);
}

Test(segmenter, huge_line_without_punctuation, .init = open_dicts, .fini = close_dicts, .timeout = 120)
{
    /* 8 MB of Han text with no break: processed in windows, every byte covered */
    const char *unit = "柯桥区推进高质量发展建设国际纺都";
    size_t ulen = strlen(unit), n = (8u << 20) / ulen;
    char *text = malloc(n * ulen + 1);
    for (size_t i = 0; i < n; i++)
        memcpy(text + i * ulen, unit, ulen);
    tiling t = tile(dict, text, n * ulen, SEG_MODE_ACCURATE);
    cr_expect(t.ok, "%s", t.why);
    cr_expect_eq(t.last_end, n * ulen);
    free(text);
}

static int stop_after_two(void *ctx, const seg_token *t)
{
    (void)t;
    return ++*(int *)ctx == 2 ? 42 : 0;
}

Test(segmenter, callback_can_stop_the_cut, .init = open_dicts, .fini = close_dicts)
{
    int n = 0;
    seg_state *st;
    cr_assert_eq(seg_state_new(dict, &st), 0);
    cr_expect_eq(seg_cut(st, "我来到北京清华大学", strlen("我来到北京清华大学"), SEG_MODE_ACCURATE, 0, stop_after_two, &n), 42);
    cr_expect_eq(n, 2);
    seg_state_free(st);
}

/* ---- threads ---- */

typedef struct { const char *text; size_t len; size_t tokens; unsigned long hash; } thread_job;

static int hash_token(void *ctx, const seg_token *t)
{
    thread_job *j = ctx;
    j->tokens++;
    j->hash = j->hash * 1000003u ^ (t->start * 31 + t->end);
    return 0;
}

static void *segment_in_thread(void *arg)
{
    thread_job *j = arg;
    seg_state *st;
    if (seg_state_new(dict, &st) != 0)
        return NULL;
    for (int r = 0; r < 3; r++) {
        j->tokens = 0;
        j->hash = 0;
        seg_cut(st, j->text, j->len, SEG_MODE_SEARCH, 0, hash_token, j);
    }
    seg_state_free(st);
    return NULL;
}

Test(segmenter, one_dictionary_shared_by_threads, .init = open_dicts, .fini = close_dicts)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/2026-keqiao-business-environment.txt", WENSOU_TEST_CORPUS);
    size_t len;
    char *text = test_slurp(path, &len);
    thread_job ref = {text, len, 0, 0};
    segment_in_thread(&ref);
    pthread_t th[4];
    thread_job jobs[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = ref;
        pthread_create(&th[i], NULL, segment_in_thread, &jobs[i]);
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        cr_expect_eq(jobs[i].tokens, ref.tokens);
        cr_expect_eq(jobs[i].hash, ref.hash);
    }
    free(text);
}
