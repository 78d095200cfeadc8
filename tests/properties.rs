//! Properties, on generated chapters and books: nothing the author wrote is ever dropped, and
//! each section's lines stay together and in order; every byte outside a directive is kept;
//! a book never makes the preprocessor panic, comes out the same from mdBook 0.4's and 0.5's
//! shapes, and comes through a second run unchanged.

use mdbook_trd::analysis::chapter::Chapter;
use mdbook_trd::analysis::expand::expand_standalone;
use mdbook_trd::markdown::flavor::MarkdownFlavor;
use mdbook_trd::model::sections::headings::top_level_headings;
use mdbook_trd::model::sections::outline::{heading_key, match_key};
use mdbook_trd::render::mode::RenderMode;
use proptest::prelude::*;

/// Headings that match skeleton sections of the built-ins (at several depths), near misses,
/// numbered forms, and free text.
fn heading_text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Overview".to_owned()),
        Just("Problem Statement".to_owned()),
        Just("goals".to_owned()),
        Just("3.1 Functional Requirements".to_owned()),
        Just("Non-Goals".to_owned()),
        Just("API Design".to_owned()),
        Just("New Endpoints".to_owned()),
        Just("Rollback Plan".to_owned()),
        Just("Approval".to_owned()),
        Just("Team".to_owned()),
        Just("Background".to_owned()),
        "[A-Za-z][a-z ]{0,12}[a-z]",
    ]
}

/// One block of a section body.
fn block() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 ,.]{0,30}".prop_map(|l| vec![l]),
        prop::collection::vec("[a-z]{1,8}", 1..3)
            .prop_map(|items| items.into_iter().map(|i| format!("- {i}")).collect()),
        // Code holding lines that look like headings.
        "[a-z ]{0,10}".prop_map(|l| vec![
            "```".to_owned(),
            format!("# {l}"),
            "## not a heading".to_owned(),
            "```".to_owned()
        ]),
        Just(vec![
            "| a | b |".to_owned(),
            "|---|---|".to_owned(),
            "| 1 | 2 |".to_owned()
        ]),
    ]
}

#[derive(Debug, Clone)]
struct Section {
    level: usize,
    heading: String,
    body: Vec<Vec<String>>,
}

fn section() -> impl Strategy<Value = Section> {
    (
        1usize..=4,
        heading_text(),
        prop::collection::vec(block(), 0..3),
    )
        .prop_map(|(level, heading, body)| Section {
            level,
            heading,
            body,
        })
}

fn section_lines(s: &Section) -> Vec<String> {
    let mut lines = vec![format!("{} {}", "#".repeat(s.level), s.heading)];
    lines.extend(s.body.iter().flatten().cloned());
    lines.into_iter().map(|l| l.trim_end().to_owned()).collect()
}

fn chapter_text(
    template: &str,
    preamble: &[Vec<String>],
    sections: &[Section],
    crlf: bool,
) -> String {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut out = format!("Before the doc.{nl}{nl}<<#trd {template} title=\"Generated\">>{nl}{nl}");
    for block in preamble {
        out.push_str(&block.join(nl));
        out.push_str(nl);
        out.push_str(nl);
    }
    for s in sections {
        out.push_str(&format!("{} {}{nl}{nl}", "#".repeat(s.level), s.heading));
        for block in &s.body {
            out.push_str(&block.join(nl));
            out.push_str(nl);
            out.push_str(nl);
        }
    }
    out
}

/// True when `needle` appears in `haystack` as consecutive items.
fn contains_run(haystack: &[&str], needle: &[String]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|w| w.iter().zip(needle).all(|(a, b)| *a == b))
}

/// An ATX heading line without its opening `#`s: what stays of a heading the page shows at
/// another level (issue 16: only the markers change).
fn unmarked(line: &str) -> &str {
    let hashes = line.bytes().take_while(|&b| b == b'#').count();
    match line[hashes..].strip_prefix(' ') {
        Some(words) if (1..=6).contains(&hashes) => words,
        _ => line,
    }
}

/// [`contains_run`] for a section: its heading line at any level, then its body as written.
fn contains_section(haystack: &[&str], needle: &[String]) -> bool {
    haystack.windows(needle.len()).any(|w| {
        unmarked(w[0]) == unmarked(&needle[0])
            && w[1..].iter().zip(&needle[1..]).all(|(a, b)| *a == b)
    })
}

/// Both steps on one chapter named "Doc".
fn run(text: &str) -> (Option<String>, mdbook_trd::analysis::chapter::Analysis) {
    expand_standalone(
        Chapter {
            name: "Doc",
            content: text,
            file: None,
            path: None,
        },
        RenderMode::Html,
    )
}

