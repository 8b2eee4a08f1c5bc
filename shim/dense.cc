// dense.cc — dense posting lists in memory and the posting source that serves them
// (dense.h).
#include "dense.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <future>
#include <mutex>
#include <new>

namespace dense {

Cache::Cache() : min_postings(MIN_POSTINGS)
{
    const char *v = std::getenv("WENSOU_DENSE_POSTINGS");
    char *end = nullptr;
    unsigned long n = v && *v ? std::strtoul(v, &end, 10) : 0;
    if (v && *v && end && !*end)
        min_postings = n > UINT32_MAX ? UINT32_MAX : static_cast<Xapian::doccount>(n);
}

/* The lists of every handle in this process, shared (they are immutable): one read
 * per list and revision, however many threads search. An entry lives while a
 * cache holds it. */
namespace {
/* A list made, or being made by one thread (the others wait for it, not for the
 * lock: a union's read takes some 20 ms at x1000). */
struct Shared {
    std::weak_ptr<const List> list;
    std::shared_future<std::shared_ptr<const List>> making;
};
std::mutex shared_lock;
std::unordered_map<std::string, Shared> shared_lists;   /* uuid:revision:term */
size_t purge_at = 4 * Cache::MAX_TERMS;                 /* the size at which expired entries are swept */

/* Appends a posting to list, its block's and the list's highest wdf with it. */
void push(List &list, Xapian::docid id, Xapian::termcount wdf)
{
    if (list.ids.size() % List::BLOCK == 0) {
        list.block_max.push_back(0);
        list.block_last.push_back(id);
    }
    list.block_last.back() = id;
    if (wdf >= List::WIDE_WDF)
        list.wide_wdfs.emplace_back(static_cast<std::uint32_t>(list.ids.size()), wdf);
    list.ids.push_back(id);
    list.wdfs.push_back(static_cast<std::uint8_t>(std::min<Xapian::termcount>(wdf, List::WIDE_WDF)));
    list.block_max.back() = std::max(list.block_max.back(), wdf);
    list.wdf_max = std::max(list.wdf_max, wdf);
}

/* The list shared under key (uuid:revision:what), made by make() when no cache
 * holds it (*made then set), or by the thread already making it (its list, or its
 * exception). */
template <typename Make> std::shared_ptr<const List> shared_list(const std::string &key, Make make, bool *made)
{
    std::promise<std::shared_ptr<const List>> promise;
    std::shared_future<std::shared_ptr<const List>> other;
    {
        std::lock_guard<std::mutex> held(shared_lock);
        auto it = shared_lists.find(key);
        if (it != shared_lists.end()) {
            if (auto list = it->second.list.lock())
                return list;
            other = it->second.making;
        }
        if (!other.valid()) {
            if (shared_lists.size() >= purge_at) {        /* forget the expired entries */
                for (auto e = shared_lists.begin(); e != shared_lists.end();)
                    e = e->second.list.expired() && !e->second.making.valid() ? shared_lists.erase(e) : std::next(e);
                /* the entries held live stay: the next sweep waits until they have
                 * doubled, not one read later */
                purge_at = std::max<size_t>(4 * Cache::MAX_TERMS, 2 * shared_lists.size());
            }
            shared_lists[key] = Shared{{}, promise.get_future().share()};
        }
    }
    if (other.valid())
        return other.get();
    std::shared_ptr<const List> list;
    try {
        list = make();
    } catch (...) {
        promise.set_exception(std::current_exception());
        std::lock_guard<std::mutex> held(shared_lock);
        shared_lists.erase(key);
        throw;
    }
    promise.set_value(list);
    std::lock_guard<std::mutex> held(shared_lock);
    shared_lists[key] = Shared{list, {}};
    if (made)
        *made = true;
    return list;
}

std::shared_ptr<const List> read_list(const Xapian::Database &db, const std::string &key, const std::string &term,
                                      Xapian::doccount tf)
{
    return shared_list(key, [&] {
        auto list = std::make_shared<List>();
        list->ids.reserve(tf);
        list->wdfs.reserve(tf);
        list->block_max.reserve(tf / List::BLOCK + 1);
        list->block_last.reserve(tf / List::BLOCK + 1);
        for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p)
            push(*list, *p, p.get_wdf());
        return list;
    }, nullptr);
}

/* The terms under a prefix and the passages holding each, in index order. */
struct Prefixed {
    std::vector<std::string> terms;
    std::vector<Xapian::doccount> termfreqs;
};

/* Every posting of the prefix's terms, by docid, a passage's wdfs summed, added
 * up in a slot per docid: one pass (的 at x1000 read and merged in 17-26 ms,
 * against some 50 ms sorted); weighed as Xapian weighs the synonym of those terms.
 * The caller sees that db's docids are dense. */
std::shared_ptr<const List> read_union(const Xapian::Database &db, const std::string &key, const Prefixed &prefixed,
                                       bool *made)
{
    return shared_list(key, [&] {
        const size_t last = db.get_lastdocid();
        std::vector<Xapian::termcount> wdf_of(last + 1, 0);
        std::vector<char> held(last + 1, 0);           /* a posting of wdf 0 lists its passage too */
        for (const std::string &term : prefixed.terms)
            for (auto p = db.postlist_begin(term); p != db.postlist_end(term); ++p) {
                wdf_of[*p] += p.get_wdf();
                held[*p] = 1;
            }
        const size_t n = static_cast<size_t>(std::count(held.begin(), held.end(), 1));
        auto list = std::make_shared<List>();
        list->ids.reserve(n);
        list->wdfs.reserve(n);
        list->block_max.reserve(n / List::BLOCK + 1);
        list->block_last.reserve(n / List::BLOCK + 1);
        for (size_t id = 1; id <= last; id++)
            if (held[id])
                push(*list, static_cast<Xapian::docid>(id), wdf_of[id]);
        list->weighed_as = synonym_termfreq(prefixed.termfreqs, db.get_doccount());
        return list;
    }, made);
}
} // namespace

