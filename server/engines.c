/* engines.c — the daemon's engines: each search thread keeps one (its own index
 * handle and caches) in a thread-local slot; SIGHUP makes each open the index
 * afresh at its next search; at shutdown they are closed and the slots emptied, so
 * a later run opens fresh ones. */
#include "srv_int.h"

#include <stdlib.h>
#include <uv.h>

typedef struct {
    qry_engine *e;
    unsigned hup_seen;           /* the SIGHUPs this engine has reopened for */
} engine_slot;

static unsigned hup_count;       /* written on the loop thread, read on workers (atomics) */
static uv_key_t engine_key;
static uv_once_t engine_key_once = UV_ONCE_INIT;
static uv_mutex_t engines_lock;
static engine_slot **slots;
static size_t nslots;

static void make_engine_key(void)
{
    uv_key_create(&engine_key);
    uv_mutex_init(&engines_lock);
}

void srv_engines_init(void)
{
    uv_once(&engine_key_once, make_engine_key);
}

void srv_engines_hup(void)
{
    __atomic_add_fetch(&hup_count, 1, __ATOMIC_RELEASE);
}

qry_engine *srv_thread_engine(const srv_config *cfg, qry_err *err)
{
    engine_slot *slot = uv_key_get(&engine_key);
    if (!slot) {
        slot = calloc(1, sizeof *slot);
        if (!slot) {
            *err = (qry_err){QRY_ENOMEM, "out of memory"};
            return NULL;
        }
        uv_mutex_lock(&engines_lock);
        engine_slot **ns = realloc(slots, (nslots + 1) * sizeof *ns);
        if (ns) {
            slots = ns;
            slots[nslots++] = slot;
        }
        uv_mutex_unlock(&engines_lock);
        if (!ns) {
            free(slot);
            *err = (qry_err){QRY_ENOMEM, "out of memory"};
            return NULL;
        }
        uv_key_set(&engine_key, slot);
    }
    unsigned hups = __atomic_load_n(&hup_count, __ATOMIC_ACQUIRE);
    if (slot->hup_seen != hups) {
        qry_engine_reset(slot->e);
        slot->hup_seen = hups;
    }
    if (!slot->e && qry_engine_open(cfg->db_path, cfg->dict, cfg->syn, &slot->e, err) != 0)
        slot->e = NULL;
    return slot->e;
}

void srv_engines_close_all(void)
{
    uv_mutex_lock(&engines_lock);
    for (size_t i = 0; i < nslots; i++) {
        qry_engine_close(slots[i]->e);
        slots[i]->e = NULL;
    }
    uv_mutex_unlock(&engines_lock);
}
