// xsh.cc — the C API of xsh.h over libxapian 1.4: the only C++ in the tree.
// Every extern "C" body runs inside guarded(), which turns each Xapian exception
// into a status code and a message, so nothing is thrown across the C boundary.
#include "xsh.h"
#include "dense.h"
#include "ranges.h"
#include "values.h"
#include "schema.h"

#include <xapian.h>

#include <sys/stat.h>
#include <time.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <vector>

struct xsh_db {
    std::unique_ptr<Xapian::Database> db;           // the writable one too, as its base class
    Xapian::WritableDatabase *wdb = nullptr;        // same object when writable
    std::string path;
    std::string version_file;                       // <path>/iamglass: a commit replaces it
    struct stat seen {};                            // it when last (re)opened
    struct stat dir {};                             // the index folder when opened
    std::string uuid;                               // the index's, when opened
    unsigned generation = 0;                        // fresh opens after a replacement
    /* A shard set (a stub listing several indexes, or remote ones): db searches them
     * as one, shards holds each alone (its metadata, its docids). */
    std::vector<Xapian::Database> shards;
    bool sharded = false;
    bool broken = false;                            // a shard stopped answering: reopen all
    dense::Cache dense;                             // its terms' lists in memory (one local index)
    values::Cache values;                           // its candidates' values verified, in memory (same)
    bool keep_dense = false;                        // searches use both (xsh_db_keep_dense)
};

namespace {
bool stat_version(const xsh_db *db, struct stat *st)
{
    return !db->version_file.empty() && stat(db->version_file.c_str(), st) == 0;
}

/* One shard of a shard set: a local index or stub, or a remote index. */
struct ShardSpec {
    std::string path;                              // local: a glass folder
    std::string host;                              // remote: xapian-tcpsrv's host and port
    unsigned port = 0;
};

/* Whether path is a stub database: a file, or a folder holding XAPIANDB and no index. */
bool is_stub(const std::string &path, std::string *file)
{
    struct stat st;
    if (stat(path.c_str(), &st) != 0)
        return false;
    if (S_ISREG(st.st_mode)) {
        *file = path;
        return true;
    }
    struct stat glass, stub;
    if (S_ISDIR(st.st_mode) && stat((path + "/iamglass").c_str(), &glass) != 0
        && stat((path + "/XAPIANDB").c_str(), &stub) == 0 && S_ISREG(stub.st_mode)) {
        *file = path + "/XAPIANDB";
        return true;
    }
    return false;
}

#define MAX_SHARDS 1024         /* a set's shards at most: each holds files open */
#define MAX_STUB_LINES 100000   /* lines read over a stub and all it nests */
/* The B-tree block of a new index (Xapian's default is 8 KB). Xapian reads a whole
 * block for every posting list a query opens, and a search opens dozens: with 4 KB
 * the corpus answers its keyword queries in 94 us against 122-192 us, and the corpus
 * x100 all queries in 1.36-1.39 ms against 1.45-1.48 ms; at x1000, where dense
 * posting lists are read whole, 4.7-5.2 ms against 4.7 ms (3 interleaved runs each,
 * session 12; docs/DESIGN.md). An index keeps the block size it was made with. */
#define BLOCK_BYTES 4096

/* The shards a stub file lists, in order, nested stubs flattened (at most 8 deep:
 * a stub naming itself ends there; at most MAX_SHARDS; lines counts those read, at
 * most MAX_STUB_LINES). Xapian's stub format, one shard a line: "auto PATH" or
 * "glass PATH" (relative to the stub's folder), "remote HOST:PORT" (xapian-tcpsrv),
 * also written "remote tcp HOST PORT"; # starts a comment. Throws
 * DatabaseOpeningError naming the line it cannot take. */
void parse_stub(const std::string &file, int depth, std::vector<ShardSpec> &out, size_t &lines)
{
    if (depth > 8)
        throw Xapian::DatabaseOpeningError(file + ": stubs nested more than 8 deep (a loop?)");
    FILE *f = std::fopen(file.c_str(), "r");
    if (!f)
        throw Xapian::DatabaseOpeningError(file + ": cannot read the stub", errno);
    std::unique_ptr<FILE, int (*)(FILE *)> closer(f, std::fclose);
    const std::string dir = file.substr(0, file.find_last_of('/') + 1);
    char line[4096];
    for (unsigned no = 1; std::fgets(line, sizeof line, f); no++) {
        if (++lines > MAX_STUB_LINES)
            throw Xapian::DatabaseOpeningError(file + ": stubs of more than " + std::to_string(MAX_STUB_LINES) + " lines");
        if (!std::strchr(line, '\n') && !std::feof(f))
            throw Xapian::DatabaseOpeningError(file + ":" + std::to_string(no) + ": a line over 4 KB, or with a NUL byte");
        char type[32], a[2048], b[2048], c[64];
        int fields = std::sscanf(line, " %31s %2047s %2047s %63s", type, a, b, c);
        if (fields <= 0 || type[0] == '#')
            continue;
        const std::string where = file + ":" + std::to_string(no);
        if (out.size() >= MAX_SHARDS)
            throw Xapian::DatabaseOpeningError(where + ": more than " + std::to_string(MAX_SHARDS) + " shards");
        ShardSpec spec;
        if (std::strcmp(type, "remote") == 0) {
            std::string hostport = fields == 4 && std::strcmp(a, "tcp") == 0 ? std::string(b) + ":" + c
                                   : fields == 2                            ? std::string(a) : std::string();
            size_t colon = hostport.find_last_of(':');
            char *end = nullptr;
            unsigned long port = colon == std::string::npos ? 0 : std::strtoul(hostport.c_str() + colon + 1, &end, 10);
            if (colon == std::string::npos || colon == 0 || !end || *end || port == 0 || port > 65535)
                throw Xapian::DatabaseOpeningError(where + ": a remote shard is \"remote HOST:PORT\"");
            spec.host = hostport.substr(0, colon);
            spec.port = static_cast<unsigned>(port);
            out.push_back(spec);
            continue;
        }
        if ((std::strcmp(type, "auto") != 0 && std::strcmp(type, "glass") != 0) || fields != 2)
            throw Xapian::DatabaseOpeningError(where + ": not a shard (auto PATH, glass PATH or remote HOST:PORT)");
        spec.path = a[0] == '/' ? std::string(a) : dir + a;
        std::string nested;
        if (is_stub(spec.path, &nested))
            parse_stub(nested, depth + 1, out, lines);
        else
            out.push_back(spec);
    }
}

/* The shards the stub file lists (parse_stub from its top). */
std::vector<ShardSpec> list_shards(const std::string &stub)
{
    std::vector<ShardSpec> specs;
    size_t lines = 0;
    parse_stub(stub, 0, specs, lines);
    return specs;
}

/* Seconds a remote shard may take to connect or to answer: WENSOU_SHARD_TIMEOUT, else 10. */
unsigned shard_timeout_ms()
{
    const char *v = std::getenv("WENSOU_SHARD_TIMEOUT");
    char *end = nullptr;
    double s = v && *v ? std::strtod(v, &end) : 10;
    if (!v || !*v || !end || *end || !(s > 0) || s > 86400)
        s = 10;
    return static_cast<unsigned>(s * 1000 + 0.5);
}

bool remote_allowed = false;                       /* xsh_allow_remote_shards */

/* Opens the shards the stub file lists, each alone and all as one. */
void open_shards(xsh_db *db, const std::string &stub)
{
    const std::vector<ShardSpec> specs = list_shards(stub);
    if (specs.empty())
        throw Xapian::DatabaseOpeningError(stub + ": a stub that lists no shard");
    for (const auto &spec : specs)
        if (spec.port && !remote_allowed)
            throw Xapian::InvalidArgumentError(stub + " names a remote shard (" + spec.host + ":" +
                                               std::to_string(spec.port) + "): connect to it with --remote-shards");
    std::vector<Xapian::Database> shards;
    Xapian::Database all;
    bool remote = false;
    const unsigned timeout = shard_timeout_ms();
    for (const auto &spec : specs) {
        if (spec.port) {
            shards.push_back(Xapian::Remote::open(spec.host, spec.port, timeout, timeout));
            remote = true;
        } else {
            try {
                shards.push_back(Xapian::Database(spec.path));
            } catch (const Xapian::DatabaseNotFoundError &) {   /* the stub is there: not "no index" */
                throw Xapian::DatabaseOpeningError("its shard " + spec.path +
                                                   " is not there or is not an index: index it or take it out "
                                                   "of the stub");
            }
        }
        all.add_database(shards.back());
    }
    db->db.reset(new Xapian::Database(all));
    db->shards = std::move(shards);
    db->sharded = remote || db->shards.size() > 1;
    db->broken = false;
}

/* Opens the database at db->path for reading into db, noting what tells a
 * replacement apart later: the version file and the folder (before opening, so a
 * commit in between is seen as one), and the UUID. Returns whether the version file
 * was there. Throws as Xapian does, leaving db as it was. */
bool open_reader(xsh_db *db)
{
    std::string stub;
    if (is_stub(db->path, &stub)) {
        open_shards(db, stub);
        return false;                               /* no version file: reopen on every refresh */
    }
    struct stat seen {}, dir {};
    bool versioned = stat_version(db, &seen);
    stat(db->path.c_str(), &dir);
    std::unique_ptr<Xapian::Database> fresh(new Xapian::Database(db->path));
    std::string uuid = fresh->get_uuid();
    db->seen = seen;                               /* nothing changes unless it opened */
    db->dir = dir;
    db->uuid = uuid;
    db->db = std::move(fresh);
    db->shards.clear();
    db->sharded = false;
    return versioned;
}

/* Thrown by a decider or spy when the search's deadline passed; guarded() turns
 * it into XSH_ETIMEOUT. */
struct DeadlinePassed {};

uint64_t monotonic_ns()
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

/* Checks a deadline every few calls (0: none). */
class Deadline {
  public:
    explicit Deadline(uint64_t at_ns) : at_(at_ns) {}
    void check()
    {
        if (at_ && (++calls_ & 15) == 0 && monotonic_ns() > at_)
            throw DeadlinePassed();
    }

