/* test_query.c — search as a user judges it, on an index of the real corpus:
 * substrings find every passage a literal search would, words found together
 * rank first, exclusions, OR, filters, traditional input, synonyms below exact
 * matches, highlights on the matched bytes, per-document limits, facets, and
 * clear errors for bad queries and missing indexes. */
#include "qry.h"
#include "run.h"
#include "xsh.h"

#include <criterion/criterion.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64], db[128];
static seg_dict *dict;
static qry_synonyms *syn;
static qry_engine *engine;

static void setup(void)
{
    strcpy(dir, "/tmp/wensou-query-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/db", dir);
    run_result r = run_args("", "index", "--quiet", "--db", db, WENSOU_TEST_CORPUS, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
    seg_err se;
    cr_assert_eq(seg_dict_open(WENSOU_TEST_DICT, WENSOU_TEST_USERDICT, &dict, &se), 0, "%s", se.msg);
    qry_err qe;
    cr_assert_eq(qry_synonyms_load(WENSOU_TEST_SYNONYMS, dict, &syn, &qe), 0, "%s", qe.msg);
    cr_assert_eq(qry_synonyms_add_related(syn, WENSOU_TEST_RELATED, dict, &qe), 0, "%s", qe.msg);
    cr_assert_eq(qry_engine_open(db, dict, syn, &engine, &qe), 0, "%s", qe.msg);
}

static void teardown(void)
{
    qry_engine_close(engine);
    qry_synonyms_free(syn);
    seg_dict_close(dict);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

/* qry_search's result as the JSON its one writer makes of it, read back. */
static int search_json(qry_engine *e, const qry_request *req, json_t **out, qry_err *err)
{
    qry_result *r = NULL;
    *out = NULL;
    int rc = qry_search(e, req, &r, err);
    if (!rc) {
        *out = qry_result_json(r);
        cr_assert_not_null(*out, "the writer's text of \"%s\" reads back as JSON", req->q);
    }
    qry_result_free(r);
    return rc;
}

static json_t *search(const char *q, size_t limit)
{
    qry_request req = {q, limit, 0, 0, 0};
    json_t *out;
    qry_err err;
    cr_assert_eq(search_json(engine, &req, &out, &err), 0, "%s: %s", q, err.msg);
    return out;
}

static size_t total(json_t *r) { return (size_t)json_integer_value(json_object_get(r, "total")); }
static json_t *hit(json_t *r, size_t i) { return json_array_get(json_object_get(r, "hits"), i); }
static const char *text_of(json_t *h) { return json_string_value(json_object_get(h, "text")); }

/* The innermost heading a hit stands under ("" for none): its words belong to
 * the passage (README, "search"). */
static const char *heading_of(json_t *h)
{
    json_t *sec = json_object_get(h, "section");
    return json_array_size(sec) ? json_string_value(json_array_get(sec, json_array_size(sec) - 1)) : "";
}

/* How many passages of the corpus hold s in their text, counted independently. */
static size_t passages_holding(const char *s)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "for f in '%s'/*.txt; do '%s' inspect \"$f\" | tail -n +2; done", WENSOU_TEST_CORPUS,
             WENSOU_TEST_BINARY);
    FILE *p = popen(cmd, "r");
    cr_assert_not_null(p);
    char *line = NULL;
    size_t cap = 0, n = 0;
    while (getline(&line, &cap, p) > 0) {
        json_t *o = json_loads(line, 0, NULL);
        const char *t = json_string_value(json_object_get(o, "text"));
        n += t && strstr(t, s) != NULL;
        json_decref(o);
    }
    free(line);
    pclose(p);
    return n;
}

Test(query, substrings_find_every_passage_a_literal_search_would, .init = setup, .fini = teardown, .timeout = 120)
{
    static const char *subs[] = {"纺城", "柯桥", "纺", "精功", "汛桥", "经济", "高质量发展"};
    for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
        size_t want = passages_holding(subs[i]);
        cr_assert_gt(want, 0);
        json_t *r = search(subs[i], 1000);
        /* every passage holding it (in its text, or the heading it stands under)
         * comes before any that does not */
        size_t n = json_array_size(json_object_get(r, "hits")), holding = 0;
        for (size_t k = 0; k < n; k++) {
            if (strstr(text_of(hit(r, k)), subs[i]) || strstr(heading_of(hit(r, k)), subs[i]))
                holding++;
            else
                break;
        }
        cr_expect_geq(holding, want, "%s: %zu of %zu literal passages first", subs[i], holding, want);
        json_decref(r);
    }
}

/* Every hit whose text (or heading) holds s ranks above every hit that does not,
 * and some hits do not (what follows: 'others'). */
static void expect_holders_first(json_t *r, const char *s, const char *others)
{
    int seen_other = 0;
    for (size_t k = 0; k < json_array_size(json_object_get(r, "hits")); k++) {
        if (!strstr(text_of(hit(r, k)), s) && !strstr(heading_of(hit(r, k)), s))
            seen_other = 1;
        else
            cr_expect(!seen_other, "a passage saying %s at rank %zu, below one that does not", s, k + 1);
    }
    cr_expect(seen_other, "%s should follow the passages saying %s", others, s);
}

Test(query, characters_found_together_rank_far_above_words_apart, .init = setup, .fini = teardown)
{
    json_t *r = search("经济发展", 200);
    expect_holders_first(r, "经济发展", "passages with 经济 … 发展 apart");
    json_decref(r);
}

Test(query, words_cut_by_wraps_and_footers_are_found, .init = setup, .fini = teardown)
{
    json_t *r = search("精功集团", 5);
    cr_assert_geq(total(r), 1);
    cr_expect_not_null(strstr(text_of(hit(r, 0)), "精功集团"));
    json_decref(r);
    r = search("\"高水平建设“平安柯桥”\"", 5);
    cr_assert_eq(total(r), 1);
    cr_expect_eq(json_integer_value(json_object_get(hit(r, 0), "page")), 20);
    cr_expect_eq(json_integer_value(json_object_get(hit(r, 0), "page_end")), 21);
    json_decref(r);
}

Test(query, exclusions_alternatives_and_filters, .init = setup, .fini = teardown)
{
    json_t *all = search("营商环境", 100), *minus = search("营商环境 -杭州", 100);
    cr_expect_lt(total(minus), total(all));
    for (size_t k = 0; k < json_array_size(json_object_get(minus, "hits")); k++)
        cr_expect_null(strstr(text_of(hit(minus, k)), "杭州"));
    json_decref(all);
    json_decref(minus);

    json_t *a = search("跨境电商", 100), *b = search("黄酒", 100), *either = search("跨境电商 OR 黄酒", 100);
    cr_expect_geq(total(either), total(a));
    cr_expect_geq(total(either), total(b));
    json_decref(a);
    json_decref(b);
    json_decref(either);

    json_t *r = search("营商环境 year:2021", 100);
    cr_assert_gt(total(r), 0);
    for (size_t k = 0; k < json_array_size(json_object_get(r, "hits")); k++)
        cr_expect_str_eq(json_string_value(json_object_get(hit(r, k), "date")), "2021-02");
    json_decref(r);
    r = search("柯桥 doc:2020-01 kind:政府工作报告", 100);
    cr_assert_gt(total(r), 0);
    for (size_t k = 0; k < json_array_size(json_object_get(r, "hits")); k++)
        cr_expect_not_null(strstr(json_string_value(json_object_get(hit(r, k), "file")), "2020-01-08"));
    json_decref(r);
    r = search("year:2019..2021 section:营商环境", 100);
    cr_assert_gt(total(r), 0);
    json_decref(r);
    r = search("柯桥 year:1999", 10);
    cr_expect_eq(total(r), 0);
    json_decref(r);
}

Test(query, traditional_and_full_width_queries_match, .init = setup, .fini = teardown)
{
    json_t *s = search("营商环境", 50), *t = search("營商環境", 50);
    cr_expect_eq(total(s), total(t));
    json_decref(s);
    json_decref(t);
    s = search("r&d", 50);
    t = search("Ｒ＆Ｄ", 50);
    cr_expect_eq(total(s), total(t));
    cr_expect_gt(total(s), 0);
    json_decref(s);
    json_decref(t);
}

Test(query, synonyms_rank_below_exact_matches, .init = setup, .fini = teardown)
{
    json_t *r = search("GDP", 50);
    cr_assert_gt(json_array_size(json_object_get(r, "hits")), 3);
    expect_holders_first(r, "GDP", "地区生产总值 passages (a synonym)");
    json_decref(r);
}

