use super::*;

const CATS: &[&str] = &["Chính quyền số", "Kinh tế số", "Xã hội số"];

fn page(text: &str, kind: PageKind) -> Result<PageMeta, Vec<Diagnostic>> {
    let cats: Vec<String> = CATS.iter().map(|s| s.to_string()).collect();
    let s = split(text).expect("fixture has front matter");
    let cx = PageContext {
        path: Path::new("content/tin-tuc/a.md"),
        text,
        kind: Some(kind),
        categories: &cats,
    };
    parse_page(&s, &cx)
}

fn lines(errs: &[Diagnostic]) -> Vec<usize> {
    errs.iter().map(|d| d.line).collect()
}

#[test]
fn splits_front_matter_and_reports_body_line() {
    let s = split("---\ntitle: A\n---\nXin chào\n").unwrap();
    assert_eq!(s.yaml, "title: A\n");
    assert_eq!(s.body, "Xin chào\n");
    assert_eq!(s.body_line, 4);
    assert_eq!(split("title: A\n"), Err(Kind::MissingFrontMatter));
    assert_eq!(
        split("---\ntitle: A\nXin chào\n"),
        Err(Kind::UnclosedFrontMatter)
    );
    assert_eq!(split("---  \n---\n").unwrap().yaml, "");
}

#[test]
fn parses_an_article_with_every_common_field() {
    let m = page(
        "---\ntitle: Ra mắt Tổ công nghệ số\ndate: 15/02/2026 08:30\ntags: [VNeID, Chuyển đổi số]\ncategory: Xã hội số\nimage: anh.jpg\nimage_alt: Tổ công nghệ số\ndocuments: [57-NQ/TW, 06/KH-UBND]\ndraft: true\n---\nBody\n",
        PageKind::Article,
    )
    .unwrap();
    assert_eq!(m.title, "Ra mắt Tổ công nghệ số");
    assert_eq!(m.date.unwrap().to_rfc3339(), "2026-02-15T08:30:00+07:00");
    assert_eq!(
        m.documents
            .iter()
            .map(|d| d.value.as_str())
            .collect::<Vec<_>>(),
        ["57-NQ/TW", "06/KH-UBND"]
    );
    assert_eq!(m.documents[1].line, 8);
    assert!(m.draft);
}

#[test]
fn errors_on_missing_title_bad_date_and_missing_alt_all_at_once() {
    let errs = page(
        "---\ndate: 31/02/2026\nimage: a.jpg\n---\n",
        PageKind::Article,
    )
    .unwrap_err();
    assert_eq!(errs.len(), 3, "{errs:#?}");
    assert!(
        errs.iter()
            .any(|d| d.kind == Kind::MissingKey { key: "title" } && d.line == 1)
    );
    assert!(errs.iter().any(|d| matches!(
        d.kind,
        Kind::BadDate {
            impossible: true,
            ..
        }
    ) && d.line == 2
        && d.col == 7));
    assert!(
        errs.iter()
            .any(|d| d.kind == Kind::MissingImageAlt && d.line == 3)
    );
}

#[test]
fn errors_on_wrong_document_number_style_with_the_fix() {
    let errs = page(
        "---\ntitle: A\ndocuments:\n  - 06/KH-UBND\n  - 57/NQ-TW\n---\n",
        PageKind::Article,
    )
    .unwrap_err();
    assert_eq!(lines(&errs), [5]);
    assert_eq!(errs[0].col, 5);
    assert_eq!(errs[0].kind.hint().unwrap(), "viết là `57-NQ/TW`");
}

#[test]
fn errors_on_category_outside_the_config_list() {
    let errs = page(
        "---\ntitle: A\ncategory: Kinh te so\n---\n",
        PageKind::Article,
    )
    .unwrap_err();
    assert_eq!(lines(&errs), [3]);
    assert!(matches!(errs[0].kind, Kind::UnknownCategory { .. }));
}

