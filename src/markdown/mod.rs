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

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Kind};
use crate::fast_hash::FastMap;
use crate::site::{LinkTarget, Node, PageId, Site};
use crate::text::slugify;
use crate::urls::{UrlPath, Urls};
pub use headings::Heading;
pub use html::{decode_entities, is_dangerous_url};

/// What the Markdown stage produces for a page or section body.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    /// The part before `<!-- more -->`, else the first paragraph.
    pub summary_html: String,
    /// Nested table of contents.
    pub toc: Vec<Heading>,
    /// Every heading id, for anchor checks.
    pub heading_ids: Vec<String>,
    /// `@/` links that carry an anchor, checked after every page is rendered.
    pub anchored_links: Vec<AnchoredLink>,
    /// Every other link and image, as rendered, for `cds check`.
    pub links: Vec<LinkUse>,
    pub word_count: usize,
    /// Fingerprint of everything above that reaches a template (HTML, summary, TOC, words),
    /// so `render` can tell an unchanged page without hashing its HTML again. Made for `serve`
    /// only; 0 in a one-shot build, which compares nothing.
    pub hash: u64,
}

/// A link or image of a body (not `@/`, not `#anchor`), as rendered, and where it was written.
#[derive(Debug, Clone)]
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
#[derive(Debug, Clone)]
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
    pulldown_cmark::html::push_html(&mut out, body_events.filter(|e| !is_more_marker(e)));
    // Kept until templates run: no spare capacity.
    out.shrink_to_fit();
    let mut summary_html = String::new();
    pulldown_cmark::html::push_html(&mut summary_html, summary_events.into_iter());
    let rendered = Rendered {
        html: out,
        summary_html,
        toc,
        heading_ids,
        anchored_links,
        links,
        word_count,
        // Set by `Shared::render` when fingerprints are wanted.
        hash: 0,
    };
    (rendered, diags)
}

/// Rendered bodies kept between builds by `serve`. A body is rendered again only when its
/// text, its URL or the set of link targets changed: an edit to one page re-renders one page.
#[derive(Default)]
pub struct Cache {
    bodies: FastMap<PathBuf, (BodyKey, Arc<Rendered>, Vec<Diagnostic>)>,
}

/// Everything a body's HTML depends on.
#[derive(Clone)]
struct BodyKey {
    text: Arc<str>,
    path: UrlPath,
    base: UrlPath,
    settings: Settings,
}

/// What every body of a build is rendered with.
#[derive(Clone, Copy, PartialEq)]
struct Settings {
    /// Fingerprint of every `@/` target (source, URL, publication).
    links: u64,
    unsafe_html: bool,
    smart_punctuation: bool,
}

impl BodyKey {
    fn of(b: &Body, settings: Settings) -> BodyKey {
        BodyKey {
            text: b.text.clone(),
            path: b.path.clone(),
            base: b.base.clone(),
            settings,
        }
    }

    /// Whether `b` would render as the body this key was made for: same text (the content
    /// cache keeps an unchanged file's text, so the pointer says it), URL and settings.
    fn matches(&self, b: &Body, settings: Settings) -> bool {
        Arc::ptr_eq(&self.text, b.text)
            && self.path == *b.path
            && self.base == *b.base
            && self.settings == settings
    }
}

/// One body to render: a page's or a section's.
struct Body<'a> {
    file: &'a Path,
    text: &'a Arc<str>,
    body_offset: usize,
    path: &'a UrlPath,
    base: &'a UrlPath,
}

