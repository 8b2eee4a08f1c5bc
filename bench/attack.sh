#!/usr/bin/env bash
# Attack replay (bench/attack.py): hostile clients and faults against the real daemon and
# indexer on loopback, one PASS/FAIL line per check; exits 1 when any check fails.
# usage: bench/attack.sh [BUILD_DIR] [--quick]   (from the repo root)
set -euo pipefail
build=build
quick=()
for arg in "$@"; do
  case $arg in
    --quick) quick=(--quick) ;;
    -h|--help) sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) build=$arg ;;
  esac
done
exec /usr/bin/python3 "$(dirname "$0")/attack.py" --build "$build" "${quick[@]}"
