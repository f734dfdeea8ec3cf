//! `cds new`: a file for every kind, which then builds; no overwriting; unknown sections listed.

mod common;

use cds::new::{NewRequest, new_page};
use common::{CONFIG, Fixture, now};

fn site() -> Fixture {
    let f = Fixture::new(&format!(
        "{CONFIG}defaults:\n  author: Ban Biên tập\n  unit: Phòng Văn hóa – Xã hội\n"
    ));
    f.three_sections().file(
        "content/tim-hieu/_index.md",
        "---\ntitle: Tìm hiểu\nkind: page\n---\n",
    );
    f
}

fn new(
    f: &Fixture,
    section: &str,
    title: &str,
    bundle: bool,
) -> Result<cds::new::Created, Vec<cds::diagnostics::Diagnostic>> {
    new_page(&NewRequest {
        root: f.root().to_path_buf(),
        section: section.into(),
        title: title.into(),
        bundle,
        now: now(),
    })
}

#[test]
fn creates_a_file_for_every_kind_that_builds() {
    let f = site();
    for (section, title, bundle, path) in [
        (
            "tin-tuc",
            "Hội nghị \"chuyển đổi số\" quý I",
            false,
            "content/tin-tuc/hoi-nghi-chuyen-doi-so-quy-i.md",
        ),
        (
            "tin-tuc",
            "Ra mắt Tổ công nghệ số",
            true,
            "content/tin-tuc/ra-mat-to-cong-nghe-so/index.md",
        ),
        (
            "cau-chuyen",
            "Hợp tác xã bán hàng trực tuyến",
            false,
            "content/cau-chuyen/hop-tac-xa-ban-hang-truc-tuyen.md",
        ),
        (
            "van-ban",
            "Kế hoạch số 07/KH-UBND",
            false,
            "content/van-ban/ke-hoach-so-07-kh-ubnd.md",
        ),
        (
            "tim-hieu",
            "Chuyển đổi số là gì",
            false,
            "content/tim-hieu/chuyen-doi-so-la-gi.md",
        ),
    ] {
        let created = new(&f, section, title, bundle).unwrap_or_else(|d| panic!("{d:?}"));
        assert_eq!(created.path.to_string_lossy(), path);
        let text = std::fs::read_to_string(f.root().join(path)).unwrap();
        assert!(text.contains("draft: true"), "{text}");
        assert!(
            text.contains("date: 26/11/2026 09:00"),
            "Vietnam time now: {text}"
        );
    }
    let story = std::fs::read_to_string(
        f.root()
            .join("content/cau-chuyen/hop-tac-xa-ban-hang-truc-tuyen.md"),
    )
    .unwrap();
    assert!(
        story.contains("place:")
            && story.contains("subject:")
            && story.contains("author: \"Ban Biên tập\"")
    );
    let doc = std::fs::read_to_string(f.root().join("content/van-ban/ke-hoach-so-07-kh-ubnd.md"))
        .unwrap();
    assert!(doc.contains("document:\n") && doc.contains("  abstract:"));
    assert!(!doc.contains("\nplace:"));
    // Drafts build (and show) with --drafts; every created file is valid.
    f.build_with(true, None)
        .unwrap_or_else(|d| panic!("{}", d.iter().map(|d| d.render()).collect::<String>()));
    let page = f.read("tin-tuc/hoi-nghi-chuyen-doi-so-quy-i/index.html");
    assert!(
        page.contains("<h1>Hội nghị &quot;chuyển đổi số&quot; quý I</h1>"),
        "quotes in the title survive"
    );
}

#[test]
fn prints_the_future_url() {
    let f = site();
    let created = new(&f, "tin-tuc", "Bài mới", false).unwrap();
    assert_eq!(
        created.url,
        "https://daihai.cantho.gov.vn/chuyen-doi-so/tin-tuc/bai-moi/"
    );
}

#[test]
fn refuses_to_overwrite_and_lists_sections() {
    let f = site();
    new(&f, "tin-tuc", "Bài A", false).unwrap();
    let err = new(&f, "tin-tuc", "Bài A", true).unwrap_err();
    assert!(
        err[0].render().contains("đã có content/tin-tuc/bai-a.md"),
        "{}",
        err[0].render()
    );
    let err = new(&f, "tin", "X", false).unwrap_err();
    let text = err[0].render();
    assert!(
        text.contains("không có mục `tin`")
            && text.contains("tin-tuc (Tin tức)")
            && text.contains("van-ban (Văn bản)"),
        "{text}"
    );
    assert!(err[0].is_usage());
}

#[cfg(unix)]
#[test]
fn never_writes_through_a_link_nor_makes_a_second_section_page() {
    let f = site();
    let outside = tempfile::tempdir().unwrap();
    let target = outside.path().join("tao-ra.md");
    std::os::unix::fs::symlink(&target, f.root().join("content/tin-tuc/thu-nghiem.md")).unwrap();
    let err = new(&f, "tin-tuc", "Thử nghiệm", false).unwrap_err();
    assert!(err[0].render().contains("đã có"), "{}", err[0].render());
    assert!(!target.exists(), "cds new wrote through a dangling link");

    let err = new(&f, "tin-tuc", "_index", false).unwrap_err();
    assert!(err[0].is_usage(), "{}", err[0].render());
    assert!(!f.root().join("content/tin-tuc/index.md").exists());
}
