#!/usr/bin/env python3
"""What an approximate best match costs the page: the build slope_limits.sh patches
(approximate.patch) serves DB twice, WENSOU_PRUNE=1 (the exact page) and =F, and
answers the queries of bench/same_answers.py (per_doc 0, a page of 10). Per query:
whether the page is the same (each hit's file, start and score), the share of the
exact page's hits it keeps, and the share of the exact page's summed score it keeps
(hits tie, so another passage of the same score loses nothing). Only queries whose
best-match tier ran can change; those are counted apart.

usage: python3 bench/limits/page_loss.py PATCHED_WENSOU DB F [F ...]   (from the repo root)"""
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from same_answers import Daemon, queries  # noqa: E402


def pages(binary, db, prune, qs, folder):
    os.environ["WENSOU_PRUNE"] = prune
    d = Daemon(binary, db, folder, "prune" + prune)
    try:
        out = []
        for q in qs:
            hits = d.search(q, 0).get("result", {}).get("hits", [])
            out.append([(h["file"], h["start"], h["score"]) for h in hits])
        return out
    finally:
        d.close()


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    binary, db, factors = argv[1], argv[2], argv[3:]
    qs = queries()
    with tempfile.TemporaryDirectory() as folder:
        exact = pages(binary, db, "1", qs, folder)
        for f in factors:
            approx = pages(binary, db, f, qs, folder)
            same = kept_hits = kept_score = changed = 0
            worst = []
            for q, e, a in zip(qs, exact, approx):
                if e == a:
                    same += 1
                    continue
                changed += 1
                hits = len(set(e) & set(a)) / len(e) if e else 1.0
                score = sum(s for _, _, s in a) / sum(s for _, _, s in e) if e else 1.0
                kept_hits += hits
                kept_score += score
                worst.append((score, hits, q))
            print(f"{db} prune {f}: {same} of {len(qs)} pages the same; "
                  f"the {changed} others keep {kept_hits / max(changed, 1):.0%} of the exact page's hits and "
                  f"{kept_score / max(changed, 1):.0%} of its summed score (means)")
            for score, hits, q in sorted(worst)[:3]:
                print(f"    {q[:40]}: {hits:.0%} of the hits, {score:.0%} of the score")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
