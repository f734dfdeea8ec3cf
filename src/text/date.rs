//! Dates as editors type them and as Vietnamese readers expect to see them.
//!
//! Accepted in front matter: `2026-02-15`, `2026-02-15 08:30`, RFC 3339, `15/02/2026` and
//! `15/02/2026 08:30`. A date without an offset is Vietnam time (UTC+07:00, no daylight saving
//! since 1975, so a fixed offset is exact and chrono-tz is not needed).

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};

/// UTC+07:00.
pub fn vietnam_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3600).expect("7 hours is a valid offset")
}

/// Why a date string was refused; `diagnostics` turns it into Vietnamese.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateParseError {
    /// Not one of the accepted shapes.
    UnknownFormat,
    /// The right shape but no such day or time (31/02, month 13, 25:00).
    NoSuchDate,
}

/// Parses a front-matter date. See the module docs for the accepted formats.
pub fn parse_date(input: &str) -> Result<DateTime<FixedOffset>, DateParseError> {
    let s = input.trim();
    if let Ok(dt) = DateTime::parse_from_rfc3339(s) {
        return Ok(dt);
    }
    let (date_part, time_part) = match s.split_once([' ', 'T']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let date = parse_day(date_part)?;
    let time = match time_part {
        None => NaiveTime::MIN,
        Some(t) => parse_time(t)?,
    };
    vietnam_offset()
        .from_local_datetime(&NaiveDateTime::new(date, time))
        .single()
        .ok_or(DateParseError::NoSuchDate)
}

fn parse_day(s: &str) -> Result<NaiveDate, DateParseError> {
    let (y, m, d) = if let Some(parts) = split_numbers(s, '-', [4, 2, 2]) {
        (parts[0], parts[1], parts[2])
    } else if let Some(parts) = split_numbers(s, '/', [2, 2, 4]) {
        (parts[2], parts[1], parts[0])
    } else {
        return Err(DateParseError::UnknownFormat);
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateParseError::NoSuchDate)
}

fn parse_time(s: &str) -> Result<NaiveTime, DateParseError> {
    let parts: Vec<&str> = s.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(DateParseError::UnknownFormat);
    }
    let num = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<u32>());
    match (num(0), num(1), num(2)) {
        (Ok(h), Ok(m), Ok(sec)) => {
            NaiveTime::from_hms_opt(h, m, sec).ok_or(DateParseError::NoSuchDate)
        }
        _ => Err(DateParseError::UnknownFormat),
    }
}

/// Splits `s` on `sep` into three numbers whose digit counts are at most `max_digits`
/// (and exactly 4 for a year).
fn split_numbers(s: &str, sep: char, max_digits: [usize; 3]) -> Option<[u32; 3]> {
    let mut parts = s.split(sep);
    let mut out = [0u32; 3];
    for (slot, max) in out.iter_mut().zip(max_digits) {
        let p = parts.next()?;
        let ok_len = if max == 4 {
            p.len() == 4
        } else {
            (1..=max).contains(&p.len())
        };
        if !ok_len || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        *slot = p.parse().ok()?;
    }
    parts.next().is_none().then_some(out)
}

const WEEKDAYS: [&str; 7] = [
    "Thứ Hai",
    "Thứ Ba",
    "Thứ Tư",
    "Thứ Năm",
    "Thứ Sáu",
    "Thứ Bảy",
    "Chủ Nhật",
];

/// `26/11/2026`.
pub fn format_short<Tz: TimeZone>(dt: &DateTime<Tz>) -> String {
    let mut out = String::with_capacity(10);
    push_short(&dt.with_timezone(&vietnam_offset()), &mut out);
    out
}

/// `Thứ Năm, 26/11/2026`, or `Thứ Năm, 26/11/2026 08:30` when `with_time`.
pub fn format_dateline<Tz: TimeZone>(dt: &DateTime<Tz>, with_time: bool) -> String {
    let d = dt.with_timezone(&vietnam_offset());
    let mut out = String::with_capacity(32);
    out.push_str(WEEKDAYS[d.weekday().num_days_from_monday() as usize]);
    out.push_str(", ");
    push_short(&d, &mut out);
    if with_time {
        out.push(' ');
        push_two_digits(d.hour(), &mut out);
        out.push(':');
        push_two_digits(d.minute(), &mut out);
    }
    out
}

