//! A book read from disk and analysed the way the preprocessor would, for every subcommand:
//! no rule is implemented twice.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::analysis::book::BookAnalysis;
use crate::edge::book_toml::{STRICT_ENV, trd_table};
use crate::edge::loader::{self, LoadedBook};
use crate::edge::setup::{Overrides, Setup};
use crate::markdown::flavor::MarkdownFlavor;
use crate::model::settings::Settings;
use crate::model::template::Templates;
use crate::render::mode::RenderMode;
use crate::report::diagnostic::{Diagnostic, Rule};

/// A failure to run at all (as opposed to findings in the book): said on stderr, exit 2.
#[derive(Debug)]
pub struct CommandError(pub String);

impl<E: std::fmt::Display> From<E> for CommandError {
    fn from(e: E) -> Self {
        CommandError(e.to_string())
    }
}

/// A book read and analysed the way the preprocessor would.
pub struct Analysed {
    /// The book as read.
    pub loaded: LoadedBook,
    /// The templates: built-in and the book's own.
    pub templates: Templates,
    /// Every doc and finding; settings warnings first.
    pub analysis: BookAnalysis,
    /// The settings in force.
    pub settings: Settings,
    /// The Markdown extensions the book is read with (those of the mdBook in use).
    pub flavor: MarkdownFlavor,
}

impl Analysed {
    /// Lines for stderr that are not findings: the chapter files mdBook will create, and the
    /// chapters whose `{{#include}}` the build expands before mdbook-trd sees them.
    pub fn notes(&self) -> Vec<String> {
        let root = &self.loaded.root;
        let mut notes: Vec<String> = self
            .loaded
            .missing
            .iter()
            .map(|file| {
                format!(
                    "note: {} does not exist yet; mdbook build will create it with a heading, \
                     so it is checked as a chapter with no directive",
                    from_here_path(root, file).display()
                )
            })
            .collect();
        if links_run_first(&self.loaded.config) {
            let mut including = Vec::new();
            crate::analysis::walk::for_each_chapter(&self.loaded.book.items, &mut |c| {
                // mdBook's links preprocessor matches these in the raw text, so a substring
                // test finds what it would expand (and an escaped `\{{#include}}`, rarely).
                if INCLUDES.iter().any(|i| c.content.contains(i)) {
                    including.extend(crate::analysis::walk::chapter_file(&self.loaded.src, c));
                }
            });
            notes.extend(including.iter().map(|file| {
                format!(
                    "note: {} includes files; mdbook build expands {{{{#include}}}} before \
                     mdbook-trd runs, check does not, so directives inside included files are \
                     checked by the build only",
                    from_here_path(root, file).display()
                )
            }));
        }
        notes
    }
}

/// The link directives of mdBook's `links` preprocessor that bring in another file's text.
const INCLUDES: [&str; 3] = ["{{#include ", "{{#rustdoc_include ", "{{#playground "];

/// Whether mdBook runs its `links` preprocessor before mdbook-trd: it does unless the default
/// preprocessors are off (and `[preprocessor.links]` is not set), or `before = ["links"]`
/// puts trd first. Without `before`/`after`, mdBook breaks the tie by name, and "links" < "trd".
fn links_run_first(config: &serde_json::Value) -> bool {
    let defaults = config
        .pointer("/build/use-default-preprocessors")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(true);
    let links_on = defaults || config.pointer("/preprocessor/links").is_some();
    let names = |table: Option<&serde_json::Value>, key: &str, name: &str| {
        table
            .and_then(|t| t.get(key))
            .and_then(serde_json::Value::as_array)
            .is_some_and(|list| list.iter().any(|v| v.as_str() == Some(name)))
    };
    let trd_first = names(trd_table(config), "before", "links")
        || names(config.pointer("/preprocessor/links"), "after", "trd");
    links_on && !trd_first
}

/// What a command is given besides the book.
#[derive(Debug, Clone, Default)]
pub struct CommandOptions {
    /// `--strict`.
    pub strict: bool,
    /// The version of mdBook whose Markdown to expect (`--mdbook-version`, or the `mdbook` on
    /// `PATH`); `None` for 0.5's.
    pub mdbook_version: Option<String>,
    /// The environment: `MDBOOK_TRD_STRICT`, and mdBook's `MDBOOK_*` overrides of `book.toml`.
    pub env: Vec<(String, String)>,
}

impl CommandOptions {
    /// Options with this process's environment.
    pub fn with_process_env(strict: bool, mdbook_version: Option<String>) -> Self {
        CommandOptions {
            strict,
            mdbook_version,
            env: std::env::vars().collect(),
        }
    }
}

/// Reads the book at `root` and analyses it; `strict` (from `--strict`) adds to the book's
/// setting and `MDBOOK_TRD_STRICT`. Assumes mdBook 0.5's Markdown. File names in findings are
/// given from the current folder.
pub fn analyse(root: &Path, strict: bool, mode: RenderMode) -> Result<Analysed, CommandError> {
    analyse_with(root, mode, &CommandOptions::with_process_env(strict, None))
}

/// [`analyse`] with every input explicit: the same [`Setup`] and analysis as `mdbook build`,
/// plus what only a command can see: whether mdBook runs the preprocessor at all.
pub fn analyse_with(
    root: &Path,
    mode: RenderMode,
    options: &CommandOptions,
) -> Result<Analysed, CommandError> {
    let loaded = loader::load_with(root, options.env.iter().cloned())?;
    let strict_env = options
        .env
        .iter()
        .find(|(k, _)| k == STRICT_ENV)
        .map(|(_, v)| v.as_str());
    let setup = Setup::new(
        &loaded.root,
        &loaded.config,
        Overrides {
            mdbook_version: options.mdbook_version.as_deref().unwrap_or_default(),
            strict_env,
            strict_flag: options.strict,
        },
    );
    let mut analysis = setup.analyse(&loaded.book, mode, &loaded.src);
    if loaded.trd_table().is_none() {
        let mut d = not_registered(root, &analysis);
        if setup.settings.strict {
            d.make_strict();
        }
        analysis.diagnostics.insert(0, d);
    }
    analysis.diagnostics = std::mem::take(&mut analysis.diagnostics)
        .into_iter()
        .map(|d| from_here(root, d))
        .collect();
    Ok(Analysed {
        loaded,
        templates: setup.templates,
        analysis,
        settings: setup.settings,
        flavor: setup.flavor,
    })
}

