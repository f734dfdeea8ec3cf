//! The search index, built with the site and split so that a query downloads only what it
//! needs: Vietnamese search for phones on 3G (Nghị định 42/2022 asks state sites for search).
//!
//! Keys are exact syllables (`e` + `đổi`, only for syllables with marks), folded syllables
//! (`f` + `doi`), folded pairs of neighbouring syllables (`p` + `doi so`) for phrases, and
//! document numbers (`n` + `57`).
//! Each key lists its pages with a score (title and document number count most, body least),
//! best first, at most `MAX_POSTINGS` of them. Keys are spread over shard files by a hash of
//! the key (FNV-1a, 32 bits, over UTF-8: the script computes the same); page details (title,
//! URL, date, section, excerpt) sit in chunks of `CHUNK` pages. Pages are numbered newest
//! first, so on equal scores the newer page wins.

mod dictionary;
mod page;
pub mod tokens;
mod write;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::markdown::Rendered;
use crate::site::{PageId, Site, Status};
use page::page_keys;
use write::write_index;

/// Folder of the index in the output.
pub const INDEX_DIR: &str = crate::urls::SEARCH_INDEX;
/// Pages per details chunk: ten results shown at once touch at most ten small files.
pub const CHUNK: usize = 10;
/// Pages listed per key, best first: enough to rank, small enough for 3G.
pub const MAX_POSTINGS: usize = 300;

/// 32-bit FNV-1a over the UTF-8 bytes of `key`.
pub fn shard_hash(key: &str) -> u32 {
    key.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// What the index holds of one page: its keys, as ids of the dictionary that read it, with
/// their scores. A large site has millions of (page, key) pairs: a string each would double
/// the memory of a build.
pub struct Entry {
    /// Fingerprint of what the entry was read from (0 outside `serve`).
    print: u64,
    /// The number of the dictionary its keys belong to.
    dictionary: usize,
    keys: Box<[dictionary::Key]>,
    /// Scores above 65,535 (thousands of headings with one word) count as 65,535.
    scores: Box<[u16]>,
    /// The details row: title, URL, date, section, excerpt.
    details: String,
}

/// The index's files: output path → bytes.
pub type Files = Vec<(String, Arc<[u8]>)>;

/// The memo of the index's first step: a page is read again only when what it reads (its
/// card and its body, by their digests) changed.
pub type Memo = crate::memo::Memo<Arc<Entry>>;

/// The writer's state kept between builds by `serve`: the files are written after the
/// browser has been told to reload ([`finish`]), since the edited page does not need them, and
/// only buckets whose pages changed are written again.
#[derive(Default)]
pub struct Cache {
    /// The dictionaries the entries (in [`Memo`]) refer to.
    dictionaries: dictionary::Dictionaries,
    /// Each bucket's JSON, with the fingerprint of the entries in it.
    buckets: write::Buckets,
    /// The files of the last finished index, and whether `entries` are newer than them.
    files: Files,
    pending: bool,
    /// The last build's entries in index order, and the page id of each.
    entries: Vec<Arc<Entry>>,
    ids: Vec<usize>,
}

/// The index of one build, read page by page while the pages are rendered: each page's own
/// job hands its HTML to [`Collector::add`], so a one-shot build can free the HTML right
/// after, and reading pages is spread over the threads with the templates.
/// [`Collector::finish`] writes the files.
pub struct Collector<'a> {
    /// The last build's pieces (`serve`), or nothing (a one-shot build).
    cache: Cache,
    memo: &'a Memo,
    /// `serve`: the fingerprint of what each page's entry reads, by page id.
    prints: Option<Vec<u64>>,
    /// Indexed pages, newest first, and the position of each page id among them.
    ids: Vec<PageId>,
    positions: Vec<Option<usize>>,
    entries: Vec<OnceLock<Arc<Entry>>>,
    /// Time spent reading pages, summed over threads, in nanoseconds.
    spent: AtomicU64,
}