Test(query, highlights_are_the_matched_bytes, .init = setup, .fini = teardown)
{
    json_t *r = search("數字經濟 小微企业园", 20);
    for (size_t k = 0; k < json_array_size(json_object_get(r, "hits")); k++) {
        json_t *h = hit(r, k), *hl = json_object_get(h, "highlights");
        const char *t = text_of(h);
        if (strstr(t, "数字经济") || strstr(t, "小微企业园"))   /* not a match by its heading only */
            cr_assert_gt(json_array_size(hl), 0, "hit %zu has no highlights", k + 1);
        for (size_t i = 0; i < json_array_size(hl); i++) {
            size_t s = (size_t)json_integer_value(json_array_get(json_array_get(hl, i), 0));
            size_t e = (size_t)json_integer_value(json_array_get(json_array_get(hl, i), 1));
            cr_assert_leq(e, strlen(t));
            char got[64];
            snprintf(got, sizeof got, "%.*s", (int)(e - s), t + s);
            cr_expect(strcmp(got, "数字经济") == 0 || strcmp(got, "小微企业园") == 0 || strcmp(got, "数字") == 0
                      || strcmp(got, "经济") == 0 || strcmp(got, "小微企业") == 0, "highlight %s", got);
        }
    }
    json_decref(r);
}

Test(query, per_doc_limit_and_facets, .init = setup, .fini = teardown)
{
    qry_request req = {"柯桥", 50, 0, 1, 0};
    json_t *r;
    qry_err err;
    cr_assert_eq(search_json(engine, &req, &r, &err), 0, "%s", err.msg);
    json_t *hits = json_object_get(r, "hits");
    for (size_t i = 0; i < json_array_size(hits); i++)
        for (size_t k = i + 1; k < json_array_size(hits); k++)
            cr_expect_str_neq(json_string_value(json_object_get(json_array_get(hits, i), "file")),
                              json_string_value(json_object_get(json_array_get(hits, k), "file")), "two hits of one file");
    json_decref(r);
    r = search("柯桥", 10);
    json_t *docs = json_object_get(json_object_get(r, "facets"), "documents");
    size_t sum = 0;
    const char *key;
    json_t *v;
    json_object_foreach(docs, key, v)
        sum += (size_t)json_integer_value(v);
    cr_expect_eq(sum, total(r), "document facets add up to the total");
    cr_expect_eq(json_object_size(docs), 5);
    json_decref(r);
}

static size_t facet_sum(json_t *r, const char *name)
{
    size_t sum = 0;
    const char *key;
    json_t *v;
    json_object_foreach(json_object_get(json_object_get(r, "facets"), name), key, v)
        sum += (size_t)json_integer_value(v);
    return sum;
}

static int holds_word(json_t *h, const char *w)
{
    if (strstr(text_of(h), w))
        return 1;
    json_t *sec = json_object_get(h, "section");
    return json_array_size(sec) && strstr(json_string_value(json_array_get(sec, json_array_size(sec) - 1)), w);
}

/* No passage is shown twice in r. */
static void expect_distinct(json_t *r)
{
    size_t n = json_array_size(json_object_get(r, "hits"));
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < i; k++)
            cr_expect(!json_equal(json_object_get(hit(r, k), "start"), json_object_get(hit(r, i), "start")) ||
                      !json_equal(json_object_get(hit(r, k), "file"), json_object_get(hit(r, i), "file")),
                      "ranks %zu and %zu are one passage", k + 1, i + 1);
}

Test(query, total_counts_full_matches_and_partial_ones_fill_the_page, .init = setup, .fini = teardown)
{
    /* few passages say both words (印染 or its synonym 染整): they are the total,
     * and passages with one of them follow below them to fill the page */
    json_t *r = search("印染 集聚", 40);
    size_t t = total(r), n = json_array_size(json_object_get(r, "hits"));
    cr_assert_gt(t, 0);
    cr_assert_lt(t, 40);
    cr_expect_gt(n, t, "partial matches fill the page");
    for (size_t i = 0; i < n; i++) {
        int both = (holds_word(hit(r, i), "印染") || holds_word(hit(r, i), "染整")) && holds_word(hit(r, i), "集聚");
        if (i < t)
            cr_expect(both, "rank %zu of %zu full matches holds both words", i + 1, t);
        else                           /* a full match is never shown again below */
            cr_expect(!both, "rank %zu, a partial match, holds both words", i + 1);
    }
    expect_distinct(r);
    cr_expect_eq(facet_sum(r, "documents"), t, "facets count what the total counts");
    cr_expect_eq(facet_sum(r, "kinds"), t);
    cr_expect_eq(facet_sum(r, "years"), t);
    json_decref(r);

    /* a literal that is checked against the text (平安柯桥): the passages saying
     * it, then those with 平安 and 柯桥 apart, none of them twice */
    r = search("平安柯桥", 40);
    t = total(r);
    n = json_array_size(json_object_get(r, "hits"));
    cr_assert_gt(t, 0);
    cr_expect_gt(n, t);
    for (size_t i = 0; i < n; i++) {
        json_t *sec = json_object_get(hit(r, i), "section");
        const char *head = json_array_size(sec) ? json_string_value(json_array_get(sec, json_array_size(sec) - 1)) : "";
        int says = strstr(text_of(hit(r, i)), "平安柯桥") || strstr(head, "平安柯桥");
        cr_expect(i < t ? says : !says, "rank %zu (total %zu)", i + 1, t);
    }
    expect_distinct(r);
    json_decref(r);

    /* nothing says both: the total counts the passages holding every word (none),
     * and the page still shows the best partial matches, never "no result" */
    json_t *one = search("柯桥", 5), *none = search("柯桥 qqzzxx", 5);
    cr_expect_gt(total(one), 0);
    cr_expect_eq(total(none), 0);
    cr_expect_eq(json_array_size(json_object_get(none, "hits")), 5);
    cr_expect_eq(facet_sum(none, "documents"), total(none));
    json_decref(one);
    json_decref(none);
}

Test(query, result_text_is_what_jansson_would_write, .init = setup, .fini = teardown)
{
    /* the last: quotes, a backslash and control characters, echoed in "query" */
    static const char *qs[] = {"营商环境", "柯桥 year:2021", "研发 经费", "不存在的词语", "柯桥 \"纺\\城\t\x01\x1f/"};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        qry_request req = {qs[i], 7, 0, 0, 0};
        qry_result *r = NULL;
        qry_err err;
        cr_assert_eq(qry_search(engine, &req, &r, &err), 0, "%s", err.msg);
        size_t len = 0;
        char *mine = qry_result_text(r, &len);
        cr_assert_not_null(mine);
        cr_expect_eq(len, strlen(mine));
        /* valid JSON, written as jansson writes that value: NDJSON, HTTP and the
         * CLI carry this text, and a client re-dumping it gets it byte for byte */
        json_t *j = json_loads(mine, 0, NULL);
        cr_assert_not_null(j, "query %s: %s", qs[i], mine);
        char *theirs = json_dumps(j, JSON_COMPACT | JSON_REAL_PRECISION(6));
        cr_expect_str_eq(mine, theirs, "query %s", qs[i]);
        cr_expect_str_eq(json_string_value(json_object_get(j, "query")), qs[i]);
        /* the typed hits are the text's, field for field */
        json_t *hits = json_object_get(j, "hits");
        cr_assert_eq(json_array_size(hits), r->nhits);
        for (size_t k = 0; k < r->nhits; k++) {
            json_t *h = json_array_get(hits, k);
            cr_expect_eq(json_integer_value(json_object_get(h, "rank")), (json_int_t)k + 1);
            cr_expect_str_eq(json_string_value(json_object_get(h, "text")),
                             json_string_value(json_object_get(r->hits[k].record, "text")));
            cr_expect_eq(json_array_size(json_object_get(h, "highlights")), r->hits[k].nhighlights);
            cr_expect_str_eq(json_string_value(json_object_get(json_object_get(h, "match"), "type")), r->hits[k].match.type);
        }
        free(theirs);
        free(mine);
        json_decref(j);
        qry_result_free(r);
    }
}

/* A literal of more bigrams than the query looks up (QRY_LITERAL_PARTS) is
 * found by its rarest ones and checked against the text: a passage that holds
 * every bigram apart is not a match, and every passage saying it is. */
Test(query, a_long_literal_matches_the_passages_saying_it_and_no_other, .init = setup, .fini = teardown)
{
    /* each bigram of it is in the report's opening passage (代表区人民政府 …
     * 区政协委员和其他列席人员), the whole nowhere */
    const char *apart = "代表区人民政协委员和其他";
    cr_assert_eq(passages_holding(apart), 0);
    json_t *r = search("\"代表区人民政协委员和其他\"", 50);
    cr_expect_eq(total(r), 0, "a passage holding its bigrams apart was counted");
    cr_expect_eq(json_array_size(json_object_get(r, "hits")), 0);
    json_decref(r);
    const char *said = "常住居民人均可支配收入";     /* 10 bigrams, in 5 passages' text */
    size_t want = passages_holding(said);
    cr_assert_gt(want, 1);
    r = search("\"常住居民人均可支配收入\"", 50);
    size_t n = json_array_size(json_object_get(r, "hits"));
    cr_expect_geq(n, want, "%zu passages say it, %zu hits", want, n);   /* and those under a heading saying it */
    cr_expect_eq(total(r), n);
    for (size_t k = 0; k < json_array_size(json_object_get(r, "hits")); k++)
        cr_expect(strstr(text_of(hit(r, k)), said) || strstr(heading_of(hit(r, k)), said), "hit %zu does not say it",
                  k + 1);
    json_decref(r);
}

