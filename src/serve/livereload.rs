//! Live reload over Server-Sent Events on the preview's own port (tiny_http cannot speak
//! WebSocket). After a successful rebuild the server sends `reload` (or `css` when only
//! stylesheets changed); a failed rebuild sends `error` with the same Vietnamese report as the
//! terminal, shown as an overlay over the last good page; `ok` clears it. When the edited
//! pages are served before the rest of the build, `reload` comes twice: first with their
//! addresses (`first`, then one per line: only those tabs fetch), then with `rest` once the
//! whole site is current (every other tab fetches; a lists page never shows the old list).
//!
//! Streaming needs `request.into_writer()`, hand-written headers and chunk framing and a flush
//! after every event: a `Response` over a blocking reader buffers 8 KiB before sending
//! anything. One thread per open tab; a heartbeat ends threads of closed tabs.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::Duration;

use crate::messages::PreviewText;

/// One event for the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub name: &'static str,
    pub data: String,
}

impl Event {
    /// Only the tabs showing one of `urls` (paths, as `location.pathname` shows them without
    /// `index.html`) fetch theirs: the rest of the site is still being built.
    pub fn reload_first<'a>(urls: impl IntoIterator<Item = &'a str>) -> Event {
        let mut data = String::from(FIRST);
        for url in urls {
            data.push('\n');
            data.push_str(url);
        }
        Event {
            name: "reload",
            data,
        }
    }

    /// The whole site is current after a [`Event::reload_first`]: the tabs that did not fetch
    /// then do now.
    pub fn reload_rest() -> Event {
        Event {
            name: "reload",
            data: String::from(REST),
        }
    }
}

/// The first line of a `reload` sent for the edited pages only.
const FIRST: &str = "first";
/// The data of the `reload` that follows it.
const REST: &str = "rest";

/// The open event streams.
#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Broadcaster {
    /// Registers a new stream; past [`MAX_STREAMS`], the oldest one ends (its tab, if it
    /// is still open, connects again).
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = channel();
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_STREAMS {
            clients.remove(0);
        }
        clients.push(tx);
        rx
    }

    /// Sends to every open stream, forgetting those whose thread has ended.
    pub fn send(&self, event: &Event) {
        self.clients
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|tx| tx.send(event.clone()).is_ok());
    }

    pub fn client_count(&self) -> usize {
        self.clients.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

/// How many event streams are open at once: far more tabs than an editor opens.
pub const MAX_STREAMS: usize = 64;

/// How often an idle stream sends a comment, so a closed tab's thread notices and ends.
const HEARTBEAT: Duration = Duration::from_secs(10);

/// Serves one event stream until the browser goes away. `first` is sent right after the
/// headers (the current error, if the build is broken when the tab connects).
pub fn stream(mut w: Box<dyn Write + Send>, rx: Receiver<Event>, first: Option<Event>) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-cache\r\nX-Accel-Buffering: no\r\nTransfer-Encoding: chunked\r\n\r\n";
    if w.write_all(head.as_bytes())
        .and_then(|()| w.flush())
        .is_err()
    {
        return;
    }
    // Reconnect quickly after `cds serve` restarts.
    if chunk(&mut w, "retry: 500\n\n").is_err() {
        return;
    }
    if let Some(e) = first
        && chunk(&mut w, &format_event(&e)).is_err()
    {
        return;
    }
    loop {
        let text = match rx.recv_timeout(HEARTBEAT) {
            Ok(e) => format_event(&e),
            Err(RecvTimeoutError::Timeout) => ": ping\n\n".to_owned(),
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if chunk(&mut w, &text).is_err() {
            break;
        }
    }
}

fn chunk(w: &mut Box<dyn Write + Send>, text: &str) -> std::io::Result<()> {
    write!(w, "{:x}\r\n{text}\r\n", text.len())?;
    w.flush()
}

/// `event: NAME` then one `data:` line per line of data.
pub fn format_event(e: &Event) -> String {
    let mut out = format!("event: {}\n", e.name);
    for line in e.data.split('\n') {
        out.push_str("data: ");
        out.push_str(line);
        out.push('\n');
    }
    out.push('\n');
    out
}

/// Adds the live-reload script, and the error overlay when the last build failed, before
/// `</body>`. Only previewed HTML gets it; `cds build` output never does.
pub fn inject(html: &[u8], base_path: &str, error: Option<&str>) -> Vec<u8> {
    let mut extra = String::new();
    if let Some(report) = error {
        extra.push_str(&overlay(report));
    }
    extra.push_str(&script(base_path));
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..at]);
    out.push_str(&extra);
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn overlay(report: &str) -> String {
    format!(
        "<div id=\"cds-overlay\" role=\"alert\" style=\"{OVERLAY_STYLE}\"><p style=\"font:bold 1.1rem system-ui,sans-serif;margin:0 0 .5rem\">{title}</p><pre style=\"white-space:pre-wrap;margin:0;font:0.95rem/1.4 ui-monospace,monospace\">{}</pre></div>",
        escape(report),
        title = PreviewText::OverlayTitle.text(),
    )
}

