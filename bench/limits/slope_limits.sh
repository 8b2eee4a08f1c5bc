#!/bin/bash
# What the latency slope of #15 (at most 0.3 from x100 to x1000: the median of
# bench/queries.txt, bench/queries-natural.txt and 的) would take, measured rather
# than argued. A build patched with approximate.patch (on a clone of HEAD, in a
# temporary folder) gives two knobs wensou does not offer:
# - WENSOU_PRUNE: the best-match tier, on a large index and served from memory,
#   may leave off the page a passage that cannot weigh PRUNE times the page's
#   lowest weight (the sources report their bounds PRUNE times low: unsafe WAND's
#   factor); 1 is wensou's exact page;
# - WENSOU_COUNT_AT_LEAST: the matches counted exactly before a total is
#   estimated; wensou counts 1,000 (INTERFACE: "counted exactly up to 1,000").
# For each setting, copies and distinct documents at x100 and x1000, ROUNDS
# interleaved rounds of search_latency (each the median of the queries x REPEAT);
# prints min / median / max of the rounds and the slope of the medians.
# Indexes are built once into WORK (default /tmp/wensou-limits) and reused. What
# pruning costs the pages: bench/limits/page_loss.py WORK/src/build/wensou DB F.
#
# usage: bash bench/limits/slope_limits.sh [ROUNDS] [REPEAT] ["PRUNE:COUNT ..."]   (from the repo root)
set -euo pipefail
rounds=${1:-3}
repeat=${2:-3}
settings=${3:-"1:1000 1.5:1000 3:1000 1:300 1:100 3:300 3:100"}
work=${WORK:-/tmp/wensou-limits}
[ "$rounds" -ge 1 ] || { echo "slope_limits.sh: ROUNDS must be at least 1" >&2; exit 2; }
mkdir -p "$work"
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"

src="$work/src"                      # HEAD with the patch, built once per HEAD
head=$(git rev-parse HEAD)
if [ "$(cat "$work/src.head" 2>/dev/null)" != "$head" ]; then
  rm -rf "$src"
  git clone -q . "$src"
  git -C "$src" apply bench/limits/approximate.patch
  cmake -S "$src" -B "$src/build" -DCMAKE_BUILD_TYPE=RelWithDebInfo > /dev/null
  cmake --build "$src/build" -j "$(nproc)" --target wensou search_latency > /dev/null
  echo "$head" > "$work/src.head"
fi
build="$src/build"
dict="$build/dict"
[ -f "$dict/jieba.wsd" ] || cmake --build "$build" -j "$(nproc)" > /dev/null

source bench/copies.sh
source bench/stats.sh
for s in 100 1000; do
  [ -d "$work/copies$s.db" ] || { corpus_copies "$s" "$work/copies$s" k link; "$build/wensou" index --quiet --db "$work/copies$s.db" "$work/copies$s"; }
  [ -d "$work/distinct$s.db" ] || { /usr/bin/python3 bench/distinct.py "$s" "$work/distinct$s" k; "$build/wensou" index --quiet --db "$work/distinct$s.db" "$work/distinct$s"; }
done
cat bench/queries.txt bench/queries-natural.txt > "$work/all.txt"
echo 的 >> "$work/all.txt"

declare -A med
for r in $(seq 1 "$rounds"); do
  for setting in $settings; do
    for db in copies100 copies1000 distinct100 distinct1000; do
      m=$(WENSOU_PRUNE=${setting%:*} WENSOU_COUNT_AT_LEAST=${setting#*:} "$build/bench/search_latency" "$work/$db.db" \
            "$dict/jieba.wsd" "$dict/userdict.txt" "$dict/synonyms.txt" "$work/all.txt" "$repeat" |
          awk '{for (i = 1; i <= NF; i++) if ($i == "median") print $(i + 1)}')
      med[$setting,$db]="${med[$setting,$db]:-} $m"
    done
  done
done

echo "89 queries x $repeat, $rounds rounds; medians in us (min / median / max of the rounds)"
printf "%-7s %-6s %-9s %-40s %-40s %s\n" prune count docs x100 x1000 slope
for setting in $settings; do
  for c in copies distinct; do
    a=$(median "${med[$setting,${c}100]}"); b=$(median "${med[$setting,${c}1000]}")
    printf "%-7s %-6s %-9s %-40s %-40s %.2f\n" "${setting%:*}" "${setting#*:}" "$c" "$(stats "${med[$setting,${c}100]}" 1 7)" \
      "$(stats "${med[$setting,${c}1000]}" 1 7)" "$(awk -v a="$a" -v b="$b" 'BEGIN {print log(b / a) / log(10)}')"
  done
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
