//! Walking `content/`: which files are pages, which are bundle assets, which to ignore.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, IoAction, Kind};

/// A file found: its path relative to `content/` with `/` separators in NFC (what links and
/// URLs use), and its real path on disk (which may be decomposed, as macOS writes names).
#[derive(Debug, Clone, Hash)]
pub struct Found {
    pub rel: String,
    pub disk: PathBuf,
}

/// The files found, sorted by their NFC path.
#[derive(Default)]
pub struct Tree {
    pub markdown: Vec<Found>,
    /// Bundle folder → files in it (`rel` relative to the bundle), other than `index.md`.
    pub bundle_assets: BTreeMap<String, Vec<Found>>,
    pub loose_assets: Vec<Found>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Editors and operating systems leave these beside real files; they are never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name.starts_with("___jb_")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// A warning about a link (symlink) in `content/`, named by its path from the site root.
fn link_warning(content: &Path, path: &Path, kind: Kind) -> Diagnostic {
    let rel = path.strip_prefix(content).unwrap_or(path);
    Diagnostic::file(Path::new(super::CONTENT_DIR).join(rel), kind).warning()
}

pub fn walk(content: &Path) -> Tree {
    let mut tree = Tree::default();
    let mut files = find_files(content, &mut tree.diagnostics);
    // Not sorted while walking (`sort_by_file_name` parsed both paths at every comparison):
    // the files are sorted once here, by their relative path.
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    check_portable(content, &files, &mut tree.diagnostics);
    tree.diagnostics.sort_by(|a, b| a.path.cmp(&b.path));
    let bundles: Bundles = files
        .iter()
        .filter(|f| super::file_name(&f.rel) == "index.md")
        .map(|f| super::parent(&f.rel).to_owned())
        .filter(|d| !d.is_empty())
        .collect();
    for f in files {
        let dir = super::parent(&f.rel);
        // Markdown files in a bundle's sub-folders are assets of the bundle, not pages.
        if f.rel.ends_with(".md") && outermost_bundle(super::parent(dir), &bundles).is_none() {
            tree.markdown.push(f);
            continue;
        }
        match outermost_bundle(dir, &bundles) {
            Some(b) => {
                let inner = Found {
                    rel: f.rel[b.len() + 1..].to_owned(),
                    disk: f.disk,
                };
                tree.bundle_assets
                    .entry(b.to_owned())
                    .or_default()
                    .push(inner);
            }
            None => tree.loose_assets.push(f),
        }
    }
    tree
}

/// Names Windows cannot hold, and names Windows and macOS take for one file: errors, as the
/// site copied to an editor's PC would lose a file. Read from the names on disk, before NFC.
fn check_portable(content: &Path, files: &[Found], diags: &mut Vec<Diagnostic>) {
    let on_disk: Vec<String> = files
        .iter()
        .map(|f| {
            let rel = f.disk.strip_prefix(content).unwrap_or(&f.disk);
            rel.to_string_lossy().replace('\\', "/")
        })
        .collect();
    let at = |rel: &str| Path::new(super::CONTENT_DIR).join(rel);
    let mut named = std::collections::HashSet::new();
    for rel in &on_disk {
        let mut end = 0;
        for part in rel.split('/') {
            end += part.len();
            let prefix = &rel[..end];
            end += 1;
            if let Some(why) = crate::names::unportable(part) {
                if named.insert(prefix) {
                    let name = part.to_owned();
                    diags.push(Diagnostic::file(
                        at(prefix),
                        Kind::NameUnportable { name, why },
                    ));
                }
                break;
            }
        }
    }
    for clash in crate::names::clashes(on_disk.iter().map(String::as_str)) {
        let kind = Kind::NameClash {
            name: super::file_name(clash.name).to_owned(),
            other: crate::diagnostics::display_path(&at(clash.other)),
        };
        diags.push(Diagnostic::file(at(clash.name), kind));
    }
}

/// Every regular file under `content/`, but editors' temporary files. Links are followed
/// while they stay inside the site root; one that leaves it (it could publish any file of the
/// machine), loops or points to nothing is left out with a warning.
fn find_files(content: &Path, diags: &mut Vec<Diagnostic>) -> Vec<Found> {
    let root = content
        .parent()
        .and_then(|r| r.canonicalize().ok())
        .unwrap_or_else(|| content.to_path_buf());
    let refused = std::cell::RefCell::new(Vec::new());
    let walker = WalkDir::new(content)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && is_ignored_name(&e.file_name().to_string_lossy()) {
                return false;
            }
            let outside =
                e.path_is_symlink() && !e.path().canonicalize().is_ok_and(|t| t.starts_with(&root));
            if outside {
                refused
                    .borrow_mut()
                    .push(link_warning(content, e.path(), Kind::LinkLeavesSite));
            }
            !outside
        });
    let mut files = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let rel = e.path().strip_prefix(content).unwrap_or(e.path());
                let rel = crate::text::nfc(&rel.to_string_lossy().replace('\\', "/"));
                files.push(Found {
                    rel,
                    disk: e.path().to_path_buf(),
                });
            }
            Ok(_) => {}
            Err(e) => diags.push(walk_error(content, &e)),
        }
    }
    diags.append(&mut refused.into_inner());
    files
}

