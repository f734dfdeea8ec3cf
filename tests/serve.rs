//! The preview server over real HTTP on 127.0.0.1: pages, types, caching, redirects, refusing
//! traversal, live reload after edits, the error overlay, and many clients during rebuilds.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use cds::serve::{Preview, ServeOptions};
use common::{CONFIG, Fixture};

struct Running {
    fixture: Fixture,
    preview: Arc<Preview>,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.preview.stop();
    }
}

fn site() -> Fixture {
    let f = Fixture::new(CONFIG);
    f.file("content/_index.md", "---\ntitle: Trang chủ\n---\n")
        .file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
        .file(
            "content/tin-tuc/a.md",
            "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNội dung bản đầu.\n",
        )
        .file(
            "content/tin-tuc/nhap.md",
            "---\ntitle: Bài nháp\ndraft: true\n---\nNháp.\n",
        )
        .file(
            "content/tin-tuc/anh/index.md",
            "---\ntitle: Bài ảnh\ndate: 2026-01-06\n---\n![ảnh](ảnh đẹp.png)\n",
        )
        .bytes("content/tin-tuc/anh/ảnh đẹp.png", &common::png(6, 4))
        .bytes("content/tin-tuc/anh/kế hoạch.pdf", b"%PDF-1.4 DATA");
    f
}

fn start(f: Fixture) -> Running {
    start_with(f, false)
}

/// `poll`: the polling watcher of `cds serve --poll` instead of the system's notifications.
fn start_with(f: Fixture, poll: bool) -> Running {
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let opts = ServeOptions {
        root: f.root().to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        lan: false,
        lan_edit: false,
        poll,
    };
    let preview = Preview::start(&opts, Arc::new(move |line| sink.lock().unwrap().push(line)))
        .expect("start");
    preview.spawn_http();
    let preview = Arc::new(preview);
    let watching = preview.start_watching(poll).expect("watch");
    let runner = preview.clone();
    thread::spawn(move || runner.run(watching));
    // The fixture's photos are made in the background; their rebuild is not a test's.
    let waited = Instant::now();
    while !preview.photos_settled() {
        assert!(
            waited.elapsed() < Duration::from_secs(30),
            "photos never made"
        );
        thread::sleep(Duration::from_millis(5));
    }
    Running {
        fixture: f,
        preview,
        log,
    }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
}

/// Sends one raw request (the path is sent as is, like `curl --path-as-is`).
fn request(addr: SocketAddr, method: &str, path: &str, extra: &str) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extra}\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map_or(raw.len(), |i| i + 4);
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let mut body = raw[split..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    Reply { status, head, body }
}

fn dechunk(mut b: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(i) = b.windows(2).position(|w| w == b"\r\n") {
        let len = usize::from_str_radix(std::str::from_utf8(&b[..i]).unwrap_or("0").trim(), 16)
            .unwrap_or(0);
        if len == 0 || b.len() < i + 2 + len {
            break;
        }
        out.extend_from_slice(&b[i + 2..i + 2 + len]);
        b = &b[(i + 4 + len).min(b.len())..];
    }
    out
}

fn get(r: &Running, path: &str) -> Reply {
    request(r.preview.addr, "GET", path, "")
}

/// An open event stream, read until a wanted text shows up.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(r: &Running) -> Events {
        let mut stream = TcpStream::connect(r.preview.addr).unwrap();
        write!(
            stream,
            "GET /chuyen-doi-so/__cds/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        )
        .unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut e = Events {
            stream,
            seen: String::new(),
        };
        e.wait_for("retry: 500");
        e
    }

    /// Waits (at most 10 s) for `needle` after what was already consumed; returns the text
    /// received up to and including it.
    fn wait_for(&mut self, needle: &str) -> String {
        self.wait_within(needle, Duration::from_secs(10))
            .unwrap_or_else(|| panic!("no `{needle}` in event stream; got: {}", self.seen))
    }

    /// Waits for the reload after a whole build: when the edited pages were served first,
    /// the one that follows them (`data: rest`).
    fn reloaded(&mut self) {
        self.wait_for("event: reload\n");
        if self.wait_for("\n\n").starts_with("data: first") {
            self.wait_for("event: reload\ndata: rest\n");
        }
    }

    /// `wait_for` with a timeout; `None` when nothing came.
    fn wait_within(&mut self, needle: &str, limit: Duration) -> Option<String> {
        let deadline = Instant::now() + limit;
        loop {
            if let Some(i) = self.seen.find(needle) {
                let upto = i + needle.len();
                let got = self.seen[..upto].to_owned();
                self.seen = self.seen[upto..].to_owned();
                return Some(got);
            }
            if Instant::now() >= deadline {
                return None;
            }
            let mut buf = [0u8; 4096];
            if let Ok(n) = self.stream.read(&mut buf) {
                self.seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        }
    }
}

