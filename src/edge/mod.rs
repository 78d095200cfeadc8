//! The edges that talk to the outside: mdBook's stdin/stdout protocol, a book read from disk,
//! `book.toml`, where mdBook runs mdbook-trd among the book's preprocessors (`chain`) and the
//! book's templates folder. Everything below is pure; this layer reads, writes and calls the
//! analysis.

pub mod book_toml;
pub mod chain;
pub mod loader;
pub mod protocol;
pub mod setup;
pub mod template_folder;
