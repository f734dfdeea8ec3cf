//! Rendering: the theme's Tera templates applied to the site graph, plus feeds, sitemap,
//! robots.txt and redirects. Pure apart from reading templates: it returns the files to write
//! and the files to copy, and `output` decides where they go (disk or memory).
//!
//! A site overrides the theme one file at a time: `templates/page.html` at the site root
//! replaces `themes/<theme>/templates/page.html` and nothing else.

mod context;
mod feeds;
mod filters;
mod fingerprint;
mod paths;
mod views;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, IoAction, Kind};
use crate::fast_hash::FastMap;
use crate::output::Sink;
use crate::site::{PageId, Site};
use crate::urls::{self, UrlPath, Urls};
use views::Job;

/// Templates every theme must provide.
pub const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "section.html",
    "page.html",
    "document.html",
    "taxonomy_list.html",
    "taxonomy_term.html",
    "404.html",
];

/// Folder of the templates rendered once per build (see [`Theme::fragments`]).
const FRAGMENTS_DIR: &str = "fragments/";

/// The compiled templates of the theme and the site's overrides.
pub struct Theme {
    tera: Tera,
    /// Static folders to copy, theme first so the site's files win.
    static_dirs: Vec<PathBuf>,
    /// The templates under `fragments/`: the name templates know each by (its file name
    /// without extension), its template name, its file.
    fragments: Vec<(String, String, PathBuf)>,
}

/// What a render wrote.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    /// HTML pages.
    pub pages: usize,
    /// Every file, generated or copied.
    pub files: usize,
    /// Time spent on the search index (part of the render time).
    pub search: std::time::Duration,
}

impl Theme {
    /// Reads and compiles `themes/<theme>/templates` and the site's `templates/` overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let theme_dir = Path::new("themes").join(&config.theme);
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut diags = Vec::new();
        for dir in [theme_dir.join("templates"), PathBuf::from("templates")] {
            for (name, file) in template_files(&root.join(&dir)) {
                match std::fs::read_to_string(&file) {
                    Ok(text) => {
                        sources.insert(name.clone(), (dir.join(&name), text));
                    }
                    Err(e) => diags.push(Diagnostic::file(
                        dir.join(&name),
                        Kind::Io {
                            action: IoAction::Read,
                            detail: crate::diagnostics::io_reason(&e),
                        },
                    )),
                }
            }
        }
        for name in REQUIRED_TEMPLATES {
            if !sources.contains_key(*name) {
                let detail = format!(
                    "thiếu tệp giao diện `{name}` trong {}",
                    theme_dir.join("templates").display()
                );
                diags.push(Diagnostic::file(
                    theme_dir.join("templates"),
                    Kind::Template { detail },
                ));
            }
        }
        if !diags.is_empty() {
            return Err(diags);
        }
        let mut tera = Tera::new();
        filters::register(&mut tera, &Urls::new(&config.base_url));
        let batch = sources
            .iter()
            .map(|(name, (_, text))| (name.as_str(), text.as_str()));
        if let Err(e) = tera.add_raw_templates(batch) {
            let detail = e.to_string();
            // Tera names the template (`--> page.html:1:56`); say which file that is, the
            // theme's or the site's override.
            let path = sources
                .iter()
                .find(|(name, _)| detail.contains(&format!("--> {name}:")))
                .map_or_else(
                    || theme_dir.join("templates"),
                    |(_, (path, _))| path.clone(),
                );
            return Err(vec![Diagnostic::file(path, Kind::Template { detail })]);
        }
        let static_dirs = vec![root.join(&theme_dir).join("static"), root.join("static")];
        let mut fragments: Vec<(String, String, PathBuf)> = Vec::new();
        for (name, (path, _)) in &sources {
            // Only the files right in `fragments/`; those in its subfolders are parts that
            // fragments include.
            let Some(file) = name
                .strip_prefix(FRAGMENTS_DIR)
                .filter(|f| !f.contains('/'))
            else {
                continue;
            };
            let key = file
                .rsplit_once('.')
                .map_or(file, |(stem, _)| stem)
                .to_owned();
            if let Some((_, other, _)) = fragments.iter().find(|(k, _, _)| *k == key) {
                let detail = format!(
                    "`{other}` và `{name}` cùng là `fragments.{key}`: đổi tên một trong hai tệp"
                );
                return Err(vec![Diagnostic::file(path, Kind::Template { detail })]);
            }
            fragments.push((key, name.clone(), path.clone()));
        }
        Ok(Theme {
            tera,
            static_dirs,
            fragments,
        })
    }

    /// Renders the templates in `fragments/` once, with `site` alone, for every other
    /// template to show as `fragments.<name>`, as they came out (not escaped again). The parts
    /// of every page that do not depend on the page (the footer, the publisher's JSON-LD)
    /// are made once per build instead of once per page: Tera took as long to render them as
    /// the rest of a list page.
    fn fragments(&self, site: &Value) -> Result<Value, Vec<Diagnostic>> {
        let mut cx = Context::new();
        cx.insert_value("site", site.clone());
        let mut map = tera::Map::new();
        let mut diags = Vec::new();
        for (key, name, file) in &self.fragments {
            match self.render(name, &cx, file) {
                Ok(bytes) => {
                    let html = String::from_utf8_lossy(&bytes);
                    map.insert(key.clone().into(), Value::safe_string(&html));
                }
                Err(d) => diags.push(d),
            }
        }
        if diags.is_empty() {
            Ok(Value::from(map))
        } else {
            Err(diags)
        }
    }

    fn render(&self, template: &str, cx: &Context, file: &Path) -> Result<Vec<u8>, Diagnostic> {
        // `render_to` into bytes: `render` would check the whole page is UTF-8 again.
        let mut out = Vec::with_capacity(16 * 1024);
        self.tera
            .render_to(template, cx, &mut out)
            .map(|()| out)
            .map_err(|e| {
                Diagnostic::file(
                    file,
                    Kind::Template {
                        detail: e.to_string(),
                    },
                )
            })
    }
}

