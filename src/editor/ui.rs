//! The editor's page, script and stylesheet, embedded in the binary so the editor works
//! offline from one file. The page gets the secret and the two base paths; the script and
//! the stylesheet are the same for every site.

use super::Answer;

const PAGE: &str = include_str!("ui/index.html");
const SCRIPT: &str = include_str!("ui/app.js");
const STYLE: &str = include_str!("ui/app.css");

/// What a browser may do with the editor's pages: only what they load from this server, no
/// frame of the editor inside another page.
const POLICY: &str = "default-src 'self'; img-src 'self' data: blob:; frame-ancestors 'self'; \
form-action 'self'; base-uri 'none'";

/// The editor's page for `token`, under `base` (`/chuyen-doi-so/_soan-bai/`), for the site
/// at `site_base` (`/chuyen-doi-so/`).
pub fn page(token: &str, base: &str, site_base: &str) -> Answer {
    let body = PAGE
        .replace("{{token}}", &attribute(token))
        .replace("{{base}}", &attribute(base))
        .replace("{{site}}", &attribute(site_base));
    asset("text/html; charset=utf-8", body.into_bytes())
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
            ("Content-Security-Policy", POLICY.to_owned()),
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
