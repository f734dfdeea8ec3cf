//! Links and images: `@/path.md#anchor` resolved to URLs (a missing file is an error at its
//! line), dangerous schemes removed, images lazy-loaded.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::html::{escape_attr, is_dangerous_url};
use super::{AnchoredLink, LinkUse, MarkdownContext};
use crate::diagnostics::{Diagnostic, Kind};

/// What `rewrite` found besides diagnostics.
#[derive(Default)]
pub(super) struct Found {
    pub anchored: Vec<AnchoredLink>,
    pub uses: Vec<LinkUse>,
}

pub(super) fn rewrite(
    events: &mut Vec<(Event, Range<usize>)>,
    cx: &MarkdownContext,
    found: &mut Found,
    diags: &mut Vec<Diagnostic>,
) {
    let anchored = &mut found.anchored;
    let mut locator = crate::text::Locator::new(cx.text);
    // Events taken out are marked here and dropped in one pass at the end: removing each
    // from the vector at once moved every later event (quadratic in links and images).
    let mut dropped = vec![false; events.len()];
    // Each attachment's kind and size, shown after its link: (the link's end, the label).
    let mut labels: Vec<(usize, String)> = Vec::new();
    let mut images_seen = 0;
    let mut i = 0;
    while i < events.len() {
        if dropped[i] {
            i += 1;
            continue;
        }
        let range = events[i].1.clone();
        match &mut events[i].0 {
            Event::Start(Tag::Link { dest_url, .. }) => {
                if is_dangerous_url(dest_url) {
                    // Keep the text, drop the link.
                    drop_wrapper(events, &mut dropped, i, |e| {
                        matches!(e, Event::End(TagEnd::Link))
                    });
                    i += 1;
                    continue;
                }
                let written = dest_url.to_string();
                if let Some(url) = absolute(dest_url, cx) {
                    *dest_url = CowStr::from(url);
                }
                // A link to a photo opens the largest published variant, unless the original
                // is published too.
                if !cx.pictures.originals
                    && let Some(picture) = picture_of(cx, dest_url)
                {
                    *dest_url =
                        CowStr::from(crate::images::largest_href(picture, cx.urls.base_path()));
                }
                if !dest_url.starts_with(['@', '#']) && !dest_url.is_empty() {
                    let offset = cx.body_offset + link_offset(cx, range.clone(), &written);
                    let url = dest_url.to_string();
                    if let Some(rel) = rel_of(cx, &url)
                        && crate::attachments::kind_of(&rel).is_some()
                    {
                        match cx.attachments.get(&rel) {
                            Some(a) => labels.push((end_of_link(events, i), a.label())),
                            None => {
                                let (line, col) = locator.locate(offset);
                                let kind = Kind::MissingFile {
                                    target: url.clone(),
                                };
                                let width = written.chars().count();
                                diags.push(
                                    Diagnostic::at(cx.file, cx.text, line, col, kind)
                                        .with_width(width),
                                );
                            }
                        }
                    }
                    found.uses.push(LinkUse {
                        url,
                        offset,
                        image: false,
                        alt_missing: false,
                    });
                } else if let Some(target) = dest_url.strip_prefix("@/") {
                    let target = target.to_owned();
                    let offset = link_offset(cx, range.clone(), "@/");
                    let at = locator.locate(cx.body_offset + offset);
                    match resolve(&target, cx, at, anchored, diags) {
                        Some(url) => *dest_url = CowStr::from(url),
                        None => *dest_url = CowStr::from("#"),
                    }
                }
            }
            Event::Start(Tag::Image { dest_url, .. }) => {
                let written = dest_url.to_string();
                if let Some(url) = absolute(dest_url, cx) {
                    *dest_url = CowStr::from(url);
                }
                let url = dest_url.to_string();
                let offset = cx.body_offset + link_offset(cx, range.clone(), &written);
                let (line, col) = locator.locate(offset);
                let at = |kind| {
                    let width = written.chars().count();
                    Diagnostic::at(cx.file, cx.text, line, col, kind).with_width(width)
                };
                if let Some(rel) = rel_of(cx, &url) {
                    if let Some(problem) = cx.pictures.problems.get(&rel) {
                        diags.push(at(Kind::Image {
                            target: written.clone(),
                            problem: problem.clone(),
                        }));
                    } else if cx.pictures.get(&rel).is_none() && !cx.own.contains_key(&rel) {
                        diags.push(at(Kind::MissingFile {
                            target: url.clone(),
                        }));
                    }
                }
                let loading = match (images_seen, cx.cover) {
                    (0, false) => crate::images::Loading::First,
                    _ => crate::images::Loading::Lazy,
                };
                images_seen += 1;
                let alt_missing = image(events, &mut dropped, i, cx, loading);
                if alt_missing {
                    diags.push(
                        at(Kind::ImageWithoutAlt {
                            target: url.clone(),
                        })
                        .warning(),
                    );
                }
                found.uses.push(LinkUse {
                    url,
                    offset,
                    image: true,
                    alt_missing,
                });
            }
            _ => {}
        }
        i += 1;
    }
    if !labels.is_empty() {
        add_labels(events, &mut dropped, labels);
    }
    if dropped.contains(&true) {
        let mut keep = dropped.iter().map(|d| !d);
        events.retain(|_| keep.next().unwrap_or(true));
    }
}

