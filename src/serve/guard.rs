//! The preview's front door: the public port is ours, and tiny_http listens behind it on a
//! loopback port of its own.
//!
//! tiny_http parses requests and writes responses well, but sets no limits: it gives every
//! connection a thread for as long as the client keeps it open, reads a request head of any
//! size into memory, and its accept loop ends for good at the first failed accept (it panics
//! in `try_clone` when the process runs out of file handles). So every connection passes
//! through here first, and this module is where the preview's limits live:
//! - at most [`Limits::max_connections`] at once; one more evicts the connection that has been
//!   quiet longest, so a crowd of idle clients never locks a real one out;
//! - a request head arrives whole within [`Limits::head`] and is at most [`Limits::max_head`]
//!   bytes (else 431), a body declares its length and stays under [`Limits::max_body`];
//! - a connection with no byte either way for [`Limits::idle`] is closed (event streams send a
//!   heartbeat, so they stay);
//! - a failed accept waits a moment and goes on; the caller restarts tiny_http if it stops.
//!
//! Requests are read one at a time (to apply the limits) and each goes to tiny_http on a
//! loopback connection of its own; the response comes back as tiny_http writes it, its
//! `Connection` line set for the client's connection (see [`Guard::relay`]).

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

use crate::messages::PreviewText;

/// How long a connection must have been quiet before a new one may take its place.
const QUIET: Duration = Duration::from_secs(2);
/// The same for a connection that never sent a byte (its request may still be on its way
/// while its thread waits for a core).
const QUIET_FRESH: Duration = Duration::from_millis(500);

/// What one client may cost the preview.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_connections: usize,
    /// A request head, from its first byte (or from the connection's start) to its end.
    pub head: Duration,
    /// No byte either way for this long closes a kept-alive connection.
    pub idle: Duration,
    pub max_head: usize,
    pub max_body: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: connection_budget(),
            head: Duration::from_secs(5),
            idle: Duration::from_secs(30),
            max_head: 16 * 1024,
            max_body: 1024 * 1024,
        }
    }
}

/// Each relayed connection holds four file handles (the client's, ours to tiny_http, and
/// tiny_http's two); a process that may open few files gets fewer connections.
fn connection_budget() -> usize {
    const MOST: usize = 128;
    let soft = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("Max open files"))?;
            line.split_whitespace().nth(3)?.parse::<usize>().ok()
        });
    match soft {
        Some(n) => (n.saturating_sub(64) / 4).clamp(8, MOST),
        None => MOST,
    }
}

/// Where tiny_http listens now; it moves when tiny_http is started again.
#[derive(Debug)]
pub struct Backend {
    addr: RwLock<SocketAddr>,
    /// Its port refused a connection: tiny_http's accept loop has ended.
    dead: AtomicBool,
}

impl Backend {
    pub fn new(addr: SocketAddr) -> Backend {
        Backend {
            addr: RwLock::new(addr),
            dead: AtomicBool::new(false),
        }
    }

    /// tiny_http listens at `addr` now.
    pub fn set(&self, addr: SocketAddr) {
        *self.addr.write().unwrap_or_else(|e| e.into_inner()) = addr;
        self.dead.store(false, Ordering::Relaxed);
    }

    /// Whether tiny_http must be started again.
    pub fn is_dead(&self) -> bool {
        self.dead.load(Ordering::Relaxed)
    }

    fn get(&self) -> SocketAddr {
        *self.addr.read().unwrap_or_else(|e| e.into_inner())
    }
}

/// One open client connection, as the eviction sees it.
struct Conn {
    /// Milliseconds since the guard started, at the last byte either way.
    active: AtomicU64,
    /// No byte has come from the client yet (a browser's spare connection, or an idle one).
    fresh: AtomicBool,
    /// Evicted: shut down, and counted as open until its threads have let go of its sockets.
    closing: AtomicBool,
    client: Arc<TcpStream>,
    backend: Mutex<Option<Arc<TcpStream>>>,
}

impl Conn {
    fn close(&self) {
        let _ = self.client.shutdown(Shutdown::Both);
        if let Some(b) = &*self.backend.lock().unwrap_or_else(|e| e.into_inner()) {
            let _ = b.shutdown(Shutdown::Both);
        }
    }
}

