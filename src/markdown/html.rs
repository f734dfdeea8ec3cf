//! Raw HTML in Markdown. Editors paste from Word and web pages; by default only a few
//! attribute-less inline tags (`<br>`, `<sup>`, `<u>`…) survive and everything else is shown
//! as text. With `unsafe_html: true` HTML passes as written (event attributes and scripts
//! included: the site trusts its editors), except that `javascript:`, `vbscript:` and `data:`
//! URLs are replaced by `#` in every attribute that holds a URL (see [`next_url_attr`]).
//! Either way, the allowed inline tags are balanced: what a block opens, it closes.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

/// Tags allowed without `unsafe_html`, only in their bare form (`<sup>`, `</sup>`, `<br/>`).
const ALLOWED_TAGS: &[&str] = &[
    "br", "wbr", "sub", "sup", "mark", "u", "s", "kbd", "abbr", "small", "b", "i", "em", "strong",
    "ins", "del",
];

/// Rewrites raw HTML events in place.
pub(super) fn sanitize(events: &mut Vec<(Event, Range<usize>)>, unsafe_html: bool) {
    let mut in_block = false;
    let mut in_comment = false;
    events.retain_mut(|(e, _)| {
        match e {
            Event::Start(Tag::HtmlBlock) => in_block = true,
            Event::End(TagEnd::HtmlBlock) => {
                in_block = false;
                in_comment = false;
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                let trimmed = h.trim();
                if trimmed == "<!-- more -->" {
                    return true;
                }
                // Comments are the editor's notes, not the visitor's; a block comment arrives
                // one line per event.
                if in_comment || trimmed.starts_with("<!--") {
                    in_comment = !trimmed.ends_with("-->") && in_block;
                    return false;
                }
                if unsafe_html {
                    *h = CowStr::from(neutralize_urls(h));
                } else if !is_allowed_tag(trimmed) {
                    let escaped = escape_attr(h);
                    *e = if in_block {
                        Event::Html(CowStr::from(format!("<p>{}</p>\n", escaped.trim_end())))
                    } else {
                        Event::InlineHtml(CowStr::from(escaped))
                    };
                }
            }
            _ => {}
        }
        true
    });
}

/// The inline tags (of [`ALLOWED_TAGS`]) open at a point of the event stream, so that every
/// fragment cds emits closes what it opened: an unclosed `<s>` in a first paragraph was
/// copied into a listing card and struck through the rest of the page, footer included.
#[derive(Default)]
pub(super) struct RawTags {
    open: Vec<&'static str>,
}

/// What one raw HTML event is to [`RawTags`].
pub(super) enum RawTag {
    Opened,
    /// Closes the innermost open tag of its name (and any opened inside it).
    Closed,
    /// A closing tag with nothing of its name open: dropped.
    Stray,
    /// Anything else: passes as it is.
    Other,
}

