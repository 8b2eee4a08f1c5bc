/* verify.c — whether a candidate passage holds the query's literals, for the
 * match decider, reading as little as possible. A literal that is itself one word
 * is proved by the passage's word term (an unprefixed word term is a token of the
 * passage's text or of the heading it stands under: see indexer/terms.c); a
 * literal is ruled out when a term its query needs is missing (both posting-list
 * probes, from memory on a serving engine); otherwise the passage's normalised
 * "text\nheading" (WENSOU_SLOT_NORM) is read (kept, on a serving engine) and
 * searched. */
#include "qry_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    int one;
    const char *literal;
} one_word;

static int check_token(void *ctx, const seg_token *t)
{
    one_word *w = ctx;
    if (t->kind != SEG_KIND_WORD)
        return 0;
    w->one = w->one == 0 && t->norm_len == strlen(w->literal) && memcmp(t->norm, w->literal, t->norm_len) == 0 ? 1 : -1;
    return 0;
}

/* literal (normalised) is one word of the segmenter, so the indexer writes it as a
 * word term wherever it cuts it out. */
static int single_word(seg_state *st, const char *literal)
{
    one_word w = {0, literal};
    seg_cut(st, literal, strlen(literal), SEG_MODE_ACCURATE, 0, check_token, &w);
    return w.one == 1;
}

typedef struct {
    char *buf;
    size_t len, n;
    int failed;
} term_list;

static void collect_term(void *ctx, const char *term, size_t len)
{
    term_list *l = ctx;
    char *nb = realloc(l->buf, l->len + len + 1);
    if (!nb) {
        l->failed = 1;
        return;
    }
    memcpy(nb + l->len, term, len);
    nb[l->len + len] = 0;
    l->buf = nb;
    l->len += len + 1;
    l->n++;
}

static int make_needle(seg_state *st, const char *text, qry_needle *nd, int *exact)
{
    term_list l = {0};
    xsh_query_free(qry_literal_terms(st, text, exact, collect_term, &l));
    nd->text = text;
    nd->word = single_word(st, text);
    nd->terms = l.buf;
    nd->nterms = l.failed ? 0 : l.n;            /* no terms known: nothing ruled out */
    return 0;
}

int qry_verifier_init(qry_verifier *v, seg_state *st, const qry_parsed *p)
{
    memset(v, 0, sizeof *v);
    v->p = p;
    size_t n = 0;
    for (size_t i = 0; i < p->n; i++)
        n += 1 + p->units[i].nalts;
    v->needles = calloc(n ? n : 1, sizeof *v->needles);
    v->first = calloc(p->n ? p->n : 1, sizeof *v->first);
    v->excluded = calloc(p->n ? p->n : 1, 1);
    v->possible = calloc(n ? n : 1, 1);
    if (!v->needles || !v->first || !v->excluded || !v->possible) {
        qry_verifier_free(v);
        return QRY_ENOMEM;
    }
    size_t k = 0;
    for (size_t i = 0; i < p->n; i++) {
        const qry_unit *u = &p->units[i];
        int exact;
        v->first[i] = k;
        make_needle(st, u->norm, &v->needles[k++], &exact);
        v->excluded[i] = u->negated && exact;   /* as build_tiers: an exact -word is an AND_NOT */
        for (size_t a = 0; a < u->nalts; a++)
            make_needle(st, u->alts[a], &v->needles[k++], &exact);
    }
    v->nneedles = k;
    v->above_known = 1;                         /* nothing above yet */
    return 0;
}

