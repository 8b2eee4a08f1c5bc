/* manifest.c — a document's title, date and kind: from manifest.tsv (or .csv)
 * beside the file (a header naming the columns file, title, date, kind, in any
 * order and case; tab- or comma-separated, read by libcsv with CSV's quoting; UTF-8
 * with or without BOM, or GB18030) when it lists the file, otherwise
 * inferred from the file name (2020-01-08-…), the title block and the text. */
#include "doc_int.h"

#include <csv.h>
#include <glib.h>
#include <pthread.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MANIFEST_COLUMNS 32

/* Splits an entry's line (fields joined by tabs) in place; returns the field count
 * (at most max). */
static int split_tsv(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;
    while (n < max) {
        f[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    char *nl = strpbrk(f[n - 1], "\r\n");
    if (nl)
        *nl = 0;
    return n;
}

#define MANIFEST_MAX_BYTES (16u << 20)
#define MANIFEST_PIECE 4096

/* The manifest beside path: manifest.tsv, else manifest.csv, the first that is a
 * regular file of at most MANIFEST_MAX_BYTES; its path (g_free) and stat, or NULL. */
static char *manifest_file(const char *path, struct stat *st)
{
    const char *slash = strrchr(path, '/');
    size_t dl = slash ? (size_t)(slash - path) + 1 : 0;
    static const char *const names[] = {"manifest.tsv", "manifest.csv"};
    for (int k = 0; k < 2; k++) {
        char *file = g_strdup_printf("%.*s%s", (int)dl, path, names[k]);
        if (stat(file, st) == 0 && S_ISREG(st->st_mode) && st->st_size <= MANIFEST_MAX_BYTES)
            return file;
        g_free(file);
    }
    return NULL;
}

/* The manifest file as UTF-8 (g_free): a BOM dropped, GB18030 converted; *csv:
 * comma-separated (its name says so, or its first line has commas and no tab).
 * NULL when it cannot be read or is neither encoding. */
static char *manifest_text(const char *file, int *csv)
{
    gchar *raw = NULL;
    gsize len = 0;
    if (!g_file_get_contents(file, &raw, &len, NULL))
        return NULL;
    const char *text = len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0 ? raw + 3 : raw;
    size_t tlen = len - (size_t)(text - raw);
    char *utf8 = g_utf8_validate(text, (gssize)tlen, NULL) ? g_strndup(text, tlen)
                                                         : g_convert(text, (gssize)tlen, "UTF-8", "GB18030", NULL, NULL, NULL);
    g_free(raw);
    if (!utf8)
        return NULL;                               /* neither UTF-8 nor GB18030 */
    size_t first = strcspn(utf8, "\n");
    *csv = g_str_has_suffix(file, ".csv") || (!memchr(utf8, '\t', first) && memchr(utf8, ',', first));
    return utf8;
}

/* Rows as libcsv reads them: the header's fields, then each row naming a file. */
typedef struct {
    GPtrArray *row;              /* the fields of the row being read */
    char *header;                /* the first row, its fields joined by tabs */
    int col_file;                /* its "file" column (-1: none, not a manifest) */
    GHashTable *rows_by_name;    /* file name → its row, fields joined by tabs (the first naming it) */
    int rows;
} reading;

static void on_field(void *data, size_t len, void *ctx)
{
    reading *r = ctx;
    char *f = g_strndup(data ? data : "", len);
    for (char *c = f; *c; c++)
        if (*c == '\t' || *c == '\n' || *c == '\r')
            *c = ' ';                          /* a field's own breaks: a space in the entry */
    g_ptr_array_add(r->row, f);
}

static void on_row(int c, void *ctx)
{
    (void)c;
    reading *r = ctx;
    g_ptr_array_add(r->row, NULL);
    char **f = (char **)r->row->pdata;
    if (r->rows++ == 0) {
        r->header = g_strjoinv("\t", f);
        for (int i = 0; f[i] && i < MANIFEST_COLUMNS; i++)
            if (g_ascii_strcasecmp(g_strstrip(f[i]), "file") == 0 && r->col_file < 0)
                r->col_file = i;
    } else if (r->col_file >= 0 && (guint)r->col_file < r->row->len - 1 &&
               !g_hash_table_contains(r->rows_by_name, f[r->col_file])) {
        g_hash_table_insert(r->rows_by_name, g_strdup(f[r->col_file]), g_strjoinv("\t", f));
    }
    g_ptr_array_set_size(r->row, 0);
}

/* One manifest, parsed: its header and its rows by file name. */
typedef struct {
    char *file;                  /* its path (NULL: the slot is free) */
    struct stat st;              /* as it was when read */
    int settled;                 /* its times were over MANIFEST_SETTLED s old when read */
    char *header;                /* the header's fields joined by tabs (NULL: no file column) */
    GHashTable *rows_by_name;
    unsigned long used;          /* when it was last asked (a counter) */
} parsed_manifest;

static void parsed_free(parsed_manifest *m)
{
    g_free(m->file);
    g_free(m->header);
    if (m->rows_by_name)
        g_hash_table_destroy(m->rows_by_name);
    memset(m, 0, sizeof *m);
}

/* Parses the manifest file into m (no rows when it names no file column or cannot
 * be read). */
static void parse_manifest(const char *file, parsed_manifest *m)
{
    m->rows_by_name = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    int csv = 0;
    char *text = manifest_text(file, &csv);
    if (!text)
        return;
    reading r = {g_ptr_array_new_with_free_func(g_free), NULL, -1, m->rows_by_name, 0};
    struct csv_parser p;
    if (csv_init(&p, CSV_APPEND_NULL) == 0) {
        csv_set_delim(&p, csv ? CSV_COMMA : CSV_TAB);
        csv_set_quote(&p, csv ? CSV_QUOTE : 0);       /* TSV has no quoting */
        /* in pieces, to stop at a header naming no file column */
        size_t n = strlen(text);
        for (size_t at = 0; at < n && !(r.rows > 0 && r.col_file < 0); at += MANIFEST_PIECE)
            csv_parse(&p, text + at, n - at < MANIFEST_PIECE ? n - at : MANIFEST_PIECE, on_field, on_row, &r);
        csv_fini(&p, on_field, on_row, &r);
        csv_free(&p);
    }
    g_free(text);
    g_ptr_array_free(r.row, TRUE);
    m->header = r.header;
}

/* The manifests read last, parsed once for all the files beside them: each file
 * asks for its row twice (its fingerprint, its metadata), and reading the manifest
 * each time made indexing a folder quadratic in its files. A few are kept, as a walk
 * goes back and forth between a folder and its subfolders. One that changed
 * (another inode, size, modification or change time) is read again; one changed
 * within MANIFEST_SETTLED s of being read is read again every time, as a change in
 * the same clock tick would keep its times (git's "racy" files). */
#define MANIFESTS_KEPT 4
#define MANIFEST_SETTLED 2
static parsed_manifest kept[MANIFESTS_KEPT];
static unsigned long asked;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static int same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The kept manifest for file as st says it is now, read (again) when needed. */
static parsed_manifest *kept_manifest(char *file, const struct stat *st)
{
    parsed_manifest *slot = &kept[0];
    for (int i = 0; i < MANIFESTS_KEPT; i++) {
        if (kept[i].file && strcmp(kept[i].file, file) == 0) {
            slot = &kept[i];
            break;
        }
        if (kept[i].used < slot->used)
            slot = &kept[i];                    /* else the one asked least lately */
    }
    if (!slot->file || strcmp(slot->file, file) != 0 || !slot->settled || !same_file(&slot->st, st)) {
        parsed_free(slot);
        time_t now = time(NULL);
        slot->settled = now - st->st_mtim.tv_sec > MANIFEST_SETTLED && now - st->st_ctim.tv_sec > MANIFEST_SETTLED;
        slot->file = g_strdup(file);
        slot->st = *st;
        parse_manifest(file, slot);
    }
    slot->used = ++asked;
    return slot;
}

char *idx_manifest_entry(const char *path)
{
    struct stat st;
    char *file = manifest_file(path, &st);
    if (!file)
        return NULL;
    const char *slash = strrchr(path, '/');
    pthread_mutex_lock(&kept_lock);
    parsed_manifest *m = kept_manifest(file, &st);
    const char *row = m->header ? g_hash_table_lookup(m->rows_by_name, slash ? slash + 1 : path) : NULL;
    char *entry = NULL;                          /* the caller frees with free() */
    if (row && (entry = malloc(strlen(m->header) + strlen(row) + 2)))
        sprintf(entry, "%s\n%s", m->header, row);
    pthread_mutex_unlock(&kept_lock);
    g_free(file);
    return entry;
}

void idx_manifest_forget(void)
{
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < MANIFESTS_KEPT; i++)
        parsed_free(&kept[i]);
    pthread_mutex_unlock(&kept_lock);
}

void idx_doc_add_meta(idx_doc *doc, const char *key, const char *value, const char *from)
{
    char **nk = realloc(doc->meta_keys, (doc->nmeta + 1) * sizeof *nk);
    if (nk)
        doc->meta_keys = nk;
    char **nv = nk ? realloc(doc->meta_values, (doc->nmeta + 1) * sizeof *nv) : NULL;
    if (nv)
        doc->meta_values = nv;
    const char **nf = nv ? realloc(doc->meta_from, (doc->nmeta + 1) * sizeof *nf) : NULL;
    if (nf)
        doc->meta_from = nf;
    char *k = nf ? strdup(key) : NULL, *v = k ? strdup(value) : NULL;
    if (!v) {
        free(k);
        return;
    }
    for (char *c = k; *c; c++)
        *c = g_ascii_tolower(*c);
    doc->meta_keys[doc->nmeta] = k;
    doc->meta_from[doc->nmeta] = from;
    doc->meta_values[doc->nmeta++] = v;
}

/* Title, date and kind from the manifest's row for the file (columns named in its
 * header, in any order and case); its other columns become the document's meta. */
static int from_manifest(const char *path, idx_doc *doc)
{
    char *entry = idx_manifest_entry(path);
    if (!entry)
        return 0;
    char *row = strchr(entry, '\n');
    *row++ = 0;
    char *head[MANIFEST_COLUMNS], *fld[MANIFEST_COLUMNS];
    int nh = split_tsv(entry, head, MANIFEST_COLUMNS), n = split_tsv(row, fld, MANIFEST_COLUMNS);
    for (int i = 0; i < nh && i < n; i++) {
        char **to = g_ascii_strcasecmp(head[i], "title") == 0 ? &doc->title
                    : g_ascii_strcasecmp(head[i], "date") == 0 ? &doc->date
                    : g_ascii_strcasecmp(head[i], "kind") == 0 ? &doc->kind : NULL;
        if (to && !*to && *fld[i])
            *to = strdup(fld[i]);
        else if (!to && *fld[i] && *head[i] && g_ascii_strcasecmp(head[i], "file") != 0)
            idx_doc_add_meta(doc, head[i], fld[i], "manifest");
    }
    free(entry);
    return 1;
}

/* 2020-01-08-name → 2020-01-08; 2021-02-name → 2021-02; 2023-name → 2023. */
static char *date_from_name(const char *path)
{
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    int y, m, d, n = 0;
    if (sscanf(b, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 && y > 1900 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
        char out[32];
        snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
        return strdup(out);
    }
    if (sscanf(b, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 && y > 1900 && m >= 1 && m <= 12) {
        char out[32];
        snprintf(out, sizeof out, "%04d-%02d", y, m);
        return strdup(out);
    }
    if (sscanf(b, "%4d%n", &y, &n) == 1 && n == 4 && y > 1900 && y < 2200 && (b[4] == '-' || b[4] == '_')) {
        char out[32];
        snprintf(out, sizeof out, "%04d", y);
        return strdup(out);
    }
    return NULL;
}

/* A number at s[*i]: ASCII digits (at most max_digits), Chinese digits read one by
 * one (二〇二一), or a count with 十 (十二, 二十五); spaces before it skipped. -1 if none. */
static int date_number(const char *s, size_t len, size_t *i, int max_digits)
{
    while (*i < len && s[*i] == ' ')
        (*i)++;
    int v = 0, n = 0, cn;
    if (*i < len && s[*i] >= '0' && s[*i] <= '9') {
        while (*i < len && s[*i] >= '0' && s[*i] <= '9' && n < max_digits) {
            v = v * 10 + (s[(*i)++] - '0');
            n++;
        }
        return v;
    }
    int tens = 0;
    for (;;) {
        int32_t cp = *i < len ? idx_cp_at(s, len, *i, &cn) : 0;
        int d = idx_cn_digit(cp);
        if (cp == 0x5341 && !tens && n <= 1) {            /* 十: 十二 = 12, 二十五 = 25 */
            tens = 1;
            v = (n ? v : 1) * 10;
        } else if (d >= 0 && n < max_digits) {
            v = tens ? v + d : v * 10 + d;
            n++;
        } else
            break;
        *i += (size_t)cn;
    }
    return n || tens ? v : -1;
}

/* Whether s[*i] holds the character c (spaces before it skipped); moves past it. */
static int date_mark(const char *s, size_t len, size_t *i, const char *c)
{
    while (*i < len && s[*i] == ' ')
        (*i)++;
    size_t n = strlen(c);
    if (*i + n > len || memcmp(s + *i, c, n) != 0)
        return 0;
    *i += n;
    return 1;
}

/* A date at s[0, len): 2020年1月8日, 2020 年 1 月 8 日, 二〇二一年二月, 二〇二五年一月十四日.
 * Writes "YYYY-MM-DD" or "YYYY-MM" to out; returns its bytes in s, or 0. */
static size_t parse_date(const char *s, size_t len, char *out, size_t cap)
{
    size_t i = 0;
    int y = date_number(s, len, &i, 4);
    if (y < 1900 || y > 2199 || !date_mark(s, len, &i, "年"))
        return 0;
    int m = date_number(s, len, &i, 2);
    if (m < 1 || m > 12 || !date_mark(s, len, &i, "月"))
        return 0;
    size_t month_end = i;
    int d = date_number(s, len, &i, 2);
    if (d >= 1 && d <= 31 && date_mark(s, len, &i, "日")) {
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
        return i;
    }
    snprintf(out, cap, "%04d-%02d", y, m);
    return month_end;
}

#define DATE_MONTH_LINES 30      /* the opening's lines a year-and-month line may date */

/* The text's date, from its first 20,000 bytes: the first full date (a report's
 * dateline: 2020年1月8日在…会议上), else a line of the opening's first
 * DATE_MONTH_LINES that is a year and month and nothing more (a plan's 二〇二一年二月
 * under its issuer). */
static char *date_from_text(const idx_text *t)
{
    char out[32], month[32] = "";
    size_t limit = t->len < 20000 ? t->len : 20000, line = 0;
    for (size_t i = 0; i < limit; i++) {
        unsigned char c = (unsigned char)t->s[i];
        line += c == '\n';
        if (!((c >= '1' && c <= '2') || c >= 0xE0))
            continue;
        size_t n = parse_date(t->s + i, t->len - i, out, sizeof out);
        if (!n)
            continue;
        if (strlen(out) == 10)
            return strdup(out);
        size_t a = i, b = i + n;               /* a month alone on its line */
        while (a > 0 && (t->s[a - 1] == ' ' || t->s[a - 1] == '\t'))
            a--;
        while (b < t->len && (t->s[b] == ' ' || t->s[b] == '\t' || t->s[b] == '\r'))
            b++;
        if (!month[0] && line < DATE_MONTH_LINES && (a == 0 || t->s[a - 1] == '\n') && (b == t->len || t->s[b] == '\n'))
            memcpy(month, out, sizeof month);
        i += n - 1;
    }
    return month[0] ? strdup(month) : NULL;
}

int idx_is_dateline(const char *s)
{
    if (strncmp(s, "——", strlen("——")) == 0 || strncmp(s, "—", strlen("—")) == 0)
        return 1;
    return strstr(s, "年") && strstr(s, "月") && strstr(s, "日") && (strstr(s, "会议上") || strstr(s, "日在"));
}

int idx_is_issuer_line(const char *s)
{
    static const char *ends[] = {"人民政府", "政府办公室", "政府办公厅", "委员会", "办公厅", "办公室"};
    size_t len = strlen(s);
    if (idx_char_count(s, len) > 20)
        return 0;
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++)
        if (len >= strlen(ends[i]) && strcmp(s + len - strlen(ends[i]), ends[i]) == 0)
            return 1;
    return 0;
}

static char *infer_title(const idx_text *t, const idx_line *lines, const idx_block *blocks, size_t n)
{
    char buf[512];
    size_t o = 0;
    for (size_t i = 0; i < n && blocks[i].kind == BLOCK_TITLE; i++) {
        char *s = idx_repair_string(t, lines, &blocks[i]);
        if (s && o && (idx_is_dateline(s) || idx_is_issuer_line(s) || idx_is_speaker_line(s) ||
                       idx_is_notice(s, strlen(s)))) {
            free(s);
            break;                               /* the title ended above it */
        }
        if (s && o + strlen(s) + 2 < sizeof buf) {
            int n;                               /* a title broken across lines: 政府工作报 / 告 */
            size_t end = o;
            if (o && !(idx_is_cjk(idx_cp_before(buf, 0, &end)) && idx_is_cjk(idx_cp_at(s, strlen(s), 0, &n))))
                buf[o++] = ' ';
            memcpy(buf + o, s, strlen(s));
            o += strlen(s);
        }
        free(s);
        if (o > 120)
            break;
    }
    if (o == 0)
        for (size_t i = 0; i < n; i++)
            if (blocks[i].kind == BLOCK_HEADING || blocks[i].kind == BLOCK_PARA) {
                char *s = idx_repair_string(t, lines, &blocks[i]);
                if (!s)
                    return NULL;
                size_t l = strlen(s), chars = 0, k = 0;
                while (k < l && chars < 40) {     /* at most 40 characters, whole */
                    int cn;
                    idx_cp_at(s, l, k, &cn);
                    k += (size_t)cn;
                    chars++;
                }
                s[k] = 0;
                size_t skip = s[0] == '#' ? strspn(s, "# ") : 0;
                char *r = strdup(s + skip);
                free(s);
                return r;
            }
    buf[o] = 0;
    return strdup(buf);
}

/* A document's kind from what its title says it is, in order: the first row whose
 * words the title holds. */
static const char *infer_kind(const char *title)
{
    static const struct {
        const char *word, *kind;
    } kinds[] = {
        {"政府工作报告", "政府工作报告"}, {"政 府 工 作 报 告", "政府工作报告"}, {"规划", "规划纲要"},
        {"纲要", "规划纲要"}, {"实施意见", "实施意见"}, {"指导意见", "指导意见"}, {"实施方案", "实施方案"},
        {"行动方案", "实施方案"}, {"管理办法", "办法"}, {"实施细则", "办法"}, {"通知", "通知"}, {"决定", "决定"},
        {"意见", "意见"},
    };
    for (size_t i = 0; title && i < sizeof kinds / sizeof kinds[0]; i++)
        if (strstr(title, kinds[i].word))
            return kinds[i].kind;
    return "文档";
}

/* Whether the text carries a newspaper's marks (本报讯, 记者, 通讯员, 本版图片由…提供):
 * a story, when the title names no kind. */
static int news_marks(const idx_text *t)
{
    static const char *const marks[] = {"本报讯", "记者", "通讯员", "新华社", "本版图片", "图片由", "责任编辑", "日电"};
    for (size_t i = 0; t && i < sizeof marks / sizeof marks[0]; i++)
        if (g_strstr_len(t->s, (gssize)t->len, marks[i]))
            return 1;
    return 0;
}

#define HEADLINE_LINES 4         /* the opening's first text lines a headline may be on */
#define HEADLINE_MAX_CHARS 40

/* Whether line l is set as a newspaper sets a headline: two or more phrases of at
 * least two Han characters each (and nothing else), parted by spaces (国际纺都
 * 杭绍名城; 以创新深化 改革攻坚 开放提升 谋求更高质量发展). A government document's
 * title runs on unspaced (关于…的通知), or spaces out every character (政 府 工 作
 * 报 告); 柯桥区 2023年工作总结 and Annual Report 2021 are no headlines. */
static int headline_line(const idx_text *t, const idx_line *l)
{
    size_t i = l->start, phrases = 0, chars = 0, phrase = 0;
    while (i < l->end && t->s[i] == '#')          /* a Markdown title */
        i++;
    for (; i <= l->end; i++) {
        int n = 1;
        int32_t cp = i < l->end ? idx_cp_at(t->s, l->end, i, &n) : ' ';
        if (idx_is_space(cp)) {
            if (phrase == 1)
                return 0;
            phrases += phrase > 0;
            phrase = 0;
        } else if (!idx_is_han(cp) || ++chars > HEADLINE_MAX_CHARS) {
            return 0;
        } else {
            phrase++;
        }
        i += (size_t)n - 1;
    }
    return phrases >= 2;
}

/* Whether one of the opening's first lines is a headline (headline_line) and none
 * is a government document's: an issuer (…人民政府), a red header (…文件), a
 * document number (柯政发〔2021〕12号). */
static int headline_opening(const idx_text *t, const idx_line *lines, size_t nlines)
{
    int headline = 0;
    for (size_t i = 0, seen = 0; i < nlines && seen < HEADLINE_LINES; i++) {
        if (lines[i].kind != LINE_TEXT)
            continue;
        const idx_line *l = &lines[i];
        char *s = g_strndup(t->s + l->start, l->end - l->start);
        int official = !s || idx_is_issuer_line(s) || strstr(s, "〔") || g_str_has_suffix(s, "文件");
        g_free(s);
        if (official)
            return 0;
        headline |= headline_line(t, l);
        seen++;
    }
    return headline;
}

int idx_metadata(const char *path, const idx_text *t, const idx_line *lines, size_t nlines,
                 const idx_block *blocks, size_t nblocks, idx_doc *doc)
{
    from_manifest(path, doc);
    doc->title_from = doc->title ? "manifest" : NULL;
    doc->date_from = doc->date ? "manifest" : NULL;
    doc->kind_from = doc->kind ? "manifest" : NULL;
    if (!doc->title && t && (doc->title = infer_title(t, lines, blocks, nblocks)))
        doc->title_from = "text";
    if (!doc->date) {
        /* the name's date (2025, 2021-02), or the text's when it agrees (a report's
         * dateline: 2025年1月14日在…会议上; a plan's 二〇二一年二月) */
        char *named = date_from_name(path), *dated = t ? date_from_text(t) : NULL;
        if (named && dated && strlen(dated) >= strlen(named) && strncmp(dated, named, strlen(named)) == 0) {
            free(named);
            named = NULL;
        }
        doc->date = named ? named : dated;
        doc->date_from = named ? "file name" : dated ? "text" : NULL;
        if (named)
            free(dated);
    }
    if (!doc->kind) {
        const char *kind = infer_kind(doc->title);
        doc->kind_from = strcmp(kind, "文档") != 0                                          ? "title"
                         : news_marks(t) || (t && headline_opening(t, lines, nlines)) ? "text"
                                                                                       : "default";
        doc->kind = strdup(strcmp(doc->kind_from, "text") == 0 ? "新闻报道" : kind);
    }
    if (!doc->title) {
        const char *b = strrchr(path, '/');
        doc->title = strdup(b ? b + 1 : path);
        doc->title_from = "file name";
    }
    if (t)
        idx_issuer_from_text(t, lines, blocks, nblocks, doc);
    return doc->title && doc->kind ? 0 : IDX_ENOMEM;
}
