//! The one incremental layer: stage functions memoised by a hash of what they receive.
//!
//! `cds serve` rebuilds after every save. Each stage is a pure function of its input; the
//! [`Memo`] of a stage, owned by `build::Builder`, remembers the outputs of the last build by
//! the digest of each input, so an input that did not change is not computed again. Nothing is
//! keyed by hand: the key is the `Hash` of the very value the function is given, so a field
//! added to an input can never be forgotten by the cache. A one-shot `cds build` uses memos
//! that are off: no input is hashed, nothing is kept.

use std::hash::{Hash, Hasher};
use std::sync::{Arc, Mutex, OnceLock};

use crate::fast_hash::{FastMap, FxHasher};

/// The digest of a value: FxHash over its `Hash`. Inputs are our own content, not crafted to
/// collide, and 64 bits make an accidental collision between two versions of a file unlikely.
pub fn digest<T: Hash + ?Sized>(value: &T) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// A value that hashes as its digest, computed once, on first use: large immutable values
/// (a file's text, a rendered body) are hashed once however many inputs hold them. A one-shot
/// build never asks, so never pays.
#[derive(Debug, Default)]
pub struct Hashed<T> {
    value: T,
    digest: OnceLock<u64>,
}

impl<T: Hash> Hashed<T> {
    pub fn new(value: T) -> Hashed<T> {
        Hashed {
            value,
            digest: OnceLock::new(),
        }
    }

    /// The digest of the value.
    pub fn digest(&self) -> u64 {
        *self.digest.get_or_init(|| digest(&self.value))
    }
}

impl<T> std::ops::Deref for Hashed<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: Hash> Hash for Hashed<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest());
    }
}

impl<T: Clone> Clone for Hashed<T> {
    fn clone(&self) -> Hashed<T> {
        Hashed {
            value: self.value.clone(),
            digest: self.digest.clone(),
        }
    }
}

/// A file's text, shared by every value made from it, hashing as its digest (computed once):
/// a page's input to every stage holds its text, and 10,000 unchanged texts must not be read
/// through again at every save.
#[derive(Debug, Clone)]
pub struct Text {
    text: Arc<str>,
    digest: Arc<OnceLock<u64>>,
}

impl Text {
    pub fn new(text: Arc<str>) -> Text {
        Text {
            text,
            digest: Arc::default(),
        }
    }

    /// The first `len` bytes, as a text of its own.
    pub fn head(&self, len: usize) -> Text {
        Text::new(Arc::from(&self.text[..len]))
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        &self.text
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(*self.digest.get_or_init(|| digest(&*self.text)));
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::new(Arc::from(text))
    }
}

/// The outputs of one stage function by the digest of their input: those of the last build,
/// and those this build used. [`Memo::settle`] keeps only the latter, so what a build no longer
/// asks for is dropped and memory follows the site.
pub struct Memo<V> {
    on: bool,
    last: FastMap<u64, V>,
    /// One list per worker thread (and one for any other thread), so the threads of a
    /// parallel stage never wait on each other to note what they used.
    used: Vec<Mutex<Vec<(u64, V)>>>,
}

impl<V: Clone> Memo<V> {
    /// A memo that remembers (`serve`) or computes every time (`on: false`, a one-shot build).
    pub fn new(on: bool) -> Memo<V> {
        let lists = if on {
            rayon::current_num_threads() + 1
        } else {
            0
        };
        Memo {
            on,
            last: FastMap::default(),
            used: (0..lists).map(|_| Mutex::default()).collect(),
        }
    }

    /// Whether it remembers.
    pub fn is_on(&self) -> bool {
        self.on
    }

    /// `f(input)`, or what it returned for an equal input in the last build. Called from
    /// several threads.
    pub fn run<I: Hash + ?Sized>(&self, input: &I, f: impl FnOnce(&I) -> V) -> V {
        if !self.on {
            return f(input);
        }
        let key = digest(input);
        let value = match self.last.get(&key) {
            Some(v) => v.clone(),
            None => f(input),
        };
        self.note(key, value.clone());
        value
    }

