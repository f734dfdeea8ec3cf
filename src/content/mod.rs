//! Loading `content/`: walk the folder, read every file, split and type its front matter.
//!
//! The first stage of load → site → render → output, and the only one that reads content
//! files. Files are read and parsed in parallel; every problem in every file is collected so
//! that one build reports them all. Deciding what a page *means* (URLs, publishing, the
//! document chain) is left to `site`.

pub mod doc_number;
pub mod front_matter;
mod image_size;
pub mod schema;
mod walk;
pub use image_size::image_size;
pub use walk::{Found, is_ignored_name};

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, IoAction, Kind};
use crate::fast_hash::FastMap;
use crate::memo::{Hashed, Memo, Text};
pub use doc_number::DocNumber;
pub use front_matter::{
    DocumentMeta, LEVELS, Language, Located, PageKind, PageMeta, SectionMeta, SortBy,
};

/// Name of the content folder under the site root.
pub const CONTENT_DIR: &str = "content";

/// A loaded page, not yet placed in the site graph.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the site root (`content/tin-tuc/a.md`), for diagnostics.
    pub file: PathBuf,
    /// Path relative to `content/` with `/` separators (`tin-tuc/a.md`), as `@/` links name it.
    pub source: String,
    /// Folder of the owning section relative to `content/` (`tin-tuc`, `` for the root).
    pub section: String,
    /// Folder the page's file name lives in, relative to `content/` (for a bundle: the bundle's parent).
    pub dir: String,
    /// The page's own name: its file stem, or a bundle's folder name.
    pub stem: String,
    pub kind: PageKind,
    /// The front matter, typed; hashes as its digest, made once per parse, since every
    /// stage's input in `serve` holds it.
    pub meta: Hashed<PageMeta>,
    /// The whole file text (NFC, `\n` line ends), shared with diagnostics.
    pub text: Text,
    pub body_offset: usize,
    pub body_line: usize,
    /// Files beside a bundle's `index.md` (`rel` relative to the bundle folder).
    pub assets: Vec<Found>,
    /// Pixel size of `image` when it is one of the bundle's files.
    pub image_size: Option<(u32, u32)>,
    /// The last part of its URL: from `slug:`, a document's number, or the file name. Empty
    /// when that has no letters or digits (the site graph reports it).
    pub slug: String,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// A loaded section (`_index.md`).
#[derive(Debug, Clone)]
pub struct Section {
    pub file: PathBuf,
    /// Folder relative to `content/` (`tin-tuc`, `` for the home page).
    pub dir: String,
    pub meta: SectionMeta,
    pub text: Text,
    pub body_offset: usize,
    pub body_line: usize,
}

impl Section {
    pub fn body(&self) -> &str {
        &self.text[self.body_offset..]
    }
}

/// Everything `load` found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sections: Vec<Section>,
    pub pages: Vec<Arc<Page>>,
    /// Files under `content/` that are neither Markdown nor in a bundle, copied as they are.
    pub loose_assets: Vec<Found>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads and parses `root/content`. Never fails as a whole: problems are in `diagnostics`.
pub fn load(root: &Path, config: &Config) -> Loaded {
    let mut sources = Sources::default();
    let _ = sources.read(root);
    parse(&sources, config, &Memos::new(false))
}

/// The content folder as last read: the walk, and each Markdown file's text with the stamp
/// (size, modification time) it was read at. The read end of the pipeline: [`Sources::read`]
/// is the only function here that touches the disk, and reads a file again only when its
/// stamp changed or the watcher named it.
#[derive(Default)]
pub struct Sources {
    tree: walk::Tree,
    texts: FastMap<String, SourceFile>,
    /// The stamp of each bundle file, taken with the walk: a replaced photo has another size.
    asset_stamps: FastMap<PathBuf, Stamp>,
    /// Whether the next read may take the last walk as it is ([`Sources::trust_walk`]):
    /// `None` until told, and again after each read.
    trust: Option<bool>,
}

