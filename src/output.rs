//! Where a build goes. Rendering streams every file into a `Sink` as soon as it is made, from
//! several threads, so a build never holds the whole site in memory:
//! - `Disk` writes into a staging folder beside the output folder and swaps it in only when
//!   every file was written, so a failed, full or interrupted build leaves `public/` exactly
//!   as it was, and no folder of its own behind;
//! - `Memory` keeps the bytes for `serve`;
//! - `Listing` keeps only the paths, for `cds check`.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

use crate::diagnostics::{Diagnostic, IoAction, Kind, display_path};
use crate::protect::MARKER;

/// A destination for a build.
pub trait Sink: Sync {
    /// Refuses, before anything is read, a destination that this build may not replace.
    fn check(&self, _root: &Path) -> Result<(), Diagnostic> {
        Ok(())
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
}

/// The output folder on disk (`public/`).
///
/// A build writes into `.public.tmp-<pid>` beside it, holding a lock on
/// `.public.tmp-<pid>.lock` while it lives, then swaps the folders with two renames; the old
/// tree goes to `.public.tmp-<pid>.old` and is removed. Ctrl+C removes all three (see
/// [`interrupt`]); after a `kill -9`, the next build finds them unlocked and removes them.
pub struct Disk {
    pub dir: PathBuf,
    /// The folder swapped: `dir`, or what it links to (a link to a web root stays a link).
    replaced: PathBuf,
    /// Replace the folder even if cds did not make it (`--force`).
    force: bool,
    staging: Option<Staging>,
    /// Bytes of every file received, written or not: the build's size, for a full disk.
    received: AtomicU64,
    /// The disk filled up: files are counted, no longer written.
    full: AtomicBool,
    /// The output paths received, for the marker's list: what the next build may replace.
    written: Mutex<Vec<String>>,
}

/// The folders and the lock of one build under way.
struct Staging {
    dir: PathBuf,
    old: PathBuf,
    lock: PathBuf,
    /// Held until the build ends; the system lets go of it if the process dies.
    _held: Option<fs::File>,
}

impl Disk {
    pub fn new(dir: PathBuf) -> Disk {
        Disk {
            replaced: dir.clone(),
            dir,
            force: false,
            staging: None,
            received: AtomicU64::new(0),
            full: AtomicBool::new(false),
            written: Mutex::new(Vec::new()),
        }
    }

    /// Replaces the output folder even when cds did not make it (`--force`).
    pub fn forced(mut self, force: bool) -> Disk {
        self.force = force;
        self
    }

    fn target(&self, rel: &str) -> Result<PathBuf, Diagnostic> {
        if INTERRUPTED.load(Ordering::Relaxed) {
            return Err(self.interrupted());
        }
        if !is_inside(rel) {
            return Err(outside(rel));
        }
        let staging = &self
            .staging
            .as_ref()
            .expect("begin() is called before put() and copy()")
            .dir;
        // Sized at once: `join` would grow a copy of `staging` to fit `rel`.
        let mut path = PathBuf::with_capacity(staging.as_os_str().len() + 1 + rel.len());
        path.push(staging);
        path.push(rel);
        Ok(path)
    }

    /// The folder the output lives in, and the output's name.
    fn parent_and_name(&self) -> (&Path, String) {
        let parent = self
            .replaced
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = self
            .replaced
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        (parent, name)
    }

    /// The error of a write: a full disk is remembered (the build goes on counting bytes);
    /// anything else names the file in the output folder, not the staging folder.
    fn failed(&self, action: IoAction, rel: &str, e: io::Error) -> Result<(), Diagnostic> {
        if is_full(&e) {
            self.full.store(true, Ordering::Relaxed);
            return Ok(());
        }
        Err(io_error(action, &self.dir.join(rel), e))
    }

    fn interrupted(&self) -> Diagnostic {
        interrupted(&self.dir)
    }

