//! The search index: what it holds, and what queries find, run as the browser script runs them
//! (`cds::search::query` mirrors `tim-kiem.js`; the e2e script runs the script itself).

mod common;

use std::collections::HashMap;

use cds::search::query::run;
use common::{CONFIG, Fixture};

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
        .file("content/van-ban/_index.md", "---\ntitle: Văn bản\nkind: document\n---\n")
        .file(
            "content/van-ban/57.md",
            "---\ntitle: Nghị quyết về đột phá phát triển khoa học\ndate: 2024-12-22\ndocument:\n  number: 57-NQ/TW\n  type: Nghị quyết\n  abstract: Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia\n---\nNội dung.\n",
        )
        .file("content/tin-tuc/doi-moi.md", "---\ntitle: Đổi mới cách làm\ndate: 2026-03-01\n---\nXã đổi mới thủ tục.\n")
        .file("content/tin-tuc/doi-dep.md", "---\ntitle: Đôi dép của bà\ndate: 2026-03-02\n---\nMột đôi dép cũ.\n")
        .file("content/tin-tuc/cds.md", "---\ntitle: Hội nghị\ndate: 2026-02-01\ntags: [VNeID]\n---\nTuyên truyền chuyển đổi số cho người dân.\n")
        .file("content/tin-tuc/nhap.md", "---\ntitle: Bản nháp chuyển đổi số\ndraft: true\n---\nChuyển đổi số.\n");
    f.build_ok();
    f
}

/// The index files, by name within the index folder.
fn index(f: &Fixture) -> HashMap<String, String> {
    let dir = f.public().join("tim-kiem/chi-muc");
    std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Titles of the pages a query finds, best first.
fn titles(f: &Fixture, q: &str) -> Vec<String> {
    let files = index(f);
    let answer = run(&files, q);
    let details: Vec<String> = (0..)
        .map_while(|n| files.get(&format!("trang-{n}.json")).cloned())
        .flat_map(|chunk| {
            let rows: Vec<String> = chunk
                .split("],[")
                .map(|r| {
                    r.trim_start_matches("[[")
                        .split("\",\"")
                        .next()
                        .unwrap_or("")
                        .trim_start_matches('"')
                        .to_owned()
                })
                .collect();
            rows
        })
        .collect();
    answer
        .pages
        .iter()
        .map(|&d| details[d as usize].clone())
        .collect()
}

#[test]
fn finds_accented_text_from_unaccented_queries() {
    let f = site();
    let found = titles(&f, "chuyen doi so");
    assert!(found.contains(&"Hội nghị".to_owned()), "{found:?}");
    assert!(
        found.contains(&"Nghị quyết về đột phá phát triển khoa học".to_owned()),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|t| t.contains("Bản nháp")),
        "drafts are never indexed: {found:?}"
    );
}

#[test]
fn exact_tones_rank_above_folded_ones() {
    let f = site();
    let accented = titles(&f, "đổi");
    assert_eq!(
        accented.first().map(String::as_str),
        Some("Đổi mới cách làm"),
        "{accented:?}"
    );
    let accented = titles(&f, "đôi");
    assert_eq!(
        accented.first().map(String::as_str),
        Some("Đôi dép của bà"),
        "{accented:?}"
    );
    let plain = titles(&f, "doi");
    assert!(
        plain.contains(&"Đổi mới cách làm".to_owned())
            && plain.contains(&"Đôi dép của bà".to_owned()),
        "{plain:?}"
    );
}

#[test]
fn finds_documents_by_number_in_every_spelling() {
    let f = site();
    for q in [
        "57",
        "57-NQ/TW",
        "57 nq tw",
        "nghị quyết 57",
        "nghi quyet 57",
    ] {
        assert_eq!(
            titles(&f, q).first().map(String::as_str),
            Some("Nghị quyết về đột phá phát triển khoa học"),
            "{q}"
        );
    }
}

#[test]
fn stop_words_never_empty_a_query_and_phrases_rank_first() {
    let f = site();
    assert!(!titles(&f, "chuyển đổi số và").is_empty());
    let found = titles(&f, "tuyên truyền chuyển đổi số");
    assert_eq!(
        found.first().map(String::as_str),
        Some("Hội nghị"),
        "{found:?}"
    );
}

