//! Số ký hiệu of policy documents, validated on construction so the graph only holds good ones.
//!
//! Two styles exist and real sites mix them up:
//! - Party documents: number, hyphen, type, slash, issuing body: `57-NQ/TW`, `02-KH/BCĐTW`.
//! - State documents: number, slash, type, hyphen, issuer: `71/NQ-CP`, `46/KH-UBND`; legal
//!   normative documents add the year: `42/2022/NĐ-CP`, `148/2025/QH15`.
//!
//! `57/NQ-TW` (a Party body written state style) is refused with the right form as the fix.

use std::fmt;

/// A validated document number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocNumber(String);

/// Why a number was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocNumberError {
    /// Not a number in either style.
    Invalid,
    /// Recognisable, but written in the wrong style, case or spacing; `correct` is the fix.
    WrongStyle { correct: String, party: bool },
}

/// Bodies of the Party (their documents use the Party style). Anything ending in `TW` is too.
const PARTY_BODIES: &[&str] = &["TU", "HU", "ĐU", "QU", "BCĐ", "ĐUK", "CB"];
/// Common state issuers, to catch `71-NQ/CP` written Party style.
const STATE_ISSUERS: &[&str] = &[
    "CP", "TTg", "UBND", "HĐND", "BTTTT", "BKHCN", "VPCP", "BCA", "BTC", "BNV", "BCT", "BYT",
];

impl DocNumber {
    /// Validates `input` (already NFC). Surrounding whitespace is ignored.
    pub fn parse(input: &str) -> Result<DocNumber, DocNumberError> {
        let s = input.trim();
        match classify(s) {
            Shape::Party { body, .. } if is_state_issuer(body) => {
                Err(wrong_style(to_state_style(s), false))
            }
            Shape::State { issuer, .. } if is_party_body(issuer) => {
                Err(wrong_style(to_party_style(s), true))
            }
            Shape::Party { .. } | Shape::State { .. } => Ok(DocNumber(s.to_owned())),
            Shape::Neither => {
                // Right shape once spaces and case are fixed? Then say so, with the fix
                // (which may also correct the style: `57/nq-tw` → `57-NQ/TW`).
                let fixed = canonical_spelling(s);
                if fixed == s {
                    return Err(DocNumberError::Invalid);
                }
                match DocNumber::parse(&fixed) {
                    Ok(n) => {
                        let party = n.is_party();
                        Err(wrong_style(n.0, party))
                    }
                    Err(e) => Err(e),
                }
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Party style (`57-NQ/TW`) rather than state style.
    pub fn is_party(&self) -> bool {
        matches!(classify(&self.0), Shape::Party { .. })
    }
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn wrong_style(correct: String, party: bool) -> DocNumberError {
    DocNumberError::WrongStyle { correct, party }
}

enum Shape<'a> {
    Party { body: &'a str },
    State { issuer: &'a str },
    Neither,
}

fn classify(s: &str) -> Shape<'_> {
    // Party: N-TYPE/BODY
    if let Some((left, body)) = s.split_once('/')
        && let Some((num, kind)) = left.split_once('-')
        && is_number(num)
        && is_upper_code(kind)
        && is_upper_code(body)
    {
        return Shape::Party { body };
    }
    // State: N[/YEAR]/TYPE-ISSUER[-MORE] or N/YEAR/ISSUER
    let parts: Vec<&str> = s.split('/').collect();
    let (num, year, symbol) = match parts.as_slice() {
        [num, symbol] => (*num, None, *symbol),
        [num, year, symbol] => (*num, Some(*year), *symbol),
        _ => return Shape::Neither,
    };
    if !is_number(num) || year.is_some_and(|y| y.len() != 4 || !is_number(y)) {
        return Shape::Neither;
    }
    let groups: Vec<&str> = symbol.split('-').collect();
    let groups_ok = groups.iter().all(|g| is_code(g));
    let enough = groups.len() >= 2 || (year.is_some() && groups.len() == 1);
    match (groups_ok && enough, groups.last()) {
        (true, Some(issuer)) => Shape::State { issuer },
        _ => Shape::Neither,
    }
}

fn is_number(s: &str) -> bool {
    (1..=5).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// All capitals or digits, starting with a capital: `NQ`, `BCĐTW`, `QH15`.
fn is_upper_code(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_uppercase())
        && chars.all(|c| c.is_uppercase() || c.is_ascii_digit())
}

/// Starts with a capital, then letters or digits: also allows `TTg` (Thủ tướng).
fn is_code(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_uppercase()) && chars.all(|c| c.is_alphanumeric())
}

fn is_party_body(s: &str) -> bool {
    s.ends_with("TW") || PARTY_BODIES.contains(&s)
}

fn is_state_issuer(s: &str) -> bool {
    STATE_ISSUERS.contains(&s) || s.starts_with("QH")
}

/// `71-NQ/CP` → `71/NQ-CP`.
fn to_state_style(s: &str) -> String {
    let (left, body) = s.split_once('/').unwrap_or((s, ""));
    let (num, kind) = left.split_once('-').unwrap_or((left, ""));
    format!("{num}/{kind}-{body}")
}

/// `57/NQ-TW` → `57-NQ/TW` (a year, if any, is dropped: Party numbers carry none).
fn to_party_style(s: &str) -> String {
    let num = s.split('/').next().unwrap_or(s);
    let symbol = s.rsplit('/').next().unwrap_or(s);
    let (kind, body) = symbol.rsplit_once('-').unwrap_or((symbol, ""));
    format!("{num}-{kind}/{body}")
}

/// Removes spaces and writes symbols in capitals (keeping `TTg`).
fn canonical_spelling(s: &str) -> String {
    let no_space: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    no_space.to_uppercase().replace("TTG", "TTg")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_both_styles() {
        for ok in [
            "57-NQ/TW",
            "02-KH/BCĐTW",
            "15662-CV/VPTW",
            "22-KH/TU",
            "01-KH/BCĐ",
            "71/NQ-CP",
            "46/KH-UBND",
            "06/KH-UBND",
            "505/QĐ-TTg",
            "793/BTTTT-THH",
            "42/2022/NĐ-CP",
            "148/2025/QH15",
        ] {
            assert_eq!(DocNumber::parse(ok).map(|n| n.0), Ok(ok.to_owned()), "{ok}");
        }
        assert!(DocNumber::parse("57-NQ/TW").unwrap().is_party());
        assert!(!DocNumber::parse("71/NQ-CP").unwrap().is_party());
    }

    #[test]
    fn names_the_right_form_for_the_wrong_style() {
        for (bad, correct, party) in [
            ("57/NQ-TW", "57-NQ/TW", true),
            ("02/KH-BCĐTW", "02-KH/BCĐTW", true),
            ("71-NQ/CP", "71/NQ-CP", false),
            ("46-KH/UBND", "46/KH-UBND", false),
            ("46/kh-ubnd", "46/KH-UBND", false),
            ("57 - NQ/TW", "57-NQ/TW", true),
            ("57/nq-tw", "57-NQ/TW", true),
        ] {
            assert_eq!(
                DocNumber::parse(bad),
                Err(DocNumberError::WrongStyle {
                    correct: correct.into(),
                    party
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn refuses_what_is_no_number() {
        for bad in [
            "",
            "/KH-UBND",
            "NQ-TW",
            "57",
            "57/NQ",
            "abc/def-ghi",
            "57-NQ/TW/X",
            "123456/KH-UBND",
        ] {
            assert_eq!(
                DocNumber::parse(bad),
                Err(DocNumberError::Invalid),
                "{bad:?}"
            );
        }
    }
}