  private:
    uint64_t at_;
    unsigned calls_ = 0;
};
/* Xapian 1.4 can throw from a destructor while unwinding a failed commit (a disk
 * filling up), which ends in std::terminate: say so in one line and exit 1. The
 * index keeps its last commit (a commit is atomic). */
[[noreturn]] void on_terminate()
{
    std::string why = "an error while recovering from an error";
    try {
        if (std::exception_ptr e = std::current_exception())
            std::rethrow_exception(e);
    } catch (const Xapian::Error &e) {
        why = e.get_msg();
        if (e.get_error_string())
            why += std::string(": ") + e.get_error_string();
    } catch (const std::exception &e) {
        why = e.what();
    } catch (...) {
    }
    std::fprintf(stderr, "wensou: the index could not be written (%s); it keeps its last commit\n", why.c_str());
    std::_Exit(1);
}
} // namespace

struct xsh_doc {
    Xapian::Document doc;
};

struct xsh_query {
    Xapian::Query q;
    std::shared_ptr<const dense::Recipe> r;      /* how q was built (null: as q stands) */
};

namespace {

int set_err(xsh_err *err, int code, const std::string &msg)
{
    if (err) {
        err->code = code;
        std::snprintf(err->msg, sizeof err->msg, "%s", msg.c_str());
    }
    return code;
}

std::string describe(const Xapian::Error &e)
{
    std::string m = e.get_msg();
    if (!e.get_context().empty())
        m += " (" + e.get_context() + ")";
    const char *sys = e.get_error_string();      /* the errno behind it, e.g. "No space left on device" */
    if (sys && *sys && m.find(sys) == std::string::npos)
        m += std::string(": ") + sys;
    return m;
}

bool disk_full(const Xapian::Error &e)
{
    const char *sys = e.get_error_string();
    return (sys && std::strstr(sys, "No space left")) || e.get_msg().find("No space left") != std::string::npos;
}

template <typename F> int guarded(xsh_err *err, F f)
{
    try {
        f();
        if (err) {
            err->code = XSH_EOK;
            err->msg[0] = 0;
        }
        return XSH_EOK;
    } catch (const Xapian::DatabaseModifiedError &e) {
        return set_err(err, XSH_EMODIFIED, "the index changed while reading it: " + describe(e));
    } catch (const Xapian::DatabaseLockError &e) {
        return set_err(err, XSH_ELOCKED, "index is locked by another process");
    } catch (const Xapian::DatabaseCorruptError &e) {
        return set_err(err, XSH_ECORRUPT, "index is corrupt: " + describe(e));
    } catch (const Xapian::DatabaseNotFoundError &e) {
        return set_err(err, XSH_ENOTFOUND, "no index there: " + describe(e));
    } catch (const Xapian::DocNotFoundError &e) {
        return set_err(err, XSH_ENOTFOUND, "no such document: " + describe(e));
    } catch (const Xapian::DatabaseVersionError &e) {
        return set_err(err, XSH_EVERSION, "index of an unsupported format: " + describe(e));
    } catch (const Xapian::NetworkTimeoutError &e) {
        return set_err(err, XSH_ENETWORK, "a shard did not answer in time: " + describe(e));
    } catch (const Xapian::NetworkError &e) {
        return set_err(err, XSH_ENETWORK, "a shard cannot be reached: " + describe(e));
    } catch (const Xapian::DatabaseError &e) {
        return set_err(err, disk_full(e) ? XSH_ENOSPACE : XSH_EIO, describe(e));
    } catch (const Xapian::InvalidArgumentError &e) {
        return set_err(err, XSH_EINVAL, describe(e));
    } catch (const Xapian::InvalidOperationError &e) {
        return set_err(err, XSH_EINVAL, describe(e));
    } catch (const Xapian::RangeError &e) {
        return set_err(err, XSH_EINVAL, describe(e));
    } catch (const Xapian::Error &e) {
        return set_err(err, XSH_EOTHER, std::string(e.get_type()) + ": " + describe(e));
    } catch (const DeadlinePassed &) {
        return set_err(err, XSH_ETIMEOUT, "the search ran past its time limit");
    } catch (const std::bad_alloc &) {
        return set_err(err, XSH_ENOMEM, "out of memory");
    } catch (const std::exception &e) {
        return set_err(err, XSH_EOTHER, e.what());
    } catch (...) {
        return set_err(err, XSH_EOTHER, "unknown error");
    }
}

char *dup_string(const std::string &s)
{
    char *p = static_cast<char *>(std::malloc(s.size() + 1));
    if (!p)
        throw std::bad_alloc();
    std::memcpy(p, s.data(), s.size());
    p[s.size()] = 0;
    return p;
}

int writable(xsh_db *db, xsh_err *err)
{
    if (!db || !db->wdb)
        return set_err(err, XSH_EINVAL, "the index is open for reading only");
    return XSH_EOK;
}

Xapian::Query::op to_xapian(xsh_op op)
{
    switch (op) {
    case XSH_OP_AND: return Xapian::Query::OP_AND;
    case XSH_OP_OR: return Xapian::Query::OP_OR;
    case XSH_OP_AND_NOT: return Xapian::Query::OP_AND_NOT;
    case XSH_OP_AND_MAYBE: return Xapian::Query::OP_AND_MAYBE;
    case XSH_OP_FILTER: return Xapian::Query::OP_FILTER;
    case XSH_OP_PHRASE: return Xapian::Query::OP_PHRASE;
    case XSH_OP_NEAR: return Xapian::Query::OP_NEAR;
    case XSH_OP_SYNONYM: return Xapian::Query::OP_SYNONYM;
    case XSH_OP_ELITE_SET: return Xapian::Query::OP_ELITE_SET;
    case XSH_OP_MAX: return Xapian::Query::OP_MAX;
    }
    throw Xapian::InvalidArgumentError("unknown query operator");
}

/* An iterator over docids read forward as a match asks about its candidates
 * (ascending docids), so each block is read once; asked about an earlier docid,
 * it starts again. Restart makes a fresh iterator at the first docid. */
template <typename Iterator, typename Restart> class ForwardReader {
  public:
    explicit ForwardReader(Restart restart) : restart_(restart), it_(restart()) {}
    /* Positioned on did (true), or past it. */
    bool seek(Xapian::docid did)
    {
        if (did < last_)
            it_ = restart_();
        last_ = did;
        if (it_ != end_ && docid_of(it_) < did)
            it_.skip_to(did);
        return it_ != end_ && docid_of(it_) == did;
    }
    const Iterator &at() const { return it_; }

  private:
    static Xapian::docid docid_of(const Xapian::PostingIterator &it) { return *it; }
    static Xapian::docid docid_of(const Xapian::ValueIterator &it) { return it.get_docid(); }
    Restart restart_;
    Iterator it_, end_;
    Xapian::docid last_ = 0;                   /* docids start at 1 */
};

/* One value slot's values in docid order, through its own value stream
 * (Document::get_value shares one cursor among all slots and re-reads blocks
 * when slots interleave), opened on the first value not kept (kept: the
 * handle's values in memory, synced to db's revision and slot, or null). */
class ValueStream {
  public:
    ValueStream(const Xapian::Database &db, Xapian::valueno slot, values::Cache *kept) : db_(db), slot_(slot), kept_(kept) {}
    std::string get(Xapian::docid did)
    {
        if (const std::string *v = kept_ ? kept_->find(did) : nullptr)
            return *v;
        if (!reader_)
            reader_.reset(new Reader([this] { return db_.valuestream_begin(slot_); }));
        std::string v = reader_->seek(did) ? *reader_->at() : std::string();
        if (kept_)
            kept_->keep(did, v);
        return v;
    }

  private:
    using Reader = ForwardReader<Xapian::ValueIterator, std::function<Xapian::ValueIterator()>>;
    const Xapian::Database &db_;
    Xapian::valueno slot_;
    values::Cache *kept_;
    std::unique_ptr<Reader> reader_;
};

/* One term's postings, for probing candidates in docid order: its dense list when
 * the handle holds one (no list to open in the index), else Xapian's. */
class TermProbe {
  public:
    TermProbe(const Xapian::Database &db, const std::string &term, std::shared_ptr<const dense::List> list)
        : list_(std::move(list))
    {
        if (!list_)
            reader_.reset(new Reader([&db, term] { return db.postlist_begin(term); }));
    }
    bool has(Xapian::docid did)
    {
        if (reader_)
            return reader_->seek(did);
        if (did < last_)
            at_ = 0;                                 /* an earlier docid: from the start */
        last_ = did;
        at_ = dense::seek(*list_, at_, did);
        return at_ < list_->ids.size() && list_->ids[at_] == did;
    }

