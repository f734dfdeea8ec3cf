//! Publishing into a folder: a mounted share (`\\may-chu\web`), a web root, a USB stick. Each
//! file is written under a temporary name beside its place and renamed over it (retried while
//! an antivirus holds it); nothing outside the folder is ever touched, links included.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::{Manifest, Place, TEMP_MARK, is_bookkeeping, is_plain};

pub struct Folder {
    dir: PathBuf,
}

/// Why a folder cannot be published to, before anything is read there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The site's own folder, one of its source folders, or a folder holding the site.
    HoldsSources,
    /// The folder `cds build` writes into: it is replaced whole by every build.
    IsBuildOutput,
    /// A file, not a folder.
    IsFile,
}

impl Folder {
    /// Checks `dir` against the site at `root` whose build goes to `output`.
    pub fn open(dir: &Path, root: &Path, output: &Path) -> Result<Folder, Refusal> {
        use crate::protect::{is_source, normalize};
        let target = normalize(dir);
        if normalize(root).starts_with(&target) || is_source(root, dir) {
            return Err(Refusal::HoldsSources);
        }
        if target == normalize(output) || target.starts_with(normalize(output)) {
            return Err(Refusal::IsBuildOutput);
        }
        if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
            return Err(Refusal::IsFile);
        }
        Ok(Folder {
            dir: dir.to_path_buf(),
        })
    }

    /// `rel` on disk, refusing a link on the way: a link could lead out of the folder.
    fn inside(&self, rel: &str) -> io::Result<PathBuf> {
        if !is_plain(rel) {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, rel.to_owned()));
        }
        let mut path = self.dir.clone();
        for part in rel.split('/') {
            path.push(part);
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                let why = crate::messages::publish::LINK_ON_THE_WAY;
                return Err(io::Error::new(io::ErrorKind::InvalidInput, why));
            }
        }
        Ok(path)
    }
}

/// Writes `bytes` to a file that must not exist yet (a link planted at the temporary name is
/// never followed). A leftover of a killed publish with the same name is removed first, if
/// it is a plain file. Not synced file by file: a publish of thousands of files would wait on
/// the disk thousands of times; the rename already keeps readers from a half-written file.
fn write_new(temp: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    if fs::symlink_metadata(temp).is_ok_and(|m| m.is_file()) {
        fs::remove_file(temp)?;
    }
    let mut f = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(temp)?;
    f.write_all(bytes)
}

impl Place for Folder {
    fn name(&self) -> String {
        crate::diagnostics::display_path(&self.dir)
    }

    fn read(&mut self, rel: &str) -> io::Result<Option<Vec<u8>>> {
        match fs::read(self.inside(rel)?) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    fn append(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        use std::io::Write;
        let path = self.inside(rel)?;
        fs::create_dir_all(&self.dir)?;
        let mut f = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)?;
        f.write_all(bytes)?;
        f.sync_data()
    }

    /// Every file there, links left out (they are never followed, so never written), and a
    /// file of the site whose name is there under another spelling (`Index.html` on a share
    /// that ignores case): the place would take it for the same file. A folder that cannot be
    /// read (`System Volume Information` on a USB stick) is left out: cds cannot write there
    /// either.
    fn present(
        &mut self,
        _manifest: &Manifest,
        built: &Manifest,
    ) -> io::Result<BTreeMap<String, u64>> {
        let mut found = BTreeMap::new();
        if !self.dir.exists() {
            return Ok(found);
        }
        for entry in walkdir::WalkDir::new(&self.dir)
            .min_depth(1)
            .into_iter()
            .filter_map(Result::ok)
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&self.dir).unwrap_or(entry.path());
            let rel = rel.to_string_lossy().replace('\\', "/");
            if !is_bookkeeping(&rel) && !rel.contains(TEMP_MARK) {
                found.insert(rel, entry.metadata().map_err(io::Error::other)?.len());
            }
        }
        let spelled: std::collections::HashMap<String, u64> = found
            .iter()
            .map(|(rel, size)| (crate::names::clash_key(rel), *size))
            .collect();
        let respelled: Vec<(String, u64)> = (built.files.keys())
            .filter(|p| !found.contains_key(*p))
            .filter_map(|p| Some((p.clone(), *spelled.get(&crate::names::clash_key(p))?)))
            .collect();
        found.extend(respelled);
        Ok(found)
    }

    fn put(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        let path = self.inside(rel)?;
        let parent = path.parent().unwrap_or(&self.dir);
        fs::create_dir_all(parent)?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default();
        let temp = parent.join(format!(".{name}{TEMP_MARK}-{}", std::process::id()));
        let written = write_new(&temp, bytes).and_then(|()| crate::rename::rename(&temp, &path));
        if written.is_err() {
            let _ = fs::remove_file(&temp);
        }
        written
    }

    fn delete(&mut self, rel: &str) -> io::Result<()> {
        let path = self.inside(rel)?;
        match fs::remove_file(&path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
        // The folders this leaves empty, up to (not including) the place itself.
        let mut dir = path.parent();
        while let Some(d) = dir.filter(|d| *d != self.dir && d.starts_with(&self.dir)) {
            if fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}
