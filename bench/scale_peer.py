#!/usr/bin/python3
"""The peer for bench/scale.sh: python3-xapian's CJK n-gram index of the same
passages wensou makes (from `wensou inspect`, not timed), built once per scale
and searched per round.

usage: /usr/bin/python3 bench/scale_peer.py index WENSOU DB COPIES FILE...
         the passages of FILEs, COPIES times over (as many copies as wensou
         indexes; modelled once, not timed); prints: seconds, index bytes, peak RSS (KB)
       /usr/bin/python3 bench/scale_peer.py search DB QUERIES REPEAT
         prints: median and p99 (microseconds) over every query REPEAT times
"""
import os
import resource
import sys
import time

import peers


def index(wensou, db, copies, files):
    one = peers.passages(wensou, files)
    ps = [dict(p, file="copy%d/%s" % (i, p["file"])) for i in range(copies) for p in one]
    t0 = time.perf_counter()
    peers.ngram_index(db, ps, with_sections=False)
    dt = time.perf_counter() - t0
    size = sum(os.path.getsize(os.path.join(db, f)) for f in os.listdir(db))
    print("%.2f %d %d" % (dt, size, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def search(db, qfile, repeat):
    queries = [l.strip() for l in open(qfile, encoding="utf-8") if l.strip()]
    lat = peers.latencies(peers.ngram_searcher(db), queries, repeat)
    print("%.1f %.1f" % (lat[len(lat) // 2], lat[int(len(lat) * 0.99)]))


if __name__ == "__main__":
    if sys.argv[1] == "index":
        index(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5:])
    else:
        search(sys.argv[2], sys.argv[3], int(sys.argv[4]))
