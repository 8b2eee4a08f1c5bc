#!/usr/bin/env python3
"""A shard set answers as one index does.

Indexes corpus/ once as one index and once as a set of three shards
(wensou index --shards 3), serves each shard with Debian's xapian-tcpsrv on
loopback, and checks, for every query of bench/queries.txt and the judged sets
(and a few with --per-doc, --offset and filters), that the remote set and the
local set answer as the one index does: the same top 10 (scores within 0.1 %),
total, estimate flag and facets. Then it replicates a shard with
xapian-replicate and searches the replica, and stops a shard and checks that
a search fails with a one-line error within the timeout set.

usage: shards_test.py BUILD_DIR SOURCE_DIR
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BUILD, SOURCE = sys.argv[1], sys.argv[2]
WENSOU = os.path.join(BUILD, "wensou")
SHARDS = 3
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL " + msg, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(cmd, port):
    """Runs cmd until it accepts connections on port."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.time() + 20
    while time.time() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("could not start: " + " ".join(cmd))


def signal_shard(proc, sig):
    """sig to a server and the connections it forked."""
    os.killpg(proc.pid, sig)
    if sig == signal.SIGKILL:
        proc.wait()


def search(db, args, env=None):
    r = subprocess.run([WENSOU, "search", "--remote-shards", "--db", db, "--json", *args], capture_output=True, text=True,
                       env=env, timeout=120)
    if r.returncode != 0:
        return None, r.stderr.strip()
    return json.loads(r.stdout), None


def queries():
    seen = []
    with open(os.path.join(SOURCE, "bench/queries.txt"), encoding="utf-8") as f:
        seen += [l.strip() for l in f]
    for name in ("judged.tsv", "judged-natural.tsv", "judged-heldout.tsv"):
        with open(os.path.join(SOURCE, "bench/eval", name), encoding="utf-8") as f:
            seen += [l.split("\t")[0].strip() for l in f if not l.startswith("#")]
    out = []
    for q in seen:
        if q and q not in out:
            out.append(q)
    return out


