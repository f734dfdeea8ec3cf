//! The index's files: shards of keys with their pages, details chunks, `meta.json`.

use std::sync::Arc;

use std::sync::MutexGuard;

use super::dictionary::{Dictionaries, Dictionary, Key};
use super::tokens::STOP_WORDS;
use super::{CHUNK, Entry, Files, INDEX_DIR, MAX_POSTINGS, shard_hash};
use crate::fast_hash::FastMap;
use crate::text::{json_string, push_json_string};

/// Keys are first grouped into fine buckets of about this many (key, page) entries...
const ENTRIES_PER_BUCKET: usize = 500;
/// ...whose JSON, cut to `MAX_POSTINGS` per key, is then joined into files of about this size
/// (at 10,000 articles: 3,000 files, 55-84 KB raw for a query of one to three words).
/// Both counts are powers of two, so a file holds the buckets equal to its number modulo the
/// file count, and the script finds a key's file by its hash modulo the file count alone.
const SHARD_BYTES: usize = 2048;
/// A small site still gets files of about `SHARD_BYTES`, not a few large ones.
const MIN_BUCKETS: usize = 64;
/// Postings placed at once, in bytes (six a posting): uncut, 10,000 articles would take four
/// rounds; with the cuts of the keys on more than `MAX_POSTINGS` pages, one.
const POSTINGS_BYTES: usize = 8 << 20;

/// Each bucket's JSON, with the fingerprint of the entries it was made from (kept by `serve`).
pub(super) type Buckets = Vec<(u64, Arc<[u8]>)>;

/// The files of the index of `pages` (newest first). `buckets` (`serve`) holds each bucket's
/// JSON of the last build with its fingerprint; a bucket whose entries did not change is
/// reused. A one-shot build passes `None` and spends nothing on fingerprints.
pub(super) fn write_index(
    pages: Vec<Arc<Entry>>,
    dictionaries: &Dictionaries,
    buckets: Option<&mut Buckets>,
) -> Files {
    write_in_rounds(pages, dictionaries, buckets, POSTINGS_BYTES)
}

/// [`write_index`], placing about `round_bytes` of postings at a time.
fn write_in_rounds(
    pages: Vec<Arc<Entry>>,
    dictionaries: &Dictionaries,
    mut buckets: Option<&mut Buckets>,
    round_bytes: usize,
) -> Files {
    let track = buckets.is_some();
    let entries: usize = pages.iter().map(|e| e.keys.len()).sum();
    let fine = (entries / ENTRIES_PER_BUCKET)
        .next_power_of_two()
        .max(MIN_BUCKETS);
    let mut out = details_chunks(&pages);
    let page_count = pages.len();
    let dictionaries = dictionaries.lock_all();
    let mut keys = SiteKeys::new(&dictionaries, fine);
    let (counts, prints) = count_keys(&pages, &mut keys, fine, track);
    let mut by_bucket: Vec<Vec<u32>> = vec![Vec::new(); fine];
    for (id, &n) in keys.buckets.iter().enumerate() {
        by_bucket[n as usize].push(id as u32);
    }
    let old: &[(u64, Arc<[u8]>)] = match &buckets {
        Some(last) if last.len() == fine => last,
        _ => &[],
    };
    let stale = |n: usize| old.get(n).is_none_or(|(print, _)| *print != prints[n]);
    // The postings are placed for a class of buckets at a time (bucket number modulo
    // `classes`): the entries and every posting of a large site would otherwise be held at
    // once, the peak of a one-shot build's memory. At most 256 rounds (a byte per key tells
    // its class).
    let rounds = |postings: usize| {
        (postings * 6)
            .div_ceil(round_bytes)
            .max(1)
            .next_power_of_two()
            .min(fine)
            .min(256)
    };
    // A key on more pages than its JSON lists places only the postings the JSON shows, when
    // all postings would need more than one round: counting them by score is one more pass
    // over the entries, which a one-round site (1,000 articles) pays for without gain.
    let mut cuts = match rounds(counts.iter().sum()) {
        1 => Cuts::none(counts.len()),
        _ => Cuts::new(&pages, &keys.local, &counts),
    };
    let kept: Vec<usize> = (0..counts.len())
        .map(|id| cuts.kept(id, counts[id]))
        .collect();
    let classes = rounds(kept.iter().sum());
    let mut fresh: Vec<Option<(u64, Arc<[u8]>)>> = vec![None; fine];
    let class_of_key = |id: usize| keys.buckets[id] as usize % classes;
    // The class of each key by its dictionary's id: the rounds test every posting against a
    // small table instead of looking up its site id and bucket (two cache misses) each time.
    let class_of: Vec<Vec<u8>> = keys
        .local
        .iter()
        .map(|ids| {
            ids.iter()
                .map(|&id| match id {
                    UNSEEN => 0,
                    id => class_of_key(id as usize) as u8,
                })
                .collect()
        })
        .collect();
    let round = Round {
        pages: &pages,
        keys: &keys,
        class_of: &class_of,
        kept: &kept,
        by_bucket: &by_bucket,
        classes,
        fine,
    };
    for class in 0..classes {
        if !(class..fine).step_by(classes).any(stale) {
            continue;
        }
        for (n, json) in round.place(class, &mut cuts, &stale) {
            fresh[n] = Some((prints[n], json));
        }
    }
    // The entries are read: a one-shot build frees them before the files are joined.
    drop(pages);
    let fresh: Vec<(u64, Arc<[u8]>)> = fresh
        .into_iter()
        .enumerate()
        .map(|(n, made)| made.unwrap_or_else(|| old[n].clone()))
        .collect();
    let buckets: &[(u64, Arc<[u8]>)] = match buckets.take() {
        Some(kept) => {
            *kept = fresh;
            kept
        }
        None => &fresh,
    };
    out.extend(shards_and_meta(buckets, fine, page_count));
    out
}

