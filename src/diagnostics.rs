//! The one error type of cds, and every Vietnamese sentence a user reads about a problem.
//!
//! A `Diagnostic` names a file (relative to the site root), a line and column, what is wrong
//! (`Kind`, English variants) and carries the offending source line. `Kind::message` and
//! `Kind::hint` hold all user-facing Vietnamese in one place so a native speaker can review it
//! here. The same `render` text goes to the terminal now and to the browser overlay of `serve`.
//! Loading collects diagnostics instead of stopping at the first one.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Only errors fail a build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    /// Information an editor wants before publishing (a draft that will not appear).
    Note,
}

/// One problem, located in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators, as the editor sees it.
    pub path: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when unknown.
    pub col: usize,
    /// The column of the caret in `source_line` (which may quote only part of a long line).
    pub caret: usize,
    /// How many characters to underline from `col` (at least 1 when `col` is known).
    pub width: usize,
    /// The text of `line`, kept so the report can show it without re-reading the file.
    pub source_line: Option<String>,
    pub kind: Kind,
    pub severity: Severity,
}

/// What went wrong. Variants are English; their `message` and `hint` are Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// The file could not be read or written.
    Io {
        action: IoAction,
        detail: String,
    },
    /// The file is not valid UTF-8 (often a legacy-encoded file).
    NotUtf8,
    /// A page file has no `---` front matter at all.
    MissingFrontMatter,
    /// The opening `---` has no closing `---`.
    UnclosedFrontMatter,
    /// The YAML between the `---` lines does not parse.
    YamlSyntax {
        detail: String,
    },
    /// A slug, alias or tag that would make a folder name longer than file systems allow.
    NameTooLong {
        limit: usize,
        name: String,
    },
    /// A file of `static/` where cds writes something of its own (the search index).
    ReservedPath {
        path: String,
    },
    /// A file or folder name Windows cannot hold (`aux.md`, `a:b`, a trailing dot).
    NameUnportable {
        name: String,
        why: crate::names::Unportable,
    },
    /// Two names that differ only by case or by how accents are stored: one file on
    /// Windows and macOS.
    NameClash {
        name: String,
        other: String,
    },
    /// A link (symlink) in `content/` that points outside the site root.
    LinkLeavesSite,
    /// A link in `content/` that points to a folder containing it.
    LinkLoops,
    /// A link in `content/` that points to nothing.
    LinkBroken,
    /// Lists and mappings nested deeper than `limit` levels.
    YamlTooDeep {
        limit: usize,
    },
    /// Aliases (`*name`) that repeat other aliases until the text would be enormous.
    YamlTooManyAliases,
    /// The front matter is YAML but not a mapping of keys.
    FrontMatterNotMapping,
    /// A key that the page kind does not know.
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        allowed: Vec<&'static str>,
    },
    /// A key that exists, but only for another kind of page.
    KeyNotForKind {
        key: String,
        kind: &'static str,
        /// The kind of page the key is for.
        for_kind: crate::content::PageKind,
    },
    /// A value of the wrong type (`tags: 5`).
    WrongType {
        key: Option<String>,
        expected: &'static str,
    },
    /// A required key is missing.
    MissingKey {
        key: &'static str,
    },
    /// A date in none of the accepted formats.
    BadDate {
        value: String,
        impossible: bool,
    },
    /// `image` without `image_alt`.
    MissingImageAlt,
    /// `category` not among the config's categories.
    UnknownCategory {
        value: String,
        allowed: Vec<String>,
    },
    /// A link that is not allowed there (`javascript:`, or `source` not starting with https://).
    BadUrl {
        key: &'static str,
        value: String,
    },
    /// An alias that is not a plain path inside the site.
    BadAlias {
        value: String,
    },
    /// A `template:` that the theme does not have.
    UnknownTemplate {
        name: String,
        available: Vec<String>,
    },
    /// A section `kind`, `sort_by` or similar outside its fixed set of values.
    BadChoice {
        key: &'static str,
        value: String,
        allowed: &'static [&'static str],
    },
    /// A document number that is not a valid số ký hiệu.
    BadDocNumber {
        value: String,
    },
    /// A Party number written state style, or the reverse.
    WrongDocNumberStyle {
        value: String,
        correct: String,
        party: bool,
    },
    /// A document number that no document page has.
    UnknownDocument {
        number: String,
        suggestion: Option<String>,
    },
    /// Two document pages with one number.
    DuplicateDocument {
        number: String,
        other: PathBuf,
    },
    /// Two pages that would be written to one URL.
    DuplicateUrl {
        url: String,
        other: PathBuf,
    },
    /// `@/path.md` that names no file.
    BrokenLink {
        target: String,
    },
    /// `@/path.md` to a page that this build leaves out (draft, scheduled, expired).
    LinkToUnpublished {
        target: String,
        status: crate::site::Status,
    },
    /// `@/path.md#anchor` whose anchor is not a heading id of that page.
    BrokenAnchor {
        target: String,
        anchor: String,
        available: Vec<String>,
    },
    /// `name/index.md` and `name.md` or `_index.md` and `index.md` side by side.
    AmbiguousIndex {
        other: PathBuf,
    },
    /// A slug (from a file name or `slug:`) that has no letters or digits left.
    EmptySlug {
        from: String,
    },
    /// A link to a file of the site that does not exist.
    MissingFile {
        target: String,
    },
    /// A Markdown image with no alt text.
    ImageWithoutAlt {
        target: String,
    },
    /// A photo whose original carries a GPS position (the published files do not).
    PhotoWithGps {
        target: String,
    },
    /// An image that cannot be published (HEIC, broken, too large…).
    Image {
        target: String,
        problem: crate::images::Problem,
    },
    /// A file heavier than the configured limit.
    FileTooLarge {
        target: String,
        size_kb: u64,
        limit_kb: u64,
        image: bool,
    },
    /// A document page that no page names in `documents`.
    /// `language:` other than `vi` or `en`.
    UnknownLanguage {
        value: String,
    },
    /// `translation:` that is not an `@/…md` path.
    BadTranslation {
        value: String,
    },
    /// `translation:` naming a page that does not exist, or that is not a page.
    TranslationMissing {
        target: String,
    },
    /// A document page without some field NĐ 42/2022/NĐ-CP asks a portal to show: each
    /// named by its label and key.
    DocumentFieldsMissing {
        fields: Vec<(&'static str, &'static str)>,
    },
    DocumentNotCited {
        number: String,
    },
    /// A page left out of the site, and why.
    NotPublished {
        status: crate::site::Status,
        /// The publication date of a scheduled page, the expiry of an expired one.
        when: Option<chrono::DateTime<chrono::FixedOffset>>,
    },
    /// Text that looks pasted from a legacy Vietnamese encoding.
    LegacyEncoding {
        sample: String,
        encoding: &'static str,
    },
    /// Both old and new tone placement in one site (`hoà` here, `hòa` elsewhere).
    MixedTonePlacement {
        word: String,
        preferred: String,
        other_uses: usize,
    },
    /// Tags that differ only by case or accents.
    SimilarTags {
        tag: String,
        preferred: String,
    },
    /// An external link that did not answer well.
    BrokenExternalLink {
        url: String,
        failure: LinkFailure,
    },
    /// The configuration file is wrong.
    Config {
        detail: String,
    },
    /// A command-line value is wrong (exit code 2, like any usage error).
    Usage(Usage),
    /// A template failed to compile or render; `detail` is Tera's own report.
    Template {
        detail: String,
    },
    /// A template every theme must have is missing from the theme.
    MissingTemplate {
        name: String,
    },
    /// Two files of `fragments/` that templates would both know as `fragments.<key>`.
    FragmentClash {
        first: String,
        second: String,
        key: String,
    },
    /// `-o` names the site root, a parent of it, `config.yaml` or a folder of sources.
    OutputIsSource {
        path: String,
    },
    /// `-o` names a file where a folder is needed.
    OutputIsFile {
        path: String,
    },
    /// A report's `-o` names a folder where a file is needed.
    OutputIsFolder {
        path: String,
    },
    /// `-o` names a folder that cds did not make and that has things in it.
    OutputNotOurs {
        path: String,
        entries: usize,
        sample: Vec<String>,
    },
    /// The output folder, made by cds, has files that its last build did not write.
    OutputHasForeignFiles {
        path: String,
        entries: usize,
        sample: Vec<String>,
    },
    /// `report -o` names a file among the site's sources.
    ReportIntoSources {
        path: String,
    },
    /// `report -o` names an existing file that is not an earlier report.
    ReportOverwrite {
        path: String,
    },
    /// The disk filled up while the build was being written; `needed` is the whole build's size.
    DiskFull {
        output: String,
        needed: u64,
    },
    /// Ctrl+C or a request to stop arrived during the build.
    Interrupted {
        output: String,
    },
}

