/* test_formats.c — PDF and Word files as reports are published: pages as printed,
 * running headers gone, the 28 provincial reports indexed in one batch, and every
 * bad file (truncated, encrypted, not what it says, a zip bomb, scanned) refused
 * with a reason while the batch goes on. */
#include "doc.h"
#include "run.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/wensou-formats-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static void make_pdf(const char *name, int pages, int first, int no_text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    char cmd[512];
    /* the fixture generator's fonts and cairo keep caches LeakSanitizer would report */
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 '%s' '%s' %d %d %s", WENSOU_TEST_MKPDF, path, pages, first,
             no_text ? "--no-text" : "");
    cr_assert_eq(system(cmd), 0, "mkpdf failed");
}

static idx_doc *load(const char *path, int want_rc, idx_err *err)
{
    idx_doc *d = NULL;
    int rc = idx_doc_load(path, &d, err);
    cr_assert_eq(rc, want_rc, "%s: rc %d: %s", path, rc, err->msg);
    return d;
}

Test(formats, pdf_pages_as_printed_and_running_lines_gone, .init = setup, .fini = teardown)
{
    char path[256];
    make_pdf("report.pdf", 4, 5, 0, path, sizeof path);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_expect_str_eq(d->encoding, "pdf");
    cr_expect_eq(d->pages, 8);
    int seen[4] = {0};
    for (size_t i = 0; i < d->npassages; i++) {
        const idx_passage *p = &d->passages[i];
        cr_expect_null(strstr(p->text, "测试版"), "the running header stayed in: %s", p->text);
        cr_expect_eq(p->page_source, IDX_PAGE_PDF);
        for (int k = 0; k < 4; k++) {
            char want[32];
            snprintf(want, sizeof want, "第%d页的内容", 5 + k);
            if (strstr(p->text, want)) {
                seen[k] = 1;
                cr_expect_eq(p->page, 5 + k, "%s on page %d", want, p->page);
            }
        }
        /* start/end index the extracted text that inspect --text prints */
        cr_assert_leq(p->end, d->extracted_len);
    }
    for (int k = 0; k < 4; k++)
        cr_expect(seen[k], "page %d's text not found", 5 + k);
    idx_doc_free(d);
}

Test(formats, bad_pdfs_are_refused_with_a_reason, .init = setup, .fini = teardown)
{
    char path[256], bad[300];
    make_pdf("good.pdf", 3, 1, 0, path, sizeof path);
    size_t len;
    char *bytes = test_slurp(path, &len);
    snprintf(bad, sizeof bad, "%s/truncated.pdf", dir);
    FILE *f = fopen(bad, "wb");
    fwrite(bytes, 1, len / 3, f);
    fclose(f);
    idx_err err = {0};
    load(bad, IDX_EFORMAT, &err);
    cr_expect_not_null(strstr(err.msg, "truncated.pdf: "), "%s", err.msg);
    snprintf(bad, sizeof bad, "%s/fake.pdf", dir);
    f = fopen(bad, "wb");
    fputs("%PDF-1.7 this is not really a PDF\n", f);
    fclose(f);
    load(bad, IDX_EFORMAT, &err);
    free(bytes);

    make_pdf("scanned.pdf", 3, 1, 1, path, sizeof path);
    load(path, IDX_EEMPTY, &err);
    cr_expect_not_null(strstr(err.msg, "no text layer"), "%s", err.msg);

    if (system("command -v qpdf > /dev/null") == 0) {
        char cmd[700];
        snprintf(bad, sizeof bad, "%s/encrypted.pdf", dir);
        snprintf(cmd, sizeof cmd, "qpdf --encrypt secret secret 256 -- '%s/good.pdf' '%s'", dir, bad);
        cr_assert_eq(system(cmd), 0);
        load(bad, IDX_EFORMAT, &err);
        cr_expect_not_null(strstr(err.msg, "encrypted"), "%s", err.msg);
    }
}