void Cache::sync(const Xapian::Database &db)
{
    const std::string rev = db.get_uuid() + ":" + std::to_string(db.get_revision());
    if (rev == revision)
        return;
    lists.clear();
    unions.clear();
    sparse.clear();
    freqs.clear();
    postings = rare_lists = rare_postings = union_postings = 0;
    revision = rev;
}

Xapian::doccount Cache::termfreq(const Xapian::Database &db, const std::string &term)
{
    sync(db);
    auto held = lists.find(term);
    if (held != lists.end())
        return static_cast<Xapian::doccount>(held->second->ids.size());
    auto known = freqs.find(term);
    if (known != freqs.end())
        return known->second;
    const Xapian::doccount tf = db.get_termfreq(term);
    if (freqs.size() >= MAX_TERMS)
        freqs.clear();
    freqs.emplace(term, tf);
    return tf;
}

std::shared_ptr<const List> Cache::get(const Xapian::Database &db, const std::string &term)
{
    if (term.empty())                                 /* Xapian's match-all: no weight */
        return nullptr;
    auto it = lists.find(term);
    if (it != lists.end())
        return it->second;
    if (sparse.count(term))
        return nullptr;
    const Xapian::doccount tf = termfreq(db, term);
    /* no passage holds it: an empty list, where Xapian's own would descend the
     * postlist B-tree on every search to find nothing */
    static const auto none = std::make_shared<const List>();
    if (tf == 0)
        return none;
    if (sparse.size() >= MAX_TERMS)
        sparse.clear();                               /* the verdicts only: the counts stay in freqs */
    const bool common = tf >= COMMON_POSTINGS;
    if (tf < min_postings || (common && postings + tf > MAX_POSTINGS) ||
        (!common && (rare_lists >= MAX_RARE_LISTS || rare_postings + tf > MAX_RARE_POSTINGS))) {
        sparse.insert(term);
        return nullptr;
    }
    std::shared_ptr<const List> list;
    try {
        list = read_list(db, revision + ":" + term, term, tf);
    } catch (const std::bad_alloc &) {
        sparse.insert(term);                          /* no room: Xapian's own list */
        return nullptr;
    }
    if (common) {
        postings += list->ids.size();
    } else {
        rare_lists++;
        rare_postings += list->ids.size();
    }
    lists.emplace(term, list);
    return list;
}

std::shared_ptr<const List> Cache::prefix_union(const Xapian::Database &db, const std::string &prefix)
{
    auto it = unions.find(prefix);
    if (it != unions.end())
        return it->second;
    if (union_reads >= MAX_UNION_READS)               /* a later match reads it */
        return nullptr;
    std::shared_ptr<const List> list;
    /* its terms' postings, at least its length: the room asked for before reading */
    Prefixed prefixed;
    size_t most = 0;
    for (auto t = db.allterms_begin(prefix); t != db.allterms_end(prefix); ++t) {
        prefixed.terms.push_back(*t);
        prefixed.termfreqs.push_back(t.get_termfreq());
        most += prefixed.termfreqs.back();
    }
    /* a slot per docid: while the docids are dense (re-indexing leaves gaps) */
    const bool dense_ids = db.get_lastdocid() <= 4 * static_cast<size_t>(db.get_doccount()) + 1024;
    bool made = false;
    try {
        if (dense_ids && union_postings + most <= MAX_UNION_POSTINGS)
            list = read_union(db, revision + std::string(1, '\0') + "prefix" + std::string(1, '\0') + prefix, prefixed,
                              &made);
    } catch (const std::bad_alloc &) {
    }
    union_reads += made;
    if (list)                                         /* else Xapian's wildcard */
        union_postings += list->ids.size();
    unions.emplace(prefix, list);
    return list;
}

namespace {

/* Xapian prunes what cannot weigh more than the page's lowest weight, but a
 * passage that can only tie it never enters the page either (ties go to the lower
 * docid, which came first), so a source reports its bound this much below its true
 * maximum and "more than" prunes as "at least" would (Lucene's nextUp): 柯桥 at
 * x1000 stops after its first ten passages of the highest wdf, 3.2 ms → 0.16 ms. The
 * margin is far above rounding noise and far below any real difference of weight. */
const double TIE_MARGIN = 1e-9;

/* The term's postings from its list, each weighing what BM25Weight gives the term
 * (Xapian 1.4's formula, b = 0 or not: the document's length when b is not 0). */
class Source : public Xapian::PostingSource {
  public:
    Source(std::shared_ptr<const List> list, double termweight, const Bm25 &p, bool weighted)
        : list(std::move(list)), termweight(termweight), p(p), weighted(weighted)
    {
    }

    Xapian::PostingSource *clone() const override
    {
        auto *copy = new Source(list, termweight, p, weighted);
        copy->slack = slack;
        return copy;
    }

