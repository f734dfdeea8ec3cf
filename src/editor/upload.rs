//! Photos and attachments given to the editor: checked by their bytes (a `.jpg` must be a
//! JPEG, a `.pdf` a PDF), their size and their name, then put beside the page in its bundle.
//! A single-file page becomes a bundle (`tin-tuc/a.md` → `tin-tuc/a/index.md`, the same
//! address) with its first file. Nothing is ever written over: a taken name gets `-2`.

use std::fs;
use std::path::Path;

use super::files::{self, Refused};

/// The largest file the editor takes: a phone photo is 3 to 12 MB.
pub const MAX_UPLOAD: u64 = 25 * 1024 * 1024;
/// The most files one bundle may hold.
pub const MAX_FILES: usize = 200;

/// What a file is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Use {
    /// Shown in the page (and made into variants by the image pipeline).
    Photo,
    /// Linked for download.
    Attachment,
}

/// Why a file is not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadRefused {
    Empty,
    TooLarge,
    /// Not a kind of file the site publishes.
    Type,
    /// An iPhone photo in HEIC, which browsers do not show.
    Heic,
    /// The bytes are not what the name says (`.jpg` that is no JPEG).
    Mismatch,
    TooMany,
    /// The page's folder already holds a file or folder with the bundle's name.
    BundleTaken,
    /// The page links files beside it, which a move into a bundle would break.
    LooseFiles,
    Files(Refused),
}

/// A file put into a page's bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Uploaded {
    /// The page's file now (`content/tin-tuc/a/index.md` after a move into a bundle).
    pub page: String,
    /// The file's name in the bundle, as the page links it.
    pub name: String,
    pub used: Use,
}

const PHOTOS: [&str; 5] = ["jpg", "jpeg", "png", "webp", "gif"];
const ATTACHMENTS: [&str; 7] = ["pdf", "doc", "docx", "xls", "xlsx", "odt", "ods"];

