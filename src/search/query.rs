//! The query side of the index, as the browser script runs it (`tim-kiem.js`), for tests and
//! for counting what a query downloads: which files a query fetches and which pages it
//! returns, in order. Keep it in step with the script.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::shard_hash;
use super::tokens::tokens;

/// What a query found and what it cost.
#[derive(Debug, Default)]
pub struct Answer {
    /// Page numbers (0 = newest), best first.
    pub pages: Vec<u32>,
    /// Whether a word's page list was cut at `MAX_POSTINGS`: there are more pages than found.
    pub truncated: bool,
    /// Index files fetched (meta, shards, page-detail chunks of the first results shown).
    pub files: BTreeSet<String>,
}

/// Results shown at once (and their details fetched); the script shows more on request.
pub const SHOWN: usize = 10;

/// Runs `q` against the index files (`name` → JSON text, names relative to the index folder).
pub fn run(files: &HashMap<String, String>, q: &str) -> Answer {
    let mut answer = Answer::default();
    let meta = parse_meta(files.get("meta.json").map(String::as_str).unwrap_or("{}"));
    answer.files.insert("meta.json".into());
    let terms = tokens(q);
    let required: Vec<usize> = (0..terms.len()).filter(|&i| !terms[i].is_stop()).collect();
    let required = if required.is_empty() {
        (0..terms.len()).collect()
    } else {
        required
    };
    let mut keys = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        keys.push(format!("f{}", t.folded));
        if t.exact != t.folded {
            keys.push(format!("e{}", t.exact));
        }
        if let Some(n) = terms.get(i + 1) {
            keys.push(format!("p{} {}", t.folded, n.folded));
        }
    }
    let numbers: Vec<String> = terms
        .iter()
        .filter(|t| t.exact.bytes().all(|b| b.is_ascii_digit()))
        .filter_map(|t| super::number_key(&t.exact))
        .collect();
    keys.extend(numbers.iter().cloned());
    let mut lists: HashMap<String, Vec<(u32, u32)>> = HashMap::new();
    for key in &keys {
        let shard = format!("{}.json", shard_hash(key) as usize % meta.0.max(1));
        let text = files.get(&shard).map(String::as_str).unwrap_or("{}");
        answer.files.insert(shard);
        lists.insert(key.clone(), postings(text, key));
    }
    let mut score: BTreeMap<u32, u32> = BTreeMap::new();
    let mut hits: BTreeMap<u32, BTreeSet<usize>> = BTreeMap::new();
    for (n, &i) in required.iter().enumerate() {
        let t = &terms[i];
        for &(d, s) in &lists[&format!("f{}", t.folded)] {
            *score.entry(d).or_default() += s;
            hits.entry(d).or_default().insert(n);
        }
        if t.exact != t.folded {
            for &(d, s) in &lists[&format!("e{}", t.exact)] {
                *score.entry(d).or_default() += 2 * s;
            }
        }
    }
    for (i, t) in terms.iter().enumerate() {
        if let Some(n) = terms.get(i + 1) {
            for &(d, s) in &lists[&format!("p{} {}", t.folded, n.folded)] {
                *score.entry(d).or_default() += 3 * s;
            }
        }
    }
    for key in &numbers {
        for &(d, s) in &lists[key] {
            *score.entry(d).or_default() += 10 * s;
        }
    }
    // A page must have every word whose list is complete; a cut list (a very common word)
    // says nothing about the pages left out of it.
    let complete: BTreeSet<usize> = (0..required.len())
        .filter(|&n| lists[&format!("f{}", terms[required[n]].folded)].len() < meta.2)
        .collect();
    answer.truncated = complete.len() < required.len();
    let mut pages: Vec<u32> = hits
        .into_iter()
        .filter(|(_, h)| complete.is_subset(h))
        .map(|(d, _)| d)
        .collect();
    pages.sort_by(|a, b| score[b].cmp(&score[a]).then(a.cmp(b)));
    for d in pages.iter().take(SHOWN) {
        answer
            .files
            .insert(format!("trang-{}.json", *d as usize / meta.1.max(1)));
    }
    answer.pages = pages;
    answer
}

/// `(shards, chunk, max)` from `meta.json`.
fn parse_meta(text: &str) -> (usize, usize, usize) {
    let number = |name: &str| {
        text.split(&format!("\"{name}\":"))
            .nth(1)
            .and_then(|r| r.split([',', '}']).next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    (number("shards"), number("chunk"), number("max"))
}

/// The postings of `key` in a shard's JSON text.
fn postings(shard: &str, key: &str) -> Vec<(u32, u32)> {
    let needle = format!("{}:[", super::json_string(key));
    let Some(start) = shard.find(&needle).map(|i| i + needle.len()) else {
        return Vec::new();
    };
    let end = shard[start..].find(']').map_or(shard.len(), |n| start + n);
    let nums: Vec<u32> = shard[start..end]
        .split(',')
        .filter_map(|n| n.parse().ok())
        .collect();
    nums.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| (c[0], c[1]))
        .collect()
}
