//! Every class of content error: the message names the file and the right line, every error of
//! a run is reported, and `public/` is left exactly as it was.

mod common;

use std::process::Command;

use common::{CONFIG, Fixture, snapshot};

const SECTION: &str = "---\ntitle: Tin tức\n---\n";
const DOC57: &str =
    "---\ntitle: NQ 57\ndocument:\n  number: 57-NQ/TW\n  abstract: Về chuyển đổi số\n---\n";

/// Builds a site made of `files` over a previous good build, and returns the diagnostics.
/// Asserts that the failed build did not touch `public/`.
fn failing(files: &[(&str, &str)]) -> Vec<cds::diagnostics::Diagnostic> {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/_index.md", SECTION)
        .file(
            "content/van-ban/_index.md",
            "---\ntitle: Văn bản\nkind: document\n---\n",
        )
        .file("content/van-ban/57.md", DOC57);
    f.build_ok();
    let before = snapshot(&f.public());
    assert!(!before.is_empty());
    for (path, text) in files {
        f.file(path, text);
    }
    let diags = f.build().expect_err("the build must fail");
    assert_eq!(
        snapshot(&f.public()),
        before,
        "a failed build changed public/"
    );
    diags
}

/// Asserts one error at `file:line` whose rendered text contains `needle`.
fn assert_error(diags: &[cds::diagnostics::Diagnostic], file: &str, line: usize, needle: &str) {
    let found = diags.iter().any(|d| {
        d.is_error()
            && d.path.to_string_lossy() == file
            && d.line == line
            && d.render().contains(needle)
    });
    let all: String = diags.iter().map(|d| d.render()).collect();
    assert!(found, "no error `{needle}` at {file}:{line} in:\n{all}");
}

#[test]
fn errors_on_broken_yaml() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\ntags: [a, b\ndate: 2026-01-01\n---\n",
    )]);
    assert_error(&d, "content/tin-tuc/a.md", 4, "sai cú pháp YAML");
}

#[test]
fn errors_on_unclosed_front_matter() {
    let d = failing(&[("content/tin-tuc/a.md", "---\ntitle: A\n\nNội dung\n")]);
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        1,
        "không có dòng `---` đóng lại",
    );
}

#[test]
fn errors_on_unknown_front_matter_key_with_a_hint() {
    let d = failing(&[("content/tin-tuc/a.md", "---\ntitle: A\ntittle: B\n---\n")]);
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        3,
        "có phải bạn muốn viết `title`?",
    );
}

#[test]
fn errors_on_bad_date() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\ndate: 31/02/2026\n---\n",
    )]);
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        3,
        "ngày `31/02/2026` không tồn tại",
    );
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\ndate: 2026/02/15\n---\n",
    )]);
    assert_error(&d, "content/tin-tuc/a.md", 3, "không đúng định dạng");
}

#[test]
fn errors_on_missing_title() {
    let d = failing(&[("content/tin-tuc/a.md", "---\ndate: 2026-01-01\n---\n")]);
    assert_error(&d, "content/tin-tuc/a.md", 1, "thiếu khóa bắt buộc `title`");
}

#[test]
fn errors_on_duplicate_url_naming_both_files() {
    let d = failing(&[
        ("content/tin-tuc/hoi-nghi.md", "---\ntitle: A\n---\n"),
        ("content/tin-tuc/Hội nghị.md", "---\ntitle: B\n---\n"),
    ]);
    let all: String = d.iter().map(|d| d.render()).collect();
    assert!(all.contains("content/tin-tuc/Hội nghị.md"), "{all}");
    assert!(all.contains("content/tin-tuc/hoi-nghi.md"), "{all}");
    assert!(all.contains("/chuyen-doi-so/tin-tuc/hoi-nghi/"), "{all}");
}

#[test]
fn errors_on_broken_internal_link_and_anchor() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\n---\nDòng một.\n\nXem [bài](@/tin-tuc/khong-co.md) và [NQ](@/van-ban/57.md#muc-khong-co).\n",
    )]);
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        6,
        "`@/tin-tuc/khong-co.md` trỏ tới tệp không tồn tại",
    );
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        6,
        "không có mục `#muc-khong-co`",
    );
    // A one-shot build frees each page's Markdown once rendered; a page whose anchors are
    // checked afterwards keeps it, so the message still quotes the line.
    let anchor = d
        .iter()
        .map(|d| d.render())
        .find(|r| r.contains("#muc-khong-co`"))
        .expect("the anchor error");
    assert!(
        anchor.contains("Xem [bài](@/tin-tuc/khong-co.md)"),
        "{anchor}"
    );
}

#[test]
fn errors_on_unknown_document_number_with_a_hint() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\ndocuments: [75-NQ/TW]\n---\n",
    )]);
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        3,
        "không có trang văn bản nào mang số ký hiệu `75-NQ/TW`",
    );
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        3,
        "có phải bạn muốn viết `57-NQ/TW`?",
    );
}

