#!/usr/bin/env bash
# Long fuzzing runs (issue #14): each named libFuzzer target (default: all) for
# SECONDS (default 1800), one after another, from its seeds and the corpus kept in
# build-fuzz/corpus-NAME; prints each target's executions, coverage, corpus size
# and the load average; a finding is kept in build-fuzz/findings-NAME and the run of
# that target ends there. Build the targets first with `make fuzz FUZZ_SECONDS=1`.
# Run two at once on two cores with JOBS=2.
# usage: [JOBS=2] bench/fuzz-long.sh [SECONDS] [TARGET...]   (from the repo root)
set -euo pipefail
secs=${1:-1800}
shift || true
cd build-fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls fuzz | grep '^fuzz_' | grep -v '\.'))
run_one() {
  local name=$1
  local max start end execs cov ft corp found log
  case $name in fuzz_pdf|fuzz_docx|fuzz_html) max=131072;; *) max=4096;; esac
  mkdir -p "corpus-$name" "findings-$name"
  log="fuzz-long-$name.log"
  start=$(date +%s)
  ASAN_OPTIONS=abort_on_error=1 "./fuzz/$name" -max_total_time="$secs" -max_len="$max" -timeout=30 \
    -print_final_stats=1 -artifact_prefix="findings-$name/" "corpus-$name" "../fuzz/seeds/$name" > "$log" 2>&1 || true
  end=$(date +%s)
  # (the last status line: DONE, or the one before a finding)
  execs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" | awk '{print $2}' || true)
  cov=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 | grep -o 'cov: [0-9]*' | awk '{print $2}' || true)
  ft=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 | grep -o 'ft: [0-9]*' | awk '{print $2}' || true)
  corp=$(ls "corpus-$name" | wc -l)
  found=$(ls "findings-$name" | wc -l)
  printf '%-14s %6d s  %10s executions  cov %6s  ft %7s  corpus %5d  findings %d  load %s\n' \
    "$name" $((end - start)) "${execs:-?}" "${cov:-?}" "${ft:-?}" "$corp" "$found" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
jobs=${JOBS:-1}
for ((i = 0; i < ${#targets[@]}; i += jobs)); do
  for ((k = i; k < i + jobs && k < ${#targets[@]}; k++)); do run_one "${targets[k]}" & done
  wait
done
