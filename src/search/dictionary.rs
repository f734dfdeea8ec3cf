//! Words and keys met while reading pages, numbered so that a page's keys are small integers
//! instead of strings. Each worker thread has its own dictionary (no locking between threads
//! while pages are read); the index writer then numbers the keys of all dictionaries once.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::tokens;
use crate::fast_hash::FastMap;

/// One key of a page, by the id the dictionary that read the page gave it: four bytes per
/// (page, key), of which a large site has millions.
pub(super) type Key = u32;

/// What a [`Key`] is.
#[derive(Clone, Copy)]
enum KeyKind {
    /// `f` + a folded syllable, by fold id.
    Fold(u32),
    /// `e` + a syllable with marks, by (lowercase) word id.
    Exact(u32),
    /// `p` + two folded syllables, by fold ids.
    Pair(u32, u32),
    /// Any other key (document numbers), by text id.
    Text(u32),
}

/// No key (or slot) yet.
pub(super) const NONE: Key = u32::MAX;

/// A word of the dictionary.
pub(super) struct Known {
    /// The id of its lowercase form (its own, if it is lowercase).
    pub lower: u32,
    pub fold: u32,
    /// Whether it has marks, and so an `e` key.
    pub exact: bool,
    pub stop: bool,
}

/// Word ids by text. Almost every word fits in 15 bytes (a Vietnamese syllable takes at most
/// 11): those are looked up as one 128-bit number, which hashes in two steps and compares
/// without a call to `memcmp` (the lookup is the most frequent step of the index); longer
/// words by their text.
#[derive(Default)]
struct WordIds {
    short: FastMap<u128, u32>,
    long: FastMap<Box<str>, u32>,
}

/// `LOW_BYTES[n]` keeps the low `n` bytes of a `u128` (a table: a shift of a `u128` by a
/// variable amount takes several branches).
const LOW_BYTES: [u128; 16] = {
    let mut masks = [0u128; 16];
    let mut n = 1;
    while n < 16 {
        masks[n] = (1u128 << (8 * n)) - 1;
        n += 1;
    }
    masks
};

impl WordIds {
    /// The bytes of a short word, and its length in the last byte.
    fn pack(word: &str) -> Option<u128> {
        let bytes = word.as_bytes();
        let mut packed = [0u8; 16];
        packed
            .get_mut(..bytes.len())
            .filter(|_| bytes.len() < 16)?
            .copy_from_slice(bytes);
        packed[15] = bytes.len() as u8;
        Some(u128::from_le_bytes(packed))
    }

    /// The packed form of the word at `start..end` of `text`, read as one 16-byte load
    /// when the text goes on for 16 bytes from `start`.
    fn pack_in(text: &str, start: usize, end: usize) -> Option<u128> {
        let len = end.checked_sub(start).filter(|&len| len < 16)?;
        let chunk: [u8; 16] = text.as_bytes().get(start..start + 16)?.try_into().ok()?;
        Some((u128::from_le_bytes(chunk) & LOW_BYTES[len]) | (len as u128) << 120)
    }

    fn get(&self, word: &str) -> Option<u32> {
        match Self::pack(word) {
            Some(packed) => self.short.get(&packed).copied(),
            None => self.long.get(word).copied(),
        }
    }

    fn insert(&mut self, word: &str, id: u32) {
        match Self::pack(word) {
            Some(packed) => self.short.insert(packed, id),
            None => self.long.insert(word.into(), id),
        };
    }
}

/// The words one thread has met, across pages: pages share most of their words, so each is
/// folded and classified once per thread instead of once per page.
#[derive(Default)]
pub(super) struct Dictionary {
    ids: WordIds,
    pub words: Vec<Known>,
    /// The text of each word.
    texts: Vec<Box<str>>,
    /// Fold ids by `f` key text, and the texts.
    fold_ids: FastMap<Box<str>, u32>,
    folds: Vec<Box<str>>,
    /// Other key texts (document numbers) by id, and the texts.
    text_ids: FastMap<Box<str>, u32>,
    others: Vec<Box<str>>,
    /// Every key met, by key id; and the key of each fold, of each word's exact form, of each
    /// pair of folds.
    keys: Vec<KeyKind>,
    fold_keys: Vec<Key>,
    exact_keys: Vec<Key>,
    pair_keys: FastMap<u64, Key>,
    /// The page being read, counted from 1, and for each key the page and slot it last had:
    /// a slot is valid when its page is the current one.
    page: u32,
    slots: Vec<(u32, u32)>,
    /// For each word, the page it was last used on and its slots there: the slots of a
    /// word's keys, without looking up its keys, for every use after the first.
    word_slots: Vec<(u32, u32, u32)>,
    /// For each word, the page whose body used it last and how many times.
    body_uses: Vec<(u32, u32)>,
    /// The buffers of a page being read, kept from page to page.
    pub buffers: super::page::Buffers,
}