/// What placing the postings of one class of buckets reads (see [`write_in_rounds`]).
struct Round<'a> {
    pages: &'a [Arc<Entry>],
    keys: &'a SiteKeys<'a>,
    /// The class of each key by its dictionary's id.
    class_of: &'a [Vec<u8>],
    /// Postings placed per key (site id).
    kept: &'a [usize],
    by_bucket: &'a [Vec<u32>],
    classes: usize,
    fine: usize,
}

impl Round<'_> {
    /// The JSON of the stale buckets of `class`, by bucket number.
    fn place(
        &self,
        class: usize,
        cuts: &mut Cuts,
        stale: &(dyn Fn(usize) -> bool + Sync),
    ) -> Vec<(usize, Arc<[u8]>)> {
        use rayon::prelude::*;
        let keys = self.keys;
        let mine = |id: usize| keys.buckets[id] as usize % self.classes == class;
        let mut starts = vec![0usize; self.kept.len()];
        let mut size = 0;
        for (id, start) in starts.iter_mut().enumerate().filter(|(id, _)| mine(*id)) {
            *start = size;
            size += self.kept[id];
        }
        let mut next = starts.clone();
        let mut postings = Postings::new(size);
        for (doc, entry) in self.pages.iter().enumerate() {
            let classes = &self.class_of[entry.dictionary];
            for (&key, &score) in entry.keys.iter().zip(&*entry.scores) {
                if usize::from(classes[key as usize]) == class {
                    let id = keys.known(entry.dictionary, key);
                    if cuts.keeps(id, score) {
                        postings.set(next[id], doc as u32, score);
                        next[id] += 1;
                    }
                }
            }
        }
        (class..self.fine)
            .step_by(self.classes)
            .filter(|&n| stale(n))
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|n| {
                let mut ids = self.by_bucket[n].clone();
                ids.sort_unstable_by_key(|&id| &keys.texts[id as usize]);
                let json = bucket_json(ids.iter().map(|&id| {
                    let start = starts[id as usize];
                    let range = start..start + self.kept[id as usize];
                    (&*keys.texts[id as usize], postings.of(range))
                }));
                (n, Arc::from(json))
            })
            .collect()
    }
}

/// The details rows, `CHUNK` pages a file.
fn details_chunks(pages: &[Arc<Entry>]) -> Files {
    (pages.chunks(CHUNK).enumerate())
        .map(|(n, chunk)| {
            let rows = chunk.iter().map(|e| e.details.as_bytes());
            let json = joined(b'[', rows, b']');
            (format!("{INDEX_DIR}/trang-{n}.json"), Arc::from(json))
        })
        .collect()
}

