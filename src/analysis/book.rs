//! The whole-book pass: every chapter in SUMMARY order, all-or-nothing.
//!
//! [`analyse`] reads every chapter once and returns the design docs and every finding (the
//! per-chapter ones, supersede links, the book-wide checks); the command line reuses it without
//! running mdBook. [`process`] then writes the chapters, only when no chapter has an error, so
//! a failing build never hands mdBook a half-expanded book.

use std::collections::HashMap;
use std::path::Path;

use mdbook_preprocessor::book::{Book, Chapter};

use crate::markdown::link::{Link, relative_href, resolve};
use crate::markdown::write::reference_parts;
use crate::model::doc::{DesignDoc, Field, Relations};
use crate::report::diagnostic::{Diagnostic, Rule};

use super::chapter::{self, Analysis, Context};
use super::expand;
use super::supersede;
use super::walk::{at, chapter_file, for_each_chapter, for_each_chapter_mut, note_at};

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

/// The whole book, analysed.
#[derive(Debug, Clone, Default)]
pub struct BookAnalysis {
    /// One analysis per chapter with content, in SUMMARY order. Each doc is moved to
    /// [`docs`](BookAnalysis::docs) (its chapter's `doc` is `None`, its `plan` is kept): one
    /// copy of every doc instead of two.
    pub chapters: Vec<Analysis>,
    /// Every design doc, in SUMMARY order.
    pub docs: Vec<DesignDoc>,
    /// How each doc (same order) links to others.
    pub relations: Vec<Relations>,
    /// Every finding; in strict mode every one is an error.
    pub diagnostics: Vec<Diagnostic>,
}

impl BookAnalysis {
    /// True when the book must not be built.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Step one for the whole book: analyses every chapter, links the docs and runs the book-wide
/// checks. `src` is the book's source folder relative to its root, for file names.
pub fn analyse(book: &Book, cx: &Context<'_>, src: &Path) -> BookAnalysis {
    let mut out = BookAnalysis::default();
    // An analysis is large (a doc and its plan, inline): a vector grown by doubling would copy
    // them all and touch twice their memory.
    let mut count = 0;
    for_each_chapter(&book.items, &mut |_| count += 1);
    out.chapters.reserve_exact(count);
    // Every page's path and name, for the titles of reference fields that point into the book.
    let mut pages: Vec<(&Path, &str)> = Vec::with_capacity(count);
    for_each_chapter(&book.items, &mut |chapter| {
        if let Some(path) = chapter.path.as_deref() {
            pages.push((path, &chapter.name));
        }
        let file = chapter_file(src, chapter);
        let mut analysis = chapter::analyse(view(chapter, file.as_deref()), cx);
        if let Some(mut doc) = analysis.doc.take() {
            doc.source_path = chapter.source_path.clone();
            out.docs.push(doc);
        }
        out.diagnostics.append(&mut analysis.diagnostics);
        out.chapters.push(analysis);
    });
    let (mut relations, mut warnings) = relations(&out.docs, cx, src);
    for (doc, relations) in out.docs.iter().zip(&mut relations) {
        relations.references = references(doc, &pages);
    }
    out.relations = relations;
    out.diagnostics.append(&mut warnings);
    out.diagnostics.extend(checks(&out.docs, cx, src));
    if cx.settings.strict {
        for d in &mut out.diagnostics {
            d.make_strict();
        }
    }
    out
}

/// Expands every chapter of `book`. On failure `book` is left exactly as it was given.
pub fn process(book: &mut Book, cx: &Context<'_>, src: &Path) -> Result<Report, Failure> {
    let mut expansion = prepare(book, cx, src)?;
    let mut content = String::new();
    for_each_chapter_mut(&mut book.items, &mut |chapter| {
        if expansion.next(chapter, &mut content) {
            chapter.content = std::mem::take(&mut content);
        }
    });
    Ok(expansion.report())
}

/// Analyses `book` and, when no finding is an error, returns what writes its chapters: the
/// book is then written chapter by chapter (see [`Expansion::next`]), each straight into the
/// output, with no expanded book held whole in memory.
pub fn prepare<'a>(book: &Book, cx: &Context<'a>, src: &Path) -> Result<Expansion<'a>, Failure> {
    let analysis = analyse(book, cx, src);
    if analysis.has_errors() {
        return Err(Failure {
            diagnostics: analysis.diagnostics,
        });
    }
    Ok(Expansion {
        cx: *cx,
        analysis,
        chapter: 0,
        doc: 0,
        none: Relations::default(),
    })
}

