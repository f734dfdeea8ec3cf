//! Which files a site renders, with which template and which context.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tera::{Context, Value};

use super::Piece;
use super::context::{self, LinkView, section_trail};
use crate::content::{LEVELS, PageKind};
use crate::markdown::Bodies;
use crate::memo::{self, Hashed, Memo};
use crate::site::{PageId, SectionId, Site, Taxonomy};
use crate::urls::{UrlPath, Urls};

/// One output file to render: where it goes, with which template, and what it shows.
pub struct Job<'a> {
    /// Borrowed from the site for a page's own file: most jobs are pages'.
    pub path: Cow<'a, UrlPath>,
    /// The file it writes (`path.output_file()`, made once).
    pub output: String,
    pub template: Cow<'a, str>,
    /// The source shown in a template error.
    pub file: Cow<'a, Path>,
    pub(super) what: What,
}

/// Views that many files show unchanged, built once per render instead of once per file:
/// a section's view appears on each of its pages, a taxonomy's on each of its terms' pages.
pub struct Common {
    /// By section id.
    sections: Vec<Piece>,
    /// Document sections: their documents grouped by level (the same on every pager page).
    levels: Vec<Option<Piece>>,
    tags: Piece,
    categories: Piece,
    links: context::PageLinks,
    menu: Menu,
}

/// The menu as a page shows it, each item marked `current` when the page's URL starts with the
/// item's: made once for each set of current items, not once per page.
struct Menu {
    /// The menu by its current items (bit `i` for item `i`); a page asking for another set
    /// (nested menu URLs) gets its menu made for it.
    made: Vec<(u64, Piece)>,
    items: Vec<LinkView>,
}

#[derive(Serialize, Hash)]
struct MenuItem<'a> {
    title: &'a str,
    url: &'a str,
    current: bool,
}

impl Menu {
    fn new(site: &Site) -> Menu {
        let mut menu = Menu {
            made: Vec::new(),
            items: menu_links(site),
        };
        // No item current, or one: every page of a menu without nested URLs.
        if menu.items.len() <= 64 {
            let sets = std::iter::once(0).chain((0..menu.items.len()).map(|i| 1u64 << i));
            menu.made = sets
                .map(|set| (set, menu.make(|i| set & 1 << i != 0)))
                .collect();
        }
        menu
    }

    fn make(&self, current: impl Fn(usize) -> bool) -> Piece {
        let items: Vec<MenuItem> = (self.items.iter().enumerate())
            .map(|(i, l)| MenuItem {
                title: &l.title,
                url: &l.url,
                current: current(i),
            })
            .collect();
        Piece::of(&items)
    }

    /// The menu of the page at `url`.
    fn of(&self, url: &str) -> Piece {
        let is_current = |i: usize| url.starts_with(self.items[i].url.as_str());
        // More items than a set of bits holds: made for the page.
        if self.items.len() > 64 {
            return self.make(is_current);
        }
        let current = (0..self.items.len())
            .filter(|&i| is_current(i))
            .fold(0u64, |set, i| set | 1 << i);
        match self.made.iter().find(|(set, _)| *set == current) {
            Some((_, menu)) => menu.clone(),
            None => self.make(|i| current & 1 << i != 0),
        }
    }
}

impl Common {
    pub fn new(site: &Site, bodies: &Bodies, cards: &[Piece]) -> Common {
        let levels = site
            .sections
            .iter()
            .map(|s| {
                (s.kind == PageKind::Document).then(|| Piece::of(&by_level(site, cards, &s.pages)))
            })
            .collect();
        Common {
            sections: (0..site.sections.len())
                .map(|id| Piece::of(&section_view(site, bodies, id)))
                .collect(),
            levels,
            tags: Piece::of(&taxonomy_view(site, &site.tags)),
            categories: Piece::of(&taxonomy_view(site, &site.categories)),
            links: context::PageLinks::new(site),
            menu: Menu::new(site),
        }
    }

    fn taxonomy(&self, tags: bool) -> Piece {
        if tags {
            self.tags.clone()
        } else {
            self.categories.clone()
        }
    }
}

/// What one file is made of: the values its template sees, by name. The file is a pure
/// function of its template and these, so `serve` keys it by their digests.
#[derive(Hash, Default)]
pub struct Needs {
    entries: Vec<(&'static str, Need)>,
}

/// One value a template sees.
#[derive(Hash)]
enum Need {
    Piece(Piece),
    /// A list of cards.
    Cards(Vec<Piece>),
    /// A page: its card with its own view's fields added.
    Page {
        card: Piece,
        view: Piece,
    },
    Text(String),
}

impl Needs {
    fn add(&mut self, name: &'static str, need: Need) {
        self.entries.push((name, need));
    }

