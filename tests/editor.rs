//! The browser editor over real HTTP on 127.0.0.1: who may use it (the secret, `Host`,
//! `Origin`), what it may touch (Markdown under `content/`, never through a link), and what
//! a save does to the file (only what changed, never over someone else's edit).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use cds::serve::{Preview, ServeOptions};
use common::{CONFIG, Fixture, snapshot};

struct Running {
    fixture: Fixture,
    preview: Arc<Preview>,
    /// `cds_khoa_<editor port>=…`.
    cookie: String,
    token: String,
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
            "---\n# Ghi chú của ban biên tập\ntitle: Bài A\ndate: 2026-01-05\nunit: Công an xã\n---\nNội dung bản đầu.\n",
        )
        .file(
            "content/tin-tuc/nhap.md",
            "---\ntitle: Chuyển đổi số ở ấp\ndraft: true\n---\nNháp.\n",
        );
    f
}

/// `cds serve` on 127.0.0.1 at any free port, `--lan` and `--lan-edit` as given.
fn options(f: &Fixture, lan: bool, lan_edit: bool) -> ServeOptions {
    ServeOptions {
        root: f.root().to_path_buf(),
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        lan,
        lan_edit,
        poll: false,
    }
}

fn start(f: Fixture) -> Running {
    let opts = options(&f, false, false);
    let preview = Arc::new(Preview::start(&opts, Arc::new(|_| {})).expect("start"));
    preview.spawn_http();
    let watching = preview.start_watching(false).expect("watch");
    let runner = preview.clone();
    thread::spawn(move || runner.run(watching));
    let link = preview.editor_link().expect("the editor is on");
    let token = link.rsplit('=').next().unwrap_or_default().to_owned();
    let cookie = format!(
        "cds_khoa_{}={token}",
        preview.editor_addr.expect("editor").port()
    );
    Running {
        fixture: f,
        preview,
        cookie,
        token,
    }
}