    /* The most a posting can weigh (any wdf, any length). */
    double bound() const { return weighted ? termweight * (p.k1 + 1) : 0; }

    /* What the other sources' bounds, each reported TIE_MARGIN low, may add to the
     * min_wt Xapian hands this one: a posting is passed over only when it falls
     * short of min_wt by more. */
    double slack = 0;

    void init(const Xapian::Database &db) override
    {
        this->db = db;
        at = 0;
        started = false;
        const double avg_len = db.get_avlength();
        len_factor = p.b == 0 || p.k1 == 0 || avg_len == 0 ? 0 : 1 / avg_len;
        shortest = len_factor ? db.get_doclength_lower_bound() : 0;
        const double max = sumpart(list->wdf_max, shortest);
        set_maxweight(weighted ? max * (1 - TIE_MARGIN) : 0);
        need_for = 0;
        need = 1;
        std::fill(std::begin(by_wdf), std::end(by_wdf), std::nan(""));
    }

    Xapian::doccount get_termfreq_min() const override { return list->ids.size(); }
    Xapian::doccount get_termfreq_est() const override { return list->ids.size(); }
    Xapian::doccount get_termfreq_max() const override { return list->ids.size(); }

    /* min_wt: a posting weighing less cannot bring its passage onto the page (the
     * matcher's bound, Xapian's contract), so it is passed over */
    void next(double min_wt) override
    {
        if (started)
            at++;
        started = true;
        pass_light(min_wt);
    }

    void skip_to(Xapian::docid did, double min_wt) override
    {
        if (!started) {
            started = true;
            at = 0;
        }
        at = seek(*list, at, did);
        pass_light(min_wt);
    }

    bool at_end() const override { return started && at >= list->ids.size(); }
    Xapian::docid get_docid() const override { return list->ids[at]; }

    double get_weight() const override { return weight_at(at); }

    /* What the posting at position i of the list weighs. */
    double weight_at(size_t i) const
    {
        return weighted ? weight_of(list->wdf(i), len_factor ? db.get_doclength(list->ids[i]) : 0) : 0;
    }

    /* The most the posting at position i can weigh, its passage's length not read. */
    double bound_at(size_t i) const { return weighted ? weight_of(list->wdf(i), shortest) : 0; }

    /* The most a posting of block k of the list can weigh. */
    double block_bound(size_t k) const { return weighted ? weight_of(list->block_max[k], shortest) : 0; }

    std::string get_description() const override { return "dense::Source"; }

  private:
    friend class MaybeSource;               /* walk Sources as cursors */
    friend class AllSource;

    /* What wdf weighs in a passage of length len (len counts only when b is not 0). */
    double weight_of(Xapian::termcount wdf, Xapian::termcount len) const
    {
        if (len_factor || wdf >= KNOWN_WDFS)
            return sumpart(wdf, len);
        double &known = by_wdf[wdf];          /* the weight is the wdf's alone: worked out once */
        if (std::isnan(known))
            known = sumpart(wdf, 0);
        return known;
    }

    /* Moves past the postings that weigh less than min_wt: the weight grows with
     * the wdf (and shrinks with the length, bounded by the shortest passage's), so
     * those below the least wdf that can reach it, a block at a time. Xapian hands
     * min_wt down unscaled, which holds as build folds every scale into termweight
     * (a source is never under a scale); a weightless branch (a filter's) is handed
     * at most 0, as it can add nothing. The other sources' bounds are reported a
     * hair low (TIE_MARGIN), so min_wt may be that much high: slack. */
    void pass_light(double min_wt)
    {
        const double needed = min_wt - slack;
        if (!weighted || needed <= 0 || termweight <= 0)
            return;
        if (min_wt != need_for) {
            need_for = min_wt;
            Xapian::termcount lo = 1, hi = list->wdf_max + 1;   /* the least wdf reaching it, or past all */
            while (lo < hi) {
                const Xapian::termcount mid = lo + (hi - lo) / 2;
                if (sumpart(mid, shortest) >= needed)
                    hi = mid;
                else
                    lo = mid + 1;
            }
            need = lo;
        }
        if (need <= 1)
            return;
        const size_t n = list->ids.size();
        while (at < n && list->wdf(at) < need) {
            if (at % List::BLOCK == 0 && list->block_max[at / List::BLOCK] < need)
                at += List::BLOCK;
            else
                at++;
        }
        if (at > n)
            at = n;
    }

    double sumpart(Xapian::termcount wdf, Xapian::termcount len) const
    {
        const double normlen = std::max(len * len_factor, p.min_normlen);
        const double wdf_double = wdf;
        const double denom = p.k1 * (normlen * p.b + (1 - p.b)) + wdf_double;
        return termweight * (wdf_double * (p.k1 + 1) / denom);
    }

