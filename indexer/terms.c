/* terms.c — one passage → one Xapian document, by the scheme in shim/schema.h:
 * its words (accurate and search-mode); the unigrams and bigrams of its Han text
 * and of the heading it stands directly under,
 * so 纺城 finds 轻纺城, 纺 finds every 纺, and the AND of a string's bigrams finds
 * every passage that may hold it (the query side verifies); the words of its
 * section path (S, weighted, and section:'s filter); filters, values and the
 * passage record as data. The words of its title, kind and year are its file
 * record's "fields" (idx_field_words), not terms.
 * 中国轻纺城。→ words 轻纺城 中国轻纺城 (中国 and 轻纺 are bigrams already) + bigrams
 * 中国 国轻 轻纺 纺城 + the run's last unigram 城 (as no bigram of the passage begins with 城) */
#include "indexer.h"
#include "doc.h"
#include "schema.h"
#include "xsh.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TERM 240           /* Xapian's limit is 245 bytes */

/* A Han character as the passage spells it (normalised). */
typedef struct {
    int32_t cp;
    char utf8[4];
    int len;
} han_char;

/* The characters that begin a bigram of the passage (a set: open addressing, 0
 * empty, at most half full) and those that end a Han run (once per run end),
 * across its text, lead sentence and innermost heading. */
typedef struct {
    int32_t *starts;
    size_t nstarts, cap_starts;
    han_char *ends;
    size_t nends, cap_ends;
    int failed;                /* out of memory */
} run_chars;

typedef struct {
    xsh_doc *doc;
    run_chars *runs;           /* where n-grams are added: the passage's */
    const char *prefix;        /* "" for text, WENSOU_PREFIX_SECTION for headings */
    int plain;                 /* with a prefix: the unprefixed word terms too */
    int ngrams;                /* add the Han unigrams and bigrams too */
    unsigned pos;              /* word position of the last accurate token */
    int32_t prev_han;          /* the Han character just before, or 0 */
    char prev_utf8[4];
    int prev_len;
    int rc;
    const char *text;          /* what is being cut (add_text) */
    size_t len;
} term_ctx;

#define SUBJECT_WDF 3          /* a long word said of, not listed: its wdf */

/* Whether the token stands in an enumeration: 、 right before or right after it
 * (首发经济、银发经济、会展经济), or 和/及 before it after a 、 in the same clause
 * (夜间经济和银发经济), where a passage names a topic without saying anything of it. */
static int listed(const term_ctx *c, const seg_token *t)
{
    static const char dun[] = "、";
    size_t k = sizeof dun - 1;    /* 、和及，。；： are all three bytes */
    if ((t->start >= k && memcmp(c->text + t->start - k, dun, k) == 0) ||
        (t->end + k <= c->len && memcmp(c->text + t->end, dun, k) == 0))
        return 1;
    if (t->start < k || (memcmp(c->text + t->start - k, "和", k) != 0 && memcmp(c->text + t->start - k, "及", k) != 0))
        return 0;
    for (size_t i = t->start - k; i >= k; i--) {
        const char *p = c->text + i - k;
        if (!memcmp(p, dun, k))
            return 1;
        if (!memcmp(p, "，", k) || !memcmp(p, "。", k) || !memcmp(p, "；", k) || !memcmp(p, "：", k))
            return 0;
    }
    return 0;
}

static size_t slot_of(int32_t cp, size_t cap)
{
    return ((uint32_t)cp * 2654435761u) & (cap - 1);
}

/* Whether the set holds cp (cp > 0). */
static int starts_bigram(const run_chars *r, int32_t cp)
{
    if (!r->cap_starts)
        return 0;
    for (size_t i = slot_of(cp, r->cap_starts);; i = (i + 1) & (r->cap_starts - 1)) {
        if (r->starts[i] == cp)
            return 1;
        if (r->starts[i] == 0)
            return 0;
    }
}

static int put_start(int32_t *set, size_t cap, int32_t cp)
{
    size_t i = slot_of(cp, cap);
    while (set[i] && set[i] != cp)
        i = (i + 1) & (cap - 1);
    if (set[i])
        return 0;
    set[i] = cp;
    return 1;
}