    /// The template context these make.
    pub fn context(&self) -> Context {
        let mut cx = Context::new();
        for (name, need) in &self.entries {
            match need {
                Need::Piece(p) => cx.insert_value(*name, p.value.clone()),
                Need::Cards(cards) => {
                    let values: Vec<Value> = cards.iter().map(|c| c.value.clone()).collect();
                    cx.insert_value(*name, Value::from(values));
                }
                Need::Page { card, view } => {
                    let mut map = card.value.as_map().cloned().unwrap_or_default();
                    if let Some(more) = view.value.as_map() {
                        map.extend(more.iter().map(|(k, v)| (k.clone(), v.clone())));
                    }
                    cx.insert_value(*name, Value::from(map));
                }
                Need::Text(t) => cx.insert(*name, t),
            }
        }
        cx
    }
}

#[derive(Clone, Copy)]
pub(super) enum What {
    Home,
    Page(PageId),
    Section {
        id: SectionId,
        number: usize,
    },
    TaxonomyList {
        tags: bool,
    },
    Term {
        tags: bool,
        term: usize,
        number: usize,
    },
    NotFound,
    Search,
}

/// Site-wide values every template sees as `site`.
#[derive(Serialize, Hash)]
struct Globals<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    home_url: String,
    feed_url: String,
    organization: &'a crate::config::Organization,
    menu: Vec<LinkView>,
    categories: Vec<TermView>,
    tags: Vec<TermView>,
    tags_title: &'a str,
    tags_url: String,
    categories_title: &'a str,
    categories_url: String,
    extra: &'a crate::yaml::Extra,
}

#[derive(Serialize, Hash)]
struct TermView {
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize, Hash)]
struct Paginator {
    current: usize,
    total: usize,
    previous: Option<String>,
    next: Option<String>,
    pages: Vec<PagerLink>,
}

#[derive(Serialize, Hash)]
struct PagerLink {
    number: usize,
    url: String,
    current: bool,
    /// Pages were skipped before this one (show "…").
    gap_before: bool,
}

/// The page numbers a pager shows: the first, the last, and two on each side of the current
/// one. Listing every page would make each of a 700-page list's pages carry 700 links.
fn window(total: usize, current: usize) -> Vec<usize> {
    let mut pages: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2)..=current + 2)
        .collect();
    pages.retain(|&n| (1..=total).contains(&n));
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[derive(Serialize, Hash)]
struct LevelGroup {
    level: String,
    documents: Vec<Piece>,
}

pub fn globals(site: &Site) -> Piece {
    let c = &site.config;
    let urls = &site.urls;
    let menu = menu_links(site);
    Piece::of(&Globals {
        title: &c.title,
        description: &c.description,
        language: &c.language,
        base_url: &c.base_url,
        base_path: urls.base_path(),
        home_url: urls.href(&UrlPath::default()),
        feed_url: urls.href(&UrlPath::default().feed()),
        organization: &c.organization,
        menu,
        categories: term_views(site, &site.categories),
        tags: term_views(site, &site.tags),
        tags_title: &site.tags.title,
        tags_url: urls.href(&site.tags.path),
        categories_title: &site.categories.title,
        categories_url: urls.href(&site.categories.path),
        extra: &c.extra,
    })
}

/// The sections right under the home page, in order: the site's menu.
fn menu_links(site: &Site) -> Vec<LinkView> {
    (site.sections[0].subsections.iter())
        .map(|&s| LinkView {
            title: site.sections[s].title.clone(),
            url: site.urls.href(&site.sections[s].path),
        })
        .collect()
}

fn term_views(site: &Site, tax: &Taxonomy) -> Vec<TermView> {
    tax.terms
        .iter()
        .map(|t| TermView {
            title: t.name.clone(),
            url: site.urls.href(&t.path),
            count: t.pages.len(),
        })
        .collect()
}

