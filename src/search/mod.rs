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

mod fast_hash;
pub mod query;
pub mod tokens;

use std::sync::Arc;

use crate::site::{Site, Status};
use crate::text::json_string;
use fast_hash::FastMap;
use tokens::STOP_WORDS;

/// Folder of the index in the output.
pub const INDEX_DIR: &str = "tim-kiem/chi-muc";
/// Pages per details chunk: ten results shown at once touch at most ten small files.
pub const CHUNK: usize = 10;
/// Pages listed per key, best first: enough to rank, small enough for 3G.
pub const MAX_POSTINGS: usize = 300;
/// Keys are first grouped into fine buckets of about this many (key, page) entries...
const ENTRIES_PER_BUCKET: usize = 500;
/// ...whose JSON, cut to `MAX_POSTINGS` per key, is then joined into files of about this size
/// (at 10,000 articles: 3,000 files, 55-84 KB raw for a query of one to three words).
/// Both counts are powers of two, so a file holds the buckets equal to its number modulo the
/// file count, and the script finds a key's file by its hash modulo the file count alone.
const SHARD_BYTES: usize = 2048;
/// A small site still gets files of about `SHARD_BYTES`, not a few large ones.
const MIN_BUCKETS: usize = 64;

/// Weights of the fields of a page.
const TITLE: u32 = 10;
const NUMBER: u32 = 10;
const ABSTRACT: u32 = 6;
const TAXONOMY: u32 = 4;
const HEADING: u32 = 3;
const SUMMARY: u32 = 2;
const BODY: u32 = 1;
/// A query number that is a document's own number (the script multiplies it by 10: the
/// document comes before every page that only mentions it).
const NUMBER_MATCH: u32 = 100;
/// Body words stop adding to a page's score after this many uses.
const BODY_CAP: u32 = 5;

/// 32-bit FNV-1a over the UTF-8 bytes of `key`.
pub fn shard_hash(key: &str) -> u32 {
    key.bytes().fold(0x811c_9dc5, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(0x0100_0193)
    })
}

/// What the index holds of one page. Its keys sit end to end in one string: a large site has
/// millions of them, and one allocation each would double the memory of a build.
struct Entry {
    /// Fingerprint of what the entry was read from (0 outside `serve`).
    print: u64,
    keys: String,
    /// For each key: where it ends in `keys`, its score, its `shard_hash`.
    spans: Vec<(u32, u32, u32)>,
    /// The details row: title, URL, date, section, excerpt.
    details: String,
}

impl Entry {
    /// The text of key `n`.
    fn key(&self, n: usize) -> &str {
        let start = if n == 0 {
            0
        } else {
            self.spans[n - 1].0 as usize
        };
        &self.keys[start..self.spans[n].0 as usize]
    }
}

/// The index's files: output path → bytes.
pub type Files = Vec<(String, Arc<[u8]>)>;

/// Index pieces kept between builds by `serve`. An edit re-reads one page; the files are
/// written after the browser has been told to reload ([`finish`]), since the edited page does
/// not need them.
#[derive(Default)]
pub struct Cache {
    /// Page entries by the fingerprint of what they read.
    pages: FastMap<u64, Arc<Entry>>,
    /// Each bucket's JSON, with the fingerprint of the entries in it.
    buckets: Vec<(u64, Arc<str>)>,
    /// The files of the last finished index, and the entries of a newer build to write.
    files: Files,
    pending: Option<Vec<Arc<Entry>>>,
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
        let pages: Vec<Arc<Entry>> = ids
            .par_iter()
            .map(|&id| Arc::new(page_keys(site, id, 0)))
            .collect();
        return write_index(&pages, &mut Vec::new());
    };
    let pages: Vec<Arc<Entry>> = ids
        .par_iter()
        .map(|&id| match cache.pages.get(&prints[id]) {
            Some(entry) => entry.clone(),
            None => Arc::new(page_keys(site, id, prints[id])),
        })
        .collect();
    cache.pages = pages.iter().map(|e| (e.print, e.clone())).collect();
    if cache.files.is_empty() {
        cache.files = write_index(&pages, &mut cache.buckets);
    } else {
        cache.pending = Some(pages);
    }
    cache.files.clone()
}

