//! `cds serve`: builds the site into memory through the same pipeline as `cds build`, serves
//! it on 127.0.0.1 with tiny_http, watches the sources and rebuilds on every save, then tells
//! open tabs to reload over Server-Sent Events. A broken save keeps the last good site served
//! and shows the diagnostics over every page until the file is fixed.

pub mod browser;
pub mod guard;
pub mod http;
pub mod livereload;
pub mod poll;
pub mod watch;

use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, RwLock};
use std::thread;
use std::time::Instant;

use tiny_http::{Header, Request, Response, Server};

use crate::build::{BuildReport, BuildRequest, Builder, Changed, EarlyPage};
use crate::diagnostics::Diagnostic;
use crate::messages::{Message, PreviewText, Step};
use crate::output::Memory;
use crate::urls::Urls;
use http::{Reply, SiteFiles};
use livereload::{Broadcaster, Event};
use watch::{Change, Watcher};

/// What `cds serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    /// Address to listen on; 127.0.0.1 unless `--bind` or `--lan`.
    pub bind: IpAddr,
    /// First port to try; 0 lets the system choose (tests).
    pub port: u16,
    /// Listen on the LAN address so a phone on the same Wi-Fi can preview.
    pub lan: bool,
    /// With `lan`: the editor too, and the secret asked of every request.
    pub lan_edit: bool,
    /// Use the polling watcher (network drives, WSL, some containers).
    pub poll: bool,
}

/// A started watcher and the channel its batches arrive on.
pub struct Watching {
    watcher: Watcher,
    rx: Receiver<watch::Raw>,
    /// For the thread that makes photos, to say they are ready.
    tx: std::sync::mpsc::Sender<watch::Raw>,
    root: PathBuf,
}

/// Shared by the HTTP threads and the rebuild loop.
pub struct State {
    /// The last good build. Replaced whole, so a request sees one build or the next, never a mix.
    site: RwLock<Arc<SiteFiles>>,
    /// The report of the last build, if it failed.
    error: RwLock<Option<String>>,
    pub events: Broadcaster,
    base_path: String,
    /// The browser editor; `None` when the preview is open to the LAN.
    editor: Option<crate::editor::Editor>,
    /// The graph of the last good build, for the editor's list.
    graph: RwLock<Option<Arc<crate::site::Site>>>,
    /// The builder, shared with the rebuild loop: the editor previews unsaved text with it.
    builder: Kept,
    /// `--lan-edit`: every request, pages included, must carry the editor's secret.
    locked: bool,
    /// The files the last build stopped at (the editor's list links them).
    broken: RwLock<Vec<crate::editor::Broken>>,
    /// The `Host` values the site's port answers to, when it is `locked`.
    hosts: Vec<String>,
    /// `http://127.0.0.1:1112`: where `<base>_soan-bai/` on the site's port leads.
    editor_origin: Option<String>,
}

/// The builder kept between saves, and the files of its last build.
type Kept = Arc<std::sync::Mutex<(Builder, Memory)>>;

/// The editor's previews, through the rebuild loop's builder (one at a time with rebuilds).
struct Previews<'a>(&'a Kept);

impl crate::editor::Previewer for Previews<'_> {
    fn preview(
        &self,
        source: &str,
        text: &str,
    ) -> Result<crate::build::PreviewPage, Vec<Diagnostic>> {
        let mut guard = self.0.lock().unwrap_or_else(|e| e.into_inner());
        guard.0.preview(source, text)
    }
}

