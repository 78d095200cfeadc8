//! Reading a book from disk without running mdBook, for the command line (`check`, `index`,
//! `new`): `book.toml` leniently, `SUMMARY.md` with mdBook's own parser, and every chapter file.
//!
//! Unlike mdBook's loader it never creates missing files, and it does not expand
//! `{{#include}}`: directives that only exist in included files are seen by the preprocessor,
//! not by `check`.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};
use mdbook_summary::{Link, Summary, SummaryItem, parse_summary};
use serde_json::Value;
use thiserror::Error;

/// A book read from disk.
#[derive(Debug, Clone)]
pub struct LoadedBook {
    /// The book's root folder (where `book.toml` is).
    pub root: PathBuf,
    /// The source folder, relative to the root.
    pub src: PathBuf,
    /// `book.toml`, as JSON (the shape mdBook sends preprocessors).
    pub config: Value,
    /// The chapters, as mdBook would hand them to a preprocessor.
    pub book: Book,
}

impl LoadedBook {
    /// The `[preprocessor.trd]` table, if any.
    pub fn trd_table(&self) -> Option<&Value> {
        self.config.pointer("/preprocessor/trd")
    }
}

/// Why a book could not be read.
#[derive(Debug, Error)]
pub enum LoadError {
    /// No `book.toml`.
    #[error("{0}: no book.toml here; give the book's folder (the one holding book.toml)")]
    NoBook(PathBuf),
    /// A file could not be read.
    #[error("{path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// `book.toml` is not valid TOML.
    #[error("{path}: not valid TOML: {message}")]
    Toml {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
    /// `SUMMARY.md` could not be parsed.
    #[error("{path}: {message}")]
    Summary {
        /// The file.
        path: PathBuf,
        /// The parser's message.
        message: String,
    },
}

fn read(path: &Path) -> Result<String, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|source| LoadError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Reads `book.toml` as JSON.
pub fn read_config(root: &Path) -> Result<Value, LoadError> {
    let path = root.join("book.toml");
    if !path.is_file() {
        return Err(LoadError::NoBook(root.to_path_buf()));
    }
    let text = read(&path)?;
    toml_edit::de::from_str::<Value>(&text).map_err(|e| LoadError::Toml {
        path,
        message: e.to_string().trim().replace('\n', " "),
    })
}

/// The source folder a config names (`[book] src`, default `src`).
pub fn src_of(config: &Value) -> PathBuf {
    config
        .pointer("/book/src")
        .and_then(Value::as_str)
        .map_or_else(|| PathBuf::from("src"), PathBuf::from)
}

/// Reads the book at `root`.
pub fn load(root: &Path) -> Result<LoadedBook, LoadError> {
    let config = read_config(root)?;
    let src = src_of(&config);
    let summary_path = root.join(&src).join("SUMMARY.md");
    let summary = parse_summary(&read(&summary_path)?).map_err(|e| LoadError::Summary {
        path: summary_path.clone(),
        message: format!("{e:#}").replace('\n', " "),
    })?;
    let book = book_from(&summary, &root.join(&src))?;
    Ok(LoadedBook {
        root: root.to_path_buf(),
        src,
        config,
        book,
    })
}

fn book_from(summary: &Summary, src: &Path) -> Result<Book, LoadError> {
    let mut items = Vec::new();
    for item in summary
        .prefix_chapters
        .iter()
        .chain(&summary.numbered_chapters)
        .chain(&summary.suffix_chapters)
    {
        items.extend(item_from(item, src, &[])?);
    }
    Ok(Book::new_with_items(items))
}

/// One SUMMARY item; `None` for a kind of item a later mdBook may add.
fn item_from(
    item: &SummaryItem,
    src: &Path,
    parents: &[String],
) -> Result<Option<BookItem>, LoadError> {
    Ok(match item {
        SummaryItem::Separator => Some(BookItem::Separator),
        SummaryItem::PartTitle(title) => Some(BookItem::PartTitle(title.clone())),
        SummaryItem::Link(link) => Some(BookItem::Chapter(chapter_from(link, src, parents)?)),
        _ => None,
    })
}

fn chapter_from(link: &Link, src: &Path, parents: &[String]) -> Result<Chapter, LoadError> {
    let mut chapter = match &link.location {
        Some(location) => {
            let content = read(&src.join(location))?;
            Chapter::new(&link.name, content, location, parents.to_vec())
        }
        None => Chapter::new_draft(&link.name, parents.to_vec()),
    };
    chapter.number = link.number.clone();
    let mut nested_parents = parents.to_vec();
    nested_parents.push(link.name.clone());
    for item in &link.nested_items {
        chapter
            .sub_items
            .extend(item_from(item, src, &nested_parents)?);
    }
    Ok(chapter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::for_each_chapter;

    #[test]
    fn reads_nested_chapters_parts_drafts_and_separators() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/books/nested");
        let loaded = load(&root).unwrap();
        assert_eq!(loaded.src, Path::new("src"));
        let mut names = Vec::new();
        for_each_chapter(&loaded.book.items, &mut |c| names.push(c.name.clone()));
        assert_eq!(
            names,
            ["Prefix", "Top", "Child", "Grandchild", "Other", "Suffix"]
        );
        assert!(matches!(loaded.book.items[1], BookItem::PartTitle(_)));
        assert!(loaded.trd_table().is_some());
    }

    #[test]
    fn errors_name_the_file() {
        let e = load(Path::new("/nonexistent/book")).unwrap_err();
        assert!(e.to_string().contains("no book.toml"), "{e}");
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(e.to_string().contains("book.toml: not valid TOML"), "{e}");
    }
}
