//! Markdown → HTML for one page: heading ids and table of contents, `@/` links, images,
//! footnotes, raw HTML sanitising, the summary.
//!
//! Runs after `site` has placed every page (so `@/` links can be resolved to URLs) and before
//! `render` (which wraps the HTML in templates). The event loop only dispatches; each rewrite
//! lives in its own function or module. Anchors of `@/…#x` links are checked once all pages are
//! rendered (`check_anchors`), since they need the target's heading ids.

mod headings;
mod html;
mod links;
mod text;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Kind};
use crate::fast_hash::FastMap;
use crate::images::Pictures;
use crate::memo::{Hashed, Text};
use crate::site::{LinkTarget, Node, PageId, Site};
use crate::text::slugify;
use crate::urls::{UrlPath, Urls};
pub use headings::Heading;
pub use html::{decode_entities, escape_attr, is_dangerous_url};
pub use text::Runs;

/// What the Markdown stage produces for a page or section body.
#[derive(Debug, Default, Clone, Hash)]
pub struct Rendered {
    pub html: String,
    /// The part before `<!-- more -->`, else the first paragraph. Hashed on its own: a card
    /// shows it, and must not change when the rest of the body does.
    pub summary_html: Hashed<String>,
    /// Where the text the body shows lies in `html` (`text.rs`): what the search index reads.
    pub text: Runs,
    /// The same in `summary_html`.
    pub summary_text: Runs,
    /// Nested table of contents.
    pub toc: Vec<Heading>,
    /// Every heading id, for anchor checks.
    pub heading_ids: Vec<String>,
    /// `@/` links that carry an anchor, checked after every page is rendered.
    pub anchored_links: Vec<AnchoredLink>,
    /// Every other link and image, as rendered, for `cds check`.
    pub links: Vec<LinkUse>,
    pub word_count: usize,
}

/// A link or image of a body (not `@/`, not `#anchor`), as rendered, and where it was written.
#[derive(Debug, Clone, Hash)]
pub struct LinkUse {
    /// The URL in the HTML: root-relative for the site's own files, absolute for others.
    pub url: String,
    /// Where the URL is written: a byte offset in the file's text ([`crate::text::Locator`]
    /// tells the line and column, for the rare link a diagnostic is about).
    pub offset: usize,
    pub image: bool,
    /// An image with no alt text.
    pub alt_missing: bool,
}

/// An `@/page.md#anchor` link and where it was written.
#[derive(Debug, Clone, Hash)]
pub struct AnchoredLink {
    pub source: String,
    pub anchor: String,
    pub line: usize,
    pub col: usize,
}

/// What rendering one body needs besides the text.
pub struct MarkdownContext<'a> {
    /// The file, relative to the site root, for diagnostics.
    pub file: &'a Path,
    /// The whole file text, to quote lines.
    pub text: &'a str,
    pub body_offset: usize,
    pub link_targets: &'a FastMap<String, LinkTarget>,
    pub urls: &'a Urls,
    /// Makes footnote ids unique when several bodies share a page (lists, home).
    pub id_prefix: &'a str,
    /// Root-relative URL of the page, so footnote links also work from a summary shown elsewhere.
    pub page_href: String,
    /// Root-relative URL of the folder that relative links and images resolve against: the page
    /// itself for a bundle, else the folder its file sits in.
    pub base_href: String,
    pub unsafe_html: bool,
    pub smart_punctuation: bool,
    /// The site's published images, by output path.
    pub pictures: &'a Pictures,
    /// The site's attachments, by output path.
    pub attachments: &'a crate::attachments::Attachments,
    /// Every file of the site besides pages, by output path.
    pub own: &'a std::collections::BTreeMap<String, std::path::PathBuf>,
    /// How wide an image is shown (`sizes`).
    pub image_sizes: &'a str,
    /// The page shows a cover above the body: no body image is the page's first.
    pub cover: bool,
}

fn options(smart_punctuation: bool) -> Options {
    let mut o = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES;
    if smart_punctuation {
        o |= Options::ENABLE_SMART_PUNCTUATION;
    }
    o
}

