//! Front matter: splitting it from the body, and typing it per kind of page.
//!
//! `split` and `parse_page` / `parse_section` are pure functions of the file text, so every
//! rule here is testable without touching the disk. All problems of one file are collected.

use std::path::Path;

use chrono::{DateTime, FixedOffset};

use super::doc_number::{DocNumber, DocNumberError};
use super::schema::{PAGE_FIELDS, RawDocument, RawPage, RawSection, SECTION_FIELDS};
use crate::diagnostics::{Diagnostic, Kind};
use crate::text::{DateParseError, nfc, parse_date};
use crate::yaml::{self, Extra, Source};

/// The four kinds of page; a section's `kind` sets it for the pages inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PageKind {
    /// News and guides.
    Article,
    /// Success stories and model examples (câu chuyện thành công, mô hình điển hình).
    Story,
    /// One summary page per policy document.
    Document,
    /// A plain page (introduction, contacts).
    Page,
}

impl PageKind {
    pub const NAMES: &'static [&'static str] = &["article", "story", "document", "page"];

    pub fn parse(s: &str) -> Option<PageKind> {
        Some(match s {
            "article" => PageKind::Article,
            "story" => PageKind::Story,
            "document" => PageKind::Document,
            "page" => PageKind::Page,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        PageKind::NAMES[self as usize]
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Vietnamese alphabetical order.
    Title,
    /// Lowest weight first.
    Weight,
    /// Document number, then date.
    Number,
}

impl SortBy {
    pub const NAMES: &'static [&'static str] = &["date", "title", "weight", "number"];
}

/// Levels of issuing authority, in the order the document list shows them.
pub const LEVELS: &[&str] = &["Trung ương", "Thành phố", "Xã"];

/// A value with the file position it came from, for errors found later in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
    pub col: usize,
}

/// The language a page is written in: Vietnamese unless it says `language: en`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Language {
    #[default]
    Vi,
    En,
}

impl Language {
    pub fn parse(s: &str) -> Option<Language> {
        match s.trim().to_ascii_lowercase().as_str() {
            "vi" => Some(Language::Vi),
            "en" => Some(Language::En),
            _ => None,
        }
    }

    /// The BCP 47 code, for `lang` and `hreflang`.
    pub fn code(self) -> &'static str {
        match self {
            Language::Vi => "vi",
            Language::En => "en",
        }
    }
}

/// A page's front matter, typed and validated.
#[derive(Debug, Clone, Hash)]
pub struct PageMeta {
    pub title: String,
    pub date: Option<DateTime<FixedOffset>>,
    pub updated: Option<DateTime<FixedOffset>>,
    pub summary: Option<String>,
    pub tags: Vec<String>,
    /// Lĩnh vực, one of the config's `categories`.
    pub category: Option<String>,
    pub author: Option<String>,
    /// The reporting unit, counted by `cds report`.
    pub unit: Option<String>,
    pub image: Option<String>,
    pub image_alt: Option<String>,
    /// Numbers of the documents this page relates to.
    pub documents: Vec<Located<DocNumber>>,
    pub draft: bool,
    pub pinned: bool,
    pub expiry_date: Option<DateTime<FixedOffset>>,
    pub slug: Option<String>,
    pub aliases: Vec<Located<String>>,
    pub weight: i64,
    pub template: Option<String>,
    pub extra: Extra,
    /// Story only: ấp or địa bàn.
    pub place: Option<String>,
    /// Story only: the person, household, cooperative or unit.
    pub subject: Option<String>,
    pub language: Language,
    /// The same page in the other language (`@/…` path), with where it is written.
    pub translation: Option<Located<String>>,
    /// Document only.
    pub document: Option<DocumentMeta>,
}