/// A book analysed without errors, written one chapter at a time in SUMMARY order.
#[derive(Debug)]
pub struct Expansion<'a> {
    cx: Context<'a>,
    analysis: BookAnalysis,
    /// The next chapter's analysis.
    chapter: usize,
    /// The next design doc's relations.
    doc: usize,
    none: Relations,
}

impl Expansion<'_> {
    /// Takes the findings, all of them warnings ([`Expansion::report`] has none after).
    pub fn take_warnings(&mut self) -> Vec<Diagnostic> {
        std::mem::take(&mut self.analysis.diagnostics)
    }

    /// Writes the expansion of `chapter` onto `content` (cleared first) and returns true, or
    /// returns false when the chapter is kept as written. Chapters come in the order
    /// [`for_each_chapter`] visits them (drafts are skipped), the order they were analysed in.
    pub fn next(&mut self, chapter: &Chapter, content: &mut String) -> bool {
        content.clear();
        let Some(a) = self.analysis.chapters.get(self.chapter) else {
            return false;
        };
        self.chapter += 1;
        // A chapter with a plan had a doc, now the next of `docs`.
        let doc = a.plan.as_ref().and_then(|_| {
            self.doc += 1;
            self.analysis.docs.get(self.doc - 1)
        });
        let links = match doc {
            Some(_) => self.analysis.relations.get(self.doc - 1),
            None => None,
        };
        expand::render_onto(
            view(chapter, None),
            expand::Step {
                analysis: a,
                doc,
                relations: links.unwrap_or(&self.none),
                docs: &self.analysis.docs,
            },
            &self.cx,
            content,
        )
    }

    /// What the pass found: every doc, and the warnings.
    pub fn report(self) -> Report {
        Report {
            docs: self.analysis.docs,
            warnings: self.analysis.diagnostics,
        }
    }
}

fn view<'a>(chapter: &'a Chapter, file: Option<&'a Path>) -> chapter::Chapter<'a> {
    chapter::Chapter {
        name: &chapter.name,
        content: &chapter.content,
        file,
        path: chapter.path.as_deref(),
    }
}

/// The book-wide checks: sign-offs and completeness of docs that are approved or later, and
/// numbers used twice.
fn checks(docs: &[DesignDoc], cx: &Context<'_>, src: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let min = cx.settings.min_completeness;
    for doc in docs {
        let Some(status) = cx.settings.lifecycle.resolve(&doc.status) else {
            continue;
        };
        if !status.signed_off {
            continue;
        }
        if !doc.approvals.missing.is_empty() {
            out.push(at(
                doc,
                Field::Status,
                src,
                Diagnostic::warning(
                    Rule::ApprovalMissing,
                    format!(
                        "{:?} is {} but lacks sign-offs ({}) from: {}",
                        doc.title,
                        doc.status,
                        doc.approvals.summary(),
                        doc.approvals.missing.join(", ")
                    ),
                )
                .with_help(
                    "add a name and a date for each role to its Approval section, \
                     or give it an earlier status",
                ),
            ));
        }
        let written = doc.filled_sections as f64 / doc.total_sections.max(1) as f64;
        if doc.total_sections > 0 && written < min {
            out.push(at(
                doc,
                Field::Status,
                src,
                Diagnostic::warning(Rule::UnwrittenApproved, format!(
                    "{:?} is {} but only {} sections are written ({:.0}%, at least {:.0}% expected)",
                    doc.title,
                    doc.status,
                    doc.completeness(),
                    written * 100.0,
                    min * 100.0
                ))
                .with_help(
                    "write the sections that still hold guidance, or lower `min-completeness` \
                     under [preprocessor.trd] in book.toml",
                ),
            ));
        }
    }
    let mut first: HashMap<&str, &DesignDoc> = HashMap::new();
    for doc in docs {
        let Some(number) = doc.metadata.get(Field::Number) else {
            continue;
        };
        match first.get(number) {
            None => {
                first.insert(number, doc);
            }
            Some(earlier) => {
                let d = Diagnostic::warning(
                    Rule::DuplicateNumber,
                    format!("number {number:?} is already used by {:?}", earlier.title),
                )
                .with_help("give each design doc its own number");
                let d = at(doc, Field::Number, src, d);
                let here = format!("{:?} has number {number:?} here", earlier.title);
                out.push(note_at(d, earlier, Field::Number, src, here));
            }
        }
    }
    out
}

