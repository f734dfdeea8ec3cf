//! Inputs that once passed `cds check` and then failed `cds build` with the system's English
//! words about a staging folder, or errors that pointed at the wrong line: each is now named
//! by both, in Vietnamese, with the file and the line that causes it.

mod common;

use cds::check::{CheckOptions, check};
use cds::diagnostics::Diagnostic;
use common::{CONFIG, Fixture, now};

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.three_sections()
        .file("content/_index.md", "---\ntitle: Trang đầu\n---\n");
    f
}

fn check_errors(f: &Fixture) -> Vec<Diagnostic> {
    check(&CheckOptions {
        root: f.root().to_path_buf(),
        external: false,
        now: now(),
    })
    .into_iter()
    .filter(Diagnostic::is_error)
    .collect()
}

/// `check` and `build` both fail on `file` at `line` with a message containing `says`.
fn both_refuse(f: &Fixture, file: &str, line: usize, says: &str) {
    let built = f.build().expect_err("the build must fail");
    for (who, diags) in [("build", built), ("check", check_errors(f))] {
        let found = diags.iter().any(|d| {
            d.path.to_string_lossy() == file && d.line == line && d.render().contains(says)
        });
        let all: Vec<String> = diags.iter().map(|d| d.render()).collect();
        assert!(
            found,
            "{who}: no `{says}` at {file}:{line} in:\n{}",
            all.join("\n")
        );
        for d in &diags {
            let text = d.render();
            assert!(
                !text.contains(".tmp-"),
                "{who} names a staging folder: {text}"
            );
            assert!(!text.contains("os error"), "{who} speaks English: {text}");
        }
    }
}

fn article(aliases: &str) -> String {
    format!("---\ntitle: Bài\ndate: 2026-01-05\naliases:\n{aliases}---\nNội dung.\n")
}

#[test]
fn aliases_that_no_disk_can_hold_are_named_with_their_line() {
    for (alias, says) in [
        ("  - \"/cu/a\\0b/\"\n", "địa chỉ cũ"),
        (&format!("  - /cu/{}/\n", "a".repeat(256)), "địa chỉ cũ"),
    ] {
        let f = site();
        f.file("content/tin-tuc/bai.md", &article(alias));
        both_refuse(&f, "content/tin-tuc/bai.md", 5, says);
    }
}

#[test]
fn aliases_over_generated_files_are_named_with_their_line() {
    for alias in ["rss.xml", "css/site.css", "sitemap.xml"] {
        let f = site();
        f.file(
            "content/tin-tuc/bai.md",
            &article(&format!("  - /khac/\n  - /{alias}\n")),
        );
        both_refuse(&f, "content/tin-tuc/bai.md", 6, "trùng với");
    }
}

#[test]
fn names_too_long_for_a_disk_are_named() {
    let long = "chuyển đổi số ".repeat(30);
    let f = site();
    f.file(
        "content/tin-tuc/bai.md",
        &format!("---\ntitle: Bài\nslug: {long}\n---\nNội dung.\n"),
    );
    both_refuse(&f, "content/tin-tuc/bai.md", 3, "dài quá");
    let f = site();
    f.file(
        "content/tin-tuc/bai.md",
        &format!("---\ntitle: Bài\ntags:\n  - VNeID\n  - {long}\n---\nNội dung.\n"),
    );
    both_refuse(&f, "content/tin-tuc/bai.md", 5, "dài quá");
}

#[test]
fn aliases_of_aliases_are_named_at_the_first_anchor() {
    let mut front = String::from("---\ntitle: Bài\nextra:\n");
    front.push_str("  a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\n");
    for (name, prev) in [
        ("b", "a"),
        ("c", "b"),
        ("d", "c"),
        ("e", "d"),
        ("f", "e"),
        ("g", "f"),
    ] {
        let refs = vec![format!("*{prev}"); 9].join(",");
        front.push_str(&format!("  {name}: &{name} [{refs}]\n"));
    }
    front.push_str("---\nNội dung.\n");
    let f = site();
    f.file("content/tin-tuc/bai.md", &front);
    both_refuse(&f, "content/tin-tuc/bai.md", 4, "tham chiếu");
}