/// Postings key after key (a counting sort by key), pages in order within a key: first count
/// (numbering the keys of the site), then place. The count of each key by its site id, and
/// (`track`) each of the `fine` buckets' print: a bucket changes only if a page with keys in
/// it changed or moved.
fn count_keys(
    pages: &[Arc<Entry>],
    keys: &mut SiteKeys,
    fine: usize,
    track: bool,
) -> (Vec<usize>, Vec<u64>) {
    let mut counts: Vec<usize> = Vec::new();
    let mut prints = vec![0u64; fine];
    for (doc, entry) in pages.iter().enumerate() {
        for &key in &*entry.keys {
            let id = keys.id(entry.dictionary, key) as usize;
            if id == counts.len() {
                counts.push(0);
            }
            counts[id] += 1;
            if track {
                let n = keys.buckets[id] as usize;
                prints[n] = crate::fast_hash::mix(prints[n], entry.print ^ doc as u64);
            }
        }
    }
    (counts, prints)
}

/// The buckets' JSON joined into shards of about `SHARD_BYTES`, and `meta.json`.
fn shards_and_meta(buckets: &[(u64, Arc<[u8]>)], fine: usize, page_count: usize) -> Files {
    use rayon::prelude::*;
    let total: usize = buckets.iter().map(|(_, json)| json.len()).sum();
    let count = total
        .div_ceil(SHARD_BYTES)
        .max(1)
        .next_power_of_two()
        .min(fine);
    let mut out: Files = (0..count)
        .into_par_iter()
        .map(|n| {
            let parts = (n..fine)
                .step_by(count)
                .map(|b| &*buckets[b].1)
                .filter(|json| !json.is_empty());
            let json = joined(b'{', parts, b'}');
            (format!("{INDEX_DIR}/{n}.json"), Arc::from(json))
        })
        .collect();
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

/// `parts` between `open` and `close`, separated by commas: a JSON array or object of
/// members already written.
fn joined<'p>(open: u8, parts: impl Iterator<Item = &'p [u8]>, close: u8) -> Vec<u8> {
    let mut json = vec![open];
    for (i, part) in parts.enumerate() {
        if i > 0 {
            json.push(b',');
        }
        json.extend_from_slice(part);
    }
    json.push(close);
    json
}

/// Scores above this share one count in [`Cuts`].
const TOP_SCORE: u16 = 63;

/// Which postings of the keys on more than `MAX_POSTINGS` pages make their list: the
/// `MAX_POSTINGS` best, then newest. Most postings of a large site belong to such keys
/// (common words); placing and ranking only those a list shows makes the rounds fewer and
/// the ranking shorter. Counted by score first, so that placing, which meets each key's
/// postings newest first, keeps those with a better score than the cut, and at the cut's
/// score the first ones it meets.
struct Cuts {
    /// By site key id: its cut's number, or `UNSEEN` for a key that keeps every posting.
    of_key: Vec<u32>,
    cuts: Vec<Cut>,
}

#[derive(Clone, Copy)]
struct Cut {
    /// Postings scoring above this are kept (scores above `TOP_SCORE` count as it)...
    score: u16,
    /// ...and at it, this many, of which `taken` were met so far.
    room: usize,
    taken: usize,
    /// The postings kept in all.
    kept: usize,
}

impl Cut {
    /// The cut of a key whose postings number `counts[score]` by score.
    fn of(counts: &[usize]) -> Cut {
        let all: usize = counts.iter().sum();
        let mut above = 0;
        for score in (0..=TOP_SCORE).rev() {
            let here = counts[usize::from(score)];
            if score == TOP_SCORE && here >= MAX_POSTINGS {
                // Scores this high are not told apart here: keep them all.
                return Cut::new(score, here, here);
            }
            if above + here >= MAX_POSTINGS {
                return Cut::new(score, MAX_POSTINGS - above, MAX_POSTINGS);
            }
            above += here;
        }
        // Not a key on more than `MAX_POSTINGS` pages: keep everything.
        Cut::new(0, usize::MAX, all)
    }

    fn new(score: u16, room: usize, kept: usize) -> Cut {
        Cut {
            score,
            room,
            taken: 0,
            kept,
        }
    }
}

impl Cuts {
    /// Every posting kept.
    fn none(keys: usize) -> Cuts {
        Cuts {
            of_key: vec![UNSEEN; keys],
            cuts: Vec::new(),
        }
    }

