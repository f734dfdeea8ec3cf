//! The index's files: shards of keys with their pages, details chunks, `meta.json`.

use std::sync::Arc;

use std::sync::MutexGuard;

use super::dictionary::{Dictionaries, Dictionary, Key};
use super::tokens::STOP_WORDS;
use super::{CHUNK, Entry, Files, INDEX_DIR, MAX_POSTINGS, shard_hash};
use crate::fast_hash::FastMap;
use crate::text::json_string;

/// Keys are first grouped into fine buckets of about this many (key, page) entries...
const ENTRIES_PER_BUCKET: usize = 500;
/// ...whose JSON, cut to `MAX_POSTINGS` per key, is then joined into files of about this size
/// (at 10,000 articles: 3,000 files, 55-84 KB raw for a query of one to three words).
/// Both counts are powers of two, so a file holds the buckets equal to its number modulo the
/// file count, and the script finds a key's file by its hash modulo the file count alone.
const SHARD_BYTES: usize = 2048;
/// A small site still gets files of about `SHARD_BYTES`, not a few large ones.
const MIN_BUCKETS: usize = 64;

/// The files of the index of `pages` (newest first). `buckets` holds each bucket's JSON of
/// the last build with its fingerprint; a bucket whose entries did not change is reused.
pub(super) fn write_index(
    pages: Vec<Arc<Entry>>,
    dictionaries: &Dictionaries,
    buckets: &mut Vec<(u64, Arc<str>)>,
) -> Files {
    use rayon::prelude::*;
    let entries: usize = pages.iter().map(|e| e.keys.len()).sum();
    let fine = (entries / ENTRIES_PER_BUCKET)
        .next_power_of_two()
        .max(MIN_BUCKETS);
    let mut out: Files = pages
        .chunks(CHUNK)
        .enumerate()
        .map(|(n, chunk)| {
            let rows: Vec<&str> = chunk.iter().map(|e| e.details.as_str()).collect();
            let json = format!("[{}]", rows.join(","));
            (
                format!("{INDEX_DIR}/trang-{n}.json"),
                Arc::from(json.into_bytes()),
            )
        })
        .collect();
    let page_count = pages.len();
    let dictionaries = dictionaries.lock_all();
    let mut keys = SiteKeys::new(&dictionaries, fine);
    // Postings of every key in one array, key after key (a counting sort by key), pages in
    // order within a key: first count, then place.
    let mut starts: Vec<usize> = Vec::new();
    for entry in &pages {
        for &key in &*entry.keys {
            let id = keys.id(entry.dictionary, key) as usize;
            if id == starts.len() {
                starts.push(0);
            }
            starts[id] += 1;
        }
    }
    let mut total = 0;
    for start in &mut starts {
        let count = *start;
        *start = total;
        total += count;
    }
    starts.push(total);
    let mut next = starts.clone();
    // Pages and scores apart: six bytes a posting, not eight.
    let mut docs = vec![0u32; total];
    let mut scores = vec![0u16; total];
    // A bucket changes only if a page with keys in it changed or moved.
    let mut prints = vec![0u64; fine];
    for (doc, entry) in pages.iter().enumerate() {
        for (&key, &score) in entry.keys.iter().zip(&*entry.scores) {
            let id = keys.id(entry.dictionary, key) as usize;
            docs[next[id]] = doc as u32;
            scores[next[id]] = score;
            next[id] += 1;
            let n = keys.buckets[id] as usize;
            prints[n] = crate::fast_hash::mix(prints[n], entry.print ^ doc as u64);
        }
    }
    // The entries are read: a one-shot build frees them before the JSON is made.
    drop(pages);
    let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); fine];
    for (id, &n) in keys.buckets.iter().enumerate() {
        by_bucket[n as usize].push(id as u32);
    }
    let old: &[(u64, Arc<str>)] = if buckets.len() == fine { buckets } else { &[] };
    let fresh: Vec<(u64, Arc<str>)> = by_bucket
        .into_par_iter()
        .enumerate()
        .map(|(n, mut ids)| match old.get(n) {
            Some((print, json)) if *print == prints[n] => (*print, json.clone()),
            _ => {
                ids.sort_unstable_by_key(|&id| &keys.texts[id as usize]);
                let json = bucket_json(ids.iter().map(|&id| {
                    let range = starts[id as usize]..starts[id as usize + 1];
                    (
                        &*keys.texts[id as usize],
                        &docs[range.clone()],
                        &scores[range],
                    )
                }));
                (prints[n], Arc::from(json))
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
    let shards: Files = (0..count)
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
    out.extend(shards);
    let stop: Vec<String> = STOP_WORDS.iter().map(|w| json_string(w)).collect();
    let meta = format!(
        "{{\"v\":1,\"pages\":{},\"shards\":{count},\"chunk\":{CHUNK},\"max\":{MAX_POSTINGS},\"stop\":[{}]}}",
        page_count,
        stop.join(",")
    );
    out.push((
        format!("{INDEX_DIR}/meta.json"),
        Arc::from(meta.into_bytes()),
    ));
    out
}

/// Every key of the site, numbered once across the dictionaries, with its text and bucket.
/// Pages refer to keys by their dictionary's ids; each is looked up in a table of its
/// dictionary, and a key's text is written only once.
struct SiteKeys<'a> {
    dictionaries: &'a [MutexGuard<'a, Dictionary>],
    fine: usize,
    texts: Vec<Box<str>>,
    buckets: Vec<u32>,
    ids: FastMap<Box<str>, u32>,
    /// By dictionary: the site id of each of its keys.
    local: Vec<Vec<u32>>,
}

