//! What the index holds of one page: its keys with their scores, read from its fields, and its
//! details row.

use super::dictionary::{Dictionaries, Dictionary, Key, NONE};
use super::{Entry, number_key, tokens};
use crate::markdown::Rendered;
use crate::site::Site;
use crate::text::push_json_string;

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

/// The keys of one page with their scores, and its details row, read with the calling
/// thread's dictionary. `body` is the page's rendered body.
pub(super) fn page_keys(
    site: &Site,
    id: usize,
    body: &Rendered,
    print: u64,
    dictionaries: &Dictionaries,
) -> Entry {
    let p = &site.pages[id];
    let m = &p.page.meta;
    let (number, mut dictionary) = dictionaries.mine();
    let mut keys = PageKeys::new(&mut dictionary);
    // "57", "nghị quyết 57": a number in a query means this document above all others that
    // merely mention it.
    if let Some(key) = m
        .document
        .as_ref()
        .and_then(|d| d.number.as_ref())
        .and_then(|n| number_key(n.value.as_str()))
    {
        keys.add_other(&key, NUMBER_MATCH);
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
    for h in flatten_toc(&body.toc) {
        keys.add(h, HEADING, 1, true);
    }
    let summary = m
        .summary
        .clone()
        .unwrap_or_else(|| body.summary_text.joined(&body.summary_html));
    keys.add(&summary, SUMMARY, 1, true);
    // Body words: no pairs (they would triple the index); phrases rank through the fields above.
    for run in body.text.of(&body.html) {
        keys.read_body(&run);
    }
    keys.end_body();
    let date = m
        .date
        .map(|d| crate::text::format_short(&d))
        .unwrap_or_default();
    let excerpt = if summary.trim().is_empty() {
        excerpt_of_runs(body.text.of(&body.html))
    } else {
        excerpt(&summary)
    };
    let section = &site.sections[p.section].title;
    let url = site.urls.href(&p.path);
    keys.into_entry(
        number,
        print,
        json_array(&[&m.title, &url, &date, section, &excerpt]),
    )
}

/// The keys of one page as they are collected, in slots numbered from 0. After a word's first
/// use on the page, a use costs one lookup of the word in the dictionary: the slots of its
/// keys on this page are kept there, marked with the page.
struct PageKeys<'d> {
    dictionary: &'d mut Dictionary,
    page: u32,
    slots: Vec<Slot>,
    /// The slots the field being read touched.
    touched: Vec<u32>,
    /// The body's words (by id) in order of first use; their uses are kept in the dictionary.
    body_words: Vec<u32>,
}

/// The growing parts of [`PageKeys`], handed from page to page by the thread's dictionary.
#[derive(Default)]
pub(super) struct Buffers {
    slots: Vec<Slot>,
    touched: Vec<u32>,
    body_words: Vec<u32>,
}

/// One key of a page: its score so far, and its uses in the field being read.
#[derive(Clone, Copy)]
pub(super) struct Slot {
    key: Key,
    score: u32,
    uses: u32,
}

/// The key slots of one word on a page. A stop word never counts its slots: it is read for
/// the pairs, which use its fold.
#[derive(Clone, Copy)]
struct Word {
    fold: u32,
    fold_slot: u32,
    exact_slot: Option<u32>,
    stop: bool,
}

