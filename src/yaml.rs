//! The only module that touches the YAML crate: typed parsing of `config.yaml` and of front
//! matter, with every problem turned into a located `Diagnostic`.
//!
//! The design names serde_yaml, which is archived; keeping it behind
//! this one file makes a swap to serde-saphyr a one-module change.
//!
//! Parsing is done in three passes over small texts: syntax (to `Value`), then keys against a
//! `Schema` so that *every* unknown key is reported with its line and a "did you mean", then
//! the typed struct, whose errors carry a position.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::{Diagnostic, Kind, did_you_mean};

/// Free-form data (`extra:`) passed untouched to templates.
pub type Extra = serde_yaml::Value;

/// The keys a mapping accepts, and the schemas of its nested mappings.
pub struct Schema {
    pub keys: &'static [&'static str],
    pub nested: &'static [(&'static str, &'static Schema)],
}

/// What a mapping's keys are checked against: a [`Schema`] (the configuration) or the table
/// front matter is declared with (`content::schema::Fields`).
pub trait Keys: Sync {
    /// Every key the mapping takes.
    fn names(&self) -> Vec<&'static str>;
    /// The keys of the mapping under `key`, when it is one.
    fn nested(&self, key: &str) -> Option<&dyn Keys>;
}

impl Keys for Schema {
    fn names(&self) -> Vec<&'static str> {
        self.keys.to_vec()
    }

    fn nested(&self, key: &str) -> Option<&dyn Keys> {
        let (_, schema) = self.nested.iter().find(|(name, _)| *name == key)?;
        Some(*schema as &dyn Keys)
    }
}

/// Where a YAML text sits inside its file, so positions can be reported in file lines.
pub struct Source<'a> {
    /// Path shown to the user (relative to the site root).
    pub path: &'a Path,
    /// The whole file, to quote the offending line.
    pub file_text: &'a str,
    /// 1-based file line of the YAML text's first line.
    pub first_line: usize,
}

impl Source<'_> {
    fn diag(&self, yaml_line: usize, col: usize, kind: Kind) -> Diagnostic {
        let line = self.first_line + yaml_line.saturating_sub(1);
        Diagnostic::at(self.path, self.file_text, line, col, kind)
    }
}

/// Types whose `extra:` mapping goes to templates as it is.
pub trait WithExtra {
    fn extra(&self) -> &Extra;
}

/// Parses `yaml` into `T`. Correct input is parsed once; on any error the text is parsed
/// again step by step (syntax, then every key against `schema`, then types) so that every
/// unknown key is reported with its line, not just the first. An empty text parses as an
/// empty mapping.
pub fn parse<T: DeserializeOwned + WithExtra>(
    yaml: &str,
    schema: &dyn Keys,
    src: &Source,
) -> Result<T, Vec<Diagnostic>> {
    if let Some((line, col)) = too_deep(yaml) {
        let kind = Kind::YamlTooDeep { limit: MAX_DEPTH };
        return Err(vec![src.diag(line, col, kind)]);
    }
    let value = match serde_yaml::from_str::<T>(yaml) {
        Ok(value) => value,
        Err(_) => return parse_slowly(yaml, schema, src),
    };
    if !has_plain_keys(value.extra()) {
        return Err(vec![extra_keys_error(yaml, src)]);
    }
    Ok(value)
}

/// How deep lists and mappings may nest: no page or config needs more than a few levels, and
/// the YAML parser takes quadratic time in the depth of `[[[…` before it refuses at 128.
pub const MAX_DEPTH: usize = 64;

/// The (line, column) where `yaml` nests deeper than [`MAX_DEPTH`], found in one pass before
/// the parser sees it: brackets and braces outside quotes and comments, plus the levels of
/// indentation and of `- - -` on a line. Block scalars (`|`, `>`) are text, not counted.
pub fn too_deep(yaml: &str) -> Option<(usize, usize)> {
    // Each level takes a bracket, a brace, a dash or a line: a page's few lines cannot nest
    // that deep, and skip the scan.
    let bytes = yaml.as_bytes();
    let levels = memchr::memchr3_iter(b'[', b'{', b'\n', bytes).count()
        + memchr::memchr_iter(b'-', bytes).count();
    if levels <= MAX_DEPTH {
        return None;
    }
    let mut scan = DepthScan::default();
    for (i, line) in yaml.lines().enumerate() {
        if let Some(col) = scan.line(line) {
            return Some((i + 1, col));
        }
    }
    None
}