/// The index of the end of the link that starts at `i`.
fn end_of_link(events: &[(Event, Range<usize>)], i: usize) -> usize {
    (events[i..].iter())
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Link)))
        .map_or(events.len() - 1, |n| i + n)
}

/// Puts each label after the event it follows, in one pass (inserting one at a time would
/// move every later event each time).
fn add_labels(
    events: &mut Vec<(Event, Range<usize>)>,
    dropped: &mut Vec<bool>,
    labels: Vec<(usize, String)>,
) {
    let mut labels = labels.into_iter().peekable();
    let old = std::mem::take(events);
    let old_dropped = std::mem::take(dropped);
    for (n, (event, range)) in old.into_iter().enumerate() {
        events.push((event, range.clone()));
        dropped.push(old_dropped[n]);
        while let Some((_, label)) = labels.next_if(|(at, _)| *at == n) {
            let html = format!(" <span class=\"tep\">({})</span>", escape_attr(&label));
            events.push((Event::InlineHtml(CowStr::from(html)), range.clone()));
            dropped.push(false);
        }
    }
}

/// A relative link (`anh.jpg`, `tep/kh.pdf`) made root-relative, so it resolves the same on the
/// page, in a summary on a list page and in a feed; a link from the site's root to one of its
/// own files (`/anh/cau.jpg` for `static/anh/cau.jpg`) given the site's base path. `None` for
/// anything else (a `/…` link to no file of the site points elsewhere on the domain).
fn absolute(dest: &str, cx: &MarkdownContext) -> Option<String> {
    let has_scheme = dest
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|first| first.contains(':'));
    let relative = !dest.is_empty() && !dest.starts_with(['/', '#', '?', '@']) && !has_scheme;
    if relative {
        return Some(format!("{}{}", cx.base_href, dest.trim_start_matches("./")));
    }
    let base = cx.urls.base_path();
    let rest = dest.strip_prefix('/').filter(|r| !r.starts_with('/'))?;
    if dest.starts_with(base) {
        return None;
    }
    let file = crate::urls::percent_decode(rest.split(['?', '#']).next()?)?;
    let file = crate::text::nfc(&file);
    let own = cx.own.contains_key(&file) || cx.pictures.get(&file).is_some();
    own.then(|| format!("{base}{rest}"))
}

/// The offset of `needle` (the destination as written) within the link's source, for a caret
/// under it; the start of the link when it cannot be found.
fn link_offset(cx: &MarkdownContext, range: Range<usize>, needle: &str) -> usize {
    let body = &cx.text[cx.body_offset..];
    body.get(range.clone())
        .and_then(|s| s.find(needle))
        .map_or(range.start, |n| range.start + n)
}