    std::shared_ptr<const List> list;
    double termweight;
    Bm25 p;
    bool weighted;
    Xapian::Database db;
    size_t at = 0;
    bool started = false;
    double len_factor = 0;
    Xapian::termcount shortest = 0;   /* the shortest passage's length (when it counts) */
    double need_for = 0;              /* the min_wt need was found for */
    Xapian::termcount need = 1;       /* the least wdf that can weigh need_for */
    /* With b = 0 a posting weighs what its wdf gives, so each wdf's weight is worked
     * out once (the same arithmetic, the same bits), not a division per posting:
     * the 89 queries at x1000 1,878 -> 1,815 us (medians of 6 interleaved rounds, lower
     * in each), x100 unchanged. */
    static const Xapian::termcount KNOWN_WDFS = 32;
    mutable double by_wdf[KNOWN_WDFS];  /* each wdf's weight below KNOWN_WDFS once worked out (NaN: not yet) */
};

/* An AND_MAYBE of two terms' lists whose right one is sparse, as one source: the
 * left's passages, each weighing the left's weight plus the right's where the right
 * holds it (Xapian's AndMaybePostList's sum, in its order). Xapian's matcher bounds
 * the left by the page's lowest weight less the right's whole bound, and a rare
 * term's bound is high (its idf): once a filter leaves none of the right's passages
 * on the page, the left walks every posting. 柯桥 year:2021 at x1000 on distinct
 * documents (绍兴县, a synonym ranked beside it, 4 passages with wdf 9) walked
 * every 2021 passage holding 柯桥. Here a left posting is passed over when it falls
 * short alone, and only the right's own passages are weighed with it. */
class MaybeSource : public Xapian::PostingSource {
  public:
    /* Fused when the right list is at most 1 / SPARSE the left's length: each of
     * its passages is looked up in the left's list. */
    static const size_t SPARSE = 16;

    MaybeSource(std::unique_ptr<Source> left, std::unique_ptr<Source> right)
        : left(std::move(left)), right(std::move(right))
    {
    }

    Xapian::PostingSource *clone() const override
    {
        std::unique_ptr<Source> l(static_cast<Source *>(left->clone())), r(static_cast<Source *>(right->clone()));
        return new MaybeSource(std::move(l), std::move(r));   /* C++17: allocated before the arguments move */
    }

    void init(const Xapian::Database &db) override
    {
        left->init(db);
        right->init(db);
        set_maxweight(left->get_maxweight() + right->get_maxweight());   /* each already a hair low */
    }

    Xapian::doccount get_termfreq_min() const override { return left->get_termfreq_min(); }
    Xapian::doccount get_termfreq_est() const override { return left->get_termfreq_est(); }
    Xapian::doccount get_termfreq_max() const override { return left->get_termfreq_max(); }

    void next(double min_wt) override { skip_to(left->started ? left->get_docid() + 1 : 0, min_wt); }

    /* The first left posting from did on that can weigh min_wt: alone, or with the
     * right's weight at a passage the right holds. */
    void skip_to(Xapian::docid did, double min_wt) override
    {
        left->skip_to(did, 0);                /* every posting from did on */
        const size_t from = left->at;
        left->pass_light(min_wt);
        const auto &ids = left->list->ids;
        const Xapian::docid alone = left->at < ids.size() ? ids[left->at] : 0;
        right->skip_to(did, 0);
        const double needed = min_wt - left->slack;
        for (size_t at = from; !right->at_end() && (alone == 0 || right->get_docid() < alone); right->at++) {
            at = seek(*left->list, at, right->get_docid());
            if (at == ids.size())
                break;                        /* the left ended: so does the match */
            if (ids[at] == right->get_docid() && left->weight_at(at) + right->get_weight() >= needed) {
                left->at = at;
                return;                       /* the right stays on this passage */
            }
        }
        if (!left->at_end())
            right->skip_to(left->get_docid(), 0);
    }

    bool at_end() const override { return left->at_end(); }
    Xapian::docid get_docid() const override { return left->get_docid(); }

    double get_weight() const override
    {
        const double w = left->get_weight();
        return !right->at_end() && right->get_docid() == left->get_docid() ? w + right->get_weight() : w;
    }

    std::string get_description() const override { return "dense::MaybeSource"; }

    /* The two lists' cursors (realise sets their slack). */
    const std::unique_ptr<Source> left, right;
};

/* An AND of terms' lists as one source: the passages every list holds, each
 * weighing the sum of the lists' weights in Xapian's order (MultiAndPostList's:
 * the lists sorted by length as it sorts them, summed from the shortest), so the
 * pages are Xapian's to the last bit. The shortest list leads; a passage is passed
 * over when its lead posting with the other lists' bounds over the blocks holding
 * it (the highest wdf of 64 postings) falls short of what it must weigh, before it
 * is looked up in them; the other lists' cursors are moved by the same seek. Where
 * Xapian would merge it into an AND above (build's under_and) it stays Xapian's,
 * which sums the lists of both in one order and leads with the shortest of all.
 * search_latency, the 89 queries at x1000 on distinct documents, 9 alternating
 * rounds against the lists served one by one: round medians 1,506 -> 1,383 us;
 * the natural questions, whose best-match tier is an OR of such ANDs, 15-25 %
 * faster (柯桥区2020年地区生产总值是多少 14.1 -> 11.6 ms). */
class AllSource : public Xapian::PostingSource {
  public:
    /* The lists in the query's order. */
    static std::unique_ptr<AllSource> of(std::vector<std::unique_ptr<Source>> lists)
    {
        std::vector<Source *> given, sorted(lists.size());
        for (const auto &s : lists)
            given.push_back(s.get());
        /* MultiAndPostList's constructor: ComparePostListTermFreqAscending */
        std::partial_sort_copy(given.begin(), given.end(), sorted.begin(), sorted.end(),
                               [](const Source *a, const Source *b) { return a->get_termfreq_est() < b->get_termfreq_est(); });
        std::vector<std::unique_ptr<Source>> ordered;
        for (Source *s : sorted)
            for (auto &l : lists)
                if (l.get() == s)
                    ordered.push_back(std::move(l));
        return std::unique_ptr<AllSource>(new AllSource(std::move(ordered)));
    }

