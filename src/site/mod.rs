//! The site graph: sections with their sorted pages, taxonomies, the policy-document chain,
//! previous/next links and the URL of everything.
//!
//! Pure by design: no file system, no clock, no templates. Callers pass `now`, so scheduling
//! and expiry are testable. Built once per build and never changed after: `markdown` reads it
//! to render bodies, `render` to plan and make the files.

mod documents;
mod sorting;
mod taxonomy;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::content::{self, Found, Loaded, PageKind};
use crate::diagnostics::{Diagnostic, Kind};
use crate::fast_hash::FastMap;
use crate::text::slugify;
use crate::urls::{UrlPath, Urls};
pub use taxonomy::{Taxonomy, Term};

pub type PageId = usize;
pub type SectionId = usize;

/// Whether a page is shown to visitors now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Published,
    Draft,
    /// Dated in the future.
    Scheduled,
    /// Past its `expiry_date`.
    Expired,
}

/// Options that change what the graph contains.
#[derive(Debug, Clone, Copy)]
pub struct BuildOptions {
    /// Keep draft, scheduled and expired pages (preview).
    pub include_unpublished: bool,
    /// The moment that decides what is scheduled or expired.
    pub now: DateTime<FixedOffset>,
}

/// A page placed in the graph.
#[derive(Debug)]
pub struct SitePage {
    /// Shared with the content cache of `serve`: a rebuild does not copy unchanged pages.
    pub page: Arc<content::Page>,
    pub path: UrlPath,
    /// Where the page's relative links and images point: the page itself for a bundle, else
    /// the folder its file sits in (where loose files are copied).
    pub asset_base: UrlPath,
    pub status: Status,
    pub section: SectionId,
    pub prev: Option<PageId>,
    pub next: Option<PageId>,
    pub tags: Vec<usize>,
    pub category: Option<usize>,
    /// Documents this page names in `documents`.
    pub cites: Vec<PageId>,
    /// Document pages: the documents this one carries out (`implements`).
    pub implements: Vec<PageId>,
    /// Document pages: the documents that carry this one out.
    pub implemented_by: Vec<PageId>,
    /// Document pages: the pages whose `documents` name this one.
    pub cited_by: Vec<PageId>,
    /// The same page in other languages: the one its `translation:` names, and those whose
    /// `translation:` names it.
    pub translations: Vec<PageId>,
}

/// A section placed in the graph. The home page is section 0.
#[derive(Debug)]
pub struct SiteSection {
    /// `None` for a home page without `_index.md`.
    pub section: Option<content::Section>,
    pub dir: String,
    pub title: String,
    pub kind: PageKind,
    pub path: UrlPath,
    pub parent: Option<SectionId>,
    pub subsections: Vec<SectionId>,
    /// In the section's sort order.
    pub pages: Vec<PageId>,
    pub paginate_by: usize,
    pub weight: i64,
}

/// Where an `@/` link may point.
#[derive(Debug, Clone)]
pub struct LinkTarget {
    pub path: UrlPath,
    /// Set when the target exists but will not be published in this build.
    pub unpublished: Option<Status>,
    /// The page or section, to check anchors once Markdown is rendered.
    pub node: Node,
}

/// A page or a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Page(PageId),
    Section(SectionId),
    /// A page left out of this build.
    Excluded,
}

/// An alias: an old URL that redirects to a page.
#[derive(Debug, Clone)]
pub struct Alias {
    pub from: UrlPath,
    pub to: UrlPath,
    /// The page that declares it, and the line, for error messages.
    pub file: PathBuf,
    pub line: usize,
}

/// The whole site, ready for Markdown and rendering.
#[derive(Debug)]
pub struct Site {
    pub config: Config,
    pub urls: Urls,
    pub sections: Vec<SiteSection>,
    pub pages: Vec<SitePage>,
    pub tags: Taxonomy,
    pub categories: Taxonomy,
    /// Document number → its page.
    pub documents: BTreeMap<String, PageId>,
    pub aliases: Vec<Alias>,
    pub loose_assets: Vec<(Found, UrlPath)>,
    /// Source path relative to `content/` (`tin-tuc/a.md`) → target, for `@/` links.
    pub link_targets: FastMap<String, LinkTarget>,
    /// Pages left out of this build (draft, scheduled, expired), for `cds check`.
    pub excluded: Vec<Excluded>,
    /// Each page's place among all pages newest first (ties by page id), so that lists,
    /// feeds and the index order pages without comparing dates again (7 sorts of every page
    /// at 10,000 articles).
    date_rank: Vec<u32>,
}

