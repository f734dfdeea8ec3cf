//! The browser editor, served by `cds serve` on a port of its own (the one after the
//! site's): a list of every page, a new page from a section and a title, a form generated
//! from the schema with a live preview, photos into the page's bundle; it saves the same
//! Markdown files (the files stay the only place content lives). Its own origin keeps the
//! scripts of the site's pages (raw HTML in content, the theme's) from reading it or its
//! secret. Its HTML, CSS and JavaScript are embedded in the binary (`ui/`); nothing is
//! downloaded.
//!
//! Every request passes [`access`] first (the secret, `Host`, `Origin`), before its body is
//! read; reading and writing go through [`files`] and [`upload`] only. [`Editor::handle`]
//! maps a request to an [`Answer`]; the server (`serve/mod.rs`) only moves bytes.

pub mod access;
pub mod catalog;
mod edit;
pub mod files;
pub mod form;
mod ui;
pub mod upload;

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;
use serde_json::Value as Json;

use crate::build::PreviewPage;
use crate::diagnostics::Diagnostic;
use crate::messages::EditorText;
use crate::site::Site;
use access::{Access, Asked, Rules};
use files::Refused;

/// Renders a page from unsaved text through the preview's pipeline (`serve`'s builder).
pub trait Previewer: Send + Sync {
    fn preview(&self, source: &str, text: &str) -> Result<PreviewPage, Vec<Diagnostic>>;
}

/// What the preview serves now, as the editor sees it.
pub struct Served<'a> {
    /// The graph of the last good build.
    pub site: Option<&'a Arc<Site>>,
    /// The files the last build stopped at, when it failed.
    pub broken: &'a [Broken],
    pub previewer: &'a dyn Previewer,
}

/// A file with an error that stops the build: the list links it, so that an editor can open
/// and fix it even when no build has ever succeeded.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Broken {
    /// From the site root: `content/tin-tuc/a.md`.
    pub path: String,
    /// The problem as the terminal shows it.
    pub message: String,
}

impl Broken {
    /// The content files `diags` name, each with its first error.
    pub fn of(diags: &[Diagnostic]) -> Vec<Broken> {
        let mut out: Vec<Broken> = Vec::new();
        for d in diags.iter().filter(|d| d.is_error()) {
            let path = d.path.to_string_lossy().replace('\\', "/");
            if path.starts_with("content/")
                && path.ends_with(".md")
                && !out.iter().any(|b| b.path == path)
            {
                out.push(Broken {
                    path,
                    message: d.render(),
                });
            }
        }
        out
    }
}

/// The list when no build has succeeded yet: no pages, only the files to fix.
#[derive(serde::Serialize)]
struct Unlisted<'a> {
    sections: [(); 0],
    pages: [(); 0],
    categories: [(); 0],
    tags: [(); 0],
    documents: [(); 0],
    broken: &'a [Broken],
}

impl<'a> Unlisted<'a> {
    fn new(broken: &'a [Broken]) -> Unlisted<'a> {
        Unlisted {
            sections: [],
            pages: [],
            categories: [],
            tags: [],
            documents: [],
            broken,
        }
    }
}

/// Where photos and attachments are sent: the one request whose body may be larger than a
/// page's text ([`upload::MAX_UPLOAD`]).
pub const UPLOAD: &str = "api/upload";

/// The editor of one preview.
#[derive(Debug)]
pub struct Editor {
    rules: Rules,
    root: PathBuf,
    /// The preview of the site, `http://127.0.0.1:1111/chuyen-doi-so/`: another origin than
    /// the editor's, whose pages it frames and links.
    site_url: String,
    /// The list of pages as last sent, and the build it was made from: a list view at
    /// 10,000 pages does not serialise 5 MB again until the next build.
    listed: std::sync::Mutex<Option<Listed>>,
    /// Held by every request that writes, so that a save's check of the version it opened
    /// and its rename happen with no other write between them.
    writing: std::sync::Mutex<()>,
}

/// A list of pages as JSON, and the graph it was made from.
type Listed = (std::sync::Weak<Site>, Arc<[u8]>);

/// One request, as the server read it: the head the access rules look at, its path and
/// its body.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub asked: Asked<'a>,
    /// The path, without the query (which is in `asked`).
    pub path: &'a str,
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
    /// An editor for the site at `root`, answering on `hosts` (`127.0.0.1:1112`…), the site
    /// previewed at `site_url`, with a new secret.
    pub fn new(root: PathBuf, hosts: Vec<String>, site_url: &str) -> std::io::Result<Editor> {
        // Cookies ignore ports: the name holds the editor's, so that two previews on one
        // machine keep their own secrets.
        let port = hosts
            .first()
            .and_then(|h| h.rsplit(':').next())
            .unwrap_or_default();
        let cookie = format!("{}_{port}", access::COOKIE);
        Ok(Editor {
            rules: Rules::new(access::new_token()?, hosts, cookie),
            root,
            site_url: site_url.to_owned(),
            listed: std::sync::Mutex::new(None),
            writing: std::sync::Mutex::new(()),
        })
    }

