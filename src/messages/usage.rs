//! The command line's own words: help headings and placeholders, and what a mistyped command
//! says. clap's are English; `usage.rs` of the binary puts these in their place.

/// The heading over the commands, the positional arguments, the options.
pub const COMMANDS: &str = "Lệnh";
pub const ARGUMENTS: &str = "Tham số";
pub const OPTIONS: &str = "Tùy chọn";
/// The placeholder of a command, and of options in a usage line.
pub const COMMAND: &str = "LỆNH";
pub const SOME_OPTIONS: &str = "[tùy chọn]";
pub const HELP: &str = "In hướng dẫn này";
pub const VERSION: &str = "In số phiên bản";
/// An option's default, after its help.
pub fn default_is(value: &str) -> String {
    format!("(mặc định: {value})")
}

/// Before a usage line.
pub const USAGE: &str = "Cách dùng:";

/// The placeholder of an argument's value, by its command and name.
pub fn value_name(command: &str, arg: &str) -> Option<&'static str> {
    Some(match arg {
        "to" if command == "publish" => "NƠI_ĐĂNG",
        "root" | "output_dir" => "THƯ_MỤC",
        "base_url" => "ĐỊA_CHỈ",
        "quarter" => "QUÝ",
        "year" => "NĂM",
        "from" | "to" => "NGÀY",
        "format" => "DẠNG",
        "output" | "zip" => "TỆP",
        "section" => "MỤC",
        "title" => "TIÊU_ĐỀ",
        "port" => "CỔNG",
        "bind" => "IP",
        _ => return None,
    })
}

/// What was mistyped.
pub enum Mistake<'a> {
    UnknownOption {
        arg: &'a str,
        suggestion: Option<&'a str>,
    },
    UnknownCommand {
        name: &'a str,
        suggestion: Option<&'a str>,
    },
    BadValue {
        arg: &'a str,
        value: &'a str,
        valid: &'a [String],
    },
    Missing {
        args: &'a [String],
    },
    Conflict {
        arg: &'a str,
        other: Option<&'a str>,
    },
    TooMany {
        value: &'a str,
    },
    Other,
}

impl Mistake<'_> {
    /// The message, then the usage line and where to read more.
    pub fn text(&self, usage: &str, command: &str) -> String {
        let first = match self {
            Mistake::UnknownOption { arg, suggestion } => {
                let mut t = format!("không có tùy chọn `{arg}`");
                if let Some(s) = suggestion {
                    t.push_str(&format!("; có phải bạn muốn viết `{s}`?"));
                }
                t
            }
            Mistake::UnknownCommand { name, suggestion } => {
                let mut t = format!("không có lệnh `{name}`");
                if let Some(s) = suggestion {
                    t.push_str(&format!("; có phải bạn muốn viết `{s}`?"));
                }
                t
            }
            Mistake::BadValue {
                arg,
                value,
                valid: [],
            } => {
                format!("giá trị `{value}` của `{arg}` không dùng được")
            }
            Mistake::BadValue { arg, value, valid } => format!(
                "giá trị `{value}` của `{arg}` không dùng được; chọn một trong: {}",
                valid.join(", ")
            ),
            Mistake::Missing { args } => format!("còn thiếu: {}", args.join(", ")),
            Mistake::Conflict {
                arg,
                other: Some(o),
            } => {
                format!("không dùng `{arg}` cùng với `{o}`")
            }
            Mistake::Conflict { arg, other: None } => {
                format!("`{arg}` không dùng cùng các tùy chọn kia")
            }
            Mistake::TooMany { value } => format!("thừa `{value}`"),
            Mistake::Other => "câu lệnh viết chưa đúng".into(),
        };
        let help = match command {
            "" => "cds --help".to_owned(),
            c => format!("cds {c} --help"),
        };
        format!("lỗi: {first}\n\n{USAGE} {usage}\n\nXem thêm: {help}")
    }
}