static void begins_bigram(run_chars *r, int32_t cp)
{
    if (2 * (r->nstarts + 1) > r->cap_starts) {
        size_t cap = r->cap_starts ? 2 * r->cap_starts : 256;
        int32_t *set = calloc(cap, sizeof *set);
        if (!set) {
            r->failed = 1;
            return;
        }
        for (size_t i = 0; i < r->cap_starts; i++)
            if (r->starts[i])
                put_start(set, cap, r->starts[i]);
        free(r->starts);
        r->starts = set;
        r->cap_starts = cap;
    }
    r->nstarts += (size_t)put_start(r->starts, r->cap_starts, cp);
}

/* Ends a Han run: its last character is noted for a unigram (every other one is the
 * first character of a bigram, which a one-character query finds by prefix). */
static void end_run(term_ctx *c)
{
    if (c->prev_han) {
        run_chars *r = c->runs;
        if (r->nends == r->cap_ends) {
            size_t cap = r->cap_ends ? 2 * r->cap_ends : 32;
            han_char *ends = realloc(r->ends, cap * sizeof *ends);
            if (ends) {
                r->ends = ends;
                r->cap_ends = cap;
            }
        }
        if (r->nends == r->cap_ends) {
            r->failed = 1;
        } else {
            han_char *h = &r->ends[r->nends++];
            h->cp = c->prev_han;
            memcpy(h->utf8, c->prev_utf8, (size_t)c->prev_len);
            h->len = c->prev_len;
        }
    }
    c->prev_han = 0;
}

/* The unigrams of the run ends whose character begins no bigram of the passage:
 * a one-character query (a prefix) finds the others by their bigrams, so their
 * unigrams would add postings and nothing to what matches (4 in 10 on the corpus). */
static int add_run_ends(xsh_doc *doc, const run_chars *r)
{
    if (r->failed)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < r->nends; i++) {
        const han_char *h = &r->ends[i];
        if (!starts_bigram(r, h->cp))
            rc |= xsh_doc_add_term(doc, h->utf8, (size_t)h->len, 1);
    }
    return rc;
}

static void add_ngrams(term_ctx *c, const seg_token *t)
{
    for (size_t i = 0; i < t->norm_len;) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)t->norm + i, t->norm_len - i, &cp);
        if (n == 0)
            n = 1;
        if (wensou_ngram_char(cp)) {
            if (c->prev_han) {
                char term[8];
                memcpy(term, c->prev_utf8, (size_t)c->prev_len);
                memcpy(term + c->prev_len, t->norm + i, (size_t)n);
                c->rc |= xsh_doc_add_term(c->doc, term, (size_t)c->prev_len + (size_t)n, 1);
                begins_bigram(c->runs, c->prev_han);
            }
            c->prev_han = cp;
            memcpy(c->prev_utf8, t->norm + i, (size_t)n);
            c->prev_len = n;
        } else {
            end_run(c);
        }
        i += (size_t)n;
    }
}

/* Counts the characters of s that get n-grams, and the others. */
static void count_han(const char *s, size_t len, size_t *han, size_t *other)
{
    *han = *other = 0;
    for (size_t i = 0; i < len;) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (wensou_ngram_char(cp))
            ++*han;
        else
            ++*other;
        i += n ? (size_t)n : 1;
    }
}

/* Words: Chinese words rank (their adjacency is the bigrams' job) and carry no
 * positions; Latin words and numbers keep positions for quoted phrases. Headings
 * add their words (and S-prefixed copies for section:) but no n-grams. */