/// A book without `[preprocessor.trd]`: mdBook never runs mdbook-trd on it. An error when
/// the book has directives (the build would publish them as written), else a warning.
fn not_registered(root: &Path, analysis: &BookAnalysis) -> Diagnostic {
    let has_directives =
        !analysis.docs.is_empty() || analysis.chapters.iter().any(|a| !a.indexes.is_empty());
    let install = if root == Path::new(".") {
        "mdbook-trd install".to_owned()
    } else {
        format!("mdbook-trd install {}", root.display())
    };
    let d = if has_directives {
        Diagnostic::error(
            Rule::NotRegistered,
            "the preprocessor is not registered: book.toml has no [preprocessor.trd], so \
             mdbook build leaves every <<#trd ...>> directive as written",
        )
    } else {
        Diagnostic::warning(
            Rule::NotRegistered,
            "the preprocessor is not registered: book.toml has no [preprocessor.trd], so \
             mdbook build does not run mdbook-trd",
        )
    };
    d.in_file(Some(Path::new("book.toml")))
        .with_help(format!("run `{install}` to register it"))
}

/// The version of the `mdbook` on `PATH` (`mdbook --version` says `mdbook v0.4.52`), the one
/// `mdbook build` would run here; `None` when there is none.
pub fn mdbook_on_path() -> Option<String> {
    let out = std::process::Command::new("mdbook")
        .arg("--version")
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let version = text.split_whitespace().last()?.trim_start_matches('v');
    semver::Version::parse(version).ok()?;
    Some(version.to_owned())
}

/// Names a finding's files (its own and its notes') from the current folder rather than from
/// the book's root.
pub fn from_here(root: &Path, d: Diagnostic) -> Diagnostic {
    if root != Path::new(".") {
        d.rebased(root)
    } else {
        d
    }
}

/// A path relative to the book's root, from the current folder (no `./` in front when the
/// root is the current folder).
pub fn from_here_path(root: &Path, file: &Path) -> PathBuf {
    if root == Path::new(".") {
        file.to_path_buf()
    } else {
        root.join(file)
    }
}

/// Whether to colour output on a stream: only on a terminal, and never with `NO_COLOR` set.
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The book folder a command was given, as `BOOK` (`positional`) or `--book` (`flag`), `.`
/// when neither. Both forms mean the same, so both at once is an error only when they name
/// different folders. A folder that is not there is reported as such, before anything looks
/// for `book.toml` in it.
pub fn book_dir(
    positional: Option<PathBuf>,
    flag: Option<PathBuf>,
) -> Result<PathBuf, CommandError> {
    let root = match (positional, flag) {
        (Some(p), Some(f)) if !same_folder(&p, &f) => {
            return Err(CommandError(format!(
                "the book's folder is given twice, as {} and as --book {}; give it once: \
                 `BOOK` and `--book BOOK` mean the same",
                p.display(),
                f.display()
            )));
        }
        (Some(p), _) | (None, Some(p)) => p,
        (None, None) => PathBuf::from("."),
    };
    if root.as_os_str().is_empty() {
        return Err(CommandError(
            "the book's folder is empty; give the book's folder (the one holding book.toml), \
             e.g. `.`"
                .into(),
        ));
    }
    loader::check_folder(&root)?;
    Ok(root)
}

/// Whether two paths name one folder: equal as written (`docs` and `docs/`), or leading to
/// the same place (`docs` and `./docs`).
fn same_folder(a: &Path, b: &Path) -> bool {
    a == b
        || matches!(
            (a.canonicalize(), b.canonicalize()),
            (Ok(a), Ok(b)) if a == b
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_book_is_given_either_way() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().to_path_buf();
        assert_eq!(book_dir(None, None).unwrap(), PathBuf::from("."));
        assert_eq!(book_dir(Some(book.clone()), None).unwrap(), book);
        assert_eq!(book_dir(None, Some(book.clone())).unwrap(), book);
        // The same folder twice, however written, is still one folder.
        assert_eq!(
            book_dir(Some(book.clone()), Some(book.join("."))).unwrap(),
            book
        );
    }

    #[test]
    fn two_folders_are_an_error_that_names_both() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir(&a).unwrap();
        std::fs::create_dir(&b).unwrap();
        let CommandError(message) = book_dir(Some(a.clone()), Some(b.clone())).unwrap_err();
        assert_eq!(
            message,
            format!(
                "the book's folder is given twice, as {} and as --book {}; give it once: `BOOK` \
                 and `--book BOOK` mean the same",
                a.display(),
                b.display()
            )
        );
    }

    #[test]
    fn a_missing_folder_is_named_as_missing() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("some/missing/folder");
        let CommandError(message) = book_dir(Some(missing.clone()), None).unwrap_err();
        assert_eq!(
            message,
            format!(
                "{}: no such folder; give the book's folder (the one holding book.toml)",
                missing.display()
            )
        );
        let CommandError(message) = book_dir(None, Some(PathBuf::new())).unwrap_err();
        assert!(
            message.starts_with("the book's folder is empty"),
            "{message}"
        );
    }
}
