//! The subcommands for people and CI. Each reads the book with [`crate::loader`] and runs the
//! same analysis as the preprocessor ([`crate::book::analyse`]): no rule is implemented twice.

pub mod check;
pub mod export;
pub mod install;
pub mod new;
pub mod templates;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use crate::book::{self, BookAnalysis};
use crate::config::{MarkdownFlavor, STRICT_ENV, Settings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::expand::Context;
use crate::loader::{self, LoadedBook};
use crate::render::RenderMode;
use crate::template::Templates;

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
}

/// Reads the book at `root` and analyses it; `strict` (from `--strict`) adds to the book's
/// setting and `MDBOOK_TRD_STRICT`. File names in findings are given from the current folder.
pub fn analyse(root: &Path, strict: bool, mode: RenderMode) -> Result<Analysed, CommandError> {
    let loaded = loader::load(root)?;
    let (settings, mut warnings) = Settings::from_table(loaded.trd_table());
    let mut settings = settings.with_env_override(std::env::var(STRICT_ENV).ok().as_deref());
    settings.strict |= strict;
    let (templates, template_errors) =
        Templates::for_book(&loaded.root, settings.templates.as_deref());
    let cx = Context {
        templates: &templates,
        settings: &settings,
        mode,
        options: MarkdownFlavor::from_config(&loaded.config, false).options(),
    };
    let mut analysis = book::analyse(&loaded.book, &cx, &loaded.src);
    if settings.strict {
        for w in &mut warnings {
            w.severity = Severity::Error;
        }
    }
    warnings.extend(template_errors);
    warnings.append(&mut analysis.diagnostics);
    analysis.diagnostics = warnings.into_iter().map(|d| from_here(root, d)).collect();
    Ok(Analysed {
        loaded,
        templates,
        analysis,
        settings,
    })
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

/// Whether to colour output on a stream: only on a terminal, and never with `NO_COLOR` set.
pub fn use_color(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether stdout is a terminal.
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}

/// The book folder a command was given, `.` by default.
pub fn book_dir(book: Option<PathBuf>) -> PathBuf {
    book.unwrap_or_else(|| PathBuf::from("."))
}
