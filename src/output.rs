//! Where a build goes. Rendering streams every file into a `Sink` as soon as it is made, from
//! several threads, so a build never holds the whole site in memory:
//! - `Disk` writes into a staging folder beside the output folder and swaps it in only when
//!   every file was written, so a failed build leaves `public/` exactly as it was;
//! - `Memory` keeps the bytes for `serve`;
//! - `Listing` keeps only the paths, for `cds check`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::diagnostics::{Diagnostic, IoAction, Kind};

/// A destination for a build.
pub trait Sink: Sync {
    /// The folder replaced on disk, if any, so a build can refuse to replace its own sources.
    fn destination(&self) -> Option<&Path> {
        None
    }

    /// Prepares for a build that writes into `dirs` (output-relative folders, `/`-separated).
    fn begin(&mut self, dirs: &BTreeSet<String>) -> Result<(), Diagnostic>;

    /// Receives one generated file. Called from several threads.
    fn put(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<(), Diagnostic>;

    /// [`Sink::put`] for bytes nobody keeps after: a folder on disk writes them as they are,
    /// without the copy into an `Arc` that a sink keeping files needs.
    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.put(rel, &Arc::from(bytes))
    }

    /// Receives one file copied as it is. Called from several threads.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic>;

    /// Every file was received: make them all visible at once.
    fn commit(&mut self) -> Result<(), Diagnostic>;

    /// The build failed: forget what was received; what was visible stays as it was.
    fn abort(&mut self) {}

    /// Whether [`Sink::replace`] works: a folder on disk is always rebuilt whole.
    fn replaces(&self) -> bool {
        false
    }

    /// Replaces one file of the last committed build in place, when an edit changed only that
    /// file.
    fn replace(&mut self, _rel: &str, _bytes: Arc<[u8]>) {}
}

/// The output folder on disk (`public/`).
pub struct Disk {
    pub dir: PathBuf,
    staging: Option<PathBuf>,
}

impl Disk {
    pub fn new(dir: PathBuf) -> Disk {
        Disk { dir, staging: None }
    }

    fn target(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        if !is_inside(rel) {
            return Err(outside(rel));
        }
        let staging = self
            .staging
            .as_ref()
            .expect("begin() is called before put() and copy()");
        // Sized at once: `join` would grow a copy of `staging` to fit `rel`.
        let mut path = PathBuf::with_capacity(staging.as_os_str().len() + 1 + rel.len());
        path.push(staging);
        path.push(rel);
        Ok(path)
    }
}

impl Sink for Disk {
    fn destination(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn begin(&mut self, dirs: &BTreeSet<String>) -> Result<(), Diagnostic> {
        let parent = self
            .dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        fs::create_dir_all(parent).map_err(|e| io_error(IoAction::CreateDir, parent, e))?;
        let staging = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if staging.exists() {
            fs::remove_dir_all(&staging).map_err(|e| io_error(IoAction::Write, &staging, e))?;
        }
        fs::create_dir_all(&staging).map_err(|e| io_error(IoAction::CreateDir, &staging, e))?;
        self.staging = Some(staging.clone());
        if let Some(dir) = dirs.iter().find(|d| !is_inside(d)) {
            self.abort();
            return Err(outside(dir));
        }
        // In parallel: one folder per article at 10,000 articles (`create_dir_all` takes a
        // parent another thread has just made as made).
        use rayon::prelude::*;
        let failed = dirs.par_iter().find_map_any(|dir| {
            let path = staging.join(dir);
            fs::create_dir_all(&path)
                .err()
                .map(|e| io_error(IoAction::CreateDir, &path, e))
        });
        if let Some(d) = failed {
            self.abort();
            return Err(d);
        }
        Ok(())
    }

    fn put(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<(), Diagnostic> {
        self.put_bytes(rel, bytes)
    }

    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.target(rel)?;
        fs::write(&path, bytes).map_err(|e| io_error(IoAction::Write, &path, e))
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let path = self.target(rel)?;
        fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| io_error(IoAction::Copy, from, e))
    }

    fn commit(&mut self) -> Result<(), Diagnostic> {
        let Some(staging) = self.staging.take() else {
            return Ok(());
        };
        let result = swap_in(&staging, &self.dir);
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }

    fn abort(&mut self) {
        if let Some(staging) = self.staging.take() {
            let _ = fs::remove_dir_all(staging);
        }
    }
}

/// Only plain names: no `..`, no root, no drive prefix. Loading already refuses such paths;
/// this is the last line of defence before touching the disk.
fn is_inside(rel: &str) -> bool {
    Path::new(rel)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
}

/// The error for an output path that would leave the output folder.
fn outside(rel: &str) -> Diagnostic {
    let kind = Kind::Io {
        action: IoAction::Write,
        detail: "đường dẫn ra ngoài thư mục kết quả".into(),
    };
    Diagnostic::file(rel, kind)
}

