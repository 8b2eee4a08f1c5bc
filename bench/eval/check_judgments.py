#!/usr/bin/python3
"""Checks bench/eval/judged-natural.tsv (or another judged file with a fifth `kind` column)
against the passages `wensou inspect` makes of corpus/: every line has five tab-separated
fields, a grade of 1 or 2, a known kind; its file-name part names exactly one corpus file;
its snippet (8-25 characters, no tab) occurs in that file's passages, and in exactly one
passage unless the same (query, file part, snippet) line is repeated once per passage it
is meant to hold; no query judges one passage twice; unspaced queries occur literally in
no passage; quotation queries are 100-300 characters and share a long stretch with the
passage graded 2; each kind has at least its minimum number of queries.
usage: /usr/bin/python3 bench/eval/check_judgments.py [--wensou build/wensou] [FILE]"""
import argparse
import collections
import glob
import json
import os
import subprocess
import sys
from difflib import SequenceMatcher

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MINIMUM = collections.OrderedDict([
    ("keyword", 50), ("unspaced", 12), ("question", 12), ("abbreviation", 8),
    ("synonym", 6), ("names-document", 8), ("across-provinces", 6), ("quotation", 8)])
TOTAL_MINIMUM = 110


def corpus_files():
    files = sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt")))
    files += sorted(glob.glob(os.path.join(ROOT, "corpus", "*", "*.docx")))
    return files


def passages(binary, files):
    """{file path: [passage text, ...]} as `wensou inspect` prints them."""
    out = {}
    for f in files:
        r = subprocess.run([binary, "inspect", f], stdout=subprocess.PIPE, check=True)
        texts = []
        for line in r.stdout.decode("utf-8").splitlines():
            d = json.loads(line)
            if "doc" not in d:
                texts.append(d["text"])
        out[f] = texts
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wensou", default=os.path.join(ROOT, "build", "wensou"))
    ap.add_argument("judged", nargs="?", default=os.path.join(HERE, "judged-natural.tsv"))
    a = ap.parse_args()
    files = corpus_files()
    ps = passages(a.wensou, files)
    errors = []
    rows = []
    for n, line in enumerate(open(a.judged, encoding="utf-8"), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\n").split("\t")
        if len(fields) != 5:
            errors.append("line %d: %d fields, want 5" % (n, len(fields)))
            continue
        rows.append((n,) + tuple(fields))

    kind_of = {}
    by_query = collections.OrderedDict()
    groups = collections.Counter()
    for n, q, grade, part, snippet, kind in rows:
        by_query.setdefault(q, []).append((n, grade, part, snippet, kind))
        groups[(q, part, snippet)] += 1
        if grade not in ("1", "2"):
            errors.append("line %d: grade %r" % (n, grade))
        if kind not in MINIMUM:
            errors.append("line %d: unknown kind %r" % (n, kind))
        if kind_of.setdefault(q, kind) != kind:
            errors.append("line %d: query %r has kinds %s and %s" % (n, q, kind_of[q], kind))
        if not 8 <= len(snippet) <= 25:
            errors.append("line %d: snippet %r is %d characters" % (n, snippet, len(snippet)))
        if snippet != snippet.strip():
            errors.append("line %d: snippet %r has spaces at an end" % (n, snippet))

    for q, lines in by_query.items():
        taken = {}
        for n, grade, part, snippet, kind in lines:
            named = [f for f in files if part in f]
            if len(named) != 1:
                errors.append("line %d: file part %r names %d files" % (n, part, len(named)))
                continue
            f = named[0]
            hits = [i for i, t in enumerate(ps[f]) if snippet in t]
            if not hits:
                errors.append("line %d: %r is in no passage of %s" % (n, snippet, os.path.basename(f)))
                continue
            if len(hits) != groups[(q, part, snippet)]:
                errors.append("line %d: %r is in %d passages of %s, judged %d times" % (
                    n, snippet, len(hits), os.path.basename(f), groups[(q, part, snippet)]))
                continue
            # repeated lines of one snippet stand for its passages in order
            k = sum(1 for key in taken if key[0] == f and key[2] == snippet)
            key = (f, hits[k], snippet)
            taken[key] = n
        seen = collections.Counter((f, i) for f, i, _ in taken)
        for (f, i), c in seen.items():
            if c > 1:
                errors.append("query %r judges passage %d of %s %d times" % (q, i, os.path.basename(f), c))
        kind = kind_of[q]
        if kind == "unspaced":
            if any(ch.isspace() for ch in q):
                errors.append("unspaced query %r has a space" % q)
            for f in files:
                if any(q in t for t in ps[f]):
                    errors.append("unspaced query %r occurs literally in %s" % (q, os.path.basename(f)))
        if kind == "quotation":
            if not 100 <= len(q) <= 300:
                errors.append("quotation %r... is %d characters" % (q[:20], len(q)))
            sources = [(f, i) for (f, i, sn), n in taken.items()
                       if [l for l in lines if l[0] == n][0][1] == "2"]
            if len(sources) != 1:
                errors.append("quotation %r... has %d passages graded 2, want 1" % (q[:20], len(sources)))
            for f, i in sources:
                m = SequenceMatcher(None, q, ps[f][i], autojunk=False)
                ratio = sum(b.size for b in m.get_matching_blocks()) / len(q)
                if ratio < 0.9:
                    errors.append("quotation %r...: only %.0f%% of it is in its source" % (q[:20], ratio * 100))

    counts = collections.Counter(kind_of.values())
    line_counts = collections.Counter(r[5] for r in rows)
    print("%-18s %8s %8s %8s" % ("kind", "queries", "minimum", "lines"))
    for kind, low in MINIMUM.items():
        print("%-18s %8d %8d %8d" % (kind, counts[kind], low, line_counts[kind]))
        if counts[kind] < low:
            errors.append("kind %s: %d queries, want at least %d" % (kind, counts[kind], low))
    print("%-18s %8d %8d %8d" % ("total", len(by_query), TOTAL_MINIMUM, len(rows)))
    if len(by_query) < TOTAL_MINIMUM:
        errors.append("%d queries, want at least %d" % (len(by_query), TOTAL_MINIMUM))
    g = collections.Counter(r[2] for r in rows)
    print("grade 2: %d lines, grade 1: %d lines; %d files, %d passages inspected" % (
        g["2"], g["1"], len(files), sum(map(len, ps.values()))))
    for e in errors:
        print("ERROR", e)
    print("FAILED: %d errors" % len(errors) if errors else "OK: every judgment checks")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
