#!/usr/bin/python3
"""The peers for bench/search.sh: query latency of python3-xapian's CJK n-gram
search and SQLite FTS5's trigram search over the same passages (from `wensou
inspect`), same queries, in process. usage: search_peers.py WENSOU QUERIES REPEAT FILE..."""
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time

import xapian


def passages(wensou, files):
    out = []
    for f in files:
        r = subprocess.run([wensou, "inspect", f], stdout=subprocess.PIPE, check=True)
        out += [json.loads(l) for l in r.stdout.decode().splitlines()[1:]]
    return out


def report(name, lat, nq, repeat):
    lat.sort()
    print("%-34s median %8.1f us  p99 %8.1f us  mean %8.1f us  (%d queries x %d)" %
          (name, lat[len(lat) // 2], lat[int(len(lat) * 0.99)], sum(lat) / len(lat), nq, repeat))


def main():
    wensou, qfile, repeat, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    queries = [l.strip() for l in open(qfile, encoding="utf-8") if l.strip()]
    ps = passages(wensou, files)
    tmp = tempfile.mkdtemp()
    db = xapian.WritableDatabase(os.path.join(tmp, "ngram"), xapian.DB_CREATE_OR_OPEN)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    for i, p in enumerate(ps):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(p["text"])
        doc.set_data(json.dumps(p, ensure_ascii=False))
        db.add_document(doc)
    db.commit()
    rdb = xapian.Database(os.path.join(tmp, "ngram"))
    qp = xapian.QueryParser()
    qp.set_database(rdb)
    flags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM

    def xap(q):
        enq = xapian.Enquire(rdb)
        enq.set_query(qp.parse_query(q, flags))
        return [json.loads(m.document.get_data()) for m in enq.get_mset(0, 10)]

    sql = sqlite3.connect(":memory:")
    sql.execute("CREATE VIRTUAL TABLE p USING fts5(text, data UNINDEXED, tokenize='trigram')")
    sql.executemany("INSERT INTO p(text, data) VALUES (?, ?)", [(p["text"], json.dumps(p, ensure_ascii=False)) for p in ps])

    def fts(q):
        words = [w.strip('"“”') for w in q.split() if w.strip('"“”') and w != "OR" and not w.startswith("-") and ":" not in w]
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

    for name, fn in (("python3-xapian CJK n-gram", xap), ("SQLite FTS5 trigram", fts)):
        for q in queries:
            fn(q)
        lat = []
        for _ in range(repeat):
            for q in queries:
                t0 = time.perf_counter()
                fn(q)
                lat.append((time.perf_counter() - t0) * 1e6)
        report(name, lat, len(queries), repeat)


if __name__ == "__main__":
    main()
