// xsh.cc — the C API of xsh.h over libxapian 1.4: the only C++ in the tree.
// Every extern "C" body runs inside guarded(), which turns each Xapian exception
// into a status code and a message, so nothing is thrown across the C boundary.
#include "xsh.h"

#include <xapian.h>

#include <sys/stat.h>
#include <time.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <new>
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
};

namespace {
bool stat_version(const xsh_db *db, struct stat *st)
{
    return !db->version_file.empty() && stat(db->version_file.c_str(), st) == 0;
}

/* Opens the database at db->path for reading into db, noting what tells a
 * replacement apart later: the version file and the folder (before opening, so a
 * commit in between is seen as one), and the UUID. Returns whether the version file
 * was there. Throws as Xapian does, leaving db as it was. */
bool open_reader(xsh_db *db)
{
    struct stat seen {}, dir {};
    bool versioned = stat_version(db, &seen);
    stat(db->path.c_str(), &dir);
    std::unique_ptr<Xapian::Database> fresh(new Xapian::Database(db->path));
    std::string uuid = fresh->get_uuid();
    db->seen = seen;                               /* nothing changes unless it opened */
    db->dir = dir;
    db->uuid = uuid;
    db->db = std::move(fresh);
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
/* Whether the stub database file at path (a file, or a folder's XAPIANDB), or a
 * stub it names, lists a remote database ("remote ..." lines: a TCP connection or
 * a program to run). */
bool stub_names_remote(const std::string &path, int depth)
{
    struct stat st;
    if (depth > 8 || stat(path.c_str(), &st) != 0)
        return false;
    if (S_ISDIR(st.st_mode))                       /* a folder Xapian opens through its XAPIANDB stub */
        return stub_names_remote(path + "/XAPIANDB", depth + 1);
    if (!S_ISREG(st.st_mode))
        return false;
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f)
        return false;
    std::string dir = path.substr(0, path.find_last_of('/') + 1);
    char line[4096];
    bool remote = false;
    while (!remote && std::fgets(line, sizeof line, f)) {
        char type[32], where[4000];
        int fields = std::sscanf(line, " %31s %3999s", type, where);
        if (fields >= 1 && std::strcmp(type, "remote") == 0)
            remote = true;
        else if (fields == 2)
            remote = stub_names_remote(where[0] == '/' ? std::string(where) : dir + where, depth + 1);
    }
    std::fclose(f);
    return remote;
}

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
 * when slots interleave). */
class ValueStream {
  public:
    ValueStream(const Xapian::Database &db, Xapian::valueno slot)
        : reader_([&db, slot] { return db.valuestream_begin(slot); }) {}
    std::string get(Xapian::docid did) { return reader_.seek(did) ? *reader_.at() : std::string(); }

  private:
    ForwardReader<Xapian::ValueIterator, std::function<Xapian::ValueIterator()>> reader_;
};

/* One term's postings, for probing candidates in docid order. */
class TermProbe {
  public:
    TermProbe(const Xapian::Database &db, const std::string &term)
        : reader_([&db, term] { return db.postlist_begin(term); }) {}
    bool has(Xapian::docid did) { return reader_.seek(did); }

  private:
    ForwardReader<Xapian::PostingIterator, std::function<Xapian::PostingIterator()>> reader_;
};

/* A C callback as a Xapian MatchDecider: each candidate is an xsh_candidate. */
class CDecider : public Xapian::MatchDecider {
  public:
    CDecider(const Xapian::Database &db, int (*fn)(void *, xsh_candidate *), void *ctx, int slot, uint64_t deadline)
        : db_(db), fn_(fn), ctx_(ctx), deadline_(deadline)
    {
        if (slot >= 0)
            values_.reset(new ValueStream(db, static_cast<Xapian::valueno>(slot)));
    }
    bool operator()(const Xapian::Document &doc) const override;
    bool has_term(Xapian::docid did, const std::string &term)
    {
        auto it = probes_.find(term);
        if (it == probes_.end())
            it = probes_.emplace(term, std::unique_ptr<TermProbe>(new TermProbe(db_, term))).first;
        return it->second->has(did);
    }
    std::string value(const Xapian::Document &doc) { return values_ ? values_->get(doc.get_docid()) : doc.get_data(); }

