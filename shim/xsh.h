/* xsh.h — a plain C API over libxapian 1.4, the only door to Xapian in the tree.
 * Opaque handles, int status codes, a caller-owned error; no exception crosses it.
 * A handle is used by one thread at a time; open one database handle per thread. */
#ifndef WENSOU_XSH_H
#define WENSOU_XSH_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {

#endif

#define XSH_EOK         0
#define XSH_EMODIFIED  (-1)   /* DatabaseModifiedError: reopen() and retry */
#define XSH_ELOCKED    (-2)   /* DatabaseLockError: another process is writing */
#define XSH_ECORRUPT   (-3)   /* DatabaseCorruptError */
#define XSH_ENOTFOUND  (-4)   /* no database there, or no such document */
#define XSH_EVERSION   (-5)   /* a database of another format or schema version */
#define XSH_EINVAL     (-6)   /* bad argument, bad query */
#define XSH_ENOMEM     (-7)
#define XSH_EIO        (-8)   /* other database errors (opening, disk) */
#define XSH_EOTHER     (-9)
#define XSH_ETIMEOUT  (-10)   /* a search ran past its deadline */
#define XSH_ENOSPACE  (-11)   /* the disk is full (writing, committing) */
#define XSH_ENETWORK  (-12)   /* a remote shard cannot be reached or did not answer in time */

typedef struct { int code; char msg[256]; } xsh_err;   /* caller-owned: reporting never allocates */

const char *xsh_strerror(int code);

/* ---- databases ---- */
typedef struct xsh_db xsh_db;

#define XSH_READ    0
#define XSH_WRITE   1   /* open or create for writing; fails with XSH_ELOCKED when another writer holds it.
                           Sets XAPIAN_FLUSH_THRESHOLD for this writer unless it was set before
                           the process's first writer opened (the user's); writers open one at a time,
                           from any thread */
#define XSH_LARGE   2   /* with XSH_WRITE: the writer takes a large batch (xsh_db_open: flushes less often) */

/* Whether path holds an index already (an index folder's version file, or a shard
 * set's stub): what a writer opening it would not create. */
int xsh_db_exists(const char *path);

/* path: an index folder, or (reading) a shard set: a stub file, or a folder holding
 * one as XAPIANDB, in Xapian's stub format, one shard a line: "auto PATH" (an index
 * or a stub, relative to the stub's folder) or "remote HOST:PORT" (an index served
 * by xapian-tcpsrv; also "remote tcp HOST PORT"). The shards are searched as one,
 * with statistics over all of them. A remote shard that does not connect or answer
 * within WENSOU_SHARD_TIMEOUT seconds (default 10) fails with XSH_ENETWORK; the
 * next xsh_db_refresh opens every shard again. */
int  xsh_db_open(const char *path, int flags, xsh_db **out, xsh_err *err);
/* Process-wide, off at start: whether a stub may name remote shards. Until it is
 * on, opening one is refused (XSH_EINVAL) before any connection is made, so a
 * --db never opens a network connection unless the user asked for it. */
void xsh_allow_remote_shards(int allow);
/* The local indexes a shard set's stub at path lists, in order (*paths and each
 * path malloc'd; the caller frees them): XSH_ENOTFOUND when path is no stub (an
 * index, or nothing), XSH_EINVAL when it lists a remote shard or cannot be read. */
int  xsh_stub_shards(const char *path, char ***paths, size_t *n, xsh_err *err);
void xsh_db_close(xsh_db *db);                                   /* NULL-safe; a writer commits first */
/* Closes a writer without committing: the index stays at its last commit (after a
 * failed write, when committing again could only fail). NULL-safe. */
void xsh_db_discard(xsh_db *db);
int  xsh_db_reopen(xsh_db *db, xsh_err *err);                     /* readers: see the latest commit */
/* Readers: xsh_db_reopen only when the index's version file changed since (two
 * stats; a glass commit replaces the file). An index replaced by another (its
 * folder renamed over, or another index's files copied in: a new UUID) is opened
 * afresh, and the generation counts up; a deleted one gives XSH_ENOTFOUND. */
int  xsh_db_refresh(xsh_db *db, xsh_err *err);
/* Readers: the next xsh_db_refresh reopens (and checks the UUID) whatever the
 * version file's stat says: Xapian has said a newer revision exists. */
void xsh_db_mark_stale(xsh_db *db);
/* How many times the handle opened a replacement index (caches keyed by docid or
 * revision are stale when it changes). */
