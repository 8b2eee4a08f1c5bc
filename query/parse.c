/* parse.c — what people type → units and filters. Words separated by spaces;
 * "quoted phrase" or “中文引号”; -word excludes; A OR B are alternatives; doc:,
 * kind:, year:2020, year:2019..2021, section: filter. An unclosed quote is read as
 * plain words; a query with nothing to search for is refused. 营商环境 -杭州 year:2021 */
#include "qry_int.h"
#include "intl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int qry_fail(qry_err *err, int code, const char *fmt, const char *arg)
{
    if (err) {
        err->code = code;
        snprintf(err->msg, sizeof err->msg, fmt, arg ? arg : "");
    }
    return code;
}

static int32_t cp_at(const char *s, size_t len, size_t i, int *n)
{
    int32_t cp;
    int k = seg_utf8_decode((const unsigned char *)s + i, len - i, &cp);
    *n = k ? k : 1;
    return cp;
}

static int is_space(int32_t cp) { return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == 0x3000; }
static int is_open_quote(int32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x300C; }
static int is_close_quote(int32_t cp) { return cp == '"' || cp == 0x201D || cp == 0x300D; }

typedef struct {
    char *text;
    int phrase, negated;
} raw_token;

int qry_strs_push(char ***arr, size_t *n, const char *s, size_t len)
{
    char **na = realloc(*arr, (*n + 1) * sizeof *na);
    if (!na)
        return -1;
    *arr = na;
    if (!(na[*n] = strndup(s, len)))
        return -1;
    (*n)++;
    return 0;
}

/* Splits q into raw tokens: words and quoted phrases, with a leading - kept. */
static int tokenize(const char *q, raw_token **out, size_t *n_out)
{
    size_t len = strlen(q), cap = 8, n = 0;
    raw_token *t = malloc(cap * sizeof *t);
    if (!t)
        return -1;
    size_t i = 0;
    while (i < len) {
        int k;
        int32_t cp = cp_at(q, len, i, &k);
        if (is_space(cp)) {
            i += (size_t)k;
            continue;
        }
        int negated = 0;
        if ((cp == '-' || cp == 0xFF0D) && i + (size_t)k < len) {
            int k2;
            int32_t next = cp_at(q, len, i + (size_t)k, &k2);
            if (!is_space(next)) {
                negated = 1;
                i += (size_t)k;
                cp = next;
                k = k2;
            }
        }
        size_t start = i, end;
        int phrase = 0;
        if (is_open_quote(cp)) {
            size_t j = i + (size_t)k;
            while (j < len) {
                int m;
                if (is_close_quote(cp_at(q, len, j, &m)))
                    break;
                j += (size_t)m;
            }
            if (j < len) {                      /* a closed quote: a phrase */
                phrase = 1;
                start = i + (size_t)k;
                end = j;
                int m;
                cp_at(q, len, j, &m);
                i = j + (size_t)m;
            } else {                            /* unclosed: the rest as plain words */
                i += (size_t)k;
                continue;
            }
        } else {
            size_t j = i;
            while (j < len) {
                int m;
                int32_t c2 = cp_at(q, len, j, &m);
                if (is_space(c2) || (j > i && is_open_quote(c2)))
                    break;
                j += (size_t)m;
            }
            end = j;
            i = j;
        }
        if (n == cap) {
            cap *= 2;
            raw_token *nt = realloc(t, cap * sizeof *nt);
            if (!nt)
                goto oom;
            t = nt;
        }
        if (!(t[n].text = strndup(q + start, end - start)))
            goto oom;
        t[n].phrase = phrase;
        t[n].negated = negated;
        n++;
    }
    *out = t;
    *n_out = n;
    return 0;
oom:
    for (size_t k2 = 0; k2 < n; k2++)
        free(t[k2].text);
    free(t);
    return -1;
}

/* A synonym that contains the word itself or another of its synonyms finds no
 * passage those do not (柯桥区 for 柯桥, 地区生产总值 beside 生产总值). */
static int redundant(const char *alt, const char *norm, char *const *alts)
{
    if (strstr(alt, norm))
        return 1;
    for (size_t k = 0; alts[k]; k++)
        if (alts[k] != alt && strlen(alts[k]) < strlen(alt) && strstr(alt, alts[k]))
            return 1;
    return 0;
}

