// values.h — one value slot's values kept in memory for a local index's
// revision, as searches read them (C++ inside the shim only).
#ifndef WENSOU_SHIM_VALUES_H
#define WENSOU_SHIM_VALUES_H

#include <xapian.h>

#include <string>
#include <unordered_map>

namespace values {

/* The values of one slot of one local index (one thread's, as its handle is), kept
 * as they are read, for the index's revision, up to about MAX_BYTES (then no more
 * are kept): a search verifies its candidates on their normalised text, and the same
 * candidates come back search after search (bench/queries.txt on the corpus reads
 * their values once instead of on every search). */
class Cache {
  public:
    static const size_t MAX_BYTES = 16u << 20;

    /* Empties the cache when revision (what names the index's revision: the
     * handle's dense::Cache::revision_held) is another than the one it holds, or
     * slot is another slot. */
    void sync(const std::string &revision, Xapian::valueno slot);

    /* did's value when kept, else null (valid until the next sync). */
    const std::string *find(Xapian::docid did) const;

    /* Keeps did's value while there is room. */
    void keep(Xapian::docid did, const std::string &value);

  private:
    std::string revision;                               // the revision held (sync's)
    Xapian::valueno slot = Xapian::BAD_VALUENO;
    size_t bytes = 0;
    std::unordered_map<Xapian::docid, std::string> kept;
};

} // namespace values

#endif