/// Writes the index of the last build, if [`build_index`] left it pending; `None` otherwise.
pub fn finish(cache: &mut Cache) -> Option<Files> {
    let pages = cache.pending.take()?;
    cache.files = write_index(&pages, &mut cache.buckets);
    Some(cache.files.clone())
}

/// The files of the index of `pages` (newest first). `buckets` holds each bucket's JSON of
/// the last build with its fingerprint; a bucket whose entries did not change is reused.
fn write_index(pages: &[Arc<Entry>], buckets: &mut Vec<(u64, Arc<str>)>) -> Files {
    use rayon::prelude::*;
    let entries: usize = pages.iter().map(|e| e.spans.len()).sum();
    let fine = (entries / ENTRIES_PER_BUCKET)
        .next_power_of_two()
        .max(MIN_BUCKETS);
    // (page, key of the page) by bucket.
    let mut by_bucket: Vec<Vec<(u32, u32)>> = vec![Vec::new(); fine];
    // A bucket changes only if a page with keys in it changed or moved.
    let mut prints = vec![0u64; fine];
    for (doc, entry) in pages.iter().enumerate() {
        for (k, &(_, _, hash)) in entry.spans.iter().enumerate() {
            let n = hash as usize % fine;
            by_bucket[n].push((doc as u32, k as u32));
            prints[n] = (prints[n].rotate_left(5) ^ entry.print ^ doc as u64)
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    let old: &[(u64, Arc<str>)] = if buckets.len() == fine { buckets } else { &[] };
    let fresh: Vec<(u64, Arc<str>)> = by_bucket
        .into_par_iter()
        .enumerate()
        .map(|(n, entries)| match old.get(n) {
            Some((print, json)) if *print == prints[n] => (*print, json.clone()),
            _ => {
                let entries = entries
                    .into_iter()
                    .map(|(doc, k)| {
                        let entry = &pages[doc as usize];
                        (entry.key(k as usize), doc, entry.spans[k as usize].1)
                    })
                    .collect();
                (prints[n], Arc::from(bucket_json(entries)))
            }
        })
        .collect();
    *buckets = fresh;
    let total: usize = buckets.iter().map(|(_, json)| json.len()).sum();
    let count = total
        .div_ceil(SHARD_BYTES)
        .max(1)
        .next_power_of_two()
        .min(fine);
    let mut out: Files = (0..count)
        .into_par_iter()
        .map(|n| {
            let parts: Vec<&str> = (n..fine)
                .step_by(count)
                .map(|b| &*buckets[b].1)
                .filter(|json| !json.is_empty())
                .collect();
            let json = format!("{{{}}}", parts.join(","));
            (
                format!("{INDEX_DIR}/{n}.json"),
                Arc::from(json.into_bytes()),
            )
        })
        .collect();
    for (n, chunk) in pages.chunks(CHUNK).enumerate() {
        let rows: Vec<&str> = chunk.iter().map(|e| e.details.as_str()).collect();
        let json = format!("[{}]", rows.join(","));
        out.push((
            format!("{INDEX_DIR}/trang-{n}.json"),
            Arc::from(json.into_bytes()),
        ));
    }
    let stop: Vec<String> = STOP_WORDS.iter().map(|w| json_string(w)).collect();
    let meta = format!(
        "{{\"v\":1,\"pages\":{},\"shards\":{count},\"chunk\":{CHUNK},\"max\":{MAX_POSTINGS},\"stop\":[{}]}}",
        pages.len(),
        stop.join(",")
    );
    out.push((
        format!("{INDEX_DIR}/meta.json"),
        Arc::from(meta.into_bytes()),
    ));
    out
}

/// The members of one bucket's JSON object (no braces): its keys in order, each with its pages
/// best first, then newest first.
fn bucket_json(entries: Vec<(&str, u32, u32)>) -> String {
    let mut keys: FastMap<&str, Vec<(u32, u32)>> = FastMap::default();
    for (key, doc, score) in entries {
        keys.entry(key).or_default().push((doc, score));
    }
    let mut keys: Vec<(&str, Vec<(u32, u32)>)> = keys.into_iter().collect();
    keys.sort_unstable_by_key(|(key, _)| *key);
    let mut json = String::new();
    for (key, mut list) in keys {
        // Pages arrive newest first; a stable sort keeps that order among equal scores.
        list.sort_by_key(|&(_, score)| std::cmp::Reverse(score));
        if !json.is_empty() {
            json.push(',');
        }
        json.push_str(&json_string(key));
        json.push_str(":[");
        for (j, (doc, score)) in list.iter().take(MAX_POSTINGS).enumerate() {
            if j > 0 {
                json.push(',');
            }
            push_number(&mut json, *doc);
            json.push(',');
            push_number(&mut json, (*score).min(255));
        }
        json.push(']');
    }
    json
}

/// Appends `n` in decimal; `write!` costs more than the rest of a posting.
fn push_number(out: &mut String, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[i..] {
        out.push(char::from(d));
    }
}

/// The keys of one page with their scores, and its details row.
fn page_keys(site: &Site, id: usize, print: u64) -> Entry {
    let p = &site.pages[id];
    let m = &p.page.meta;
    let mut keys = PageKeys::default();
    // "57", "nghị quyết 57": a number in a query means this document above all others that
    // merely mention it.
    if let Some(key) = m
        .document
        .as_ref()
        .and_then(|d| d.number.as_ref())
        .and_then(|n| number_key(n.value.as_str()))
    {
        keys.add_key(key, NUMBER_MATCH);
    }
    keys.add(&m.title, TITLE, 1, true);
    if let Some(d) = &m.document {
        let number = d
            .number
            .as_ref()
            .map(|n| n.value.to_string())
            .unwrap_or_default();
        keys.add(
            &format!("{} {number}", d.doc_type.as_deref().unwrap_or("")),
            NUMBER,
            1,
            true,
        );
        keys.add(&d.abstract_text, ABSTRACT, 1, true);
    }
    for tag in m.tags.iter().chain(&m.category) {
        keys.add(tag, TAXONOMY, 1, true);
    }
    for h in flatten_toc(&p.rendered.toc) {
        keys.add(h, HEADING, 1, true);
    }
    let body = strip_html(&p.rendered.html);
    let summary = m
        .summary
        .clone()
        .unwrap_or_else(|| strip_html(&p.rendered.summary_html));
    keys.add(&summary, SUMMARY, 1, true);
    // Body words: no pairs (they would triple the index); phrases rank through the fields above.
    keys.add(&body, BODY, BODY_CAP, false);
    let date = m
        .date
        .map(|d| crate::text::format_short(&d))
        .unwrap_or_default();
    let excerpt = excerpt(&summary, &body);
    let section = &site.sections[p.section].title;
    let url = site.urls.href(&p.path);
    keys.into_entry(
        print,
        json_array(&[&m.title, &url, &date, section, &excerpt]),
    )
}

/// Words this thread has met, across pages, with their key texts: pages share most of their
/// words, so each is folded and its keys written once per thread instead of once per page.
#[derive(Default)]
struct Dictionary {
    ids: FastMap<Box<str>, u32>,
    words: Vec<Known>,
    /// The text of each word.
    texts: Vec<Box<str>>,
    /// Fold ids by `f` key text, and the texts.
    fold_ids: FastMap<Box<str>, u32>,
    folds: Vec<Box<str>>,
}

/// A word of the dictionary.
struct Known {
    /// The id of its lowercase form (its own, if it is lowercase).
    lower: u32,
    fold: u32,
    /// Whether it has marks, and so an `e` key.
    exact: bool,
    stop: bool,
}

thread_local! {
    static DICTIONARY: std::cell::RefCell<Dictionary> = std::cell::RefCell::default();
}

impl Dictionary {
    /// The id of `word` (NFC, any case). A capitalised word has its own id, so that text is
    /// never lowercased as a whole, and shares the keys of its lowercase form.
    fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let lower = word.to_lowercase();
        let known = if lower != word {
            let lower = self.id(&lower);
            let l = &self.words[lower as usize];
            Known {
                lower,
                fold: l.fold,
                exact: l.exact,
                stop: l.stop,
            }
        } else {
            let mut folded = String::with_capacity(word.len() + 1);
            folded.push('f');
            crate::text::fold_into(word, &mut folded);
            let fold = match self.fold_ids.get(folded.as_str()) {
                Some(&fold) => fold,
                None => {
                    let fold = self.folds.len() as u32;
                    self.folds.push(folded.clone().into_boxed_str());
                    self.fold_ids.insert(folded.clone().into_boxed_str(), fold);
                    fold
                }
            };
            Known {
                lower: self.words.len() as u32,
                fold,
                exact: folded[1..] != *word,
                stop: tokens::is_stop_word(word),
            }
        };
        let id = self.words.len() as u32;
        self.words.push(known);
        self.texts.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }
}

/// The keys of one page as they are collected. After a word's first use on the page, a use
/// costs a lookup by its id, and a pair of words a lookup by their fold ids: no allocation.
#[derive(Default)]
struct PageKeys {
    /// What each slot's key is.
    slots: Vec<Slot>,
    scores: Vec<u32>,
    /// Uses of each key in the field being read, and the slots it touched.
    uses: Vec<u32>,
    touched: Vec<u32>,
    /// By dictionary word id: the word's slots on this page.
    words: FastMap<u32, Word>,
    /// `f` slots by fold id (several words share one), `e` slots by lowercase word id, pair
    /// slots by their two fold ids.
    folds: FastMap<u32, u32>,
    exacts: FastMap<u32, u32>,
    pairs: FastMap<u64, u32>,
    /// Number keys by text.
    texts: FastMap<String, u32>,
}

/// What a slot's key is; the text is written only when the page is done.
enum Slot {
    Fold(u32),
    /// By lowercase word id.
    Exact(u32),
    Pair(u32, u32),
    Text(String),
}

/// The key slots of one word on a page. A stop word never counts its `f` slot: it is there
/// for pairs.
#[derive(Clone, Copy)]
struct Word {
    fold: u32,
    fold_slot: u32,
    exact_slot: Option<u32>,
    stop: bool,
}

impl PageKeys {
    /// Adds the keys of `text` (one field of a page): each key scores `weight` per use in the
    /// field, at most `cap` uses, so repeating a word does not buy a page its rank. `pairs`
    /// adds the phrase keys of neighbouring syllables.
    fn add(&mut self, text: &str, weight: u32, cap: u32, pairs: bool) {
        let text = crate::text::nfc_cow(text);
        DICTIONARY.with(|dictionary| {
            let mut dictionary = dictionary.borrow_mut();
            let mut previous: Option<u32> = None;
            for word in text
                .split(|c: char| !tokens::is_word_char(c))
                .filter(|w| !w.is_empty())
            {
                let w = self.word(&mut dictionary, word);
                if !w.stop {
                    self.count(w.fold_slot);
                    if let Some(exact) = w.exact_slot {
                        self.count(exact);
                    }
                }
                if pairs {
                    if let Some(before) = previous {
                        let pair = self.pair(before, w.fold);
                        self.count(pair);
                    }
                    previous = Some(w.fold);
                }
            }
        });
        self.end_field(weight, cap);
    }

    /// Counts one use of `key` (a number key) in a field of its own.
    fn add_key(&mut self, key: String, weight: u32) {
        let slot = match self.texts.get(&key) {
            Some(&slot) => slot,
            None => {
                let slot = self.new_slot(Slot::Text(key.clone()));
                self.texts.insert(key, slot);
                slot
            }
        };
        self.count(slot);
        self.end_field(weight, 1);
    }

    fn word(&mut self, dictionary: &mut Dictionary, word: &str) -> Word {
        let id = dictionary.id(word);
        if let Some(w) = self.words.get(&id) {
            return *w;
        }
        let known = &dictionary.words[id as usize];
        let fold = known.fold;
        let fold_slot = match self.folds.get(&fold) {
            Some(&slot) => slot,
            None => {
                let slot = self.new_slot(Slot::Fold(fold));
                self.folds.insert(fold, slot);
                slot
            }
        };
        let lower = known.lower;
        let exact_slot = match (known.exact, self.exacts.get(&lower)) {
            (false, _) => None,
            (true, Some(&slot)) => Some(slot),
            (true, None) => {
                let slot = self.new_slot(Slot::Exact(lower));
                self.exacts.insert(lower, slot);
                Some(slot)
            }
        };
        let w = Word {
            fold,
            fold_slot,
            exact_slot,
            stop: known.stop,
        };
        self.words.insert(id, w);
        w
    }

    fn pair(&mut self, first: u32, second: u32) -> u32 {
        let id = (u64::from(first) << 32) | u64::from(second);
        if let Some(&slot) = self.pairs.get(&id) {
            return slot;
        }
        let slot = self.new_slot(Slot::Pair(first, second));
        self.pairs.insert(id, slot);
        slot
    }

    fn new_slot(&mut self, slot: Slot) -> u32 {
        self.slots.push(slot);
        self.scores.push(0);
        self.uses.push(0);
        (self.slots.len() - 1) as u32
    }

    fn count(&mut self, slot: u32) {
        let uses = &mut self.uses[slot as usize];
        if *uses == 0 {
            self.touched.push(slot);
        }
        *uses += 1;
    }

    fn end_field(&mut self, weight: u32, cap: u32) {
        for slot in self.touched.drain(..) {
            let slot = slot as usize;
            self.scores[slot] += weight * self.uses[slot].min(cap);
            self.uses[slot] = 0;
        }
    }

    /// The page's entry: keys that scored, in one string.
    fn into_entry(self, print: u64, details: String) -> Entry {
        let mut entry = Entry {
            print,
            keys: String::new(),
            spans: Vec::new(),
            details,
        };
        DICTIONARY.with(|dictionary| {
            let dictionary = dictionary.borrow();
            for (slot, &score) in self.slots.iter().zip(&self.scores) {
                if score == 0 {
                    continue;
                }
                let start = entry.keys.len();
                match slot {
                    Slot::Fold(fold) => entry.keys.push_str(&dictionary.folds[*fold as usize]),
                    Slot::Exact(lower) => {
                        entry.keys.push('e');
                        entry.keys.push_str(&dictionary.texts[*lower as usize]);
                    }
                    Slot::Pair(first, second) => {
                        entry.keys.push('p');
                        entry.keys.push_str(&dictionary.folds[*first as usize][1..]);
                        entry.keys.push(' ');
                        entry
                            .keys
                            .push_str(&dictionary.folds[*second as usize][1..]);
                    }
                    Slot::Text(text) => entry.keys.push_str(text),
                }
                let hash = shard_hash(&entry.keys[start..]);
                entry.spans.push((entry.keys.len() as u32, score, hash));
            }
        });
        entry.keys.shrink_to_fit();
        entry
    }
}

/// `n` + the leading number of a document number, without leading zeros: `06/KH-UBND` → `n6`.
/// The script makes the same key from every all-digit word of a query.
pub fn number_key(number: &str) -> Option<String> {
    let digits: String = number.chars().take_while(char::is_ascii_digit).collect();
    let trimmed = digits.trim_start_matches('0');
    (!digits.is_empty()).then(|| format!("n{}", if trimmed.is_empty() { "0" } else { trimmed }))
}

fn flatten_toc(toc: &[crate::markdown::Heading]) -> Vec<&str> {
    let mut out = Vec::new();
    for h in toc {
        out.push(h.title.as_str());
        out.extend(flatten_toc(&h.children));
    }
    out
}

/// Text of an HTML fragment: tags dropped, the usual entities decoded.
pub fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match (c, in_tag) {
            ('<', _) => in_tag = true,
            ('>', true) => {
                in_tag = false;
                out.push(' ');
            }
            (c, false) => out.push(c),
            _ => {}
        }
    }
    if out.contains('&') {
        decode_entities(&out)
    } else {
        out
    }
}

