//! Answering one preview request from the in-memory site. Pure: it maps a method, a raw URL and
//! the request headers to a reply, so every rule (traversal, redirects, 304, MIME types) is
//! testable without a socket. Nothing here touches the file system: a request can only ever
//! reach bytes that the build put in memory.

use std::collections::BTreeMap;
use std::sync::Arc;

/// The built site, as served: output path (`tin-tuc/a/index.html`) → bytes.
#[derive(Debug, Default)]
pub struct SiteFiles {
    /// The build's own map, shared: publishing a build copies nothing.
    pub files: Arc<BTreeMap<String, Arc<[u8]>>>,
    /// Newer files over `files`: the pages just saved, shown before their build is done.
    pub newer: BTreeMap<String, Arc<[u8]>>,
}

impl SiteFiles {
    /// The files of a finished build.
    pub fn of(files: Arc<BTreeMap<String, Arc<[u8]>>>) -> SiteFiles {
        SiteFiles {
            files,
            newer: BTreeMap::new(),
        }
    }

    pub fn get(&self, path: &str) -> Option<&Arc<[u8]>> {
        self.newer.get(path).or_else(|| self.files.get(path))
    }

    pub fn contains(&self, path: &str) -> bool {
        self.get(path).is_some()
    }
}

/// What to send back.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// A file; `html` bodies get the live-reload script injected by the caller.
    File {
        status: u16,
        content_type: &'static str,
        body: Arc<[u8]>,
        html: bool,
    },
    /// 304: the client's copy is current.
    NotModified {
        etag: String,
    },
    Redirect {
        location: String,
    },
    /// The live-reload event stream.
    Events,
    /// 400 for malformed requests.
    BadRequest,
    /// 405: the preview only reads.
    MethodNotAllowed,
}

/// Path of the event stream under the site's base path.
pub const EVENTS_PATH: &str = "__cds/events";

/// Resolves a request. `base_path` is `/` or `/chuyen-doi-so/`.
pub fn resolve(method: &str, raw_url: &str, files: &SiteFiles, base_path: &str) -> Reply {
    if method != "GET" && method != "HEAD" {
        return Reply::MethodNotAllowed;
    }
    let (raw_path, query) = match raw_url.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (raw_url, None),
    };
    if !raw_path.starts_with('/') || raw_path.starts_with("//") {
        return Reply::BadRequest;
    }
    let Some(path) = crate::urls::percent_decode(raw_path) else {
        return Reply::BadRequest;
    };
    if path.contains('\0') {
        return Reply::BadRequest;
    }
    if path.contains('\\') || path.split('/').any(|s| s == ".." || s == ".") {
        return not_found(files);
    }
    let path = crate::text::nfc(&path);
    let Some(rel) = path.strip_prefix(base_path) else {
        // `/chuyen-doi-so` → `/chuyen-doi-so/`, and `/` → the base path.
        if format!("{path}/") == base_path || path == "/" {
            return Reply::Redirect {
                location: with_query(base_path, query),
            };
        }
        return not_found(files);
    };
    if rel == EVENTS_PATH {
        return Reply::Events;
    }
    let key = if rel.is_empty() || rel.ends_with('/') {
        format!("{rel}index.html")
    } else {
        rel.to_owned()
    };
    if let Some(body) = files.get(&key) {
        return file(200, &key, body.clone());
    }
    if files.contains(&format!("{rel}/index.html")) {
        return Reply::Redirect {
            location: with_query(&format!("{path}/"), query),
        };
    }
    not_found(files)
}

fn with_query(path: &str, query: Option<&str>) -> String {
    match query {
        Some(q) => format!("{}?{q}", encode_path(path)),
        None => encode_path(path),
    }
}

fn not_found(files: &SiteFiles) -> Reply {
    match files.get("404.html") {
        Some(body) => file(404, "404.html", body.clone()),
        None => Reply::File {
            status: 404,
            content_type: "text/plain; charset=utf-8",
            body: Arc::from(&b"Kh\xc3\xb4ng t\xc3\xacm th\xe1\xba\xa5y trang."[..]),
            html: false,
        },
    }
}

fn file(status: u16, key: &str, body: Arc<[u8]>) -> Reply {
    let content_type = content_type(key);
    Reply::File {
        status,
        content_type,
        body,
        html: content_type.starts_with("text/html"),
    }
}