#[test]
fn serves_pages_types_caching_redirects_and_404() {
    let r = start(site());
    let page = get(&r, "/chuyen-doi-so/tin-tuc/a/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("Content-Type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text().contains("Nội dung bản đầu."));
    assert!(
        page.text()
            .contains("new EventSource(\"/chuyen-doi-so/__cds/events\")"),
        "reload script injected"
    );
    assert!(
        !page.text().contains("<a href=\"http://127.0.0.1"),
        "links are root-relative, so they work from a phone"
    );

    let etag = page.header("ETag").expect("etag");
    let again = request(
        r.preview.addr,
        "GET",
        "/chuyen-doi-so/tin-tuc/a/",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());

    let head = request(r.preview.addr, "HEAD", "/chuyen-doi-so/rss.xml", "");
    assert_eq!(head.status, 200);
    assert_eq!(
        head.header("Content-Type").as_deref(),
        Some("application/rss+xml; charset=utf-8")
    );
    assert!(head.body.is_empty());

    let redirect = get(&r, "/chuyen-doi-so/tin-tuc");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("Location").as_deref(),
        Some("/chuyen-doi-so/tin-tuc/")
    );
    assert_eq!(
        get(&r, "/").header("Location").as_deref(),
        Some("/chuyen-doi-so/")
    );

    let missing = get(&r, "/chuyen-doi-so/khong-co/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.text().contains("Không tìm thấy trang"),
        "the site's own 404 page"
    );

    let attachment = get(
        &r,
        "/chuyen-doi-so/tin-tuc/anh/k%E1%BA%BF%20ho%E1%BA%A1ch.pdf",
    );
    assert_eq!(attachment.status, 200, "Vietnamese file names are served");
    assert_eq!(attachment.body, b"%PDF-1.4 DATA");

    let draft = get(&r, "/chuyen-doi-so/tin-tuc/nhap/");
    assert_eq!(draft.status, 200);
    assert!(
        draft.text().contains("Bản nháp: trang này chưa được đăng"),
        "drafts shown with a banner"
    );
}

#[test]
fn never_serves_anything_outside_the_built_site() {
    let f = site();
    let secret = f.root().join("bi-mat.txt");
    std::fs::write(&secret, "MẬT KHẨU").unwrap();
    std::fs::create_dir_all(f.root().join("static")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(&secret, f.root().join("static/lien-ket.txt")).unwrap();
    let r = start(f);
    for path in [
        "/chuyen-doi-so/../bi-mat.txt",
        "/chuyen-doi-so/%2e%2e/bi-mat.txt",
        "/chuyen-doi-so/%2E%2E%2Fbi-mat.txt",
        "/chuyen-doi-so/..%5cbi-mat.txt",
        "/chuyen-doi-so/..\\bi-mat.txt",
        "/chuyen-doi-so/%00/../bi-mat.txt",
        "/chuyen-doi-so/config.yaml",
        "/chuyen-doi-so/content/tin-tuc/a.md",
        "//bi-mat.txt",
        "/chuyen-doi-so/lien-ket.txt",
        &format!("{}", r.fixture.root().join("bi-mat.txt").display()),
    ] {
        let reply = get(&r, path);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path} → {}",
            reply.status
        );
        assert!(!reply.text().contains("MẬT KHẨU"), "{path} leaked the file");
        assert!(
            !reply.text().contains("base_url"),
            "{path} leaked config.yaml"
        );
    }
}

#[test]
fn reloads_after_an_edit_and_shows_errors_until_fixed() {
    let r = start(site());
    let mut events = Events::open(&r);
    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNội dung bản hai.\n",
    );
    events.reloaded();
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/a/")
            .text()
            .contains("Nội dung bản hai.")
    );

    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ntags: [a, b\n---\nNội dung bản ba.\n",
    );
    events.wait_for("event: error");
    let report = events.wait_for("\n\n");
    assert!(report.contains("content/tin-tuc/a.md:"), "{report}");
    let page = get(&r, "/chuyen-doi-so/tin-tuc/a/").text();
    assert!(
        page.contains("Nội dung bản hai."),
        "the last good page is still served"
    );
    assert!(
        page.contains("<div id=\"cds-overlay\"") && page.contains("content/tin-tuc/a.md:"),
        "overlay shown"
    );

    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNội dung bản bốn.\n",
    );
    events.reloaded();
    let page = get(&r, "/chuyen-doi-so/tin-tuc/a/").text();
    assert!(page.contains("Nội dung bản bốn."), "{page}");
    assert!(
        !page.contains("<div id=\"cds-overlay\""),
        "overlay gone once fixed"
    );
    let log = r.log.lock().unwrap().join("\n");
    assert!(log.contains("Thay đổi ở content/tin-tuc/a.md."), "{log}");
}

#[test]
fn the_polling_watcher_sees_edits_new_and_removed_pages() {
    let r = start_with(site(), true);
    let mut events = Events::open(&r);
    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNhìn thấy nhờ dò định kỳ.\n",
    );
    events.reloaded();
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/a/")
            .text()
            .contains("Nhìn thấy nhờ dò định kỳ.")
    );
    // Saved again at once, same size: only the modification time, to the nanosecond, differs.
    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNhìn thấy nhờ dò định kỳ!\n",
    );
    events.reloaded();
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/a/")
            .text()
            .contains("Nhìn thấy nhờ dò định kỳ!")
    );
    r.fixture
        .file("content/tin-tuc/moi.md", "---\ntitle: Bài mới\n---\nMới.\n");
    events.reloaded();
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/moi/").status, 200);
    std::fs::remove_file(r.fixture.root().join("content/tin-tuc/moi.md")).unwrap();
    events.reloaded();
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/moi/").status, 404);
}

