//! The search index of a built book holds what authors wrote and none of the templates'
//! guidance or sample content, with mdBook 0.5.4 and 0.4.52; and the `unwritten` policy
//! shrinks the page as it says while completeness stays the same.

mod common;

use std::path::Path;

use common::{Mdbook, build};
use mdbook_trd::model::template::{Fallback, Segment, Templates};

/// The text of the search index a build wrote (0.5 names it `searchindex-HASH.js`, 0.4
/// `searchindex.js`), JSON inside a JavaScript string.
fn search_index(html: &Path) -> String {
    let file = std::fs::read_dir(html)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            name.starts_with("searchindex") && name.ends_with(".js")
        })
        .expect("a search index");
    common::read(&file)
}

/// Every guidance text of the built-in templates outside headings (headings stay searchable:
/// mdBook makes their anchors and the sidebar from their text) that the index could hold as
/// written: no quote, apostrophe or backslash, which the index escapes.
fn guidance_texts() -> Vec<String> {
    let templates = Templates::built_in();
    let mut headings = String::new();
    for template in templates.iter() {
        for segment in template.sections().iter().flat_map(|s| &s.heading) {
            match segment {
                Segment::Text(range) => headings.push_str(template.text(range)),
                Segment::Guidance(hint) => headings.push_str(&hint.text),
                // The doc's values, not the template's words.
                _ => {}
            }
        }
        headings.push('\n');
    }
    let mut texts = Vec::new();
    for template in templates.iter() {
        for segment in template.segments() {
            let hint = match segment {
                Segment::Guidance(hint) => hint,
                Segment::Field {
                    fallback: Fallback::Guidance(hint),
                    ..
                } => hint,
                _ => continue,
            };
            let text = &hint.text;
            if !headings.contains(text.as_str())
                && text.split_whitespace().count() >= 2
                && !text.contains(['"', '\'', '\\', '<', '>', '&'])
                && !texts.contains(text)
            {
                texts.push(text.clone());
            }
        }
    }
    texts
}

#[test]
fn the_search_index_holds_no_guidance_and_every_written_word() {
    let guidance = guidance_texts();
    assert!(guidance.len() > 100, "{guidance:?}");
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/templates", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let index = search_index(&built.html());
        let held: Vec<&String> = guidance.iter().filter(|g| index.contains(*g)).collect();
        assert!(held.is_empty(), "{mdbook:?}: the index holds {held:?}");
        // Nor the templates' sample content: a code sketch, sample list items, table cells.
        // (Sample mermaid diagrams stay diagrams, which a diagram preprocessor must read, so
        // their labels are the one template text an index may hold.)
        for sample in [
            "Service → Repository",
            "Rate limit exceeded",
            "Invalid request",
            "Response time",
        ] {
            assert!(
                !index.contains(sample),
                "{mdbook:?}: the index holds {sample:?}"
            );
        }
        // What is not guidance stays searchable: headings, metadata and authors' text.
        for kept in [
            "Problem Statement",
            "Rollout Plan",
            "The design skeleton",
            "compile and run",
        ] {
            assert!(index.contains(kept), "{mdbook:?}: the index lost {kept:?}");
        }
        // And readers still see the guidance on the page: it is in the HTML, shown by the
        // page's own style rule (the browser test checks what Chromium draws).
        // (0.5 writes attributes in double quotes; 0.4 passes ours on in single ones.)
        let page = built
            .html_page("design.html")
            .replace("data-trd-text='", "data-trd-text=\"");
        assert!(
            page.contains(
                "data-trd-text=\"[Describe the problem from the user/business perspective."
            )
        );
        assert!(page.contains(mdbook_trd::render::page::PAGE_STYLE));
    }
}

#[test]
fn outline_keeps_headings_and_hide_names_what_it_hid() {
    for mdbook in Mdbook::ALL {
        let outline = build("tests/books/templates", mdbook, "unwritten = \"outline\"");
        assert!(outline.succeeded(), "{}", outline.stderr());
        let page = outline.markdown_page("design.md");
        assert!(
            page.contains("## Problem Statement\n\n*Not written yet*\n\n## Goals\n"),
            "{page}"
        );
        assert!(!page.contains("Describe the problem"), "{page}");
        assert!(page.contains("0/25 sections written"), "{page}");

        let hide = build(
            "tests/books/templates",
            mdbook,
            "unwritten = \"show\"\n\n[preprocessor.trd.statuses.Draft]\nunwritten = \"hide\"",
        );
        assert!(hide.succeeded(), "{}", hide.stderr());
        let page = hide.markdown_page("design.md");
        assert!(!page.contains("## Problem Statement"), "{page}");
        assert!(page.contains("0/25 sections written"), "{page}");
        assert!(
            page.contains(
                "*Not written yet: Problem Statement, Goals, Non-Goals, Proposed Solution, \
                 Open Questions, Success Metrics, References, Appendix.*"
            ),
            "{page}"
        );
        // The metadata is the doc's own, so it stays; the hide line comes right after it.
        assert!(
            page.contains(
                "| **Context** | *\\[Link to PRD, Epic, or Jira ticket\\]* |\n\n*Not written yet: Problem"
            ),
            "{page}"
        );
        let html = hide.html_page("design.html");
        assert!(!html.contains("id=\"problem-statement\""), "{mdbook:?}");
        let index = search_index(&hide.html());
        assert!(!index.contains("Not written yet"), "{mdbook:?}");
    }
}
