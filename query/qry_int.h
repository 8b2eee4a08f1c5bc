/* qry_int.h — query-side internals: normalised text with its map back to the
 * original bytes, the parsed query, Xapian query building, synonyms. */
#ifndef WENSOU_QRY_INT_H
#define WENSOU_QRY_INT_H

#include "qry.h"
#include "rank.h"
#include "xsh.h"

#include <stdint.h>

#define QRY_ERESTART (-100)      /* inside qry_search only: a commit overtook the search's revision */
int qry_fail(qry_err *err, int code, const char *fmt, const char *arg);
/* Appends a copy of s[0, len) to the string array *arr of *n; 0, or -1 out of memory. */
int qry_strs_push(char ***arr, size_t *n, const char *s, size_t len);

/* ---- normalised text (normtext.c) ---- */
typedef struct {
    char *s;                 /* normalised, NUL-terminated (owned) */
    size_t len;
    uint32_t *orig;          /* orig[i]: offset in src of the character normalised byte i came from */
    const char *src;         /* borrowed: must outlive the normtext */
    size_t src_len;
} qry_normtext;

/* text (under 4 GiB) normalised into an owned copy; free it with qry_normtext_free. */
int  qry_normalize(seg_state *st, const char *text, size_t len, qry_normtext *out);
void qry_normtext_free(qry_normtext *t);     /* zeroes it; a zeroed one is fine */
/* The original byte range of the normalised range [a, b). */
void qry_normtext_map(const qry_normtext *t, size_t a, size_t b, size_t *os, size_t *oe);
/* The characters of UTF-8 s[0, len) (bytes that begin one). */
size_t qry_utf8_chars(const char *s, size_t len);
/* A query word or synonym as a literal to find: normalised, punctuation at its ends
 * dropped (“营商环境”， → 营商环境). malloc'd; NULL when nothing searchable is left. */
char *qry_literal_norm(seg_state *st, const char *text);

/* ---- the parsed query (parse.c) and what its words say (analysis.c) ---- */
typedef struct {
    char *norm;              /* a content word of the unit (accurate segmentation) */
    char **alts;             /* its synonyms, normalised */
    size_t nalts;
    char **rel;              /* its related expressions (dict/related.txt), normalised */
    size_t nrel;
    char **subs;             /* the search-mode words inside it (广东省政府 → 广东 广东省 省政府 政府) */
    size_t nsubs;
    size_t start, end;       /* its bytes in the unit's norm */
    int single;              /* one Han character */
    int named;               /* it named the documents searched (河南 in 河南乡村振兴):
                                there it ranks nothing */
} qry_word;

/* Consecutive content words of a unit that together are a member of a synonym or
 * related group (企业 负担 → 企业负担; 减轻 企业 负担 → 减轻企业负担): a passage
 * holding one of the group's other members (降本减负) holds all of them. */
typedef struct {
    size_t start, end;       /* its bytes in the unit's norm; the words inside are its words */
    char **alts;             /* synonyms of the words together, normalised */
    size_t nalts;
    char **rel;              /* related expressions */
    size_t nrel;
} qry_span;

typedef struct {
    char *norm;              /* normalised literal: what a passage must contain */
    int phrase, negated;
    size_t slot;             /* units in one slot are alternatives (A OR B) */
    char **alts;             /* synonyms, normalised */
    size_t nalts;
    qry_word *words;         /* its content words (none for a phrase or a -word) */
    size_t nwords;
    qry_span *spans;         /* runs of its words that are one expression, not overlapping */
    size_t nspans;
    int function;            /* only question or function words (如何, 各省): no slot */
    int optional;            /* it named the documents searched (naming.c): its words
                                rank, but no passage must hold it */
} qry_unit;

#define QRY_PASTED_CHARS 30      /* a query whose words are longer than this together is a
                                    pasted passage (a quotation), not a topic */

typedef struct {
    qry_unit *units;
    size_t n, nslots;
    char **docs, **kinds, **sections;
    size_t ndocs, nkinds, nsections;
    char **regions;          /* region: values (alternatives) */
    size_t nregions;
    char **region_files;     /* the files whose title's region holds one (qry_region_files) */
    size_t nregion_files;
    int year_lo, year_hi;    /* 0: no bound */
    int page_lo, page_hi;    /* 0: no bound */
    int pasted;              /* a quotation (QRY_PASTED_CHARS): it names nothing, and
                                its rarest words find where it is from */
    int asks_definition;     /* 什么是…, …的含义: glossary entries first */
} qry_parsed;

int  qry_parse(const char *q, seg_state *st, const qry_synonyms *syn, qry_parsed *out, qry_err *err);
void qry_parsed_free(qry_parsed *p);

/* Fills u->words from u->norm: its accurate words less function words (and less
 * one-character words when it has longer ones), each with its synonyms and the
 * search-mode words inside it; sets u->function. 0 or QRY_ENOMEM. */
