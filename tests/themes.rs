//! A site overrides its theme one file at a time, templates and static files alike, and a
//! broken template is reported as a build error, never a panic.

mod common;

use common::{CONFIG, Fixture};

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.file("content/_index.md", "---\ntitle: Trang chủ\n---\n")
        .file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
        .file(
            "content/tin-tuc/a.md",
            "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNội dung A.\n",
        );
    f
}

#[test]
fn can_override_one_template_and_keep_the_others() {
    let f = site();
    f.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<p class=\"rieng\">{{ page.title }} – {{ page.date | vn_date(format=\"formal\") }}</p>{% endblock main %}",
    );
    f.build_ok();
    let page = f.read("tin-tuc/a/index.html");
    assert!(
        page.contains("<p class=\"rieng\">Bài A – ngày 05 tháng 01 năm 2026</p>"),
        "{page}"
    );
    assert!(
        page.contains("class=\"site-footer\""),
        "the theme's base.html still applies"
    );
    assert!(
        f.read("tin-tuc/index.html").contains("<h1>Tin tức</h1>"),
        "section.html from the theme"
    );
}

#[test]
fn can_override_one_static_file() {
    let f = site();
    f.file("static/css/site.css", "body{color:red}")
        .file("static/logo.svg", "<svg/>");
    f.build_ok();
    assert_eq!(f.read("css/site.css"), "body{color:red}");
    assert_eq!(f.read("logo.svg"), "<svg/>");
}

#[test]
fn errors_on_a_broken_template_without_writing() {
    let f = site();
    f.build_ok();
    let before = common::snapshot(&f.public());
    f.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.title }{% endblock main %}",
    );
    let all = f.build_err("broken template");
    assert!(all.contains("giao diện (template) bị lỗi"), "{all}");
    assert!(
        all.contains("--> templates/page.html"),
        "names the site's override: {all}"
    );
    assert_eq!(common::snapshot(&f.public()), before);

    f.file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ page.titel }}{% endblock main %}",
    );
    let all = f.build_err("unknown field");
    assert!(
        all.contains("content/tin-tuc/a.md"),
        "names the page being rendered: {all}"
    );
    assert!(all.contains("titel"), "{all}");
}

#[test]
fn errors_on_unknown_config_key() {
    let f = Fixture::new(&format!("{CONFIG}paginate: 5\n"));
    let diags = f.build().expect_err("unknown key");
    assert_eq!(diags[0].path.to_string_lossy(), "config.yaml");
    assert_eq!(diags[0].line, 6);
    assert!(
        diags[0]
            .render()
            .contains("có phải bạn muốn viết `paginate_by`?"),
        "{}",
        diags[0].render()
    );
}

#[test]
fn errors_on_an_unknown_template_name_instead_of_falling_back() {
    let f = site();
    f.file(
        "content/tin-tuc/b.md",
        "---\ntitle: B\ntemplate: trang-rieng.html\n---\n",
    );
    let diags = f.build().expect_err("unknown template");
    assert_eq!(diags[0].path.to_string_lossy(), "content/tin-tuc/b.md");
    assert_eq!(diags[0].line, 3);
    let text = diags[0].render();
    assert!(
        text.contains("giao diện không có tệp `trang-rieng.html`"),
        "{text}"
    );
    assert!(
        text.contains("`page.html`"),
        "lists the available templates: {text}"
    );
}

#[test]
fn fragments_are_rendered_once_with_the_site_and_shown_on_every_page() {
    let f = site();
    f.file(
        "templates/fragments/loi-chao.html",
        "<p class=\"chao\">{{ site.title }} & {{ url(path=\"tin-tuc/\") }}</p>",
    )
    .file(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block main %}{{ fragments[\"loi-chao\"] }}{% endblock main %}",
    );
    f.build_ok();
    let page = f.read("tin-tuc/a/index.html");
    assert!(
        page.contains("<p class=\"chao\">Chuyển đổi số xã Đại Hải & /chuyen-doi-so/tin-tuc/</p>"),
        "shown as it was rendered, not escaped again: {page}"
    );
    // The theme's own fragments (the footer) still show on pages that use the override.
    assert!(page.contains("class=\"site-footer\""), "{page}");
    // Files in a subfolder of `fragments/` are parts a fragment includes, not fragments:
    // rendered alone, this one would fail (`item` is not there).
    f.file("templates/fragments/phan/dong.html", "<b>{{ item }}</b>")
        .file(
            "templates/fragments/ban-quyen.min.html",
            "{% set item = site.title %}{% include \"fragments/phan/dong.html\" %}",
        )
        .file(
            "templates/page.html",
            "{% extends \"base.html\" %}{% block main %}{{ fragments[\"ban-quyen.min\"] }}{% endblock main %}",
        );
    f.build_ok();
    let page = f.read("tin-tuc/a/index.html");
    assert!(page.contains("<b>Chuyển đổi số xã Đại Hải</b>"), "{page}");
    assert!(
        !f.exists("fragments/loi-chao.html") && !f.exists("fragments/loi-chao/index.html"),
        "a fragment is no page of its own"
    );
}

#[test]
fn a_site_override_of_a_partial_the_theme_now_makes_once_still_wins() {
    let f = site();
    f.file(
        "templates/partials/footer.html",
        "<footer class=\"rieng\">{{ current_url }}</footer>",
    );
    f.build_ok();
    let page = f.read("tin-tuc/a/index.html");
    assert!(
        page.contains("<footer class=\"rieng\">/chuyen-doi-so/tin-tuc/a/</footer>"),
        "{page}"
    );
    assert!(!page.contains("site-footer"), "{page}");
}

#[test]
fn a_fragment_that_reads_the_page_is_an_error_naming_its_file() {
    let f = site();
    f.file("templates/fragments/tieu-de.html", "{{ page.title }}");
    let all = f.build_err("fragments see the site alone");
    assert!(all.contains("templates/fragments/tieu-de.html"), "{all}");
    assert!(all.contains("page"), "{all}");

    let f = site();
    f.file("templates/fragments/chan.html", "a")
        .file("templates/fragments/chan.json", "{}");
    let all = f.build_err("two fragments with one name");
    assert!(all.contains("fragments.chan"), "{all}");

    let f = site();
    f.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\ntemplate: fragments/footer.html\n---\nA.\n",
    );
    let all = f.build_err("a fragment is no page template");
    assert!(
        all.contains("`fragments/footer.html` là đoạn dùng chung của mọi trang"),
        "{all}"
    );
}

#[test]
fn a_theme_without_a_required_template_is_named_with_the_fix() {
    let f = site();
    std::fs::remove_file(f.root().join("themes/daihai/templates/404.html")).unwrap();
    let all = f.build_err("a theme without 404.html");
    assert!(all.contains("thiếu tệp giao diện `404.html`"), "{all}");
    assert!(all.contains("themes/daihai/templates"), "{all}");
    assert!(all.contains("chép tệp này từ giao diện mặc định"), "{all}");
}
