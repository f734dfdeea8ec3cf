//! `cds publish`: the built site sent where the portal serves it, a folder (a mounted share, a
//! web root), an FTP server, or one zip. Only what changed is sent, and nothing is touched that
//! cds did not publish there.
//!
//! The place keeps a manifest of what cds published there (`.cds-publish.tsv`: path, size and
//! SHA-256 of each file). A publish compares the built site with it ([`plan`], pure): files
//! new or changed are written, each whole (a temporary name, then a rename), assets before the
//! pages that use them and the home page last; files of the manifest the site no longer has
//! are deleted at the very end, so a publish cut midway leaves the old site whole with some
//! new files in it. The manifest is rewritten as files land, so the next publish resumes where
//! one stopped. A file at a path cds would write that the manifest does not list is another
//! person's: the publish stops before writing anything, unless `--force`.

mod command;
pub mod folder;
pub mod ftp;
pub mod zip;

pub use command::{Failure, Outcome, Request, publish};

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

/// The manifest's name at the top of the place published to.
pub const MANIFEST: &str = ".cds-publish.tsv";

/// The journal beside it: a line per file landed since the manifest was last written whole,
/// appended as files land (a few bytes each, where rewriting the manifest would send all of
/// it again), so a publish cut anywhere resumes after the last file that landed.
pub const JOURNAL: &str = ".cds-publish.log";

/// Whether `name` (a path at the top of the place) is the manifest or its journal.
pub fn is_bookkeeping(name: &str) -> bool {
    name == MANIFEST || name == JOURNAL
}

/// Temporary files a publish writes beside the file they become carry this in their name.
pub const TEMP_MARK: &str = ".cds-tmp";

/// One published file: its size and the SHA-256 of its bytes, in hex.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub size: u64,
    pub sha256: String,
}

/// Path (with `/`, relative to the place) → entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Manifest {
    pub files: BTreeMap<String, Entry>,
}

const MANIFEST_HEAD: &str = crate::messages::publish::MANIFEST_HEAD;

impl Manifest {
    /// Reads a manifest; lines it cannot read, or paths that would leave the place, are left
    /// out (their files are then another person's: kept, never deleted).
    pub fn parse(text: &str) -> Manifest {
        let files = text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|line| {
                let mut parts = line.split('\t');
                let (path, size, sha256) = (parts.next()?, parts.next()?, parts.next()?);
                let ok = is_plain(path) && sha256.len() == 64 && parts.next().is_none();
                let entry = Entry {
                    size: size.parse().ok()?,
                    sha256: sha256.to_owned(),
                };
                ok.then(|| (path.to_owned(), entry))
            })
            .collect();
        Manifest { files }
    }

    pub fn text(&self) -> String {
        let mut out = String::with_capacity(self.files.len() * 100);
        out.push_str(MANIFEST_HEAD);
        out.push('\n');
        for (path, e) in &self.files {
            out.push_str(&line(path, e));
        }
        out
    }

    /// The manifest as the place holds it: the one written whole, then its journal's lines.
    pub fn read(place: &mut dyn Place) -> io::Result<Manifest> {
        let text = |bytes: Option<Vec<u8>>| {
            String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
        };
        let mut m = Manifest::parse(&text(place.read(MANIFEST)?));
        // A journal cut mid-line loses that line only.
        m.files
            .extend(Manifest::parse(&text(place.read(JOURNAL)?)).files);
        Ok(m)
    }
}

/// One line of a manifest or journal.
fn line(path: &str, e: &Entry) -> String {
    format!("{path}\t{}\t{}\n", e.size, e.sha256)
}

/// A relative path of plain names between `/` (no `..`, no drive, no `\`), as every place
/// takes it. A manifest is read from the place, so it is checked like any input.
pub fn is_plain(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains(['\\', ':', '\0', '\n', '\r', '\t'])
        && rel
            .split('/')
            .all(|p| !p.is_empty() && p != "." && p != "..")
}

/// The SHA-256 of `bytes`, in lower-case hex.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

/// The built site: every file of the output folder but the build's marker, with its entry.
pub fn read_built(dir: &Path) -> io::Result<Manifest> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        let name = rel.rsplit('/').next().unwrap_or(&rel);
        if rel == crate::protect::MARKER
            || !is_plain(&rel)
            || is_bookkeeping(name)
            || name.contains(TEMP_MARK)
        {
            continue;
        }
        let bytes = std::fs::read(entry.path())?;
        let e = Entry {
            size: bytes.len() as u64,
            sha256: sha256(&bytes),
        };
        files.insert(rel, e);
    }
    Ok(Manifest { files })
}

