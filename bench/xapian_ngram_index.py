#!/usr/bin/python3
"""The peer for bench/index.sh: python3-xapian's own CJK n-gram indexing
(TermGenerator with FLAG_CJK_NGRAM) of the same passages wensou makes.
Passages come from `wensou inspect` (not timed: the peer gets them for free).
Prints MB/s, passages/s, index size and peak RSS.
usage: /usr/bin/python3 bench/xapian_ngram_index.py WENSOU DB_DIR FILE..."""
import json
import os
import resource
import shutil
import subprocess
import sys
import time

import xapian


def passages(wensou, files):
    out = []
    for f in files:
        r = subprocess.run([wensou, "inspect", f], stdout=subprocess.PIPE, check=True)
        for line in r.stdout.decode().splitlines()[1:]:
            out.append(json.loads(line))
    return out


def dir_size(d):
    return sum(os.path.getsize(os.path.join(d, f)) for f in os.listdir(d))


def main():
    wensou, db_dir, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    ps = passages(wensou, files)
    nbytes = sum(os.path.getsize(f) for f in files)
    shutil.rmtree(db_dir, ignore_errors=True)
    t0 = time.perf_counter()
    db = xapian.WritableDatabase(db_dir, xapian.DB_CREATE_OR_OPEN)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    for i, p in enumerate(ps):
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(p["text"])
        for s in p["section"]:
            tg.increase_termpos()
            tg.index_text(s, 1, "S")
        doc.add_boolean_term("F" + p["file"])
        doc.set_data(json.dumps(p, ensure_ascii=False))
        db.add_document(doc)
        if i % 2000 == 1999:
            db.commit()
    db.commit()
    db.close()
    dt = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print("%-34s %7.2f MB/s  %8.0f passages/s  index %6.1f MB  peak RSS %5.0f MB" %
          ("python3-xapian CJK n-gram", nbytes / 1e6 / dt, len(ps) / dt, dir_size(db_dir) / 1e6, rss / 1024))


if __name__ == "__main__":
    main()
