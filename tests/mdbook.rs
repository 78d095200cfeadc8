//! The real mdBook binaries (0.5.4 and 0.4.52) build books with the preprocessor.

mod common;

use common::{Mdbook, build, read, repo};

/// The lines of `markdown` outside fenced code blocks.
fn prose_lines(markdown: &str) -> Vec<&str> {
    let mut fenced = false;
    markdown
        .lines()
        .filter(|line| {
            let t = line.trim_start();
            if t.starts_with("```") || t.starts_with("~~~") {
                fenced = !fenced;
                return false;
            }
            !fenced
        })
        .collect()
}

#[test]
fn example_book_expands_every_directive() {
    let docs = [
        (
            "designs/shipment-events.md",
            "# Technical Design Document (TDD): Shipment event ingestion",
        ),
        (
            "designs/rate-limiting.md",
            "# TRD-14: Partner API rate limiting",
        ),
        (
            "designs/carrier-webhooks.md",
            "# Technical Design: Carrier webhook delivery",
        ),
        (
            "designs/eta-prediction.md",
            "# ETA prediction service — Technical Design Document",
        ),
        ("designs/search-index.md", "# TRD: Shipment search index"),
    ];
    for mdbook in Mdbook::ALL {
        let built = build("example-book", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        assert!(
            !built.stderr().contains("mdbook-trd") && !built.stderr().contains("warning["),
            "{mdbook:?} printed: {}",
            built.stderr()
        );
        for (path, title) in docs {
            let md = built.markdown_page(path);
            assert!(
                md.starts_with(&format!("{title}\n")),
                "{mdbook:?} {path}:\n{md}"
            );
            assert!(
                prose_lines(&md)
                    .iter()
                    .all(|l| !l.trim_start().starts_with("<<#trd")),
                "{mdbook:?} {path} still holds a directive:\n{md}"
            );
            let html = built.html_page(&path.replace(".md", ".html"));
            assert!(
                html.contains(&title[2..]),
                "{mdbook:?} {path}: title not in the HTML"
            );
        }
        // Metadata reaches the page; authored text after the directive is kept.
        let md = built.markdown_page("designs/shipment-events.md");
        assert!(md.contains("| **Author** | Priya Raman |\n"), "{md}");
        assert!(md.contains("| **Status** | **\\[Approved\\]** |\n"), "{md}");
        assert!(md.contains("| **Last Updated** | 2026-10-03 |\n"), "{md}");
        // A reference into the book shows the chapter's title, not its path.
        assert!(
            md.contains("| **PRD** | [Live tracking PRD](../product/tracking-prd.md) |\n"),
            "{md}"
        );
        assert!(
            md.contains("**Architect:** Henrik Solberg - 2026-10-02"),
            "{md}"
        );
        let html = built.html_page("designs/shipment-events.html");
        assert!(
            html.contains("href=\"../product/tracking-prd.html\">Live tracking PRD</a>"),
            "{mdbook:?}: PRD link"
        );
        // The same for a PRD the book holds; a web address stays a link to itself.
        let eta = built.markdown_page("designs/eta-prediction.md");
        assert!(
            eta.contains("| **Source PRD** | [ETA prediction PRD](../product/eta-prd.md) |"),
            "{eta}"
        );
        let rate = built.markdown_page("designs/rate-limiting.md");
        assert!(
            rate.contains("[https://adr.tidewater.example/0031-token-buckets](https://adr.tidewater.example/0031-token-buckets)"),
            "{rate}"
        );
        // The design index lists every doc, with approvals from both forms.
        let index = built.markdown_page("design-index.md");
        // The full table, the filtered one, and one per status present (five).
        assert_eq!(index.matches("\n|---").count(), 2 + 5, "{index}");
        assert!(index.contains("|12|[Shipment event ingestion](designs/shipment-events.md)|Approved|2026-10-03|3/3|"), "{index}");
        assert!(index.contains("|14|[Partner API rate limiting](designs/rate-limiting.md)|Jonas Berg|2/3 — missing: Product Owner|"), "{index}");
        // The guide shows directives literally: the fenced one is untouched.
        let guide = built.markdown_page("guides/writing-design-docs.md");
        assert_eq!(
            guide,
            read(&repo().join("example-book/src/guides/writing-design-docs.md"))
        );
    }
}

#[test]
fn look_alikes_survive_byte_for_byte_and_escapes_render_literally() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/literal", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        for page in ["literal.md", "escaped.md"] {
            let source = read(&repo().join("tests/books/literal/src").join(page));
            assert_eq!(built.markdown_page(page), source, "{mdbook:?} {page}");
        }
        let html = built.html_page("escaped.html");
        assert!(
            html.contains("&lt;&lt;#trd tdd title="),
            "{mdbook:?}: {html}"
        );
        assert!(
            !html.contains("\\&lt;&lt;#trd"),
            "{mdbook:?}: backslash shown"
        );
        // The directive in a list item is left alone, with a warning naming file and line.
        assert!(
            built.stderr().contains(
                "src/literal.md:37:3: warning[nested-directive]: a directive inside a list, block quote, table, definition list or footnote is not expanded"
            ),
            "{mdbook:?}: {}",
            built.stderr()
        );
    }
}

