//! Every input takes linear time: pages built from inputs large enough that quadratic work
//! would take minutes (repeated headings, footnotes, links, list items, tags, aliases,
//! documents, nested YAML, long lines, unclosed tags) must build, or fail with a diagnostic,
//! within a generous limit. Each case also says what it measures in its name.

mod common;

use std::time::{Duration, Instant};

use common::{CONFIG, Fixture};

/// Far above what linear work needs on these inputs even in a debug build (well under a
/// second in release), far below what quadratic work takes (minutes).
const LIMIT: Duration = Duration::from_secs(20);

/// Builds a site whose one article has `front` as extra front matter lines and `body` as its
/// body; returns whether it built, and fails the test if it took longer than [`LIMIT`].
fn build_within_limit(what: &str, front: &str, body: &str) -> Result<(), String> {
    let f = Fixture::new(CONFIG);
    f.three_sections()
        .file("content/_index.md", "---\ntitle: Trang đầu\n---\n")
        .file(
            "content/tin-tuc/lon.md",
            &format!("---\ntitle: Bài lớn\ndate: 2026-01-05\n{front}---\n{body}\n"),
        );
    let started = Instant::now();
    let built = f.build();
    let took = started.elapsed();
    assert!(took < LIMIT, "{what}: {took:?}");
    // The first few errors only: a failing case may report thousands.
    built
        .map(|_| ())
        .map_err(|d| d.iter().take(3).map(|d| d.render()).collect())
}

fn repeat(line: &str, n: usize) -> String {
    line.repeat(n)
}

#[test]
fn repeated_headings_take_linear_time() {
    build_within_limit(
        "20,000 `## Mục`",
        "",
        &repeat("## Mục\n\nĐoạn.\n\n", 20_000),
    )
    .unwrap();
}

#[test]
fn footnotes_take_linear_time() {
    let refs: String = (0..10_000)
        .map(|i| format!("Câu [^{i}] và [^{i}].\n\n"))
        .collect();
    let defs: String = (0..10_000)
        .map(|i| format!("[^{i}]: Nguồn {i}.\n"))
        .collect();
    build_within_limit("10,000 footnotes", "", &format!("{refs}\n{defs}")).unwrap();
    build_within_limit(
        "20,000 uses of one footnote",
        "",
        &format!("{}\n[^a]: Một.\n", repeat("Câu [^a].\n\n", 20_000)),
    )
    .unwrap();
}

#[test]
fn links_take_linear_time() {
    let inline = repeat("[Cổng dịch vụ công](https://dichvucong.gov.vn/) ", 20_000);
    let refs: String = (0..10_000)
        .map(|i| format!("[mục {i}][r{i}]\n\n[r{i}]: https://a.vn/{i}\n"))
        .collect();
    let internal = repeat("[Trang đầu](@/_index.md) ", 20_000);
    build_within_limit(
        "link texts",
        "",
        &format!("{inline}\n\n{refs}\n\n{internal}"),
    )
    .unwrap();
}

#[test]
fn list_items_and_nesting_take_linear_time() {
    build_within_limit("50,000 list items", "", &repeat("- mục\n", 50_000)).unwrap();
    let nested: String = (0..2_000)
        .map(|i| format!("{}- mục\n", "  ".repeat(i)))
        .collect();
    build_within_limit("2,000 nested lists", "", &nested).unwrap();
    build_within_limit(
        "10,000 nested quotes",
        "",
        &format!("{}trích\n", "> ".repeat(10_000)),
    )
    .unwrap();
    build_within_limit("50,000 emphasis marks", "", &repeat("*a ", 50_000)).unwrap();
    build_within_limit("50,000 open brackets", "", &repeat("[", 50_000)).unwrap();
}