impl<'d> PageKeys<'d> {
    fn new(dictionary: &'d mut Dictionary) -> PageKeys<'d> {
        let page = dictionary.next_page();
        // The buffers of the thread's last page: no regrowing them on every page.
        let Buffers {
            slots,
            touched,
            body_words,
        } = std::mem::take(&mut dictionary.buffers);
        PageKeys {
            dictionary,
            page,
            slots,
            touched,
            body_words,
        }
    }

    /// Adds the keys of `text` (one field of a page): each key scores `weight` per use in the
    /// field, at most `cap` uses, so repeating a word does not buy a page its rank. `pairs`
    /// adds the phrase keys of neighbouring syllables.
    fn add(&mut self, text: &str, weight: u32, cap: u32, pairs: bool) {
        self.read(&crate::text::nfc_cow(text), pairs);
        self.end_field(weight, cap);
    }

    /// Counts the words of `text` (NFC) in the field being read.
    fn read(&mut self, text: &str, pairs: bool) {
        let mut previous: Option<u32> = None;
        tokens::for_each_word(text, |start, end| {
            let id = self.dictionary.id_in(text, start, end);
            let w = self.word(id);
            if !w.stop {
                self.count(w.fold_slot);
                if let Some(exact) = w.exact_slot {
                    self.count(exact);
                }
            }
            if pairs {
                if let Some(before) = previous {
                    let key = self.dictionary.pair_key(before, w.fold);
                    let slot = self.slot(key);
                    self.count(slot);
                }
                previous = Some(w.fold);
            }
        });
    }

    /// Counts the words of a run of the body (NFC). The body is most of a page's words: each
    /// use costs a lookup of the word and an increment, and the word's keys are looked up
    /// once per page, in [`PageKeys::end_body`].
    fn read_body(&mut self, text: &str) {
        let (dictionary, page, body_words) =
            (&mut *self.dictionary, self.page, &mut self.body_words);
        tokens::for_each_word(text, |start, end| {
            let id = dictionary.id_in(text, start, end);
            if dictionary.use_in_body(id, page) {
                body_words.push(id);
            }
        });
    }

    /// The body's words become uses of their keys, each key paying at most `BODY_CAP` uses.
    fn end_body(&mut self) {
        let words = std::mem::take(&mut self.body_words);
        for &id in &words {
            // A stop word is no key of its own, and the body has no pairs.
            if self.dictionary.words[id as usize].stop {
                continue;
            }
            let uses = self.dictionary.body_uses(id);
            let w = self.word(id);
            self.count_uses(w.fold_slot, uses);
            if let Some(exact) = w.exact_slot {
                self.count_uses(exact, uses);
            }
        }
        self.body_words = words;
        self.body_words.clear();
        self.end_field(BODY, BODY_CAP);
    }

    /// Counts one use of another key (a document number) in a field of its own.
    fn add_other(&mut self, text: &str, weight: u32) {
        let key = self.dictionary.other_key(text);
        let slot = self.slot(key);
        self.count(slot);
        self.end_field(weight, 1);
    }

    /// The slots of word `id` on this page, made at its first use.
    #[inline]
    fn word(&mut self, id: u32) -> Word {
        let known = &self.dictionary.words[id as usize];
        let (fold, lower, exact, stop) = (known.fold, known.lower, known.exact, known.stop);
        let (fold_slot, exact_slot) = match self.dictionary.word_slots(id, self.page) {
            Some(slots) => slots,
            None => {
                let fold_slot = self.slot(self.dictionary.fold_key(fold));
                let exact_slot = if exact {
                    let key = self.dictionary.exact_key(lower);
                    self.slot(key)
                } else {
                    NONE
                };
                (self.dictionary).set_word_slots(id, self.page, fold_slot, exact_slot);
                (fold_slot, exact_slot)
            }
        };
        Word {
            fold,
            fold_slot,
            exact_slot: (exact_slot != NONE).then_some(exact_slot),
            stop,
        }
    }

    /// The slot of `key` on this page, new at its first use.
    #[inline]
    fn slot(&mut self, key: Key) -> u32 {
        if let Some(slot) = self.dictionary.slot(key, self.page) {
            return slot;
        }
        self.slots.push(Slot {
            key,
            score: 0,
            uses: 0,
        });
        let slot = (self.slots.len() - 1) as u32;
        self.dictionary.set_slot(key, self.page, slot);
        slot
    }

    fn count(&mut self, slot: u32) {
        self.count_uses(slot, 1);
    }

    /// Counts `n` uses of the key in `slot` in the field being read.
    #[inline]
    fn count_uses(&mut self, slot: u32, n: u32) {
        let s = &mut self.slots[slot as usize];
        if s.uses == 0 {
            self.touched.push(slot);
        }
        s.uses += n;
    }

    fn end_field(&mut self, weight: u32, cap: u32) {
        for slot in self.touched.drain(..) {
            let s = &mut self.slots[slot as usize];
            s.score = s.score.saturating_add(weight * s.uses.min(cap));
            s.uses = 0;
        }
    }

    /// The page's entry: the keys that scored. `dictionary` is the number of the dictionary
    /// its keys belong to.
    fn into_entry(mut self, dictionary: usize, print: u64, details: String) -> Entry {
        // Sized once: collected from a filter, each array would grow (and be copied) ten
        // times over a page's few hundred keys, then be copied once more to fit.
        let scored = self.slots.iter().filter(|s| s.score > 0);
        let n = scored.clone().count();
        let mut keys = Vec::with_capacity(n);
        let mut scores = Vec::with_capacity(n);
        for s in scored {
            keys.push(s.key);
            scores.push(u16::try_from(s.score).unwrap_or(u16::MAX));
        }
        let (keys, scores) = (keys.into_boxed_slice(), scores.into_boxed_slice());
        self.slots.clear();
        self.touched.clear();
        self.body_words.clear();
        self.dictionary.buffers = Buffers {
            slots: self.slots,
            touched: self.touched,
            body_words: self.body_words,
        };
        Entry {
            print,
            dictionary,
            keys,
            scores,
            details,
        }
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

/// The start of `text`, cut at a word under 200 characters.
fn excerpt(text: &str) -> String {
    excerpt_of_runs([text])
}

/// [`excerpt`] of a text given as runs (no word runs across two), read only as far as the
/// excerpt goes.
fn excerpt_of_runs<S: AsRef<str>>(runs: impl IntoIterator<Item = S>) -> String {
    let mut out = String::new();
    // Characters in `out`.
    let mut length = 0;
    for run in runs {
        for w in run.as_ref().split_whitespace() {
            let word = w.chars().count();
            if length + word > 200 {
                out.push_str(" …");
                return out;
            }
            if !out.is_empty() {
                out.push(' ');
                length += 1;
            }
            out.push_str(w);
            length += word;
        }
    }
    out
}

fn json_array(items: &[&str]) -> String {
    let mut out = String::with_capacity(items.iter().map(|s| s.len() + 3).sum::<usize>() + 2);
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_json_string(&mut out, item);
    }
    out.push(']');
    out
}

/// The entry of a page whose only text is `text` (its title), for tests of the writer.
#[cfg(test)]
pub(super) fn entry_of_text(text: &str, dictionaries: &Dictionaries) -> Entry {
    let (number, mut dictionary) = dictionaries.mine();
    let mut keys = PageKeys::new(&mut dictionary);
    keys.add(text, TITLE, 1, true);
    keys.into_entry(number, 0, json_array(&[text]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys_of(text: &str, pairs: bool) -> std::collections::BTreeMap<String, u32> {
        let mut dictionary = Dictionary::default();
        let mut keys = PageKeys::new(&mut dictionary);
        keys.add(text, 1, BODY_CAP, pairs);
        let entry = keys.into_entry(0, 0, String::new());
        (entry.keys.iter().zip(&entry.scores))
            .map(|(&key, &score)| {
                let mut text = String::new();
                dictionary.key_text(key, &mut text);
                (text, u32::from(score))
            })
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
    fn excerpts_stop_at_a_word() {
        let long = "từ ".repeat(100);
        let e = excerpt(&long);
        assert!(e.chars().count() <= 202 && e.ends_with(" …"), "{e}");
        assert_eq!(excerpt("Tóm tắt."), "Tóm tắt.");
    }
}
