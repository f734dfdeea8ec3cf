//! No edit of a page can make cds panic: every single-character insertion and deletion of a
//! tricky character, at every position of a page that exercises front matter, links, headings,
//! footnotes, HTML and Vietnamese text, goes through front matter parsing and Markdown.

use std::path::Path;

use cds::content::PageKind;
use cds::content::front_matter::{PageContext, parse_page, split};
use cds::markdown::{MarkdownContext, render};
use cds::urls::Urls;

const PAGE: &str = "---\ntitle: \"Chuyển đổi số: Đại Hải\"\ndate: 15/02/2026 08:30\ntags: [VNeID, Đề án 06]\ndocuments:\n  - 57-NQ/TW\ndocument:\n  number: 06/KH-UBND\n  abstract: Về chuyển đổi số\nextra:\n  a: 1\n---\n## Mục tiêu {#muc .x}\n\nXem [KH](@/van-ban/06.md#muc)[^1] và ![ảnh](anh.jpg) <b>đậm</b> <!-- ghi chú -->\n\n| a | b |\n|---|---|\n| ế | ữ |\n\n[^1]: Chú thích.\n\n<!-- more -->\n- [x] xong\n";

const TRICKY: &[char] = &[
    '\n', ':', '-', '#', '[', ']', '{', '}', '"', '\'', '`', '<', '>', '@', '/', '|', '!', 'đ',
    '\u{0301}', '\t', '\r', '*', '^', '~',
];

fn run(text: &str) {
    let Ok(parts) = split(text) else { return };
    let cx = PageContext {
        path: Path::new("content/a.md"),
        text,
        kind: Some(PageKind::Document),
        categories: &[],
    };
    let _ = parse_page(&parts, &cx);
    let targets = cds::fast_hash::FastMap::default();
    let urls = Urls::new("https://x.vn/a/");
    let pictures = cds::images::Pictures::default();
    for unsafe_html in [false, true] {
        let mcx = MarkdownContext {
            file: Path::new("content/a.md"),
            text,
            body_offset: parts.body_offset,
            link_targets: &targets,
            urls: &urls,
            id_prefix: "a/",
            page_href: "/a/a/".into(),
            base_href: "/a/a/".into(),
            unsafe_html,
            smart_punctuation: true,
            pictures: &pictures,
            attachments: &Default::default(),
            own: &Default::default(),
            image_sizes: "100vw",
            cover: false,
        };
        let (rendered, diags) = render(parts.body, &mcx);
        for d in diags {
            let _ = d.render();
        }
        assert!(!rendered.html.contains("<script"));
    }
}

#[test]
fn no_single_character_edit_panics() {
    let chars: Vec<(usize, char)> = PAGE.char_indices().collect();
    for &(at, _) in &chars {
        for &c in TRICKY {
            let mut inserted = PAGE.to_owned();
            inserted.insert(at, c);
            run(&inserted);
        }
        let mut deleted = PAGE.to_owned();
        deleted.remove(at);
        run(&deleted);
    }
}