/// Resolves `supersedes` / `superseded-by` between docs: both sides get a link, whichever side
/// declared it. Returns one [`Relations`] per doc, and a warning per reference to no doc and
/// per broken supersede rule (see [`supersede`]).
fn relations(
    docs: &[DesignDoc],
    cx: &Context<'_>,
    src: &Path,
) -> (Vec<Relations>, Vec<Diagnostic>) {
    let (links, mut warnings) = supersede::declared(docs, src);
    warnings.extend(supersede::checks(docs, &links, &cx.settings.lifecycle, src));
    let mut pairs: Vec<(usize, usize)> = links.iter().map(|l| (l.newer, l.older)).collect();
    pairs.sort_unstable();
    pairs.dedup();
    let mut out = vec![Relations::default(); docs.len()];
    for (newer, older) in pairs {
        out[newer].supersedes.push(link(&docs[newer], &docs[older]));
        out[older]
            .superseded_by
            .push(link(&docs[older], &docs[newer]));
    }
    (out, warnings)
}

/// The names of the book's pages that `doc`'s reference fields (`prd`, `rfc`, `adr`) link to.
fn references(doc: &DesignDoc, pages: &[(&Path, &str)]) -> Vec<(String, String)> {
    let Some(from) = doc.path.as_deref() else {
        return Vec::new();
    };
    Field::ALL
        .into_iter()
        .filter(|f| f.is_reference())
        .filter_map(|f| doc.metadata.get(f))
        .flat_map(reference_parts)
        .filter_map(|part| {
            let to = resolve(from, part)?;
            let (_, name) = pages.iter().find(|(path, _)| *path == to)?;
            Some((part.to_owned(), (*name).to_owned()))
        })
        .collect()
}

