//! One build, start to finish: config → content → site → markdown → render → sink.
//! Shared by `cds build`, `cds check` and `cds serve`, which differ in their sink, and in that
//! `serve` keeps a `Builder` between builds, whose memos make an edit re-do only what it
//! touches.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Severity};
use crate::fast_hash::FastMap;
use crate::markdown::Bodies;
use crate::memo::digest;
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
    /// Images probed, planned, and made where the cache lacks them.
    pub images: Duration,
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
    /// Templated files rendered by this build; the others were equal to the last build's
    /// (`serve`), so their bytes were reused.
    pub rendered: usize,
    /// Templated files whose bytes were the last build's.
    pub reused: usize,
    pub elapsed: Duration,
    pub warnings: Vec<Diagnostic>,
}

/// Runs the pipeline and publishes to `sink` only if there is no error at all.
pub fn build(req: &BuildRequest, sink: &mut dyn Sink) -> Result<BuildReport, Vec<Diagnostic>> {
    Builder::new(req.clone()).build(sink)
}

/// The pipeline: read sources → parse → `Site::build` → Markdown → plan → render → sink.
/// Every stage is a pure function; the builder owns the only state kept between builds:
/// the sources as last read, and the memo of each stage (on for `serve`, off for one build).
pub struct Builder {
    req: BuildRequest,
    /// Whether memos remember (`serve`): a one-shot build keeps nothing.
    keep: bool,
    /// The text of `config.yaml` the memos were filled with; any change empties them.
    config_text: Option<String>,
    theme: Option<Theme>,
    sources: content::Sources,
    memos: Memos,
    search: crate::search::Cache,
    /// What the watcher reported since the last build.
    changed: Option<Changed>,
    /// The content files the watcher named for this build, when no file came, went or moved:
    /// their pages are rendered first.
    edited: Vec<String>,
    /// The address of each page of the last build, by source: digests of both.
    page_paths: FastMap<u64, u64>,
    /// Image files as last probed.
    library: crate::images::Library,
    /// Images a `serve` background thread could not make, by cache key.
    images_failed: Arc<std::sync::Mutex<std::collections::BTreeMap<u64, crate::images::Failure>>>,
    /// A background thread is making images.
    images_busy: Arc<std::sync::atomic::AtomicBool>,
    /// Images the last build planned but the cache lacks (`serve`).
    images_pending: crate::images::Plan,
    /// Leave images the cache lacks to [`Builder::image_work`] (`serve`).
    images_later: bool,
    /// The graph of the last good build of a kept builder (the editor lists its pages).
    last_site: Option<Arc<Site>>,
    /// A content file's unsaved text, read in place of the file's ([`Builder::preview`]).
    unsaved: Option<(String, String)>,
}

/// A page rendered from unsaved text ([`Builder::preview`]).
pub struct PreviewPage {
    pub html: Arc<[u8]>,
    /// Its address, as a browser shows it.
    pub url: String,
    pub warnings: Vec<Diagnostic>,
}

/// Files handed over before the rest of the build (see [`Builder::build_with`]): the edited
/// pages, and every photo variant the finished build copies (output path → file in the
/// cache), since an edited page may show a photo the served site does not hold yet.
pub type Early<'a> = &'a mut dyn FnMut(&[EarlyPage], &std::collections::BTreeMap<String, PathBuf>);

/// An edited page's file, made before the rest of the build.
pub struct EarlyPage {
    /// Its output path: `tin-tuc/a/index.html`.
    pub file: String,
    /// Its address, as a browser shows it: `/chuyen-doi-so/tin-tuc/a/`.
    pub url: String,
    pub bytes: Arc<[u8]>,
}

/// The memo of every stage.
struct Memos {
    content: content::Memos,
    markdown: markdown::Memo,
    render: render::Memos,
    search: crate::search::Memo,
}

impl Memos {
    fn new(on: bool) -> Memos {
        Memos {
            content: content::Memos::new(on),
            markdown: markdown::Memo::new(on),
            render: render::Memos::new(on),
            search: crate::search::Memo::new(on),
        }
    }
}

