//! Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.
//!
//! Byte order puts "Ăn", "Đại" and "Ấp" after "Zalo". This follows the
//! CLDR `vi` tailoring: letters with breve, circumflex, horn and `đ` are letters of their own
//! (primary difference); tones only break ties (secondary, ngang < huyền < hỏi < ngã < sắc < nặng);
//! case breaks the remaining ties (tertiary, lowercase first).

use std::cmp::Ordering;
use unicode_normalization::UnicodeNormalization;

/// A key whose derived `Ord` is Vietnamese alphabetical order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    letters: Vec<u32>,
    tones: Vec<u8>,
    cases: Vec<u8>,
}

/// Builds the collation key of `s`.
pub fn sort_key(s: &str) -> SortKey {
    let mut key = SortKey {
        letters: Vec::with_capacity(s.len()),
        tones: Vec::new(),
        cases: Vec::new(),
    };
    let mut chars = s.nfd().peekable();
    while let Some(c) = chars.next() {
        let mut mark = Mark::None;
        let mut tone = 0u8;
        while let Some(&next) = chars.peek() {
            match next {
                '\u{0306}' => mark = Mark::Breve,
                '\u{0302}' => mark = Mark::Circumflex,
                '\u{031B}' => mark = Mark::Horn,
                '\u{0300}' => tone = 1,
                '\u{0309}' => tone = 2,
                '\u{0303}' => tone = 3,
                '\u{0301}' => tone = 4,
                '\u{0323}' => tone = 5,
                _ => break,
            }
            chars.next();
        }
        key.letters.push(letter_rank(c, mark));
        key.tones.push(tone);
        key.cases.push(u8::from(c.is_uppercase()));
    }
    key
}

/// Compares two strings in Vietnamese alphabetical order.
pub fn compare_vi(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

#[derive(Clone, Copy)]
enum Mark {
    None,
    Breve,
    Circumflex,
    Horn,
}

/// Ranks: whitespace and punctuation first, then digits, then the Vietnamese alphabet
/// (with f j w z in their Latin places), then every other character by code point.
fn letter_rank(c: char, mark: Mark) -> u32 {
    const ALPHABET: &str = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz";
    let lower = c.to_lowercase().next().unwrap_or(c);
    let base = match (lower, mark) {
        ('a', Mark::Breve) => 'ă',
        ('a', Mark::Circumflex) => 'â',
        ('e', Mark::Circumflex) => 'ê',
        ('o', Mark::Circumflex) => 'ô',
        ('o', Mark::Horn) => 'ơ',
        ('u', Mark::Horn) => 'ư',
        (other, _) => other,
    };
    if base.is_whitespace() {
        return 0;
    }
    if let Some(d) = base.to_digit(10) {
        return 100 + d;
    }
    if let Some(pos) = ALPHABET.chars().position(|a| a == base) {
        return 200 + pos as u32;
    }
    if base.is_ascii_punctuation() {
        return 10 + base as u32 % 64;
    }
    1000 + base as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(words: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| compare_vi(a, b));
        v
    }

    #[test]
    fn follows_the_vietnamese_alphabet() {
        assert_eq!(
            sorted(&["Đại", "Ấp", "Ăn", "Zalo", "An", "Bắc", "Dân"]),
            ["An", "Ăn", "Ấp", "Bắc", "Dân", "Đại", "Zalo"]
        );
        assert_eq!(
            sorted(&["ư", "u", "ơ", "ô", "o"]),
            ["o", "ô", "ơ", "u", "ư"]
        );
    }

    #[test]
    fn tones_only_break_ties_in_cldr_order() {
        assert_eq!(
            sorted(&["mạ", "má", "mã", "mả", "mà", "ma"]),
            ["ma", "mà", "mả", "mã", "má", "mạ"]
        );
        // The letter after the tone decides before the tone does.
        assert_eq!(sorted(&["số", "sơn"]), ["số", "sơn"]);
        assert_eq!(sorted(&["sáng", "sang"]), ["sang", "sáng"]);
    }

    #[test]
    fn decomposed_text_sorts_like_composed() {
        assert_eq!(compare_vi("Đa\u{0323}i", "Đại"), Ordering::Equal);
    }

    #[test]
    fn case_is_the_last_tie_breaker() {
        assert_eq!(
            sorted(&["Kinh tế số", "kinh tế số"]),
            ["kinh tế số", "Kinh tế số"]
        );
        assert_eq!(
            sorted(&["Xã hội số", "chính quyền số"]),
            ["chính quyền số", "Xã hội số"]
        );
    }
}