#[test]
fn a_replaced_content_folder_is_read_again() {
    let r = start(site());
    let mut events = Events::open(&r);
    let root = r.fixture.root();
    common::copy_dir(&root.join("content"), &root.join("moi"));
    std::fs::write(
        root.join("moi/tin-tuc/them.md"),
        "---\ntitle: Bài thêm\n---\nThêm.\n",
    )
    .unwrap();
    // Swapped in whole: the watcher names the folder, not the files in it.
    std::fs::rename(root.join("content"), root.join("cu")).unwrap();
    std::fs::rename(root.join("moi"), root.join("content")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while get(&r, "/chuyen-doi-so/tin-tuc/them/").status != 200 {
        assert!(
            Instant::now() < deadline,
            "the new folder's page never appeared"
        );
        events.wait_within("event: ", Duration::from_secs(2));
    }
    settle_and_compare(&r, &mut events);
}

/// A page that moves to another address in an edit is gone from the old one by the time the
/// browser is told to reload (the edited page is not shown ahead of the rest then).
#[test]
fn a_page_moved_by_an_edit_is_gone_from_its_old_address_at_the_reload() {
    let r = start(site());
    let mut events = Events::open(&r);
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/a/").status, 200);
    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\nslug: dia-chi-moi\n---\nĐã chuyển.\n",
    );
    events.reloaded();
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/a/").status, 404);
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/dia-chi-moi/")
            .text()
            .contains("Đã chuyển.")
    );
}

#[test]
fn follows_created_deleted_and_renamed_pages() {
    let r = start(site());
    let mut events = Events::open(&r);
    r.fixture
        .file("content/tin-tuc/moi.md", "---\ntitle: Bài mới\n---\nMới.\n");
    events.reloaded();
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/moi/").status, 200);

    let root = r.fixture.root();
    std::fs::rename(
        root.join("content/tin-tuc/moi.md"),
        root.join("content/tin-tuc/doi-ten.md"),
    )
    .unwrap();
    events.reloaded();
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/moi/").status, 404);
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/doi-ten/").status, 200);

    std::fs::remove_file(root.join("content/tin-tuc/doi-ten.md")).unwrap();
    events.reloaded();
    assert_eq!(get(&r, "/chuyen-doi-so/tin-tuc/doi-ten/").status, 404);

    // An editor's atomic save: write a temp file, rename it over the page.
    std::fs::write(
        root.join("content/tin-tuc/.a.md.tmp"),
        "---\ntitle: Bài A\n---\nLưu kiểu nguyên tử.\n",
    )
    .unwrap();
    std::fs::rename(
        root.join("content/tin-tuc/.a.md.tmp"),
        root.join("content/tin-tuc/a.md"),
    )
    .unwrap();
    events.reloaded();
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/a/")
            .text()
            .contains("Lưu kiểu nguyên tử.")
    );
}

#[test]
fn a_stylesheet_change_swaps_css_without_reload() {
    let f = site();
    f.file("static/css/site.css", "body{color:#000}");
    let r = start(f);
    let mut events = Events::open(&r);
    r.fixture.file("static/css/site.css", "body{color:#111}");
    events.wait_for("event: css");
    assert_eq!(
        get(&r, "/chuyen-doi-so/css/site.css").text(),
        "body{color:#111}"
    );
}

