/* doc_int.h — the document model's internals, shared by doc/'s files only: the
 * decoded text with its map back to source bytes, classified lines, blocks, the
 * extractors' output contract, libxml2 loaded on first use (xmllib.c). */
#ifndef WENSOU_DOC_INT_H
#define WENSOU_DOC_INT_H

#include "doc.h"
#include <stdint.h>


/* ---- decoded text (read.c) ---- */
typedef struct {
    char *s;               /* UTF-8, NUL-terminated */
    size_t len;
    size_t *orig;          /* orig[i], i in [0, len]: source offset of the character holding byte i; NULL: identity */
    size_t base;           /* with orig NULL: source offset of s[0] (a BOM's length) */
    const char *encoding;
} idx_text;

static inline size_t idx_orig(const idx_text *t, size_t i) { return t->orig ? t->orig[i] : t->base + i; }

/* Decodes a file's bytes: UTF-8 (with or without BOM; a few stray invalid bytes
 * become spaces) or GB18030/GBK. Rejects binary files and other encodings. */
int  idx_text_decode(const char *bytes, size_t len, idx_text *out, const char *path, idx_err *err);
void idx_text_free(idx_text *t);

/* ---- characters (chars.c) ---- */
int32_t idx_cp_at(const char *s, size_t len, size_t i, int *n);   /* decodes one code point; n its length (1 for invalid) */
/* The character that ends s[from, *at): its code point, and *at moved back to its
 * first byte; 0 (and *at unchanged) when *at <= from. */
int32_t idx_cp_before(const char *s, size_t from, size_t *at);
int idx_is_cjk(int32_t cp);          /* Han, CJK punctuation, full-width forms */
int idx_is_han(int32_t cp);          /* a Han character (〇 too) */
int idx_cn_digit(int32_t cp);        /* 〇/零 一 … 九 → 0 … 9; -1 for any other */
int idx_is_cn_numeral(int32_t cp);   /* a Chinese digit, 十 or 百 */
int idx_is_space(int32_t cp);        /* space, tab, U+3000, NBSP */
/* Zero-width spaces and joiners, word joiner, BOM, and a form feed inside a line (a
 * page mark): they count as spaces, and a run of them alone is dropped from passage
 * text (scraped pages are full of them). */
int idx_is_zero_width(int32_t cp);
int idx_is_sentence_end(int32_t cp); /* 。！？ and their ASCII forms */
int idx_is_paragraph_end(int32_t cp); /* those, and what a paragraph may end on: ：” ） … */
int idx_width(int32_t cp);           /* display width: 2 for CJK, 1 otherwise */
/* The count of code points in s[0, len). */
size_t idx_char_count(const char *s, size_t len);
/* Whether s[0, len) holds more than limit characters (reads at most limit + 1 of them). */
int idx_chars_over(const char *s, size_t len, size_t limit);

/* ---- lines (lines.c) ---- */
typedef enum {
    LINE_BLANK = 0, LINE_TEXT, LINE_FOOTER, LINE_FORMFEED, LINE_TOC_TITLE, LINE_TOC_ENTRY,
    LINE_CAPTION           /* a picture's caption that a paragraph runs past (layout.c) */
} line_kind;

typedef struct {
    size_t start, end;     /* content, trimmed, in text offsets */
    size_t raw_start;      /* the line's first byte */
    line_kind kind;
    int page;              /* LINE_FOOTER: the page number it prints; LINE_TOC_ENTRY: the page listed */
    int width;             /* display width of the content */
    int trailing_space;    /* the line ended in spaces (a paragraph end in PDF extractions) */
    int has_tab;           /* a table row */
} idx_line;

/* Splits text into lines and classifies footers, form feeds, a table of contents. */
int idx_lines_split(const idx_text *t, idx_line **out, size_t *n);
/* The line is two phrases of at least min_chars characters each set apart by
 * spaces, as a news subheading prints (厚植创新生态 护航企业成长; not 金燕翔 陈钟). */
int idx_line_two_phrases(const idx_text *t, const idx_line *l, size_t min_chars);
#define SUBHEADING_PHRASE 4      /* characters in each phrase of a news subheading, at least */

/* ---- blocks (layout.c, structure.c) ---- */
typedef enum { BLOCK_PARA, BLOCK_HEADING, BLOCK_TABLE_TITLE, BLOCK_TABLE_HEADER, BLOCK_TABLE_ROW,
               BLOCK_BOX_TITLE, BLOCK_TITLE } block_kind;