  private:
    using Reader = ForwardReader<Xapian::PostingIterator, std::function<Xapian::PostingIterator()>>;
    std::shared_ptr<const dense::List> list_;
    std::unique_ptr<Reader> reader_;
    size_t at_ = 0;
    Xapian::docid last_ = 0;
};

/* A C callback as a Xapian MatchDecider: each candidate is an xsh_candidate.
 * Reading streams (postings and values in docid order; a serving handle's lists
 * and kept values from memory), or, on a shard set (by_document), each candidate's
 * own values and termlist: there a candidate is a document of one shard and its
 * docid not the set's. */
class CDecider : public Xapian::MatchDecider {
  public:
    /* held: the handle's lists and values in memory (a local index a reader keeps
     * them for), else null */
    CDecider(const Xapian::Database &db, int (*fn)(void *, xsh_candidate *), void *ctx, int slot, uint64_t deadline,
             bool by_document, xsh_db *held)
        : db_(db), fn_(fn), ctx_(ctx), slot_(slot), by_document_(by_document), deadline_(deadline), held_(held)
    {
        if (held) {                              /* no list or value of another revision */
            held->dense.sync(db);
            if (slot >= 0)
                held->values.sync(held->dense.revision_held(), static_cast<Xapian::valueno>(slot));
        }
        if (slot >= 0 && !by_document)
            values_.reset(new ValueStream(db, static_cast<Xapian::valueno>(slot), held ? &held->values : nullptr));
    }
    bool operator()(const Xapian::Document &doc) const override { return check(doc, doc.get_docid()); }
    /* doc, as did of the database searched (a shard's document knows its own docid) */
    bool check(const Xapian::Document &doc, Xapian::docid did) const;
    bool has_term(Xapian::docid did, const std::string &term)
    {
        auto it = probes_.find(term);
        if (it == probes_.end()) {
            auto list = held_ ? held_->dense.held(term) : nullptr;   /* read by the match, not here */
            it = probes_.emplace(term, std::unique_ptr<TermProbe>(new TermProbe(db_, term, std::move(list)))).first;
        }
        return it->second->has(did);
    }
    bool by_document() const { return by_document_; }
    std::string value(const Xapian::Document &doc)
    {
        if (values_)
            return values_->get(doc.get_docid());
        return slot_ >= 0 ? doc.get_value(static_cast<Xapian::valueno>(slot_)) : doc.get_data();
    }

  private:
    const Xapian::Database &db_;
    int (*fn_)(void *, xsh_candidate *);
    void *ctx_;
    int slot_;
    bool by_document_;
    std::unique_ptr<ValueStream> values_;
    std::map<std::string, std::unique_ptr<TermProbe>> probes_;
    mutable Deadline deadline_;
    xsh_db *held_;
};

/* Hands each counted document's docid to a C callback. */
class DocidSpy : public Xapian::MatchSpy {
  public:
    DocidSpy(void (*fn)(void *, unsigned), void *ctx, uint64_t deadline) : fn_(fn), ctx_(ctx), deadline_(deadline) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        deadline_.check();
        fn_(ctx_, doc.get_docid());
    }

  private:
    void (*fn_)(void *, unsigned);
    void *ctx_;
    Deadline deadline_;
};

/* Counts the documents a match's spies see, the first and latest docid, and when
 * sampling a sample of them (count_sample). */
struct SeenSpy : public Xapian::MatchSpy {
    static const size_t SAMPLE = 32;             /* checked for a share within about 9 %: 64 cost
                                                    研发 经费 0.8 ms at x1000 */
    size_t count = 0;
    Xapian::docid first = 0, last = 0;           /* a count's come in docid order */
    /* SAMPLE of those seen (all when fewer), drawn evenly from them all (reservoir
     * sampling, a fixed seed: the same search draws the same): a document's
     * passages are consecutive, so the first few would often be one document's,
     * and every k-th can fall in step with a pattern. */
    std::vector<Xapian::docid> sample;
    bool sampling = false;                       /* draw it (a count whose share is unknown) */
    void operator()(const Xapian::Document &doc, double) override
    {
        last = doc.get_docid();
        if (!first)
            first = last;
        if (sampling)
            draw(last);
        count++;
    }

  private:
    uint64_t state = 0x9E3779B97F4A7C15ull;
    /* did, the count-th seen, into the sample (reservoir: kept with odds SAMPLE / (count + 1)) */
    void draw(Xapian::docid did)
    {
        if (count < SAMPLE) {
            sample.push_back(did);
            return;
        }
        state ^= state << 13;                    /* xorshift64 */
        state ^= state >> 7;
        state ^= state << 17;
        const uint64_t j = state % (count + 1);
        if (j < SAMPLE)
            sample[j] = did;
    }
};

/* Counts the values of one slot over the documents of a match (a facet). */
class StreamCountSpy : public Xapian::MatchSpy {
  public:
    StreamCountSpy(const Xapian::Database &db, Xapian::valueno slot, uint64_t deadline)
        : values_(db, slot, nullptr), deadline_(deadline) {}
    void operator()(const Xapian::Document &doc, double) override
    {
        deadline_.check();
        std::string v = values_.get(doc.get_docid());
        if (!v.empty())
            ++counts_[v];
    }
    const std::map<std::string, size_t> &counts() const { return counts_; }

  private:
    ValueStream values_;
    std::map<std::string, size_t> counts_;
    Deadline deadline_;
};

template <typename F> xsh_query *make_query(F f)
{
    xsh_query *q = nullptr;
    guarded(nullptr, [&] { q = new xsh_query{f(), nullptr}; });
    return q;
}

/* A query with the recipe f gives beside it (f returns both). */
template <typename F> xsh_query *make_recipe_query(F f)
{
    xsh_query *q = nullptr;
    guarded(nullptr, [&] {
        auto made = f();
        q = new xsh_query{made.first, made.second};
    });
    return q;
}

/* q's recipe: its own, or q kept as it stands. */
std::shared_ptr<const dense::Recipe> recipe_of(const xsh_query *q)
{
    if (q->r)
        return q->r;
    auto r = std::make_shared<dense::Recipe>();
    r->fixed = q->q;
    return r;
}

typedef std::pair<Xapian::Query, std::shared_ptr<const dense::Recipe>> Made;

} // namespace

struct xsh_candidate {
    CDecider *decider;
    const Xapian::Document *doc;
    Xapian::docid did;
    bool read = false, failed = false;
    std::string value;
    std::vector<std::string> terms;                /* by_document: its termlist, read once */
    bool terms_read = false;
};

namespace {

bool CDecider::check(const Xapian::Document &doc, Xapian::docid did) const
{
    xsh_candidate c;
    c.decider = const_cast<CDecider *>(this);     /* probes and streams are caches */
    c.doc = &doc;
    c.did = did;
    deadline_.check();
    return fn_(ctx_, &c) != 0;
}

} // namespace

extern "C" {

int xsh_candidate_has_term(xsh_candidate *c, const char *term, size_t len)
{
    int held = 0;
    if (guarded(nullptr, [&] {
            const std::string t(term, len);
            if (!c->decider->by_document()) {
                held = c->decider->has_term(c->did, t);
                return;
            }
            if (!c->terms_read) {                /* one read of a remote document's terms */
                c->terms.assign(c->doc->termlist_begin(), c->doc->termlist_end());
                c->terms_read = true;
            }
            held = std::binary_search(c->terms.begin(), c->terms.end(), t);
        }))
        return 0;
    return held;
}

const char *xsh_candidate_value(xsh_candidate *c, size_t *len)
{
    if (!c->read) {
        c->read = true;
        c->failed = guarded(nullptr, [&] { c->value = c->decider->value(*c->doc); }) != XSH_EOK;
    }
    *len = c->failed ? 0 : c->value.size();
    return c->failed ? nullptr : c->value.data();
}

unsigned xsh_candidate_docid(const xsh_candidate *c)
{
    return c->did;
}

int xsh_candidate_text_first(const xsh_candidate *c)
{
    return c->decider->by_document();
}

const char *xsh_strerror(int code)
{
    switch (code) {
    case XSH_EOK: return "success";
    case XSH_EMODIFIED: return "the index changed while reading it";
    case XSH_ELOCKED: return "index is locked by another process";
    case XSH_ECORRUPT: return "index is corrupt";
    case XSH_ENOTFOUND: return "not found";
    case XSH_EVERSION: return "index of another version";
    case XSH_EINVAL: return "invalid argument";
    case XSH_ENOMEM: return "out of memory";
    case XSH_EIO: return "index error";
    case XSH_ETIMEOUT: return "the search ran past its time limit";
    case XSH_ENOSPACE: return "no space left on device";
    }
    return "error";
}

/* Xapian merges its buffered postings into the index every XAPIAN_FLUSH_THRESHOLD
 * documents (10,000 by default), read from the environment as a writer opens.
 * Passages are small, and a smaller buffer stays in the CPU's caches: the corpus
 * x100 indexes in 13.2 s at 2,000 against 15.7 s at 10,000 (medians of 3
 * interleaved runs), with the same bytes written. A large batch (XSH_LARGE) is
 * merged every 8,000 instead and rewrites its B-tree leaves fewer times: at x1000,
 * pairs alternating, distinct documents 2.65x, 2.70x, 2.54x the index written
 * against 3.14x, 2.85x, 3.06x; copies 2.47x, 2.61x against 2.70x, 2.67x, CPU time
 * within the runs' noise. Chosen for each writer (one run writes shards of
 * different sizes in turn); a value set before the first writer opened is the
 * user's and stays. */
static void choose_flush_threshold(bool large)
{
    static const bool users = getenv("XAPIAN_FLUSH_THRESHOLD") != nullptr;   /* before any setenv of ours */
    if (!users)
        setenv("XAPIAN_FLUSH_THRESHOLD", large ? "8000" : "2000", 1);
}

int xsh_db_exists(const char *path)
{
    try {
        struct stat st;
        std::string stub;
        return path && (stat((std::string(path) + "/iamglass").c_str(), &st) == 0 || is_stub(path, &stub));
    } catch (const std::bad_alloc &) {
        return 0;                            /* out of memory: the caller's open will say so */
    }
}

int xsh_db_open(const char *path, int flags, xsh_db **out, xsh_err *err)
{
    *out = nullptr;
    if (!path)
        return set_err(err, XSH_EINVAL, "no index path");
    return guarded(err, [&] {
        std::string stub;
        if ((flags & XSH_WRITE) && is_stub(path, &stub))
            throw Xapian::InvalidArgumentError("a shard set is written one shard at a time (wensou index does)");
        std::unique_ptr<xsh_db> h(new xsh_db);
        if (flags & XSH_WRITE) {
            std::set_terminate(on_terminate);
            /* writers open on several threads (a batch in parts): the environment
             * set and Xapian's read of it, one writer at a time */
            static std::mutex opening;
            std::lock_guard<std::mutex> one_at_a_time(opening);
            choose_flush_threshold(flags & XSH_LARGE);
            auto *w = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN, BLOCK_BYTES);
            h->db.reset(w);
            h->wdb = w;
        } else {
            h->path = path;
            h->version_file = std::string(path) + "/iamglass";
            if (!open_reader(h.get()))
                h->version_file.clear();         /* not a glass folder (a stub): reopen on every refresh */
        }
        *out = h.release();
    });
}