/// A running preview.
pub struct Preview {
    pub addr: SocketAddr,
    /// `http://127.0.0.1:1111/chuyen-doi-so/`
    pub url: String,
    pub state: Arc<State>,
    /// The public port, until [`Preview::spawn_http`] hands it to the guard.
    listener: std::sync::Mutex<Option<TcpListener>>,
    http: Arc<Http>,
    /// The editor's own port: another origin than the site's, so that no script of a page
    /// (the site's content may hold raw HTML) can read the editor or its secret.
    editor_listener: std::sync::Mutex<Option<TcpListener>>,
    editor_http: Arc<Http>,
    /// Where the editor answers, when it is on.
    pub editor_addr: Option<SocketAddr>,
    root: PathBuf,
    /// Keeps parsed and rendered files, and copied files' bytes, between rebuilds.
    builder: Kept,
    /// Called after each rebuild with a one-line summary (the terminal, or a test).
    pub log: Arc<dyn Fn(String) + Send + Sync>,
    /// Photo threads started whose rebuild has not run yet.
    photos: AtomicUsize,
}

/// Why the preview could not start.
#[derive(Debug)]
pub enum StartError {
    /// No free port among the ones tried.
    NoPort {
        first: u16,
        last: u16,
    },
    /// `--lan` but no LAN address was found.
    NoLanAddress,
    /// The site's configuration cannot be read at all.
    Site(Vec<Diagnostic>),
    Watch(String),
}

/// How many ports after the requested one are tried when it is taken.
const PORT_TRIES: u16 = 20;

impl Preview {
    /// Binds the server and makes the first build (which may fail: the overlay then says why).
    pub fn start(
        opts: &ServeOptions,
        log: Arc<dyn Fn(String) + Send + Sync>,
    ) -> Result<Preview, StartError> {
        let config = crate::config::Config::load(&opts.root).map_err(StartError::Site)?;
        let base_path = Urls::new(&config.base_url).base_path().to_owned();
        let ip = if opts.lan {
            lan_address().ok_or(StartError::NoLanAddress)?
        } else {
            opts.bind
        };
        let (listener, addr) = bind(ip, opts.port)?;
        if opts.port != 0 && addr.port() != opts.port {
            let taken = Message::PortTaken {
                asked: opts.port,
                using: addr.port(),
            };
            log(taken.text());
        }
        let url = format!("http://{}{base_path}", addr);
        // The editor writes files: on this machine only, or on the LAN when asked for; on the
        // port after the site's.
        let (editor, editor_listener) =
            if (ip.is_loopback() && !opts.lan) || (opts.lan && opts.lan_edit) {
                let next = if opts.port == 0 {
                    0
                } else {
                    addr.port().saturating_add(1)
                };
                let (listener, at) = bind(ip, next)?;
                let editor = crate::editor::Editor::new(opts.root.clone(), hosts(at), &url)
                    .map_err(|e| StartError::Watch(e.to_string()))?;
                (Some(editor), Some((listener, at)))
            } else {
                (None, None)
            };
        let req = BuildRequest {
            root: opts.root.clone(),
            base_url: Some(url.clone()),
            drafts: true,
            now: None,
        };
        let builder: Kept = Arc::new(std::sync::Mutex::new((
            serve_builder(req),
            Memory::default(),
        )));
        let state = Arc::new(State {
            site: RwLock::new(Arc::new(SiteFiles::default())),
            error: RwLock::new(None),
            events: Broadcaster::default(),
            base_path,
            editor,
            graph: RwLock::new(None),
            builder: builder.clone(),
            locked: opts.lan && opts.lan_edit,
            broken: RwLock::new(Vec::new()),
            hosts: hosts(addr),
            editor_origin: editor_listener
                .as_ref()
                .map(|(_, at)| format!("http://{at}")),
        });
        let editor_addr = editor_listener.as_ref().map(|(_, at)| *at);
        let preview = Preview {
            addr,
            url,
            state,
            listener: std::sync::Mutex::new(Some(listener)),
            http: Arc::new(Http::default()),
            editor_listener: std::sync::Mutex::new(editor_listener.map(|(l, _)| l)),
            editor_http: Arc::new(Http {
                editor: true,
                ..Http::default()
            }),
            editor_addr,
            root: opts.root.clone(),
            builder,
            log,
            photos: AtomicUsize::new(0),
        };
        preview.rebuild(&BTreeSet::new());
        Ok(preview)
    }

