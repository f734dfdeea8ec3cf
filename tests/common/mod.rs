//! Helpers for integration tests: a fixture site written into a temp dir (with the repository's
//! default theme), built through the library, with the output read back.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use cds::build::{BuildReport, BuildRequest, build};
use cds::diagnostics::Diagnostic;
use cds::output::Disk;
use chrono::{DateTime, FixedOffset};

/// The moment tests build at: Thursday 26/11/2026 09:00, Vietnam time.
pub fn now() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-26T09:00:00+07:00").expect("valid date")
}

pub const CONFIG: &str = "base_url: https://daihai.cantho.gov.vn/chuyen-doi-so/\ntitle: Chuyển đổi số xã Đại Hải\ndescription: Chuyên mục thử\npaginate_by: 2\ncategories: [Chính quyền số, Kinh tế số, Xã hội số]\n";

/// A site being assembled in a temp dir.
pub struct Fixture {
    pub tmp: tempfile::TempDir,
}

impl Fixture {
    /// An empty site with `config.yaml` and the default theme.
    pub fn new(config: &str) -> Fixture {
        let tmp = tempfile::tempdir().expect("temp dir");
        copy_dir(&repo().join("themes"), &tmp.path().join("themes"));
        fs::write(tmp.path().join("config.yaml"), config).expect("write config");
        fs::create_dir_all(tmp.path().join("content")).expect("content dir");
        Fixture { tmp }
    }

    /// Copies a fixture folder from `tests/fixtures/<name>`.
    pub fn from_dir(name: &str) -> Fixture {
        let f = Fixture::new("");
        copy_dir(&repo().join("tests/fixtures").join(name), f.root());
        f
    }

    pub fn root(&self) -> &Path {
        self.tmp.path()
    }

    pub fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// Writes a file relative to the site root, creating folders.
    pub fn file(&self, rel: &str, text: &str) -> &Self {
        self.bytes(rel, text.as_bytes())
    }

    /// The three sections of the real site: news, stories (`kind: story`), documents.
    pub fn three_sections(&self) -> &Self {
        self.file("content/tin-tuc/_index.md", "---\ntitle: Tin tức\n---\n")
            .file(
                "content/cau-chuyen/_index.md",
                "---\ntitle: Câu chuyện\nkind: story\n---\n",
            )
            .file(
                "content/van-ban/_index.md",
                "---\ntitle: Văn bản\nkind: document\n---\n",
            )
    }

    pub fn bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let path = self.root().join(rel);
        fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        fs::write(path, bytes).expect("write");
        self
    }

    pub fn build(&self) -> Result<BuildReport, Vec<Diagnostic>> {
        self.build_with(false, None)
    }

    pub fn build_with(
        &self,
        drafts: bool,
        base_url: Option<&str>,
    ) -> Result<BuildReport, Vec<Diagnostic>> {
        let req = BuildRequest {
            root: self.root().to_path_buf(),
            base_url: base_url.map(str::to_owned),
            drafts,
            now: Some(now()),
        };
        build(&req, &mut Disk::new(self.public()))
    }

    /// Builds and panics with the rendered diagnostics if the build fails.
    pub fn build_ok(&self) -> BuildReport {
        match self.build() {
            Ok(r) => r,
            Err(d) => panic!(
                "build failed:\n{}",
                d.iter().map(|d| d.render()).collect::<String>()
            ),
        }
    }

    /// Builds, expecting the build to fail (`why`), and returns every diagnostic as the CLI
    /// prints it.
    pub fn build_err(&self, why: &str) -> String {
        let diags = self.build().expect_err(why);
        diags.iter().map(|d| d.render()).collect()
    }

    /// Reads an output file as text.
    pub fn read(&self, rel: &str) -> String {
        let path = self.public().join(rel);
        fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.public().join(rel).exists()
    }
}

/// Every file under `dir` with its bytes: two equal snapshots mean an untouched tree.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("inside").to_path_buf(),
                fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A copy of the repository's own sample site (content and config; the theme comes from the
/// repository), not yet built.
pub fn sample_site() -> Fixture {
    let f = Fixture::new("");
    copy_dir(&repo().join("content"), &f.root().join("content"));
    std::fs::copy(repo().join("config.yaml"), f.root().join("config.yaml")).expect("config");
    f
}

pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = e.path().strip_prefix(from).expect("inside");
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(e.path(), &dest).expect("copy");
        }
    }
}

/// Every `href`/`src` attribute value of an HTML text.
pub fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].to_owned());
            }
        }
    }
    out
}

/// A real PNG of `width` × `height` with a little detail (a screenshot in a test).
#[allow(dead_code)]
pub fn png(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Png)
}

/// A real JPEG of `width` × `height`, without metadata (a photo in a test).
#[allow(dead_code)]
pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(width, height, image::ImageFormat::Jpeg)
}

fn encoded(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([
            (x * 7 % 256) as u8,
            (y * 5 % 256) as u8,
            ((x + y) % 256) as u8,
        ])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut out, format)
        .expect("an image encodes");
    out.into_inner()
}

/// A JPEG from a phone: `jpeg(width, height)` with an EXIF block giving `orientation` and a
/// GPS position.
#[allow(dead_code)]
pub fn phone_photo(width: u32, height: u32, orientation: u16) -> Vec<u8> {
    let plain = jpeg(width, height);
    // IFD0 with two entries: Orientation (SHORT) and the GPS block's offset (LONG).
    let mut tiff = b"MM\0*\0\0\0\x08\0\x02".to_vec();
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    tiff.extend(orientation.to_be_bytes());
    tiff.extend([0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend([0; 4]);
    // The GPS block: latitude reference "N".
    tiff.extend([
        0, 1, 0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    let mut out = plain[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend(((tiff.len() + 8) as u16).to_be_bytes());
    out.extend(b"Exif\0\0");
    out.extend(&tiff);
    out.extend(&plain[2..]);
    out
}