/* A quoted phrase alone has no partial matches: its characters scattered over a
 * passage are not it, so only passages that say it come back. */
Test(query, a_quoted_phrase_alone_gets_only_passages_that_say_it, .init = setup, .fini = teardown)
{
    /* 产业 … 业发 … 发展 are in many more passages than 产业发展 */
    json_t *r = search("\"产业发展\"", 50);
    size_t n = json_array_size(json_object_get(r, "hits"));
    cr_expect_gt(n, 0);
    for (size_t k = 0; k < n; k++) {
        json_t *sec = json_object_get(hit(r, k), "section");
        const char *head = json_array_size(sec) ? json_string_value(json_array_get(sec, json_array_size(sec) - 1)) : "";
        cr_expect(strstr(text_of(hit(r, k)), "产业发展") || strstr(head, "产业发展"), "hit %zu does not say it", k + 1);
    }
    json_decref(r);
}

/* INTERFACE.md, "The index on disk": a passage's document data is its record,
 * with every field a hit shows but rank, score and highlights. */
Test(query, document_data_is_the_hit_record, .init = setup, .fini = teardown)
{
    json_t *r = search("营商环境", 3), *h = hit(r, 0);
    cr_assert_not_null(h);
    static const char *fields[] = {"rank", "score", "file", "title", "date", "kind", "section", "page",
                                   "page_end", "page_source", "start", "end", "text", "highlights"};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++)
        cr_expect_not_null(json_object_get(h, fields[i]), "a hit without %s", fields[i]);
    xsh_db *x;
    xsh_err xe;
    cr_assert_eq(xsh_db_open(db, XSH_READ, &x, &xe), 0, "%s", xe.msg);
    size_t docs = 0;
    cr_assert_eq(xsh_db_doc_count(x, &docs, &xe), 0);
    int found = 0;
    for (unsigned id = 1; id <= docs + 100 && !found; id++) {
        char *data;
        size_t len;
        if (xsh_db_get_data(x, id, &data, &len, &xe) != 0)
            continue;
        json_t *rec = json_loadb(data, len, 0, NULL);
        free(data);
        cr_assert(json_is_object(rec), "docid %u: data is not a JSON object", id);
        if (json_equal(json_object_get(rec, "file"), json_object_get(h, "file")) &&
            json_equal(json_object_get(rec, "start"), json_object_get(h, "start"))) {
            found = 1;
            const char *key;
            json_t *v;
            json_object_foreach(h, key, v) {
                if (strcmp(key, "rank") && strcmp(key, "score") && strcmp(key, "highlights") && strcmp(key, "match")
                    && strcmp(key, "highlights_chars") && strcmp(key, "doc_id"))
                    cr_expect(json_equal(json_object_get(rec, key), v), "field %s differs", key);
            }
            cr_expect_eq(json_object_size(rec), json_object_size(h) - 6,
                         "a hit is the record, rank, score, highlights (bytes and characters), doc_id, match");
        }
        json_decref(rec);
    }
    cr_expect(found, "no document holds the first hit's record");
    xsh_db_close(x);
    json_decref(r);
}

Test(query, pages_continue_across_offset, .init = setup, .fini = teardown)
{
    json_t *all = search("经济发展", 30);
    qry_request req = {"经济发展", 10, 10, 0, 0};
    json_t *page2;
    qry_err err;
    cr_assert_eq(search_json(engine, &req, &page2, &err), 0);
    for (size_t k = 0; k < 10; k++)
        cr_expect_eq(json_integer_value(json_object_get(hit(all, 10 + k), "start")),
                     json_integer_value(json_object_get(hit(page2, k), "start")), "rank %zu", 11 + k);
    json_decref(all);
    json_decref(page2);
}

Test(query, bad_queries_and_missing_indexes_are_clear_errors, .init = setup, .fini = teardown)
{
    static const char *bad[] = {"", "   ", "-营商环境", "OR", "\"\"", "，。"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        qry_request req = {bad[i], 10, 0, 0, 0};
        json_t *r = NULL;
        qry_err err = {0};
        cr_expect_eq(search_json(engine, &req, &r, &err), QRY_EQUERY, "query \"%s\"", bad[i]);
        cr_expect_null(r);
        cr_expect_gt(strlen(err.msg), 10);
    }
    /* an unclosed quote is read as plain words */
    json_t *r = search("\"营商环境", 5);
    cr_expect_gt(total(r), 0);
    json_decref(r);
    qry_request huge = {"柯桥", 100000, 0, 0, 0};
    qry_err err;
    cr_expect_eq(search_json(engine, &huge, &r, &err), QRY_EINVAL);

    qry_engine *e;
    char missing[160];
    snprintf(missing, sizeof missing, "%s/none", dir);
    cr_assert_eq(qry_engine_open(missing, dict, syn, &e, &err), 0, "a missing index opens lazily");
    qry_request req = {"柯桥", 5, 0, 0, 0};
    cr_expect_eq(search_json(e, &req, &r, &err), QRY_ENOINDEX);
    cr_expect(strstr(err.msg, missing) != NULL, "%s", err.msg);
    qry_engine_close(e);
}

/* ---- what people type (issue 18): questions, unspaced topics, documents by
 * name, pasted quotations, and how each hit matched ---- */

/* The hit's file name holds part. */
static int from(json_t *h, const char *part)
{
    const char *f = json_string_value(json_object_get(h, "file"));
    return f && strstr(f, part) != NULL;
}

static const char *match_type(json_t *h)
{
    return json_string_value(json_object_get(json_object_get(h, "match"), "type"));
}

Test(query, a_question_is_answered_without_requiring_its_question_words, .init = setup, .fini = teardown)
{
    json_t *r = search("如何减轻企业负担", 10);
    size_t n = json_array_size(json_object_get(r, "hits"));
    cr_expect_eq(n, 10, "a question gets a page of best matches, not 0 results");
    for (size_t i = 0; i < n; i++) {
        const char *t = match_type(hit(r, i));
        cr_expect(t && (strcmp(t, "partial") == 0 || strcmp(t, "all_words") == 0), "rank %zu: %s", i + 1, t);
        json_t *missing = json_object_get(json_object_get(hit(r, i), "match"), "missing"), *w;
        size_t k;
        json_array_foreach(missing, k, w)
            cr_expect(strcmp(json_string_value(w), "如何") != 0, "如何 counted as a word to hold");
    }
    json_decref(r);
    /* 各省 is a scope, not a word: the same passages as 低空经济 alone */
    json_t *a = search("各省 低空经济", 5), *b = search("低空经济", 5);
    cr_expect_gt(total(b), 0);
    cr_expect_eq(total(a), total(b));
    json_decref(a);
    json_decref(b);
}

Test(query, an_unspaced_topic_with_a_place_ranks_that_place_s_report_first, .init = setup, .fini = teardown)
{
    json_t *r = search("河南乡村振兴重点任务", 10);
    for (size_t i = 0; i < 5; i++)
        cr_expect(from(hit(r, i), "henan"), "rank %zu is not Henan's report", i + 1);
    json_decref(r);
    r = search("黑龙江粮食总产量是多少", 5);
    cr_expect(from(hit(r, 0), "heilongjiang"));
    cr_expect_not_null(strstr(text_of(hit(r, 0)), "粮食"), "%s", text_of(hit(r, 0)));
    json_decref(r);
}

