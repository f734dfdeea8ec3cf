//! Links to the site's own files: each must exist; images need alt text; images and
//! attachments must stay under the configured sizes (residents read on 3G).

use std::path::Path;

use crate::diagnostics::{Diagnostic, Kind};
use crate::markdown::Bodies;
use crate::output::Listing;
use crate::site::Site;

const IMAGE_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp", "avif", "svg"];

pub(super) fn check(
    site: &Site,
    rendered: &Bodies,
    output: &Listing,
    images: &crate::images::stage::Stage,
) -> Vec<Diagnostic> {
    let lookup = |output: &Listing, rel: &str| match images.originals.get(rel) {
        // A photo is published as its variants; its original is what an editor can shrink.
        Some(disk) => Lookup::Copied(disk.clone()),
        None => lookup(output, rel),
    };
    let mut diags = Vec::new();
    let base = site.urls.base_path();
    let origin_base = format!("{}{}", site.urls.origin(), base);
    let limits = &site.config.check;
    let pages = (site.pages.iter().zip(rendered.pages()))
        .map(|(p, body)| (body, &p.page.file, &*p.page.text));
    let sections =
        (site.sections.iter().zip(rendered.sections.iter().cloned())).filter_map(|(s, body)| {
            Some((body, &s.section.as_ref()?.file, &*s.section.as_ref()?.text))
        });
    let bodies = pages.chain(sections);
    for (rendered, file, text) in bodies {
        let locator = std::cell::RefCell::new(crate::text::Locator::new(text));
        for link in &rendered.links {
            let at = |kind: Kind| {
                let (line, col) = locator.borrow_mut().locate(link.offset);
                Diagnostic::at(file, text, line, col, kind).with_width(link.url.chars().count())
            };
            let own = link
                .url
                .strip_prefix(&origin_base)
                .or_else(|| link.url.strip_prefix(base));
            let Some(rel) = own.map(clean) else { continue };
            match lookup(output, &rel) {
                Lookup::Missing => diags.push(at(Kind::MissingFile {
                    target: link.url.clone(),
                })),
                Lookup::Copied(path) => {
                    if let Some(kind) = too_large(&path, &link.url, limits) {
                        diags.push(at(kind).warning());
                    }
                }
                Lookup::Generated => {}
            }
        }
    }
    for p in &site.pages {
        let m = &p.page.meta;
        let attached = [
            ("image", m.image.as_deref()),
            ("file", m.document.as_ref().and_then(|d| d.file.as_deref())),
        ];
        for (key, value) in attached {
            let Some(value) = value.map(str::trim).filter(|v| !v.contains("://")) else {
                continue;
            };
            let rel = match value.strip_prefix('/') {
                Some(rooted) => clean(rooted),
                None => clean(&format!("{}{}", p.asset_base.as_str(), value)),
            };
            let parent: &[&str] = if key == "file" { &["document"] } else { &[] };
            let (line, col) = crate::yaml::find_key(&p.page.text, parent, key).unwrap_or((0, 0));
            let at = |kind| Diagnostic::at(&p.page.file, &p.page.text, line, col, kind);
            match lookup(output, &rel) {
                Lookup::Missing => diags.push(at(Kind::MissingFile {
                    target: value.to_owned(),
                })),
                Lookup::Copied(path) => {
                    if let Some(kind) = too_large(&path, value, limits) {
                        diags.push(at(kind).warning());
                    }
                }
                Lookup::Generated => {}
            }
        }
    }
    diags
}

enum Lookup {
    Missing,
    Generated,
    Copied(std::path::PathBuf),
}

/// Without query or fragment, percent-decoded.
fn clean(rel: &str) -> String {
    let rel = rel.split(['#', '?']).next().unwrap_or(rel);
    crate::urls::percent_decode(rel)
        .map(|s| crate::text::nfc(&s))
        .unwrap_or_else(|| rel.to_owned())
}

fn lookup(output: &Listing, rel: &str) -> Lookup {
    let candidates = [
        rel.to_owned(),
        format!("{rel}index.html"),
        format!("{rel}/index.html"),
    ];
    for c in &candidates {
        if output.is_generated(c) {
            return Lookup::Generated;
        }
        if let Some(path) = output.copied_from(c) {
            return Lookup::Copied(path);
        }
    }
    Lookup::Missing
}

fn too_large(path: &Path, shown: &str, limits: &crate::config::CheckConfig) -> Option<Kind> {
    let size_kb = std::fs::metadata(path).ok()?.len().div_ceil(1024);
    let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
    let image = IMAGE_EXTENSIONS.contains(&ext.as_str());
    let limit_kb = if image {
        limits.max_image_kb
    } else {
        limits.max_attachment_mb * 1024
    };
    (size_kb > limit_kb).then(|| Kind::FileTooLarge {
        target: shown.to_owned(),
        size_kb,
        limit_kb,
        image,
    })
}
