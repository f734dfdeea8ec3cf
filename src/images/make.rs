//! The write end for images: decode, turn upright, convert to sRGB, resize and encode each
//! planned image the cache lacks, one photo per worker (memory stays flat however many photos
//! a site has), into `.cds-cache/images/<key>/`. An entry appears whole or not at all: it is
//! written under a temporary name and renamed.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};
use rayon::prelude::*;

use super::{Encoding, OG_SIZE, Plan, Planned, Treatment};

/// The cache folder of a site: outside `public/`, ignored by Git and by the watcher.
pub fn cache_dir(root: &Path) -> PathBuf {
    root.join(".cds-cache").join("images")
}

/// Why a planned image could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// The file cannot be read, or its data is broken (a truncated photo).
    Broken { detail: String },
    /// An SVG with a script or an event attribute.
    SvgScript,
    /// The cache folder cannot be written.
    Cache { detail: String },
}

/// The files of one cache entry: (label, encoding) → path.
pub type Entry = BTreeMap<(String, Encoding), PathBuf>;

/// What the cache holds for the plan, after [`make`].
#[derive(Debug, Default)]
pub struct Made {
    pub entries: BTreeMap<u64, Entry>,
    /// Keys not made yet (`serve` makes them in the background).
    pub pending: BTreeSet<u64>,
    /// Images that failed, by output path.
    pub failed: BTreeMap<String, Failure>,
}

impl Made {
    /// For a screenshot: whether the PNG was kept because it is smaller than lossless WebP.
    pub fn png_kept(&self, key: u64) -> Option<bool> {
        let entry = self.entries.get(&key)?;
        Some(!entry.keys().any(|(_, e)| *e == Encoding::WebP))
    }

    /// Every file to publish: output path → cached file.
    pub fn copies(&self, plan: &Plan) -> BTreeMap<String, PathBuf> {
        let mut out = BTreeMap::new();
        for p in plan.values() {
            let Some(entry) = self.entries.get(&p.key) else {
                continue;
            };
            // GIF and SVG are published as they are, under their own name.
            if p.treatment == Treatment::AsIs {
                out.insert(p.rel.clone(), p.source.disk.clone());
            }
            for ((label, encoding), path) in entry {
                out.insert(p.variant_rel(label, *encoding), path.clone());
            }
        }
        out
    }
}

/// Finds each planned image in the cache, and makes the missing ones unless `later` (then
/// they are left `pending`).
pub fn make(plan: &Plan, cache: &Path, quality: u8, later: bool) -> Made {
    let mut made = Made::default();
    let mut todo: BTreeMap<u64, &Planned> = BTreeMap::new();
    for p in plan.values() {
        let svg = p
            .source
            .probe
            .as_ref()
            .is_ok_and(|s| s.format == super::Format::Svg);
        if svg && let Err(f) = check_svg(&p.source.disk) {
            made.failed.insert(p.rel.clone(), f);
            continue;
        }
        if p.treatment == Treatment::AsIs {
            made.entries.insert(p.key, Entry::new());
            continue;
        }
        match read_entry(&entry_dir(cache, p.key)) {
            Some(entry) => {
                made.entries.insert(p.key, entry);
            }
            None => {
                todo.insert(p.key, p);
            }
        }
    }
    if later {
        made.pending = todo.keys().copied().collect();
        return made;
    }
    let todo: Vec<(u64, &Planned)> = todo.into_iter().collect();
    let results: Vec<(u64, &Planned, Result<Entry, Failure>)> = todo
        .into_par_iter()
        .with_max_len(1)
        .map(|(key, p)| (key, p, make_one(p, cache, quality)))
        .collect();
    for (key, p, result) in results {
        match result {
            Ok(entry) => {
                made.entries.insert(key, entry);
            }
            Err(f) => {
                made.failed.insert(p.rel.clone(), f);
            }
        }
    }
    made
}

fn entry_dir(cache: &Path, key: u64) -> PathBuf {
    cache.join(format!("{key:016x}"))
}

/// The files of a complete entry (its folder exists: it was renamed into place whole).
fn read_entry(dir: &Path) -> Option<Entry> {
    let mut entry = Entry::new();
    for item in std::fs::read_dir(dir).ok()? {
        let path = item.ok()?.path();
        let name = path.file_name()?.to_str()?;
        let (label, ext) = name.rsplit_once('.')?;
        let encoding = match ext {
            "webp" => Encoding::WebP,
            "jpg" => Encoding::Jpeg,
            "png" => Encoding::Png,
            _ => continue,
        };
        entry.insert((label.to_owned(), encoding), path.clone());
    }
    (!entry.is_empty()).then_some(entry)
}

