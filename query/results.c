/* results.c — the hits of a search as INTERFACE.md shows them: records with
 * highlights (byte ranges of the matched literals, else of their words), facets
 * counted per file, and the result as JSON text with cached record fragments. */
#include "engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { size_t s, e; } range;

static int cmp_range(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s ? 1 : (x->e > y->e) - (x->e < y->e);
}

typedef struct {
    range *r;
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
            range *nr = realloc(rs->r, cap * sizeof *nr);
            if (!nr)
                return;
            rs->r = nr;
            rs->cap = cap;
        }
        size_t a = (size_t)(p - nt->s);
        qry_normtext_map(nt, a, a + nl, &rs->r[rs->n].s, &rs->r[rs->n].e);
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

/* Byte ranges in the passage text of the literals it holds, else of their words. */
static json_t *highlights(qry_engine *e, const qry_parsed *p, unsigned docid, const char *text)
{
    json_t *out = json_array();
    const qry_normtext *nt = qry_normalised(e, docid, text);
    if (!nt)
        return out;
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
        if (m > 0 && rs.r[i].s <= rs.r[m - 1].e) {
            if (rs.r[i].e > rs.r[m - 1].e)
                rs.r[m - 1].e = rs.r[i].e;
        } else {
            rs.r[m++] = rs.r[i];
        }
    }
    for (size_t i = 0; i < m; i++)
        json_array_append_new(out, json_pack("[I, I]", (json_int_t)rs.r[i].s, (json_int_t)rs.r[i].e));
    free(rs.r);
    return out;
}

static void count(json_t *obj, const char *key, size_t n)
{
    if (key)
        json_object_set_new(obj, key, json_integer(json_integer_value(json_object_get(obj, key)) + (json_int_t)n));
}

typedef struct {
    qry_engine *e;
    json_t *docs, *kinds, *years, *regions;
} facet_ctx;

/* Counts n passages of file in the documents facet, and through its kind and year
 * in those facets. */
static void count_file(void *ctx, const char *file, size_t n)
{
    facet_ctx *c = ctx;
    json_t *info = qry_file_shared(c->e, file);
    count(c->docs, file, n);
    count(c->kinds, json_string_value(json_object_get(info, "kind")), n);
    count(c->years, json_string_value(json_object_get(info, "year")), n);
    count(c->regions, json_string_value(json_object_get(info, "region")), n);
}

/* Adds the files the last match counted (from docids, or r's file-slot facet). */
void qry_add_facets(qry_engine *e, json_t *facets, const xsh_result *r)
{
    facet_ctx c = {e, json_object_get(facets, "documents"), json_object_get(facets, "kinds"),
                   json_object_get(facets, "years"), json_object_get(facets, "regions")};
    if (e->filemap)
        qry_filemap_drain(e->filemap, count_file, &c);
    for (size_t f = 0; f < r->nfacets; f++)
        for (size_t k = 0; k < r->facets[f].n; k++)
            count_file(&c, r->facets[f].values[k].value, r->facets[f].values[k].count);
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

/* Appends s to the via list unless it is there (one expression can stand for
 * several words of a query: 降本减负 for 企业 and 负担). */
static void add_via(json_t *via, const char *s)
{
    size_t i;
    json_t *v;
    json_array_foreach(via, i, v)
        if (!strcmp(json_string_value(v), s))
            return;
    json_array_append_new(via, json_string(s));
}

/* Why a hit matched (INTERFACE.md, "match"): the tier it came from (3: it is in a
 * document the query names, listed in order), and below the literal tiers which
 * of the query's content words it lacks. */
static json_t *match_of(qry_engine *e, const qry_parsed *p, int tier, const qry_normtext *nt, json_t *rec)
{
    static const char *const types[] = {"literal", "synonym", "all_words", "document"};
    json_t *m = json_pack("{s:s}", "type", types[tier >= 0 && tier <= 3 ? tier : 2]);
    json_t *via = json_array(), *missing = json_array();
    char *fields = tier == 2 ? fields_normalised(e, rec) : NULL;
    for (size_t i = 0; m && i < p->n; i++) {
        const qry_unit *u = &p->units[i];
        if (u->negated)
            continue;
        for (size_t k = 0; tier == 1 && k < u->nalts; k++)
            if (nt && strstr(nt->s, u->alts[k]))
                add_via(via, u->alts[k]);
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
                        add_via(via, lists[l][k]);
                    }
            if (!held)
                json_array_append_new(missing, json_string(qw->norm));
        }
        if (!u->nwords)                       /* a quoted phrase it does not hold */
            json_array_append_new(missing, json_string(u->norm));
    }
    if (m && json_array_size(missing))
        json_object_set_new(m, "type", json_string("partial"));
    if (m && json_array_size(via))
        json_object_set(m, "via", via);
    if (m && json_array_size(missing))
        json_object_set(m, "missing", missing);
    json_decref(via);
    json_decref(missing);
    free(fields);
    return m;
}

/* The byte ranges hl of text as character (code point) ranges, for JavaScript and
 * other readers that count characters: [[504, 516]] → [[168, 172]]. */