/// What a file named `name` holding `bytes` is for, checked by its first bytes.
pub fn use_of(name: &str, bytes: &[u8]) -> Result<Use, UploadRefused> {
    if bytes.is_empty() {
        return Err(UploadRefused::Empty);
    }
    if bytes.len() as u64 > MAX_UPLOAD {
        return Err(UploadRefused::TooLarge);
    }
    let ext = extension(name);
    if ext == "heic" || ext == "heif" {
        return Err(UploadRefused::Heic);
    }
    if PHOTOS.contains(&ext.as_str()) {
        return match crate::images::probe::probe(bytes) {
            Ok(_) => Ok(Use::Photo),
            Err(crate::images::Unusable::Heic) => Err(UploadRefused::Heic),
            Err(_) => Err(UploadRefused::Mismatch),
        };
    }
    if !ATTACHMENTS.contains(&ext.as_str()) {
        return Err(UploadRefused::Type);
    }
    let magic: &[u8] = match ext.as_str() {
        "pdf" => b"%PDF-",
        "doc" | "xls" => b"\xD0\xCF\x11\xE0",
        _ => b"PK\x03\x04",
    };
    if bytes.starts_with(magic) {
        Ok(Use::Attachment)
    } else {
        Err(UploadRefused::Mismatch)
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// The name a file is kept under: its stem as a slug (`IMG 1234.JPG` → `img-1234.jpg`), so
/// it is the same on every system and in every address.
pub fn stored_name(original: &str) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or(original);
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
    let slug = crate::text::slugify(stem);
    let stem = if slug.is_empty() {
        "tep".to_owned()
    } else {
        slug
    };
    let name = format!("{stem}.{}", ext.to_ascii_lowercase());
    // `con.png` is a device on Windows, whatever its extension.
    if files::allowed_name(&name) {
        name
    } else {
        format!("tep-{name}")
    }
}

/// Puts `bytes` into the bundle of the page `page_rel` under a name made from `original`.
pub fn upload(
    root: &Path,
    page_rel: &str,
    original: &str,
    bytes: &[u8],
) -> Result<Uploaded, UploadRefused> {
    let used = use_of(original, bytes)?;
    files::locate(root, page_rel).map_err(UploadRefused::Files)?;
    // A bundle's files sit beside its `index.md`; a section's beside its `_index.md`.
    let in_folder = page_rel.ends_with("/index.md") || page_rel.ends_with("/_index.md");
    let page = if in_folder {
        page_rel.to_owned()
    } else {
        into_bundle(root, page_rel)?
    };
    let folder = match page.rsplit_once('/') {
        Some((dir, _)) => root.join(dir),
        None => root.to_path_buf(),
    };
    let count = fs::read_dir(&folder).map_or(0, |d| d.count());
    if count > MAX_FILES {
        return Err(UploadRefused::TooMany);
    }
    let name = free_name(&folder, &stored_name(original));
    let io =
        |e: std::io::Error| UploadRefused::Files(Refused::Io(crate::diagnostics::io_reason(&e)));
    write_new(&folder.join(&name), bytes).map_err(io)?;
    Ok(Uploaded { page, name, used })
}

/// `name`, or `name-2`, `name-3`… the first that nothing in `folder` holds.
fn free_name(folder: &Path, name: &str) -> String {
    let (stem, ext) = name.rsplit_once('.').unwrap_or((name, ""));
    (1..)
        .map(|n| {
            if n == 1 {
                name.to_owned()
            } else {
                format!("{stem}-{n}.{ext}")
            }
        })
        .find(|candidate| fs::symlink_metadata(folder.join(candidate)).is_err())
        .unwrap_or_else(|| name.to_owned())
}

/// Writes a file that must not exist yet, whole: under a temporary name first, then a hard
/// link to its name (which fails if the name was taken meanwhile; never a rename over a
/// file). Where links do not exist (a FAT USB stick), the file is written in place.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write as _;
    let create = |p: &Path| {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(p)
            .and_then(|mut f| {
                f.write_all(bytes)?;
                f.sync_all()
            })
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let temp = path.with_file_name(format!(
        ".{}.{}",
        name.unwrap_or_default(),
        files::temp_suffix("cds-tai-len")
    ));
    let linked = create(&temp).and_then(|()| fs::hard_link(&temp, path));
    let _ = fs::remove_file(&temp);
    match linked {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => {
            let written = create(path);
            if written
                .as_ref()
                .is_err_and(|e| e.kind() != std::io::ErrorKind::AlreadyExists)
            {
                let _ = fs::remove_file(path);
            }
            written
        }
        other => other,
    }
}

/// Moves `dir/stem.md` to `dir/stem/index.md` (the page keeps its address); the new path.
fn into_bundle(root: &Path, rel: &str) -> Result<String, UploadRefused> {
    let opened = files::open(root, rel).map_err(UploadRefused::Files)?;
    if links_loose_files(&opened.text) {
        return Err(UploadRefused::LooseFiles);
    }
    let folder_rel = rel.trim_end_matches(".md");
    let folder = root.join(folder_rel);
    if fs::symlink_metadata(&folder).is_ok() {
        return Err(UploadRefused::BundleTaken);
    }
    let io =
        |e: std::io::Error| UploadRefused::Files(Refused::Io(crate::diagnostics::io_reason(&e)));
    fs::create_dir(&folder).map_err(io)?;
    let page = format!("{folder_rel}/index.md");
    if let Err(e) = crate::rename::rename(&root.join(rel), &root.join(&page)) {
        let _ = fs::remove_dir(&folder);
        return Err(io(e));
    }
    Ok(page)
}

/// Whether a page's text links a file by a relative address (`](anh.jpg)`, `image: anh.jpg`),
/// which points beside the page's file until it becomes a bundle.
fn links_loose_files(text: &str) -> bool {
    let relative = |target: &str| {
        let t = target.trim().trim_start_matches('<');
        !t.is_empty()
            && ![
                "http:", "https:", "@/", "/", "#", "mailto:", "tel:", "data:",
            ]
            .iter()
            .any(|p| t.starts_with(p))
    };
    let linked = text.split("](").skip(1).any(&relative);
    let unquoted = |v: &str| relative(v.trim().trim_matches(['"', '\'']));
    // `image:`, a document's `file:`, a reference link `[1]: anh.jpg`.
    let named = text.lines().any(|l| {
        let l = l.trim_start();
        let value = ["image:", "file:"].iter().find_map(|k| l.strip_prefix(k));
        let reference = l
            .strip_prefix('[')
            .and_then(|r| r.split_once("]:"))
            .map(|(_, v)| v);
        value.or(reference).is_some_and(unquoted)
    });
    // Raw HTML: `src="anh.jpg"`, `href="qd.pdf"`.
    let html = ["src=", "href="].iter().any(|attr| {
        text.split(attr).skip(1).any(|rest| {
            let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'');
            quote.is_some_and(|q| rest[1..].split(q).next().is_some_and(&relative))
        })
    });
    linked || named || html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_known_by_their_bytes() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x02\0\0\0\x02\x08\x02\0\0\0";
        assert_eq!(use_of("ảnh.PNG", png), Ok(Use::Photo));
        assert_eq!(
            use_of("anh.jpg", png),
            Ok(Use::Photo),
            "the bytes decide the format"
        );
        assert_eq!(
            use_of("anh.jpg", b"not an image"),
            Err(UploadRefused::Mismatch)
        );
        assert_eq!(use_of("ke-hoach.pdf", b"%PDF-1.7 ..."), Ok(Use::Attachment));
        assert_eq!(
            use_of("ke-hoach.pdf", b"MZ\x90\0"),
            Err(UploadRefused::Mismatch)
        );
        assert_eq!(
            use_of("IMG_1.HEIC", b"\0\0\0\x18ftypheic"),
            Err(UploadRefused::Heic)
        );
        assert_eq!(use_of("virus.exe", b"MZ"), Err(UploadRefused::Type));
        assert_eq!(use_of("a.svg", b"<svg/>"), Err(UploadRefused::Type));
        assert_eq!(use_of("a.png", b""), Err(UploadRefused::Empty));
    }

    #[test]
    fn names_become_slugs_with_their_extension() {
        assert_eq!(stored_name("IMG 1234.JPG"), "img-1234.jpg");
        assert_eq!(stored_name("Ảnh hội nghị.jpeg"), "anh-hoi-nghi.jpeg");
        assert_eq!(stored_name("C:\\Users\\a\\..\\CON.png"), "tep-con.png");
        assert_eq!(stored_name("...png"), "tep.png");
    }

    #[test]
    fn a_page_that_links_files_beside_it_is_not_moved() {
        assert!(links_loose_files("---\ntitle: A\n---\n![x](anh.jpg)\n"));
        assert!(links_loose_files("---\nimage: \"bia.jpg\"\n---\n"));
        assert!(links_loose_files("---\ndocument:\n  file: qd.pdf\n---\n"));
        assert!(links_loose_files(
            "---\ntitle: A\n---\n[toàn văn][1]\n\n[1]: qd.pdf\n"
        ));
        assert!(links_loose_files(
            "---\ntitle: A\n---\n<img src=\"anh.jpg\" alt=\"\">\n"
        ));
        assert!(!links_loose_files(
            "---\ntitle: A\n---\n<a href=\"https://a.vn\">a</a>\n"
        ));
        assert!(!links_loose_files(
            "---\ntitle: A\n---\n[x](@/a.md) [y](https://a.vn) [z](/chuyen-doi-so/)\n"
        ));
    }
}