/// An event with the byte range of the body it comes from.
type Spanned<'a> = (Event<'a>, std::ops::Range<usize>);

/// Renders one body. Problems (broken links) come back beside the result.
pub fn render(body: &str, cx: &MarkdownContext) -> (Rendered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let mut events: Vec<Spanned> = Parser::new_ext(body, options(cx.smart_punctuation))
        .into_offset_iter()
        .collect();

    // Raw HTML first: everything after this point emits trusted HTML of its own.
    html::sanitize(&mut events, cx.unsafe_html);
    let mut events = html::balance_tags(events);
    let (toc, heading_ids) = headings::assign_ids(&mut events);
    let mut found = links::Found::default();
    links::rewrite(&mut events, cx, &mut found, &mut diags);
    let links::Found {
        anchored: anchored_links,
        uses: links,
    } = found;
    let events = rewrite_footnotes(events, cx.id_prefix, &cx.page_href);
    let word_count = count_words(&events);

    let summary_events = summary_events(&events);
    let mut out = String::with_capacity(body.len() + body.len() / 4);
    let body_events = events.into_iter().map(|(e, _)| e);
    let text = text::push_html(&mut out, body_events.filter(|e| !is_more_marker(e)));
    // Kept until templates run: no spare capacity.
    out.shrink_to_fit();
    let mut summary_html = String::new();
    let summary_text = text::push_html(&mut summary_html, summary_events.into_iter());
    let rendered = Rendered {
        html: out,
        summary_html: Hashed::new(summary_html),
        text,
        summary_text,
        toc,
        heading_ids,
        anchored_links,
        links,
        word_count,
    };
    (rendered, diags)
}

/// A rendered body, shared: by page id in [`Bodies::pages`], by section id in
/// [`Bodies::sections`].
pub type Body = Arc<Hashed<Rendered>>;

/// What the Markdown stage made of every body of a site.
#[derive(Default)]
pub struct Bodies {
    /// By page id; each behind a lock only so that a one-shot build can let go of it once
    /// its page is made ([`Bodies::release_page`]).
    pages: Vec<Mutex<Body>>,
    /// By section id; empty for a home page without `_index.md`.
    pub sections: Vec<Body>,
}

impl Bodies {
    /// Page `id`'s body.
    pub fn page(&self, id: PageId) -> Body {
        self.pages[id]
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Every page's body, by page id.
    pub fn pages(&self) -> impl Iterator<Item = Body> + '_ {
        (0..self.pages.len()).map(|id| self.page(id))
    }

    /// Lets go of page `id`'s body: a one-shot build, once the page's file and its search
    /// entry are made (the HTML of 10,000 articles is 60 MB). Later reads get an empty body.
    pub fn release_page(&self, id: PageId) {
        let mut slot = self.pages[id].lock().unwrap_or_else(|e| e.into_inner());
        *slot = Body::default();
    }
}

/// The memo of the Markdown stage: a body is rendered again only when its text, its URL, its
/// settings or the set of link targets changed.
pub type Memo = crate::memo::Memo<(Body, Vec<Diagnostic>)>;

/// Everything one body's rendering reads.
#[derive(Hash)]
struct BodyInput<'a> {
    /// The file, as its bytes: `Path`'s own hash splits it into components.
    file: &'a std::ffi::OsStr,
    text: &'a Text,
    body_offset: usize,
    path: &'a UrlPath,
    base: &'a UrlPath,
    /// The page shows a cover image above its body.
    cover: bool,
    shared: &'a Shared<'a>,
}

/// Renders every page and section body of `site` in parallel, then checks anchors.
pub fn render_site(site: &Site, files: Files, memo: &Memo) -> (Bodies, Vec<Diagnostic>) {
    let pages = render_pages(site, files, 0..site.pages.len(), memo);
    finish(site, files, pages, memo)
}

/// The site's files that bodies show: photos and attachments.
#[derive(Clone, Copy)]
pub struct Files<'a> {
    pub pictures: &'a Pictures,
    pub attachments: &'a crate::attachments::Attachments,
    /// Every other file of the site by output path (an image linked from `static/`).
    pub own: &'a std::collections::BTreeMap<String, std::path::PathBuf>,
}

