#!/usr/bin/env bash
# Segmenter benchmark (issue 2, #15): throughput beside ICU and python3-jieba on the
# same text in the same run (in process, 5 interleaved rounds, min / median / max),
# dictionary open time, a whole `wensou segment` process on one line, and whole
# processes on corpus x 100 beside ICU as a process, interleaved (peak RSS). usage: bench/segment.sh [BUILD_DIR]   (from the repo root)
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

rounds=5
echo "== whole process on corpus x 100, output to /dev/null: wensou segment beside ICU as a process (seg_speed --icu-process), interleaved, $rounds rounds"
mb=$(awk -v b="$(wc -c < "$tmp/corpus100.txt")" 'BEGIN {print b / 1e6}')
w=""; c=""; rss=""
for r in $(seq 1 $rounds); do
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$build/wensou" segment "$tmp/corpus100.txt" > /dev/null
  read -r secs kb < "$tmp/t"; w="$w $secs"; rss="$rss $kb"
  /usr/bin/time -f "%e %M" -o "$tmp/t" "$build/bench/seg_speed" --icu-process "$tmp/corpus100.txt" > /dev/null
  read -r secs kb < "$tmp/t"; c="$c $secs"
done
# min / median / max of MB/s over the rounds (from the wall times)
rate() { echo "$1" | tr ' ' '\n' | grep . | awk -v mb="$mb" '{print mb / $1}' | sort -g | awk '{a[NR]=$1} END {printf "min %6.1f  median %6.1f  max %6.1f MB/s", a[1], a[int((NR+1)/2)], a[NR]}'; }
med() { echo "$1" | tr ' ' '\n' | grep . | awk -v mb="$mb" '{print mb / $1}' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "   wensou segment    $(rate "$w")   peak RSS max $(echo "$rss" | tr ' ' '\n' | sort -n | tail -1) KB (target <= 65536 KB)"
echo "   ICU process       $(rate "$c")"
awk -v a="$(med "$w")" -v b="$(med "$c")" 'BEGIN { printf "   ratio of the medians: %.2fx ICU (target >= 2x); wensou >= 30 MB/s: %s\n", a / b, (a >= 30) ? "yes" : "no" }'
echo "   load average: $(cut -d' ' -f1-3 /proc/loadavg)"