/// The state of [`too_deep`] between lines: quotes and brackets may span lines.
#[derive(Default)]
struct DepthScan {
    flow: usize,
    quote: Option<char>,
    /// Inside a block scalar started on a line with this indentation.
    block: Option<usize>,
    /// Indentations of the enclosing block levels.
    indents: Vec<usize>,
}

impl DepthScan {
    /// Scans one line; the 1-based column (in characters) where it gets too deep.
    fn line(&mut self, line: &str) -> Option<usize> {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        if let Some(block) = self.block {
            if trimmed.is_empty() || indent > block {
                return None;
            }
            self.block = None;
        }
        let content = trimmed.trim_end();
        if self.flow == 0
            && self.quote.is_none()
            && !content.is_empty()
            && !content.starts_with('#')
        {
            while self.indents.last().is_some_and(|&i| i >= indent) {
                self.indents.pop();
            }
            self.indents.push(indent);
        }
        let mut depth = self.indents.len();
        let mut prev = ' ';
        let mut plain_dash = true;
        for (col, c) in line.chars().enumerate() {
            match (self.quote, c) {
                (Some('"'), '\\') if prev != '\\' => {}
                (Some(q), c) if c == q && !(q == '"' && prev == '\\') => self.quote = None,
                (Some(_), _) => {}
                (None, '#') if prev == ' ' || prev == '\t' || col == 0 => break,
                (None, '"' | '\'') if matches!(prev, ' ' | '\t' | ':' | '-' | '[' | '{' | ',') => {
                    self.quote = Some(c)
                }
                (None, '[' | '{') => self.flow += 1,
                (None, ']' | '}') => self.flow = self.flow.saturating_sub(1),
                (None, '-') if plain_dash && self.flow == 0 => depth += 1,
                (None, ' ') => {}
                _ => plain_dash = false,
            }
            if depth + self.flow > MAX_DEPTH {
                return Some(col + 1);
            }
            prev = if prev == '\\' && c == '\\' { ' ' } else { c };
        }
        let end = content.trim_end_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
        if self.flow == 0
            && self.quote.is_none()
            && (end.ends_with(" |") || end.ends_with(" >") || end == "|" || end == ">")
        {
            self.block = Some(indent);
        }
        None
    }
}

fn extra_keys_error(yaml: &str, src: &Source) -> Diagnostic {
    let (line, col) = find_key(yaml, &[], "extra").unwrap_or((1, 1));
    let kind = Kind::WrongType {
        key: Some("extra".into()),
        expected: "các khóa dạng chữ (`ten_khoa: giá trị`)",
    };
    src.diag(line, col, kind)
}

/// The precise path for text that failed to parse: every problem, located.
fn parse_slowly<T: DeserializeOwned + WithExtra>(
    yaml: &str,
    schema: &dyn Keys,
    src: &Source,
) -> Result<T, Vec<Diagnostic>> {
    let value: serde_yaml::Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => return Err(vec![syntax_error(&e, yaml, src)]),
    };
    let mapping = match value {
        serde_yaml::Value::Null => return typed(yaml, src, "{}"),
        serde_yaml::Value::Mapping(m) => m,
        _ => return Err(vec![src.diag(1, 1, Kind::FrontMatterNotMapping)]),
    };
    let mut problems = check_keys(&mapping, schema, yaml, src, &[]);
    if let Some(extra) = mapping.get("extra")
        && !has_plain_keys(extra)
    {
        problems.push(extra_keys_error(yaml, src));
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    typed(yaml, src, yaml)
}

