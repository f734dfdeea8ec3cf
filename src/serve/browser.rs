//! Opening the default browser, for `serve --open` and `--open-editor`: the program each
//! system has for it, found on `PATH`, with the address as one argument (never through a
//! shell, which would read the `&` or `^` of an address).

use std::process::{Command, Stdio};

/// The commands that open `url` on `os` (`std::env::consts::OS`), to try in order.
pub fn commands(os: &str, url: &str) -> Vec<Vec<String>> {
    let with = |program: &[&str]| {
        let mut cmd: Vec<String> = program.iter().map(|s| (*s).to_owned()).collect();
        cmd.push(url.to_owned());
        cmd
    };
    match os {
        // ShellExecute through url.dll: the browser the user chose, and no `cmd /c start`
        // (which reads `&` as a second command). Explorer if rundll32 is kept from users.
        "windows" => vec![
            with(&["rundll32.exe", "url.dll,FileProtocolHandler"]),
            with(&["explorer.exe"]),
        ],
        "macos" => vec![with(&["open"])],
        // freedesktop's opener, GNOME's, then Debian's alternatives.
        _ => vec![
            with(&["xdg-open"]),
            with(&["gio", "open"]),
            with(&["sensible-browser"]),
            with(&["x-www-browser"]),
        ],
    }
}

/// Opens `url` with the first command that starts; false if none does.
pub fn open(url: &str) -> bool {
    commands(std::env::consts::OS, url).iter().any(|cmd| {
        Command::new(&cmd[0])
            .args(&cmd[1..])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_system_opens_the_address_as_one_argument() {
        let url = "http://127.0.0.1:1112/?khoa=a&b^c";
        for os in ["windows", "macos", "linux", "freebsd"] {
            let cmds = commands(os, url);
            assert!(!cmds.is_empty(), "{os}");
            for cmd in &cmds {
                assert_eq!(cmd.last().map(String::as_str), Some(url), "{os}: {cmd:?}");
                assert!(
                    !cmd.iter().any(|a| a == "cmd" || a == "/C"),
                    "{os}: no shell"
                );
            }
        }
        assert_eq!(commands("windows", url)[0][0], "rundll32.exe");
        assert_eq!(commands("macos", url)[0][0], "open");
        assert_eq!(commands("linux", url)[0][0], "xdg-open");
    }
}
