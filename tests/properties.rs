//! Properties of section merging, on generated authored documents: nothing the author wrote is
//! ever dropped, and each section's lines stay together and in order.

use mdbook_trd::expand::{Chapter, expand_standalone};
use mdbook_trd::render::RenderMode;
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

/// Both steps on one chapter named "Doc".
fn run(text: &str) -> (Option<String>, mdbook_trd::expand::Analysis) {
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
    assert!(
        analysis.diagnostics.is_empty(),
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
                contains_run(&out_lines, &lines),
                "section {:?} not together and in order in:\n{}\n--- from:\n{}",
                s.heading, out, text
            );
        }
        // Every authored line, counted with multiplicity, is in the output.
        for line in text.lines().map(str::trim_end).filter(|l| !l.is_empty() && !l.starts_with("<<#trd")) {
            let wanted = text.lines().filter(|l| l.trim_end() == line).count();
            let found = out_lines.iter().filter(|l| **l == line).count();
            prop_assert!(found >= wanted, "{line:?}: {wanted} written, {found} in the output");
        }
        // Building twice changes nothing: the output holds no directive any more.
        prop_assert_eq!(expand_or_same(&out), out.clone());
    }
}

/// Expands when there is a directive, else returns the text as is.
fn expand_or_same(text: &str) -> String {
    run(text).0.unwrap_or_else(|| text.to_owned())
}
