use crate::fast_hash::FastMap;
use std::path::Path;

use super::*;
use crate::site::{LinkTarget, Node};
use crate::urls::{UrlPath, Urls};

fn targets() -> FastMap<String, LinkTarget> {
    let mut m = FastMap::default();
    m.insert(
        "van-ban/06-kh-ubnd.md".to_owned(),
        LinkTarget {
            path: UrlPath::folder(["van-ban", "06-kh-ubnd"]),
            unpublished: None,
            node: Node::Page(0),
        },
    );
    m
}

fn md(body: &str, unsafe_html: bool) -> (Rendered, Vec<Diagnostic>) {
    let text = format!("---\ntitle: A\n---\n{body}");
    let targets = targets();
    let urls = Urls::new("https://daihai.cantho.gov.vn/chuyen-doi-so/");
    let pictures = crate::images::Pictures::default();
    let cx = MarkdownContext {
        file: Path::new("content/tin-tuc/a.md"),
        text: &text,
        body_offset: 15,
        link_targets: &targets,
        urls: &urls,
        id_prefix: "tin-tuc/a/",
        page_href: "/chuyen-doi-so/tin-tuc/a/".into(),
        base_href: "/chuyen-doi-so/tin-tuc/a/".into(),
        unsafe_html,
        smart_punctuation: true,
        pictures: &pictures,
        attachments: &Default::default(),
        own: &Default::default(),
        image_sizes: "100vw",
        cover: false,
    };
    render(body, &cx)
}

#[test]
fn gives_headings_vietnamese_ids_and_a_nested_toc() {
    let (r, _) = md(
        "## Mục tiêu chung\n### Chỉ tiêu\n## Mục tiêu chung\n## Khác {#rieng}\n",
        false,
    );
    assert!(
        r.html
            .contains("<h2 id=\"muc-tieu-chung\">Mục tiêu chung</h2>"),
        "{}",
        r.html
    );
    assert!(r.html.contains("<h2 id=\"muc-tieu-chung-1\">"));
    assert!(r.html.contains("<h2 id=\"rieng\">"));
    assert_eq!(
        r.heading_ids,
        ["muc-tieu-chung", "chi-tieu", "muc-tieu-chung-1", "rieng"]
    );
    assert_eq!(r.toc.len(), 3);
    assert_eq!(r.toc[0].children[0].id, "chi-tieu");
}

#[test]
fn resolves_internal_links_under_the_sub_path() {
    let (r, d) = md("Xem [KH 06](@/van-ban/06-kh-ubnd.md#muc-tieu).\n", false);
    assert!(d.is_empty(), "{d:?}");
    assert!(
        r.html
            .contains("href=\"/chuyen-doi-so/van-ban/06-kh-ubnd/#muc-tieu\""),
        "{}",
        r.html
    );
    assert_eq!(r.anchored_links[0].anchor, "muc-tieu");
    assert_eq!((r.anchored_links[0].line, r.anchored_links[0].col), (4, 13));
}

#[test]
fn errors_on_broken_internal_links_at_their_line() {
    let (_, d) = md("Dòng một\n\nXem [bài](@/tin-tuc/khong-co.md).\n", false);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].col), (6, 11));
    assert!(matches!(d[0].kind, Kind::BrokenLink { .. }));
}

#[test]
fn raw_html_is_escaped_by_default() {
    let (r, _) = md(
        "<script>alert(1)</script>\n\nẢnh <img src=x onerror=alert(1)> và H<sub>2</sub>O\n\n[x](javascript:alert(1))\n",
        false,
    );
    assert!(!r.html.contains("<script"), "{}", r.html);
    assert!(!r.html.contains("<img src=x"), "{}", r.html);
    assert!(r.html.contains("&lt;script&gt;"));
    assert!(r.html.contains("H<sub>2</sub>O"));
    assert!(!r.html.contains("javascript:"), "{}", r.html);
}