/// A page's body and what rendering it found wrong.
pub type PageBody = (Body, Vec<Diagnostic>);

/// Renders the bodies of pages `ids`, in parallel: a part of [`render_site`], for a build that
/// lets go of each part's sources before the next.
pub fn render_pages(
    site: &Site,
    files: Files,
    ids: std::ops::Range<usize>,
    memo: &Memo,
) -> Vec<PageBody> {
    let shared = Shared::new(site, files);
    let render = |input: &BodyInput| memo.run(input, render_input);
    (site.pages[ids].par_iter())
        .map(|p| {
            render(&BodyInput {
                file: p.page.file.as_os_str(),
                text: &p.page.text,
                body_offset: p.page.body_offset,
                path: &p.path,
                base: &p.asset_base,
                cover: p.page.meta.image.is_some(),
                shared: &shared,
            })
        })
        .collect()
}

/// Every section's body and the anchor check, once `pages` holds every page's body (by id).
pub fn finish(
    site: &Site,
    files: Files,
    pages: Vec<PageBody>,
    memo: &Memo,
) -> (Bodies, Vec<Diagnostic>) {
    let shared = Shared::new(site, files);
    let render = |input: &BodyInput| memo.run(input, render_input);
    let sections: Vec<(Body, Vec<Diagnostic>)> = (site.sections.iter())
        .map(|s| match &s.section {
            Some(sec) => render(&BodyInput {
                file: sec.file.as_os_str(),
                text: &sec.text,
                body_offset: sec.body_offset,
                path: &s.path,
                base: &s.path,
                cover: false,
                shared: &shared,
            }),
            None => (Body::default(), Vec::new()),
        })
        .collect();
    let mut diags = Vec::new();
    let (mut page_bodies, mut section_bodies) = (Vec::new(), Vec::new());
    for (body, d) in pages {
        page_bodies.push(body);
        diags.extend(d);
    }
    for (body, d) in sections {
        section_bodies.push(body);
        diags.extend(d);
    }
    diags.extend(check_anchors(site, &page_bodies, &section_bodies));
    let bodies = Bodies {
        pages: page_bodies.into_iter().map(Mutex::new).collect(),
        sections: section_bodies,
    };
    (bodies, diags)
}

fn render_input(b: &BodyInput) -> (Body, Vec<Diagnostic>) {
    let s = b.shared;
    let cx = MarkdownContext {
        file: Path::new(b.file),
        text: b.text,
        body_offset: b.body_offset,
        link_targets: s.link_targets,
        urls: s.urls,
        id_prefix: b.path.as_str(),
        page_href: s.urls.href(b.path),
        base_href: s.urls.href(b.base),
        unsafe_html: s.unsafe_html,
        smart_punctuation: s.smart_punctuation,
        pictures: s.pictures,
        attachments: s.attachments,
        own: s.own,
        image_sizes: s.image_sizes,
        cover: b.cover,
    };
    let (rendered, diags) = render(&b.text[b.body_offset..], &cx);
    (Arc::new(Hashed::new(rendered)), diags)
}

/// What every body of a build renders with.
struct Shared<'a> {
    link_targets: &'a FastMap<String, LinkTarget>,
    urls: &'a Urls,
    unsafe_html: bool,
    smart_punctuation: bool,
    pictures: &'a Pictures,
    attachments: &'a crate::attachments::Attachments,
    own: &'a std::collections::BTreeMap<String, std::path::PathBuf>,
    image_sizes: &'a str,
    /// The digest of what bodies read of the link targets, made once for all of them.
    links: OnceLock<u64>,
    /// The same of the pictures.
    pictures_digest: OnceLock<u64>,
}

impl<'a> Shared<'a> {
    fn new(site: &'a Site, files: Files<'a>) -> Shared<'a> {
        let Files {
            pictures,
            attachments,
            own,
        } = files;
        Shared {
            link_targets: &site.link_targets,
            urls: &site.urls,
            unsafe_html: site.config.markdown.unsafe_html,
            smart_punctuation: site.config.markdown.smart_punctuation,
            pictures,
            attachments,
            own,
            image_sizes: &site.config.images.sizes,
            links: OnceLock::new(),
            pictures_digest: OnceLock::new(),
        }
    }
}