    Xapian::PostingSource *clone() const override
    {
        std::vector<std::unique_ptr<Source>> copies;
        for (const auto &s : lists)
            copies.emplace_back(static_cast<Source *>(s->clone()));
        return new AllSource(std::move(copies));
    }

    void init(const Xapian::Database &db) override
    {
        double total = 0;                     /* MultiAndPostList::recalc_maxweight's sum */
        for (auto &s : lists) {
            s->init(db);
            total += s->get_maxweight();      /* each already a hair low */
        }
        set_maxweight(total);
        others = 0;
        for (size_t i = 1; i < lists.size(); i++)
            others += lists[i]->get_maxweight();
        db_size = db.get_doccount();
    }

    /* MultiAndPostList's estimates from the lists' lengths. */
    Xapian::doccount get_termfreq_min() const override
    {
        Xapian::doccount sum = lists[0]->get_termfreq_min();
        if (sum)
            for (size_t i = 1; i < lists.size(); i++) {
                const Xapian::doccount before = sum;
                sum += lists[i]->get_termfreq_min();
                if (sum >= before && sum <= db_size)
                    return 0;
                sum -= db_size;
            }
        return sum;
    }

    Xapian::doccount get_termfreq_est() const override
    {
        if (db_size == 0)
            return 0;
        double result = lists[0]->get_termfreq_est();
        for (size_t i = 1; i < lists.size(); i++)
            result = (result * lists[i]->get_termfreq_est()) / db_size;
        return static_cast<Xapian::doccount>(result + 0.5);
    }

    Xapian::doccount get_termfreq_max() const override
    {
        Xapian::doccount least = lists[0]->get_termfreq_max();
        for (const auto &s : lists)
            least = std::min(least, s->get_termfreq_max());
        return least;
    }

    void next(double min_wt) override { skip_to(lists[0]->started ? lists[0]->get_docid() + 1 : 0, min_wt); }

    /* The first passage from did on that every list holds and that can weigh min_wt. */
    void skip_to(Xapian::docid did, double min_wt) override
    {
        Source &lead = *lists[0];
        lead.skip_to(did, 0);
        const double needed = min_wt - lead.slack;
        const auto &ids = lead.list->ids;
        for (;;) {
            lead.pass_light(min_wt - others);    /* too light even beside every list's best */
            if (lead.at_end())
                return;
            const Xapian::docid at = ids[lead.at];
            if (needed > 0 && !could_reach(at, needed)) {   /* (an OR's branch is often handed 0) */
                lead.at++;
                continue;
            }
            Xapian::docid later = 0;          /* a list's next passage, when it lacks this one */
            for (size_t i = 1; i < lists.size() && !later; i++) {
                Source &s = *lists[i];
                s.at = seek(*s.list, s.at, at);
                if (s.at == s.list->ids.size()) {
                    lead.at = ids.size();     /* a list ended: so does the match */
                    return;
                }
                if (s.list->ids[s.at] != at)
                    later = s.list->ids[s.at];
            }
            if (later)
                lead.at = seek(*lead.list, lead.at, later);
            else if (get_weight() >= needed)
                return;
            else
                lead.at++;
        }
    }

    bool at_end() const override { return lists[0]->at_end(); }
    Xapian::docid get_docid() const override { return lists[0]->get_docid(); }

    /* MultiAndPostList::get_weight's sum, in its order. */
    double get_weight() const override
    {
        double sum = 0;
        for (const auto &s : lists)
            sum += s->weight_at(s->at);
        return sum;
    }

    std::string get_description() const override { return "dense::AllSource"; }

  private:
    explicit AllSource(std::vector<std::unique_ptr<Source>> ordered) : lists(std::move(ordered)) {}

    /* Whether the lead's passage did (at the most its wdf weighs, the length not
     * read), with the most each other list's block holding did can weigh, reaches
     * needed; moves the other lists' cursors to those blocks
     * (their earlier postings come before did). */
    bool could_reach(Xapian::docid did, double needed)
    {
        double bound = lists[0]->bound_at(lists[0]->at);
        for (size_t i = 1; i < lists.size(); i++) {
            Source &s = *lists[i];
            const size_t block = seek_block(*s.list, s.at / List::BLOCK, did);
            if (block == s.list->block_last.size())
                return true;                  /* past its end: the lookup ends the match */
            s.at = std::max(s.at, block * List::BLOCK);
            s.started = true;
            bound += s.block_bound(block);
        }
        return bound >= needed;
    }

    std::vector<std::unique_ptr<Source>> lists;   /* Xapian's order: the shortest first */
    double others = 0;                            /* the lists' bounds but the lead's */
    Xapian::doccount db_size = 0;
};

/* A query that matches the term's passages through its list: BM25Weight::init's
 * term weight (no relevance set, wqf 1) with the scale factor folded in where
 * Xapian folds it (so the arithmetic is Xapian's to the last bit), the rest per
 * posting in Source. */
Source *new_source(const Xapian::Database &db, std::shared_ptr<const List> list, const Bm25 &p, bool weighted,
                   double factor, std::vector<Source *> &made)
{
    /* a term's every posting; a union as Xapian's synonym weighs it */
    const double tf = static_cast<double>(list->weighed_as ? list->weighed_as : list->ids.size());
    const double termweight = term_weight(db.get_doccount(), tf, factor, p);
    auto *source = new Source(std::move(list), termweight, p, weighted);
    made.push_back(source);
    return source;
}

Xapian::Query source_query(const Xapian::Database &db, std::shared_ptr<const List> list, const Bm25 &p, bool weighted,
                           double factor, std::vector<Source *> &made)
{
    return Xapian::Query(new_source(db, std::move(list), p, weighted, factor, made)->release());
}

/* q scaled by factor (Xapian multiplies the scales on the way down to a leaf). */
Xapian::Query scaled(const Xapian::Query &q, double factor)
{
    return factor == 1 ? q : Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q, factor);
}

