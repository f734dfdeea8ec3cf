//! Every Vietnamese sentence the `cds` command prints that is not a problem with the site
//! (those are `diagnostics::Kind`): what was built, written, created, where the preview runs.
//! Typed, so `main.rs` only chooses a message and a native speaker reviews the wording here.

use std::path::Path;

pub mod publish;
pub mod usage;
use std::time::Duration;

use crate::diagnostics::display_path;
use crate::text::format_number;

/// One line (or a few) for the terminal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message<'a> {
    /// Ctrl+C or a request to stop: what was being written is gone, the output is as it was.
    Interrupted,
    Built {
        pages: usize,
        files: usize,
        output: &'a Path,
        took: Duration,
    },
    /// One line of `cds build --timings`.
    Timing {
        step: Step,
        took: Duration,
    },
    BuildFailed {
        summary: String,
        output: &'a Path,
    },
    ReportNeedsFixes,
    ReportWritten {
        path: &'a Path,
    },
    /// `cds new` made a file; the page will be at `url` once published.
    Created {
        path: &'a Path,
        url: &'a str,
    },
    Serving {
        url: &'a str,
    },
    /// The browser editor's link, with its secret.
    EditorAt {
        url: &'a str,
    },
    /// `--lan`: the editor is off.
    EditorOffOnLan,
    /// The system never reported a change the sentinel saw: serve polls from now on.
    WatchFellBack,
    /// `--lan-edit`: the editor on the LAN, its link as a QR code below.
    EditorOnLan,
    ScanOnPhone,
    SavingUpdates,
    NoBrowser {
        url: &'a str,
    },
    /// Why `cds serve` could not start.
    NoFreePort {
        first: u16,
        last: u16,
    },
    NoLanAddress,
    /// The site's configuration could not be read.
    SiteUnreadable {
        summary: String,
    },
    CannotWatch {
        detail: String,
    },
    /// `cds serve` moved to the next port.
    PortTaken {
        asked: u16,
        using: u16,
    },
    PreviewDidNotStart,
    /// What the watcher saw: up to three names and how many more, or that it lost track.
    Changed {
        names: Vec<&'a str>,
        more: usize,
        lost: bool,
    },
    /// Photos made in the background are ready (`serve`).
    PhotosReady,
    /// A rebuild of `serve`: `rendered` pages made, `reused` taken from the last build.
    Rebuilt {
        changed: String,
        rendered: usize,
        reused: usize,
        took: Duration,
    },
    RebuildFailed {
        changed: String,
        summary: String,
        report: String,
    },
    /// The steps of a `serve` rebuild on one line (`CDS_TIMINGS=1`).
    Steps(Vec<(Step, Duration)>),
}

/// The label of a footnote's link back to where it is cited, in the generated HTML.
pub const BACK_TO_REFERENCE: &str = "Quay lại chỗ trích dẫn";
/// The title and the sentence of the page left at an old address (`aliases:`).
pub const REDIRECT_TITLE: &str = "Trang đã chuyển địa chỉ";
pub const REDIRECT_TEXT: &str = "Trang này đã chuyển tới";

/// The title of the open data of documents, after the site's.
pub const OPEN_DATA_DOCUMENTS: &str = "văn bản chỉ đạo (dữ liệu mở)";
/// The columns of `du-lieu/van-ban.csv`, in the order of `van-ban.json`'s fields.
pub const OPEN_DATA_CSV_HEADER: [&str; 14] = [
    "Số ký hiệu",
    "Hình thức",
    "Tên",
    "Trích yếu",
    "Cơ quan ban hành",
    "Người ký",
    "Ngày ban hành",
    "Ngày hiệu lực",
    "Cấp",
    "Địa chỉ",
    "Tệp toàn văn",
    "Nguồn",
    "Triển khai văn bản",
    "Được triển khai bởi",
];
/// The group of documents without a `level`, after Trung ương, Thành phố, Xã.
pub const OTHER_LEVEL: &str = "Khác";

