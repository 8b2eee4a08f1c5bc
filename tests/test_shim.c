/* test_shim.c — the C API over Xapian: documents in, queries out, and every error
 * a caller must tell apart (no index, locked, corrupt, read-only, modified). */
#include "xsh.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

static void make_dir(void)
{
    strcpy(dir, "/tmp/wensou-shim-XXXXXX");
    cr_assert_not_null(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_expect_eq(system(cmd), 0);
}

static void add_passage(xsh_db *db, const char *file, const char *const *words, unsigned n, const char *data)
{
    xsh_doc *d = xsh_doc_new();
    cr_assert_not_null(d);
    for (unsigned i = 0; i < n; i++)
        cr_assert_eq(xsh_doc_add_posting(d, words[i], strlen(words[i]), i + 1, 1), 0);
    char ft[256];
    snprintf(ft, sizeof ft, "F%s", file);
    cr_assert_eq(xsh_doc_add_boolean_term(d, ft, strlen(ft)), 0);
    cr_assert_eq(xsh_doc_set_value(d, 2, file, strlen(file)), 0);
    cr_assert_eq(xsh_doc_set_data(d, data, strlen(data)), 0);
    xsh_err err;
    cr_assert_eq(xsh_db_add_document(db, d, NULL, &err), 0, "%s", err.msg);
    xsh_doc_free(d);
}

static xsh_db *sample_index(void)
{
    xsh_db *db;
    xsh_err err;
    cr_assert_eq(xsh_db_open(dir, XSH_WRITE, &db, &err), 0, "%s", err.msg);
    static const char *a[] = {"经济", "发展", "质量"}, *b[] = {"经济", "社会", "发展"}, *c[] = {"营商环境", "优化"};
    add_passage(db, "/r/a.txt", a, 3, "{\"n\":1}");
    add_passage(db, "/r/a.txt", b, 3, "{\"n\":2}");
    add_passage(db, "/r/b.txt", c, 2, "{\"n\":3}");
    cr_assert_eq(xsh_db_set_metadata(db, "wensou:schema", "1", &err), 0);
    cr_assert_eq(xsh_db_commit(db, &err), 0);
    return db;
}

static xsh_result *search(xsh_db *db, xsh_query *q, int collapse)
{
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.limit = 10;
    o.check_at_least = 100;
    o.matching_terms = 1;
    unsigned slots[] = {2};
    o.facet_slots = slots;
    o.nfacets = 1;
    if (collapse) {
        o.collapse_slot = 2;
        o.collapse_max = 1;
    }
    xsh_result *r;
    xsh_err err;
    cr_assert_eq(xsh_search(db, q, &o, &r, &err), 0, "%s", err.msg);
    return r;
}

/* Keeps passages holding the term 质量 (a probe), or else whose value is /r/b.txt. */
static int keep_with_quality_or_file_b(void *ctx, xsh_candidate *c)
{
    (void)ctx;
    if (xsh_candidate_has_term(c, "质量", strlen("质量")))
        return 1;
    size_t len;
    const char *v = xsh_candidate_value(c, &len);
    return v && len == strlen("/r/b.txt") && memcmp(v, "/r/b.txt", len) == 0;
}

/* ctx: unsigned[8]: [0] the count, then the docids seen */
static void note_docid(void *ctx, unsigned docid)
{
    unsigned *seen = ctx;
    if (seen[0] < 7)
        seen[++seen[0]] = docid;
}

Test(shim, terms_phrases_collapse_and_facets, .init = make_dir, .fini = remove_dir)
{
    xsh_db *db = sample_index();
    xsh_query *t1 = xsh_query_term("经济", strlen("经济"), 1, 0);
    xsh_query *t2 = xsh_query_term("发展", strlen("发展"), 1, 0);
    xsh_query *subs[] = {t1, t2};
    xsh_query *and = xsh_query_combine(XSH_OP_AND, subs, 2, 0);
    xsh_result *r = search(db, and, 0);
    cr_expect_eq(r->nhits, 2);
    cr_expect_eq(r->estimated, 2);
    cr_assert_eq(r->nfacets, 1);
    cr_assert_eq(r->facets[0].n, 1);
    cr_expect_str_eq(r->facets[0].values[0].value, "/r/a.txt");
    cr_expect_eq(r->facets[0].values[0].count, 2);
    cr_expect_eq(r->hits[0].nterms, 2, "matched terms reported for highlights");
    xsh_result_free(r);

    /* a phrase: 经济 immediately followed by 发展 only in the first passage */
    xsh_query *phrase = xsh_query_combine(XSH_OP_PHRASE, subs, 2, 2);
    r = search(db, phrase, 0);
    cr_assert_eq(r->nhits, 1);
    cr_expect_str_eq(r->hits[0].data, "{\"n\":1}");
    xsh_result_free(r);

    /* collapse: at most one passage per file */
    xsh_query *t3 = xsh_query_term("优化", strlen("优化"), 1, 0);
    xsh_query *any = xsh_query_combine(XSH_OP_OR, (xsh_query *[]){t1, t3}, 2, 0);
    r = search(db, any, 1);
    cr_expect_eq(r->nhits, 2);
    xsh_result_free(r);

    /* AND_NOT and a boolean filter */
    xsh_query *file = xsh_query_term("F/r/a.txt", strlen("F/r/a.txt"), 1, 0);
    xsh_query *q3 = xsh_query_combine(XSH_OP_AND_NOT, (xsh_query *[]){any, file}, 2, 0);
    r = search(db, q3, 0);
    cr_assert_eq(r->nhits, 1);
    cr_expect_str_eq(r->hits[0].data, "{\"n\":3}");
    xsh_result_free(r);

    /* on_match sees every counted document's docid (the engine's facets use it) */
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.limit = 1;
    o.check_at_least = 100;
    o.on_match = note_docid;
    unsigned seen[8] = {0};
    o.on_match_ctx = seen;
    xsh_err err;
    cr_assert_eq(xsh_search(db, any, &o, &r, &err), 0, "%s", err.msg);
    cr_expect_eq(r->nhits, 1);
    cr_expect_eq(seen[0], r->estimated, "every match counted, not only the hit returned");
    xsh_result_free(r);

    /* a decider: probes terms of each candidate and reads its value on demand */
    xsh_search_opts_init(&o);
    o.check_at_least = 100;
    o.decider = keep_with_quality_or_file_b;
    o.decider_slot = 2;
    cr_assert_eq(xsh_search(db, any, &o, &r, &err), 0, "%s", err.msg);
    cr_expect_eq(r->estimated, 2, "passage 2 (neither 质量 nor /r/b.txt) is dropped");
    for (size_t i = 0; i < r->nhits; i++)
        cr_expect_neq(r->hits[i].docid, 2);
    xsh_result_free(r);

    /* a prefix: every term that begins with 发 (发展 in passages 1 and 2), as one
     * term; 营 begins 营商环境 only */
    xsh_query *fa = xsh_query_prefix("发", strlen("发"));
    r = search(db, fa, 0);
    cr_expect_eq(r->estimated, 2);
    xsh_result_free(r);
    xsh_query *ying = xsh_query_prefix("营", strlen("营"));
    r = search(db, ying, 0);
    cr_assert_eq(r->nhits, 1);
    cr_expect_str_eq(r->hits[0].data, "{\"n\":3}");
    xsh_result_free(r);
    xsh_query_free(fa);
    xsh_query_free(ying);

    char *desc = xsh_query_describe(phrase);
    cr_expect_not_null(strstr(desc, "PHRASE"), "%s", desc);
    free(desc);
    xsh_query_free(t1); xsh_query_free(t2); xsh_query_free(and); xsh_query_free(phrase);
    xsh_query_free(any); xsh_query_free(file); xsh_query_free(q3); xsh_query_free(t3);
    xsh_db_close(db);
}

/* The docids a search finds, in docid order (unranked), into seen; their count. */
/* The hits of q searched with o: their docids (and weights, unless NULL). */
static size_t hits_of(xsh_db *db, xsh_query *q, const xsh_search_opts *o, unsigned *ids, double *weights)
{
    xsh_result *r;
    xsh_err err;
    cr_assert_eq(xsh_search(db, q, o, &r, &err), 0, "%s", err.msg);
    size_t n = r->nhits;
    for (size_t i = 0; i < n; i++) {
        ids[i] = r->hits[i].docid;
        if (weights)
            weights[i] = r->hits[i].weight;
    }
    xsh_result_free(r);
    return n;
}

static size_t docids_of(xsh_db *db, xsh_query *q, unsigned *seen, size_t cap)
{
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.limit = cap;
    o.unranked = 1;
    return hits_of(db, q, &o, seen, NULL);
}

/* Whole files' passages by docid range: overlapping and unsorted ranges, ones past
 * the index's last docid, alone, under AND (skipping) and AND_NOT. */
/* The search's term cap counts the leaves first and the distinct terms only when
 * the leaves pass it, so the leaves must never be fewer than the distinct terms. */
Test(shim, the_leaf_count_bounds_the_distinct_terms)
{
    xsh_query *a = xsh_query_term("经济", strlen("经济"), 1, 0), *b = xsh_query_term("发展", strlen("发展"), 1, 0),
              *c = xsh_query_term("优化", strlen("优化"), 1, 0);
    xsh_query *twice = xsh_query_combine(XSH_OP_AND, (xsh_query *[]){a, a}, 2, 0);
    xsh_query *synonym = xsh_query_combine(XSH_OP_SYNONYM, (xsh_query *[]){a, b}, 2, 0);
    xsh_query *phrase = xsh_query_combine(XSH_OP_PHRASE, (xsh_query *[]){b, c}, 2, 2);
    xsh_query *mixed = xsh_query_combine(XSH_OP_SYNONYM, (xsh_query *[]){a, phrase}, 2, 0);
    xsh_query *prefix = xsh_query_prefix("发", strlen("发"));
    xsh_query *scaled = xsh_query_scale(twice, 2);
    xsh_query *all = xsh_query_combine(XSH_OP_OR, (xsh_query *[]){scaled, prefix, synonym, mixed}, 4, 0);
    unsigned first = 1, count = 3;
    xsh_query *ranges = xsh_query_docid_ranges(&first, &count, 1);
    struct {
        const char *what;
        xsh_query *q;
        size_t distinct;                         /* SIZE_MAX: not asserted */
    } shapes[] = {
        {"a term", a, 1}, {"a term twice", twice, 1}, {"a synonym of terms", synonym, 1},
        {"a synonym holding a phrase", mixed, 3}, {"a wildcard", prefix, SIZE_MAX}, {"all of them", all, SIZE_MAX},
        {"docid ranges", ranges, 0},
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        cr_assert_not_null(shapes[i].q, "%s", shapes[i].what);
        if (shapes[i].distinct != SIZE_MAX)
            cr_expect_eq(xsh_query_term_count(shapes[i].q), shapes[i].distinct, "%s", shapes[i].what);
        cr_expect_geq(xsh_query_leaf_count(shapes[i].q), xsh_query_term_count(shapes[i].q), "%s: %zu leaves", shapes[i].what,
                      xsh_query_leaf_count(shapes[i].q));
    }
    cr_expect_eq(xsh_query_leaf_count(twice), 2, "a term named twice is two leaves");
    xsh_query *owned[] = {a, b, c, twice, synonym, phrase, mixed, prefix, scaled, all, ranges};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        xsh_query_free(owned[i]);
}

Test(shim, docid_ranges_filter_whole_files, .init = make_dir, .fini = remove_dir)
{
    xsh_db *db;
    xsh_err err;
    cr_assert_eq(xsh_db_open(dir, XSH_WRITE, &db, &err), 0, "%s", err.msg);
    static const char *every[] = {"词"}, *third[] = {"词", "稀"};
    for (int i = 1; i <= 40; i++)
        add_passage(db, "/r/x.txt", i % 3 == 0 ? third : every, i % 3 == 0 ? 2 : 1, "{}");
    cr_assert_eq(xsh_db_commit(db, &err), 0);
    const unsigned first[] = {38, 6, 5, 20}, count[] = {10, 4, 3, 1};   /* 5-9, 20, 38-40 */
    unsigned seen[64];
    xsh_query *ranges = xsh_query_docid_ranges(first, count, 4);
    cr_assert_not_null(ranges);
    size_t n = docids_of(db, ranges, seen, 64);
    const unsigned all[] = {5, 6, 7, 8, 9, 20, 38, 39, 40};
    cr_assert_eq(n, 9);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(seen[i], all[i], "at %zu", i);
    xsh_query *rare = xsh_query_term("稀", strlen("稀"), 1, 0), *word = xsh_query_term("词", strlen("词"), 1, 0);
    xsh_query *pair[2] = {rare, ranges};
    xsh_query *both = xsh_query_combine(XSH_OP_FILTER, pair, 2, 0);
    n = docids_of(db, both, seen, 64);
    const unsigned rare_in[] = {6, 9, 39};
    cr_assert_eq(n, 3);
    for (size_t i = 0; i < n; i++)
        cr_expect_eq(seen[i], rare_in[i], "at %zu", i);
    pair[0] = word;
    xsh_query *outside = xsh_query_combine(XSH_OP_AND_NOT, pair, 2, 0);
    n = docids_of(db, outside, seen, 64);
    cr_expect_eq(n, 31);
    for (size_t i = 0; i < n; i++)
        cr_expect(!(seen[i] >= 5 && seen[i] <= 9) && seen[i] != 20 && seen[i] < 38, "%u is in a range", seen[i]);
    const unsigned none_first[] = {0, 50}, none_count[] = {3, 2};       /* no docid 0, none past 40 */
    xsh_query *empty = xsh_query_docid_ranges(none_first, none_count, 2);
    cr_expect_eq(docids_of(db, empty, seen, 64), 0);
    xsh_query_free(empty);
    xsh_query_free(outside);
    xsh_query_free(both);
    xsh_query_free(word);
    xsh_query_free(rare);
    xsh_query_free(ranges);
    xsh_db_close(db);
}

/* The ranked page of q on db: docids and weights, BM25 with b (k1 1). */
static size_t ranked_page(xsh_db *db, xsh_query *q, double b, unsigned *ids, double *weights, size_t limit)
{
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.limit = limit;
    o.check_at_least = limit;
    o.k1 = 1;
    o.b = b;
    o.k3 = 1;
    o.min_normlen = 0.5;
    return hits_of(db, q, &o, ids, weights);
}

/* Lists served from memory pass over postings too light to bring a passage onto
 * the page (issue 15): the page is still Xapian's own, passage for passage and to
 * the last bit of weight, whether the weight needed falls on a common wdf or a
 * rare one (one past what a list keeps in a byte among them), with the document's
 * length weighed (b > 0) or not. */
Test(shim, dense_lists_pass_over_only_what_cannot_reach_the_page, .init = make_dir, .fini = remove_dir)
{
    xsh_db *w;
    xsh_err err;
    cr_assert_eq(xsh_db_open(dir, XSH_WRITE, &w, &err), 0, "%s", err.msg);
    unsigned h = 12345;
    for (int i = 0; i < 3000; i++) {
        xsh_doc *d = xsh_doc_new();
        cr_assert_not_null(d);
        unsigned pos = 1;
        static const char *const terms[] = {"甲", "乙", "丙"};
        /* wdfs past what a list keeps in a byte: 甲 300 and 255 times, 乙 254 */
        const unsigned wide[2] = {i % 500 == 3 ? 300u : i % 700 == 5 ? 255u : 0u, i % 900 == 4 ? 254u : 0u};
        for (int t = 0; t < 3; t++) {
            h = h * 1103515245u + 12345u;
            unsigned r = (h >> 16) % 1000, wdf = r < 5 ? 6 : r < 30 ? 4 : r < 120 ? 3 : r < 400 ? 2 : 1;
            if (t < 2 && wide[t])
                wdf = wide[t];
            if (t == 2 && r % 3)
                continue;                               /* 丙 in a third of them */
            for (unsigned k = 0; k < wdf; k++)
                cr_assert_eq(xsh_doc_add_posting(d, terms[t], strlen(terms[t]), pos++, 1), 0);
        }
        if (i % 75 == 7)                                /* 丁 in 40, a sparse right side */
            for (unsigned k = 0; k < 1 + (unsigned)i % 9; k++)
                cr_assert_eq(xsh_doc_add_posting(d, "丁", strlen("丁"), pos++, 1), 0);
        if (i < 600 && i % 5 == 2)                      /* 己 in 120, the first fifth only */
            cr_assert_eq(xsh_doc_add_posting(d, "己", strlen("己"), pos++, 1 + (unsigned)i % 3), 0);
        if (i % 300 == 11)                              /* 戊 in 10: too few to be dense */
            cr_assert_eq(xsh_doc_add_posting(d, "戊", strlen("戊"), pos++, 1), 0);
        for (unsigned k = 0; k < (h >> 8) % 7; k++)     /* lengths differ */
            cr_assert_eq(xsh_doc_add_posting(d, "填", strlen("填"), pos++, 1), 0);
        cr_assert_eq(xsh_db_add_document(w, d, NULL, &err), 0, "%s", err.msg);
        xsh_doc_free(d);
    }
    cr_assert_eq(xsh_db_commit(w, &err), 0);
    xsh_db_close(w);
    setenv("WENSOU_DENSE_POSTINGS", "30", 1);
    xsh_db *own, *kept;
    cr_assert_eq(xsh_db_open(dir, XSH_READ, &own, &err), 0, "%s", err.msg);
    cr_assert_eq(xsh_db_open(dir, XSH_READ, &kept, &err), 0, "%s", err.msg);
    unsetenv("WENSOU_DENSE_POSTINGS");
    xsh_db_keep_dense(kept, 1);
    xsh_query *a = xsh_query_term("甲", strlen("甲"), 1, 0), *b = xsh_query_term("乙", strlen("乙"), 1, 0),
              *c = xsh_query_term("丙", strlen("丙"), 1, 0);
    xsh_query *ab[2] = {a, b};
    xsh_query *and_ab = xsh_query_combine(XSH_OP_AND, ab, 2, 0), *or_ab = xsh_query_combine(XSH_OP_OR, ab, 2, 0);
    xsh_query *maybe[2] = {and_ab, c};
    xsh_query *and_maybe = xsh_query_combine(XSH_OP_AND_MAYBE, maybe, 2, 0);
    xsh_query *ac[2] = {a, c};
    xsh_query *a_filter_b = xsh_query_combine(XSH_OP_FILTER, ab, 2, 0), *a_not_c = xsh_query_combine(XSH_OP_AND_NOT, ac, 2, 0);
    xsh_query *scaled_a = xsh_query_scale(a, 0.3);
    xsh_query *sb[2] = {scaled_a, b};
    xsh_query *or_scaled = xsh_query_combine(XSH_OP_OR, sb, 2, 0), *weightless = xsh_query_scale(and_ab, 0);
    /* a sparse term beside a common one, its passages on the page or kept off it */
    xsh_query *d = xsh_query_term("丁", strlen("丁"), 1, 0);
    xsh_query *ad[2] = {a, d};
    xsh_query *a_maybe_d = xsh_query_combine(XSH_OP_AND_MAYBE, ad, 2, 0);
    xsh_query *md[2] = {a_maybe_d, d}, *mc[2] = {a_maybe_d, c}, *mb[2] = {a_maybe_d, b};
    xsh_query *maybe_not_d = xsh_query_combine(XSH_OP_AND_NOT, md, 2, 0);
    xsh_query *maybe_filter_c = xsh_query_combine(XSH_OP_FILTER, mc, 2, 0);
    xsh_query *maybe_or_b = xsh_query_combine(XSH_OP_OR, mb, 2, 0);
    /* 丙 (a third of the passages) lacks most of 丁's: those are no match */
    xsh_query *cd[2] = {c, d};
    xsh_query *c_maybe_d = xsh_query_combine(XSH_OP_AND_MAYBE, cd, 2, 0);
    xsh_query *cmd[2] = {c_maybe_d, d}, *cma[2] = {c_maybe_d, a};
    xsh_query *c_maybe_not_d = xsh_query_combine(XSH_OP_AND_NOT, cmd, 2, 0);
    xsh_query *c_maybe_filter_a = xsh_query_combine(XSH_OP_FILTER, cma, 2, 0);
    /* ANDs of three lists and of a sparse one, alone, beside other words, under an
     * exclusion or an AND_MAYBE, scaled: the blocks' bounds pass passages over (under
     * a filter Xapian merges the AND into its own, and so does the shim) */
    xsh_query *abc[3] = {a, b, c}, *cda[3] = {c, d, a};
    xsh_query *and_abc = xsh_query_combine(XSH_OP_AND, abc, 3, 0), *and_cda = xsh_query_combine(XSH_OP_AND, cda, 3, 0);
    xsh_query *ad_and = xsh_query_combine(XSH_OP_AND, ad, 2, 0);
    xsh_query *abc_d[2] = {and_abc, d}, *cda_b[2] = {and_cda, b};
    xsh_query *and_abc_or_d = xsh_query_combine(XSH_OP_OR, abc_d, 2, 0);
    xsh_query *and_abc_not_d = xsh_query_combine(XSH_OP_AND_NOT, abc_d, 2, 0);
    xsh_query *and_abc_filter_d = xsh_query_combine(XSH_OP_FILTER, abc_d, 2, 0);
    xsh_query *and_cda_maybe_b = xsh_query_combine(XSH_OP_AND_MAYBE, cda_b, 2, 0);
    xsh_query *scaled_abc = xsh_query_scale(and_abc, 2.5);
    xsh_query *sabc_a[2] = {scaled_abc, a};
    xsh_query *scaled_abc_or_a = xsh_query_combine(XSH_OP_OR, sabc_a, 2, 0);
    /* an AND under a scale beside a word, an AND_MAYBE inside an AND: Xapian's own
     * tree decides how the sums are grouped */
    xsh_query *half_ab = xsh_query_scale(and_ab, 0.5);
    xsh_query *hab_c[2] = {half_ab, c}, *mab[2] = {a_maybe_d, b};
    xsh_query *scaled_and_in_and = xsh_query_combine(XSH_OP_AND, hab_c, 2, 0);
    xsh_query *maybe_in_and = xsh_query_combine(XSH_OP_AND, mab, 2, 0);
    /* an AND_MAYBE merged into an AND where nothing else weighs (a filter, a scale
     * of 0: one source, the same sum), and where something does (Xapian's) */
    xsh_query *weightless_c = xsh_query_scale(c, 0);
    xsh_query *m0c[2] = {a_maybe_d, weightless_c}, *mib_c[2] = {maybe_in_and, c}, *two[2] = {a_maybe_d, c_maybe_d};
    xsh_query *maybe_and_weightless = xsh_query_combine(XSH_OP_AND, m0c, 2, 0);
    xsh_query *maybe_and_b_filter_c = xsh_query_combine(XSH_OP_FILTER, mib_c, 2, 0);
    xsh_query *two_maybes = xsh_query_combine(XSH_OP_AND, two, 2, 0);
    /* the same AND_MAYBE again under an OR in the AND (its recipe shared): it weighs
     * there too */
    xsh_query *mm[2] = {a_maybe_d, a_maybe_d};
    xsh_query *or_itself = xsh_query_combine(XSH_OP_OR, mm, 2, 0);
    xsh_query *m_or_m[2] = {a_maybe_d, or_itself};
    xsh_query *maybe_and_or_itself = xsh_query_combine(XSH_OP_AND, m_or_m, 2, 0);
    /* beside what weighs nothing: another AND_MAYBE under a filter, an exclusion */
    xsh_query *m_cm[2] = {a_maybe_d, c_maybe_d}, *zc_b[2] = {weightless_c, b};
    xsh_query *maybe_filter_maybe = xsh_query_combine(XSH_OP_FILTER, m_cm, 2, 0);
    xsh_query *nothing_not_b = xsh_query_combine(XSH_OP_AND_NOT, zc_b, 2, 0);
    xsh_query *m_nb[2] = {a_maybe_d, nothing_not_b};
    xsh_query *maybe_and_excluding = xsh_query_combine(XSH_OP_AND, m_nb, 2, 0);
    /* an AND with a term no passage holds (an empty list), and with one that is not
     * dense (the AND stays Xapian's, its dense terms served one by one) */
    xsh_query *none = xsh_query_term("无", strlen("无"), 1, 0), *e = xsh_query_term("戊", strlen("戊"), 1, 0);
    xsh_query *a_none[2] = {a, none}, *a_e_b[3] = {a, e, b};
    xsh_query *and_none = xsh_query_combine(XSH_OP_AND, a_none, 2, 0), *and_sparse = xsh_query_combine(XSH_OP_AND, a_e_b, 3, 0);
    /* 丁 leads, 己 ends a fifth of the way in: the match ends with it */
    xsh_query *f = xsh_query_term("己", strlen("己"), 1, 0);
    xsh_query *d_f[2] = {d, f};
    xsh_query *and_ends = xsh_query_combine(XSH_OP_AND, d_f, 2, 0);
    /* a filter's and an exclusion's sides weigh nothing; a scale is folded in */
    xsh_query *qs[] = {a,         and_ab,      or_ab,          and_maybe, a_filter_b, a_not_c, or_scaled,
                       weightless, a_maybe_d, maybe_not_d, maybe_filter_c, maybe_or_b, c_maybe_d, c_maybe_not_d,
                       c_maybe_filter_a, and_abc, and_cda, ad_and, and_abc_or_d, and_abc_not_d, and_abc_filter_d,
                       and_cda_maybe_b, scaled_abc_or_a, scaled_and_in_and, maybe_in_and, maybe_and_weightless,
                       maybe_and_b_filter_c, two_maybes, maybe_and_or_itself, maybe_filter_maybe,
                       maybe_and_excluding,
                       and_none,  and_sparse, and_ends};
    const size_t nq = sizeof qs / sizeof qs[0];
    static const size_t limits[] = {1, 7, 40, 300};
    for (size_t qi = 0; qi < nq; qi++)
        for (int lengths = 0; lengths < 2; lengths++)
            for (size_t li = 0; li < 4; li++) {
                unsigned ids_own[300], ids_kept[300];
                double w_own[300], w_kept[300];
                const double bee = lengths ? 0.75 : 0;
                size_t n_own = ranked_page(own, qs[qi], bee, ids_own, w_own, limits[li]);
                size_t n_kept = ranked_page(kept, qs[qi], bee, ids_kept, w_kept, limits[li]);
                cr_assert_eq(n_kept, n_own, "query %zu, b %g, limit %zu", qi, bee, limits[li]);
                for (size_t i = 0; i < n_own; i++) {
                    cr_expect_eq(ids_kept[i], ids_own[i], "query %zu, b %g, limit %zu: hit %zu", qi, bee, limits[li], i);
                    cr_expect(w_kept[i] == w_own[i], "query %zu, b %g, limit %zu: weight %zu %.17g against %.17g", qi,
                              bee, limits[li], i, w_kept[i], w_own[i]);
                }
            }
    for (size_t qi = 0; qi < nq; qi++)
        xsh_query_free(qs[qi]);
    xsh_query_free(scaled_a);
    xsh_query_free(scaled_abc);
    xsh_query_free(half_ab);
    xsh_query_free(weightless_c);
    xsh_query_free(or_itself);
    xsh_query_free(nothing_not_b);
    xsh_query_free(none);
    xsh_query_free(f);
    xsh_query_free(e);
    xsh_query_free(b);
    xsh_query_free(c);
    xsh_query_free(d);
    xsh_db_close(own);
    xsh_db_close(kept);
}

static void count_nothing(void *ctx, unsigned docid)
{
    (void)ctx;
    (void)docid;
}

/* Keeps the candidates of even docid (half of them). */
static int keep_even(void *ctx, xsh_candidate *c)
{
    (void)ctx;
    return xsh_candidate_docid(c) % 2 == 0;
}

/* Keeps the candidates past docid 30: the first 10 fail together, as a document's
 * passages would (the first 32 counted would say 69 % pass for 99 %). */
static int keep_past_30(void *ctx, xsh_candidate *c)
{
    (void)ctx;
    return xsh_candidate_docid(c) > 30;
}

static int keep_all(void *ctx, xsh_candidate *c)
{
    (void)ctx;
    (void)c;
    return 1;
}

/* On a large index the total of many matches is estimated from the first ones
 * counted, at the rate they came (issue 15): two words always found together
 * (as a word's bigrams are) match a third of 3,000 passages, not the ninth that
 * taking them for independent gives. A tier nobody ranked has the share of its
 * candidates that pass checked on a sample spread over those counted (the first
 * ones failing together do not decide it); when the sample is every candidate the
 * total is theirs, exact only if all pass (the facets counted them all). */
Test(shim, a_large_count_is_estimated_at_the_rate_matches_come, .init = make_dir, .fini = remove_dir)
{
    xsh_db *w;
    xsh_err err;
    cr_assert_eq(xsh_db_open(dir, XSH_WRITE, &w, &err), 0, "%s", err.msg);
    static const char *together[] = {"营商", "环境", "其他"}, *alone[] = {"其他"};
    for (int i = 0; i < 3000; i++)
        add_passage(w, "/r/x.txt", i % 3 == 0 ? together : alone, i % 3 == 0 ? 3 : 1, "{}");
    cr_assert_eq(xsh_db_commit(w, &err), 0);
    xsh_db_close(w);
    xsh_db *db;
    cr_assert_eq(xsh_db_open(dir, XSH_READ, &db, &err), 0, "%s", err.msg);
    xsh_query *a = xsh_query_term("营商", strlen("营商"), 1, 0), *b = xsh_query_term("环境", strlen("环境"), 1, 0);
    xsh_query *ab[2] = {a, b};
    xsh_query *both = xsh_query_combine(XSH_OP_AND, ab, 2, 0);
    const unsigned first_60[] = {1}, sixty[] = {60};
    xsh_query *range = xsh_query_docid_ranges(first_60, sixty, 1);
    xsh_query *in_range[2] = {both, range};
    xsh_query *few = xsh_query_combine(XSH_OP_FILTER, in_range, 2, 0);   /* 20 candidates */
    static const struct {
        int (*decider)(void *, xsh_candidate *);
        int few;
        double truth;
        int exact;
        const char *what;
    } cases[] = {
        {NULL, 0, 1000, 0, "counted"},
        {keep_even, 0, 500, 0, "half checked"},
        {keep_past_30, 0, 990, 0, "the first 10 fail"},
        {keep_all, 1, 20, 1, "20 candidates, all pass"},
        {keep_even, 1, 10, 0, "20 candidates, half pass"},   /* the facets counted all 20 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        xsh_search_opts o;
        xsh_search_opts_init(&o);
        o.limit = 0;                               /* the count alone, as a tier below a full page */
        o.check_at_least = 100;
        o.verify_ranked = 1;
        o.on_match = count_nothing;
        o.decider = cases[i].decider;
        xsh_result *r;
        cr_assert_eq(xsh_search(db, cases[i].few ? few : both, &o, &r, &err), 0, "%s", err.msg);
        const double truth = cases[i].truth;
        cr_expect(r->estimated >= truth * 0.85 && r->estimated <= truth * 1.15, "%s: %zu estimated for %.0f",
                  cases[i].what, r->estimated, truth);
        if (cases[i].exact)
            cr_expect(r->lower == r->upper && r->estimated == (size_t)truth, "%s: exact (%zu to %zu)", cases[i].what,
                      r->lower, r->upper);
        else
            cr_expect_lt(r->lower, r->upper, "%s: an estimate says so (%zu to %zu)", cases[i].what, r->lower, r->upper);
        xsh_result_free(r);
    }
    xsh_query_free(few);
    xsh_query_free(range);
    xsh_query_free(both);
    xsh_query_free(a);
    xsh_query_free(b);
    xsh_db_close(db);
}

Test(shim, delete_by_term_and_metadata, .init = make_dir, .fini = remove_dir)
{
    xsh_db *db = sample_index();
    xsh_err err;
    size_t n;
    cr_assert_eq(xsh_db_doc_count(db, &n, &err), 0);
    cr_expect_eq(n, 3);
    cr_assert_eq(xsh_db_begin_transaction(db, &err), 0);
    cr_assert_eq(xsh_db_delete_by_term(db, "F/r/a.txt", &err), 0);
    cr_assert_eq(xsh_db_commit_transaction(db, &err), 0);
    cr_assert_eq(xsh_db_commit(db, &err), 0);
    cr_assert_eq(xsh_db_doc_count(db, &n, &err), 0);
    cr_expect_eq(n, 1);
    char *v;
    cr_assert_eq(xsh_db_get_metadata(db, "wensou:schema", &v, &err), 0);
    cr_expect_str_eq(v, "1");
    free(v);
    cr_assert_eq(xsh_db_get_metadata(db, "unset", &v, &err), 0);
    cr_expect_str_eq(v, "");
    free(v);
    /* a cancelled transaction leaves nothing behind */
    cr_assert_eq(xsh_db_begin_transaction(db, &err), 0);
    cr_assert_eq(xsh_db_delete_by_term(db, "F/r/b.txt", &err), 0);
    cr_assert_eq(xsh_db_cancel_transaction(db, &err), 0);
    cr_assert_eq(xsh_db_doc_count(db, &n, &err), 0);
    cr_expect_eq(n, 1);
    xsh_db_close(db);
}

Test(shim, error_paths_have_their_own_codes, .init = make_dir, .fini = remove_dir)
{
    xsh_db *db = NULL, *db2 = NULL;
    xsh_err err;
    char path[128];
    snprintf(path, sizeof path, "%s/missing", dir);
    cr_expect_eq(xsh_db_open(path, XSH_READ, &db, &err), XSH_ENOTFOUND, "%s", err.msg);
    cr_expect_null(db);

    db = sample_index();
    for (int k = 0; k < 3000; k++) {         /* a deep B-tree, so readers read blocks from disk */
        char word[32];
        snprintf(word, sizeof word, "init%d", k);
        const char *w[] = {word};
        add_passage(db, "/r/i.txt", w, 1, "{}");
    }
    cr_assert_eq(xsh_db_commit(db, &err), 0);
    cr_expect_eq(xsh_db_open(dir, XSH_WRITE, &db2, &err), XSH_ELOCKED, "%s", err.msg);
    cr_expect_str_eq(err.msg, "index is locked by another process");
    /* a reader works while the writer holds the lock */
    cr_assert_eq(xsh_db_open(dir, XSH_READ, &db2, &err), 0, "%s", err.msg);
    cr_expect_eq(xsh_db_set_metadata(db2, "k", "v", &err), XSH_EINVAL);
    cr_expect_eq(xsh_db_commit(db2, &err), XSH_EINVAL);

    /* a reader left behind by many commits is told to reopen */
    int modified = 0;
    for (int round = 0; round < 20 && !modified; round++) {
        cr_assert_eq(xsh_db_delete_by_term(db, "F/r/i.txt", &err), 0);
        for (int k = 0; k < 3000; k++) {    /* rewrite the blocks the reader's revision used */
            char word[32];
            snprintf(word, sizeof word, "init%d", k);
            const char *w[] = {word, "词"};
            add_passage(db, "/r/i.txt", w, 2, "{}");
        }
        cr_assert_eq(xsh_db_commit(db, &err), 0);
        char probe[32];
        snprintf(probe, sizeof probe, "init%d", round * 149 % 3000);
        xsh_query *q = xsh_query_term(probe, strlen(probe), 1, 0);
        xsh_search_opts o;
        xsh_search_opts_init(&o);
        xsh_result *r = NULL;
        int rc = xsh_search(db2, q, &o, &r, &err);
        if (rc == XSH_EMODIFIED) {
            modified = 1;
            cr_expect_eq(xsh_db_reopen(db2, &err), 0);
            cr_expect_eq(xsh_search(db2, q, &o, &r, &err), 0, "after reopen: %s", err.msg);
        }
        xsh_result_free(r);
        xsh_query_free(q);
    }
    cr_expect(modified, "DatabaseModifiedError never surfaced as XSH_EMODIFIED");
    xsh_db_close(db2);
    xsh_db_close(db);

    /* a corrupt index */
    char file[256];
    snprintf(file, sizeof file, "%s/postlist.glass", dir);
    struct stat st;
    cr_assert_eq(stat(file, &st), 0);
    int fd = open(file, O_WRONLY);
    cr_assert_geq(fd, 0);
    char junk[8192];
    memset(junk, 0x5A, sizeof junk);
    for (off_t o = 0; o < st.st_size; o += (off_t)sizeof junk)
        cr_assert_eq(write(fd, junk, sizeof junk), (ssize_t)sizeof junk);
    close(fd);
    int rc = xsh_db_open(dir, XSH_READ, &db, &err);
    if (rc == 0) {
        xsh_query *q = xsh_query_term("经济", strlen("经济"), 1, 0);
        xsh_search_opts o;
        xsh_search_opts_init(&o);
        xsh_result *r = NULL;
        rc = xsh_search(db, q, &o, &r, &err);
        xsh_result_free(r);
        xsh_query_free(q);
        xsh_db_close(db);
    }
    cr_expect(rc == XSH_ECORRUPT || rc == XSH_EIO, "corruption reported as %d: %s", rc, err.msg);
}

/* Writes text to dir/name; returns the path (static). */
static const char *stub_file(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

Test(shim, hostile_stubs_are_refused_in_one_line_and_soon, .init = make_dir, .fini = remove_dir)
{
    char shard[96];
    snprintf(shard, sizeof shard, "%s/shard", dir);
    xsh_db *db;
    xsh_err err;
    cr_assert_eq(xsh_db_open(shard, XSH_WRITE, &db, &err), 0, "%s", err.msg);
    xsh_db_close(db);
    /* eight stubs, each naming the next 1,000 times, the last naming nothing: a
     * billion billion opens unless the parse has a budget */
    char name[16], text[16000];
    for (int i = 0; i < 8; i++) {
        text[0] = 0;
        for (int k = 0; k < 1000 && i < 7; k++) {
            char line[32];
            snprintf(line, sizeof line, "auto n%d\n", i + 1);
            strcat(text, line);
        }
        snprintf(name, sizeof name, "n%d", i);
        stub_file(name, text);
    }
    char long_line[6000];
    memset(long_line, '#', sizeof long_line - 1);
    long_line[sizeof long_line - 1] = 0;
    strcpy(long_line + 5000, "\nremote 127.0.0.1:1\n");   /* a comment's tail must not be read as a line */
    const struct {
        const char *name, *text, *says;
    } cases[] = {
        {"self", "auto self\n", "nested more than 8"},
        {"n0", NULL, "more than 100000 lines"},
        {"long", long_line, "over 4 KB"},
        {"bad", "auto shard extra words\n", "not a shard"},
        {"remote", "auto shard\nremote 127.0.0.1:1\n", "--remote-shards"},
        {"empty", "# nothing\n", "lists no shard"},
        {"gone", "auto shard\nauto gone-shard\n", "gone-shard is not there"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (cases[i].text)
            stub_file(cases[i].name, cases[i].text);
        char p[128];
        snprintf(p, sizeof p, "%s/%s", dir, cases[i].name);
        db = NULL;
        int rc = xsh_db_open(p, XSH_READ, &db, &err);
        cr_expect_neq(rc, 0, "%s opened", cases[i].name);
        cr_expect_neq(rc, XSH_ENETWORK, "%s: a connection was tried", cases[i].name);
        cr_expect_not_null(strstr(err.msg, cases[i].says), "%s: %s", cases[i].name, err.msg);
        cr_expect_null(strchr(err.msg, '\n'), "%s: one line", cases[i].name);
        xsh_db_close(db);
    }
    /* a good stub of the one shard opens and reads its metadata */
    const char *good = stub_file("good", "# one shard\nauto shard\n");
    cr_assert_eq(xsh_db_open(good, XSH_READ, &db, &err), 0, "%s", err.msg);
    cr_expect_eq(xsh_db_shard_count(db), 1);
    xsh_db_close(db);
}

/* Xapian reads XAPIAN_FLUSH_THRESHOLD as a writer opens: each writer a run opens
 * (one run writes shards of different sizes in turn) is given its own batch's
 * threshold, not the first writer's. */
static const char *threshold_after_open(int flags)
{
    xsh_db *db;
    xsh_err err;
    cr_assert_eq(xsh_db_open(dir, XSH_WRITE | flags, &db, &err), 0, "%s", err.msg);
    xsh_db_close(db);
    const char *v = getenv("XAPIAN_FLUSH_THRESHOLD");
    return v ? v : "(unset)";
}

Test(shim, each_writer_flushes_as_its_own_batch_asks, .init = make_dir, .fini = remove_dir)
{
    unsetenv("XAPIAN_FLUSH_THRESHOLD");
    cr_expect_str_eq(threshold_after_open(0), "2000");
    cr_expect_str_eq(threshold_after_open(XSH_LARGE), "8000", "a large shard after a small one");
    cr_expect_str_eq(threshold_after_open(XSH_LARGE), "8000");
    cr_expect_str_eq(threshold_after_open(0), "2000", "a small shard after a large one");
}

Test(shim, a_flush_threshold_the_user_set_stays, .init = make_dir, .fini = remove_dir)
{
    setenv("XAPIAN_FLUSH_THRESHOLD", "500", 1);
    cr_expect_str_eq(threshold_after_open(XSH_LARGE), "500");
    cr_expect_str_eq(threshold_after_open(0), "500");
}