typedef struct {
    size_t first, last;    /* lines [first, last]; only LINE_TEXT lines in between count */
    size_t skip;           /* text offset where the content starts inside the first line (after an inline heading) */
    size_t stop;           /* text offset where it stops inside the last line (an inline heading); 0: the line's end */
    block_kind kind;
    int level;             /* headings: 1 outermost */
    int in_box;            /* inside a 专栏 box */
    int caption;           /* a picture's caption (its own passage, never a heading) */
} idx_block;

/* Groups lines into paragraphs, joining hard-wrapped lines (and lines split by a
 * footer) back together. *wrapped tells whether the document is hard-wrapped.
 * Captions (short lines alone beside pictures) are blocks of their own; those a
 * sentence runs past become LINE_CAPTION, and their blocks follow the paragraph. */
int idx_layout_paragraphs(const idx_text *t, idx_line *lines, size_t nlines,
                          idx_block **out, size_t *n, int *wrapped);

/* Classifies paragraphs: headings and their levels, tables, boxes, a title block.
 * May split a paragraph whose first sentence is an inline heading. */
int idx_structure(const idx_text *t, const idx_line *lines, size_t nlines, int wrapped,
                  idx_block **blocks, size_t *n);
/* Whether s[0, len) opens with a section number of the two upper levels: 一、 十二、
 * （三） (三) — what ends a paragraph before it (structure.c reads the numbering). */
int idx_opens_section_number(const char *s, size_t len);

/* ---- repaired text (repair.c) ---- */
typedef struct {
    char *s;
    size_t len, cap;
    size_t *src;           /* src[i]: text offset of repaired byte i */
} idx_buf;

/* Appends the repaired content of block b's lines (from b->skip to b->stop)
 * (line breaks and footers dropped, spaces next to Chinese text removed, a space
 * kept between Latin words split across lines). Table rows keep their tabs. */
int idx_repair_lines(const idx_text *t, const idx_line *lines, const idx_block *b, int verbatim, idx_buf *out);
void idx_buf_free(idx_buf *b);
/* The repaired text of lines as a plain malloc'd string (headings, titles). */
char *idx_repair_string(const idx_text *t, const idx_line *lines, const idx_block *b);

/* ---- pages (pages.c) ---- */
/* Assigns page, page_end and page_source to every passage from footers, form
 * feeds and a table of contents, estimating pages between what is stated. */
int idx_pages_assign(const idx_text *t, const idx_line *lines, size_t nlines, int wrapped,
                     const idx_block *blocks, size_t nblocks, idx_doc *doc);

/* ---- passages (passage.c) ---- */
int idx_passages_build(const idx_text *t, const idx_line *lines, size_t nlines,
                       const idx_block *blocks, size_t nblocks, idx_doc *doc);

/* ---- other formats (docx.c, pdf.c, html.c) ----
 * The extractors' contract: each turns a file's bytes into one UTF-8 text (*text,
 * malloc'd, NUL-terminated, *text_len bytes) that the text pipeline models as it
 * would a .txt file, and that passages' start/end then index (`inspect --text`):
 *   - one block per line: a paragraph, a heading, a list item, a table row;
 *   - a table row's cells separated by tabs;
 *   - a heading marked with Markdown #s by its level ("## 一、总体要求") when the
 *     format says it is one (Word styles and outline levels, HTML h1–h6); PDF has
 *     no such marks, and the model finds headings by their numbering;
 *   - a page break as a form feed where it falls: alone at a line's start between
 *     pages, or inside a line where a page ends mid-sentence (a page mark);
 *   - no text the reader does not see (scripts, running headers, deleted text).
 * A file that is not what it says is refused with IDX_EFORMAT and a reason. A new
 * format is then this function, one row in formats.c, one test. */
/* A growing NUL-terminated text (strbuf.c); zero it to start; oom: an append failed. */
typedef struct {
    char *s;
    size_t len, cap;
    int oom;
} idx_strbuf;
void idx_strbuf_put(idx_strbuf *b, const char *s, size_t n);
/* An HTML page's main text (html.c says what it keeps), no pages. */
int idx_html_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len, char **date,
                     idx_err *err);
/* *pages: page breaks put in the text; *estimated: the file records no rendered
 * breaks, so they are estimated from its page setup (wordpages.c). */
int idx_docx_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len,
                     int *pages, int *estimated, idx_err *err);

/* ---- libxml2, loaded the first time a Word or HTML file is read (with ICU and the
 * compressors behind it), not at every start of wensou: the few calls the readers
 * make, through one table (xmllib.c) ---- */
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

