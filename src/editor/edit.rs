//! Changing fields of a front matter in its text, line by line, so that a save from the
//! form changes only the lines of the fields that changed: comments, key order, quoting and
//! blank lines of the rest stay as the editor (or Notepad) left them.
//!
//! An entry is a `key:` line at its mapping's indentation and the lines below it that are
//! indented deeper (or start a block list at the same column). A changed entry is written
//! again in its old style (quotes, flow `[…]` or block `- ` list, its trailing comment); a
//! new one goes after the field before it in the schema's order. Pure; the caller checks the
//! result reads back as the form said (`editor::save_form`).

use serde_json::Value as Json;

use super::form::Change;
use crate::content::schema::{DOCUMENT_FIELDS, Fields, Input, PAGE_FIELDS};
use crate::yaml::{line_key, reads_as_item, reads_as_text};

/// `yaml` (the text between the fences, `\n` line ends) with `changes` written in.
pub fn apply(yaml: &str, changes: &[Change]) -> String {
    let mut lines: Vec<String> = yaml.lines().map(str::to_owned).collect();
    for change in changes {
        apply_one(&mut lines, change);
    }
    let mut out = lines.join("\n");
    if !lines.is_empty() {
        out.push('\n');
    }
    out
}

fn apply_one(lines: &mut Vec<String>, change: &Change) {
    match change.path.as_slice() {
        [key] => set(lines, (0, lines.len()), 0, &PAGE_FIELDS, key, change),
        [group, key] => {
            let parent = match find(lines, (0, lines.len()), 0, group) {
                Some(span) => span,
                None => {
                    let at = insert_at(lines, (0, lines.len()), 0, &PAGE_FIELDS, group);
                    lines.insert(at, format!("{group}:"));
                    (at, at + 1)
                }
            };
            let inner = (parent.0 + 1, parent.1);
            let indent = child_indent(lines, inner).unwrap_or(2);
            set(lines, inner, indent, &DOCUMENT_FIELDS, key, change);
        }
        _ => {}
    }
}

/// Writes `change` as the entry `key` among the lines `range` at `indent`.
fn set(
    lines: &mut Vec<String>,
    range: (usize, usize),
    indent: usize,
    fields: &Fields,
    key: &str,
    change: &Change,
) {
    match find(lines, range, indent, key) {
        Some((start, end)) => {
            let new = render(key, change, Some(&lines[start..end]), indent);
            lines.splice(start..end, new);
        }
        None => {
            let at = insert_at(lines, range, indent, fields, key);
            let new = render(key, change, None, indent);
            lines.splice(at..at, new);
        }
    }
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

/// The lines `start..end` of the entry `key` at `indent` within `range`.
fn find(
    lines: &[String],
    range: (usize, usize),
    indent: usize,
    key: &str,
) -> Option<(usize, usize)> {
    (range.0..range.1)
        .find(|&i| entry_key(&lines[i], indent) == Some(key))
        .map(|i| (i, entry_end(lines, i, indent, range.1)))
}

fn entry_key(line: &str, indent: usize) -> Option<&str> {
    // `indent` spaces, then the key: the slice starts after ASCII spaces, on a char boundary.
    if indent_of(line) != indent {
        return None;
    }
    let trimmed = line.get(indent..)?;
    if trimmed.starts_with('#') || trimmed.starts_with('-') {
        return None;
    }
    line_key(trimmed)
}

/// Where the entry starting at line `start` ends: past its deeper lines, and past the items
/// of a block list written at its own column; blank lines only between such lines.
fn entry_end(lines: &[String], start: usize, indent: usize, limit: usize) -> usize {
    let mut end = start + 1;
    for (i, line) in lines.iter().enumerate().take(limit).skip(start + 1) {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.trim().is_empty() {
            continue;
        }
        let deeper = indent_of(line) > indent;
        let item = indent_of(line) == indent && (trimmed == "-" || trimmed.starts_with("- "));
        if !(deeper || item) {
            break;
        }
        end = i + 1;
    }
    end
}

/// The indentation of a mapping's first key within `range`.
fn child_indent(lines: &[String], range: (usize, usize)) -> Option<usize> {
    lines[range.0..range.1]
        .iter()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|l| indent_of(l))
}

