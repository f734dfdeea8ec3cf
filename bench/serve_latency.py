#!/usr/bin/env python3
"""Save-to-reload latency of `cds serve` (issue #3; targets in issue #6).

Generates a corpus with ../shared/bench/gen_corpus.py, starts the release binary on it, opens
the live-reload event stream like a browser tab, then edits one article at a time (a different
one each time, as an editor would) and measures the time from the write to the `reload` event;
before the next edit it waits for the `search` event (the index is written after the reload).
Two kinds of edit: `body` adds a paragraph at the end of the text (only that page's file
changes: `serve` renders it alone), `title` changes the title in the front matter (lists,
feeds and neighbours change: an incremental whole build).

    python3 bench/serve_latency.py --pages 1000 --edits 50            # both kinds
    python3 bench/serve_latency.py --pages 10000 --edits 20 --kind title

Prints p50 / p95 / max in milliseconds per kind, three times: to the `reload` that shows the
edited page (served before the rest of the build), to the one after which every file, lists
and feeds included, is current, and to the `search` event after which the search index is. Standard library only.
"""
import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py")


def corpus(pages, out):
    site = os.path.join(out, "project")
    if not os.path.isdir(site):
        subprocess.run([sys.executable, GEN, "--pages", str(pages), "--out", out, "--tools", "project"],
                       check=True, stdout=subprocess.DEVNULL)
    themes = os.path.join(site, "themes")
    shutil.rmtree(themes, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "themes"), themes)
    return site


class Events:
    def __init__(self, host, port, path):
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        self.buf = b""
        self.wait(b"retry:")

    def wait(self, needle, timeout=30, keep=False):
        self.sock.settimeout(timeout)
        while needle not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise RuntimeError("event stream closed")
            self.buf += chunk
        if not keep:
            self.buf = self.buf[self.buf.index(needle) + len(needle):]

    def wait_reload(self):
        """The data of the next `reload` event."""
        self.wait(b"event: reload\n")
        self.wait(b"\n\n", keep=True)
        data, self.buf = self.buf.split(b"\n\n", 1)
        return data.replace(b"data: ", b"")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--edits", type=int, default=50)
    ap.add_argument("--out", default=None, help="corpus folder (default /dev/shm/cds-serve-N)")
    ap.add_argument("--binary", default=os.path.join(REPO, "target", "release", "cds"))
    ap.add_argument("--kind", choices=["body", "title", "both"], default="both")
    args = ap.parse_args()
    out = args.out or f"/dev/shm/cds-serve-{args.pages}"
    if not os.path.exists(args.binary):
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    site = corpus(args.pages, out)
    articles = sorted(os.path.join(dp, f) for dp, _, fs in os.walk(os.path.join(site, "content", "tin-tuc"))
                      for f in fs if f.endswith(".md") and f != "_index.md")
    server = subprocess.Popen([args.binary, "serve", "--root", site, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        url = None
        for line in server.stdout:
            m = re.search(r"http://([\d.]+):(\d+)(/\S*)", line)
            if m:
                url = m
                break
        if not url:
            raise RuntimeError("cds serve printed no URL")
        host, port, base = url.group(1), int(url.group(2)), url.group(3)
        events = Events(host, port, base + "__cds/events")
        kinds = ["body", "title"] if args.kind == "both" else [args.kind]
        for kind in kinds:
            times, whole, index = [], [], []
            for i in range(args.edits):
                path = articles[(i * 37 + (0 if kind == "body" else 11)) % len(articles)]
                with open(path, encoding="utf-8") as f:
                    text = f.read()
                if kind == "body":
                    edited = text + f"\nĐoạn thêm lần {i}.\n"
                else:
                    edited = re.sub(r'^title: "?(.*?)"?$', lambda m: f'title: "{m.group(1)} (sửa {i})"',
                                    text, count=1, flags=re.M)
                t0 = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(edited)
                data = events.wait_reload()
                first = (time.perf_counter() - t0) * 1000
                if data.startswith(b"first"):
                    events.wait(b"event: reload\ndata: rest\n")
                times.append(first)
                whole.append((time.perf_counter() - t0) * 1000)
                # An editor saves again seconds later, not while the search index (written after
                # the reload, then announced by a `search` event) is still being brought up to date.
                events.wait(b"event: search")
                index.append((time.perf_counter() - t0) * 1000)
                time.sleep(0.05)
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                if events.wait_reload().startswith(b"first"):
                    events.wait(b"event: reload\ndata: rest\n")
                events.wait(b"event: search")
                time.sleep(0.05)
            for name, got in (("edited page", times), ("whole site", whole), ("search index", index)):
                print(f"cds serve, {args.pages} articles, {len(got)} {kind} edits, {name}: "
                      f"{stats(got)}")
    finally:
        server.terminate()
        server.wait()


def stats(times):
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
    return f"p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, max {times[-1]:.1f} ms"


if __name__ == "__main__":
    main()