/// The front door, shared by its threads.
pub struct Guard {
    limits: Limits,
    backend: Arc<Backend>,
    started: Instant,
    open: Mutex<Vec<Arc<Conn>>>,
    stopped: AtomicBool,
    addr: SocketAddr,
}

impl Guard {
    /// Accepts on `listener` from a thread of its own until [`Guard::stop`].
    pub fn spawn(listener: TcpListener, backend: Arc<Backend>, limits: Limits) -> Arc<Guard> {
        let addr = listener.local_addr().unwrap_or(backend.get());
        let guard = Arc::new(Guard {
            limits,
            backend,
            started: Instant::now(),
            open: Mutex::new(Vec::new()),
            stopped: AtomicBool::new(false),
            addr,
        });
        let g = guard.clone();
        thread::spawn(move || g.accept_loop(&listener));
        guard
    }

    /// Stops accepting and closes every open connection.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::Relaxed);
        // Wakes the accept loop.
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_millis(200));
        for c in self.lock_open().drain(..) {
            c.close();
        }
    }

    fn lock_open(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Conn>>> {
        self.open.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn now_ms(&self) -> u64 {
        self.started.elapsed().as_millis() as u64
    }

    fn accept_loop(self: Arc<Guard>, listener: &TcpListener) {
        while !self.stopped.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((client, _)) => {
                    if self.stopped.load(Ordering::Relaxed) {
                        break;
                    }
                    self.admit(client);
                }
                // Out of file handles, or a client that left before its turn: make room and
                // go on; this loop never ends on a client's account.
                Err(_) => {
                    let _ = self.evict_quietest();
                    thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }

    fn admit(self: &Arc<Guard>, client: TcpStream) {
        let client = Arc::new(client);
        let conn = Arc::new(Conn {
            active: AtomicU64::new(self.now_ms()),
            fresh: AtomicBool::new(true),
            closing: AtomicBool::new(false),
            client: client.clone(),
            backend: Mutex::new(None),
        });
        if !self.make_room() {
            // On a thread of its own: the accept loop never waits for a client.
            let _ = thread::Builder::new().spawn(move || {
                refuse(&client, 503, PreviewText::Busy.text());
            });
            return;
        }
        self.lock_open().push(conn.clone());
        let g = self.clone();
        let spawned = thread::Builder::new().spawn(move || {
            g.relay(client, &conn);
            conn.close();
            g.lock_open().retain(|c| !Arc::ptr_eq(c, &conn));
        });
        if spawned.is_err() {
            let _ = self.evict_quietest();
        }
    }

    /// Waits for a free place, evicting the quietest connection if none comes: connections
    /// that just answered or were evicted count until their sockets are closed, so the
    /// process never holds more file handles than the budget. New clients wait in the
    /// system's queue meanwhile.
    fn make_room(&self) -> bool {
        let deadline = Instant::now() + Duration::from_secs(2);
        while self.lock_open().len() >= self.limits.max_connections {
            let closing = self
                .lock_open()
                .iter()
                .any(|c| c.closing.load(Ordering::Relaxed));
            if !closing && !self.evict_quietest() && Instant::now() >= deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(2));
        }
        true
    }

    /// Closes the connection that has gone longest without a byte, preferring those that
    /// never sent one ([`QUIET_FRESH`]), else one quiet for [`QUIET`]: one whose request is
    /// under way is not cut.
    fn evict_quietest(&self) -> bool {
        let now = self.now_ms();
        let open = self.lock_open();
        let quietest = open
            .iter()
            .enumerate()
            .filter(|(_, c)| !c.closing.load(Ordering::Relaxed))
            .map(|(i, c)| {
                let fresh = c.fresh.load(Ordering::Relaxed);
                (i, !fresh, c.active.load(Ordering::Relaxed))
            })
            .filter(|(_, spoke, active)| {
                let quiet = Duration::from_millis(now.saturating_sub(*active));
                quiet >= if *spoke { QUIET } else { QUIET_FRESH }
            })
            .min_by_key(|(_, spoke, active)| (*spoke, *active))
            .map(|(i, _, _)| i);
        match quietest {
            Some(i) => {
                open[i].closing.store(true, Ordering::Relaxed);
                open[i].close();
                true
            }
            None => false,
        }
    }

    /// Carries one client's requests to tiny_http and the responses back, one request at a
    /// time, each on a connection of its own to tiny_http (closed by its response): tiny_http
    /// writes a response's head and body in two writes, and on a kept-alive connection the
    /// second waited for the first's delayed acknowledgement, 40 ms per request. The client's
    /// connection stays open between requests.
    fn relay(self: &Arc<Guard>, client: Arc<TcpStream>, conn: &Arc<Conn>) {
        let _ = client.set_nodelay(true);
        let _ = client.set_write_timeout(Some(self.limits.idle));
        let mut pending: Vec<u8> = Vec::new();
        let mut first = true;
        loop {
            match self.exchange(&client, &mut pending, conn, first) {
                Ok(true) => first = false,
                Ok(false) | Err(Refusal::Gone) => return,
                Err(Refusal::Status(status, text)) => return refuse(&client, status, text),
            }
        }
    }

    /// One request and its response; `Ok(true)` when the client's connection stays open.
    fn exchange(
        &self,
        client: &TcpStream,
        pending: &mut Vec<u8>,
        conn: &Conn,
        first: bool,
    ) -> Result<bool, Refusal> {
        let head_len = self.read_head(client, pending, conn, first)?;
        let body = body_length(&pending[..head_len], self.limits.max_body)?;
        let (head, keep_alive) = request_head(&pending[..head_len]);
        pending.drain(..head_len);
        let Some(backend) = self.connect_backend() else {
            return Err(Refusal::Status(503, PreviewText::Restarting.text()));
        };
        let _ = backend.set_nodelay(true);
        let backend = Arc::new(backend);
        *conn.backend.lock().unwrap_or_else(|e| e.into_inner()) = Some(backend.clone());
        let mut to_backend: &TcpStream = &backend;
        to_backend.write_all(&head).map_err(|_| Refusal::Gone)?;
        self.copy_body(client, &mut to_backend, pending, body, conn)?;
        let kept = self.copy_response(&backend, client, conn, keep_alive);
        *conn.backend.lock().unwrap_or_else(|e| e.into_inner()) = None;
        Ok(kept && keep_alive)
    }

    /// tiny_http's port, trying for a moment while it is being started again.
    fn connect_backend(&self) -> Option<TcpStream> {
        let deadline = Instant::now() + Duration::from_secs(2);
        loop {
            match TcpStream::connect_timeout(&self.backend.get(), Duration::from_secs(1)) {
                Ok(s) => return Some(s),
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {
                    self.backend.dead.store(true, Ordering::Relaxed);
                    if Instant::now() >= deadline {
                        return None;
                    }
                    thread::sleep(Duration::from_millis(20));
                }
                Err(_) if Instant::now() < deadline => thread::sleep(Duration::from_millis(20)),
                Err(_) => return None,
            }
        }
    }

    /// tiny_http's response, to the client, as it comes, until tiny_http closes. Its head
    /// says `Connection: close` (the request asked for it); when the client keeps its
    /// connection and the body's end is marked, that line is left out. Returns whether the
    /// client may send another request.
    fn copy_response(
        &self,
        from: &TcpStream,
        to: &TcpStream,
        conn: &Conn,
        keep_alive: bool,
    ) -> bool {
        let (mut from, mut to) = (from, to);
        let mut buf = vec![0u8; 16 * 1024];
        // The head first (a head too large to be tiny_http's goes on as it is, and closes).
        let mut head: Vec<u8> = Vec::new();
        let (out, framed) = loop {
            match from.read(&mut buf) {
                Ok(0) | Err(_) => return false,
                Ok(n) => head.extend_from_slice(&buf[..n]),
            }
            if let Some(end) = head_end(&head) {
                let (mut out, framed) = response_head(&head[..end], keep_alive);
                out.extend_from_slice(&head[end..]);
                break (out, framed);
            }
            if head.len() > self.limits.max_head {
                break (std::mem::take(&mut head), false);
            }
        };
        if to.write_all(&out).is_err() {
            return false;
        }
        conn.active.store(self.now_ms(), Ordering::Relaxed);
        loop {
            match from.read(&mut buf) {
                Ok(0) => return framed,
                Ok(n) if to.write_all(&buf[..n]).is_ok() => {
                    conn.active.store(self.now_ms(), Ordering::Relaxed);
                }
                Ok(_) | Err(_) => return false,
            }
        }
    }

    /// Reads until `pending` holds a whole request head; returns its length.
    fn read_head(
        &self,
        mut client: &TcpStream,
        pending: &mut Vec<u8>,
        conn: &Conn,
        first: bool,
    ) -> Result<usize, Refusal> {
        let limits = &self.limits;
        let accepted = Instant::now();
        let mut started: Option<Instant> = (!pending.is_empty()).then(Instant::now);
        let mut buf = [0u8; 4096];
        loop {
            let end = head_end(&pending[..pending.len().min(limits.max_head + 4)]);
            if let Some(end) = end {
                return Ok(end);
            }
            if pending.len() > limits.max_head {
                return Err(Refusal::Status(431, PreviewText::HeadTooLarge.text()));
            }
            let deadline = match started {
                Some(t) => t + limits.head,
                // A new connection sends its first request soon; a kept-alive one may wait
                // while anything else moves on it (an event stream's heartbeat).
                None if first => accepted + limits.head,
                None => {
                    let quiet = self.now_ms() - conn.active.load(Ordering::Relaxed);
                    Instant::now() + limits.idle.saturating_sub(Duration::from_millis(quiet))
                }
            };
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Refusal::Gone);
            }
            let _ = client.set_read_timeout(Some(left.min(Duration::from_secs(1))));
            match client.read(&mut buf) {
                Ok(0) => return Err(Refusal::Gone),
                Ok(n) => {
                    pending.extend_from_slice(&buf[..n]);
                    conn.fresh.store(false, Ordering::Relaxed);
                    started.get_or_insert_with(Instant::now);
                    conn.active.store(self.now_ms(), Ordering::Relaxed);
                }
                Err(e) if is_timeout(&e) => {}
                Err(_) => return Err(Refusal::Gone),
            }
        }
    }

    /// Relays `len` bytes of body: first what was read with the head, then from the client.
    fn copy_body(
        &self,
        mut client: &TcpStream,
        backend: &mut &TcpStream,
        pending: &mut Vec<u8>,
        len: u64,
        conn: &Conn,
    ) -> Result<(), Refusal> {
        let from_pending = (len.min(pending.len() as u64)) as usize;
        backend
            .write_all(&pending[..from_pending])
            .map_err(|_| Refusal::Gone)?;
        pending.drain(..from_pending);
        let mut left = len - from_pending as u64;
        let mut buf = vec![0u8; 16 * 1024];
        let _ = client.set_read_timeout(Some(self.limits.idle));
        while left > 0 {
            let want = (left.min(buf.len() as u64)) as usize;
            let n = match client.read(&mut buf[..want]) {
                Ok(0) | Err(_) => return Err(Refusal::Gone),
                Ok(n) => n,
            };
            backend.write_all(&buf[..n]).map_err(|_| Refusal::Gone)?;
            conn.active.store(self.now_ms(), Ordering::Relaxed);
            left -= n as u64;
        }
        Ok(())
    }
}

