//! The read end for images: what each image file is and the hash of its bytes, read again
//! only when its stamp (size, modification time) changed. The hashes are kept in the cache's
//! list of sources too, so a new `cds build` does not read every photo to find nothing new.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::UNIX_EPOCH;

use rayon::prelude::*;

use super::Source;
use super::probe::{HEAD_BYTES, Unusable, probe};

/// The list of sources in the cache folder: one line per file, `len mtime hash path`.
const LIST: &str = "sources.tsv";

/// Image files as last read, by path on disk.
#[derive(Default)]
pub struct Library {
    known: BTreeMap<PathBuf, (Stamp, Arc<Source>)>,
    /// The hashes in the cache's list, until the list was read: `None`.
    listed: Option<BTreeMap<PathBuf, (Stamp, u64)>>,
}

/// What a file's metadata says; a changed stamp means the bytes may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    nanos: u128,
}

impl Library {
    /// The sources of `paths`, read where their stamp changed since the last call (or
    /// since the cache's list was written). A file that cannot be read is `Unusable::Empty`
    /// with length 0; the stage that uses it reports it.
    pub fn probe(&mut self, cache: &Path, paths: &[PathBuf]) -> BTreeMap<PathBuf, Arc<Source>> {
        let listed = self
            .listed
            .get_or_insert_with(|| read_list(&cache.join(LIST)));
        let listed = &*listed;
        let stamped: Vec<(PathBuf, Option<Stamp>)> =
            paths.par_iter().map(|p| (p.clone(), stamp(p))).collect();
        let fresh: Vec<(PathBuf, Stamp, Arc<Source>)> = stamped
            .into_par_iter()
            .filter_map(|(path, now)| {
                let now = now.unwrap_or(Stamp { len: 0, nanos: 0 });
                let kept = self.known.get(&path).filter(|(s, _)| *s == now);
                if kept.is_some() {
                    return None;
                }
                let source = match listed.get(&path).filter(|(s, _)| *s == now) {
                    Some(&(_, hash)) => reprobe(&path, now.len, hash),
                    None => None,
                };
                let source = source.unwrap_or_else(|| read(&path, now.len));
                Some((path, now, Arc::new(source)))
            })
            .collect();
        let before = self.known.len();
        let changed = !fresh.is_empty();
        for (path, stamp, source) in fresh {
            self.known.insert(path, (stamp, source));
        }
        // Files no longer used leave the list.
        let wanted: std::collections::BTreeSet<&PathBuf> = paths.iter().collect();
        self.known.retain(|p, _| wanted.contains(p));
        let changed = changed || self.known.len() != before;
        if changed {
            // A list that cannot be written only costs the next process a read of each photo.
            let _ = write_list(&cache.join(LIST), &self.known);
        }
        paths
            .iter()
            .filter_map(|p| Some((p.clone(), self.known.get(p)?.1.clone())))
            .collect()
    }
}

fn stamp(path: &Path) -> Option<Stamp> {
    let meta = std::fs::metadata(path).ok()?;
    let nanos = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    Some(Stamp {
        len: meta.len(),
        nanos,
    })
}

/// Reads the whole file once: its head for the probe, all of it for the hash.
fn read(path: &Path, len: u64) -> Source {
    let bytes = std::fs::File::open(path).and_then(|f| {
        let mut bytes = Vec::with_capacity(len as usize);
        f.take(len.max(1) * 2).read_to_end(&mut bytes)?;
        Ok(bytes)
    });
    let (len, hash, probe) = match bytes {
        Ok(b) => (
            b.len() as u64,
            crate::memo::digest(&b[..]),
            probe(&b[..b.len().min(HEAD_BYTES)]),
        ),
        Err(_) => (0, 0, Err(Unusable::Empty)),
    };
    Source {
        disk: path.to_path_buf(),
        len,
        hash,
        probe: match probe {
            Ok(mut p) if p.format == super::Format::Svg => {
                p.stored = svg_size(path).unwrap_or((0, 0));
                Ok(p)
            }
            other => other,
        },
    }
}

/// An SVG's size from its `width`/`height`, or its `viewBox`.
fn svg_size(path: &Path) -> Option<(u32, u32)> {
    let text = std::fs::read_to_string(path).ok()?;
    let start = text.find("<svg")?;
    let tag = &text[start..start + text[start..].find('>')?];
    let attr = |name: &str| -> Option<&str> {
        let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(&tag[at..at + tag[at..].find('"')?])
    };
    let number = |s: &str| -> Option<u32> {
        let s = s.trim().trim_end_matches("px");
        s.parse::<f64>()
            .ok()
            .filter(|v| *v >= 1.0)
            .map(|v| v.round() as u32)
    };
    if let (Some(w), Some(h)) = (
        attr("width").and_then(number),
        attr("height").and_then(number),
    ) {
        return Some((w, h));
    }
    let view: Vec<&str> = attr("viewBox")?
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .collect();
    Some((number(view.get(2)?)?, number(view.get(3)?)?))
}

fn read_list(path: &Path) -> BTreeMap<PathBuf, (Stamp, u64)> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return BTreeMap::new();
    };
    text.lines()
        .filter_map(|line| {
            let mut parts = line.splitn(4, '\t');
            let len: u64 = parts.next()?.parse().ok()?;
            let nanos: u128 = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let disk = PathBuf::from(parts.next()?);
            Some((disk, (Stamp { len, nanos }, hash)))
        })
        .collect()
}

/// A listed file's probe from its head alone, when its stamp is still the listed one: the
/// probe is cheap, only the hash is worth keeping.
fn reprobe(disk: &Path, len: u64, hash: u64) -> Option<Source> {
    let mut head = Vec::with_capacity(HEAD_BYTES);
    std::fs::File::open(disk)
        .ok()?
        .take(HEAD_BYTES as u64)
        .read_to_end(&mut head)
        .ok()?;
    let mut probed = probe(&head);
    if let Ok(p) = &mut probed
        && p.format == super::Format::Svg
    {
        p.stored = svg_size(disk).unwrap_or((0, 0));
    }
    Some(Source {
        disk: disk.to_path_buf(),
        len,
        hash,
        probe: probed,
    })
}

fn write_list(path: &Path, known: &BTreeMap<PathBuf, (Stamp, Arc<Source>)>) -> std::io::Result<()> {
    let mut text = String::new();
    for (disk, (stamp, source)) in known {
        let Some(name) = disk.to_str().filter(|n| !n.contains(['\t', '\n'])) else {
            continue;
        };
        text.push_str(&format!(
            "{}\t{}\t{:016x}\t{name}\n",
            stamp.len, stamp.nanos, source.hash
        ));
    }
    std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
    let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
    std::fs::write(&tmp, text)?;
    crate::rename::rename(&tmp, path)
}
