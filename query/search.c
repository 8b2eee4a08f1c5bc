/* search.c — one search, in tiers. Tier 0: passages that hold every query word
 * (or one of its OR alternatives) literally, as a string in the text or heading.
 * Tier 1: the same where some word is held only as a synonym. Tier 2, below them
 * and run only when they have fewer hits than asked for: the best match (tiers.c).
 * Literals longer than one bigram are verified against the passage text inside the
 * match, so counts are exact. "total" and the facets count the full matches (tiers
 * 0 and 1); when there are none, the passages holding every content word. A query
 * naming documents runs the tiers twice: within them, then over the others
 * (naming.c). Then highlights and how each hit matched (hits.c), in a typed result
 * (result.c writes its JSON). */
#include "engine.h"
#include "env_count.h"
#include "index_bytes.h"
#include "intl.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define SMALL_INDEX 20000        /* passages: up to here totals and facets are exact */
#define CHECK_AT_LEAST 5000      /* on a small index, matches examined for them */
#define COUNT_AT_LEAST 1000      /* on a large one, matches counted before estimating */

/* Passages up to which an index is small: SMALL_INDEX, or WENSOU_EXACT_LIMIT. */
static size_t small_index(void)
{
    return wensou_env_count("WENSOU_EXACT_LIMIT", SMALL_INDEX, 0);
}

/* One tier's match: with facets when counted; small: the index is small (its
 * passages at most small_index()).
 * On a small index every candidate is verified as Xapian matches it, and counted
 * tiers examine at least CHECK_AT_LEAST matches: totals and facets are exact. On a
 * large one only the ranked candidates are verified until the page is full, and
 * totals and facets are estimates from them (xsh_search_opts.verify_ranked): the
 * cost follows the page asked for, not the passages that match. */
static int run_tier(qry_engine *e, xsh_query *q, qry_verifier *v, int tier, int exact, int above_excluded, int small,
                    size_t offset, size_t limit, size_t per_doc, int counted, int unranked,
                    unsigned long long deadline_ns, xsh_result **out, qry_err *err)
{
    static const unsigned facet_slots[] = {WENSOU_SLOT_FILE};
    if (counted && !e->filemap && !xsh_db_sharded(e->db))
        qry_filemap_load(e, &e->filemap);     /* without it (a shard set), the facet reads the file slot */
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.offset = offset;
    o.limit = limit;
    /* exact totals and facets on a small index; on a large one only the ranked
     * candidates are verified (the cost stays with the page)... */
    /* ...but a pasted quotation's bigrams are found apart more often than together:
     * its candidates mostly fail, and Xapian verifies them in one pass */
    o.verify_ranked = !small && !(v->p && v->p->pasted);
    o.verify_all = small;                    /* a shard set: every candidate, as here */
    /* counted: exactly on a small index; on a large one the matches up to
     * COUNT_AT_LEAST (by weight only: the facets count a verified sample) */
    o.check_at_least = !counted ? offset + limit : small ? CHECK_AT_LEAST : COUNT_AT_LEAST;
    if (!small && !o.verify_ranked)
        o.check_at_least = offset + limit;     /* Xapian's estimate, as it verifies */
    o.facet_slots = facet_slots;
    o.nfacets = counted && !e->filemap ? 1 : 0;
    if (counted && e->filemap) {
        o.on_match = qry_filemap_count;
        o.on_match_ctx = e->filemap;
    }
    o.unranked = unranked;
    o.skip_data = !xsh_db_sharded(e->db);    /* records come from the engine's cache (a shard
                                                set's hits bring theirs: a round less each) */
    o.deadline_ns = deadline_ns;
    const qry_rank *rank = qry_rank_default();   /* rank.h: BM25's parameters */
    o.k1 = rank->k1;
    o.k3 = rank->k3;
    o.min_normlen = rank->min_normlen;
    o.b = rank->b;
    if (per_doc) {
        o.collapse_slot = WENSOU_SLOT_FILE;
        o.collapse_max = (unsigned)per_doc;
    }
    v->tier = tier;
    v->above_excluded = above_excluded;
    if (!exact) {
        o.decider = qry_verify;
        o.decider_ctx = v;
        o.decider_slot = WENSOU_SLOT_NORM;
    }
    xsh_err xe;
    int debug = getenv("WENSOU_DEBUG_QUERY") != NULL;
    if (debug) {
        char *d = xsh_query_describe(q);
        fprintf(stderr, "tier %d%s: %s\n", tier, exact ? "" : " (verified)", d);
        free(d);
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = xsh_search(e->db, q, &o, out, &xe);
    if (rc == XSH_EMODIFIED) {               /* a commit went past us: the search starts over
                                                (qry_finish_facets drops what it counted) */
        char msg[320];
        snprintf(msg, sizeof msg, _("%s: the index changed during the search (%s); search again"), e->db_path, xe.msg);
        return qry_fail(err, QRY_ERESTART, "%s", msg);
    }
    for (size_t i = 0; rc == 0 && i < (*out)->nhits; i++)
        qry_record_offer(e, (*out)->hits[i].docid, (*out)->hits[i].data, (*out)->hits[i].data_len);
    if (debug && rc == 0) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        fprintf(stderr, "  %.3f ms, %zu hits of %zu asked, %zu estimated\n",
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6, (*out)->nhits,
                limit, (*out)->estimated);
    }
    if (rc == XSH_ETIMEOUT)
        return qry_fail(err, QRY_ETIMEOUT, "%s", _("the search ran past its time limit; make the query narrower"));
    if (rc) {
        char msg[320];
        if (rc == XSH_ENETWORK)               /* nothing to re-index: a shard to bring back */
            snprintf(msg, sizeof msg, "%s: %s", e->db_path, xe.msg);
        else
            snprintf(msg, sizeof msg, _("%s: cannot read the index (%s); re-index it"), e->db_path, xe.msg);
        return qry_fail(err, QRY_EINDEX, "%s", msg);
    }
    return 0;
}