/// What a failed step of the walk is to the editor: a loop, a broken link, or a folder or
/// file that could not be read.
fn walk_error(content: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().map(Path::to_path_buf).unwrap_or_default();
    // `content/` itself unreadable is an error, whatever the reason.
    if e.depth() > 0 && e.loop_ancestor().is_some() {
        return link_warning(content, &path, Kind::LinkLoops);
    }
    if e.depth() > 0 && path.is_symlink() && !path.exists() {
        return link_warning(content, &path, Kind::LinkBroken);
    }
    let shown = match e.depth() {
        0 => PathBuf::from(super::CONTENT_DIR),
        _ => Path::new(super::CONTENT_DIR).join(path.strip_prefix(content).unwrap_or(&path)),
    };
    let detail = e
        .io_error()
        .map_or_else(|| e.to_string(), crate::diagnostics::io_reason);
    let kind = Kind::Io {
        action: IoAction::Read,
        detail,
    };
    Diagnostic::file(shown, kind)
}

/// Folders that hold an `index.md`, by their path relative to `content/`.
type Bundles = std::collections::HashSet<String, crate::fast_hash::FastBuild>;

/// The outermost bundle (a folder holding an `index.md`) that is `dir` or holds it: a bundle
/// owns everything below it, an `index.md` further down included (as Hugo's leaf bundles do).
/// Looked up folder by folder, so a site of thousands of bundles does not compare every file
/// with every bundle.
fn outermost_bundle<'b>(mut dir: &str, bundles: &'b Bundles) -> Option<&'b str> {
    let mut found = None;
    while !dir.is_empty() {
        if let Some(b) = bundles.get(dir) {
            found = Some(b.as_str());
        }
        dir = super::parent(dir);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignores_editor_leftovers() {
        for name in [
            ".DS_Store",
            "a.md~",
            ".a.md.swp",
            "4913",
            "___jb_tmp___",
            "#a.md#",
            ".#a.md",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        for name in ["a.md", "anh-1.jpg", "_index.md"] {
            assert!(!is_ignored_name(name), "{name}");
        }
    }

    #[test]
    fn files_go_to_pages_bundles_or_loose_assets() {
        let tmp = tempfile::tempdir().unwrap();
        for rel in [
            "tin-tuc/a/index.md",
            "tin-tuc/a/anh.jpg",
            "tin-tuc/a/khac.md",
            "tin-tuc/a/phu-luc/ghi-chu.md",
            "tin-tuc/a/con/index.md",
            "tin-tuc/a/con/so-do.png",
            "tin-tuc/a/xa/index.md",
            "tin-tuc/a/xa/ban-do.png",
            "tin-tuc/b.md",
            "tin-tuc/b-anh.png",
            "bieu-mau.pdf",
        ] {
            let path = tmp.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        let tree = walk(tmp.path());
        let rels = |found: &[Found]| found.iter().map(|f| f.rel.clone()).collect::<Vec<_>>();
        assert_eq!(
            rels(&tree.markdown),
            ["tin-tuc/a/index.md", "tin-tuc/a/khac.md", "tin-tuc/b.md"]
        );
        // A Markdown file below a bundle's own folder is its asset, even a nested `index.md`,
        // whatever the folder's name (the walk used to give `xa/` to a bundle of its own).
        assert_eq!(
            rels(&tree.bundle_assets["tin-tuc/a"]),
            [
                "anh.jpg",
                "con/index.md",
                "con/so-do.png",
                "phu-luc/ghi-chu.md",
                "xa/ban-do.png",
                "xa/index.md"
            ]
        );
        assert_eq!(tree.bundle_assets.len(), 1);
        assert_eq!(
            rels(&tree.loose_assets),
            ["bieu-mau.pdf", "tin-tuc/b-anh.png"]
        );
    }
}
