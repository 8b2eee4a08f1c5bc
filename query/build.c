/* build.c — Xapian queries from parsed units, by the term scheme in schema.h.
 * A literal's Han runs become their bigrams (纺城 → 纺城; 轻纺城 → 轻纺 AND 纺城)
 * or, for one character, every term it begins (纺 → 纺*: a unigram stands only at
 * the end of a run, every other 纺 begins a bigram), its Latin words their word terms (a phrase when there
 * are several); a literal longer than one bigram is exact only after the query
 * side checks the passage text. Filters become boolean terms and value ranges. */
#include "qry_int.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PARTS 256

typedef struct {
    xsh_query *parts[MAX_PARTS];
    size_t n;
    xsh_query *latin[MAX_PARTS];   /* consecutive Latin words, for one phrase */
    size_t nlatin;
    char prev[4];                  /* the previous Han character of the run */
    int prev_len, run, punct;
    void (*on_term)(void *ctx, const char *term, size_t len);   /* when set: each term too */
    void *on_term_ctx;
} lit_ctx;

xsh_query *qry_combine_free(xsh_op op, xsh_query **q, size_t n)
{
    if (n == 0)
        return NULL;
    if (n == 1)
        return q[0];
    xsh_query *c = xsh_query_combine(op, q, n, 0);
    for (size_t i = 0; i < n; i++)
        xsh_query_free(q[i]);
    return c;
}

static xsh_query *lit_term(lit_ctx *c, const char *term, size_t len)
{
    if (c->on_term)
        c->on_term(c->on_term_ctx, term, len);
    return xsh_query_term(term, len, 1, 0);
}

static void add_part(lit_ctx *c, xsh_query *q)
{
    if (q && c->n < MAX_PARTS)
        c->parts[c->n++] = q;
    else
        xsh_query_free(q);
}

static void end_latin(lit_ctx *c)
{
    if (c->nlatin == 1)
        add_part(c, c->latin[0]);
    else if (c->nlatin > 1) {
        add_part(c, xsh_query_combine(XSH_OP_PHRASE, c->latin, c->nlatin, 0));
        for (size_t i = 0; i < c->nlatin; i++)
            xsh_query_free(c->latin[i]);
    }
    c->nlatin = 0;
}

/* Closes a Han run: a run of one character is every term it begins (no one term
 * is needed, so on_term hears of none). */
static void end_run(lit_ctx *c)
{
    if (c->run == 1)
        add_part(c, xsh_query_prefix(c->prev, (size_t)c->prev_len));
    c->run = 0;
}

static int literal_token(void *ctx, const seg_token *t)
{
    lit_ctx *c = ctx;
    if (t->kind != SEG_KIND_WORD) {
        end_run(c);
        end_latin(c);
        c->punct++;
        return 0;
    }
    int han = 0, other = 0;
    for (size_t i = 0; i < t->norm_len;) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)t->norm + i, t->norm_len - i, &cp);
        n = n ? n : 1;
        if (wensou_ngram_char(cp)) {
            han = 1;
            if (c->run > 0) {
                char term[8];
                memcpy(term, c->prev, (size_t)c->prev_len);
                memcpy(term + c->prev_len, t->norm + i, (size_t)n);
                add_part(c, lit_term(c, term, (size_t)c->prev_len + (size_t)n));
            }
            memcpy(c->prev, t->norm + i, (size_t)n);
            c->prev_len = n;
            c->run++;
        } else {
            other = 1;
            end_run(c);
        }
        i += (size_t)n;
    }
    char term[256];
    int tl = snprintf(term, sizeof term, "%.*s", (int)t->norm_len, t->norm);
    if (tl <= 0 || (size_t)tl >= sizeof term)
        return 0;
    if (!han) {                         /* a Latin word or a number: its word term */
        if (c->nlatin < MAX_PARTS)
            c->latin[c->nlatin++] = lit_term(c, term, (size_t)tl);
    } else {
        end_latin(c);
        if (other)                      /* 柯e办: the mixed word itself too */
            add_part(c, lit_term(c, term, (size_t)tl));
    }
    return 0;
}

xsh_query *qry_literal(seg_state *st, const char *literal, int *exact)
{
    return qry_literal_terms(st, literal, exact, NULL, NULL);
}