/// What the preview server answers, and shows, without a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreviewText {
    BadRequest,
    MethodNotAllowed,
    Busy,
    Restarting,
    HeadTooLarge,
    LengthRequired,
    BadLength,
    BodyTooLarge,
    /// The title of the error overlay over the last good page.
    OverlayTitle,
    /// `--lan-edit`: a request without the secret.
    Locked,
}

impl PreviewText {
    pub fn text(self) -> &'static str {
        match self {
            PreviewText::BadRequest => "Yêu cầu không hợp lệ.",
            PreviewText::MethodNotAllowed => "Chỉ hỗ trợ GET và HEAD.",
            PreviewText::Busy => "Máy chủ xem trước đang bận; hãy tải lại trang sau giây lát.",
            PreviewText::Restarting => "Máy chủ xem trước đang khởi động lại; hãy tải lại trang.",
            PreviewText::HeadTooLarge => "Phần đầu yêu cầu quá lớn; máy chủ xem trước không nhận.",
            PreviewText::LengthRequired => "Yêu cầu phải ghi rõ độ dài (Content-Length).",
            PreviewText::BadLength => "Độ dài nội dung không hợp lệ.",
            PreviewText::BodyTooLarge => "Nội dung gửi lên quá lớn.",
            PreviewText::Locked => {
                "Trang xem trước này cần khóa: hãy quét mã QR mà cds serve --lan-edit in ra, hoặc mở đường dẫn có ?khoa=…."
            }
            PreviewText::OverlayTitle => {
                "Lỗi khi dựng trang — đang hiển thị bản dựng thành công gần nhất. Sửa tệp rồi lưu lại, trang sẽ tự cập nhật."
            }
        }
    }
}

/// The label of a front matter key in the editor's form (`document:`'s keys included).
pub fn field_label(key: &str) -> &'static str {
    match key {
        "title" => "Tiêu đề",
        "date" => "Ngày giờ đăng",
        "summary" => "Tóm tắt",
        "document" => "Thông tin văn bản",
        "category" => "Lĩnh vực",
        "tags" => "Chủ đề",
        "author" => "Người viết",
        "unit" => "Đơn vị gửi bài",
        "image" => "Ảnh đại diện",
        "image_alt" => "Mô tả ảnh đại diện",
        "documents" => "Văn bản liên quan",
        "place" => "Địa bàn",
        "subject" => "Người, hộ, hợp tác xã hay đơn vị",
        "language" => "Ngôn ngữ (en: tiếng Anh)",
        "translation" => "Bản dịch (bài bản tiếng kia)",
        "draft" => "Bản nháp (chưa đăng)",
        "updated" => "Ngày cập nhật",
        "pinned" => "Ghim lên đầu trang",
        "expiry_date" => "Ngày hết hạn",
        "slug" => "Tên bài trong địa chỉ",
        "aliases" => "Địa chỉ cũ (tự chuyển tới bài này)",
        "weight" => "Thứ tự (số nhỏ đứng trước)",
        "template" => "Mẫu giao diện",
        "extra" => "Dữ liệu thêm",
        "number" => "Số ký hiệu",
        "type" => "Loại văn bản",
        "issuer" => "Cơ quan ban hành",
        "signer" => "Người ký",
        "issued" => "Ngày ban hành",
        "effective" => "Ngày hiệu lực",
        "abstract" => "Trích yếu",
        "level" => "Cấp ban hành",
        "file" => "Tệp toàn văn",
        "source" => "Nguồn chính thức (https://…)",
        "implements" => "Triển khai văn bản",
        _ => "",
    }
}

