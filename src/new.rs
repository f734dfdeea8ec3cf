//! `cds new <mục> "<tiêu đề>"`: starts a correct file so editors never have to remember the keys.
//!
//! The file is named from the title's slug, in the section's folder (or as a bundle folder for
//! articles with photos), with the keys of that section's kind, each with a short Vietnamese
//! comment, the date and time now in Vietnam time, defaults from config and `draft: true`.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::config::Config;
use crate::content::schema::{Fields, New, PAGE_FIELDS};
use crate::content::{self, CONTENT_DIR, PageKind};
use crate::diagnostics::{Diagnostic, IoAction, Kind, Usage};
use crate::messages::{NEW_BODY, NEW_BUNDLE_BODY};
use crate::text::slugify;
use crate::urls::Urls;

/// What `cds new` was asked for.
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub root: PathBuf,
    /// Folder of the section under `content/` (`tin-tuc`).
    pub section: String,
    pub title: String,
    /// A folder with `index.md`, so photos can sit beside the text.
    pub bundle: bool,
    pub now: DateTime<FixedOffset>,
}

/// The file made.
#[derive(Debug)]
pub struct Created {
    /// Relative to the site root.
    pub path: PathBuf,
    /// Where the page will be once published.
    pub url: String,
}

/// Creates the file; refuses to overwrite anything.
pub fn new_page(req: &NewRequest) -> Result<Created, Vec<Diagnostic>> {
    let config = Config::load(&req.root)?;
    let loaded = content::load(&req.root, &config);
    let wanted = req.section.trim().trim_matches('/');
    let Some(section) = loaded
        .sections
        .iter()
        .find(|s| !s.dir.is_empty() && (s.dir == wanted || slugify(&s.dir) == slugify(wanted)))
    else {
        let mut sections: Vec<String> = loaded
            .sections
            .iter()
            .filter(|s| !s.dir.is_empty())
            .map(|s| format!("{} ({})", s.dir, s.meta.title))
            .collect();
        sections.sort();
        return Err(vec![usage(Usage::NoSuchSection {
            wanted: wanted.to_owned(),
            sections,
        })]);
    };
    let slug = slugify(&req.title);
    if slug.is_empty() {
        return Err(vec![usage(Usage::TitleWithoutLetters)]);
    }
    // `index.md` beside `_index.md` would be a second page at the section's address.
    if slug == "index" {
        return Err(vec![usage(Usage::ReservedTitle {
            title: req.title.clone(),
        })]);
    }
    let dir = Path::new(CONTENT_DIR).join(&section.dir);
    let rel = if req.bundle {
        dir.join(&slug).join("index.md")
    } else {
        dir.join(format!("{slug}.md"))
    };
    for taken in [dir.join(format!("{slug}.md")), dir.join(&slug)] {
        // A link counts as taken even when it points to nothing.
        if std::fs::symlink_metadata(req.root.join(&taken)).is_ok() {
            return Err(vec![usage(Usage::Taken {
                path: crate::diagnostics::display_path(&taken),
            })]);
        }
    }
    let text = front_matter(section.meta.kind, &req.title, &config, req.now, req.bundle);
    let path = req.root.join(&rel);
    let write = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| write_new(&path, &text));
    if let Err(e) = write {
        return Err(vec![Diagnostic::file(
            &rel,
            Kind::Io {
                action: IoAction::Write,
                detail: crate::diagnostics::io_reason(&e),
            },
        )]);
    }
    let urls = Urls::new(&config.base_url);
    let url = urls.absolute(&crate::site::url_folder(&section.dir).join(&format!("{slug}/")));
    Ok(Created { path: rel, url })
}

/// Writes a file that must not exist yet: never through a link, never over a file that
/// appeared since the check above.
fn write_new(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    file.write_all(text.as_bytes())
}

fn usage(usage: Usage) -> Diagnostic {
    Diagnostic::file("cds new", Kind::Usage(usage))
}

/// A YAML double-quoted string.
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The text of the new file for a page of `kind`: every key the schema offers the kind, in
/// its order, under its help (`content/schema.rs`).
pub fn front_matter(
    kind: PageKind,
    title: &str,
    config: &Config,
    now: DateTime<FixedOffset>,
    bundle: bool,
) -> String {
    let start = NewValues {
        title,
        date: now
            .with_timezone(&crate::text::vietnam_offset())
            .format("%d/%m/%Y %H:%M")
            .to_string(),
        config,
        kind,
    };
    let mut t = String::from("---\n");
    write_fields(&mut t, &PAGE_FIELDS, "", &start);
    t.push_str("---\n");
    t.push_str(NEW_BODY);
    if bundle {
        t.push_str(NEW_BUNDLE_BODY);
    }
    t
}

/// What the values of a new file are made from.
struct NewValues<'a> {
    title: &'a str,
    date: String,
    config: &'a Config,
    kind: PageKind,
}

/// Writes the `fields` offered to the new page's kind, each under its help, indented by
/// `indent`; a mapping's keys below it.
fn write_fields(t: &mut String, fields: &Fields, indent: &str, start: &NewValues) {
    for field in fields.0.iter().filter(|f| f.offered_to(start.kind)) {
        if let Some(help) = field.help {
            let text = help.text(&start.config.categories);
            t.push_str(&format!("{indent}# {text}\n"));
        }
        let value = match field.new {
            New::Blank | New::Mapping => None,
            New::EmptyText => Some("\"\"".to_owned()),
            New::EmptyList => Some("[]".to_owned()),
            New::True => Some("true".to_owned()),
            New::Title => Some(quoted(start.title)),
            New::Now => Some(start.date.clone()),
            New::Author => start.config.defaults.author.as_deref().map(quoted),
            New::Unit => start.config.defaults.unit.as_deref().map(quoted),
            New::Placeholder(help) => Some(quoted(&help.text(&[]))),
        };
        match value {
            Some(v) => t.push_str(&format!("{indent}{}: {v}\n", field.key)),
            None => t.push_str(&format!("{indent}{}:\n", field.key)),
        }
        if let Some(nested) = field.nested {
            write_fields(t, nested, &format!("{indent}  "), start);
        }
    }
}
