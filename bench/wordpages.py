#!/usr/bin/python3
"""Word page estimates against Word's own pages (#13).

A Word file that records no page breaks gets pages laid out from its page setup
(indexer/wordpages.c, page_source "estimated"). The reports of corpus/ that do record
Word's rendered breaks (w:lastRenderedPageBreak) are the reference: each is copied
with those breaks taken out, modelled again, and every passage's estimated page is
compared with the page Word put its first character on. Prints, per report and in all, the share of
passages on the right page, within one page, the largest miss, and the page count.

usage: /usr/bin/python3 bench/wordpages.py [--build DIR] [DOCX...]   (from the repo root)
"""
import argparse
import glob
import json
import os
import re
import subprocess
import tempfile
import zipfile


def model(binary, path):
    out = subprocess.run([binary, 'inspect', path], capture_output=True, text=True, check=True).stdout
    return [d for d in map(json.loads, out.splitlines()) if 'text' in d]


def without_breaks(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == 'word/document.xml':
                data = re.sub(rb'<w:lastRenderedPageBreak\s*/>', b'', data)
            zout.writestr(item, data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('files', nargs='*')
    a = ap.parse_args()
    binary = os.path.join(a.build, 'wensou')
    files = a.files or sorted(glob.glob('corpus/2025-provincial-docx/*.docx'))
    total = exact = near = 0
    worst = 0
    print(f"{'report':<40} {'passages':>8} {'exact':>7} {'±1':>7} {'worst':>6} {'pages word/est':>15}")
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            with zipfile.ZipFile(f) as z:
                if b'lastRenderedPageBreak' not in z.read('word/document.xml'):
                    continue
            word = model(binary, f)
            copy = os.path.join(tmp, os.path.basename(f))
            without_breaks(f, copy)
            est = model(binary, copy)
            if any(p.get('page_source') != 'estimated' for p in est):
                print(f'{os.path.basename(f)}: pages not estimated; skipped')
                continue
            # Breaks part passages, so the two models may cut the text apart
            # differently: each estimated passage is compared where its first
            # character's page is known in Word's (its passage starts there, or
            # lies on one page).
            starts, at = [], 0
            for w in word:
                starts.append((at, w))
                at += len(w['text'])
            pairs, at, k = [], 0, 0
            for s in est:
                while k + 1 < len(starts) and starts[k + 1][0] <= at:
                    k += 1
                w_at, w = starts[k]
                if w_at == at or w['page'] == w['page_end']:
                    pairs.append((w['page'], s['page']))
                at += len(s['text'])
            n = len(pairs)
            e = sum(1 for w, s in pairs if w == s)
            late = sum(1 for w, s in pairs if s > w)
            k = sum(1 for w, s in pairs if abs(w - s) <= 1)
            miss = max(abs(w - s) for w, s in pairs)
            total, exact, near, worst = total + n, exact + e, near + k, max(worst, miss)
            print(f"{os.path.basename(f)[:40]:<40} {n:>8} {e / n:>7.1%} {k / n:>7.1%} {miss:>6} late {late:>3} "
                  f"{max(p['page_end'] for p in word):>7}/{max(p['page_end'] for p in est):<7}")
    if total:
        print(f"{'all':<40} {total:>8} {exact / total:>7.1%} {near / total:>7.1%} {worst:>6}")


if __name__ == '__main__':
    main()
