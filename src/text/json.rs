//! JSON string literals, for JSON-LD in pages and for the search index.

/// A JSON string literal safe inside `<script type="application/ld+json">`: `<`, `>` and `&`
/// are escaped so no text can close the script element.
pub fn json_string(s: &str) -> String {
    let mut out = String::new();
    push_json_string(&mut out, s);
    out
}

/// [`json_string`], appended to `out`.
pub fn push_json_string(out: &mut String, s: &str) {
    use std::fmt::Write;
    out.reserve(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // Runs of bytes that need no escape are copied whole: every byte to escape is ASCII but
    // the lead byte of U+2028 and U+2029.
    let mut run = 0;
    let mut i = next_may_escape(bytes, 0);
    while let Some(&b) = bytes.get(i) {
        let (escape, len) = match b {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            // Other controls: `\u00XX`, written below.
            0..=0x1F => ("", 1),
            _ => match bytes.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => ("\\u2028", 3),
                Some([0x80, 0xA9]) => ("\\u2029", 3),
                // Another character of U+2000–U+2FFF: kept.
                _ => {
                    i = next_may_escape(bytes, i + 1);
                    continue;
                }
            },
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        run = i + len;
        i = next_may_escape(bytes, run);
    }
    out.push_str(&s[run..]);
    out.push('"');
}

/// The first byte at or after `from` that [`json_string`] has to look at (`bytes.len()` if
/// none): sixteen bytes at a time where the processor allows, most strings have none.
fn next_may_escape(bytes: &[u8], from: usize) -> usize {
    // SAFETY: SSE2 is part of every x86-64 processor (the cfg says the build assumes it).
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let from = unsafe { next_may_escape_in_blocks(bytes, from) };
    (bytes.get(from..).unwrap_or_default().iter())
        .position(|&b| MAY_ESCAPE[usize::from(b)])
        .map_or(bytes.len(), |at| from + at)
}

/// The start of the first block from `from` with a byte [`json_string`] has to look at, or
/// where the whole blocks end.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn next_may_escape_in_blocks(bytes: &[u8], mut from: usize) -> usize {
    use super::block::{Block, LEN};
    while let Some(block) = bytes.get(from..).and_then(|rest| Block::load(rest)) {
        let found = block.within(0, 0x1F)
            | block.is(b'"')
            | block.is(b'\\')
            | block.is(b'<')
            | block.is(b'>')
            | block.is(b'&')
            | block.is(0xE2);
        if found != 0 {
            return from + found.trailing_zeros() as usize;
        }
        from += LEN;
    }
    from
}

/// The bytes [`json_string`] has to look at: controls, `"`, `\`, `<`, `>`, `&` and the lead
/// byte of U+2028 and U+2029.
const MAY_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table[b'<' as usize] = true;
    table[b'>' as usize] = true;
    table[b'&' as usize] = true;
    table[0xE2] = true;
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_cannot_close_the_script() {
        assert_eq!(
            json_string("Tin \"mới\" </script>\n"),
            "\"Tin \\\"mới\\\" \\u003c/script\\u003e\\u000a\""
        );
        assert_eq!(
            json_string("a\u{2028}b\u{2029}–&\\\u{1}"),
            "\"a\\u2028b\\u2029–\\u0026\\\\\\u0001\""
        );
        assert_eq!(json_string(""), "\"\"");
    }

    /// Escapes at every place of a sixteen-byte block, and past the blocks.
    #[test]
    fn escapes_anywhere_in_long_strings() {
        for pad in 0..40 {
            let before = "đ".repeat(pad / 2) + &"a".repeat(pad % 2);
            for (raw, escaped) in [
                ("<", "\\u003c"),
                ("\u{2028}", "\\u2028"),
                ("\n", "\\u000a"),
                ("–", "–"),
            ] {
                let text = format!("{before}{raw}{}", "x".repeat(pad));
                let want = format!("\"{before}{escaped}{}\"", "x".repeat(pad));
                assert_eq!(json_string(&text), want, "{pad}");
            }
        }
    }
}
