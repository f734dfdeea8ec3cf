//! Accent folding: "Chuyển đổi số" → "chuyen doi so".
//!
//! The usual "decompose, drop combining marks" leaves `đ` untouched because U+0111 has no
//! decomposition; every caller that folds must come through here.
//! Search folds every word of every page, so the Latin and Vietnamese ranges are folded
//! through a table computed once from that same rule.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Ranges folded by table: Latin-1 to Latin Extended-B, and Latin Extended Additional (the
/// Vietnamese precomposed letters).
const RANGES: [(u32, u32); 2] = [(0x00C0, 0x024F), (0x1E00, 0x1EFF)];

/// Lowercases `s` and removes tones and vowel marks, mapping `đ`/`Đ` to `d`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// [`fold`], appending to `out`: the search index folds millions of words into one buffer.
pub fn fold_into(s: &str, out: &mut String) {
    for c in s.chars() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if let Some(folded) = from_table(c) {
            out.push_str(folded);
        } else {
            fold_slowly(c, out);
        }
    }
}

fn from_table(c: char) -> Option<&'static str> {
    static TABLE: OnceLock<Vec<Vec<String>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        RANGES
            .iter()
            .map(|&(from, to)| {
                (from..=to)
                    .map(|u| {
                        let mut s = String::new();
                        if let Some(c) = char::from_u32(u) {
                            fold_slowly(c, &mut s);
                        }
                        s
                    })
                    .collect()
            })
            .collect()
    });
    let u = c as u32;
    RANGES
        .iter()
        .zip(table)
        .find(|((from, to), _)| (*from..=*to).contains(&u))
        .map(|((from, _), folded)| folded[(u - from) as usize].as_str())
}

/// The rule itself: decompose, drop combining marks, `đ` → `d`, lowercase.
fn fold_slowly(c: char, out: &mut String) {
    for d in std::iter::once(c).nfd() {
        if is_combining_mark(d) {
            continue;
        }
        match d {
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(d.to_lowercase()),
        }
    }
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
            ("Ỹ ỹ Ỵ", "y y y"),
        ] {
            assert_eq!(fold(input), want, "{input}");
        }
    }

    #[test]
    fn the_table_agrees_with_the_rule() {
        for &(from, to) in &RANGES {
            for u in from..=to {
                let Some(c) = char::from_u32(u) else { continue };
                let mut slow = String::new();
                fold_slowly(c, &mut slow);
                assert_eq!(fold(&c.to_string()), slow, "U+{u:04X}");
            }
        }
    }
}
