/* issuer.c — who issues a document and for where, from its text when no manifest
 * column says: the issuer (绍兴市柯桥区人民政府), the speaker (甘肃省省长任振鹤),
 * the region (柯桥区, 甘肃省, 广西) and the document number (柯政发〔2021〕12号).
 * A report prints its speaker in the opening (its short lines before 各位代表 or the
 * first long paragraph); the issuer is the
 * government the speaker heads, and the region is its last unit. */
#include "doc_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPENING_BLOCKS 20        /* blocks read for the title block and the speaker */

static int has_meta(const idx_doc *doc, const char *key)
{
    for (size_t i = 0; i < doc->nmeta; i++)
        if (strcmp(doc->meta_keys[i], key) == 0)
            return 1;
    return 0;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A line naming who speaks (…省长王予波, 绍兴市柯桥区人民政府区长赵如浪, 新疆维吾尔
 * 自治区主席艾尔肯·吐尼亚孜): the office's offset in s, or -1. */
static long speaker_office(const char *s)
{
    static const char *const offices[] = {"省长", "市长", "区长", "县长", "主席", "州长", "盟长", "旗长"};
    size_t len = strlen(s);
    if (idx_char_count(s, len) > 40)
        return -1;
    for (size_t i = 0; i < sizeof offices / sizeof offices[0]; i++) {
        for (const char *at = strstr(s, offices[i]); at; at = strstr(at + 1, offices[i])) {
            const char *name = at + strlen(offices[i]);
            while (*name == ' ')
                name++;
            size_t chars = idx_char_count(name, len - (size_t)(name - s));
            int dotted = strstr(name, "·") || strstr(name, "•");
            if (chars >= 2 && (chars <= 4 || (dotted && chars <= 12)))
                return (long)(at - s);
        }
    }
    return -1;
}

/* The autonomous regions' short names, as titles give them, and their full ones. */
static const struct {
    const char *short_name, *full;
} autonomous[] = {
    {"广西", "广西壮族自治区"}, {"西藏", "西藏自治区"}, {"新疆", "新疆维吾尔自治区"}, {"宁夏", "宁夏回族自治区"},
    {"内蒙古", "内蒙古自治区"},
};

/* name's full form when it is an autonomous region's short one (广西 → 广西壮族自治区). */
static char *full_place(char *name)
{
    for (size_t i = 0; name && i < sizeof autonomous / sizeof autonomous[0]; i++)
        if (strcmp(name, autonomous[i].short_name) == 0) {
            free(name);
            return strdup(autonomous[i].full);
        }
    return name;
}

/* The administrative units a place's name ends in. */
static const char *const units[] = {"省", "市", "区", "县", "州", "旗", "盟"};

/* Whether name is a place: it ends in an administrative unit (省, 市, 区, 县, 州,
 * 旗, 盟) or is an autonomous region's short name (广西); 发展和改革委员会 is not. */
static int is_place(const char *name)
{
    size_t len = name ? strlen(name) : 0;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
        if (len > strlen(units[i]) && strcmp(name + len - strlen(units[i]), units[i]) == 0)
            return 1;
    for (size_t i = 0; len && i < sizeof autonomous / sizeof autonomous[0]; i++)
        if (strcmp(name, autonomous[i].short_name) == 0)
            return 1;
    return 0;
}

/* The region a name of a place or government holds: its last unit (绍兴市柯桥区 →
 * 柯桥区; 甘肃省人民政府 → 甘肃省; 2025年广西政府工作报告 → 广西), or NULL. */
static char *region_of(const char *name)
{
    const char *s = name;
    while (*s >= '0' && *s <= '9')
        s++;
    if (s > name && starts(s, "年"))
        s += strlen("年");
    else
        s = name;
    static const char *const ends[] = {"人民政府", "政府工作报告", "政府", "国民经济", "经济和社会发展"};
    size_t len = strlen(s);
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        const char *at = strstr(s, ends[i]);
        if (at && (size_t)(at - s) < len)
            len = (size_t)(at - s);
    }
    if (len < 6 || idx_char_count(s, len) > 16)
        return NULL;
    size_t place_end = 0;                  /* an office's place: up to its last unit (绍兴市发展和改革委员会) */
    for (size_t k = 0; k + 3 <= len; k++)
        for (size_t u = 0; u < sizeof units / sizeof units[0]; u++)
            if (memcmp(s + k, units[u], 3) == 0)
                place_end = k + 3;
    if (place_end >= 6 && place_end < len) {
        char *whole = strndup(s, len);
        int placed = is_place(whole);
        free(whole);
        if (!placed)
            len = place_end;
    }
    if (idx_char_count(s, len) > 12)                       /* 2 to 12 characters */
        return NULL;
    const char *unit = s;                  /* after the last 市 or 州 that has more after it */
    for (const char *k = s; k < s + len; k++)
        if ((starts(k, "市") || starts(k, "州")) && k + 3 < s + len && (size_t)(s + len - (k + 3)) >= 6)
            unit = k + 3;
    char *place = strndup(unit, len - (size_t)(unit - s));
    return is_place(place) ? place : (free(place), NULL);
}

