#!/usr/bin/env python3
"""Where a search's match time goes, tier by tier, at two scales.

Reads two logs of `WENSOU_DEBUG_QUERY=1 build/bench/search_latency DB ... QUERIES REPEAT`
(stderr), each timed search headed by "-- query Q", and sums per tier the median
over the passes of each query's time in that tier: tN-rank (a tier's ranked match,
with its count when it counts on the way) and tN-count (a match asked for no hits:
a count alone). With --each, the split per query as well.

usage: python3 bench/tier_split.py SMALL.log LARGE.log [--each]
"""
import collections
import re
import statistics
import sys

TIER = re.compile(r"tier (\d+)")
TIME = re.compile(r"\s+([\d.]+) ms, \d+ hits of (\d+) asked")


def load(path):
    """query -> {tier part: median µs over its passes}"""
    passes = collections.defaultdict(list)
    tier = None
    query = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("-- query "):
                query = line[len("-- query "):].rstrip("\n")
                passes[query].append(collections.Counter())
                continue
            m = TIER.match(line)
            if m:
                tier = m.group(1)
                continue
            m = TIME.match(line)
            if m and query is not None and tier is not None:
                part = "t%s-%s" % (tier, "count" if m.group(2) == "0" else "rank")
                passes[query][-1][part] += float(m.group(1)) * 1000
    return {q: {k: statistics.median(p.get(k, 0) for p in runs) for k in set().union(*runs)}
            for q, runs in passes.items()}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    small, large = load(sys.argv[1]), load(sys.argv[2])
    each = "--each" in sys.argv[3:]
    sums = collections.defaultdict(lambda: [0.0, 0.0])
    for q in small:
        parts = sorted(set(small[q]) | set(large.get(q, {})))
        for k in parts:
            sums[k][0] += small[q].get(k, 0)
            sums[k][1] += large.get(q, {}).get(k, 0)
        if each:
            print("%-24s %s" % (q[:24], "  ".join("%s %.0f -> %.0f" % (k, small[q].get(k, 0), large.get(q, {}).get(k, 0))
                                                  for k in parts)))
    print("per pass, the queries' medians summed (ms):")
    for k in sorted(sums):
        a, b = sums[k]
        print("  %-9s %9.1f -> %9.1f  (%.1fx)" % (k, a / 1000, b / 1000, b / a if a else float("nan")))


if __name__ == "__main__":
    main()
