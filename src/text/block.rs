//! Sixteen bytes of UTF-8 tested at once, with SSE2 (part of every x86-64 processor). Every
//! byte of every page goes through a few scans (the NFC check, the word count, the search
//! index's words); byte by byte, each multi-byte letter of Vietnamese costs them a branch the
//! processor cannot predict.
//!
//! A test answers for the sixteen bytes at once as a bit mask: bit `k` for byte `k`. The
//! functions that use these are `#[target_feature(enable = "sse2")]` themselves; on other
//! processors their callers scan byte by byte.

use std::arch::x86_64::{
    __m128i, _mm_cmpeq_epi8, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
    _mm_set1_epi8, _mm_sub_epi8,
};

/// Bytes a [`Block`] holds.
pub const LEN: usize = 16;

/// Sixteen bytes in a register.
#[derive(Clone, Copy)]
pub struct Block(__m128i);

impl Block {
    /// The first sixteen bytes of `bytes`, if it holds that many.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn load(bytes: &[u8]) -> Option<Block> {
        let bytes = bytes.get(..LEN)?;
        let half = |at: usize| {
            let mut word = [0; 8];
            word.copy_from_slice(&bytes[at..at + 8]);
            i64::from_le_bytes(word)
        };
        Some(Block(_mm_set_epi64x(half(8), half(0))))
    }

    /// The blocks at the start of `bytes` and one and two bytes on: a character's first byte
    /// tested together with the two after it. `None` unless `bytes` holds `LEN + 2` bytes.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn load_with_next_two(bytes: &[u8]) -> Option<(Block, Block, Block)> {
        Some((
            Block::load(bytes)?,
            Block::load(bytes.get(1..)?)?,
            Block::load(bytes.get(2..)?)?,
        ))
    }

    /// The bytes equal to `b`.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn is(self, b: u8) -> u32 {
        _mm_movemask_epi8(_mm_cmpeq_epi8(self.0, splat(b))) as u32
    }

    /// The bytes from `low` to `high`, both included.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn within(self, low: u8, high: u8) -> u32 {
        // Shifted down by `low`, the bytes in range are those no larger than `high - low`.
        let shifted = _mm_sub_epi8(self.0, splat(low));
        let inside = _mm_cmpeq_epi8(_mm_min_epu8(shifted, splat(high - low)), shifted);
        _mm_movemask_epi8(inside) as u32
    }

    /// The bytes from 0x80: every byte of a character beyond ASCII.
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn wide(self) -> u32 {
        _mm_movemask_epi8(self.0) as u32
    }

    /// The block with bit 5 of every byte set: ASCII letters in lowercase (and other bytes
    /// changed, so only for testing letters).
    #[inline]
    #[target_feature(enable = "sse2")]
    pub fn ascii_lowercase(self) -> Block {
        Block(_mm_or_si128(self.0, splat(0x20)))
    }
}

#[inline]
#[target_feature(enable = "sse2")]
fn splat(b: u8) -> __m128i {
    _mm_set1_epi8(b as i8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_answer_byte_by_byte() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for start in (0..=240).step_by(7) {
            // SAFETY: SSE2 is part of x86-64, which this module is built for only.
            let block = unsafe { Block::load(&bytes[start..]) }.expect("sixteen bytes");
            let by_bytes = |f: &dyn Fn(u8) -> bool| -> u32 {
                (0..LEN)
                    .filter(|&k| f(bytes[start + k]))
                    .map(|k| 1 << k)
                    .sum()
            };
            unsafe {
                assert_eq!(block.is(0xC3), by_bytes(&|b| b == 0xC3));
                assert_eq!(
                    block.within(0x80, 0xBF),
                    by_bytes(&|b| (0x80..=0xBF).contains(&b))
                );
                assert_eq!(block.within(b'0', b'9'), by_bytes(&|b| b.is_ascii_digit()));
                assert_eq!(block.wide(), by_bytes(&|b| b >= 0x80));
                assert_eq!(
                    block.ascii_lowercase().within(b'a', b'z'),
                    by_bytes(&|b| b.is_ascii_alphabetic())
                );
            }
        }
        assert!(unsafe { Block::load(&bytes[..15]) }.is_none());
    }
}
