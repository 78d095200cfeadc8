//! Diagnostics for people: what is wrong, where (file, line, column), and what would be right.
//!
//! Every check in the crate reports through [`Diagnostic`], so the preprocessor and (later) the
//! `check` command print the same findings in the same words.

use std::fmt;
use std::path::{Path, PathBuf};

pub use super::rule::{Rule, Severity};

/// A position in a file, 1-based. Column counts characters, not bytes, so it matches what an
/// editor shows for multibyte text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text`. Offsets past the end or inside a character are
    /// clamped to the nearest character boundary before it, so this never panics.
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let offset = char_boundary_at_or_before(text, offset);
        let before = &text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Position {
            line: before.bytes().filter(|&b| b == b'\n').count() + 1,
            column: before[line_start..].chars().count() + 1,
        }
    }
}

/// `offset` clamped to `text` and moved back to the start of the character it falls in.
fn char_boundary_at_or_before(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The start of every line of a text, so that many positions in one chapter cost a binary search
/// each instead of a count from the chapter's start (a chapter of 100,000 malformed directives
/// would otherwise take quadratic time to report).
#[derive(Debug, Clone)]
pub struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Indexes the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(
                text.bytes()
                    .enumerate()
                    .filter(|&(_, b)| b == b'\n')
                    .map(|(i, _)| i + 1),
            )
            .collect();
        LineIndex { text, starts }
    }

    /// The position of byte `offset`, exactly as [`Position::of_offset`] computes it.
    pub fn position(&self, offset: usize) -> Position {
        let offset = char_boundary_at_or_before(self.text, offset);
        // The number of line starts at or before `offset` is the 1-based line.
        let line = self.starts.partition_point(|&s| s <= offset);
        let line_start = self.starts[line - 1];
        Position {
            line,
            column: self.text[line_start..offset].chars().count() + 1,
        }
    }
}

/// Another place a finding points to, e.g. the doc that already has a number. It carries its
/// own file, so that every path a finding shows is on one base and moves with it (see
/// [`Diagnostic::rebased`]) instead of being frozen into the message text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The file, on the same base as the finding's.
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub position: Option<Position>,
    /// What is there.
    pub message: String,
}

impl fmt::Display for Note {
    /// `src/b.md:3:1: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, self.file.as_deref(), self.position)?;
        f.write_str(&self.message)
    }
}

/// One finding, tied to a file and a position when it has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The kind of finding, with its stable id.
    pub rule: Rule,
    /// Warning or error.
    pub severity: Severity,
    /// The file, as a path relative to the book root (e.g. `src/payments.md`).
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub position: Option<Position>,
    /// What is wrong.
    pub message: String,
    /// What would be right, when there is something to suggest.
    pub help: Option<String>,
    /// Other places the finding points to.
    pub notes: Vec<Note>,
}

impl Diagnostic {
    /// An error of `rule` with a message and nothing else yet.
    pub fn error(rule: Rule, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Error, message)
    }

    /// A warning of `rule` with a message and nothing else yet.
    pub fn warning(rule: Rule, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Warning, message)
    }

    /// A note of `rule` (see [`Severity::Note`]) with a message and nothing else yet.
    pub fn note(rule: Rule, message: impl Into<String>) -> Self {
        Self::new(rule, Severity::Note, message)
    }

    fn new(rule: Rule, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity,
            file: None,
            position: None,
            message: message.into(),
            help: None,
            notes: Vec::new(),
        }
    }

    /// Adds another place the finding points to.
    pub fn with_note(
        mut self,
        file: Option<&Path>,
        position: Option<Position>,
        message: impl Into<String>,
    ) -> Self {
        self.notes.push(Note {
            file: file.map(Path::to_path_buf),
            position,
            message: message.into(),
        });
        self
    }

    /// The finding with every file it names (its own and its notes') under `base`, e.g. to
    /// name files from the current folder rather than from the book's root.
    pub fn rebased(mut self, base: &Path) -> Self {
        let rebase = |file: &mut Option<PathBuf>| {
            if let Some(f) = file.as_mut() {
                *f = base.join(&*f);
            }
        };
        rebase(&mut self.file);
        for note in &mut self.notes {
            rebase(&mut note.file);
        }
        self
    }

    /// Ties the finding to a file.
    pub fn in_file(mut self, file: Option<&Path>) -> Self {
        self.file = file.map(Path::to_path_buf);
        self
    }

    /// Ties the finding to byte `offset` of `text` (the file's content).
    pub fn at(mut self, text: &str, offset: usize) -> Self {
        self.position = Some(Position::of_offset(text, offset));
        self
    }

    /// Ties the finding to a position already computed (see [`LineIndex`]).
    pub fn at_position(mut self, position: Position) -> Self {
        self.position = Some(position);
        self
    }

    /// Adds what would be right.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `error[rule-id]` or `warning[rule-id]`: what the text format prints before the message.
    pub fn label(&self) -> String {
        format!("{}[{}]", self.severity, self.rule)
    }

    /// `file:line:column: `, or as much of it as is known: what the text format prints
    /// before [`Diagnostic::label`].
    pub fn location(&self) -> String {
        struct Location<'a>(&'a Diagnostic);
        impl fmt::Display for Location<'_> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write_location(f, self.0.file.as_deref(), self.0.position)
            }
        }
        Location(self).to_string()
    }

    /// How many lines the finding takes when printed (see its `Display`), counted without
    /// formatting it: a build with thousands of warnings asks this of each to know whether
    /// they fit in its log, and prints only the few that do.
    pub fn printed_lines(&self) -> usize {
        let newlines = |s: &str| s.bytes().filter(|&b| b == b'\n').count();
        // A path is printed with `display()`, which keeps every `\n` byte as it is.
        let in_path = |p: &Option<PathBuf>| {
            p.as_deref().map_or(0, |p| {
                p.as_os_str()
                    .as_encoded_bytes()
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count()
            })
        };
        let notes: usize = self
            .notes
            .iter()
            .map(|n| 1 + in_path(&n.file) + newlines(&n.message))
            .sum();
        let help = self.help.as_deref().map_or(0, |h| 1 + newlines(h));
        1 + in_path(&self.file) + newlines(&self.message) + notes + help
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// True for notes (see [`Severity::Note`]).
    pub fn is_note(&self) -> bool {
        self.severity == Severity::Note
    }

    /// Strict mode: a warning becomes an error; errors and notes stay as they are.
    pub fn make_strict(&mut self) {
        if self.severity == Severity::Warning {
            self.severity = Severity::Error;
        }
    }
}

