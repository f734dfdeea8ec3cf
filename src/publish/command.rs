//! `cds publish` from start to end: build the site into its output folder (a build that fails
//! publishes nothing), read what was built, then write the zip, or plan against the place and
//! carry the plan out. `main.rs` only prints what this returns.

use std::io;
use std::path::PathBuf;

use super::folder::{Folder, Refusal};
use super::ftp::{Address, BadAddress, Ftp};
use super::{Done, Manifest, Place, Plan, Stopped, Target};
use crate::build::{BuildRequest, build, default_output};
use crate::diagnostics::Diagnostic;
use crate::output::Disk;

/// Asks for the FTP password of an address.
pub type AskPassword = Box<dyn Fn(&Address) -> io::Result<String>>;

/// What was asked.
pub struct Request {
    pub root: PathBuf,
    /// A folder or `ftp://` address; `None`: the config's `publish.to`.
    pub to: Option<String>,
    /// `--zip FILE` instead of a place.
    pub zip: Option<PathBuf>,
    pub dry_run: bool,
    pub force: bool,
    /// Asks for the FTP password (the environment's, or a prompt without echo).
    pub password: AskPassword,
}

/// What a publish did.
#[derive(Debug)]
pub enum Outcome {
    Zip {
        path: PathBuf,
        files: usize,
        bytes: u64,
    },
    /// `--dry-run`: what would change; nothing was written there.
    Planned { place: String, plan: Plan },
    Published {
        place: String,
        plan: Plan,
        done: Done,
        /// For FTP: whether TLS protected it, and how often the connection was opened again.
        tls: Option<bool>,
        reconnects: usize,
    },
}

/// Why nothing (or not everything) was published.
#[derive(Debug)]
pub enum Failure {
    /// No place on the command line and none in `config.yaml`.
    NoPlace,
    BadAddress(BadAddress),
    /// The site has errors: nothing was published.
    Build(Vec<Diagnostic>),
    Folder {
        place: String,
        why: Refusal,
    },
    /// Files cds would write over that it did not publish there.
    Foreign {
        place: String,
        paths: Vec<String>,
    },
    /// The place could not be reached or read; nothing was written.
    Unreachable {
        place: String,
        error: io::Error,
    },
    /// Stopped midway: what landed is listed in the manifest there, the old site is whole.
    Stopped {
        place: String,
        stopped: Stopped,
    },
    ZipNotOurs(PathBuf),
    Io {
        path: PathBuf,
        error: io::Error,
    },
}

pub fn publish(req: &Request) -> Result<Outcome, Failure> {
    let target = match (&req.zip, &req.to) {
        (Some(file), _) => Target::Zip(file.clone()),
        (None, Some(to)) => Target::parse(to).map_err(Failure::BadAddress)?,
        (None, None) => configured(req)?,
    };
    let output = default_output(&req.root);
    // A folder is checked before the build: a wrong place costs no build.
    let folder = match &target {
        Target::Folder(dir) => {
            Some(
                Folder::open(dir, &req.root, &output).map_err(|why| Failure::Folder {
                    place: crate::diagnostics::display_path(dir),
                    why,
                })?,
            )
        }
        _ => None,
    };
    let built = built_site(req, &output)?;
    match target {
        Target::Zip(file) => {
            let bytes =
                super::zip::write(&output, &built, &file, req.force).map_err(|e| match e {
                    super::zip::ZipError::NotOurs => Failure::ZipNotOurs(file.clone()),
                    super::zip::ZipError::Io(error) => Failure::Io {
                        path: file.clone(),
                        error,
                    },
                })?;
            Ok(Outcome::Zip {
                path: file,
                files: built.files.len(),
                bytes,
            })
        }
        Target::Folder(_) => {
            let mut place = folder.ok_or(Failure::NoPlace)?;
            sync(req, &output, &built, &mut place, None)
        }
        Target::Ftp(address) => {
            let place_name = address.shown();
            let unreachable = |error| Failure::Unreachable {
                place: place_name.clone(),
                error,
            };
            let password = (req.password)(&address).map_err(unreachable)?;
            let mut ftp = Ftp::connect(address, password).map_err(unreachable)?;
            let result = sync(req, &output, &built, &mut ftp, None);
            // As the publish left it: a reconnect never drops TLS, but says so if it had none.
            let (tls, reconnects) = (Some(ftp.secured), ftp.reconnects);
            ftp.quit();
            result.map(|outcome| match outcome {
                Outcome::Published {
                    place, plan, done, ..
                } => Outcome::Published {
                    place,
                    plan,
                    done,
                    tls,
                    reconnects,
                },
                other => other,
            })
        }
    }
}

/// The config's `publish.to`.
fn configured(req: &Request) -> Result<Target, Failure> {
    let config = crate::config::Config::load(&req.root).map_err(Failure::Build)?;
    let to = config
        .publish
        .to
        .filter(|t| !t.trim().is_empty())
        .ok_or(Failure::NoPlace)?;
    let target = Target::parse(&to).map_err(Failure::BadAddress)?;
    // A relative folder in the config is the site's.
    Ok(match target {
        Target::Folder(dir) if dir.is_relative() => Target::Folder(req.root.join(dir)),
        other => other,
    })
}

/// Builds into the output folder as `cds build` does, and reads what it holds.
fn built_site(req: &Request, output: &std::path::Path) -> Result<Manifest, Failure> {
    let build_req = BuildRequest {
        root: req.root.clone(),
        base_url: None,
        drafts: false,
        now: None,
    };
    build(&build_req, &mut Disk::new(output.to_path_buf())).map_err(Failure::Build)?;
    super::read_built(output).map_err(|error| Failure::Io {
        path: output.to_path_buf(),
        error,
    })
}

fn sync(
    req: &Request,
    output: &std::path::Path,
    built: &Manifest,
    place: &mut dyn Place,
    tls: Option<bool>,
) -> Result<Outcome, Failure> {
    let name = place.name();
    let unreachable = |error| Failure::Unreachable {
        place: name.clone(),
        error,
    };
    let published = Manifest::read(place).map_err(unreachable)?;
    let present = place.present(&published, built).map_err(unreachable)?;
    let plan = super::plan(built, &published, &present, req.force);
    if !plan.foreign.is_empty() {
        return Err(Failure::Foreign {
            place: name,
            paths: plan.foreign,
        });
    }
    if req.dry_run {
        return Ok(Outcome::Planned { place: name, plan });
    }
    if plan.is_empty() {
        return Ok(Outcome::Published {
            place: name,
            plan,
            done: Done::default(),
            tls,
            reconnects: 0,
        });
    }
    let done =
        super::run(output, built, place, published, &plan).map_err(|stopped| Failure::Stopped {
            place: name.clone(),
            stopped,
        })?;
    Ok(Outcome::Published {
        place: name,
        plan,
        done,
        tls,
        reconnects: 0,
    })
}
