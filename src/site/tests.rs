//! `Site::build` on pages held in memory: the graph alone, with no disk, no Markdown and no
//! templates.

use chrono::DateTime;

use super::*;
use crate::config::Config;

const CONFIG: &str = "base_url: https://daihai.cantho.gov.vn/chuyen-doi-so/\ntitle: Chuyển đổi số\ncategories: [Chính quyền số, Xã hội số]\n";

fn at(date: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(date).expect("valid date")
}

/// The site of `files` (under `content/`), built at 26/11/2026 09:00 Vietnam time.
fn site_with(files: &[(&str, &str)], include_unpublished: bool) -> (Site, Vec<Diagnostic>) {
    let config = Config::parse(CONFIG).expect("config");
    let loaded = content::from_texts(files, &config);
    assert!(loaded.diagnostics.is_empty(), "{:?}", loaded.diagnostics);
    let opts = BuildOptions {
        include_unpublished,
        now: at("2026-11-26T09:00:00+07:00"),
    };
    Site::build(config, loaded, &opts)
}

fn site(files: &[(&str, &str)]) -> Site {
    let (site, diags) = site_with(files, false);
    assert!(diags.is_empty(), "{diags:?}");
    site
}

const NEWS: (&str, &str) = ("tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n");

fn page_titled<'a>(site: &'a Site, title: &str) -> &'a SitePage {
    site.pages
        .iter()
        .find(|p| p.page.meta.title == title)
        .unwrap_or_else(|| panic!("no page {title}"))
}

fn titles(site: &Site, ids: &[PageId]) -> Vec<String> {
    ids.iter()
        .map(|&id| site.pages[id].page.meta.title.clone())
        .collect()
}

#[test]
fn sections_list_their_pages_newest_first_with_neighbours() {
    let s = site(&[
        NEWS,
        ("tin-tuc/a.md", "---\ntitle: A\ndate: 2026-01-05\n---\n"),
        ("tin-tuc/b.md", "---\ntitle: B\ndate: 2026-03-01\n---\n"),
        ("tin-tuc/c.md", "---\ntitle: C\ndate: 2026-02-10\n---\n"),
    ]);
    let news = s.sections.iter().find(|x| x.dir == "tin-tuc").unwrap();
    assert_eq!(titles(&s, &news.pages), ["B", "C", "A"]);
    assert_eq!(news.path.as_str(), "tin-tuc/");
    let c = page_titled(&s, "C");
    assert_eq!(c.path.as_str(), "tin-tuc/c/");
    let neighbours = [c.prev, c.next].map(|n| n.map(|id| s.pages[id].page.meta.title.clone()));
    assert!(neighbours.contains(&Some("A".into())) && neighbours.contains(&Some("B".into())));
}

#[test]
fn drafts_scheduled_and_expired_pages_are_left_out_unless_asked_for() {
    let files = [
        NEWS,
        (
            "tin-tuc/da-dang.md",
            "---\ntitle: Đã đăng\ndate: 2026-01-05\n---\n",
        ),
        ("tin-tuc/nhap.md", "---\ntitle: Nháp\ndraft: true\n---\n"),
        (
            "tin-tuc/hen-gio.md",
            "---\ntitle: Hẹn giờ\ndate: 2026-12-01\n---\n",
        ),
        (
            "tin-tuc/het-han.md",
            "---\ntitle: Hết hạn\ndate: 2026-01-01\nexpiry_date: 2026-06-30\n---\n",
        ),
    ];
    let (published, _) = site_with(&files, false);
    assert_eq!(published.pages.len(), 1);
    let mut excluded: Vec<Status> = published.excluded.iter().map(|e| e.status).collect();
    excluded.sort_by_key(|s| format!("{s:?}"));
    assert_eq!(
        excluded,
        [Status::Draft, Status::Expired, Status::Scheduled]
    );

    let (preview, _) = site_with(&files, true);
    assert_eq!(preview.pages.len(), 4);
    assert_eq!(page_titled(&preview, "Hẹn giờ").status, Status::Scheduled);
    assert_eq!(page_titled(&preview, "Nháp").status, Status::Draft);
}