impl RawTags {
    /// Reads one raw HTML event. Closing a tag that is open further out closes the ones
    /// opened inside it first, as a browser would; `close` receives those closing tags.
    pub(super) fn see(&mut self, html: &str, close: &mut impl FnMut(&'static str)) -> RawTag {
        let Some((name, closing)) = tag_name(html.trim()) else {
            return RawTag::Other;
        };
        if matches!(name, "br" | "wbr") {
            return RawTag::Other;
        }
        if !closing {
            self.open.push(name);
            return RawTag::Opened;
        }
        let Some(at) = self.open.iter().rposition(|t| *t == name) else {
            return RawTag::Stray;
        };
        for inner in self.open.drain(at + 1..).rev() {
            close(inner);
        }
        self.open.pop();
        RawTag::Closed
    }

    /// Closes every open tag, innermost first.
    pub(super) fn close_all(&mut self, close: &mut impl FnMut(&'static str)) {
        while let Some(t) = self.open.pop() {
            close(t);
        }
    }
}

/// The allowed name of a tag that is a whole event (`<sup>`, `</S>`, `<b class=x>`), and
/// whether it closes.
fn tag_name(tag: &str) -> Option<(&'static str, bool)> {
    let inner = tag.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    ALLOWED_TAGS
        .iter()
        .find(|t| t.eq_ignore_ascii_case(name))
        .map(|t| (*t, closing))
}

/// Closes the allowed inline tags that a block leaves open, at the end of that block, and
/// drops closing tags that close nothing. In one pass: the stream is built anew.
pub(super) fn balance_tags(events: Vec<(Event, Range<usize>)>) -> Vec<(Event, Range<usize>)> {
    // Most bodies have no raw tag at all: nothing to build anew.
    let tags = events.iter().any(
        |(e, _)| matches!(e, Event::Html(h) | Event::InlineHtml(h) if tag_name(h.trim()).is_some()),
    );
    if !tags {
        return events;
    }
    let mut raw = RawTags::default();
    let mut out = Vec::with_capacity(events.len());
    for (e, range) in events {
        let mut close = |name: &str| {
            out.push((
                Event::InlineHtml(CowStr::from(format!("</{name}>"))),
                range.clone(),
            ));
        };
        match &e {
            Event::Html(h) | Event::InlineHtml(h) => {
                if let RawTag::Stray = raw.see(h, &mut close) {
                    continue;
                }
            }
            Event::End(end) if !is_inline_end(end) => raw.close_all(&mut close),
            _ => {}
        }
        out.push((e, range));
    }
    let end = out.last().map_or(0..0, |(_, r)| r.clone());
    raw.close_all(&mut |name| {
        out.push((
            Event::InlineHtml(CowStr::from(format!("</{name}>"))),
            end.clone(),
        ))
    });
    out
}

/// The ends of Markdown's inline elements, inside which a raw tag may stay open.
fn is_inline_end(end: &TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Link
            | TagEnd::Image
            | TagEnd::Superscript
            | TagEnd::Subscript
    )
}

/// `<sup>`, `</sup>`, `<br>`, `<br/>`, `<br />` with an allowed name and nothing else.
fn is_allowed_tag(tag: &str) -> bool {
    let Some(inner) = tag.strip_prefix('<').and_then(|t| t.strip_suffix('>')) else {
        return false;
    };
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let inner = inner.strip_suffix('/').unwrap_or(inner).trim_end();
    ALLOWED_TAGS.iter().any(|t| t.eq_ignore_ascii_case(inner))
}

/// True for URLs that run code or smuggle content: `javascript:`, `vbscript:`, `data:`.
/// Browsers ignore ASCII whitespace and control characters inside the scheme, so do we.
pub fn is_dangerous_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// Replaces the value of every `href`, `src`, `action`, `formaction` or `xlink:href`
/// attribute that holds a dangerous URL with `#`. Entity-encoded schemes
/// (`&#106;avascript:`) are decoded before the check.
fn neutralize_urls(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let lower = html.to_ascii_lowercase();
    let mut i = 0;
    while i < html.len() {
        let Some(attr_at) = next_url_attr(&lower, i) else {
            break;
        };
        let (name_end, value_range) = attr_at;
        out.push_str(&html[i..name_end]);
        let value = &html[value_range.clone()];
        let name = lower[..name_end]
            .trim_end_matches(['"', '\''])
            .trim_end()
            .trim_end_matches('=')
            .trim_end();
        if is_dangerous_attr(name, &decode_entities(value)) {
            out.push('#');
        } else {
            out.push_str(value);
        }
        i = value_range.end;
    }
    out.push_str(&html[i.min(html.len())..]);
    out
}

/// `srcdoc` holds a whole document; `content` can hide a URL in `0;url=javascript:…`
/// (`<meta http-equiv="refresh">`); `srcset` holds URLs with sizes between commas, `ping`
/// URLs between spaces, SVG's `values` (of `<animate>`) values between semicolons, any of
/// which may be the `href` it animates; every other attribute checked holds one URL.
fn is_dangerous_attr(name: &str, value: &str) -> bool {
    if name.ends_with("srcdoc") {
        return true;
    }
    if name.ends_with("srcset") {
        return value
            .split(',')
            .any(|c| c.split_whitespace().next().is_some_and(is_dangerous_url));
    }
    if name.ends_with("ping") {
        return value.split_whitespace().any(is_dangerous_url);
    }
    if name.ends_with("values") {
        return value.split(';').any(|v| is_dangerous_url(v.trim()));
    }
    if name.ends_with("content") {
        let compact: String = value
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        return compact.split("url=").skip(1).any(is_dangerous_url);
    }
    is_dangerous_url(value)
}

/// Finds the next URL attribute at or after `from`; returns the end of `name=` (and any
/// opening quote) and the byte range of the value.
fn next_url_attr(lower: &str, from: usize) -> Option<(usize, Range<usize>)> {
    // Every attribute of HTML and SVG that browsers load or navigate to, and the SVG
    // animation attributes that can set an `href` (`<set to>`, `<animate values>`).
    let names = [
        "href",
        "src",
        "action",
        "formaction",
        "xlink:href",
        "poster",
        "background",
        "data",
        "srcdoc",
        "content",
        "codebase",
        "srcset",
        "imagesrcset",
        "ping",
        "cite",
        "longdesc",
        "usemap",
        "manifest",
        "icon",
        "archive",
        "classid",
        "lowsrc",
        "dynsrc",
        "values",
        "to",
        "from",
        "by",
    ];
    let mut pos = from;
    while pos < lower.len() {
        let rest = &lower[pos..];
        let eq = rest.find('=')? + pos;
        let before = lower[..eq].trim_end();
        let is_url_attr = names.iter().any(|n| {
            let Some(head) = before.strip_suffix(n) else {
                return false;
            };
            // An HTML block continues over lines, so a line may start with the attribute.
            head.is_empty()
                || head.ends_with(|c: char| {
                    c.is_ascii_whitespace() || c == '"' || c == '\'' || c == '/'
                })
        });
        if !is_url_attr {
            pos = eq + 1;
            continue;
        }
        let after = &lower[eq + 1..];
        let skipped = after.len() - after.trim_start().len();
        let start = eq + 1 + skipped;
        let quote = lower[start..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'');
        let (value_start, end) = match quote {
            Some(q) => {
                let vs = start + 1;
                (vs, lower[vs..].find(q).map_or(lower.len(), |n| vs + n))
            }
            None => (
                start,
                lower[start..]
                    .find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .map_or(lower.len(), |n| start + n),
            ),
        };
        return Some((value_start, value_start..end));
    }
    None
}

/// Decodes character references the way browsers do inside attributes, enough to see a
/// scheme: numeric ones with or without `;` and any number of leading zeros (`&#0000106`,
/// `&#x6A;`), the named ones that can hide a scheme (`&colon;`, `&Tab;`, `&NewLine;`), and
/// the ones pulldown-cmark writes (`&lt;`, `&gt;`, `&quot;`, `&amp;`), so that the search
/// index reads rendered HTML back as text with the same function.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp + 1..];
        match decode_one(tail) {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = tail;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference at the start of `tail` (just after `&`); returns the character and
/// how many bytes it used.
fn decode_one(tail: &str) -> Option<(char, usize)> {
    if let Some(num) = tail.strip_prefix('#') {
        let (hex, digits_from) = match num.as_bytes().first() {
            Some(b'x' | b'X') => (true, 2),
            _ => (false, 1),
        };
        let digits: String = tail[digits_from..]
            .chars()
            .take_while(|c| {
                if hex {
                    c.is_ascii_hexdigit()
                } else {
                    c.is_ascii_digit()
                }
            })
            .collect();
        if digits.is_empty() {
            return None;
        }
        let trimmed = digits.trim_start_matches('0');
        let value = if trimmed.is_empty() {
            Some(0)
        } else if trimmed.len() > 8 {
            None
        } else {
            u32::from_str_radix(trimmed, if hex { 16 } else { 10 }).ok()
        };
        let c = value.and_then(char::from_u32).unwrap_or('\u{FFFD}');
        let mut len = digits_from + digits.len();
        if tail[len..].starts_with(';') {
            len += 1;
        }
        return Some((c, len));
    }
    let lower = tail.get(..8).unwrap_or(tail).to_ascii_lowercase();
    for (name, c) in [
        ("colon", ':'),
        ("tab", '\t'),
        ("newline", '\n'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("amp;", '&'),
    ] {
        if lower.starts_with(name) {
            let mut len = name.len();
            if tail[len..].starts_with(';') {
                len += 1;
            }
            return Some((c, len));
        }
    }
    None
}

fn escape_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Escapes text for use inside a double-quoted attribute.
pub fn escape_attr(s: &str) -> String {
    escape_text(s).replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_dangerous_schemes_however_written() {
        for url in [
            "javascript:alert(1)",
            " JavaScript:x",
            "java\tscript:x",
            "data:text/html,x",
            "VBSCRIPT:x",
        ] {
            assert!(is_dangerous_url(url), "{url}");
        }
        for url in [
            "https://x.vn",
            "/a/",
            "#muc",
            "mailto:a@b.vn",
            "tel:0292",
            "anh.jpg",
        ] {
            assert!(!is_dangerous_url(url), "{url}");
        }
    }

    #[test]
    fn neutralizes_urls_in_raw_html() {
        assert_eq!(
            neutralize_urls("<a href=\"javascript:alert(1)\">x</a>"),
            "<a href=\"#\">x</a>"
        );
        assert_eq!(
            neutralize_urls("<a href='&#106;avascript:x'>x</a>"),
            "<a href='#'>x</a>"
        );
        assert_eq!(
            neutralize_urls("<img src=data:image/png;base64,AA>"),
            "<img src=#>"
        );
        assert_eq!(
            neutralize_urls("<a href=\"https://x.vn\" title=\"a=b\">x</a>"),
            "<a href=\"https://x.vn\" title=\"a=b\">x</a>"
        );
    }

    #[test]
    fn neutralizes_urls_in_every_attribute_that_holds_one() {
        for (html, want) in [
            (
                "<img srcset=\"a.jpg 1x, javascript:alert(1) 2x\">",
                "<img srcset=\"#\">",
            ),
            (
                "<a ping=\"https://a.vn javascript:x\" href=\"/\">x</a>",
                "<a ping=\"#\" href=\"/\">x</a>",
            ),
            (
                "<svg><a><animate attributeName=href values=\"javascript:alert(1)\"/>x</a></svg>",
                "<svg><a><animate attributeName=href values=\"#\"/>x</a></svg>",
            ),
            (
                "<svg><a><set attributeName=href to=\"&#106;avascript:x\"/></a></svg>",
                "<svg><a><set attributeName=href to=\"#\"/></a></svg>",
            ),
            (
                "<blockquote cite=\"javascript:x\">a</blockquote>",
                "<blockquote cite=\"#\">a</blockquote>",
            ),
            (
                "<img srcset=\"a.jpg 480w, b.jpg 800w\">",
                "<img srcset=\"a.jpg 480w, b.jpg 800w\">",
            ),
        ] {
            assert_eq!(neutralize_urls(html), want, "{html}");
        }
    }

    #[test]
    fn balances_allowed_tags_within_their_block() {
        let events: Vec<(Event, Range<usize>)> =
            pulldown_cmark::Parser::new("a <s>gạch </sup> b\n\nc <b><i>d</b> e\n")
                .into_offset_iter()
                .collect();
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            balance_tags(events).into_iter().map(|(e, _)| e),
        );
        assert_eq!(
            html,
            "<p>a <s>gạch  b</s></p>\n<p>c <b><i>d</i></b> e</p>\n"
        );
    }

    #[test]
    fn allows_only_bare_inline_tags() {
        for ok in ["<br>", "<br/>", "<br />", "<sup>", "</sup>", "<U>"] {
            assert!(is_allowed_tag(ok), "{ok}");
        }
        for bad in [
            "<script>",
            "<img src=x onerror=alert(1)>",
            "<sup onclick=x>",
            "<a href=x>",
            "<br",
        ] {
            assert!(!is_allowed_tag(bad), "{bad}");
        }
    }
}