#[test]
fn errors_on_wrong_document_number_style_naming_the_right_form() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\ndocuments:\n  - 57/NQ-TW\n---\n",
    )]);
    assert_error(&d, "content/tin-tuc/a.md", 4, "viết là `57-NQ/TW`");
}

#[test]
fn errors_on_missing_image_alt() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\nimage: anh.jpg\n---\n",
    )]);
    assert_error(&d, "content/tin-tuc/a.md", 3, "thiếu mô tả ảnh `image_alt`");
}

#[test]
fn errors_on_a_section_and_a_bundle_in_one_folder() {
    let d = failing(&[
        ("content/tin-tuc/hop/_index.md", "---\ntitle: Mục\n---\n"),
        ("content/tin-tuc/hop/index.md", "---\ntitle: Bài\n---\n"),
    ]);
    assert_error(
        &d,
        "content/tin-tuc/hop/index.md",
        0,
        "content/tin-tuc/hop/_index.md",
    );
}

#[test]
fn warns_on_links_to_unpublished_pages() {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/_index.md", SECTION)
        .file(
            "content/tin-tuc/nhap.md",
            "---\ntitle: Nháp\ndraft: true\n---\n",
        )
        .file(
            "content/tin-tuc/a.md",
            "---\ntitle: A\n---\nXem [bài nháp](@/tin-tuc/nhap.md).\n",
        );
    let report = f.build_ok();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    let w = report.warnings[0].render();
    assert!(
        w.starts_with("cảnh báo: liên kết `@/tin-tuc/nhap.md` trỏ tới một bài nháp"),
        "{w}"
    );
    assert!(w.contains("content/tin-tuc/a.md:4:"), "{w}");
}

#[test]
fn errors_on_script_urls_in_front_matter() {
    let d = failing(&[
        (
            "content/tin-tuc/a.md",
            "---\ntitle: A\nimage: javascript:alert(1)\nimage_alt: x\n---\n",
        ),
        (
            "content/van-ban/71.md",
            "---\ntitle: B\ndocument:\n  number: 71/NQ-CP\n  abstract: x\n  file: \"javascript://%0aalert(1)\"\n  source: \"javascript:alert(1)\"\n---\n",
        ),
    ]);
    assert_error(&d, "content/tin-tuc/a.md", 3, "không dùng được cho `image`");
    assert_error(&d, "content/van-ban/71.md", 6, "không dùng được cho `file`");
    assert_error(
        &d,
        "content/van-ban/71.md",
        7,
        "không dùng được cho `source`",
    );
}

#[test]
fn errors_on_aliases_outside_the_site() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\naliases: [/cu/a/, ../../tmp/x.html]\n---\n",
    )]);
    assert_error(
        &d,
        "content/tin-tuc/a.md",
        3,
        "địa chỉ cũ `../../tmp/x.html` không hợp lệ",
    );
}

#[test]
fn errors_instead_of_panicking_on_extra_keys_templates_cannot_use() {
    let d = failing(&[(
        "content/tin-tuc/a.md",
        "---\ntitle: A\nextra:\n  ~: x\n  1.5: y\n---\n",
    )]);
    assert_error(&d, "content/tin-tuc/a.md", 3, "giá trị của `extra` phải là");
}

#[test]
fn a_broken_section_file_does_not_blame_its_pages() {
    let d = failing(&[(
        "content/van-ban/_index.md",
        "---\ntitle: Văn bản\nkind: documents\n---\n",
    )]);
    assert_error(
        &d,
        "content/van-ban/_index.md",
        3,
        "giá trị `documents` không hợp lệ cho `kind`",
    );
    assert_eq!(d.len(), 1, "{d:?}");
}

#[test]
fn errors_on_two_outputs_at_one_path() {
    let d = failing(&[
        ("content/Tin tức/_index.md", "---\ntitle: Tin tức 2\n---\n"),
        ("content/rss.xml", "<rss/>"),
    ]);
    let all: String = d.iter().map(|d| d.render()).collect();
    assert!(
        all.contains("content/Tin tức/_index.md") && all.contains("content/tin-tuc/_index.md"),
        "{all}"
    );
    assert!(
        all.contains("content/rss.xml") && all.contains("/chuyen-doi-so/rss.xml"),
        "{all}"
    );
}

#[test]
fn collects_every_error_of_a_run() {
    let d = failing(&[
        (
            "content/tin-tuc/a.md",
            "---\ntitle: A\ntittle: B\nday: x\n---\n",
        ),
        (
            "content/tin-tuc/b.md",
            "---\ntitle: B\ndate: hôm qua\n---\n",
        ),
        (
            "content/tin-tuc/c.md",
            "---\ntitle: C\n---\n[x](@/khong-co.md)\n",
        ),
    ]);
    assert_error(&d, "content/tin-tuc/a.md", 3, "`tittle`");
    assert_error(&d, "content/tin-tuc/a.md", 4, "`day`");
    assert_error(&d, "content/tin-tuc/b.md", 3, "hôm qua");
    assert_error(&d, "content/tin-tuc/c.md", 4, "@/khong-co.md");
}