void xsh_allow_remote_shards(int allow)
{
    remote_allowed = allow != 0;
}

int xsh_stub_shards(const char *path, char ***paths, size_t *n, xsh_err *err)
{
    *paths = nullptr;
    *n = 0;
    bool found = true;
    int rc = guarded(err, [&] {
        std::string stub;
        if (!path || !is_stub(path, &stub)) {
            found = false;
            return;
        }
        std::vector<ShardSpec> specs;
        try {
            specs = list_shards(stub);
        } catch (const Xapian::DatabaseError &e) {
            throw Xapian::InvalidArgumentError(describe(e));
        }
        for (const auto &spec : specs)
            if (spec.port)
                throw Xapian::InvalidArgumentError(stub + ": a remote shard is written where it is served");
        char **out = static_cast<char **>(std::calloc(specs.size() ? specs.size() : 1, sizeof *out));
        if (!out)
            throw std::bad_alloc();
        for (size_t i = 0; i < specs.size(); i++) {
            try {
                out[i] = dup_string(specs[i].path);
            } catch (const std::bad_alloc &) {
                while (i--)
                    std::free(out[i]);
                std::free(out);
                throw;
            }
        }
        *paths = out;
        *n = specs.size();
    });
    if (rc == XSH_EOK && !found)
        return set_err(err, XSH_ENOTFOUND, "not a shard set");
    return rc;
}

void xsh_db_close(xsh_db *db)
{
    if (!db)
        return;
    guarded(nullptr, [&] {
        if (db->wdb)
            db->wdb->close();
    });
    delete db;
}

void xsh_db_discard(xsh_db *db)
{
    if (!db)
        return;
    guarded(nullptr, [&] {
        if (db->wdb) {
            db->wdb->begin_transaction(false);   /* cancelled at close, with what came before it */
            db->wdb->close();
        }
    });
    guarded(nullptr, [&] { db->db.reset(); });
    delete db;
}

int xsh_db_reopen(xsh_db *db, xsh_err *err)
{
    stat_version(db, &db->seen);
    return guarded(err, [&] { db->db->reopen(); });
}

/* Opens the index at db->path afresh: it was replaced by another one. */
static int open_fresh(xsh_db *db, xsh_err *err)
{
    return guarded(err, [&] {
        open_reader(db);
        db->generation++;
    });
}

int xsh_db_refresh(xsh_db *db, xsh_err *err)
{
    struct stat st, dir;
    if (db->broken)
        return open_fresh(db, err);                  /* a shard failed: connect to every one again */
    if (db->wdb || db->version_file.empty())
        return xsh_db_reopen(db, err);
    if (stat(db->path.c_str(), &dir) != 0 || !stat_version(db, &st))
        return set_err(err, XSH_ENOTFOUND, "no index there any more: " + db->path);
    if (dir.st_ino != db->dir.st_ino || dir.st_dev != db->dir.st_dev)
        return open_fresh(db, err);                  /* another folder moved in */
    if (st.st_ino == db->seen.st_ino && st.st_size == db->seen.st_size
        && st.st_mtim.tv_sec == db->seen.st_mtim.tv_sec && st.st_mtim.tv_nsec == db->seen.st_mtim.tv_nsec) {
        if (err) {
            err->code = XSH_EOK;
            err->msg[0] = 0;
        }
        return XSH_EOK;                              /* no commit since */
    }
    int rc = xsh_db_reopen(db, err);
    std::string uuid;
    if (rc == XSH_EOK && guarded(err, [&] { uuid = db->db->get_uuid(); }) == XSH_EOK && uuid == db->uuid)
        return XSH_EOK;
    return open_fresh(db, err);                      /* another index copied over this one */
}

void xsh_db_mark_stale(xsh_db *db)
{
    if (db)
        db->seen = {};
}

unsigned xsh_db_generation(const xsh_db *db)
{
    return db->generation;
}

int xsh_db_commit(xsh_db *db, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] { db->wdb->commit(); });
}

int xsh_db_begin_transaction(xsh_db *db, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] { db->wdb->begin_transaction(false); });
}

int xsh_db_commit_transaction(xsh_db *db, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] { db->wdb->commit_transaction(); });
}

int xsh_db_cancel_transaction(xsh_db *db, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] { db->wdb->cancel_transaction(); });
}

int xsh_db_doc_count(xsh_db *db, size_t *out, xsh_err *err)
{
    return guarded(err, [&] { *out = db->db->get_doccount(); });
}

} // extern "C"

namespace {
/* The passages of db's index holding the term; a serving handle on one committed
 * local index remembers them per revision (dense::Cache::termfreq). */
Xapian::doccount term_freq(xsh_db *db, const std::string &term)
{
    if (db->keep_dense && !db->sharded && !db->wdb)
        return db->dense.termfreq(*db->db, term);
    return db->db->get_termfreq(term);
}
} // namespace

extern "C" {

int xsh_db_term_freq(xsh_db *db, const char *term, size_t *out, xsh_err *err)
{
    return guarded(err, [&] { *out = term_freq(db, term); });
}

int xsh_db_first_posting(xsh_db *db, const char *term, size_t len, unsigned *out, xsh_err *err)
{
    return guarded(err, [&] {
        Xapian::PostingIterator it = db->db->postlist_begin(std::string(term, len));
        *out = it == db->db->postlist_end(std::string(term, len)) ? 0 : *it;
    });
}

int xsh_compact(const char *const *sources, size_t n, const char *dest, xsh_err *err)
{
    return guarded(err, [&] {
        if (n == 0)
            throw Xapian::InvalidArgumentError("nothing to compact");
        Xapian::Database all;
        for (size_t i = 0; i < n; i++)
            all.add_database(Xapian::Database(sources[i]));
        all.compact(dest, 0, BLOCK_BYTES);
    });
}

int xsh_db_prefix_postings(xsh_db *db, const char *prefix, size_t len, size_t stop_at, size_t *out, xsh_err *err)
{
    return guarded(err, [&] {
        *out = 0;
        const std::string p(prefix, len);
        for (auto t = db->db->allterms_begin(p); t != db->db->allterms_end(p) && *out <= stop_at; ++t)
            *out += t.get_termfreq();
    });
}

int xsh_db_revision(xsh_db *db, unsigned long *out, xsh_err *err)
{
    return guarded(err, [&] {
        if (db->shards.empty()) {
            *out = static_cast<unsigned long>(db->db->get_revision());
            return;
        }
        unsigned long sum = 0;                   /* each shard's: any commit on any shard changes it */
        for (auto &shard : db->shards) {
            sum += static_cast<unsigned long>(shard.get_lastdocid()) + shard.get_doccount();
            try {
                sum += static_cast<unsigned long>(shard.get_revision());
            } catch (const Xapian::UnimplementedError &) {
            }                                    /* a remote shard tells no revision */
        }
        *out = sum;
    });
}

int xsh_db_sharded(const xsh_db *db)
{
    return db->sharded;
}

size_t xsh_db_shard_count(const xsh_db *db)
{
    return db->shards.empty() ? 1 : db->shards.size();
}

unsigned xsh_db_shard_docid(const xsh_db *db, size_t shard, unsigned local_docid)
{
    const size_t n = xsh_db_shard_count(db);   /* Xapian interleaves the shards' docids */
    return static_cast<unsigned>((local_docid - 1) * n + shard + 1);
}

int xsh_db_get_metadata_from(xsh_db *db, const char *key, char **out, size_t *shard, xsh_err *err)
{
    *out = nullptr;
    if (shard)
        *shard = 0;
    return guarded(err, [&] {
        if (db->shards.empty()) {
            *out = dup_string(db->db->get_metadata(key));
            return;
        }
        for (size_t i = 0; i < db->shards.size(); i++) {
            std::string v = db->shards[i].get_metadata(key);
            if (!v.empty() || i + 1 == db->shards.size()) {
                *out = dup_string(v);
                if (shard && !v.empty())
                    *shard = i;
                return;
            }
        }
    });
}

int xsh_db_get_metadata(xsh_db *db, const char *key, char **out, xsh_err *err)
{
    return xsh_db_get_metadata_from(db, key, out, nullptr, err);
}

int xsh_db_set_metadata(xsh_db *db, const char *key, const char *value, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] { db->wdb->set_metadata(key, value ? value : ""); });
}