static int add_token(void *ctx, const seg_token *t)
{
    term_ctx *c = ctx;
    if (t->kind != SEG_KIND_WORD) {
        if (!t->sub)
            end_run(c);                    /* punctuation breaks the n-grams */
        return 0;
    }
    unsigned pos = t->sub ? c->pos + 1 : ++c->pos;
    size_t plen = strlen(c->prefix), han, other;
    count_han(t->norm, t->norm_len, &han, &other);
    if (t->norm_len + plen <= MAX_TERM) {
        if ((plen && !c->plain) || (c->ngrams && other == 0 && han <= 2))
            ;                              /* not here, or an n-gram already */
        else if (t->sub || han)          /* a word of 3+ characters said of, not listed, ranks more */
            c->rc |= xsh_doc_add_term(c->doc, t->norm, t->norm_len,
                                      !plen && c->ngrams && han >= 3 && !t->sub && !listed(c, t) ? SUBJECT_WDF : 1);
        else
            c->rc |= xsh_doc_add_posting(c->doc, t->norm, t->norm_len, pos, 1);
        if (plen) {
            char term[MAX_TERM + 8];
            memcpy(term, c->prefix, plen);
            memcpy(term + plen, t->norm, t->norm_len);
            c->rc |= xsh_doc_add_term(c->doc, term, plen + t->norm_len, 1);   /* S: a weighted field */
        }
    }
    if (!t->sub && c->ngrams)
        add_ngrams(c, t);
    return 0;
}

static int add_text(term_ctx *c, seg_state *st, const char *text, size_t len)
{
    c->prev_han = 0;
    c->text = text;
    c->len = len;
    int rc = seg_cut(st, text, len, SEG_MODE_SEARCH, 0, add_token, c);
    if (c->ngrams)
        end_run(c);
    return rc ? rc : c->rc;
}

#define LEAD_MAX_CHARS 16

/* Bytes of a lead sentence of at most LEAD_MAX_CHARS characters ending in 。, or 0. */
static size_t lead_sentence(const char *text, size_t len)
{
    size_t chars = 0;
    for (size_t i = 0; i < len && chars <= LEAD_MAX_CHARS;) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)text + i, len - i, &cp);
        i += n ? (size_t)n : 1;
        chars++;
        if (cp == 0x3002)
            return chars >= 4 && i < len ? i : 0;
        if (cp == 0xFF0C || cp == 0xFF1B || cp == 0xFF1A)
            return 0;                  /* a clause, not a lead */
    }
    return 0;
}

/* The year of d's date ("2020" of 2020-01-08), or "". */
static void year_of(const idx_doc *d, char year[8])
{
    year[0] = 0;
    if (d->date && strlen(d->date) >= 4) {
        memcpy(year, d->date, 4);
        year[4] = 0;
    }
}

typedef struct {
    char *words;               /* "w1 w2 …" */
    size_t len, cap;
    int rc;
} field_ctx;

static int add_field_word(void *ctx, const seg_token *t)
{
    field_ctx *c = ctx;
    if (t->kind != SEG_KIND_WORD || t->norm_len + 1 > MAX_TERM)
        return 0;
    if (c->len + t->norm_len + 2 > c->cap) {
        size_t cap = 2 * (c->len + t->norm_len + 2);
        char *w = realloc(c->words, cap);
        if (!w) {
            c->rc = -1;
            return 1;
        }
        c->words = w;
        c->cap = cap;
    }
    if (c->len)
        c->words[c->len++] = ' ';
    memcpy(c->words + c->len, t->norm, t->norm_len);   /* a word holds no space */
    c->len += t->norm_len;
    c->words[c->len] = 0;
    return 0;
}

json_t *idx_field_words(const idx_doc *d, seg_state *st)
{
    field_ctx c = {NULL, 0, 0, 0};
    char year[8];
    year_of(d, year);
    const char *fields[] = {d->title, d->kind, year};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0] && !c.rc; i++)
        if (fields[i] && *fields[i] && seg_cut(st, fields[i], strlen(fields[i]), SEG_MODE_SEARCH, 0, add_field_word, &c) != 0)
            c.rc = -1;
    json_t *words = c.rc ? NULL : json_stringn(c.words ? c.words : "", c.len);   /* words are UTF-8 */
    free(c.words);
    return words;
}

/* WENSOU_SLOT_NORM: the normalised text, a newline, the normalised innermost heading. */
static int add_norm_value(xsh_doc *doc, seg_state *st, const idx_passage *p)
{
    const char *n;
    size_t nlen;
    if (seg_normalize(st, p->text, p->text_len, &n, &nlen, NULL) != 0)
        return -1;
    char *v = malloc(nlen + 2);
    if (!v)
        return -1;
    memcpy(v, n, nlen);
    v[nlen] = '\n';
    size_t vlen = nlen + 1;
    if (p->nsection) {
        const char *h = p->section[p->nsection - 1];
        if (seg_normalize(st, h, strlen(h), &n, &nlen, NULL) != 0) {
            free(v);
            return -1;
        }
        char *nv = realloc(v, vlen + nlen);
        if (!nv) {
            free(v);
            return -1;
        }
        v = nv;
        memcpy(v + vlen, n, nlen);
        vlen += nlen;
    }
    int rc = xsh_doc_set_value(doc, WENSOU_SLOT_NORM, v, vlen);
    free(v);
    return rc;
}