    /// Serves requests on background threads: the guard on the public port, tiny_http
    /// behind it (started again if it ever stops), one thread per request and per open event
    /// stream, at most [`MAX_HANDLERS`] at once.
    pub fn spawn_http(&self) {
        let take = |l: &std::sync::Mutex<Option<TcpListener>>| {
            l.lock().unwrap_or_else(|e| e.into_inner()).take()
        };
        if let Some(listener) = take(&self.listener) {
            self.spawn_one(listener, &self.http, guard::Limits::default());
        }
        if let Some(listener) = take(&self.editor_listener) {
            // The editor's one large body is a photo.
            let limits = guard::Limits {
                max_body: crate::editor::upload::MAX_UPLOAD,
                ..guard::Limits::default()
            };
            self.spawn_one(listener, &self.editor_http, limits);
        }
    }

    fn spawn_one(&self, listener: TcpListener, http: &Arc<Http>, limits: guard::Limits) {
        let Some(server) = backend_server() else {
            (self.log)(Message::PreviewDidNotStart.text());
            return;
        };
        let backend = Arc::new(guard::Backend::new(server_addr(&server)));
        let (serving, state) = (http.clone(), self.state.clone());
        let b = backend.clone();
        thread::spawn(move || serving.serve(server, &b, &state));
        let g = guard::Guard::spawn(listener, backend, limits);
        *http.guard.lock().unwrap_or_else(|e| e.into_inner()) = Some(g);
    }

    /// Rebuilds after `changes` and publishes the result: a swap of the served site and a
    /// `reload` (or `css`) event, or an `error` event keeping the old site.
    pub fn rebuild(&self, changes: &BTreeSet<Change>) {
        let started = Instant::now();
        let what = describe(changes);
        let mut guard = self.builder.lock().unwrap_or_else(|e| e.into_inner());
        let (builder, sink) = &mut *guard;
        builder.invalidate(&to_changed(changes));
        // The edited page is shown as soon as it is made; the rest of the site follows.
        let (mut shown, mut cleared) = (None, false);
        let mut early = |files: &[EarlyPage], photos: &BTreeMap<String, PathBuf>| {
            if let Some(had_error) = self.show_early(files, photos) {
                cleared = had_error;
                shown = Some(started.elapsed());
            }
        };
        match builder.build_with(sink, &mut early) {
            Ok(report) => {
                self.publish(sink);
                *self.state.graph.write().unwrap_or_else(|e| e.into_inner()) = builder.last_site();
                self.state
                    .broken
                    .write()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
                let had_error = self.clear_error() || cleared;
                let css_only = !changes.is_empty() && changes.iter().all(|c| c.css);
                let name = if css_only && !had_error {
                    "css"
                } else {
                    "reload"
                };
                match shown {
                    None => self.state.events.send(&Event {
                        name,
                        data: String::new(),
                    }),
                    // The tabs that showed no edited page fetch theirs now that lists are new.
                    Some(_) => self.state.events.send(&Event::reload_rest()),
                }
                let reloaded = shown.unwrap_or_else(|| started.elapsed());
                // The edited page is on its way; now the search index catches up.
                if let Some(index) = builder.finish_search() {
                    Arc::make_mut(&mut sink.files).extend(index);
                    self.publish(sink);
                    // Pages ignore it; tests and tools learn the index is current.
                    self.state.events.send(&Event {
                        name: "search",
                        data: String::new(),
                    });
                }
                let mut line = summary_line(&what, &report, reloaded);
                if std::env::var_os("CDS_TIMINGS").is_some() {
                    let t = report.timings;
                    let steps = Message::Steps(vec![
                        (Step::Load, t.load),
                        (Step::Graph, t.graph),
                        (Step::Markdown, t.markdown),
                        (Step::Render, t.render),
                        (Step::Search, t.search),
                        (Step::Write, t.write),
                    ]);
                    line.push_str(&steps.text());
                }
                (self.log)(line);
            }
            Err(diags) => {
                let report: String = diags
                    .iter()
                    .map(Diagnostic::render)
                    .collect::<Vec<_>>()
                    .join("\n");
                *self.state.error.write().unwrap_or_else(|e| e.into_inner()) = Some(report.clone());
                *self.state.broken.write().unwrap_or_else(|e| e.into_inner()) =
                    crate::editor::Broken::of(&diags);
                self.state.events.send(&Event {
                    name: "error",
                    data: report.clone(),
                });
                let failed = Message::RebuildFailed {
                    changed: what,
                    summary: crate::diagnostics::summary(&diags),
                    report,
                };
                (self.log)(failed.text());
            }
        }
    }