int  qry_unit_analyse(seg_state *st, const qry_synonyms *syn, qry_unit *u);
/* Whether norm[0, len) is a question or function word (如何, 是多少, 各省, 的). */
int  qry_is_function_word(const char *norm, size_t len);
void qry_word_free(qry_word *w);
/* Frees u's words and spans (not its norm or alts). */
void qry_unit_free_words(qry_unit *u);
/* The span of u that holds word i, or NULL. */
const qry_span *qry_span_of(const qry_unit *u, size_t i);
/* Whether q (normalised) asks what something means (什么是千万工程, 两重 含义): a
 * glossary entry (名词解释) answers it best. */
int  qry_asks_definition(const char *q);

/* ---- synonyms (synonyms.c) ---- */
/* The other members of the group holding norm (NULL-terminated, owned by s), or NULL. */
char *const *qry_synonyms_of(const qry_synonyms *s, const char *norm);
/* The other members of the related group holding norm (NULL-terminated), or NULL. */
char *const *qry_related_of(const qry_synonyms *s, const char *norm);
/* A layer over base (which must outlive it) with the pairs pairs[2i] ↔ pairs[2i+1]
 * (an abbreviation and its full form) as synonyms, each also joining base's group
 * of either side; lookups fall through to base. A member keeps the partners the
 * most pairs give, MINED_PARTNERS of them (synonyms.c; ties in byte order), so
 * that a query's size does not grow with the files that define it. 0 or
 * QRY_ENOMEM. */
int qry_synonyms_layer(const qry_synonyms *base, const char *const *pairs, size_t npairs, seg_state *st,
                       qry_synonyms **out, qry_err *err);

/* ---- literal presence, for the match decider (verify.c) ---- */
typedef struct {
    const char *text;        /* a literal (a unit's word or one of its synonyms) */
    int word;                /* it is one word of the segmenter: its word term proves it */
    char *terms;             /* the terms its query needs, NUL-terminated, back to back */
    size_t nterms;
} qry_needle;

typedef struct {
    const qry_parsed *p;
    int tier;                /* 0: accept passages holding every word; 1: only with
                                synonyms; 2: the others */
    int above_excluded;      /* the tier's query already excludes the tier above */
    qry_needle *needles;     /* per unit: its word, then its synonyms */
    size_t nneedles;
    size_t *first;           /* per unit: the index of its first needle */
    unsigned char *excluded; /* per unit: a -word the query itself excludes (exact) */
    unsigned char *possible; /* per needle, scratch: not ruled out for this candidate */
    xsh_candidate *cand;     /* the passage being decided */
    char *buf;               /* its normalised text, read when needed */
    size_t cap;
    const char *text, *head;
    int loaded;              /* 0 not yet, 1 read, -1 unreadable */
    unsigned *above;         /* sorted: every passage tiers 0 and 1 matched, when known */
    size_t nabove, capabove;
    int above_known;         /* tier 2 then only drops those (and -words), reading nothing */
} qry_verifier;

int  qry_verifier_init(qry_verifier *v, seg_state *st, const qry_parsed *p);
/* Notes the passages a tier above the partial one matched (r's hits); complete
 * says they are all of its matches (it ran from its first hit and ran out before
 * the limit). */
void qry_verifier_note_above(qry_verifier *v, const xsh_result *r, int complete);
void qry_verifier_free(qry_verifier *v);
/* Whether the partial tier's check is by docid alone: every passage above is known
 * and no -word is left to look for in the text (partial_by_docid), so a query can
 * exclude those passages itself and the tier needs no check. */
int  qry_verifier_by_docid(const qry_verifier *v);
/* The xsh_search_opts.decider: does the candidate belong to v->tier? */
int  qry_verify(void *ctx, xsh_candidate *c);

/* ---- the tiers of a search (tiers.c) ---- */
#define NTIERS 3
#define QRY_LITERAL_PARTS 8      /* a checked literal's candidates: the AND of its rarest
                                    parts this many (a pasted sentence's 91 bigrams took
                                    11 ms at x1000, its 8 rarest 2 ms, the same 1,000 matches) */
/* Tier 0: every word held exactly (in the text or its heading). Tier 1: every word
 * held, some only as a synonym. Tier 2: the rest that matches some word, or its
 * parts apart. Without synonyms tier 1 is empty and not run. */
typedef struct {
    xsh_query *q[NTIERS];        /* NULL: the tier is not run */
    int exact[NTIERS];           /* the tier's query says exactly what it holds: no
                                    literal needs checking against the text */
    int excludes_above[NTIERS];  /* its query is AND_NOT the (exact) tier above */
    xsh_query *every;            /* the passages holding every content word (in text,
                                    synonyms or fields): what total counts when no
                                    passage holds the literals; NULL for none */
} qry_tiers;

/* The tiers' queries for p (filters and exclusions applied), a word in the
 * documents' fields as fields says (NULL: in the headings only); free each q[k]. */
typedef struct qry_fieldmap qry_fieldmap;
qry_tiers qry_build_tiers(xsh_db *db, seg_state *st, const qry_parsed *p, const qry_rank *r,
                          qry_fieldmap *fields);