/// A site built in memory but not published: what `cds check` inspects.
pub struct Analysis {
    pub site: Site,
    pub bodies: Bodies,
    pub images: crate::images::stage::Stage,
    pub listing: Listing,
    pub warnings: Vec<Diagnostic>,
    pub timings: Timings,
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

/// What the stages before templates made.
struct Prepared {
    site: Site,
    bodies: Bodies,
    images: crate::images::stage::Stage,
    attachments: crate::attachments::Attachments,
    statics: render::Statics,
    warnings: Vec<Diagnostic>,
    timings: Timings,
}

/// Whether a build lets go of what it has used: a one-shot build drops the Markdown sources
/// once their HTML exists, and each page's HTML once its file is made (the sources and the
/// HTML of 10,000 articles would otherwise sit in memory together); `serve` keeps them for the
/// next build, `cds check` reads them again.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Release {
    Nothing,
    Sources,
}

/// The files of the edited pages, rendered before the rest, and how many were new.
#[derive(Default)]
struct Edited {
    files: Vec<(PageId, Arc<[u8]>)>,
    fresh: usize,
}

/// What writing a plan made.
struct Written {
    pages: usize,
    files: usize,
    rendered: usize,
    reused: usize,
    search: Duration,
}

impl Builder {
    /// A builder for one build: nothing is kept.
    pub fn new(req: BuildRequest) -> Builder {
        Builder::with_memos(req, false)
    }

    /// A builder kept between builds (`serve`): each stage computes again only what its
    /// inputs changed.
    pub fn keeping(req: BuildRequest) -> Builder {
        Builder::with_memos(req, true)
    }

    fn with_memos(req: BuildRequest, keep: bool) -> Builder {
        Builder {
            req,
            keep,
            config_text: None,
            theme: None,
            sources: content::Sources::default(),
            memos: Memos::new(keep),
            search: crate::search::Cache::default(),
            changed: None,
            edited: Vec::new(),
            page_paths: FastMap::default(),
            library: crate::images::Library::default(),
            images_failed: Arc::default(),
            images_busy: Arc::default(),
            images_pending: crate::images::Plan::new(),
            images_later: false,
            last_site: None,
            unsaved: None,
        }
    }

    /// The graph of the last good build, when the builder is kept (`serve`).
    pub fn last_site(&self) -> Option<Arc<Site>> {
        self.last_site.clone()
    }

    /// The last build left photos for [`Builder::image_work`].
    pub fn images_pending(&self) -> bool {
        !self.images_pending.is_empty()
    }

    /// Builds do not wait for photos the cache lacks: pages show them as they will be, and
    /// [`Builder::image_work`] makes them (`serve`).
    pub fn make_images_later(&mut self) {
        self.images_later = true;
    }

    /// The images the last build planned but the cache lacks, to make on a thread of their
    /// own (`serve`); `None` when there are none, or a thread is already at work (the build
    /// after it finds what is still missing).
    pub fn image_work(&mut self) -> Option<crate::images::stage::Work> {
        use std::sync::atomic::Ordering::SeqCst;
        if self.images_pending.is_empty() || self.images_busy.swap(true, SeqCst) {
            return None;
        }
        let quality = Config::parse(self.config_text.as_deref()?)
            .ok()?
            .images
            .quality;
        Some(crate::images::stage::Work {
            pending: std::mem::take(&mut self.images_pending),
            root: self.req.root.clone(),
            quality,
            failed: self.images_failed.clone(),
            busy: self.images_busy.clone(),
        })
    }

    /// The search index of the last build, when `serve` left it to write after the reload;
    /// the caller adds its files to the served site.
    pub fn finish_search(&mut self) -> Option<crate::search::Files> {
        crate::search::finish(&mut self.search)
    }

    /// The next build includes draft, scheduled and expired pages (`cds check` runs once
    /// without, once with them); nothing is read again.
    pub fn include_unpublished(&mut self) {
        self.req.drafts = true;
        self.invalidate(&Changed::default());
    }