int xsh_db_metadata_keys(xsh_db *db, const char *prefix, int (*fn)(void *, const char *), void *ctx, xsh_err *err)
{
    return guarded(err, [&] {
        std::vector<std::string> keys;              // collected first: fn may write to the index
        if (db->shards.empty()) {
            for (auto it = db->db->metadata_keys_begin(prefix); it != db->db->metadata_keys_end(prefix); ++it)
                keys.push_back(*it);
        } else {                                    /* Xapian reads the first shard's only */
            std::set<std::string> all;
            for (auto &shard : db->shards)
                for (auto it = shard.metadata_keys_begin(prefix); it != shard.metadata_keys_end(prefix); ++it)
                    all.insert(*it);
            keys.assign(all.begin(), all.end());
        }
        for (const auto &k : keys)
            if (fn(ctx, k.c_str()))
                break;
    });
}

int xsh_db_terms(xsh_db *db, const char *prefix, int (*fn)(void *, const char *, size_t), void *ctx, xsh_err *err)
{
    return guarded(err, [&] {
        for (auto it = db->db->allterms_begin(prefix); it != db->db->allterms_end(prefix); ++it) {
            const std::string t = *it;
            if (fn(ctx, t.data(), t.size()))
                break;
        }
    });
}

xsh_doc *xsh_doc_new(void)
{
    return new (std::nothrow) xsh_doc;
}

void xsh_doc_free(xsh_doc *doc)
{
    delete doc;
}

int xsh_doc_add_posting(xsh_doc *doc, const char *term, size_t len, unsigned pos, unsigned wdf_inc)
{
    return guarded(nullptr, [&] { doc->doc.add_posting(std::string(term, len), pos, wdf_inc); });
}

int xsh_doc_add_term(xsh_doc *doc, const char *term, size_t len, unsigned wdf_inc)
{
    return guarded(nullptr, [&] { doc->doc.add_term(std::string(term, len), wdf_inc); });
}

int xsh_doc_add_boolean_term(xsh_doc *doc, const char *term, size_t len)
{
    return guarded(nullptr, [&] { doc->doc.add_boolean_term(std::string(term, len)); });
}

int xsh_doc_set_value(xsh_doc *doc, unsigned slot, const char *value, size_t len)
{
    return guarded(nullptr, [&] { doc->doc.add_value(slot, std::string(value, len)); });
}

int xsh_doc_set_data(xsh_doc *doc, const char *data, size_t len)
{
    return guarded(nullptr, [&] { doc->doc.set_data(std::string(data, len)); });
}

int xsh_db_add_document(xsh_db *db, xsh_doc *doc, unsigned *docid, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] {
        Xapian::docid id = db->wdb->add_document(doc->doc);
        if (docid)
            *docid = id;
    });
}

int xsh_db_delete_by_term(xsh_db *db, const char *term, xsh_err *err)
{
    if (int rc = writable(db, err))
        return rc;
    return guarded(err, [&] { db->wdb->delete_document(term); });
}

int xsh_db_get_data(xsh_db *db, unsigned docid, char **data, size_t *len, xsh_err *err)
{
    *data = nullptr;
    int rc = guarded(err, [&] {
        std::string d = db->db->get_document(docid).get_data();
        *data = dup_string(d);
        *len = d.size();
    });
    db->broken |= rc == XSH_ENETWORK;
    return rc;
}

/* ---- queries: constructors return NULL on failure ---- */

xsh_query *xsh_query_term(const char *term, size_t len, unsigned wqf, unsigned pos)
{
    return make_recipe_query([&] {
        auto r = std::make_shared<dense::Recipe>();
        r->kind = dense::Recipe::TERM;
        r->term.assign(term, len);
        r->wqf = wqf ? wqf : 1;
        r->pos = pos;
        return Made(Xapian::Query(r->term, r->wqf, r->pos), r);
    });
}

static thread_local xsh_db *expand_in;            /* xsh_query_expand_in's database */

void xsh_query_expand_in(xsh_db *db)
{
    expand_in = db;
}

xsh_query *xsh_query_prefix(const char *prefix, size_t len)
{
    return make_recipe_query([&] {
        auto r = std::make_shared<dense::Recipe>();
        r->kind = dense::Recipe::PREFIX;
        r->term.assign(prefix, len);
        if (!expand_in) {
            r->fixed = Xapian::Query(Xapian::Query::OP_WILDCARD, r->term, 0, Xapian::Query::WILDCARD_LIMIT_ERROR,
                                     Xapian::Query::OP_SYNONYM);
        } else {
            std::vector<Xapian::Query> terms;
            const Xapian::Database &db = *expand_in->db;
            for (auto t = db.allterms_begin(r->term); t != db.allterms_end(r->term); ++t)
                terms.emplace_back(*t);
            r->fixed = Xapian::Query(Xapian::Query::OP_SYNONYM, terms.begin(), terms.end());
        }
        return Made(r->fixed, r);
    });
}

xsh_query *xsh_query_match_all(void)
{
    return make_query([] { return Xapian::Query(Xapian::Query::MatchAll); });
}

xsh_query *xsh_query_match_nothing(void)
{
    return make_query([] { return Xapian::Query(Xapian::Query::MatchNothing); });
}

xsh_query *xsh_query_combine(xsh_op op, xsh_query *const *subs, size_t n, unsigned window)
{
    return make_recipe_query([&] {
        auto r = std::make_shared<dense::Recipe>();
        r->kind = dense::Recipe::COMBINE;
        r->op = to_xapian(op);
        r->window = window;
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            if (subs[i]) {
                v.push_back(subs[i]->q);
                r->subs.push_back(recipe_of(subs[i]));
            }
        Xapian::Query built(r->op, v.begin(), v.end(), window);
        if (dense::needs_terms(r->op)) {             /* kept as built, whatever its terms */
            r->kind = dense::Recipe::FIXED;
            r->subs.clear();
            r->fixed = built;
        }
        return Made(built, r);
    });
}

xsh_query *xsh_query_scale(const xsh_query *q, double factor)
{
    return make_recipe_query([&] {
        auto r = std::make_shared<dense::Recipe>();
        r->kind = dense::Recipe::SCALE;
        r->factor = factor;
        r->subs.push_back(recipe_of(q));
        return Made(Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), r);
    });
}

} // extern "C"

namespace {
/* Passages that can match q at most, as xsh_query_rarest counts them. */
Xapian::doccount rarity(xsh_db *db, const Xapian::Query &q)
{
    switch (q.get_type()) {
    case Xapian::Query::LEAF_TERM: {
        auto t = q.get_terms_begin();
        return t == q.get_terms_end() ? db->db->get_doccount() : term_freq(db, *t);
    }
    case Xapian::Query::OP_AND: {
        Xapian::doccount least = db->db->get_doccount();
        for (size_t i = 0; i < q.get_num_subqueries(); i++)
            least = std::min(least, rarity(db, q.get_subquery(i)));
        return least;
    }
    case Xapian::Query::OP_SCALE_WEIGHT:
        return q.get_num_subqueries() ? rarity(db, q.get_subquery(0)) : db->db->get_doccount();
    default:
        return db->db->get_doccount();
    }
}

/* Which k of qs are rarest in db (their indexes), ties and the result in qs's order. */
std::vector<size_t> rarest_of(xsh_db *db, const std::vector<Xapian::Query> &qs, size_t k)
{
    std::vector<std::pair<Xapian::doccount, size_t>> by_rarity;
    for (size_t i = 0; i < qs.size(); i++)
        by_rarity.emplace_back(rarity(db, qs[i]), i);
    std::stable_sort(by_rarity.begin(), by_rarity.end(),
                     [](const std::pair<Xapian::doccount, size_t> &a, const std::pair<Xapian::doccount, size_t> &b) {
                         return a.first < b.first;
                     });
    if (by_rarity.size() > k)
        by_rarity.resize(k);
    std::sort(by_rarity.begin(), by_rarity.end(),
              [](const std::pair<Xapian::doccount, size_t> &a, const std::pair<Xapian::doccount, size_t> &b) {
                  return a.second < b.second;
              });
    std::vector<size_t> chosen;
    for (const auto &r : by_rarity)
        chosen.push_back(r.second);
    return chosen;
}

/* Whether each of qs has the kind its recipe says (a term: that term), one level down. */
bool same_shape(const std::vector<Xapian::Query> &qs, const std::vector<std::shared_ptr<const dense::Recipe>> &recipes)
{
    for (size_t i = 0; i < qs.size(); i++) {
        const dense::Recipe &r = *recipes[i];
        const Xapian::Query &q = qs[i];
        switch (r.kind) {
        case dense::Recipe::TERM:
            if (q.get_type() != Xapian::Query::LEAF_TERM || q.get_terms_begin() == q.get_terms_end() ||
                *q.get_terms_begin() != r.term)
                return false;
            break;
        case dense::Recipe::COMBINE:
            if (q.get_type() != r.op || q.get_num_subqueries() != r.subs.size())
                return false;
            break;
        case dense::Recipe::SCALE:
            if (q.get_type() != Xapian::Query::OP_SCALE_WEIGHT)
                return false;
            break;
        case dense::Recipe::FIXED:
        case dense::Recipe::PREFIX:
            break;
        }
    }
    return true;
}

/* The OR (or AND) of the chosen of qs, with its recipe from theirs (none given:
 * the result kept as it stands). */
Made chosen_of(Xapian::Query::op op, const std::vector<Xapian::Query> &qs,
               const std::vector<std::shared_ptr<const dense::Recipe>> &recipes, const std::vector<size_t> &chosen)
{
    std::vector<Xapian::Query> v;
    auto r = std::make_shared<dense::Recipe>();
    r->kind = dense::Recipe::COMBINE;
    r->op = op;
    for (size_t i : chosen) {
        v.push_back(qs[i]);
        if (!recipes.empty())
            r->subs.push_back(recipes[i]);
    }
    Xapian::Query q(op, v.begin(), v.end());
    if (recipes.empty()) {
        r->kind = dense::Recipe::FIXED;
        r->fixed = q;
    }
    return Made(q, r);
}
} // namespace

