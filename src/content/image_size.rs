//! Pixel size of a PNG, JPEG, GIF or WebP image from its header, so share previews can give
//! `og:image:width` and `og:image:height` (Facebook and Zalo show the large card only when
//! they know the size up front). Reads at most the first 64 KiB.

use std::io::Read;
use std::path::Path;

/// `(width, height)`, or `None` for an unknown or broken image.
pub fn image_size(path: &Path) -> Option<(u32, u32)> {
    let mut head = Vec::with_capacity(65536);
    std::fs::File::open(path)
        .ok()?
        .take(65536)
        .read_to_end(&mut head)
        .ok()?;
    parse(&head)
}

/// The size from the first bytes of an image (the image stage's header reader).
pub fn parse(b: &[u8]) -> Option<(u32, u32)> {
    crate::images::probe::size(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_png_gif_and_jpeg_sizes() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&1200u32.to_be_bytes());
        png.extend_from_slice(&630u32.to_be_bytes());
        assert_eq!(parse(&png), Some((1200, 630)));
        assert_eq!(parse(b"GIF89a\x20\x03\x58\x02rest"), Some((800, 600)));
        let jpeg = [
            0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x02,
            0x76, 0x04, 0xb0, 0x03, 0x01, 0x22, 0x00,
        ];
        assert_eq!(parse(&jpeg), Some((1200, 630)));
        assert_eq!(parse(b"not an image"), None);
        assert_eq!(parse(&[0xff, 0xd8, 0xff]), None);
    }

    #[test]
    fn reads_the_theme_share_image() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/daihai/static/img/chia-se.jpg");
        assert_eq!(image_size(&path), Some((1200, 630)));
    }
}
