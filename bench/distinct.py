#!/usr/bin/python3
"""Distinct documents the size of N copies of the corpus, for bench/scale.sh.

A collection of copies gives every passage N identical twins, which tie on every
query. Here document i of each corpus file is that file with a share of its Han
words (SHARE, default 0.25) replaced by words drawn from the corpus's own word
frequencies (jieba's segmentation of the corpus, seeded by i, so a run is
reproducible): each passage is its own, the text's size, line breaks, headings,
word frequencies and file count are the corpus's, and the manifest gives each
document its original's title, date and kind, as copies.sh does.

usage: /usr/bin/python3 bench/distinct.py N DIR PREFIX [SHARE]   (from the repo root)
"""
import glob
import os
import random
import re
import sys

import jieba

HAN = re.compile(r"^[\u4e00-\u9fff]+$")


def tokens_of(path):
    with open(path, encoding="utf-8") as f:
        return jieba.lcut(f.read(), HMM=False)


def main():
    n, out, prefix = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    share = float(sys.argv[4]) if len(sys.argv) > 4 else 0.25
    jieba.setLogLevel(60)
    files = sorted(glob.glob("corpus/*.txt"))
    toks = {f: tokens_of(f) for f in files}
    counts = {}
    for t in toks.values():
        for w in t:
            if HAN.match(w):
                counts[w] = counts.get(w, 0) + 1
    words = sorted(counts)
    cum, total = [], 0
    for w in words:
        total += counts[w]
        cum.append(total)
    han_at = {f: [k for k, w in enumerate(t) if HAN.match(w)] for f, t in toks.items()}
    os.makedirs(out, exist_ok=True)
    width = len(str(n))
    for i in range(1, n + 1):
        rng = random.Random(i)
        for f in files:
            t = list(toks[f])
            at = han_at[f]
            picks = rng.sample(at, int(len(at) * share))
            for k, r in zip(picks, rng.choices(words, cum_weights=cum, k=len(picks))):
                t[k] = r
            name = "%s%0*d-%s" % (prefix, width, i, os.path.basename(f))
            with open(os.path.join(out, name), "w", encoding="utf-8") as g:
                g.write("".join(t))
    with open("corpus/manifest.tsv", encoding="utf-8") as m, open(os.path.join(out, "manifest.tsv"), "w", encoding="utf-8") as g:
        head, *rows = m.read().splitlines()
        g.write(head + "\n")
        for i in range(1, n + 1):
            for r in rows:
                c = r.split("\t")
                c[0] = "%s%0*d-%s" % (prefix, width, i, c[0])
                g.write("\t".join(c) + "\n")


if __name__ == "__main__":
    main()
