//! `cds check --external`: request every link to another site once, with a timeout.
//!
//! Uses the system's `curl` (present on Linux, macOS and Windows 10+) rather than a TLS stack
//! compiled into cds for a check that is off by default.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Kind, LinkFailure};
use crate::markdown::Bodies;
use crate::memo::Text;
use crate::site::Site;

/// Seconds one URL may take.
const TIMEOUT: u32 = 10;

pub(super) fn check(site: &Site, bodies: &Bodies) -> Vec<Diagnostic> {
    // URL → first place it is used (file, text, line, col)
    let mut uses: BTreeMap<String, (PathBuf, Text, usize, usize)> = BTreeMap::new();
    let own = site.urls.origin().to_owned();
    for (p, body) in site.pages.iter().zip(bodies.pages()) {
        let mut locator = crate::text::Locator::new(&p.page.text);
        for l in body.links.iter().filter(|l| is_external(&l.url, &own)) {
            uses.entry(l.url.clone()).or_insert_with(|| {
                let (line, col) = locator.locate(l.offset);
                (p.page.file.clone(), p.page.text.clone(), line, col)
            });
        }
        if let Some(src) = p
            .page
            .meta
            .document
            .as_ref()
            .and_then(|d| d.source.clone())
            .filter(|s| is_external(s, &own))
        {
            let (line, col) =
                crate::yaml::find_key(&p.page.text, &["document"], "source").unwrap_or((0, 0));
            uses.entry(src)
                .or_insert((p.page.file.clone(), p.page.text.clone(), line, col));
        }
    }
    let results: Vec<(String, Option<LinkFailure>)> = uses
        .keys()
        .cloned()
        .collect::<Vec<_>>()
        .into_par_iter()
        .map(|u| {
            let problem = probe(&u);
            (u, problem)
        })
        .collect();
    results
        .into_iter()
        .filter_map(|(url, problem)| {
            let failure = problem?;
            let (file, text, line, col) = &uses[&url];
            let kind = Kind::BrokenExternalLink { url, failure };
            Some(Diagnostic::at(file, text, *line, *col, kind).warning())
        })
        .collect()
}

fn is_external(url: &str, own_origin: &str) -> bool {
    (url.starts_with("http://") || url.starts_with("https://")) && !url.starts_with(own_origin)
}

/// `None` when the URL answers with a success or redirect; otherwise what went wrong.
pub fn probe(url: &str) -> Option<LinkFailure> {
    let status = |head: bool| -> Result<u16, LinkFailure> {
        let mut cmd = Command::new("curl");
        cmd.args([
            "-s",
            "-o",
            "/dev/null",
            "-L",
            "--max-time",
            &TIMEOUT.to_string(),
            "-w",
            "%{http_code}",
        ]);
        if head {
            cmd.arg("-I");
        }
        let out = cmd.arg(url).output().map_err(|_| LinkFailure::NoCurl)?;
        Ok(String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0))
    };
    // Some servers refuse HEAD; ask again with GET before calling the link broken.
    let code = match status(true) {
        Ok(c) if (200..400).contains(&c) => return None,
        Ok(_) => status(false),
        Err(e) => return Some(e),
    };
    match code {
        Ok(c) if (200..400).contains(&c) => None,
        Ok(0) => Some(LinkFailure::NoAnswer { seconds: TIMEOUT }),
        Ok(c) => Some(LinkFailure::Status(c)),
        Err(e) => Some(e),
    }
}