/// The `document:` block of a policy-document page.
#[derive(Debug, Clone, Hash)]
pub struct DocumentMeta {
    /// Số ký hiệu; absent for a document not yet numbered.
    pub number: Option<Located<DocNumber>>,
    /// Loại văn bản (Nghị quyết, Kế hoạch, …).
    pub doc_type: Option<String>,
    /// Cơ quan ban hành.
    pub issuer: Option<String>,
    /// Ngày ban hành.
    pub issued: Option<DateTime<FixedOffset>>,
    /// Ngày hiệu lực.
    pub effective: Option<DateTime<FixedOffset>>,
    /// Người ký.
    pub signer: Option<String>,
    /// Trích yếu (required).
    pub abstract_text: String,
    /// Trung ương / Thành phố / Xã.
    pub level: Option<String>,
    /// The original file (PDF), relative to the page or absolute.
    pub file: Option<String>,
    /// Official link.
    pub source: Option<String>,
    /// Numbers of the documents this one carries out.
    pub implements: Vec<Located<DocNumber>>,
}

/// A section's `_index.md` front matter.
#[derive(Debug, Clone, Hash)]
pub struct SectionMeta {
    pub title: String,
    pub description: Option<String>,
    pub kind: PageKind,
    pub sort_by: SortBy,
    pub paginate_by: Option<usize>,
    pub template: Option<String>,
    pub page_template: Option<String>,
    pub weight: i64,
    pub extra: Extra,
}

/// A file split at its front matter.
#[derive(Debug, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// Byte offset of the body in the file text.
    pub body_offset: usize,
    /// 1-based file line of the first body line.
    pub body_line: usize,
}

/// Splits `text` (BOM already removed, `\n` line ends) at the `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, Kind> {
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Kind::MissingFrontMatter);
    }
    let yaml_start = (first_end + 1).min(text.len());
    let mut offset = yaml_start;
    for (line, l) in (2..).zip(text[yaml_start..].split_inclusive('\n')) {
        if l.trim_end() == "---" {
            let body_offset = offset + l.len();
            return Ok(Split {
                yaml: &text[yaml_start..offset],
                yaml_line: 2,
                body: &text[body_offset..],
                body_offset,
                body_line: line + 1,
            });
        }
        offset += l.len();
    }
    Err(Kind::UnclosedFrontMatter)
}

/// Everything front-matter parsing needs to know besides the text.
pub struct PageContext<'a> {
    pub path: &'a Path,
    pub text: &'a str,
    /// The section's kind; `None` when the section's `_index.md` itself is broken.
    pub kind: Option<PageKind>,
    /// The config's allowed categories (empty: any).
    pub categories: &'a [String],
}

/// Types and validates a page's front matter, collecting every problem in the file.
pub fn parse_page(split: &Split, cx: &PageContext) -> Result<PageMeta, Vec<Diagnostic>> {
    let src = Source {
        path: cx.path,
        file_text: cx.text,
        first_line: split.yaml_line,
    };
    let raw: RawPage = yaml::parse(split.yaml, &PAGE_FIELDS, &src)?;
    let mut v = Validator::new(split.yaml, &src);

    let title = v.required_text(raw.title.as_deref(), "title", None);
    let date = v.date(raw.date.as_deref(), "date", None);
    let updated = v.date(raw.updated.as_deref(), "updated", None);
    let expiry_date = v.date(raw.expiry_date.as_deref(), "expiry_date", None);
    if raw.image.is_some() && raw.image_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        v.error_at_key("image", None, Kind::MissingImageAlt);
    }
    let category = raw.category.as_deref().map(|c| nfc(c.trim()));
    check_category(&mut v, cx, category.as_deref());
    let documents = v.doc_numbers(&raw.documents, "documents", None);
    check_keys_of_kind(&mut v, cx.kind);
    let document = match (cx.kind, raw.document) {
        (Some(PageKind::Document) | None, Some(d)) => Some(v.document(d)),
        (Some(PageKind::Document), None) => {
            v.error_at(1, 0, Kind::MissingKey { key: "document" });
            None
        }
        _ => None,
    };
    if let Some(image) = &raw.image {
        v.check_link(image, "image", None);
    }
    let aliases = v.aliases(&raw.aliases);
    let language = v.language(raw.language.as_deref());
    let translation = v.translation(raw.translation.as_deref());
    let slug = raw.slug.map(|s| s.trim().to_owned());
    v.url_names(slug.as_deref(), &raw.tags);
    if !v.diags.is_empty() {
        return Err(v.diags);
    }
    // A document is dated by its issue date unless the editor says otherwise.
    let date = date.or_else(|| document.as_ref().and_then(|d| d.issued));
    Ok(PageMeta {
        title,
        date,
        updated,
        summary: raw
            .summary
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty()),
        tags: raw
            .tags
            .iter()
            .map(|t| nfc(t.trim()))
            .filter(|t| !t.is_empty())
            .collect(),
        category,
        author: raw.author,
        unit: raw.unit,
        image: raw.image,
        image_alt: raw.image_alt,
        documents,
        draft: raw.draft,
        pinned: raw.pinned,
        expiry_date,
        slug,
        aliases,
        weight: raw.weight,
        template: raw.template,
        extra: raw.extra,
        place: raw.place,
        subject: raw.subject,
        language,
        translation,
        document,
    })
}

