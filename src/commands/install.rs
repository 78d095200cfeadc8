//! `mdbook-trd install`: register the preprocessor in `book.toml`.
//!
//! Edited with toml_edit, so comments, order and formatting stay as they were; the file is
//! written only when something changes, so running it twice changes nothing.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, value};

use super::analysed::CommandError;

/// What `install` did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The `[preprocessor.trd]` table was added.
    Added,
    /// It was there already; the file was not touched.
    AlreadyThere,
}

/// `text` with `[preprocessor.trd]` registered, or `None` when it already is.
///
/// The table is appended to the text as it was, in the file's line endings, so every byte of
/// it stays (toml_edit writes every line ending as `\n`, which turned a CRLF `book.toml` into
/// an LF one). Only where appending cannot work, a `preprocessor` written as an inline table,
/// is the document edited with toml_edit, and then written in the file's line endings.
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
    let eol = line_ending(text);
    let mut appended = text.to_owned();
    if !appended.is_empty() && !appended.ends_with('\n') {
        appended.push_str(eol);
    }
    if !appended.trim().is_empty() {
        appended.push_str(eol);
    }
    appended.push_str(&format!("[preprocessor.trd]{eol}after = [\"links\"]{eol}"));
    if registers(&appended) {
        return Ok(Some(appended));
    }
    let mut trd = Table::new();
    let mut after = Array::new();
    after.push("links");
    trd.insert("after", value(after));
    preprocessors.insert("trd", Item::Table(trd));
    let edited = doc.to_string();
    Ok(Some(if eol == "\n" {
        edited
    } else {
        edited.replace("\r\n", "\n").replace('\n', eol)
    }))
}

/// The line ending most of `text`'s lines end with: `\r\n` or `\n` (also for a file of one
/// line).
fn line_ending(text: &str) -> &'static str {
    let crlf = text.matches("\r\n").count();
    if crlf > 0 && crlf >= text.matches('\n').count() - crlf {
        "\r\n"
    } else {
        "\n"
    }
}

/// True when `text` is TOML whose `preprocessor.trd.after` is `["links"]`: the appended table
/// took (it does not after `preprocessor = { ... }`, which cannot be added to).
fn registers(text: &str) -> bool {
    text.parse::<DocumentMut>().is_ok_and(|doc| {
        doc.get("preprocessor")
            .and_then(|p| p.get("trd"))
            .and_then(|t| t.get("after"))
            .and_then(Item::as_array)
            .is_some_and(|a| a.iter().map(|v| v.as_str()).eq([Some("links")]))
    })
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

    /// Review N6: a CRLF `book.toml` came back with LF line endings.
    #[test]
    fn keeps_every_byte_and_the_line_endings() {
        for (before, added) in [
            (
                "# My book\r\n[book]\r\ntitle = \"X\" # the title\r\n\r\n[output.html]\r\n",
                "\r\n[preprocessor.trd]\r\nafter = [\"links\"]\r\n",
            ),
            // No newline at the end: one is added, in the file's style.
            (
                "[book]\r\ntitle = \"X\"",
                "\r\n\r\n[preprocessor.trd]\r\nafter = [\"links\"]\r\n",
            ),
            (
                "[book]\ntitle = \"X\"\n\n[preprocessor.links]\n",
                "\n[preprocessor.trd]\nafter = [\"links\"]\n",
            ),
            ("", "[preprocessor.trd]\nafter = [\"links\"]\n"),
            // Tables defined by dotted keys can take a sub-table.
            (
                "preprocessor.links.command = \"x\"\r\n",
                "\r\n[preprocessor.trd]\r\nafter = [\"links\"]\r\n",
            ),
        ] {
            let after = register(before).unwrap().unwrap();
            assert_eq!(after, format!("{before}{added}"), "{before:?}");
            assert_eq!(register(&after).unwrap(), None);
        }
        // An inline `preprocessor` table cannot be added to: edited, in CRLF still.
        let inline = "preprocessor = { links = {} }\r\n[book]\r\ntitle = \"X\"\r\n";
        let after = register(inline).unwrap().unwrap();
        assert!(registers(&after), "{after:?}");
        assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
        assert!(after.ends_with("[book]\r\ntitle = \"X\"\r\n"), "{after:?}");
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
