//! Every output path is claimed by exactly one source. Pages with one URL are caught earlier by
//! `site`; this catches the rest: two folders that slugify alike (`Tin tức/`, `tin-tuc/`), a
//! page slug equal to a list page (`trang`), a taxonomy folder equal to a section, an alias on a
//! real page, a loose `content/` file over a generated one, and a path that would have to be
//! a file and a folder at once (an alias `rss.xml` is written as `rss.xml/index.html`; a theme
//! file `css/site.css` with an alias `css/site.css/` likewise).

use std::path::{Path, PathBuf};

use super::views::Job;
use crate::diagnostics::{Diagnostic, Kind};
use crate::fast_hash::FastMap;
use crate::site::Site;

/// The longest file or folder name most file systems take, in bytes.
const MAX_NAME: usize = 255;

/// The longest output path, in bytes (systems stop at 4,096).
const MAX_PATH: usize = crate::content::front_matter::MAX_PATH;

struct Claims<'a> {
    /// Output path → its source and the line that names it (0: the whole file).
    by_path: FastMap<&'a str, (&'a Path, usize)>,
    diags: Vec<Diagnostic>,
}

impl<'a> Claims<'a> {
    fn claim(&mut self, site: &Site, output_file: &'a str, source: &'a Path, line: usize) {
        match self.by_path.get(output_file).map(|(p, _)| *p) {
            Some(other) if other != source => {
                let url = site.urls.href(&crate::urls::UrlPath::file(
                    output_file
                        .strip_suffix("index.html")
                        .unwrap_or(output_file),
                ));
                let kind = Kind::DuplicateUrl {
                    url,
                    other: other.to_path_buf(),
                };
                self.diags
                    .push(Diagnostic::file(source, kind).on_line(line));
            }
            Some(_) => {}
            None => {
                self.by_path.insert(output_file, (source, line));
            }
        }
    }

    /// A claimed path with a folder or file name longer than file systems take (a category
    /// of 300 letters in `config.yaml`, say): named with its source, before anything is
    /// written.
    fn check_names(&mut self) {
        let mut long: Vec<(&Path, usize, &str)> = self
            .by_path
            .iter()
            .filter_map(|(path, (source, line))| {
                let too_long = |name: &&str| name.len() > MAX_NAME;
                let name = match path.len() > MAX_PATH {
                    true => *path,
                    false => path.split('/').find(too_long)?,
                };
                // A list page made from a template: its long name is a category of the config
                // (tags and slugs are refused in their page already).
                let source = match source.starts_with("themes") || source.starts_with("templates") {
                    true => Path::new(crate::config::CONFIG_FILE),
                    false => *source,
                };
                Some((source, *line, name))
            })
            .collect();
        long.sort();
        long.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        for (source, line, name) in long {
            let kind = Kind::NameTooLong {
                limit: crate::content::front_matter::MAX_SEGMENT,
                name: crate::text::shorten(name),
            };
            self.diags
                .push(Diagnostic::file(source, kind).on_line(line));
        }
    }

    /// Output names Windows cannot hold (a tag `con` makes a folder `con/`), and output paths
    /// that differ only by case (`Anh.jpg` of `static/` and `anh.jpg` of a page): the site
    /// copied to a Windows PC, or published to a Windows server, would lose them.
    fn check_portable(&mut self) {
        let mut paths: Vec<&str> = self.by_path.keys().copied().collect();
        paths.sort_unstable();
        let source_of = |path: &str| {
            let (source, line) = self.by_path[path];
            // A list page of a template is named by a category or tag of the config.
            match source.starts_with("themes") || source.starts_with("templates") {
                true => (Path::new(crate::config::CONFIG_FILE), line),
                false => (source, line),
            }
        };
        let mut found = Vec::new();
        let mut named = std::collections::HashSet::new();
        for path in &paths {
            let bad = path
                .split('/')
                .find_map(|n| Some((n, crate::names::unportable(n)?)));
            if let Some((name, why)) = bad.filter(|(name, _)| named.insert(*name)) {
                let kind = Kind::NameUnportable {
                    name: name.to_owned(),
                    why,
                };
                found.push((source_of(path), kind));
            }
        }
        for clash in crate::names::clashes(paths.iter().copied()) {
            let kind = Kind::NameClash {
                name: clash.name.to_owned(),
                other: clash.other.to_owned(),
            };
            found.push((source_of(clash.path), kind));
        }
        for ((source, line), kind) in found {
            self.diags
                .push(Diagnostic::file(source, kind).on_line(line));
        }
    }

    /// Files claimed under `dir`, which cds writes to after the claims (the search index).
    fn check_reserved(&mut self, dir: &str) {
        let prefix = format!("{dir}/");
        let mut found: Vec<&Path> = self
            .by_path
            .iter()
            .filter(|(path, _)| path.starts_with(&prefix))
            .map(|(_, (source, _))| *source)
            .collect();
        found.sort();
        for source in found {
            let kind = Kind::ReservedPath {
                path: prefix.clone(),
            };
            self.diags.push(Diagnostic::file(source, kind));
        }
    }

    /// A claimed path whose folder is another claimed file: it could be written as neither.
    fn check_folders(&mut self, site: &Site) {
        let mut clashes = Vec::new();
        for (path, (source, line)) in &self.by_path {
            let folders = path.match_indices('/').map(|(i, _)| &path[..i]);
            for folder in folders {
                if let Some((other, _)) = self.by_path.get(folder) {
                    clashes.push((folder, *source, *line, *other));
                }
            }
        }
        clashes.sort();
        for (folder, source, line, other) in clashes {
            let kind = Kind::DuplicateUrl {
                url: site.urls.href(&crate::urls::UrlPath::file(folder)),
                other: other.to_path_buf(),
            };
            self.diags
                .push(Diagnostic::file(source, kind).on_line(line));
        }
    }
}

/// Returns a diagnostic for every output path claimed twice.
/// `content_paths`: files copied or generated without templates, with their sources.
pub fn check(site: &Site, jobs: &[Job], content_paths: &[(String, PathBuf)]) -> Vec<Diagnostic> {
    let aliases: Vec<String> = site.aliases.iter().map(|a| a.from.output_file()).collect();
    let claimed = jobs.len() + aliases.len() + content_paths.len();
    let mut claims = Claims {
        by_path: FastMap::with_capacity_and_hasher(claimed, Default::default()),
        diags: Vec::new(),
    };
    for job in jobs {
        claims.claim(site, &job.output, &job.file, 0);
    }
    for (alias, output) in site.aliases.iter().zip(&aliases) {
        claims.claim(site, output, &alias.file, alias.line);
    }
    for (output, source) in content_paths {
        claims.claim(site, output, source, 0);
    }
    claims.check_reserved(crate::search::INDEX_DIR);
    if claims.diags.is_empty() {
        claims.check_names();
        claims.check_folders(site);
        claims.check_portable();
    }
    claims.diags
}
