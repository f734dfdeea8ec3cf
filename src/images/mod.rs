//! Photos for visitors on slow phones: every image an editor uses is resized to a few widths,
//! encoded as lossy WebP with a JPEG fallback (PNG: lossless WebP or PNG, whichever is
//! smaller), turned upright, stripped of every metadata block (GPS, camera, time), and put in
//! the page as `<picture>` with its size.
//!
//! Three steps, in pipeline order:
//! - [`Library::probe`] (the read end): what each image file is, from its first bytes, and
//!   the hash of its bytes, remembered by file stamp (in memory and in the cache's list, so a
//!   new process does not read every photo again);
//! - [`plan`] (pure): which files each used image becomes, by source hash and settings;
//! - [`make`] (the write end): decodes, resizes and encodes what the cache lacks, one photo
//!   per worker, into the cache folder outside `public/`; the sink copies from there.
//!
//! Markdown and the templates read the result as [`Pictures`]: the `<picture>` markup and the
//! share-preview variant of each image by its output path.

mod colour;
mod html;
mod library;
mod make;
pub mod probe;
pub mod stage;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

pub use html::{Loading, largest_href, lazy_in_summary, picture_html};
pub use library::Library;
pub use make::{Failure, Made, cache_dir, make, og_geometry, remove_stale};
pub use probe::{Format, Probe, Unusable};

use crate::config::ImagesConfig;

/// The width and height of the share preview (`og:image`): Facebook's and Zalo's large card.
pub const OG_SIZE: (u32, u32) = (1200, 630);

/// What the library knows of one image file.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Source {
    pub disk: PathBuf,
    pub len: u64,
    /// The hash of the file's bytes.
    pub hash: u64,
    pub probe: Result<Probe, Unusable>,
}

/// The encodings an output file can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Encoding {
    /// Lossy WebP (photos) or lossless (screenshots).
    WebP,
    Jpeg,
    Png,
}

impl Encoding {
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::WebP => "webp",
            Encoding::Jpeg => "jpg",
            Encoding::Png => "png",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Encoding::WebP => "image/webp",
            Encoding::Jpeg => "image/jpeg",
            Encoding::Png => "image/png",
        }
    }
}

/// How an image is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Treatment {
    /// JPEG or WebP: lossy WebP and a JPEG fallback at each width.
    Photo,
    /// PNG: lossless WebP and PNG at each width; the smaller of the two is kept.
    Screenshot,
    /// GIF (may move) and SVG (checked for scripts): the file as it is.
    AsIs,
}

/// One image an editor used, as planned: what it is made from and into.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Planned {
    pub source: Arc<Source>,
    /// The output path of the image as the editor named it (`tin-tuc/bai/anh.jpg`).
    pub rel: String,
    pub treatment: Treatment,
    /// The size shown, upright.
    pub size: (u32, u32),
    /// The widths made, smallest first; never wider than the image.
    pub widths: Vec<u32>,
    /// The cache entry: the source's hash with the settings that shape the output.
    pub key: u64,
    /// A share-preview variant is made too (the image is a page's cover).
    pub og: bool,
}

impl Planned {
    /// The output path of one variant: beside the image, named by width and key, so a
    /// replaced photo gets new names and no browser shows the old one from its cache.
    pub fn variant_rel(&self, label: &str, encoding: Encoding) -> String {
        let (dir, stem) = match self.rel.rsplit_once('/') {
            Some((dir, name)) => (format!("{dir}/"), name),
            None => (String::new(), self.rel.as_str()),
        };
        let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
        format!(
            "{dir}{stem}-{label}.{:08x}.{}",
            self.key as u32,
            encoding.extension()
        )
    }

    /// How wide the upright image every variant is made from is: the widest variant, or
    /// what the share preview needs (1200 wide, or 630 high for a panorama) when wider.
    pub fn base_width(&self) -> u32 {
        let widest = self.widths.last().copied().unwrap_or(self.size.0);
        if !self.og {
            return widest;
        }
        let (w, h) = (f64::from(self.size.0), f64::from(self.size.1));
        let ratio = f64::from(OG_SIZE.0) / f64::from(OG_SIZE.1);
        let needed = match w / h > ratio {
            true => (f64::from(OG_SIZE.1) * w / h).ceil() as u32,
            false => OG_SIZE.0,
        };
        widest.max(needed.min(self.size.0))
    }