impl Hash for Shared<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (
            self.urls,
            self.unsafe_html,
            self.smart_punctuation,
            self.image_sizes,
        )
            .hash(state);
        state.write_u64(*self.links.get_or_init(|| links_digest(self.link_targets)));
        let pictures = self
            .pictures_digest
            .get_or_init(|| crate::memo::digest(self.pictures));
        state.write_u64(*pictures);
    }
}

/// What a body reads of the link targets: each one's URL and whether it is published (which
/// page or section it is only matters to anchors, checked after). Order-independent, the sum
/// of each target's own hash, so no sorting of thousands of targets.
fn links_digest(targets: &FastMap<String, LinkTarget>) -> u64 {
    targets
        .par_iter()
        .map(|(source, t)| crate::memo::digest(&(source, &t.path, t.unpublished)))
        .reduce(|| 0, u64::wrapping_add)
}

/// `@/page.md#anchor` must name a heading of that page.
fn check_anchors(site: &Site, pages: &[Body], sections: &[Body]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let bodies = (pages, sections);
    let pages = (site.pages.iter().zip(pages)).map(|(p, body)| (body, &p.page.file, &*p.page.text));
    let sections = (site.sections.iter().zip(sections)).filter_map(|(s, body)| {
        let sec = s.section.as_ref()?;
        Some((body, &sec.file, &*sec.text))
    });
    for (rendered, file, text) in pages.chain(sections) {
        for link in &rendered.anchored_links {
            let node = site
                .link_targets
                .get(&link.source)
                .map_or(Node::Excluded, |t| t.node);
            let ids = match node {
                Node::Page(id) => &bodies.0[id].heading_ids,
                Node::Section(id) => &bodies.1[id].heading_ids,
                Node::Excluded => continue,
            };
            if !ids.contains(&link.anchor) {
                let kind = Kind::BrokenAnchor {
                    target: link.source.clone(),
                    anchor: link.anchor.clone(),
                    available: ids.clone(),
                };
                let width = link.source.chars().count() + link.anchor.chars().count() + 3;
                diags.push(Diagnostic::at(file, text, link.line, link.col, kind).with_width(width));
            }
        }
    }
    diags
}

fn is_more_marker(e: &Event) -> bool {
    matches!(e, Event::Html(h) | Event::InlineHtml(h) if h.trim() == "<!-- more -->")
}

/// The events of the summary: before `<!-- more -->`, else the first paragraph.
fn summary_events<'a>(events: &[Spanned<'a>]) -> Vec<Event<'a>> {
    let head: &[Spanned<'a>] = match events.iter().position(|(e, _)| is_more_marker(e)) {
        Some(i) => &events[..i],
        None => {
            let Some(start) = events
                .iter()
                .position(|(e, _)| matches!(e, Event::Start(Tag::Paragraph)))
            else {
                return Vec::new();
            };
            let end = events[start..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)))
                .map_or(events.len(), |n| start + n + 1);
            &events[start..end]
        }
    };
    balance(head.iter().map(|(e, _)| e))
}