/// Every `template:` and `page_template:` of the content must name a template the theme (or
/// the site's `templates/`) has: a typo must not silently fall back to another layout.
pub fn check_templates(site: &Site, theme: &Theme) -> Vec<Diagnostic> {
    let mut uses: Vec<(&Path, &str, &str, &str)> = Vec::new();
    for p in &site.pages {
        if let Some(t) = &p.page.meta.template {
            uses.push((&p.page.file, &p.page.text, "template", t));
        }
    }
    for s in site.sections.iter().filter_map(|s| s.section.as_ref()) {
        for (key, t) in [
            ("template", &s.meta.template),
            ("page_template", &s.meta.page_template),
        ] {
            if let Some(t) = t {
                uses.push((&s.file, &s.text, key, t));
            }
        }
    }
    let available: Vec<String> = theme
        .tera
        .get_template_names()
        .filter(|n| !n.starts_with("partials/") && !n.starts_with(FRAGMENTS_DIR))
        .map(str::to_owned)
        .collect();
    uses.into_iter()
        .filter(|(_, _, _, name)| {
            name.starts_with(FRAGMENTS_DIR) || !theme.tera.contains_template(name)
        })
        .map(|(file, text, key, name)| {
            let (line, col) = crate::yaml::find_key(text, &[], key).unwrap_or((0, 0));
            let mut available = available.clone();
            available.sort();
            let kind = Kind::UnknownTemplate {
                name: name.to_owned(),
                available,
            };
            Diagnostic::at(file, text, line, col, kind).with_width(key.len())
        })
        .collect()
}

/// Every `.html`/`.xml`/`.txt` file under `dir`, named by its path relative to `dir`.
fn template_files(dir: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| !crate::content::is_ignored_name(&e.file_name().to_string_lossy()))
        .filter_map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            Some((rel, e.path().to_path_buf()))
        })
        .collect()
}

/// One rendered file: its output path, the fingerprint of its inputs, its bytes.
type Rendered = (String, u64, Arc<[u8]>);

/// One rendered file without fingerprint: its output path and bytes.
type File = (String, Arc<[u8]>);

