//! Rendering: the theme's Tera templates applied to the site graph, plus feeds, sitemap,
//! robots.txt and redirects. [`plan`] lists every file the site is made of and what each
//! shows; [`Plan::render`] makes one templated file. Pure apart from reading templates: the
//! builder decides where files go (`output`).
//!
//! A site overrides the theme one file at a time: `templates/page.html` at the site root
//! replaces `themes/<theme>/templates/page.html` and nothing else.

mod context;
mod feeds;
mod filters;
pub mod open_data;
mod paths;
mod views;

use std::collections::{BTreeMap, BTreeSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, IoAction, Kind};
use crate::markdown::Bodies;
use crate::memo::{Hashed, Memo};
use crate::output::Sink;
use crate::site::{PageId, Site};
use crate::urls::{self, UrlPath, Urls};
pub use views::Job;

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
    /// The digest of every template's name and text: what each rendered file depends on.
    digest: u64,
    /// Static folders to copy, theme first so the site's files win.
    static_dirs: Vec<PathBuf>,
    /// The templates under `fragments/`: the name templates know each by (its file name
    /// without extension), its template name, its file.
    fragments: Vec<(String, String, PathBuf)>,
}

impl Theme {
    /// Reads and compiles `themes/<theme>/templates` and the site's `templates/` overrides.
    pub fn load(root: &Path, config: &Config) -> Result<Theme, Vec<Diagnostic>> {
        let theme_dir = Path::new("themes").join(&config.theme);
        let sources = read_templates(root, &theme_dir)?;
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
        Ok(Theme {
            tera,
            digest: crate::memo::digest(&(&sources, &config.base_url)),
            static_dirs: vec![root.join(&theme_dir).join("static"), root.join("static")],
            fragments: fragments_of(&sources).map_err(|d| vec![d])?,
        })
    }

