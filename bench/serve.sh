#!/usr/bin/env bash
# Daemon benchmark (issue 6): requests/s and p50/p99/p99.9 at 32 connections on the
# corpus and on the corpus repeated REPEAT times, the daemon's RSS before and after,
# and the same queries as separate `wensou search` processes for comparison.
# usage: bench/serve.sh [BUILD_DIR] [REPEAT] [SECONDS]   (from the repo root)
set -euo pipefail
build=${1:-build}
repeat=${2:-100}
secs=${3:-5}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
run_load() {  # DB LABEL
  "$build/wensou" serve --db "$1" --socket "$tmp/s.sock" 2> "$tmp/serve.log" &
  pid=$!
  for i in $(seq 50); do [ -S "$tmp/s.sock" ] && break; sleep 0.1; done
  echo "== $2"
  echo "   daemon RSS before: $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB"
  "$build/bench/load" "$tmp/s.sock" bench/queries.txt 32 "$secs" 1
  "$build/bench/load" "$tmp/s.sock" bench/queries.txt 32 "$secs" 8
  echo "   daemon RSS after: $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB"
  kill $pid; wait $pid || true; pid=
}
"$build/wensou" index --quiet --db "$tmp/c1.db" corpus/*.txt > /dev/null
run_load "$tmp/c1.db" "the corpus; targets: >= 10,000 req/s at 32 connections, p99 <= 5 ms"
echo "== the same queries as separate processes (wensou search --json), one at a time"
start=$(date +%s%N); n=0
while read -r q; do "$build/wensou" search --json --db "$tmp/c1.db" -- $q > /dev/null || true; n=$((n+1)); done < bench/queries.txt
end=$(date +%s%N)
awk -v n=$n -v ns=$((end-start)) 'BEGIN {printf "%-34s %8.0f req/s  mean %7.2f ms per process\n", "wensou search processes", n/(ns/1e9), ns/1e6/n}'
mkdir -p "$tmp/docs"
for i in $(seq -w 1 "$repeat"); do for f in corpus/*.txt; do cp "$f" "$tmp/docs/r$i-$(basename "$f")"; done; done
"$build/wensou" index --quiet --db "$tmp/c100.db" "$tmp/docs" > /dev/null
run_load "$tmp/c100.db" "the corpus x $repeat; target: >= 2,000 req/s"
