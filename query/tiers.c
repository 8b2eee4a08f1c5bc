/* tiers.c — a parsed query as Xapian queries, one per tier (see search.c): the
 * literals of every word, their synonyms, their words apart, filters, exclusions. */
#include "qry_int.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>


/* Subqueries to combine; it grows as needed (a query's size is bounded by
 * QRY_MAX_TERMS after building, not by dropping parts here). */
typedef struct {
    xsh_query **q;
    size_t n, cap;
    int failed;                  /* out of memory: a part was dropped */
} qlist;

static void ql_add(qlist *l, xsh_query *q)
{
    if (!q)
        return;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        xsh_query **nq = realloc(l->q, cap * sizeof *nq);
        if (!nq) {
            xsh_query_free(q);
            l->failed = 1;
            return;
        }
        l->q = nq;
        l->cap = cap;
    }
    l->q[l->n++] = q;
}

/* Combines and frees the parts; the list is empty after (and can be reused). */
static xsh_query *ql_combine(qlist *l, xsh_op op)
{
    xsh_query *q = qry_combine_free(op, l->q, l->n);
    free(l->q);
    l->q = NULL;
    l->n = l->cap = 0;
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
 * cleared when matches need checking. A literal that is checked is found by its
 * QRY_LITERAL_PARTS rarest bigrams: the check against the text does the rest. whole,
 * unless NULL, gets its query with every part, for what is counted unchecked. */
static xsh_query *literal(xsh_db *db, seg_state *st, const char *text, int *exact, xsh_query **whole)
{
    int ex;
    xsh_query *q = qry_literal(st, text, &ex);
    *exact &= ex;
    if (whole)
        *whole = q ? xsh_query_copy(q) : NULL;
    if (ex || !q)
        return q;
    xsh_query *rarest = xsh_query_rarest_and(db, q, QRY_LITERAL_PARTS);
    xsh_query_free(q);
    return rarest;
}

/* q as the literal tiers rank it: by its words alone when worded (its n-grams,
 * which find it, weigh r->worded_literal_weight), else as it is. Takes q. */
static xsh_query *ranked_by_words(xsh_query *q, int worded, const qry_rank *r)
{
    xsh_query *by_words = worded && q ? xsh_query_scale(q, r->worded_literal_weight) : NULL;
    if (!by_words)
        return q;
    xsh_query_free(q);
    return by_words;
}

/* u's synonyms as literals (text or heading), or NULL when it has none. */
static xsh_query *synonym_literals(xsh_db *db, seg_state *st, const qry_unit *u, int *exact)
{
    qlist alts = {0};
    for (size_t i = 0; i < u->nalts; i++)
        ql_add(&alts, literal(db, st, u->alts[i], exact, NULL));
    return ql_combine(&alts, XSH_OP_OR);
}

/* What u's words and its synonyms' add to the rank, or NULL (a passage that says
 * GDP and 生产总值 both ranks above one that says GDP alone); *worded: whether u's
 * literal says such a word (three or more characters), *all_worded: whether each
 * of its synonyms does too. */
static xsh_query *unit_rank(seg_state *st, const qry_unit *u, int *worded, int *all_worded)
{
    qlist l = {0};
    xsh_query *words = qry_rank_words(st, u->norm);
    *worded = *all_worded = words != NULL;
    ql_add(&l, words);
    for (size_t i = 0; i < u->nalts; i++) {
        words = qry_rank_words(st, u->alts[i]);
        *all_worded &= words != NULL;
        ql_add(&l, words);
    }
    return ql_combine(&l, XSH_OP_OR);
}

/* u's content words all held, each in the text, as a synonym or in the document's
 * fields (a quoted phrase has no such loose match; a unit of one word, none). */
static xsh_query *unit_all_words(seg_state *st, const qry_unit *u, const qry_rank *r, const unsigned char *skip,
                                 qry_fieldmap *fields)
{
    if (u->phrase || u->nwords == 0)
        return NULL;
    qlist l = {0};
    for (size_t i = 0; i < u->nwords; i++) {
        if (u->words[i].named || (skip && skip[i]))
            continue;
        const qry_span *s = qry_span_of(u, i);
        if (s && i > 0 && qry_span_of(u, i - 1) == s)
            continue;                    /* taken with the span's first word */
        if (!s) {
            ql_add(&l, qry_word_any(st, &u->words[i], r, 1, fields));
            continue;
        }
        /* a span's words all held, or one of its expressions (企业 负担 or 降本减负) */
        qlist span = {0};
        for (size_t k = i; k < u->nwords && qry_span_of(u, k) == s; k++)
            if (!u->words[k].named && !(skip && skip[k]))
                ql_add(&span, qry_word_any(st, &u->words[k], r, 1, fields));
        xsh_query *words = ql_combine(&span, XSH_OP_AND);
        xsh_query *alt = qry_span_alternatives(st, s, r);
        ql_add(&l, alt && words ? with(XSH_OP_OR, words, alt) : words ? words : alt);
    }
    return ql_combine(&l, XSH_OP_AND);
}

/* Per word of u, whether it is a frame word of the collection (建设, 发展, 推进: in
 * more than r->generic_share of the passages) beside a word that is not: the topic
 * is in the others. NULL when none is (or all are), or out of memory. */
static unsigned char *frame_words(xsh_db *db, const qry_unit *u, const qry_rank *r, size_t docs)
{
    if (u->phrase || u->nwords < 2 || !docs)
        return NULL;
    unsigned char *g = calloc(u->nwords, 1);
    size_t n = 0;
    for (size_t i = 0; g && i < u->nwords; i++) {
        size_t tf = 0;
        xsh_err e;
        if (xsh_db_term_freq(db, u->words[i].norm, &tf, &e) == 0 && (double)tf > r->generic_share * (double)docs)
            n += g[i] = 1;
    }
    if (n == 0 || n == u->nwords) {
        free(g);
        return NULL;
    }
    return g;
}

/* Each content word of u but those skip marks (its frame words: frame_words), held
 * or not (the best match sums what is held): what the passage says, in its text or
 * as a synonym, not its document's fields (those count in every word held:
 * all_words). A field term is held by every passage of a document (D柯桥: 80 % of
 * the corpus's passages) for a few hundredths of a point, so summing it walked the
 * longest lists for nothing: bench/eval's natural half went 0.853 → 0.856 without
 * it (unspaced 0.793 → 0.802), the keyword set stayed 0.873, and the x1000
 * benchmark median fell by a seventh. A frame word beside the topic's (发展 of
 * 文旅融合发展) is as long a list for as little: without it unspaced 0.802 → 0.803,
 * the rest unchanged, the median 7 % lower. */
static void unit_some_words(seg_state *st, const qry_unit *u, const qry_rank *r, int pasted, const unsigned char *skip, qlist *some)
{
    for (size_t i = 0; i < u->nwords; i++) {
        if (u->words[i].named || (skip && skip[i]))
            continue;
        ql_add(some, qry_word_any(st, &u->words[i], r, 0, NULL));
        /* the words inside a long one, or inside its synonyms, earn part of its
         * credit (垃圾 of 垃圾处理; 农业, 农村, 农民 of 三农 = 农业农村农民) */
        xsh_query *inner = pasted ? NULL : qry_word_inner(st, &u->words[i], r);
        ql_add(some, inner ? xsh_query_scale(inner, r->inner_weight) : NULL);
        xsh_query_free(inner);
    }
    /* a span's expression earns what its words would (降本减负 for 企业 and 负担) */
    for (size_t s = 0; s < u->nspans; s++) {
        size_t covered = 0;
        for (size_t i = 0; i < u->nwords; i++)
            covered += !u->words[i].named && !(skip && skip[i]) && qry_span_of(u, i) == &u->spans[s];
        xsh_query *alt = covered ? qry_span_alternatives(st, &u->spans[s], r) : NULL;
        ql_add(some, alt ? xsh_query_scale(alt, (double)covered) : NULL);
        xsh_query_free(alt);
    }
}

/* What every passage of tier 1 holds: some word as a synonym (alts[j]) and, when the
 * literals are exact, not as itself (lits[j]). Matching from these (rare) instead of
 * from every passage that holds a frequent word, which the exclusion of tier 0 then
 * drops (柯桥: 190,000 passages at x1000), bounds the tier. Empties both lists. */
static xsh_query *held_as_synonym(qlist *alts, qlist *lits, int exact)
{
    qlist any = {0};
    for (size_t j = 0; j < alts->n; j++) {
        ql_add(&any, exact ? with(XSH_OP_AND_NOT, alts->q[j], lits->q[j]) : alts->q[j]);
        if (!exact)
            xsh_query_free(lits->q[j]);
    }
    alts->n = lits->n = 0;
    return ql_combine(&any, XSH_OP_OR);
}

qry_tiers qry_build_tiers(xsh_db *db, seg_state *st, const qry_parsed *p, const qry_rank *r,
                          qry_fieldmap *fields)
{
    qry_tiers t = {{NULL, NULL, NULL}, {1, 1, 1}, {0, 0, 0}, NULL};
    int words_exact = 1, synonyms_exact = 1;
    qlist exact_all = {0}, syn_all = {0}, any = {0}, ranks = {0}, neg = {0}, all_words = {0}, some = {0},
          all_topic = {0}, syn_alts = {0}, syn_lits = {0};
    size_t docs = 0;
    xsh_err de;
    if (xsh_db_doc_count(db, &docs, &de) != 0)
        docs = 0;
    int synonyms = 0, slots = 0, phrase_alone = 0;
    for (size_t s = 0; s < p->nslots; s++) {
        qlist lit = {0}, whole = {0}, alt = {0}, loose = {0}, topic = {0};
        int lits_worded = 1, syns_worded = 1;   /* the slot's literals (and synonyms) ranked by their words */
        for (size_t i = 0; i < p->n; i++) {
            const qry_unit *u = &p->units[i];
            if (u->slot != s)
                continue;
            if (u->optional) {           /* it named the documents: its words only fill */
                qlist own = {0};
                unit_some_words(st, u, r, p->pasted, NULL, &own);
                xsh_query *q = ql_combine(&own, XSH_OP_OR);
                ql_add(&some, q ? xsh_query_scale(q, r->named_weight) : NULL);
                xsh_query_free(q);
                continue;
            }
            if (u->negated) {                /* -word: held in text or heading (no synonyms) */
                int ex = 1;
                xsh_query *l = qry_literal(st, u->norm, &ex);
                if (ex)
                    ql_add(&neg, l);
                else {                   /* an inexact exclusion is checked on the text */
                    xsh_query_free(l);
                    words_exact = 0;
                }
                continue;
            }
            xsh_query *w = NULL;
            ql_add(&lit, literal(db, st, u->norm, &words_exact, &w));
            ql_add(&whole, w);
            xsh_query *sl = synonym_literals(db, st, u, &synonyms_exact);
            synonyms |= sl != NULL;
            ql_add(&alt, sl);            /* none: the slot's literals stand alone */
            ql_add(&loose, unit_all_words(st, u, r, NULL, fields));
            unsigned char *frame = frame_words(db, u, r, docs);
            ql_add(&topic, unit_all_words(st, u, r, frame, fields));
            int worded, all_worded;
            ql_add(&ranks, unit_rank(st, u, &worded, &all_worded));
            lits_worded &= worded;
            syns_worded &= all_worded;
            unit_some_words(st, u, r, p->pasted, frame, &some);
            free(frame);
        }
        if (lit.n == 0) {
            xsh_query_free(ql_combine(&topic, XSH_OP_OR));
            xsh_query_free(ql_combine(&whole, XSH_OP_OR));
            continue;
        }
        xsh_query *slot_lit = ql_combine(&lit, XSH_OP_OR);
        /* the slot's literals with every part: what total counts when nothing holds
         * them is not checked against the text */
        xsh_query *slot_whole = ql_combine(&whole, XSH_OP_OR);
        xsh_query *slot_alt = ql_combine(&alt, XSH_OP_OR);
        xsh_query *slot_any_lit = with(XSH_OP_OR, xsh_query_copy(slot_lit), slot_alt ? xsh_query_copy(slot_alt) : NULL);
        xsh_query *slot_loose = ql_combine(&loose, XSH_OP_OR), *slot_topic = ql_combine(&topic, XSH_OP_OR);
        ql_add(&all_topic, slot_topic ? slot_topic : xsh_query_copy(slot_whole));
        slots++;
        phrase_alone = !slot_alt && !slot_loose;
        /* the slot's words all held (in the text, as synonyms or in the fields) */
        ql_add(&all_words, slot_loose ? slot_loose : xsh_query_copy(slot_whole));
        xsh_query_free(slot_whole);
        xsh_query *boosted = xsh_query_scale(slot_any_lit, r->literal_boost);
        xsh_query_free(slot_any_lit);
        ql_add(&any, boosted);
        if (slot_alt) {                  /* the word as a synonym, and as itself */
            ql_add(&syn_alts, xsh_query_copy(slot_alt));
            ql_add(&syn_lits, xsh_query_copy(slot_lit));
        }
        /* their words rank them there, not their n-grams: in tier 1 only when every
         * synonym is worded too (a passage holding the literal and one holding a
         * synonym weigh alike) */
        xsh_query *syn_slot = with(XSH_OP_OR, xsh_query_copy(slot_lit), slot_alt);
        ql_add(&exact_all, ranked_by_words(slot_lit, lits_worded, r));
        ql_add(&syn_all, ranked_by_words(syn_slot, syns_worded, r));
    }
    if (p->asks_definition) {            /* a glossary entry (名词解释) says what the term means */
        xsh_query *g = xsh_query_term(WENSOU_PREFIX_SECTION "名词解释", strlen(WENSOU_PREFIX_SECTION "名词解释"), 1, 0);
        ql_add(&ranks, xsh_query_scale(g, r->definition_weight));
        ql_add(&some, xsh_query_scale(g, r->definition_weight));
        xsh_query_free(g);
    }
    xsh_query *negs = ql_combine(&neg, XSH_OP_OR);
    xsh_query *rank = ql_combine(&ranks, XSH_OP_OR);   /* long words as words add to the rank */
    xsh_query *bare[NTIERS] = {NULL, NULL, NULL};       /* what each tier matches, unranked */
    if (exact_all.n == 0) {                  /* filters only: everything they let through */
        t.q[0] = xsh_query_match_all();
        xsh_query_free(ql_combine(&syn_all, XSH_OP_OR));
        xsh_query_free(ql_combine(&syn_alts, XSH_OP_OR));
        xsh_query_free(ql_combine(&syn_lits, XSH_OP_OR));
        xsh_query_free(ql_combine(&any, XSH_OP_OR));
        xsh_query_free(ql_combine(&all_words, XSH_OP_OR));
        xsh_query_free(ql_combine(&all_topic, XSH_OP_OR));
        xsh_query_free(ql_combine(&some, XSH_OP_OR));
    } else {
        xsh_query *s0 = ql_combine(&exact_all, XSH_OP_AND), *s1 = ql_combine(&syn_all, XSH_OP_AND);
        bare[0] = xsh_query_copy(s0);
        t.q[0] = with(XSH_OP_AND_MAYBE, s0, rank ? xsh_query_copy(rank) : NULL);
        if (synonyms) {
            bare[1] = xsh_query_copy(s1);
            t.q[1] = with(XSH_OP_AND_MAYBE, s1, rank ? xsh_query_copy(rank) : NULL);
            t.q[1] = with(XSH_OP_FILTER, t.q[1], held_as_synonym(&syn_alts, &syn_lits, words_exact));
        } else
            xsh_query_free(s1);
        xsh_query_free(ql_combine(&syn_alts, XSH_OP_OR));   /* frees what is left */
        xsh_query_free(ql_combine(&syn_lits, XSH_OP_OR));
        /* the best match: whole literals first, then every word held, then the
         * sum of the words held (coordination through BM25's sum) */
        xsh_query *every = ql_combine(&all_words, XSH_OP_AND);
        /* the boost asks for the topic's words: not the frame words (建设, 发展) a
         * passage on the topic need not say */
        xsh_query *every_topic = ql_combine(&all_topic, XSH_OP_AND);
        if (p->pasted) {             /* a quotation with edits holds not every word */
            xsh_query_free(every);
            xsh_query_free(every_topic);
            every = every_topic = NULL;
        }
        ql_add(&any, every_topic ? xsh_query_scale(every_topic, r->all_words_boost) : NULL);
        xsh_query_free(every_topic);
        t.every = every;
        int has_some = some.n > 0;
        /* a quotation: its rarest words tell where it is from; the rest cost time */
        xsh_query *best;
        if (p->pasted) {
            best = some.n ? xsh_query_rarest(db, some.q, some.n, r->quotation_words) : NULL;
            for (size_t i = 0; i < some.n; i++)
                xsh_query_free(some.q[i]);
            some.n = 0;
            xsh_query_free(ql_combine(&some, XSH_OP_OR));   /* frees the list */
        } else {
            best = ql_combine(&some, XSH_OP_OR);
        }
        ql_add(&any, best);
        t.q[2] = ql_combine(&any, XSH_OP_OR);
        /* a quoted phrase alone has no best match (its n-grams scattered are not it) */
        if (slots == 1 && phrase_alone && !has_some) {
            xsh_query_free(t.q[2]);
            t.q[2] = NULL;
        }
    }
    xsh_query_free(rank);
    /* tier 0 checks its words; the tiers below check that a passage is not above */
    t.exact[0] = words_exact;
    t.exact[1] = t.exact[2] = words_exact && synonyms_exact;
    xsh_query *filters = qry_filters(db, st, p);
    xsh_query **each[NTIERS + 1] = {&t.q[0], &t.q[1], &t.q[2], &t.every};
    for (int k = 0; k < NTIERS + 1; k++) {
        if (!*each[k])
            continue;
        if (filters)
            *each[k] = with(XSH_OP_FILTER, *each[k], xsh_query_copy(filters));
        if (negs)
            *each[k] = with(XSH_OP_AND_NOT, *each[k], xsh_query_copy(negs));
    }
    xsh_query_free(filters);
    xsh_query_free(negs);
    /* below an exact tier, a tier is simply what the one above lacks (its bare
     * match: the filters and exclusions are this tier's own too) */
    int above = -1;
    for (int k = 0; k < NTIERS; k++) {
        if (!t.q[k])
            continue;
        if (above >= 0 && t.exact[above] && bare[above]) {
            t.q[k] = with(XSH_OP_AND_NOT, t.q[k], bare[above]);
            bare[above] = NULL;
            t.excludes_above[k] = 1;
        }
        above = k;
    }
    for (int k = 0; k < NTIERS; k++)
        xsh_query_free(bare[k]);
    return t;
}