/// What is wrong with a command line: every case named, its sentence in [`Usage::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Usage {
    /// `--quarter` not like `2026-Q1`.
    BadQuarter {
        value: String,
    },
    BadYear {
        year: i32,
    },
    /// `--from`/`--to` not a day.
    BadDay {
        value: String,
    },
    EndBeforeStart,
    /// `cds report` without a period.
    NoPeriod,
    /// `cds new` into a folder that is not a section; the sections there are.
    NoSuchSection {
        wanted: String,
        sections: Vec<String>,
    },
    /// `cds new` with a title that makes no file name.
    TitleWithoutLetters,
    /// `cds new` with a title whose file name is the section's own (`_index`).
    ReservedTitle {
        title: String,
    },
    /// `cds new` where a file or folder of that name is.
    Taken {
        path: String,
    },
    /// `--base-url` that is not a whole http(s) address.
    BadBaseUrl {
        value: String,
    },
}

impl Usage {
    pub fn message(&self) -> String {
        match self {
            Usage::BadQuarter { value } => {
                format!("quý `{value}` không hợp lệ; viết như 2026-Q1 (quý 1 đến quý 4)")
            }
            Usage::BadYear { year } => format!("năm `{year}` không hợp lệ"),
            Usage::BadDay { value } => format!("ngày `{value}` không hợp lệ; viết như 31/03/2026"),
            Usage::EndBeforeStart => "ngày kết thúc phải sau ngày bắt đầu".into(),
            Usage::NoPeriod => "chọn một kỳ báo cáo: --quarter 2026-Q1, --year 2026, hoặc --from 01/01/2026 --to 31/03/2026".into(),
            Usage::NoSuchSection { wanted, sections } => format!(
                "không có mục `{wanted}`; các mục hiện có: {}",
                sections.join(", ")
            ),
            Usage::TitleWithoutLetters => "tiêu đề cần có chữ hoặc số".into(),
            Usage::ReservedTitle { title } => {
                format!("tiêu đề `{title}` trùng tên tệp dành riêng của mục; đặt tiêu đề khác")
            }
            Usage::Taken { path } => format!("đã có {path}; đặt tiêu đề khác hoặc sửa tệp đó"),
            Usage::BadBaseUrl { value } => format!(
                "`--base-url` phải là địa chỉ đầy đủ như `https://daihai.cantho.gov.vn/chuyen-doi-so/`, không phải `{value}`"
            ),
        }
    }
}

/// What an I/O error was doing, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IoAction {
    Read,
    Write,
    Copy,
    CreateDir,
    Swap,
}

