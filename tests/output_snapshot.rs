//! The sample site's whole output, file by file, against a committed list of hashes and a
//! committed copy of every text file: speed work must not change a byte. A failure lists each
//! file added, gone or changed, with its size, and a line diff of each text file that changed.
//! After an intended change to the theme or the content, refresh both with
//! `CDS_UPDATE_SNAPSHOT=1 cargo test --test output_snapshot` and review the diff like code.

mod common;

use std::fmt::Write;

const SNAPSHOT: &str = "tests/snapshots/sample-site.txt";
/// The committed copy of every text file of the output.
const TEXTS: &str = "tests/snapshots/sample-site";

/// FNV-1a, 64 bits: enough to notice any change.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[test]
fn sample_site_output_is_unchanged() {
    let f = common::sample_site();
    f.build_ok();
    let mut listing = String::new();
    let output = common::snapshot(&f.public());
    for (path, bytes) in &output {
        let name = path.to_string_lossy().replace('\\', "/");
        // An encoder's bytes may differ by a bit between processors (SIMD paths): a photo's
        // variants are listed by name; tests/images.rs checks what they hold.
        if is_made_image(&name) {
            let _ = writeln!(listing, "{:>16} {:>7} {name}", "photo", "-");
            continue;
        }
        let _ = writeln!(listing, "{:016x} {:>7} {name}", hash(bytes), bytes.len());
    }
    let file = common::repo().join(SNAPSHOT);
    let texts = common::repo().join(TEXTS);
    if std::env::var_os("CDS_UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&file, &listing).expect("write snapshot");
        let _ = std::fs::remove_dir_all(&texts);
        for (path, bytes) in &output {
            if is_generated_text(path) {
                let to = texts.join(path);
                std::fs::create_dir_all(to.parent().expect("a folder")).expect("make folder");
                std::fs::write(to, bytes).expect("write text snapshot");
            }
        }
        return;
    }
    let committed = std::fs::read_to_string(&file)
        .expect("snapshot file; create it with CDS_UPDATE_SNAPSHOT=1");
    if committed != listing {
        let mut lines = String::new();
        for (path, bytes) in &output {
            if !is_generated_text(path) {
                continue;
            }
            let (Ok(new), Ok(old)) = (
                std::str::from_utf8(bytes),
                std::fs::read_to_string(texts.join(path)),
            ) else {
                continue;
            };
            if old != new {
                lines.push_str(&line_diff(&path.to_string_lossy(), &old, new));
            }
        }
        panic!(
            "the sample site's output changed (CDS_UPDATE_SNAPSHOT=1 to accept):\n{}\n{lines}",
            difference(&committed, &listing)
        );
    }
}

/// A file the image stage encoded: `name-800.0123abcd.webp`.
fn is_made_image(name: &str) -> bool {
    let Some((stem, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let key = stem.rsplit_once('.').map_or("", |(_, k)| k);
    ["webp", "jpg", "png"].contains(&ext)
        && key.len() == 8
        && key.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Pages, feeds, the sitemap, the search index: what cds writes, as opposed to the theme's
/// and the site's files it copies (those are in the repository already).
fn is_generated_text(path: &std::path::Path) -> bool {
    let name = path.to_string_lossy();
    [".html", ".xml", ".json", ".txt", ".cds-build"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// A unified diff of one text file, cut after 60 lines.
fn line_diff(path: &str, old: &str, new: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let shown = diff
        .unified_diff()
        .context_radius(2)
        .header(&format!("a/{path}"), &format!("b/{path}"))
        .to_string();
    let mut out: Vec<&str> = shown.lines().take(60).collect();
    if shown.lines().count() > 60 {
        out.push("…");
    }
    out.join("\n") + "\n"
}

/// What changed between two listings, file by file: `+ path (size)` for a new file,
/// `- path` for one gone, `~ path (old size → new size)` for one whose bytes changed.
fn difference(old: &str, new: &str) -> String {
    use std::collections::BTreeMap;
    let files = |listing: &str| -> BTreeMap<String, (String, String)> {
        listing
            .lines()
            .filter_map(|l| {
                let mut parts = l.split_whitespace();
                let (hash, size, path) = (parts.next()?, parts.next()?, parts.next()?);
                Some((path.to_owned(), (hash.to_owned(), size.to_owned())))
            })
            .collect()
    };
    let (old, new) = (files(old), files(new));
    let mut out = String::new();
    for (path, (hash, size)) in &new {
        match old.get(path) {
            None => {
                let _ = writeln!(out, "+ {path} ({size} bytes)");
            }
            Some((h, s)) if h != hash => {
                let _ = writeln!(out, "~ {path} ({s} → {size} bytes)");
            }
            Some(_) => {}
        }
    }
    for path in old.keys().filter(|p| !new.contains_key(*p)) {
        let _ = writeln!(out, "- {path}");
    }
    out
}
