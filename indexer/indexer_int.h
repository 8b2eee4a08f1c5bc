/* indexer_int.h — the index writer's internals: a file made ready for the index without touching it: read and
 * hashed, then (when its content is new) modelled into one Xapian document per
 * passage. Runs on any thread with its own seg_state; writer.c stores the result. */
#ifndef WENSOU_INDEXER_INT_H
#define WENSOU_INDEXER_INT_H

#include "doc.h"
#include "seg.h"
#include "xsh.h"

#include <jansson.h>

typedef struct {
    char *abs;              /* absolute path */
    char *bytes;            /* the file, until modelled */
    size_t size;
    char hash[65];          /* its fingerprint: SHA-256 of the bytes and of what else shapes
                               its passages and terms (idx_prepare_read), hex */
    xsh_doc **docs;         /* one per passage; NULL until modelled */
    size_t ndocs;
    json_t *shared;         /* {"title","date","kind"}: what the passages share (stored per file) */
    int rc;                 /* non-zero: err says why (the file is skipped) */
    idx_err err;
} idx_prepared;

/* Reads path and takes its fingerprint: the SHA-256 of its bytes, the schema
 * version, context (what the writer was told shapes every file: the dictionaries)
 * and its manifest row, so a change to any of them re-indexes it. */
int  idx_prepare_read(const char *path, const char *context, idx_prepared *p);
/* Models the read file into documents and drops its bytes. */
int  idx_prepare_model(seg_state *st, idx_prepared *p);
void idx_prepared_clear(idx_prepared *p);   /* frees everything; zeroes it */

/* ---- the writer's side (writer.c) ---- */
/* Free disk a write must leave beyond what it needs (writer.c's commits, parts.c's merge). */
#define SPACE_MARGIN (8u << 20)
/* The bytes free to this user on the disk holding path; -1 when unknown (the write
 * then says what went wrong). */
double idx_disk_free(const char *path);
typedef struct idx_writer idx_writer;
typedef enum idx_outcome idx_outcome;
typedef struct _GHashTable GHashTable;
/* Stores a read file: unchanged when the stored hash is its own, else its
 * documents (modelled now unless p has them) replace the old ones. */
int idx_writer_store(idx_writer *w, idx_prepared *p, idx_outcome *outcome, size_t *passages, idx_err *err);
/* Every indexed file's stored hash: absolute path → hex (both g_free'd), or NULL. */
GHashTable *idx_writer_hashes(idx_writer *w, idx_err *err);
const seg_dict *idx_writer_dict(const idx_writer *w);
const char *idx_writer_context(const idx_writer *w);
int idx_writer_rebuilding(const idx_writer *w);

#endif
