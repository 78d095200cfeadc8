//! `mdbook-trd install`: register the preprocessor in `book.toml`.
//!
//! Edited with toml_edit, so comments, order and formatting stay as they were; the file is
//! written only when something changes, so running it twice changes nothing.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::CommandError;

/// What `install` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The `[preprocessor.trd]` table was added.
    Added,
    /// It was there already; the file was not touched.
    AlreadyThere,
}

/// `text` with `[preprocessor.trd]` registered, or `None` when it already is.
pub fn register(text: &str) -> Result<Option<String>, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string().trim().replace('\n', " "))?;
    let preprocessors = doc.entry("preprocessor").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    let Some(preprocessors) = preprocessors.as_table_like_mut() else {
        return Err("`preprocessor` is not a table".into());
    };
    if preprocessors.contains_key("trd") {
        return Ok(None);
    }
    let mut trd = Table::new();
    let mut after = Array::new();
    after.push("links");
    trd.insert("after", value(after));
    preprocessors.insert("trd", Item::Table(trd));
    Ok(Some(doc.to_string()))
}

/// Registers the preprocessor in `root/book.toml`.
pub fn install(root: &Path) -> Result<Outcome, CommandError> {
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CommandError(format!(
            "{}: {e}; run `mdbook init` first, or give the book's folder",
            path.display()
        ))
    })?;
    match register(&text)
        .map_err(|e| CommandError(format!("{}: not valid TOML: {e}", path.display())))?
    {
        None => Ok(Outcome::AlreadyThere),
        Some(new) => {
            std::fs::write(&path, new)?;
            Ok(Outcome::Added)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_a_table_keeping_comments_and_order() {
        let before = "# My book\n[book]\ntitle = \"X\" # the title\n\n[output.html]\n";
        let after = register(before).unwrap().unwrap();
        assert_eq!(
            after,
            "# My book\n[book]\ntitle = \"X\" # the title\n\n[output.html]\n\n[preprocessor.trd]\nafter = [\"links\"]\n"
        );
        assert_eq!(register(&after).unwrap(), None);
    }

    #[test]
    fn keeps_an_existing_table_and_refuses_broken_toml() {
        let with = "[preprocessor.trd]\nstrict = true\n";
        assert_eq!(register(with).unwrap(), None);
        let other = "[preprocessor.links]\n";
        assert!(
            register(other)
                .unwrap()
                .unwrap()
                .contains("[preprocessor.trd]")
        );
        assert!(register("[book\n").is_err());
        assert!(register("preprocessor = 3\n").is_err());
    }
}