/// Where page jobs find each page's body HTML.
pub enum Bodies {
    /// In the site graph, which `serve` and `cds check` keep.
    InSite,
    /// Handed over by a one-shot build: each is freed once its page's file and index entry
    /// are made (the HTML of 10,000 articles is 60 MB).
    Handed(Vec<Mutex<String>>),
}

impl Bodies {
    /// Takes every page's HTML out of `site`, leaving the rest of each rendered body (summary,
    /// table of contents) in place.
    pub fn hand_over(site: &mut Site) -> Bodies {
        let taken = site
            .pages
            .iter_mut()
            .map(|p| {
                let html = match Arc::get_mut(&mut p.rendered) {
                    Some(r) => std::mem::take(&mut r.html),
                    // Shared with a cache: copy it (nothing is freed, nothing is lost).
                    None => p.rendered.html.clone(),
                };
                Mutex::new(html)
            })
            .collect();
        Bodies::Handed(taken)
    }

    /// Page `id`'s HTML; handed-over HTML is moved out, to be dropped by the caller.
    fn take<'s>(&self, site: &'s Site, id: PageId) -> Cow<'s, str> {
        match self {
            Bodies::InSite => Cow::Borrowed(&site.pages[id].rendered.html),
            Bodies::Handed(all) => {
                let mut html = all[id].lock().unwrap_or_else(|e| e.into_inner());
                Cow::Owned(std::mem::take(&mut *html))
            }
        }
    }
}

/// Lists per piece of work handed between threads (see where the lists are rendered).
const LIST_PIECE: usize = 8;

/// Rendered files kept between builds by `serve`, with the fingerprint of their inputs.
/// Must be emptied when the theme changes. A one-shot build keeps nothing (`keep: false`), so
/// files go to the sink and leave memory as soon as they are made.
#[derive(Default)]
pub struct Cache {
    pub keep: bool,
    outputs: FastMap<String, (u64, Arc<[u8]>)>,
    /// Page cards by their fingerprint: most lists reuse them unchanged.
    cards: FastMap<u64, Value>,
    /// What each card's fingerprint reads of its page's file and body.
    owns: fingerprint::OwnPrints,
    search: crate::search::Cache,
    /// What the templates saw in the last build, for [`rerender_page`].
    frame: Option<Frame>,
}

/// The values every file of a build shares: the site globals, the fragments, every card, the
/// shared views.
struct Frame {
    globals: Value,
    fragments: Value,
    cards: Vec<Value>,
    shared: views::Shared,
}

impl Cache {
    /// Forgets every rendered file (after a theme or config change); keeps the `keep` choice.
    pub fn clear(&mut self) {
        self.outputs.clear();
        self.cards.clear();
        self.owns = fingerprint::OwnPrints::default();
        self.search = crate::search::Cache::default();
        self.frame = None;
    }

    /// The search index of the last build, if it was left to write after the reload.
    pub fn finish_search(&mut self) -> Option<crate::search::Files> {
        crate::search::finish(&mut self.search)
    }
}

