//! Section merging on any authored text after a template directive: never a panic; an
//! expansion, or a diagnostic saying why not; every line the author wrote is in it; and expanding
//! the expansion changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mdbook_trd::analysis::chapter::Chapter;
use mdbook_trd::analysis::expand::expand_standalone;
use mdbook_trd::render::mode::RenderMode;
use mdbook_trd_fuzz::{TEMPLATES, assert_lines_survive};

fn expand(
    content: &str,
    mode: RenderMode,
) -> (Option<String>, mdbook_trd::analysis::chapter::Analysis) {
    let chapter = Chapter {
        name: "Doc",
        content,
        file: None,
        path: None,
    };
    expand_standalone(chapter, mode)
}

/// The authored body less the directive that was expanded, when that is not the one this target
/// wrote first: when the first one is not a directive paragraph (a `:` line after it makes it a
/// definition term, with a warning), a template directive the body holds is the doc's, and its
/// own lines are legitimately replaced by the expansion.
fn without_expanded_directive(
    content: &str,
    analysis: &mdbook_trd::analysis::chapter::Analysis,
    body: &str,
) -> String {
    let head = content.len() - body.len();
    let Some(plan) = analysis.plan.as_ref() else {
        return body.to_owned();
    };
    if plan.start < head {
        return body.to_owned();
    }
    // The directive ends where the authored text after it starts (a `>>` inside a quoted
    // value does not end it).
    let start = plan.start - head;
    let end = plan
        .authored
        .preamble
        .start
        .saturating_sub(head)
        .clamp(start, body.len());
    format!("{}{}", &body[..start], &body[end..])
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, body)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(body) else {
        return;
    };
    let template = TEMPLATES[usize::from(choice) % TEMPLATES.len()];
    let mode = if choice & 0x80 == 0 {
        RenderMode::Html
    } else {
        RenderMode::Plain
    };
    let content = format!("<<#trd {template}>>\n\n{body}");
    let (out, analysis) = expand(&content, mode);
    if analysis.has_errors() {
        assert!(out.is_none());
        return;
    }
    // The directive can turn out not to be a paragraph of its own (a `: ` line after it makes
    // it a definition term): then a warning must say it was not expanded.
    let Some(out) = out else {
        assert!(
            !analysis.diagnostics.is_empty(),
            "a directive passed over in silence"
        );
        return;
    };
    // An index directive in the body is replaced by its table, so its own lines go.
    if analysis.indexes.is_empty() {
        assert_lines_survive(&without_expanded_directive(&content, &analysis, body), &out);
    }
    let (again, analysis) = expand(&out, mode);
    assert!(!analysis.has_errors(), "{:?}", analysis.diagnostics);
    if let Some(again) = again {
        assert_eq!(again, out, "the second expansion changed the chapter");
    }
});