struct Reply {
    status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One raw request with exactly the headers given (plus the length of a body).
fn raw(addr: SocketAddr, method: &str, path: &str, headers: &[String], body: &str) -> Reply {
    raw_bytes(addr, method, path, headers, body.as_bytes())
}

fn raw_bytes(addr: SocketAddr, method: &str, path: &str, headers: &[String], body: &[u8]) -> Reply {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\n");
    for h in headers {
        head.push_str(h);
        head.push_str("\r\n");
    }
    if method != "GET" {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    // A refused body may be answered (and the connection closed) before it is all sent.
    let _ = s.write_all(body);
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    let text = String::from_utf8_lossy(&out).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Reply {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

impl Running {
    /// The editor's own address: another port than the site's.
    fn editor(&self) -> SocketAddr {
        self.preview.editor_addr.expect("the editor is on")
    }
    fn host(&self) -> String {
        format!("Host: {}", self.editor())
    }
    fn base(&self) -> String {
        "/".to_owned()
    }
    fn get(&self, path: &str) -> Reply {
        let headers = [self.host(), format!("Cookie: {}", self.cookie)];
        raw(
            self.editor(),
            "GET",
            &format!("{}{path}", self.base()),
            &headers,
            "",
        )
    }
    /// A write as the editor's page sends it.
    fn post(&self, path: &str, body: &serde_json::Value) -> Reply {
        let headers = self.write_headers();
        self.post_with(path, &headers, &body.to_string())
    }
    fn write_headers(&self) -> Vec<String> {
        vec![
            self.host(),
            format!("Origin: http://{}", self.editor()),
            format!("Cookie: {}", self.cookie),
            format!("X-CDS-Khoa: {}", self.token),
            "Content-Type: application/json".into(),
        ]
    }
    fn post_with(&self, path: &str, headers: &[String], body: &str) -> Reply {
        let url = format!("{}{path}", self.base());
        raw(self.editor(), "POST", &url, headers, body)
    }
    fn open(&self, rel: &str) -> serde_json::Value {
        let reply = self.get(&format!("api/file?path={}", encode(rel)));
        assert_eq!(reply.status, 200, "{}", reply.body);
        reply.json()
    }
    fn disk(&self, rel: &str) -> String {
        std::fs::read_to_string(self.fixture.root().join(rel)).expect("read")
    }
    /// Waits until the preview serves `path` with `needle` in it.
    fn wait_for_page(&self, path: &str, needle: &str) {
        let started = Instant::now();
        loop {
            let headers = [format!("Host: {}", self.preview.addr)];
            let page = raw(self.preview.addr, "GET", path, &headers, "");
            if page.body.contains(needle) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{path} never showed {needle}"
            );
            thread::sleep(Duration::from_millis(20));
        }
    }
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_./".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[test]
fn the_printed_link_keeps_its_secret_in_a_strict_cookie() {
    let r = start(site());
    let link = r.preview.editor_link().unwrap();
    assert!(link.starts_with(&format!("http://{}/?khoa=", r.editor())));
    assert_ne!(
        r.editor().port(),
        r.preview.addr.port(),
        "another origin than the site's"
    );
    let path = link.split_once(&r.editor().to_string()).unwrap().1;
    let reply = raw(r.editor(), "GET", path, &[r.host()], "");
    assert_eq!(reply.status, 303, "{}", reply.head);
    let cookie = reply
        .head
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .expect("a cookie");
    assert!(
        cookie.contains(&r.cookie)
            && cookie.contains("SameSite=Strict")
            && cookie.contains("HttpOnly")
    );
    assert!(
        reply.head.lines().any(|l| l == "Location: /"),
        "{}",
        reply.head
    );
    // The editor's address on the site's port leads to the editor's own.
    let old = raw(
        r.preview.addr,
        "GET",
        "/chuyen-doi-so/_soan-bai/?khoa=x",
        &[r.host()],
        "",
    );
    assert_eq!(old.status, 303);
    assert!(
        old.head
            .contains(&format!("Location: http://{}/?khoa=x", r.editor())),
        "{}",
        old.head
    );
    let page = r.get("");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<html lang=\"vi\">") && page.body.contains(&r.token));
    assert!(page.head.contains("Content-Security-Policy"));
}

#[test]
fn the_list_has_every_page_with_its_status_unit_and_author() {
    let r = start(site());
    let list = r.get("api/pages").json();
    let pages = list["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 2);
    let draft = pages
        .iter()
        .find(|p| p["path"] == "content/tin-tuc/nhap.md")
        .unwrap();
    assert_eq!(draft["status"], "draft");
    assert_eq!(draft["key"], "chuyen doi so o ap");
    let a = pages
        .iter()
        .find(|p| p["path"] == "content/tin-tuc/a.md")
        .unwrap();
    assert_eq!(a["unit"], "Công an xã");
    assert_eq!(a["date_text"], "05/01/2026");
    assert_eq!(a["url"], "/chuyen-doi-so/tin-tuc/a/");
    assert!(
        list["sections"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["dir"] == "tin-tuc")
    );
}

#[test]
fn requests_without_the_secret_or_from_elsewhere_are_refused_and_write_nothing() {
    let r = start(site());
    let before = snapshot(&r.fixture.root().join("content"));
    let opened = r.open("content/tin-tuc/a.md");
    let save = serde_json::json!({
        "path": "content/tin-tuc/a.md", "version": opened["version"], "text": "bị ghi đè\n",
    })
    .to_string();
    let good = r.write_headers();
    let without = |name: &str| -> Vec<String> {
        good.iter()
            .filter(|h| !h.starts_with(name))
            .cloned()
            .collect()
    };
    let with = |name: &str, line: String| -> Vec<String> {
        let mut h = without(name);
        h.push(line);
        h
    };
    let cases: Vec<(&str, Vec<String>)> = vec![
        ("no cookie", without("Cookie")),
        (
            "wrong cookie",
            with(
                "Cookie",
                format!(
                    "Cookie: cds_khoa_{}=00000000000000000000000000000000",
                    r.editor().port()
                ),
            ),
        ),
        ("no header secret", without("X-CDS-Khoa")),
        ("no origin", without("Origin")),
        (
            "foreign origin",
            with("Origin", "Origin: http://evil.example".into()),
        ),
        (
            "rebinding host",
            with("Host", format!("Host: evil.example:{}", r.editor().port())),
        ),
        (
            "cross-site fetch",
            with("Content-Type", "Sec-Fetch-Site: cross-site".into()),
        ),
    ];
    for (why, headers) in cases {
        let reply = r.post_with("api/save", &headers, &save);
        assert_eq!(reply.status, 403, "{why}: {}", reply.body);
        assert!(
            reply.json()["error"]
                .as_str()
                .is_some_and(|e| !e.is_empty()),
            "{why}"
        );
        assert!(
            !reply
                .head
                .to_ascii_lowercase()
                .contains("access-control-allow"),
            "no CORS"
        );
    }
    // Reading is refused the same way.
    let no_cookie = raw(r.editor(), "GET", "/api/pages", &[r.host()], "");
    assert_eq!(no_cookie.status, 403);
    let rebinding = [
        format!("Host: evil.example:{}", r.editor().port()),
        format!("Cookie: {}", r.cookie),
    ];
    let reply = raw(r.editor(), "GET", "/api/pages", &rebinding, "");
    assert_eq!(reply.status, 403);
    // The site's port has no editor: its pages' scripts cannot reach it as the same origin.
    let site = raw(r.preview.addr, "POST", "/api/save", &good, &save);
    assert_ne!(site.status, 200);
    assert_eq!(snapshot(&r.fixture.root().join("content")), before);
}

#[test]
fn escapes_and_bad_names_are_refused_and_write_nothing() {
    let r = start(site());
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("x.md"), "ngoài").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path(), r.fixture.root().join("content/ra")).unwrap();
    let before = snapshot(r.fixture.root());
    let version = cds::editor::files::version("ngoài".as_bytes());
    for path in [
        "content/../config.md",
        "content/tin-tuc/../../x.md",
        "/etc/x.md",
        "content\\..\\x.md",
        "content/ra/x.md",
        "content/CON.md",
        "content/tin-tuc/aux.md",
        "content/a.md.",
        "content/tin-tuc/a\u{1}.md",
        "config.yaml",
        "content/tin-tuc/_index.yaml",
    ] {
        let save = serde_json::json!({ "path": path, "version": version, "text": "x" });
        let reply = r.post("api/save", &save);
        assert!(
            matches!(reply.status, 400 | 404),
            "{path}: {} {}",
            reply.status,
            reply.body
        );
        let read = r.get(&format!("api/file?path={}", encode(path)));
        assert!(matches!(read.status, 400 | 404), "{path}: {}", read.status);
    }
    let huge = serde_json::json!({
        "path": "content/tin-tuc/a.md", "version": r.open("content/tin-tuc/a.md")["version"],
        "text": "x".repeat(2 * 1024 * 1024),
    });
    let reply = r.post("api/save", &huge);
    assert!(matches!(reply.status, 400 | 413), "{}", reply.status);
    assert_eq!(snapshot(r.fixture.root()), before);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("x.md")).unwrap(),
        "ngoài"
    );
}