/// The entities pulldown-cmark writes, decoded in one pass.
fn decode_entities(text: &str) -> String {
    const ENTITIES: [(&str, char); 5] = [
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&amp;", '&'),
    ];
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(name, _)| rest.starts_with(name)) {
            Some((name, c)) => {
                out.push(*c);
                rest = &rest[name.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The summary, or the start of the body, cut at a word under 200 characters.
fn excerpt(summary: &str, body: &str) -> String {
    let text = if summary.trim().is_empty() {
        body
    } else {
        summary
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = String::new();
    for w in words {
        if out.chars().count() + w.chars().count() > 200 {
            out.push_str(" …");
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn json_array(items: &[&str]) -> String {
    let parts: Vec<String> = items.iter().map(|s| json_string(s)).collect();
    format!("[{}]", parts.join(","))
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
    fn strips_tags_and_entities() {
        assert_eq!(
            strip_html("<p>A &amp; B</p><h2 id=\"x\">Đề mục</h2>")
                .split_whitespace()
                .collect::<Vec<_>>(),
            ["A", "&", "B", "Đề", "mục"]
        );
    }

    fn keys_of(text: &str, pairs: bool) -> std::collections::BTreeMap<String, u32> {
        let mut keys = PageKeys::default();
        keys.add(text, 1, BODY_CAP, pairs);
        let entry = keys.into_entry(0, String::new());
        (0..entry.spans.len())
            .map(|n| (entry.key(n).to_owned(), entry.spans[n].1))
            .collect()
    }

    #[test]
    fn keys_hold_exact_folded_and_pair_forms() {
        let keys = keys_of("Chính quyền số và kinh tế số", true);
        assert_eq!(keys["fso"], 2);
        assert_eq!(keys["esố"], 2);
        assert_eq!(keys["fkinh"], 1);
        // Unmarked words have no exact key: the folded one is the same text.
        assert!(!keys.contains_key("ekinh"));
        // A stop word is no key of its own but stays inside phrases.
        assert!(!keys.contains_key("fva") && !keys.contains_key("evà"));
        assert_eq!(keys["pso va"], 1);
        assert_eq!(keys["pva kinh"], 1);
        assert_eq!(keys["pchinh quyen"], 1);
        assert!(
            !keys_of("Chính quyền số", false)
                .keys()
                .any(|k| k.starts_with('p'))
        );
    }

    #[test]
    fn repeating_a_word_stops_paying_at_the_cap() {
        let keys = keys_of(&"đổi ".repeat(20), false);
        assert_eq!(keys["fdoi"], BODY_CAP);
        assert_eq!(keys["eđổi"], BODY_CAP);
        // Marks and case of every spelling meet in one folded key.
        let keys = keys_of("ĐỔI đôi Đoi", false);
        assert_eq!(keys["fdoi"], 3);
        assert_eq!((keys["eđổi"], keys["eđôi"], keys["eđoi"]), (1, 1, 1));
    }

    #[test]
    fn numbers_key_on_their_leading_digits() {
        assert_eq!(number_key("57-NQ/TW").as_deref(), Some("n57"));
        assert_eq!(number_key("06/KH-UBND").as_deref(), Some("n6"));
        assert_eq!(number_key("000/X").as_deref(), Some("n0"));
        assert_eq!(number_key("KH-UBND"), None);
    }

    #[test]
    fn excerpts_stop_at_a_word() {
        let long = "từ ".repeat(100);
        let e = excerpt("", &long);
        assert!(e.chars().count() <= 202 && e.ends_with(" …"), "{e}");
        assert_eq!(excerpt("Tóm tắt.", "Thân bài"), "Tóm tắt.");
    }
}