/// A file's text, shared by every page parsed from it, or why it could not be read.
struct SourceFile {
    stamp: Stamp,
    text: Result<Text, Diagnostic>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    /// The stamp of a file with metadata `meta`; a file without is stamped as empty.
    fn of(meta: Option<std::fs::Metadata>) -> Stamp {
        Stamp {
            len: meta.as_ref().map_or(0, |m| m.len()),
            modified: meta.and_then(|m| m.modified().ok()),
        }
    }
}

fn stamp(disk: &Path) -> Stamp {
    Stamp::of(std::fs::metadata(disk).ok())
}

impl Sources {
    /// Lets the next read take the last walk as it is, and read only the files named in
    /// `changed` (relative to `content/`), when the file watcher vouches that these are all
    /// that changed and each is a Markdown file of that walk still on disk: no file came,
    /// went or moved. The read then neither walks `content/` nor stats its Markdown files
    /// (10,000 of them: a third of a `serve` rebuild). Anything else walks again. Batches
    /// told before one read all have to agree (a build may fail before it reads).
    pub fn trust_walk(&mut self, content: &Path, changed: &[String]) {
        let tree = &self.tree;
        let known = changed.iter().all(|rel| {
            tree.markdown
                .binary_search_by(|f| f.rel.as_str().cmp(rel))
                .is_ok_and(|i| tree.markdown[i].disk.is_file())
        }) && content.is_dir()
            && !self.texts.is_empty();
        self.trust = Some(self.trust.unwrap_or(true) && known);
    }

    /// The next read walks `content/` and looks at every file again (the watcher lost track).
    pub fn distrust_walk(&mut self) {
        self.trust = Some(false);
    }

    /// Drops what is known of these files (paths relative to `content/`), whatever their
    /// stamp: the next read reads them again.
    pub fn forget<'a>(&mut self, rels: impl IntoIterator<Item = &'a str>) {
        for rel in rels {
            self.texts.remove(rel);
        }
    }

    /// Puts `text` in place of the file `rel`'s (the editor's unsaved text), until the next
    /// read: its stamp matches no file, so that read takes the file from disk again. Whether
    /// `rel` is a file of the last read.
    pub fn overlay(&mut self, rel: &str, text: &str) -> bool {
        let Some(file) = self.texts.get_mut(rel) else {
            return false;
        };
        file.stamp = Stamp {
            len: u64::MAX,
            modified: None,
        };
        file.text = Ok(Text::new(Arc::from(normalize_text(text).as_ref())));
        true
    }

    /// Walks `root/content` (unless the walk is trusted) and reads the files that are new or
    /// whose stamp changed; forgets files that are gone. Whether the walk was trusted: the
    /// same files as last time, only some of them edited.
    pub fn read(&mut self, root: &Path) -> bool {
        let trusted = self.trust.take().unwrap_or(false);
        if !trusted {
            self.tree = walk::walk(&root.join(CONTENT_DIR));
            let present: HashSet<&str> =
                self.tree.markdown.iter().map(|f| f.rel.as_str()).collect();
            self.texts.retain(|rel, _| present.contains(rel.as_str()));
            self.asset_stamps = (self.tree.bundle_assets.values().flatten())
                .map(|a| (a.disk.clone(), stamp(&a.disk)))
                .collect();
        }
        // A file already read is read again only if its stamp changed; any other file is read
        // at once, its stamp taken from the open file (one `stat` less for each file).
        let texts = &self.texts;
        let stale: Vec<&Found> = (self.tree.markdown.par_iter())
            .filter(|f| match texts.get(&f.rel) {
                Some(t) => !trusted && t.stamp != stamp(&f.disk),
                None => true,
            })
            .collect();
        let fresh: Vec<(String, SourceFile)> = stale
            .into_par_iter()
            .map(|f| {
                let (text, stamp) = read_text(&f.disk, &f.rel);
                let text = text.map(Text::new);
                (f.rel.clone(), SourceFile { stamp, text })
            })
            .collect();
        self.texts.extend(fresh);
        trusted
    }
}

/// The memos of the content stage: a page or section file is parsed again only when its text
/// or its place in the site (section kind, bundle files, categories) changed.
pub struct Memos {
    pages: Memo<Parsed>,
    sections: Memo<Result<Section, Vec<Diagnostic>>>,
}

