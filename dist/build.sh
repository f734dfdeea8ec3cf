#!/usr/bin/env bash
# What a maintainer hands out, built on Linux:
# - dist/cds-<version>-windows-x86_64.zip: cds.exe cross-built with mingw-w64, the site, three
#   double-click scripts and the Vietnamese guide (dist/make_zip.py);
# - dist/cds-<version>-linux-x86_64.tar.gz: a static cds (musl, no shared library needed) and
#   the site, for a server or any Linux PC.
# Installs the cross compilers and Rust targets it needs.
#   bash dist/build.sh            both
#   bash dist/build.sh windows    the zip only
#   bash dist/build.sh linux      the tarball only
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)

need() { # need COMMAND DEBIAN-PACKAGE
  command -v "$1" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
}
target() { rustup target list --installed | grep -qx "$1" || rustup target add "$1"; }

windows() {
  local t=x86_64-pc-windows-gnu
  need x86_64-w64-mingw32-gcc gcc-mingw-w64-x86-64
  target "$t"
  # libwebp is C: the cc crate finds x86_64-w64-mingw32-gcc by itself; the linker is named here.
  CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    cargo build --release --locked --target "$t"
  # The release profile keeps debug information for profiling; editors get the program alone.
  mkdir -p "target/$t/dist"
  x86_64-w64-mingw32-strip -o "target/$t/dist/cds.exe" "target/$t/release/cds.exe"
  python3 dist/make_zip.py --exe "target/$t/dist/cds.exe" \
    --out "dist/cds-$version-windows-x86_64.zip"
}

linux() {
  local t=x86_64-unknown-linux-musl out="dist/cds-$version-linux-x86_64.tar.gz"
  need musl-gcc musl-tools
  target "$t"
  # libwebp and jemalloc are C, compiled against musl by its gcc wrapper.
  CC_x86_64_unknown_linux_musl=musl-gcc \
    cargo build --release --locked --target "$t"
  local dir="target/$t/dist/cds-$version"
  rm -rf "$dir" && mkdir -p "$dir"
  strip -o "$dir/cds" "target/$t/release/cds"
  # Static: no program interpreter, no shared library.
  if readelf -l "$dir/cds" | grep -q INTERP || readelf -d "$dir/cds" | grep -q NEEDED; then
    echo "$dir/cds is not a static executable" >&2
    exit 1
  fi
  cp -r config.yaml content themes "$dir/"
  (cd "$dir" && find . -type f ! -name SHA256SUMS | LC_ALL=C sort | sed 's|^\./||' \
    | xargs -d '\n' sha256sum > SHA256SUMS)
  # Same sources, same bytes: sorted names, no owner, one date.
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 \
    -C "target/$t/dist" -czf "$out" "cds-$version"
  sha256sum "$out" | sed 's|  .*/|  |' > "$out.sha256"
  echo "$out: $(stat -c %s "$out") bytes, cds $(stat -c %s "$dir/cds") bytes, static x86-64"
  # It runs, and builds the site to the bytes the usual (glibc) build makes.
  local check
  check=$(mktemp -d)
  "$dir/cds" build --root "$dir" -o "$check/musl" >/dev/null
  cargo build --release --locked --quiet
  ./target/release/cds build --root "$dir" -o "$check/glibc" >/dev/null
  diff -r "$check/musl" "$check/glibc"
  echo "static cds: $(find "$check/musl" -type f | wc -l) files, the same bytes as the glibc build"
  rm -rf "$check"
}

case "$what" in
  all) windows; linux ;;
  windows) windows ;;
  linux) linux ;;
  *) echo "usage: bash dist/build.sh [all|windows|linux]" >&2; exit 2 ;;
esac