    /// Serves the files of the edited pages from now on, in the last build's site, and tells
    /// the browser: the rest of the build follows. Everything before templates passed, so the
    /// error shown, if any, is cleared (`Some(whether there was one)`). Not when a page moved
    /// to another address (its old one would still answer): `None`, and the whole build is
    /// shown at once. The photo variants the served site lacks come with the pages: a page
    /// fetched now must find the photos it shows, as no reload follows for it.
    fn show_early(&self, files: &[EarlyPage], photos: &BTreeMap<String, PathBuf>) -> Option<bool> {
        let current = self
            .state
            .site
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        if !files.iter().all(|page| current.contains(&page.file)) {
            return None;
        }
        let had_error = self.clear_error();
        let mut shown = SiteFiles::of(current.files.clone());
        shown.newer = current.newer.clone();
        (shown.newer).extend(
            files
                .iter()
                .map(|page| (page.file.clone(), page.bytes.clone())),
        );
        let missing: Vec<_> = (photos.iter())
            .filter(|(rel, _)| !shown.contains(rel))
            .filter_map(|(rel, disk)| Some((rel.clone(), Arc::from(std::fs::read(disk).ok()?))))
            .collect();
        shown.newer.extend(missing);
        *self.state.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(shown);
        let urls = files.iter().map(|page| page.url.as_str());
        self.state.events.send(&Event::reload_first(urls));
        Some(had_error)
    }

    /// Forgets the error of the last build; whether there was one.
    fn clear_error(&self) -> bool {
        let mut error = self.state.error.write().unwrap_or_else(|e| e.into_inner());
        error.take().is_some()
    }

    /// Serves the files of `sink` from now on.
    fn publish(&self, sink: &Memory) {
        let files = SiteFiles::of(sink.files.clone());
        *self.state.site.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(files);
    }

    /// Starts the watcher; changes made after this returns are seen.
    pub fn start_watching(&self, poll: bool) -> Result<Watching, StartError> {
        let root = watch::absolute_root(&self.root);
        let (tx, rx) = channel();
        let watcher = Watcher::start(&root, poll, tx.clone())
            .map_err(|e| StartError::Watch(e.to_string()))?;
        // The first build's photos: told once they are ready, like any change.
        self.make_photos(&tx);
        Ok(Watching {
            watcher,
            rx,
            tx,
            root,
        })
    }

    /// Rebuilds on every batch of changes, until the watcher is dropped.
    pub fn run(&self, mut w: Watching) {
        while let Some(burst) = watch::next_burst(&w.rx) {
            if watch::has_fallen_back(&burst) {
                (self.log)(Message::WatchFellBack.text());
            }
            let changes = watch::changes(&w.root, &burst);
            if changes.is_empty() {
                continue;
            }
            w.watcher.follow_new_dirs(&w.root, &changes);
            self.rebuild(&changes);
            if changes.iter().any(|c| c.kind == watch::ChangeKind::Photos) {
                self.photos.fetch_sub(1, Ordering::SeqCst);
            }
            self.make_photos(&w.tx);
        }
    }

