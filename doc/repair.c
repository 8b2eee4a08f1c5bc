/* repair.c — the text of a block as a reader should see it: line breaks and the
 * footers between lines gone, spaces next to Chinese text removed (省先进 印染 →
 * 省先进印染; any space not between two ASCII characters), spaces between Latin
 * words and numbers kept, and a space put back
 * where a line break separated two Latin words. Every byte keeps its text offset. */
#include "doc_int.h"

#include <stdlib.h>
#include <string.h>

static int push(idx_buf *b, const char *s, size_t n, size_t src)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *ns = realloc(b->s, cap);
        if (!ns)
            return IDX_ENOMEM;
        b->s = ns;
        size_t *nsrc = realloc(b->src, cap * sizeof *nsrc);
        if (!nsrc)
            return IDX_ENOMEM;
        b->src = nsrc;
        b->cap = cap;
    }
    for (size_t i = 0; i < n; i++) {
        b->s[b->len] = s[i];
        b->src[b->len] = src + i;
        b->len++;
    }
    b->s[b->len] = 0;
    return 0;
}

static int is_latin(int32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

/* The last code point in the buffer, or 0. */
static int32_t last_cp(const idx_buf *b)
{
    size_t at = b->len;
    return idx_cp_before(b->s, 0, &at);
}

void idx_buf_free(idx_buf *b)
{
    free(b->s);
    free(b->src);
    memset(b, 0, sizeof *b);
}

int idx_repair_lines(const idx_text *t, const idx_line *lines, const idx_block *blk, int verbatim, idx_buf *out)
{
    const char *s = t->s;
    int first_line = 1;
    for (size_t li = blk->first; li <= blk->last; li++) {
        const idx_line *l = &lines[li];
        if (l->kind != LINE_TEXT && !(blk->caption && l->kind == LINE_CAPTION))
            continue;
        size_t a = l->start, e = l->end;
        if (li == blk->first && blk->skip > a)
            a = blk->skip;
        if (li == blk->last && blk->stop && blk->stop < e)
            e = blk->stop;
        while (a < e) {                      /* no leading spaces */
            int n;
            if (!idx_is_space(idx_cp_at(s, e, a, &n)))
                break;
            a += (size_t)n;
        }
        if (a >= e)
            continue;
        if (verbatim) {
            int rc = push(out, s + a, e - a, a);
            if (rc)
                return rc;
            continue;
        }
        int n0;
        int32_t first = idx_cp_at(s, e, a, &n0);
        if (!first_line && is_latin(last_cp(out)) && is_latin(first)) {
            int rc = push(out, " ", 1, l->start > 0 ? l->start - 1 : 0);   /* the line break */
            if (rc)
                return rc;
        }
        first_line = 0;
        for (size_t i = a; i < e;) {
            int n;
            int32_t cp = idx_cp_at(s, e, i, &n);
            if (cp == 0xAD) {                 /* a soft hyphen: only a place a word may break */
                i += (size_t)n;
                continue;
            }
            if (!idx_is_space(cp)) {
                int rc = push(out, s + i, (size_t)n, i);
                if (rc)
                    return rc;
                i += (size_t)n;
                continue;
            }
            size_t j = i;                    /* a run of spaces: keep it only between non-Chinese text */
            int32_t next = 0;
            int visible = 0;                 /* not only zero-width characters */
            while (j < e) {
                int m;
                next = idx_cp_at(s, e, j, &m);
                if (!idx_is_space(next))
                    break;
                visible |= !idx_is_zero_width(next);
                j += (size_t)m;
            }
            int32_t prev = last_cp(out);
            if (visible && j < e && prev > 0 && prev < 0x80 && next < 0x80) {
                int rc = push(out, s + i, j - i, i);
                if (rc)
                    return rc;
            }
            i = j;
        }
    }
    return 0;
}

char *idx_repair_string(const idx_text *t, const idx_line *lines, const idx_block *b)
{
    idx_buf buf = {0};
    if (idx_repair_lines(t, lines, b, 0, &buf) != 0) {
        idx_buf_free(&buf);
        return NULL;
    }
    free(buf.src);
    return buf.s ? buf.s : calloc(1, 1);
}
