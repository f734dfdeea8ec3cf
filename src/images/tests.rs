use std::collections::BTreeMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use image::{DynamicImage, Rgb, RgbImage};

use super::*;
use crate::config::ImagesConfig;

/// Left half red, right half blue: which way up it is shows in the pixels.
fn halves(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([220, 20, 20])
        } else {
            Rgb([20, 20, 220])
        }
    })
}

fn encode(img: &RgbImage, format: image::ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(img.clone())
        .write_to(&mut out, format)
        .expect("encodes");
    out.into_inner()
}

/// `jpeg` with an EXIF segment after its start: orientation, and a GPS block if `gps`.
fn with_exif(jpeg: &[u8], orientation: u16, gps: bool) -> Vec<u8> {
    let mut entries: Vec<(u16, u16, u32)> = vec![(0x0112, 3, u32::from(orientation))];
    if gps {
        entries.push((0x8825, 4, 26));
    }
    let mut tiff = b"MM\0*\0\0\0\x08".to_vec();
    tiff.extend_from_slice(&(entries.len() as u16).to_be_bytes());
    for (tag, kind, value) in entries {
        tiff.extend_from_slice(&tag.to_be_bytes());
        tiff.extend_from_slice(&kind.to_be_bytes());
        tiff.extend_from_slice(&1u32.to_be_bytes());
        let v = if kind == 3 { value << 16 } else { value };
        tiff.extend_from_slice(&v.to_be_bytes());
    }
    tiff.extend_from_slice(&[0; 4]);
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xff, 0xe1]);
    out.extend_from_slice(&((tiff.len() + 8) as u16).to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(&tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// What `plan_files` gives: the plan, the images used, their sources.
type Planned3 = (
    Plan,
    BTreeMap<String, (PathBuf, bool)>,
    BTreeMap<PathBuf, Arc<Source>>,
);

/// Plans `files` (name → bytes) written into `dir`, the first one a cover.
fn plan_files(dir: &Path, files: &[(&str, Vec<u8>)]) -> Planned3 {
    let mut used = BTreeMap::new();
    for (i, (name, bytes)) in files.iter().enumerate() {
        let disk = dir.join(name);
        std::fs::write(&disk, bytes).expect("write");
        used.insert(format!("bai/{name}"), (disk, i == 0));
    }
    let paths: Vec<PathBuf> = used.values().map(|(d, _)| d.clone()).collect();
    let sources = Library::default().probe(&dir.join("cache"), &paths);
    let plan = plan(&used, &sources, &ImagesConfig::default());
    (plan, used, sources)
}

fn read(path: &Path) -> DynamicImage {
    image::open(path).expect("a published image opens")
}

#[test]
fn widths_are_never_upscaled() {
    assert_eq!(widths_for(4032, &[480, 800, 1200]), [480, 800, 1200]);
    assert_eq!(widths_for(1000, &[480, 800, 1200]), [480, 800, 1000]);
    assert_eq!(widths_for(800, &[480, 800, 1200]), [480, 800]);
    assert_eq!(widths_for(300, &[480, 800, 1200]), [300]);
}

#[test]
fn the_share_preview_is_cut_from_the_middle_at_1200_by_630() {
    let ((w, h), (left, top, cw, ch)) = og_geometry((4032, 3024));
    assert_eq!((w, h), (1200, 630));
    assert_eq!((left, cw), (0.0, 4032.0));
    assert!((ch - 2116.8).abs() < 0.01 && (top - (3024.0 - ch) / 2.0).abs() < 0.01);
    // Narrower than 1200: not upscaled, the same shape.
    assert_eq!(og_geometry((800, 600)).0, (800, 420));
}

#[test]
fn a_photo_is_turned_upright_resized_and_stripped_of_its_metadata() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Stored 1600×900, shown turned a quarter clockwise: 900 wide, red on top.
    let jpeg = with_exif(
        &encode(&halves(1600, 900), image::ImageFormat::Jpeg),
        6,
        true,
    );
    let (plan, used, sources) = plan_files(dir.path(), &[("anh.jpg", jpeg)]);
    let p = &plan["bai/anh.jpg"];
    assert_eq!(
        (p.size, p.widths.clone(), p.og),
        ((900, 1600), vec![480, 800, 900], true)
    );
    assert!(
        sources
            .values()
            .all(|s| s.probe.as_ref().is_ok_and(|p| p.gps))
    );
    let cache = dir.path().join("cache");
    let made = make(&plan, &cache, 80, false);
    assert!(made.failed.is_empty(), "{:?}", made.failed);
    let copies = made.copies(&plan);
    let names: Vec<&str> = copies.keys().map(String::as_str).collect();
    let key = format!("{:08x}", p.key as u32);
    for w in [480, 800, 900] {
        for ext in ["webp", "jpg"] {
            let name = format!("bai/anh-{w}.{key}.{ext}");
            assert!(names.contains(&name.as_str()), "{name} in {names:?}");
            let img = read(&copies[&name]);
            assert_eq!((img.width(), img.height()), (w, p.height_at(w)), "{name}");
            let rgb = img.to_rgb8();
            let (top, bottom) = (
                rgb.get_pixel(w / 2, 5),
                rgb.get_pixel(w / 2, img.height() - 5),
            );
            assert!(
                top[0] > 150 && top[2] < 100,
                "{name}: red on top, got {top:?}"
            );
            assert!(
                bottom[2] > 150 && bottom[0] < 100,
                "{name}: blue below, got {bottom:?}"
            );
        }
    }
    for (name, path) in &copies {
        let bytes = std::fs::read(path).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("Exif") && !text.contains("ICC_PROFILE"),
            "{name} has metadata"
        );
        if name.ends_with(".jpg") {
            let exif = image::ImageReader::new(Cursor::new(&bytes[..]))
                .with_guessed_format()
                .expect("format")
                .into_decoder()
                .and_then(|mut d| image::ImageDecoder::exif_metadata(&mut d))
                .expect("decoder");
            assert_eq!(exif, None, "{name}");
        }
    }
    let og = read(&copies[&format!("bai/anh-chia-se.{key}.jpg")]);
    assert_eq!((og.width(), og.height()), (900, 473));
    let pictures = Pictures::new(&used, &sources, &ImagesConfig::default(), &plan, &made);
    let html = picture_html(
        &pictures.by_rel["bai/anh.jpg"],
        "/b/",
        "Ảnh \"đẹp\"",
        "",
        "100vw",
        Loading::Lazy,
    );
    assert!(html.starts_with("<picture><source type=\"image/webp\" srcset=\"/b/bai/anh-480."));
    assert!(
        html.contains(
            " width=\"900\" height=\"1600\" loading=\"lazy\" decoding=\"async\"></picture>"
        )
    );
    assert!(html.contains("alt=\"Ảnh &quot;đẹp&quot;\""));
}

