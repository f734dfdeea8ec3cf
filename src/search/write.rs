//! The index's files: shards of keys with their pages, details chunks, `meta.json`.

use std::sync::Arc;

use super::fast_hash::FastMap;
use super::tokens::STOP_WORDS;
use super::{CHUNK, Entry, Files, INDEX_DIR, MAX_POSTINGS};
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
pub(super) fn write_index(pages: &[Arc<Entry>], buckets: &mut Vec<(u64, Arc<str>)>) -> Files {
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