#[test]
fn a_save_writes_the_file_and_the_preview_follows() {
    let r = start(site());
    let rel = "content/tin-tuc/a.md";
    let opened = r.open(rel);
    let text = opened["text"]
        .as_str()
        .unwrap()
        .replace("Nội dung bản đầu.", "Nội dung mới.");
    let reply = r.post(
        "api/save",
        &serde_json::json!({ "path": rel, "version": opened["version"], "text": text }),
    );
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["written"], true);
    assert_eq!(r.disk(rel), text);
    assert!(
        r.disk(rel).contains("# Ghi chú của ban biên tập"),
        "comments kept"
    );
    r.wait_for_page("/chuyen-doi-so/tin-tuc/a/", "Nội dung mới.");
    let names: Vec<String> = std::fs::read_dir(r.fixture.root().join("content/tin-tuc"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("cds-luu")), "{names:?}");
}

#[test]
fn an_unchanged_save_leaves_the_file_byte_for_byte() {
    let f = site();
    let crlf =
        "\u{feff}---\r\ntitle: 'Bài CRLF'\r\ndate: 2026-01-07 # giờ VN\r\n---\r\nDòng một.\r\n";
    f.file("content/tin-tuc/crlf.md", crlf);
    let r = start(f);
    let rel = "content/tin-tuc/crlf.md";
    let modified = std::fs::metadata(r.fixture.root().join(rel))
        .unwrap()
        .modified()
        .unwrap();
    let opened = r.open(rel);
    // A browser's <textarea> gives back `\n` line ends.
    let text = opened["text"].as_str().unwrap().replace("\r\n", "\n");
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "text": text });
    let reply = r.post("api/save", &save);
    assert_eq!(reply.json()["written"], false, "{}", reply.body);
    assert_eq!(
        std::fs::read(r.fixture.root().join(rel)).unwrap(),
        crlf.as_bytes()
    );
    let again = std::fs::metadata(r.fixture.root().join(rel))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(modified, again, "not even written");
    // One changed line keeps the rest's CRLF and BOM.
    let edited = text.replace("Dòng một.", "Dòng hai.");
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "text": edited });
    assert_eq!(r.post("api/save", &save).status, 200);
    assert_eq!(r.disk(rel), crlf.replace("Dòng một.", "Dòng hai."));
}