/// Replaces `target` by `staging` with two renames; the old tree is removed afterwards.
fn swap_in(staging: &Path, target: &Path) -> Result<(), Diagnostic> {
    let old = staging.with_extension("old");
    if old.exists() {
        fs::remove_dir_all(&old).map_err(|e| io_error(IoAction::Swap, &old, e))?;
    }
    let had_old = target.exists();
    if had_old {
        fs::rename(target, &old).map_err(|e| io_error(IoAction::Swap, target, e))?;
    }
    if let Err(e) = fs::rename(staging, target) {
        if had_old {
            let _ = fs::rename(&old, target);
        }
        return Err(io_error(IoAction::Swap, target, e));
    }
    if had_old {
        remove_tree(&old);
    }
    Ok(())
}

/// Removes a folder tree, its top-level entries in parallel: deleting the previous site is
/// part of every build, and one core deletes 15,000 files slowly.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.par_iter().for_each(|p| {
        let _ = if p.is_dir() {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        };
    });
    let _ = fs::remove_dir_all(dir);
}

fn io_error(action: IoAction, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::file(
        path,
        Kind::Io {
            action,
            detail: e.to_string(),
        },
    )
}

/// A copied file's size, modification time and bytes.
type Copied = (u64, Option<SystemTime>, Arc<[u8]>);

/// The whole site in memory, for `serve`: output path → bytes. Kept between rebuilds, it reads
/// a copied file (theme and site `static/`, photos) again only when its size or modification
/// time changed.
#[derive(Debug, Default)]
pub struct Memory {
    /// Shared with the preview server, which serves it while the next build is made.
    pub files: Arc<BTreeMap<String, Arc<[u8]>>>,
    /// The files of the build under way, in the order they came.
    pending: Mutex<Vec<(String, Arc<[u8]>)>>,
    copied: Mutex<HashMap<PathBuf, Copied>>,
    seen: Mutex<HashMap<PathBuf, Copied>>,
}

impl Sink for Memory {
    fn begin(&mut self, _: &BTreeSet<String>) -> Result<(), Diagnostic> {
        lock(&self.pending).clear();
        lock(&self.seen).clear();
        Ok(())
    }

    fn put(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<(), Diagnostic> {
        lock(&self.pending).push((rel.to_owned(), bytes.clone()));
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let meta = fs::metadata(from).map_err(|e| io_error(IoAction::Read, from, e))?;
        let (len, modified) = (meta.len(), meta.modified().ok());
        let known = lock(&self.copied)
            .get(from)
            .filter(|(l, m, _)| *l == len && *m == modified)
            .map(|c| c.2.clone());
        let bytes = match known {
            Some(b) => b,
            None => Arc::from(fs::read(from).map_err(|e| io_error(IoAction::Read, from, e))?),
        };
        lock(&self.seen).insert(from.to_path_buf(), (len, modified, bytes.clone()));
        lock(&self.pending).push((rel.to_owned(), bytes));
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Diagnostic> {
        // Built in one go (the map sorts them; of two files at one path, the later wins).
        let files = std::mem::take(&mut *lock(&self.pending));
        self.files = Arc::new(files.into_iter().collect());
        *lock(&self.copied) = std::mem::take(&mut *lock(&self.seen));
        Ok(())
    }

    fn abort(&mut self) {
        lock(&self.pending).clear();
        lock(&self.seen).clear();
    }

    fn replaces(&self) -> bool {
        true
    }

    fn replace(&mut self, rel: &str, bytes: Arc<[u8]>) {
        Arc::make_mut(&mut self.files).insert(rel.to_owned(), bytes);
    }
}

/// The paths of a build without their bytes: generated files, and copied files with their
/// source. What `cds check` looks links up in.
#[derive(Debug, Default)]
pub struct Listing {
    generated: Mutex<BTreeSet<String>>,
    copied: Mutex<BTreeMap<String, PathBuf>>,
}

impl Listing {
    pub fn is_generated(&self, rel: &str) -> bool {
        lock(&self.generated).contains(rel)
    }

    /// The source of a copied file.
    pub fn copied_from(&self, rel: &str) -> Option<PathBuf> {
        lock(&self.copied).get(rel).cloned()
    }
}

impl Sink for Listing {
    fn begin(&mut self, _: &BTreeSet<String>) -> Result<(), Diagnostic> {
        Ok(())
    }

    fn put(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<(), Diagnostic> {
        self.put_bytes(rel, bytes)
    }

    fn put_bytes(&self, rel: &str, _: &[u8]) -> Result<(), Diagnostic> {
        lock(&self.generated).insert(rel.to_owned());
        Ok(())
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        lock(&self.copied).insert(rel.to_owned(), from.to_path_buf());
        Ok(())
    }

    fn commit(&mut self) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// A poisoned lock only means another thread panicked mid-insert; the map is still usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_writes_outside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let mut disk = Disk::new(tmp.path().join("public"));
        disk.begin(&BTreeSet::new()).unwrap();
        assert!(disk.put("../escaped.html", &Arc::from(&b"x"[..])).is_err());
        disk.abort();
        assert!(!tmp.path().join("escaped.html").exists());
        assert!(!tmp.path().join("public").exists());
        let mut disk = Disk::new(tmp.path().join("public"));
        assert!(disk.begin(&["../ra-ngoai".to_owned()].into()).is_err());
        assert!(!tmp.path().join("ra-ngoai").exists());
    }
}
