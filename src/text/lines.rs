//! Lines and columns of positions in a file's text, in time linear in the text however many
//! positions are asked for: a diagnostic quotes its line, and a page with 20,000 links used to
//! count lines from the start of the file for each one.

use std::cell::RefCell;

/// Line and column (1-based, the column in characters) of byte offsets asked for in
/// increasing order, each counted from the one before; an earlier offset starts again from
/// the beginning.
pub struct Locator<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
    line_start: usize,
    /// Characters from `line_start` to `offset`.
    col_chars: usize,
}

impl<'a> Locator<'a> {
    pub fn new(text: &'a str) -> Locator<'a> {
        Locator {
            text,
            offset: 0,
            line: 1,
            line_start: 0,
            col_chars: 0,
        }
    }

    /// The line and column of `offset` (clamped to the text, moved back to a character
    /// boundary).
    pub fn locate(&mut self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        if offset < self.offset {
            *self = Locator::new(self.text);
        }
        let between = &self.text[self.offset..offset];
        match memchr::memrchr(b'\n', between.as_bytes()) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', between.as_bytes()).count();
                self.line_start = self.offset + last + 1;
                self.col_chars = self.text[self.line_start..offset].chars().count();
            }
            None => self.col_chars += between.chars().count(),
        }
        self.offset = offset;
        (self.line, self.col_chars + 1)
    }
}

/// The text of line `line` (1-based) of `text`, without its line break.
///
/// Diagnostics of one file come one after another, each quoting its line: the starts of the
/// lines of the last large text asked about are kept (per thread), so each quote costs a
/// lookup instead of a walk from the top of the file.
pub fn line_of(text: &str, line: usize) -> Option<&str> {
    const SMALL: usize = 4096;
    if line == 0 {
        return None;
    }
    if text.len() <= SMALL {
        return text.lines().nth(line - 1);
    }
    with_starts(text, |starts| line_in(text, &starts.starts, line))
}

/// What a diagnostic quotes of line `line` at column `col` (in characters): the whole line
/// when it is short, else a window around the column with `…` at the cut ends, and the
/// column within what is quoted. Columns asked for in increasing order on one long line are
/// found each from the one before, so 20,000 errors on a 500 KB line cost one pass over it.
pub fn quote_line(text: &str, line: usize, col: usize) -> Option<(String, usize)> {
    const LONG: usize = 240;
    const BEFORE: usize = 80;
    const AFTER: usize = 120;
    let whole = line_of(text, line)?;
    if whole.len() <= LONG {
        return Some((whole.to_owned(), col));
    }
    let byte = with_starts(text, |starts| starts.byte_of(whole, line, col));
    let byte = byte.unwrap_or_else(|| byte_of_col(whole, 0, 1, col));
    let mut from = byte.saturating_sub(BEFORE);
    while !whole.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (byte + AFTER).min(whole.len());
    while !whole.is_char_boundary(to) {
        to += 1;
    }
    let mut quoted = String::with_capacity(to - from + 8);
    let mut col_in = whole[from..byte].chars().count() + 1;
    if from > 0 {
        quoted.push('…');
        col_in += 1;
    }
    quoted.push_str(&whole[from..to]);
    if to < whole.len() {
        quoted.push('…');
    }
    Some((quoted, if col == 0 { 0 } else { col_in }))
}

/// The byte offset of column `col` (1-based, in characters) of `line`, counting from the
/// known column `known_col` at byte `known`.
fn byte_of_col(line: &str, known: usize, known_col: usize, col: usize) -> usize {
    line[known..]
        .char_indices()
        .nth(col.saturating_sub(known_col))
        .map_or(line.len(), |(i, _)| known + i)
}

fn line_in<'t>(text: &'t str, starts: &[usize], line: usize) -> Option<&'t str> {
    let start = *starts.get(line - 1)?;
    let end = starts.get(line).map_or(text.len(), |next| next - 1);
    let slice = text.get(start..end)?;
    let slice = slice.strip_suffix('\n').unwrap_or(slice);
    Some(slice.strip_suffix('\r').unwrap_or(slice))
}

/// Runs `f` with the line starts of `text`, made now unless they are the kept ones.
fn with_starts<R>(text: &str, f: impl FnOnce(&mut LineStarts) -> R) -> R {
    LAST.with(|cache| {
        let mut cache = cache.borrow_mut();
        if cache.as_ref().is_none_or(|c| !c.is_for(text)) {
            *cache = Some(LineStarts::new(text));
        }
        f(cache.as_mut().expect("just made"))
    })
}

