//! What people are told: a directive is expanded or reported, never passed over in silence,
//! whatever block it is written in; supersede links that contradict each other are reported at
//! the attribute; and every path a finding shows is on the same base as its file.

mod common;

use std::path::Path;
use std::process::Output;

use common::{Mdbook, build, repo};
use mdbook_trd::analysis::chapter::{Chapter, Context};
use mdbook_trd::analysis::expand::expand_chapter;
use mdbook_trd::model::template::Templates;
use mdbook_trd::render::mode::RenderMode;
use mdbook_trd::{markdown::flavor::MarkdownFlavor, model::settings::Settings};
use proptest::prelude::*;
use pulldown_cmark::{Event, Parser, Tag};

fn run(args: &[&str], cwd: &Path) -> Output {
    common::run_trd(args, cwd)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

const CONTINUES: &str = "warning[misplaced-directive]: this directive continues the paragraph, quote or list item on the line above, so it is not expanded\n  help: leave a blank line before the directive; to show it as text, write `\\<<#trd`";

#[test]
fn check_reports_every_misplaced_directive() {
    let out = run(&["check", "tests/books/misplaced"], &repo());
    let at = "tests/books/misplaced/src";
    assert_eq!(
        stdout(&out),
        format!(
            "{at}/underlined.md:1:1: error[underlined-directive]: the `---` or `===` line under this directive makes it a heading, so it is not expanded\n  help: leave a blank line between the directive and the line under it\n\
             {at}/heading.md:1:3: warning[misplaced-directive]: a directive in a heading is not expanded\n  help: write the directive as a paragraph of its own, without `#`; to show it as text, write `\\<<#trd`\n\
             {at}/quote.md:2:1: {CONTINUES}\n\
             {at}/line.md:2:1: {CONTINUES}\n\
             mdbook-trd: 0 design docs checked, 1 error, 3 warnings\n"
        )
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_build_fails_on_an_underlined_directive_like_check() {
    for mdbook in [Mdbook::V05, Mdbook::V04] {
        let built = build("tests/books/misplaced", mdbook, "");
        assert!(!built.succeeded(), "{mdbook:?} built it");
        let stderr = built.stderr();
        assert!(
            stderr.contains("src/underlined.md:1:1: error[underlined-directive]: the `---` or `===` line under this directive makes it a heading"),
            "{mdbook:?}: {stderr}"
        );
        assert!(
            stderr.contains(
                "src/quote.md:2:1: warning[misplaced-directive]: this directive continues"
            )
        );
    }
}

#[test]
fn check_reports_the_supersede_rules_at_the_attribute() {
    let out = run(&["check"], &repo().join("tests/books/supersede"));
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    let text = stdout(&out);
    for expected in [
        "src/loner.md:1:38: warning[supersede-self]: \"Loner\" cannot be superseded by itself: `superseded-by` names the doc itself (\"loner.md\")\n",
        "src/both.md:3:5: warning[supersede-both-ways]: \"Both ways\" both supersedes and is superseded by \"Seven\"\n  \
         note: src/both.md:2:5: and `supersedes` here\n  \
         note: src/seven.md:1:1: \"Seven\" is here\n",
        "src/ring/a.md:1:39: warning[supersede-cycle]: supersede cycle: \"Ring A\" supersedes \"Ring B\", which supersedes \"Ring C\", which supersedes \"Ring A\"\n  \
         note: src/ring/b.md:1:39: \"Ring B\" supersedes \"Ring C\" here\n  \
         note: src/ring/c.md:1:39: \"Ring C\" supersedes \"Ring A\" here\n",
        "src/designs/new.md:1:42: warning[superseded-in-force]: \"Old queue\" is Approved, but \"New queue\" supersedes it\n  \
         note: src/designs/old.md:1:42: \"Old queue\" has status \"Approved\" here\n  \
         help: give \"Old queue\" the status Superseded (`status=\"Superseded\"`), or remove the link\n",
    ] {
        assert!(text.contains(expected), "{expected}\nnot in:\n{text}");
    }
    assert!(text.ends_with("mdbook-trd: 9 design docs checked, 0 errors, 5 warnings\n"));
    let strict = run(
        &["check", "--strict"],
        &repo().join("tests/books/supersede"),
    );
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stdout(&strict).contains("src/ring/a.md:1:39: error[supersede-cycle]: supersede cycle")
    );
}

/// Review 2: a link into a ring from outside it is still checked. "D" is Approved and "A"
/// supersedes it; "C" both supersedes and is superseded by "D", a ring of two that "A" is not
/// in, so "D" still in force is reported.
#[test]
fn a_link_into_a_ring_is_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(
        dir.path().join("book.toml"),
        "[book]\ntitle = \"t\"\n\n[preprocessor.trd]\nmin-completeness = 0\n",
    )
    .unwrap();
    std::fs::write(
        src.join("SUMMARY.md"),
        "# S\n\n- [D](a.md)\n- [A](b.md)\n- [C](c.md)\n",
    )
    .unwrap();
    let docs = [
        (
            "a.md",
            "title=\"D\" number=\"1\" status=\"Approved\" superseded-by=\"A\"",
        ),
        ("b.md", "title=\"A\" number=\"2\""),
        (
            "c.md",
            "title=\"C\" number=\"3\" supersedes=\"D\" superseded-by=\"D\"",
        ),
    ];
    for (file, attributes) in docs {
        std::fs::write(src.join(file), format!("<<#trd design {attributes}>>\n")).unwrap();
    }
    let text = stdout(&run(&["check", "."], dir.path()));
    assert!(text.contains("warning[supersede-both-ways]"), "{text}");
    assert!(
        text.contains(
            "src/a.md:1:54: warning[superseded-in-force]: \"D\" is Approved, but \"A\" supersedes it"
        ),
        "{text}"
    );
}

/// Every `…/x.md:line:col` in `text`.
fn located_paths(text: &str) -> Vec<&str> {
    text.split_whitespace()
        .filter(|w| w.contains(".md:"))
        .collect()
}

#[test]
fn every_path_in_a_finding_is_on_one_base() {
    let book = "tests/books/supersede";
    // From the repository root, from inside the book, and from the book's parent.
    for (cwd, base) in [
        (repo(), format!("{book}/src/")),
        (repo().join(book), "src/".to_owned()),
        (repo().join("tests/books"), "supersede/src/".to_owned()),
    ] {
        let arg = if base == "src/" {
            "."
        } else {
            &base[..base.len() - 4]
        };
        let text = stdout(&run(&["check", arg], &cwd));
        let paths = located_paths(&text);
        assert_eq!(paths.len(), 11, "{text}");
        for p in paths {
            assert!(p.starts_with(&base), "{p} is not under {base}:\n{text}");
        }
        // The duplicate number names the first doc in a note, on the same base.
        assert!(
            text.contains(&format!(
                "{base}copy.md:3:28: warning[duplicate-number]: number \"2\" is already used by \"New queue\"\n  note: {base}designs/new.md:1:33: \"New queue\" has number \"2\" here\n"
            )),
            "{text}"
        );
    }

    let json = stdout(&run(&["check", book, "--format", "json"], &repo()));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let mut notes = 0;
    for d in v["diagnostics"].as_array().unwrap() {
        assert!(!d["message"].as_str().unwrap().contains(".md:"), "{d}");
        for n in d["notes"].as_array().unwrap() {
            notes += 1;
            let file = n["file"].as_str().unwrap();
            assert!(file.starts_with("tests/books/supersede/src/"), "{n}");
            assert!(n["line"].as_u64().is_some() && n["column"].as_u64().is_some());
        }
    }
    assert_eq!(notes, 6);

    let github = stdout(&run(&["check", book, "--format", "github"], &repo()));
    assert!(
        github.contains("::warning file=tests/books/supersede/src/copy.md,line=3,col=28,title=mdbook-trd (duplicate-number)::number \"2\" is already used by \"New queue\"%0Anote: tests/books/supersede/src/designs/new.md:1:33: \"New queue\" has number \"2\" here%0Ahelp: "),
        "{github}"
    );
}

#[cfg(unix)]
#[test]
fn a_refused_template_is_named_once_on_the_findings_base() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    common::copy_tree(&repo().join("tests/books/supersede"), &root);
    let toml = root.join("book.toml");
    let config = common::read(&toml) + "templates = \"own\"\n";
    std::fs::write(&toml, config).unwrap();
    std::fs::create_dir(root.join("own")).unwrap();
    std::os::unix::fs::symlink(&toml, root.join("own/evil.md")).unwrap();
    let text = stdout(&run(&["check", "book"], dir.path()));
    assert!(
        text.starts_with(
            "book/own/evil.md: error[template-unreadable]: refused to read this file: it leads outside the templates folder\n"
        ),
        "{text}"
    );
    for word in text.split_whitespace().filter(|w| w.contains(".md")) {
        let path = word.trim_matches(|c: char| "\"():".contains(c));
        assert!(
            path.starts_with("book/") || !path.contains('/'),
            "{word} in:\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------
// The class of defect: a directive written where the Markdown does not make it a paragraph of
// its own. Whatever block it is in, it is expanded, or a diagnostic names its line.

/// What may come right before the directive's line (no blank line between).
fn before() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        None,
        None,
        None,
        Some("Intro text."),
        Some("Line with a hard break  "),
        Some("Line with a backslash break\\"),
        Some("> quoted"),
        Some("> [!NOTE]"),
        Some("- item"),
        Some("1. item"),
        Some("- [ ] task"),
        Some("# Heading"),
        Some("Term"),
        Some("| a | b |"),
        Some("```"),
        Some("<div>"),
        Some("<!--"),
        Some("[^1]: note"),
    ])
}

