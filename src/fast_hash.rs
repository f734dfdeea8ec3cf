//! A fast hasher for our own content: the search index's keys, and fingerprints that only tell
//! `serve` whether something changed.

/// FxHash (rustc's hasher): for keys and texts from our own content, SipHash's protection
/// against crafted keys buys nothing and costs a third of the index time.
#[derive(Default, Clone, Copy)]
pub struct FxHasher(u64);

/// One step of FxHash: `word` mixed into `h`.
pub fn mix(h: u64, word: u64) -> u64 {
    (h.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

impl FxHasher {
    fn add(&mut self, word: u64) {
        self.0 = mix(self.0, word);
    }
}

impl std::hash::Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        // The byte after the text is marked, so "a" and "a\0" differ (fingerprints rely on it).
        let mut rest = [0; 8];
        let tail = chunks.remainder();
        rest[..tail.len()].copy_from_slice(tail);
        rest[tail.len()] = 0x80;
        self.add(u64::from_le_bytes(rest));
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_u128(&mut self, n: u128) {
        self.add(n as u64);
        self.add((n >> 64) as u64);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// Builds [`FxHasher`]s, for maps and sets of other shapes.
pub type FastBuild = std::hash::BuildHasherDefault<FxHasher>;

pub type FastMap<K, V> = std::collections::HashMap<K, V, FastBuild>;

/// A set of `&str` with the fast hasher.
pub type FastSet<'a> = std::collections::HashSet<&'a str, FastBuild>;

#[cfg(test)]
mod tests {
    use std::hash::{Hash, Hasher};

    use super::FxHasher;

    fn hash(value: impl Hash) -> u64 {
        let mut h = FxHasher::default();
        value.hash(&mut h);
        h.finish()
    }

    #[test]
    fn trailing_zero_bytes_change_the_hash() {
        assert_ne!(hash("a"), hash("a\0"));
        assert_ne!(hash("abcdefgh"), hash("abcdefgh\0"));
        assert_ne!(hash([0u8; 0].as_slice()), hash([0u8].as_slice()));
    }
}