#[test]
fn a_query_downloads_little() {
    let f = site();
    let files = index(&f);
    let answer = run(&files, "chuyen doi so");
    let bytes: usize = answer.files.iter().map(|n| files[n].len()).sum();
    assert!(
        bytes < 30 * 1024,
        "{bytes} bytes for a two-word query on a small site"
    );
    let script = std::fs::read(f.public().join("js/tim-kiem.js")).unwrap();
    assert!(
        script.len() < 10 * 1024,
        "search script {} bytes",
        script.len()
    );
}

#[test]
fn queries_on_the_sample_site_download_under_30_kb() {
    let f = common::sample_site();
    f.build_ok();
    let files = index(&f);
    // Two-word queries, as the bar is set: index pieces and result details.
    for q in [
        "chuyen doi",
        "dịch vụ",
        "thanh toán",
        "Nghị quyết",
        "57-NQ/TW",
    ] {
        let answer = run(&files, q);
        assert!(
            !answer.pages.is_empty(),
            "{q} finds nothing on the sample site"
        );
        let bytes: usize = answer.files.iter().map(|n| files[n].len()).sum();
        assert!(bytes < 30 * 1024, "{q}: {bytes} bytes");
    }
}

#[test]
fn every_page_has_the_search_box_and_the_search_page_helps_without_javascript() {
    let f = site();
    let page = f.read("tin-tuc/doi-moi/index.html");
    assert!(page.contains(
        "<form class=\"header-search\" role=\"search\" action=\"/chuyen-doi-so/tim-kiem/\""
    ));
    let search = f.read("tim-kiem/index.html");
    assert!(search.contains("aria-live=\"polite\""));
    assert!(
        search.contains("href=\"/chuyen-doi-so/van-ban/\""),
        "links to the document list without JS"
    );
    assert!(search.contains("/chuyen-doi-so/js/tim-kiem.js"));
}

#[test]
fn a_document_outranks_pages_that_cite_its_number() {
    let f = site();
    f.file(
        "content/van-ban/71.md",
        "---\ntitle: Nghị quyết số 71/NQ-CP thực hiện Nghị quyết 57-NQ/TW\ndate: 2025-04-01\ndocument:\n  number: 71/NQ-CP\n  type: Nghị quyết\n  abstract: Cập nhật Chương trình hành động thực hiện Nghị quyết 57-NQ/TW, Nghị quyết 57\n---\n",
    );
    f.build_ok();
    for q in ["nghi quyet 57", "57", "57-NQ/TW"] {
        assert_eq!(
            titles(&f, q).first().map(String::as_str),
            Some("Nghị quyết về đột phá phát triển khoa học"),
            "{q}"
        );
    }
    assert_eq!(
        titles(&f, "71").first().map(String::as_str),
        Some("Nghị quyết số 71/NQ-CP thực hiện Nghị quyết 57-NQ/TW")
    );
}

#[test]
fn a_rare_word_finds_its_page_even_among_very_common_words() {
    // More pages than a key lists (`MAX_POSTINGS`): "chuyển đổi số" is cut to the best pages,
    // and the oldest page, whose only distinction is a rare word, falls outside that cut.
    let f = Fixture::new(CONFIG);
    f.file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n");
    for n in 0..cds::search::MAX_POSTINGS + 20 {
        f.file(
            &format!("content/tin-tuc/tin-{n}.md"),
            &format!("---\ntitle: Tin {n}\ndate: 2026-01-02\n---\nChuyển đổi số ở ấp {n}.\n"),
        );
    }
    f.file(
        "content/tin-tuc/cu.md",
        "---\ntitle: Tin cũ\ndate: 2020-01-01\n---\nChuyển đổi số với khinhkhicau.\n",
    );
    f.build_ok();
    let common = run(&index(&f), "chuyển đổi số");
    assert!(common.truncated, "a cut list must be reported");
    assert_eq!(titles(&f, "chuyển đổi số khinhkhicau"), ["Tin cũ"]);
    assert_eq!(titles(&f, "chuyen doi so khinhkhicau"), ["Tin cũ"]);
}
