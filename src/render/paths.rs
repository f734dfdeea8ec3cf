//! Every output path is claimed by exactly one source. Pages with one URL are caught earlier by
//! `site`; this catches the rest: two folders that slugify alike (`Tin tức/`, `tin-tuc/`), a
//! page slug equal to a list page (`trang`), a taxonomy folder equal to a section, an alias on a
//! real page, a loose `content/` file over a generated one.

use std::path::{Path, PathBuf};

use super::views::Job;
use crate::diagnostics::{Diagnostic, Kind};
use crate::fast_hash::FastMap;
use crate::site::Site;

struct Claims<'a> {
    by_path: FastMap<&'a str, &'a Path>,
    diags: Vec<Diagnostic>,
}

impl<'a> Claims<'a> {
    fn claim(&mut self, site: &Site, output_file: &'a str, source: &'a Path) {
        match self.by_path.get(output_file) {
            Some(other) if *other != source => {
                let url = site.urls.href(&crate::urls::UrlPath::file(
                    output_file
                        .strip_suffix("index.html")
                        .unwrap_or(output_file),
                ));
                let kind = Kind::DuplicateUrl {
                    url,
                    other: other.to_path_buf(),
                };
                self.diags.push(Diagnostic::file(source, kind));
            }
            Some(_) => {}
            None => {
                self.by_path.insert(output_file, source);
            }
        }
    }
}

/// Returns a diagnostic for every output path claimed twice.
pub fn check(site: &Site, jobs: &[Job], content_paths: &[(String, PathBuf)]) -> Vec<Diagnostic> {
    let aliases: Vec<String> = site.aliases.iter().map(|a| a.from.output_file()).collect();
    let mut claims = Claims {
        by_path: FastMap::default(),
        diags: Vec::new(),
    };
    for job in jobs {
        claims.claim(site, &job.output, &job.file);
    }
    for (alias, output) in site.aliases.iter().zip(&aliases) {
        claims.claim(site, output, &alias.file);
    }
    for (output, source) in content_paths {
        claims.claim(site, output, source);
    }
    claims.diags
}
