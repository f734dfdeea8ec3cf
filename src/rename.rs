//! Renames that outlast a virus scanner or a search indexer. On Windows a program that holds a
//! file open without sharing it (an antivirus reading a file just written, the indexer, an
//! Explorer window on the folder) makes a rename of it, or of its folder, fail with "access
//! denied" or "sharing violation" for a moment. Every rename cds does to put a finished file
//! or folder in place waits and tries again, up to about three seconds, before it reports.

use std::io;
use std::path::Path;
use std::time::Duration;

/// The waits between tries, in milliseconds: short at first (a scanner is usually done in
/// a few), 3.2 seconds in all.
const WAITS: [u64; 9] = [5, 10, 20, 50, 100, 200, 400, 800, 1600];

/// Windows' `ERROR_ACCESS_DENIED`, `ERROR_SHARING_VIOLATION` and `ERROR_LOCK_VIOLATION`.
const HELD_ON_WINDOWS: [i32; 3] = [5, 32, 33];

/// Whether `e` says another program holds the file for now, on Windows (`windows`) or
/// elsewhere (a busy mount point). Decided on the error's code, so both are tested anywhere.
pub fn is_held(e: &io::Error, windows: bool) -> bool {
    let code = e.raw_os_error();
    (windows && code.is_some_and(|c| HELD_ON_WINDOWS.contains(&c)))
        || e.kind() == io::ErrorKind::ResourceBusy
}

/// Runs `op` until it succeeds, fails for another reason, or the waits are over; `wait`
/// sleeps (a test counts instead).
pub fn retrying<T>(
    mut op: impl FnMut() -> io::Result<T>,
    windows: bool,
    mut wait: impl FnMut(Duration),
) -> io::Result<T> {
    for ms in WAITS {
        match op() {
            Err(e) if is_held(&e, windows) => wait(Duration::from_millis(ms)),
            done => return done,
        }
    }
    op()
}

/// `fs::rename`, tried again while another program holds the file.
pub fn rename(from: &Path, to: &Path) -> io::Result<()> {
    retrying(
        || std::fs::rename(from, to),
        cfg!(windows),
        std::thread::sleep,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sharing_violation() -> io::Error {
        io::Error::from_raw_os_error(32)
    }

    #[test]
    fn a_file_held_for_a_moment_is_renamed_once_it_is_let_go() {
        let (mut tries, mut waited) = (0, Duration::ZERO);
        let result = retrying(
            || {
                tries += 1;
                match tries < 4 {
                    true => Err(sharing_violation()),
                    false => Ok(tries),
                }
            },
            true,
            |d| waited += d,
        );
        assert_eq!(result.ok(), Some(4));
        assert_eq!(waited, Duration::from_millis(5 + 10 + 20));
    }

    #[test]
    fn a_file_held_for_good_fails_after_about_three_seconds() {
        let (mut tries, mut waited) = (0, Duration::ZERO);
        let result: io::Result<()> = retrying(
            || {
                tries += 1;
                Err(io::Error::from_raw_os_error(5))
            },
            true,
            |d| waited += d,
        );
        assert_eq!(result.map_err(|e| e.raw_os_error()), Err(Some(5)));
        assert_eq!(tries, WAITS.len() + 1);
        assert_eq!(waited, Duration::from_millis(3185));
    }

    #[test]
    fn other_errors_are_reported_at_once() {
        let mut tries = 0;
        let result: io::Result<()> = retrying(
            || {
                tries += 1;
                Err(io::Error::from(io::ErrorKind::NotFound))
            },
            true,
            |_| panic!("no wait for a missing file"),
        );
        assert!(result.is_err());
        assert_eq!(tries, 1);
        // Codes 5 and 32 are other errors off Windows (EIO, EPIPE).
        assert!(!is_held(&sharing_violation(), false));
        assert!(is_held(&sharing_violation(), true));
        assert!(is_held(
            &io::Error::from(io::ErrorKind::ResourceBusy),
            false
        ));
    }
}
