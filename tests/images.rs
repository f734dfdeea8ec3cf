//! Photos as visitors get them: every image an editor uses is published as small upright
//! variants without metadata, in `<picture>` with its size; a bad image stops the build with
//! the file and line that use it; `cds check` warns about GPS positions in originals.

mod common;

use cds::check::{CheckOptions, check};
use common::{CONFIG, Fixture};

const PAGE: &str = "content/tin-tuc/le-ra-mat/index.md";

fn site(body: &str) -> Fixture {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
        .file(
            PAGE,
            &format!(
                "---\ntitle: Lễ ra mắt\ndate: 2026-03-01\nimage: bia.jpg\nimage_alt: Quang cảnh buổi lễ\n---\n{body}"
            ),
        )
        .bytes("content/tin-tuc/le-ra-mat/bia.jpg", &common::phone_photo(1600, 900, 6))
        .bytes("content/tin-tuc/le-ra-mat/man-hinh.png", &common::png(500, 300));
    f
}

/// Every `src`/`srcset` URL of `html` under the site's base, as output paths.
fn image_files(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["src=\"", "srcset=\""] {
        for part in html.split(attr).skip(1) {
            let value = part.split('"').next().unwrap_or_default();
            for item in value.split(", ") {
                let url = item.split(' ').next().unwrap_or_default();
                if let Some(rel) = url.strip_prefix("/chuyen-doi-so/") {
                    out.push(rel.to_owned());
                }
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

#[test]
fn photos_are_published_small_upright_and_without_metadata() {
    let f = site(
        "Đoạn mở đầu.\n\n![Người dân cài VNeID](bia.jpg)\n\n![Màn hình dịch vụ công](man-hinh.png)\n",
    );
    f.build_ok();
    let page = f.read("tin-tuc/le-ra-mat/index.html");
    // The cover and the photo; the screenshot too unless its PNG is smaller than WebP.
    assert!(page.matches("<picture>").count() >= 2, "{page}");
    let cover = page
        .split("<figure class=\"lead-image\">")
        .nth(1)
        .expect("a cover");
    assert!(
        cover.contains("width=\"900\" height=\"1600\" decoding=\"async\" fetchpriority=\"high\">"),
        "{cover}"
    );
    let body = page
        .split("<div class=\"content\">")
        .nth(1)
        .expect("a body");
    assert!(
        !body.contains("fetchpriority"),
        "the cover is the page's first image"
    );
    assert_eq!(body.matches("loading=\"lazy\"").count(), 2);
    assert!(
        body.contains("width=\"500\" height=\"300\""),
        "a screenshot is not upscaled"
    );
    let files = image_files(&page);
    assert!(files.len() >= 5, "{files:?}");
    for rel in &files {
        let bytes = std::fs::read(f.public().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let img = image::load_from_memory(&bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        assert!(img.width() <= 1200, "{rel}");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("Exif"),
            "{rel} keeps EXIF"
        );
    }
    assert!(
        !f.exists("tin-tuc/le-ra-mat/bia.jpg"),
        "the original (GPS) is not published"
    );
    let share = page
        .split("<meta property=\"og:image\" content=\"")
        .nth(1)
        .expect("og:image");
    let share = share.split('"').next().unwrap_or_default();
    let rel = share
        .strip_prefix("https://daihai.cantho.gov.vn/chuyen-doi-so/")
        .expect("own URL");
    let og = image::open(f.public().join(rel)).expect("the share preview exists");
    assert_eq!((og.width(), og.height()), (900, 473));
    assert!(page.contains("<meta property=\"og:image:width\" content=\"900\">"));
    assert!(page.contains("<meta property=\"og:image:height\" content=\"473\">"));
    assert!(std::fs::metadata(f.public().join(rel)).expect("size").len() < 300 * 1024);
}

#[test]
fn a_link_to_a_photo_opens_its_largest_variant() {
    let f = site("Xem [ảnh gốc](bia.jpg).\n");
    f.build_ok();
    let page = f.read("tin-tuc/le-ra-mat/index.html");
    let href = page
        .split("href=\"/chuyen-doi-so/tin-tuc/le-ra-mat/bia-")
        .nth(1)
        .expect("link");
    let name = format!(
        "tin-tuc/le-ra-mat/bia-{}",
        href.split('"').next().unwrap_or_default()
    );
    assert!(name.contains("-900.") && name.ends_with(".jpg"), "{name}");
    assert!(f.exists(&name), "{name}");
}

#[test]
fn a_link_to_a_photo_opens_its_original_when_originals_are_published() {
    let f = site("Xem [ảnh gốc](bia.jpg).\n");
    f.file(
        "config.yaml",
        &format!("{CONFIG}images:\n  publish_originals: true\n"),
    );
    f.build_ok();
    let page = f.read("tin-tuc/le-ra-mat/index.html");
    assert!(
        page.contains("href=\"/chuyen-doi-so/tin-tuc/le-ra-mat/bia.jpg\""),
        "{page}"
    );
    assert!(f.exists("tin-tuc/le-ra-mat/bia.jpg"));
}

#[test]
fn bad_images_stop_the_build_at_the_line_that_uses_them() {
    let f = site(
        "Mở đầu.\n\n![Ảnh iPhone](iphone.heic)\n\n![Ảnh hỏng](hong.jpg)\n\n![Ảnh rỗng](rong.jpg)\n",
    );
    let photo = common::jpeg(400, 300);
    f.bytes(
        "content/tin-tuc/le-ra-mat/iphone.heic",
        b"\0\0\0\x18ftypheic\0\0\0\0mif1heic",
    )
    .bytes(
        "content/tin-tuc/le-ra-mat/hong.jpg",
        &photo[..photo.len() / 2],
    )
    .bytes("content/tin-tuc/le-ra-mat/rong.jpg", b"");
    let report = f.build_err("bad images");
    for (line, col, what) in [
        (9, 15, "định dạng HEIC của iPhone"),
        (11, 13, "bị hỏng, không giải mã được"),
        (13, 13, "là tệp rỗng"),
    ] {
        let at = format!("--> {PAGE}:{line}:{col}");
        let pos = report
            .find(&at)
            .unwrap_or_else(|| panic!("{at} in\n{report}"));
        assert!(
            report[..pos]
                .rsplit("lỗi:")
                .next()
                .unwrap_or_default()
                .contains(what),
            "{what} at {at}\n{report}"
        );
    }
    assert!(report.contains("hãy xuất ảnh JPEG"), "{report}");
    assert!(!f.public().exists(), "nothing published");
}

#[test]
fn a_broken_cover_is_named_at_its_front_matter_line() {
    let f = site("Mở đầu.\n");
    f.bytes("content/tin-tuc/le-ra-mat/bia.jpg", b"not a photo");
    let report = f.build_err("a broken cover");
    assert!(report.contains(&format!("--> {PAGE}:4:1")), "{report}");
    assert!(
        report.contains("không phải ảnh JPEG, PNG, GIF, WebP hay SVG"),
        "{report}"
    );
}

#[test]
fn check_warns_that_an_original_carries_a_gps_position() {
    let f = site("Mở đầu.\n");
    let diags = check(&CheckOptions {
        root: f.root().to_path_buf(),
        external: false,
        now: common::now(),
    });
    let gps: Vec<_> = diags
        .iter()
        .filter(|d| {
            d.kind
                .message()
                .contains("có vị trí GPS; trang đăng đã xóa, tệp gốc vẫn còn")
        })
        .collect();
    assert_eq!(gps.len(), 1, "{diags:?}");
    assert_eq!(
        gps[0].path.to_string_lossy(),
        "content/tin-tuc/le-ra-mat/bia.jpg"
    );
}

#[test]
fn attachments_say_their_kind_and_size_and_a_missing_one_stops_the_build() {
    let f = site("Tải [kế hoạch](ke-hoach.pdf) và [bảng](bang.xlsx).\n");
    f.bytes(
        "content/tin-tuc/le-ra-mat/ke-hoach.pdf",
        &vec![b'%'; 1_258_291],
    )
    .bytes("content/tin-tuc/le-ra-mat/bang.xlsx", &[0; 980]);
    f.build_ok();
    let page = f.read("tin-tuc/le-ra-mat/index.html");
    assert!(
        page.contains("kế hoạch</a> <span class=\"tep\">(PDF, 1,2 MB)</span>"),
        "{page}"
    );
    assert!(
        page.contains("bảng</a> <span class=\"tep\">(Excel, 980 byte)</span>"),
        "{page}"
    );

    let missing = site("Mở đầu.\n\nTải [kế hoạch](ke-hoach-cu.pdf).\n");
    let report = missing.build_err("a missing attachment");
    assert!(report.contains(&format!("--> {PAGE}:9:16")), "{report}");
    assert!(report.contains("ke-hoach-cu.pdf"), "{report}");
}

#[test]
fn a_document_file_shows_its_size_and_must_exist() {
    let f = Fixture::new(CONFIG);
    f.file("content/van-ban/_index.md", "---\ntitle: Văn bản\nkind: document\n---\n")
        .file(
            "content/van-ban/kh-06/index.md",
            "---\ntitle: Kế hoạch 06\ndocument:\n  number: 06/KH-UBND\n  abstract: Chuyển đổi số năm 2026\n  file: kh-06.pdf\n---\n",
        )
        .bytes("content/van-ban/kh-06/kh-06.pdf", &vec![b'%'; 2048]);
    f.build_ok();
    let page = f.read("van-ban/06-kh-ubnd/index.html");
    assert!(
        page.contains("Tải toàn văn</a> <span class=\"tep\">(PDF, 2 KB)</span>"),
        "{page}"
    );
    std::fs::remove_file(f.root().join("content/van-ban/kh-06/kh-06.pdf")).expect("remove");
    let report = f.build_err("the document's file is gone");
    assert!(
        report.contains("--> content/van-ban/kh-06/index.md:6:3"),
        "{report}"
    );
}

#[test]
fn photos_in_the_sites_static_folder_are_published_as_variants_too() {
    let f = site("![Cầu mới](/anh/cau.jpg)\n\n[Trang chủ xã](/gioi-thieu/)\n");
    f.bytes("static/anh/cau.jpg", &common::phone_photo(1000, 700, 1));
    f.build_ok();
    let page = f.read("tin-tuc/le-ra-mat/index.html");
    let body = page
        .split("<div class=\"content\">")
        .nth(1)
        .expect("a body");
    assert!(body.contains("<picture>"), "{body}");
    let files = image_files(body);
    assert!(
        files.iter().any(|rel| rel.starts_with("anh/cau-")),
        "{files:?}"
    );
    for rel in &files {
        assert!(f.exists(rel), "{rel}");
    }
    assert!(!f.exists("anh/cau.jpg"), "the original stays unpublished");
    assert!(
        body.contains("href=\"/gioi-thieu/\""),
        "a link elsewhere on the domain is left alone"
    );
    assert!(
        f.exists("img/chia-se.jpg"),
        "the theme's own images pass as they are"
    );
}

/// The colour at the middle of a JPEG variant of `stem` in `html`.
fn middle_colour(f: &Fixture, html: &str, stem: &str) -> [u8; 3] {
    let rel = image_files(html)
        .into_iter()
        .rfind(|rel| rel.contains(stem) && rel.ends_with(".jpg"))
        .unwrap_or_else(|| panic!("a JPEG variant of {stem}"));
    let bytes = std::fs::read(f.public().join(&rel)).expect("the variant");
    let img = image::load_from_memory(&bytes)
        .expect("decodes")
        .into_rgb8();
    img.get_pixel(img.width() / 2, img.height() / 2).0
}

#[test]
fn cmyk_jpegs_and_16_bit_pngs_keep_their_colours() {
    let f = site("![In ấn](in-an.jpg)\n\n![Bản đồ](ban-do.png)\n");
    // A print shop's CMYK JPEG (Adobe marker, inverted channels) of a red (200, 30, 30).
    f.bytes(
        "content/tin-tuc/le-ra-mat/in-an.jpg",
        &std::fs::read(common::repo().join("tests/fixtures/cmyk.jpg")).expect("fixture"),
    );
    let deep = image::ImageBuffer::from_pixel(64, 48, image::Rgb([20_000u16, 40_000, 60_000]));
    let mut png = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb16(deep)
        .write_to(&mut png, image::ImageFormat::Png)
        .expect("a 16-bit PNG");
    f.bytes("content/tin-tuc/le-ra-mat/ban-do.png", png.get_ref());
    f.build_ok();
    let page = f.read("tin-tuc/le-ra-mat/index.html");
    let near = |got: [u8; 3], want: [u8; 3]| {
        got.iter()
            .zip(want)
            .all(|(g, w)| (i16::from(*g) - i16::from(w)).abs() <= 12)
    };
    let red = middle_colour(&f, &page, "in-an-");
    assert!(near(red, [200, 30, 30]), "CMYK red came out {red:?}");
    let blue = (image_files(&page).into_iter())
        .find(|rel| rel.contains("ban-do-"))
        .expect("the PNG's variant");
    let bytes = std::fs::read(f.public().join(&blue)).expect("the variant");
    let img = image::load_from_memory(&bytes)
        .expect("decodes")
        .into_rgb8();
    let got = img.get_pixel(32, 24).0;
    assert!(near(got, [78, 156, 233]), "16-bit PNG came out {got:?}");
}