/// Dates are written on every page and every card: by hand, not through `format!` or
/// chrono's formatter, which cost more than the rest of a card.
fn push_short(d: &DateTime<FixedOffset>, out: &mut String) {
    use std::fmt::Write;
    push_two_digits(d.day(), out);
    out.push('/');
    push_two_digits(d.month(), out);
    let _ = write!(out, "/{}", d.year());
}

/// `n` (below 100) with two digits.
fn push_two_digits(n: u32, out: &mut String) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

/// The formal style of Nghị định 30/2020: `ngày 14 tháng 01 năm 2026`. Days below 10 and the
/// months 1 and 2 take a leading zero; months 3 to 12 do not.
pub fn format_formal<Tz: TimeZone>(dt: &DateTime<Tz>) -> String {
    let d = dt.with_timezone(&vietnam_offset());
    let month = if d.month() <= 2 {
        format!("{:02}", d.month())
    } else {
        d.month().to_string()
    };
    format!("ngày {:02} tháng {month} năm {}", d.day(), d.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymdhm(s: &str) -> String {
        parse_date(s)
            .unwrap()
            .format("%Y-%m-%d %H:%M %z")
            .to_string()
    }

    #[test]
    fn accepts_every_documented_format() {
        for (input, want) in [
            ("2026-02-15", "2026-02-15 00:00 +0700"),
            ("2026-02-15 08:30", "2026-02-15 08:30 +0700"),
            ("2026-02-15T08:30:15", "2026-02-15 08:30 +0700"),
            ("2026-02-15T08:30:00+07:00", "2026-02-15 08:30 +0700"),
            ("2026-02-15T01:30:00Z", "2026-02-15 01:30 +0000"),
            ("15/02/2026", "2026-02-15 00:00 +0700"),
            ("15/02/2026 08:30", "2026-02-15 08:30 +0700"),
            ("5/2/2026", "2026-02-05 00:00 +0700"),
            ("  14/01/2026  ", "2026-01-14 00:00 +0700"),
        ] {
            assert_eq!(ymdhm(input), want, "{input}");
        }
    }

    #[test]
    fn rejects_wrong_shapes_and_impossible_dates() {
        for (input, want) in [
            ("2026/02/15", DateParseError::UnknownFormat),
            ("15-02-2026", DateParseError::UnknownFormat),
            ("15/02/26", DateParseError::UnknownFormat),
            ("tháng 2", DateParseError::UnknownFormat),
            ("", DateParseError::UnknownFormat),
            ("2026-02-15 8h30", DateParseError::UnknownFormat),
            ("31/02/2026", DateParseError::NoSuchDate),
            ("02/15/2026", DateParseError::NoSuchDate),
            ("2026-13-01", DateParseError::NoSuchDate),
            ("2026-02-15 25:00", DateParseError::NoSuchDate),
        ] {
            assert_eq!(parse_date(input), Err(want), "{input:?}");
        }
    }

    #[test]
    fn formats_vietnamese_styles() {
        let d = parse_date("26/11/2026 08:30").unwrap();
        assert_eq!(format_dateline(&d, false), "Thứ Năm, 26/11/2026");
        assert_eq!(format_dateline(&d, true), "Thứ Năm, 26/11/2026 08:30");
        assert_eq!(format_short(&d), "26/11/2026");
        assert_eq!(format_formal(&d), "ngày 26 tháng 11 năm 2026");
        let jan = parse_date("14/01/2026").unwrap();
        assert_eq!(format_formal(&jan), "ngày 14 tháng 01 năm 2026");
        let july = parse_date("05/07/2023").unwrap();
        assert_eq!(format_formal(&july), "ngày 05 tháng 7 năm 2023");
        let sunday = parse_date("2026-11-29").unwrap();
        assert_eq!(format_dateline(&sunday, false), "Chủ Nhật, 29/11/2026");
    }

    #[test]
    fn utc_input_is_shown_in_vietnam_time() {
        let d = parse_date("2026-11-25T20:00:00Z").unwrap();
        assert_eq!(format_dateline(&d, true), "Thứ Năm, 26/11/2026 03:00");
    }
}
