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
    text.split(|c: char| !is_word_char(c))
        .filter(|w| !w.is_empty())
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