#[cfg(unix)]
#[test]
fn symlinks_inside_the_site_are_followed_and_others_named() {
    use std::os::unix::fs::symlink;
    let f = site();
    f.file(
        "chung/bai-chung.md",
        "---\ntitle: Bài dùng chung\n---\nChung.\n",
    )
    .file(
        "content/tin-tuc/that.md",
        "---\ntitle: Bài thật\n---\nThật.\n",
    );
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(
        outside.path().join("mat-khau.md"),
        "---\ntitle: Bí mật\n---\nKhông được đăng.\n",
    )
    .unwrap();
    let content = f.root().join("content/tin-tuc");
    symlink(
        f.root().join("chung/bai-chung.md"),
        content.join("chung.md"),
    )
    .unwrap();
    symlink(f.root().join("chung"), content.join("thu-muc-chung")).unwrap();
    symlink(outside.path().join("mat-khau.md"), content.join("ngoai.md")).unwrap();
    symlink(&content, content.join("vong")).unwrap();
    symlink(f.root().join("khong-co.md"), content.join("hong.md")).unwrap();

    let report = f.build_ok();
    assert!(f.read("tin-tuc/chung/index.html").contains("Chung."));
    assert!(
        f.read("tin-tuc/thu-muc-chung/bai-chung/index.html")
            .contains("Chung.")
    );
    assert!(
        !f.exists("tin-tuc/ngoai/index.html"),
        "a file outside the site was published"
    );
    let warned = |file: &str, says: &str| {
        report.warnings.iter().any(|d| {
            d.path.to_string_lossy() == format!("content/tin-tuc/{file}")
                && d.render().contains(says)
        })
    };
    assert!(warned("ngoai.md", "ra ngoài"), "{:?}", report.warnings);
    assert!(warned("vong", "vòng"), "{:?}", report.warnings);
    assert!(warned("hong.md", "không còn"), "{:?}", report.warnings);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_for() {
    for name in ["config.yaml", "content/tin-tuc/ong.md"] {
        let f = site();
        let path = f.root().join(name);
        let _ = std::fs::remove_file(&path);
        let made = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(made.success());
        let root = f.root().to_path_buf();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let out = std::process::Command::new(env!("CARGO_BIN_EXE_cds"))
                .args(["build", "--root"])
                .arg(&root)
                .output();
            let _ = tx.send(out);
        });
        let out = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .unwrap_or_else(|_| panic!("cds waited on the named pipe {name}"))
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        if name == "config.yaml" {
            assert_eq!(out.status.code(), Some(1), "{stderr}");
            assert!(stderr.contains("không phải tệp thường"), "{stderr}");
        } else {
            assert!(out.status.success(), "{stderr}");
        }
    }
}

/// The open and close counts of `<name>` in `html`.
fn tag_counts(html: &str, name: &str) -> (usize, usize) {
    (
        html.matches(&format!("<{name}>")).count(),
        html.matches(&format!("</{name}>")).count(),
    )
}

#[test]
fn unclosed_and_stray_tags_never_leave_their_fragment() {
    let f = site();
    f.file(
        "content/tin-tuc/bai.md",
        "---\ntitle: Bài\ndate: 2026-01-05\n---\n<s>gạch ngang không đóng, <b>đậm</sup> nữa\n\nĐoạn hai </sup> với <u>gạch dưới.\n",
    );
    f.build_ok();
    for page in ["tin-tuc/bai/index.html", "tin-tuc/index.html", "index.html"] {
        let html = f.read(page);
        assert!(html.contains("gạch ngang không đóng"), "{page}");
        for tag in ["s", "b", "u"] {
            let (open, close) = tag_counts(&html, tag);
            assert_eq!(
                open, close,
                "{page}: <{tag}> opened {open} times, closed {close}"
            );
        }
        assert!(!html.contains("</sup>"), "{page}: a stray </sup> passed");
        // Closed before the paragraph ends, so nothing after it is struck through.
        let para = html.split("gạch ngang không đóng").nth(1).unwrap();
        let end = para.find("</p>").unwrap_or(para.len());
        assert!(
            para[..end].contains("</s>"),
            "{page}: <s> runs past its paragraph"
        );
    }
}

#[test]
fn a_category_too_long_for_a_disk_is_named_in_the_config() {
    let long = "Chuyển đổi số ".repeat(25).trim().to_owned();
    let f = Fixture::new(&CONFIG.replace(
        "categories: [Chính quyền số, Kinh tế số, Xã hội số]",
        &format!("categories: [Chính quyền số, \"{long}\"]"),
    ));
    f.three_sections()
        .file("content/_index.md", "---\ntitle: Trang đầu\n---\n")
        .file(
            "content/tin-tuc/bai.md",
            &format!("---\ntitle: Bài\ncategory: \"{long}\"\n---\nNội dung.\n"),
        );
    both_refuse(&f, "config.yaml", 0, "dài quá");
}

#[test]
fn errors_in_drafts_and_scheduled_pages_are_errors_of_check() {
    for front in ["draft: true", "date: 2030-01-01"] {
        let f = site();
        f.file(
            "content/tin-tuc/sap-dang.md",
            &format!("---\ntitle: Sắp đăng\n{front}\n---\n[x](@/khong-co.md)\n"),
        );
        let errors = check_errors(&f);
        assert!(
            errors
                .iter()
                .any(|d| d.path.to_string_lossy() == "content/tin-tuc/sap-dang.md" && d.line == 5),
            "{front}: {errors:?}"
        );
    }
}