    fn new(pages: &[Arc<Entry>], local: &[Vec<u32>], counts: &[usize]) -> Cuts {
        let mut of_key = vec![UNSEEN; counts.len()];
        let mut heavy = 0;
        for (id, _) in counts
            .iter()
            .enumerate()
            .filter(|&(_, &n)| n > MAX_POSTINGS)
        {
            of_key[id] = heavy;
            heavy += 1;
        }
        // Postings by score, for each key with a cut.
        const SCORES: usize = TOP_SCORE as usize + 1;
        let mut by_score = vec![0usize; heavy as usize * SCORES];
        if heavy > 0 {
            for entry in pages {
                let ids = &local[entry.dictionary];
                for (&key, &score) in entry.keys.iter().zip(&*entry.scores) {
                    let cut = of_key[ids[key as usize] as usize];
                    if cut != UNSEEN {
                        by_score[cut as usize * SCORES + usize::from(score.min(TOP_SCORE))] += 1;
                    }
                }
            }
        }
        let cuts = by_score.chunks_exact(SCORES).map(Cut::of).collect();
        Cuts { of_key, cuts }
    }

    /// How many of the `count` postings of key `id` are kept.
    fn kept(&self, id: usize, count: usize) -> usize {
        match self.of_key[id] {
            UNSEEN => count,
            cut => self.cuts[cut as usize].kept,
        }
    }

    /// Whether the next posting of key `id`, in page order, is kept.
    fn keeps(&mut self, id: usize, score: u16) -> bool {
        let cut = match self.of_key[id] {
            UNSEEN => return true,
            cut => &mut self.cuts[cut as usize],
        };
        let score = score.min(TOP_SCORE);
        if score > cut.score {
            return true;
        }
        if score == cut.score && cut.taken < cut.room {
            cut.taken += 1;
            return true;
        }
        false
    }
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

    /// The site id of `key` of dictionary `d`, given by [`SiteKeys::id`] before.
    fn known(&self, d: usize, key: Key) -> usize {
        self.local[d][key as usize] as usize
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
fn bucket_json<'p, P>(keys: impl Iterator<Item = (&'p str, P)>) -> Vec<u8>
where
    P: Iterator<Item = (u32, u16)>,
{
    // Bytes: the files are bytes, and a `String` would want every number checked as UTF-8
    // (the keys are text, the rest ASCII).
    let mut json: Vec<u8> = Vec::new();
    let mut ranked = Ranked::default();
    let mut quoted = String::new();
    for (key, postings) in keys {
        if !json.is_empty() {
            json.push(b',');
        }
        quoted.clear();
        push_json_string(&mut quoted, key);
        json.extend_from_slice(quoted.as_bytes());
        json.extend_from_slice(b":[");
        for (j, &(doc, score)) in ranked.best_first(postings).iter().enumerate() {
            if j > 0 {
                json.push(b',');
            }
            push_number(&mut json, doc);
            json.push(b',');
            push_number(&mut json, u32::from(score.min(255)));
        }
        json.push(b']');
    }
    json
}

/// One key's postings ranked best first, then newest first, at most `MAX_POSTINGS` of them;
/// the buffers are kept from key to key.
#[derive(Default)]
struct Ranked {
    postings: Vec<(u32, u16)>,
    /// Per score: how many postings have it, then where the first of them goes.
    starts: Vec<u32>,
    best: Vec<(u32, u16)>,
}

impl Ranked {
    /// `postings` (page, score) ranked. They come in page order, newest first, and scores are
    /// mostly small sums of field weights: a counting sort by score, which keeps the order of
    /// equal scores, is the whole ranking (it took a twentieth of a build as a comparison
    /// sort). Postings out of order or scores spread too far are sorted instead.
    fn best_first(&mut self, postings: impl Iterator<Item = (u32, u16)>) -> &[(u32, u16)] {
        self.postings.clear();
        self.postings.extend(postings);
        let n = self.postings.len();
        let top = usize::from(self.postings.iter().map(|p| p.1).max().unwrap_or(0));
        let in_order = self.postings.windows(2).all(|w| w[0].0 < w[1].0);
        self.best.clear();
        if !in_order || top > 4 * n + 1024 {
            // Not in page order, or scores too spread for a table of them: sort.
            let mut keys: Vec<u64> = (self.postings.iter())
                .map(|&(doc, score)| u64::from(!score) << 32 | u64::from(doc))
                .collect();
            if keys.len() > MAX_POSTINGS {
                keys.select_nth_unstable(MAX_POSTINGS);
                keys.truncate(MAX_POSTINGS);
            }
            keys.sort_unstable();
            (self.best).extend(keys.iter().map(|&k| (k as u32, !((k >> 32) as u16))));
            return &self.best;
        }
        self.starts.clear();
        self.starts.resize(top + 1, 0);
        for &(_, score) in &self.postings {
            self.starts[usize::from(score)] += 1;
        }
        // Highest scores first.
        let mut at = 0;
        for start in self.starts.iter_mut().rev() {
            let count = *start;
            *start = at;
            at += count;
        }
        self.best.resize(n.min(MAX_POSTINGS), (0, 0));
        for &(doc, score) in &self.postings {
            let start = &mut self.starts[usize::from(score)];
            if let Some(slot) = self.best.get_mut(*start as usize) {
                *slot = (doc, score);
            }
            *start += 1;
        }
        &self.best
    }
}

