//! Vietnamese filters and the URL functions every template uses.
//!
//! - `{{ page.date | vn_date }}` → `Thứ Năm, 26/11/2026`; `format="datetime"` adds the time,
//!   `"short"` gives `26/11/2026`, `"formal"` gives `ngày 14 tháng 01 năm 2026`.
//! - `{{ n | vn_number }}` → `1.234`; `{{ s | slug }}` → `chuyen-doi-so`.
//! - `{{ url(path="tin-tuc/") }}` and `{{ abs_url(path="rss.xml") }}` build links through `Urls`.

use std::sync::Arc;

use chrono::DateTime;
use tera::{Error, Kwargs, State, Tera, TeraResult};

use crate::text;
use crate::urls::{UrlPath, Urls};

pub fn register(tera: &mut Tera, urls: &Urls) {
    tera.register_filter("vn_date", vn_date);
    tera.register_filter("en_date", en_date);
    tera.register_filter("vn_number", |n: i64, _: Kwargs, _: &State| {
        text::format_number(n)
    });
    tera.register_filter("slug", |s: &str, _: Kwargs, _: &State| text::slugify(s));
    // Only unreserved characters and `%XX` come out: nothing for HTML to escape.
    tera.register_filter("urlencode", |s: &str, _: Kwargs, _: &State| {
        tera::Value::safe_string(&urlencode(s))
    });
    tera.register_filter("json", |s: &str, _: Kwargs, _: &State| {
        tera::Value::safe_string(&crate::text::json_string(s))
    });
    let for_href = Arc::new(urls.clone());
    tera.register_function("url", move |kw: Kwargs, _: &State| -> TeraResult<String> {
        Ok(for_href.href(&UrlPath::file(kw.must_get::<&str>("path")?)))
    });
    let for_abs = Arc::new(urls.clone());
    tera.register_function(
        "abs_url",
        move |kw: Kwargs, _: &State| -> TeraResult<String> {
            Ok(for_abs.absolute(&UrlPath::file(kw.must_get::<&str>("path")?)))
        },
    );
}

/// Percent-encodes everything but RFC 3986 unreserved characters, for a URL inside a query
/// string (share links).
pub fn urlencode(s: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() * 3);
    // Runs of unreserved characters are copied whole.
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 0xF)]]);
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    // Only ASCII went in.
    String::from_utf8(out).unwrap_or_default()
}

fn vn_date(value: &str, kw: Kwargs, _: &State) -> TeraResult<String> {
    let date = DateTime::parse_from_rfc3339(value)
        .map_err(|_| Error::message(format!("vn_date: `{value}` is not an RFC 3339 date")))?;
    let format = kw.get::<&str>("format")?.unwrap_or("dateline");
    Ok(match format {
        "dateline" => text::format_dateline(&date, false),
        // A date typed without a time means "that day", not "at midnight".
        "datetime" => text::format_dateline(&date, date.time() != chrono::NaiveTime::MIN),
        "short" => text::format_short(&date),
        "formal" => text::format_formal(&date),
        "iso" => date.format("%Y-%m-%d").to_string(),
        other => {
            return Err(Error::message(format!(
                "vn_date: unknown format `{other}` (dateline, datetime, short, formal, iso)"
            )));
        }
    })
}

/// An RFC 3339 date for an English page: `4 December 2026`, with `, 08:30` when it has a time.
fn en_date(value: &str, _: Kwargs, _: &State) -> TeraResult<String> {
    let date = DateTime::parse_from_rfc3339(value)
        .map_err(|_| Error::message(format!("en_date: `{value}` is not an RFC 3339 date")))?;
    let day = date.format("%-d %B %Y").to_string();
    Ok(match date.time() == chrono::NaiveTime::MIN {
        true => day,
        false => format!("{day}, {}", date.format("%H:%M")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_dates_name_the_month() {
        let mut tera = Tera::new();
        register(&mut tera, &Urls::new("https://x.vn/chuyen-doi-so/"));
        tera.add_raw_template("t.html", "{{ a | en_date }}|{{ b | en_date }}")
            .unwrap();
        let mut cx = tera::Context::new();
        cx.insert("a", "2026-12-04T00:00:00+07:00");
        cx.insert("b", "2026-03-05T08:30:00+07:00");
        assert_eq!(
            tera.render("t.html", &cx).unwrap(),
            "4 December 2026|5 March 2026, 08:30"
        );
    }

    #[test]
    fn urlencodes_share_targets() {
        assert_eq!(
            urlencode("https://x.vn/a b/?q=đ"),
            "https%3A%2F%2Fx.vn%2Fa%20b%2F%3Fq%3D%C4%91"
        );
    }

    #[test]
    fn filters_format_vietnamese_dates_numbers_and_urls() {
        let mut tera = Tera::new();
        register(&mut tera, &Urls::new("https://x.vn/chuyen-doi-so/"));
        tera.add_raw_template(
            "t.html",
            "{{ d | vn_date }}|{{ d | vn_date(format=\"datetime\") }}|{{ d | vn_date(format=\"formal\") }}|{{ 1234 | vn_number }}|{{ \"Đại Hải\" | slug }}|{{ url(path=\"tin-tuc/\") }}|{{ abs_url(path=\"rss.xml\") }}",
        )
        .unwrap();
        let mut cx = tera::Context::new();
        cx.insert("d", "2026-01-14T08:30:00+07:00");
        assert_eq!(
            tera.render("t.html", &cx).unwrap(),
            "Thứ Tư, 14/01/2026|Thứ Tư, 14/01/2026 08:30|ngày 14 tháng 01 năm 2026|1.234|dai-hai|/chuyen-doi-so/tin-tuc/|https://x.vn/chuyen-doi-so/rss.xml"
        );
    }
}
