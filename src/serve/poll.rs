//! Polling the sources, for folders whose changes the system does not report (network drives,
//! OneDrive, WSL's `/mnt/c`): `cds serve --poll` polls from the start; otherwise a sentinel
//! looks every few seconds beside the system's watcher until a change it sees has been
//! reported by it (then it stops), or until one never is (then the watcher is silenced and the
//! sentinel polls for good, and serve says so).
//!
//! A look walks the sources and compares each file's size and modification time, to the
//! nanosecond, with the last look. notify's own poller keeps modification times in whole
//! seconds (a second save within the same second went unseen), or else reads every file,
//! photos included, on every look.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::Sender;
use std::thread;
use std::time::{Duration, SystemTime};

use notify::{Event, EventKind};

use super::watch::{Raw, SOURCE_DIRS, fell_back};
use crate::content::is_ignored_name;

/// How often polling looks.
pub const POLL: Duration = Duration::from_millis(300);

/// How often the sentinel looks while it is not yet sure the system reports changes.
pub const SENTINEL: Duration = Duration::from_secs(2);

/// A polling thread, stopped when this is dropped.
pub struct Poller {
    stop: Arc<AtomicBool>,
}

/// What the system's watcher has reported, shared with the sentinel.
pub struct Hearing {
    /// Events about sources the system has sent so far.
    pub heard: Arc<AtomicU64>,
    /// Set once the sentinel takes over: the system's events are dropped from then on.
    pub silenced: Arc<AtomicBool>,
}

/// Each source file's size and modification time.
type Stamps = BTreeMap<PathBuf, (u64, Option<SystemTime>)>;

impl Poller {
    /// Polls from the start. Takes the first look before it returns: a change made
    /// afterwards is seen.
    pub fn start(root: &Path, tx: Sender<Raw>) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped) = (root.to_path_buf(), stop.clone());
        let last = look(&root);
        thread::spawn(move || poll(&root, last, &tx, &stopped));
        Poller { stop }
    }

    /// Looks every `every` beside a system watcher that reports to `hearing`.
    pub fn sentinel(root: &Path, tx: Sender<Raw>, hearing: Hearing, every: Duration) -> Poller {
        let stop = Arc::new(AtomicBool::new(false));
        let (root, stopped) = (root.to_path_buf(), stop.clone());
        let mut last = look(&root);
        thread::spawn(move || {
            let mut verdicts = Verdicts::default();
            while !stopped.load(Ordering::Relaxed) {
                thread::sleep(every);
                let now = look(&root);
                let changed = !changed(&last, &now).is_empty();
                last = now;
                match verdicts.after_look(changed, hearing.heard.load(Ordering::SeqCst)) {
                    Verdict::Unsure => {}
                    Verdict::Reported => return,
                    Verdict::Silent => {
                        hearing.silenced.store(true, Ordering::SeqCst);
                        if tx.send(Ok(fell_back())).is_ok() {
                            poll(&root, last, &tx, &stopped);
                        }
                        return;
                    }
                }
            }
        });
        Poller { stop }
    }
}

impl Drop for Poller {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Every [`POLL`], sends what changed since `last` as one event, until stopped or unheard.
fn poll(root: &Path, mut last: Stamps, tx: &Sender<Raw>, stop: &AtomicBool) {
    while !stop.load(Ordering::Relaxed) {
        thread::sleep(POLL);
        let now = look(root);
        let changed = changed(&last, &now);
        if !changed.is_empty() {
            let event = changed
                .into_iter()
                .fold(Event::new(EventKind::Any), |e, path| e.add_path(path));
            if tx.send(Ok(event)).is_err() {
                return;
            }
        }
        last = now;
    }
}

/// The files made, changed or gone between two looks.
fn changed(last: &Stamps, now: &Stamps) -> Vec<PathBuf> {
    let mut changed: Vec<PathBuf> = now
        .iter()
        .filter(|(path, stamp)| last.get(*path) != Some(stamp))
        .map(|(path, _)| path.clone())
        .collect();
    changed.extend(last.keys().filter(|path| !now.contains_key(*path)).cloned());
    changed
}

/// The stamps of `config.yaml` and of every file under the source folders, but editors'
/// temporary files (a swap file open for an hour is no change to the site).
fn look(root: &Path) -> Stamps {
    let config = root.join(crate::config::CONFIG_FILE);
    let files = SOURCE_DIRS
        .iter()
        .flat_map(|dir| {
            walkdir::WalkDir::new(root.join(dir))
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy())
                })
        })
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path());
    std::iter::once(config)
        .chain(files)
        .filter_map(|path| {
            let meta = std::fs::metadata(&path).ok()?;
            Some((path, (meta.len(), meta.modified().ok())))
        })
        .collect()
}

