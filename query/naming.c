/* naming.c — a query that names documents ranks their passages first (a soft
 * filter), by its other words. A unit names the documents whose title holds it
 * whole (广东省政府工作报告, 2020年柯桥区政府工作报告, 创新筑基: a title's own
 * phrase) or holds all its words, one of them the title's region (柯桥十四五规划); a word names the documents of a region (河南 in 2025年河南省政府工作报告,
 * 柯桥 in …柯桥区…). Titles are read once per index revision and kept once per
 * distinct title (a report indexed again, as Word and as PDF, or in copies): a
 * query reads each title once, however many files carry it. Where each file's
 * passages lie is kept beside it then, so a query naming a thousand files reads
 * no record (创新筑基 over the corpus ×1000 copies: 1.5 → 0.24 ms). */
#include "engine.h"
#include "schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TITLE_PHRASE_CHARS 6     /* a title's phrase this long names it wherever it stands */
#define TITLE_WORD_CHARS 4       /* shorter ones only where they stand alone (创新筑基 …) */

struct qry_titles {
    char **norms;                /* the distinct normalised titles, sorted */
    size_t *first, *nfiles;      /* each one's files: files[first .. first + nfiles) */
    size_t n;
    qry_named_file *files;       /* every indexed file, by title (its path malloc'd, lent out) */
    size_t total;
};

void qry_titles_free(qry_titles *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->total; i++)
        free((char *)t->files[i].file);
    for (size_t i = 0; i < t->n; i++)
        free(t->norms[i]);
    free(t->files);
    free(t->norms);
    free(t->first);
    free(t->nfiles);
    free(t);
}

/* The title normalised part by part, the parts (split at spaces, which the
 * normaliser drops between Chinese words) joined by '|': 创新筑基 服务暖心：… →
 * 创新筑基|服务暖心:…, so a phrase's end stays visible. malloc'd, or NULL. */
static char *title_norm(seg_state *st, const char *title)
{
    size_t cap = strlen(title) * 2 + 2, o = 0;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    out[0] = 0;
    for (const char *p = title; *p;) {
        size_t n = strcspn(p, " \t");
        char *part = n ? strndup(p, n) : NULL;
        char *norm = part ? qry_literal_norm(st, part) : NULL;
        if (norm && o + strlen(norm) + 2 <= cap)
            o += (size_t)snprintf(out + o, cap - o, "%s%s", o ? "|" : "", norm);
        free(part);
        free(norm);
        p += n;
        p += strspn(p, " \t");
    }
    if (!o) {
        free(out);
        return NULL;
    }
    return out;
}

typedef struct {
    char *norm;                  /* malloc'd */
    qry_named_file named;        /* its file malloc'd */
} titled_file;

typedef struct {
    qry_engine *e;
    titled_file *tf;
    size_t n, cap;
    int oom;
} title_loader;

static int add_title(void *ctx, const char *key)
{
    title_loader *l = ctx;
    const char *file = key + strlen(WENSOU_META_FILE);
    const json_t *info = qry_file_shared(l->e, file);
    const char *title = json_string_value(json_object_get(info, "title"));
    char *norm = title ? title_norm(l->e->st, title) : NULL;
    if (!norm)
        return 0;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        titled_file *grown = realloc(l->tf, cap * sizeof *grown);
        if (!grown) {
            free(norm);
            return l->oom = 1;
        }
        l->tf = grown;
        l->cap = cap;
    }
    char *copy = strdup(file);
    if (!copy) {
        free(norm);
        return l->oom = 1;
    }
    unsigned first, passages;
    int counted = qry_file_passages(info, &first, &passages);
    /* a file without passages names an empty range; one without docids, none */
    l->tf[l->n++] = (titled_file){norm, {copy, first, passages, first || (counted && !passages)}};
    return 0;
}

static int by_norm(const void *a, const void *b)
{
    const titled_file *x = a, *y = b;
    int c = strcmp(x->norm, y->norm);
    return c ? c : strcmp(x->named.file, y->named.file);
}

/* The loaded files grouped under their distinct titles (the pairs' strings move
 * into t; the pairs' array is freed). 0, or -1 when out of memory. */
