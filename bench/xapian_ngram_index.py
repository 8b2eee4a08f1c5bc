#!/usr/bin/python3
"""The peer for bench/index.sh: python3-xapian's own CJK n-gram indexing
(TermGenerator with FLAG_CJK_NGRAM) of the same passages wensou makes.
Passages come from `wensou inspect` (not timed: the peer gets them for free).
Prints MB/s, passages/s, index size and peak RSS.
usage: /usr/bin/python3 bench/xapian_ngram_index.py WENSOU DB_DIR FILE..."""
import os
import resource
import shutil
import sys
import time

import peers


def dir_size(d):
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))


def main():
    wensou, db_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    ps = peers.passages(wensou, files)
    nbytes = sum(os.path.getsize(f) for f in files)
    shutil.rmtree(db_dir, ignore_errors=True)
    t0 = time.perf_counter()
    peers.ngram_index(db_dir, ps)
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("%-34s %7.2f MB/s  %8.0f passages/s  index %6.1f MB  peak RSS %5.0f MB" %
          ("python3-xapian CJK n-gram", nbytes / 1e6 / dt, len(ps) / dt, dir_size(db_dir) / 1e6, rss / 1024))


if __name__ == "__main__":
    main()