class Daemon:
    """wensou serve on a Unix socket, asked one request at a time."""

    def __init__(self, db, folder, name):
        self.path = os.path.join(folder, name + ".sock")
        self.http = free_port()
        self.proc = subprocess.Popen([WENSOU, "serve", "--remote-shards", "--db", db, "--socket", self.path,
                                      "--http", "127.0.0.1:%d" % self.http, "--workers", "1"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 20
        while not os.path.exists(self.path) and time.time() < deadline and self.proc.poll() is None:
            time.sleep(0.05)
        self.n = 0

    def get(self, path):
        """The JSON answer to an HTTP GET."""
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.http, path), timeout=30) as r:
            return json.loads(r.read())

    def search(self, q):
        self.n += 1
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(30)
            s.connect(self.path)
            s.sendall((json.dumps({"id": self.n, "op": "search", "q": q}) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        return json.loads(data)

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


def key(hit):
    return (hit["file"], hit["start"], hit["end"])


def close(x, y):
    return abs(x - y) <= 0.001 * max(abs(x), 1e-9) + 0.0015


def same_answer(label, want, got, offset=False):
    """got answers as want: hits, totals, facets. Passages of equal score come in
    docid order, which a shard set interleaves: a tie at the page's end (or, on a
    page after the first, offset, at its start: the tie goes on above it) may show
    other passages, and where the tie is a crowded page's cut (a tier's lowest
    score, mid-page once a document's extra hits move back), the passages it shows
    decide how many of those hits stay on the page: then the hits above the tie
    are the same, in the same order, but for the last ones it pushed off."""
    if got is None:
        return fail(label + ": no answer")
    for field in ("total", "total_is_estimate", "facets"):
        if want.get(field) != got.get(field):
            return fail("%s: %s %s, one index %s" % (label, field, json.dumps(got.get(field), ensure_ascii=False)[:200],
                                                     json.dumps(want.get(field), ensure_ascii=False)[:200]))
    wh, gh = want["hits"], got["hits"]
    if len(wh) != len(gh):
        return fail("%s: %d hits, one index %d" % (label, len(gh), len(wh)))
    ends = [wh[-1]["score"], min(h["score"] for h in wh)] + ([wh[0]["score"]] if offset else []) if wh else []
    tied = lambda h: any(close(h["score"], e) for e in ends)
    if all(close(a["score"], b["score"]) for a, b in zip(wh, gh)):
        pairs = [(a, b) for a, b in zip(wh, gh) if not tied(a)]
        by_key = {key(h): h for h in gh}
        pairs = [(a, by_key.get(key(a))) for a, _ in pairs]
    else:                                 # a crowded page whose cut is a tie
        above_w, above_g = [h for h in wh if not tied(h)], [h for h in gh if not tied(h)]
        if not ends or any(key(a) != key(b) for a, b in zip(above_w, above_g)):
            for a, b in zip(wh, gh):
                if not close(a["score"], b["score"]):
                    return fail("%s: rank %d scores %s, one index %s" % (label, a["rank"], b["score"], a["score"]))
        pairs = list(zip(above_w, above_g))
    for a, b in pairs:
        if b is None:
            return fail("%s: %s:%s missing" % (label, a["file"], a["line"]))
        strip = lambda h: {k: v for k, v in h.items() if k not in ("rank", "score")}
        if strip(a) != strip(b):
            fields = sorted(k for k in set(a) | set(b) if k not in ("rank", "score") and a.get(k) != b.get(k))
            return fail("%s: %s:%s differs in %s: %s, one index %s"
                        % (label, a["file"], a["line"], ", ".join(fields),
                           json.dumps([b.get(k) for k in fields], ensure_ascii=False)[:300],
                           json.dumps([a.get(k) for k in fields], ensure_ascii=False)[:300]))


def answers_as_one(label, one, db, cases):
    """db answers each search of cases as the one index does."""
    for args in cases:
        want, _ = search(one, args)
        got, err = search(db, args)
        if got is None:
            fail("%s: %s: %s" % (label, args, err))
        else:
            same_answer("%s %s" % (label, " ".join(args)), want, got, "--offset" in args)


def main():
    tmp = tempfile.mkdtemp(prefix="wensou-shards-")
    procs = []
    try:
        corpus = os.path.join(SOURCE, "corpus")
        one, sset = os.path.join(tmp, "one.db"), os.path.join(tmp, "set")
        subprocess.run([WENSOU, "index", "-q", "-d", one, corpus], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([WENSOU, "index", "-q", "--shards", str(SHARDS), "-d", sset, corpus], check=True,
                       stdout=subprocess.DEVNULL)
        shard_dirs = [os.path.join(sset, "shard-%02d" % i) for i in range(SHARDS)]
        ports = []
        for d in shard_dirs:
            port = free_port()
            procs.append(start(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port), d], port))
            ports.append(port)
        remote = os.path.join(tmp, "remote.stub")
        with open(remote, "w") as f:
            f.write("".join("remote 127.0.0.1:%d\n" % p for p in ports))

        cases = [[q] for q in queries()]
        cases += [["--per-doc", "1", "营商环境"], ["--per-doc", "2", "数字经济"], ["--offset", "10", "营商环境"],
                  ["--per-doc", "1", "高质量发展"], ["year:2025", "营商环境"], ["营商环境", "-优化"],
                  ["-n", "0", "科技创新"], ["kind:政府工作报告", "数字经济"]]
        compared = 0
        for args in cases:
            want, err = search(one, args)
            if want is None:
                fail("one index: %s: %s" % (args, err))
                continue
            for label, db in (("local set", sset), ("remote set", remote)):
                got, err = search(db, args)
                if got is None:
                    fail("%s: %s: %s" % (label, args, err))
                    continue
                same_answer("%s %s" % (label, " ".join(args)), want, got, "--offset" in args)
            compared += 1
        print("compared %d searches over one index, a local set and a remote set of %d shards" % (compared, SHARDS))

        # as a large set (WENSOU_EXACT_LIMIT=0: every index large): the ranked
        # candidates verified, totals estimated; the same pages, and no tier fails
        large = dict(os.environ, WENSOU_EXACT_LIMIT="0")
        for args in cases[:40]:
            want, err = search(one, args, large)
            got, gerr = search(remote, args, large)
            if want is None or got is None:
                fail("large: %s: %s" % (args, err or gerr))
                continue
            for k in ("total", "total_is_estimate", "facets"):   # estimates, from other batches
                want[k] = got[k] = None
            same_answer("large remote set " + " ".join(args), want, got, "--offset" in args)
        print("compared 40 searches as a large index and a large remote set")

        # the same shards indexed apart, as hosts would (--shard K/N), joined by a stub
        apart = os.path.join(tmp, "apart.stub")
        with open(apart, "w") as f:
            for k in range(SHARDS):
                d = os.path.join(tmp, "apart-%d" % k)
                r = subprocess.run([WENSOU, "index", "-q", "--shard", "%d/%d" % (k, SHARDS), "-d", d, corpus],
                                   capture_output=True, text=True, check=True)
                if "for other shards" not in r.stdout:
                    fail("--shard %d/%d: %s" % (k, SHARDS, r.stdout.strip()))
                f.write("auto %s\n" % d)
        answers_as_one("shards indexed apart", one, apart, cases[:20])
        print("searched %d shards indexed apart with --shard K/N" % SHARDS)

        # a replica of shard 0, kept by xapian-replicate, stands in for it
        rport = free_port()
        procs.append(start(["xapian-replicate-server", "--interface", "127.0.0.1", "--port", str(rport), sset], rport))
        replica = os.path.join(tmp, "replica-00")
        r = subprocess.run(["xapian-replicate", "-h", "127.0.0.1", "-p", str(rport), "-m", "shard-00", "-o", "-q", replica],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            fail("xapian-replicate: " + r.stderr.strip())
        with_replica = os.path.join(tmp, "replica.stub")
        with open(with_replica, "w") as f:
            f.write("auto %s\n" % replica + "".join("remote 127.0.0.1:%d\n" % p for p in ports[1:]))
        answers_as_one("replica", one, with_replica, cases[:20])
        print("searched a replica of shard 0 beside two remote shards")

        # the daemon over the remote set: it answers as one index does, sees a
        # new commit on a shard at its next request, and after a shard's restart
        # connects again
        daemon, single = Daemon(remote, tmp, "set"), Daemon(one, tmp, "one")
        try:
            # the documents list and a document's text (passages found by their
            # shard's docids) as one index gives them
            docs = daemon.get("/documents")
            if docs != single.get("/documents"):
                fail("daemon /documents differs from one index's")
            for d in (docs.get("documents") or [])[:6]:
                path = "/documents/%s/text" % d["id"]
                if daemon.get(path) != single.get(path):
                    fail("daemon %s differs from one index's" % path)
            for q in ("营商环境", "数字经济 柯桥", "“最多跑一次”"):
                want, _ = search(one, [q])
                got = daemon.search(q)
                if not got.get("ok"):
                    fail("daemon %s: %s" % (q, got))
                else:
                    same_answer("daemon " + q, want, got["result"])
            news = os.path.join(tmp, "news")
            os.mkdir(news)
            with open(os.path.join(news, "shard-news.txt"), "w", encoding="utf-8") as f:
                f.write("分片新闻\n\n柯桥区召开分片检索验证会，部署琉璃瓦片修缮工作。\n")
            for db in (one, sset):
                subprocess.run([WENSOU, "index", "-q", "-d", db, news], check=True, stdout=subprocess.DEVNULL)
            want, _ = search(one, ["琉璃瓦片"])
            got = daemon.search("琉璃瓦片")
            if want["total"] != 1 or not got.get("ok") or got["result"]["total"] != 1:
                fail("daemon after a commit on a shard: %s" % json.dumps(got, ensure_ascii=False)[:300])
            else:
                same_answer("daemon after a commit", want, got["result"])
            # a file replaced, then pruned: on its shard, as on one index
            with open(os.path.join(news, "shard-news.txt"), "w", encoding="utf-8") as f:
                f.write("分片新闻\n\n柯桥区召开分片检索验证会，部署青铜编钟修缮工作。\n")
            for db in (one, sset):
                subprocess.run([WENSOU, "index", "-q", "-d", db, news], check=True, stdout=subprocess.DEVNULL)
            totals = [daemon.search(q).get("result", {}).get("total") for q in ("琉璃瓦片", "青铜编钟")]
            if totals != [0, 1]:
                fail("daemon after a file was replaced on its shard: totals %s, want [0, 1]" % totals)
            os.remove(os.path.join(news, "shard-news.txt"))
            for db in (one, sset):
                subprocess.run([WENSOU, "index", "-q", "--prune", "-d", db], check=True, stdout=subprocess.DEVNULL)
            got = daemon.search("青铜编钟")
            if got.get("result", {}).get("total") != 0 or daemon.get("/documents") != single.get("/documents"):
                fail("daemon after a file was pruned from its shard: %s" % json.dumps(got, ensure_ascii=False)[:200])
            signal_shard(procs[0], signal.SIGKILL)
            got = daemon.search("营商环境")
            if got.get("ok") or got.get("error", {}).get("code") != "index_error":
                fail("daemon with a shard down: %s" % json.dumps(got, ensure_ascii=False)[:300])
            procs[0] = start(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(ports[0]), shard_dirs[0]],
                             ports[0])
            got = daemon.search("营商环境")
            want, _ = search(one, ["营商环境"])
            if not got.get("ok"):
                fail("daemon after the shard came back: %s" % json.dumps(got, ensure_ascii=False)[:300])
            else:
                same_answer("daemon after the shard came back", want, got["result"])
            print("the daemon over the remote set: same answers, a new commit seen, a shard down and back")
        finally:
            daemon.stop()
            single.stop()

        # a shard that hangs, then one that is gone: a one-line error within the timeout
        env = dict(os.environ, WENSOU_SHARD_TIMEOUT="2")
        for how, proc in (("hung", procs[2]), ("stopped", procs[1])):
            signal_shard(proc, signal.SIGSTOP if how == "hung" else signal.SIGKILL)
            t0 = time.time()
            r = subprocess.run([WENSOU, "search", "--remote-shards", "--db", remote, "营商环境"], capture_output=True, text=True,
                               env=env, timeout=60)
            took = time.time() - t0
            lines = r.stderr.strip().splitlines()
            if r.returncode == 0 or len(lines) != 1 or "shard" not in lines[0] or took > 8:
                fail("a %s shard: exit %d after %.1f s, said %r" % (how, r.returncode, took, r.stderr))
            else:
                print("a %s shard: exit %d after %.2f s: %s" % (how, r.returncode, took, lines[0]))
            if how == "hung":
                signal_shard(proc, signal.SIGCONT)
    finally:
        for p in procs:
            try:
                signal_shard(p, signal.SIGKILL)
            except OSError:
                pass
        shutil.rmtree(tmp, ignore_errors=True)
    if failures:
        print("%d failures" % len(failures))
        sys.exit(1)
    print("ok")


main()