Test(formats, the_28_provincial_reports_in_one_batch, .init = setup, .fini = teardown, .timeout = 300)
{
    char db[128];
    snprintf(db, sizeof db, "%s/db", dir);
    run_result r = run_args("", "index", "--quiet", "--db", db, WENSOU_TEST_REPORTS, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect(strncmp(r.out, "28 added, 0 updated, 0 unchanged, 0 removed, 0 failed;", 54) == 0, "%s", r.out);
    run_free(&r);
    r = run_args("", "search", "--json", "--db", db, "新质生产力", "doc:anhui", "--limit", "3", (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    cr_expect_not_null(strstr(r.out, "\"title\":\"2025年安徽省政府工作报告\""), "%s", r.out);
    cr_expect_not_null(strstr(r.out, "\"page_source\":\"docx\""), "%s", r.out);
    run_free(&r);

    char path[512];
    snprintf(path, sizeof path, "%s/2025-anhui-government-work-report.docx", WENSOU_TEST_REPORTS);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_expect_str_eq(d->title, "2025年安徽省政府工作报告");
    cr_expect_eq(d->pages, 33, "Word's rendered page breaks: %d pages", d->pages);
    int top = 0, sub = 0;
    for (size_t i = 0; i < d->npassages; i++) {
        if (d->passages[i].nsection >= 1 && strcmp(d->passages[i].section[0], "一、2024年工作回顾") == 0)
            top = 1;
        if (d->passages[i].nsection >= 2)
            sub = 1;
    }
    cr_expect(top && sub, "sections of the Anhui report not found");
    idx_doc_free(d);
    snprintf(path, sizeof path, "%s/2025-beijing-government-work-report.docx", WENSOU_TEST_REPORTS);
    d = load(path, 0, &err);
    /* Beijing's records no page breaks: its pages are laid out from its page setup
     * (bench/wordpages.py measures that against the reports that record them) */
    cr_expect(d->pages >= 15 && d->pages <= 40, "%d estimated pages", d->pages);
    for (size_t i = 0; i < d->npassages; i++) {
        cr_expect_eq(d->passages[i].page_source, IDX_PAGE_ESTIMATED);
        cr_expect(i == 0 || d->passages[i].page >= d->passages[i - 1].page, "passage %zu goes back a page", i);
    }
    idx_doc_free(d);
}

Test(formats, bad_word_files_are_refused_with_a_reason, .init = setup, .fini = teardown)
{
    char path[512], bad[300];
    snprintf(path, sizeof path, "%s/2025-hebei-government-work-report.docx", WENSOU_TEST_REPORTS);
    size_t len;
    char *bytes = test_slurp(path, &len);
    snprintf(bad, sizeof bad, "%s/truncated.docx", dir);
    FILE *f = fopen(bad, "wb");
    fwrite(bytes, 1, len / 2, f);
    fclose(f);
    free(bytes);
    idx_err err = {0};
    load(bad, IDX_EFORMAT, &err);
    snprintf(bad, sizeof bad, "%s/notes.docx", dir);
    f = fopen(bad, "wb");
    fputs("这不是 Word 文件，只是文字。\n", f);
    fclose(f);
    load(bad, IDX_EFORMAT, &err);
    cr_expect_not_null(strstr(err.msg, "not a Word file"), "%s", err.msg);

    /* a zip bomb: 64 MB of zeros as word/document.xml */
    snprintf(bad, sizeof bad, "%s/bomb.docx", dir);
    int ze;
    zip_t *z = zip_open(bad, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    size_t big = 64u << 20;
    char *zeros = calloc(1, big);
    zip_source_t *src = zip_source_buffer(z, zeros, big, 0);
    zip_file_add(z, "word/document.xml", src, ZIP_FL_OVERWRITE);
    cr_assert_eq(zip_close(z), 0);
    free(zeros);
    load(bad, IDX_EFORMAT, &err);
    cr_expect_not_null(strstr(err.msg, "zip bomb"), "%s", err.msg);

    /* the batch goes on past them */
    char db[128];
    snprintf(db, sizeof db, "%s/db", dir);
    char good[600];
    snprintf(good, sizeof good, "%s/2025-hebei-government-work-report.docx", WENSOU_TEST_REPORTS);
    run_result r = run_args("", "index", "--quiet", "--db", db, dir, good, (char *)NULL);
    cr_expect_eq(r.status, 1);
    cr_expect(strncmp(r.out, "1 added,", 8) == 0, "%s", r.out);
    cr_expect_not_null(strstr(r.err, "bomb.docx"), "%s", r.err);
    run_free(&r);
}

/* A .docx at dir/name whose body is body (WordprocessingML paragraphs). */
static void make_docx(const char *name, const char *body, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    static const char head[] = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                               "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>";
    static const char tail[] = "</w:body></w:document>";
    size_t len = strlen(head) + strlen(body) + strlen(tail);
    char *xml = malloc(len + 1);
    cr_assert_not_null(xml);
    snprintf(xml, len + 1, "%s%s%s", head, body, tail);
    int ze;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    cr_assert_not_null(z);
    zip_file_add(z, "word/document.xml", zip_source_buffer(z, xml, len, 0), ZIP_FL_OVERWRITE);
    cr_assert_eq(zip_close(z), 0);
    free(xml);
}

/* The document model of a .docx at dir/name whose body is body. */
static idx_doc *docx_doc(const char *name, const char *body)
{
    char path[256];
    make_docx(name, body, path, sizeof path);
    idx_err err = {0};
    return load(path, 0, &err);
}

Test(formats, a_word_page_break_inside_a_sentence_is_a_page_boundary_in_its_passage, .init = setup,
     .fini = teardown)
{
    /* #13: a page break inside a paragraph ended the paragraph (16 and 23 sentences cut
     * in two reports), so a quoted sentence crossing a page was not found */
    const char body[] =
        "<w:p><w:r><w:t>第一段在第一页。</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>居民消费价格上涨</w:t></w:r><w:r><w:br w:type=\"page\"/></w:r>"
        "<w:r><w:t>0.2%，就业总体稳定。</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>第三段写完一句。</w:t></w:r><w:r><w:lastRenderedPageBreak/><w:t>下一页的新句子。</w:t></w:r></w:p>";
    idx_doc *d = docx_doc("breaks.docx", body);
    cr_assert_eq(d->npassages, 4, "%zu passages", d->npassages);
    cr_expect_str_eq(d->passages[1].text, "居民消费价格上涨0.2%，就业总体稳定。");
    cr_expect_eq(d->passages[1].page, 1);
    cr_expect_eq(d->passages[1].page_end, 2);
    /* after a sentence's end a page break still parts the passages */
    cr_expect_str_eq(d->passages[2].text, "第三段写完一句。");
    cr_expect_str_eq(d->passages[3].text, "下一页的新句子。");
    cr_expect_eq(d->passages[3].page, 3);
    idx_doc_free(d);
}

Test(formats, a_word_file_that_records_no_pages_gets_them_laid_out_from_its_page_setup, .init = setup,
     .fini = teardown)
{
    /* #13: 20 of the 28 provincial reports record no page breaks: every passage had
     * page null. A4, Word's margins, a 15.6 pt line grid, 14 pt text: a line holds 29
     * characters and takes two grid lines, so a page holds 22 lines, 11 paragraphs of
     * two lines each. */
    static const char para[] = "<w:p><w:pPr><w:rPr><w:sz w:val=\"28\"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val=\"28\"/>"
                               "</w:rPr><w:t>第%02d段推进营商环境优化提升行动，持续深化放管服改革，打造市场化法治化国际化一流营商环"
                               "境，让各类经营主体安心发展。</w:t></w:r></w:p>";
    char *body = malloc(30 * sizeof para + 512);
    cr_assert_not_null(body);
    size_t n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)sprintf(body + n, para, i);
    sprintf(body + n, "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1800\" "
                      "w:bottom=\"1440\" w:left=\"1800\"/><w:docGrid w:type=\"lines\" w:linePitch=\"312\"/></w:sectPr>");
    char path[256];
    make_docx("nopages.docx", body, path, sizeof path);
    free(body);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_assert_gt(d->npassages, 2, "%zu passages", d->npassages);
    for (size_t i = 0; i < d->npassages; i++) {
        /* the pages of its first and last paragraphs (第NN段) */
        const char *t = d->passages[i].text, *first = strstr(t, "第"), *last = first;
        for (const char *k = first; k; k = strstr(k + 1, "第"))
            last = k;
        cr_assert(first && last, "%s", t);
        int a = atoi(first + strlen("第")), b = atoi(last + strlen("第"));
        cr_expect_eq(d->passages[i].page, a / 11 + 1, "paragraph %d on page %d", a, d->passages[i].page);
        cr_expect_eq(d->passages[i].page_end, b / 11 + 1, "paragraph %d ends on page %d", b, d->passages[i].page_end);
        cr_expect_eq(d->passages[i].page_source, IDX_PAGE_ESTIMATED);
    }
    cr_expect_eq(d->pages, 3);
    idx_doc_free(d);

    /* no page setup at all: A4 and Word's margins, pages still counted in order */
    char big[8192];
    n = 0;
    for (int i = 0; i < 40 && n + sizeof para < sizeof big; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, para, i);
    make_docx("nosetup.docx", big, path, sizeof path);
    d = load(path, 0, &err);
    cr_assert_gt(d->npassages, 1);
    int last = 1;
    for (size_t i = 0; i < d->npassages; i++) {
        cr_expect_geq(d->passages[i].page, last, "paragraph %zu goes back a page", i);
        last = d->passages[i].page;
    }
    cr_expect_gt(last, 1, "no page was ever full");
    idx_doc_free(d);
}

/* Opens the text a typeset PDF is made of (one paragraph a line); typeset() makes it. */
static FILE *typeset_input(char *text, size_t cap)
{
    snprintf(text, cap, "%s/report.txt.in", dir);
    FILE *f = fopen(text, "w");
    cr_assert_not_null(f);
    return f;
}

/* Typesets text into dir/name as a printer sets a report (tests/mkpdf --typeset),
 * or a newspaper in two columns (how = "--columns"). */
static void typeset_as(const char *how, const char *text, const char *name, char *path, size_t cap)
{
    char cmd[1200];
    snprintf(path, cap, "%s/%s", dir, name);
    snprintf(cmd, sizeof cmd, "ASAN_OPTIONS=detect_leaks=0 '%s' '%s' %s '%s'", WENSOU_TEST_MKPDF, path, how, text);
    cr_assert_eq(system(cmd), 0, "mkpdf failed");
}

static void typeset(const char *text, const char *name, char *path, size_t cap)
{
    typeset_as("--typeset", text, name, path, cap);
}

/* Every passage of d ends a sentence (with 。). */
static void expect_sentences_end_passages(const idx_doc *d)
{
    for (size_t i = 0; i < d->npassages; i++) {
        const char *t = d->passages[i].text;
        size_t n = strlen(t);
        cr_expect(n >= 3 && strcmp(t + n - 3, "。") == 0, "passage %zu ends mid-sentence: …%s", i,
                  t + (n > 30 ? n - 30 : 0));
    }
}

/* How many times s stands whole in d's passages. */
static size_t occurrences(const idx_doc *d, const char *s)
{
    size_t found = 0;
    for (size_t i = 0; i < d->npassages; i++)
        for (const char *at = strstr(d->passages[i].text, s); at; at = strstr(at + 1, s))
            found++;
    return found;
}

Test(formats, a_typeset_pdf_report_keeps_its_sentences_whole, .init = setup, .fini = teardown)
{
    /* #13: lines of a PDF that hold digits and Latin letters are set narrower and
     * were taken for paragraph ends (居|民消费价格, 增加1.6|万亿元), so a quoted
     * sentence was not found. Justified paragraphs over pages, with running heads
     * and "- N -" footers, as a printer sets a report. */
    static const char *const paras[] = {
        ("全年国内生产总值增长5.0%，居民消费价格上涨0.2%，城镇新增就业1256万人，城镇调查失业率平均为5.1%，"
        "国际收支基本平衡，外汇储备保持在3.2万亿美元以上，粮食产量首次突破1.4万亿斤，规模以上工业增加值增长5.8%，"
        "研究与试验发展（R&D）经费投入强度达到2.68%，数字经济核心产业增加值占GDP比重达到10%左右。"),
        ("推进5G、IPv6、AI、IoT等新型基础设施建设，建成5G基站425万个，千兆光网覆盖超过5亿户家庭，算力总规模达到"
         "280EFLOPS，在《中华人民共和国国民经济和社会发展第十四个五年规划和2035年远景目标纲要》确定的目标任务中，"
         "多数指标进展符合预期。"),
        ("围绕CPI、PPI、PMI等指标加强监测，推动ESG信息披露，支持REITs扩大试点，深化QFII、RQFII制度改革，全年实际"
         "使用外资8262.5亿元，货物进出口总额43.85万亿元、增长5%，服务贸易总额7.5万亿元、增长14.4%。"),
    };
    char text[512], path[512];
    FILE *f = typeset_input(text, sizeof text);
    for (int copy = 0; copy < 8; copy++)           /* several pages of them */
        for (size_t i = 0; i < sizeof paras / sizeof paras[0]; i++)
            fprintf(f, "%s\n", paras[i]);
    fclose(f);
    typeset(text, "typeset.pdf", path, sizeof path);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_assert_gt(d->pages, 1);
    expect_sentences_end_passages(d);
    size_t found = occurrences(d, "居民消费价格上涨0.2%");
    cr_expect_eq(found, 8, "the sentence is whole in %zu of 8 copies", found);
    idx_doc_free(d);
}

Test(formats, a_pdf_paragraph_s_one_character_last_line_stays_in_its_place, .init = setup, .fini = teardown)
{
    /* #13: poppler's reading order put the one-character last line of an indented
     * paragraph (…各州、市人民政 / 府) before the paragraph, so 府 ended the passage
     * before and 人民政府 was not found; a heading that wraps (…支柱产 / 业) lost its
     * last character to the paragraph above */
    static const char *const paras[] = {
        "一、2025年工作安排",
        "（六）以北疆文化建设提升行动为引领，把文旅业打造成支柱产业",
        "北疆文化是一座“精神富矿”，要坚持以文塑旅、以旅彰文，推动文化、旅游、体育、赛事、演艺、会展、商业融合发展，加快建设文旅强区。",
        "年度目标：全省农村劳动力转移就业1500万人以上，实现城镇新增就业50万人以上；对10类重点就业群体新发放创业担保贷款不低于80亿元，支持不低于4万人创业。",
        "主办单位：省人力资源社会保障厅、省财政厅，各州、市人民政府",
        "年度目标：全省城镇职工基本养老保险参保人数达970万人，基本养老保险参保率稳定在95%以上。",
    };
    char text[512], path[512];
    FILE *f = typeset_input(text, sizeof text);
    for (int i = 0; i < 6; i++)                    /* a body of full lines before them */
        fprintf(f, "过去一年，我们坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，"
                   "着力推动高质量发展，经济运行总体平稳、稳中有进，社会大局保持稳定，各项事业取得新进展。\n");
    for (size_t i = 0; i < sizeof paras / sizeof paras[0]; i++)
        fprintf(f, "%s\n", paras[i]);
    fclose(f);
    typeset(text, "order.pdf", path, sizeof path);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_assert_not_null(d, "%s", err.msg);
    int whole = 0, heading = 0;
    for (size_t i = 0; i < d->npassages; i++) {
        const idx_passage *p = &d->passages[i];
        whole += strstr(p->text, "各州、市人民政府") != NULL ||             /* as text, or heading what follows */
                 (p->nsection && strstr(p->section[p->nsection - 1], "各州、市人民政府") && !strstr(p->text, "主办单位"));
        cr_expect(strcmp(p->text, "府") != 0 && strcmp(p->text, "业") != 0, "a last line is a passage of its own");
        cr_expect(!strstr(p->text, "强区。业") && !strstr(p->text, "创业。府"), "a last line went to the passage above: %s",
                  p->text);
        if (strstr(p->text, "北疆文化是一座"))
            heading = p->nsection > 0 && strstr(p->section[p->nsection - 1], "打造成支柱产业") != NULL;
    }
    cr_expect_geq(whole, 1, "人民政府 is cut");
    cr_expect(heading, "the wrapped heading lost its last line");
    idx_doc_free(d);
}

Test(formats, a_two_column_pdf_page_keeps_each_column_s_paragraphs_whole, .init = setup, .fini = teardown)
{
    /* #13: putting lines in drawn order must not interleave columns: on a page whose
     * lines stand side by side, each column is read whole as poppler reads it */
    static const char *const paras[] = {
        "柯桥区深入实施营商环境优化提升一号改革工程，企业开办、项目审批、要素保障、政务服务全面提速，经营主体活力持续增强。",
        "数字经济创新提质一号发展工程扎实推进，产业大脑、未来工厂、智能制造加快发展，数字经济核心产业增加值较快增长。",
        "地瓜经济提能升级一号开放工程成效明显，海外仓网络不断完善，纺织服装出口规模稳中有进，外贸新业态蓬勃发展。",
    };
    char text[512], path[512];
    FILE *f = typeset_input(text, sizeof text);
    for (int copy = 0; copy < 12; copy++)          /* over both columns of a page and on */
        fprintf(f, "%s\n", paras[copy % 3]);
    fclose(f);
    typeset_as("--columns", text, "columns.pdf", path, sizeof path);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_assert_not_null(d, "%s", err.msg);
    expect_sentences_end_passages(d);
    for (int k = 0; k < 3; k++) {
        size_t whole = occurrences(d, paras[k]);
        cr_expect_eq(whole, 4, "paragraph %d is whole %zu times of 4", k, whole);
    }
    idx_doc_free(d);
}

/* Adds word/styles.xml to the .docx at path. */
static void add_styles(const char *path, const char *styles)
{
    int ze;
    zip_t *z = zip_open(path, 0, &ze);
    cr_assert_not_null(z);
    zip_file_add(z, "word/styles.xml", zip_source_buffer(z, styles, strlen(styles), 0), ZIP_FL_OVERWRITE);
    cr_assert_eq(zip_close(z), 0);
}

Test(formats, a_word_file_s_default_font_size_comes_from_its_styles, .init = setup, .fini = teardown)
{
    /* text no run sizes is set in the default paragraph style's size: 14 pt makes
     * three pages of 30 two-line paragraphs (11 a page); Word's 10.5 pt default,
     * one grid line a line, two */
    static const char para[] = "<w:p><w:r><w:t>第%02d段推进营商环境优化提升行动，持续深化放管服改革，打造市场化法治化国际化"
                               "一流营商环境，让各类经营主体安心发展。</w:t></w:r></w:p>";
    char body[12000];
    size_t n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(body + n, sizeof body - n, para, i);
    snprintf(body + n, sizeof body - n, "<w:sectPr><w:docGrid w:type=\"lines\" w:linePitch=\"312\"/></w:sectPr>");
    char path[256];
    make_docx("unsized.docx", body, path, sizeof path);
    idx_err err = {0};
    idx_doc *d = load(path, 0, &err);
    cr_expect_eq(d->pages, 2, "10.5 pt: %d pages", d->pages);
    idx_doc_free(d);
    add_styles(path, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:styles xmlns:w=\"http://schemas.openxmlformats.org/"
                     "wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val=\"21\"/></w:rPr>"
                     "</w:rPrDefault></w:docDefaults><w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\">"
                     "<w:rPr><w:sz w:val=\"28\"/></w:rPr></w:style></w:styles>");
    d = load(path, 0, &err);
    cr_expect_eq(d->pages, 3, "14 pt from the Normal style: %d pages", d->pages);
    idx_doc_free(d);
}

Test(formats, a_word_paragraph_ending_in_a_comma_goes_on, .init = setup, .fini = teardown)
{
    /* #13: reports split one sentence over two Word paragraphs (…打造高水平对外开放
     * 新高地，/ 努力建设北方地区经济重要增长极…): a comma ends no paragraph */
    const char body[] = "<w:p><w:r><w:t>各位代表：</w:t></w:r></w:p>"
                        "<w:p><w:r><w:t>打造高水平对外开放新高地，</w:t></w:r></w:p>"
                        "<w:p><w:r><w:t>努力建设北方地区经济重要增长极。</w:t></w:r></w:p>"
                        "<w:p><w:r><w:t>一、2024年工作回顾</w:t></w:r></w:p>";
    idx_doc *d = docx_doc("comma.docx", body);
    int whole = 0;
    for (size_t i = 0; i < d->npassages; i++)
        whole |= strstr(d->passages[i].text, "新高地，努力建设北方地区") != NULL;
    cr_expect(whole, "the sentence is cut between its two paragraphs");
    idx_doc_free(d);
}

static const char policy_page[] =
    "<!DOCTYPE html><html><head><meta charset=\"%s\"><meta name=\"PubDate\" content=\"2024-03-15 10:30\">"
    "<title>关于优化营商环境的实施意见_省人民政府门户网站</title>"
    "<script>var x = \"脚本里的字\";</script><style>.a{color:red}</style></head><body>"
    "<div class=\"header\"><a href=\"/\">首页</a> <a href=\"/zc\">政策文件</a></div>"
    "<div class=\"nav\"><ul><li>政务公开</li><li>政务服务</li></ul></div>"
    "<div class=\"breadcrumb\">当前位置：首页 &gt; 政策文件</div>"
    "<div id=\"zoom\" class=\"article-content\"><h1>关于优化营商环境的实施意见</h1>"
    "<p>各市、县（市、区）人民政府：</p><h2>一、总体要求</h2>"
    "<p>  持续优化营商环境，\n   推动民营经济高质量发展。</p>"
    "<table><tr><th>指标</th><th>目标</th></tr><tr><td>企业开办时间</td><td>1个工作日</td></tr></table>"
    "<h2>二、主要任务</h2><p>深化“放管服”改革，推进“最多跑一次”。</p></div>"
    "<div class=\"footer\">版权所有：省人民政府办公厅</div></body></html>";

Test(formats, an_html_page_gives_its_main_text_headings_and_title, .init = setup, .fini = teardown)
{
    /* #13: HTML, the form most policy documents are published in, was not read */
    const char *charsets[] = {"utf-8", "gb2312"};
    for (int k = 0; k < 2; k++) {
        char html[4096], path[256];
        snprintf(html, sizeof html, policy_page, charsets[k]);
        snprintf(path, sizeof path, "%s/policy-%s.HTM", dir, charsets[k]);
        char cmd[1200];
        FILE *f = fopen(path, "wb");
        cr_assert_not_null(f);
        fputs(html, f);
        fclose(f);
        if (k == 1) {                             /* the same page in GB2312, as many government sites serve */
            snprintf(cmd, sizeof cmd, "iconv -f UTF-8 -t GB18030 '%s' > '%s.gb' && mv '%s.gb' '%s'", path, path, path, path);
            cr_assert_eq(system(cmd), 0);
        }
        idx_err err = {0};
        idx_doc *d = load(path, 0, &err);
        cr_expect_str_eq(d->title, "关于优化营商环境的实施意见", "%s", charsets[k]);
        cr_expect_str_eq(d->kind, "实施意见");
        cr_expect_str_eq(d->date ? d->date : "(none)", "2024-03-15", "the page's PubDate");
        cr_expect_str_eq(d->date_from ? d->date_from : "(none)", "page");
        cr_expect_eq(d->passages[0].page, 0);       /* no pages */
        int found = 0, nav = 0;
        for (size_t i = 0; i < d->npassages; i++) {
            const idx_passage *p = &d->passages[i];
            if (strcmp(p->text, "持续优化营商环境，推动民营经济高质量发展。") == 0) {
                found++;
                cr_expect_eq(p->nsection, 2);
                cr_expect_str_eq(p->section[1], "一、总体要求");
            }
            nav += strstr(p->text, "首页") || strstr(p->text, "版权所有") || strstr(p->text, "脚本") != NULL;
        }
        cr_expect_eq(found, 1, "%s: the paragraph as one passage under its heading", charsets[k]);
        cr_expect_eq(nav, 0, "%s: navigation, footer or script text indexed", charsets[k]);
        idx_doc_free(d);
    }
}