unsigned xsh_db_generation(const xsh_db *db);
int  xsh_db_commit(xsh_db *db, xsh_err *err);
int  xsh_db_begin_transaction(xsh_db *db, xsh_err *err);          /* unflushed: visible at the next commit */
int  xsh_db_commit_transaction(xsh_db *db, xsh_err *err);
int  xsh_db_cancel_transaction(xsh_db *db, xsh_err *err);
int  xsh_db_doc_count(xsh_db *db, size_t *out, xsh_err *err);
/* The postings of every term that begins with prefix, summed; *out passes
 * stop_at as soon as the sum does (the rest is not read). */
int  xsh_db_prefix_postings(xsh_db *db, const char *prefix, size_t len, size_t stop_at, size_t *out, xsh_err *err);
int  xsh_db_term_freq(xsh_db *db, const char *term, size_t *out, xsh_err *err);
/* The lowest docid holding term (0 when none does). */
int  xsh_db_first_posting(xsh_db *db, const char *term, size_t len, unsigned *out, xsh_err *err);
/* Writes the indexes at sources[0, n), in order, as one new compacted index at dest
 * (which must not exist): the documents of sources[k] follow those of sources[k-1]
 * with their docids moved up past them; metadata set in several keeps the first
 * source's value. Fails with dest's folder left behind half written (the caller
 * removes it). */
int  xsh_compact(const char *const *sources, size_t n, const char *dest, xsh_err *err);
/* The revision a reader sees (changes with every commit it has reopened to; a
 * shard set: its last docids and documents summed, which every commit that adds or
 * removes passages changes). */
int  xsh_db_revision(xsh_db *db, unsigned long *out, xsh_err *err);
/* Whether db is a shard set (several indexes, or a remote one). A search there
 * verifies candidates on this side (no decider inside Xapian's match) and counts
 * facets with Xapian's own value counter; on_match is refused. */
int  xsh_db_sharded(const xsh_db *db);
/* The shards (1 for an index). */
size_t xsh_db_shard_count(const xsh_db *db);
/* Document local_docid of shard (0-based) as a docid of the whole set. */
unsigned xsh_db_shard_docid(const xsh_db *db, size_t shard, unsigned local_docid);

/* Metadata: *out is malloc'd (empty string when the key is unset). A shard set
 * gives the first shard's value that is set; *shard (may be NULL) which shard
 * that is (0 when none is). */
int  xsh_db_get_metadata(xsh_db *db, const char *key, char **out, xsh_err *err);
int  xsh_db_get_metadata_from(xsh_db *db, const char *key, char **out, size_t *shard, xsh_err *err);
int  xsh_db_set_metadata(xsh_db *db, const char *key, const char *value, xsh_err *err);
/* Calls fn for every metadata key starting with prefix (a shard set: every
 * shard's, each once, in order); fn returns non-zero to stop. */
int  xsh_db_metadata_keys(xsh_db *db, const char *prefix, int (*fn)(void *ctx, const char *key), void *ctx, xsh_err *err);
/* Calls fn for every term starting with prefix. */
int  xsh_db_terms(xsh_db *db, const char *prefix, int (*fn)(void *ctx, const char *term, size_t len), void *ctx, xsh_err *err);

/* ---- documents ---- */
typedef struct xsh_doc xsh_doc;

xsh_doc *xsh_doc_new(void);                                      /* NULL on allocation failure */
void xsh_doc_free(xsh_doc *doc);                                 /* NULL-safe */
int  xsh_doc_add_posting(xsh_doc *doc, const char *term, size_t len, unsigned pos, unsigned wdf_inc);
int  xsh_doc_add_term(xsh_doc *doc, const char *term, size_t len, unsigned wdf_inc);
int  xsh_doc_add_boolean_term(xsh_doc *doc, const char *term, size_t len);
int  xsh_doc_set_value(xsh_doc *doc, unsigned slot, const char *value, size_t len);
int  xsh_doc_set_data(xsh_doc *doc, const char *data, size_t len);

int  xsh_db_add_document(xsh_db *db, xsh_doc *doc, unsigned *docid, xsh_err *err);
/* Deletes every document indexed by term (e.g. all passages of one file). */
int  xsh_db_delete_by_term(xsh_db *db, const char *term, xsh_err *err);
/* The document's data (malloc'd) and, when values is not NULL, nothing else. */
int  xsh_db_get_data(xsh_db *db, unsigned docid, char **data, size_t *len, xsh_err *err);

