//! `cds check`: one failing and one clean case for each check, and the report's shape.

mod common;

use std::process::Command;

use cds::check::{CheckOptions, check, render_report};
use cds::diagnostics::{Diagnostic, Severity};
use common::{CONFIG, Fixture, now};

fn site(extra_config: &str) -> Fixture {
    let f = Fixture::new(&format!("{CONFIG}{extra_config}"));
    f.file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
        .file(
            "content/van-ban/_index.md",
            "---\ntitle: Văn bản\nkind: document\n---\n",
        )
        .file(
            "content/van-ban/57.md",
            "---\ntitle: NQ 57\ndocument:\n  number: 57-NQ/TW\n  type: Nghị quyết\n  issuer: Bộ Chính trị\n  issued: 22/12/2024\n  effective: 22/12/2024\n  abstract: Về chuyển đổi số\n  file: 57-nq-tw.pdf\n---\n",
        )
        .bytes("content/van-ban/57-nq-tw.pdf", b"%PDF-1.4\n%%EOF\n");
    f
}

fn run(f: &Fixture) -> Vec<Diagnostic> {
    check(&CheckOptions {
        root: f.root().to_path_buf(),
        external: false,
        now: now(),
    })
}

/// The diagnostics of one file whose text contains `needle`.
fn find<'a>(diags: &'a [Diagnostic], file: &str, needle: &str) -> Vec<&'a Diagnostic> {
    diags
        .iter()
        .filter(|d| {
            let text = format!("{} {}", d.kind.message(), d.kind.hint().unwrap_or_default());
            d.path.to_string_lossy() == file && text.contains(needle)
        })
        .collect()
}

fn article(f: &Fixture, name: &str, front: &str, body: &str) {
    f.file(
        &format!("content/tin-tuc/{name}"),
        &format!("---\ntitle: Bài\ndocuments: [57-NQ/TW]\n{front}---\n{body}"),
    );
}

#[test]
fn clean_site_has_nothing_to_report() {
    let f = site("");
    article(
        &f,
        "a.md",
        "tags: [VNeID]\n",
        "Hòa bình, «trích dẫn» và [tệp](tep.pdf).\n\n![Người dân](anh.png)\n",
    );
    f.bytes("content/tin-tuc/tep.pdf", b"%PDF")
        .bytes("content/tin-tuc/anh.png", &common::png(8, 8));
    let diags = run(&f);
    assert!(diags.is_empty(), "{}", render_report(&diags));
    assert!(
        render_report(&diags).ends_with("Kết quả kiểm tra: 0 lỗi. Không có lỗi: có thể đăng.\n")
    );
}

#[test]
fn reports_missing_files_and_images_without_alt() {
    let f = site("");
    article(
        &f,
        "a.md",
        "image: khong-co.jpg\nimage_alt: x\n",
        "Dòng.\n\nXem [kế hoạch](ke-hoach.pdf) và ![](anh.png)\n",
    );
    f.bytes("content/tin-tuc/anh.png", &common::png(8, 8));
    let d = run(&f);
    let missing = find(
        &d,
        "content/tin-tuc/a.md",
        "`/chuyen-doi-so/tin-tuc/ke-hoach.pdf` trỏ tới tệp không có",
    );
    assert_eq!(missing.len(), 1, "{}", render_report(&d));
    assert_eq!((missing[0].line, missing[0].severity), (9, Severity::Error));
    assert_eq!(
        find(
            &d,
            "content/tin-tuc/a.md",
            "`khong-co.jpg` trỏ tới tệp không có"
        )[0]
        .line,
        4
    );
    let alt = find(&d, "content/tin-tuc/a.md", "không có mô tả");
    assert_eq!((alt[0].line, alt[0].severity), (9, Severity::Warning));
}