impl Dictionary {
    /// Starts a new page: every key's slot is forgotten at once.
    #[inline]
    pub fn next_page(&mut self) -> u32 {
        self.page += 1;
        self.page
    }

    /// The slot of `key` on page `page`, if it has one.
    #[inline]
    pub fn slot(&self, key: Key, page: u32) -> Option<u32> {
        let (p, slot) = self.slots[key as usize];
        (p == page).then_some(slot)
    }

    #[inline]
    pub fn set_slot(&mut self, key: Key, page: u32, slot: u32) {
        self.slots[key as usize] = (page, slot);
    }

    /// The number of keys met so far.
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    fn new_key(&mut self, kind: KeyKind) -> Key {
        self.keys.push(kind);
        self.slots.push((0, 0));
        (self.keys.len() - 1) as Key
    }

    /// The id of the word at `start..end` of `text` (NFC): [`Dictionary::id`], with the
    /// lookup of a known short word done without copying it.
    #[inline]
    pub fn id_in(&mut self, text: &str, start: usize, end: usize) -> u32 {
        let known = WordIds::pack_in(text, start, end).and_then(|p| self.ids.short.get(&p));
        match known {
            Some(&id) => id,
            None => self.id(&text[start..end]),
        }
    }

    /// The slots word `id` has on page `page`: its `f` key's and its `e` key's (`NONE` for
    /// a word without marks), if the page has used it before.
    #[inline]
    pub fn word_slots(&self, id: u32, page: u32) -> Option<(u32, u32)> {
        let (p, fold, exact) = self.word_slots[id as usize];
        (p == page).then_some((fold, exact))
    }

    /// Records the slots word `id` got on page `page` at its first use there.
    #[inline]
    pub fn set_word_slots(&mut self, id: u32, page: u32, fold: u32, exact: u32) {
        self.word_slots[id as usize] = (page, fold, exact);
    }

    /// Counts one use of word `id` in the body of page `page`: `true` at its first.
    #[inline]
    pub fn use_in_body(&mut self, id: u32, page: u32) -> bool {
        let (p, uses) = &mut self.body_uses[id as usize];
        let first = *p != page;
        if first {
            *p = page;
            *uses = 0;
        }
        *uses += 1;
        first
    }

    /// The uses of word `id` counted by [`Dictionary::use_in_body`] on the current page.
    #[inline]
    pub fn body_uses(&self, id: u32) -> u32 {
        self.body_uses[id as usize].1
    }

