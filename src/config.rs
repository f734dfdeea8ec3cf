//! `config.yaml`: the site's settings, validated before anything else is read.
//!
//! Defaults live in one `impl Default` per struct; unknown keys are errors with a hint, as in
//! front matter, so a typo never silently changes the site.

use std::path::Path;

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, IoAction, Kind};
use crate::yaml::{self, Extra, Schema, Source};

/// File name of the configuration, at the site root.
pub const CONFIG_FILE: &str = "config.yaml";

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Absolute URL of the section, possibly with a sub-path
    /// (`https://daihai.cantho.gov.vn/chuyen-doi-so/`).
    pub base_url: String,
    pub title: String,
    pub description: String,
    /// Always `vi` for this site; kept so templates can set `lang`.
    pub language: String,
    /// The allowed *lĩnh vực* of the `category` key, in display order.
    pub categories: Vec<String>,
    pub taxonomies: Taxonomies,
    /// Default number of pages per list page.
    pub paginate_by: usize,
    /// Folder name under `themes/`.
    pub theme: String,
    /// How many items a feed carries.
    pub feed_limit: usize,
    /// The publisher block shown in the footer (Nghị định 42/2022 conventions).
    pub organization: Organization,
    pub markdown: MarkdownConfig,
    /// What `cds new` fills in.
    pub defaults: Defaults,
    /// Limits of `cds check`.
    pub check: CheckConfig,
    /// How photos are published.
    pub images: ImagesConfig,
    pub publish: PublishConfig,
    pub extra: Extra,
}

/// How every image an editor uses is published (see `images`).
#[derive(Debug, Clone, Hash, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImagesConfig {
    /// The widths made of each image, in pixels; none wider than the image itself.
    pub widths: Vec<u32>,
    /// WebP and JPEG quality, 1 to 100.
    pub quality: u8,
    /// Larger images are refused before they are decoded (a "decompression bomb" takes
    /// gigabytes), in millions of pixels.
    pub max_megapixels: u32,
    /// How wide an image in an article is shown (the `sizes` attribute).
    pub sizes: String,
    /// Publish each original file as well, as it is (with its GPS position and camera data).
    pub publish_originals: bool,
}

impl Default for ImagesConfig {
    fn default() -> Self {
        ImagesConfig {
            widths: vec![480, 800, 1200],
            quality: 80,
            max_megapixels: 100,
            sizes: "(min-width: 48rem) 46rem, calc(100vw - 2rem)".into(),
            publish_originals: false,
        }
    }
}

impl ImagesConfig {
    pub fn max_pixels(&self) -> u64 {
        u64::from(self.max_megapixels) * 1_000_000
    }
}

/// Values `cds new` writes into a new file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Defaults {
    pub author: Option<String>,
    pub unit: Option<String>,
}

/// Where `cds publish` sends the site when no place is named on the command line, so that
/// editors publish with a double-click.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishConfig {
    /// A folder (`\\\\may-chu\\web\\chuyen-doi-so`, `/var/www/chuyen-doi-so`) or an address
    /// `ftp://user@host/path`, `ftps://…`. Never a password.
    pub to: Option<String>,
}

/// Limits `cds check` warns about: large files are slow on 3G.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CheckConfig {
    /// Largest original photo, in kilobytes (cds publishes smaller copies; a huge original
    /// only weighs on the site's folder).
    pub max_image_kb: u64,
    /// Largest attachment (PDF, Word…), in megabytes.
    pub max_attachment_mb: u64,
}

