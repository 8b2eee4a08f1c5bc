/* qry.h — the query side: a query string people type → ranked passages with their
 * sections, pages, byte ranges and highlights, as the JSON object INTERFACE.md
 * describes for `search --json`. Used by `wensou search` and the daemon. */
#ifndef WENSOU_QRY_H
#define WENSOU_QRY_H

#include "seg.h"
#include <jansson.h>
#include <stddef.h>

#define QRY_EOK      0
#define QRY_ENOMEM  (-1)
#define QRY_ENOINDEX (-2)   /* no index at that path (yet) */
#define QRY_EINDEX  (-3)    /* the index could not be read (corrupt, locked, I/O) */
#define QRY_ESCHEMA (-4)    /* an index of another schema version: re-index */
#define QRY_EQUERY  (-5)    /* nothing to search for */
#define QRY_EINVAL  (-6)    /* bad argument (limit, synonyms file) */
#define QRY_ETOOCOMPLEX (-7) /* more terms than QRY_MAX_TERMS once expanded */
#define QRY_ETIMEOUT (-8)   /* the search ran past the request's time limit */
#define QRY_ENOTFOUND (-9)  /* no indexed document has that id */

typedef struct { int code; char msg[256]; } qry_err;   /* caller-owned */

/* Synonym groups (dict/synonyms.txt: one group per line, members separated by " / "). */
typedef struct qry_synonyms qry_synonyms;
int  qry_synonyms_load(const char *path, const seg_dict *d, qry_synonyms **out, qry_err *err);
/* Adds the related expressions of path (dict/related.txt, the same form): they only
 * widen the best match, weighted below synonyms. A NULL path adds none. */
int  qry_synonyms_add_related(qry_synonyms *s, const char *path, const seg_dict *d, qry_err *err);
void qry_synonyms_free(qry_synonyms *s);                 /* NULL-safe */

/* One engine per thread: its own index handle and segmenter state; the dictionary
 * and synonyms are shared read-only. */
typedef struct qry_engine qry_engine;
int  qry_engine_open(const char *db_path, const seg_dict *d, const qry_synonyms *syn,
                     qry_engine **out, qry_err *err);
void qry_engine_close(qry_engine *e);                    /* NULL-safe */
/* Sees the latest commit (cheap when nothing changed); opens the index when it
 * did not exist before. */
int  qry_engine_reopen(qry_engine *e, qry_err *err);
/* Closes the index handle; the next search opens the index afresh (SIGHUP). */
void qry_engine_reset(qry_engine *e);
/* The engine answers many searches (a daemon's): it keeps the index's commonest
 * posting lists in memory, each read whole on first use and kept per revision,
 * which makes later searches skip through them cheaply (a one-off search would
 * only pay for reading them). */
void qry_engine_serving(qry_engine *e);

#define QRY_MAX_LIMIT 1000
/* Distinct index terms a query may search once expanded (its words, their n-grams,
 * synonyms and fields, over every tier): a query past it is refused before any
 * posting list is read (QRY_ETOOCOMPLEX). */
#define QRY_MAX_TERMS 2048

typedef struct {
    const char *q;
    size_t limit, offset, per_doc;      /* per_doc 0: no limit */
    unsigned timeout_ms;                /* past it the search stops with QRY_ETIMEOUT; 0: none */
} qry_request;

/* ---- a search's result (result.c): typed, with the one JSON writer ---- */
typedef struct { size_t start, end; } qry_range;
typedef struct { char **s; size_t n; } qry_strings;

/* Why a hit matched (INTERFACE.md, "match"). */
typedef struct {
    const char *type;            /* literal, synonym, all_words, partial, document (static) */
    qry_strings via;             /* the synonyms and related expressions it holds instead */
    qry_strings missing;         /* the query's content words it lacks (partial) */
} qry_match;

