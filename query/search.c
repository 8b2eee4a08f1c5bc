/* search.c — one search, in tiers. Tier 0: passages that hold every query word
 * (or one of its OR alternatives) literally, as a string in the text or heading.
 * Tier 1: the same where some word is held only as a synonym. Tier 2, below them
 * and run only when they have fewer hits than asked for: passages that hold some
 * words, or a word's parts apart (经济 … 发展 for 经济发展). Literals longer than
 * one bigram are verified against the passage text inside the match, so counts are
 * exact. "total" and the facets count the full matches (tiers 0 and 1); only when
 * there are none do they count tier 2's. Then highlights and the JSON of INTERFACE.md. */
#include "qry_int.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#define SMALL_INDEX 20000        /* passages: up to here totals and facets are exact */
#define CHECK_AT_LEAST 5000      /* on a small index, matches examined for them */
#define LITERAL_BOOST 2.0        /* in tier 2, a literal match outranks words apart */

#define RECORD_CACHE 4096        /* parsed passage records kept per engine (direct-mapped by docid) */
#define NORM_CACHE 1024          /* normalised passage texts, for highlights (the same way) */

typedef struct {
    unsigned docid;
    json_t *rec;
    json_t *frag;                /* its fields as JSON text without the braces (a string), or NULL */
} cached_record;

typedef struct {
    unsigned docid;
    qry_normtext nt;             /* owned copy; nt.s NULL when the slot is empty */
} cached_norm;

struct qry_engine {
    char *db_path;
    xsh_db *db;                  /* NULL until an index exists */
    cached_record *cache;        /* records of this revision; docids are never reused in one index */
    cached_norm *norms;          /* their normalised texts */
    json_t *files;               /* file → what its passages share (file_shared) */
    qry_filemap *filemap;        /* docid → file, for the facets; NULL until needed */
    const json_t *last;          /* the last result qry_search returned (identity only) */
    json_t *last_frags;          /* its hits' record fragments, in order */
    unsigned long revision;
    const seg_dict *dict;
    const qry_synonyms *syn;
    seg_state *st;
};

static int open_index(qry_engine *e, qry_err *err)
{
    xsh_err xe;
    int rc = xsh_db_open(e->db_path, XSH_READ, &e->db, &xe);
    if (rc == XSH_ENOTFOUND)
        return qry_fail(err, QRY_ENOINDEX, "%s: no index here (run wensou index first)", e->db_path);
    if (rc) {
        char msg[320];
        snprintf(msg, sizeof msg, "%s: cannot open the index (%s)%s", e->db_path, xe.msg,
                 rc == XSH_ELOCKED ? "" : "; re-index it");
        return qry_fail(err, QRY_EINDEX, "%s", msg);
    }
    char *v = NULL;
    if (xsh_db_get_metadata(e->db, WENSOU_META_SCHEMA, &v, &xe) != 0 || strcmp(v, WENSOU_SCHEMA_VERSION) != 0) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: index of schema version %s, this wensou reads %s: delete it and re-index",
                 e->db_path, v && v[0] ? v : "(none)", WENSOU_SCHEMA_VERSION);
        free(v);
        xsh_db_close(e->db);
        e->db = NULL;
        return qry_fail(err, QRY_ESCHEMA, "%s", msg);
    }
    free(v);
    return 0;
}

int qry_engine_open(const char *db_path, const seg_dict *d, const qry_synonyms *syn, qry_engine **out, qry_err *err)
{
    *out = NULL;
    qry_engine *e = calloc(1, sizeof *e);
    if (!e || !(e->db_path = strdup(db_path)) || seg_state_new(d, &e->st) != 0) {
        if (e)
            free(e->db_path);
        free(e);
        return qry_fail(err, QRY_ENOMEM, "%s", "out of memory");
    }
    e->dict = d;
    e->syn = syn;
    e->cache = calloc(RECORD_CACHE, sizeof *e->cache);
    e->norms = calloc(NORM_CACHE, sizeof *e->norms);
    e->files = json_object();
    if (!e->cache || !e->norms || !e->files) {
        qry_engine_close(e);
        return qry_fail(err, QRY_ENOMEM, "%s", "out of memory");
    }
    int rc = open_index(e, err);
    if (rc && rc != QRY_ENOINDEX) {
        qry_engine_close(e);
        return rc;
    }
    *out = e;                     /* without an index yet: searches say so until one exists */
    return 0;
}