/* ---- queries (immutable trees; combining copies, so free what you build) ---- */
typedef struct xsh_query xsh_query;

typedef enum {
    XSH_OP_AND, XSH_OP_OR, XSH_OP_AND_NOT, XSH_OP_AND_MAYBE, XSH_OP_FILTER,
    XSH_OP_PHRASE, XSH_OP_NEAR, XSH_OP_SYNONYM, XSH_OP_ELITE_SET, XSH_OP_MAX
} xsh_op;

xsh_query *xsh_query_term(const char *term, size_t len, unsigned wqf, unsigned pos);
/* Every term that begins with prefix, weighed as one term (Xapian's wildcard with
 * the synonym combiner, no limit on the expansion; while xsh_query_expand_in has
 * set a database for this thread, the synonym of that database's terms). */
xsh_query *xsh_query_prefix(const char *prefix, size_t len);
/* Queries built on this thread from now on spell out prefixes over db's terms
 * (NULL: Xapian's wildcard again). A shard set needs it: each shard would expand
 * a wildcard over its own terms, with its own statistics, and weigh it apart. */
void xsh_query_expand_in(xsh_db *db);
xsh_query *xsh_query_match_all(void);
xsh_query *xsh_query_match_nothing(void);
/* op over subs[0, n); window for PHRASE/NEAR (0: the number of subqueries). */
xsh_query *xsh_query_combine(xsh_op op, xsh_query *const *subs, size_t n, unsigned window);
xsh_query *xsh_query_scale(const xsh_query *q, double factor);
/* The OR of the k of subs[0, n) that are rarest in db (the fewest passages: a
 * term's count, an AND's rarest part; any other kind counts as every passage),
 * ties in order: a long query's telling words, chosen the same on one index and
 * on a shard set (Xapian's elite set chooses by each shard's own bounds). */
xsh_query *xsh_query_rarest(xsh_db *db, xsh_query *const *subs, size_t n, size_t k);
/* q when it is not an AND of more than k parts; else the AND of its k rarest parts
 * (as xsh_query_rarest counts them), in their order: a superset of q's matches that
 * opens k posting lists instead of all, for a caller that verifies its candidates. */
xsh_query *xsh_query_rarest_and(xsh_db *db, const xsh_query *q, size_t k);
xsh_query *xsh_query_copy(const xsh_query *q);
/* Documents whose value in slot lies in [lo, hi] (byte order; NULL: open end). */
xsh_query *xsh_query_value_range(unsigned slot, const char *lo, const char *hi);
/* Whether searches on db serve its terms' posting lists from memory (read whole on
 * first use, kept per revision; a local index only), and keep the values their
 * deciders read (up to some 16 MB a handle, per revision). Off at open. */
void xsh_db_keep_dense(xsh_db *db, int on);

/* The passages with docids in [first[i], first[i] + count[i]) for each i: whole
 * files of one local index (weightless, a filter; NULL when out of memory). */
xsh_query *xsh_query_docid_ranges(const unsigned *first, const unsigned *count, size_t n);

/* A file whose document fields (title, kind and year: its record's "fields",
 * schema 10) hold a word wdf times. */
typedef struct {
    const char *file;            /* absolute path: its F term (a shard set) */
    unsigned first, count;       /* its passages' docids (one local index) */
    unsigned wdf;
} xsh_field_file;

/* The passages of files[0, n), each weighing what BM25 (wqf 1, b 0: the rank's)
 * weighs a term of its file's wdf held by every passage of those files among
 * docs (at most docs; a weight is never below 0): what the word's D term weighed
 * when every passage held its document's fields as terms (schema 9). One index:
 * the files' docid ranges (a binary search per skip); a shard set (by_file_term):
 * their F terms, each wdf's under a fixed weight (Xapian's own posting source,
 * which a remote shard knows), which opens a posting list per file. word names it
 * in the query's description. NULL when out of memory. */
xsh_query *xsh_query_field_word(const char *word, const xsh_field_file *files, size_t n, int by_file_term,
                                double docs, double k1, double k3);
int  xsh_query_is_empty(const xsh_query *q);
/* The distinct terms the query names (a wildcard, or a prefix spelled out by
 * xsh_query_expand_in, counts once). */
