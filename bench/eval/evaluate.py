#!/usr/bin/python3
"""Ranking quality on judged queries: nDCG@10, recall@10 and the share of queries
with no result, for wensou beside its peers, all over the same passages (those
`wensou inspect` makes of corpus/), in one run:

- python3-xapian's CJK n-gram search (QueryParser, FLAG_CJK_NGRAM);
- SQLite FTS5's trigram search (AND of the words);
- python3-xapian over python3-jieba's search-mode words, OR, BM25;
- MiniSearch (npm) over @node-rs/jieba search-mode words, OR, BM25, with the title
  and heading path as a second field (bench/eval/minisearch; needs node and npm).

Two judged sets: judged.tsv (keyword queries over the five Keqiao documents, the
set of earlier figures: it is run over those five files only) and
judged-natural.tsv (queries of every kind over all 33 documents, see JUDGING.md),
reported per kind and per half: 'keyword' vs the natural kinds. A third,
judged-heldout.tsv (14 synonym and question queries), was written by a judge who
saw neither wensou's vocabulary nor its results, after the tuning it measures. A fourth,
judged-near-quotation.tsv, holds passages quoted with a reporter's edits, each judged
by construction (its source passage). A hit is relevant
when its file name holds the judged part and its text holds the judged snippet.
usage: /usr/bin/python3 bench/eval/evaluate.py [--wensou build/wensou] [--show] [--only wensou]"""
import argparse
import glob
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import peers  # noqa: E402  (bench/peers.py)

NATURAL_KINDS = ["unspaced", "question", "abbreviation", "synonym", "names-document", "across-provinces", "quotation"]