impl Memos {
    pub fn new(on: bool) -> Memos {
        Memos {
            pages: Memo::new(on),
            sections: Memo::new(on),
        }
    }

    /// Keeps what the last parse used.
    pub fn settle(&mut self) {
        self.pages.settle();
        self.sections.settle();
    }
}

/// A page file parsed, or what is wrong with it.
type Parsed = Result<Arc<Page>, Vec<Diagnostic>>;

/// Everything a page's parse reads.
#[derive(Hash)]
struct PageInput<'a> {
    rel: &'a str,
    text: &'a Text,
    placement: Placement<'a>,
    /// A bundle's files, with their stamps.
    assets: Vec<(&'a Found, Stamp)>,
    /// `categories:` of the configuration, hashed once for every page.
    categories: &'a Hashed<&'a [String]>,
}

/// Everything a section's parse reads.
#[derive(Hash)]
struct SectionInput<'a> {
    rel: &'a str,
    text: &'a Text,
}

/// Splits and types every file of `sources`: sections first (a page's kind comes from its
/// nearest section), then pages in parallel. Results keep the walk's order (by path).
pub fn parse(sources: &Sources, config: &Config, memos: &Memos) -> Loaded {
    let tree = &sources.tree;
    let mut loaded = Loaded {
        diagnostics: tree.diagnostics.clone(),
        loose_assets: tree.loose_assets.clone(),
        ..Loaded::default()
    };
    check_ambiguous_index(tree, &mut loaded.diagnostics);
    // `None`: the section's `_index.md` is broken, so its kind is unknown.
    let mut section_kinds: BTreeMap<String, Option<PageKind>> = BTreeMap::new();
    let mut pages = Vec::new();
    for f in &tree.markdown {
        let Some(SourceFile { text, .. }) = sources.texts.get(&f.rel) else {
            continue;
        };
        let text = match text {
            Ok(t) => t,
            Err(d) => {
                loaded.diagnostics.push(d.clone());
                continue;
            }
        };
        if file_name(&f.rel) != "_index.md" {
            pages.push((f.rel.as_str(), text));
            continue;
        }
        let dir = parent(&f.rel).to_owned();
        let input = SectionInput { rel: &f.rel, text };
        let parsed = memos.sections.run(&input, |i| {
            parse_section_file(i.rel, i.text.clone(), parent(i.rel))
        });
        match parsed {
            Ok(section) => {
                section_kinds.insert(dir, Some(section.meta.kind));
                loaded.sections.push(section);
            }
            Err(diags) => {
                section_kinds.insert(dir, None);
                loaded.diagnostics.extend(diags);
            }
        }
    }
    let categories = Hashed::new(config.categories.as_slice());
    let parsed: Vec<Parsed> = pages
        .par_iter()
        .map(|&(rel, text)| {
            let input = page_input(sources, rel, text, &section_kinds, &categories);
            memos.pages.run(&input, parse_page_input)
        })
        .collect();
    for p in parsed {
        match p {
            Ok(page) => loaded.pages.push(page),
            Err(diags) => loaded.diagnostics.extend(diags),
        }
    }
    loaded
}

fn page_input<'a>(
    sources: &'a Sources,
    rel: &'a str,
    text: &'a Text,
    section_kinds: &'a BTreeMap<String, Option<PageKind>>,
    categories: &'a Hashed<&'a [String]>,
) -> PageInput<'a> {
    // Only the bundle's own `index.md` owns the files beside it.
    let assets: &[Found] = match file_name(rel) {
        "index.md" => (sources.tree.bundle_assets.get(parent(rel))).map_or(&[], Vec::as_slice),
        _ => &[],
    };
    let stamped = |a: &'a Found| {
        let s = sources.asset_stamps.get(&a.disk).copied();
        (a, s.unwrap_or_else(|| Stamp::of(None)))
    };
    PageInput {
        rel,
        text,
        placement: place_page(rel, section_kinds),
        assets: assets.iter().map(stamped).collect(),
        categories,
    }
}