/// Resolves `path.md#anchor` against the site; records the anchor for a later check.
fn resolve(
    target: &str,
    cx: &MarkdownContext,
    (line, col): (usize, usize),
    anchored: &mut Vec<AnchoredLink>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let (path, anchor) = match target.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (target, None),
    };
    let path = crate::text::nfc(path.trim_start_matches('/'));
    let Some(found) = cx.link_targets.get(&path) else {
        let kind = Kind::BrokenLink {
            target: format!("@/{target}"),
        };
        let width = target.chars().count() + 2;
        diags.push(Diagnostic::at(cx.file, cx.text, line, col, kind).with_width(width));
        return None;
    };
    if let Some(status) = found.unpublished {
        let kind = Kind::LinkToUnpublished {
            target: format!("@/{target}"),
            status,
        };
        let width = target.chars().count() + 2;
        diags.push(
            Diagnostic::at(cx.file, cx.text, line, col, kind)
                .with_width(width)
                .warning(),
        );
    }
    if let Some(anchor) = anchor {
        anchored.push(AnchoredLink {
            source: path.clone(),
            anchor: anchor.to_owned(),
            line,
            col,
        });
    }
    let mut url = cx.urls.href(&found.path);
    if let Some(a) = anchor {
        url.push('#');
        url.push_str(a);
    }
    Some(url)
}

/// The output path of a root-relative URL of the site (`/base/tin-tuc/a/anh.jpg` →
/// `tin-tuc/a/anh.jpg`), decoded.
fn rel_of(cx: &MarkdownContext, url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let rest = path.strip_prefix(cx.urls.base_path())?;
    crate::urls::percent_decode(rest).map(|r| crate::text::nfc(&r))
}

/// The published image a root-relative URL names, if it is one.
fn picture_of<'c>(cx: &'c MarkdownContext, url: &str) -> Option<&'c crate::images::Picture> {
    cx.pictures.get(&rel_of(cx, url)?).map(|p| &**p)
}

/// Replaces an image's events by one `<picture>` (a photo of the site) or `<img>` (its other
/// events are marked `dropped`), lazy unless `loading` says it is the first; a dangerous
/// source drops the image and keeps its alt text. Returns whether the alt text is missing.
fn image(
    events: &mut [(Event, Range<usize>)],
    dropped: &mut [bool],
    i: usize,
    cx: &MarkdownContext,
    loading: crate::images::Loading,
) -> bool {
    let Event::Start(Tag::Image {
        dest_url, title, ..
    }) = &events[i].0
    else {
        return false;
    };
    let (src, title) = (dest_url.to_string(), title.to_string());
    let end = events[i..]
        .iter()
        .position(|(e, _)| matches!(e, Event::End(TagEnd::Image)))
        .map_or(events.len() - 1, |n| i + n);
    let alt: String = events[i + 1..end]
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => Some(t.to_string()),
            _ => None,
        })
        .collect();
    let range = events[i].1.clone();
    let picture = picture_of(cx, &src);
    let html = if is_dangerous_url(&src) {
        escape_attr(&alt)
    } else if let Some(picture) = picture {
        let base = cx.urls.base_path();
        crate::images::picture_html(picture, base, &alt, &title, cx.image_sizes, loading)
    } else {
        let title_attr = if title.is_empty() {
            String::new()
        } else {
            format!(" title=\"{}\"", escape_attr(&title))
        };
        format!(
            "<img src=\"{}\" alt=\"{}\"{title_attr} loading=\"lazy\" decoding=\"async\">",
            escape_attr(&src),
            escape_attr(&alt)
        )
    };
    events[i] = (Event::InlineHtml(CowStr::from(html)), range);
    dropped[i + 1..=end].iter_mut().for_each(|d| *d = true);
    alt.trim().is_empty()
}

/// Marks the start event at `i` and the first later event matching `is_end` as dropped.
fn drop_wrapper(
    events: &[(Event, Range<usize>)],
    dropped: &mut [bool],
    i: usize,
    is_end: impl Fn(&Event) -> bool,
) {
    if let Some(n) = events[i..].iter().position(|(e, _)| is_end(e)) {
        dropped[i + n] = true;
    }
    dropped[i] = true;
}
