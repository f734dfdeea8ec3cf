//! What each rendered file depends on, as one number, so `serve` re-renders only the files whose
//! inputs changed: editing an article's body re-renders that article; editing its first
//! paragraph also re-renders the lists that show its summary.
//!
//! The hashes mirror what `context` and `views` put into templates. Anything a template can see
//! must feed a hash here, or a stale page would be served: the `serve` tests compare every file
//! with a full build after a series of edits.

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use super::views::{Job, What, pager_slice};
use crate::content::{Page, PageKind};
use crate::fast_hash::{FastMap, FxHasher};
use crate::markdown::Rendered;
use crate::site::{PageId, SectionId, Site, SitePage, Term};

/// Hashes of the pieces of the site, computed once per build.
pub struct Fingerprints {
    /// Every section, the configuration and the taxonomies: what every page can see.
    base: u64,
    /// What a page's card (its entry in lists) shows.
    cards: Vec<u64>,
    /// What the page's own file shows.
    pages: Vec<u64>,
    sections: Vec<u64>,
}

/// FxHash: the inputs are our own content, not crafted to collide, and 64 bits make an
/// accidental collision between two versions of a file unlikely; SipHash took most of the time
/// `serve` spent on fingerprints.
fn hash_of(value: impl Hash) -> u64 {
    let mut h = FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

fn term(t: &Term) -> (&str, &str, usize) {
    (&t.name, t.path.as_str(), t.pages.len())
}

impl Fingerprints {
    /// `config` is the configuration's own fingerprint (its text).
    pub fn new(site: &Site, config: u64, owns: &mut OwnPrints) -> Fingerprints {
        let sections: Vec<u64> = (0..site.sections.len()).map(|s| section(site, s)).collect();
        let terms: Vec<(&str, &str, usize)> = site
            .tags
            .terms
            .iter()
            .chain(&site.categories.terms)
            .map(term)
            .collect();
        let base = hash_of((config, &sections, &terms, site.pages.len()));
        let own = owns.update(site);
        let cards: Vec<u64> = (0..site.pages.len())
            .into_par_iter()
            .map(|id| card_with(site, id, own[id]))
            .collect();
        let pages = (0..site.pages.len())
            .into_par_iter()
            .map(|id| page(site, id, &cards))
            .collect();
        Fingerprints {
            base,
            cards,
            pages,
            sections,
        }
    }

    /// The fingerprint of page `id`'s card.
    pub fn card(&self, id: PageId) -> u64 {
        self.cards[id]
    }

    /// The fingerprint of what the search index reads of page `id`: its card and its body.
    pub fn search_entry(&self, site: &Site, id: PageId) -> u64 {
        search_print(self.cards[id], site.pages[id].rendered.hash)
    }

    /// The fingerprint of one job's output.
    pub fn job(&self, site: &Site, job: &Job) -> u64 {
        let mut h = FxHasher::default();
        (self.base, &job.template, job.path.as_str()).hash(&mut h);
        match job.what {
            What::Home => self.cards.hash(&mut h),
            What::Page(id) => self.pages[id].hash(&mut h),
            What::Section { id, number } => {
                let s = &site.sections[id];
                (self.sections[id], number, s.paginate_by).hash(&mut h);
                // A list shows the cards of its page (the section's page count is in
                // `sections`); the document table shows every document of the section.
                let shown = if s.kind == PageKind::Document {
                    &s.pages[..]
                } else {
                    pager_slice(&s.pages, s.paginate_by, number)
                };
                for &p in shown {
                    self.cards[p].hash(&mut h);
                }
            }
            What::TaxonomyList { tags } => tags.hash(&mut h),
            What::Term {
                tags,
                term: t,
                number,
            } => {
                let tax = if tags { &site.tags } else { &site.categories };
                (tags, term(&tax.terms[t]), number, tax.paginate_by).hash(&mut h);
                for &p in pager_slice(&tax.terms[t].pages, tax.paginate_by, number) {
                    self.cards[p].hash(&mut h);
                }
            }
            What::NotFound | What::Search => {}
        }
        h.finish()
    }
}

fn section(site: &Site, id: SectionId) -> u64 {
    let s = &site.sections[id];
    let meta = s.section.as_ref().map(|x| (&x.meta, &x.file));
    hash_of((
        &s.title,
        s.path.as_str(),
        s.kind,
        s.parent,
        &s.subsections,
        s.pages.len(),
        s.paginate_by,
        meta,
        s.rendered.hash,
    ))
}

/// What the search index reads of a page: its card and its body.
pub fn search_print(card: u64, body: u64) -> u64 {
    hash_of((card, body))
}

pub fn card(site: &Site, id: PageId) -> u64 {
    card_with(site, id, own(&site.pages[id]))
}

/// [`card`], given the print of what the page's own file and body put in it.
fn card_with(site: &Site, id: PageId, own: u64) -> u64 {
    let p = &site.pages[id];
    let category = p.category.map(|c| term(&site.categories.terms[c]));
    let section = &site.sections[p.section];
    hash_of((
        own,
        p.path.as_str(),
        p.asset_base.as_str(),
        p.status,
        category,
        (&section.title, section.path.as_str()),
    ))
}

/// What a card shows from the page's file and body: most of its print, and all of the slow
/// part (the whole front matter, the summary).
fn own(p: &SitePage) -> u64 {
    hash_of((
        &p.page.meta,
        p.page.kind,
        p.page.image_size,
        &p.rendered.summary_html,
    ))
}

/// The [`own`] prints of the last build by the `Arc`s of the page and body they were made
/// from: `serve` keeps an unchanged page's `Arc`s, so its print is found, not hashed again. The
/// `Arc`s are held here, so their addresses cannot be reused by other pages meanwhile.
#[derive(Default)]
pub struct OwnPrints(FastMap<(usize, usize), Held>);

/// A print with the `Arc`s it was made from.
struct Held {
    _page: Arc<Page>,
    _rendered: Arc<Rendered>,
    print: u64,
}

impl OwnPrints {
    fn key(p: &SitePage) -> (usize, usize) {
        (
            Arc::as_ptr(&p.page) as usize,
            Arc::as_ptr(&p.rendered) as usize,
        )
    }

    /// Every page's [`own`] print; keeps them for the next build.
    fn update(&mut self, site: &Site) -> Vec<u64> {
        let known = &self.0;
        let prints: Vec<u64> = site
            .pages
            .par_iter()
            .map(|p| known.get(&Self::key(p)).map_or_else(|| own(p), |k| k.print))
            .collect();
        self.0 = (site.pages.iter().zip(&prints))
            .map(|(p, &print)| {
                let held = Held {
                    _page: p.page.clone(),
                    _rendered: p.rendered.clone(),
                    print,
                };
                (Self::key(p), held)
            })
            .collect();
        prints
    }
}

fn page(site: &Site, id: PageId, cards: &[u64]) -> u64 {
    let p = &site.pages[id];
    let mut h = FxHasher::default();
    // The source path names the file (hashing a `Path` walks its components).
    (cards[id], p.rendered.hash, &p.page.source, p.section).hash(&mut h);
    p.tags.len().hash(&mut h);
    for &t in &p.tags {
        term(&site.tags.terms[t]).hash(&mut h);
    }
    for n in [p.prev, p.next] {
        n.map(|n| (&site.pages[n].page.meta.title, site.pages[n].path.as_str()))
            .hash(&mut h);
    }
    // Each list with its length, so that a page moving from one list to the next counts.
    for ids in [&p.cites, &p.implements, &p.implemented_by, &p.cited_by] {
        ids.len().hash(&mut h);
        for &i in ids {
            cards[i].hash(&mut h);
        }
    }
    h.finish()
}