fn link(from: &DesignDoc, to: &DesignDoc) -> Link {
    Link {
        title: to.title.clone(),
        href: match (&from.path, &to.path) {
            (Some(from), Some(to)) => relative_href(from, to),
            _ => String::new(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::template::Templates;
    use crate::render::mode::RenderMode;
    use crate::{markdown::flavor::MarkdownFlavor, model::settings::Settings};
    use mdbook_preprocessor::book::BookItem;

    fn chapter(name: &str, path: &str, content: &str, subs: Vec<BookItem>) -> BookItem {
        let mut c = Chapter::new(name, content.into(), path, vec![]);
        c.sub_items = subs;
        BookItem::Chapter(c)
    }

    fn run(book: &mut Book, strict: bool) -> Result<Report, Failure> {
        let templates = Templates::built_in();
        let settings = Settings {
            strict,
            ..Settings::default()
        };
        let cx = Context {
            templates: &templates,
            settings: &settings,
            mode: RenderMode::Plain,
            options: MarkdownFlavor::default().options(),
            notes: true,
        };
        process(book, &cx, Path::new("src"))
    }

    fn contents(book: &Book) -> Vec<String> {
        let mut out = Vec::new();
        for_each_chapter(&book.items, &mut |c| out.push(c.content.clone()));
        out
    }

    #[test]
    fn nested_chapters_are_expanded_in_summary_order() {
        let mut book = Book::new_with_items(vec![
            BookItem::PartTitle("Designs".into()),
            chapter(
                "a",
                "a.md",
                "<<#trd tdd>>\n",
                vec![
                    chapter("b", "d/b.md", "<<#trd trd>>\n", vec![]),
                    BookItem::Separator,
                ],
            ),
            BookItem::Chapter(Chapter::new_draft("draft", vec![])),
        ]);
        let report = run(&mut book, false).unwrap();
        let names: Vec<_> = report.docs.iter().map(|d| d.title.as_str()).collect();
        assert_eq!(names, ["a", "b"]);
        assert_eq!(report.docs[1].path.as_deref(), Some(Path::new("d/b.md")));
        let contents = contents(&book);
        assert!(contents[0].starts_with("# Technical Design Document (TDD): a\n"));
        assert!(contents[1].starts_with("# TRD: b\n"));
    }

    /// Review of issue 16: several related documents in one field are each a link, with the
    /// title of the chapter each points to.
    #[test]
    fn each_related_document_of_a_field_shows_its_chapter_title() {
        let mut book = Book::new_with_items(vec![
            chapter(
                "Pay",
                "d/pay.md",
                "<<#trd tdd adr=\"../adr/7.md, ../adr/9.md, https://adr.example/12\">>\n",
                vec![],
            ),
            chapter("Event log", "adr/7.md", "# Event log\n", vec![]),
            chapter("Idempotency", "adr/9.md", "# Idempotency\n", vec![]),
        ]);
        run(&mut book, false).unwrap();
        let contents = contents(&book);
        assert!(
            contents[0].contains(
                "| **ADRs** | [Event log](../adr/7.md), [Idempotency](../adr/9.md), \
                 [https://adr.example/12](https://adr.example/12) |\n"
            ),
            "{}",
            contents[0]
        );
    }

    /// A build never prints notes, so it does not make them; `check` (which analyses with
    /// notes on) lists them.
    #[test]
    fn notes_are_made_only_when_asked_for() {
        let templates = Templates::built_in();
        let settings = Settings::default();
        let notes = |notes: bool| {
            let cx = Context {
                templates: &templates,
                settings: &settings,
                mode: RenderMode::Plain,
                options: MarkdownFlavor::default().options(),
                notes,
            };
            let book = Book::new_with_items(vec![chapter(
                "Pay",
                "pay.md",
                "<<#trd tdd>>\n\n## Goals\n\nFast.\n",
                vec![],
            )]);
            (analyse(&book, &cx, Path::new("src")).diagnostics.iter())
                .filter(|d| d.is_note())
                .count()
        };
        assert_eq!((notes(true), notes(false)), (1, 0));
    }

    #[test]
    fn one_bad_chapter_leaves_the_whole_book_untouched() {
        let mut book = Book::new_with_items(vec![
            chapter("good", "good.md", "<<#trd tdd>>\n", vec![]),
            chapter("bad", "bad.md", "<<#trd nope>>\n", vec![]),
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
        let book = Book::new_with_items(vec![chapter(
            "i",
            "i.md",
            "<<#trd tdd status=Sleeping>>\n",
            vec![],
        )]);
        assert_eq!(run(&mut book.clone(), false).unwrap().warnings.len(), 1);
        let failure = run(&mut book.clone(), true).unwrap_err();
        assert!(failure.diagnostics[0].is_error());
    }

    #[test]
    fn supersede_links_go_both_ways() {
        let mut book = Book::new_with_items(vec![
            chapter("Old", "designs/old.md", "<<#trd trd number=1>>\n", vec![]),
            chapter(
                "New",
                "designs/v2/new design.md",
                "<<#trd tdd number=2 supersedes=\"1\">>\n",
                vec![],
            ),
        ]);
        run(&mut book, false).unwrap();
        let contents = contents(&book);
        assert!(
            contents[0].contains("**Superseded by:** [New](v2/new%20design.md)\n"),
            "{}",
            contents[0]
        );
        assert!(
            contents[1].contains("**Supersedes:** [Old](../old.md)\n"),
            "{}",
            contents[1]
        );
    }

    #[test]
    fn dangling_supersede_reference_warns_at_the_attribute() {
        let book = Book::new_with_items(vec![chapter(
            "New",
            "new.md",
            "# New\n\n<<#trd tdd superseded-by=\"TRD-99\">>\n",
            vec![],
        )]);
        let report = run(&mut book.clone(), false).unwrap();
        assert_eq!(
            report.warnings[0].to_string(),
            "src/new.md:3:12: warning[supersede-unknown]: `superseded-by` names no design doc in this book: \"TRD-99\"\n  help: name another doc by its number or its title, e.g. `supersedes=\"12\"`"
        );
        assert!(run(&mut book.clone(), true).is_err());
    }

    /// The warnings of a book of one-directive chapters `(file, directive)`, as shown.
    fn warnings(chapters: &[(&str, &str)]) -> Vec<String> {
        let items = chapters
            .iter()
            .map(|(path, directive)| {
                chapter(path, path, &format!("Text.\n\n{directive}\n"), vec![])
            })
            .collect();
        let report = run(&mut Book::new_with_items(items), false).unwrap();
        report.warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn duplicate_numbers_point_to_the_first_doc_in_a_note() {
        let w = warnings(&[
            ("a.md", "<<#trd tdd title=A number=7>>"),
            ("d/b.md", "<<#trd tdd title=B number=7>>"),
        ]);
        assert_eq!(
            w,
            [
                "src/d/b.md:3:20: warning[duplicate-number]: number \"7\" is already used by \"A\"\n  note: src/a.md:3:20: \"A\" has number \"7\" here\n  help: give each design doc its own number"
            ]
        );
    }

    #[test]
    fn supersede_cycles_are_reported_once_with_every_link() {
        let two = warnings(&[
            ("a.md", "<<#trd tdd title=A number=1 supersedes=2>>"),
            ("b.md", "<<#trd tdd title=B number=2 supersedes=1>>"),
        ]);
        assert_eq!(
            two,
            [
                "src/a.md:3:29: warning[supersede-cycle]: supersede cycle: \"A\" supersedes \"B\", which supersedes \"A\"\n  note: src/b.md:3:29: \"B\" supersedes \"A\" here\n  help: a doc is superseded by a newer one, which cannot be superseded by it in turn: remove the link that points back"
            ]
        );
        let three = warnings(&[
            ("a.md", "<<#trd tdd title=A number=1 supersedes=2>>"),
            ("b.md", "<<#trd tdd title=B number=2>>"),
            (
                "c.md",
                "<<#trd tdd title=C number=3 superseded-by=B supersedes=A>>",
            ),
            ("d.md", "<<#trd tdd title=D number=4 supersedes=3>>"),
        ]);
        assert_eq!(three.len(), 1, "{three:?}");
        assert!(three[0].starts_with("src/a.md:3:29: warning[supersede-cycle]: supersede cycle: \"A\" supersedes \"B\", which supersedes \"C\", which supersedes \"A\"\n  note: src/c.md:3:29: \"C\" is superseded by \"B\" here\n  note: src/c.md:3:45: \"C\" supersedes \"A\" here\n"), "{three:?}");
    }

    #[test]
    fn a_doc_cannot_supersede_itself_nor_both_supersede_and_be_superseded_by_one() {
        let w = warnings(&[("a.md", "<<#trd tdd title=A number=1 supersedes=A>>")]);
        assert_eq!(
            w,
            [
                "src/a.md:3:29: warning[supersede-self]: \"A\" cannot supersede itself: `supersedes` names the doc itself (\"A\")\n  help: name the older doc this one replaces, by its number or its title"
            ]
        );
        let w = warnings(&[
            (
                "a.md",
                "<<#trd tdd title=A number=1 supersedes=2 superseded-by=B>>",
            ),
            ("b.md", "<<#trd tdd title=B number=2>>"),
        ]);
        assert_eq!(
            w,
            [
                "src/a.md:3:42: warning[supersede-both-ways]: \"A\" both supersedes and is superseded by \"B\"\n  note: src/a.md:3:29: and `supersedes` here\n  note: src/b.md:3:1: \"B\" is here\n  help: keep `supersedes` if \"A\" is the newer doc, `superseded-by` if it is the older one"
            ]
        );
    }

    #[test]
    fn a_superseded_doc_still_in_force_is_reported() {
        let w = warnings(&[
            (
                "old.md",
                "<<#trd tdd title=Old number=1 status=\"In Progress\">>",
            ),
            ("new.md", "<<#trd tdd title=New number=2 supersedes=1>>"),
        ]);
        let w: Vec<&String> = w.iter().filter(|w| w.contains("supersedes it")).collect();
        assert_eq!(
            w,
            [
                "src/new.md:3:31: warning[superseded-in-force]: \"Old\" is In Progress, but \"New\" supersedes it\n  note: src/old.md:3:31: \"Old\" has status \"In Progress\" here\n  help: give \"Old\" the status Superseded (`status=\"Superseded\"`), or remove the link"
            ]
        );
        // Declared from the old side, it is reported there.
        let w = warnings(&[
            (
                "old.md",
                "<<#trd tdd title=Old number=1 status=Approved superseded-by=2>>",
            ),
            ("new.md", "<<#trd tdd title=New number=2>>"),
        ]);
        let w: Vec<&String> = w.iter().filter(|w| w.contains("supersedes it")).collect();
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with(
                "src/old.md:3:47: warning[superseded-in-force]: \"Old\" is Approved, but \"New\" supersedes it"
            ),
            "{w:?}"
        );
        // Superseded, earlier than approved, or retired: nothing to say.
        for status in [
            "Superseded",
            "Draft",
            "In Review",
            "Deprecated",
            "Rejected",
            "Sleeping",
        ] {
            let old =
                format!("<<#trd tdd title=Old number=1 status=\"{status}\" superseded-by=2>>");
            let w = warnings(&[
                ("old.md", &old),
                ("new.md", "<<#trd tdd title=New number=2>>"),
            ]);
            assert!(
                w.iter().all(|w| !w.contains("supersedes it")),
                "{status}: {w:?}"
            );
        }
    }
}