    /// Creates the staging folder with its marker and the folders of `dirs`.
    fn make_staging(&self, staging: &Path, dirs: &BTreeSet<String>) -> Result<(), Diagnostic> {
        if staging.exists() {
            fs::remove_dir_all(staging).map_err(|e| io_error(IoAction::Write, staging, e))?;
        }
        if let Err(e) = fs::create_dir_all(staging) {
            return self.failed(IoAction::CreateDir, "", e);
        }
        if let Some(dir) = dirs.iter().find(|d| !is_inside(d)) {
            return Err(outside(dir));
        }
        // A folder takes a block too.
        self.received
            .fetch_add(on_disk(0) * dirs.len() as u64, Ordering::Relaxed);
        // In parallel: one folder per article at 10,000 articles (`create_dir_all` takes a
        // parent another thread has just made as made).
        use rayon::prelude::*;
        dirs.par_iter().try_for_each(|dir| {
            if INTERRUPTED.load(Ordering::Relaxed) {
                // `create_dir_all` would make the staging folder again as `interrupt` removes it.
                return Err(self.interrupted());
            }
            if self.full.load(Ordering::Relaxed) {
                return Ok(());
            }
            fs::create_dir_all(staging.join(dir))
                .or_else(|e| self.failed(IoAction::CreateDir, dir, e))
        })
    }
}

impl Sink for Disk {
    fn check(&self, root: &Path) -> Result<(), Diagnostic> {
        crate::protect::check_output_dir(root, &self.dir, self.force)
    }

    fn begin(&mut self, dirs: &BTreeSet<String>) -> Result<(), Diagnostic> {
        let link = fs::symlink_metadata(&self.dir).is_ok_and(|m| m.file_type().is_symlink());
        self.replaced = match link {
            true => fs::canonicalize(&self.dir).unwrap_or_else(|_| self.dir.clone()),
            false => self.dir.clone(),
        };
        let (parent, name) = self.parent_and_name();
        fs::create_dir_all(parent).map_err(|e| io_error(IoAction::CreateDir, parent, e))?;
        remove_leftovers(parent, &name);
        let base = format!(".{name}.tmp-{}", std::process::id());
        let lock_path = parent.join(format!("{base}.lock"));
        let held = fs::File::create(&lock_path).ok();
        if let Some(f) = &held {
            let _ = f.try_lock();
        }
        let staging = Staging {
            dir: parent.join(&base),
            old: parent.join(format!("{base}.old")),
            lock: lock_path,
            _held: held,
        };
        register([&staging.dir, &staging.old, &staging.lock]);
        let dir = staging.dir.clone();
        self.staging = Some(staging);
        self.received.store(0, Ordering::Relaxed);
        self.full.store(false, Ordering::Relaxed);
        lock(&self.written).clear();
        let made = self.make_staging(&dir, dirs);
        if made.is_err() {
            self.abort();
        }
        made
    }

    fn put(&self, rel: &str, bytes: &Arc<[u8]>) -> Result<(), Diagnostic> {
        self.put_bytes(rel, bytes)
    }

    fn put_bytes(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.target(rel)?;
        lock(&self.written).push(rel.to_owned());
        self.received
            .fetch_add(on_disk(bytes.len() as u64), Ordering::Relaxed);
        if self.full.load(Ordering::Relaxed) {
            return Ok(());
        }
        fs::write(&path, bytes).or_else(|e| self.failed(IoAction::Write, rel, e))
    }

    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        let path = self.target(rel)?;
        lock(&self.written).push(rel.to_owned());
        let copied = match self.full.load(Ordering::Relaxed) {
            true => Err(io::ErrorKind::StorageFull.into()),
            false => fs::copy(from, &path),
        };
        let len = match &copied {
            Ok(len) => *len,
            // Not written: counted all the same, for the space a full disk needs.
            Err(_) => fs::metadata(from).map(|m| m.len()).unwrap_or(0),
        };
        self.received.fetch_add(on_disk(len), Ordering::Relaxed);
        match copied {
            Ok(_) => Ok(()),
            Err(e) if is_full(&e) => self.failed(IoAction::Copy, rel, e),
            Err(e) => Err(io_error(IoAction::Copy, from, e)),
        }
    }

