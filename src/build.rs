//! One build, start to finish: config → content → site → markdown → render → sink.
//! Shared by `cds build` and `cds serve`, which differ in their sink, and in that `serve` keeps
//! a `Builder` between builds so an edit re-does only what it touches.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::output::{Listing, Sink};
use crate::render::{self, Theme};
use crate::site::{BuildOptions, PageId, Site};
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

/// Where the time of a build went (`cds build --timings`).
#[derive(Debug, Default, Clone, Copy)]
pub struct Timings {
    /// Config, theme and content files read and parsed.
    pub load: Duration,
    /// The site graph.
    pub graph: Duration,
    /// Markdown to HTML.
    pub markdown: Duration,
    /// Templates, feeds, sitemap and the search index.
    pub render: Duration,
    /// The search index: reading pages (in their page jobs, summed over threads) and writing
    /// its files. Part of `render`, not after it.
    pub search: Duration,
    /// Writing (disk) or swapping (memory).
    pub write: Duration,
}

/// A successful build.
#[derive(Debug)]
pub struct BuildReport {
    pub timings: Timings,
    /// HTML pages written.
    pub pages: usize,
    /// All files written or copied.
    pub files: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
    /// How much of the pipeline ran (see [`Builder::quick_edit`]).
    pub scope: Scope,
}

/// How much of the pipeline a build ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every stage, over every file (only changed files are read again).
    Whole,
    /// `edited` pages read again, then the templates from the last site graph: the pages
    /// listing them are rendered again.
    Lists { edited: usize },
    /// Only the files of `edited` pages.
    Pages { edited: usize },
}

/// Runs the pipeline and publishes to `sink` only if there is no error at all.
pub fn build(req: &BuildRequest, sink: &mut dyn Sink) -> Result<BuildReport, Vec<Diagnostic>> {
    Builder::new(req.clone()).build(sink)
}

/// The pipeline with what it can keep between builds: `cds build` uses it once; `cds serve`
/// keeps it, tells it what changed, and so re-reads, re-parses and re-renders only that.
pub struct Builder {
    req: BuildRequest,
    /// The text of `config.yaml` the caches were built with; any change empties them.
    config_text: Option<String>,
    theme: Option<Theme>,
    content: content::Cache,
    markdown: markdown::Cache,
    render: render::Cache,
    /// What the watcher reported since the last build.
    changed: Option<Changed>,
    /// The last successful build, kept by `serve`: a quick edit starts from it.
    last: Option<LastBuild>,
}

/// A successful build's site and report, for [`Builder::quick_edit`].
struct LastBuild {
    site: Site,
    warnings: Vec<Diagnostic>,
    pages: usize,
    files: usize,
}

/// A site built in memory but not published: what `cds check` inspects.
pub struct Analysis {
    pub site: Site,
    pub listing: Listing,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
}

/// Whether the Markdown sources outlive the Markdown stage.
#[derive(Clone, Copy)]
enum Sources {
    /// For a next build (`serve`) or for `cds check`, which reads the bodies.
    Keep,
    /// A one-shot build: each page keeps only its front matter once its HTML exists.
    Free,
}

/// What changed since the last build, as the watcher reports it.
#[derive(Debug, Default, Clone)]
pub struct Changed {
    /// Content files, relative to `content/`.
    pub content: Vec<String>,
    pub templates: bool,
    pub config: bool,
    /// The watcher lost track (its queue overflowed, or the system asked for a rescan):
    /// anything may have changed.
    pub rescan: bool,
}

impl Builder {
    /// A builder for one build: nothing rendered is kept in memory.
    pub fn new(req: BuildRequest) -> Builder {
        Builder {
            req,
            config_text: None,
            theme: None,
            content: content::Cache::default(),
            markdown: markdown::Cache::default(),
            render: render::Cache::default(),
            changed: None,
            last: None,
        }
    }

    /// A builder kept between builds (`serve`): rendered pages are kept with their
    /// fingerprints, so the next build re-renders only what changed.
    pub fn keeping(req: BuildRequest) -> Builder {
        let mut b = Builder::new(req);
        b.render.keep = true;
        b
    }

