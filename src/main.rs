//! The `cds` command: parse arguments, call the library, print, exit (0 ok, 1 content errors,
//! 2 usage errors). No logic lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod usage;

use cds::build::{BuildRequest, build, default_output};
use cds::diagnostics::{Diagnostic, summary};
use cds::messages::{Message, Step};
use std::sync::Arc;

use cds::new::NewRequest;
use cds::output::Disk;
use cds::serve::{Preview, ServeOptions, StartError};

/// `println!` that ignores a closed output (`cds serve | head -1`): printing is never a reason
/// to stop a build or the preview server.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// `eprintln!` that ignores a closed error output, like [`say`].
macro_rules! say_err {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

/// Writes `text` as it is to standard output, ignoring a closed output like [`say`].
fn write_out(text: &str) {
    use std::io::Write as _;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

const HELP_TEMPLATE: &str = "{about}\n\nCách dùng: {usage}\n\n{all-args}";

#[derive(Parser)]
#[command(
    name = "cds",
    version,
    about = "Dựng chuyên mục Chuyển đổi số của xã Đại Hải từ các tệp Markdown.",
    help_template = HELP_TEMPLATE,
    disable_help_subcommand = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Md,
    Csv,
}

#[derive(Subcommand)]
enum Command {
    /// Dựng toàn bộ trang vào thư mục kết quả (mặc định `public/`).
    #[command(help_template = HELP_TEMPLATE)]
    Build {
        /// Thư mục gốc của trang (chứa config.yaml, content/, themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Thư mục ghi kết quả.
        #[arg(short = 'o', long = "output-dir")]
        output_dir: Option<PathBuf>,
        /// Dùng địa chỉ gốc khác với `base_url` trong config.yaml.
        #[arg(short = 'u', long = "base-url")]
        base_url: Option<String>,
        /// Dựng cả bài nháp, bài hẹn giờ và bài đã hết hạn.
        #[arg(long)]
        drafts: bool,
        /// In thời gian của từng bước (đọc, đồ thị, Markdown, giao diện, ghi).
        #[arg(long)]
        timings: bool,
        /// Thay cả thư mục kết quả không do cds tạo (mọi thứ trong đó sẽ mất).
        #[arg(long)]
        force: bool,
    },
    /// Kiểm tra toàn bộ nội dung trước khi đăng, không ghi gì ra đĩa.
    #[command(help_template = HELP_TEMPLATE)]
    Check {
        /// Thư mục gốc của trang.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Kiểm tra cả liên kết tới trang web khác (cần mạng).
        #[arg(long)]
        external: bool,
    },
    /// Báo cáo số tin, bài đã đăng trong một quý, một năm hoặc một khoảng ngày.
    #[command(help_template = HELP_TEMPLATE)]
    Report {
        /// Quý, ví dụ 2026-Q1.
        #[arg(long, conflicts_with_all = ["year", "from"])]
        quarter: Option<String>,
        /// Năm, tính tới hôm nay (hoặc tới --to).
        #[arg(long, conflicts_with = "from")]
        year: Option<i32>,
        /// Từ ngày (ngày/tháng/năm), đi cùng --to.
        #[arg(long, requires = "to")]
        from: Option<String>,
        /// Đến ngày (ngày/tháng/năm).
        #[arg(long)]
        to: Option<String>,
        /// md (để dán vào báo cáo) hoặc csv (mở bằng Excel).
        #[arg(long, value_enum, default_value = "md")]
        format: ReportFormat,
        /// Ghi ra tệp thay vì in ra màn hình.
        #[arg(short = 'o', long)]
        output: Option<PathBuf>,
        /// Ghi đè tệp đã có dù đó không phải báo cáo cũ.
        #[arg(long, requires = "output")]
        force: bool,
        /// Thư mục gốc của trang.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Tạo bài mới với phần khai báo điền sẵn, ví dụ: cds new tin-tuc "Hội nghị triển khai".
    #[command(help_template = HELP_TEMPLATE)]
    New {
        /// Thư mục của mục trong content/ (tin-tuc, cau-chuyen, van-ban, huong-dan…).
        section: String,
        /// Tiêu đề bài (đặt trong ngoặc kép).
        title: String,
        /// Tạo thư mục riêng cho bài (để đặt ảnh cạnh bài).
        #[arg(long)]
        bundle: bool,
        /// Thư mục gốc của trang.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Dựng rồi đăng trang lên cổng: vào một thư mục (ổ mạng, thư mục web), qua FTP, hay thành một tệp zip.
    #[command(help_template = HELP_TEMPLATE)]
    Publish {
        /// Nơi đăng: thư mục, hoặc ftp://ten@may-chu/thu-muc (ftps:// để bắt buộc mã hóa). Bỏ trống: `publish.to` trong config.yaml.
        to: Option<String>,
        /// Ghi cả trang vào một tệp zip để tải lên cổng.
        #[arg(long, conflicts_with = "to")]
        zip: Option<PathBuf>,
        /// Chỉ liệt kê sẽ thêm, thay, xóa những tệp nào; không ghi gì.
        #[arg(long, conflicts_with = "zip")]
        dry_run: bool,
        /// Thay cả các tệp không do cds đăng ở nơi đăng (bản cũ của chuyên mục tải lên bằng tay).
        #[arg(long)]
        force: bool,
        /// Thư mục gốc của trang.
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Xem trước trên trình duyệt, tự cập nhật mỗi khi lưu tệp.
    #[command(help_template = HELP_TEMPLATE)]
    Serve {
        /// Thư mục gốc của trang.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Cổng; nếu đang bận sẽ thử các cổng kế tiếp.
        #[arg(short = 'p', long, default_value_t = 1111)]
        port: u16,
        /// Địa chỉ lắng nghe (127.0.0.1: chỉ máy này).
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Cho điện thoại cùng mạng Wi-Fi xem trước: in địa chỉ và mã QR.
        #[arg(long)]
        lan: bool,
        /// Như --lan, kèm trình soạn bài cho điện thoại (mọi trang đều cần khóa trong mã QR).
        #[arg(long)]
        lan_edit: bool,
        /// Hiện cả bài nháp, bài hẹn giờ, bài hết hạn (khi xem trước luôn hiện, kèm dải báo).
        #[arg(long)]
        drafts: bool,
        /// Mở trình duyệt khi bắt đầu.
        #[arg(long)]
        open: bool,
        /// Mở trình soạn bài trên trình duyệt khi bắt đầu.
        #[arg(long)]
        open_editor: bool,
        /// Dò thay đổi bằng cách đọc lại định kỳ (ổ mạng, WSL, khi lưu mà trang không cập nhật).
        #[arg(long)]
        poll: bool,
    },
}

/// jemalloc: glibc's malloc and free took a tenth of a build (see Cargo.toml).
#[cfg(unix)]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cmd = usage::vietnamese(Cli::command());
    let parsed = cmd
        .clone()
        .try_get_matches_from(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => return mistyped(&e, &cmd),
    };
    // Ctrl+C, SIGTERM, a closed console: a build removes what it had written, then cds ends
    // as an interrupted program does (130).
    let _ = ctrlc::set_handler(|| {
        cds::output::interrupt();
        say_err!("{}", Message::Interrupted.text());
        std::process::exit(130);
    });
    match cli.command {
        Command::Build {
            root,
            output_dir,
            base_url,
            drafts,
            timings,
            force,
        } => {
            let output = output_dir.unwrap_or_else(|| default_output(&root));
            let req = BuildRequest {
                root,
                base_url,
                drafts,
                now: None,
            };
            run_build(&req, Disk::new(output).forced(force), timings)
        }
        Command::Report {
            quarter,
            year,
            from,
            to,
            format,
            output,
            force,
            root,
        } => run_report(
            &root,
            quarter,
            year,
            from,
            to,
            format,
            output.map(|o| (o, force)),
        ),
        Command::Check { root, external } => run_check(root, external),
        Command::Publish {
            to,
            zip,
            dry_run,
            force,
            root,
        } => run_publish(&cds::publish::Request {
            root,
            to,
            zip,
            dry_run,
            force,
            password: Box::new(ftp_password),
        }),
        Command::New {
            section,
            title,
            bundle,
            root,
        } => {
            let now = cds::build::now_in_vietnam();
            run_new(&NewRequest {
                root,
                section,
                title,
                bundle,
                now,
            })
        }
        Command::Serve {
            root,
            port,
            bind,
            lan,
            lan_edit,
            drafts: _,
            open,
            open_editor,
            poll,
        } => run_serve(
            &ServeOptions {
                root,
                bind,
                port,
                lan: lan || lan_edit,
                lan_edit,
                poll,
            },
            Open {
                preview: open,
                editor: open_editor,
            },
        ),
    }
}

fn run_check(root: PathBuf, external: bool) -> ExitCode {
    let now = cds::build::now_in_vietnam();
    let diags = cds::check::check(&cds::check::CheckOptions {
        root,
        external,
        now,
    });
    write_out(&cds::check::render_report(&diags));
    if diags.iter().any(Diagnostic::is_error) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn run_report(
    root: &std::path::Path,
    quarter: Option<String>,
    year: Option<i32>,
    from: Option<String>,
    to: Option<String>,
    format: ReportFormat,
    output: Option<(PathBuf, bool)>,
) -> ExitCode {
    use cds::report::{Period, report, to_csv, to_markdown, today};
    let now = cds::build::now_in_vietnam();
    let period = match (quarter, year, from, to) {
        (Some(q), None, None, None) => Period::quarter(&q),
        (None, Some(y), None, to) => match to.as_deref().map(|t| Period::range(t, t)) {
            Some(Err(e)) => Err(e),
            Some(Ok(day)) => Period::year(y, today(now), Some(day.to)),
            None => Period::year(y, today(now), None),
        },
        (None, None, Some(f), Some(t)) => Period::range(&f, &t),
        _ => Err(cds::diagnostics::Usage::NoPeriod),
    };
    let period = match period {
        Ok(p) => p,
        Err(usage) => return exit_with(&[cds::report::usage(usage)]),
    };
    let report = match report(root, period, now) {
        Ok((r, warnings)) => {
            for w in &warnings {
                say_err!("{}", w.render());
            }
            r
        }
        Err(diags) => {
            say_err!("{}", Message::ReportNeedsFixes.text());
            return exit_with(&diags);
        }
    };
    let text = match format {
        ReportFormat::Md => to_markdown(&report, now),
        ReportFormat::Csv => to_csv(&report),
    };
    match output {
        Some((path, force)) => match cds::report::write_report(root, &path, &text, force) {
            Ok(()) => {
                say!("{}", Message::ReportWritten { path: &path }.text());
                ExitCode::SUCCESS
            }
            Err(d) => exit_with(&[d]),
        },
        None => {
            write_out(&text);
            ExitCode::SUCCESS
        }
    }
}

fn run_new(req: &NewRequest) -> ExitCode {
    match cds::new::new_page(req) {
        Ok(created) => {
            let message = Message::Created {
                path: &created.path,
                url: &created.url,
            };
            say!("{}", message.text());
            ExitCode::SUCCESS
        }
        Err(diags) => exit_with(&diags),
    }
}

/// Prints the diagnostics; exit code 2 when they are all usage errors, else 1.
fn exit_with(diags: &[Diagnostic]) -> ExitCode {
    print_diagnostics(diags);
    if diags.iter().all(Diagnostic::is_usage) {
        ExitCode::from(2)
    } else {
        ExitCode::from(1)
    }
}

/// What `cds serve` opens in the browser once it is ready.
struct Open {
    preview: bool,
    editor: bool,
}

fn run_serve(opts: &ServeOptions, open: Open) -> ExitCode {
    let log = Arc::new(|line: String| {
        let now = cds::build::now_in_vietnam().format("%H:%M:%S");
        say_err!("{now} {line}");
    });
    let preview = match Preview::start(opts, log) {
        Ok(p) => p,
        Err(StartError::Site(diags)) => {
            print_diagnostics(&diags);
            return ExitCode::from(1);
        }
        Err(e) => {
            say_err!("{}", start_error(&e));
            return ExitCode::from(2);
        }
    };
    // Watch before saying so: a save right after the message must not be missed (at 10,000
    // articles the watcher takes a moment to start).
    let watching = match preview.start_watching(opts.poll) {
        Ok(w) => w,
        Err(e) => {
            say_err!("{}", start_error(&e));
            return ExitCode::from(1);
        }
    };
    preview.spawn_http();
    say!("{}", Message::Serving { url: &preview.url }.text());
    match preview.editor_link() {
        Some(link) => say!("{}", Message::EditorAt { url: &link }.text()),
        None => say!("{}", Message::EditorOffOnLan.text()),
    }
    if opts.lan_edit
        && let Some(link) = preview.editor_link()
    {
        say!("{}", Message::EditorOnLan.text());
        if let Some(qr) = cds::serve::qr_code(&link) {
            say!("{qr}");
        }
    }
    if opts.lan && !opts.lan_edit {
        say!("{}", Message::ScanOnPhone.text());
        if let Some(qr) = cds::serve::qr_code(&preview.url) {
            say!("{qr}");
        }
    }
    say!("{}", Message::SavingUpdates.text());
    if open.preview {
        open_browser(&preview.url);
    }
    if let Some(link) = preview.editor_link().filter(|_| open.editor) {
        open_browser(&link);
    }
    preview.run(watching);
    ExitCode::SUCCESS
}

fn start_error(e: &StartError) -> String {
    match e {
        StartError::NoPort { first, last } => Message::NoFreePort {
            first: *first,
            last: *last,
        }
        .text(),
        StartError::NoLanAddress => Message::NoLanAddress.text(),
        StartError::Watch(detail) => Message::CannotWatch {
            detail: detail.clone(),
        }
        .text(),
        StartError::Site(diags) => Message::SiteUnreadable {
            summary: summary(diags),
        }
        .text(),
    }
}

/// Help and the version go to standard output (exit 0); a mistake is told in Vietnamese
/// (exit 2).
fn mistyped(e: &clap::Error, cmd: &clap::Command) -> ExitCode {
    use clap::error::ErrorKind;
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = e.render().to_string();
            write_out(&text);
            if !text.ends_with('\n') {
                write_out("\n");
            }
            ExitCode::SUCCESS
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
            say_err!("{}", e.render());
            ExitCode::from(2)
        }
        _ => {
            let args: Vec<String> = std::env::args_os()
                .map(|a| a.to_string_lossy().into_owned())
                .collect();
            say_err!("{}", usage::explain(e, cmd, &args));
            ExitCode::from(2)
        }
    }
}

/// Best effort: the preview works without it.
fn open_browser(url: &str) {
    if !cds::serve::browser::open(url) {
        say_err!("{}", Message::NoBrowser { url }.text());
    }
}

fn run_publish(req: &cds::publish::Request) -> ExitCode {
    use cds::messages::publish;
    match cds::publish::publish(req) {
        Ok(outcome) => {
            say!("{}", publish::outcome(&outcome));
            ExitCode::SUCCESS
        }
        Err(failure) => {
            if let cds::publish::Failure::Build(diags) = &failure {
                print_diagnostics(diags);
            }
            say_err!("{}", publish::failure(&failure));
            match failure {
                cds::publish::Failure::NoPlace
                | cds::publish::Failure::BadAddress(_)
                | cds::publish::Failure::Folder { .. } => ExitCode::from(2),
                _ => ExitCode::from(1),
            }
        }
    }
}

/// The FTP password: `CDS_FTP_PASSWORD`, or typed at a prompt without echo.
fn ftp_password(address: &cds::publish::ftp::Address) -> std::io::Result<String> {
    if let Ok(password) = std::env::var("CDS_FTP_PASSWORD") {
        return Ok(password);
    }
    rpassword::prompt_password(cds::messages::publish::password_prompt(&address.shown()))
}

fn run_build(req: &BuildRequest, mut sink: Disk, timings: bool) -> ExitCode {
    let output = sink.dir.clone();
    match build(req, &mut sink) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            let built = Message::Built {
                pages: report.pages,
                files: report.files,
                output: &output,
                took: report.elapsed,
            };
            say!("{}", built.text());
            if timings {
                let t = report.timings;
                for (step, took) in [
                    (Step::Load, t.load),
                    (Step::Graph, t.graph),
                    (Step::Markdown, t.markdown),
                    (Step::Render, t.render),
                    (Step::Search, t.search),
                    (Step::Write, t.write),
                ] {
                    say!("{}", Message::Timing { step, took }.text());
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) if diags.iter().all(Diagnostic::is_usage) => {
            print_diagnostics(&diags);
            ExitCode::from(2)
        }
        // A full disk or an interruption: its one message already says what was kept.
        Err(diags) if diags.iter().all(Diagnostic::is_whole_run) => {
            print_diagnostics(&diags);
            ExitCode::from(1)
        }
        Err(diags) => {
            print_diagnostics(&diags);
            let failed = Message::BuildFailed {
                summary: summary(&diags),
                output: &output,
            };
            say_err!("{}", failed.text());
            ExitCode::from(1)
        }
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        say_err!("{}", d.render());
    }
}
