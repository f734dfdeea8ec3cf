//! The preview server stays up whatever its clients do: more idle connections than it may
//! open files, clients that send a request head byte by byte or never, heads and bodies of
//! hundreds of megabytes. Runs the `cds serve` binary with few file handles
//! (`ulimit -n 256`) and talks HTTP over 127.0.0.1.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{CONFIG, Fixture};

struct Server {
    child: Child,
    addr: SocketAddr,
    _site: Fixture,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    /// `cds serve` on a small site, allowed to open 256 files.
    fn start() -> Server {
        Server::start_with_files(256)
    }

    /// `cds serve` on a small site, allowed to open `files` files.
    fn start_with_files(files: usize) -> Server {
        let site = Fixture::new(CONFIG);
        site.file("content/_index.md", "---\ntitle: Trang chủ\n---\n")
            .file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
            .file(
                "content/tin-tuc/a.md",
                "---\ntitle: Bài A\ndate: 2026-01-05\n---\nNội dung bài A.\n",
            );
        let mut child = Command::new("sh")
            .arg("-c")
            .arg("ulimit -n \"$2\" && exec \"$0\" serve --port 0 --root \"$1\"")
            .arg(env!("CARGO_BIN_EXE_cds"))
            .arg(site.root())
            .arg(files.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn cds serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line = lines.next().expect("a line").expect("utf-8");
        std::thread::spawn(move || lines.for_each(drop));
        let url = line
            .strip_prefix("Đang xem trước tại http://")
            .unwrap_or_else(|| panic!("{line}"));
        let host = url.split('/').next().expect("host");
        Server {
            child,
            addr: host.parse().expect("address"),
            _site: site,
        }
    }

    /// The status of `GET /chuyen-doi-so/tin-tuc/a/`, or 0 when no answer came.
    fn page_status(&self) -> u16 {
        let Ok(mut s) = TcpStream::connect_timeout(&self.addr, Duration::from_secs(2)) else {
            return 0;
        };
        let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = s.write_all(
            b"GET /chuyen-doi-so/tin-tuc/a/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
        );
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let text = String::from_utf8_lossy(&raw);
        if !text.contains("Nội dung bài A.") {
            return 0;
        }
        text.split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or(0)
    }

    /// Asks for the page until it answers 200, for up to `within`.
    fn serves_within(&self, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        while Instant::now() < deadline {
            if self.page_status() == 200 {
                return true;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        false
    }

    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("status").is_none()
    }

    /// Resident memory of the server, in KiB.
    fn rss_kib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("proc status");
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS")
    }
}

/// Reads what the server sends until it closes, for up to `within`; `None` if it stays open.
fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Vec<u8>> {
    let deadline = Instant::now() + within;
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        let _ = s.set_read_timeout(Some(Duration::from_millis(100)));
        match s.read(&mut buf) {
            Ok(0) => return Some(got),
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => return Some(got),
        }
    }
    None
}

#[test]
fn idle_connections_past_the_file_limit_never_take_the_preview_down() {
    let mut server = Server::start();
    assert_eq!(server.page_status(), 200);
    // Four times what the process may open: tiny_http alone panicked at ~600 of 1,024.
    let idle: Vec<TcpStream> = (0..1000)
        .filter_map(|_| TcpStream::connect_timeout(&server.addr, Duration::from_secs(1)).ok())
        .collect();
    assert!(
        idle.len() > 500,
        "only {} connections were accepted",
        idle.len()
    );
    assert!(
        server.serves_within(Duration::from_secs(10)),
        "no page while 1,000 idle connections were open"
    );
    assert!(server.alive());
    drop(idle);
    assert!(server.serves_within(Duration::from_secs(5)));
    assert!(server.alive());
}

#[test]
fn slow_and_silent_clients_are_cut_off() {
    let server = Server::start();
    let started = Instant::now();
    let mut silent = TcpStream::connect(server.addr).unwrap();
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.write_all(b"GET /chuyen-doi-so/ HTTP/1.1\r\n").unwrap();
    // One byte every 300 ms: never a whole head.
    let trickle = std::thread::spawn(move || {
        for _ in 0..40 {
            if slow.write_all(b"X").is_err() {
                return Some(started.elapsed());
            }
            std::thread::sleep(Duration::from_millis(300));
        }
        None
    });
    assert!(
        closed_within(&mut silent, Duration::from_secs(10)).is_some(),
        "a client that sends nothing is kept open"
    );
    let cut = trickle
        .join()
        .unwrap()
        .expect("a byte-by-byte client is kept open");
    assert!(cut < Duration::from_secs(10), "cut after {cut:?}");
    assert_eq!(server.page_status(), 200);
}

