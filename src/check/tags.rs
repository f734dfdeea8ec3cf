//! Tags typed two ways (`VNeID` / `vneid`, `Chuyển đổi số` / `chuyen doi so`): the build
//! already merges case variants, but accents make separate terms, and both look careless.

use std::collections::{BTreeMap, HashMap};

use crate::content::Page;
use crate::diagnostics::{Diagnostic, Kind};
use crate::text::fold;

pub(super) fn similar(pages: &[std::sync::Arc<Page>]) -> Vec<Diagnostic> {
    // folded form → written form → pages using it
    let mut groups: HashMap<String, BTreeMap<&str, Vec<&Page>>> = HashMap::new();
    for p in pages {
        for tag in &p.meta.tags {
            groups
                .entry(fold(tag))
                .or_default()
                .entry(tag.as_str())
                .or_default()
                .push(p);
        }
    }
    let mut diags = Vec::new();
    for forms in groups.values().filter(|f| f.len() > 1) {
        let preferred = forms
            .iter()
            .max_by(|a, b| a.1.len().cmp(&b.1.len()).then_with(|| b.0.cmp(a.0)))
            .map(|(form, _)| *form)
            .unwrap_or_default();
        for (form, users) in forms.iter().filter(|(f, _)| **f != preferred) {
            for p in users {
                let (line, col) = position(&p.text, form);
                let kind = Kind::SimilarTags {
                    tag: (*form).to_owned(),
                    preferred: preferred.to_owned(),
                };
                diags.push(
                    Diagnostic::at(&p.file, &p.text, line, col, kind)
                        .with_width(form.chars().count())
                        .warning(),
                );
            }
        }
    }
    diags
}

/// Line and column of the tag in the front matter (after the `tags:` key).
fn position(text: &str, form: &str) -> (usize, usize) {
    let start = crate::yaml::find_key(text, &[], "tags").map_or(1, |(l, _)| l);
    for (n, line) in text.lines().enumerate().skip(start - 1) {
        if let Some(i) = line.find(form) {
            return (n + 1, line[..i].chars().count() + 1);
        }
        if line.trim() == "---" {
            break;
        }
    }
    (start, 1)
}
