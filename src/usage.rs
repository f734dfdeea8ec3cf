//! The command line in Vietnamese (the binary's part): clap's headings, placeholders, usage
//! lines and help and version flags are replaced by the words of `cds::messages::usage`, and a
//! mistyped command is told from clap's error context in those words, not clap's English.

use cds::messages::usage as words;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

/// `cmd` and each of its commands, in Vietnamese.
pub fn vietnamese(cmd: Command) -> Command {
    let cmd = localized(cmd, true);
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_owned())
        .collect();
    names.into_iter().fold(cmd, |cmd, name| {
        cmd.mut_subcommand(name, |sub| localized(sub, false))
    })
}

fn localized(cmd: Command, root: bool) -> Command {
    let name = cmd.get_name().to_owned();
    let mut cmd = cmd
        .disable_help_flag(true)
        .subcommand_help_heading(words::COMMANDS)
        .subcommand_value_name(words::COMMAND)
        .mut_args(|a| {
            let heading = if a.is_positional() {
                words::ARGUMENTS
            } else {
                words::OPTIONS
            };
            let a = with_default_in_words(a.help_heading(heading));
            match words::value_name(&name, a.get_id().as_str()) {
                Some(v) if a.get_action().takes_values() => a.value_name(v),
                _ => a,
            }
        })
        .arg(flag("help", 'h', ArgAction::Help, words::HELP));
    if root {
        cmd = cmd.disable_version_flag(true).arg(flag(
            "version",
            'V',
            ArgAction::Version,
            words::VERSION,
        ));
    }
    let usage = usage_of(&cmd, root);
    cmd.override_usage(usage)
}

/// clap writes a default as `[default: .]`: the help says it in Vietnamese instead.
fn with_default_in_words(a: Arg) -> Arg {
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if defaults.is_empty() || !a.get_action().takes_values() {
        return a;
    }
    let help = a.get_help().map(|h| h.to_string()).unwrap_or_default();
    let help = format!(
        "{} {}",
        help.trim_end_matches('.'),
        words::default_is(&defaults.join(", "))
    );
    a.hide_default_value(true).help(help)
}

fn flag(id: &'static str, short: char, action: ArgAction, help: &'static str) -> Arg {
    Arg::new(id)
        .short(short)
        .long(id)
        .action(action)
        .help(help)
        .help_heading(words::OPTIONS)
}

/// `cds new <MỤC> <TIÊU_ĐỀ> [tùy chọn]`, `cds <LỆNH>`.
fn usage_of(cmd: &Command, root: bool) -> String {
    if root {
        return format!("cds <{}>", words::COMMAND);
    }
    let mut line = format!("cds {}", cmd.get_name());
    for a in cmd.get_positionals() {
        let name = a
            .get_value_names()
            .and_then(|v| v.first().map(|n| n.to_string()))
            .unwrap_or_else(|| a.get_id().to_string().to_uppercase());
        match a.is_required_set() {
            true => line.push_str(&format!(" <{name}>")),
            false => line.push_str(&format!(" [{name}]")),
        }
    }
    line.push(' ');
    line.push_str(words::SOME_OPTIONS);
    line
}