    /// Notes what the watcher saw. Files whose size or modification time changed are noticed
    /// anyway; naming them also catches an edit that kept both.
    pub fn invalidate(&mut self, changed: &Changed) {
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
        // A cache that could not be written is tried again once something was saved.
        if changed.templates || changed.config || !changed.content.is_empty() {
            let mut failed = self.images_failed.lock().unwrap_or_else(|e| e.into_inner());
            failed.retain(|_, f| !matches!(f, crate::images::Failure::Cache { .. }));
        }
        if changed.config {
            self.config_text = None;
        }
    }

    /// Runs the pipeline; publishes to `sink` only if there is no error at all.
    pub fn build(&mut self, sink: &mut dyn Sink) -> Result<BuildReport, Vec<Diagnostic>> {
        self.build_with(sink, &mut |_, _| {})
    }

    /// [`Builder::build`] that renders the files of the pages the watcher named first and
    /// hands them to `early` before the rest (`serve` shows the edited page at once, while
    /// the lists and feeds that also show it are made). Only a kept builder does; the sink
    /// still receives every file.
    pub fn build_with(
        &mut self,
        sink: &mut dyn Sink,
        early: Early,
    ) -> Result<BuildReport, Vec<Diagnostic>> {
        let started = Instant::now();
        sink.check(&self.req.root).map_err(|d| vec![d])?;
        let release = if self.keep {
            Release::Nothing
        } else {
            Release::Sources
        };
        let Prepared {
            site,
            bodies,
            images,
            attachments,
            statics,
            warnings,
            mut timings,
        } = self.prepare(release)?;
        let lap = Instant::now();
        let theme = self.theme.as_ref().ok_or_else(Vec::new)?;
        let own = Default::default();
        let shown = markdown::Files {
            pictures: &images.pictures,
            attachments: &attachments,
            own: &own,
        };
        let files = render::ImageFiles {
            copies: &images.copies,
            hidden: &images.hidden,
        };
        let planned =
            render::shared(&site, &bodies, shown, theme, &self.memos.render).and_then(|shared| {
                let first = self.render_edited(&shared, &images.copies, early)?;
                Ok((render::plan(shared, theme, &statics, files)?, first))
            });
        let written = match planned.map(|(plan, first)| self.write(&plan, sink, release, first)) {
            Ok(Ok(w)) => w,
            Ok(Err(d)) | Err(d) => {
                sink.abort();
                return Err(sorted(d));
            }
        };
        if self.keep {
            self.page_paths = page_paths(&site);
        }
        self.memos.render.settle();
        self.memos.search.settle();
        // Rendering streams into the sink; what remains is making the files visible.
        timings.render = lap.elapsed();
        timings.search = written.search;
        let lap = Instant::now();
        sink.commit().map_err(|d| vec![d])?;
        timings.write = lap.elapsed();
        if self.images_later {
            self.images_pending = images.pending;
        }
        if self.keep {
            self.last_site = Some(Arc::new(site));
        } else {
            crate::images::remove_stale(&crate::images::cache_dir(&self.req.root), &images.plan);
            crate::free::in_background((site, bodies));
        }
        Ok(BuildReport {
            timings,
            pages: written.pages,
            files: written.files,
            rendered: written.rendered,
            reused: written.reused,
            elapsed: started.elapsed(),
            warnings,
        })
    }