#[test]
fn oversized_heads_and_bodies_are_refused_and_memory_stays_flat() {
    let mut server = Server::start();
    assert_eq!(server.page_status(), 200);
    let before = server.rss_kib();

    let mut s = TcpStream::connect(server.addr).unwrap();
    let cookie = "a".repeat(20_000);
    write!(
        s,
        "GET /chuyen-doi-so/ HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n\r\n"
    )
    .unwrap();
    let reply = closed_within(&mut s, Duration::from_secs(5)).expect("closed");
    assert!(
        reply.starts_with(b"HTTP/1.1 431 "),
        "{}",
        String::from_utf8_lossy(&reply)
    );

    // 200 MB of one header, sent until the server stops reading.
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nX-Big: ").unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let sent = (0..200).take_while(|_| s.write_all(&chunk).is_ok()).count();
    assert!(sent < 200, "the server read a 200 MB header");
    drop(s);

    let mut s = TcpStream::connect(server.addr).unwrap();
    s.write_all(
        b"POST /chuyen-doi-so/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 209715200\r\n\r\n",
    )
    .unwrap();
    let reply = closed_within(&mut s, Duration::from_secs(5)).expect("closed");
    assert!(
        reply.starts_with(b"HTTP/1.1 413 "),
        "{}",
        String::from_utf8_lossy(&reply)
    );

    assert_eq!(server.page_status(), 200);
    let after = server.rss_kib();
    assert!(
        after < before + 20 * 1024,
        "memory grew from {before} KiB to {after} KiB"
    );
    assert!(server.alive());
}

/// Reads one response with a `Content-Length` from a kept-alive connection.
fn read_response(s: &mut TcpStream) -> (String, Vec<u8>) {
    let mut raw = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    let head_end = loop {
        if let Some(i) = raw.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "closed before a whole head");
        raw.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no length in {head}"));
    while raw.len() < head_end + len {
        let n = s.read(&mut buf).expect("read");
        assert!(n > 0, "closed inside a body");
        raw.extend_from_slice(&buf[..n]);
    }
    (head, raw[head_end..head_end + len].to_vec())
}

#[test]
fn kept_alive_connections_answer_each_request_at_once() {
    let server = Server::start();
    let mut s = TcpStream::connect(server.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let started = Instant::now();
    for _ in 0..5 {
        s.write_all(b"GET /chuyen-doi-so/tin-tuc/a/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .unwrap();
        let (head, body) = read_response(&mut s);
        assert!(head.starts_with("HTTP/1.1 200 "), "{head}");
        assert!(
            !head.to_ascii_lowercase().contains("connection: close"),
            "{head}"
        );
        assert!(String::from_utf8_lossy(&body).contains("Nội dung bài A."));
    }
    // Each waited 40 ms for a delayed acknowledgement when tiny_http kept the connection.
    let took = started.elapsed();
    assert!(
        took < Duration::from_millis(150),
        "5 requests took {took:?}"
    );
    // A client that asks to close gets its answer, then the connection closes.
    s.write_all(b"GET /chuyen-doi-so/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        .unwrap();
    let rest = closed_within(&mut s, Duration::from_secs(5)).expect("closed after the answer");
    assert!(rest.starts_with(b"HTTP/1.1 200 "));
}

#[test]
fn a_crowd_of_event_streams_never_keeps_pages_from_being_served() {
    // Enough files for 128 connections: more than the streams allowed (64), and 300 streams
    // once took every request handler.
    let mut server = Server::start_with_files(4096);
    let streams: Vec<TcpStream> = (0..300)
        .filter_map(|_| {
            let mut s = TcpStream::connect_timeout(&server.addr, Duration::from_secs(1)).ok()?;
            s.write_all(b"GET /chuyen-doi-so/__cds/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                .ok()?;
            Some(s)
        })
        .collect();
    assert!(streams.len() > 100, "only {} streams", streams.len());
    assert!(
        server.serves_within(Duration::from_secs(8)),
        "no page while 300 event streams were open"
    );
    assert!(server.alive());
}