/// Renders the whole site into `sink`. Collects every template error instead of stopping at
/// the first (a broken fragment stops first: every page would repeat its error); on error,
/// part of the site may have reached the sink, which the caller aborts.
/// With a kept `cache` (`serve`), a file whose inputs did not change is not rendered again.
/// `config` is a fingerprint of the configuration.
pub fn render_site_cached(
    site: &Site,
    theme: &Theme,
    cache: &mut Cache,
    config: u64,
    sink: &mut dyn Sink,
    bodies: &Bodies,
) -> Result<Written, Vec<Diagnostic>> {
    let globals = views::globals(site);
    let fragments = theme.fragments(&globals)?;
    // Fingerprints only matter to a cache that is kept (serve); a one-shot build skips them.
    let prints = cache
        .keep
        .then(|| fingerprint::Fingerprints::new(site, config, &mut cache.owns));
    let links = context::CardLinks::new(site);
    let cards: Vec<Value> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let cached = prints.as_ref().and_then(|p| cache.cards.get(&p.card(id)));
            cached
                .cloned()
                .unwrap_or_else(|| context::card_value(site, id, &links))
        })
        .collect();
    if let Some(p) = &prints {
        cache.cards = (0..site.pages.len())
            .map(|id| (p.card(id), cards[id].clone()))
            .collect();
    }
    let shared = views::Shared::new(site, &cards);
    // The feeds and the sitemap are made beside the list of jobs: both are one thread's work.
    let ((jobs, collisions), machine) = rayon::join(
        || {
            let jobs = views::jobs(
                site,
                &cards,
                &shared,
                theme.tera.contains_template("search.html"),
            );
            let collisions = paths::check(site, &jobs, &content_outputs(site, theme));
            (jobs, collisions)
        },
        || machine_files(site),
    );
    if !collisions.is_empty() {
        return Err(collisions);
    }
    let search_prints: Option<Vec<u64>> = prints.as_ref().map(|p| {
        (0..site.pages.len())
            .map(|id| p.search_entry(site, id))
            .collect()
    });
    let copies = copies(site, theme);
    let dirs: BTreeSet<String> = jobs
        .iter()
        .map(|j| j.output.clone())
        .chain(machine.iter().map(|(p, _)| p.clone()))
        .chain(copies.keys().cloned())
        .chain([format!("{}/meta.json", crate::search::INDEX_DIR)])
        .filter_map(|p| p.rfind('/').map(|i| p[..i].to_owned()))
        .collect();
    sink.begin(&dirs).map_err(|d| vec![d])?;
    let sink: &dyn Sink = sink;
    let outputs = &cache.outputs;
    let index =
        crate::search::Collector::new(site, search_prints, std::mem::take(&mut cache.search));
    let render = |job: &Job, body: Option<&str>| -> Result<Option<Rendered>, Diagnostic> {
        let path = &job.output;
        let print = prints.as_ref().map(|p| p.job(site, job));
        if let (Some(print), Some((p, bytes))) = (print, outputs.get(path))
            && *p == print
        {
            sink.put(path, bytes)?;
            return Ok(None);
        }
        let mut cx = job.context(body);
        insert_shared(&mut cx, &globals, &fragments);
        let html = theme.render(&job.template, &cx, &job.file)?;
        let Some(print) = print else {
            // Nothing keeps the file: written from the buffer it was rendered into.
            sink.put_bytes(path, &html)?;
            return Ok(None);
        };
        let bytes: Arc<[u8]> = Arc::from(html);
        sink.put(path, &bytes)?;
        Ok(Some((path.clone(), print, bytes)))
    };
    // A page's job also reads the page into the search index, from the HTML it has in hand;
    // a one-shot build then frees that HTML.
    let page_jobs: Vec<(&Job, PageId)> = jobs
        .iter()
        .filter_map(|j| j.page().map(|id| (j, id)))
        .collect();
    let list_jobs: Vec<&Job> = jobs.iter().filter(|j| j.page().is_none()).collect();
    let keep = cache.keep;
    let put_all = |files: &[File]| -> Vec<Result<Option<Rendered>, Diagnostic>> {
        files
            .par_iter()
            .filter_map(|(path, bytes)| sink.put(path, bytes).err())
            .map(Err)
            .collect()
    };
    // Pages first, on every thread; then the index is written (one thread's work, most of
    // it) while the lists are rendered beside it: rendered beside the pages, the lists were
    // done long before the index, and the other core waited for it (10k: 0.2 s).
    let mut results: Vec<Result<Option<Rendered>, Diagnostic>> = page_jobs
        .par_iter()
        .map(|&(job, id)| {
            let body = bodies.take(site, id);
            index.add(site, id, &body);
            render(job, Some(&body))
        })
        .collect();
    let ((index_results, index_count, search_cache, search), lists) = rayon::join(
        || {
            let (index_files, search_cache, search) =
                index.finish(site, keep, |id| bodies.take(site, id));
            let results = put_all(&index_files);
            (results, index_files.len(), search_cache, search)
        },
        || {
            let mut results = put_all(&machine);
            // Small pieces: while the index keeps one thread busy, rayon hands the other
            // thread the lists in a few large pieces, and the thread the index frees finds
            // none left to take (10k: the last ~80 ms ran on one core).
            let lists = list_jobs.par_iter().with_max_len(LIST_PIECE);
            results.par_extend(lists.map(|job| render(job, None)));
            results
        },
    );
    results.extend(index_results);
    results.extend(lists);
    cache.search = search_cache;
    let mut diags: Vec<Diagnostic> = Vec::new();
    // Only files rendered again come back: the others keep their place in the cache. Kept
    // even when the build fails: each entry's print still says what its bytes were made from
    // (and `serve` follows a failed build with a whole one).
    let mut fresh = std::mem::take(&mut cache.outputs);
    for r in results {
        match r {
            Ok(Some((path, print, bytes))) => {
                fresh.insert(path, (print, bytes));
            }
            Ok(None) => {}
            Err(d) => diags.push(d),
        }
    }
    let copied: Vec<Diagnostic> = copies
        .par_iter()
        .filter_map(|(rel, from)| sink.copy(rel, from).err())
        .collect();
    diags.extend(copied);
    if fresh.len() > jobs.len() {
        let live: HashSet<&str> = jobs.iter().map(|j| j.output.as_str()).collect();
        fresh.retain(|path, _| live.contains(path.as_str()));
    }
    cache.outputs = fresh;
    if !diags.is_empty() {
        return Err(diags);
    }
    let pages = jobs.len() + machine.iter().filter(|(p, _)| p.ends_with(".html")).count();
    let files = jobs.len() + machine.len() + index_count + copies.len();
    drop(jobs);
    if cache.keep {
        cache.frame = Some(Frame {
            globals,
            fragments,
            cards,
            shared,
        });
    } else {
        crate::free::in_background((globals, fragments, cards, shared));
    }
    Ok(Written {
        pages,
        files,
        search,
    })
}