thread_local! {
    static LAST: RefCell<Option<LineStarts>> = const { RefCell::new(None) };
}

/// Where each line of one text starts, and enough of that text to tell it from another one
/// later placed at the same address.
struct LineStarts {
    address: usize,
    len: usize,
    sample: Vec<u8>,
    starts: Vec<usize>,
    /// The last column found by [`quote_line`]: its line, column and byte in the line.
    cursor: (usize, usize, usize),
}

impl LineStarts {
    fn new(text: &str) -> LineStarts {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        if starts.last() == Some(&text.len()) && !text.is_empty() {
            starts.pop();
        }
        LineStarts {
            address: text.as_ptr() as usize,
            len: text.len(),
            sample: sample(text),
            starts,
            cursor: (0, 1, 0),
        }
    }

    /// The byte of column `col` in `line_text`, line `line`: from the cursor when it is on
    /// that line at or before `col`.
    fn byte_of(&mut self, line_text: &str, line: usize, col: usize) -> Option<usize> {
        let (known, known_col) = match self.cursor {
            (l, c, b) if l == line && c <= col => (b, c),
            _ => (0, 1),
        };
        let byte = byte_of_col(line_text, known, known_col, col.max(1));
        self.cursor = (line, col.max(1), byte);
        Some(byte)
    }

    fn is_for(&self, text: &str) -> bool {
        self.address == text.as_ptr() as usize
            && self.len == text.len()
            && self.sample == sample(text)
    }
}

/// 16 bytes from each of 16 places spread over the text.
fn sample(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let step = bytes.len() / 16;
    (0..16)
        .flat_map(|i| bytes[i * step..].iter().take(16).copied())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(text: &str, offset: usize) -> (usize, usize) {
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map_or(0, |i| i + 1);
        (line, before[start..].chars().count() + 1)
    }

    #[test]
    fn locator_agrees_with_counting_from_the_start() {
        let text = "một\nhai ba\n\nbốn năm sáu\r\nbảy";
        let offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let mut loc = Locator::new(text);
        for &at in &offsets {
            assert_eq!(loc.locate(at), naive(text, at), "{at}");
        }
        // Backwards, then forwards again.
        for &at in offsets.iter().rev() {
            assert_eq!(loc.locate(at), naive(text, at), "{at}");
        }
        assert_eq!(loc.locate(text.len() + 9), naive(text, text.len()));
    }

    #[test]
    fn lines_of_large_texts_come_from_their_own_index() {
        let a: String = (0..2000).map(|i| format!("dòng {i}\r\n")).collect();
        let b: String = (0..2000).map(|i| format!("hàng {i}\n")).collect();
        for (text, word) in [(&a, "dòng"), (&b, "hàng"), (&a, "dòng")] {
            assert_eq!(line_of(text, 1), Some(&*format!("{word} 0")));
            assert_eq!(line_of(text, 1500), Some(&*format!("{word} 1499")));
            assert_eq!(line_of(text, 2000), Some(&*format!("{word} 1999")));
            assert_eq!(line_of(text, 2001), None);
            assert_eq!(line_of(text, 0), None);
        }
        assert_eq!(line_of("a\nb", 2), Some("b"));
    }

    #[test]
    fn long_lines_are_quoted_around_the_column() {
        let text = format!("{}\n{}X{}", "dòng đầu", "ơ".repeat(5000), "a".repeat(5000));
        let (quoted, col) = quote_line(&text, 2, 5001).unwrap();
        assert!(quoted.starts_with('…') && quoted.ends_with('…'), "{quoted}");
        assert_eq!(quoted.chars().nth(col - 1), Some('X'));
        assert!(quoted.len() < 300);
        for c in [1, 4999, 5001, 5002, 9000] {
            let (quoted, col) = quote_line(&text, 2, c).unwrap();
            let want = text.lines().nth(1).unwrap().chars().nth(c - 1);
            assert_eq!(quoted.chars().nth(col - 1), want, "column {c}");
        }
        assert_eq!(quote_line(&text, 1, 3), Some(("dòng đầu".to_owned(), 3)));
    }
}
