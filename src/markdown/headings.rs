//! Heading ids from Vietnamese slugs ("Mục tiêu chung" → `muc-tieu-chung`), deduplicated, and
//! the table of contents built from them.

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::text::slugify;

/// One entry of the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text of the heading.
    pub title: String,
    pub children: Vec<Heading>,
}

/// Gives every heading an id (an explicit `{#id}` wins) and returns the nested table of
/// contents and the list of ids.
pub(super) fn assign_ids(events: &mut [(Event, Range<usize>)]) -> (Vec<Heading>, Vec<String>) {
    let mut used = Ids::default();
    let mut flat: Vec<Heading> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { level, id, .. }) = &events[i].0 {
            let level = *level as u8;
            let explicit = id.as_ref().map(|s| s.to_string());
            let end = events[i..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Heading(_))))
                .map_or(events.len(), |n| i + n);
            let title = plain_text(&events[i + 1..end]);
            let id = unique(explicit.unwrap_or_else(|| base_id(&title)), &mut used);
            if let Event::Start(Tag::Heading {
                id: slot, attrs, ..
            }) = &mut events[i].0
            {
                *slot = Some(CowStr::from(id.clone()));
                // `{onfocus=…}` would be written as is: only `#id` and `.class` are kept.
                attrs.clear();
            }
            flat.push(Heading {
                level,
                id,
                title,
                children: Vec::new(),
            });
            i = end;
        }
        i += 1;
    }
    let ids = flat.iter().map(|h| h.id.clone()).collect();
    (nest(flat), ids)
}

fn base_id(title: &str) -> String {
    let s = slugify(title);
    if s.is_empty() { "muc".to_owned() } else { s }
}

/// The ids given so far, and for each base id the next number to try after it: with only
/// the set, the thousandth `## Mục` tried 999 numbers first (quadratic in repeated headings).
#[derive(Default)]
struct Ids {
    used: HashSet<String>,
    next: HashMap<String, usize>,
}

/// `id`, or `id-1`, `id-2`… whichever is free first. Numbers below the remembered one are all
/// taken already (ids are never given back), so starting there gives the same id.
fn unique(id: String, ids: &mut Ids) -> String {
    if ids.used.insert(id.clone()) {
        return id;
    }
    let n = ids.next.entry(id.clone()).or_insert(1);
    loop {
        let candidate = format!("{id}-{n}");
        *n += 1;
        if ids.used.insert(candidate.clone()) {
            return candidate;
        }
    }
}

fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut s = String::new();
    for (e, _) in events {
        match e {
            Event::Text(t) | Event::Code(t) => s.push_str(t),
            Event::SoftBreak | Event::HardBreak => s.push(' '),
            _ => {}
        }
    }
    s.trim().to_owned()
}

/// Turns a flat list into a tree: each heading holds the deeper ones that follow it.
fn nest(flat: Vec<Heading>) -> Vec<Heading> {
    let mut roots: Vec<Heading> = Vec::new();
    for h in flat {
        insert(&mut roots, h);
    }
    roots
}

fn insert(siblings: &mut Vec<Heading>, h: Heading) {
    match siblings.last_mut() {
        Some(last) if last.level < h.level => insert(&mut last.children, h),
        _ => siblings.push(h),
    }
}
