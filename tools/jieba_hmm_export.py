#!/usr/bin/env python3
"""Exports jieba's HMM tables (finalseg/prob_*.py, Python literals) as TSV for
tools/dictc.c: `start S logp`, `trans S T logp`, `emit S codepoint logp`.
Reads the files as data with ast.literal_eval; jieba itself is not imported."""
import ast
import os
import sys


def load(path):
    with open(path, encoding="utf-8") as f:
        src = f.read()
    return ast.literal_eval(src[src.index("P=") + 2:])


def main():
    d = sys.argv[1]
    out = sys.stdout
    for s, p in sorted(load(os.path.join(d, "prob_start.py")).items()):
        out.write("start\t%s\t%r\n" % (s, p))
    for s, row in sorted(load(os.path.join(d, "prob_trans.py")).items()):
        for t, p in sorted(row.items()):
            out.write("trans\t%s\t%s\t%r\n" % (s, t, p))
    for s, row in sorted(load(os.path.join(d, "prob_emit.py")).items()):
        for ch, p in sorted(row.items()):
            out.write("emit\t%s\t%d\t%r\n" % (s, ord(ch), p))


if __name__ == "__main__":
    main()
