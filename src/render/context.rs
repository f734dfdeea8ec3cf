//! What templates see: plain serialisable views of the graph, built once per page and shared.
//!
//! Dates are RFC 3339 strings (format them with the `vn_date` filter); every URL is already
//! built by `Urls`, so templates never concatenate paths. Every view is `Hash`: it hashes as
//! exactly what it serialises to (shared parts as the digest of what made them), which is
//! what `serve` keys each rendered file by.

use serde::Serialize;

use super::Piece;
use crate::content::{PageKind, PageMeta};
use crate::images::{Picture, Pictures};
use crate::markdown::Body;
use crate::memo::Hashed;
use crate::site::{PageId, SectionId, Site, Status};
use crate::urls::{UrlPath, Urls};
use std::path::Path;
use tera::Value;

/// A link with its text, for menus, breadcrumbs, tags and neighbours.
#[derive(Serialize, Clone, Hash)]
pub struct LinkView {
    pub title: String,
    pub url: String,
}

/// A page as shown in lists (cards, feeds of links).
#[derive(Serialize)]
pub struct CardView<'a> {
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    /// The page's language (`vi`, `en`): a card of an English page in a Vietnamese list is
    /// marked so screen readers read it in English.
    pub language: &'static str,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub summary: Option<&'a str>,
    pub summary_html: &'a str,
    pub image: Option<String>,
    /// The image's absolute URL, for share previews.
    pub image_absolute: Option<String>,
    pub image_alt: Option<&'a str>,
    /// The share preview's size (the cover's own when it has no preview of its own).
    pub image_width: Option<u32>,
    pub image_height: Option<u32>,
    /// The cover as `<picture>`, when it is one of the site's photos.
    pub image_html: Option<String>,
    /// The category's and the section's links, shared by every card of them ([`CardLinks`]).
    pub category: Option<&'a Piece>,
    pub section: &'a Piece,
    pub pinned: bool,
    pub status: Status,
    pub expiry_date: Option<String>,
    pub document: Option<DocumentView<'a>>,
}

/// The `document:` block as shown on a document page and in the document list.
#[derive(Serialize)]
pub struct DocumentView<'a> {
    pub number: Option<&'a str>,
    pub number_slug: Option<String>,
    pub is_party: bool,
    #[serde(rename = "type")]
    pub doc_type: Option<&'a str>,
    pub issuer: Option<&'a str>,
    pub issued: Option<String>,
    pub effective: Option<String>,
    pub signer: Option<&'a str>,
    #[serde(rename = "abstract")]
    pub abstract_text: &'a str,
    pub level: Option<&'a str>,
    pub file: Option<String>,
    /// The file's kind and size, `PDF, 1,2 MB`, when it is one of the site's own.
    pub file_label: Option<String>,
    pub source: Option<&'a str>,
}

/// What a page's own template needs on top of its card.
#[derive(Serialize)]
pub struct PageView<'a> {
    #[serde(flatten)]
    pub body: BodyView<'a>,
    pub author: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub place: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub tags: Picks<'a>,
    pub breadcrumbs: Vec<Crumb<'a>>,
    pub prev: Option<LinkView>,
    pub next: Option<LinkView>,
    /// Documents this page names.
    pub documents: Picks<'a>,
    /// Document pages: documents this one carries out, and those carrying it out.
    pub implements: Picks<'a>,
    pub implemented_by: Picks<'a>,
    /// Document pages: pages naming this document.
    pub cited_by: Picks<'a>,
    pub source_file: String,
    pub extra: &'a crate::yaml::Extra,
    /// `vi` or `en`: the page's `lang`.
    pub language: &'static str,
    /// The same page in other languages, for `hreflang` and a link to each.
    pub translations: Vec<TranslationView>,
}

/// A page's counterpart in another language.
#[derive(Serialize)]
pub struct TranslationView {
    pub language: &'static str,
    pub title: String,
    /// Absolute: `hreflang` links need it.
    pub url: String,
    /// From the site's root, for a link in the page (it works in the preview too).
    pub href: String,
}

/// What a page shows of its rendered body. Hashes as the body's digest (made once per body),
/// not as its 6 KB of HTML.
pub struct BodyView<'a>(pub &'a Body);