typedef struct {
    size_t rank;
    double score;                /* rounded to 3 decimals */
    json_t *record;              /* the passage's fields (file, title, date, …, text): a reference */
    json_t *fragment;            /* the same as JSON text without braces (a string cached
                                    per index revision: a reference), or NULL */
    qry_range *highlights;       /* byte ranges in the text, sorted and apart */
    qry_range *highlights_chars; /* the same ranges counted in code points */
    size_t nhighlights;
    char doc_id[17];             /* its document's stable id (qry_document_id) */
    qry_match match;
} qry_hit;

/* One facet: names and the passages counted under each, in the order first counted. */
typedef struct {
    char *name;
    size_t n;
} qry_facet_count;

typedef struct {
    qry_facet_count *v;
    size_t n, cap;
    json_t *index;               /* name → position, once the facet is long (facets.c) */
    int failed;                  /* out of memory: a count was dropped */
} qry_facet;

/* INTERFACE.md's facets: passages per document (file), kind, year and region. */
typedef struct {
    qry_facet documents, kinds, years, regions;
} qry_facets;

typedef struct {
    char *query;
    size_t total;
    int total_is_estimate;       /* total and facets are estimates (a large index, or
                                    more matches than were examined) */
    double took_ms;
    qry_hit *hits;
    size_t nhits;
    qry_facets facets;
} qry_result;

/* Runs one search; *out gets its result (the caller frees it). */
int qry_search(qry_engine *e, const qry_request *req, qry_result **out, qry_err *err);
void qry_result_free(qry_result *r);                     /* NULL-safe */

typedef struct qry_buf qry_buf;
/* The one JSON writer of a result: INTERFACE.md's result object, compact, as
 * `search --json`, NDJSON's "result" and HTTP's body all hold it. */
int qry_result_write(qry_buf *b, const qry_result *r);
/* That text (malloc'd, NUL-terminated), or NULL when out of memory. */
char *qry_result_text(const qry_result *r, size_t *len);
/* That text read back as a jansson value (tests, the terminal view); NULL when out
 * of memory. */
json_t *qry_result_json(const qry_result *r);

/* ---- JSON text in one buffer (jsonbuf.c) ---- */
struct qry_buf {
    char *s;
    size_t len, cap;
    int failed;
};                           /* zero it to start */
int  qry_buf_put(qry_buf *b, const char *data, size_t size);
int  qry_buf_puts(qry_buf *b, const char *text);
int  qry_buf_json(qry_buf *b, const json_t *j, size_t flags);   /* any value */
/* Whether s is UTF-8 text, as every string written as JSON must be. */
int  qry_json_text(const char *s);
/* A string (valid UTF-8) and a whole number as jansson writes them. */
void qry_buf_string(qry_buf *b, const char *s, size_t len);
void qry_buf_integer(qry_buf *b, json_int_t v);
/* A number as jansson writes a real with JSON_REAL_PRECISION(6): 12.5, 3.0. */
int  qry_buf_real(qry_buf *b, double v);
/* The same text for compact flags (no indent, sorting or escaping beyond JSON's),
 * written here; reals (and anything else) still go through jansson. */
int  qry_buf_compact(qry_buf *b, const json_t *j, size_t flags);
/* The text (NUL-terminated, the caller's), or NULL if anything failed; resets b. */
char *qry_buf_finish(qry_buf *b, size_t *len);

/* {"documents": files, "passages": passages, "schema": version}; a new reference. */
int qry_stats(qry_engine *e, json_t **out, qry_err *err);

/* ---- documents (documents.c) ---- */
/* A file's stable id: 16 hex digits of a 64-bit hash of its absolute path. */
void qry_document_id(const char *file, char out[17]);
/* {"documents": [{"id","file","title","date","kind","issuer","pages","passages"}]}. */
int qry_documents(qry_engine *e, json_t **out, qry_err *err);
/* {"id","file","title","date","kind","issuer","passages": [{"start","end","page",
 * "page_end","section","text"}]}: the document's passages that overlap bytes
 * [start, end) (end 0: to its end), at most 2000; QRY_ENOTFOUND for an unknown id. */
int qry_document_text(qry_engine *e, const char *id, size_t start, size_t end, json_t **out, qry_err *err);

#endif
