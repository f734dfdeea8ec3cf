//! cds: the static site generator of the *Chuyển đổi số* section of xã Đại Hải.
//!
//! The pipeline flows one way: `config` and `content` load, `site` builds the pure graph,
//! `markdown` renders bodies, `render` applies the theme, `output` writes (to disk atomically,
//! or to memory for `serve`). `build` runs the whole chain; `main.rs` only parses arguments.

// A `Diagnostic` is ~160 bytes; it only travels on the cold error path, where boxing would
// buy nothing but noise at every `?`.
#![allow(clippy::result_large_err)]

pub mod attachments;
pub mod build;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod editor;
pub mod fast_hash;
pub mod free;
pub mod images;
pub mod markdown;
pub mod memo;
pub mod messages;
pub mod names;
pub mod new;
pub mod output;
pub mod protect;
pub mod publish;
pub mod rename;
pub mod render;
pub mod report;
pub mod search;
pub mod serve;
pub mod site;
#[cfg(test)]
mod testing;
pub mod text;
pub mod urls;
pub(crate) mod yaml;
