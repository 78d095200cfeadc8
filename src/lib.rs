//! `mdbook-trd`: an mdBook preprocessor for technical design documents.
//!
//! It expands `<<#trd TEMPLATE key="value" ...>>` directives into full design-document
//! skeletons, leaving every other byte of a chapter as written.
//!
//! The crate is in layers, lowest first; a module uses its own layer or lower ones only:
//!
//! - [`report`] (findings, rule ids, did-you-mean) and [`markdown`] (the flavour, escaped
//!   values, links): the foundation;
//! - [`model`]: the pure core: directives, the design-doc model, sections and merging,
//!   statuses, sign-offs, templates;
//! - [`render`]: the output: a design doc's page, badges, the index;
//! - [`analysis`]: the whole book: each chapter analysed, the checks across docs, each chapter
//!   written;
//! - [`edge`]: the outside world: mdBook's protocol, `book.toml`, a book and its templates on
//!   disk;
//! - [`commands`] and [`cli`]: the command line.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod edge;
pub mod markdown;
pub mod model;
pub mod render;
pub mod report;
