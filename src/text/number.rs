//! Numbers in Vietnamese style: `.` groups thousands (`1.234`), `,` is the decimal mark.

/// Formats an integer with `.` between groups of three digits.
pub fn format_number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A size in bytes as Vietnamese readers write it: `980 byte`, `12 KB`, `1,2 MB`, `3,4 GB`
/// (decimal comma, one decimal below ten, units of 1,024).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 3] = ["KB", "MB", "GB"];
    if bytes < 1024 {
        return format!("{bytes} byte");
    }
    let mut value = bytes as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    let tenths = (value * 10.0).round() as i64;
    let text = match tenths {
        0..=99 if tenths % 10 != 0 => format!("{},{}", tenths / 10, tenths % 10),
        0..=99 => (tenths / 10).to_string(),
        _ => format_number(value.round() as i64),
    };
    format!("{text} {}", UNITS[unit])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_dots() {
        for (n, want) in [
            (0, "0"),
            (999, "999"),
            (1234, "1.234"),
            (1_000_000, "1.000.000"),
            (-12345, "-12.345"),
        ] {
            assert_eq!(format_number(n), want);
        }
    }

    #[test]
    fn sizes_use_a_decimal_comma() {
        for (n, want) in [
            (0, "0 byte"),
            (1023, "1023 byte"),
            (1024, "1 KB"),
            (1260, "1,2 KB"),
            (150 * 1024, "150 KB"),
            (1_258_291, "1,2 MB"),
            (201 * 1024 * 1024, "201 MB"),
            (5 * 1024 * 1024 * 1024, "5 GB"),
        ] {
            assert_eq!(format_size(n), want, "{n}");
        }
    }
}