fn parse_page_input(input: &PageInput) -> Parsed {
    let assets = input.assets.iter().map(|(a, _)| (*a).clone()).collect();
    let text = input.text.clone();
    parse_page_file(input.rel, text, input.placement, input.categories, assets).map(Arc::new)
}

/// The pages and sections of in-memory files (`rel` under `content/` → text), placed and
/// parsed as `load` does, without bundle files: for unit tests of the stages after loading.
#[cfg(test)]
pub(crate) fn from_texts(files: &[(&str, &str)], config: &Config) -> Loaded {
    let mut sources = Sources::default();
    for (rel, text) in files {
        let found = Found {
            rel: (*rel).to_owned(),
            disk: PathBuf::from(rel),
        };
        sources.tree.markdown.push(found);
        let text = Ok(Text::from(*text));
        let stamp = Stamp::of(None);
        sources
            .texts
            .insert((*rel).to_owned(), SourceFile { stamp, text });
    }
    sources.tree.markdown.sort_by(|a, b| a.rel.cmp(&b.rel));
    parse(&sources, config, &Memos::new(false))
}

/// `dir/_index.md` makes a section and `dir/index.md` a page at the same URL.
fn check_ambiguous_index(tree: &walk::Tree, diags: &mut Vec<Diagnostic>) {
    let bundles = tree
        .markdown
        .iter()
        .filter(|f| file_name(&f.rel) == "index.md");
    for f in bundles {
        let dir = parent(&f.rel);
        let section = if dir.is_empty() {
            "_index.md".to_owned()
        } else {
            format!("{dir}/_index.md")
        };
        let known = tree
            .markdown
            .binary_search_by(|g| g.rel.as_str().cmp(&section))
            .is_ok();
        if known {
            let other = Path::new(CONTENT_DIR).join(&section);
            let kind = Kind::AmbiguousIndex { other };
            diags.push(Diagnostic::file(Path::new(CONTENT_DIR).join(&f.rel), kind));
        }
    }
}

/// Where a page sits: its section, its folder, its name and kind (unknown when the section's
/// own file is broken: its pages are then not blamed for keys of the wrong kind).
#[derive(Clone, Copy, Hash)]
struct Placement<'a> {
    section: &'a str,
    dir: &'a str,
    stem: &'a str,
    kind: Option<PageKind>,
}

fn place_page<'a>(
    rel: &'a str,
    section_kinds: &'a BTreeMap<String, Option<PageKind>>,
) -> Placement<'a> {
    let (dir, stem) = if file_name(rel) == "index.md" {
        let bundle = parent(rel);
        (parent(bundle), file_name(bundle))
    } else {
        let name = file_name(rel);
        (parent(rel), name.strip_suffix(".md").unwrap_or(name))
    };
    // The nearest ancestor folder with an `_index.md` owns the page.
    let mut section = dir;
    loop {
        if let Some((owner, kind)) = section_kinds.get_key_value(section) {
            return Placement {
                section: owner,
                dir,
                stem,
                kind: *kind,
            };
        }
        if section.is_empty() {
            return Placement {
                section: "",
                dir,
                stem,
                kind: Some(default_kind("")),
            };
        }
        section = parent(section);
    }
}

/// Pages at the root are plain pages; elsewhere they are articles unless the section says.
fn default_kind(dir: &str) -> PageKind {
    if dir.is_empty() {
        PageKind::Page
    } else {
        PageKind::Article
    }
}

fn parse_section_file(rel: &str, text: Text, dir: &str) -> Result<Section, Vec<Diagnostic>> {
    let file = Path::new(CONTENT_DIR).join(rel);
    let split =
        front_matter::split(&text).map_err(|k| vec![Diagnostic::at(&file, &text, 1, 1, k)])?;
    let meta = front_matter::parse_section(&split, &file, &text, default_kind(dir))?;
    let (body_offset, body_line) = (split.body_offset, split.body_line);
    Ok(Section {
        file,
        dir: dir.to_owned(),
        meta,
        text,
        body_offset,
        body_line,
    })
}

