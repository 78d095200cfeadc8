//! `mdbook-trd install`: register the preprocessor in `book.toml`, and keep it ahead of the
//! preprocessors that read what it writes (`edge::chain`).
//!
//! Edited with toml_edit, so comments, order and formatting stay as they were; the file is
//! written only when something changes, so running it twice changes nothing.

use std::path::Path;

use serde_json::Value;
use toml_edit::{Array, DocumentMut, Item, Table, value};

use crate::edge::book_toml::trd_entry;
use crate::edge::chain::{MUST_RUN_AFTER, mdbook_order, running_too_early, with_before};

use super::analysed::CommandError;

/// What `install` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The `[preprocessor.trd]` table was added, with `before` naming the preprocessors of the
    /// book that must run after it (none: no `before` line).
    Added {
        /// The names written in `before`.
        before: Vec<String>,
    },
    /// The table was there, but mdBook ran preprocessors that must come after it first: they
    /// were added to its `before` list, the rest of the file kept.
    Ordered {
        /// The `NAME` of the `[preprocessor.NAME]` that runs mdbook-trd.
        table: String,
        /// The names added to its `before`.
        added: Vec<String>,
    },
    /// It was there, in order; the file was not touched.
    AlreadyThere,
}

/// `text` with `[preprocessor.trd]` registered ahead of the preprocessors that must run after
/// it, and what changed; `None` when nothing needs to. The error says what is wrong with the
/// file.
///
/// A new table is appended to the text as it was, in the file's line endings, so every byte of
/// it stays (toml_edit writes every line ending as `\n`, which turned a CRLF `book.toml` into
/// an LF one). Only where appending cannot work, a `preprocessor` written as an inline table,
/// is the document edited with toml_edit, and then written in the file's line endings, as is
/// an existing table whose `before` list needs more names.
pub fn register(text: &str) -> Result<Option<(String, Outcome)>, String> {
    let one_line = |e: &dyn std::fmt::Display| e.to_string().trim().replace('\n', " ");
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| format!("not valid TOML: {}", one_line(&e)))?;
    let config: Value =
        toml_edit::de::from_str(text).map_err(|e| format!("not valid TOML: {}", one_line(&e)))?;
    let preprocessors = doc.entry("preprocessor").or_insert_with(|| {
        let mut t = Table::new();
        t.set_implicit(true);
        Item::Table(t)
    });
    if preprocessors.as_table_like_mut().is_none() {
        return Err("not valid TOML: `preprocessor` is not a table".into());
    }
    let eol = line_ending(text);
    match trd_entry(&config) {
        Some((table, _)) => {
            let table = table.to_owned();
            put_in_order(doc, table, &config, eol)
        }
        None => add_table(text, doc, &config, eol).map(Some),
    }
}

/// Appends `[preprocessor.trd]` to `text`: after `links`, before every preprocessor of
/// [`MUST_RUN_AFTER`] the book has.
fn add_table(
    text: &str,
    mut doc: DocumentMut,
    config: &Value,
    eol: &str,
) -> Result<(String, Outcome), String> {
    let before: Vec<&str> = MUST_RUN_AFTER
        .iter()
        .map(|k| k.name)
        .filter(|name| config.pointer(&format!("/preprocessor/{name}")).is_some())
        .collect();
    let mut planned = config.clone();
    planned["preprocessor"]["trd"] = serde_json::json!({"after": ["links"]});
    no_cycle(&planned, "trd", &before)?;
    let outcome = Outcome::Added {
        before: before.iter().map(|n| (*n).to_owned()).collect(),
    };
    let mut appended = text.to_owned();
    if !appended.is_empty() && !appended.ends_with('\n') {
        appended.push_str(eol);
    }
    if !appended.trim().is_empty() {
        appended.push_str(eol);
    }
    appended.push_str(&format!("[preprocessor.trd]{eol}after = [\"links\"]{eol}"));
    if !before.is_empty() {
        let list: Vec<String> = before.iter().map(|n| format!("\"{n}\"")).collect();
        appended.push_str(&format!("before = [{}]{eol}", list.join(", ")));
    }
    if registers(&appended, &before) {
        return Ok((appended, outcome));
    }
    let mut trd = Table::new();
    trd.insert("after", value(Array::from_iter(["links"])));
    if !before.is_empty() {
        trd.insert("before", value(Array::from_iter(before.iter().copied())));
    }
    if let Some(preprocessors) = doc
        .get_mut("preprocessor")
        .and_then(Item::as_table_like_mut)
    {
        preprocessors.insert("trd", Item::Table(trd));
    }
    Ok((in_line_endings(&doc, eol), outcome))
}