xsh_query *qry_literal_terms(seg_state *st, const char *literal, int *exact,
                             void (*on_term)(void *ctx, const char *term, size_t len), void *ctx)
{
    lit_ctx c;
    memset(&c, 0, sizeof c);
    c.on_term = on_term;
    c.on_term_ctx = ctx;
    seg_cut(st, literal, strlen(literal), SEG_MODE_ACCURATE, 0, literal_token, &c);
    end_run(&c);
    end_latin(&c);
    /* one or two Han characters (a unigram, a bigram) or one ASCII word say exactly
     * what the text holds; anything longer is verified against the text */
    size_t chars = 0, han = 0, ascii = 0;
    for (size_t i = 0; literal[i];) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)literal + i, strlen(literal + i), &cp);
        chars++;
        han += wensou_ngram_char(cp);
        ascii += cp < 0x80 && cp != ' ';
        i += n ? (size_t)n : 1;
    }
    *exact = (han == chars && chars <= 2) || (ascii == chars && c.n == 1 && c.punct == 0);
    if (c.n == 0)
        return xsh_query_match_nothing();
    return qry_combine_free(XSH_OP_AND, c.parts, c.n);
}

typedef struct {
    xsh_query *terms[MAX_PARTS];
    size_t n;
    xsh_query *singles[MAX_PARTS]; /* one-character Han words, as prefixes */
    size_t nsingles;
    const char *prefix;
    int long_han_only;             /* only words of three or more Han characters */
} word_ctx;

/* The characters of a token that is all Han; 0 when it is not. */
static size_t han_chars(const seg_token *t)
{
    size_t chars = 0;
    for (size_t i = 0; i < t->norm_len; chars++) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)t->norm + i, t->norm_len - i, &cp);
        if (!wensou_ngram_char(cp))
            return 0;
        i += n ? (size_t)n : 1;
    }
    return chars;
}

static int word_token(void *ctx, const seg_token *t)
{
    word_ctx *c = ctx;
    if (t->kind != SEG_KIND_WORD || c->n == MAX_PARTS)
        return 0;
    size_t han = han_chars(t);
    if (c->long_han_only && han < 3)
        return 0;
    if (han == 1 && !c->prefix[0]) {    /* no unigram to ask for (see end_run) */
        if (c->nsingles < MAX_PARTS)
            c->singles[c->nsingles++] = xsh_query_prefix(t->norm, t->norm_len);
        return 0;
    }
    char term[256];
    int n = snprintf(term, sizeof term, "%s%.*s", c->prefix, (int)t->norm_len, t->norm);
    if (n > 0 && (size_t)n < sizeof term)
        c->terms[c->n++] = xsh_query_term(term, (size_t)n, 1, 0);
    return 0;
}

/* AND of the words of text (optionally prefixed), or NULL when it has none. Words
 * of one Han character count only when there is nothing else (与 in 研究与试验发展
 * would cost a wide prefix search and says little). */
static xsh_query *all_words(seg_state *st, const char *text, const char *prefix)
{
    word_ctx c;
    memset(&c, 0, sizeof c);
    c.prefix = prefix;
    seg_cut(st, text, strlen(text), SEG_MODE_ACCURATE, 0, word_token, &c);
    if (c.n == 0)
        return qry_combine_free(XSH_OP_AND, c.singles, c.nsingles);
    for (size_t i = 0; i < c.nsingles; i++)
        xsh_query_free(c.singles[i]);
    return qry_combine_free(XSH_OP_AND, c.terms, c.n);
}

xsh_query *qry_rank_words(seg_state *st, const char *literal)
{
    word_ctx c;
    memset(&c, 0, sizeof c);
    c.prefix = "";
    c.long_han_only = 1;
    seg_cut(st, literal, strlen(literal), SEG_MODE_ACCURATE, 0, word_token, &c);
    return qry_combine_free(XSH_OP_OR, c.terms, c.n);
}

typedef struct {
    const char *prefix, *needle;
    xsh_query *terms[MAX_PARTS];
    size_t n;
} match_ctx;