static void cache_clear(qry_engine *e)
{
    for (size_t i = 0; e->cache && i < RECORD_CACHE; i++) {
        json_decref(e->cache[i].rec);
        json_decref(e->cache[i].frag);
        e->cache[i].frag = NULL;
        e->cache[i].rec = NULL;
        e->cache[i].docid = 0;
    }
    for (size_t i = 0; e->norms && i < NORM_CACHE; i++) {
        qry_normtext_free(&e->norms[i].nt);
        e->norms[i].docid = 0;
    }
    if (e->files)
        json_object_clear(e->files);
    qry_filemap_free(e->filemap);
    e->filemap = NULL;
}

/* What the passages of file share ({"title","date","kind","year"}, borrowed; empty
 * when unknown), from its metadata record, kept per revision. */
static json_t *file_shared(qry_engine *e, const char *file)
{
    json_t *info = json_object_get(e->files, file);
    if (info)
        return info;
    size_t klen = strlen(WENSOU_META_FILE) + strlen(file) + 1;
    char *key = malloc(klen), *v = NULL;
    xsh_err xe;
    if (key) {
        snprintf(key, klen, "%s%s", WENSOU_META_FILE, file);
        xsh_db_get_metadata(e->db, key, &v, &xe);
    }
    json_t *meta = v ? json_loads(v, 0, NULL) : NULL;
    free(key);
    free(v);
    info = json_object();
    static const char *fields[] = {"title", "date", "kind"};
    for (size_t i = 0; i < 3 && info; i++)
        json_object_set(info, fields[i], json_object_get(meta, fields[i]) ? json_object_get(meta, fields[i]) : json_null());
    const char *date = json_string_value(json_object_get(meta, "date"));
    if (info && date && strlen(date) >= 4)
        json_object_set_new(info, "year", json_stringn(date, 4));
    json_decref(meta);
    if (info)
        json_object_set_new(e->files, file, info);
    return info;
}

/* The passage record of docid as a hit shows it (file, title, date, kind, then
 * the passage's own fields), made once per revision (a borrowed reference). */
static json_t *record(qry_engine *e, unsigned docid)
{
    cached_record *slot = &e->cache[docid % RECORD_CACHE];
    if (slot->rec && slot->docid == docid)
        return slot->rec;
    char *data = NULL;
    size_t len = 0;
    xsh_err xe;
    if (xsh_db_get_data(e->db, docid, &data, &len, &xe) != 0)
        return NULL;
    json_t *stored = json_loadb(data, len, 0, NULL);
    free(data);
    const char *file = json_string_value(json_object_get(stored, "file"));
    if (!json_is_object(stored) || !file) {
        json_decref(stored);
        return NULL;
    }
    json_t *rec = json_pack("{s:s}", "file", file), *shared = file_shared(e, file);
    static const char *fields[] = {"title", "date", "kind"};
    for (size_t i = 0; i < 3 && rec; i++)
        json_object_set(rec, fields[i], json_object_get(shared, fields[i]) ? json_object_get(shared, fields[i]) : json_null());
    if (rec)
        json_object_update_missing(rec, stored);
    json_decref(stored);
    if (!rec)
        return NULL;
    json_decref(slot->rec);
    json_decref(slot->frag);
    slot->frag = NULL;
    slot->rec = rec;
    slot->docid = docid;
    return rec;
}

void qry_engine_close(qry_engine *e)
{
    if (!e)
        return;
    cache_clear(e);
    free(e->cache);
    free(e->norms);
    json_decref(e->files);
    json_decref(e->last_frags);
    xsh_db_close(e->db);
    seg_state_free(e->st);
    free(e->db_path);
    free(e);
}

