//! The editor's page, script and stylesheet, embedded in the binary so the editor works
//! offline from one file. The page gets the secret and the site's preview address; the
//! script and the stylesheet are the same for every site.

use std::path::Path;

use super::Answer;

const PAGE: &str = include_str!("ui/index.html");
const SCRIPT: &str = include_str!("ui/app.js");
const STYLE: &str = include_str!("ui/app.css");

/// What a browser may do with the editor's page: load what this server sends, and from the
/// site's preview (another origin) the pages it frames and, for the preview of unsaved text
/// (a sandboxed frame that inherits this policy), their styles, photos and fonts. No frame
/// of the editor inside another page.
fn policy(site_origin: &str) -> String {
    format!(
        "default-src 'self'; img-src 'self' data: blob: {site_origin}; \
         style-src 'self' 'unsafe-inline' {site_origin}; font-src {site_origin}; \
         frame-src {site_origin}; frame-ancestors 'none'; form-action 'self'; base-uri {site_origin}"
    )
}

/// The editor's page for `token`, editing the site at `root` previewed at `site_url`
/// (`http://127.0.0.1:1111/chuyen-doi-so/`).
pub fn page(token: &str, site_url: &str, root: &Path) -> Answer {
    let origin = origin_of(site_url);
    // Drafts kept in the browser are told apart by site, as two sites may use one address.
    let site_id = crate::serve::http::etag(root.to_string_lossy().as_bytes());
    let body = PAGE
        .replace("{{token}}", &attribute(token))
        .replace("{{site}}", &attribute(site_url))
        .replace("{{origin}}", &attribute(origin))
        .replace("{{site_id}}", &attribute(site_id.trim_matches('"')));
    let mut answer = asset("text/html; charset=utf-8", body.into_bytes());
    answer
        .headers
        .push(("Content-Security-Policy", policy(origin)));
    answer
}

/// `http://127.0.0.1:1111` of `http://127.0.0.1:1111/chuyen-doi-so/`.
fn origin_of(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(i) => &url[..after_scheme + i],
        None => url,
    }
}

pub fn script() -> Answer {
    asset("text/javascript; charset=utf-8", SCRIPT.as_bytes().to_vec())
}

pub fn style() -> Answer {
    asset("text/css; charset=utf-8", STYLE.as_bytes().to_vec())
}

fn asset(content_type: &'static str, body: Vec<u8>) -> Answer {
    Answer {
        status: 200,
        content_type,
        body,
        headers: vec![
            ("Cache-Control", "no-store".to_owned()),
            ("X-Content-Type-Options", "nosniff".to_owned()),
            ("Referrer-Policy", "no-referrer".to_owned()),
        ],
    }
}

/// Text safe inside a double-quoted HTML attribute.
fn attribute(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
