//! JSON string literals, for JSON-LD in pages and for the search index.

/// A JSON string literal safe inside `<script type="application/ld+json">`: `<`, `>` and `&`
/// are escaped so no text can close the script element.
pub fn json_string(s: &str) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    let bytes = s.as_bytes();
    // Runs of bytes that need no escape are copied whole: every byte to escape is ASCII but
    // the lead byte of U+2028 and U+2029.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if !MAY_ESCAPE[usize::from(b)] {
            continue;
        }
        let (escape, len) = match b {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0..=0x1F => ("", 1),
            0xE2 => match bytes.get(i + 1..i + 3) {
                Some([0x80, 0xA8]) => ("\\u2028", 3),
                Some([0x80, 0xA9]) => ("\\u2029", 3),
                _ => continue,
            },
            _ => continue,
        };
        out.push_str(&s[run..i]);
        if escape.is_empty() {
            let _ = write!(out, "\\u{b:04x}");
        } else {
            out.push_str(escape);
        }
        run = i + len;
    }
    out.push_str(&s[run..]);
    out.push('"');
    out
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
}
