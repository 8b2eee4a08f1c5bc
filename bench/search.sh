#!/usr/bin/env bash
# Search latency benchmark (issue 5): median and p99 per query for a fixed list
# (bench/queries.txt), wensou in process beside python3-xapian's n-gram search and
# SQLite FTS5 trigram over the same passages, on the corpus and on the corpus
# repeated REPEAT times; then a whole `wensou search` process.
# usage: bench/search.sh [BUILD_DIR] [REPEAT]   (from the repo root)
set -euo pipefail
build=${1:-build}
repeat=${2:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
lat() {  # DB FILES...
  local db=$1; shift
  "$build/bench/search_latency" "$db" "$build/dict/jieba.wsd" "$build/dict/userdict.txt" "$build/dict/synonyms.txt" bench/queries.txt 50
  /usr/bin/python3 bench/search_peers.py "$build/wensou" bench/queries.txt 20 "$@"
}
echo "== the corpus (5 files); targets: wensou median <= 100 us, p99 <= 1 ms"
"$build/wensou" index --quiet --db "$tmp/c1.db" corpus/*.txt > /dev/null
lat "$tmp/c1.db" corpus/*.txt

echo "== the corpus x $repeat; target: wensou at least 2x faster than the n-gram search"
mkdir -p "$tmp/docs"
for i in $(seq -w 1 "$repeat"); do for f in corpus/*.txt; do cp "$f" "$tmp/docs/r$i-$(basename "$f")"; done; done
"$build/wensou" index --quiet --db "$tmp/c100.db" "$tmp/docs" > /dev/null
lat "$tmp/c100.db" "$tmp"/docs/*.txt

echo "== whole process: wensou search on the corpus (target <= 20 ms); /bin/true is the machine's floor"
hyperfine -N -w 3 -r 50 --style basic /bin/true "$build/wensou search --db $tmp/c1.db 营商环境" 2>&1 | grep -E "Benchmark|Time"