static int group_titles(qry_titles *t, title_loader *l)
{
    if (l->n)
        qsort(l->tf, l->n, sizeof *l->tf, by_norm);
    t->files = malloc((l->n ? l->n : 1) * sizeof *t->files);
    t->norms = malloc((l->n ? l->n : 1) * sizeof *t->norms);
    t->first = malloc((l->n ? l->n : 1) * sizeof *t->first);
    t->nfiles = malloc((l->n ? l->n : 1) * sizeof *t->nfiles);
    int ok = t->files && t->norms && t->first && t->nfiles;
    for (size_t i = 0; i < l->n; i++) {
        if (!ok) {                               /* give every string back */
            free(l->tf[i].norm);
            free((char *)l->tf[i].named.file);
            continue;
        }
        t->files[t->total++] = l->tf[i].named;
        if (t->n && strcmp(t->norms[t->n - 1], l->tf[i].norm) == 0) {
            free(l->tf[i].norm);
            t->nfiles[t->n - 1]++;
            continue;
        }
        t->norms[t->n] = l->tf[i].norm;
        t->first[t->n] = i;
        t->nfiles[t->n++] = 1;
    }
    free(l->tf);
    return ok ? 0 : -1;
}

/* The titles of this revision, loaded on first use (NULL when unreadable). */
static qry_titles *titles(qry_engine *e)
{
    if (e->titles)
        return e->titles;
    qry_titles *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    title_loader l = {.e = e};
    xsh_err xe;
    int rc = xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_title, &l, &xe);
    if (group_titles(t, &l) != 0 || rc != 0 || l.oom) {
        qry_titles_free(t);
        return NULL;
    }
    return e->titles = t;
}

