/* search.c — one search, in tiers. Tier 0: passages that hold every query word
 * (or one of its OR alternatives) literally, as a string in the text or heading.
 * Tier 1: the same where some word is held only as a synonym. Tier 2, below them
 * and run only when they have fewer hits than asked for: passages that hold some
 * words, or a word's parts apart (经济 … 发展 for 经济发展). Literals longer than
 * one bigram are verified against the passage text inside the match, so counts are
 * exact. "total" and the facets count the full matches (tiers 0 and 1); only when
 * there are none do they count tier 2's. Then highlights and the JSON of INTERFACE.md. */
#include "engine.h"
#include "intl.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define SMALL_INDEX 20000        /* passages: up to here totals and facets are exact */
#define CHECK_AT_LEAST 5000      /* on a small index, matches examined for them */
/* One tier's match: with facets when counted; docs is the index's passage count
 * (SIZE_MAX: the count does not matter, stop at the hits asked for). */
static int run_tier(qry_engine *e, xsh_query *q, qry_verifier *v, int tier, int exact, int above_excluded, size_t docs,
                    size_t offset, size_t limit, size_t per_doc, int counted, xsh_result **out, qry_err *err)
{
    static const unsigned facet_slots[] = {WENSOU_SLOT_FILE};
    if (counted && !e->filemap)
        qry_filemap_load(e->db, &e->filemap);     /* without it, the facet reads the file slot */
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.offset = offset;
    o.limit = limit;
    /* exact totals and facets on a small index (docs passages); on a large one
     * Xapian's estimate (the tiers' cost then stays with the hits asked for) */
    o.check_at_least = docs <= SMALL_INDEX ? CHECK_AT_LEAST : offset + limit;
    o.facet_slots = facet_slots;
    o.nfacets = counted && !e->filemap ? 1 : 0;
    if (counted && e->filemap) {
        o.on_match = qry_filemap_count;
        o.on_match_ctx = e->filemap;
    }
    o.skip_data = 1;                         /* records come from the engine's cache */
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
    if (getenv("WENSOU_DEBUG_QUERY")) {
        char *d = xsh_query_describe(q);
        fprintf(stderr, "tier %d%s: %s\n", tier, exact ? "" : " (verified)", d);
        free(d);
    }
    int rc = xsh_search(e->db, q, &o, out, &xe);
    if (rc == XSH_EMODIFIED) {               /* a commit went past us: reopen and retry once */
        if (xsh_db_reopen(e->db, &xe) == 0)
            rc = xsh_search(e->db, q, &o, out, &xe);
    }
    if (rc) {
        char msg[320];
        snprintf(msg, sizeof msg, _("%s: cannot read the index (%s); re-index it"), e->db_path, xe.msg);
        return qry_fail(err, QRY_EINDEX, "%s", msg);
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int qry_search(qry_engine *e, const qry_request *req, json_t **out, qry_err *err)
{
    *out = NULL;
    double t0 = now_ms();
    if (!req || !req->q)
        return qry_fail(err, QRY_EINVAL, "%s", _("no query"));
    if (req->limit > QRY_MAX_LIMIT || req->offset > 1000000)
        return qry_fail(err, QRY_EINVAL, "%s", _("limit is at most 1000 and offset at most 1000000"));
    if (!e->db) {
        int rc = qry_engine_open_index(e, err);
        if (rc)
            return rc;
    }
    qry_engine_check_revision(e);
    e->last = NULL;
    json_decref(e->last_frags);
    if (!(e->last_frags = json_array()))
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    qry_parsed p;
    int rc = qry_parse(req->q, e->st, e->syn, &p, err);
    if (rc)
        return rc;
    qry_tiers t = qry_build_tiers(e->db, e->st, &p, qry_rank_default());
    qry_verifier verifier;
    if (qry_verifier_init(&verifier, e->st, &p) != 0) {
        for (int k = 0; k < NTIERS; k++)
            xsh_query_free(t.q[k]);
        xsh_query_free(t.every);
        qry_parsed_free(&p);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    size_t docs = 0;
    xsh_err ce;
    xsh_db_doc_count(e->db, &docs, &ce);
    json_t *hits = json_array(), *facets = json_pack("{s:{}, s:{}, s:{}}", "documents", "kinds", "years");
    json_t *per_file = json_object();
    size_t rank = req->offset, total = 0, skip = req->offset, need = req->limit;
    for (int k = 0; k < NTIERS && !rc; k++) {
        /* the best-match tier only fills the page */
        if (!t.q[k] || (k == NTIERS - 1 && need == 0 && total > 0))
            continue;
        if (k == NTIERS - 1 && total == 0 && t.every) {
            /* no passage holds the literals: total and the facets count those
             * holding every content word (its words apart, synonyms, fields) */
            xsh_result *c = NULL;
            rc = run_tier(e, t.every, &verifier, k, 1, 0, docs, 0, 0, 0, 1, &c, err);
            if (rc)
                break;
            total = c->estimated;
            qry_add_facets(e, facets, c);
            xsh_result_free(c);
        }
        int counted = k < NTIERS - 1;
        xsh_result *r = NULL;
        rc = run_tier(e, t.q[k], &verifier, k, t.exact[k], t.excludes_above[k], counted ? docs : SIZE_MAX, skip, need, req->per_doc, counted, &r, err);
        if (rc)
            break;
        if (k < NTIERS - 1)           /* all its matches are these when it ran out from the top */
            qry_verifier_note_above(&verifier, r, skip == 0 && r->nhits < need && !req->per_doc);
        if (counted) {
            total += r->estimated;
            qry_add_facets(e, facets, r);
        }
        qry_append_hits(e, &p, r, hits, &rank, req->per_doc, per_file);
        /* the next tier continues the ranking where this one ends */
        skip = skip > r->estimated ? skip - r->estimated : 0;
        need = need > r->nhits ? need - r->nhits : 0;
        xsh_result_free(r);
    }
    json_decref(per_file);
    for (int k = 0; k < NTIERS; k++)
        xsh_query_free(t.q[k]);
    xsh_query_free(t.every);
    qry_verifier_free(&verifier);
    qry_parsed_free(&p);
    if (rc) {
        json_decref(hits);
        json_decref(facets);
        return rc;
    }
    double took = now_ms() - t0;
    *out = json_pack("{s:s, s:I, s:f, s:o, s:o}", "query", req->q, "total", (json_int_t)total,
                     "took_ms", (double)(long long)(took * 1000 + 0.5) / 1000, "hits", hits, "facets", facets);
    e->last = *out;
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
}

int qry_search_text(qry_engine *e, const qry_request *req, size_t flags, char **text, size_t *len, qry_err *err)
{
    *text = NULL;
    json_t *result;
    e->lean = qry_dump_fast_flags(flags);
    int rc = qry_search(e, req, &result, err);
    e->lean = 0;
    if (rc)
        return rc;
    *text = qry_result_dumps(e, result, flags, len);
    json_decref(result);
    return *text ? 0 : qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
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
    *out = json_pack("{s:I, s:I, s:s, s:s}", "documents", (json_int_t)files, "passages", (json_int_t)passages,
                     "schema", WENSOU_SCHEMA_VERSION, "index", e->db_path);
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
}
