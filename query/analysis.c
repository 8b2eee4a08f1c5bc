/* analysis.c — what a query word says, once per query: the content words of an
 * unspaced unit (wensou's own segmenter), without the question and function words
 * people type around them, each with its synonyms; the search-mode words inside
 * each, for the document fields and partial credit.
 * 如何减轻企业负担 → 减轻 / 企业 / 负担 (如何 is no word to require);
 * 广东省政府工作报告 → 广东省政府 (广东 广东省 省政府 政府) / 工作 / 报告 */
#include "qry_int.h"
#include "schema.h"

#include <stdlib.h>
#include <string.h>

/* Words that ask or join but say nothing a passage must hold, sorted (strcmp). */
static const char *const function_words[] = {
    "为", "为什么", "事项", "什么", "什么时候", "什么样", "以及", "位", "何时", "其", "具体", "内容", "几",
    "含义", "意思", "定义", "何谓", "指什么", "是指",
    "及", "发生", "各", "各个", "各地", "各市", "各省", "各省份", "各省区市", "哪", "哪个", "哪些", "哪些省份",
    "哪里", "在", "多少", "如何", "对", "对于", "将", "把", "提出", "提到", "方面", "是", "是否", "是多少", "时候",
    "有", "有哪些", "有多少", "有没有", "或", "或者", "情况", "怎么", "怎么样", "怎样", "的", "相关", "省份",
    "等", "等等", "被", "请问", "还", "这", "那", "都", "问", "关于", "和", "与", "吗", "呢", "吧", "了",
};
static const char *sorted_words[sizeof function_words / sizeof function_words[0]];

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

int qry_is_function_word(const char *norm, size_t len)
{
    static int ready;                 /* sorted once; a benign race writes the same order */
    size_t n = sizeof function_words / sizeof function_words[0];
    if (!ready) {
        memcpy(sorted_words, function_words, sizeof function_words);
        qsort(sorted_words, n, sizeof *sorted_words, cmp_str);
        ready = 1;
    }
    char key[64];
    if (len >= sizeof key)
        return 0;
    memcpy(key, norm, len);
    key[len] = 0;
    const char *k = key;
    return bsearch(&k, sorted_words, n, sizeof *sorted_words, cmp_str) != NULL;
}

/* How many characters s[0, len) has, and whether all are Han. */
static size_t chars_of(const char *s, size_t len, int *all_han)
{
    size_t n = 0;
    *all_han = 1;
    for (size_t i = 0; i < len; n++) {
        int32_t cp;
        int k = seg_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        *all_han &= wensou_ngram_char(cp);
        i += k ? (size_t)k : 1;
    }
    return n;
}

typedef struct {
    qry_unit *u;
    const qry_synonyms *syn;
    char **subs;              /* search-mode words waiting for the token that holds them */
    size_t nsubs;
    int after_number;         /* the last word was a number (2019) */
    int oom;
} analysis;

/* Whether s[0, len) is all ASCII digits. */
static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return len > 0;
}

static int on_token(void *ctx, const seg_token *t)
{
    analysis *a = ctx;
    if (t->kind != SEG_KIND_WORD || a->oom)
        return 0;
    if (t->sub) {                      /* held for the accurate token that follows */
        a->oom |= qry_strs_push(&a->subs, &a->nsubs, t->norm, t->norm_len);
        return 0;
    }
    int han;
    size_t chars = chars_of(t->norm, t->norm_len, &han);
    /* a date's unit belongs to its number, not to the word after it: 2019年成交额
     * is cut 2019 / 年成交额 by the dictionary, and asks for 成交额 */
    seg_token rest;
    static const char *const date_units[] = {"年", "月", "日"};
    for (size_t i = 0; a->after_number && han && chars >= 3 && i < 3; i++)
        if (strncmp(t->norm, date_units[i], 3) == 0 && t->end - t->start == t->norm_len) {
            rest = *t;
            rest.norm += 3;
            rest.norm_len -= 3;
            rest.start += 3;
            t = &rest;
            chars--;
            break;
        }
    a->after_number = all_digits(t->norm, t->norm_len);
    int function = qry_is_function_word(t->norm, t->norm_len);
    if (!function) {
        qry_word *nw = realloc(a->u->words, (a->u->nwords + 1) * sizeof *nw);
        if (!nw) {
            a->oom = 1;
            return 0;
        }
        a->u->words = nw;
        qry_word *w = &nw[a->u->nwords];
        memset(w, 0, sizeof *w);
        if (!(w->norm = strndup(t->norm, t->norm_len))) {
            a->oom = 1;
            return 0;
        }
        a->u->nwords++;
        w->start = t->start;
        w->end = t->end;
        w->single = han && chars == 1;
        w->subs = a->subs;
        w->nsubs = a->nsubs;
        a->subs = NULL;
        a->nsubs = 0;
        char *const *alts = a->syn ? qry_synonyms_of(a->syn, w->norm) : NULL;
        for (size_t i = 0; alts && alts[i] && !a->oom; i++)
            a->oom |= qry_strs_push(&w->alts, &w->nalts, alts[i], strlen(alts[i]));
        char *const *rel = a->syn ? qry_related_of(a->syn, w->norm) : NULL;
        for (size_t i = 0; rel && rel[i] && !a->oom; i++)
            a->oom |= qry_strs_push(&w->rel, &w->nrel, rel[i], strlen(rel[i]));
    }
    for (size_t i = 0; i < a->nsubs; i++)
        free(a->subs[i]);
    free(a->subs);
    a->subs = NULL;
    a->nsubs = 0;
    return 0;
}