/// `file:line:column: `, or as much of it as is known.
fn write_location(
    f: &mut fmt::Formatter<'_>,
    file: Option<&Path>,
    position: Option<Position>,
) -> fmt::Result {
    match (file, position) {
        (Some(file), Some(p)) => write!(f, "{}:{}:{}: ", file.display(), p.line, p.column),
        (Some(file), None) => write!(f, "{}: ", file.display()),
        (None, Some(p)) => write!(f, "{}:{}: ", p.line, p.column),
        (None, None) => Ok(()),
    }
}

impl fmt::Display for Diagnostic {
    /// `src/a.md:3:1: error[rule-id]: message`, then each note and the help on indented
    /// lines.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_location(f, self.file.as_deref(), self.position)?;
        write!(f, "{}: {}", self.label(), self.message)?;
        for note in &self.notes {
            write!(f, "\n  note: {note}")?;
        }
        if let Some(help) = &self.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

/// Joins names for a "known: a, b, c" hint.
pub(crate) fn list<I, S>(names: I) -> String
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    names
        .into_iter()
        .map(|s| s.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçé<<x\n";
        assert_eq!(
            Position::of_offset(text, 0),
            Position { line: 1, column: 1 }
        );
        assert_eq!(
            Position::of_offset(text, 3),
            Position { line: 2, column: 1 }
        );
        // "çé" is four bytes but two characters.
        assert_eq!(
            Position::of_offset(text, 7),
            Position { line: 2, column: 3 }
        );
        // Inside a multibyte character and past the end: clamped, no panic.
        assert_eq!(
            Position::of_offset(text, 4),
            Position { line: 2, column: 1 }
        );
        assert_eq!(Position::of_offset(text, 999).line, 3);
    }

    #[test]
    fn line_index_agrees_with_counting() {
        for text in ["", "a", "\n", "ab\nçé<<x\n", "\r\n\r\nx\ny", "é\n\nü"] {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                assert_eq!(
                    index.position(offset),
                    Position::of_offset(text, offset),
                    "{text:?} at {offset}"
                );
            }
        }
    }

    #[test]
    fn display_names_file_position_and_help() {
        let d = Diagnostic::error(Rule::UnknownTemplate, "unknown template \"x\"")
            .in_file(Some(Path::new("src/a.md")))
            .at("one\ntwo", 5)
            .with_help("known: a, b");
        assert_eq!(
            d.to_string(),
            "src/a.md:2:2: error[unknown-template]: unknown template \"x\"\n  help: known: a, b"
        );
    }

    #[test]
    fn notes_come_before_the_help_and_move_with_the_finding() {
        let d = Diagnostic::warning(Rule::DuplicateNumber, "number \"7\" is used twice")
            .in_file(Some(Path::new("src/a.md")))
            .at_position(Position { line: 3, column: 9 })
            .with_note(
                Some(Path::new("src/b.md")),
                Some(Position { line: 1, column: 2 }),
                "\"B\" has it",
            )
            .with_note(None, None, "and nowhere else")
            .with_help("renumber");
        let shown = "number \"7\" is used twice\n  note: book/src/b.md:1:2: \"B\" has it\n  \
                     note: and nowhere else\n  help: renumber";
        assert_eq!(
            d.rebased(Path::new("book")).to_string(),
            format!("book/src/a.md:3:9: warning[duplicate-number]: {shown}")
        );
    }
}