/// Makes every file of one image into its cache entry.
fn make_one(p: &Planned, cache: &Path, quality: u8) -> Result<Entry, Failure> {
    let files = encode_all(p, quality)?;
    let dir = entry_dir(cache, p.key);
    // Unique to this call: two builds of one process (`serve`'s thread and a test's build)
    // may make the same entry at once.
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = cache.join(format!("{:016x}.tmp-{}-{call}", p.key, std::process::id()));
    let cache_error = |e: std::io::Error| Failure::Cache {
        detail: e.to_string(),
    };
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir_all(&tmp).map_err(cache_error)?;
    let mut entry = Entry::new();
    for ((label, encoding), bytes) in files {
        let name = format!("{label}.{}", encoding.extension());
        std::fs::write(tmp.join(&name), bytes).map_err(cache_error)?;
        entry.insert((label, encoding), dir.join(name));
    }
    match crate::rename::rename(&tmp, &dir) {
        Ok(()) => Ok(entry),
        // Another process made it meanwhile: theirs is as good.
        Err(_) if dir.is_dir() => {
            let _ = std::fs::remove_dir_all(&tmp);
            read_entry(&dir).ok_or(Failure::Cache {
                detail: dir.display().to_string(),
            })
        }
        Err(e) => Err(cache_error(e)),
    }
}

/// One encoded file of an entry: (label, encoding) and its bytes.
type Encoded = ((String, Encoding), Vec<u8>);

/// Decodes the source and encodes every variant.
fn encode_all(p: &Planned, quality: u8) -> Result<Vec<Encoded>, Failure> {
    let base = upright_base(p)?;
    let mut out = Vec::new();
    for &w in &p.widths {
        let resized = match w == base.width() {
            true => base.clone(),
            false => resize(&base, (w, p.height_at(w)), None)?,
        };
        match p.treatment {
            Treatment::Photo => {
                out.push((
                    (w.to_string(), Encoding::WebP),
                    webp_lossy(&resized, quality),
                ));
                out.push(((w.to_string(), Encoding::Jpeg), jpeg(&resized, quality)?));
            }
            _ => {
                out.push(((w.to_string(), Encoding::Png), png(&resized)?));
                out.push(((w.to_string(), Encoding::WebP), webp_lossless(&resized)));
            }
        }
    }
    if p.treatment == Treatment::Screenshot {
        // The widest decides for all: lossless WebP only where it is smaller than the PNG.
        let size = |e: Encoding| {
            out.iter()
                .rev()
                .find(|((_, enc), _)| *enc == e)
                .map_or(0, |(_, b)| b.len())
        };
        if size(Encoding::WebP) >= size(Encoding::Png) {
            out.retain(|((_, e), _)| *e != Encoding::WebP);
        }
    }
    if p.og {
        out.push((("chia-se".to_owned(), Encoding::Jpeg), og_image(&base)?));
    }
    Ok(out)
}

/// The image upright and in sRGB at the widest size any variant needs (the share preview's
/// 1200 too): resized from the photo as stored, then turned, so the full-size photo is held
/// once and never copied (turning 12 megapixels costs another 36 MB). The orientation is the
/// probe's, the one the plan sized the variants by.
fn upright_base(p: &Planned) -> Result<DynamicImage, Failure> {
    use image::metadata::Orientation;
    let exif = p.source.probe.as_ref().map_or(1, |probe| probe.orientation);
    let orientation = Orientation::from_exif(exif).unwrap_or(Orientation::NoTransforms);
    let width = p.base_width();
    let height = p.height_at(width);
    let stored = match exif >= 5 {
        true => (height, width),
        false => (width, height),
    };
    let (image, icc) = decode(&p.source.disk, stored)?;
    let mut base = match stored == (image.width(), image.height()) {
        true => image,
        false => resize(&image, stored, None)?,
    };
    base.apply_orientation(orientation);
    Ok(match icc {
        Some(profile) => super::colour::to_srgb(base, &profile),
        None => base,
    })
}

/// An image decoded, 8 bits a channel, with its colour profile.
type Decoded = (DynamicImage, Option<Vec<u8>>);