#[test]
fn kind_specific_keys_belong_to_their_kind() {
    let errs = page(
        "---\ntitle: A\nplace: Ấp Long Hòa\n---\n",
        PageKind::Article,
    )
    .unwrap_err();
    assert!(matches!(errs[0].kind, Kind::KeyNotForKind { .. }));
    assert_eq!(lines(&errs), [3]);
    assert!(
        page(
            "---\ntitle: A\nplace: Ấp Long Hòa\nsubject: Hộ ông B\n---\n",
            PageKind::Story
        )
        .is_ok()
    );
    let errs = page("---\ntitle: A\n---\n", PageKind::Document).unwrap_err();
    assert_eq!(errs[0].kind, Kind::MissingKey { key: "document" });
}

#[test]
fn parses_a_document_block_and_requires_its_abstract() {
    let m = page(
        "---\ntitle: Nghị quyết 57\ndocument:\n  number: 57-NQ/TW\n  type: Nghị quyết\n  issued: 22/12/2024\n  abstract: Về đột phá phát triển khoa học, công nghệ\n  level: Trung ương\n---\n",
        PageKind::Document,
    )
    .unwrap();
    let d = m.document.unwrap();
    assert_eq!(d.number.unwrap().value.as_str(), "57-NQ/TW");
    assert_eq!(d.level.as_deref(), Some("Trung ương"));
    let errs = page(
        "---\ntitle: A\ndocument:\n  number: 71/NQ-CP\n  level: Tỉnh\n---\n",
        PageKind::Document,
    )
    .unwrap_err();
    assert_eq!(errs.len(), 2, "{errs:#?}");
    assert!(
        errs.iter()
            .any(|d| d.kind == Kind::MissingKey { key: "abstract" } && d.line == 3)
    );
    assert!(
        errs.iter()
            .any(|d| matches!(d.kind, Kind::BadChoice { key: "level", .. }) && d.line == 5)
    );
}

#[test]
fn section_front_matter_has_its_own_keys() {
    let text = "---\ntitle: Tin tức\nkind: article\nsort_by: datum\n---\n";
    let s = split(text).unwrap();
    let errs = parse_section(
        &s,
        Path::new("content/tin-tuc/_index.md"),
        text,
        PageKind::Article,
    )
    .unwrap_err();
    assert_eq!(lines(&errs), [4]);
    let text = "---\ntitle: Văn bản\nkind: document\nsort_by: number\n---\n";
    let s = split(text).unwrap();
    let m = parse_section(&s, Path::new("x"), text, PageKind::Article).unwrap();
    assert_eq!((m.kind, m.sort_by), (PageKind::Document, SortBy::Number));
}

/// Text shaped like front matter: the YAML indicators, quotes, brackets, anchors, dates,
/// Vietnamese letters and line breaks that editors' mistakes are made of.
fn front_matter_like() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("---\n".to_owned()),
        Just("title: ".to_owned()),
        Just("tags: [".to_owned()),
        Just("documents:\n  - ".to_owned()),
        Just("aliases: [/cu/, ".to_owned()),
        Just("date: 15/02/2026 08:30\n".to_owned()),
        Just("extra: {a: &x [1, *x]}\n".to_owned()),
        Just("document:\n  number: 57-NQ/TW\n".to_owned()),
        "[\\[\\]{}:,#&*!|>'\"\\-? \t\n\r\\\\%@`]{1,8}",
        "[a-zđăâêôơưàảãáạờởỡớợ0-9 ]{0,12}",
        any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

    #[test]
    fn no_front_matter_makes_the_splitter_or_the_typing_panic(text in front_matter_like()) {
        for body in [text.clone(), format!("---\n{text}\n---\nBody\n")] {
            if let Ok(s) = split(&body) {
                for kind in [PageKind::Article, PageKind::Story, PageKind::Document] {
                    let cats: Vec<String> = CATS.iter().map(|s| s.to_string()).collect();
                    let cx = PageContext {
                        path: Path::new("content/tin-tuc/a.md"),
                        text: &body,
                        kind: Some(kind),
                        categories: &cats,
                    };
                    if let Err(diags) = parse_page(&s, &cx) {
                        for d in diags {
                            let _ = d.render();
                        }
                    }
                }
                let _ = crate::yaml::too_deep(s.yaml);
            }
        }
    }
}