/// Templates can only use mapping keys that are strings, numbers or booleans; a `~`, float,
/// list or map key would make the template engine panic.
fn has_plain_keys(v: &serde_yaml::Value) -> bool {
    use serde_yaml::Value as V;
    match v {
        V::Mapping(m) => m.iter().all(|(k, v)| {
            let plain = matches!(k, V::String(_) | V::Bool(_)) || k.is_i64() || k.is_u64();
            plain && has_plain_keys(v)
        }),
        V::Sequence(items) => items.iter().all(has_plain_keys),
        V::Tagged(t) => has_plain_keys(&t.value),
        _ => true,
    }
}

fn typed<T: DeserializeOwned>(yaml: &str, src: &Source, text: &str) -> Result<T, Vec<Diagnostic>> {
    serde_yaml::from_str(text).map_err(|e| vec![type_error(&e, yaml, src)])
}

fn check_keys(
    mapping: &serde_yaml::Mapping,
    schema: &dyn Keys,
    yaml: &str,
    src: &Source,
    parents: &[&str],
) -> Vec<Diagnostic> {
    let index = KeyIndex::new(yaml);
    check_keys_with(&index, mapping, schema, src, parents)
}

fn check_keys_with(
    index: &KeyIndex,
    mapping: &serde_yaml::Mapping,
    schema: &dyn Keys,
    src: &Source,
    parents: &[&str],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let names = schema.names();
    for (key, value) in mapping {
        let Some(key) = key.as_str() else { continue };
        if !names.contains(&key) {
            let (line, col) = index.get(parents, key).unwrap_or((1, 1));
            let suggestion = did_you_mean(key, names.iter().copied());
            let kind = Kind::UnknownKey {
                key: key.to_owned(),
                suggestion,
                allowed: names.clone(),
            };
            diags.push(src.diag(line, col, kind).with_width(key.chars().count()));
            continue;
        }
        if let (Some(nested), serde_yaml::Value::Mapping(inner)) = (schema.nested(key), value) {
            let path: Vec<&str> = parents.iter().copied().chain([key]).collect();
            diags.extend(check_keys_with(index, inner, nested, src, &path));
        }
    }
    diags
}

/// A YAML text as a generic value, for the editor's form; `None` when it does not parse (or
/// nests too deep). An empty text is an empty mapping.
pub fn value(yaml: &str) -> Option<Extra> {
    if too_deep(yaml).is_some() {
        return None;
    }
    if yaml.trim().is_empty() {
        return Some(Extra::Mapping(Default::default()));
    }
    serde_yaml::from_str(yaml).ok()
}

/// Whether `written`, after `key: `, reads back as exactly the text `text` (not a number, a
/// date-like value, a comment, a mapping…).
pub fn reads_as_text(written: &str, text: &str) -> bool {
    let parsed: Option<Extra> = serde_yaml::from_str(&format!("k: {written}\n")).ok();
    parsed.as_ref().and_then(|v| v.get("k")) == Some(&Extra::String(text.to_owned()))
}

/// Whether `written`, as the one item of a flow list `[…]`, reads back as the text `text`.
pub fn reads_as_item(written: &str, text: &str) -> bool {
    let parsed: Option<Extra> = serde_yaml::from_str(&format!("k: [{written}]\n")).ok();
    let one = Extra::Sequence(vec![Extra::String(text.to_owned())]);
    parsed.as_ref().and_then(|v| v.get("k")) == Some(&one)
}

/// Finds the (line, column) of `key:` in `yaml` under the mapping keys `parents`
/// (`&[]` for the top level, `&["taxonomies", "tags"]` for a nested key).
pub fn find_key(yaml: &str, parents: &[&str], key: &str) -> Option<(usize, usize)> {
    KeyIndex::new(yaml).get(parents, key)
}

/// Where each `key:` of a YAML text is first written, found in one pass: errors about
/// thousands of keys each look theirs up instead of reading the text again.
pub struct KeyIndex {
    /// The path of keys joined by `\0` → (line, column).
    first: std::collections::HashMap<String, (usize, usize)>,
}

