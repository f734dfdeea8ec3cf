//! URL slugs from Vietnamese text: "Chuyển đổi số Đại Hải" → `chuyen-doi-so-dai-hai`.
//!
//! Only `[a-z0-9-]` survives, so emoji and symbols vanish instead of turning into English words
//! as transliteration crates do.

use super::fold::fold;

/// Builds a slug: folded, lowercase ASCII letters and digits, single `-` between words.
/// Returns an empty string when nothing usable remains (callers decide what to do then).
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_dash = false;
    for c in fold(s).chars() {
        let ascii = match c {
            'æ' => "ae",
            'œ' => "oe",
            'ø' => "o",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                push_word_char(&mut out, &mut pending_dash, c);
                continue;
            }
            _ => {
                pending_dash = true;
                continue;
            }
        };
        ascii
            .chars()
            .for_each(|c| push_word_char(&mut out, &mut pending_dash, c));
    }
    out
}

fn push_word_char(out: &mut String, pending_dash: &mut bool, c: char) {
    if *pending_dash && !out.is_empty() {
        out.push('-');
    }
    *pending_dash = false;
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_vietnamese_rules() {
        for (input, want) in [
            ("Chuyển đổi số Đại Hải", "chuyen-doi-so-dai-hai"),
            ("ĐỒNG THÁP", "dong-thap"),
            ("Ủy ban nhân dân xã Đại Hải", "uy-ban-nhan-dan-xa-dai-hai"),
            (
                "Thông báo: Lịch tiêm chủng tháng 12/2026!",
                "thong-bao-lich-tiem-chung-thang-12-2026",
            ),
            (
                "Người dân “đi trước” – làm gương",
                "nguoi-dan-di-truoc-lam-guong",
            ),
            (
                "Khai giảng năm học 2026–2027 🎉",
                "khai-giang-nam-hoc-2026-2027",
            ),
            ("57-NQ/TW", "57-nq-tw"),
            ("02-KH/BCĐTW", "02-kh-bcdtw"),
            ("  --  ", ""),
        ] {
            assert_eq!(slugify(input), want, "{input}");
        }
    }

    #[test]
    fn decomposed_input_gives_the_same_slug() {
        let nfd =
            "Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i so\u{0302}\u{0301} Đa\u{0323}i Ha\u{0309}i";
        assert_eq!(slugify(nfd), "chuyen-doi-so-dai-hai");
    }
}
