//! The approval index, built by the real mdBook: links that resolve from any depth, approvals
//! in both forms, filters, sorting, grouping, columns, hostile titles, and the strict checks.

mod common;

use std::path::{Component, Path, PathBuf};

use common::{Mdbook, build};

/// The `href`s of every link in the HTML tables of a page.
fn table_links(html: &str) -> Vec<String> {
    let mut links = Vec::new();
    for table in html.split("<table>").skip(1) {
        let table = table.split("</table>").next().unwrap_or_default();
        for part in table.split("<a href=\"").skip(1) {
            links.push(part.split('"').next().unwrap_or_default().to_owned());
        }
    }
    links
}

/// `base` (a folder) joined with a relative link, `..` resolved.
fn resolve(base: &Path, href: &str) -> PathBuf {
    let mut out = PathBuf::new();
    for c in base
        .join(href.split('#').next().unwrap_or_default())
        .components()
    {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The Markdown of the section under `heading` (up to the next `## `).
fn section<'a>(markdown: &'a str, heading: &str) -> &'a str {
    let start = markdown
        .find(heading)
        .unwrap_or_else(|| panic!("{heading} in:\n{markdown}"));
    let rest = &markdown[start + heading.len()..];
    &rest[..rest.find("\n## ").unwrap_or(rest.len())]
}

#[test]
fn every_title_link_resolves_from_any_depth() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/index", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        for page in ["index.html", "reports/deep/index-page.html"] {
            let html = built.html_page(page);
            let links = table_links(&html);
            assert!(links.len() >= 3, "{mdbook:?} {page}: {links:?}");
            let dir = built.html().join(page).parent().unwrap().to_path_buf();
            for href in links {
                let target = resolve(&dir, &href);
                assert!(
                    target.is_file(),
                    "{mdbook:?} {page}: {href} -> {} missing",
                    target.display()
                );
            }
        }
    }
}

#[test]
fn approvals_filters_sorting_grouping_and_columns() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/index", mdbook, "");
        assert!(built.succeeded(), "{mdbook:?}: {}", built.stderr());
        let md = built.markdown_page("reports/deep/index-page.md");

        let all = section(&md, "## All");
        assert!(
            all.contains("**3 design docs:** Draft 1 · In Review 1 · Approved 1"),
            "{all}"
        );
        assert!(
            all.contains("|No.|Title|Template|Status|Author|Updated|Approvals|Written|"),
            "{all}"
        );
        // Line form (Alpha) and table form (Beta): 2/3 with the missing role named.
        assert!(all.contains("|3|[Alpha](../../a/alpha.md)|tdd|Approved|Ada|2026-03-01|2/3 — missing: Security Review|"), "{all}");
        assert!(all.contains("|1|[Beta](../../a/b/beta.md)|trd-numbered|In Review|Bob|2026-01-05|2/3 — missing: Product Owner|"), "{all}");
        // SUMMARY order by default.
        let (a, b, g) = (
            all.find("[Alpha]").unwrap(),
            all.find("[Beta]").unwrap(),
            all.find("[Gamma").unwrap(),
        );
        assert!(a < b && b < g, "{all}");

        let review = section(&md, "## In review");
        assert!(review.contains("|Title|Approvals|\n|-----|---------|\n|[Beta](../../a/b/beta.md)|2/3 — missing: Product Owner|\n"), "{review}");
        assert!(!review.contains("Alpha"));

        let by_number = section(&md, "## By number, descending");
        let (three, two, one) = (
            by_number.find("|3|").unwrap(),
            by_number.find("|2|").unwrap(),
            by_number.find("|1|").unwrap(),
        );
        assert!(three < two && two < one, "{by_number}");

        let grouped = section(&md, "## By template");
        let design = grouped.find("**design** (1)").unwrap();
        let tdd = grouped.find("**tdd** (1)").unwrap();
        let numbered = grouped.find("**trd-numbered** (1)").unwrap();
        assert!(design < tdd && tdd < numbered, "{grouped}");
        assert_eq!(grouped.matches("|Title|Status|").count(), 3, "{grouped}");

        // The index in the root chapter links down into the folders.
        let root = built.markdown_page("index.md");
        assert!(root.contains("|3|[Alpha](a/alpha.md)|"), "{root}");
    }
}

#[test]
fn a_hostile_title_cannot_break_the_table() {
    let built = build("tests/books/index", Mdbook::V05, "");
    assert!(built.succeeded(), "{}", built.stderr());
    let html = built.html_page("reports/deep/index-page.html");
    let all = html
        .split("<table>")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    // Every row has exactly eight cells: the `|` in the title did not split one.
    for row in all.split("<tr>").skip(2) {
        assert_eq!(row.matches("<td>").count(), 8, "{row}");
    }
    assert!(
        all.contains("Gamma | &lt;b&gt;bold&lt;/b&gt; [x](y) *star* `tick`</a>"),
        "{all}"
    );
    assert!(
        !all.contains("<b>bold</b>")
            && !all.contains("<em>star</em>")
            && !all.contains("<code>tick")
    );
}

#[test]
fn approved_docs_missing_sign_offs_warn_and_fail_in_strict_mode() {
    for mdbook in Mdbook::ALL {
        let built = build("tests/books/index", mdbook, "");
        assert!(built.succeeded());
        assert!(
            built.stderr().contains("src/a/alpha.md:1:37: warning: \"Alpha\" is Approved but lacks sign-offs (2/3) from: Security Review"),
            "{mdbook:?}: {}",
            built.stderr()
        );
        let strict = build("tests/books/index", mdbook, "strict = true");
        assert!(
            !strict.succeeded(),
            "{mdbook:?}: strict mode built an approved doc with a missing sign-off"
        );
        assert!(
            strict
                .stderr()
                .contains("src/a/alpha.md:1:37: error: \"Alpha\" is Approved but lacks sign-offs")
        );
    }
}