    fn commit(&mut self) -> Result<(), Diagnostic> {
        if self.staging.is_some() {
            let written = std::mem::take(&mut *lock(&self.written));
            self.put_bytes(MARKER, crate::protect::marker_text(written).as_bytes())?;
        }
        let Some(staging) = self.staging.take() else {
            return Ok(());
        };
        let result = if self.full.load(Ordering::Relaxed) {
            Err(Diagnostic::file(
                &self.dir,
                Kind::DiskFull {
                    output: display_path(&self.dir),
                    needed: self.received.load(Ordering::Relaxed),
                },
            ))
        } else {
            swap_in(&staging, &self.replaced)
        };
        finish(staging);
        result
    }

    fn abort(&mut self) {
        if let Some(staging) = self.staging.take() {
            finish(staging);
        }
    }
}

/// Set by [`interrupt`]: every write after it fails, so the build stops.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// The folders and files that builds under way own (staging, old tree, lock), removed by
/// [`interrupt`]. The swap holds this lock, so an interruption never falls between its two
/// renames.
static OWNED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn register<'a>(paths: impl IntoIterator<Item = &'a PathBuf>) {
    lock(&OWNED).extend(paths.into_iter().cloned());
}

/// Adds a file that this process is making (a report written beside its final name) to
/// what [`interrupt`] removes; [`disown`] takes it back once it is in place.
pub fn own(path: &Path) {
    register([&path.to_path_buf()]);
}

/// See [`own`].
pub fn disown(path: &Path) {
    lock(&OWNED).retain(|p| p != path);
}

/// Ctrl+C, SIGTERM or a closed console: stops every build of this process and removes what
/// it had written so far, leaving each output folder as it was. The caller exits after.
pub fn interrupt() {
    INTERRUPTED.store(true, Ordering::Relaxed);
    let owned = lock(&OWNED);
    // Twice: a thread that was making a folder when the flag was set may make it again.
    for _ in 0..2 {
        for path in owned.iter() {
            remove_retrying(path);
        }
        std::thread::sleep(std::time::Duration::from_millis(30));
    }
}

/// Removes what a build owned, once it is over (committed or not).
fn finish(staging: Staging) {
    let Staging {
        dir,
        old,
        lock: lock_path,
        _held,
    } = staging;
    remove_retrying(&dir);
    drop(_held);
    let _ = fs::remove_file(&lock_path);
    lock(&OWNED).retain(|p| *p != dir && *p != old && *p != lock_path);
}