    /// The page of content file `source` (`tin-tuc/a.md`) as it would be with `text` in
    /// place of the file's: the whole pipeline up to templates runs (links, documents,
    /// diagnostics are the build's), then only that page is rendered; nothing is published.
    /// The file is read from disk again by the next build. Only for a kept builder.
    pub fn preview(&mut self, source: &str, text: &str) -> Result<PreviewPage, Vec<Diagnostic>> {
        /// Puts the file back whatever happens, a panic in a template included: the next
        /// build must never show the unsaved text.
        struct Restore<'a>(&'a mut Builder, &'a str);
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                let Restore(builder, source) = self;
                builder.unsaved = None;
                builder.sources.forget([*source]);
                builder.invalidate(&Changed {
                    content: vec![(*source).to_owned()],
                    ..Changed::default()
                });
            }
        }
        self.unsaved = Some((source.to_owned(), text.to_owned()));
        let restore = Restore(self, source);
        restore.0.render_one(source)
    }

    fn render_one(&mut self, source: &str) -> Result<PreviewPage, Vec<Diagnostic>> {
        let prepared = self.prepare(Release::Nothing)?;
        let theme = self.theme.as_ref().ok_or_else(Vec::new)?;
        let own = Default::default();
        let shown = markdown::Files {
            pictures: &prepared.images.pictures,
            attachments: &prepared.attachments,
            own: &own,
        };
        let site = &prepared.site;
        let shared = render::shared(site, &prepared.bodies, shown, theme, &self.memos.render)?;
        let id = (site.pages.iter().position(|p| p.page.source == source)).ok_or_else(Vec::new)?;
        let made = (shared.render(&shared.page_job(id), theme, &self.memos.render))
            .map_err(|d| vec![d])?;
        Ok(PreviewPage {
            html: made.shared().ok_or_else(Vec::new)?,
            url: site.urls.href(&site.pages[id].path),
            warnings: prepared.warnings,
        })
    }

    /// Runs the pipeline without publishing anything (`cds check`): the site, its bodies,
    /// and the list of files it would write.
    pub fn analyze(&mut self) -> Result<Analysis, Vec<Diagnostic>> {
        let prepared = self.prepare(Release::Nothing)?;
        let lap = Instant::now();
        let mut listing = Listing::default();
        let theme = self.theme.as_ref().ok_or_else(Vec::new)?;
        let (site, bodies) = (&prepared.site, &prepared.bodies);
        let images = &prepared.images;
        let own = Default::default();
        let shown = markdown::Files {
            pictures: &images.pictures,
            attachments: &prepared.attachments,
            own: &own,
        };
        let shared =
            render::shared(site, bodies, shown, theme, &self.memos.render).map_err(sorted)?;
        let files = render::ImageFiles {
            copies: &images.copies,
            hidden: &images.hidden,
        };
        let plan = render::plan(shared, theme, &prepared.statics, files).map_err(sorted)?;
        let written = self
            .write(&plan, &mut listing, Release::Nothing, Edited::default())
            .map_err(sorted)?;
        drop(plan);
        self.memos.render.settle();
        self.memos.search.settle();
        let mut timings = prepared.timings;
        timings.search = written.search;
        timings.render = lap.elapsed();
        Ok(Analysis {
            site: prepared.site,
            bodies: prepared.bodies,
            images: prepared.images,
            listing,
            warnings: prepared.warnings,
            timings,
        })
    }

    /// Renders every file of `plan` into `sink`, with the search index, on every thread.
    /// Collects every template error instead of stopping at the first; on error, part of
    /// the site may have reached the sink, which the caller aborts.
    fn write(
        &mut self,
        plan: &render::Plan,
        sink: &mut dyn Sink,
        release: Release,
        first: Edited,
    ) -> Result<Written, Vec<Diagnostic>> {
        sink.begin(&plan.dirs).map_err(|d| vec![d])?;
        let sink: &dyn Sink = sink;
        let theme = self.theme.as_ref().ok_or_else(Vec::new)?;
        let memos = &self.memos.render;
        let site = plan.shared.site;
        let bodies = plan.shared.bodies();
        let rendered = AtomicUsize::new(0);
        let render = |job: &render::Job| -> Result<(), Diagnostic> {
            let file = plan.shared.render(job, theme, memos)?;
            if file.fresh {
                rendered.fetch_add(1, Ordering::Relaxed);
            }
            file.put(sink, &job.output)
        };
        let prints = self.keep.then(|| index_prints(plan));
        let cache = std::mem::take(&mut self.search);
        let index = crate::search::Collector::new(site, prints, cache, &self.memos.search);
        let page_jobs: Vec<(&render::Job, PageId)> = (plan.jobs.iter())
            .filter_map(|j| j.page().map(|id| (j, id)))
            .collect();
        let Edited {
            files: first,
            fresh,
        } = first;
        rendered.fetch_add(fresh, Ordering::Relaxed);
        let list_jobs: Vec<&render::Job> =
            plan.jobs.iter().filter(|j| j.page().is_none()).collect();
        let keep = self.keep;
        // Pages first, on every thread; then the index is written (one thread's work, most
        // of it) while the lists are rendered beside it.
        let mut diags: Vec<Diagnostic> = (page_jobs.par_iter())
            .filter_map(|&(job, id)| {
                index.add(site, id, &bodies.page(id));
                let made = match first.iter().find(|(i, _)| *i == id) {
                    Some((_, bytes)) => sink.put(&job.output, bytes).err(),
                    None => render(job).err(),
                };
                if release == Release::Sources {
                    bodies.release_page(id);
                }
                made
            })
            .collect();
        let ((index_diags, index_count, search_cache, search), lists) = rayon::join(
            || {
                let (files, cache, took) = index.finish(site, keep, |id| bodies.page(id));
                (put_all(sink, &files), files.len(), cache, took)
            },
            || {
                let mut diags = put_all(sink, &plan.machine);
                // Small pieces: while the index keeps one thread busy, the other takes the
                // lists a few at a time, and the thread the index frees finds some left.
                let lists = list_jobs.par_iter().with_max_len(LIST_PIECE);
                diags.par_extend(lists.filter_map(|job| render(job).err()));
                diags
            },
        );
        self.search = search_cache;
        diags.extend(index_diags);
        diags.extend(lists);
        diags.par_extend(
            (plan.copies.par_iter()).filter_map(|(rel, from)| sink.copy(rel, from).err()),
        );
        if !diags.is_empty() {
            return Err(diags);
        }
        let (pages, files) = plan.counts();
        let rendered = rendered.into_inner();
        Ok(Written {
            pages,
            files: files + index_count,
            rendered,
            reused: plan.jobs.len().saturating_sub(rendered),
            search,
        })
    }

    /// Renders the files of the pages the watcher named, for `early`, when the builder is
    /// kept: the page an editor just saved is the one on their screen. Before the list of
    /// files is planned (and its addresses checked for clashes), so only a page whose address
    /// is the one it had in the last build, which passed that check.
    fn render_edited(
        &self,
        shared: &render::Shared,
        photos: &std::collections::BTreeMap<String, PathBuf>,
        early: Early,
    ) -> Result<Edited, Vec<Diagnostic>> {
        if !self.keep || self.edited.is_empty() {
            return Ok(Edited::default());
        }
        let theme = self.theme.as_ref().ok_or_else(Vec::new)?;
        let site = shared.site;
        let (mut first, mut fresh) = (Vec::new(), 0);
        for (id, p) in site.pages.iter().enumerate() {
            if self.edited.binary_search(&p.page.source).is_err() {
                continue;
            }
            let same_address = (self.page_paths.get(&digest(&p.page.source)))
                .is_some_and(|&path| path == digest(&p.path));
            if !same_address {
                return Ok(Edited::default());
            }
            let job = shared.page_job(id);
            let made = shared.render(&job, theme, &self.memos.render);
            let made = made.map_err(|d| vec![d])?;
            fresh += usize::from(made.fresh);
            if let Some(bytes) = made.shared() {
                first.push((id, bytes));
            }
        }
        if !first.is_empty() {
            let files: Vec<EarlyPage> = (first.iter())
                .map(|(id, bytes)| EarlyPage {
                    file: site.pages[*id].path.output_file(),
                    url: site.urls.href(&site.pages[*id].path),
                    bytes: bytes.clone(),
                })
                .collect();
            early(&files, photos);
        }
        Ok(Edited {
            files: first,
            fresh,
        })
    }

    /// Config, theme, sources, content, graph and Markdown: everything before templates.
    /// Fails on the first stage with errors, returning all of that stage's and the earlier
    /// ones' problems.
    fn prepare(&mut self, release: Release) -> Result<Prepared, Vec<Diagnostic>> {
        let (mut site, mut diags, mut timings) = self.graph_stage(true, release)?;
        let lap = Instant::now();
        let failed = self
            .images_failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let root = &self.req.root;
        let later = self.images_later;
        let statics = self.theme.as_ref().map(render::Statics::read);
        let no_statics = std::collections::BTreeMap::new();
        let static_files = statics.as_ref().map_or(&no_statics, render::Statics::files);
        let own_statics = statics
            .as_ref()
            .map(render::Statics::own)
            .unwrap_or_default();
        let images =
            crate::images::stage::run(&site, &own_statics, &mut self.library, root, later, &failed);
        let own = crate::attachments::own_files(&site, static_files);
        let attachments = crate::attachments::read(&own);
        diags.extend(crate::attachments::missing(&site, &own));
        timings.images = lap.elapsed();
        let lap = Instant::now();
        let files = markdown::Files {
            pictures: &images.pictures,
            attachments: &attachments,
            own: &own,
        };
        let (bodies, markdown_diags) = match release {
            Release::Nothing => markdown::render_site(&site, files, &self.memos.markdown),
            Release::Sources => self.markdown_releasing(&mut site, files),
        };
        self.memos.markdown.settle();
        diags.extend(markdown_diags);
        diags.extend(crate::images::stage::diagnostics(
            &site, &bodies, &images, root,
        ));
        timings.markdown = lap.elapsed();
        if let Some(theme) = &self.theme {
            diags.extend(render::check_templates(&site, theme));
        }
        match statics {
            Some(statics) if !diags.iter().any(Diagnostic::is_error) => Ok(Prepared {
                site,
                bodies,
                images,
                attachments,
                statics,
                warnings: sorted(diags),
                timings,
            }),
            _ => Err(sorted(diags)),
        }
    }

    /// The Markdown stage a part at a time, letting go of each part's sources once its HTML
    /// exists: at 10,000 articles the sources (60 MB) and the HTML would otherwise sit in
    /// memory together. A page with `@/…#anchor` links keeps its text for the anchor check.
    fn markdown_releasing(
        &self,
        site: &mut Site,
        files: markdown::Files,
    ) -> (Bodies, Vec<Diagnostic>) {
        const PART: usize = 512;
        let memo = &self.memos.markdown;
        let count = site.pages.len();
        let mut pages: Vec<markdown::PageBody> = Vec::with_capacity(count);
        for start in (0..count).step_by(PART) {
            let ids = start..(start + PART).min(count);
            let part = markdown::render_pages(site, files, ids.clone(), memo);
            site.release_bodies(ids, |id| !part[id - start].0.anchored_links.is_empty());
            pages.extend(part);
        }
        markdown::finish(site, files, pages, memo)
    }

    /// The site graph alone, with every problem found on the way, for `cds report`: no
    /// theme, no Markdown, no templates. Fails on any error.
    pub fn graph(&mut self) -> Result<(Site, Vec<Diagnostic>), Vec<Diagnostic>> {
        let (site, diags, _) = self.graph_stage(false, Release::Nothing)?;
        if diags.iter().any(Diagnostic::is_error) {
            return Err(sorted(diags));
        }
        Ok((site, sorted(diags)))
    }

    /// Config, sources (and the theme, `with_theme`), content and the site graph, with the
    /// problems of each; fails only when the configuration cannot be read.
    fn graph_stage(
        &mut self,
        with_theme: bool,
        release: Release,
    ) -> Result<(Site, Vec<Diagnostic>, Timings), Vec<Diagnostic>> {
        let mut config = self.load_config()?;
        if let Some(url) = &self.req.base_url {
            config.base_url = url.clone();
            config.check_base_url().map_err(|_| {
                let usage = crate::diagnostics::Usage::BadBaseUrl { value: url.clone() };
                vec![Diagnostic::file(
                    "--base-url",
                    crate::diagnostics::Kind::Usage(usage),
                )]
            })?;
        }
        let mut timings = Timings::default();
        let lap = Instant::now();
        let mut diags = Vec::new();
        self.read_sources(&config, with_theme, &mut diags);
        if let Some((rel, text)) = &self.unsaved {
            self.sources.overlay(rel, text);
        }
        let mut loaded = content::parse(&self.sources, &config, &self.memos.content);
        self.memos.content.settle();
        if release == Release::Sources {
            // Nothing reads the sources again: the pages hold the only copy of each text.
            self.sources = content::Sources::default();
        }
        diags.append(&mut loaded.diagnostics);
        timings.load = lap.elapsed();
        let lap = Instant::now();
        let opts = BuildOptions {
            include_unpublished: self.req.drafts,
            now: self.now(),
        };
        let (site, graph_diags) = Site::build(config, loaded, &opts);
        diags.extend(graph_diags);
        timings.graph = lap.elapsed();
        Ok((site, diags, timings))
    }

    /// The read end: the theme's templates (when they changed) compile while `content/` is
    /// read again where the watcher or the files' stamps say it changed.
    fn read_sources(&mut self, config: &Config, with_theme: bool, diags: &mut Vec<Diagnostic>) {
        self.edited.clear();
        if let Some(changed) = self.changed.take() {
            self.edited = changed.content.clone();
            self.sources
                .forget(changed.content.iter().map(String::as_str));
            if changed.rescan {
                self.sources.distrust_walk();
            } else {
                let content = self.req.root.join(content::CONTENT_DIR);
                self.sources.trust_walk(&content, &changed.content);
            }
        }
        let root = &self.req.root;
        let load_theme = with_theme && self.theme.is_none();
        let sources = &mut self.sources;
        let (theme, same_files) = rayon::join(
            || load_theme.then(|| Theme::load(root, config)),
            || sources.read(root),
        );
        // Pages that came, went or moved change more than what they show: no page first.
        if !same_files {
            self.edited.clear();
        }
        match theme {
            Some(Ok(t)) => {
                self.memos.render = render::Memos::new(self.keep);
                self.theme = Some(t);
            }
            Some(Err(d)) => diags.extend(d),
            None => {}
        }
    }

    /// The moment that decides what is published: the request's, else now in Vietnam.
    fn now(&self) -> DateTime<FixedOffset> {
        self.req.now.unwrap_or_else(now_in_vietnam)
    }

    /// Reads `config.yaml`; a different text than last time empties every memo.
    fn load_config(&mut self) -> Result<Config, Vec<Diagnostic>> {
        let text = Config::read(&self.req.root)?;
        if self.config_text.as_deref() != Some(text.as_str()) {
            self.theme = None;
            self.memos = Memos::new(self.keep);
            self.search = crate::search::Cache::default();
        }
        let config = Config::parse(&text)?;
        self.config_text = Some(text);
        Ok(config)
    }
}

/// The address of every page by its source, as digests: what `render_edited` compares.
fn page_paths(site: &Site) -> FastMap<u64, u64> {
    (site.pages.iter())
        .map(|p| (digest(&p.page.source), digest(&p.path)))
        .collect()
}

/// What the search index reads of each page, by page id: its card and its body (only `serve`
/// compares them).
fn index_prints(plan: &render::Plan) -> Vec<u64> {
    let bodies = plan.shared.bodies();
    (0..plan.shared.site.pages.len())
        .map(|id| digest(&(plan.shared.card_digest(id), &bodies.page(id))))
        .collect()
}

/// Hands `files` to `sink`, on every thread; what failed.
fn put_all(sink: &dyn Sink, files: &[(String, Arc<[u8]>)]) -> Vec<Diagnostic> {
    (files.par_iter())
        .filter_map(|(path, bytes)| sink.put(path, bytes).err())
        .collect()
}

/// Lists per piece of work handed between threads (see where the lists are rendered).
const LIST_PIECE: usize = 8;

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