    /// The search index of the last build, when `serve` left it to write after the reload;
    /// the caller adds its files to the served site.
    pub fn finish_search(&mut self) -> Option<crate::search::Files> {
        self.render.finish_search()
    }

    /// Forgets what `changed` makes stale. Files whose size or modification time changed are
    /// noticed anyway; naming them also catches an edit that kept both.
    pub fn invalidate(&mut self, changed: &Changed) {
        // Content files are forgotten by the next build, unless it is a quick edit.
        let before = self.changed.take().unwrap_or_default();
        let mut content: Vec<String> = before.content;
        content.extend(changed.content.iter().cloned());
        content.sort();
        content.dedup();
        self.changed = Some(Changed {
            content,
            templates: before.templates || changed.templates,
            config: before.config || changed.config,
            rescan: before.rescan || changed.rescan,
        });
        if changed.templates {
            self.theme = None;
        }
        if changed.config {
            self.config_text = None;
        }
    }

    /// Runs the pipeline; publishes to `sink` only if there is no error at all.
    pub fn build(&mut self, sink: &mut dyn Sink) -> Result<BuildReport, Vec<Diagnostic>> {
        let started = Instant::now();
        sink.check(&self.req.root).map_err(|d| vec![d])?;
        if let Some(changed) = self.changed.take() {
            if let Some(report) = self.quick_edit(&changed, sink, started) {
                return Ok(report);
            }
            self.content
                .forget(changed.content.iter().map(String::as_str));
            if changed.rescan {
                self.content.distrust_walk();
            } else {
                let content = self.req.root.join(content::CONTENT_DIR);
                self.content.trust_walk(&content, &changed.content);
            }
        }
        self.last = None;
        // A one-shot build keeps nothing for a next build, and templates never read the
        // Markdown sources: each is freed once its HTML exists.
        let sources = if self.render.keep {
            Sources::Keep
        } else {
            Sources::Free
        };
        let (mut site, warnings, mut timings) = self.prepare(sources)?;
        let bodies = match sources {
            Sources::Keep => render::Bodies::InSite,
            Sources::Free => render::Bodies::hand_over(&mut site),
        };
        let lap = Instant::now();
        let written = match self.render_into(&site, sink, &bodies) {
            Ok(w) => w,
            Err(d) => {
                sink.abort();
                return Err(d);
            }
        };
        // Rendering streams into the sink; what remains is making the files visible.
        let rendered = lap.elapsed();
        let lap = Instant::now();
        sink.commit().map_err(|d| vec![d])?;
        timings.search = written.search;
        timings.render = rendered;
        timings.write = lap.elapsed();
        if self.render.keep {
            self.last = Some(LastBuild {
                site,
                warnings: warnings.clone(),
                pages: written.pages,
                files: written.files,
            });
        } else {
            crate::free::in_background((site, bodies));
        }
        Ok(BuildReport {
            timings,
            pages: written.pages,
            files: written.files,
            elapsed: started.elapsed(),
            warnings,
            scope: Scope::Whole,
        })
    }