int qry_engine_reopen(qry_engine *e, qry_err *err)
{
    if (!e->db)
        return open_index(e, err);
    xsh_err xe;
    if (xsh_db_refresh(e->db, &xe) != 0)
        return qry_fail(err, QRY_EINDEX, "%s", xe.msg);
    return 0;
}

/* ---- building the tiers ---- */

typedef struct {
    xsh_query *q[64];
    size_t n;
} qlist;

static void ql_add(qlist *l, xsh_query *q)
{
    if (q && l->n < 64)
        l->q[l->n++] = q;
    else
        xsh_query_free(q);
}

static xsh_query *ql_combine(qlist *l, xsh_op op)
{
    xsh_query *q = qry_combine_free(op, l->q, l->n);
    l->n = 0;
    return q;
}

static xsh_query *with(xsh_op op, xsh_query *a, xsh_query *b)
{
    if (!b)
        return a;
    xsh_query *pair[2] = {a, b};
    xsh_query *q = xsh_query_combine(op, pair, 2, 0);
    xsh_query_free(a);
    xsh_query_free(b);
    return q;
}

/* A literal in the text or the heading the passage stands under; *exact is
 * cleared when matches need checking. */
static xsh_query *literal(seg_state *st, const char *text, int *exact)
{
    int ex;
    xsh_query *q = qry_literal(st, text, &ex);
    *exact &= ex;
    return q;
}

/* u's synonyms as literals (text or heading), or NULL when it has none. */
static xsh_query *synonym_literals(seg_state *st, const qry_unit *u, int *exact)
{
    qlist alts = {0};
    for (size_t i = 0; i < u->nalts; i++)
        ql_add(&alts, literal(st, u->alts[i], exact));
    return ql_combine(&alts, XSH_OP_OR);
}

/* u's words anywhere, and its synonyms' (a quoted phrase has no such loose match). */
static xsh_query *unit_loose(seg_state *st, const qry_unit *u)
{
    if (u->phrase)
        return NULL;
    qlist l = {0};
    ql_add(&l, qry_loose(st, u->norm));
    for (size_t i = 0; i < u->nalts; i++)
        ql_add(&l, qry_loose(st, u->alts[i]));
    return ql_combine(&l, XSH_OP_OR);
}

#define NTIERS 3
/* Tier 0: every word held exactly (in the text or its heading). Tier 1: every word
 * held, some only as a synonym. Tier 2: the rest that matches some word, or its
 * parts apart. Without synonyms tier 1 is empty and not run. */
typedef struct {
    xsh_query *q[NTIERS];        /* NULL: the tier is not run */
    int exact[NTIERS];           /* the tier's query says exactly what it holds: no
                                    literal needs checking against the text */
    int excludes_above[NTIERS];  /* its query is AND_NOT the (exact) tier above */
} tiers;