const UNSEEN: u32 = u32::MAX;

impl<'a> SiteKeys<'a> {
    fn new(dictionaries: &'a [MutexGuard<'a, Dictionary>], fine: usize) -> SiteKeys<'a> {
        SiteKeys {
            dictionaries,
            fine,
            texts: Vec::new(),
            buckets: Vec::new(),
            ids: FastMap::default(),
            local: dictionaries
                .iter()
                .map(|d| vec![UNSEEN; d.key_count()])
                .collect(),
        }
    }

    /// The site id of `key` of dictionary `d`; ids are given in order of first use.
    fn id(&mut self, d: usize, key: Key) -> u32 {
        let known = self.local[d][key as usize];
        if known != UNSEEN {
            return known;
        }
        let mut text = String::new();
        self.dictionaries[d].key_text(key, &mut text);
        let id = match self.ids.get(text.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.texts.len() as u32;
                self.buckets
                    .push((shard_hash(&text) as usize % self.fine) as u32);
                self.texts.push(text.clone().into_boxed_str());
                self.ids.insert(text.into_boxed_str(), id);
                id
            }
        };
        self.local[d][key as usize] = id;
        id
    }
}

/// The members of one bucket's JSON object (no braces): its keys in order, each with its pages
/// best first, then newest first (pages are numbered newest first).
fn bucket_json<'p>(keys: impl Iterator<Item = (&'p str, &'p [u32], &'p [u16])>) -> String {
    let mut json = String::new();
    let mut list: Vec<(u32, u32)> = Vec::new();
    for (key, docs, scores) in keys {
        list.clear();
        list.extend(docs.iter().zip(scores).map(|(&d, &s)| (d, u32::from(s))));
        let best = |&(doc, score): &(u32, u32)| (std::cmp::Reverse(score), doc);
        if list.len() > MAX_POSTINGS {
            list.select_nth_unstable_by_key(MAX_POSTINGS, best);
            list.truncate(MAX_POSTINGS);
        }
        list.sort_unstable_by_key(best);
        if !json.is_empty() {
            json.push(',');
        }
        json.push_str(&json_string(key));
        json.push_str(":[");
        for (j, (doc, score)) in list.iter().enumerate() {
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
