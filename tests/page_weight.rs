//! Budgets of the real section (issue #4): every article, story and document page weighs
//! under 30 KB of HTML + CSS + JavaScript, and no page loads anything from another site.

mod common;

use std::fs;

use common::Fixture;

const BUDGET: usize = 30 * 1024;

fn sample_site() -> Fixture {
    let f = Fixture::new("");
    common::copy_dir(&common::repo().join("content"), &f.root().join("content"));
    fs::copy(
        common::repo().join("config.yaml"),
        f.root().join("config.yaml"),
    )
    .expect("config");
    f.build_ok();
    f
}

/// Values of `attr="…"` in tags named `tag` (`link`, `script`, `img`…).
fn attrs<'a>(html: &'a str, tag: &str, attr: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let open = format!("<{tag} ");
    let key = format!("{attr}=\"");
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let t = &rest[i..];
        let end = t.find('>').unwrap_or(t.len());
        if let Some(j) = t[..end].find(&key) {
            let v = &t[j + key.len()..end];
            out.push(&v[..v.find('"').unwrap_or(v.len())]);
        }
        rest = &t[1..];
    }
    out
}

#[test]
fn every_article_page_fits_the_30_kb_budget() {
    let f = sample_site();
    let mut checked = 0;
    let mut largest = (0, String::new());
    for (path, bytes) in common::snapshot(&f.public()) {
        let p = path.to_string_lossy().replace('\\', "/");
        let is_article = [
            "tin-tuc/",
            "cau-chuyen/",
            "van-ban/",
            "huong-dan/",
            "tim-hieu/",
        ]
        .iter()
        .any(|s| p.starts_with(s))
            && p.ends_with("/index.html")
            && p.matches('/').count() == 2;
        if !is_article {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let mut total = html.len();
        for href in attrs(&html, "link", "href")
            .into_iter()
            .filter(|h| h.ends_with(".css"))
        {
            let rel = href.trim_start_matches("/chuyen-doi-so/");
            total += fs::read(f.public().join(rel)).expect("stylesheet").len();
        }
        for src in attrs(&html, "script", "src") {
            let rel = src.trim_start_matches("/chuyen-doi-so/");
            total += fs::read(f.public().join(rel)).expect("script").len();
        }
        assert!(
            total < BUDGET,
            "{p}: {total} bytes of HTML + CSS + JS, over {BUDGET}"
        );
        if total > largest.0 {
            largest = (total, p.clone());
        }
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} article pages found");
    eprintln!(
        "largest article page: {} ({} bytes with CSS and JS)",
        largest.1, largest.0
    );
}

#[test]
fn no_page_loads_anything_from_another_site() {
    let f = sample_site();
    for (path, bytes) in common::snapshot(&f.public()) {
        let p = path.to_string_lossy().into_owned();
        if p.ends_with(".css") {
            let css = String::from_utf8(bytes).expect("utf-8");
            assert!(
                !css.contains("@import") && !css.contains("url(http"),
                "{p} loads remote CSS"
            );
            continue;
        }
        if !p.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).expect("utf-8");
        let resources = ["img", "script", "iframe", "source", "video", "audio"]
            .iter()
            .flat_map(|t| attrs(&html, t, "src"))
            .chain(
                attrs(&html, "link", "href")
                    .into_iter()
                    .filter(|h| !h.starts_with("https://daihai.cantho.gov.vn/")),
            );
        for url in resources {
            assert!(
                url.starts_with('/') && !url.starts_with("//"),
                "{p} loads {url} from another site"
            );
        }
    }
}