/// A page this build leaves out, and why.
#[derive(Debug, Clone)]
pub struct Excluded {
    pub file: PathBuf,
    pub status: Status,
    pub date: Option<DateTime<FixedOffset>>,
    pub expiry_date: Option<DateTime<FixedOffset>>,
}

impl Site {
    /// Builds the graph. Problems that concern several files (duplicate URLs, unknown
    /// documents) come back with the site so all of them can be reported together.
    pub fn build(config: Config, loaded: Loaded, opts: &BuildOptions) -> (Site, Vec<Diagnostic>) {
        let mut diags = Vec::new();
        let urls = Urls::new(&config.base_url);
        let mut site = Site {
            urls,
            sections: Vec::new(),
            pages: Vec::new(),
            tags: Taxonomy::default(),
            categories: Taxonomy::default(),
            documents: BTreeMap::new(),
            aliases: Vec::new(),
            loose_assets: Vec::new(),
            link_targets: FastMap::default(),
            excluded: Vec::new(),
            date_rank: Vec::new(),
            config,
        };
        site.add_sections(loaded.sections);
        let all_documents = documents::all_numbers(&loaded.pages);
        site.add_pages(loaded.pages, opts, &mut diags);
        site.check_unique_paths(&mut diags);
        site.rank_by_date();
        for s in 0..site.sections.len() {
            sorting::sort_section(&mut site, s);
        }
        site.link_neighbours();
        taxonomy::build_all(&mut site);
        documents::link(&mut site, &all_documents, &mut diags);
        site.link_translations(&mut diags);
        site.loose_assets = loaded
            .loose_assets
            .into_iter()
            .map(|a| {
                let dir = content::parent(&a.rel);
                let path = url_folder(dir).join(content::file_name(&a.rel));
                (a, path)
            })
            .collect();
        (site, diags)
    }

    /// Pairs each page with the page its `translation:` names, both ways. A name that is no
    /// page is an error at its line; a page left out of this build (a draft) makes no link.
    fn link_translations(&mut self, diags: &mut Vec<Diagnostic>) {
        for id in 0..self.pages.len() {
            let Some(t) = self.pages[id].page.meta.translation.clone() else {
                continue;
            };
            match self.link_targets.get(&t.value).map(|target| &target.node) {
                Some(Node::Page(other)) if *other != id => {
                    let other = *other;
                    if !self.pages[id].translations.contains(&other) {
                        self.pages[id].translations.push(other);
                    }
                    if !self.pages[other].translations.contains(&id) {
                        self.pages[other].translations.push(id);
                    }
                }
                Some(Node::Excluded) => {}
                _ => {
                    let p = &self.pages[id].page;
                    let kind = Kind::TranslationMissing { target: t.value };
                    diags.push(Diagnostic::at(&p.file, &p.text, t.line, t.col, kind));
                }
            }
        }
    }

    fn add_sections(&mut self, sections: Vec<content::Section>) {
        let mut by_dir: BTreeMap<String, content::Section> =
            sections.into_iter().map(|s| (s.dir.clone(), s)).collect();
        let root = by_dir.remove("");
        self.sections.push(self.new_section(String::new(), root));
        for (dir, s) in by_dir {
            self.sections.push(self.new_section(dir, Some(s)));
        }
        // Parents: the nearest ancestor folder with a section (the home page at worst).
        for id in 1..self.sections.len() {
            let parent = self.section_for_dir(content::parent(&self.sections[id].dir));
            self.sections[id].parent = Some(parent);
            self.sections[parent].subsections.push(id);
        }
        for id in 0..self.sections.len() {
            let mut subs = std::mem::take(&mut self.sections[id].subsections);
            subs.sort_by_key(|&s| (self.sections[s].weight, self.sections[s].dir.clone()));
            self.sections[id].subsections = subs;
        }
        for (id, s) in self.sections.iter().enumerate() {
            if s.section.is_some() {
                let key = if s.dir.is_empty() {
                    "_index.md".to_owned()
                } else {
                    format!("{}/_index.md", s.dir)
                };
                let target = LinkTarget {
                    path: s.path.clone(),
                    unpublished: None,
                    node: Node::Section(id),
                };
                self.link_targets.insert(key, target);
            }
        }
    }