    /// The link to print: the editor's address (`http://127.0.0.1:1112`) with the secret.
    pub fn link(&self, origin: &str) -> String {
        format!("{origin}/?{}={}", access::TOKEN_PARAM, self.rules.token())
    }

    /// The answer to a request the rules refuse (or the redirect that keeps the printed
    /// link's secret), decided from its head alone.
    pub fn refuses(&self, req: &Request) -> Option<Answer> {
        match self.rules.check(&req.asked) {
            Access::Allow => None,
            Access::KeepToken => Some(Answer {
                status: 303,
                content_type: "text/plain; charset=utf-8",
                body: Vec::new(),
                headers: vec![
                    ("Set-Cookie", self.rules.cookie("/")),
                    ("Location", "/".into()),
                ],
            }),
            Access::Deny(why) => Some(error(403, &EditorText::Denied(why).text())),
        }
    }

    /// Whether a request for a preview page carries the secret (`--lan-edit`, where every
    /// page asks for it; the server checks its `Host`).
    pub fn admits(&self, cookie: Option<&str>) -> bool {
        self.rules.holds_secret(cookie)
    }

    /// Answers one request about the site as `served`.
    pub fn handle(&self, req: &Request, served: &Served) -> Answer {
        let (site, previewer) = (served.site, served.previewer);
        let (path, query) = (req.path, req.asked.query.unwrap_or(""));
        if let Some(refusal) = self.refuses(req) {
            return refusal;
        }
        let rel = path.strip_prefix('/').unwrap_or(path);
        match (req.asked.method, rel) {
            ("GET", "") => ui::page(self.rules.token(), &self.site_url, &self.root),
            ("GET", "app.js") => ui::script(),
            ("GET", "app.css") => ui::style(),
            ("GET", "api/pages") => match site {
                Some(site) => self.list(site, served.broken),
                None if !served.broken.is_empty() => json(200, &Unlisted::new(served.broken)),
                None => error(503, &EditorText::NoSiteYet.text()),
            },
            ("GET", "api/file") => self.open(query, site),
            ("POST", "api/save") => self.one_at_a_time(|| self.save(req.body, site)),
            ("POST", "api/new") => self.one_at_a_time(|| self.create(req.body)),
            ("POST", "api/preview") => self.preview(req.body, site, previewer),
            ("POST", UPLOAD) => self.one_at_a_time(|| self.upload(query, req.body)),
            ("GET" | "POST", _) => error(404, &EditorText::NoSuchAction.text()),
            _ => error(405, &EditorText::NoSuchAction.text()),
        }
    }

    fn one_at_a_time(&self, write: impl FnOnce() -> Answer) -> Answer {
        let _writing = self.writing.lock().unwrap_or_else(|e| e.into_inner());
        write()
    }

    /// The list of pages of `site`, made once per build, and the files the last build
    /// stopped at.
    fn list(&self, site: &Arc<Site>, broken: &[Broken]) -> Answer {
        let mut listed = self.listed.lock().unwrap_or_else(|e| e.into_inner());
        let body = match &*listed {
            Some((of, body)) if std::sync::Weak::ptr_eq(of, &Arc::downgrade(site)) => body.clone(),
            _ => {
                let body: Arc<[u8]> = serde_json::to_vec(&catalog::of(site))
                    .unwrap_or_default()
                    .into();
                *listed = Some((Arc::downgrade(site), body.clone()));
                body
            }
        };
        // The list's last key is added here, as it changes without a new graph.
        let mut out = body[..body.len().saturating_sub(1)].to_vec();
        out.extend_from_slice(b",\"broken\":");
        out.extend(serde_json::to_vec(broken).unwrap_or_else(|_| b"[]".to_vec()));
        out.push(b'}');
        Answer {
            status: 200,
            content_type: JSON,
            body: out,
            headers: Vec::new(),
        }
    }

