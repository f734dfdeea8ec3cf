//! Text that needs a human look: words pasted from the legacy TCVN3 (ABC) or VNI encodings
//! (`T«i ®i häc`, `Toâi ñi hoïc`), and the two tone placements (`hoà`/`hòa`, `thuỷ`/`thủy`)
//! mixed in one site. Both are warnings: the build still works, but readers see the mess.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::content::{Page, Section};
use crate::diagnostics::{Diagnostic, Kind};

/// Latin-1 characters that are not Vietnamese letters: inside a word they betray text decoded
/// with the wrong table. TCVN3 shows mostly symbols (« ® ¸ µ), VNI mostly letters (ñ ï ø û).
const TCVN3_SIGNS: &str = "¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿ÇËÎÐÞßçîðþ";
const VNI_SIGNS: &str = "ÄÅÆÑÖØÛÜäåæëïñöøûüÿ";

/// Every source text of the site: pages and sections.
fn texts<'a>(
    pages: &'a [std::sync::Arc<Page>],
    sections: &'a [Section],
) -> impl Iterator<Item = (&'a PathBuf, &'a str)> {
    pages
        .iter()
        .map(|p| (&p.file, &*p.text))
        .chain(sections.iter().map(|s| (&s.file, &*s.text)))
}

pub(super) fn legacy_encoding(
    pages: &[std::sync::Arc<Page>],
    sections: &[Section],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (file, text) in texts(pages, sections) {
        let mut first: Option<(usize, usize, String)> = None;
        let (mut tcvn3, mut vni) = (0, 0);
        for (n, line) in text.lines().enumerate() {
            for (col, word) in words(line) {
                let letters = word.chars().any(char::is_alphabetic);
                let t = word.chars().filter(|c| TCVN3_SIGNS.contains(*c)).count();
                let v = word.chars().filter(|c| VNI_SIGNS.contains(*c)).count();
                // A sign at the edge of a word may be typography («trích dẫn»); inside, it is not.
                let inner = word
                    .chars()
                    .skip(1)
                    .take(word.chars().count().saturating_sub(2));
                let inside = inner
                    .clone()
                    .any(|c| TCVN3_SIGNS.contains(c) || VNI_SIGNS.contains(c))
                    || (t + v > 0 && word.chars().count() <= 3);
                if letters && inside && t + v > 0 {
                    tcvn3 += t;
                    vni += v;
                    first.get_or_insert((n + 1, col, word.to_owned()));
                }
            }
        }
        if let Some((line, col, sample)) = first
            && tcvn3 + vni >= 2
        {
            let encoding = match (tcvn3, vni) {
                (t, v) if t > 2 * v => "TCVN3 (ABC)",
                (t, v) if v > 2 * t => "VNI Windows",
                _ => "TCVN3 (ABC) hoặc VNI",
            };
            let width = sample.chars().count();
            let kind = Kind::LegacyEncoding { sample, encoding };
            diags.push(
                Diagnostic::at(file, text, line, col, kind)
                    .with_width(width)
                    .warning(),
            );
        }
    }
    diags
}

/// Runs of non-space characters with their 1-based column.
fn words(line: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut col = 0;
    line.split(' ').map(move |w| {
        let at = col + 1;
        col += w.chars().count() + 1;
        (at, w)
    })
}

/// `(old, new)` endings: the old placement puts the tone on the second vowel of oa, oe, uy at
/// the end of a syllable (`hoà`), the new one on the first (`hòa`).
const PAIRS: &[(&str, &str)] = &[
    ("oà", "òa"),
    ("oá", "óa"),
    ("oả", "ỏa"),
    ("oã", "õa"),
    ("oạ", "ọa"),
    ("oè", "òe"),
    ("oé", "óe"),
    ("oẻ", "ỏe"),
    ("oẽ", "õe"),
    ("oẹ", "ọe"),
    ("uỳ", "ùy"),
    ("uý", "úy"),
    ("uỷ", "ủy"),
    ("uỹ", "ũy"),
    ("uỵ", "ụy"),
];

struct Use {
    file: PathBuf,
    line: usize,
    col: usize,
    word: String,
    other: String,
}

pub(super) fn tone_placement(
    pages: &[std::sync::Arc<Page>],
    sections: &[Section],
) -> Vec<Diagnostic> {
    let mut old: Vec<Use> = Vec::new();
    let mut new: Vec<Use> = Vec::new();
    let mut texts_of: HashMap<PathBuf, &str> = HashMap::new();
    for (file, text) in texts(pages, sections) {
        texts_of.insert(file.clone(), text);
        for (n, line) in text.lines().enumerate() {
            for (col, raw) in syllables(line) {
                let lower = raw.to_lowercase();
                if lower.starts_with("qu") {
                    continue; // `quý`, `quả`: the u belongs to the consonant
                }
                for (o, nw) in PAIRS {
                    let (list, from, to) = if lower.ends_with(o) {
                        (&mut old, *o, *nw)
                    } else if lower.ends_with(nw) {
                        (&mut new, *nw, *o)
                    } else {
                        continue;
                    };
                    let other = format!("{}{to}", &lower[..lower.len() - from.len()]);
                    list.push(Use {
                        file: file.clone(),
                        line: n + 1,
                        col,
                        word: raw.to_owned(),
                        other,
                    });
                    break;
                }
            }
        }
    }
    if old.is_empty() || new.is_empty() {
        return Vec::new();
    }
    let (minority, majority_count) = if old.len() <= new.len() {
        (old, new.len())
    } else {
        (new, old.len())
    };
    minority
        .into_iter()
        .map(|u| {
            let text = texts_of.get(&u.file).copied().unwrap_or("");
            let width = u.word.chars().count();
            let kind = Kind::MixedTonePlacement {
                word: u.word,
                preferred: u.other,
                other_uses: majority_count,
            };
            Diagnostic::at(&u.file, text, u.line, u.col, kind)
                .with_width(width)
                .warning()
        })
        .collect()
}

/// Alphabetic runs of a line with their 1-based column.
fn syllables(line: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    for (col, (i, c)) in line.char_indices().enumerate() {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some((i, col + 1)),
            (false, Some((s, sc))) => {
                out.push((sc, &line[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some((s, sc)) = start {
        out.push((sc, &line[s..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_syllables_with_columns() {
        assert_eq!(
            syllables("Hòa bình, thủy lợi"),
            [(1, "Hòa"), (5, "bình"), (11, "thủy"), (16, "lợi")]
        );
    }
}