/* Runs of 2–4 consecutive words that are a group member (企业 负担 → 企业负担;
 * 老年人 就餐 → 老年人就餐), longest first from the left, not overlapping: each
 * becomes a span with the group's other members. */
#define SPAN_WORDS 4
static int find_spans(const qry_synonyms *syn, qry_unit *u)
{
    char buf[256];
    for (size_t i = 0; i + 1 < u->nwords;) {
        size_t found = 0;
        for (size_t j = i + SPAN_WORDS - 1 < u->nwords ? i + SPAN_WORDS - 1 : u->nwords - 1; j > i && !found; j--) {
            size_t len = u->words[j].end - u->words[i].start;
            if (len >= sizeof buf)
                continue;
            memcpy(buf, u->norm + u->words[i].start, len);
            buf[len] = 0;
            char *const *alts = qry_synonyms_of(syn, buf), *const *rel = qry_related_of(syn, buf);
            if (!alts && !rel)
                continue;
            qry_span *ns = realloc(u->spans, (u->nspans + 1) * sizeof *ns);
            if (!ns)
                return QRY_ENOMEM;
            u->spans = ns;
            qry_span *sp = &ns[u->nspans++];
            memset(sp, 0, sizeof *sp);
            sp->start = u->words[i].start;
            sp->end = u->words[j].end;
            for (size_t k = 0; alts && alts[k]; k++)
                if (qry_strs_push(&sp->alts, &sp->nalts, alts[k], strlen(alts[k])))
                    return QRY_ENOMEM;
            for (size_t k = 0; rel && rel[k]; k++)
                if (qry_strs_push(&sp->rel, &sp->nrel, rel[k], strlen(rel[k])))
                    return QRY_ENOMEM;
            found = j;
        }
        i = found ? found + 1 : i + 1;
    }
    return 0;
}

const qry_span *qry_span_of(const qry_unit *u, size_t i)
{
    for (size_t s = 0; s < u->nspans; s++)
        if (u->words[i].start >= u->spans[s].start && u->words[i].end <= u->spans[s].end)
            return &u->spans[s];
    return NULL;
}

void qry_unit_free_words(qry_unit *u)
{
    for (size_t w = 0; w < u->nwords; w++)
        qry_word_free(&u->words[w]);
    free(u->words);
    for (size_t s = 0; s < u->nspans; s++) {
        for (size_t k = 0; k < u->spans[s].nalts; k++)
            free(u->spans[s].alts[k]);
        free(u->spans[s].alts);
        for (size_t k = 0; k < u->spans[s].nrel; k++)
            free(u->spans[s].rel[k]);
        free(u->spans[s].rel);
    }
    free(u->spans);
    u->words = NULL;
    u->spans = NULL;
    u->nwords = u->nspans = 0;
}

int qry_unit_analyse(seg_state *st, const qry_synonyms *syn, qry_unit *u)
{
    analysis a = {u, syn, NULL, 0, 0, 0};
    if (!u->phrase && !u->negated)
        seg_cut(st, u->norm, strlen(u->norm), SEG_MODE_SEARCH, 0, on_token, &a);
    for (size_t i = 0; i < a.nsubs; i++)
        free(a.subs[i]);
    free(a.subs);
    /* (not in a pasted quotation: its words are the source's own) */
    if (!a.oom && syn && qry_utf8_chars(u->norm, strlen(u->norm)) <= QRY_PASTED_CHARS && find_spans(syn, u))
        a.oom = 1;
    /* one-character words say little beside others (年 in 2025年) and cost a
     * prefix search: they count only when there is nothing else */
    size_t multi = 0;
    for (size_t i = 0; i < u->nwords; i++)
        multi += !u->words[i].single;
    if (multi) {
        size_t k = 0;
        for (size_t i = 0; i < u->nwords; i++) {
            if (u->words[i].single)
                qry_word_free(&u->words[i]);
            else
                u->words[k++] = u->words[i];
        }
        u->nwords = k;
    }
    /* a unit of function words only (如何, 各省, 是多少) asks nothing of a passage */
    u->function = !u->phrase && !u->negated && u->nwords == 0;
    return a.oom ? QRY_ENOMEM : 0;
}

void qry_word_free(qry_word *w)
{
    free(w->norm);
    for (size_t i = 0; i < w->nalts; i++)
        free(w->alts[i]);
    free(w->alts);
    for (size_t i = 0; i < w->nrel; i++)
        free(w->rel[i]);
    free(w->rel);
    for (size_t i = 0; i < w->nsubs; i++)
        free(w->subs[i]);
    free(w->subs);
    memset(w, 0, sizeof *w);
}

int qry_asks_definition(const char *q)
{
    static const char *const asks[] = {"什么是", "是什么", "含义", "意思", "定义", "何谓", "指什么", "是指"};
    for (size_t i = 0; i < sizeof asks / sizeof asks[0]; i++)
        if (strstr(q, asks[i]))
            return 1;
    return 0;
}