    /// No photo is being made, and the pages show every photo made.
    pub fn photos_settled(&self) -> bool {
        let guard = self.builder.lock().unwrap_or_else(|e| e.into_inner());
        self.photos.load(Ordering::SeqCst) == 0 && !guard.0.images_pending()
    }

    /// Makes the photos the last build lacked on a thread of their own (a text save never
    /// waits for them); once they are in the cache, a rebuild puts them in the pages.
    pub fn make_photos(&self, tx: &std::sync::mpsc::Sender<watch::Raw>) {
        let work = {
            let mut guard = self.builder.lock().unwrap_or_else(|e| e.into_inner());
            let work = guard.0.image_work();
            if work.is_some() {
                self.photos.fetch_add(1, Ordering::SeqCst);
            }
            work
        };
        if let Some(work) = work {
            let tx = tx.clone();
            thread::spawn(move || {
                work.run();
                let _ = tx.send(Ok(watch::photos_ready()));
            });
        }
    }

    /// The files currently served, as built (before the live-reload script is injected).
    pub fn files(&self) -> std::collections::BTreeMap<String, Vec<u8>> {
        let site = self
            .state
            .site
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        (site.files.iter().chain(&site.newer))
            .map(|(k, v)| (k.clone(), v.to_vec()))
            .collect()
    }

    /// The editor's address with its secret, to print; `None` when it is off.
    pub fn editor_link(&self) -> Option<String> {
        let at = self.editor_addr?;
        self.state
            .editor
            .as_ref()
            .map(|e| e.link(&format!("http://{at}")))
    }

    /// Stops accepting requests and closes open connections.
    pub fn stop(&self) {
        self.http.stop();
        self.editor_http.stop();
    }
}

/// `Đã cập nhật sau khi sửa content/a.md: 35 trang, 12 ms.`
/// `took`: from the change to the `reload` event (the search index follows after).
fn summary_line(what: &str, report: &BuildReport, took: std::time::Duration) -> String {
    let rebuilt = Message::Rebuilt {
        changed: what.to_owned(),
        rendered: report.rendered,
        reused: report.reused,
        took,
    };
    rebuilt.text()
}

/// A builder kept between saves that leaves photos to a thread of their own.
fn serve_builder(req: BuildRequest) -> Builder {
    let mut builder = Builder::keeping(req);
    builder.make_images_later();
    builder
}

fn to_changed(changes: &BTreeSet<Change>) -> Changed {
    use watch::ChangeKind;
    Changed {
        content: changes
            .iter()
            .filter(|c| c.kind == ChangeKind::Content)
            .filter_map(|c| c.path.strip_prefix("content/").map(str::to_owned))
            .collect(),
        // A lost event may have been a template's.
        templates: changes
            .iter()
            .any(|c| matches!(c.kind, ChangeKind::Template | ChangeKind::Rescan)),
        config: changes.iter().any(|c| c.kind == ChangeKind::Config),
        // `content/` itself came, went or was replaced: what is in it is not known either.
        rescan: changes.iter().any(|c| {
            c.kind == ChangeKind::Rescan || (c.kind == ChangeKind::Content && c.path == "content")
        }),
    }
}

fn describe(changes: &BTreeSet<Change>) -> String {
    use watch::ChangeKind;
    if !changes.is_empty() && changes.iter().all(|c| c.kind == ChangeKind::Photos) {
        return Message::PhotosReady.text();
    }
    let named: Vec<&Change> = changes
        .iter()
        .filter(|c| !matches!(c.kind, ChangeKind::Rescan | ChangeKind::Photos))
        .collect();
    let changed = Message::Changed {
        names: named.iter().map(|c| c.path.as_str()).take(3).collect(),
        more: named.len().saturating_sub(3),
        lost: named.is_empty() && !changes.is_empty(),
    };
    changed.text()
}