/// One file to send or delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub path: String,
    pub size: u64,
}

/// What a publish does, decided before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// New files, in the order they are written.
    pub add: Vec<Item>,
    /// Files whose bytes changed, in the order they are written.
    pub replace: Vec<Item>,
    /// Files cds published before that the site no longer has.
    pub delete: Vec<Item>,
    pub unchanged: usize,
    /// Paths cds would write where a file it did not publish already is.
    pub foreign: Vec<String>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.add.is_empty() && self.replace.is_empty() && self.delete.is_empty()
    }

    /// Every file to write, assets first, then pages, the home page last: a visitor never
    /// gets a page whose photo or stylesheet is not there yet.
    pub fn writes(&self) -> Vec<&Item> {
        let mut all: Vec<&Item> = self.add.iter().chain(&self.replace).collect();
        let rank = |p: &str| match p {
            "index.html" => 2,
            _ if p.ends_with(".html") => 1,
            _ => 0,
        };
        all.sort_by(|a, b| (rank(&a.path), &a.path).cmp(&(rank(&b.path), &b.path)));
        all
    }
}

/// Compares the built site with what the place holds: `published`, cds's manifest there, and
/// `present`, the files there with their sizes (for a place that cannot be listed cheaply,
/// the manifest's own, plus the top-level names it holds). `force` takes over foreign files.
pub fn plan(
    built: &Manifest,
    published: &Manifest,
    present: &BTreeMap<String, u64>,
    force: bool,
) -> Plan {
    let mut plan = Plan::default();
    for (path, e) in &built.files {
        let item = Item {
            path: path.clone(),
            size: e.size,
        };
        let there = present.get(path);
        match (published.files.get(path), there) {
            (Some(p), Some(&size)) if p == e && size == e.size => plan.unchanged += 1,
            (Some(_), Some(_)) => plan.replace.push(item),
            (Some(_), None) => plan.add.push(item),
            (None, Some(_)) if !force => plan.foreign.push(path.clone()),
            (None, Some(_)) => plan.replace.push(item),
            // A place listed by its top-level names only (FTP, first publish): a folder of
            // another person where the site would write is theirs too.
            (None, None) if !force && path.contains('/') && present.contains_key(top(path)) => {
                plan.foreign.push(path.clone())
            }
            (None, None) => plan.add.push(item),
        }
    }
    for (path, p) in &published.files {
        if !built.files.contains_key(path) && present.contains_key(path) {
            plan.delete.push(Item {
                path: path.clone(),
                size: p.size,
            });
        }
    }
    plan
}

/// The first name of a path: `tin-tuc` of `tin-tuc/a/index.html`.
pub(crate) fn top(path: &str) -> &str {
    path.split('/').next().unwrap_or(path)
}

/// Where a site is published to. Each call does one whole thing or fails.
pub trait Place {
    /// The place as a person reads it (a folder, `ftp://host/path`: never a password).
    fn name(&self) -> String;
    /// The bytes of `rel`; `None` if there is no such file.
    fn read(&mut self, rel: &str) -> io::Result<Option<Vec<u8>>>;
    /// The files there and their sizes, as far as `plan` needs them to tell cds's files from
    /// another person's: every path of `built` that is there under any spelling the place
    /// takes for it (case, NFC/NFD), and those of `manifest`.
    fn present(
        &mut self,
        manifest: &Manifest,
        built: &Manifest,
    ) -> io::Result<BTreeMap<String, u64>>;
    /// Writes `bytes` as `rel`, whole: a reader sees the old file or the new one.
    fn put(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Adds `bytes` at the end of `rel` (made if missing).
    fn append(&mut self, rel: &str, bytes: &[u8]) -> io::Result<()>;
    /// Deletes `rel`, and the folders it leaves empty.
    fn delete(&mut self, rel: &str) -> io::Result<()>;
}

/// How often the journal is sent while files land: after this long, or this many files.
const JOURNAL_EVERY: Duration = Duration::from_secs(2);
const JOURNAL_FILES: usize = 50;

/// What a publish did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Done {
    pub written: usize,
    pub deleted: usize,
    pub bytes_sent: u64,
    pub took: Duration,
}

/// Why a publish stopped; what had landed stays, and the manifest says so.
#[derive(Debug)]
pub struct Stopped {
    /// The file being sent or deleted, or the manifest.
    pub path: String,
    pub error: io::Error,
    pub done: Done,
}

