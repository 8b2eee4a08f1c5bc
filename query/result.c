/* result.c — a search's typed result and its one JSON writer: the text of
 * INTERFACE.md's result object that `search --json`, the daemon's NDJSON answers
 * and HTTP bodies all carry. Key order: query, total, total_is_estimate, took_ms, hits, facets; a
 * hit's: rank, score, its record's fields, highlights, highlights_chars, doc_id,
 * match. */
#include "qry_int.h"

#include <stdlib.h>
#include <string.h>

static void free_strings(qry_strings *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->s[i]);
    free(s->s);
}

void qry_result_free(qry_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        qry_hit *h = &r->hits[i];
        json_decref(h->record);
        json_decref(h->fragment);
        free(h->highlights);
        free(h->highlights_chars);
        free_strings(&h->match.via);
        free_strings(&h->match.missing);
    }
    free(r->hits);
    free(r->query);
    qry_facets_free(&r->facets);
    free(r);
}

static void write_ranges(qry_buf *b, const qry_range *r, size_t n)
{
    qry_buf_puts(b, "[");
    for (size_t i = 0; i < n; i++) {
        qry_buf_puts(b, i ? ",[" : "[");
        qry_buf_integer(b, (json_int_t)r[i].start);
        qry_buf_puts(b, ",");
        qry_buf_integer(b, (json_int_t)r[i].end);
        qry_buf_puts(b, "]");
    }
    qry_buf_puts(b, "]");
}

static void write_strings(qry_buf *b, const char *key, const qry_strings *s)
{
    if (!s->n)
        return;
    qry_buf_puts(b, key);
    for (size_t i = 0; i < s->n; i++) {
        qry_buf_puts(b, i ? "," : "[");
        qry_buf_string(b, s->s[i], strlen(s->s[i]));
    }
    qry_buf_puts(b, "]");
}

/* The record's fields without braces: the cached text, else written here. */
static void write_record(qry_buf *b, const qry_hit *h)
{
    if (json_is_string(h->fragment)) {
        qry_buf_put(b, json_string_value(h->fragment), json_string_length(h->fragment));
        return;
    }
    const char *key;
    json_t *v;
    int first = 1;
    json_object_foreach(h->record, key, v) {
        if (!first)
            qry_buf_puts(b, ",");
        first = 0;
        qry_buf_string(b, key, strlen(key));
        qry_buf_puts(b, ":");
        qry_buf_compact(b, v, JSON_COMPACT);
    }
}

static void write_hit(qry_buf *b, const qry_hit *h)
{
    qry_buf_puts(b, "{\"rank\":");
    qry_buf_integer(b, (json_int_t)h->rank);
    qry_buf_puts(b, ",\"score\":");
    qry_buf_real(b, h->score);
    if (json_object_size(h->record) || json_string_length(h->fragment)) {
        qry_buf_puts(b, ",");
        write_record(b, h);
    }
    qry_buf_puts(b, ",\"highlights\":");
    write_ranges(b, h->highlights, h->nhighlights);
    qry_buf_puts(b, ",\"highlights_chars\":");
    write_ranges(b, h->highlights_chars, h->nhighlights);
    qry_buf_puts(b, ",\"doc_id\":");
    qry_buf_string(b, h->doc_id, strlen(h->doc_id));
    qry_buf_puts(b, ",\"match\":{\"type\":");
    qry_buf_string(b, h->match.type, strlen(h->match.type));
    write_strings(b, ",\"via\":", &h->match.via);
    write_strings(b, ",\"missing\":", &h->match.missing);
    qry_buf_puts(b, "}}");
}

int qry_result_write(qry_buf *b, const qry_result *r)
{
    qry_buf_puts(b, "{\"query\":");
    qry_buf_string(b, r->query, strlen(r->query));
    qry_buf_puts(b, ",\"total\":");
    qry_buf_integer(b, (json_int_t)r->total);
    qry_buf_puts(b, r->total_is_estimate ? ",\"total_is_estimate\":true" : ",\"total_is_estimate\":false");
    qry_buf_puts(b, ",\"took_ms\":");
    qry_buf_real(b, r->took_ms);
    qry_buf_puts(b, ",\"hits\":[");
    for (size_t i = 0; i < r->nhits; i++) {
        if (i)
            qry_buf_puts(b, ",");
        write_hit(b, &r->hits[i]);
    }
    qry_buf_puts(b, "],\"facets\":");
    qry_facets_write(b, &r->facets);
    qry_buf_puts(b, "}");
    return b->failed ? -1 : 0;
}

char *qry_result_text(const qry_result *r, size_t *len)
{
    qry_buf b = {0};
    qry_result_write(&b, r);
    return qry_buf_finish(&b, len);
}

json_t *qry_result_json(const qry_result *r)
{
    size_t len = 0;
    char *text = qry_result_text(r, &len);
    json_t *j = text ? json_loadb(text, len, 0, NULL) : NULL;
    free(text);
    return j;
}