    /// The quick paths of `serve` for the most common edits, edits of articles' text, which
    /// start from the last build's site graph instead of reading every file again:
    /// - an edit of the body that leaves the page's front matter, summary, heading ids and
    ///   card as they were renders only that page's file again (every other file would come
    ///   out the same: the fingerprints in `render` say so);
    /// - an edit of what the page shows in lists (title, summary, author, image…) that leaves
    ///   its place in the graph as it was ([`Site::keeps_place`]) renders the site from the
    ///   last graph, which re-renders only the files whose fingerprints changed.
    ///
    /// `None` when the edit needs a whole build, which then also reports whatever is wrong.
    fn quick_edit(
        &mut self,
        changed: &Changed,
        sink: &mut dyn Sink,
        started: Instant,
    ) -> Option<BuildReport> {
        if changed.templates
            || changed.config
            || changed.rescan
            || changed.content.is_empty()
            || !sink.replaces()
        {
            return None;
        }
        self.theme.as_ref()?;
        self.config_text.as_ref()?;
        // Taken: a whole build follows if this returns `None`, and starts from nothing.
        let mut last = self.last.take()?;
        let now = self.now();
        if !self.req.drafts || !last.site.statuses_hold(now) {
            return None;
        }
        let mut timings = Timings::default();
        let lap = Instant::now();
        let mut edits = Vec::new();
        for rel in &changed.content {
            let id = last.site.page_of(rel)?;
            let card = render::card_print(&last.site, id);
            let page = self
                .content
                .reload_page(&self.req.root, &last.site.config, rel)?;
            edits.push((id, card, page));
        }
        timings.load = lap.elapsed();
        let lap = Instant::now();
        let mut lists = false;
        for (id, card, page) in &edits {
            let old = std::mem::replace(&mut last.site.pages[*id].page, page.clone());
            markdown::rerender_page(&mut last.site, *id, &mut self.markdown)?;
            if render::card_print(&last.site, *id) != *card {
                if !last.site.keeps_place(*id, &old, now) {
                    return None;
                }
                lists = true;
            }
        }
        timings.markdown = lap.elapsed();
        let edited = edits.len();
        let scope = if lists {
            self.render_lists(&mut last, sink, &mut timings)?;
            Scope::Lists { edited }
        } else {
            let lap = Instant::now();
            let ids: Vec<PageId> = edits.iter().map(|(id, _, _)| *id).collect();
            self.render_pages_again(&last, &ids, sink)?;
            timings.render = lap.elapsed();
            Scope::Pages { edited }
        };
        let report = BuildReport {
            timings,
            pages: last.pages,
            files: last.files,
            elapsed: started.elapsed(),
            warnings: last.warnings.clone(),
            scope,
        };
        self.last = Some(last);
        Some(report)
    }

    /// Renders the site from the last graph (its edited pages already swapped in): the
    /// fingerprints pick the files to render again. `None` on any error, which the whole
    /// build that follows reports.
    fn render_lists(
        &mut self,
        last: &mut LastBuild,
        sink: &mut dyn Sink,
        timings: &mut Timings,
    ) -> Option<()> {
        let lap = Instant::now();
        let Ok(written) = self.render_into(&last.site, sink, &render::Bodies::InSite) else {
            sink.abort();
            return None;
        };
        timings.search = written.search;
        timings.render = lap.elapsed();
        let lap = Instant::now();
        sink.commit().ok()?;
        timings.write = lap.elapsed();
        (last.pages, last.files) = (written.pages, written.files);
        Some(())
    }

    /// Renders the files of pages `ids` again with what the templates saw in the last build,
    /// and swaps them into the served site.
    fn render_pages_again(
        &mut self,
        last: &LastBuild,
        ids: &[PageId],
        sink: &mut dyn Sink,
    ) -> Option<()> {
        let theme = self.theme.as_ref()?;
        let mut rendered = Vec::new();
        for &id in ids {
            let file = render::render_page_again(&last.site, theme, &self.render, id)?.ok()?;
            rendered.push((id, file));
        }
        for (id, (path, bytes)) in rendered {
            sink.replace(&path, bytes);
            render::page_replaced(&last.site, &mut self.render, id, &path);
        }
        Some(())
    }

    /// Runs the pipeline without publishing anything (`cds check`): the site, and the list
    /// of files it would write.
    pub fn analyze(&mut self) -> Result<Analysis, Vec<Diagnostic>> {
        // `cds check` reads the bodies again (spelling, links).
        let (site, warnings, mut timings) = self.prepare(Sources::Keep)?;
        let lap = Instant::now();
        let mut listing = Listing::default();
        let written = self.render_into(&site, &mut listing, &render::Bodies::InSite)?;
        timings.search = written.search;
        timings.render = lap.elapsed();
        Ok(Analysis {
            site,
            listing,
            warnings,
            timings,
        })
    }

    fn render_into(
        &mut self,
        site: &Site,
        sink: &mut dyn Sink,
        bodies: &render::Bodies,
    ) -> Result<render::Written, Vec<Diagnostic>> {
        let theme = self.theme.as_ref().ok_or_else(Vec::new)?;
        let config_print = fingerprint(self.config_text.as_deref().unwrap_or_default(), &self.req);
        render::render_site_cached(site, theme, &mut self.render, config_print, sink, bodies)
            .map_err(sorted)
    }