#[test]
fn hundred_clients_during_rebuilds_get_whole_pages() {
    let r = start(site());
    let addr = r.preview.addr;
    let clients: Vec<_> = (0..100)
        .map(|i| {
            thread::spawn(move || {
                let path = [
                    "/chuyen-doi-so/",
                    "/chuyen-doi-so/tin-tuc/",
                    "/chuyen-doi-so/tin-tuc/a/",
                ][i % 3];
                (0..5)
                    .map(|_| {
                        let reply = request(addr, "GET", path, "");
                        let whole = reply.text().trim_end().ends_with("</html>");
                        (reply.status, whole, reply.text())
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    for n in 0..5 {
        r.fixture.file(
            "content/tin-tuc/a.md",
            &format!("---\ntitle: Bài A\n---\nLần {n}.\n"),
        );
        thread::sleep(Duration::from_millis(30));
    }
    for c in clients {
        for (status, whole, text) in c.join().expect("client thread") {
            assert_eq!(status, 200, "{text}");
            assert!(whole, "a partial page was served");
        }
    }
}

/// Waits for the served site to settle after an edit and checks it against a full build. A
/// write can reach the watcher as two events (truncate, then data): when the served site is
/// not yet the final one, another rebuild and reload follow; the search index follows its own
/// `search` event.
fn settle_and_compare(r: &Running, events: &mut Events) {
    // Photos are made on a thread of their own; their rebuild comes when they are.
    let waited = Instant::now();
    while !r.preview.photos_settled() {
        assert!(
            waited.elapsed() < Duration::from_secs(60),
            "photos never made"
        );
        events.wait_within("event: ", Duration::from_millis(100));
    }
    let mut settled = same_as_full_build(r);
    while !settled
        && events
            .wait_within("event: ", Duration::from_secs(2))
            .is_some()
    {
        settled = same_as_full_build(r);
    }
    if let Err(difference) = compare_with_full_build(r) {
        panic!("{difference}");
    }
}

fn log_since(r: &Running, from: usize) -> String {
    r.log.lock().unwrap()[from..].join("\n")
}

/// Front matter of `a.md` in the body-edit test; its edits change only the body.
const A_HEAD: &str = "---\ntitle: Bài A\ndate: 2026-01-05\ntags: [VNeID]\n---\n";

/// Saves `a.md` with `body`, waits for the site to settle, and returns what `serve` logged.
fn save_body(r: &Running, events: &mut Events, body: &str) -> String {
    let from = r.log.lock().unwrap().len();
    r.fixture
        .file("content/tin-tuc/a.md", &format!("{A_HEAD}{body}"));
    events.reloaded();
    settle_and_compare(r, events);
    log_since(r, from)
}

/// How many pages a rebuild logged it rendered again (`Đã dựng lại N trang có thay đổi`),
/// `None` when it rendered every page.
fn rendered_again(log: &str) -> Option<usize> {
    let rest = log.split("Đã dựng lại ").nth(1)?;
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    number.parse().ok()
}

#[test]
fn an_edit_of_a_body_renders_only_that_page_again() {
    let f = site();
    f.file(
        "content/tin-tuc/a.md",
        &format!("{A_HEAD}Đoạn đầu.\n\n## Mục\n\nThân bài.\n"),
    )
    .file(
        "content/tin-tuc/b.md",
        "---\ntitle: Bài B\ndate: 2026-01-04\n---\nXem [A](@/tin-tuc/a.md#muc).\n",
    );
    let r = start(f);
    let mut events = Events::open(&r);

    // Below the first paragraph: nothing but the page itself shows it.
    let log = save_body(
        &r,
        &mut events,
        "Đoạn đầu.\n\n## Mục\n\nThân bài sửa, có từ khóa độcnhất.\n",
    );
    assert_eq!(rendered_again(&log), Some(1), "{log}");
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/a/")
            .text()
            .contains("độcnhất")
    );
    // The search index followed (the comparison waited for it), as after a whole build.
    let mut index = String::new();
    for (path, bytes) in r.preview.files() {
        if path.starts_with("tim-kiem/chi-muc/") {
            index.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    assert!(
        index.contains("\"fdocnhat\""),
        "the new word is in the index"
    );

    // The first paragraph is the summary that lists and feeds show: they are rendered again
    // too, and nothing else.
    let log = save_body(
        &r,
        &mut events,
        "Đoạn đầu mới.\n\n## Mục\n\nThân bài sửa.\n",
    );
    let lists = rendered_again(&log).unwrap_or(usize::MAX);
    assert!((2..8).contains(&lists), "{log}");

    // A heading another page links to: the build reports the broken anchor.
    r.fixture.file(
        "content/tin-tuc/a.md",
        &format!("{A_HEAD}Đoạn đầu mới.\n\n## Mục khác\n\nThân bài sửa.\n"),
    );
    events.wait_for("event: error");
    let report = events.wait_for("\n\n");
    assert!(report.contains("content/tin-tuc/b.md:"), "{report}");

    // Fixed, then edited again: one page, as before the error.
    save_body(
        &r,
        &mut events,
        "Đoạn đầu mới.\n\n## Mục\n\nThân bài sửa.\n",
    );
    let log = save_body(
        &r,
        &mut events,
        "Đoạn đầu mới.\n\n## Mục\n\nThân bài sửa lần nữa.\n",
    );
    assert_eq!(rendered_again(&log), Some(1), "{log}");
}

#[test]
fn a_title_edit_renders_again_only_the_files_that_show_it() {
    let f = site();
    let page = |title: &str, date: &str, extra: &str| {
        format!("---\ntitle: {title}\ndate: {date}\ntags: [VNeID]\n{extra}---\nThân bài.\n")
    };
    f.file("content/tin-tuc/a.md", &page("Bài A", "2026-01-05", ""))
        .file("content/tin-tuc/b.md", &page("Bài B", "2026-01-05", ""))
        .file("content/tin-tuc/c.md", &page("Bài C", "2026-01-03", ""));
    let r = start(f);
    let mut events = Events::open(&r);
    let save = |events: &mut Events, text: &str| {
        let from = r.log.lock().unwrap().len();
        r.fixture.file("content/tin-tuc/c.md", text);
        events.reloaded();
        settle_and_compare(&r, events);
        rendered_again(&log_since(&r, from))
    };
    // Title and author: the page, its neighbour, the lists and the tag page show them; the
    // other pages are the bytes of the last build.
    let title = save(
        &mut events,
        &page("Bài C sửa", "2026-01-03", "author: Tổ CNS\n"),
    );
    assert!(title.is_some_and(|n| n > 1), "{title:?}");
    let neighbour = get(&r, "/chuyen-doi-so/tin-tuc/b/").text();
    assert!(neighbour.contains("Bài C sửa"), "{neighbour}");
    // A new date moves the page, a title that ties on the date reorders, new tags make a
    // new term page: each is still rendered from the files that changed, and equals a full
    // build (each save compares).
    save(
        &mut events,
        &page("Bài C sửa", "2026-01-05", "author: Tổ CNS\n"),
    );
    save(
        &mut events,
        &page("Bài 0", "2026-01-05", "author: Tổ CNS\n"),
    );
    save(
        &mut events,
        &page("Bài 00", "2026-01-05", "author: Tổ CNS\n").replace("[VNeID]", "[VNeID, Zalo]"),
    );
}

#[test]
fn a_list_page_is_told_to_reload_only_once_its_list_is_new() {
    let f = site();
    let page = |title: &str| format!("---\ntitle: {title}\ndate: 2026-01-09\n---\nThân bài.\n");
    f.file("content/tin-tuc/c.md", &page("Bài C"));
    let r = start(f);
    let mut events = Events::open(&r);
    r.fixture
        .file("content/tin-tuc/c.md", &page("Bài C đổi tên"));
    // The edited page is served first, and only its tab is told to fetch it …
    events.wait_for("event: reload\n");
    let first = events.wait_for("\n\n");
    assert!(first.starts_with("data: first\n"), "{first}");
    assert!(
        first.contains("data: /chuyen-doi-so/tin-tuc/c/\n"),
        "{first}"
    );
    assert!(
        !first.contains("data: /chuyen-doi-so/tin-tuc/\n"),
        "{first}"
    );
    assert!(
        get(&r, "/chuyen-doi-so/tin-tuc/c/")
            .text()
            .contains("Bài C đổi tên")
    );
    // … the other tabs once the whole site is current: the list then shows the new title.
    events.wait_for("event: reload\ndata: rest\n");
    let list = get(&r, "/chuyen-doi-so/tin-tuc/").text();
    assert!(list.contains("Bài C đổi tên"), "{list}");
}

fn same_as_full_build(r: &Running) -> bool {
    compare_with_full_build(r).is_ok()
}

/// Every served file against a fresh full build of the same sources.
fn compare_with_full_build(r: &Running) -> Result<(), String> {
    let req = cds::build::BuildRequest {
        root: r.fixture.root().to_path_buf(),
        base_url: Some(r.preview.url.clone()),
        drafts: true,
        now: None,
    };
    let mut fresh = cds::output::Memory::default();
    cds::build::build(&req, &mut fresh).map_err(|d| format!("full build failed: {d:?}"))?;
    let served = r.preview.files();
    if served.keys().collect::<Vec<_>>() != fresh.files.keys().collect::<Vec<_>>() {
        let only = |a: &dyn Fn(&String) -> bool, b: Vec<&String>| {
            b.into_iter().filter(|k| !a(k)).cloned().collect::<Vec<_>>()
        };
        let served_only = only(&|k| fresh.files.contains_key(k), served.keys().collect());
        let fresh_only = only(&|k| served.contains_key(k), fresh.files.keys().collect());
        return Err(format!(
            "served files differ from a full build's: only served {served_only:?}, only built {fresh_only:?}"
        ));
    }
    for (path, bytes) in fresh.files.iter() {
        if served[path][..] != bytes[..] {
            return Err(format!("{path} differs from a full build"));
        }
    }
    Ok(())
}

#[test]
fn incremental_rebuilds_equal_a_full_build() {
    let r = start(site());
    let mut events = Events::open(&r);
    let f = &r.fixture;
    let edits: Vec<Box<dyn Fn()>> = vec![
        Box::new(|| {
            f.file(
                "content/tin-tuc/a.md",
                "---\ntitle: Bài A\ndate: 2026-01-05\n---\nThân bài mới.\n",
            );
        }),
        Box::new(|| {
            f.file("content/tin-tuc/a.md", "---\ntitle: Bài A đổi tên\ndate: 2026-01-07\ntags: [VNeID]\n---\nĐoạn đầu đổi.\n\n## Mục\n");
        }),
        Box::new(|| {
            f.file("content/tin-tuc/b.md", "---\ntitle: Bài B\ndate: 2026-01-08\ntags: [vneid]\n---\nXem [A](@/tin-tuc/a.md#muc).\n");
        }),
        // A body edit below the summary: only a.md's file is rendered again.
        Box::new(|| {
            f.file("content/tin-tuc/a.md", "---\ntitle: Bài A đổi tên\ndate: 2026-01-07\ntags: [VNeID]\n---\nĐoạn đầu đổi.\n\n## Mục\n\nĐoạn thêm.\n");
        }),
        Box::new(|| {
            f.file(
                "content/tin-tuc/_index.md",
                "---\ntitle: Tin tức – Sự kiện\npaginate_by: 1\n---\n",
            );
        }),
        // Files the last walk did not have: an image beside a bundle's page (its size goes
        // into the share preview), then a new folder with a page.
        Box::new(|| {
            f.bytes("content/tin-tuc/anh/bia.png", &common::png(3, 2));
        }),
        Box::new(|| {
            f.file(
                "content/tin-tuc/anh/index.md",
                "---\ntitle: Bài ảnh\ndate: 2026-01-06\nimage: bia.png\nimage_alt: Bìa\n---\n![ảnh](ảnh đẹp.png)\n",
            );
        }),
        Box::new(|| {
            f.bytes("content/tin-tuc/anh/bia.png", &common::png(640, 480));
        }),
        Box::new(|| {
            f.file(
                "content/tin-tuc/thang-1/d.md",
                "---\ntitle: Bài D\ndate: 2026-01-10\n---\nD.\n",
            );
        }),
        Box::new(|| {
            f.file("templates/page.html", "{% extends \"base.html\" %}{% block main %}<p>{{ page.title }}</p>{{ page.content | safe }}{% endblock main %}");
        }),
        Box::new(|| {
            std::fs::remove_file(f.root().join("content/tin-tuc/b.md")).unwrap();
        }),
        Box::new(|| {
            f.file(
                "content/van-ban/_index.md",
                "---\ntitle: Văn bản\nkind: document\n---\n",
            )
            .file(
                "content/van-ban/57.md",
                "---\ntitle: NQ 57\ndocument:\n  number: 57-NQ/TW\n  abstract: Trích yếu cũ\n---\n",
            )
            .file(
                "content/tin-tuc/c.md",
                "---\ntitle: Bài C\ndate: 2026-01-09\ndocuments: [57-NQ/TW]\n---\nC.\n",
            );
        }),
        Box::new(|| {
            f.file("content/van-ban/57.md", "---\ntitle: NQ 57\ndocument:\n  number: 57-NQ/TW\n  abstract: Trích yếu mới\n---\n");
        }),
        Box::new(|| {
            f.file(
                "content/tin-tuc/_index.md",
                "---\ntitle: Tin tức mới\npaginate_by: 1\n---\n",
            );
        }),
        // One article per list page: a date change moves articles between pages without
        // changing their count.
        Box::new(|| {
            f.file(
                "content/tin-tuc/c.md",
                "---\ntitle: Bài C\ndate: 2025-12-01\ndocuments: [57-NQ/TW]\n---\nC.\n",
            );
        }),
        Box::new(|| {
            f.file("content/tin-tuc/a.md", "---\ntitle: Bài A đổi tên\ndate: 2026-01-07\ntags: [Chuyển đổi số]\n---\nĐoạn đầu đổi.\n\n## Mục\n");
        }),
        Box::new(|| {
            f.file("config.yaml", &format!("{CONFIG}feed_limit: 5\n"));
        }),
        // A document's number, with the page that names it.
        Box::new(|| {
            f.file("content/van-ban/57.md", "---\ntitle: NQ 57\ndocument:\n  number: 58-NQ/TW\n  abstract: Trích yếu mới\n---\n")
                .file(
                    "content/tin-tuc/c.md",
                    "---\ntitle: Bài C\ndate: 2025-12-01\ndocuments: [58-NQ/TW]\n---\nC.\n",
                );
        }),
        // A static file, new then changed.
        Box::new(|| {
            f.file("static/ghi-chu.txt", "Bản 1");
        }),
        Box::new(|| {
            f.file("static/ghi-chu.txt", "Bản 2, dài hơn");
        }),
        // A category, then a front matter key the cards show.
        Box::new(|| {
            f.file("content/tin-tuc/a.md", "---\ntitle: Bài A đổi tên\ndate: 2026-01-07\ncategory: Chính quyền số\n---\nĐoạn đầu đổi.\n\n## Mục\n");
        }),
        Box::new(|| {
            f.file("content/tin-tuc/a.md", "---\ntitle: Bài A đổi tên\ndate: 2026-01-07\ncategory: Chính quyền số\nsummary: Tóm tắt viết tay\n---\nĐoạn đầu đổi.\n\n## Mục\n");
        }),
    ];
    for edit in &edits {
        edit();
        events.reloaded();
        settle_and_compare(&r, &mut events);
    }
}

/// A rebuild reads only the files the watcher named; when the watcher reports that it lost
/// events (a rescan), every file is looked at again.
#[test]
fn a_rescan_reads_every_file_again() {
    use cds::build::{BuildRequest, Builder, Changed};
    let f = site();
    let req = BuildRequest {
        root: f.root().to_path_buf(),
        base_url: None,
        drafts: true,
        now: Some(common::now()),
    };
    let mut builder = Builder::keeping(req);
    let mut sink = cds::output::Memory::default();
    builder.build(&mut sink).unwrap();
    let page = |sink: &cds::output::Memory| {
        String::from_utf8_lossy(&sink.files["tin-tuc/a/index.html"]).into_owned()
    };
    // A change nobody reported: a rebuild for a template change trusts the last walk.
    f.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nĐổi mà không có sự kiện nào báo.\n",
    );
    builder.invalidate(&Changed {
        templates: true,
        ..Changed::default()
    });
    builder.build(&mut sink).unwrap();
    assert!(!page(&sink).contains("không có sự kiện nào báo"));
    builder.invalidate(&Changed {
        rescan: true,
        ..Changed::default()
    });
    builder.build(&mut sink).unwrap();
    assert!(page(&sink).contains("không có sự kiện nào báo"));
}

/// The page the editor saved is handed over before the rest of the build, with the bytes the
/// finished build serves; a build nobody named a file for hands nothing over early.
#[test]
fn the_edited_page_comes_first() {
    use cds::build::{BuildRequest, Builder, Changed};
    let f = site();
    let req = BuildRequest {
        root: f.root().to_path_buf(),
        base_url: None,
        drafts: true,
        now: Some(common::now()),
    };
    let mut builder = Builder::keeping(req);
    let mut sink = cds::output::Memory::default();
    let mut early: Vec<(String, Vec<u8>)> = Vec::new();
    let mut keep = |files: &[cds::build::EarlyPage], _: &_| {
        early.extend(files.iter().map(|p| (p.file.clone(), p.bytes.to_vec())));
    };
    builder.build_with(&mut sink, &mut keep).unwrap();
    assert!(early.is_empty(), "a first build names no file");
    f.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nBản sửa đến trước.\n",
    );
    builder.invalidate(&Changed {
        content: vec!["tin-tuc/a.md".into()],
        ..Changed::default()
    });
    let mut keep = |files: &[cds::build::EarlyPage], _: &_| {
        early.extend(files.iter().map(|p| (p.file.clone(), p.bytes.to_vec())));
    };
    builder.build_with(&mut sink, &mut keep).unwrap();
    assert_eq!(
        early.len(),
        1,
        "{:?}",
        early.iter().map(|e| &e.0).collect::<Vec<_>>()
    );
    let (path, bytes) = &early[0];
    assert_eq!(path, "tin-tuc/a/index.html");
    assert!(String::from_utf8_lossy(bytes).contains("Bản sửa đến trước."));
    assert_eq!(&sink.files[path][..], &bytes[..]);
}

#[test]
fn the_search_index_follows_edits_after_the_reload() {
    let r = start(site());
    let mut events = Events::open(&r);
    let index = |r: &Running| -> std::collections::HashMap<String, String> {
        r.preview
            .files()
            .into_iter()
            .filter_map(|(path, bytes)| {
                let name = path.strip_prefix("tim-kiem/chi-muc/")?.to_owned();
                Some((name, String::from_utf8(bytes).ok()?))
            })
            .collect()
    };
    let has_word = |r: &Running| {
        index(r)
            .values()
            .any(|json| json.contains("\"fkhinhkhicau\""))
    };
    assert!(!has_word(&r));
    r.fixture.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nKhinhkhicau bay qua xã.\n",
    );
    events.reloaded();
    events.wait_for("event: search");
    assert!(has_word(&r), "the new word is in the index");
    compare_with_full_build(&r).unwrap();
}

/// Starts the `cds serve` binary on `f` and reads the address and path it prints first. Then
/// it keeps reading what the server prints, as a terminal would, or with `close_output`
/// closes both its outputs, as `cds serve | head -1` would.
fn spawn_cli(f: &Fixture, close_output: bool) -> (std::process::Child, SocketAddr, String) {
    use std::io::BufRead;
    let stderr = if close_output {
        std::process::Stdio::piped()
    } else {
        std::process::Stdio::null()
    };
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["serve", "--port", "0", "--root"])
        .arg(f.root())
        .stdout(std::process::Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("spawn cds serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let line = lines.next().expect("a line").expect("utf-8");
    if close_output {
        drop(lines);
        drop(child.stderr.take());
    } else {
        thread::spawn(move || lines.for_each(drop));
    }
    let url = line
        .strip_prefix("Đang xem trước tại http://")
        .expect(&line)
        .to_owned();
    let (host, path) = url.split_once('/').expect("host/path");
    (child, host.parse().expect("address"), path.to_owned())
}

#[test]
fn cli_serve_prints_its_url_and_serves() {
    let f = site();
    let (mut child, addr, path) = spawn_cli(&f, false);
    assert!(addr.ip().is_loopback(), "binds 127.0.0.1 by default");
    let reply = request(addr, "GET", &format!("/{path}tin-tuc/a/"), "");
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(reply.status, 200);
    assert!(reply.text().contains("Nội dung bản đầu."));
}

#[test]
fn cli_serve_sees_a_save_made_right_after_it_says_it_is_ready() {
    // Enough files that the watcher takes a moment to start: it must be running before the
    // "saving updates the page" message, not after.
    let f = site();
    for n in 0..3000 {
        f.file(
            &format!("content/tin-tuc/bai-{n}.md"),
            &format!("---\ntitle: Bài {n}\ndate: 2026-01-05\n---\nNội dung {n}.\n"),
        );
    }
    let (mut child, addr, path) = spawn_cli(&f, false);
    let mut events = TcpStream::connect(addr).expect("connect");
    write!(
        events,
        "GET /{path}__cds/events HTTP/1.1\r\nHost: x\r\n\r\n"
    )
    .unwrap();
    f.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nLưu ngay khi vừa mở.\n",
    );
    events
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    // Heartbeats keep the stream busy: stop at a deadline, not at a quiet read.
    let deadline = Instant::now() + Duration::from_secs(15);
    while !String::from_utf8_lossy(&seen).contains("event: reload") && Instant::now() < deadline {
        match events.read(&mut buf) {
            Ok(n) if n > 0 => seen.extend_from_slice(&buf[..n]),
            _ => break,
        }
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        String::from_utf8_lossy(&seen).contains("event: reload"),
        "the save was missed"
    );
}

#[test]
fn cli_serve_keeps_serving_when_its_output_is_closed() {
    // `cds serve | head -1`: once nobody reads what it prints, it must go on serving.
    let f = site();
    let (mut child, addr, path) = spawn_cli(&f, true);
    // An edit makes it print again, into closed outputs.
    f.file(
        "content/tin-tuc/a.md",
        "---\ntitle: Bài A\ndate: 2026-01-05\n---\nIn ra mà không ai đọc.\n",
    );
    // Until the edit is served (the server has printed its line by then), or 10 s.
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut reply = request(addr, "GET", &format!("/{path}tin-tuc/a/"), "");
    while !reply.text().contains("In ra mà không ai đọc.") && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(20));
        reply = request(addr, "GET", &format!("/{path}tin-tuc/a/"), "");
    }
    let alive = child.try_wait().expect("status").is_none();
    let _ = child.kill();
    let _ = child.wait();
    assert!(alive, "cds serve stopped when its output was closed");
    assert!(reply.text().contains("In ra mà không ai đọc."));
}

/// A photo added to a page is made on a thread of its own: the save is shown at once with
/// the photo's final markup, and its files are served once made (then a reload).
#[test]
fn a_new_photo_is_made_in_the_background_and_then_served() {
    let r = start(site());
    let mut events = Events::open(&r);
    r.fixture
        .bytes("content/tin-tuc/anh/moi.jpg", &common::phone_photo(1600, 1200, 1))
        .file(
            "content/tin-tuc/anh/index.md",
            "---\ntitle: Bài ảnh\ndate: 2026-01-06\n---\n![ảnh](ảnh đẹp.png)\n\n![Ảnh mới](moi.jpg)\n",
        );
    events.reloaded();
    let page = get(&r, "/chuyen-doi-so/tin-tuc/anh/").text();
    let variant = page
        .split("src=\"/chuyen-doi-so/tin-tuc/anh/moi-")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .map(|name| format!("/chuyen-doi-so/tin-tuc/anh/moi-{name}"))
        .unwrap_or_else(|| panic!("the photo's markup: {page}"));
    let started = Instant::now();
    while get(&r, &variant).status != 200 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{variant} never served"
        );
        events.wait_within("event: reload", Duration::from_millis(500));
    }
    let photo = get(&r, &variant);
    let img = image::load_from_memory(&photo.body).expect("a photo");
    assert_eq!((img.width(), img.height()), (1200, 900));
    assert_eq!(
        get(&r, "/chuyen-doi-so/tin-tuc/anh/moi.jpg").status,
        404,
        "no original"
    );
}