#[test]
fn tags_and_categories_group_pages_under_one_slug() {
    let s = site(&[
        NEWS,
        (
            "tin-tuc/a.md",
            "---\ntitle: A\ndate: 2026-01-05\ntags: [VNeID, Chuyển đổi số]\ncategory: Xã hội số\n---\n",
        ),
        (
            "tin-tuc/b.md",
            "---\ntitle: B\ndate: 2026-02-05\ntags: [VNeID]\n---\n",
        ),
    ]);
    let vneid = s.tags.terms.iter().find(|t| t.name == "VNeID").unwrap();
    assert_eq!(vneid.slug, "vneid");
    assert_eq!(vneid.path.as_str(), "chu-de/vneid/");
    assert_eq!(titles(&s, &vneid.pages), ["B", "A"]);
    let cds = s
        .tags
        .terms
        .iter()
        .find(|t| t.slug == "chuyen-doi-so")
        .unwrap();
    assert_eq!(titles(&s, &cds.pages), ["A"]);
    let social = s
        .categories
        .terms
        .iter()
        .find(|t| t.name == "Xã hội số")
        .unwrap();
    assert_eq!(social.path.as_str(), "linh-vuc/xa-hoi-so/");
}

#[test]
fn documents_form_their_chain_and_know_who_cites_them() {
    let s = site(&[
        (
            "van-ban/_index.md",
            "---\ntitle: Văn bản\nkind: document\n---\n",
        ),
        (
            "van-ban/57.md",
            "---\ntitle: NQ 57\ndocument:\n  number: 57-NQ/TW\n  abstract: Về chuyển đổi số\n---\n",
        ),
        (
            "van-ban/71.md",
            "---\ntitle: NQ 71\ndocument:\n  number: 71/NQ-CP\n  abstract: Chương trình hành động\n  implements: [57-NQ/TW]\n---\n",
        ),
        NEWS,
        (
            "tin-tuc/a.md",
            "---\ntitle: Bài\ndate: 2026-01-05\ndocuments: [71/NQ-CP]\n---\n",
        ),
    ]);
    let nq57 = s.documents["57-NQ/TW"];
    let nq71 = s.documents["71/NQ-CP"];
    assert_eq!(s.pages[nq71].implements, [nq57]);
    assert_eq!(s.pages[nq57].implemented_by, [nq71]);
    assert_eq!(titles(&s, &s.pages[nq71].cited_by), ["Bài"]);
    assert_eq!(s.pages[nq57].path.as_str(), "van-ban/57-nq-tw/");
}

#[test]
fn two_pages_at_one_address_are_an_error_naming_both() {
    let (_, diags) = site_with(
        &[
            NEWS,
            ("tin-tuc/a.md", "---\ntitle: A\n---\n"),
            ("tin-tuc/b.md", "---\ntitle: B\nslug: a\n---\n"),
        ],
        false,
    );
    let duplicate = diags
        .iter()
        .find(|d| matches!(d.kind, Kind::DuplicateUrl { .. }))
        .unwrap_or_else(|| panic!("{diags:?}"));
    let text = duplicate.render();
    assert!(
        text.contains("content/tin-tuc/a.md") || text.contains("content/tin-tuc/b.md"),
        "{text}"
    );
}

#[test]
fn an_alias_over_a_page_is_named_at_its_line() {
    let (_, diags) = site_with(
        &[
            NEWS,
            ("tin-tuc/a.md", "---\ntitle: A\n---\n"),
            (
                "tin-tuc/b.md",
                "---\ntitle: B\naliases:\n  - /tin-tuc/a/\n---\n",
            ),
        ],
        false,
    );
    let clash = diags
        .iter()
        .find(|d| d.path == std::path::Path::new("content/tin-tuc/b.md"))
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(clash.line, 4);
}
