//! Vietnamese text rules shared by every stage: NFC normalisation, slugs, accent folding,
//! dates, numbers and alphabetical order.
//!
//! Everything here is a pure function of its input so that the rules can be tested as tables.
//! Parsing dates *for front matter* lives here too because the accepted formats are a text rule;
//! deciding what a date means for publishing (scheduled, expired) belongs to `site`.

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) mod block;
mod date;
mod fold;
mod json;
mod lines;
mod number;
mod slug;
mod sort;

pub use date::{
    DateParseError, format_dateline, format_formal, format_short, parse_date, vietnam_offset,
};
pub use fold::{fold, fold_into};
pub use json::{json_string, push_json_string};
pub use lines::{Locator, quote_line};
pub use number::{format_number, format_size};
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
    if is_simple_nfc(s.as_bytes())
        || is_nfc_quick(s.chars()) == unicode_normalization::IsNormalized::Yes
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.nfc().collect())
}

/// True when `bytes` (UTF-8) hold only characters below U+0300 (Latin with precomposed
/// accents), Vietnamese precomposed letters (U+1E00–U+1EFF) and general punctuation
/// (U+2002–U+206F): such text is already NFC, and a byte scan proves it far faster than the
/// Unicode quick check.
fn is_simple_nfc(bytes: &[u8]) -> bool {
    // SAFETY: SSE2 is part of every x86-64 processor (the cfg says the build assumes it).
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let Some(mut from) = (unsafe { simple_nfc_blocks(bytes) }) else {
        return false;
    };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    let mut from = 0;
    while let Some(at) = next_byte_from_cc(bytes, from) {
        match bytes[at] {
            0xE1 if matches!(bytes.get(at + 1), Some(0xB8..=0xBB)) => from = at + 3,
            0xE2 if matches!(
                bytes.get(at + 1..at + 3),
                Some([0x80, 0x82..=0xBF]) | Some([0x81, 0x80..=0xAF])
            ) =>
            {
                from = at + 3
            }
            _ => return false,
        }
    }
    true
}

/// [`is_simple_nfc`] sixteen bytes at a time, as far as the blocks go: `None` if a block
/// holds a byte it refuses, else where the rest starts. Each byte from 0xCC must start a
/// character the byte scan accepts, known by the two bytes after it.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn simple_nfc_blocks(bytes: &[u8]) -> Option<usize> {
    use block::{Block, LEN};
    let mut at = 0;
    while let Some((b0, b1, b2)) = bytes.get(at..).and_then(|b| Block::load_with_next_two(b)) {
        let from_cc = b0.within(0xCC, 0xFF);
        if from_cc != 0 {
            let vietnamese = b0.is(0xE1) & b1.within(0xB8, 0xBB);
            let punctuation = b0.is(0xE2)
                & (b1.is(0x80) & b2.within(0x82, 0xBF) | b1.is(0x81) & b2.within(0x80, 0xAF));
            if from_cc & !(vietnamese | punctuation) != 0 {
                return None;
            }
        }
        at += LEN;
    }
    Some(at)
}

/// The first byte from 0xCC at or after `from`: the lead bytes of U+0300 and above. Every
/// other byte (ASCII, continuation bytes, the lead bytes of U+0080–U+02FF) is skipped eight
/// at a time: in each byte with its top bit set, adding 0x34 to its low seven bits sets the
/// top bit again exactly when they are at least 0x4C, with no carry into the next byte.
fn next_byte_from_cc(bytes: &[u8], mut from: usize) -> Option<usize> {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const TOP: u64 = 0x8080_8080_8080_8080;
    const TO_CC: u64 = 0x3434_3434_3434_3434;
    while let Some(chunk) = bytes.get(from..from + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let x = u64::from_le_bytes(chunk);
        let found = ((x & LOW) + TO_CC) & x & TOP;
        if found != 0 {
            return Some(from + (found.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    let rest = bytes.get(from..)?;
    rest.iter().position(|&b| b >= 0xCC).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simple_text_is_recognised_as_nfc_by_its_bytes() {
        assert!(is_simple_nfc("Chuyển đổi số – “Đại Hải” … 2026".as_bytes()));
        assert!(
            !is_simple_nfc("Chuye\u{0302}\u{0309}n".as_bytes()),
            "combining marks"
        );
        assert!(!is_simple_nfc("\u{2000}".as_bytes()), "EN QUAD decomposes");
        assert!(!is_simple_nfc("한".as_bytes()));
        // Every place in and across the eight-byte steps and the sixteen-byte blocks.
        for before in 0..40 {
            let pad = "a".repeat(before);
            let combining = format!("{pad}e\u{0301}{}", "b".repeat(12));
            assert!(!is_simple_nfc(combining.as_bytes()), "{before}");
            let quad = format!("{pad}\u{2000}{}", "b".repeat(before));
            assert!(!is_simple_nfc(quad.as_bytes()), "{before}");
            let hangul = format!("{pad}한{}", "b".repeat(before));
            assert!(!is_simple_nfc(hangul.as_bytes()), "{before}");
            let vietnamese = format!("{pad}ếĐ–ǿ{}", "b".repeat(before));
            assert!(is_simple_nfc(vietnamese.as_bytes()), "{before}");
        }
    }

    #[test]
    fn nfc_composes_decomposed_and_unikey_input() {
        let decomposed = "Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i so\u{0302}\u{0301}";
        assert_eq!(nfc(decomposed), "Chuyển đổi số");
        // Unikey "tổ hợp": precomposed base + combining tone, neither NFC nor NFD.
        assert_eq!(nfc("Vi\u{00EA}\u{0323}t"), "Việt");
        assert_eq!(nfc("Việt"), "Việt");
    }
}

/// The first 40 characters of a long name, then `…`, for a message that names it.
pub fn shorten(name: &str) -> String {
    match name.char_indices().nth(40) {
        Some((i, _)) => format!("{}…", &name[..i]),
        None => name.to_owned(),
    }
}

/// `Ok` when `path` is a regular file (or a link to one). Anything else — a named pipe, a
/// device, a folder — is refused before it is opened: opening a pipe waits for a writer.
pub fn regular_file(path: &std::path::Path) -> std::io::Result<()> {
    if std::fs::metadata(path)?.is_file() {
        Ok(())
    } else {
        Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            NotRegular,
        ))
    }
}

/// The reason [`regular_file`] gives.
#[derive(Debug)]
pub struct NotRegular;

impl std::fmt::Display for NotRegular {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not a regular file")
    }
}

impl std::error::Error for NotRegular {}
