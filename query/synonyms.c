/* synonyms.c — groups of words that mean the same thing in policy text, one group
 * a line, members separated by " / " (GDP / 地区生产总值 / 生产总值). A query word
 * that is a member is also searched as the others, ranked below exact matches.
 * A second set of groups in the same form, the related expressions (dict/related.txt:
 * 手机办事 / 掌上办 / 移动办事), only widens the best match, weighted lower. */
#include "qry_int.h"
#include "intl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *member;
    char **others;            /* NULL-terminated */
} syn_entry;

typedef struct {
    syn_entry *e;
    size_t n;
} syn_table;

struct qry_synonyms {
    syn_table strict, related;
    const qry_synonyms *base;  /* a layer (qry_synonyms_layer): looked up after its own */
};

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const syn_entry *)a)->member, ((const syn_entry *)b)->member);
}

static void free_group(char **g, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(g[i]);
    free(g);
}

/* Adds one entry per member of group g[0, n). */
static int add_group(syn_table *s, char **g, size_t n)
{
    syn_entry *ne = realloc(s->e, (s->n + n) * sizeof *ne);
    if (!ne)
        return -1;
    s->e = ne;
    for (size_t i = 0; i < n; i++) {
        syn_entry *e = &s->e[s->n];
        e->member = strdup(g[i]);
        e->others = calloc(n, sizeof *e->others);
        if (!e->member || !e->others) {
            free(e->member);
            free(e->others);
            return -1;
        }
        for (size_t j = 0, k = 0; j < n; j++)
            if (j != i && !(e->others[k++] = strdup(g[j])))
                return -1;
        s->n++;
    }
    return 0;
}

/* Reads the groups of path into t (sorted by member). */
static int load_groups(const char *path, const seg_dict *d, syn_table *s, qry_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        char msg[256];
        snprintf(msg, sizeof msg, "%s: %s", path, strerror(errno));
        return qry_fail(err, QRY_EINVAL, "%s", msg);
    }
    seg_state *st;
    if (seg_state_new(d, &st) != 0) {
        fclose(f);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    unsigned lineno = 0;
    while (!rc && getline(&line, &cap, f) >= 0) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = 0;
        char **g = NULL;
        size_t n = 0;
        for (char *m = strtok(line, "/\r\n"); m && !rc; m = strtok(NULL, "/\r\n")) {
            char *norm = qry_literal_norm(st, m);
            if (!norm)
                continue;
            char **ng = realloc(g, (n + 1) * sizeof *ng);
            if (!ng) {
                free(norm);
                rc = QRY_ENOMEM;
                break;
            }
            g = ng;
            g[n++] = norm;
        }
        if (!rc && n == 1) {
            char msg[256];
            snprintf(msg, sizeof msg, "%s:%u: a synonym group needs two or more members separated by /", path, lineno);
            rc = qry_fail(err, QRY_EINVAL, "%s", msg);
        } else if (!rc && n > 1 && add_group(s, g, n)) {
            rc = qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
        }
        free_group(g, n);
    }
    free(line);
    fclose(f);
    seg_state_free(st);
    if (!rc && s->n)
        qsort(s->e, s->n, sizeof *s->e, cmp_entry);
    return rc;
}

