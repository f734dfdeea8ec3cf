//! The browser editor, served by `cds serve` under `<base>_soan-bai/`: a list of every page,
//! a new page from a section and a title, and an edit view that saves the same Markdown files
//! (the files stay the only place content lives). Its HTML, CSS and JavaScript are embedded
//! in the binary (`ui/`); nothing is downloaded.
//!
//! Every request passes [`access`] first (the secret, `Host`, `Origin`); reading and writing
//! go through [`files`] only. [`Editor::handle`] maps a request to an [`Answer`]; the server
//! (`serve/mod.rs`) only moves bytes.

pub mod access;
pub mod catalog;
pub mod files;
mod ui;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use crate::messages::EditorText;
use crate::site::Site;
use access::{Access, Asked, Rules};
use files::Refused;

/// The editor's folder under the site's base path.
pub const FOLDER: &str = "_soan-bai/";

/// The editor of one preview.
#[derive(Debug)]
pub struct Editor {
    rules: Rules,
    root: PathBuf,
    /// `/chuyen-doi-so/_soan-bai/`.
    base: String,
    /// The site's base path, `/chuyen-doi-so/`.
    site_base: String,
}

/// One request, as the server read it.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub method: &'a str,
    /// Path and query, as sent.
    pub url: &'a str,
    pub host: Option<&'a str>,
    pub origin: Option<&'a str>,
    pub fetch_site: Option<&'a str>,
    pub cookie: Option<&'a str>,
    pub token_header: Option<&'a str>,
    pub body: &'a [u8],
}

/// What to send back.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(&'static str, String)>,
}

const JSON: &str = "application/json; charset=utf-8";

impl Editor {
    /// An editor for the site at `root`, answering on `hosts` (`127.0.0.1:1111`…), with a
    /// new secret.
    pub fn new(root: PathBuf, hosts: Vec<String>, site_base: &str) -> std::io::Result<Editor> {
        Ok(Editor {
            rules: Rules::new(access::new_token()?, hosts),
            root,
            base: format!("{site_base}{FOLDER}"),
            site_base: site_base.to_owned(),
        })
    }

    /// The link to print: the editor's address with the secret.
    pub fn link(&self, origin: &str) -> String {
        format!(
            "{origin}{}?{}={}",
            self.base,
            access::TOKEN_PARAM,
            self.rules.token()
        )
    }

    /// Whether a request path is the editor's.
    pub fn owns(&self, url: &str) -> bool {
        let path = url.split('?').next().unwrap_or(url);
        path.starts_with(&self.base) || format!("{path}/") == self.base
    }

    /// Answers one request; `site` is the last good build's graph.
    pub fn handle(&self, req: &Request, site: Option<&Arc<Site>>) -> Answer {
        let (path, query) = req.url.split_once('?').unwrap_or((req.url, ""));
        let asked = Asked {
            method: req.method,
            query: (!query.is_empty()).then_some(query),
            host: req.host,
            origin: req.origin,
            fetch_site: req.fetch_site,
            cookie: req.cookie,
            token_header: req.token_header,
        };
        match self.rules.check(&asked) {
            Access::Allow => {}
            Access::KeepToken => {
                return Answer {
                    status: 303,
                    content_type: "text/plain; charset=utf-8",
                    body: Vec::new(),
                    headers: vec![
                        ("Set-Cookie", self.rules.cookie(&self.base)),
                        ("Location", self.base.clone()),
                    ],
                };
            }
            Access::Deny(why) => return error(403, &EditorText::Denied(why).text()),
        }
        let rel = path.strip_prefix(&self.base).unwrap_or("");
        match (req.method, rel) {
            ("GET", "") => ui::page(self.rules.token(), &self.base, &self.site_base),
            ("GET", "app.js") => ui::script(),
            ("GET", "app.css") => ui::style(),
            ("GET", "api/pages") => match site {
                Some(site) => json(200, &catalog::of(site)),
                None => error(503, &EditorText::NoSiteYet.text()),
            },
            ("GET", "api/file") => self.open(query),
            ("POST", "api/save") => self.save(req.body),
            ("POST", "api/new") => self.create(req.body),
            ("GET" | "POST", _) => error(404, &EditorText::NoSuchAction.text()),
            _ => error(405, &EditorText::NoSuchAction.text()),
        }
    }

    fn open(&self, query: &str) -> Answer {
        let Some(rel) = access::query_param(query, "path") else {
            return error(400, &EditorText::BadRequest.text());
        };
        match files::open(&self.root, &rel) {
            Ok(opened) => json(
                200,
                &serde_json::json!({ "path": rel, "text": opened.text, "version": opened.version }),
            ),
            Err(refused) => refusal(&refused),
        }
    }

    fn save(&self, body: &[u8]) -> Answer {
        #[derive(Deserialize)]
        struct Save {
            path: String,
            version: String,
            text: String,
        }
        let Ok(save) = serde_json::from_slice::<Save>(body) else {
            return error(400, &EditorText::BadRequest.text());
        };
        match files::save(&self.root, &save.path, &save.version, &save.text) {
            Ok(saved) => json(
                200,
                &serde_json::json!({ "version": saved.version, "written": saved.written }),
            ),
            Err(refused) => refusal(&refused),
        }
    }

    fn create(&self, body: &[u8]) -> Answer {
        #[derive(Deserialize)]
        struct New {
            section: String,
            title: String,
        }
        let Ok(new) = serde_json::from_slice::<New>(body) else {
            return error(400, &EditorText::BadRequest.text());
        };
        let req = crate::new::NewRequest {
            root: self.root.clone(),
            section: new.section,
            title: crate::text::nfc(new.title.trim()),
            bundle: false,
            now: crate::build::now_in_vietnam(),
        };
        match crate::new::new_page(&req) {
            Ok(created) => {
                let path = created.path.to_string_lossy().replace('\\', "/");
                json(201, &serde_json::json!({ "path": path }))
            }
            Err(diags) => {
                let text: Vec<String> = diags.iter().map(|d| d.render()).collect();
                error(400, &text.join("\n"))
            }
        }
    }
}

/// A refused read or save, as JSON: what went wrong, and for a conflict the file as it is.
fn refusal(refused: &Refused) -> Answer {
    let message = EditorText::Refused(refused).text();
    match refused {
        Refused::Changed { text, version } => json(
            409,
            &serde_json::json!({ "error": message, "text": text, "version": version }),
        ),
        Refused::Missing => error(404, &message),
        Refused::Io(_) => error(500, &message),
        _ => error(400, &message),
    }
}

fn json(status: u16, value: &impl serde::Serialize) -> Answer {
    let body = serde_json::to_vec(value).unwrap_or_default();
    Answer {
        status,
        content_type: JSON,
        body,
        headers: Vec::new(),
    }
}

fn error(status: u16, message: &str) -> Answer {
    json(status, &serde_json::json!({ "error": message }))
}