Test(query, a_query_naming_a_document_ranks_its_passages_first, .init = setup, .fini = teardown)
{
    json_t *r = search("广东省政府工作报告 就业", 10);
    for (size_t i = 0; i < 3; i++) {
        cr_expect(from(hit(r, i), "guangdong"), "rank %zu is not Guangdong's report", i + 1);
        cr_expect_not_null(strstr(text_of(hit(r, i)), "就业"), "rank %zu lacks 就业", i + 1);
    }
    json_decref(r);
    /* a title alone: the document as an outline, its preface and each chapter's
     * opening before the sections inside them, each level in document order */
    r = search("2020年柯桥区政府工作报告", 10);
    json_int_t last = -1;
    size_t level = 0, chapters = 0;
    for (size_t i = 0; i < 10; i++) {
        cr_expect(from(hit(r, i), "keqiao-government-work-report"), "rank %zu", i + 1);
        cr_expect_str_eq(match_type(hit(r, i)), "document");
        size_t depth = json_array_size(json_object_get(hit(r, i), "section"));
        json_int_t start = json_integer_value(json_object_get(hit(r, i), "start"));
        cr_expect_geq(depth, level, "a deeper passage before a shallower one at rank %zu", i + 1);
        if (depth == level)
            cr_expect_gt(start, last, "a level not in document order at rank %zu", i + 1);
        level = depth;
        last = start;
        chapters += depth == 1;
    }
    cr_expect_geq(chapters, 3, "the chapters' openings come before their sections");
    json_decref(r);
    /* its words all in one title, one of them its region (柯桥, and 十四五 as the
     * title's 第十四个五年规划): that document first */
    r = search("柯桥十四五规划", 5);
    for (size_t i = 0; i < 5; i++)
        cr_expect(from(hit(r, i), "five-year-plan"), "rank %zu: %s", i + 1, text_of(hit(r, i)));
    json_decref(r);
    r = search("广东政府工作报告", 3);
    for (size_t i = 0; i < 3; i++)
        cr_expect(from(hit(r, i), "guangdong"), "rank %zu", i + 1);
    json_decref(r);
    r = search("创新发展", 5);                   /* words of a title, but no region: a topic */
    for (size_t i = 0; i < 5; i++)
        cr_expect_not_null(strstr(text_of(hit(r, i)), "创新发展"), "rank %zu: %s", i + 1, text_of(hit(r, i)));
    json_decref(r);
    r = search("创新筑基", 3);                   /* the headline's first phrase */
    cr_expect(from(hit(r, 0), "business-environment"));
    json_decref(r);
    /* a region alone is a keyword: the passages that say it */
    r = search("内蒙古", 5);
    for (size_t i = 0; i < 5; i++)
        cr_expect_not_null(strstr(text_of(hit(r, i)), "内蒙古"), "rank %zu: %s", i + 1, text_of(hit(r, i)));
    json_decref(r);
}

/* The index of folder docs at db (made now), opened. */
static qry_engine *index_and_open(const char *docs, const char *at)
{
    run_result ran = run_args("", "index", "--quiet", "--db", at, docs, (char *)NULL);
    cr_assert_eq(ran.status, 0, "%s", ran.err);
    run_free(&ran);
    qry_engine *e;
    qry_err qe;
    cr_assert_eq(qry_engine_open(at, dict, syn, &e, &qe), 0, "%s", qe.msg);
    return e;
}

/* A keyword the segmenter reads as a word ranks the passages holding it by how
 * often they say it, not by its bigrams said anywhere: the passage that says
 * 高质量发展 twice comes before one that says it once among many other 质量 and 发展
 * (which the bigrams' sum, 7.2 against 6.7 here, put first). */
Test(query, a_keyword_said_twice_outranks_its_bigrams_said_elsewhere, .init = setup, .fini = teardown)
{
    static const char *const texts[][2] = {
        {"twice.txt", "坚持高质量发展，推动高质量发展取得新的成效。\n"},
        {"elsewhere.txt", "推进高质量发展。提升产品质量，狠抓工程质量，保障服务质量，严守食品质量，提高教育质量，"
                          "优化环境质量。发展工业，发展农业，发展商贸，发展文旅，发展教育，发展卫生，发展体育，"
                          "发展养老。高质高效，高质优价，高质服务。\n"},
        {"a.txt", "柯桥区全面推进教育医疗养老服务，办好民生实事。\n"},
        {"b.txt", "柯桥区加快建设现代化国际化纺织之都。\n"},
        {"c.txt", "柯桥区深化改革扩大开放，优化营商环境。\n"},
    };
    char docs[160], wdb[160], path[256];
    snprintf(docs, sizeof docs, "%s/worded", dir);
    snprintf(wdb, sizeof wdb, "%s/worded.db", dir);
    cr_assert_eq(mkdir(docs, 0755), 0);
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", docs, texts[i][0]);
        test_write(path, texts[i][1], strlen(texts[i][1]));
    }
    qry_engine *worded = index_and_open(docs, wdb);
    qry_err qe;
    qry_request req = {"高质量发展", 10, 0, 0, 0};
    json_t *r;
    cr_assert_eq(search_json(worded, &req, &r, &qe), 0, "%s", qe.msg);
    cr_assert_eq(json_array_size(json_object_get(r, "hits")), 2);
    cr_expect_not_null(strstr(json_string_value(json_object_get(hit(r, 0), "file")), "twice.txt"), "first: %s",
                       json_string_value(json_object_get(hit(r, 0), "file")));
    json_decref(r);
    qry_engine_close(worded);
}

/* A report indexed twice under one title (a reprint, a copy): the title names both. */
Test(query, a_title_two_files_share_names_both, .init = setup, .fini = teardown)
{
    char docs[160], cmd[2048], twodb[160];
    snprintf(docs, sizeof docs, "%s/twice", dir);
    snprintf(twodb, sizeof twodb, "%s/twice.db", dir);
    snprintf(cmd, sizeof cmd,
             "mkdir -p %s && cp %s/*.txt %s/ && cp %s/2020-01-08-keqiao-government-work-report.txt %s/reprint.txt && "
             "cp %s/manifest.tsv %s/ && printf 'reprint.txt\t2020年柯桥区政府工作报告\t2020-01-08\t政府工作报告\n' >> %s/manifest.tsv",
             docs, WENSOU_TEST_CORPUS, docs, WENSOU_TEST_CORPUS, docs, WENSOU_TEST_CORPUS, docs, docs);
    cr_assert_eq(system(cmd), 0);
    qry_engine *twice = index_and_open(docs, twodb);
    qry_err qe;
    qry_request req = {"2020年柯桥区政府工作报告 就业", 20, 0, 0, 0};
    json_t *r;
    cr_assert_eq(search_json(twice, &req, &r, &qe), 0, "%s", qe.msg);
    size_t original = 0, reprint = 0;
    for (size_t i = 0; i < json_array_size(json_object_get(r, "hits")); i++) {
        cr_expect(from(hit(r, i), "keqiao-government-work-report") || from(hit(r, i), "reprint"),
                  "rank %zu is from neither file of the title: %s", i + 1, text_of(hit(r, i)));
        original += from(hit(r, i), "keqiao-government-work-report");
        reprint += from(hit(r, i), "reprint");
    }
    cr_expect_gt(original, 0, "the report itself is named");
    cr_expect_gt(reprint, 0, "its reprint is named as well");
    json_decref(r);
    qry_engine_close(twice);
}

/* A title hundreds of files share (a notice filed once per county, copies):
 * naming them all is no query past the term limit (issue 15: it was refused). */
Test(query, a_title_hundreds_of_files_share_is_named_not_refused, .init = setup, .fini = teardown)
{
    enum { NAMED = 800, OTHERS = 2600 };   /* naming stays under a quarter of the files */
    char docs[160], path[256], manydb[160];
    snprintf(docs, sizeof docs, "%s/many", dir);
    snprintf(manydb, sizeof manydb, "%s/many.db", dir);
    cr_assert_eq(mkdir(docs, 0755), 0);
    snprintf(path, sizeof path, "%s/manifest.tsv", docs);
    FILE *manifest = fopen(path, "w");
    cr_assert_not_null(manifest);
    fprintf(manifest, "file\ttitle\tdate\tkind\n");
    for (int i = 0; i < NAMED + OTHERS; i++) {
        char text[160];
        snprintf(path, sizeof path, "%s/f%04d.txt", docs, i);
        if (i < NAMED) {
            snprintf(text, sizeof text, "第%d县推进创新筑基行动，加快建设科创平台。\n", i);
            fprintf(manifest, "f%04d.txt\t创新筑基行动方案\t2024-01-01\t政策文件\n", i);
        } else {
            snprintf(text, sizeof text, "第%d份报告谈到营商环境。\n", i);
            fprintf(manifest, "f%04d.txt\t营商环境报告之%d\t2024-02-01\t政策文件\n", i, i);
        }
        test_write(path, text, strlen(text));
    }
    fclose(manifest);
    qry_engine *many = index_and_open(docs, manydb);
    qry_err qe;
    qry_request req = {"创新筑基行动方案", 10, 0, 0, 0};
    json_t *r;
    cr_assert_eq(search_json(many, &req, &r, &qe), 0, "%s", qe.msg);
    cr_expect_eq(total(r), NAMED);
    cr_expect_eq(json_array_size(json_object_get(r, "hits")), 10);
    for (size_t i = 0; i < json_array_size(json_object_get(r, "hits")); i++)
        cr_expect_not_null(strstr(text_of(hit(r, i)), "创新筑基"), "rank %zu: %s", i + 1, text_of(hit(r, i)));
    json_decref(r);
    qry_engine_close(many);
}

/* The search's JSON without its time, for comparing two engines' answers. */
static char *answer_of(qry_engine *e, const char *q, size_t limit, size_t per_doc)
{
    qry_request req = {q, limit, 0, per_doc, 0};
    json_t *out;
    qry_err err;
    cr_assert_eq(search_json(e, &req, &out, &err), 0, "%s: %s", q, err.msg);
    json_object_del(out, "took_ms");
    char *s = json_dumps(out, JSON_SORT_KEYS);
    json_decref(out);
    return s;
}