static int match_term(void *ctx, const char *term, size_t len)
{
    match_ctx *c = ctx;
    size_t pl = strlen(c->prefix);
    char buf[512];
    if (len - pl >= sizeof buf)
        return 0;
    memcpy(buf, term + pl, len - pl);
    buf[len - pl] = 0;
    if (strstr(buf, c->needle) && c->n < MAX_PARTS)
        c->terms[c->n++] = xsh_query_term(term, len, 1, 0);
    return 0;
}

/* OR of the boolean terms under prefix whose value contains any of needles. */
static xsh_query *terms_containing(xsh_db *db, const char *prefix, char **needles, size_t n)
{
    match_ctx c;
    memset(&c, 0, sizeof c);
    c.prefix = prefix;
    xsh_err err;
    for (size_t i = 0; i < n; i++) {
        c.needle = needles[i];
        xsh_db_terms(db, prefix, match_term, &c, &err);
    }
    if (c.n == 0)
        return xsh_query_match_nothing();
    return qry_combine_free(XSH_OP_OR, c.terms, c.n);
}

#define YEAR_TERMS_MAX 64       /* years a year: range lists as terms; wider, a value range */

/* The passages of years lo..hi: their Y terms, whose posting lists the match skips
 * along (a value range reads every candidate's value: 11 ms under 柯桥 at x1000). */
static xsh_query *years(int lo, int hi)
{
    if (hi - lo >= YEAR_TERMS_MAX) {
        char a[16], b[16];
        snprintf(a, sizeof a, "%04d", lo);
        snprintf(b, sizeof b, "%04d", hi);
        return xsh_query_value_range(WENSOU_SLOT_YEAR, a, b);
    }
    xsh_query *each[YEAR_TERMS_MAX];
    size_t n = 0;
    for (int y = lo; y <= hi; y++) {
        char term[16];
        int len = snprintf(term, sizeof term, "%s%04d", WENSOU_PREFIX_YEAR, y);
        each[n++] = xsh_query_term(term, (size_t)len, 1, 0);
    }
    return qry_combine_free(XSH_OP_OR, each, n);
}

xsh_query *qry_filters(xsh_db *db, seg_state *st, const qry_parsed *p)
{
    xsh_query *parts[8];
    size_t n = 0;
    if (p->ndocs)
        parts[n++] = terms_containing(db, WENSOU_PREFIX_FILE, p->docs, p->ndocs);
    if (p->nkinds)
        parts[n++] = terms_containing(db, WENSOU_PREFIX_KIND, p->kinds, p->nkinds);
    if (p->nregions) {                           /* the files qry_region_files found */
        xsh_query **f = calloc(p->nregion_files ? p->nregion_files : 1, sizeof *f);
        size_t nf = 0;
        char term[4096 + 2];
        for (size_t i = 0; f && i < p->nregion_files; i++) {
            int len = snprintf(term, sizeof term, "%s%s", WENSOU_PREFIX_FILE, p->region_files[i]);
            if (len > 0 && (size_t)len < sizeof term)
                f[nf++] = xsh_query_term(term, (size_t)len, 1, 0);
        }
        xsh_query *any = f ? qry_combine_free(XSH_OP_OR, f, nf) : NULL;
        free(f);
        parts[n++] = any ? any : xsh_query_match_nothing();
    }
    if (p->page_lo) {                            /* the page a passage starts on */
        char lo[8], hi[8];
        snprintf(lo, sizeof lo, "%06d", p->page_lo);
        snprintf(hi, sizeof hi, "%06d", p->page_hi);
        parts[n++] = xsh_query_value_range(WENSOU_SLOT_PAGE, lo, hi);
    }
    if (p->year_lo)
        parts[n++] = years(p->year_lo, p->year_hi);
    for (size_t i = 0; i < p->nsections && n < 8; i++) {
        xsh_query *s = all_words(st, p->sections[i], WENSOU_PREFIX_SECTION);
        parts[n++] = s ? s : xsh_query_match_nothing();
    }
    return qry_combine_free(XSH_OP_AND, parts, n);
}