/// Why a client's connection ends.
#[derive(Debug)]
enum Refusal {
    /// It went away, timed out or was evicted: nothing to say.
    Gone,
    /// Answer with this status and text, then close.
    Status(u16, &'static str),
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The end of the request head (after its blank line), if it has arrived.
fn head_end(bytes: &[u8]) -> Option<usize> {
    memchr::memmem::find(bytes, b"\r\n\r\n").map(|i| i + 4)
}

/// The request head as tiny_http gets it, asking it to close the connection after its
/// response, and whether the client keeps its connection (HTTP/1.1 unless it says `close`;
/// HTTP/1.0 only if it says `keep-alive`).
fn request_head(head: &[u8]) -> (Vec<u8>, bool) {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut keep_alive = !request_line.ends_with("HTTP/1.0");
    let mut out = String::with_capacity(head.len() + 20);
    out.push_str(request_line);
    out.push_str("\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        match line.split_once(':') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("connection") => {
                let value = value.to_ascii_lowercase();
                keep_alive = if value.contains("close") {
                    false
                } else {
                    keep_alive || value.contains("keep-alive")
                };
            }
            _ => {
                out.push_str(line);
                out.push_str("\r\n");
            }
        }
    }
    out.push_str("Connection: close\r\n\r\n");
    (out.into_bytes(), keep_alive)
}