/// Makes a cut of the event stream well-formed: closes what the cut left open (the marker may
/// sit inside a paragraph or a list), and drops heading ids, which would be duplicated on list
/// pages showing several summaries.
fn balance<'a, 'e>(head: impl ExactSizeIterator<Item = &'e Event<'a>>) -> Vec<Event<'a>>
where
    'a: 'e,
{
    let mut out = Vec::with_capacity(head.len() + 4);
    let mut open: Vec<TagEnd> = Vec::new();
    let mut raw = html::RawTags::default();
    for e in head {
        if let Event::Html(h) | Event::InlineHtml(h) = e {
            // The body's tags are balanced; only a cut inside a block leaves some open.
            let _ = raw.see(h, &mut |_| {});
            // A summary is shown among others: its image is never the page's first.
            if let Some(lazy) = crate::images::lazy_in_summary(h) {
                out.push(Event::InlineHtml(CowStr::from(lazy)));
                continue;
            }
        }
        match e {
            Event::Start(tag) => {
                open.push(tag.to_end());
                let tag = match tag {
                    Tag::Heading {
                        level,
                        classes,
                        attrs,
                        ..
                    } => Tag::Heading {
                        level: *level,
                        id: None,
                        classes: classes.clone(),
                        attrs: attrs.clone(),
                    },
                    other => other.clone(),
                };
                out.push(Event::Start(tag));
            }
            Event::End(end) => {
                open.pop();
                out.push(Event::End(*end));
            }
            other => out.push(other.clone()),
        }
    }
    // An HtmlBlock opened for the marker itself is dropped rather than closed.
    if matches!(out.last(), Some(Event::Start(Tag::HtmlBlock))) {
        out.pop();
        open.pop();
    }
    raw.close_all(&mut |name| out.push(Event::InlineHtml(CowStr::from(format!("</{name}>")))));
    out.extend(open.into_iter().rev().map(Event::End));
    out
}

/// Footnote ids are bare labels in pulldown-cmark (`#1`), which collide when several bodies
/// share a page; they get the page's prefix and are numbered in order of first reference.
fn rewrite_footnotes<'a>(
    events: Vec<Spanned<'a>>,
    prefix: &str,
    page_href: &str,
) -> Vec<Spanned<'a>> {
    // Most bodies have none: no pass over their events, no slug of the prefix.
    let footnotes = events.iter().any(|(e, _)| {
        matches!(
            e,
            Event::FootnoteReference(_) | Event::Start(Tag::FootnoteDefinition(_))
        )
    });
    if !footnotes {
        return events;
    }
    let prefix = slugify(prefix);
    let mut numbers: HashMap<String, usize> = HashMap::new();
    let mut open: Vec<String> = Vec::new();
    let mut number_of = |label: &str| {
        let next = numbers.len() + 1;
        *numbers.entry(label.to_owned()).or_insert(next)
    };
    let mut rewrite = |e| match e {
        Event::FootnoteReference(label) => {
            let n = number_of(&label);
            let id = footnote_id(&prefix, &label);
            Event::InlineHtml(CowStr::from(format!(
                "<sup class=\"footnote-ref\" id=\"ref-{id}\"><a href=\"{page_href}#{id}\">{n}</a></sup>"
            )))
        }
        Event::Start(Tag::FootnoteDefinition(label)) => {
            let n = number_of(&label);
            let id = footnote_id(&prefix, &label);
            open.push(id.clone());
            Event::Html(CowStr::from(format!(
                "<div class=\"footnote\" id=\"{id}\"><span class=\"footnote-label\">{n}.</span>"
            )))
        }
        Event::End(TagEnd::FootnoteDefinition) => {
            let id = open.pop().unwrap_or_default();
            Event::Html(CowStr::from(format!(
                "<a class=\"footnote-back\" href=\"#ref-{id}\" aria-label=\"{back}\">↩</a></div>\n",
                back = crate::messages::BACK_TO_REFERENCE
            )))
        }
        other => other,
    };
    events
        .into_iter()
        .map(|(e, range)| (rewrite(e), range))
        .collect()
}

fn footnote_id(prefix: &str, label: &str) -> String {
    let label = slugify(label);
    if prefix.is_empty() {
        format!("fn-{label}")
    } else {
        format!("fn-{prefix}-{label}")
    }
}

fn count_words(events: &[Spanned]) -> usize {
    events
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => count_words_in(t),
            _ => 0,
        })
        .sum()
}

