//! What cds may write over. Two promises live here, so that every command keeps them the same
//! way: the site's sources (`config.yaml`, `content/`, `themes/`, `templates/`, `static/`) are
//! never an output, and an output folder is replaced only when cds made it (a marker file
//! inside), when it is empty or missing, or when the user said `--force`.
//!
//! Pure checks over the file system's current state; the writing itself is `output`'s job.

use std::fs;
use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Kind, display_path};

/// The file every build puts into its output folder: the proof that the folder is cds's to
/// replace. Its text tells a person who opens it what it is.
pub const MARKER: &str = ".cds-build";

/// The start of the text of [`MARKER`]; the paths of the files of the build follow, one a
/// line, after a blank line.
pub const MARKER_TEXT: &str = "Thư mục này do `cds build` tạo ra. Mỗi lần dựng, cds thay toàn bộ \
thư mục; đừng đặt tệp của bạn ở đây: tệp cần đăng kèm thì đặt trong `static/`.\n\
Dưới đây là các tệp cds đã ghi; lần dựng sau chỉ thay thư mục khi không có tệp nào khác.\n";

/// The marker of a build that wrote `paths`.
pub fn marker_text(mut paths: Vec<String>) -> String {
    paths.sort_unstable();
    let mut text = String::with_capacity(MARKER_TEXT.len() + 1 + paths.len() * 40);
    text.push_str(MARKER_TEXT);
    text.push('\n');
    for p in paths {
        text.push_str(&p);
        text.push('\n');
    }
    text
}

/// The files in `output` (a folder cds made) that its marker does not list: put there by
/// someone since. A marker without a list (an older cds) lists nothing, and vouches for
/// everything.
fn foreign_files(output: &Path) -> Vec<String> {
    let Ok(marker) = fs::read_to_string(output.join(MARKER)) else {
        return Vec::new();
    };
    let Some((_, list)) = marker.split_once("\n\n") else {
        return Vec::new();
    };
    let listed: std::collections::HashSet<&str> = list.lines().collect();
    // The folder itself may be a link (to a web root).
    let root = fs::canonicalize(output).unwrap_or_else(|_| output.to_path_buf());
    let mut foreign: Vec<String> = walkdir::WalkDir::new(&root)
        .min_depth(1)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .filter_map(|e| {
            let rel = e.path().strip_prefix(&root).ok()?;
            let rel = rel.to_string_lossy().replace('\\', "/");
            (rel != MARKER && !listed.contains(rel.as_str())).then_some(rel)
        })
        .collect();
    foreign.sort();
    foreign
}

/// The folders of a site root that hold its sources.
const SOURCE_DIRS: [&str; 4] = ["content", "themes", "templates", "static"];

/// How many of a foreign folder's entries the refusal names.
const SAMPLE: usize = 3;

/// Refuses an output folder that is not cds's to replace: one holding the site's sources (the
/// root itself, one of its parents, or anything inside a source folder), a file, or a folder
/// with other things in it and no marker (unless `force`).
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> Result<(), Diagnostic> {
    let shown = display_path(output);
    let (root_abs, out) = (normalize(root), normalize(output));
    if root_abs.starts_with(&out) || is_source(root, output) {
        return Err(usage(output, Kind::OutputIsSource { path: shown }));
    }
    let Ok(meta) = fs::metadata(output) else {
        return Ok(());
    };
    if !meta.is_dir() {
        return Err(usage(output, Kind::OutputIsFile { path: shown }));
    }
    if force {
        return Ok(());
    }
    if output.join(MARKER).is_file() {
        let mut foreign = foreign_files(output);
        if foreign.is_empty() {
            return Ok(());
        }
        let entries = foreign.len();
        foreign.truncate(SAMPLE);
        let kind = Kind::OutputHasForeignFiles {
            path: shown,
            entries,
            sample: foreign,
        };
        return Err(usage(output, kind));
    }
    let mut names: Vec<String> = match fs::read_dir(output) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => return Ok(()),
    };
    if names.is_empty() {
        return Ok(());
    }
    let entries = names.len();
    names.sort();
    names.truncate(SAMPLE);
    Err(usage(
        output,
        Kind::OutputNotOurs {
            path: shown,
            entries,
            sample: names,
        },
    ))
}

/// Refuses a report file that would land in the site's sources, or replace a file that is not
/// an earlier report (unless `force`). `looks_like_report` tells an earlier report by its start.
pub fn check_report_path(
    root: &Path,
    path: &Path,
    force: bool,
    looks_like_report: impl Fn(&[u8]) -> bool,
) -> Result<(), Diagnostic> {
    let shown = display_path(path);
    if is_source(root, path) {
        return Err(usage(path, Kind::ReportIntoSources { path: shown }));
    }
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    if meta.is_dir() {
        return Err(usage(path, Kind::OutputIsFolder { path: shown }));
    }
    // Renaming over a link would replace the link, which cds did not make.
    if meta.file_type().is_symlink() {
        return Err(usage(path, Kind::ReportOverwrite { path: shown }));
    }
    let ours = fs::read(path)
        .map(|b| looks_like_report(&b))
        .unwrap_or(false);
    if !force && !ours {
        return Err(usage(path, Kind::ReportOverwrite { path: shown }));
    }
    Ok(())
}