/// Keys deeper than this are not indexed (no schema nests that far).
const INDEXED_DEPTH: usize = 8;

impl KeyIndex {
    pub fn new(yaml: &str) -> KeyIndex {
        let mut first = std::collections::HashMap::new();
        let mut stack: Vec<(usize, &str)> = Vec::new();
        for (i, line) in yaml.lines().enumerate() {
            let trimmed = line.trim_start();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let indent = line.len() - trimmed.len();
            while stack.last().is_some_and(|(ind, _)| *ind >= indent) {
                stack.pop();
            }
            let Some(k) = line_key(trimmed) else { continue };
            if stack.len() < INDEXED_DEPTH {
                let path = join_path(stack.iter().map(|(_, k)| *k), k);
                first
                    .entry(path)
                    .or_insert((i + 1, line[..indent].chars().count() + 1));
            }
            stack.push((indent, k));
        }
        KeyIndex { first }
    }

    pub fn get(&self, parents: &[&str], key: &str) -> Option<(usize, usize)> {
        self.first
            .get(&join_path(parents.iter().copied(), key))
            .copied()
    }
}

fn join_path<'a>(parents: impl Iterator<Item = &'a str>, key: &str) -> String {
    let mut path = String::new();
    for p in parents {
        path.push_str(p);
        path.push('\0');
    }
    path.push_str(key);
    path
}

/// The key of a `key: value` or `key:` line.
pub fn line_key(trimmed: &str) -> Option<&str> {
    let colon = trimmed.find(':')?;
    let (key, rest) = (&trimmed[..colon], &trimmed[colon + 1..]);
    let plain = !key.is_empty()
        && !key.contains(char::is_whitespace)
        && !key.starts_with(['-', '"', '\'', '[', '{']);
    (plain && (rest.is_empty() || rest.starts_with(char::is_whitespace))).then_some(key)
}

fn syntax_error(e: &serde_yaml::Error, yaml: &str, src: &Source) -> Diagnostic {
    let (mut line, mut col) = e.location().map_or((1, 0), |l| (l.line(), l.column()));
    // "Unexpected end" is found past the last line (an unclosed quote or bracket); the
    // editor's mistake is on the last line they wrote, so point there.
    let last = yaml.lines().count().max(1);
    if line > last {
        (line, col) = (last, 1);
    }
    let message = e.to_string();
    // A key given twice is reported at the start of the mapping; point at the second one.
    if let Some(key) = message
        .split("duplicate entry with key \"")
        .nth(1)
        .and_then(|r| r.split('"').next())
    {
        let second = yaml
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                l.strip_prefix(key)
                    .is_some_and(|r| r.trim_start().starts_with(':'))
            })
            .nth(1);
        if let Some((i, _)) = second {
            (line, col) = (i + 1, 1);
        }
    }
    // Aliases that repeat aliases (a "billion laughs"): the parser stops at its limit and
    // points at the start; the editor's mistake is at the first anchor.
    if message.starts_with("repetition limit exceeded")
        || message.starts_with("recursion limit exceeded")
    {
        let (line, col) = first_anchor(yaml).unwrap_or((line, col));
        return src.diag(line, col, Kind::YamlTooManyAliases);
    }
    let detail = translate_syntax(&message);
    src.diag(line, col, Kind::YamlSyntax { detail })
}

/// The (line, column) of the first `&anchor` outside quotes.
fn first_anchor(yaml: &str) -> Option<(usize, usize)> {
    yaml.lines().enumerate().find_map(|(i, line)| {
        let mut quote = None;
        line.char_indices().find_map(|(byte, c)| {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '&') if line[byte + 1..].starts_with(|c: char| c.is_alphanumeric()) => {
                    return Some((i + 1, line[..byte].chars().count() + 1));
                }
                _ => {}
            }
            None
        })
    })
}