fn bind(ip: IpAddr, port: u16) -> Result<(TcpListener, SocketAddr), StartError> {
    let last = if port == 0 {
        0
    } else {
        port.saturating_add(PORT_TRIES)
    };
    for p in port..=last {
        if let Ok(listener) = TcpListener::bind(SocketAddr::new(ip, p)) {
            let addr = listener.local_addr().unwrap_or(SocketAddr::new(ip, p));
            return Ok((listener, addr));
        }
    }
    Err(StartError::NoPort { first: port, last })
}

/// The `Host` values the editor answers to: the bound address, and `localhost` on loopback.
fn hosts(addr: SocketAddr) -> Vec<String> {
    let mut hosts = vec![addr.to_string()];
    if addr.ip().is_loopback() {
        hosts.push(format!("localhost:{}", addr.port()));
    }
    // A browser leaves the default port out of `Host`.
    if addr.port() == 80 {
        let bare: Vec<String> = hosts
            .iter()
            .filter_map(|h| h.strip_suffix(":80"))
            .map(str::to_owned)
            .collect();
        hosts.extend(bare);
    }
    hosts
}

/// tiny_http on a loopback port of its own, behind the guard.
fn backend_server() -> Option<Server> {
    Server::http(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0)).ok()
}

fn server_addr(server: &Server) -> SocketAddr {
    server
        .server_addr()
        .to_ip()
        .unwrap_or(SocketAddr::new(IpAddr::V4(Ipv4Addr::LOCALHOST), 0))
}

/// One request being handled, counted until it is dropped.
struct Slot(Arc<AtomicUsize>);

