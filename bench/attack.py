#!/usr/bin/python3
"""Attack replay: hostile clients and faults against the real `wensou serve` and
`wensou index`, on loopback, each check printing one line

    PASS|FAIL|SKIP <name>: <measured figures> (target ...)

and the whole run exiting 1 when any check fails. Python 3 standard library only.

usage: bench/attack.py [--build DIR] [--quick] [--only NAME[,NAME...]]
       (or bench/attack.sh [BUILD_DIR] [--quick], from the repo root)

--quick: the scaled index is the corpus x20 (else x100), fewer attackers, shorter
lines: about 50 s on a healthy build, bounded at ~90 s when checks time out (full
mode: about 90 s, bounded at ~6 min).

The checks, what each attacks, and its target:

 1. memory_amplification — K clients (1 and 8 in quick mode; 1, 3, 32 in full) each
    write 64 KiB of pipelined {"op":"search","q":"发展","limit":1000} lines on the
    scaled index and never read, held ~5 s. Target: the daemon's VmRSS/VmHWM (polled
    every 100 ms) stays under 256 MB, and a probe client on its own connection gets
    every ping (every 200 ms) answered within 100 ms and every small search within
    1 s. RSS after the attackers leave is informational.
 2. giant_or_query — a query of ~6,000 distinct common two-character words joined
    by " OR " (under 64 KiB). Target: answered within 2 s with ok:false and code
    query_too_complex (or timeout); with two of them running on two connections, a
    ping and a small search on a third are answered within 1 s; a 1,000-word OR
    query is answered (ok, or query_too_complex/timeout) within 3 s.
 3. disk_full (root only, else SKIP) — `wensou index` of the corpus x20 into a 3 MB
    tmpfs (nothing fits), and into a 24 MB one (some commits fit, a later one does
    not). Target: exit 1 (no abort, no "terminate called"), stderr says "No space
    left on device", a summary line that claims no more files added than the index
    then holds, and an index that still opens (or cleanly reports no index). A clean
    run into a roomy directory is the comparison (exit 0, every file added).
 4. symlink_cycle — a folder with one .txt and links to ".", ".." and itself.
    Target: `wensou index` ends within 10 s, at most 20 error lines, the file indexed
    once and searchable (exit 0 or 1).
 5. slowloris — 512 connections (128 in quick mode) each sending one byte of a
    request line per second, never a newline. Target: within 15 s a fresh client
    gets a ping answered within 1 s (the daemon's line deadline is 10 s).
 6. long_line — two files each one 20 MB line (4 MB in quick mode), one opening
    with 政府工作报告, one with 目录. Target: `wensou index` exits 0 within 120 s
    (scaled down in quick mode) and no passage in the index spans over 64 KiB
    (end - start <= 65536 for every hit).
 7. sigterm_grace — a client pipelines 64 KiB of limit-1000 searches and never reads;
    SIGTERM. Target: the daemon exits 0 within 5 s and removes its socket file.
 8. index_replaced — the served index is renamed away and another renamed into its
    place, then deleted, then the first put back plus SIGHUP. Target: every answer on
    old and new connections shows the index actually at the path (no stale or mixed
    totals), ok:false with a clear code (no_index/index_error) while none is there,
    the daemon stays up, and SIGHUP brings the restored index back.
 9. terminal_escapes — a document holding ESC ]0;pwned BEL and ESC [2J, in a file
    whose name holds an ESC byte. Target: `wensou search` (stdout not a terminal)
    writes no 0x1b and no 0x07 byte.
10. remote_stub — Xapian stub databases (a plain file with a `remote` line, in the
    form the brief gives and in Xapian 1.4's own HOST:PORT form; a folder holding an
    XAPIANDB stub; a `remote :PROG` stub that would run a program). Target: `wensou
    search --db STUB` exits non-zero with a message, nothing connects to our
    listening socket, no program runs; `wensou serve --db STUB` exits non-zero
    quickly.
11. bad_listen — `serve --listen nonsense` exits 2; `serve --socket` with a 200-byte
    path exits 2 and leaves no file behind.

Every process started is killed at the end (also on failure); every socket operation
and every wait is bounded.
"""
import argparse
import collections
import glob
import itertools
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MB = 1024 * 1024
SEARCH_WORD = "发展"
SMALL_QUERY = {"op": "search", "q": "营商环境", "limit": 5}
HEAVY_LINE = (json.dumps({"op": "search", "q": SEARCH_WORD, "limit": 1000},
                         ensure_ascii=False) + "\n").encode()


# ---------------------------------------------------------------- processes

_PROCS = []          # every process this script started, killed at the end


def tool_env():
    """The environment for wensou: English messages, no default index."""
    env = dict(os.environ)
    env.pop("WENSOU_DB", None)
    env["LC_ALL"] = "C"
    return env


def spawn(cmd, **kw):
    kw.setdefault("env", tool_env())
    kw.setdefault("stdin", subprocess.DEVNULL)
    p = subprocess.Popen(cmd, **kw)
    _PROCS.append(p)
    return p


def kill_all():
    for p in _PROCS:
        if p.poll() is None:
            try:
                p.kill()
            except OSError:
                pass
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                pass


class Run:
    """What one command did: rc (None when it had to be killed), out, err, secs, and
    peak_kb (its VmHWM as last seen, when run with watch_rss)."""

    def __init__(self, rc, out, err, secs, timed_out, peak_kb=None):
        self.rc, self.out, self.err, self.secs, self.timed_out = rc, out, err, secs, timed_out
        self.peak_kb = peak_kb

    def text(self):
        return (self.out + self.err).decode("utf-8", "replace")

    def err_text(self):
        return self.err.decode("utf-8", "replace")