/// serde_yaml reports in English; the common cases get a Vietnamese sentence.
fn translate_syntax(message: &str) -> String {
    let known = [
        (
            "mapping values are not allowed",
            "có dấu `:` ở chỗ không được phép",
        ),
        (
            "did not find expected key",
            "thụt lề không thẳng hàng hoặc thiếu khóa",
        ),
        (
            "found unexpected end of stream",
            "kết thúc bất ngờ (thiếu ngoặc hoặc dấu nháy đóng)",
        ),
        (
            "found character that cannot start any token",
            "có ký tự không được phép ở đầu giá trị (như `@`, `` ` `` hoặc tab)",
        ),
        ("duplicate entry", "một khóa được khai báo hai lần"),
        (
            "did not find expected ',' or ']'",
            "danh sách `[...]` thiếu dấu `,` hoặc `]`",
        ),
        ("could not find expected ':'", "thiếu dấu `:` sau khóa"),
        (
            "found a tab character",
            "có ký tự tab; hãy thụt lề bằng dấu cách",
        ),
        (
            "found unknown escape character",
            "có ký tự thoát `\\` không hợp lệ trong chuỗi",
        ),
        (
            "block sequence entries are not allowed",
            "dòng `- …` đặt sai chỗ",
        ),
        (
            "control characters are not allowed",
            "có ký tự điều khiển (không in ra được)",
        ),
        ("invalid type: integer", "số quá lớn"),
    ];
    known
        .iter()
        .find(|(en, _)| message.contains(en))
        .map(|(_, vi)| (*vi).to_owned())
        .unwrap_or_else(|| "cú pháp không hợp lệ ở chỗ này".to_owned())
}

fn type_error(e: &serde_yaml::Error, yaml: &str, src: &Source) -> Diagnostic {
    let message = e.to_string();
    let (line, col) = e.location().map_or((1, 0), |l| (l.line(), l.column()));
    // serde_yaml prefixes nested errors with their path: "document.number: invalid type …".
    let (path, rest) = match message.split_once(": ") {
        Some((p, r)) if !p.contains(' ') => (Some(p), r),
        _ => (None, message.as_str()),
    };
    let key = path.map(|p| p.rsplit('.').next().unwrap_or(p).to_owned());
    let expected = translate_expected(rest);
    let (line, col) = match (&key, line) {
        (Some(k), 1) if col == 0 => find_key(yaml, &[], k).unwrap_or((1, 0)),
        _ => (line, col),
    };
    src.diag(line, col, Kind::WrongType { key, expected })
}

