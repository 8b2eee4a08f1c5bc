/* render.c — the terminal view of a search result: rank, title · section path ·
 * pages, a snippet around the matches (bold on a terminal), and file:start. */
#include "cli.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define SNIPPET_BYTES 240        /* about 80 Chinese characters */

/* Moves i back to the start of a UTF-8 character. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
        i--;
    return i;
}

static void print_snippet(FILE *f, const char *text, json_t *hl, int bold)
{
    size_t len = strlen(text), first = 0;
    if (json_array_size(hl) > 0)
        first = (size_t)json_integer_value(json_array_get(json_array_get(hl, 0), 0));
    size_t from = first > SNIPPET_BYTES / 3 ? char_start(text, first - SNIPPET_BYTES / 3) : 0;
    size_t to = from + SNIPPET_BYTES < len ? char_start(text, from + SNIPPET_BYTES) : len;
    fputs("    ", f);
    if (from > 0)
        fputs("…", f);
    size_t pos = from, k = 0;
    for (; k < json_array_size(hl) && pos < to; k++) {
        size_t s = (size_t)json_integer_value(json_array_get(json_array_get(hl, k), 0));
        size_t e = (size_t)json_integer_value(json_array_get(json_array_get(hl, k), 1));
        if (e <= pos || s >= to)
            continue;
        if (s < pos)
            s = pos;
        if (e > to)
            e = to;
        fwrite(text + pos, 1, s - pos, f);
        fputs(bold ? "\033[1m" : "", f);
        fwrite(text + s, 1, e - s, f);
        fputs(bold ? "\033[0m" : "", f);
        pos = e;
    }
    fwrite(text + pos, 1, to - pos, f);
    if (to < len)
        fputs("…", f);
    fputc('\n', f);
}

void cli_render_results(FILE *f, json_t *result, int tty)
{
    json_t *hits = json_object_get(result, "hits");
    fprintf(f, "%lld results for %s (%.2f ms)\n", (long long)json_integer_value(json_object_get(result, "total")),
            json_string_value(json_object_get(result, "query")), json_number_value(json_object_get(result, "took_ms")));
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        const char *title = json_string_value(json_object_get(h, "title"));
        const char *date = json_string_value(json_object_get(h, "date"));
        fprintf(f, "\n%3lld. %s%s%s", (long long)json_integer_value(json_object_get(h, "rank")),
                date ? date : "", date ? " " : "", title ? title : "");
        json_t *sec = json_object_get(h, "section");
        size_t k;
        json_t *s;
        json_array_foreach(sec, k, s)
            fprintf(f, "%s%s", k == 0 ? " · " : " › ", json_string_value(s));
        json_t *page = json_object_get(h, "page"), *page_end = json_object_get(h, "page_end");
        if (json_is_integer(page)) {
            json_int_t p0 = json_integer_value(page), p1 = json_integer_value(page_end);
            const char *src = json_string_value(json_object_get(h, "page_source"));
            const char *est = src && strcmp(src, "estimated") == 0 ? " (est.)" : "";
            if (p1 > p0)
                fprintf(f, " · pp. %lld–%lld%s", (long long)p0, (long long)p1, est);
            else
                fprintf(f, " · p. %lld%s", (long long)p0, est);
        }
        fputc('\n', f);
        const char *text = json_string_value(json_object_get(h, "text"));
        print_snippet(f, text ? text : "", json_object_get(h, "highlights"), tty);
        fprintf(f, "    %s:%lld\n", json_string_value(json_object_get(h, "file")),
                (long long)json_integer_value(json_object_get(h, "start")));
    }
}