/// Decodes an image as stored, 8 bits a channel, at least `want` (width, height) when the
/// file can shrink while it decodes. Never more pixels than the plan allowed: the plan
/// refused them from the header.
fn decode(path: &Path, want: (u32, u32)) -> Result<Decoded, Failure> {
    let broken = |detail: String| Failure::Broken { detail };
    let bytes = std::fs::read(path).map_err(|e| broken(e.to_string()))?;
    if bytes.starts_with(&[0xff, 0xd8]) && !ends_jpeg(&bytes) {
        return Err(broken("truncated JPEG".into()));
    }
    if let Some(decoded) = shrink_on_load(&bytes, want)? {
        return Ok(decoded);
    }
    let mut reader = ImageReader::new(Cursor::new(&bytes[..]))
        .with_guessed_format()
        .map_err(|e| broken(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_alloc = Some(2 << 30);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| broken(e.to_string()))?;
    let icc = decoder.icc_profile().ok().flatten();
    let image = DynamicImage::from_decoder(decoder).map_err(|e| broken(e.to_string()))?;
    drop(bytes);
    // `into_…` keeps the buffer when it already is 8-bit RGB(A): a 12-megapixel photo is
    // 36 MB, and two workers hold one each.
    let image = match image.color().has_alpha() {
        true => DynamicImage::ImageRgba8(image.into_rgba8()),
        false => DynamicImage::ImageRgb8(image.into_rgb8()),
    };
    Ok((image, icc))
}

/// A JPEG decoded straight at 1/2, 1/4 or 1/8 of its size, the smallest that is still at
/// least `want`: the inverse DCT can leave out the detail a smaller image cannot show, so a
/// 12-megapixel photo for 1200-wide variants is decoded at a quarter of its pixels, in less
/// time and a quarter of the memory. `None` when it cannot shrink (not a JPEG, not at least
/// twice `want`, CMYK or 16-bit): the general decoder then decodes it whole.
pub(super) fn shrink_on_load(bytes: &[u8], want: (u32, u32)) -> Result<Option<Decoded>, Failure> {
    use jpeg_decoder::{Decoder, PixelFormat};
    if !bytes.starts_with(&[0xff, 0xd8]) {
        return Ok(None);
    }
    let mut decoder = Decoder::new(Cursor::new(bytes));
    let Some(info) = decoder.read_info().ok().and_then(|()| decoder.info()) else {
        return Ok(None);
    };
    if !matches!(info.pixel_format, PixelFormat::RGB24 | PixelFormat::L8) {
        return Ok(None);
    }
    let full = (u32::from(info.width), u32::from(info.height));
    let scaled = |d: u32| (full.0.div_ceil(d), full.1.div_ceil(d));
    let Some(denominator) = [8, 4, 2].into_iter().find(|&d| {
        let (w, h) = scaled(d);
        w >= want.0 && h >= want.1
    }) else {
        return Ok(None);
    };
    let (w, h) = scaled(denominator);
    let broken = |e: jpeg_decoder::Error| Failure::Broken {
        detail: e.to_string(),
    };
    // Both fit: they are at most half of the stored size, which is 16 bits in a JPEG.
    let (w16, h16) = (
        w.try_into().unwrap_or(u16::MAX),
        h.try_into().unwrap_or(u16::MAX),
    );
    let (w, h) = decoder.scale(w16, h16).map_err(broken)?;
    let (w, h) = (u32::from(w), u32::from(h));
    let pixels = decoder.decode().map_err(broken)?;
    let short = || Failure::Broken {
        detail: "JPEG data shorter than its size".into(),
    };
    let image = match info.pixel_format {
        PixelFormat::L8 => {
            DynamicImage::ImageLuma8(image::GrayImage::from_raw(w, h, pixels).ok_or_else(short)?)
                .into_rgb8()
        }
        _ => image::RgbImage::from_raw(w, h, pixels).ok_or_else(short)?,
    };
    Ok(Some((
        DynamicImage::ImageRgb8(image),
        decoder.icc_profile(),
    )))
}

/// Whether a JPEG has its end marker: a photo cut short in a copy still decodes (the rest
/// grey), so the decoder alone would publish it. The marker may be followed by padding.
fn ends_jpeg(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    tail.windows(2).any(|w| w == [0xff, 0xd9])
}

/// `image` resized to `size`, from the area `crop` (left, top, width, height) or all of it.
fn resize(
    image: &DynamicImage,
    size: (u32, u32),
    crop: Option<(f64, f64, f64, f64)>,
) -> Result<DynamicImage, Failure> {
    let mut out = DynamicImage::new(size.0, size.1, image.color());
    let mut options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3));
    if let Some((l, t, w, h)) = crop {
        options = options.crop(l, t, w, h);
    }
    Resizer::new()
        .resize(image, &mut out, &options)
        .map_err(|e| Failure::Broken {
            detail: e.to_string(),
        })?;
    Ok(out)
}