    fn open(&self, query: &str, site: Option<&Arc<Site>>) -> Answer {
        let Some(rel) = access::query_param(query, "path") else {
            return error(400, &EditorText::BadRequest.text());
        };
        match files::open(&self.root, &rel) {
            Ok(opened) => {
                let form = self.form_of(&rel, &opened.text, site);
                let mut reply = serde_json::json!({
                    "path": rel, "text": opened.text, "version": opened.version,
                });
                if let Some(form) = form {
                    reply["kind"] = form.kind.as_str().into();
                    reply["form"] = serde_json::to_value(&form.spec).unwrap_or_default();
                    reply["values"] = Json::Object(form.values);
                    reply["body"] = form.body.into();
                }
                json(200, &reply)
            }
            Err(refused) => refusal(&refused),
        }
    }

    /// The form of a page's file, when its front matter can be read; `None` sends the editor
    /// to the file's text (a section's `_index.md`, a broken front matter).
    fn form_of(&self, rel: &str, text: &str, site: Option<&Arc<Site>>) -> Option<Form> {
        if rel.ends_with("/_index.md") {
            return None;
        }
        let text = plain_text(text);
        let split = crate::content::front_matter::split(&text).ok()?;
        let yaml = crate::yaml::value(split.yaml)?;
        let kind = site.map_or(crate::content::PageKind::Article, |s| {
            catalog::kind_of(s, rel)
        });
        let categories = match site {
            Some(site) => site.config.categories.clone(),
            None => crate::config::Config::load(&self.root).ok()?.categories,
        };
        let spec = form::spec(kind, &categories);
        Some(Form {
            kind,
            values: form::values(&yaml, &spec),
            spec,
            body: split.body.to_owned(),
        })
    }

    fn save(&self, body: &[u8], site: Option<&Arc<Site>>) -> Answer {
        #[derive(Deserialize)]
        struct Save {
            path: String,
            version: String,
            /// The whole file (the text view).
            text: Option<String>,
            /// The form's values and the body (the form view).
            values: Option<serde_json::Map<String, Json>>,
            body: Option<String>,
            /// The values and body the form was opened with: only what the editor changed
            /// since is written, so a field changed on disk meanwhile is kept.
            #[serde(default)]
            base: Option<Base>,
        }
        let Ok(save) = serde_json::from_slice::<Save>(body) else {
            return error(400, &EditorText::BadRequest.text());
        };
        let text = match (save.text, save.values) {
            (Some(text), _) => text,
            (None, Some(values)) => {
                match self.with_form(&save.path, &values, save.body, save.base, site) {
                    Ok(text) => text,
                    Err(answer) => return answer,
                }
            }
            (None, None) => return error(400, &EditorText::BadRequest.text()),
        };
        match files::save(&self.root, &save.path, &save.version, &text) {
            Ok(saved) => {
                let mut reply =
                    serde_json::json!({ "version": saved.version, "written": saved.written });
                if let Some(form) = self.form_of(&save.path, &text, site) {
                    reply["values"] = Json::Object(form.values);
                    reply["body"] = Json::String(form.body);
                }
                json(200, &reply)
            }
            Err(refused) => refusal(&refused),
        }
    }

    /// The file's text with the form's `values` and `body` written in: only the lines of the
    /// fields that changed (since `base`, when given; else from the file's). Checked by
    /// reading it back: a text that would not say what the form said is never written.
    fn with_form(
        &self,
        rel: &str,
        values: &serde_json::Map<String, Json>,
        body: Option<String>,
        base: Option<Base>,
        site: Option<&Arc<Site>>,
    ) -> Result<String, Answer> {
        let opened = files::open(&self.root, rel).map_err(|r| refusal(&r))?;
        let cannot = || error(400, &EditorText::FormCannotWrite.text());
        let form = self.form_of(rel, &opened.text, site).ok_or_else(cannot)?;
        let text = plain_text(&opened.text);
        let split = crate::content::front_matter::split(&text).map_err(|_| cannot())?;
        let since = base.as_ref().map_or(&form.values, |b| &b.values);
        let changes = form::changes(since, values, &form.spec);
        // A body the editor left as it was opened keeps the file's.
        let body = body.filter(|b| base.as_ref().is_none_or(|base| base.body != *b));
        let yaml = edit::apply(split.yaml, &changes);
        let reread = crate::yaml::value(&yaml).map(|v| form::values(&v, &form.spec));
        if reread != Some(form::merged(&form.values, &changes)) {
            return Err(cannot());
        }
        let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
        let yaml_end = yaml_start + split.yaml.len();
        let body = body.map_or_else(|| split.body.to_owned(), |b| b.replace("\r\n", "\n"));
        Ok([
            &text[..yaml_start],
            &yaml,
            &text[yaml_end..split.body_offset],
            &body,
        ]
        .concat())
    }