#[test]
fn a_file_changed_on_disk_since_it_was_opened_is_never_overwritten() {
    let r = start(site());
    let rel = "content/tin-tuc/a.md";
    let opened = r.open(rel);
    let notepad = "---\ntitle: Bài A\n---\nSửa bằng Notepad.\n";
    std::fs::write(r.fixture.root().join(rel), notepad).unwrap();
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "text": "Bản trình duyệt.\n" });
    let reply = r.post("api/save", &save);
    assert_eq!(reply.status, 409, "{}", reply.body);
    let conflict = reply.json();
    assert_eq!(conflict["text"], notepad);
    assert_eq!(r.disk(rel), notepad);
    // Choosing one's own version is a save over the version now on disk.
    let keep = serde_json::json!({ "path": rel, "version": conflict["version"], "text": "Bản trình duyệt.\n" });
    assert_eq!(r.post("api/save", &keep).status, 200);
    assert_eq!(r.disk(rel), "Bản trình duyệt.\n");
}

#[test]
fn a_new_page_is_the_draft_cds_new_makes_and_joins_the_list() {
    let r = start(site());
    let reply = r.post(
        "api/new",
        &serde_json::json!({ "section": "tin-tuc", "title": "Hội nghị triển khai Kế hoạch 06" }),
    );
    assert_eq!(reply.status, 201, "{}", reply.body);
    let path = reply.json()["path"].as_str().unwrap().to_owned();
    assert_eq!(path, "content/tin-tuc/hoi-nghi-trien-khai-ke-hoach-06.md");
    let text = r.disk(&path);
    assert!(
        text.contains("title: \"Hội nghị triển khai Kế hoạch 06\"") && text.contains("draft: true"),
        "{text}"
    );
    let again = r.post(
        "api/new",
        &serde_json::json!({ "section": "tin-tuc", "title": "Hội nghị triển khai Kế hoạch 06" }),
    );
    assert_eq!(again.status, 400, "never over an existing file");
    let started = Instant::now();
    while !r.get("api/pages").body.contains(&path) {
        assert!(started.elapsed() < Duration::from_secs(20), "never listed");
        thread::sleep(Duration::from_millis(20));
    }
    let unknown = r.post(
        "api/new",
        &serde_json::json!({ "section": "khong-co", "title": "X" }),
    );
    assert_eq!(unknown.status, 400);
    assert!(
        unknown.json()["error"]
            .as_str()
            .unwrap()
            .contains("tin-tuc")
    );
}

#[test]
fn the_editor_is_off_when_the_preview_is_open_to_the_lan() {
    let f = site();
    let opts = options(&f, true, false);
    // A machine without a LAN address cannot start `--lan` at all: nothing to check there.
    if let Ok(preview) = Preview::start(&opts, Arc::new(|_| {})) {
        assert!(preview.editor_link().is_none());
    }
}

