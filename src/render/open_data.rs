//! Open data (Luật Giao dịch điện tử 2023, Điều 43): every published document with its fields
//! and its chain as `du-lieu/van-ban.json` and `du-lieu/van-ban.csv`, the JSON Schema of the
//! first as `du-lieu/van-ban.schema.json`, and the latest news as a JSON Feed 1.1
//! (`du-lieu/tin-bai.json`). Written without templates and from the site alone (no clock), so
//! the same content gives the same bytes. `docs/du-lieu-mo.md` documents each field.

use serde::Serialize;

use crate::content::PageKind;
use crate::markdown::Bodies;
use crate::site::{PageId, Site};
use crate::urls::UrlPath;

/// Where the open data lives under the site.
pub const DIR: &str = "du-lieu";
pub const DOCUMENTS_JSON: &str = "du-lieu/van-ban.json";
pub const DOCUMENTS_CSV: &str = "du-lieu/van-ban.csv";
pub const DOCUMENTS_SCHEMA: &str = "du-lieu/van-ban.schema.json";
pub const NEWS_FEED: &str = "du-lieu/tin-bai.json";

/// The JSON Schema of `van-ban.json`, published beside it.
const SCHEMA: &str = include_str!("van-ban.schema.json");

#[derive(Serialize)]
struct Documents<'a> {
    #[serde(rename = "$schema")]
    schema: String,
    title: String,
    publisher: &'a str,
    home_page_url: String,
    /// The newest issue or publication date among the documents.
    updated: Option<String>,
    documents: Vec<Document<'a>>,
}

#[derive(Serialize)]
struct Document<'a> {
    number: Option<String>,
    #[serde(rename = "type")]
    doc_type: Option<&'a str>,
    title: &'a str,
    #[serde(rename = "abstract")]
    abstract_text: &'a str,
    issuer: Option<&'a str>,
    signer: Option<&'a str>,
    issued: Option<String>,
    effective: Option<String>,
    level: Option<&'a str>,
    url: String,
    file: Option<String>,
    source: Option<&'a str>,
    implements: Vec<String>,
    implemented_by: Vec<String>,
    published: Option<String>,
}

/// The published documents, by number (unnumbered ones after, by title).
fn document_ids(site: &Site) -> Vec<PageId> {
    let mut ids: Vec<PageId> = (0..site.pages.len())
        .filter(|&id| site.pages[id].page.kind == PageKind::Document)
        .collect();
    let key = |id: &PageId| {
        let p = &site.pages[*id].page;
        let number = p.meta.document.as_ref().and_then(|d| d.number.as_ref());
        (
            number.is_none(),
            number.map(|n| n.value.to_string()).unwrap_or_default(),
            p.meta.title.clone(),
        )
    };
    ids.sort_by_key(key);
    ids
}

fn number_of(site: &Site, id: PageId) -> String {
    let p = &site.pages[id].page;
    p.meta
        .document
        .as_ref()
        .and_then(|d| d.number.as_ref())
        .map(|n| n.value.to_string())
        .unwrap_or_else(|| p.meta.title.clone())
}

fn day(d: &chrono::DateTime<chrono::FixedOffset>) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn documents(site: &Site) -> Vec<Document<'_>> {
    let urls = &site.urls;
    document_ids(site)
        .into_iter()
        .filter_map(|id| {
            let sp = &site.pages[id];
            let m = &sp.page.meta;
            let d = m.document.as_ref()?;
            Some(Document {
                number: d.number.as_ref().map(|n| n.value.to_string()),
                doc_type: d.doc_type.as_deref(),
                title: &m.title,
                abstract_text: &d.abstract_text,
                issuer: d.issuer.as_deref(),
                signer: d.signer.as_deref(),
                issued: d.issued.as_ref().map(day),
                effective: d.effective.as_ref().map(day),
                level: d.level.as_deref(),
                url: urls.absolute(&sp.path),
                file: (d.file.as_deref())
                    .map(|f| super::context::absolute_asset_url(urls, &sp.asset_base, f)),
                source: d.source.as_deref(),
                implements: sp.implements.iter().map(|&i| number_of(site, i)).collect(),
                implemented_by: sp
                    .implemented_by
                    .iter()
                    .map(|&i| number_of(site, i))
                    .collect(),
                published: m.date.as_ref().map(day),
            })
        })
        .collect()
}