    /// The id of `word` (NFC, any case). A capitalised word has its own id, so that text is
    /// never lowercased as a whole, and shares the keys of its lowercase form.
    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(id) = self.ids.get(word) {
            return id;
        }
        let lower = word.to_lowercase();
        let (lower, fold, exact, stop) = if lower != word {
            let lower = self.id(&lower);
            let l = &self.words[lower as usize];
            (lower, l.fold, l.exact, l.stop)
        } else {
            let mut folded = String::with_capacity(word.len() + 1);
            folded.push('f');
            crate::text::fold_into(word, &mut folded);
            let exact = folded[1..] != *word;
            let fold = match self.fold_ids.get(folded.as_str()) {
                Some(&fold) => fold,
                None => {
                    let fold = self.folds.len() as u32;
                    self.fold_ids.insert(folded.clone().into_boxed_str(), fold);
                    self.folds.push(folded.into_boxed_str());
                    let key = self.new_key(KeyKind::Fold(fold));
                    self.fold_keys.push(key);
                    fold
                }
            };
            let own = self.words.len() as u32;
            (own, fold, exact, tokens::is_stop_word(word))
        };
        let id = self.words.len() as u32;
        self.words.push(Known {
            lower,
            fold,
            exact,
            stop,
        });
        self.exact_keys.push(NONE);
        self.word_slots.push((0, 0, NONE));
        self.body_uses.push((0, 0));
        self.texts.push(word.into());
        self.ids.insert(word, id);
        id
    }

    /// The `f` key of fold `fold`.
    #[inline]
    pub fn fold_key(&self, fold: u32) -> Key {
        self.fold_keys[fold as usize]
    }

    /// The `e` key of (lowercase) word `word`.
    #[inline]
    pub fn exact_key(&mut self, word: u32) -> Key {
        match self.exact_keys[word as usize] {
            NONE => {
                let key = self.new_key(KeyKind::Exact(word));
                self.exact_keys[word as usize] = key;
                key
            }
            key => key,
        }
    }

    /// The `p` key of two neighbouring folds.
    pub fn pair_key(&mut self, first: u32, second: u32) -> Key {
        let pair = u64::from(first) << 32 | u64::from(second);
        if let Some(&key) = self.pair_keys.get(&pair) {
            return key;
        }
        let key = self.new_key(KeyKind::Pair(first, second));
        self.pair_keys.insert(pair, key);
        key
    }

    /// The key of another key text (a document number key).
    pub fn other_key(&mut self, text: &str) -> Key {
        if let Some(&id) = self.text_ids.get(text) {
            return id;
        }
        let id = self.others.len() as u32;
        self.others.push(text.into());
        let key = self.new_key(KeyKind::Text(id));
        self.text_ids.insert(text.into(), key);
        key
    }

    /// The text of `key`, as the index files and the script spell it.
    pub fn key_text(&self, key: Key, out: &mut String) {
        match self.keys[key as usize] {
            KeyKind::Fold(fold) => out.push_str(&self.folds[fold as usize]),
            KeyKind::Exact(word) => {
                out.push('e');
                out.push_str(&self.texts[word as usize]);
            }
            KeyKind::Pair(first, second) => {
                out.push('p');
                out.push_str(&self.folds[first as usize][1..]);
                out.push(' ');
                out.push_str(&self.folds[second as usize][1..]);
            }
            KeyKind::Text(text) => out.push_str(&self.others[text as usize]),
        }
    }
}

/// One dictionary per worker thread, plus one for callers outside the thread pool. Kept
/// between builds by `serve`: the cached entries of unchanged pages refer to them.
pub(super) struct Dictionaries {
    all: Vec<Mutex<Dictionary>>,
}

impl Default for Dictionaries {
    fn default() -> Dictionaries {
        Dictionaries {
            all: (0..=rayon::current_num_threads())
                .map(|_| Mutex::default())
                .collect(),
        }
    }
}

impl Dictionaries {
    /// The calling thread's dictionary and its number. Only that thread locks it while
    /// pages are read, so the lock is never contended then.
    pub fn mine(&self) -> (usize, MutexGuard<'_, Dictionary>) {
        let last = self.all.len() - 1;
        let n = rayon::current_thread_index().map_or(last, |i| i.min(last));
        (
            n,
            self.all[n].lock().unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// Every dictionary, locked, by number (once the pages are read).
    pub fn lock_all(&self) -> Vec<MutexGuard<'_, Dictionary>> {
        self.all
            .iter()
            .map(|d| d.lock().unwrap_or_else(PoisonError::into_inner))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capitalised_words_share_the_keys_of_their_lowercase() {
        let mut d = Dictionary::default();
        let upper = d.id("Đổi");
        let lower = d.id("đổi");
        assert_ne!(upper, lower);
        assert_eq!(d.words[upper as usize].lower, lower);
        assert_eq!(d.words[upper as usize].fold, d.words[lower as usize].fold);
        let mut text = String::new();
        let exact = d.exact_key(lower);
        d.key_text(exact, &mut text);
        d.key_text(d.fold_key(d.words[lower as usize].fold), &mut text);
        assert_eq!(text, "eđổifdoi");
        assert_eq!(d.exact_key(lower), exact, "one key per word");
    }

    #[test]
    fn every_kind_of_key_has_one_id_and_its_text() {
        let mut d = Dictionary::default();
        let (so, doi) = (d.id("số"), d.id("đổi"));
        let (f1, f2) = (d.words[doi as usize].fold, d.words[so as usize].fold);
        let pair = d.pair_key(f1, f2);
        assert_eq!(d.pair_key(f1, f2), pair);
        assert_ne!(d.pair_key(f2, f1), pair, "order matters");
        let number = d.other_key("n57");
        assert_eq!(d.other_key("n57"), number);
        let mut text = String::new();
        d.key_text(pair, &mut text);
        text.push('|');
        d.key_text(number, &mut text);
        assert_eq!(text, "pdoi so|n57");
        assert_eq!(d.key_count(), 2 + 2 + 1, "two folds, two pairs, one number");
    }
}