/// tiny_http's response head for the client, and whether its body's end is marked (a length,
/// or no body at all). The `Connection: close` tiny_http writes is left out when the
/// client keeps its connection and the end is marked; otherwise the connection closes.
fn response_head(head: &[u8], keep_alive: bool) -> (Vec<u8>, bool) {
    let text = String::from_utf8_lossy(head);
    let mut lines = text.split("\r\n").filter(|l| !l.is_empty());
    let status_line = lines.next().unwrap_or_default();
    let status = status_line.split(' ').nth(1).unwrap_or_default();
    let mut framed = matches!(status, "204" | "304") || status.starts_with('1');
    let mut out = String::with_capacity(head.len());
    out.push_str(status_line);
    out.push_str("\r\n");
    let mut kept = Vec::new();
    for line in lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        // Chunks are not counted: an event stream that tiny_http ends without its last chunk
        // must close the connection, or the tab would wait on it for ever.
        if name.eq_ignore_ascii_case("content-length") {
            framed = true;
        }
        if !name.eq_ignore_ascii_case("connection") {
            kept.push(line);
        }
    }
    for line in kept {
        out.push_str(line);
        out.push_str("\r\n");
    }
    if !(keep_alive && framed) {
        out.push_str("Connection: close\r\n");
    }
    out.push_str("\r\n");
    (out.into_bytes(), framed)
}

