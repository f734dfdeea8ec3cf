#!/usr/bin/env bash
# What a maintainer hands to an editor: cds.exe for Windows, cross-built on Linux, in
# dist/cds-<version>-windows-x86_64.zip with the site, three double-click scripts and the
# Vietnamese guide (dist/make_zip.py). Installs the cross compiler and the Rust target it
# needs. Run from anywhere: bash dist/build.sh
set -euo pipefail
cd "$(dirname "$0")/.."
target=x86_64-pc-windows-gnu
if ! command -v x86_64-w64-mingw32-gcc >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq gcc-mingw-w64-x86-64 >/dev/null
fi
rustup target list --installed | grep -qx "$target" || rustup target add "$target"
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# libwebp is C: the cc crate finds x86_64-w64-mingw32-gcc by itself; the linker is named here.
CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
  cargo build --release --locked --target "$target"
# The release profile keeps debug information for profiling; editors get the program alone.
mkdir -p "target/$target/dist"
x86_64-w64-mingw32-strip -o "target/$target/dist/cds.exe" "target/$target/release/cds.exe"
python3 dist/make_zip.py --exe "target/$target/dist/cds.exe" \
  --out "dist/cds-$version-windows-x86_64.zip"