#[test]
fn a_large_photo_is_decoded_shrunk_and_still_comes_out_upright() {
    let dir = tempfile::tempdir().expect("temp dir");
    // Stored 3000×2400, shown a quarter turned: 2400 wide, so the 1200 base needs half.
    let jpeg = with_exif(
        &encode(&halves(3000, 2400), image::ImageFormat::Jpeg),
        6,
        false,
    );
    let (image, _) = make::shrink_on_load(&jpeg, (1500, 1200))
        .expect("decodes")
        .expect("a JPEG twice as large shrinks while it decodes");
    assert_eq!((image.width(), image.height()), (1500, 1200));
    let too_small = make::shrink_on_load(&jpeg, (1501, 1200)).expect("decodes");
    assert!(too_small.is_none(), "never decoded below what is wanted");
    let png = encode(&halves(3000, 2400), image::ImageFormat::Png);
    assert!(
        make::shrink_on_load(&png, (100, 100))
            .expect("ok")
            .is_none()
    );

    let (plan, _, _) = plan_files(dir.path(), &[("lon.jpg", jpeg)]);
    let p = &plan["bai/lon.jpg"];
    let made = make(&plan, &dir.path().join("cache"), 80, false);
    assert!(made.failed.is_empty(), "{:?}", made.failed);
    let copies = made.copies(&plan);
    let key = format!("{:08x}", p.key as u32);
    let img = read(&copies[&format!("bai/lon-1200.{key}.jpg")]).to_rgb8();
    assert_eq!((img.width(), img.height()), (1200, 1500));
    let (top, bottom) = (img.get_pixel(600, 5), img.get_pixel(600, 1495));
    assert!(top[0] > 150 && top[2] < 100, "red on top, got {top:?}");
    assert!(
        bottom[2] > 150 && bottom[0] < 100,
        "blue below, got {bottom:?}"
    );
}

#[test]
fn a_screenshot_keeps_the_smaller_of_png_and_lossless_webp() {
    let dir = tempfile::tempdir().expect("temp dir");
    let png = encode(&halves(600, 400), image::ImageFormat::Png);
    let (plan, _, _) = plan_files(dir.path(), &[("chup.png", png)]);
    let p = &plan["bai/chup.png"];
    assert_eq!(p.treatment, Treatment::Screenshot);
    let made = make(&plan, &dir.path().join("cache"), 80, false);
    let copies = made.copies(&plan);
    let size = |ext: &str| {
        copies
            .iter()
            .find(|(n, _)| n.contains("-600.") && n.ends_with(ext))
            .map(|(_, f)| std::fs::metadata(f).map_or(0, |m| m.len()))
    };
    let (png, webp) = (size(".png").expect("the PNG is always kept"), size(".webp"));
    match webp {
        Some(webp) => assert!(webp < png, "WebP kept though larger: {webp} ≥ {png}"),
        None => assert_eq!(made.png_kept(p.key), Some(true)),
    }
    let img = read(
        &copies
            .iter()
            .find(|(n, _)| {
                n.ends_with(
                    "-600.{}.png"
                        .replace("{}", &format!("{:08x}", p.key as u32))
                        .as_str(),
                )
            })
            .expect("png")
            .1
            .clone(),
    );
    assert_eq!(
        img.to_rgb8().get_pixel(10, 10),
        &Rgb([220, 20, 20]),
        "lossless"
    );
}

