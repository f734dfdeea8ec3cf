//! What `cds publish` says: the plan of a dry run, what a publish did, and why one stopped.

use crate::diagnostics::display_path;
use crate::publish::folder::Refusal;
use crate::publish::ftp::BadAddress;
use crate::publish::{Failure, Item, Outcome, Plan};
use crate::text::{format_number, format_size};

/// Said when the server never offers TLS and the address is `ftps://`.
pub const FTP_NO_TLS: &str = "máy chủ không hỗ trợ mã hóa TLS, mà địa chỉ ftps:// đòi phải có";
/// Before what an FTP server answered.
pub const FTP_SAID: &str = "máy chủ FTP trả lời";
/// Before a server name that does not resolve.
pub const FTP_NO_HOST: &str = "không tìm thấy máy chủ";
/// A login the server refused.
pub const FTP_LOGIN_FAILED: &str = "sai tên đăng nhập hoặc mật khẩu FTP";
/// Before why a server's certificate failed its check.
pub const FTP_BAD_CERTIFICATE: &str = "không tin được chứng chỉ TLS của máy chủ";
/// A link (symlink) on the way into the folder published to.
pub const LINK_ON_THE_WAY: &str = "một phần của đường dẫn là lối tắt (symlink), cds không đi theo";

/// The first line of a publish manifest, for a person who opens it.
pub const MANIFEST_HEAD: &str =
    "# cds publish: các tệp cds đã đăng ở đây (đường dẫn, cỡ, SHA-256). Đừng sửa tay.";

/// The prompt for the FTP password.
pub fn password_prompt(place: &str) -> String {
    format!("Mật khẩu FTP cho {place} (không hiện khi gõ): ")
}

/// How many files a list shows before "and N more".
const SHOWN: usize = 20;

fn count(items: &[Item]) -> String {
    let bytes: u64 = items.iter().map(|i| i.size).sum();
    format!(
        "{} tệp ({})",
        format_number(items.len() as i64),
        format_size(bytes)
    )
}

fn summary(plan: &Plan) -> String {
    let mut parts = Vec::new();
    for (verb, items) in [
        ("thêm", &plan.add),
        ("thay", &plan.replace),
        ("xóa", &plan.delete),
    ] {
        if !items.is_empty() {
            parts.push(format!("{verb} {}", count(items)));
        }
    }
    if plan.unchanged > 0 {
        parts.push(format!(
            "giữ nguyên {} tệp",
            format_number(plan.unchanged as i64)
        ));
    }
    parts.join(", ")
}

fn listing(plan: &Plan) -> String {
    let lines = plan
        .add
        .iter()
        .map(|i| format!("  + {} ({})", i.path, format_size(i.size)))
        .chain(
            plan.replace
                .iter()
                .map(|i| format!("  ~ {} ({})", i.path, format_size(i.size))),
        )
        .chain(plan.delete.iter().map(|i| format!("  - {}", i.path)));
    let all: Vec<String> = lines.collect();
    let mut out: Vec<String> = all.iter().take(SHOWN).cloned().collect();
    if all.len() > SHOWN {
        out.push(format!(
            "  … và {} tệp nữa",
            format_number((all.len() - SHOWN) as i64)
        ));
    }
    out.join("\n")
}

pub fn outcome(o: &Outcome) -> String {
    match o {
        Outcome::Zip { path, files, bytes } => format!(
            "Đã ghi {} tệp của trang vào {} ({}). Tải tệp này lên cổng thông tin.",
            format_number(*files as i64),
            display_path(path),
            format_size(*bytes)
        ),
        Outcome::Planned { place, plan } if plan.is_empty() => {
            format!("{place} đã có đúng bản trang này: không có gì để đăng.")
        }
        Outcome::Planned { place, plan } => format!(
            "Nếu đăng vào {place}: {}.\n{}\nChưa ghi gì. Chạy lại không có --dry-run để đăng.",
            summary(plan),
            listing(plan)
        ),
        Outcome::Published { place, plan, .. } if plan.is_empty() => {
            format!("{place} đã có đúng bản trang này: không có gì để đăng.")
        }
        Outcome::Published {
            place,
            plan,
            done,
            tls,
            reconnects,
        } => {
            let mut text = format!(
                "Đã đăng vào {place}: {} (gửi {}) trong {}.",
                summary(plan),
                format_size(done.bytes_sent),
                super::duration(done.took)
            );
            match tls {
                Some(true) => text.push_str(" Kết nối được mã hóa (TLS)."),
                Some(false) => text.push_str(
                    " Máy chủ không hỗ trợ mã hóa: mật khẩu và các tệp đi qua mạng không mã hóa.",
                ),
                None => {}
            }
            if *reconnects > 0 {
                text.push_str(&format!(
                    " Kết nối bị ngắt {reconnects} lần, đã tự nối lại."
                ));
            }
            text
        }
    }
}