static json_t *char_ranges(const char *text, const json_t *hl)
{
    json_t *out = json_array();
    size_t i, at = 0, chars = 0;
    json_t *r;
    json_array_foreach(hl, i, r) {
        size_t pair[2] = {(size_t)json_integer_value(json_array_get(r, 0)), (size_t)json_integer_value(json_array_get(r, 1))};
        json_int_t c[2];
        for (int k = 0; k < 2; k++) {          /* ranges are sorted: count on from the last */
            for (; text[at] && at < pair[k]; at++)
                chars += ((unsigned char)text[at] & 0xC0) != 0x80;
            c[k] = (json_int_t)chars;
        }
        json_array_append_new(out, json_pack("[I,I]", c[0], c[1]));
    }
    return out;
}

/* Appends r's hits; per_doc (when not 0) holds across tiers: per_file counts them. */
void qry_append_hits(qry_engine *e, const qry_parsed *p, int tier, const xsh_result *r, json_t *hits, size_t *rank,
                     size_t per_doc, json_t *per_file)
{
    for (size_t i = 0; i < r->nhits; i++) {
        json_t *rec = qry_record(e, r->hits[i].docid);
        if (!rec)
            continue;
        json_incref(rec);
        const char *file = json_string_value(json_object_get(rec, "file"));
        if (per_doc && file) {
            json_int_t seen = json_integer_value(json_object_get(per_file, file));
            if ((size_t)seen >= per_doc) {
                json_decref(rec);
                continue;
            }
            json_object_set_new(per_file, file, json_integer(seen + 1));
        }
        json_t *hit = json_object();
        json_object_set_new(hit, "rank", json_integer((json_int_t)++*rank));
        json_object_set_new(hit, "score", json_real((double)(long long)(r->hits[i].weight * 1000 + 0.5) / 1000));
        json_t *frag = qry_record_fragment(e, r->hits[i].docid);
        if (!e->lean || !json_is_string(frag))
            json_object_update(hit, rec);
        const char *text = json_string_value(json_object_get(rec, "text"));
        json_t *hl = highlights(e, p, r->hits[i].docid, text ? text : "");
        json_object_set_new(hit, "highlights", hl);
        json_object_set_new(hit, "highlights_chars", char_ranges(text ? text : "", hl));
        char id[17];
        qry_document_id(file ? file : "", id);
        json_object_set_new(hit, "doc_id", json_string(id));
        json_object_set_new(hit, "match", match_of(e, p, tier, qry_normalised(e, r->hits[i].docid, text ? text : ""), rec));
        json_array_append_new(hits, hit);
        json_array_append(e->last_frags, frag ? frag : json_null());
        json_decref(rec);
    }
}

/* One hit as {"rank", "score", the record's fields, "highlights"} with the record
 * copied in as text; 0 when the hit is not of that shape (dump it whole). */
static int put_hit(qry_buf *b, const json_t *hit, const json_t *frag, size_t flags)
{
    const json_t *rank = json_object_get(hit, "rank"), *score = json_object_get(hit, "score"),
                 *hl = json_object_get(hit, "highlights"), *match = json_object_get(hit, "match"),
                 *hlc = json_object_get(hit, "highlights_chars"), *id = json_object_get(hit, "doc_id");
    if (!json_is_string(frag) || !rank || !score || !hl || !hlc || !id)
        return 0;
    qry_buf_puts(b, "{\"rank\":");
    qry_buf_compact(b, rank, flags);
    qry_buf_puts(b, ",\"score\":");
    qry_buf_compact(b, score, flags);
    qry_buf_puts(b, ",");
    qry_buf_put(b, json_string_value(frag), json_string_length(frag));
    qry_buf_puts(b, ",\"highlights\":");
    qry_buf_compact(b, hl, flags);
    qry_buf_puts(b, ",\"highlights_chars\":");
    qry_buf_compact(b, hlc, flags);
    qry_buf_puts(b, ",\"doc_id\":");
    qry_buf_compact(b, id, flags);
    if (match) {
        qry_buf_puts(b, ",\"match\":");
        qry_buf_compact(b, match, flags);
    }
    qry_buf_puts(b, "}");
    return 1;
}

int qry_dump_fast_flags(size_t flags)
{
    return (flags & JSON_COMPACT) && !(flags & (JSON_SORT_KEYS | JSON_ENSURE_ASCII)) && (flags & 0x1F) == 0;
}

char *qry_result_dumps(qry_engine *e, const json_t *result, size_t flags, size_t *len)
{
    qry_buf b = {0};
    int fast = result == e->last && qry_dump_fast_flags(flags);
    if (!fast) {
        qry_buf_json(&b, result, flags);
        return qry_buf_finish(&b, len);
    }
    const char *key;
    const json_t *value;
    int first = 1;
    qry_buf_puts(&b, "{");
    json_object_foreach((json_t *)result, key, value) {
        qry_buf_puts(&b, first ? "\"" : ",\"");      /* the result's keys are plain ASCII */
        qry_buf_puts(&b, key);
        qry_buf_puts(&b, "\":");
        first = 0;
        if (strcmp(key, "hits") != 0 || json_array_size(value) != json_array_size(e->last_frags)) {
            qry_buf_compact(&b, value, flags);
            continue;
        }
        qry_buf_puts(&b, "[");
        for (size_t i = 0; i < json_array_size(value); i++) {
            if (i)
                qry_buf_puts(&b, ",");
            const json_t *hit = json_array_get(value, i);
            if (!put_hit(&b, hit, json_array_get(e->last_frags, i), flags))
                qry_buf_compact(&b, hit, flags);
        }
        qry_buf_puts(&b, "]");
    }
    qry_buf_puts(&b, "}");
    return qry_buf_finish(&b, len);
}
