//! Vietnamese tokens for search: NFC, lowercase syllables, each with its folded form (tones
//! and marks removed, `đ` → `d`), so "chuyen doi so" finds "chuyển đổi số".
//!
//! The browser's search script (`themes/daihai/static/js/tim-kiem.js`) splits queries the same
//! way; keep the two in step.

use std::sync::OnceLock;

use crate::fast_hash::FastSet;
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

/// The words of `text`: runs of [`is_word_char`] characters, found byte by byte. Every word of
/// every page goes through here, and ASCII bytes (most of Vietnamese text) need no decoding.
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
pub fn next_word(text: &str, from: usize) -> Option<(usize, usize)> {
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
