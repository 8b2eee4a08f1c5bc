/* idx_record.h — the passage record as JSON (jansson), shared by `wensou inspect`
 * and the index's document data. */
#ifndef WENSOU_IDX_RECORD_H
#define WENSOU_IDX_RECORD_H

#include "idx.h"
#include <jansson.h>

/* New references; NULL on allocation failure. */
json_t *idx_passage_json(const idx_doc *d, const idx_passage *p);
json_t *idx_doc_json(const idx_doc *d);
/* The abbreviations d defines (abbrev.c) as [[short, full], …]: its glossary's
 * 简称/即/指 entries and the text's （以下简称“X”）. */
json_t *idx_abbreviations(const idx_doc *d);

#endif