xsh_query *qry_word_fields(qry_fieldmap *fields, const qry_word *w, const qry_rank *r)
{
    if (w->single)
        return NULL;
    xsh_query *q[2];
    size_t n = 0;
    if ((q[n] = qry_fieldmap_query(fields, w->norm, r)))
        n++;
    char term[256];
    int len = snprintf(term, sizeof term, "%s%s", WENSOU_PREFIX_SECTION, w->norm);
    if (len > 0 && (size_t)len < sizeof term)
        q[n++] = xsh_query_term(term, (size_t)len, 1, 0);
    return qry_combine_free(XSH_OP_OR, q, n);
}

/* Counts the terms a literal's query needs (a qry_literal_terms on_term). */
static void count_term(void *ctx, const char *term, size_t len)
{
    (void)term;
    (void)len;
    ++*(size_t *)ctx;
}

/* Synonyms (weighted r->synonym_weight) OR related expressions (r->related_weight)
 * as literals, or NULL for none. */
static xsh_query *alternatives(seg_state *st, char *const *alts, size_t nalts, char *const *rel, size_t nrel,
                               const qry_rank *r)
{
    xsh_query *parts[2];
    size_t n = 0;
    char *const *lists[2] = {alts, rel};
    size_t sizes[2] = {nalts, nrel};
    double weights[2] = {r->synonym_weight, r->related_weight};
    for (int l = 0; l < 2; l++) {
        xsh_query *q[MAX_PARTS];
        size_t nq = 0;
        int exact;
        for (size_t i = 0; i < sizes[l] && nq < MAX_PARTS; i++)
            q[nq++] = qry_literal(st, lists[l][i], &exact);
        xsh_query *any = qry_combine_free(XSH_OP_OR, q, nq);
        if (any) {
            parts[n++] = xsh_query_scale(any, weights[l]);
            xsh_query_free(any);
        }
    }
    return qry_combine_free(XSH_OP_OR, parts, n);
}

xsh_query *qry_span_alternatives(seg_state *st, const qry_span *s, const qry_rank *r)
{
    return alternatives(st, s->alts, s->nalts, s->rel, s->nrel, r);
}

xsh_query *qry_word_any(seg_state *st, const qry_word *w, const qry_rank *r, int with_fields,
                        qry_fieldmap *fields)
{
    int exact;
    size_t nterms = 0;
    xsh_query *lit = qry_literal_terms(st, w->norm, &exact, count_term, &nterms);
    if (nterms > r->word_terms) {           /* a long word counts once, not once per bigram */
        xsh_query *sc = xsh_query_scale(lit, r->word_terms / (double)nterms);
        xsh_query_free(lit);
        lit = sc;
    }
    xsh_query *parts[3] = {lit, alternatives(st, w->alts, w->nalts, w->rel, w->nrel, r), NULL};
    size_t n = parts[1] ? 2 : 1;
    xsh_query *held = with_fields ? qry_word_fields(fields, w, r) : NULL;
    if (held) {
        parts[n++] = xsh_query_scale(held, r->field_weight);
        xsh_query_free(held);
    }
    return qry_combine_free(XSH_OP_OR, parts, n);
}

xsh_query *qry_word_inner(seg_state *st, const qry_word *w, const qry_rank *r)
{
    xsh_query *parts[MAX_PARTS];
    size_t n = 0;
    int exact;
    for (size_t i = 0; i < w->nsubs && n < MAX_PARTS; i++)
        if (strlen(w->subs[i]) > 3)            /* one Han character is three bytes: too wide */
            parts[n++] = qry_literal(st, w->subs[i], &exact);
    for (size_t i = 0; i < w->nalts && n < MAX_PARTS; i++) {
        word_ctx c;                            /* a synonym's own words (农业农村农民 → 农业 农村 农民) */
        memset(&c, 0, sizeof c);
        c.prefix = "";
        seg_cut(st, w->alts[i], strlen(w->alts[i]), SEG_MODE_ACCURATE, 0, word_token, &c);
        for (size_t k = 0; k < c.nsingles; k++)
            xsh_query_free(c.singles[k]);
        xsh_query *words = qry_combine_free(XSH_OP_OR, c.terms, c.n);
        if (c.n > 1 && c.n <= r->inner_max_words)   /* one word: the synonym itself, weighed
                                                      already; many: a slogan spelt out */
            parts[n++] = words;
        else
            xsh_query_free(words);
    }
    return qry_combine_free(XSH_OP_OR, parts, n);
}