/// Removes a folder (or file) even while threads still finish writing into it.
fn remove_retrying(path: &Path) {
    for _ in 0..50 {
        let gone = match fs::symlink_metadata(path) {
            Err(_) => true,
            Ok(m) if m.is_dir() => fs::remove_dir_all(path).is_ok(),
            Ok(_) => fs::remove_file(path).is_ok(),
        };
        if gone {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Removes the staging folders, old trees and locks that earlier builds of `name` left
/// behind when they were killed: those whose lock nobody holds any more. A build still
/// running holds its lock, and keeps its folders.
fn remove_leftovers(parent: &Path, name: &str) {
    let prefix = format!(".{name}.tmp-");
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    let own = std::process::id().to_string();
    let mut pids: BTreeSet<String> = BTreeSet::new();
    for entry in entries.filter_map(|e| e.ok()) {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let pid = rest.split('.').next().unwrap_or_default();
        if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) && pid != own {
            pids.insert(pid.to_owned());
        }
    }
    for pid in pids {
        let base = parent.join(format!("{prefix}{pid}"));
        let lock_path = parent.join(format!("{prefix}{pid}.lock"));
        if let Ok(f) = fs::File::open(&lock_path)
            && f.try_lock().is_err()
        {
            continue;
        }
        remove_retrying(&base);
        remove_retrying(&parent.join(format!("{prefix}{pid}.old")));
        let _ = fs::remove_file(&lock_path);
    }
}

/// The error of a build stopped by [`interrupt`] before `output` was replaced.
fn interrupted(output: &Path) -> Diagnostic {
    let kind = Kind::Interrupted {
        output: display_path(output),
    };
    Diagnostic::file(output, kind)
}

/// What a file of `len` bytes takes on a disk: whole blocks of 4 KiB (most file systems).
fn on_disk(len: u64) -> u64 {
    len.div_ceil(4096).max(1) * 4096
}

/// A full disk (or a full quota): the one write error that gets its own message.
fn is_full(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded
    )
}

/// Only plain names between `/`: no `..`, no root, no drive (`C:`), no share (`\\máy`),
/// no `\`, whatever the system the build runs on. Loading already refuses such paths; this
/// is the last line of defence before touching the disk.
fn is_inside(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', ':', '\0'])
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// The error for an output path that would leave the output folder.
fn outside(rel: &str) -> Diagnostic {
    let kind = Kind::Io {
        action: IoAction::Write,
        detail: crate::diagnostics::OUTSIDE_OUTPUT.into(),
    };
    Diagnostic::file(rel, kind)
}

/// Replaces `target` by the staging folder with two renames, under the lock [`interrupt`]
/// takes; the old tree is removed afterwards.
fn swap_in(staging: &Staging, target: &Path) -> Result<(), Diagnostic> {
    let owned = lock(&OWNED);
    if INTERRUPTED.load(Ordering::Relaxed) {
        return Err(interrupted(target));
    }
    let (dir, old) = (&staging.dir, &staging.old);
    remove_retrying(old);
    let had_old = fs::symlink_metadata(target).is_ok();
    if had_old {
        crate::rename::rename(target, old).map_err(|e| io_error(IoAction::Swap, target, e))?;
    }
    if let Err(e) = crate::rename::rename(dir, target) {
        if had_old {
            let _ = crate::rename::rename(old, target);
        }
        return Err(io_error(IoAction::Swap, target, e));
    }
    drop(owned);
    if had_old {
        remove_tree(old);
    }
    Ok(())
}

/// Removes a folder tree, its top-level entries in parallel: deleting the previous site is
/// part of every build, and one core deletes 15,000 files slowly. A link is removed as a
/// link: what it points to is not the build's.
fn remove_tree(dir: &Path) {
    use rayon::prelude::*;
    if fs::symlink_metadata(dir).is_ok_and(|m| !m.is_dir()) {
        let _ = fs::remove_file(dir);
        return;
    }
    let entries: Vec<PathBuf> = fs::read_dir(dir)
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    entries.par_iter().for_each(|p| {
        let _ = if fs::symlink_metadata(p).is_ok_and(|m| m.is_dir()) {
            fs::remove_dir_all(p)
        } else {
            fs::remove_file(p)
        };
    });
    remove_retrying(dir);
}

fn io_error(action: IoAction, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::file(
        path,
        Kind::Io {
            action,
            detail: crate::diagnostics::io_reason(&e),
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

    /// Opens the file (and reads nothing): one that the build could not copy is an error of
    /// `cds check` too.
    fn copy(&self, rel: &str, from: &Path) -> Result<(), Diagnostic> {
        crate::text::regular_file(from)
            .and_then(|()| fs::File::open(from))
            .map_err(|e| io_error(IoAction::Copy, from, e))?;
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

    #[test]
    fn output_paths_in_windows_forms_are_outside() {
        for rel in [
            r"..\escaped.html",
            r"tin-tuc\..\..\x.html",
            r"C:\Windows\x.html",
            "C:x.html",
            "c:/x.html",
            r"\\may-chu\chung\x.html",
            "//may-chu/chung/x.html",
            "/etc/x.html",
            "a//b.html",
            "./a.html",
            "a/../../b.html",
            "",
            "a\0b.html",
        ] {
            assert!(!is_inside(rel), "{rel:?}");
        }
        for rel in [
            "index.html",
            "tin-tuc/bai/index.html",
            "a..b/c.html",
            "tìm-kiếm/x.json",
        ] {
            assert!(is_inside(rel), "{rel:?}");
        }
    }
}