/// Carries out `plan`, reading each file from `built_dir`: writes, each told in the journal;
/// deletes; then the manifest whole, and the journal goes.
pub fn run(
    built_dir: &Path,
    built: &Manifest,
    place: &mut dyn Place,
    mut published: Manifest,
    plan: &Plan,
) -> Result<Done, Stopped> {
    let started = Instant::now();
    let mut done = Done::default();
    let stop = |path: &str, error: io::Error, done: &Done| Stopped {
        path: path.to_owned(),
        error,
        done: done.clone(),
    };
    // Every file about to be written is claimed first (a hash no file has): if the publish
    // dies before its journal is sent, the next one sends the file again as cds's own,
    // never as another person's.
    let mut journal = Journal::default();
    for item in plan.writes() {
        if !published.files.contains_key(&item.path) {
            journal.claim(&item.path, item.size);
        }
    }
    journal.send(place).map_err(|e| stop(JOURNAL, e, &done))?;
    for item in plan.writes() {
        let bytes =
            std::fs::read(built_dir.join(&item.path)).map_err(|e| stop(&item.path, e, &done))?;
        if let Err(e) = place.put(&item.path, &bytes) {
            // What landed is told, if the place still listens, so the next publish resumes;
            // the file that failed is sent again whatever state it was left in.
            journal.claim(&item.path, item.size);
            let _ = journal.send(place);
            return Err(stop(&item.path, e, &done));
        }
        done.written += 1;
        done.bytes_sent += bytes.len() as u64;
        if let Some(e) = built.files.get(&item.path) {
            published.files.insert(item.path.clone(), e.clone());
            journal.note(&item.path, e);
        }
        if journal.due() {
            journal.send(place).map_err(|e| stop(JOURNAL, e, &done))?;
        }
    }
    journal.send(place).map_err(|e| stop(JOURNAL, e, &done))?;
    for item in &plan.delete {
        place
            .delete(&item.path)
            .map_err(|e| stop(&item.path, e, &done))?;
        published.files.remove(&item.path);
        done.deleted += 1;
    }
    // Files the manifest listed that another hand removed leave it too.
    published
        .files
        .retain(|path, _| built.files.contains_key(path));
    place
        .put(MANIFEST, published.text().as_bytes())
        .map_err(|e| stop(MANIFEST, e, &done))?;
    place.delete(JOURNAL).map_err(|e| stop(JOURNAL, e, &done))?;
    done.took = started.elapsed();
    Ok(done)
}

/// Lines of the journal not sent yet.
#[derive(Default)]
struct Journal {
    lines: String,
    count: usize,
    since: Option<Instant>,
}

/// The hash of a claimed file: no file has it, so the next publish always sends it again.
const CLAIMED: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Journal {
    /// A file cds is about to write: its own from now on, whatever lands.
    fn claim(&mut self, path: &str, size: u64) {
        let e = Entry {
            size,
            sha256: CLAIMED.to_owned(),
        };
        self.lines.push_str(&line(path, &e));
        self.count += 1;
    }

    fn note(&mut self, path: &str, e: &Entry) {
        self.lines.push_str(&line(path, e));
        self.count += 1;
        self.since.get_or_insert_with(Instant::now);
    }

    fn due(&self) -> bool {
        self.count >= JOURNAL_FILES || self.since.is_some_and(|t| t.elapsed() >= JOURNAL_EVERY)
    }

    fn send(&mut self, place: &mut dyn Place) -> io::Result<()> {
        if self.count > 0 {
            // A line break first: an append cut mid-line never glues two lines into one.
            let text = format!("\n{}", self.lines);
            place.append(JOURNAL, text.as_bytes())?;
        }
        *self = Journal::default();
        Ok(())
    }
}

/// What `cds publish` was asked to publish to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Folder(PathBuf),
    Ftp(ftp::Address),
    Zip(PathBuf),
}

impl Target {
    /// A folder, or an `ftp://`/`ftps://` address.
    pub fn parse(s: &str) -> Result<Target, ftp::BadAddress> {
        let lower = s.to_ascii_lowercase();
        if lower.starts_with("ftp://") || lower.starts_with("ftps://") {
            return ftp::Address::parse(s).map(Target::Ftp);
        }
        Ok(Target::Folder(PathBuf::from(s)))
    }
}

#[cfg(test)]
mod tests;