int qry_synonyms_load(const char *path, const seg_dict *d, qry_synonyms **out, qry_err *err)
{
    *out = NULL;
    qry_synonyms *s = calloc(1, sizeof *s);
    if (!s)
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    int rc = path ? load_groups(path, d, &s->strict, err) : 0;
    if (rc) {
        qry_synonyms_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

int qry_synonyms_add_related(qry_synonyms *s, const char *path, const seg_dict *d, qry_err *err)
{
    return path ? load_groups(path, d, &s->related, err) : 0;
}

static char *const *members_of(const syn_table *t, const char *norm)
{
    if (t->n == 0)
        return NULL;
    syn_entry key = {(char *)norm, NULL};
    const syn_entry *e = bsearch(&key, t->e, t->n, sizeof *t->e, cmp_entry);
    return e ? e->others : NULL;
}

char *const *qry_synonyms_of(const qry_synonyms *s, const char *norm)
{
    char *const *m = s ? members_of(&s->strict, norm) : NULL;
    return m || !s || !s->base ? m : qry_synonyms_of(s->base, norm);
}

char *const *qry_related_of(const qry_synonyms *s, const char *norm)
{
    char *const *m = s ? members_of(&s->related, norm) : NULL;
    return m || !s || !s->base ? m : qry_related_of(s->base, norm);
}

typedef struct {
    const char *member, *other;
} syn_edge;

static int cmp_edge(const void *a, const void *b)
{
    const syn_edge *x = a, *y = b;
    int c = strcmp(x->member, y->member);
    return c ? c : strcmp(x->other, y->other);
}

/* The most partners a mined member keeps, those the most definitions give: a
 * collection whose files define one abbreviation many ways (scraped or garbled
 * copies) grew a query for it with the collection, past QRY_MAX_TERMS. */
#define MINED_PARTNERS 8

/* One partner of a member, and how many definitions give it (a run of equal edges). */
typedef struct {
    const char *other;
    size_t defined;
} partner;

/* The most defined first; ties in byte order. */
static int more_defined(const void *a, const void *b)
{
    const partner *x = a, *y = b;
    if (x->defined != y->defined)
        return x->defined < y->defined ? 1 : -1;
    return strcmp(x->other, y->other);
}

/* The partners of edges[0, n) (one member's, sorted), the most defined first. */
static size_t partners_of(const syn_edge *edges, size_t n, partner *out)
{
    size_t np = 0;
    for (size_t k = 0; k < n; k++)
        if (np && !strcmp(out[np - 1].other, edges[k].other))
            out[np - 1].defined++;
        else
            out[np++] = (partner){edges[k].other, 1};
    qsort(out, np, sizeof *out, more_defined);
    return np;
}

/* Whether other is member itself or already in list[0, n). */
static int listed(char *const *list, size_t n, const char *member, const char *other)
{
    if (!strcmp(member, other))
        return 1;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(list[i], other))
            return 1;
    return 0;
}

int qry_synonyms_layer(const qry_synonyms *base, const char *const *pairs, size_t npairs, seg_state *st,
                       qry_synonyms **out, qry_err *err)
{
    *out = NULL;
    qry_synonyms *s = calloc(1, sizeof *s);
    char **norms = calloc(npairs * 2 + 1, sizeof *norms);
    syn_edge *edges = calloc(npairs * 2 + 1, sizeof *edges);
    partner *partners = calloc(npairs * 2 + 1, sizeof *partners);
    int rc = !s || !norms || !edges || !partners ? QRY_ENOMEM : 0;
    size_t ne = 0;
    for (size_t i = 0; !rc && i < npairs; i++) {
        norms[2 * i] = qry_literal_norm(st, pairs[2 * i]);
        norms[2 * i + 1] = qry_literal_norm(st, pairs[2 * i + 1]);
        const char *a = norms[2 * i], *b = norms[2 * i + 1];
        if (!a || !b || !strcmp(a, b) || qry_utf8_chars(a, strlen(a)) < 2)
            continue;
        edges[ne++] = (syn_edge){a, b};
        edges[ne++] = (syn_edge){b, a};
    }
    if (!rc)
        qsort(edges, ne, sizeof *edges, cmp_edge);
    /* one entry per member: its mined partners, then the base's members of its group */
    for (size_t i = 0; !rc && i < ne;) {
        size_t j = i;
        while (j < ne && !strcmp(edges[j].member, edges[i].member))
            j++;
        char *const *inherited = base ? qry_synonyms_of(base, edges[i].member) : NULL;
        size_t ninh = 0;
        while (inherited && inherited[ninh])
            ninh++;
        size_t np = partners_of(edges + i, j - i, partners);
        if (np > MINED_PARTNERS)
            np = MINED_PARTNERS;
        char **g = calloc(np + ninh + 2, sizeof *g);
        size_t n = 0;
        rc = g && (g[n++] = strdup(edges[i].member)) ? 0 : QRY_ENOMEM;
        for (size_t k = 0; !rc && k < np; k++)
            if (!listed(g + 1, n - 1, edges[i].member, partners[k].other) && !(g[n++] = strdup(partners[k].other)))
                rc = QRY_ENOMEM;
        for (size_t k = 0; !rc && k < ninh; k++)
            if (!listed(g + 1, n - 1, edges[i].member, inherited[k]) && !(g[n++] = strdup(inherited[k])))
                rc = QRY_ENOMEM;
        /* the entry of g[0] alone: add_group makes one per member, so add one and drop the rest */
        if (!rc) {
            syn_entry *ne2 = realloc(s->strict.e, (s->strict.n + 1) * sizeof *ne2);
            if (!ne2)
                rc = QRY_ENOMEM;
            else {
                s->strict.e = ne2;
                syn_entry *e = &s->strict.e[s->strict.n];
                e->member = g[0];
                e->others = calloc(n, sizeof *e->others);
                if (!e->others)
                    rc = QRY_ENOMEM;
                else {
                    for (size_t k = 1; k < n; k++)
                        e->others[k - 1] = g[k];
                    s->strict.n++;
                    free(g);
                    g = NULL;
                }
            }
        }
        if (g)
            free_group(g, n);
        i = j;
    }
    for (size_t i = 0; norms && i < npairs * 2; i++)
        free(norms[i]);
    free(norms);
    free(edges);
    free(partners);
    if (rc) {
        qry_synonyms_free(s);
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    }
    qsort(s->strict.e, s->strict.n, sizeof *s->strict.e, cmp_entry);
    s->base = base;
    *out = s;
    return 0;
}

static void free_table(syn_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->e[i].member);
        for (size_t k = 0; t->e[i].others && t->e[i].others[k]; k++)
            free(t->e[i].others[k]);
        free(t->e[i].others);
    }
    free(t->e);
}

void qry_synonyms_free(qry_synonyms *s)
{
    if (!s)
        return;
    free_table(&s->strict);
    free_table(&s->related);
    free(s);
}
