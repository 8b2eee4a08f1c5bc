#!/usr/bin/env bash
# Search latency: median and p99 per query of two lists, bench/queries.txt (keywords)
# and bench/queries-natural.txt (the natural half of bench/eval's judged queries:
# unspaced topics, questions, abbreviations, documents by name, quotations), wensou
# in process beside python3-xapian's n-gram search and SQLite FTS5 trigram over the
# same passages, interleaved, ROUNDS times, on the Keqiao corpus and on it repeated
# REPEAT times; min / median / max of each system's median and p99 over the rounds,
# with the load average. Then a whole `wensou search` process beside /bin/true.
# usage: bench/search.sh [BUILD_DIR] [REPEAT] [ROUNDS]   (from the repo root)
set -euo pipefail
build=${1:-build}
repeat=${2:-100}
rounds=${3:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# round DB QUERIES FILES...: one round of every system, lines "NAME median X us p99 Y us"
round() {
  local db=$1 queries=$2; shift 2
  "$build/bench/search_latency" "$db" "$build/dict/jieba.wsd" "$build/dict/userdict.txt" "$build/dict/synonyms.txt" "$queries" 50
  /usr/bin/python3 bench/search_peers.py "$build/wensou" "$queries" 20 "$@"
}

# measure LABEL DB QUERIES FILES...: ROUNDS interleaved rounds, then the summary
measure() {
  local label=$1 db=$2 queries=$3; shift 3
  echo "== $label: $(wc -l < "$queries") queries of $queries"
  : > "$tmp/rounds.txt"
  for r in $(seq 1 "$rounds"); do round "$db" "$queries" "$@" | tee -a "$tmp/rounds.txt" | sed "s/^/  round $r  /"; done
  awk '{ name = $0; sub(/ +median.*/, "", name); for (i = 1; i <= NF; i++) { if ($i == "median") m[name] = m[name] " " $(i+1); if ($i == "p99") p[name] = p[name] " " $(i+1) } }
       END { for (n in m) { printf "  %-34s median (us) %s   p99 (us) %s\n", n, stats(m[n]), stats(p[n]) } }
       function stats(s,   a, k, i, j, t) { k = split(s, a, " "); for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
                                           return sprintf("min %8.1f  median %8.1f  max %8.1f", a[1], a[int((k + 1) / 2)], a[k]) }' "$tmp/rounds.txt"
  echo "  load average: $(cut -d' ' -f1-3 /proc/loadavg)"
}

"$build/wensou" index --quiet --db "$tmp/c1.db" corpus/*.txt > /dev/null
measure "the Keqiao corpus (5 files); targets: wensou median <= 100 us, p99 <= 1 ms" "$tmp/c1.db" bench/queries.txt corpus/*.txt
measure "the Keqiao corpus, natural queries" "$tmp/c1.db" bench/queries-natural.txt corpus/*.txt

source bench/copies.sh
corpus_copies "$repeat" "$tmp/docs" r copy
"$build/wensou" index --quiet --db "$tmp/c100.db" "$tmp/docs" > /dev/null
measure "the corpus x $repeat; target: wensou at least 2x faster than the n-gram search" "$tmp/c100.db" bench/queries.txt "$tmp"/docs/*.txt
measure "the corpus x $repeat, natural queries; targets: wensou median <= 1 ms, p99 <= 10 ms" "$tmp/c100.db" bench/queries-natural.txt "$tmp"/docs/*.txt

echo "== whole process: wensou search on the corpus (target <= 20 ms); /bin/true is the machine's floor"
hyperfine -N -w 3 -r 50 --style basic /bin/true "$build/wensou search --db $tmp/c1.db 营商环境" 2>&1 | grep -E "Benchmark|Time"