/// Adds to the `before` list of the existing `[preprocessor.TABLE]` the preprocessors that
/// mdBook runs too early; `None` when there are none.
fn put_in_order(
    mut doc: DocumentMut,
    table: String,
    config: &Value,
    eol: &str,
) -> Result<Option<(String, Outcome)>, String> {
    let late: Vec<&str> = running_too_early(config).iter().map(|k| k.name).collect();
    if late.is_empty() {
        return Ok(None);
    }
    no_cycle(config, &table, &late)?;
    let trd = doc
        .get_mut("preprocessor")
        .and_then(Item::as_table_like_mut)
        .and_then(|p| p.get_mut(&table))
        .and_then(Item::as_table_like_mut)
        .ok_or_else(|| format!("[preprocessor.{table}] is not a table"))?;
    match trd.get_mut("before") {
        Some(item) => {
            let list = item
                .as_array_mut()
                .ok_or_else(|| format!("`before` in [preprocessor.{table}] is not a list"))?;
            late.iter().for_each(|name| list.push(*name));
        }
        None => {
            trd.insert("before", value(Array::from_iter(late.iter().copied())));
        }
    }
    let added = late.iter().map(|n| (*n).to_owned()).collect();
    Ok(Some((
        in_line_endings(&doc, eol),
        Outcome::Ordered { table, added },
    )))
}

/// An error when a name of `names` would make a cycle as a `before` of `[preprocessor.TRD]`
/// in `config`: the book's own `before`/`after` lists put it ahead of mdbook-trd, and mdBook
/// stops at a cycle. (Nothing is checked when the book has a cycle already: mdBook says so.)
fn no_cycle(config: &Value, trd: &str, names: &[&str]) -> Result<(), String> {
    if mdbook_order(config).is_none() {
        return Ok(());
    }
    let stuck: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| mdbook_order(&with_before(config, &[name])).is_none())
        .collect();
    match stuck.as_slice() {
        [] => Ok(()),
        names => {
            let tables: Vec<String> = names
                .iter()
                .map(|n| format!("[preprocessor.{n}]"))
                .collect();
            Err(format!(
                "{} must run after mdbook-trd, but the `before`/`after` lists of book.toml put \
                 it ahead of [preprocessor.{trd}], and adding it to `before` would make a cycle; \
                 remove those entries, then run mdbook-trd install again",
                tables.join(" and ")
            ))
        }
    }
}