/// Where a new entry `key` goes: after the nearest field before it in the schema's order
/// that the text has; else before the first entry after it (and that entry's comments); else
/// at the end of the mapping.
fn insert_at(
    lines: &[String],
    range: (usize, usize),
    indent: usize,
    fields: &Fields,
    key: &str,
) -> usize {
    let keys: Vec<&str> = fields.0.iter().map(|f| f.key).collect();
    let index = keys.iter().position(|k| *k == key).unwrap_or(keys.len());
    let before = keys[..index].iter().rev();
    if let Some((_, end)) = before.filter_map(|k| find(lines, range, indent, k)).next() {
        return end;
    }
    let after = keys.get(index + 1..).unwrap_or_default().iter();
    if let Some((mut start, _)) = after.filter_map(|k| find(lines, range, indent, k)).min() {
        while start > range.0 && lines[start - 1].trim_start().starts_with('#') {
            start -= 1;
        }
        return start;
    }
    // No known key here: after the mapping's last non-blank line.
    let mut end = range.1;
    while end > range.0 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    end
}

/// The field a line of `yaml` (1-based) belongs to: `title`, or `document.number` inside
/// a group; `None` above the first key.
pub fn field_at(yaml: &str, line: usize) -> Option<String> {
    let lines: Vec<String> = yaml.lines().map(str::to_owned).collect();
    let at = line.checked_sub(1).filter(|&i| i < lines.len())?;
    let top = (0..=at)
        .rev()
        .find(|&i| entry_key(&lines[i], 0).is_some())?;
    let key = entry_key(&lines[top], 0)?.to_owned();
    let indent = child_indent(&lines, (top + 1, at + 1)).filter(|_| at > top);
    let inner = indent.and_then(|ind| {
        let i = (top + 1..=at)
            .rev()
            .find(|&i| entry_key(&lines[i], ind).is_some())?;
        entry_key(&lines[i], ind).map(str::to_owned)
    });
    Some(match inner {
        Some(inner) => format!("{key}.{inner}"),
        None => key,
    })
}

/// The lines of entry `key` holding the change's value, in the style of `old`.
fn render(key: &str, change: &Change, old: Option<&[String]>, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let (old_value, comment) = match old.and_then(|l| l.first()) {
        Some(first) => split_value(first, indent),
        None => (String::new(), String::new()),
    };
    // A comment after the value stays with a one-line entry.
    let comment = if old.is_some_and(|l| l.len() == 1) {
        comment
    } else {
        String::new()
    };
    let line = |value: &str| {
        let sep = if value.is_empty() { "" } else { " " };
        format!("{pad}{key}:{sep}{value}{comment}")
    };
    match (change.input, &change.value) {
        (Input::Check, Json::Bool(b)) => vec![line(if *b { "true" } else { "false" })],
        (Input::Number, Json::Number(n)) => vec![line(&n.to_string())],
        (Input::Number, _) => vec![line("")],
        (Input::List, Json::Array(items)) => {
            let items: Vec<&str> = items.iter().filter_map(Json::as_str).collect();
            list(key, &items, old, &pad, &old_value, &line)
        }
        (input, Json::String(s)) => {
            let written = match input {
                Input::DateTime | Input::Date => date_text(s, &old_value),
                _ => s.clone(),
            };
            vec![line(&scalar(&written, &old_value))]
        }
        _ => vec![line("")],
    }
}

/// A list: `[]` when empty; block items when it was a block list; else a flow list.
fn list(
    key: &str,
    items: &[&str],
    old: Option<&[String]>,
    pad: &str,
    old_value: &str,
    line: &dyn Fn(&str) -> String,
) -> Vec<String> {
    if items.is_empty() {
        return vec![line("[]")];
    }
    let block = old.is_some_and(|l| l.len() > 1) && old_value.is_empty();
    if block {
        let item_pad = old
            .and_then(|l| l.iter().skip(1).find(|x| x.trim_start().starts_with('-')))
            .map_or_else(|| format!("{pad}  "), |x| " ".repeat(indent_of(x)));
        let mut out = vec![format!("{pad}{key}:")];
        out.extend(
            items
                .iter()
                .map(|item| format!("{item_pad}- {}", scalar(item, ""))),
        );
        return out;
    }
    let written: Vec<String> = items
        .iter()
        .map(|item| {
            if !item.contains('\n') && reads_as_item(item, item) {
                (*item).to_owned()
            } else {
                double_quoted(item)
            }
        })
        .collect();
    vec![line(&format!("[{}]", written.join(", ")))]
}