static tiers build_tiers(qry_engine *e, const qry_parsed *p)
{
    tiers t = {{NULL, NULL, NULL}, {1, 1, 1}, {0, 0, 0}};
    int words_exact = 1, synonyms_exact = 1;
    qlist exact_all = {0}, syn_all = {0}, any = {0}, words = {0}, neg = {0};
    int synonyms = 0;
    for (size_t s = 0; s < p->nslots; s++) {
        qlist lit = {0}, alt = {0}, loose = {0};
        for (size_t i = 0; i < p->n; i++) {
            const qry_unit *u = &p->units[i];
            if (u->slot != s)
                continue;
            if (u->negated) {                /* -word: held in text or heading (no synonyms) */
                int ex = 1;
                xsh_query *l = qry_literal(e->st, u->norm, &ex);
                if (ex)
                    ql_add(&neg, l);
                else {                   /* an inexact exclusion is checked on the text */
                    xsh_query_free(l);
                    words_exact = 0;
                }
                continue;
            }
            ql_add(&lit, literal(e->st, u->norm, &words_exact));
            xsh_query *sl = synonym_literals(e->st, u, &synonyms_exact);
            synonyms |= sl != NULL;
            ql_add(&alt, sl);            /* none: the slot's literals stand alone */
            ql_add(&loose, unit_loose(e->st, u));
        }
        if (lit.n == 0)
            continue;
        xsh_query *slot_lit = ql_combine(&lit, XSH_OP_OR);
        xsh_query *slot_alt = ql_combine(&alt, XSH_OP_OR);
        xsh_query *slot_any_lit = with(XSH_OP_OR, xsh_query_copy(slot_lit), slot_alt ? xsh_query_copy(slot_alt) : NULL);
        xsh_query *slot_loose = ql_combine(&loose, XSH_OP_OR);
        xsh_query *boosted = xsh_query_scale(slot_any_lit, LITERAL_BOOST);
        xsh_query_free(slot_any_lit);
        ql_add(&any, with(XSH_OP_OR, boosted, slot_loose ? xsh_query_copy(slot_loose) : NULL));
        ql_add(&words, slot_loose);
        ql_add(&exact_all, slot_lit);
        ql_add(&syn_all, with(XSH_OP_OR, xsh_query_copy(exact_all.q[exact_all.n - 1]), slot_alt));
    }
    xsh_query *negs = ql_combine(&neg, XSH_OP_OR);
    xsh_query *rank = ql_combine(&words, XSH_OP_OR);   /* words as words add to the rank */
    if (exact_all.n == 0) {                  /* filters only: everything they let through */
        t.q[0] = xsh_query_match_all();
        xsh_query_free(ql_combine(&syn_all, XSH_OP_OR));
        xsh_query_free(ql_combine(&any, XSH_OP_OR));
    } else {
        t.q[0] = with(XSH_OP_AND_MAYBE, ql_combine(&exact_all, XSH_OP_AND), rank ? xsh_query_copy(rank) : NULL);
        xsh_query *s1 = ql_combine(&syn_all, XSH_OP_AND);
        t.q[1] = synonyms ? with(XSH_OP_AND_MAYBE, s1, rank ? xsh_query_copy(rank) : NULL) : (xsh_query_free(s1), NULL);
        t.q[2] = ql_combine(&any, XSH_OP_OR);
    }
    xsh_query_free(rank);
    /* tier 0 checks its words; the tiers below check that a passage is not above */
    t.exact[0] = words_exact;
    t.exact[1] = t.exact[2] = words_exact && synonyms_exact;
    xsh_query *filters = qry_filters(e->db, e->st, p);
    for (int k = 0; k < NTIERS; k++) {
        if (!t.q[k])
            continue;
        if (filters)
            t.q[k] = with(XSH_OP_FILTER, t.q[k], xsh_query_copy(filters));
        if (negs)
            t.q[k] = with(XSH_OP_AND_NOT, t.q[k], xsh_query_copy(negs));
    }
    xsh_query_free(filters);
    xsh_query_free(negs);
    /* below an exact tier, a tier is simply what the one above lacks */
    xsh_query *above = NULL;
    int above_exact = 0;
    for (int k = 0; k < NTIERS; k++) {
        if (!t.q[k])
            continue;
        xsh_query *mine = xsh_query_copy(t.q[k]);
        if (above && above_exact) {
            t.q[k] = with(XSH_OP_AND_NOT, t.q[k], above);
            t.excludes_above[k] = 1;
        } else
            xsh_query_free(above);
        above = mine;
        above_exact = t.exact[k];
    }
    xsh_query_free(above);
    return t;
}

/* ---- results ---- */

typedef struct { size_t s, e; } range;

static int cmp_range(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s ? 1 : (x->e > y->e) - (x->e < y->e);
}

typedef struct {
    range *r;
    size_t n, cap;
} ranges;

static void add_matches(ranges *rs, const qry_normtext *nt, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return;
    for (const char *p = strstr(nt->s, needle); p; p = strstr(p + nl, needle)) {
        if (rs->n == rs->cap) {
            size_t cap = rs->cap ? rs->cap * 2 : 16;
            range *nr = realloc(rs->r, cap * sizeof *nr);
            if (!nr)
                return;
            rs->r = nr;
            rs->cap = cap;
        }
        size_t a = (size_t)(p - nt->s);
        qry_normtext_map(nt, a, a + nl, &rs->r[rs->n].s, &rs->r[rs->n].e);
        rs->n++;
    }
}

