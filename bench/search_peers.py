#!/usr/bin/python3
"""The peers for bench/search.sh: query latency of python3-xapian's CJK n-gram
search and SQLite FTS5's trigram search over the same passages (from `wensou
inspect`), same queries, in process. usage: search_peers.py WENSOU QUERIES REPEAT FILE..."""
import os
import sys
import tempfile

import peers


def report(name, lat, nq, repeat):
    lat.sort()
    print("%-34s median %8.1f us  p99 %8.1f us  mean %8.1f us  (%d queries x %d)" %
          (name, lat[len(lat) // 2], lat[int(len(lat) * 0.99)], sum(lat) / len(lat), nq, repeat))


def main():
    wensou, qfile, repeat, files = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
    queries = [l.strip() for l in open(qfile, encoding="utf-8") if l.strip()]
    ps = peers.passages(wensou, files)
    path = os.path.join(tempfile.mkdtemp(), "ngram")
    peers.ngram_index(path, ps, with_sections=False)
    for name, fn in (("python3-xapian CJK n-gram", peers.ngram_searcher(path)), ("SQLite FTS5 trigram", peers.fts5_searcher(ps))):
        report(name, peers.latencies(fn, queries, repeat), len(queries), repeat)


if __name__ == "__main__":
    main()
