#!/usr/bin/env bash
# Every benchmark in turn (`make bench`), each printing its figures beside its peers.
# Run one at a time on an otherwise idle machine; compare ratios, not absolute times.
# usage: bench/run_all.sh [BUILD_DIR]   (from the repo root)
set -euo pipefail
build=${1:-build}
cmake --build "$build" > /dev/null
echo "#### segmenter";        bench/segment.sh "$build"
echo "#### segmentation agreement"; /usr/bin/python3 bench/seg_agreement.py --wensou "$build/wensou"
echo "#### indexing";         bench/index.sh "$build" 100
echo "#### ranking quality";  /usr/bin/python3 bench/eval/evaluate.py --wensou "$build/wensou"
echo "#### search latency";   bench/search.sh "$build" 100
echo "#### daemon";           bench/serve.sh "$build" 100 5
echo "#### PDF and Word";     bench/formats.sh "$build"
