#!/usr/bin/env bash
# Index benchmark (issue 4): wensou index on the corpus repeated 100x (~21 MB, 500
# files), end to end (read, model, segment, index), beside python3-xapian's CJK
# n-gram indexing of the same passages in the same run.
# usage: bench/index.sh [BUILD_DIR] [REPEAT]   (from the repo root)
set -euo pipefail
build=${1:-build}
repeat=${2:-100}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/docs"
for i in $(seq -w 1 "$repeat"); do
  for f in corpus/*.txt; do cp "$f" "$tmp/docs/r$i-$(basename "$f")"; done
done
# the copies' writeback must not land in wensou's first commits (ext4 flushes them
# with the index's fsync): both sides start from a clean page cache state
sync
mb=$(du -sm "$tmp/docs" | cut -f1)
echo "== input: corpus x $repeat: $(ls "$tmp/docs" | wc -l) files, $(du -sb "$tmp/docs" | cut -f1) bytes"

/usr/bin/time -f "%e %M" -o "$tmp/time" "$build/wensou" index --quiet --db "$tmp/wensou.db" "$tmp/docs" > "$tmp/summary"
read -r secs rss < "$tmp/time"
bytes=$(du -sb "$tmp/docs" | cut -f1)
passages=$(sed -n 's/.*; \([0-9]*\) passages;.*/\1/p' "$tmp/summary")
size=$(du -sb "$tmp/wensou.db" | cut -f1)
awk -v b="$bytes" -v s="$secs" -v p="$passages" -v z="$size" -v r="$rss" 'BEGIN {
  printf "%-34s %7.2f MB/s  %8.0f passages/s  index %6.1f MB  peak RSS %5.0f MB\n", "wensou index", b/1e6/s, p/s, z/1e6, r/1024 }' | tee "$tmp/wensou.line"

echo "   re-run on unchanged files: $("$build/wensou" index --quiet --db "$tmp/wensou.db" "$tmp/docs")"
/usr/bin/python3 bench/xapian_ngram_index.py "$build/wensou" "$tmp/ngram.db" "$tmp"/docs/*.txt | tee "$tmp/peer.line"
awk '{for (i=1;i<=NF;i++) if ($i=="MB/s") mbs=$(i-1); for (i=1;i<=NF;i++) if ($i=="index") sz=$(i+1)} NR==1{w=mbs; ws=sz} NR==2{printf "ratio: speed %.2fx the n-gram pipeline (target >= 2x); index %.2fx its size (target <= 1x)\n", w/mbs, ws/sz}' "$tmp/wensou.line" "$tmp/peer.line"
