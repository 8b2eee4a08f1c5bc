#!/usr/bin/env bash
# Segmenter benchmark (issue 2): throughput beside ICU and python3-jieba on the same
# text in the same run, dictionary open time, a whole `wensou segment` process on
# one line, peak RSS. usage: bench/segment.sh [BUILD_DIR]   (from the repo root)
set -euo pipefail
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat corpus/*.txt > "$tmp/corpus.txt"
for i in $(seq 1 100); do cat "$tmp/corpus.txt"; done > "$tmp/corpus100.txt"

echo "== in process, one thread: corpus x 100 ($(du -m "$tmp/corpus100.txt" | cut -f1) MB)"
"$build/bench/seg_speed" "$build/dict/jieba.wsd" "$build/dict/userdict.txt" "$tmp/corpus.txt" 100
# jieba is ~50x slower: time it on x 10 of the same text; MB/s is what compares
/usr/bin/python3 bench/jieba_speed.py "$tmp/corpus.txt" 10

echo "== whole process: wensou segment on one line, target <= 10 ms (/bin/true for the machine's fork+exec floor)"
echo "柯桥区深化最多跑一次改革，打造一流营商环境" > "$tmp/one.txt"
hyperfine -N -w 5 -r 100 --style basic /bin/true "$build/wensou segment $tmp/one.txt" 2>&1 | grep -E "Benchmark|Time"

echo "== whole process: wensou segment on corpus x 100 (output to /dev/null)"
/usr/bin/time -f "wall %e s, peak RSS %M KB (target <= 65536 KB)" "$build/wensou" segment "$tmp/corpus100.txt" > /dev/null
