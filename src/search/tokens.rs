//! Vietnamese tokens for search: NFC, lowercase syllables, each with its folded form (tones
//! and marks removed, `đ` → `d`), so "chuyen doi so" finds "chuyển đổi số".
//!
//! The browser's search script (`themes/daihai/static/js/tim-kiem.js`) splits queries the same
//! way; keep the two in step.

use std::sync::OnceLock;

use crate::fast_hash::FastSet;
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
use crate::text::block::LEN;
use crate::text::fold;

/// Short, frequent words that alone say nothing about a page. They are not indexed on their
/// own and never required in a query, but they stay inside phrases ("chính quyền số và kinh
/// tế số").
pub const STOP_WORDS: &[&str] = &[
    "bị", "cho", "các", "có", "cũng", "của", "do", "hay", "hoặc", "khi", "không", "là", "lại",
    "mà", "một", "như", "những", "này", "nên", "ra", "rất", "sẽ", "theo", "thì", "trong", "tại",
    "từ", "và", "vào", "về", "với", "đã", "đó", "được", "đến", "để",
];

/// Whether `word` (lowercase NFC) is one of [`STOP_WORDS`]; asked once per word of the site.
pub fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<FastSet<'static>> = OnceLock::new();
    word.len() <= 8
        && SET
            .get_or_init(|| STOP_WORDS.iter().copied().collect())
            .contains(word)
}

/// Whether `c` belongs to a word: letters and digits. The Latin and Vietnamese ranges are
/// answered without Unicode tables (all their letters are alphabetic but `×` and `÷`).
pub fn is_word_char(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xD7 | 0xF7 => false,
        0xC0..=0x24F | 0x1E00..=0x1EFF => true,
        _ => c.is_alphanumeric(),
    }
}

/// The words of `text`: runs of [`is_word_char`] characters, found byte by byte (ASCII bytes,
/// most of Vietnamese text, need no decoding). Queries and tests use this; the index reads
/// pages through [`for_each_word`], which finds the same words faster.
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut at = 0;
    std::iter::from_fn(move || {
        let (start, end) = next_word(text, at)?;
        at = end;
        text.get(start..end)
    })
}

/// The byte range of the first word of `text` at or after byte `from` (a character boundary).
#[inline]
fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut at = from;
    let start = loop {
        let &lead = bytes.get(at)?;
        match LEAD[usize::from(lead)] {
            WORD => break at,
            OTHER => at += 1,
            _ => match wide_class(bytes, at) {
                (true, _) => break at,
                (false, len) => at += len,
            },
        }
    };
    while let Some(&lead) = bytes.get(at) {
        match LEAD[usize::from(lead)] {
            WORD => at += 1,
            OTHER => break,
            _ => match wide_class(bytes, at) {
                (true, len) => at += len,
                (false, _) => break,
            },
        }
    }
    Some((start, at))
}

/// Calls `f` with the byte range of each word of `text`, in order: the words of [`next_word`],
/// found sixteen bytes at a time where the bytes allow. The body of every page goes through
/// here; byte by byte, each character costs a branch the processor cannot predict.
#[inline]
pub fn for_each_word(text: &str, mut f: impl FnMut(usize, usize)) {
    let bytes = text.as_bytes();
    // The start of the word in progress, and where the next block starts.
    let mut start: Option<usize> = None;
    let mut at = 0;
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        let mut carry = 0;
        // The last bytes (most runs of text between two tags are short) go in a block padded
        // with zeros, which belong to no word.
        let mut padded = [0u8; LEN + 1];
        while at < bytes.len() {
            let block = match bytes.get(at..at + LEN + 1) {
                Some(block) => block,
                None => {
                    let rest = &bytes[at..];
                    padded[..rest.len()].copy_from_slice(rest);
                    &padded[..]
                }
            };
            // SAFETY: `word_bytes` needs SSE2, which every x86-64 processor has (the cfg says the
            // build assumes it).
            let Some((mask, next)) = (unsafe { word_bytes(block, carry) }) else {
                break;
            };
            carry = next;
            words_of_block(mask, at, &mut start, &mut f);
            at += LEN;
        }
    }
    // The rest character by character, from the word in progress or else from the first
    // character that starts in the rest (a block may end inside a character).
    let mut from = match start {
        Some(s) => s,
        None => {
            let mut b = at;
            while bytes.get(b).is_some_and(|&c| c & 0xC0 == 0x80) {
                b += 1;
            }
            b
        }
    };
    while let Some((s, e)) = next_word(text, from) {
        f(s, e);
        from = e;
    }
}