    /// The size of the share preview, as [`make`] makes it.
    pub fn og_size(&self) -> (u32, u32) {
        let w = self.base_width();
        og_geometry((w, self.height_at(w))).0
    }

    /// The height of the variant `width` wide, rounded as the resizer rounds it.
    pub fn height_at(&self, width: u32) -> u32 {
        let (w, h) = self.size;
        ((u64::from(h) * u64::from(width) + u64::from(w) / 2) / u64::from(w)).max(1) as u32
    }
}

/// Every used image by its output path, as planned.
pub type Plan = BTreeMap<String, Planned>;

/// Plans `used` images (output path → whether it is a cover) from what `library` knows.
/// Unusable and unknown images are left out: the Markdown stage and the templates report
/// them where they are used.
pub fn plan(
    used: &BTreeMap<String, (PathBuf, bool)>,
    sources: &BTreeMap<PathBuf, Arc<Source>>,
    settings: &ImagesConfig,
) -> Plan {
    let mut out = Plan::new();
    for (rel, (disk, cover)) in used {
        let Some(source) = sources.get(disk) else {
            continue;
        };
        let Ok(probe) = &source.probe else {
            continue;
        };
        if probe.pixels() > settings.max_pixels() {
            continue;
        }
        let treatment = match probe.format {
            Format::Jpeg | Format::WebP => Treatment::Photo,
            Format::Png => Treatment::Screenshot,
            Format::Gif | Format::Svg => Treatment::AsIs,
        };
        let size = probe.shown();
        let widths = match treatment {
            Treatment::AsIs => Vec::new(),
            _ => widths_for(size.0, &settings.widths),
        };
        let key = crate::memo::digest(&(source.hash, treatment, &widths, settings.quality, cover));
        out.insert(
            rel.clone(),
            Planned {
                source: source.clone(),
                rel: rel.clone(),
                treatment,
                size,
                widths,
                key,
                og: *cover && treatment != Treatment::AsIs,
            },
        );
    }
    out
}

