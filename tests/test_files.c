/* test_files.c — which files `wensou index` takes from a folder and when it takes
 * them again (#13): extensions in any case, every file left out named with the
 * reason, a manifest with a BOM or in GB18030, and a file re-indexed exactly when
 * something that shapes it changes (its manifest row, the user dictionary), or
 * with --rebuild. */
#include "run.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *const english[] = {"LC_ALL=C.UTF-8", "LANGUAGE=", NULL};

static char dir[64], docs[96], db[96];

static void setup(void)
{
    strcpy(dir, "/tmp/wensou-files-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(docs, sizeof docs, "%s/docs", dir);
    snprintf(db, sizeof db, "%s/db", dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/sub' && cp '%s/2020-01-08-keqiao-government-work-report.txt' '%s/REPORT.TXT' && "
             "cp '%s/2025-jilin-government-work-report.docx' '%s/sub/Jilin.DOCX' && "
             "cp '%s/2023-keqiao-county-modernisation-model.txt' '%s/model.md' && "
             "echo x > '%s/old.doc' && echo x > '%s/scan.PNG' && echo x > '%s/.hidden'",
             docs, WENSOU_TEST_CORPUS, docs, WENSOU_TEST_REPORTS, docs, WENSOU_TEST_CORPUS, docs, docs, docs, docs);
    cr_assert_eq(system(cmd), 0);
}

static void teardown(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static run_result index_docs(char *const env[], const char *extra)
{
    return extra ? run_env_args(env, "", "index", "-q", extra, "-d", db, docs, (char *)NULL)
                 : run_env_args(env, "", "index", "-q", "-d", db, docs, (char *)NULL);
}

/* "A added, U updated, N unchanged" of a summary. */
static void counts(const run_result *r, unsigned long *added, unsigned long *updated, unsigned long *unchanged)
{
    cr_assert_eq(sscanf(r->out, "%lu added, %lu updated, %lu unchanged", added, updated, unchanged), 3, "%s", r->out);
}

/* A field of the first hit on the government work report (a meta column when
 * meta is set): what the index holds for it. */
static char *report_field(const char *field, int meta)
{
    run_result r = run_env_args(english, "", "search", "--json", "-n", "1", "-d", db, "营商环境", "doc:REPORT", (char *)NULL);
    json_t *j = json_loads(r.out, 0, NULL);
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    const char *t = json_string_value(json_object_get(meta ? json_object_get(hit, "meta") : hit, field));
    char *value = strdup(t ? t : "(none)");
    json_decref(j);
    run_free(&r);
    return value;
}


/* Writes the manifest docs/name and indexes docs. */
static void index_with_manifest(const char *name, const char *bytes, size_t len)
{
    char manifest[128];
    snprintf(manifest, sizeof manifest, "%s/%s", docs, name);
    test_write(manifest, bytes, len);
    run_result r = index_docs(english, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

/* The report's field (a meta column when meta is set) is want. */
static void expect_report_field(const char *field, int meta, const char *want)
{
    char *t = report_field(field, meta);
    cr_expect_str_eq(t, want, "%s", field);
    free(t);
}

Test(files, extensions_in_any_case_and_every_file_left_out_named, .init = setup, .fini = teardown)
{
    /* #13: REPORT.PDF and HUBEI.DOCX were skipped silently */
    run_result r = index_docs(english, NULL);
    cr_expect_eq(r.status, 0, "%s", r.err);
    unsigned long added, updated, unchanged;
    counts(&r, &added, &updated, &unchanged);
    cr_expect_eq(added, 3, "%s", r.out);
    cr_expect_not_null(strstr(r.out, "2 skipped"), "%s", r.out);
    cr_expect_not_null(strstr(r.err, "old.doc: skipped (old Word format: convert it to .docx)"), "%s", r.err);
    cr_expect_not_null(strstr(r.err, "scan.PNG: skipped (an image"), "%s", r.err);
    cr_expect_null(strstr(r.err, ".hidden"), "%s", r.err);
    run_free(&r);
}

Test(files, a_manifest_with_a_bom_or_in_gb18030_is_read_and_its_changes_reindex_that_file, .init = setup,
     .fini = teardown)
{
    /* #13: a manifest with a BOM was ignored, a GBK one failed; editing it did nothing */
    const char bom[] = "\xEF\xBB\xBF" "File\tTitle\tDate\tKind\turl\n"
                       "REPORT.TXT\t柯桥区二〇二〇年政府工作报告\t2020-01-08\t政府工作报告\thttp://example.org/r\n";
    index_with_manifest("manifest.tsv", bom, sizeof bom - 1);
    expect_report_field("title", 0, "柯桥区二〇二〇年政府工作报告");
    expect_report_field("url", 1, "http://example.org/r");     /* the manifest's other columns come with the hits */
    char manifest[128];
    snprintf(manifest, sizeof manifest, "%s/manifest.tsv", docs);
    /* the same row in GB18030, with another title: that file alone is indexed again */
    const char gbk[] = "file\ttitle\tdate\tkind\nREPORT.TXT\t\xb8\xfc\xd0\xc2\xb5\xc4\xb1\xea\xcc\xe2\t2020-01-08\t\n";
    test_write(manifest, gbk, sizeof gbk - 1);                  /* 更新的标题 */
    run_result r = index_docs(english, NULL);
    unsigned long added, updated, unchanged;
    counts(&r, &added, &updated, &unchanged);
    cr_expect_eq(updated, 1, "%s", r.out);
    cr_expect_eq(unchanged, 2, "%s", r.out);
    run_free(&r);
    expect_report_field("title", 0, "更新的标题");
    expect_report_field("url", 1, "(none)");                    /* gone with its column */
}

Test(files, a_csv_manifest_with_quoted_fields_is_read, .init = setup, .fini = teardown)
{
    /* #13: only TSV manifests were read. manifest.csv, CRLF lines, a quoted title
     * holding a comma and a doubled quote, an issuer column */
    const char csv[] = "\xEF\xBB\xBF" "file,title,date,kind,issuer\r\n"
                       "model.md,\"柯桥，奋力打造\"\"县域样板\"\"\",2023,新闻报道,柯桥日报\r\n"
                       "REPORT.TXT,\"二〇二〇年柯桥区政府工作报告, 全文\",2020-01-08,政府工作报告,\"绍兴市柯桥区人民政府\"\r\n";
    index_with_manifest("manifest.csv", csv, sizeof csv - 1);
    expect_report_field("title", 0, "二〇二〇年柯桥区政府工作报告, 全文");
    expect_report_field("issuer", 1, "绍兴市柯桥区人民政府");
    /* a manifest.tsv beside it wins */
    const char row[] = "file\ttitle\nREPORT.TXT\t表格里的标题\n";
    index_with_manifest("manifest.tsv", row, sizeof row - 1);
    expect_report_field("title", 0, "表格里的标题");
}

Test(files, the_user_dictionary_and_rebuild_reindex_every_file, .init = setup, .fini = teardown)
{
    /* #13: after editing dict/userdict.txt a re-index said "unchanged" */
    run_result r = index_docs(english, NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    char userdict[128], cmd[512], env_user[160];
    snprintf(userdict, sizeof userdict, "%s/userdict.txt", dir);
    snprintf(cmd, sizeof cmd, "cp '%s' '%s' && echo '县域样板 100 n' >> '%s'", WENSOU_TEST_USERDICT, userdict, userdict);
    cr_assert_eq(system(cmd), 0);
    snprintf(env_user, sizeof env_user, "WENSOU_USER_DICT=%s", userdict);
    char *const edited[] = {"LC_ALL=C.UTF-8", "LANGUAGE=", env_user, NULL};
    unsigned long added, updated, unchanged;
    r = index_docs(edited, NULL);
    counts(&r, &added, &updated, &unchanged);
    cr_expect_eq(updated, 3, "%s", r.out);
    run_free(&r);
    r = index_docs(edited, NULL);                                  /* nothing changed since */
    counts(&r, &added, &updated, &unchanged);
    cr_expect_eq(unchanged, 3, "%s", r.out);
    run_free(&r);
    r = index_docs(edited, "--rebuild");
    counts(&r, &added, &updated, &unchanged);
    cr_expect_eq(updated, 3, "%s", r.out);
    run_free(&r);
}

/* A file whose name is not UTF-8 (GBK bytes from an old archive) was indexed, but
 * no record could name it: searches counted its passages and listed none of them.
 * It is refused, named, with what to do; the other files go in. */
Test(files, a_file_name_that_is_not_utf8_is_refused_with_what_to_do, .init = setup, .fini = teardown)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "cp '%s/2020-01-08-keqiao-government-work-report.txt' '%s/%s'", WENSOU_TEST_CORPUS,
             docs, "\xb0\xd8\xbf\xc6.txt");
    cr_assert_eq(system(cmd), 0);
    run_result r = index_docs(english, NULL);
    unsigned long added, updated, unchanged;
    counts(&r, &added, &updated, &unchanged);
    cr_expect_eq(added, 3, "%s", r.out);
    cr_expect_not_null(strstr(r.out, "1 failed"), "%s", r.out);
    cr_expect_not_null(strstr(r.err, "name is not UTF-8"), "%s", r.err);
    run_free(&r);
    /* every passage counted is listed (partial matches may follow) */
    r = run_env_args(english, "", "search", "--json", "-n", "1000", "-d", db, "柯桥", (char *)NULL);
    json_t *j = json_loads(r.out, 0, NULL);
    cr_assert_not_null(j, "%s", r.out);
    size_t total = (size_t)json_integer_value(json_object_get(j, "total"));
    cr_expect_gt(total, 0);
    cr_expect_geq(json_array_size(json_object_get(j, "hits")), total);
    json_decref(j);
    run_free(&r);
}
