#!/usr/bin/env bash
# PDF and Word ingestion (issue 7): pages/s and MB/s of `wensou inspect` (extract,
# repair, structure, pages) on generated PDFs beside pdftotext (extraction alone)
# on the same files, and the whole 28-report Word batch through `wensou index`.
# usage: bench/formats.sh [BUILD_DIR]   (from the repo root)
set -euo pipefail
build=${1:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for i in $(seq 1 20); do "$build/tests/mkpdf" "$tmp/r$i.pdf" 30 1; done
pages=$((20 * 30)); bytes=$(cat "$tmp"/*.pdf | wc -c)
t() { local s=$(date +%s%N); "$@" > /dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); }
ms=$(t "$build/wensou" inspect "$tmp"/*.pdf)
awk -v p=$pages -v b=$bytes -v ms=$ms 'BEGIN {printf "%-30s %7.0f pages/s  %6.2f MB/s  (%d pages, %.1f MB, %d ms)\n", "wensou inspect (PDF)", p/(ms/1e3), b/1e6/(ms/1e3), p, b/1e6, ms}'
ms=$(t sh -c "for f in $tmp/*.pdf; do pdftotext \"\$f\" -; done")
awk -v p=$pages -v b=$bytes -v ms=$ms 'BEGIN {printf "%-30s %7.0f pages/s  %6.2f MB/s  (extraction alone)\n", "pdftotext", p/(ms/1e3), b/1e6/(ms/1e3)}'
docs=corpus/2025-provincial-docx
bytes=$(cat "$docs"/*.docx | wc -c)
ms=$(t "$build/wensou" inspect "$docs"/*.docx)
awk -v b=$bytes -v ms=$ms 'BEGIN {printf "%-30s %7.1f files/s  %6.2f MB/s  (28 Word reports, %d ms)\n", "wensou inspect (docx)", 28/(ms/1e3), b/1e6/(ms/1e3), ms}'
s=$(date +%s%N); "$build/wensou" index --db "$tmp/db" "$docs"; e=$(date +%s%N)
echo "whole 28-report batch into a new index: $(( (e - s) / 1000000 )) ms"