/// Calls `f` with each word that ends in the block at `at` whose word bytes are `mask`;
/// `start` is the word in progress, carried from block to block.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn words_of_block(
    mask: u32,
    at: usize,
    start: &mut Option<usize>,
    f: &mut impl FnMut(usize, usize),
) {
    // Where words start (a word byte after one that is not) and where they end (the byte
    // after a word's last): the k-th start of the block goes with its k-th end, after the
    // end of a word in progress. Taken lowest bit first, without a branch per byte.
    let before = (mask << 1) | u32::from(start.is_some());
    let mut starts = mask & !before;
    let mut ends = !mask & before & 0xFFFF;
    // One call of `f` (with two, it was no longer inlined).
    let mut word = start.take();
    loop {
        let s = match word {
            Some(s) => s,
            None if starts == 0 => return,
            None => {
                let s = at + starts.trailing_zeros() as usize;
                starts &= starts - 1;
                s
            }
        };
        if ends == 0 {
            // The word goes on in the next block.
            *start = Some(s);
            return;
        }
        f(s, at + ends.trailing_zeros() as usize);
        ends &= ends - 1;
        word = None;
    }
}

/// Bit `k` of the result is set when byte `k` of `block[..16]` belongs to a word (`block`
/// holds one byte more, the one after the block, which tells what a last lead byte starts).
/// `carry` marks the block's first bytes that continue a letter begun in the block before;
/// the second value is the carry for the next block. `None` when the block holds a character
/// this quick test does not know (anything but ASCII, the Vietnamese letters, `×`, `÷`,
/// U+00A0 and U+2000–U+203F): [`next_word`] decides those.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
#[target_feature(enable = "sse2")]
fn word_bytes(block: &[u8], carry: u32) -> Option<(u32, u32)> {
    use crate::text::block::Block;
    let bytes = Block::load(block)?;
    let next = Block::load(block.get(1..)?)?;
    let ascii = bytes.within(b'0', b'9') | bytes.ascii_lowercase().within(b'a', b'z');
    // Lead bytes of two-byte letters: U+0100–U+024F, and U+00C0–U+00FF but × and ÷.
    let c3 = bytes.is(0xC3);
    let times_or_divided = next.is(0x97) | next.is(0xB7);
    let two = bytes.within(0xC4, 0xC8) | (c3 & !times_or_divided);
    // Lead bytes of U+1E00–U+1EFF (Vietnamese letters with two marks).
    let three = bytes.is(0xE1) & next.within(0xB8, 0xBB);
    // Leads of characters known not to be letters: × ÷, U+00A0, U+2000–U+203F.
    let other = (c3 & times_or_divided)
        | (bytes.is(0xC2) & next.is(0xA0))
        | (bytes.is(0xE2) & next.is(0x80));
    let leads = bytes.wide() & !bytes.within(0x80, 0xBF);
    if leads & !(two | three | other) != 0 {
        return None;
    }
    // A letter's continuation bytes belong to the word; those past the block carry over.
    let continued = (two << 1) | (three << 1) | (three << 2) | carry;
    let mask = (ascii | two | three | continued) & 0xFFFF;
    Some((mask, continued >> 16))
}

/// What the first byte of a character says: an ASCII letter or digit, other ASCII, or the
/// start of a wider character.
const OTHER: u8 = 0;
const WORD: u8 = 1;
const WIDE: u8 = 2;
const LEAD: [u8; 256] = {
    let mut table = [WIDE; 256];
    let mut b = 0;
    while b < 0x80 {
        table[b] = if (b as u8).is_ascii_alphanumeric() {
            WORD
        } else {
            OTHER
        };
        b += 1;
    }
    table
};

/// Whether the character of two to four bytes at `at` belongs to a word, and its length.
/// The first bytes of Vietnamese letters (U+00C0–U+024F but `×` and `÷`, U+1E00–U+1EFF) answer
/// without decoding.
#[inline(always)]
fn wide_class(bytes: &[u8], at: usize) -> (bool, usize) {
    match (bytes[at], bytes.get(at + 1)) {
        (0xC3, Some(&second)) => (second != 0x97 && second != 0xB7, 2),
        (0xC4..=0xC8, _) => (true, 2),
        (0xE1, Some(0xB8..=0xBB)) => (true, 3),
        _ => decoded_class(bytes.get(at..).unwrap_or_default()),
    }
}

/// [`wide_class`] of any character of two to four bytes, by decoding it.
fn decoded_class(bytes: &[u8]) -> (bool, usize) {
    let lead = bytes.first().copied().unwrap_or_default();
    let len = match lead {
        0xF0.. => 4,
        0xE0.. => 3,
        _ => 2,
    };
    let code = bytes
        .get(1..len)
        .unwrap_or_default()
        .iter()
        .fold(u32::from(lead) & (0x7F >> len), |code, &b| {
            (code << 6) | u32::from(b & 0x3F)
        });
    (char::from_u32(code).is_some_and(is_word_char), len)
}