/* A character that ends a title's phrase: a space, ASCII or CJK punctuation. */
static int is_break(int32_t cp)
{
    if (cp < 0x80)
        return !((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'));
    return (cp >= 0x2010 && cp <= 0x206F) || (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* The phrase [at, end) stands alone in title: a break (or the title's edge) on both sides. */
static int bounded(const char *title, const char *at, const char *end)
{
    int32_t cp = ' ';
    if (at > title) {
        const char *p = at - 1;
        while (p > title && ((unsigned char)*p & 0xC0) == 0x80)
            p--;
        seg_utf8_decode((const unsigned char *)p, (size_t)(at - p), &cp);
    }
    if (!is_break(cp))
        return 0;
    if (!*end)
        return 1;
    seg_utf8_decode((const unsigned char *)end, strlen(end), &cp);
    return is_break(cp);
}

/* The unit stands in the title as one of its phrases. */
static int names_whole(const char *title, const char *unit)
{
    const char *at = strstr(title, unit);
    if (!at)
        return 0;
    size_t len = strlen(unit), chars = qry_utf8_chars(unit, len);
    return chars >= TITLE_PHRASE_CHARS || (chars >= TITLE_WORD_CHARS && bounded(title, at, at + len));
}

/* Whether the bytes before at end with one of the strings. */
static int preceded_by(const char *title, const char *at, const char *const *what, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(what[i]);
        if ((size_t)(at - title) >= len && strncmp(at - len, what[i], len) == 0)
            return 1;
    }
    return 0;
}

/* The word is a region the title is about: a place name followed by its rank
 * (河南 in 2025年河南省…, 广西 in 广西政府…, 柯桥 in 绍兴市柯桥区…), standing where
 * a title names its issuer: at the start of a part, after a year, or after a
 * higher region. Not 现代化 in …中国式现代化县域样板. */
static int names_region(const char *title, const char *word)
{
    static const char *const ranks[] = {"省", "市", "区", "县", "州", "自治区", "政府", "人民政府"};
    static const char *const before[] = {"|", "年", "省", "市", "区", "县", "州"};
    size_t len = strlen(word);
    for (const char *at = strstr(title, word); at; at = strstr(at + 1, word)) {
        if (at != title && !preceded_by(title, at, before, sizeof before / sizeof before[0]))
            continue;
        for (size_t i = 0; i < sizeof ranks / sizeof ranks[0]; i++)
            if (strncmp(at + len, ranks[i], strlen(ranks[i])) == 0)
                return 1;
    }
    return 0;
}

/* Whether the title spells the word out: itself or every word inside it (广东政府 →
 * 广东, 政府). */
static int title_spells(const char *title, const qry_word *w)
{
    if (strstr(title, w->norm))
        return 1;
    size_t inside = 0;
    for (size_t i = 0; i < w->nsubs; i++)
        inside += strstr(title, w->subs[i]) != NULL;
    return w->nsubs > 1 && inside == w->nsubs;
}

/* Whether the title spells the word out or holds one of its synonyms (十四五 →
 * 第十四个五年规划). */
static int title_holds(const char *title, const qry_word *w)
{
    if (title_spells(title, w))
        return 1;
    for (size_t i = 0; i < w->nalts; i++)
        if (strstr(title, w->alts[i]))
            return 1;
    return 0;
}

/* Whether the word, or a word inside it, is the title's region. */
static int word_names_region(const char *title, const qry_word *w)
{
    if (names_region(title, w->norm))
        return 1;
    for (size_t i = 0; i < w->nsubs; i++)
        if (names_region(title, w->subs[i]))
            return 1;
    return 0;
}

/* The unit's words are all in the title (as themselves or synonyms) and one of
 * them is its region: 柯桥十四五规划 names 绍兴市柯桥区…第十四个五年规划…纲要,
 * 广东政府工作报告 names 2025年广东省政府工作报告; 创新发展 names no title. */
static int names_by_words(const char *title, const qry_unit *u)
{
    if (u->nwords < 2)
        return 0;
    int region = 0;
    for (size_t w = 0; w < u->nwords; w++) {
        if (!title_holds(title, &u->words[w]))
            return 0;
        region |= word_names_region(title, &u->words[w]);
    }
    return region;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const qry_named_file *)a)->file, ((const qry_named_file *)b)->file);
}

int qry_name_documents(qry_engine *e, qry_parsed *p, qry_naming *out)
{
    memset(out, 0, sizeof *out);
    if (p->ndocs || p->nkinds || p->nregions || p->nsections || p->year_lo || p->page_lo || p->pasted)
        return 0;                  /* filters say which documents; a pasted passage names none */
    qry_titles *t = titles(e);
    if (!t || t->total < 2)
        return 0;
    /* (hit and named are per distinct title; counts are of files) */
    size_t most = t->total / 4 > 3 ? t->total / 4 : 3;   /* naming more is describing, not naming */
    unsigned char *named = calloc(t->n, 1), *hit = calloc(t->n, 1);
    if (!named || !hit) {
        free(named);
        free(hit);
        return QRY_ENOMEM;
    }
    memset(named, 1, t->n);
    size_t naming = 0, positive = 0;
    for (size_t i = 0; i < p->n; i++) {
        qry_unit *u = &p->units[i];
        if (u->negated || u->phrase)
            continue;
        positive++;
        /* the whole unit as a title's phrase, or a unit of one word as a region */
        size_t count = 0;
        for (size_t f = 0; f < t->n; f++)
            if ((hit[f] = names_whole(t->norms[f], u->norm)) != 0)
                count += t->nfiles[f];
        if (count && count <= most) {
            out->by_title = 1;
            for (size_t f = 0; f < t->n; f++)
                named[f] &= hit[f];
            u->optional = 1;
            naming++;
            continue;
        }
        /* its words all in a title (柯桥十四五规划): the words the title spells out
         * name it; one it holds only as a synonym (十四五) still ranks within it */
        count = 0;
        size_t first = 0;
        for (size_t f = 0; f < t->n; f++)
            if ((hit[f] = names_by_words(t->norms[f], u)) != 0 && (count += t->nfiles[f]) == t->nfiles[f])
                first = f;
        if (count && count <= most) {
            out->by_title = 1;
            for (size_t f = 0; f < t->n; f++)
                named[f] &= hit[f];
            size_t spelt = 0;
            for (size_t w = 0; w < u->nwords; w++)
                spelt += u->words[w].named = title_spells(t->norms[first], &u->words[w]);
            u->optional = spelt == u->nwords;
            if (u->optional)
                for (size_t w = 0; w < u->nwords; w++)
                    u->words[w].named = 0;
            naming++;
            continue;
        }
        /* a word of it that is a region (河南 in 河南乡村振兴重点任务): the unit
         * stays whole, its documents come first */
        for (size_t w = 0; w < u->nwords; w++) {
            count = 0;
            int region = 0;
            for (size_t f = 0; f < t->n; f++) {
                if ((hit[f] = strstr(t->norms[f], u->words[w].norm) != NULL) != 0)
                    count += t->nfiles[f];
                region |= hit[f] && names_region(t->norms[f], u->words[w].norm);
            }
            if (!region || count > most)
                continue;
            for (size_t f = 0; f < t->n; f++)
                named[f] &= hit[f];
            u->optional = u->nwords == 1;        /* alone, it still ranks the passages saying it */
            u->words[w].named = !u->optional;
            naming++;
        }
    }
    size_t n = 0;
    for (size_t f = 0; naming && f < t->n; f++)
        n += named[f] ? t->nfiles[f] : 0;
    /* nothing named, names that disagree, or a region alone (柯桥: passages that
     * say it, not the region's documents in order) */
    size_t optional = 0;
    for (size_t i = 0; i < p->n; i++)
        optional += p->units[i].optional;
    int worth = optional < positive || out->by_title;
    if (n && worth && (out->files = calloc(n, sizeof *out->files)) != NULL) {
        for (size_t f = 0; f < t->n; f++)
            for (size_t k = 0; named[f] && k < t->nfiles[f]; k++)
                out->files[out->n++] = t->files[t->first[f] + k];   /* borrowed from the titles */
        qsort(out->files, out->n, sizeof *out->files, by_path);
    }
    if (!out->n)
        qry_naming_unmark(p);
    free(named);
    free(hit);
    return n && worth && !out->n ? QRY_ENOMEM : 0;
}

void qry_naming_unmark(qry_parsed *p)
{
    for (size_t i = 0; i < p->n; i++) {
        p->units[i].optional = 0;
        for (size_t w = 0; w < p->units[i].nwords; w++)
            p->units[i].words[w].named = 0;
    }
}

void qry_naming_free(qry_naming *n)
{
    free(n->files);
    memset(n, 0, sizeof *n);
}

/* ---- the region a title names (for the regions facet) ---- */

/* The bytes of the Han characters at s (none: 0). */
static size_t han_run(const char *s)
{
    size_t i = 0;
    for (;;) {
        int32_t cp;
        int n = seg_utf8_decode((const unsigned char *)s + i, strlen(s + i), &cp);
        if (n <= 0 || !wensou_ngram_char(cp))
            return i;
        i += (size_t)n;
    }
}

int qry_title_region(const char *title, char *out, size_t cap)
{
    static const char *const ranks[] = {"自治区", "省", "市", "区", "县", "州"};
    const char *best = NULL;
    size_t best_len = 0;
    /* the last of the places that stand together where a title names its issuer:
     * after a year or at a part's start (绍兴市柯桥区 → 柯桥区) */
    for (const char *p = title; *p;) {
        size_t run = han_run(p);
        if (!run) {
            p++;
            continue;
        }
        if (p > title && p[-1] >= '0' && p[-1] <= '9' && strncmp(p, "年", strlen("年")) == 0) {
            p += strlen("年");                 /* 2025年广东省…: the year's 年 is no place */
            continue;
        }
        const char *r = p;
        for (size_t at = 0; at < run;) {
            size_t found = 0;
            for (size_t k = 0; k < sizeof ranks / sizeof ranks[0] && !found; k++) {
                const char *hit = strstr(r + at, ranks[k]);
                size_t chars = hit && hit < p + run ? qry_utf8_chars(r + at, (size_t)(hit - (r + at))) : 0;
                if (hit && hit < p + run && chars >= 2 && chars <= 5)
                    found = (size_t)(hit - (r + at)) + strlen(ranks[k]);
            }
            if (!found)
                break;
            best = r + at;
            best_len = found;
            at += found;
        }
        if (best)
            break;
        /* a region named without its rank before 政府 (2025年广西政府工作报告) */
        const char *gov = strstr(p, "政府");
        size_t lead = gov && gov < p + run ? qry_utf8_chars(p, (size_t)(gov - p)) : 0;
        if (lead >= 2 && lead <= 4) {
            best = p;
            best_len = (size_t)(gov - p);
            break;
        }
        p += run;
    }
    if (!best || best_len + 1 > cap)
        return 0;
    memcpy(out, best, best_len);
    out[best_len] = 0;
    return 1;
}

typedef struct {
    qry_engine *e;
    qry_parsed *p;
    int oom;
} region_walk;

static int add_region_file(void *ctx, const char *key)
{
    region_walk *w = ctx;
    const char *file = key + strlen(WENSOU_META_FILE);
    const char *region = json_string_value(json_object_get(qry_file_shared(w->e, file), "region"));
    for (size_t i = 0; region && i < w->p->nregions; i++)
        if (strstr(region, w->p->regions[i])) {
            w->oom |= qry_strs_push(&w->p->region_files, &w->p->nregion_files, file, strlen(file));
            break;
        }
    return w->oom;
}

int qry_region_files(qry_engine *e, qry_parsed *p)
{
    if (!p->nregions)
        return 0;
    region_walk w = {e, p, 0};
    xsh_err xe;
    xsh_db_metadata_keys(e->db, WENSOU_META_FILE, add_region_file, &w, &xe);
    return w.oom ? QRY_ENOMEM : 0;
}
