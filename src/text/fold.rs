//! Accent folding: "Chuyển đổi số" → "chuyen doi so".
//!
//! The usual "decompose, drop combining marks" leaves `đ` untouched because U+0111 has no
//! decomposition (reference/domain.md §4); every caller that folds must come through here.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lowercases `s` and removes tones and vowel marks, mapping `đ`/`Đ` to `d`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.nfd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_every_tone_and_d() {
        for (input, want) in [
            ("Chuyển đổi số", "chuyen doi so"),
            ("ĐẠI HẢI", "dai hai"),
            (
                "à á ả ã ạ ă ằ ắ ẳ ẵ ặ â ầ ấ ẩ ẫ ậ",
                "a a a a a a a a a a a a a a a a a",
            ),
            ("ơ ư ờ ữ ự", "o u o u u"),
            ("Chuye\u{0302}\u{0309}n", "chuyen"),
        ] {
            assert_eq!(fold(input), want, "{input}");
        }
    }
}