/// Why the editor did not take a photo or attachment.
fn upload_text(why: &crate::editor::upload::UploadRefused) -> String {
    use crate::editor::upload::{MAX_FILES, MAX_UPLOAD, UploadRefused};
    match why {
        UploadRefused::Empty => "Tệp rỗng, không có gì để tải lên.".into(),
        UploadRefused::TooLarge => format!(
            "Tệp quá lớn: tối đa {} MB. Ảnh chụp điện thoại thường dưới 12 MB; hãy gửi ảnh gốc, không gửi video.",
            MAX_UPLOAD / 1024 / 1024
        ),
        UploadRefused::Type => {
            "Chỉ nhận ảnh JPEG, PNG, WebP, GIF và tệp PDF, Word, Excel, OpenDocument.".into()
        }
        UploadRefused::Heic => {
            "Ảnh HEIC của iPhone chưa xem được trên trình duyệt: trên iPhone vào Cài đặt → Camera → Định dạng, chọn “Tương thích nhất”, hoặc gửi ảnh qua Zalo rồi lưu lại.".into()
        }
        UploadRefused::Mismatch => {
            "Nội dung tệp không khớp với đuôi tên (ví dụ tệp .jpg không phải ảnh JPEG); hãy mở tệp và lưu lại đúng định dạng.".into()
        }
        UploadRefused::TooMany => {
            format!("Bài này đã có quá {MAX_FILES} tệp; hãy bớt ảnh hoặc chia thành nhiều bài.")
        }
        UploadRefused::BundleTaken => {
            "Không chuyển được bài thành thư mục để đặt ảnh: bên cạnh bài đã có tệp hay thư mục cùng tên.".into()
        }
        UploadRefused::LooseFiles => {
            "Bài đang dùng ảnh hoặc tệp đặt cạnh tệp bài; hãy chuyển bài vào thư mục riêng (tên-bài/index.md, kèm các tệp đó) rồi thêm ảnh.".into()
        }
        UploadRefused::Files(refused) => EditorText::Refused(refused).text(),
    }
}

/// What the browser editor answers when it cannot do what was asked.
#[derive(Debug, Clone, Copy)]
pub enum EditorText<'a> {
    Denied(crate::editor::access::Denied),
    Refused(&'a crate::editor::files::Refused),
    Upload(&'a crate::editor::upload::UploadRefused),
    NoSiteYet,
    NoSuchAction,
    BadRequest,
    /// The form cannot write this front matter line by line.
    FormCannotWrite,
}

impl EditorText<'_> {
    pub fn text(self) -> String {
        use crate::editor::access::Denied;
        use crate::editor::files::Refused;
        let fixed = match self {
            EditorText::Denied(Denied::Host) => {
                "Địa chỉ không đúng: chỉ mở trình soạn bài tại địa chỉ mà cds serve in ra."
            }
            EditorText::Denied(Denied::Origin) => {
                "Yêu cầu đến từ một trang khác nên bị từ chối; chỉ trình soạn bài được ghi tệp."
            }
            EditorText::Denied(Denied::Token) => {
                "Thiếu khóa hoặc khóa không đúng: hãy mở trình soạn bài bằng đường dẫn đầy đủ (có ?khoa=…) mà cds serve in ra."
            }
            EditorText::Refused(Refused::OutsideContent) => {
                "Chỉ mở và ghi được tệp trong thư mục content/."
            }
            EditorText::Refused(Refused::BadName) => {
                "Tên tệp có ký tự hoặc tên mà Windows không nhận (như CON, AUX, dấu : ? *, dấu chấm hay khoảng trắng cuối tên)."
            }
            EditorText::Refused(Refused::NotMarkdown) => "Chỉ mở được tệp bài viết (.md).",
            EditorText::Refused(Refused::Link) => {
                "Đường dẫn đi qua một liên kết (symlink): trình soạn bài không đọc, không ghi qua liên kết."
            }
            EditorText::Refused(Refused::Missing) => {
                "Không tìm thấy tệp; có thể nó vừa bị đổi tên hoặc xóa."
            }
            EditorText::Refused(Refused::NotText) => {
                "Tệp không phải văn bản UTF-8; hãy mở bằng Notepad, chọn Lưu thành với mã hóa UTF-8."
            }
            EditorText::Refused(Refused::TooLarge) => {
                "Tệp quá lớn: trình soạn bài nhận tối đa 1 MB."
            }
            EditorText::Refused(Refused::Changed { .. }) => {
                "Tệp đã được sửa ở nơi khác từ lúc mở. Hãy xem hai bản và chọn bản giữ lại."
            }
            EditorText::Refused(Refused::Io(detail)) => {
                return format!("Không ghi được tệp: {detail}.");
            }
            EditorText::Upload(why) => return upload_text(why),
            EditorText::NoSiteYet => {
                "Trang chưa dựng được lần nào; hãy sửa lỗi mà cds serve báo rồi tải lại."
            }
            EditorText::NoSuchAction => "Trình soạn bài không có chức năng này.",
            EditorText::BadRequest => "Dữ liệu gửi lên không hợp lệ.",
            EditorText::FormCannotWrite => {
                "Không ghi được từ biểu mẫu vì phần khai báo của tệp có cách viết lạ; chưa có gì bị ghi. Hãy chuyển sang “Sửa cả tệp” để sửa trực tiếp."
            }
        };
        fixed.to_owned()
    }
}