impl Default for CheckConfig {
    fn default() -> Self {
        CheckConfig {
            max_image_kb: 10 * 1024,
            max_attachment_mb: 10,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Taxonomies {
    pub tags: TaxonomyConfig,
    pub category: TaxonomyConfig,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaxonomyConfig {
    /// Heading shown to visitors ("Chủ đề", "Lĩnh vực").
    pub title: String,
    /// URL folder (`chu-de`, `linh-vuc`).
    pub path: String,
    /// Pages per term page; falls back to the site's `paginate_by`.
    pub paginate_by: Option<usize>,
}

/// Cơ quan chủ quản and the other lines of a state website's footer.
#[derive(Debug, Clone, Default, Hash, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Organization {
    /// Cơ quan chủ quản.
    pub governing_body: String,
    /// Đơn vị quản lý nội dung.
    pub content_manager: String,
    /// Người chịu trách nhiệm chính.
    pub responsible_person: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// The same names in English, for pages with `language: en` (NĐ 42/2022/NĐ-CP Điều 7
    /// asks for the organisation and its contacts in English).
    pub en: OrganizationEn,
}

/// The organisation's names in English; phone and email are the same in both languages.
#[derive(Debug, Clone, Default, Hash, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrganizationEn {
    /// The site's title in English.
    pub site_title: String,
    pub governing_body: String,
    pub content_manager: String,
    pub responsible_person: String,
    pub address: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MarkdownConfig {
    /// Pass raw HTML through. Off by default: editors paste from Word and web pages, and a
    /// stray `<script>` must never reach visitors. `javascript:` URLs are removed either way.
    pub unsafe_html: bool,
    /// “Curly quotes”, – dashes and … ellipses.
    pub smart_punctuation: bool,
}

static TAXONOMY_SCHEMA: Schema = Schema {
    keys: &["title", "path", "paginate_by"],
    nested: &[],
};
static TAXONOMIES_SCHEMA: Schema = Schema {
    keys: &["tags", "category"],
    nested: &[("tags", &TAXONOMY_SCHEMA), ("category", &TAXONOMY_SCHEMA)],
};
static ORGANIZATION_SCHEMA: Schema = Schema {
    keys: &[
        "governing_body",
        "content_manager",
        "responsible_person",
        "address",
        "phone",
        "email",
        "en",
    ],
    nested: &[("en", &ORGANIZATION_EN_SCHEMA)],
};
static ORGANIZATION_EN_SCHEMA: Schema = Schema {
    keys: &[
        "site_title",
        "governing_body",
        "content_manager",
        "responsible_person",
        "address",
    ],
    nested: &[],
};
static MARKDOWN_SCHEMA: Schema = Schema {
    keys: &["unsafe_html", "smart_punctuation"],
    nested: &[],
};
static DEFAULTS_SCHEMA: Schema = Schema {
    keys: &["author", "unit"],
    nested: &[],
};
static PUBLISH_SCHEMA: Schema = Schema {
    keys: &["to"],
    nested: &[],
};
static CHECK_SCHEMA: Schema = Schema {
    keys: &["max_image_kb", "max_attachment_mb"],
    nested: &[],
};
static IMAGES_SCHEMA: Schema = Schema {
    keys: &[
        "widths",
        "quality",
        "max_megapixels",
        "sizes",
        "publish_originals",
    ],
    nested: &[],
};
static CONFIG_SCHEMA: Schema = Schema {
    keys: &[
        "base_url",
        "title",
        "description",
        "language",
        "categories",
        "taxonomies",
        "paginate_by",
        "theme",
        "feed_limit",
        "organization",
        "markdown",
        "defaults",
        "check",
        "images",
        "publish",
        "extra",
    ],
    nested: &[
        ("taxonomies", &TAXONOMIES_SCHEMA),
        ("organization", &ORGANIZATION_SCHEMA),
        ("markdown", &MARKDOWN_SCHEMA),
        ("defaults", &DEFAULTS_SCHEMA),
        ("check", &CHECK_SCHEMA),
        ("images", &IMAGES_SCHEMA),
        ("publish", &PUBLISH_SCHEMA),
    ],
};

impl crate::yaml::WithExtra for Config {
    fn extra(&self) -> &Extra {
        &self.extra
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: "http://127.0.0.1:1111/".into(),
            title: "Chuyển đổi số".into(),
            description: String::new(),
            language: "vi".into(),
            categories: Vec::new(),
            taxonomies: Taxonomies::default(),
            paginate_by: 10,
            theme: "daihai".into(),
            feed_limit: 20,
            organization: Organization::default(),
            markdown: MarkdownConfig::default(),
            defaults: Defaults::default(),
            check: CheckConfig::default(),
            images: ImagesConfig::default(),
            publish: PublishConfig::default(),
            extra: Extra::Null,
        }
    }
}

impl Default for Taxonomies {
    fn default() -> Self {
        Taxonomies {
            tags: TaxonomyConfig {
                title: "Chủ đề".into(),
                path: "chu-de".into(),
                paginate_by: None,
            },
            category: TaxonomyConfig {
                title: "Lĩnh vực".into(),
                path: "linh-vuc".into(),
                paginate_by: None,
            },
        }
    }
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            unsafe_html: false,
            smart_punctuation: true,
        }
    }
}