/// The postings of one class of buckets: pages and scores apart, six bytes a posting, not
/// eight.
struct Postings {
    docs: Vec<u32>,
    scores: Vec<u16>,
}

impl Postings {
    fn new(size: usize) -> Postings {
        Postings {
            docs: vec![0; size],
            scores: vec![0; size],
        }
    }

    fn set(&mut self, at: usize, doc: u32, score: u16) {
        self.docs[at] = doc;
        self.scores[at] = score;
    }

    /// The postings at `range`: (page, score).
    fn of(&self, range: std::ops::Range<usize>) -> impl Iterator<Item = (u32, u16)> + '_ {
        let (docs, scores) = (&self.docs[range.clone()], &self.scores[range]);
        docs.iter().copied().zip(scores.iter().copied())
    }
}

/// Appends `n` in decimal, three digits at a time from a table (`write!` costs more than the
/// rest of a posting; most numbers of the index are under 1,000).
fn push_number(out: &mut Vec<u8>, n: u32) {
    if n >= 1000 {
        push_number(out, n / 1000);
        let at = 3 * (n % 1000) as usize;
        out.extend_from_slice(&THREE_DIGITS[at..at + 3]);
        return;
    }
    let at = 3 * n as usize;
    let [hundreds, tens, ones] = [THREE_DIGITS[at], THREE_DIGITS[at + 1], THREE_DIGITS[at + 2]];
    match n {
        100.. => out.extend_from_slice(&[hundreds, tens, ones]),
        10.. => out.extend_from_slice(&[tens, ones]),
        _ => out.push(ones),
    }
}

/// "000001002…999": every number under 1,000 in three digits.
const THREE_DIGITS: [u8; 3000] = {
    let mut digits = [0u8; 3000];
    let mut n = 0;
    while n < 1000 {
        digits[3 * n] = b'0' + (n / 100) as u8;
        digits[3 * n + 1] = b'0' + (n / 10 % 10) as u8;
        digits[3 * n + 2] = b'0' + (n % 10) as u8;
        n += 1;
    }
    digits
};

#[cfg(test)]
mod tests {
    use super::*;

    /// The ranking by counting against a comparison sort of (score, page), on lists of every
    /// length around `MAX_POSTINGS`, with few and with spread scores, in and out of order.
    #[test]
    fn ranking_by_counting_is_ranking_by_sorting() {
        let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
        let mut ranked = Ranked::default();
        for round in 0..400 {
            let n = (round * 7) % (MAX_POSTINGS * 2 + 10);
            let spread: u64 = [3, 60, 65_535][round % 3];
            let mut doc = 0;
            let mut postings: Vec<(u32, u16)> = (0..n)
                .map(|_| {
                    doc += 1 + (next() % 5) as u32;
                    (doc, (next() % (spread + 1)) as u16)
                })
                .collect();
            if round % 5 == 4 {
                postings.reverse();
            }
            let mut sorted = postings.clone();
            sorted.sort_by_key(|&(doc, score)| (std::cmp::Reverse(score), doc));
            sorted.truncate(MAX_POSTINGS);
            let got = ranked.best_first(postings.iter().copied());
            assert_eq!(got, &sorted[..], "round {round}, {n} postings");
        }
    }

    #[test]
    fn a_cut_keeps_the_best_then_the_first_at_its_score() {
        let mut counts = vec![0; TOP_SCORE as usize + 1];
        counts[5] = 100;
        counts[3] = 150;
        counts[1] = 400;
        let cut = Cut::of(&counts);
        assert_eq!((cut.score, cut.room, cut.kept), (1, 50, MAX_POSTINGS));
        // Scores from `TOP_SCORE` up are not told apart: all of them stay.
        counts[TOP_SCORE as usize] = MAX_POSTINGS + 20;
        let cut = Cut::of(&counts);
        assert_eq!((cut.score, cut.kept), (TOP_SCORE, MAX_POSTINGS + 20));
    }