/// What the sentinel concludes after a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    /// No change seen yet, or one seen whose event may still be on its way.
    Unsure,
    /// The system reported a change the sentinel saw: its events come.
    Reported,
    /// A change was seen and, a whole look later, the system had still said nothing.
    Silent,
}

/// The sentinel's memory between looks: the count of events heard at the last look, and at
/// the look that saw a change nobody reported yet.
#[derive(Debug, Default)]
struct Verdicts {
    heard_before: u64,
    unreported: Option<u64>,
}

impl Verdicts {
    fn after_look(&mut self, changed: bool, heard: u64) -> Verdict {
        let before = std::mem::replace(&mut self.heard_before, heard);
        if let Some(at_change) = self.unreported {
            return match heard > at_change {
                true => Verdict::Reported,
                false => Verdict::Silent,
            };
        }
        match (changed, heard > before) {
            (false, _) => Verdict::Unsure,
            (true, true) => Verdict::Reported,
            (true, false) => {
                self.unreported = Some(heard);
                Verdict::Unsure
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc::channel;

    #[test]
    fn a_change_the_system_reported_ends_the_watch_of_the_sentinel() {
        let mut v = Verdicts::default();
        assert_eq!(v.after_look(false, 0), Verdict::Unsure);
        assert_eq!(v.after_look(false, 3), Verdict::Unsure);
        assert_eq!(v.after_look(true, 5), Verdict::Reported);
        // The event came after the look that saw the change.
        let mut v = Verdicts::default();
        assert_eq!(v.after_look(true, 0), Verdict::Unsure);
        assert_eq!(v.after_look(false, 1), Verdict::Reported);
    }

    #[test]
    fn a_change_never_reported_is_a_silent_system() {
        let mut v = Verdicts::default();
        assert_eq!(v.after_look(false, 2), Verdict::Unsure);
        assert_eq!(v.after_look(true, 2), Verdict::Unsure);
        assert_eq!(v.after_look(false, 2), Verdict::Silent);
    }

    #[test]
    fn the_sentinel_takes_over_from_a_silent_watcher_and_polls() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content")).unwrap();
        std::fs::write(root.join("content/a.md"), "a").unwrap();
        let (tx, rx) = channel();
        let hearing = Hearing {
            heard: Arc::new(AtomicU64::new(0)),
            silenced: Arc::new(AtomicBool::new(false)),
        };
        let silenced = hearing.silenced.clone();
        let _sentinel = Poller::sentinel(root, tx, hearing, Duration::from_millis(20));
        std::fs::write(root.join("content/.a.md.swp"), "ignored").unwrap();
        std::fs::write(root.join("content/a.md"), "ab").unwrap();
        let first = rx.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
        assert_eq!(first.info(), fell_back().info());
        assert!(silenced.load(Ordering::SeqCst));
        // From now on it polls: a later save is sent with its path.
        std::fs::write(root.join("content/b.md"), "b").unwrap();
        let next = rx.recv_timeout(Duration::from_secs(10)).unwrap().unwrap();
        assert_eq!(next.paths, vec![root.join("content/b.md")]);
    }

    #[test]
    fn editors_temporary_files_are_not_looked_at() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("content/.git")).unwrap();
        for f in [
            "content/a.md",
            "content/.a.md.swp",
            "content/4913",
            "content/.git/x",
        ] {
            std::fs::write(root.join(f), "x").unwrap();
        }
        let seen: Vec<PathBuf> = look(root).into_keys().collect();
        assert_eq!(seen, vec![root.join("content/a.md")]);
    }
}