#[test]
fn warns_on_files_over_the_limits() {
    let f = site("check:\n  max_image_kb: 1\n  max_attachment_mb: 1\n");
    article(
        &f,
        "a.md",
        "",
        "![Ảnh lớn](lon.jpg) ![Ảnh nhỏ](nho.jpg) [Tệp](lon.pdf)\n",
    );
    let big = common::jpeg(300, 200);
    let big_kb = big.len().div_ceil(1024);
    f.bytes("content/tin-tuc/lon.jpg", &big)
        .bytes("content/tin-tuc/nho.jpg", &common::jpeg(8, 8))
        .bytes("content/tin-tuc/lon.pdf", &vec![0u8; 1_100_000]);
    let d = run(&f);
    assert_eq!(
        find(
            &d,
            "content/tin-tuc/a.md",
            &format!("ảnh `/chuyen-doi-so/tin-tuc/lon.jpg` nặng {big_kb} KB, quá giới hạn 1 KB")
        )
        .len(),
        1,
        "{}",
        render_report(&d)
    );
    assert!(find(&d, "content/tin-tuc/a.md", "nho.jpg").is_empty());
    assert_eq!(
        find(
            &d,
            "content/tin-tuc/a.md",
            "tệp đính kèm `/chuyen-doi-so/tin-tuc/lon.pdf` nặng 1.075 KB, quá giới hạn 1.024 KB"
        )
        .len(),
        1
    );
}

#[test]
fn reports_document_problems() {
    let f = site("");
    f.file(
        "content/van-ban/71.md",
        "---\ntitle: NQ 71\ndocument:\n  number: 71/NQ-CP\n  abstract: Cập nhật\n---\n",
    );
    article(&f, "a.md", "", "A.\n");
    let d = run(&f);
    let uncited = find(
        &d,
        "content/van-ban/71.md",
        "chưa có bài nào nêu văn bản `71/NQ-CP`",
    );
    assert_eq!(uncited.len(), 1, "{}", render_report(&d));
    assert_eq!(
        (uncited[0].line, uncited[0].severity),
        (4, Severity::Warning)
    );
    assert!(
        find(&d, "content/van-ban/57.md", "chưa có bài nào").is_empty(),
        "57 is cited"
    );

    f.file(
        "content/tin-tuc/b.md",
        "---\ntitle: B\ndocuments:\n  - 57/NQ-TW\n---\nB.\n",
    );
    let d = run(&f);
    let style = find(&d, "content/tin-tuc/b.md", "viết là `57-NQ/TW`");
    assert_eq!(style.len(), 1, "{}", render_report(&d));
    assert_eq!(style[0].severity, Severity::Error);
}

#[test]
fn warns_on_legacy_encodings() {
    let f = site("");
    article(&f, "tcvn3.md", "", "T«i ®i häc ë tr\u{b8}êng.\n");
    article(&f, "vni.md", "", "Dòng đầu.\nToâi ñi hoïc.\n");
    let d = run(&f);
    let t = find(&d, "content/tin-tuc/tcvn3.md", "bảng mã cũ TCVN3 (ABC)");
    assert_eq!((t[0].line, t[0].col), (5, 1), "{}", render_report(&d));
    assert!(t[0].render().contains("Ctrl+Shift+F6"));
    let v = find(&d, "content/tin-tuc/vni.md", "bảng mã cũ VNI Windows");
    assert_eq!((v[0].line, v[0].col), (6, 6), "{}", render_report(&d));
}

#[test]
fn warns_on_mixed_tone_placement() {
    let f = site("");
    article(&f, "a.md", "", "Hòa bình và thủy lợi.\n");
    article(&f, "b.md", "", "Hòa thuận.\n");
    article(&f, "c.md", "", "Khu vực hoà bình, quý khách.\n");
    let d = run(&f);
    let w = find(
        &d,
        "content/tin-tuc/c.md",
        "`hoà` bỏ dấu kiểu khác với 3 chỗ viết `hòa`",
    );
    assert_eq!(
        (w.len(), w[0].line, w[0].col),
        (1, 5, 9),
        "{}",
        render_report(&d)
    );
    assert!(find(&d, "content/tin-tuc/a.md", "bỏ dấu").is_empty());
    assert!(
        find(&d, "content/tin-tuc/c.md", "quý").is_empty(),
        "qu- words are not flagged"
    );
}

