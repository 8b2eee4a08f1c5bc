/* render.c — the terminal view of a search result: rank, date, title · section
 * path, a snippet around the matches (bold with colour, else 【marked】), and the
 * location as PATH:LINE with the pages. Document text never reaches the terminal
 * raw: control characters are shown escaped. */
#include "cli.h"
#include "intl.h"

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

/* Writes n bytes of s with C0/C1 control characters and DEL escaped (\x1b, \u009b),
 * so a hostile document cannot move the cursor or retitle the window. */
static void put_text(FILE *f, const char *s, size_t n)
{
    size_t run = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int c1 = c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 && (unsigned char)s[i + 1] < 0xA0;
        if (c >= 0x20 && c != 0x7F && !c1)
            continue;
        fwrite(s + run, 1, i - run, f);
        if (c1)
            fprintf(f, "\\u%04x", (unsigned char)s[++i]);
        else
            fprintf(f, "\\x%02x", c);
        run = i + 1;
    }
    fwrite(s + run, 1, n - run, f);
}

static void put_string(FILE *f, const char *s)
{
    if (s)
        put_text(f, s, strlen(s));
}

static void print_snippet(FILE *f, const char *text, json_t *hl, int color)
{
    const char *open = color ? "\033[1m" : "【", *close = color ? "\033[0m" : "】";
    size_t len = strlen(text), first = 0;
    if (json_array_size(hl) > 0)
        first = (size_t)json_integer_value(json_array_get(json_array_get(hl, 0), 0));
    size_t from = first > SNIPPET_BYTES / 3 ? char_start(text, first - SNIPPET_BYTES / 3) : 0;
    size_t to = from + SNIPPET_BYTES < len ? char_start(text, from + SNIPPET_BYTES) : len;
    fputs("    ", f);
    if (from > 0)
        fputs("…", f);
    size_t pos = from;
    for (size_t k = 0; k < json_array_size(hl) && pos < to; k++) {
        size_t s = (size_t)json_integer_value(json_array_get(json_array_get(hl, k), 0));
        size_t e = (size_t)json_integer_value(json_array_get(json_array_get(hl, k), 1));
        if (e <= pos || s >= to || e > len)
            continue;
        if (s < pos)
            s = pos;
        if (e > to)
            e = to;
        put_text(f, text + pos, s - pos);
        fputs(open, f);
        put_text(f, text + s, e - s);
        fputs(close, f);
        pos = e;
    }
    put_text(f, text + pos, to - pos);
    if (to < len)
        fputs("…", f);
    fputc('\n', f);
}

/* " · p. 12", " · pp. 12–13 (est.)", or nothing without page information. */
static void print_pages(FILE *f, json_t *h)
{
    json_t *page = json_object_get(h, "page"), *page_end = json_object_get(h, "page_end");
    if (!json_is_integer(page))
        return;
    long long p0 = json_integer_value(page), p1 = json_is_integer(page_end) ? json_integer_value(page_end) : p0;
    const char *src = json_string_value(json_object_get(h, "page_source"));
    fputs(" · ", f);
    if (p1 > p0)
        fprintf(f, _("pp. %lld–%lld"), p0, p1);
    else
        fprintf(f, _("p. %lld"), p0);
    if (src && strcmp(src, "estimated") == 0)
        fputs(_(" (est.)"), f);
}

/* Why a hit matched, when it is not the literal query: " (via 生产总值)",
 * " (lacks 企业)". */
static void print_match(FILE *f, json_t *m)
{
    static const char *const parts[] = {"via", "missing"};
    static const char *const labels[] = {N_(" (via "), N_(" (lacks ")};
    for (size_t i = 0; i < 2; i++) {
        json_t *words = json_object_get(m, parts[i]), *w;
        size_t k;
        if (!json_array_size(words))
            continue;
        fputs(_(labels[i]), f);
        json_array_foreach(words, k, w) {
            if (k)
                fputs(_(", "), f);
            put_string(f, json_string_value(w));
        }
        fputs(_(")"), f);
    }
}

void cli_render_results(FILE *f, json_t *result, int color)
{
    json_t *hits = json_object_get(result, "hits");
    long long total = json_integer_value(json_object_get(result, "total"));
    if (total == 0 && json_array_size(hits) > 0)
        fputs(_("No passage holds every word of "), f);
    else if (json_is_true(json_object_get(result, "total_is_estimate")))
        fprintf(f, P_("about %lld result for ", "about %lld results for ", (unsigned long)total), total);
    else
        fprintf(f, P_("%lld result for ", "%lld results for ", (unsigned long)total), total);
    put_string(f, json_string_value(json_object_get(result, "query")));
    if (total == 0 && json_array_size(hits) > 0)
        fprintf(f, _("; the closest (%.2f ms):\n"), json_number_value(json_object_get(result, "took_ms")));
    else
        fprintf(f, _(" (%.2f ms)\n"), json_number_value(json_object_get(result, "took_ms")));
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        const char *date = json_string_value(json_object_get(h, "date"));
        fprintf(f, "\n%3lld. ", (long long)json_integer_value(json_object_get(h, "rank")));
        if (date) {
            put_string(f, date);
            fputc(' ', f);
        }
        put_string(f, json_string_value(json_object_get(h, "title")));
        size_t k;
        json_t *s;
        json_array_foreach(json_object_get(h, "section"), k, s) {
            fputs(k == 0 ? " · " : " › ", f);
            put_string(f, json_string_value(s));
        }
        print_match(f, json_object_get(h, "match"));
        fputc('\n', f);
        const char *text = json_string_value(json_object_get(h, "text"));
        print_snippet(f, text ? text : "", json_object_get(h, "highlights"), color);
        fputs("    ", f);
        put_string(f, json_string_value(json_object_get(h, "file")));
        json_t *line = json_object_get(h, "line");
        if (json_is_integer(line))
            fprintf(f, ":%lld", (long long)json_integer_value(line));
        print_pages(f, h);
        fputc('\n', f);
    }
}