/// A saved page is served before the rest of the build, and no reload follows for the tab
/// that shows it: the photos it shows must be served with it, also when their files are made
/// and not yet served. (The editor's preview kept a broken photo when its save came in one
/// burst with the news that the photo, now a cover, was made.)
#[test]
fn an_edited_page_served_first_comes_with_its_photos() {
    use cds::build::{BuildRequest, Builder};
    let f = site();
    // Enough pages that the rest of the build takes a while after the edited page is shown.
    for i in 0..300 {
        f.file(
            &format!("content/tin-tuc/bai-{i}.md"),
            &format!("---\ntitle: Bài số {i}\ndate: 2026-01-05\n---\nNội dung bài {i}.\n"),
        );
    }
    let cover = "---\ntitle: Bài ảnh\ndate: 2026-01-06\nimage: moi.jpg\nimage_alt: Ảnh mới\n---\n![Ảnh mới](moi.jpg)\n";
    // The cover's files are in the cache, as a background thread leaves them.
    f.bytes(
        "content/tin-tuc/anh/moi.jpg",
        &common::phone_photo(1600, 1200, 1),
    )
    .file("content/tin-tuc/anh/index.md", cover);
    let req = BuildRequest {
        root: f.root().to_path_buf(),
        base_url: None,
        drafts: false,
        now: Some(common::now()),
    };
    (Builder::keeping(req).build(&mut cds::output::Memory::default())).expect("a build");
    f.file(
        "content/tin-tuc/anh/index.md",
        "---\ntitle: Bài ảnh\ndate: 2026-01-06\n---\n![Ảnh mới](moi.jpg)\n",
    );
    let r = start(f);
    let mut events = Events::open(&r);
    let before = r.preview.files();
    r.fixture.file("content/tin-tuc/anh/index.md", cover);
    events.wait_for("event: reload\ndata: first\n");
    let page = get(&r, "/chuyen-doi-so/tin-tuc/anh/").text();
    let variants: Vec<String> = (page.split("/chuyen-doi-so/tin-tuc/anh/moi-").skip(1))
        .filter_map(|rest| rest.split(['"', ' ']).next())
        .map(|name| format!("tin-tuc/anh/moi-{name}"))
        .filter(|file| !before.contains_key(file))
        .collect();
    assert!(!variants.is_empty(), "the cover's own files: {page}");
    for variant in &variants {
        let status = get(&r, &format!("/chuyen-doi-so/{variant}")).status;
        assert_eq!(status, 200, "{variant} with its page");
    }
}