/* The benchmark's queries, bench/queries.txt's then bench/queries-natural.txt's, a
 * line each (*n of them, at least 80); free each and the array. */
static char **bench_queries(size_t *n)
{
    const char *lists[] = {WENSOU_TEST_CORPUS "/../bench/queries.txt", WENSOU_TEST_CORPUS "/../bench/queries-natural.txt"};
    char **qs = NULL;
    *n = 0;
    for (size_t l = 0; l < 2; l++) {
        FILE *f = fopen(lists[l], "r");
        cr_assert_not_null(f, "%s", lists[l]);
        char line[4096];
        while (fgets(line, sizeof line, f)) {
            line[strcspn(line, "\n")] = 0;
            if (!line[0])
                continue;
            qs = realloc(qs, (*n + 1) * sizeof *qs);
            cr_assert_not_null(qs);
            qs[*n] = strdup(line);
            cr_assert_not_null(qs[*n]);
            (*n)++;
        }
        fclose(f);
    }
    cr_assert_geq(*n, 80, "the benchmark's lists hold %zu queries", *n);
    return qs;
}

/* Whether q is Han characters alone, ORed or not (的, 的 OR 了). */
static int characters_only(const char *q)
{
    for (const char *c = q; *c;) {
        if (!strncmp(c, " OR ", 4))
            c += 4;
        else if (*c == ' ')
            c++;
        else if ((unsigned char)*c >= 0xE4 && (unsigned char)*c <= 0xE9 && c[1] && c[2] && (c[3] == ' ' || !c[3]))
            c += 3;
        else
            return 0;
    }
    return 1;
}

/* How many passages (per_doc: at most that many a file) a small index finds for
 * q: its count, or its listing's length when grouped per file. */
static size_t counted_on_small_index(const char *q, size_t per_doc)
{
    char *limit = getenv("WENSOU_EXACT_LIMIT") ? strdup(getenv("WENSOU_EXACT_LIMIT")) : NULL;
    unsetenv("WENSOU_EXACT_LIMIT");
    qry_request req = {q, per_doc ? 1000 : 10, 0, per_doc, 0};
    json_t *r;
    qry_err qe;
    cr_assert_eq(search_json(engine, &req, &r, &qe), 0, "%s", qe.msg);
    size_t n = per_doc ? json_array_size(json_object_get(r, "hits")) : total(r);
    cr_assert(per_doc ? n < 1000 : json_is_false(json_object_get(r, "total_is_estimate")), "%s: not all counted", q);
    json_decref(r);
    if (limit)
        setenv("WENSOU_EXACT_LIMIT", limit, 1);
    free(limit);
    return n;
}

/* The answer without its count (total, total_is_estimate, facets), for comparing
 * a character's: a serving engine counts its list, exactly, where the wildcard's
 * count is an estimate. */
static char *uncounted(const char *answer)
{
    json_t *j = json_loads(answer, 0, NULL);
    cr_assert_not_null(j);
    json_object_del(j, "total");
    json_object_del(j, "total_is_estimate");
    json_object_del(j, "facets");
    char *s = json_dumps(j, JSON_SORT_KEYS);
    json_decref(j);
    return s;
}

/* A serving engine keeps the commonest posting lists in memory (issue 15); what it
 * finds, in what order, with what scores, highlights and counts, is what Xapian's
 * own lists give, on a small index and on one counted as large (characters alone
 * that the wildcard counts by an estimate: the same but for their count, which is
 * exact, and the facets scaled to it): for the queries below and every query of
 * the benchmark's lists. */
Test(query, posting_lists_from_memory_answer_as_the_index_s_own, .init = setup, .fini = teardown, .timeout = 300)
{
    static const char *const listed[] = {
        "柯桥", "营商环境", "数字经济", "高质量发展", "的", "经济发展", "GDP 黑龙江", "R&D 经费", "\"R&D\"",
        "跨境电商 OR 黄酒", "营商环境 -杭州", "柯桥 year:2021", "\"数字经济五年倍增计划\"", "2020年柯桥区政府工作报告",
        "广东省政府工作报告 就业", "如何减轻企业负担", "各省 低空经济", "两重 含义", "柯桥印染产业转型升级",
        "region:广东 就业", "柯桥十四五规划", "黑龙江粮食总产量是多少", "纺城", "发展",
        "发 经济", "的 OR 了",               /* characters beside a word, or ORed */
        "火星基地 柯桥", "火星基地",          /* a word no passage holds, with one they hold and alone */
    };
    const size_t nlisted = sizeof listed / sizeof listed[0];
    size_t nbench;
    char **bench = bench_queries(&nbench);
    /* most of the corpus's terms dense (the rest Xapian's lists), then every one, as
     * a serving engine has them by default (WENSOU_DENSE_POSTINGS=1) */
    static const char *const dense_from[] = {"5", "1"};
    for (size_t m = 0; m < 2; m++) {
        setenv("WENSOU_DENSE_POSTINGS", dense_from[m], 1);
        qry_engine *serving;
        qry_err qe;
        cr_assert_eq(qry_engine_open(db, dict, syn, &serving, &qe), 0, "%s", qe.msg);
        unsetenv("WENSOU_DENSE_POSTINGS");
        qry_engine_serving(serving);
        for (int large = 0; large < 2; large++) {
            if (large)
                setenv("WENSOU_EXACT_LIMIT", "0", 1);
            for (size_t i = 0; i < nlisted + nbench; i++) {
                const char *q = i < nlisted ? listed[i] : bench[i - nlisted];
                for (size_t per_doc = 0; per_doc < 3; per_doc += 2) {
                    char *own = answer_of(engine, q, 10, per_doc), *kept = answer_of(serving, q, 10, per_doc);
                    /* characters alone, which the wildcard's count estimates: a count of
                     * their lists, exact alone */
                    if (characters_only(q) && strstr(own, "\"total_is_estimate\": true")) {
                        json_t *answer = json_loads(kept, 0, NULL);
                        cr_assert_not_null(answer);
                        cr_expect(json_is_true(json_object_get(answer, "total_is_estimate")) ||
                                      total(answer) == counted_on_small_index(q, per_doc),
                                  "%s (per_doc %zu): %zu counted", q, per_doc, total(answer));
                        if (!strchr(q, ' '))       /* alone: its list's length */
                            cr_expect(json_is_false(json_object_get(answer, "total_is_estimate")), "%s: an estimate",
                                      q);
                        json_decref(answer);
                        char *o = uncounted(own), *k = uncounted(kept);
                        free(own);
                        free(kept);
                        own = o;
                        kept = k;
                    }
                    cr_expect_str_eq(kept, own, "%s (per_doc %zu, %s index, dense from %s postings)", q, per_doc,
                                     large ? "large" : "small", dense_from[m]);
                    free(own);
                    free(kept);
                }
            }
        }
        unsetenv("WENSOU_EXACT_LIMIT");
        qry_engine_close(serving);
    }
    for (size_t i = 0; i < nbench; i++)
        free(bench[i]);
    free(bench);
}

/* A commit after the lists were read: the next search reads them again. */
Test(query, posting_lists_from_memory_follow_a_commit, .init = setup, .fini = teardown)
{
    setenv("WENSOU_DENSE_POSTINGS", "5", 1);
    qry_engine *serving;
    qry_err qe;
    cr_assert_eq(qry_engine_open(db, dict, syn, &serving, &qe), 0, "%s", qe.msg);
    unsetenv("WENSOU_DENSE_POSTINGS");
    qry_engine_serving(serving);
    qry_request req = {"柯桥", 10, 0, 0, 0};
    json_t *r;
    cr_assert_eq(search_json(serving, &req, &r, &qe), 0, "%s", qe.msg);
    size_t before = total(r);
    json_decref(r);
    char extra[160];
    snprintf(extra, sizeof extra, "%s/extra.txt", dir);
    static const char text[] = "柯桥新添一段关于纺城的话。\n";
    test_write(extra, text, sizeof text - 1);
    run_result ran = run_args("", "index", "--quiet", "--db", db, extra, (char *)NULL);
    cr_assert_eq(ran.status, 0, "%s", ran.err);
    run_free(&ran);
    cr_assert_eq(qry_engine_reopen(serving, &qe), 0, "%s", qe.msg);
    cr_assert_eq(search_json(serving, &req, &r, &qe), 0, "%s", qe.msg);
    cr_expect_eq(total(r), before + 1, "the new passage is counted (%zu before)", before);
    json_decref(r);
    qry_engine_close(serving);
}