/* A page of hits as the passes fill it. */
typedef struct {
    qry_result *res;                  /* its hits, total and facets */
    json_t *per_file;                 /* hits of each file so far (per_doc) */
    size_t skip, need;                /* passes' skip and room */
    int small;                        /* the index is small: exact totals and facets */
    unsigned long long deadline_ns;   /* CLOCK_MONOTONIC; 0: none */
    size_t named_passages;            /* of the documents the query names (their records) */
} page;

/* The passages of the named files: on one index their docid ranges (a file's
 * passages are consecutive), on a shard set their F terms. NULL when out of memory. */
static xsh_query *named_files(qry_engine *e, const qry_naming *nm)
{
    unsigned *first = xsh_db_sharded(e->db) ? NULL : calloc(nm->n ? nm->n : 1, 2 * sizeof *first);
    size_t n = 0, i = 0;
    for (; first && i < nm->n && nm->files[i].ranged; i++) {
        if (nm->files[i].passages == 0)
            continue;                            /* a file without passages names none */
        first[n] = nm->files[i].first;
        first[nm->n + n++] = nm->files[i].passages;
    }
    if (first && i == nm->n) {                   /* else a record without them: the terms */
        xsh_query *q = xsh_query_docid_ranges(first, first + nm->n, n);
        free(first);
        return q;
    }
    free(first);
    xsh_query **terms = calloc(nm->n ? nm->n : 1, sizeof *terms);
    if (!terms)
        return NULL;
    n = 0;
    char term[1024];
    for (size_t i = 0; i < nm->n; i++) {
        int len = snprintf(term, sizeof term, "%s%s", WENSOU_PREFIX_FILE, nm->files[i].file);
        if (len > 0 && (size_t)len < sizeof term)
            terms[n++] = xsh_query_term(term, (size_t)len, 1, 0);
    }
    xsh_query *q = qry_combine_free(XSH_OP_OR, terms, n);
    free(terms);
    return q;
}

/* q but the passages docids[0, n) (sorted), or NULL when out of memory. */
static xsh_query *without_docids(const xsh_query *q, const unsigned *docids, size_t n)
{
    if (n == 0)
        return xsh_query_copy(q);
    unsigned *ones = malloc(n * sizeof *ones);
    if (!ones)
        return NULL;
    for (size_t i = 0; i < n; i++)
        ones[i] = 1;
    xsh_query *pair[2] = {(xsh_query *)q, xsh_query_docid_ranges(docids, ones, n)};
    free(ones);
    xsh_query *out = pair[1] ? xsh_query_combine(XSH_OP_AND_NOT, pair, 2, 0) : NULL;
    xsh_query_free(pair[1]);
    return out;
}

/* One pass of p's tiers over the passages `where` lets through (op FILTER: only
 * those; AND_NOT: all but those; where NULL: all), adding to the page. A p without
 * units lists the passages in document order. shown is the query the hits'
 * highlights mark. */
