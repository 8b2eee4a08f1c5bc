// dense.h — the posting lists of the terms an index's searches use, decoded once
// per revision and held in memory, served to the matcher as posting sources that
// weigh as BM25 weighs the term (b = 0: the weight is the wdf's alone). A dense
// list costs the matcher a binary search per skip where Xapian's own list
// decodes each posting up to the target. Internal to the shim.
#ifndef WENSOU_SHIM_DENSE_H
#define WENSOU_SHIM_DENSE_H

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace dense {

/* One term's postings, in docid order. A wdf takes a byte (a passage says a word
 * fewer than WIDE_WDF times, bar a few): five bytes a posting, not eight, so more of
 * a large index's lists stay in the caches. */
struct List {
    static const size_t BLOCK = 64;                 /* postings under one block_max */
    static const std::uint8_t WIDE_WDF = 255;       /* in wdfs: the wdf is in wide_wdfs */
    std::vector<Xapian::docid> ids;
    std::vector<std::uint8_t> wdfs;                 /* each posting's wdf, or WIDE_WDF */
    std::vector<std::pair<std::uint32_t, Xapian::termcount>> wide_wdfs;   /* (position, wdf) of
                                                       the wdfs of WIDE_WDF or more, by position */
    std::vector<Xapian::termcount> block_max;       /* the highest wdf of each BLOCK postings */
    std::vector<Xapian::docid> block_last;          /* the last docid of each BLOCK postings */
    Xapian::termcount wdf_max = 0;
    /* A prefix's union: the passage count Xapian's synonym of its terms is weighed
     * by (its estimate, synonym_termfreq); 0 for a term's list (its length). */
    Xapian::doccount weighed_as = 0;

    /* The wdf of the posting at position i. */
    Xapian::termcount wdf(size_t i) const { return wdfs[i] < WIDE_WDF ? wdfs[i] : wide_wdf(i); }

    /* The wdf of the posting at position i, one of WIDE_WDF or more. */
    Xapian::termcount wide_wdf(size_t i) const;
};

/* The first position from at on where the list holds did or a later docid (its
 * length when none): the block that holds it found by galloping over block_last
 * from at's (a walk forward in short skips stays cheap, and the blocks' last
 * docids, a sixty-fourth of the list, stay in the caches), then a binary search in
 * that block without branches. */
size_t seek(const List &list, size_t at, Xapian::docid did);

/* The first block from block on whose last docid is did or later (the blocks'
 * count when none): seek over block_last, a sixty-fourth of the list. */
size_t seek_block(const List &list, size_t block, Xapian::docid did);

/* BM25's parameters (those xsh_search_opts carries). */
struct Bm25 {
    double k1, k3, b, min_normlen;
};

/* The dense lists of one revision of one local index (one thread's, as its
 * handle is): a term is dense when at least min_postings passages hold it
 * (WENSOU_DENSE_POSTINGS, default MIN_POSTINGS: every term; 0: none is); lists
 * are read on first use (once per process and revision: threads share them) and
 * kept for the revision. A common term's (COMMON_POSTINGS or more) count against
 * MAX_POSTINGS; rarer terms' have a budget of their own, MAX_RARE_LISTS lists and
 * MAX_RARE_POSTINGS postings, so that however many rare words a client names, the
 * common terms (where the time goes) still find room. Past a budget, terms stay
 * Xapian's; up to MAX_TERMS verdicts "not dense" and term counts are kept. A term
 * no passage holds is an empty list, outside the budgets: a search never opens it
 * in the index. */
class Cache {
  public:
    /* A rare term's list from memory saves opening it in the index (a descent of
     * its B-tree, a pread a block) on every search; bench/search_latency, 1 against
     * 2,000 interleaved: the 89 queries' median on the corpus 741-780 -> 495-503 us,
     * x100 872-1236 -> 705-906 us, x1000 3-4 % lower. */
    static const Xapian::doccount MIN_POSTINGS = 1;
    static const Xapian::doccount COMMON_POSTINGS = 2000;
    static const size_t MAX_POSTINGS = 64u << 20;
    static const size_t MAX_RARE_LISTS = 1u << 16;
    static const size_t MAX_RARE_POSTINGS = 8u << 20;
    static const size_t MAX_TERMS = 1u << 16;
    static const size_t MAX_UNION_POSTINGS = 16u << 20;

    Cache();

    /* Whether any term of db can be dense: WENSOU_DENSE_POSTINGS is not 0 and db
     * has that many passages (a small index costs nothing). */
    bool could_hold(const Xapian::Database &db) const { return min_postings != 0 && db.get_doccount() >= min_postings; }

    /* Empties the cache when db is at another revision than the one it holds. */
    void sync(const Xapian::Database &db);

    /* What names the revision held (the index's UUID and revision), once synced. */
    const std::string &revision_held() const { return revision; }

    /* The term's list when it is dense in db (read now if need be), else null. */
    std::shared_ptr<const List> get(const Xapian::Database &db, const std::string &term);

    /* The term's list when it is held already (this revision's: sync first), else
     * null: nothing is read. */
    std::shared_ptr<const List> held(const std::string &term) const
    {
        auto it = lists.find(term);
        return it == lists.end() ? nullptr : it->second;
    }

    /* The union of the lists of every term that begins with prefix (each passage
     * once, its wdfs summed, weighed_as Xapian's synonym of them), read on first use
     * and held for the revision (null when its terms' postings would pass
     * MAX_UNION_POSTINGS, or when db's docids are more gaps than passages, 4 to 1: a
     * slot per docid adds them up; null and not remembered when this match has read
     * MAX_UNION_READS already): a one-character unit walks one list, where Xapian's
     * wildcard opens every term's (的 at x1000 on distinct documents: 1,337 lists).
     * Unions have a budget of their own, so that a client asking for many
     * characters leaves the common terms' room alone. */
    std::shared_ptr<const List> prefix_union(const Xapian::Database &db, const std::string &prefix);

    /* A match (one realise) reads at most this many unions (one another thread
     * read is not counted); its other prefixes stay Xapian's wildcards until a
     * later match reads them: a query of many characters cannot hold a worker for
     * a read of each (some 20 ms at x1000) before its deadline is first checked. */
    static const unsigned MAX_UNION_READS = 2;

    /* Starts a match's count of the unions it read. */
    void begin_match() { union_reads = 0; }

    /* The passages of db holding the term: its list's length when held, else db's
     * count, remembered for the revision (up to MAX_TERMS counts): query building
     * asks for the same terms' counts on every search. */
    Xapian::doccount termfreq(const Xapian::Database &db, const std::string &term);

  private:
    Xapian::doccount min_postings;
    std::string revision;                                    // uuid:revision of what is held
    std::unordered_map<std::string, std::shared_ptr<const List>> lists;   // the dense terms read
    std::unordered_map<std::string, std::shared_ptr<const List>> unions;  // prefix_union's, by prefix (null: no room)
    std::unordered_set<std::string> sparse;                  // terms found not dense (or no room)
    std::unordered_map<std::string, Xapian::doccount> freqs; // terms' counts asked for (termfreq)
    size_t postings = 0;                                     // common terms' postings held
    size_t rare_lists = 0, rare_postings = 0;                // rarer terms' lists and postings held
    size_t union_postings = 0;                               // unions' postings held
    unsigned union_reads = 0;                                // unions this match read (MAX_UNION_READS)
};

/* The passage count Xapian 1.4 weighs a synonym of terms by, those terms' counts
 * given in its order (a wildcard's: the terms' own): its tree of ORs built as
 * OrContext builds it (the two lists of fewest passages joined first, by
 * libstdc++'s heap), each OR estimated as independent, P(l) + P(r) - P(l)P(r) of
 * n passages, and rounded. */
Xapian::doccount synonym_termfreq(const std::vector<Xapian::doccount> &termfreqs, Xapian::doccount n);

/* How a query was built, kept beside it so that a search can build it again with
 * its dense terms served from memory: a term, an operator over recipes, a weight
 * scale, a prefix (its terms' union), or a query kept as
 * it is (a value range, an operator that needs_terms). */
struct Recipe {
    enum Kind { FIXED, TERM, COMBINE, SCALE, PREFIX } kind = FIXED;
    Xapian::Query fixed;                                 /* FIXED; PREFIX: Xapian's wildcard */
    std::string term;                                    /* TERM; PREFIX: the prefix */
    Xapian::termcount wqf = 1, pos = 0;
    Xapian::Query::op op = Xapian::Query::OP_OR;         /* COMBINE */
    Xapian::termcount window = 0;
    double factor = 1;                                   /* SCALE */
    std::vector<std::shared_ptr<const Recipe>> subs;     /* COMBINE, SCALE */
};

/* BM25Weight::init's term weight (no relevance set, wqf 1) for a term held by tf of
 * n passages, with the scale factor folded in where Xapian folds it (so the
 * arithmetic is Xapian's to the last bit). */
double term_weight(double n, double tf, double factor, const Bm25 &p);

/* Operators whose subqueries must be Xapian's own terms: positions (a posting
 * source has none: Xapian would match nothing) or wdf summed across them. Their
 * recipes are FIXED. */
bool needs_terms(Xapian::Query::op op);

/* The recipe's query over db, each dense term (weighed once: wqf 1) through its list from
 * cache, weighed with p when weighted, else 0; *used: whether any was. When none
 * would be, an empty query (*used false: search the query as built). */
Xapian::Query realise(const Recipe &r, const Xapian::Database &db, Cache &cache, const Bm25 &p, bool weighted,
                      bool *used);

} // namespace dense

#endif
