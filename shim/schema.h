/* schema.h — the index's term scheme, shared by the indexer (writes it) and the
 * query side (reads it). One Xapian document per passage. Changing anything here
 * means a new WENSOU_SCHEMA_VERSION: an index of another version must be rebuilt. */
#ifndef WENSOU_SCHEMA_H
#define WENSOU_SCHEMA_H

#define WENSOU_SCHEMA_VERSION "10"
#define WENSOU_META_SCHEMA    "wensou:schema"      /* metadata: the schema version */
#define WENSOU_META_FILE      "wensou:file:"       /* + absolute path → {"hash","size","passages",
                                                      "first","title","date","kind","fields","abbr"}:
                                                      its passages are
                                                      the docids [first, first + passages), and
                                                      what they share */

/* Word terms: the segmenter's normalised tokens (accurate and search-mode sub-words),
 * unprefixed, lower case, for ranking. Chinese words carry no positions; Latin words
 * and numbers carry their word index, so quoted Latin phrases work. Heading and
 * table-header words are added to every passage under them (positions from
 * HEADING_POS). */
#define WENSOU_HEADING_POS    100000u

/* Character n-grams of Han text, for substrings of words (纺城 in 轻纺城) and single
 * characters: every bigram, and the unigram of the last character of each run of Han
 * characters where no bigram of the passage begins with that character, unprefixed
 * and without positions. Every other character begins a bigram, so the terms that
 * begin with a character (a prefix query) find every passage that holds it, with a
 * third fewer postings to write (and a unigram a bigram already stands for would
 * add postings and nothing to what a prefix matches: 4 run ends in 10). They share
 * the word terms' namespace: a Chinese word of one or two characters IS its n-gram
 * (经济 the word and 经济 the bigram are one term, so the indexer adds it once and a
 * query opens one posting list), and holding the term proves the passage holds the
 * string. A literal of n > 2 characters is the AND of its n - 1 bigrams, verified
 * against the passage's stored text by the query side. (Positions for every bigram
 * made the index 1.75x larger and indexing 25% slower; separate C/B prefixes made
 * indexing 20% slower.) */
#include <stdint.h>
/* The characters that get n-grams: Han (CJK unified, extension A, compatibility,
 * supplementary planes). The indexer and the query side must agree on it. */
static inline int wensou_ngram_char(int32_t cp)
{
    return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}
/* The heading a passage stands directly under (and a short lead sentence, the
 * paragraph's own bold heading) adds its n-grams to the passage's: its words belong
 * to the passage (（一）打造最佳营商环境 → every passage under it holds 营商环境).
 * One set of n-gram terms for both keeps the index and each query's terms fewer. */

/* The 64-bit FNV-1a hash of a file's absolute path: a document's id (query/
 * documents.c) and the shard a file goes to (indexer/shards.c) both follow it. */
static inline unsigned long long wensou_path_hash(const char *path)
{
    unsigned long long h = 1469598103934665603ull;
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        h ^= *p;
        h *= 1099511628211ull;
    }
    return h;
}

/* Boolean terms for filters. */
#define WENSOU_PREFIX_FILE    "F"   /* absolute path: every passage of one file (delete, doc:) */
#define WENSOU_PREFIX_KIND    "K"   /* 政府工作报告 */
#define WENSOU_PREFIX_YEAR    "Y"   /* 2020 */
#define WENSOU_PREFIX_SECTION "S"   /* words of the section path and of a short lead
                                       sentence: section:'s filter, and a weighted field */

/* Document fields, weighted: the search-mode words of every heading of the section
 * path (and the lead sentence) S-prefixed, a wdf of one each, so a query word found
 * only there still ranks the passage, below the text. One S term serves section:
 * and the ranking: D copies of the headings' words made indexing 10% slower
 * (schema 8). The words of the title, kind and year are no terms (schema 10): the
 * file record's "fields" holds them, apart by spaces, a word said twice there
 * twice ("广东 广东省 省政府 政府 工作 报告 政府 工作 报告 2025"),
 * and the query side weighs the passages of the files holding a word as the D term
 * each passage held did (schema 9: D广东 D广东省 D省政府 D政府 D工作 D报告 on every
 * passage of 广东省政府工作报告, 10 of a passage's 200 postings and 7 % of indexing
 * time). */

/* Values. */
#define WENSOU_SLOT_DATE      0     /* "2020-01-08" (sortable) */
#define WENSOU_SLOT_PAGE      1     /* page, zero-padded to 6 digits */
#define WENSOU_SLOT_FILE      2     /* absolute path: the collapse key for --per-doc, the doc facet */
#define WENSOU_SLOT_YEAR      4     /* year: year: filters */
#define WENSOU_SLOT_NORM      5     /* normalised text "\n" normalised innermost heading:
                                       what the query side checks literals against */

#endif