Test(query, a_pasted_quotation_finds_its_source_first, .init = setup, .fini = teardown)
{
    /* two sentences of Sichuan's report, as a news story quotes them: a clause
     * dropped, a comma for a full stop, 以及 for 、 */
    json_t *r = search("我们有国家战略腹地建设、新时代西部大开发以及成渝地区双城经济圈建设等机遇叠加，"
                       "有国家重大政策加力提效,也有独特的科教资源、产业基础和市场空间。只要做足充分准备，"
                       "坚定信心，抓紧抓早、拼搏实干，一定能够战胜困难挑战", 5);
    cr_assert_gt(json_array_size(json_object_get(r, "hits")), 0);
    cr_expect(from(hit(r, 0), "sichuan"));
    cr_expect_not_null(strstr(text_of(hit(r, 0)), "完成全年发展目标面临诸多挑战"), "%s", text_of(hit(r, 0)));
    json_t *hl = json_object_get(hit(r, 0), "highlights");
    size_t marked = 0, k;
    json_t *span;
    json_array_foreach(hl, k, span)
        marked += (size_t)(json_integer_value(json_array_get(span, 1)) - json_integer_value(json_array_get(span, 0)));
    cr_expect_gt(marked, strlen(text_of(hit(r, 0))) / 3, "the quoted stretches are marked (%zu bytes)", marked);
    json_decref(r);
    /* a report's retelling, found by its rarest words (rank.h quotation_words):
     * 20％以上 as 两成以上, 3个“三年行动” as 三个三年行动, clauses left out */
    static const char *const retold[][3] = {
        {"吉林要求完善常态化防止返贫致贫机制，实施农民工资性收入提升行动，工资性收入提高两成以上，"
         "打造5个美丽乡村示范县和200个百村示范村。", "jilin", "实施农民工资性收入提升行动"},
        {"云南继续推进蓝天碧水净土保卫战，落实高原湖泊水质提升任务清单，推动藻水同治，开展城乡生活污水治理"
         "三个三年行动，空气质量优良天数比率保持全国前列。", "yunnan", "推动藻水同治"},
    };
    for (size_t i = 0; i < sizeof retold / sizeof retold[0]; i++) {
        r = search(retold[i][0], 5);
        cr_assert_gt(json_array_size(json_object_get(r, "hits")), 0, "%s", retold[i][1]);
        cr_expect(from(hit(r, 0), retold[i][1]), "%s", retold[i][1]);
        cr_expect_not_null(strstr(text_of(hit(r, 0)), retold[i][2]), "%s", text_of(hit(r, 0)));
        json_decref(r);
    }
}

Test(query, each_hit_says_how_it_matched, .init = setup, .fini = teardown)
{
    json_t *r = search("营商环境", 3);
    cr_expect_str_eq(match_type(hit(r, 0)), "literal");
    json_decref(r);
    r = search("GDP 黑龙江", 3);                /* the report says 地区生产总值 */
    cr_expect_str_eq(match_type(hit(r, 0)), "synonym");
    cr_expect_not_null(json_object_get(json_object_get(hit(r, 0), "match"), "via"));
    json_decref(r);
    /* an expression that stands for several words of the query: held, said once */
    r = search("如何减轻企业负担", 10);
    int through_related = 0;
    for (size_t i = 0; i < 10; i++) {
        json_t *m = json_object_get(hit(r, i), "match"), *via = json_object_get(m, "via"), *v;
        size_t k;
        if (!json_array_size(via))
            continue;
        json_array_foreach(via, k, v)
            cr_expect_not_null(strstr(text_of(hit(r, i)), json_string_value(v)), "rank %zu: via %s", i + 1,
                               json_string_value(v));
        json_t *missing = json_object_get(m, "missing");
        json_array_foreach(missing, k, v)
            cr_expect(strcmp(json_string_value(v), "企业") && strcmp(json_string_value(v), "负担"),
                      "rank %zu holds %s through %s", i + 1, json_string_value(v),
                      json_string_value(json_array_get(via, 0)));
        through_related++;
    }
    cr_expect_gt(through_related, 0, "no hit through 降本减负, 企业减负 …");
    json_decref(r);
    r = search("柯桥 qqzzxx", 3);
    cr_expect_str_eq(match_type(hit(r, 0)), "partial");
    json_t *missing = json_object_get(json_object_get(hit(r, 0), "match"), "missing");
    cr_expect_eq(json_array_size(missing), 1);
    cr_expect_str_eq(json_string_value(json_array_get(missing, 0)), "qqzzxx");
    json_decref(r);
}