    /// Keys on more pages than a list holds, with scores on both sides of `TOP_SCORE` and
    /// many ties: placed in rounds, where cuts keep only what the lists show, the files are
    /// those of one round that places every posting.
    #[test]
    fn cutting_long_lists_writes_the_same_files() {
        let dictionaries = Dictionaries::default();
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let scores = [1, 1, 1, 2, 3, 5, 5, 10, 62, 63, 64, 200];
        let entries: Vec<Arc<Entry>> = (0..2 * MAX_POSTINGS + 50)
            .map(|page| {
                let (number, mut dictionary) = dictionaries.mine();
                let mut keys = Vec::new();
                let mut ranks = Vec::new();
                for (k, text) in ["nchung", "nmot", "nhai", "nba", "ncao"].iter().enumerate() {
                    // Every page has "nchung" and "ncao"; the others are on about 1/2, 1/3
                    // of them.
                    if (1..4).contains(&k) && !next().is_multiple_of(k as u64 + 1) {
                        continue;
                    }
                    keys.push(dictionary.other_key(text));
                    let score = match *text {
                        "ncao" => 63 + (next() % 3) as u16,
                        _ => scores[(next() % scores.len() as u64) as usize],
                    };
                    ranks.push(score);
                }
                // A key on exactly `MAX_POSTINGS` pages, and one on one page more.
                if page < MAX_POSTINGS {
                    keys.push(dictionary.other_key("nday"));
                    ranks.push(1 + (page % 4) as u16);
                }
                if page <= MAX_POSTINGS {
                    keys.push(dictionary.other_key("ntran"));
                    ranks.push(1 + (page % 4) as u16);
                }
                Arc::new(Entry {
                    print: 0,
                    dictionary: number,
                    keys: keys.into_boxed_slice(),
                    scores: ranks.into_boxed_slice(),
                    details: String::from("[]"),
                })
            })
            .collect();
        let text = same_files_at_once_and_in_rounds(entries, &dictionaries);
        // The lists are cut: the common key lists `MAX_POSTINGS` pages.
        let list = text.split("\"nchung\":[").nth(1).unwrap();
        let numbers = list[..list.find(']').unwrap()].split(',').count();
        assert_eq!(numbers, 2 * MAX_POSTINGS);
    }

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut out = Vec::new();
        for n in [
            0,
            7,
            10,
            99,
            100,
            255,
            999,
            1000,
            1005,
            10_050,
            999_999,
            4_294_967_295,
        ] {
            push_number(&mut out, n);
            out.push(b' ');
        }
        assert_eq!(
            out,
            b"0 7 10 99 100 255 999 1000 1005 10050 999999 4294967295 "
        );
    }

    /// Writes `entries` placing every posting at once and in rounds of six bytes (a round or
    /// so per posting, every bucket in its own round, with cuts), checks both give the same
    /// files, and returns their text.
    fn same_files_at_once_and_in_rounds(
        entries: Vec<Arc<Entry>>,
        dictionaries: &Dictionaries,
    ) -> String {
        let at_once = write_in_rounds(entries.clone(), dictionaries, None, usize::MAX);
        let in_rounds = write_in_rounds(entries, dictionaries, None, 6);
        assert_eq!(at_once, in_rounds);
        at_once
            .iter()
            .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
            .collect()
    }

    #[test]
    fn placing_postings_in_rounds_writes_the_same_files() {
        let dictionaries = Dictionaries::default();
        let texts = [
            "Chuyển đổi số ở xã Đại Hải",
            "Nghị quyết 57 về chuyển đổi số quốc gia",
            "Dịch vụ công trực tuyến toàn trình cho người dân",
            "Thanh toán không dùng tiền mặt ở chợ xã",
            "Tổ công nghệ số cộng đồng hướng dẫn cài VNeID",
        ];
        let entries: Vec<Arc<Entry>> = texts
            .iter()
            .map(|t| Arc::new(super::super::page::entry_of_text(t, &dictionaries)))
            .collect();
        let keys = same_files_at_once_and_in_rounds(entries, &dictionaries);
        assert!(keys.contains("\"fchuyen\":[") && keys.contains("\"pdoi so\":["));
    }
}