def load_judgments(path, default_kind):
    """query → (kind, [(grade, file part, snippet)]), in file order."""
    queries = {}
    for line in open(path, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        f = line.rstrip("\n").split("\t")
        q, grade, file_part, snippet = f[:4]
        kind = f[4] if len(f) > 4 else default_kind
        queries.setdefault(q, (kind, []))[1].append((int(grade), file_part, snippet))
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
    # recall@10: of the judged passages, those found, out of at most 10 findable
    found = sum(1 for g, fp, sn in judged if any(fp in h["file"] and sn in h["text"] for h in hits[:k]))
    return (dcg / idcg if idcg else 0.0), found / min(len(judged), k)


class Wensou:
    name = "wensou"

    def __init__(self, binary, files, tmp):
        self.binary, self.db = binary, os.path.join(tmp, "wensou-%d.db" % len(files))
        subprocess.run([binary, "index", "--quiet", "--db", self.db, *files], check=True, stdout=subprocess.DEVNULL)

    def search_all(self, queries):
        out = []
        for q in queries:
            r = subprocess.run([self.binary, "search", "--json", "--limit", "10", "--db", self.db, "--", *q.split()],
                               stdout=subprocess.PIPE, env=dict(os.environ, LC_ALL="C.UTF-8"))
            out.append(json.loads(r.stdout)["hits"] if r.returncode == 0 else [])
        return out


class PythonPeer:
    def __init__(self, name, search):
        self.name, self.search = name, search

    def search_all(self, queries):
        return [self.search(q) for q in queries]


class MiniSearchPeer:
    name = "MiniSearch + @node-rs/jieba, OR"

    def __init__(self, ps, tmp):
        self.ps, self.tmp = ps, tmp
        self.dir = os.path.join(HERE, "minisearch")
        if not os.path.isdir(os.path.join(self.dir, "node_modules")):
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--silent"], cwd=self.dir, check=True)
        self.passages = os.path.join(tmp, "passages-%d.jsonl" % len(ps))
        with open(self.passages, "w", encoding="utf-8") as f:
            for p in ps:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")

    def search_all(self, queries):
        qpath = os.path.join(self.tmp, "queries.txt")
        with open(qpath, "w", encoding="utf-8") as f:
            f.write("".join(q + "\n" for q in queries))
        r = subprocess.run(["node", os.path.join(self.dir, "peer.mjs"), self.passages, qpath],
                           stdout=subprocess.PIPE, check=True)
        return [[self.ps[i] for i in json.loads(l)] for l in r.stdout.decode().splitlines()]


def systems_for(a, files, tmp, tag):
    ps = peers.passages(a.wensou, files)
    out = [Wensou(a.wensou, files, tmp)]
    if a.only != "wensou":
        ngram, jb = os.path.join(tmp, "ngram-%s.db" % tag), os.path.join(tmp, "jieba-%s.db" % tag)
        peers.ngram_index(ngram, ps)
        peers.jieba_index(jb, ps)
        out += [PythonPeer("python3-xapian CJK n-gram", peers.ngram_searcher(ngram)),
                PythonPeer("SQLite FTS5 trigram", peers.fts5_searcher(ps)),
                PythonPeer("python3-xapian jieba words, OR", peers.jieba_searcher(jb)),
                MiniSearchPeer(ps, tmp)]
    return ps, out


def evaluate(systems, judged, show):
    """system name → query → (nDCG, recall, hits returned)."""
    queries = list(judged)
    res = {}
    for s in systems:
        hits = s.search_all(queries)
        res[s.name] = {}
        for q, h in zip(queries, hits):
            n, r = ndcg_recall(h, judged[q][1])
            res[s.name][q] = (n, r, len(h))
            if show:
                print("   %-28s %-16s %-36s nDCG %.3f recall %.3f%s" % (s.name[:28], judged[q][0], q[:36], n, r,
                                                                          "  NO RESULT" if not h else ""))
    return res


def mean(xs):
    xs = list(xs)
    return sum(xs) / len(xs) if xs else float("nan")


def report(title, res, judged, groups):
    print("\n== " + title)
    print("%-32s" % "system" + "".join("%18s" % g for g, _ in groups))
    print("%-32s" % "" + "".join("%18s" % "nDCG rec  none" for _ in groups))
    for name, per_q in res.items():
        cells = []
        for _, kinds in groups:
            qs = [q for q in judged if judged[q][0] in kinds]
            cells.append("%5.3f %4.2f %4.0f%%" % (mean(per_q[q][0] for q in qs), mean(per_q[q][1] for q in qs),
                                                 100 * mean(per_q[q][2] == 0 for q in qs)))
        print("%-32s" % name[:32] + "".join("%18s" % c for c in cells))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wensou", default=os.path.join(ROOT, "build", "wensou"))
    ap.add_argument("--show", action="store_true", help="per-query figures")
    ap.add_argument("--only", help="'wensou': no peers (a quick look while tuning)")
    a = ap.parse_args()
    keqiao = sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt")))
    every = keqiao + sorted(glob.glob(os.path.join(ROOT, "corpus", "2025-provincial-docx", "*.docx")))
    old = load_judgments(os.path.join(HERE, "judged.tsv"), "keyword")
    new = load_judgments(os.path.join(HERE, "judged-natural.tsv"), None)
    tmp = tempfile.mkdtemp()
    try:
        ps, systems = systems_for(a, keqiao, tmp, "keqiao")
        print("judged.tsv: %d keyword queries, %d judgments, over %d passages of the 5 Keqiao documents"
              % (len(old), sum(len(j) for _, j in old.values()), len(ps)))
        report("judged.tsv (keyword, 5 documents): nDCG@10, recall@10, share of queries with no result",
               evaluate(systems, old, a.show), old, [("all", ["keyword"])])
        ps, systems = systems_for(a, every, tmp, "all")
        print("\njudged-natural.tsv: %d queries, %d judgments, over %d passages of the 33 documents"
              % (len(new), sum(len(j) for _, j in new.values()), len(ps)))
        res = evaluate(systems, new, a.show)
        report("judged-natural.tsv by half", res, new,
               [("keyword half", ["keyword"]), ("natural half", NATURAL_KINDS)])
        report("judged-natural.tsv by kind (natural half)", res, new, [(k[:17], [k]) for k in NATURAL_KINDS[:4]])
        report("judged-natural.tsv by kind (natural half, cont.)", res, new, [(k[:17], [k]) for k in NATURAL_KINDS[4:]])
        held = load_judgments(os.path.join(HERE, "judged-heldout.tsv"), None)
        print("\njudged-heldout.tsv: %d queries, %d judgments (written blind, after tuning; see JUDGING.md)"
              % (len(held), sum(len(j) for _, j in held.values())))
        res = evaluate(systems, held, a.show)
        report("judged-heldout.tsv", res, held, [("all", ["synonym", "question"]), ("synonym", ["synonym"]),
                                                 ("question", ["question"])])
        near = load_judgments(os.path.join(HERE, "judged-near-quotation.tsv"), None)
        print("\njudged-near-quotation.tsv: %d passages quoted with a reporter's edits (see JUDGING.md)" % len(near))
        res = evaluate(systems, near, a.show)
        report("judged-near-quotation.tsv", res, near, [("all", ["near-quotation"])])
    finally:
        shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