/* The Xapian queries a search builds, by their description (WENSOU_DEBUG_QUERY). */
static char *built_queries(const char *q)
{
    char *const env[] = {"WENSOU_DEBUG_QUERY=1", "LC_ALL=C.UTF-8", NULL};
    run_result r = run_env_args(env, "", "search", "--db", db, "-n", "3", q, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    char *s = strdup(r.err);
    run_free(&r);
    return s;
}

Test(query, the_built_queries_of_an_unspaced_question, .init = setup, .fini = teardown)
{
    char *d = built_queries("如何减轻企业负担");
    /* the literal is tried whole first, as typed */
    cr_expect_not_null(strstr(d, "tier 0 (verified): Query((如何 AND 何减 AND 减轻 AND 轻企 AND 企业 AND 业负 AND 负担))"), "%s", d);
    /* then each content word in the text or (weighted) the document's fields, and
     * the words that together are one expression (减轻企业负担) or, once, one of
     * its related expressions (降本减负 …) */
    cr_expect_not_null(strstr(d, "(((减轻 OR 0.5 * S减轻) AND (企业 OR 0.5 * S企业) AND "
                                 "(负担 OR 0.5 * S负担)) OR 0.4"),
                       "%s", d);
    cr_expect_not_null(strstr(d, "(降本 AND 本减 AND 减负)"), "降本减负 not asked: %s", d);
    const char *tier2 = strstr(d, "tier 2:"), *end = tier2 ? strchr(tier2, '\n') : NULL;
    size_t asked = 0;
    for (const char *at = tier2; at && end && (at = strstr(at, "(降本 AND 本减 AND 减负)")) && at < end; at++)
        asked++;
    cr_expect_eq(asked, 1, "an expression for three words asked %zu times: %s", asked, d);
    cr_expect_null(strstr(d, "field 如何"), "如何 asked of a document: %s", d);
    cr_expect_null(strstr(d, "S如何"), "如何 asked of a heading: %s", d);
    free(d);
    /* a year's 年 stays with the year: 2019年成交额 asks for 成交额, not 年成交额 */
    d = built_queries("中国轻纺城2019年成交额是多少");
    cr_expect_not_null(strstr(d, "AND ((成交 AND 交额) OR"), "%s", d);
    cr_expect_null(strstr(d, "field 年成交额"), "%s", d);
    free(d);
    /* a word of a title: the passages of the files whose fields hold it, from their
     * records (no passage holds it as a term), beside the headings' S term */
    d = built_queries("纲要 就业");
    cr_expect_not_null(strstr(d, "(纲要 OR 0.5 * (PostingSource(field 纲要 "), "%s", d);
    cr_expect_not_null(strstr(d, "(1 spans, 286 passages)) OR S纲要))"), "%s", d);
    free(d);
    /* a named document's passages by their docids (one span: one file) */
    d = built_queries("广东省政府工作报告 就业");
    cr_expect_not_null(strstr(d, "FILTER PostingSource(docid ranges"), "the named document first: %s", d);
    cr_expect_not_null(strstr(d, "(1 spans, "), "%s", d);
    cr_expect_not_null(strstr(d, "AND_NOT PostingSource(docid ranges"), "then the others: %s", d);
    free(d);
}

/* Whether h's text or any heading of its section path holds s. */
static int said_or_headed(json_t *h, const char *s)
{
    if (strstr(text_of(h), s))
        return 1;
    json_t *sec = json_object_get(h, "section");
    for (size_t i = 0; i < json_array_size(sec); i++)
        if (strstr(json_string_value(json_array_get(sec, i)), s))
            return 1;
    return 0;
}

/* A word said only by an outer heading (一、…先行示范区新征程) still places the
 * passages under it among those holding every word, above the passages that hold
 * only the other one. */
Test(query, a_word_of_an_outer_heading_counts_for_the_passages_under_it, .init = setup, .fini = teardown)
{
    json_t *r = search("先行示范区 动能转换", 10);
    size_t n = json_array_size(json_object_get(r, "hits")), under = 0;
    cr_assert_geq(n, 3, "%zu hits", n);
    for (size_t k = 0; k < 3; k++) {
        json_t *h = hit(r, k);
        cr_expect(said_or_headed(h, "先行示范区") && said_or_headed(h, "动能转换"), "rank %zu lacks a word: %s", k + 1,
                  text_of(h));
        if (!strstr(text_of(h), "先行示范区") && strcmp(heading_of(h), "") && !strstr(heading_of(h), "先行示范区"))
            under++;
    }
    cr_expect_geq(under, 1, "no passage found by its outer heading alone");
    json_decref(r);
}

Test(query, page_filters_passages_by_the_page_they_start_on, .init = setup, .fini = teardown)
{
    json_t *r = search("营商环境 page:26..27", 50);
    size_t n = json_array_size(json_object_get(r, "hits"));
    cr_expect_gt(n, 0);
    for (size_t i = 0; i < n; i++) {
        json_int_t page = json_integer_value(json_object_get(hit(r, i), "page"));
        cr_expect(page >= 26 && page <= 27, "rank %zu is on page %lld", i + 1, (long long)page);
    }
    json_decref(r);
    r = search("营商环境 page:12", 50);
    for (size_t i = 0; i < json_array_size(json_object_get(r, "hits")); i++)
        cr_expect_eq(json_integer_value(json_object_get(hit(r, i), "page")), 12);
    json_decref(r);
}

/* Hits offset..offset+limit of q. */
static json_t *search_page(const char *q, size_t offset, size_t limit)
{
    qry_request req = {q, limit, offset, 0, 0};
    json_t *out;
    qry_err err;
    cr_assert_eq(search_json(engine, &req, &out, &err), 0, "%s: %s", q, err.msg);
    return out;
}

Test(query, a_broad_query_s_first_page_spans_documents, .init = setup, .fini = teardown)
{
    /* 纺织 is said in many documents, most often in the Keqiao plan (7 of the
     * first 10 when ranked alone) */
    json_t *r = search("纺织", 10), *h;
    json_t *per_file = json_object();
    size_t i;
    json_array_foreach(json_object_get(r, "hits"), i, h) {
        const char *f = json_string_value(json_object_get(h, "file"));
        json_object_set_new(per_file, f, json_integer(json_integer_value(json_object_get(per_file, f)) + 1));
    }
    const char *f;
    json_t *n;
    json_object_foreach(per_file, f, n)
        cr_expect_leq(json_integer_value(n), 4, "%s has %lld of the first 10", f, (long long)json_integer_value(n));
    cr_expect_geq(json_object_size(per_file), 4, "the first page spans %zu documents", json_object_size(per_file));
    /* pages still tile the ranking: page by page, the hits of one long page */
    json_t *all = search("纺织", 200), *texts = json_object();
    size_t whole = json_array_size(json_object_get(all, "hits"));
    for (size_t off = 0; off < whole; off += 7) {
        json_t *pg = search_page("纺织", off, whole - off < 7 ? whole - off : 7);
        json_array_foreach(json_object_get(pg, "hits"), i, h) {
            json_t *same = json_array_get(json_object_get(all, "hits"), off + i);
            cr_expect(json_equal(json_object_get(h, "start"), json_object_get(same, "start")) &&
                          json_equal(json_object_get(h, "file"), json_object_get(same, "file")),
                      "rank %zu differs paged", off + i + 1);
            char key[600];
            snprintf(key, sizeof key, "%s:%lld", json_string_value(json_object_get(h, "file")),
                     (long long)json_integer_value(json_object_get(h, "start")));
            cr_expect_null(json_object_get(texts, key), "%s twice (page at %zu)", key, off);
            json_object_set_new(texts, key, json_true());
        }
        json_decref(pg);
    }
    cr_expect_eq(json_object_size(texts), whole, "%zu of %zu hits over the pages", json_object_size(texts), whole);
    json_decref(all);
    json_decref(texts);
    json_decref(per_file);
    json_decref(r);
}

/* Whether text says word at least once outside an enumeration (not next to 、,
 * not after 和/及 following a 、 in the same clause). */
static int said_of(const char *text, const char *word)
{
    size_t k = strlen("、"), wl = strlen(word);
    for (const char *at = strstr(text, word); at; at = strstr(at + 1, word)) {
        int before = at - text >= (ptrdiff_t)k && !memcmp(at - k, "、", k);
        int after = !memcmp(at + wl, "、", k);
        int joined = at - text >= (ptrdiff_t)k && (!memcmp(at - k, "和", k) || !memcmp(at - k, "及", k));
        for (const char *p = at - k; joined && p >= text + k; p -= k) {   /* all three-byte characters here */
            if (!memcmp(p - k, "、", k))
                break;
            if (!memcmp(p - k, "，", k) || !memcmp(p - k, "。", k) || (unsigned char)p[-1] < 0x80) {
                joined = 0;
                break;
            }
        }
        if (!before && !after && !joined)
            return 1;
    }
    return 0;
}

Test(query, a_passage_that_speaks_of_a_term_ranks_above_one_that_lists_it, .init = setup, .fini = teardown)
{
    /* 银发经济 is in 27 passages of the provincial reports, in most of them one
     * item of a list (积极发展首发经济、银发经济、冰雪经济); the first page is the
     * passages that say something of it (大力发展银发经济，加强老年用品研发) */
    json_t *r = search("银发经济", 10);
    for (size_t i = 0; i < 7; i++)
        cr_expect(said_of(text_of(hit(r, i)), "银发经济"), "rank %zu only lists it: %s", i + 1, text_of(hit(r, i)));
    json_decref(r);
}

Test(query, facets_count_the_regions_titles_name, .init = setup, .fini = teardown)
{
    json_t *r = search("营商环境", 1);
    json_t *regions = json_object_get(json_object_get(r, "facets"), "regions");
    cr_assert(json_is_object(regions));
    cr_expect_gt(json_integer_value(json_object_get(regions, "广东省")), 0, "no 广东省 from 2025年广东省政府工作报告");
    cr_expect_gt(json_integer_value(json_object_get(regions, "柯桥区")), 0, "no 柯桥区 from 绍兴市柯桥区…");
    cr_expect_null(json_object_get(regions, "年广东省"), "the year's 年 taken for a place");
    cr_expect_null(json_object_get(regions, "绍兴市"), "the wider region instead of the issuer's own");
    json_decref(r);
}

Test(query, region_filters_by_the_region_a_title_names, .init = setup, .fini = teardown)
{
    json_t *r = search("营商环境 region:广东", 20);
    size_t n = json_array_size(json_object_get(r, "hits"));
    cr_assert_gt(n, 0);
    for (size_t i = 0; i < n; i++)
        cr_expect(from(hit(r, i), "guangdong"), "rank %zu is not Guangdong's", i + 1);
    json_decref(r);
    r = search("营商环境 region:柯桥 region:广东", 50);   /* alternatives */
    int keqiao = 0, guangdong = 0;
    for (size_t i = 0; i < json_array_size(json_object_get(r, "hits")); i++) {
        keqiao |= from(hit(r, i), "keqiao");
        guangdong |= from(hit(r, i), "guangdong");
        cr_expect(from(hit(r, i), "keqiao") || from(hit(r, i), "guangdong"), "rank %zu", i + 1);
    }
    cr_expect(keqiao && guangdong);
    json_decref(r);
    r = search("营商环境 region:火星", 5);                 /* no such region: nothing */
    cr_expect_eq(json_array_size(json_object_get(r, "hits")), 0);
    json_decref(r);
}

/* The hits' identities (file and start) of a result, one string. */
static char *hit_keys(json_t *r)
{
    size_t i, len = 0;
    json_t *h;
    char *out = calloc(1, 1);
    json_array_foreach(json_object_get(r, "hits"), i, h) {
        const char *f = json_string_value(json_object_get(h, "file"));
        char key[1200];
        int n = snprintf(key, sizeof key, "%s@%lld;", f ? f : "?", json_integer_value(json_object_get(h, "start")));
        cr_assert(n > 0 && (size_t)n < sizeof key);
        out = realloc(out, len + (size_t)n + 1);
        cr_assert_not_null(out);
        memcpy(out + len, key, (size_t)n + 1);
        len += (size_t)n;
    }
    return out;
}

/* A large index verifies only the ranked candidates until the page is full
 * (WENSOU_EXACT_LIMIT=0 makes this one "large"): every query of the benchmark's
 * lists gets the same first page as when every candidate is verified, and its
 * total, now marked an estimate when not every candidate was examined, stays within
 * a factor of two of the exact one. */
Test(query, verifying_only_the_ranked_candidates_gives_the_same_first_page, .init = setup, .fini = teardown,
     .timeout = 120)
{
    size_t n, estimated = 0;
    char **qs = bench_queries(&n);
    for (size_t i = 0; i < n; i++) {
        const char *line = qs[i];
        unsetenv("WENSOU_EXACT_LIMIT");
        json_t *exact = search(line, 10);
        setenv("WENSOU_EXACT_LIMIT", "0", 1);
        json_t *ranked = search(line, 10);
        unsetenv("WENSOU_EXACT_LIMIT");
        char *a = hit_keys(exact), *b = hit_keys(ranked);
        cr_expect_str_eq(b, a, "the first page of \"%s\" differs", line);
        cr_expect(json_is_false(json_object_get(exact, "total_is_estimate")), "%s: exact total marked", line);
        size_t te = total(exact), tr = total(ranked);
        cr_expect(tr <= 2 * te + 2 && te <= 2 * tr + 2, "%s: total %zu, exactly %zu", line, tr, te);
        if (json_is_true(json_object_get(ranked, "total_is_estimate")))
            estimated++;
        else
            cr_expect_eq(tr, te, "%s: a total not marked estimated is %zu, exactly %zu", line, tr, te);
        free(a);
        free(b);
        json_decref(exact);
        json_decref(ranked);
        free(qs[i]);
    }
    free(qs);
    cr_expect_geq(estimated, 1, "no total was an estimate: the ranked path did not run");
}

/* The facets of q through e: its result's text read back refusing a name twice. */
static json_t *facets_of(qry_engine *e, const char *q)
{
    qry_request req = {q, 10, 0, 0, 0};
    qry_result *r = NULL;
    qry_err err;
    cr_assert_eq(qry_search(e, &req, &r, &err), 0, "%s: %s", q, err.msg);
    size_t len = 0;
    char *text = qry_result_text(r, &len);
    qry_result_free(r);
    json_error_t je;
    json_t *out = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    cr_assert_not_null(out, "%s: %s", q, je.text);
    free(text);
    json_t *facets = json_incref(json_object_get(out, "facets"));
    json_decref(out);
    return facets;
}

/* Facets name each document, kind, year and region once, however many tiers
 * counted it (发展: most documents, in several tiers), add up to the total on a
 * small index, and count each search afresh: after other searches on one engine,
 * on a small index and on one counted as large, a query's facets are those a
 * fresh engine gives it. */
Test(query, facets_name_each_document_once_and_count_each_search_afresh, .init = setup, .fini = teardown)
{
    static const char *const qs[] = {"发展", "柯桥 就业", "营商环境 -杭州", "如何减轻企业负担", "各省 低空经济", "的"};
    json_t *r = search("发展 改革", 10);
    cr_expect_eq(facet_sum(r, "documents"), total(r), "facets count what the total counts");
    cr_expect_eq(facet_sum(r, "years"), total(r));
    cr_expect_gt(json_object_size(json_object_get(json_object_get(r, "facets"), "documents")), 16);
    json_decref(r);
    for (int large = 0; large < 2; large++) {
        if (large)
            setenv("WENSOU_EXACT_LIMIT", "0", 1);
        for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
            qry_engine *fresh;
            qry_err qe;
            cr_assert_eq(qry_engine_open(db, dict, syn, &fresh, &qe), 0, "%s", qe.msg);
            json_t *alone = facets_of(fresh, qs[i]), *after = facets_of(engine, qs[i]);
            cr_expect(json_equal(alone, after), "%s (%s index): facets differ after other searches", qs[i],
                      large ? "large" : "small");
            cr_expect_gt(json_object_size(json_object_get(after, "documents")), 0, "%s", qs[i]);
            json_decref(alone);
            json_decref(after);
            qry_engine_close(fresh);
        }
    }
    unsetenv("WENSOU_EXACT_LIMIT");
}

