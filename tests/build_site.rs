//! A valid site built end to end: pages, lists, taxonomies, documents, feeds, sitemap.

mod common;

use chrono::DateTime;
use common::{CONFIG, Fixture, links};

/// A small site with every kind of page and one of each feature.
fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.file("content/_index.md", "---\ntitle: Chuyển đổi số\n---\nGiới thiệu **chuyên mục**.\n")
        .file("content/tin-tuc/_index.md", "---\ntitle: Tin tức – Sự kiện\nkind: article\n---\n")
        .file("content/van-ban/_index.md", "---\ntitle: Văn bản chỉ đạo\nkind: document\nsort_by: number\n---\n")
        .file("content/cau-chuyen/_index.md", "---\ntitle: Câu chuyện\nkind: story\n---\n")
        .file(
            "content/van-ban/57.md",
            "---\ntitle: Nghị quyết 57\ndocument:\n  number: 57-NQ/TW\n  type: Nghị quyết\n  issuer: Bộ Chính trị\n  issued: 22/12/2024\n  abstract: Về đột phá phát triển khoa học, công nghệ\n  level: Trung ương\n---\n## Mục tiêu chung\n\nNội dung.\n",
        )
        .file(
            "content/van-ban/71.md",
            "---\ntitle: Nghị quyết 71\ndocument:\n  number: 71/NQ-CP\n  issued: 01/4/2025\n  abstract: Cập nhật Chương trình hành động\n  level: Trung ương\n  implements: [57-NQ/TW]\n---\nThực hiện [NQ 57](@/van-ban/57.md#muc-tieu-chung).\n",
        )
        .file(
            "content/tin-tuc/Hội nghị triển khai.md",
            "---\ntitle: Hội nghị triển khai kế hoạch\ndate: 20/02/2026 14:00\ntags: [VNeID, Tuyên truyền]\ncategory: Chính quyền số\nauthor: Ban Biên tập\ndocuments: [57-NQ/TW]\naliases: [/tin-cu/hoi-nghi/]\n---\nMở đầu bài.\n\n<!-- more -->\n\n## Diễn biến\n\nPhần sau.\n",
        )
        .file("content/tin-tuc/b.md", "---\ntitle: Tin B\ndate: 2026-03-01\ntags: [vneid]\ncategory: Xã hội số\n---\nB.\n")
        .file("content/tin-tuc/c.md", "---\ntitle: Tin C\ndate: 2026-04-01\n---\nC.\n")
        .file("content/tin-tuc/nhap.md", "---\ntitle: Bản nháp\ndate: 2026-04-02\ndraft: true\n---\nNháp.\n")
        .file("content/tin-tuc/hen-gio.md", "---\ntitle: Hẹn giờ\ndate: 2026-12-01\n---\nSau.\n")
        .file("content/tin-tuc/het-han.md", "---\ntitle: Hết hạn\ndate: 2026-01-01\nexpiry_date: 2026-06-30\n---\nCũ.\n")
        .file(
            "content/cau-chuyen/mo-hinh/index.md",
            "---\ntitle: Mô hình bán hàng trực tuyến\ndate: 2026-05-01\nimage: anh.png\nimage_alt: Gian hàng trực tuyến\nplace: Ấp mẫu\nsubject: Hợp tác xã mẫu\n---\n![Ảnh](anh.png)\n",
        )
        .bytes("content/cau-chuyen/mo-hinh/anh.png", &common::png(40, 30));
    f
}

