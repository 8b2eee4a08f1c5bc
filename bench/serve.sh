#!/usr/bin/env bash
# Daemon benchmark: requests/s and p50/p99/p99.9 at 32 connections (one request in
# flight per connection, and 8 pipelined), over NDJSON and over HTTP/1.1 (keep-alive)
# interleaved, on the corpus and on the corpus repeated REPEAT times, ROUNDS rounds
# each, with min / median / max of each figure over the rounds, HTTP's share of
# NDJSON's median requests/s, and the load average; the daemon's RSS before and after;
# and the same queries as separate `wensou search` processes, one at a time; on the
# repeated corpus, a fresh daemon each round with its dense posting lists in memory and
# one without (WENSOU_DENSE_POSTINGS=0), alternating, each warmed by a pass of the queries.
# usage: bench/serve.sh [BUILD_DIR] [REPEAT] [SECONDS] [ROUNDS]   (from the repo root)
set -euo pipefail
build=${1:-build}
repeat=${2:-100}
secs=${3:-5}
rounds=${4:-3}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; rm -rf "$tmp"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# summary FILE: min / median / max of req/s and p99 per protocol and depth over the
# rounds, and HTTP's median req/s as a share of NDJSON's at each depth
summary() {
  awk '{ d = ""; pr = ($0 ~ /\(HTTP\)/) ? "HTTP" : "NDJSON"
         for (i = 1; i <= NF; i++) { if ($i == "req/s") r = $(i-1); if ($i == "p99") p = $(i+1); if ($i == "depth") d = $(i+1) }
         sub(/,/, "", d); k = pr " depth " d; rs[k] = rs[k] " " r; ps[k] = ps[k] " " p; depths[d] = 1 }
       END { for (k in rs) printf "   %-16s req/s %s   p99 (ms) %s\n", k, stats(rs[k]), stats(ps[k])
             for (d in depths) if (("NDJSON depth " d) in rs && ("HTTP depth " d) in rs)
               printf "   depth %s: HTTP keeps %.0f%% of NDJSON'"'"'s median req/s\n", d, 100 * med(rs["HTTP depth " d]) / med(rs["NDJSON depth " d]) }
       function sorted(s, a,   k, i, j, t) { k = split(s, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }; return k }
       function med(s,   a, k) { k = sorted(s, a); return a[int((k + 1) / 2)] }
       function stats(s,   a, k) { k = sorted(s, a); return sprintf("min %8.2f  median %8.2f  max %8.2f", a[1], a[int((k + 1) / 2)], a[k]) }' "$1"
}

start_daemon() {  # DB [ENV...]: a daemon on DB (with ENV set), ready, warmed by one pass of the queries
  local db=$1; shift
  port=$((20000 + RANDOM % 20000))
  env "$@" "$build/wensou" serve --db "$db" --socket "$tmp/s.sock" --http "127.0.0.1:$port" 2> "$tmp/serve.log" &
  pid=$!
  for i in $(seq 50); do [ -S "$tmp/s.sock" ] && grep -q HTTP "$tmp/serve.log" && break; sleep 0.1; done
  "$build/bench/load" "$tmp/s.sock" bench/queries.txt 2 2 1 > /dev/null
}

stop_daemon() {
  kill $pid; wait $pid || true; pid=
}

one_round() {  # ROUND OUT: the four loads (depth 1 and 8, NDJSON and HTTP) once, into OUT
  for depth in 1 8; do
    for addr in "$tmp/s.sock" "http://127.0.0.1:$port"; do
      "$build/bench/load" "$addr" bench/queries.txt 32 "$secs" "$depth" | tee -a "$2" | sed "s/^/   round $1  /"
    done
  done
}

run_load() {  # DB LABEL
  echo "== $2"
  start_daemon "$1"
  echo "   daemon RSS before: $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB"
  : > "$tmp/rounds.txt"
  for r in $(seq 1 "$rounds"); do one_round "$r" "$tmp/rounds.txt"; done
  summary "$tmp/rounds.txt"
  echo "   daemon RSS after: $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  stop_daemon
}

# run_dense DB LABEL: the daemon with its dense posting lists in memory (the default)
# and without (WENSOU_DENSE_POSTINGS=0), a fresh daemon each round, alternating
run_dense() {
  echo "== $2"
  : > "$tmp/on.txt"; : > "$tmp/off.txt"
  for r in $(seq 1 "$rounds"); do
    start_daemon "$1" WENSOU_DENSE_POSTINGS=0
    echo "   lists from the index (WENSOU_DENSE_POSTINGS=0), RSS $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB"
    one_round "$r" "$tmp/off.txt"
    stop_daemon
    start_daemon "$1"
    echo "   dense lists in memory (default), RSS $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB"
    one_round "$r" "$tmp/on.txt"
    echo "   RSS after the round: $(grep VmRSS /proc/$pid/status | awk '{print $2}') KB"
    stop_daemon
  done
  echo "   -- lists from the index (WENSOU_DENSE_POSTINGS=0)"
  summary "$tmp/off.txt"
  echo "   -- dense lists in memory (default)"
  summary "$tmp/on.txt"
  echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}
"$build/wensou" index --quiet --db "$tmp/c1.db" corpus/*.txt > /dev/null
run_load "$tmp/c1.db" "the corpus; targets: >= 10,000 req/s at 32 connections, p99 <= 5 ms"
echo "== the same queries as separate processes (wensou search --json), one at a time"
start=$(date +%s%N); n=0
while read -r q; do "$build/wensou" search --json --db "$tmp/c1.db" -- $q > /dev/null || true; n=$((n+1)); done < bench/queries.txt
end=$(date +%s%N)
awk -v n=$n -v ns=$((end-start)) 'BEGIN {printf "%-34s %8.0f req/s  mean %7.2f ms per process\n", "wensou search processes", n/(ns/1e9), ns/1e6/n}'
source bench/copies.sh
corpus_copies "$repeat" "$tmp/docs" r copy
"$build/wensou" index --quiet --db "$tmp/c100.db" "$tmp/docs" > /dev/null
run_dense "$tmp/c100.db" "the corpus x $repeat; target: >= 2,000 req/s (x100), >= 1,000 (x1000)"