/// The body's length from the head: `Content-Length`, or none. A chunked body (which no
/// browser sends for a page or a form) and a length over `max` are refused.
fn body_length(head: &[u8], max: u64) -> Result<u64, Refusal> {
    let text = String::from_utf8_lossy(head);
    let mut length: Option<u64> = None;
    for line in text.split("\r\n").skip(1) {
        let Some((name, value)) = line.split_once(':') else {
            continue;
        };
        let name = name.trim();
        if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(Refusal::Status(411, PreviewText::LengthRequired.text()));
        }
        if name.eq_ignore_ascii_case("content-length") {
            let bad = Refusal::Status(400, PreviewText::BadLength.text());
            let n: u64 = value.trim().parse().map_err(|_| bad)?;
            if length.is_some_and(|l| l != n) {
                return Err(Refusal::Status(400, PreviewText::BadLength.text()));
            }
            length = Some(n);
        }
    }
    match length {
        Some(n) if n > max => Err(Refusal::Status(413, PreviewText::BodyTooLarge.text())),
        n => Ok(n.unwrap_or(0)),
    }
}

/// Answers the client directly and closes, after reading what it still sends for a moment
/// (closing with unread bytes would reset the connection before it reads the answer), but
/// not for long: a client sending hundreds of megabytes is cut off.
fn refuse(client: &TcpStream, status: u16, text: &str) {
    let reason = match status {
        400 => "Bad Request",
        411 => "Length Required",
        413 => "Content Too Large",
        431 => "Request Header Fields Too Large",
        _ => "Service Unavailable",
    };
    let reply = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let mut w = client;
    let _ = w.write_all(reply.as_bytes());
    let _ = client.shutdown(Shutdown::Write);
    let deadline = Instant::now() + Duration::from_secs(1);
    let mut r = client;
    let mut sink = [0u8; 16 * 1024];
    let mut budget: usize = 256 * 1024;
    let _ = client.set_read_timeout(Some(Duration::from_millis(200)));
    while Instant::now() < deadline && budget > 0 {
        match r.read(&mut sink) {
            Ok(0) => break,
            Ok(n) => budget = budget.saturating_sub(n),
            Err(e) if is_timeout(&e) => {}
            Err(_) => break,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_end_at_the_blank_line() {
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n\r\nrest"), Some(27));
        assert_eq!(head_end(b"GET / HTTP/1.1\r\nHost: a\r\n"), None);
    }

    #[test]
    fn bodies_declare_a_length_under_the_limit() {
        let len = |head: &str| body_length(head.as_bytes(), 100);
        assert!(matches!(len("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), Ok(0)));
        assert!(matches!(
            len("POST / HTTP/1.1\r\ncontent-length: 12\r\n\r\n"),
            Ok(12)
        ));
        for (head, status) in [
            ("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n", 413),
            ("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n", 400),
            (
                "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
                400,
            ),
            ("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 411),
        ] {
            match len(head) {
                Err(Refusal::Status(s, _)) => assert_eq!(s, status, "{head}"),
                other => panic!("{head}: {other:?}"),
            }
        }
    }
}
