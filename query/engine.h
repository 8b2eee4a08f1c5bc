/* engine.h — the query engine's state, shared by the query side's files: the
 * index handle and the per-revision caches of passage records, their JSON text,
 * their normalised texts, and what each file's passages share. */
#ifndef WENSOU_ENGINE_H
#define WENSOU_ENGINE_H

#include "qry_int.h"

#define RECORD_CACHE 4096        /* parsed passage records kept per engine (direct-mapped by docid) */
#define NORM_CACHE 1024          /* normalised passage texts, for highlights (two ways a docid: two
                                    hits whose docids met in one slot took turns on every search) */

typedef struct {
    unsigned docid;
    json_t *rec;
    json_t *frag;                /* its fields as JSON text without the braces (a string), or NULL */
} cached_record;

_Static_assert(NORM_CACHE % 2 == 0, "NORM_CACHE holds pairs");

typedef struct {
    unsigned docid;
    unsigned long long used;     /* the engine's norm_clock when last asked for */
    qry_normtext nt;             /* owned copy; nt.s NULL when the slot is empty */
} cached_norm;

typedef struct qry_titles qry_titles;

struct qry_engine {
    char *db_path;
    xsh_db *db;                  /* NULL until an index exists */
    cached_record *cache;        /* records of this revision; docids are never reused in one index */
    cached_norm *norms;          /* their normalised texts, in pairs (a docid's two ways) */
    unsigned long long norm_clock;   /* counts the norms asked for: the older of a pair goes */
    json_t *files;               /* file → what its passages share (file_shared) */
    qry_filemap *filemap;        /* docid → file, for the facets; NULL until needed */
    qry_fieldmap *fieldmap;      /* word → the files whose fields hold it; NULL until needed */
    qry_titles *titles;          /* every file's normalised title, for naming.c; NULL until needed */
    qry_synonyms *mined;         /* syn with the abbreviations the files define (mined.c) */
    int mined_loaded;            /* mined was looked for in this revision */
    unsigned long revision;
    unsigned generation;         /* the handle's replacements seen (xsh_db_generation) */
    int serving;                 /* qry_engine_serving: dense lists kept in memory */
    const seg_dict *dict;
    const qry_synonyms *syn;
    seg_state *st;
};

/* Opens the index at e->db_path (checking its schema version). */
int qry_engine_open_index(qry_engine *e, qry_err *err);
/* Drops the caches when a commit came in since the last search. */
void qry_engine_check_revision(qry_engine *e);
/* The passage record of docid as a hit shows it (borrowed; valid until the next
 * record is read into its cache slot), or NULL. */
json_t *qry_record(qry_engine *e, unsigned docid);
/* docid's document data, read already (a shard set's hits carry it), into the
 * record cache, so qry_record does not ask the shard again. */
void qry_record_offer(qry_engine *e, unsigned docid, const char *data, size_t len);
/* That record's fields as compact JSON text without braces (a borrowed string), or NULL
 * when the record is not in the cache. */
json_t *qry_record_fragment(qry_engine *e, unsigned docid);
/* The region a title names (2025年广东省政府工作报告 → 广东省, 绍兴市柯桥区…纲要 →
 * 柯桥区, 2025年广西政府工作报告 → 广西) into out; 0 when it names none. */
int qry_title_region(const char *title, char *out, size_t cap);
/* Fills p->region_files with the indexed files whose title's region holds one of
 * p->regions (none: the filter lets nothing through). 0 or QRY_ENOMEM. */
int qry_region_files(qry_engine *e, qry_parsed *p);
/* file's record in the index (its metadata, parsed: a new reference), or NULL;
 * with QRY_META_SHARD, the shard whose docids its "first" counts in. */
json_t *qry_file_record(qry_engine *e, const char *file);
#define QRY_META_SHARD "_shard"
/* What file's passages share: {"title","date","kind","year"}, and its passage
 * count, first docid, mined abbreviations and field words ("passages", "first",
 * "abbr", "fields") (borrowed). */
json_t *qry_file_shared(qry_engine *e, const char *file);
/* Where a file's passages lie, by its shared record info: *passages (0 when the record
 * says none or gives no count) from *first (0 when it gives no docid or no passages).
 * Whether the record gives a count (0 included). */
int qry_file_passages(const json_t *info, unsigned *first, unsigned *passages);
/* Which files' fields (title, kind, year) hold each word (fieldmap.c), from their
 * records, for this revision: 0, QRY_ENOMEM or QRY_EINDEX. */
int qry_fieldmap_load(qry_engine *e, qry_fieldmap **out);
/* docid's passage text normalised (cached), or NULL. */
const qry_normtext *qry_normalised(qry_engine *e, unsigned docid, const char *text);

/* ---- abbreviations the documents define (mined.c) ---- */
/* The synonyms a query of this revision uses: e->syn, with the abbreviations the
 * indexed files define (their records' "abbr") layered over it when there are any. */
const qry_synonyms *qry_engine_synonyms(qry_engine *e);

/* ---- documents a query names (naming.c) ---- */
typedef struct {
    const char *file;            /* borrowed from the engine's titles */
    unsigned first, passages;    /* its passages' docids: [first, first + passages) */
    int ranged;                  /* its record gives them (else its passages are its F term's) */
} qry_named_file;

typedef struct {
    qry_named_file *files;       /* the named files, by path (their records read once per revision) */
    size_t n;                    /* 0: the query names no document */
    int by_title;                /* a title's phrase named them (not a region alone) */
} qry_naming;

/* The documents p names (广东省政府工作报告 → Guangdong's report; 河南 → the Henan
 * report), when it has no filters of its own; the units that named them are marked
 * optional (the caller clears the marks to search everyone). 0 or QRY_ENOMEM. */
int  qry_name_documents(qry_engine *e, qry_parsed *p, qry_naming *out);
/* Clears the marks qry_name_documents left on p's units and words. */
void qry_naming_unmark(qry_parsed *p);
void qry_naming_free(qry_naming *n);
void qry_titles_free(qry_titles *t);              /* NULL-safe */

/* ---- hits (hits.c) ---- */
/* Adds the files the last match counted to the facets (documents, kinds, years,
 * regions): a shard set's at once, one index's (its docid map) when the search
 * finishes them. */
void qry_add_facets(qry_engine *e, qry_facets *facets, const xsh_result *r);
/* The search's counts from the docid map into facets (NULL: dropped, as when the
 * search failed); the map is then empty for the next search. */
void qry_finish_facets(qry_engine *e, qry_facets *facets);
/* Appends r's hits (of tier 0, 1 or 2, or 3: a named document's; how they
 * matched) to res with highlights, ranked after the page's offset; per_doc (when not 0) holds across tiers:
 * per_file counts them. */
void qry_append_hits(qry_engine *e, const qry_parsed *p, int tier, const xsh_result *r, qry_result *res,
                     size_t offset, size_t per_doc, json_t *per_file);

#endif
