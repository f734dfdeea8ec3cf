#!/usr/bin/env python3
"""What editors receive: cds.exe, the site (config.yaml, content/, themes/), the three
double-click scripts and the Vietnamese guide, in one zip with UTF-8 names, and its SHA256SUMS.

    python3 dist/make_zip.py --exe target/x86_64-pc-windows-gnu/release/cds.exe \
        --out dist/cds-0.1.0-windows-x86_64.zip [--shots target/e2e/screenshots]

Checks that the executable is a PE file for x86-64 Windows and prints its size. Screenshots
of the editor (`editor-*.png`, made by tests/e2e/editor.mjs) go into the guide where it says
{{anh:NAME}}; without them the guide says where a picture would be.
"""

import argparse
import base64
import hashlib
import os
import struct
import sys
import zipfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WINDOWS = os.path.join(REPO, "dist", "windows")
SITE = ["config.yaml", "content", "themes"]
# The guide's pictures, by the name the guide gives them.
CAPTIONS = {
    "editor-list": "Danh sách bài trong trình soạn bài",
    "editor-form": "Biểu mẫu của một bài, bên phải là bản xem trước",
}


def check_pe(path):
    """The machine of a PE file: refuses anything but an x86-64 Windows executable."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if head[:2] != b"MZ":
        sys.exit(f"{path}: not a Windows executable (no MZ header)")
    (offset,) = struct.unpack_from("<I", head, 0x3C)
    if head[offset:offset + 4] != b"PE\0\0":
        sys.exit(f"{path}: no PE signature")
    (machine,) = struct.unpack_from("<H", head, offset + 4)
    if machine != 0x8664:
        sys.exit(f"{path}: machine {machine:#x}, not x86-64")


def guide(shots):
    with open(os.path.join(WINDOWS, "HƯỚNG DẪN.html"), encoding="utf-8") as f:
        text = f.read()
    for name, caption in CAPTIONS.items():
        shot = os.path.join(shots, f"{name}.png") if shots else ""
        if shot and os.path.exists(shot):
            with open(shot, "rb") as f:
                data = base64.b64encode(f.read()).decode("ascii")
            figure = (f'<figure><img src="data:image/png;base64,{data}" alt="{caption}">'
                      f"<figcaption>{caption}</figcaption></figure>")
        else:
            figure = f"<p><em>({caption}: ảnh chụp màn hình sẽ có trong bản phát hành.)</em></p>"
        text = text.replace("{{anh:%s}}" % name, figure)
    return text.encode("utf-8")


def files(exe):
    """(name in the zip, bytes) of everything editors get, sorted, so that the zip is the
    same for the same sources."""
    out = [("cds.exe", open(exe, "rb").read())]
    for item in SITE:
        path = os.path.join(REPO, item)
        if os.path.isfile(path):
            out.append((item, open(path, "rb").read()))
            continue
        for folder, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(folder, name)
                rel = os.path.relpath(full, REPO).replace(os.sep, "/")
                out.append((rel, open(full, "rb").read()))
    for name in sorted(os.listdir(WINDOWS)):
        if name.endswith(".bat"):
            out.append((name, open(os.path.join(WINDOWS, name), "rb").read()))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--exe", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--shots", default=os.path.join(REPO, "target", "e2e", "screenshots"))
    args = ap.parse_args()
    check_pe(args.exe)
    entries = files(args.exe) + [("HƯỚNG DẪN.html", guide(args.shots))]
    sums = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in entries)
    entries.append(("SHA256SUMS", sums.encode("utf-8")))
    folder = os.path.splitext(os.path.basename(args.out))[0]
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with zipfile.ZipFile(args.out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            # Python sets the UTF-8 flag (bit 11) for a name that is not ASCII: Explorer then
            # shows "Xem trước.bat", not mojibake.
            z.writestr(info, data)
    # Read back as Explorer will: every name there, the Vietnamese ones flagged UTF-8.
    with zipfile.ZipFile(args.out) as z:
        listed = {i.filename for i in z.infolist()}
        wanted = ["cds.exe", "config.yaml", "content/_index.md", "themes/daihai/templates/page.html",
                  "Xem trước.bat", "Soạn bài.bat", "Kiểm tra.bat", "Đăng lên cổng.bat", "HƯỚNG DẪN.html",
                  "SHA256SUMS"]
        missing = [w for w in wanted if f"{folder}/{w}" not in listed]
        if missing:
            sys.exit(f"{args.out}: missing {', '.join(missing)}")
        names = [i for i in z.infolist() if not i.filename.isascii()]
        if not names or not all(i.flag_bits & 0x800 for i in names):
            sys.exit(f"{args.out}: Vietnamese names without the UTF-8 flag")
        if z.testzip() is not None:
            sys.exit(f"{args.out}: a damaged entry")
    with open(args.out + ".sha256", "w", encoding="utf-8") as f:
        digest = hashlib.sha256(open(args.out, "rb").read()).hexdigest()
        f.write(f"{digest}  {os.path.basename(args.out)}\n")
    size = os.path.getsize(args.exe)
    print(f"{args.out}: {len(entries)} files, {os.path.getsize(args.out) / 1e6:.1f} MB; "
          f"cds.exe {size / 1e6:.1f} MB, PE x86-64")


if __name__ == "__main__":
    main()
