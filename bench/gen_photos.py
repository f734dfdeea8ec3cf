#!/usr/bin/env python3
"""Phone-like photos for benchmarks, tests and the sample site (Pillow and piexif, deterministic).

Each photo is camera-sized (4032x3024 by default), has photo-like detail (soft shapes, light
gradients, fine marks, texture and sensor noise, so JPEG sizes are those of a real phone's 3-8 MB
and an 800-wide WebP weighs about what a real photo's does, 50-60 KB), an EXIF
orientation among 1/3/6/8 (stored sideways as a phone does) and GPS, camera and time tags.

    python3 bench/gen_photos.py --count 50 --out /dev/shm/photos              # the photos alone
    python3 bench/gen_photos.py --count 50 --site /dev/shm/photo-site         # a cds site with
                              # them in page bundles, the same for Hugo, and cds without photos
    python3 bench/gen_photos.py --one out.jpg --width 800 --height 600 --orientation 6

Same arguments, same bytes: the random generator is seeded per photo.
"""
import argparse
import io
import os
import random
import shutil

import piexif
from PIL import Image, ImageDraw, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
ORIENTATIONS = [1, 3, 6, 8]


def photo(seed, width=4032, height=3024, orientation=1, gps=True, quality=92):
    """JPEG bytes of a photo as a phone stores it: pixels sideways for orientation 6 and 8."""
    rnd = random.Random(seed)
    small = (width // 8, height // 8)
    img = Image.new("RGB", small)
    draw = ImageDraw.Draw(img)
    top = tuple(rnd.randint(60, 200) for _ in range(3))
    bottom = tuple(rnd.randint(20, 140) for _ in range(3))
    for y in range(small[1]):
        t = y / max(1, small[1] - 1)
        draw.line([(0, y), (small[0], y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    for _ in range(40):
        x, y = rnd.randrange(small[0]), rnd.randrange(small[1])
        r = rnd.randint(small[0] // 40, small[0] // 6)
        colour = tuple(rnd.randint(0, 255) for _ in range(3))
        if rnd.random() < 0.5:
            draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
        else:
            draw.rectangle([x - r, y - r // 2, x + r, y + r // 2], fill=colour)
    # Fine detail (leaves, bricks, letters on a sign): small marks a shade off what is under
    # them. Without it a 1200-wide variant would weigh a tenth of a real photo's.
    for _ in range(2000):
        x, y = rnd.randrange(small[0]), rnd.randrange(small[1])
        r = rnd.randint(1, 5)
        under = img.getpixel((x, y))
        colour = tuple(max(0, min(255, c + rnd.randint(-50, 50))) for c in under)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    img = img.filter(ImageFilter.GaussianBlur(1)).resize((width, height), Image.BICUBIC)
    # Texture that survives resizing (grass, cloth), then sensor noise, which does not.
    texture = Image.effect_noise((width // 6, height // 6), 60).convert("RGB")
    img = Image.blend(img, texture.resize((width, height), Image.BICUBIC), 0.10)
    noise = Image.effect_noise((width, height), 40).convert("RGB")
    img = Image.blend(img, noise, 0.10)
    if orientation == 3:
        img = img.rotate(180)
    elif orientation == 6:
        img = img.transpose(Image.ROTATE_90)
    elif orientation == 8:
        img = img.transpose(Image.ROTATE_270)
    zeroth = {
        piexif.ImageIFD.Make: b"Samsung",
        piexif.ImageIFD.Model: b"Galaxy A15",
        piexif.ImageIFD.Orientation: orientation,
        piexif.ImageIFD.DateTime: b"2026:10:10 08:30:00",
    }
    exif = {"0th": zeroth, "Exif": {piexif.ExifIFD.BodySerialNumber: b"R58T1234567"}, "GPS": {}}
    if gps:
        exif["GPS"] = {
            piexif.GPSIFD.GPSLatitudeRef: b"N",
            piexif.GPSIFD.GPSLatitude: ((9, 1), (51, 1), (rnd.randint(0, 5999), 100)),
            piexif.GPSIFD.GPSLongitudeRef: b"E",
            piexif.GPSIFD.GPSLongitude: ((105, 1), (44, 1), (rnd.randint(0, 5999), 100)),
        }
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, exif=piexif.dump(exif))
    return out.getvalue()


ARTICLE = """---
title: "Ảnh hoạt động chuyển đổi số số {n}"
date: 2026-{month:02d}-{day:02d}T08:00:00+07:00
category: Chính quyền số
tags: [ảnh, chuyển đổi số]
image: anh-1.jpg
image_alt: "Cán bộ hướng dẫn người dân, ảnh 1 của bài {n}"
---

Bài có năm ảnh chụp bằng điện thoại tại các ấp của xã Đại Hải.

{images}
"""


def cds_skeleton(root):
    """An empty cds site at `root`: the repository's theme, a config, the news section."""
    os.makedirs(os.path.join(root, "content", "tin-tuc"))
    shutil.copytree(os.path.join(REPO, "themes"), os.path.join(root, "themes"))
    with open(os.path.join(root, "config.yaml"), "w", encoding="utf-8") as f:
        f.write('base_url: "https://example.gov.vn/"\ntitle: "Ảnh"\ncategories: [Chính quyền số]\n')
    with open(os.path.join(root, "content", "tin-tuc", "_index.md"), "w", encoding="utf-8") as f:
        f.write("---\ntitle: Tin tức\n---\n")


def site(count, out, per_page=5):
    """A cds site (`out/cds`) and a Hugo site (`out/hugo`) with `count` photos in bundles, and
    `out/cds-text`: the same cds site with no photo, to measure what the photos add."""
    shutil.rmtree(out, ignore_errors=True)
    cds = os.path.join(out, "cds")
    text_only = os.path.join(out, "cds-text")
    hugo = os.path.join(out, "hugo")
    cds_skeleton(cds)
    cds_skeleton(text_only)
    hugo_content = os.path.join(hugo, "content", "tin-tuc")
    os.makedirs(hugo_content)
    write_hugo_site(hugo)
    for n in range((count + per_page - 1) // per_page):
        names = []
        bundle = os.path.join(cds, "content", "tin-tuc", f"bai-anh-{n + 1}")
        os.makedirs(bundle)
        for k in range(per_page):
            i = n * per_page + k
            if i >= count:
                break
            name = f"anh-{k + 1}.jpg"
            with open(os.path.join(bundle, name), "wb") as f:
                f.write(photo(i, orientation=ORIENTATIONS[i % 4]))
            names.append(name)
        images = "\n\n".join(f"![Ảnh {k + 1} của bài {n + 1}]({name})" for k, name in enumerate(names))
        text = ARTICLE.format(n=n + 1, month=1 + n % 12, day=1 + n % 28, images=images)
        with open(os.path.join(bundle, "index.md"), "w", encoding="utf-8") as f:
            f.write(text)
        plain = os.path.join(text_only, "content", "tin-tuc", f"bai-anh-{n + 1}")
        os.makedirs(plain)
        with open(os.path.join(plain, "index.md"), "w", encoding="utf-8") as f:
            plain_text = ARTICLE.format(n=n + 1, month=1 + n % 12, day=1 + n % 28, images="")
            f.write("".join(line for line in plain_text.splitlines(True) if not line.startswith("image")))
        hugo_bundle = os.path.join(hugo_content, f"bai-anh-{n + 1}")
        shutil.copytree(bundle, hugo_bundle)
        with open(os.path.join(hugo_bundle, "index.md"), "w", encoding="utf-8") as f:
            f.write(text.replace("image: anh-1.jpg\n", "").replace("image_alt", "description"))


HUGO_RENDER_IMAGE = """{{- $img := .Page.Resources.Get .Destination -}}
{{- if $img -}}
{{- $widths := slice 480 800 1200 -}}
<picture>
<source type="image/webp" srcset="{{ range $i, $w := $widths }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx webp q80" $w)).RelPermalink }} {{ $w }}w{{ end }}" sizes="(min-width: 48rem) 46rem, calc(100vw - 2rem)">
{{- $big := $img.Resize "1200x jpg q80" -}}
<img src="{{ $big.RelPermalink }}" srcset="{{ range $i, $w := $widths }}{{ if $i }}, {{ end }}{{ ($img.Resize (printf "%dx jpg q80" $w)).RelPermalink }} {{ $w }}w{{ end }}" sizes="(min-width: 48rem) 46rem, calc(100vw - 2rem)" width="{{ $big.Width }}" height="{{ $big.Height }}" alt="{{ .Text }}" loading="lazy" decoding="async">
</picture>
{{- end -}}
"""


def write_hugo_site(hugo):
    """A minimal Hugo site whose image render hook makes the same widths and formats. Debian's
    Hugo (0.111) has no `.Process "auto-orient"` (0.119+): its photos stay sideways, which only
    saves it work in the comparison."""
    layouts = os.path.join(hugo, "layouts")
    os.makedirs(os.path.join(layouts, "_default", "_markup"))
    with open(os.path.join(hugo, "hugo.toml"), "w") as f:
        f.write('baseURL = "https://example.gov.vn/"\ntitle = "Ảnh"\n'
                '[imaging]\n  quality = 80\n  resampleFilter = "Lanczos"\n'
                '[imaging.exif]\n  disableDate = true\n  disableLatLong = true\n')
    with open(os.path.join(layouts, "_default", "_markup", "render-image.html"), "w") as f:
        f.write(HUGO_RENDER_IMAGE)
    with open(os.path.join(layouts, "_default", "single.html"), "w") as f:
        f.write("<!doctype html><html lang=vi><title>{{ .Title }}</title><h1>{{ .Title }}</h1>{{ .Content }}</html>\n")
    with open(os.path.join(layouts, "_default", "list.html"), "w") as f:
        f.write("<!doctype html><html lang=vi><title>{{ .Title }}</title>"
                "{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>{{ end }}</html>\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=50)
    ap.add_argument("--out", help="folder for the photos alone")
    ap.add_argument("--site", help="folder for a cds site and a Hugo site with the photos")
    ap.add_argument("--one", help="write one photo to this file")
    ap.add_argument("--width", type=int, default=4032)
    ap.add_argument("--height", type=int, default=3024)
    ap.add_argument("--orientation", type=int, default=1, choices=range(1, 9))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-gps", action="store_true")
    args = ap.parse_args()
    if args.one:
        with open(args.one, "wb") as f:
            f.write(photo(args.seed, args.width, args.height, args.orientation, not args.no_gps))
    elif args.site:
        site(args.count, args.site)
    elif args.out:
        os.makedirs(args.out, exist_ok=True)
        for i in range(args.count):
            with open(os.path.join(args.out, f"anh-{i + 1:03d}.jpg"), "wb") as f:
                f.write(photo(i, orientation=ORIENTATIONS[i % 4]))
    else:
        ap.error("one of --out, --site, --one")


if __name__ == "__main__":
    main()