def run(cmd, timeout, watch_rss=False, **kw):
    """Run cmd to the end or kill it after timeout seconds."""
    t0 = time.monotonic()
    p = spawn(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    mon = None
    if watch_rss:
        mon = RssMonitor(p.pid)
        mon.start()
    try:
        out, err = p.communicate(timeout=timeout)
        rc, timed_out = p.returncode, False
    except subprocess.TimeoutExpired:
        p.kill()
        try:
            out, err = p.communicate(timeout=5)
        except subprocess.TimeoutExpired:
            out, err = b"", b""
        rc, timed_out = None, True
    if mon:
        mon.stop()
    return Run(rc, out, err, time.monotonic() - t0, timed_out, mon.hwm if mon else None)


def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_status(pid):
    """VmRSS and VmHWM of pid in kB ({} when it is gone)."""
    out = {}
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    k, v = line.split(":", 1)
                    out[k] = int(v.split()[0])
    except OSError:
        pass
    return out


# ---------------------------------------------------------------- client

_IDS = itertools.count(1)


class Closed(Exception):
    pass


class Client:
    """One connection to the daemon (a Unix socket path, or (host, port)), every
    operation with a deadline. request() answers (response or None, seconds, error)
    where error is None, "timeout" or "closed: ..."."""

    def __init__(self, addr, timeout=3.0):
        if isinstance(addr, tuple):
            self.s = socket.create_connection(addr, timeout=timeout)
        else:
            self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.s.settimeout(timeout)
            try:
                self.s.connect(addr)
            except OSError:
                self.s.close()
                raise
        self.buf = bytearray()

    def close(self):
        try:
            self.s.close()
        except OSError:
            pass

    def send_raw(self, data, timeout=3.0):
        self.s.settimeout(timeout)
        self.s.sendall(data)

    def send(self, obj, timeout=3.0):
        self.send_raw((json.dumps(obj, ensure_ascii=False) + "\n").encode(), timeout)

    def read_line(self, timeout):
        """The next answer line, or None when none came within timeout; Closed at EOF."""
        deadline = time.monotonic() + timeout
        while True:
            i = self.buf.find(b"\n")
            if i >= 0:
                line = bytes(self.buf[:i])
                del self.buf[:i + 1]
                return line
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.s.settimeout(left)
            try:
                chunk = self.s.recv(1 << 20)
            except socket.timeout:
                return None
            except OSError as e:
                raise Closed(str(e))
            if not chunk:
                raise Closed("EOF")
            self.buf += chunk

    def wait_for(self, rid, timeout):
        """The answer with id rid (others, late answers to earlier requests, are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return None, "timeout"
            try:
                line = self.read_line(left)
            except Closed as e:
                return None, "closed: %s" % e
            if line is None:
                return None, "timeout"
            try:
                resp = json.loads(line)
            except ValueError:
                return None, "bad json: %r" % line[:80]
            if isinstance(resp, dict) and resp.get("id") == rid:
                return resp, None

    def request(self, obj, timeout=3.0):
        obj = dict(obj)
        obj["id"] = rid = next(_IDS)
        t0 = time.monotonic()
        try:
            self.send(obj, timeout)
        except OSError as e:
            # a daemon that refuses the connection (too_many_connections, id null) may
            # have closed it before the request went out: read what it said
            try:
                line = self.read_line(0.2)
                resp = json.loads(line) if line else None
            except (Closed, ValueError):
                resp = None
            if isinstance(resp, dict) and resp.get("ok") is False:
                return resp, time.monotonic() - t0, None
            return None, time.monotonic() - t0, "closed: send: %s" % e
        resp, err = self.wait_for(rid, timeout - (time.monotonic() - t0))
        return resp, time.monotonic() - t0, err


def connect(addr, timeout=3.0):
    try:
        return Client(addr, timeout)
    except OSError:
        return None


def error_code(resp):
    if isinstance(resp, dict) and resp.get("ok") is False:
        return (resp.get("error") or {}).get("code")
    return None


def describe(resp, err):
    """A short word for an answer to a search: its total, err:CODE, or the failure."""
    if resp is None:
        return err or "none"
    if resp.get("ok"):
        return (resp.get("result") or {}).get("total", "ok")
    return "err:%s" % error_code(resp)


def open_raw(addr, timeout=3.0):
    """A bare non-blocking socket for an attacker (None when it could not connect
    within timeout). A Unix socket whose backlog is full fails at once with EAGAIN:
    that is retried until the daemon has accepted enough to make room."""
    deadline = time.monotonic() + timeout
    while True:
        s = None
        try:
            if isinstance(addr, tuple):
                s = socket.create_connection(addr, timeout=timeout)
            else:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.settimeout(timeout)
                s.connect(addr)
            s.setblocking(False)
            return s
        except (BlockingIOError, InterruptedError):
            if s is not None:
                s.close()
            if time.monotonic() >= deadline:
                return None
            time.sleep(0.01)
        except OSError:
            if s is not None:
                s.close()
            return None


def push(s, data, sent):
    """Send what the socket takes of data[sent:] without blocking; the new offset,
    or -1 when the connection is gone."""
    try:
        while sent < len(data):
            n = s.send(data[sent:sent + 65536])
            if n <= 0:
                break
            sent += n
    except (BlockingIOError, InterruptedError):
        pass
    except OSError:
        return -1
    return sent


# ---------------------------------------------------------------- daemon

class RssMonitor(threading.Thread):
    """Polls a process's VmRSS every interval seconds; peak since the last reset()."""

    def __init__(self, pid, interval=0.1):
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.hwm = 0
        self.stop_ev = threading.Event()
        self.lock = threading.Lock()

    def run(self):
        while not self.stop_ev.wait(self.interval):
            st = proc_status(self.pid)
            if not st:
                break
            with self.lock:
                self.peak = max(self.peak, st.get("VmRSS", 0))
                self.hwm = max(self.hwm, st.get("VmHWM", 0))

    def reset(self):
        with self.lock:
            self.peak = 0

    def stop(self):
        self.stop_ev.set()
        self.join(2)


class Daemon:
    """`wensou serve` on a Unix socket (and TCP when tcp=True): start, measure, stop."""

    def __init__(self, ctx, db, name, tcp=False, extra=()):
        self.ctx = ctx
        self.db = db
        self.sock = os.path.join(ctx.tmp, name + ".sock")
        self.port = free_port() if tcp else None
        self.log = os.path.join(ctx.tmp, name + ".log")
        self.extra = list(extra)
        self.proc = None
        self.logf = None

    @property
    def pid(self):
        return self.proc.pid

    @property
    def tcp(self):
        return ("127.0.0.1", self.port)

    def start(self, timeout=15.0):
        cmd = [self.ctx.wensou, "serve", "--db", self.db, "--socket", self.sock]
        if self.port:
            cmd += ["--listen", "127.0.0.1:%d" % self.port]
        self.logf = open(self.log, "wb")
        self.proc = spawn(cmd + self.extra, stdout=self.logf, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("daemon exited %s at start: %s" % (self.proc.returncode, self.log_tail()))
            if os.path.exists(self.sock) and self._answers(self.sock) and \
                    (not self.port or self._answers(self.tcp)):
                return self
            time.sleep(0.05)
        raise RuntimeError("daemon did not answer a ping within %.0f s: %s" % (timeout, self.log_tail()))

    def _answers(self, addr):
        c = connect(addr, 1.0)
        if not c:
            return False
        try:
            resp, _, _ = c.request({"op": "ping"}, 1.0)
            return bool(resp and resp.get("ok"))
        finally:
            c.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def status(self):
        return proc_status(self.pid) if self.alive() else {}

    def send_signal(self, sig):
        if self.alive():
            self.proc.send_signal(sig)

    def wait(self, timeout):
        """The exit status within timeout, else None."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop(self, sig=signal.SIGTERM, timeout=5.0):
        """Signal, wait up to timeout, then SIGKILL: (exit status or None if killed, seconds)."""
        if not self.alive():
            self._close_log()
            return self.proc.returncode if self.proc else None, 0.0
        t0 = time.monotonic()
        self.proc.send_signal(sig)
        rc = self.wait(timeout)
        secs = time.monotonic() - t0
        if rc is None:
            self.kill()
        self._close_log()
        return rc, secs

    def kill(self):
        if self.alive():
            self.proc.kill()
            self.wait(5)
        self._close_log()

    def _close_log(self):
        if self.logf:
            self.logf.close()
            self.logf = None

    def log_tail(self, n=3):
        try:
            with open(self.log, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
            return " | ".join(lines[-n:])
        except OSError:
            return ""


# ---------------------------------------------------------------- fixtures

class Ctx:
    def __init__(self, args):
        self.quick = args.quick
        self.wensou = os.path.abspath(os.path.join(args.build, "wensou"))
        self.tmp = tempfile.mkdtemp(prefix="wensou-attack-")
        self.corpus = sorted(glob.glob(os.path.join(REPO, "corpus", "*.txt")))
        self.scale = 20 if args.quick else 100
        self.mounts = []         # tmpfs mounts to undo at the end
        self._cache = {}

    def path(self, *parts):
        return os.path.join(self.tmp, *parts)

    def copies(self, n):
        """A folder holding the corpus files n times over (r001-NAME.txt ...)."""
        key = ("copies", n)
        if key not in self._cache:
            d = self.path("docs%d" % n)
            os.makedirs(d)
            for i in range(1, n + 1):
                for f in self.corpus:
                    shutil.copyfile(f, os.path.join(d, "r%03d-%s" % (i, os.path.basename(f))))
            self._cache[key] = d
        return self._cache[key]

    def index(self, db, paths, timeout=600):
        r = run([self.wensou, "index", "--quiet", "--db", db] + list(paths), timeout)
        if r.rc != 0:
            raise RuntimeError("indexing %s failed (rc %s): %s" % (db, r.rc, r.err_text()[-300:]))
        return r

    def small_db(self):
        if "small" not in self._cache:
            db = self.path("c1.db")
            self.index(db, self.corpus)
            self._cache["small"] = db
        return self._cache["small"]

    def scaled_db(self):
        if "scaled" not in self._cache:
            db = self.path("scaled.db")
            self.index(db, [self.copies(self.scale)])
            self._cache["scaled"] = db
        return self._cache["scaled"]

    def search_json(self, db, words, limit=10, timeout=60, extra=()):
        """`wensou search --json` on db: (Run, parsed object or None)."""
        r = run([self.wensou, "search", "--json", "--db", db, "--limit", str(limit)] + list(extra)
                + ["--"] + list(words), timeout)
        try:
            return r, json.loads(r.out) if r.rc == 0 else None
        except ValueError:
            return r, None

    def indexed_files(self, db):
        """The distinct files an index holds (up to 1000): a filter-only query lists
        every passage, one per document; (set or None, Run)."""
        r, obj = self.search_json(db, ["doc:/"], limit=1000, extra=["--per-doc", "1"])
        if obj is None:
            return None, r
        return set(h.get("file") for h in obj.get("hits", [])), r


def corpus_words(files):
    """Two-character chunks of the corpus's Han runs, most frequent first."""
    c = collections.Counter()
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for runs in re.findall(r"[\u4e00-\u9fff]+", fh.read()):
                for i in range(0, len(runs) - 1, 2):
                    c[runs[i:i + 2]] += 1
    return [w for w, _ in c.most_common()]


def or_request(words, n):
    """A search request line for the first n words joined by OR, kept under 64 KiB;
    (line bytes, words used)."""
    n = min(n, len(words))
    while n > 0:
        q = " OR ".join(words[:n])
        line = (json.dumps({"op": "search", "q": q, "limit": 10}, ensure_ascii=False) + "\n").encode()
        if len(line) <= 65536 - 1024:
            return line, n
        n -= 100
    raise ValueError("no words")


def ms(secs):
    return "%.0f ms" % (secs * 1000) if secs is not None else "n/a"


def mbytes(kb):
    return "%.0f MB" % (kb / 1024.0) if kb else "n/a"


SUMMARY_RE = re.compile(r"(\d+) added, (\d+) updated, (\d+) unchanged, (\d+) removed, (\d+) failed; (\d+) passages")


# ---------------------------------------------------------------- checks
# Each check returns (ok, figures, target) or ("SKIP", figures, target).

def check_memory_amplification(ctx):
    target = "RSS < 256 MB, ping <= 100 ms, small search <= 1 s, daemon up"
    phases = [1, 8] if ctx.quick else [1, 3, 32]
    hold = 5.0
    payload = HEAVY_LINE * (65536 // len(HEAVY_LINE))
    d = Daemon(ctx, ctx.scaled_db(), "mem", tcp=True).start()
    mon = RssMonitor(d.pid)
    mon.start()
    figures, ok = ["x%d index, start RSS %s" % (ctx.scale, mbytes(d.status().get("VmRSS")))], True
    probe = None
    try:
        probe = Client(d.sock, 3)
        for k in phases:
            mon.reset()
            attackers = [open_raw(d.tcp) for _ in range(k)]
            refused = sum(1 for a in attackers if a is None)
            sent = [0 if a else -1 for a in attackers]
            ping_max = search_max = 0.0
            late = probes = 0
            t0 = time.monotonic()
            next_probe = t0
            while time.monotonic() - t0 < hold:
                for i, a in enumerate(attackers):
                    if a is not None and 0 <= sent[i] < len(payload):
                        sent[i] = push(a, payload, sent[i])
                if time.monotonic() >= next_probe:
                    probes += 1
                    resp, secs, err = probe.request({"op": "ping"}, 1.0)
                    ping_max = max(ping_max, secs)
                    if not resp or not resp.get("ok") or secs > 0.1:
                        late += 1
                    resp, secs, err = probe.request(SMALL_QUERY, 2.0)
                    search_max = max(search_max, secs)
                    if not resp or not resp.get("ok") or secs > 1.0:
                        late += 1
                    if err and err.startswith("closed"):
                        probe.close()
                        probe = Client(d.sock, 3)
                    next_probe = max(next_probe + 0.2, time.monotonic() + 0.05)
                time.sleep(0.02)
            peak, hwm = mon.peak, d.status().get("VmHWM", mon.hwm)
            for a in attackers:
                if a is not None:
                    a.close()
            time.sleep(1.0)
            after = d.status().get("VmRSS")
            kib = sum(max(s, 0) for s in sent) / 1024.0 / max(1, k - refused)
            up = d.alive()
            phase_ok = up and max(peak, hwm) < 256 * 1024 and ping_max <= 0.1 and search_max <= 1.0 and late == 0
            ok = ok and phase_ok
            figures.append("K=%d: peak RSS %s, HWM %s, after %s, %.0f KiB sent/client%s, "
                           "ping max %s, search max %s, %d/%d probes late%s"
                           % (k, mbytes(peak), mbytes(hwm), mbytes(after), kib,
                              ", %d refused" % refused if refused else "", ms(ping_max), ms(search_max),
                              late, 2 * probes, "" if up else ", DAEMON DIED"))
            if not up:
                break
    finally:
        if probe:
            probe.close()
        mon.stop()
        d.kill()
    return ok, "; ".join(figures), target


def check_giant_or_query(ctx):
    target = "6000-word OR: ok:false query_too_complex|timeout <= 2 s; probe under 2 such <= 1 s; 1000-word OR answered <= 3 s"
    words = corpus_words(ctx.corpus)
    big, nbig = or_request(words, 6000)
    mid, nmid = or_request(words, 1000)
    allowed = ("query_too_complex", "timeout")
    d = Daemon(ctx, ctx.scaled_db(), "giant").start()
    figures, ok = [], True
    clients = []
    try:
        def fresh():
            c = Client(d.sock, 3)
            clients.append(c)
            return c

        def send_line(c, line):
            rid = next(_IDS)
            obj = json.loads(line)
            obj["id"] = rid
            c.send(obj, 3.0)
            return rid

        # the 1,000-word query first, on a daemon with nothing else to do
        c = fresh()
        t0 = time.monotonic()
        resp, err = c.wait_for(send_line(c, mid), 6.0)
        secs = time.monotonic() - t0
        good = resp is not None and (resp.get("ok") or error_code(resp) in allowed) and secs <= 3.0
        ok = ok and good
        figures.append("%d-word OR (%d B): %s in %s" % (nmid, len(mid), describe(resp, err), ms(secs)))

        # one giant query
        c = fresh()
        t0 = time.monotonic()
        resp, err = c.wait_for(send_line(c, big), 5.0)
        secs = time.monotonic() - t0
        good = resp is not None and error_code(resp) in allowed and secs <= 2.0
        ok = ok and good
        figures.append("%d-word OR (%d B): %s in %s" % (nbig, len(big), describe(resp, err), ms(secs)))

        # two giant queries at once, a probe on a third connection
        a, b, p = fresh(), fresh(), fresh()
        t0 = time.monotonic()
        ra, rb = send_line(a, big), send_line(b, big)
        time.sleep(0.1)
        presp, psecs, perr = p.request({"op": "ping"}, 3.0)
        sresp, ssecs, serr = p.request(SMALL_QUERY, 3.0)
        good = bool(presp and presp.get("ok") and psecs <= 1.0 and sresp and sresp.get("ok") and ssecs <= 1.0)
        resa, erra = a.wait_for(ra, max(0.1, 5.0 - (time.monotonic() - t0)))
        ta = time.monotonic() - t0
        resb, errb = b.wait_for(rb, max(0.1, 5.0 - (time.monotonic() - t0)))
        tb = time.monotonic() - t0
        ok = ok and good
        figures.append("under 2 giants: ping %s (%s), search %s (%s); giants %s in %s, %s in %s"
                       % (ms(psecs), "ok" if presp and presp.get("ok") else perr or describe(presp, perr),
                          ms(ssecs), "ok" if sresp and sresp.get("ok") else serr or describe(sresp, serr),
                          describe(resa, erra), ms(ta), describe(resb, errb), ms(tb)))
        if not d.alive():
            ok = False
            figures.append("DAEMON DIED")
    finally:
        for c in clients:
            c.close()
        d.kill()
    return ok, "; ".join(figures), target


def check_disk_full(ctx):
    target = ("exit 1, 'No space left on device', no abort, summary added >= files in index, index opens; "
              "clean run exit 0")
    if os.geteuid() != 0:
        return "SKIP", "not root", target
    docs = ctx.copies(20)
    ok, figs = True, []
    # 3 MB (nothing fits) as the brief asks, and 24 MB, where some commits fit and a
    # later one does not (the clean index of these files takes some 36 MB)
    for size in (3, 24):
        mnt = ctx.path("full%d" % size)
        os.makedirs(mnt)
        r = run(["mount", "-t", "tmpfs", "-o", "size=%dm" % size, "tmpfs", mnt], 10)
        if r.rc != 0:
            return "SKIP", "mount failed: %s" % r.err_text().strip()[:120], target
        ctx.mounts.append(mnt)
        try:
            db = os.path.join(mnt, "db")
            ix = run([ctx.wensou, "index", "--quiet", "--db", db, docs], 120)
            text = ix.text()
            m = SUMMARY_RE.search(text)
            added = int(m.group(1)) if m else None
            files, sr = ctx.indexed_files(db)
            no_index = files is None and sr.rc == 1 and re.search(r"no index", sr.err_text(), re.I)
            opens = files is not None or bool(no_index)
            nfiles = len(files) if files is not None else 0
            aborted = ix.rc in (134, -6) or "terminate called" in text or "Aborted" in text
            enospc = "No space left on device" in ix.err_text()
            ok = (ok and ix.rc == 1 and not aborted and enospc and m is not None and opens
                  and added is not None and nfiles <= added)
            figs.append("%d MB tmpfs: exit %s in %.1f s, ENOSPC %s, summary %s, index %s with %d files%s"
                        % (size, ix.rc if not ix.timed_out else "TIMEOUT", ix.secs,
                           "reported" if enospc else "NOT reported",
                           ("'%d added, %s failed'" % (added, m.group(5))) if m else "MISSING",
                           "opens" if files is not None else
                           ("absent (clean no index)" if no_index else
                            "DOES NOT OPEN (rc %s: %s)" % (sr.rc, sr.err_text().strip()[:100])),
                           nfiles, ", ABORTED" if aborted else ""))
        finally:
            umount(mnt)
            ctx.mounts.remove(mnt)
    clean_db = ctx.path("clean20.db")
    cx = run([ctx.wensou, "index", "--quiet", "--db", clean_db, docs], 300)
    cm = SUMMARY_RE.search(cx.text())
    cfiles, _ = ctx.indexed_files(clean_db)
    size = sum(os.path.getsize(os.path.join(clean_db, f)) for f in os.listdir(clean_db)) if os.path.isdir(clean_db) else 0
    nsrc = len(os.listdir(docs))
    clean_ok = cx.rc == 0 and cm is not None and int(cm.group(1)) == nsrc and cfiles is not None and len(cfiles) == nsrc
    figs.append("clean run: exit %s, %s added, %s files in index, %.1f MB on disk" % (
        cx.rc, cm.group(1) if cm else "?", len(cfiles) if cfiles is not None else "?", size / MB))
    return ok and clean_ok, "; ".join(figs), target


def umount(mnt):
    if run(["umount", mnt], 15).rc != 0:
        run(["umount", "-l", mnt], 15)


def check_symlink_cycle(ctx):
    target = "ends <= 10 s, <= 20 error lines, the file indexed once and searchable, exit 0|1"
    root = ctx.path("cycle")
    a = os.path.join(root, "a")
    os.makedirs(a)
    doc = os.path.join(a, "doc.txt")
    with open(doc, "w", encoding="utf-8") as f:
        f.write("符号链接循环测试\n\n这份文件只为检验索引器是否会陷入链接循环。独一无二的词语是鹦鹉螺号潜水艇。\n")
    os.symlink(".", os.path.join(a, "l1"))
    os.symlink("..", os.path.join(a, "l2"))
    os.symlink(a, os.path.join(a, "l3"))
    db = ctx.path("cycle.db")
    ix = run([ctx.wensou, "index", "--quiet", "--db", db, a], 12)
    errs = [l for l in ix.err_text().splitlines() if l.strip()]
    _, obj = ctx.search_json(db, ["鹦鹉螺号"], limit=100)
    hits = obj["hits"] if obj else []
    files, _ = ctx.indexed_files(db)
    found = any(h.get("file") == os.path.realpath(doc) for h in hits)
    ok = (not ix.timed_out and ix.secs <= 10 and ix.rc in (0, 1) and len(errs) <= 20 and found
          and files is not None and len(files) == 1)
    return ok, "exit %s in %.1f s, %d error lines%s, %d hits, %s files in index, doc %s" % (
        "TIMEOUT" if ix.timed_out else ix.rc, ix.secs, len(errs),
        " (first: %s)" % errs[0][:80] if errs else "", len(hits),
        len(files) if files is not None else "?", "found" if found else "NOT found"), target


def check_slowloris(ctx):
    target = "a fresh client's ping answered <= 1 s within 15 s of the attack"
    n = 128 if ctx.quick else 512
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = n + 256
    if soft != resource.RLIM_INFINITY and soft < need:
        new = need if hard == resource.RLIM_INFINITY else min(need, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    d = Daemon(ctx, ctx.small_db(), "slow").start()
    line = ('{"id":1,"op":"search","q":"' + "a" * 64 + '"}').encode()   # never a newline
    attackers = []
    try:
        attackers = [open_raw(d.sock) for _ in range(n)]
        opened = sum(1 for a in attackers if a is not None)
        dropped = answered = 0
        t0 = time.monotonic()
        first_ok = None
        attempts = []
        tick = 0
        while time.monotonic() - t0 < 15.0:
            # one byte on every live attacker, then look at what the daemon said
            for i, a in enumerate(attackers):
                if a is None:
                    continue
                try:
                    data = a.recv(4096)
                    if data:
                        answered += 1
                    a.close()
                    attackers[i] = None
                    dropped += 1
                    continue
                except (BlockingIOError, InterruptedError):
                    pass
                except OSError:
                    a.close()
                    attackers[i] = None
                    dropped += 1
                    continue
                if push(a, line[tick % len(line):tick % len(line) + 1], 0) < 0:
                    a.close()
                    attackers[i] = None
                    dropped += 1
            tick += 1
            live = sum(1 for a in attackers if a is not None)
            if tick >= 2 and first_ok is None:
                ts = time.monotonic() - t0
                c = connect(d.sock, 1.0)
                if c is None:
                    attempts.append("%.0fs:refused" % ts)
                else:
                    resp, secs, err = c.request({"op": "ping"}, 1.0)
                    c.close()
                    if resp and resp.get("ok") and secs <= 1.0:
                        first_ok = ts
                    if resp and resp.get("ok"):
                        what = "ok"
                    elif resp:
                        what = "err:%s" % error_code(resp)
                    else:
                        what = "reset" if "reset" in err else "pipe" if "pipe" in err.lower() else err.split(":")[0]
                    attempts.append("%.0fs:%s" % (ts, what))
            if first_ok is not None and (live == 0 or time.monotonic() - t0 >= 12.0):
                break
            next_tick = t0 + tick
            time.sleep(max(0.0, min(1.0, next_tick - time.monotonic())))
        elapsed = time.monotonic() - t0
        live = sum(1 for a in attackers if a is not None)
        ok = first_ok is not None and first_ok <= 15.0 and d.alive()
        fails = [x for x in attempts if not x.endswith(":ok")]
        figures = ("%d/%d attackers connected; fresh ping first ok at %s (%d earlier attempts failed%s); "
                   "after %.0f s %d attackers dropped by the daemon (%d with an answer), %d still open%s" % (
                       opened, n, "%.1f s" % first_ok if first_ok is not None else "NEVER", len(fails),
                       ": " + ",".join(fails[:4]) if fails else "", elapsed, dropped, answered, live,
                       "" if d.alive() else ", DAEMON DIED"))
        return ok, figures, target
    finally:
        for a in attackers:
            if a is not None:
                a.close()
        d.kill()


def check_long_line(ctx):
    mb = 4 if ctx.quick else 20
    limit = 120 if not ctx.quick else 30
    target = "index exit 0 <= %d s, every passage end-start <= 65536" % limit
    text = []
    for f in ctx.corpus:
        with open(f, encoding="utf-8") as fh:
            text.append(re.sub(r"\s+", "", fh.read()))
    body = "".join(text).encode()
    folder = ctx.path("long")
    os.makedirs(folder)
    size = mb * MB
    for name, head in (("long-title.txt", "政府工作报告"), ("long-toc.txt", "目录")):
        with open(os.path.join(folder, name), "wb") as f:
            f.write(head.encode())
            left = size - len(head.encode())
            while left > 0:
                chunk = body[:left]
                f.write(chunk)
                left -= len(chunk)
            f.write("。\n".encode())      # ends a (possibly cut) character cleanly enough
    db = ctx.path("long.db")
    ix = run([ctx.wensou, "index", "--quiet", "--db", db, folder], limit + 2, watch_rss=True)
    m = SUMMARY_RE.search(ix.text())
    widest, nhits = 0, 0
    for words in ([SEARCH_WORD], ["doc:long-"], ["目录"], ["政府工作报告"]):
        _, obj = ctx.search_json(db, words, limit=1000, timeout=120)
        for h in (obj or {}).get("hits", []):
            nhits += 1
            widest = max(widest, h.get("end", 0) - h.get("start", 0), len(h.get("text", "").encode()))
    ok = ix.rc == 0 and ix.secs <= limit and nhits > 0 and widest <= 65536
    return ok, ("2 x %d MB lines: index exit %s in %.1f s (peak RSS %s), %s passages; %d hits checked, "
                "widest passage %d bytes" % (mb, "TIMEOUT" if ix.timed_out else ix.rc, ix.secs, mbytes(ix.peak_kb),
                                             m.group(6) if m else "?", nhits, widest)), target


def check_sigterm_grace(ctx):
    target = "exit 0 within 5 s of SIGTERM, socket file removed"
    d = Daemon(ctx, ctx.scaled_db(), "term").start()
    payload = HEAVY_LINE * (65536 // len(HEAVY_LINE))
    a = open_raw(d.sock)
    try:
        sent = 0
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.5 and 0 <= sent < len(payload):
            sent = push(a, payload, sent)
            time.sleep(0.02)
        time.sleep(0.5)
        rc, secs = d.stop(signal.SIGTERM, 5.0)
        if rc is None:       # report how long it really needs, up to 3 s more
            secs = None
        gone = not os.path.exists(d.sock)
        ok = rc == 0 and secs is not None and secs <= 5.0 and gone
        return ok, "%.0f KiB pipelined, unread; %s; socket file %s" % (
            max(sent, 0) / 1024.0,
            "exit %s after %s" % (rc, ms(secs)) if rc is not None else "STILL RUNNING 5 s after SIGTERM (killed)",
            "removed" if gone else "LEFT BEHIND"), target
    finally:
        if a is not None:
            a.close()
        d.kill()


def check_index_replaced(ctx):
    target = "every answer shows the index now at the path; no_index|index_error when deleted; daemon up; SIGHUP reloads"
    dbA = ctx.path("replace", "P")
    dbB = ctx.path("replace", "B")
    os.makedirs(ctx.path("replace"))
    ctx.index(dbA, ctx.corpus)
    ctx.index(dbB, ctx.corpus[:2])
    _, oa = ctx.search_json(dbA, [SEARCH_WORD], limit=1)
    _, ob = ctx.search_json(dbB, [SEARCH_WORD], limit=1)
    totA, totB = oa["total"], ob["total"]
    if totA == totB:
        return False, "fixture: totals of A and B are both %d" % totA, target
    d = Daemon(ctx, dbA, "repl").start()
    conns = []
    steps, ok = [], True

    def ask(cs):
        out = []
        for c in cs:
            resp, _, err = c.request({"op": "search", "q": SEARCH_WORD, "limit": 1}, 3.0)
            out.append(describe(resp, err))
        return out

    def new(k):
        cs = [connect(d.sock, 2.0) for _ in range(k)]
        conns.extend(c for c in cs if c)
        return [c for c in cs if c]

    def step(label, cs, want):
        nonlocal ok
        got = ask(cs)
        good = len(got) > 0 and all(want(g) for g in got) and d.alive()
        ok = ok and good
        cnt = collections.Counter(str(g) for g in got)
        steps.append("%s: %s%s" % (label, ",".join("%d of %s" % (v, k) for k, v in sorted(cnt.items())),
                                   "" if good else " BAD"))

    try:
        old = new(4)
        step("A(%d)" % totA, old, lambda g: g == totA)
        os.rename(dbA, dbA + ".old")
        os.rename(dbB, dbA)
        fresh = new(4)
        step("mv B->P, want %d" % totB, old + fresh, lambda g: g == totB)
        shutil.rmtree(dbA)
        more = new(4)
        live = old + fresh + more
        step("rm P, want no_index", live, lambda g: g in ("err:no_index", "err:index_error"))
        os.rename(dbA + ".old", dbA)
        d.send_signal(signal.SIGHUP)
        time.sleep(0.3)
        if not d.alive():
            ok = False
            steps.append("SIGHUP KILLED THE DAEMON (exit %s)" % d.proc.returncode)
        else:
            step("A back + SIGHUP, want %d" % totA, live + new(4), lambda g: g == totA)
        return ok, "; ".join(steps), target
    finally:
        for c in conns:
            c.close()
        d.kill()


def check_terminal_escapes(ctx):
    target = "no 0x1b and no 0x07 byte in `wensou search` output (stdout a pipe)"
    folder = ctx.path("esc")
    os.makedirs(folder)
    name = os.path.join(os.fsencode(folder), b"esc\x1b[31mname\x07.txt")
    with open(name, "wb") as f:
        f.write("终端转义测试\n\n鸵鸟蛋糕的配方写在这里。\x1b]0;pwned\x07鸵鸟蛋糕之后是清屏\x1b[2J清屏之后的文字。\n".encode())
    db = ctx.path("esc.db")
    ix = run([ctx.wensou, "index", "--quiet", "--db", db, folder], 30)
    r = run([ctx.wensou, "search", "--db", db, "鸵鸟蛋糕"], 30)
    rj = run([ctx.wensou, "search", "--json", "--db", db, "鸵鸟蛋糕"], 30)
    bad = lambda b: b.count(b"\x1b") + b.count(b"\x07")
    found = "鸵鸟蛋糕".encode() in r.out
    try:
        json.loads(rj.out)
        json_ok = "valid"
    except ValueError:
        json_ok = "INVALID"
    ok = r.rc == 0 and found and bad(r.out) == 0
    return ok, ("index exit %s; search exit %s, %d bytes, %d ESC/BEL bytes on stdout, %d on stderr, hit %s; "
                "--json: %d raw ESC/BEL bytes, JSON %s; index stderr %d ESC/BEL" % (
                    ix.rc, r.rc, len(r.out), bad(r.out), bad(r.err), "shown" if found else "NOT shown",
                    bad(rj.out), json_ok, bad(ix.err))), target


def check_remote_stub(ctx):
    target = "search/serve on a stub exit non-zero with a message, no connection made, no program run"
    lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    lst.bind(("127.0.0.1", 0))
    lst.listen(16)
    port = lst.getsockname()[1]
    folder = ctx.path("stub")
    os.makedirs(folder)
    marker = os.path.join(folder, "PROGRAM-RAN")
    stubs = []

    def stub_file(name, content):
        p = os.path.join(folder, name)
        with open(p, "w") as f:
            f.write(content)
        stubs.append((name, p))
        return p

    stub_file("brief", "remote tcp 127.0.0.1 %d\n" % port)         # the form the brief gives
    stub_file("tcp", "remote 127.0.0.1:%d\n" % port)               # Xapian 1.4's own form
    os.makedirs(os.path.join(folder, "stubdir"))
    with open(os.path.join(folder, "stubdir", "XAPIANDB"), "w") as f:
        f.write("remote 127.0.0.1:%d\n" % port)
    stubs.append(("dir/XAPIANDB", os.path.join(folder, "stubdir")))
    stub_file("prog", "remote :/usr/bin/touch %s\n" % marker)       # would run a program

    def accepted():
        n = 0
        lst.settimeout(1.0)
        while n < 8:
            try:
                c, _ = lst.accept()
                c.close()
                n += 1
                lst.settimeout(0.2)
            except socket.timeout:
                break
        return n

    ok, figs = True, []
    clients = []
    try:
        for name, p in stubs:
            r = run([ctx.wensou, "search", "--db", p, SEARCH_WORD], 5)
            conns = accepted()
            ran = os.path.exists(marker)
            good = r.rc not in (0, None) and r.err.strip() != b"" and conns == 0 and not ran
            ok = ok and good
            figs.append("search %s: exit %s, %s, %d connections%s" % (
                name, "TIMEOUT" if r.timed_out else r.rc,
                "message" if r.err.strip() else "NO message", conns, ", PROGRAM RAN" if ran else ""))
        # serve on the stub file in Xapian's own form, and on the stub folder
        for name in ("tcp", "dir/XAPIANDB"):
            sock = ctx.path("stub.sock")
            log = ctx.path("stub-serve.log")
            t0 = time.monotonic()
            with open(log, "wb") as logf:
                proc = spawn([ctx.wensou, "serve", "--db", dict(stubs)[name], "--socket", sock],
                             stdout=logf, stderr=subprocess.STDOUT)
                try:
                    rc = proc.wait(3)
                except subprocess.TimeoutExpired:
                    rc = None
                secs = time.monotonic() - t0
                extra = ""
                if rc is None:
                    # still up: does a search make it connect out?
                    c = connect(sock, 2.0)
                    if c:
                        clients.append(c)
                        resp, _, err = c.request({"op": "search", "q": SEARCH_WORD}, 3.0)
                        extra = ", a search got %s" % describe(resp, err)
                    proc.kill()
                    proc.wait(5)
            with open(log, "rb") as f:
                said = f.read().strip()
            conns = accepted()
            good = rc not in (0, None) and bool(said) and conns == 0
            ok = ok and good
            figs.append("serve %s: %s%s, %s, %d connections" % (
                name, "exit %s after %s" % (rc, ms(secs)) if rc is not None else "STILL RUNNING after 3 s",
                extra, "message" if said else "NO message", conns))
            if os.path.exists(sock):
                os.unlink(sock)
        return ok, "; ".join(figs), target
    finally:
        for c in clients:
            c.close()
        lst.close()


def check_bad_listen(ctx):
    target = "--listen nonsense exit 2; 200-byte --socket exit 2, no file left"
    folder = ctx.path("badlisten")
    os.makedirs(folder)
    before = set(os.listdir(folder))
    r1 = run([ctx.wensou, "serve", "--db", ctx.path("nodb"), "--socket", os.path.join(folder, "a.sock"),
              "--listen", "nonsense"], 5)
    long_path = os.path.join(folder, "s" * (200 - len(folder) - 1))
    assert len(long_path.encode()) == 200
    r2 = run([ctx.wensou, "serve", "--db", ctx.path("nodb"), "--socket", long_path], 5)
    left = sorted(set(os.listdir(folder)) - before)
    ok = r1.rc == 2 and r2.rc == 2 and not left
    return ok, "--listen nonsense: exit %s; 200-byte socket path: exit %s; files left: %s" % (
        "TIMEOUT" if r1.timed_out else r1.rc, "TIMEOUT" if r2.timed_out else r2.rc,
        ",".join(x[:20] + "..." if len(x) > 20 else x for x in left) or "none"), target


CHECKS = [
    ("memory_amplification", check_memory_amplification),
    ("giant_or_query", check_giant_or_query),
    ("disk_full", check_disk_full),
    ("symlink_cycle", check_symlink_cycle),
    ("slowloris", check_slowloris),
    ("long_line", check_long_line),
    ("sigterm_grace", check_sigterm_grace),
    ("index_replaced", check_index_replaced),
    ("terminal_escapes", check_terminal_escapes),
    ("remote_stub", check_remote_stub),
    ("bad_listen", check_bad_listen),
]


def main():
    ap = argparse.ArgumentParser(description="Replay hostile clients and faults against wensou.")
    ap.add_argument("--build", default=os.path.join(REPO, "build"), help="the build directory (default build)")
    ap.add_argument("--quick", action="store_true", help="smaller scale, about 90 s")
    ap.add_argument("--only", default="", help="comma-separated check names")
    args = ap.parse_args()

    def on_signal(sig, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGHUP, on_signal)

    ctx = Ctx(args)
    if not os.access(ctx.wensou, os.X_OK):
        print("no executable at %s" % ctx.wensou, file=sys.stderr)
        return 2
    only = set(x for x in args.only.split(",") if x)
    unknown = only - set(n for n, _ in CHECKS)
    if unknown:
        print("unknown check(s): %s" % ", ".join(sorted(unknown)), file=sys.stderr)
        return 2
    failed = 0
    t_start = time.monotonic()
    try:
        for name, fn in CHECKS:
            if only and name not in only:
                continue
            t0 = time.monotonic()
            try:
                ok, figures, target = fn(ctx)
            except KeyboardInterrupt:
                raise
            except Exception as e:
                traceback.print_exc(file=sys.stderr)
                ok, figures, target = False, "suite error: %s: %s" % (type(e).__name__, e), "the check runs"
            finally:
                kill_all()
            status = ok if ok == "SKIP" else ("PASS" if ok else "FAIL")
            failed += status == "FAIL"
            print("%s %s: %s (target %s) [%.1f s]" % (status, name, figures, target, time.monotonic() - t0),
                  flush=True)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        failed += 1
    finally:
        kill_all()
        for m in list(ctx.mounts):
            if os.path.ismount(m):
                umount(m)
        shutil.rmtree(ctx.tmp, ignore_errors=True)
    print("%d check(s) failed; %.0f s" % (failed, time.monotonic() - t_start), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
