//! The document registry: number → page, the `implements` chain in both directions, and for
//! each document the pages whose `documents` name it.

use std::collections::{BTreeMap, BTreeSet};

use super::{PageId, Site};
use crate::content::{self, DocNumber, Located};
use crate::diagnostics::{Diagnostic, Kind, did_you_mean};

/// Every document number loaded, published or not: citing a draft document is not an error,
/// it just makes no link until the document is published.
pub(super) fn all_numbers(pages: &[std::sync::Arc<content::Page>]) -> BTreeSet<String> {
    pages
        .iter()
        .filter_map(|p| p.meta.document.as_ref()?.number.as_ref())
        .map(|n| n.value.to_string())
        .collect()
}

pub(super) fn link(site: &mut Site, all: &BTreeSet<String>, diags: &mut Vec<Diagnostic>) {
    let mut registry: BTreeMap<String, PageId> = BTreeMap::new();
    for (id, p) in site.pages.iter().enumerate() {
        let Some(number) = p
            .page
            .meta
            .document
            .as_ref()
            .and_then(|d| d.number.as_ref())
        else {
            continue;
        };
        match registry.get(number.value.as_str()) {
            Some(&other) => {
                let kind = Kind::DuplicateDocument {
                    number: number.value.to_string(),
                    other: site.pages[other].page.file.clone(),
                };
                diags.push(Diagnostic::at(
                    &p.page.file,
                    &p.page.text,
                    number.line,
                    number.col,
                    kind,
                ));
            }
            None => {
                registry.insert(number.value.to_string(), id);
            }
        }
    }

    for id in 0..site.pages.len() {
        let cited = resolve(
            &site.pages[id].page,
            &site.pages[id].page.meta.documents,
            &registry,
            all,
            diags,
        );
        let implemented = match &site.pages[id].page.meta.document {
            Some(d) => resolve(&site.pages[id].page, &d.implements, &registry, all, diags),
            None => Vec::new(),
        };
        for &doc in &cited {
            site.pages[doc].cited_by.push(id);
        }
        for &doc in &implemented {
            site.pages[doc].implemented_by.push(id);
        }
        site.pages[id].cites = cited;
        site.pages[id].implements = implemented;
    }
    site.documents = registry;
}

fn resolve(
    page: &content::Page,
    numbers: &[Located<DocNumber>],
    registry: &BTreeMap<String, PageId>,
    all: &BTreeSet<String>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<PageId> {
    let mut out = Vec::new();
    for n in numbers {
        match registry.get(n.value.as_str()) {
            Some(&id) if !out.contains(&id) => out.push(id),
            Some(_) => {}
            None if all.contains(n.value.as_str()) => {}
            None => {
                let suggestion = did_you_mean(n.value.as_str(), all.iter().map(String::as_str));
                let kind = Kind::UnknownDocument {
                    number: n.value.to_string(),
                    suggestion,
                };
                let width = n.value.as_str().chars().count();
                diags.push(
                    Diagnostic::at(&page.file, &page.text, n.line, n.col, kind).with_width(width),
                );
            }
        }
    }
    out
}
