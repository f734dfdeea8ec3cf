//! `cds report`: the numbers each unit must report every quarter (before the 10th) and every
//! year (before 5/12), per section IV.8 of the 2026 communication plan, counted from the
//! published content instead of by hand.
//!
//! `build_report` is pure over the loaded site; `to_markdown` (ready to paste into a unit's
//! report) and `to_csv` (UTF-8 with BOM, so Excel shows Vietnamese) only format it.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::build::{BuildRequest, Builder};
use crate::content::PageKind;
use crate::diagnostics::{Diagnostic, Kind, Usage};
use crate::site::{Site, Status};
use crate::text::{compare_vi, format_number, format_short, vietnam_offset};

/// The period a report covers, both days included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// "Quý I năm 2026", "Năm 2026", "Từ 01/01/2026 đến 31/03/2026".
    pub label: String,
}

const ROMAN: [&str; 4] = ["I", "II", "III", "IV"];

impl Period {
    /// `2026-Q1` → 01/01/2026 to 31/03/2026 (calendar quarters, as the plan's reports).
    pub fn quarter(s: &str) -> Result<Period, Usage> {
        let bad = || Usage::BadQuarter {
            value: s.to_owned(),
        };
        let (y, q) = s
            .trim()
            .to_ascii_uppercase()
            .split_once("-Q")
            .map(|(y, q)| (y.to_owned(), q.to_owned()))
            .ok_or_else(bad)?;
        let year: i32 = y.parse().map_err(|_| bad())?;
        let q: u32 = q
            .parse()
            .ok()
            .filter(|q| (1..=4).contains(q))
            .ok_or_else(bad)?;
        let from = NaiveDate::from_ymd_opt(year, 3 * q - 2, 1).ok_or_else(bad)?;
        let next = if q == 4 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, 3 * q + 1, 1)
        };
        let to = next.and_then(|d| d.pred_opt()).ok_or_else(bad)?;
        Ok(Period {
            from,
            to,
            label: format!("Quý {} năm {year}", ROMAN[q as usize - 1]),
        })
    }

    /// The whole year up to `today` (the yearly report is due before 5/12, before the year
    /// ends), or up to `to` when given.
    pub fn year(year: i32, today: NaiveDate, to: Option<NaiveDate>) -> Result<Period, Usage> {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).ok_or(Usage::BadYear { year })?;
        let end = NaiveDate::from_ymd_opt(year, 12, 31).ok_or(Usage::BadYear { year })?;
        let to = to.unwrap_or(today).min(end).max(from);
        Ok(Period {
            from,
            to,
            label: format!("Năm {year}"),
        })
    }

    /// An explicit range of days (`15/02/2026`).
    pub fn range(from: &str, to: &str) -> Result<Period, Usage> {
        let day = |s: &str| {
            crate::text::parse_date(s)
                .map(|d| d.with_timezone(&vietnam_offset()).date_naive())
                .map_err(|_| Usage::BadDay {
                    value: s.to_owned(),
                })
        };
        let (from, to) = (day(from)?, day(to)?);
        if to < from {
            return Err(Usage::EndBeforeStart);
        }
        let label = format!(
            "Từ {} đến {}",
            from.format("%d/%m/%Y"),
            to.format("%d/%m/%Y")
        );
        Ok(Period { from, to, label })
    }

    fn contains(&self, date: DateTime<FixedOffset>) -> bool {
        let d = date.with_timezone(&vietnam_offset()).date_naive();
        self.from <= d && d <= self.to
    }
}

/// One published page, as the report lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub date: DateTime<FixedOffset>,
    pub title: String,
    pub url: String,
    pub section: String,
    pub category: Option<String>,
    pub unit: Option<String>,
    pub author: Option<String>,
    /// Documents only: số ký hiệu and trích yếu.
    pub number: Option<String>,
    pub abstract_text: Option<String>,
}

/// The numbers of a period.
#[derive(Debug, Clone)]
pub struct Report {
    pub period: Period,
    pub site_title: String,
    pub site_url: String,
    /// Published articles and stories, oldest first.
    pub items: Vec<Item>,
    /// Published document pages.
    pub documents: Vec<Item>,
    /// Dated in the period but not yet published (scheduled).
    pub scheduled: Vec<Item>,
    pub by_section: Vec<(String, usize)>,
    pub by_category: Vec<(String, usize)>,
    pub by_unit: Vec<(String, usize)>,
    pub by_author: Vec<(String, usize)>,
}