    fn new_section(&self, dir: String, section: Option<content::Section>) -> SiteSection {
        let (title, kind, paginate_by, weight) = match &section {
            Some(s) => (
                s.meta.title.clone(),
                s.meta.kind,
                s.meta.paginate_by.unwrap_or(self.config.paginate_by),
                s.meta.weight,
            ),
            None => (
                self.config.title.clone(),
                PageKind::Page,
                self.config.paginate_by,
                0,
            ),
        };
        SiteSection {
            path: url_folder(&dir),
            section,
            dir,
            title,
            kind,
            parent: None,
            subsections: Vec::new(),
            pages: Vec::new(),
            paginate_by,
            weight,
        }
    }

    /// The section whose folder is `dir`, or its nearest ancestor's.
    fn section_for_dir(&self, dir: &str) -> SectionId {
        let mut d = dir;
        loop {
            if let Some(id) = self.sections.iter().position(|s| s.dir == d) {
                return id;
            }
            if d.is_empty() {
                return 0;
            }
            d = content::parent(d);
        }
    }

    fn add_pages(
        &mut self,
        pages: Vec<Arc<content::Page>>,
        opts: &BuildOptions,
        diags: &mut Vec<Diagnostic>,
    ) {
        // Pages share a few folders: each folder's URL is made once.
        let mut folders: FastMap<String, UrlPath> = FastMap::default();
        self.pages.reserve(pages.len());
        self.link_targets.reserve(pages.len());
        for page in pages {
            let status = status_of(&page, opts.now);
            if page.slug.is_empty() {
                let from = page.meta.slug.clone().unwrap_or_else(|| page.stem.clone());
                diags.push(Diagnostic::file(&page.file, Kind::EmptySlug { from }));
                continue;
            }
            let folder = match folders.get(&page.dir) {
                Some(f) => f.clone(),
                None => {
                    let f = url_folder(&page.dir);
                    folders.insert(page.dir.clone(), f.clone());
                    f
                }
            };
            let path = folder.join(&format!("{}/", page.slug));
            if status != Status::Published && !opts.include_unpublished {
                self.exclude(&page, status, path);
                continue;
            }
            let id = self.pages.len();
            let section = self.section_for_dir(&page.section);
            self.sections[section].pages.push(id);
            let target = LinkTarget {
                path: path.clone(),
                unpublished: None,
                node: Node::Page(id),
            };
            self.link_targets.insert(page.source.clone(), target);
            self.add_aliases(&page, &path);
            let asset_base = if content::file_name(&page.source) == "index.md" {
                path.clone()
            } else {
                folder
            };
            self.pages.push(SitePage {
                page,
                asset_base,
                path,
                status,
                section,
                prev: None,
                next: None,
                tags: Vec::new(),
                category: None,
                cites: Vec::new(),
                implements: Vec::new(),
                implemented_by: Vec::new(),
                cited_by: Vec::new(),
                translations: Vec::new(),
            });
        }
    }

    /// A page this build leaves out: listed for `cds check`, and still a link target, which
    /// `@/` links to it report.
    fn exclude(&mut self, page: &content::Page, status: Status, path: UrlPath) {
        self.excluded.push(Excluded {
            file: page.file.clone(),
            status,
            date: page.meta.date,
            expiry_date: page.meta.expiry_date,
        });
        let target = LinkTarget {
            path,
            unpublished: Some(status),
            node: Node::Excluded,
        };
        self.link_targets.insert(page.source.clone(), target);
    }

    /// The old URLs of `page`, now at `path`.
    fn add_aliases(&mut self, page: &content::Page, path: &UrlPath) {
        for alias in &page.meta.aliases {
            self.aliases.push(Alias {
                from: alias_path(&alias.value),
                to: path.clone(),
                file: page.file.clone(),
                line: alias.line,
            });
        }
    }