    /// Renders the templates in `fragments/` once, with `site` alone, for every other
    /// template to show as `fragments.<name>`, as they came out (not escaped again). The parts
    /// of every page that do not depend on the page (the footer, the publisher's JSON-LD)
    /// are made once per build instead of once per page: Tera took as long to render them as
    /// the rest of a list page.
    fn fragments(&self, site: &Piece) -> Result<Piece, Vec<Diagnostic>> {
        let mut cx = Context::new();
        cx.insert_value("site", site.value.clone());
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
            let digest = crate::memo::digest(&(self.digest, site));
            Ok(Piece::made(digest, Value::from(map)))
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

/// The theme's templates, then the site's overrides (`templates/`), by name: the file each
/// comes from and its text. Every unreadable or missing required template is reported.
fn read_templates(root: &Path, theme_dir: &Path) -> Result<TemplateSources, Vec<Diagnostic>> {
    let mut sources = TemplateSources::new();
    let mut diags = Vec::new();
    for dir in [theme_dir.join("templates"), PathBuf::from("templates")] {
        for (name, file) in template_files(&root.join(&dir)) {
            match std::fs::read_to_string(&file) {
                Ok(text) => {
                    sources.insert(name.clone(), (dir.join(&name), text));
                }
                Err(e) => {
                    let detail = crate::diagnostics::io_reason(&e);
                    let kind = Kind::Io {
                        action: IoAction::Read,
                        detail,
                    };
                    diags.push(Diagnostic::file(dir.join(&name), kind));
                }
            }
        }
    }
    for name in REQUIRED_TEMPLATES {
        if !sources.contains_key(*name) {
            let kind = Kind::MissingTemplate {
                name: (*name).to_owned(),
            };
            diags.push(Diagnostic::file(theme_dir.join("templates"), kind));
        }
    }
    if diags.is_empty() {
        Ok(sources)
    } else {
        Err(diags)
    }
}

/// Template name → the file it comes from and its text.
type TemplateSources = BTreeMap<String, (PathBuf, String)>;

/// The templates right in `fragments/` (those in its subfolders are parts that fragments
/// include): the name templates know each by, its template name, its file.
fn fragments_of(sources: &TemplateSources) -> Result<Vec<(String, String, PathBuf)>, Diagnostic> {
    let mut fragments: Vec<(String, String, PathBuf)> = Vec::new();
    for (name, (path, _)) in sources {
        let Some(file) = (name.strip_prefix(FRAGMENTS_DIR)).filter(|f| !f.contains('/')) else {
            continue;
        };
        let key = file.rsplit_once('.').map_or(file, |(stem, _)| stem);
        if let Some((_, other, _)) = fragments.iter().find(|(k, _, _)| k == key) {
            let kind = Kind::FragmentClash {
                first: other.clone(),
                second: name.clone(),
                key: key.to_owned(),
            };
            return Err(Diagnostic::file(path, kind));
        }
        fragments.push((key.to_owned(), name.clone(), path.clone()));
    }
    Ok(fragments)
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

/// A value many files show, with the digest of what made it (see [`crate::memo::Piece`]).
pub type Piece = crate::memo::Piece<Value>;

impl Piece {
    /// The template value of `view`, keyed by the view itself: it hashes as what it
    /// serialises to (views are built from our own types and never fail).
    pub fn of<T: serde::Serialize + Hash>(view: &T) -> Piece {
        Piece::made(crate::memo::digest(view), Value::from_serializable(view))
    }
}

/// The memos of the render stage: each card and each page's own view by the view it is made
/// from, each templated file by its template and what it shows ([`views::Needs`]).
pub struct Memos {
    cards: Memo<Piece>,
    views: Memo<Piece>,
    /// List pages' pagers and terms, by what they are made from.
    lists: Memo<Piece>,
    files: Memo<Arc<[u8]>>,
}

impl Memos {
    pub fn new(on: bool) -> Memos {
        Memos {
            cards: Memo::new(on),
            views: Memo::new(on),
            lists: Memo::new(on),
            files: Memo::new(on),
        }
    }

    /// Keeps what the last render used.
    pub fn settle(&mut self) {
        self.cards.settle();
        self.views.settle();
        self.lists.settle();
        self.files.settle();
    }
}

/// What every template sees beside its own values: the cards of all pages, the sections,
/// the menu, the site's globals and the fragments. Made before the list of files, so the
/// pages an editor just saved can be rendered while the rest is planned.
pub struct Shared<'a> {
    pub site: &'a Site,
    /// The site's URLs, hashed once for every value made with them.
    urls: Hashed<&'a Urls>,
    bodies: &'a Bodies,
    cards: Vec<Piece>,
    common: views::Common,
    globals: Piece,
    fragments: Piece,
}

/// Everything a site renders, planned before any template runs: the templated files (jobs),
/// the files made without templates (feeds, sitemap, robots.txt, redirects), the files copied
/// as they are, and the shared values every template sees.
pub struct Plan<'a> {
    pub shared: Shared<'a>,
    pub jobs: Vec<Job<'a>>,
    pub machine: Vec<(String, Arc<[u8]>)>,
    pub copies: BTreeMap<String, PathBuf>,
    /// Every output folder, for the sink to make before files arrive.
    pub dirs: BTreeSet<String>,
}

/// The theme's and the site's `static/` files: output path → file (the site's replaces the
/// theme's of the same name), read with the sources.
pub struct Statics {
    files: BTreeMap<String, PathBuf>,
    /// Each file as the editor knows it (`themes/daihai/static/…`), to blame in a clash.
    shown: BTreeMap<String, PathBuf>,
    /// The output paths that come from the site's own `static/` (not the theme's).
    own: BTreeSet<String>,
}

impl Statics {
    /// Every static file: output path → the file.
    pub fn files(&self) -> &BTreeMap<String, PathBuf> {
        &self.files
    }

    /// The site's own `static/` files (the editors' photos and documents): output path → file.
    pub fn own(&self) -> BTreeMap<String, PathBuf> {
        (self.own.iter())
            .filter_map(|rel| Some((rel.clone(), self.files.get(rel)?.clone())))
            .collect()
    }

