#!/usr/bin/env bash
# Index benchmark (#4, #15): wensou index on the corpus repeated 100x (~21 MB, 500
# files), end to end (read, model, segment, index), beside python3-xapian's CJK
# n-gram indexing of the same passages (given to it untimed), interleaved: ROUNDS
# rounds of wensou then the peer, each into a new index. Prints each run, min /
# median / max of each side's MB/s, the ratio in every round and the load average.
# usage: bench/index.sh [BUILD_DIR] [REPEAT] [ROUNDS]   (from the repo root)
set -euo pipefail
build=${1:-build}
repeat=${2:-100}
rounds=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
source bench/copies.sh
source bench/stats.sh
corpus_copies "$repeat" "$tmp/docs" r copy
bytes=$(cat "$tmp"/docs/*.txt | wc -c)
echo "== input: corpus x $repeat: $(ls "$tmp"/docs/*.txt | wc -l) files, $bytes bytes"

mbs() { awk '{for (i=1;i<=NF;i++) if ($i=="MB/s") print $(i-1)}' "$1"; }

wall=""; peer=""; ratios=""
for r in $(seq 1 "$rounds"); do
  rm -rf "$tmp/wensou.db" "$tmp/ngram.db"
  # the copies' (and the last run's) writeback must not land in this run's commits
  sync
  /usr/bin/time -f "%e %M" -o "$tmp/time" "$build/wensou" index --quiet --db "$tmp/wensou.db" "$tmp/docs" > "$tmp/summary"
  read -r secs rss < "$tmp/time"
  passages=$(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/summary")
  size=$(du -sb "$tmp/wensou.db" | cut -f1)
  awk -v b="$bytes" -v s="$secs" -v p="$passages" -v z="$size" -v r="$rss" -v n="$r" 'BEGIN {
    printf "round %d  %-28s %7.2f MB/s  %8.0f passages/s  index %6.1f MB  peak RSS %5.0f MB\n", n, "wensou index", b/1e6/s, p/s, z/1e6, r/1024 }' | tee "$tmp/wensou.line"
  [ "$r" = 1 ] && echo "   re-run on unchanged files: $("$build/wensou" index --quiet --db "$tmp/wensou.db" "$tmp/docs")"
  sync
  /usr/bin/python3 bench/xapian_ngram_index.py "$build/wensou" "$tmp/ngram.db" "$tmp"/docs/*.txt | sed "s/^/round $r  /" | tee "$tmp/peer.line"
  w=$(mbs "$tmp/wensou.line"); p=$(mbs "$tmp/peer.line")
  wall="$wall $w"; peer="$peer $p"
  ratios="$ratios $(awk -v a="$w" -v b="$p" 'BEGIN {printf "%.2f", a/b}')"
done
echo "wensou index MB/s:        $(stats "$wall" 2 6)"
echo "n-gram peer MB/s:         $(stats "$peer" 2 6)"
echo "speed ratio in each round:$ratios  ($(stats "$ratios" 2 6); target >= 2x in every run)"
awk '{for (i=1;i<=NF;i++) if ($i=="index") sz=$(i+1)} NR==1{ws=sz} NR==2{printf "index %.2fx the peer'"'"'s size (target <= 1x)\n", ws/sz}' "$tmp/wensou.line" "$tmp/peer.line"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