/* synonym_termfreq is Xapian 1.4's estimate: another version's wildcard may be
 * weighed otherwise, so its ranked unions stay Xapian's. */
#if XAPIAN_MAJOR_VERSION == 1 && XAPIAN_MINOR_VERSION == 4
const bool SYNONYM_ESTIMATE_KNOWN = true;
#else
const bool SYNONYM_ESTIMATE_KNOWN = false;
#endif

/* The list a source can serve for the recipe, else null: a term's (weighed once,
 * no position), or a prefix's union (weighed by Xapian's estimate of it, as its
 * wildcard's synonym is). */
std::shared_ptr<const List> servable(const Recipe &r, const Xapian::Database &db, Cache &cache, bool weighted)
{
    if (r.kind == Recipe::PREFIX)
        return weighted && !SYNONYM_ESTIMATE_KNOWN ? nullptr : cache.prefix_union(db, r.term);
    return r.kind == Recipe::TERM && r.wqf == 1 && r.pos == 0 ? cache.get(db, r.term) : nullptr;
}

/* Whether Xapian makes the recipe's query MatchNothing as it is built: an empty
 * query, an OR-like one whose every subquery is, an AND-like one with one that is
 * (an AND_MAYBE's or AND_NOT's first), a scale of one that is. */
bool matches_nothing(const Recipe &r)
{
    switch (r.kind) {
    case Recipe::FIXED:
        return r.fixed.empty();
    case Recipe::SCALE:
        return matches_nothing(*r.subs[0]);
    case Recipe::COMBINE: {
        if (r.subs.empty())
            return true;
        const bool and_like = r.op == Xapian::Query::OP_AND || r.op == Xapian::Query::OP_FILTER;
        const bool first_only = r.op == Xapian::Query::OP_AND_MAYBE || r.op == Xapian::Query::OP_AND_NOT;
        if (first_only)
            return matches_nothing(*r.subs[0]);
        size_t nothing = 0;
        for (const auto &s : r.subs)
            nothing += matches_nothing(*s);
        return and_like ? nothing > 0 : nothing == r.subs.size();
    }
    case Recipe::TERM:
    case Recipe::PREFIX:
        break;
    }
    return false;
}

/* The subqueries of a combination that can match (Xapian drops a MatchNothing
 * from an OR, and a combination left with one is that one). */
size_t live_subqueries(const Recipe &r)
{
    return static_cast<size_t>(std::count_if(r.subs.begin(), r.subs.end(),
                                             [](const std::shared_ptr<const Recipe> &s) { return !matches_nothing(*s); }));
}

/* Whether Xapian merges the subquery i of an op (itself merged into an AND
 * above when under_and) into an AND's lists: an AND's and a filter's every
 * subquery, an AND_MAYBE's and an AND_NOT's first when they are merged. */
bool merged_into_and(Xapian::Query::op op, size_t i, bool under_and)
{
    if (op == Xapian::Query::OP_AND || op == Xapian::Query::OP_FILTER)
        return true;
    return (op == Xapian::Query::OP_AND_MAYBE || op == Xapian::Query::OP_AND_NOT) && i == 0 && under_and;
}

/* The AND a subquery's lists merge into as Xapian builds the query (its
 * AndContext): none, or the combination at its top (an AND or a filter not itself
 * merged) with the factor above it. */
struct MergedAnd {
    const Recipe *top = nullptr;
    double factor = 0;
    bool merged() const { return top != nullptr; }
};

/* Whether r, under a factor, adds to the sum of the AND it is part of (merged: its
 * lists are that AND's; else it is one list of it, or an AND_MAYBE's right side
 * added after it) any weight but one occurrence of own's: a term, a list of its
 * own, a scaled query kept apart, a right side, own a second time (a recipe is
 * shared where a query is used twice); owns counts own's weighed occurrences. A
 * filter's other sides, an exclusion's, a scale of 0 and what matches nothing
 * weigh nothing. */
bool weighs_outside(const Recipe &r, const Recipe &own, double factor, bool merged, int &owns)
{
    if (factor == 0 || matches_nothing(r))
        return false;
    if (&r == &own)
        return ++owns > 1;
    if (!merged)
        return true;
    switch (r.kind) {
    case Recipe::SCALE:
        return factor * r.factor != 0;        /* kept apart under the AND (build) */
    case Recipe::COMBINE: {
        const bool alone = live_subqueries(r) == 1;
        for (size_t i = 0; i < r.subs.size(); i++) {
            if (i > 0 && r.op == Xapian::Query::OP_AND_NOT)
                continue;                     /* excluded, not weighed */
            const double f = i > 0 && r.op == Xapian::Query::OP_FILTER ? 0 : factor;
            if (weighs_outside(*r.subs[i], own, f, alone ? merged : merged_into_and(r.op, i, merged), owns))
                return true;
        }
        return false;
    }
    case Recipe::TERM:
    case Recipe::PREFIX:
    case Recipe::FIXED:
        break;
    }
    return true;
}

