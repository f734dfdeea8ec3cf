//! The editor's list of pages: one entry per page of the last good build, with what the list
//! shows and filters by (section, status, unit, author) and the title folded the way search
//! folds it, so "chuyen doi so" finds "Chuyển đổi số". Pure: a function of the site graph.

use serde::Serialize;

use crate::content::PageKind;
use crate::site::{Site, Status};

/// What `api/pages` answers.
#[derive(Debug, Serialize)]
pub struct Catalog<'a> {
    pub sections: Vec<SectionEntry<'a>>,
    /// Newest first.
    pub pages: Vec<PageEntry<'a>>,
    /// The configuration's categories, for the form.
    pub categories: &'a [String],
    /// Every tag in use, as first written: the form suggests them, so `VNeID` and `vneid`
    /// never split a topic in two.
    pub tags: Vec<&'a str>,
    /// The document registry: number and title, for the form's `documents` picker.
    pub documents: Vec<DocumentEntry<'a>>,
}

#[derive(Debug, Serialize)]
pub struct DocumentEntry<'a> {
    pub number: &'a str,
    pub title: &'a str,
}

#[derive(Debug, Serialize)]
pub struct SectionEntry<'a> {
    /// Folder under `content/` (`tin-tuc`; empty for the home page).
    pub dir: &'a str,
    pub title: &'a str,
    pub kind: &'static str,
}

#[derive(Debug, Serialize)]
pub struct PageEntry<'a> {
    /// From the site root, with `/`: `content/tin-tuc/a.md`.
    pub path: String,
    /// Where the preview shows it: `/chuyen-doi-so/tin-tuc/a/`.
    pub url: String,
    /// The section's folder (an index into nothing: the section list has it).
    pub section: &'a str,
    pub title: &'a str,
    /// The title folded by the site search's rule (no accents, lower case): the list
    /// filters by it. Folded here: in the page it would take 100 ms at 10,000 pages.
    pub key: String,
    /// `26/11/2026`.
    pub date_text: Option<String>,
    pub status: Status,
    pub unit: Option<&'a str>,
    pub author: Option<&'a str>,
}

/// The list of `site`.
pub fn of(site: &Site) -> Catalog<'_> {
    let sections = site
        .sections
        .iter()
        .map(|s| SectionEntry {
            dir: &s.dir,
            title: &s.title,
            kind: s.kind.as_str(),
        })
        .collect();
    let mut ids: Vec<usize> = (0..site.pages.len()).collect();
    site.sort_newest_first(&mut ids);
    let pages = ids
        .into_iter()
        .map(|id| {
            let placed = &site.pages[id];
            let page = &placed.page;
            let meta = &page.meta;
            PageEntry {
                path: page.file.to_string_lossy().replace('\\', "/"),
                url: site.urls.href(&placed.path),
                section: &site.sections[placed.section].dir,
                title: &meta.title,
                key: crate::text::fold(&meta.title),
                date_text: meta.date.as_ref().map(crate::text::format_short),
                status: placed.status,
                unit: meta.unit.as_deref(),
                author: meta.author.as_deref(),
            }
        })
        .collect();
    Catalog {
        sections,
        pages,
        categories: &site.config.categories,
        tags: site.tags.terms.iter().map(|t| t.name.as_str()).collect(),
        documents: site
            .documents
            .iter()
            .map(|(number, id)| DocumentEntry {
                number,
                title: &site.pages[*id].page.meta.title,
            })
            .collect(),
    }
}

/// The kind of the page at `rel` (`content/tin-tuc/a.md`): the page's own in the graph, else
/// that of the deepest section whose folder holds it (a file not built yet).
pub fn kind_of(site: &Site, rel: &str) -> PageKind {
    let file = std::path::Path::new(rel);
    if let Some(placed) = site.pages.iter().find(|p| p.page.file == file) {
        return placed.page.kind;
    }
    let inside = rel.strip_prefix("content/").unwrap_or(rel);
    site.sections
        .iter()
        .filter(|s| s.dir.is_empty() || inside.starts_with(&format!("{}/", s.dir)))
        .max_by_key(|s| s.dir.len())
        .map_or(PageKind::Article, |s| s.kind)
}