#[test]
fn notes_pages_that_will_not_be_published() {
    let f = site("");
    article(&f, "nhap.md", "draft: true\n", "");
    article(&f, "hen.md", "date: 03/12/2026 08:00\n", "");
    article(
        &f,
        "het.md",
        "date: 2026-01-01\nexpiry_date: 2026-06-30\n",
        "",
    );
    article(&f, "dang.md", "", "Đã đăng.\n");
    let d = run(&f);
    assert_eq!(
        find(&d, "content/tin-tuc/nhap.md", "đây là bản nháp")[0].severity,
        Severity::Note
    );
    assert_eq!(
        find(
            &d,
            "content/tin-tuc/hen.md",
            "hẹn giờ đăng lúc Thứ Năm, 03/12/2026 08:00"
        )
        .len(),
        1
    );
    assert_eq!(
        find(
            &d,
            "content/tin-tuc/het.md",
            "đã hết hạn từ Thứ Ba, 30/06/2026"
        )
        .len(),
        1
    );
    assert!(
        render_report(&d).contains("0 lỗi, 3 ghi chú. Không có lỗi"),
        "{}",
        render_report(&d)
    );
}

#[test]
fn warns_on_tags_typed_two_ways() {
    let f = site("");
    article(&f, "a.md", "tags: [VNeID, Chuyển đổi số]\n", "");
    article(&f, "b.md", "tags: [VNeID, Chuyển đổi số]\n", "");
    article(&f, "c.md", "tags:\n  - vneid\n  - chuyen doi so\n", "");
    let d = run(&f);
    let w = find(&d, "content/tin-tuc/c.md", "chỉ khác");
    assert_eq!(w.len(), 2, "{}", render_report(&d));
    assert!(
        w.iter()
            .any(|d| d.line == 5 && d.render().contains("dùng một cách viết: `VNeID`"))
    );
    assert!(
        w.iter()
            .any(|d| d.line == 6 && d.render().contains("`Chuyển đổi số`"))
    );
}

#[test]
fn checks_external_links_once_each_when_asked() {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let port = server.server_addr().to_ip().unwrap().port();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = hits.clone();
    std::thread::spawn(move || {
        for r in server.incoming_requests() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let code = if r.url().starts_with("/ok") { 200 } else { 404 };
            let _ = r.respond(tiny_http::Response::empty(code));
        }
    });
    let f = site("");
    let ok = format!("http://127.0.0.1:{port}/ok");
    let gone = format!("http://127.0.0.1:{port}/mat");
    article(
        &f,
        "a.md",
        "",
        &format!("[a]({ok}) [b]({gone}) [c]({gone})\n"),
    );
    let quiet = run(&f);
    assert!(
        find(&quiet, "content/tin-tuc/a.md", "liên kết ngoài").is_empty(),
        "off by default"
    );
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
    let d = check(&CheckOptions {
        root: f.root().to_path_buf(),
        external: true,
        now: now(),
    });
    let broken = find(&d, "content/tin-tuc/a.md", "liên kết ngoài");
    assert_eq!(broken.len(), 1, "{}", render_report(&d));
    assert!(broken[0].render().contains("/mat` lỗi: mã trả về 404"));
    // /ok: one HEAD; /mat (linked twice): one HEAD, then one GET before calling it broken.
    assert_eq!(
        hits.load(std::sync::atomic::Ordering::SeqCst),
        3,
        "each URL is requested once"
    );
}

#[test]
fn cli_groups_by_file_and_exits_1_only_on_errors() {
    let f = site("");
    article(&f, "a.md", "draft: true\n", "");
    let out = Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["check", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("== content/tin-tuc/a.md\nghi chú: trang này sẽ không được đăng"),
        "{stdout}"
    );
    assert!(!f.public().exists(), "check writes nothing");
    article(&f, "b.md", "tittle: x\n", "");
    let out = Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["check", "--root"])
        .arg(f.root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Cần sửa các lỗi trên trước khi đăng."));
}
