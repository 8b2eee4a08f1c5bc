#!/usr/bin/env bash
# Indexing settings benchmark (#15): one collection (bench/scale.sh's copies or
# distinct documents, SCALE times the corpus) indexed into a new index under each
# of SETTINGS, in ROUNDS interleaved rounds whose order turns each round (so no
# setting always runs after the same one). A setting is "default" or environment
# assignments joined by commas: XAPIAN_FLUSH_THRESHOLD=4000 (passages Xapian
# buffers between merges), WENSOU_PART_BYTES=999999999999 (a new index in two
# halves, not in parts). Per run: seconds, CPU-seconds, MB of text per CPU-second,
# peak RSS and write amplification (bytes written / index size), with the load
# average before it; then min / median / max of each over the rounds.
# usage: [COLLECTION=copies|distinct] bench/index_settings.sh [BUILD_DIR] [SCALE] ["SETTINGS"] [ROUNDS]   (from the repo root)
set -euo pipefail
build=${1:-build}
scale=${2:-1000}
settings=(${3:-default WENSOU_PART_BYTES=999999999999})
rounds=${4:-3}
collection=${COLLECTION:-distinct}
case $collection in copies|distinct) ;; *) echo "index_settings.sh: COLLECTION is copies or distinct" >&2; exit 2 ;; esac
[ "$rounds" -ge 1 ] || { echo "index_settings.sh: ROUNDS must be at least 1" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

source bench/copies.sh
source bench/stats.sh
docs="$tmp/docs"
if [ "$collection" = distinct ]; then
  /usr/bin/python3 bench/distinct.py "$scale" "$docs" k
else
  corpus_copies "$scale" "$docs" k link
fi
sync
text=$(cat "$docs"/*.txt | wc -c)
echo "== $collection x $scale: $(ls "$docs"/*.txt | wc -l) files, $((text / 1000000)) MB of text; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

declare -A cpu secs wamp rss
n=${#settings[@]}
for r in $(seq 1 "$rounds"); do
  for k in $(seq 0 $((n - 1))); do
    t=${settings[$(((k + r - 1) % n))]}
    env_args=()
    [ "$t" = default ] || IFS=, read -r -a env_args <<< "$t"
    rm -rf "$tmp/w.db"
    sync                                   # the last run's writeback stays out of this one
    load=$(cut -d' ' -f1 /proc/loadavg)
    env "${env_args[@]}" /usr/bin/time -f "%e %U %S %M %O" -o "$tmp/time" \
      "$build/wensou" index --quiet --db "$tmp/w.db" "$docs" > /dev/null
    read -r s u y m o < "$tmp/time"
    size=$(du -sb "$tmp/w.db" | cut -f1)
    line=$(awk -v t="$text" -v s="$s" -v u="$u" -v y="$y" -v m="$m" -v o="$o" -v z="$size" 'BEGIN {
      printf "%.1f %.1f %.3f %.0f %.2f", s, u + y, t / 1e6 / (u + y), m / 1024, o * 512 / z }')
    read -r ls lc lm lr lw <<< "$line"
    printf "   round %d  %-40s  %7.1f s  %7.1f CPU-s  %6.3f MB per CPU-s  peak RSS %5.0f MB  written %.2fx the index  (load %s)\n" \
      "$r" "$t" "$ls" "$lc" "$lm" "$lr" "$lw" "$load"
    secs[$t]="${secs[$t]:-} $ls"; cpu[$t]="${cpu[$t]:-} $lm"; wamp[$t]="${wamp[$t]:-} $lw"; rss[$t]="${rss[$t]:-} $lr"
  done
done
for t in "${settings[@]}"; do
  echo "$t:"
  echo "   seconds           $(stats "${secs[$t]}" 1 8)"
  echo "   MB per CPU-s      $(stats "${cpu[$t]}" 3 8)"
  echo "   written / index   $(stats "${wamp[$t]}" 2 8)"
  echo "   peak RSS MB       $(stats "${rss[$t]}" 0 8)"
done
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