/// `du-lieu/van-ban.json`.
pub fn documents_json(site: &Site) -> String {
    let docs = documents(site);
    let updated = docs
        .iter()
        .flat_map(|d| [d.issued.clone(), d.published.clone()])
        .flatten()
        .max();
    let all = Documents {
        schema: site.urls.absolute(&UrlPath::file(DOCUMENTS_SCHEMA)),
        title: format!(
            "{}: {}",
            site.config.title,
            crate::messages::OPEN_DATA_DOCUMENTS
        ),
        publisher: &site.config.organization.governing_body,
        home_page_url: site.urls.absolute(&UrlPath::default()),
        updated,
        documents: docs,
    };
    let mut text = serde_json::to_string_pretty(&all).unwrap_or_default();
    text.push('\n');
    text
}

/// `du-lieu/van-ban.csv`: the same rows for Excel (UTF-8 with a BOM, CRLF), columns named in
/// Vietnamese, chains joined by `; `.
pub fn documents_csv(site: &Site) -> String {
    let mut out = String::from('\u{feff}');
    out.push_str(&crate::messages::OPEN_DATA_CSV_HEADER.join(","));
    out.push_str("\r\n");
    for d in documents(site) {
        let row = [
            d.number.unwrap_or_default(),
            d.doc_type.unwrap_or_default().to_owned(),
            d.title.to_owned(),
            d.abstract_text.to_owned(),
            d.issuer.unwrap_or_default().to_owned(),
            d.signer.unwrap_or_default().to_owned(),
            d.issued.unwrap_or_default(),
            d.effective.unwrap_or_default(),
            d.level.unwrap_or_default().to_owned(),
            d.url,
            d.file.unwrap_or_default(),
            d.source.unwrap_or_default().to_owned(),
            d.implements.join("; "),
            d.implemented_by.join("; "),
        ];
        let fields: Vec<String> = row.iter().map(|f| crate::report::csv_field(f)).collect();
        out.push_str(&fields.join(","));
        out.push_str("\r\n");
    }
    out
}

/// `du-lieu/van-ban.schema.json`, with its own address filled in.
pub fn documents_schema(site: &Site) -> String {
    SCHEMA.replace(
        "{{id}}",
        &site.urls.absolute(&UrlPath::file(DOCUMENTS_SCHEMA)),
    )
}

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: String,
    feed_url: String,
    description: &'a str,
    language: &'static str,
    authors: Vec<Author<'a>>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
}

#[derive(Serialize)]
struct Item<'a> {
    id: String,
    url: String,
    title: &'a str,
    content_html: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    date_published: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
}

/// `du-lieu/tin-bai.json`: JSON Feed 1.1 of the `feed_limit` newest dated items.
pub fn news_feed(site: &Site, bodies: &Bodies, newest: &[PageId]) -> String {
    let urls = &site.urls;
    let items = newest
        .iter()
        .copied()
        .take(site.config.feed_limit)
        .filter_map(|id| {
            let p = &site.pages[id];
            let m = &p.page.meta;
            let url = urls.absolute(&p.path);
            Some(Item {
                id: url.clone(),
                url,
                title: &m.title,
                content_html: bodies.page(id).summary_html.to_string(),
                summary: m.summary.as_deref(),
                date_published: m.date?.to_rfc3339(),
                date_modified: m.updated.map(|d| d.to_rfc3339()),
                tags: m.tags.iter().map(String::as_str).collect(),
                authors: m
                    .author
                    .as_deref()
                    .map(|name| Author { name })
                    .into_iter()
                    .collect(),
            })
        })
        .collect();
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: &site.config.title,
        home_page_url: urls.absolute(&UrlPath::default()),
        feed_url: urls.absolute(&UrlPath::file(NEWS_FEED)),
        description: &site.config.description,
        language: "vi",
        authors: vec![Author {
            name: &site.config.organization.content_manager,
        }],
        items,
    };
    let mut text = serde_json::to_string_pretty(&feed).unwrap_or_default();
    text.push('\n');
    text
}
