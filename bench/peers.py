"""What the benchmarks share: the passages wensou makes of some files (from
`wensou inspect`), and python3-xapian's CJK n-gram index of them, the peer the
issues compare wensou with. Imported by the scripts beside it."""
import json
import subprocess
import time

import xapian


def passages(wensou, files):
    """Every passage record of files, in order, as `wensou inspect` prints them."""
    out = []
    for f in files:
        r = subprocess.run([wensou, "inspect", f], stdout=subprocess.PIPE, check=True)
        out += [json.loads(l) for l in r.stdout.decode().splitlines()[1:]]
    return out


def write_index(db_path, ps, add_terms, commit_every=2000):
    """A Xapian database of the passages: add_terms(doc, passage) gives each its
    terms; the record is its data."""
    db = xapian.WritableDatabase(db_path, xapian.DB_CREATE_OR_OPEN)
    for i, p in enumerate(ps):
        doc = xapian.Document()
        add_terms(doc, p)
        doc.set_data(json.dumps(p, ensure_ascii=False))
        db.add_document(doc)
        if i % commit_every == commit_every - 1:
            db.commit()
    db.commit()
    db.close()


def ngram_index(db_path, ps, with_sections=True):
    """Indexes passages with TermGenerator's FLAG_CJK_NGRAM."""
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)

    def add_terms(doc, p):
        tg.set_document(doc)
        tg.index_text(p["text"])
        for s in p["section"] if with_sections else []:
            tg.increase_termpos()
            tg.index_text(s)
        doc.add_boolean_term("F" + p["file"])
    write_index(db_path, ps, add_terms)


def latencies(fn, queries, repeat):
    """Each query once to warm up, then every query repeat times: the latencies in
    microseconds, sorted."""
    for q in queries:
        fn(q)
    lat = []
    for _ in range(repeat):
        for q in queries:
            t0 = time.perf_counter()
            fn(q)
            lat.append((time.perf_counter() - t0) * 1e6)
    return sorted(lat)


def ngram_searcher(db_path):
    """A function query → the top 10 passage records, by QueryParser with FLAG_CJK_NGRAM."""
    db = xapian.Database(db_path)
    qp = xapian.QueryParser()
    qp.set_database(db)
    flags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM

    def search(q):
        enq = xapian.Enquire(db)
        enq.set_query(qp.parse_query(q, flags))
        return [json.loads(m.document.get_data()) for m in enq.get_mset(0, 10)]
    return search


def fts5_searcher(ps):
    """SQLite FTS5 with the trigram tokenizer over the same passages: words of three
    or more characters through MATCH (ranked by bm25), shorter ones through LIKE,
    which trigrams cannot index."""
    import sqlite3
    sql = sqlite3.connect(":memory:")
    sql.execute("CREATE VIRTUAL TABLE p USING fts5(text, section, data UNINDEXED, tokenize='trigram')")
    sql.executemany("INSERT INTO p(text, section, data) VALUES (?, ?, ?)",
                    [(p["text"], " ".join(p["section"]), json.dumps(p, ensure_ascii=False)) for p in ps])

    def search(q):
        words = [w.strip('"“”') for w in q.split()
                 if w.strip('"“”') and w != "OR" and not w.startswith("-") and ":" not in w]
        long_words = [w for w in words if len(w) >= 3]
        conds, args = [], []
        if long_words:
            conds.append("p MATCH ?")
            args.append(" AND ".join('"%s"' % w.replace('"', '""') for w in long_words))
        for w in words:
            if len(w) < 3:
                conds.append("text LIKE ?")
                args.append("%" + w + "%")
        if not conds:
            return []
        rows = sql.execute("SELECT data FROM p WHERE " + " AND ".join(conds) +
                           (" ORDER BY bm25(p)" if long_words else "") + " LIMIT 10", args).fetchall()
        return [json.loads(r[0]) for r in rows]
    return search


def jieba_words(text):
    """jieba's search-mode words of text (python3-jieba), lower case, no blanks or punctuation."""
    import jieba
    import unicodedata
    jieba.setLogLevel(60)
    return [w.lower() for w in jieba.cut_for_search(text)
            if w.strip() and not all(unicodedata.category(c)[0] in "PZS" for c in w)]


def jieba_index(db_path, ps):
    """Indexes passages as jieba search-mode words (text and heading path), BM25."""
    def add_terms(doc, p):
        for w in jieba_words(p["text"]) + jieba_words(" ".join(p["section"])):
            doc.add_term(w[:200])
    write_index(db_path, ps, add_terms)


def jieba_searcher(db_path):
    """A function query → the top 10 records: the OR of the query's jieba words."""
    db = xapian.Database(db_path)

    def search(q):
        words = jieba_words(q.replace('"', " "))
        if not words:
            return []
        enq = xapian.Enquire(db)
        enq.set_query(xapian.Query(xapian.Query.OP_OR, [xapian.Query(w[:200]) for w in words]))
        return [json.loads(m.document.get_data()) for m in enq.get_mset(0, 10)]
    return search