    /// Config, theme, content, graph and Markdown: everything before templates. Fails on the
    /// first stage with errors, returning all of that stage's and the earlier ones' problems.
    fn prepare(
        &mut self,
        sources: Sources,
    ) -> Result<(Site, Vec<Diagnostic>, Timings), Vec<Diagnostic>> {
        let req = self.req.clone();
        let mut config = self.load_config()?;
        if let Some(url) = &req.base_url {
            config.base_url = url.clone();
            config.check_base_url().map_err(|_| {
                let usage = crate::diagnostics::Usage::BadBaseUrl { value: url.clone() };
                vec![Diagnostic::file(
                    "--base-url",
                    crate::diagnostics::Kind::Usage(usage),
                )]
            })?;
        }
        let now = self.now();
        let mut timings = Timings::default();
        let mut lap = Instant::now();
        let mut split = |slot: &mut Duration| {
            *slot = lap.elapsed();
            lap = Instant::now();
        };
        let mut diags = Vec::new();
        // The theme's templates compile while the content is read.
        let load_theme = self.theme.is_none();
        let (theme, mut loaded) = rayon::join(
            || load_theme.then(|| Theme::load(&req.root, &config)),
            || content::load_cached(&req.root, &config, &mut self.content),
        );
        if let Some(theme) = theme {
            self.render.clear();
            match theme {
                Ok(t) => self.theme = Some(t),
                Err(d) => diags.extend(d),
            }
        }
        diags.append(&mut loaded.diagnostics);
        split(&mut timings.load);

        let opts = BuildOptions {
            include_unpublished: req.drafts,
            now,
        };
        let (mut site, graph_diags) = Site::build(config, loaded, &opts);
        diags.extend(graph_diags);
        split(&mut timings.graph);
        match sources {
            Sources::Keep => {
                diags.extend(markdown::render_site_cached(&mut site, &mut self.markdown));
            }
            Sources::Free => {
                // The content cache shares the pages: without it, freeing a source frees it
                // (so it goes now, not on another thread, which could still hold a page while
                // the Markdown stage trims it).
                self.content = content::Cache::default();
                self.markdown = markdown::Cache::default();
                diags.extend(markdown::render_site_once(&mut site));
            }
        }
        split(&mut timings.markdown);
        if let Some(theme) = &self.theme {
            diags.extend(render::check_templates(&site, theme));
        }
        if self.theme.is_none() || diags.iter().any(Diagnostic::is_error) {
            return Err(sorted(diags));
        }
        Ok((site, sorted(diags), timings))
    }

    /// The moment that decides what is published: the request's, else now in Vietnam.
    fn now(&self) -> DateTime<FixedOffset> {
        self.req.now.unwrap_or_else(now_in_vietnam)
    }

    /// Reads `config.yaml`; a different text than last time empties every cache.
    fn load_config(&mut self) -> Result<Config, Vec<Diagnostic>> {
        let text = Config::read(&self.req.root)?;
        if self.config_text.as_deref() != Some(text.as_str()) {
            self.theme = None;
            self.content = content::Cache::default();
            self.markdown = markdown::Cache::default();
            self.render.clear();
        }
        let config = Config::parse(&text)?;
        self.config_text = Some(text);
        Ok(config)
    }
}

/// What every rendered file depends on besides the site graph: the configuration and the
/// request (base URL, drafts).
fn fingerprint(config_text: &str, req: &BuildRequest) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (config_text, &req.base_url, req.drafts).hash(&mut h);
    h.finish()
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

/// The clock, read in Vietnam time (UTC+07:00): the one place a command asks what time it is.
pub fn now_in_vietnam() -> DateTime<FixedOffset> {
    chrono::Local::now().with_timezone(&crate::text::vietnam_offset())
}

/// The default output folder of a site root.
pub fn default_output(root: &Path) -> PathBuf {
    root.join("public")
}