/* Whether all that the AND of into weighs is own's (an AND_MAYBE there). */
bool weighs_only(const MergedAnd &into, const Recipe &own)
{
    int owns = 0;
    return !weighs_outside(*into.top, own, into.factor, true, owns);
}

/* The recipe's query with its dense terms as sources (made: each source), factor
 * the product of the scales above it: pushed down to the leaves, into a source's
 * term weight and around any other leaf (a FIXED one scaled whole), as Xapian's
 * own postlist building passes it down; into: the AND above that Xapian merges it
 * into, if any. */
Xapian::Query build(const Recipe &r, const Xapian::Database &db, Cache &cache, const Bm25 &p, bool weighted,
                    double factor, MergedAnd into, std::vector<Source *> &made)
{
    const bool under_and = into.merged();
    if (auto list = servable(r, db, cache, weighted))
        return source_query(db, std::move(list), p, weighted, factor, made);
    switch (r.kind) {
    case Recipe::TERM:
        return scaled(Xapian::Query(r.term, r.wqf, r.pos), factor);
    case Recipe::COMBINE: {
        /* (merged into an AND above, Xapian puts its left among that AND's lists and
         * adds its right after the AND's whole sum: the same sum, bit for bit, when
         * nothing else there weighs, as beside a filter: 柯桥 year:2021) */
        if (r.op == Xapian::Query::OP_AND_MAYBE && weighted && r.subs.size() == 2 &&
            r.subs[0]->kind == Recipe::TERM && r.subs[1]->kind == Recipe::TERM &&
            (!under_and || weighs_only(into, r))) {
            auto left = servable(*r.subs[0], db, cache, weighted), right = servable(*r.subs[1], db, cache, weighted);
            if (left && right && right->ids.size() * MaybeSource::SPARSE <= left->ids.size()) {
                std::unique_ptr<Source> l(new_source(db, std::move(left), p, weighted, factor, made));
                std::unique_ptr<Source> rs(new_source(db, std::move(right), p, weighted, factor, made));
                return Xapian::Query((new MaybeSource(std::move(l), std::move(rs)))->release());
            }
        }
        /* an AND merged into one above stays Xapian's (its sums are the merged
         * AND's); a weightless one has nothing to pass over */
        if (r.op == Xapian::Query::OP_AND && weighted && factor > 0 && !under_and && r.subs.size() >= 2) {
            std::vector<std::shared_ptr<const List>> held;
            for (const auto &s : r.subs) {
                auto list = s->kind == Recipe::TERM ? servable(*s, db, cache, weighted) : nullptr;
                if (!list)
                    break;
                held.push_back(std::move(list));
            }
            if (held.size() == r.subs.size()) {
                std::vector<std::unique_ptr<Source>> lists;
                for (auto &list : held)
                    lists.emplace_back(new_source(db, std::move(list), p, weighted, factor, made));
                return Xapian::Query(AllSource::of(std::move(lists)).release()->release());
            }
        }
        std::vector<Xapian::Query> v;
        v.reserve(r.subs.size());
        const bool alone = live_subqueries(r) == 1;   /* Xapian puts it in its parent's place */
        for (size_t i = 0; i < r.subs.size(); i++) {
            const MergedAnd sub = alone                                   ? into
                                  : !merged_into_and(r.op, i, under_and) ? MergedAnd()
                                  : under_and                             ? into
                                                                          : MergedAnd{&r, factor};
            v.push_back(build(*r.subs[i], db, cache, p, weighted, factor, sub, made));
        }
        return Xapian::Query(r.op, v.begin(), v.end(), r.window);
    }
    case Recipe::SCALE: {
        /* Xapian keeps a scaled query whole under an AND (its sum, then the AND's),
         * where the factor pushed down would let the AND take in its lists and sum
         * them in another order: a scale of 1 keeps it apart. A weightless one is
         * all zeros, summed alike in any order, and merges (so the AND leads with
         * the shortest list of all: 经济总量 柯桥's literals, 济总 and 柯桥). Under
         * an OR the factor is pushed down and the OR merges the scaled OR's lists
         * into its own, where Xapian sums that OR apart: the last bit of a weight can
         * differ from Xapian's there. Kept apart, Xapian's tree of ORs turns its
         * pairs into ANDs later: 柯桥十四五规划's best match at x1000 took 14.0 ms
         * against 1.1; and the daemon's hits and scores for the 89 queries are
         * wensou search's. */
        const double scale = factor * r.factor;
        if (!under_and || scale == 0)
            return build(*r.subs[0], db, cache, p, weighted, scale, into, made);
        return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, build(*r.subs[0], db, cache, p, weighted, scale, MergedAnd(), made),
                             1.0);
    }
    case Recipe::PREFIX:                              /* Xapian's wildcard */
    case Recipe::FIXED:
        break;
    }
    return scaled(r.fixed, factor);
}

