/* doc.h — the document model (doc/): a report file in, its passages out, each with the
 * exact byte range it came from, its section path and its pages. Repairs what text
 * extraction broke (hard wraps, stray spaces, footers inside words) and finds the
 * structure (headings, table of contents, tables, boxed columns). */
#ifndef WENSOU_DOC_H
#define WENSOU_DOC_H

#include <jansson.h>
#include <stddef.h>

#define IDX_EOK        0
#define IDX_ENOMEM    (-1)
#define IDX_EIO       (-2)   /* the file could not be read */
#define IDX_EENCODING (-3)   /* neither UTF-8 nor GB18030 text */
#define IDX_EBINARY   (-4)   /* a binary file, not text */
#define IDX_EEMPTY    (-5)   /* no text at all */
#define IDX_EFORMAT   (-6)   /* a PDF or Word file that cannot be read */
#define IDX_ETOOBIG   (-7)   /* over the size limit */

typedef struct { int code; char msg[256]; } idx_err;   /* caller-owned */

const char *idx_strerror(int code);

typedef enum {
    IDX_PAGE_NONE = 0,      /* the document has no page information */
    IDX_PAGE_PDF, IDX_PAGE_DOCX, IDX_PAGE_FOOTER, IDX_PAGE_TOC, IDX_PAGE_ESTIMATED
} idx_page_source;

/* "pdf", "docx", "footer", "toc", "estimated", or NULL for IDX_PAGE_NONE. */
const char *idx_page_source_name(idx_page_source s);

typedef enum { IDX_PASSAGE_TEXT = 0, IDX_PASSAGE_TABLE_ROW, IDX_PASSAGE_BOX, IDX_PASSAGE_CAPTION } idx_passage_kind;

typedef struct {
    size_t start, end;        /* [start, end) in the source bytes (see idx_doc.text) */
    char *text;               /* the passage, repaired; NUL-terminated UTF-8 */
    size_t text_len;
    char **section;           /* heading path, outermost first */
    size_t nsection;
    char *table_header;       /* a table row's header row(s), cells joined by tabs; else NULL */
    int page, page_end;       /* 0 when unknown */
    idx_page_source page_source;
    idx_passage_kind kind;
    size_t text_start, text_end;   /* the same range in the decoded text (differs from start/end for GB18030) */
    size_t line;              /* 1-based line of `start` in the source bytes (for editors: PATH:LINE) */
} idx_passage;

typedef struct {
    char *path;               /* absolute */
    char *title, *date, *kind;
    char **meta_keys, **meta_values;   /* the manifest row's other columns (url, issuer, region…),
                                          and from the text when no column gives them: issuer,
                                          speaker, region, number (文号) */
    const char **meta_from;   /* where each came from: "manifest", "text", "title" */
    size_t nmeta;
    const char *title_from, *date_from, *kind_from;   /* "manifest", "text", "file name",
                                                         "page" (an HTML page's date),
                                                         "title" (kind), "default"; NULL: none */
    const char *encoding;     /* "utf-8", "gb18030", "utf-16le", "utf-16be", "pdf", "docx", "html" */
    int pages;                /* pages known or estimated (0: no page information) */
    idx_passage *passages;
    size_t npassages;
    /* For PDF and Word files, the extracted UTF-8 text that passages' start/end
     * index (what `wensou inspect --text` prints); NULL for text files, whose
     * passages index the file's own bytes. */
    char *extracted;
    size_t extracted_len;
} idx_doc;

#define IDX_MAX_FILE_BYTES (256u << 20)

/* ---- formats (formats.c): one table for the folder walk, detection, dispatch ---- */
typedef enum { IDX_FORMAT_TEXT, IDX_FORMAT_PDF, IDX_FORMAT_DOCX, IDX_FORMAT_HTML } idx_format;
/* A file's format: by its first bytes (%PDF-, a zip), else its extension (any
 * case), else text. */
idx_format idx_format_detect(const char *name, const char *bytes, size_t len);
/* Whether a folder walk takes a file so named (.txt .text .md .pdf .docx .html .htm, any case). */
int idx_format_listed(const char *name);
/* Why a folder walk leaves a file so named out, for people (translated). */
const char *idx_format_skip_reason(const char *name);

/* Reads and models one file. Title, date and kind come from a manifest.tsv beside
 * the file when it lists it, else from the text and the file name. */
int  idx_doc_load(const char *path, idx_doc **out, idx_err *err);
/* The same from bytes in memory, as if read from path (used by tests and fuzzing). */
int  idx_doc_from_bytes(const char *path, const char *bytes, size_t len, idx_doc **out, idx_err *err);
void idx_doc_free(idx_doc *d);     /* NULL-safe */

/* Reads a regular file whole (at most IDX_MAX_FILE_BYTES). *abs (its absolute path)
 * and *bytes are malloc'd. */
int  idx_file_read(const char *path, char **abs, char **bytes, size_t *len, idx_err *err);

/* ---- what shapes a file's model, for its fingerprint (the indexer's) ---- */
/* What modelling makes of a file (passages, its record) changes with this: a file
 * indexed by another model version is modelled again at the next `wensou index`
 * (its fingerprint holds it), where a schema change would need a new index.
 * 2: the record holds the abbreviations the file defines. 3: a long word's
 * wdf says whether it is listed (terms.c). 4: Word files that record no pages get
 * them laid out from their page setup (wordpages.c). 5: a wrapped line ending in 《
 * goes on; a story with a newspaper's marks is a 新闻报道 (manifest.c). 6: text and
 * PDF lines go on while their sentence does (layout.c). 7: issuer, speaker and
 * region from the opening and the title (issuer.c). 8: the opening's notice, dateline
 * and speaker lines belong to the title block, not passages (structure.c). 9: lines
 * ending in a comma, and long list items' lines, go on (layout.c); unnumbered headings,
 * numbered items' own 、 (structure.c); a sentence up to 800 characters whole (passage.c).
 * 10: an HTML page's PubDate (html.c); long list items' lines and short lines finished at
 * once go on (layout.c); a long dateline-like paragraph stays text (structure.c). */
#define IDX_MODEL_VERSION "11"

int idx_fail(idx_err *err, int code, const char *path, const char *why);
/* The manifest beside path (manifest.tsv, else manifest.csv): its header and the
 * row naming the file, fields joined by tabs, the two joined by a newline (malloc'd),
 * or NULL when none lists it. What the row says is part of the file's fingerprint. */
char *idx_manifest_entry(const char *path);
/* Lets go of the manifests idx_manifest_entry keeps parsed (after a batch). */
void idx_manifest_forget(void);

/* ---- the passage record as JSON (record.c): `wensou inspect` and the index's
 * document data ---- */
/* New references; NULL on allocation failure. */
json_t *idx_passage_json(const idx_doc *d, const idx_passage *p);
json_t *idx_doc_json(const idx_doc *d);
/* The abbreviations d defines (abbrev.c) as [[short, full], …]: its glossary's
 * 简称/即/指 entries and the text's （以下简称“X”）. */
json_t *idx_abbreviations(const idx_doc *d);

#endif