  private:
    const Xapian::Database &db_;
    int (*fn_)(void *, xsh_candidate *);
    void *ctx_;
    std::unique_ptr<ValueStream> values_;
    std::map<std::string, std::unique_ptr<TermProbe>> probes_;
    mutable Deadline deadline_;
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

/* Counts the documents a match's spies see. */
struct SeenSpy : public Xapian::MatchSpy {
    size_t count = 0;
    void operator()(const Xapian::Document &, double) override { count++; }
};

/* Counts the values of one slot over the documents of a match (a facet). */
class StreamCountSpy : public Xapian::MatchSpy {
  public:
    StreamCountSpy(const Xapian::Database &db, Xapian::valueno slot, uint64_t deadline)
        : values_(db, slot), deadline_(deadline) {}
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
    guarded(nullptr, [&] { q = new xsh_query{f()}; });
    return q;
}

} // namespace

struct xsh_candidate {
    CDecider *decider;
    const Xapian::Document *doc;
    bool read = false, failed = false;
    std::string value;
};

namespace {

bool CDecider::operator()(const Xapian::Document &doc) const
{
    xsh_candidate c;
    c.decider = const_cast<CDecider *>(this);     /* probes and streams are caches */
    c.doc = &doc;
    deadline_.check();
    return fn_(ctx_, &c) != 0;
}

} // namespace