/// A step of a build, as `--timings` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Load,
    Graph,
    Markdown,
    Render,
    Search,
    Write,
}

impl Step {
    fn label(self) -> &'static str {
        match self {
            Step::Load => "đọc nội dung",
            Step::Graph => "dựng đồ thị",
            Step::Markdown => "Markdown",
            Step::Render => "giao diện",
            Step::Search => "  chỉ mục (cộng các luồng)",
            Step::Write => "ghi tệp",
        }
    }
}

impl Message<'_> {
    /// The text, without a final line break.
    pub fn text(&self) -> String {
        match self {
            Message::Interrupted => {
                "Đã dừng theo yêu cầu; thư mục kết quả vẫn giữ nguyên như trước.".into()
            }
            Message::Built {
                pages,
                files,
                output,
                took,
            } => format!(
                "Đã dựng {} trang ({} tệp) vào {} trong {}.",
                format_number(*pages as i64),
                format_number(*files as i64),
                display_path(output),
                duration(*took)
            ),
            Message::Steps(steps) => {
                let shown: Vec<String> = (steps.iter())
                    .map(|(step, took)| format!("{} {took:?}", step.label().trim()))
                    .collect();
                format!(" [{}]", shown.join(", "))
            }
            Message::Timing { step, took } => {
                let label = step.label();
                format!("  {label:<28} {:>8.1} ms", took.as_secs_f64() * 1000.0)
            }
            Message::BuildFailed { summary, output } => format!(
                "Không dựng được trang ({summary}). Thư mục {} vẫn giữ nguyên như trước.",
                display_path(output)
            ),
            Message::ReportNeedsFixes => {
                "Nội dung có lỗi nên chưa lập được báo cáo; chạy `cds check` để xem chi tiết."
                    .into()
            }
            Message::ReportWritten { path } => {
                format!("Đã ghi báo cáo vào {}", display_path(path))
            }
            Message::Created { path, url } => format!(
                "Đã tạo {}\nĐịa chỉ khi đăng: {url}\nBài đang là bản nháp (draft: true). Xem trước bằng `cds serve`.",
                display_path(path)
            ),
            Message::Serving { url } => format!("Đang xem trước tại {url}"),
            Message::EditorAt { url } => format!(
                "Soạn bài trên trình duyệt: {url}\n(đường dẫn có khóa riêng của lần chạy này; đừng gửi cho người khác)"
            ),
            Message::WatchFellBack => {
                "Thư mục này không tự báo khi tệp thay đổi (ổ mạng, OneDrive?): từ giờ cds tự dò thay đổi ba lần mỗi giây. Lần sau có thể chạy cds serve --poll.".into()
            }
            Message::EditorOffOnLan => {
                "Trình soạn bài tắt khi máy chủ mở ra mạng; chạy cds serve không có --lan để soạn bài trên máy này, hoặc thêm --lan-edit để soạn cả trên điện thoại.".into()
            }
            Message::EditorOnLan => {
                "Soạn bài, chụp và gửi ảnh từ điện thoại cùng mạng Wi-Fi: quét mã dưới đây. Mã có khóa riêng của lần chạy này: ai có mã đều sửa được bài, đừng chia sẻ.".into()
            }
            Message::ScanOnPhone => {
                "Trên điện thoại cùng mạng Wi-Fi, mở địa chỉ trên hoặc quét mã:".into()
            }
            Message::SavingUpdates => "Lưu tệp là trang tự cập nhật. Nhấn Ctrl+C để dừng.".into(),
            Message::NoBrowser { url } => format!("Không mở được trình duyệt; hãy mở {url}"),
            Message::NoFreePort { first, last } => format!(
                "lỗi: các cổng từ {first} đến {last} đều đang bận; chọn cổng khác bằng --port"
            ),
            Message::NoLanAddress => {
                "lỗi: không tìm thấy địa chỉ mạng LAN; kiểm tra máy đã nối Wi-Fi hoặc mạng nội bộ"
                    .into()
            }
            Message::CannotWatch { detail } => {
                format!("lỗi: không theo dõi được thư mục ({detail}); thử thêm --poll")
            }
            Message::SiteUnreadable { summary } => format!("lỗi: {summary}"),
            Message::PortTaken { asked, using } => {
                format!("Cổng {asked} đang bận, dùng cổng {using}.")
            }
            Message::PreviewDidNotStart => "Không khởi động được máy chủ xem trước.".into(),
            Message::Changed { lost: true, .. } => {
                "Trình theo dõi tệp bị lỡ thay đổi: đọc lại toàn bộ. ".into()
            }
            Message::Changed { names, .. } if names.is_empty() => String::new(),
            Message::PhotosReady => "Ảnh đã xử lý xong. ".into(),
            Message::Changed { names, more: 0, .. } => format!("Thay đổi ở {}. ", names.join(", ")),
            Message::Changed { names, more, .. } => {
                format!("Thay đổi ở {} và {more} tệp khác. ", names.join(", "))
            }
            Message::Rebuilt {
                changed,
                rendered,
                reused,
                took,
            } => {
                let (n, ms) = (format_number(*rendered as i64), took.as_millis());
                if *reused > 0 {
                    format!("{changed}Đã dựng lại {n} trang có thay đổi trong {ms} ms.")
                } else {
                    format!("{changed}Đã dựng {n} trang trong {ms} ms.")
                }
            }
            Message::RebuildFailed {
                changed,
                summary,
                report,
            } => format!(
                "{changed}Không dựng lại được ({summary}); vẫn đang hiển thị bản dựng tốt gần nhất.\n{report}"
            ),
        }
    }
}

