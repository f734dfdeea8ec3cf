#!/usr/bin/env bash
# cds.exe from the editors' zip, run under Debian's wine with a ProcessPrng shim
# (dist/wine/process_prng.c): it builds the sample site, and its output must equal the Linux
# build's byte for byte. Run after dist/build.sh; installs wine when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
zip=$(ls dist/cds-*-windows-x86_64.zip | head -1)
if [ ! -x /usr/lib/wine/wine64 ]; then
  apt-get update -qq && apt-get install -y -qq wine64 >/dev/null
fi
work=$(mktemp -d)
# wineserver outlives the program by a few seconds and keeps the output open: stop it first.
trap 'WINEPREFIX="$work/prefix" /usr/lib/wine/wineserver -k 2>/dev/null || true; rm -rf "$work"' EXIT
python3 -c "import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])" "$zip" "$work/win"
site=$(ls -d "$work"/win/*/)
x86_64-w64-mingw32-gcc -shared -O2 -o "$site/bcryptprimitives.dll" \
  dist/wine/process_prng.c dist/wine/process_prng.def -ladvapi32
export WINEPREFIX="$work/prefix" WINEDEBUG=-all
(cd "$site" && /usr/lib/wine/wine64 cds.exe build -o out)
mkdir -p "$work/linux"
cp -r "$site/config.yaml" "$site/content" "$site/themes" "$work/linux/"
cargo run --release --locked --quiet -- build --root "$work/linux" -o "$work/linux-out"
diff -r "$site/out" "$work/linux-out"
echo "cds.exe under wine: $(find "$site/out" -type f | wc -l) files, the same bytes as the Linux build"
