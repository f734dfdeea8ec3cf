//! The markup of one image in a page: `<picture>` with a WebP `<source>` and an `<img>`
//! fallback, both with `srcset` and `sizes`, the size always given so nothing moves while it
//! loads.

use super::{Encoding, Picture, Treatment};
use crate::markdown::escape_attr;

/// Whether the browser may wait with an image until it is near the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Loading {
    /// The first image of a page: fetched at once, before others.
    First,
    Lazy,
}

/// `<picture>…</picture>` for `picture`, its files under `base` (the site's root-relative
/// prefix, `/chuyen-doi-so/`), described by `alt` (and `title` when not empty). `sizes` tells
/// the browser how wide the image is shown.
pub fn picture_html(
    picture: &Picture,
    base: &str,
    alt: &str,
    title: &str,
    sizes: &str,
    loading: Loading,
) -> String {
    let p = &picture.planned;
    let mut img = String::with_capacity(256);
    let srcset = |encoding: Encoding| -> String {
        (p.widths.iter())
            .map(|&w| format!("{base}{} {w}w", p.variant_rel(&w.to_string(), encoding)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (width, height, src) = match p.treatment {
        Treatment::AsIs => (p.size.0, p.size.1, format!("{base}{}", p.rel)),
        _ => {
            let w = p.widths.last().copied().unwrap_or(p.size.0);
            let src = p.variant_rel(&w.to_string(), picture.fallback);
            (w, p.height_at(w), format!("{base}{src}"))
        }
    };
    img.push_str("<img src=\"");
    img.push_str(&escape_attr(&src));
    img.push('"');
    if p.treatment != Treatment::AsIs && p.widths.len() > 1 {
        img.push_str(&format!(
            " srcset=\"{}\" sizes=\"{}\"",
            escape_attr(&srcset(picture.fallback)),
            escape_attr(sizes)
        ));
    }
    img.push_str(&format!(" alt=\"{}\"", escape_attr(alt)));
    if !title.is_empty() {
        img.push_str(&format!(" title=\"{}\"", escape_attr(title)));
    }
    if width > 0 && height > 0 {
        img.push_str(&format!(" width=\"{width}\" height=\"{height}\""));
    }
    img.push_str(match loading {
        Loading::First => FIRST,
        Loading::Lazy => LAZY,
    });
    match picture.modern {
        Some(modern) if p.treatment != Treatment::AsIs => format!(
            "<picture><source type=\"{}\" srcset=\"{}\" sizes=\"{}\">{img}</picture>",
            modern.mime(),
            escape_attr(&srcset(modern)),
            escape_attr(sizes)
        ),
        _ => img,
    }
}

/// The attributes of the first image of a page, and those of any other.
const FIRST: &str = " decoding=\"async\" fetchpriority=\"high\">";
const LAZY: &str = " loading=\"lazy\" decoding=\"async\">";

/// The markup of an image made lazy, when `html` is a page's first image (a summary shown on
/// a list is never a page's first).
pub fn lazy_in_summary(html: &str) -> Option<String> {
    (html.starts_with("<picture>") || html.starts_with("<img")).then_some(())?;
    html.contains(FIRST).then(|| html.replace(FIRST, LAZY))
}

/// The URL of the widest fallback file of `picture` (what a link to the photo opens).
pub fn largest_href(picture: &Picture, base: &str) -> String {
    let p = &picture.planned;
    match (p.treatment, p.widths.last()) {
        (Treatment::AsIs, _) | (_, None) => format!("{base}{}", p.rel),
        (_, Some(w)) => format!("{base}{}", p.variant_rel(&w.to_string(), picture.fallback)),
    }
}
