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
pub mod query;
pub mod tokens;
mod write;

use std::sync::Arc;

use crate::fast_hash::FastMap;
use crate::site::{Site, Status};
use crate::text::json_string;
use page::page_keys;
use write::write_index;

/// Folder of the index in the output.
pub const INDEX_DIR: &str = "tim-kiem/chi-muc";
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
struct Entry {
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

/// Index pieces kept between builds by `serve`. An edit re-reads one page; the files are
/// written after the browser has been told to reload ([`finish`]), since the edited page does
/// not need them.
#[derive(Default)]
pub struct Cache {
    /// Page entries by the fingerprint of what they read, and the dictionaries they refer to.
    pages: FastMap<u64, Arc<Entry>>,
    dictionaries: dictionary::Dictionaries,
    /// Each bucket's JSON, with the fingerprint of the entries in it.
    buckets: Vec<(u64, Arc<str>)>,
    /// The files of the last finished index, and whether `entries` are newer than them.
    files: Files,
    pending: bool,
    /// The last build's entries in index order, and the page id of each.
    entries: Vec<Arc<Entry>>,
    ids: Vec<usize>,
}

/// Every file of the index. With `known` (each page's fingerprint by page id, and the
/// pieces of the last build), unchanged pages are not read again and the files returned are
/// those of the last build, until [`finish`] brings them up to date.
pub fn build_index(site: &Site, known: Option<(&[u64], &mut Cache)>) -> Files {
    use rayon::prelude::*;
    let mut ids: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].status == Status::Published)
        .collect();
    site.sort_newest_first(&mut ids);
    let Some((prints, cache)) = known else {
        let dictionaries = dictionary::Dictionaries::default();
        let pages: Vec<Arc<Entry>> = ids
            .par_iter()
            .map(|&id| Arc::new(page_keys(site, id, 0, &dictionaries)))
            .collect();
        return write_index(pages, &dictionaries, &mut Vec::new());
    };
    let dictionaries = &cache.dictionaries;
    let pages: Vec<Arc<Entry>> = ids
        .par_iter()
        .map(|&id| match cache.pages.get(&prints[id]) {
            Some(entry) => entry.clone(),
            None => Arc::new(page_keys(site, id, prints[id], dictionaries)),
        })
        .collect();
    cache.pages = pages.iter().map(|e| (e.print, e.clone())).collect();
    cache.entries = pages.clone();
    cache.ids = ids;
    if cache.files.is_empty() {
        cache.files = write_index(pages, &cache.dictionaries, &mut cache.buckets);
    } else {
        cache.pending = true;
    }
    cache.files.clone()
}

/// Reads page `id` again after an edit of its body alone (`print`: the fingerprint of what it
/// was read from) and leaves the index to write with its new entry ([`finish`]). A page that
/// is not in the index (a draft) changes nothing.
pub fn replace_page(cache: &mut Cache, site: &Site, id: usize, print: u64) {
    let Some(at) = cache.ids.iter().position(|&i| i == id) else {
        return;
    };
    let entry = Arc::new(page_keys(site, id, print, &cache.dictionaries));
    cache.pages.insert(print, entry.clone());
    cache.entries[at] = entry;
    cache.pending = true;
}

/// Writes the index of the last build, if [`build_index`] left it pending; `None` otherwise.
pub fn finish(cache: &mut Cache) -> Option<Files> {
    if !std::mem::take(&mut cache.pending) {
        return None;
    }
    let pages = cache.entries.clone();
    cache.files = write_index(pages, &cache.dictionaries, &mut cache.buckets);
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