static int add_value(xsh_doc *doc, unsigned slot, const char *v)
{
    return v ? xsh_doc_set_value(doc, slot, v, strlen(v)) : 0;
}

static int add_bool(xsh_doc *doc, const char *prefix, const char *v)
{
    if (!v || !*v)
        return 0;
    char term[MAX_TERM + 8];
    int n = snprintf(term, sizeof term, "%s%s", prefix, v);
    if (n <= 0 || n > MAX_TERM)
        return 0;              /* a path too long for a term: no filter on it */
    return xsh_doc_add_boolean_term(doc, term, (size_t)n);
}

int idx_passage_document(const idx_doc *d, const idx_passage *p, seg_state *st, xsh_doc **out)
{
    *out = NULL;
    xsh_doc *doc = xsh_doc_new();
    if (!doc)
        return IDX_ENOMEM;
    run_chars runs = {0};
    term_ctx c = {.doc = doc, .runs = &runs, .prefix = "", .plain = 1, .ngrams = 1};
    int rc = add_text(&c, st, p->text, p->text_len);

    /* A short lead sentence (营商环境持续优化。…) is the paragraph's own bold
     * heading in a report: it counts as a heading too. */
    size_t lead = lead_sentence(p->text, p->text_len);
    if (lead && !rc) {
        term_ctx l = {.doc = doc, .runs = &runs, .prefix = WENSOU_PREFIX_SECTION, .plain = 1, .ngrams = 1,
                      .pos = WENSOU_HEADING_POS - 1000};
        rc = add_text(&l, st, p->text, lead);
    }

    /* the section path's words, for section: and weighted as a field (schema.h);
     * the innermost heading's belong to the passage (so an unprefixed word term is
     * in its text or that heading, as the query side's literal check assumes) */
    term_ctx h = {.doc = doc, .runs = &runs, .prefix = WENSOU_PREFIX_SECTION, .pos = WENSOU_HEADING_POS};
    for (size_t i = 0; i < p->nsection && !rc; i++) {
        int innermost = i + 1 == p->nsection;
        h.plain = innermost;
        h.ngrams = innermost;
        rc = add_text(&h, st, p->section[i], strlen(p->section[i]));
        h.pos++;
    }

    if (!rc)
        rc = add_run_ends(doc, &runs);
    free(runs.starts);
    free(runs.ends);
    rc |= add_norm_value(doc, st, p);

    char year[8];
    year_of(d, year);

    char page[16];
    snprintf(page, sizeof page, "%06d", p->page);
    rc |= add_bool(doc, WENSOU_PREFIX_FILE, d->path);
    rc |= add_bool(doc, WENSOU_PREFIX_KIND, d->kind);
    rc |= add_bool(doc, WENSOU_PREFIX_YEAR, year);
    rc |= add_value(doc, WENSOU_SLOT_DATE, d->date ? d->date : "");
    rc |= add_value(doc, WENSOU_SLOT_PAGE, page);
    rc |= add_value(doc, WENSOU_SLOT_FILE, d->path);
    rc |= add_value(doc, WENSOU_SLOT_YEAR, year);

    json_t *rec = idx_passage_json(d, p);      /* whole: INTERFACE.md, "The index on disk" */
    char *data = rec ? json_dumps(rec, JSON_COMPACT) : NULL;
    json_decref(rec);
    if (!data)
        rc = IDX_ENOMEM;
    else
        rc |= xsh_doc_set_data(doc, data, strlen(data));
    free(data);
    if (rc) {                  /* the only way adding terms fails is running out of memory */
        xsh_doc_free(doc);
        return IDX_ENOMEM;
    }
    *out = doc;
    return 0;
}