/// Reads the site and counts what was published in `period`, as of `now`; with the warnings
/// the site's files raised on the way.
pub fn report(
    root: &Path,
    period: Period,
    now: DateTime<FixedOffset>,
) -> Result<(Report, Vec<Diagnostic>), Vec<Diagnostic>> {
    // With its unpublished pages, so that scheduled ones can be listed.
    let req = BuildRequest {
        root: root.to_path_buf(),
        base_url: None,
        drafts: true,
        now: Some(now),
    };
    let (site, warnings) = Builder::new(req).graph()?;
    Ok((build_report(&site, period, now), warnings))
}

/// Counts over a site built with its unpublished pages (so scheduled ones can be listed).
pub fn build_report(site: &Site, period: Period, now: DateTime<FixedOffset>) -> Report {
    let mut items = Vec::new();
    let mut documents = Vec::new();
    let mut scheduled = Vec::new();
    for p in &site.pages {
        let m = &p.page.meta;
        let Some(date) = m.date.filter(|d| period.contains(*d)) else {
            continue;
        };
        if p.status == Status::Draft || p.page.kind == PageKind::Page {
            continue;
        }
        let item = Item {
            date,
            title: m.title.clone(),
            url: site.urls.absolute(&p.path),
            section: site.sections[p.section].title.clone(),
            category: m.category.clone(),
            unit: m.unit.clone(),
            author: m.author.clone(),
            number: m
                .document
                .as_ref()
                .and_then(|d| d.number.as_ref())
                .map(|n| n.value.to_string()),
            abstract_text: m.document.as_ref().map(|d| d.abstract_text.clone()),
        };
        if date > now {
            scheduled.push(item);
        } else if p.page.kind == PageKind::Document {
            documents.push(item);
        } else {
            items.push(item);
        }
    }
    for list in [&mut items, &mut documents, &mut scheduled] {
        list.sort_by(|a, b| {
            a.date
                .cmp(&b.date)
                .then_with(|| compare_vi(&a.title, &b.title))
        });
    }
    let count = |key: &dyn Fn(&Item) -> Option<String>, missing: &str| -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for i in &items {
            *counts
                .entry(
                    key(i)
                        .filter(|k| !k.trim().is_empty())
                        .unwrap_or_else(|| missing.to_owned()),
                )
                .or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| compare_vi(&a.0, &b.0)));
        v
    };
    Report {
        by_section: count(&|i| Some(i.section.clone()), "Chưa xếp mục"),
        by_category: count(&|i| i.category.clone(), "Chưa ghi lĩnh vực"),
        by_unit: count(&|i| i.unit.clone(), "Chưa ghi đơn vị"),
        by_author: count(&|i| i.author.clone(), "Chưa ghi tác giả"),
        period,
        site_title: site.config.title.clone(),
        site_url: site.urls.absolute(&crate::urls::UrlPath::default()),
        items,
        documents,
        scheduled,
    }
}

fn day(d: &DateTime<FixedOffset>) -> String {
    format_short(d)
}

/// `|` would end a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The report in Markdown, with Vietnamese headings, ready to paste into a unit's report.
pub fn to_markdown(r: &Report, made: DateTime<FixedOffset>) -> String {
    let p = &r.period;
    let mut o = String::new();
    o.push_str(MARKDOWN_TITLE);
    o.push_str("\n\n");
    o.push_str(&format!(
        "- Kỳ báo cáo: {} (từ ngày {} đến ngày {})\n",
        p.label,
        p.from.format("%d/%m/%Y"),
        p.to.format("%d/%m/%Y")
    ));
    o.push_str(&format!(
        "- Chuyên mục: {} ({})\n",
        r.site_title, r.site_url
    ));
    o.push_str(&format!("- Lập ngày: {}\n\n", day(&made)));
    o.push_str("## 1. Tổng hợp\n\n");
    o.push_str(&format!(
        "- Tin, bài đã đăng: {}\n- Văn bản đã đăng: {}\n- Tin, bài hẹn giờ trong kỳ nhưng chưa đăng: {}\n",
        format_number(r.items.len() as i64),
        format_number(r.documents.len() as i64),
        format_number(r.scheduled.len() as i64)
    ));
    for (n, (title, head, rows)) in [
        ("Theo mục", "Mục", &r.by_section),
        ("Theo lĩnh vực", "Lĩnh vực", &r.by_category),
        ("Theo đơn vị", "Đơn vị", &r.by_unit),
        ("Theo tác giả", "Tác giả", &r.by_author),
    ]
    .into_iter()
    .enumerate()
    {
        o.push_str(&format!(
            "\n## {}. {title}\n\n| {head} | Số tin, bài |\n|---|---:|\n",
            n + 2
        ));
        for (k, v) in rows {
            o.push_str(&format!("| {} | {} |\n", cell(k), format_number(*v as i64)));
        }
        if rows.is_empty() {
            o.push_str("| (không có) | 0 |\n");
        }
    }
    o.push_str("\n## 6. Danh sách tin, bài đã đăng\n\n| STT | Ngày đăng | Tiêu đề | Mục | Đơn vị | Địa chỉ |\n|---:|---|---|---|---|---|\n");
    for (i, it) in r.items.iter().enumerate() {
        o.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            i + 1,
            day(&it.date),
            cell(&it.title),
            cell(&it.section),
            cell(it.unit.as_deref().unwrap_or("")),
            it.url
        ));
    }
    documents_and_scheduled(r, &mut o);
    o
}