impl<'a> Collector<'a> {
    /// Starts the index of `site`. With `prints` (the digest of what each page's entry reads,
    /// by page id) and a memo that is on, unchanged pages are not read again.
    pub fn new(site: &Site, prints: Option<Vec<u64>>, cache: Cache, memo: &'a Memo) -> Self {
        let mut ids: Vec<PageId> = (0..site.pages.len())
            .filter(|&i| site.pages[i].status == Status::Published)
            .collect();
        site.sort_newest_first(&mut ids);
        let mut positions = vec![None; site.pages.len()];
        for (at, &id) in ids.iter().enumerate() {
            positions[id] = Some(at);
        }
        Collector {
            cache,
            memo,
            prints,
            entries: ids.iter().map(|_| OnceLock::new()).collect(),
            ids,
            positions,
            spent: AtomicU64::new(0),
        }
    }

    /// Reads page `id`, whose body is `body` (a page left out of the index is skipped).
    pub fn add(&self, site: &Site, id: PageId, body: &Rendered) {
        let Some(at) = self.positions[id] else {
            return;
        };
        let started = Instant::now();
        self.entries[at].get_or_init(|| {
            let print = self.prints.as_ref().map_or(0, |p| p[id]);
            let dictionaries = &self.cache.dictionaries;
            self.memo.run(&print, |&print| {
                Arc::new(page_keys(site, id, body, print, dictionaries))
            })
        });
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.spent.fetch_add(nanos, Ordering::Relaxed);
    }

    /// Every file of the index, the pieces a next build starts from, and the time spent on
    /// the index (reading pages, summed over threads, then writing). `keep` (`serve`): the
    /// files returned are those of the last build until [`finish`] brings them up to date;
    /// otherwise the entries are freed as the files are made.
    /// `body` gives a page's body, for a page no job handed over (none today).
    pub fn finish(
        self,
        site: &Site,
        keep: bool,
        body: impl Fn(PageId) -> crate::markdown::Body,
    ) -> (Files, Cache, Duration) {
        // Every page has a job that reads it; should one not, it is read here.
        for (at, &id) in self.ids.iter().enumerate() {
            if self.entries[at].get().is_none() {
                self.add(site, id, &body(id));
            }
        }
        let started = Instant::now();
        let Collector {
            mut cache,
            ids,
            entries,
            spent,
            ..
        } = self;
        let spent = Duration::from_nanos(spent.into_inner());
        let entries: Vec<Arc<Entry>> = entries
            .into_iter()
            .filter_map(OnceLock::into_inner)
            .collect();
        if !keep {
            let files = write_index(entries, &cache.dictionaries, None);
            return (files, Cache::default(), spent + started.elapsed());
        }
        cache.entries = entries.clone();
        cache.ids = ids;
        if cache.files.is_empty() {
            cache.files = write_index(entries, &cache.dictionaries, Some(&mut cache.buckets));
        } else {
            cache.pending = true;
        }
        (cache.files.clone(), cache, spent + started.elapsed())
    }
}

/// Writes the index of the last build, if [`Collector::finish`] left it pending; `None`
/// otherwise.
pub fn finish(cache: &mut Cache) -> Option<Files> {
    if !std::mem::take(&mut cache.pending) {
        return None;
    }
    let pages = cache.entries.clone();
    cache.files = write_index(pages, &cache.dictionaries, Some(&mut cache.buckets));
    Some(cache.files.clone())
}

/// `n` + the leading number of a document number, without leading zeros: `06/KH-UBND` → `n6`.
/// The script makes the same key from every all-digit word of a query.
pub fn number_key(number: &str) -> Option<String> {
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    (!digits.is_empty()).then(|| format!("n{}", if trimmed.is_empty() { "0" } else { trimmed }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_keys_like_the_script() {
        // FNV-1a test vectors; the script's `hash` gives the same.
        assert_eq!(shard_hash(""), 0x811c_9dc5);
        assert_eq!(shard_hash("a"), 0xe40c_292c);
        assert_eq!(shard_hash("foobar"), 0xbf9c_f968);
    }

    #[test]
    fn numbers_key_on_their_leading_digits() {
        assert_eq!(number_key("57-NQ/TW").as_deref(), Some("n57"));
        assert_eq!(number_key("06/KH-UBND").as_deref(), Some("n6"));
        assert_eq!(number_key("000/X").as_deref(), Some("n0"));
        assert_eq!(number_key("KH-UBND"), None);
    }
}