/* Whether the recipe has a dense term where build would serve it from memory. */
bool any_dense(const Recipe &r, const Xapian::Database &db, Cache &cache, bool weighted)
{
    switch (r.kind) {
    case Recipe::TERM:
    case Recipe::PREFIX:
        return servable(r, db, cache, weighted) != nullptr;
    case Recipe::COMBINE:
        for (const auto &s : r.subs)
            if (any_dense(*s, db, cache, weighted))
                return true;
        return false;
    case Recipe::SCALE:
        return any_dense(*r.subs[0], db, cache, weighted);
    case Recipe::FIXED:
        break;
    }
    return false;
}

} // namespace

namespace {
/* The first position from at on where v (ascending) holds did or more (v.size()
 * when none): galloping from at, then a binary search. */
size_t gallop(const std::vector<Xapian::docid> &v, size_t at, Xapian::docid did)
{
    if (at >= v.size() || v[at] >= did)
        return at;
    size_t step = 1, lo = at;
    while (lo + step < v.size() && v[lo + step] < did) {
        lo += step;
        step *= 2;
    }
    return static_cast<size_t>(std::lower_bound(v.begin() + static_cast<std::ptrdiff_t>(lo),
                                                v.begin() + static_cast<std::ptrdiff_t>(std::min(lo + step, v.size())),
                                                did) -
                               v.begin());
}
} // namespace

Xapian::termcount List::wide_wdf(size_t i) const
{
    const auto it = std::lower_bound(wide_wdfs.begin(), wide_wdfs.end(), i,
                                     [](const std::pair<std::uint32_t, Xapian::termcount> &w, size_t at) { return w.first < at; });
    return it != wide_wdfs.end() && it->first == i ? it->second : WIDE_WDF;
}

size_t seek(const List &list, size_t at, Xapian::docid did)
{
    const auto &ids = list.ids;
    const size_t n = ids.size();
    if (at >= n || ids[at] >= did)
        return at;
    size_t block = at / List::BLOCK;
    if (list.block_last[block] < did) {
        block = seek_block(list, block + 1, did);
        if (block == list.block_last.size())
            return n;
        at = block * List::BLOCK;
        if (ids[at] >= did)
            return at;
    } else if (ids[at + 1] >= did) {
        return at + 1;                       /* the next posting, as a walk in step most often asks */
    }
    /* ids[at] < did <= the block's last: a binary search without branches (a
     * conditional move a step) over what is left of the block */
    const Xapian::docid *base = ids.data() + at;
    size_t len = std::min(n, (block + 1) * List::BLOCK) - at;
    while (len > 1) {
        const size_t half = len / 2;
        base = base[half] < did ? base + half : base;
        len -= half;
    }
    return static_cast<size_t>(base - ids.data()) + (*base < did);
}

size_t seek_block(const List &list, size_t block, Xapian::docid did)
{
    return gallop(list.block_last, block, did);
}

Xapian::doccount synonym_termfreq(const std::vector<Xapian::doccount> &termfreqs, Xapian::doccount n)
{
    if (termfreqs.empty() || n == 0)               /* a term means a passage: n > 0 below */
        return 0;
    /* OrContext::postlist's loop over ComparePostListTermFreqAscending's heap, on
     * the estimates alone (the tree's shape is all they decide) */
    auto fewer_first = [](Xapian::doccount a, Xapian::doccount b) { return a > b; };
    auto either = [n](Xapian::doccount l, Xapian::doccount r) {
        const double lest = l, rest = r;
        return static_cast<Xapian::doccount>(lest + rest - (lest * rest / n) + 0.5);
    };
    std::vector<Xapian::doccount> heap(termfreqs);
    std::make_heap(heap.begin(), heap.end(), fewer_first);
    while (heap.size() > 1) {
        const Xapian::doccount r = heap.front();
        std::pop_heap(heap.begin(), heap.end(), fewer_first);
        heap.pop_back();
        const Xapian::doccount joined = either(heap.front(), r);
        if (heap.size() == 1)
            return joined;
        std::pop_heap(heap.begin(), heap.end(), fewer_first);
        heap.back() = joined;
        std::push_heap(heap.begin(), heap.end(), fewer_first);
    }
    return heap.front();
}

double term_weight(double n, double tf, double factor, const Bm25 &p)
{
    double tw = (n - tf + 0.5) / (tf + 0.5);
    if (tw < 2)
        tw = tw * 0.5 + 1;
    double termweight = std::log(tw) * factor;
    if (p.k3 != 0)
        termweight *= (p.k3 + 1) * 1.0 / (p.k3 + 1.0);
    return termweight;
}

bool needs_terms(Xapian::Query::op op)
{
    return op == Xapian::Query::OP_PHRASE || op == Xapian::Query::OP_NEAR || op == Xapian::Query::OP_SYNONYM ||
           op == Xapian::Query::OP_ELITE_SET;
}

Xapian::Query realise(const Recipe &r, const Xapian::Database &db, Cache &cache, const Bm25 &p, bool weighted,
                      bool *used)
{
    *used = false;
    if (!cache.could_hold(db))
        return Xapian::Query();
    cache.sync(db);
    cache.begin_match();
    if (!any_dense(r, db, cache, weighted))
        return Xapian::Query();
    std::vector<Source *> made;
    Xapian::Query q = build(r, db, cache, p, weighted, 1.0, MergedAnd(), made);
    double bounds = 0;                  /* what the margins below every bound add up to, doubled */
    for (const Source *s : made)
        bounds += s->bound();
    for (Source *s : made)
        s->slack = 2 * TIE_MARGIN * bounds;
    *used = !made.empty();
    return q;
}

} // namespace dense
