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

/// The size from the first bytes of an image.
pub fn parse(b: &[u8]) -> Option<(u32, u32)> {
    let be32 = |i: usize| Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?));
    let be16 = |i: usize| {
        Some(u32::from(u16::from_be_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    let le16 = |i: usize| {
        Some(u32::from(u16::from_le_bytes(
            b.get(i..i + 2)?.try_into().ok()?,
        )))
    };
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((be32(16)?, be32(20)?));
    }
    if b.starts_with(b"GIF8") {
        return Some((le16(6)?, le16(8)?));
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        let le24 = |i: usize| {
            Some(
                u32::from(*b.get(i)?)
                    | u32::from(*b.get(i + 1)?) << 8
                    | u32::from(*b.get(i + 2)?) << 16,
            )
        };
        return match b.get(12..16)? {
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            b"VP8 " => Some((le16(26)? & 0x3fff, le16(28)? & 0x3fff)),
            b"VP8L" => {
                let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
            }
            _ => None,
        };
    }
    if b.starts_with(&[0xff, 0xd8]) {
        let mut i = 2;
        while i + 9 < b.len() {
            if b[i] != 0xff {
                return None;
            }
            let marker = b[i + 1];
            let len = be16(i + 2)? as usize;
            // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
            if (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker) {
                return Some((be16(i + 7)?, be16(i + 5)?));
            }
            i += 2 + len;
        }
    }
    None
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