/// Parts 7 and 8 of the Markdown report: documents published, items scheduled.
fn documents_and_scheduled(r: &Report, o: &mut String) {
    o.push_str("\n## 7. Văn bản đã đăng\n\n");
    if r.documents.is_empty() {
        o.push_str("Không có.\n");
    } else {
        o.push_str("| Số ký hiệu | Ngày | Trích yếu | Địa chỉ |\n|---|---|---|---|\n");
        for d in &r.documents {
            o.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                cell(d.number.as_deref().unwrap_or("Chưa có số")),
                day(&d.date),
                cell(d.abstract_text.as_deref().unwrap_or(&d.title)),
                d.url
            ));
        }
    }
    o.push_str("\n## 8. Tin, bài hẹn giờ trong kỳ nhưng chưa đăng\n\n");
    if r.scheduled.is_empty() {
        o.push_str("Không có.\n");
    } else {
        for s in &r.scheduled {
            o.push_str(&format!(
                "- {}: {} ({})\n",
                crate::text::format_dateline(&s.date, true),
                s.title,
                s.url
            ));
        }
    }
}

/// The report as CSV for Excel: UTF-8 with a BOM (without it Excel shows Vietnamese as
/// mojibake), CRLF line ends, blocks separated by an empty row.
pub fn to_csv(r: &Report) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let p = &r.period;
    rows.push(vec![
        "Kỳ báo cáo".into(),
        p.label.clone(),
        p.from.format("%d/%m/%Y").to_string(),
        p.to.format("%d/%m/%Y").to_string(),
    ]);
    rows.push(vec!["Tin, bài đã đăng".into(), r.items.len().to_string()]);
    rows.push(vec![
        "Văn bản đã đăng".into(),
        r.documents.len().to_string(),
    ]);
    rows.push(vec![
        "Hẹn giờ, chưa đăng".into(),
        r.scheduled.len().to_string(),
    ]);
    for (head, list) in [
        ("Mục", &r.by_section),
        ("Lĩnh vực", &r.by_category),
        ("Đơn vị", &r.by_unit),
        ("Tác giả", &r.by_author),
    ] {
        rows.push(Vec::new());
        rows.push(vec![head.into(), "Số tin, bài".into()]);
        rows.extend(list.iter().map(|(k, v)| vec![k.clone(), v.to_string()]));
    }
    rows.push(Vec::new());
    rows.push(
        [
            "Ngày đăng",
            "Tiêu đề",
            "Mục",
            "Lĩnh vực",
            "Đơn vị",
            "Tác giả",
            "Địa chỉ",
        ]
        .map(String::from)
        .to_vec(),
    );
    for i in &r.items {
        rows.push(vec![
            day(&i.date),
            i.title.clone(),
            i.section.clone(),
            i.category.clone().unwrap_or_default(),
            i.unit.clone().unwrap_or_default(),
            i.author.clone().unwrap_or_default(),
            i.url.clone(),
        ]);
    }
    rows.push(Vec::new());
    rows.push(
        ["Số ký hiệu", "Ngày", "Trích yếu", "Địa chỉ"]
            .map(String::from)
            .to_vec(),
    );
    for d in &r.documents {
        rows.push(vec![
            d.number.clone().unwrap_or_else(|| "Chưa có số".into()),
            day(&d.date),
            d.abstract_text.clone().unwrap_or_default(),
            d.url.clone(),
        ]);
    }
    let mut out = String::from('\u{feff}');
    for row in rows {
        let line: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

pub(crate) fn csv_field(f: &str) -> String {
    if f.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", f.replace('"', "\"\""))
    } else {
        f.to_owned()
    }
}