    pub fn read(theme: &Theme) -> Statics {
        let mut files = BTreeMap::new();
        let mut shown = BTreeMap::new();
        let mut own = BTreeSet::new();
        for (i, dir) in theme.static_dirs.iter().enumerate() {
            let name = shown_static_dir(dir);
            let site = i + 1 == theme.static_dirs.len();
            for (rel, file) in template_files(dir) {
                shown.insert(rel.clone(), name.join(&rel));
                if site {
                    own.insert(rel.clone());
                }
                files.insert(rel, file);
            }
        }
        Statics { files, shown, own }
    }
}

/// The values every template sees. Fails when a fragment does not render.
pub fn shared<'a>(
    site: &'a Site,
    bodies: &'a Bodies,
    shown: crate::markdown::Files,
    theme: &Theme,
    memos: &Memos,
) -> Result<Shared<'a>, Vec<Diagnostic>> {
    let globals = views::globals(site);
    let fragments = theme.fragments(&globals)?;
    let urls = Hashed::new(&site.urls);
    let links = context::CardLinks::new(site, &urls, shown);
    let cards: Vec<Piece> = (0..site.pages.len())
        .into_par_iter()
        .map(|id| {
            let body = bodies.page(id);
            let input = context::card_input(site, id, &body, &links);
            crate::memo::piece(&memos.cards, &input, context::card_value)
        })
        .collect();
    let common = views::Common::new(site, bodies, &cards);
    Ok(Shared {
        site,
        urls,
        bodies,
        cards,
        common,
        globals,
        fragments,
    })
}

/// The image stage's part of the files: variants to copy, originals not to.
#[derive(Clone, Copy)]
pub struct ImageFiles<'a> {
    pub copies: &'a BTreeMap<String, PathBuf>,
    pub hidden: &'a BTreeSet<String>,
}

/// Plans the whole site. Fails on output paths that clash.
pub fn plan<'a>(
    shared: Shared<'a>,
    theme: &Theme,
    statics: &Statics,
    images: ImageFiles,
) -> Result<Plan<'a>, Vec<Diagnostic>> {
    let (site, bodies) = (shared.site, shared.bodies);
    // The feeds and the sitemap are made beside the list of jobs: both are one thread's work.
    let ((jobs, collisions), machine) = rayon::join(
        || {
            let jobs = views::jobs(site, theme.tera.contains_template("search.html"));
            let collisions = paths::check(site, &jobs, &content_outputs(site, statics));
            (jobs, collisions)
        },
        || machine_files(site, bodies),
    );
    if !collisions.is_empty() {
        return Err(collisions);
    }
    let copies = copies(site, statics, images);
    let index = format!("{}/meta.json", crate::search::INDEX_DIR);
    // Most files share their folder with others: each is made once.
    let folders: crate::fast_hash::FastSet = (jobs.iter().map(|j| j.output.as_str()))
        .chain(machine.iter().map(|(p, _)| p.as_str()))
        .chain(copies.keys().map(String::as_str))
        .chain([index.as_str()])
        .filter_map(|p| p.rfind('/').map(|i| &p[..i]))
        .collect();
    let dirs: BTreeSet<String> = folders.into_iter().map(str::to_owned).collect();
    Ok(Plan {
        shared,
        jobs,
        machine,
        copies,
        dirs,
    })
}

/// One templated file, made or reused.
pub struct Made {
    /// Rendered by this build, not the last build's bytes.
    pub fresh: bool,
    bytes: Bytes,
}

enum Bytes {
    /// Shared with the memo (`serve`).
    Kept(Arc<[u8]>),
    /// Nothing keeps it: a one-shot build writes it and lets it go.
    Once(Vec<u8>),
}

impl Made {
    /// The bytes, when the memo keeps them (`serve`).
    pub fn shared(&self) -> Option<Arc<[u8]>> {
        match &self.bytes {
            Bytes::Kept(bytes) => Some(bytes.clone()),
            Bytes::Once(_) => None,
        }
    }

    /// Hands the file to `sink` at `path`.
    pub fn put(&self, sink: &dyn Sink, path: &str) -> Result<(), Diagnostic> {
        match &self.bytes {
            Bytes::Kept(bytes) => sink.put(path, bytes),
            Bytes::Once(bytes) => sink.put_bytes(path, bytes),
        }
    }
}

/// Everything one templated file is made from.
#[derive(Hash)]
struct FileInput<'a> {
    theme: u64,
    template: &'a str,
    site: &'a Piece,
    fragments: &'a Piece,
    needs: &'a views::Needs,
}

