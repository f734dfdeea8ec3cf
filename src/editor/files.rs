//! The only place the editor touches the disk: which names it may read and write (Markdown
//! files under `content/`, never through a link, never a name Windows would refuse), and how
//! a save lands (only if the file is still the one the editor opened, whole or not at all).

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::content::CONTENT_DIR;

/// The largest Markdown file the editor opens or saves.
pub const MAX_TEXT: usize = 1024 * 1024;

/// Why a file cannot be read or saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// Not a relative path inside `content/` (`..`, an absolute path, a backslash…).
    OutsideContent,
    /// A character or a name that Windows or the site cannot take.
    BadName,
    NotMarkdown,
    /// A link (symlink) on the way: it may point anywhere.
    Link,
    Missing,
    NotText,
    TooLarge,
    /// The file changed on disk since it was opened: its current text and version.
    Changed {
        text: String,
        version: String,
    },
    Io(String),
}

/// A file as the editor opened it.
#[derive(Debug, Clone)]
pub struct Opened {
    pub text: String,
    /// A validator of its bytes, sent back with a save.
    pub version: String,
}

/// What a save did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Saved {
    pub version: String,
    /// False when the text was the file's already: nothing was written.
    pub written: bool,
}

/// Checks a path as the editor names it (`content/tin-tuc/a.md`), without the disk.
pub fn checked(rel: &str) -> Result<Vec<&str>, Refused> {
    let parts: Vec<&str> = rel.split('/').collect();
    if parts.first() != Some(&CONTENT_DIR) || parts.len() < 2 {
        return Err(Refused::OutsideContent);
    }
    for part in &parts {
        if part.is_empty() || *part == "." || *part == ".." || part.contains('\\') {
            return Err(Refused::OutsideContent);
        }
        if !allowed_name(part) {
            return Err(Refused::BadName);
        }
    }
    if !rel.ends_with(".md") {
        return Err(Refused::NotMarkdown);
    }
    Ok(parts)
}

/// A name every system can hold ([`crate::names::unportable`]) and that is not hidden.
pub fn allowed_name(name: &str) -> bool {
    !name.starts_with('.') && !name.starts_with(' ') && crate::names::unportable(name).is_none()
}

/// The file on disk for `rel`, refusing a link anywhere on the way from the site root.
pub fn locate(root: &Path, rel: &str) -> Result<PathBuf, Refused> {
    let parts = checked(rel)?;
    let mut path = root.to_path_buf();
    for part in parts {
        path.push(part);
        match fs::symlink_metadata(&path) {
            Ok(meta) if meta.file_type().is_symlink() => return Err(Refused::Link),
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => break,
            Err(e) => return Err(Refused::Io(crate::diagnostics::io_reason(&e))),
        }
    }
    Ok(root.join(rel))
}

/// Reads a Markdown file for the editor.
pub fn open(root: &Path, rel: &str) -> Result<Opened, Refused> {
    let path = locate(root, rel)?;
    let bytes = read_regular(&path)?;
    let version = version(&bytes);
    let text = String::from_utf8(bytes).map_err(|_| Refused::NotText)?;
    Ok(Opened { text, version })
}

/// Saves `text` over `rel` if its bytes are still those of `version`. The text is made NFC,
/// and given the file's line ends and byte-order mark, so a save of what was opened writes
/// the same bytes (and then writes nothing at all).
pub fn save(root: &Path, rel: &str, version_seen: &str, text: &str) -> Result<Saved, Refused> {
    let path = locate(root, rel)?;
    let old = read_regular(&path)?;
    if version(&old) != version_seen {
        let text = String::from_utf8_lossy(&old).into_owned();
        return Err(Refused::Changed {
            text,
            version: version(&old),
        });
    }
    let new = in_style_of(&old, text);
    if new.len() > MAX_TEXT {
        return Err(Refused::TooLarge);
    }
    if new == old {
        return Ok(Saved {
            version: version(&old),
            written: false,
        });
    }
    replace(&path, &new).map_err(|e| Refused::Io(crate::diagnostics::io_reason(&e)))?;
    Ok(Saved {
        version: version(&new),
        written: true,
    })
}

/// The validator the editor sends back: the preview's ETag of the bytes.
pub fn version(bytes: &[u8]) -> String {
    crate::serve::http::etag(bytes)
}

/// `text` as NFC with `old`'s line ends (CRLF if it had any) and byte-order mark.
pub fn in_style_of(old: &[u8], text: &str) -> Vec<u8> {
    let bom = old.starts_with(b"\xEF\xBB\xBF");
    let crlf = memchr::memmem::find(old, b"\r\n").is_some();
    let text = crate::text::nfc(text.strip_prefix('\u{feff}').unwrap_or(text));
    let text = text.replace("\r\n", "\n");
    let mut out = Vec::with_capacity(text.len() + 8);
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    if crlf {
        out.extend_from_slice(text.replace('\n', "\r\n").as_bytes());
    } else {
        out.extend_from_slice(text.as_bytes());
    }
    out
}