#[test]
fn broken_and_dangerous_images_fail_without_a_panic() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = encode(&halves(64, 48), image::ImageFormat::Jpeg);
    let truncated = good[..good.len() / 2].to_vec();
    let png_named_jpg = encode(&halves(64, 48), image::ImageFormat::Png);
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" onload=\"alert(1)\"/>".to_vec();
    let files = [
        ("bia.jpg", good),
        ("cut.jpg", truncated),
        ("la-png.jpg", png_named_jpg),
        ("xau.svg", svg),
        ("rong.jpg", Vec::new()),
        (
            "iphone.heic",
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec(),
        ),
    ];
    let (plan, used, sources) = plan_files(dir.path(), &files);
    let made = make(&plan, &dir.path().join("cache"), 80, false);
    let pictures = Pictures::new(&used, &sources, &ImagesConfig::default(), &plan, &made);
    let problems: BTreeMap<&str, &Problem> = pictures
        .problems
        .iter()
        .map(|(k, v)| (k.as_str(), v))
        .collect();
    assert_eq!(problems.get("bai/cut.jpg"), Some(&&Problem::Broken));
    assert_eq!(problems.get("bai/xau.svg"), Some(&&Problem::SvgScript));
    assert_eq!(problems.get("bai/rong.jpg"), Some(&&Problem::Empty));
    assert_eq!(problems.get("bai/iphone.heic"), Some(&&Problem::Heic));
    assert!(
        !problems.contains_key("bai/la-png.jpg"),
        "a PNG named .jpg is accepted"
    );
    assert_eq!(
        pictures.by_rel["bai/la-png.jpg"].planned.treatment,
        Treatment::Screenshot
    );
}

#[test]
fn a_decompression_bomb_is_refused_before_decoding() {
    let dir = tempfile::tempdir().expect("temp dir");
    // A PNG header claiming 30000 × 30000 pixels, and nothing else.
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend(30000u32.to_be_bytes());
    bomb.extend(30000u32.to_be_bytes());
    bomb.extend(b"\x08\x02\0\0\0");
    let (plan, used, sources) = plan_files(dir.path(), &[("bom.png", bomb)]);
    assert!(plan.is_empty(), "never planned, so never decoded");
    let made = make(&plan, &dir.path().join("cache"), 80, false);
    let pictures = Pictures::new(&used, &sources, &ImagesConfig::default(), &plan, &made);
    assert_eq!(
        pictures.problems.get("bai/bom.png"),
        Some(&Problem::TooLarge {
            width: 30000,
            height: 30000,
            limit: 100
        })
    );
}

#[test]
fn a_cache_entry_is_found_again_and_stale_ones_are_removed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (plan, _, _) = plan_files(
        dir.path(),
        &[("a.jpg", encode(&halves(64, 48), image::ImageFormat::Jpeg))],
    );
    let cache = dir.path().join("cache");
    make(&plan, &cache, 80, false);
    let later = make(&plan, &cache, 80, true);
    assert!(
        later.pending.is_empty() && later.entries.len() == 1,
        "found in the cache"
    );
    std::fs::create_dir_all(cache.join("00000000deadbeef")).expect("dir");
    std::fs::write(cache.join("notes.txt"), "not ours").expect("write");
    remove_stale(&cache, &plan);
    assert!(
        !cache.join("00000000deadbeef").exists(),
        "stale entry removed"
    );
    assert!(
        cache.join("notes.txt").exists(),
        "a file the cache did not make stays"
    );
    assert_eq!(
        make(&plan, &cache, 80, true).entries.len(),
        1,
        "the used entry stays"
    );
}

#[test]
fn a_display_p3_photo_keeps_its_colours_in_srgb() {
    let dir = tempfile::tempdir().expect("temp dir");
    // An orange as a recent phone stores it: Display P3 values, with the profile embedded.
    let p3 = RgbImage::from_pixel(64, 48, Rgb([200, 100, 50]));
    let icc = moxcms::ColorProfile::new_display_p3()
        .encode()
        .expect("a P3 profile");
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95);
    image::ImageEncoder::set_icc_profile(&mut encoder, icc).expect("JPEG takes a profile");
    encoder.encode_image(&p3).expect("encodes");
    let (plan, _, _) = plan_files(dir.path(), &[("cam.jpg", jpeg)]);
    let made = make(&plan, &dir.path().join("cache"), 95, false);
    let copies = made.copies(&plan);
    let (_, file) = copies
        .iter()
        .find(|(n, _)| n.ends_with(".jpg") && !n.contains("chia-se"))
        .expect("a JPEG");
    let px = *read(file).to_rgb8().get_pixel(32, 24);
    // Read as sRGB without conversion, P3's orange would look duller: (200, 100, 50).
    assert!(
        px[0] > 210 && px[2] < 40,
        "converted to sRGB, not washed out: {px:?}"
    );
}
