// values.cc — one value slot's values kept in memory per revision (values.h).
#include "values.h"

namespace values {

void Cache::sync(const std::string &rev, Xapian::valueno s)
{
    if (rev == revision && s == slot)
        return;
    kept.clear();
    bytes = 0;
    revision = rev;
    slot = s;
}

const std::string *Cache::find(Xapian::docid did) const
{
    auto it = kept.find(did);
    return it == kept.end() ? nullptr : &it->second;
}

void Cache::keep(Xapian::docid did, const std::string &value)
{
    /* about what it takes: the text, the node (its string, key and link), a bucket
     * and the allocator's headers */
    const size_t cost = value.size() + sizeof(std::string) + 12 * sizeof(void *);
    if (bytes + cost > MAX_BYTES)
        return;
    if (kept.emplace(did, value).second)
        bytes += cost;
}

} // namespace values