/// `12 ms` below a second, `1,25 giây` above (Vietnamese decimal comma).
pub fn duration(d: Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis().max(1))
    } else {
        format!("{:.2} giây", d.as_secs_f64()).replace('.', ",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_use_milliseconds_then_seconds_with_a_comma() {
        assert_eq!(duration(Duration::from_micros(300)), "1 ms");
        assert_eq!(duration(Duration::from_millis(125)), "125 ms");
        assert_eq!(duration(Duration::from_millis(1250)), "1,25 giây");
    }

    #[test]
    fn a_build_says_pages_files_folder_and_time() {
        let m = Message::Built {
            pages: 1234,
            files: 5678,
            output: Path::new("public"),
            took: Duration::from_millis(12),
        };
        assert_eq!(
            m.text(),
            "Đã dựng 1.234 trang (5.678 tệp) vào public trong 12 ms."
        );
    }

    #[test]
    fn every_front_matter_key_has_a_label() {
        use crate::content::schema::{DOCUMENT_FIELDS, PAGE_FIELDS};
        for field in PAGE_FIELDS.0.iter().chain(DOCUMENT_FIELDS.0) {
            assert!(!field_label(field.key).is_empty(), "{}", field.key);
        }
    }
}

/// The help of one front matter key: the comment above it in `cds new`'s file, and the
/// editor's form. Which key has which help is declared in `content/schema.rs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Help {
    Title,
    Date,
    Summary,
    /// Followed by the configuration's categories, when it lists any.
    Category,
    Tags,
    Author,
    Image,
    Documents,
    Place,
    Draft,
    Number,
    DocType,
    Issued,
    Abstract,
    /// The value a new document's `abstract:` starts with.
    AbstractPlaceholder,
    Level,
    DocumentFile,
    Implements,
}

