//! Watching the site's sources for `serve`: content, templates, themes, static files and
//! `config.yaml`. Reading a file is not a change (`Access` events: the build reads every source
//! and would otherwise rebuild forever, reference/crates.md §1.5); the output folder, dotfiles
//! and editor temp files are ignored; an editor's atomic save (write a temp file, rename it
//! over) arrives as one change thanks to notify-debouncer-full.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

use notify::{EventKind, PollWatcher, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, NoCache, RecommendedCache, new_debouncer, new_debouncer_opt,
};

use crate::content::is_ignored_name;

/// Folders under the root that hold sources.
pub const SOURCE_DIRS: &[&str] = &["content", "templates", "themes", "static"];

/// What kind of source changed; decides how much to rebuild.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChangeKind {
    Content,
    Template,
    Static,
    Config,
    /// The watcher lost events (its queue overflowed, or the system asked for a rescan):
    /// anything under the root may have changed.
    Rescan,
}

/// One relevant change: its kind and path relative to the root.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Change {
    pub kind: ChangeKind,
    pub path: String,
    /// A stylesheet: the browser can swap it without reloading the page.
    pub css: bool,
}

/// Classifies an absolute path; `None` for anything that is not a source.
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.iter().any(|p| is_ignored_name(p)) {
        return None;
    }
    let kind = match parts.first()?.as_str() {
        "content" => ChangeKind::Content,
        "templates" => ChangeKind::Template,
        "static" => ChangeKind::Static,
        "themes" if parts.get(2).is_some_and(|p| p == "static") => ChangeKind::Static,
        "themes" => ChangeKind::Template,
        crate::config::CONFIG_FILE if parts.len() == 1 => ChangeKind::Config,
        _ => return None,
    };
    let path = parts.join("/");
    let css = kind == ChangeKind::Static && path.ends_with(".css");
    Some(Change { kind, path, css })
}

/// The relevant changes of one debounced batch, deduplicated and sorted.
pub fn changes(root: &Path, result: DebounceEventResult) -> BTreeSet<Change> {
    let rescan = Change {
        kind: ChangeKind::Rescan,
        path: String::new(),
        css: false,
    };
    let Ok(events) = result else {
        return BTreeSet::from([rescan]);
    };
    let mut changes: BTreeSet<Change> = events
        .iter()
        .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
        .flat_map(|e| e.event.paths.iter())
        .filter_map(|p| classify(root, p))
        .collect();
    if events.iter().any(|e| e.event.need_rescan()) {
        changes.insert(rescan);
    }
    changes
}

/// A running watcher, native (inotify, FSEvents, ReadDirectoryChangesW) or polling.
pub enum Watcher {
    Native(Debouncer<RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<PollWatcher, NoCache>),
}

/// How long the debouncer waits for a burst of events (an editor's save) to settle. Short:
/// it is most of the save-to-reload time of an edit of an article's text. A save's events
/// (truncate and write, or write a temporary file and rename it) come within a millisecond.
const DEBOUNCE: Duration = Duration::from_millis(6);
/// How often the debouncer looks for settled events (it polls, even when idle).
const TICK: Duration = Duration::from_millis(2);

impl Watcher {
    /// Starts watching `root`: itself (for `config.yaml` and new source folders) and each
    /// existing source folder recursively. Events go to `tx`.
    pub fn start(
        root: &Path,
        poll: bool,
        tx: Sender<DebounceEventResult>,
    ) -> notify::Result<Watcher> {
        let mut w = if poll {
            let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
            Watcher::Poll(new_debouncer_opt::<_, PollWatcher, NoCache>(
                DEBOUNCE,
                Some(TICK),
                tx,
                NoCache,
                config,
            )?)
        } else {
            Watcher::Native(new_debouncer(DEBOUNCE, Some(TICK), tx)?)
        };
        w.watch(root, RecursiveMode::NonRecursive)?;
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                w.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(w)
    }

    pub fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(d) => d.watch(path, mode),
            Watcher::Poll(d) => d.watch(path, mode),
        }
    }

    /// Watches source folders created after start (a first `templates/` override).
    pub fn follow_new_dirs(&mut self, root: &Path, changes: &BTreeSet<Change>) {
        for c in changes {
            if !c.path.contains('/') && SOURCE_DIRS.contains(&c.path.as_str()) {
                let _ = self.watch(&root.join(&c.path), RecursiveMode::Recursive);
            }
        }
    }
}

/// Absolute, so event paths (always absolute) can be compared with it.
pub fn absolute_root(root: &Path) -> PathBuf {
    root.canonicalize().unwrap_or_else(|_| root.to_path_buf())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_sources_and_ignores_the_rest() {
        let root = Path::new("/site");
        let kind = |p: &str| classify(root, Path::new(p)).map(|c| c.kind);
        assert_eq!(
            kind("/site/content/tin-tuc/a.md"),
            Some(ChangeKind::Content)
        );
        assert_eq!(
            kind("/site/templates/page.html"),
            Some(ChangeKind::Template)
        );
        assert_eq!(
            kind("/site/themes/daihai/templates/base.html"),
            Some(ChangeKind::Template)
        );
        assert_eq!(
            kind("/site/themes/daihai/static/css/site.css"),
            Some(ChangeKind::Static)
        );
        assert_eq!(kind("/site/config.yaml"), Some(ChangeKind::Config));
        for ignored in [
            "/site/public/index.html",
            "/site/target/debug/cds",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/4913",
            "/site/content/___jb_tmp___",
            "/site/.git/index",
            "/elsewhere/content/a.md",
            "/site/content/.#a.md",
        ] {
            assert_eq!(kind(ignored), None, "{ignored}");
        }
        assert!(
            classify(root, Path::new("/site/static/css/x.css"))
                .unwrap()
                .css
        );
    }
}