fn parse_page_file(
    rel: &str,
    text: Text,
    placement: Placement,
    categories: &[String],
    assets: Vec<Found>,
) -> Result<Page, Vec<Diagnostic>> {
    let file = Path::new(CONTENT_DIR).join(rel);
    let split =
        front_matter::split(&text).map_err(|k| vec![Diagnostic::at(&file, &text, 1, 1, k)])?;
    let cx = front_matter::PageContext {
        path: &file,
        text: &text,
        kind: placement.kind,
        categories,
    };
    let meta = front_matter::parse_page(&split, &cx)?;
    let image_size = meta.image.as_deref().and_then(|img| {
        let asset = assets
            .iter()
            .find(|a| a.rel == img.trim().trim_start_matches("./"))?;
        image_size(&asset.disk)
    });
    let (body_offset, body_line) = (split.body_offset, split.body_line);
    let slug = crate::text::slugify(&slug_source(&meta, placement.stem));
    Ok(Page {
        slug,
        file,
        source: rel.to_owned(),
        section: placement.section.to_owned(),
        dir: placement.dir.to_owned(),
        stem: placement.stem.to_owned(),
        kind: placement.kind.unwrap_or(if meta.document.is_some() {
            PageKind::Document
        } else {
            PageKind::Article
        }),
        meta: Hashed::new(meta),
        text,
        body_offset,
        body_line,
        assets,
        image_size,
    })
}

/// What a page's URL slug is made from: `slug:`, else a document's number, else its name.
fn slug_source(meta: &PageMeta, stem: &str) -> String {
    let number = meta.document.as_ref().and_then(|d| d.number.as_ref());
    match (&meta.slug, number) {
        (Some(s), _) => s.clone(),
        (None, Some(n)) => n.value.to_string(),
        (None, None) => stem.to_owned(),
    }
}

/// Reads a content file as text: UTF-8 (a BOM is dropped), `\r\n` → `\n`, NFC. Copies the
/// text only where a rule changes it. The stamp comes from the file that was read.
fn read_text(disk: &Path, rel: &str) -> (Result<Arc<str>, Diagnostic>, Stamp) {
    let file = Path::new(CONTENT_DIR).join(rel);
    let (bytes, stamp) = match read_with_stamp(disk) {
        Ok(read) => read,
        Err(e) => {
            let kind = Kind::Io {
                action: IoAction::Read,
                detail: crate::diagnostics::io_reason(&e),
            };
            return (Err(Diagnostic::file(&file, kind)), stamp(disk));
        }
    };
    // SIMD validation: a tenth of the time of `str::from_utf8` on Vietnamese text, where
    // most words hold multi-byte letters.
    let text = match simdutf8::basic::from_utf8(&bytes) {
        Ok(text) => Ok(Arc::from(normalize_text(text).as_ref())),
        Err(_) => Err(not_utf8(&file, &bytes)),
    };
    (text, stamp)
}

/// The error for a file that is not UTF-8, at the first byte that is not.
pub fn not_utf8(file: &Path, bytes: &[u8]) -> Diagnostic {
    let valid = std::str::from_utf8(bytes).map_or_else(|e| e.valid_up_to(), |_| bytes.len());
    let shown = String::from_utf8_lossy(bytes);
    let before = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
    let (line, col) = crate::text::Locator::new(before).locate(before.len());
    Diagnostic::at(file, &shown, line, col, Kind::NotUtf8)
}

/// The bytes of a file and its stamp, both from the one open file (`fs::read` would stat it
/// again).
fn read_with_stamp(disk: &Path) -> std::io::Result<(Vec<u8>, Stamp)> {
    use std::io::Read;
    // Opening a named pipe waits for a writer: only regular files are opened.
    crate::text::regular_file(disk)?;
    let file = std::fs::File::open(disk)?;
    let meta = file.metadata()?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0) + 1);
    // Through `take`: `File::read_to_end` would ask for the size again (`statx`, `lseek`).
    file.take(u64::MAX).read_to_end(&mut bytes)?;
    Ok((bytes, Stamp::of(Some(meta))))
}

