#!/usr/bin/env python3
"""Instructions of one cds build, counted by callgrind: steady where wall time is not.

    python3 bench/instructions.py                      # 1,000 articles, the stages' shares
    python3 bench/instructions.py --pages 1000 --top 40 # and the 40 costliest functions

On this shared 2-core machine two runs of a 100 ms build differ by up to 10%; the instruction
count of one thread differs by well under 1%, so a change of a few percent shows. The build runs
on one thread (RAYON_NUM_THREADS=1) under `valgrind --tool=callgrind` (Debian package
`valgrind`), into tmpfs. Instructions are not time: a change that removes mispredicted branches
(the SSE2 scans) or cache misses can be faster at equal count, so confirm with
`bench/compare_hugo.py`.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from compare_hugo import REPO, corpus  # noqa: E402

# Inclusive cost of these functions, as shares of the build: the stages of issue #6's notes.
STAGES = [
    ("reading pages into the search index", "cds::search::page::page_keys "),
    # With one thread, rayon runs list jobs while the writer waits on its own parallel parts:
    # this share holds some of the lists.
    ("writing the search index (and lists run meanwhile)", "cds::search::write::write_in_rounds "),
    ("templates (Tera)", "cds::render::Theme::render "),
    ("template contexts", "cds::render::views::Job::context "),
    ("Markdown", "cds::markdown::render "),
    ("front matter (YAML)", "cds::content::front_matter::parse_page "),
    ("reading files", "cds::content::read_text "),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=1000)
    ap.add_argument("--top", type=int, default=0, help="also list the N costliest functions (self cost)")
    ap.add_argument("--tmp", default="/dev/shm")
    args = ap.parse_args()
    for tool in ("valgrind", "callgrind_annotate"):
        if not shutil.which(tool):
            sys.exit(f"{tool} is required: apt-get install valgrind")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=REPO, check=True)
    cds = os.path.join(REPO, "target", "release", "cds")
    root = os.path.join(corpus(args.pages, args.tmp), "project")
    out = os.path.join(args.tmp, f"cds-instructions-{args.pages}")
    shutil.rmtree(out, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = os.path.join(tmp, "callgrind.out")
        env = dict(os.environ, RAYON_NUM_THREADS="1")
        run = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={data}",
                              cds, "build", "--root", root, "-o", out],
                             env=env, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"the build failed:\n{run.stderr[-2000:]}")
        total = int(re.search(r"Collected : (\d+)", run.stderr).group(1))
        inclusive = subprocess.run(["callgrind_annotate", "--inclusive=yes", data],
                                   capture_output=True, text=True, check=True).stdout
        print(f"{total:,} instructions, {args.pages:,} articles, one thread")
        for name, symbol in STAGES:
            counts = [int(m.group(1).replace(",", "")) for line in inclusive.splitlines()
                      if symbol in line and (m := re.match(r"\s*([\d,]+)", line))]
            if counts:
                print(f"  {max(counts) / total:6.1%}  {name}")
        if args.top:
            flat = subprocess.run(["callgrind_annotate", data], capture_output=True, text=True,
                                  check=True).stdout
            rows = [line for line in flat.splitlines() if re.match(r"\s*[\d,]+ \(", line)]
            print(f"\nthe {args.top} costliest functions (self):")
            for line in rows[1:args.top + 1]:
                print("  " + line.strip()[:150])


if __name__ == "__main__":
    main()