#[test]
fn tags_aliases_and_documents_take_linear_time() {
    // Each distinct tag is a page of its own to write: 5,000 of them, not more.
    let tags: String = (0..5_000).map(|i| format!("  - chủ đề {i}\n")).collect();
    build_within_limit("5,000 tags", &format!("tags:\n{tags}"), "Bài.").unwrap();
    let same: String = (0..20_000).map(|_| "  - VNeID\n".to_owned()).collect();
    build_within_limit(
        "20,000 copies of one tag",
        &format!("tags:\n{same}"),
        "Bài.",
    )
    .unwrap();
    let aliases: String = (0..10_000).map(|i| format!("  - /cu/bai-{i}/\n")).collect();
    build_within_limit("10,000 aliases", &format!("aliases:\n{aliases}"), "Bài.").unwrap();
    let docs: String = (0..10_000).map(|i| format!("  - {i}/KH-UBND\n")).collect();
    // Unknown numbers: each is reported, and reporting them must be linear too.
    let failed = build_within_limit(
        "10,000 document numbers",
        &format!("documents:\n{docs}"),
        "Bài.",
    );
    assert!(failed.is_err());
}

#[test]
fn nested_yaml_is_refused_quickly() {
    for (what, front, line) in [
        (
            "100,000 `[`",
            format!("extra: {}\n", "[".repeat(100_000)),
            4,
        ),
        (
            "100,000 `{`",
            format!("extra: {}\n", "{a: ".repeat(100_000)),
            4,
        ),
        (
            "50,000 nested `- `",
            format!("extra:\n  {}x\n", "- ".repeat(50_000)),
            5,
        ),
    ] {
        let err = build_within_limit(what, &front, "Bài.").unwrap_err();
        assert!(err.contains(&format!("lon.md:{line}:")), "{what}: {err}");
        assert!(err.contains("lồng nhau quá sâu"), "{what}: {err}");
    }
}

#[test]
fn long_lines_take_linear_time() {
    build_within_limit("a 5 MB line", "", &repeat("chuyển đổi số ", 400_000)).unwrap();
    let title = "Chuyển đổi số ".repeat(50_000);
    build_within_limit(
        "a 700 KB summary",
        &format!("summary: \"{title}\"\n"),
        "Bài.",
    )
    .unwrap();
    build_within_limit("50,000 unclosed tags", "", &repeat("<s>gạch ", 50_000)).unwrap();
    build_within_limit("50,000 stray closing tags", "", &repeat("</sup>a ", 50_000)).unwrap();
}

#[test]
fn thousands_of_errors_in_one_file_take_linear_time() {
    let each = |what: &str, front: &str, body: &str| {
        let err = build_within_limit(what, front, body).unwrap_err();
        assert!(err.contains("lon.md:"), "{what}: {err}");
    };
    // On one 500 KB line: each error quotes only the part of the line around it.
    each(
        "20,000 broken links",
        "",
        &repeat("[x](@/khong-co.md) ", 20_000),
    );
    each(
        "20,000 broken anchors",
        "",
        &repeat("[x](@/_index.md#khong) \n", 20_000),
    );
    let keys: String = (0..20_000).map(|i| format!("khoa{i}: 1\n")).collect();
    each("20,000 unknown keys", &keys, "Bài.");
    let aliases: String = (0..10_000)
        .map(|i| format!("  - \"/cu/{i}/../x\"\n"))
        .collect();
    each(
        "10,000 bad aliases",
        &format!("aliases:\n{aliases}"),
        "Bài.",
    );
    // A missing image is `cds check`'s to report; the build only has to be quick.
    let _ = build_within_limit("20,000 images", "", &repeat("![ảnh](anh.jpg) ", 20_000));
    build_within_limit(
        "20,000 script links",
        "",
        &repeat("[x](javascript:alert(1)) ", 20_000),
    )
    .unwrap();
}

#[test]
fn check_takes_linear_time_on_one_line_lists() {
    let items: Vec<String> = (0..40_000).map(|i| format!("/cu/{i}/")).collect();
    let f = Fixture::new(CONFIG);
    f.three_sections()
        .file("content/_index.md", "---\ntitle: Trang đầu\n---\n")
        .file(
            "content/tin-tuc/lon.md",
            &format!(
                "---\ntitle: Bài lớn\naliases: [{}]\ndocuments: [{}]\n---\nBài.\n",
                items.join(", "),
                vec!["06/KH-UBND"; 40_000].join(", ")
            ),
        );
    let started = Instant::now();
    let diags = cds::check::check(&cds::check::CheckOptions {
        root: f.root().to_path_buf(),
        external: false,
        now: common::now(),
    });
    let took = started.elapsed();
    assert!(took < LIMIT, "40,000 items on one line: {took:?}");
    assert!(
        diags.iter().any(|d| d.is_error()),
        "an unknown document is an error"
    );
}