/// The first line of every Markdown report.
const MARKDOWN_TITLE: &str = "# Báo cáo kết quả thông tin, tuyên truyền chuyển đổi số";
/// The start of every CSV report (after its byte-order mark).
const CSV_START: &str = "\u{feff}Kỳ báo cáo,";

/// Whether `bytes` begin like a report that `to_markdown` or `to_csv` made: only such a file
/// may be replaced by a new report without `--force`.
pub fn looks_like_report(bytes: &[u8]) -> bool {
    bytes.starts_with(MARKDOWN_TITLE.as_bytes()) || bytes.starts_with(CSV_START.as_bytes())
}

/// Writes a report to `path`, never into the site's sources nor over a file that is not an
/// earlier report (unless `force`). Written beside and renamed, so an interrupted write
/// leaves the earlier file whole.
pub fn write_report(root: &Path, path: &Path, text: &str, force: bool) -> Result<(), Diagnostic> {
    crate::protect::check_report_path(root, path, force, looks_like_report)?;
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
    let tmp = path.with_file_name(format!(
        ".{}.tmp-{}",
        name.unwrap_or_default(),
        std::process::id()
    ));
    let io = |e: std::io::Error| {
        let _ = std::fs::remove_file(&tmp);
        let detail = crate::diagnostics::io_reason(&e);
        Diagnostic::file(
            path,
            Kind::Io {
                action: crate::diagnostics::IoAction::Write,
                detail,
            },
        )
    };
    crate::output::own(&tmp);
    let written = std::fs::write(&tmp, text).and_then(|()| crate::rename::rename(&tmp, path));
    crate::output::disown(&tmp);
    written.map_err(io)
}

/// A usage problem with the period arguments, for the CLI.
pub fn usage(usage: Usage) -> Diagnostic {
    Diagnostic::file("cds report", Kind::Usage(usage))
}

/// Today in Vietnam.
pub fn today(now: DateTime<FixedOffset>) -> NaiveDate {
    now.with_timezone(&vietnam_offset()).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarters_are_calendar_quarters() {
        let q = Period::quarter("2026-Q1").unwrap();
        assert_eq!(
            (q.from.to_string(), q.to.to_string(), q.label.as_str()),
            ("2026-01-01".into(), "2026-03-31".into(), "Quý I năm 2026")
        );
        let q = Period::quarter("2026-q4").unwrap();
        assert_eq!(
            (q.from.to_string(), q.to.to_string()),
            ("2026-10-01".into(), "2026-12-31".into())
        );
        assert!(Period::quarter("2026-Q5").is_err());
        assert!(Period::quarter("Q1-2026").is_err());
    }

    #[test]
    fn the_year_runs_to_today_unless_told() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let y = Period::year(2026, today, None).unwrap();
        assert_eq!(
            (y.from.to_string(), y.to.to_string()),
            ("2026-01-01".into(), "2026-11-26".into())
        );
        let y = Period::year(2025, today, None).unwrap();
        assert_eq!(y.to.to_string(), "2025-12-31");
        let to = NaiveDate::from_ymd_opt(2026, 6, 30);
        assert_eq!(
            Period::year(2026, today, to).unwrap().to.to_string(),
            "2026-06-30"
        );
    }

    #[test]
    fn ranges_take_vietnamese_dates() {
        let r = Period::range("01/01/2026", "31/03/2026").unwrap();
        assert_eq!(r.label, "Từ 01/01/2026 đến 31/03/2026");
        assert!(Period::range("31/03/2026", "01/01/2026").is_err());
        assert!(Period::range("2026", "x").is_err());
    }

    #[test]
    fn csv_fields_are_quoted_when_needed() {
        assert_eq!(csv_field("Tin, bài"), "\"Tin, bài\"");
        assert_eq!(csv_field("\"A\""), "\"\"\"A\"\"\"");
        assert_eq!(csv_field("Xã hội số"), "Xã hội số");
    }
}
