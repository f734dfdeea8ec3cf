//! What an image file is, from its first bytes: the format by its magic bytes (a `.jpg` that
//! is really a PNG is a PNG), the pixel size as shown (EXIF orientation applied), and whether
//! it carries a GPS position. Pure: the caller reads the head of the file.

/// How many bytes of a file [`probe`] reads: JPEG's EXIF segment is at most 64 KiB, and a
/// photo's size marker follows it.
pub const HEAD_BYTES: usize = 256 * 1024;

/// The formats cds knows by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jpeg,
    Png,
    Gif,
    WebP,
    Svg,
}

/// What the head of an image file says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Probe {
    pub format: Format,
    /// The size as stored in the file.
    pub stored: (u32, u32),
    /// EXIF orientation, 1 to 8 (1 when there is none).
    pub orientation: u8,
    /// The EXIF block has a GPS position.
    pub gps: bool,
}

/// Why an image cannot be used, found before decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unusable {
    Empty,
    Heic,
    /// Not a format cds knows, or a header too broken to give a size.
    Unknown,
}

impl Probe {
    /// The size a visitor sees: width and height swapped for orientations 5 to 8 (a photo
    /// taken with the phone held upright).
    pub fn shown(&self) -> (u32, u32) {
        let (w, h) = self.stored;
        if self.orientation >= 5 {
            (h, w)
        } else {
            (w, h)
        }
    }

    pub fn pixels(&self) -> u64 {
        u64::from(self.stored.0) * u64::from(self.stored.1)
    }
}

/// Reads what [`Probe`] holds from the first bytes of a file (up to [`HEAD_BYTES`]).
pub fn probe(head: &[u8]) -> Result<Probe, Unusable> {
    if head.is_empty() {
        return Err(Unusable::Empty);
    }
    let format = format_of(head)?;
    let stored = match format {
        Format::Svg => (0, 0),
        _ => size(head).ok_or(Unusable::Unknown)?,
    };
    if format != Format::Svg && (stored.0 == 0 || stored.1 == 0) {
        return Err(Unusable::Unknown);
    }
    let exif = match format {
        Format::Jpeg => jpeg_exif(head),
        _ => None,
    };
    let (orientation, gps) = exif.map_or((1, false), read_exif);
    Ok(Probe {
        format,
        stored,
        orientation,
        gps,
    })
}

fn format_of(head: &[u8]) -> Result<Format, Unusable> {
    if head.starts_with(&[0xff, 0xd8, 0xff]) {
        return Ok(Format::Jpeg);
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Ok(Format::Gif);
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Ok(Format::WebP);
    }
    // ISO base media: `ftyp` at byte 4, then the brand. iPhones write HEIC.
    if head.get(4..8) == Some(b"ftyp") {
        let brand = head.get(8..12).unwrap_or_default();
        let heif: [&[u8]; 6] = [b"heic", b"heix", b"hevc", b"heim", b"mif1", b"msf1"];
        if heif.contains(&brand) {
            return Err(Unusable::Heic);
        }
        return Err(Unusable::Unknown);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = text
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let text = &text[start..];
    if text.starts_with(b"<svg") || text.starts_with(b"<?xml") || text.starts_with(b"<!--") {
        return Ok(Format::Svg);
    }
    Err(Unusable::Unknown)
}

fn be16(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        b.get(i..i + 2)?.try_into().ok()?,
    )))
}

fn be32(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(i..i + 4)?.try_into().ok()?))
}

fn le16(b: &[u8], i: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(i..i + 2)?.try_into().ok()?,
    )))
}

/// The stored pixel size from the header of a PNG, GIF, WebP or JPEG.
pub fn size(b: &[u8]) -> Option<(u32, u32)> {
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some((be32(b, 16)?, be32(b, 20)?));
    }
    if b.starts_with(b"GIF8") {
        return Some((le16(b, 6)?, le16(b, 8)?));
    }
    if b.starts_with(b"RIFF") && b.get(8..12) == Some(b"WEBP") {
        let le24 = |i: usize| {
            let p = b.get(i..i + 3)?;
            Some(u32::from(p[0]) | u32::from(p[1]) << 8 | u32::from(p[2]) << 16)
        };
        return match b.get(12..16)? {
            b"VP8X" => Some((le24(24)? + 1, le24(27)? + 1)),
            b"VP8 " => Some((le16(b, 26)? & 0x3fff, le16(b, 28)? & 0x3fff)),
            b"VP8L" => {
                let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                Some(((bits & 0x3fff) + 1, ((bits >> 14) & 0x3fff) + 1))
            }
            _ => None,
        };
    }
    if b.starts_with(&[0xff, 0xd8]) {
        return jpeg_segments(b).find_map(|(marker, body)| {
            // SOF0..SOF15 carry the size, except DHT (C4), JPG (C8) and DAC (CC).
            let sof = (0xc0..=0xcf).contains(&marker) && ![0xc4, 0xc8, 0xcc].contains(&marker);
            sof.then(|| Some((be16(body, 3)?, be16(body, 1)?)))
                .flatten()
        });
    }
    None
}

/// The segments of a JPEG before its image data: (marker, the bytes after the length).
fn jpeg_segments(b: &[u8]) -> impl Iterator<Item = (u8, &[u8])> {
    let mut i = 2;
    std::iter::from_fn(move || {
        if b.get(i) != Some(&0xff) {
            return None;
        }
        let marker = *b.get(i + 1)?;
        if marker == 0xda || marker == 0xd9 {
            return None;
        }
        let len = be16(b, i + 2)? as usize;
        // The head may end inside a segment: what is there is read.
        let body = b.get(i + 4..(i + 2 + len).clamp(i + 4, b.len().max(i + 4)))?;
        i += 2 + len;
        Some((marker, body))
    })
}

