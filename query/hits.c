/* hits.c — the hits of a search as typed results (qry_hit): their records with
 * highlights (byte ranges of the matched literals, else of their words, and the
 * same in code points), how each matched, and the facets counted per file. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_range(const void *a, const void *b)
{
    const qry_range *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start ? 1 : (x->end > y->end) - (x->end < y->end);
}

typedef struct {
    qry_range *r;
    size_t n, cap;
} ranges;

static void add_matches(ranges *rs, const qry_normtext *nt, const char *needle)
{
    size_t nl = strlen(needle);
    if (nl == 0)
        return;
    for (const char *p = strstr(nt->s, needle); p; p = strstr(p + nl, needle)) {
        if (rs->n == rs->cap) {
            size_t cap = rs->cap ? rs->cap * 2 : 16;
            qry_range *nr = realloc(rs->r, cap * sizeof *nr);
            if (!nr)
                return;
            rs->r = nr;
            rs->cap = cap;
        }
        size_t a = (size_t)(p - nt->s);
        qry_normtext_map(nt, a, a + nl, &rs->r[rs->n].start, &rs->r[rs->n].end);
        rs->n++;
    }
}

typedef struct {
    ranges *rs;
    const qry_normtext *nt;
} word_hl;

static int highlight_word(void *ctx, const seg_token *t)
{
    word_hl *w = ctx;
    if (t->kind != SEG_KIND_WORD)
        return 0;
    char buf[256];
    if (t->norm_len >= sizeof buf)
        return 0;
    memcpy(buf, t->norm, t->norm_len);
    buf[t->norm_len] = 0;
    add_matches(w->rs, w->nt, buf);
    return 0;
}

/* Byte ranges in the passage text of the literals it holds, else of their words,
 * sorted and merged, into h. */
static void highlights(qry_engine *e, const qry_parsed *p, unsigned docid, const char *text, qry_hit *h)
{
    const qry_normtext *nt = qry_normalised(e, docid, text);
    if (!nt)
        return;
    ranges rs = {0};
    for (size_t i = 0; i < p->n; i++) {
        const qry_unit *u = &p->units[i];
        if (u->negated)
            continue;
        size_t before = rs.n;
        add_matches(&rs, nt, u->norm);
        for (size_t k = 0; k < u->nalts; k++)
            add_matches(&rs, nt, u->alts[k]);
        if (rs.n == before && u->nwords) {  /* not held literally: its content words */
            for (size_t w = 0; w < u->nwords; w++) {
                add_matches(&rs, nt, u->words[w].norm);
                for (size_t k = 0; k < u->words[w].nalts; k++)
                    add_matches(&rs, nt, u->words[w].alts[k]);
            }
            for (size_t s = 0; s < u->nspans; s++) {   /* 降本减负 for 企业 负担 */
                for (size_t k = 0; k < u->spans[s].nalts; k++)
                    add_matches(&rs, nt, u->spans[s].alts[k]);
                for (size_t k = 0; k < u->spans[s].nrel; k++)
                    add_matches(&rs, nt, u->spans[s].rel[k]);
            }
        } else if (rs.n == before) {        /* a phrase: its words apart */
            word_hl w = {&rs, nt};
            seg_cut(e->st, u->norm, strlen(u->norm), SEG_MODE_ACCURATE, 0, highlight_word, &w);
        }
    }
    if (rs.n)
        qsort(rs.r, rs.n, sizeof *rs.r, cmp_range);
    size_t m = 0;
    for (size_t i = 0; i < rs.n; i++) {     /* merge overlapping ranges */
        if (m > 0 && rs.r[i].start <= rs.r[m - 1].end) {
            if (rs.r[i].end > rs.r[m - 1].end)
                rs.r[m - 1].end = rs.r[i].end;
        } else {
            rs.r[m++] = rs.r[i];
        }
    }
    h->highlights = rs.r;
    h->nhighlights = m;
}

/* What the facets count of file: its name, kind, year and region (what its
 * passages share; known unless that could not be kept: looked up again then). */
static qry_file_fields fields_of(qry_engine *e, const char *file)
{
    qry_file_fields f = {NULL, NULL, NULL, qry_json_text(file), 0};
    const json_t *info = f.name_ok ? qry_file_shared(e, file) : NULL;   /* no record is kept without */
    f.kind = json_string_value(json_object_get(info, "kind"));
    f.year = json_string_value(json_object_get(info, "year"));
    f.region = json_string_value(json_object_get(info, "region"));
    f.known = info != NULL || !f.name_ok;
    return f;
}