typedef struct {
    ranges *rs;
    const qry_normtext *nt;
} word_hl;

static int highlight_word(void *ctx, const seg_token *t)
{
    word_hl *w = ctx;
    if (t->kind != SEG_KIND_WORD)
        return 0;
    char buf[256];
    if (t->norm_len >= sizeof buf)
        return 0;
    memcpy(buf, t->norm, t->norm_len);
    buf[t->norm_len] = 0;
    add_matches(w->rs, w->nt, buf);
    return 0;
}

/* The normalised text of docid's passage text, or NULL. Cached by docid (one
 * docid is one passage text in a revision); src is text, valid while it is. */
static const qry_normtext *normalised(qry_engine *e, unsigned docid, const char *text)
{
    cached_norm *slot = &e->norms[docid % NORM_CACHE];
    if (slot->nt.s && slot->docid == docid) {
        slot->nt.src = text;
        return &slot->nt;
    }
    qry_normtext_free(&slot->nt);
    if (qry_normalize(e->st, text, strlen(text), &slot->nt) != 0)
        return NULL;
    slot->docid = docid;
    return &slot->nt;
}

/* Byte ranges in the passage text of the literals it holds, else of their words. */
static json_t *highlights(qry_engine *e, const qry_parsed *p, unsigned docid, const char *text)
{
    json_t *out = json_array();
    const qry_normtext *nt = normalised(e, docid, text);
    if (!nt)
        return out;
    ranges rs = {0};
    for (size_t i = 0; i < p->n; i++) {
        const qry_unit *u = &p->units[i];
        if (u->negated)
            continue;
        size_t before = rs.n;
        add_matches(&rs, nt, u->norm);
        for (size_t k = 0; k < u->nalts; k++)
            add_matches(&rs, nt, u->alts[k]);
        if (rs.n == before) {               /* not held literally: its words apart */
            word_hl w = {&rs, nt};
            seg_cut(e->st, u->norm, strlen(u->norm), SEG_MODE_ACCURATE, 0, highlight_word, &w);
        }
    }
    if (rs.n)
        qsort(rs.r, rs.n, sizeof *rs.r, cmp_range);
    size_t m = 0;
    for (size_t i = 0; i < rs.n; i++) {     /* merge overlapping ranges */
        if (m > 0 && rs.r[i].s <= rs.r[m - 1].e) {
            if (rs.r[i].e > rs.r[m - 1].e)
                rs.r[m - 1].e = rs.r[i].e;
        } else {
            rs.r[m++] = rs.r[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        json_array_append_new(out, json_pack("[I, I]", (json_int_t)rs.r[i].s, (json_int_t)rs.r[i].e));
    free(rs.r);
    return out;
}

static void count(json_t *obj, const char *key, size_t n)
{
    if (key)
        json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + (json_int_t)n));
}

typedef struct {
    qry_engine *e;
    json_t *docs, *kinds, *years;
} facet_ctx;

/* Counts n passages of file in the documents facet, and through its kind and year
 * in those facets. */
static void count_file(void *ctx, const char *file, size_t n)
{
    facet_ctx *c = ctx;
    json_t *info = file_shared(c->e, file);
    count(c->docs, file, n);
    count(c->kinds, json_string_value(json_object_get(info, "kind")), n);
    count(c->years, json_string_value(json_object_get(info, "year")), n);
}

/* Adds the files the last match counted (from docids, or r's file-slot facet). */
static void add_facets(qry_engine *e, json_t *facets, const xsh_result *r)
{
    facet_ctx c = {e, json_object_get(facets, "documents"), json_object_get(facets, "kinds"),
                   json_object_get(facets, "years")};
    if (e->filemap)
        qry_filemap_drain(e->filemap, count_file, &c);
    for (size_t f = 0; f < r->nfacets; f++)
        for (size_t k = 0; k < r->facets[f].n; k++)
            count_file(&c, r->facets[f].values[k].value, r->facets[f].values[k].count);
}

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
        snprintf(msg, sizeof msg, "%s: cannot read the index (%s); re-index it", e->db_path, xe.msg);
        return qry_fail(err, QRY_EINDEX, "%s", msg);
    }
    return 0;
}

