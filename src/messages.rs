//! Every Vietnamese sentence the `cds` command prints that is not a problem with the site
//! (those are `diagnostics::Kind`): what was built, written, created, where the preview runs.
//! Typed, so `main.rs` only chooses a message and a native speaker reviews the wording here.

use std::path::Path;
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
    CannotWatch {
        detail: String,
    },
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
            Message::Timing { step, took } => {
                let label = match step {
                    Step::Load => "đọc nội dung",
                    Step::Graph => "dựng đồ thị",
                    Step::Markdown => "Markdown",
                    Step::Render => "giao diện",
                    Step::Search => "  chỉ mục (cộng các luồng)",
                    Step::Write => "ghi tệp",
                };
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
}
