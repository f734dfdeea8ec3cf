//! Words and keys met while reading pages, numbered so that a page's keys are small integers
//! instead of strings. Each worker thread has its own dictionary (no locking between threads
//! while pages are read); the index writer then numbers the keys of all dictionaries once.

use std::sync::{Mutex, MutexGuard, PoisonError};

use super::fast_hash::FastMap;
use super::tokens;

/// One key of a page, by the ids of the dictionary that read the page: two bits of kind, then
/// the ids. Ids stay below 2³¹ (a vocabulary is a few hundred thousand words at most).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub(super) struct Key(u64);

/// What a [`Key`] is.
pub(super) enum KeyKind {
    /// `f` + a folded syllable, by fold id.
    Fold(u32),
    /// `e` + a syllable with marks, by (lowercase) word id.
    Exact(u32),
    /// `p` + two folded syllables, by fold ids.
    Pair(u32, u32),
    /// Any other key (document numbers), by text id.
    Text(u32),
}

const ID_BITS: u32 = 31;
const ID_MASK: u64 = (1 << ID_BITS) - 1;

impl Key {
    pub fn fold(fold: u32) -> Key {
        Key(u64::from(fold))
    }

    pub fn exact(word: u32) -> Key {
        Key(1 << 62 | u64::from(word))
    }

    pub fn pair(first: u32, second: u32) -> Key {
        Key(2 << 62 | u64::from(first) << ID_BITS | u64::from(second))
    }

    pub fn text(text: u32) -> Key {
        Key(3 << 62 | u64::from(text))
    }

    pub fn kind(self) -> KeyKind {
        let low = (self.0 & ID_MASK) as u32;
        match self.0 >> 62 {
            0 => KeyKind::Fold(low),
            1 => KeyKind::Exact(low),
            2 => KeyKind::Pair(((self.0 >> ID_BITS) & ID_MASK) as u32, low),
            _ => KeyKind::Text(low),
        }
    }
}

/// A word of the dictionary.
pub(super) struct Known {
    /// The id of its lowercase form (its own, if it is lowercase).
    pub lower: u32,
    pub fold: u32,
    /// Whether it has marks, and so an `e` key.
    pub exact: bool,
    pub stop: bool,
}

/// The words one thread has met, across pages: pages share most of their words, so each is
/// folded and classified once per thread instead of once per page.
#[derive(Default)]
pub(super) struct Dictionary {
    ids: FastMap<Box<str>, u32>,
    pub words: Vec<Known>,
    /// The text of each word.
    pub texts: Vec<Box<str>>,
    /// Fold ids by `f` key text, and the texts.
    fold_ids: FastMap<Box<str>, u32>,
    pub folds: Vec<Box<str>>,
    /// Other key texts (document numbers) by id, and the ids.
    text_ids: FastMap<Box<str>, u32>,
    pub others: Vec<Box<str>>,
    /// The page being read, counted from 1: a word's slots are valid when its `page` is this.
    page: u32,
    /// For each fold: the page and slot of its `f` key; for each lowercase word, of its `e` key.
    pub fold_slots: Vec<(u32, u32)>,
    pub exact_slots: Vec<(u32, u32)>,
}

impl Dictionary {
    /// Starts a new page: every word's slots are forgotten at once.
    pub fn next_page(&mut self) -> u32 {
        self.page += 1;
        self.page
    }

    /// The id of `word` (NFC, any case). A capitalised word has its own id, so that text is
    /// never lowercased as a whole, and shares the keys of its lowercase form.
    pub fn id(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
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
                    self.fold_slots.push((0, 0));
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
        self.exact_slots.push((0, 0));
        self.texts.push(word.into());
        self.ids.insert(word.into(), id);
        id
    }

    /// The id of another key text (a document number key).
    pub fn other(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.text_ids.get(text) {
            return id;
        }
        let id = self.others.len() as u32;
        self.others.push(text.into());
        self.text_ids.insert(text.into(), id);
        id
    }

    /// The text of `key`, as the index files and the script spell it.
    pub fn key_text(&self, key: Key, out: &mut String) {
        match key.kind() {
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
    fn keys_pack_and_unpack() {
        let max = (1u32 << 31) - 1;
        assert!(matches!(Key::fold(max).kind(), KeyKind::Fold(m) if m == max));
        assert!(matches!(Key::exact(7).kind(), KeyKind::Exact(7)));
        assert!(matches!(Key::pair(max, 3).kind(), KeyKind::Pair(m, 3) if m == max));
        assert!(matches!(Key::pair(3, max).kind(), KeyKind::Pair(3, m) if m == max));
        assert!(matches!(Key::text(0).kind(), KeyKind::Text(0)));
    }

    #[test]
    fn capitalised_words_share_the_keys_of_their_lowercase() {
        let mut d = Dictionary::default();
        let upper = d.id("Đổi");
        let lower = d.id("đổi");
        assert_ne!(upper, lower);
        assert_eq!(d.words[upper as usize].lower, lower);
        assert_eq!(d.words[upper as usize].fold, d.words[lower as usize].fold);
        let mut text = String::new();
        d.key_text(Key::exact(lower), &mut text);
        d.key_text(Key::fold(d.words[lower as usize].fold), &mut text);
        assert_eq!(text, "eđổifdoi");
    }
}