/// The `Content-Type` of an output file, by its name.
pub fn content_type(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    if name == crate::urls::FEED {
        return "application/rss+xml; charset=utf-8";
    }
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// A `Location` value a header may carry: [`encode_path`] of it.
pub fn encode_location(location: &str) -> String {
    encode_path(location)
}

/// Percent-encodes what a `Location` header may not carry raw (non-ASCII, spaces, controls).
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_graphic() && b != b'%' {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A strong validator for a body: FNV-1a, 64 bits, quoted.
pub fn etag(body: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in body {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("\"{h:016x}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> SiteFiles {
        let mut files = BTreeMap::new();
        for (k, v) in [
            ("index.html", "<p>home</p>"),
            ("tin-tuc/index.html", "<p>tin</p>"),
            ("tin-tuc/a/index.html", "<p>a</p>"),
            ("tin-tuc/a/ảnh đẹp.jpg", "jpg"),
            ("rss.xml", "<rss/>"),
            ("404.html", "<p>404</p>"),
        ] {
            files.insert(k.to_owned(), Arc::from(v.as_bytes()));
        }
        SiteFiles::of(Arc::new(files))
    }

    fn status(r: &Reply) -> u16 {
        match r {
            Reply::File { status, .. } => *status,
            Reply::NotModified { .. } => 304,
            Reply::Redirect { .. } => 301,
            Reply::Events => 200,
            Reply::BadRequest => 400,
            Reply::MethodNotAllowed => 405,
        }
    }

    #[test]
    fn serves_pages_under_the_base_path_with_their_types() {
        let s = site();
        let r = resolve("GET", "/cds/tin-tuc/a/", &s, "/cds/");
        assert!(
            matches!(&r, Reply::File { status: 200, html: true, body, .. } if &**body == b"<p>a</p>")
        );
        let r = resolve("HEAD", "/cds/rss.xml", &s, "/cds/");
        assert!(matches!(
            r,
            Reply::File {
                content_type: "application/rss+xml; charset=utf-8",
                ..
            }
        ));
        let r = resolve(
            "GET",
            "/cds/tin-tuc/a/%E1%BA%A3nh%20%C4%91%E1%BA%B9p.jpg",
            &s,
            "/cds/",
        );
        assert!(
            matches!(
                r,
                Reply::File {
                    status: 200,
                    content_type: "image/jpeg",
                    ..
                }
            ),
            "{r:?}"
        );
        assert_eq!(
            resolve("GET", "/cds/__cds/events", &s, "/cds/"),
            Reply::Events
        );
        assert_eq!(status(&resolve("POST", "/cds/", &s, "/cds/")), 405);
    }

    #[test]
    fn redirects_folders_without_a_trailing_slash() {
        let s = site();
        assert_eq!(
            resolve("GET", "/cds/tin-tuc/a?x=1", &s, "/cds/"),
            Reply::Redirect {
                location: "/cds/tin-tuc/a/?x=1".into()
            }
        );
        assert_eq!(
            resolve("GET", "/cds", &s, "/cds/"),
            Reply::Redirect {
                location: "/cds/".into()
            }
        );
        assert_eq!(
            resolve("GET", "/", &s, "/cds/"),
            Reply::Redirect {
                location: "/cds/".into()
            }
        );
    }

    #[test]
    fn refuses_every_traversal_spelling() {
        let s = site();
        for url in [
            "/cds/../etc/passwd",
            "/cds/%2e%2e/%2e%2e/etc/passwd",
            "/cds/%2E%2E%2Fetc%2Fpasswd",
            "/cds/..%5c..%5cwindows",
            "/cds/tin-tuc\\..\\x",
            "/cds/./index.html",
            "/cds/%00",
            "//etc/passwd",
            "http://127.0.0.1/etc/passwd",
            "/etc/passwd",
            "/cds/%zz",
            "/cds/%c0%ae%c0%ae/",
        ] {
            let r = resolve("GET", url, &s, "/cds/");
            let ok = matches!(&r, Reply::BadRequest | Reply::File { status: 404, .. });
            assert!(ok, "{url} → {r:?}");
        }
    }

    #[test]
    fn unknown_paths_get_the_sites_404_page() {
        let r = resolve("GET", "/cds/khong-co/", &site(), "/cds/");
        assert!(matches!(&r, Reply::File { status: 404, body, .. } if &**body == b"<p>404</p>"));
    }

    #[test]
    fn content_types_cover_feeds_and_media() {
        assert_eq!(
            content_type("tin-tuc/rss.xml"),
            "application/rss+xml; charset=utf-8"
        );
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("a/B.PDF"), "application/pdf");
        assert_eq!(content_type("a/noext"), "application/octet-stream");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2048))]

        #[test]
        fn no_url_makes_decoding_or_resolving_panic(
            raw in "[%0-9a-fA-F/\\\\.?#:@a-zđ \\x00-\\x1f\\u{80}-\\u{10ffff}]{0,40}",
            method in "GET|HEAD|POST|[A-Z]{0,6}",
        ) {
            let _ = crate::urls::percent_decode(&raw);
            let files = site();
            for url in [raw.clone(), format!("/chuyen-doi-so/{raw}")] {
                let _ = resolve(&method, &url, &files, "/chuyen-doi-so/");
            }
        }
    }
}
