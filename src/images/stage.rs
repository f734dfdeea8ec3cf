//! The image stage as the builder runs it: probe (read end) → plan (pure) → make or find in
//! the cache (write end) → the [`Pictures`] Markdown and templates read, and the files the
//! sink copies. Also the diagnostics about images that only the whole site can tell: a
//! cover that cannot be used, a broken image no page shows.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Failure, Library, Made, Pictures, Plan, Problem, Source, cache_dir, make, plan, used};
use crate::diagnostics::{Diagnostic, Kind};
use crate::markdown::Bodies;
use crate::site::Site;

/// What the image stage gives the rest of the build.
#[derive(Default)]
pub struct Stage {
    pub plan: Plan,
    pub pictures: Pictures,
    /// Output path → file to copy: every variant made.
    pub copies: BTreeMap<String, PathBuf>,
    /// Output paths of originals that are not published as they are.
    pub hidden: BTreeSet<String>,
    /// Every image file of `content/`: output path → the file.
    pub originals: BTreeMap<String, PathBuf>,
    /// The planned images not made yet (`serve` makes them in the background).
    pub pending: Plan,
    /// Every image file of `content/`, as probed (`cds check` warns about GPS positions).
    pub sources: Vec<Arc<Source>>,
}

/// Runs the stage for `site` and the site's own `static/` files (`statics`). `later`: leave what the cache lacks to [`make_pending`]
/// (`serve`); `failed` holds what such a background run could not make.
pub fn run(
    site: &Site,
    statics: &BTreeMap<String, PathBuf>,
    library: &mut Library,
    root: &Path,
    later: bool,
    failed: &BTreeMap<u64, Failure>,
) -> Stage {
    let settings = &site.config.images;
    let cache = cache_dir(root);
    let used = used(site, statics);
    let paths: Vec<PathBuf> = used.values().map(|(disk, _)| disk.clone()).collect();
    let sources = library.probe(&cache, &paths);
    let plan = plan(&used, &sources, settings);
    let mut made = make(&plan, &cache, settings.quality, later);
    for p in plan.values() {
        if let Some(f) = failed.get(&p.key) {
            made.pending.remove(&p.key);
            made.failed.insert(p.rel.clone(), f.clone());
        }
    }
    let pictures = Pictures::new(&used, &sources, settings, &plan, &made);
    let pending = (plan.iter())
        .filter(|(_, p)| made.pending.contains(&p.key))
        .map(|(rel, p)| (rel.clone(), p.clone()))
        .collect();
    let hidden = match settings.publish_originals {
        true => BTreeSet::new(),
        false => used.keys().cloned().collect(),
    };
    let originals = (used.iter())
        .map(|(rel, (disk, _))| (rel.clone(), disk.clone()))
        .collect();
    Stage {
        originals,
        copies: made.copies(&plan),
        plan,
        pictures,
        hidden,
        pending,
        sources: sources.into_values().collect(),
    }
}

/// Makes `pending` into the cache (a `serve` background thread, one core): what failed, by
/// cache key.
pub fn make_pending(pending: &Plan, root: &Path, quality: u8) -> BTreeMap<u64, Failure> {
    let made: Made = make(pending, &cache_dir(root), quality, false);
    (pending.values())
        .filter_map(|p| Some((p.key, made.failed.get(&p.rel)?.clone())))
        .collect()
}

/// Errors for covers (`image:`) that cannot be published, at their line; warnings for broken
/// image files no page shows (they are not published).
pub fn diagnostics(site: &Site, bodies: &Bodies, stage: &Stage, root: &Path) -> Vec<Diagnostic> {
    let pictures = &stage.pictures;
    if pictures.problems.is_empty() {
        return Vec::new();
    }
    let mut diags = Vec::new();
    let mut shown: BTreeSet<String> = BTreeSet::new();
    let base = site.urls.base_path();
    for (id, p) in site.pages.iter().enumerate() {
        let body = bodies.page(id);
        shown.extend((body.links.iter()).filter_map(|l| {
            let rel = l.url.strip_prefix(base)?;
            crate::urls::percent_decode(rel).map(|r| crate::text::nfc(&r))
        }));
        let Some(value) = p.page.meta.image.as_deref() else {
            continue;
        };
        let Some(rel) = super::cover_rel(&p.asset_base, value) else {
            continue;
        };
        if let Some(problem) = pictures.problems.get(&rel) {
            shown.insert(rel.clone());
            let (line, col) = crate::yaml::find_key(&p.page.text, &[], "image").unwrap_or((0, 0));
            let kind = image_kind(value, problem);
            diags.push(Diagnostic::at(&p.page.file, &p.page.text, line, col, kind));
        }
    }
    for (rel, problem) in &pictures.problems {
        if !shown.contains(rel) {
            let disk = stage
                .originals
                .get(rel)
                .map_or(Path::new(rel), PathBuf::as_path);
            let file = disk.strip_prefix(root).unwrap_or(disk);
            let kind = image_kind(&file.to_string_lossy(), problem);
            diags.push(Diagnostic::file(file, kind).warning());
        }
    }
    diags
}

/// Warnings for photos that carry a GPS position: the published files do not, but the
/// original in the site's folder (and in whatever copies it) still does.
pub fn gps_warnings(stage: &Stage, root: &Path) -> Vec<Diagnostic> {
    (stage.sources.iter())
        .filter(|s| s.probe.as_ref().is_ok_and(|p| p.gps))
        .map(|s| {
            let file = s.disk.strip_prefix(root).unwrap_or(&s.disk);
            let kind = Kind::PhotoWithGps {
                target: file.to_string_lossy().into_owned(),
            };
            Diagnostic::file(file, kind).warning()
        })
        .collect()
}

fn image_kind(target: &str, problem: &Problem) -> Kind {
    Kind::Image {
        target: target.to_owned(),
        problem: problem.clone(),
    }
}

/// Pending images made by a `serve` background thread: on one thread of its own, so a text
/// save never waits for photos.
pub struct Work {
    pub pending: Plan,
    pub root: PathBuf,
    pub quality: u8,
    /// Where the thread puts what it could not make; the builder reads it.
    pub failed: Arc<std::sync::Mutex<BTreeMap<u64, Failure>>>,
    /// Set while a thread works; cleared when it is done.
    pub busy: Arc<std::sync::atomic::AtomicBool>,
}

impl Work {
    /// Makes the images (call on a thread of its own).
    pub fn run(self) {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
        let failed = match pool {
            Ok(pool) => pool.install(|| make_pending(&self.pending, &self.root, self.quality)),
            Err(_) => make_pending(&self.pending, &self.root, self.quality),
        };
        self.failed
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(failed);
        self.busy.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}