fn expand(text: &str) -> String {
    let (content, analysis) = run(text);
    // Notes say which headings moved; nothing else is expected.
    assert!(
        analysis.diagnostics.iter().all(|d| d.is_note()),
        "{:?}",
        analysis.diagnostics
    );
    content.expect("a design doc")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn nothing_authored_is_dropped(
        template in prop::sample::select(vec!["trd", "trd-numbered", "design", "product-tdd", "tdd"]),
        preamble in prop::collection::vec(block(), 0..2),
        sections in prop::collection::vec(section(), 0..12),
        crlf in any::<bool>(),
    ) {
        let text = chapter_text(template, &preamble, &sections, crlf);
        let out = expand(&text);
        let out_lines: Vec<&str> = out
            .lines()
            .map(str::trim_end)
            .filter(|l| !l.is_empty())
            .collect();
        prop_assert!(out.starts_with("Before the doc."));
        let preamble_lines: Vec<String> =
            preamble.iter().flatten().map(|l| l.trim_end().to_owned()).collect();
        prop_assert!(contains_run(&out_lines, &preamble_lines), "preamble lost:\n{}", out);
        for s in &sections {
            let lines = section_lines(s);
            prop_assert!(
                contains_section(&out_lines, &lines),
                "section {:?} not together and in order in:\n{}\n--- from:\n{}",
                s.heading, out, text
            );
        }
        // Every authored line, counted with multiplicity, is in the output; a heading line at
        // any level.
        let headings: Vec<String> = sections.iter().map(|s| section_lines(s)[0].clone()).collect();
        let same = |line: &str, other: &str| {
            if headings.iter().any(|h| h == line) {
                unmarked(line) == unmarked(other)
            } else {
                line == other
            }
        };
        for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty() && !l.starts_with("<<#trd")) {
            let wanted = text.lines().filter(|l| same(line, l.trim_end())).count();
            let found = out_lines.iter().filter(|l| same(line, l)).count();
            prop_assert!(found >= wanted, "{line:?}: {wanted} written, {found} in the output");
        }
        // One outline (issue 16): no skeleton section is taken under another parent by what
        // the author wrote, at whatever level the author wrote it.
        let misplaced = misplaced_skeleton_sections(template, &out);
        prop_assert!(misplaced.is_empty(), "{:?} moved in:\n{}\n--- from:\n{}", misplaced, out, text);
        // And an unmatched section stays under the section it was written under.
        let strayed = strayed_authored_sections(template, &sections, &out);
        prop_assert!(strayed.is_empty(), "{:?} in:\n{}\n--- from:\n{}", strayed, out, text);
        // Building twice changes nothing: the output holds no directive any more.
        prop_assert_eq!(expand_or_same(&out), out.clone());
    }
}

/// Each heading of `text` as its match key, with its parent's: the outline mdBook's sidebar
/// shows.
fn outline(text: &str) -> Vec<(String, Option<String>)> {
    let mut ancestors: Vec<(u8, String)> = Vec::new();
    top_level_headings(text, MarkdownFlavor::default().options())
        .iter()
        .map(|h| {
            while ancestors.last().is_some_and(|(level, _)| *level >= h.level) {
                ancestors.pop();
            }
            let key = match_key(&heading_key(&h.text));
            let parent = ancestors.last().map(|(_, k)| k.clone());
            ancestors.push((h.level, key.clone()));
            (key, parent)
        })
        .collect()
}

/// The skeleton sections of `template` whose place in `out`'s outline is not their place in
/// the bare skeleton's: under another parent. Only sections whose key, and whose parent's,
/// occur once on both pages are compared (an author may write a heading twice).
fn misplaced_skeleton_sections(template: &str, out: &str) -> Vec<String> {
    let skeleton = outline(&expand(&format!("<<#trd {template}>>\n")));
    let page = outline(out);
    let once = |outline: &[(String, Option<String>)], key: &str| {
        !key.is_empty() && outline.iter().filter(|(k, _)| k == key).count() == 1
    };
    skeleton
        .iter()
        .filter(|(key, parent)| {
            let parent = parent.as_deref().unwrap_or_default();
            once(&skeleton, key)
                && once(&page, key)
                && once(&skeleton, parent)
                && once(&page, parent)
        })
        .filter(|(key, parent)| {
            let shown = page
                .iter()
                .find(|(k, _)| k == key)
                .and_then(|(_, p)| p.as_ref());
            shown != parent.as_ref()
        })
        .map(|(key, parent)| format!("{key} (under {parent:?})"))
        .collect()
}