impl Diagnostic {
    /// An error at a known position. `source` is the whole file text, used to keep the line.
    ///
    /// A long line is quoted around the column only; `col` stays the column in the file (the
    /// location printed), the caret goes under the quoted text.
    pub fn at(path: impl Into<PathBuf>, source: &str, line: usize, col: usize, kind: Kind) -> Self {
        let quoted = crate::text::quote_line(source, line, col);
        let (source_line, caret) = match quoted {
            Some((text, caret)) => (Some(text), caret),
            None => (None, col),
        };
        Diagnostic {
            path: path.into(),
            line,
            col,
            caret,
            width: 1,
            source_line,
            kind,
            severity: Severity::Error,
        }
    }

    /// An error about a whole file.
    pub fn file(path: impl Into<PathBuf>, kind: Kind) -> Self {
        Diagnostic {
            path: path.into(),
            line: 0,
            col: 0,
            caret: 0,
            width: 0,
            source_line: None,
            kind,
            severity: Severity::Error,
        }
    }

    /// The same problem, placed on line `line` of its file (no column, no quoted text).
    pub fn on_line(mut self, line: usize) -> Self {
        self.line = line;
        self
    }

    /// Underlines `width` characters instead of one.
    pub fn with_width(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn note(mut self) -> Self {
        self.severity = Severity::Note;
        self
    }

    /// True for problems with the command line rather than the site (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(
            self.kind,
            Kind::Usage(_)
                | Kind::OutputIsSource { .. }
                | Kind::OutputIsFile { .. }
                | Kind::OutputIsFolder { .. }
                | Kind::OutputNotOurs { .. }
                | Kind::OutputHasForeignFiles { .. }
                | Kind::ReportIntoSources { .. }
                | Kind::ReportOverwrite { .. }
        )
    }

    /// True for problems of the whole run rather than of one source file: the report names no
    /// file position, only what happened.
    pub fn is_whole_run(&self) -> bool {
        self.is_usage() || matches!(self.kind, Kind::DiskFull { .. } | Kind::Interrupted { .. })
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `content/tin-tuc/a.md:3:1`, or just the path for whole-file problems.
    pub fn location(&self) -> String {
        let path = display_path(&self.path);
        match (self.line, self.col) {
            (0, _) => path,
            (l, 0) => format!("{path}:{l}"),
            (l, c) => format!("{path}:{l}:{c}"),
        }
    }

    /// The rustc-style report shown in the terminal and the browser overlay:
    ///
    /// ```text
    /// lỗi: khóa `tittle` không hợp lệ
    ///   --> content/tin-tuc/ra-mat.md:3:1
    ///    |
    ///  3 | tittle: Ra mắt
    ///    | ^^^^^^
    ///    = gợi ý: có phải bạn muốn viết `title`?
    /// ```
    pub fn render(&self) -> String {
        let label = match self.severity {
            Severity::Error => "lỗi",
            Severity::Warning => "cảnh báo",
            Severity::Note => "ghi chú",
        };
        let mut out = format!("{label}: {}\n", self.kind.message());
        let gutter = " ".repeat(self.line.to_string().len());
        if self.is_whole_run() {
            if let Some(hint) = self.kind.hint() {
                out.push_str(&format!("gợi ý: {hint}\n"));
            }
            return out;
        }
        out.push_str(&format!("{gutter}--> {}\n", self.location()));
        if let (Some(text), true) = (&self.source_line, self.line > 0) {
            out.push_str(&format!("{gutter} |\n{} | {text}\n", self.line));
            if self.caret > 0 {
                let pad: String = text
                    .chars()
                    .take(self.caret - 1)
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                let room = text.chars().count().saturating_sub(self.caret - 1).max(1);
                out.push_str(&format!(
                    "{gutter} | {pad}{}\n",
                    "^".repeat(self.width.clamp(1, room))
                ));
            }
        }
        if let Some(hint) = self.kind.hint() {
            out.push_str(&format!("{gutter} = gợi ý: {hint}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render())
    }
}

/// Why an operation on a file failed, in Vietnamese for the errors an editor can act on; the
/// system's own words otherwise.
/// Why a link to another site failed `cds check --external`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkFailure {
    NoCurl,
    NoAnswer { seconds: u32 },
    Status(u16),
}

/// The last line of `cds check`: the count, and whether the site can be published.
pub fn check_verdict(diags: &[Diagnostic]) -> String {
    let verdict = if diags.iter().any(|d| d.severity == Severity::Error) {
        "Cần sửa các lỗi trên trước khi đăng."
    } else {
        "Không có lỗi: có thể đăng."
    };
    format!("Kết quả kiểm tra: {}. {verdict}", summary(diags))
}

/// Why a file cannot be written: its path leads out of the output folder.
pub const OUTSIDE_OUTPUT: &str = "đường dẫn ra ngoài thư mục kết quả";

/// What an error that another program caused says, once waiting did not help.
pub const HELD: &str = "một chương trình khác đang mở tệp hoặc thư mục này (phần mềm diệt virus, trình lập chỉ mục, cửa sổ File Explorer hay trình soạn thảo đang mở nó); đóng chương trình đó hoặc chờ một lát rồi chạy lại";

/// An I/O error in the editor's words.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind as E;
    if crate::rename::is_held(e, cfg!(windows)) {
        // Windows says "access denied" for both a held file and a folder one may not write.
        return match e.kind() {
            E::PermissionDenied => format!("không có quyền ghi ở đây, hoặc {HELD}"),
            _ => HELD.into(),
        };
    }
    match e.kind() {
        E::NotFound => "không có tệp hoặc thư mục này".into(),
        E::PermissionDenied => "không có quyền ghi hoặc đọc ở đây".into(),
        E::AlreadyExists => "đã có tệp cùng tên".into(),
        E::StorageFull | E::QuotaExceeded => "ổ đĩa đã đầy".into(),
        E::ReadOnlyFilesystem => "ổ đĩa chỉ cho đọc".into(),
        E::InvalidFilename => "tên tệp không hợp lệ hoặc quá dài".into(),
        E::IsADirectory => "đây là thư mục, không phải tệp".into(),
        E::NotADirectory => "một phần của đường dẫn là tệp, không phải thư mục".into(),
        E::InvalidData => "tệp không phải văn bản UTF-8".into(),
        E::ConnectionRefused => {
            "máy chủ không nhận kết nối (sai địa chỉ hay cổng, hoặc máy chủ đang tắt)".into()
        }
        E::ConnectionReset | E::ConnectionAborted | E::UnexpectedEof | E::BrokenPipe => {
            "kết nối tới máy chủ bị ngắt".into()
        }
        E::TimedOut | E::WouldBlock => "máy chủ không trả lời (hết thời gian chờ)".into(),
        E::HostUnreachable | E::NetworkUnreachable | E::NetworkDown => {
            "không tới được máy chủ: kiểm tra mạng".into()
        }
        E::InvalidInput
            if e.get_ref()
                .is_some_and(|r| r.is::<crate::text::NotRegular>()) =>
        {
            "đây không phải tệp thường (có thể là thư mục, ống dẫn hay thiết bị)".into()
        }
        _ => e.to_string(),
    }
}

/// Paths are shown with `/` whatever the platform, as editors see them in links.
/// A full path of a Windows drive or share keeps its own form, without `\\?\`.
pub fn display_path(p: &Path) -> String {
    crate::names::shown(&p.to_string_lossy()).into_owned()
}

/// `4 tệp (`a`, `b`, `c`, …)`: a count and the first few names.
fn counted(entries: usize, noun: &str, sample: &[String]) -> String {
    let more = if entries > sample.len() { ", …" } else { "" };
    format!(
        "{} {noun} ({}{more})",
        crate::text::format_number(entries as i64),
        quote_list(sample)
    )
}

fn quote_list<S: AsRef<str>>(items: &[S]) -> String {
    items
        .iter()
        .map(|s| format!("`{}`", s.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn image_message(target: &str, problem: &crate::images::Problem) -> String {
    use crate::images::Problem;
    match problem {
        Problem::Empty => format!("ảnh `{target}` là tệp rỗng hoặc không đọc được"),
        Problem::Heic => {
            format!("ảnh `{target}` ở định dạng HEIC của iPhone, trình duyệt không hiển thị được")
        }
        Problem::Unknown => format!("tệp `{target}` không phải ảnh JPEG, PNG, GIF, WebP hay SVG"),
        Problem::TooLarge {
            width,
            height,
            limit,
        } => format!(
            "ảnh `{target}` quá lớn: {} × {} điểm ảnh, quá giới hạn {limit} triệu điểm ảnh",
            crate::text::format_number(i64::from(*width)),
            crate::text::format_number(i64::from(*height)),
        ),
        Problem::Broken => format!("ảnh `{target}` bị hỏng, không giải mã được"),
        Problem::SvgScript => {
            format!("ảnh SVG `{target}` có chứa mã chạy (script, thuộc tính on… hoặc javascript:)")
        }
        Problem::Cache { detail } => {
            format!("không ghi được ảnh `{target}` vào thư mục `.cds-cache`: {detail}")
        }
    }
}

fn image_hint(problem: &crate::images::Problem) -> String {
    use crate::images::Problem;
    match problem {
        Problem::Empty => "chép lại ảnh từ điện thoại hoặc máy ảnh: tệp có thể đã hỏng khi sao chép",
        Problem::Heic => "hãy xuất ảnh JPEG: trên iPhone, vào Cài đặt → Camera → Định dạng, chọn “Tương thích nhất”; hoặc mở ảnh trên máy tính và lưu lại dạng JPEG",
        Problem::Unknown => "mở tệp bằng Paint hoặc Ảnh (Photos) và lưu lại dạng JPEG hoặc PNG",
        Problem::TooLarge { .. } => "thu nhỏ ảnh trước khi đưa lên; nếu ảnh thật sự cần lớn như vậy, tăng `images.max_megapixels` trong config.yaml",
        Problem::Broken => "mở ảnh trên máy; nếu không xem được hoặc chỉ hiện một phần, chép lại từ điện thoại",
        Problem::SvgScript => "xuất lại SVG không có script, hoặc dùng ảnh PNG",
        Problem::Cache { .. } => "kiểm tra quyền ghi và chỗ trống trên ổ đĩa, rồi dựng lại",
    }
    .into()
}

impl Kind {
    /// One Vietnamese sentence saying what is wrong.
    pub fn message(&self) -> String {
        match self {
            Kind::Io { action, detail } => {
                let verb = match action {
                    IoAction::Read => "không đọc được tệp",
                    IoAction::Write => "không ghi được tệp",
                    IoAction::Copy => "không sao chép được tệp",
                    IoAction::CreateDir => "không tạo được thư mục",
                    IoAction::Swap => "không thay được thư mục kết quả",
                };
                format!("{verb} ({detail})")
            }
            Kind::NotUtf8 => "tệp không phải văn bản UTF-8".into(),
            Kind::MissingFrontMatter => "tệp thiếu phần khai báo (front matter) ở đầu".into(),
            Kind::UnclosedFrontMatter => {
                "phần khai báo mở bằng `---` nhưng không có dòng `---` đóng lại".into()
            }
            Kind::YamlSyntax { detail } => format!("phần khai báo viết sai cú pháp YAML: {detail}"),
            Kind::FrontMatterNotMapping => {
                "phần khai báo phải là danh sách các dòng `khóa: giá trị`".into()
            }
            Kind::NameTooLong { limit, name } => {
                format!("`{name}` làm địa chỉ trang dài quá {limit} ký tự, ổ đĩa không lưu được")
            }
            Kind::ReservedPath { path } => {
                format!(
                    "thư mục `{path}` dành cho chỉ mục tìm kiếm do cds tạo; tệp này sẽ làm hỏng ô tìm kiếm"
                )
            }
            Kind::NameUnportable { name, why } => {
                use crate::names::Unportable;
                let why = match why {
                    Unportable::Device(d) => format!("`{d}` là tên dành riêng cho thiết bị"),
                    Unportable::Char(c) if c.is_control() => "có ký tự điều khiển".into(),
                    Unportable::Char(c) => format!("có dấu `{c}`"),
                    Unportable::TrailingDotOrSpace => "kết thúc bằng dấu chấm hoặc dấu cách".into(),
                };
                format!("tên `{name}` không dùng được trên Windows: {why}")
            }
            Kind::NameClash { name, other } => format!(
                "tên `{name}` trùng với `{other}` nếu không phân biệt chữ hoa, chữ thường và cách lưu dấu: Windows và macOS coi là một tệp, một tệp sẽ mất"
            ),
            Kind::LinkLeavesSite => {
                "lối tắt (symlink) này trỏ ra ngoài thư mục trang nên bị bỏ qua".into()
            }
            Kind::LinkLoops => {
                "lối tắt (symlink) này trỏ vòng về thư mục chứa nó nên bị bỏ qua".into()
            }
            Kind::LinkBroken => "lối tắt (symlink) này trỏ tới tệp không còn nên bị bỏ qua".into(),
            Kind::YamlTooDeep { limit } => {
                format!("phần khai báo lồng nhau quá sâu (hơn {limit} tầng ngoặc hoặc thụt lề)")
            }
            Kind::YamlTooManyAliases => {
                "phần khai báo dùng tham chiếu `&…`/`*…` lặp lồng nhau quá nhiều lần".into()
            }
            Kind::UnknownKey { key, .. } => format!("khóa `{key}` không hợp lệ"),
            Kind::KeyNotForKind { key, kind, .. } => {
                format!("khóa `{key}` không dùng cho loại trang `{kind}`")
            }
            Kind::WrongType {
                key: Some(key),
                expected,
            } => {
                format!("giá trị của `{key}` phải là {expected}")
            }
            Kind::WrongType {
                key: None,
                expected,
            } => format!("giá trị phải là {expected}"),
            Kind::MissingKey { key } => format!("thiếu khóa bắt buộc `{key}`"),
            Kind::BadDate {
                value,
                impossible: false,
            } => {
                format!("ngày `{value}` không đúng định dạng")
            }
            Kind::BadDate {
                value,
                impossible: true,
            } => format!("ngày `{value}` không tồn tại"),
            Kind::MissingImageAlt => {
                "có ảnh đại diện `image` nhưng thiếu mô tả ảnh `image_alt`".into()
            }
            Kind::UnknownCategory { value, .. } => {
                format!("lĩnh vực `{value}` không có trong danh sách `categories` của config.yaml")
            }
            Kind::BadChoice { key, value, .. } => {
                format!("giá trị `{value}` không hợp lệ cho `{key}`")
            }
            Kind::BadUrl { key, value } => format!("địa chỉ `{value}` không dùng được cho `{key}`"),
            Kind::BadAlias { value } => format!("địa chỉ cũ `{value}` không hợp lệ"),
            Kind::UnknownTemplate { name, .. } if name.starts_with("fragments/") => format!(
                "`{name}` là đoạn dùng chung của mọi trang, không làm mẫu riêng cho một trang được"
            ),
            Kind::UnknownTemplate { name, .. } => format!("giao diện không có tệp `{name}`"),
            Kind::BadDocNumber { value } => {
                format!("số ký hiệu văn bản `{value}` không đúng thể thức")
            }
            Kind::WrongDocNumberStyle {
                value, party: true, ..
            } => {
                format!("số ký hiệu `{value}` viết sai thể thức văn bản của Đảng")
            }
            Kind::WrongDocNumberStyle {
                value,
                party: false,
                ..
            } => {
                format!("số ký hiệu `{value}` viết sai thể thức văn bản hành chính nhà nước")
            }
            Kind::UnknownDocument { number, .. } => {
                format!("không có trang văn bản nào mang số ký hiệu `{number}`")
            }
            Kind::DuplicateDocument { number, other } => format!(
                "số ký hiệu `{number}` đã được dùng ở {}",
                display_path(other)
            ),
            Kind::DuplicateUrl { url, other } => {
                format!("địa chỉ `{url}` trùng với trang {}", display_path(other))
            }
            Kind::BrokenLink { target } => {
                format!("liên kết nội bộ `{target}` trỏ tới tệp không tồn tại")
            }
            Kind::BrokenAnchor { target, anchor, .. } => {
                format!("trang `{target}` không có mục `#{anchor}`")
            }
            Kind::LinkToUnpublished { target, status } => {
                let what = match status {
                    crate::site::Status::Draft => "một bài nháp",
                    crate::site::Status::Scheduled => "một bài chưa đến giờ đăng",
                    crate::site::Status::Expired => "một bài đã hết hạn",
                    crate::site::Status::Published => "một bài đã đăng",
                };
                format!("liên kết `{target}` trỏ tới {what}")
            }
            Kind::AmbiguousIndex { other } => {
                format!("tệp này và {} cùng tạo một trang", display_path(other))
            }
            Kind::EmptySlug { from } => format!("không tạo được địa chỉ trang từ `{from}`"),
            Kind::MissingFile { target } => format!("liên kết `{target}` trỏ tới tệp không có"),
            Kind::ImageWithoutAlt { target } => format!("ảnh `{target}` không có mô tả"),
            Kind::Image { target, problem } => image_message(target, problem),
            Kind::PhotoWithGps { target } => {
                format!("ảnh `{target}` có vị trí GPS; trang đăng đã xóa, tệp gốc vẫn còn")
            }
            Kind::FileTooLarge {
                target,
                size_kb,
                limit_kb,
                image,
            } => format!(
                "{} `{target}` nặng {} KB, quá giới hạn {} KB",
                if *image { "ảnh" } else { "tệp đính kèm" },
                crate::text::format_number(*size_kb as i64),
                crate::text::format_number(*limit_kb as i64)
            ),
            Kind::DocumentNotCited { number } => format!("chưa có bài nào nêu văn bản `{number}`"),
            Kind::UnknownLanguage { value } => {
                format!("ngôn ngữ `{value}` không có; cds có `vi` (tiếng Việt) và `en` (tiếng Anh)")
            }
            Kind::BadTranslation { value } => {
                format!("`{value}` không phải đường dẫn tới một bài (`@/…md`)")
            }
            Kind::TranslationMissing { target } => {
                format!("không có bài `@/{target}` để làm bản dịch")
            }
            Kind::DocumentFieldsMissing { fields } => {
                let named: Vec<String> = fields
                    .iter()
                    .map(|(label, key)| format!("{label} (`{key}`)"))
                    .collect();
                format!(
                    "trang văn bản thiếu trường mà Nghị định 42/2022/NĐ-CP yêu cầu công khai: {}",
                    named.join(", ")
                )
            }
            Kind::NotPublished { status, when } => {
                use crate::site::Status;
                // A date typed without a time reads as that day, not as midnight.
                let at = |d: &chrono::DateTime<chrono::FixedOffset>| {
                    crate::text::format_dateline(d, d.time() != chrono::NaiveTime::MIN)
                };
                let why = match (status, when) {
                    (Status::Draft, _) => "đây là bản nháp (draft: true)".to_owned(),
                    (Status::Scheduled, Some(d)) => format!("hẹn giờ đăng lúc {}", at(d)),
                    (Status::Expired, Some(d)) => format!("đã hết hạn từ {}", at(d)),
                    _ => "chưa đến lúc đăng".to_owned(),
                };
                format!("trang này sẽ không được đăng: {why}")
            }
            Kind::LegacyEncoding { sample, encoding } => {
                format!("chữ `{sample}` có vẻ được dán từ bảng mã cũ {encoding}")
            }
            Kind::MixedTonePlacement {
                word,
                preferred,
                other_uses,
            } => format!(
                "`{word}` bỏ dấu kiểu khác với {} chỗ viết `{preferred}` trong trang",
                other_uses
            ),
            Kind::SimilarTags { tag, preferred } => {
                format!("chủ đề `{tag}` chỉ khác `{preferred}` ở chữ hoa hoặc dấu")
            }
            Kind::BrokenExternalLink { url, failure } => {
                let why = match failure {
                    LinkFailure::NoCurl => "không chạy được `curl` để kiểm tra".to_owned(),
                    LinkFailure::NoAnswer { seconds } => {
                        format!("không phản hồi trong {seconds} giây")
                    }
                    LinkFailure::Status(code) => format!("mã trả về {code}"),
                };
                format!("liên kết ngoài `{url}` lỗi: {why}")
            }
            Kind::Config { detail } => format!("config.yaml không hợp lệ: {detail}"),
            Kind::Usage(usage) => usage.message(),
            Kind::Template { detail } => format!("giao diện (template) bị lỗi:\n{detail}"),
            Kind::MissingTemplate { name } => {
                format!("giao diện (template) bị lỗi: thiếu tệp giao diện `{name}`")
            }
            Kind::FragmentClash { first, second, key } => format!(
                "giao diện (template) bị lỗi: `{first}` và `{second}` cùng là `fragments.{key}`"
            ),
            Kind::OutputIsSource { path } => {
                format!("không thể ghi kết quả vào `{path}`: nơi này chứa mã nguồn của trang")
            }
            Kind::OutputIsFile { path } => {
                format!("`{path}` là một tệp, không phải thư mục; cds không ghi đè tệp này")
            }
            Kind::OutputIsFolder { path } => {
                format!("`{path}` là một thư mục, không ghi báo cáo vào đó được")
            }
            Kind::OutputNotOurs {
                path,
                entries,
                sample,
            } => format!(
                "thư mục `{path}` đã có {} không do cds tạo; cds chỉ thay thư mục do chính nó dựng",
                counted(*entries, "mục", sample)
            ),
            Kind::OutputHasForeignFiles {
                path,
                entries,
                sample,
            } => format!(
                "thư mục `{path}` có {} mà lần dựng trước không ghi; dựng lại sẽ xóa chúng",
                counted(*entries, "tệp", sample)
            ),
            Kind::ReportIntoSources { path } => {
                format!("không ghi báo cáo vào `{path}`: nơi này chứa mã nguồn của trang")
            }
            Kind::ReportOverwrite { path } => {
                format!("tệp `{path}` đã có và không phải báo cáo do cds lập; cds không ghi đè nó")
            }
            Kind::DiskFull { output, needed } => format!(
                "ổ đĩa đã đầy nên chưa dựng xong; `{output}` vẫn giữ nguyên bản trước, cần thêm khoảng {} trống",
                crate::text::format_size(*needed)
            ),
            Kind::Interrupted { output } => {
                format!("đã dừng theo yêu cầu; `{output}` vẫn giữ nguyên bản trước")
            }
        }
    }

    /// How to fix it, in Vietnamese, when there is something useful to say.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            Kind::NotUtf8 => "lưu lại tệp với bảng mã UTF-8 (trong Notepad: Lưu thành… → Mã hóa: UTF-8); nếu gõ bằng Unikey, chọn bảng mã Unicode".into(),
            Kind::MissingFrontMatter => "thêm ở đầu tệp một dòng `---`, các dòng `title: …`, rồi một dòng `---`".into(),
            Kind::UnclosedFrontMatter => "thêm một dòng chỉ có `---` ngay sau dòng khai báo cuối cùng".into(),
            Kind::YamlSyntax { .. } => "kiểm tra dòng này: mỗi dòng có dạng `khóa: giá trị`; nếu giá trị có dấu `:` hoặc `#`, đặt nó trong ngoặc kép".into(),
            Kind::FrontMatterNotMapping => "mỗi dòng giữa hai dòng `---` phải có dạng `khóa: giá trị`".into(),
            Kind::NameTooLong { .. } => "rút ngắn lại, chỉ giữ vài chữ chính".into(),
            Kind::ReservedPath { .. } => "chuyển tệp này sang thư mục khác trong `static/`".into(),
            Kind::NameUnportable { .. } => "đổi tên: chỉ dùng chữ, số, dấu gạch ngang; không đặt tên `con`, `aux`, `nul`, `prn`, `com1`…".into(),
            Kind::NameClash { .. } => "đổi tên một trong hai cho khác hẳn (không chỉ khác chữ hoa), hoặc gộp lại một".into(),
            Kind::LinkLeavesSite => "chép tệp vào trong thư mục `content/` thay cho lối tắt".into(),
            Kind::LinkLoops | Kind::LinkBroken => "xóa lối tắt này, hoặc cho nó trỏ đúng tệp".into(),
            Kind::YamlTooDeep { .. } => "kiểm tra các dấu `[` và `{` chưa đóng; một giá trị chỉ cần một, hai tầng".into(),
            Kind::YamlTooManyAliases => "viết thẳng giá trị thay cho `&tên` và `*tên`".into(),
            Kind::MissingTemplate { .. } => "chép tệp này từ giao diện mặc định `themes/daihai/templates/`, hoặc đổi `theme` trong config.yaml".into(),
            Kind::FragmentClash { .. } => "đổi tên một trong hai tệp".into(),
            Kind::UnknownKey { suggestion: Some(s), .. } => format!("có phải bạn muốn viết `{s}`?"),
            Kind::UnknownKey { suggestion: None, allowed, .. } => format!(
                "các khóa hợp lệ: {}; dữ liệu riêng đặt dưới `extra:`",
                quote_list(allowed)
            ),
            Kind::KeyNotForKind { for_kind: crate::content::PageKind::Document, .. } => "khóa này chỉ dùng cho trang văn bản (mục có `kind: document` trong `_index.md`)".into(),
            Kind::KeyNotForKind { .. } => "khóa này chỉ dùng cho bài câu chuyện, mô hình (mục có `kind: story` trong `_index.md`)".into(),
            Kind::WrongType { .. } => return None,
            Kind::MissingKey { key: "title" } => "thêm dòng `title: Tiêu đề bài viết` vào phần khai báo".into(),
            Kind::MissingKey { key: "abstract" } => "thêm trích yếu của văn bản: `abstract: …` trong khối `document:`".into(),
            Kind::MissingKey { key } => format!("thêm dòng `{key}: …` vào phần khai báo"),
            Kind::BadDate { .. } => "viết ngày theo dạng 15/02/2026 hoặc 15/02/2026 08:30 (ngày/tháng/năm), hoặc 2026-02-15".into(),
            Kind::MissingImageAlt => "thêm dòng `image_alt: …` mô tả ngắn nội dung ảnh cho người khiếm thị".into(),
            Kind::UnknownCategory { allowed, .. } => format!("chọn một trong: {}", quote_list(allowed)),
            Kind::BadChoice { allowed, .. } => format!("chọn một trong: {}", quote_list(allowed)),
            Kind::BadUrl { key: "source", .. } => "ghi địa chỉ đầy đủ bắt đầu bằng `https://`".into(),
            Kind::BadUrl { .. } => "ghi tên tệp (ví dụ `anh.jpg`) hoặc địa chỉ bắt đầu bằng `https://`; địa chỉ `javascript:` và `data:` không được phép".into(),
            Kind::BadAlias { .. } => "ghi đường dẫn trong trang, ví dụ `/tin-tuc/ten-cu/`: không có `..`, `\\`, `:`, ký tự điều khiển hay phần bắt đầu bằng `.`, mỗi phần không quá 200 ký tự".into(),
            Kind::UnknownTemplate { available, .. } => format!("các tệp có: {}", quote_list(available)),
            Kind::BadDocNumber { .. } => "văn bản của Đảng viết `57-NQ/TW` (gạch ngang rồi gạch chéo); văn bản nhà nước viết `71/NQ-CP`, `46/KH-UBND` (gạch chéo rồi gạch ngang)".into(),
            Kind::WrongDocNumberStyle { correct, .. } => format!("viết là `{correct}`"),
            Kind::UnknownDocument { suggestion: Some(s), .. } => format!("có phải bạn muốn viết `{s}`? Nếu là văn bản mới, tạo trang cho nó trong `van-ban/`"),
            Kind::UnknownDocument { suggestion: None, .. } => "tạo trang cho văn bản này trong `van-ban/`, hoặc sửa lại số ký hiệu".into(),
            Kind::DuplicateDocument { .. } => "mỗi văn bản chỉ có một trang; xóa hoặc gộp một trong hai".into(),
            Kind::DuplicateUrl { .. } => "đổi tên tệp, hoặc đặt `slug:` khác cho một trong hai trang".into(),
            Kind::BrokenLink { .. } => "đường dẫn tính từ thư mục `content/`, ví dụ `@/tin-tuc/ten-bai.md`".into(),
            Kind::BrokenAnchor { available, .. } if available.is_empty() => "trang đó không có đề mục nào; bỏ phần `#…`".into(),
            Kind::BrokenAnchor { available, .. } => format!("các mục có trong trang: {}", quote_list(available)),
            Kind::AmbiguousIndex { .. } => "giữ lại một trong hai tệp".into(),
            Kind::LinkToUnpublished { .. } => "người đọc sẽ gặp trang “Không tìm thấy” cho tới khi trang đó được đăng".into(),
            Kind::EmptySlug { .. } => "đặt `slug:` gồm chữ không dấu và số, ví dụ `slug: hoi-nghi-2026`".into(),
            Kind::MissingFile { .. } => "kiểm tra tên tệp (chữ hoa, chữ thường, dấu) và tệp đã được đặt cạnh bài chưa".into(),
            Kind::Image { problem, .. } => image_hint(problem),
            Kind::PhotoWithGps { .. } => "vị trí có thể là nhà của người dân; đừng gửi tệp gốc cho người ngoài, hoặc tắt lưu vị trí trong ứng dụng máy ảnh của điện thoại".into(),
            Kind::ImageWithoutAlt { .. } => "ghi mô tả trong ngoặc vuông: `![Người dân cài VNeID](anh.jpg)` để người khiếm thị nghe được".into(),
            Kind::FileTooLarge { image: true, .. } => "cds tự làm bản nhỏ cho người xem, nhưng tệp gốc lớn làm nặng thư mục trang: chụp ở chế độ thường (không chọn 50 hay 108 MP) hoặc thu nhỏ ảnh trước khi đưa lên".into(),
            Kind::FileTooLarge { image: false, .. } => "nén tệp hoặc chia nhỏ; tệp PDF quét nên quét ở độ phân giải thấp hơn".into(),
            Kind::DocumentNotCited { .. } => "thêm số ký hiệu này vào `documents:` của các bài liên quan để bạn đọc tìm thấy".into(),
            Kind::UnknownLanguage { .. } => "viết `language: en` cho trang tiếng Anh; trang tiếng Việt không cần dòng này".into(),
            Kind::BadTranslation { .. } | Kind::TranslationMissing { .. } => "viết đường dẫn bài bản kia từ thư mục content/, ví dụ `translation: \"@/tim-hieu/lien-he.md\"`".into(),
            Kind::DocumentFieldsMissing { .. } => "thêm các dòng đó dưới `document:` (ngày viết 14/01/2026; tệp toàn văn là tệp PDF đặt cạnh bài); trường nào văn bản chưa có thì ghi khi có".into(),
            Kind::NotPublished { .. } => return None,
            Kind::LegacyEncoding { .. } => "dùng Unikey: bấm Ctrl+Shift+F6, chọn bảng mã nguồn TCVN3 (ABC) hoặc VNI Windows, bảng mã đích Unicode, rồi chuyển mã và dán lại".into(),
            Kind::MixedTonePlacement { preferred, .. } => format!("viết thống nhất một kiểu, ví dụ `{preferred}`"),
            Kind::SimilarTags { preferred, .. } => format!("dùng một cách viết: `{preferred}`"),
            Kind::BrokenExternalLink { .. } => "mở thử liên kết; nếu trang đã chuyển, sửa địa chỉ mới".into(),
            Kind::OutputIsSource { .. } => "chọn thư mục khác, ví dụ `-o public`".into(),
            Kind::OutputIsFile { .. } | Kind::OutputIsFolder { .. } => "chọn tên khác cho `-o`".into(),
            Kind::OutputNotOurs { .. } => "chọn một thư mục trống hoặc chưa có; muốn thay hẳn thư mục này thì thêm `--force`".into(),
            Kind::OutputHasForeignFiles { .. } => "chuyển các tệp đó vào `static/` (cds sẽ chép chúng vào mỗi lần dựng), rồi dựng lại; muốn bỏ chúng thì thêm `--force`".into(),
            Kind::ReportIntoSources { .. } => "ghi báo cáo ra ngoài thư mục trang, ví dụ `-o bao-cao-quy-1.md`".into(),
            Kind::ReportOverwrite { .. } => "chọn tên tệp khác; muốn ghi đè thì thêm `--force`".into(),
            Kind::DiskFull { .. } => "xóa bớt tệp không cần trên ổ đĩa này (hoặc chọn `-o` ở ổ khác) rồi dựng lại".into(),
            Kind::Io { .. }
            | Kind::Config { .. }
            | Kind::Usage(_)
            | Kind::Template { .. }
            | Kind::Interrupted { .. } => {
                return None;
            }
        })
    }
}

/// The closest of `candidates` to `word`, if close enough to be a plausible typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let word_lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word_lower, &c.to_lowercase()), c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.to_owned())
}