extern "C" {

xsh_query *xsh_query_rarest(xsh_db *db, xsh_query *const *subs, size_t n, size_t k)
{
    return make_recipe_query([&] {
        std::vector<Xapian::Query> qs;
        std::vector<std::shared_ptr<const dense::Recipe>> recipes;
        for (size_t i = 0; i < n; i++)
            if (subs[i]) {
                qs.push_back(subs[i]->q);
                recipes.push_back(recipe_of(subs[i]));
            }
        return chosen_of(Xapian::Query::OP_OR, qs, recipes, rarest_of(db, qs, k));
    });
}

xsh_query *xsh_query_rarest_and(xsh_db *db, const xsh_query *q, size_t k)
{
    return make_recipe_query([&] {
        const size_t n = q->q.get_num_subqueries();
        if (q->q.get_type() != Xapian::Query::OP_AND || n <= k || k == 0)
            return Made(q->q, q->r);
        std::vector<Xapian::Query> parts;
        for (size_t i = 0; i < n; i++)
            parts.push_back(q->q.get_subquery(i));
        /* the recipe's parts are Xapian's when they are as many (else the result
         * stands as it is) */
        std::vector<std::shared_ptr<const dense::Recipe>> recipes;
        if (q->r && q->r->kind == dense::Recipe::COMBINE && q->r->op == Xapian::Query::OP_AND &&
            q->r->subs.size() == n && same_shape(parts, q->r->subs))
            recipes = q->r->subs;
        return chosen_of(Xapian::Query::OP_AND, parts, recipes, rarest_of(db, parts, k));
    });
}

xsh_query *xsh_query_copy(const xsh_query *q)
{
    return make_recipe_query([&] { return Made(q->q, q->r); });
}

void xsh_db_keep_dense(xsh_db *db, int on)
{
    if (db)
        db->keep_dense = on != 0;
}

xsh_query *xsh_query_field_word(const char *word, const xsh_field_file *files, size_t n, int by_file_term,
                                double docs, double k1, double k3)
{
    return make_query([&] {
        double tf = 0;
        for (size_t i = 0; i < n; i++)
            tf += files[i].count;
        tf = std::min(tf, docs);                        /* records that claim more than there is */
        const double termweight = std::max(0.0, dense::term_weight(docs, tf, 1.0, dense::Bm25{k1, k3, 0, 0}));
        auto weight = [&](unsigned wdf) {               /* get_sumpart's with b = 0 */
            const double wdf_double = wdf;
            return termweight * (wdf_double * (k1 + 1) / (k1 * (0.0 + 1.0) + wdf_double));
        };
        const std::string name = std::string("field ") + word;
        if (!by_file_term) {
            std::vector<ranges::Range> r;
            r.reserve(n);
            for (size_t i = 0; i < n; i++)
                r.push_back({files[i].first, files[i].count, weight(files[i].wdf)});
            return ranges::docid_ranges(std::move(r), name);
        }
        std::map<unsigned, std::vector<Xapian::Query>> by_wdf;   /* each wdf's files' F terms */
        for (size_t i = 0; i < n; i++)
            by_wdf[files[i].wdf].emplace_back(std::string(WENSOU_PREFIX_FILE) + files[i].file);
        std::vector<Xapian::Query> parts;
        for (const auto &w : by_wdf) {
            Xapian::Query fixed((new Xapian::FixedWeightPostingSource(weight(w.first)))->release());
            /* a synonym: weightless here, and one term of the query's count however many files */
            parts.emplace_back(Xapian::Query::OP_FILTER, fixed,
                               Xapian::Query(Xapian::Query::OP_SYNONYM, w.second.begin(), w.second.end()));
        }
        return Xapian::Query(Xapian::Query::OP_OR, parts.begin(), parts.end());
    });
}

xsh_query *xsh_query_docid_ranges(const unsigned *first, const unsigned *count, size_t n)
{
    return make_query([&] {
        std::vector<ranges::Range> r;
        r.reserve(n);
        for (size_t i = 0; i < n; i++)
            r.push_back({first[i], count[i], 0});
        return ranges::docid_ranges(std::move(r));
    });
}

xsh_query *xsh_query_value_range(unsigned slot, const char *lo, const char *hi)
{
    return make_query([&] {
        if (lo && hi)
            return Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, lo, hi);
        if (lo)
            return Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, lo);
        if (hi)
            return Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, hi);
        return Xapian::Query(Xapian::Query::MatchAll);
    });
}

} // extern "C"

namespace {
/* The distinct terms of q into terms; a synonym of terms only (a prefix spelled
 * out over a shard set's terms) counts once, as Xapian's wildcard does. */
void collect_terms(const Xapian::Query &q, std::set<std::string> &terms)
{
    const size_t n = q.get_num_subqueries();
    if (n == 0) {
        for (auto it = q.get_unique_terms_begin(); it != q.get_unique_terms_end(); ++it)
            terms.insert(*it);
        return;
    }
    if (q.get_type() == Xapian::Query::OP_SYNONYM) {
        bool all_terms = true;
        for (size_t i = 0; i < n && all_terms; i++)
            all_terms = q.get_subquery(i).get_type() == Xapian::Query::LEAF_TERM;
        if (all_terms) {
            auto first = q.get_subquery(0).get_terms_begin();
            terms.insert(std::string("\x01") + (first != q.get_subquery(0).get_terms_end() ? *first : ""));
            return;
        }
    }
    for (size_t i = 0; i < n; i++)
        collect_terms(q.get_subquery(i), terms);
}
/* At least the distinct terms collect_terms finds in q: a term leaf once, a synonym
 * of terms once (as collect_terms counts it), another leaf (a wildcard, a source) as
 * collect_terms counts it, an operator the sum of its parts. */
size_t count_leaves(const Xapian::Query &q)
{
    const size_t n = q.get_num_subqueries();
    if (n == 0 && q.get_type() == Xapian::Query::LEAF_TERM)
        return 1;
    if (n == 0) {
        std::set<std::string> terms;
        collect_terms(q, terms);
        return terms.size();
    }
    bool all_terms = q.get_type() == Xapian::Query::OP_SYNONYM;
    size_t leaves = 0;
    for (size_t i = 0; i < n; i++) {
        const Xapian::Query sub = q.get_subquery(i);
        all_terms = all_terms && sub.get_type() == Xapian::Query::LEAF_TERM;
        leaves += count_leaves(sub);
    }
    return all_terms ? 1 : leaves;
}
} // namespace

extern "C" {

size_t xsh_query_leaf_count(const xsh_query *q)
{
    size_t n = 0;
    if (q)
        guarded(nullptr, [&] { n = count_leaves(q->q); });
    return n;
}

size_t xsh_query_term_count(const xsh_query *q)
{
    size_t n = 0;
    if (q)
        guarded(nullptr, [&] {
            std::set<std::string> terms;
            collect_terms(q->q, terms);
            n = terms.size();
        });
    return n;
}

int xsh_query_is_empty(const xsh_query *q)
{
    return !q || q->q.empty();
}

void xsh_query_free(xsh_query *q)
{
    delete q;
}

char *xsh_query_describe(const xsh_query *q)
{
    char *s = nullptr;
    guarded(nullptr, [&] { s = dup_string(q ? q->q.get_description() : std::string("Query()")); });
    return s;
}

/* ---- searching ---- */

void xsh_search_opts_init(xsh_search_opts *o)
{
    std::memset(o, 0, sizeof *o);
    o->limit = 10;
    o->collapse_slot = -1;
    o->decider_slot = -1;
}

void xsh_result_free(xsh_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nhits; i++) {
        std::free(r->hits[i].data);
        for (size_t k = 0; k < r->hits[i].nterms; k++)
            std::free(r->hits[i].terms[k]);
        std::free(r->hits[i].terms);
    }
    std::free(r->hits);
    for (size_t i = 0; i < r->nfacets; i++) {
        for (size_t k = 0; k < r->facets[i].n; k++)
            std::free(r->facets[i].values[k].value);
        std::free(r->facets[i].values);
    }
    std::free(r->facets);
    std::free(r);
}

} // extern "C"

