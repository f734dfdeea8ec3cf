//! The text a body shows, recorded as the HTML is written: where each run of text between
//! tags lies in the HTML. The search index reads a body through these runs (words of the body,
//! the summary, the excerpt) and never parses HTML; a run is a few bytes of memory, not a
//! second copy of the body's text.
//!
//! A word never runs across a tag, as in the page a browser shows. Raw HTML in a body is read
//! for its text between tags. An image's description is an attribute, not text.

use std::borrow::Cow;
use std::cell::Cell;

use pulldown_cmark::{Event, Tag};

use super::html::decode_entities;
use crate::text::nfc_cow;

/// Where the text of a piece of HTML lies in it: byte ranges, in order, with a tag (or only
/// space) between any two.
#[derive(Debug, Default, Clone, Hash)]
pub struct Runs(Box<[(u32, u32)]>);

impl Runs {
    /// The runs of `html`, the HTML they were recorded from: entities decoded, NFC.
    pub fn of<'h>(&'h self, html: &'h str) -> impl Iterator<Item = Cow<'h, str>> + 'h {
        self.0.iter().filter_map(move |&(start, end)| {
            let run = html.get(start as usize..end as usize)?;
            Some(if run.contains('&') {
                Cow::Owned(nfc_cow(&decode_entities(run)).into_owned())
            } else {
                Cow::Borrowed(run)
            })
        })
    }

    /// The runs of `html` as one text, a space after each.
    pub fn joined(&self, html: &str) -> String {
        let mut out = String::new();
        for run in self.of(html) {
            out.push_str(&run);
            out.push(' ');
        }
        out
    }
}

/// Writes `events` as HTML onto `out`, recording where their text lies.
pub(super) fn push_html<'a>(out: &mut String, events: impl Iterator<Item = Event<'a>>) -> Runs {
    let at = Cell::new(out.len());
    let mut found = Found {
        pieces: Vec::with_capacity(32),
        ..Found::default()
    };
    let writer = Counting { out, at: &at };
    let events = events.inspect(|event| found.next(event, at.get()));
    // Writing into a `String` cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(writer, events);
    found.end_last(at.get());
    found.runs(out)
}

/// A `String` that tells how long it is after each write.
struct Counting<'s> {
    out: &'s mut String,
    at: &'s Cell<usize>,
}

impl std::fmt::Write for Counting<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.out.push_str(s);
        self.at.set(self.out.len());
        Ok(())
    }
}

/// Marks a recorded range as HTML holding text between tags (raw HTML, inline code), to be
/// read between its tags once the HTML is written; other ranges are escaped text alone.
const MIXED: u32 = 1 << 31;

/// A byte offset of the HTML, below [`MIXED`] (a body is far smaller than 2 GB).
fn offset(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX) & !MIXED
}

/// The output of events as the writer asks for them: when it asks for the next event, the
/// last one is written.
#[derive(Default)]
struct Found {
    /// Where the last event's output starts, with [`MIXED`] for a mixed one.
    last: Option<u32>,
    /// Ranges of output, neighbouring text already joined.
    pieces: Vec<(u32, u32)>,
    /// Depth inside an image, whose text is its description.
    in_image: usize,
}

impl Found {
    fn next(&mut self, event: &Event, at: usize) {
        self.end_last(at);
        let at = offset(at);
        if self.in_image > 0 {
            match event {
                Event::Start(_) => self.in_image += 1,
                Event::End(_) => self.in_image -= 1,
                _ => {}
            }
            return;
        }
        self.last = match event {
            Event::Text(_) | Event::SoftBreak => Some(at),
            Event::Code(_)
            | Event::Html(_)
            | Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_) => Some(at | MIXED),
            Event::Start(Tag::Image { .. }) => {
                self.in_image = 1;
                None
            }
            _ => None,
        };
    }

    /// The last event's output ends at `at`.
    fn end_last(&mut self, at: usize) {
        if let Some(start) = self.last.take() {
            self.push(start, offset(at));
        }
    }

    /// Records the output from `packed` (a start, with [`MIXED`] for a mixed event) to `end`;
    /// text right after text joins it.
    fn push(&mut self, packed: u32, end: u32) {
        let start = packed & !MIXED;
        if end <= start {
            return;
        }
        match self.pieces.last_mut() {
            Some(last) if packed == start && last.0 & MIXED == 0 && last.1 == start => last.1 = end,
            _ => self.pieces.push((packed, end)),
        }
    }

    /// The runs, once `html` is written: mixed pieces read between their tags (a tag left
    /// open runs on into the next piece), neighbouring pieces joined.
    fn runs(self, html: &str) -> Runs {
        if self.pieces.iter().all(|&(start, _)| start & MIXED == 0) {
            return Runs(self.pieces.into_boxed_slice());
        }
        let mut runs: Vec<(u32, u32)> = Vec::with_capacity(self.pieces.len());
        let mut push = |start: usize, end: usize| {
            let (start, end) = (start as u32, end as u32);
            match runs.last_mut() {
                Some(last) if last.1 == start => last.1 = end,
                _ if end > start => runs.push((start, end)),
                _ => {}
            }
        };
        let bytes = html.as_bytes();
        let (mut in_tag, mut last_end) = (false, 0);
        for (start, end) in self.pieces {
            let (mixed, start, end) = (start & MIXED != 0, (start & !MIXED) as usize, end as usize);
            // Between two pieces the writer wrote a tag of its own.
            in_tag &= start == last_end;
            last_end = end;
            if !mixed {
                if !in_tag {
                    push(start, end);
                }
                continue;
            }
            let mut i = start;
            while i < end {
                let stop = if in_tag { b'>' } else { b'<' };
                let next = (bytes[i..end].iter().position(|&b| b == stop)).map_or(end, |p| i + p);
                if !in_tag {
                    push(i, next);
                }
                if next < end {
                    in_tag = !in_tag;
                }
                i = next + 1;
            }
        }
        Runs(runs.into_boxed_slice())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn words(markdown: &str) -> Vec<String> {
        let mut html = String::new();
        let events = Parser::new_ext(markdown, Options::ENABLE_TABLES);
        let runs = push_html(&mut html, events);
        let text = runs.joined(&html);
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn a_tag_ends_a_word() {
        assert_eq!(words("Chuyển *đổi*số"), ["Chuyển", "đổi", "số"]);
        assert_eq!(words("A & B `x<y`"), ["A", "&", "B", "x<y"]);
        assert_eq!(words("một\nhai"), ["một", "hai"]);
    }

    #[test]
    fn an_image_description_is_not_text() {
        assert_eq!(words("Trước ![ảnh cổng xã](a.jpg) sau"), ["Trước", "sau"]);
    }

    #[test]
    fn raw_html_is_read_between_its_tags() {
        let t = "<div class=\"x\">Hộp &amp; thư</div>\n\nCuối <span title=\"ẩn\">hiện</span>";
        assert_eq!(words(t), ["Hộp", "&", "thư", "Cuối", "hiện"]);
        let split = "<div\nclass=\"x\">Trong</div>";
        assert_eq!(words(split), ["Trong"]);
    }
}