#[test]
fn aliases_with_hidden_or_overlong_paths_are_named() {
    for alias in [
        "/.cds-build".to_owned(),
        format!("/{}", "abcdefgh/".repeat(600)),
    ] {
        let f = site();
        f.file(
            "content/tin-tuc/bai.md",
            &article(&format!("  - \"{alias}\"\n")),
        );
        both_refuse(&f, "content/tin-tuc/bai.md", 5, "địa chỉ cũ");
    }
}

#[test]
fn static_files_over_the_search_index_are_named() {
    let f = site();
    f.file("static/tim-kiem/chi-muc/meta.json", "{}");
    both_refuse(
        &f,
        "static/tim-kiem/chi-muc/meta.json",
        0,
        "chỉ mục tìm kiếm",
    );
}

#[test]
fn a_theme_outside_the_site_is_refused() {
    for theme in ["../../khac", "/tmp/giao-dien"] {
        let f = Fixture::new(&format!("{CONFIG}theme: {theme}\n"));
        f.three_sections();
        both_refuse(&f, "config.yaml", 6, "theme");
    }
}

#[test]
fn feeds_stay_well_formed_xml_whatever_the_text() {
    let f = site();
    f.file(
        "content/tin-tuc/bai.md",
        "---\ntitle: \"a \\uFFFF b \\x01\"\ndate: 2026-01-05\n---\nWord\u{0b}xuống dòng \u{FFFE} và \u{0c}.\n",
    );
    f.build_ok();
    for feed in ["rss.xml", "tin-tuc/rss.xml"] {
        let xml = f.read(feed);
        roxmltree::Document::parse(&xml).unwrap_or_else(|e| panic!("{feed}: {e}"));
    }
    let page = f.read("tin-tuc/bai/index.html");
    assert!(!page.contains('\u{0b}') && !page.contains('\u{FFFE}'));
    assert!(page.contains("xuống dòng"));
}

#[test]
fn yaml_errors_are_told_in_vietnamese() {
    for front in [
        "title: A\ntags:\n\t- VNeID",
        "title: A\nweight: 99999999999999999999999999999999999999999",
        "title: A\nextra: &a [*a]",
    ] {
        let f = site();
        f.file("content/tin-tuc/bai.md", &format!("---\n{front}\n---\nA\n"));
        let text: String = f
            .build()
            .expect_err(front)
            .iter()
            .map(|d| d.render())
            .collect();
        for english in [
            "limit exceeded",
            "invalid type",
            "control characters",
            "expected",
        ] {
            assert!(!text.contains(english), "{front:?}: {text}");
        }
    }
}

#[test]
fn names_windows_cannot_hold_stop_check_and_build() {
    for (file, says) in [
        ("content/tin-tuc/aux.md", "`aux` là tên dành riêng"),
        ("content/tin-tuc/Con.md", "`Con` là tên dành riêng"),
        ("content/tin-tuc/hỏi:đáp.md", "có dấu `:`"),
        ("content/tin-tuc/bai./index.md", "kết thúc bằng dấu chấm"),
    ] {
        let f = site();
        f.file(file, "---\ntitle: Bài\ndate: 2026-01-05\n---\nNội dung.\n");
        let named = file.strip_suffix("/index.md").unwrap_or(file);
        both_refuse(&f, named, 0, says);
    }
    let f = site();
    let page = "---\ntitle: Bài\ndate: 2026-01-05\ntags:\n  - VNeID\n  - Cồn\n---\nNội dung.\n";
    f.file("content/tin-tuc/bai.md", page);
    both_refuse(&f, "content/tin-tuc/bai.md", 6, "`con` là tên dành riêng");
    let f = site();
    let page = "---\ntitle: Bài\ndate: 2026-01-05\nslug: PRN\n---\nNội dung.\n";
    f.file("content/tin-tuc/bai.md", page);
    both_refuse(&f, "content/tin-tuc/bai.md", 4, "`prn` là tên dành riêng");
}

#[test]
fn names_that_differ_only_by_case_or_accent_storage_clash() {
    let page = "---\ntitle: Bài\ndate: 2026-01-05\n---\n![Ảnh](anh.jpg)\n";
    let f = site();
    f.file("content/tin-tuc/bai/index.md", page)
        .bytes("content/tin-tuc/bai/Anh.jpg", &common::jpeg(8, 8))
        .bytes("content/tin-tuc/bai/anh.jpg", &common::jpeg(8, 8));
    both_refuse(
        &f,
        "content/tin-tuc/bai/anh.jpg",
        0,
        "trùng với `content/tin-tuc/bai/Anh.jpg`",
    );
    // `tin-tực` typed on a Mac: the folder's name decomposed, beside the same name composed.
    let f = site();
    f.file("content/tin-tực/_index.md", "---\ntitle: Tin tực\n---\n")
        .file("content/tin-tu\u{031B}\u{0323}c/bai.md", page);
    both_refuse(
        &f,
        "content/tin-tu\u{031B}\u{0323}c",
        0,
        "trùng với `content/tin-tực`",
    );
}