/* ---- word → the files whose fields hold it (fieldmap.c; loading: engine.h) ---- */
void qry_fieldmap_free(qry_fieldmap *m);                   /* NULL-safe */
/* The passages of the files whose fields hold word, weighed as each one's D term
 * was (xsh_query_field_word, with r's BM25: the same on every call, as the query
 * is built once per word and revision), or NULL when none does (m NULL: none). */
xsh_query *qry_fieldmap_query(qry_fieldmap *m, const char *word, const qry_rank *r);

/* ---- docid → file (filemap.c) ---- */
typedef struct qry_filemap qry_filemap;
/* The docid ranges of every indexed file, from the files' records in db. */
int  qry_filemap_load(qry_engine *e, qry_filemap **out);     /* from qry_file_shared's records */
void qry_filemap_free(qry_filemap *m);                     /* NULL-safe */
/* Counts docid's file (an xsh_search_opts.on_match callback; ctx is the map). */
void qry_filemap_count(void *ctx, unsigned docid);
/* Adds the files counted since the last keep to the search's counts, each scaled
 * (qry_facet_scaled: a match counted a sample), and starts counting afresh. */
void qry_filemap_keep(qry_filemap *m, double scale);
/* Drops the files counted since the last keep (a match to be counted again). */
void qry_filemap_forget(qry_filemap *m);
/* A file's facet values, borrowed from what its passages share (qry_file_shared,
 * which lives as long as the map: both go with the revision). */
typedef struct {
    const char *kind, *year, *region;
    int name_ok;                 /* the file's name is UTF-8 (qry_json_text): a JSON key */
    int known;                   /* filled in */
} qry_file_fields;
/* fn(ctx, file, n, fields) for each file of the search's counts, in the order first
 * kept (fields: the caller's for that file, kept with the map; fn may be NULL), and
 * empties them for the next search. */
void qry_filemap_emit(qry_filemap *m, void (*fn)(void *ctx, const char *file, size_t n, qry_file_fields *fields),
                      void *ctx);

/* ---- a search's facets (facets.c; the type is qry.h's) ---- */
/* Counts n more passages under name (NULL: none; UTF-8); qry_facet_add_new when
 * name is not counted yet (a file the map emits once), which skips looking for it. */
void qry_facet_add(qry_facet *f, const char *name, size_t n);
void qry_facet_add_new(qry_facet *f, const char *name, size_t n);
/* n passages counted in a sample that is scale of the whole: at least 1 when any
 * was; 0 when scale ≤ 0 (the sample stands for nothing). */
size_t qry_facet_scaled(size_t n, double scale);
void qry_facets_free(qry_facets *f);
/* INTERFACE.md's "facets" object, compact. */
void qry_facets_write(qry_buf *b, const qry_facets *f);

/* ---- Xapian queries (build.c) ---- */
/* op over q[0, n), freeing them: NULL for none, q[0] itself for one. */
xsh_query *qry_combine_free(xsh_op op, xsh_query **q, size_t n);
/* A passage holds literal: the n-gram and word terms that find every passage that
 * may hold it in its text or the heading it stands under; *exact is 0 when a match
 * must still be verified against them. */
xsh_query *qry_literal(seg_state *st, const char *literal, int *exact);
/* The same, calling on_term with each term the query needs (all must be present in
 * a passage that holds the literal). */
xsh_query *qry_literal_terms(seg_state *st, const char *literal, int *exact,
                             void (*on_term)(void *ctx, const char *term, size_t len), void *ctx);
/* What a literal's words add to its rank beyond its own n-grams: the OR of its Han
 * words of three or more characters (a shorter one is an n-gram the literal's
 * query already weighs), or NULL when it has none. */
xsh_query *qry_rank_words(seg_state *st, const char *literal);
/* A content word in the document's fields: the passages of the files whose title,
 * kind or year holds it (fields: fieldmap.c) OR S + it (the indexer writes the
 * search-mode words of the title, kind and year in the file record, of the headings
 * as S terms, so 广东 finds 广东省's), or NULL for one character. (The fields of
 * the words inside it too cost 10% of a natural query's time and changed no nDCG on
 * bench/eval.) */
xsh_query *qry_word_fields(qry_fieldmap *fields, const qry_word *w, const qry_rank *r);
/* A content word as a passage may hold it: its literal in the text (unverified),
 * a synonym's (weighted r->synonym_weight), or, with_fields, in the document's
 * fields (weighted r->field_weight; fields may be NULL: the headings alone). */
xsh_query *qry_word_any(seg_state *st, const qry_word *w, const qry_rank *r, int with_fields,
                        qry_fieldmap *fields);
/* What a span of words may be held as instead: its synonyms and related
 * expressions (weighted), or NULL for none. */
xsh_query *qry_span_alternatives(seg_state *st, const qry_span *s, const qry_rank *r);
/* The OR of the text terms of the words inside a content word (its search-mode
 * sub-words of two or more characters) and of its synonyms' own words (those of at
 * most r->inner_max_words), or NULL for none. */
xsh_query *qry_word_inner(seg_state *st, const qry_word *w, const qry_rank *r);
/* The filters (doc:, kind:, year:, section:) as one query, or NULL for none. */
xsh_query *qry_filters(xsh_db *db, seg_state *st, const qry_parsed *p);

#endif
