//! The whole-book pass: every chapter in SUMMARY order, all-or-nothing.
//!
//! Chapters are expanded first and the results applied only when no chapter has an error, so a
//! failing build never hands mdBook a half-expanded book. The design docs found on the way are
//! returned, in SUMMARY order, for the book-wide features built on them.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{Book, BookItem, Chapter};

use crate::config::Settings;
use crate::diagnostic::{Diagnostic, Severity};
use crate::doc::DesignDoc;
use crate::expand::{self, Context};

/// What a successful pass found.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Every design doc, in SUMMARY order.
    pub docs: Vec<DesignDoc>,
    /// The warnings (none are errors).
    pub warnings: Vec<Diagnostic>,
}

/// A failed pass: every diagnostic, at least one of them an error.
#[derive(Debug, Clone)]
pub struct Failure {
    /// All findings, in SUMMARY order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Expands every chapter of `book`. `src` is the book's source folder relative to its root
/// (for file names in diagnostics). On failure `book` is left exactly as it was given.
pub fn process(
    book: &mut Book,
    cx: &Context<'_>,
    settings: &Settings,
    src: &Path,
) -> Result<Report, Failure> {
    let mut updates: Vec<Option<String>> = Vec::new();
    let mut docs = Vec::new();
    let mut diagnostics = Vec::new();
    for_each_chapter(&book.items, &mut |chapter| {
        let file = chapter_file(src, chapter);
        let expansion = expand::expand_chapter(
            expand::Chapter {
                name: &chapter.name,
                content: &chapter.content,
                file: file.as_deref(),
            },
            cx,
        );
        if let Some(mut doc) = expansion.doc {
            doc.source_path = chapter.source_path.clone();
            docs.push(doc);
        }
        diagnostics.extend(expansion.diagnostics);
        updates.push(expansion.content);
    });

    if settings.strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure { diagnostics });
    }

    let mut updates = updates.into_iter();
    for_each_chapter_mut(&mut book.items, &mut |chapter| {
        if let Some(Some(content)) = updates.next() {
            chapter.content = content;
        }
    });
    Ok(Report {
        docs,
        warnings: diagnostics,
    })
}

/// Visits every chapter with content in SUMMARY order (a parent before its children); draft
/// chapters, separators and part titles are skipped.
pub fn for_each_chapter<'a>(items: &'a [BookItem], f: &mut impl FnMut(&'a Chapter)) {
    for item in items {
        if let BookItem::Chapter(chapter) = item {
            if !chapter.is_draft_chapter() {
                f(chapter);
            }
            for_each_chapter(&chapter.sub_items, f);
        }
    }
}

/// [`for_each_chapter`], mutably, in the same order.
fn for_each_chapter_mut(items: &mut [BookItem], f: &mut impl FnMut(&mut Chapter)) {
    for item in items {
        if let BookItem::Chapter(chapter) = item {
            if !chapter.is_draft_chapter() {
                f(chapter);
            }
            for_each_chapter_mut(&mut chapter.sub_items, f);
        }
    }
}

/// The file to name for a chapter in diagnostics: its source path under `src`.
pub fn chapter_file(src: &Path, chapter: &Chapter) -> Option<PathBuf> {
    chapter.source_path.as_ref().map(|p| src.join(p))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::MarkdownFlavor;
    use crate::render::RenderMode;
    use crate::template::Templates;

    fn chapter(name: &str, content: &str, subs: Vec<BookItem>) -> BookItem {
        let mut c = Chapter::new(name, content.into(), format!("{name}.md"), vec![]);
        c.sub_items = subs;
        BookItem::Chapter(c)
    }

    fn run(book: &mut Book, strict: bool) -> Result<Report, Failure> {
        let templates = Templates::built_in();
        let cx = Context {
            templates: &templates,
            mode: RenderMode::Html,
            options: MarkdownFlavor::default().options(),
        };
        process(book, &cx, &Settings { strict }, Path::new("src"))
    }

    #[test]
    fn nested_chapters_are_expanded_in_summary_order() {
        let mut book = Book::new_with_items(vec![
            BookItem::PartTitle("Designs".into()),
            chapter(
                "a",
                "<<#trd tdd>>\n",
                vec![chapter("b", "<<#trd trd>>\n", vec![]), BookItem::Separator],
            ),
            BookItem::Chapter(Chapter::new_draft("draft", vec![])),
        ]);
        let report = run(&mut book, false).unwrap();
        let names: Vec<_> = report.docs.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        let mut contents = Vec::new();
        for_each_chapter(&book.items, &mut |c| contents.push(c.content.clone()));
        assert!(contents[0].starts_with("# Technical Design Document (TDD): a\n"));
        assert!(contents[1].starts_with("# TRD: b\n"));
    }

    #[test]
    fn one_bad_chapter_leaves_the_whole_book_untouched() {
        let mut book = Book::new_with_items(vec![
            chapter("good", "<<#trd tdd>>\n", vec![]),
            chapter("bad", "<<#trd nope>>\n", vec![]),
        ]);
        let before = book.clone();
        let failure = run(&mut book, false).unwrap_err();
        assert_eq!(book, before);
        assert_eq!(failure.diagnostics.len(), 1);
        assert_eq!(
            failure.diagnostics[0].file.as_deref(),
            Some(Path::new("src/bad.md"))
        );
    }

    #[test]
    fn strict_mode_turns_warnings_into_errors() {
        let mut book = Book::new_with_items(vec![chapter("i", "<<#trd index>>\n", vec![])]);
        assert_eq!(run(&mut book, false).unwrap().warnings.len(), 1);
        let failure = run(&mut book, true).unwrap_err();
        assert!(failure.diagnostics[0].is_error());
    }
}
