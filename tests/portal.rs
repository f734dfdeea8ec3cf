//! What a state portal must carry (NĐ 42/2022/NĐ-CP Điều 7, Luật Giao dịch điện tử 2023 Điều
//! 43), each a test: open data (`du-lieu/van-ban.json` and `.csv` with every published
//! document, its fields and chain; `du-lieu/tin-bai.json`, a JSON Feed 1.1 of the latest items;
//! linked from the list of documents and every footer), a print button on articles and
//! documents, and `cds check` warning on a document page without a field the decree lists.
//! Read back with real JSON and CSV parsers; `tests/e2e/` validates the JSON against its
//! schemas and prints pages in Chromium.

mod common;

use cds::check::{CheckOptions, check};
use common::{CONFIG, Fixture, now};
use serde_json::Value;

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.file("content/_index.md", "---\ntitle: Chuyển đổi số\n---\n")
        .file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
        .file("content/van-ban/_index.md", "---\ntitle: Văn bản\nkind: document\n---\n")
        .file(
            "content/van-ban/57/index.md",
            "---\ntitle: Nghị quyết 57\ndate: 2024-12-23\ndocument:\n  number: 57-NQ/TW\n  type: Nghị quyết\n  issuer: Bộ Chính trị\n  signer: Tổng Bí thư\n  issued: 22/12/2024\n  effective: 22/12/2024\n  abstract: Về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia\n  level: Trung ương\n  file: 57-nq-tw.pdf\n  source: https://tulieuvankien.dangcongsan.vn/\n---\nNội dung.\n",
        )
        .bytes("content/van-ban/57/57-nq-tw.pdf", b"%PDF-1.4\n%%EOF\n")
        .file(
            "content/van-ban/71.md",
            "---\ntitle: Nghị quyết 71\ndocument:\n  number: 71/NQ-CP\n  abstract: \"Sửa đổi, bổ sung Chương trình hành động\"\n  implements: [57-NQ/TW]\n---\nThực hiện.\n",
        )
        .file("content/van-ban/nhap.md", "---\ntitle: Văn bản nháp\ndraft: true\ndocument:\n  number: 99/KH-UBND\n  abstract: Nháp\n---\n")
        .file("content/tin-tuc/a.md", "---\ntitle: Tin A\ndate: 2026-03-01\ntags: [VNeID]\nauthor: Ban Biên tập\n---\nTin **A**.\n")
        .file("content/tin-tuc/b.md", "---\ntitle: Tin B\ndate: 2026-04-01 08:30\n---\nTin B.\n");
    f
}

fn json(f: &Fixture, rel: &str) -> Value {
    serde_json::from_str(&f.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn documents_are_open_data_with_every_field_and_their_chain() {
    let f = site();
    f.build_ok();
    let data = json(&f, "du-lieu/van-ban.json");
    assert_eq!(
        data["$schema"],
        "https://daihai.cantho.gov.vn/chuyen-doi-so/du-lieu/van-ban.schema.json"
    );
    let docs = data["documents"].as_array().expect("documents");
    let numbers: Vec<&str> = docs.iter().map(|d| d["number"].as_str().unwrap()).collect();
    assert_eq!(
        numbers,
        ["57-NQ/TW", "71/NQ-CP"],
        "published only, by number"
    );
    let d57 = &docs[0];
    assert_eq!(d57["type"], "Nghị quyết");
    assert_eq!(d57["issuer"], "Bộ Chính trị");
    assert_eq!(d57["signer"], "Tổng Bí thư");
    assert_eq!(d57["issued"], "2024-12-22");
    assert_eq!(d57["effective"], "2024-12-22");
    assert_eq!(d57["level"], "Trung ương");
    // A document's address is its number's (`57-nq-tw`), its file beside it.
    assert_eq!(
        d57["url"],
        "https://daihai.cantho.gov.vn/chuyen-doi-so/van-ban/57-nq-tw/"
    );
    assert_eq!(
        d57["file"],
        "https://daihai.cantho.gov.vn/chuyen-doi-so/van-ban/57-nq-tw/57-nq-tw.pdf"
    );
    assert_eq!(d57["implemented_by"], serde_json::json!(["71/NQ-CP"]));
    assert_eq!(docs[1]["implements"], serde_json::json!(["57-NQ/TW"]));
    assert_eq!(docs[1]["issued"], Value::Null);
    assert_eq!(data["updated"], "2024-12-23");
    let schema = json(&f, "du-lieu/van-ban.schema.json");
    assert_eq!(schema["$id"], data["$schema"]);

    // The CSV holds the same rows, for Excel: a BOM, Vietnamese column names, CRLF.
    let csv_text = f.read("du-lieu/van-ban.csv");
    assert!(csv_text.starts_with('\u{feff}') && csv_text.contains("\r\n"));
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], "Số ký hiệu");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[1][3], "Sửa đổi, bổ sung Chương trình hành động");
    assert_eq!(&rows[0][13], "71/NQ-CP");
}

