#!/usr/bin/python3
"""Ranking quality on the judged queries in judged.tsv: nDCG@10 and recall@10 for
wensou beside python3-xapian's CJK n-gram search and SQLite FTS5's trigram search,
all over the same passages (those `wensou inspect` makes of corpus/), in one run.
A hit is relevant when its file name holds the judged part and its text holds the
judged snippet. usage: /usr/bin/python3 bench/eval/evaluate.py [--wensou build/wensou] [--show]"""
import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import tempfile

import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import peers  # noqa: E402  (bench/peers.py)


def load_judgments(path):
    queries = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        q, grade, file_part, snippet = line.rstrip("\n").split("\t", 3)
        queries.setdefault(q, []).append((int(grade), file_part, snippet))
    return queries


def grade_of(hit, judged, used):
    """The best grade among the judgments this hit meets that no earlier hit took."""
    best, best_i = 0, None
    for i, (grade, file_part, snippet) in enumerate(judged):
        if i not in used and file_part in hit["file"] and snippet in hit["text"] and grade > best:
            best, best_i = grade, i
    if best_i is not None:
        used.add(best_i)
    return best


def ndcg_recall(hits, judged, k=10):
    used = set()
    grades = [grade_of(h, judged, used) for h in hits[:k]]
    dcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(grades))
    ideal = sorted((g for g, _, _ in judged), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    # recall: judged passages found (each judgment counted once)
    found = sum(1 for g, fp, sn in judged if any(fp in h["file"] and sn in h["text"] for h in hits[:k]))
    return (dcg / idcg if idcg else 0.0), found / len(judged)


class Wensou:
    name = "wensou"

    def __init__(self, binary, files, tmp):
        self.binary, self.db = binary, os.path.join(tmp, "wensou.db")
        subprocess.run([binary, "index", "--quiet", "--db", self.db, *files], check=True, stdout=subprocess.DEVNULL)

    def search(self, q):
        r = subprocess.run([self.binary, "search", "--json", "--limit", "10", "--db", self.db, "--", *q.split()],
                           stdout=subprocess.PIPE)
        return json.loads(r.stdout)["hits"] if r.returncode == 0 else []


class XapianNgram:
    name = "python3-xapian CJK n-gram"

    def __init__(self, ps, tmp):
        path = os.path.join(tmp, "ngram.db")
        peers.ngram_index(path, ps)
        self.search = peers.ngram_searcher(path)


class Fts5Trigram:
    name = "SQLite FTS5 trigram"

    def __init__(self, ps):
        self.search = peers.fts5_searcher(ps)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wensou", default=os.path.join(ROOT, "build", "wensou"))
    ap.add_argument("--judged", default=os.path.join(HERE, "judged.tsv"))
    ap.add_argument("--show", action="store_true", help="per-query figures")
    a = ap.parse_args()
    files = sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt")))
    judged = load_judgments(a.judged)
    ps = peers.passages(a.wensou, files)
    tmp = tempfile.mkdtemp()
    try:
        systems = [Wensou(a.wensou, files, tmp), XapianNgram(ps, tmp), Fts5Trigram(ps)]
        print("%d judged queries, %d judgments, %d passages" % (len(judged), sum(map(len, judged.values())), len(ps)))
        print("%-28s %8s %10s" % ("system", "nDCG@10", "recall@10"))
        for s in systems:
            nd, rc = [], []
            for q, j in judged.items():
                n, r = ndcg_recall(s.search(q), j)
                nd.append(n)
                rc.append(r)
                if a.show:
                    print("   %-24s nDCG %.3f recall %.3f" % (q, n, r))
            print("%-28s %8.3f %10.3f" % (s.name, sum(nd) / len(nd), sum(rc) / len(rc)))
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