/// What may start the directive's own line.
fn prefix() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "", "", "", "  ", "   ", "    ", "# ", "## ", "###### ", "> ", "> > ", "- ", "* ", "1. ",
        "- [ ] ", "- # ", "> # ", "| ", ": ", "[^1]: ", "\\", "`", "*", "[", "text ", "\t",
    ])
}

/// What may come right after it.
fn after() -> impl Strategy<Value = Option<&'static str>> {
    prop::sample::select(vec![
        None,
        None,
        Some("---"),
        Some("==="),
        Some("-"),
        Some("  ---  "),
        Some("***"),
        Some("Text after."),
        Some(": definition"),
        Some("|---|---|"),
        Some("|---|"),
        Some("---|---"),
        Some("> quote"),
        Some("- item"),
        Some("    indented"),
        Some("```"),
        Some("-->"),
        Some("</div>"),
        Some(" #"),
    ])
}

fn directive() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "<<#trd index>>",
        "<<#trd index>>",
        "<<#trd index sort=\"title\">>",
        "<<#trd tdd title=\"Doc\">>",
        "<<#trd design\n  title=\"Two lines\">>",
        "<<#trd trd-numbered >>",
    ])
}

fn case() -> impl Strategy<Value = String> {
    (before(), prefix(), directive(), after()).prop_map(|(before, prefix, directive, after)| {
        let mut lines: Vec<String> = before.into_iter().map(str::to_owned).collect();
        lines.push(format!("{prefix}{directive}"));
        lines.extend(after.map(str::to_owned));
        lines.join("\n")
    })
}