/// `category` must be one of the config's, when it lists any.
fn check_category(v: &mut Validator, cx: &PageContext, category: Option<&str>) {
    if let Some(c) = category
        && !cx.categories.is_empty()
        && !cx.categories.iter().any(|allowed| allowed == c)
    {
        let kind = Kind::UnknownCategory {
            value: c.to_owned(),
            allowed: cx.categories.to_vec(),
        };
        v.error_at_key("category", None, kind);
    }
}

/// Keys that only pages of one kind take (`place`, `subject`, `document`: see the schema),
/// written in a page of another kind.
fn check_keys_of_kind(v: &mut Validator, page_kind: Option<PageKind>) {
    let Some(page_kind) = page_kind else { return };
    for field in PAGE_FIELDS.0 {
        if let Some(for_kind) = field.only
            && for_kind != page_kind
            && v.key_position(field.key, None).is_some()
        {
            let kind = Kind::KeyNotForKind {
                key: field.key.into(),
                kind: page_kind.as_str(),
                for_kind,
            };
            v.error_at_key(field.key, None, kind);
        }
    }
}

/// Types and validates a section's `_index.md` front matter.
pub fn parse_section(
    split: &Split,
    path: &Path,
    text: &str,
    default_kind: PageKind,
) -> Result<SectionMeta, Vec<Diagnostic>> {
    let src = Source {
        path,
        file_text: text,
        first_line: split.yaml_line,
    };
    let raw: RawSection = yaml::parse(split.yaml, &SECTION_FIELDS, &src)?;
    let mut v = Validator::new(split.yaml, &src);
    let title = v.required_text(raw.title.as_deref(), "title", None);
    let kind = match raw.kind.as_deref() {
        None => default_kind,
        Some(k) => PageKind::parse(k.trim()).unwrap_or_else(|| {
            v.error_at_key(
                "kind",
                None,
                Kind::BadChoice {
                    key: "kind",
                    value: k.into(),
                    allowed: PageKind::NAMES,
                },
            );
            default_kind
        }),
    };
    let sort_by = match raw.sort_by.as_deref().map(str::trim) {
        None | Some("date") => SortBy::Date,
        Some("title") => SortBy::Title,
        Some("weight") => SortBy::Weight,
        Some("number") => SortBy::Number,
        Some(other) => {
            v.error_at_key(
                "sort_by",
                None,
                Kind::BadChoice {
                    key: "sort_by",
                    value: other.into(),
                    allowed: SortBy::NAMES,
                },
            );
            SortBy::Date
        }
    };
    if raw.paginate_by == Some(0) {
        v.error_at_key(
            "paginate_by",
            None,
            Kind::WrongType {
                key: Some("paginate_by".into()),
                expected: "một số nguyên dương",
            },
        );
    }
    if !v.diags.is_empty() {
        return Err(v.diags);
    }
    Ok(SectionMeta {
        title,
        description: raw.description,
        kind,
        sort_by,
        paginate_by: raw.paginate_by,
        template: raw.template,
        page_template: raw.page_template,
        weight: raw.weight,
        extra: raw.extra,
    })
}

/// Collects diagnostics while turning raw strings into typed values.
struct Validator<'a> {
    yaml: &'a str,
    src: &'a Source<'a>,
    diags: Vec<Diagnostic>,
    /// Made at the first error that needs a key's position.
    keys: std::cell::OnceCell<yaml::KeyIndex>,
    /// Where each key's list items were last found: items are checked in order, so each
    /// search starts where the last one ended.
    items: std::cell::RefCell<std::collections::HashMap<String, Items>>,
    /// Lines and columns of the positions found.
    locator: std::cell::RefCell<crate::text::Locator<'a>>,
}

