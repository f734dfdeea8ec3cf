//! File names and paths as every system takes them, decided on strings so that the rules of
//! Windows are tested on Linux: which names Windows cannot hold (`CON`, `aux.md`, `a:b`, a
//! trailing dot), which names Windows and macOS take for one file (they differ only by case or
//! by NFC/NFD), and how a path is shown to a person (never `\\?\C:\…`).

use std::borrow::Cow;
use std::collections::HashMap;

/// Why a file or folder name cannot be made on Windows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unportable {
    /// A device name (`CON`, `aux.md`, `COM1.txt`): Windows opens the device instead.
    Device(String),
    /// A character Windows refuses in names (`<>:"|?*`, `\`, a control character).
    Char(char),
    /// A name that ends with a dot or a space: Windows drops it, so the file cannot be found.
    TrailingDotOrSpace,
}

/// Device names of Windows, whatever follows the first dot (`nul.tar.gz` is `NUL` too).
const DEVICES: [&str; 6] = ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"];

/// Why `name` (one file or folder name, not a path) cannot be made on Windows, if it cannot.
pub fn unportable(name: &str) -> Option<Unportable> {
    let bad = |c: char| {
        c.is_control() || matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*' | '\\' | '/')
    };
    if let Some(c) = name.chars().find(|&c| bad(c)) {
        return Some(Unportable::Char(c));
    }
    if name.ends_with('.') || name.ends_with(' ') {
        // `.` and `..` are not names but steps; callers refuse them as such.
        return (name != "." && name != "..").then_some(Unportable::TrailingDotOrSpace);
    }
    let stem = name.split('.').next().unwrap_or(name).trim_end();
    let upper = stem.to_uppercase();
    let numbered = ["COM", "LPT"].iter().any(|p| {
        upper.strip_prefix(p).is_some_and(|n| {
            matches!(
                n,
                "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9" | "¹" | "²" | "³"
            )
        })
    });
    (DEVICES.contains(&upper.as_str()) || numbered).then(|| Unportable::Device(stem.to_owned()))
}

/// The name Windows and macOS file systems give `path` when they compare names: NFC, lower
/// case. Two paths with one key are one file there.
pub fn clash_key(path: &str) -> String {
    crate::text::nfc_cow(path).to_lowercase()
}

/// Two names that are different here but one file or folder on Windows or macOS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clash<'a> {
    /// The later path given, whole.
    pub path: &'a str,
    /// The part of `path` that clashes: itself, or a folder on its way.
    pub name: &'a str,
    /// The first name seen that `name` clashes with.
    pub other: &'a str,
}

/// Names that are different here but one file on Windows or macOS. The folders on the way
/// count too (`Tin/a.md` and `tin/b.md` are in one folder there), each name once. Linear in
/// the total length of the paths.
pub fn clashes<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<Clash<'a>> {
    let mut seen: HashMap<String, &'a str> = HashMap::new();
    let mut reported = std::collections::HashSet::new();
    let mut found = Vec::new();
    for path in paths {
        let ends = path.match_indices('/').map(|(i, _)| i).chain([path.len()]);
        for end in ends {
            let prefix = &path[..end];
            let key = clash_key(prefix);
            match seen.get(&key) {
                Some(&first) if first != prefix => {
                    if reported.insert(prefix) {
                        found.push(Clash {
                            path,
                            name: prefix,
                            other: first,
                        });
                    }
                    break;
                }
                Some(_) => {}
                None => {
                    seen.insert(key, prefix);
                }
            }
        }
    }
    found
}

/// A path as a person reads it: `/` between the parts of a path inside the site (as links
/// write them), the system's own form for a path of a Windows drive or share, and never the
/// `\\?\` prefix that Windows' full paths carry (`\\?\C:\Bài viết` → `C:\Bài viết`,
/// `\\?\UNC\máy\chung` → `\\máy\chung`).
pub fn shown(path: &str) -> Cow<'_, str> {
    if let Some(share) = path.strip_prefix(r"\\?\UNC\") {
        return Cow::Owned(format!(r"\\{share}"));
    }
    if let Some(rest) = path.strip_prefix(r"\\?\") {
        return Cow::Owned(rest.to_owned());
    }
    if is_windows_absolute(path) || !path.contains('\\') {
        return Cow::Borrowed(path);
    }
    Cow::Owned(path.replace('\\', "/"))
}