#[test]
fn can_build_every_kind_of_page() {
    let f = site();
    let report = f.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    let page = f.read("tin-tuc/hoi-nghi-trien-khai/index.html");
    assert!(page.contains("<h1>Hội nghị triển khai kế hoạch</h1>"));
    assert!(page.contains("Thứ Sáu, 20/02/2026 14:00"), "dateline");
    assert!(page.contains("<h2 id=\"dien-bien\">Diễn biến</h2>"));
    assert!(page.contains("href=\"/chuyen-doi-so/chu-de/vneid/\""));
    assert!(page.contains("href=\"/chuyen-doi-so/linh-vuc/chinh-quyen-so/\""));
    assert!(
        page.contains("href=\"/chuyen-doi-so/van-ban/57-nq-tw/\""),
        "cited document"
    );
    assert!(page.contains("<html lang=\"vi\">"));
    assert!(page.contains("<link rel=\"canonical\" href=\"https://daihai.cantho.gov.vn/chuyen-doi-so/tin-tuc/hoi-nghi-trien-khai/\">"));
    let story = f.read("cau-chuyen/mo-hinh/index.html");
    assert!(story.contains("Hợp tác xã mẫu") && story.contains("Ấp mẫu"));
    let shown = story
        .split("src=\"/chuyen-doi-so/cau-chuyen/mo-hinh/anh-40.")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the photo is shown from its variant");
    assert!(
        f.exists(&format!("cau-chuyen/mo-hinh/anh-40.{shown}")),
        "variant published"
    );
    assert!(
        !f.exists("cau-chuyen/mo-hinh/anh.png"),
        "the original is not published"
    );
    assert!(f.exists("404.html"));
}

#[test]
fn leaves_out_draft_scheduled_and_expired_pages_unless_asked() {
    let f = site();
    f.build_ok();
    for slug in ["nhap", "hen-gio", "het-han"] {
        assert!(
            !f.exists(&format!("tin-tuc/{slug}/index.html")),
            "{slug} published"
        );
    }
    assert!(!f.read("tin-tuc/index.html").contains("Bản nháp"));
    f.build_with(true, None).expect("build with drafts");
    for slug in ["nhap", "hen-gio", "het-han"] {
        assert!(
            f.exists(&format!("tin-tuc/{slug}/index.html")),
            "{slug} missing with --drafts"
        );
    }
}

#[test]
fn can_show_the_document_chain_both_ways_and_citing_pages() {
    let f = site();
    f.build_ok();
    let nq57 = f.read("van-ban/57-nq-tw/index.html");
    assert!(nq57.contains("Văn bản triển khai thực hiện"));
    assert!(
        nq57.contains("href=\"/chuyen-doi-so/van-ban/71-nq-cp/\""),
        "implemented by 71"
    );
    assert!(
        nq57.contains("href=\"/chuyen-doi-so/tin-tuc/hoi-nghi-trien-khai/\""),
        "cited by the article"
    );
    assert!(
        nq57.contains("ngày 22 tháng 12 năm 2024"),
        "formal issue date"
    );
    let nq71 = f.read("van-ban/71-nq-cp/index.html");
    assert!(nq71.contains("Văn bản này triển khai thực hiện"));
    assert!(
        nq71.contains("href=\"/chuyen-doi-so/van-ban/57-nq-tw/#muc-tieu-chung\""),
        "@/ link with anchor"
    );
    let list = f.read("van-ban/index.html");
    assert!(list.contains("<caption>Văn bản cấp Trung ương (2)</caption>"));
}

#[test]
fn can_paginate_lists_and_group_terms() {
    let f = site();
    f.build_ok();
    // 3 published news, 2 per page.
    let first = f.read("tin-tuc/index.html");
    let second = f.read("tin-tuc/trang/2/index.html");
    assert!(
        first.contains("Tin C") && first.contains("Tin B"),
        "newest first"
    );
    assert!(second.contains("Hội nghị triển khai kế hoạch"));
    assert!(first.contains("href=\"/chuyen-doi-so/tin-tuc/trang/2/\""));
    // "VNeID" and "vneid" are one term.
    let term = f.read("chu-de/vneid/index.html");
    assert!(term.contains("Tin B") && term.contains("Hội nghị triển khai kế hoạch"));
    let tags = f.read("chu-de/index.html");
    let tuyen = tags.find("Tuyên truyền").expect("term listed");
    let vneid = tags.find(">VNeID <").expect("term listed");
    assert!(tuyen < vneid, "Vietnamese order: T before V");
}

