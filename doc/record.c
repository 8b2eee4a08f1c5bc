/* record.c — the passage record as JSON: the fields of a search hit without rank,
 * score and highlights (INTERFACE.md). The same object is `wensou inspect`'s line
 * and the index's document data, so any Xapian binding can read an index. */
#include "doc.h"

#include <string.h>

/* The manifest's other columns of d as an object, or NULL when it has none. */
static json_t *meta_json(const idx_doc *d)
{
    if (!d->nmeta)
        return NULL;
    json_t *m = json_object();
    for (size_t i = 0; m && i < d->nmeta; i++)
        json_object_set_new(m, d->meta_keys[i], json_string(d->meta_values[i]));
    return m;
}

json_t *idx_passage_json(const idx_doc *d, const idx_passage *p)
{
    json_t *o = json_object();
    json_t *sec = json_array();
    if (!o || !sec) {
        json_decref(o);
        json_decref(sec);
        return NULL;
    }
    for (size_t i = 0; i < p->nsection; i++)
        json_array_append_new(sec, json_string(p->section[i]));
    const char *src = idx_page_source_name(p->page_source);
    json_object_set_new(o, "file", json_string(d->path));
    json_object_set_new(o, "title", json_string(d->title));
    json_object_set_new(o, "date", d->date ? json_string(d->date) : json_null());
    json_object_set_new(o, "kind", json_string(d->kind));
    json_object_set_new(o, "section", sec);
    json_object_set_new(o, "page", p->page ? json_integer(p->page) : json_null());
    json_object_set_new(o, "page_end", p->page_end ? json_integer(p->page_end) : json_null());
    json_object_set_new(o, "page_source", src ? json_string(src) : json_null());
    json_object_set_new(o, "start", json_integer((json_int_t)p->start));
    json_object_set_new(o, "end", json_integer((json_int_t)p->end));
    json_object_set_new(o, "line", json_integer((json_int_t)p->line));
    json_object_set_new(o, "text", json_stringn(p->text, p->text_len));
    if (p->table_header)
        json_object_set_new(o, "table_header", json_string(p->table_header));
    if (p->kind != IDX_PASSAGE_TEXT)
        json_object_set_new(o, "type", json_string(p->kind == IDX_PASSAGE_TABLE_ROW ? "table_row"
                                                   : p->kind == IDX_PASSAGE_CAPTION ? "caption" : "box"));
    json_t *meta = meta_json(d);
    if (meta)
        json_object_set_new(o, "meta", meta);
    return o;
}

json_t *idx_doc_json(const idx_doc *d)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "file", json_string(d->path));
    json_object_set_new(o, "title", json_string(d->title));
    json_object_set_new(o, "date", d->date ? json_string(d->date) : json_null());
    json_object_set_new(o, "kind", json_string(d->kind));
    json_object_set_new(o, "encoding", json_string(d->encoding ? d->encoding : "utf-8"));
    json_object_set_new(o, "pages_known", json_boolean(d->pages > 0));
    json_object_set_new(o, "pages", d->pages ? json_integer(d->pages) : json_null());
    json_object_set_new(o, "passages", json_integer((json_int_t)d->npassages));
    json_t *from = json_object();
    const char *fields[] = {"title", "date", "kind"}, *sources[] = {d->title_from, d->date_from, d->kind_from};
    for (int i = 0; from && i < 3; i++)
        if (sources[i])
            json_object_set_new(from, fields[i], json_string(sources[i]));
    for (size_t i = 0; from && i < d->nmeta; i++)       /* issuer, region, … */
        if (d->meta_from && d->meta_from[i])
            json_object_set_new(from, d->meta_keys[i], json_string(d->meta_from[i]));
    if (from)
        json_object_set_new(o, "from", from);
    json_t *meta = meta_json(d);
    if (meta)
        json_object_set_new(o, "meta", meta);
    json_t *abbr = idx_abbreviations(d);
    if (json_array_size(abbr))
        json_object_set(o, "abbreviations", abbr);
    json_decref(abbr);
    return o;
}
