//! The one place that turns site paths into URLs, so a sub-path `base_url`
//! (`https://daihai.cantho.gov.vn/chuyen-doi-so/`) works everywhere: templates, feeds, sitemap,
//! redirects. Nothing else concatenates URLs.

use std::fmt;

/// A path inside the site, relative to its base, without a leading `/`: `tin-tuc/a/`,
/// `rss.xml`, `` for the home page. Folder paths end with `/`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default, serde::Serialize)]
pub struct UrlPath(String);

/// The name of every feed: the site's (`rss.xml`) and each section's and term's beside it.
pub const FEED: &str = "rss.xml";
/// The search page's folder; the index lives under it ([`SEARCH_INDEX`]).
pub const SEARCH: &str = "tim-kiem";
/// Files every build writes at the root, without templates.
/// The folder of the search index's files in the output.
pub const SEARCH_INDEX: &str = "tim-kiem/chi-muc";
pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

impl UrlPath {
    /// The feed of the section or term at this folder (`tin-tuc/rss.xml`; `rss.xml` at the
    /// root).
    pub fn feed(&self) -> UrlPath {
        self.join(FEED)
    }

    /// The search page.
    pub fn search() -> UrlPath {
        UrlPath::folder([SEARCH])
    }

    /// Builds a path from already-slugified segments; the result is a folder (`a/b/`).
    pub fn folder<'a>(segments: impl IntoIterator<Item = &'a str>) -> UrlPath {
        let mut s = String::new();
        for seg in segments.into_iter().filter(|s| !s.is_empty()) {
            s.push_str(seg.trim_matches('/'));
            s.push('/');
        }
        UrlPath(s)
    }

    /// A file path (`rss.xml`, `tin-tuc/rss.xml`); `path` must not start with `/`.
    pub fn file(path: &str) -> UrlPath {
        UrlPath(path.trim_start_matches('/').to_owned())
    }

    /// This folder plus one more segment (a folder) or file name.
    pub fn join(&self, rest: &str) -> UrlPath {
        UrlPath(format!("{}{}", self.0, rest.trim_start_matches('/')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_folder(&self) -> bool {
        self.0.is_empty() || self.0.ends_with('/')
    }

    /// The output file this path is written to: folders get `index.html`.
    pub fn output_file(&self) -> String {
        if self.is_folder() {
            format!("{}index.html", self.0)
        } else {
            self.0.clone()
        }
    }
}

impl fmt::Display for UrlPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Builds links from `base_url`.
#[derive(Debug, Clone, Hash)]
pub struct Urls {
    /// `https://daihai.cantho.gov.vn` (no trailing slash).
    origin: String,
    /// `/chuyen-doi-so/` (always starts and ends with `/`).
    base_path: String,
}

impl Urls {
    pub fn new(base_url: &str) -> Urls {
        let (scheme, rest) = base_url.split_once("://").unwrap_or(("https", base_url));
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let path = path.trim_matches('/');
        let base_path = if path.is_empty() {
            "/".to_owned()
        } else {
            format!("/{path}/")
        };
        Urls {
            origin: format!("{scheme}://{host}"),
            base_path,
        }
    }

    /// Root-relative link for pages (`/chuyen-doi-so/tin-tuc/a/`): works on any host, so the
    /// same HTML serves a phone on the LAN and the real domain.
    pub fn href(&self, path: &UrlPath) -> String {
        [self.base_path.as_str(), path.as_str()].concat()
    }

    /// Absolute URL for feeds, sitemap, canonical and Open Graph tags.
    pub fn absolute(&self, path: &UrlPath) -> String {
        [self.origin.as_str(), self.base_path.as_str(), path.as_str()].concat()
    }

    /// `https://daihai.cantho.gov.vn`, without a path.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The base path, `/` or `/chuyen-doi-so/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or bytes that are not UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_the_sub_path_of_base_url() {
        let u = Urls::new("https://daihai.cantho.gov.vn/chuyen-doi-so/");
        let p = UrlPath::folder(["tin-tuc", "ra-mat"]);
        assert_eq!(u.href(&p), "/chuyen-doi-so/tin-tuc/ra-mat/");
        assert_eq!(
            u.absolute(&p),
            "https://daihai.cantho.gov.vn/chuyen-doi-so/tin-tuc/ra-mat/"
        );
        assert_eq!(u.href(&UrlPath::default()), "/chuyen-doi-so/");
        let no_slash = Urls::new("https://daihai.cantho.gov.vn/chuyen-doi-so");
        assert_eq!(
            no_slash.href(&UrlPath::file("rss.xml")),
            "/chuyen-doi-so/rss.xml"
        );
        let root = Urls::new("http://127.0.0.1:1111");
        assert_eq!(
            root.absolute(&UrlPath::file("sitemap.xml")),
            "http://127.0.0.1:1111/sitemap.xml"
        );
    }

    #[test]
    fn folders_map_to_index_html() {
        assert_eq!(
            UrlPath::folder(["tin-tuc", "trang", "2"]).output_file(),
            "tin-tuc/trang/2/index.html"
        );
        assert_eq!(UrlPath::default().output_file(), "index.html");
        assert_eq!(UrlPath::file("404.html").output_file(), "404.html");
    }
}