/// Whether `path` is the site's `config.yaml` or lies in one of its source folders.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let (root, path) = (normalize(root), normalize(path));
    path == root.join(crate::config::CONFIG_FILE)
        || SOURCE_DIRS.iter().any(|d| path.starts_with(root.join(d)))
}

fn usage(path: &Path, kind: Kind) -> Diagnostic {
    Diagnostic::file(path, kind)
}

/// An absolute path with `.` and `..` resolved lexically, and symlinks resolved where the path
/// (or, for a path not made yet, its parent) exists: `-o ..` is the parent of the root.
pub fn normalize(p: &Path) -> PathBuf {
    if let Ok(real) = p.canonicalize() {
        return real;
    }
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    match (
        out.parent().and_then(|p| p.canonicalize().ok()),
        out.file_name(),
    ) {
        (Some(parent), Some(name)) => parent.join(name),
        _ => out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().unwrap();
        for d in [
            "content/tin-tuc",
            "themes",
            "static",
            ".git/objects",
            "tai-lieu",
        ] {
            fs::create_dir_all(tmp.path().join(d)).unwrap();
        }
        fs::write(tmp.path().join("config.yaml"), "title: A\n").unwrap();
        fs::write(tmp.path().join("tai-lieu/hop-dong.docx"), "x").unwrap();
        tmp
    }

    fn refusal(root: &Path, out: &str, force: bool) -> Option<Kind> {
        check_output_dir(root, &root.join(out), force)
            .err()
            .map(|d| d.kind)
    }

    #[test]
    fn output_refuses_sources_files_and_folders_cds_did_not_make() {
        let tmp = site();
        let root = tmp.path();
        for out in [
            ".",
            "..",
            "content",
            "content/tin-tuc",
            "static/x",
            "themes",
        ] {
            assert!(
                matches!(refusal(root, out, true), Some(Kind::OutputIsSource { .. })),
                "{out}"
            );
        }
        assert!(matches!(
            refusal(root, "config.yaml", true),
            Some(Kind::OutputIsSource { .. })
        ));
        fs::write(root.join("ghi-chu.txt"), "x").unwrap();
        assert!(matches!(
            refusal(root, "ghi-chu.txt", true),
            Some(Kind::OutputIsFile { .. })
        ));
        match refusal(root, "tai-lieu", false) {
            Some(Kind::OutputNotOurs {
                entries, sample, ..
            }) => {
                assert_eq!((entries, sample), (1, vec!["hop-dong.docx".to_owned()]));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            refusal(root, ".git", false),
            Some(Kind::OutputNotOurs { .. })
        ));
        assert_eq!(refusal(root, "tai-lieu", true), None);
    }

    #[test]
    fn output_may_be_missing_empty_or_made_by_cds() {
        let tmp = site();
        let root = tmp.path();
        assert_eq!(refusal(root, "public", false), None);
        fs::create_dir(root.join("trong")).unwrap();
        assert_eq!(refusal(root, "trong", false), None);
        fs::create_dir(root.join("cu")).unwrap();
        fs::write(root.join("cu/index.html"), "x").unwrap();
        fs::write(root.join("cu").join(MARKER), MARKER_TEXT).unwrap();
        assert_eq!(refusal(root, "cu", false), None, "a marker without a list");
        let listed = marker_text(vec!["index.html".into()]);
        fs::write(root.join("cu").join(MARKER), &listed).unwrap();
        assert_eq!(refusal(root, "cu", false), None, "every file listed");
        fs::create_dir(root.join("cu/tai-lieu")).unwrap();
        fs::write(root.join("cu/tai-lieu/xac-minh.html"), "x").unwrap();
        match refusal(root, "cu", false) {
            Some(Kind::OutputHasForeignFiles { sample, .. }) => {
                assert_eq!(sample, ["tai-lieu/xac-minh.html"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(refusal(root, "cu", true), None);
    }

    #[test]
    fn report_never_lands_in_sources_nor_over_other_files() {
        let tmp = site();
        let root = tmp.path();
        let is_report = |b: &[u8]| b.starts_with(b"# Report");
        let check = |rel: &str, force| {
            check_report_path(root, &root.join(rel), force, is_report)
                .err()
                .map(|d| d.kind)
        };
        fs::write(root.join("content/tin-tuc/bai.md"), "---\n").unwrap();
        assert!(matches!(
            check("content/tin-tuc/bai.md", true),
            Some(Kind::ReportIntoSources { .. })
        ));
        assert!(matches!(
            check("config.yaml", true),
            Some(Kind::ReportIntoSources { .. })
        ));
        assert!(matches!(
            check("tai-lieu/hop-dong.docx", false),
            Some(Kind::ReportOverwrite { .. })
        ));
        assert_eq!(check("tai-lieu/hop-dong.docx", true), None);
        fs::write(root.join("bao-cao.md"), "# Report of Q1").unwrap();
        assert_eq!(check("bao-cao.md", false), None);
        assert_eq!(check("moi.md", false), None);
        assert!(matches!(
            check("tai-lieu", true),
            Some(Kind::OutputIsFolder { .. })
        ));
    }
}