namespace {

/* Throws DeadlinePassed when deadline (CLOCK_MONOTONIC ns; 0: none) has passed, and
 * gives the match what is left of it (Xapian's limit only switches off
 * check_at_least; the decider and the spies check the deadline themselves). */
void apply_deadline(Xapian::Enquire &enq, uint64_t deadline)
{
    if (!deadline)
        return;
    uint64_t now = monotonic_ns();
    if (now >= deadline)
        throw DeadlinePassed();
    enq.set_time_limit(static_cast<double>(deadline - now) / 1e9);
}

/* A hit of the page before it is copied out. */
struct Ranked {
    Xapian::docid docid;
    double weight;
    std::vector<std::string> terms;
    Xapian::Document doc;                          /* when fetched already (a shard set's) */
    bool fetched;
};

/* The hit at it, with the query terms it matched when asked for (from terms_of, an
 * enquire over the query as built: its terms all Xapian's), and its document when
 * fetched already. */
Ranked ranked_hit(const Xapian::Enquire &terms_of, const Xapian::MSetIterator &it, const xsh_search_opts &o,
                  const Xapian::Document &doc, bool fetched)
{
    Ranked h{*it, it.get_weight(), {}, doc, fetched};
    if (o.matching_terms)
        h.terms.assign(terms_of.get_matching_terms_begin(*it), terms_of.get_matching_terms_end(*it));
    return h;
}

#define FIRST_BATCH 64            /* ranked candidates verified at least */
#define LAST_BATCH 1024           /* a shard set's at most, past the first (each is fetched) */
#define FIRST_FETCHED 16          /* a shard set's first batch at least: fetching costs a round each */

/* Candidates a shard set's earlier, smaller batch checked: whether each passed, and
 * its document (a larger batch fetches and checks only the others). */
typedef std::map<Xapian::docid, std::pair<bool, Xapian::Document>> Checked;

/* The page of a verified tier ranked first: Xapian ranks without the decider,
 * and the top batch of ranked candidates is verified, in docid order (a shard
 * set's in rank order, fetched together). With collapse_slot, a candidate past
 * collapse_max of its key is left out (a shard set collapses here, after
 * verifying). Returns false when they cannot fill the page and the match has more
 * (the caller verifies a larger batch; a shard set's up to LAST_BATCH, then takes
 * what passed; one index lets Xapian run the decider over the whole match);
 * *share is the verified share of those checked, *ran_out whether they were the
 * whole match, verified the documents that passed; r's totals are the candidates
 * estimated in that share (r->lower: the verified ones, collapsed). */

bool rank_then_verify(Xapian::Enquire &enq, const Xapian::Enquire &terms_of, const Xapian::Database &db,
                      const xsh_search_opts &o, size_t batch,
                      CDecider &decider, std::vector<Ranked> &page, double *share, bool *ran_out,
                      std::vector<Xapian::Document> &verified, Checked &checked, xsh_result *r)
{
    const size_t want = o.offset + o.limit;
    Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(batch));
    std::vector<Xapian::Document> docs(m.size());
    std::vector<Xapian::docid> dids(m.size());
    for (auto it = m.begin(); it != m.end(); ++it)
        dids[it.get_rank()] = *it;
    std::vector<char> held(docs.size(), 0);
    std::vector<char> known(docs.size(), 0);
    std::vector<size_t> order(docs.size());        /* the ranks in the order they are checked */
    for (size_t i = 0; i < order.size(); i++)
        order[i] = i;
    if (decider.by_document()) {
        size_t first_new = docs.size();
        for (size_t i = 0; i < docs.size(); i++) {
            auto c = checked.find(dids[i]);
            if (c == checked.end()) {
                first_new = std::min(first_new, i);
                continue;
            }
            known[i] = 1;
            held[i] = c->second.first;
            docs[i] = c->second.second;
        }
        if (first_new < docs.size())               /* the others' documents in one round */
            m.fetch(m[static_cast<Xapian::doccount>(first_new)], m.end());
        for (size_t i = first_new; i < docs.size(); i++)
            if (!known[i])
                docs[i] = m[static_cast<Xapian::doccount>(i)].get_document();
    } else {
        std::vector<std::pair<Xapian::docid, size_t>> by_docid;   /* probes read forward */
        for (auto it = m.begin(); it != m.end(); ++it)
            by_docid.emplace_back(*it, static_cast<size_t>(it.get_rank()));
        std::sort(by_docid.begin(), by_docid.end());
        for (size_t i = 0; i < by_docid.size(); i++) {
            docs[by_docid[i].second] = db.get_document(by_docid[i].first, Xapian::DOC_ASSUME_VALID);
            order[i] = by_docid[i].second;         /* docid order: probes and streams read forward */
        }
    }
    size_t kept = 0;
    for (size_t i : order) {
        if (!known[i]) {
            held[i] = decider.check(docs[i], dids[i]);
            if (decider.by_document())
                checked.emplace(dids[i], std::make_pair(held[i] != 0, docs[i]));
        }
        if (held[i]) {
            kept++;
            verified.push_back(docs[i]);
        }
    }
    *ran_out = m.size() < batch;
    *share = m.empty() ? 1 : static_cast<double>(kept) / static_cast<double>(m.size());
    std::map<std::string, unsigned> per_key;       /* hits of each collapse key */
    size_t i = 0, k = 0;
    for (auto it = m.begin(); it != m.end(); ++it, ++i) {
        if (!held[i])
            continue;
        if (o.collapse_slot >= 0
            && ++per_key[docs[i].get_value(static_cast<Xapian::valueno>(o.collapse_slot))] > std::max(o.collapse_max, 1u))
            continue;
        if (k >= o.offset && k < want)
            page.push_back(ranked_hit(terms_of, it, o, docs[i], decider.by_document()));
        k++;
    }
    const double collapsed = kept ? static_cast<double>(k) / static_cast<double>(kept) : 1;   /* per_doc */
    r->estimated = std::max<size_t>(k, static_cast<size_t>(m.get_matches_estimated() * *share * collapsed + 0.5));
    r->lower = k;
    r->upper = std::max<size_t>(m.get_matches_upper_bound(), r->estimated);
    return k >= want || *ran_out;
}

/* A large index's count and facets: the match unweighted in docid order, so Xapian
 * stops after check_at_least (or the page); the counters see those matches. What
 * the page's match knew stays when it is exact (lower == upper), and the facets are
 * scaled to it; else the total is the candidates counted times the verified share of
 * the ranked ones (share < 0: none were ranked, so the decider checks a sample
 * drawn from the candidates counted, on one index; on a shard set the candidates as
 * they are), never below the hits verified (r->lower). */
void count_sample(const Xapian::Database &db, const Xapian::Query &q, const xsh_search_opts &o,
                  const std::vector<Xapian::MatchSpy *> &counters, const CDecider *decider, double share, bool sharded,
                  xsh_result *r)
{
    Xapian::Enquire cnt(db);
    cnt.set_query(q);
    cnt.set_weighting_scheme(Xapian::BoolWeight());
    cnt.set_docid_order(Xapian::Enquire::ASCENDING);
    apply_deadline(cnt, o.deadline_ns);
    SeenSpy seen;
    seen.sampling = decider && share < 0;
    for (auto *spy : counters)
        cnt.add_matchspy(spy);
    if (!sharded)                                  /* a shard set's spies are Xapian's, which count */
        cnt.add_matchspy(&seen);
    const size_t wanted = std::max(o.check_at_least, o.offset + o.limit);
    Xapian::MSet m = cnt.get_mset(0, 0, static_cast<Xapian::doccount>(wanted));
    if (r->lower != r->upper) {
        size_t lo = m.get_matches_lower_bound(), hi = m.get_matches_upper_bound();
        double est = static_cast<double>(m.get_matches_estimated());
        /* stopped early: the matches seen, at the rate they came over the docids
         * read from the first, carried over the rest (Xapian's estimate takes the
         * terms for independent, which a word's bigrams are not: 营商环境 at x1000
         * gave 1,000 for 23,000), within Xapian's bounds (a filter's passages) */
        if (!sharded && lo < hi && seen.count >= wanted && seen.first && seen.last >= seen.first)
            est = std::min<double>(static_cast<double>(hi),
                                   std::max<double>(static_cast<double>(lo),
                                                    static_cast<double>(seen.count) *
                                                        (db.get_lastdocid() - seen.first + 1.0) /
                                                        (seen.last - seen.first + 1.0)));
        std::vector<Xapian::docid> &sample = seen.sample;
        std::sort(sample.begin(), sample.end());             /* probes and streams read forward */
        if (decider && share < 0 && !sample.empty()) {       /* a count alone: check a sample */
            size_t held = 0;
            for (Xapian::docid did : sample)
                held += decider->check(db.get_document(did, Xapian::DOC_ASSUME_VALID), did);
            share = static_cast<double>(held) / static_cast<double>(sample.size());
            r->lower = std::max(r->lower, held);
            if (sample.size() == seen.count && lo == hi) {   /* every candidate: the total is known, but */
                est = static_cast<double>(held);             /* the facets counted them all (exact when */
                hi = seen.count;                             /* all held) */
                share = 1;
            }
        }
        if (decider) {
            est *= share >= 0 ? share : 1;
            lo = r->lower;                        /* the verified ones, at least */
        }
        r->estimated = std::max<size_t>(r->lower, static_cast<size_t>(est + 0.5));
        r->lower = std::max<size_t>(r->lower, lo);
        r->upper = std::max<size_t>(hi, r->estimated);
        if (decider && r->lower == r->upper && share < 0)
            r->lower = 0;                         /* nothing was verified: an estimate */
    }
    if (sharded)
        seen.count = static_cast<Xapian::ValueCountMatchSpy *>(counters.front())->get_total();
    r->facet_scale = seen.count ? static_cast<double>(r->estimated) / static_cast<double>(seen.count) : 1;
}

} // namespace