#[test]
fn can_write_valid_feeds_sitemap_robots_and_redirects() {
    let f = site();
    f.build_ok();
    let rss = f.read("rss.xml");
    let doc = roxmltree::Document::parse(&rss).expect("rss is XML");
    let channel = doc.root_element().first_element_child().expect("channel");
    assert_eq!(doc.root_element().attribute("version"), Some("2.0"));
    let items: Vec<_> = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .collect();
    assert_eq!(
        items.len(),
        6,
        "3 news, 1 story and 2 documents dated by their issue date"
    );
    for item in &items {
        let child = |name: &str| {
            item.children()
                .find(|n| n.has_tag_name(name))
                .and_then(|n| n.text())
                .unwrap_or("")
        };
        assert!(
            child("link").starts_with("https://daihai.cantho.gov.vn/chuyen-doi-so/"),
            "{}",
            child("link")
        );
        DateTime::parse_from_rfc2822(child("pubDate")).expect("RFC 2822 date");
    }
    let section_feed = f.read("tin-tuc/rss.xml");
    let doc = roxmltree::Document::parse(&section_feed).expect("section rss is XML");
    assert_eq!(
        doc.descendants().filter(|n| n.has_tag_name("item")).count(),
        3
    );

    let sitemap = f.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap is XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        locs.contains(&"https://daihai.cantho.gov.vn/chuyen-doi-so/tin-tuc/hoi-nghi-trien-khai/")
    );
    assert!(
        locs.iter()
            .all(|l| l.starts_with("https://daihai.cantho.gov.vn/chuyen-doi-so/"))
    );
    assert!(
        !locs.iter().any(|l| l.contains("nhap")),
        "drafts stay out of the sitemap"
    );

    assert!(
        f.read("robots.txt")
            .contains("Sitemap: https://daihai.cantho.gov.vn/chuyen-doi-so/sitemap.xml")
    );
    let alias = f.read("tin-cu/hoi-nghi/index.html");
    assert!(alias.contains("url=/chuyen-doi-so/tin-tuc/hoi-nghi-trien-khai/"));
}

