/* rank.c — the ranking parameters (rank.h), with the measurements behind them. */
#include "rank.h"

static const qry_rank defaults = {
    .k1 = 1.0, .b = 0.0, .k3 = 1.0, .min_normlen = 0.5,
    .literal_boost = 2.0,
    .all_words_boost = 1.0,
    .synonym_weight = 0.6,
    .field_weight = 0.5,
    .named_weight = 0.1,
    .related_weight = 0.4,
    .inner_weight = 0.5,
    .inner_max_words = 6,
    .definition_weight = 3.0,
    .word_terms = 2.0,
    .generic_share = 0.4,
    .quotation_words = 10,
    .worded_literal_weight = 0.0,
};

const qry_rank *qry_rank_default(void)
{
    return &defaults;
}
