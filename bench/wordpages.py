#!/usr/bin/python3
"""Word page estimates against renderings (#13).

A Word file that records no page breaks gets pages laid out from its page setup
(doc/wordpages.c, page_source "estimated"). Two references measure it:

1. Word's own pages. The reports of corpus/ that record Word's rendered breaks
   (w:lastRenderedPageBreak) are copied with those breaks taken out and modelled
   again; each passage's estimated page is compared with the page Word put its
   first character on.
2. LibreOffice (when `soffice` is installed: a benchmark dependency, `make
   deps-bench`). Every report is converted to PDF headless; each passage's first
   characters are found in the PDF's text, in order, and their page is compared
   with wensou's (estimated, for the 8 reports with Word's breaks the copy's). For
   those 8, Word's own pages against LibreOffice's show how far the two renderings
   themselves differ (fonts are substituted).

Prints per report and in all: passages compared, the share on the reference's page
and within one page, the largest miss.

usage: /usr/bin/python3 bench/wordpages.py [--build DIR] [--no-libreoffice] [DOCX...]
       (from the repo root)
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile


def model(binary, path):
    out = subprocess.run([binary, 'inspect', path], capture_output=True, text=True, check=True).stdout
    return [d for d in map(json.loads, out.splitlines()) if 'text' in d]


def records_breaks(path):
    with zipfile.ZipFile(path) as z:
        return b'lastRenderedPageBreak' in z.read('word/document.xml')


def without_breaks(src, dst):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == 'word/document.xml':
                data = re.sub(rb'<w:lastRenderedPageBreak\s*/>', b'', data)
            zout.writestr(item, data)


def against_word(word, est):
    """(Word's page, estimated page) of each estimated passage whose first character's
    page Word's model knows: its passage starts there, or lies on one page (breaks
    part passages, so the two models may cut the text apart differently)."""
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
    return pairs


def squeeze(s):
    return re.sub(r'\s+', '', s)


def rendered_pages(docx, tmp):
    """The text of each page LibreOffice renders docx to, whitespace removed."""
    subprocess.run(['soffice', '--headless', '--convert-to', 'pdf', '--outdir', tmp, docx],
                   capture_output=True, check=True)
    pdf = os.path.join(tmp, os.path.splitext(os.path.basename(docx))[0] + '.pdf')
    text = subprocess.run(['pdftotext', pdf, '-'], capture_output=True, text=True, check=True).stdout
    return [squeeze(p) for p in text.split('\f')]


def against_rendering(pages, passages):
    """(rendered page, wensou's page) of each passage whose first 12 characters are
    found in the rendering, looking on from the last one found."""
    joined, page_at = '', []
    for i, p in enumerate(pages):
        page_at.append((len(joined), i + 1))
        joined += p
    pairs, cursor = [], 0
    for p in passages:
        head = squeeze(p['text'])[:12]
        at = joined.find(head, cursor) if len(head) >= 6 else -1
        if at < 0 or p.get('page') is None:
            continue
        cursor = at
        page = max(n for start, n in page_at if start <= at)
        pairs.append((page, p['page']))
    return pairs


class Tally:
    def __init__(self, title, columns):
        self.n = self.exact = self.near = self.worst = 0
        print(f"\n== {title}")
        print(f"{'report':<44} {'passages':>8} {'exact':>7} {'±1':>7} {'worst':>6} {columns:>16}")

    def add(self, name, pairs, pages):
        if not pairs:
            print(f'{name[:44]:<44} (nothing to compare)')
            return
        n, e = len(pairs), sum(1 for r, s in pairs if r == s)
        k, miss = sum(1 for r, s in pairs if abs(r - s) <= 1), max(abs(r - s) for r, s in pairs)
        self.n, self.exact, self.near, self.worst = self.n + n, self.exact + e, self.near + k, max(self.worst, miss)
        print(f"{name[:44]:<44} {n:>8} {e / n:>7.1%} {k / n:>7.1%} {miss:>6} {pages:>16}")

    def total(self):
        if self.n:
            print(f"{'all':<44} {self.n:>8} {self.exact / self.n:>7.1%} {self.near / self.n:>7.1%} {self.worst:>6}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--no-libreoffice', action='store_true')
    ap.add_argument('files', nargs='*')
    a = ap.parse_args()
    binary = os.path.join(a.build, 'wensou')
    files = a.files or sorted(glob.glob('corpus/2025-provincial-docx/*.docx'))
    with tempfile.TemporaryDirectory() as tmp:
        estimated = {}                     # file → its passages with estimated pages
        word_pages = {}                    # file → its passages on Word's pages
        t = Tally("estimated pages against Word's own (reports that record them, breaks taken out)",
                  'pages Word/est.')
        for f in files:
            if not records_breaks(f):
                estimated[f] = model(binary, f)
                continue
            word_pages[f] = model(binary, f)
            copy = os.path.join(tmp, os.path.basename(f))
            without_breaks(f, copy)
            estimated[f] = model(binary, copy)
            t.add(os.path.basename(f), against_word(word_pages[f], estimated[f]),
                  f"{max(p['page_end'] for p in word_pages[f])}/{max(p['page_end'] for p in estimated[f])}")
        t.total()
        if a.no_libreoffice or not shutil.which('soffice'):
            print('\n(LibreOffice not installed: `make deps-bench`; its comparison left out)')
            return
        lo = Tally('estimated pages against LibreOffice 7 (headless, every report)', 'pages LO/est.')
        rendered = {}
        for f in files:
            rendered[f] = rendered_pages(f, tmp)
            lo.add(os.path.basename(f), against_rendering(rendered[f], estimated[f]),
                   f"{len(rendered[f]) - (not rendered[f][-1])}/{max(p['page_end'] for p in estimated[f])}")
        lo.total()
        ref = Tally("Word's own pages against LibreOffice's (how far the two renderings differ)", 'pages LO/Word')
        for f, passages in word_pages.items():
            ref.add(os.path.basename(f), against_rendering(rendered[f], passages),
                    f"{len(rendered[f]) - (not rendered[f][-1])}/{max(p['page_end'] for p in passages)}")
        ref.total()


if __name__ == '__main__':
    main()