/// Renders every page and section body of the site in parallel, then checks anchors; bodies
/// whose inputs did not change come from `cache` (empty for a one-shot build).
pub fn render_site_cached(site: &mut Site, cache: &mut Cache) -> Vec<Diagnostic> {
    let settings = Settings {
        links: links_fingerprint(&site.link_targets),
        unsafe_html: site.config.markdown.unsafe_html,
        smart_punctuation: site.config.markdown.smart_punctuation,
    };
    let mut bodies: Vec<Body> = site
        .pages
        .iter()
        .map(|p| Body {
            file: &p.page.file,
            text: &p.page.text,
            body_offset: p.page.body_offset,
            path: &p.path,
            base: &p.asset_base,
        })
        .collect();
    for s in &site.sections {
        if let Some(sec) = &s.section {
            bodies.push(Body {
                file: &sec.file,
                text: &sec.text,
                body_offset: sec.body_offset,
                path: &s.path,
                base: &s.path,
            });
        }
    }
    let shared = Shared::new(&site.config, &site.link_targets, &site.urls, true);
    let fresh: Vec<(PathBuf, BodyKey, Arc<Rendered>, Vec<Diagnostic>)> = bodies
        .par_iter()
        .filter(|b| {
            cache
                .bodies
                .get(b.file)
                .is_none_or(|(k, _, _)| !k.matches(b, settings))
        })
        .map(|b| {
            let (rendered, diags) = shared.render(b.file, b.text, b.body_offset, b.path, b.base);
            (
                b.file.to_path_buf(),
                BodyKey::of(b, settings),
                Arc::new(rendered),
                diags,
            )
        })
        .collect();
    for (file, key, rendered, diags) in fresh {
        cache.bodies.insert(file, (key, rendered, diags));
    }
    // Every body is now in the cache: anything more is a file that is gone.
    if cache.bodies.len() > bodies.len() {
        let live: HashSet<&Path> = bodies.iter().map(|b| b.file).collect();
        cache.bodies.retain(|file, _| live.contains(file.as_path()));
    }
    drop(bodies);
    let mut diags = Vec::new();
    let mut take = |file: &Path| match cache.bodies.get(file) {
        Some((_, rendered, d)) => {
            diags.extend(d.iter().cloned());
            rendered.clone()
        }
        None => Arc::default(),
    };
    for page in &mut site.pages {
        page.rendered = take(&page.page.file);
    }
    for section in &mut site.sections {
        if let Some(sec) = &section.section {
            section.rendered = take(&sec.file);
        }
    }
    diags.extend(check_anchors(site));
    diags
}

/// Renders every body for a one-shot build, letting go of each page's Markdown source as soon
/// as its HTML exists: at 10,000 articles the sources (80 MB) and the HTML would otherwise sit
/// in memory together. A page keeps its front matter, which later diagnostics quote, and a
/// page with `@/…#anchor` links keeps its whole text until its anchors are checked.
///
/// Frees memory only when nothing else holds the pages (the content cache is gone).
pub fn render_site_once(site: &mut Site) -> Vec<Diagnostic> {
    let Site {
        config,
        pages,
        sections,
        link_targets,
        urls,
        ..
    } = site;
    let shared = Shared::new(config, link_targets, urls, false);
    let mut diags: Vec<Diagnostic> = pages
        .par_iter_mut()
        .flat_map_iter(|p| {
            let page = &p.page;
            let (rendered, diags) = shared.render(
                &page.file,
                &page.text,
                page.body_offset,
                &p.path,
                &p.asset_base,
            );
            if rendered.anchored_links.is_empty() {
                let head: Arc<str> = Arc::from(&page.text[..page.body_offset]);
                Arc::make_mut(&mut p.page).text = head;
            }
            p.rendered = Arc::new(rendered);
            diags
        })
        .collect();
    for s in sections.iter_mut() {
        if let Some(sec) = &s.section {
            let (rendered, d) =
                shared.render(&sec.file, &sec.text, sec.body_offset, &s.path, &s.path);
            s.rendered = Arc::new(rendered);
            diags.extend(d);
        }
    }
    diags.extend(check_anchors(site));
    diags
}

/// What every body of a build renders with.
struct Shared<'a> {
    link_targets: &'a FastMap<String, LinkTarget>,
    urls: &'a Urls,
    unsafe_html: bool,
    smart_punctuation: bool,
    /// Whether each body gets its fingerprint ([`Rendered::hash`]): only `serve` compares
    /// them, and a one-shot build would hash every page's HTML for nothing.
    fingerprints: bool,
}