/* Drops r's hits outside [skip, skip + need). */
static void keep_slice(xsh_result *r, size_t skip, size_t need)
{
    size_t n = 0;
    for (size_t i = 0; i < r->nhits; i++) {
        if (i >= skip && n < need)
            r->hits[n++] = r->hits[i];
        else {
            free(r->hits[i].data);
            for (size_t t = 0; t < r->hits[i].nterms; t++)
                free(r->hits[i].terms[t]);
            free(r->hits[i].terms);
        }
    }
    r->nhits = n;
}

#define OUTLINE_MAX 2000         /* passages: a listing up to this long is shown as an outline */

typedef struct {
    xsh_hit hit;
    size_t depth, pos;
} outline_entry;

static int cmp_outline(const void *a, const void *b)
{
    const outline_entry *x = a, *y = b;
    if (x->depth != y->depth)
        return x->depth < y->depth ? -1 : 1;
    return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* A listing without words (a query that only names documents) as an outline: the
 * passages at the top of the documents' structure first (the preface, each
 * chapter's opening before its sections), each level in document order; then
 * keeps [skip, skip + need) of it. r holds the whole listing in docid order. */
static void outline_order(qry_engine *e, xsh_result *r, size_t skip, size_t need)
{
    outline_entry *o = malloc(r->nhits * sizeof *o);
    if (!o)
        return;                               /* document order, then: still a listing */
    for (size_t i = 0; i < r->nhits; i++) {
        json_t *rec = qry_record(e, r->hits[i].docid);
        o[i].hit = r->hits[i];
        o[i].depth = rec ? json_array_size(json_object_get(rec, "section")) : SIZE_MAX;
        o[i].pos = i;
    }
    qsort(o, r->nhits, sizeof *o, cmp_outline);
    for (size_t i = 0; i < r->nhits; i++)
        r->hits[i] = o[i].hit;
    keep_slice(r, skip, need);
    free(o);
}

#define CROWD_WINDOW 30          /* hits: the top of a tier's ranking spread over documents */
#define CROWD_PER_DOC 4          /* a document's hits in it before the others' come first (3 cost
                                    the keyword half of bench/eval 0.002: 横琴 is one report's) */

/* Whether some document has more than CROWD_PER_DOC of r's hits. */
static int crowded(qry_engine *e, const xsh_result *r)
{
    json_t *seen = json_object();
    int over = 0;
    for (size_t i = 0; seen && i < r->nhits && !over; i++) {
        const char *file = json_string_value(json_object_get(qry_record(e, r->hits[i].docid), "file"));
        json_int_t n = file ? json_integer_value(json_object_get(seen, file)) + 1 : 0;
        if (file)
            json_object_set_new(seen, file, json_integer(n));
        over = n > CROWD_PER_DOC;
    }
    json_decref(seen);
    return over;
}

/* The top CROWD_WINDOW hits of r (a tier from its first hit) spread over the
 * documents: a document's hits past its first CROWD_PER_DOC move after the other
 * documents' (in their order), so a broad query's first page is not one report's
 * list; then keeps [skip, skip + need). */
static void crowd_order(qry_engine *e, xsh_result *r, size_t skip, size_t need)
{
    size_t w = r->nhits < CROWD_WINDOW ? r->nhits : CROWD_WINDOW;
    xsh_hit *order = malloc(w * sizeof *order);
    json_t *seen = json_object();
    if (order && seen) {
        size_t front = 0, back = 0;
        xsh_hit *later = malloc(w * sizeof *later);
        for (size_t i = 0; later && i < w; i++) {
            json_t *rec = qry_record(e, r->hits[i].docid);
            const char *file = json_string_value(json_object_get(rec, "file"));
            json_int_t n = file ? json_integer_value(json_object_get(seen, file)) : 0;
            if (file)
                json_object_set_new(seen, file, json_integer(n + 1));
            if (n < CROWD_PER_DOC)
                order[front++] = r->hits[i];
            else
                later[back++] = r->hits[i];
        }
        if (later) {
            memcpy(order + front, later, back * sizeof *later);
            memcpy(r->hits, order, w * sizeof *order);
        }
        free(later);
    }
    free(order);
    json_decref(seen);
    keep_slice(r, skip, need);
}

#define WIDE_POSTINGS 100000    /* a character's bigrams this many postings together: too wide to rank */

/* WIDE_POSTINGS, or WENSOU_WIDE_POSTINGS (tests: a small index's characters as wide). */
static size_t wide_postings(void)
{
    return wensou_env_count("WENSOU_WIDE_POSTINGS", WIDE_POSTINGS, 0);
}

/* On a large index, the query is one Han character alone, whose bigrams (and
 * unigram) hold more than WIDE_POSTINGS postings together: ranking them would walk every one (的: 548,000
 * on the corpus x1000, 46 ms), so its passages are listed in index order instead. */
static int one_wide_character(qry_engine *e, const qry_parsed *p, int small)
{
    if (small || p->n != 1 || p->units[0].negated || strlen(p->units[0].norm) != 3)
        return 0;
    unsigned char lead = (unsigned char)p->units[0].norm[0];       /* U+4E00–U+9FFF */
    if (lead < 0xE4 || lead > 0xE9)
        return 0;
    size_t postings = 0;
    xsh_err xe;
    const size_t wide = wide_postings();
    return xsh_db_prefix_postings(e->db, p->units[0].norm, 3, wide, &postings, &xe) == 0 && postings > wide;
}

/* Which files' fields hold each word, loaded once per revision (NULL when it cannot
 * be: words are then asked of the headings alone). */
static qry_fieldmap *word_fields(qry_engine *e)
{
    if (!e->fieldmap)
        qry_fieldmap_load(e, &e->fieldmap);
    return e->fieldmap;
}

static int run_pass(qry_engine *e, const qry_request *req, const qry_parsed *p, const qry_parsed *shown,
                    const xsh_query *where, xsh_op op, page *pg, qry_err *err)
{
    qry_tiers t = {{NULL, NULL, NULL}, {1, 1, 1}, {0, 0, 0}, NULL};
    if (p->n)
        t = qry_build_tiers(e->db, e->st, p, qry_rank_default(), word_fields(e));
    else
        t.q[0] = xsh_query_match_all();         /* weightless: ties go in docid order */
    /* the query's own terms: the named documents' filter (where) is bounded by
     * naming itself and costs a posting list per file, not an expansion */
    const int debug = getenv("WENSOU_DEBUG_QUERY") != NULL;
    size_t terms = 0;
    for (int k = 0; k <= NTIERS; k++)        /* a bound, enough when under the limit */
        terms += xsh_query_leaf_count(k < NTIERS ? t.q[k] : t.every);
    if (terms > QRY_MAX_TERMS || debug) {    /* the distinct terms */
        terms = 0;
        for (int k = 0; k <= NTIERS; k++)
            terms += xsh_query_term_count(k < NTIERS ? t.q[k] : t.every);
    }
    for (int k = 0; where && k <= NTIERS; k++) {
        xsh_query **q = k < NTIERS ? &t.q[k] : &t.every;
        if (!*q)
            continue;
        xsh_query *pair[2] = {*q, (xsh_query *)where};
        xsh_query *c = xsh_query_combine(op, pair, 2, 0);
        xsh_query_free(*q);
        *q = c;
    }
    if (debug)
        fprintf(stderr, "terms: %zu\n", terms);
    int unranked = one_wide_character(e, p, pg->small);
    qry_verifier verifier;
    int rc = qry_verifier_init(&verifier, e->st, p) != 0 ? qry_fail(err, QRY_ENOMEM, "%s", _("out of memory")) : 0;
    if (!rc && terms > QRY_MAX_TERMS) {
        char msg[200];
        snprintf(msg, sizeof msg, _("the query asks for %zu index terms once expanded, more than %d: "
                                    "use fewer words or alternatives"), terms, QRY_MAX_TERMS);
        rc = qry_fail(err, QRY_ETOOCOMPLEX, "%s", msg);
    }
    for (int k = 0; k < NTIERS && !rc; k++) {
        /* the best-match tier only fills the page */
        if (!t.q[k] || (k == NTIERS - 1 && pg->need == 0 && pg->res->total > 0))
            continue;
        if (k == NTIERS - 1 && pg->res->total == 0 && t.every) {
            /* no passage holds the literals: total and the facets count those
             * holding every content word (its words apart, synonyms, fields) */
            xsh_result *c = NULL;
            rc = run_tier(e, t.every, &verifier, k, 1, 0, pg->small, 0, 0, 0, 1, 0, pg->deadline_ns, &c, err);
            if (rc)
                break;
            pg->res->total = c->estimated;
            pg->res->total_is_estimate |= c->lower != c->upper;
            qry_add_facets(e, &pg->res->facets, c);
            xsh_result_free(c);
        }
        int counted = k < NTIERS - 1;
        /* the named documents' passages alone: fetched whole, shown as an outline */
        int outline = !p->n && where && op == XSH_OP_FILTER && !req->per_doc && pg->need &&
                      pg->named_passages <= OUTLINE_MAX;
        /* words over documents the query does not name: the top of the ranking is
         * fetched whole and spread over the documents (crowd_order) */
        int crowd = p->n && !(where && op == XSH_OP_FILTER) && !req->per_doc && !p->pasted && pg->need &&
                    pg->skip < CROWD_WINDOW;
        size_t off = pg->skip, lim = pg->need;
        if (outline) {
            off = 0;
            lim = OUTLINE_MAX;
        }
        /* the partial tier once every passage above is known: those passages
         * excluded by docid, it needs no check (nor a ranked batch to check) */
        int exact = t.exact[k];
        xsh_query *q = t.q[k], *by_docid = NULL;
        if (!exact && k == NTIERS - 1 && !xsh_db_sharded(e->db) && qry_verifier_by_docid(&verifier)) {
            by_docid = without_docids(q, verifier.above, verifier.nabove);
            if (by_docid) {
                q = by_docid;
                exact = 1;
            }
        }
        xsh_result *r = NULL;
        rc = run_tier(e, q, &verifier, k, exact, t.excludes_above[k], pg->small, off,
                      lim, req->per_doc, counted, unranked, pg->deadline_ns, &r, err);
        /* a page crowded by one document: the top of the ranking again, to spread */
        if (!rc && crowd && (pg->skip > 0 || crowded(e, r))) {
            xsh_result_free(r);
            r = NULL;
            if (counted && e->filemap)          /* the match is counted again below */
                qry_filemap_forget(e->filemap);
            off = 0;
            lim = pg->skip + pg->need > CROWD_WINDOW ? pg->skip + pg->need : CROWD_WINDOW;
            rc = run_tier(e, q, &verifier, k, exact, t.excludes_above[k], pg->small, off,
                          lim, req->per_doc, counted, unranked, pg->deadline_ns, &r, err);
        } else
            crowd = 0;
        xsh_query_free(by_docid);
        if (rc)
            break;
        if (k < NTIERS - 1)           /* all its matches are these when it ran out from the top */
            qry_verifier_note_above(&verifier, r, off == 0 && r->nhits < lim && !req->per_doc);
        if (outline)
            outline_order(e, r, pg->skip, pg->need);
        else if (crowd)
            crowd_order(e, r, pg->skip, pg->need);
        if (counted) {
            pg->res->total += r->estimated;
            pg->res->total_is_estimate |= r->lower != r->upper;
            qry_add_facets(e, &pg->res->facets, r);
        }
        qry_append_hits(e, shown, p->n ? k : 3, r, pg->res, req->offset, req->per_doc, pg->per_file);
        /* the next tier continues the ranking where this one ends */
        pg->skip = pg->skip > r->estimated ? pg->skip - r->estimated : 0;
        pg->need = pg->need > r->nhits ? pg->need - r->nhits : 0;
        xsh_result_free(r);
    }
    for (int k = 0; k < NTIERS; k++)
        xsh_query_free(t.q[k]);
    xsh_query_free(t.every);
    qry_verifier_free(&verifier);
    return rc;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One search on the engine's revision; QRY_ERESTART when a commit overtook it. */
static int search_once(qry_engine *e, const qry_request *req, double t0, qry_result **out, qry_err *err)
{
    *out = NULL;
    if (!req || !req->q)
        return qry_fail(err, QRY_EINVAL, "%s", _("no query"));
    if (req->limit > QRY_MAX_LIMIT || req->offset > 1000000)
        return qry_fail(err, QRY_EINVAL, "%s", _("limit is at most 1000 and offset at most 1000000"));
    if (!qry_json_text(req->q))                   /* it is echoed in the answer */
        return qry_fail(err, QRY_EQUERY, "%s", _("the query is not valid UTF-8 text"));
    if (!e->db) {
        int rc = qry_engine_open_index(e, err);
        if (rc)
            return rc;
    }
    qry_engine_check_revision(e);
    qry_parsed p;
    int rc = qry_parse(req->q, e->st, qry_engine_synonyms(e), &p, err);
    if (rc)
        return rc;
    if (qry_region_files(e, &p) != 0) {
        qry_parsed_free(&p);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    page pg = {calloc(1, sizeof *pg.res), json_object(), req->offset, req->limit, 0, 0, 0};
    if (pg.res)
        pg.res->query = strdup(req->q);
    if (!pg.res || !pg.res->query || !pg.per_file) {
        qry_result_free(pg.res);
        json_decref(pg.per_file);
        qry_parsed_free(&p);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    if (req->timeout_ms)
        pg.deadline_ns = (unsigned long long)(t0 * 1e6) + (unsigned long long)req->timeout_ms * 1000000ull;
    xsh_err ce;
    size_t docs = 0;
    xsh_db_doc_count(e->db, &docs, &ce);
    pg.small = docs <= small_index();         /* read once a search */
    /* a shard set's prefixes are spelled out, weighed over all its shards (until
     * the end of this search: no return before it) */
    xsh_query_expand_in(xsh_db_sharded(e->db) ? e->db : NULL);
    qry_naming nm;
    rc = qry_name_documents(e, &p, &nm);
    if (!rc && nm.n) {
        /* a query that names documents: their passages first, ranked by its other
         * words (in document order when it has none), then everyone's by it all */
        xsh_query *named = named_files(e, &nm);
        if (!named)
            named = xsh_query_match_nothing();   /* the named pass then lists nothing */
        for (size_t i = 0; i < nm.n; i++)
            pg.named_passages += nm.files[i].passages;
        size_t required = 0;
        for (size_t i = 0; i < p.n; i++)
            required += !p.units[i].optional;
        qry_parsed none;
        memset(&none, 0, sizeof none);
        rc = run_pass(e, req, required ? &p : &none, &p, named, XSH_OP_FILTER, &pg, err);
        qry_naming_unmark(&p);
        if (!rc)
            rc = run_pass(e, req, &p, &p, named, XSH_OP_AND_NOT, &pg, err);
        xsh_query_free(named);
    } else if (!rc) {
        rc = run_pass(e, req, &p, &p, NULL, XSH_OP_FILTER, &pg, err);
    }
    qry_naming_free(&nm);
    qry_finish_facets(e, rc ? NULL : &pg.res->facets);
    const qry_facets *f = &pg.res->facets;
    if (!rc && (f->documents.failed || f->kinds.failed || f->years.failed || f->regions.failed))
        rc = qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    json_decref(pg.per_file);
    qry_parsed_free(&p);
    xsh_query_expand_in(NULL);
    if (rc) {
        qry_result_free(pg.res);
        return rc;
    }
    double took = now_ms() - t0;
    pg.res->took_ms = (double)(long long)(took * 1000 + 0.5) / 1000;
    *out = pg.res;
    return 0;
}

/* A commit that overtakes a search (Xapian's DatabaseModifiedError) makes it start
 * over, once, on the latest revision: everything it had built (named documents' and
 * field words' docid ranges, the facets' counts) belonged to the revision it lost. */
int qry_search(qry_engine *e, const qry_request *req, qry_result **out, qry_err *err)
{
    double t0 = now_ms();
    int rc = search_once(e, req, t0, out, err);
    if (rc == QRY_ERESTART) {
        xsh_db_mark_stale(e->db);            /* a newer revision exists, whatever a stat says */
        rc = qry_engine_reopen(e, err);
        if (!rc)
            rc = search_once(e, req, t0, out, err);
        if (rc == QRY_ERESTART) {            /* overtaken twice: err's message says so */
            rc = QRY_EINDEX;
            if (err)
                err->code = rc;
        }
    }
    return rc;
}

static int count_key(void *ctx, const char *key)
{
    (void)key;
    ++*(size_t *)ctx;
    return 0;
}

int qry_stats(qry_engine *e, json_t **out, qry_err *err)
{
    *out = NULL;
    if (!e->db) {
        int rc = qry_engine_open_index(e, err);
        if (rc)
            return rc;
    }
    size_t passages = 0, files = 0;
    xsh_err xe;
    if (xsh_db_doc_count(e->db, &passages, &xe) || xsh_db_metadata_keys(e->db, WENSOU_META_FILE, count_key, &files, &xe))
        return qry_fail(err, QRY_EINDEX, "%s", xe.msg);
    unsigned long revision = 0;
    xsh_db_revision(e->db, &revision, &xe);
    *out = json_pack("{s:I, s:I, s:s, s:s, s:I, s:I}", "documents", (json_int_t)files, "passages", (json_int_t)passages,
                     "schema", WENSOU_SCHEMA_VERSION, "index", e->db_path, "revision", (json_int_t)revision, "bytes",
                     (json_int_t)wensou_index_bytes(e->db_path));
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
}