impl Shared<'_> {
    /// The bodies these values were made with.
    pub fn bodies(&self) -> &Bodies {
        self.bodies
    }

    /// Page `id`'s file, as the plan lists it.
    pub fn page_job(&self, id: PageId) -> Job<'_> {
        views::page_job(self.site, id)
    }

    /// Renders one job's file, or gives the bytes of an equal one the last build made.
    pub fn render(&self, job: &Job, theme: &Theme, memos: &Memos) -> Result<Made, Diagnostic> {
        let frame = views::Frame {
            site: self.site,
            bodies: self.bodies,
            cards: &self.cards,
            common: &self.common,
            views: &memos.views,
            lists: &memos.lists,
            urls: &self.urls,
        };
        let needs = frame.needs(job);
        let input = FileInput {
            theme: theme.digest,
            template: &job.template,
            site: &self.globals,
            fragments: &self.fragments,
            needs: &needs,
        };
        let make = |i: &FileInput| {
            let mut cx = i.needs.context();
            cx.insert_value("site", i.site.value.clone());
            cx.insert_value("fragments", i.fragments.value.clone());
            theme.render(i.template, &cx, &job.file)
        };
        if !memos.files.is_on() {
            // Nothing keeps the file: written from the buffer it was rendered into.
            let bytes = Bytes::Once(make(&input)?);
            return Ok(Made { fresh: true, bytes });
        }
        let mut fresh = false;
        let bytes = memos.files.try_run(&input, |i| {
            fresh = true;
            make(i).map(Arc::from)
        })?;
        let bytes = Bytes::Kept(bytes);
        Ok(Made { fresh, bytes })
    }

    /// Page `id`'s card digest: what the search index reads of it, with its body.
    pub fn card_digest(&self, id: PageId) -> u64 {
        self.cards[id].digest
    }
}

impl Plan<'_> {
    /// The HTML pages and all files this plan makes, the search index aside.
    pub fn counts(&self) -> (usize, usize) {
        let jobs = self.jobs.len();
        let machine_pages = self
            .machine
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .count();
        (
            jobs + machine_pages,
            jobs + self.machine.len() + self.copies.len(),
        )
    }
}

/// Output paths that come from files under `content/` or are generated without templates,
/// with the file to blame when one collides with another output.
fn content_outputs(site: &Site, statics: &Statics) -> Vec<(String, PathBuf)> {
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
    // The theme's and the site's `static/` files, named by where they are.
    out.extend(
        statics
            .shown
            .iter()
            .map(|(rel, shown)| (rel.clone(), shown.clone())),
    );
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
fn machine_files(site: &Site, bodies: &Bodies) -> Vec<(String, Arc<[u8]>)> {
    let config = &site.config;
    let mut out: Vec<(String, Arc<[u8]>)> = Vec::new();
    let mut add = |path: String, text: String| out.push((path, Arc::from(text.into_bytes())));
    let feed = UrlPath::default().feed();
    let all = views::feed_pages(site, None);
    add(
        feed.output_file(),
        feeds::rss(
            site,
            bodies,
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
            feeds::rss(site, bodies, &title, &description, &s.path, &feed, &pages),
        );
    }
    for tax in [&site.tags, &site.categories] {
        for term in &tax.terms {
            let feed = term.path.feed();
            let title = format!("{}: {} – {}", tax.title, term.name, config.title);
            add(
                feed.output_file(),
                feeds::rss(site, bodies, &title, "", &term.path, &feed, &term.pages),
            );
        }
    }
    add(urls::SITEMAP.into(), feeds::sitemap(site));
    add(
        open_data::DOCUMENTS_JSON.into(),
        open_data::documents_json(site),
    );
    add(
        open_data::DOCUMENTS_CSV.into(),
        open_data::documents_csv(site),
    );
    add(
        open_data::DOCUMENTS_SCHEMA.into(),
        open_data::documents_schema(site),
    );
    add(
        open_data::NEWS_FEED.into(),
        open_data::news_feed(site, bodies, &all),
    );
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
fn copies(site: &Site, statics: &Statics, images: ImageFiles) -> BTreeMap<String, PathBuf> {
    let mut out = statics.files.clone();
    for p in &site.pages {
        for asset in &p.page.assets {
            out.insert(p.path.join(&asset.rel).output_file(), asset.disk.clone());
        }
    }
    for (asset, path) in &site.loose_assets {
        out.insert(path.output_file(), asset.disk.clone());
    }
    out.retain(|rel, _| !images.hidden.contains(rel));
    out.extend(
        images
            .copies
            .iter()
            .map(|(rel, from)| (rel.clone(), from.clone())),
    );
    out
}