#[test]
fn the_form_changes_only_the_lines_of_the_fields_it_changed() {
    let f = site();
    let original = "---\r\n# Bài của Công an xã, đừng xóa dòng này\r\ntitle: 'Bài C'\r\ndate: 05/01/2026 08:00 # giờ VN\r\ntags:\r\n  - VNeID\r\n\r\nunit: Công an xã\r\nextra:\r\n  nguon: Zalo\r\n---\r\nThân bài.\r\n";
    f.file("content/tin-tuc/c.md", original);
    let r = start(f);
    let rel = "content/tin-tuc/c.md";
    let opened = r.open(rel);
    assert_eq!(opened["kind"], "article");
    let values = opened["values"].clone();
    assert_eq!(values["title"], "Bài C");
    assert_eq!(values["date"], "2026-01-05T08:00");
    assert_eq!(values["tags"], serde_json::json!(["VNeID"]));
    let form = opened["form"].as_array().unwrap();
    assert!(
        form.iter()
            .any(|f| f["key"] == "category" && f["input"] == "choice")
    );
    // The form sent back as it came: nothing is written.
    let same = serde_json::json!({ "path": rel, "version": opened["version"], "values": values, "body": opened["body"] });
    let reply = r.post("api/save", &same);
    assert_eq!(reply.json()["written"], false, "{}", reply.body);
    assert_eq!(r.disk(rel), original);
    // One field: one line.
    let mut changed = values.clone();
    changed["title"] = "Bài C: đã sửa".into();
    changed["tags"] = serde_json::json!(["VNeID", "Dịch vụ công"]);
    let body = "Thân bài mới.\n";
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "values": changed, "body": body });
    let reply = r.post("api/save", &save);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let expected = original
        .replace("'Bài C'", "'Bài C: đã sửa'")
        .replace("  - VNeID\r\n", "  - VNeID\r\n  - Dịch vụ công\r\n")
        .replace("Thân bài.", "Thân bài mới.");
    assert_eq!(r.disk(rel), expected);
    assert_eq!(reply.json()["values"]["title"], "Bài C: đã sửa");
}

/// "Keep mine" over a file changed on disk writes what the editor changed since opening,
/// and keeps what Notepad changed meanwhile (a field, the body); a field both changed takes
/// the editor's.
#[test]
fn keeping_ones_changes_over_a_changed_file_keeps_the_other_changes() {
    let f = site();
    let original = "---\ntitle: Bài D\nsummary: Tóm tắt cũ.\nunit: Công an xã\n---\nThân bài.\n";
    f.file("content/tin-tuc/d.md", original);
    let r = start(f);
    let rel = "content/tin-tuc/d.md";
    let opened = r.open(rel);
    let base = serde_json::json!({ "values": opened["values"], "body": opened["body"] });
    let notepad = "---\ntitle: Bài D\nsummary: Tóm tắt sửa bằng Notepad.\nunit: Văn phòng\n---\nThân bài sửa bằng Notepad.\n";
    std::fs::write(r.fixture.root().join(rel), notepad).unwrap();
    let mut mine = opened["values"].clone();
    mine["title"] = "Bài D: đã sửa".into();
    mine["unit"] = "Đoàn Thanh niên".into();
    let save = |version: &serde_json::Value| serde_json::json!({ "path": rel, "version": version, "values": mine, "body": opened["body"], "base": base });
    let reply = r.post("api/save", &save(&opened["version"]));
    assert_eq!(reply.status, 409, "{}", reply.body);
    assert_eq!(r.disk(rel), notepad);
    let reply = r.post("api/save", &save(&reply.json()["version"]));
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(
        r.disk(rel),
        "---\ntitle: \"Bài D: đã sửa\"\nsummary: Tóm tắt sửa bằng Notepad.\nunit: Đoàn Thanh niên\n---\nThân bài sửa bằng Notepad.\n"
    );
    let saved = reply.json();
    assert_eq!(saved["values"]["summary"], "Tóm tắt sửa bằng Notepad.");
    assert_eq!(saved["body"], "Thân bài sửa bằng Notepad.\n");
}