impl<'a> Shared<'a> {
    fn new(
        config: &Config,
        link_targets: &'a FastMap<String, LinkTarget>,
        urls: &'a Urls,
        fingerprints: bool,
    ) -> Shared<'a> {
        Shared {
            link_targets,
            urls,
            unsafe_html: config.markdown.unsafe_html,
            smart_punctuation: config.markdown.smart_punctuation,
            fingerprints,
        }
    }

    /// Renders the body of `text` (a file's whole text) for the page or section at `path`,
    /// whose relative links resolve against `base`.
    fn render(
        &self,
        file: &Path,
        text: &str,
        body_offset: usize,
        path: &UrlPath,
        base: &UrlPath,
    ) -> (Rendered, Vec<Diagnostic>) {
        let cx = MarkdownContext {
            file,
            text,
            body_offset,
            link_targets: self.link_targets,
            urls: self.urls,
            id_prefix: path.as_str(),
            page_href: self.urls.href(path),
            base_href: self.urls.href(base),
            unsafe_html: self.unsafe_html,
            smart_punctuation: self.smart_punctuation,
        };
        let (mut rendered, diags) = render(&text[body_offset..], &cx);
        if self.fingerprints {
            let mut h = crate::fast_hash::FxHasher::default();
            let r = &rendered;
            (&r.html, &r.summary_html, &r.toc, r.word_count).hash(&mut h);
            rendered.hash = h.finish();
        }
        (rendered, diags)
    }
}

/// Renders page `id`'s body again after an edit that left the site graph as it was (the
/// caller checked), and keeps it in the cache. `None` when the page has no cached body, or when
/// the old or new body has problems, or the new one changes what other pages can link to (its
/// heading ids) or breaks one of its own anchors: a whole build then sorts it out.
pub fn rerender_page(site: &mut Site, id: PageId, cache: &mut Cache) -> Option<()> {
    let p = &site.pages[id];
    let (old_key, old, old_diags) = cache.bodies.get(&p.page.file)?;
    if !old_diags.is_empty() {
        return None;
    }
    let key = BodyKey {
        text: p.page.text.clone(),
        ..old_key.clone()
    };
    let shared = Shared::new(&site.config, &site.link_targets, &site.urls, true);
    let (rendered, diags) = shared.render(
        &p.page.file,
        &p.page.text,
        p.page.body_offset,
        &key.path,
        &key.base,
    );
    if !diags.is_empty() || rendered.heading_ids != old.heading_ids {
        return None;
    }
    let file = p.page.file.clone();
    let rendered = Arc::new(rendered);
    site.pages[id].rendered = rendered.clone();
    cache.bodies.insert(file, (key, rendered, Vec::new()));
    check_anchors(site).is_empty().then_some(())
}

/// Order-independent: the sum of each target's own hash, so no sorting of thousands of
/// targets on every build.
fn links_fingerprint(targets: &FastMap<String, LinkTarget>) -> u64 {
    targets
        .par_iter()
        .map(|(source, t)| {
            let mut h = crate::fast_hash::FxHasher::default();
            (source, &t.path, t.unpublished).hash(&mut h);
            h.finish()
        })
        .reduce(|| 0, u64::wrapping_add)
}

/// `@/page.md#anchor` must name a heading of that page.
fn check_anchors(site: &Site) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let bodies = site
        .pages
        .iter()
        .map(|p| (&p.rendered, &p.page.file, &*p.page.text))
        .chain(site.sections.iter().filter_map(|s| {
            let sec = s.section.as_ref()?;
            Some((&s.rendered, &sec.file, &*sec.text))
        }));
    for (rendered, file, text) in bodies {
        for link in &rendered.anchored_links {
            let node = site
                .link_targets
                .get(&link.source)
                .map_or(Node::Excluded, |t| t.node);
            let ids = match node {
                Node::Page(id) => &site.pages[id].rendered.heading_ids,
                Node::Section(id) => &site.sections[id].rendered.heading_ids,
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
                "<a class=\"footnote-back\" href=\"#ref-{id}\" aria-label=\"Quay lại chỗ trích dẫn\">↩</a></div>\n"
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