impl Help {
    /// The help, with the configuration's `categories` where it names them.
    pub fn text(self, categories: &[String]) -> String {
        let text = match self {
            Help::Title => "Tiêu đề (bắt buộc). Sửa tiêu đề sau này không làm đổi địa chỉ bài.",
            Help::Date => {
                "Ngày giờ đăng, giờ Việt Nam (ngày/tháng/năm giờ:phút). Ngày trong tương lai là hẹn giờ đăng."
            }
            Help::Summary => {
                "Tóm tắt một, hai câu: hiện ở danh sách bài và khi chia sẻ lên Zalo, Facebook."
            }
            Help::Category if categories.is_empty() => "Lĩnh vực.",
            Help::Category => return format!("Lĩnh vực, một trong: {}.", categories.join(", ")),
            Help::Tags => {
                "Chủ đề, cách nhau bằng dấu phẩy, ví dụ [VNeID, Dịch vụ công trực tuyến]."
            }
            Help::Author => "Người viết và đơn vị gửi bài (dùng cho báo cáo định kỳ).",
            Help::Image => {
                "Ảnh đại diện (tên tệp ảnh đặt cạnh bài) và mô tả ảnh cho người khiếm thị."
            }
            Help::Documents => "Số ký hiệu các văn bản liên quan, ví dụ [57-NQ/TW, 06/KH-UBND].",
            Help::Place => {
                "Địa bàn (ấp) và mô hình được nói tới: người, hộ gia đình, hợp tác xã hay đơn vị."
            }
            Help::Draft => "Bản nháp: đổi thành false khi bài sẵn sàng đăng.",
            Help::Number => {
                "Số ký hiệu: văn bản của Đảng viết 57-NQ/TW, văn bản nhà nước viết 71/NQ-CP. Chưa có số thì để trống."
            }
            Help::DocType => {
                "Loại văn bản (Nghị quyết, Kế hoạch, Quyết định…), cơ quan ban hành, người ký."
            }
            Help::Issued => "Ngày ban hành và ngày hiệu lực (ngày/tháng/năm).",
            Help::Abstract => "Trích yếu (bắt buộc).",
            Help::AbstractPlaceholder => "Ghi trích yếu của văn bản",
            Help::Level => "Cấp ban hành: Trung ương, Thành phố hoặc Xã.",
            Help::DocumentFile => {
                "Tệp toàn văn (đặt cạnh bài) và đường dẫn nguồn chính thức (https://…)."
            }
            Help::Implements => {
                "Số ký hiệu các văn bản mà văn bản này triển khai thực hiện, ví dụ [57-NQ/TW]."
            }
        };
        text.to_owned()
    }
}

/// The body of a new file, and the line a new bundle adds below it.
pub const NEW_BODY: &str =
    "Viết nội dung ở đây. Đề mục bắt đầu bằng `## `, đoạn văn cách nhau một dòng trống.\n";
pub const NEW_BUNDLE_BODY: &str =
    "\nẢnh đặt trong cùng thư mục với tệp này, chèn vào bài bằng `![mô tả ảnh](ten-anh.jpg)`.\n";
