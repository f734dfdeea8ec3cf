//! Colours kept right: a photo with an embedded colour profile (Display P3 from recent
//! phones, Adobe RGB from cameras) is converted to sRGB, which every browser assumes for an
//! image without a profile; published files carry no profile, like no other metadata.

use image::DynamicImage;
use moxcms::{ColorProfile, DataColorSpace, Layout, TransformOptions};

/// `image` (8-bit RGB or RGBA) in sRGB, from the colours `icc` describes. An unreadable or
/// non-RGB profile leaves the pixels as they are.
pub fn to_srgb(image: DynamicImage, icc: &[u8]) -> DynamicImage {
    let Ok(profile) = ColorProfile::new_from_slice(icc) else {
        return image;
    };
    if profile.color_space != DataColorSpace::Rgb {
        return image;
    }
    let srgb = ColorProfile::new_srgb();
    let layout = match &image {
        DynamicImage::ImageRgba8(_) => Layout::Rgba,
        _ => Layout::Rgb,
    };
    let Ok(transform) =
        profile.create_transform_8bit(layout, &srgb, layout, TransformOptions::default())
    else {
        return image;
    };
    let mut image = image;
    let pixels: &mut [u8] = match &mut image {
        DynamicImage::ImageRgba8(i) => i,
        DynamicImage::ImageRgb8(i) => i,
        _ => return image,
    };
    let source = pixels.to_vec();
    if transform.transform(&source, pixels).is_err() {
        pixels.copy_from_slice(&source);
    }
    image
}
