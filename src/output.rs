//! Where a build goes. `Disk` writes everything into a staging folder beside the output folder
//! and swaps it in only when every file was written, so a failed build leaves `public/` exactly
//! as it was. `Memory` keeps the bytes for `serve`.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use crate::diagnostics::{Diagnostic, IoAction, Kind};
use crate::render::Output;

/// A destination for a finished build.
pub trait Sink {
    /// Writes the whole output; either all of it becomes visible or none of it.
    fn publish(&mut self, output: Output) -> Result<(), Diagnostic>;

    /// The folder replaced on disk, if any, so a build can refuse to replace its own sources.
    fn destination(&self) -> Option<&Path> {
        None
    }
}

/// The output folder on disk (`public/`).
pub struct Disk {
    pub dir: PathBuf,
}

impl Sink for Disk {
    fn destination(&self) -> Option<&Path> {
        Some(&self.dir)
    }

    fn publish(&mut self, output: Output) -> Result<(), Diagnostic> {
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
        let result = write_tree(&staging, &output).and_then(|()| swap_in(&staging, &self.dir));
        if result.is_err() {
            let _ = fs::remove_dir_all(&staging);
        }
        result
    }
}

fn write_tree(dir: &Path, output: &Output) -> Result<(), Diagnostic> {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| io_error(IoAction::Write, dir, e))?;
    }
    fs::create_dir_all(dir).map_err(|e| io_error(IoAction::CreateDir, dir, e))?;
    for rel in output.files.keys().chain(output.copies.keys()) {
        if !is_inside(rel) {
            let kind = Kind::Io {
                action: IoAction::Write,
                detail: "đường dẫn ra ngoài thư mục kết quả".into(),
            };
            return Err(Diagnostic::file(rel, kind));
        }
    }
    for (rel, bytes) in &output.files {
        let path = dir.join(rel);
        ensure_parent(&path)?;
        fs::write(&path, bytes).map_err(|e| io_error(IoAction::Write, &path, e))?;
    }
    for (rel, from) in &output.copies {
        let path = dir.join(rel);
        ensure_parent(&path)?;
        fs::copy(from, &path).map_err(|e| io_error(IoAction::Copy, from, e))?;
    }
    Ok(())
}

/// Only plain names: no `..`, no root, no drive prefix. Loading already refuses such paths;
/// this is the last line of defence before touching the disk.
fn is_inside(rel: &str) -> bool {
    Path::new(rel)
        .components()
        .all(|c| matches!(c, std::path::Component::Normal(_)))
}

fn ensure_parent(path: &Path) -> Result<(), Diagnostic> {
    match path.parent() {
        Some(p) => fs::create_dir_all(p).map_err(|e| io_error(IoAction::CreateDir, p, e)),
        None => Ok(()),
    }
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
        let _ = fs::remove_dir_all(&old);
    }
    Ok(())
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
    pub files: BTreeMap<String, Arc<[u8]>>,
    copied: HashMap<PathBuf, Copied>,
}

impl Sink for Memory {
    fn publish(&mut self, output: Output) -> Result<(), Diagnostic> {
        let mut files = output.files;
        let mut copied = HashMap::with_capacity(output.copies.len());
        for (rel, from) in &output.copies {
            let meta = fs::metadata(from).map_err(|e| io_error(IoAction::Read, from, e))?;
            let (len, modified) = (meta.len(), meta.modified().ok());
            let bytes = match self.copied.get(from) {
                Some((l, m, bytes)) if *l == len && *m == modified => bytes.clone(),
                _ => Arc::from(fs::read(from).map_err(|e| io_error(IoAction::Read, from, e))?),
            };
            copied.insert(from.clone(), (len, modified, bytes.clone()));
            files.insert(rel.clone(), bytes);
        }
        self.files = files;
        self.copied = copied;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_writes_outside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let mut out = Output::default();
        out.files
            .insert("../escaped.html".into(), Arc::from(&b"x"[..]));
        let mut disk = Disk {
            dir: tmp.path().join("public"),
        };
        assert!(disk.publish(out).is_err());
        assert!(!tmp.path().join("escaped.html").exists());
        assert!(!tmp.path().join("public").exists());
    }
}