/// The fingerprint of page `id`'s card: what every list, feed and neighbour shows of it. An
/// edit that keeps it (and the site graph) changes the page's own file and nothing else.
pub fn card_print(site: &Site, id: PageId) -> u64 {
    fingerprint::card(site, id)
}

/// Renders page `id`'s own file again with what the templates saw in the last build: its
/// output path and bytes. For an edit whose card print ([`card_print`]) and site graph did not
/// change. `None` when there is no last build to reuse.
pub fn render_page_again(
    site: &Site,
    theme: &Theme,
    cache: &Cache,
    id: PageId,
) -> Option<Result<File, Diagnostic>> {
    let frame = cache.frame.as_ref()?;
    let job = views::page_job(site, &frame.cards, &frame.shared, id);
    let mut cx = job.context(None);
    insert_shared(&mut cx, &frame.globals, &frame.fragments);
    Some(
        theme
            .render(&job.template, &cx, &job.file)
            .map(|bytes| (job.output.clone(), Arc::from(bytes))),
    )
}

/// What every template sees besides its own page or list: `site` and `fragments`.
fn insert_shared(cx: &mut Context, globals: &Value, fragments: &Value) {
    cx.insert_value("site", globals.clone());
    cx.insert_value("fragments", fragments.clone());
}

/// Records that page `id`'s file at `path` was rendered again outside a whole build: its
/// search entry follows after the reload ([`Cache::finish_search`]).
pub fn page_replaced(site: &Site, cache: &mut Cache, id: PageId, path: &str) {
    // The cached bytes are the old ones: the next whole build renders this file again.
    cache.outputs.remove(path);
    let card = fingerprint::card(site, id);
    let print = fingerprint::search_print(card, site.pages[id].rendered.hash);
    crate::search::replace_page(&mut cache.search, site, id, print);
}

