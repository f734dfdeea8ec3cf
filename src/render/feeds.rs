//! Machine-read outputs written without templates, so they are well-formed by construction:
//! RSS 2.0 feeds, `sitemap.xml`, `robots.txt` and alias redirect pages.

use std::fmt::Write;

use chrono::{Datelike, NaiveDate};

use crate::markdown::Bodies;
use crate::site::{PageId, Site};
use crate::urls::UrlPath;

/// An RSS 2.0 feed of `pages` (already newest first), limited to the config's `feed_limit`.
pub fn rss(
    site: &Site,
    bodies: &Bodies,
    title: &str,
    description: &str,
    link: &UrlPath,
    feed: &UrlPath,
    pages: &[PageId],
) -> String {
    let urls = &site.urls;
    let items: Vec<PageId> = pages
        .iter()
        .copied()
        .filter(|&id| site.pages[id].page.meta.date.is_some())
        .take(site.config.feed_limit)
        .collect();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n");
    let _ = writeln!(out, "<title>{}</title>", xml(title));
    let _ = writeln!(out, "<link>{}</link>", xml(&urls.absolute(link)));
    let _ = writeln!(out, "<description>{}</description>", xml(description));
    out.push_str("<language>vi</language>\n");
    let _ = writeln!(
        out,
        "<atom:link href=\"{}\" rel=\"self\" type=\"application/rss+xml\"/>",
        xml(&urls.absolute(feed))
    );
    // The newest item's date, not the clock: the same content gives the same bytes.
    if let Some(date) = items.first().and_then(|&id| site.pages[id].page.meta.date) {
        let _ = writeln!(out, "<lastBuildDate>{}</lastBuildDate>", date.to_rfc2822());
    }
    for id in items {
        let p = &site.pages[id];
        let m = &p.page.meta;
        let url = urls.absolute(&p.path);
        out.push_str("<item>\n");
        let _ = writeln!(out, "<title>{}</title>", xml(&m.title));
        let _ = writeln!(out, "<link>{}</link>", xml(&url));
        let _ = writeln!(out, "<guid isPermaLink=\"true\">{}</guid>", xml(&url));
        if let Some(date) = m.date {
            let _ = writeln!(out, "<pubDate>{}</pubDate>", date.to_rfc2822());
        }
        if let Some(author) = &m.author {
            let _ = writeln!(
                out,
                "<dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">{}</dc:creator>",
                xml(author)
            );
        }
        if let Some(c) = &m.category {
            let _ = writeln!(out, "<category>{}</category>", xml(c));
        }
        let description = match &m.summary {
            Some(s) => xml(s),
            None => xml(&bodies.page(id).summary_html),
        };
        let _ = writeln!(out, "<description>{description}</description>");
        out.push_str("</item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// One `<url>` per page, section and taxonomy page (list pages after the first are left out:
/// they only repeat links).
pub fn sitemap(site: &Site) -> String {
    let urls = &site.urls;
    // Each page's date once: sections take the newest of theirs.
    let lastmods: Vec<Option<NaiveDate>> =
        (0..site.pages.len()).map(|id| lastmod(site, id)).collect();
    let mut entries: Vec<(String, Option<NaiveDate>)> = Vec::new();
    for s in &site.sections {
        let newest = s.pages.iter().filter_map(|&id| lastmods[id]).max();
        entries.push((urls.absolute(&s.path), newest));
    }
    for (p, lastmod) in site.pages.iter().zip(lastmods) {
        entries.push((urls.absolute(&p.path), lastmod));
    }
    for tax in [&site.tags, &site.categories] {
        if tax.terms.is_empty() {
            continue;
        }
        entries.push((urls.absolute(&tax.path), None));
        for t in &tax.terms {
            entries.push((urls.absolute(&t.path), None));
        }
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        out.push_str("<url><loc>");
        push_xml(&mut out, &loc);
        out.push_str("</loc>");
        if let Some(d) = lastmod {
            let _ = write!(
                out,
                "<lastmod>{:04}-{:02}-{:02}</lastmod>",
                d.year(),
                d.month(),
                d.day()
            );
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// The day a page last changed, in its own time zone (what `%Y-%m-%d` of it shows).
fn lastmod(site: &Site, id: PageId) -> Option<NaiveDate> {
    let m = &site.pages[id].page.meta;
    m.updated.or(m.date).map(|d| d.date_naive())
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}\n",
        site.urls.absolute(&UrlPath::file(crate::urls::SITEMAP))
    )
}

/// A redirect page for an old URL; works without JavaScript.
pub fn alias_page(target: &str) -> String {
    let t = xml(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{t}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={t}\">\n</head>\n<body>\n<p>{moved} <a href=\"{t}\">{t}</a>.</p>\n</body>\n</html>\n",
        title = crate::messages::REDIRECT_TITLE,
        moved = crate::messages::REDIRECT_TEXT,
    )
}

/// Escapes text for XML and HTML.
pub fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_xml(&mut out, s);
    out
}

/// Appends `s` to `out`, escaped as [`xml`] does.
fn push_xml(out: &mut String, s: &str) {
    let plain = |b: u8| {
        !matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')
            && (b >= 0x20 || b == b'\n' || b == b'\r' || b == b'\t')
    };
    // U+FFFE and U+FFFF (EF BF BE, EF BF BF) are not characters XML allows either.
    if s.bytes().all(plain) && !s.contains(['\u{FFFE}', '\u{FFFF}']) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}