#[test]
fn the_latest_items_are_a_json_feed() {
    let f = site();
    f.build_ok();
    let feed = json(&f, "du-lieu/tin-bai.json");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(
        feed["feed_url"],
        "https://daihai.cantho.gov.vn/chuyen-doi-so/du-lieu/tin-bai.json"
    );
    assert_eq!(feed["language"], "vi");
    let items = feed["items"].as_array().expect("items");
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        ["Tin B", "Tin A", "Nghị quyết 57"],
        "newest first, dated only"
    );
    let a = &items[1];
    assert_eq!(a["id"], a["url"]);
    assert_eq!(a["date_published"], "2026-03-01T00:00:00+07:00");
    assert_eq!(a["tags"], serde_json::json!(["VNeID"]));
    assert_eq!(a["authors"][0]["name"], "Ban Biên tập");
    assert!(
        a["content_html"]
            .as_str()
            .unwrap()
            .contains("<strong>A</strong>")
    );
}

#[test]
fn the_document_list_and_every_footer_link_to_the_open_data() {
    let f = site();
    f.build_ok();
    let list = f.read("van-ban/index.html");
    for rel in [
        "du-lieu/van-ban.csv",
        "du-lieu/van-ban.json",
        "du-lieu/van-ban.schema.json",
    ] {
        assert!(
            list.contains(&format!("/chuyen-doi-so/{rel}")),
            "{rel} in the list"
        );
    }
    for page in [
        "index.html",
        "tin-tuc/a/index.html",
        "van-ban/57-nq-tw/index.html",
    ] {
        let html = f.read(page);
        assert!(
            html.contains("/chuyen-doi-so/du-lieu/tin-bai.json"),
            "{page}"
        );
        assert!(html.contains("type=\"application/feed+json\""), "{page}");
    }
}

#[test]
fn document_pages_without_the_decrees_fields_are_warned() {
    let f = site();
    let diags = check(&CheckOptions {
        root: f.root().to_path_buf(),
        external: false,
        now: now(),
    });
    let missing: Vec<String> = diags
        .iter()
        .filter(|d| d.render().contains("Nghị định 42/2022/NĐ-CP"))
        .map(|d| format!("{}:{} {}", d.path.display(), d.line, d.render()))
        .collect();
    assert_eq!(missing.len(), 1, "{missing:#?}");
    let warning = &missing[0];
    assert!(warning.starts_with("content/van-ban/71.md:3 "), "{warning}");
    for field in ["`type`", "`issuer`", "`issued`", "`effective`", "`file`"] {
        assert!(warning.contains(field), "{field}: {warning}");
    }
    assert!(!warning.contains("`number`"), "{warning}");
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "a warning, not an error"
    );
}

#[test]
fn articles_and_documents_can_be_printed_and_saved_as_pdf() {
    let f = site();
    f.build_ok();
    for page in ["tin-tuc/a/index.html", "van-ban/57-nq-tw/index.html"] {
        let html = f.read(page);
        assert!(
            html.contains("class=\"print-page\" hidden>In / Lưu PDF</button>"),
            "{page}"
        );
        assert!(html.contains("window.print()"), "{page}");
        assert!(
            html.contains(
                "<p class=\"print-source\">Nguồn: https://daihai.cantho.gov.vn/chuyen-doi-so/"
            ),
            "{page}: the source address prints"
        );
    }
    assert!(
        !f.read("tin-tuc/index.html").contains("print-page"),
        "not on lists"
    );
}