/// Output paths that come from files under `content/` or are generated without templates,
/// with the file to blame when one collides with another output.
fn content_outputs(site: &Site, theme: &Theme) -> Vec<(String, PathBuf)> {
    let content = Path::new(crate::content::CONTENT_DIR);
    let mut out: Vec<(String, PathBuf)> = [urls::FEED, urls::SITEMAP, urls::ROBOTS]
        .iter()
        .map(|f| ((*f).to_owned(), PathBuf::from(crate::config::CONFIG_FILE)))
        .collect();
    for s in site.sections.iter().skip(1) {
        let source = s
            .section
            .as_ref()
            .map_or_else(|| content.join(&s.dir), |x| x.file.clone());
        out.push((s.path.feed().output_file(), source));
    }
    for p in &site.pages {
        let dir = crate::content::parent(&p.page.source);
        for asset in &p.page.assets {
            out.push((
                p.path.join(&asset.rel).output_file(),
                content.join(dir).join(&asset.rel),
            ));
        }
    }
    for (asset, path) in &site.loose_assets {
        out.push((path.output_file(), content.join(&asset.rel)));
    }
    // The theme's and the site's `static/` files, named by where they are; a site's file
    // replaces the theme's of the same name.
    let mut statics = BTreeMap::new();
    for dir in &theme.static_dirs {
        let shown = shown_static_dir(dir);
        for (rel, _) in template_files(dir) {
            let source = shown.join(&rel);
            statics.insert(rel, source);
        }
    }
    out.extend(statics);
    out
}

/// A `static/` folder as the editor knows it: `themes/daihai/static` or `static`.
fn shown_static_dir(dir: &Path) -> PathBuf {
    let names: Vec<_> = dir.components().rev().take(3).collect();
    match names.as_slice() {
        [stat, theme, themes] if themes.as_os_str() == "themes" => Path::new("themes")
            .join(theme.as_os_str())
            .join(stat.as_os_str()),
        [stat, ..] => PathBuf::from(stat.as_os_str()),
        [] => PathBuf::from("static"),
    }
}

/// Feeds, sitemap, robots.txt and alias redirects: generated without templates.
fn machine_files(site: &Site) -> Vec<(String, Arc<[u8]>)> {
    let config = &site.config;
    let mut out: Vec<(String, Arc<[u8]>)> = Vec::new();
    let mut add = |path: String, text: String| out.push((path, Arc::from(text.into_bytes())));
    let feed = UrlPath::default().feed();
    let all = views::feed_pages(site, None);
    add(
        feed.output_file(),
        feeds::rss(
            site,
            &config.title,
            &config.description,
            &UrlPath::default(),
            &feed,
            &all,
        ),
    );
    for (id, s) in site.sections.iter().enumerate().skip(1) {
        let feed = s.path.feed();
        let pages = views::feed_pages(site, Some(id));
        let description = s
            .section
            .as_ref()
            .and_then(|x| x.meta.description.clone())
            .unwrap_or_default();
        let title = format!("{} – {}", s.title, config.title);
        add(
            feed.output_file(),
            feeds::rss(site, &title, &description, &s.path, &feed, &pages),
        );
    }
    for tax in [&site.tags, &site.categories] {
        for term in &tax.terms {
            let feed = term.path.feed();
            let title = format!("{}: {} – {}", tax.title, term.name, config.title);
            add(
                feed.output_file(),
                feeds::rss(site, &title, "", &term.path, &feed, &term.pages),
            );
        }
    }
    add(urls::SITEMAP.into(), feeds::sitemap(site));
    add(urls::ROBOTS.into(), feeds::robots(site));
    for alias in &site.aliases {
        add(
            alias.from.output_file(),
            feeds::alias_page(&site.urls.href(&alias.to)),
        );
    }
    out
}

/// Files copied as they are: the theme's `static/`, then the site's (which wins), then
/// bundle and loose files of `content/`.
fn copies(site: &Site, theme: &Theme) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for dir in &theme.static_dirs {
        for (rel, file) in template_files(dir) {
            out.insert(rel, file);
        }
    }
    for p in &site.pages {
        for asset in &p.page.assets {
            out.insert(p.path.join(&asset.rel).output_file(), asset.disk.clone());
        }
    }
    for (asset, path) in &site.loose_assets {
        out.insert(path.output_file(), asset.disk.clone());
    }
    out
}

/// The tera value of anything serialisable (views are built from our own types and never fail).
fn value<T: serde::Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}
