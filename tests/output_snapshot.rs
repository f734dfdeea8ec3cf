//! The sample site's whole output, file by file, against a committed list of hashes: speed work
//! must not change a byte. A failure lists each file added, gone or changed, with its size. After an intended change to the theme or the content,
//! refresh the list with `CDS_UPDATE_SNAPSHOT=1 cargo test --test output_snapshot` and review
//! the diff of `tests/snapshots/sample-site.txt` like code.

mod common;

use std::fmt::Write;

const SNAPSHOT: &str = "tests/snapshots/sample-site.txt";

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
    for (path, bytes) in common::snapshot(&f.public()) {
        let _ = writeln!(
            listing,
            "{:016x} {:>7} {}",
            hash(&bytes),
            bytes.len(),
            path.to_string_lossy().replace('\\', "/")
        );
    }
    let file = common::repo().join(SNAPSHOT);
    if std::env::var_os("CDS_UPDATE_SNAPSHOT").is_some() {
        std::fs::write(&file, &listing).expect("write snapshot");
        return;
    }
    let committed = std::fs::read_to_string(&file)
        .expect("snapshot file; create it with CDS_UPDATE_SNAPSHOT=1");
    if committed != listing {
        panic!(
            "the sample site's output changed (CDS_UPDATE_SNAPSHOT=1 to accept):\n{}",
            difference(&committed, &listing)
        );
    }
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