#[test]
fn no_link_leaves_the_sub_path() {
    let f = site();
    f.build_with(false, Some("https://example.gov.vn/mot/hai/"))
        .expect("build");
    for (path, bytes) in common::snapshot(&f.public()) {
        if path.extension().is_some_and(|e| e == "html") {
            let html = String::from_utf8(bytes).expect("utf-8");
            for link in links(&html) {
                let internal = link.starts_with('/');
                assert!(
                    !internal || link.starts_with("/mot/hai/"),
                    "{} links to {link}",
                    path.display()
                );
                assert!(
                    !link.contains("daihai.cantho.gov.vn"),
                    "{} links to {link}",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn raw_html_never_reaches_the_output_by_default() {
    let f = site();
    f.file(
        "content/tin-tuc/xau.md",
        "---\ntitle: Bài có HTML\ndate: 2026-01-05\n---\n<script>alert('x')</script>\n\n<img src=x onerror=\"alert(1)\">\n\n[bấm](javascript:alert(1)) và <a href=\"javascript:alert(2)\">đây</a>\n",
    );
    f.build_ok();
    let html = f.read("tin-tuc/xau/index.html");
    let start = html.find("<div class=\"content\">").expect("content");
    let main = &html[start..start + html[start..].find("</div>").expect("end of content")];
    assert!(!main.contains("<script"), "{main}");
    assert!(!main.contains("<img src=x"), "{main}");
    assert!(!main.contains("href=\"javascript:"), "{main}");
}

#[test]
fn windows_files_and_decomposed_names_work() {
    let f = Fixture::new(CONFIG);
    let nfd_name = "content/Chuye\u{0302}\u{0309}n đo\u{0302}\u{0309}i so\u{0302}\u{0301}.md";
    let body = "\u{feff}---\r\ntitle: Chuye\u{0302}\u{0309}n đổi số\r\ntags: [Chuye\u{0302}\u{0309}n đổi số]\r\n---\r\nXin chào\r\n";
    f.file(nfd_name, body).file(
        "content/khac.md",
        "---\ntitle: Khác\ntags: [Chuyển đổi số]\n---\n",
    );
    f.build_ok();
    let page = f.read("chuyen-doi-so/index.html");
    assert!(page.contains("<h1>Chuyển đổi số</h1>"), "NFC title");
    let term = f.read("chu-de/chuyen-doi-so/index.html");
    assert!(term.contains("2 bài viết"), "one term for both spellings");
}

#[test]
fn the_sample_site_builds_without_warnings() {
    let f = Fixture::new("");
    common::copy_dir(&common::repo().join("content"), &f.root().join("content"));
    std::fs::copy(
        common::repo().join("config.yaml"),
        f.root().join("config.yaml"),
    )
    .expect("config");
    let report = f.build_ok();
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert!(report.pages > 30, "{}", report.pages);
    let nq57 = f.read("van-ban/57-nq-tw/index.html");
    assert!(nq57.contains("href=\"/chuyen-doi-so/van-ban/71-nq-cp/\""));
    let kh06 = f.read("van-ban/06-kh-ubnd/index.html");
    assert!(kh06.contains("href=\"/chuyen-doi-so/van-ban/ke-hoach-tuyen-truyen-2026/\""));
}

#[test]
fn the_menu_marks_the_section_a_page_is_in() {
    let f = site();
    f.build_ok();
    let current = |rel: &str| -> Vec<String> {
        wide_menu(&f.read(rel))
            .split("<li>")
            .filter(|item| item.contains("aria-current=\"page\""))
            .map(|item| item[item.find('>').map_or(0, |i| i + 1)..].to_owned())
            .filter_map(|rest| rest.split("</a>").next().map(str::to_owned))
            .collect()
    };
    // Every page of a section, and the section's own pages, mark that section's item.
    assert_eq!(
        current("tin-tuc/hoi-nghi-trien-khai/index.html"),
        ["Tin tức – Sự kiện"]
    );
    assert_eq!(current("tin-tuc/index.html"), ["Tin tức – Sự kiện"]);
    assert_eq!(current("van-ban/57-nq-tw/index.html"), ["Văn bản chỉ đạo"]);
    // The home page marks its own item; a tag's page none.
    assert_eq!(current("index.html"), ["Trang đầu"]);
    assert!(current("chu-de/vneid/index.html").is_empty());
}

#[test]
fn the_menu_marks_the_current_section_past_64_sections() {
    let f = Fixture::new(CONFIG);
    f.file("content/_index.md", "---\ntitle: Chuyển đổi số\n---\n");
    for n in 0..70 {
        f.file(
            &format!("content/muc-{n:02}/_index.md"),
            &format!("---\ntitle: Mục {n}\n---\n"),
        );
    }
    f.file(
        "content/muc-69/bai.md",
        "---\ntitle: Bài\ndate: 2026-01-01\n---\nBài.\n",
    );
    f.build_ok();
    let html = f.read("muc-69/bai/index.html");
    let nav = wide_menu(&html);
    assert_eq!(nav.matches("aria-current").count(), 1, "{nav}");
    assert!(
        nav.contains("muc-69/\" aria-current=\"page\">Mục 69<"),
        "{nav}"
    );
}

/// The menu of a page's HTML (one, for every screen).
fn wide_menu(html: &str) -> &str {
    assert_eq!(
        html.matches("aria-label=\"Chuyên mục\"").count(),
        1,
        "one menu"
    );
    let nav = &html[html.find("<nav class=\"nav\"").expect("menu")..];
    &nav[..nav.find("</nav>").expect("menu end")]
}
