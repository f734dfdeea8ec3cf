//! The order of pages in a section (`sort_by` of its `_index.md`).

use std::cmp::Ordering;

use super::{SectionId, Site, SitePage};
use crate::content::SortBy;
use crate::text::sort_key;

pub(super) fn sort_section(site: &mut Site, id: SectionId) {
    let sort_by = site.sections[id]
        .section
        .as_ref()
        .map_or(SortBy::Date, |s| s.meta.sort_by);
    let mut ids = std::mem::take(&mut site.sections[id].pages);
    let pages = &site.pages;
    ids.sort_by(|&a, &b| compare(&pages[a], &pages[b], sort_by));
    site.sections[id].pages = ids;
}

/// Newest first for dates; ties (and every other order) fall back to the title in
/// Vietnamese order, then to the source path, so the order never depends on the file system.
pub(super) fn compare(a: &SitePage, b: &SitePage, sort_by: SortBy) -> Ordering {
    let primary = match sort_by {
        SortBy::Date => by_date_desc(a, b),
        SortBy::Title => Ordering::Equal,
        SortBy::Weight => a.page.meta.weight.cmp(&b.page.meta.weight),
        SortBy::Number => number_key(a).cmp(&number_key(b)),
    };
    primary
        .then_with(|| sort_key(&a.page.meta.title).cmp(&sort_key(&b.page.meta.title)))
        .then_with(|| a.page.source.cmp(&b.page.source))
}

pub(super) fn by_date_desc(a: &SitePage, b: &SitePage) -> Ordering {
    match (a.page.meta.date, b.page.meta.date) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Documents without a number come last; numbers compare by their leading digits.
fn number_key(p: &SitePage) -> (u8, u64, String) {
    match p
        .page
        .meta
        .document
        .as_ref()
        .and_then(|d| d.number.as_ref())
    {
        Some(n) => {
            let s = n.value.as_str();
            let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
            (0, digits.parse().unwrap_or(u64::MAX), s.to_owned())
        }
        None => (1, 0, String::new()),
    }
}