typedef struct {
    xmlDocPtr (*read_memory)(const char *, int, const char *, const char *, int);
    htmlDocPtr (*html_read_memory)(const char *, int, const char *, const char *, int);
    xmlNodePtr (*root)(const xmlDoc *);
    void (*free_doc)(xmlDocPtr);
    xmlChar *(*content)(const xmlNode *);
    xmlFreeFunc *xml_free;       /* libxml2's xmlFree is a variable holding the function */
} idx_xmllib;

/* An attribute's value by its exact local name (w:val → "val"), or NULL. */
const char *idx_xml_attr(const xmlNode *n, const char *name);
/* Whether n is an element of that local name. */
int idx_xml_is(const xmlNode *n, const char *name);

/* The table, or NULL when libxml2 is not installed. Thread-safe. */
const idx_xmllib *idx_xmllib_get(void);


/* ---- Word pages laid out from the page setup (wordpages.c) ---- */
typedef xmlNode idx_xml_node;
typedef struct {
    double page_h, text_w, pitch;   /* twips; pitch: the line grid's (0: none) */
    double y;                       /* height used on the current page */
    double line_h, cap, units, after;   /* the paragraph's line height, line width and
                                       its last line's width used (half-em units) */
    int pending;                    /* a page starts at the next character */
    int last_punct;                 /* the last character was a punctuation mark */
    double default_size;            /* half-points of text no w:sz sizes */
} idx_word_layout;
/* From a section's properties (w:sectPr; NULL: A4 with Word's margins) and the
 * styles' default font size (half-points; 0: Word's 10.5 pt). */
void idx_word_layout_init(idx_word_layout *l, const idx_xml_node *sect, double default_size);
/* The first w:sz under n (a run's, the paragraph mark's, a style's), in half-points; 0: none. */
double idx_word_first_size(const idx_xml_node *n);
void idx_word_layout_paragraph(idx_word_layout *l, const idx_xml_node *p);   /* a w:p (or a table row's) starts */
/* Lays out one character; 1 when a page starts before it. */
int  idx_word_layout_char(idx_word_layout *l, int32_t cp);
void idx_word_layout_paragraph_end(idx_word_layout *l);
void idx_word_layout_page_break(idx_word_layout *l);   /* an explicit one */
/* *labels[i]: the printed number of page i + 1 (its own index when it has no numeric label). */
int idx_pdf_extract(const char *path, const char *bytes, size_t len, char **text, size_t *text_len,
                    int **labels, int *npages, idx_err *err);
/* A character's box on a page, in points, y downwards (poppler's PopplerRectangle). */
typedef struct {
    double x1, y1, x2, y2;
} idx_box;
/* Reorders the lines of one page's text (boxes[i]: its i-th code point's box) so that
 * within a column no line comes after one drawn below it (pdforder.c); text
 * whose code points the boxes do not match is left as it is. 0 or IDX_ENOMEM. */
int idx_pdf_order_lines(char *text, const idx_box *boxes, size_t nboxes);

/* ---- metadata (manifest.c) ---- */
int idx_metadata(const char *path, const idx_text *t, const idx_line *lines, size_t nlines,
                 const idx_block *blocks, size_t nblocks, idx_doc *doc);
/* Adds a meta field to doc (key in lower case) and where it came from ("manifest",
 * "text", "title"). */
void idx_doc_add_meta(idx_doc *doc, const char *key, const char *value, const char *from);
/* A title block's line naming who issues the document (绍兴市柯桥区人民政府), short. */
int idx_is_issuer_line(const char *s);
/* A report's dateline (2020年1月8日在…会议上, ——2025年1月16日省长…的讲话). */
int idx_is_dateline(const char *s);
/* A line naming who speaks: …省长王予波, 绍兴市柯桥区人民政府区长赵如浪 (issuer.c). */
int idx_is_speaker_line(const char *s);
/* A publishing notice, not the document's text: 来源：…, 责任编辑：…, （完）,
 * 版权所有…, 转载请注明… (short paragraphs that open with one of these; passage.c). */
int idx_is_notice(const char *s, size_t len);
/* A notice crediting a page's pictures (本版图片由…提供, 图片来源…): captions may follow. */
int idx_is_picture_credit(const char *s, size_t len);

/* ---- who issues a document, and for where (issuer.c) ---- */
/* The issuer, speaker, region and document number the text states, each unless the
 * manifest gave it: from the opening (the title block and the lines before 各位代表),
 * the title, and a 文号 near the start. */
void idx_issuer_from_text(const idx_text *t, const idx_line *lines, const idx_block *blocks, size_t n, idx_doc *doc);

#endif
