//! What the index holds of one page: its keys with their scores, read from its fields, and its
//! details row.

use super::fast_hash::FastMap;
use super::{Entry, number_key, shard_hash, tokens};
use crate::site::Site;
use crate::text::json_string;

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

/// The keys of one page with their scores, and its details row.
pub(super) fn page_keys(site: &Site, id: usize, print: u64) -> Entry {
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
        crate::markdown::decode_entities(&out)
    } else {
        out
    }
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

    fn keys_of(text: &str, pairs: bool) -> std::collections::BTreeMap<String, u32> {
        let mut keys = PageKeys::default();
        keys.add(text, 1, BODY_CAP, pairs);
        let entry = keys.into_entry(0, String::new());
        (0..entry.spans.len())
            .map(|n| (entry.key(n).to_owned(), entry.spans[n].1))
            .collect()
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
    fn excerpts_stop_at_a_word() {
        let long = "từ ".repeat(100);
        let e = excerpt("", &long);
        assert!(e.chars().count() <= 202 && e.ends_with(" …"), "{e}");
        assert_eq!(excerpt("Tóm tắt.", "Thân bài"), "Tóm tắt.");
    }
}