/// What `e` says, in Vietnamese, with the usage line of the command that was typed.
pub fn explain(e: &clap::Error, cmd: &Command, args: &[String]) -> String {
    // clap lists suggestions from the least to the most likely.
    let one = |k| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(v)) if k == ContextKind::SuggestedSubcommand => {
            v.last().cloned()
        }
        Some(ContextValue::Strings(v)) => v.first().cloned(),
        _ => None,
    };
    let many = |k| match e.get(k) {
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    let (arg, value) = (one(ContextKind::InvalidArg), one(ContextKind::InvalidValue));
    let (suggestion, prior) = (one(ContextKind::SuggestedArg), one(ContextKind::PriorArg));
    let valid = many(ContextKind::ValidValue);
    let missing = many(ContextKind::InvalidArg);
    let subcommand = one(ContextKind::InvalidSubcommand);
    let suggested = one(ContextKind::SuggestedSubcommand);
    let mistake = match e.kind() {
        ErrorKind::UnknownArgument if arg.is_some() => words::Mistake::UnknownOption {
            arg: arg.as_deref().unwrap_or_default(),
            suggestion: suggestion.as_deref(),
        },
        ErrorKind::InvalidSubcommand => words::Mistake::UnknownCommand {
            name: subcommand.as_deref().unwrap_or_default(),
            suggestion: suggested.as_deref(),
        },
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => words::Mistake::BadValue {
            arg: arg.as_deref().unwrap_or_default(),
            value: value.as_deref().unwrap_or_default(),
            valid: &valid,
        },
        ErrorKind::MissingRequiredArgument => words::Mistake::Missing { args: &missing },
        ErrorKind::ArgumentConflict => words::Mistake::Conflict {
            arg: arg.as_deref().unwrap_or_default(),
            other: prior.as_deref(),
        },
        ErrorKind::TooManyValues | ErrorKind::UnknownArgument if value.is_some() => {
            words::Mistake::TooMany {
                value: value.as_deref().unwrap_or_default(),
            }
        }
        _ => words::Mistake::Other,
    };
    // The command typed: the first argument that names one.
    let typed = args
        .iter()
        .skip(1)
        .find_map(|a| cmd.find_subcommand(a.as_str()));
    let (usage, name) = match typed {
        Some(sub) => (usage_of(sub, false), sub.get_name()),
        None => (usage_of(cmd, true), ""),
    };
    mistake.text(&usage, name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn said(args: &[&str]) -> (ErrorKind, String) {
        let cmd = vietnamese(crate::Cli::command());
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let e = cmd
            .clone()
            .try_get_matches_from(&args)
            .expect_err("a mistake");
        (e.kind(), explain(&e, &cmd, &args))
    }

    #[test]
    fn mistyped_commands_are_told_in_vietnamese() {
        for (args, needle) in [
            (
                &["cds", "bulid"][..],
                "không có lệnh `bulid`; có phải bạn muốn viết `build`?",
            ),
            (&["cds", "pubish"][..], "có phải bạn muốn viết `publish`?"),
            (
                &["cds", "build", "--khong-co"],
                "không có tùy chọn `--khong-co`",
            ),
            (
                &["cds", "build", "--draft"],
                "có phải bạn muốn viết `--drafts`?",
            ),
            (
                &["cds", "serve", "--port", "abc"],
                "giá trị `abc` của `--port <CỔNG>` không dùng được",
            ),
            (
                &["cds", "report", "--format", "pdf"],
                "chọn một trong: md, csv",
            ),
            (&["cds", "new"], "còn thiếu: <MỤC>, <TIÊU_ĐỀ>"),
            (
                &["cds", "publish", "x", "--zip", "a.zip"],
                "cùng với `--zip <TỆP>`",
            ),
        ] {
            let (_, text) = said(args);
            assert!(text.contains(needle), "{args:?}: {text}");
            assert!(text.starts_with("lỗi: "), "{text}");
            for english in [
                "error",
                "Usage",
                "tip",
                "For more information",
                "invalid",
                "found",
            ] {
                assert!(!text.contains(english), "{args:?} says `{english}`: {text}");
            }
        }
        let (_, text) = said(&["cds", "new"]);
        assert!(
            text.contains("Cách dùng: cds new <MỤC> <TIÊU_ĐỀ> [tùy chọn]"),
            "{text}"
        );
        assert!(text.contains("Xem thêm: cds new --help"), "{text}");
    }

    #[test]
    fn help_has_no_english_headings() {
        let mut cmd = vietnamese(crate::Cli::command());
        let mut texts = vec![cmd.render_help().to_string()];
        for name in ["build", "check", "report", "new", "publish", "serve"] {
            let sub = cmd.find_subcommand_mut(name).expect(name);
            texts.push(sub.render_help().to_string());
        }
        for text in texts {
            for english in [
                "Usage",
                "Options",
                "Commands",
                "Arguments",
                "Print help",
                "Print version",
                "[OPTIONS]",
                "<ROOT>",
                "<COMMAND>",
                "default:",
            ] {
                assert!(!text.contains(english), "`{english}` in:\n{text}");
            }
            assert!(text.contains("Cách dùng: cds"), "{text}");
        }
    }
}
