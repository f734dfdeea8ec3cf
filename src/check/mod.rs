//! `cds check`: everything the build validates, without writing anything, then what a careful
//! editor wants to know before publishing: missing files and images without alt text, files too
//! heavy for 3G, documents no article cites, pages that will not appear and why, text pasted
//! from legacy encodings, mixed tone placement, tags typed two ways, and (`--external`) links to
//! other sites that no longer answer.
//!
//! Each check is a function over the loaded content or the analysed site that returns
//! diagnostics; nothing here prints or writes.

mod external;
mod files;
mod spelling;
mod tags;

use std::path::PathBuf;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset};

use crate::build::{BuildRequest, Builder};
use crate::config::Config;
use crate::content::{Page, Section};
use crate::diagnostics::{Diagnostic, Kind};
use crate::site::Status;

/// What `cds check` was asked for.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub root: PathBuf,
    /// Also request every link to another site.
    pub external: bool,
    pub now: DateTime<FixedOffset>,
}

/// Every problem found, errors first, then by file and line.
pub fn check(opts: &CheckOptions) -> Vec<Diagnostic> {
    let req = BuildRequest {
        root: opts.root.clone(),
        base_url: None,
        drafts: false,
        now: Some(opts.now),
    };
    // One builder for both runs below: the second reads and parses nothing again.
    let mut builder = Builder::keeping(req);
    let mut unpublished_pages = false;
    // Every page, drafts too, for the checks of what editors typed.
    let mut all: Option<Written> = None;
    let mut diags = match builder.analyze() {
        Ok(analysis) => {
            unpublished_pages = !analysis.site.excluded.is_empty();
            if !unpublished_pages {
                all = Some(written(&analysis.site));
            }
            let mut d = analysis.warnings;
            d.extend(files::check(
                &analysis.site,
                &analysis.bodies,
                &analysis.listing,
                &analysis.images,
            ));
            d.extend(crate::images::stage::gps_warnings(
                &analysis.images,
                &opts.root,
            ));
            d.extend(uncited_documents(&analysis.site));
            d.extend(incomplete_documents(&analysis.site));
            d.extend(unpublished(&analysis.site));
            if opts.external {
                d.extend(external::check(&analysis.site, &analysis.bodies));
            }
            d
        }
        Err(errors) => errors,
    };
    // Drafts and scheduled pages are built by `serve`, `build --drafts`, and by `build` once
    // their time comes: what would fail then is an error now.
    if unpublished_pages {
        builder.include_unpublished();
        match builder.analyze() {
            Ok(analysis) => all = Some(written(&analysis.site)),
            Err(errors) => diags.extend(errors.into_iter().filter(Diagnostic::is_error)),
        }
    }
    // A build that failed placed no page: the files as they load.
    let all = all.or_else(|| {
        let config = Config::load(&opts.root).ok()?;
        let loaded = crate::content::load(&opts.root, &config);
        Some((loaded.pages, loaded.sections))
    });
    if let Some((pages, sections)) = all {
        diags.extend(spelling::legacy_encoding(&pages, &sections));
        diags.extend(spelling::tone_placement(&pages, &sections));
        diags.extend(tags::similar(&pages));
    }
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, a.severity).cmp(&(&b.path, b.line, b.col, b.severity))
    });
    diags.dedup();
    diags
}

/// The pages and sections as editors wrote them.
type Written = (Vec<Arc<Page>>, Vec<Section>);

fn written(site: &crate::site::Site) -> Written {
    let pages = site.pages.iter().map(|p| p.page.clone()).collect();
    let sections = site
        .sections
        .iter()
        .filter_map(|s| s.section.clone())
        .collect();
    (pages, sections)
}

/// Documents that no published page names in `documents:`.
fn uncited_documents(site: &crate::site::Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter(|p| p.cited_by.is_empty())
        .filter_map(|p| {
            let n = p.page.meta.document.as_ref()?.number.as_ref()?;
            let kind = Kind::DocumentNotCited {
                number: n.value.to_string(),
            };
            let width = n.value.as_str().chars().count();
            Some(
                Diagnostic::at(&p.page.file, &p.page.text, n.line, n.col, kind)
                    .with_width(width)
                    .warning(),
            )
        })
        .collect()
}

/// Document pages without a field NĐ 42/2022/NĐ-CP Điều 7 asks a portal to show (the
/// abstract is required by the build itself), warned at their `document:` line.
fn incomplete_documents(site: &crate::site::Site) -> Vec<Diagnostic> {
    site.pages
        .iter()
        .filter_map(|p| {
            let d = p.page.meta.document.as_ref()?;
            let fields: Vec<(&'static str, &'static str)> = [
                ("hình thức văn bản", "type", d.doc_type.is_some()),
                ("số ký hiệu", "number", d.number.is_some()),
                ("cơ quan ban hành", "issuer", d.issuer.is_some()),
                ("ngày ban hành", "issued", d.issued.is_some()),
                ("ngày hiệu lực", "effective", d.effective.is_some()),
                ("tệp toàn văn", "file", d.file.is_some()),
            ]
            .into_iter()
            .filter(|(_, _, there)| !there)
            .map(|(label, key, _)| (label, key))
            .collect();
            if fields.is_empty() {
                return None;
            }
            let line = (p.page.text.lines())
                .position(|l| l.trim_end() == "document:")
                .map_or(1, |i| i + 1);
            let kind = Kind::DocumentFieldsMissing { fields };
            Some(Diagnostic::at(&p.page.file, &p.page.text, line, 1, kind).warning())
        })
        .collect()
}

/// Pages that will not appear, and why.
fn unpublished(site: &crate::site::Site) -> Vec<Diagnostic> {
    site.excluded
        .iter()
        .map(|e| {
            let when = match e.status {
                Status::Scheduled => e.date,
                Status::Expired => e.expiry_date,
                _ => None,
            };
            let kind = Kind::NotPublished {
                status: e.status,
                when,
            };
            Diagnostic::file(&e.file, kind).note()
        })
        .collect()
}

/// The report printed by `cds check`: diagnostics grouped under their file, then the count.
pub fn render_report(diags: &[Diagnostic]) -> String {
    let mut out = String::new();
    let mut current: Option<&std::path::Path> = None;
    for d in diags {
        if current != Some(d.path.as_path()) {
            current = Some(d.path.as_path());
            out.push_str(&format!(
                "\n== {}\n",
                crate::diagnostics::display_path(&d.path)
            ));
        }
        out.push_str(&d.render());
    }
    out.push_str(&format!("\n{}\n", crate::diagnostics::check_verdict(diags)));
    out
}
