/* test_indexer.c — the document model as a citing reader needs it: every passage's
 * byte range holds exactly its text (after the stated repairs), passages never
 * overlap or hold a footer or the table of contents, headings nest, footers become
 * pages, GBK files keep their byte ranges, bad files are refused clearly. */
#include "doc.h"

#include "run.h"

#include <criterion/criterion.h>
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *corpus_files[] = {
    "2020-01-08-keqiao-government-work-report.txt", "2021-02-keqiao-14th-five-year-plan.txt",
    "2023-07-keqiao-half-year-review.txt", "2023-keqiao-county-modernisation-model.txt",
    "2026-keqiao-business-environment.txt"};


static idx_doc *load_corpus(const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", WENSOU_TEST_CORPUS, name);
    idx_doc *d;
    idx_err err = {0};
    cr_assert_eq(idx_doc_load(path, &d, &err), 0, "%s", err.msg);
    return d;
}

/* ---- the property, written independently of the indexer ---- */

static size_t utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static int is_ascii_alnum(unsigned char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

/* A printed footer line: - 11 -  (the corpus's form) */
static int is_footer_line(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    if (i == n || s[i] != '-') return 0;
    i++;
    while (i < n && s[i] == ' ') i++;
    size_t d = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
    if (i == d) return 0;
    while (i < n && s[i] == ' ') i++;
    if (i == n || s[i] != '-') return 0;
    i++;
    while (i < n && s[i] == ' ') i++;
    return i == n;
}

static int space_at(const char *s, size_t i, size_t n, size_t *len)
{
    if (s[i] == ' ' || s[i] == '\t' || s[i] == '\r') { *len = 1; return 1; }
    if (i + 2 < n + 0 && (unsigned char)s[i] == 0xE3 && (unsigned char)s[i + 1] == 0x80 && (unsigned char)s[i + 2] == 0x80) { *len = 3; return 1; }
    return 0;
}

/* bytes → the text the property says they hold: footer lines dropped, line breaks
 * removed (a space kept between two Latin words), spaces removed unless both
 * neighbours are ASCII. */
static char *expected_text(const char *b, size_t n)
{
    char *out = malloc(n + 2);
    size_t o = 0;
    int pending_break = 0;
    for (size_t ls = 0; ls < n;) {
        size_t le = ls;
        while (le < n && b[le] != '\n') le++;
        if (!is_footer_line(b + ls, le - ls)) {
            /* trim the line */
            size_t a = ls, e = le, k;
            while (a < e && space_at(b, a, e, &k)) a += k;
            while (e > a && (b[e - 1] == ' ' || b[e - 1] == '\r' || b[e - 1] == '\t')) e--;
            while (e >= a + 3 && (unsigned char)b[e - 3] == 0xE3 && (unsigned char)b[e - 2] == 0x80 && (unsigned char)b[e - 1] == 0x80) e -= 3;
            if (a < e) {
                if (pending_break && o > 0 && is_ascii_alnum((unsigned char)out[o - 1]) && is_ascii_alnum((unsigned char)b[a]))
                    out[o++] = ' ';
                for (size_t i = a; i < e;) {
                    if (!space_at(b, i, e, &k)) { out[o++] = b[i++]; continue; }
                    size_t j = i;
                    while (j < e && space_at(b, j, e, &k)) j += k;
                    unsigned char prev = o ? (unsigned char)out[o - 1] : 0, next = (unsigned char)b[j];
                    if (prev && prev < 0x80 && next < 0x80) {
                        memcpy(out + o, b + i, j - i);
                        o += j - i;
                    }
                    i = j;
                }
                pending_break = 0;
            }
        }
        pending_break = 1;
        ls = le + 1;
    }
    out[o] = 0;
    return out;
}

Test(indexer, every_passage_range_holds_its_text_and_none_overlap)
{
    for (size_t f = 0; f < sizeof corpus_files / sizeof corpus_files[0]; f++) {
        idx_doc *d = load_corpus(corpus_files[f]);
        size_t len;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", WENSOU_TEST_CORPUS, corpus_files[f]);
        char *bytes = test_slurp(path, &len);
        cr_expect_gt(d->npassages, 10, "%s: %zu passages", corpus_files[f], d->npassages);
        size_t span = 0, prev_end = 0;     /* span: where the passages since the last caption start */
        int after_caption = 1;
        for (size_t i = 0; i < d->npassages; i++) {
            const idx_passage *p = &d->passages[i];
            cr_assert_leq(p->end, len);
            int caption = p->kind == IDX_PASSAGE_CAPTION && p->start < prev_end;
            if (!caption && after_caption)
                span = p->start;
            after_caption = caption;
            if (caption) {
                /* a caption a sentence ran past lies inside that sentence's passages */
                cr_expect(p->start >= span && p->end <= prev_end, "%s: caption %zu lies outside the passages before it",
                          corpus_files[f], i);
                char *want = expected_text(bytes + p->start, p->end - p->start);
                cr_expect_str_eq(p->text, want, "%s: caption %zu", corpus_files[f], i);
                free(want);
                continue;
            }
            cr_expect_geq(p->start, prev_end, "%s: passage %zu overlaps the one before", corpus_files[f], i);
            prev_end = p->end;
            if (p->kind == IDX_PASSAGE_TABLE_ROW) {
                cr_expect(p->text_len == p->end - p->start && memcmp(p->text, bytes + p->start, p->text_len) == 0,
                          "%s: table row %zu is not its bytes", corpus_files[f], i);
                continue;
            }
            /* its bytes less the captions of pictures set inside it */
            char *own = malloc(p->end - p->start + 1);
            cr_assert_not_null(own);
            size_t n = 0;
            for (size_t k = p->start; k < p->end;) {
                size_t skip = 0;
                for (size_t c = i + 1; c < d->npassages; c++)
                    if (d->passages[c].kind == IDX_PASSAGE_CAPTION && d->passages[c].start == k &&
                        d->passages[c].end <= p->end)
                        skip = d->passages[c].end - k;
                if (skip) {
                    k += skip;
                    continue;
                }
                own[n++] = bytes[k++];
            }
            char *want = expected_text(own, n);
            free(own);
            cr_expect_str_eq(p->text, want, "%s: passage %zu [%zu, %zu)", corpus_files[f], i, p->start, p->end);
            free(want);
            cr_expect_null(strstr(p->text, "- 11 -"));
            cr_expect_null(strstr(p->text, "- 20 -"));
            /* the table of contents is not content: its entries end in a tab and a page */
            cr_expect_null(strstr(p->text, "新征程\t1"), "%s: TOC line in passage %zu", corpus_files[f], i);
        }
        free(bytes);
        idx_doc_free(d);
    }
}

static const idx_passage *find_passage(const idx_doc *d, const char *needle)
{
    for (size_t i = 0; i < d->npassages; i++)
        if (strstr(d->passages[i].text, needle))
            return &d->passages[i];
    return NULL;
}

Test(indexer, words_cut_by_wraps_and_a_footer_are_whole)
{
    idx_doc *d = load_corpus(corpus_files[0]);
    cr_expect_not_null(find_passage(d, "精功集团"), "精功集 / 团 across a line break");
    cr_expect_not_null(find_passage(d, "省先进印染制造业创新中心"), "stray spaces inside Chinese text");
    const idx_passage *p = find_passage(d, "高水平建设“平安柯桥”");
    cr_assert_not_null(p, "高水 / - 20 - / 平建设");
    cr_expect_eq(p->page, 20);
    cr_expect_eq(p->page_end, 21);
    cr_expect_eq(p->page_source, IDX_PAGE_FOOTER);
    cr_expect_not_null(find_passage(d, "生产总值突破1500亿元"));
    idx_doc_free(d);
}

Test(indexer, work_report_sections_and_glossary)
{
    idx_doc *d = load_corpus(corpus_files[0]);
    const idx_passage *p = find_passage(d, "营商环境持续优化。");
    cr_assert_not_null(p);
    cr_assert_eq(p->nsection, 2);
    cr_expect_str_eq(p->section[0], "一、过去一年工作回顾");
    cr_expect_str_eq(p->section[1], "（一）奋力爬坡越坎，经济实现高开稳走向好");
    /* a heading that opens its paragraph is split off: （四）…环境体系。 / 践行… */
    p = find_passage(d, "践行“两山”理论");
    cr_assert_not_null(p);
    cr_expect_str_eq(p->section[p->nsection - 1], "（四）坚持生态优区，扮靓柯桥，全力打造更高品质环境体系");
    cr_expect(strncmp(p->text, "践行", 6) == 0, "%s", p->text);
    p = find_passage(d, "黑灯工厂（第12页）");
    cr_assert_not_null(p);
    cr_expect_str_eq(p->section[p->nsection - 1], "名词解释");
    idx_doc_free(d);
}

/* The glossary says on which page each term stands; the estimated pages (from the
 * footers and the document's lines per page, not from the glossary) must agree. */
Test(indexer, estimated_pages_agree_with_the_glossary)
{
    idx_doc *d = load_corpus(corpus_files[0]);
    int cited = 0, agree = 0;
    for (size_t i = 0; i < d->npassages; i++) {
        const char *t = d->passages[i].text, *open = strstr(t, "（第");
        if (!open || !(t[0] >= '0' && t[0] <= '9'))
            continue;
        int page = atoi(open + strlen("（第"));
        const char *dot = strchr(t, '.');
        if (!dot || page <= 0 || dot > open)
            continue;
        char term[128];
        size_t tl = (size_t)(open - dot - 1);
        if (tl >= sizeof term)
            continue;
        memcpy(term, dot + 1, tl);
        term[tl] = 0;
        char *from = term;                        /* “刘宝”事迹 → 刘宝”事迹, found inside “刘宝”事迹 */
        if (strncmp(from, "“", 3) == 0)
            from += 3;
        size_t fl = strlen(from);
        if (fl >= 3 && strcmp(from + fl - 3, "”") == 0)
            from[fl - 3] = 0;
        memmove(term, from, strlen(from) + 1);
        cited++;
        int best = 1000;
        for (size_t k = 0; k < i; k++)            /* the occurrence nearest the cited page */
            if (strstr(d->passages[k].text, term)) {
                const idx_passage *p = &d->passages[k];
                int diff = page < p->page ? p->page - page : page > p->page_end ? page - p->page_end : 0;
                if (diff < best)
                    best = diff;
            }
        agree += best == 0;
    }
    cr_expect_eq(cited, 29);
    cr_expect_geq(agree, 27, "only %d of %d glossary pages agree", agree, cited);
    printf("glossary pages agreeing with the estimated pages: %d of %d\n", agree, cited);
    idx_doc_free(d);
}

Test(indexer, plan_toc_gives_pages_tables_and_boxes)
{
    idx_doc *d = load_corpus(corpus_files[1]);
    const idx_passage *p = find_passage(d, "落实“放管服”改革举措");
    cr_assert_not_null(p);
    cr_expect_str_eq(p->section[p->nsection - 1], "（一）打造最佳营商环境");
    cr_expect_eq(p->page, 26);
    cr_expect_eq(p->page_source, IDX_PAGE_TOC);
    /* a table row understandable on its own: table title in the path, header kept */
    p = find_passage(d, "地区生产总值（亿元）\t预期性\t1683");
    cr_assert_not_null(p);
    cr_expect_eq(p->kind, IDX_PASSAGE_TABLE_ROW);
    cr_expect(strstr(p->section[p->nsection - 1], "表1") == p->section[p->nsection - 1], "%s", p->section[p->nsection - 1]);
    cr_assert_not_null(p->table_header);
    cr_expect_not_null(strstr(p->table_header, "指标名称（单位）"));
    cr_expect_not_null(strstr(p->table_header, "年均增长"));
    /* a boxed column's items sit under it */
    p = find_passage(d, "**现代纺织。**");
    cr_assert_not_null(p);
    cr_expect_eq(p->kind, IDX_PASSAGE_BOX);
    cr_expect(strncmp(p->section[p->nsection - 1], "专栏一", 9) == 0, "%s", p->section[p->nsection - 1]);
    for (size_t i = 0; i < d->npassages; i++)
        cr_expect_leq(utf8_chars(d->passages[i].text), 520, "passage %zu too long", i);
    idx_doc_free(d);
}

/* ---- synthetic documents ---- */

/* A document made from bytes as if it were file `base` in a folder that does not
 * exist (so no stray manifest.tsv in the system's temporary folder applies to it). */
static idx_doc *model(const char *base, const char *text, size_t len, int expect_rc)
{
    static char folder[64];
    if (!folder[0]) {
        strcpy(folder, "/tmp/wensou-model-XXXXXX");
        cr_assert_not_null(mkdtemp(folder), "mkdtemp: %s", strerror(errno));
        rmdir(folder);                  /* a fresh name that nothing lies in */
    }
    char name[256];
    snprintf(name, sizeof name, "%s/%s", folder, base);
    idx_doc *d = NULL;
    idx_err err = {0};
    int rc = idx_doc_from_bytes(name, text, len, &d, &err);
    cr_assert_eq(rc, expect_rc, "%s: rc %d: %s", name, rc, err.msg);
    if (rc)
        cr_expect(strncmp(err.msg, name, strlen(name)) == 0, "message names the file: %s", err.msg);
    return d;
}

static const char *path_of(const idx_passage *p)
{
    static char buf[1024];
    size_t o = 0;
    buf[0] = 0;
    for (size_t i = 0; i < p->nsection; i++)
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", i ? " > " : "", p->section[i]);
    return buf;
}

Test(indexer, every_heading_form_nests)
{
    const char text[] =
        "一、总体要求\n"
        "第一段正文，说明总体要求。\n"
        "（一）发展目标\n"
        "第二段正文。\n"
        "1.经济目标\n"
        "第三段正文。\n"
        "（1）增长速度\n"
        "第四段正文。\n"
        "①具体指标\n"
        "第五段正文。\n"
        "(二)主要任务\n"
        "第六段正文。\n"
        "专栏一：重点项目\n"
        "❖ 项目甲：建设内容。\n"
        "普通正文又开始了。\n"
        "表 1：主要指标\n"
        "序号\t指标\t目标\n"
        "1\t生产总值\t7%\n"
        "二、保障措施\n"
        "第七段正文。\n";
    idx_doc *d = model("headings.txt", text, sizeof text - 1, 0);
    cr_assert_eq(d->npassages, 10, "%zu passages", d->npassages);
    cr_expect_str_eq(path_of(&d->passages[0]), "一、总体要求");
    cr_expect_str_eq(path_of(&d->passages[1]), "一、总体要求 > （一）发展目标");
    cr_expect_str_eq(path_of(&d->passages[2]), "一、总体要求 > （一）发展目标 > 1.经济目标");
    cr_expect_str_eq(path_of(&d->passages[3]), "一、总体要求 > （一）发展目标 > 1.经济目标 > （1）增长速度");
    cr_expect_str_eq(path_of(&d->passages[4]), "一、总体要求 > （一）发展目标 > 1.经济目标 > （1）增长速度 > ①具体指标");
    cr_expect_str_eq(path_of(&d->passages[5]), "一、总体要求 > (二)主要任务");
    cr_expect_str_eq(path_of(&d->passages[6]), "一、总体要求 > (二)主要任务 > 专栏一：重点项目");
    cr_expect_str_eq(path_of(&d->passages[7]), "一、总体要求 > (二)主要任务");
    cr_expect_str_eq(path_of(&d->passages[8]), "一、总体要求 > (二)主要任务 > 表1：主要指标");
    cr_expect_str_eq(d->passages[8].text, "1\t生产总值\t7%");
    cr_expect_str_eq(d->passages[8].table_header, "序号\t指标\t目标");
    cr_expect_str_eq(path_of(&d->passages[9]), "二、保障措施");
    cr_expect_eq(d->passages[0].page, 0, "no page information: page unknown");
    cr_expect_eq(d->passages[0].page_source, IDX_PAGE_NONE);
    idx_doc_free(d);

    const char md[] = "# 标题\n\n导语一段。\n\n## 小节\n\n小节正文。\n";
    d = model("md.txt", md, sizeof md - 1, 0);
    cr_assert_eq(d->npassages, 2);
    cr_expect_str_eq(path_of(&d->passages[0]), "标题");
    cr_expect_str_eq(path_of(&d->passages[1]), "标题 > 小节");
    idx_doc_free(d);
}

Test(indexer, each_footer_form_ends_a_page)
{
    const char text[] =
        "一、第一部分\n第一页的正文。\n - 1 - \n"
        "第二页的正文。\n— 2 —\n"
        "第三页的正文。\n第 3 页\n"
        "第四页的正文。\f第五页的正文。\n";
    idx_doc *d = model("footers.txt", text, sizeof text - 1, 0);
    cr_assert_eq(d->npassages, 5, "%zu passages", d->npassages);
    for (int i = 0; i < 4; i++) {
        cr_expect_eq(d->passages[i].page, i + 1, "passage %d on page %d", i, d->passages[i].page);
        cr_expect_eq(d->passages[i].page_source, IDX_PAGE_FOOTER);
        cr_expect_null(strchr(d->passages[i].text, '-'));
    }
    cr_expect_eq(d->passages[4].page, 5, "after the form feed: page %d", d->passages[4].page);
    idx_doc_free(d);
}

static char *to_charset(const char *charset, const char *utf8, size_t *out_len)
{
    iconv_t cd = iconv_open(charset, "UTF-8");
    size_t inleft = strlen(utf8), outleft = inleft * 2 + 8;
    char *out = malloc(outleft), *op = out, *in = (char *)utf8;
    cr_assert_neq(iconv(cd, &in, &inleft, &op, &outleft), (size_t)-1);
    iconv_close(cd);
    *out_len = (size_t)(op - out);
    return out;
}

static char *to_gb18030(const char *utf8, size_t *out_len) { return to_charset("GB18030", utf8, out_len); }

Test(indexer, gbk_files_are_converted_and_ranges_stay_on_their_bytes)
{
    const char utf8[] = "一、营商环境\n柯桥区打造最佳营商环境，推进“最多跑一次”改革。\n第二段：R&D 经费支出 2.65%。\n";
    size_t len;
    char *gbk = to_gb18030(utf8, &len);
    idx_doc *d = model("gbk.txt", gbk, len, 0);
    cr_expect_str_eq(d->encoding, "gb18030");
    cr_assert_eq(d->npassages, 2);
    cr_expect_str_eq(d->passages[0].text, "柯桥区打造最佳营商环境，推进“最多跑一次”改革。");
    cr_expect_str_eq(d->passages[1].text, "第二段：R&D经费支出2.65%。");
    cr_expect_str_eq(d->passages[0].section[0], "一、营商环境");
    /* the range is in the GBK bytes: converting them back gives the passage */
    size_t want_len;
    char *want = to_gb18030(d->passages[0].text, &want_len);
    cr_expect_eq(d->passages[0].end - d->passages[0].start, want_len);
    cr_expect(memcmp(gbk + d->passages[0].start, want, want_len) == 0);
    free(want);
    free(gbk);
    idx_doc_free(d);
}

Test(indexer, big5_files_are_converted_not_read_as_gbk)
{
    /* #13: Big5 text decodes as GB18030 too, and was indexed as nonsense */
    const char utf8[] = "一、營商環境\n臺灣地區持續優化營商環境，推進「最多跑一次」改革，數位經濟蓬勃發展。\n";
    size_t len;
    char *big5 = to_charset("BIG5", utf8, &len);
    idx_doc *d = model("big5.txt", big5, len, 0);
    cr_expect_str_eq(d->encoding, "big5");
    cr_assert_eq(d->npassages, 1);
    cr_expect_str_eq(d->passages[0].text, "臺灣地區持續優化營商環境，推進「最多跑一次」改革，數位經濟蓬勃發展。");
    size_t want_len;
    char *want = to_charset("BIG5", d->passages[0].text, &want_len);
    cr_expect_eq(d->passages[0].end - d->passages[0].start, want_len);
    cr_expect(memcmp(big5 + d->passages[0].start, want, want_len) == 0, "the range is not the passage's bytes");
    free(want);
    free(big5);
    idx_doc_free(d);
}

Test(indexer, utf16_files_are_converted_and_ranges_stay_on_their_bytes)
{
    /* #14: UTF-16 was refused as a binary file */
    const char utf8[] = "一、营商环境\n柯桥区打造最佳营商环境，推进改革。\n";
    const char *charsets[] = {"UTF-16", "UTF-16BE", "UTF-16LE"};      /* with a BOM; without, either order */
    const char *names[] = {"utf-16le", "utf-16be", "utf-16le"};
    for (int i = 0; i < 3; i++) {
        size_t len;
        char *bytes = to_charset(charsets[i], utf8, &len);
        idx_doc *d = model("utf16.txt", bytes, len, 0);
        cr_expect_str_eq(d->encoding, names[i]);
        cr_assert_eq(d->npassages, 1, "%s", charsets[i]);
        cr_expect_str_eq(d->passages[0].text, "柯桥区打造最佳营商环境，推进改革。");
        size_t want_len;
        char *want = to_charset(names[i], d->passages[0].text, &want_len);
        cr_expect_eq(d->passages[0].end - d->passages[0].start, want_len);
        cr_expect(memcmp(bytes + d->passages[0].start, want, want_len) == 0, "%s: the range is not the passage's bytes",
                  charsets[i]);
        free(want);
        free(bytes);
        idx_doc_free(d);
    }
}

Test(indexer, a_file_with_no_structure_is_one_passage_per_paragraph)
{
    const char text[] = "这是一份没有标题、没有页码的普通文本。\r\n它只有两段。\r\n";
    idx_doc *d = model("plain.txt", text, sizeof text - 1, 0);
    cr_assert_eq(d->npassages, 2);
    cr_expect_eq(d->passages[0].nsection, 0);
    cr_expect_str_eq(d->passages[1].text, "它只有两段。");
    cr_expect_eq(d->pages, 0);
    idx_doc_free(d);
    /* with a BOM, offsets still count the file's bytes */
    const char bom[] = "\xEF\xBB\xBF正文一段。\n";
    d = model("bom.txt", bom, sizeof bom - 1, 0);
    cr_assert_eq(d->npassages, 1);
    cr_expect_eq(d->passages[0].start, 3);
    cr_expect_eq(d->passages[0].end, sizeof bom - 2);
    idx_doc_free(d);
}

Test(indexer, bad_files_are_refused_with_a_reason)
{
    model("empty.txt", "", 0, IDX_EEMPTY);
    model("blank.txt", " \n\n\t\n", 5, IDX_EEMPTY);
    char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (char)(i * 7 % 256);
    model("binary.bin", bin, sizeof bin, IDX_EBINARY);
    /* Latin-1 text that is neither UTF-8 nor GB18030 */
    char latin[600];
    for (size_t i = 0; i < sizeof latin; i++)
        latin[i] = (i % 3 == 0) ? (char)0xFF : 'a';
    model("latin1.txt", latin, sizeof latin, IDX_EENCODING);
    idx_doc *d;
    idx_err err = {0};
    cr_expect_eq(idx_doc_load("/nonexistent/report.txt", &d, &err), IDX_EIO);
    cr_expect(strstr(err.msg, "/nonexistent/report.txt") != NULL);
}

Test(indexer, metadata_from_the_manifest_or_the_file)
{
    idx_doc *d = load_corpus(corpus_files[1]);
    cr_expect_str_eq(d->title, "绍兴市柯桥区国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要");
    cr_expect_str_eq(d->date, "2021-02");
    cr_expect_str_eq(d->kind, "规划纲要");
    idx_doc_free(d);
    const char text[] = "某某区2024年政府工作报告\n\n2024年1月9日\n\n各位代表：现在我代表区人民政府作报告。\n";
    d = model("2024-01-09-some-report.txt", text, sizeof text - 1, 0);
    cr_expect_str_eq(d->title, "某某区2024年政府工作报告 2024年1月9日");
    cr_expect_str_eq(d->date, "2024-01-09");
    cr_expect_str_eq(d->kind, "政府工作报告");
    idx_doc_free(d);
}

Test(indexer, a_huge_line_becomes_bounded_passages_in_linear_time, .timeout = 60)
{
    /* #14: a long line opening with a title or contents became one 20 MB passage,
     * and one without punctuation a passage of the whole line; runs were counted
     * from the line's start each sentence (minutes for 4 MB) */
    const char *openings[] = {"政府工作报告", "目录", ""};
    const char *sentences[] = {"推动经济高质量发展，持续优化营商环境。", "推动经济高质量发展持续优化营商环境"};
    for (size_t o = 0; o < 3; o++)
        for (size_t k = 0; k < 2; k++) {
            size_t unit = strlen(sentences[k]), n = (4u << 20) / unit;
            char *text = malloc(strlen(openings[o]) + n * unit + 1);
            cr_assert_not_null(text);
            size_t len = (size_t)sprintf(text, "%s", openings[o]);
            for (size_t i = 0; i < n; i++, len += unit)
                memcpy(text + len, sentences[k], unit);
            text[len] = 0;
            idx_doc *d = model("long-line.txt", text, len, 0);
            size_t covered = 0;
            for (size_t i = 0; i < d->npassages; i++) {
                const idx_passage *p = &d->passages[i];
                cr_assert_leq(utf8_chars(p->text), 1000, "passage %zu of %zu characters", i, utf8_chars(p->text));
                for (size_t s = 0; s < p->nsection; s++)
                    cr_assert_leq(strlen(p->section[s]), 300, "a heading of %zu bytes", strlen(p->section[s]));
                covered += p->end - p->start;
            }
            cr_expect_geq(covered, len - 64, "text lost: %zu of %zu bytes in passages", covered, len);
            idx_doc_free(d);
            free(text);
        }
}

Test(indexer, zero_width_characters_and_soft_hyphens_leave_the_text)
{
    /* #13: scraped text splits words with zero-width spaces (营\u200b商) */
    const char text[] = "标题\n\n柯桥区持续优化营\xe2\x80\x8b商环境，推进“最多跑一次”改\xc2\xad" "re\xc2\xad" "form。\n"
                        "\xe2\x80\x8b\n\xef\xbb\xbf第二段：数字\xe2\x80\x8c经济。\n";
    idx_doc *d = model("zero-width.txt", text, sizeof text - 1, 0);
    cr_assert_eq(d->npassages, 2);
    cr_expect_str_eq(d->passages[0].text, "柯桥区持续优化营商环境，推进“最多跑一次”改reform。");
    cr_expect_str_eq(d->passages[1].text, "第二段：数字经济。");
    /* the ranges still cover the file's own bytes, zero-width characters included */
    cr_expect(memcmp(text + d->passages[0].start, "柯桥区", strlen("柯桥区")) == 0);
    cr_expect_eq(text[d->passages[0].end - 1], (char)0x82);              /* the end of 。 */
    idx_doc_free(d);
}

Test(indexer, metadata_from_the_text_a_title_broken_across_lines_and_the_dateline)
{
    /* #13: a title broken across lines was not recognised (the kind was wrong), and
     * the date came from the file name (2025) instead of the text */
    const char text[] = "政府工作报\n告\n——2025年1月14日在北京市第十六届人民代表大会第三次会议上\n北京市人民政府\n\n"
                        "各位代表：\n\n现在，我代表市人民政府，向大会报告工作，请予审议（京政发〔2025〕3号）。\n";
    idx_doc *d = model("2025-report.txt", text, sizeof text - 1, 0);
    cr_expect_str_eq(d->title, "政府工作报告");
    cr_expect_str_eq(d->kind, "政府工作报告");
    cr_expect_str_eq(d->date, "2025-01-14");
    cr_expect_str_eq(d->title_from, "text");
    cr_expect_str_eq(d->date_from, "text");
    cr_expect_str_eq(d->kind_from, "title");
    const char *want[][2] = {{"issuer", "北京市人民政府"}, {"number", "京政发〔2025〕3号"}};
    for (int k = 0; k < 2; k++) {
        const char *got = NULL;
        for (size_t i = 0; i < d->nmeta; i++)
            if (strcmp(d->meta_keys[i], want[k][0]) == 0)
                got = d->meta_values[i];
        cr_expect(got && strcmp(got, want[k][1]) == 0, "%s: %s", want[k][0], got ? got : "(none)");
    }
    idx_doc_free(d);
}

Test(indexer, publishing_notices_are_not_passages)
{
    /* #13: a scraped story's source and editor lines were indexed as passages */
    const char text[] = "柯桥优化营商环境\n\n来源：绍兴日报\n\n柯桥区持续优化营商环境，企业满意度提升。\n\n"
                        "来源是企业的真实反馈，这一段不是声明而是正文，所以要保留下来。\n\n（完）\n责任编辑：张三\n";
    idx_doc *d = model("story.txt", text, sizeof text - 1, 0);
    cr_assert_eq(d->npassages, 2, "%zu passages", d->npassages);
    cr_expect_str_eq(d->passages[0].text, "柯桥区持续优化营商环境，企业满意度提升。");
    cr_expect(strncmp(d->passages[1].text, "来源是企业", strlen("来源是企业")) == 0);
    idx_doc_free(d);
}

Test(indexer, a_wrapped_line_that_ends_opening_a_title_mark_goes_on)
{
    /* #13: a line ending in 《 ended its paragraph in a typeset report, so the title
     * inside it was cut. A hard-wrapped text, 30 characters a line, where the line
     * with the title mark ends early. */
    const char *filler = "推动经济社会高质量发展取得新成效，";
    const char *target = "全面落实《中华人民共和国国民经济和社会发展第十四个五年规划纲要》各项任务。";
    char para[8192] = "", text[9000];
    for (int i = 0; i < 24; i++)
        strcat(para, filler);
    strcat(para, target);
    for (int i = 0; i < 12; i++)
        strcat(para, filler);
    strcat(para, "全年目标顺利完成。");
    size_t o = 0, col = 0;
    for (const char *c = para; *c;) {
        size_t n = ((unsigned char)*c >= 0xF0) ? 4 : ((unsigned char)*c >= 0xE0) ? 3 : ((unsigned char)*c >= 0xC0) ? 2 : 1;
        memcpy(text + o, c, n);
        o += n;
        int opens = n == 3 && memcmp(c, "《", 3) == 0;
        c += n;
        if (++col == 30 || opens) {           /* the typesetter's line ends */
            text[o++] = '\n';
            col = 0;
        }
    }
    text[o++] = '\n';
    idx_doc *d = model("wrapped.txt", text, o, 0);
    const idx_passage *p = find_passage(d, "全面落实《中华人民共和国国民经济");
    cr_expect_not_null(p, "the line ending in 《 ended the paragraph");
    for (size_t i = 0; i < d->npassages; i++) {
        const char *t = d->passages[i].text;
        size_t n = strlen(t);
        cr_expect(n >= 3 && (strcmp(t + n - 3, "。") == 0 || strcmp(t + n - 3, "，") == 0), "passage %zu ends …%s", i,
                  t + (n > 30 ? n - 30 : 0));
    }
    idx_doc_free(d);
}

Test(indexer, a_story_without_a_manifest_is_a_news_story)
{
    /* #13: without a manifest, news stories got the default kind 文档, so
     * kind:新闻报道 missed them */
    const char story[] = "柯桥区：一流营商环境点燃发展新引擎\n\n本报记者 张三 通讯员 李四\n\n"
                         "初夏的鉴湖，水木两相滋养。柯桥区政企双向奔赴，推动区域经济高质量发展。\n\n"
                         "本版图片由柯桥区委宣传部提供\n";
    idx_doc *d = model("story-2026.txt", story, sizeof story - 1, 0);
    cr_expect_str_eq(d->kind, "新闻报道");
    cr_expect_str_eq(d->kind_from, "text");
    idx_doc_free(d);
    /* its dateline gives its date when its name gives none */
    const char dated[] = "柯桥区营商环境再上新台阶\n\n本报讯（记者 张三）2023年7月15日，柯桥区召开优化营商环境大会。\n";
    d = model("story.txt", dated, sizeof dated - 1, 0);
    cr_expect_str_eq(d->date ? d->date : "(none)", "2023-07-15");
    cr_expect_str_eq(d->date_from ? d->date_from : "(none)", "text");
    idx_doc_free(d);
    const char plain[] = "柯桥区营商环境简介\n\n柯桥区政企双向奔赴，推动区域经济高质量发展，企业满意度持续提升。\n";
    d = model("plain.txt", plain, sizeof plain - 1, 0);
    cr_expect_str_eq(d->kind, "文档", "no newspaper's marks: the default");
    cr_expect_str_eq(d->kind_from, "default");
    idx_doc_free(d);
}

Test(indexer, a_text_line_that_leaves_its_sentence_unfinished_goes_on)
{
    /* #13: a converted plan broke paragraphs at old page joins (…产值年均增 / 空行 /
     * 长15%以上…): 35 sentences cut. A line goes on unless its sentence ended, the
     * next line starts a heading or list item, or either is too short to be prose
     * (a heading, a caption). */
    const char text[] =
        "规划纲要\n\n全区经济社会发展取得新的成效。\n\n"     /* the opening: its title block is left as it is */
        "（一）着力推动经济高质量发展持续取得新的更大成效\n\n"
        "建筑业加快转型升级，二〇二〇年实现建筑业总产值比二〇一五年提高五个百分点。建筑产业现代化产值年均增\n\n"
        "长15%以上，成为全省首批建筑工业化示范城市，农村集体经济持续壮大。\n\n"
        "全区科技创新能力持续增强，高新技术企业数量和研发投入强度保持全省前列，企业创新主体地位\n\n"
        "浙江恒道科技股份有限公司生产车间\n\n"
        "1、深入实施创新驱动发展战略，推动创新链产业链深度融合发展，加快建设现代化经济体系和\n"
        "2、持续优化营商环境。\n";
    idx_doc *d = model("plan.txt", text, sizeof text - 1, 0);
    cr_expect_not_null(find_passage(d, "产值年均增长15%以上，成为全省首批"), "the sentence across the blank line is whole");
    const idx_passage *h = find_passage(d, "（一）着力推动");
    cr_expect(h == NULL || strstr(h->text, "建筑业") == NULL, "a heading joined its body: %s", h ? h->text : "");
    const idx_passage *c = find_passage(d, "企业创新主体地位");
    cr_expect(c && !strstr(c->text, "生产车间"), "a caption joined the text before it");
    const idx_passage *l = find_passage(d, "现代化经济体系和");
    cr_expect(l && !strstr(l->text, "持续优化营商环境"), "a list item joined the one before it");
    idx_doc_free(d);
}

/* doc's meta value for key, and where it came from, or NULL. */
static const char *meta_of(const idx_doc *d, const char *key, const char **from)
{
    for (size_t i = 0; i < d->nmeta; i++)
        if (strcmp(d->meta_keys[i], key) == 0) {
            if (from)
                *from = d->meta_from[i];
            return d->meta_values[i];
        }
    return NULL;
}

Test(indexer, the_issuer_speaker_and_region_come_from_the_opening_or_the_title)
{
    /* #13: without a manifest, 25 of the 28 reports had no issuer and none a region */
    static const struct {
        const char *name, *text, *issuer, *issuer_from, *speaker, *region;
    } cases[] = {
        {"gansu.txt", "2025年甘肃省政府工作报告\n\n——2025年1月20日在甘肃省第十四届人民代表大会第三次会议上\n\n"
                      "甘肃省省长 任振鹤\n\n各位代表：\n\n现在，我代表省人民政府，向大会报告工作。\n",
         "甘肃省人民政府", "text", "甘肃省省长任振鹤", "甘肃省"},
        {"anhui.txt", "2025年安徽省政府工作报告\n\n2025年1月20日在安徽省第十四届人民代表大会第三次会议上安徽省人民政府"
                      "省长 王清宪作政府工作报告\n\n各位代表：\n\n现在，我代表省人民政府，向大会报告政府工作。\n",
         "安徽省人民政府", "text", "安徽省人民政府省长王清宪", "安徽省"},
        {"guangxi.txt", "2025年广西政府工作报告\n\n自治区主席 蓝天立\n\n各位代表：\n\n现在，我代表自治区人民政府，向大会报告工作。\n",
         "广西壮族自治区人民政府", "title", "自治区主席蓝天立", "广西壮族自治区"},
        {"keqiao.txt", "政府工作报告\n\n绍兴市柯桥区人民政府区长  赵如浪\n\n各位代表：\n\n现在，我代表区人民政府，向大会报告工作。\n",
         "绍兴市柯桥区人民政府", "text", "绍兴市柯桥区人民政府区长赵如浪", "柯桥区"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        idx_doc *d = model(cases[i].name, cases[i].text, strlen(cases[i].text), 0);
        const char *from = NULL, *issuer = meta_of(d, "issuer", &from);
        cr_expect_str_eq(issuer ? issuer : "(none)", cases[i].issuer, "%s", cases[i].name);
        cr_expect_str_eq(from ? from : "(none)", cases[i].issuer_from, "%s", cases[i].name);
        const char *speaker = meta_of(d, "speaker", NULL), *region = meta_of(d, "region", NULL);
        cr_expect_str_eq(speaker ? speaker : "(none)", cases[i].speaker, "%s", cases[i].name);
        cr_expect_str_eq(region ? region : "(none)", cases[i].region, "%s", cases[i].name);
        idx_doc_free(d);
    }
    /* a news story names no issuer: none is made up */
    const char story[] = "创新筑基 服务暖心\n\n柯桥区一流营商环境点燃发展新引擎。本报记者 张三\n";
    idx_doc *d = model("story.txt", story, sizeof story - 1, 0);
    cr_expect_null(meta_of(d, "issuer", NULL));
    idx_doc_free(d);
}

/* The section path of the passage holding needle, joined by " > " ("" for none). */
static const char *section_of(const idx_doc *d, const char *needle)
{
    const idx_passage *p = find_passage(d, needle);
    return p ? path_of(p) : "(no passage)";
}

Test(indexer, unnumbered_headings_and_numbered_items_head_their_paragraphs)
{
    /* #13: 一是… paragraphs with no numbering of their own, 2024年工作回顾, and a
     * restarted 一、 list's items were taken for text: the paragraphs under them had
     * the wrong section, and each heading was a one-line passage */
    const char text[] = "一、2025年重点工作\n\n一是聚焦扩大内需，着力提消费促投资\n\n大力提振消费需求。全面落实“两新”政策。\n\n"
                        "二是推进新型工业化\n\n强化科技创新引领。加快建设现代化产业体系。\n\n"
                        "二、附录\n\n一、稳定和扩大就业\n\n年度目标：全省农村劳动力转移就业1500万人以上。\n";
    idx_doc *d = model("plan.txt", text, sizeof text - 1, 0);
    cr_expect_str_eq(section_of(d, "大力提振消费需求"), "一、2025年重点工作 > 一是聚焦扩大内需，着力提消费促投资");
    cr_expect_str_eq(section_of(d, "强化科技创新引领"), "一、2025年重点工作 > 二是推进新型工业化");
    cr_expect_str_eq(section_of(d, "年度目标"), "二、附录 > 一、稳定和扩大就业");
    cr_expect_null(find_passage(d, "二是推进新型工业化"), "a heading is no passage");
    idx_doc_free(d);
}

Test(indexer, one_long_sentence_is_a_passage_whole)
{
    /* #13: a sentence over 400 characters was cut at a comma into two passages, so
     * it could not be quoted whole */
    char text[4096] = "报告\n\n各位代表：\n\n";
    for (int i = 0; i < 60; i++)
        strcat(text, "推动经济高质量发展，");                /* 600 characters */
    strcat(text, "全面完成目标任务。\n");
    idx_doc *d = model("long.txt", text, strlen(text), 0);
    const idx_passage *p = find_passage(d, "推动经济高质量发展");
    cr_assert_not_null(p);
    size_t n = strlen(p->text);
    cr_expect(n >= 3 && strcmp(p->text + n - 3, "。") == 0, "the sentence was cut: …%s", p->text + (n > 30 ? n - 30 : 0));
    idx_doc_free(d);
}

Test(indexer, a_short_line_finished_at_once_goes_on)
{
    /* #13: a short line cut before 推进。 was a passage of its own */
    const char text[] = "创新筑基 服务暖心\n\n柯桥区：一流营商环境点燃发展新引擎\n\n"
                        "初夏的鉴湖，水木两相滋养，孕育出盎然生机。绍兴柯桥区政企双向奔赴，推动区域经济高质量发展。\n\n"
                        "在城市有机更新与风貌提升也稳步\n\n推进。2025年，柯桥区深入开展清洁城市行动，城市面貌焕然一新。\n\n"
                        "柯诸高速\n\n本版图片由柯桥区委宣传部提供\n";
    idx_doc *d = model("story.txt", text, sizeof text - 1, 0);
    cr_expect_not_null(find_passage(d, "风貌提升也稳步推进。2025年"), "the short line is cut from its sentence");
    cr_expect_not_null(find_passage(d, "柯诸高速"), "a caption stays searchable");
    idx_doc_free(d);
}

Test(indexer, a_long_lead_that_names_a_meeting_is_text_and_an_office_s_region_is_its_city)
{
    /* review: a paragraph with 年月日 and 会议上 right after the title was taken for a
     * dateline and left out of the index; a 委员会 issuer gave the region
     * 发展和改革委员会, not its city */
    const char lead[] = "柯桥新闻\n\n2025年1月20日，在杭州市第十四届人民代表大会第四次会议上，市长作政府工作报告。"
                        "报告指出，过去一年全市经济运行稳中有进，创新动能持续增强，民生福祉不断改善，"
                        "全年地区生产总值增长百分之五以上，城乡居民收入稳步增长。\n";
    idx_doc *d = model("news.txt", lead, sizeof lead - 1, 0);
    cr_expect_not_null(find_passage(d, "报告指出"), "the lead is no passage");
    idx_doc_free(d);
    const char notice[] = "关于做好项目申报工作的通知\n\n绍兴市发展和改革委员会\n\n各区、县（市）发展改革局：现将有关事项通知如下。\n";
    d = model("notice.txt", notice, sizeof notice - 1, 0);
    const char *issuer = meta_of(d, "issuer", NULL), *region = meta_of(d, "region", NULL);
    cr_expect_str_eq(issuer ? issuer : "(none)", "绍兴市发展和改革委员会");
    cr_expect_str_eq(region ? region : "(none)", "绍兴市", "an office's place, not its name");
    idx_doc_free(d);
}

Test(indexer, a_sentence_runs_past_a_picture_s_captions_and_captions_are_their_own_passages)
{
    /* #13: a scraped news page sets pictures with their captions inside a sentence
     * (…奋战三季度、决胜 / 大美鉴湖 / 全国“最美农村公路”——柯桥平王线。 / 全年红，…) and
     * credits them at the end; its headline's second line (区：…) is part of the title */
    const char text[] =
        "创新筑基 服务暖心\n\n柯桥区：一流营商环境点燃发展新引擎\n\n"
        "初夏的鉴湖，水木两相滋养，孕育出盎然生机。柯桥区政企双向奔赴推动区域经济高质量发展。\n\n"
        "会议明确提出，要紧盯综合实力全省竞跑，在提升指标上争一流，奋战三季度、决胜\n\n"
        "大美鉴湖\n\n"
        "全国“最美农村公路”——柯桥平王线。\n\n"
        "全年红，以实际行动书写“全省竞跑、示范先行”高分答卷，让企业在柯桥安心发展。\n\n"
        "交通出行便利惠民 “最美目的地”人气攀升\n\n"
        "柯桥的交通网络日益完善，往来安全便捷，还为当地文旅发展带来不小助力，游客数量持续增长。\n\n"
        "柯诸高速\n\n金燕翔 陈钟\n\n"
        "营商环境持续优化。学习\n\n"                 /* a sentence's end inside: no caption */
        "本版图片由柯桥区委宣传部提供\n";
    idx_doc *d = model("news.txt", text, sizeof text - 1, 0);
    const idx_passage *s = find_passage(d, "奋战三季度、决胜全年红，以实际行动");
    cr_expect_not_null(s, "the sentence around the pictures is not whole");
    cr_expect(s && !strstr(s->text, "大美鉴湖") && !strstr(s->text, "平王线"), "a caption is inside the sentence");
    /* (a repaired text drops the space between Chinese words: 金燕翔陈钟) */
    const char *captions[] = {"大美鉴湖", "全国“最美农村公路”——柯桥平王线。", "柯诸高速", "金燕翔陈钟"};
    for (size_t i = 0; i < sizeof captions / sizeof captions[0]; i++) {
        const idx_passage *c = find_passage(d, captions[i]);
        cr_expect(c && c->kind == IDX_PASSAGE_CAPTION && strcmp(c->text, captions[i]) == 0,
                  "%s is no caption passage of its own", captions[i]);
    }
    const idx_passage *t = find_passage(d, "交通网络日益完善");
    cr_expect(t && t->nsection == 1 && strstr(t->section[0], "交通出行便利惠民"),
              "the news subheading heads its paragraph: %s", t ? path_of(t) : "");
    const idx_passage *x = find_passage(d, "营商环境持续优化。学习");
    cr_expect(x && x->kind != IDX_PASSAGE_CAPTION, "a line with a sentence's end inside is a caption");
    cr_expect_null(find_passage(d, "本版图片"), "the picture credit is a passage");
    cr_expect_null(find_passage(d, "点燃发展新引擎"), "the headline's second line is a passage");
    idx_doc_free(d);
}

Test(indexer, the_lines_after_a_picture_credit_that_name_a_thing_are_captions)
{
    /* #13: a scraped page credits its pictures and then lists their captions, some
     * over 20 characters (总投资…项目效果图。); they are no text, and a sentence the
     * page itself leaves unfinished is not joined to them */
    const char text[] =
        "城乡发展提质扩面 打造全民共享的“柯桥经验”\n\n"
        "柯桥区深入推进城乡融合发展，农村人居环境持续改善，共同富裕基本单元建设全面铺开。\n\n"
        "5月12日,全国农村宅基地管理与\n\n"
        "(本版图片由绍兴市柯桥区委宣传部提供)\n\n"
        "总投资100亿元的日月光能新能源光伏电池片智能制造项目效果图。\n\n"
        "2023中国绍兴柯桥国际纺织面料辅料博览会(春季)——纺织面料流行趋势发布会。\n\n"
        "中国轻纺城\n\n"
        "这是一段说明，它有逗号，所以是正文而不是图片说明文字，应当作为普通段落收录。\n";
    idx_doc *d = model("review.txt", text, sizeof text - 1, 0);
    const char *captions[] = {"总投资100亿元的日月光能新能源光伏电池片智能制造项目效果图。",
                              "2023中国绍兴柯桥国际纺织面料辅料博览会(春季)——纺织面料流行趋势发布会。", "中国轻纺城"};
    for (size_t i = 0; i < sizeof captions / sizeof captions[0]; i++) {
        const idx_passage *c = find_passage(d, captions[i]);
        cr_expect(c && c->kind == IDX_PASSAGE_CAPTION && strcmp(c->text, captions[i]) == 0,
                  "%s is no caption passage of its own", captions[i]);
    }
    const idx_passage *cut = find_passage(d, "全国农村宅基地管理与");
    cr_expect(cut && cut->kind == IDX_PASSAGE_TEXT && !strstr(cut->text, "效果图"),
              "the unfinished sentence was joined to a caption");
    const idx_passage *prose = find_passage(d, "这是一段说明");
    cr_expect(prose && prose->kind == IDX_PASSAGE_TEXT, "a clause after the captions is a caption");
    cr_expect_null(find_passage(d, "本版图片"), "the picture credit is a passage");
    idx_doc_free(d);
}

/* Appends para to text as a typesetter sets it, 30 characters a line: its first
 * 119 characters (prefix, then filler over and over) and 。, four full lines. */
static void set_full_paragraph(char *text, size_t *o, const char *prefix)
{
    const char *filler = "推动经济社会高质量发展取得新成效，";
    const char *src = prefix;
    for (int ch = 0; ch < 119; ch++) {
        if (!*src)
            src = filler;
        size_t n = ((unsigned char)*src >= 0xE0) ? 3 : 1;
        memcpy(text + *o, src, n);
        *o += n;
        src += n;
        if (ch % 30 == 29)
            text[(*o)++] = '\n';
    }
    memcpy(text + *o, "。\n", 4);
    *o += 4;
}

Test(indexer, a_section_number_after_a_full_line_starts_a_section)
{
    /* #13: in a typeset report, a paragraph's last line that fills the width went on
     * into the next line even when that was a heading numbered (三) in ASCII brackets
     * or 十一、, which only （一）…（十） and 一、…十、 stopped */
    char text[16384];
    size_t o = 0;
    for (int i = 0; i < 3; i++)
        set_full_paragraph(text, &o, "过去一年，");
    o += (size_t)sprintf(text + o, "(三)持续挖掘投资消费潜能\n");
    set_full_paragraph(text, &o, "统筹好总供给和总需求的关系，");
    set_full_paragraph(text, &o, "过去一年，");
    o += (size_t)sprintf(text + o, "十一、深化改革开放\n");
    set_full_paragraph(text, &o, "紧紧围绕国之大者，");
    set_full_paragraph(text, &o, "过去一年，");
    idx_doc *d = model("wrapped.txt", text, o, 0);
    const char *headings[][2] = {{"统筹好总供给", "持续挖掘投资消费潜能"}, {"紧紧围绕国之大者", "深化改革开放"}};
    for (size_t h = 0; h < 2; h++) {
        const idx_passage *p = find_passage(d, headings[h][0]);
        cr_expect(p && p->nsection && strstr(p->section[p->nsection - 1], headings[h][1]),
                  "%s is not the section of %s: %s", headings[h][1], headings[h][0], p ? path_of(p) : "(none)");
    }
    for (size_t i = 0; i < d->npassages; i++)
        cr_expect(!strstr(d->passages[i].text, "持续挖掘") && !strstr(d->passages[i].text, "深化改革开放"),
                  "a heading was joined to a paragraph: %s", d->passages[i].text);
    idx_doc_free(d);
}

Test(indexer, a_date_in_chinese_numerals_or_with_spaces_comes_from_the_text)
{
    /* #13: a plan dated 二〇二一年二月 under its issuer, and a report whose dateline is
     * spaced (2020 年 1 月 8 日在…) took their dates from the file name, or had none */
    const char plan[] = "某某区国民经济和社会发展\n第十四个五年规划和二〇三五年\n远景目标纲要\n\n某某区人民政府\n\n二〇二一年二月\n\n"
                        "第一章 发展基础\n\n“十三五”时期，全区经济社会发展取得显著成就。\n";
    idx_doc *d = model("plan.txt", plan, sizeof plan - 1, 0);
    cr_expect_str_eq(d->date ? d->date : "(none)", "2021-02", "二〇三五年 is no date; 二〇二一年二月 is");
    cr_expect_str_eq(d->date_from ? d->date_from : "(none)", "text");
    idx_doc_free(d);
    const char report[] = "政 府 工 作 报 告\n\n2020 年 1 月 8 日在某某区\n\n第一届人民代表大会第四次会议上\n\n"
                          "各位代表：\n\n现在，我代表区人民政府，向大会报告工作，请予审议。\n";
    d = model("2020-01-08-report.txt", report, sizeof report - 1, 0);
    cr_expect_str_eq(d->date ? d->date : "(none)", "2020-01-08");
    cr_expect_str_eq(d->date_from ? d->date_from : "(none)", "text", "the text and the name agree: the text says it");
    idx_doc_free(d);
    const char later[] = "二〇二五年一月十四日\n\n关于做好2025年项目申报工作的通知\n\n各有关单位：现将有关事项通知如下。\n";
    d = model("notice.txt", later, sizeof later - 1, 0);
    cr_expect_str_eq(d->date ? d->date : "(none)", "2025-01-14");
    idx_doc_free(d);
}

Test(indexer, a_story_set_with_a_newspaper_headline_is_a_news_story_and_a_red_header_is_not)
{
    /* #13: a feature story with no newspaper marks (记者, 本报讯…) got the kind 文档
     * without a manifest; its headline's spaced phrases are a newspaper's setting */
    const char story[] = "# 柯桥 奋力打造中国式现代化县域样板\n\n## 以创新深化 改革攻坚 开放提升 谋求更高质量发展\n\n"
                         "风催春来,万物焕新。城市与人,再次启程。\n\n以实干求创新。新,就是生命力。\n";
    idx_doc *d = model("story.txt", story, sizeof story - 1, 0);
    cr_expect_str_eq(d->kind, "新闻报道");
    cr_expect_str_eq(d->kind_from, "text");
    idx_doc_free(d);
    const char *official[] = {
        "绍兴市柯桥区人民政府 文件\n\n柯政发〔2021〕12号\n\n区政府 关于 做好 有关工作\n\n各镇人民政府：现将有关事项明确如下。\n",
        "柯桥区 数字经济 提质行动\n\n柯政办发〔2021〕12号\n\n为加快数字经济发展，制定本行动。\n",
        "柯桥区 2023年工作总结\n\n一、主要成绩\n\n全年完成地区生产总值增长目标。\n",
        "某某区人民政府\n\n数字经济 五年计划\n\n为加快数字经济发展，制定本计划。\n",
    };
    for (size_t i = 0; i < sizeof official / sizeof official[0]; i++) {
        d = model("official.txt", official[i], strlen(official[i]), 0);
        cr_expect_str_neq(d->kind, "新闻报道", "an official document is a news story: %s", official[i]);
        idx_doc_free(d);
    }
}

Test(indexer, a_manifest_rewritten_at_once_is_read_again)
{
    /* the manifest is kept parsed between files: one rewritten at once (same inode
     * and size, maybe the same clock tick) must not give the old row */
    char folder[] = "/tmp/wensou-manifest-XXXXXX", manifest[96], doc[96];
    cr_assert_not_null(mkdtemp(folder));
    snprintf(manifest, sizeof manifest, "%s/manifest.tsv", folder);
    snprintf(doc, sizeof doc, "%s/a.txt", folder);
    const char *titles[] = {"甲", "乙", "丙"};
    for (int round = 0; round < 3; round++) {
        FILE *f = fopen(manifest, "w");
        cr_assert_not_null(f);
        fprintf(f, "file\ttitle\na.txt\t%s年报告\n", titles[round]);
        fclose(f);
        char *entry = idx_manifest_entry(doc);
        cr_expect(entry && strstr(entry, titles[round]), "round %d: %s", round, entry ? entry : "(none)");
        free(entry);
    }
    idx_manifest_forget();
    unlink(manifest);
    rmdir(folder);
}