/// `C:\…`, `c:/…` or `\\server\share…`.
fn is_windows_absolute(path: &str) -> bool {
    let b = path.as_bytes();
    let drive =
        b.len() >= 3 && b[0].is_ascii_alphabetic() && b[1] == b':' && matches!(b[2], b'\\' | b'/');
    drive || path.starts_with(r"\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_device_names_are_unportable_with_any_extension_or_case() {
        for name in [
            "CON",
            "con",
            "aux.md",
            "Aux.MD",
            "nul.tar.gz",
            "PRN",
            "com1",
            "COM9.txt",
            "lpt3.md",
            "com¹.md",
            "con .md",
            "CONIN$",
            "conout$.md",
        ] {
            assert!(
                matches!(unportable(name), Some(Unportable::Device(_))),
                "{name}"
            );
        }
        for name in [
            "console.md",
            "auxiliary.md",
            "com10.md",
            "lpt.md",
            "com.md",
            "nul-hoa.md",
            "con-so.md",
            "bài-viết.md",
            "a.con",
            "tin-tuc",
        ] {
            assert_eq!(unportable(name), None, "{name}");
        }
    }

    #[test]
    fn reserved_characters_and_trailing_dots_or_spaces_are_unportable() {
        for (name, c) in [
            ("a:b.md", ':'),
            ("C:", ':'),
            ("tin?.md", '?'),
            ("a*b", '*'),
            ("\"x\".md", '"'),
            ("a<b>", '<'),
            ("a|b", '|'),
            (r"tin\bai.md", '\\'),
            ("a\u{7}.md", '\u{7}'),
        ] {
            assert_eq!(unportable(name), Some(Unportable::Char(c)), "{name}");
        }
        for name in ["bai.", "bai ", "bai.md.", "thư mục "] {
            assert_eq!(
                unportable(name),
                Some(Unportable::TrailingDotOrSpace),
                "{name}"
            );
        }
        assert_eq!(unportable(".gitignore"), None);
        assert_eq!(unportable(" dau-cach.md"), None);
    }

    #[test]
    fn names_differing_by_case_or_normalisation_clash() {
        let nfd = "tin-tu\u{0323}\u{031B}c/a\u{0309}nh.jpg"; // "tin-tực/ảnh.jpg", decomposed
        let paths = [
            "tin-tực/ảnh.jpg",
            "tin-tuc/Anh.JPG",
            "tin-tuc/anh.jpg",
            nfd,
            "Tin-Tuc/b.md",
            "Tin-Tuc/c.md",
            "tin-tức/x.md",
        ];
        let found: Vec<(&str, &str)> = clashes(paths).iter().map(|c| (c.name, c.other)).collect();
        assert_eq!(
            found,
            vec![
                ("tin-tuc/anh.jpg", "tin-tuc/Anh.JPG"),
                ("tin-tu\u{0323}\u{031B}c", "tin-tực"),
                ("Tin-Tuc", "tin-tuc"),
            ]
        );
        assert_eq!(clashes(paths)[2].path, "Tin-Tuc/b.md");
        assert!(clashes(["a/b.md", "a/c.md", "ab/b.md", "a"]).is_empty());
        assert_eq!(clash_key("ĐẠI HẢI"), "đại hải");
    }

    #[test]
    fn clashes_take_linear_time() {
        let paths: Vec<String> = (0..20_000).map(|i| format!("tin-tuc/{i}/a.md")).collect();
        let clash_free = clashes(paths.iter().map(String::as_str));
        assert!(clash_free.is_empty());
    }

    #[test]
    fn shown_paths_drop_the_verbatim_prefix_and_keep_windows_forms() {
        for (raw, want) in [
            (
                r"\\?\C:\Users\Bình\Chuyển đổi số",
                r"C:\Users\Bình\Chuyển đổi số",
            ),
            (r"\\?\UNC\may-chu\chung\trang", r"\\may-chu\chung\trang"),
            (r"C:\trang\public", r"C:\trang\public"),
            (r"\\may-chu\chung", r"\\may-chu\chung"),
            (r"content\tin-tuc\a.md", "content/tin-tuc/a.md"),
            ("content/tin-tuc/a.md", "content/tin-tuc/a.md"),
            ("/home/bbt/trang/public", "/home/bbt/trang/public"),
            ("D:/trang", "D:/trang"),
        ] {
            assert_eq!(shown(raw), want, "{raw}");
        }
    }
}
