/* pipeline.c — idx_writer_add_files: a second thread reads, hashes and models the
 * files ahead (segmenting and building each passage's terms is about a third of
 * the work) while this one writes them, in order, into the index. The reader
 * skips the modelling of files whose hash is the one stored when the batch began
 * (re-runs stay fast); the writer still checks each hash before writing. */
#include "indexer.h"
#include "doc.h"
#include "indexer_int.h"

#include <glib.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define AHEAD 4                  /* files prepared ahead of the writer at most */

typedef struct {
    char *const *paths;
    size_t n;
    GHashTable *stored;          /* absolute path → hash at the start */
    const char *context;         /* the writer's, for fingerprints */
    int rebuild;                 /* model every file, whatever is stored */
    seg_state *st;
    idx_prepared ring[AHEAD];
    size_t produced, consumed;   /* counts; ring slot = count % AHEAD */
    int stop;
    pthread_mutex_t lock;
    pthread_cond_t changed;
} pipeline;

static void *prepare_ahead(void *arg)
{
    pipeline *pl = arg;
    for (size_t i = 0; i < pl->n; i++) {
        idx_prepared p;
        if (idx_prepare_read(pl->paths[i], pl->context, &p) == 0) {
            const char *old = pl->rebuild ? NULL : g_hash_table_lookup(pl->stored, p.abs);
            if (!old || strcmp(old, p.hash) != 0)
                idx_prepare_model(pl->st, &p);
        }
        pthread_mutex_lock(&pl->lock);
        while (pl->produced - pl->consumed == AHEAD && !pl->stop)
            pthread_cond_wait(&pl->changed, &pl->lock);
        int stop = pl->stop;
        if (!stop) {
            pl->ring[pl->produced % AHEAD] = p;
            pl->produced++;
            pthread_cond_broadcast(&pl->changed);
        }
        pthread_mutex_unlock(&pl->lock);
        if (stop) {
            idx_prepared_clear(&p);
            break;
        }
    }
    return NULL;
}

/* The next prepared file, in order (blocks until it is ready). */
static idx_prepared take(pipeline *pl)
{
    pthread_mutex_lock(&pl->lock);
    while (pl->produced == pl->consumed)
        pthread_cond_wait(&pl->changed, &pl->lock);
    idx_prepared p = pl->ring[pl->consumed % AHEAD];
    pl->consumed++;
    pthread_cond_broadcast(&pl->changed);
    pthread_mutex_unlock(&pl->lock);
    return p;
}

int idx_writer_add_files(idx_writer *w, char *const *paths, size_t n, idx_file_done done, void *ctx,
                         idx_err *err)
{
    pipeline pl;
    memset(&pl, 0, sizeof pl);
    pl.paths = paths;
    pl.n = n;
    pl.context = idx_writer_context(w);
    pl.rebuild = idx_writer_rebuilding(w);
    if (!(pl.stored = idx_writer_hashes(w, err)))
        return err->code ? err->code : IDX_EINDEX;
    if (seg_state_new(idx_writer_dict(w), &pl.st) != 0) {
        g_hash_table_destroy(pl.stored);
        return idx_fail(err, IDX_ENOMEM, "indexing", NULL);
    }
    pthread_mutex_init(&pl.lock, NULL);
    pthread_cond_init(&pl.changed, NULL);
    pthread_t reader;
    int threaded = pthread_create(&reader, NULL, prepare_ahead, &pl) == 0;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        idx_prepared p;
        if (threaded)
            p = take(&pl);
        else
            idx_prepare_read(paths[i], pl.context, &p);    /* no thread: the writer models it */
        idx_outcome outcome = IDX_UNCHANGED;
        size_t passages = 0;
        idx_err fe = {0};
        int frc = idx_writer_store(w, &p, &outcome, &passages, &fe);
        idx_prepared_clear(&p);
        if (frc == IDX_EINDEX || frc == IDX_ELOCKED) {
            *err = fe;
            rc = frc;
        }
        if (done(ctx, i, frc, &fe, outcome, passages) != 0 || rc)
            break;
    }
    if (threaded) {
        pthread_mutex_lock(&pl.lock);
        pl.stop = 1;
        pthread_cond_broadcast(&pl.changed);
        pthread_mutex_unlock(&pl.lock);
        pthread_join(reader, NULL);
        for (size_t k = pl.consumed; k < pl.produced; k++)
            idx_prepared_clear(&pl.ring[k % AHEAD]);
    }
    pthread_cond_destroy(&pl.changed);
    pthread_mutex_destroy(&pl.lock);
    seg_state_free(pl.st);
    g_hash_table_destroy(pl.stored);
    idx_manifest_forget();
    return rc;
}