fn translate_expected(message: &str) -> &'static str {
    let expected = message.split("expected ").nth(1).unwrap_or("");
    match expected {
        e if e.starts_with("a sequence") => "một danh sách, ví dụ `[a, b]` hoặc các dòng `- a`",
        e if e.starts_with("a string") => "một đoạn chữ",
        e if e.starts_with("a boolean") => "`true` (có) hoặc `false` (không)",
        e if e.starts_with("i64") || e.starts_with("an integer") => "một số nguyên",
        e if e.starts_with("u") || e.starts_with("usize") => "một số nguyên dương",
        e if e.contains("struct") || e.contains("map") => "một nhóm khóa thụt lề bên dưới",
        _ => "đúng kiểu dữ liệu theo hướng dẫn",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Default)]
    #[serde(default, deny_unknown_fields)]
    struct Fm {
        title: Option<String>,
        tags: Vec<String>,
        draft: bool,
        document: Option<Doc>,
    }
    #[derive(Debug, Deserialize, Default)]
    #[serde(default, deny_unknown_fields)]
    struct Doc {
        number: Option<String>,
    }
    impl WithExtra for Fm {
        fn extra(&self) -> &Extra {
            &NULL
        }
    }
    static NULL: Extra = Extra::Null;

    static DOC: Schema = Schema {
        keys: &["number"],
        nested: &[],
    };
    static FM: Schema = Schema {
        keys: &["title", "tags", "draft", "document"],
        nested: &[("document", &DOC)],
    };

    fn run(yaml: &str) -> Result<Fm, Vec<Diagnostic>> {
        let file = format!("---\n{yaml}---\nbody\n");
        let src = Source {
            path: Path::new("content/a.md"),
            file_text: &file,
            first_line: 2,
        };
        parse(yaml, &FM, &src)
    }

    #[test]
    fn parses_valid_front_matter() {
        let fm = run("title: Chuyển đổi số\ntags: [VNeID, Đề án 06]\ndraft: true\n").unwrap();
        assert_eq!(fm.title.as_deref(), Some("Chuyển đổi số"));
        assert_eq!(fm.tags, ["VNeID", "Đề án 06"]);
        assert!(fm.draft);
        assert!(run("").unwrap().title.is_none());
    }

    #[test]
    fn reports_every_unknown_key_with_its_file_line() {
        let errs = run("title: A\ntittle: B\ndocument:\n  numbr: 5\ntag: x\n").unwrap_err();
        let got: Vec<(usize, usize, String)> = errs
            .iter()
            .map(|d| (d.line, d.col, d.kind.hint().unwrap_or_default()))
            .collect();
        assert_eq!(
            got,
            [
                (3, 1, "có phải bạn muốn viết `title`?".to_owned()),
                (5, 3, "có phải bạn muốn viết `number`?".to_owned()),
                (6, 1, "có phải bạn muốn viết `tags`?".to_owned()),
            ]
        );
    }

    #[test]
    fn reports_syntax_and_type_errors_at_file_lines() {
        let errs = run("title: A\ntags: [a, b\n").unwrap_err();
        assert!(matches!(errs[0].kind, Kind::YamlSyntax { .. }), "{errs:?}");
        assert!(errs[0].line >= 3, "{errs:?}");

        let errs = run("title: A\ntags: 5\n").unwrap_err();
        assert_eq!(errs[0].line, 3, "{errs:?}");
        assert!(
            matches!(&errs[0].kind, Kind::WrongType { key: Some(k), .. } if k == "tags"),
            "{errs:?}"
        );

        // An unclosed quote is detected at the end; the report points at the last line written.
        let errs = run("title: A\nsummary: \"Ghi chú: abc\n").unwrap_err();
        assert_eq!(errs[0].line, 3, "{errs:?}");

        let errs = run("title: A\ntags: [a]\ndraft: true\ntags: [b]\n").unwrap_err();
        assert_eq!(
            (errs[0].line, errs[0].col),
            (5, 1),
            "the second `tags:` {errs:?}"
        );

        let errs = run("- a\n- b\n").unwrap_err();
        assert_eq!(errs[0].kind, Kind::FrontMatterNotMapping);
    }

    #[test]
    fn finds_nested_keys_across_blank_lines_and_comments() {
        let yaml = "title: A\ndocument:\n  number: 1\n\n  # ghi chú\n  level: X\ntaxonomies:\n  tags:\n    titel: B\n";
        assert_eq!(find_key(yaml, &["document"], "level"), Some((6, 3)));
        assert_eq!(
            find_key(yaml, &["taxonomies", "tags"], "titel"),
            Some((9, 5))
        );
        assert_eq!(find_key(yaml, &[], "level"), None);
        assert_eq!(find_key("summary: \"a: b\"\n", &[], "a"), None);
    }

    #[test]
    fn refuses_extra_keys_templates_cannot_use() {
        let src = Source {
            path: Path::new("config.yaml"),
            file_text: "",
            first_line: 1,
        };
        static S: Schema = Schema {
            keys: &["extra"],
            nested: &[],
        };
        #[derive(Deserialize)]
        struct E {
            extra: Extra,
        }
        impl WithExtra for E {
            fn extra(&self) -> &Extra {
                &self.extra
            }
        }
        for bad in [
            "extra:\n  ~: x\n",
            "extra:\n  1.5: x\n",
            "extra:\n  a:\n    [1]: x\n",
        ] {
            assert!(parse::<E>(bad, &S, &src).is_err(), "{bad}");
        }
        assert!(parse::<E>("extra:\n  a: 1\n  2: b\n  true: c\n", &S, &src).is_ok());
    }
}