/// The authored sections that match no skeleton section and are not shown under the section
/// they were written under (issue 16: an unmatched section stays with it). Only sections whose
/// key, and whose parent's, occur once among the authored ones and on the page are compared.
fn strayed_authored_sections(template: &str, sections: &[Section], out: &str) -> Vec<String> {
    let skeleton = outline(&expand(&format!("<<#trd {template}>>\n")));
    let page = outline(out);
    let keys: Vec<String> = sections
        .iter()
        .map(|s| match_key(&heading_key(&s.heading)))
        .collect();
    let once = |key: &str| {
        !key.is_empty()
            && keys.iter().filter(|k| *k == key).count() == 1
            && page.iter().filter(|(k, _)| k == key).count() == 1
    };
    let mut strayed = Vec::new();
    for (i, section) in sections.iter().enumerate() {
        let key = &keys[i];
        let Some(parent) = (0..i).rev().find(|&p| sections[p].level < section.level) else {
            continue;
        };
        if skeleton.iter().any(|(k, _)| k == key) || !once(key) || !once(&keys[parent]) {
            continue;
        }
        let shown = page
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, p)| p.as_ref());
        if shown != Some(&keys[parent]) {
            strayed.push(format!(
                "{key} (written under {}, shown under {shown:?})",
                keys[parent]
            ));
        }
    }
    strayed
}

/// Expands when there is a directive, else returns the text as is.
fn expand_or_same(text: &str) -> String {
    run(text).0.unwrap_or_else(|| text.to_owned())
}

// Whole books, through the protocol as mdBook drives it.

/// A value for an attribute: plain words, or the characters that matter to Markdown, HTML
/// and the directive syntax.
fn attribute_value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9 .-]{0,12}",
        "[A-Za-z<>{}\\[\\]*_`|#&;:'\" >=-]{1,16}",
        Just("Approved".to_owned()),
        Just("In Review".to_owned()),
        Just("1".to_owned()),
    ]
}

fn attributes(keys: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop::collection::vec((prop::sample::select(keys), attribute_value()), 0..4).prop_map(|pairs| {
        let mut seen = Vec::new();
        let mut out = String::new();
        for (key, value) in pairs {
            // Duplicates are an error of their own, covered by the corpus.
            if !seen.contains(&key) {
                seen.push(key);
                let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
                out.push_str(&format!(" {key}=\"{escaped}\""));
            }
        }
        out
    })
}

/// One block of a chapter, and whether it is a directive (which an expansion replaces).
fn piece() -> impl Strategy<Value = (String, bool)> {
    const DOC_KEYS: &[&str] = &[
        "title",
        "author",
        "status",
        "number",
        "date",
        "updated",
        "version",
        "supersedes",
    ];
    prop_oneof![
        4 => "[A-Za-z][A-Za-z0-9 ,.*_`<>&|#{}-]{0,40}".prop_map(|t| (t, false)),
        2 => (1usize..=4, heading_text()).prop_map(|(l, h)| (format!("{} {h}", "#".repeat(l)), false)),
        1 => (prop::sample::select(vec!["trd", "trd-numbered", "design", "product-tdd", "tdd"]), attributes(DOC_KEYS))
            .prop_map(|(t, a)| (format!("<<#trd {t}{a}>>"), true)),
        1 => (prop::sample::select(vec!["", " sort=\"-number\"", " sort=title", " group-by=status",
                " template=tdd", " status=\"Draft, In Review\""]))
            .prop_map(|a| (format!("<<#trd index{a}>>"), true)),
        1 => Just(("```\n<<#trd tdd>>\n# not a heading\n```".to_owned(), false)),
        1 => Just(("- <<#trd index>>\n- item".to_owned(), false)),
        1 => Just(("> <<#trd tdd>>".to_owned(), false)),
        1 => Just(("| Role | Name |\n|---|---|\n| Architect | Ana Ruiz |".to_owned(), false)),
        1 => Just(("- Architect: Ana Ruiz (2026-10-01)".to_owned(), false)),
    ]
}

#[derive(Debug, Clone)]
struct GeneratedChapter {
    name: String,
    pieces: Vec<(String, bool)>,
    crlf: bool,
    nested: bool,
}

impl GeneratedChapter {
    fn content(&self) -> String {
        let nl = if self.crlf { "\r\n" } else { "\n" };
        let blocks: Vec<String> = self
            .pieces
            .iter()
            .map(|(p, _)| p.replace('\n', nl))
            .collect();
        blocks.join(&format!("{nl}{nl}")) + nl
    }
}

