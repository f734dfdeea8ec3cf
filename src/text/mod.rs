//! Vietnamese text rules shared by every stage: NFC normalisation, slugs, accent folding,
//! dates, numbers and alphabetical order.
//!
//! Everything here is a pure function of its input so that the rules can be tested as tables.
//! Parsing dates *for front matter* lives here too because the accepted formats are a text rule;
//! deciding what a date means for publishing (scheduled, expired) belongs to `site`.

mod date;
mod fold;
mod number;
mod slug;
mod sort;

pub use date::{
    DateParseError, format_dateline, format_formal, format_short, parse_date, vietnam_offset,
};
pub use fold::fold;
pub use number::format_number;
pub use slug::slugify;
pub use sort::{compare_vi, sort_key};

use std::borrow::Cow;

use unicode_normalization::{UnicodeNormalization, is_nfc_quick};

/// Returns `s` in Unicode NFC. Text typed with Unikey's "Unicode tổ hợp" table or taken from
/// macOS file names is decomposed; left as is it would compare unequal to the same word typed
/// normally, split taxonomy terms and break search.
pub fn nfc(s: &str) -> String {
    nfc_cow(s).into_owned()
}

/// `nfc` without a copy when `s` is already NFC (nearly always).
pub fn nfc_cow(s: &str) -> Cow<'_, str> {
    // Fast path: text made only of characters below U+0300 (Latin with precomposed accents),
    // Vietnamese precomposed letters (U+1E00–U+1EFF) and general punctuation (U+2002–U+206F)
    // is already NFC; checking that is much cheaper than the full quick check.
    let simple = s.chars().all(|c| {
        c < '\u{300}'
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            || ('\u{2002}'..='\u{206F}').contains(&c)
    });
    if simple || is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.nfc().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nfc_composes_decomposed_and_unikey_input() {
        let decomposed = "Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i so\u{0302}\u{0301}";
        assert_eq!(nfc(decomposed), "Chuyển đổi số");
        // Unikey "tổ hợp": precomposed base + combining tone, neither NFC nor NFD.
        assert_eq!(nfc("Vi\u{00EA}\u{0323}t"), "Việt");
        assert_eq!(nfc("Việt"), "Việt");
    }
}