#[test]
fn renders_a_diagnostic_like_rustc_in_vietnamese() {
    let d = failing(&[("content/tin-tuc/a.md", "---\ntitle: A\ntittle: B\n---\n")]);
    assert_eq!(
        d[0].render(),
        "lỗi: khóa `tittle` không hợp lệ\n --> content/tin-tuc/a.md:3:1\n  |\n3 | tittle: B\n  | ^^^^^^\n  = gợi ý: có phải bạn muốn viết `title`?\n"
    );
}

#[test]
fn cli_exits_1_on_content_errors_and_2_on_usage_errors() {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/a.md", "---\ntitle: A\ntittle: B\n---\n");
    let out = Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .expect("run cds");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("content/tin-tuc/a.md:3:1"), "{stderr}");
    assert!(stderr.contains("Không dựng được trang (1 lỗi)"), "{stderr}");

    let out = Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["build", "--khong-co"])
        .output()
        .expect("run cds");
    assert_eq!(out.status.code(), Some(2));

    f.file("content/tin-tuc/a.md", "---\ntitle: A\n---\n");
    let out = Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["build", "--root"])
        .arg(f.root())
        .output()
        .expect("run cds");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("Đã dựng "), "{stdout}");
}

#[test]
fn refuses_output_folders_that_hold_the_sources() {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/a.md", "---\ntitle: A\n---\n");
    for out in [".", "..", "content", "content/x", "themes"] {
        let status = Command::new(env!("CARGO_BIN_EXE_cds"))
            .current_dir(f.root())
            .args(["build", "-o", out])
            .status()
            .expect("run cds");
        assert_eq!(status.code(), Some(2), "-o {out}");
    }
    assert!(f.root().join("content/tin-tuc/a.md").exists());
    assert!(f.root().join("themes/daihai/templates/page.html").exists());
    let status = Command::new(env!("CARGO_BIN_EXE_cds"))
        .current_dir(f.root())
        .args(["build", "-u", "/sub/"])
        .status()
        .expect("run cds");
    assert_eq!(status.code(), Some(2), "a base URL without host");
}

#[test]
fn errors_when_a_folder_is_both_a_section_and_a_page() {
    let d = failing(&[
        (
            "content/tin-tuc/thang-1/_index.md",
            "---\ntitle: Tháng 1\n---\n",
        ),
        (
            "content/tin-tuc/thang-1/index.md",
            "---\ntitle: Tháng 1\n---\n",
        ),
        ("content/_index.md", "---\ntitle: Trang chủ\n---\n"),
        ("content/index.md", "---\ntitle: Trang chủ\n---\n"),
    ]);
    for file in ["content/tin-tuc/thang-1/index.md", "content/index.md"] {
        let dir = file.trim_end_matches("index.md");
        assert_error(
            &d,
            file,
            0,
            &format!("tệp này và {dir}_index.md cùng tạo một trang"),
        );
    }
}

#[test]
fn errors_on_a_file_not_in_utf8_with_how_to_save_it() {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/_index.md", SECTION)
        // "Chuyển đổi số" typed with a legacy code page (TCVN3): not UTF-8.
        .bytes(
            "content/tin-tuc/cu.md",
            b"---\ntitle: Chuy\xd3n \xae\xe5i s\xe8\n---\n",
        )
        .file("content/tin-tuc/moi.md", "---\ntitle: Mới\n---\n");
    let d = f.build().expect_err("the build must fail");
    // At the first byte that is not UTF-8: line 2, after `title: Chuy`.
    assert_error(
        &d,
        "content/tin-tuc/cu.md",
        2,
        "tệp không phải văn bản UTF-8",
    );
    assert_eq!(d[0].col, 12);
    let all: String = d.iter().map(|d| d.render()).collect();
    assert!(all.contains("bảng mã Unicode"), "{all}");
    assert_eq!(d.len(), 1, "{all}");
}

#[test]
fn no_colour_codes_reach_a_console_that_asks_for_none() {
    // NO_COLOR wins over CLICOLOR_FORCE: old Windows consoles print escape codes as text.
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/a.md", "---\ntitle: A\ntittle: B\n---\n");
    for args in [
        &["build", "--khong-co"][..],
        &["bulid"],
        &["build", "--help"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_cds"))
            .args(args)
            .env("NO_COLOR", "1")
            .env("CLICOLOR_FORCE", "1")
            .output()
            .expect("run cds");
        for stream in [&out.stdout, &out.stderr] {
            assert!(
                !stream.contains(&0x1b),
                "{args:?}: {}",
                String::from_utf8_lossy(stream)
            );
        }
    }
    let out = Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["check", "--root"])
        .arg(f.root())
        .env("CLICOLOR_FORCE", "1")
        .output()
        .expect("run cds");
    assert!(
        !out.stdout.contains(&0x1b) && !out.stderr.contains(&0x1b),
        "cds has no colours of its own"
    );
}