impl Config {
    /// Parses and validates the text of `config.yaml`. Pure: `load` does the reading.
    pub fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        let text =
            crate::text::nfc(text.strip_prefix('\u{feff}').unwrap_or(text)).replace("\r\n", "\n");
        let path = Path::new(CONFIG_FILE);
        let src = Source {
            path,
            file_text: &text,
            first_line: 1,
        };
        let config: Config = yaml::parse(&text, &CONFIG_SCHEMA, &src)?;
        let mut diags = Vec::new();
        let mut fail = |key: &str, detail: String| {
            let (line, col) = yaml::find_key(&text, &[], key).unwrap_or((0, 0));
            diags.push(Diagnostic::at(
                path,
                &text,
                line,
                col,
                Kind::Config { detail },
            ));
        };
        if let Err(detail) = config.check_base_url() {
            fail("base_url", detail);
        }
        if config.paginate_by == 0 {
            fail("paginate_by", "`paginate_by` phải lớn hơn 0".into());
        }
        let images = &config.images;
        if images.widths.is_empty() || images.widths.iter().any(|&w| !(16..=8192).contains(&w)) {
            fail(
                "widths",
                "`images.widths` cần ít nhất một chiều rộng, từ 16 đến 8192 điểm ảnh".into(),
            );
        }
        if !(1..=100).contains(&images.quality) {
            fail("quality", "`images.quality` phải từ 1 đến 100".into());
        }
        if images.max_megapixels == 0 {
            fail(
                "max_megapixels",
                "`images.max_megapixels` phải lớn hơn 0".into(),
            );
        }
        // A folder of `themes/`, not a path: templates from elsewhere on the machine would be
        // published.
        let theme_ok = !config.theme.is_empty()
            && config.theme != "."
            && config.theme != ".."
            && !config.theme.contains(['/', '\\', ':']);
        if !theme_ok {
            fail(
                "theme",
                format!(
                    "`theme` là tên một thư mục trong `themes/` (ví dụ `daihai`), không phải đường dẫn `{}`",
                    config.theme
                ),
            );
        }
        if config.language != "vi" {
            fail("language", "`language` chỉ hỗ trợ `vi`".into());
        }
        for tax in [&config.taxonomies.tags, &config.taxonomies.category] {
            if crate::text::slugify(&tax.path) != tax.path || tax.path.is_empty() {
                fail(
                    "taxonomies",
                    format!(
                        "đường dẫn `{}` chỉ được gồm chữ thường không dấu, số và `-`",
                        tax.path
                    ),
                );
            }
        }
        if diags.is_empty() {
            Ok(config)
        } else {
            Err(diags)
        }
    }

    /// `base_url` must be an absolute http(s) URL with a host: feeds, sitemap and share
    /// previews need absolute links.
    pub fn check_base_url(&self) -> Result<(), String> {
        let rest = self
            .base_url
            .strip_prefix("https://")
            .or_else(|| self.base_url.strip_prefix("http://"));
        let host = rest.map(|r| r.split('/').next().unwrap_or(""));
        if host.is_some_and(|h| !h.is_empty() && !h.contains(char::is_whitespace)) {
            return Ok(());
        }
        Err(format!(
            "`base_url` phải là địa chỉ đầy đủ như `https://daihai.cantho.gov.vn/chuyen-doi-so/`, không phải `{}`",
            self.base_url
        ))
    }

    /// Reads `config.yaml` from the site root.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(&Config::read(root)?)
    }

    /// The text of `config.yaml`: a regular file (a named pipe would never end), UTF-8.
    pub fn read(root: &Path) -> Result<String, Vec<Diagnostic>> {
        let path = root.join(CONFIG_FILE);
        let io = |e: std::io::Error| {
            let kind = Kind::Io {
                action: IoAction::Read,
                detail: crate::diagnostics::io_reason(&e),
            };
            vec![Diagnostic::file(CONFIG_FILE, kind)]
        };
        crate::text::regular_file(&path).map_err(io)?;
        let bytes = std::fs::read(&path).map_err(io)?;
        String::from_utf8(bytes).map_err(|e| {
            vec![crate::content::not_utf8(
                Path::new(CONFIG_FILE),
                e.as_bytes(),
            )]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config_with_defaults_for_the_rest() {
        let c = Config::parse(
            "base_url: https://daihai.cantho.gov.vn/chuyen-doi-so/\ntitle: Chuyển đổi số\ncategories: [Chính quyền số, Kinh tế số]\norganization:\n  governing_body: UBND xã Đại Hải\nmarkdown:\n  unsafe_html: true\n",
        )
        .unwrap();
        assert_eq!(c.categories, ["Chính quyền số", "Kinh tế số"]);
        assert_eq!(c.organization.governing_body, "UBND xã Đại Hải");
        assert!(c.markdown.unsafe_html);
        assert!(c.markdown.smart_punctuation);
        assert_eq!(c.paginate_by, 10);
        assert_eq!(c.taxonomies.tags.path, "chu-de");
    }

    #[test]
    fn unsafe_html_is_off_by_default() {
        assert!(!Config::parse("title: x\n").unwrap().markdown.unsafe_html);
    }

    #[test]
    fn errors_on_unknown_keys_and_bad_values() {
        let errs = Config::parse("titel: x\nbase_url: ftp://x\n").unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].line, 1);
        assert_eq!(
            errs[0].kind.hint().unwrap(),
            "có phải bạn muốn viết `title`?"
        );
        let errs = Config::parse("base_url: ftp://x\npaginate_by: 0\n").unwrap_err();
        assert_eq!(errs.iter().map(|d| d.line).collect::<Vec<_>>(), [1, 2]);
    }
}
