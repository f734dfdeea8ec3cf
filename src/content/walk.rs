//! Walking `content/`: which files are pages, which are bundle assets, which to ignore.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, IoAction, Kind};

/// A file found: its path relative to `content/` with `/` separators in NFC (what links and
/// URLs use), and its real path on disk (which may be decomposed, as macOS writes names).
#[derive(Debug, Clone)]
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

pub fn walk(content: &Path) -> Tree {
    let mut tree = Tree::default();
    let mut files: Vec<Found> = Vec::new();
    let walker = WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
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
            Err(e) if e.depth() == 0 => {
                let detail = e.to_string();
                tree.diagnostics.push(Diagnostic::file(
                    PathBuf::from(super::CONTENT_DIR),
                    Kind::Io {
                        action: IoAction::Read,
                        detail,
                    },
                ));
            }
            Err(e) => {
                let path = e.path().map(Path::to_path_buf).unwrap_or_default();
                let rel = path.strip_prefix(content).unwrap_or(&path).to_path_buf();
                tree.diagnostics.push(Diagnostic::file(
                    Path::new(super::CONTENT_DIR).join(rel),
                    Kind::Io {
                        action: IoAction::Read,
                        detail: e.to_string(),
                    },
                ));
            }
        }
    }
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    let bundles: Vec<String> = files
        .iter()
        .filter(|f| super::file_name(&f.rel) == "index.md")
        .map(|f| super::parent(&f.rel).to_owned())
        .filter(|d| !d.is_empty())
        .collect();
    for f in files {
        if f.rel.ends_with(".md") && !is_inside_bundle_subfolder(&f.rel, &bundles) {
            tree.markdown.push(f);
            continue;
        }
        match bundles
            .iter()
            .rev()
            .find(|b| f.rel.starts_with(&format!("{b}/")))
        {
            Some(b) => {
                let inner = Found {
                    rel: f.rel[b.len() + 1..].to_owned(),
                    disk: f.disk,
                };
                tree.bundle_assets.entry(b.clone()).or_default().push(inner);
            }
            None => tree.loose_assets.push(f),
        }
    }
    tree
}

/// Markdown files in a bundle's sub-folders are assets of the bundle, not pages.
fn is_inside_bundle_subfolder(f: &str, bundles: &[String]) -> bool {
    bundles.iter().any(|b| {
        f.strip_prefix(b.as_str())
            .and_then(|r| r.strip_prefix('/'))
            .is_some_and(|inner| inner.contains('/'))
    })
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
}