/* Counts n passages of file in the documents facet (as_new: the first count of
 * file in this search), and through its fields in the others. */
static void count_file(qry_facets *f, const char *file, const qry_file_fields *fields, size_t n, int as_new)
{
    if (fields->name_ok && as_new)           /* no JSON can name a file otherwise */
        qry_facet_add_new(&f->documents, file, n);
    else if (fields->name_ok)
        qry_facet_add(&f->documents, file, n);
    qry_facet_add(&f->kinds, fields->kind, n);
    qry_facet_add(&f->years, fields->year, n);
    qry_facet_add(&f->regions, fields->region, n);
}

void qry_add_facets(qry_engine *e, qry_facets *facets, const xsh_result *r)
{
    if (e->filemap)
        qry_filemap_keep(e->filemap, r->facet_scale);
    for (size_t f = 0; f < r->nfacets; f++)
        for (size_t k = 0; k < r->facets[f].n; k++) {
            const char *file = r->facets[f].values[k].value;
            size_t n = qry_facet_scaled(r->facets[f].values[k].count, r->facet_scale);
            if (n) {
                qry_file_fields fields = fields_of(e, file);
                count_file(facets, file, &fields, n, 0);
            }
        }
}

typedef struct {
    qry_engine *e;
    qry_facets *facets;
    int first;                   /* no document counted before the map's: each is new */
} emit_ctx;

static void count_kept_file(void *ctx, const char *file, size_t n, qry_file_fields *fields)
{
    emit_ctx *c = ctx;
    if (!fields->known)                    /* looked up once per file and revision */
        *fields = fields_of(c->e, file);
    count_file(c->facets, file, fields, n, c->first);
}

void qry_finish_facets(qry_engine *e, qry_facets *facets)
{
    /* a tier counted through the file slot (the map failed to load then) may have
     * counted some of these files already */
    emit_ctx c = {e, facets, facets && facets->documents.n == 0};
    if (e->filemap)
        qry_filemap_emit(e->filemap, facets ? count_kept_file : NULL, &c);
}

/* The hit's headings and title, normalised, one a line (malloc'd; NULL for none). */
static char *fields_normalised(qry_engine *e, json_t *rec)
{
    size_t len = 0, i;
    json_t *v, *parts = json_array();
    json_array_foreach(json_object_get(rec, "section"), i, v)
        json_array_append(parts, v);
    json_array_append(parts, json_object_get(rec, "title"));
    char *out = NULL;
    json_array_foreach(parts, i, v) {
        char *n = json_is_string(v) ? qry_literal_norm(e->st, json_string_value(v)) : NULL;
        char *grown = n ? realloc(out, len + strlen(n) + 2) : NULL;
        if (grown) {
            out = grown;
            len += (size_t)sprintf(out + len, "%s\n", n);
        }
        free(n);
    }
    json_decref(parts);
    return out;
}

/* Whether the passage holds s: in its text, or in its headings or title (fields). */
static int holds_text(const qry_normtext *nt, const char *fields, const char *s)
{
    return (nt && strstr(nt->s, s)) || (fields && strstr(fields, s));
}

/* Appends a copy of s to list; once only when unique (one expression can stand
 * for several words of a query: 降本减负 for 企业 and 负担). */
static void add_string(qry_strings *list, const char *s, int unique)
{
    for (size_t i = 0; unique && i < list->n; i++)
        if (!strcmp(list->s[i], s))
            return;
    char **grown = realloc(list->s, (list->n + 1) * sizeof *grown);
    char *copy = grown ? strdup(s) : NULL;
    if (grown)
        list->s = grown;
    if (copy)
        list->s[list->n++] = copy;
}

/* Why a hit matched (INTERFACE.md, "match"): the tier it came from (3: it is in a
 * document the query names, listed in order), and below the literal tiers which
 * of the query's content words it lacks. */
