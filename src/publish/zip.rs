//! `cds publish --zip FILE`: the whole site in one zip, for portals that take an upload. The
//! same sources make the same bytes (names sorted, one fixed date, fixed permissions), so a
//! zip can be compared with the last one. Written under a temporary name and renamed into
//! place; an existing file is replaced only if it is a zip cds made.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;

use super::{Manifest, TEMP_MARK};

/// The comment every zip cds makes carries: how it knows a zip it may replace.
const COMMENT: &str = "cds publish";

/// Why a zip was not written.
#[derive(Debug)]
pub enum ZipError {
    /// `FILE` exists and is not a zip cds made.
    NotOurs,
    Io(io::Error),
}

impl From<io::Error> for ZipError {
    fn from(e: io::Error) -> Self {
        ZipError::Io(e)
    }
}

/// Writes every file of `built` (read from `built_dir`) into the zip `file`; returns its size.
pub fn write(
    built_dir: &Path,
    built: &Manifest,
    file: &Path,
    force: bool,
) -> Result<u64, ZipError> {
    if file.exists() && !force && !is_ours(file) {
        return Err(ZipError::NotOurs);
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    let parent = file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let temp = parent.join(format!(".{name}{TEMP_MARK}-{}", std::process::id()));
    let result =
        write_to(built_dir, built, &temp).and_then(|()| crate::rename::rename(&temp, file));
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(ZipError::Io(e));
    }
    Ok(fs::metadata(file)?.len())
}

fn write_to(built_dir: &Path, built: &Manifest, temp: &Path) -> io::Result<()> {
    let mut zip = zip::ZipWriter::new(io::BufWriter::new(fs::File::create(temp)?));
    // No date of today: the zip's bytes depend on the site alone.
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(6))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644);
    for path in built.files.keys() {
        let bytes = fs::read(built_dir.join(path))?;
        zip.start_file(path.as_str(), options)
            .map_err(io::Error::other)?;
        zip.write_all(&bytes)?;
    }
    zip.set_comment(COMMENT).map_err(io::Error::other)?;
    let mut out = zip.finish().map_err(io::Error::other)?;
    out.flush()?;
    out.get_ref().sync_all()
}

/// A zip whose comment says cds made it.
fn is_ours(file: &Path) -> bool {
    fs::File::open(file)
        .ok()
        .and_then(|f| zip::ZipArchive::new(f).ok())
        .is_some_and(|z| z.comment() == COMMENT.as_bytes())
}
