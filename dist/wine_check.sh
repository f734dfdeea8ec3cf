#!/usr/bin/env bash
# cds.exe from the editors' zip, run under Debian's wine with a ProcessPrng shim
# (dist/wine/process_prng.c), in a folder an editor would have: a Vietnamese name with spaces,
# deep enough that the output's paths pass Windows' old 260-character limit.
# - It builds the sample site, and its output must equal the Linux build's byte for byte.
# - Its messages for a broken page must equal the Linux build's, byte for byte (UTF-8), and
#   never show a `\\?\` path.
# Run after dist/build.sh; installs wine when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
zip=$(ls dist/cds-*-windows-x86_64.zip | head -1)
if [ ! -x /usr/lib/wine/wine64 ]; then
  apt-get update -qq && apt-get install -y -qq wine64 >/dev/null
fi
work=$(mktemp -d)
# wineserver outlives the program by a few seconds and keeps the output open: stop it first.
trap 'WINEPREFIX="$work/prefix" /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
deep="$work/Tài liệu Ban biên tập/Chuyển đổi số năm 2026"
# The folder itself stays under 248 characters: Windows (and wine) cannot enter a deeper one.
for n in 1 2 3; do deep="$deep/Thư mục lồng nhau số $n của xã Đại Hải"; done
mkdir -p "$deep"
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$zip" "$deep"
site=$(ls -d "$deep"/*/)
x86_64-w64-mingw32-gcc -shared -O2 -o "$site/bcryptprimitives.dll" \
  dist/wine/process_prng.c dist/wine/process_prng.def -ladvapi32
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
(cd "$site" && /usr/lib/wine/wine64 cds.exe build -o out)
mkdir -p "$work/linux"
cp -r "$site/config.yaml" "$site/content" "$site/themes" "$work/linux/"
cargo build --release --locked --quiet
./target/release/cds build --root "$work/linux" -o "$work/linux-out" >/dev/null
diff -r "$site/out" "$work/linux-out"
# Windows counts UTF-16 units; the Z: drive wine maps to / adds two.
python3 - "$site/out" <<'PY'
import os, sys
root = sys.argv[1]
longest = max((os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs), key=len)
units = len(longest.encode("utf-16-le")) // 2 + 2
print(f"longest output path: {units} characters (Windows' old limit: 260)")
sys.exit(0 if units > 260 else "the check needs a path over 260 characters")
PY
echo "cds.exe under wine: $(find "$site/out" -type f | wc -l) files, the same bytes as the Linux build"

# An absolute output folder deep in the Vietnamese path, as Windows names it: printed so.
winsite=$(/usr/lib/wine/wine64 winepath -w "$site" | tr -d '\r')
(cd "$site" && /usr/lib/wine/wine64 cds.exe build -o "${winsite}ban in" > "$work/abs.out" 2>&1)
grep -qF "${winsite}ban in" "$work/abs.out"
if grep -qF '\\?\' "$work/abs.out"; then
  echo "a \\\\?\\ path was printed:" >&2; cat "$work/abs.out" >&2; exit 1
fi

# A broken page: both say the same, in the same bytes, the file and line named with `/`.
broken="content/tin-tuc/bai-hong.md"
printf -- '---\ntitle: Bài hỏng\ndate: 2026-01-05\ntittle: x\n---\nNội dung.\n' \
  | tee "$site/$broken" > "$work/linux/$broken"
(cd "$site" && /usr/lib/wine/wine64 cds.exe check > "$work/wine.out" 2> "$work/wine.err") || true
(cd "$work/linux" && "$repo/target/release/cds" check > "$work/linux.out" 2> "$work/linux.err") || true
tr -d '\r' < "$work/wine.err" > "$work/wine.err.lf"
tr -d '\r' < "$work/wine.out" > "$work/wine.out.lf"
diff "$work/wine.err.lf" "$work/linux.err"
diff "$work/wine.out.lf" "$work/linux.out"
cat "$work/linux.out" "$work/linux.err" | grep -q "$broken:4:1"
cat "$work/wine.out" "$work/wine.err" | python3 -c "import sys; sys.stdin.buffer.read().decode('utf-8')"
echo "cds.exe under wine: paths printed without \\\\?\\; the same messages as Linux for a broken page"