/// A text as a scalar: quoted as it was (double or single), plain when it reads back as
/// itself, else double-quoted. An empty text is no value at all.
fn scalar(text: &str, old_value: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let one_line = !text.contains('\n');
    if old_value.starts_with('\'') && one_line {
        let single = format!("'{}'", text.replace('\'', "''"));
        if reads_as_text(&single, text) {
            return single;
        }
    }
    if !old_value.starts_with(['"', '\'']) && one_line && reads_as_text(text, text) {
        return text.to_owned();
    }
    double_quoted(text)
}

/// YAML's double-quoted style takes JSON's escapes.
fn double_quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("\"{}\"", text.replace('"', "\\\"")))
}

/// `2026-01-05T08:30` written as the file wrote dates: `05/01/2026 08:30`, or
/// `2026-01-05 08:30` if its old value started with the year; a date without a time when
/// the time is midnight and the old value had none. Anything else is written as typed.
fn date_text(shape: &str, old_value: &str) -> String {
    let (date, time) = shape.split_once('T').unwrap_or((shape, ""));
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return shape.to_owned();
    };
    let iso = old_value
        .trim_start_matches(['"', '\''])
        .chars()
        .take(4)
        .all(|c| c.is_ascii_digit())
        && !old_value.is_empty();
    let day = if iso {
        format!("{y}-{m}-{d}")
    } else {
        format!("{d}/{m}/{y}")
    };
    let keep_time = !time.is_empty() && (time != "00:00" || old_value.contains(':'));
    if keep_time {
        format!("{day} {time}")
    } else {
        day
    }
}