/* dir/news/kq.txt: the 2020 work report's text under a first line that says which
 * version it is (a digit no query here asks for), titled 柯桥纺城简报 by its
 * manifest, and indexed into db: each version re-indexes its passages as new
 * docids, and the collection's counts of every other term stay as they were. */
static void index_brief_version(int version)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s/news' && printf 'file\\ttitle\\tdate\\tkind\\nkq.txt\\t柯桥纺城简报\\t2024-05-01\\t简报\\n' "
             "> '%s/news/manifest.tsv' && { printf '第%d版\\n\\n'; cat '%s/2020-01-08-keqiao-government-work-report.txt'; } "
             "> '%s/news/kq.txt'",
             dir, dir, version, WENSOU_TEST_CORPUS, dir);
    cr_assert_eq(system(cmd), 0);
    char news[128];
    snprintf(news, sizeof news, "%s/news", dir);
    run_result r = run_args("", "index", "--quiet", "--db", db, news, (char *)NULL);
    cr_assert_eq(r.status, 0, "%s", r.err);
    run_free(&r);
}

/* A search that commits overtake (the blocks of its revision rewritten under it:
 * Xapian's DatabaseModifiedError) starts over on the latest revision, so the docid
 * ranges of a document's title words are the new passages', not the old ones
 * that no longer exist: its answer is a fresh engine's. */
Test(query, a_search_overtaken_by_commits_answers_as_a_fresh_engine, .init = setup, .fini = teardown)
{
    static const char *const qs[] = {"纺城简报 就业", "柯桥纺城简报"};
    index_brief_version(0);
    qry_engine *early;
    qry_err qe;
    cr_assert_eq(qry_engine_open(db, dict, syn, &early, &qe), 0, "%s", qe.msg);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++)
        free(answer_of(early, qs[i], 10, 0));     /* its titles and field words read at this revision */
    for (int version = 1; version <= 6; version++)
        index_brief_version(version);
    qry_engine *fresh;
    cr_assert_eq(qry_engine_open(db, dict, syn, &fresh, &qe), 0, "%s", qe.msg);
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        char *overtaken = answer_of(early, qs[i], 10, 0), *latest = answer_of(fresh, qs[i], 10, 0);
        cr_expect_str_eq(overtaken, latest, "%s", qs[i]);
        cr_expect_not_null(strstr(latest, "kq.txt"), "%s: %s", qs[i], latest);
        free(overtaken);
        free(latest);
    }
    qry_engine_close(fresh);
    qry_engine_close(early);
}

/* A serving engine's and a one-off engine's answers to each of qs (each a
 * character alone or beside a word or filter) on a small index counted as large,
 * ranked or, wide (every character too wide to rank), listed: the same hits in the
 * same order, on the first page and a later one; alone, a total that is exact and
 * the small index's where the one-off wildcard's is an estimate. */
static void characters_answer_alike(const char *const *qs, size_t n, int wide)
{
    qry_engine *serving;
    qry_err qe;
    cr_assert_eq(qry_engine_open(db, dict, syn, &serving, &qe), 0, "%s", qe.msg);
    qry_engine_serving(serving);
    for (int pass = 0; pass < 2; pass++) {            /* the lists read, then held */
        for (size_t i = 0; i < n; i++) {
            const int alone = strlen(qs[i]) == 3;      /* counted from the list */
            const size_t there = alone ? counted_on_small_index(qs[i], 0) : 0;
            setenv("WENSOU_EXACT_LIMIT", "0", 1);
            if (wide)
                setenv("WENSOU_WIDE_POSTINGS", "1", 1);
            for (size_t offset = 0; offset <= 40; offset += 20) {
                qry_request req = {qs[i], 10, offset, 0, 0};
                json_t *own, *kept;
                cr_assert_eq(search_json(engine, &req, &own, &qe), 0, "%s", qe.msg);
                cr_assert_eq(search_json(serving, &req, &kept, &qe), 0, "%s", qe.msg);
                cr_expect(json_equal(json_object_get(own, "hits"), json_object_get(kept, "hits")),
                          "%s (offset %zu): the answers differ", qs[i], offset);
                cr_expect_eq(json_array_size(json_object_get(kept, "hits")), 10, "%s", qs[i]);
                double score = json_number_value(json_object_get(hit(kept, 0), "score"));
                cr_expect(wide ? score == 0 : score > 0, "%s: %s", qs[i], wide ? "listed, not ranked" : "ranked");
                if (alone) {
                    cr_expect(json_is_false(json_object_get(kept, "total_is_estimate")), "%s: an estimate", qs[i]);
                    cr_expect_eq(total(kept), there, "%s: %zu counted, %zu there", qs[i], total(kept), there);
                }
                json_decref(own);
                json_decref(kept);
            }
            unsetenv("WENSOU_WIDE_POSTINGS");
            unsetenv("WENSOU_EXACT_LIMIT");
        }
    }
    qry_engine_close(serving);
}

/* A character ranked (not too wide) in a serving engine walks a list of its
 * bigrams' passages held in memory, weighed as Xapian weighs its wildcard's
 * synonym (by Xapian's estimate of their union): the same hits, scores and order
 * as a one-off search's wildcard, alone, beside a word, filtered and on later
 * pages; alone, a total that is exact (the list's length). */
Test(query, a_ranked_character_from_memory_weighs_as_the_wildcard, .init = setup, .fini = teardown)
{
    static const char *const qs[] = {"的", "发", "发 经济", "区 year:2021", "区 kind:政府工作报告", "的 OR 了",
                                     "年 OR 人 OR 业 OR 会 OR 设"};   /* more than a match reads at once */
    characters_answer_alike(qs, sizeof qs / sizeof qs[0], 0);
}

/* A character too wide to rank is listed in index order. A serving engine walks
 * the same list, where a one-off search's wildcard opens every bigram's list: the
 * same passages in the same order, alone, filtered and pages further on; alone, a
 * total that is exact where the wildcard's is Xapian's estimate of a union. */
Test(query, a_wide_character_from_memory_lists_what_the_wildcard_lists, .init = setup, .fini = teardown)
{
    static const char *const qs[] = {"的", "发", "的 year:2021", "区 kind:政府工作报告"};
    characters_answer_alike(qs, sizeof qs / sizeof qs[0], 1);
}
