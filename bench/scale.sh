#!/usr/bin/env bash
# Scale benchmark (#15): the corpus repeated 1, 10, 100 and 1000 times (×1000 = 5,000
# files, 208 MB of text, ~505,000 passages). Per scale: wensou's index time, size,
# peak RSS and bytes written (write amplification = written / size) beside the CJK
# n-gram peer's (python3-xapian, the same passages); then ROUNDS interleaved rounds of
# query latency (bench/queries.txt, bench/queries-natural.txt and 的, each query
# REPEAT times, in process) for wensou and the peer, and 的 alone; min / median / max
# over the rounds of each system's median and p99, the load average, and the slope of
# wensou's median latency against collection size (log10 of the ratio per decade).
# Each round also splits wensou's mean search into the match (every tier's
# xsh_search, as WENSOU_DEBUG_QUERY times it, in a run of its own) and the rest
# (the mean of the timed run less the match): what grows of each is the slope's
# make-up.
# Indexing runs INDEX_ROUNDS interleaved rounds (wensou, then the peer, each into a
# new index) with min / median / max and the ratio in each round.
# COLLECTION=distinct makes each scale of distinct documents instead (bench/distinct.py:
# every copy's Han words a quarter replaced from the corpus's word frequencies, so no two
# passages tie as copies do), the same size, files and manifest; the peer indexes them.
# usage: [COLLECTION=copies|distinct] bench/scale.sh [BUILD_DIR] ["SCALES"] [ROUNDS] [REPEAT] [INDEX_ROUNDS]   (from the repo root)
set -euo pipefail
build=${1:-build}
scales=${2:-1 10 100 1000}
rounds=${3:-3}
repeat=${4:-3}
index_rounds=${5:-$rounds}
collection=${COLLECTION:-copies}
case $collection in copies|distinct) ;; *) echo "scale.sh: COLLECTION is copies or distinct" >&2; exit 2 ;; esac
[ "$index_rounds" -ge 1 ] && [ "$rounds" -ge 1 ] || { echo "scale.sh: ROUNDS and INDEX_ROUNDS must be at least 1" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
cat bench/queries.txt bench/queries-natural.txt > "$tmp/all.txt"
echo 的 >> "$tmp/all.txt"
echo 的 > "$tmp/de.txt"
dict="$build/dict"

source bench/copies.sh
source bench/stats.sh
declare -A wmed pmed wmm wrest
for s in $scales; do
  docs="$tmp/docs$s"
  if [ "$collection" = distinct ]; then
    /usr/bin/python3 bench/distinct.py "$s" "$docs" k
    peer_args=(1 "$docs"/*.txt)          # the peer indexes the same distinct files
  else
    corpus_copies "$s" "$docs" k link
    peer_args=("$s" corpus/*.txt)        # the corpus's passages, s times over
  fi
  sync
  text=$(cat "$docs"/*.txt | wc -c)
  echo "== $collection of the corpus x $s: $(ls "$docs"/*.txt | wc -l) files, $((text / 1000000)) MB of text"
  # INDEX_ROUNDS interleaved rounds of wensou then the peer, each into a new index;
  # the searches below use the last round's indexes
  ws=""; peer_s=""; ratios=""; cpu=""
  for r in $(seq 1 "$index_rounds"); do
    rm -rf "$tmp/w$s.db" "$tmp/p$s.db"
    sync                   # the copies' (and the last round's) writeback stays out of this round
    /usr/bin/time -f "%e %U %S %M %O" -o "$tmp/time" "$build/wensou" index --quiet --db "$tmp/w$s.db" "$docs" > "$tmp/summary"
    read -r secs user sys rss out < "$tmp/time"
    size=$(du -sb "$tmp/w$s.db" | cut -f1)
    passages=$(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/summary")
    awk -v t="$text" -v s="$secs" -v u="$user" -v y="$sys" -v r="$rss" -v o="$out" -v z="$size" -v p="$passages" -v n="$r" 'BEGIN {
      printf "   round %d %-20s %7.1f s  %5.2f MB/s  %5.2f MB per CPU-s  index %7.1f MB  peak RSS %6.0f MB  written %7.1f MB (%.2fx the index)  %s passages\n",
        n, "wensou index", s, t/1e6/s, t/1e6/(u+y), z/1e6, r/1024, o*512/1e6, o*512/z, p }'
    sync
    read -r psecs psize prss < <(/usr/bin/python3 bench/scale_peer.py index "$build/wensou" "$tmp/p$s.db" "${peer_args[@]}")
    awk -v t="$text" -v s="$psecs" -v z="$psize" -v r="$prss" -v n="$r" 'BEGIN {
      printf "   round %d %-20s %7.1f s  %5.2f MB/s  index %7.1f MB  peak RSS %6.0f MB (passages given)\n", n, "n-gram peer index", s, t/1e6/s, z/1e6, r/1024 }'
    ws="$ws $secs"; peer_s="$peer_s $psecs"
    cpu="$cpu $(awk -v t="$text" -v u="$user" -v y="$sys" 'BEGIN {printf "%.3f", t/1e6/(u+y)}')"
    ratios="$ratios $(awk -v a="$secs" -v b="$psecs" 'BEGIN {printf "%.2f", b/a}')"
  done
  echo "   index seconds: wensou $(stats "$ws" 2);  peer $(stats "$peer_s" 2)"
  echo "   wensou MB per CPU-s: $(stats "$cpu" 2)"
  echo "   indexing: wensou's speed over the peer's in each round:$ratios  ($(stats "$ratios" 2); target >= 2x in every run at x100)"
  wm=""; wp=""; pm=""; pp=""; dm=""; dpm=""; wmean=""; wmatch=""
  sync                     # the last round's writeback (GBs at x1000) stays out of the searches
  echo "   load average before the searches: $(cut -d' ' -f1-3 /proc/loadavg)"
  for r in $(seq 1 "$rounds"); do
    read -r m p a < <("$build/bench/search_latency" "$tmp/w$s.db" "$dict/jieba.wsd" "$dict/userdict.txt" "$dict/synonyms.txt" "$tmp/all.txt" "$repeat" | awk '{for (i=1;i<=NF;i++) {if ($i=="median") m=$(i+1); if ($i=="p99") p=$(i+1); if ($i=="mean") a=$(i+1)}} END {print m, p, a}')
    wm="$wm $m"; wp="$wp $p"; wmean="$wmean $a"
    # the match's share: the tiers' times the timed passes print, per search
    match=$(WENSOU_DEBUG_QUERY=1 "$build/bench/search_latency" "$tmp/w$s.db" "$dict/jieba.wsd" "$dict/userdict.txt" "$dict/synonyms.txt" "$tmp/all.txt" "$repeat" 2>&1 >/dev/null |
      awk -v n="$(( $(wc -l < "$tmp/all.txt") * repeat ))" '/^-- timed passes/ {on = 1; next} on && /^  [0-9.]+ ms,/ {ms += $1} END {printf "%.1f", ms * 1000 / n}')
    wmatch="$wmatch $match"
    read -r m p < <(/usr/bin/python3 bench/scale_peer.py search "$tmp/p$s.db" "$tmp/all.txt" "$repeat")
    pm="$pm $m"; pp="$pp $p"
    read -r m p < <("$build/bench/search_latency" "$tmp/w$s.db" "$dict/jieba.wsd" "$dict/userdict.txt" "$dict/synonyms.txt" "$tmp/de.txt" 9 | awk '{for (i=1;i<=NF;i++) {if ($i=="median") m=$(i+1)}} END {print m, 0}')
    dm="$dm $m"
    read -r m p < <(/usr/bin/python3 bench/scale_peer.py search "$tmp/p$s.db" "$tmp/de.txt" 9)
    dpm="$dpm $m"
  done
  echo "   search, $(wc -l < "$tmp/all.txt") queries x $repeat, $rounds rounds (us):"
  echo "     wensou      median $(stats "$wm")   p99 $(stats "$wp")"
  echo "     n-gram peer median $(stats "$pm")   p99 $(stats "$pp")"
  echo "     的: wensou median $(stats "$dm");  peer median $(stats "$dpm")"
  awk -v a="$(median "$wm")" -v b="$(median "$pm")" 'BEGIN { printf "     wensou'"'"'s median is %.2fx the peer'"'"'s\n", a/b }'
  wmeanm=$(median "$wmean"); wmatchm=$(median "$wmatch")
  echo "     wensou's mean $(stats "$wmean"); of it the match $(stats "$wmatch")"
  awk -v a="$wmeanm" -v b="$wmatchm" 'BEGIN { printf "     medians: the match %.1f us, the rest %.1f us of a mean search\n", b, a - b }'
  wmm[$s]=$wmatchm
  wrest[$s]=$(awk -v a="$wmeanm" -v b="$wmatchm" 'BEGIN {printf "%.1f", a - b}')
  echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  wmed[$s]=$(median "$wm")
  pmed[$s]=$(median "$pm")
  rm -rf "$tmp/p$s.db"
  prev=$s
done
echo "== slope of the median latency per decade of collection size (wensou's target <= 0.3 from x100 to x1000)"
last=""
for s in $scales; do
  if [ -n "$last" ]; then
    awk -v a="${wmed[$last]}" -v b="${wmed[$s]}" -v c="${pmed[$last]}" -v d="${pmed[$s]}" -v x="$last" -v y="$s" 'BEGIN {
      printf "   x%s -> x%s: wensou %.1f -> %.1f us, slope %.2f;  peer %.1f -> %.1f us, slope %.2f\n", x, y, a, b, log(b/a)/log(y/x), c, d, log(d/c)/log(y/x) }'
    awk -v a="${wmm[$last]}" -v b="${wmm[$s]}" -v c="${wrest[$last]}" -v d="${wrest[$s]}" 'BEGIN {
      printf "     of a mean search: the match %.1f -> %.1f us (%.1fx), the rest %.1f -> %.1f us (%.1fx)\n", a, b, b/a, c, d, d/c }'
  fi
  last=$s
done