#define FRAGMENT_FLAGS JSON_COMPACT

/* docid's record (cached) as JSON text without its braces, as a string (borrowed),
 * or NULL. */
static json_t *record_fragment(qry_engine *e, unsigned docid)
{
    cached_record *slot = &e->cache[docid % RECORD_CACHE];
    if (!slot->rec || slot->docid != docid)
        return NULL;
    if (!slot->frag) {
        char *text = json_dumps(slot->rec, FRAGMENT_FLAGS);
        size_t n = text ? strlen(text) : 0;
        if (n >= 2)
            slot->frag = json_stringn_nocheck(text + 1, n - 2);
        free(text);
    }
    return slot->frag;
}

/* Appends r's hits; per_doc (when not 0) holds across tiers: per_file counts them. */
static void append_hits(qry_engine *e, const qry_parsed *p, const xsh_result *r, json_t *hits, size_t *rank,
                        size_t per_doc, json_t *per_file)
{
    for (size_t i = 0; i < r->nhits; i++) {
        json_t *rec = record(e, r->hits[i].docid);
        if (!rec)
            continue;
        json_incref(rec);
        const char *file = json_string_value(json_object_get(rec, "file"));
        if (per_doc && file) {
            json_int_t seen = json_integer_value(json_object_get(per_file, file));
            if ((size_t)seen >= per_doc) {
                json_decref(rec);
                continue;
            }
            json_object_set_new(per_file, file, json_integer(seen + 1));
        }
        json_t *hit = json_object();
        json_object_set_new(hit, "rank", json_integer((json_int_t)++*rank));
        json_object_set_new(hit, "score", json_real((double)(long long)(r->hits[i].weight * 1000 + 0.5) / 1000));
        json_object_update(hit, rec);
        const char *text = json_string_value(json_object_get(rec, "text"));
        json_object_set_new(hit, "highlights", highlights(e, p, r->hits[i].docid, text ? text : ""));
        json_array_append_new(hits, hit);
        json_t *frag = record_fragment(e, r->hits[i].docid);
        json_array_append(e->last_frags, frag ? frag : json_null());
        json_decref(rec);
    }
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
        return qry_fail(err, QRY_EINVAL, "%s", "no query");
    if (req->limit > QRY_MAX_LIMIT || req->offset > 1000000)
        return qry_fail(err, QRY_EINVAL, "%s", "limit is at most 1000 and offset at most 1000000");
    if (!e->db) {
        int rc = open_index(e, err);
        if (rc)
            return rc;
    }
    unsigned long rev = 0;
    xsh_err re;
    if (xsh_db_revision(e->db, &rev, &re) == 0 && rev != e->revision) {
        cache_clear(e);                    /* a commit came in: records may be new */
        e->revision = rev;
    }
    e->last = NULL;
    json_decref(e->last_frags);
    if (!(e->last_frags = json_array()))
        return qry_fail(err, QRY_ENOMEM, "%s", "out of memory");
    qry_parsed p;
    int rc = qry_parse(req->q, e->st, e->syn, &p, err);
    if (rc)
        return rc;
    tiers t = build_tiers(e, &p);
    qry_verifier verifier;
    if (qry_verifier_init(&verifier, e->st, &p) != 0) {
        for (int k = 0; k < NTIERS; k++)
            xsh_query_free(t.q[k]);
        qry_parsed_free(&p);
        return qry_fail(err, QRY_ENOMEM, "%s", "out of memory");
    }
    size_t docs = 0;
    xsh_err ce;
    xsh_db_doc_count(e->db, &docs, &ce);
    json_t *hits = json_array(), *facets = json_pack("{s:{}, s:{}, s:{}}", "documents", "kinds", "years");
    json_t *per_file = json_object();
    size_t rank = req->offset, total = 0, skip = req->offset, need = req->limit;
    for (int k = 0; k < NTIERS && !rc; k++) {
        /* the partial tier only fills the page, unless nothing matches in full */
        if (!t.q[k] || (k == NTIERS - 1 && need == 0 && total > 0))
            continue;
        int counted = k < NTIERS - 1 || total == 0;
        xsh_result *r = NULL;
        rc = run_tier(e, t.q[k], &verifier, k, t.exact[k], t.excludes_above[k], counted ? docs : SIZE_MAX, skip, need, req->per_doc, counted, &r, err);
        if (rc)
            break;
        if (counted) {
            total += r->estimated;
            add_facets(e, facets, r);
        }
        append_hits(e, &p, r, hits, &rank, req->per_doc, per_file);
        /* the next tier continues the ranking where this one ends */
        skip = skip > r->estimated ? skip - r->estimated : 0;
        need = need > r->nhits ? need - r->nhits : 0;
        xsh_result_free(r);
    }
    json_decref(per_file);
    for (int k = 0; k < NTIERS; k++)
        xsh_query_free(t.q[k]);
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
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", "out of memory");
}

