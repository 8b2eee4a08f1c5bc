/* facets.c — a search's facet counts (qry_facets): names counted once each, in the
 * order first counted, and written as INTERFACE.md's "facets" object. */
#include "qry_int.h"

#include <stdlib.h>
#include <string.h>

/* A facet longer than this finds a name through its index, not by reading it all
 * (kinds, years and regions stay below; documents may run to thousands). */
#define LINEAR_NAMES 16

/* Indexes f's names once it has more than LINEAR_NAMES (without an index, when out
 * of memory: still right, only slower). */
static void index_names(qry_facet *f)
{
    if (f->index || f->n <= LINEAR_NAMES)
        return;
    json_t *index = json_object();
    for (size_t i = 0; index && i < f->n; i++)
        if (json_object_set_new(index, f->v[i].name, json_integer((json_int_t)i)) != 0) {
            json_decref(index);
            index = NULL;
        }
    f->index = index;
    f->failed |= !index;                     /* out of memory (the names are UTF-8) */
}

/* The position of name in f, or f->n when it is not counted yet. */
static size_t position(qry_facet *f, const char *name)
{
    index_names(f);
    if (f->index) {
        json_t *at = json_object_get(f->index, name);
        return at ? (size_t)json_integer_value(at) : f->n;
    }
    size_t i = 0;
    while (i < f->n && strcmp(f->v[i].name, name) != 0)
        i++;
    return i;
}

/* Appends name with n passages (name is not counted yet). */
static void append(qry_facet *f, const char *name, size_t n)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 8;
        qry_facet_count *grown = realloc(f->v, cap * sizeof *grown);
        if (!grown) {
            f->failed = 1;
            return;
        }
        f->v = grown;
        f->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        f->failed = 1;
        return;
    }
    if (f->index && json_object_set_new(f->index, name, json_integer((json_int_t)f->n)) != 0) {
        json_decref(f->index);               /* out of memory */
        f->index = NULL;
        f->failed = 1;
    }
    f->v[f->n++] = (qry_facet_count){copy, n};
}

void qry_facet_add(qry_facet *f, const char *name, size_t n)
{
    if (!name)
        return;
    size_t i = position(f, name);
    if (i < f->n)
        f->v[i].n += n;
    else
        append(f, name, n);
}

void qry_facet_add_new(qry_facet *f, const char *name, size_t n)
{
    if (name)
        append(f, name, n);
}

size_t qry_facet_scaled(size_t n, double scale)
{
    if (scale == 1 || n == 0)
        return n;
    if (scale <= 0)
        return 0;
    double scaled = (double)n * scale + 0.5;
    return scaled < 1 ? 1 : (size_t)scaled;
}

static void facet_free(qry_facet *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].name);
    free(f->v);
    json_decref(f->index);
    memset(f, 0, sizeof *f);
}

void qry_facets_free(qry_facets *f)
{
    facet_free(&f->documents);
    facet_free(&f->kinds);
    facet_free(&f->years);
    facet_free(&f->regions);
}

static void write_facet(qry_buf *b, const char *key, const qry_facet *f)
{
    qry_buf_puts(b, key);
    qry_buf_puts(b, "{");
    for (size_t i = 0; i < f->n; i++) {
        if (i)
            qry_buf_puts(b, ",");
        qry_buf_string(b, f->v[i].name, strlen(f->v[i].name));
        qry_buf_puts(b, ":");
        qry_buf_integer(b, (json_int_t)f->v[i].n);
    }
    qry_buf_puts(b, "}");
}

void qry_facets_write(qry_buf *b, const qry_facets *f)
{
    write_facet(b, "{\"documents\":", &f->documents);
    write_facet(b, ",\"kinds\":", &f->kinds);
    write_facet(b, ",\"years\":", &f->years);
    write_facet(b, ",\"regions\":", &f->regions);
    qry_buf_puts(b, "}");
}