fn bilingual() -> Fixture {
    let f = site();
    f.file("content/tim-hieu/_index.md", "---\ntitle: Tìm hiểu\nkind: page\n---\n")
        .file(
            "content/tim-hieu/lien-he.md",
            "---\ntitle: Liên hệ\ndate: 2026-03-05\n---\nỦy ban nhân dân xã Đại Hải.\n",
        )
        .file(
            "content/tim-hieu/contacts.md",
            "---\ntitle: Contacts\ndate: 2026-03-05 08:30\nlanguage: en\ntranslation: \"@/tim-hieu/lien-he.md\"\n---\nPeople's Committee of Dai Hai commune.\n",
        )
        .file(
            "config.yaml",
            &format!("{CONFIG}organization:\n  governing_body: Ủy ban nhân dân xã Đại Hải\n  en:\n    site_title: Digital transformation in Dai Hai commune\n    governing_body: People's Committee of Dai Hai commune\n"),
        );
    f
}

#[test]
fn english_pages_say_so_in_english_and_link_their_vietnamese_counterpart() {
    let f = bilingual();
    f.build_ok();
    let en = f.read("tim-hieu/contacts/index.html");
    let vi = f.read("tim-hieu/lien-he/index.html");
    let base = "https://daihai.cantho.gov.vn/chuyen-doi-so/tim-hieu";
    assert!(en.contains("<html lang=\"en\">"), "{en}");
    assert!(vi.contains("<html lang=\"vi\">"));
    for html in [&en, &vi] {
        assert!(html.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"en\" href=\"{base}/contacts/\">"
        )));
        assert!(html.contains(&format!(
            "<link rel=\"alternate\" hreflang=\"vi\" href=\"{base}/lien-he/\">"
        )));
    }
    assert!(
        vi.contains("hreflang=\"en\" lang=\"en\">English: Contacts</a>"),
        "{vi}"
    );
    assert!(
        en.contains("hreflang=\"vi\" lang=\"vi\">Tiếng Việt: Liên hệ</a>"),
        "{en}"
    );
    // In the Vietnamese list, the English page's card is read in English.
    let list = f.read("tim-hieu/index.html");
    assert!(
        list.contains("<article class=\"card\" lang=\"en\">"),
        "{list}"
    );
    assert!(list.contains("<article class=\"card\">"), "{list}");
    for english in [
        "5 March 2026, 08:30",
        "Share:",
        "Print / Save as PDF",
        "Skip to main content",
        "People&#39;s Committee of Dai Hai commune",
        "Digital transformation in Dai Hai commune",
        "Governing body",
        "<meta property=\"og:locale\" content=\"en_US\">",
    ] {
        assert!(en.contains(english), "`{english}` on the English page");
    }
    for vietnamese in [
        "Chia sẻ bài viết",
        "Cơ quan chủ quản",
        "Chuyển đến nội dung chính",
        "Vị trí trang",
    ] {
        assert!(
            !en.contains(vietnamese),
            "`{vietnamese}` on the English page"
        );
        assert!(
            vi.contains(vietnamese),
            "`{vietnamese}` on the Vietnamese page"
        );
    }
}

#[test]
fn a_wrong_language_or_a_missing_counterpart_is_named_at_its_line() {
    for (front, line, says) in [
        ("language: fr\n", 3, "ngôn ngữ `fr` không có"),
        (
            "language: en\ntranslation: \"@/tim-hieu/khong-co.md\"\n",
            4,
            "không có bài `@/tim-hieu/khong-co.md`",
        ),
        (
            "language: en\ntranslation: tim-hieu/lien-he\n",
            4,
            "không phải đường dẫn tới một bài",
        ),
    ] {
        let f = bilingual();
        f.file(
            "content/tim-hieu/contacts.md",
            &format!("---\ntitle: Contacts\n{front}---\nText.\n"),
        );
        let built = f.build().expect_err("the build must fail");
        let checked = check(&CheckOptions {
            root: f.root().to_path_buf(),
            external: false,
            now: now(),
        });
        for (who, diags) in [("build", &built), ("check", &checked)] {
            let found = diags.iter().any(|d| {
                d.is_error()
                    && d.path.to_string_lossy() == "content/tim-hieu/contacts.md"
                    && d.line == line
                    && d.render().contains(says)
            });
            let all: Vec<String> = diags.iter().map(|d| d.render()).collect();
            assert!(
                found,
                "{who}: no `{says}` at line {line}:\n{}",
                all.join("\n")
            );
        }
    }
}