impl std::hash::Hash for BodyView<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl Serialize for BodyView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let body = &self.0;
        let mut map = s.serialize_map(Some(4))?;
        map.serialize_entry("content", &body.html)?;
        map.serialize_entry("toc", &body.toc)?;
        map.serialize_entry("word_count", &body.word_count)?;
        // Minutes, at 200 words a minute, at least 1.
        map.serialize_entry("reading_time", &body.word_count.div_ceil(200).max(1))?;
        map.end()
    }
}

/// One step of a page's breadcrumbs: a section's link, shared, or the page's own.
#[derive(Serialize, Hash)]
#[serde(untagged)]
pub enum Crumb<'a> {
    Section(&'a Piece),
    Page(LinkView),
}

/// The section and category links of cards, one `Value` per section and per category that
/// every card of it shares: copied into each card, they took a third of the cards' memory.
pub struct CardLinks<'a> {
    sections: Vec<Piece>,
    categories: Vec<Piece>,
    /// Hashed once, not once per card.
    urls: &'a Hashed<&'a Urls>,
    pictures: &'a Pictures,
    attachments: &'a crate::attachments::Attachments,
}

impl<'a> CardLinks<'a> {
    pub fn new(
        site: &Site,
        urls: &'a Hashed<&'a Urls>,
        shown: crate::markdown::Files<'a>,
    ) -> CardLinks<'a> {
        CardLinks {
            urls,
            pictures: shown.pictures,
            attachments: shown.attachments,
            sections: (0..site.sections.len())
                .map(|s| Piece::of(&section_link(site, s)))
                .collect(),
            categories: (site.categories.terms.iter())
                .map(|t| Piece::of(&term_link(site, t)))
                .collect(),
        }
    }
}

/// The links pages show that many pages share, as `Value`s made once: each section's trail
/// of breadcrumbs, each tag's link.
pub struct PageLinks {
    trails: Vec<Vec<Piece>>,
    tags: Vec<Piece>,
}

impl PageLinks {
    pub fn new(site: &Site) -> PageLinks {
        PageLinks {
            trails: (0..site.sections.len())
                .map(|s| section_trail(site, s).iter().map(Piece::of).collect())
                .collect(),
            tags: (site.tags.terms.iter())
                .map(|t| Piece::of(&term_link(site, t)))
                .collect(),
        }
    }
}

fn section_link(site: &Site, id: SectionId) -> LinkView {
    let section = &site.sections[id];
    LinkView {
        title: section.title.clone(),
        url: site.urls.href(&section.path),
    }
}

/// Everything page `id`'s card is made from, by reference: hashed to find the card of the
/// last build, and made into a [`CardView`] only when it is not there.
#[derive(Hash)]
pub struct CardInput<'a> {
    meta: &'a Hashed<PageMeta>,
    kind: PageKind,
    image_size: Option<(u32, u32)>,
    /// The cover, when it is one of the site's published images.
    cover: Option<&'a Picture>,
    /// The document's `file:`, when it is one of the site's attachments.
    file: Option<&'a crate::attachments::Attachment>,
    sizes: &'a str,
    summary_html: &'a Hashed<String>,
    path: &'a UrlPath,
    asset_base: &'a UrlPath,
    status: Status,
    category: Option<&'a Piece>,
    section: &'a Piece,
    urls: &'a Hashed<&'a Urls>,
}

pub fn card_input<'a>(
    site: &'a Site,
    id: PageId,
    body: &'a Body,
    links: &'a CardLinks,
) -> CardInput<'a> {
    let p = &site.pages[id];
    CardInput {
        meta: &p.page.meta,
        kind: p.page.kind,
        image_size: p.page.image_size,
        cover: (p.page.meta.image.as_deref())
            .and_then(|v| crate::images::cover_rel(&p.asset_base, v))
            .and_then(|rel| links.pictures.get(&rel))
            .map(|p| &**p),
        sizes: &site.config.images.sizes,
        file: (p.page.meta.document.as_ref())
            .and_then(|d| d.file.as_deref())
            .and_then(|v| crate::images::cover_rel(&p.asset_base, v))
            .and_then(|rel| links.attachments.get(&rel)),
        summary_html: &body.summary_html,
        path: &p.path,
        asset_base: &p.asset_base,
        status: p.status,
        category: p.category.map(|c| &links.categories[c]),
        section: &links.sections[p.section],
        urls: links.urls,
    }
}

/// The card of `input` as templates see it.
pub fn card_value(input: &CardInput) -> Value {
    Value::from_serializable(&card(input))
}