    /// The page as the unsaved form or text would make it, and the build's diagnostics,
    /// each placed at its field or body line.
    fn preview(&self, body: &[u8], site: Option<&Arc<Site>>, previewer: &dyn Previewer) -> Answer {
        #[derive(Deserialize)]
        struct Unsaved {
            path: String,
            text: Option<String>,
            values: Option<serde_json::Map<String, Json>>,
            body: Option<String>,
        }
        let Ok(unsaved) = serde_json::from_slice::<Unsaved>(body) else {
            return error(400, &EditorText::BadRequest.text());
        };
        if let Err(refused) = files::locate(&self.root, &unsaved.path) {
            return refusal(&refused);
        }
        let text = match (unsaved.text, unsaved.values) {
            (Some(text), _) => text,
            (None, Some(values)) => {
                match self.with_form(&unsaved.path, &values, unsaved.body, None, site) {
                    Ok(text) => text,
                    Err(answer) => return answer,
                }
            }
            (None, None) => return error(400, &EditorText::BadRequest.text()),
        };
        let text = plain_text(&crate::text::nfc(&text));
        let source = unsaved
            .path
            .strip_prefix("content/")
            .unwrap_or(&unsaved.path);
        let placed = |diags: &[Diagnostic]| -> Vec<Json> {
            diags
                .iter()
                .map(|d| placed(d, &unsaved.path, &text))
                .collect()
        };
        match previewer.preview(source, &text) {
            Ok(page) => json(
                200,
                &serde_json::json!({
                    "html": String::from_utf8_lossy(&page.html),
                    "url": page.url,
                    "diagnostics": placed(&page.warnings),
                }),
            ),
            Err(diags) => json(200, &serde_json::json!({ "diagnostics": placed(&diags) })),
        }
    }

    /// A photo or attachment for the page `path`, named `name`, the body its bytes.
    fn upload(&self, query: &str, bytes: &[u8]) -> Answer {
        let (Some(path), Some(name)) = (
            access::query_param(query, "path"),
            access::query_param(query, "name"),
        ) else {
            return error(400, &EditorText::BadRequest.text());
        };
        let name = crate::text::nfc(&name);
        match upload::upload(&self.root, &path, &name, bytes) {
            Ok(done) => json(
                201,
                &serde_json::json!({ "path": done.page, "name": done.name, "use": done.used }),
            ),
            Err(upload::UploadRefused::Files(refused)) => refusal(&refused),
            Err(why) => {
                let status = if why == upload::UploadRefused::TooLarge {
                    413
                } else {
                    400
                };
                error(status, &EditorText::Upload(&why).text())
            }
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

/// A diagnostic for the editor: its text as the terminal shows it, and where it belongs in
/// the form: a field (`title`, `document.number`) or a line of the body.
/// What a form was opened with (see [`Editor::save`]).
#[derive(Deserialize)]
struct Base {
    values: serde_json::Map<String, Json>,
    body: String,
}

fn placed(d: &Diagnostic, path: &str, text: &str) -> Json {
    let here = d.path.to_string_lossy().replace('\\', "/") == path && d.line > 0;
    let split = crate::content::front_matter::split(text).ok();
    let (mut field, mut body_line) = (None, None);
    if let (true, Some(split)) = (here, split) {
        if d.line < split.body_line {
            field = edit::field_at(split.yaml, d.line.saturating_sub(split.yaml_line) + 1);
        } else {
            body_line = Some(d.line - split.body_line + 1);
        }
    }
    serde_json::json!({
        "text": d.render(),
        "message": d.kind.message(),
        "hint": d.kind.hint(),
        "error": d.is_error(),
        "here": here,
        "line": d.line,
        "field": field,
        "body_line": body_line,
    })
}

/// A page's form as the editor opens it.
struct Form {
    kind: crate::content::PageKind,
    spec: Vec<form::FieldSpec>,
    values: serde_json::Map<String, Json>,
    body: String,
}

/// A file's text without its byte-order mark, with `\n` line ends: what the parser reads.
fn plain_text(text: &str) -> String {
    text.strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n")
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
