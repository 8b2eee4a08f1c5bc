/* indexer.h — the index writer (indexer/): writing documents into the index: one Xapian document per passage
 * (term scheme in shim/schema.h), one transaction per file, commits in batches.
 * Re-adding an unchanged file does nothing (content hash); a changed file's
 * passages are replaced; prune removes files that are gone. */
#ifndef WENSOU_INDEXER_H
#define WENSOU_INDEXER_H

#include "doc.h"
#include "seg.h"

typedef struct idx_writer idx_writer;

typedef enum idx_outcome { IDX_ADDED, IDX_UPDATED, IDX_UNCHANGED } idx_outcome;

#define IDX_ELOCKED   (-20)   /* another process is writing the index */
#define IDX_EINDEX    (-21)   /* the index could not be opened or written */
#define IDX_ESCHEMA   (-22)   /* an index of another schema version: re-index */

/* Opens (creating when missing) the index at db_path for writing a batch of about
 * batch_bytes of files (0 when unknown): a batch of IDX_LARGE_BATCH_BYTES or more
 * is buffered longer between merges into the index (xsh.h's XSH_LARGE). The
 * writers of a batch written in parts are each given their part's size. */
#define IDX_LARGE_BATCH_BYTES ((size_t)100 << 20)
int  idx_writer_open(const char *db_path, const seg_dict *dict, size_t batch_bytes, idx_writer **out, idx_err *err);
/* Models the file and puts its passages in the index in one transaction. */
int  idx_writer_add(idx_writer *w, const char *path, idx_outcome *outcome, size_t *passages,
                    size_t *bytes, idx_err *err);
/* What became of paths[i] in idx_writer_add_files: rc 0 with its outcome and
 * passages, or rc and err. Called in order, on the caller's thread; a non-zero
 * return stops the batch. */
typedef int (*idx_file_done)(void *ctx, size_t i, int rc, const idx_err *err, idx_outcome outcome,
                             size_t passages);
/* idx_writer_add for paths[0, n) in order, while the files after the one being
 * written are read, hashed and modelled on a second thread. Returns non-zero
 * (with err) when the index itself fails; a file that fails is only reported. */
int  idx_writer_add_files(idx_writer *w, char *const *paths, size_t n, idx_file_done done, void *ctx,
                          idx_err *err);
/* Removes every file whose source no longer exists; *removed counts them. */
int  idx_writer_prune(idx_writer *w, size_t *removed, idx_err *err);
int  idx_writer_commit(idx_writer *w, idx_err *err);
/* What shapes every file's passages and terms besides its own bytes and manifest
 * row (the dictionaries' fingerprint): part of each file's fingerprint, so when it
 * changes every file is re-indexed. Copied. */
int  idx_writer_set_context(idx_writer *w, const char *context);
/* Re-index every file given, even those whose stored fingerprint is their own. */
void idx_writer_set_rebuild(idx_writer *w, int rebuild);
/* Files stored since the last commit (they are lost if the next commit fails). */
size_t idx_writer_uncommitted(const idx_writer *w);
/* Commits and closes; NULL-safe. Returns the commit's status. */
int  idx_writer_close(idx_writer *w, idx_err *err);

/* A new index written in parts by two writers at once (parts.c): the caller
 * writes part 0 of a batch into db and parts 1, 2, ... (on two threads, each part
 * by a writer of its own) into the side indexes at idx_part_path(db, k) (opened
 * fresh: remove them first with idx_parts_clean), then merges those it names in
 * with idx_parts_merge before closing db's writer w: w is committed, db and the
 * parts are compacted in that order into a new index whose file records are given
 * their passages' new docids, and it takes db's place in one
 * renameat2(RENAME_EXCHANGE), while w holds db's lock; w then closes without
 * writing (idx_writer_moved). Until then db holds part 0's commits, whole files as
 * always; a run that dies leaves the side folders, which the next writer of db
 * removes (idx_parts_clean, called holding db's writer). A failed merge leaves db
 * as part 0 made it. idx_parts_possible: db is a folder (not a link, not a mount
 * point) whose file system exchanges folders. idx_part_path: -1 for k 0 (db) or a
 * path too long. */
int  idx_part_path(const char *db, size_t k, char *out, size_t cap);
int  idx_parts_possible(const char *db);
void idx_parts_clean(const char *db);
int  idx_parts_merge(idx_writer *w, const char *db, const size_t *parts, size_t nparts, idx_err *err);
/* Whether the index holds no passage. */
int  idx_writer_empty(idx_writer *w);
/* Its folder is no longer at its path (merged away): close discards, writing nothing. */
void idx_writer_moved(idx_writer *w);

/* A shard set (shards.c): the index paths of the set at db_path, in order (each
 * and the array malloc'd: idx_shards_free). *n is 0 when db_path is one index
 * (or nothing yet and create is 0); with create > 0 a new set of create shards
 * is made there, and an existing set must have that many. */
int  idx_shards_open(const char *db_path, size_t create, char ***paths, size_t *n, idx_err *err);
void idx_shards_free(char **paths, size_t n);
/* The shard (of n) a file belongs to: a stable hash of its absolute path. */
size_t idx_shard_of(const char *path, size_t n);

/* The terms of one passage (exposed for tests): word terms, n-grams, headings. */
typedef struct xsh_doc xsh_doc;
int  idx_passage_document(const idx_doc *d, const idx_passage *p, seg_state *st, xsh_doc **out);
/* The search-mode words of the document's title, kind and year, as a string of
 * the words apart by spaces, a word said twice there twice ("2020 年 柯桥区 政府
 * 工作 报告 政府 工作 报告 2020"): its file record's "fields", which the query side
 * weighs below the text (schema 10). NULL when out of memory. */
json_t *idx_field_words(const idx_doc *d, seg_state *st);

#endif
