//! The search page and box as the site serves them. What queries find, and in which order,
//! is tested on the theme's own script in Node: tests/js/ranking.test.mjs.

mod common;

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
