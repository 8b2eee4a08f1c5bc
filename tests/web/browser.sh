#!/bin/sh
# browser.sh BUILD_DIR [SHOTS] — the web page in headless Chromium against a daemon on
# the sample index (build/corpus.db); the screenshots go to SHOTS (default: a
# temporary folder). Installs playwright-core from npm (package-lock.json) when missing.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
shots=${2:-$tmp}
mkdir -p "$shots"
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
[ -d "$here/node_modules/playwright-core" ] || (cd "$here" && npm ci --no-audit --no-fund --silent)
. "$here/../http_daemon.sh"
start_http_daemon "$tmp/serve.log" "$build/wensou" serve --db "$build/corpus.db" --socket "$tmp/s.sock" \
  || { cat "$tmp/serve.log"; exit 1; }
pid=$serve_pid
node "$here/browser_test.mjs" "http://127.0.0.1:$port/" "$shots"
