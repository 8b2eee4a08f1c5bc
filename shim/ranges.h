// ranges.h — a posting source of docid ranges: the passages of whole files (a
// file's passages are consecutive docids in one index), served by a binary search
// per skip where an OR of one term per file keeps a heap of them all. Weightless
// (a filter), or each range with a weight of its own (a document field's word).
// Internal to the shim.
#ifndef WENSOU_SHIM_RANGES_H
#define WENSOU_SHIM_RANGES_H

#include <xapian.h>

#include <string>
#include <vector>

namespace ranges {

/* The passages [first, first + count), each weighing weight. */
struct Range {
    Xapian::docid first;
    Xapian::doccount count;
    double weight;
};

/* The docids in the ranges (any order, overlapping or not: ranges that overlap
 * become one span weighing the most of theirs, as do adjoining ranges of one
 * weight). name: what the description calls them ("docid ranges", or a field's
 * word). */
Xapian::Query docid_ranges(std::vector<Range> r, const std::string &name = "docid ranges");

} // namespace ranges

#endif