static int cmp_docid(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

void qry_verifier_note_above(qry_verifier *v, const xsh_result *r, int complete)
{
    if (!complete || !v->above_known) {
        v->above_known = 0;
        return;
    }
    size_t n = r->nhits;
    if (n == 0)
        return;
    if (v->nabove + n > v->capabove) {
        size_t cap = (v->nabove + n) * 2;
        unsigned *na = realloc(v->above, cap * sizeof *na);
        if (!na) {
            v->above_known = 0;
            return;
        }
        v->above = na;
        v->capabove = cap;
    }
    for (size_t i = 0; i < n; i++)
        v->above[v->nabove++] = r->hits[i].docid;
    qsort(v->above, v->nabove, sizeof *v->above, cmp_docid);
}

void qry_verifier_free(qry_verifier *v)
{
    for (size_t k = 0; v->needles && k < v->nneedles; k++)
        free(v->needles[k].terms);
    free(v->needles);
    free(v->first);
    free(v->excluded);
    free(v->possible);
    free(v->above);
    free(v->buf);
    memset(v, 0, sizeof *v);
}

/* The candidate's normalised text and heading, read once per candidate. */
static int load_text(qry_verifier *v)
{
    if (v->loaded)
        return v->loaded > 0;
    size_t len;
    const char *value = xsh_candidate_value(v->cand, &len);
    v->loaded = -1;
    if (!value)
        return 0;
    if (len + 1 > v->cap) {
        char *nb = realloc(v->buf, len + 1);
        if (!nb)
            return 0;
        v->buf = nb;
        v->cap = len + 1;
    }
    memcpy(v->buf, value, len);
    v->buf[len] = 0;
    char *nl = memchr(v->buf, '\n', len);
    if (nl)
        *nl = 0;
    v->text = v->buf;
    v->head = nl ? nl + 1 : NULL;
    v->loaded = 1;
    return 1;
}

static int has(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

/* The candidate has every term the needle's query needs (else it cannot hold it). */
static int may_hold(qry_verifier *v, const qry_needle *nd)
{
    const char *t = nd->terms;
    for (size_t k = 0; k < nd->nterms; k++) {
        size_t len = strlen(t);
        if (!xsh_candidate_has_term(v->cand, t, len))
            return 0;
        t += len + 1;
    }
    return 1;
}

/* One of needles nd[0, n) that is a word is a term of the candidate (which proves
 * the passage holds it, in its text or in a heading above). */
static int held_as_word(qry_verifier *v, const qry_needle *nd, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (nd[k].word && xsh_candidate_has_term(v->cand, nd[k].text, strlen(nd[k].text)))
            return 1;
    return 0;
}

/* holds() for a candidate whose terms cost a read (a shard set's): the same answer
 * with the text looked at first. A needle in the text has its terms, so may_hold
 * is skipped; a word term proves one only the text lacks (an outer heading's). */
static int holds_text_first(qry_verifier *v, const qry_needle *nd, size_t n)
{
    if (load_text(v))
        for (size_t k = 0; k < n; k++)
            if (has(v->text, nd[k].text) || has(v->head, nd[k].text))
                return 1;
    return held_as_word(v, nd, n);
}

/* The text or its heading holds unit i, or with alts one of its synonyms: proved
 * by a word term, ruled out by a missing term, else looked up in the text. */
static int holds(qry_verifier *v, size_t i, int alts)
{
    const qry_needle *nd = &v->needles[v->first[i]];
    size_t n = 1 + (alts ? v->p->units[i].nalts : 0);
    if (xsh_candidate_text_first(v->cand))
        return holds_text_first(v, nd, n);
    if (held_as_word(v, nd, n))
        return 1;
    /* tier 0's candidates match each positive literal's query: its terms, or for a
     * long one its QRY_LITERAL_PARTS rarest (tiers.c), whose candidates mostly hold
     * it; the text decides, sooner than a lookup of every term would */
    int settled = v->tier == 0 && !v->p->units[i].negated;
    unsigned char *possible = &v->possible[v->first[i]];
    size_t any = 0;
    for (size_t k = 0; k < n; k++)
        any += possible[k] = settled || may_hold(v, &nd[k]);
    if (!any || !load_text(v))
        return 0;
    for (size_t k = 0; k < n; k++)
        if (possible[k] && (has(v->text, nd[k].text) || has(v->head, nd[k].text)))
            return 1;
    return 0;
}

/* Every positive slot has a unit the passage holds, and no excluded unit is held. */
static int holds_all(qry_verifier *v, int alts, int *excluded)
{
    const qry_parsed *p = v->p;
    *excluded = 0;
    for (size_t i = 0; i < p->n; i++)
        if (p->units[i].negated && !v->excluded[i] && holds(v, i, 0)) {
            *excluded = 1;
            return 0;
        }
    for (size_t s = 0; s < p->nslots; s++) {
        int any = 0, positive = 0;
        for (size_t i = 0; i < p->n && !any; i++)
            if (p->units[i].slot == s && !p->units[i].negated && !p->units[i].optional) {
                positive = 1;
                any = holds(v, i, alts);
            }
        if (positive && !any)
            return 0;
    }
    return 1;
}

/* The partial tier when every passage of the tiers above is known: any candidate
 * but those, and those holding a -word the query could not exclude itself. */
static int partial_by_docid(qry_verifier *v)
{
    unsigned id = xsh_candidate_docid(v->cand);
    if (v->nabove && bsearch(&id, v->above, v->nabove, sizeof id, cmp_docid))
        return 0;
    for (size_t i = 0; i < v->p->n; i++)
        if (v->p->units[i].negated && !v->excluded[i] && holds(v, i, 0))
            return 0;
    return 1;
}

int qry_verifier_by_docid(const qry_verifier *v)
{
    if (!v->above_known)
        return 0;
    for (size_t i = 0; i < v->p->n; i++)
        if (v->p->units[i].negated && !v->excluded[i])
            return 0;
    return 1;
}

int qry_verify(void *ctx, xsh_candidate *c)
{
    qry_verifier *v = ctx;
    v->cand = c;
    v->loaded = 0;
    if (v->tier == 2 && v->above_known)
        return partial_by_docid(v);
    int excluded;
    if (v->tier == 1 && v->above_excluded)   /* it does not hold every word exactly */
        return holds_all(v, 1, &excluded);
    int exact = holds_all(v, 0, &excluded);
    if (excluded)
        return 0;
    int with_synonyms = exact || holds_all(v, 1, &excluded);
    return v->tier == 0 ? exact : v->tier == 1 ? (with_synonyms && !exact) : !with_synonyms;
}