/// Every `<<#trd` the reader would see at the start of a line of text: first in a paragraph,
/// heading, item, cell or definition, or right after a line break; not in code or HTML, and
/// not escaped. Returns byte offsets.
fn visible_directive_lines(content: &str, options: pulldown_cmark::Options) -> Vec<usize> {
    let mut found = Vec::new();
    let mut line_start = false;
    for (event, range) in Parser::new_ext(content, options).into_offset_iter() {
        let was = std::mem::replace(&mut line_start, false);
        match event {
            Event::Start(
                Tag::Paragraph
                | Tag::Heading { .. }
                | Tag::Item
                | Tag::TableCell
                | Tag::DefinitionListTitle
                | Tag::DefinitionListDefinition,
            )
            | Event::SoftBreak
            | Event::HardBreak => line_start = true,
            Event::TaskListMarker(_) => line_start = was,
            Event::Text(_) if was => {
                let text = &content[range.start..];
                let word = text.strip_prefix("<<#trd").is_some_and(|rest| {
                    rest.starts_with(char::is_whitespace) || rest.starts_with(">>")
                });
                if word && !content[..range.start].ends_with('\\') {
                    found.push(range.start);
                }
            }
            _ => {}
        }
    }
    found
}

fn line_of(content: &str, offset: usize) -> usize {
    content[..offset].matches('\n').count() + 1
}

fn check_chapter(content: &str, flavor: MarkdownFlavor) -> Result<(), TestCaseError> {
    let templates = Templates::built_in();
    let settings = Settings::default();
    let cx = Context {
        templates: &templates,
        settings: &settings,
        mode: RenderMode::Html,
        options: flavor.options(),
        notes: true,
    };
    let chapter = Chapter {
        name: "Doc",
        content,
        file: None,
        path: Some(Path::new("doc.md")),
    };
    let (_, analysis) = expand_chapter(chapter, &cx);
    if analysis.has_errors() {
        // The chapter fails the build, with the error: nothing is passed over in silence.
        return Ok(());
    }
    let starts: Vec<usize> = analysis
        .plan
        .iter()
        .map(|p| p.start)
        .chain(analysis.indexes.iter().map(|(span, _)| span.start))
        .collect();
    for offset in visible_directive_lines(content, flavor.options()) {
        let expanded = starts
            .iter()
            .any(|&s| s <= offset && content[s..offset].trim().is_empty());
        let line = line_of(content, offset);
        let reported = analysis.diagnostics.iter().any(|d| {
            d.position
                .is_some_and(|p| p.line == line || p.line == line + 1)
        });
        prop_assert!(
            expanded || reported,
            "the directive on line {line} was passed over in silence ({flavor:?}):\n{content}\n--- diagnostics: {:?}",
            analysis.diagnostics
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_directive_is_expanded_or_reported_never_passed_over(
        cases in prop::collection::vec(case(), 1..4),
    ) {
        // Each case alone (an error in one case would fail the whole chapter and so hide the
        // others), then all of them in one chapter.
        let joined = cases.join("\n\n");
        for content in cases.iter().chain([&joined]) {
            let content = format!("{content}\n");
            check_chapter(&content, MarkdownFlavor::default())?;
            check_chapter(&content, MarkdownFlavor { definition_lists: false, admonitions: false })?;
        }
    }
}

#[test]
fn the_examples_of_the_class() {
    let flavor = MarkdownFlavor::default();
    for content in [
        "<<#trd tdd>>\n---\n",
        "<<#trd tdd>>\n===\n",
        "# <<#trd tdd>>\n",
        "Intro.\n<<#trd index>>\n",
        "> Note.\n<<#trd tdd>>\n",
        "- item\n<<#trd index>>\n",
        "- [ ] <<#trd index>>\n",
        "Term\n: <<#trd index>>\n",
    ] {
        check_chapter(content, flavor).unwrap();
        // And the oracle does see each of them.
        assert_eq!(
            visible_directive_lines(content, flavor.options()).len(),
            1,
            "{content:?}"
        );
    }
}