#[test]
fn unknown_template_fails_the_build_with_file_line_and_known_names() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/failing", mdbook, "");
        assert!(!built.succeeded(), "{mdbook:?} built a broken book");
        let stderr = built.stderr();
        assert!(
            stderr.contains(
                "src/broken.md:5:8: error[unknown-template]: unknown template \"tddd\"; known: design, product-tdd, tdd, trd, trd-numbered"
            ),
            "{mdbook:?}: {stderr}"
        );
        assert!(stderr.contains("help: write one of the known names, e.g. `<<#trd tdd ...>>`"));
        assert!(
            !built.html().join("good.html").exists(),
            "{mdbook:?}: wrote a half-built book"
        );
    }
}

#[test]
fn nested_chapters_parts_drafts_prefix_and_suffix() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/nested", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        for (page, first) in [
            ("prefix.md", "# Technical Design: Prefix doc\n"),
            ("deep/child.md", "# TRD: Child doc\n"),
            ("other.md", "# Other doc — Technical Design Document\n"),
            ("suffix.md", "# TRD-9: Suffix doc\n"),
        ] {
            let md = built.markdown_page(page);
            assert!(md.starts_with(first), "{mdbook:?} {page}:\n{md}");
        }
        assert_eq!(built.markdown_page("top.md"), "# Top\n\nA plain chapter.\n");
        let grandchild = built.markdown_page("deep/deeper/grandchild.md");
        assert!(
            grandchild.starts_with(
                "# Grandchild\n\nBefore.\n\n# Technical Design Document (TDD): Grandchild doc\n"
            ),
            "{grandchild}"
        );
        assert!(
            grandchild.contains("| **Author** | Grace Hopper |\n"),
            "{grandchild}"
        );
        // Text between the directive and the first heading is the preamble, under the title.
        assert!(
            grandchild.contains("\n\n---\n\nAfter.\n\n## Overview\n"),
            "{grandchild}"
        );
        let child = built.markdown_page("deep/child.md");
        assert!(
            child.contains("\n\n## Notes\n\nChild notes.\n\n## 1. Overview\n"),
            "{child}"
        );
    }
}

#[test]
fn strict_mode_fails_on_warnings() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/literal", mdbook, "strict = true");
        assert!(
            !built.succeeded(),
            "{mdbook:?}: strict mode let a warning pass"
        );
        assert!(
            built.stderr().contains(
                "src/literal.md:37:3: error[nested-directive]: a directive inside a list"
            )
        );
    }
}

/// True when a line holds an HTML tag (comments aside).
fn has_html_tag(line: &str) -> bool {
    line.match_indices('<').any(|(i, _)| {
        let escaped = line[..i].ends_with('\\');
        let rest = &line[i + 1..];
        !escaped && rest.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/')
    })
}