/// The TIFF block of a JPEG's EXIF segment (APP1, `Exif\0\0`).
fn jpeg_exif(b: &[u8]) -> Option<&[u8]> {
    jpeg_segments(b)
        .find(|(marker, body)| *marker == 0xe1 && body.starts_with(b"Exif\0\0"))
        .map(|(_, body)| &body[6..])
}

/// Orientation (tag 0x0112) and whether a GPS block (tag 0x8825) is present, from the first
/// directory of a TIFF block; `(1, false)` when it cannot be read.
pub fn read_exif(tiff: &[u8]) -> (u8, bool) {
    let little = match tiff.get(..4) {
        Some(b"II*\0") => true,
        Some(b"MM\0*") => false,
        _ => return (1, false),
    };
    let u16_at = |i: usize| -> Option<u16> {
        let p: [u8; 2] = tiff.get(i..i + 2)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(p)
        } else {
            u16::from_be_bytes(p)
        })
    };
    let u32_at = |i: usize| -> Option<u32> {
        let p: [u8; 4] = tiff.get(i..i + 4)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(p)
        } else {
            u32::from_be_bytes(p)
        })
    };
    let Some(ifd) = u32_at(4).map(|o| o as usize) else {
        return (1, false);
    };
    let count = u16_at(ifd).unwrap_or(0) as usize;
    let (mut orientation, mut gps) = (1, false);
    for n in 0..count {
        let entry = ifd + 2 + n * 12;
        match u16_at(entry) {
            Some(0x0112) => {
                let value = u16_at(entry + 8).unwrap_or(1);
                if (1..=8).contains(&value) {
                    orientation = value as u8;
                }
            }
            Some(0x8825) => gps = u32_at(entry + 8).is_some_and(|o| o != 0),
            None => break,
            _ => {}
        }
    }
    (orientation, gps)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG head: SOI, an EXIF segment with `entries` in IFD0 (big-endian), SOF0 of w×h.
    pub(crate) fn jpeg_head(w: u16, h: u16, entries: &[(u16, u16, u32)]) -> Vec<u8> {
        let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&(entries.len() as u16).to_be_bytes());
        for &(tag, kind, value) in entries {
            tiff.extend_from_slice(&tag.to_be_bytes());
            tiff.extend_from_slice(&kind.to_be_bytes());
            tiff.extend_from_slice(&1u32.to_be_bytes());
            let v = if kind == 3 {
                (value << 16).to_be_bytes()
            } else {
                value.to_be_bytes()
            };
            tiff.extend_from_slice(&v);
        }
        tiff.extend_from_slice(&[0; 4]);
        let mut out = vec![0xff, 0xd8, 0xff, 0xe1];
        out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
        out.extend_from_slice(b"Exif\0\0");
        out.extend_from_slice(&tiff);
        out.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08]);
        out.extend_from_slice(&h.to_be_bytes());
        out.extend_from_slice(&w.to_be_bytes());
        out.extend_from_slice(&[0x03, 0x01, 0x22, 0x00]);
        out
    }

    #[test]
    fn a_portrait_photo_is_shown_upright() {
        let head = jpeg_head(4032, 3024, &[(0x0112, 3, 6), (0x8825, 4, 120)]);
        let p = probe(&head).expect("a JPEG");
        assert_eq!(p.format, Format::Jpeg);
        assert_eq!(
            (p.stored, p.shown(), p.orientation, p.gps),
            ((4032, 3024), (3024, 4032), 6, true)
        );
        let plain = probe(&jpeg_head(800, 600, &[])).expect("a JPEG");
        assert_eq!(
            (plain.shown(), plain.orientation, plain.gps),
            ((800, 600), 1, false)
        );
    }

    #[test]
    fn formats_are_known_by_their_bytes_not_their_names() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend_from_slice(&1200u32.to_be_bytes());
        png.extend_from_slice(&630u32.to_be_bytes());
        assert_eq!(
            probe(&png).map(|p| (p.format, p.stored)),
            Ok((Format::Png, (1200, 630)))
        );
        assert_eq!(
            probe(b"GIF89a\x20\x03\x58\x02rest").map(|p| p.stored),
            Ok((800, 600))
        );
        assert_eq!(
            probe(b"\0\0\0\x18ftypheic\0\0\0\0").err(),
            Some(Unusable::Heic)
        );
        assert_eq!(probe(b"").err(), Some(Unusable::Empty));
        assert_eq!(probe(b"not an image").err(), Some(Unusable::Unknown));
        assert_eq!(probe(&[0xff, 0xd8, 0xff]).err(), Some(Unusable::Unknown));
        assert_eq!(
            probe(b"  <svg xmlns=\"http://www.w3.org/2000/svg\"/>").map(|p| p.format),
            Ok(Format::Svg)
        );
    }

    #[test]
    fn broken_exif_is_read_as_no_exif() {
        for tiff in [
            &b"MM\0*\xff\xff\xff\xff"[..],
            b"II*\0\x08\0\0\0\xff\xff",
            b"xx",
        ] {
            assert_eq!(read_exif(tiff), (1, false));
        }
    }
}
