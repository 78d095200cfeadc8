//! `mdbook-trd`: an mdBook preprocessor for technical design documents.
//!
//! It expands `<<#trd TEMPLATE key="value" ...>>` directives into full design-document
//! skeletons, leaving every other byte of a chapter as written.
//!
//! The core is pure functions from text to text:
//!
//! - [`directive`] finds and parses directives with pulldown-cmark's offset iterator;
//! - [`template`] holds the built-in templates and their placeholder syntax;
//! - [`doc`] is the design-doc model (metadata fields), [`sections`] merges the author's
//!   sections into the skeleton, [`status`] is the status lifecycle;
//! - [`render`] fills a template with a doc's metadata, escaping every value;
//! - [`expand`] expands one chapter; [`book`] runs every chapter, all-or-nothing.
//!
//! The edges do the I/O: [`protocol`] speaks mdBook's stdin/stdout protocol (0.4 and 0.5),
//! [`config`] reads `book.toml` settings, [`loader`] reads a book from disk for the command
//! line, [`cli`] parses the command line and [`commands`] runs the subcommands.
//!
//! Every finding is a [`diagnostic::Diagnostic`] of a [`rule::Rule`], with a stable id;
//! [`suggest`] finds the name a typo was meant to be.

#![forbid(unsafe_code)]

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod edge;
pub mod markdown;
pub mod model;
pub mod render;
pub mod report;