/// The configured widths narrower than the image, and the image's own width when it is
/// narrower than the widest: never upscaled.
fn widths_for(width: u32, configured: &[u32]) -> Vec<u32> {
    let mut out: Vec<u32> = configured.iter().copied().filter(|&w| w < width).collect();
    if configured.iter().any(|&w| w >= width) || out.is_empty() {
        out.push(width);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Why an image an editor used cannot be published (worded in `diagnostics`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Problem {
    /// A zero-byte file, or one that cannot be read.
    Empty,
    /// HEIC/HEIF from an iPhone: browsers do not show it.
    Heic,
    /// Not an image format cds knows, or a header too broken to read.
    Unknown,
    /// More pixels than `images.max_megapixels`: refused before decoding.
    TooLarge { width: u32, height: u32, limit: u32 },
    /// The data is broken (a truncated photo).
    Broken,
    /// An SVG with a script or an event attribute.
    SvgScript,
    /// The cache folder cannot be written.
    Cache { detail: String },
}

impl Problem {
    fn of_source(source: &Source, settings: &ImagesConfig) -> Option<Problem> {
        match &source.probe {
            Err(Unusable::Empty) => Some(Problem::Empty),
            Err(Unusable::Heic) => Some(Problem::Heic),
            Err(Unusable::Unknown) => Some(Problem::Unknown),
            Ok(p) if p.pixels() > settings.max_pixels() => Some(Problem::TooLarge {
                width: p.stored.0,
                height: p.stored.1,
                limit: settings.max_megapixels,
            }),
            Ok(_) => None,
        }
    }

    fn of_failure(failure: &Failure) -> Problem {
        match failure {
            Failure::Broken { .. } => Problem::Broken,
            Failure::SvgScript => Problem::SvgScript,
            Failure::Cache { detail } => Problem::Cache {
                detail: detail.clone(),
            },
        }
    }
}

/// Whether a file name is one an image may have (the bytes decide what it is).
pub fn is_image_name(name: &str) -> bool {
    let ext = name
        .rsplit_once('.')
        .map_or("", |(_, e)| e)
        .to_ascii_lowercase();
    matches!(
        ext.as_str(),
        "jpg" | "jpeg" | "jfif" | "png" | "gif" | "webp" | "svg" | "heic" | "heif"
    )
}

/// Every image file of `content/` and of the site's own `static/` (`statics`: output path →
/// file) by output path, with whether it is a page's cover: photos are published as their
/// variants wherever they sit (the original never as it is). The theme's images are its own
/// design and pass as they are.
pub fn used(
    site: &crate::site::Site,
    statics: &BTreeMap<String, PathBuf>,
) -> BTreeMap<String, (PathBuf, bool)> {
    let mut out: BTreeMap<String, (PathBuf, bool)> = (statics.iter())
        .filter(|(rel, _)| is_image_name(rel))
        .map(|(rel, disk)| (rel.clone(), (disk.clone(), false)))
        .collect();
    for p in &site.pages {
        for asset in p.page.assets.iter().filter(|a| is_image_name(&a.rel)) {
            out.insert(
                p.path.join(&asset.rel).output_file(),
                (asset.disk.clone(), false),
            );
        }
    }
    for (asset, path) in &site.loose_assets {
        if is_image_name(&asset.rel) {
            out.insert(path.output_file(), (asset.disk.clone(), false));
        }
    }
    for p in &site.pages {
        if let Some(rel) = p
            .page
            .meta
            .image
            .as_deref()
            .and_then(|v| cover_rel(&p.asset_base, v))
            && let Some(entry) = out.get_mut(&rel)
        {
            entry.1 = true;
        }
    }
    out
}

/// The output path a page's `image:` names, when it is one of the site's own files.
pub fn cover_rel(asset_base: &crate::urls::UrlPath, value: &str) -> Option<String> {
    let v = value.trim();
    if v.contains("://") || v.starts_with("//") {
        return None;
    }
    Some(match v.strip_prefix('/') {
        Some(rest) => rest.to_owned(),
        None => asset_base
            .join(v.trim_start_matches("./"))
            .as_str()
            .to_owned(),
    })
}

/// One image ready for a page: its planned variants, with the encodings that were made.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Picture {
    pub planned: Planned,
    /// The `<source>` encoding (WebP), when it is kept.
    pub modern: Option<Encoding>,
    /// The `<img>` encoding: JPEG, PNG, or the original's for an image kept as it is.
    pub fallback: Encoding,
    /// The share preview's output path, when there is one.
    pub og: Option<String>,
}

/// The images of the site ready for pages, by output path (what Markdown and templates see).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Pictures {
    pub by_rel: BTreeMap<String, Arc<Picture>>,
    /// Images that cannot be published, by output path: reported where they are used.
    pub problems: BTreeMap<String, Problem>,
    /// Whether the originals are published too (`images.publish_originals`): a link to a
    /// photo then opens its original, not its largest variant.
    pub originals: bool,
}

impl Pictures {
    /// Pictures from the plan and what [`make`] found or made: a screenshot keeps the smaller
    /// encoding; an image not made yet (`serve` makes it in the background) is shown as it
    /// will be.
    pub fn new(
        used: &BTreeMap<String, (PathBuf, bool)>,
        sources: &BTreeMap<PathBuf, Arc<Source>>,
        settings: &ImagesConfig,
        plan: &Plan,
        made: &Made,
    ) -> Pictures {
        let mut problems = BTreeMap::new();
        for (rel, (disk, _)) in used {
            let problem = match sources.get(disk) {
                Some(source) => Problem::of_source(source, settings),
                None => Some(Problem::Empty),
            };
            if let Some(problem) = problem {
                problems.insert(rel.clone(), problem);
            }
        }
        for (rel, failure) in &made.failed {
            problems.insert(rel.clone(), Problem::of_failure(failure));
        }
        let by_rel = plan
            .values()
            .filter(|p| !problems.contains_key(&p.rel))
            .map(|p| {
                let (modern, fallback) = match p.treatment {
                    Treatment::Photo => (Some(Encoding::WebP), Encoding::Jpeg),
                    Treatment::Screenshot => match made.png_kept(p.key) {
                        Some(true) => (None, Encoding::Png),
                        _ => (Some(Encoding::WebP), Encoding::Png),
                    },
                    Treatment::AsIs => (None, Encoding::Png),
                };
                let og = p.og.then(|| p.variant_rel("chia-se", Encoding::Jpeg));
                let picture = Picture {
                    planned: p.clone(),
                    modern,
                    fallback,
                    og,
                };
                (p.rel.clone(), Arc::new(picture))
            })
            .collect();
        Pictures {
            by_rel,
            problems,
            originals: settings.publish_originals,
        }
    }

    pub fn get(&self, rel: &str) -> Option<&Arc<Picture>> {
        self.by_rel.get(rel)
    }
}

#[cfg(test)]
mod tests;
