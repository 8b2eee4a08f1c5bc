#!/usr/bin/python3
"""Structural check of the document model over every document it can reach (#13).

For each file of corpus/ (the Keqiao texts and the 28 provincial Word reports, or
the files and folders given), `wensou inspect` models it; this counts, per file and
in all:
  - cut: passages that end without sentence punctuation while the next passage of
    the same section goes on (a sentence cut across passages; table rows and
    headings-only passages aside; a picture's captions stand beside the text, so
    they are neither cut nor the next passage);
  - boilerplate: passages that are a source, editor, licence or picture-credit notice
    (来源：, 责任编辑：, (完), 版权所有, 转载请注明, 本版图片由…提供 ...), which should not be passages;
  - span: passages that run across a page boundary (page < page_end);
  - metadata: whether the title, date, kind, issuer and region are known (kind not
    the default 文档, date not null, title not the file name; a news story names no
    issuer or region, and none is asked of it).
Target (#13): 0 cut sentences, 0 boilerplate passages, metadata for every document.

With --pdf, each document is also typeset as a printer would (tests/mkpdf --typeset:
its title, its headings and its paragraphs as wensou models them, justified, over
pages under a running head and over "- N -" footers; table rows left out) and the
PDF is checked the same way: the repair must find the same sentences in the drawn
lines. A generated PDF has no manifest and no dateline, so only its title is asked.

With --no-manifest, each file is modelled from a folder of its own, so that no
manifest.tsv gives its metadata: what the text alone says (each field's source is
in the model's "from").

usage: /usr/bin/python3 bench/structure.py [--build DIR] [--pdf] [--no-manifest] [PATH...]   (from the repo root)
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile

SENTENCE_END = tuple('。！？；：”」）)…!?;:')
BOILERPLATE = re.compile(r'^(来源[:：]|责任编辑[:：]|编辑[:：]|（完）|\(完\)|版权所有|转载请注明|本文来源|声明[:：]|'
                         r'[（(]?本版图片|[（(]?图片由|图片来源)')


def model(binary, path, alone=False):
    if alone:                                   # no manifest beside it
        with tempfile.TemporaryDirectory() as tmp:
            copy = os.path.join(tmp, os.path.basename(path))
            shutil.copyfile(path, copy)
            doc, passages = model(binary, copy)
        return doc, passages
    out = subprocess.run([binary, 'inspect', path], capture_output=True, text=True)
    lines = [json.loads(l) for l in out.stdout.splitlines() if l.startswith('{')]
    if not lines:
        return None, []
    return lines[0].get('doc', {}), lines[1:]


def check(doc, passages, path):
    flow = [p for p in passages if p.get('type') != 'caption']   # a picture's captions stand beside the text
    cut = sum(1 for a, b in zip(flow, flow[1:])
              if '\t' not in a['text'] and not a['text'].rstrip().endswith(SENTENCE_END)
              and a['section'] == b['section'])
    boiler = sum(1 for p in passages if BOILERPLATE.match(p['text']))
    span = sum(1 for p in passages if p.get('page') and p.get('page_end') and p['page_end'] > p['page'])
    name = os.path.basename(path)
    meta = {
        'title': bool(doc.get('title')) and doc.get('title') != name,
        'date': bool(doc.get('date')),
        'kind': bool(doc.get('kind')) and doc.get('kind') != '文档',
        # a news story names no issuer: none is expected of it
        'issuer': bool(doc.get('meta', {}).get('issuer')) or doc.get('kind') == '新闻报道',
        'region': bool(doc.get('meta', {}).get('region')) or doc.get('kind') == '新闻报道',
    }
    return cut, boiler, span, meta


def typeset(build, doc, passages, out):
    """Typesets a modelled document into the PDF out: title, headings, paragraphs."""
    lines, shown = [doc.get('title') or ''], []
    for p in passages:
        if '\t' in p['text']:
            continue
        section = p.get('section') or []
        for depth, heading in enumerate(section):
            if depth >= len(shown) or shown[depth] != heading:
                lines.append(heading)
        shown = section
        lines.append(p['text'].replace('\n', ''))
    with tempfile.NamedTemporaryFile('w', suffix='.txt', delete=False) as f:
        f.write('\n'.join(lines) + '\n')
    try:
        subprocess.run([os.path.join(build, 'tests', 'mkpdf'), out, '--typeset', f.name], check=True)
    finally:
        os.unlink(f.name)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default='build')
    ap.add_argument('--pdf', action='store_true', help='also check a typeset PDF of each document')
    ap.add_argument('--no-manifest', action='store_true', help='metadata from the text alone')
    ap.add_argument('paths', nargs='*')
    a = ap.parse_args()
    binary = os.path.join(a.build, 'wensou')
    paths = a.paths or sorted(glob.glob('corpus/*.txt')) + sorted(glob.glob('corpus/2025-provincial-docx/*.docx'))
    files = []
    for p in paths:
        files += sorted(glob.glob(os.path.join(p, '**', '*'), recursive=True)) if os.path.isdir(p) else [p]
    totals = [0, 0, 0, 0]
    pdf_totals = [0, 0, 0, 0, 0]          # files, passages, cut, boilerplate, no title
    missing = {'title': 0, 'date': 0, 'kind': 0, 'issuer': 0, 'region': 0}
    print(f"{'file':58} {'passages':>8} {'cut':>4} {'boiler':>6} {'span':>5}  metadata")
    for f in files:
        if not os.path.isfile(f) or os.path.basename(f) == 'manifest.tsv':
            continue
        doc, passages = model(binary, f, a.no_manifest)
        if doc is None:
            print(f'{f[-58:]:58} (not modelled)')
            continue
        cut, boiler, span, meta = check(doc, passages, f)
        totals = [totals[0] + len(passages), totals[1] + cut, totals[2] + boiler, totals[3] + span]
        for k, ok in meta.items():
            missing[k] += not ok
        flags = ' '.join(k if ok else f'-{k}' for k, ok in meta.items())
        print(f'{f[-58:]:58} {len(passages):8} {cut:4} {boiler:6} {span:5}  {flags}')
        if a.pdf:
            with tempfile.TemporaryDirectory(dir=os.environ.get("KEEP_PDF")) as tmp:
                pdf = os.path.join(tmp, os.path.splitext(os.path.basename(f))[0] + '.pdf')
                typeset(a.build, doc, passages, pdf)
                pdoc, pps = model(binary, pdf)
                pcut, pboiler, pspan, pmeta = check(pdoc or {}, pps, pdf)
            pdf_totals = [pdf_totals[0] + 1, pdf_totals[1] + len(pps), pdf_totals[2] + pcut, pdf_totals[3] + pboiler,
                          pdf_totals[4] + (not pmeta['title'])]
            print(f"{'  typeset as PDF':58} {len(pps):8} {pcut:4} {pboiler:6} {pspan:5}  "
                  f"{'title' if pmeta['title'] else '-title'}")
    print(f"{'all':58} {totals[0]:8} {totals[1]:4} {totals[2]:6} {totals[3]:5}  "
          "missing: " + ', '.join(f'{k} {n}' for k, n in missing.items()))
    if a.pdf:
        print(f"{'all typeset as PDF (' + str(pdf_totals[0]) + ' files)':58} {pdf_totals[1]:8} {pdf_totals[2]:4} "
              f"{pdf_totals[3]:6}        missing: title {pdf_totals[4]}")


if __name__ == '__main__':
    main()