fn card<'a>(i: &CardInput<'a>) -> CardView<'a> {
    let m = i.meta;
    let urls = i.urls;
    let asset = |f: &str| asset_url(urls, i.asset_base, f);
    let cover = i
        .cover
        .map(|c| cover_view(c, urls, m.image_alt.as_deref().unwrap_or(""), i.sizes));
    let (image, image_absolute, image_size, image_html) = match cover {
        Some(c) => (
            Some(c.href),
            Some(c.share),
            Some(c.share_size),
            Some(c.html),
        ),
        None => (
            m.image.as_deref().map(asset),
            m.image
                .as_deref()
                .map(|f| absolute_asset_url(urls, i.asset_base, f)),
            i.image_size,
            None,
        ),
    };
    CardView {
        title: &m.title,
        url: urls.href(i.path),
        permalink: urls.absolute(i.path),
        kind: i.kind.as_str(),
        language: m.language.code(),
        date: m.date.map(|d| d.to_rfc3339()),
        updated: m.updated.map(|d| d.to_rfc3339()),
        summary: m.summary.as_deref(),
        summary_html: i.summary_html,
        image,
        image_absolute,
        image_alt: m.image_alt.as_deref(),
        image_width: image_size.map(|s| s.0),
        image_height: image_size.map(|s| s.1),
        image_html,
        category: i.category,
        section: i.section,
        pinned: m.pinned,
        status: i.status,
        expiry_date: m.expiry_date.map(|d| d.to_rfc3339()),
        document: m.document.as_ref().map(|d| DocumentView {
            number: d.number.as_ref().map(|n| n.value.as_str()),
            number_slug: d
                .number
                .as_ref()
                .map(|n| crate::text::slugify(n.value.as_str())),
            is_party: d.number.as_ref().is_some_and(|n| n.value.is_party()),
            doc_type: d.doc_type.as_deref(),
            issuer: d.issuer.as_deref(),
            issued: d.issued.map(|x| x.to_rfc3339()),
            effective: d.effective.map(|x| x.to_rfc3339()),
            signer: d.signer.as_deref(),
            abstract_text: &d.abstract_text,
            level: d.level.as_deref(),
            file: d.file.as_deref().map(asset),
            file_label: i.file.map(crate::attachments::Attachment::label),
            source: d.source.as_deref(),
        }),
    }
}

/// What a card shows of a cover that is one of the site's photos.
struct CoverView {
    /// The widest fallback file.
    href: String,
    /// The share preview's absolute URL and size (the widest file's when there is none).
    share: String,
    share_size: (u32, u32),
    html: String,
}

fn cover_view(c: &Picture, urls: &Urls, alt: &str, sizes: &str) -> CoverView {
    let base = urls.base_path();
    let href = crate::images::largest_href(c, base);
    let html = crate::images::picture_html(c, base, alt, "", sizes, crate::images::Loading::First);
    let p = &c.planned;
    let widest = p.widths.last().map_or(p.size, |&w| (w, p.height_at(w)));
    let (share, share_size) = match &c.og {
        Some(rel) => (urls.absolute(&UrlPath::file(rel)), p.og_size()),
        None => (format!("{}{href}", urls.origin()), widest),
    };
    CoverView {
        href,
        share,
        share_size,
        html,
    }
}

/// Pages picked from every card (`ids` into `cards`): hashed as their cards' digests,
/// serialised as the cards.
#[derive(Clone, Copy)]
pub struct Picks<'a> {
    ids: &'a [PageId],
    cards: &'a [Piece],
}

impl std::hash::Hash for Picks<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_usize(self.ids.len());
        for &id in self.ids {
            self.cards[id].hash(state);
        }
    }
}

impl Serialize for Picks<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.ids.iter().map(|&id| &self.cards[id]))
    }
}

/// Everything page `id`'s own view is made from, by reference: hashed to find the view of
/// the last build, and made into a [`PageView`] only when it is not there.
#[derive(Hash)]
pub struct PageViewInput<'a> {
    meta: &'a Hashed<PageMeta>,
    body: BodyView<'a>,
    tags: Picks<'a>,
    trail: &'a [Piece],
    path: &'a UrlPath,
    /// The previous and next pages' titles and URLs.
    neighbours: [Option<(&'a str, &'a UrlPath)>; 2],
    documents: Picks<'a>,
    implements: Picks<'a>,
    implemented_by: Picks<'a>,
    cited_by: Picks<'a>,
    /// The same page in other languages: language, title, path.
    translations: Vec<(crate::content::Language, &'a str, &'a UrlPath)>,
    /// The file, as its bytes: `Path`'s own hash splits it into components.
    file: &'a std::ffi::OsStr,
    urls: &'a Hashed<&'a Urls>,
}