extern "C" {

int xsh_candidate_has_term(xsh_candidate *c, const char *term, size_t len)
{
    int held = 0;
    if (guarded(nullptr, [&] { held = c->decider->has_term(c->doc->get_docid(), std::string(term, len)); }))
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
    return c->doc->get_docid();
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

int xsh_db_open(const char *path, int flags, xsh_db **out, xsh_err *err)
{
    *out = nullptr;
    if (!path)
        return set_err(err, XSH_EINVAL, "no index path");
    if (stub_names_remote(path, 0))
        return set_err(err, XSH_EINVAL, "a stub file naming remote databases: wensou opens local indexes only");
    return guarded(err, [&] {
        std::unique_ptr<xsh_db> h(new xsh_db);
        if (flags & XSH_WRITE) {
            std::set_terminate(on_terminate);
            auto *w = new Xapian::WritableDatabase(path, Xapian::DB_CREATE_OR_OPEN);
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

int xsh_db_term_freq(xsh_db *db, const char *term, size_t *out, xsh_err *err)
{
    return guarded(err, [&] { *out = db->db->get_termfreq(term); });
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
    return guarded(err, [&] { *out = static_cast<unsigned long>(db->db->get_revision()); });
}

int xsh_db_get_metadata(xsh_db *db, const char *key, char **out, xsh_err *err)
{
    *out = nullptr;
    return guarded(err, [&] { *out = dup_string(db->db->get_metadata(key)); });
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
        for (auto it = db->db->metadata_keys_begin(prefix); it != db->db->metadata_keys_end(prefix); ++it)
            keys.push_back(*it);
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
    return guarded(err, [&] {
        std::string d = db->db->get_document(docid).get_data();
        *data = dup_string(d);
        *len = d.size();
    });
}

/* ---- queries: constructors return NULL on failure ---- */

xsh_query *xsh_query_term(const char *term, size_t len, unsigned wqf, unsigned pos)
{
    return make_query([&] { return Xapian::Query(std::string(term, len), wqf ? wqf : 1, pos); });
}

xsh_query *xsh_query_prefix(const char *prefix, size_t len)
{
    return make_query([&] {
        return Xapian::Query(Xapian::Query::OP_WILDCARD, std::string(prefix, len), 0,
                             Xapian::Query::WILDCARD_LIMIT_ERROR, Xapian::Query::OP_SYNONYM);
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
    return make_query([&] {
        std::vector<Xapian::Query> v;
        v.reserve(n);
        for (size_t i = 0; i < n; i++)
            if (subs[i])
                v.push_back(subs[i]->q);
        return Xapian::Query(to_xapian(op), v.begin(), v.end(), window);
    });
}

xsh_query *xsh_query_scale(const xsh_query *q, double factor)
{
    return make_query([&] { return Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor); });
}

xsh_query *xsh_query_copy(const xsh_query *q)
{
    return make_query([&] { return q->q; });
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

size_t xsh_query_term_count(const xsh_query *q)
{
    size_t n = 0;
    if (q)
        guarded(nullptr, [&] {
            for (auto it = q->q.get_unique_terms_begin(); it != q->q.get_unique_terms_end(); ++it)
                n++;
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
};

#define FIRST_BATCH 64            /* ranked candidates verified at least */

/* The page of a large index's verified tier: Xapian ranks without the decider,
 * and the top ranked candidates (twice offset + limit, at least FIRST_BATCH) are
 * verified, in docid order. Returns false when they cannot fill the page and the
 * match has more (then most candidates fail, and the caller lets Xapian run the
 * decider over the whole match); *share is the verified share of those checked,
 * *ran_out whether they were the whole match, verified the documents that passed;
 * r's totals are the candidates estimated in that share. */
bool rank_then_verify(Xapian::Enquire &enq, const Xapian::Database &db, const xsh_search_opts &o,
                      CDecider &decider, std::vector<Ranked> &page, double *share, bool *ran_out,
                      std::vector<Xapian::Document> &verified, xsh_result *r)
{
    const size_t want = o.offset + o.limit;
    const size_t batch = std::max<size_t>(2 * want, FIRST_BATCH);
    Xapian::MSet m = enq.get_mset(0, static_cast<Xapian::doccount>(batch));
    std::vector<std::pair<Xapian::docid, size_t>> by_docid;   /* probes read forward */
    for (auto it = m.begin(); it != m.end(); ++it)
        by_docid.emplace_back(*it, static_cast<size_t>(it.get_rank()));
    std::sort(by_docid.begin(), by_docid.end());
    std::vector<char> held(by_docid.size(), 0);
    size_t kept = 0;
    for (const auto &d : by_docid) {
        Xapian::Document doc = db.get_document(d.first, Xapian::DOC_ASSUME_VALID);
        if (decider(doc)) {
            held[d.second] = 1;
            kept++;
            verified.push_back(doc);
        }
    }
    *ran_out = m.size() < batch;
    *share = m.empty() ? 1 : static_cast<double>(kept) / static_cast<double>(m.size());
    if (kept < want && !*ran_out)
        return false;
    r->estimated = std::max<size_t>(kept, static_cast<size_t>(m.get_matches_estimated() * *share + 0.5));
    r->lower = kept;
    r->upper = std::max<size_t>(m.get_matches_upper_bound(), r->estimated);
    size_t i = 0, k = 0;
    for (auto it = m.begin(); it != m.end(); ++it, ++i) {
        if (!held[i])
            continue;
        if (k >= o.offset && k < want) {
            Ranked h{*it, it.get_weight(), {}};
            if (o.matching_terms)
                h.terms.assign(enq.get_matching_terms_begin(it), enq.get_matching_terms_end(it));
            page.push_back(std::move(h));
        }
        k++;
    }
    return true;
}

/* A large index's count and facets: the match unweighted in docid order, so Xapian
 * stops after check_at_least (or the page); the counters see those matches. What
 * the page's match knew stays when it is exact (lower == upper), and the facets are
 * scaled to it; else the total is the candidates counted times the verified share of
 * the ranked ones (share < 0: not measured, the candidates as they are), never below
 * the verified hits (r->lower). Unverified candidates of a decider are an estimate. */
void count_sample(const Xapian::Database &db, const Xapian::Query &q, const xsh_search_opts &o,
                  const std::vector<Xapian::MatchSpy *> &counters, bool has_decider, double share, xsh_result *r)
{
    Xapian::Enquire cnt(db);
    cnt.set_query(q);
    cnt.set_weighting_scheme(Xapian::BoolWeight());
    cnt.set_docid_order(Xapian::Enquire::ASCENDING);
    apply_deadline(cnt, o.deadline_ns);
    SeenSpy seen;
    for (auto *spy : counters)
        cnt.add_matchspy(spy);
    cnt.add_matchspy(&seen);
    Xapian::MSet m = cnt.get_mset(0, 0, static_cast<Xapian::doccount>(std::max(o.check_at_least, o.offset + o.limit)));
    if (r->lower != r->upper) {
        size_t lo = m.get_matches_lower_bound(), hi = m.get_matches_upper_bound();
        double est = static_cast<double>(m.get_matches_estimated());
        if (has_decider) {
            est *= share >= 0 ? share : 1;
            lo = r->lower;                        /* the verified ones, at least */
        }
        r->estimated = std::max<size_t>(r->lower, static_cast<size_t>(est + 0.5));
        r->lower = std::max<size_t>(r->lower, lo);
        r->upper = std::max<size_t>(hi, r->estimated);
        if (has_decider && r->lower == r->upper && share < 0)
            r->lower = 0;                         /* nothing was verified: an estimate */
    }
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
        Xapian::Enquire enq(*db->db);
        enq.set_query(q->q);
        if (o->unranked) {
            enq.set_weighting_scheme(Xapian::BoolWeight());
            enq.set_docid_order(Xapian::Enquire::ASCENDING);
        } else if (o->k1 > 0 || o->b > 0)
            enq.set_weighting_scheme(Xapian::BM25Weight(o->k1, o->k2, o->k3, o->b, o->min_normlen));
        if (o->collapse_slot >= 0)
            enq.set_collapse_key(static_cast<Xapian::valueno>(o->collapse_slot), o->collapse_max ? o->collapse_max : 1);
        apply_deadline(enq, o->deadline_ns);
        std::vector<std::unique_ptr<StreamCountSpy>> spies;
        std::vector<Xapian::MatchSpy *> counters;    /* every spy, facets and docids */
        for (size_t i = 0; i < o->nfacets; i++) {
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
            decider.reset(new CDecider(*db->db, o->decider, o->decider_ctx, o->decider_slot, o->deadline_ns));
        r->facet_scale = 1;
        std::vector<Ranked> page;
        /* a large index: the page by rank (verifying only its candidates), the
         * totals and facets from a bounded count (count_sample) */
        const bool large = o->verify_ranked && o->collapse_slot < 0;
        double share = 1;
        bool ran_out = false, ranked = false;
        std::vector<Xapian::Document> verified;
        if (large && decider && o->limit > 0)
            ranked = rank_then_verify(enq, *db->db, *o, *decider, page, &share, &ran_out, verified, r);
        if (!ranked) {
            if (!large)
                for (auto *spy : counters)
                    enq.add_matchspy(spy);
            Xapian::MSet mset = enq.get_mset(o->offset, o->limit, large ? o->offset + o->limit : o->check_at_least,
                                             nullptr, decider.get());
            r->estimated = mset.get_matches_estimated();
            r->lower = mset.get_matches_lower_bound();
            r->upper = mset.get_matches_upper_bound();
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                Ranked h{*it, it.get_weight(), {}};
                if (o->matching_terms)
                    h.terms.assign(enq.get_matching_terms_begin(it), enq.get_matching_terms_end(it));
                page.push_back(std::move(h));
            }
        }
        if (large && ran_out) {                  /* every candidate verified: exact */
            r->estimated = r->lower = r->upper = verified.size();
            for (const auto &doc : verified)
                for (auto *spy : counters)
                    (*spy)(doc, 0);
        } else if (large && !counters.empty()) {  /* a counted tier */
            count_sample(*db->db, q->q, *o, counters, decider != nullptr, ranked || o->limit > 0 ? share : -1, r);
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
                std::string data = db->db->get_document(p.docid).get_data();
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
            const auto &counts = spies[i]->counts();
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
        xsh_result_free(r);
        return rc;
    }
    *out = r;
    return XSH_EOK;
}

} // extern "C"