#[test]
fn unsafe_html_passes_but_never_javascript_urls() {
    let (r, _) = md(
        "<div class=\"khung\"><a href=\"javascript:alert(1)\">x</a></div>\n",
        true,
    );
    assert!(r.html.contains("<div class=\"khung\">"), "{}", r.html);
    assert!(!r.html.contains("javascript:"), "{}", r.html);
}

#[test]
fn summary_comes_from_the_more_marker_or_first_paragraph() {
    let (r, _) = md("Mở đầu.\n\nThêm.\n\n<!-- more -->\n\nPhần sau.\n", false);
    assert_eq!(r.summary_html.as_str(), "<p>Mở đầu.</p>\n<p>Thêm.</p>\n");
    assert!(!r.html.contains("more"));
    let (r, _) = md("## Đề mục\n\nĐoạn đầu.\n\nĐoạn hai.\n", false);
    assert_eq!(r.summary_html.as_str(), "<p>Đoạn đầu.</p>\n");
}

#[test]
fn footnotes_get_page_prefixed_ids_and_images_lazy_load() {
    let (r, _) = md(
        "Theo Nghị quyết[^1].\n\n[^1]: Nghị quyết 57-NQ/TW.\n\n![Tổ công nghệ số](anh.jpg)\n",
        false,
    );
    assert!(
        r.html
            .contains("href=\"/chuyen-doi-so/tin-tuc/a/#fn-tin-tuc-a-1\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("id=\"fn-tin-tuc-a-1\""));
    assert!(
        r.html.contains(
            "<img src=\"/chuyen-doi-so/tin-tuc/a/anh.jpg\" alt=\"Tổ công nghệ số\" loading=\"lazy\" decoding=\"async\">"
        ),
        "{}",
        r.html
    );
}

#[test]
fn supports_tables_tasks_strikethrough_and_smart_quotes() {
    let (r, _) = md(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] xong\n\n~~cũ~~ \"đi trước\"\n",
        false,
    );
    assert!(r.html.contains("<table>"));
    assert!(r.html.contains("type=\"checkbox\""));
    assert!(r.html.contains("<del>cũ</del>"));
    assert!(r.html.contains("“đi trước”"), "{}", r.html);
}

#[test]
fn heading_attributes_cannot_add_event_handlers() {
    let (r, _) = md(
        "## Tin {#tin .noi-bat tabindex=0 autofocus onfocus=alert(1) style=x}\n",
        false,
    );
    assert_eq!(r.html, "<h2 id=\"tin\" class=\"noi-bat\">Tin</h2>\n");
}

#[test]
fn html_comments_are_the_editors_notes() {
    let (r, _) = md(
        "Đoạn một.\n\n<!-- ghi chú nội bộ -->\n\n<!--\nnhiều dòng\n-->\n\nĐoạn <!-- ẩn --> hai.\n",
        false,
    );
    assert!(!r.html.contains("ghi chú"), "{}", r.html);
    assert!(!r.html.contains("nhiều dòng"), "{}", r.html);
    assert!(!r.html.contains("ẩn"), "{}", r.html);
    assert!(r.html.contains("Đoạn  hai."), "{}", r.html);
}

#[test]
fn summaries_are_well_formed_and_carry_no_heading_ids() {
    let (r, _) = md("## Mở đầu\n\n- một <!-- more --> hai\n- ba\n", false);
    assert_eq!(
        r.summary_html.as_str(),
        "<h2>Mở đầu</h2>\n<ul>\n<li>một </li>\n</ul>\n"
    );
}

#[test]
fn relative_links_and_images_resolve_against_the_page_folder() {
    let (r, _) = md(
        "[PDF](kh-06.pdf) [ngoài](https://x.vn) [mục](#a) [gốc](/a/) ![ảnh](anh/1.jpg)\n",
        false,
    );
    assert!(
        r.html
            .contains("href=\"/chuyen-doi-so/tin-tuc/a/kh-06.pdf\""),
        "{}",
        r.html
    );
    assert!(r.html.contains("href=\"https://x.vn\""));
    assert!(r.html.contains("href=\"#a\""));
    assert!(r.html.contains("href=\"/a/\""));
    assert!(
        r.html
            .contains("src=\"/chuyen-doi-so/tin-tuc/a/anh/1.jpg\""),
        "{}",
        r.html
    );
}