/// Where [`Validator::value_position`] looks for one key's list items.
struct Items {
    /// The byte offset of the key's line in the YAML text.
    key_at: usize,
    /// Just after the last item found.
    cursor: usize,
    /// An item was found nowhere after the key: later misses do not search again.
    lost: bool,
}

/// The byte offset where line `index` (0-based) of `text` starts.
fn line_start(text: &str, index: usize) -> usize {
    if index == 0 {
        return 0;
    }
    memchr::memchr_iter(b'\n', text.as_bytes())
        .nth(index - 1)
        .map_or(text.len(), |i| i + 1)
}

impl<'a> Validator<'a> {
    fn new(yaml: &'a str, src: &'a Source<'a>) -> Validator<'a> {
        Validator {
            yaml,
            src,
            diags: Vec::new(),
            keys: std::cell::OnceCell::new(),
            items: std::cell::RefCell::default(),
            locator: std::cell::RefCell::new(crate::text::Locator::new(yaml)),
        }
    }

    fn error_at(&mut self, yaml_line: usize, col: usize, kind: Kind) {
        let line = self.src.first_line + yaml_line.saturating_sub(1);
        let line = if yaml_line == 1 && col == 0 { 1 } else { line };
        self.diags.push(Diagnostic::at(
            self.src.path,
            self.src.file_text,
            line,
            col,
            kind,
        ));
    }

    /// `language:`, `vi` or `en`.
    fn language(&mut self, value: Option<&str>) -> Language {
        let Some(value) = value else {
            return Language::Vi;
        };
        Language::parse(value).unwrap_or_else(|| {
            let kind = Kind::UnknownLanguage {
                value: value.to_owned(),
            };
            self.error_at_key("language", None, kind);
            Language::Vi
        })
    }

    /// `translation:`, an `@/` path to the page in the other language; the site checks that
    /// it exists.
    fn translation(&mut self, value: Option<&str>) -> Option<Located<String>> {
        let value = value?.trim();
        let (line, col) = self.value_position("translation", None, value);
        let path = value.strip_prefix("@/").filter(|p| p.ends_with(".md"));
        if path.is_none() {
            let kind = Kind::BadTranslation {
                value: value.to_owned(),
            };
            self.error_at_file_line(line, col, kind);
        }
        Some(Located {
            value: nfc(path?),
            line,
            col,
        })
    }

    /// The aliases with their positions; those that are not plain paths inside the site are
    /// errors.
    fn aliases(&mut self, aliases: &[String]) -> Vec<Located<String>> {
        let mut located = Vec::with_capacity(aliases.len());
        for alias in aliases {
            let (line, col) = self.value_position("aliases", None, alias.trim());
            if !is_safe_site_path(alias) {
                let kind = Kind::BadAlias {
                    value: alias.clone(),
                };
                self.error_at_file_line(line, col, kind);
            }
            located.push(Located {
                value: alias.clone(),
                line,
                col,
            });
        }
        located
    }

    /// A `slug:` and tags become folder names of the output: none may be empty (the slug),
    /// longer than [`MAX_SEGMENT`], or a name Windows keeps for a device (a tag `Cồn` is the
    /// folder `con/`).
    fn url_names(&mut self, slug: Option<&str>, tags: &[String]) {
        let too_long = |name: &str| Kind::NameTooLong {
            limit: MAX_SEGMENT,
            name: crate::text::shorten(name),
        };
        if let Some(s) = slug {
            let made = crate::text::slugify(s);
            if made.is_empty() {
                self.error_at_key("slug", None, Kind::EmptySlug { from: s.to_owned() });
            } else if made.len() > MAX_SEGMENT {
                self.error_at_key("slug", None, too_long(&made));
            } else if let Some(why) = crate::names::unportable(&made) {
                self.error_at_key("slug", None, Kind::NameUnportable { name: made, why });
            }
        }
        // Device names are short: only short tags can slug to one.
        for tag in tags.iter().filter(|t| t.len() <= 16) {
            let made = crate::text::slugify(tag);
            if let Some(why) = crate::names::unportable(&made) {
                let (line, col) = self.value_position("tags", None, tag.trim());
                self.error_at_file_line(line, col, Kind::NameUnportable { name: made, why });
            }
        }
        // A slug is never longer than its text: only long tags are slugged here.
        for tag in tags.iter().filter(|t| t.len() > MAX_SEGMENT) {
            if crate::text::slugify(tag).len() > MAX_SEGMENT {
                let (line, col) = self.value_position("tags", None, tag.trim());
                self.error_at_file_line(line, col, too_long(tag));
            }
        }
    }

    fn key_position(&self, key: &str, parent: Option<&str>) -> Option<(usize, usize)> {
        self.keys
            .get_or_init(|| yaml::KeyIndex::new(self.yaml))
            .get(parent.as_slice(), key)
    }

    /// An error at `line` of the file (not of the YAML text), as positions found are.
    fn error_at_file_line(&mut self, line: usize, col: usize, kind: Kind) {
        let d = Diagnostic::at(self.src.path, self.src.file_text, line, col, kind);
        self.diags.push(d);
    }

    fn error_at_key(&mut self, key: &str, parent: Option<&str>, kind: Kind) {
        let (line, col) = self.key_position(key, parent).unwrap_or((1, 0));
        let width = if col > 0 { key.chars().count() } else { 1 };
        let line = self.src.first_line + line - 1;
        let d =
            Diagnostic::at(self.src.path, self.src.file_text, line, col, kind).with_width(width);
        self.diags.push(d);
    }

    /// A link to a file or page: never a `javascript:` or `data:` URL.
    fn check_link(&mut self, value: &str, key: &'static str, parent: Option<&str>) {
        if crate::markdown::is_dangerous_url(value) {
            self.error_at_key(
                key,
                parent,
                Kind::BadUrl {
                    key,
                    value: value.to_owned(),
                },
            );
        }
    }

    /// Position of `value` on or after the line of `key`, for errors about one list item.
    fn value_position(&self, key: &str, parent: Option<&str>, value: &str) -> (usize, usize) {
        let (key_line, key_col) = self.key_position(key, parent).unwrap_or((1, 1));
        // A value with an escape (`"a\0b"`) is written otherwise than it reads: look for the
        // part before the first character that must be escaped.
        let value = match value.find(|c: char| c.is_control() || c == '\\' || c == '"') {
            Some(cut) if cut >= 2 => &value[..cut],
            _ => value,
        };
        let mut items = self.items.borrow_mut();
        let item = items.entry(key.to_owned()).or_insert_with(|| {
            let at = line_start(self.yaml, key_line - 1);
            Items {
                key_at: at,
                cursor: at,
                lost: false,
            }
        });
        let starts = [Some(item.cursor), (!item.lost).then_some(item.key_at)];
        for start in starts.into_iter().flatten() {
            let rest = &self.yaml.as_bytes()[start..];
            if let Some(found) = memchr::memmem::find(rest, value.as_bytes()) {
                let at = start + found;
                item.cursor = (at + value.len().max(1)).min(self.yaml.len());
                let (line, col) = self.locator.borrow_mut().locate(at);
                return (self.src.first_line + line - 1, col);
            }
        }
        // Not written as it reads: the next such value goes straight to the key.
        item.lost = true;
        (self.src.first_line + key_line - 1, key_col)
    }

    fn required_text(
        &mut self,
        value: Option<&str>,
        key: &'static str,
        parent: Option<&str>,
    ) -> String {
        match value.map(str::trim) {
            Some(v) if !v.is_empty() => v.to_owned(),
            Some(_) => {
                self.error_at_key(key, parent, Kind::MissingKey { key });
                String::new()
            }
            None => {
                match parent {
                    Some(p) => self.error_at_key(p, None, Kind::MissingKey { key }),
                    None => self.diags.push(
                        Diagnostic::at(
                            self.src.path,
                            self.src.file_text,
                            1,
                            1,
                            Kind::MissingKey { key },
                        )
                        .with_width(3),
                    ),
                }
                String::new()
            }
        }
    }

    fn date(
        &mut self,
        value: Option<&str>,
        key: &str,
        parent: Option<&str>,
    ) -> Option<DateTime<FixedOffset>> {
        let value = value?;
        match parse_date(value) {
            Ok(d) => Some(d),
            Err(e) => {
                let (line, col) = self.value_position(key, parent, value.trim());
                let kind = Kind::BadDate {
                    value: value.trim().into(),
                    impossible: e == DateParseError::NoSuchDate,
                };
                let d = Diagnostic::at(self.src.path, self.src.file_text, line, col, kind)
                    .with_width(value.trim().chars().count());
                self.diags.push(d);
                None
            }
        }
    }

    fn doc_number(
        &mut self,
        value: &str,
        key: &str,
        parent: Option<&str>,
    ) -> Option<Located<DocNumber>> {
        let value = nfc(value.trim());
        let (line, col) = self.value_position(key, parent, &value);
        let kind = match DocNumber::parse(&value) {
            Ok(n) => {
                return Some(Located {
                    value: n,
                    line,
                    col,
                });
            }
            Err(DocNumberError::Invalid) => Kind::BadDocNumber {
                value: value.clone(),
            },
            Err(DocNumberError::WrongStyle { correct, party }) => Kind::WrongDocNumberStyle {
                value: value.clone(),
                correct,
                party,
            },
        };
        let d = Diagnostic::at(self.src.path, self.src.file_text, line, col, kind)
            .with_width(value.chars().count());
        self.diags.push(d);
        None
    }

    fn doc_numbers(
        &mut self,
        values: &[String],
        key: &str,
        parent: Option<&str>,
    ) -> Vec<Located<DocNumber>> {
        values
            .iter()
            .filter_map(|v| self.doc_number(v, key, parent))
            .collect()
    }

    fn document(&mut self, raw: RawDocument) -> DocumentMeta {
        let parent = Some("document");
        let number = raw
            .number
            .as_deref()
            .and_then(|n| self.doc_number(n, "number", parent));
        let abstract_text = self.required_text(raw.abstract_text.as_deref(), "abstract", parent);
        if let Some(file) = &raw.file {
            self.check_link(file, "file", parent);
        }
        if let Some(source) = &raw.source
            && !(source.trim().starts_with("https://") || source.trim().starts_with("http://"))
        {
            let kind = Kind::BadUrl {
                key: "source",
                value: source.clone(),
            };
            self.error_at_key("source", parent, kind);
        }
        if let Some(level) = &raw.level
            && !LEVELS.contains(&level.trim())
        {
            self.error_at_key(
                "level",
                parent,
                Kind::BadChoice {
                    key: "level",
                    value: level.clone(),
                    allowed: LEVELS,
                },
            );
        }
        DocumentMeta {
            number,
            doc_type: raw.doc_type,
            issuer: raw.issuer,
            issued: self.date(raw.issued.as_deref(), "issued", parent),
            effective: self.date(raw.effective.as_deref(), "effective", parent),
            signer: raw.signer,
            abstract_text,
            level: raw.level.map(|l| l.trim().to_owned()),
            file: raw.file,
            source: raw.source,
            implements: self.doc_numbers(&raw.implements, "implements", parent),
        }
    }
}

/// A path inside the site (`/tin-cu/bai-a/`, `tin-cu/a.html`): plain segments only, so an alias
/// can never be written outside the output folder.
pub fn is_safe_site_path(path: &str) -> bool {
    let p = path.trim().trim_start_matches('/');
    !p.is_empty()
        && !p.contains(['\\', ':', '?', '#'])
        && !p.contains(char::is_control)
        && p.len() <= MAX_PATH
        && p.split('/')
            .filter(|s| !s.is_empty())
            .all(|s| !s.starts_with('.') && s.len() <= MAX_SEGMENT)
        && p.split('/').any(|s| !s.is_empty())
}

/// The longest folder or file name an output path may have, in bytes: file systems stop at
/// 255, and the output gets a few characters more in places.
pub const MAX_SEGMENT: usize = 200;

/// The longest path a page address may have, in bytes (systems stop at 4,096; Windows far
/// earlier).
pub const MAX_PATH: usize = 1024;

#[cfg(test)]
mod tests;