/// The document as text, in the file's line endings.
fn in_line_endings(doc: &DocumentMut, eol: &str) -> String {
    let edited = doc.to_string();
    if eol == "\n" {
        edited
    } else {
        edited.replace("\r\n", "\n").replace('\n', eol)
    }
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

/// True when `text` is TOML whose `preprocessor.trd` has `after = ["links"]` and `before` as
/// given: the appended table took (it does not after `preprocessor = { ... }`, which cannot be
/// added to).
fn registers(text: &str, before: &[&str]) -> bool {
    let list = |doc: &DocumentMut, key: &str| {
        doc.get("preprocessor")
            .and_then(|p| p.get("trd"))
            .and_then(|t| t.get(key))
            .and_then(Item::as_array)
            .map(|a| {
                a.iter()
                    .map(|v| v.as_str().map(str::to_owned))
                    .collect::<Vec<_>>()
            })
    };
    text.parse::<DocumentMut>().is_ok_and(|doc| {
        let before_ok = match list(&doc, "before") {
            None => before.is_empty(),
            Some(found) => found
                .iter()
                .map(Option::as_deref)
                .eq(before.iter().map(|n| Some(*n))),
        };
        list(&doc, "after").is_some_and(|a| a == [Some("links".to_owned())]) && before_ok
    })
}

/// Registers the preprocessor in `root/book.toml`, or puts it back in order.
pub fn install(root: &Path) -> Result<Outcome, CommandError> {
    let path = root.join("book.toml");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CommandError(format!(
            "{}: {e}; run `mdbook init` first, or give the book's folder",
            path.display()
        ))
    })?;
    match register(&text).map_err(|e| CommandError(format!("{}: {e}", path.display())))? {
        None => Ok(Outcome::AlreadyThere),
        Some((new, outcome)) => {
            std::fs::write(&path, new)
                .map_err(|e| CommandError(format!("{}: cannot write it: {e}", path.display())))?;
            Ok(outcome)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text [`register`] writes, when it writes.
    fn written(text: &str) -> String {
        register(text).unwrap().unwrap().0
    }

    #[test]
    fn adds_a_table_keeping_comments_and_order() {
        let before = "# My book\n[book]\ntitle = \"X\" # the title\n\n[output.html]\n";
        let (after, outcome) = register(before).unwrap().unwrap();
        assert_eq!(
            after,
            "# My book\n[book]\ntitle = \"X\" # the title\n\n[output.html]\n\n[preprocessor.trd]\nafter = [\"links\"]\n"
        );
        assert_eq!(outcome, Outcome::Added { before: vec![] });
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
            let after = written(before);
            assert_eq!(after, format!("{before}{added}"), "{before:?}");
            assert_eq!(register(&after).unwrap(), None);
        }
        // An inline `preprocessor` table cannot be added to: edited, in CRLF still.
        let inline = "preprocessor = { links = {} }\r\n[book]\r\ntitle = \"X\"\r\n";
        let after = written(inline);
        assert!(registers(&after, &[]), "{after:?}");
        assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
        assert!(after.ends_with("[book]\r\ntitle = \"X\"\r\n"), "{after:?}");
    }

    #[test]
    fn keeps_an_existing_table_and_refuses_broken_toml() {
        let with = "[preprocessor.trd]\nstrict = true\n";
        assert_eq!(register(with).unwrap(), None);
        // Registered under another name: not registered twice.
        let other_name = "[preprocessor.design]\ncommand = \"mdbook-trd\"\n";
        assert_eq!(register(other_name).unwrap(), None);
        assert!(written("[preprocessor.links]\n").contains("[preprocessor.trd]"));
        assert!(
            register("[book\n")
                .unwrap_err()
                .starts_with("not valid TOML: ")
        );
        assert_eq!(
            register("preprocessor = 3\n").unwrap_err(),
            "not valid TOML: `preprocessor` is not a table"
        );
    }

    #[test]
    fn a_new_table_runs_before_the_preprocessors_the_book_has() {
        let book = "[book]\ntitle = \"X\"\n\n[preprocessor.mermaid]\ncommand = \"mdbook-mermaid\"\n\n[preprocessor.pagetoc]\n\n[preprocessor.toc]\n";
        let (after, outcome) = register(book).unwrap().unwrap();
        // Only names the book has: mdBook warns on every build about the others.
        assert_eq!(
            after,
            format!(
                "{book}\n[preprocessor.trd]\nafter = [\"links\"]\nbefore = [\"mermaid\", \"toc\"]\n"
            )
        );
        assert_eq!(
            outcome,
            Outcome::Added {
                before: vec!["mermaid".into(), "toc".into()]
            }
        );
        assert_eq!(register(&after).unwrap(), None);
        // The inline table is edited instead, with the same lists.
        let inline = "preprocessor = { mermaid = {} }\r\n";
        let after = written(inline);
        assert!(registers(&after, &["mermaid"]), "{after:?}");
        assert!(!after.replace("\r\n", "").contains('\n'), "{after:?}");
    }

    /// trd installed first, then `mdbook-mermaid install`: mdBook now runs mermaid first.
    #[test]
    fn an_existing_table_gets_the_names_it_lacks_and_every_other_byte_stays() {
        let book = "# handbook\r\n[book]\r\ntitle = \"X\"  # ours\r\n\r\n[preprocessor.trd]\r\nafter = [\"links\"]   # includes first\r\nstrict = true\r\n\r\n[preprocessor.mermaid]\r\ncommand = \"mdbook-mermaid\"\r\n";
        let (after, outcome) = register(book).unwrap().unwrap();
        assert_eq!(
            after,
            book.replace(
                "strict = true\r\n",
                "strict = true\r\nbefore = [\"mermaid\"]\r\n"
            )
        );
        assert_eq!(
            outcome,
            Outcome::Ordered {
                table: "trd".into(),
                added: vec!["mermaid".into()]
            }
        );
        assert_eq!(register(&after).unwrap(), None);
        // A `before` list already there grows; a name already late enough is not added.
        // ("d2" and "admonish" sort before "design", "mermaid" after it.)
        let book = "[preprocessor.design]\ncommand = \"mdbook-trd\"\nbefore = [\"toc\"]  # c\n\n[preprocessor.toc]\n[preprocessor.d2]\n[preprocessor.admonish]\n[preprocessor.mermaid]\n";
        let (after, outcome) = register(book).unwrap().unwrap();
        assert_eq!(
            after,
            book.replace(
                "before = [\"toc\"]",
                "before = [\"toc\", \"admonish\", \"d2\"]"
            )
        );
        assert_eq!(
            outcome,
            Outcome::Ordered {
                table: "design".into(),
                added: vec!["admonish".into(), "d2".into()]
            }
        );
        assert_eq!(register(&after).unwrap(), None);
    }

    #[test]
    fn a_name_that_would_make_a_cycle_is_an_error_and_nothing_is_written() {
        let book = "[preprocessor.trd]\n[preprocessor.mermaid]\nbefore = [\"trd\"]\n";
        assert_eq!(
            register(book).unwrap_err(),
            "[preprocessor.mermaid] must run after mdbook-trd, but the `before`/`after` lists of \
             book.toml put it ahead of [preprocessor.trd], and adding it to `before` would make a \
             cycle; remove those entries, then run mdbook-trd install again"
        );
        let new = "[preprocessor.mermaid]\nbefore = [\"trd\"]\n";
        assert!(
            register(new)
                .unwrap_err()
                .starts_with("[preprocessor.mermaid] must run after")
        );
        // A cycle the book has already is mdBook's to report.
        let cycle = "[preprocessor.trd]\nbefore = [\"mermaid\"]\n[preprocessor.mermaid]\nbefore = [\"trd\"]\n";
        assert_eq!(register(cycle).unwrap(), None);
    }
}