/// Every templated file of the site.
pub fn jobs(site: &Site, with_search: bool) -> Vec<Job<'_>> {
    let mut jobs = Vec::new();
    let theme_file = |name: &str| {
        PathBuf::from("themes")
            .join(&site.config.theme)
            .join("templates")
            .join(name)
    };
    let mut push = |path: UrlPath, template: String, file: PathBuf, what: What| {
        jobs.push(Job {
            output: path.output_file(),
            path: Cow::Owned(path),
            template: Cow::Owned(template),
            file: Cow::Owned(file),
            what,
        });
    };
    let home_file = site.sections[0]
        .section
        .as_ref()
        .map_or_else(|| theme_file("index.html"), |s| s.file.clone());
    let home_template = section_template(site, 0).unwrap_or_else(|| "index.html".into());
    push(UrlPath::default(), home_template, home_file, What::Home);
    let pages: Vec<Job> = (0..site.pages.len()).map(|id| page_job(site, id)).collect();
    for (id, s) in site.sections.iter().enumerate().skip(1) {
        let template = section_template(site, id).unwrap_or_else(|| "section.html".into());
        let file = s
            .section
            .as_ref()
            .map_or_else(|| theme_file("section.html"), |x| x.file.clone());
        for number in 1..=Site::pager_count(s.pages.len(), s.paginate_by) {
            push(
                Site::pager_path(&s.path, number),
                template.clone(),
                file.clone(),
                What::Section { id, number },
            );
        }
    }
    for (tags, tax) in [(true, &site.tags), (false, &site.categories)] {
        if tax.terms.is_empty() {
            continue;
        }
        push(
            tax.path.clone(),
            "taxonomy_list.html".into(),
            theme_file("taxonomy_list.html"),
            What::TaxonomyList { tags },
        );
        for (term, t) in tax.terms.iter().enumerate() {
            for number in 1..=Site::pager_count(t.pages.len(), tax.paginate_by) {
                let what = What::Term { tags, term, number };
                push(
                    Site::pager_path(&t.path, number),
                    "taxonomy_term.html".into(),
                    theme_file("taxonomy_term.html"),
                    what,
                );
            }
        }
    }
    if with_search {
        push(
            UrlPath::search(),
            "search.html".into(),
            theme_file("search.html"),
            What::Search,
        );
    }
    push(
        UrlPath::file("404.html"),
        "404.html".into(),
        theme_file("404.html"),
        What::NotFound,
    );
    // Pages come right after the home page, as they always have: when two files claim one
    // output path, the error blames the later one (`paths::check`).
    jobs.splice(1..1, pages);
    jobs
}

/// The job of page `id`'s own file.
pub fn page_job(site: &Site, id: PageId) -> Job<'_> {
    let p = &site.pages[id];
    Job {
        path: Cow::Borrowed(&p.path),
        output: p.path.output_file(),
        template: page_template(site, id),
        file: Cow::Borrowed(&p.page.file),
        what: What::Page(id),
    }
}

fn section_template(site: &Site, id: SectionId) -> Option<String> {
    site.sections[id].section.as_ref()?.meta.template.clone()
}

/// `template:` of the page, else the section's `page_template`, else by kind.
fn page_template(site: &Site, id: PageId) -> Cow<'_, str> {
    let p = &site.pages[id];
    if let Some(t) = &p.page.meta.template {
        return Cow::Borrowed(t);
    }
    let section = site.sections[p.section].section.as_ref();
    if let Some(t) = section.and_then(|s| s.meta.page_template.as_deref()) {
        return Cow::Borrowed(t);
    }
    match p.page.kind {
        PageKind::Document => Cow::Borrowed("document.html"),
        _ => Cow::Borrowed("page.html"),
    }
}

impl Job<'_> {
    /// The page whose own file this job writes, if it is a page's.
    pub fn page(&self) -> Option<PageId> {
        match self.what {
            What::Page(id) => Some(id),
            _ => None,
        }
    }
}

/// What every file of a build may show: the site, its bodies, every card, the common views,
/// and the memo of pages' own views.
pub struct Frame<'a> {
    pub site: &'a Site,
    pub bodies: &'a Bodies,
    pub cards: &'a [Piece],
    pub common: &'a Common,
    pub views: &'a Memo<Piece>,
    pub lists: &'a Memo<Piece>,
    /// The site's URLs, hashed once: every link is made with them.
    pub urls: &'a Hashed<&'a Urls>,
}

/// What a list page's pager is made from.
#[derive(Hash)]
struct PagerInput<'a> {
    base: &'a UrlPath,
    count: usize,
    per_page: usize,
    current: usize,
    urls: &'a Hashed<&'a Urls>,
}

/// What a term page's own view is made from.
#[derive(Hash)]
struct TermInput<'a> {
    name: &'a str,
    path: &'a UrlPath,
    count: usize,
    urls: &'a Hashed<&'a Urls>,
}

