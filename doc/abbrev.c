/* abbrev.c — the abbreviations a document defines, mined when it is modelled:
 * - a glossary entry (a passage under a 名词解释 heading) "N.TERM（第k页）：…" whose
 *   definition says the term is short for something or names it otherwise:
 *   “千村示范、万村整治”简称, 智慧安防小区的简称, 即智慧工厂;
 * - the text's own “…（以下简称“X”）” or “…（简称“X”）” after the full form: the
 *   quoted or 《》 name right before it, else the clause before it less a leading
 *   verb from a short table (加快建设, 设立, 根据 …).
 * The pairs go into the file's record; the query side treats them as synonyms. */
#define _GNU_SOURCE                /* memmem */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

#define ABBR_MAX_PAIRS 256
#define ABBR_MIN_CHARS 2
#define ABBR_MAX_CHARS 40          /* a full form longer than this is a definition, not a name */
#define SHORT_NAME_CHARS 24        /* a definition is a name only when this short */

/* The characters of s[0, n) (UTF-8 lead bytes). */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static int starts_with(const char *s, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n >= k && memcmp(s, prefix, k) == 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The first of marks in s[0, n), or NULL. */
static const char *find_any(const char *s, size_t n, const char *const *marks, size_t nmarks)
{
    const char *best = NULL;
    for (size_t m = 0; m < nmarks; m++) {
        const char *at = memmem(s, n, marks[m], strlen(marks[m]));
        if (at && (!best || at < best))
            best = at;
    }
    return best;
}

/* The last mark in s[0, n), or NULL. */
static const char *last_of(const char *s, size_t n, const char *mark)
{
    size_t k = strlen(mark);
    for (size_t i = n; i >= k; i--)
        if (memcmp(s + i - k, mark, k) == 0)
            return s + i - k;
    return NULL;
}

/* s[0, n) without the spaces and enclosing quotes at its ends, as a malloc'd name of
 * ABBR_MIN_CHARS..ABBR_MAX_CHARS characters holding no clause punctuation; else NULL. */
static char *name_of(const char *s, size_t n)
{
    while (n && starts_with(s, n, " ")) {
        s++;
        n--;
    }
    while (n && ends_with(s, n, " "))
        n--;
    /* outer quotes that enclose the whole name go; an inner pair stays as written
     * (“千村示范、万村整治”工程, which the query side matches as the text says it) */
    static const char *const pairs[][2] = {{"“", "”"}, {"\"", "\""}, {"《", "》"}, {"‘", "’"}};
    for (size_t q = 0; q < 4; q++) {
        size_t a = strlen(pairs[q][0]), b = strlen(pairs[q][1]);
        if (n >= a + b && starts_with(s, n, pairs[q][0]) && ends_with(s, n, pairs[q][1]) &&
            !find_any(s + a, n - a - b, &pairs[q][1], 1)) {
            s += a;
            n -= a + b;
        }
    }
    static const char *const clause[] = {"，", "。", "；", "：", "！", "？", ",", ";", ":", "\t", "\n"};
    size_t chars = utf8_chars(s, n);
    if (chars < ABBR_MIN_CHARS || chars > ABBR_MAX_CHARS || find_any(s, n, clause, sizeof clause / sizeof clause[0]))
        return NULL;
    return strndup(s, n);
}

typedef struct {
    json_t *pairs;
    size_t n;
} mined;

/* Adds [short, full] unless either is missing, they are equal, or it is there. */
static void add_pair(mined *m, char *shorter, char *full)
{
    if (shorter && full && strcmp(shorter, full) != 0 && m->n < ABBR_MAX_PAIRS) {
        size_t i;
        json_t *p;
        int seen = 0;
        json_array_foreach(m->pairs, i, p)
            seen |= !strcmp(json_string_value(json_array_get(p, 0)), shorter) &&
                    !strcmp(json_string_value(json_array_get(p, 1)), full);
        if (!seen && json_array_append_new(m->pairs, json_pack("[s,s]", shorter, full)) == 0)
            m->n++;
    }
    free(shorter);
    free(full);
}

/* A glossary entry: "N.TERM（第k页）：DEFINITION". */
static void from_glossary(mined *m, const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && t[i] >= '0' && t[i] <= '9')
        i++;
    if (i == 0)
        return;                                /* an entry is numbered */
    static const char *const dots[] = {".", "．", "、"};
    for (size_t d = 0; d < 3; d++)
        if (starts_with(t + i, n - i, dots[d])) {
            i += strlen(dots[d]);
            break;
        }
    static const char *const colon[] = {"：", ":"};
    const char *c = find_any(t + i, n - i, colon, 2);
    if (!c)
        return;
    size_t term_len = (size_t)(c - (t + i));
    static const char *const page_note[] = {"（第", "(第"};
    const char *note = find_any(t + i, term_len, page_note, 2);
    if (note)
        term_len = (size_t)(note - (t + i));
    const char *def = c + (starts_with(c, (size_t)(t + n - c), "：") ? strlen("：") : 1);
    size_t def_len = (size_t)(t + n - def);
    /* X的简称 / X简称, before the definition's first sentence ends */
    static const char *const stop[] = {"。", "；"};
    const char *end = find_any(def, def_len, stop, 2);
    size_t first = end ? (size_t)(end - def) : def_len;
    static const char *const short_for[] = {"简称"};
    const char *sf = find_any(def, first, short_for, 1);
    if (sf) {
        size_t x = (size_t)(sf - def);
        if (ends_with(def, x, "的"))
            x -= strlen("的");
        add_pair(m, name_of(t + i, term_len), name_of(def, x));
        return;
    }
    /* a definition that is only a name (两新：大规模设备更新和消费品以旧换新。,
     * 黑灯工厂：即智慧工厂，…, 两重：是指…建设。): its first clause, short and
     * without a list; a description (指全面完善…管网，开展…) is not taken */
    static const char *const is[] = {"是指", "即", "指", "又称", "也称"};
    const char *x = def;
    for (size_t k = 0; k < sizeof is / sizeof is[0]; k++)
        if (starts_with(def, first, is[k])) {
            x = def + strlen(is[k]);
            break;
        }
    static const char *const clause_end[] = {"，", ","};
    const char *ce = find_any(x, (size_t)(def + first - x), clause_end, 2);
    int named_otherwise = x != def && !strncmp(def, "即", strlen("即"));   /* 即X，…: X is the name */
    if (ce && !named_otherwise)
        return;                                /* a clause that goes on describes */
    size_t xl = ce ? (size_t)(ce - x) : (size_t)(def + first - x);
    static const char *const list[] = {"、"};
    if (utf8_chars(x, xl) <= SHORT_NAME_CHARS && !find_any(x, xl, list, 1))
        add_pair(m, name_of(t + i, term_len), name_of(x, xl));
}