pub fn failure(f: &Failure) -> String {
    match f {
        Failure::NoPlace => "Chưa biết đăng vào đâu: ghi nơi đăng sau lệnh (cds publish \\\\may-chu\\web\\chuyen-doi-so, cds publish ftp://ten@may-chu/thu-muc), hoặc thêm vào config.yaml:\npublish:\n  to: \"ftp://ten@may-chu/thu-muc\"".into(),
        Failure::BadAddress(why) => {
            let why = match why {
                BadAddress::HasPassword => "không ghi mật khẩu vào địa chỉ; cds sẽ hỏi mật khẩu khi đăng (hoặc đọc biến môi trường CDS_FTP_PASSWORD)",
                BadAddress::NoUser => "thiếu tên đăng nhập: viết ftp://ten-dang-nhap@may-chu/thu-muc",
                BadAddress::NoHost => "thiếu tên máy chủ: viết ftp://ten-dang-nhap@may-chu/thu-muc",
                BadAddress::BadPort => "cổng phải là một số từ 1 đến 65535, ví dụ ftp://ten@may-chu:2121/thu-muc",
                BadAddress::BadPath => "thư mục trên máy chủ không được có `..`, `\\` hay ký tự điều khiển",
            };
            format!("Địa chỉ FTP không dùng được: {why}.")
        }
        Failure::Build(diags) => format!(
            "Không đăng: trang còn lỗi ({}). Nơi đăng giữ nguyên bản cũ.",
            crate::diagnostics::summary(diags)
        ),
        Failure::Folder { place, why } => {
            let why = match why {
                Refusal::HoldsSources => "đó là thư mục của trang hay thư mục nguồn (content/, themes/…) ",
                Refusal::IsBuildOutput => "đó là thư mục `cds build` ghi kết quả, bị thay toàn bộ mỗi lần dựng",
                Refusal::IsFile => "đó là một tệp, không phải thư mục",
            };
            format!("Không đăng vào {place}: {}. Chọn thư mục của cổng thông tin (ổ mạng, thư mục web).", why.trim_end())
        }
        Failure::Foreign { place, paths } => {
            let sample: Vec<&str> = paths.iter().take(5).map(String::as_str).collect();
            let more = if paths.len() > sample.len() { ", …" } else { "" };
            format!(
                "Không đăng: {place} đã có {} tệp không do cds đăng ở đúng chỗ cds sẽ ghi ({}{more}). Chưa ghi gì. Nếu đó là bản cũ của chính chuyên mục này, chạy lại với --force để thay; nếu không, chọn thư mục khác.",
                format_number(paths.len() as i64),
                sample.join(", ")
            )
        }
        Failure::Unreachable { place, error } => format!(
            "Không đăng được vào {place}: {}. Chưa ghi gì; nơi đăng giữ nguyên.",
            crate::diagnostics::io_reason(error)
        ),
        Failure::Stopped { place, stopped } => {
            let deleted = match stopped.done.deleted {
                0 => "chưa xóa tệp nào".to_owned(),
                n => format!("đã xóa {} tệp bỏ đi", format_number(n as i64)),
            };
            format!(
                "Đăng vào {place} dừng giữa chừng ở {}: {}. Đã gửi {} tệp, {deleted}; các tệp khác của trang cũ vẫn nguyên vẹn. Chạy lại lệnh khi kết nối ổn: cds chỉ gửi phần còn thiếu.",
                stopped.path,
                crate::diagnostics::io_reason(&stopped.error),
                format_number(stopped.done.written as i64)
            )
        }
        Failure::ZipNotOurs(path) => format!(
            "Không ghi đè {}: tệp này không phải tệp zip do cds publish tạo. Chọn tên khác, hoặc thêm --force để thay.",
            display_path(path)
        ),
        Failure::Io { path, error } => format!(
            "Không ghi được {}: {}.",
            display_path(path),
            crate::diagnostics::io_reason(error)
        ),
    }
}