/// What page `id`'s own template reads besides its card (`cards` by page id).
pub fn page_view_input<'a>(
    site: &'a Site,
    id: PageId,
    body: &'a Body,
    cards: &'a [Piece],
    links: &'a PageLinks,
    urls: &'a Hashed<&'a Urls>,
) -> PageViewInput<'a> {
    let p = &site.pages[id];
    let neighbour = |n: Option<PageId>| {
        n.map(|n| (site.pages[n].page.meta.title.as_str(), &site.pages[n].path))
    };
    let picks = |ids: &'a [PageId]| Picks { ids, cards };
    PageViewInput {
        meta: &p.page.meta,
        body: BodyView(body),
        tags: Picks {
            ids: &p.tags,
            cards: &links.tags,
        },
        trail: &links.trails[p.section],
        path: &p.path,
        neighbours: [neighbour(p.prev), neighbour(p.next)],
        documents: picks(&p.cites),
        implements: picks(&p.implements),
        implemented_by: picks(&p.implemented_by),
        cited_by: picks(&p.cited_by),
        translations: (p.translations.iter())
            .map(|&t| {
                let other = &site.pages[t];
                (
                    other.page.meta.language,
                    other.page.meta.title.as_str(),
                    &other.path,
                )
            })
            .collect(),
        file: p.page.file.as_os_str(),
        urls,
    }
}

/// The page view of `input` as templates see it.
pub fn page_view_value(input: &PageViewInput) -> Value {
    Value::from_serializable(&page_view(input))
}

fn page_view<'a>(i: &PageViewInput<'a>) -> PageView<'a> {
    let m = i.meta;
    let link = |(title, path): (&str, &UrlPath)| LinkView {
        title: title.to_owned(),
        url: i.urls.href(path),
    };
    let mut breadcrumbs: Vec<Crumb> = i.trail.iter().map(Crumb::Section).collect();
    breadcrumbs.push(Crumb::Page(link((&m.title, i.path))));
    PageView {
        body: BodyView(i.body.0),
        author: m.author.as_deref(),
        unit: m.unit.as_deref(),
        place: m.place.as_deref(),
        subject: m.subject.as_deref(),
        tags: i.tags,
        breadcrumbs,
        prev: i.neighbours[0].map(link),
        next: i.neighbours[1].map(link),
        documents: i.documents,
        implements: i.implements,
        implemented_by: i.implemented_by,
        cited_by: i.cited_by,
        source_file: Path::new(i.file).to_string_lossy().replace('\\', "/"),
        extra: &m.extra,
        language: m.language.code(),
        translations: (i.translations.iter())
            .map(|(language, title, path)| TranslationView {
                language: language.code(),
                title: (*title).to_owned(),
                url: i.urls.absolute(path),
                href: i.urls.href(path),
            })
            .collect(),
    }
}

/// Home page → … → this section, as links.
pub fn section_trail(site: &Site, id: SectionId) -> Vec<LinkView> {
    let mut ids = site.ancestors(id);
    ids.push(id);
    ids.iter()
        .map(|&s| LinkView {
            title: site.sections[s].title.clone(),
            url: site.urls.href(&site.sections[s].path),
        })
        .collect()
}

fn term_link(site: &Site, term: &crate::site::Term) -> LinkView {
    LinkView {
        title: term.name.clone(),
        url: site.urls.href(&term.path),
    }
}

/// `asset_url`, made absolute (`https://…`) unless it already is.
pub(crate) fn absolute_asset_url(urls: &Urls, base: &UrlPath, value: &str) -> String {
    let href = asset_url(urls, base, value);
    if href.contains("://") {
        href
    } else {
        format!("{}{}", urls.origin(), href)
    }
}

/// A page's image or attachment: absolute and root-relative URLs stay; a bare name is a
/// bundle asset beside the page.
fn asset_url(urls: &Urls, page_path: &UrlPath, value: &str) -> String {
    let v = value.trim();
    if v.contains("://") || v.starts_with("//") {
        v.to_owned()
    } else if let Some(rest) = v.strip_prefix('/') {
        urls.href(&UrlPath::file(rest))
    } else {
        urls.href(&page_path.join(v))
    }
}