impl Slot {
    fn take(count: &Arc<AtomicUsize>) -> Slot {
        count.fetch_add(1, Ordering::SeqCst);
        Slot(count.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How many requests are handled at once; past it, a request is answered 503 at once. Event
/// streams do not count: they have their own limit ([`livereload::MAX_STREAMS`]).
const MAX_HANDLERS: usize = 256;

/// The HTTP side of a preview: tiny_http's current server, the guard, and the handlers.
#[derive(Default)]
struct Http {
    /// The editor's port: every request is the editor's.
    editor: bool,
    stopped: AtomicBool,
    server: std::sync::Mutex<Option<Arc<Server>>>,
    guard: std::sync::Mutex<Option<Arc<guard::Guard>>>,
    handlers: Arc<AtomicUsize>,
}

impl Http {
    /// Hands each request to a thread of its own; when tiny_http stops (its accept loop ends
    /// at the first failed accept, or panics), starts it again on a new port and tells the
    /// guard, which notices first: the old port refuses connections.
    fn serve(&self, mut server: Server, backend: &guard::Backend, state: &Arc<State>) {
        let tick = std::time::Duration::from_millis(200);
        loop {
            let shared = Arc::new(server);
            *self.server.lock().unwrap_or_else(|e| e.into_inner()) = Some(shared.clone());
            while !backend.is_dead() && !self.stopped.load(Ordering::Relaxed) {
                match shared.recv_timeout(tick) {
                    Ok(Some(request)) => self.dispatch(request, state),
                    Ok(None) => {}
                    Err(_) => break,
                }
            }
            if self.stopped.load(Ordering::Relaxed) {
                return;
            }
            server = loop {
                if let Some(s) = backend_server() {
                    break s;
                }
                thread::sleep(std::time::Duration::from_millis(50));
            };
            backend.set(server_addr(&server));
        }
    }

    fn dispatch(&self, request: Request, state: &Arc<State>) {
        let slot = Slot::take(&self.handlers);
        if slot.0.load(Ordering::SeqCst) > MAX_HANDLERS {
            let _ = request.respond(text_response(503, PreviewText::Busy.text()));
            return;
        }
        let (state, editor) = (state.clone(), self.editor);
        let _ =
            thread::Builder::new().spawn(move || match state.editor.as_ref().filter(|_| editor) {
                Some(e) => edit(request, e, &state),
                None => handle(request, &state, slot),
            });
    }

    fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        if let Some(g) = self.guard.lock().unwrap_or_else(|e| e.into_inner()).take() {
            g.stop();
        }
        if let Some(s) = self.server.lock().unwrap_or_else(|e| e.into_inner()).take() {
            s.unblock();
        }
    }
}

/// The address other machines on the LAN reach this one at: the source address the system
/// would use for an outside destination. A UDP `connect` only picks a route; nothing is sent.
pub fn lan_address() -> Option<IpAddr> {
    let socket = UdpSocket::bind(SocketAddr::new(IpAddr::V4(Ipv4Addr::UNSPECIFIED), 0)).ok()?;
    socket.connect("192.0.2.1:9").ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
}

/// A QR code of `url` drawn with Unicode half blocks, to scan from a phone.
pub fn qr_code(url: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    Some(
        code.render::<qrcode::render::unicode::Dense1x2>()
            .dark_color(qrcode::render::unicode::Dense1x2::Light)
            .light_color(qrcode::render::unicode::Dense1x2::Dark)
            .build(),
    )
}

fn handle(request: Request, state: &State, slot: Slot) {
    if let Some(editor) = state.editor.as_ref() {
        let (host, cookie) = (header(&request, "Host"), header(&request, "Cookie"));
        let known_host = host.as_ref().is_some_and(|h| state.hosts.contains(h));
        if state.locked && !(known_host && editor.admits(cookie.as_deref())) {
            let _ = request.respond(text_response(403, PreviewText::Locked.text()));
            return;
        }
    }
    // The editor's old address on the site's port leads to its own port, `?khoa=` kept.
    if let Some(origin) = &state.editor_origin {
        let (path, query) = request.url().split_once('?').unwrap_or((request.url(), ""));
        if path.trim_end_matches('/') == format!("{}_soan-bai", state.base_path) {
            let query = if query.is_empty() {
                String::new()
            } else {
                format!("?{query}")
            };
            let location = format!("{origin}/{query}");
            let to = Response::from_data(Vec::new()).with_status_code(303);
            let _ =
                request.respond(to.with_header(h("Location", &http::encode_location(&location))));
            return;
        }
    }
    let method = request.method().as_str().to_owned();
    let if_none_match = header(&request, "If-None-Match");
    let site = state.site.read().unwrap_or_else(|e| e.into_inner()).clone();
    let reply = http::resolve(&method, request.url(), &site, &state.base_path);
    let response = match reply {
        Reply::Events => {
            // A stream lasts as long as its tab: it leaves the request count, so open tabs
            // never keep pages from being served.
            drop(slot);
            let rx = state.events.subscribe();
            let first = state
                .error
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .clone()
                .map(|data| Event {
                    name: "error",
                    data,
                });
            livereload::stream(request.into_writer(), rx, first);
            return;
        }
        Reply::File {
            status,
            content_type,
            body,
            html,
        } => {
            let body: Vec<u8> = if html {
                let error = state
                    .error
                    .read()
                    .unwrap_or_else(|e| e.into_inner())
                    .clone();
                livereload::inject(&body, &state.base_path, error.as_deref())
            } else {
                body.to_vec()
            };
            let etag = http::etag(&body);
            if status == 200 && if_none_match.as_deref() == Some(etag.as_str()) {
                Response::from_data(Vec::new())
                    .with_status_code(304)
                    .with_header(h("ETag", &etag))
            } else {
                Response::from_data(body)
                    .with_status_code(status)
                    .with_header(h("Content-Type", content_type))
                    .with_header(h("ETag", &etag))
                    .with_header(h("Cache-Control", "no-cache"))
            }
        }
        Reply::NotModified { etag } => Response::from_data(Vec::new())
            .with_status_code(304)
            .with_header(h("ETag", &etag)),
        Reply::Redirect { location } => Response::from_data(Vec::new())
            .with_status_code(301)
            .with_header(h("Location", &location)),
        Reply::BadRequest => text_response(400, PreviewText::BadRequest.text()),
        Reply::MethodNotAllowed => text_response(405, PreviewText::MethodNotAllowed.text())
            .with_header(h("Allow", "GET, HEAD")),
    };
    let _ = request.respond(response);
}

/// A request for the browser editor: its body read (the guard capped its size), answered.
fn edit(mut request: Request, editor: &crate::editor::Editor, state: &State) {
    use std::io::Read as _;
    let (host, origin) = (header(&request, "Host"), header(&request, "Origin"));
    let (fetch_site, cookie) = (
        header(&request, "Sec-Fetch-Site"),
        header(&request, "Cookie"),
    );
    let token = header(&request, crate::editor::access::TOKEN_HEADER);
    let (method, url) = (
        request.method().as_str().to_owned(),
        request.url().to_owned(),
    );
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let mut asked = crate::editor::Request {
        asked: crate::editor::access::Asked {
            method: &method,
            query: (!query.is_empty()).then_some(query),
            host: host.as_deref(),
            origin: origin.as_deref(),
            fetch_site: fetch_site.as_deref(),
            cookie: cookie.as_deref(),
            token_header: token.as_deref(),
        },
        path,
        body: &[],
    };
    // Refused before its body is read: a stranger's upload never reaches memory.
    if let Some(refusal) = editor.refuses(&asked) {
        return respond(request, refusal);
    }
    let mut body = Vec::new();
    // The guard has checked the length the head declared; this bounds what is read anyway.
    let limit = crate::editor::upload::MAX_UPLOAD + 1;
    if request
        .as_reader()
        .take(limit)
        .read_to_end(&mut body)
        .is_err()
    {
        let _ = request.respond(text_response(400, PreviewText::BadRequest.text()));
        return;
    }
    asked.body = &body;
    let graph = state
        .graph
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let broken = state
        .broken
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    let served = crate::editor::Served {
        site: graph.as_ref(),
        broken: &broken,
        previewer: &Previews(&state.builder),
    };
    let answer = editor.handle(&asked, &served);
    respond(request, answer);
}

fn respond(request: Request, answer: crate::editor::Answer) {
    let mut response = Response::from_data(answer.body)
        .with_status_code(answer.status)
        .with_header(h("Content-Type", answer.content_type))
        .with_header(h("Cache-Control", "no-store"));
    for (name, value) in &answer.headers {
        response = response.with_header(h(name, value));
    }
    let _ = request.respond(response);
}

fn text_response(status: u16, text: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(text.as_bytes().to_vec())
        .with_status_code(status)
        .with_header(h("Content-Type", "text/plain; charset=utf-8"))
}

fn header(request: &Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|hd| hd.field.equiv(name))
        .map(|hd| hd.value.as_str().to_owned())
}

fn h(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draws_a_scannable_qr_code_of_the_url() {
        let qr = qr_code("http://192.168.1.20:1111/chuyen-doi-so/").expect("qr");
        let lines: Vec<&str> = qr.lines().collect();
        assert!(lines.len() > 10, "{qr}");
        assert!(
            lines
                .iter()
                .all(|l| l.chars().count() == lines[0].chars().count()),
            "square"
        );
        assert!(qr.contains('█') || qr.contains('▀') || qr.contains('▄'));
    }

    #[test]
    fn describes_changes_in_one_line() {
        let change = |p: &str| Change {
            kind: watch::ChangeKind::Content,
            path: p.into(),
            css: false,
        };
        let one: BTreeSet<Change> = [change("content/a.md")].into();
        assert_eq!(describe(&one), "Thay đổi ở content/a.md. ");
        let many: BTreeSet<Change> = [
            "content/a.md",
            "content/b.md",
            "content/c.md",
            "content/d.md",
            "content/e.md",
        ]
        .iter()
        .map(|p| change(p))
        .collect();
        assert_eq!(
            describe(&many),
            "Thay đổi ở content/a.md, content/b.md, content/c.md và 2 tệp khác. "
        );
    }
}