/// A regular file's bytes, at most [`MAX_TEXT`].
fn read_regular(path: &Path) -> Result<Vec<u8>, Refused> {
    let meta = match fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Refused::Missing),
        Err(e) => return Err(Refused::Io(crate::diagnostics::io_reason(&e))),
    };
    if meta.file_type().is_symlink() {
        return Err(Refused::Link);
    }
    if !meta.is_file() {
        return Err(Refused::NotText);
    }
    if meta.len() > MAX_TEXT as u64 {
        return Err(Refused::TooLarge);
    }
    fs::read(path).map_err(|e| Refused::Io(crate::diagnostics::io_reason(&e)))
}

/// Writes `bytes` beside `path` under a name the watcher and the build ignore, then renames
/// it over `path`: a reader sees the old file or the new one, never half of one.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{}.{}",
        name.unwrap_or_default(),
        temp_suffix("cds-luu")
    ));
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
    let result = written.and_then(|()| crate::rename::rename(&temp, path));
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// A suffix for a temporary file that no other request of this process, nor another
/// process, is using: two saves at once never write into, or remove, each other's file.
pub fn temp_suffix(what: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{what}-{}-{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_markdown_inside_content_with_plain_names() {
        assert!(checked("content/tin-tuc/a.md").is_ok());
        assert!(checked("content/tin-tuc/bài viết/index.md").is_ok());
        for (rel, why) in [
            ("tin-tuc/a.md", Refused::OutsideContent),
            ("/etc/passwd.md", Refused::OutsideContent),
            ("content/../config.md", Refused::OutsideContent),
            ("content/./a.md", Refused::OutsideContent),
            ("content//a.md", Refused::OutsideContent),
            ("content\\..\\a.md", Refused::OutsideContent),
            ("content/tin-tuc\\a.md", Refused::OutsideContent),
            ("C:/content/a.md", Refused::OutsideContent),
            ("content/a.yaml", Refused::NotMarkdown),
            ("content/CON.md", Refused::BadName),
            ("content/aux.md", Refused::BadName),
            ("content/com1.md", Refused::BadName),
            ("content/Lpt9.txt.md", Refused::BadName),
            ("content/a.md.", Refused::BadName),
            ("content/a.md ", Refused::BadName),
            ("content/.an.md", Refused::BadName),
            ("content/a\u{7}.md", Refused::BadName),
            ("content/a:b.md", Refused::BadName),
            ("content/a?.md", Refused::BadName),
            ("\\\\may-chu\\chung\\a.md", Refused::OutsideContent),
            ("content/C:/a.md", Refused::BadName),
            ("content/tin-tuc./a.md", Refused::BadName),
            ("content/tin-tuc /a.md", Refused::BadName),
            ("content/nul/a.md", Refused::BadName),
            ("content/CONOUT$.md", Refused::BadName),
        ] {
            assert_eq!(checked(rel).err(), Some(why), "{rel}");
        }
        assert!(allowed_name("console.md") && allowed_name("com10.md"));
    }

    #[test]
    fn a_save_keeps_line_ends_and_the_byte_order_mark() {
        let old = "\u{feff}---\r\ntitle: A\r\n---\r\nX\r\n".as_bytes();
        assert_eq!(in_style_of(old, "---\ntitle: A\n---\nX\n"), old);
        assert_eq!(in_style_of(b"a\nb\n", "a\r\nb\n"), b"a\nb\n");
        let decomposed = "Vie\u{302}\u{323}t";
        assert_eq!(in_style_of(b"", decomposed), "Việt".as_bytes());
    }

    #[test]
    fn a_save_lands_only_over_the_version_opened() {
        let tmp = tempfile::tempdir().unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        fs::write(tmp.path().join("content/a.md"), "một\n").unwrap();
        let opened = open(tmp.path(), "content/a.md").unwrap();
        let same = save(tmp.path(), "content/a.md", &opened.version, "một\n").unwrap();
        assert!(!same.written);
        let saved = save(tmp.path(), "content/a.md", &opened.version, "hai\n").unwrap();
        assert!(saved.written);
        let late = save(tmp.path(), "content/a.md", &opened.version, "ba\n");
        assert!(matches!(late, Err(Refused::Changed { ref text, .. }) if text == "hai\n"));
        assert_eq!(
            fs::read_to_string(tmp.path().join("content/a.md")).unwrap(),
            "hai\n"
        );
        let names: Vec<_> = fs::read_dir(tmp.path().join("content")).unwrap().collect();
        assert_eq!(names.len(), 1, "no temporary file left");
    }

    #[cfg(unix)]
    #[test]
    fn never_reads_or_writes_through_a_link() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("x.md"), "bí mật").unwrap();
        fs::create_dir_all(tmp.path().join("content")).unwrap();
        std::os::unix::fs::symlink(outside.path(), tmp.path().join("content/ra")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.md"), tmp.path().join("content/y.md"))
            .unwrap();
        assert_eq!(
            open(tmp.path(), "content/ra/x.md").err(),
            Some(Refused::Link)
        );
        assert_eq!(open(tmp.path(), "content/y.md").err(), Some(Refused::Link));
        let v = version("bí mật".as_bytes());
        assert_eq!(
            save(tmp.path(), "content/y.md", &v, "mới").err(),
            Some(Refused::Link)
        );
        assert_eq!(
            fs::read_to_string(outside.path().join("x.md")).unwrap(),
            "bí mật"
        );
    }
}
