#!/bin/sh
# install.sh BUILD_DIR — `make install` as a packager runs it: into a DESTDIR, then
# the installed binary is run from another folder (it must find its dictionary and
# translations under its own prefix, not in the build tree), the man page renders,
# the completions load and the systemd unit names the installed binary.
set -eu
build=$(cd "$1" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "install: $*" >&2; exit 1; }

DESTDIR="$tmp/root" cmake --install "$build" --prefix /opt/wensou > "$tmp/install.log" || { cat "$tmp/install.log"; fail "cmake --install failed"; }
root="$tmp/root/opt/wensou"
for f in bin/wensou share/wensou/dict/jieba.wsd share/wensou/dict/userdict.txt share/wensou/dict/synonyms.txt \
         share/wensou/corpus.db/iamglass share/man/man1/wensou.1 share/bash-completion/completions/wensou \
         share/zsh/vendor-completions/_wensou share/locale/zh_CN/LC_MESSAGES/wensou.mo lib/systemd/system/wensou.service \
         share/wensou/web/index.html share/wensou/web/app.js share/wensou/web/app.css; do
  [ -e "$root/$f" ] || fail "missing $f"
done

# run from an empty folder, with nothing that points back at the build tree
cd "$tmp"
env -u WENSOU_DATA -u WENSOU_DICT -u WENSOU_USER_DICT -u WENSOU_SYNONYMS LC_ALL=C.UTF-8 LANGUAGE= \
  "$root/bin/wensou" search --db "$root/share/wensou/corpus.db" -n 1 营商环境 > out.txt 2> err.txt \
  || { cat err.txt; fail "the installed wensou cannot search its sample index"; }
grep -q "【营商环境】" out.txt || fail "no marked match in: $(cat out.txt)"
# the dictionary it uses is the installed one: hide the build tree's and it still segments
echo 柯桥区政府 | env -u WENSOU_DATA "$root/bin/wensou" segment > seg.txt || fail "segment failed"
[ "$(cat seg.txt)" = "柯桥区 / 政府" ] || fail "segment: $(cat seg.txt)"
# Chinese messages from the installed catalogue
env LC_ALL=zh_CN.UTF-8 LANGUAGE= "$root/bin/wensou" search -l 2> zh.txt && fail "bad usage accepted"
grep -q "详见" zh.txt || fail "no Chinese message: $(cat zh.txt)"
# the installed daemon serves its installed web page over HTTP
. "$here/http_daemon.sh"
start_http_daemon serve.txt env -u WENSOU_DATA "$root/bin/wensou" serve --db "$root/share/wensou/corpus.db" \
  --socket "$tmp/s.sock" || { cat serve.txt; fail "the installed daemon does not listen"; }
/usr/bin/python3 - "$port" > page.txt <<'PY' || { kill "$serve_pid"; cat serve.txt; fail "no web page over HTTP"; }
import sys, time, urllib.request
for _ in range(100):
    try:
        sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/" % sys.argv[1], timeout=5).read().decode())
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit(1)
PY
kill "$serve_pid"; wait "$serve_pid" || true
grep -q "文搜" page.txt || fail "the page served is not wensou's: $(head -c 200 page.txt)"
# a copy of the tree elsewhere still finds its data (relocatable)
cp -r "$tmp/root/opt/wensou" "$tmp/moved"
echo 柯桥区政府 | env -u WENSOU_DATA "$tmp/moved/bin/wensou" segment > moved.txt || fail "moved tree: segment failed"

# the man page renders, without warnings, and documents every subcommand
MANWIDTH=80 LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l "$root/share/man/man1/wensou.1" > man.txt 2> manerr.txt || fail "man failed"
[ ! -s manerr.txt ] || fail "man warnings: $(cat manerr.txt)"
for c in segment inspect index search serve; do grep -q "wensou $c" man.txt || fail "man page lacks $c"; done

# completions: bash completes subcommands, zsh parses (when zsh is there)
bash -c ". '$root/share/bash-completion/completions/wensou'; COMP_WORDS=(wensou se); COMP_CWORD=1; _wensou; echo \"\${COMPREPLY[*]}\"" > comp.txt
grep -q search comp.txt && grep -q serve comp.txt || fail "bash completion: $(cat comp.txt)"
if command -v zsh > /dev/null; then zsh -n "$root/share/zsh/vendor-completions/_wensou" || fail "zsh completion does not parse"; fi

grep -q "^ExecStart=/opt/wensou/bin/wensou serve" "$root/lib/systemd/system/wensou.service" || fail "unit: $(grep ExecStart "$root/lib/systemd/system/wensou.service")"
echo "install: ok"
