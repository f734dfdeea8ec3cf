//! Attachments (PDF, Word, Excel…): what kind of file a link offers and what it weighs, shown
//! beside the link ("PDF, 1,2 MB") so a resident on mobile data knows before tapping. The read
//! end takes each file's size; Markdown and the document page read the result.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::site::Site;

/// One attachment of the site.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attachment {
    /// The kind as readers name it: `PDF`, `Word`, `Excel`…
    pub kind: &'static str,
    pub len: u64,
}

impl Attachment {
    /// `PDF, 1,2 MB`.
    pub fn label(&self) -> String {
        format!("{}, {}", self.kind, crate::text::format_size(self.len))
    }
}

/// Every attachment of the site by output path (`van-ban/kh-06/ke-hoach.pdf`).
pub type Attachments = BTreeMap<String, Attachment>;

/// The kind of an attachment by its file name; `None` for other files.
pub fn kind_of(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "pdf" => "PDF",
        "doc" | "docx" => "Word",
        "xls" | "xlsx" => "Excel",
        "ppt" | "pptx" => "PowerPoint",
        "odt" => "ODT",
        "ods" => "ODS",
        "zip" => "ZIP",
        _ => return None,
    })
}

/// Every file of `content/` besides pages and of the static folders (`statics`: output path
/// → file), by output path.
pub fn own_files(site: &Site, statics: &BTreeMap<String, PathBuf>) -> BTreeMap<String, PathBuf> {
    let bundles = site.pages.iter().flat_map(|p| {
        (p.page.assets.iter()).map(|a| (p.path.join(&a.rel).output_file(), a.disk.clone()))
    });
    let loose = (site.loose_assets.iter()).map(|(a, path)| (path.output_file(), a.disk.clone()));
    let statics = statics
        .iter()
        .map(|(rel, disk)| (rel.clone(), disk.clone()));
    bundles.chain(loose).chain(statics).collect()
}

/// The attachments among `own` files, with their sizes as the disk tells them now.
pub fn read(own: &BTreeMap<String, PathBuf>) -> Attachments {
    own.iter()
        .filter_map(|(rel, disk)| {
            let kind = kind_of(rel)?;
            let len = std::fs::metadata(disk).ok()?.len();
            Some((rel.clone(), Attachment { kind, len }))
        })
        .collect()
}

/// Errors for a page's `image:` or a document's `file:` that names a file of the site that
/// does not exist, at its line.
pub fn missing(
    site: &Site,
    own: &BTreeMap<String, PathBuf>,
) -> Vec<crate::diagnostics::Diagnostic> {
    use crate::diagnostics::{Diagnostic, Kind};
    let mut diags = Vec::new();
    for p in &site.pages {
        let m = &p.page.meta;
        let named = [
            (&[][..], "image", m.image.as_deref()),
            (
                &["document"][..],
                "file",
                m.document.as_ref().and_then(|d| d.file.as_deref()),
            ),
        ];
        for (parents, key, value) in named {
            let Some(value) = value else { continue };
            let Some(rel) = crate::images::cover_rel(&p.asset_base, value) else {
                continue;
            };
            if own.contains_key(&rel) {
                continue;
            }
            let (line, col) = crate::yaml::find_key(&p.page.text, parents, key).unwrap_or((0, 0));
            let kind = Kind::MissingFile {
                target: value.to_owned(),
            };
            diags.push(Diagnostic::at(&p.page.file, &p.page.text, line, col, kind));
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_say_the_kind_and_the_weight_the_vietnamese_way() {
        assert_eq!(kind_of("Kế hoạch 06.PDF"), Some("PDF"));
        assert_eq!(kind_of("bang-tinh.xlsx"), Some("Excel"));
        assert_eq!(kind_of("anh.jpg"), None);
        assert_eq!(kind_of("khong-duoi"), None);
        let a = Attachment {
            kind: "PDF",
            len: 1_258_291,
        };
        assert_eq!(a.label(), "PDF, 1,2 MB");
        let small = Attachment {
            kind: "Word",
            len: 980,
        };
        assert_eq!(small.label(), "Word, 980 byte");
    }
}