#[test]
fn html_gets_badges_and_markdown_gets_plain_text() {
    for mdbook in Mdbook::ALL {
        let built = build("example-book", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        for (page, status) in [
            ("designs/shipment-events", "Approved"),
            ("designs/rate-limiting", "In Review"),
            ("designs/carrier-webhooks", "In Progress"),
            ("designs/eta-prediction", "Parked"),
            ("designs/search-index", "Superseded"),
            ("designs/unified-search", "In Review"),
        ] {
            let md = built.markdown_page(&format!("{page}.md"));
            let tagged: Vec<&str> = prose_lines(&md)
                .into_iter()
                .filter(|l| has_html_tag(l))
                .collect();
            assert!(
                tagged.is_empty(),
                "{mdbook:?} {page}: HTML in the markdown output: {tagged:?}"
            );
            // The badge once, in the header's Status row, the completeness under it.
            let badge = format!("**\\[{status}\\]**");
            assert!(
                md.contains(&format!("| **Status** | {badge} |\n| **Completeness** | ")),
                "{mdbook:?} {page}: no plain badge in the header:\n{md}"
            );
            assert_eq!(md.matches(&badge).count(), 1, "{mdbook:?} {page}:\n{md}");
            let html = built.html_page(&format!("{page}.html"));
            assert!(
                html.contains(&format!(">{status}</span>")),
                "{mdbook:?} {page}: no HTML badge"
            );
            assert_eq!(
                html.matches("class=\"trd-badge\"").count(),
                1,
                "{mdbook:?} {page}: one HTML badge"
            );
        }
        // Merged: authored sections fill the skeleton, nothing is left after it.
        let md = built.markdown_page("designs/unified-search.md");
        assert!(
            md.contains("## Problem Statement\n\nThree search paths"),
            "{md}"
        );
        assert!(md.contains("## Goals\n\n- Goal 1: one index"), "{md}");
        assert!(
            md.contains("| **Completeness** | 5/25 sections written |"),
            "{md}"
        );
        assert!(
            md.contains("**Supersedes:** [Shipment search index](search-index.md)"),
            "{md}"
        );
        let old = built.markdown_page("designs/search-index.md");
        assert!(
            old.contains("**Superseded by:** [Unified search service](unified-search.md)"),
            "{old}"
        );
        assert_eq!(md.matches("## Problem Statement").count(), 1, "{md}");
    }
}

#[test]
fn unknown_statuses_and_dangling_references_warn_or_fail_in_strict_mode() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/statuses", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let stderr = built.stderr();
        assert!(
            stderr.contains("src/unknown.md:3:28: warning[unknown-status]: unknown status \"Sleeping\"; known: Draft, In Review, Approved, In Progress, Implemented, Complete, Superseded, Deprecated, Rejected"),
            "{mdbook:?}: {stderr}"
        );
        // Once per build, though mdBook runs the preprocessor for both renderers.
        assert_eq!(
            stderr.matches("warning[unknown-status]").count(),
            1,
            "{mdbook:?}: {stderr}"
        );
        assert!(
            stderr.contains("src/dangling.md:2:3: warning[supersede-unknown]: `superseded-by` names no design doc in this book: \"99\""),
            "{mdbook:?}: {stderr}"
        );
        // An alias from book.toml resolves to the lifecycle's name.
        assert!(
            built
                .markdown_page("known.md")
                .contains("| **Status** | **\\[In Review\\]** |\n")
        );

        let strict = build("tests/books/statuses", mdbook, "strict = true");
        assert!(
            !strict.succeeded(),
            "{mdbook:?}: strict mode let warnings pass"
        );
        assert!(
            strict
                .stderr()
                .contains("src/unknown.md:3:28: error[unknown-status]: unknown status")
        );
        let env = common::build_with_env(
            "tests/books/statuses",
            mdbook,
            "",
            &[("MDBOOK_TRD_STRICT", "1")],
        );
        assert!(
            !env.succeeded(),
            "{mdbook:?}: MDBOOK_TRD_STRICT=1 let warnings pass"
        );
    }
}

/// `mdbook test` hands every code block rustdoc would compile to rustdoc: no skeleton may
/// hold one that is not Rust (the `design` sketch once was an unlabelled fence of arrows).
#[test]
fn mdbook_test_passes_on_every_builtin_template_and_the_example_book() {
    for mdbook in Mdbook::ALL {
        let (_example, output) = common::mdbook_test("example-book", mdbook);
        assert!(
            output.status.success(),
            "{mdbook:?}: mdbook test failed on example-book\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let (dir, output) = common::mdbook_test("tests/books/templates", mdbook);
        assert!(
            output.status.success(),
            "{mdbook:?}: mdbook test failed on the five templates\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Doctests really ran beside the skeletons: the same book with a block that is not
        // Rust fails.
        let root = dir.path().join("book-src");
        std::fs::write(
            root.join("src/rust.md"),
            "# Broken\n\n```rust\nthis is not Rust\n```\n",
        )
        .unwrap();
        let failed = std::process::Command::new(mdbook.binary())
            .arg("test")
            .arg(&root)
            .env("PATH", common::path_with_trd())
            .output()
            .unwrap();
        assert!(
            !failed.status.success(),
            "{mdbook:?}: mdbook test passed a chapter that is not Rust"
        );
    }
}