static void match_of(qry_engine *e, const qry_parsed *p, int tier, const qry_normtext *nt, json_t *rec, qry_match *m)
{
    static const char *const types[] = {"literal", "synonym", "all_words", "document"};
    m->type = types[tier >= 0 && tier <= 3 ? tier : 2];
    qry_strings *via = &m->via, *missing = &m->missing;
    char *fields = tier == 2 ? fields_normalised(e, rec) : NULL;
    for (size_t i = 0; i < p->n; i++) {
        const qry_unit *u = &p->units[i];
        if (u->negated)
            continue;
        for (size_t k = 0; tier == 1 && k < u->nalts; k++)
            if (nt && strstr(nt->s, u->alts[k]))
                add_string(via, u->alts[k], 1);
        if (tier != 2 || holds_text(nt, fields, u->norm))
            continue;
        for (size_t w = 0; w < u->nwords; w++) {
            const qry_word *qw = &u->words[w];
            int held = holds_text(nt, fields, qw->norm);
            const qry_span *sp = qry_span_of(u, w);
            /* synonyms, related expressions, then those of the span it is in */
            char *const *lists[4] = {qw->alts, qw->rel, sp ? sp->alts : NULL, sp ? sp->rel : NULL};
            size_t sizes[4] = {qw->nalts, qw->nrel, sp ? sp->nalts : 0, sp ? sp->nrel : 0};
            for (int l = 0; l < 4 && !held; l++)
                for (size_t k = 0; !held && k < sizes[l]; k++)
                    if (holds_text(nt, fields, lists[l][k])) {
                        held = 1;
                        add_string(via, lists[l][k], 1);
                    }
            if (!held)
                add_string(missing, qw->norm, 0);
        }
        if (!u->nwords)                       /* a quoted phrase it does not hold */
            add_string(missing, u->norm, 0);
    }
    if (missing->n)
        m->type = "partial";
    free(fields);
}

/* h's byte ranges in text as character (code point) ranges, for JavaScript and
 * other readers that count characters: [[504, 516]] → [[168, 172]]. */
static void char_ranges(const char *text, qry_hit *h)
{
    if (!h->nhighlights || !(h->highlights_chars = malloc(h->nhighlights * sizeof *h->highlights_chars))) {
        h->nhighlights = 0;                    /* none, or none to show both ways */
        return;
    }
    size_t at = 0, chars = 0;
    for (size_t i = 0; i < h->nhighlights; i++) {
        size_t pair[2] = {h->highlights[i].start, h->highlights[i].end}, c[2];
        for (int k = 0; k < 2; k++) {          /* ranges are sorted: count on from the last */
            for (; text[at] && at < pair[k]; at++)
                chars += ((unsigned char)text[at] & 0xC0) != 0x80;
            c[k] = chars;
        }
        h->highlights_chars[i] = (qry_range){c[0], c[1]};
    }
}

/* Appends r's hits to res (ranked on from offset, the page's); per_doc (when not 0) holds across tiers: per_file
 * counts them. */
void qry_append_hits(qry_engine *e, const qry_parsed *p, int tier, const xsh_result *r, qry_result *res,
                     size_t offset, size_t per_doc, json_t *per_file)
{
    qry_hit *grown = r->nhits ? realloc(res->hits, (res->nhits + r->nhits) * sizeof *grown) : NULL;
    if (!grown)
        return;                                /* none, or no room: the page ends here */
    res->hits = grown;
    for (size_t i = 0; i < r->nhits; i++) {
        json_t *rec = qry_record(e, r->hits[i].docid);
        if (!rec)
            continue;
        const char *file = json_string_value(json_object_get(rec, "file"));
        if (per_doc && file) {
            json_int_t seen = json_integer_value(json_object_get(per_file, file));
            if ((size_t)seen >= per_doc)
                continue;
            json_object_set_new(per_file, file, json_integer(seen + 1));
        }
        qry_hit *h = &res->hits[res->nhits];
        memset(h, 0, sizeof *h);
        h->rank = offset + res->nhits + 1;
        h->score = (double)(long long)(r->hits[i].weight * 1000 + 0.5) / 1000;
        h->record = json_incref(rec);
        h->fragment = json_incref(qry_record_fragment(e, r->hits[i].docid));
        const char *text = json_string_value(json_object_get(rec, "text"));
        highlights(e, p, r->hits[i].docid, text ? text : "", h);
        char_ranges(text ? text : "", h);
        qry_document_id(file ? file : "", h->doc_id);
        match_of(e, p, tier, qry_normalised(e, r->hits[i].docid, text ? text : ""), rec, &h->match);
        res->nhits++;
    }
}