/// The text every later stage sees: no BOM, `\n` line ends, NFC. Borrowed when the file
/// already is all that (almost always).
fn normalize_text(text: &str) -> Cow<'_, str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if has_stray_characters(text.as_bytes()) {
        let clean = remove_stray_characters(text);
        return Cow::Owned(normalize_text(&clean).into_owned());
    }
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        let unix = text.replace("\r\n", "\n").replace('\r', "\n");
        return Cow::Owned(crate::text::nfc_cow(&unix).into_owned());
    }
    crate::text::nfc_cow(text)
}

/// Control characters other than tab and line ends, and U+FFFE/U+FFFF: text pasted from Word
/// brings vertical tabs (a line break inside a paragraph) and form feeds, which HTML forbids
/// and which make feeds unreadable XML.
fn has_stray_characters(bytes: &[u8]) -> bool {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        // SAFETY: SSE2 is enabled for this target (the `cfg` above).
        unsafe { has_stray_characters_sse2(bytes) }
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        has_stray_characters_from(bytes, 0)
    }
}

/// [`has_stray_characters`] sixteen bytes at a time: every page's text goes through it, and
/// nearly none has such a character.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn has_stray_characters_sse2(bytes: &[u8]) -> bool {
    use crate::text::block::{Block, LEN};
    let mut at = 0;
    while let Some(block) = Block::load(bytes.get(at..).unwrap_or_default()) {
        let allowed = block.is(b'\t') | block.is(b'\n') | block.is(b'\r');
        let suspect = (block.within(0, 0x1f) & !allowed) | block.is(0x7f) | block.is(0xef);
        if suspect != 0 && has_stray_characters_from(&bytes[..(at + LEN + 2).min(bytes.len())], at)
        {
            return true;
        }
        at += LEN;
    }
    has_stray_characters_from(bytes, at)
}

/// Byte by byte, from `from`.
fn has_stray_characters_from(bytes: &[u8], from: usize) -> bool {
    bytes.iter().enumerate().skip(from).any(|(i, &b)| match b {
        b'\t' | b'\n' | b'\r' => false,
        0..=0x1f | 0x7f => true,
        0xef => matches!(bytes.get(i + 1..i + 3), Some([0xbf, 0xbe | 0xbf])),
        _ => false,
    })
}

/// The text without [`has_stray_characters`]'s characters; a vertical tab or form feed
/// becomes the line break it stood for.
fn remove_stray_characters(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '\t' | '\n' | '\r' => Some(c),
            '\u{0b}' | '\u{0c}' => Some('\n'),
            '\u{0}'..='\u{1f}' | '\u{7f}' | '\u{FFFE}' | '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

/// `a/b/c.md` → `a/b`; `c.md` → ``.
pub fn parent(rel: &str) -> &str {
    rel.rfind('/').map_or("", |i| &rel[..i])
}

/// `a/b/c.md` → `c.md`.
pub fn file_name(rel: &str) -> &str {
    rel.rfind('/').map_or(rel, |i| &rel[i + 1..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stray_characters_are_found_block_by_block_as_byte_by_byte() {
        let mut rng = crate::testing::xorshift(7);
        let pieces: [&[u8]; 9] = [
            "chuyển đổi số ".as_bytes(),
            b"\n",
            b"\t",
            b"\r\n",
            b"\x0b",
            b"\x01",
            "\u{FFFE}".as_bytes(),
            "\u{FF21}".as_bytes(),
            b"a",
        ];
        for _ in 0..3000 {
            let len = (rng() % 40) as usize;
            let mut text = Vec::new();
            for _ in 0..len {
                let piece = pieces[(rng() % 9) as usize];
                // Mostly clean texts, as pages are.
                if piece.len() == 1
                    && piece[0] < 0x20
                    && piece[0] != b'\n'
                    && !rng().is_multiple_of(4)
                {
                    continue;
                }
                text.extend_from_slice(piece);
            }
            assert_eq!(
                has_stray_characters(&text),
                has_stray_characters_from(&text, 0),
                "{:?}",
                String::from_utf8_lossy(&text)
            );
        }
        assert_eq!(
            normalize_text("Word\u{0b}dòng\u{0c}trang \u{1}\u{FFFF}."),
            "Word\ndòng\ntrang ."
        );
    }
}
