//! Reading a book from disk without running mdBook, for the command line (`check`, `index`,
//! `new`): `book.toml` leniently, `SUMMARY.md` with mdBook's own parser, and every chapter file.
//!
//! It reads `book.toml` as mdBook does, with mdBook's `MDBOOK_*` environment overrides applied
//! (`MDBOOK_PREPROCESSOR__TRD__STRICT=true`, `MDBOOK_BOOK__SRC=docs`, ...). A chapter file that
//! does not exist yet is read as the `# Name` heading mdBook writes into it when it creates it
//! (`build.create-missing`, on by default), and is listed in [`LoadedBook::missing`]; with
//! `create-missing = false` it is an error, as it is for mdBook. Unlike mdBook it never writes
//! a file, and it does not expand `{{#include}}`: directives that only exist in included files
//! are seen by the preprocessor, not by `check`.

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
    /// Chapter files SUMMARY.md names that do not exist yet (relative to the root), in
    /// SUMMARY order: mdBook creates them on the next build.
    pub missing: Vec<PathBuf>,
}

impl LoadedBook {
    /// The `[preprocessor.trd]` table, if any (see [`crate::edge::book_toml::trd_table`]).
    pub fn trd_table(&self) -> Option<&Value> {
        crate::edge::book_toml::trd_table(&self.config)
    }
}

