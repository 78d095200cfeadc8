//! The book's chapters in SUMMARY order, and the files and places findings about them name.

use std::path::{Path, PathBuf};

use mdbook_preprocessor::book::{BookItem, Chapter};

use crate::model::doc::{DesignDoc, Field};
use crate::report::diagnostic::Diagnostic;

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
pub fn for_each_chapter_mut(items: &mut [BookItem], f: &mut impl FnMut(&mut Chapter)) {
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

/// The file of `doc`'s chapter under `src`, as findings name it.
pub fn doc_file(doc: &DesignDoc, src: &Path) -> Option<PathBuf> {
    doc.source_path.as_ref().map(|p| src.join(p))
}

/// `d` in the file of `doc`, at where its `field` is written.
pub fn at(doc: &DesignDoc, field: Field, src: &Path, d: Diagnostic) -> Diagnostic {
    let mut d = d.in_file(doc_file(doc, src).as_deref());
    d.position = Some(doc.position(field));
    d
}

/// Adds a note pointing at `field` of `doc`: its file on the same base as every other file a
/// finding names, or just the text when the chapter has no file.
pub fn note_at(
    d: Diagnostic,
    doc: &DesignDoc,
    field: Field,
    src: &Path,
    message: String,
) -> Diagnostic {
    match doc_file(doc, src) {
        Some(file) => d.with_note(Some(&file), Some(doc.position(field)), message),
        None => d.with_note(None, None, message),
    }
}
