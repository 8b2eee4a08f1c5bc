// ranges.cc — the docid ranges' posting source (ranges.h).
#include "ranges.h"

#include <algorithm>
#include <memory>
#include <string>

namespace ranges {

namespace {

struct Span {
    Xapian::docid first, second;   /* [first, second] */
    double weight;
};
typedef std::vector<Span> Spans;   /* sorted, apart */

class Source : public Xapian::PostingSource {
  public:
    Source(std::shared_ptr<const Spans> spans, Xapian::doccount total, double most, std::string name)
        : spans(std::move(spans)), total(total), most(most), name(std::move(name))
    {
    }

    Xapian::PostingSource *clone() const override { return new Source(spans, total, most, name); }

    void init(const Xapian::Database &db) override
    {
        span = 0;
        did = 0;
        last = db.get_lastdocid();               /* no docid past the index's */
        set_maxweight(most);
    }

    Xapian::doccount get_termfreq_min() const override { return 0; }   /* ranges may run past the index */
    Xapian::doccount get_termfreq_est() const override { return total; }
    Xapian::doccount get_termfreq_max() const override { return total; }

    void next(double) override
    {
        if (did == 0) {                            /* spans are never empty (docid_ranges) */
            did = (*spans)[0].first;
            return;
        }
        if (did < (*spans)[span].second) {
            did++;
            return;
        }
        if (++span < spans->size())
            did = (*spans)[span].first;
    }

    void skip_to(Xapian::docid target, double) override
    {
        if (did == 0)
            next(0);
        if (at_end() || target <= did)
            return;
        if (target > (*spans)[span].second)       /* the first span ending at or after target */
            span = std::lower_bound(spans->begin() + static_cast<long>(span), spans->end(), target,
                                    [](const Span &s, Xapian::docid t) { return s.second < t; }) -
                   spans->begin();
        if (span < spans->size())
            did = std::max(target, (*spans)[span].first);
    }

    bool at_end() const override { return did != 0 && (span >= spans->size() || did > last); }
    Xapian::docid get_docid() const override { return did; }
    double get_weight() const override { return (*spans)[span].weight; }
    /* "docid ranges 1-35 80-96 … (3 spans, 70 passages)": the first few spans */
    std::string get_description() const override
    {
        std::string d = name;
        for (size_t i = 0; i < spans->size() && i < 4; i++)
            d += " " + std::to_string((*spans)[i].first) + "-" + std::to_string((*spans)[i].second);
        if (spans->size() > 4)
            d += " …";
        return d + " (" + std::to_string(spans->size()) + " spans, " + std::to_string(total) + " passages)";
    }

  private:
    std::shared_ptr<const Spans> spans;
    Xapian::doccount total;
    double most;              /* the highest span weight */
    std::string name;
    size_t span = 0;
    Xapian::docid did = 0;    /* 0: not started */
    Xapian::docid last = 0;
};

} // namespace

Xapian::Query docid_ranges(std::vector<Range> r, const std::string &name)
{
    std::sort(r.begin(), r.end(), [](const Range &a, const Range &b) { return a.first < b.first; });
    auto spans = std::make_shared<Spans>();
    Xapian::doccount total = 0;
    double most = 0;
    for (const auto &one : r) {
        if (one.first == 0 || one.count == 0)
            continue;
        const Xapian::docid last = one.first + (one.count - 1);
        if (last < one.first)
            continue;                               /* past the docids there are */
        most = std::max(most, one.weight);
        Span *prev = spans->empty() ? nullptr : &spans->back();
        if (prev && (one.first <= prev->second || (one.first == prev->second + 1 && one.weight == prev->weight))) {
            if (last > prev->second) {              /* overlapping or adjoining: one span */
                total += last - prev->second;
                prev->second = last;
            }
            prev->weight = std::max(prev->weight, one.weight);
            continue;
        }
        spans->push_back({one.first, last, one.weight});
        total += one.count;
    }
    if (spans->empty())
        return Xapian::Query::MatchNothing;
    return Xapian::Query((new Source(std::move(spans), total, most, name))->release());
}

} // namespace ranges
