//! `cds new <mục> "<tiêu đề>"`: starts a correct file so editors never have to remember the keys.
//!
//! The file is named from the title's slug, in the section's folder (or as a bundle folder for
//! articles with photos), with the keys of that section's kind, each with a short Vietnamese
//! comment, the date and time now in Vietnam time, defaults from config and `draft: true`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::content::{self, CONTENT_DIR, PageKind};
use crate::diagnostics::{Diagnostic, IoAction, Kind, Usage};
use crate::text::slugify;
use crate::urls::Urls;

/// What `cds new` was asked for.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub root: PathBuf,
    /// Folder of the section under `content/` (`tin-tuc`).
    pub section: String,
    pub title: String,
    /// A folder with `index.md`, so photos can sit beside the text.
    pub bundle: bool,
    pub now: DateTime<FixedOffset>,
}

/// The file made.
#[derive(Debug)]
pub struct Created {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Where the page will be once published.
    pub url: String,
}

/// Creates the file; refuses to overwrite anything.
pub fn new_page(req: &NewRequest) -> Result<Created, Vec<Diagnostic>> {
    let config = Config::load(&req.root)?;
    let loaded = content::load(&req.root, &config);
    let wanted = req.section.trim().trim_matches('/');
    let Some(section) = loaded
        .sections
        .iter()
        .find(|s| !s.dir.is_empty() && (s.dir == wanted || slugify(&s.dir) == slugify(wanted)))
    else {
        let mut sections: Vec<String> = loaded
            .sections
            .iter()
            .filter(|s| !s.dir.is_empty())
            .map(|s| format!("{} ({})", s.dir, s.meta.title))
            .collect();
        sections.sort();
        return Err(vec![usage(Usage::NoSuchSection {
            wanted: wanted.to_owned(),
            sections,
        })]);
    };
    let slug = slugify(&req.title);
    if slug.is_empty() {
        return Err(vec![usage(Usage::TitleWithoutLetters)]);
    }
    // `index.md` beside `_index.md` would be a second page at the section's address.
    if slug == "index" {
        return Err(vec![usage(Usage::ReservedTitle {
            title: req.title.clone(),
        })]);
    }
    let dir = Path::new(CONTENT_DIR).join(&section.dir);
    let rel = if req.bundle {
        dir.join(&slug).join("index.md")
    } else {
        dir.join(format!("{slug}.md"))
    };
    for taken in [dir.join(format!("{slug}.md")), dir.join(&slug)] {
        // A link counts as taken even when it points to nothing.
        if std::fs::symlink_metadata(req.root.join(&taken)).is_ok() {
            return Err(vec![usage(Usage::Taken {
                path: crate::diagnostics::display_path(&taken),
            })]);
        }
    }
    let text = front_matter(section.meta.kind, &req.title, &config, req.now, req.bundle);
    let path = req.root.join(&rel);
    let write = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| write_new(&path, &text));
    if let Err(e) = write {
        return Err(vec![Diagnostic::file(
            &rel,
            Kind::Io {
                action: IoAction::Write,
                detail: crate::diagnostics::io_reason(&e),
            },
        )]);
    }
    let urls = Urls::new(&config.base_url);
    let url = urls.absolute(&crate::site::url_folder(&section.dir).join(&format!("{slug}/")));
    Ok(Created { path: rel, url })
}

/// Writes a file that must not exist yet: never through a link, never over a file that
/// appeared since the check above.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

fn usage(usage: Usage) -> Diagnostic {
    Diagnostic::file("cds new", Kind::Usage(usage))
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The text of the new file for a page of `kind`.
pub fn front_matter(
    kind: PageKind,
    title: &str,
    config: &Config,
    now: DateTime<FixedOffset>,
    bundle: bool,
) -> String {
    let date = now
        .with_timezone(&crate::text::vietnam_offset())
        .format("%d/%m/%Y %H:%M");
    let categories = if config.categories.is_empty() {
        String::new()
    } else {
        format!(", một trong: {}", config.categories.join(", "))
    };
    let author = config
        .defaults
        .author
        .as_deref()
        .map(quoted)
        .unwrap_or_default();
    let unit = config
        .defaults
        .unit
        .as_deref()
        .map(quoted)
        .unwrap_or_default();
    let mut t = String::from("---\n");
    t.push_str("# Tiêu đề (bắt buộc). Sửa tiêu đề sau này không làm đổi địa chỉ bài.\n");
    t.push_str(&format!("title: {}\n", quoted(title)));
    t.push_str("# Ngày giờ đăng, giờ Việt Nam (ngày/tháng/năm giờ:phút). Ngày trong tương lai là hẹn giờ đăng.\n");
    t.push_str(&format!("date: {date}\n"));
    t.push_str("# Tóm tắt một, hai câu: hiện ở danh sách bài và khi chia sẻ lên Zalo, Facebook.\n");
    t.push_str("summary: \"\"\n");
    if kind == PageKind::Document {
        t.push_str(DOCUMENT_BLOCK);
    } else if kind != PageKind::Page {
        t.push_str(&format!("# Lĩnh vực{categories}.\ncategory:\n"));
        t.push_str("# Chủ đề, cách nhau bằng dấu phẩy, ví dụ [VNeID, Dịch vụ công trực tuyến].\ntags: []\n");
        t.push_str("# Người viết và đơn vị gửi bài (dùng cho báo cáo định kỳ).\n");
        t.push_str(&format!("author: {author}\nunit: {unit}\n"));
        t.push_str("# Ảnh đại diện (tên tệp ảnh đặt cạnh bài) và mô tả ảnh cho người khiếm thị.\nimage:\nimage_alt:\n");
        t.push_str(
            "# Số ký hiệu các văn bản liên quan, ví dụ [57-NQ/TW, 06/KH-UBND].\ndocuments: []\n",
        );
    }
    if kind == PageKind::Story {
        t.push_str("# Địa bàn (ấp) và mô hình được nói tới: người, hộ gia đình, hợp tác xã hay đơn vị.\nplace:\nsubject:\n");
    }
    t.push_str("# Bản nháp: đổi thành false khi bài sẵn sàng đăng.\ndraft: true\n---\n");
    t.push_str(
        "Viết nội dung ở đây. Đề mục bắt đầu bằng `## `, đoạn văn cách nhau một dòng trống.\n",
    );
    if bundle {
        t.push_str("\nẢnh đặt trong cùng thư mục với tệp này, chèn vào bài bằng `![mô tả ảnh](ten-anh.jpg)`.\n");
    }
    t
}

const DOCUMENT_BLOCK: &str = "document:
  # Số ký hiệu: văn bản của Đảng viết 57-NQ/TW, văn bản nhà nước viết 71/NQ-CP. Chưa có số thì để trống.
  number:
  # Loại văn bản (Nghị quyết, Kế hoạch, Quyết định…), cơ quan ban hành, người ký.
  type:
  issuer:
  signer:
  # Ngày ban hành và ngày hiệu lực (ngày/tháng/năm).
  issued:
  effective:
  # Trích yếu (bắt buộc).
  abstract: \"Ghi trích yếu của văn bản\"
  # Cấp ban hành: Trung ương, Thành phố hoặc Xã.
  level:
  # Tệp toàn văn (đặt cạnh bài) và đường dẫn nguồn chính thức (https://…).
  file:
  source:
  # Số ký hiệu các văn bản mà văn bản này triển khai thực hiện, ví dụ [57-NQ/TW].
  implements: []
";
