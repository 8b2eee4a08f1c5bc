#!/usr/bin/env python3
"""Do two builds answer alike? (#15: a faster match must not change a hit.)

    same_answers.py OLD_WENSOU NEW_WENSOU DB       two daemons, one per build
    same_answers.py --cli WENSOU DB                a daemon against `wensou search`

The queries are bench/queries.txt, bench/queries-natural.txt and 的. Two builds:
each serves DB (`serve --workers 1` on a Unix socket in a temporary folder) and
answers every query with per_doc 0 and 2 (a page of 10); the answers are compared
whole, took_ms left out. --cli: the daemon (posting lists from memory) against
`wensou search --json` (Xapian's own lists), by each hit's file, start and score.
Prints how many differ and, for the first few, what differs; exits 1 when any do.
Run from the repo root with /usr/bin/python3 or any python3 (the standard library
only)."""
import json
import os
import socket
import subprocess
import sys
import tempfile
import time

SHOWN = 5     # differing answers described in full


def queries():
    out = []
    for name in ("bench/queries.txt", "bench/queries-natural.txt"):
        with open(name, encoding="utf-8") as f:
            out += [line.rstrip("\n") for line in f if line.strip()]
    return out + ["的"]


class Daemon:
    """wensou serve on DB, one connection, requests answered in turn."""

    def __init__(self, binary, db, folder, name):
        self.path = os.path.join(folder, name + ".sock")
        self.proc = subprocess.Popen([binary, "serve", "-d", db, "--socket", self.path, "--workers", "1"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 120          # a large index's lists are read first
        while not os.path.exists(self.path):
            if self.proc.poll() is not None:
                sys.exit(f"{binary} serve ended: {self.proc.stderr.read().decode(errors='replace').strip()}")
            if time.monotonic() > deadline:
                self.close()
                sys.exit(f"{binary} serve: no socket after 120 s")
            time.sleep(0.05)
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.path)
        self.stream = self.sock.makefile("rwb")

    def search(self, q, per_doc):
        request = {"id": 1, "op": "search", "q": q, "limit": 10, "per_doc": per_doc}
        self.stream.write((json.dumps(request, ensure_ascii=False) + "\n").encode())
        self.stream.flush()
        answer = json.loads(self.stream.readline())
        answer.pop("took_ms", None)
        answer.get("result", {}).pop("took_ms", None)
        return answer

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def differences(a, b, where=""):
    """The paths at which two JSON values differ, each with both sides (cut short)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b)):
            out += differences(a.get(k), b.get(k), f"{where}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, f"{where}[{i}]")
        return out
    return [] if a == b else [f"{where or '.'}: {json.dumps(a, ensure_ascii=False)[:160]} | "
                              f"{json.dumps(b, ensure_ascii=False)[:160]}"]


def two_builds(old, new, db):
    qs = queries()
    with tempfile.TemporaryDirectory() as folder:
        answers = []
        for binary, name in ((old, "old"), (new, "new")):
            d = Daemon(binary, db, folder, name)
            answers.append([d.search(q, per_doc) for per_doc in (0, 2) for q in qs])
            d.close()
    differ = [i for i in range(len(answers[0])) if answers[0][i] != answers[1][i]]
    print(f"{db}: {len(answers[0])} answers ({len(qs)} queries, per_doc 0 and 2), {len(differ)} differ")
    for i in differ[:SHOWN]:
        print(f"  {qs[i % len(qs)][:60]} (per_doc {0 if i < len(qs) else 2}):")
        for line in differences(answers[0][i], answers[1][i])[:8]:
            print("    " + line)
    return 1 if differ else 0


def daemon_against_cli(binary, db):
    qs = queries()
    differ = 0
    env = dict(os.environ, LC_ALL="C.UTF-8")
    with tempfile.TemporaryDirectory() as folder:
        d = Daemon(binary, db, folder, "serve")
        for q in qs:
            served = [(h["file"], h["start"], h["score"]) for h in d.search(q, 0)["result"]["hits"]]
            run = subprocess.run([binary, "search", "--json", "--limit", "10", "--db", db, "--", *q.split()],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
            if run.returncode != 0:
                sys.exit(f"wensou search {q}: {run.stderr.decode(errors='replace').strip()}")
            searched = [(h["file"], h["start"], h["score"]) for h in json.loads(run.stdout)["hits"]]
            if served != searched:
                differ += 1
                if differ <= SHOWN:
                    first = next(i for i in range(max(len(served), len(searched)))
                                 if i >= len(served) or i >= len(searched) or served[i] != searched[i])
                    print(f"  {q[:60]}: hit {first + 1} differs: "
                          f"{served[first] if first < len(served) else None} | "
                          f"{searched[first] if first < len(searched) else None}")
        d.close()
    print(f"{db}: {len(qs)} queries, {differ} differ between the daemon and wensou search")
    return 1 if differ else 0


def main(argv):
    if len(argv) == 4 and argv[1] == "--cli":
        return daemon_against_cli(argv[2], argv[3])
    if len(argv) == 4:
        return two_builds(argv[1], argv[2], argv[3])
    sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    sys.exit(main(sys.argv))