const OVERLAY_STYLE: &str = "position:fixed;inset:auto 0 0 0;max-height:70vh;overflow:auto;z-index:2147483647;background:#fff4f4;color:#5c0000;border-top:4px solid #b00020;padding:1rem;box-shadow:0 -4px 16px rgba(0,0,0,.3)";

fn script(base_path: &str) -> String {
    let events = format!("{base_path}{}", super::http::EVENTS_PATH);
    format!(
        r#"<script data-cds-live>(function(){{var es=new EventSource("{events}");var title={title:?},style={style:?};
function show(t){{var o=document.getElementById("cds-overlay");if(!o){{o=document.createElement("div");o.id="cds-overlay";o.setAttribute("role","alert");o.style.cssText=style;document.body.appendChild(o);}}
o.innerHTML="";var p=document.createElement("p");p.textContent=title;p.style.cssText="font:bold 1.1rem system-ui,sans-serif;margin:0 0 .5rem";var pre=document.createElement("pre");pre.textContent=t;pre.style.cssText="white-space:pre-wrap;margin:0;font:0.95rem/1.4 ui-monospace,monospace";o.appendChild(p);o.appendChild(pre);}}
{swap}
var done=false;function here(){{return decodeURI(location.pathname).replace(/index\.html$/,"");}}
es.addEventListener("reload",function(e){{var d=e.data||"";if(d.indexOf("first\n")===0){{if(d.split("\n").indexOf(here())>0){{done=true;swap();}}return;}}if(d==="rest"&&done){{done=false;return;}}done=false;swap();}});
es.addEventListener("css",function(){{document.querySelectorAll('link[rel="stylesheet"]').forEach(function(l){{var u=new URL(l.href);u.searchParams.set("v",Date.now());l.href=u.href;}});var o=document.getElementById("cds-overlay");if(o)o.remove();}});
es.addEventListener("error",function(e){{if(typeof e.data==="string")show(e.data);}});
es.addEventListener("ok",function(){{var o=document.getElementById("cds-overlay");if(o)o.remove();}});
}})();</script>"#,
        title = PreviewText::OverlayTitle.text(),
        style = OVERLAY_STYLE,
        swap = SWAP,
    )
}

/// After a rebuild, the page is fetched again and put in place of the shown one, scroll
/// position kept, instead of reloading it (a reload repaints from nothing and jumps to the
/// top). Only the body and the head's non-style elements are replaced, and the body's inline
/// scripts run again; when the page's stylesheets, styles or script files changed, or it has
/// script files (they would run twice), or anything fails, it reloads as before.
const SWAP: &str = r#"function assets(d){var a=[];d.querySelectorAll('link[rel="stylesheet"],style,script[src]').forEach(function(e){a.push(e.outerHTML);});return a.join("|");}
function swap(){var x=scrollX,y=scrollY;fetch(location.href,{cache:"no-store"}).then(function(r){if(!r.ok)throw 0;return r.text();}).then(function(t){var d=new DOMParser().parseFromString(t,"text/html");
if(assets(d)!==assets(document)||d.querySelector("script[src]")){location.reload();return;}
document.title=d.title;var keep='link[rel="stylesheet"],style,script[src]';document.head.querySelectorAll("*").forEach(function(e){if(!e.matches(keep))e.remove();});d.head.querySelectorAll("*").forEach(function(e){if(!e.matches(keep))document.head.appendChild(document.adoptNode(e));});
var b=document.adoptNode(d.body);b.querySelectorAll("script[data-cds-live]").forEach(function(s){s.remove();});document.body.replaceWith(b);
b.querySelectorAll("script").forEach(function(s){if(s.type&&s.type!=="text/javascript")return;var n=document.createElement("script");n.textContent=s.textContent;s.replaceWith(n);});
scrollTo(x,y);}).catch(function(){location.reload();});}"#;

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_multi_line_events() {
        let e = Event {
            name: "error",
            data: "lỗi: x\n --> a.md:3:1".into(),
        };
        assert_eq!(
            format_event(&e),
            "event: error\ndata: lỗi: x\ndata:  --> a.md:3:1\n\n"
        );
    }

    #[test]
    fn injects_before_body_end_and_escapes_the_report() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            "/cds/",
            Some("lỗi <b>"),
        ))
        .unwrap();
        assert!(out.contains("new EventSource(\"/cds/__cds/events\")"));
        assert!(
            out.contains("function swap()"),
            "edits are swapped in place"
        );
        assert!(out.contains("lỗi &lt;b&gt;"));
        assert!(out.ends_with("</script></body></html>"));
    }
}