impl Frame<'_> {
    /// What `job`'s template sees.
    pub fn needs(&self, job: &Job) -> Needs {
        let site = self.site;
        let mut needs = Needs::default();
        let url = site.urls.href(&job.path);
        let permalink = site.urls.absolute(&job.path);
        needs.add("menu", Need::Piece(self.common.menu.of(&url)));
        needs.add("current_url", Need::Text(url));
        needs.add("current_permalink", Need::Text(permalink));
        match job.what {
            What::Home => self.home(&mut needs),
            What::Page(id) => {
                let body = self.bodies.page(id);
                let links = &self.common.links;
                let input = context::page_view_input(site, id, &body, self.cards, links, self.urls);
                let view = memo::piece(self.views, &input, context::page_view_value);
                let card = self.cards[id].clone();
                needs.add("page", Need::Page { card, view });
                let section = site.pages[id].section;
                needs.add(
                    "section",
                    Need::Piece(self.common.sections[section].clone()),
                );
            }
            What::Section { id, number } => {
                let s = &site.sections[id];
                needs.add("section", Need::Piece(self.common.sections[id].clone()));
                needs.add("pages", self.slice(&s.pages, s.paginate_by, number));
                let pager = self.pager(&s.path, s.pages.len(), s.paginate_by, number);
                needs.add("paginator", Need::Piece(pager));
                if let Some(levels) = &self.common.levels[id] {
                    needs.add("documents_by_level", Need::Piece(levels.clone()));
                }
            }
            What::TaxonomyList { tags } => {
                needs.add("taxonomy", Need::Piece(self.common.taxonomy(tags)));
            }
            What::Term { tags, term, number } => {
                let tax = if tags { &site.tags } else { &site.categories };
                let t = &tax.terms[term];
                needs.add("taxonomy", Need::Piece(self.common.taxonomy(tags)));
                let input = TermInput {
                    name: &t.name,
                    path: &t.path,
                    count: t.pages.len(),
                    urls: self.urls,
                };
                let view = memo::piece(self.lists, &input, |i| {
                    Value::from_serializable(&TermView {
                        title: i.name.to_owned(),
                        url: site.urls.href(i.path),
                        count: i.count,
                    })
                });
                needs.add("term", Need::Piece(view));
                needs.add("pages", self.slice(&t.pages, tax.paginate_by, number));
                let pager = self.pager(&t.path, t.pages.len(), tax.paginate_by, number);
                needs.add("paginator", Need::Piece(pager));
            }
            What::NotFound | What::Search => {}
        }
        needs
    }

    fn home(&self, needs: &mut Needs) {
        let site = self.site;
        let mut by_date: Vec<PageId> = (0..site.pages.len()).collect();
        site.sort_newest_first(&mut by_date);
        let of_kind = |kind: PageKind, n: usize| -> Need {
            let ids = by_date.iter().filter(|&&id| {
                site.pages[id].page.kind == kind && site.pages[id].page.meta.date.is_some()
            });
            Need::Cards(ids.take(n).map(|&id| self.cards[id].clone()).collect())
        };
        let pinned = (by_date.iter())
            .filter(|&&id| site.pages[id].page.meta.pinned)
            .map(|&id| self.cards[id].clone())
            .collect();
        let sections: Vec<Piece> = site.sections[0]
            .subsections
            .iter()
            .map(|&id| {
                let mut v = section_view(site, self.bodies, id);
                v.latest = (site.sections[id].pages.iter().take(5))
                    .map(|&p| self.cards[p].clone())
                    .collect();
                Piece::of(&v)
            })
            .collect();
        let documents: Vec<PageId> = by_date
            .iter()
            .copied()
            .filter(|&id| site.pages[id].page.kind == PageKind::Document)
            .collect();
        let home = section_view(site, self.bodies, 0);
        needs.add("section", Need::Piece(Piece::of(&home)));
        needs.add("latest", of_kind(PageKind::Article, 10));
        needs.add("stories", of_kind(PageKind::Story, 6));
        needs.add("pinned", Need::Cards(pinned));
        needs.add("sections", Need::Cards(sections));
        let levels = by_level(site, self.cards, &documents);
        needs.add("documents_by_level", Need::Piece(Piece::of(&levels)));
    }

    /// Page `current`'s pager of a list of `count` pages at `base`.
    fn pager(&self, base: &UrlPath, count: usize, per_page: usize, current: usize) -> Piece {
        let input = PagerInput {
            base,
            count,
            per_page,
            current,
            urls: self.urls,
        };
        memo::piece(self.lists, &input, |i| {
            let pager = paginator(self.site, i.base, i.count, i.per_page, i.current);
            Value::from_serializable(&pager)
        })
    }

    fn slice(&self, ids: &[PageId], per_page: usize, number: usize) -> Need {
        let shown = pager_slice(ids, per_page, number);
        Need::Cards(shown.iter().map(|&id| self.cards[id].clone()).collect())
    }
}