/* One hit as {"rank", "score", the record's fields, "highlights"} with the record
 * copied in as text; 0 when the hit is not of that shape (dump it whole). */
static int put_hit(qry_buf *b, const json_t *hit, const json_t *frag, size_t flags)
{
    const json_t *rank = json_object_get(hit, "rank"), *score = json_object_get(hit, "score"),
                 *hl = json_object_get(hit, "highlights");
    if (!json_is_string(frag) || !rank || !score || !hl)
        return 0;
    qry_buf_puts(b, "{\"rank\":");
    qry_buf_json(b, rank, flags);
    qry_buf_puts(b, ",\"score\":");
    qry_buf_json(b, score, flags);
    qry_buf_puts(b, ",");
    qry_buf_put(b, json_string_value(frag), json_string_length(frag));
    qry_buf_puts(b, ",\"highlights\":");
    qry_buf_json(b, hl, flags);
    qry_buf_puts(b, "}");
    return 1;
}

char *qry_result_dumps(qry_engine *e, const json_t *result, size_t flags, size_t *len)
{
    qry_buf b = {0};
    int fast = result == e->last && (flags & JSON_COMPACT) && !(flags & (JSON_SORT_KEYS | JSON_ENSURE_ASCII))
               && (flags & 0x1F) == 0;                  /* no indent */
    if (!fast) {
        qry_buf_json(&b, result, flags);
        return qry_buf_finish(&b, len);
    }
    const char *key;
    const json_t *value;
    int first = 1;
    qry_buf_puts(&b, "{");
    json_object_foreach((json_t *)result, key, value) {
        qry_buf_puts(&b, first ? "\"" : ",\"");      /* the result's keys are plain ASCII */
        qry_buf_puts(&b, key);
        qry_buf_puts(&b, "\":");
        first = 0;
        if (strcmp(key, "hits") != 0 || json_array_size(value) != json_array_size(e->last_frags)) {
            qry_buf_json(&b, value, flags);
            continue;
        }
        qry_buf_puts(&b, "[");
        for (size_t i = 0; i < json_array_size(value); i++) {
            if (i)
                qry_buf_puts(&b, ",");
            const json_t *hit = json_array_get(value, i);
            if (!put_hit(&b, hit, json_array_get(e->last_frags, i), flags))
                qry_buf_json(&b, hit, flags);
        }
        qry_buf_puts(&b, "]");
    }
    qry_buf_puts(&b, "}");
    return qry_buf_finish(&b, len);
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
        int rc = open_index(e, err);
        if (rc)
            return rc;
    }
    size_t passages = 0, files = 0;
    xsh_err xe;
    if (xsh_db_doc_count(e->db, &passages, &xe) || xsh_db_metadata_keys(e->db, WENSOU_META_FILE, count_key, &files, &xe))
        return qry_fail(err, QRY_EINDEX, "%s", xe.msg);
    *out = json_pack("{s:I, s:I, s:s, s:s}", "documents", (json_int_t)files, "passages", (json_int_t)passages,
                     "schema", WENSOU_SCHEMA_VERSION, "index", e->db_path);
    return *out ? 0 : qry_fail(err, QRY_ENOMEM, "%s", "out of memory");
}
