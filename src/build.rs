//! One build, start to finish: config → content → site → markdown → render → sink.
//! Shared by `cds build` and (later) `cds serve`, which differ only in their sink and options.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::Sink;
use crate::render::{self, Theme};
use crate::site::{BuildOptions, Site};
use crate::{content, markdown};

/// What the user asked for.
#[derive(Debug, Clone)]
pub struct BuildRequest {
    /// The site root (holds `config.yaml`, `content/`, `themes/`).
    pub root: PathBuf,
    /// Overrides `base_url` (`--base-url`).
    pub base_url: Option<String>,
    /// Include draft, scheduled and expired pages (`--drafts`).
    pub drafts: bool,
    /// The moment that decides scheduling; `None` means now.
    pub now: Option<DateTime<FixedOffset>>,
}

/// A successful build.
#[derive(Debug)]
pub struct BuildReport {
    /// HTML pages written.
    pub pages: usize,
    /// All files written or copied.
    pub files: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// Runs the pipeline and publishes to `sink` only if there is no error at all.
pub fn build(req: &BuildRequest, sink: &mut dyn Sink) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let mut config = Config::load(&req.root)?;
    if let Some(url) = &req.base_url {
        config.base_url = url.clone();
    }
    let now = req
        .now
        .unwrap_or_else(|| chrono::Local::now().with_timezone(&crate::text::vietnam_offset()));
    let theme = Theme::load(&req.root, &config);

    let loaded = content::load(&req.root, &config);
    let mut diags = loaded.diagnostics.clone();
    let loaded = content::Loaded {
        diagnostics: Vec::new(),
        ..loaded
    };
    let opts = BuildOptions {
        include_unpublished: req.drafts,
        now,
    };
    let (mut site, graph_diags) = Site::build(config, loaded, &opts);
    diags.extend(graph_diags);
    diags.extend(markdown::render_site(&mut site));
    let theme = match theme {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    if diags.iter().any(Diagnostic::is_error) {
        return Err(sorted(diags));
    }
    let Some(theme) = theme else {
        return Err(sorted(diags));
    };
    let output = render::render_site(&site, &theme).map_err(sorted)?;
    sink.publish(&output).map_err(|d| vec![d])?;
    let pages = output.files.keys().filter(|k| k.ends_with(".html")).count();
    Ok(BuildReport {
        pages,
        files: output.files.len() + output.copies.len(),
        elapsed: started.elapsed(),
        warnings: sorted(diags),
    })
}

/// Errors before warnings, then by file and line, so the report reads top to bottom.
fn sorted(mut diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diags.sort_by(|a, b| {
        (a.severity != Severity::Error, &a.path, a.line, a.col).cmp(&(
            b.severity != Severity::Error,
            &b.path,
            b.line,
            b.col,
        ))
    });
    diags
}

/// The default output folder of a site root.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