#[cfg(unix)]
#[test]
fn cli_serve_open_starts_the_systems_browser_with_the_address() {
    use std::os::unix::fs::PermissionsExt;
    let f = site();
    let bin = tempfile::tempdir().unwrap();
    let opened = bin.path().join("opened.txt");
    let script = bin.path().join("xdg-open");
    std::fs::write(
        &script,
        format!("#!/bin/sh\nprintf '%s' \"$1\" > '{}'\n", opened.display()),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cds"))
        .args(["serve", "--open", "--port", "0", "--root"])
        .arg(f.root())
        .env("PATH", bin.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn cds serve");
    let first = {
        use std::io::BufRead;
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = std::io::BufReader::new(stdout).lines();
        let line = lines.next().expect("a line").expect("utf-8");
        thread::spawn(move || lines.for_each(drop));
        line
    };
    let until = std::time::Instant::now() + Duration::from_secs(10);
    while !opened.exists() && std::time::Instant::now() < until {
        thread::sleep(Duration::from_millis(20));
    }
    thread::sleep(Duration::from_millis(50));
    let _ = child.kill();
    let _ = child.wait();
    let url = std::fs::read_to_string(&opened).expect("xdg-open was started");
    assert!(first.ends_with(&url), "{first} opens {url}");
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
}