#[test]
fn a_document_page_gets_its_document_fields() {
    let f = site();
    f.file("content/van-ban/_index.md", "---\ntitle: Văn bản\nkind: document\n---\n")
        .file(
            "content/van-ban/kh-06.md",
            "---\ntitle: Kế hoạch 06\ndocument:\n  number: 06/KH-UBND\n  type: Kế hoạch\n  issuer: UBND xã Đại Hải\n  issued: 14/01/2026\n  abstract: Về chuyển đổi số\n---\n",
        );
    let r = start(f);
    let rel = "content/van-ban/kh-06.md";
    let opened = r.open(rel);
    assert_eq!(opened["kind"], "document");
    assert_eq!(opened["values"]["document"]["issued"], "2026-01-14");
    let mut values = opened["values"].clone();
    values["document"]["effective"] = "2026-01-15".into();
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "values": values });
    assert_eq!(r.post("api/save", &save).status, 200);
    assert!(
        r.disk(rel)
            .contains("  issued: 14/01/2026\n  effective: 15/01/2026\n  abstract:"),
        "{}",
        r.disk(rel)
    );
}

#[test]
fn the_preview_renders_unsaved_text_and_places_each_problem_at_its_field() {
    let r = start(site());
    let rel = "content/tin-tuc/a.md";
    let before = snapshot(r.fixture.root());
    let opened = r.open(rel);
    let mut values = opened["values"].clone();
    values["title"] = "Tiêu đề chưa lưu".into();
    let unsaved =
        serde_json::json!({ "path": rel, "values": values, "body": "Đoạn **chưa lưu**.\n" });
    let reply = r.post("api/preview", &unsaved);
    assert_eq!(reply.status, 200, "{}", reply.body);
    let page = reply.json();
    let html = page["html"].as_str().unwrap_or_default();
    assert!(
        html.contains("Tiêu đề chưa lưu") && html.contains("<strong>chưa lưu</strong>"),
        "{}",
        reply.body
    );
    assert_eq!(page["url"], "/chuyen-doi-so/tin-tuc/a/");
    assert_eq!(
        snapshot(r.fixture.root()),
        before,
        "a preview writes nothing"
    );
    let served = raw(
        r.preview.addr,
        "GET",
        "/chuyen-doi-so/tin-tuc/a/",
        &[r.host()],
        "",
    );
    assert!(served.body.contains("Nội dung bản đầu.") && !served.body.contains("chưa lưu"));

    let mut broken = opened["values"].clone();
    broken["date"] = "hôm qua".into();
    let unsaved =
        serde_json::json!({ "path": rel, "values": broken, "body": "[x](@/khong-co.md)\n" });
    let reply = r.post("api/preview", &unsaved).json();
    assert!(reply["html"].is_null());
    let diags = reply["diagnostics"].as_array().unwrap();
    assert!(
        diags
            .iter()
            .any(|d| d["field"] == "date" && d["error"] == true),
        "{diags:?}"
    );
    let text =
        serde_json::json!({ "path": rel, "text": "---\ntitle: A\n---\n[x](@/khong-co.md)\n" });
    let reply = r.post("api/preview", &text).json();
    let diags = reply["diagnostics"].as_array().unwrap();
    assert!(diags.iter().any(|d| d["body_line"] == 1), "{diags:?}");
    // The preview leaves the builder as it was: a save still shows.
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "text": "---\ntitle: Bài A\n---\nĐã lưu thật.\n" });
    assert_eq!(r.post("api/save", &save).status, 200);
    r.wait_for_page("/chuyen-doi-so/tin-tuc/a/", "Đã lưu thật.");
}

impl Running {
    /// An upload as the editor's page sends it: the file's bytes as the body.
    fn upload(&self, page: &str, name: &str, bytes: &[u8]) -> Reply {
        let url = format!(
            "{}api/upload?path={}&name={}",
            self.base(),
            encode(page),
            encode(name)
        );
        raw_bytes(self.editor(), "POST", &url, &self.write_headers(), bytes)
    }
}