/// Edit distance in characters, counting a swap of two neighbours as one edit ("titel").
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

/// Prints the final count line: `3 lỗi, 1 cảnh báo`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let count = |sev: Severity| diags.iter().filter(|d| d.severity == sev).count();
    let mut out = format!("{} lỗi", count(Severity::Error));
    if count(Severity::Warning) > 0 {
        out.push_str(&format!(", {} cảnh báo", count(Severity::Warning)));
    }
    if count(Severity::Note) > 0 {
        out.push_str(&format!(", {} ghi chú", count(Severity::Note)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_rustc_with_vietnamese_text() {
        let src = "---\ntitle: A\ntittle: Ra mắt\n---\n";
        let d = Diagnostic::at(
            "content/tin-tuc/ra-mat.md",
            src,
            3,
            1,
            Kind::UnknownKey {
                key: "tittle".into(),
                suggestion: Some("title".into()),
                allowed: vec![],
            },
        )
        .with_width(6);
        assert_eq!(
            d.render(),
            "lỗi: khóa `tittle` không hợp lệ\n --> content/tin-tuc/ra-mat.md:3:1\n  |\n3 | tittle: Ra mắt\n  | ^^^^^^\n  = gợi ý: có phải bạn muốn viết `title`?\n"
        );
    }

    #[test]
    fn suggests_close_keys_only() {
        let keys = ["title", "tags", "summary", "image_alt"];
        assert_eq!(did_you_mean("tittle", keys), Some("title".into()));
        assert_eq!(did_you_mean("titel", keys), Some("title".into()));
        assert_eq!(did_you_mean("Tags", keys), Some("tags".into()));
        assert_eq!(did_you_mean("imagealt", keys), Some("image_alt".into()));
        assert_eq!(did_you_mean("xyz", keys), None);
    }
}
