/* engines.c — the server's pool of engines: each search thread keeps one (its own
 * index handle and caches) in a thread-local slot of the pool; SIGHUP makes each
 * open the index afresh at its next search; freeing the pool closes them all. The
 * pool belongs to one run of the server: nothing here is process-wide. */
#include "srv_int.h"

#include <stdlib.h>
#include <uv.h>

typedef struct {
    qry_engine *e;
    unsigned hup_seen;           /* the SIGHUPs this engine has reopened for */
} engine_slot;

struct srv_engines {
    const srv_config *cfg;
    uv_key_t key;                /* this pool's slot of the calling thread */
    uv_mutex_t lock;             /* guards slots */
    engine_slot **slots;
    size_t nslots;
    unsigned hups;               /* written on the loop thread, read on workers (atomics) */
};

srv_engines *srv_engines_new(const srv_config *cfg)
{
    srv_engines *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->cfg = cfg;
    if (uv_key_create(&p->key) != 0) {
        free(p);
        return NULL;
    }
    uv_mutex_init(&p->lock);
    return p;
}

void srv_engines_hup(srv_engines *p)
{
    __atomic_add_fetch(&p->hups, 1, __ATOMIC_RELEASE);
}

qry_engine *srv_engines_get(srv_engines *p, qry_err *err)
{
    engine_slot *slot = uv_key_get(&p->key);
    if (!slot) {
        slot = calloc(1, sizeof *slot);
        if (!slot) {
            *err = (qry_err){QRY_ENOMEM, "out of memory"};
            return NULL;
        }
        uv_mutex_lock(&p->lock);
        engine_slot **ns = realloc(p->slots, (p->nslots + 1) * sizeof *ns);
        if (ns) {
            p->slots = ns;
            p->slots[p->nslots++] = slot;
        }
        uv_mutex_unlock(&p->lock);
        if (!ns) {
            free(slot);
            *err = (qry_err){QRY_ENOMEM, "out of memory"};
            return NULL;
        }
        uv_key_set(&p->key, slot);
    }
    unsigned hups = __atomic_load_n(&p->hups, __ATOMIC_ACQUIRE);
    if (slot->hup_seen != hups) {
        qry_engine_reset(slot->e);
        slot->hup_seen = hups;
    }
    if (!slot->e) {
        if (qry_engine_open(p->cfg->db_path, p->cfg->dict, p->cfg->syn, &slot->e, err) != 0)
            slot->e = NULL;
        else
            qry_engine_serving(slot->e);          /* many searches: dense lists pay */
    }
    return slot->e;
}

void srv_engines_free(srv_engines *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nslots; i++) {       /* the workers are idle: the loop has ended */
        qry_engine_close(p->slots[i]->e);
        free(p->slots[i]);
    }
    free(p->slots);
    uv_mutex_destroy(&p->lock);
    uv_key_delete(&p->key);
    free(p);
}