/// The share preview: the middle of the cover at 1200:630, at most 1200 wide, under 300 KB.
fn og_image(image: &DynamicImage) -> Result<Vec<u8>, Failure> {
    let (size, crop) = og_geometry((image.width(), image.height()));
    let resized = resize(image, size, Some(crop))?;
    let mut bytes = Vec::new();
    for quality in [80, 70, 60, 50] {
        bytes = jpeg(&resized, quality)?;
        if bytes.len() <= 300 * 1024 {
            break;
        }
    }
    Ok(bytes)
}

/// The size of the share preview of an image of `size`, and the area it is cut from.
pub fn og_geometry(size: (u32, u32)) -> ((u32, u32), (f64, f64, f64, f64)) {
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    let ratio = f64::from(OG_SIZE.0) / f64::from(OG_SIZE.1);
    let (cw, ch) = if w / h > ratio {
        (h * ratio, h)
    } else {
        (w, w / ratio)
    };
    let out_w = (cw.round() as u32).clamp(1, OG_SIZE.0);
    let out_h = ((f64::from(out_w) / ratio).round() as u32).max(1);
    ((out_w, out_h), ((w - cw) / 2.0, (h - ch) / 2.0, cw, ch))
}

fn jpeg(image: &DynamicImage, quality: u8) -> Result<Vec<u8>, Failure> {
    let rgb = match image {
        DynamicImage::ImageRgba8(rgba) => flatten(rgba),
        other => other.to_rgb8(),
    };
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
    rgb.write_with_encoder(encoder)
        .map_err(|e| Failure::Broken {
            detail: e.to_string(),
        })?;
    Ok(out)
}

/// A transparent image on white, for JPEG.
fn flatten(rgba: &image::RgbaImage) -> image::RgbImage {
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let mix = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([mix(r), mix(g), mix(b)])
    })
}

fn png(image: &DynamicImage) -> Result<Vec<u8>, Failure> {
    let mut out = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    );
    image
        .write_with_encoder(encoder)
        .map_err(|e| Failure::Broken {
            detail: e.to_string(),
        })?;
    Ok(out)
}

fn webp_encoder(image: &DynamicImage) -> webp::Encoder<'_> {
    match image {
        DynamicImage::ImageRgba8(i) => webp::Encoder::from_rgba(i.as_raw(), i.width(), i.height()),
        DynamicImage::ImageRgb8(i) => webp::Encoder::from_rgb(i.as_raw(), i.width(), i.height()),
        // `decode` makes every image one of the two.
        other => webp::Encoder::from_rgb(other.as_bytes(), other.width(), other.height()),
    }
}

fn webp_lossy(image: &DynamicImage, quality: u8) -> Vec<u8> {
    webp_encoder(image).encode(f32::from(quality)).to_vec()
}

fn webp_lossless(image: &DynamicImage) -> Vec<u8> {
    webp_encoder(image).encode_lossless().to_vec()
}

/// An SVG is published only without scripts: no `<script>`, no `on…=` attribute, no
/// `javascript:` link (it runs on the site's address when opened alone).
fn check_svg(path: &Path) -> Result<(), Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::Broken {
        detail: e.to_string(),
    })?;
    let lower = text.to_ascii_lowercase();
    let handler = lower
        .match_indices(" on")
        .chain(lower.match_indices("\non"))
        .any(|(i, m)| {
            let rest = &lower[i + m.len()..];
            let name: String = rest.chars().take_while(char::is_ascii_alphabetic).collect();
            !name.is_empty() && rest[name.len()..].trim_start().starts_with('=')
        });
    if lower.contains("<script") || lower.contains("javascript:") || handler {
        return Err(Failure::SvgScript);
    }
    Ok(())
}

/// Removes the cache entries no image of the last build uses (`cds build` only: `serve`
/// keeps them while an editor undoes and redoes). Only names the cache itself makes.
pub fn remove_stale(cache: &Path, plan: &Plan) {
    let used: BTreeSet<String> = plan.values().map(|p| format!("{:016x}", p.key)).collect();
    let Ok(items) = std::fs::read_dir(cache) else {
        return;
    };
    for item in items.flatten() {
        let name = item.file_name().to_string_lossy().into_owned();
        let ours = name.len() >= 16 && name[..16].bytes().all(|b| b.is_ascii_hexdigit());
        if ours && !used.contains(&name) && item.path().is_dir() {
            let _ = std::fs::remove_dir_all(item.path());
        }
    }
}