#[test]
fn a_phone_photo_moves_the_page_into_a_bundle_and_shows_upright() {
    let r = start(site());
    let photo = common::phone_photo(64, 48, 6);
    let reply = r.upload("content/tin-tuc/a.md", "IMG 2026.JPG", &photo);
    assert_eq!(reply.status, 201, "{}", reply.body);
    let done = reply.json();
    assert_eq!(done["path"], "content/tin-tuc/a/index.md");
    assert_eq!(done["name"], "img-2026.jpg");
    assert_eq!(done["use"], "photo");
    let bundle = r.fixture.root().join("content/tin-tuc/a");
    assert!(!r.fixture.root().join("content/tin-tuc/a.md").exists());
    assert_eq!(std::fs::read(bundle.join("img-2026.jpg")).unwrap(), photo);
    // A second file of the same name is kept beside the first.
    let again = r
        .upload("content/tin-tuc/a/index.md", "IMG 2026.JPG", &photo)
        .json();
    assert_eq!(again["name"], "img-2026-2.jpg");
    let pdf = r
        .upload(
            "content/tin-tuc/a/index.md",
            "Kế hoạch 06.pdf",
            b"%PDF-1.7 x",
        )
        .json();
    assert_eq!(pdf["name"], "ke-hoach-06.pdf");
    assert_eq!(pdf["use"], "attachment");
    let opened = r.open("content/tin-tuc/a/index.md");
    let text = format!(
        "{}![Hội nghị](img-2026.jpg)\n",
        opened["text"].as_str().unwrap()
    );
    let save = serde_json::json!({ "path": "content/tin-tuc/a/index.md", "version": opened["version"], "text": text });
    assert_eq!(r.post("api/save", &save).status, 200);
    // The same address; the photo upright (48 wide once turned) in the page's <picture>.
    r.wait_for_page("/chuyen-doi-so/tin-tuc/a/", "width=\"48\" height=\"64\"");
}

#[test]
fn uploads_that_are_too_large_mislabelled_or_unasked_write_nothing() {
    let r = start(site());
    let before = snapshot(r.fixture.root());
    let huge = vec![0u8; (cds::editor::upload::MAX_UPLOAD + 1) as usize];
    assert_eq!(
        r.upload("content/tin-tuc/a.md", "to.jpg", &huge).status,
        413
    );
    for (name, bytes, why) in [
        ("anh.jpg", &b"<html>not a photo</html>"[..], "mislabelled"),
        ("IMG_1.HEIC", &b"\0\0\0\x18ftypheic"[..], "heic"),
        ("chay.exe", &b"MZ"[..], "program"),
        ("anh.svg", &b"<svg/>"[..], "svg"),
        ("", &b"%PDF-1.7"[..], "no name"),
    ] {
        let reply = r.upload("content/tin-tuc/a.md", name, bytes);
        assert_eq!(reply.status, 400, "{why}: {}", reply.body);
        assert!(
            reply.json()["error"]
                .as_str()
                .is_some_and(|e| !e.is_empty())
        );
    }
    let png = common::png(4, 4);
    for page in [
        "content/../x.md",
        "content/tin-tuc/khong-co.md",
        "config.yaml",
    ] {
        let reply = r.upload(page, "anh.png", &png);
        assert!(
            matches!(reply.status, 400 | 404),
            "{page}: {}",
            reply.status
        );
    }
    let mut headers = r.write_headers();
    headers.retain(|h| !h.starts_with("X-CDS-Khoa"));
    let url = format!(
        "{}api/upload?path=content/tin-tuc/a.md&name=anh.png",
        r.base()
    );
    assert_eq!(
        raw_bytes(r.editor(), "POST", &url, &headers, &png).status,
        403
    );
    assert_eq!(snapshot(r.fixture.root()), before);
}