fn generated_chapter() -> impl Strategy<Value = GeneratedChapter> {
    (
        "[A-Z][a-z]{2,8}( [a-z]{2,6})?",
        prop::collection::vec(piece(), 0..8),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, pieces, crlf, nested)| GeneratedChapter {
            name,
            pieces,
            crlf,
            nested,
        })
}

fn book_items(chapters: &[GeneratedChapter]) -> Vec<serde_json::Value> {
    chapters
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = if c.nested {
                format!("designs/deep/ch{i}.md")
            } else {
                format!("ch{i}.md")
            };
            serde_json::json!({"Chapter": {"name": c.name, "content": c.content(),
                "number": [i + 1], "sub_items": [], "path": path, "source_path": path,
                "parent_names": []}})
        })
        .collect()
}

/// mdBook's context; 0.5's Markdown extensions are turned off so that only the shape differs
/// from 0.4's.
fn host_context(version: &str) -> serde_json::Value {
    serde_json::json!({"root": "/nonexistent/generated", "renderer": "html",
        "mdbook_version": version, "config": {"book": {"src": "src"},
        "preprocessor": {"trd": {}},
        "output": {"html": {"definition-lists": false, "admonitions": false}}}})
}

/// The preprocessor on `input`: the book it wrote, or `None` after checking a failed run wrote
/// nothing.
fn protocol_run(input: &serde_json::Value) -> Option<Vec<u8>> {
    let bytes = serde_json::to_vec(input).unwrap();
    let (mut out, mut messages) = (Vec::new(), Vec::new());
    match mdbook_trd::edge::protocol::run(&bytes[..], &mut out, &mut messages, None) {
        Ok(()) => Some(out),
        Err(_) => {
            assert!(out.is_empty(), "a failed run wrote {} bytes", out.len());
            None
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Never a panic; the 0.4 and 0.5 shapes give the same book; a second run changes nothing.
    #[test]
    fn books_are_shape_independent_and_idempotent(
        chapters in prop::collection::vec(generated_chapter(), 0..6),
    ) {
        let items = book_items(&chapters);
        let v05 = protocol_run(&serde_json::json!([host_context("0.5.4"), {"items": items}]));
        let v04 = protocol_run(&serde_json::json!([host_context("0.4.52"),
            {"sections": items, "__non_exhaustive": null}]));
        prop_assert_eq!(v05.is_some(), v04.is_some());
        let (Some(v05), Some(v04)) = (v05, v04) else { return Ok(()) };
        let a: serde_json::Value = serde_json::from_slice(&v05).unwrap();
        let b: serde_json::Value = serde_json::from_slice(&v04).unwrap();
        prop_assert_eq!(&a["items"], &b["sections"]);
        let again = protocol_run(&serde_json::json!([host_context("0.5.4"), a]))
            .expect("the preprocessor accepts its own output");
        prop_assert!(again == v05, "a second run changed the book");
    }

    /// A chapter with no template directive: every byte outside its index directives comes
    /// back as written, in order.
    #[test]
    fn bytes_outside_directives_are_preserved(chapter in generated_chapter()) {
        let mut chapter = chapter;
        chapter.pieces.retain(|(p, _)| !p.starts_with("<<#trd ") || p.starts_with("<<#trd index"));
        let content = chapter.content();
        let items = book_items(std::slice::from_ref(&chapter));
        let out = protocol_run(&serde_json::json!([host_context("0.5.4"), {"items": items}]))
            .expect("index directives on their own always expand");
        let book: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let out = book["items"][0]["Chapter"]["content"].as_str().unwrap();
        // Split the source at the directives: what lies between them is kept verbatim.
        let nl = if chapter.crlf { "\r\n" } else { "\n" };
        let mut kept: Vec<String> = vec![String::new()];
        for (i, (piece, is_directive)) in chapter.pieces.iter().enumerate() {
            if *is_directive {
                kept.push(String::new());
            } else {
                let last = kept.last_mut().unwrap();
                last.push_str(&piece.replace('\n', nl));
            }
            let last = kept.last_mut().unwrap();
            if i + 1 < chapter.pieces.len() {
                last.push_str(nl);
                last.push_str(nl);
            }
        }
        let mut at = 0;
        for (i, segment) in kept.iter().enumerate() {
            let segment = segment.trim_start_matches(['\r', '\n']);
            match out[at..].find(segment) {
                Some(found) => {
                    prop_assert!(i > 0 || found == 0, "the start moved:\n{out}");
                    at += found + segment.len();
                }
                None => prop_assert!(false, "{segment:?} lost from:\n{out}\n--- source:\n{content}"),
            }
        }
    }
}