/// The pages listed on pager page `number` (from 1) of a list of `ids`.
pub(super) fn pager_slice(ids: &[PageId], per_page: usize, number: usize) -> &[PageId] {
    let per_page = per_page.max(1);
    let start = ((number - 1) * per_page).min(ids.len());
    &ids[start..(start + per_page).min(ids.len())]
}

/// Documents grouped Trung ương / Thành phố / Xã, then those without a level.
fn by_level(site: &Site, cards: &[Piece], ids: &[PageId]) -> Vec<LevelGroup> {
    let level_of = |id: PageId| {
        site.pages[id]
            .page
            .meta
            .document
            .as_ref()
            .and_then(|d| d.level.clone())
    };
    let docs: Vec<PageId> = ids
        .iter()
        .copied()
        .filter(|&id| site.pages[id].page.meta.document.is_some())
        .collect();
    let mut groups: Vec<LevelGroup> = LEVELS
        .iter()
        .map(|level| LevelGroup {
            level: (*level).to_owned(),
            documents: docs
                .iter()
                .filter(|&&id| level_of(id).as_deref() == Some(*level))
                .map(|&id| cards[id].clone())
                .collect(),
        })
        .collect();
    groups.push(LevelGroup {
        level: crate::messages::OTHER_LEVEL.into(),
        documents: docs
            .iter()
            .filter(|&&id| level_of(id).is_none())
            .map(|&id| cards[id].clone())
            .collect(),
    });
    groups.retain(|g| !g.documents.is_empty());
    groups
}

#[derive(Serialize, Hash)]
struct SectionView<'a> {
    title: &'a str,
    url: String,
    permalink: String,
    description: Option<&'a str>,
    content: &'a str,
    kind: &'static str,
    feed_url: String,
    page_count: usize,
    breadcrumbs: Vec<LinkView>,
    subsections: Vec<LinkView>,
    latest: Vec<Piece>,
    extra: Option<&'a crate::yaml::Extra>,
}

fn section_view<'a>(site: &'a Site, bodies: &'a Bodies, id: SectionId) -> SectionView<'a> {
    let s = &site.sections[id];
    let urls = &site.urls;
    SectionView {
        title: &s.title,
        url: urls.href(&s.path),
        permalink: urls.absolute(&s.path),
        description: s
            .section
            .as_ref()
            .and_then(|x| x.meta.description.as_deref()),
        content: bodies.sections.get(id).map_or("", |b| b.html.as_str()),
        kind: s.kind.as_str(),
        feed_url: urls.href(&s.path.feed()),
        page_count: s.pages.len(),
        breadcrumbs: section_trail(site, id),
        subsections: s
            .subsections
            .iter()
            .map(|&c| LinkView {
                title: site.sections[c].title.clone(),
                url: urls.href(&site.sections[c].path),
            })
            .collect(),
        latest: Vec::new(),
        extra: s.section.as_ref().map(|x| &x.meta.extra),
    }
}

#[derive(Serialize, Hash)]
struct TaxonomyView {
    title: String,
    url: String,
    terms: Vec<TermView>,
}

fn taxonomy_view(site: &Site, tax: &Taxonomy) -> TaxonomyView {
    TaxonomyView {
        title: tax.title.clone(),
        url: site.urls.href(&tax.path),
        terms: term_views(site, tax),
    }
}

fn paginator(
    site: &Site,
    base: &UrlPath,
    count: usize,
    per_page: usize,
    current: usize,
) -> Paginator {
    let total = Site::pager_count(count, per_page);
    let url = |n: usize| site.urls.href(&Site::pager_path(base, n));
    Paginator {
        current,
        total,
        previous: (current > 1).then(|| url(current - 1)),
        next: (current < total).then(|| url(current + 1)),
        pages: window(total, current)
            .into_iter()
            .map(|n| PagerLink {
                number: n,
                url: url(n),
                current: n == current,
                gap_before: false,
            })
            .collect::<Vec<_>>()
            .into_iter()
            .scan(0, |last, mut link| {
                link.gap_before = link.number > *last + 1 && *last > 0;
                *last = link.number;
                Some(link)
            })
            .collect(),
    }
}

/// Pages for a feed: the whole site (`None`) or one section, dated, newest first.
pub fn feed_pages(site: &Site, section: Option<SectionId>) -> Vec<PageId> {
    let mut ids: Vec<PageId> = match section {
        Some(s) => site.sections[s].pages.clone(),
        None => (0..site.pages.len())
            .filter(|&id| site.pages[id].page.kind != PageKind::Page)
            .collect(),
    };
    ids.retain(|&id| site.pages[id].page.meta.date.is_some());
    site.sort_newest_first(&mut ids);
    ids
}