    /// Two things written to one URL is an error naming both files.
    fn check_unique_paths(&self, diags: &mut Vec<Diagnostic>) {
        let mut seen: FastMap<&str, &Path> = FastMap::default();
        let section_files = self
            .sections
            .iter()
            .filter_map(|s| s.section.as_ref().map(|sec| (s.path.as_str(), &*sec.file)));
        for (path, file) in section_files {
            seen.insert(path, file);
        }
        for p in &self.pages {
            if let Some(other) = seen.get(p.path.as_str()) {
                let kind = Kind::DuplicateUrl {
                    url: self.urls.href(&p.path),
                    other: other.to_path_buf(),
                };
                diags.push(Diagnostic::file(&p.page.file, kind));
            } else {
                seen.insert(p.path.as_str(), &p.page.file);
            }
        }
        for a in &self.aliases {
            if let Some(other) = seen.get(a.from.as_str()) {
                let kind = Kind::DuplicateUrl {
                    url: self.urls.href(&a.from),
                    other: other.to_path_buf(),
                };
                diags.push(Diagnostic::file(&a.file, kind).on_line(a.line));
            }
        }
    }

    fn link_neighbours(&mut self) {
        for s in 0..self.sections.len() {
            let ids = self.sections[s].pages.clone();
            for (i, &id) in ids.iter().enumerate() {
                self.pages[id].prev = i.checked_sub(1).map(|j| ids[j]);
                self.pages[id].next = ids.get(i + 1).copied();
            }
        }
    }

    /// Section `id`'s list page number `n` (1-based): `tin-tuc/`, `tin-tuc/trang/2/`.
    pub fn pager_path(base: &UrlPath, n: usize) -> UrlPath {
        if n <= 1 {
            base.clone()
        } else {
            base.join(&format!("trang/{n}/"))
        }
    }

    /// The number of list pages for `count` items.
    pub fn pager_count(count: usize, per_page: usize) -> usize {
        count.div_ceil(per_page.max(1)).max(1)
    }

    /// Lets go of the Markdown body of pages `ids` for which `keep` is false, keeping their
    /// front matter (which diagnostics quote). For a one-shot build, once the Markdown stage
    /// has made their HTML; a page shared with anything else keeps its text.
    pub fn release_bodies(&mut self, ids: std::ops::Range<PageId>, keep: impl Fn(PageId) -> bool) {
        for id in ids {
            if keep(id) {
                continue;
            }
            if let Some(page) = Arc::get_mut(&mut self.pages[id].page) {
                page.text = page.text.head(page.body_offset);
            }
        }
    }

    /// Sorts page ids newest first; undated pages last; ties by id, so the order is stable.
    pub fn sort_newest_first(&self, ids: &mut [PageId]) {
        ids.sort_unstable_by_key(|&id| (self.date_rank.get(id).copied(), id));
    }

    fn rank_by_date(&mut self) {
        let mut order: Vec<PageId> = (0..self.pages.len()).collect();
        order.sort_by(|&a, &b| {
            sorting::by_date_desc(&self.pages[a], &self.pages[b]).then(a.cmp(&b))
        });
        self.date_rank = vec![0; order.len()];
        for (rank, &id) in order.iter().enumerate() {
            self.date_rank[id] = rank as u32;
        }
    }

    /// Ancestors of a section from the home page down, excluding itself.
    pub fn ancestors(&self, mut id: SectionId) -> Vec<SectionId> {
        let mut out = Vec::new();
        while let Some(p) = self.sections[id].parent {
            out.push(p);
            id = p;
        }
        out.reverse();
        out
    }
}

/// `tin-tuc/Thông báo` → `tin-tuc/thong-bao/`.
pub fn url_folder(dir: &str) -> UrlPath {
    let slugs: Vec<String> = dir
        .split('/')
        .filter(|s| !s.is_empty())
        .map(slugify)
        .collect();
    UrlPath::folder(slugs.iter().map(String::as_str))
}

fn alias_path(alias: &str) -> UrlPath {
    let a = alias.trim().trim_start_matches('/');
    if a.is_empty() || a.ends_with('/') || a.ends_with(".html") {
        UrlPath::file(a)
    } else {
        UrlPath::file(&format!("{a}/"))
    }
}

/// Whether a page is published at `now`, or why not.
fn status_of(page: &content::Page, now: DateTime<FixedOffset>) -> Status {
    let m = &page.meta;
    if m.draft {
        Status::Draft
    } else if m.date.is_some_and(|d| d > now) {
        Status::Scheduled
    } else if m.expiry_date.is_some_and(|d| d <= now) {
        Status::Expired
    } else {
        Status::Published
    }
}

#[cfg(test)]
mod tests;