/// The value after `key:` on an entry's first line, and its trailing comment (with the
/// space before it), outside quotes.
fn split_value(first: &str, indent: usize) -> (String, String) {
    let trimmed = first.get(indent..).unwrap_or(first);
    let Some(colon) = trimmed.find(':') else {
        return (String::new(), String::new());
    };
    let rest = &trimmed[colon + 1..];
    // Only a value that starts with a quote is quoted (`a 'b # c` is plain, its comment `# c`);
    // inside double quotes a backslash escapes the next character.
    let mut quote: Option<char> = None;
    let (mut prev_space, mut escaped) = (true, false);
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some('"'), _) if escaped => escaped = false,
            (Some('"'), '\\') => escaped = true,
            (None, '"' | '\'') if rest[..i].trim().is_empty() => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '#') if prev_space => {
                let start = rest[..i].trim_end().len();
                return (rest[..start].trim().to_owned(), rest[start..].to_owned());
            }
            _ => {}
        }
        prev_space = c == ' ' || c == '\t';
    }
    (rest.trim().to_owned(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(path: &[&'static str], input: Input, value: Json) -> Change {
        Change {
            path: path.to_vec(),
            input,
            value,
        }
    }

    const FILE: &str = "# Ghi chú: bài của Công an xã\ntitle: 'Bài A'\ndate: 05/01/2026 08:00 # giờ VN\ntags:\n  - VNeID\n  - Dịch vụ công\ndraft: true\n";

    #[test]
    fn one_changed_field_changes_its_line_only() {
        let out = apply(
            FILE,
            &[change(&["title"], Input::Text, "Bài B: mới".into())],
        );
        assert_eq!(out, FILE.replace("'Bài A'", "'Bài B: mới'"));
        let out = apply(FILE, &[change(&["draft"], Input::Check, false.into())]);
        assert_eq!(out, FILE.replace("draft: true", "draft: false"));
        let out = apply(
            FILE,
            &[change(
                &["date"],
                Input::DateTime,
                "2026-01-06T09:30".into(),
            )],
        );
        assert_eq!(out, FILE.replace("05/01/2026 08:00", "06/01/2026 09:30"));
    }

    #[test]
    fn lists_keep_their_style() {
        let tags = serde_json::json!(["VNeID", "Thanh toán: QR"]);
        let out = apply(FILE, &[change(&["tags"], Input::List, tags.clone())]);
        assert_eq!(
            out,
            FILE.replace("  - Dịch vụ công", "  - \"Thanh toán: QR\"")
        );
        let flow = "title: A\ntags: [a]\n";
        let out = apply(flow, &[change(&["tags"], Input::List, tags)]);
        assert_eq!(out, "title: A\ntags: [VNeID, \"Thanh toán: QR\"]\n");
        let out = apply(
            flow,
            &[change(&["tags"], Input::List, serde_json::json!([]))],
        );
        assert_eq!(out, "title: A\ntags: []\n");
    }

    #[test]
    fn new_fields_go_after_the_field_before_them() {
        let out = apply(
            FILE,
            &[change(
                &["summary"],
                Input::LongText,
                "Tóm tắt\nhai dòng".into(),
            )],
        );
        assert!(
            out.contains("# giờ VN\nsummary: \"Tóm tắt\\nhai dòng\"\ntags:"),
            "{out}"
        );
        let out = apply(
            "title: A\n",
            &[change(
                &["document", "number"],
                Input::Text,
                "06/KH-UBND".into(),
            )],
        );
        assert_eq!(out, "title: A\ndocument:\n  number: 06/KH-UBND\n");
        let doc = "title: A\ndocument:\n    type: Kế hoạch\n    issued: 2026-01-14\nsummary: x\n";
        let out = apply(
            doc,
            &[change(
                &["document", "number"],
                Input::Text,
                "06/KH-UBND".into(),
            )],
        );
        assert_eq!(
            out,
            "title: A\ndocument:\n    number: 06/KH-UBND\n    type: Kế hoạch\n    issued: 2026-01-14\nsummary: x\n"
        );
        let out = apply(
            doc,
            &[change(
                &["document", "issued"],
                Input::Date,
                "2026-01-15".into(),
            )],
        );
        assert!(out.contains("    issued: 2026-01-15\n"), "{out}");
    }

    #[test]
    fn multibyte_text_at_an_indentation_never_panics() {
        let yaml = "document:\n    number: 06/KH\n  #đã sửa\n đ\ntags:\n  - a\n đ\n";
        let out = apply(
            yaml,
            &[change(&["document", "issuer"], Input::Text, "UBND".into())],
        );
        assert!(out.contains("    issuer: UBND\n"), "{out}");
        for line in 1..=8 {
            let _ = field_at(yaml, line);
        }
    }

    #[test]
    fn comments_after_quoted_and_plain_values_are_found() {
        assert_eq!(
            split_value("title: \"a \\\" # b\" # c", 0),
            ("\"a \\\" # b\"".to_owned(), " # c".to_owned())
        );
        assert_eq!(
            split_value("title: a 'b # c", 0),
            ("a 'b".to_owned(), " # c".to_owned())
        );
    }

    #[test]
    fn a_line_belongs_to_the_field_above_it() {
        let yaml = "# ghi chú\ntitle: A\ntags:\n  - a\ndocument:\n  number: 1\n  issued: x\n";
        assert_eq!(field_at(yaml, 1), None);
        assert_eq!(field_at(yaml, 2).as_deref(), Some("title"));
        assert_eq!(field_at(yaml, 4).as_deref(), Some("tags"));
        assert_eq!(field_at(yaml, 7).as_deref(), Some("document.issued"));
        assert_eq!(field_at(yaml, 5).as_deref(), Some("document"));
    }

    #[test]
    fn texts_that_would_read_as_something_else_are_quoted() {
        for (text, written) in [
            ("2026", "\"2026\""),
            ("true", "\"true\""),
            ("Bài: A", "\"Bài: A\""),
            ("# không phải chú thích", "\"# không phải chú thích\""),
            ("- gạch đầu", "\"- gạch đầu\""),
            ("Kế hoạch 06/KH-UBND", "Kế hoạch 06/KH-UBND"),
        ] {
            let out = apply(
                "title: x\n",
                &[change(&["title"], Input::Text, text.into())],
            );
            assert_eq!(out, format!("title: {written}\n"), "{text}");
        }
        let out = apply("unit: x\n", &[change(&["unit"], Input::Text, "".into())]);
        assert_eq!(out, "unit:\n");
    }
}