static int add_unit(qry_parsed *p, seg_state *st, char *norm, int phrase, int negated, size_t slot,
                    const qry_synonyms *syn)
{
    qry_unit *nu = realloc(p->units, (p->n + 1) * sizeof *nu);
    if (!nu)
        return -1;
    p->units = nu;
    qry_unit *u = &p->units[p->n++];
    memset(u, 0, sizeof *u);
    u->norm = norm;
    u->phrase = phrase;
    u->negated = negated;
    u->slot = slot;
    char *const *alts = syn ? qry_synonyms_of(syn, norm) : NULL;
    for (size_t i = 0; alts && alts[i]; i++)
        if (!redundant(alts[i], norm, alts) && qry_strs_push(&u->alts, &u->nalts, alts[i], strlen(alts[i])))
            return -1;
    return qry_unit_analyse(st, syn, u) ? -1 : 0;
}

/* Function-word units (如何, 各省) leave the query when it has a word that says
 * something: they are no slot a passage must fill. Slots are renumbered. */
static void drop_function_units(qry_parsed *p, size_t *nslots)
{
    size_t content = 0;
    for (size_t i = 0; i < p->n; i++)
        content += !p->units[i].negated && !p->units[i].function;
    if (!content)
        return;
    size_t k = 0, slot = 0, last = (size_t)-1;
    for (size_t i = 0; i < p->n; i++) {
        qry_unit *u = &p->units[i];
        if (u->function) {
            free(u->norm);
            for (size_t a = 0; a < u->nalts; a++)
                free(u->alts[a]);
            free(u->alts);
            qry_unit_free_words(u);
            continue;
        }
        size_t old = u->slot;
        p->units[k] = *u;
        p->units[k].slot = k > 0 && old == last ? p->units[k - 1].slot : slot++;
        last = old;
        k++;
    }
    p->n = k;
    *nslots = slot;
}

/* ---- the filter operators, one row each: name:VALUE → what it sets in p.
 * Each returns 1 (taken), 0 (not a value it takes: the token is a word) or -1. ---- */

static int op_doc(qry_parsed *p, seg_state *st, const char *v)
{
    (void)st;
    return qry_strs_push(&p->docs, &p->ndocs, v, strlen(v)) ? -1 : 1;
}

static int op_kind(qry_parsed *p, seg_state *st, const char *v)
{
    (void)st;
    return qry_strs_push(&p->kinds, &p->nkinds, v, strlen(v)) ? -1 : 1;
}

static int op_region(qry_parsed *p, seg_state *st, const char *v)
{
    (void)st;
    return qry_strs_push(&p->regions, &p->nregions, v, strlen(v)) ? -1 : 1;
}

static int op_section(qry_parsed *p, seg_state *st, const char *v)
{
    char *norm = qry_literal_norm(st, v);
    if (!norm)
        return 1;
    int rc = qry_strs_push(&p->sections, &p->nsections, norm, strlen(norm));
    free(norm);
    return rc ? -1 : 1;
}

/* N or N..M (at most digits digits each) into *lo, *hi; 1, or 0 when v is neither. */
static int range(const char *v, int digits, int *lo, int *hi)
{
    char one[16], two[16];
    int n = 0;
    snprintf(one, sizeof one, "%%%dd..%%%dd%%n", digits, digits);
    snprintf(two, sizeof two, "%%%dd%%n", digits);
    if (sscanf(v, one, lo, hi, &n) == 2 && v[n] == 0 && *lo >= 0 && *hi >= *lo)
        return 1;
    n = 0;
    if (sscanf(v, two, lo, &n) == 1 && v[n] == 0 && *lo >= 0) {
        *hi = *lo;
        return 1;
    }
    return 0;
}

static int op_year(qry_parsed *p, seg_state *st, const char *v)
{
    (void)st;
    return range(v, 4, &p->year_lo, &p->year_hi) && p->year_lo > 0;
}

static int op_page(qry_parsed *p, seg_state *st, const char *v)
{
    (void)st;
    return range(v, 6, &p->page_lo, &p->page_hi) && p->page_lo > 0;
}