    /// [`Memo::run`] for a function that may fail: a failure is not remembered.
    pub fn try_run<I: Hash + ?Sized, E>(
        &self,
        input: &I,
        f: impl FnOnce(&I) -> Result<V, E>,
    ) -> Result<V, E> {
        if !self.on {
            return f(input);
        }
        let key = digest(input);
        let value = match self.last.get(&key) {
            Some(v) => v.clone(),
            None => f(input)?,
        };
        self.note(key, value.clone());
        Ok(value)
    }

    /// Ends a run of the stage: what it used is what the next build starts from. Called only
    /// after the stage ran, so a build stopped before it keeps the last build's outputs.
    pub fn settle(&mut self) {
        if self.on {
            self.last.clear();
            for list in &mut self.used {
                let used = list.get_mut().unwrap_or_else(|e| e.into_inner());
                self.last.extend(used.drain(..));
            }
        }
    }

    /// Forgets everything (the theme or the configuration changed).
    pub fn clear(&mut self) {
        self.last.clear();
        for list in &mut self.used {
            list.get_mut().unwrap_or_else(|e| e.into_inner()).clear();
        }
    }

    /// How many outputs the last settled run kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.last.len()
    }

    /// Notes that this build used `value`, made from an input with digest `key`.
    fn note(&self, key: u64, value: V) {
        let list = rayon::current_thread_index().map_or(0, |i| i + 1);
        if let Some(used) = self.used.get(list).or(self.used.first()) {
            used.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((key, value));
        }
    }
}

/// A shared value with the digest of what made it: a template's view of a page, a card, a
/// section. Two pieces with one digest hold equal values, so what a rendered file is made of
/// hashes as a few numbers, not as its whole text.
#[derive(Clone)]
pub struct Piece<T> {
    pub digest: u64,
    pub value: T,
}

impl<T> Piece<T> {
    /// `value`, made by a pure function from an input whose digest is `digest`.
    pub fn made(digest: u64, value: T) -> Piece<T> {
        Piece { digest, value }
    }
}

impl<T: serde::Serialize> serde::Serialize for Piece<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

impl<T> Hash for Piece<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.digest);
    }
}

/// A memo of pieces: `Memo::run` that also hands back the input's digest.
pub fn piece<I: Hash + ?Sized, T: Clone>(
    memo: &Memo<Piece<T>>,
    input: &I,
    f: impl FnOnce(&I) -> T,
) -> Piece<T> {
    if !memo.on {
        return Piece::made(0, f(input));
    }
    memo.run(input, |i| Piece::made(digest(i), f(i)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_memo_computes_again_only_what_changed() {
        let mut memo: Memo<String> = Memo::new(true);
        let calls = std::sync::atomic::AtomicUsize::new(0);
        let upper = |s: &str| {
            calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            s.to_uppercase()
        };
        assert_eq!(memo.run("a", upper), "A");
        assert_eq!(memo.run("b", upper), "B");
        memo.settle();
        assert_eq!(memo.run("a", upper), "A");
        assert_eq!(memo.run("c", upper), "C");
        memo.settle();
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 3);
        // `b` was not asked for: gone.
        assert_eq!(memo.len(), 2);
        assert_eq!(memo.run("b", upper), "B");
        assert_eq!(calls.load(std::sync::atomic::Ordering::Relaxed), 4);
    }

    #[test]
    fn a_memo_that_is_off_keeps_nothing() {
        let mut memo: Memo<usize> = Memo::new(false);
        assert_eq!(memo.run("abc", |s: &str| s.len()), 3);
        memo.settle();
        assert_eq!(memo.len(), 0);
    }

    #[test]
    fn failures_are_not_remembered() {
        let mut memo: Memo<usize> = Memo::new(true);
        assert!(memo.try_run("x", |_| Err::<usize, ()>(())).is_err());
        memo.settle();
        assert_eq!(memo.try_run("x", |_| Ok::<usize, ()>(1)), Ok(1));
    }

    #[test]
    fn a_hashed_value_hashes_as_its_digest() {
        let text = Hashed::new(String::from("chuyển đổi số"));
        assert_eq!(
            digest(&text),
            digest(&Hashed::new(String::from("chuyển đổi số")))
        );
        assert_ne!(
            digest(&text),
            digest(&Hashed::new(String::from("chuyen doi so")))
        );
    }
}
