#!/usr/bin/env bash
# Shard benchmark (#17): the corpus repeated SCALE times, indexed as one index and
# as shard sets of 2 and 4 (wensou index --shards), each shard served by Debian's
# xapian-tcpsrv on loopback. ROUNDS interleaved rounds of query latency
# (bench/queries.txt and bench/queries-natural.txt, each query REPEAT times, in
# process: bench/search_latency) over: the one index, the local 4-shard set, the
# one index served remote (one shard: the cost of the network), and the remote
# 2- and 4-shard sets. min / median / max over the rounds of each one's median
# and p99, and the load average. With BIG copies, then one shard of BIG x the
# one index's passages (xapian-compact merges the copies: ×1000 and 11 make
# 5.1 million), in the page cache, matched in process and served by
# xapian-tcpsrv, interleaved: the per-shard cost docs/SCALE.md rests on.
# usage: bench/shards.sh [BUILD_DIR] [SCALE] [ROUNDS] [REPEAT] [BIG]   (from the repo root)
set -euo pipefail
build=${1:-build}
scale=${2:-100}
rounds=${3:-3}
repeat=${4:-3}
big=${5:-0}
tmp=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$tmp"; }
trap cleanup EXIT
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
cat bench/queries.txt bench/queries-natural.txt > "$tmp/all.txt"
dict="$build/dict"

docs="$tmp/docs"
source bench/copies.sh
source bench/stats.sh
corpus_copies "$scale" "$docs" k link
echo "== corpus x $scale: $(ls "$docs"/*.txt | wc -l) files, $(($(cat "$docs"/*.txt | wc -c) / 1000000)) MB of text"
for n in 1 2 4; do
  db="$tmp/one.db"; opt=()
  [ "$n" = 1 ] || { db="$tmp/set$n"; opt=(--shards "$n"); }
  /usr/bin/time -f "%e" -o "$tmp/time" "$build/wensou" index --quiet "${opt[@]}" --db "$db" "$docs" > "$tmp/summary"
  echo "   index $(basename "$db"): $(cat "$tmp/time") s, $(du -sb "$db" | cut -f1 | awk '{printf "%.1f MB", $1/1e6}'), $(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/summary") passages"
done

# serve: each shard of each set, and the one index, on its own port (below the
# ephemeral range, so no client connection holds it; a busy one is passed over)
port=$((20000 + RANDOM % 10000))
serve() {  # serve DIR: prints its stub line
  for _ in $(seq 20); do
    port=$((port + 1))
    # in a session of its own: xapian-tcpsrv ends its whole process group on
    # SIGTERM, which would end this script in its cleanup (and leave $tmp behind)
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$port" "$1" > /dev/null 2>&1 &
    pids+=($!)
    for _ in $(seq 100); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "remote 127.0.0.1:$port"; return; fi
      kill -0 "${pids[-1]}" 2>/dev/null || break
      sleep 0.05
    done
  done
  echo "shards.sh: cannot serve $1" >&2; exit 1
}
serve "$tmp/one.db" > "$tmp/remote1.stub"
for n in 2 4; do
  : > "$tmp/remote$n.stub"
  for d in "$tmp/set$n"/shard-*; do serve "$d" >> "$tmp/remote$n.stub"; done
done

configs="one.db set4 remote1.stub remote2.stub remote4.stub"
declare -A med p99
for r in $(seq 1 "$rounds"); do
  for c in $configs; do
    read -r m p < <("$build/bench/search_latency" "$tmp/$c" "$dict/jieba.wsd" "$dict/userdict.txt" "$dict/synonyms.txt" "$tmp/all.txt" "$repeat" | awk '{for (i=1;i<=NF;i++) {if ($i=="median") m=$(i+1); if ($i=="p99") p=$(i+1)}} END {print m, p}')
    [ -n "$m" ] || { echo "shards.sh: no figures for $c" >&2; exit 1; }
    med[$c]="${med[$c]:-} $m"; p99[$c]="${p99[$c]:-} $p"
  done
done
echo "   search, $(wc -l < "$tmp/all.txt") queries x $repeat, $rounds interleaved rounds (us):"
for c in $configs; do
  case $c in
    one.db) label="one index, local";;
    set4) label="4 shards, local";;
    remote1.stub) label="1 shard (the index), remote";;
    remote2.stub) label="2 shards, remote";;
    remote4.stub) label="4 shards, remote";;
  esac
  printf "     %-30s median %s   p99 %s\n" "$label" "$(stats "${med[$c]}" 1 8)" "$(stats "${p99[$c]}" 1 8)"
done
if [ "$big" -gt 0 ]; then
  rm -rf "$tmp/set2" "$tmp/set4"
  /usr/bin/time -f "%e" -o "$tmp/time" xapian-compact --multipass --blocksize=4096 $(for _ in $(seq "$big"); do echo "$tmp/one.db"; done) "$tmp/big.db" > /dev/null
  passages=$(/usr/bin/python3 -c "import sys, xapian; print(xapian.Database(sys.argv[1]).get_doccount())" "$tmp/big.db")
  echo "== one shard of $big copies: $passages passages, $(du -sb "$tmp/big.db" | cut -f1 | awk '{printf "%.2f GB", $1/1e9}') compacted ($(cat "$tmp/time") s)"
  cat "$tmp/big.db"/*.glass > /dev/null       # in the page cache, as on a serving host
  serve "$tmp/big.db" > "$tmp/big.stub"
  bm=""; bp=""; rm_=""; rp=""
  for r in $(seq 1 "$rounds"); do
    for c in big.db big.stub; do
      read -r m p < <("$build/bench/search_latency" "$tmp/$c" "$dict/jieba.wsd" "$dict/userdict.txt" "$dict/synonyms.txt" "$tmp/all.txt" "$repeat" | awk '{for (i=1;i<=NF;i++) {if ($i=="median") m=$(i+1); if ($i=="p99") p=$(i+1)}} END {print m, p}')
      [ -n "$m" ] || { echo "shards.sh: no figures for $c" >&2; exit 1; }
      if [ "$c" = big.db ]; then bm="$bm $m"; bp="$bp $p"; else rm_="$rm_ $m"; rp="$rp $p"; fi
    done
  done
  echo "   one match on it, $rounds interleaved rounds (us):"
  printf "     %-30s median %s   p99 %s\n" "in process" "$(stats "$bm" 1 8)" "$(stats "$bp" 1 8)"
  printf "     %-30s median %s   p99 %s\n" "served remote" "$(stats "$rm_" 1 8)" "$(stats "$rp" 1 8)"
fi
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