/// The words of `text` as `split_whitespace` counts them, read byte by byte: decoding every
/// character of every page was a visible part of a build.
fn count_words_in(text: &str) -> usize {
    let bytes = text.as_bytes();
    // SAFETY: SSE2 is part of every x86-64 processor (the cfg says the build assumes it).
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    let (mut count, mut in_word, mut at) = unsafe { count_words_in_blocks(bytes) };
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    let (mut count, mut in_word, mut at) = (0, false, 0);
    while let Some(&b) = bytes.get(at) {
        let (space, len) = match SPACE_CLASS[usize::from(b)] {
            NOT_SPACE => (false, 1),
            SPACE => (true, 1),
            // The first byte of a character that may be a space; continuation bytes count as
            // the non-space they belong to.
            _ => match bytes.get(at..).unwrap_or_default() {
                [0xC2, 0x85 | 0xA0, ..] => (true, 2),
                rest if is_wide_space(rest.get(..3).unwrap_or_default()) => (true, 3),
                _ => (false, 1),
            },
        };
        count += usize::from(!space && !in_word);
        in_word = !space;
        at += len;
    }
    count
}

/// [`count_words_in`] sixteen bytes at a time, as far as the blocks go: the words begun,
/// whether the last byte read is in a word, and where the rest starts (after any bytes of a
/// space begun in the last block).
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn count_words_in_blocks(bytes: &[u8]) -> (usize, bool, usize) {
    use crate::text::block::{Block, LEN};
    let (mut count, mut at) = (0, 0);
    // The byte before the block is a space (the text's start counts as one), and the bytes
    // of the block that finish a space begun before it.
    let (mut after_space, mut carry) = (1, 0);
    // Two bytes past the block: a space's first byte is known by the two after it.
    while let Some((b0, b1, b2)) = bytes.get(at..).and_then(|b| Block::load_with_next_two(b)) {
        let ascii = b0.within(b'\t', b'\r') | b0.is(b' ');
        // U+0085, U+00A0; U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
        let two = b0.is(0xC2) & (b1.is(0x85) | b1.is(0xA0));
        let general = b1.is(0x80)
            & (b2.within(0x80, 0x8A) | b2.is(0xA8) | b2.is(0xA9) | b2.is(0xAF))
            | b1.is(0x81) & b2.is(0x9F);
        let three = b0.is(0xE1) & b1.is(0x9A) & b2.is(0x80)
            | b0.is(0xE2) & general
            | b0.is(0xE3) & b1.is(0x80) & b2.is(0x80);
        let continued = (two << 1) | (three << 1) | (three << 2) | carry;
        let space = (ascii | two | three | continued) & 0xFFFF;
        let starts = !space & ((space << 1) | after_space) & 0xFFFF;
        count += starts.count_ones() as usize;
        after_space = space >> (LEN - 1);
        carry = continued >> LEN;
        at += LEN;
    }
    // A space's bytes past the last block: one or two.
    let rest = at + carry.count_ones() as usize;
    (count, after_space == 0 && carry == 0, rest)
}

const NOT_SPACE: u8 = 0;
const SPACE: u8 = 1;
const MAYBE_SPACE: u8 = 2;
/// What a byte of UTF-8 text says of spaces: an ASCII space (`\t` to `\r`, ` `), the first
/// byte of every wider Unicode space (0xC2, 0xE1, 0xE2, 0xE3), or neither.
const SPACE_CLASS: [u8; 256] = {
    let mut table = [NOT_SPACE; 256];
    let mut b = b'\t';
    while b <= b'\r' {
        table[b as usize] = SPACE;
        b += 1;
    }
    table[b' ' as usize] = SPACE;
    table[0xC2] = MAYBE_SPACE;
    table[0xE1] = MAYBE_SPACE;
    table[0xE2] = MAYBE_SPACE;
    table[0xE3] = MAYBE_SPACE;
    table
};

/// Whether three UTF-8 bytes are a Unicode space: U+1680, U+2000–U+200A, U+2028, U+2029,
/// U+202F, U+205F or U+3000.
fn is_wide_space(bytes: &[u8]) -> bool {
    matches!(
        bytes,
        [0xE1, 0x9A, 0x80]
            | [0xE2, 0x80, 0x80..=0x8A | 0xA8 | 0xA9 | 0xAF]
            | [0xE2, 0x81, 0x9F]
            | [0xE3, 0x80, 0x80]
    )
}

#[cfg(test)]
mod tests;
