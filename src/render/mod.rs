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

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use tera::{Context, Tera, Value};

use crate::config::Config;
use crate::diagnostics::{Diagnostic, IoAction, Kind};
use crate::site::Site;
use crate::urls::{UrlPath, Urls};

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

/// The compiled templates of the theme and the site's overrides.
pub struct Theme {
    tera: Tera,
    /// Static folders to copy, theme first so the site's files win.
    static_dirs: Vec<PathBuf>,
}

/// Everything a build writes.
#[derive(Debug, Default)]
pub struct Output {
    /// Generated files: path relative to the output folder → bytes (shared with `serve`'s
    /// cache and its in-memory site, never copied).
    pub files: BTreeMap<String, Arc<[u8]>>,
    /// Files copied as they are: source on disk → path relative to the output folder.
    pub copies: BTreeMap<String, PathBuf>,
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
                            detail: e.to_string(),
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
        Ok(Theme { tera, static_dirs })
    }

    fn render(&self, template: &str, cx: &Context, file: &Path) -> Result<Vec<u8>, Diagnostic> {
        self.tera
            .render(template, cx)
            .map(String::into_bytes)
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
        .filter(|n| !n.starts_with("partials/"))
        .map(str::to_owned)
        .collect();
    uses.into_iter()
        .filter(|(_, _, _, name)| !theme.tera.contains_template(name))
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

/// Renders the whole site. Collects every template error instead of stopping at the first.
pub fn render_site(site: &Site, theme: &Theme) -> Result<Output, Vec<Diagnostic>> {
    render_site_cached(site, theme, &mut Cache::default(), 0)
}

/// One rendered file: its output path, the fingerprint of its inputs, its bytes.
type Rendered = (String, u64, Arc<[u8]>);

/// Rendered files kept between builds by `serve`, with the fingerprint of their inputs.
/// Must be emptied when the theme changes.
#[derive(Default)]
pub struct Cache {
    outputs: HashMap<String, (u64, Arc<[u8]>)>,
    /// Page cards by their fingerprint: most lists reuse them unchanged.
    cards: HashMap<u64, Value>,
}

/// `render_site` with a cache: a file whose inputs did not change is not rendered again.
/// `config` is a fingerprint of the configuration.
pub fn render_site_cached(
    site: &Site,
    theme: &Theme,
    cache: &mut Cache,
    config: u64,
) -> Result<Output, Vec<Diagnostic>> {
    let globals = views::globals(site);
    let prints = fingerprint::Fingerprints::new(site, config);
    let cards: Vec<Value> = (0..site.pages.len())
        .map(|id| {
            let print = prints.card(id);
            cache
                .cards
                .get(&print)
                .cloned()
                .unwrap_or_else(|| value(&context::card(site, id)))
        })
        .collect();
    cache.cards = (0..site.pages.len())
        .map(|id| (prints.card(id), cards[id].clone()))
        .collect();
    let jobs = views::jobs(site, &cards);
    let collisions = paths::check(site, &jobs, &content_outputs(site));
    if !collisions.is_empty() {
        return Err(collisions);
    }
    let results: Vec<Result<Rendered, Diagnostic>> = jobs
        .par_iter()
        .map(|job| {
            let path = job.path.output_file();
            let print = prints.job(site, job);
            if let Some((p, bytes)) = cache.outputs.get(&path)
                && *p == print
            {
                return Ok((path, print, bytes.clone()));
            }
            let mut cx = job.context();
            cx.insert_value("site", globals.clone());
            theme
                .render(&job.template, &cx, &job.file)
                .map(|bytes| (path, print, Arc::from(bytes)))
        })
        .collect();
    let mut out = Output::default();
    let mut diags = Vec::new();
    let mut fresh = HashMap::with_capacity(results.len());
    for r in results {
        match r {
            Ok((path, print, bytes)) => {
                fresh.insert(path.clone(), (print, bytes.clone()));
                out.files.insert(path, bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    cache.outputs = fresh;
    add_machine_files(site, &mut out);
    add_copies(site, theme, &mut out);
    Ok(out)
}

/// Output paths that come from files under `content/` or are generated without templates,
/// with the file to blame when one collides with another output.
fn content_outputs(site: &Site) -> Vec<(String, PathBuf)> {
    let content = Path::new(crate::content::CONTENT_DIR);
    let mut out: Vec<(String, PathBuf)> = ["rss.xml", "sitemap.xml", "robots.txt"]
        .iter()
        .map(|f| ((*f).to_owned(), PathBuf::from(crate::config::CONFIG_FILE)))
        .collect();
    for s in site.sections.iter().skip(1) {
        let source = s
            .section
            .as_ref()
            .map_or_else(|| content.join(&s.dir), |x| x.file.clone());
        out.push((s.path.join("rss.xml").output_file(), source));
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
    out
}

fn add_machine_files(site: &Site, out: &mut Output) {
    let config = &site.config;
    let feed = UrlPath::file("rss.xml");
    let all = views::feed_pages(site, None);
    let rss = feeds::rss(
        site,
        &config.title,
        &config.description,
        &UrlPath::default(),
        &feed,
        &all,
    );
    out.files
        .insert(feed.output_file(), Arc::from(rss.into_bytes()));
    for (id, s) in site.sections.iter().enumerate().skip(1) {
        let feed = s.path.join("rss.xml");
        let pages = views::feed_pages(site, Some(id));
        let description = s
            .section
            .as_ref()
            .and_then(|x| x.meta.description.clone())
            .unwrap_or_default();
        let title = format!("{} – {}", s.title, config.title);
        let rss = feeds::rss(site, &title, &description, &s.path, &feed, &pages);
        out.files
            .insert(feed.output_file(), Arc::from(rss.into_bytes()));
    }
    out.files.insert(
        "sitemap.xml".into(),
        Arc::from(feeds::sitemap(site).into_bytes()),
    );
    out.files.insert(
        "robots.txt".into(),
        Arc::from(feeds::robots(site).into_bytes()),
    );
    for alias in &site.aliases {
        let page = feeds::alias_page(&site.urls.href(&alias.to));
        out.files
            .insert(alias.from.output_file(), Arc::from(page.into_bytes()));
    }
}

fn add_copies(site: &Site, theme: &Theme, out: &mut Output) {
    for dir in &theme.static_dirs {
        for (rel, file) in template_files(dir) {
            out.copies.insert(rel, file);
        }
    }
    for p in &site.pages {
        for asset in &p.page.assets {
            out.copies
                .insert(p.path.join(&asset.rel).output_file(), asset.disk.clone());
        }
    }
    for (asset, path) in &site.loose_assets {
        out.copies.insert(path.output_file(), asset.disk.clone());
    }
}

/// The tera value of anything serialisable (views are built from our own types and never fail).
fn value<T: serde::Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}
