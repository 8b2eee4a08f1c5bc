#!/usr/bin/python3
"""Word-level agreement of `wensou segment --no-user-dict` with jieba.lcut (HMM on,
Debian's python3-jieba) over the corpus, and accuracy of both against the UD
Chinese-GSDSimp gold segmentation. Prints F1 figures and the differences.

usage: /usr/bin/python3 bench/seg_agreement.py [--wensou build/wensou] [--gold FILE] [--show N] [FILES...]
"""
import argparse
import collections
import glob
import os
import subprocess
import sys

import jieba

jieba.setLogLevel(60)
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def spans(tokens):
    """Character spans of tokens laid end to end over the line's non-space text."""
    out, pos = [], 0
    for t in tokens:
        out.append((pos, pos + len(t)))
        pos += len(t)
    return out


def f1(gold, test):
    g, t = set(gold), set(test)
    tp = len(g & t)
    p = tp / len(t) if t else 1.0
    r = tp / len(g) if g else 1.0
    return tp, len(g), len(t), (2 * p * r / (p + r) if p + r else 0.0)


def wensou_lines(binary, lines, extra):
    text = "\n".join(lines) + "\n"
    out = subprocess.run([binary, "segment", *extra], input=text.encode(), stdout=subprocess.PIPE,
                         check=True).stdout.decode()
    res = out.split("\n")[:-1]
    assert len(res) == len(lines), (len(res), len(lines))
    return [[t for t in r.split(" / ") if t] if r else [] for r in res]


def jieba_lines(lines):
    return [[w for w in jieba.lcut(l) if w.strip()] for l in lines]


def strip_spaces(tokens):
    return ["".join(t.split()) for t in tokens if "".join(t.split())]


def compare(name, ref, test, diffs):
    tp = ng = nt = 0
    for i, (r, t) in enumerate(zip(ref, test)):
        r, t = strip_spaces(r), strip_spaces(t)
        a, b, c, _ = f1(spans(r), spans(t))
        tp, ng, nt = tp + a, ng + b, nt + c
        if r != t and diffs is not None:
            diffs.append((name, i + 1, " / ".join(r), " / ".join(t)))
    p = tp / nt if nt else 1
    rc = tp / ng if ng else 1
    return tp, ng, nt, 2 * p * rc / (p + rc) if p + rc else 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wensou", default=os.path.join(ROOT, "build", "wensou"))
    ap.add_argument("--gold", default=os.path.join(ROOT, "bench", "data", "zh_gsdsimp-ud-test.seg.utf8"))
    ap.add_argument("--show", type=int, default=20, help="differences to print")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    files = a.files or sorted(glob.glob(os.path.join(ROOT, "corpus", "*.txt")))

    print("== agreement with jieba.lcut (HMM on), wensou --no-user-dict")
    tot = [0, 0, 0]
    diffs = []
    for f in files:
        lines = open(f, encoding="utf-8").read().split("\n")
        lines = [l.replace("\r", "") for l in lines]
        ref = jieba_lines(lines)
        test = wensou_lines(a.wensou, lines, ["--no-user-dict"])
        tp, ng, nt, score = compare(os.path.basename(f), ref, test, diffs)
        tot = [tot[0] + tp, tot[1] + ng, tot[2] + nt]
        print("  %-50s words %6d  F1 %.5f" % (os.path.basename(f), ng, score))
    p, r = tot[0] / tot[2], tot[0] / tot[1]
    print("  %-50s words %6d  F1 %.5f  (target >= 0.995)" % ("ALL", tot[1], 2 * p * r / (p + r)))
    if diffs:
        print("  lines that differ: %d; first %d (file:line  jieba  ||  wensou):" % (len(diffs), min(a.show, len(diffs))))
        for name, ln, r, t in diffs[:a.show]:
            print("   %s:%d\n     jieba : %s\n     wensou: %s" % (name, ln, r, t))

    if os.path.exists(a.gold):
        print("\n== accuracy against UD Chinese-GSDSimp test (gold words), same text")
        gold = [l.rstrip("\n").split("  ") for l in open(a.gold, encoding="utf-8")]
        gold = [[w for w in g if w.strip()] for g in gold]
        raw = ["".join(g) for g in gold]
        for label, test in (("jieba.lcut", jieba_lines(raw)),
                            ("wensou --no-user-dict", wensou_lines(a.wensou, raw, ["--no-user-dict"])),
                            ("wensou (user dict)", wensou_lines(a.wensou, raw, []))):
            tp, ng, nt, score = compare("gold", gold, test, None)
            print("  %-24s P %.4f  R %.4f  F1 %.4f" % (label, tp / nt, tp / ng, score))


if __name__ == "__main__":
    main()