#[test]
fn on_the_lan_the_editor_needs_lan_edit_and_then_every_page_needs_the_secret() {
    let f = site();
    let opts = options(&f, true, true);
    // A machine without a LAN address cannot start `--lan` at all: nothing to check there.
    let Ok(preview) = Preview::start(&opts, Arc::new(|_| {})) else {
        return;
    };
    preview.spawn_http();
    let link = preview
        .editor_link()
        .expect("the editor is on with --lan-edit");
    let editor = preview.editor_addr.expect("its address");
    let host = format!("Host: {}", preview.addr);
    let page = raw(
        preview.addr,
        "GET",
        "/chuyen-doi-so/",
        std::slice::from_ref(&host),
        "",
    );
    assert_eq!(page.status, 403, "a page without the secret");
    let path = link.split_once(&editor.to_string()).unwrap().1.to_owned();
    let keep = raw(editor, "GET", &path, &[format!("Host: {editor}")], "");
    assert_eq!(keep.status, 303);
    let token = link.rsplit('=').next().unwrap();
    // Cookies ignore ports: the editor's cookie opens the site's pages too.
    let cookie = format!("Cookie: cds_khoa_{}={token}", editor.port());
    let page = raw(preview.addr, "GET", "/chuyen-doi-so/", &[host, cookie], "");
    assert_eq!(page.status, 200);
    preview.stop();
}

#[test]
fn a_file_that_stops_the_build_is_listed_so_it_can_be_fixed() {
    let f = site();
    f.file(
        "content/tin-tuc/hong.md",
        "---\ntitle: Bài hỏng\ndate: hôm qua\n---\nX\n",
    );
    let r = start(f);
    let list = r.get("api/pages");
    assert_eq!(list.status, 200, "{}", list.body);
    let broken = list.json()["broken"].clone();
    assert_eq!(broken[0]["path"], "content/tin-tuc/hong.md", "{broken}");
    assert!(broken[0]["message"].as_str().unwrap().contains("hong.md"));
    let rel = "content/tin-tuc/hong.md";
    let opened = r.open(rel);
    let fixed = "---\ntitle: Bài hỏng\ndate: 2026-01-05\n---\nĐã sửa.\n";
    let save = serde_json::json!({ "path": rel, "version": opened["version"], "text": fixed });
    assert_eq!(r.post("api/save", &save).status, 200);
    let started = Instant::now();
    loop {
        let list = r.get("api/pages").json();
        if list["broken"].as_array().is_some_and(Vec::is_empty)
            && list["pages"].as_array().is_some_and(|p| p.len() == 3)
        {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(20), "{list}");
        thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn saves_at_once_over_one_version_land_one_whole_and_refuse_the_rest() {
    let r = Arc::new(start(site()));
    let rel = "content/tin-tuc/a.md";
    let version = r.open(rel)["version"].clone();
    let threads: Vec<_> = (0..8)
        .map(|n| {
            let (r, version) = (r.clone(), version.clone());
            thread::spawn(move || {
                let text = format!("---\ntitle: Bài {n}\n---\n{}\n", "chữ ".repeat(20_000));
                let save = serde_json::json!({ "path": rel, "version": version, "text": text });
                (r.post("api/save", &save).status, text)
            })
        })
        .collect();
    let results: Vec<(u16, String)> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    let landed: Vec<&String> = results
        .iter()
        .filter(|(s, _)| *s == 200)
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        landed.len(),
        1,
        "{:?}",
        results.iter().map(|(s, _)| s).collect::<Vec<_>>()
    );
    assert!(results.iter().all(|(s, _)| *s == 200 || *s == 409));
    assert_eq!(&r.disk(rel), landed[0], "one whole version");
    let left: Vec<String> = std::fs::read_dir(r.fixture.root().join("content/tin-tuc"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("cds-luu"))
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn a_photo_for_a_section_page_sits_in_its_folder_and_the_page_stays() {
    let r = start(site());
    let reply = r.upload("content/tin-tuc/_index.md", "bia.png", &common::png(4, 4));
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert_eq!(reply.json()["path"], "content/tin-tuc/_index.md");
    assert!(r.fixture.root().join("content/tin-tuc/_index.md").is_file());
    assert!(r.fixture.root().join("content/tin-tuc/bia.png").is_file());
    assert!(!r.fixture.root().join("content/tin-tuc/_index").exists());
}