/// One syllable (or number) of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Lowercase NFC, tones kept: `đổi`.
    pub exact: String,
    /// Tones and marks removed, `đ` → `d`: `doi`.
    pub folded: String,
}

impl Token {
    pub fn is_stop(&self) -> bool {
        is_stop_word(&self.exact)
    }
}

/// The tokens of `text`: runs of letters and digits, so `57-NQ/TW` gives `57`, `nq`, `tw`.
pub fn tokens(text: &str) -> Vec<Token> {
    let text = crate::text::nfc(text).to_lowercase();
    words(&text)
        .map(|w| Token {
            exact: w.to_owned(),
            folded: fold(w),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folded(s: &str) -> Vec<String> {
        tokens(s).into_iter().map(|t| t.folded).collect()
    }

    #[test]
    fn folds_every_tone_and_d_from_any_input() {
        assert_eq!(folded("Chuyển đổi số"), ["chuyen", "doi", "so"]);
        assert_eq!(folded("ĐẠI HẢI"), ["dai", "hai"]);
        // Decomposed (macOS, Unikey "tổ hợp") gives the same tokens.
        assert_eq!(
            folded("Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i so\u{0302}\u{0301}"),
            ["chuyen", "doi", "so"]
        );
        assert_eq!(folded("Vi\u{00EA}\u{0323}t"), ["viet"]);
        assert_eq!(tokens("Đổi")[0].exact, "đổi");
    }

    #[test]
    fn splits_document_numbers_into_their_parts() {
        for spelling in ["57-NQ/TW", "57 nq tw", "57/NQ-TW"] {
            assert_eq!(folded(spelling), ["57", "nq", "tw"], "{spelling}");
        }
        assert_eq!(folded("Nghị quyết 57"), ["nghi", "quyet", "57"]);
        assert_eq!(folded("02-KH/BCĐTW"), ["02", "kh", "bcdtw"]);
    }

    #[test]
    fn stop_words_are_short_for_the_fast_lookup() {
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 8 && is_stop_word(w)));
    }

    #[test]
    fn words_split_like_the_characters_say() {
        let text = "Số hoá: 57-NQ/TW × 2÷3 — “đổi mới” ∑x ＡＢ 𝐀b ĐẠI,hải\u{1F600}cuối";
        let by_chars: Vec<&str> = text
            .split(|c: char| !is_word_char(c))
            .filter(|w| !w.is_empty())
            .collect();
        assert_eq!(words(text).collect::<Vec<_>>(), by_chars);
        assert_eq!(words("").count() + words(" ,. ").count(), 0);
        assert_eq!(words("a").collect::<Vec<_>>(), ["a"]);
    }

    /// `for_each_word` against `next_word` on text cut at every length, so that words, letters
    /// and unknown characters meet every position of a block.
    #[test]
    fn words_found_by_blocks_are_the_words_found_one_by_one() {
        let pieces = [
            "Chuyển",
            " ",
            "đổi",
            "số",
            "ở",
            "xã",
            "Đại",
            "Hải",
            ",",
            "57-NQ/TW",
            "×",
            "÷",
            "\u{a0}",
            "“",
            "”",
            "—",
            "…",
            "²",
            "ª",
            "Ωmega",
            "Жизнь",
            "中文",
            "😀",
            "ĐẠI",
            "hải",
            "\n",
            "ỹ",
            "ằ",
            "a\u{0301}",
            "x",
            "9",
            "ǅ",
            "ɏ",
            "Ḁ",
            "ἀ",
            "\u{2071}",
            "ⁿ",
            "Ⅻ",
            "<",
            "&amp;",
            ".",
        ];
        // The same texts on every run.
        let mut next = crate::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        for round in 0..3000 {
            let mut text = String::new();
            for _ in 0..(round % 60) {
                text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
            }
            let mut by_blocks = Vec::new();
            for_each_word(&text, |s, e| by_blocks.push(&text[s..e]));
            assert_eq!(by_blocks, words(&text).collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn word_chars_agree_with_unicode() {
        for u in (0..0x300).chain(0x1E00..0x1F00) {
            let c = char::from_u32(u).unwrap();
            assert_eq!(is_word_char(c), c.is_alphanumeric(), "U+{u:04X}");
        }
    }

    #[test]
    fn knows_its_stop_words() {
        let t = tokens("chính quyền số và kinh tế số");
        assert!(t[3].is_stop());
        assert!(!t[0].is_stop());
    }
}
