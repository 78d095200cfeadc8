//! Everything a run takes from `book.toml` and the environment, gathered once so that the
//! preprocessor and the command line cannot disagree on a setting, strict mode or the flavour.

use std::path::Path;

use mdbook_preprocessor::book::Book;
use serde_json::Value;

use crate::analysis::book::{self, BookAnalysis, Expansion};
use crate::analysis::chapter::Context;
use crate::analysis::walk::for_each_chapter_mut;
use crate::markdown::flavor::MarkdownFlavor;
use crate::model::settings::Settings;
use crate::model::template::Templates;
use crate::render::mode::RenderMode;
use crate::report::diagnostic::Diagnostic;

use super::book_toml::trd_table;
use super::chain;
use super::template_folder;

/// What a run is given besides `book.toml`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Overrides<'a> {
    /// The version of the mdBook that runs (or will run) the preprocessor, e.g. `0.4.52`; it
    /// decides the Markdown extensions. Anything but a 0.4 version parses like 0.5.
    pub mdbook_version: &'a str,
    /// The value of `MDBOOK_TRD_STRICT`, when it is set.
    pub strict_env: Option<&'a str>,
    /// `check --strict`: strict whatever the book and the environment say.
    pub strict_flag: bool,
}

/// Everything a run takes from `book.toml` and the environment. [`run`](super::protocol::run) (for `mdbook build`)
/// and the command line (`commands`) both build it with [`Setup::new`] and analyse
/// with [`Setup::analyse`], so they cannot disagree on a setting, on strict mode or on the
/// Markdown flavour: the only difference left is that `check` reads the files itself.
#[derive(Debug, Clone)]
pub struct Setup {
    /// The settings in force, strict mode from every source applied.
    pub settings: Settings,
    /// The built-in templates and the book's own.
    pub templates: Templates,
    /// The Markdown extensions the mdBook in use parses with.
    pub flavor: MarkdownFlavor,
    /// What is wrong with the settings, the environment or the book's templates; every one an
    /// error in strict mode.
    pub diagnostics: Vec<Diagnostic>,
}

impl Setup {
    /// Reads the settings of the book at `root` from its `config` (`book.toml` as JSON, as
    /// mdBook sends it), loads its templates and applies the overrides.
    pub fn new(root: &Path, config: &Value, overrides: Overrides<'_>) -> Setup {
        let (mut settings, mut diagnostics) = Settings::from_table(trd_table(config));
        diagnostics.extend(settings.apply_strict_env(overrides.strict_env));
        settings.strict |= overrides.strict_flag;
        let (templates, template_findings) =
            template_folder::load(root, settings.templates.as_deref());
        diagnostics.extend(template_findings);
        let names: Vec<&str> = templates.names().collect();
        diagnostics.extend(settings.check_approval_templates(&names));
        diagnostics.extend(chain::order_warnings(config));
        if settings.strict {
            for d in &mut diagnostics {
                d.make_strict();
            }
        }
        Setup {
            flavor: MarkdownFlavor::for_version(config, overrides.mdbook_version),
            settings,
            templates,
            diagnostics,
        }
    }

    /// The context the expansion runs in, for a renderer's `mode`; with `notes`, notes are
    /// made too (for `check`).
    pub fn context(&self, mode: RenderMode, notes: bool) -> Context<'_> {
        Context {
            templates: &self.templates,
            settings: &self.settings,
            mode,
            options: self.flavor.options(),
            notes,
        }
    }

    /// Analyses `book`, whose files are under `src` (relative to the book's root): the
    /// setup's findings first, then the book's.
    pub fn analyse(&self, book: &Book, mode: RenderMode, src: &Path) -> BookAnalysis {
        let mut analysis = book::analyse(book, &self.context(mode, true), src);
        analysis
            .diagnostics
            .splice(0..0, self.diagnostics.iter().cloned());
        analysis
    }

    /// Expands `book` when no finding is an error, and returns every finding (the setup's
    /// first): as `Ok` when they are all warnings, as `Err` otherwise, and then `book` is not
    /// to be written.
    pub fn process(
        &self,
        book: &mut Book,
        mode: RenderMode,
        src: &Path,
    ) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        let (mut expansion, warnings) = self.prepare(book, mode, src)?;
        let mut content = String::new();
        for_each_chapter_mut(&mut book.items, &mut |chapter| {
            if expansion.next(chapter, &mut content) {
                chapter.content = std::mem::take(&mut content);
            }
        });
        Ok(warnings)
    }

    /// [`process`](Setup::process) without the writing: when no finding is an error, what
    /// writes each chapter of `book` (see [`Expansion::next`]) and every finding, the setup's
    /// first; else every finding.
    pub fn prepare(
        &self,
        book: &Book,
        mode: RenderMode,
        src: &Path,
    ) -> Result<(Expansion<'_>, Vec<Diagnostic>), Vec<Diagnostic>> {
        if self.diagnostics.iter().any(Diagnostic::is_error) {
            return Err(self.analyse(book, mode, src).diagnostics);
        }
        let mut all = self.diagnostics.clone();
        match book::prepare(book, &self.context(mode, false), src) {
            Ok(mut expansion) => {
                all.append(&mut expansion.take_warnings());
                Ok((expansion, all))
            }
            Err(failure) => {
                all.extend(failure.diagnostics);
                Err(all)
            }
        }
    }
}
