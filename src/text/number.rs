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
}
