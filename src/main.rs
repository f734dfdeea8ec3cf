//! The `cds` command: parse arguments, call the library, print, exit (0 ok, 1 content errors,
//! 2 usage errors). No logic lives here.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use cds::build::{BuildRequest, build, default_output};
use cds::diagnostics::{Diagnostic, summary};
use cds::output::Disk;

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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output_dir,
            base_url,
            drafts,
        } => {
            let output = output_dir.unwrap_or_else(|| default_output(&root));
            let req = BuildRequest {
                root,
                base_url,
                drafts,
                now: None,
            };
            run_build(&req, output)
        }
    }
}

fn run_build(req: &BuildRequest, output: PathBuf) -> ExitCode {
    let mut sink = Disk {
        dir: output.clone(),
    };
    match build(req, &mut sink) {
        Ok(report) => {
            print_diagnostics(&report.warnings);
            println!(
                "Đã dựng {} trang ({} tệp) vào {} trong {}.",
                cds::text::format_number(report.pages as i64),
                cds::text::format_number(report.files as i64),
                output.display(),
                duration(report.elapsed)
            );
            ExitCode::SUCCESS
        }
        Err(diags) if diags.iter().all(Diagnostic::is_usage) => {
            print_diagnostics(&diags);
            ExitCode::from(2)
        }
        Err(diags) => {
            print_diagnostics(&diags);
            eprintln!(
                "Không dựng được trang ({}). Thư mục {} vẫn giữ nguyên như trước.",
                summary(&diags),
                output.display()
            );
            ExitCode::from(1)
        }
    }
}

/// `12 ms` below a second, `1,25 giây` above (Vietnamese decimal comma).
fn duration(d: std::time::Duration) -> String {
    if d.as_millis() < 1000 {
        format!("{} ms", d.as_millis().max(1))
    } else {
        format!("{:.2} giây", d.as_secs_f64()).replace('.', ",")
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}", d.render());
    }
}