/* A document number (文号) near the start: 柯政发〔2021〕12号, 国发〔2024〕3号. */
static void number_from_text(const idx_text *t, idx_doc *doc)
{
    static const char open[] = "〔", close[] = "〕";
    size_t end = t->len < 4000 ? t->len : 4000;
    for (const char *at = t->s; at && (at = strstr(at, open)) && (size_t)(at - t->s) < end; at += strlen(open)) {
        const char *y = at + strlen(open), *q = y;
        while (*q >= '0' && *q <= '9')
            q++;
        if (q - y != 4 || strncmp(q, close, strlen(close)) != 0)
            continue;
        const char *num = q + strlen(close), *e = num;
        while (*e >= '0' && *e <= '9')
            e++;
        if (e == num || strncmp(e, "号", strlen("号")) != 0)
            continue;
        const char *from = at;                  /* the issuer's short name before 〔: up to 8 Chinese characters */
        for (int k = 0; k < 8 && from - t->s >= 3; k++) {
            int n;
            int32_t cp = idx_cp_at(t->s, t->len, (size_t)(from - 3 - t->s), &n);
            if (n != 3 || cp < 0x4E00 || cp > 0x9FFF)           /* ideographs only, not （ */
                break;
            from -= 3;
        }
        if (from == at)
            continue;
        size_t len = (size_t)(e + strlen("号") - from);
        char *number = strndup(from, len);
        if (number && !has_meta(doc, "number"))
            idx_doc_add_meta(doc, "number", number, "text");
        free(number);
        return;
    }
}


int idx_is_speaker_line(const char *s)
{
    return speaker_office(s) >= 0;
}

void idx_issuer_from_text(const idx_text *t, const idx_line *lines, const idx_block *blocks, size_t n, idx_doc *doc)
{
    char *governs = NULL;                  /* the place the speaker's government governs */
    for (size_t i = 0; i < n && i < OPENING_BLOCKS; i++) {
        char *s = idx_repair_string(t, lines, &blocks[i]);
        if (!s || starts(s, "各位代表") || idx_char_count(s, strlen(s)) > 60) {
            free(s);
            break;                         /* the body begins */
        }
        /* 2025年1月20日在…会议上安徽省人民政府省长 王清宪作政府工作报告: the speaker
         * after the dateline, before 作 */
        const char *meeting = strstr(s, "会议上");
        if (meeting && meeting[strlen("会议上")]) {
            memmove(s, meeting + strlen("会议上"), strlen(meeting + strlen("会议上")) + 1);
            char *by = strstr(s, "作");
            if (by && (starts(by, "作政府工作报告") || starts(by, "作报告")))
                *by = 0;
        }
        long office = speaker_office(s);
        const char *colon = strstr(s, "：");        /* 来源：江西省人民政府 */
        const char *line = colon ? colon + strlen("：") : s;
        if (idx_is_issuer_line(line) && !has_meta(doc, "issuer")) {
            idx_doc_add_meta(doc, "issuer", line, "text");
        } else if (office >= 0 && !has_meta(doc, "speaker")) {
            size_t sl = strlen(s);
            if (sl > strlen("同志") && strcmp(s + sl - strlen("同志"), "同志") == 0)
                s[sl - strlen("同志")] = 0;    /* 北京市市长殷勇同志 */
            idx_doc_add_meta(doc, "speaker", s, "text");
            const char *gov = strstr(s, "人民政府");
            size_t place = gov && gov - s < office ? (size_t)(gov - s) : (size_t)office;
            static const char *const acting[] = {"代理", "代"};   /* 西藏自治区代理主席 */
            for (int k = 0; k < 2; k++)
                if (place >= strlen(acting[k]) && strncmp(s + place - strlen(acting[k]), acting[k], strlen(acting[k])) == 0)
                    place -= strlen(acting[k]);
            /* a place with a name, not 自治区 or 省 alone */
            if (place >= 9 && !governs && !(place == strlen("自治区") && starts(s, "自治区")))
                governs = strndup(s, place);
        }
        free(s);
    }
    const char *from = "text";
    if (!governs && !has_meta(doc, "issuer") && doc->kind && strcmp(doc->kind, "政府工作报告") == 0 && doc->title) {
        governs = full_place(region_of(doc->title));   /* 省长王予波 names no place: the title's */
        from = "title";
    }
    if (governs && !has_meta(doc, "issuer")) {
        char issuer[256];
        snprintf(issuer, sizeof issuer, "%s人民政府", governs);
        idx_doc_add_meta(doc, "issuer", issuer, from);
    }
    free(governs);
    if (!has_meta(doc, "region")) {
        const char *basis = NULL, *basis_from = "text";
        for (size_t i = 0; i < doc->nmeta; i++)
            if (strcmp(doc->meta_keys[i], "issuer") == 0)
                basis = doc->meta_values[i], basis_from = doc->meta_from ? doc->meta_from[i] : "text";
        if (!basis && doc->title && strcmp(doc->kind ? doc->kind : "", "新闻报道") != 0)
            basis = doc->title, basis_from = "title";
        char *r = basis ? region_of(basis) : NULL;
        if (r)            /* from the issuer a manifest gave: "issuer", not the manifest's say */
            idx_doc_add_meta(doc, "region", r, strcmp(basis_from, "manifest") == 0 ? "issuer" : basis_from);
        free(r);
    }
    number_from_text(t, doc);
}