/// Why a book could not be read.
#[derive(Debug, Error)]
pub enum LoadError {
    /// The book's folder does not exist (a typo in the path is the likely cause, so the
    /// message says that, not that `book.toml` is missing).
    #[error("{0}: no such folder; give the book's folder (the one holding book.toml)")]
    NoFolder(PathBuf),
    /// The book's folder is a file; `hint` names the folder when the file is a `book.toml`.
    #[error("{path}: not a folder; give the book's folder (the one holding book.toml){hint}")]
    NotFolder {
        /// What was given.
        path: PathBuf,
        /// `, e.g. `docs`` when `path` is `docs/book.toml`, else nothing.
        hint: String,
    },
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
    /// A chapter file is missing and the book turns `create-missing` off.
    #[error(
        "{path}: no such chapter file, and {setter} `create-missing = false` under [build], so \
         mdbook build fails on it too; create the file or fix its link in SUMMARY.md{unset}",
        setter = match variable {
            Some(v) => format!("the environment variable {v} (which overrides book.toml) sets"),
            None => "book.toml sets".to_owned(),
        },
        unset = match variable {
            Some(v) => format!(", or unset {v}"),
            None => String::new(),
        },
    )]
    Missing {
        /// The file.
        path: PathBuf,
        /// The `MDBOOK_*` variable that turned it off, when it was not `book.toml`.
        variable: Option<String>,
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

/// That the book's folder `root` exists and is a folder, so that a mistyped path is reported
/// as one rather than as a folder without `book.toml`.
pub fn check_folder(root: &Path) -> Result<(), LoadError> {
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => Ok(()),
        Ok(_) => {
            // `check docs/book.toml` means the folder holding it: say which that is.
            let parent = root
                .parent()
                .filter(|_| root.file_name() == Some("book.toml".as_ref()));
            let hint = match parent {
                Some(p) if p.as_os_str().is_empty() => ", e.g. `.`".to_owned(),
                Some(p) => format!(", e.g. `{}`", p.display()),
                None => String::new(),
            };
            Err(LoadError::NotFolder {
                path: root.to_path_buf(),
                hint,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(LoadError::NoFolder(root.to_path_buf()))
        }
        Err(source) => Err(LoadError::Read {
            path: root.to_path_buf(),
            source,
        }),
    }
}

/// Reads `book.toml` as JSON, with mdBook's environment overrides from this process applied.
pub fn read_config(root: &Path) -> Result<Value, LoadError> {
    read_config_with(root, std::env::vars())
}

/// [`read_config`] with the given environment instead of the process's.
pub fn read_config_with(
    root: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<Value, LoadError> {
    check_folder(root)?;
    let path = root.join("book.toml");
    if !path.is_file() {
        return Err(LoadError::NoBook(root.to_path_buf()));
    }
    let text = read(&path)?;
    let mut config = toml_edit::de::from_str::<Value>(&text).map_err(|e| LoadError::Toml {
        path,
        message: e.to_string().trim().replace('\n', " "),
    })?;
    apply_env_overrides(&mut config, env);
    Ok(config)
}

/// Applies mdBook's `MDBOOK_*` overrides the way mdBook does before it runs a preprocessor:
/// `MDBOOK_PREPROCESSOR__TRD__MIN_COMPLETENESS=0.5` sets `preprocessor.trd.min-completeness`
/// (`__` separates keys, `_` becomes `-`), the value read as JSON if it is JSON, else as a
/// string. As in mdBook 0.5, only `book`, `build`, `rust`, `output` and `preprocessor` keys are
/// overridden, so variables such as `MDBOOK_TRD_STRICT` are left alone.
pub fn apply_env_overrides(config: &mut Value, env: impl IntoIterator<Item = (String, String)>) {
    let mut overrides: Vec<(String, String)> = env
        .into_iter()
        .filter_map(|(key, value)| Some((override_key(&key)?, value)))
        .collect();
    // The process environment has no order; sorting makes a key and its parent (`book` and
    // `book.src`) apply in one order every time: the parent first.
    overrides.sort();
    for (key, value) in overrides {
        let value = serde_json::from_str(&value).unwrap_or(Value::String(value));
        set_path(config, &key, value);
    }
}

/// The dotted `book.toml` key an environment variable overrides the way mdBook does:
/// `MDBOOK_BUILD__CREATE_MISSING` is `build.create-missing`; `None` for other variables.
fn override_key(variable: &str) -> Option<String> {
    let key = variable
        .strip_prefix("MDBOOK_")?
        .to_lowercase()
        .replace("__", ".")
        .replace('_', "-");
    let top = key.split('.').next().unwrap_or_default();
    ["book", "build", "rust", "output", "preprocessor"]
        .contains(&top)
        .then_some(key)
}

/// The variable of `env` whose override decides the dotted `key`: one for the key itself or a
/// table holding it (`MDBOOK_BUILD='{"create-missing": false}'`), the innermost, which is
/// applied last.
fn overridden_by(env: &[(String, String)], key: &str) -> Option<String> {
    env.iter()
        .filter_map(|(variable, _)| Some((override_key(variable)?, variable)))
        .filter(|(k, _)| k == key || key.starts_with(&format!("{k}.")))
        .max_by(|a, b| a.0.cmp(&b.0))
        .map(|(_, variable)| variable.clone())
}

/// Sets a dotted key, making the tables on the way.
fn set_path(config: &mut Value, key: &str, value: Value) {
    let mut at = config;
    for part in key.split('.') {
        if !at.is_object() {
            *at = Value::Object(serde_json::Map::new());
        }
        let Value::Object(map) = at else {
            return;
        };
        at = map.entry(part).or_insert(Value::Null);
    }
    *at = value;
}

/// The source folder a config names (`[book] src`, default `src`).
pub fn src_of(config: &Value) -> PathBuf {
    config
        .pointer("/book/src")
        .and_then(Value::as_str)
        .map_or_else(|| PathBuf::from("src"), PathBuf::from)
}

/// Whether mdBook creates missing chapter files (`[build] create-missing`, on by default).
fn creates_missing(config: &Value) -> bool {
    config
        .pointer("/build/create-missing")
        .and_then(Value::as_bool)
        .unwrap_or(true)
}

/// Reads the book at `root`, with the process's environment.
pub fn load(root: &Path) -> Result<LoadedBook, LoadError> {
    load_with(root, std::env::vars())
}

/// Reads the book at `root`, with the given environment instead of the process's.
pub fn load_with(
    root: &Path,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<LoadedBook, LoadError> {
    let env: Vec<(String, String)> = env.into_iter().collect();
    let config = read_config_with(root, env.iter().cloned())?;
    let src = src_of(&config);
    let summary_path = root.join(&src).join("SUMMARY.md");
    let summary = parse_summary(&read(&summary_path)?).map_err(|e| LoadError::Summary {
        path: summary_path.clone(),
        message: format!("{e:#}").replace('\n', " "),
    })?;
    let mut reader = Reader {
        root,
        src: &src,
        create_missing: creates_missing(&config),
        create_missing_by: overridden_by(&env, "build.create-missing"),
        missing: Vec::new(),
    };
    let book = reader.book_from(&summary)?;
    let missing = reader.missing;
    Ok(LoadedBook {
        root: root.to_path_buf(),
        src,
        config,
        book,
        missing,
    })
}

/// Reads the chapters SUMMARY.md names.
struct Reader<'a> {
    root: &'a Path,
    src: &'a Path,
    create_missing: bool,
    /// The `MDBOOK_*` variable that set `create-missing`, if one did.
    create_missing_by: Option<String>,
    missing: Vec<PathBuf>,
}

impl Reader<'_> {
    fn book_from(&mut self, summary: &Summary) -> Result<Book, LoadError> {
        let mut items = Vec::new();
        for item in summary
            .prefix_chapters
            .iter()
            .chain(&summary.numbered_chapters)
            .chain(&summary.suffix_chapters)
        {
            items.extend(self.item_from(item, &[])?);
        }
        Ok(Book::new_with_items(items))
    }

    /// One SUMMARY item; `None` for a kind of item a later mdBook may add.
    fn item_from(
        &mut self,
        item: &SummaryItem,
        parents: &[String],
    ) -> Result<Option<BookItem>, LoadError> {
        Ok(match item {
            SummaryItem::Separator => Some(BookItem::Separator),
            SummaryItem::PartTitle(title) => Some(BookItem::PartTitle(title.clone())),
            SummaryItem::Link(link) => Some(BookItem::Chapter(self.chapter_from(link, parents)?)),
            _ => None,
        })
    }

    fn chapter_from(&mut self, link: &Link, parents: &[String]) -> Result<Chapter, LoadError> {
        let mut chapter = match &link.location {
            Some(location) => {
                let content = self.content(&link.name, location)?;
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
                .extend(self.item_from(item, &nested_parents)?);
        }
        Ok(chapter)
    }

    /// A chapter's Markdown; for a file that does not exist yet, what mdBook will write into it.
    fn content(&mut self, name: &str, location: &Path) -> Result<String, LoadError> {
        let path = self.root.join(self.src).join(location);
        // mdBook asks `exists()` too: a folder or an unreadable file is an error, not missing.
        if path.exists() {
            return read(&path);
        }
        if !self.create_missing {
            return Err(LoadError::Missing {
                path,
                variable: self.create_missing_by.clone(),
            });
        }
        self.missing.push(self.src.join(location));
        Ok(format!("# {name}\n"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::walk::for_each_chapter;
    use serde_json::json;

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

    fn book(toml: &str, summary: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), toml).unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/SUMMARY.md"), summary).unwrap();
        std::fs::write(dir.path().join("src/a.md"), "<<#trd tdd>>\n").unwrap();
        dir
    }

    #[test]
    fn missing_chapters_are_read_as_mdbook_creates_them_and_nothing_is_written() {
        let summary =
            "# Summary\n\n- [A](a.md)\n- [Not yet](designs/later.md)\n  - [Child](c.md)\n";
        let dir = book("[book]\n", summary);
        let loaded = load_with(dir.path(), []).unwrap();
        assert_eq!(
            loaded.missing,
            [Path::new("src/designs/later.md"), Path::new("src/c.md")]
        );
        let mut chapters = Vec::new();
        for_each_chapter(&loaded.book.items, &mut |c| {
            chapters.push((c.name.clone(), c.content.clone()))
        });
        assert_eq!(
            chapters[1],
            ("Not yet".to_owned(), "# Not yet\n".to_owned())
        );
        assert_eq!(chapters[2].1, "# Child\n");
        assert!(!dir.path().join("src/designs").exists());
        assert!(!dir.path().join("src/c.md").exists());

        let dir = book("[build]\ncreate-missing = false\n", summary);
        let e = load_with(dir.path(), []).unwrap_err();
        assert!(matches!(e, LoadError::Missing { .. }), "{e}");
        assert!(e.to_string().contains("designs/later.md: no such chapter file, and book.toml sets `create-missing = false`"), "{e}");
        // mdBook's own override turns it back on.
        let env = [("MDBOOK_BUILD__CREATE_MISSING".to_owned(), "true".to_owned())];
        assert_eq!(load_with(dir.path(), env).unwrap().missing.len(), 2);
    }

    /// Review: the error said "book.toml sets `create-missing = false`" when an `MDBOOK_*`
    /// override had turned it off.
    #[test]
    fn create_missing_off_by_the_environment_says_so() {
        let summary = "# Summary\n\n- [A](a.md)\n- [Not yet](later.md)\n";
        let dir = book("[book]\n", summary);
        for (variable, value) in [
            ("MDBOOK_BUILD__CREATE_MISSING", "false"),
            ("MDBOOK_BUILD", r#"{"create-missing": false}"#),
        ] {
            let env = [
                (variable.to_owned(), value.to_owned()),
                ("MDBOOK_BOOK__TITLE".to_owned(), "T".to_owned()),
            ];
            let e = load_with(dir.path(), env).unwrap_err();
            assert!(
                e.to_string().ends_with(&format!(
                    "later.md: no such chapter file, and the environment variable {variable} \
                     (which overrides book.toml) sets `create-missing = false` under [build], so \
                     mdbook build fails on it too; create the file or fix its link in \
                     SUMMARY.md, or unset {variable}"
                )),
                "{e}"
            );
        }
        // book.toml's own setting, with an unrelated override: book.toml is named.
        let dir = book("[build]\ncreate-missing = false\n", summary);
        let env = [("MDBOOK_BUILD__BUILD_DIR".to_owned(), "out".to_owned())];
        let e = load_with(dir.path(), env).unwrap_err();
        assert!(
            e.to_string()
                .contains(", and book.toml sets `create-missing = false`"),
            "{e}"
        );
        assert!(!e.to_string().contains("unset"), "{e}");
    }

    #[test]
    fn mdbook_environment_overrides_apply_as_mdbook_applies_them() {
        let mut config =
            json!({"book": {"title": "t"}, "preprocessor": {"trd": {"strict": false}}});
        let env = [
            ("MDBOOK_PREPROCESSOR__TRD__STRICT", "true"),
            ("MDBOOK_PREPROCESSOR__TRD__MIN_COMPLETENESS", "0.5"),
            ("MDBOOK_PREPROCESSOR__TRD__TEMPLATES", "my templates"),
            ("MDBOOK_BOOK__SRC", "docs"),
            ("MDBOOK_OUTPUT__HTML__DEFINITION_LISTS", "false"),
            ("MDBOOK_TRD_STRICT", "1"),
            ("MDBOOK_VERSION", "0.4.52"),
            ("PATH", "/bin"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        apply_env_overrides(&mut config, env);
        assert_eq!(
            config,
            json!({"book": {"title": "t", "src": "docs"},
                   "output": {"html": {"definition-lists": false}},
                   "preprocessor": {"trd": {"strict": true, "min-completeness": 0.5, "templates": "my templates"}}})
        );
        let mut config = json!({"book": {"src": "x"}});
        let env = [
            ("MDBOOK_BOOK__TITLE", "T"),
            ("MDBOOK_BOOK", r#"{"src": "y"}"#),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        apply_env_overrides(&mut config, env);
        assert_eq!(config, json!({"book": {"src": "y", "title": "T"}}));
    }

    #[test]
    fn errors_name_the_file() {
        let e = load(Path::new("/nonexistent/book")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/nonexistent/book: no such folder; give the book's folder (the one holding book.toml)"
        );
        let dir = tempfile::tempdir().unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(
            e.to_string().ends_with(
                ": no book.toml here; give the book's folder (the one holding book.toml)"
            ),
            "{e}"
        );
        std::fs::write(dir.path().join("book.toml"), "[book\n").unwrap();
        let e = load(dir.path()).unwrap_err();
        assert!(e.to_string().contains("book.toml: not valid TOML"), "{e}");
    }

    #[test]
    fn a_file_is_not_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let toml = dir.path().join("book.toml");
        std::fs::write(&toml, "[book]\n").unwrap();
        let e = check_folder(&toml).unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}: not a folder; give the book's folder (the one holding book.toml), e.g. `{}`",
                toml.display(),
                dir.path().display()
            )
        );
        let other = dir.path().join("notes.txt");
        std::fs::write(&other, "x").unwrap();
        assert!(
            check_folder(&other)
                .unwrap_err()
                .to_string()
                .ends_with("(the one holding book.toml)")
        );
        assert!(check_folder(dir.path()).is_ok());
    }
}
