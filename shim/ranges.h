// ranges.h — a posting source of docid ranges: the passages of whole files (a
// file's passages are consecutive docids in one index), served by a binary search
// per skip where an OR of one term per file keeps a heap of them all. Weightless:
// a filter. Internal to the shim.
#ifndef WENSOU_SHIM_RANGES_H
#define WENSOU_SHIM_RANGES_H

#include <xapian.h>

#include <utility>
#include <vector>

namespace ranges {

/* The docids in the ranges [first, first + count) (any order, overlapping or not). */
Xapian::Query docid_ranges(std::vector<std::pair<Xapian::docid, Xapian::doccount>> r);

} // namespace ranges

#endif