extern "C" {

int xsh_search(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, xsh_result **out, xsh_err *err)
{
    *out = nullptr;
    xsh_result *r = static_cast<xsh_result *>(std::calloc(1, sizeof *r));
    if (!r)
        return set_err(err, XSH_ENOMEM, "out of memory");
    int rc = guarded(err, [&] {
        if (db->sharded && o->on_match)
            throw Xapian::InvalidArgumentError("on_match counts the docids of one index, not of a shard set");
        /* a shard set's decider runs here, on the ranked candidates (Xapian's remote
         * match takes none), and collapses after it */
        const bool client = db->sharded && o->decider;
        /* one index: its dense terms from memory (dense.h); the terms a hit matched
         * from the query as built */
        bool dense_used = false;
        /* BM25's parameters, for Xapian and the sources alike: o's, clamped as
         * BM25Weight clamps them, or its defaults when none is set; k2 adds a
         * query-length term the sources would change */
        const bool bm25_set = o->k1 > 0 || o->b > 0;
        const dense::Bm25 bm25 = bm25_set ? dense::Bm25{std::max(o->k1, 0.0), std::max(o->k3, 0.0),
                                                        std::min(std::max(o->b, 0.0), 1.0), o->min_normlen}
                                          : dense::Bm25{1, 1, 0.5, 0.5};
        const double k2 = bm25_set ? std::max(o->k2, 0.0) : 0;
        Xapian::Query query;
        if (!db->sharded && !db->wdb && db->keep_dense && q->r && k2 == 0)   /* a writer's lists change uncommitted */
            query = dense::realise(*q->r, *db->db, db->dense, bm25, !o->unranked, &dense_used);
        if (!dense_used)
            query = q->q;
        Xapian::Enquire enq(*db->db), built(*db->db);
        enq.set_query(query);
        if (dense_used)
            built.set_query(q->q);
        const Xapian::Enquire &terms_of = dense_used ? built : enq;
        if (o->unranked) {
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
        } else
            enq.set_weighting_scheme(Xapian::BM25Weight(bm25.k1, k2, bm25.k3, bm25.b, bm25.min_normlen));
        if (o->collapse_slot >= 0 && !client)
            enq.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot), o->collapse_max ? o->collapse_max : 1);
        apply_deadline(enq, o->deadline_ns);
        std::vector<std::unique_ptr<Xapian::MatchSpy>> spies;
        std::vector<Xapian::MatchSpy *> counters;    /* every spy, facets and docids */
        for (size_t i = 0; i < o->nfacets; i++) {
            if (db->sharded)                          /* Xapian's: it runs on remote shards */
                spies.emplace_back(new Xapian::ValueCountMatchSpy(o->facet_slots[i]));
            else
                spies.emplace_back(new StreamCountSpy(*db->db, o->facet_slots[i], o->deadline_ns));
            counters.push_back(spies.back().get());
        }
        std::unique_ptr<DocidSpy> docids;
        if (o->on_match) {
            docids.reset(new DocidSpy(o->on_match, o->on_match_ctx, o->deadline_ns));
            counters.push_back(docids.get());
        }
        std::unique_ptr<CDecider> decider;
        if (o->decider)
            decider.reset(new CDecider(*db->db, o->decider, o->decider_ctx, o->decider_slot, o->deadline_ns, db->sharded,
                                       db->keep_dense && !db->sharded && !db->wdb ? db : nullptr));
        r->facet_scale = 1;
        std::vector<Ranked> page;
        /* a large index: the page by rank (verifying only its candidates), the
         * totals and facets from a bounded count (count_sample) */
        const bool large = (o->verify_ranked && o->collapse_slot < 0) || client;
        double share = 1;
        bool ran_out = false, ranked = false;
        std::vector<Xapian::Document> verified;
        Checked checked;
        if (large && decider && (o->limit > 0 || client)) {     /* a set never hands Xapian the decider */
            /* a small shard set verifies the whole match: exact, as one index is */
            size_t batch = client && o->verify_all ? static_cast<size_t>(db->db->get_doccount()) + 1
                                                   : std::max<size_t>(2 * (o->offset + o->limit),
                                                                      client ? FIRST_FETCHED : FIRST_BATCH);
            while (!(ranked = rank_then_verify(enq, terms_of, *db->db, *o, batch, *decider, page, &share, &ran_out, verified,
                                               checked, r))
                   && client) {
                if (batch >= LAST_BATCH && !o->verify_all) {
                    ranked = true;                   /* what passed, and totals estimated from it */
                    break;
                }
                page.clear();                        /* too few passed: a larger batch */
                verified.clear();
                batch *= 4;
            }
        }
        if (!ranked) {
            page.clear();                            /* a ranked batch that could not fill it */
            verified.clear();
            if (!large)
                for (auto *spy : counters)
                    enq.add_matchspy(spy);
            Xapian::MSet mset = enq.get_mset(o->offset, o->limit, large ? o->offset + o->limit : o->check_at_least,
                                             nullptr, decider.get());
            r->estimated = mset.get_matches_estimated();
            r->lower = mset.get_matches_lower_bound();
            r->upper = mset.get_matches_upper_bound();
            const bool fetch = db->sharded && !o->skip_data;
            if (fetch)
                mset.fetch();                        /* the page's documents in one round */
            for (auto it = mset.begin(); it != mset.end(); ++it)
                page.push_back(ranked_hit(terms_of, it, *o, fetch ? it.get_document() : Xapian::Document(), fetch));
        }
        if (large && ran_out) {                  /* every candidate verified: exact */
            r->estimated = r->upper = r->lower;
            for (const auto &doc : verified)
                for (auto *spy : counters)
                    (*spy)(doc, 0);
        } else if (large && !counters.empty()) {  /* a counted tier */
            count_sample(*db->db, query, *o, counters, decider.get(), ranked || o->limit > 0 ? share : -1,
                         db->sharded, r);
        }
        if (o->deadline_ns && monotonic_ns() > o->deadline_ns)
            throw DeadlinePassed();
        r->hits = static_cast<xsh_hit *>(std::calloc(page.size() ? page.size() : 1, sizeof(xsh_hit)));
        if (!r->hits)
            throw std::bad_alloc();
        for (const Ranked &p : page) {
            xsh_hit &h = r->hits[r->nhits++];
            h.docid = p.docid;
            h.weight = p.weight;
            if (!o->skip_data) {
                std::string data = (p.fetched ? p.doc : db->db->get_document(p.docid)).get_data();
                h.data = dup_string(data);
                h.data_len = data.size();
            }
            h.terms = static_cast<char **>(std::calloc(p.terms.size() ? p.terms.size() : 1, sizeof(char *)));
            if (!h.terms)
                throw std::bad_alloc();
            for (const auto &t : p.terms)
                h.terms[h.nterms++] = dup_string(t);
        }
        r->facets = static_cast<xsh_facet *>(std::calloc(spies.size() ? spies.size() : 1, sizeof(xsh_facet)));
        if (!r->facets)
            throw std::bad_alloc();
        for (size_t i = 0; i < spies.size(); i++) {
            xsh_facet &f = r->facets[r->nfacets++];
            f.slot = o->facet_slots[i];
            std::map<std::string, size_t> counted;
            if (db->sharded) {
                auto *spy = static_cast<Xapian::ValueCountMatchSpy *>(spies[i].get());
                for (auto v = spy->values_begin(); v != spy->values_end(); ++v)
                    counted[*v] = v.get_termfreq();
            }
            const auto &counts = db->sharded ? counted : static_cast<StreamCountSpy *>(spies[i].get())->counts();
            f.values = static_cast<xsh_facet_value *>(std::calloc(counts.size() ? counts.size() : 1, sizeof(xsh_facet_value)));
            if (!f.values)
                throw std::bad_alloc();
            for (const auto &c : counts) {
                f.values[f.n].value = dup_string(c.first);
                f.values[f.n].count = c.second;
                f.n++;
            }
        }
    });
    if (rc) {
        db->broken |= rc == XSH_ENETWORK;
        xsh_result_free(r);
        return rc;
    }
    *out = r;
    return XSH_EOK;
}

} // extern "C"