#[test]
fn counts_words_as_split_whitespace_does() {
    let spaces: String = (0..=0x10FFFFu32)
        .filter_map(char::from_u32)
        .filter(|c| c.is_whitespace())
        .collect();
    for (n, space) in spaces.chars().enumerate() {
        let text = format!("{space}Chuyển{space}đổi số{space}{space}–{}{space}", n % 3);
        assert_eq!(
            count_words_in(&text),
            text.split_whitespace().count(),
            "U+{:04X}",
            space as u32
        );
    }
    // Long texts, so that spaces and letters of every width meet every place of a block.
    let pieces: Vec<String> = [
        "Chuyển", "đổi", "số", "ở", "“", "”", "–", "ỹ", "ᚁ", "a", "9", "\n",
    ]
    .iter()
    .map(|p| p.to_string())
    .chain(spaces.chars().map(String::from))
    .collect();
    let mut next = crate::testing::xorshift(0x2545_F491_4F6C_DD1D);
    for round in 0..2000 {
        let mut text = String::new();
        for _ in 0..(round % 50) {
            text.push_str(&pieces[(next() % pieces.len() as u64) as usize]);
        }
        assert_eq!(
            count_words_in(&text),
            text.split_whitespace().count(),
            "{text:?}"
        );
    }
    let mixed = "ﬀ 𝐀b\u{85}x\u{1680}y\u{3000}z\u{2029}w 한국";
    assert_eq!(count_words_in(mixed), mixed.split_whitespace().count());
    assert_eq!(count_words_in(&spaces), 0);
    assert_eq!(count_words_in(""), 0);
}

#[test]
fn line_col_counts_lines_and_characters() {
    let text = "---\ntitle: x\n---\nMột dòng\n\nđổi số [a](b)\nba\n";
    let naive = |at: usize| {
        let line = text[..at].matches('\n').count() + 1;
        let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        (line, text[start..at].chars().count() + 1)
    };
    let line_col = |at: usize| crate::text::Locator::new(text).locate(at);
    for (at, _) in text.char_indices() {
        assert_eq!(line_col(at), naive(at), "offset {at}");
    }
    assert_eq!(line_col(text.find("[a]").unwrap()), (6, 8));
    assert_eq!(line_col(text.len() + 5), naive(text.len()));
}

/// Markdown shaped like what editors paste: emphasis, links (`@/`, `javascript:`), images,
/// footnotes, raw HTML with unclosed and stray tags, tables, headings with attributes.
fn markdown_like() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        "[*_`~#>\\-+|\\[\\]()!<>/\\\\:{}= \n]{1,6}",
        Just("[a](@/van-ban/06-kh-ubnd.md#muc) ".to_owned()),
        Just("[x](javascript:alert(1)) ".to_owned()),
        Just("![ảnh](anh.jpg \"t\") ".to_owned()),
        Just("[^1] \n\n[^1]: chú thích\n".to_owned()),
        Just("<s>gạch <sup>a</b></sup></div><script>x</script>".to_owned()),
        Just("<a href=\"javascript:x\" onclick=\"y\">z</a>".to_owned()),
        Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_owned()),
        Just("## Mục {#id .c onclick=x}\n".to_owned()),
        Just("<!-- more -->\n".to_owned()),
        "[a-zđăâêôơưàảãáạ0-9 ]{0,12}",
        proptest::prelude::any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn no_markdown_makes_the_pipeline_panic(body in markdown_like(), unsafe_html: bool) {
        let (rendered, diags) = md(&body, unsafe_html);
        for d in diags {
            let _ = d.render();
        }
        let _ = rendered;
    }
}