static const struct {
    const char *name;
    int (*take)(qry_parsed *p, seg_state *st, const char *value);
} operators[] = {
    {"doc", op_doc},           /* doc:NAME       files whose path holds NAME (alternatives) */
    {"kind", op_kind},         /* kind:KIND      documents whose kind holds KIND */
    {"region", op_region},     /* region:广东     documents whose title's region holds it (alternatives) */
    {"section", op_section},   /* section:WORD   passages under a heading holding WORD's words */
    {"year", op_year},         /* year:2020, year:2019..2021 */
    {"page", op_page},         /* page:12, page:10..20: passages that start on those pages */
};

static int parse_filter(qry_parsed *p, seg_state *st, const char *text)
{
    const char *colon = strchr(text, ':');
    if (!colon || colon == text || !colon[1])
        return 0;
    size_t klen = (size_t)(colon - text);
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++)
        if (strlen(operators[i].name) == klen && strncmp(text, operators[i].name, klen) == 0)
            return operators[i].take(p, st, colon + 1);
    return 0;                                   /* not a filter: a word with a colon */
}

int qry_parse(const char *q, seg_state *st, const qry_synonyms *syn, qry_parsed *p, qry_err *err)
{
    memset(p, 0, sizeof *p);
    raw_token *t;
    size_t n;
    if (!q || tokenize(q, &t, &n) != 0)
        return qry_fail(err, QRY_ENOMEM, "%s", _("out of memory"));
    int rc = 0;
    size_t slot = 0;
    int joined = 0;                              /* the previous token was OR */
    for (size_t i = 0; i < n && !rc; i++) {
        if (!t[i].phrase && !t[i].negated && strcmp(t[i].text, "OR") == 0) {
            joined = p->n > 0;
            continue;
        }
        if (!t[i].phrase) {
            int f = parse_filter(p, st, t[i].text);
            if (f < 0)
                rc = QRY_ENOMEM;
            if (f != 0)
                continue;
        }
        char *norm = qry_literal_norm(st, t[i].text);
        if (!norm)
            continue;                            /* only punctuation */
        size_t unit_slot = (joined && !t[i].negated && p->n > 0 && !p->units[p->n - 1].negated) ? p->units[p->n - 1].slot : slot++;
        if (add_unit(p, st, norm, t[i].phrase, t[i].negated, unit_slot, syn))
            rc = QRY_ENOMEM;
        joined = 0;
    }
    for (size_t i = 0; i < n; i++)
        free(t[i].text);
    free(t);
    if (rc) {
        qry_parsed_free(p);
        return qry_fail(err, rc, "%s", "out of memory");
    }
    size_t positive = 0;
    for (size_t i = 0; i < p->n; i++)
        positive += !p->units[i].negated;
    int filters = p->ndocs || p->nkinds || p->nregions || p->nsections || p->year_lo || p->page_lo;
    if (positive == 0 && !filters) {
        qry_parsed_free(p);
        return qry_fail(err, QRY_EQUERY, "%s", _("nothing to search for: the query needs a word that is not excluded"));
    }
    p->nslots = slot;
    drop_function_units(p, &p->nslots);
    size_t chars = 0;
    for (size_t i = 0; i < p->n; i++)
        if (!p->units[i].negated)
            chars += qry_utf8_chars(p->units[i].norm, strlen(p->units[i].norm));
    p->pasted = chars > QRY_PASTED_CHARS;
    char *norm = qry_literal_norm(st, q);
    p->asks_definition = norm && qry_asks_definition(norm);
    free(norm);
    return 0;
}

static void free_strs(char **a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(a[i]);
    free(a);
}

void qry_parsed_free(qry_parsed *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->units[i].norm);
        free_strs(p->units[i].alts, p->units[i].nalts);
        qry_unit_free_words(&p->units[i]);
    }
    free(p->units);
    free_strs(p->docs, p->ndocs);
    free_strs(p->kinds, p->nkinds);
    free_strs(p->regions, p->nregions);
    free_strs(p->region_files, p->nregion_files);
    free_strs(p->sections, p->nsections);
    memset(p, 0, sizeof *p);
}