/* The text's "FULL（以下简称“X”）" and "FULL（简称“X”）". */
static void from_text(mined *m, const char *t, size_t n)
{
    static const char *const opens[] = {"（以下简称", "(以下简称", "（简称", "(简称", "，以下简称"};
    for (size_t o = 0; o < sizeof opens / sizeof opens[0]; o++) {
        size_t ol = strlen(opens[o]);
        for (const char *at = t; (at = find_any(at, (size_t)(t + n - at), &opens[o], 1)) != NULL; at += ol) {
            /* X: the quoted name after it */
            const char *x = at + ol;
            if (starts_with(x, (size_t)(t + n - x), "为"))
                x += strlen("为");
            static const char *const close[] = {"”", "\"", "）", ")"};
            if (!starts_with(x, (size_t)(t + n - x), "“") && !starts_with(x, (size_t)(t + n - x), "\""))
                continue;
            x += starts_with(x, (size_t)(t + n - x), "“") ? strlen("“") : 1;
            const char *xe = find_any(x, (size_t)(t + n - x), close, 4);
            if (!xe)
                continue;
            /* FULL: the quoted name right before, else the clause before */
            const char *fe = at, *fs = t;
            static const char *const delims[] = {"，", "。", "；", "：", "、", "（", "“", "《", ",", "("};
            if (ends_with(t, (size_t)(fe - t), "”") || ends_with(t, (size_t)(fe - t), "》")) {
                int book = ends_with(t, (size_t)(fe - t), "》");
                const char *open = book ? "《" : "“";
                fe -= strlen(book ? "》" : "”");
                const char *q = last_of(t, (size_t)(fe - t), open);
                fs = q ? q + strlen(open) : fe;
            } else {
                for (size_t k = 0; k < sizeof delims / sizeof delims[0]; k++) {
                    const char *d = last_of(t, (size_t)(fe - t), delims[k]);
                    /* a bracket closed before the name is inside it: 中国（浙江）自由贸易… */
                    static const char *const closers[] = {"）", ")"};
                    if (d && (!strcmp(delims[k], "（") || !strcmp(delims[k], "(")) &&
                        find_any(d, (size_t)(fe - d), closers, 2))
                        continue;
                    if (d && d + strlen(delims[k]) > fs)
                        fs = d + strlen(delims[k]);
                }
            }
            /* the clause's own verb is not part of the name (加快建设中国…区 → 中国…区) */
            static const char *const verbs[] = {"加快建设", "加快推进", "加快", "建设", "推进", "设立", "成立",
                                                "组建", "实施", "印发", "出台", "制定", "推动", "打造", "开展",
                                                "启动", "根据", "按照", "依据", "围绕", "支持", "深化"};
            for (int again = 1; again;) {
                again = 0;
                for (size_t k = 0; k < sizeof verbs / sizeof verbs[0]; k++)
                    if (starts_with(fs, (size_t)(fe - fs), verbs[k]) &&
                        utf8_chars(fs, (size_t)(fe - fs)) > utf8_chars(verbs[k], strlen(verbs[k])) + 1) {
                        fs += strlen(verbs[k]);
                        again = 1;
                    }
            }
            add_pair(m, name_of(x, (size_t)(xe - x)), name_of(fs, (size_t)(fe - fs)));
        }
    }
}

/* Whether the passage stands under a 名词解释 heading. */
static int in_glossary(const idx_passage *p)
{
    for (size_t i = 0; i < p->nsection; i++)
        if (strstr(p->section[i], "名词解释"))
            return 1;
    return 0;
}

json_t *idx_abbreviations(const idx_doc *d)
{
    mined m = {json_array(), 0};
    if (!m.pairs)
        return NULL;
    for (size_t i = 0; i < d->npassages; i++) {
        const idx_passage *p = &d->passages[i];
        if (in_glossary(p))
            from_glossary(&m, p->text, p->text_len);
        from_text(&m, p->text, p->text_len);
    }
    return m.pairs;
}