size_t xsh_query_term_count(const xsh_query *q);
/* At least xsh_query_term_count(q), without collecting its term leaves: a term
 * named twice counted twice (a bound that is enough when it is small). */
size_t xsh_query_leaf_count(const xsh_query *q);
void xsh_query_free(xsh_query *q);                                /* NULL-safe */
/* Xapian's own description of the query, malloc'd (for debugging and tests). */
char *xsh_query_describe(const xsh_query *q);

/* ---- searching ---- */
/* A document the decider is asked about. */
typedef struct xsh_candidate xsh_candidate;
/* Whether it holds term: a posting-list probe, cheap when candidates come in
 * docid order (each probed term's list is read forward once per search; a list
 * the handle holds in memory is searched there). */
int xsh_candidate_has_term(xsh_candidate *c, const char *term, size_t len);
/* Its value in the decider slot (its data when decider_slot < 0), read on the
 * first call; valid until the decider returns. NULL on a read error. */
const char *xsh_candidate_value(xsh_candidate *c, size_t *len);
/* Its document id. */
unsigned xsh_candidate_docid(const xsh_candidate *c);
/* Whether a term probe costs a read of its whole termlist (a shard set's
 * candidate): the caller had better look in its value first. */
int xsh_candidate_text_first(const xsh_candidate *c);

typedef struct {
    size_t offset, limit;
    double k1, k2, k3, b, min_normlen;       /* BM25; all 0: Xapian's defaults */
    int collapse_slot;                        /* -1: none */
    unsigned collapse_max;                    /* documents kept per collapse key */
    const unsigned *facet_slots;              /* values counted over the whole match */
    size_t nfacets;
    size_t check_at_least;                    /* for exact totals and facets on small indexes */
    int matching_terms;                       /* fill xsh_hit.terms (reads each hit's termlist) */
    int skip_data;                            /* leave xsh_hit.data NULL (the caller has it cached) */
    /* When set, a document counts only if decider(ctx, candidate) returns non-zero
     * (totals and facets included). Called on the searching thread, in docid order
     * as Xapian matches; see xsh_candidate_*. */
    int (*decider)(void *ctx, xsh_candidate *c);
    void *decider_ctx;
    int decider_slot;
    /* A large index, without collapse: the page's cost follows the page. Xapian
     * ranks without the decider and only the top ranked candidates (twice offset +
     * limit, at least 64) are verified; when they cannot fill the page, the decider
     * runs over the match as without this. A counted tier (facets or on_match) is
     * then counted by a second match, unweighted in docid order, stopping after
     * check_at_least: its spies see those matches, the total is their count times the
     * verified share, and xsh_result.facet_scale scales the spies' counts to it.
     * Totals are estimates (lower < upper) unless known exactly. */
    int verify_ranked;
    /* Unweighted, in docid order (scores 0): Xapian stops after the page. */
    int unranked;
    /* A shard set, where the decider runs on this side: verify every candidate of
     * the match (exact totals and facets, as on a small index); else only the
     * ranked ones, as verify_ranked does, in growing batches until the page fills. */
    int verify_all;
    /* When set, called with each document the match counts (as facet_slots see
     * them), without reading it: for counts the caller derives from docids. */
    void (*on_match)(void *ctx, unsigned docid);
    void *on_match_ctx;
    /* CLOCK_MONOTONIC nanoseconds after which the search stops with XSH_ETIMEOUT
     * (checked in the decider and the spies, and when the match ends); 0: none. */
    unsigned long long deadline_ns;
} xsh_search_opts;

typedef struct {
    unsigned docid;
    double weight;
    char *data;
    size_t data_len;
    char **terms;                             /* the query terms it matched (opts.matching_terms) */
    size_t nterms;
} xsh_hit;

typedef struct { char *value; size_t count; } xsh_facet_value;
typedef struct { unsigned slot; xsh_facet_value *values; size_t n; } xsh_facet;

typedef struct {
    xsh_hit *hits;
    size_t nhits;
    size_t estimated, lower, upper;           /* matches in the whole index */
    xsh_facet *facets;
    size_t nfacets;
    double facet_scale;                       /* facets and on_match counted a sample: multiply
                                                 by this for the whole match (1: counted whole) */
} xsh_result;

void xsh_search_opts_init(xsh_search_opts *o);
int  xsh_search(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, xsh_result **out, xsh_err *err);
void xsh_result_free(xsh_result *r);                              /* NULL-safe */

#ifdef __cplusplus
}
#endif

#endif
