//! Watching the site's sources for `serve`: content, templates, themes, static files and
//! `config.yaml`. Reading a file is not a change (`Access` events: the build reads every source
//! and would otherwise rebuild forever); the output folder, dotfiles
//! and editor temp files are ignored. Events are gathered into bursts: an editor's save
//! (truncate and write, or write a temporary file and rename it over) is one change.
//!
//! The burst is found here, not by a debouncer crate: waiting on the channel with a timeout
//! costs nothing while the editor is idle (a debouncer polls every few milliseconds), and ends
//! the wait the moment the save has settled.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher as _};

use super::poll::{Hearing, Poller, SENTINEL};
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
    /// Photos made in the background are in the cache ([`photos_ready`]).
    Photos,
}

/// The event a background thread sends once the photos it made are in the cache.
pub fn photos_ready() -> Event {
    Event::new(EventKind::Other).set_info(PHOTOS_READY)
}

const PHOTOS_READY: &str = "cds: photos ready";

/// The event the sentinel sends when it takes over from a watcher that was silent.
pub fn fell_back() -> Event {
    Event::new(EventKind::Other).set_info(FELL_BACK)
}

const FELL_BACK: &str = "cds: polling from now on";

/// Whether a burst holds [`fell_back`]: serve then says it polls.
pub fn has_fallen_back(burst: &[Raw]) -> bool {
    burst
        .iter()
        .any(|raw| matches!(raw, Ok(e) if e.info() == Some(FELL_BACK)))
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

/// What the watcher sends: an event, or an error (then events may have been lost).
pub type Raw = notify::Result<Event>;

/// The relevant changes of one burst, deduplicated and sorted. An error, or an event asking
/// for a rescan (the system's queue overflowed), is a [`ChangeKind::Rescan`].
pub fn changes(root: &Path, burst: &[Raw]) -> BTreeSet<Change> {
    let mut changes = BTreeSet::new();
    for raw in burst {
        match raw {
            // The sentinel found what the system never told: anything may have changed.
            Ok(e) if e.need_rescan() || e.info() == Some(FELL_BACK) => {
                changes.insert(rescan());
            }
            Ok(e) if e.kind == EventKind::Other && e.info() == Some(PHOTOS_READY) => {
                changes.insert(Change {
                    kind: ChangeKind::Photos,
                    path: String::new(),
                    css: false,
                });
            }
            Ok(e) if matches!(e.kind, EventKind::Access(_)) => {}
            Ok(e) => changes.extend(e.paths.iter().filter_map(|p| classify(root, p))),
            Err(_) => {
                changes.insert(rescan());
            }
        }
    }
    changes
}

fn rescan() -> Change {
    Change {
        kind: ChangeKind::Rescan,
        path: String::new(),
        css: false,
    }
}

/// How long a burst of events (an editor's save) must stay quiet before it is acted on.
/// Short: it adds to the save-to-reload time of every edit. A save's events (truncate and
/// write, or write a temporary file and rename it) come within a millisecond.
const QUIET: Duration = Duration::from_millis(5);

/// Waits for the next burst: its first event, then every event until none has come for
/// [`QUIET`] (reads of files, which the build makes, do not count). `None` once the watcher
/// is gone.
pub fn next_burst(rx: &Receiver<Raw>) -> Option<Vec<Raw>> {
    let mut burst = vec![rx.recv().ok()?];
    let mut settles = Instant::now() + QUIET;
    loop {
        let wait = settles.saturating_duration_since(Instant::now());
        match rx.recv_timeout(wait) {
            Ok(raw) => {
                if !matches!(&raw, Ok(e) if matches!(e.kind, EventKind::Access(_))) {
                    settles = Instant::now() + QUIET;
                }
                burst.push(raw);
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => return Some(burst),
        }
    }
}

/// A running watcher, native (inotify, FSEvents, ReadDirectoryChangesW) or polling.
pub enum Watcher {
    /// The system's events, with a sentinel that polls until they are seen to come, and
    /// polls for good if a change it saw was never reported (a network drive, OneDrive).
    Native(RecommendedWatcher, Poller),
    Poll(Poller),
}

impl Watcher {
    /// Starts watching `root`: itself (for `config.yaml` and new source folders) and each
    /// existing source folder recursively. Events go to `tx`.
    pub fn start(root: &Path, poll: bool, tx: Sender<Raw>) -> notify::Result<Watcher> {
        if poll {
            return Ok(Watcher::Poll(Poller::start(root, tx)));
        }
        let heard = Arc::new(AtomicU64::new(0));
        let silenced = Arc::new(AtomicBool::new(false));
        let handler = {
            let (root, tx) = (root.to_path_buf(), tx.clone());
            let (heard, silenced) = (heard.clone(), silenced.clone());
            move |raw: Raw| {
                let source = |e: &Event| e.paths.iter().any(|p| classify(&root, p).is_some());
                if raw.as_ref().is_ok_and(source) {
                    heard.fetch_add(1, Ordering::Relaxed);
                }
                if !silenced.load(Ordering::Relaxed) {
                    let _ = tx.send(raw);
                }
            }
        };
        let native = notify::recommended_watcher(handler)?;
        let sentinel = Poller::sentinel(root, tx, Hearing { heard, silenced }, SENTINEL);
        let mut w = Watcher::Native(native, sentinel);
        w.watch(root, RecursiveMode::NonRecursive)?;
        for dir in SOURCE_DIRS {
            let path = root.join(dir);
            if path.is_dir() {
                w.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        Ok(w)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watcher::Native(w, _) => w.watch(path, mode),
            // Every walk looks at every source folder there is.
            Watcher::Poll(_) => Ok(()),
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
    fn a_watcher_that_reports_is_never_replaced_by_polling() {
        let tmp = tempfile::tempdir().unwrap();
        let root = absolute_root(tmp.path());
        std::fs::create_dir_all(root.join("content")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let _watcher = Watcher::start(&root, false, tx).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        let until = Instant::now() + super::super::poll::SENTINEL * 3;
        let mut burst = Vec::new();
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(raw) => burst.push(raw),
                Err(_) => break,
            }
        }
        assert!(!changes(&root, &burst).is_empty(), "the save is reported");
        assert!(!has_fallen_back(&burst), "the sentinel stays quiet");
    }

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
