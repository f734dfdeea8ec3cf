//! JSON string literals, for JSON-LD in pages and for the search index.

/// A JSON string literal safe inside `<script type="application/ld+json">`: `<`, `>` and `&`
/// are escaped so no text can close the script element.
pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_cannot_close_the_script() {
        assert_eq!(
            json_string("Tin \"mới\" </script>\n"),
            "\"Tin \\\"mới\\\" \\u003c/script\\u003e\\u000a\""
        );
    }
}
